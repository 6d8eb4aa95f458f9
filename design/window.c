/*
 * window.c - the operating window of a solved design (design/window.h).
 */
#include "design/window.h"

#include "core/gsl.h"
#include "design/spec.h"
#include "design/targets.h"
#include "solver/continuation.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Brent's iterations at most for one end. */
#define END_ITERATIONS 60

int rx_window_ntargets(const RxPlant *p)
{
    return p->design.ntargets + p->design.nspecs;
}

const RxTarget *rx_window_target(const RxPlant *p, int t)
{
    return t < p->design.ntargets ? &p->design.targets[t] : &p->design.specs[t - p->design.ntargets].target;
}

double rx_window_halfwidth(const RxWindow *w)
{
    return fmin(w->value - w->low, w->high - w->value) / w->value;
}

/* One walk: the plant, the window's variable, the last circuit solved
 * (the next one's start, owned) and the counts. */
typedef struct {
    const RxPlant *p;
    const RxWindow *w;
    RxSolution *last;
    double spec_x[RX_MAX_DESIGN_VARS]; /* where the last circuit held the specs */
    int solves;
    int worst;          /* the target of least margin at the last point */
} Walk;

/* q with w's variable at x.  The grade scales every rare earth of the
 * feed as the design has it. */
static int set_var(const RxPlant *p, RxPlant *q, const RxWindow *w, double x, RxError *err)
{
    if (w->kind == RX_WINDOW_GRADE) {
        const RxFeed *f = &p->feeds[w->index];
        RxFeedSet fs = {.feed = w->index, .flow = -1, .acid = -1, .ncomp = 0};
        for (int k = 0; k < f->norder; k++) {
            int j = rx_plant_species_of_element(p, f->order[k]);
            const RxElement *e = rx_plant_element(p, j);
            snprintf(fs.sym[fs.ncomp], sizeof fs.sym[fs.ncomp], "%s", e->sym);
            fs.conc[fs.ncomp++] = (e->is_ree ? x : 1.0) * f->c[j];
        }
        return rx_plant_set_feed(q, &fs, err);
    }
    RxContinuation c = {.param = w->kind == RX_WINDOW_FLOW ? RX_CONTINUE_FEED_FLOW : RX_CONTINUE_FEED_ACID,
                        .feed = w->index};
    return rx_continuation_set(q, &c, x, err);
}

/* q solved from start, its specs too when it has any (they hold their
 * targets as the window's variable moves, as a plant's controls would):
 * RX_OK and *q, *s the solved plant (q itself, or the specs' plant) and
 * circuit; RX_UNMET when the specs cannot be held; else the failure. */
static int solve_held(RxPlant **q, const RxSolution *start, RxSolution **s, int *solves)
{
    if ((*q)->design.nspecs == 0) {
        ++*solves;
        return rx_circuit_solve_from(*q, start, s, NULL);
    }
    RxSpecResult r;
    int rc = rx_spec_solve(*q, start, &r, NULL);
    *solves += r.solves;
    if (rc != RX_OK)
        return rc;
    rx_plant_destroy(q);
    *q = r.plant;
    *s = r.sol;
    return RX_OK;
}

/* The least margin over the targets at x (less RX_SPEC_TOL's slack: a
 * target met to the spec tolerance is met), the circuit solved from the
 * walk's last one; -1 when the specs cannot be held there, NaN when the
 * circuit does not solve. */
static double margin_at(double x, void *vw)
{
    Walk *k = vw;
    const RxPlant *p = k->p;
    RxPlant *q = NULL;
    RxSolution *s = NULL;
    int rc = rx_plant_copy(p, &q, NULL);
    for (int j = 0; rc == RX_OK && j < p->design.nspecs; j++) /* the specs start where they were last held */
        rc = rx_spec_apply(q, j, k->spec_x[j], NULL);
    if (rc == RX_OK && (rc = set_var(p, q, k->w, x, NULL)) == RX_OK)
        rc = solve_held(&q, k->last, &s, &k->solves);
    if (rc != RX_OK) {
        rx_plant_destroy(&q);
        k->worst = RX_WINDOW_END_SPECS;
        return rc == RX_UNMET ? -1.0 : NAN;
    }
    double least = INFINITY;
    for (int t = 0; t < rx_window_ntargets(p); t++) {
        const RxTarget *tg = rx_window_target(p, t);
        double m = rx_target_margin(tg, rx_target_value(q, s, tg));
        if (isnan(m))
            m = -INFINITY;
        if (m < least) {
            least = m;
            k->worst = t;
        }
    }
    rx_solution_destroy(&k->last);
    k->last = s;
    for (int j = 0; j < p->design.nspecs; j++)
        k->spec_x[j] = rx_spec_value(q, j);
    rx_plant_destroy(&q);
    return isinf(least) ? copysign(1.0, least) : least + RX_SPEC_TOL;
}

/* One end of w from its value toward limit: the last point where every
 * target holds, and what ends it there (*end). */
