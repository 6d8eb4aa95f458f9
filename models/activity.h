/* activity.h - Pitzer activity coefficients of a chloride aqueous phase
 * (internal to models/; docs/model.md, "Activity correction"). */
#ifndef RX_ACTIVITY_H
#define RX_ACTIVITY_H

#include "models/model.h"

/* Parameters for the plant's metals (0..M-1) and H+ (index M). */
typedef struct RxPitzer {
    int M;
    double Aphi, b, alpha;
    int z[RX_MAX_SPECIES + 1];
    double b0[RX_MAX_SPECIES + 1], b1[RX_MAX_SPECIES + 1], C[RX_MAX_SPECIES + 1];
} RxPitzer;

/* Read models/data/pitzer_chloride.tsv for every species of the plant;
 * RX_BAD_INPUT naming `where` and the species that has no parameters. */
int rx_pitzer_load(RxPitzer *pz, const RxPlant *plant, const char *where, RxError *err);

/* Single-ion ln gamma of every metal and H+ (lng, M + 1) and of Cl- (*lngcl)
 * in an aqueous of metals x (M), [H+] h and chloride cl, all mol/L (taken
 * as mol/kg).  Mixing terms theta and psi are zero. */
void rx_pitzer_ln_gamma(const RxPitzer *pz, const double *x, double h, double cl, double *lng, double *lngcl);

/* lam_j = ln(gamma_j / gamma_H^z_j): the factor a metal's mass-action
 * constant takes in that aqueous (D_j = K_j e^lam_j (d/h)^z_j). */
void rx_pitzer_lambda(const RxPitzer *pz, const double *x, double h, double cl, double *lam);

#endif
