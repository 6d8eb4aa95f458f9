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
/* Rows of the time series at most (the config refuses more). */
#define DYN_MAX_ROWS 1000000
/* Room for CVODES's last error message. */
#define DYN_MSG_LEN 300

/* ---- CVODES' view of the model ------------------------------------------- */

static int cv_rhs(sunrealtype t, N_Vector y, N_Vector ydot, void *data)
{
    (void)t;
    return rx_dyn_rhs(data, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot));
}

static int cv_quad(sunrealtype t, N_Vector y, N_Vector qdot, void *data)
{
    (void)t;
    return rx_dyn_outflow_rates(data, N_VGetArrayPointer(y), N_VGetArrayPointer(qdot));
}

/* The block linear solver's questions, answered from CVODES' nonlinear system. */
static int cv_query(void *mem, RxDynLsQuery *q)
{
    sunrealtype tcur, gamma, rl1;
    N_Vector ypred, yn, fn, zn1;
    void *ud;
    if (CVodeGetNonlinearSystemData(mem, &tcur, &ypred, &yn, &fn, &gamma, &rl1, &zn1, &ud) != CV_SUCCESS)
        return 1;
    q->gamma = gamma;
    q->y = N_VGetArrayPointer(yn);
    q->steps = q->conv_fails = 0;
    CVodeGetNumSteps(mem, &q->steps);
    CVodeGetNumNonlinSolvConvFails(mem, &q->conv_fails);
    return 0;
}

/* CVODES reports through this instead of printing: the core never prints. */
static void keep_error(int code, const char *module, const char *function, char *msg, void *data)
{
    (void)code;
    snprintf(data, DYN_MSG_LEN, "%s %s: %s", module, function, msg);
}

/* ---- events and statistics ----------------------------------------------- */

