/*
 * mass_action.c - cation exchange by a dimeric acidic extractant (DESIGN §2).
 *
 *   M^z+ + z (HA)2(o) <=> M(A.HA)z(o) + z H+     y_j = K_j x_j (d/h)^z_j
 *   extractant (monomer units):  C_E = 2 d + sum_j 2 z_j y_j
 *   aqueous electroneutrality:   h + sum_j z_j x_j = Cl/A + S (h + 2 Ka)/(h + Ka) / A
 *   (S total sulfate, HSO4- <=> H+ + SO4-- with constant Ka; S = 0 in chloride)
 *
 * Given h and d every metal's split is explicit, x_j = T_j / (A + O D_j), so
 * the M+2 stage equations reduce exactly to two in (ln h, ln d).  Both are
 * monotone (the reduced Jacobian has a positive determinant everywhere), so
 * Newton with step limiting converges from any start in practice, and nested
 * bisection is a guaranteed fallback.  The 2x2 Newton system is solved in
 * closed form, its determinant summed from positive terms; the same
 * inverse gives the Jacobian of the split d(Ax)/dT that the circuit solver
 * needs as a rank-one update of a diagonal.  (A LAPACK call on a 2x2 costs
 * more than the stage evaluation; LAPACK stays for the activity system.)
 */
#include "models/model.h"

#include "core/lapack.h"
#include "models/activity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest |ln D| allowed: keeps exp() finite; D = e^±600 is 0 or infinity
 * for every purpose of a stage balance. */
#define MA_LN_D_MAX 600.0
/* |ln(d/h)| below which (d/h)^z is computed by multiplication (z <= 4). */
#define MA_FAST_RATIO 100.0
/* Newton stops at a point whose step is below MA_LAST_STEP (in ln h and
 * ln d), or fails after MA_MAX_NEWTON iterations.  That last step is not
 * evaluated again: x, y, h and d move along it to second order (exact in
 * the balances), and what is left is the Newton error C step^2, C < 10 on
 * the shipped circuits: < 1e-13 in ln h, ln d.  Evaluating after it (the
 * old rule, stop after a step below 1e-8) made 3.6 evaluations per split of
 * a circuit solve; this makes 2.4.  The split at a given h
 * stops after a step below MA_STEP_TOL. */
#define MA_LAST_STEP 1e-7
#define MA_STEP_TOL 1e-8
#define MA_MAX_NEWTON 60
/* Largest Newton step in ln h or ln d (factor e^2). */
#define MA_MAX_STEP 2.0
/* A Newton step that turns back (negative dot product with the last one)
 * without shrinking below this share of it is a cycle: where a metal
 * switches phase within the step (D jumps by orders of magnitude, as with
 * the Pitzer factors of a 4 mol/L chloride), Newton on (ln h, ln d) can
 * jump between two points on either side of the root for ever.  The step
 * limit then falls to MA_CYCLE_CUT of the last step, a trust region that
 * shrinks until the steps close in on the root.  Only with the activity
 * correction: it would help the apparent constants in a few stages too,
 * but move every result of theirs in its last digits. */
#define MA_CYCLE_RATIO 0.5
#define MA_CYCLE_CUT 0.5
/* Bisection: lower bracket on ln h and ln d below their upper bounds. */
#define MA_BRACKET_WIDTH 80.0
#define MA_BISECT_ITERS 90
/* Activity correction: the constants' factors e^lam are iterated to this
 * change in lam, or the stage fails after MA_ACT_ITER rounds; the
 * derivatives of lam come from central differences of relative step
 * MA_ACT_STEP (plus MA_ACT_FLOOR of the chloride, for traces). */
#define MA_ACT_TOL 1e-12
#define MA_ACT_ITER 200
#define MA_ACT_STEP 1e-5
#define MA_ACT_FLOOR 1e-8

typedef struct {
    int M;
    double lnK[RX_MAX_SPECIES];
    double K[RX_MAX_SPECIES];
    int activity;   /* 1: K on the activity scale, corrected by Pitzer */
    RxPitzer pz;
} MassAction;

