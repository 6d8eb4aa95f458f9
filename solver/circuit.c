/*
 * circuit.c - steady state of one counter-current circuit (DESIGN §3).
 *
 * Unknowns: u[k][j] = ln T[k][j], the total of metal j entering stage k
 * (mol/h).  The model splits T into an aqueous outflow a = A x and an organic
 * outflow o = T - a; the balance of stage k is
 *
 *     T_k = f_k + po_{k-1} o_{k-1}(T_{k-1}) + pa_{k+1} a_{k+1}(T_{k+1})
 *
 * (po, pa: share of an outflow passed on rather than drawn).  The residual
 * R_k = ln T_k - ln(inflow_k) is a relative balance error, well scaled for
 * trace elements.  Its Jacobian is block tridiagonal with M x M blocks,
 * factored by block elimination (LAPACK/BLAS on the blocks), never dense.
 *
 * Non-ideal stages (docs/model.md): with Murphree efficiency E_k a share
 * 1 - E_k of the stream arriving from the aqueous side passes the stage
 * unmixed, and each settler may send a share of one phase out with the
 * other.  T_k is then the mixer's content, E_k W_k + Z_k (W, Z: inflows from
 * the aqueous and the organic side).  The bypass (1 - E_k) W_k would make
 * the balance non-local, but it equals r_k (T_k - Z_k) with r = (1 - E)/E,
 * and Z_k depends on T_{k-1} only, so the Jacobian stays block tridiagonal.
 *
 * Globalization: march in pseudo-time to the steady state, as a plant
 * does after start-up.  Each implicit-Euler step of dT/dtau = in(T) - T,
 *
 *     ln(T (1 + 1/dtau)) - ln(in(T) + T_old/dtau) = 0,
 *
 * is solved by Newton (same band Jacobian, off-diagonal blocks damped by the
 * T_old/dtau term).  A step whose Newton converges fast lets dtau grow; one
 * that fails (a stage solve fails, the residual will not fall) is retried
 * with a smaller dtau.  Once dtau is large the steps are Newton iterations
 * on the steady residual itself, and convergence is quadratic.  Fronts that
 * move through the cascade (a saponified organic pushing Na into the scrub
 * section) defeat plain Newton and its line searches; the march does not.
 */
#include "solver/circuit.h"
#include "solver/stagemap.h"

#include "core/flows.h"
#include "core/lapack.h"
#include "models/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Pseudo-time march (switched evolution relaxation): the first step (in
 * units of stage residence) from the cold start and from a coarse circuit's
 * profile, the largest step (beyond it the step is Newton on the steady
 * residual), the most a step may grow after a success, the cut after a
 * failure and the step at most from which that cut is taken, the step
 * below which the march gives up, and the largest Newton step in ln T (per
 * component; it only guards exp()). */
#define MARCH_DT0 64.0
#define MARCH_DT_MAX 1e12
#define MARCH_GROW_MAX 10.0
#define MARCH_CUT 0.25
#define MARCH_DT_CUT_FROM 1e4
#define MARCH_DT_MIN 1e-8
#define MAX_LN_STEP 20.0
#define HALVINGS 6
/* Nested iteration: a circuit of more than NEST_MIN_STAGES stages starts
 * from the solution of the same circuit with every section at half its
 * stages (rounded up), its profile stretched back over the stages; the
 * coarse levels are solved to NEST_TOL only. */
#define NEST_MIN_STAGES 16
#define NEST_TOL 1e-4
/* The march from the coarse profile gets NEST_PATIENCE times the
 * iterations the coarse levels took (at least NEST_PATIENCE_MIN) before the
 * cold start takes over: when halving the stages changes the separation
 * (a tight design lets an element through at half its stages) the fronts
 * of the coarse profile are in the wrong place, and Newton walks a front
 * at about four iterations a stage. */
#define NEST_PATIENCE 3
#define NEST_PATIENCE_MIN 30
/* After the stretch a component below KREMSER_TRACE of its stage's metal
 * takes its Kremser profile (kremser_traces). */
#define KREMSER_TRACE 1e-2
/* A warm start that has not converged within WARM_ITERATIONS Newton
 * iterations is abandoned for the cold solve. */
#define WARM_ITERATIONS 40
/* In the monotonicity test a species counts fully from this share of its
 * circuit feed up, and in proportion below: traces steer no step. */
#define TEST_TRACE 1e-6
/* Gauss-Seidel sweeps that shape the start, and their early-stop change. */
#define SWEEPS 30
#define SWEEP_TOL 1e-3
/* Every stage inflow gets TRACE_FLOOR times the species' circuit feed added.
 * Amounts below it (parts per quadrillion of the feed) carry no information
 * but would drive ln T towards underflow, e.g. Na deep in a scrub section
 * where each stage divides it by 1e10.  The added amount leaves with the
 * outlets; recycled through a scrub section it is counted several times,
 * so it can move the reported closure by N * TRACE_FLOOR times the reflux
 * ratio (about 1e-13 in configs/default.cfg), far below RX_CLOSURE_TOL. */
#define TRACE_FLOOR 1e-15

typedef struct {
    const RxPlant *p;
    int N, M;
    double *A, *O, *cl, *fcl, *so4; /* N */
    double *pa, *po;     /* N: passed-on share of aqueous / organic outflow */
    double *f;           /* N*M feed metal, mol/h */
    double *Tn;          /* N*M totals at the start of the pseudo-time step */
    double inv_dt;       /* 1/dtau, 0 for the steady residual */
    double floor[RX_MAX_SPECIES]; /* TRACE_FLOOR x circuit feed, mol/h */
    double *u, *R, *in;  /* N*M */
    double *T;           /* N*M: exp(u) at the point the stages were last split at */
    double *tri;         /* 5N: scratch of the tridiagonal solves */
    double *a;           /* N*M aqueous outflow mol/h */
    double *dadT, *dodT; /* N*M*M */
    double *x, *y;       /* N*M */
    double *h, *d;       /* N */
    double *guess;       /* N*2 */
    /* Non-idealities; with none, eff = 1, ea = eo = rb = 0 and byp = 0. */
    int nonideal;
    double *eff, *ea, *eo, *rb; /* N: efficiency, entrained shares, bypass ratio (1-E)/E */
    double *faq, *forg;  /* N*M metal fed with the aqueous / the organic, mol/h */
    double *z, *byp;     /* N*M inflow from the organic side; bypassed metal, mol/h */
    double *Va, *Vo, *cla; /* N: volumes of the outflows, chloride in the aqueous outflow */
    double *Voa, *Vao;     /* N: organic volume within the aqueous outflow, aqueous within the organic */
    double *L, *D, *U;   /* N*M*M: the Jacobian's blocks below, on and above the diagonal (rx_blocktri_factor) */
    int *ipiv;           /* N*M */
    /* Newton: the iterate of the step, its trial u + alpha du, the step du,
     * the simplified correction, the weights of the monotonicity test.
     * All N*M. */
    double *ut, *utry, *du, *dbar, *wt;
    int steady_at_u; /* R, in, z and byp hold the steady residual at u (steady_residual) */
    int n;
    int stage_iters;
} Work;

