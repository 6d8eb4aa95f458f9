/*
 * spec.c - design specifications solved on warm-started circuit solves
 * (design/spec.h).
 *
 * Every circuit starts from the closest point found so far (the one of
 * least max |margin|), which the root finders converge on, and falls back
 * to the cold solve (rx_circuit_solve_from).  That point's plant and
 * solution are the result.
 */
#include "design/spec.h"

#include "core/gsl.h"
#include "design/targets.h"
#include "solver/continuation.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define PERCENT 100.0
/* Margins are clipped to this: a purity of exactly 1 (the impurity below
 * double precision) has an infinite one, and no root finder takes that. */
#define MARGIN_CAP 50.0
/* With several specs the start is kept this share of each range inside
 * its ends, where the bounded variable's derivative vanishes. */
#define START_INSIDE 1e-3
/* The first step of the secant bracket, as a share of the spec's range. */
#define BRACKET_STEP0 1e-4
/* A range end whose circuit does not solve moves halfway to the start,
 * at most this many times. */
#define END_HALVINGS 8

typedef struct {
    const RxPlant *p;
    const RxDesignSpec *d;
    const RxSolution *start;     /* the first circuit's start (borrowed), or NULL */
    int solves, newton;
    RxError err;                 /* why the last circuit failed */
    /* The closest point so far: its values, margins, targets' values,
     * plant and solution (owned). */
    double best_norm;
    double best_x[RX_MAX_DESIGN_VARS], best_f[RX_MAX_DESIGN_VARS], best_v[RX_MAX_DESIGN_VARS];
    RxPlant *best_q;
    RxSolution *best_s;
    int failed;                  /* a circuit inside the bracket did not solve */
} Ctx;

static RxContinuation param_of(const RxSpec *sp)
{
    static const int params[] = {RX_CONTINUE_FEED_FLOW, RX_CONTINUE_SAPONIFICATION, RX_CONTINUE_DRAW}; /* RX_SPEC_* */
    RxContinuation c = {.param = params[sp->kind], .feed = sp->index};
    return c;
}

int rx_spec_apply(RxPlant *q, int k, double x, RxError *err)
{
    RxContinuation c = param_of(&q->design.specs[k]);
    return rx_continuation_set(q, &c, x, err);
}

double rx_spec_value(const RxPlant *p, int k)
{
    RxContinuation c = param_of(&p->design.specs[k]);
    return rx_continuation_value(p, &c);
}

void rx_spec_format(const RxSpec *s, double v, char *buf, size_t n)
{
    if (s->kind == RX_SPEC_FLOW)
        snprintf(buf, n, "%.6g L/h", v);
    else
        snprintf(buf, n, "%.6g %%", v * PERCENT);
}

/* Solve the circuit at x from the closest point; f: the margins.  RX_OK,
 * or the circuit's failure (c->err). */
static int solve_at(Ctx *c, const double *x, double *f)
{
    const RxDesignSpec *d = c->d;
    RxPlant *q = NULL;
    RxSolution *s = NULL;
    double v[RX_MAX_DESIGN_VARS];
    int rc = rx_plant_copy(c->p, &q, &c->err);
    for (int k = 0; k < d->nspecs && rc == RX_OK; k++)
        rc = rx_spec_apply(q, k, x[k], &c->err);
    if (rc == RX_OK) {
        c->solves++;
        rc = rx_circuit_solve_from(q, c->best_s ? c->best_s : c->start, &s, &c->err);
    }
    if (rc != RX_OK) {
        rx_plant_destroy(&q);
        return rc;
    }
    c->newton += s->iterations;
    double norm = 0;
    for (int k = 0; k < d->nspecs; k++) {
        v[k] = rx_target_value(q, s, &d->specs[k].target);
        double m = rx_target_margin(&d->specs[k].target, v[k]);
        f[k] = isnan(m) ? MARGIN_CAP : fmax(-MARGIN_CAP, fmin(MARGIN_CAP, m));
        norm = fmax(norm, fabs(f[k]));
    }
    if (norm < c->best_norm) {
        c->best_norm = norm;
        memcpy(c->best_x, x, sizeof(double) * (size_t)d->nspecs);
        memcpy(c->best_f, f, sizeof(double) * (size_t)d->nspecs);
        memcpy(c->best_v, v, sizeof(double) * (size_t)d->nspecs);
        rx_plant_destroy(&c->best_q);
        rx_solution_destroy(&c->best_s);
        c->best_q = q;
        c->best_s = s;
    } else {
        rx_plant_destroy(&q);
        rx_solution_destroy(&s);
    }
    return RX_OK;
}

