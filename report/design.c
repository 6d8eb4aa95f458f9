/*
 * report/design.c - the design section (candidates.csv, pareto.csv,
 * window.csv, design.cfg): how many candidates were solved and met the
 * targets, the chosen one, the candidates against stages with the Pareto
 * front, and the operating window of the chosen design.
 */
#include "report/build.h"

#include "core/fileio.h"
#include "core/readfile.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_ROWS 64 /* window variables drawn */
#define LABEL 160

/* The first column whose header starts with prefix; -1 when none. */
static int col_prefix(const RxTable *t, const char *prefix)
{
    for (int c = 0; c < t->ncols; c++)
        if (!strncmp(rx_table_head(t, c), prefix, strlen(prefix)))
            return c;
    return -1;
}

/* A target's column: "Nd: purity >= 99.9 % [%]". */
static int target_col(const RxTable *t, int c)
{
    const char *h = rx_table_head(t, c);
    return rx_ends_with(h, " [%]") && strstr(h, ": ") != NULL;
}

/* ---- the candidates' figure --------------------------------------------- */

typedef struct Cloud {
    int n;                     /* candidates */
    double *stages, *reag, *cost, *solved, *meets;
    int np;                    /* the Pareto front, by stages */
    double *ps, *pr, *pc;
    int chosen;                /* row in the candidates, -1 none */
    int nmeets;                /* candidates that meet every target */
    int has_reag, has_cost;    /* numbers to draw */
    char reag_label[LABEL], cost_label[LABEL];
} Cloud;

static void cloud_free(Cloud *c)
{
    free(c->stages);
    free(c->reag);
    free(c->cost);
    free(c->solved);
    free(c->meets);
    free(c->ps);
    free(c->pr);
    free(c->pc);
}

/* The range of y over the candidates drawn (and the front), padded. */
static void y_range(const Cloud *c, const double *y, const double *py, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (int i = 0; i < c->n; i++)
        if (isfinite(y[i]) && isfinite(c->stages[i]) && !(c->solved && c->solved[i] != 1)) {
            *lo = fmin(*lo, y[i]);
            *hi = fmax(*hi, y[i]);
        }
    for (int i = 0; py && i < c->np; i++)
        if (isfinite(py[i])) {
            *lo = fmin(*lo, py[i]);
            *hi = fmax(*hi, py[i]);
        }
    if (!(*hi >= *lo)) {
        *lo = 0;
        *hi = 1;
    }
    double pad = 0.08 * (*hi - *lo);
    if (!(pad > 1e-9 * fabs(*hi))) /* one value: a band around it */
        pad = *hi != 0 ? 0.05 * fabs(*hi) : 0.5;
    *lo -= pad;
    *hi += pad;
}

/* Candidate i sits where the front or the chosen design is marked. */
static int marked(const Cloud *c, int i, const double *y, const double *py)
{
    if (c->chosen >= 0 && c->stages[i] == c->stages[c->chosen] && y[i] == y[c->chosen])
        return 1;
    for (int k = 0; py && k < c->np; k++)
        if (c->stages[i] == c->ps[k] && y[i] == py[k])
            return 1;
    return 0;
}

