/* lapack.h - the only door to LAPACK (declared in lapack.c alone).
 * info from LAPACK is mapped onto RxStatus: > 0 singular -> RX_SINGULAR. */
#ifndef RX_LAPACK_H
#define RX_LAPACK_H

/* LU of a small dense n*n matrix in place (LAPACK dgetf2, unblocked: for the
 * tiny systems of a stage solve the blocked dgetrf only adds overhead). */
int rx_dense_factor(int n, double *A, int *ipiv);
/* Solve with the factors of rx_dense_factor, nrhs columns of B (n each),
 * by the row swaps and triangular sweeps written out: a few flops, no calls.
 * n at most RX_DENSE_MAX. */
#define RX_DENSE_MAX 64
void rx_dense_lu_solve(int n, int nrhs, const double *LU, const int *ipiv, double *B);

/* Banded LU (dgbtrf) of an n*n matrix with kl sub- and ku super-diagonals in
 * LAPACK band storage: ab has ldab = 2*kl+ku+1 rows, element (i,j) at
 * ab[kl+ku+i-j + j*ldab].  ipiv: n ints. */
int rx_band_factor(int n, int kl, int ku, double *ab, int ldab, int *ipiv);
/* Solve with the factors of rx_band_factor; b: n, overwritten by x. */
int rx_band_solve(int n, int kl, int ku, const double *ab, int ldab, const int *ipiv, double *b);

/* LU of a block-tridiagonal matrix of N x N blocks of M x M (each block
 * column-major, block k at offset k*M*M): L[k] couples block row k to
 * block column k-1 (L[0] unused), D[k] to k, U[k] to k+1 (U[N-1] unused).
 * Block elimination, pivoting within each diagonal block only (LAPACK
 * dgetf2, the Schur updates by BLAS dgemm): O(N M^3), against the
 * O(N M (2M)^2) of the same matrix as a band of width 2M-1.  In place:
 * D[k] takes the LU of its Schur complement, U[k] the block D[k]^-1 U[k];
 * ipiv: N*M.  RX_SINGULAR if a Schur complement is singular (the caller
 * may fall back to the band LU, which pivots across blocks). */
int rx_blocktri_factor(int N, int M, const double *L, double *D, double *U, int *ipiv);
/* Solve with the factors of rx_blocktri_factor; b: N*M, overwritten by x. */
void rx_blocktri_solve(int N, int M, const double *L, const double *D, const double *U, const int *ipiv, double *b);

/* Solve a tridiagonal system (dgtsv, partial pivoting): dl, du n-1 sub- and
 * super-diagonal, d n diagonal (all overwritten), b n*nrhs -> x. */
int rx_tridiag_solve(int n, int nrhs, double *dl, double *d, double *du, double *b);

#endif
