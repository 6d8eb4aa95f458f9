/*
 * design/search.h - the design search (docs/design.md).
 */
#ifndef RX_SEARCH_H
#define RX_SEARCH_H

#include "design/theory.h"
#include "solver/circuit.h"

typedef struct RxCandidate {
    int stages[RX_MAX_DESIGN_VARS];   /* per design.stages entry */
    double flows[RX_MAX_DESIGN_VARS]; /* per design.flows entry, L/h */
    double spec_x[RX_MAX_DESIGN_VARS]; /* per design.specs entry as solved (L/h or fraction; NaN: not solved) */
    int specs_met;                    /* the specs were solved (1 without specs) */
    double window[RX_MAX_DESIGN_VARS];   /* per design.window entry: how far its flow may move either way (fraction; NaN: not looked at) */
    double window_x[RX_MAX_DESIGN_VARS]; /* and the flow it is run at, L/h: the middle of its window when that was needed */
    int status;                       /* RX_OK: solved; else why not */
    double achieved[RX_MAX_TARGETS];  /* per target, fraction */
    int feasible;                     /* solved and every target met */
    int total_stages;                 /* all sections */
    double reagents;                  /* kg HCl + base per kg REO fed */
    double cost;                      /* USD per kg product REO (rx_cost), NaN without holdups */
    int task, seq;                    /* its flow point (task) and its place among that task's circuits */
} RxCandidate;

/* Candidates design.probability tries at most: the last in the
 * objective's order, then a bisection over the order (2^11 candidates). */
#define RX_ROBUST_MAX_TRIES 12

typedef struct RxDesignResult {
    int n, cap;
    RxCandidate *cand;        /* every circuit evaluated, by task, each task's in the order it solved them */
    int best;                 /* index of the chosen design, -1 if none meets the targets */
    int npareto;
    int *pareto;              /* feasible designs not beaten in both stages and reagents */
    double best_achieved[RX_MAX_TARGETS]; /* closest each target came (fraction; NaN if nothing solved) */
    double best_window[RX_MAX_DESIGN_VARS]; /* widest each design.window came where the targets held (NaN: never) */
    int have_theory;          /* cascade-theory estimate for the key pair (below) */
    int key_a, key_b;         /* species: least-extracted target of the organic product, most-extracted of the raffinate's */
    RxXuDesign theory;
    RxStageVar ranges[RX_MAX_DESIGN_VARS]; /* the stage ranges searched */
    RxError first_failure;    /* why the first candidate that did not solve failed (code RX_OK: none) */
    RxError spec_failure;     /* how close the first solved candidate whose specs were not met came (RX_OK: none) */
    long long first_failure_at, spec_failure_at; /* their candidates' (task, seq) as rx_candidate_key */
    /* design.probability (uncertainty/robust.c): the probability of meeting
     * every target of each candidate tried, in the order tried, and how many were. */
    int robust_tried;
    int robust_index[RX_ROBUST_MAX_TRIES];
    double robust_p[RX_ROBUST_MAX_TRIES], robust_se[RX_ROBUST_MAX_TRIES];
    double seconds;
    int interrupted;          /* the stop signal (core/interrupt.h) that cut the search short, else 0 */
} RxDesignResult;

/* Called as candidates complete (any thread, serialized): done and an
 * estimate of the total. */
typedef void (*RxDesignProgressFn)(int done, int total, void *ctx);

/* Search the plant's design group.  RX_OK with a result whenever the
 * search ran (result->best < 0 when no candidate meets every target);
 * RX_BAD_INPUT without a design group.  A stop signal (core/interrupt.h)
 * ends the search before its next circuit: RX_INTERRUPTED, with *out the
 * candidates solved until then (result->interrupted says which signal). */
int rx_design(const RxPlant *p, RxDesignProgressFn progress, void *ctx, RxDesignResult **out, RxError *err);

typedef struct RxTrails RxTrails;

/* The search shared out over processes (mpi/reesx_mpi.c, docs/scale.md):
 * process rank of size solves the tasks (flow points) t with
 * t % size == rank.  A task's first start may be its flow neighbour's
 * trail (design/trail.h), solved on another process: the trails travel by
 * send and receive, so every candidate is solved from the same start as in
 * one process, and gather then gives each process all of them.  The
 * results are those of rx_design to the last digit. */
typedef struct RxDesignShare {
    int rank, size;
    void *ctx;
    /* For the readers on process `to` of this process's task t: its trail
     * grew by stages[0..nvars) solved to s (totals only), or, with s NULL,
     * t is finished.  Called from any worker thread at once. */
    int (*send)(void *ctx, int to, int t, const int *stages, int nvars, const RxSolution *s);
    /* On a thread of its own while the tasks run: other processes' trails
     * into tr (rx_trail_add, rx_trail_finish) until `finishes` of their
     * tasks are finished. */
    int (*receive)(void *ctx, RxTrails *tr, int finishes);
    /* Every process's candidates into r (each holds its own tasks'), its
     * first failures the earliest (by *_failure_at) and *flags (RX_SHARE_*)
     * or-ed over the processes. */
    int (*gather)(void *ctx, RxDesignResult *r, int *flags);
} RxDesignShare;

#define RX_SHARE_FAILED 1 /* a process ran out of memory */
#define RX_SHARE_CUT 2    /* a stop signal cut a process's search short */

/* rx_design as process share->rank of share->size (share NULL: alone). */
int rx_design_shared(const RxPlant *p, const RxDesignShare *share, RxDesignProgressFn progress, void *ctx,
                     RxDesignResult **out, RxError *err);
/* A candidate's place in the search's order: its task, then its seq. */
long long rx_candidate_key(const RxCandidate *c);
void rx_design_result_destroy(RxDesignResult **r);
/* Is candidate c better than b by d's objective (both meeting the targets)? */
int rx_candidate_better(const RxDesignSpec *d, const RxCandidate *c, const RxCandidate *b);
/* Candidate c's plant, edited in memory: its stages, flows, the specs'
 * values it solved and the flows its windows run at (design.cfg is the
 * same plant as text).  RX_BAD_INPUT as the edits refuse. */
int rx_candidate_plant(const RxPlant *p, const RxCandidate *c, RxPlant **out, RxError *err);
/* What an objective (RX_OBJECTIVE_*) chooses, in words: "fewest stages"... */
const char *rx_objective_name(int objective);

#endif
