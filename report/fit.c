/*
 * report/fit.c - the calibration section (reesx fit): the data fitted and
 * the fit's statistics, the estimates with their errors and intervals, the
 * correlation matrix and the warnings (fit.json), and two figures of every
 * point of residuals.csv: measured against fitted, and the residual
 * against the point's pH.
 *
 * residuals.csv compares points in up to four units (log10 D, mol/L,
 * log10 mol/L, pH); a figure gives each unit a panel of its own, so that
 * no axis mixes two.  A series is one element and kind of measurement
 * ("Pr aqueous", "pH") and keeps its style in both figures.
 */
#include "report/build.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CORR 64 /* parameters whose correlations are tabled */

#define MAX_GROUPS 32 /* series */
#define MAX_UNITS 4   /* panels */
#define MAX_NOTES 30  /* dropped values listed; fit.json has them all */

/* residuals.csv as the figures use it. */
typedef struct FitPoints {
    int n;
    double *meas, *fit, *res, *ph; /* per point; ph NULL without the column */
    int *group;                    /* per point: its series, -1 when left out */
    int ngroup;
    char glabel[MAX_GROUPS][48];
    int gunit[MAX_GROUPS];         /* the panel of each series */
    int nunit;
    char unit[MAX_UNITS][24];
    int unit_panel;                /* drawing: the unit of the panel being drawn */
} FitPoints;

static void points_free(FitPoints *p)
{
    free(p->meas);
    free(p->fit);
    free(p->res);
    free(p->ph);
    free(p->group);
}

/* The index of s in list (n of them, each cap bytes), added when new; -1
 * when the list is full. */
static int intern(char *list, int *n, int max, size_t cap, const char *s)
{
    for (int i = 0; i < *n; i++)
        if (!strcmp(list + (size_t)i * cap, s))
            return i;
    if (*n >= max)
        return -1;
    snprintf(list + (size_t)*n * cap, cap, "%s", s);
    return (*n)++;
}

/* The points of residuals.csv; 0 when t is not one (a column missing). */
static int points_of(const RxTable *t, FitPoints *p)
{
    *p = (FitPoints){.n = t->nrows};
    int el = rx_table_col(t, "element"), kind = rx_table_col(t, "measured as"), unit = rx_table_col(t, "unit");
    p->meas = rx_table_numbers(t, rx_table_col(t, "measured"));
    p->fit = rx_table_numbers(t, rx_table_col(t, "fitted"));
    p->res = rx_table_numbers(t, rx_table_col(t, "residual"));
    p->ph = rx_table_numbers(t, rx_table_col(t, "pH [-]"));
    p->group = malloc((size_t)(t->nrows > 0 ? t->nrows : 1) * sizeof *p->group);
    if (el < 0 || kind < 0 || unit < 0 || !p->meas || !p->fit || !p->res || !p->group || t->nrows < 1) {
        points_free(p);
        return 0;
    }
    for (int i = 0; i < t->nrows; i++) {
        char label[48];
        const char *e = rx_table_cell(t, i, el), *k = rx_table_cell(t, i, kind);
        snprintf(label, sizeof label, "%s%s%s", e, *e ? " " : "", k);
        int u = intern(&p->unit[0][0], &p->nunit, MAX_UNITS, sizeof p->unit[0], rx_table_cell(t, i, unit));
        int before = p->ngroup, g = u < 0 ? -1 : intern(&p->glabel[0][0], &p->ngroup, MAX_GROUPS, sizeof p->glabel[0], label);
        if (g >= 0 && g == before)
            p->gunit[g] = u;
        /* a series is of one unit: the same label in another unit is left out */
        p->group[i] = g >= 0 && p->gunit[g] == u ? g : -1;
    }
    return 1;
}

/* An axis label: "measured pH [-]" for pH, else "measured [unit]". */
static void axis_label(char *buf, size_t n, const char *what, const char *unit)
{
    if (!strcmp(unit, "pH"))
        snprintf(buf, n, "%s pH [-]", what);
    else
        snprintf(buf, n, "%s [%s]", what, unit);
}

/* The finite range of a (and b, when given) over the points of unit u that
 * draw (and have a finite x when x is given). */