static void draw_one(RxFig *f, const Cloud *c, const double *y, const double *py, const char *ylabel, double x0,
                     double x1, double vy0, double vy1, const char *title, int legend)
{
    double lo, hi;
    y_range(c, y, py, &lo, &hi);
    RxAxes a = {"total stages [-]", ylabel, x0, x1, lo, hi, 0, 0, 0};
    rx_fig_panel(f, 0.1, 0.74, vy0, vy1, &a, title);
    size_t n = (size_t)(c->n > 0 ? c->n : 1);
    double *gx = malloc(n * sizeof *gx), *gy = malloc(n * sizeof *gy);
    if (!gx || !gy) {
        free(gx);
        free(gy);
        return;
    }
    /* the candidates, but where the front or the chosen one is drawn
     * (their markers would drown among the others) */
    int m = 0;
    for (int i = 0; i < c->n; i++)
        if ((!c->solved || c->solved[i] == 1) && !marked(c, i, y, py)) {
            gx[m] = c->stages[i];
            gy[m++] = y[i];
        }
    rx_fig_points(f, RX_FIG_GREY, m, gx, gy);
    m = 0;
    for (int i = 0; c->meets && i < c->n; i++)
        if (c->meets[i] == 1 && !marked(c, i, y, py)) {
            gx[m] = c->stages[i];
            gy[m++] = y[i];
        }
    rx_fig_points(f, 0, m, gx, gy);
    free(gx);
    free(gy);
    if (py && c->np > 0)
        rx_fig_line(f, 1, c->np, c->ps, py, 1);
    if (c->chosen >= 0 && isfinite(y[c->chosen])) {
        /* a guide through it, labelled at the top, clear of the
         * candidates about it */
        char label[64];
        snprintf(label, sizeof label, "chosen (%.0f stages)", c->stages[c->chosen]);
        rx_fig_vline(f, c->stages[c->chosen], label);
        rx_fig_points(f, 2, 1, c->stages + c->chosen, y + c->chosen);
    }
    if (legend) {
        const char *labels[4];
        int series[4], k = 0;
        labels[k] = "solved";
        series[k++] = RX_FIG_GREY;
        if (c->nmeets > 0) {
            labels[k] = "meets every target";
            series[k++] = 0;
        }
        if (c->np > 0) {
            labels[k] = "Pareto front";
            series[k++] = 1;
        }
        if (c->chosen >= 0) {
            labels[k] = "chosen";
            series[k++] = 2;
        }
        rx_fig_legend(f, k, labels, series, 0, RX_LEGEND_OUTSIDE);
    }
}

static void draw_cloud(RxFig *f, void *ctx)
{
    const Cloud *c = ctx;
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < c->n; i++)
        if (isfinite(c->stages[i])) {
            lo = fmin(lo, c->stages[i]);
            hi = fmax(hi, c->stages[i]);
        }
    if (!(hi >= lo)) {
        lo = 0;
        hi = 1;
    }
    double pad = fmax(1, 0.04 * (hi - lo));
    lo -= pad;
    hi += pad;
    if (hi - lo < 10) { /* whole stages on the axis */
        double mid = 0.5 * (lo + hi);
        lo = mid - 5;
        hi = mid + 5;
    }
    if (c->has_reag && c->has_cost) {
        draw_one(f, c, c->reag, c->pr, c->reag_label, lo, hi, 0.58, 0.93, "Reagents against stages", 1);
        draw_one(f, c, c->cost, c->pc, c->cost_label, lo, hi, 0.1, 0.45, "Cost against stages", 0);
    } else if (c->has_reag)
        draw_one(f, c, c->reag, c->pr, c->reag_label, lo, hi, 0.14, 0.9, NULL, 1);
    else
        draw_one(f, c, c->cost, c->pc, c->cost_label, lo, hi, 0.14, 0.9, NULL, 1);
}

/* pareto.csv's columns into c, sorted by stages. */
/* A front row: stages, reagent, cost, its row (ties keep the file's order). */
typedef struct Front {
    double s, r, k;
    int row;
} Front;

static int by_stages(const void *a, const void *b)
{
    const Front *x = a, *y = b;
    return x->s < y->s ? -1 : x->s > y->s ? 1 : x->row - y->row;
}

