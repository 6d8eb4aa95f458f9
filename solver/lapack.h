/* lapack.h - the only door to LAPACK (declared in lapack.c alone).
 * info from LAPACK is mapped onto RxStatus: > 0 singular -> RX_SINGULAR. */
#ifndef RX_LAPACK_H
#define RX_LAPACK_H

/* Solve A X = B in place: A n*n column-major (overwritten by its LU),
 * B n*nrhs column-major (overwritten by X).  ipiv: n ints of workspace. */
int rx_dense_solve(int n, int nrhs, double *A, double *B, int *ipiv);

/* Banded LU (dgbtrf) of an n*n matrix with kl sub- and ku super-diagonals in
 * LAPACK band storage: ab has ldab = 2*kl+ku+1 rows, element (i,j) at
 * ab[kl+ku+i-j + j*ldab].  ipiv: n ints. */
int rx_band_factor(int n, int kl, int ku, double *ab, int ldab, int *ipiv);
/* Solve with the factors of rx_band_factor; b: n, overwritten by x. */
int rx_band_solve(int n, int kl, int ku, const double *ab, int ldab, const int *ipiv, double *b);

#endif
