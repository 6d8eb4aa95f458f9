/*
 * core/plant.h - the plant description: validated, plain structs, and
 * their accessors.
 *
 * Units everywhere inside: concentrations mol/L, flows L/h, molar flows mol/h.
 * Stages are numbered along the organic flow: organic enters stage 1, the
 * raffinate leaves stage 1 (0-based indices in arrays, 1-based in messages).
 */
#ifndef RX_PLANT_H
#define RX_PLANT_H

#include "core/elements.h"
#include "core/error.h"

#include <stdatomic.h>

#define RX_MAX_SPECIES 32
#define RX_MAX_VALUES 64 /* per-element model values a config may give */
/* Plausibility bound: no aqueous or organic holds more free acid or metal (mol/L). */
#define RX_MAX_MOLAR 20.0
/* Stages of a circuit in all.  The steady-state solver meets 1000 + 1000
 * stages (tests/fixtures/small.cfg scaled: 5186 Newton iterations, 8.5 s;
 * above the default max_iterations) but not 10 003 (68 s, then no
 * convergence); industrial cascades have up to a few hundred stages.
 * Totals are checked against it before they are added, so an int holds
 * them. */
#define RX_MAX_STAGES 2000
/* Sections of a circuit: real ones have 2 to 6 (extraction, scrub, strip,
 * wash, regeneration); 64 leaves room for generated plants and keeps the
 * per-section loops and tables small. */
#define RX_MAX_SECTIONS 64
/* What an aqueous feed can dissolve (engineering limits, mol/L).  No
 * chloride solution holds much more than 12 mol/L of chloride: the
 * strongest hydrochloric acid sold, 37 % w/w at 1.18 kg/L, is
 * 1180 x 0.37 / 36.46 = 12.0 mol/L, above which HCl gas leaves it, and a
 * saturated rare-earth chloride (about 3.6 to 4 mol/kg of water at 25 C,
 * handbook values recalled, not read from a source here) holds some 10
 * mol/L.  The most soluble chloride a feed can carry, NH4Cl (about 7.4
 * mol/kg), dissolves some 6 mol/L of metal, and rare-earth sulfates far
 * less.  The limits sit above all of these, to refuse only the impossible. */
#define RX_MAX_FEED_CHLORIDE 13.0
#define RX_MAX_FEED_METAL 8.0
/* Saponification (mol base per mol HA) below this: each Na(A.HA) holds two HA units. */
#define RX_MAX_SAPONIFICATION 0.5
/* Resolution floor: a metal, a saponification base or an extractant given
 * between 0 and this many mol/L is refused (0 leaves it out).  1e-30 mol/L
 * is less than one ion in a thousand cubic metres (6e23/mol x 1e-30 mol/L
 * = 6e-7 per litre), so such an amount carries no information; near
 * 1e-300 mol/L the circuit's logarithms and the products of flows, shares
 * and trace floors underflow, and the solve failed with a non-finite
 * residual after 0 iterations.  Amounts down to 1e-280 mol/L solve. */
#define RX_MIN_MOLAR 1e-30

enum { RX_AQ = 0, RX_ORG = 1 };

/* Holdup geometry of every stage of a section (dynamics only).  A volume is
 * given directly (L) or as a residence time (h) at the design flows; the
 * settler's aqueous and organic layers are each `settler_tanks` tanks in
 * series without mass transfer. */
typedef struct RxSection {
    char name[RX_NAME_LEN];
    int first;  /* 0-based first stage */
    int count;  /* stages */
    int has_geometry;
    double mixer_volume;       /* L, or 0 when given as a residence time */
    double mixer_residence;    /* h */
    double settler_aq_volume;  /* L per layer (0: by residence or no settler) */
    double settler_org_volume;
    double settler_residence;  /* h, each layer at its own phase's design flow */
    int settler_tanks;         /* 0: no settler, the mixer feeds the next stage */
    /* Non-idealities (steady state only; docs/model.md):
     *   efficiency  Murphree efficiency on the aqueous phase, (0, 1]: that
     *               share of the incoming aqueous stream is mixed, the rest
     *               passes the stage unmixed
     *   aq_entrain  share of the aqueous phase leaving with the organic outflow
     *   org_entrain share of the organic phase leaving with the aqueous outflow */
    double efficiency;
    double aq_entrain, org_entrain;
} RxSection;

