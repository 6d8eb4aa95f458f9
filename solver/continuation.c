/*
 * continuation.c - one parameter of a solved plant moved to a target in
 * warm-started steps (solver/continuation.h).
 *
 * Each step edits a copy of the last solved plant (core/plant_edit.c) and
 * solves it from the last solution alone (rx_circuit_solve_warm, at most
 * 40 iterations, no cold solve), so that a step too long for the warm
 * march costs little: the step is halved and tried again.  The
 * target is checked by the same edit first, so a value the plant cannot
 * take is refused at once rather than crept up to.
 */
#include "solver/continuation.h"

#include "models/model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A step that converged within FAST_ITERATIONS grows by GROW; a failed
 * one is cut by CUT. */
#define FAST_ITERATIONS 6
#define GROW 2.0
#define CUT 0.5
#define PERCENT 100.0

/* The parameter in words, for messages: "the flow of feed 'scrub'". */
static void describe(const RxPlant *p, const RxContinuation *c, char *buf, size_t n)
{
    if (c->param == RX_CONTINUE_SAPONIFICATION)
        snprintf(buf, n, "the saponification");
    else if (c->param == RX_CONTINUE_DRAW)
        snprintf(buf, n, "the fraction of draw '%s'", p->draws[c->feed].name);
    else
        snprintf(buf, n, "the %s of feed '%s'", c->param == RX_CONTINUE_FEED_FLOW ? "flow" : "acid",
                 p->feeds[c->feed].name);
}

/* v as a message shows it, with its unit: saponification in %. */
static void shown(const RxContinuation *c, double v, char *buf, size_t n)
{
    if (c->param == RX_CONTINUE_SAPONIFICATION || c->param == RX_CONTINUE_DRAW)
        snprintf(buf, n, "%.6g %%", v * PERCENT);
    else
        snprintf(buf, n, "%.6g %s", v, c->param == RX_CONTINUE_FEED_FLOW ? "L/h" : "mol/L H+");
}

double rx_continuation_value(const RxPlant *p, const RxContinuation *c)
{
    if (c->param == RX_CONTINUE_SAPONIFICATION)
        return p->saponification;
    if (c->param == RX_CONTINUE_DRAW)
        return c->feed >= 0 && c->feed < p->ndraws ? p->draws[c->feed].fraction : NAN;
    if ((c->param != RX_CONTINUE_FEED_FLOW && c->param != RX_CONTINUE_FEED_ACID) || c->feed < 0 ||
        c->feed >= p->nfeeds)
        return NAN;
    return c->param == RX_CONTINUE_FEED_FLOW ? p->feeds[c->feed].flow : p->feeds[c->feed].h;
}

int rx_continuation_set(RxPlant *q, const RxContinuation *c, double v, RxError *err)
{
    int rc;
    if (c->param == RX_CONTINUE_SAPONIFICATION)
        rc = rx_plant_set_saponification(q, v, err);
    else if (c->param == RX_CONTINUE_DRAW)
        rc = rx_plant_set_draw_fraction(q, c->feed, v, err);
    else {
        RxFeedSet fs = {.feed = c->feed, .flow = -1, .acid = -1, .ncomp = 0};
        if (c->param == RX_CONTINUE_FEED_FLOW)
            fs.flow = v;
        else
            fs.acid = v;
        rc = rx_plant_set_feed(q, &fs, err);
    }
    return rc == RX_OK ? rx_model_check_organic(q, err) : rc;
}

/* RX_OK when c can move p's parameter from start s; the target is tried
 * on a copy of p. */
static int check_spec(const RxPlant *p, const RxSolution *s, const RxContinuation *c, RxError *err)
{
    if (!p || !s || !c || !p->model)
        return rx_error_set(err, RX_BAD_INPUT, NULL, "continuation: no plant, model or solution to start from");
    if (!isfinite(rx_continuation_value(p, c)))
        return rx_error_set(err, RX_BAD_INPUT, p->path, "continuation: no parameter %d of feed %d to move", c->param,
                            c->feed + 1);
    char what[RX_NAME_LEN + 32];
    describe(p, c, what, sizeof what);
    if (c->param == RX_CONTINUE_FEED_ACID && p->feeds[c->feed].phase != RX_AQ)
        return rx_error_set(err, RX_BAD_INPUT, p->path, "continuation in %s: an organic feed has no acid", what);
    if (!isfinite(c->target) || !(c->first_step >= 0) || !(c->min_step >= 0) || c->max_solves < 0)
        return rx_error_set(err, RX_BAD_INPUT, p->path,
                            "continuation in %s: the target (%g), first step (%g), least step (%g) and solves (%d) "
                            "must be finite and not negative",
                            what, c->target, c->first_step, c->min_step, c->max_solves);
    if (s->N != p->nstages || s->M != p->nsp)
        return rx_error_set(err, RX_BAD_INPUT, p->path,
                            "continuation in %s: the start has %d stages and %d species, the plant %d and %d", what,
                            s->N, s->M, p->nstages, p->nsp);
    RxPlant *q = NULL;
    RxError why;
    int rc = rx_plant_copy(p, &q, err);
    if (rc == RX_OK && (rc = rx_continuation_set(q, c, c->target, &why)) != RX_OK) {
        char v[64];
        shown(c, c->target, v, sizeof v);
        rc = rx_error_set(err, RX_BAD_INPUT, p->path, "continuation in %s: the target %s is refused: %.500s", what, v,
                          why.msg);
    }
    rx_plant_destroy(&q);
    return rc;
}