static void front_of(const RxTable *p, Cloud *c)
{
    int cs = rx_table_col(p, "total stages [-]"), cr = col_prefix(p, "reagents ["), cc = col_prefix(p, "cost [");
    if (cs < 0 || p->nrows <= 0)
        return;
    size_t n = (size_t)p->nrows;
    c->ps = malloc(n * sizeof *c->ps);
    c->pr = malloc(n * sizeof *c->pr);
    c->pc = malloc(n * sizeof *c->pc);
    if (!c->ps || !c->pr || !c->pc)
        return;
    Front *f = malloc(n * sizeof *f);
    if (!f)
        return;
    int m = 0;
    for (int i = 0; i < p->nrows; i++) {
        f[m] = (Front){rx_table_num(p, i, cs), cr >= 0 ? rx_table_num(p, i, cr) : NAN,
                       cc >= 0 ? rx_table_num(p, i, cc) : NAN, i};
        m += isfinite(f[m].s) != 0;
    }
    qsort(f, (size_t)m, sizeof *f, by_stages);
    for (c->np = 0; c->np < m; c->np++) {
        c->ps[c->np] = f[c->np].s;
        c->pr[c->np] = f[c->np].r;
        c->pc[c->np] = f[c->np].k;
    }
    free(f);
}

/* ---- the window's figure -------------------------------------------------- */

typedef struct Window {
    int n;
    char label[MAX_ROWS][LABEL];
    char left[MAX_ROWS][LABEL], right[MAX_ROWS][LABEL]; /* the numbers and what limits them */
    double below[MAX_ROWS], above[MAX_ROWS];            /* [%], NaN: not known */
    double lim;                                         /* the axis: +-lim */
    int by_target;                                      /* lim is a side a target limits */
} Window;

/* A limit's text: "-0.0931 % (Nd: purity >= 99.9 %)". */
static void limit_text(char *out, size_t n, double v, int sign, const char *by)
{
    char s[LABEL];
    if (isnan(v))
        snprintf(s, sizeof s, "-");
    else if (isinf(v))
        snprintf(s, sizeof s, "%s unbounded", sign < 0 ? "-" : "+");
    else
        snprintf(s, sizeof s, "%s%.3g %%", sign < 0 ? "-" : "+", v);
    if (by && *by == '(')
        snprintf(out, n, "%s %s", s, by);
    else if (by && *by)
        snprintf(out, n, "%s (%s)", s, by);
    else
        snprintf(out, n, "%s", s);
}

/* window.csv into w; 0 when it lacks the columns to draw. */
static int window_of(const RxTable *t, Window *w)
{
    int cv = rx_table_col(t, "variable"), cu = rx_table_col(t, "unit"), cx = rx_table_col(t, "value"),
        cb = rx_table_col(t, "below [%]"), ca = rx_table_col(t, "above [%]"), lb = rx_table_col(t, "limited below by"),
        la = rx_table_col(t, "limited above by");
    w->n = 0;
    if (cb < 0 || ca < 0)
        return 0;
    /* The axis: the widest window that a target limits, so that those
     * windows show (they are small: 0.001 % to a few %); a side that no
     * target limits within the range looked at runs to the axis' end. */
    double lim_target = 0, lim_any = 0;
    for (int i = 0; i < t->nrows && w->n < MAX_ROWS; i++) {
        const char *var = cv >= 0 ? rx_table_cell(t, i, cv) : "", *u = cu >= 0 ? rx_table_cell(t, i, cu) : "",
                   *v = cx >= 0 ? rx_table_cell(t, i, cx) : "";
        char label[LABEL * 2], side[LABEL * 2];
        if (*v && *u && strcmp(u, "-"))
            snprintf(label, sizeof label, "%s (%s %s)", *var ? var : "-", v, u);
        else if (*v)
            snprintf(label, sizeof label, "%s (%s)", *var ? var : "-", v);
        else
            snprintf(label, sizeof label, "%s", *var ? var : "-");
        rx_text_copy(w->label[w->n], LABEL, label);
        double b = fabs(rx_table_num(t, i, cb)), a = fabs(rx_table_num(t, i, ca));
        const char *bb = lb >= 0 ? rx_table_cell(t, i, lb) : "", *ab = la >= 0 ? rx_table_cell(t, i, la) : "";
        w->below[w->n] = b;
        w->above[w->n] = a;
        limit_text(side, sizeof side, b, -1, bb);
        rx_text_copy(w->left[w->n], LABEL, side);
        limit_text(side, sizeof side, a, 1, ab);
        rx_text_copy(w->right[w->n], LABEL, side);
        if (isfinite(b)) {
            lim_any = fmax(lim_any, b);
            if (*bb && *bb != '(')
                lim_target = fmax(lim_target, b);
        }
        if (isfinite(a)) {
            lim_any = fmax(lim_any, a);
            if (*ab && *ab != '(')
                lim_target = fmax(lim_target, a);
        }
        w->n++;
    }
    w->by_target = lim_target > 0;
    w->lim = lim_target > 0 ? lim_target : lim_any > 0 ? lim_any : 1;
    return w->n;
}

