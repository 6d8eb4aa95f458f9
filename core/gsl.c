/* gsl.c - GSL's root finders behind core/gsl.h. */
#include "core/gsl.h"

#include "core/error.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_roots.h>

/* Unknowns rx_roots_hybrid takes at most (its vectors live on the stack). */
#define RX_GSL_MAX_N 64

int rx_root_brent(RxRootFn f, void *ctx, double a, double b, double xtol, RxRootDoneFn done, int max_iter,
                  int *iterations, double *lo, double *hi)
{
    gsl_set_error_handler_off();
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return RX_NO_MEMORY;
    gsl_function F = {f, ctx};
    int status = gsl_root_fsolver_set(s, &F, a, b);
    while (status == GSL_SUCCESS && !(done && done(ctx)) && *iterations < max_iter) {
        ++*iterations;
        status = gsl_root_fsolver_iterate(s);
        if (status == GSL_SUCCESS && gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s),
                                                            xtol, GSL_DBL_EPSILON) == GSL_SUCCESS)
            break;
    }
    if (status == GSL_SUCCESS && lo)
        *lo = gsl_root_fsolver_x_lower(s);
    if (status == GSL_SUCCESS && hi)
        *hi = gsl_root_fsolver_x_upper(s);
    gsl_root_fsolver_free(s);
    return status == GSL_SUCCESS ? RX_OK : RX_NOT_CONVERGED;
}

typedef struct {
    RxRootsFn f;
    void *ctx;
} Multi;

static int multi_f(const gsl_vector *x, void *vm, gsl_vector *fx)
{
    const Multi *m = vm;
    double xv[RX_GSL_MAX_N], fv[RX_GSL_MAX_N];
    for (size_t k = 0; k < x->size; k++)
        xv[k] = gsl_vector_get(x, k);
    if (m->f(xv, fv, m->ctx) != 0)
        return GSL_EBADFUNC;
    for (size_t k = 0; k < x->size; k++)
        gsl_vector_set(fx, k, fv[k]);
    return GSL_SUCCESS;
}

int rx_roots_hybrid(RxRootsFn f, void *ctx, int n, const double *x0, RxRootDoneFn done, int max_iter,
                    int *iterations)
{
    if (n < 1 || n > RX_GSL_MAX_N)
        return RX_BAD_INPUT;
    gsl_set_error_handler_off();
    gsl_multiroot_fsolver *s = gsl_multiroot_fsolver_alloc(gsl_multiroot_fsolver_hybrids, (size_t)n);
    gsl_vector *x = gsl_vector_alloc((size_t)n);
    int rc = RX_NO_MEMORY;
    if (s && x) {
        for (int k = 0; k < n; k++)
            gsl_vector_set(x, (size_t)k, x0[k]);
        Multi m = {f, ctx};
        gsl_multiroot_function F = {multi_f, (size_t)n, &m};
        int status = gsl_multiroot_fsolver_set(s, &F, x);
        while (status == GSL_SUCCESS && !done(ctx) && *iterations < max_iter) {
            ++*iterations;
            status = gsl_multiroot_fsolver_iterate(s);
        }
        rc = done(ctx) ? RX_OK : RX_NOT_CONVERGED;
    }
    gsl_multiroot_fsolver_free(s);
    gsl_vector_free(x);
    return rc;
}
