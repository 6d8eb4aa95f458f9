/*
 * model.h - the equilibrium-model contract.
 *
 * A model splits the metal entering one well-mixed stage between the aqueous
 * and the organic phase.  It is a const table of function pointers; adding a
 * model is one file in models/ and one line in registry.c.
 */
#ifndef RX_MODEL_H
#define RX_MODEL_H

#include "core/datafile.h"
#include "core/plant.h"

#include <math.h>
#include <stddef.h>

/* What is split (all borrowed).  The steady state passes what enters a
 * stage per hour (mol/h) and the phase flows (L/h); the dynamic model passes
 * what a mixer holds (mol) and its phase volumes (L).  The split only sees
 * concentrations, so both are the same problem. */
typedef struct RxStageIn {
    int M;              /* species */
    const double *T;    /* M: total metal, mol/h (or mol), each >= 0 */
    const int *z;       /* M: charge */
    double cl;          /* chloride (aqueous), mol/h (or mol), > 0 */
    double A, O;        /* aqueous and organic flow, L/h (or volume, L), > 0 */
    double ce;          /* extractant in the organic, mol/L monomer */
    double so4;         /* total sulfate (aqueous), mol/h (or mol), >= 0 */
    double ka;          /* HSO4- <=> H+ + SO4-- constant, mol/L */
} RxStageIn;

/* Aqueous anion charge (mol/L) at [H+] = h: chloride (cl, mol/L) plus total
 * sulfate s (mol/L) split by HSO4- <=> H+ + SO4-- (constant ka):
 * cl + s (h + 2 ka)/(h + ka).  Sulfate takes up protons as h rises. */
static inline double rx_anion_charge(double h, double cl, double s, double ka)
{
    return s > 0 ? cl + s * (h + 2.0 * ka) / (h + ka) : cl;
}

/* d(anion charge)/d(ln h): -s ka h/(h + ka)^2 (<= 0). */
static inline double rx_anion_dlnh(double h, double s, double ka)
{
    return s > 0 ? -s * ka * h / ((h + ka) * (h + ka)) : 0.0;
}

/* [H+] (mol/L) of an aqueous whose metals carry q (mol/L of charge):
 * h + q = rx_anion_charge(h, cl, s, ka), the positive root; 0 if none. */
static inline double rx_free_acid(double q, double cl, double s, double ka)
{
    if (!(s > 0))
        return cl - q > 0 ? cl - q : 0;
    /* (h + q - cl)(h + ka) = s (h + 2 ka) */
    double b = ka + q - cl - s, c = ka * (q - cl) - 2.0 * s * ka, disc = b * b - 4.0 * c;
    double h = disc > 0 ? 0.5 * (-b + sqrt(disc)) : 0;
    return h > 0 ? h : 0;
}

/* The split.  x, y: M each, mol/L.  guess[2]: in/out warm start (model's own
 * variables, e.g. ln h and ln d); guess[0] = 0 and guess[1] = 0 both means
 * "no guess".  dadT, dodT (both NULL or both set): M*M column-major,
 * d(A x_i)/d(T_j) and d(O y_i)/d(T_j).  Their sum is the identity, but each
 * is computed directly: 1 - d(A x)/dT loses all digits for a species that is
 * nearly all aqueous, and the circuit solver needs those digits. */
typedef struct RxStageOut {
    double *x, *y;
    double h, d;        /* [H+] and free dimer (HA)2, mol/L (0 if not modelled) */
    double *dadT, *dodT;
    int iterations;
    /* Optional (may be NULL, only with dadT): M, d(A x_i)/d(cl); the organic
     * moves by the opposite, d(O y_i)/d(cl) = -d(A x_i)/d(cl). */
    double *dadcl;
} RxStageOut;

/* What the numbers of a model's per-species setting are. */
typedef enum RxValueKind {
    RX_VALUE_POSITIVE,  /* a positive ratio (a distribution ratio, a separation factor) */
    RX_VALUE_LOG10,     /* log10 of a constant: any sign, but bounded (config/ says how far) */
} RxValueKind;

/* A model describes itself, so that config/ reads and checks its settings
 * without knowing it by name. */
typedef struct RxModelType {
    const char *name;
    const char *description;
    /* Its config group `model`: the settings it takes besides type and
     * value_key, NULL-ended (among capacity, affinity, data and activity,
     * the RxModelSpec fields config/ fills); any other is an error. */
    const char *const *settings;
    /* Its per-species setting, e.g. log10_K = { Nd = 1.3; } (NULL if it
     * has none: then its values come from its data file alone), and what
     * those numbers are. */
    const char *value_key;
    RxValueKind value_kind;
    /* What it needs of the plant, 1 or 0:
     * needs_extractant - the extractant block, with a molar concentration
     *   (mol/L, or v/v% with the data's molar mass and density); no organic
     *   may carry more metal and base than that extractant holds;
     * needs_anions - chloride or sulfate in every stage's aqueous (it
     *   exchanges metal for H+ against the anion charge);
     * extractant_data - without model.data its data file is the
     *   extractant's, models/data/<extractant>_chloride.tsv. */
    int needs_extractant;
    int needs_anions;
    int extractant_data;
    /* Build parameters for the plant's species from spec (and its data file). */
    int (*create)(const RxModelSpec *spec, const RxPlant *plant, void **params, RxError *err);
    void (*destroy)(void **params);
    /* Split one stage.  Returns RX_OK or RX_NOT_CONVERGED (recoverable). */
    int (*split)(const void *params, const RxStageIn *in, double guess[2], RxStageOut *out);
    /* Optional, NULL for a model that cannot: split at a given [H+] h
     * (mol/L), as in a batch shake-out whose equilibrium pH was measured.
     * The charge balance is not imposed (in->cl is not used; the acid the
     * experimenter added is what set h); out->dadT is not filled.  Same
     * returns as split. */
    int (*split_at_h)(const void *params, const RxStageIn *in, double h, double guess[2], RxStageOut *out);
} RxModelType;

/* Build the plant's model from p->model_spec for its species (the type's
 * create), replacing any it had.  RX_BAD_INPUT for an unknown type. */
int rx_model_build(RxPlant *p, RxError *err);

/* RX_OK when every organic feed of p leaves its model what it needs: with
 * a model that balances the extractant (needs_extractant), its metals and
 * saponification use less than the extractant holds; otherwise
 * RX_BAD_INPUT naming the feed, as the loader does.  p->model is built. */
int rx_model_check_organic(const RxPlant *p, RxError *err);

/* Split one stage with the plant's model (see RxModelType.split). */
static inline int rx_model_split(const RxPlant *p, const RxStageIn *in, double guess[2], RxStageOut *out)
{
    return p->model->type->split(p->model->params, in, guess, out);
}

/* What each of the plant's constants rests on: cls[j] is the RX_CLASS_* of
 * the data-file row that gives species j's constant, or RX_CLASS_GIVEN when
 * the config gives it (or -1 when neither says).  Returns 1 when a product
 * target's constant is a placeholder: the split between the products rests
 * on it, and the results are indicative. */
#define RX_CLASS_GIVEN RX_NCLASSES
int rx_model_provenance(const RxPlant *p, int *cls);

/* Registry: NULL if name is unknown. */
const RxModelType *rx_model_find(const char *name);
/* The i-th model of the registry (from 0), NULL past the last. */
const RxModelType *rx_model_at(size_t i);
/* The model of a plant that names none. */
const RxModelType *rx_model_default(void);
/* Names of all models in registry order, ", " between them (static
 * storage, built at the first call; safe from any thread). */
const char *rx_model_names(void);

#endif