typedef struct {
    const RxPlant *plant;
    MassAction *ma;
    int found[RX_MAX_SPECIES];
} LoadCtx;

static int ma_row(void *vctx, char **tok, int ntok, int line, RxError *err)
{
    (void)ntok;
    (void)line;
    LoadCtx *c = vctx;
    int s = rx_plant_species(c->plant, tok[0]);
    if (s < 0)
        return RX_OK; /* properties and species this plant does not carry */
    double lk;
    if (!rx_parse_number(tok[1], &lk))
        return rx_error_set(err, RX_BAD_INPUT, NULL, "%s: log10 K is not a number", tok[0]);
    c->ma->lnK[s] = lk * M_LN10;
    c->found[s] = 1;
    return RX_OK;
}

static int ma_create(const RxModelSpec *spec, const RxPlant *plant, void **params, RxError *err)
{
    MassAction *ma = calloc(1, sizeof *ma);
    if (!ma)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    ma->M = plant->nsp;
    LoadCtx ctx = {plant, ma, {0}};
    int rc = rx_datafile_read(spec->datafile, 2, ma_row, &ctx, err);
    for (int i = 0; rc == RX_OK && i < spec->nvalues; i++) {
        int s = rx_plant_species_of_element(plant, spec->value_elem[i]);
        if (s < 0)
            continue; /* an element the feeds do not carry */
        ma->lnK[s] = spec->value[i] * M_LN10;
        ctx.found[s] = 1;
    }
    for (int s = 0; rc == RX_OK && s < plant->nsp; s++)
        if (!ctx.found[s])
            rc = rx_error_set(err, RX_BAD_INPUT, spec->where,
                              "model: no equilibrium constant for %s in %s; give it in model.log10_K",
                              rx_plant_element(plant, s)->sym, spec->datafile);
    if (rc != RX_OK) {
        free(ma);
        return rc;
    }
    for (int s = 0; s < plant->nsp; s++)
        ma->K[s] = exp(ma->lnK[s]);
    ma->activity = strcmp(spec->activity, "pitzer") == 0;
    if (ma->activity)
        rc = rx_pitzer_load(&ma->pz, plant, spec->where, err);
    for (int i = 0; rc == RX_OK && ma->activity && i < plant->nfeeds; i++)
        if (plant->feeds[i].so4 > 0)
            rc = rx_error_set(err, RX_BAD_INPUT, spec->where,
                              "model.activity: the Pitzer data cover chloride media only (feed '%s' carries sulfate)",
                              plant->feeds[i].name);
    if (rc != RX_OK) {
        free(ma);
        return rc;
    }
    *params = ma;
    return RX_OK;
}

static void ma_destroy(void **params)
{
    if (params) {
        free(*params);
        *params = NULL;
    }
}

/* The reduced system at one point (p, q) = (ln h, ln d). */
typedef struct {
    double h, d;  /* e^p, e^q (mol/L) */
    double G[2];  /* charge and extractant residuals (mol/L) */
    double J[4];  /* their Jacobian in (p, q), column-major */
    double ha;    /* h - d(anion charge)/dp = J[0] + J[2], >= h */
    double det;   /* det J = ha J[3] + 2 d s1, every term >= 0: no cancellation */
} MaPoint;

/* Evaluate the split at (p, q): fills x, y, phi (organic shares, then
 * aqueous shares at phi + RX_MAX_SPECIES) and pt's residuals and, when jac,
 * the rest of pt. */
