/*
 * design/spec.h - design specifications (docs/design.md, "Specifications"):
 * the continuous variables of design.specs solved so that each spec's
 * target holds with equality, on warm-started circuit solves.
 *
 * One spec: Brent's method (GSL) on a bracket, so it cannot leave the
 * range or diverge.  Several: Powell's hybrid method (GSL hybrids, its own
 * finite-difference Jacobian and Broyden updates) in bounded variables
 * x = min + (max - min)(1 + sin t)/2, so no iterate leaves the box.  Each
 * spec's equation is its target's margin (design/targets.h): the log of
 * the impurity, loss or share against the target's, or the pH against it.
 */
#ifndef RX_SPEC_H
#define RX_SPEC_H

#include "solver/circuit.h"
#include "solver/flowsheet.h"

/* A spec is met when its margin is within this: a relative 1e-6 of the
 * impurity, loss or share the target allows (5e-9 of purity at 99.5 %),
 * or 1e-6 in pH. */
#define RX_SPEC_TOL 1e-6
/* Root-finder iterations at most (Brent's or the hybrid method's). */
#define RX_SPEC_MAX_ITERATIONS 100

typedef struct RxSpecResult {
    int n;                               /* specs */
    double x[RX_MAX_DESIGN_VARS];        /* solved values: L/h, or a fraction */
    double achieved[RX_MAX_DESIGN_VARS]; /* each target's value there (fraction or pH) */
    double margin[RX_MAX_DESIGN_VARS];   /* each spec's margin there (within RX_SPEC_TOL when solved) */
    int iterations;                      /* of the root finder */
    int solves;                          /* circuit solves, the failed included */
    int newton;                          /* their Newton iterations */
    RxPlant *plant;                      /* p at x (owned) */
    RxSolution *sol;                     /* its steady state (owned) */
    /* When the specs cannot be met (RX_UNMET): the spec furthest off at
     * the closest point found, and that point. */
    int worst;
    double best_x[RX_MAX_DESIGN_VARS], best_achieved[RX_MAX_DESIGN_VARS];
} RxSpecResult;

/* Solve p's design.specs from p's own values of the variables (clamped
 * into their ranges); start: a solution to start the first circuit from,
 * or NULL.  RX_OK: *out filled (free with rx_spec_result_free).
 * RX_UNMET: no value in the ranges meets them ("spec 'VAR' cannot reach
 * TARGET: closest VALUE at VAR = X"); out->plant is NULL and best_* say
 * how close it came.  RX_NOT_CONVERGED: a circuit inside the bracket did
 * not solve (err: where).  RX_BAD_INPUT without specs. */
int rx_spec_solve(const RxPlant *p, const RxSolution *start, RxSpecResult *out, RxError *err);
void rx_spec_result_free(RxSpecResult *r);
/* The flowsheet solved with each circuit's design.specs solved inside
 * the tear-stream loop (from where its last pass solved them), so the
 * specs hold for the plant as a whole; circuits without specs are solved
 * as rx_flowsheet_solve solves them.  A spec on a feed a connection feeds
 * is refused (RX_BAD_INPUT). */
int rx_flowsheet_spec_solve(const RxFlowsheet *fs, RxFlowsheetResult **out, RxError *err);
/* Spec k's variable set to x in plant q (RX_BAD_INPUT: the edit's message). */
int rx_spec_apply(RxPlant *q, int k, double x, RxError *err);
/* Spec k's value in plant p (L/h or fraction). */
double rx_spec_value(const RxPlant *p, int k);
/* v as shown, with its unit: "512.3 L/h", "36.1 %". */
void rx_spec_format(const RxSpec *s, double v, char *buf, size_t n);

#endif
