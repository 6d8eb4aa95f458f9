/*
 * report/circuit.c - a circuit's section: solver, mass balance, products,
 * streams, stage profiles, pH and loading, the McCabe-Thiele diagram of
 * the key element; a simulation's time plots (report/dynamics.c).
 */
#include "report/build.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ELEMENTS 32

/* stages.csv as the figures use it. */
typedef struct Profile {
    const RxTable *t;
    int n;                          /* stages */
    double *stage, *ph, *loading;   /* per stage */
    int nel;
    char el[MAX_ELEMENTS][16];
    double *aq[MAX_ELEMENTS], *org[MAX_ELEMENTS]; /* g/L per stage */
    int nsec;                       /* sections: first stage and name */
    int sec_first[MAX_ELEMENTS];
    char sec_name[MAX_ELEMENTS][48];
    int nfeed;                      /* feeds: stage, name, aqueous, REO brought [g/h] */
    int feed_stage[MAX_ELEMENTS], feed_aq[MAX_ELEMENTS];
    double feed_reo[MAX_ELEMENTS];
    char feed_name[MAX_ELEMENTS][48];
    int key;                        /* the McCabe-Thiele element (index into el), -1 none */
    int nbreak;                     /* stage pairs (i, i + 1), 0-based, that no stream passes between */
    int brk[MAX_ELEMENTS];
} Profile;

static void profile_free(Profile *p)
{
    free(p->stage);
    free(p->ph);
    free(p->loading);
    for (int e = 0; e < p->nel; e++) {
        free(p->aq[e]);
        free(p->org[e]);
    }
}

/* The profile of stages.csv; 0 when t is not one. */
static int profile_of(const RxTable *t, Profile *p)
{
    *p = (Profile){.t = t, .n = t->nrows, .key = -1};
    p->stage = rx_table_numbers(t, rx_table_col(t, "stage"));
    p->ph = rx_table_numbers(t, rx_table_col(t, "pH [-]"));
    p->loading = rx_table_numbers(t, rx_table_col(t, "loading [%]"));
    for (int c = 0; c < t->ncols && p->nel < MAX_ELEMENTS; c++) {
        const char *h = rx_table_head(t, c), *sp = strstr(h, " aq [g/L]");
        if (!sp || sp[9] || (size_t)(sp - h) >= sizeof p->el[0])
            continue;
        char org[64];
        snprintf(p->el[p->nel], sizeof p->el[0], "%.*s", (int)(sp - h), h); /* a symbol: no '#' */
        snprintf(org, sizeof org, "%s org [g/L]", p->el[p->nel]);
        p->aq[p->nel] = rx_table_numbers(t, rx_table_col(t, h));
        p->org[p->nel] = rx_table_numbers(t, rx_table_col(t, org));
        if (p->aq[p->nel] && p->org[p->nel])
            p->nel++;
        else {
            free(p->aq[p->nel]);
            free(p->org[p->nel]);
        }
    }
    /* stages 1.. in order, as reesx writes them: the figures index by stage */
    int ordered = p->stage && p->n >= 1;
    for (int i = 0; ordered && i < p->n; i++)
        ordered = p->stage[i] == i + 1;
    int sc = rx_table_col(t, "section");
    for (int i = 0; ordered && i < t->nrows && sc >= 0 && p->nsec < MAX_ELEMENTS; i++)
        if (i == 0 || strcmp(rx_table_cell(t, i, sc), rx_table_cell(t, i - 1, sc))) {
            p->sec_first[p->nsec] = i + 1;
            rx_text_copy(p->sec_name[p->nsec++], sizeof p->sec_name[0], rx_table_cell(t, i, sc));
        }
    if (!ordered || p->nel == 0) {
        profile_free(p);
        return 0;
    }
    return 1;
}

/* Positive range of the columns x[0..m) over n values, at most `decades`
 * deep below the largest. */
