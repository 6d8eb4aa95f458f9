/*
 * separation_factor.c - constant separation factors with a saturated organic,
 * the model of cascade theory (Xu Guangxian):
 *
 *   y_j = Y beta_j x_j / (1/b + sum_k beta_k x_k)
 *
 * Y is the metal capacity of the organic (mol/L), beta_j the separation factor
 * of j against a reference element.  The affinity b (L/mol) only regularizes
 * the limit of a metal-starved organic: with b = 1e4 L/mol the organic is
 * 99 % saturated once sum beta x exceeds 0.01 mol/L, the cascade-theory
 * assumption, while y -> 0 as x -> 0 instead of dividing by zero.
 * Given S = sum beta x, x_j = T_j (c+S)/(A (c+S) + O Y beta_j) with c = 1/b;
 * S solves g(S) = S - sum beta_j x_j(S) = 0, g convex and increasing at its
 * root, so Newton from the upper bound S = sum beta T / A converges
 * monotonically.
 */
#include "models/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SF_TOL 1e-14
#define SF_MAX_ITER 200
/* b (L/mol) when model.affinity is not given: a saturated organic, see above. */
#define SF_DEFAULT_AFFINITY 1e4

typedef struct {
    double beta[RX_MAX_SPECIES];
    double Y, c;
} SepFactor;

typedef struct {
    const RxPlant *plant;
    SepFactor *sf;
    int found[RX_MAX_SPECIES];
    int have_capacity;
} LoadCtx;

static int sf_row(void *vctx, char **tok, int ntok, int line, RxError *err)
{
    (void)ntok;
    (void)line;
    LoadCtx *c = vctx;
    double v;
    if (strcmp(tok[0], "capacity") == 0) {
        if (!rx_parse_number(tok[1], &v) || v <= 0)
            return rx_error_set(err, RX_BAD_INPUT, NULL, "capacity: must be a positive number");
        c->sf->Y = v;
        c->have_capacity = 1;
        return RX_OK;
    }
    int s = rx_plant_species(c->plant, tok[0]);
    if (s < 0)
        return RX_OK;
    if (!rx_parse_number(tok[1], &v) || v <= 0)
        return rx_error_set(err, RX_BAD_INPUT, NULL, "%s: separation factor must be a positive number", tok[0]);
    c->sf->beta[s] = v;
    c->found[s] = 1;
    return RX_OK;
}

static int sf_create(const RxModelSpec *spec, const RxPlant *plant, void **params, RxError *err)
{
    SepFactor *sf = calloc(1, sizeof *sf);
    if (!sf)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    LoadCtx ctx = {plant, sf, {0}, 0};
    int rc = RX_OK;
    if (spec->datafile[0])
        rc = rx_datafile_read(spec->datafile, 2, sf_row, &ctx, err);
    for (int i = 0; rc == RX_OK && i < spec->nvalues; i++) {
        int s = rx_plant_species_of_element(plant, spec->value_elem[i]);
        if (s < 0)
            continue; /* an element the feeds do not carry */
        sf->beta[s] = spec->value[i];
        ctx.found[s] = 1;
    }
    if (spec->capacity > 0) {
        sf->Y = spec->capacity;
        ctx.have_capacity = 1;
    }
    sf->c = 1.0 / (spec->affinity > 0 ? spec->affinity : SF_DEFAULT_AFFINITY);
    if (rc == RX_OK && !ctx.have_capacity)
        rc = rx_error_set(err, RX_BAD_INPUT, spec->where, "model.capacity: missing (mol/L metal in saturated organic)");
    for (int s = 0; rc == RX_OK && s < plant->nsp; s++)
        if (!ctx.found[s])
            rc = rx_error_set(err, RX_BAD_INPUT, spec->where, "model.beta: no separation factor for %s",
                              rx_plant_element(plant, s)->sym);
    if (rc != RX_OK) {
        free(sf);
        return rc;
    }
    *params = sf;
    return RX_OK;
}

static void sf_destroy(void **params)
{
    if (params) {
        free(*params);
        *params = NULL;
    }
}

static int sf_split(const void *params, const RxStageIn *in, double guess[2], RxStageOut *out)
{
    const SepFactor *sf = params;
    int M = in->M;
    double S = 0;
    for (int j = 0; j < M; j++)
        S += sf->beta[j] * in->T[j] / in->A;
    /* Always from the upper bound: Newton then converges monotonically. */
    double g = 0, dg = 0;
    out->iterations = 0;
    for (int it = 0; it < SF_MAX_ITER; it++) {
        double cs = sf->c + S;
        g = S;
        dg = 1.0;
        for (int j = 0; j < M; j++) {
            double B = in->O * sf->Y * sf->beta[j];
            double den = in->A * cs + B;
            g -= sf->beta[j] * in->T[j] * cs / den;
            dg -= sf->beta[j] * in->T[j] * B / (den * den);
        }
        out->iterations++;
        double step = g / dg;
        S -= step;
        if (fabs(step) <= SF_TOL * (sf->c + S))
            break;
    }
    double cs = sf->c + S, charge = 0;
    for (int j = 0; j < M; j++) {
        double B = in->O * sf->Y * sf->beta[j];
        out->x[j] = in->T[j] * cs / (in->A * cs + B);
        out->y[j] = in->T[j] * sf->Y * sf->beta[j] / (in->A * cs + B);
        charge += in->z[j] * out->x[j];
    }
    out->h = rx_free_acid(charge, in->cl / in->A, in->so4 / in->A, in->ka);
    out->d = 0;
    guess[0] = S;
    if (out->dadT && out->dadcl)
        for (int j = 0; j < M; j++)
            out->dadcl[j] = 0; /* the split does not depend on chloride */
    if (out->dadT) {
        /* dS/dT_k = beta_k cs / (A cs + B_k) / g'(S);
         * d(A x_j)/dT_k = A [delta_jk cs/(A cs + B_j) + T_j B_j/(A cs + B_j)^2 dS/dT_k]. */
        for (int k = 0; k < M; k++) {
            double Bk = in->O * sf->Y * sf->beta[k];
            double dS = sf->beta[k] * cs / (in->A * cs + Bk) / dg;
            for (int j = 0; j < M; j++) {
                double B = in->O * sf->Y * sf->beta[j];
                double den = in->A * cs + B;
                double cross = in->A * in->T[j] * B / (den * den) * dS;
                out->dadT[j + k * M] = cross + (j == k ? in->A * cs / den : 0);
                out->dodT[j + k * M] = -cross + (j == k ? B / den : 0);
            }
        }
    }
    return isfinite(S) ? RX_OK : RX_NOT_CONVERGED;
}

static const char *const sf_settings[] = {"capacity", "affinity", "data", NULL};

const RxModelType rx_model_separation_factor = {
    .name = "separation_factor",
    .description = "constant separation factors beta with a saturated organic of capacity Y (cascade theory)",
    .settings = sf_settings,
    .value_key = "beta",
    .value_kind = RX_VALUE_POSITIVE,
    .create = sf_create,
    .destroy = sf_destroy,
    .split = sf_split,
};
