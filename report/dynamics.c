/*
 * report/dynamics.c - a simulation's section: the run (horizon, time
 * reached, completed, integrator steps), each product's settling times,
 * the scheduled events, and time plots of timeseries.csv (purity and
 * recovery of each product, raffinate pH, the watched stages) with the
 * events and settling times marked.
 */
#include "report/build.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SERIES 16 /* products, watched columns */
#define MAX_MARKS 48  /* events and settling times of a figure */
#define LABEL_LEN 160
#define MARK_ROOM 0.004 /* marks closer than this share of the time axis share one label */

typedef struct Mark {
    double t; /* h */
    char label[LABEL_LEN];
} Mark;

/* timeseries.csv and summary.json as the figures use them. */
typedef struct Dyn {
    int n;     /* rows */
    double *t; /* h */
    double t0, t1; /* the time axis */
    int nprod;
    char prod[MAX_SERIES][96];
    double *purity[MAX_SERIES], *recovery[MAX_SERIES]; /* % */
    double settle1[MAX_SERIES], settle01[MAX_SERIES];  /* h, NaN when not known */
    double *ph;
    int nwatch;
    char watch[MAX_SERIES][96];  /* legend: the header without a shared unit */
    char watch_unit[32];         /* the unit they share, "" when they do not */
    double *wv[MAX_SERIES];
    int nev;          /* marks of the time axis: the events, then where a run cut short stopped */
    int nsched;       /* the events of them */
    int stopped;
    Mark ev[MAX_MARKS];
} Dyn;

/* Column c, or NULL when it is not there or has fewer than two finite
 * values (no line to draw). */
static double *column_at(const RxTable *t, int c)
{
    double *x = rx_table_numbers(t, c);
    if (!x)
        return NULL;
    int finite = 0;
    for (int i = 0; i < t->nrows; i++)
        finite += isfinite(x[i]) != 0;
    if (finite < 2) {
        free(x);
        return NULL;
    }
    return x;
}

/* "%g" of v into buf. */
static const char *num_g(char buf[32], double v)
{
    snprintf(buf, 32, "%.6g", v);
    return buf;
}

/* What event e sets, as a label ("feed: flow 110 L/h"); 0 when it is not an event. */
static int event_label(const cJSON *e, char *out, size_t n)
{
    const cJSON *stream = cJSON_GetObjectItemCaseSensitive(e, "stream");
    double t = rx_json_get(e, "time_h");
    if (!isfinite(t))
        return 0;
    char name[96], buf[32];
    rx_text_copy(name, sizeof name, cJSON_IsString(stream) ? stream->valuestring : "a feed");
    int k = snprintf(out, n, "%s:", name), parts = 0;
    double flow = rx_json_get(e, "flow_L_h"), h = rx_json_get(e, "acid_mol_L"), ph = h > 0 ? -log10(h) : NAN,
           sap = rx_json_get(e, "saponification_pct");
    if (isfinite(flow) && k < (int)n)
        k += snprintf(out + k, n - (size_t)k, "%s flow %s L/h", parts++ ? "," : "", num_g(buf, flow));
    if (isfinite(ph) && !(h >= 0.1) && k < (int)n)
        k += snprintf(out + k, n - (size_t)k, "%s acid pH %s", parts++ ? "," : "", num_g(buf, ph));
    else if (isfinite(h) && k < (int)n)
        k += snprintf(out + k, n - (size_t)k, "%s acid %s mol/L", parts++ ? "," : "", num_g(buf, h));
    if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(e, "composition_g_L")) && k < (int)n)
        k += snprintf(out + k, n - (size_t)k, "%s new composition", parts++ ? "," : "");
    if (isfinite(sap) && k < (int)n)
        k += snprintf(out + k, n - (size_t)k, "%s saponification %s %%", parts++ ? "," : "", num_g(buf, sap));
    if (!parts && k < (int)n)
        snprintf(out + k, n - (size_t)k, " changed");
    return 1;
}

static void dyn_free(Dyn *d)
{
    free(d->t);
    free(d->ph);
    for (int i = 0; i < d->nprod; i++) {
        free(d->purity[i]);
        free(d->recovery[i]);
    }
    for (int i = 0; i < d->nwatch; i++)
        free(d->wv[i]);
}