static void range_of(const FitPoints *p, int u, const double *a, const double *b, const double *x, double *lo,
                     double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (int i = 0; i < p->n; i++) {
        int g = p->group[i];
        if (g < 0 || p->gunit[g] != u || (x && !isfinite(x[i])))
            continue;
        for (int k = 0; k < 2; k++) {
            double v = k ? (b ? b[i] : NAN) : a[i];
            if (isfinite(v)) {
                *lo = fmin(*lo, v);
                *hi = fmax(*hi, v);
            }
        }
    }
    if (!(*hi >= *lo)) {
        *lo = 0;
        *hi = 1;
    }
    double pad = 0.05 * (*hi - *lo);
    if (!(pad > 0))
        pad = fabs(*lo) > 0 ? 0.05 * fabs(*lo) : 0.5;
    *lo -= pad;
    *hi += pad;
}

/* Series g's points of (x, y) that are finite; the legend's entries of
 * unit u into labels/series.  Returns the entries. */
static int draw_groups(RxFig *f, const FitPoints *p, int u, const double *x, const double *y, const char **labels,
                       int *series)
{
    double *px = malloc((size_t)p->n * sizeof *px), *py = malloc((size_t)p->n * sizeof *py);
    int nl = 0;
    for (int g = 0; px && py && g < p->ngroup; g++) {
        if (p->gunit[g] != u)
            continue;
        int m = 0;
        for (int i = 0; i < p->n; i++)
            if (p->group[i] == g && isfinite(x[i]) && isfinite(y[i])) {
                px[m] = x[i];
                py[m++] = y[i];
            }
        if (m == 0)
            continue;
        rx_fig_points(f, g, m, px, py);
        labels[nl] = p->glabel[g];
        series[nl++] = g;
    }
    free(px);
    free(py);
    return nl;
}

/* Panels side by side, each square: their width as a fraction of the page. */
static double parity_width(int nunit)
{
    double w = (0.86 - 0.11 * (nunit - 1)) / nunit;
    return w < 0.46 ? w : 0.46;
}

#define PARITY_W 900.0

static double parity_height(int nunit)
{
    return parity_width(nunit) * PARITY_W / 0.80;
}

static void draw_parity(RxFig *f, void *ctx)
{
    const FitPoints *p = ctx;
    double w = parity_width(p->nunit), gap = 0.11, left = 0.5 - 0.5 * (p->nunit * w + (p->nunit - 1) * gap) + 0.03;
    for (int u = 0; u < p->nunit; u++) {
        double lo, hi;
        range_of(p, u, p->meas, p->fit, NULL, &lo, &hi);
        char xl[64], yl[64];
        axis_label(xl, sizeof xl, "measured", p->unit[u]);
        axis_label(yl, sizeof yl, "fitted", p->unit[u]);
        RxAxes a = {xl, yl, lo, hi, lo, hi, 0, 0, 0};
        double x0 = left + u * (w + gap);
        rx_fig_panel(f, x0, x0 + w, 0.12, 0.92, &a, NULL);
        double diag[2] = {lo, hi};
        rx_fig_line(f, RX_FIG_GREY, 2, diag, diag, 0);
        const char *labels[MAX_GROUPS];
        int series[MAX_GROUPS];
        int nl = draw_groups(f, p, u, p->meas, p->fit, labels, series);
        rx_fig_legend(f, nl, labels, series, 0, RX_LEGEND_UPPER_LEFT);
    }
}

/* The units that have a point with a finite pH and residual. */
static int ph_units(const FitPoints *p, int *units)
{
    int n = 0;
    for (int u = 0; u < p->nunit; u++) {
        int any = 0;
        for (int i = 0; i < p->n && !any; i++)
            any = p->group[i] >= 0 && p->gunit[p->group[i]] == u && isfinite(p->ph[i]) && isfinite(p->res[i]);
        if (any)
            units[n++] = u;
    }
    return n;
}

#define RESID_PANEL_PX 260.0
#define RESID_TOP_PX 45.0
#define RESID_GAP_PX 70.0
#define RESID_BOTTOM_PX 60.0

static double resid_height(int npanels)
{
    return RESID_TOP_PX + RESID_BOTTOM_PX + npanels * RESID_PANEL_PX + (npanels - 1) * RESID_GAP_PX;
}