static double walk(const RxPlant *p, const RxSolution *s, const RxWindow *w, double limit, int *end, int *solves)
{
    RxSolution *start = NULL;
    Walk k = {.p = p, .w = w, .worst = -1};
    for (int j = 0; j < p->design.nspecs; j++)
        k.spec_x[j] = rx_spec_value(p, j);
    if (rx_solution_alloc(&start, s->N, s->M) == RX_OK) { /* the walk owns its starts */
        memcpy(start->T, s->T, sizeof(double) * (size_t)s->N * (size_t)s->M);
        memcpy(start->guess, s->guess, sizeof(double) * 2 * (size_t)s->N);
        k.last = start;
    }
    double x0 = w->value, inside = x0, step = RX_WINDOW_STEP0 * x0, dir = limit > x0 ? 1 : -1, result = limit;
    *end = RX_WINDOW_END_RANGE;
    for (;;) {
        double x = dir > 0 ? fmin(limit, inside + step) : fmax(limit, inside - step);
        double m = margin_at(x, &k);
        if (isnan(m)) {
            *end = RX_WINDOW_END_UNSOLVED;
            result = inside;
            break;
        }
        if (m < 0) { /* a target fails between inside and x: Brent to the end */
            int target = k.worst, it = 0;
            double lo = fmin(inside, x), hi = fmax(inside, x);
            rx_root_brent(margin_at, &k, lo, hi, RX_WINDOW_XTOL * x0, NULL, END_ITERATIONS, &it, &lo, &hi);
            *end = target;
            result = dir > 0 ? lo : hi;
            break;
        }
        inside = x;
        if (x == limit)
            break;
        step *= 2;
    }
    rx_solution_destroy(&k.last);
    *solves += k.solves;
    return result;
}

/* The range the walk of w looks over: design.flows' own for a flow it
 * varies, else RX_WINDOW_SPAN of the value either way. */
static void set_range(const RxPlant *p, RxWindow *w)
{
    const RxDesignSpec *d = &p->design;
    w->range_lo = (1 - RX_WINDOW_SPAN) * w->value;
    w->range_hi = (1 + RX_WINDOW_SPAN) * w->value;
    for (int k = 0; w->kind == RX_WINDOW_FLOW && k < d->nflow_vars; k++)
        if (d->flow_vars[k].feed == w->index) {
            w->range_lo = d->flow_vars[k].min;
            w->range_hi = d->flow_vars[k].max;
        }
}

/* w as variable (kind, index) of p at its design value, with its range. */
static void init_var(const RxPlant *p, RxWindow *w, int kind, int index)
{
    static const char *const units[] = {"L/h", "mol/L H+", "x"};  /* RX_WINDOW_* */
    static const char *const what[] = {"flow", "acid", "grade"}; /* RX_WINDOW_* */
    memset(w, 0, sizeof *w);
    w->kind = kind;
    w->index = index;
    w->unit = units[kind];
    w->value = kind == RX_WINDOW_FLOW ? p->feeds[index].flow : kind == RX_WINDOW_ACID ? p->feeds[index].h : 1.0;
    snprintf(w->label, sizeof w->label, "%s %s", p->feeds[index].name, what[kind]);
    set_range(p, w);
}

void rx_window_var(const RxPlant *p, const RxSolution *s, int kind, int index, RxWindow *w, int *solves)
{
    init_var(p, w, kind, index);
    w->low = walk(p, s, w, w->range_lo, &w->low_end, solves);
    w->high = walk(p, s, w, w->range_hi, &w->high_end, solves);
}

/* Is feed i's flow solved by one of p's specs? */
static int spec_flow(const RxPlant *p, int i)
{
    for (int k = 0; k < p->design.nspecs; k++)
        if (p->design.specs[k].kind == RX_SPEC_FLOW && p->design.specs[k].index == i)
            return 1;
    return 0;
}

/* Every variable of p's window, (kind, index) pairs, at most
 * RX_MAX_WINDOWS: the specs' variables are not among them (they hold
 * their targets). */
static int variables(const RxPlant *p, int kinds[], int index[])
{
    int n = 0;
    for (int i = 0; i < p->nfeeds && n < RX_MAX_WINDOWS; i++)
        if (!spec_flow(p, i))
            kinds[n] = RX_WINDOW_FLOW, index[n++] = i;
    for (int i = 0; i < p->nfeeds; i++) {
        const RxFeed *f = &p->feeds[i];
        int ree = 0;
        for (int j = 0; j < p->nsp; j++)
            ree |= f->c[j] > 0 && rx_plant_element(p, j)->is_ree;
        if (f->phase == RX_AQ && ree && f->h > 0 && n < RX_MAX_WINDOWS)
            kinds[n] = RX_WINDOW_ACID, index[n++] = i;
        if (f->phase == RX_AQ && ree && n < RX_MAX_WINDOWS)
            kinds[n] = RX_WINDOW_GRADE, index[n++] = i;
    }
    return n;
}

int rx_window(const RxPlant *p, const RxSolution *s, RxWindowResult *out, RxError *err)
{
    memset(out, 0, sizeof *out);
    if (rx_window_ntargets(p) == 0)
        return rx_error_set(err, RX_BAD_INPUT, p->path, "an operating window needs design targets or specs");
    out->met = 1;
    for (int t = 0; t < rx_window_ntargets(p) && out->met; t++) {
        const RxTarget *tg = rx_window_target(p, t);
        if (!(rx_target_margin(tg, rx_target_value(p, s, tg)) >= -RX_SPEC_TOL)) {
            out->met = 0;
            out->unmet = t;
        }
    }
    if (!out->met)
        return RX_OK;
    int kinds[RX_MAX_WINDOWS], index[RX_MAX_WINDOWS];
    out->n = variables(p, kinds, index);
    for (int i = 0; i < out->n; i++)
        rx_window_var(p, s, kinds[i], index[i], &out->w[i], &out->solves);
    return RX_OK;
}