/* The unit of a header "name [unit]" into unit ("" when none); its length before " [". */
static size_t unit_of(const char *h, char *unit, size_t n)
{
    const char *b = strrchr(h, '[');
    size_t len = strlen(h);
    if (!b || b == h || b[-1] != ' ' || h[len - 1] != ']') {
        unit[0] = 0;
        return len;
    }
    snprintf(unit, n, "%.*s", (int)(h + len - 1 - b - 1), b + 1);
    return (size_t)(b - 1 - h);
}

/* The time series of t with what summary says of it; 0 when t has no time column or rows. */
static int dyn_of(const RxTable *t, const cJSON *summary, Dyn *d)
{
    *d = (Dyn){0};
    int tc = rx_table_col(t, "time [h]");
    if (tc < 0 || t->nrows < 1 || !(d->t = column_at(t, tc)))
        return 0;
    d->n = t->nrows;
    d->t0 = INFINITY;
    d->t1 = -INFINITY;
    for (int i = 0; i < d->n; i++)
        if (isfinite(d->t[i])) {
            d->t0 = fmin(d->t0, d->t[i]);
            d->t1 = fmax(d->t1, d->t[i]);
        }
    if (!isfinite(d->t0)) {
        dyn_free(d);
        return 0;
    }
    /* The run was to reach the horizon: a run cut short shows what is missing. */
    double horizon = rx_json_get(summary, "horizon_h");
    if (isfinite(horizon) && horizon > d->t1)
        d->t1 = horizon;
    /* Products: "NAME purity [%]" beside "NAME recovery [%]". */
    const cJSON *prods = cJSON_GetObjectItemCaseSensitive(summary, "products");
    for (int c = 0; c < t->ncols && d->nprod < MAX_SERIES; c++) {
        const char *h = rx_table_head(t, c);
        if (!rx_ends_with(h, " purity [%]"))
            continue;
        size_t len = strlen(h) - strlen(" purity [%]");
        if (len >= sizeof d->prod[0])
            continue;
        char rec[160];
        snprintf(rec, sizeof rec, "%.*s recovery [%%]", (int)len, h);
        int k = d->nprod;
        snprintf(d->prod[k], sizeof d->prod[0], "%.*s", (int)len, h);
        d->purity[k] = column_at(t, c);
        d->recovery[k] = column_at(t, rx_table_col(t, rec));
        d->settle1[k] = d->settle01[k] = NAN;
        const cJSON *p;
        cJSON_ArrayForEach(p, prods)
        {
            const cJSON *name = cJSON_GetObjectItemCaseSensitive(p, "name");
            if (cJSON_IsString(name) && !strcmp(name->valuestring, d->prod[k])) {
                d->settle1[k] = rx_json_get(p, "purity_settled_1pct_h");
                d->settle01[k] = rx_json_get(p, "purity_settled_0.1pct_h");
            }
        }
        if (d->purity[k])
            d->nprod++;
        else
            free(d->recovery[k]);
    }
    int pc = rx_table_col(t, "raffinate pH [-]");
    d->ph = column_at(t, pc);
    /* Watched stages: the "stage " columns (after the pH, where it is). */
    int shared = 1;
    for (int c = pc >= 0 ? pc + 1 : 0; c < t->ncols && d->nwatch < MAX_SERIES; c++) {
        const char *h = rx_table_head(t, c);
        int of_product = 0; /* a product named "stage ..." (its columns come before the pH) */
        for (int k = 0; k < d->nprod; k++)
            of_product |= !strncmp(h, d->prod[k], strlen(d->prod[k])) && h[strlen(d->prod[k])] == ' ';
        if (strncmp(h, "stage ", 6) || of_product)
            continue;
        if (!(d->wv[d->nwatch] = column_at(t, c)))
            continue;
        char unit[32];
        unit_of(h, unit, sizeof unit);
        if (d->nwatch == 0)
            snprintf(d->watch_unit, sizeof d->watch_unit, "%s", unit);
        else if (strcmp(unit, d->watch_unit))
            shared = 0;
        rx_text_copy(d->watch[d->nwatch++], sizeof d->watch[0], h);
    }
    if (!shared || !d->watch_unit[0])
        d->watch_unit[0] = 0;
    else /* the unit on the axis, the legend without it */
        for (int i = 0; i < d->nwatch; i++) {
            char unit[32];
            size_t len = unit_of(d->watch[i], unit, sizeof unit);
            d->watch[i][len] = 0;
        }
    const cJSON *evs = cJSON_GetObjectItemCaseSensitive(summary, "events"), *e;
    cJSON_ArrayForEach(e, evs)
    {
        if (d->nev >= MAX_MARKS / 2)
            break;
        if (event_label(e, d->ev[d->nev].label, sizeof d->ev[0].label)) {
            d->ev[d->nev].t = rx_json_get(e, "time_h");
            d->nev++;
        }
    }
    d->nsched = d->nev;
    /* A run cut short: where it stopped. */
    double t_end = rx_json_get(summary, "t_end_h");
    const cJSON *by = cJSON_GetObjectItemCaseSensitive(summary, "interrupted_by");
    if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(summary, "completed")) && isfinite(t_end)) {
        char sig[48];
        rx_text_copy(sig, sizeof sig, cJSON_IsString(by) ? by->valuestring : "");
        d->ev[d->nev].t = t_end;
        snprintf(d->ev[d->nev++].label, LABEL_LEN, "run stopped%s%s%s", sig[0] ? " (" : "", sig, sig[0] ? ")" : "");
        d->stopped = 1;
    }
    return 1;
}