static void work_free(Work *w)
{
    void *ptrs[] = {w->A,  w->O,  w->cl,  w->fcl,  w->so4, w->pa,   w->po,    w->f,    w->Tn, w->u,
                    w->R,  w->in, w->a,   w->dadT, w->dodT, w->x,   w->y,     w->h,    w->d,  w->guess,
                    w->L, w->D, w->U, w->ipiv, w->eff, w->ea, w->eo, w->rb, w->faq, w->forg, w->z, w->byp,
                    w->Va, w->Vo, w->cla, w->Voa, w->Vao, w->ut, w->utry, w->du, w->dbar, w->wt, w->T, w->tri};
    for (size_t i = 0; i < sizeof ptrs / sizeof ptrs[0]; i++)
        free(ptrs[i]);
}

static int work_alloc(Work *w, const RxPlant *p)
{
    int N = p->nstages, M = p->nsp;
    size_t NM = (size_t)N * (size_t)M;
    memset(w, 0, sizeof *w);
    w->p = p;
    w->N = N;
    w->M = M;
    w->n = N * M;
    double **vecN[] = {&w->A,  &w->O,  &w->cl, &w->fcl, &w->so4, &w->pa, &w->po, &w->h,
                       &w->d,  &w->eff, &w->ea, &w->eo, &w->rb, &w->Va, &w->Vo, &w->cla, &w->Voa, &w->Vao};
    for (size_t i = 0; i < sizeof vecN / sizeof vecN[0]; i++)
        if (!(*vecN[i] = calloc((size_t)N, sizeof(double))))
            return RX_NO_MEMORY;
    double **vecNM[] = {&w->f,    &w->Tn,   &w->u, &w->R,  &w->in,    &w->a,  &w->x,    &w->y, &w->faq,
                        &w->forg, &w->z,    &w->byp, &w->ut, &w->utry, &w->du, &w->dbar, &w->wt, &w->T};
    for (size_t i = 0; i < sizeof vecNM / sizeof vecNM[0]; i++)
        if (!(*vecNM[i] = calloc(NM, sizeof(double))))
            return RX_NO_MEMORY;
    w->dadT = calloc(NM * (size_t)M, sizeof(double));
    w->dodT = calloc(NM * (size_t)M, sizeof(double));
    w->guess = calloc(2 * (size_t)N, sizeof(double));
    w->tri = calloc(5 * (size_t)N, sizeof(double));
    w->L = calloc(NM * (size_t)M, sizeof(double));
    w->D = calloc(NM * (size_t)M, sizeof(double));
    w->U = calloc(NM * (size_t)M, sizeof(double));
    w->ipiv = calloc((size_t)w->n, sizeof(int));
    if (!w->dadT || !w->dodT || !w->guess || !w->tri || !w->L || !w->D || !w->U || !w->ipiv)
        return RX_NO_MEMORY;
    return RX_OK;
}


/* A quantity that stays in one phase (a phase's volume, chloride, sulfate)
 * routed through non-ideal stages: the mixer content X_k = E_k W_k + Z_k of
 * each stage, where the phase's share alpha_k of X_k leaves towards the
 * aqueous side and the rest towards the organic side.  With the bypass
 * written as r (X - Z) (see the top of the file) X solves a tridiagonal
 * system.  fa, fo: fed with the aqueous / organic per stage; out: X, then
 * the outflows to the aqueous and the organic side.  scratch: 4N. */
static int route_passive(const Work *w, const double *fa, const double *fo, int organic, double *X, double *out_aq,
                         double *out_org, double *scratch)
{
    int N = w->N;
    double *dl = scratch, *d = scratch + N, *du = scratch + 2 * N, *alpha = scratch + 3 * N;
    for (int k = 0; k < N; k++)
        alpha[k] = organic ? w->eo[k] : 1.0 - w->ea[k];
    for (int k = 0; k < N; k++) {
        double up = k < N - 1 ? w->eff[k] * w->pa[k + 1] : 0;
        d[k] = 1.0 + (k < N - 1 ? up * w->rb[k + 1] * w->po[k] * (1.0 - alpha[k]) : 0);
        if (k > 0)
            dl[k - 1] = -w->po[k - 1] * (1.0 - alpha[k - 1]);
        if (k < N - 1)
            du[k] = -up * (alpha[k + 1] + w->rb[k + 1]);
        X[k] = w->eff[k] * fa[k] + fo[k] - (k < N - 1 ? up * w->rb[k + 1] * fo[k + 1] : 0);
    }
    if (rx_tridiag_solve(N, 1, dl, d, du, X) != RX_OK)
        return RX_SINGULAR;
    for (int k = N - 1; k >= 0; k--) {
        double W = fa[k] + (k < N - 1 ? w->pa[k + 1] * out_aq[k + 1] : 0);
        out_aq[k] = alpha[k] * X[k] + (1.0 - w->eff[k]) * W;
        out_org[k] = (1.0 - alpha[k]) * X[k];
    }
    return RX_OK;
}

/* Phase volumes, chloride and sulfate in the mixers of non-ideal stages
 * (replacing the plain flows of w->A, O, cl, so4) and in the outflows. */
