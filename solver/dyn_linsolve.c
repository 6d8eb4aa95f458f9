/*
 * solver/dyn_linsolve.c - the structured linear solver of the dynamic model.
 *
 * CVODES' Newton needs (I - gamma J) dx = b.  The settler tanks are linear
 * and species-diagonal, so they are eliminated stage by stage; what remains
 * couples only the mixers, each to its two neighbours: a block-tridiagonal
 * system with (M+1) x (M+1) blocks, solved by block Thomas over LAPACK LU
 * factors.  That is O(N (M+1)^3) work instead of a band LU of the whole
 * state, and the Jacobian comes from the stage model's split derivatives
 * instead of difference quotients.  It is a matrix-embedded SUNLinearSolver:
 * at each solve it asks the integrator (through a query function, so this
 * file needs no CVODES) for gamma and the current iterate, refreshes the
 * Jacobian once per step and refactors when gamma changes.
 */
#include "solver/dyn_internal.h"

#include "core/lapack.h"
#include "models/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Steps a Jacobian of the mixers is reused for (CVODES reuses its own for
 * up to 51 steps, its preconditioners for 20). */
#define DYN_JAC_STEPS 20
/* Largest relative change of gamma before the factors are renewed (CVODES' DGMAX). */
#define DYN_DGMAX 0.3

typedef struct {
    RxDyn *D;               /* borrowed */
    RxDynLsQueryFn query;
    void *integrator;       /* borrowed, query's argument */
    int K;                  /* M + 1: metals and chloride */
    double *Xm, *Ym;        /* N*K*K: d(aq conc incl. Cl)/d(mixer), d(org conc)/d(mixer) */
    double *LU, *G, *z;     /* N*K*K factors, N*K*K D'^-1 U, N*K forward sweep */
    double *cl;             /* N: coupling of each mixer to the organic outlet before it, at the factors' gamma */
    int *piv;               /* N*K */
    double fact_gamma;
    int have_jac, have_fact;
    long jac_evals;
    long jac_step, jac_fails; /* step count and convergence failures at the last Jacobian */
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

/* Jacobian of the mixers' outlet concentrations at state u. */
static int block_jacobian(Block *B, const double *u)
{
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
    B->jac_evals++;
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
static int block_factor(Block *B, double gamma)
{
    RxDyn *D = B->D;
    int N = D->N, K = B->K;
    size_t KK = (size_t)(K * K);
    double Dk[RX_MAX_SPECIES * RX_MAX_SPECIES * 2], U[(RX_MAX_SPECIES + 1) * (RX_MAX_SPECIES + 1)];
    for (int k = 0; k < N; k++) {
        const double *X = B->Xm + (size_t)k * KK, *Y = B->Ym + (size_t)k * KK;
        double A = D->fl.A[k], O = D->fl.O[k];
        for (size_t e = 0; e < KK; e++)
            Dk[e] = gamma * (A * X[e] + O * Y[e]);
        for (int i = 0; i < K; i++)
            Dk[i + i * K] += 1.0;
        if (k > 0) {
            /* Dk -= L_k G_{k-1}, L_k = -gamma po O c' Y_{k-1}. */
            double c = B->cl[k] = gamma * D->fl.po[k - 1] * D->fl.O[k - 1] *
                                  outlet_gain(gamma, D->fl.O[k - 1], D->Vto[k - 1], D->nt[k - 1]);
            const double *Yp = B->Ym + (size_t)(k - 1) * KK, *Gp = B->G + (size_t)(k - 1) * KK;
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
            const double *Xn = B->Xm + (size_t)(k + 1) * KK;
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

/* Renew the Jacobian at q->y when it is DYN_JAC_STEPS steps old or a
 * nonlinear iteration failed since (as CVODES does with its own), and the
 * factors when gamma moved by more than DYN_DGMAX from theirs.  SUNLS_*. */
static int block_refresh(Block *B, const RxDynLsQuery *q)
{
    if (!B->have_jac || q->conv_fails != B->jac_fails || q->steps >= B->jac_step + DYN_JAC_STEPS) {
        if (block_jacobian(B, q->y))
            return SUNLS_PACKAGE_FAIL_REC;
        B->jac_step = q->steps;
        B->jac_fails = q->conv_fails;
        B->have_jac = 1;
        B->have_fact = 0;
    }
    if (!B->have_fact || fabs(q->gamma / B->fact_gamma - 1.0) > DYN_DGMAX) {
        if (block_factor(B, q->gamma))
            return SUNLS_LUFACT_FAIL;
        B->have_fact = 1;
    }
    return SUNLS_SUCCESS;
}

/* Forward sweep of block Thomas into B->z: each mixer's right-hand side
 * with the tank-only parts of its neighbours' outlets (tank increments of
 * b alone go to x), eliminated against the stage before. */
static void forward_sweep(Block *B, double gamma, const double *b, double *x)
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
            matvec_add(K, B->cl[k], B->Ym + (size_t)(k - 1) * KK, B->z + (size_t)(k - 1) * (size_t)K, zk);
        }
        rx_dense_lu_solve(K, 1, B->LU + (size_t)k * KK, B->piv + k * K, zk);
    }
}

/* Backward sweep: the mixers' increments in x, then each stage's tanks
 * from its mixer's change. */
static void backward_sweep(Block *B, double gamma, const double *b, double *x)
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
        matvec_add(K, 1.0, B->Xm + (size_t)k * KK, xm, dc);
        tank_sweep(D, k, 0, gamma, b, dc, x, NULL);
        for (int j = 0; j < K; j++)
            dc[j] = 0;
        matvec_add(K, 1.0, B->Ym + (size_t)k * KK, xm, dc);
        tank_sweep(D, k, 1, gamma, b, dc, x, NULL);
    }
}

