/*
 * empirical_logd.c - distribution ratios fitted against pH and extractant
 * dosage, the form of the University of Kentucky DEHPA correlations used by
 * the open-source PrOMMiS model:
 *
 *   log10 D_j = (m0_j + m1_j dosage) pH + B0_j + B1_j log10(dosage)
 *
 * dosage in v/v % (extractant.concentration = "5 v/v%"), pH = -log10 [H+]
 * (concentration basis).  The dosage of a split is the plant's, scaled by
 * the extractant concentration the split is given (a batch experiment of
 * reesx fit may be at another) when the extractant's data file gives the
 * density and molar mass that convert the two; otherwise the plant's.  Impurities without a fit have a constant D.  The
 * pH of a stage is not an input: [H+] follows from the aqueous charge
 * balance, h + sum z_j x_j = Cl/A + sulfate charge (model.h), as in the
 * other models; each D_j falls
 * with h, so that balance is one monotone equation in ln h (Newton, with
 * bisection as the fallback).  No extractant balance: the fit has no
 * loading limit, so it is only valid at the loadings it was fitted at.
 */
#include "models/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Newton on ln h: step tolerance, iterations, largest step; bisection
 * bracket below ln(Cl/A) and its halvings. */
#define EL_STEP_TOL 1e-10
#define EL_MAX_NEWTON 60
#define EL_MAX_STEP 2.0
#define EL_BRACKET 80.0
#define EL_BISECT 200

typedef struct {
    double c[RX_MAX_SPECIES][4];  /* m0 m1 B0 B1 (RX_LINE_*); a constant D is B0 = log10 D alone */
    double dosage, ce;            /* the plant's v/v % (0: none given) and mol/L (0: not known) */
} Empirical;

typedef struct {
    const RxPlant *plant;
    Empirical *em;
    int found[RX_MAX_SPECIES];
} LoadCtx;

/* Whether coefficients c need a dosage. */
static int needs_dosage(const double *c)
{
    return c[RX_LINE_M1] != 0 || c[RX_LINE_B1] != 0;
}

/* Slope s_j = d log10 D/d pH and intercept b_j (log10 D at pH 0) of every
 * species at extractant concentration ce (mol/L). */
static void lines_at(const Empirical *em, int M, double ce, double *s, double *b)
{
    double dos = em->ce > 0 && ce > 0 ? em->dosage * (ce / em->ce) : em->dosage, ld = dos > 0 ? log10(dos) : 0;
    for (int j = 0; j < M; j++) {
        const double *c = em->c[j];
        s[j] = c[RX_LINE_M0] + c[RX_LINE_M1] * dos;
        b[j] = c[RX_LINE_B0] + c[RX_LINE_B1] * ld;
    }
}

static int el_row(void *vctx, char **tok, int ntok, int line, RxError *err)
{
    (void)line;
    LoadCtx *c = vctx;
    int s = rx_plant_species(c->plant, tok[0]);
    if (s < 0)
        return RX_OK;
    double v[4] = {0, 0, 0, 0};
    if (ntok >= 3 && strcmp(tok[1], "D") == 0) {
        if (!rx_parse_number(tok[2], &v[0]) || !(v[0] > 0))
            return rx_error_set(err, RX_BAD_INPUT, NULL, "%s: constant D must be a positive number", tok[0]);
        v[RX_LINE_B0] = log10(v[0]);
        v[0] = 0;
    } else {
        if (ntok < 5)
            return rx_error_set(err, RX_BAD_INPUT, NULL, "%s: expected m0 m1 B0 B1 (or D value)", tok[0]);
        for (int i = 0; i < 4; i++)
            if (!rx_parse_number(tok[1 + i], &v[i]))
                return rx_error_set(err, RX_BAD_INPUT, NULL, "%s: coefficient %d is not a number", tok[0], i + 1);
        /* A line in pH alone (m1 = B1 = 0) needs no dosage. */
        if (needs_dosage(v) && !(c->em->dosage > 0))
            return rx_error_set(err, RX_BAD_INPUT, NULL,
                                "%s: its fit depends on the dosage: give extractant.concentration in v/v%%", tok[0]);
    }
    memcpy(c->em->c[s], v, sizeof v);
    c->found[s] = 1;
    return RX_OK;
}