static int nonideal_flows(Work *w)
{
    const RxPlant *p = w->p;
    int N = w->N;
    /* fed: aqueous volume, organic volume, chloride, sulfate; then X, out_aq, out_org of each */
    double *buf = calloc((size_t)N * 21, sizeof(double));
    if (!buf)
        return RX_NO_MEMORY;
    double *fed = buf, *X = buf + 4 * N, *oa = buf + 8 * N, *oo = buf + 12 * N, *scratch = buf + 16 * N,
           *zero = buf + 20 * N;
    for (int i = 0; i < p->nfeeds; i++) {
        const RxFeed *fd = &p->feeds[i];
        int k = fd->stage;
        if (fd->phase == RX_ORG) {
            fed[N + k] += fd->flow;
            continue;
        }
        fed[k] += fd->flow;
        fed[2 * N + k] += fd->flow * fd->cl;
        fed[3 * N + k] += fd->flow * fd->so4;
    }
    int rc = RX_OK;
    for (int q = 0; q < 4 && rc == RX_OK; q++) {
        int organic = q == 1;
        const double *fa = organic ? zero : fed + q * N, *fo = organic ? fed + N : zero;
        rc = route_passive(w, fa, fo, organic, X + q * N, oa + q * N, oo + q * N, scratch);
    }
    if (rc == RX_OK)
        for (int k = 0; k < N; k++) {
            w->A[k] = X[k];
            w->O[k] = X[N + k];
            w->cl[k] = X[2 * N + k];
            w->so4[k] = X[3 * N + k];
            w->Va[k] = oa[k] + oa[N + k];
            w->Voa[k] = oa[N + k];
            w->Vao[k] = oo[k];
            w->Vo[k] = oo[k] + oo[N + k];
            w->cla[k] = oa[2 * N + k];
        }
    free(buf);
    return rc;
}

/* Flows, chloride and feed metal per stage; errors for stages without flow. */
static int setup_flows(Work *w, RxError *err)
{
    const RxPlant *p = w->p;
    int N = w->N, M = w->M;
    RxFlows fl = {w->A, w->O, w->cl, w->fcl, w->f, w->pa, w->po, w->so4};
    rx_cascade_flows(p, p->feeds, &fl);
    for (int i = 0; i < p->nfeeds; i++) {
        const RxFeed *fd = &p->feeds[i];
        double *to = (fd->phase == RX_AQ ? w->faq : w->forg) + fd->stage * M;
        for (int j = 0; j < M; j++)
            to[j] += fd->flow * fd->c[j];
    }
    for (int i = 0; i < p->nsections; i++) {
        const RxSection *sec = &p->sections[i];
        for (int k = sec->first; k < sec->first + sec->count; k++) {
            w->eff[k] = sec->efficiency;
            w->ea[k] = sec->aq_entrain;
            w->eo[k] = sec->org_entrain;
            w->rb[k] = (1.0 - sec->efficiency) / sec->efficiency;
            w->nonideal |= sec->efficiency < 1.0 || sec->aq_entrain > 0 || sec->org_entrain > 0;
        }
    }
    if (w->nonideal) {
        int rc = nonideal_flows(w);
        if (rc == RX_NO_MEMORY)
            return rx_error_set(err, rc, NULL, "out of memory");
        if (rc != RX_OK)
            return rx_error_set(err, rc, p->path, "the flows through the non-ideal stages have no solution");
    }
    for (int j = 0; j < M; j++) {
        double tot = 0;
        for (int k = 0; k < N; k++)
            tot += w->f[k * M + j];
        w->floor[j] = TRACE_FLOOR * tot;
    }
    int what, k = rx_flows_gap(N, w->A, w->O, w->cl, w->so4, p->model->type->needs_anions, &what);
    if (k >= 0 && what != RX_GAP_ANIONS)
        return rx_error_set(err, RX_BAD_INPUT, p->path,
                            "stage %d has no %s flow: every stage needs both phases (check feeds and draws)", k + 1,
                            what == RX_GAP_ORGANIC ? "organic" : "aqueous");
    if (k >= 0)
        return rx_error_set(err, RX_BAD_INPUT, p->path, "stage %d has no chloride in its aqueous", k + 1);
    return RX_OK;
}

/* Split stage k at totals T (mol/h); optionally its Jacobian blocks. */
static int split_stage(Work *w, int k, const double *T, int jac)
{
    const RxPlant *p = w->p;
    int M = w->M;
    RxStageIn in = {M, T, p->charge, w->cl[k], w->A[k], w->O[k], p->extractant_conc, w->so4[k], p->ka_hso4};
    size_t off = (size_t)k * (size_t)M * (size_t)M;
    RxStageOut out = {w->x + k * M, w->y + k * M, 0, 0, jac ? w->dadT + off : NULL, jac ? w->dodT + off : NULL, 0, NULL};
    int rc = rx_model_split(p, &in, w->guess + 2 * k, &out);
    w->stage_iters += out.iterations;
    if (rc != RX_OK)
        return rc;
    w->h[k] = out.h;
    w->d[k] = out.d;
    for (int j = 0; j < M; j++)
        w->a[k * M + j] = w->A[k] * out.x[j];
    return RX_OK;
}

/* Metal a stage sends to the aqueous / organic side (bypass excluded). */
static inline double out_aq(const Work *w, int k, int i)
{
    return (1.0 - w->ea[k]) * w->a[i] + w->eo[k] * w->O[k] * w->y[i];
}

static inline double out_org(const Work *w, int k, int i)
{
    return (1.0 - w->eo[k]) * w->O[k] * w->y[i] + w->ea[k] * w->a[i];
}

/* Inflow from the organic side of stage k (feeds, trace floor included). */
static inline double inflow_org(const Work *w, int k, int i)
{
    return w->forg[i] + w->floor[i % w->M] + (k > 0 ? w->po[k - 1] * out_org(w, k - 1, i - w->M) : 0);
}

/* Inflow from the aqueous side of stage k: feeds and what stage k+1 sends,
 * its bypass included. */
static inline double inflow_aq(const Work *w, int k, int i)
{
    return w->faq[i] + (k < w->N - 1 ? w->pa[k + 1] * (out_aq(w, k + 1, i + w->M) + w->byp[i + w->M]) : 0);
}

/* Stage k's aqueous inflow is its feeds alone (top stage, or the aqueous of
 * the stage above all drawn): its bypass is fixed, not r (T - Z). */
static inline int bypass_fixed(const Work *w, int k)
{
    return k == w->N - 1 || w->pa[k + 1] == 0;
}

/* Split every stage at u; optionally the Jacobian blocks.  A stage that
 * fails sets *worst to its first component. */
static int split_all(Work *w, const double *u, int jac, int *worst)
{
    int N = w->N, M = w->M;
    for (int i = 0; i < w->n; i++)
        w->T[i] = exp(u[i]);
    for (int k = 0; k < N; k++) {
        if (split_stage(w, k, w->T + k * M, jac) != RX_OK) {
            *worst = k * M;
            return RX_NOT_CONVERGED;
        }
    }
    return RX_OK;
}