static void log_range(double **x, int m, int n, double decades, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = 0;
    for (int k = 0; k < m; k++)
        for (int i = 0; i < n; i++)
            if (x[k][i] > 0 && isfinite(x[k][i])) {
                *lo = fmin(*lo, x[k][i]);
                *hi = fmax(*hi, x[k][i]);
            }
    if (!(*hi > 0)) {
        *lo = 1e-3;
        *hi = 1;
        return;
    }
    *lo = fmax(*lo, *hi * pow(10, -decades));
    *lo = pow(10, floor(log10(*lo)));
    *hi = pow(10, ceil(log10(*hi)));
}

static void section_marks(RxFig *f, const Profile *p, int labels)
{
    for (int s = 1; s < p->nsec; s++)
        rx_fig_vline(f, p->sec_first[s] - 0.5, labels ? p->sec_name[s] : NULL);
    for (int k = 0; k < p->nfeed; k++) {
        char label[64];
        snprintf(label, sizeof label, "%s", p->feed_name[k]);
        rx_fig_vline(f, p->feed_stage[k], labels ? label : NULL);
    }
}

static void draw_profiles(RxFig *f, void *ctx)
{
    const Profile *p = ctx;
    const char *labels[MAX_ELEMENTS];
    int series[MAX_ELEMENTS];
    for (int e = 0; e < p->nel; e++) {
        labels[e] = p->el[e];
        series[e] = e;
    }
    double lo, hi;
    double **both = malloc(2 * (size_t)p->nel * sizeof *both);
    if (!both)
        return;
    for (int e = 0; e < p->nel; e++) {
        both[e] = p->aq[e];
        both[p->nel + e] = p->org[e];
    }
    log_range(both, 2 * p->nel, p->n, 8, &lo, &hi);
    free(both);
    double s0 = p->stage[0] - 0.5, s1 = p->stage[p->n - 1] + 0.5;
    int step = p->n > 30 ? p->n / 15 : 1;
    for (int panel = 0; panel < 2; panel++) {
        RxAxes a = {"stage", panel ? "organic [g/L]" : "aqueous [g/L]", s0, s1, lo, hi, 0, 1, 0};
        double y0 = panel ? 0.09 : 0.56, y1 = panel ? 0.47 : 0.94;
        rx_fig_panel(f, 0.09, 0.88, y0, y1, &a, panel ? "Organic phase" : "Aqueous phase");
        section_marks(f, p, panel == 0);
        for (int e = 0; e < p->nel; e++)
            rx_fig_line(f, e, p->n, p->stage, panel ? p->org[e] : p->aq[e], step);
        if (panel == 0)
            rx_fig_legend(f, p->nel, labels, series, 1, RX_LEGEND_OUTSIDE);
    }
}

static void draw_ph_loading(RxFig *f, void *ctx)
{
    const Profile *p = ctx;
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < p->n; i++)
        if (isfinite(p->ph[i])) {
            lo = fmin(lo, p->ph[i]);
            hi = fmax(hi, p->ph[i]);
        }
    double pad = 0.05 * (hi - lo) + 0.05;
    RxAxes a = {"stage", "pH [-]", p->stage[0] - 0.5, p->stage[p->n - 1] + 0.5, lo - pad, hi + pad, 0, 0, 0};
    rx_fig_panel(f, 0.09, 0.90, 0.16, 0.90, &a, NULL);
    rx_fig_right_axis(f, "loading [% of capacity]", 0, 100);
    section_marks(f, p, 1);
    int step = p->n > 30 ? p->n / 15 : 1;
    rx_fig_line(f, 0, p->n, p->stage, p->ph, step);
    rx_fig_right(f, 1);
    if (p->loading)
        rx_fig_line(f, 1, p->n, p->stage, p->loading, step);
    rx_fig_right(f, 0);
    static const char *const labels[] = {"pH (left axis)", "loading (right axis)"};
    static const int series[] = {0, 1};
    rx_fig_legend(f, p->loading ? 2 : 1, labels, series, 1, RX_LEGEND_LOWER_RIGHT);
}

