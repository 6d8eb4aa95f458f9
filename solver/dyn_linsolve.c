/*
 * solver/dyn_linsolve.c - the Jacobian of the dynamic model and its
 * structured linear solver.
 *
 * CVODES' Newton needs (I - gamma J) dx = b.  The settler tanks are linear
 * and species-diagonal, so they are eliminated stage by stage; what remains
 * couples only the mixers, each to its two neighbours: a block-tridiagonal
 * system with (M+1) x (M+1) blocks, solved by block Thomas over LAPACK LU
 * factors.  That is O(N (M+1)^3) work instead of a band LU of the whole
 * state, and the Jacobian comes from the stage model's split derivatives
 * instead of difference quotients.  J is a SUNMatrix of its own kind
 * holding only the mixers' split derivatives, and the solver a direct
 * SUNLinearSolver: CVLS decides when J is evaluated and when the solver
 * is set up (its Jacobian and setup frequencies, its gamma threshold),
 * keeps a copy of J, and applies its own correction for a changed gamma.
 */
#include "solver/dyn_internal.h"

#include "core/lapack.h"
#include "models/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The Jacobian as a SUNMatrix: the mixers' outlet-concentration
 * derivatives, from which the tank and flow terms of J follow, and the
 * scalars of CVLS's algebra on it, so that the matrix is ci I + cj J.  CVLS
 * keeps a copy (its saved Jacobian) and forms I - gamma J by SUNMatCopy and
 * SUNMatScaleAddI; the solver factors that at gamma = -cj. */
typedef struct {
    RxDyn *D;               /* borrowed */
    int K;                  /* M + 1: metals and chloride */
    double *Xm, *Ym;        /* N*K*K: d(aq conc incl. Cl)/d(mixer), d(org conc)/d(mixer) */
    double cj, ci;
} Jac;

/* The factors of ci I + cj J at gamma = -cj. */
typedef struct {
    RxDyn *D;               /* borrowed */
    int K;
    double *LU, *G, *z;     /* N*K*K factors, N*K*K D'^-1 U, N*K forward sweep */
    double *cl;             /* N: coupling of each mixer to the organic outlet before it, at the factors' gamma */
    int *piv;               /* N*K */
    double fact_gamma;
} Block;

/* Multiplier of a stage's outlet concentration change on its mixer change,
 * through nt tanks of volume V at flow Q: (q of the last tank)/V, or 1 with
 * no settler.  s = 1/(1 + beta), beta = gamma Q / V. */
static double outlet_gain(double gamma, double Q, double V, int nt)
{
    if (nt == 0)
        return 1.0;
    double beta = gamma * Q / V, s = 1.0 / (1.0 + beta), q = s * gamma * Q;
    for (int t = 1; t < nt; t++)
        q *= s * beta;
    return q / V;
}

int rx_dyn_jac_eval(SUNMatrix A, const double *u)
{
    Jac *B = A->content;
    RxDyn *D = B->D;
    const RxPlant *p = D->p;
    int M = D->M, K = B->K;
    double T[RX_MAX_SPECIES], x[RX_MAX_SPECIES], y[RX_MAX_SPECIES], dadcl[RX_MAX_SPECIES];
    double dadT[RX_MAX_SPECIES * RX_MAX_SPECIES], dodT[RX_MAX_SPECIES * RX_MAX_SPECIES];
    for (int k = 0; k < D->N; k++) {
        int mi = rx_dyn_mixer_index(D, k);
        for (int j = 0; j < M; j++)
            T[j] = fmax(u[mi + j], 0.0);
        double cl = fmax(u[mi + M], 0.0);
        RxStageIn in = {M, T, p->charge, cl, D->Vaq[k], D->Vorg[k], p->extractant_conc, 0, p->ka_hso4};
        RxStageOut out = {x, y, 0, 0, dadT, dodT, 0, dadcl};
        if (rx_model_split(p, &in, D->guess + 2 * k, &out) != RX_OK)
            return 1;
        double *X = B->Xm + (size_t)k * (size_t)(K * K), *Y = B->Ym + (size_t)k * (size_t)(K * K);
        memset(X, 0, sizeof(double) * (size_t)(K * K));
        memset(Y, 0, sizeof(double) * (size_t)(K * K));
        for (int j = 0; j < M; j++)
            for (int i = 0; i < M; i++) {
                X[i + j * K] = dadT[i + j * M] / D->Vaq[k];
                Y[i + j * K] = dodT[i + j * M] / D->Vorg[k];
            }
        for (int i = 0; i < M; i++) {
            X[i + M * K] = dadcl[i] / D->Vaq[k];
            Y[i + M * K] = -dadcl[i] / D->Vorg[k];
        }
        X[M + M * K] = 1.0 / D->Vaq[k]; /* chloride concentration = amount / volume */
        /* The right-hand side clamps negative amounts to 0: flat there. */
        for (int j = 0; j < K; j++)
            if (u[mi + j] < 0)
                for (int i = 0; i < K; i++)
                    X[i + j * K] = Y[i + j * K] = 0;
    }
    B->cj = 1.0;
    B->ci = 0.0;
    return 0;
}