static void ma_eval(const MassAction *ma, const RxStageIn *in, double p, double q, double *x, double *y,
                    double *phi, MaPoint *pt, int jac)
{
    double h = exp(p), d = exp(q), r = q - p;
    /* D = K (d/h)^z by powers of rho = d/h while that cannot overflow;
     * exp of the clamped ln D beyond. */
    int fast = fabs(r) < MA_FAST_RATIO;
    double rho = fast ? exp(r) : 0;
    double sx = 0, sy = 0, s1 = 0, s2 = 0;
    for (int j = 0; j < in->M; j++) {
        double z = in->z[j], D;
        if (fast) {
            D = ma->K[j];
            for (int c = 0; c < in->z[j]; c++)
                D *= rho;
        } else {
            double lnD = ma->lnK[j] + z * r;
            if (lnD > MA_LN_D_MAX)
                lnD = MA_LN_D_MAX;
            else if (lnD < -MA_LN_D_MAX)
                lnD = -MA_LN_D_MAX;
            D = exp(lnD);
        }
        double inv = 1.0 / (in->A + in->O * D); /* one division, not three */
        x[j] = in->T[j] * inv;
        y[j] = D * x[j];
        phi[j] = in->O * D * inv;                /* organic share */
        phi[RX_MAX_SPECIES + j] = in->A * inv;   /* aqueous share, not 1 - phi: no cancellation */
        sx += z * x[j];
        sy += z * y[j];
        s1 += z * z * phi[j] * x[j];
        s2 += z * z * y[j] * phi[RX_MAX_SPECIES + j];
    }
    pt->h = h;
    pt->d = d;
    pt->G[0] = h + sx - rx_anion_charge(h, in->cl / in->A, in->so4 / in->A, in->ka);
    pt->G[1] = 2.0 * d + 2.0 * sy - in->ce;
    if (jac) {
        pt->ha = h - rx_anion_dlnh(h, in->so4 / in->A, in->ka);
        pt->J[0] = pt->ha + s1;       /* dG1/dp */
        pt->J[1] = -2.0 * s2;         /* dG2/dp */
        pt->J[2] = -s1;               /* dG1/dq */
        pt->J[3] = 2.0 * d + 2.0 * s2; /* dG2/dq */
        pt->det = pt->ha * pt->J[3] + 2.0 * d * s1;
    }
}

/* The Newton step b = -J^-1 G by Cramer's rule; RX_NOT_CONVERGED if J is
 * singular in floating point or the step is not finite. */
static int ma_step(const MaPoint *pt, double b[2])
{
    if (!(pt->det > 0))
        return RX_NOT_CONVERGED;
    b[0] = -(pt->J[3] * pt->G[0] - pt->J[2] * pt->G[1]) / pt->det;
    b[1] = -(pt->J[0] * pt->G[1] - pt->J[1] * pt->G[0]) / pt->det;
    return isfinite(b[0]) && isfinite(b[1]) ? RX_OK : RX_NOT_CONVERGED;
}

/* Root of the inner equation G2(p, q) = 0 in q for fixed p (G2 increases with q). */
static double ma_bisect_q(const MassAction *ma, const RxStageIn *in, double p, double *x, double *y, double *phi)
{
    double hi = log(in->ce / 2.0), lo = hi - MA_BRACKET_WIDTH;
    MaPoint pt;
    for (int it = 0; it < MA_BISECT_ITERS; it++) {
        double mid = 0.5 * (lo + hi);
        ma_eval(ma, in, p, mid, x, y, phi, &pt, 0);
        if (pt.G[1] > 0)
            hi = mid;
        else
            lo = mid;
    }
    return 0.5 * (lo + hi);
}

/* Guaranteed fallback: G1(p, q(p)) increases with p. */
static int ma_bisect(const MassAction *ma, const RxStageIn *in, double *p, double *q, double *x, double *y,
                     double *phi)
{
    /* h <= all anion charge: chloride and every sulfate as SO4--. */
    double hi = log((in->cl + 2.0 * in->so4) / in->A), lo = hi - MA_BRACKET_WIDTH;
    MaPoint pt;
    double qq = ma_bisect_q(ma, in, lo, x, y, phi);
    ma_eval(ma, in, lo, qq, x, y, phi, &pt, 0);
    if (pt.G[0] > 0)
        return RX_NOT_CONVERGED; /* more base than acid: no h > 0 exists */
    for (int it = 0; it < MA_BISECT_ITERS; it++) {
        double mid = 0.5 * (lo + hi);
        qq = ma_bisect_q(ma, in, mid, x, y, phi);
        ma_eval(ma, in, mid, qq, x, y, phi, &pt, 0);
        if (pt.G[0] > 0)
            hi = mid;
        else
            lo = mid;
    }
    *p = 0.5 * (lo + hi);
    *q = ma_bisect_q(ma, in, *p, x, y, phi);
    return RX_OK;
}

