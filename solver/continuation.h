/*
 * solver/continuation.h - move one operating parameter of a solved plant
 * to a target value in steps, each solved from the last (docs/model.md,
 * "Warm starts and continuation").
 *
 * Far from a solution the steady solver needs its cold, nested solve (tens
 * to hundreds of Newton iterations); near one, the warm march converges in
 * a few.  Continuation keeps every solve near: it takes a step, solves it
 * from the last solution alone (rx_circuit_solve_warm), lengthens the step
 * after an easy solve and halves it after a failed one.  Besides being fast, it follows one branch
 * of steady states from the plant as it runs, which is the question an
 * operator asks ("what if I open the organic 2 % more?") and what an
 * operating window is traced along.
 */
#ifndef RX_CONTINUATION_H
#define RX_CONTINUATION_H

#include "solver/circuit.h"

/* The parameter moved:
 *   RX_CONTINUE_FEED_FLOW       flow of feed `feed`, L/h (> 0)
 *   RX_CONTINUE_FEED_ACID       free acid of aqueous feed `feed`, mol/L H+ (> 0)
 *   RX_CONTINUE_SAPONIFICATION  extractant.saponification, fraction (mol
 *                               base per mol HA; 0 < s < 0.5) with the
 *                               organic feeds that follow it
 *                               (rx_plant_set_saponification)
 *   RX_CONTINUE_DRAW            share of its outflow draw `feed` takes,
 *                               fraction (0 < f <= 1) */
enum { RX_CONTINUE_FEED_FLOW = 0, RX_CONTINUE_FEED_ACID = 1, RX_CONTINUE_SAPONIFICATION = 2, RX_CONTINUE_DRAW = 3 };

/* Defaults of the step control (fields left 0 in RxContinuation). */
#define RX_CONTINUE_MIN_SHARE 1e-6 /* smallest step: this share of the whole move */
#define RX_CONTINUE_MAX_SOLVES 1000 /* solves in all, accepted or not */

typedef struct RxContinuation {
    int param;           /* RX_CONTINUE_* */
    int feed;            /* index into RxPlant.feeds for the feed parameters, RxPlant.draws for RX_CONTINUE_DRAW */
    double target;       /* the value to reach, in the parameter's unit */
    double first_step;   /* the first step (same unit, > 0); 0: the whole way at once */
    double min_step;     /* give up when the step falls below it; 0: RX_CONTINUE_MIN_SHARE of the move */
    int max_solves;      /* 0: RX_CONTINUE_MAX_SOLVES */
} RxContinuation;

typedef struct RxContinuationResult {
    RxPlant *plant;      /* p with the parameter at the target (owned) */
    RxSolution *sol;     /* its steady state (owned), closed to RX_CLOSURE_TOL */
    int steps;           /* steps accepted */
    int failed;          /* steps that did not converge and were halved */
    int iterations;      /* Newton iterations of the accepted steps' solves */
} RxContinuationResult;

/* From plant p (borrowed) and s (borrowed: its steady state, or any start
 * with its N, M and T), move c->param to c->target.  RX_OK and *out
 * filled (free it with rx_continuation_result_free); otherwise *out is
 * zeroed and:
 *   RX_BAD_INPUT      an unknown parameter, a feed that has no such
 *                     parameter, a target the plant edit refuses (named
 *                     with the edit's message), a bad step setting, or s
 *                     not of p's size;
 *   RX_NOT_CONVERGED  "continuation in <parameter> stalled at <value>
 *                     <unit> ...": the step fell below the minimum (err
 *                     gives the last solver or edit message), or the solves
 *                     ran out;
 *   RX_NO_MEMORY. */
int rx_continue(const RxPlant *p, const RxSolution *s, const RxContinuation *c, RxContinuationResult *out,
                RxError *err);
void rx_continuation_result_free(RxContinuationResult *r);

/* The parameter's value in plant p (NAN when c names no such parameter). */
double rx_continuation_value(const RxPlant *p, const RxContinuation *c);
/* q with the parameter at v, checked as the loader checks a plant
 * (RX_BAD_INPUT with the edit's message); after an error q is half
 * edited: destroy it. */
int rx_continuation_set(RxPlant *q, const RxContinuation *c, double v, RxError *err);

#endif
