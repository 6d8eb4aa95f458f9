/* gsl.h - the door to GSL below fit/ (which uses it for its least
 * squares directly): root finders for the design layer.  GSL's own error
 * handler is off wherever these run: GSL reports by status, never aborts. */
#ifndef RX_GSL_H
#define RX_GSL_H

/* f at x; NaN stops the root finder (a circuit that did not solve). */
typedef double (*RxRootFn)(double x, void *ctx);
/* f at x[0..n); non-zero stops the root finder. */
typedef int (*RxRootsFn)(const double *x, double *f, void *ctx);
/* Non-zero when the caller has what it needs (checked after each iteration). */
typedef int (*RxRootDoneFn)(void *ctx);

/* Brent's method (gsl_root_fsolver_brent) on [a, b], f(a) and f(b) of
 * opposite signs, until done(ctx) (NULL: never), the bracket is within
 * xtol (0: down to rounding), or max_iter iterations (*iterations counts
 * them); the last bracket in [*lo, *hi] (either may be NULL).  RX_OK,
 * RX_NOT_CONVERGED when f returned NaN or [a, b] was no bracket,
 * RX_NO_MEMORY. */
int rx_root_brent(RxRootFn f, void *ctx, double a, double b, double xtol, RxRootDoneFn done, int max_iter,
                  int *iterations, double *lo, double *hi);
/* Powell's hybrid method (gsl_multiroot_fsolver_hybrids: its own
 * finite-difference Jacobian, Broyden updates) for n equations in n
 * unknowns from x0, until done(ctx), no progress, or max_iter iterations.
 * RX_OK when it stopped on done; RX_NOT_CONVERGED otherwise (f failing
 * included); RX_NO_MEMORY. */
int rx_roots_hybrid(RxRootsFn f, void *ctx, int n, const double *x0, RxRootDoneFn done, int max_iter,
                    int *iterations);

#endif