/* ---- drawing ---- */

/* Sizes of the figures [px] and of their text as PLplot draws it (the
 * labels of marks are RX_FIG_TEXT_MM x 0.75 high, about 9 px; PLplot
 * sizes a legend for about 7.75 px a character). */
#define FIG_W 900.0
#define PR_H 700.0
#define PH_H 360.0
#define WATCH_H 420.0
#define CHAR_PX 5.0        /* a mark label's character, wide (generous) */
#define ROW_PX 12.0        /* a row of mark labels */
#define MAX_ROWS 6
#define LEGEND_CHAR_PX 7.75
#define LEGEND_PAD_PX 56.0 /* its line sample and margins */
#define LEGEND_ROW_PX 14.5

/* The marks of a panel laid out: a dotted line at each, and a label per
 * group of marks at (nearly) the same time, in rows of a band kept free at
 * the top of the panel so that no label crosses a line of data. */
typedef struct Layout {
    int n;
    double t[MAX_MARKS];
    int ngroups;
    char label[MAX_MARKS][2 * LABEL_LEN];
    double at[MAX_MARKS], just[MAX_MARKS]; /* the label's x, its justification */
    double a[MAX_MARKS], b[MAX_MARKS];     /* the time it spans */
    int row[MAX_MARKS];
    int rows;
} Layout;

static int by_time(const void *a, const void *b)
{
    double u = ((const Mark *)a)->t, v = ((const Mark *)b)->t;
    return (u > v) - (u < v);
}

/* The events (and with settling, the settling times) of d on a panel of
 * width px; labels when labels is set. */