/* Newton on (p, q) from the given start; RX_OK at a point whose step b is
 * below MA_LAST_STEP, with x, y, phi and pt evaluated there and b not
 * taken.  With the activity correction a step that turns back on the last
 * one shrinks the step limit (MA_CYCLE_*). */
static int ma_newton(const MassAction *ma, const RxStageIn *in, double *p, double *q, double *x, double *y,
                     double *phi, MaPoint *pt, double b[2], int *iters)
{
    double last[2] = {0, 0}, lastbig = 0, limit = MA_MAX_STEP;
    for (int it = 0; it < MA_MAX_NEWTON; it++) {
        ma_eval(ma, in, *p, *q, x, y, phi, pt, 1);
        (*iters)++;
        if (ma_step(pt, b) != RX_OK)
            return RX_NOT_CONVERGED;
        double big = fmax(fabs(b[0]), fabs(b[1]));
        if (big < MA_LAST_STEP)
            return RX_OK;
        if (ma->activity && b[0] * last[0] + b[1] * last[1] < 0 && big >= MA_CYCLE_RATIO * lastbig)
            limit = MA_CYCLE_CUT * lastbig;
        double scale = big > limit ? limit / big : 1.0;
        *p += scale * b[0];
        *q += scale * b[1];
        last[0] = scale * b[0];
        last[1] = scale * b[1];
        lastbig = scale * big;
    }
    return RX_NOT_CONVERGED;
}

/* Solve (ln h, ln d) from guess (or a default start) and evaluate the split
 * there: x, y, phi and the reduced system pt at the solution. */
static int ma_solve(const MassAction *ma, const RxStageIn *in, double guess[2], RxStageOut *out, double *phi,
                    MaPoint *pt)
{
    double p, q;
    if (guess[0] == 0 && guess[1] == 0) {
        p = log(0.5 * (in->cl + 2.0 * in->so4) / in->A);
        q = log(0.25 * in->ce);
    } else {
        p = guess[0];
        q = guess[1];
    }
    double b[2];
    int rc = ma_newton(ma, in, &p, &q, out->x, out->y, phi, pt, b, &out->iterations);
    if (rc != RX_OK) {
        rc = ma_bisect(ma, in, &p, &q, out->x, out->y, phi);
        if (rc == RX_OK)
            rc = ma_newton(ma, in, &p, &q, out->x, out->y, phi, pt, b, &out->iterations);
        if (rc != RX_OK)
            return rc;
    }
    /* The last step b, to second order.  ln D_j moves by z_j t, t = b1 - b0:
     * with u = e^(z t) - 1 and v = phi_j u, x_j -> x_j/(1 + v) and
     * y_j -> y_j (1 + aq_j u/(1 + v)); A x_j + O y_j stays T_j.  phi and pt
     * stay at the point evaluated: the Jacobian is off by O(b) relative. */
    double t = b[1] - b[0];
    for (int j = 0; j < in->M; j++) {
        double zt = in->z[j] * t, u = zt * (1.0 + 0.5 * zt), v = phi[j] * u;
        out->x[j] *= 1.0 - v * (1.0 - v);
        out->y[j] *= 1.0 + phi[RX_MAX_SPECIES + j] * u * (1.0 - v);
    }
    guess[0] = p + b[0];
    guess[1] = q + b[1];
    out->h = pt->h * (1.0 + b[0] * (1.0 + 0.5 * b[0]));
    out->d = pt->d * (1.0 + b[1] * (1.0 + 0.5 * b[1]));
    return RX_OK;
}

