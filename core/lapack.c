/* lapack.c - LAPACK prototypes (Fortran ABI) and thin wrappers. */
#include "core/lapack.h"

#include "core/error.h"

/* Right-hand sides rx_dense_lu_solve takes through its sweeps at once. */
#define RX_DENSE_ROWS 16

void dgetf2_(const int *m, const int *n, double *a, const int *lda, int *ipiv, int *info);
void dgbtrf_(const int *m, const int *n, const int *kl, const int *ku, double *ab, const int *ldab, int *ipiv,
             int *info);
void dgbtrs_(const char *trans, const int *n, const int *kl, const int *ku, const int *nrhs, const double *ab,
             const int *ldab, const int *ipiv, double *b, const int *ldb, int *info, size_t trans_len);

void dgemm_(const char *ta, const char *tb, const int *m, const int *n, const int *k, const double *alpha,
            const double *a, const int *lda, const double *b, const int *ldb, const double *beta, double *c,
            const int *ldc, size_t ta_len, size_t tb_len);
void dgemv_(const char *trans, const int *m, const int *n, const double *alpha, const double *a, const int *lda,
            const double *x, const int *incx, const double *beta, double *y, const int *incy, size_t trans_len);
void dgtsv_(const int *n, const int *nrhs, double *dl, double *d, double *du, double *b, const int *ldb, int *info);

static int map_info(int info)
{
    if (info == 0)
        return RX_OK;
    return info > 0 ? RX_SINGULAR : RX_BAD_INPUT;
}

int rx_dense_factor(int n, double *A, int *ipiv)
{
    int info = 0;
    dgetf2_(&n, &n, A, &n, ipiv, &info);
    return map_info(info);
}

/* The solve for n known at compile time when inlined from the switch below:
 * the loops unroll, and the right-hand sides go through each row
 * operation together (B copied to rows, nrhs of them contiguous). */
static inline void lu_solve_rows(int n, int nrhs, const double *LU, const int *ipiv, double *B)
{
    double inv[RX_DENSE_MAX], X[RX_DENSE_MAX * RX_DENSE_ROWS];
    for (int i = 0; i < n; i++)
        inv[i] = 1.0 / LU[i + i * n];
    for (int i = 0; i < n; i++)
        for (int c = 0; c < nrhs; c++)
            X[i * nrhs + c] = B[i + c * n];
    for (int i = 0; i < n; i++) { /* row interchanges, 1-based pivots */
        int r = ipiv[i] - 1;
        if (r != i)
            for (int c = 0; c < nrhs; c++) {
                double t = X[i * nrhs + c];
                X[i * nrhs + c] = X[r * nrhs + c];
                X[r * nrhs + c] = t;
            }
    }
    for (int k = 0; k < n; k++) /* L: unit lower */
        for (int i = k + 1; i < n; i++) {
            double l = LU[i + k * n];
            for (int c = 0; c < nrhs; c++)
                X[i * nrhs + c] -= l * X[k * nrhs + c];
        }
    for (int k = n - 1; k >= 0; k--) { /* U */
        for (int c = 0; c < nrhs; c++)
            X[k * nrhs + c] *= inv[k];
        for (int i = 0; i < k; i++) {
            double u = LU[i + k * n];
            for (int c = 0; c < nrhs; c++)
                X[i * nrhs + c] -= u * X[k * nrhs + c];
        }
    }
    for (int i = 0; i < n; i++)
        for (int c = 0; c < nrhs; c++)
            B[i + c * n] = X[i * nrhs + c];
}

/* Each block size of the circuit and dynamics solvers (M metals, or M + 1
 * with the chloride) gets its own unrolled copy, for one right-hand side
 * and for M of them. */
#define RX_UNROLLED(X) X(2) X(3) X(4) X(5) X(6) X(7) X(8)
#define RX_ONE(k)                                                                                                      \
    case k:                                                                                                            \
        lu_solve_rows(k, 1, LU, ipiv, B);                                                                              \
        return;
#define RX_SQUARE(k)                                                                                                   \
    case k:                                                                                                            \
        lu_solve_rows(k, k, LU, ipiv, B);                                                                              \
        return;

void rx_dense_lu_solve(int n, int nrhs, const double *LU, const int *ipiv, double *B)
{
    if (nrhs == 1)
        switch (n) {
            RX_UNROLLED(RX_ONE)
        default:
            break;
        }
    else if (nrhs == n)
        switch (n) {
            RX_UNROLLED(RX_SQUARE)
        default:
            break;
        }
    for (int c = 0; c < nrhs; c += RX_DENSE_ROWS)
        lu_solve_rows(n, nrhs - c < RX_DENSE_ROWS ? nrhs - c : RX_DENSE_ROWS, LU, ipiv, B + (size_t)c * (size_t)n);
}

int rx_band_factor(int n, int kl, int ku, double *ab, int ldab, int *ipiv)
{
    int info = 0;
    dgbtrf_(&n, &n, &kl, &ku, ab, &ldab, ipiv, &info);
    return map_info(info);
}

int rx_band_solve(int n, int kl, int ku, const double *ab, int ldab, const int *ipiv, double *b)
{
    int info = 0, one = 1;
    dgbtrs_("N", &n, &kl, &ku, &one, ab, &ldab, ipiv, b, &n, &info, 1);
    return map_info(info);
}

int rx_tridiag_solve(int n, int nrhs, double *dl, double *d, double *du, double *b)
{
    int info = 0;
    dgtsv_(&n, &nrhs, dl, d, du, b, &n, &info);
    return map_info(info);
}

int rx_blocktri_factor(int N, int M, const double *L, double *D, double *U, int *ipiv)
{
    size_t MM = (size_t)M * (size_t)M;
    const double minus = -1.0, one = 1.0;
    for (int k = 0; k < N; k++) {
        double *Dk = D + (size_t)k * MM;
        if (k > 0) /* D[k] -= L[k] (D[k-1]^-1 U[k-1]) */
            dgemm_("N", "N", &M, &M, &M, &minus, L + (size_t)k * MM, &M, U + (size_t)(k - 1) * MM, &M, &one, Dk, &M,
                   1, 1);
        if (rx_dense_factor(M, Dk, ipiv + (size_t)k * (size_t)M) != RX_OK)
            return RX_SINGULAR;
        if (k < N - 1) /* U[k] <- D[k]^-1 U[k] */
            rx_dense_lu_solve(M, M, Dk, ipiv + (size_t)k * (size_t)M, U + (size_t)k * MM);
    }
    return RX_OK;
}

void rx_blocktri_solve(int N, int M, const double *L, const double *D, const double *U, const int *ipiv, double *b)
{
    size_t MM = (size_t)M * (size_t)M;
    const double minus = -1.0, one = 1.0;
    const int inc = 1;
    for (int k = 0; k < N; k++) {
        double *bk = b + (size_t)k * (size_t)M;
        if (k > 0)
            dgemv_("N", &M, &M, &minus, L + (size_t)k * MM, &M, bk - M, &inc, &one, bk, &inc, 1);
        rx_dense_lu_solve(M, 1, D + (size_t)k * MM, ipiv + (size_t)k * (size_t)M, bk);
    }
    for (int k = N - 2; k >= 0; k--) {
        double *bk = b + (size_t)k * (size_t)M;
        dgemv_("N", &M, &M, &minus, U + (size_t)k * MM, &M, bk + M, &inc, &one, bk, &inc, 1);
    }
}