/* One step: a copy of plant `from` with the parameter at v, solved from
 * start alone.  RX_OK with *q and *s; otherwise err says why (an edit
 * refused v, or the warm solve did not converge). */
static int step(const RxPlant *from, const RxSolution *start, const RxContinuation *c, double v, RxPlant **q,
                RxSolution **s, RxError *err)
{
    *s = NULL;
    int rc = rx_plant_copy(from, q, err);
    if (rc == RX_OK)
        rc = rx_continuation_set(*q, c, v, err);
    if (rc == RX_OK)
        rc = rx_circuit_solve_warm(*q, start, s, err);
    if (rc != RX_OK)
        rx_plant_destroy(q);
    return rc;
}

void rx_continuation_result_free(RxContinuationResult *r)
{
    if (!r)
        return;
    rx_plant_destroy(&r->plant);
    rx_solution_destroy(&r->sol);
    memset(r, 0, sizeof *r);
}

/* The error of a continuation that could go no further than v. */
static int stalled(const RxPlant *p, const RxContinuation *c, double v, const char *why, const RxError *last,
                   RxError *err)
{
    char what[RX_NAME_LEN + 32], at[64], to[64];
    describe(p, c, what, sizeof what);
    shown(c, v, at, sizeof at);
    shown(c, c->target, to, sizeof to);
    return rx_error_set(err, RX_NOT_CONVERGED, p->path, "continuation in %s stalled at %s (towards %s): %s: %.400s",
                        what, at, to, why, last->msg);
}

int rx_continue(const RxPlant *p, const RxSolution *s, const RxContinuation *c, RxContinuationResult *out,
                RxError *err)
{
    memset(out, 0, sizeof *out);
    int rc = check_spec(p, s, c, err);
    if (rc != RX_OK)
        return rc;
    double v = rx_continuation_value(p, c), dist = fabs(c->target - v), dir = c->target >= v ? 1.0 : -1.0;
    double h = c->first_step > 0 && c->first_step < dist ? c->first_step : dist;
    double hmin = c->min_step > 0 ? c->min_step : RX_CONTINUE_MIN_SHARE * dist;
    int max_solves = c->max_solves > 0 ? c->max_solves : RX_CONTINUE_MAX_SOLVES, solves = 0;
    RxContinuationResult r = {0};
    RxError last;
    rx_error_clear(&last);
    const RxPlant *from = p;
    const RxSolution *start = s;
    for (int done = 0; !done;) {
        if (solves++ == max_solves) {
            rc = stalled(p, c, v, "no solves left", &last, err);
            break;
        }
        int at_target = fabs(c->target - v) <= h;
        double vt = at_target ? c->target : v + dir * h;
        RxPlant *q = NULL;
        RxSolution *sol = NULL;
        if ((rc = step(from, start, c, vt, &q, &sol, &last)) == RX_NO_MEMORY)
            break;
        if (rc != RX_OK) { /* too long a step, or a value on the way the edit refuses */
            r.failed++;
            if ((h *= CUT) < hmin || !(h > 0)) {
                rc = stalled(p, c, v, "the step fell below its least", &last, err);
                break;
            }
            continue;
        }
        r.steps++;
        r.iterations += sol->iterations;
        if (sol->iterations <= FAST_ITERATIONS)
            h *= GROW;
        rx_plant_destroy(&r.plant);
        rx_solution_destroy(&r.sol);
        r.plant = q;
        r.sol = sol;
        from = q;
        start = sol;
        v = vt;
        done = at_target;
    }
    if (rc != RX_OK) {
        rx_continuation_result_free(&r);
        if (rc == RX_NO_MEMORY)
            rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
        return rc;
    }
    *out = r;
    return RX_OK;
}