/* The residual at u from the stages as split_all left them (split at u). */
static int residual(Work *w, const double *u, double *R, double *norm2, double *norminf, int *worst)
{
    int N = w->N, M = w->M;
    double lag = log1p(w->inv_dt);
    /* Bypass r (T - Z): clipped at 0 away from the solution, where it is E W.
     * Where nothing arrives from the stage above, W is the feeds: constant. */
    for (int i = 0; i < w->n; i++) {
        int k = i / M;
        w->z[i] = inflow_org(w, k, i);
        w->byp[i] = !(w->rb[k] > 0)       ? 0
                    : bypass_fixed(w, k) ? (1.0 - w->eff[k]) * w->faq[i]
                                         : w->rb[k] * fmax(w->T[i] - w->z[i], 0);
    }
    double s2 = 0, smax = -1;
    for (int k = 0; k < N; k++)
        for (int j = 0; j < M; j++) {
            int i = k * M + j;
            double v = w->eff[k] * inflow_aq(w, k, i) + w->z[i] + w->inv_dt * w->Tn[i];
            w->in[i] = v;
            R[i] = v > 0 ? u[i] + lag - log(v) : INFINITY;
            if (!isfinite(R[i])) {
                *worst = i;
                return RX_NOT_CONVERGED;
            }
            s2 += R[i] * R[i];
            if (fabs(R[i]) > smax) {
                smax = fabs(R[i]);
                *worst = i;
            }
        }
    *norm2 = sqrt(s2);
    *norminf = smax;
    return RX_OK;
}

/* Split every stage at u and form the residual; optionally the Jacobian blocks. */
static int evaluate(Work *w, const double *u, double *R, int jac, double *norm2, double *norminf, int *worst)
{
    if (split_all(w, u, jac, worst) != RX_OK)
        return RX_NOT_CONVERGED;
    return residual(w, u, R, norm2, norminf, worst);
}

/* Assemble the Jacobian of the residual in band storage at the point the
 * stages were last split at.
 * Row i of stage k: the inflow from the organic side depends on T_{k-1}
 * through G = d(out_org)/dT; from the aqueous side on T_{k+1} through
 * d(out_aq)/dT plus the bypass r_{k+1} I, and on T_k through the -r Z_{k+1}
 * of that bypass. */
static void assemble(Work *w)
{
    const double *Tc = w->T;
    int N = w->N, M = w->M;
    size_t MM = (size_t)M * (size_t)M;
    memset(w->D, 0, sizeof(double) * (size_t)N * MM);
    for (int k = 0; k < N; k++) {
        double *Lk = w->L + (size_t)k * MM, *Dk = w->D + (size_t)k * MM, *Uk = w->U + (size_t)k * MM;
        for (int i = 0; i < M; i++) {
            int r = k * M + i;
            Dk[i + i * M] = 1.0;
            double inv = 1.0 / w->in[r];
            if (k > 0) {
                const double *Do = w->dodT + (size_t)(k - 1) * MM, *Da = w->dadT + (size_t)(k - 1) * MM;
                double co = w->po[k - 1] * (1.0 - w->eo[k - 1]), ca = w->po[k - 1] * w->ea[k - 1];
                for (int j = 0; j < M; j++)
                    Lk[i + j * M] = -inv * (co * Do[i + j * M] + ca * Da[i + j * M]) * Tc[(k - 1) * M + j];
            }
            if (k < N - 1) {
                const double *Do = w->dodT + (size_t)(k + 1) * MM, *Da = w->dadT + (size_t)(k + 1) * MM;
                double up = w->eff[k] * w->pa[k + 1];
                double ca = up * (1.0 - w->ea[k + 1]), co = up * w->eo[k + 1];
                int open = w->byp[r + M] > 0 && !bypass_fixed(w, k + 1); /* r (T - Z), not clipped */
                for (int j = 0; j < M; j++) {
                    double v = ca * Da[i + j * M] + co * Do[i + j * M] + (open && j == i ? up * w->rb[k + 1] : 0);
                    Uk[i + j * M] = -inv * v * Tc[(k + 1) * M + j];
                }
                if (open) { /* -r Z_{k+1}: Z_{k+1} holds po_k out_org_k(T_k) */
                    const double *Do0 = w->dodT + (size_t)k * MM, *Da0 = w->dadT + (size_t)k * MM;
                    double g = up * w->rb[k + 1] * w->po[k];
                    for (int j = 0; j < M; j++)
                        Dk[i + j * M] +=
                            inv * g * ((1.0 - w->eo[k]) * Do0[i + j * M] + w->ea[k] * Da0[i + j * M]) * Tc[k * M + j];
                }
            }
        }
    }
}

/* Start: no transfer between the phases.  Aqueous-fed metal flows down with
 * the aqueous, organic-fed metal up with the organic; each phase stays
 * electroneutral and within extractant capacity, so every stage is feasible.
 * Metal that reaches a stage by neither path gets a trace (START_TRACE of its
 * circuit total) to keep ln T finite. */
#define START_TRACE 1e-12

/* The no-transfer start through non-ideal stages: each species' aqueous-fed
 * metal routed exactly as the aqueous volume and its chloride, its
 * organic-fed metal as the organic volume (route_passive).  Entrained drops
 * then take their metal with them, so every mixer holds its phases at feed
 * compositions and stays within extractant capacity.  Carrying all the
 * organic-fed metal up the organic chain instead, as for ideal stages, puts
 * the metal of the organic drops that entrainment sends down back into a
 * smaller organic volume: near 50 % saponification that exceeds the
 * extractant's capacity, and the start is infeasible.  w->u: ln T, w->byp:
 * the bypass.  RX_NO_MEMORY or RX_SINGULAR leave them as they were. */
static int nonideal_guess(Work *w, const double *tot)
{
    int N = w->N, M = w->M, rc = RX_OK;
    /* per phase: feed, X, out_aq, out_org; the zero feed, the scratch; then u and byp */
    double *buf = calloc((size_t)N * (13 + 2 * (size_t)M), sizeof(double));
    if (!buf)
        return RX_NO_MEMORY;
    double *fa = buf, *Xa = buf + N, *oa = buf + 2 * N, *ob = buf + 3 * N, *fo = buf + 4 * N, *Xo = buf + 5 * N,
           *oc = buf + 6 * N, *od = buf + 7 * N, *zero = buf + 8 * N, *scratch = buf + 9 * N, *u = buf + 13 * N,
           *byp = u + w->n;
    for (int j = 0; j < M && rc == RX_OK; j++) {
        for (int k = 0; k < N; k++) {
            fa[k] = w->faq[k * M + j];
            fo[k] = w->forg[k * M + j];
        }
        rc = route_passive(w, fa, zero, 0, Xa, oa, ob, scratch);
        if (rc == RX_OK)
            rc = route_passive(w, zero, fo, 1, Xo, oc, od, scratch);
        for (int k = 0; k < N && rc == RX_OK; k++) {
            int i = k * M + j;
            double W = fa[k] + (k < N - 1 ? w->pa[k + 1] * oa[k + 1] : 0);
            byp[i] = (1.0 - w->eff[k]) * W;
            u[i] = log(fmax(Xa[k] + Xo[k], START_TRACE * tot[j]));
        }
    }
    if (rc == RX_OK) {
        memcpy(w->u, u, sizeof(double) * (size_t)w->n);
        memcpy(w->byp, byp, sizeof(double) * (size_t)w->n);
    }
    free(buf);
    return rc;
}

