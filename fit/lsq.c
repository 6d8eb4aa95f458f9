/*
 * fit/lsq.c - the least squares and their statistics.
 *
 * GSL's trust-region Levenberg-Marquardt on sqrt(w_i) r_i, r_i =
 * predicted_i - measured_i (in log10 D, mol/L or log10 mol/L; a pH as a
 * pH), w_i the weight of what point i measures, with a central-difference
 * Jacobian.  Bounds by transform: the least squares move theta, and a
 * parameter bounded on both sides is x = lo + (hi - lo)(1 + sin theta)/2,
 * on one side x = lo + exp theta (or hi - exp theta), so every step stays
 * inside and the model never sees a value it refuses.  At the solution:
 * covariance (J^T J)^-1 s^2 with s^2 = chi^2/dof,
 * standard errors, 95 % intervals est +- t(0.975, dof) se, correlations and
 * the warnings that say when the data do not pin a constant down.
 */
#include "fit/fit.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIT_MAX_ITER 200
#define FIT_XTOL 1e-10
#define FIT_GTOL 1e-12
#define FIT_FTOL 0.0
/* Identifiability: reciprocal condition number of J below this is
 * singular or ill-conditioned; |correlation| above FIT_CORR_MAX. */
#define FIT_RCOND_MIN 1e-10
#define FIT_CORR_MAX 0.99
/* A parameter within this share of its range (bounded on one side: of
 * the bound's magnitude) of a bound sits on it: there the transform's
 * slope vanishes and the standard error says nothing. */
#define FIT_AT_BOUND 1e-3
/* A start on or beyond a bound begins this share of the range inside (on
 * the bound, sin theta has no slope). */
#define FIT_START_INSIDE 0.01

/* x of parameter q at theta, and dx/dtheta into *dx (may be NULL). */
static double to_x(const RxFitParam *q, double t, double *dx)
{
    int lo = isfinite(q->lo), hi = isfinite(q->hi);
    double x, d;
    if (lo && hi) {
        x = q->lo + (q->hi - q->lo) * (1.0 + sin(t)) / 2.0;
        d = (q->hi - q->lo) * cos(t) / 2.0;
    } else if (lo) {
        x = q->lo + exp(t);
        d = exp(t);
    } else if (hi) {
        x = q->hi - exp(t);
        d = -exp(t);
    } else {
        x = t;
        d = 1.0;
    }
    if (dx)
        *dx = d;
    return fmin(fmax(x, q->lo), q->hi);
}

/* theta of parameter q at x, x moved inside its bounds first. */
static double to_theta(const RxFitParam *q, double x)
{
    int lo = isfinite(q->lo), hi = isfinite(q->hi);
    if (lo && hi) {
        double in = FIT_START_INSIDE * (q->hi - q->lo);
        x = fmin(fmax(x, q->lo + in), q->hi - in);
        return asin(2.0 * (x - q->lo) / (q->hi - q->lo) - 1.0);
    }
    double in = FIT_START_INSIDE * (1.0 + fabs(x));
    if (lo)
        return log(fmax(x - q->lo, in));
    if (hi)
        return log(fmax(q->hi - x, in));
    return x;
}

typedef struct {
    RxPlant *work;           /* the shake-outs' plant; NULL without shake-outs */
    RxFitCircuit circ;       /* the profile's circuit; plant NULL without a profile */
    const RxFitSpec *spec;
    const RxShakeoutData *d;
    const RxProfileData *prof;
    int ns, n;               /* shake-out points, all points */
    double *meas, *sw, *pred; /* n: measured, sqrt(weight), predicted */
    RxError *err;
    int failed;
} Problem;

/* Every point at the parameter vector v into pb->pred. */
static int predict(Problem *pb, const double *v)
{
    int rc = RX_OK;
    if (pb->ns > 0)
        rc = rx_fit_predict(pb->work, pb->spec, pb->d, v, pb->pred, pb->err);
    if (rc == RX_OK && pb->n > pb->ns)
        rc = rx_fit_predict_profile(&pb->circ, pb->spec, pb->prof, v, pb->pred + pb->ns, pb->err);
    return rc;
}