static void layout(const Dyn *d, int settling, int labels, double px, Layout *L)
{
    Mark m[MAX_MARKS];
    int n = 0;
    double span = d->t1 - d->t0;
    for (int i = 0; i < d->nev && n < MAX_MARKS; i++)
        if (d->ev[i].t >= d->t0 && d->ev[i].t <= d->t1)
            m[n++] = d->ev[i];
    for (int k = 0; settling && k < d->nprod; k++) {
        char name[96];
        rx_text_copy(name, sizeof name, d->prod[k]);
        double s1 = d->settle1[k], s01 = d->settle01[k];
        int same = isfinite(s1) && isfinite(s01) && fabs(s1 - s01) <= 1e-9 * fmax(1, fabs(s1));
        if (isfinite(s1) && s1 >= d->t0 && s1 <= d->t1 && n < MAX_MARKS) {
            m[n].t = s1;
            snprintf(m[n++].label, LABEL_LEN, "%s settled (1 %%%s)", name, same ? ", 0.1 %" : "");
        }
        if (isfinite(s01) && !same && s01 >= d->t0 && s01 <= d->t1 && n < MAX_MARKS) {
            m[n].t = s01;
            snprintf(m[n++].label, LABEL_LEN, "%s settled (0.1 %%)", name);
        }
    }
    qsort(m, (size_t)n, sizeof m[0], by_time);
    *L = (Layout){.n = n};
    double lo[MAX_ROWS][MAX_MARKS], hi[MAX_ROWS][MAX_MARKS], gap = 4 / px * span;
    int used[MAX_ROWS] = {0};
    for (int i = 0; i < n;) {
        int g = L->ngroups++, j = i + 1;
        char *label = L->label[g];
        snprintf(label, sizeof L->label[0], "%s", m[i].label);
        for (; j < n && m[j].t - m[i].t <= MARK_ROOM * span; j++) {
            size_t len = strlen(label);
            snprintf(label + len, sizeof L->label[0] - len, "; %s", m[j].label);
        }
        for (int k = i; k < j; k++)
            L->t[k] = m[k].t;
        /* at most the panel's width; right of its line, or left where it
         * would run out of the panel, or at the panel's right end */
        size_t fit = (size_t)fmax(4, (px - 12) / CHAR_PX);
        if (strlen(label) > fit) {
            size_t cut = fit - 3; /* not inside a UTF-8 character or after a '#' */
            while (cut > 0 && (((unsigned char)label[cut] & 0xC0) == 0x80 || label[cut - 1] == '#'))
                cut--;
            snprintf(label + cut, 4, "...");
        }
        double w = CHAR_PX * (double)strlen(label) / px * span, a = m[i].t + gap, b = a + w;
        L->at[g] = a;
        L->just[g] = 0;
        if (b > d->t1) {
            b = fmax(m[i].t - gap, d->t0 + w + gap);
            if (b > d->t1 - gap)
                b = d->t1 - gap;
            a = b - w;
            L->at[g] = b;
            L->just[g] = 1;
        }
        int r = 0;
        for (; r < MAX_ROWS - 1; r++) {
            int clear = 1;
            for (int k = 0; k < used[r] && clear; k++)
                clear = b + gap < lo[r][k] || a - gap > hi[r][k];
            if (clear)
                break;
        }
        if (used[r] < MAX_MARKS) {
            lo[r][used[r]] = a;
            hi[r][used[r]++] = b;
        }
        L->row[g] = r;
        L->a[g] = a;
        L->b[g] = b;
        if (labels && r + 1 > L->rows)
            L->rows = r + 1;
        i = j;
    }
    if (!labels)
        L->ngroups = 0;
}

/* [lo, hi] widened at the top for the label rows of a panel py px high. */
static void make_room(const Layout *L, double py, int ylog, double *lo, double *hi)
{
    if (L->rows == 0)
        return;
    double frac = fmin(0.45, (L->rows * ROW_PX + 6) / py);
    if (ylog) {
        double a = log10(*lo), b = log10(*hi);
        *hi = pow(10, a + (b - a) / (1 - frac));
    } else
        *hi = *lo + (*hi - *lo) / (1 - frac);
}

/* The lines and labels of L on the current panel [lo, hi], py px high. */
static void draw_layout(RxFig *f, const Layout *L, double py, int ylog, double lo, double hi)
{
    for (int k = 0; k < L->n; k++)
        rx_fig_vline(f, L->t[k], NULL);
    for (int g = 0; g < L->ngroups; g++) {
        double down = (3 + ROW_PX * (L->row[g] + 0.5)) / py, y;
        if (ylog)
            y = pow(10, log10(hi) - down * (log10(hi) - log10(lo)));
        else
            y = hi - down * (hi - lo);
        rx_fig_text(f, L->at[g], y, L->just[g], L->label[g]);
    }
}

/* [lo, hi] of the finite values of the columns x[0..m), padded by 5 %. */
static void lin_range(double *const *x, int m, int n, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (int k = 0; k < m; k++)
        for (int i = 0; x[k] && i < n; i++)
            if (isfinite(x[k][i])) {
                *lo = fmin(*lo, x[k][i]);
                *hi = fmax(*hi, x[k][i]);
            }
    if (!isfinite(*lo)) {
        *lo = 0;
        *hi = 1;
        return;
    }
    double pad = 0.05 * (*hi - *lo);
    if (!(pad > 0))
        pad = *lo != 0 ? 0.05 * fabs(*lo) : 0.5;
    *lo -= pad;
    *hi += pad;
}

/* The positive range of the columns, in whole decades at most 8 deep; 0
 * when they span no more than 2 decades (a linear axis then). */
static int log_range(double *const *x, int m, int n, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = 0;
    for (int k = 0; k < m; k++)
        for (int i = 0; x[k] && i < n; i++)
            if (x[k][i] > 0 && isfinite(x[k][i])) {
                *lo = fmin(*lo, x[k][i]);
                *hi = fmax(*hi, x[k][i]);
            }
    if (!(*hi > 0) || !(*hi > 100 * *lo))
        return 0;
    *lo = fmax(*lo, *hi * 1e-8);
    *lo = pow(10, floor(log10(*lo)));
    *hi = pow(10, ceil(log10(*hi)));
    return 1;
}

