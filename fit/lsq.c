/*
 * fit/lsq.c - the least squares and their statistics.
 *
 * GSL's trust-region Levenberg-Marquardt on r_i = predicted_i - measured_i
 * (unit weights, in log10 D or in mol/L), with a central-difference
 * Jacobian.  At the solution: covariance (J^T J)^-1 s^2 with s^2 = chi^2/dof,
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
/* A parameter within this (relative, plus absolute) of a bound sits on it. */
#define FIT_AT_BOUND 1e-8

typedef struct {
    RxPlant *work;
    const RxFitSpec *spec;
    const RxShakeoutData *d;
    const double *meas;
    double *pred;
    RxError *err;
    int failed;
} Problem;

static int residuals(const gsl_vector *v, void *vp, gsl_vector *f)
{
    Problem *pb = vp;
    int rc = rx_fit_predict(pb->work, pb->spec, pb->d, v->data, pb->pred, pb->err);
    if (rc != RX_OK) {
        pb->failed = rc;
        return GSL_EDOM;
    }
    for (int i = 0; i < pb->d->npts; i++)
        gsl_vector_set(f, (size_t)i, pb->pred[i] - pb->meas[i]);
    return GSL_SUCCESS;
}

void rx_fit_result_free(RxFitResult **r)
{
    if (!r || !*r)
        return;
    free((*r)->measured);
    free((*r)->fitted);
    free((*r)->resid);
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
static void statistics(const RxPlant *p, gsl_multifit_nlinear_workspace *w, RxFitResult *r)
{
    int np = r->np;
    gsl_matrix *cov = gsl_matrix_alloc((size_t)np, (size_t)np);
    double chisq = 0;
    for (int i = 0; i < r->npts; i++)
        chisq += r->resid[i] * r->resid[i];
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
        double c = gsl_matrix_get(cov, (size_t)j, (size_t)j) * s2;
        /* Not determined (no dof, a singular J): an infinite error, written as null. */
        r->se[j] = r->dof > 0 && c >= 0 && isfinite(c) ? sqrt(c) : HUGE_VAL;
        int open = !isfinite(r->se[j]); /* t95 may be 0: no 0 * inf */
        r->lo95[j] = open ? -HUGE_VAL : r->est[j] - r->t95 * r->se[j];
        r->hi95[j] = open ? HUGE_VAL : r->est[j] + r->t95 * r->se[j];
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
        double tol = FIT_AT_BOUND * (1.0 + fabs(r->est[j]));
        if (fabs(r->est[j] - q->lo) < tol || fabs(r->est[j] - q->hi) < tol) {
            rx_fit_param_name(p, q, a, sizeof a);
            warn(r, "%s is at its bound %.6g: its interval does not hold", a,
                 fabs(r->est[j] - q->lo) < tol ? q->lo : q->hi);
        }
    }
}

int rx_fit_run(const RxPlant *p, const RxShakeoutData *d, RxFitResult **out, RxError *err)
{
    const RxFitSpec *spec = &p->fit;
    int np = spec->nparams, n = d->npts;
    if (np <= 0)
        return rx_error_set(err, RX_BAD_INPUT, spec->where, "fit: no parameter to fit");
    if (n < np)
        return rx_error_set(err, RX_BAD_INPUT, spec->where, "fit: %d usable points for %d parameters", n, np);
    RxFitResult *r = calloc(1, sizeof *r);
    double *meas = calloc((size_t)n, sizeof *meas), *pred = calloc((size_t)n, sizeof *pred);
    RxPlant *work = NULL;
    gsl_multifit_nlinear_workspace *w = NULL;
    gsl_vector *x0 = gsl_vector_alloc((size_t)np);
    int rc = RX_OK;
    if (!r || !meas || !pred || !x0 || !(r->measured = calloc((size_t)n, sizeof(double))) ||
        !(r->fitted = calloc((size_t)n, sizeof(double))) || !(r->resid = calloc((size_t)n, sizeof(double)))) {
        rc = rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
        goto done;
    }
    r->np = np;
    r->npts = n;
    r->residual = spec->residual;
    memcpy(r->param, spec->params, sizeof spec->params);
    for (int i = 0; i < n; i++) {
        int ok = 0;
        meas[i] = rx_fit_measured(d, &d->pts[i], spec->residual, &ok);
        if (!ok) {
            rc = rx_error_set(err, RX_BAD_INPUT, NULL, "%s:%d: a measurement without a value in the residual's space",
                              d->path, d->pts[i].line);
            goto done;
        }
    }
    if ((rc = rx_fit_plant(p, d, &work, err)) != RX_OK)
        goto done;
    for (int j = 0; j < np; j++)
        gsl_vector_set(x0, (size_t)j, spec->params[j].start);
    gsl_set_error_handler_off(); /* GSL reports by status; it must never abort the process */
    gsl_multifit_nlinear_parameters fp = gsl_multifit_nlinear_default_parameters();
    fp.trs = gsl_multifit_nlinear_trs_lm;
    fp.fdtype = GSL_MULTIFIT_NLINEAR_CTRDIFF;
    w = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &fp, (size_t)n, (size_t)np);
    if (!w) {
        rc = rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
        goto done;
    }
    Problem pb = {work, spec, d, meas, pred, err, 0};
    gsl_multifit_nlinear_fdf fdf = {.f = residuals, .df = NULL, .fvv = NULL, .n = (size_t)n, .p = (size_t)np,
                                    .params = &pb};
    int info = 0;
    int st = gsl_multifit_nlinear_init(x0, &fdf, w);
    if (st == GSL_SUCCESS)
        st = gsl_multifit_nlinear_driver(FIT_MAX_ITER, FIT_XTOL, FIT_GTOL, FIT_FTOL, NULL, NULL, &info, w);
    if (pb.failed) {
        rc = pb.failed;
        goto done;
    }
    r->iterations = (int)gsl_multifit_nlinear_niter(w);
    gsl_vector *x = gsl_multifit_nlinear_position(w);
    for (int j = 0; j < np; j++)
        r->est[j] = fmin(fmax(gsl_vector_get(x, (size_t)j), spec->params[j].lo), spec->params[j].hi);
    if ((rc = rx_fit_predict(work, spec, d, r->est, pred, err)) != RX_OK)
        goto done;
    for (int i = 0; i < n; i++) {
        r->measured[i] = meas[i];
        r->fitted[i] = pred[i];
        r->resid[i] = pred[i] - meas[i];
    }
    statistics(p, w, r);
    /* No progress from a point where the gradient vanishes is a solution
     * (exact data); running out of iterations is not. */
    if (st != GSL_SUCCESS && st != GSL_ENOPROG) {
        warn(r, "the least squares did not converge in %d iterations (%s)", r->iterations, gsl_strerror(st));
        rc = rx_error_set(err, RX_NOT_CONVERGED, spec->where, "fit: did not converge in %d iterations (%s)",
                          r->iterations, gsl_strerror(st));
    }
done:
    gsl_multifit_nlinear_free(w);
    gsl_vector_free(x0);
    rx_plant_destroy(&work);
    free(meas);
    free(pred);
    if (r && (rc == RX_OK || rc == RX_NOT_CONVERGED))
        *out = r;
    else
        rx_fit_result_free(&r);
    return rc;
}