/* The split's Jacobian with constant K (see ma_split). */
static void ma_jacobian(const RxStageIn *in, RxStageOut *out, const double *phi, const MaPoint *pt)
{
    /* d(p, q)/dT_j = -J^-1 dG/dT_j, with dG1/dT_j = z_j c_j, dG2/dT_j = 2 z_j D_j c_j,
     * c_j = 1/(A + O D_j) = aq_j/A and D_j c_j = phi_j/O, with phi_j and aq_j the
     * organic and aqueous shares, each computed directly (no 1 - phi, no
     * division by T or x, which may underflow to 0 for a trace).  Only
     * w_j = dp_j - dq_j = d ln(h/d)/dT_j enters:
     *   w_j = 2 z_j (ha phi_j/O - d aq_j/A) / det,
     * by Cramer's rule with J[3] + J[1] = 2 d and J[0] + J[2] = ha taken as
     * they are (summing them loses every digit of d at high loading).  Then
     * d(A x_i)/dT_j = aq_i delta_ij + v_i w_j, v_i = A z_i phi_i x_i,
     * d(O y_i)/dT_j = phi_i delta_ij - v_i w_j: O(M^2), nothing to factor. */
    int M = in->M;
    double ca = 2.0 * pt->ha / (in->O * pt->det), cd = 2.0 * pt->d / (in->A * pt->det);
    double v[RX_MAX_SPECIES];
    for (int i = 0; i < M; i++)
        v[i] = in->A * in->z[i] * phi[i] * out->x[i];
    /* Chloride: dG1/dCl = -1/A, dG2/dCl = 0: w = 2 d / (A det). */
    if (out->dadcl)
        for (int i = 0; i < M; i++)
            out->dadcl[i] = v[i] * cd;
    for (int j = 0; j < M; j++) {
        double w = in->z[j] * (ca * phi[j] - cd * phi[RX_MAX_SPECIES + j]);
        double *da = out->dadT + (size_t)j * (size_t)M, *dn = out->dodT + (size_t)j * (size_t)M;
        for (int i = 0; i < M; i++) {
            da[i] = v[i] * w;
            dn[i] = -da[i];
        }
        da[j] += phi[RX_MAX_SPECIES + j];
        dn[j] += phi[j];
    }
}

/* Derivatives of lam (M) in x_k (Lx, M*M column-major), h (Lh) and the
 * chloride concentration (Lc), by central differences. */
static void activity_derivatives(const RxPitzer *pz, const double *x, double h, double cl, double *Lx, double *Lh,
                                 double *Lc)
{
    int M = pz->M;
    double xx[RX_MAX_SPECIES], lp[RX_MAX_SPECIES], lm[RX_MAX_SPECIES];
    memcpy(xx, x, sizeof(double) * (size_t)M);
    for (int k = 0; k <= M + 1; k++) {
        double *v = k < M ? &xx[k] : NULL, hh = h, cc = cl;
        double base = k < M ? x[k] : k == M ? h : cl;
        double dlt = MA_ACT_STEP * base + MA_ACT_FLOOR * cl;
        for (int sgn = 0; sgn < 2; sgn++) {
            double val = base + (sgn ? -dlt : dlt);
            if (v)
                *v = val;
            else if (k == M)
                hh = val;
            else
                cc = val;
            rx_pitzer_lambda(pz, xx, hh, cc, sgn ? lm : lp);
        }
        if (v)
            *v = base;
        double *dst = k < M ? Lx + (size_t)k * (size_t)M : k == M ? Lh : Lc;
        for (int i = 0; i < M; i++)
            dst[i] = (lp[i] - lm[i]) / (2.0 * dlt);
    }
}

/* With the activity correction: K_j e^lam_j, lam from the aqueous the split
 * gives, iterated to a fixed point; the derivatives from the full system in
 * (p, q, lam) (docs/model.md). */