/* A legend of labels[0..n) inside a panel px x py: its box as fractions of the panel. */
static void legend_box(const char *const *labels, int n, double px, double py, double *w, double *h)
{
    size_t chars = 0;
    for (int k = 0; k < n; k++)
        chars = strlen(labels[k]) > chars ? strlen(labels[k]) : chars;
    *w = (LEGEND_PAD_PX + LEGEND_CHAR_PX * (double)chars + 12) / px;
    *h = (LEGEND_ROW_PX * n + 12) / py;
}

/* Whether a line of the columns y[0..m) (or its markers) enters the box
 * [u0, u1] x [v0, v1] of a panel [lo, hi] (fractions of the panel). */
static int crosses(const Dyn *d, double *const *y, int m, double lo, double hi, int ylog, double u0, double u1,
                   double v0, double v1)
{
    double span = d->t1 - d->t0, a = ylog ? log10(lo) : lo, b = ylog ? log10(hi) : hi;
    for (int k = 0; k < m; k++) {
        double pu = NAN, pv = NAN;
        for (int i = 0; y[k] && i < d->n; i++) {
            double v = y[k][i];
            double u = (d->t[i] - d->t0) / span, w = ylog ? (v > 0 ? (log10(v) - a) / (b - a) : NAN) : (v - a) / (b - a);
            if (!isfinite(u) || !isfinite(w)) {
                pu = pv = NAN;
                continue;
            }
            int steps = isfinite(pu) ? 16 : 0;
            for (int s = 0; s <= steps; s++) {
                double q = steps ? (double)s / steps : 1, x = isfinite(pu) ? pu + q * (u - pu) : u,
                       z = isfinite(pu) ? pv + q * (w - pv) : w;
                if (x >= u0 && x <= u1 && z >= v0 && z <= v1)
                    return 1;
            }
            pu = u;
            pv = w;
        }
    }
    return 0;
}

/* Whether a label of L spans time within the panel fractions [u0, u1]. */
static int labels_in(const Dyn *d, const Layout *L, double u0, double u1)
{
    double span = d->t1 - d->t0;
    for (int g = 0; g < L->ngroups; g++)
        if (L->b[g] >= d->t0 + u0 * span && L->a[g] <= d->t0 + u1 * span)
            return 1;
    return 0;
}

/* Where a legend keeps off the lines and labels (L) of a panel px x py:
 * lower right, upper right or upper left; -1: none. */
static int legend_place(const Dyn *d, const Layout *L, double *const *y, int m, double lo, double hi, int ylog,
                        double lw, double lh, double px, double py)
{
    double mx = 10 / px, my = 10 / py; /* PLplot's offset and the markers' half size */
    if (!crosses(d, y, m, lo, hi, ylog, 1 - lw - mx, 1, 0, lh + my))
        return RX_LEGEND_LOWER_RIGHT;
    if (!labels_in(d, L, 1 - lw - mx, 1) && !crosses(d, y, m, lo, hi, ylog, 1 - lw - mx, 1, 1 - lh - my, 1))
        return RX_LEGEND_UPPER_RIGHT;
    if (!labels_in(d, L, 0, lw + mx) && !crosses(d, y, m, lo, hi, ylog, 0, lw + mx, 1 - lh - my, 1))
        return RX_LEGEND_UPPER_LEFT;
    return -1;
}

/* The right edge of a panel whose legend goes outside it (at most half the figure). */
static double outside_edge(double lw_px)
{
    return fmax(0.5, 1 - (lw_px + 24) / FIG_W);
}

#define VX0 0.09
#define VX1 0.90