/* Every spec is met at the closest point. */
static int met(void *vc)
{
    const Ctx *c = vc;
    return c->best_norm <= RX_SPEC_TOL;
}

static double brent_f(double x, void *vc)
{
    Ctx *c = vc;
    double f;
    if (solve_at(c, &x, &f) != RX_OK) {
        c->failed = 1;
        return NAN; /* Brent stops */
    }
    return f;
}

/* One end of the range (x_end) with a circuit that solves, moved toward
 * x0 while it does not: RX_OK and its margin in *f. */
static int solvable_end(Ctx *c, double x0, double *x_end, double *f)
{
    for (int h = 0; h <= END_HALVINGS; h++, *x_end = 0.5 * (*x_end + x0))
        if (solve_at(c, x_end, f) == RX_OK)
            return RX_OK;
    return RX_NOT_CONVERGED;
}

/* A bracket [*a, *b] of the root from x0 (margin f0) by secant steps:
 * a small step gives the slope, then the secant's root, then steps that
 * double away from x0 in that direction up to the range's end.  RX_OK
 * with the bracket; RX_UNMET when that direction reaches its end with no
 * change of sign (or the slope is flat); RX_NOT_CONVERGED when a circuit
 * does not solve. */
static int secant_bracket(Ctx *c, double x0, double f0, double *a, double *b)
{
    const RxSpec *sp = &c->d->specs[0];
    double h = BRACKET_STEP0 * (sp->max - sp->min), x1 = x0 + h <= sp->max ? x0 + h : x0 - h, f1;
    if (solve_at(c, &x1, &f1) != RX_OK)
        return RX_NOT_CONVERGED;
    if ((f1 > 0) != (f0 > 0)) {
        *a = fmin(x0, x1), *b = fmax(x0, x1);
        return RX_OK;
    }
    double slope = (f1 - f0) / (x1 - x0);
    if (!(slope != 0) || !isfinite(slope))
        return RX_UNMET;
    double step = -f0 / slope, end = step > 0 ? sp->max : sp->min, x = x0, f = f0;
    for (;;) {
        double next = step > 0 ? fmin(end, x + step) : fmax(end, x + step), fn;
        if (next == x || solve_at(c, &next, &fn) != RX_OK)
            return next == x ? RX_UNMET : RX_NOT_CONVERGED;
        if ((fn > 0) != (f > 0)) {
            *a = fmin(x, next), *b = fmax(x, next);
            return RX_OK;
        }
        if (next == end)
            return RX_UNMET;
        x = next, f = fn, step *= 2;
    }
}

/* One spec: a bracket from the plant's value x0 by secant steps, else
 * from the range's ends, then Brent's method on it. */
