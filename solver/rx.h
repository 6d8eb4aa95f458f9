/*
 * rx.h - public interface of libreesx, the steady-state core of reesx.
 *
 * A plant (one counter-current circuit of mixer-settler stages) is read from a
 * libconfig file into plain validated structs (rx_plant_load), solved to steady
 * state (rx_circuit_solve), and reported (rx_report_*).  The core never prints
 * and never exits: every call returns an RxStatus and fills an RxError.
 *
 * Units everywhere inside: concentrations mol/L, flows L/h, molar flows mol/h.
 * Stages are numbered along the organic flow: organic enters stage 1, the
 * raffinate leaves stage 1 (0-based indices in arrays, 1-based in messages).
 */
#ifndef RX_H
#define RX_H

#include <stddef.h>

/* Status codes, CVODE signs: 0 ok, > 0 recoverable, < 0 fatal. */
#define RX_STATUS_LIST(X)                                   \
    X(RX_OK, 0, "ok")                                       \
    X(RX_NOT_CONVERGED, 1, "solver did not converge")       \
    X(RX_SINGULAR, 2, "singular matrix")                    \
    X(RX_BAD_INPUT, -1, "invalid input")                    \
    X(RX_NO_MEMORY, -2, "out of memory")                    \
    X(RX_IO_ERROR, -3, "input/output error")

typedef enum {
#define RX_STATUS_ENUM(name, value, text) name = value,
    RX_STATUS_LIST(RX_STATUS_ENUM)
#undef RX_STATUS_ENUM
} RxStatus;

/* Human-readable text of a status code (static storage). */
const char *rx_status_str(int status);

/* What went wrong and where: `where` is "file:line" for input errors. */
typedef struct RxError {
    int code;
    char where[300];
    char msg[700];
} RxError;