/* Where a stage was named: "section:first|last|N" keeps its place in the
 * section when the section is resized (rx_plant_set_stages); a stage number
 * stays where it is.  section -1: by number; offset -1: the last stage. */
typedef struct RxStageRef {
    int section;
    int offset;         /* 0-based from the section's first stage, or -1: last */
} RxStageRef;

typedef struct RxFeed {
    char name[RX_NAME_LEN];
    int phase;          /* RX_AQ or RX_ORG */
    int stage;          /* 0-based stage it enters */
    RxStageRef ref;     /* how the stage was named */
    double flow;        /* L/h */
    double c[RX_MAX_SPECIES]; /* mol/L of each species */
    double h;           /* free acid, mol/L H+ (aqueous) */
    double cl;          /* chloride, mol/L (aqueous, from electroneutrality; with sulfate
                         * the anion charge the sulfate does not cover, may be < 0) */
    double so4;         /* total sulfate, SO4 + HSO4, mol/L (aqueous) */
    double sap;         /* organic: saponification, mol base per mol HA */
    double bisulfate;   /* HSO4 given with the sulfate, mol/L; < 0: at equilibrium with the acid */
    /* The elements its composition names (element-table rows, in the order
     * given): the species come into the plant in this order, feed by feed,
     * and the chloride sums their charge in that order, so an edited plant
     * has the same chloride to the last bit as one read from text. */
    int norder;
    int order[RX_MAX_SPECIES];
} RxFeed;

/* A scheduled change of one feed: from `time` on, feed `feed` is `state`
 * (its flow may be 0: the stream is stopped). */
enum { RX_SETS_FLOW = 1, RX_SETS_ACID = 2, RX_SETS_COMPOSITION = 4, RX_SETS_SAPONIFICATION = 8 };
typedef struct RxEvent {
    double time;        /* h */
    int feed;           /* index into RxPlant.feeds */
    unsigned sets;      /* what the event changes, RX_SETS_* (the rest is the feed's) */
    RxFeed state;
} RxEvent;

/* A concentration to record in the time series. */
typedef struct RxWatch {
    int stage;          /* 0-based */
    RxStageRef ref;
    int phase;
    int species;
} RxWatch;

enum { RX_START_BARREN = 0, RX_START_STEADY = 1, RX_START_STATE = 2 };

typedef struct RxDynamicsSpec {
    int present;
    RxError refused;        /* code != RX_OK: what simulate cannot do with this plant yet */
    double horizon;         /* h */
    double interval;        /* h between output rows */
    int initial;            /* RX_START_* */
    double barren_h;        /* [H+] of the barren aqueous, mol/L */
    char state_file[512];   /* for RX_START_STATE, resolved path */
    double rtol;            /* relative tolerance */
    double atol;            /* absolute tolerance, mol/L */
    long max_steps;         /* integrator steps between outputs before it gives up */
    int nevents;
    RxEvent *events;        /* sorted by time */
    int nwatch;
    RxWatch *watch;
} RxDynamicsSpec;

typedef struct RxDraw {
    char name[RX_NAME_LEN];
    int phase;          /* which outflow of the stage is drawn */
    int stage;          /* 0-based */
    RxStageRef ref;
    double fraction;    /* share of that outflow leaving as product, (0, 1] */
} RxDraw;

typedef struct RxProduct {
    char name[RX_NAME_LEN];
    char stream[RX_NAME_LEN]; /* "raffinate", "organic" or a draw name */
    int ntargets;
    int targets[RX_MAX_SPECIES]; /* species indices */
} RxProduct;

/* The design group (docs/design.md): targets, what may vary, objective. */
#define RX_MAX_TARGETS 16
#define RX_MAX_DESIGN_VARS 8
/* Purity and recovery at least, a share at most (fractions); the pH of an
 * aqueous product at least or at most. */
enum { RX_TARGET_PURITY = 0, RX_TARGET_RECOVERY = 1, RX_TARGET_MAX_SHARE = 2, RX_TARGET_MIN_PH = 3, RX_TARGET_MAX_PH = 4 };
enum { RX_OBJECTIVE_STAGES = 0, RX_OBJECTIVE_REAGENTS = 1, RX_OBJECTIVE_COST = 2 };