/* Add the integrator's counters of this segment to r. */
static void add_stats(void *mem, RxSimResult *r)
{
    long v[2] = {0, 0};
    CVodeGetNumSteps(mem, &v[0]);
    CVodeGetNumRhsEvals(mem, &v[1]);
    r->steps += v[0];
    r->rhs_evals += v[1];
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
    RxDyn D;
    char cvode_msg[DYN_MSG_LEN] = ""; /* CVODES's own last error message */
    SUNContext sctx = NULL;
    N_Vector y = NULL, q = NULL, atol = NULL, ele = NULL, ewt = NULL;
    SUNLinearSolver LS = NULL;
    void *mem = NULL;
    RxSimResult *r = calloc(1, sizeof *r);
    int rc = rx_dyn_setup(&D, p, err);
    if (!r && rc == RX_OK)
        rc = rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    if (rc != RX_OK)
        goto done;
    double rows = ceil(ds->horizon / ds->interval - DYN_TIME_EPS) + 1;
    int M = D.M, n = D.n, nout = rows < DYN_MAX_ROWS ? (int)rows : DYN_MAX_ROWS;
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
        rc = rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
        goto done;
    }
    rx_dyn_series_header(p, r->header);
    r->nstate = n;

    if (SUNContext_Create(NULL, &sctx) != 0 || !(y = N_VNew_Serial(n, sctx)) || !(q = N_VNew_Serial(M, sctx)) ||
        !(atol = N_VNew_Serial(n, sctx)) || !(ele = N_VNew_Serial(n, sctx)) || !(ewt = N_VNew_Serial(n, sctx))) {
        rc = rx_error_set(err, RX_NO_MEMORY, NULL, "cannot create SUNDIALS vectors");
        goto done;
    }
    /* Fused vector operations: fewer passes over the state per step. */
    N_VEnableFusedOps_Serial(y, SUNTRUE);
    double *u = N_VGetArrayPointer(y), t = 0;
    if (ds->initial == RX_START_STEADY)
        rc = rx_dyn_start_steady(&D, u, err);
    else if (ds->initial == RX_START_STATE)
        rc = rx_dyn_start_from_file(&D, u, &t, err);
    else
        rx_dyn_start_barren(&D, u);
    if (rc != RX_OK)
        goto done;
    /* Events before the start time (a restart) are already in force. */
    int next_event = 0;
    apply_events_at(&D, t, &next_event);
    rx_dyn_holdup(&D, u, r->holdup0);
    /* Absolute tolerance: atol (mol/L) times each compartment's volume. */
    rx_dyn_abs_tolerances(&D, ds->atol, N_VGetArrayPointer(atol));
    N_VConst(0.0, q);
    if (!(mem = CVodeCreate(CV_BDF, sctx)) || CVodeInit(mem, cv_rhs, t, y) != CV_SUCCESS ||
        CVodeSVtolerances(mem, ds->rtol, atol) != CV_SUCCESS || CVodeSetUserData(mem, &D) != CV_SUCCESS ||
        CVodeSetErrHandlerFn(mem, keep_error, cvode_msg) != CV_SUCCESS ||
        CVodeSetMaxNumSteps(mem, ds->max_steps) != CV_SUCCESS || !(LS = rx_dyn_linsolve_create(&D, cv_query, mem, sctx)) ||
        CVodeSetLinearSolver(mem, LS, NULL) != CV_SUCCESS ||
        CVodeQuadInit(mem, cv_quad, q) != CV_SUCCESS ||
        CVodeQuadSStolerances(mem, ds->rtol, ds->atol * rx_dyn_circuit_volume(&D)) != CV_SUCCESS ||
        CVodeSetQuadErrCon(mem, SUNTRUE) != CV_SUCCESS) {
        rc = rx_error_set(err, RX_NO_MEMORY, NULL, "cannot set up CVODES");
        goto done;
    }
    /* Rows at t0 + i * interval up to the horizon (measured from time 0). */
    double horizon = ds->horizon;
    int flag = CV_SUCCESS;
    rx_dyn_split_mixers(&D, u);
    rx_dyn_series_row(&D, u, t, r->rows);
    r->nrows = 1;
    double next_out = t + ds->interval, t_seg = t;
    while (t < horizon - DYN_TIME_EPS) {
        double t_event = next_event < ds->nevents ? ds->events[next_event].time : horizon;
        double tstop = fmin(t_event, horizon), tout = fmin(next_out, tstop);
        CVodeSetStopTime(mem, tstop);
        flag = CVode(mem, tout, y, &t, CV_NORMAL);
        if (flag < 0)
            break;
        if (t >= next_out - DYN_TIME_EPS || t >= horizon - DYN_TIME_EPS) {
            if (r->nrows < nout) {
                rx_dyn_split_mixers(&D, u);
                rx_dyn_series_row(&D, u, t, r->rows + (size_t)r->nrows * (size_t)r->ncols);
                r->nrows++;
            }
            next_out += ds->interval;
            if (progress)
                progress(t, horizon, ctx);
        }
        if (t >= t_event - DYN_TIME_EPS && next_event < ds->nevents) {
            double seg = t; /* quadratures so far survive the restart */
            long taken = 0;
            CVodeGetNumSteps(mem, &taken);
            if (taken > 0)
                CVodeGetQuad(mem, &seg, q);
            add_fed(&D, t - t_seg, r->fed);
            t_seg = t;
            add_stats(mem, r); /* CVodeReInit zeroes the counters */
            apply_events_at(&D, t, &next_event);
            rx_dyn_linsolve_reset(LS); /* CVodeReInit zeroes the counters it keys on */
            if (CVodeReInit(mem, t, y) != CV_SUCCESS || CVodeQuadReInit(mem, q) != CV_SUCCESS) {
                flag = CV_ILL_INPUT;
                break;
            }
        }
    }
    r->t_end = t;
    add_fed(&D, t - t_seg, r->fed);
    double tq = t;
    long taken = 0;
    CVodeGetNumSteps(mem, &taken);
    if (flag >= 0 && taken > 0 && CVodeGetQuad(mem, &tq, q) != CV_SUCCESS)
        N_VConst(0.0, q);
    add_stats(mem, r);
    r->jac_evals = rx_dyn_linsolve_jac_evals(LS);
    memcpy(r->state, u, sizeof(double) * (size_t)n);
    memcpy(r->left, N_VGetArrayPointer(q), sizeof(double) * (size_t)M);
    rx_dyn_holdup(&D, u, r->holdup);
    rx_dyn_split_mixers(&D, u);
    r->final = rx_dyn_profile(&D, u);
    for (int i = 0; i < p->nproducts; i++) {
        int col = 1 + i * (3 + M) + 1;
        r->settle_1pct[i] = rx_dyn_settle_time(r, col, DYN_SETTLE_1);
        r->settle_01pct[i] = rx_dyn_settle_time(r, col, DYN_SETTLE_01);
    }
    r->seconds = rx_clock() - t_start;
    r->completed = flag >= 0 && t >= horizon - DYN_TIME_EPS;
    if (flag < 0) {
        double tf = t;
        CVodeGetCurrentTime(mem, &tf);
        char where[160] = "unknown";
        if (D.bad_stage >= 0)
            snprintf(where, sizeof where, "stage %d (equilibrium solve)", D.bad_stage + 1);
        else if (CVodeGetEstLocalErrors(mem, ele) == CV_SUCCESS && CVodeGetErrWeights(mem, ewt) == CV_SUCCESS) {
            const double *e = N_VGetArrayPointer(ele), *w = N_VGetArrayPointer(ewt);
            int worst = 0;
            for (int i = 1; i < n; i++)
                if (fabs(e[i] * w[i]) > fabs(e[worst] * w[worst]))
                    worst = i;
            rx_dyn_component_name(&D, worst, where, sizeof where);
        }
        char *flagname = CVodeGetReturnFlagName(flag);
        rc = rx_error_set(err, RX_NOT_CONVERGED, p->path,
                          "integration failed at t = %.6g h, largest error at %s: %s (%s)", tf, where,
                          flagname ? flagname : "?", cvode_msg);
        free(flagname);
    }
done:
    if (rc == RX_OK || (r && r->rows && r->final))
        *out = r;
    else
        rx_sim_result_destroy(&r);
    CVodeFree(&mem);
    SUNLinSolFree(LS);
    if (y)
        N_VDestroy(y);
    if (q)
        N_VDestroy(q);
    if (atol)
        N_VDestroy(atol);
    if (ele)
        N_VDestroy(ele);
    if (ewt)
        N_VDestroy(ewt);
    SUNContext_Free(&sctx);
    rx_dyn_free(&D);
    return rc;
}