static void draw_window(RxFig *f, void *ctx)
{
    const Window *w = ctx;
    double clip = 1.1 * w->lim, rows = w->n + 0.3; /* a band on top for the first row's numbers */
    RxAxes a = {.x = "change from the design value [%]", .x0 = -clip, .x1 = clip, .rows = rows};
    rx_fig_panel(f, 0.24, 0.97, 0.13, 0.92, &a, "Operating window of the chosen design: each variable alone");
    for (int i = 0; i < w->n; i++) {
        double at = 0.3 + i;
        rx_fig_left_label(f, at + 0.62, w->label[i]);
        double b = fmin(w->below[i], clip), u = fmin(w->above[i], clip);
        /* the bar in the row's lower part, its numbers above it */
        double y0 = at + 0.86, y1 = at + 0.5, yt = at + 0.28;
        if (!isnan(b))
            rx_fig_rect(f, 0, -b, 0, y0, y1);
        if (!isnan(u))
            rx_fig_rect(f, 0, 0, u, y0, y1);
        rx_fig_text(f, -0.02 * w->lim, yt, 1, w->left[i]);
        rx_fig_text(f, 0.02 * w->lim, yt, 0, w->right[i]);
    }
    rx_fig_vline(f, 0, NULL);
}

/* ---- the section ---------------------------------------------------------- */

/* A cell for the chosen design's table. */
static void cell(RxReport *r, const RxTable *t, int row, int c)
{
    const char *s = rx_table_cell(t, row, c);
    double v = rx_table_num(t, row, c);
    if (!*s || !strcasecmp(s, "nan") || (isinf(v)))
        rx_html_text(r, "-");
    else if (isnan(v))
        rx_html_text(r, s);
    else if (target_col(t, c))
        rx_html_raw(r, "%.4f", v); /* 99.9046, not 99.9 at a 99.9 % target */
    else
        rx_html_raw(r, "%.6g", v); /* a flow of the grid: 203.85, not 203.8 */
}

static void chosen_table(RxReport *r, const RxTable *t, int row)
{
    rx_html_raw(r, "<table class=\"meta\" id=\"design-chosen\">\n");
    for (int c = 0; c < t->ncols; c++) {
        const char *h = rx_table_head(t, c);
        if (!strcmp(h, "solved [-]") || !strcmp(h, "meets targets [-]") || !strcmp(h, "chosen [-]"))
            continue;
        rx_html_raw(r, "<tr><td>");
        rx_html_text(r, h);
        rx_html_raw(r, "</td><td class=\"n\">");
        cell(r, t, row, c);
        rx_html_raw(r, "</td></tr>\n");
    }
    rx_html_raw(r, "</table>\n");
}

/* When no candidate meets every target: each target's best value. */
static void best_reached(RxReport *r, const RxTable *t, const double *solved)
{
    int k = 0;
    for (int c = 0; c < t->ncols; c++) {
        if (!target_col(t, c))
            continue;
        const char *h = rx_table_head(t, c);
        int at_most = strstr(h, "<=") != NULL, at_least = strstr(h, ">=") != NULL;
        if (!at_most && !at_least)
            continue;
        double best = NAN;
        for (int i = 0; i < t->nrows; i++) {
            double v = rx_table_num(t, i, c);
            if (!isfinite(v) || (solved && solved[i] != 1))
                continue;
            if (isnan(best) || (at_most ? v < best : v > best))
                best = v;
        }
        rx_html_raw(r, "%s", k++ ? "; " : "<p>The best value any solved candidate reached: ");
        rx_html_textf(r, "%.*s: ", (int)(strlen(h) - strlen(" [%]")), h); /* "Nd: purity >= 99.9 %" */
        if (isfinite(best))
            rx_html_raw(r, "%.4f %%", best);
        else
            rx_html_raw(r, "-");
    }
    if (k)
        rx_html_raw(r, ".</p>\n");
}