static void draw_resid_ph(RxFig *f, void *ctx)
{
    const FitPoints *p = ctx;
    int units[MAX_UNITS], np = ph_units(p, units);
    double H = resid_height(np);
    /* one pH axis for every panel */
    double plo = INFINITY, phi = -INFINITY;
    for (int i = 0; i < p->n; i++)
        if (p->group[i] >= 0 && isfinite(p->ph[i]) && isfinite(p->res[i])) {
            plo = fmin(plo, p->ph[i]);
            phi = fmax(phi, p->ph[i]);
        }
    double pad = 0.05 * (phi - plo) + 0.05;
    for (int k = 0; k < np; k++) {
        int u = units[k];
        double lo, hi;
        range_of(p, u, p->res, NULL, p->ph, &lo, &hi);
        double m = fmax(fabs(lo), fabs(hi)); /* symmetric about zero */
        char yl[64];
        axis_label(yl, sizeof yl, "residual", p->unit[u]);
        RxAxes a = {"pH [-]", yl, plo - pad, phi + pad, -m, m, 0, 0, 0};
        double top = 1 - (RESID_TOP_PX + k * (RESID_PANEL_PX + RESID_GAP_PX)) / H;
        rx_fig_panel(f, 0.10, 0.76, top - RESID_PANEL_PX / H, top, &a, NULL);
        rx_fig_hline(f, 0, NULL);
        const char *labels[MAX_GROUPS];
        int series[MAX_GROUPS];
        int nl = draw_groups(f, p, u, p->ph, p->res, labels, series);
        rx_fig_legend(f, nl, labels, series, 0, RX_LEGEND_OUTSIDE);
    }
}

static void data_summary(RxReport *r, const cJSON *fit)
{
    static const char *const keys[] = {"data", "profile", "points", "dropped", "residual", "weights", "dof",
                                       "rmse", "t_975", "rcond", "iterations"};
    int any = 0;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        any |= cJSON_GetObjectItemCaseSensitive(fit, keys[k]) != NULL;
    if (!any)
        return;
    rx_html_subsection(r, "Data and fit");
    rx_html_raw(r, "<table class=\"meta\" id=\"fit-summary\">\n");
    const char *data = rx_json_str(fit, "data"), *profile = rx_json_str(fit, "profile"), *res = rx_json_str(fit, "residual");
    if (data)
        rx_html_meta_row(r, "shake-out data", data);
    if (profile)
        rx_html_meta_row(r, "stage profile", profile);
    double pts = rx_json_get(fit, "points"), sh = rx_json_get(fit, "shakeout_points"),
           pr = rx_json_get(fit, "profile_points");
    if (isfinite(pts)) {
        char buf[128];
        if (isfinite(sh) && isfinite(pr))
            snprintf(buf, sizeof buf, "%.0f (%.0f shake-out, %.0f profile)", pts, sh, pr);
        else
            snprintf(buf, sizeof buf, "%.0f", pts);
        rx_html_meta_row(r, "points fitted", buf);
    }
    rx_html_meta_num(r, fit, "dropped", "values not fitted (dropped or not measured)", "%.0f");
    if (res)
        rx_html_meta_row(r, "residual", res);
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(fit, "weights"), *v;
    if (cJSON_IsObject(w) && cJSON_GetArraySize(w) > 0) {
        char buf[256] = "";
        size_t n = 0;
        cJSON_ArrayForEach(v, w) if (cJSON_IsNumber(v) && n < sizeof buf)
        {
            int k = snprintf(buf + n, sizeof buf - n, "%s%s %g", n ? ", " : "", v->string, v->valuedouble);
            n += k > 0 ? (size_t)k : 0;
        }
        rx_html_meta_row(r, "weights [-]", buf);
    }
    rx_html_meta_num(r, fit, "dof", "degrees of freedom", "%.0f");
    rx_html_meta_num(r, fit, "rmse", "RMSE (weighted, in each point's unit)", "%.4g");
    rx_html_meta_num(r, fit, "t_975", "t (0.975 quantile, for the intervals)", "%.4f");
    rx_html_meta_num(r, fit, "rcond", "reciprocal condition number of J", "%.3g");
    rx_html_meta_num(r, fit, "iterations", "iterations", "%.0f");
    rx_html_raw(r, "</table>\n");
}