void rx_mccabe_operating(const double *x, const double *y, int n, const int *brk, int nbreak, double *ox,
                         double *oy)
{
    for (int i = 0; i + 1 < n; i++) {
        ox[i] = x[i + 1];
        oy[i] = y[i];
        for (int k = 0; k < nbreak; k++) /* an outlet between: no stream passes */
            if (brk[k] == i)
                ox[i] = NAN;
    }
}

/* McCabe-Thiele of element p->key: organic leaves stage n for n + 1 and
 * aqueous leaves n + 1 for n (streams.csv: raffinate at stage 1), so the
 * stage equilibria are E_n = (x_n, y_n) and the operating points of the
 * passing streams O_n = (x_{n+1}, y_n); the steps run E_n -> O_n -> E_{n+1}. */
static void draw_mccabe(RxFig *f, void *ctx)
{
    const Profile *p = ctx;
    const double *x = p->aq[p->key], *y = p->org[p->key];
    int n = p->n;
    double *ox = malloc((size_t)n * sizeof *ox), *oy = malloc((size_t)n * sizeof *oy),
           *sx = malloc(2 * (size_t)n * sizeof *sx), *sy = malloc(2 * (size_t)n * sizeof *sy);
    if (!ox || !oy || !sx || !sy) {
        free(ox);
        free(oy);
        free(sx);
        free(sy);
        return;
    }
    rx_mccabe_operating(x, y, n, p->brk, p->nbreak, ox, oy);
    int m = 0;
    for (int i = 0; i < n; i++) {
        sx[m] = x[i];
        sy[m++] = y[i];
        if (i + 1 < n) {
            sx[m] = ox[i];
            sy[m++] = y[i];
        }
    }
    double lox, hix, loy, hiy;
    double *cx[1] = {(double *)x}, *cy[1] = {(double *)y};
    log_range(cx, 1, n, 6, &lox, &hix);
    log_range(cy, 1, n, 6, &loy, &hiy);
    char xl[64], yl[64], title[64];
    snprintf(xl, sizeof xl, "%s in the aqueous phase [g/L]", p->el[p->key]);
    snprintf(yl, sizeof yl, "%s in the organic phase [g/L]", p->el[p->key]);
    snprintf(title, sizeof title, "McCabe-Thiele diagram of %s", p->el[p->key]);
    RxAxes a = {xl, yl, lox, hix, loy, hiy, 1, 1, 0};
    rx_fig_panel(f, 0.2, 0.8, 0.11, 0.92, &a, title);
    rx_fig_line(f, RX_FIG_GREY, m, sx, sy, 0);
    rx_fig_line(f, 0, n, x, y, 1);
    rx_fig_line(f, 1, n - 1, ox, oy, 0);
    for (int k = 0; k < p->nfeed; k++) {
        int i = p->feed_stage[k] - (int)p->stage[0];
        if (i >= 0 && i < n) {
            char label[80];
            /* in the right half of the axis, the label to the point's left */
            int left = x[i] > 0 && log10(x[i]) > 0.5 * (log10(lox) + log10(hix));
            snprintf(label, sizeof label, left ? "%s (stage %d)  " : "  %s (stage %d)", p->feed_name[k],
                     p->feed_stage[k]);
            rx_fig_text(f, x[i], y[i], left ? 1 : 0, label);
        }
    }
    static const char *const labels[] = {"stage equilibria (model)", "operating line (balance)", "stage steps"};
    static const int series[] = {0, 1, RX_FIG_GREY};
    rx_fig_legend(f, 3, labels, series, 1, RX_LEGEND_UPPER_LEFT);
    free(ox);
    free(oy);
    free(sx);
    free(sy);
}

