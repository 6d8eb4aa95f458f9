/*
 * solver/dynamics.c - the CVODES driver of the mixer-settler cascade in time
 * (DESIGN §4), and the only file that uses CVODES: BDF, Newton with the
 * structured linear solver of solver/dyn_linsolve.c, and quadratures for the
 * integrated outflows.  The model it integrates (state layout, right-hand
 * side, time-series rows) is solver/dyn_model.c; the state file it can start
 * from, solver/dyn_state.c.
 *
 * Feeds change only at scheduled events, where the integrator restarts (the
 * quadratures and counters of each segment are carried over).  Rows of the
 * time series are taken at t0 + i * interval up to the horizon.
 */
#include "solver/dyn_internal.h"

#include "core/interrupt.h"

#include <cvodes/cvodes.h>
#include <math.h>
#include <nvector/nvector_serial.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Settling: purity within 1 % and 0.1 % (relative) of its final value. */
#define DYN_SETTLE_1 0.01
#define DYN_SETTLE_01 0.001
/* Output and event times closer than this (h) are the same time. */
#define DYN_TIME_EPS 1e-9
/* integrate()'s flag for a time-series row with a number that is not finite
 * (Run.bad_col says which): below every CVODE flag, which end at -99. */
#define DYN_BAD_ROW (-1000)
/* Rows of the time series at most (the config refuses more). */
#define DYN_MAX_ROWS 1000000
/* Newton stops when its estimated error is below this share of the local
 * error tolerance.  CVODES' default is 0.1; 0.33 is IDA's (and DASSL's)
 * for the same BDF corrector.  On the 100-stage bench start-up it saves a
 * sixth of the right-hand sides (5869 -> 4837) and keeps the time series
 * as close to an rtol = 1e-10 run as 0.1 does (docs/dynamics.md). */
#define DYN_NLS_COEF 0.33

/* One run: the model, CVODES with its vectors and linear solver, and where
 * the march through output times and events stands. */
typedef struct {
    const RxPlant *p;         /* borrowed */
    RxDyn D;
    SUNContext sctx;
    N_Vector y, q;            /* state, mol; quadratures: metal that left, mol */
    N_Vector atol, ele, ewt;  /* absolute tolerances; local error estimates and their weights */
    SUNMatrix J;              /* the Jacobian, in CVLS's hands */
    SUNLinearSolver LS;
    void *mem;                /* CVODES */
    char cvode_msg[300];      /* CVODES's own last error message */
    int nout;                 /* rows the result has room for */
    double t, t_seg;          /* h: time reached; start of the segment since the last restart */
    int next_event;           /* first event not yet in force */
    int bad_col;              /* time-series column that was not finite, -1 */
} Run;

/* ---- CVODES' view of the model ------------------------------------------- */

/* A stop signal fails the right-hand side (unrecoverably, CV_RHSFUNC_FAIL):
 * CVODES returns at once with the state of its last step, so even one long
 * output interval stops within a step. */
#define RHS_STOP (-1)

static int cv_rhs(sunrealtype t, N_Vector y, N_Vector ydot, void *data)
{
    (void)t;
    if (rx_interrupted())
        return RHS_STOP;
    return rx_dyn_rhs(data, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot));
}

static int cv_quad(sunrealtype t, N_Vector y, N_Vector qdot, void *data)
{
    (void)t;
    return rx_dyn_outflow_rates(data, N_VGetArrayPointer(y), N_VGetArrayPointer(qdot));
}

/* J for CVLS, when it decides J is due (its Jacobian frequency, or a
 * failed Newton iteration): the stage model's split derivatives at y. */
static int cv_jac(sunrealtype t, N_Vector y, N_Vector fy, SUNMatrix J, void *data, N_Vector t1, N_Vector t2,
                  N_Vector t3)
{
    (void)t;
    (void)fy;
    (void)data;
    (void)t1;
    (void)t2;
    (void)t3;
    return rx_dyn_jac_eval(J, N_VGetArrayPointer(y));
}

/* CVODES reports through this instead of printing: the core never prints. */
static void keep_error(int code, const char *module, const char *function, char *msg, void *data)
{
    (void)code;
    Run *R = data;
    snprintf(R->cvode_msg, sizeof R->cvode_msg, "%s %s: %s", module, function, msg);
}

/* ---- events and statistics ----------------------------------------------- */