typedef struct RxTarget {
    int product;             /* index into RxPlant.products */
    int kind;                /* RX_TARGET_* */
    double value;            /* fraction (purity, recovery, share) or pH */
    int nel;                 /* RX_TARGET_MAX_SHARE: elements whose REO share is limited */
    int el[RX_MAX_SPECIES];
    char label[128];         /* e.g. "NdPr purity >= 99.5 %" */
} RxTarget;

typedef struct RxStageVar {
    int section;             /* index into RxPlant.sections */
    int min, max;            /* stages */
} RxStageVar;

typedef struct RxFlowVar {
    int feed;                /* index into RxPlant.feeds */
    double min, max;         /* L/h */
    int steps;               /* levels from min to max, >= 1 */
} RxFlowVar;

/* A design specification: a continuous variable solved so that a target
 * holds with equality (docs/design.md, "Specifications"). */
enum { RX_SPEC_FLOW = 0, RX_SPEC_SAPONIFICATION = 1, RX_SPEC_DRAW = 2 };
typedef struct RxSpec {
    int kind;                /* RX_SPEC_* */
    int index;               /* the feed (RX_SPEC_FLOW) or the draw (RX_SPEC_DRAW) */
    double min, max;         /* L/h for a flow; fraction for the saponification and a draw */
    RxTarget target;
    char label[RX_NAME_LEN + 32]; /* "fresh organic flow", "saponification", "Pr draw fraction" */
} RxSpec;

/* An operating window asked for: the flow of `feed` may move at least
 * `at_least` (a fraction of it, 0: nothing required) either way with every
 * target held.  Any entry makes reesx run report the window. */
typedef struct RxWindowNeed {
    int feed;
    double at_least;
} RxWindowNeed;

typedef struct RxDesignSpec {
    int present;
    int nspecs;
    RxSpec specs[RX_MAX_DESIGN_VARS];
    int nwindows;
    RxWindowNeed windows[RX_MAX_DESIGN_VARS];
    double probability;      /* of meeting every target under the uncertainty group, at least (0: not asked) */
    int objective;           /* RX_OBJECTIVE_* */
    int ntargets;
    RxTarget targets[RX_MAX_TARGETS];
    int nstage_vars;
    RxStageVar stage_vars[RX_MAX_DESIGN_VARS];
    int stages_default;      /* stage_vars not given: ranges widened by the cascade-theory estimate */
    int nflow_vars;
    RxFlowVar flow_vars[RX_MAX_DESIGN_VARS];
    int threads;             /* worker threads, >= 1 */
} RxDesignSpec;

/* The uncertainty group (docs/uncertainty.md): what `reesx uncertainty`
 * samples and how.  A spread is one standard deviation, of a normal
 * distribution about the nominal value: relative (a fraction of it) or
 * absolute (in the internal unit: L/h, mol/L). */
#define RX_MAX_UNC_FEEDS 16
#define RX_MAX_UNC_CORR 64
enum { RX_SPREAD_NONE = 0, RX_SPREAD_RELATIVE = 1, RX_SPREAD_ABSOLUTE = 2 };
typedef struct RxSpread {
    int kind;                /* RX_SPREAD_* */
    double sd;               /* fraction (relative), or L/h / mol/L (absolute) */
} RxSpread;
typedef struct RxFeedSpread {
    int feed;                /* index into RxPlant.feeds */
    RxSpread flow;
    RxSpread all;            /* every element of the feed not listed in conc */
    int nconc;
    int conc_elem[RX_MAX_SPECIES]; /* element-table rows */
    RxSpread conc[RX_MAX_SPECIES];
} RxFeedSpread;
typedef struct RxUncertaintySpec {
    int present;
    unsigned long seed;
    int samples;
    int threads;             /* worker threads, >= 1 */
    /* The model's per-element constants, in its value units: log10 K as
     * log10 K; a positive ratio (D, beta) as log10 of it.  sd of each
     * constant: constants[] if listed, else the data file's standard
     * error when the row is fitted and `fitted` is set, else constant_sd. */
    double constant_sd;
    int fitted;
    int nconst;
    int const_elem[RX_MAX_VALUES];
    double const_sd[RX_MAX_VALUES];
    int ncorr;               /* correlations between two constants */
    int corr_elem[RX_MAX_UNC_CORR][2];
    double corr[RX_MAX_UNC_CORR];
    int nfeeds;
    RxFeedSpread feeds[RX_MAX_UNC_FEEDS];
    char where[300];         /* "file:line" of the group */
} RxUncertaintySpec;