static void draw_purity_recovery(RxFig *f, void *ctx)
{
    const Dyn *d = ctx;
    const char *labels[MAX_SERIES];
    int series[MAX_SERIES], step = d->n > 30 ? d->n / 15 : 1;
    char names[MAX_SERIES][96];
    for (int k = 0; k < d->nprod; k++) {
        rx_text_copy(names[k], sizeof names[k], d->prod[k]);
        labels[k] = names[k];
        series[k] = k;
    }
    int have_rec = 0;
    for (int k = 0; k < d->nprod; k++)
        have_rec |= d->recovery[k] != NULL;
    int np = 1 + have_rec;
    static const double vy[2][2] = {{0.57, 0.93}, {0.09, 0.45}}; /* purity, recovery */
    double lo[2], hi[2], vx1 = VX1;
    Layout L[2];
    int where = -1, in = 0;
    /* one legend for both panels: inside the first that has room for it, else outside */
    for (int pass = 0; pass < 2 && where < 0; pass++) {
        double lw, lh;
        if (pass) {
            legend_box(labels, d->nprod, FIG_W, 1, &lw, &lh);
            vx1 = outside_edge(lw * FIG_W);
            where = RX_LEGEND_OUTSIDE;
            in = 0;
        }
        double px = (vx1 - VX0) * FIG_W;
        for (int p = 0; p < np; p++) {
            double y0 = np == 1 ? 0.11 : vy[p][0], y1 = np == 1 ? 0.92 : vy[p][1], py = (y1 - y0) * PR_H;
            double *const *y = p ? d->recovery : d->purity;
            layout(d, p == 0, p == 0, px, &L[p]);
            lin_range(y, d->nprod, d->n, &lo[p], &hi[p]);
            make_room(&L[p], py, 0, &lo[p], &hi[p]);
            if (where < 0) {
                legend_box(labels, d->nprod, px, py, &lw, &lh);
                where = legend_place(d, &L[p], y, d->nprod, lo[p], hi[p], 0, lw, lh, px, py);
                in = p;
            }
        }
    }
    for (int p = 0; p < np; p++) {
        double y0 = np == 1 ? 0.11 : vy[p][0], y1 = np == 1 ? 0.92 : vy[p][1], py = (y1 - y0) * PR_H;
        double *const *y = p ? d->recovery : d->purity;
        RxAxes a = {"time [h]", p ? "recovery [%]" : "purity [% of REO]", d->t0, d->t1, lo[p], hi[p], 0, 0, 0};
        rx_fig_panel(f, VX0, vx1, y0, y1, &a, p ? "Recovery" : "Purity");
        draw_layout(f, &L[p], py, 0, lo[p], hi[p]);
        for (int k = 0; k < d->nprod; k++)
            if (y[k])
                rx_fig_line(f, k, d->n, d->t, y[k], step);
        if (p == in)
            rx_fig_legend(f, d->nprod, labels, series, 1, where);
    }
}

static void draw_ph(RxFig *f, void *ctx)
{
    const Dyn *d = ctx;
    double lo, hi, y0 = 0.15, y1 = 0.92, py = (y1 - y0) * PH_H;
    double *const y[1] = {d->ph};
    Layout L;
    layout(d, 0, 1, (VX1 - VX0) * FIG_W, &L);
    lin_range(y, 1, d->n, &lo, &hi);
    make_room(&L, py, 0, &lo, &hi);
    RxAxes a = {"time [h]", "raffinate pH [-]", d->t0, d->t1, lo, hi, 0, 0, 0};
    rx_fig_panel(f, VX0, VX1, y0, y1, &a, NULL);
    draw_layout(f, &L, py, 0, lo, hi);
    rx_fig_line(f, 0, d->n, d->t, d->ph, d->n > 30 ? d->n / 15 : 1);
}

static void draw_watch(RxFig *f, void *ctx)
{
    const Dyn *d = ctx;
    const char *labels[MAX_SERIES];
    int series[MAX_SERIES];
    for (int k = 0; k < d->nwatch; k++) {
        labels[k] = d->watch[k];
        series[k] = k;
    }
    double lo, hi, y0 = 0.12, y1 = 0.93, py = (y1 - y0) * WATCH_H, vx1 = VX1, lw, lh;
    int ylog = log_range(d->wv, d->nwatch, d->n, &lo, &hi);
    if (!ylog)
        lin_range(d->wv, d->nwatch, d->n, &lo, &hi);
    double lo0 = lo, hi0 = hi;
    Layout L;
    layout(d, 0, 1, (vx1 - VX0) * FIG_W, &L);
    make_room(&L, py, ylog, &lo, &hi);
    legend_box(labels, d->nwatch, (vx1 - VX0) * FIG_W, py, &lw, &lh);
    int where = legend_place(d, &L, d->wv, d->nwatch, lo, hi, ylog, lw, lh, (vx1 - VX0) * FIG_W, py);
    if (where < 0) {
        where = RX_LEGEND_OUTSIDE;
        legend_box(labels, d->nwatch, FIG_W, py, &lw, &lh);
        vx1 = outside_edge(lw * FIG_W);
        lo = lo0;
        hi = hi0;
        layout(d, 0, 1, (vx1 - VX0) * FIG_W, &L);
        make_room(&L, py, ylog, &lo, &hi);
    }
    char yl[64];
    if (d->watch_unit[0])
        snprintf(yl, sizeof yl, "concentration [%s]", d->watch_unit);
    else
        snprintf(yl, sizeof yl, "value [unit in the legend]");
    RxAxes a = {"time [h]", yl, d->t0, d->t1, lo, hi, 0, ylog, 0};
    rx_fig_panel(f, VX0, vx1, y0, y1, &a, NULL);
    draw_layout(f, &L, py, ylog, lo, hi);
    int step = d->n > 30 ? d->n / 15 : 1;
    for (int k = 0; k < d->nwatch; k++)
        rx_fig_line(f, k, d->n, d->t, d->wv[k], step);
    rx_fig_legend(f, d->nwatch, labels, series, 1, where);
}