static void initial_guess(Work *w)
{
    int N = w->N, M = w->M;
    double carry[RX_MAX_SPECIES], tot[RX_MAX_SPECIES] = {0};
    for (int k = 0; k < N; k++)
        for (int j = 0; j < M; j++)
            tot[j] += w->f[k * M + j];
    /* aqueous-fed metal down: it is mixed, or bypasses the mixer */
    for (int j = 0; j < M; j++)
        carry[j] = 0;
    for (int k = N - 1; k >= 0; k--)
        for (int j = 0; j < M; j++) {
            int i = k * M + j;
            carry[j] = w->faq[i] + (k < N - 1 ? w->pa[k + 1] * carry[j] : 0);
            w->u[i] = w->eff[k] * carry[j];
            w->byp[i] = (1.0 - w->eff[k]) * carry[j];
        }
    for (int j = 0; j < M; j++)
        carry[j] = 0;
    for (int k = 0; k < N; k++)
        for (int j = 0; j < M; j++) {
            int i = k * M + j;
            carry[j] = w->forg[i] + (k > 0 ? w->po[k - 1] * carry[j] : 0);
            w->u[i] = log(fmax(w->u[i] + carry[j], START_TRACE * tot[j]));
        }
    if (w->nonideal)
        nonideal_guess(w, tot); /* on failure the guess above stands */
}

/* Symmetric Gauss-Seidel sweeps of the plain balance T_k = inflow_k, the
 * stages taken in organic order and then in aqueous order, each using the
 * newest outflows of its neighbours.  A sweep costs N stage solves and no
 * factorization, and every T it produces is a sum of equilibrium outflows,
 * so always feasible; it carries the feed across the whole cascade in one
 * pass.  It converges slowly near total reflux, so it only shapes the start
 * for the march.  Stops early once no ln T moves by more than SWEEP_TOL. */
static int presweep(Work *w, int sweeps)
{
    int N = w->N, M = w->M;
    double T[RX_MAX_SPECIES];
    for (int k = 0; k < N; k++) {
        for (int j = 0; j < M; j++)
            T[j] = exp(w->u[k * M + j]);
        if (split_stage(w, k, T, 0) != RX_OK)
            return RX_NOT_CONVERGED;
    }
    for (int sw = 0; sw < sweeps; sw++) {
        double change = 0;
        for (int pass = 0; pass < 2; pass++)
            for (int kk = 0; kk < N; kk++) {
                int k = pass == 0 ? kk : N - 1 - kk;
                for (int j = 0; j < M; j++) {
                    int i = k * M + j;
                    double W = inflow_aq(w, k, i);
                    double v = w->eff[k] * W + inflow_org(w, k, i);
                    w->byp[i] = (1.0 - w->eff[k]) * W;
                    T[j] = v;
                    change = fmax(change, fabs(log(v) - w->u[i]));
                    w->u[i] = log(v);
                }
                if (split_stage(w, k, T, 0) != RX_OK)
                    return RX_NOT_CONVERGED;
            }
        if (change < SWEEP_TOL)
            break;
    }
    return RX_OK;
}

int rx_solution_alloc(RxSolution **out, int N, int M)
{
    RxSolution *s = calloc(1, sizeof *s);
    if (!s)
        return RX_NO_MEMORY;
    s->N = N;
    s->M = M;
    size_t NM = (size_t)N * (size_t)M;
    s->A = calloc((size_t)N, sizeof(double));
    s->O = calloc((size_t)N, sizeof(double));
    s->h = calloc((size_t)N, sizeof(double));
    s->d = calloc((size_t)N, sizeof(double));
    s->cl = calloc((size_t)N, sizeof(double));
    s->x = calloc(NM, sizeof(double));
    s->y = calloc(NM, sizeof(double));
    s->T = calloc(NM, sizeof(double));
    s->org_in_aq = calloc((size_t)N, sizeof(double));
    s->aq_in_org = calloc((size_t)N, sizeof(double));
    s->closure = calloc((size_t)M, sizeof(double));
    s->guess = calloc(2 * (size_t)N, sizeof(double));
    *out = s;
    if (!s->A || !s->O || !s->h || !s->d || !s->cl || !s->x || !s->y || !s->T || !s->org_in_aq || !s->aq_in_org ||
        !s->closure || !s->guess) {
        rx_solution_destroy(out);
        return RX_NO_MEMORY;
    }
    return RX_OK;
}

void rx_solution_destroy(RxSolution **sp)
{
    if (!sp || !*sp)
        return;
    RxSolution *s = *sp;
    free(s->A);
    free(s->O);
    free(s->h);
    free(s->d);
    free(s->cl);
    free(s->x);
    free(s->y);
    free(s->T);
    free(s->org_in_aq);
    free(s->aq_in_org);
    free(s->closure);
    free(s->guess);
    free(s);
    *sp = NULL;
}