static int block_solve(SUNLinearSolver LS, SUNMatrix A, N_Vector xv, N_Vector bv, sunrealtype tol)
{
    (void)A;
    (void)tol;
    Block *B = LS->content;
    RxDynLsQuery q;
    if (B->query(B->integrator, &q))
        return SUNLS_PACKAGE_FAIL_UNREC;
    int rc = block_refresh(B, &q);
    if (rc != SUNLS_SUCCESS)
        return rc;
    /* Factors kept for a nearby gamma: the sweeps use the factors' gamma and
     * the solution is scaled by 2/(1 + gamma ratio), CVODES' own correction
     * for BDF (it cannot apply it to a matrix-embedded solver). */
    double gamrat = q.gamma / B->fact_gamma;
    const double *b = N_VGetArrayPointer(bv);
    double *x = N_VGetArrayPointer(xv);
    forward_sweep(B, B->fact_gamma, b, x);
    backward_sweep(B, B->fact_gamma, b, x);
    if (gamrat != 1.0)
        N_VScale(2.0 / (1.0 + gamrat), xv, xv);
    return SUNLS_SUCCESS;
}

void rx_dyn_linsolve_reset(SUNLinearSolver LS)
{
    Block *B = LS->content;
    B->have_jac = B->have_fact = 0;
    B->jac_step = B->jac_fails = 0;
}

static SUNLinearSolver_Type block_type(SUNLinearSolver LS)
{
    (void)LS;
    return SUNLINEARSOLVER_MATRIX_EMBEDDED;
}

/* The solve is exact, so it needs no weights; having this operation spares
 * CVLS computing a mean weight for it at every solve. */
static int block_scaling(SUNLinearSolver LS, N_Vector s1, N_Vector s2)
{
    (void)LS;
    (void)s1;
    (void)s2;
    return SUNLS_SUCCESS;
}

static int block_free(SUNLinearSolver LS)
{
    if (!LS)
        return SUNLS_SUCCESS;
    Block *B = LS->content;
    if (B) {
        free(B->Xm);
        free(B->Ym);
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

SUNLinearSolver rx_dyn_linsolve_create(RxDyn *D, RxDynLsQueryFn query, void *integrator, SUNContext sctx)
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
    B->query = query;
    B->integrator = integrator;
    B->K = D->M + 1;
    size_t KK = (size_t)(B->K * B->K), N = (size_t)D->N;
    B->Xm = calloc(N * KK, sizeof(double));
    B->Ym = calloc(N * KK, sizeof(double));
    B->LU = calloc(N * KK, sizeof(double));
    B->G = calloc(N * KK, sizeof(double));
    B->z = calloc(N * (size_t)B->K, sizeof(double));
    B->cl = calloc(N, sizeof(double));
    B->piv = calloc(N * (size_t)B->K, sizeof(int));
    LS->content = B;
    LS->ops->gettype = block_type;
    LS->ops->solve = block_solve;
    LS->ops->setscalingvectors = block_scaling;
    LS->ops->free = block_free;
    if (!B->Xm || !B->Ym || !B->LU || !B->G || !B->z || !B->cl || !B->piv) {
        block_free(LS);
        return NULL;
    }
    return LS;
}

long rx_dyn_linsolve_jac_evals(SUNLinearSolver LS)
{
    return ((Block *)LS->content)->jac_evals;
}
