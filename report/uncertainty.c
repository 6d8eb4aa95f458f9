/*
 * report/uncertainty.c - the uncertainty section (reesx uncertainty): the
 * run (seed, samples, solved), the inputs sampled (uncertainty.json), the
 * percentiles of every quantity (uncertainty.csv), the probability that
 * every target is met, and a histogram of each quantity over the solved
 * samples (samples.csv) with its target, nominal and percentiles marked,
 * and the histogram's bins as a table beneath it.
 *
 * A target's value is in its quantity's name as reesx writes it
 * ("NdPr: purity >= 99.5 %", "raffinate: pH <= 2"); a quantity without
 * one (purity and recovery without a design group, the cost) has no
 * target line and no probability.
 */
#include "report/build.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_QUANTITIES 40
#define MIN_BINS 10
#define MAX_BINS 40

/* A row of uncertainty.csv (or of uncertainty.json's percentiles). */
typedef struct Quantity {
    char name[200], unit[32];
    double nominal, p[3]; /* P5, P50, P95 */
} Quantity;

/* One histogram as drawn. */
typedef struct Hist {
    char xlabel[240];
    int nbins;
    double lo, w; /* first edge, bin width */
    int count[MAX_BINS];
    int has_target, at_most;
    double target;
    const Quantity *q;
} Hist;

/* The target in a quantity's name: " >= V" or " <= V" at its end, V
 * followed by nothing or " %".  *stem: how long the name is before it. */
static int target_of(const char *name, double *value, int *at_most, size_t *stem)
{
    const char *ge = NULL, *le = NULL;
    for (const char *s = name; (s = strstr(s, " >= ")); s++)
        ge = s;
    for (const char *s = name; (s = strstr(s, " <= ")); s++)
        le = s;
    const char *at = ge && (!le || ge > le) ? ge : le;
    if (!at)
        return 0;
    char *end;
    double v = strtod(at + 4, &end);
    if (end == at + 4 || !isfinite(v) || (*end && strcmp(end, " %")))
        return 0;
    *value = v;
    *at_most = at == le;
    *stem = (size_t)(at - name);
    return 1;
}

/* The quantities of uncertainty.csv, else of uncertainty.json. */
static int quantities(RxReport *r, const char *dir, const cJSON *unc, Quantity *q, int max)
{
    RxTable t = {0};
    int n = 0;
    if (rx_report_csv(r, dir, "uncertainty.csv", &t) > 0) {
        int cq = rx_table_col(&t, "quantity"), cu = rx_table_col(&t, "unit"), cn = rx_table_col(&t, "nominal");
        int cp[3] = {rx_table_col(&t, "P5"), rx_table_col(&t, "P50"), rx_table_col(&t, "P95")};
        for (int i = 0; cq >= 0 && i < t.nrows && n < max; i++, n++) {
            snprintf(q[n].name, sizeof q[n].name, "%s", rx_table_cell(&t, i, cq));
            snprintf(q[n].unit, sizeof q[n].unit, "%s", cu >= 0 ? rx_table_cell(&t, i, cu) : "");
            q[n].nominal = cn >= 0 ? rx_table_num(&t, i, cn) : NAN;
            for (int k = 0; k < 3; k++)
                q[n].p[k] = cp[k] >= 0 ? rx_table_num(&t, i, cp[k]) : NAN;
        }
        rx_table_free(&t);
        return n;
    }
    static const char *const pk[3] = {"P5", "P50", "P95"};
    const cJSON *ps = cJSON_GetObjectItemCaseSensitive(unc, "percentiles"), *p;
    cJSON_ArrayForEach(p, ps)
    {
        const char *name = rx_json_str(p, "quantity"), *unit = rx_json_str(p, "unit");
        if (!name || n >= max)
            continue;
        snprintf(q[n].name, sizeof q[n].name, "%s", name);
        snprintf(q[n].unit, sizeof q[n].unit, "%s", unit ? unit : "");
        q[n].nominal = rx_json_get(p, "nominal");
        for (int k = 0; k < 3; k++)
            q[n].p[k] = rx_json_get(p, pk[k]);
        n++;
    }
    return n;
}