/* The key element: the option's, else the first product's target nearest
 * the cut, by D at the feed stage (the aqueous feed that brings the most
 * REO): for a product in the raffinate its most extracted target, for any
 * other (organic, strip liquor: the extracted side) its least extracted.
 * The first target when none has a D; -1 when the option names no
 * element of the profile. */
static int key_element(const Profile *p, const cJSON *summary, const char *want)
{
    if (want) {
        for (int e = 0; e < p->nel; e++)
            if (!strcmp(p->el[e], want))
                return e;
        return -1;
    }
    const cJSON *prod = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(summary, "products"), 0);
    const cJSON *targets = cJSON_GetObjectItemCaseSensitive(prod, "targets"), *t;
    const char *stream = rx_json_str(prod, "stream");
    int extracted = stream && strcmp(stream, "raffinate") != 0;
    int at = p->n / 2, best = -1, first = -1;
    double most = 0, best_d = 0;
    for (int k = 0; k < p->nfeed; k++)
        if (p->feed_aq[k] && p->feed_reo[k] > most) {
            most = p->feed_reo[k];
            at = p->feed_stage[k] - (int)p->stage[0];
        }
    cJSON_ArrayForEach(t, targets) for (int e = 0; e < p->nel; e++) if (cJSON_IsString(t) && !strcmp(t->valuestring, p->el[e]))
    {
        first = first < 0 ? e : first;
        double d = p->org[e][at] / p->aq[e][at];
        if (!isfinite(d))
            continue;
        if (best < 0 || (extracted ? d < best_d : d > best_d)) {
            best = e;
            best_d = d;
        }
    }
    return best >= 0 ? best : first >= 0 ? first : 0;
}

static void solver_table(RxReport *r, const cJSON *summary)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(summary, "solver"), *v;
    const char *what = "Solver";
    if (!s) {
        s = cJSON_GetObjectItemCaseSensitive(summary, "integrator");
        what = "Integrator";
    }
    if (!s)
        return;
    rx_html_subsection(r, what);
    rx_html_raw(r, "<table class=\"meta\">\n");
    cJSON_ArrayForEach(v, s)
    {
        char buf[32];
        rx_html_raw(r, "<tr><td>");
        rx_html_text(r, v->string);
        rx_html_raw(r, "</td><td>");
        if (cJSON_IsNumber(v))
            rx_html_text(r, rx_html_num(buf, v->valuedouble));
        else if (cJSON_IsBool(v))
            rx_html_text(r, cJSON_IsTrue(v) ? "yes" : "no");
        else if (cJSON_IsString(v))
            rx_html_text(r, v->valuestring);
        rx_html_raw(r, "</td></tr>\n");
    }
    rx_html_raw(r, "</table>\n");
}

static void balance_table(RxReport *r, const cJSON *summary)
{
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(summary, "mass_balance_closure"), *v;
    int dynamic = 0;
    if (!b) {
        b = cJSON_GetObjectItemCaseSensitive(summary, "inventory_balance_mol");
        dynamic = 1;
    }
    if (!b)
        return;
    rx_html_subsection(r, dynamic ? "Mass balance over the run (fed = left + held up)" : "Mass-balance closure");
    rx_html_raw(r, "<table>\n<tr><th>element</th>%s<th>relative closure [-]</th></tr>\n",
                dynamic ? "<th>fed [mol]</th><th>left [mol]</th><th>held up at the end [mol]</th>" : "");
    cJSON_ArrayForEach(v, b)
    {
        char buf[32];
        rx_html_raw(r, "<tr><td>");
        rx_html_text(r, v->string);
        rx_html_raw(r, "</td>");
        if (dynamic) {
            static const char *const k[] = {"fed", "left", "holdup_end"};
            for (int i = 0; i < 3; i++)
                rx_html_raw(r, "<td class=\"n\">%s</td>", rx_html_num(buf, rx_json_get(v, k[i])));
        }
        double c = dynamic ? rx_json_get(v, "relative_error") : cJSON_IsNumber(v) ? v->valuedouble : NAN;
        rx_html_raw(r, "<td class=\"n\">%.2e</td></tr>\n", c);
    }
    rx_html_raw(r, "</table>\n");
}

