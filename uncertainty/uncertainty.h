/*
 * uncertainty/uncertainty.h - how likely a plant is to meet its targets
 * when its model constants and its feeds are uncertain (docs/uncertainty.md).
 *
 * A plan lists what is sampled (each model constant and feed flow or
 * concentration with a standard deviation above 0) and what is measured
 * (the design group's targets, or each product's purity and recovery, and
 * the cost per kg with a cost group).  Every sample's inputs are drawn
 * serially, up front, from one GSL generator seeded with the plan's seed;
 * each sample is then solved on its own, warm-started from the nominal
 * solution only.  A plant with design.specs has them held in every sample,
 * as its control loops would (design/spec.h): the nominal plant is the one
 * its specs solve, and each sample solves them again from there; a sample
 * whose specs cannot be held meets no target.  So a sample's result depends on its index and the seed,
 * never on which thread (or, later, which MPI rank) solved it:
 * rx_unc_solve_range solves any range of samples into its slots.
 * uncertainty/ is, with fit/, a user of GSL.
 */
#ifndef RX_UNCERTAINTY_H
#define RX_UNCERTAINTY_H

#include "design/cost.h"
#include "design/spec.h"
#include "design/search.h"
#include "design/targets.h"

/* Inputs a plan can sample: a constant per species, and per feed its flow
 * and each species' concentration. */
#define RX_UNC_MAX_INPUTS (RX_MAX_SPECIES + RX_MAX_UNC_FEEDS * (1 + RX_MAX_SPECIES))
/* What is measured: the design targets, or purity and recovery of up to
 * RX_MAX_TARGETS / 2 products. */
#define RX_UNC_MAX_METRICS RX_MAX_TARGETS
/* P5, P50, P95. */
#define RX_UNC_NPCT 3

enum { RX_UNC_CONSTANT = 0, RX_UNC_FLOW = 1, RX_UNC_CONC = 2 };

/* One sampled input.  Values are in the model's own units for a constant
 * (log10 K; D or beta itself), L/h for a flow, mol/L for a concentration. */
typedef struct RxUncInput {
    int kind;                /* RX_UNC_* */
    int feed;                /* RX_UNC_FLOW, RX_UNC_CONC: index into RxPlant.feeds */
    int elem;                /* RX_UNC_CONSTANT, RX_UNC_CONC: element-table row */
    int ratio;               /* RX_UNC_CONSTANT: a positive ratio, sampled as log10 of it */
    double nominal;
    double sd;               /* log10 units for a constant; L/h; mol/L */
    const char *source;      /* "stated", "fitted" (data file's standard error) or "default" */
    char name[96];           /* its column in samples.csv, with the unit */
} RxUncInput;

typedef struct RxUncPlan {
    const RxPlant *plant;    /* borrowed */
    int n, nconst;           /* inputs; the first nconst are constants */
    RxUncInput in[RX_UNC_MAX_INPUTS];
    double *chol;            /* nconst x nconst, row-major: lower Cholesky factor of the constants' correlations */
    int ncorr;               /* correlations that apply (both constants sampled) */
    int has_targets;         /* metrics are the design targets (met or not); else purity and recovery */
    int nmetrics;
    RxTarget metric[RX_UNC_MAX_METRICS];
    int costed;              /* the plant has a cost group */
} RxUncPlan;

/* What p's uncertainty group (p->uncertainty) samples and measures.
 * RX_BAD_INPUT at the group's file:line when the correlations are not a
 * correlation matrix (not positive definite); RX_NO_MEMORY. */
int rx_unc_plan_create(const RxPlant *p, RxUncPlan **out, RxError *err);
void rx_unc_plan_destroy(RxUncPlan **pl);

/* The inputs of samples 0..n-1 into x (n * pl->n, sample-major), drawn in
 * order from GSL's mt19937 seeded with seed. */
int rx_unc_draw(const RxUncPlan *pl, unsigned long seed, int n, double *x, RxError *err);

typedef struct RxUncSample {
    int status;              /* RX_OK solved; otherwise why not (RX_NOT_CONVERGED, RX_BAD_INPUT) */
    double value[RX_UNC_MAX_METRICS]; /* each metric: a fraction (purity, recovery, share) or a pH */
    int all_met;
    double cost_per_kg;      /* USD/kg REO; NaN when not costed */
    int iterations;          /* circuit Newton iterations */
} RxUncSample;