/* The cost group: values that replace rows of models/data/costs.tsv, in
 * the units of that file's keys (see docs/cost.md). */
#define RX_MAX_COST_OVERRIDES 64
#define RX_L_PER_GAL 3.785411784 /* US gallon, by definition */
typedef struct RxCostSpec {
    int present;
    int n;
    char key[RX_MAX_COST_OVERRIDES][32];
    double value[RX_MAX_COST_OVERRIDES];
} RxCostSpec;

/* The fit group (docs/fit.md): which constants `reesx fit` adjusts, to
 * which data (batch shake-outs, a running circuit's stage profile, or
 * both), in which residual and with which weights. */
#define RX_MAX_FIT_PARAMS 32
/* A parameter: the model's per-element value (its value key: log10 K,
 * D, beta), an empirical line's coefficient (slope m0 and intercept B0;
 * with the dosage terms m1 and B1 too), or a section's Murphree
 * efficiency. */
enum { RX_FIT_VALUE = 0, RX_FIT_SLOPE = 1, RX_FIT_INTERCEPT = 2, RX_FIT_EFFICIENCY = 3, RX_FIT_SLOPE_DOSAGE = 4,
       RX_FIT_INTERCEPT_DOSAGE = 5 };
/* The coefficients of an empirical_logd line, in the data file's order. */
enum { RX_LINE_M0 = 0, RX_LINE_M1 = 1, RX_LINE_B0 = 2, RX_LINE_B1 = 3 };
/* Residual: log10 D (shake-outs only), a concentration in mol/L, or its
 * log10; a pH is compared as a pH in each. */
enum { RX_RESID_LOG10_D = 0, RX_RESID_CONC = 1, RX_RESID_LOG10_CONC = 2 };
/* What a point measures; also the index of its weight. */
enum { RX_MEAS_D = 0, RX_MEAS_EXTRACTION, RX_MEAS_AQUEOUS, RX_MEAS_ORGANIC, RX_MEAS_PH, RX_NMEAS };
/* Murphree efficiency: below 5 % a stage barely contacts the phases. */
#define RX_MIN_EFFICIENCY 0.05
typedef struct RxFitParam {
    int kind;                /* RX_FIT_* */
    int elem;                /* element-table row (RX_FIT_EFFICIENCY: unused) */
    double start;            /* start value (the model's current one) */
    double lo, hi;           /* bounds; -HUGE_VAL / HUGE_VAL when none */
    int section;             /* RX_FIT_EFFICIENCY: index into RxPlant.sections */
} RxFitParam;
typedef struct RxFitSpec {
    int present;
    char data[512];          /* shake-out CSV, resolved against the config's folder; "" if none */
    char profile[512];       /* stage-profile CSV of this circuit, resolved likewise; "" if none */
    char where[300];         /* "file:line" of the fit group */
    int residual;            /* RX_RESID_* */
    double weight[RX_NMEAS]; /* multiplies a point's squared residual, by what it measures; 1 by default */
    int nparams;
    RxFitParam params[RX_MAX_FIT_PARAMS];
} RxFitSpec;

typedef struct RxModelSpec {
    char type[32];           /* registry name, e.g. "mass_action" */
    char extractant[32];     /* e.g. "P507"; selects the data file */
    char datafile[512];      /* resolved path of the model's data file, "" if none */
    int nvalues;             /* per-element values given in the config (each named element, fed or not:
                              * a model takes those of its plant's species, so an edit that brings
                              * an element in finds its value) */
    int value_elem[RX_MAX_VALUES];  /* element-table row */
    double value[RX_MAX_VALUES];
    double capacity;         /* mol/L metal in saturated organic (separation_factor) */
    double affinity;         /* L/mol (separation_factor), > 0; 0: the model's default */
    char activity[16];       /* mass_action: "none" (apparent K) or "pitzer" */
    /* empirical_logd: coefficients m0 m1 B0 B1 (RX_LINE_*) of log10 D =
     * (m0 + m1 dosage) pH + B0 + B1 log10(dosage) that take the place of an
     * element's data-file row (fit/ sets them; element-table rows). */
    int nlines;
    int line_elem[RX_MAX_VALUES];
    double line[RX_MAX_VALUES][4];
    char where[300];         /* "file:line" of the model setting */
} RxModelSpec;

typedef struct RxSolverOptions {
    int max_iterations;      /* circuit Newton iterations */
    double tolerance;        /* max |log residual| at convergence */
} RxSolverOptions;