/* Fill err (if not NULL) and return code.  printf-style message. */
int rx_error_set(RxError *err, int code, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void rx_error_clear(RxError *err);

/* Monotonic wall clock, s (for timing solves). */
double rx_clock(void);

/* ------------------------------------------------------------------ */
/* Element data (models/data/elements.tsv)                             */

#define RX_SYM_LEN 8
#define RX_NAME_LEN 64

typedef struct RxElement {
    char sym[RX_SYM_LEN];
    int Z;
    double molar_mass;   /* g/mol */
    int charge;          /* aqueous cation charge, 0 for reagents */
    char oxide[16];      /* oxide formula, "-" if none */
    int oxide_metal;     /* metal atoms per oxide formula unit */
    int oxide_oxygen;    /* oxygen atoms per oxide formula unit */
    int is_ree;          /* lanthanide, Y or Sc: counts in REO */
} RxElement;

typedef struct RxElementTable {
    RxElement *el;
    int n;
    double oxygen_mass; /* g/mol, from the "O" row */
} RxElementTable;

/* Load the element table; *out owned by the caller (rx_elements_destroy). */
int rx_elements_load(const char *path, RxElementTable **out, RxError *err);
void rx_elements_destroy(RxElementTable **t);
/* Borrowed pointer into t, NULL if sym is not in the table (case-sensitive). */
const RxElement *rx_elements_find(const RxElementTable *t, const char *sym);
/* Grams of oxide per gram of element (e.g. 1.1728 for La -> La2O3); 1 if none. */
double rx_element_oxide_factor(const RxElement *e, double oxygen_mass);

/* Directory of the data files: $REESX_DATA if set, else the build-time path. */
const char *rx_data_dir(void);

/* ------------------------------------------------------------------ */
/* Plant description: validated, plain structs                         */

#define RX_MAX_SPECIES 32

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

typedef struct RxFeed {
    char name[RX_NAME_LEN];
    int phase;          /* RX_AQ or RX_ORG */
    int stage;          /* 0-based stage it enters */
    double flow;        /* L/h */
    double c[RX_MAX_SPECIES]; /* mol/L of each species */
    double h;           /* free acid, mol/L H+ (aqueous) */
    double cl;          /* chloride, mol/L (aqueous, from electroneutrality; with sulfate
                         * the anion charge the sulfate does not cover, may be < 0) */
    double so4;         /* total sulfate, SO4 + HSO4, mol/L (aqueous) */
    double sap;         /* organic: saponification, mol base per mol HA */
} RxFeed;

/* A scheduled change of one feed: from `time` on, feed `feed` is `state`
 * (its flow may be 0: the stream is stopped). */
typedef struct RxEvent {
    double time;        /* h */
    int feed;           /* index into RxPlant.feeds */
    RxFeed state;
} RxEvent;

/* A concentration to record in the time series. */
typedef struct RxWatch {
    int stage;          /* 0-based */
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
enum { RX_TARGET_PURITY = 0, RX_TARGET_RECOVERY = 1, RX_TARGET_MAX_SHARE = 2 };
enum { RX_OBJECTIVE_STAGES = 0, RX_OBJECTIVE_REAGENTS = 1, RX_OBJECTIVE_COST = 2 };

typedef struct RxTarget {
    int product;             /* index into RxPlant.products */
    int kind;                /* RX_TARGET_* */
    double value;            /* fraction: purity or recovery at least, share at most */
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

typedef struct RxDesignSpec {
    int present;
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

typedef struct RxModelSpec {
    char type[32];           /* registry name, e.g. "mass_action" */
    char extractant[32];     /* e.g. "P507"; selects the data file */
    char datafile[512];      /* resolved path of the model's data file, "" if none */
    int nvalues;             /* per-species values given in the config */
    int value_species[RX_MAX_SPECIES];
    double value[RX_MAX_SPECIES];
    double capacity;         /* mol/L metal in saturated organic (separation_factor) */
    double affinity;         /* L/mol (separation_factor), > 0 */
    char activity[16];       /* mass_action: "none" (apparent K) or "pitzer" */
    char where[300];         /* "file:line" of the model setting */
} RxModelSpec;

typedef struct RxSolverOptions {
    int max_iterations;      /* circuit Newton iterations */
    double tolerance;        /* max |log residual| at convergence */
} RxSolverOptions;

struct RxModelType;

typedef struct RxPlant {
    char path[256];
    char title[128];
    RxElementTable *elements;          /* owned */
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
    const struct RxModelType *model;   /* borrowed from the registry */
    void *model_params;                /* owned */
    RxSolverOptions options;
    RxDynamicsSpec dynamics;
    RxDesignSpec design;
    RxCostSpec cost;
    char *source_text;                 /* the text a plant was loaded from (rx_plant_load_text), or NULL */
} RxPlant;

/* Read and validate a plant description.  Errors: RX_BAD_INPUT with
 * err->where = "file:line" and err->msg = "setting: what is wrong". */
int rx_plant_load(const char *path, RxPlant **out, RxError *err);
/* The same from a plant description held in memory; name stands for the
 * file in error messages ("name:line"; "<text>" when NULL).  Relative paths
 * in the text (dynamics.state_file, @include) resolve against the working
 * directory. */
int rx_plant_load_text(const char *text, const char *name, RxPlant **out, RxError *err);
void rx_plant_destroy(RxPlant **p);
/* What a variant changes in one feed: flow (L/h, < 0: keep), acid (mol/L
 * H+, < 0: keep) and, when ncomp > 0, the whole composition (mol/L). */
typedef struct RxFeedSet {
    int feed;                          /* index into RxPlant.feeds */
    double flow, acid;
    int ncomp;
    char sym[RX_MAX_SPECIES][RX_SYM_LEN];
    double conc[RX_MAX_SPECIES];
} RxFeedSet;

/* The plant's description with some section stage counts and feeds
 * replaced, as libconfig text in *text (the caller frees it): sections[i]
 * takes stages[i] (nsec of them), and each of the nfeed sets applies. */
int rx_plant_variant(const RxPlant *p, int nsec, const int *sections, const int *stages, int nfeed,
                     const RxFeedSet *feeds, char **text, RxError *err);
/* Species index of an element symbol, -1 if the plant does not carry it. */
int rx_plant_species(const RxPlant *p, const char *sym);
const RxElement *rx_plant_element(const RxPlant *p, int species);
/* Formula the base is costed as: "NaOH", or "NH3" for NH4OH. */
const char *rx_base_formula(const RxPlant *p);
/* Registry name of the plant's equilibrium model. */
const char *rx_plant_model_name(const RxPlant *p);

/* ------------------------------------------------------------------ */
/* Steady state                                                        */

typedef struct RxSolution {
    int N, M;
    double *A, *O;       /* N: aqueous / organic outflow of each stage, L/h */
    double *x, *y;       /* N*M: aqueous / organic mol/L, stage-major */
    double *h, *d;       /* N: [H+] mol/L, free dimer (HA)2 mol/L */
    double *cl;          /* N: chloride leaving in the aqueous, mol/h */
    double *T;           /* N*M: total entering each stage, mol/h */
    double *org_in_aq;   /* N: organic entrained in each stage's aqueous outflow, L/h (0 without entrainment) */
    double *aq_in_org;   /* N: aqueous entrained in each stage's organic outflow, L/h */
    int iterations;      /* circuit Newton iterations */
    int stage_iterations;/* total stage-solve iterations */
    double residual;     /* max |log residual| */
    int worst_stage, worst_species; /* where the residual is largest */
    double *closure;     /* M: (in - out)/in per species */
    double max_closure;
} RxSolution;

/* Largest |(in - out)/in| of any species a solved circuit may show. */
#define RX_CLOSURE_TOL 1e-9

/* Solve the circuit's steady state.  RX_NOT_CONVERGED (err names the stage
 * and element of the largest residual) when the residual does not reach the
 * tolerance or the mass balance does not close to RX_CLOSURE_TOL. */
int rx_circuit_solve(const RxPlant *p, RxSolution **out, RxError *err);
void rx_solution_destroy(RxSolution **s);

/* A stream leaving the circuit or entering it, evaluated on a solution. */
typedef struct RxStream {
    char name[RX_NAME_LEN];
    int phase;
    int stage;           /* 0-based */
    double flow;         /* L/h */
    double c[RX_MAX_SPECIES]; /* mol/L */
    double h;            /* aqueous [H+] mol/L, 0 for organic */
} RxStream;

/* Every outlet stream: raffinate, organic, then draws.  Returns count,
 * fills up to max entries. */
int rx_outlets(const RxPlant *p, const RxSolution *s, RxStream *out, int max);
/* Outlet by name; RX_BAD_INPUT if none. */
int rx_outlet(const RxPlant *p, const RxSolution *s, const char *name, RxStream *out);

typedef struct RxProductReport {
    double flow;           /* L/h */
    double reo;            /* g/h REO of every REE in the stream */
    double target_reo;     /* g/h REO of the target elements */
    double purity;         /* % of REO that is target REO */
    double recovery;       /* % of target fed that leaves in this stream */
} RxProductReport;

int rx_product_report(const RxPlant *p, const RxSolution *s, int product,
                      RxProductReport *out, RxError *err);

/* Reagents fed, mol/h: HCl (all chloride fed as acid or salt is not counted;
 * only free acid H+) and base (saponification). */
void rx_reagents(const RxPlant *p, double *acid_mol_h, double *base_mol_h);
/* Share (fraction) of a product's REO that the elements el[0..nel) make up. */
double rx_product_share(const RxPlant *p, const RxSolution *s, int product, const int *el, int nel);

/* ------------------------------------------------------------------ */
/* Dynamics (DESIGN §4): mixer-settlers in time, CVODES BDF             */

typedef struct RxSimResult {
    int completed;        /* 1 when the horizon was reached */
    double t_end;         /* h, last time integrated to */
    /* Time series: nrows rows of ncols values; header[c] names column c with its unit. */
    int nrows, ncols;
    char (*header)[80];
    double *rows;
    /* Final state (restartable) and the stage profile it means. */
    int nstate;
    double *state;
    RxSolution *final;
    /* Per product: first output time after which its purity stays within
     * 1 % and 0.1 % (relative) of its final value (near the horizon when it
     * is still moving at the end). */
    double *settle_1pct, *settle_01pct;
    /* Per species, mol: fed, left (quadrature), holdup at start and at end. */
    double *fed, *left, *holdup0, *holdup;
    /* Integrator statistics: steps, right-hand sides, Jacobians (each one
     * stage-model derivative per stage, no difference quotients). */
    long steps, rhs_evals, jac_evals;
    double seconds;
} RxSimResult;

/* Called after each output row: t and horizon in h. */
typedef void (*RxProgressFn)(double t, double horizon, void *ctx);

/* Integrate the plant's dynamics group.  Returns RX_OK, RX_BAD_INPUT (no
 * dynamics group, bad state file) or RX_NOT_CONVERGED (the integrator or a
 * stage solve failed; err says when, at which stage and compartment, and
 * the CVODE flag).  On RX_NOT_CONVERGED *out is still set: the rows computed
 * so far, so they can be written. */
int rx_simulate(const RxPlant *p, RxProgressFn progress, void *ctx, RxSimResult **out, RxError *err);
void rx_sim_result_destroy(RxSimResult **r);

int rx_write_timeseries_csv(const RxSimResult *r, const char *path, RxError *err);
/* The state file `simulate` can restart from (initial = "state"). */
int rx_write_state(const RxPlant *p, const RxSimResult *r, const char *path, RxError *err);
int rx_write_sim_summary_json(const RxPlant *p, const RxSimResult *r, const char *path, RxError *err);

/* ------------------------------------------------------------------ */
/* Cascade theory (Xu Guangxian): a binary A/B split with constant
 * separation factor beta = D_A/D_B (A the better extracted), aqueous feed
 * at the last extraction stage, products A in the organic and B in the
 * raffinate.  Fluxes are metal per unit metal fed (mol/mol); formulas and
 * their accuracy in docs/model.md.                                     */

typedef struct RxXuDesign {
    double beta, fA, PA, PB;   /* inputs: A share of the feed metal, product purities */
    double fAp, fBp;           /* shares of the feed metal leaving in the organic / aqueous product */
    double a, b;               /* purification factors of A in the organic, B in the raffinate */
    int scrub_controlled;      /* the scrub section sets the optimum (f_B' <= sqrt(beta)/(1+sqrt(beta))) */
    double EM, EMs;            /* optimum extraction ratios of the extraction / scrub section */
    double S, W;               /* organic metal flux; aqueous metal flux of the scrub section */
    double n, m;               /* extraction and scrub stages at the optimum (not rounded) */
    double nmin, mmin;         /* stages at total reflux: n + m = lg(ab)/lg(beta) (Fenske) */
    double Smin, Wmin;         /* least fluxes that reach the purities (pinch at the feed stage) */
} RxXuDesign;

/* RX_BAD_INPUT (err says which) unless beta > 1, 0 < fA < 1 and the purities
 * exceed the feed's own (PA > fA, PB > 1 - fA) and are below 1. */
int rx_xu_design(double beta, double fA, double PA, double PB, RxXuDesign *out, RxError *err);

/* ------------------------------------------------------------------ */
/* Flowsheets: circuits joined by streams (docs/flowsheet.md)           */

#define RX_MAX_CIRCUITS 16
#define RX_MAX_CONNECTIONS 32

/* An outlet of one circuit that becomes a feed of the same or another one.
 * Aqueous outlets give the feed their flow, composition and acid; an
 * organic outlet returned to an organic feed (the organic loop) gives its
 * metal, at the feed's own flow (the difference is fresh make-up) and its
 * own saponification. */
typedef struct RxConnection {
    int from_c, to_c;          /* circuit indices */
    char from[RX_NAME_LEN];    /* outlet: "raffinate", "organic" or a draw */
    int to_feed;               /* feed index in circuit to_c */
    int phase;
} RxConnection;

typedef struct RxFlowsheet {
    char path[256];
    char title[128];
    int n;
    char name[RX_MAX_CIRCUITS][RX_NAME_LEN];
    RxPlant *plant[RX_MAX_CIRCUITS];   /* owned, as loaded from their files */
    int nconn;
    RxConnection conn[RX_MAX_CONNECTIONS];
    int max_iterations;
    double tolerance;                  /* tear streams: max relative change */
} RxFlowsheet;

typedef struct RxFlowsheetResult {
    int n;
    RxPlant *plant[RX_MAX_CIRCUITS];   /* the circuits as solved (fed by the tears), owned */
    RxSolution *sol[RX_MAX_CIRCUITS];
    int iterations;
    double csec[RX_MAX_CIRCUITS];      /* each circuit's last solve, s */
    double change[RX_MAX_CONNECTIONS]; /* last relative change of each tear stream */
    double makeup[RX_MAX_CONNECTIONS]; /* organic loop: fresh organic make-up, L/h */
    int nel;
    char sym[2 * RX_MAX_SPECIES][RX_SYM_LEN];
    double in[2 * RX_MAX_SPECIES], out[2 * RX_MAX_SPECIES]; /* mol/h entering and leaving the flowsheet */
    double closure[2 * RX_MAX_SPECIES];                     /* (in - out)/in */
    double max_closure;
    double seconds;
} RxFlowsheetResult;

/* 1 if the file at path describes a flowsheet (has a flowsheet group). */
int rx_is_flowsheet(const char *path);
int rx_flowsheet_load(const char *path, RxFlowsheet **out, RxError *err);
void rx_flowsheet_destroy(RxFlowsheet **fs);
/* Solve every circuit, converging the tear streams by successive
 * substitution.  RX_NOT_CONVERGED when they do not settle or the
 * flowsheet's element balance does not close to RX_CLOSURE_TOL. */
int rx_flowsheet_solve(const RxFlowsheet *fs, RxFlowsheetResult **out, RxError *err);
void rx_flowsheet_result_destroy(RxFlowsheetResult **r);

/* ------------------------------------------------------------------ */
/* Design search (docs/design.md)                                      */

typedef struct RxCandidate {
    int stages[RX_MAX_DESIGN_VARS];   /* per design.stages entry */
    double flows[RX_MAX_DESIGN_VARS]; /* per design.flows entry, L/h */
    int status;                       /* RX_OK: solved; else why not */
    double achieved[RX_MAX_TARGETS];  /* per target, fraction */
    int feasible;                     /* solved and every target met */
    int total_stages;                 /* all sections */
    double reagents;                  /* kg HCl + base per kg REO fed */
    double cost;                      /* USD per kg product REO (rx_cost), NaN without holdups */
} RxCandidate;

typedef struct RxDesignResult {
    int n, cap;
    RxCandidate *cand;        /* every circuit evaluated, in order of completion */
    int best;                 /* index of the chosen design, -1 if none meets the targets */
    int npareto;
    int *pareto;              /* feasible designs not beaten in both stages and reagents */
    double best_achieved[RX_MAX_TARGETS]; /* closest each target came (fraction; NaN if nothing solved) */
    int have_theory;          /* cascade-theory estimate for the key pair (below) */
    int key_a, key_b;         /* species: least-extracted target of the organic product, most-extracted of the raffinate's */
    RxXuDesign theory;
    RxStageVar ranges[RX_MAX_DESIGN_VARS]; /* the stage ranges searched */
    RxError first_failure;    /* why the first candidate that did not solve failed (code RX_OK: none) */
    double seconds;
} RxDesignResult;

/* Called as candidates complete (any thread, serialized): done and an
 * estimate of the total. */
typedef void (*RxDesignProgressFn)(int done, int total, void *ctx);

/* Search the plant's design group.  RX_OK with a result whenever the
 * search ran (result->best < 0 when no candidate meets every target);
 * RX_BAD_INPUT without a design group. */
int rx_design(const RxPlant *p, RxDesignProgressFn progress, void *ctx, RxDesignResult **out, RxError *err);
void rx_design_result_destroy(RxDesignResult **r);
/* The plant with candidate c's stages and flows, as config text (caller frees). */
int rx_design_variant(const RxPlant *p, const RxCandidate *c, char **text, RxError *err);
int rx_write_candidates_csv(const RxPlant *p, const RxDesignResult *r, int pareto_only, const char *path,
                            RxError *err);
/* Text to a file, atomically (temp file + rename). */
int rx_write_text(const char *text, const char *path, RxError *err);

/* ------------------------------------------------------------------ */
/* Refinery cost (docs/cost.md; data in models/data/costs.tsv)          */

#define RX_MAX_COST_PRODUCTS 16
#define RX_MAX_SENSITIVITY 16

typedef struct RxSensitivity {
    char input[48];
    double base;               /* the input's value, in its unit */
    char unit[16];
    double cost_lo, cost_hi;   /* cost per kg REO with the input at 80 % and 120 % */
    double npv_lo, npv_hi;     /* NPV likewise */
} RxSensitivity;

typedef struct RxCostResult {
    int year;                  /* money of this year */
    double mixer_m3, settler_m3, organic_m3; /* holdups of all stages */
    double bec;                /* equipment (bare erected) cost, USD */
    double tpc;                /* total plant cost: bec x Lang factor, USD */
    double inventory;          /* first fill of extractant and diluent, USD */
    double tasc;               /* total as-spent capital: tpc x TASC factor + inventory, USD */
    /* operating, USD/yr */
    double acid, base, solvent_loss, power, labour, maintenance, taxes, opex;
    double capital_charge;     /* fixed charge rate x tasc, USD/yr */
    double revenue;            /* USD/yr */
    double product_kg;         /* target REO of every product, kg/yr */
    int nproducts;             /* the products sold (a flowsheet's: those no circuit takes in) */
    char prod_name[RX_MAX_COST_PRODUCTS][2 * RX_NAME_LEN]; /* "product" or "circuit:product" */
    double prod_kg[RX_MAX_COST_PRODUCTS], prod_revenue[RX_MAX_COST_PRODUCTS], prod_cost_per_kg[RX_MAX_COST_PRODUCTS];
    double cost_per_kg;        /* (opex + capital charge) / product_kg, USD/kg REO */
    double npv;                /* -tasc + discounted (revenue - opex) over the plant life, USD */
    double hours, discount_rate, life;
    int nsens;
    RxSensitivity sens[RX_MAX_SENSITIVITY];
} RxCostResult;

/* Cost the solved circuit s of plant p.  RX_BAD_INPUT (err says what is
 * missing: a section's holdups, a price) when it cannot. */
int rx_cost(const RxPlant *p, const RxSolution *s, RxCostResult *out, RxError *err);
/* A flowsheet as one plant: every circuit's equipment and operating cost,
 * revenue from the products no connection takes to another circuit. */
int rx_cost_flowsheet(const RxFlowsheet *fs, const RxFlowsheetResult *r, RxCostResult *out, RxError *err);
/* cost.json; p names the plant (NULL: name, the flowsheet's path). */
int rx_write_cost_json(const RxPlant *p, const char *name, const RxCostResult *c, const char *path, RxError *err);
int rx_write_sensitivity_csv(const RxCostResult *c, const char *path, RxError *err);

/* Output files (atomic: temp file + rename). */
int rx_write_stages_csv(const RxPlant *p, const RxSolution *s, const char *path, RxError *err);
int rx_write_streams_csv(const RxPlant *p, const RxSolution *s, const char *path, RxError *err);
int rx_write_summary_json(const RxPlant *p, const RxSolution *s, double seconds,
                          const char *path, RxError *err);

#endif