/* Add the integrator's counters of this segment to r. */
static void add_stats(void *mem, RxSimResult *r)
{
    long v[3] = {0, 0, 0};
    CVodeGetNumSteps(mem, &v[0]);
    CVodeGetNumRhsEvals(mem, &v[1]);
    CVodeGetNumJacEvals(mem, &v[2]);
    r->steps += v[0];
    r->rhs_evals += v[1];
    r->jac_evals += v[2];
}

/* Metal fed over dt hours at the current feeds, added to fed (mol). */
static void add_fed(const RxDyn *D, double dt, double *fed)
{
    for (int k = 0; k < D->N; k++)
        for (int j = 0; j < D->M; j++)
            fed[j] += dt * D->fl.f[k * D->M + j];
}

/* Put the events due by time t in force (*next: the first not yet in
 * force) and renew the flows; 1 when there were any. */
static int apply_events_at(RxDyn *D, double t, int *next)
{
    const RxDynamicsSpec *ds = &D->p->dynamics;
    int any = 0;
    while (*next < ds->nevents && ds->events[*next].time <= t + DYN_TIME_EPS) {
        D->feeds[ds->events[*next].feed] = ds->events[*next].state;
        (*next)++;
        any = 1;
    }
    if (any)
        rx_cascade_flows(D->p, D->feeds, &D->fl);
    return any;
}

/* ---- the result ---------------------------------------------------------- */

void rx_sim_result_destroy(RxSimResult **rp)
{
    if (!rp || !*rp)
        return;
    RxSimResult *r = *rp;
    free(r->header);
    free(r->rows);
    free(r->state);
    rx_solution_destroy(&r->final);
    free(r->settle_1pct);
    free(r->settle_01pct);
    free(r->fed);
    free(r->left);
    free(r->holdup0);
    free(r->holdup);
    free(r);
    *rp = NULL;
}

/* Rows of the time series from 0 to the horizon, at most DYN_MAX_ROWS. */
static int max_rows(const RxDynamicsSpec *ds)
{
    double rows = ceil(ds->horizon / ds->interval - DYN_TIME_EPS) + 1;
    return rows < DYN_MAX_ROWS ? (int)rows : DYN_MAX_ROWS;
}

/* A result for p with room for nout rows, a state of n and M species. */
static int result_alloc(const RxPlant *p, int n, int M, int nout, RxSimResult **out)
{
    RxSimResult *r = calloc(1, sizeof *r);
    if (!r)
        return RX_NO_MEMORY;
    r->ncols = rx_dyn_series_columns(p);
    r->header = calloc((size_t)r->ncols, sizeof *r->header);
    r->rows = calloc((size_t)nout * (size_t)r->ncols, sizeof(double));
    r->state = calloc((size_t)n, sizeof(double));
    r->settle_1pct = calloc((size_t)(p->nproducts + 1), sizeof(double));
    r->settle_01pct = calloc((size_t)(p->nproducts + 1), sizeof(double));
    r->fed = calloc((size_t)M, sizeof(double));
    r->left = calloc((size_t)M, sizeof(double));
    r->holdup0 = calloc((size_t)M, sizeof(double));
    r->holdup = calloc((size_t)M, sizeof(double));
    if (!r->header || !r->rows || !r->state || !r->settle_1pct || !r->settle_01pct || !r->fed || !r->left ||
        !r->holdup0 || !r->holdup) {
        rx_sim_result_destroy(&r);
        return RX_NO_MEMORY;
    }
    rx_dyn_series_header(p, r->header);
    r->nstate = n;
    *out = r;
    return RX_OK;
}

/* ---- the run ------------------------------------------------------------- */

/* The SUNDIALS context and vectors of the run. */
static int run_vectors(Run *R, RxError *err)
{
    int n = R->D.n, M = R->D.M;
    if (SUNContext_Create(NULL, &R->sctx) != 0 || !(R->y = N_VNew_Serial(n, R->sctx)) ||
        !(R->q = N_VNew_Serial(M, R->sctx)) || !(R->atol = N_VNew_Serial(n, R->sctx)) ||
        !(R->ele = N_VNew_Serial(n, R->sctx)) || !(R->ewt = N_VNew_Serial(n, R->sctx)))
        return rx_error_set(err, RX_NO_MEMORY, NULL, "cannot create SUNDIALS vectors");
    /* Fused vector operations: fewer passes over the state per step. */
    N_VEnableFusedOps_Serial(R->y, SUNTRUE);
    return RX_OK;
}