/* c += a * A b for K x K column-major A. */
static void matvec_add(int K, double a, const double *A, const double *b, double *c)
{
    for (int j = 0; j < K; j++) {
        double bj = a * b[j];
        for (int i = 0; i < K; i++)
            c[i] += A[i + j * K] * bj;
    }
}

/* Block LU of the mixer system at gamma, stage by stage: the LU of each
 * diagonal block D' less the coupling to the stage before, and G = D'^-1 U. */
static int block_factor(Block *B, const Jac *J, double gamma)
{
    RxDyn *D = B->D;
    int N = D->N, K = B->K;
    size_t KK = (size_t)(K * K);
    double Dk[RX_MAX_SPECIES * RX_MAX_SPECIES * 2], U[(RX_MAX_SPECIES + 1) * (RX_MAX_SPECIES + 1)];
    for (int k = 0; k < N; k++) {
        const double *X = J->Xm + (size_t)k * KK, *Y = J->Ym + (size_t)k * KK;
        double A = D->fl.A[k], O = D->fl.O[k];
        for (size_t e = 0; e < KK; e++)
            Dk[e] = gamma * (A * X[e] + O * Y[e]);
        for (int i = 0; i < K; i++)
            Dk[i + i * K] += 1.0;
        if (k > 0) {
            /* Dk -= L_k G_{k-1}, L_k = -gamma po O c' Y_{k-1}. */
            double c = B->cl[k] = gamma * D->fl.po[k - 1] * D->fl.O[k - 1] *
                                  outlet_gain(gamma, D->fl.O[k - 1], D->Vto[k - 1], D->nt[k - 1]);
            const double *Yp = J->Ym + (size_t)(k - 1) * KK, *Gp = B->G + (size_t)(k - 1) * KK;
            for (int j = 0; j < K; j++)
                matvec_add(K, c, Yp, Gp + j * K, Dk + j * K);
        }
        double *LU = B->LU + (size_t)k * KK;
        memcpy(LU, Dk, sizeof(double) * KK);
        if (rx_dense_factor(K, LU, B->piv + k * K) != RX_OK)
            return 1;
        if (k < N - 1) {
            /* G_k = D'^-1 U_k, U_k = -gamma pa A c X_{k+1}. */
            double c = -gamma * D->fl.pa[k + 1] * D->fl.A[k + 1] *
                       outlet_gain(gamma, D->fl.A[k + 1], D->Vta[k + 1], D->nt[k + 1]);
            const double *Xn = J->Xm + (size_t)(k + 1) * KK;
            for (size_t e = 0; e < KK; e++)
                U[e] = c * Xn[e];
            memcpy(B->G + (size_t)k * KK, U, sizeof(double) * KK);
            rx_dense_lu_solve(K, K, LU, B->piv + k * K, B->G + (size_t)k * KK);
        }
    }
    B->fact_gamma = gamma;
    return 0;
}

/* The aqueous (phase 0) or organic (1) tank recursion of stage k: with
 * dc = d(mixer outlet conc), fills the tank increments in x from b; returns
 * in last the tank-only part p of the last tank (dc = 0). */
static void tank_sweep(const RxDyn *D, int k, int phase, double gamma, const double *b, const double *dc, double *x,
                       double *last)
{
    int M = D->M, width = phase == 0 ? M + 1 : M, nt = D->nt[k];
    double Q = phase == 0 ? D->fl.A[k] : D->fl.O[k], V = phase == 0 ? D->Vta[k] : D->Vto[k];
    double beta = gamma * Q / V, s = 1.0 / (1.0 + beta);
    for (int t = 0; t < nt; t++) {
        int i0 = phase == 0 ? rx_dyn_aq_tank_index(D, k, t) : rx_dyn_org_tank_index(D, k, t);
        int ip = t == 0 ? -1 : (phase == 0 ? rx_dyn_aq_tank_index(D, k, t - 1) : rx_dyn_org_tank_index(D, k, t - 1));
        for (int j = 0; j < width; j++) {
            double prev = t == 0 ? gamma * Q * (dc ? dc[j] : 0) : beta * x[ip + j];
            x[i0 + j] = s * (b[i0 + j] + prev);
        }
    }
    if (last && nt > 0) {
        int il = phase == 0 ? rx_dyn_aq_tank_index(D, k, nt - 1) : rx_dyn_org_tank_index(D, k, nt - 1);
        for (int j = 0; j < width; j++)
            last[j] = x[il + j] / V;
    }
}