/* ---- the tables ---- */

static void run_table(RxReport *r, const char *prefix, const cJSON *summary)
{
    const cJSON *done = cJSON_GetObjectItemCaseSensitive(summary, "completed");
    double horizon = rx_json_get(summary, "horizon_h"), t_end = rx_json_get(summary, "t_end_h"),
           steps = rx_json_get(cJSON_GetObjectItemCaseSensitive(summary, "integrator"), "steps");
    if (!cJSON_IsBool(done) && !isfinite(horizon) && !isfinite(t_end) && !isfinite(steps))
        return;
    char buf[32], buf2[32];
    rx_html_raw(r, "<table class=\"meta\" id=\"%sdyn-run\">\n", prefix);
    if (isfinite(horizon))
        rx_html_raw(r, "<tr><td>horizon [h]</td><td class=\"n\">%s</td></tr>\n", rx_html_num(buf, horizon));
    if (isfinite(t_end))
        rx_html_raw(r, "<tr><td>time reached [h]</td><td class=\"n\">%s</td></tr>\n", rx_html_num(buf, t_end));
    if (cJSON_IsBool(done))
        rx_html_raw(r, "<tr><td>completed</td><td>%s</td></tr>\n", cJSON_IsTrue(done) ? "yes" : "no");
    if (isfinite(steps))
        rx_html_raw(r, "<tr><td>integrator steps</td><td class=\"n\">%s</td></tr>\n", rx_html_num(buf, steps));
    rx_html_raw(r, "</table>\n");
    if (cJSON_IsFalse(done)) {
        const cJSON *by = cJSON_GetObjectItemCaseSensitive(summary, "interrupted_by");
        rx_html_raw(r, "<p class=\"fail\" id=\"%sdyn-incomplete\">The run did not reach its horizon", prefix);
        if (isfinite(t_end) && isfinite(horizon))
            rx_html_raw(r, ": it stopped at %s h of %s h", rx_html_num(buf, t_end), rx_html_num(buf2, horizon));
        if (cJSON_IsString(by)) {
            rx_html_raw(r, " (stopped by ");
            rx_html_text(r, by->valuestring);
            rx_html_raw(r, ")");
        }
        rx_html_raw(r, ". Every number and figure below is of the part it ran, not of the end it was to reach.</p>\n");
    }
}

static void settling_table(RxReport *r, const char *prefix, const cJSON *summary)
{
    const cJSON *ps = cJSON_GetObjectItemCaseSensitive(summary, "products"), *p;
    int any = 0;
    cJSON_ArrayForEach(p, ps) any |= isfinite(rx_json_get(p, "purity_settled_1pct_h")) ||
                                     isfinite(rx_json_get(p, "purity_settled_0.1pct_h"));
    if (!any)
        return;
    rx_html_raw(r, "<table id=\"%sdyn-settling\">\n<tr><th>product</th><th>purity within 1 %% of its end value "
                   "from [h]</th><th>within 0.1 %% from [h]</th></tr>\n",
                prefix);
    cJSON_ArrayForEach(p, ps)
    {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(p, "name");
        char b1[32], b2[32];
        rx_html_raw(r, "<tr><td>");
        rx_html_text(r, cJSON_IsString(name) ? name->valuestring : "");
        rx_html_raw(r, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
                    rx_html_num(b1, rx_json_get(p, "purity_settled_1pct_h")),
                    rx_html_num(b2, rx_json_get(p, "purity_settled_0.1pct_h")));
    }
    rx_html_raw(r, "</table>\n");
}