/* A cell of a number in fmt; "-" when null or absent. */
static void num_cell(RxReport *r, double v, const char *fmt)
{
    char buf[64];
    if (isfinite(v))
        snprintf(buf, sizeof buf, fmt, v);
    else
        snprintf(buf, sizeof buf, "-");
    rx_html_raw(r, "<td class=\"n\">%s</td>", buf);
}

static void estimates(RxReport *r, const cJSON *ps)
{
    const cJSON *q;
    rx_html_subsection(r, "Estimates");
    rx_html_raw(r, "<table id=\"fit-estimates\">\n<tr><th>parameter</th><th>estimate</th><th>std error</th>"
                   "<th>95 %% interval, low</th><th>high</th><th>start</th></tr>\n");
    int undetermined = 0;
    cJSON_ArrayForEach(q, ps)
    {
        const char *name = rx_json_str(q, "name");
        rx_html_raw(r, "<tr><td>");
        rx_html_text(r, name ? name : "-");
        rx_html_raw(r, "</td>");
        num_cell(r, rx_json_get(q, "estimate"), "%.6g");
        num_cell(r, rx_json_get(q, "std_error"), "%.3g");
        num_cell(r, rx_json_get(q, "ci95_low"), "%.6g");
        num_cell(r, rx_json_get(q, "ci95_high"), "%.6g");
        num_cell(r, rx_json_get(q, "start"), "%.6g");
        rx_html_raw(r, "</tr>\n");
        undetermined += cJSON_GetObjectItemCaseSensitive(q, "estimate") && !isfinite(rx_json_get(q, "std_error"));
    }
    rx_html_raw(r, "</table>\n");
    if (undetermined)
        rx_html_raw(r, "<p class=\"note\">A standard error of \"-\": the data do not determine that parameter "
                       "(fit.json has no finite value).</p>\n");
}

/* The correlation matrix, rows and columns named by the parameters. */
static void correlations(RxReport *r, const cJSON *ps, const cJSON *corr)
{
    int n = cJSON_GetArraySize(corr);
    if (n < 1)
        return;
    rx_html_subsection(r, "Correlation of the estimates [-]");
    if (n > MAX_CORR) { /* a table no one reads, and n^2 cells to write */
        rx_html_raw(r, "<p class=\"note\">%d parameters: the matrix is in fit.json.</p>\n", n);
        return;
    }
    rx_html_raw(r, "<div class=\"scroll\"><table id=\"fit-correlation\">\n<tr><th></th>");
    for (int j = 0; j < n; j++) {
        const char *name = rx_json_str(cJSON_GetArrayItem(ps, j), "name");
        rx_html_raw(r, "<th>");
        rx_html_text(r, name ? name : "-");
        rx_html_raw(r, "</th>");
    }
    rx_html_raw(r, "</tr>\n");
    int high = 0;
    for (int j = 0; j < n; j++) {
        const cJSON *row = cJSON_GetArrayItem(corr, j);
        const char *name = rx_json_str(cJSON_GetArrayItem(ps, j), "name");
        rx_html_raw(r, "<tr><th>");
        rx_html_text(r, name ? name : "-");
        rx_html_raw(r, "</th>");
        for (int k = 0; k < n; k++) {
            const cJSON *c = cJSON_GetArrayItem(row, k);
            if (!cJSON_IsNumber(c)) {
                rx_html_raw(r, "<td class=\"n\">-</td>");
                continue;
            }
            double v = fabs(c->valuedouble) < 5e-4 ? 0 : c->valuedouble; /* no "-0.000" */
            int strong = j != k && fabs(v) > 0.99;
            high += strong;
            rx_html_raw(r, "<td class=\"n\">%s%.3f%s</td>", strong ? "<b>" : "", v, strong ? "</b>" : "");
        }
        rx_html_raw(r, "</tr>\n");
    }
    rx_html_raw(r, "</table></div>\n");
    if (high)
        rx_html_raw(r, "<p class=\"note\">In bold: correlations above 0.99 in magnitude (the data hardly tell those "
                       "parameters apart).</p>\n");
}