static int solve_one(Ctx *c, double x0, int *iterations)
{
    const RxSpec *sp = &c->d->specs[0];
    double f0, lo = sp->min, hi = sp->max, flo, fhi, a = 0, b = 0;
    if (solve_at(c, &x0, &f0) != RX_OK)
        return RX_NOT_CONVERGED;
    if (met(c))
        return RX_OK;
    if (secant_bracket(c, x0, f0, &a, &b) != RX_OK) { /* the other way, or no slope: look at the ends */
        int have_lo = solvable_end(c, x0, &lo, &flo) == RX_OK, have_hi = solvable_end(c, x0, &hi, &fhi) == RX_OK;
        if (have_lo && (flo > 0) != (f0 > 0))
            a = lo, b = x0;
        else if (have_hi && (fhi > 0) != (f0 > 0))
            a = x0, b = hi;
        else
            return RX_UNMET;
    }
    if (met(c))
        return RX_OK;
    c->failed = 0; /* a bracket was found: only Brent's circuits count now */
    int rc = rx_root_brent(brent_f, c, a, b, 0, met, RX_SPEC_MAX_ITERATIONS, iterations, NULL, NULL);
    if (rc == RX_NO_MEMORY)
        return rc;
    return c->failed ? RX_NOT_CONVERGED : met(c) ? RX_OK : RX_UNMET;
}

/* Spec k's value at bounded variable t, and back. */
static double to_x(const RxSpec *sp, double t)
{
    return sp->min + (sp->max - sp->min) * (1.0 + sin(t)) / 2.0;
}

static double to_t(const RxSpec *sp, double x)
{
    double in = START_INSIDE * (sp->max - sp->min);
    x = fmin(fmax(x, sp->min + in), sp->max - in);
    return asin(2.0 * (x - sp->min) / (sp->max - sp->min) - 1.0);
}

static int hybrid_f(const double *t, double *f, void *vc)
{
    Ctx *c = vc;
    double x[RX_MAX_DESIGN_VARS];
    for (int k = 0; k < c->d->nspecs; k++)
        x[k] = to_x(&c->d->specs[k], t[k]);
    if (solve_at(c, x, f) != RX_OK) {
        c->failed = 1;
        return 1;
    }
    return 0;
}

/* Several specs: Powell's hybrid method in the bounded variables. */
static int solve_many(Ctx *c, const double *x0, int *iterations)
{
    double f0[RX_MAX_DESIGN_VARS], t0[RX_MAX_DESIGN_VARS];
    if (solve_at(c, x0, f0) != RX_OK)
        return RX_NOT_CONVERGED;
    if (met(c)) /* met where it starts */
        return RX_OK;
    for (int k = 0; k < c->d->nspecs; k++)
        t0[k] = to_t(&c->d->specs[k], x0[k]);
    if (rx_roots_hybrid(hybrid_f, c, c->d->nspecs, t0, met, RX_SPEC_MAX_ITERATIONS, iterations) == RX_NO_MEMORY)
        return RX_NO_MEMORY;
    if (met(c))
        return RX_OK;
    return c->failed && !c->best_q ? RX_NOT_CONVERGED : RX_UNMET;
}

/* The error of specs that cannot be met: the one furthest off at the
 * closest point. */
static int unmet_error(const Ctx *c, RxSpecResult *r, RxError *err)
{
    const RxDesignSpec *d = c->d;
    int w = 0;
    for (int k = 1; k < d->nspecs; k++)
        if (fabs(c->best_f[k]) > fabs(c->best_f[w]))
            w = k;
    r->worst = w;
    memcpy(r->best_x, c->best_x, sizeof r->best_x);
    memcpy(r->best_achieved, c->best_v, sizeof r->best_achieved);
    const RxSpec *sp = &d->specs[w];
    char at[64], lo[64], hi[64];
    rx_spec_format(sp, c->best_x[w], at, sizeof at);
    rx_spec_format(sp, sp->min, lo, sizeof lo);
    rx_spec_format(sp, sp->max, hi, sizeof hi);
    if (!c->best_q)
        return rx_error_set(err, RX_UNMET, c->p->path, "spec '%s' for %s: no circuit in its range solved",
                            sp->label, sp->target.label);
    return rx_error_set(err, RX_UNMET, c->p->path,
                        "spec '%s' cannot reach %s from %s to %s: closest %.6g %s at %s (%d circuits solved)",
                        sp->label, sp->target.label, lo, hi, rx_target_shown(&sp->target, c->best_v[w]),
                        rx_target_unit(&sp->target), at, c->solves);
}