static int el_create(const RxModelSpec *spec, const RxPlant *plant, void **params, RxError *err)
{
    /* A fit's working plant (lines given) may not know a dosage: then only
     * rows that depend on it need one (el_row). */
    if (!(plant->extractant_vv > 0) && spec->nlines == 0)
        return rx_error_set(err, RX_BAD_INPUT, spec->where,
                            "model: empirical_logd needs extractant.concentration as a dosage in v/v%%");
    if (!spec->datafile[0])
        return rx_error_set(err, RX_BAD_INPUT, spec->where,
                            "model.data: empirical_logd needs a data file of fitted coefficients");
    Empirical *em = calloc(1, sizeof *em);
    if (!em)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    em->dosage = plant->extractant_vv > 0 ? plant->extractant_vv : 0;
    em->ce = em->dosage > 0 ? plant->extractant_conc : 0; /* 0: no density to convert, the plant's dosage throughout */
    LoadCtx ctx = {plant, em, {0}};
    int rc = rx_datafile_read(spec->datafile, 2, el_row, &ctx, err);
    for (int i = 0; rc == RX_OK && i < spec->nlines; i++) {
        int s = rx_plant_species_of_element(plant, spec->line_elem[i]);
        if (s < 0)
            continue;
        if (needs_dosage(spec->line[i]) && !(em->dosage > 0))
            rc = rx_error_set(err, RX_BAD_INPUT, spec->where, "model: the %s line depends on the dosage: give "
                              "extractant.concentration in v/v%%", rx_plant_element(plant, s)->sym);
        memcpy(em->c[s], spec->line[i], sizeof em->c[s]);
        ctx.found[s] = 1;
    }
    for (int s = 0; rc == RX_OK && s < plant->nsp; s++)
        if (!ctx.found[s])
            rc = rx_error_set(err, RX_BAD_INPUT, spec->where, "model: no fit for %s in %s",
                              rx_plant_element(plant, s)->sym, spec->datafile);
    if (rc != RX_OK) {
        free(em);
        return rc;
    }
    *params = em;
    return RX_OK;
}

static void el_destroy(void **params)
{
    if (params) {
        free(*params);
        *params = NULL;
    }
}

/* Split at p = ln h; returns the charge-balance residual G (mol/L) and dG/dp. */
static double el_eval(const double *sl, const double *b, const RxStageIn *in, double p, double *x, double *y,
                      double *phi, double *dG)
{
    double h = exp(p), ph = -p / M_LN10;
    double g = h - rx_anion_charge(h, in->cl / in->A, in->so4 / in->A, in->ka);
    double slope = h - rx_anion_dlnh(h, in->so4 / in->A, in->ka);
    for (int j = 0; j < in->M; j++) {
        double D = pow(10.0, sl[j] * ph + b[j]);
        double den = in->A + in->O * D;
        x[j] = in->T[j] / den;
        y[j] = D * x[j];
        phi[j] = in->O * D / den;
        phi[RX_MAX_SPECIES + j] = in->A / den;
        g += in->z[j] * x[j];
        /* dD/dp = -s D (pH = -p/ln10), so dx_j/dp = x_j phi_j s_j: a higher h lowers D. */
        slope += in->z[j] * x[j] * phi[j] * sl[j];
    }
    *dG = slope;
    return g;
}