/* The initial state in R->y and its time R->t, as the config chose. */
static int initial_state(Run *R, RxError *err)
{
    const RxDynamicsSpec *ds = &R->p->dynamics;
    double *u = N_VGetArrayPointer(R->y);
    R->t = 0;
    if (ds->initial == RX_START_STEADY)
        return rx_dyn_start_steady(&R->D, u, err);
    if (ds->initial == RX_START_STATE)
        return rx_dyn_start_from_file(&R->D, u, &R->t, err);
    rx_dyn_start_barren(&R->D, u);
    return RX_OK;
}

/* CVODES from R->y at R->t: tolerances (atol, mol/L, times each
 * compartment's volume), the block linear solver, the outflow quadrature. */
static int cvodes_setup(Run *R, RxError *err)
{
    const RxDynamicsSpec *ds = &R->p->dynamics;
    rx_dyn_abs_tolerances(&R->D, ds->atol, N_VGetArrayPointer(R->atol));
    N_VConst(0.0, R->q);
    if (!(R->mem = CVodeCreate(CV_BDF, R->sctx)) || CVodeInit(R->mem, cv_rhs, R->t, R->y) != CV_SUCCESS ||
        CVodeSVtolerances(R->mem, ds->rtol, R->atol) != CV_SUCCESS ||
        CVodeSetUserData(R->mem, &R->D) != CV_SUCCESS || CVodeSetErrHandlerFn(R->mem, keep_error, R) != CV_SUCCESS ||
        CVodeSetMaxNumSteps(R->mem, ds->max_steps) != CV_SUCCESS ||
        CVodeSetNonlinConvCoef(R->mem, DYN_NLS_COEF) != CV_SUCCESS ||
        !(R->J = rx_dyn_jac_create(&R->D, R->sctx)) || !(R->LS = rx_dyn_linsolve_create(&R->D, R->sctx)) ||
        CVodeSetLinearSolver(R->mem, R->LS, R->J) != CV_SUCCESS || CVodeSetJacFn(R->mem, cv_jac) != CV_SUCCESS ||
        CVodeQuadInit(R->mem, cv_quad, R->q) != CV_SUCCESS ||
        CVodeQuadSStolerances(R->mem, ds->rtol, ds->atol * rx_dyn_circuit_volume(&R->D)) != CV_SUCCESS ||
        CVodeSetQuadErrCon(R->mem, SUNTRUE) != CV_SUCCESS)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "cannot set up CVODES");
    return RX_OK;
}

/* Restart at an event: the segment's fed metal, quadratures and counters
 * are kept, the event's feeds put in force.  1 if CVODES will not restart. */
static int restart_at_event(Run *R, RxSimResult *r)
{
    double seg = R->t; /* quadratures so far survive the restart */
    long taken = 0;
    CVodeGetNumSteps(R->mem, &taken);
    if (taken > 0)
        CVodeGetQuad(R->mem, &seg, R->q);
    add_fed(&R->D, R->t - R->t_seg, r->fed);
    R->t_seg = R->t;
    add_stats(R->mem, r); /* CVodeReInit zeroes the counters */
    apply_events_at(&R->D, R->t, &R->next_event);
    if (CVodeReInit(R->mem, R->t, R->y) != CV_SUCCESS || CVodeQuadReInit(R->mem, R->q) != CV_SUCCESS)
        return 1;
    return 0;
}

/* Integrate from R->t to the horizon: a row of r at every output time (while
 * there is room), a restart at every event.  Returns the last CVODE flag
 * (< 0: failed at R->t). */