int rx_spec_solve(const RxPlant *p, const RxSolution *start, RxSpecResult *out, RxError *err)
{
    memset(out, 0, sizeof *out);
    const RxDesignSpec *d = &p->design;
    if (d->nspecs < 1)
        return rx_error_set(err, RX_BAD_INPUT, p->path, "no design.specs to solve");
    Ctx c = {.p = p, .d = d, .start = start, .best_norm = INFINITY};
    rx_error_clear(&c.err);
    double x0[RX_MAX_DESIGN_VARS];
    for (int k = 0; k < d->nspecs; k++)
        x0[k] = fmin(fmax(rx_spec_value(p, k), d->specs[k].min), d->specs[k].max);
    int rc = d->nspecs == 1 ? solve_one(&c, x0[0], &out->iterations) : solve_many(&c, x0, &out->iterations);
    out->n = d->nspecs;
    out->solves = c.solves;
    out->newton = c.newton;
    if (rc == RX_OK && c.best_q) {
        memcpy(out->x, c.best_x, sizeof out->x);
        memcpy(out->achieved, c.best_v, sizeof out->achieved);
        memcpy(out->margin, c.best_f, sizeof out->margin);
        out->plant = c.best_q;
        out->sol = c.best_s;
        return RX_OK;
    }
    if (rc == RX_NOT_CONVERGED)
        rc = rx_error_set(err, RX_NOT_CONVERGED, p->path, "spec solve: %s", c.err.msg);
    else if (rc == RX_UNMET)
        rc = unmet_error(&c, out, err);
    else
        rc = rx_error_set(err, rc, p->path, "spec solve: %s", rx_status_str(rc));
    rx_plant_destroy(&c.best_q);
    rx_solution_destroy(&c.best_s);
    return rc;
}

void rx_spec_result_free(RxSpecResult *r)
{
    rx_plant_destroy(&r->plant);
    rx_solution_destroy(&r->sol);
}

/* One circuit of a flowsheet pass: its specs solved (from their values of
 * the last pass), or the circuit alone. */
static int spec_circuit(RxPlant **q, const RxPlant *last_plant, const RxSolution *last, RxSolution **s, RxError *err)
{
    if ((*q)->design.nspecs == 0)
        return rx_circuit_solve_from(*q, last, s, err);
    int rc = RX_OK;
    for (int k = 0; last_plant && k < (*q)->design.nspecs && rc == RX_OK; k++)
        rc = rx_spec_apply(*q, k, rx_spec_value(last_plant, k), err);
    RxSpecResult r;
    if (rc == RX_OK && (rc = rx_spec_solve(*q, last, &r, err)) == RX_OK) {
        rx_plant_destroy(q);
        *q = r.plant;
        *s = r.sol;
    }
    return rc;
}

int rx_flowsheet_spec_solve(const RxFlowsheet *fs, RxFlowsheetResult **out, RxError *err)
{
    for (int k = 0; k < fs->nconn; k++) {
        const RxPlant *to = fs->plant[fs->conn[k].to_c];
        for (int j = 0; j < to->design.nspecs; j++)
            if (to->design.specs[j].kind == RX_SPEC_FLOW && to->design.specs[j].index == fs->conn[k].to_feed) {
                *out = NULL;
                return rx_error_set(err, RX_BAD_INPUT, fs->path,
                                    "circuit '%s': spec '%s' varies a feed the connection from %s:%s feeds",
                                    fs->name[fs->conn[k].to_c], to->design.specs[j].label,
                                    fs->name[fs->conn[k].from_c], fs->conn[k].from);
            }
    }
    return rx_flowsheet_solve_by(fs, spec_circuit, out, err);
}