/* The target of quantity name as uncertainty.json's percentiles name it. */
static int json_target(const cJSON *unc, const char *name, double *value, int *at_most, size_t *stem)
{
    const cJSON *ps = cJSON_GetObjectItemCaseSensitive(unc, "percentiles"), *p;
    cJSON_ArrayForEach(p, ps)
    {
        const char *qn = rx_json_str(p, "quantity");
        if (qn && !strcmp(qn, name))
            return target_of(qn, value, at_most, stem);
    }
    return 0;
}

static void run_table(RxReport *r, const cJSON *unc)
{
    rx_html_raw(r, "<table class=\"meta\" id=\"unc-run\">\n");
    rx_html_meta_num(r, unc, "seed", "seed", "%.0f");
    rx_html_meta_num(r, unc, "samples", "samples", "%.0f");
    rx_html_meta_num(r, unc, "solved", "solved", "%.0f");
    rx_html_meta_num(r, unc, "not_solved", "not solved", "%.0f");
    rx_html_meta_num(r, unc, "correlations", "correlations between constants applied", "%.0f");
    rx_html_meta_num(r, unc, "threads", "threads", "%.0f");
    rx_html_meta_num(r, unc, "seconds", "wall time of the samples [s]", "%.3g");
    rx_html_raw(r, "</table>\n");
}

static void inputs_table(RxReport *r, const cJSON *unc)
{
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(unc, "inputs"), *u;
    if (!cJSON_IsArray(in) || cJSON_GetArraySize(in) == 0)
        return;
    static const struct {
        const char *key, *unit;
    } sds[] = {{"sd_log10", "log10"}, {"sd_L_per_h", "L/h"}, {"sd_mol_per_L", "mol/L"}};
    rx_html_subsection(r, "Inputs sampled");
    rx_html_raw(r, "<table id=\"unc-inputs\">\n<tr><th>input</th><th>distribution</th><th>nominal</th>"
                   "<th>standard deviation</th><th>sd from</th></tr>\n");
    cJSON_ArrayForEach(u, in)
    {
        const char *name = rx_json_str(u, "name"), *dist = rx_json_str(u, "distribution"), *from = rx_json_str(u, "sd_from");
        char buf[32];
        rx_html_raw(r, "<tr><td>");
        rx_html_text(r, name ? name : "-");
        rx_html_raw(r, "</td><td>");
        rx_html_text(r, dist ? dist : "-");
        rx_html_raw(r, "</td><td class=\"n\">%s</td><td class=\"n\">", rx_html_num(buf, rx_json_get(u, "nominal")));
        int shown = 0;
        for (size_t k = 0; k < sizeof sds / sizeof sds[0] && !shown; k++) {
            double sd = rx_json_get(u, sds[k].key);
            if (isfinite(sd)) {
                rx_html_textf(r, "%s %s", rx_html_num(buf, sd), sds[k].unit);
                shown = 1;
            }
        }
        rx_html_raw(r, "%s</td><td>", shown ? "" : "-");
        rx_html_text(r, from ? from : "-");
        rx_html_raw(r, "</td></tr>\n");
    }
    rx_html_raw(r, "</table>\n");
}

static void pct_cell(RxReport *r, double v)
{
    if (isfinite(v))
        rx_html_raw(r, "<td class=\"n\">%.6g</td>", v);
    else
        rx_html_raw(r, "<td class=\"n\">-</td>");
}

