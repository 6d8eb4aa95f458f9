/*
 * solver/dynamics.h - mixer-settlers in time (DESIGN §4), CVODES BDF.
 */
#ifndef RX_DYNAMICS_H
#define RX_DYNAMICS_H

#include "solver/circuit.h"

typedef struct RxSimResult {
    int completed;        /* 1 when the horizon was reached */
    int interrupted;      /* the stop signal (core/interrupt.h) that ended the run early, else 0 */
    double t_end;         /* h, last time integrated to */
    /* Time series: nrows rows of ncols values; header[c] names column c with its unit. */
    int nrows, ncols;
    char (*header)[80];
    double *rows;
    /* Final state (restartable) and the stage profile it means. */
    int nstate;
    double *state;
    RxSolution *final;
    /* Per product: first output time after which its purity stays within
     * 1 % and 0.1 % (relative) of its final value (near the horizon when it
     * is still moving at the end). */
    double *settle_1pct, *settle_01pct;
    /* Per species, mol: fed, left (quadrature), holdup at start and at end. */
    double *fed, *left, *holdup0, *holdup;
    /* Integrator statistics: steps, right-hand sides, Jacobians (each one
     * stage-model derivative per stage, no difference quotients). */
    long steps, rhs_evals, jac_evals;
    double seconds;
} RxSimResult;

/* Called after each output row: t and horizon in h. */
typedef void (*RxProgressFn)(double t, double horizon, void *ctx);

/* Integrate the plant's dynamics group.  Returns RX_OK, RX_BAD_INPUT (no
 * dynamics group, bad state file) or RX_NOT_CONVERGED (the integrator or a
 * stage solve failed; err says when, at which stage and compartment, and
 * the CVODE flag) or RX_INTERRUPTED (a stop signal, core/interrupt.h: the
 * run stops at the integrator step it is in and r->interrupted says which).
 * On RX_NOT_CONVERGED and RX_INTERRUPTED *out is still set: the rows
 * computed so far and the state reached, so they can be written. */
int rx_simulate(const RxPlant *p, RxProgressFn progress, void *ctx, RxSimResult **out, RxError *err);
void rx_sim_result_destroy(RxSimResult **r);

/* The state file `simulate` can restart from (initial = "state"), through
 * a unique temp file (core/fileio.h); run_id (may be NULL) goes on its
 * first line. */
int rx_write_state(const RxPlant *p, const RxSimResult *r, const char *path, RxError *err);
int rx_write_state_run(const RxPlant *p, const RxSimResult *r, const char *run_id, const char *path, RxError *err);

#endif