static int ma_split_activity(const MassAction *ma, const RxStageIn *in, double guess[2], RxStageOut *out,
                             double *phi)
{
    int M = in->M;
    MassAction e = *ma;
    double lam[RX_MAX_SPECIES], nl[RX_MAX_SPECIES];
    MaPoint pt;
    double cl = in->cl / in->A, q0 = 0;
    for (int j = 0; j < M; j++) { /* start: every metal in the aqueous */
        nl[j] = in->T[j] / in->A;
        q0 += in->z[j] * nl[j];
    }
    rx_pitzer_lambda(&ma->pz, nl, fmax(cl - q0, MA_ACT_FLOOR * cl), cl, lam);
    int it = 0, rc = RX_OK;
    for (;; it++) {
        for (int j = 0; j < M; j++) {
            e.lnK[j] = ma->lnK[j] + lam[j];
            e.K[j] = exp(e.lnK[j]);
        }
        if ((rc = ma_solve(&e, in, guess, out, phi, &pt)) != RX_OK)
            return rc;
        rx_pitzer_lambda(&ma->pz, out->x, out->h, cl, nl);
        double change = 0;
        for (int j = 0; j < M; j++)
            change = fmax(change, fabs(nl[j] - lam[j]));
        if (change <= MA_ACT_TOL)
            break;
        if (it >= MA_ACT_ITER || !isfinite(change))
            return RX_NOT_CONVERGED;
        memcpy(lam, nl, sizeof(double) * (size_t)M);
    }
    if (!out->dadT)
        return RX_OK;
    /* Unknowns v = (p, q, lam_1..lam_M), n = M + 2; residuals G1, G2 and
     * lam_i - L_i(x, h, cl).  With u_j = z_j x_j phi_j and w_j = y_j aq_j:
     *   dG1/dp = J0, dG1/dq = J2, dG1/dlam_j = -z_j x_j phi_j
     *   dG2/dp = J1, dG2/dq = J3, dG2/dlam_j = 2 z_j w_j
     *   dH_i/dp = -(sum_k Lx_ik u_k + Lh_i h), dH_i/dq = sum_k Lx_ik u_k,
     *   dH_i/dlam_j = delta_ij + Lx_ij x_j phi_j.
     * Right-hand sides: d/dT_j (G1: z_j aq_j/A, G2: 2 z_j phi_j/O, H_i:
     * -Lx_ij aq_j/A) and d/dCl (G1: -1/A, H_i: -Lc_i/A). */
    int n = M + 2;
    double Lx[RX_MAX_SPECIES * RX_MAX_SPECIES], Lh[RX_MAX_SPECIES], Lc[RX_MAX_SPECIES];
    double Ja[(RX_MAX_SPECIES + 2) * (RX_MAX_SPECIES + 2)], R[(RX_MAX_SPECIES + 2) * (RX_MAX_SPECIES + 1)];
    int ipiv[RX_MAX_SPECIES + 2];
    activity_derivatives(&ma->pz, out->x, out->h, cl, Lx, Lh, Lc);
#define JA(r, c) Ja[(size_t)(r) + (size_t)(c) * (size_t)n]
    JA(0, 0) = pt.J[0];
    JA(1, 0) = pt.J[1];
    JA(0, 1) = pt.J[2];
    JA(1, 1) = pt.J[3];
    for (int i = 0; i < M; i++) {
        double su = 0;
        for (int k = 0; k < M; k++)
            su += Lx[i + k * M] * in->z[k] * out->x[k] * phi[k];
        JA(2 + i, 0) = -(su + Lh[i] * out->h);
        JA(2 + i, 1) = su;
        JA(0, 2 + i) = -in->z[i] * out->x[i] * phi[i];
        JA(1, 2 + i) = 2.0 * in->z[i] * out->y[i] * phi[RX_MAX_SPECIES + i];
        for (int j = 0; j < M; j++)
            JA(2 + i, 2 + j) = (i == j) + Lx[i + j * M] * out->x[j] * phi[j];
    }
#undef JA
    for (int j = 0; j <= M; j++) {
        double *r = R + (size_t)j * (size_t)n;
        if (j < M) {
            double aq = phi[RX_MAX_SPECIES + j];
            r[0] = -in->z[j] * aq / in->A;
            r[1] = -2.0 * in->z[j] * phi[j] / in->O;
            for (int i = 0; i < M; i++)
                r[2 + i] = Lx[i + j * M] * aq / in->A;
        } else {
            r[0] = 1.0 / in->A;
            r[1] = 0;
            for (int i = 0; i < M; i++)
                r[2 + i] = Lc[i] / in->A;
        }
    }
    if (rx_dense_factor(n, Ja, ipiv) != RX_OK)
        return RX_NOT_CONVERGED;
    rx_dense_lu_solve(n, M + 1, Ja, ipiv, R);
    /* dlnD_i = dlam_i + z_i (dq - dp); d(A x_i) = -A x_i phi_i dlnD_i (+ aq_i on the diagonal) */
    for (int j = 0; j <= M; j++) {
        const double *dv = R + (size_t)j * (size_t)n;
        for (int i = 0; i < M; i++) {
            double dlnD = dv[2 + i] + in->z[i] * (dv[1] - dv[0]);
            double t = -in->A * out->x[i] * phi[i] * dlnD;
            if (j == M) {
                if (out->dadcl)
                    out->dadcl[i] = t;
                continue;
            }
            out->dadT[i + j * M] = t + (i == j ? phi[RX_MAX_SPECIES + j] : 0);
            out->dodT[i + j * M] = -t + (i == j ? phi[j] : 0);
        }
    }
    return RX_OK;
}