int rx_solution_check(const RxPlant *p, const RxSolution *s, RxError *err)
{
    int M = s->M, acid = p->model->type->needs_anions;
    for (int k = 0; k < s->N; k++) {
        const double *v[] = {&s->A[k], &s->O[k], &s->cl[k], &s->d[k], &s->org_in_aq[k], &s->aq_in_org[k]};
        const char *what[] = {"aqueous flow", "organic flow", "chloride", "free extractant", "entrained organic",
                              "entrained aqueous"};
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
            if (!isfinite(*v[i]))
                return rx_error_set(err, RX_NOT_CONVERGED, p->path, "stage %d: the %s is not a finite number", k + 1,
                                    what[i]);
        /* A model that exchanges metal for H+ needs h > 0 (pH = -log10 h);
         * the others report h from the charge balance, 0 when none is left. */
        if (!isfinite(s->h[k]) || !(acid ? s->h[k] > 0 : s->h[k] >= 0))
            return rx_error_set(err, RX_NOT_CONVERGED, p->path,
                                "stage %d: [H+] is %g mol/L, which has no pH: the free acid is not resolved", k + 1,
                                s->h[k]);
        for (int j = 0; j < M; j++) {
            int i = k * M + j;
            if (!isfinite(s->x[i]) || !isfinite(s->y[i]) || !isfinite(s->T[i]))
                return rx_error_set(err, RX_NOT_CONVERGED, p->path, "stage %d: %s is not a finite number", k + 1,
                                    rx_plant_element(p, j)->sym);
        }
    }
    for (int j = 0; j < M; j++)
        if (!isfinite(s->closure[j]))
            return rx_error_set(err, RX_NOT_CONVERGED, p->path, "the mass balance of %s is not a finite number",
                                rx_plant_element(p, j)->sym);
    return isfinite(s->residual) ? RX_OK
                                 : rx_error_set(err, RX_NOT_CONVERGED, p->path, "the residual is not a finite number");
}

/* Per-species (in - out)/in over the whole circuit. */
static void closure(const RxPlant *p, RxSolution *s)
{
    int N = s->N, M = s->M;
    s->max_closure = 0;
    for (int j = 0; j < M; j++) {
        double in = 0, out = s->A[0] * s->x[j] + s->O[N - 1] * s->y[(N - 1) * M + j];
        for (int i = 0; i < p->nfeeds; i++)
            in += p->feeds[i].flow * p->feeds[i].c[j];
        for (int i = 0; i < p->ndraws; i++) {
            const RxDraw *d = &p->draws[i];
            int k = d->stage;
            out += d->fraction * (d->phase == RX_AQ ? s->A[k] * s->x[k * M + j] : s->O[k] * s->y[k * M + j]);
        }
        s->closure[j] = (in - out) / in;
        if (fabs(s->closure[j]) > s->max_closure)
            s->max_closure = fabs(s->closure[j]);
    }
}

/* Where the march stands: the residual norms and the component (stage *
 * M + species) of the largest |R| at the last point evaluated, and the
 * Newton iterations so far. */
typedef struct {
    double n2, ninf;
    int worst, it;
} March;

/* Weight of component i (at the point last split) in the step tests: 1 from TEST_TRACE
 * of the species' circuit feed up, in proportion below. */
static inline double trace_weight(const Work *w, int i)
{
    return fmin(1.0, w->T[i] / w->floor[i % w->M] * TRACE_FLOOR / TEST_TRACE);
}

/* Newton direction at w->ut: w->du = -J^-1 R, J assembled and factored in
 * w->ab (kept for the simplified corrections).  RX_SINGULAR if J is. */
static int newton_direction(Work *w)
{
    assemble(w);
    for (int i = 0; i < w->n; i++)
        w->du[i] = -w->R[i];
    if (rx_blocktri_factor(w->N, w->M, w->L, w->D, w->U, w->ipiv) != RX_OK)
        return RX_SINGULAR;
    rx_blocktri_solve(w->N, w->M, w->L, w->D, w->U, w->ipiv, w->du);
    return RX_OK;
}

/* Damped Newton with the natural monotonicity test (Deuflhard): accept
 * alpha when the simplified correction J^-1 R(u + alpha du) is shorter than
 * (1 - alpha/4) |du|.  Affine invariant, so trace species with large ln
 * residuals do not dominate the test as they do a residual norm.
 * Components are clipped only to keep exp() finite; a trial whose stage
 * solves fail is halved too.  Returns 1 and moves w->ut (m: its residual)
 * when some alpha is accepted, 0 when HALVINGS halvings were not enough. */
static int damped_update(Work *w, double tol, March *m)
{
    double *ut = w->ut, *du = w->du, *wt = w->wt, *dbar = w->dbar;
    double dn = 0;
    for (int i = 0; i < w->n; i++) {
        du[i] = fmax(-MAX_LN_STEP, fmin(MAX_LN_STEP, du[i]));
        wt[i] = trace_weight(w, i);
        dn += wt[i] * du[i] * du[i];
    }
    dn = sqrt(dn);
    int ok = 0;
    double alpha = 1.0;
    for (int h = 0; h < HALVINGS && !ok; h++, alpha *= 0.5) {
        double t2, tinf;
        int tworst = 0;
        for (int i = 0; i < w->n; i++)
            w->utry[i] = ut[i] + alpha * du[i];
        if (evaluate(w, w->utry, w->R, 1, &t2, &tinf, &tworst) != RX_OK)
            continue;
        double bn = 0;
        for (int i = 0; i < w->n; i++)
            dbar[i] = -w->R[i];
        rx_blocktri_solve(w->N, w->M, w->L, w->D, w->U, w->ipiv, dbar);
        for (int i = 0; i < w->n; i++)
            bn += wt[i] * dbar[i] * dbar[i];
        if (sqrt(bn) <= (1.0 - alpha / 4.0) * dn || tinf <= tol) {
            memcpy(ut, w->utry, sizeof(double) * (size_t)w->n);
            m->n2 = t2;
            m->ninf = tinf;
            m->worst = tworst;
            ok = 1;
        }
    }
    return ok;
}

/* The steady residual at w->u, the stages split there: its weighted 2-norm
 * (what steers the step size) and, in m, its max norm and where that is.
 * RX_NOT_CONVERGED if it is not finite. */
static int steady_residual(Work *w, March *m, double *weighted)
{
    w->inv_dt = 0;
    if (residual(w, w->u, w->R, &m->n2, &m->ninf, &m->worst) != RX_OK)
        return RX_NOT_CONVERGED;
    w->steady_at_u = 1;
    double s = 0;
    for (int i = 0; i < w->n; i++)
        s += trace_weight(w, i) * w->R[i] * w->R[i];
    *weighted = sqrt(s);
    return RX_OK;
}

/* One Newton iteration on the implicit-Euler step of size dt from w->u
 * (stages split there): 1 and w->ut (stages split there) on success.  At
 * dt = MARCH_DT_MAX the step's residual is the steady one, reused when
 * steady_residual has just formed it. */