static int residuals(const gsl_vector *v, void *vp, gsl_vector *f)
{
    Problem *pb = vp;
    double x[RX_MAX_FIT_PARAMS];
    for (int j = 0; j < pb->spec->nparams; j++)
        x[j] = to_x(&pb->spec->params[j], gsl_vector_get(v, (size_t)j), NULL);
    int rc = predict(pb, x);
    if (rc != RX_OK) {
        pb->failed = rc;
        return GSL_EDOM;
    }
    for (int i = 0; i < pb->n; i++)
        gsl_vector_set(f, (size_t)i, pb->sw[i] * (pb->pred[i] - pb->meas[i]));
    return GSL_SUCCESS;
}

/* Measured values and weights of every point; RX_BAD_INPUT for one without
 * a value in the residual's space. */
static int measured(Problem *pb, RxError *err)
{
    const RxFitSpec *spec = pb->spec;
    for (int i = 0; i < pb->n; i++) {
        int ok = 0, kind = i < pb->ns ? pb->d->pts[i].kind : pb->prof->pts[i - pb->ns].kind;
        pb->meas[i] = i < pb->ns ? rx_fit_measured(pb->d, &pb->d->pts[i], spec->residual, &ok)
                                 : rx_fit_profile_measured(&pb->prof->pts[i - pb->ns], spec->residual, &ok);
        pb->sw[i] = sqrt(spec->weight[kind]);
        if (!ok)
            return rx_error_set(err, RX_BAD_INPUT, NULL, "%s:%d: a measurement without a value in the residual's space",
                                i < pb->ns ? pb->d->path : pb->prof->path,
                                i < pb->ns ? pb->d->pts[i].line : pb->prof->pts[i - pb->ns].line);
    }
    return RX_OK;
}

void rx_fit_result_free(RxFitResult **r)
{
    if (!r || !*r)
        return;
    free((*r)->measured);
    free((*r)->fitted);
    free((*r)->resid);
    free((*r)->weight);
    free(*r);
    *r = NULL;
}

__attribute__((format(printf, 2, 3))) static void warn(RxFitResult *r, const char *fmt, ...)
{
    if (r->nwarn >= RX_FIT_MAX_WARN)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->warn[r->nwarn++], RX_FIT_MSG, fmt, ap);
    va_end(ap);
}