static int ma_split(const void *params, const RxStageIn *in, double guess[2], RxStageOut *out)
{
    const MassAction *ma = params;
    double phi[2 * RX_MAX_SPECIES];
    MaPoint pt;
    if (!(in->cl + 2.0 * in->so4 > 0) || !(in->ce > 0) || !(in->A > 0) || !(in->O > 0))
        return RX_BAD_INPUT;
    out->iterations = 0;
    if (ma->activity)
        return ma_split_activity(ma, in, guess, out, phi);
    int rc = ma_solve(ma, in, guess, out, phi, &pt);
    if (rc == RX_OK && out->dadT)
        ma_jacobian(in, out, phi, &pt);
    return rc;
}

/* At a measured [H+]: only the extractant balance G2 = 0 is left, one
 * equation in q = ln d that increases with q (dG2/dq = J[3] > 0): Newton
 * with step limiting, bisection as the fallback.  Apparent K only: the
 * Pitzer correction needs the charge balance this split does not impose. */
static int ma_split_at_h(const void *params, const RxStageIn *in, double h, double guess[2], RxStageOut *out)
{
    const MassAction *ma = params;
    double phi[2 * RX_MAX_SPECIES];
    MaPoint pt;
    if (!(h > 0) || !(in->ce > 0) || !(in->A > 0) || !(in->O > 0) || ma->activity)
        return RX_BAD_INPUT;
    double p = log(h), top = log(in->ce / 2.0);
    double q = guess[1] != 0 && guess[1] < top ? guess[1] : log(0.25 * in->ce);
    int ok = 0;
    out->iterations = 0;
    for (int it = 0; it < MA_MAX_NEWTON && !ok; it++) {
        ma_eval(ma, in, p, q, out->x, out->y, phi, &pt, 1);
        out->iterations++;
        double step = -pt.G[1] / pt.J[3];
        if (!isfinite(step))
            break;
        step = fmax(-MA_MAX_STEP, fmin(MA_MAX_STEP, step));
        q = fmin(q + step, top);
        ok = fabs(step) < MA_STEP_TOL;
    }
    if (!ok)
        q = ma_bisect_q(ma, in, p, out->x, out->y, phi);
    ma_eval(ma, in, p, q, out->x, out->y, phi, &pt, 0);
    guess[0] = p;
    guess[1] = q;
    out->h = h;
    out->d = exp(q);
    return RX_OK;
}

static const char *const ma_settings[] = {"data", "activity", NULL};

const RxModelType rx_model_mass_action = {
    .name = "mass_action",
    .description = "cation exchange by a dimeric acidic extractant, mass action with apparent constants K",
    .settings = ma_settings,
    .value_key = "log10_K",
    .value_kind = RX_VALUE_LOG10,
    .needs_extractant = 1, /* the extractant balance */
    .needs_anions = 1,     /* h from electroneutrality: no anions, no H+ to exchange */
    .extractant_data = 1,  /* the constants K are the extractant's */
    .create = ma_create,
    .destroy = ma_destroy,
    .split = ma_split,
    .split_at_h = ma_split_at_h,
};
