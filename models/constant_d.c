/*
 * constant_d.c - constant distribution ratio per species, y_j = D_j x_j.
 * Linear, so a counter-current cascade of it is exactly the Kremser problem.
 * No ion exchange is modelled: [H+] follows from electroneutrality alone and
 * the free extractant is not tracked (reported as 0).
 */
#include "models/model.h"

#include <stdlib.h>

typedef struct {
    double D[RX_MAX_SPECIES];
} ConstantD;

static int cd_create(const RxModelSpec *spec, const RxPlant *plant, void **params, RxError *err)
{
    ConstantD *cd = calloc(1, sizeof *cd);
    if (!cd)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    int found[RX_MAX_SPECIES] = {0};
    for (int i = 0; i < spec->nvalues; i++) {
        int s = rx_plant_species_of_element(plant, spec->value_elem[i]);
        if (s < 0)
            continue; /* an element the feeds do not carry */
        cd->D[s] = spec->value[i];
        found[s] = 1;
    }
    for (int s = 0; s < plant->nsp; s++)
        if (!found[s]) {
            free(cd);
            return rx_error_set(err, RX_BAD_INPUT, spec->where, "model.D: no distribution ratio for %s",
                                rx_plant_element(plant, s)->sym);
        }
    *params = cd;
    return RX_OK;
}

static void cd_destroy(void **params)
{
    if (params) {
        free(*params);
        *params = NULL;
    }
}

static int cd_split(const void *params, const RxStageIn *in, double guess[2], RxStageOut *out)
{
    (void)guess;
    const ConstantD *cd = params;
    double charge = 0;
    for (int j = 0; j < in->M; j++) {
        double den = in->A + in->O * cd->D[j];
        out->x[j] = in->T[j] / den;
        out->y[j] = cd->D[j] * out->x[j];
        charge += in->z[j] * out->x[j];
        if (out->dadT) {
            for (int i = 0; i < in->M; i++)
                out->dadT[i + j * in->M] = out->dodT[i + j * in->M] = 0;
            out->dadT[j + j * in->M] = in->A / den;
            out->dodT[j + j * in->M] = in->O * cd->D[j] / den;
            if (out->dadcl)
                out->dadcl[j] = 0; /* no ion exchange: chloride moves nothing */
        }
    }
    out->h = rx_free_acid(charge, in->cl / in->A, in->so4 / in->A, in->ka);
    out->d = 0;
    out->iterations = 0;
    return RX_OK;
}

/* D does not depend on [H+]: the split at a measured pH is the same split. */
static int cd_split_at_h(const void *params, const RxStageIn *in, double h, double guess[2], RxStageOut *out)
{
    const ConstantD *cd = params;
    (void)guess;
    if (!(in->A > 0) || !(in->O > 0))
        return RX_BAD_INPUT;
    for (int j = 0; j < in->M; j++) {
        out->x[j] = in->T[j] / (in->A + in->O * cd->D[j]);
        out->y[j] = cd->D[j] * out->x[j];
    }
    out->h = h;
    out->d = 0;
    out->iterations = 0;
    return RX_OK;
}

static const char *const cd_settings[] = {NULL};

const RxModelType rx_model_constant_d = {
    .name = "constant_d",
    .description = "constant distribution ratio D per species (linear; Kremser is exact for it)",
    .settings = cd_settings,
    .value_key = "D",
    .value_kind = RX_VALUE_POSITIVE,
    .create = cd_create,
    .destroy = cd_destroy,
    .split = cd_split,
    .split_at_h = cd_split_at_h,
};