static int pseudo_step(Work *w, double dt, double tol, March *m)
{
    w->inv_dt = dt >= MARCH_DT_MAX ? 0 : 1.0 / dt;
    memcpy(w->Tn, w->T, sizeof(double) * (size_t)w->n);
    memcpy(w->ut, w->u, sizeof(double) * (size_t)w->n);
    double n2, ninf;
    int worst, fresh = w->inv_dt == 0 && w->steady_at_u;
    w->steady_at_u = 0; /* the trials of damped_update overwrite R */
    if ((!fresh && residual(w, w->ut, w->R, &n2, &ninf, &worst) != RX_OK) || newton_direction(w) != RX_OK)
        return 0;
    return damped_update(w, tol, m);
}

/* March w->u in pseudo-time from step dt until the steady residual is
 * within tol: one Newton iteration per step, and after each success the
 * step grows by the factor the weighted steady residual fell by (switched
 * evolution relaxation, at most MARCH_GROW_MAX), so it is soon Newton on
 * the steady residual itself.  A failed step is retried from the same
 * point at MARCH_CUT of the step (of MARCH_DT_CUT_FROM at most).  Returns
 * 1 when converged; 0 when the step falls below MARCH_DT_MIN or the
 * iterations run out.  w->u: the last accepted point; m: its residual. */
static int march(Work *w, double dt, double tol, int max_iterations, March *m)
{
    double r = 0, r_prev = -1;
    if (split_all(w, w->u, 1, &m->worst) != RX_OK)
        return 0;
    for (;;) {
        if (steady_residual(w, m, &r) != RX_OK)
            return 0;
        if (m->ninf <= tol)
            return 1;
        if (r_prev > 0)
            dt = fmin(MARCH_DT_MAX, dt * fmin(MARCH_GROW_MAX, fmax(1.0, r_prev / r)));
        for (;;) {
            if (m->it >= max_iterations || dt < MARCH_DT_MIN)
                return 0;
            m->it++;
            if (pseudo_step(w, dt, tol, m))
                break;
            dt = fmin(dt, MARCH_DT_CUT_FROM) * MARCH_CUT;
            if (split_all(w, w->u, 1, &m->worst) != RX_OK) /* back to the stages at w->u */
                return 0;
        }
        memcpy(w->u, w->ut, sizeof(double) * (size_t)w->n);
        r_prev = r;
    }
}

/* The error of a circuit whose steady residual is not within tolerance:
 * where it is largest. */
static int residual_error(const Work *w, const March *m, RxError *err)
{
    char res[40];
    if (isfinite(m->ninf))
        snprintf(res, sizeof res, "%.3g", m->ninf);
    else
        snprintf(res, sizeof res, "non-finite");
    return rx_error_set(err, RX_NOT_CONVERGED, w->p->path,
                        "circuit did not converge after %d iterations: max |ln residual| %s at stage %d, "
                        "element %s",
                        m->it, res, m->worst / w->M + 1, rx_plant_element(w->p, m->worst % w->M)->sym);
}

/* The solution at the converged w->u (closure not yet computed). */
static int package(const Work *w, const March *m, RxSolution **out)
{
    RxSolution *s = NULL;
    int rc = rx_solution_alloc(&s, w->N, w->M);
    if (rc != RX_OK)
        return rc;
    memcpy(s->A, w->A, sizeof(double) * (size_t)w->N);
    memcpy(s->O, w->O, sizeof(double) * (size_t)w->N);
    memcpy(s->h, w->h, sizeof(double) * (size_t)w->N);
    memcpy(s->d, w->d, sizeof(double) * (size_t)w->N);
    memcpy(s->cl, w->cl, sizeof(double) * (size_t)w->N);
    memcpy(s->x, w->x, sizeof(double) * (size_t)w->n);
    memcpy(s->y, w->y, sizeof(double) * (size_t)w->n);
    if (w->nonideal) /* report what leaves each settler, not the mixer's phases */
        for (int k = 0; k < w->N; k++) {
            s->A[k] = w->Va[k];
            s->O[k] = w->Vo[k];
            s->cl[k] = w->cla[k];
            s->org_in_aq[k] = w->Voa[k];
            s->aq_in_org[k] = w->Vao[k];
            for (int i = k * w->M; i < (k + 1) * w->M; i++) {
                s->x[i] = (out_aq(w, k, i) + w->byp[i]) / w->Va[k];
                s->y[i] = out_org(w, k, i) / w->Vo[k];
            }
        }
    for (int i = 0; i < w->n; i++)
        s->T[i] = exp(w->u[i]);
    memcpy(s->guess, w->guess, sizeof(double) * 2 * (size_t)w->N);
    s->iterations = m->it;
    s->stage_iterations = w->stage_iters;
    s->residual = m->ninf;
    s->worst_stage = m->worst / w->M;
    s->worst_species = m->worst % w->M;
    *out = s;
    return RX_OK;
}

/* The error of a solution whose mass balance does not close: the species
 * furthest off. */
static int closure_error(const RxPlant *p, const RxSolution *s, RxError *err)
{
    int worst_j = 0;
    for (int j = 1; j < s->M; j++)
        if (fabs(s->closure[j]) > fabs(s->closure[worst_j]))
            worst_j = j;
    return rx_error_set(err, RX_NOT_CONVERGED, p->path,
                        "mass balance of %s does not close: (in - out)/in = %.3g, above %.0e",
                        rx_plant_element(p, worst_j)->sym, s->closure[worst_j], RX_CLOSURE_TOL);
}

/* Start from a solution of the same circuit (N and M alike): the march
 * from its totals, first step Newton on the steady residual.  1 when that
 * converges within WARM_ITERATIONS; 0 (w->u to be set afresh) when there is
 * no such start or the march fails from it. */
static int warm_start(Work *w, const RxSolution *start, March *m)
{
    if (!start || start->N != w->N || start->M != w->M)
        return 0;
    for (int i = 0; i < w->n; i++)
        w->u[i] = log(fmax(start->T[i], w->floor[i % w->M]));
    memcpy(w->guess, start->guess, sizeof(double) * 2 * (size_t)w->N);
    int budget = w->p->options.max_iterations < WARM_ITERATIONS ? w->p->options.max_iterations : WARM_ITERATIONS;
    return march(w, MARCH_DT_MAX, w->p->options.tolerance, m->it + budget, m);
}

static int solve_cold(Work *w, double tol, March *m);


/* The solution of coarse circuit c stretched over the stages of w, section
 * by section: the pinch way of solver/warmstart.c, which lays the added
 * stages where the coarse profile is flat, so that the fronts and the
 * tails at a section's ends keep their shape and their distance from the
 * ends (a longer section mostly lengthens its pinch).  ln T and the stage
 * solves' guesses are interpolated linearly. */