/* Covariance, errors, intervals, correlations and warnings at the solution. */
static void statistics(const RxPlant *p, gsl_multifit_nlinear_workspace *w, const double *dxdt, RxFitResult *r)
{
    int np = r->np;
    gsl_matrix *cov = gsl_matrix_alloc((size_t)np, (size_t)np);
    double chisq = 0;
    for (int i = 0; i < r->npts; i++)
        chisq += r->weight[i] * r->resid[i] * r->resid[i];
    r->dof = r->npts - np;
    r->rmse = r->dof > 0 ? sqrt(chisq / r->dof) : 0;
    r->t95 = r->dof > 0 ? gsl_cdf_tdist_Pinv(0.975, (double)r->dof) : 0;
    if (gsl_multifit_nlinear_rcond(&r->rcond, w) != GSL_SUCCESS || !isfinite(r->rcond))
        r->rcond = 0;
    if (r->rcond < FIT_RCOND_MIN)
        warn(r, "the Jacobian is singular or ill-conditioned (reciprocal condition %.3g): "
                "the data cannot tell some constants apart", r->rcond);
    if (!cov || gsl_multifit_nlinear_covar(gsl_multifit_nlinear_jac(w), 0.0, cov) != GSL_SUCCESS) {
        warn(r, "no covariance: standard errors are not available");
        for (int j = 0; j < np * np; j++)
            r->corr[j] = 0;
        gsl_matrix_free(cov);
        return;
    }
    double s2 = r->dof > 0 ? chisq / r->dof : 0;
    if (r->dof <= 0)
        warn(r, "as many parameters as points: no degrees of freedom, no standard errors");
    for (int j = 0; j < np; j++) {
        /* In theta, then in x by the transform's slope (the delta method). */
        double c = gsl_matrix_get(cov, (size_t)j, (size_t)j) * s2;
        /* Not determined (no dof, a singular J): an infinite error, written as null. */
        r->se[j] = r->dof > 0 && c >= 0 && isfinite(c) ? fabs(dxdt[j]) * sqrt(c) : HUGE_VAL;
        int open = !isfinite(r->se[j]); /* t95 may be 0: no 0 * inf */
        r->lo95[j] = open ? -HUGE_VAL : fmax(r->est[j] - r->t95 * r->se[j], r->param[j].lo);
        r->hi95[j] = open ? HUGE_VAL : fmin(r->est[j] + r->t95 * r->se[j], r->param[j].hi);
    }
    char a[64], b[64];
    for (int j = 0; j < np; j++)
        for (int k = 0; k < np; k++) {
            double djj = gsl_matrix_get(cov, (size_t)j, (size_t)j), dkk = gsl_matrix_get(cov, (size_t)k, (size_t)k);
            double c = j == k ? 1.0 : djj > 0 && dkk > 0 ? gsl_matrix_get(cov, (size_t)j, (size_t)k) / sqrt(djj * dkk) : 0;
            r->corr[j + k * np] = isfinite(c) ? c : 0;
            if (k > j && fabs(r->corr[j + k * np]) > FIT_CORR_MAX) {
                rx_fit_param_name(p, &r->param[j], a, sizeof a);
                rx_fit_param_name(p, &r->param[k], b, sizeof b);
                warn(r, "%s and %s are correlated (%.4f): the data determine a combination of them, not each",
                     a, b, r->corr[j + k * np]);
            }
        }
    gsl_matrix_free(cov);
    for (int j = 0; j < np; j++) {
        const RxFitParam *q = &r->param[j];
        double range = q->hi - q->lo;
        double tlo = FIT_AT_BOUND * (isfinite(range) ? range : fabs(q->lo));
        double thi = FIT_AT_BOUND * (isfinite(range) ? range : fabs(q->hi));
        if (r->est[j] - q->lo < tlo || q->hi - r->est[j] < thi) {
            rx_fit_param_name(p, q, a, sizeof a);
            warn(r, "%s is at its bound %.6g: its interval does not hold", a, r->est[j] - q->lo < tlo ? q->lo : q->hi);
        }
    }
}

/* The problem's data, plants and arrays; RX_OK or an error in err. */
static int setup(Problem *pb, const RxPlant *p, RxFitResult *r, RxError *err)
{
    size_t n = (size_t)pb->n;
    if (!(pb->meas = calloc(n, sizeof(double))) || !(pb->sw = calloc(n, sizeof(double))) ||
        !(pb->pred = calloc(n, sizeof(double))) || !(r->measured = calloc(n, sizeof(double))) ||
        !(r->fitted = calloc(n, sizeof(double))) || !(r->resid = calloc(n, sizeof(double))) ||
        !(r->weight = calloc(n, sizeof(double))))
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    int rc = measured(pb, err);
    if (rc == RX_OK && pb->ns > 0)
        rc = rx_fit_plant(p, pb->d, &pb->work, err);
    if (rc == RX_OK && pb->n > pb->ns)
        rc = rx_fit_circuit(p, &pb->circ, err);
    return rc;
}

/* Levenberg-Marquardt from the start values; r->est, r->iterations and
 * the workspace *wp (for the statistics).  The GSL status, or -1 when a
 * prediction failed (pb->failed says how). */