static void products_table(RxReport *r, const cJSON *summary, const char *prefix)
{
    const cJSON *ps = cJSON_GetObjectItemCaseSensitive(summary, "products"), *p;
    if (!cJSON_IsArray(ps))
        return;
    static const struct {
        const char *key, *head;
    } cols[] = {{"flow_L_h", "flow [L/h]"},
                {"REO_g_h", "REO [g/h]"},
                {"purity_pct_REO", "purity [% of REO]"},
                {"recovery_pct", "recovery [%]"},
                {"acid_kg_per_kg_product", "acid [kg HCl/kg REO]"},
                {"base_kg_per_kg_product", "base [kg/kg REO]"},
                {"purity_settled_1pct_h", "purity within 1 % after [h]"},
                {"purity_settled_0.1pct_h", "within 0.1 % after [h]"}};
    int ncols = (int)(sizeof cols / sizeof cols[0]), shown[8];
    for (int c = 0; c < ncols; c++) {
        shown[c] = 0;
        cJSON_ArrayForEach(p, ps) shown[c] |= cJSON_GetObjectItemCaseSensitive(p, cols[c].key) != NULL;
    }
    rx_html_subsection(r, "Products");
    rx_html_raw(r, "<table id=\"%sproducts\">\n<tr><th>product</th><th>stream</th><th>targets</th>", prefix);
    for (int c = 0; c < ncols; c++)
        if (shown[c])
            rx_html_raw(r, "<th>%s</th>", cols[c].head);
    rx_html_raw(r, "</tr>\n");
    cJSON_ArrayForEach(p, ps)
    {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(p, "name"), *st = cJSON_GetObjectItemCaseSensitive(p, "stream"),
                    *tg = cJSON_GetObjectItemCaseSensitive(p, "targets"), *t;
        rx_html_raw(r, "<tr><td>");
        rx_html_text(r, cJSON_IsString(name) ? name->valuestring : "");
        rx_html_raw(r, "</td><td>");
        rx_html_text(r, cJSON_IsString(st) ? st->valuestring : "-");
        rx_html_raw(r, "</td><td>");
        int k = 0;
        cJSON_ArrayForEach(t, tg) if (cJSON_IsString(t))
        {
            rx_html_raw(r, "%s", k++ ? ", " : "");
            rx_html_text(r, t->valuestring);
        }
        rx_html_raw(r, "</td>");
        for (int c = 0; c < ncols; c++) {
            if (!shown[c])
                continue;
            double v = rx_json_get(p, cols[c].key);
            char buf[32];
            if (strstr(cols[c].key, "pct") && !strstr(cols[c].key, "settled") && isfinite(v))
                rx_html_raw(r, "<td class=\"n\">%.2f</td>", v);
            else
                rx_html_raw(r, "<td class=\"n\">%s</td>", rx_html_num(buf, v));
        }
        rx_html_raw(r, "</tr>\n");
    }
    rx_html_raw(r, "</table>\n");
    double ph = rx_json_get(summary, "raffinate_pH");
    if (isfinite(ph))
        rx_html_raw(r, "<p>Raffinate pH: <b>%.2f</b>.</p>\n", ph);
}

/* The feeds of streams.csv into p (their stage and name), and the outlets
 * inside the circuit: an aqueous one at stage s (a strip liquor) leaves
 * nothing to flow on to s - 1, an organic one at s nothing to s + 1. */