static void stretch(const Work *c, Work *w)
{
    int M = w->M;
    double *t = w->tri, *scratch = w->tri + w->N;
    for (int i = 0; i < w->p->nsections; i++) {
        const RxSection *a = &c->p->sections[i], *b = &w->p->sections[i];
        rx_section_positions(a->count, b->count, M, c->u + a->first * M, RX_REMAP_PINCH, t, scratch);
        rx_section_interpolate(a->count, M, c->u + a->first * M, t, b->count, w->u + b->first * M);
        rx_section_interpolate(a->count, 2, c->guess + 2 * a->first, t, b->count, w->guess + 2 * b->first);
    }
}

/* The stretch halves the slope of a steep profile in ln T, such as the
 * tail of a strongly extracted element below the feed stage or of the
 * saponification Na above the organic inlet: tens in ln T a stage.  Where
 * an element is a trace of its stage it leaves h and d alone, so its
 * balance at the stages' split shares is linear, a tridiagonal system
 * (Kremser's cascade at varying extraction factors); such components take
 * its solution.  Stages that bypass the mixer are left to the march. */
static void kremser_traces(Work *w)
{
    int N = w->N, M = w->M, worst;
    for (int k = 0; k < N; k++)
        if (w->rb[k] > 0)
            return;
    if (split_all(w, w->u, 0, &worst) != RX_OK)
        return;
    double *dl = w->tri, *d = w->tri + N, *du = w->tri + 2 * N, *b = w->tri + 3 * N, *metal = w->tri + 4 * N;
    for (int k = 0; k < N; k++) {
        metal[k] = 0;
        for (int j = 0; j < M; j++)
            metal[k] += w->T[k * M + j];
    }
    for (int j = 0; j < M; j++) {
        for (int k = 0; k < N; k++) {
            int i = k * M + j;
            d[k] = 1.0;
            b[k] = w->faq[i] + w->forg[i] + w->floor[j];
            if (k > 0) /* what stage k-1 sends up, as a share of its total */
                dl[k - 1] = -w->po[k - 1] * out_org(w, k - 1, i - M) / w->T[i - M];
            if (k < N - 1)
                du[k] = -w->pa[k + 1] * out_aq(w, k + 1, i + M) / w->T[i + M];
        }
        if (rx_tridiag_solve(N, 1, dl, d, du, b) != RX_OK)
            continue;
        for (int k = 0; k < N; k++) {
            int i = k * M + j;
            if (b[k] > 0 && w->T[i] < KREMSER_TRACE * metal[k] && b[k] < KREMSER_TRACE * metal[k])
                w->u[i] = log(b[k]);
        }
    }
}

/* w->u from the solution of the circuit with every section at half its
 * stages (solved cold in turn, to NEST_TOL): 1 when there is one. */
static int coarse_start(Work *w, March *m)
{
    const RxPlant *p = w->p;
    int sec[RX_MAX_SECTIONS], st[RX_MAX_SECTIONS], fewer = 0;
    for (int i = 0; i < p->nsections; i++) {
        sec[i] = i;
        st[i] = (p->sections[i].count + 1) / 2;
        fewer |= st[i] < p->sections[i].count;
    }
    if (w->N <= NEST_MIN_STAGES || !fewer)
        return 0;
    RxPlant *q = NULL;
    Work c;
    memset(&c, 0, sizeof c);
    March mc = {0, INFINITY, 0, 0};
    int ok = rx_plant_copy(p, &q, NULL) == RX_OK && rx_plant_set_stages(q, p->nsections, sec, st, NULL) == RX_OK &&
             work_alloc(&c, q) == RX_OK && setup_flows(&c, NULL) == RX_OK && solve_cold(&c, NEST_TOL, &mc);
    if (ok)
        stretch(&c, w);
    m->it += mc.it;
    w->stage_iters += c.stage_iters;
    work_free(&c);
    rx_plant_destroy(&q);
    return ok;
}

/* The cold solve of w (flows set up) to tol: the march from the coarse
 * circuit's solution when there is one and it converges from there within
 * its patience, else from the no-transfer start shaped by presweep. */
static int solve_cold(Work *w, double tol, March *m)
{
    int budget = w->p->options.max_iterations, before = m->it;
    if (coarse_start(w, m)) {
        kremser_traces(w);
        int patience = NEST_PATIENCE * (m->it - before);
        patience = patience < NEST_PATIENCE_MIN ? NEST_PATIENCE_MIN : patience < budget ? patience : budget;
        if (march(w, MARCH_DT0, tol, m->it + patience, m))
            return 1;
    }
    memset(w->guess, 0, sizeof(double) * 2 * (size_t)w->N);
    initial_guess(w);
    presweep(w, SWEEPS);
    return march(w, MARCH_DT0, tol, m->it + budget, m);
}

/* The solve behind the three entry points: from start (when given and of
 * the same size), then, when cold is set, the cold solve. */
static int solve(const RxPlant *p, const RxSolution *start, int cold, RxSolution **out, RxError *err)
{
    Work w;
    RxSolution *s = NULL;
    int rc = work_alloc(&w, p);
    if (rc != RX_OK) {
        rc = rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
        goto done;
    }
    if ((rc = setup_flows(&w, err)) != RX_OK)
        goto done;
    /* On success the stages are split at the accepted point and m holds
     * its steady residual. */
    March m = {0, INFINITY, 0, 0};
    if (!warm_start(&w, start, &m) && (!cold || !solve_cold(&w, p->options.tolerance, &m))) {
        rc = residual_error(&w, &m, err);
        goto done;
    }
    if ((rc = package(&w, &m, &s)) != RX_OK) {
        rc = rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
        goto done;
    }
    closure(p, s);
    if (!(s->max_closure <= RX_CLOSURE_TOL))
        rc = closure_error(p, s, err);
    else
        rc = rx_solution_check(p, s, err);
    if (rc != RX_OK) {
        rx_solution_destroy(&s);
        goto done;
    }
    *out = s;
done:
    work_free(&w);
    return rc;
}

int rx_circuit_solve(const RxPlant *p, RxSolution **out, RxError *err)
{
    return solve(p, NULL, 1, out, err);
}

int rx_circuit_solve_from(const RxPlant *p, const RxSolution *start, RxSolution **out, RxError *err)
{
    return solve(p, start, 1, out, err);
}

int rx_circuit_solve_warm(const RxPlant *p, const RxSolution *start, RxSolution **out, RxError *err)
{
    return solve(p, start, 0, out, err);
}