static int el_split(const void *params, const RxStageIn *in, double guess[2], RxStageOut *out)
{
    const Empirical *em = params;
    double phi[2 * RX_MAX_SPECIES], dG = 0, g, sl[RX_MAX_SPECIES], b[RX_MAX_SPECIES];
    if (!(in->cl + 2.0 * in->so4 > 0) || !(in->A > 0) || !(in->O > 0))
        return RX_BAD_INPUT;
    lines_at(em, in->M, in->ce, sl, b);
    double hi = log((in->cl + 2.0 * in->so4) / in->A), p = guess[0] != 0 || guess[1] != 0 ? guess[0] : hi - 1.0;
    out->iterations = 0;
    int ok = 0;
    for (int it = 0; it < EL_MAX_NEWTON && !ok; it++) {
        g = el_eval(sl, b, in, p, out->x, out->y, phi, &dG);
        out->iterations++;
        double step = -g / dG;
        if (!isfinite(step))
            break;
        step = fmax(-EL_MAX_STEP, fmin(EL_MAX_STEP, step));
        p = fmin(p + step, hi);
        ok = fabs(step) < EL_STEP_TOL;
    }
    if (!ok) { /* bisection: G increases with ln h */
        double lo = hi - EL_BRACKET, top = hi;
        if (el_eval(sl, b, in, lo, out->x, out->y, phi, &dG) > 0)
            return RX_NOT_CONVERGED;
        for (int it = 0; it < EL_BISECT && top - lo > EL_STEP_TOL; it++) {
            double mid = 0.5 * (lo + top);
            if (el_eval(sl, b, in, mid, out->x, out->y, phi, &dG) > 0)
                top = mid;
            else
                lo = mid;
        }
        p = 0.5 * (lo + top);
    }
    el_eval(sl, b, in, p, out->x, out->y, phi, &dG);
    guess[0] = p;
    guess[1] = 1.0; /* marks the guess as set */
    out->h = exp(p);
    out->d = 0;
    if (!out->dadT)
        return RX_OK;
    /* dp/dT_k = -z_k c_k / G', c_k = 1/(A + O D_k) = aq_k/A; dp/dCl = (1/A)/G'.
     * d(A x_i)/dT_k = aq_i delta_ik + A x_i phi_i s_i dp/dT_k. */
    int M = in->M;
    for (int k = 0; k < M; k++) {
        double dp = -in->z[k] * phi[RX_MAX_SPECIES + k] / in->A / dG;
        for (int i = 0; i < M; i++) {
            double cross = in->A * out->x[i] * phi[i] * sl[i] * dp;
            out->dadT[i + k * M] = cross + (i == k ? phi[RX_MAX_SPECIES + i] : 0);
            out->dodT[i + k * M] = -cross + (i == k ? phi[i] : 0);
        }
    }
    if (out->dadcl)
        for (int i = 0; i < M; i++)
            out->dadcl[i] = out->x[i] * phi[i] * sl[i] / dG;
    return RX_OK;
}

/* At a measured pH every D is explicit. */
static int el_split_at_h(const void *params, const RxStageIn *in, double h, double guess[2], RxStageOut *out)
{
    const Empirical *em = params;
    (void)guess;
    if (!(h > 0) || !(in->A > 0) || !(in->O > 0))
        return RX_BAD_INPUT;
    double ph = -log10(h), sl[RX_MAX_SPECIES], b[RX_MAX_SPECIES];
    lines_at(em, in->M, in->ce, sl, b);
    for (int j = 0; j < in->M; j++) {
        double D = pow(10.0, sl[j] * ph + b[j]);
        out->x[j] = in->T[j] / (in->A + in->O * D);
        out->y[j] = D * out->x[j];
    }
    out->h = h;
    out->d = 0;
    out->iterations = 0;
    return RX_OK;
}

/* Its coefficients live in the data file: no per-species setting. */
static const char *const el_settings[] = {"data", NULL};

const RxModelType rx_model_empirical_logd = {
    .name = "empirical_logd",
    .description = "fitted log10 D = (m0 + m1 dosage) pH + B0 + B1 log10(dosage), constant D for impurities",
    .settings = el_settings,
    .create = el_create,
    .destroy = el_destroy,
    .split = el_split,
    .split_at_h = el_split_at_h,
};