static void events_table(RxReport *r, const char *prefix, const cJSON *summary)
{
    const cJSON *evs = cJSON_GetObjectItemCaseSensitive(summary, "events"), *e;
    if (!cJSON_IsArray(evs) || cJSON_GetArraySize(evs) == 0)
        return;
    rx_html_raw(r, "<table id=\"%sdyn-events\">\n<tr><th>time [h]</th><th>stream</th><th>sets</th></tr>\n", prefix);
    cJSON_ArrayForEach(e, evs)
    {
        const cJSON *stream = cJSON_GetObjectItemCaseSensitive(e, "stream"), *comp, *c;
        char buf[32];
        rx_html_raw(r, "<tr><td class=\"n\">%s</td><td>", rx_html_num(buf, rx_json_get(e, "time_h")));
        rx_html_text(r, cJSON_IsString(stream) ? stream->valuestring : "-");
        rx_html_raw(r, "</td><td>");
        static const struct {
            const char *key, *what, *unit;
        } sets[] = {{"flow_L_h", "flow", "L/h"},
                    {"acid_mol_L", "free acid", "mol/L"},
                    {"saponification_pct", "saponification", "%"}};
        int k = 0;
        for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
            double v = rx_json_get(e, sets[i].key);
            if (isfinite(v))
                rx_html_raw(r, "%s%s %s [%s]", k++ ? "; " : "", sets[i].what, rx_html_num(buf, v), sets[i].unit);
        }
        if (cJSON_IsObject(comp = cJSON_GetObjectItemCaseSensitive(e, "composition_g_L"))) {
            rx_html_raw(r, "%scomposition [g/L]:", k++ ? "; " : "");
            int j = 0;
            cJSON_ArrayForEach(c, comp) if (cJSON_IsNumber(c))
            {
                rx_html_raw(r, "%s ", j++ ? "," : "");
                rx_html_text(r, c->string);
                rx_html_raw(r, " %s", rx_html_num(buf, c->valuedouble));
            }
            if (!j)
                rx_html_raw(r, " none");
        }
        rx_html_raw(r, "</td></tr>\n");
    }
    rx_html_raw(r, "</table>\n");
}

void rx_report_dynamics(RxReport *r, const char *dir, const char *prefix, const cJSON *summary)
{
    rx_html_subsection(r, "Dynamics");
    run_table(r, prefix, summary);
    settling_table(r, prefix, summary);
    events_table(r, prefix, summary);
    RxTable t = {0};
    Dyn d;
    if (rx_report_csv(r, dir, "timeseries.csv", &t) <= 0 || !dyn_of(&t, summary, &d)) {
        rx_table_free(&t);
        return;
    }
    char name[96], caption[600];
    const char *marks = d.nsched && d.stopped ? "; dotted lines: the scheduled events and where the run stopped"
                        : d.nsched            ? "; dotted lines: the scheduled events"
                        : d.stopped           ? "; dotted line: where the run stopped"
                                              : "";
    if (d.nprod > 0) {
        snprintf(name, sizeof name, "%sdyn-purity-recovery", prefix);
        snprintf(caption, sizeof caption,
                 "Purity (%% of the rare-earth oxides) and recovery of each product against time%s; on the purity "
                 "panel also the times after which each product's purity stays within 1 %% and 0.1 %% of its value "
                 "at the end of the run (its settling times).",
                 marks);
        rx_html_figure(r, name, caption, FIG_W, PR_H, draw_purity_recovery, &d);
    }
    if (d.ph) {
        snprintf(name, sizeof name, "%sdyn-ph", prefix);
        snprintf(caption, sizeof caption, "pH of the raffinate against time%s.", marks);
        rx_html_figure(r, name, caption, FIG_W, PH_H, draw_ph, &d);
    }
    if (d.nwatch > 0) {
        double lo, hi;
        int ylog = log_range(d.wv, d.nwatch, d.n, &lo, &hi);
        snprintf(name, sizeof name, "%sdyn-watch", prefix);
        snprintf(caption, sizeof caption, "The watched stages' concentrations (dynamics.watch) against time%s%s.",
                 ylog ? " (log scale: they span more than two decades)" : "", marks);
        rx_html_figure(r, name, caption, FIG_W, WATCH_H, draw_watch, &d);
    }
    dyn_free(&d);
    rx_table_free(&t);
}