static void percentiles_table(RxReport *r, const char *dir)
{
    RxTable t = {0};
    if (rx_report_csv(r, dir, "uncertainty.csv", &t) <= 0)
        return;
    int cq = rx_table_col(&t, "quantity"), cu = rx_table_col(&t, "unit"), cs = rx_table_col(&t, "samples [-]");
    static const char *const cols[] = {"nominal", "P5", "P50", "P95"};
    int cv[4];
    for (int k = 0; k < 4; k++)
        cv[k] = rx_table_col(&t, cols[k]);
    if (cq < 0) {
        rx_table_free(&t);
        return;
    }
    rx_html_subsection(r, "Percentiles over the solved samples");
    rx_html_raw(r, "<table id=\"unc-percentiles\">\n<tr><th>quantity</th><th>unit</th>");
    for (int k = 0; k < 4; k++)
        if (cv[k] >= 0)
            rx_html_raw(r, "<th>%s</th>", cols[k]);
    if (cs >= 0)
        rx_html_raw(r, "<th>samples [-]</th>");
    rx_html_raw(r, "</tr>\n");
    for (int i = 0; i < t.nrows; i++) {
        rx_html_raw(r, "<tr><td>");
        rx_html_text(r, rx_table_cell(&t, i, cq));
        rx_html_raw(r, "</td><td>");
        rx_html_text(r, cu >= 0 ? rx_table_cell(&t, i, cu) : "");
        rx_html_raw(r, "</td>");
        for (int k = 0; k < 4; k++)
            if (cv[k] >= 0)
                pct_cell(r, rx_table_num(&t, i, cv[k]));
        if (cs >= 0)
            pct_cell(r, rx_table_num(&t, i, cs));
        rx_html_raw(r, "</tr>\n");
    }
    rx_html_raw(r, "</table>\n");
    rx_table_free(&t);
}

