/* lapack.h - the only door to LAPACK (declared in lapack.c alone).
 * info from LAPACK is mapped onto RxStatus: > 0 singular -> RX_SINGULAR. */
#ifndef RX_LAPACK_H
#define RX_LAPACK_H

/* LU of a small dense n*n matrix in place (LAPACK dgetf2, unblocked: for the
 * tiny systems of a stage solve the blocked dgetrf only adds overhead). */
int rx_dense_factor(int n, double *A, int *ipiv);
/* Solve with the factors of rx_dense_factor, nrhs columns of B (n each),
 * by the row swaps and triangular sweeps written out: a few flops, no calls. */
void rx_dense_lu_solve(int n, int nrhs, const double *LU, const int *ipiv, double *B);

/* Banded LU (dgbtrf) of an n*n matrix with kl sub- and ku super-diagonals in
 * LAPACK band storage: ab has ldab = 2*kl+ku+1 rows, element (i,j) at
 * ab[kl+ku+i-j + j*ldab].  ipiv: n ints. */
int rx_band_factor(int n, int kl, int ku, double *ab, int ldab, int *ipiv);
/* Solve with the factors of rx_band_factor; b: n, overwritten by x. */
int rx_band_solve(int n, int kl, int ku, const double *ab, int ldab, const int *ipiv, double *b);

/* Solve a tridiagonal system (dgtsv, partial pivoting): dl, du n-1 sub- and
 * super-diagonal, d n diagonal (all overwritten), b n*nrhs -> x. */
int rx_tridiag_solve(int n, int nrhs, double *dl, double *d, double *du, double *b);

#endif