static int integrate(Run *R, RxSimResult *r, RxProgressFn progress, void *ctx)
{
    const RxDynamicsSpec *ds = &R->p->dynamics;
    double *u = N_VGetArrayPointer(R->y), horizon = ds->horizon;
    int flag = CV_SUCCESS;
    rx_dyn_split_mixers(&R->D, u);
    if ((R->bad_col = rx_dyn_series_row(&R->D, u, R->t, r->rows)) >= 0)
        return DYN_BAD_ROW;
    r->nrows = 1;
    double next_out = R->t + ds->interval;
    R->t_seg = R->t;
    while (R->t < horizon - DYN_TIME_EPS && !rx_interrupted()) {
        double t_event = R->next_event < ds->nevents ? ds->events[R->next_event].time : horizon;
        double tstop = fmin(t_event, horizon), tout = fmin(next_out, tstop);
        CVodeSetStopTime(R->mem, tstop);
        flag = CVode(R->mem, tout, R->y, &R->t, CV_NORMAL);
        if (flag < 0)
            break;
        if (R->t >= next_out - DYN_TIME_EPS || R->t >= horizon - DYN_TIME_EPS) {
            if (r->nrows < R->nout) {
                rx_dyn_split_mixers(&R->D, u);
                R->bad_col = rx_dyn_series_row(&R->D, u, R->t, r->rows + (size_t)r->nrows * (size_t)r->ncols);
                if (R->bad_col >= 0) {
                    flag = DYN_BAD_ROW; /* the rows before it stand; this one is not kept */
                    break;
                }
                r->nrows++;
            }
            next_out += ds->interval;
            if (progress)
                progress(R->t, horizon, ctx);
        }
        if (R->t >= t_event - DYN_TIME_EPS && R->next_event < ds->nevents && restart_at_event(R, r)) {
            flag = CV_ILL_INPUT;
            break;
        }
    }
    return flag;
}

/* The end of the run into r: fed and left metal, counters, the final state
 * and its profile, settling times.  flag: integrate()'s. */
static void finish(Run *R, RxSimResult *r, int flag, double t_start)
{
    const RxPlant *p = R->p;
    int M = R->D.M;
    double *u = N_VGetArrayPointer(R->y);
    r->t_end = R->t;
    add_fed(&R->D, R->t - R->t_seg, r->fed);
    double tq = R->t;
    long taken = 0;
    CVodeGetNumSteps(R->mem, &taken);
    /* Stopped by a signal, CVODES has returned the last step's state and
     * time, and its quadratures hold there too. */
    int whole = flag >= 0 || (flag == CV_RHSFUNC_FAIL && rx_interrupted());
    if (whole && taken > 0 && CVodeGetQuad(R->mem, &tq, R->q) != CV_SUCCESS)
        N_VConst(0.0, R->q);
    add_stats(R->mem, r);
    memcpy(r->state, u, sizeof(double) * (size_t)R->D.n);
    memcpy(r->left, N_VGetArrayPointer(R->q), sizeof(double) * (size_t)M);
    rx_dyn_holdup(&R->D, u, r->holdup);
    rx_dyn_split_mixers(&R->D, u);
    r->final = rx_dyn_profile(&R->D, u);
    for (int i = 0; i < p->nproducts; i++) {
        int col = 1 + i * (3 + M) + 1; /* product i's purity (rx_dyn_series_header) */
        r->settle_1pct[i] = rx_dyn_settle_time(r, col, DYN_SETTLE_1);
        r->settle_01pct[i] = rx_dyn_settle_time(r, col, DYN_SETTLE_01);
    }
    r->seconds = rx_clock() - t_start;
    r->completed = flag >= 0 && R->t >= p->dynamics.horizon - DYN_TIME_EPS;
}

/* The error of a row with a number that is not finite, at R->t.  The
 * raffinate's [H+] is what its settler aqueous leaves of the chloride
 * after the metal charge: at a high pH that difference is below what the
 * integrator resolves of either (its relative tolerance rtol, and its
 * absolute tolerance atol in mol/L, 1e-9 by default, well above [H+] at pH
 * 9), and it can come out at or below 0. */
static int bad_row_error(const Run *R, const RxSimResult *r, RxError *err)
{
    const RxPlant *p = R->p;
    int ph_col = rx_dyn_series_columns(p) - 1 - p->dynamics.nwatch; /* rx_dyn_series_header */
    if (R->bad_col == ph_col)
        return rx_error_set(err, RX_NOT_CONVERGED, p->path,
                            "at t = %.6g h, stage 1: the raffinate's [H+] is %.3g mol/L (chloride %.4g mol/L less "
                            "the metal charge of the settler aqueous), which has no pH: the integration does not "
                            "resolve the free acid there (tighten dynamics.rtol and dynamics.atol, e.g. 1e-10 and "
                            "\"1e-14 mol/L\")",
                            R->t, R->D.raff_h, R->D.raff_cl);
    return rx_error_set(err, RX_NOT_CONVERGED, p->path, "at t = %.6g h, %s is not a finite number", R->t,
                        r->header[R->bad_col]);
}