static void probability(RxReport *r, const cJSON *unc)
{
    double p = rx_json_get(unc, "probability_all_met"), met = rx_json_get(unc, "all_targets_met"),
           solved = rx_json_get(unc, "solved"), se = rx_json_get(unc, "probability_all_met_se");
    const cJSON *nom = cJSON_GetObjectItemCaseSensitive(unc, "nominal_meets_all");
    if (!cJSON_GetObjectItemCaseSensitive(unc, "probability_all_met")) {
        if (cJSON_GetObjectItemCaseSensitive(unc, "percentiles"))
            rx_html_raw(r, "<p class=\"note\">No design targets: the quantities are each product's purity and "
                           "recovery, and there is no probability of meeting targets.</p>\n");
        return;
    }
    rx_html_raw(r, "<p id=\"unc-p-all\">Probability that all targets are met: <b>");
    if (isfinite(p))
        rx_html_raw(r, "%.1f %%", 100 * p);
    else
        rx_html_raw(r, "-");
    rx_html_raw(r, "</b>");
    if (isfinite(met) && isfinite(solved))
        rx_html_raw(r, " (%.0f of %.0f solved samples meet every target", met, solved);
    if (isfinite(se))
        rx_html_raw(r, "%sbinomial standard error %.1f %%", isfinite(met) && isfinite(solved) ? "; " : " (",
                    100 * se);
    if ((isfinite(met) && isfinite(solved)) || isfinite(se))
        rx_html_raw(r, ")");
    if (cJSON_IsBool(nom))
        rx_html_raw(r, ". The nominal plant %s.", cJSON_IsTrue(nom) ? "meets them all" : "does not meet them all");
    rx_html_raw(r, "</p>\n");
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Quantile q of sorted x[0..n) by linear interpolation between order
 * statistics (as GSL's, which made the percentiles). */
static double quantile(const double *x, int n, double q)
{
    double h = (n - 1) * q;
    int i = (int)floor(h);
    if (i + 1 >= n)
        return x[n - 1];
    return x[i] + (h - i) * (x[i + 1] - x[i]);
}

/* The bins of the n sorted values x: Freedman-Diaconis width 2 IQR n^-1/3,
 * the count of bins over [min, max] rounded up and held to MIN..MAX_BINS;
 * one bin when every value is the same. */
static void bin(Hist *h, const double *x, int n)
{
    double lo = x[0], hi = x[n - 1];
    if (!(hi > lo)) {
        double w = lo != 0 ? 0.01 * fabs(lo) : 1;
        h->nbins = 1;
        h->lo = lo - w / 2;
        h->w = w;
        h->count[0] = n;
        return;
    }
    /* spans and widths as differences of halves: no overflow near 1e308 */
    double span = 2 * (hi / 2 - lo / 2);
    double iqr = 2 * (quantile(x, n, 0.75) / 2 - quantile(x, n, 0.25) / 2), fd = 2 * iqr * pow(n, -1.0 / 3);
    double k = fd > 0 ? ceil(span / fd) : MAX_BINS;
    h->nbins = !isfinite(k) || k > MAX_BINS ? MAX_BINS : k < MIN_BINS ? MIN_BINS : (int)k;
    h->lo = lo;
    h->w = span / h->nbins;
    memset(h->count, 0, sizeof h->count);
    for (int i = 0; i < n; i++) { /* the bin as a double first: never a cast out of range */
        double q = (x[i] / 2 - lo / 2) / (h->w / 2);
        h->count[!(q >= 0) ? 0 : q >= h->nbins ? h->nbins - 1 : (int)q]++;
    }
}

/* Decimals that tell bin edges w apart. */
static int decimals(double w)
{
    int d = (int)ceil(-log10(w)) + 1;
    return d < 0 ? 0 : d > 10 ? 10 : d;
}

static void draw_hist(RxFig *f, void *ctx)
{
    const Hist *h = ctx;
    const Quantity *q = h->q;
    int top = 1;
    for (int b = 0; b < h->nbins; b++)
        top = h->count[b] > top ? h->count[b] : top;
    double x0 = h->lo, x1 = h->lo + h->nbins * h->w;
    double marks[5] = {h->has_target ? h->target : NAN, q->nominal, q->p[0], q->p[1], q->p[2]};
    for (int k = 0; k < 5; k++)
        if (isfinite(marks[k])) {
            x0 = fmin(x0, marks[k]);
            x1 = fmax(x1, marks[k]);
        }
    double pad = 0.04 * (x1 - x0);
    RxAxes a = {h->xlabel, "samples [-]", x0 - pad, x1 + pad, 0, 1.34 * top, 0, 0, 0};
    rx_fig_panel(f, 0.09, 0.72, 0.15, 0.92, &a, NULL);
    for (int b = 0; b < h->nbins; b++)
        if (h->count[b] > 0)
            rx_fig_rect(f, 0, h->lo + b * h->w, h->lo + (b + 1) * h->w, 0, h->count[b]);
    /* guides up to 1.12 top, a marker at their end; the percentiles
     * labelled above, a label raised where it would run into the last */
    double gy[2] = {0, 1.12 * top};
    static const char *const pname[3] = {"P5", "P50", "P95"};
    double last_x = -INFINITY, last_y = 0, span = x1 - x0 + 2 * pad;
    for (int k = 0; k < 3; k++) {
        if (!isfinite(q->p[k]))
            continue;
        double gx[2] = {q->p[k], q->p[k]};
        rx_fig_line(f, 3, 2, gx, gy, 0);
        rx_fig_points(f, 3, 1, gx + 1, gy + 1);
        double ly = q->p[k] - last_x < 0.07 * span && last_y < 1.2 * top ? 1.25 * top : 1.17 * top;
        rx_fig_text(f, q->p[k], ly, 0.5, pname[k]);
        last_x = q->p[k];
        last_y = ly;
    }
    const char *labels[3];
    int series[3], nl = 0;
    char tl[64], nl_[64];
    if (h->has_target) {
        double gx[2] = {h->target, h->target};
        rx_fig_line(f, 1, 2, gx, gy, 0);
        rx_fig_points(f, 1, 1, gx + 1, gy + 1);
        snprintf(tl, sizeof tl, "target %s %g%s", h->at_most ? "<=" : ">=", h->target, strcmp(q->unit, "%") ? "" : " %");
        labels[nl] = tl;
        series[nl++] = 1;
    }
    if (isfinite(q->nominal)) {
        double gx[2] = {q->nominal, q->nominal};
        rx_fig_line(f, 2, 2, gx, gy, 0);
        rx_fig_points(f, 2, 1, gx + 1, gy + 1);
        snprintf(nl_, sizeof nl_, "nominal plant");
        labels[nl] = nl_;
        series[nl++] = 2;
    }
    if (isfinite(q->p[0]) || isfinite(q->p[1]) || isfinite(q->p[2])) {
        labels[nl] = "P5, P50, P95";
        series[nl++] = 3;
    }
    rx_fig_legend(f, nl, labels, series, 1, RX_LEGEND_OUTSIDE);
}

/* The bins of h as a table: lower edges (the last column's upper edge too)
 * and counts. */
static void bins_table(RxReport *r, const Hist *h, int index)
{
    int d = decimals(h->w);
    rx_html_raw(r, "<div class=\"scroll\"><table class=\"bins\" id=\"unc-bins-%d\">\n<tr><th>bin from [", index);
    rx_html_text(r, h->q->unit);
    rx_html_raw(r, "]</th>");
    for (int b = 0; b < h->nbins; b++)
        rx_html_raw(r, "<td class=\"n\">%.*f</td>", d, h->lo + b * h->w);
    rx_html_raw(r, "</tr>\n<tr><th>samples [-]</th>");
    for (int b = 0; b < h->nbins; b++)
        rx_html_raw(r, "<td class=\"n\">%d</td>", h->count[b]);
    rx_html_raw(r, "</tr>\n</table></div>\n");
    rx_html_raw(r, "<p class=\"note\">Bins of width %.3g%s", h->w, strcmp(h->q->unit, "-") ? " " : "");
    rx_html_text(r, strcmp(h->q->unit, "-") ? h->q->unit : "");
    rx_html_raw(r, ", the last up to %.*f.</p>\n", d, h->lo + h->nbins * h->w);
}

/* Column c of samples.csv over the solved rows: the finite values into x
 * (*n), the solved rows without one (*empty), those of them meeting the
 * target (*met). */
static void solved_values(const RxTable *t, int c, const int *solved, double *x, int *n, int *empty,
                          const Hist *h, int *met)
{
    *n = *empty = *met = 0;
    for (int i = 0; i < t->nrows; i++) {
        if (!solved[i])
            continue;
        double v = rx_table_num(t, i, c);
        if (!isfinite(v)) {
            (*empty)++;
            continue;
        }
        x[(*n)++] = v;
        if (h->has_target && (h->at_most ? v <= h->target : v >= h->target))
            (*met)++;
    }
}

static void histograms(RxReport *r, const char *dir, const cJSON *unc, const Quantity *q, int nq)
{
    RxTable t = {0};
    if (nq == 0 || rx_report_csv(r, dir, "samples.csv", &t) <= 0 || t.nrows < 1) {
        rx_table_free(&t);
        return;
    }
    int cstatus = rx_table_col(&t, "status"), csolved = rx_table_col(&t, "solved [-]");
    int *solved = malloc((size_t)t.nrows * sizeof *solved);
    double *x = malloc((size_t)t.nrows * sizeof *x);
    Hist *h = malloc(sizeof *h);
    if (!solved || !x || !h) {
        free(solved);
        free(x);
        free(h);
        rx_table_free(&t);
        return;
    }
    int nsolved = 0;
    for (int i = 0; i < t.nrows; i++) {
        solved[i] = cstatus >= 0   ? !strcmp(rx_table_cell(&t, i, cstatus), "solved")
                    : csolved >= 0 ? rx_table_num(&t, i, csolved) == 1
                                   : 1;
        nsolved += solved[i];
    }
    int index = 0;
    for (int k = 0; k < nq; k++) {
        char col[240];
        snprintf(col, sizeof col, "%s [%s]", q[k].name, q[k].unit);
        int c = rx_table_col(&t, col);
        if (c < 0)
            continue;
        memset(h, 0, sizeof *h);
        h->q = &q[k];
        size_t stem = strlen(q[k].name);
        h->has_target = json_target(unc, q[k].name, &h->target, &h->at_most, &stem);
        snprintf(h->xlabel, sizeof h->xlabel, "%.*s [%s]", (int)stem, q[k].name, q[k].unit);
        int n, empty, met;
        solved_values(&t, c, solved, x, &n, &empty, h, &met);
        if (n == 0)
            continue;
        qsort(x, (size_t)n, sizeof *x, cmp_double);
        bin(h, x, n);
        if (index == 0)
            rx_html_subsection(r, "Distributions over the samples");
        index++;
        char name[32], caption[1400], tail[400] = "";
        size_t len = 0;
        snprintf(name, sizeof name, "unc-hist-%d", index);
        char u[40]; /* the unit after a number: " %", none for "-" */
        snprintf(u, sizeof u, "%s%s", strcmp(q[k].unit, "-") && q[k].unit[0] ? " " : "",
                 strcmp(q[k].unit, "-") ? q[k].unit : "");
        int nl = snprintf(caption, sizeof caption, "%.*s: the %d solved samples of samples.csv", (int)stem,
                          q[k].name, n);
        len = nl > 0 ? (size_t)nl : 0;
        if (t.nrows > nsolved || empty) {
            nl = snprintf(tail, sizeof tail, " (left out: %d not solved%s", t.nrows - nsolved, empty ? "; " : ")");
            if (empty && nl > 0)
                snprintf(tail + nl, sizeof tail - (size_t)nl, "%d solved without a value)", empty);
        }
        if (h->nbins == 1)
            nl = snprintf(caption + len, sizeof caption - len, "%s, all at one value: one bar.", tail);
        else
            nl = snprintf(caption + len, sizeof caption - len,
                          "%s in %d bins of equal width (the Freedman-Diaconis rule, width 2 IQR n^(-1/3), the "
                          "count held to %d..%d).",
                          tail, h->nbins, MIN_BINS, MAX_BINS);
        len += nl > 0 ? (size_t)nl : 0;
        if (h->has_target && len < sizeof caption) {
            nl = snprintf(caption + len, sizeof caption - len,
                          " Target %s %g%s: met by %d of the %d solved samples (%.1f %%).", h->at_most ? "<=" : ">=",
                          h->target, u, met, nsolved, nsolved > 0 ? 100.0 * met / nsolved : 0.0);
            len += nl > 0 ? (size_t)nl : 0;
        }
        if (isfinite(q[k].nominal) && len < sizeof caption) {
            nl = snprintf(caption + len, sizeof caption - len, " Nominal plant %.6g%s.", q[k].nominal, u);
            len += nl > 0 ? (size_t)nl : 0;
        }
        if (isfinite(q[k].p[0]) && isfinite(q[k].p[1]) && isfinite(q[k].p[2]) && len < sizeof caption)
            snprintf(caption + len, sizeof caption - len, " P5 %.6g, P50 %.6g, P95 %.6g%s (uncertainty.csv).",
                     q[k].p[0], q[k].p[1], q[k].p[2], u);
        rx_html_figure(r, name, caption, 900, 380, draw_hist, h);
        bins_table(r, h, index);
    }
    free(solved);
    free(x);
    free(h);
    rx_table_free(&t);
}

void rx_report_uncertainty(RxReport *r, const char *dir, const cJSON *unc)
{
    rx_html_section(r, "uncertainty", "Uncertainty");
    run_table(r, unc);
    inputs_table(r, unc);
    percentiles_table(r, dir);
    probability(r, unc);
    Quantity *q = malloc(MAX_QUANTITIES * sizeof *q);
    if (!q)
        return;
    int nq = quantities(r, dir, unc, q, MAX_QUANTITIES);
    histograms(r, dir, unc, q, nq);
    free(q);
}