struct RxModelType;

/* The equilibrium model built for a plant's species (models/registry.c,
 * rx_model_build): shared read-only by a plant and its copies and freed with
 * the last of them.  The plant knows its type only by name and destructor. */
typedef struct RxModel {
    const struct RxModelType *type;  /* borrowed from the registry */
    const char *name;                /* the type's registry name */
    void *params;                    /* the type's, for the plant's species */
    void (*destroy)(void **params);  /* the type's */
    atomic_int refs;
} RxModel;

/* Drop one reference to *m (NULL is fine) and NULL the handle; the last
 * frees the model. */
void rx_model_release(RxModel **m);

typedef struct RxPlant {
    char path[256];
    char title[128];
    RxElementTable *elements;          /* shared by copies (reference counted) */
    int nsp;                           /* species (metals) in the circuit */
    int species[RX_MAX_SPECIES];       /* index into elements */
    int charge[RX_MAX_SPECIES];
    int nstages;
    int nsections;
    RxSection *sections;
    int nfeeds;
    RxFeed *feeds;
    int ndraws;
    RxDraw *draws;
    int nproducts;
    RxProduct *products;
    char extractant[32];
    double extractant_conc;            /* mol/L monomer HA in organic feed (0 if unknown) */
    double extractant_vv;              /* dosage, v/v %, when given so (0 otherwise) */
    double extractant_mm, extractant_rho; /* g/mol, g/mL from the extractant's data file (0: not given) */
    double ka_hso4;                    /* HSO4- <=> H+ + SO4--, mol/L (models/data/aqueous.tsv) */
    double saponification;             /* mol base per mol HA, fraction */
    int base_species;                  /* species index of Na/NH4, -1 if none */
    char base_name[16];                /* "NaOH" / "NH4OH" */
    RxModelSpec model_spec;
    RxModel *model;                    /* built for the species (rx_model_build), shared by copies */
    RxSolverOptions options;
    RxDynamicsSpec dynamics;
    RxDesignSpec design;
    RxCostSpec cost;
    RxUncertaintySpec uncertainty;
    RxFitSpec fit;
    char *source_text;                 /* the text a plant was loaded from (rx_plant_load_text), or NULL */
} RxPlant;

/* An empty plant named path (messages), with the defaults the loader
 * starts from (NaOH base, none yet); NULL when out of memory. */
RxPlant *rx_plant_create(const char *path);
void rx_plant_destroy(RxPlant **p);
/* The 0-based stage a reference names in p's sections as they are now
 * (stage: the stage a numbered reference holds). */
int rx_stage_of(const RxPlant *p, RxStageRef ref, int stage);
/* "section:first", "section:last" or "section:K" into *ref: RX_OK, or
 * RX_STAGE_NO_SECTION (no such section; s may be no reference at all) or
 * RX_STAGE_BAD_POSITION (ref->section names the section). */
enum { RX_STAGE_NO_SECTION = -1, RX_STAGE_BAD_POSITION = -2 };
int rx_stage_ref_parse(const RxPlant *p, const char *s, RxStageRef *ref);
/* Species index of element table row elem, added at the end if new; -1 when
 * the plant already carries RX_MAX_SPECIES. */
int rx_plant_add_species(RxPlant *p, int elem);
/* The base of the saponification stays a species only while a feed carries it. */
void rx_plant_drop_unfed_base(RxPlant *p);
/* Species in element-table order, the feeds' concentrations and the base
 * index remapped (before anything else refers to species). */
void rx_plant_sort_species(RxPlant *p);
/* Species index of an element symbol, -1 if the plant does not carry it. */
int rx_plant_species(const RxPlant *p, const char *sym);
/* Species index of element-table row elem, -1 if the plant does not carry it. */
int rx_plant_species_of_element(const RxPlant *p, int elem);
const RxElement *rx_plant_element(const RxPlant *p, int species);
/* Element symbol of the saponification's base: "Na", or "NH4" for NH4OH. */
const char *rx_base_symbol(const RxPlant *p);
/* Formula the base is costed as: "NaOH", or "NH3" for NH4OH. */
const char *rx_base_formula(const RxPlant *p);
/* Registry name of the plant's equilibrium model. */
const char *rx_plant_model_name(const RxPlant *p);