/* The error of a failed integration: when, where (the stage whose
 * equilibrium failed, else the component of the largest weighted local
 * error), CVODE's flag and its own message. */
static int failure_error(Run *R, const RxSimResult *r, int flag, RxError *err)
{
    if (flag == DYN_BAD_ROW)
        return bad_row_error(R, r, err);
    double tf = R->t;
    CVodeGetCurrentTime(R->mem, &tf);
    char where[160] = "unknown";
    if (R->D.bad_stage >= 0)
        snprintf(where, sizeof where, "stage %d (equilibrium solve)", R->D.bad_stage + 1);
    else if (CVodeGetEstLocalErrors(R->mem, R->ele) == CV_SUCCESS && CVodeGetErrWeights(R->mem, R->ewt) == CV_SUCCESS) {
        const double *e = N_VGetArrayPointer(R->ele), *w = N_VGetArrayPointer(R->ewt);
        int worst = 0;
        for (int i = 1; i < R->D.n; i++)
            if (fabs(e[i] * w[i]) > fabs(e[worst] * w[worst]))
                worst = i;
        rx_dyn_component_name(&R->D, worst, where, sizeof where);
    }
    char *flagname = CVodeGetReturnFlagName(flag);
    int rc = rx_error_set(err, RX_NOT_CONVERGED, R->p->path,
                          "integration failed at t = %.6g h, largest error at %s: %s (%s)", tf, where,
                          flagname ? flagname : "?", R->cvode_msg);
    free(flagname);
    return rc;
}

static void run_free(Run *R)
{
    CVodeFree(&R->mem);
    SUNLinSolFree(R->LS);
    if (R->J)
        SUNMatDestroy(R->J);
    N_Vector *vecs[] = {&R->y, &R->q, &R->atol, &R->ele, &R->ewt};
    for (size_t i = 0; i < sizeof vecs / sizeof vecs[0]; i++)
        if (*vecs[i])
            N_VDestroy(*vecs[i]);
    SUNContext_Free(&R->sctx);
    rx_dyn_free(&R->D);
}

int rx_simulate(const RxPlant *p, RxProgressFn progress, void *ctx, RxSimResult **out, RxError *err)
{
    const RxDynamicsSpec *ds = &p->dynamics;
    if (!ds->present)
        return rx_error_set(err, RX_BAD_INPUT, p->path, "dynamics: missing (simulate needs a dynamics group)");
    if (ds->refused.code != RX_OK) {
        if (err)
            *err = ds->refused;
        return ds->refused.code;
    }
    double t_start = rx_clock();
    Run R;
    memset(&R, 0, sizeof R);
    R.bad_col = -1;
    R.p = p;
    RxSimResult *r = NULL;
    int rc = rx_dyn_setup(&R.D, p, err);
    if (rc == RX_OK) {
        R.nout = max_rows(ds);
        if (result_alloc(p, R.D.n, R.D.M, R.nout, &r) != RX_OK)
            rc = rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    }
    if (rc == RX_OK)
        rc = run_vectors(&R, err);
    if (rc == RX_OK)
        rc = initial_state(&R, err);
    if (rc != RX_OK)
        goto done;
    /* Events before the start time (a restart) are already in force. */
    apply_events_at(&R.D, R.t, &R.next_event);
    rx_dyn_holdup(&R.D, N_VGetArrayPointer(R.y), r->holdup0);
    if ((rc = cvodes_setup(&R, err)) != RX_OK)
        goto done;
    int flag = integrate(&R, r, progress, ctx);
    finish(&R, r, flag, t_start);
    if (!r->completed && rx_interrupted()) {
        r->interrupted = rx_interrupted();
        rc = rx_error_set(err, RX_INTERRUPTED, p->path, "interrupted by %s at t = %.6g h (horizon %.6g h)",
                          rx_signal_name(r->interrupted), r->t_end, ds->horizon);
    } else if (flag < 0)
        rc = failure_error(&R, r, flag, err);
    else if (r->final)
        rc = rx_solution_check(p, r->final, err); /* the final profile: every number finite */
done:
    if (rc == RX_OK || (r && r->rows && r->final))
        *out = r;
    else
        rx_sim_result_destroy(&r);
    run_free(&R);
    return rc;
}
