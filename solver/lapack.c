/* lapack.c - LAPACK prototypes (Fortran ABI) and thin wrappers. */
#include "lapack.h"

#include "rx.h"

void dgesv_(const int *n, const int *nrhs, double *a, const int *lda, int *ipiv, double *b, const int *ldb,
            int *info);
void dgbtrf_(const int *m, const int *n, const int *kl, const int *ku, double *ab, const int *ldab, int *ipiv,
             int *info);
void dgbtrs_(const char *trans, const int *n, const int *kl, const int *ku, const int *nrhs, const double *ab,
             const int *ldab, const int *ipiv, double *b, const int *ldb, int *info, size_t trans_len);

static int map_info(int info)
{
    if (info == 0)
        return RX_OK;
    return info > 0 ? RX_SINGULAR : RX_BAD_INPUT;
}

int rx_dense_solve(int n, int nrhs, double *A, double *B, int *ipiv)
{
    int info = 0;
    dgesv_(&n, &nrhs, A, &n, ipiv, B, &n, &info);
    return map_info(info);
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