/* What a variant changes in one feed: flow (L/h, < 0: keep), acid (mol/L
 * H+, < 0: keep) and, when ncomp > 0, the whole composition (mol/L). */
typedef struct RxFeedSet {
    int feed;                          /* index into RxPlant.feeds */
    double flow, acid;
    int ncomp;
    char sym[RX_MAX_SPECIES][RX_SYM_LEN];
    double conc[RX_MAX_SPECIES];
} RxFeedSet;

/* ---- plants edited in memory (core/plant_edit.c) -------------------- */

/* A copy of p that shares its element table and model (read-only, reference
 * counted) and owns the rest.  RX_NO_MEMORY. */
int rx_plant_copy(const RxPlant *p, RxPlant **out, RxError *err);
/* Section sections[k] gets stages[k] stages (k < n), all at once: the
 * sections after them move, and feeds, draws and watched stages named
 * "section:first|last|N" follow their section.  RX_BAD_INPUT where the
 * loader would refuse the result: a stage given by number outside the
 * circuit, a position beyond its section, a draw that becomes impossible. */
int rx_plant_set_stages(RxPlant *p, int n, const int *sections, const int *stages, RxError *err);
/* Apply a feed set (flow, acid, whole composition; chloride of an aqueous
 * feed follows; an organic feed's base stays the saponification's).  When the elements the feeds carry change, the species are
 * rebuilt and the model is dropped (p->model NULL): build it again with
 * rx_model_build.  RX_BAD_INPUT for a flow or acid not positive, a
 * concentration or acid above RX_MAX_MOLAR, an unknown element, or a
 * product, target, watch or event left naming an element no feed carries.
 * The caller checks an organic feed's loading against its model's needs
 * (RxModelType.needs_extractant).  After an error the plant is half
 * edited: destroy it. */
int rx_plant_set_feed(RxPlant *p, const RxFeedSet *fs, RxError *err);
/* The extractant's saponification (extractant.saponification; fraction,
 * mol base per mol HA) set to sap.  Each organic feed that followed it
 * (its own saponification equal to the old one) follows, with its base
 * (Na or NH4, mol/L) and the dynamics events on it; a feed with a
 * saponification of its own keeps it.  RX_BAD_INPUT where the loader
 * refuses: sap not in [0, 0.5), or a base below RX_MIN_MOLAR; and where an
 * edit cannot follow: a plant not saponified (no base species) or sap 0
 * (the species would change).  The caller checks the organic feeds'
 * loading against its model's needs (rx_model_check_organic). */
int rx_plant_set_saponification(RxPlant *p, double sap, RxError *err);
/* Draw i takes the share f (0 < f <= 1) of its outflow.  RX_BAD_INPUT
 * for an f outside that range. */
int rx_plant_set_draw_fraction(RxPlant *p, int i, double f, RxError *err);
/* The model value of element-table row elem in s set to v, added when s
 * has none for it; RX_BAD_INPUT when s already holds RX_MAX_VALUES. */
int rx_model_spec_set_value(RxModelSpec *s, int elem, double v);
/* Extractant an organic feed's metals and saponification hold, mol/L HA:
 * each metal ion of charge z takes z dimers (HA)2. */
double rx_feed_extractant_use(const RxPlant *p, const RxFeed *f);
/* Chloride of aqueous feed f, mol/L: what the free acid, the sulfate (with
 * its bisulfate, or at equilibrium with the acid) and the metals leave of
 * the charge balance, the metals summed in species order. */
void rx_feed_chloride(const RxPlant *p, RxFeed *f);
/* Metal dissolved in feed f in all (every species), mol/L. */
double rx_feed_metal(const RxPlant *p, const RxFeed *f);
/* NULL when aqueous feed f dissolves no more than RX_MAX_FEED_METAL and
 * RX_MAX_FEED_CHLORIDE; otherwise what it holds too much of, as "metal" or
 * "chloride" (*amount: mol/L, *limit: the limit). */
const char *rx_feed_too_concentrated(const RxPlant *p, const RxFeed *f, double *amount, double *limit);
/* Its first part: the free acid less the sulfate's charge, mol/L. */
double rx_feed_acid_charge(const RxPlant *p, const RxFeed *f);
/* Draw i of p: i when it takes an outflow that leaves the circuit anyway,
 * the index of an earlier draw on the same outflow, or -1 when it is fine. */
int rx_draw_conflict(const RxPlant *p, int i);

#endif