/* Forward sweep of block Thomas into B->z: each mixer's right-hand side
 * with the tank-only parts of its neighbours' outlets (tank increments of
 * b alone go to x), eliminated against the stage before. */
static void forward_sweep(Block *B, const Jac *J, double gamma, const double *b, double *x)
{
    RxDyn *D = B->D;
    int N = D->N, M = D->M, K = B->K;
    size_t KK = (size_t)(K * K);
    double pa[RX_MAX_SPECIES + 1], po[RX_MAX_SPECIES + 1];
    for (int k = 0; k < N; k++) {
        int mi = rx_dyn_mixer_index(D, k);
        double *zk = B->z + (size_t)k * (size_t)K;
        for (int j = 0; j < K; j++)
            zk[j] = b[mi + j];
        if (k + 1 < N && D->nt[k + 1] > 0) {
            tank_sweep(D, k + 1, 0, gamma, b, NULL, x, pa);
            for (int j = 0; j < K; j++)
                zk[j] += gamma * D->fl.pa[k + 1] * D->fl.A[k + 1] * pa[j];
        }
        if (k > 0) {
            if (D->nt[k - 1] > 0) {
                tank_sweep(D, k - 1, 1, gamma, b, NULL, x, po);
                for (int j = 0; j < M; j++)
                    zk[j] += gamma * D->fl.po[k - 1] * D->fl.O[k - 1] * po[j];
            }
            matvec_add(K, B->cl[k], J->Ym + (size_t)(k - 1) * KK, B->z + (size_t)(k - 1) * (size_t)K, zk);
        }
        rx_dense_lu_solve(K, 1, B->LU + (size_t)k * KK, B->piv + k * K, zk);
    }
}

/* Backward sweep: the mixers' increments in x, then each stage's tanks
 * from its mixer's change. */
static void backward_sweep(Block *B, const Jac *J, double gamma, const double *b, double *x)
{
    RxDyn *D = B->D;
    int N = D->N, K = B->K;
    size_t KK = (size_t)(K * K);
    double dc[RX_MAX_SPECIES + 1];
    for (int k = N - 1; k >= 0; k--) {
        int mi = rx_dyn_mixer_index(D, k);
        double *xm = x + mi;
        memcpy(xm, B->z + (size_t)k * (size_t)K, sizeof(double) * (size_t)K);
        if (k + 1 < N) {
            const double *G = B->G + (size_t)k * KK, *xn = x + rx_dyn_mixer_index(D, k + 1);
            for (int j = 0; j < K; j++)
                for (int i = 0; i < K; i++)
                    xm[i] -= G[i + j * K] * xn[j];
        }
    }
    for (int k = 0; k < N; k++) {
        const double *xm = x + rx_dyn_mixer_index(D, k);
        for (int j = 0; j < K; j++)
            dc[j] = 0;
        matvec_add(K, 1.0, J->Xm + (size_t)k * KK, xm, dc);
        tank_sweep(D, k, 0, gamma, b, dc, x, NULL);
        for (int j = 0; j < K; j++)
            dc[j] = 0;
        matvec_add(K, 1.0, J->Ym + (size_t)k * KK, xm, dc);
        tank_sweep(D, k, 1, gamma, b, dc, x, NULL);
    }
}

/* ---- the matrix ----------------------------------------------------------- */

static SUNMatrix_ID jac_id(SUNMatrix A)
{
    (void)A;
    return SUNMATRIX_CUSTOM;
}

static void jac_destroy(SUNMatrix A)
{
    if (!A)
        return;
    Jac *J = A->content;
    if (J) {
        free(J->Xm);
        free(J->Ym);
        free(J);
    }
    A->content = NULL;
    SUNMatFreeEmpty(A);
}

static SUNMatrix jac_clone(SUNMatrix A)
{
    const Jac *J = A->content;
    return rx_dyn_jac_create(J->D, A->sunctx);
}

static int jac_zero(SUNMatrix A)
{
    Jac *J = A->content;
    size_t len = (size_t)J->D->N * (size_t)(J->K * J->K);
    memset(J->Xm, 0, sizeof(double) * len);
    memset(J->Ym, 0, sizeof(double) * len);
    J->cj = J->ci = 0.0;
    return SUNMAT_SUCCESS;
}