void rx_report_design(RxReport *r, const char *dir)
{
    rx_html_section(r, "design", "Design");
    RxTable cand = {0}, par = {0}, win = {0};
    if (rx_report_csv(r, dir, "candidates.csv", &cand) <= 0) {
        rx_html_raw(r, "<p>No candidates.csv here: the design search's outputs are in its circuits' folders "
                       "(design.cfg of each).</p>\n");
        return;
    }
    Cloud c = {.n = cand.nrows, .chosen = -1};
    int cs = rx_table_col(&cand, "total stages [-]"), cr = col_prefix(&cand, "reagents ["),
        cc = col_prefix(&cand, "cost ["), cch = rx_table_col(&cand, "chosen [-]");
    c.stages = rx_table_numbers(&cand, cs);
    c.reag = rx_table_numbers(&cand, cr);
    c.cost = rx_table_numbers(&cand, cc);
    c.solved = rx_table_numbers(&cand, rx_table_col(&cand, "solved [-]"));
    c.meets = rx_table_numbers(&cand, rx_table_col(&cand, "meets targets [-]"));
    snprintf(c.reag_label, sizeof c.reag_label, "%s", cr >= 0 ? rx_table_head(&cand, cr) : "");
    snprintf(c.cost_label, sizeof c.cost_label, "%s", cc >= 0 ? rx_table_head(&cand, cc) : "");
    int solved = 0;
    for (int i = 0; i < cand.nrows; i++) {
        solved += c.solved ? c.solved[i] == 1 : 1;
        c.nmeets += c.meets && c.meets[i] == 1;
        if (cch >= 0 && rx_table_num(&cand, i, cch) == 1 && c.chosen < 0)
            c.chosen = i;
        if (c.stages && isfinite(c.stages[i]) && (!c.solved || c.solved[i] == 1)) {
            c.has_reag |= c.reag && isfinite(c.reag[i]);
            c.has_cost |= c.cost && isfinite(c.cost[i]);
        }
    }

    /* what the search found */
    rx_html_raw(r, "<p id=\"design-summary\"><b>%d</b> candidate%s", cand.nrows, cand.nrows == 1 ? "" : "s");
    if (c.solved)
        rx_html_raw(r, ", <b>%d</b> solved", solved);
    if (c.meets)
        rx_html_raw(r, ", <b>%d</b> meet%s every target", c.nmeets, c.nmeets == 1 ? "s" : "");
    if (c.chosen >= 0) {
        int cid = rx_table_col(&cand, "candidate");
        rx_html_raw(r, "; the chosen design is candidate ");
        rx_html_text(r, cid >= 0 ? rx_table_cell(&cand, c.chosen, cid) : "-");
        if (c.stages && isfinite(c.stages[c.chosen]))
            rx_html_raw(r, ", <b>%.0f</b> stages in all", c.stages[c.chosen]);
        int k = 0;
        for (int col = 0; col < cand.ncols; col++) {
            const char *h = rx_table_head(&cand, col);
            if (!rx_ends_with(h, " stages [-]") || col == cs)
                continue;
            double v = rx_table_num(&cand, c.chosen, col);
            char buf[32];
            rx_html_raw(r, "%s", k++ ? " + " : " (");
            rx_html_textf(r, "%s %.*s", rx_html_num(buf, v), (int)(strlen(h) - strlen(" stages [-]")), h);
        }
        rx_html_raw(r, "%s.</p>\n", k ? ")" : "");
        chosen_table(r, &cand, c.chosen);
    } else if (c.meets && c.nmeets == 0) {
        rx_html_raw(r, ".</p>\n<p class=\"fail\" id=\"design-none\">No candidate met every target: no design was "
                       "chosen.</p>\n");
        best_reached(r, &cand, c.solved);
    } else
        rx_html_raw(r, "; none is marked chosen.</p>\n");
    char path[RX_PATH_MAX];
    if (snprintf(path, sizeof path, "%s/design.cfg", dir) < (int)sizeof path && rx_is_regular_file(path))
        rx_html_raw(r, "<p class=\"note\">design.cfg holds the chosen design (the plant description with its "
                       "stages and flows).</p>\n");

    /* the candidates and the front */
    if (rx_report_csv(r, dir, "pareto.csv", &par) > 0)
        front_of(&par, &c);
    if (c.stages && (c.has_reag || c.has_cost) && solved > 0) {
        char caption[800], same[200] = "";
        double r0 = NAN;
        int one = c.has_reag;
        for (int i = 0; one && i < c.n; i++)
            if (isfinite(c.reag[i]) && (!c.solved || c.solved[i] == 1)) {
                if (isnan(r0))
                    r0 = c.reag[i];
                else if (fabs(c.reag[i] - r0) > 1e-9 * fabs(r0))
                    one = 0;
            }
        if (one && isfinite(r0))
            snprintf(same, sizeof same, " Every solved candidate uses the same reagents, %.4g kg HCl+base per kg REO "
                                        "fed.", r0);
        char front[200] = "", met[80] = "", chosen[80] = "";
        if (c.np > 0)
            snprintf(front, sizeof front, ", the Pareto front of pareto.csv (%d candidate%s that no other beats in "
                     "total stages, reagent%s; joined in order of stages)", c.np, c.np == 1 ? "" : "s",
                     c.has_cost ? " and cost" : "");
        if (c.nmeets > 0)
            snprintf(met, sizeof met, ", those that meet every target");
        if (c.chosen >= 0)
            snprintf(chosen, sizeof chosen, ", the chosen design (dotted line)");
        snprintf(caption, sizeof caption, "Every solved candidate of candidates.csv (grey)%s%s%s, against total "
                 "stages: %s%s%s.%s%s", met, front, chosen, c.has_reag ? "reagents per kg of REO fed" : "",
                 c.has_reag && c.has_cost ? " (top) and " : "", c.has_cost ? "cost per kg of product REO (bottom)" : "",
                 c.nmeets == 0 && c.meets ? " No candidate meets every target." : "", same);
        rx_html_figure(r, "design-pareto", caption, 900, c.has_reag && c.has_cost ? 700 : 420, draw_cloud, &c);
    }
    cloud_free(&c);

    /* the window */
    if (rx_report_csv(r, dir, "window.csv", &win) > 0) {
        rx_html_subsection(r, "Operating window of the chosen design");
        Window *w = calloc(1, sizeof *w);
        if (!w)
            rx_report_fail(r, rx_error_set(r->err, RX_NO_MEMORY, "design", "out of memory for the report"));
        else if (window_of(&win, w) > 0) {
            char caption[600];
            char axis[300];
            if (w->by_target)
                snprintf(axis, sizeof axis, "The axis spans the widest window a target limits (%.3g %%); a side no "
                         "target limits within the range looked at runs to the axis' end.", w->lim);
            else
                snprintf(axis, sizeof axis, "The axis spans the widest window (%.3g %%).", w->lim);
            snprintf(caption, sizeof caption,
                     "How far each variable of window.csv may move alone, below and above its design value, with "
                     "every target still met: the bar runs from -below [%%] to +above [%%], the numbers and the "
                     "target that limits each side are written above it. %s", axis);
            rx_html_figure(r, "design-window", caption, 900, 120 + 44.0 * w->n, draw_window, w);
        }
        free(w);
        rx_html_table(r, &win, 200);
    }
    rx_table_free(&cand);
    rx_table_free(&par);
    rx_table_free(&win);
}
