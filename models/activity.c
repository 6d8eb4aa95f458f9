/*
 * activity.c - Pitzer's equations for a mixture of chlorides (one anion),
 * without the mixing terms theta and psi (Pitzer & Mayorga 1973; Pitzer,
 * "Activity coefficients in electrolyte solutions", 1991, ch. 3):
 *
 *   I = (sum_c m_c z_c^2 + m_X)/2,   Z = sum_c m_c z_c + m_X
 *   f = -A_phi [sqrt I/(1 + b sqrt I) + (2/b) ln(1 + b sqrt I)]
 *   B_c = beta0 + beta1 g(alpha sqrt I),  B'_c = beta1 g'(alpha sqrt I)/I
 *   F = f + sum_c m_c m_X B'_c,           S = sum_c m_c m_X C_c
 *   ln gamma_M = z_M^2 F + m_X (2 B_M + Z C_M) + z_M S
 *   ln gamma_X = F + sum_c m_c (2 B_c + Z C_c) + S
 *   g(x) = 2 (1 - (1 + x) e^-x)/x^2,  g'(x) = -2 (1 - (1 + x + x^2/2) e^-x)/x^2
 */
#include "models/activity.h"

/* Below this alpha sqrt(I) g and g' come from their series (next terms
 * a^4/72 and a^4/36: below 1e-9 of their value), above from the closed
 * forms (cancellation below 1e-9 relative). */
#define PZ_SERIES 0.01

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const RxPlant *plant;
    RxPitzer *pz;
    int found[RX_MAX_SPECIES + 1];
    int have_consts;
} LoadCtx;

static int pz_row(void *vctx, char **tok, int ntok, int line, RxError *err)
{
    (void)line;
    LoadCtx *c = vctx;
    double v[3];
    int nv = ntok - 1; /* name, values (the [source] is not counted) */
    for (int i = 0; i < nv && i < 3; i++)
        if (!rx_parse_number(tok[1 + i], &v[i]))
            return rx_error_set(err, RX_BAD_INPUT, NULL, "%s: '%s' is not a number", tok[0], tok[1 + i]);
    if (nv == 1) {
        const char *names[] = {"A_phi", "b", "alpha"};
        double *dst[] = {&c->pz->Aphi, &c->pz->b, &c->pz->alpha};
        for (int i = 0; i < 3; i++)
            if (strcmp(tok[0], names[i]) == 0) {
                if (!(v[0] > 0))
                    return rx_error_set(err, RX_BAD_INPUT, NULL, "%s: must be positive", tok[0]);
                *dst[i] = v[0];
                c->have_consts |= 1 << i;
                return RX_OK;
            }
        return rx_error_set(err, RX_BAD_INPUT, NULL, "'%s' is not a constant of the Pitzer equations", tok[0]);
    }
    if (nv != 3)
        return rx_error_set(err, RX_BAD_INPUT, NULL, "%s: expected beta0 beta1 Cphi and a [source]", tok[0]);
    int s = strcmp(tok[0], "H") == 0 ? c->pz->M : rx_plant_species(c->plant, tok[0]);
    if (s < 0)
        return RX_OK;
    /* PM73 tabulate 2 nu_M nu_X/nu times the betas, 2 (nu_M nu_X)^1.5/nu times Cphi */
    double z = c->pz->z[s], fb = 2.0 * z / (z + 1.0), fc = 2.0 * pow(z, 1.5) / (z + 1.0);
    c->pz->b0[s] = v[0] / fb;
    c->pz->b1[s] = v[1] / fb;
    c->pz->C[s] = v[2] / fc / (2.0 * sqrt(z));
    c->found[s] = 1;
    return RX_OK;
}

int rx_pitzer_load(RxPitzer *pz, const RxPlant *plant, const char *where, RxError *err)
{
    memset(pz, 0, sizeof *pz);
    pz->M = plant->nsp;
    for (int j = 0; j < pz->M; j++)
        pz->z[j] = plant->charge[j];
    pz->z[pz->M] = 1;
    char path[600];
    snprintf(path, sizeof path, "%s/pitzer_chloride.tsv", rx_data_dir());
    LoadCtx ctx = {plant, pz, {0}, 0};
    int rc = rx_datafile_read(path, 2, pz_row, &ctx, err);
    if (rc == RX_OK && ctx.have_consts != 7)
        rc = rx_error_set(err, RX_BAD_INPUT, path, "A_phi, b and alpha are all needed");
    for (int j = 0; rc == RX_OK && j <= pz->M; j++)
        if (!ctx.found[j])
            rc = rx_error_set(err, RX_BAD_INPUT, where,
                              "model.activity: no Pitzer parameters for %s in %s; use activity = \"none\"",
                              j < pz->M ? rx_plant_element(plant, j)->sym : "H", path);
    return rc;
}

void rx_pitzer_ln_gamma(const RxPitzer *pz, const double *x, double h, double cl, double *lng, double *lngcl)
{
    int M = pz->M;
    double I = cl, Z = cl;
    for (int c = 0; c <= M; c++) {
        double m = c < M ? x[c] : h;
        I += m * pz->z[c] * pz->z[c];
        Z += m * pz->z[c];
    }
    I *= 0.5;
    double sI = sqrt(I), bs = pz->b * sI, a = pz->alpha * sI, g, gp;
    if (a < PZ_SERIES) { /* series: the closed forms cancel to a^2 and a^3 of 1 */
        g = 1.0 - 2.0 * a / 3.0 + a * a / 4.0 - a * a * a / 15.0;
        gp = -a / 3.0 + a * a / 4.0 - a * a * a / 10.0;
    } else {
        double e = exp(-a), a2 = a * a;
        g = 2.0 * (1.0 - (1.0 + a) * e) / a2;
        gp = -2.0 * (1.0 - (1.0 + a + 0.5 * a2) * e) / a2;
    }
    double F = -pz->Aphi * (sI / (1.0 + bs) + 2.0 / pz->b * log1p(bs)), S = 0, sx = 0;
    double B[RX_MAX_SPECIES + 1];
    for (int c = 0; c <= M; c++) {
        double m = c < M ? x[c] : h;
        B[c] = pz->b0[c] + pz->b1[c] * g;
        if (I > 0)
            F += m * cl * pz->b1[c] * gp / I;
        S += m * cl * pz->C[c];
        sx += m * (2.0 * B[c] + Z * pz->C[c]);
    }
    for (int c = 0; c <= M; c++)
        lng[c] = pz->z[c] * pz->z[c] * F + cl * (2.0 * B[c] + Z * pz->C[c]) + pz->z[c] * S;
    if (lngcl)
        *lngcl = F + sx + S;
}

void rx_pitzer_lambda(const RxPitzer *pz, const double *x, double h, double cl, double *lam)
{
    double lng[RX_MAX_SPECIES + 1];
    rx_pitzer_ln_gamma(pz, x, h, cl, lng, NULL);
    for (int j = 0; j < pz->M; j++)
        lam[j] = lng[j] - pz->z[j] * lng[pz->M];
}