static void streams_of(const RxTable *streams, Profile *p)
{
    int kind = rx_table_col(streams, "kind"), name = rx_table_col(streams, "name"),
        stage = rx_table_col(streams, "stage"), phase = rx_table_col(streams, "phase"),
        flow = rx_table_col(streams, "flow [L/h]"), reo = rx_table_col(streams, "REO [g/L]");
    int first = (int)p->stage[0], last = first + p->n - 1;
    for (int i = 0; kind >= 0 && name >= 0 && stage >= 0 && i < streams->nrows; i++) {
        double st = rx_table_num(streams, i, stage);
        if (!(st >= first && st <= last)) /* not finite, or not a stage of the profile */
            continue;
        int at = (int)st - first;
        const char *k = rx_table_cell(streams, i, kind), *ph = rx_table_cell(streams, i, phase);
        if (!strcmp(k, "feed") && p->nfeed < MAX_ELEMENTS) {
            p->feed_stage[p->nfeed] = (int)st;
            p->feed_aq[p->nfeed] = !strcmp(ph, "aqueous");
            p->feed_reo[p->nfeed] = rx_table_num(streams, i, flow) * rx_table_num(streams, i, reo);
            rx_text_copy(p->feed_name[p->nfeed++], sizeof p->feed_name[0], rx_table_cell(streams, i, name));
        } else if (!strcmp(k, "outlet") && p->nbreak < MAX_ELEMENTS) {
            int aq = !strcmp(ph, "aqueous");
            if (aq && at > 0)
                p->brk[p->nbreak++] = at - 1;
            else if (!aq && at < p->n - 1)
                p->brk[p->nbreak++] = at;
        }
    }
}

void rx_report_circuit(RxReport *r, const char *dir, const char *prefix, const cJSON *summary)
{
    products_table(r, summary, prefix);
    RxTable streams = {0}, stages = {0};
    if (rx_report_csv(r, dir, "streams.csv", &streams) > 0) {
        rx_html_subsection(r, "Streams");
        rx_html_table(r, &streams, 200);
    }
    balance_table(r, summary);
    solver_table(r, summary);
    Profile p;
    if (rx_report_csv(r, dir, "stages.csv", &stages) > 0 && profile_of(&stages, &p)) {
        streams_of(&streams, &p);
        int dynamic = cJSON_GetObjectItemCaseSensitive(summary, "integrator") != NULL;
        const char *when = dynamic ? " at the end of the run" : "";
        char name[96], caption[400];
        rx_html_subsection(r, "Stage profiles");
        snprintf(name, sizeof name, "%sprofiles", prefix);
        snprintf(caption, sizeof caption,
                 "Concentration of every element in each phase against stage%s (log scale); dotted lines: section "
                 "boundaries and feed stages.", when);
        rx_html_figure(r, name, caption, 900, 760, draw_profiles, &p);
        if (p.ph) {
            snprintf(name, sizeof name, "%sph-loading", prefix);
            snprintf(caption, sizeof caption, "Aqueous pH and organic loading (%% of the extractant's capacity) "
                                              "against stage%s.", when);
            rx_html_figure(r, name, caption, 900, 380, draw_ph_loading, &p);
        }
        p.key = key_element(&p, summary, r->opt->element);
        if (p.key < 0) {
            p.key = key_element(&p, summary, NULL);
            rx_html_raw(r, "<p class=\"note\">");
            rx_html_textf(r, "--element %s: no such element in this circuit's stages.csv; the key element %s is drawn.",
                          r->opt->element, p.el[p.key]);
            rx_html_raw(r, "</p>\n");
        }
        snprintf(name, sizeof name, "%smccabe-thiele", prefix);
        snprintf(caption, sizeof caption,
                 "McCabe-Thiele diagram of %s%s (log axes): the stage equilibria as the model solved them at each "
                 "stage's conditions (pH, free extractant, loading), the operating line of the streams passing "
                 "between stages (the mass balance) and the stage steps between them.", p.el[p.key], when);
        rx_html_figure(r, name, caption, 900, 640, draw_mccabe, &p);
        profile_free(&p);
    }
    rx_table_free(&streams);
    rx_table_free(&stages);
    if (cJSON_GetObjectItemCaseSensitive(summary, "integrator"))
        rx_report_dynamics(r, dir, prefix, summary);
}