/* B = A. */
static int jac_copy(SUNMatrix A, SUNMatrix B)
{
    const Jac *JA = A->content;
    Jac *JB = B->content;
    size_t len = (size_t)JA->D->N * (size_t)(JA->K * JA->K);
    memcpy(JB->Xm, JA->Xm, sizeof(double) * len);
    memcpy(JB->Ym, JA->Ym, sizeof(double) * len);
    JB->cj = JA->cj;
    JB->ci = JA->ci;
    return SUNMAT_SUCCESS;
}

/* A = c A + I, on the scalars only. */
static int jac_scaleaddi(sunrealtype c, SUNMatrix A)
{
    Jac *J = A->content;
    J->cj *= c;
    J->ci = c * J->ci + 1.0;
    return SUNMAT_SUCCESS;
}

SUNMatrix rx_dyn_jac_create(RxDyn *D, SUNContext sctx)
{
    SUNMatrix A = SUNMatNewEmpty(sctx);
    Jac *J = calloc(1, sizeof *J);
    if (!A || !J) {
        free(J);
        if (A)
            SUNMatFreeEmpty(A);
        return NULL;
    }
    J->D = D;
    J->K = D->M + 1;
    size_t KK = (size_t)(J->K * J->K), N = (size_t)D->N;
    J->Xm = calloc(N * KK, sizeof(double));
    J->Ym = calloc(N * KK, sizeof(double));
    A->content = J;
    A->ops->getid = jac_id;
    A->ops->clone = jac_clone;
    A->ops->destroy = jac_destroy;
    A->ops->zero = jac_zero;
    A->ops->copy = jac_copy;
    A->ops->scaleaddi = jac_scaleaddi;
    if (!J->Xm || !J->Ym) {
        jac_destroy(A);
        return NULL;
    }
    return A;
}

/* ---- the solver ----------------------------------------------------------- */

/* Factor A = I - gamma J.  CVLS always hands over ci = 1 (its ScaleAddI of J). */
static int block_setup(SUNLinearSolver LS, SUNMatrix A)
{
    Block *B = LS->content;
    const Jac *J = A->content;
    if (J->ci != 1.0)
        return SUNLS_ILL_INPUT;
    return block_factor(B, J, -J->cj) ? SUNLS_LUFACT_FAIL : SUNLS_SUCCESS;
}

static int block_solve(SUNLinearSolver LS, SUNMatrix A, N_Vector xv, N_Vector bv, sunrealtype tol)
{
    (void)tol;
    Block *B = LS->content;
    const Jac *J = A->content;
    const double *b = N_VGetArrayPointer(bv);
    double *x = N_VGetArrayPointer(xv);
    forward_sweep(B, J, B->fact_gamma, b, x);
    backward_sweep(B, J, B->fact_gamma, b, x);
    return SUNLS_SUCCESS;
}

static SUNLinearSolver_Type block_type(SUNLinearSolver LS)
{
    (void)LS;
    return SUNLINEARSOLVER_DIRECT;
}

static int block_free(SUNLinearSolver LS)
{
    if (!LS)
        return SUNLS_SUCCESS;
    Block *B = LS->content;
    if (B) {
        free(B->LU);
        free(B->G);
        free(B->z);
        free(B->cl);
        free(B->piv);
        free(B);
    }
    LS->content = NULL;
    SUNLinSolFreeEmpty(LS);
    return SUNLS_SUCCESS;
}

SUNLinearSolver rx_dyn_linsolve_create(RxDyn *D, SUNContext sctx)
{
    SUNLinearSolver LS = SUNLinSolNewEmpty(sctx);
    Block *B = calloc(1, sizeof *B);
    if (!LS || !B) {
        free(B);
        if (LS)
            SUNLinSolFreeEmpty(LS);
        return NULL;
    }
    B->D = D;
    B->K = D->M + 1;
    size_t KK = (size_t)(B->K * B->K), N = (size_t)D->N;
    B->LU = calloc(N * KK, sizeof(double));
    B->G = calloc(N * KK, sizeof(double));
    B->z = calloc(N * (size_t)B->K, sizeof(double));
    B->cl = calloc(N, sizeof(double));
    B->piv = calloc(N * (size_t)B->K, sizeof(int));
    LS->content = B;
    LS->ops->gettype = block_type;
    LS->ops->setup = block_setup;
    LS->ops->solve = block_solve;
    LS->ops->free = block_free;
    if (!B->LU || !B->G || !B->z || !B->cl || !B->piv) {
        block_free(LS);
        return NULL;
    }
    return LS;
}