/* The strings of array a as a list under title; at most max shown. */
static void string_list(RxReport *r, const char *title, const char *id, const cJSON *a, int max)
{
    int n = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, a) n += cJSON_IsString(s);
    if (n == 0)
        return;
    rx_html_subsection(r, title);
    rx_html_raw(r, "<ul id=\"%s\">\n", id);
    int k = 0;
    cJSON_ArrayForEach(s, a) if (cJSON_IsString(s) && k < max)
    {
        rx_html_raw(r, "<li>");
        rx_html_text(r, s->valuestring);
        rx_html_raw(r, "</li>\n");
        k++;
    }
    rx_html_raw(r, "</ul>\n");
    if (n > k)
        rx_html_raw(r, "<p class=\"note\">%d more in fit.json.</p>\n", n - k);
}

static void figures(RxReport *r, const char *dir)
{
    RxTable t = {0};
    FitPoints p;
    if (rx_report_csv(r, dir, "residuals.csv", &t) <= 0 || !points_of(&t, &p)) {
        rx_table_free(&t);
        return;
    }
    int shown = 0;
    for (int i = 0; i < p.n; i++)
        shown += p.group[i] >= 0 && isfinite(p.meas[i]) && isfinite(p.fit[i]);
    rx_html_subsection(r, "Residuals");
    char caption[700], units[160] = "";
    size_t un = 0;
    for (int u = 0; u < p.nunit && un < sizeof units; u++) {
        int k = snprintf(units + un, sizeof units - un, "%s%s", u ? ", " : "", p.unit[u]);
        un += k > 0 ? (size_t)k : 0;
    }
    snprintf(caption, sizeof caption,
             "Measured against fitted value of the %d points of residuals.csv, in the unit each is compared in "
             "(%s; a panel per unit), one marker per element and kind of measurement; grey dashed: measured = "
             "fitted.%s",
             shown, units, p.n > shown ? " Points without a finite value are left out." : "");
    rx_html_figure(r, "fit-parity", caption, PARITY_W, parity_height(p.nunit), draw_parity, &p);
    int pu[MAX_UNITS];
    if (p.ph && ph_units(&p, pu) > 0) {
        int with = 0, without = 0;
        for (int i = 0; i < p.n; i++)
            if (p.group[i] >= 0 && isfinite(p.res[i]))
            {
                if (isfinite(p.ph[i]))
                    with++;
                else
                    without++;
            }
        char tail[160] = "";
        if (without)
            snprintf(tail, sizeof tail, " %d points without a pH (a shake-out without a measured equilibrium pH, a "
                                        "stage whose pH was not measured) are left out.", without);
        snprintf(caption, sizeof caption,
                 "Residual (fitted - measured) of %d points against their pH (residuals.csv's pH [-]: the measured "
                 "equilibrium pH of a shake-out, the measured pH of a profile point's stage); a panel per unit the "
                 "residual is in; grey dashed: zero.%s", with, tail);
        rx_html_figure(r, "fit-residuals-ph", caption, PARITY_W, resid_height(ph_units(&p, pu)), draw_resid_ph, &p);
    }
    points_free(&p);
    rx_table_free(&t);
}

void rx_report_fit(RxReport *r, const char *dir, const cJSON *fit)
{
    rx_html_section(r, "fit", "Calibration");
    data_summary(r, fit);
    const cJSON *ps = cJSON_GetObjectItemCaseSensitive(fit, "parameters");
    if (cJSON_IsArray(ps) && cJSON_GetArraySize(ps) > 0) {
        estimates(r, ps);
        const cJSON *corr = cJSON_GetObjectItemCaseSensitive(fit, "correlation");
        if (cJSON_IsArray(corr) && cJSON_GetArraySize(corr) == cJSON_GetArraySize(ps))
            correlations(r, ps, corr);
    }
    string_list(r, "Warnings", "fit-warnings", cJSON_GetObjectItemCaseSensitive(fit, "warnings"), 100);
    string_list(r, "Values not fitted", "fit-dropped", cJSON_GetObjectItemCaseSensitive(fit, "dropped_points"),
                MAX_NOTES);
    figures(r, dir);
}