static int solve(Problem *pb, RxFitResult *r, gsl_multifit_nlinear_workspace **wp, double *dxdt)
{
    const RxFitSpec *spec = pb->spec;
    int np = spec->nparams;
    gsl_vector *x0 = gsl_vector_alloc((size_t)np);
    gsl_set_error_handler_off(); /* GSL reports by status; it must never abort the process */
    gsl_multifit_nlinear_parameters fp = gsl_multifit_nlinear_default_parameters();
    fp.trs = gsl_multifit_nlinear_trs_lm;
    fp.fdtype = GSL_MULTIFIT_NLINEAR_CTRDIFF;
    gsl_multifit_nlinear_workspace *w =
        x0 ? gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &fp, (size_t)pb->n, (size_t)np) : NULL;
    *wp = w;
    if (!w) {
        gsl_vector_free(x0);
        pb->failed = rx_error_set(pb->err, RX_NO_MEMORY, NULL, "out of memory");
        return -1;
    }
    for (int j = 0; j < np; j++)
        gsl_vector_set(x0, (size_t)j, to_theta(&spec->params[j], spec->params[j].start));
    gsl_multifit_nlinear_fdf fdf = {.f = residuals, .df = NULL, .fvv = NULL, .n = (size_t)pb->n, .p = (size_t)np,
                                    .params = pb};
    int info = 0;
    int st = gsl_multifit_nlinear_init(x0, &fdf, w);
    if (st == GSL_SUCCESS)
        st = gsl_multifit_nlinear_driver(FIT_MAX_ITER, FIT_XTOL, FIT_GTOL, FIT_FTOL, NULL, NULL, &info, w);
    gsl_vector_free(x0);
    if (pb->failed)
        return -1;
    r->iterations = (int)gsl_multifit_nlinear_niter(w);
    gsl_vector *x = gsl_multifit_nlinear_position(w);
    for (int j = 0; j < np; j++)
        r->est[j] = to_x(&spec->params[j], gsl_vector_get(x, (size_t)j), &dxdt[j]);
    return st;
}

int rx_fit_run(const RxPlant *p, const RxShakeoutData *d, const RxProfileData *prof, RxFitResult **out,
               RxError *err)
{
    const RxFitSpec *spec = &p->fit;
    int np = spec->nparams, ns = d ? d->npts : 0, n = ns + (prof ? prof->npts : 0);
    if (np <= 0)
        return rx_error_set(err, RX_BAD_INPUT, spec->where, "fit: no parameter to fit");
    if (n < np)
        return rx_error_set(err, RX_BAD_INPUT, spec->where, "fit: %d usable points for %d parameters", n, np);
    RxFitResult *r = calloc(1, sizeof *r);
    if (!r)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    Problem pb = {.spec = spec, .d = d, .prof = prof, .ns = ns, .n = n, .err = err};
    gsl_multifit_nlinear_workspace *w = NULL;
    r->np = np;
    r->npts = n;
    r->nshake = ns;
    r->residual = spec->residual;
    memcpy(r->param, spec->params, sizeof spec->params);
    double dxdt[RX_MAX_FIT_PARAMS];
    int rc = setup(&pb, p, r, err), st = 0;
    if (rc == RX_OK && (st = solve(&pb, r, &w, dxdt)) < 0)
        rc = pb.failed;
    if (rc == RX_OK && (rc = predict(&pb, r->est)) == RX_OK) {
        for (int i = 0; i < n; i++) {
            r->measured[i] = pb.meas[i];
            r->fitted[i] = pb.pred[i];
            r->resid[i] = pb.pred[i] - pb.meas[i];
            r->weight[i] = pb.sw[i] * pb.sw[i];
        }
        statistics(p, w, dxdt, r);
        /* No progress from a point where the gradient vanishes is a solution
         * (exact data); running out of iterations is not. */
        if (st != GSL_SUCCESS && st != GSL_ENOPROG) {
            warn(r, "the least squares did not converge in %d iterations (%s)", r->iterations, gsl_strerror(st));
            rc = rx_error_set(err, RX_NOT_CONVERGED, spec->where, "fit: did not converge in %d iterations (%s)",
                              r->iterations, gsl_strerror(st));
        }
    }
    gsl_multifit_nlinear_free(w);
    rx_plant_destroy(&pb.work);
    rx_fit_circuit_free(&pb.circ);
    free(pb.meas);
    free(pb.sw);
    free(pb.pred);
    if (rc == RX_OK || rc == RX_NOT_CONVERGED)
        *out = r;
    else
        rx_fit_result_free(&r);
    return rc;
}