/* The plant of sample inputs x (pl->n values): a copy of pl->plant with
 * them set; the caller destroys it. */
int rx_unc_sample_plant(const RxUncPlan *pl, const double *x, RxPlant **out, RxError *err);

/* Samples i0 <= i < i1: each one's plant from x (the inputs of every
 * sample, as rx_unc_draw wrote them) solved from the nominal solution and
 * measured, into out[i - i0].  A sample that does not solve has its
 * status; the call itself fails only without memory (RX_NO_MEMORY) or on
 * a stop signal (RX_INTERRUPTED).  Thread-safe: the plan, the nominal and
 * x are only read. */
int rx_unc_solve_range(const RxUncPlan *pl, const RxSolution *nominal, const double *x, int i0, int i1,
                       RxUncSample *out);

/* Measure solution s of plant q into *out (status RX_OK). */
void rx_unc_measure(const RxUncPlan *pl, const RxPlant *q, const RxSolution *s, RxUncSample *out);

typedef struct RxUncResult {
    RxUncPlan *plan;
    RxPlant *held;           /* with design.specs: the plant at the values its specs solved, which the plan
                              * samples (owned); NULL without */
    unsigned long seed;
    int n, threads;
    double *x;               /* n * plan->n inputs */
    RxUncSample *samples;    /* n */
    RxSolution *nominal;
    RxUncSample nominal_m;   /* the nominal plant measured */
    int solved;              /* samples that solved */
    int met;                 /* solved samples meeting every target */
    double p_met, p_met_se;  /* met / solved and its binomial standard error; NaN without targets */
    int nvalid[RX_UNC_MAX_METRICS + 1]; /* finite values behind each percentile row (the last: cost) */
    double pct[RX_UNC_MAX_METRICS + 1][RX_UNC_NPCT]; /* P5, P50, P95 of each metric, then of cost per kg */
    double seconds;          /* wall time of the samples */
} RxUncResult;

/* The percentiles of rx_unc_summarize, as fractions. */
extern const double rx_unc_quantiles[RX_UNC_NPCT];

/* Progress: done of total samples (called from any thread, serialised). */
typedef void (*RxUncProgressFn)(int done, int total, void *ctx);

/* The whole run: the plan, the nominal solve (cold), every sample drawn
 * and solved on p->uncertainty.threads threads (threads > 0 overrides it),
 * and the summary.  RX_NOT_CONVERGED when the nominal plant does not
 * solve; RX_BAD_INPUT (plan, cost); RX_INTERRUPTED on a stop signal. */
int rx_uncertainty(const RxPlant *p, int threads, RxUncProgressFn progress, void *ctx, RxUncResult **out,
                   RxError *err);
/* The run up to its samples, for a driver that hands ranges of them out
 * (MPI ranks, mpi/reesx_mpi.c): the plan, the nominal solve and every
 * sample's inputs drawn; no sample solved.  The same errors as
 * rx_uncertainty. */
int rx_uncertainty_prepare(const RxPlant *p, int threads, RxUncResult **out, RxError *err);
/* Samples i0 <= i < i1 of r solved on r->threads threads into
 * r->samples[i]; RX_OK, RX_NO_MEMORY or RX_INTERRUPTED. */
int rx_uncertainty_solve(RxUncResult *r, int i0, int i1, RxUncProgressFn progress, void *ctx);
/* Counts, probability and percentiles of r's samples. */
int rx_unc_summarize(RxUncResult *r);
void rx_unc_result_destroy(RxUncResult **r);

/* design.probability (uncertainty/robust.c): of r's candidates that meet
 * the targets, in the objective's order, the first whose probability of
 * meeting every target under p's uncertainty group is at least
 * p->design.probability becomes r->best (-1: none).  The probability is
 * taken to grow along that order (more stages, more reagent: more margin),
 * as the stage search takes more stages never to hurt: the last candidate
 * is tried first (none is likely enough if it is not), then a bisection,
 * at most RX_ROBUST_MAX_TRIES runs of the uncertainty group in all;
 * r->robust_* say what each gave.  A failure of a candidate's uncertainty
 * run (its nominal plant not solving) is returned. */
int rx_robust_choose(const RxPlant *p, RxDesignResult *r, RxError *err);

#endif
