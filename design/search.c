/*
 * search.c - search stage counts and flows for the plant's design targets
 * (docs/design.md).
 *
 * Each point of the flow grid (the product of every design.flows entry's
 * levels) is a task; the worker threads take tasks in turn.  Within a task
 * the flows are fixed and the stage counts are searched on the assumption
 * that more stages never make a product worse:
 *   - all sections at their maximum first; if that misses a target, the
 *     flow point is infeasible;
 *   - one section: bisection for the fewest stages;
 *   - two sections: bisection for the fewest stages of the first with the
 *     second at its maximum, then the fewest of the second, and from there
 *     a walk along the staircase of least (n, m) pairs to the smallest
 *     n + m;
 *   - more sections: bisection on each in turn until none moves.
 * Every circuit solved is recorded.  Reagents depend on the flows only, so
 * the Pareto front of stages against reagents runs across flow points.
 *
 * Warm starts (docs/model.md, "Warm starts and continuation"): a task
 * solves each circuit from the last one it solved, carried over to the new
 * stage counts (rx_solution_remap, the way that worked last first); when
 * Newton fails from there, from the same stage counts solved at the flow
 * point one level lower (design/trail.c), waiting for that task to reach
 * them if need be; only then cold.  Which start a circuit gets depends on
 * the flow grid alone, not on which thread ran what, so the results are
 * the same to the last digit on any number of threads.
 */
#include "design/search.h"

#include "design/cost.h"
#include "design/spec.h"
#include "design/targets.h"
#include "design/window.h"
#include "core/interrupt.h"
#include "design/trail.h"
#include "models/model.h"
#include "solver/warmstart.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PERCENT 100.0
/* Purities assumed for the cascade-theory estimate when the design group
 * sets none for a key product. */
#define THEORY_DEFAULT_PURITY 0.99
/* Reference stage for the key pair's separation factor: trace metal
 * (mol/L) in a 1 mol/L chloride aqueous at O/A 1, where D ratios are those
 * of the constants. */
#define THEORY_TRACE 1e-6
#define THEORY_CHLORIDE 1.0
/* Default stage ranges reach THEORY_RANGE times theory's count, but not
 * beyond RX_MAX_DESIGN_STAGES_SEARCH. */
#define THEORY_RANGE 3
#define RX_MAX_DESIGN_STAGES_SEARCH 1000

/* A solved plant and its solution to start the next circuit from (owned),
 * and the way (RX_REMAP_*) that carried its own start over, tried first
 * for the next: a walk through the stage counts repeats its moves. */
typedef struct {
    RxPlant *plant;
    RxSolution *sol;
    int mode;
} Warm;

typedef struct {
    const RxPlant *p;
    RxDesignResult *r;
    const RxStageVar *vars; /* the ranges searched (r->ranges) */
    pthread_mutex_t lock;
    int next_task, ntasks, total_est, done;
    RxDesignProgressFn progress;
    void *ctx;
    int failed;          /* RX_NO_MEMORY seen */
    int cut;             /* a stop signal kept a circuit from being solved */
    RxTrails *trails;    /* what each task solved, for its flow neighbours */
    const RxDesignShare *share; /* NULL: this process runs every task */
    int rank, size;      /* it runs the tasks t with t % size == rank */
} Shared;

static void warm_free(Warm *w)
{
    rx_plant_destroy(&w->plant);
    rx_solution_destroy(&w->sol);
}

/* The plant with candidate c's stage counts and flows, edited in memory. */
static int candidate_plant(const RxPlant *p, const RxCandidate *c, RxPlant **out, RxError *err)
{
    const RxDesignSpec *d = &p->design;
    RxPlant *q;
    int rc = rx_plant_copy(p, &q, err);
    int sections[RX_MAX_DESIGN_VARS];
    for (int i = 0; i < d->nstage_vars; i++)
        sections[i] = d->stage_vars[i].section;
    if (rc == RX_OK)
        rc = rx_plant_set_stages(q, d->nstage_vars, sections, c->stages, err);
    for (int i = 0; rc == RX_OK && i < d->nflow_vars; i++) {
        RxFeedSet fs = {.feed = d->flow_vars[i].feed, .flow = c->flows[i], .acid = -1, .ncomp = 0};
        rc = rx_plant_set_feed(q, &fs, err);
    }
    if (rc != RX_OK)
        rx_plant_destroy(&q);
    *out = q;
    return rc;
}


int rx_candidate_plant(const RxPlant *p, const RxCandidate *c, RxPlant **out, RxError *err)
{
    const RxDesignSpec *d = &p->design;
    int rc = candidate_plant(p, c, out, err);
    for (int k = 0; rc == RX_OK && k < d->nspecs; k++)
        rc = rx_spec_apply(*out, k, c->spec_x[k], err);
    for (int i = 0; rc == RX_OK && i < d->nwindows; i++)
        if (isfinite(c->window_x[i])) {
            RxFeedSet fs = {.feed = d->windows[i].feed, .flow = c->window_x[i], .acid = -1, .ncomp = 0};
            rc = rx_plant_set_feed(*out, &fs, err);
        }
    if (rc != RX_OK)
        rx_plant_destroy(out);
    return rc;
}

/* Where a task's next circuit may start: the last circuit it solved, then
 * the same stage counts solved by its flow neighbour (rx_trail_parent). */
typedef struct {
    const Warm *last;
    RxTrails *trails;
    int parent;          /* task, -1: none */
} Starts;

/* q solved from start (a solution of a plant alike) alone, no cold solve;
 * RX_OK when it converges. */
static int warm_try(RxPlant *q, const RxSolution *start, RxSolution **s)
{
    return rx_circuit_solve_warm(q, start, s, NULL);
}

/* q solved from the last circuit carried over by each way (RX_REMAP_*) in
 * turn, the one that worked last time first; *mode: the way that worked.
 * The ways agree when the stage counts do: one try then. */
static int from_last(RxPlant *q, const Warm *last, RxSolution **s, int *mode)
{
    int modes[] = {last->mode, last->mode == RX_REMAP_STRETCH ? RX_REMAP_PINCH : RX_REMAP_STRETCH};
    int same = 1, rc = RX_NOT_CONVERGED;
    for (int k = 0; k < q->nsections && k < last->plant->nsections; k++)
        same &= q->sections[k].count == last->plant->sections[k].count;
    for (size_t i = 0; i < sizeof modes / sizeof modes[0] && rc != RX_OK && !(same && i > 0); i++) {
        RxSolution *start = NULL;
        if (rx_solution_remap(last->plant, last->sol, q, modes[i], &start, NULL) != RX_OK)
            break; /* not alike: cold */
        rc = warm_try(q, start, s);
        rx_solution_destroy(&start);
        if (rc == RX_OK)
            *mode = modes[i];
    }
    return rc;
}

/* Candidate c's plant solved from the starts in turn, else cold. */
static int candidate_solve(const RxPlant *p, const RxCandidate *c, const Starts *st, RxPlant **q, RxSolution **s,
                           int *mode, RxError *err)
{
    *s = NULL;
    *mode = st->last->mode;
    int rc = candidate_plant(p, c, q, err);
    /* The specs start where the task's last circuit solved them. */
    for (int k = 0; rc == RX_OK && st->last->plant && k < p->design.nspecs; k++)
        rc = rx_spec_apply(*q, k, rx_spec_value(st->last->plant, k), err);
    if (rc != RX_OK)
        rx_plant_destroy(q);
    if (rc != RX_OK)
        return rc;
    int warm = st->last->sol ? from_last(*q, st->last, s, mode) : RX_NOT_CONVERGED;
    if (warm != RX_OK && st->parent >= 0) {
        const RxSolution *nb = rx_trail_find(st->trails, st->parent, c->stages, p->design.nstage_vars);
        warm = nb ? warm_try(*q, nb, s) : RX_NOT_CONVERGED;
    }
    rc = warm == RX_OK ? RX_OK : rx_circuit_solve(*q, s, err);
    if (rc != RX_OK)
        rx_plant_destroy(q);
    return rc;
}

/* Candidate c's design specs solved from its circuit (q, s), which the
 * solved plant and solution then replace: 1 when they are met; else err
 * says how close they came. */
static int solve_specs(RxCandidate *c, RxPlant **q, RxSolution **s, RxError *err)
{
    const RxDesignSpec *d = &(*q)->design;
    RxSpecResult r;
    int rc = rx_spec_solve(*q, *s, &r, err);
    for (int k = 0; k < d->nspecs; k++)
        c->spec_x[k] = rc == RX_OK ? r.x[k] : NAN;
    if (rc != RX_OK)
        return 0;
    rx_plant_destroy(q);
    rx_solution_destroy(s);
    *q = r.plant;
    *s = r.sol;
    return 1;
}

/* The circuit (q, s) with feed f's flow at x, solved from s: RX_OK and
 * (q, s) replaced, or left as they were. */
static int move_flow(RxPlant **q, RxSolution **s, int f, double x)
{
    RxPlant *q2 = NULL;
    RxSolution *s2 = NULL;
    RxFeedSet fs = {.feed = f, .flow = x, .acid = -1, .ncomp = 0};
    int rc = rx_plant_copy(*q, &q2, NULL);
    if (rc == RX_OK && (rc = rx_plant_set_feed(q2, &fs, NULL)) == RX_OK && (rc = rx_model_check_organic(q2, NULL)) == RX_OK)
        rc = rx_circuit_solve_from(q2, *s, &s2, NULL);
    if (rc != RX_OK) {
        rx_plant_destroy(&q2);
        return rc;
    }
    rx_plant_destroy(q);
    rx_solution_destroy(s);
    *q = q2;
    *s = s2;
    return RX_OK;
}

/* May the design move feed f's flow to the middle of its window?  A
 * reagent (a feed with no rare earth: scrub, strip, organic) is set by the
 * operator, and so is a flow design.flows varies; a feed of ore is what
 * comes, and its window is taken about its given flow. */
static int movable(const RxPlant *q, int f)
{
    for (int k = 0; k < q->design.nflow_vars; k++)
        if (q->design.flow_vars[k].feed == f)
            return 1;
    for (int j = 0; j < q->nsp; j++)
        if (q->feeds[f].c[j] > 0 && rx_plant_element(q, j)->is_ree)
            return 0;
    return 1;
}

/* Candidate c's required windows (design.window) around its circuit
 * (q, s), in turn: a movable window feed whose window is too narrow where
 * it runs but wide enough about its middle moves there (q, s: the circuit
 * at the moved flows; a design.flows entry follows).  1 when every window
 * is as wide as required. */
static int hold_windows(const RxDesignSpec *d, RxCandidate *c, RxPlant **q, RxSolution **s)
{
    int ok = 1;
    for (int i = 0; i < d->nwindows; i++)
        c->window[i] = c->window_x[i] = NAN;
    for (int i = 0; i < d->nwindows && ok; i++) {
        if (!(d->windows[i].at_least > 0))
            continue; /* reported for the chosen design only */
        int f = d->windows[i].feed, solves = 0;
        RxWindow w;
        rx_window_var(*q, *s, RX_WINDOW_FLOW, f, &w, &solves);
        double half = rx_window_halfwidth(&w), mid = 0.5 * (w.low + w.high), centred = (w.high - w.low) / (w.high + w.low);
        c->window_x[i] = w.value;
        if (half < d->windows[i].at_least && centred >= d->windows[i].at_least && movable(*q, f) &&
            move_flow(q, s, f, mid) == RX_OK) {
            c->window_x[i] = mid;
            half = centred;
            for (int k = 0; k < d->nflow_vars; k++)
                if (d->flow_vars[k].feed == f)
                    c->flows[k] = mid;
        }
        c->window[i] = half;
        ok = half >= d->windows[i].at_least;
    }
    return ok;
}

/* Solve candidate c from the starts st and fill in what it achieves; err
 * says why it failed.  A solved candidate's plant and solution replace
 * *keep (which may be st->last). */
static void evaluate(const RxPlant *p, RxCandidate *c, const Starts *st, Warm *keep, RxError *err_out)
{
    const RxDesignSpec *d = &p->design;
    RxPlant *q = NULL;
    RxSolution *s = NULL;
    RxError err;
    rx_error_clear(&err);
    c->feasible = 0;
    c->specs_met = 0;
    c->reagents = NAN;
    c->cost = NAN;
    for (int t = 0; t < d->ntargets; t++)
        c->achieved[t] = NAN;
    for (int k = 0; k < d->nspecs; k++)
        c->spec_x[k] = NAN;
    for (int i = 0; i < d->nwindows; i++)
        c->window[i] = c->window_x[i] = NAN;
    int mode;
    c->status = candidate_solve(p, c, st, &q, &s, &mode, &err);
    if (c->status != RX_OK) {
        *err_out = err;
        return;
    }
    c->specs_met = d->nspecs == 0 || solve_specs(c, &q, &s, &err);
    if (!c->specs_met)
        *err_out = err;
    c->total_stages = q->nstages;
    c->feasible = rx_targets_achieved(q, s, d, c->achieved) && c->specs_met;
    int needs = 0;
    for (int i = 0; i < d->nwindows; i++)
        needs |= d->windows[i].at_least > 0;
    if (c->feasible && needs) /* the targets again where the windows put the flows */
        c->feasible = hold_windows(d, c, &q, &s) && rx_targets_achieved(q, s, d, c->achieved);
    c->reagents = rx_reagents_per_kg(q);
    RxCostResult cr;
    if (q->cost.present || d->objective == RX_OBJECTIVE_COST)
        c->cost = rx_cost(q, s, &cr, NULL) == RX_OK ? cr.cost_per_kg : NAN;
    if (d->objective == RX_OBJECTIVE_COST && !isfinite(c->cost))
        c->feasible = 0;
    warm_free(keep);
    keep->plant = q;
    keep->sol = s;
    keep->mode = mode;
}

/* Record a finished candidate (and the first failure's reason) and report progress. */
static int record(Shared *sh, const RxCandidate *c, const RxError *why)
{
    pthread_mutex_lock(&sh->lock);
    RxDesignResult *r = sh->r;
    int ok = 1;
    long long at = rx_candidate_key(c);
    if (c->status != RX_OK && (r->first_failure.code == RX_OK || at < r->first_failure_at)) {
        r->first_failure = *why;
        r->first_failure_at = at;
    }
    if (c->status == RX_OK && !c->specs_met && (r->spec_failure.code == RX_OK || at < r->spec_failure_at)) {
        r->spec_failure = *why;
        r->spec_failure_at = at;
    }
    if (r->n == r->cap) {
        int cap = r->cap ? 2 * r->cap : 256;
        RxCandidate *nc = realloc(r->cand, (size_t)cap * sizeof *nc);
        if (nc) {
            r->cand = nc;
            r->cap = cap;
        } else {
            ok = 0;
            sh->failed = 1;
        }
    }
    if (ok)
        r->cand[r->n++] = *c;
    sh->done++;
    if (sh->done > sh->total_est)
        sh->total_est = sh->done;
    if (sh->progress)
        sh->progress(sh->done, sh->total_est, sh->ctx);
    pthread_mutex_unlock(&sh->lock);
    return ok;
}

static void set_failed(Shared *sh)
{
    pthread_mutex_lock(&sh->lock);
    sh->failed = 1;
    pthread_mutex_unlock(&sh->lock);
}

/* A stop signal came: note that the search is cut short; 1 if so. */
static int stop_now(Shared *sh)
{
    if (!rx_interrupted())
        return 0;
    pthread_mutex_lock(&sh->lock);
    sh->cut = 1;
    pthread_mutex_unlock(&sh->lock);
    return 1;
}

/* The processes other than this one that run readers of task t's trail,
 * into to[]; returns how many. */
static int remote_readers(const Shared *sh, int t, int *to)
{
    int child[RX_MAX_DESIGN_VARS], n = rx_trail_children(&sh->p->design, t, child), k = 0;
    for (int i = 0; i < n; i++) {
        int r = child[i] % sh->size, seen = r == sh->rank;
        for (int j = 0; j < k && !seen; j++)
            seen = to[j] == r;
        if (!seen)
            to[k++] = r;
    }
    return k;
}

/* Task t's trail grew by stages -> s (s NULL: t is finished): to its
 * readers on other processes. */
static void send_trail(Shared *sh, int t, const int *stages, const RxSolution *s)
{
    int to[RX_MAX_DESIGN_VARS], n = sh->share ? remote_readers(sh, t, to) : 0;
    for (int k = 0; k < n; k++)
        if (sh->share->send(sh->share->ctx, to[k], t, stages, sh->p->design.nstage_vars, s) != RX_OK)
            set_failed(sh);
}

static int has_failed(Shared *sh)
{
    pthread_mutex_lock(&sh->lock);
    int f = sh->failed;
    pthread_mutex_unlock(&sh->lock);
    return f;
}

/* A task's memory of what it has solved, so no stage vector is solved
 * twice, and its last solved circuit, where its next one starts. */
typedef struct {
    int n, cap;
    RxCandidate *c;
    Warm last;
    int task, parent;    /* this task; the one whose trail it reads, -1: none */
} Memo;

/* Feasible at these stages (flows of base)?  Solves once per vector. */
static int feasible_at(Shared *sh, Memo *m, const RxCandidate *base, const int *stages)
{
    int V = sh->p->design.nstage_vars;
    for (int i = 0; i < m->n; i++)
        if (memcmp(m->c[i].stages, stages, sizeof(int) * (size_t)V) == 0)
            return m->c[i].feasible;
    if (stop_now(sh))
        return 0; /* no more circuits: the search unwinds without recording any */
    RxCandidate c = *base;
    RxError why;
    rx_error_clear(&why);
    memcpy(c.stages, stages, sizeof(int) * (size_t)V);
    c.task = m->task;
    c.seq = m->n;
    Starts st = {&m->last, sh->trails, m->parent};
    evaluate(sh->p, &c, &st, &m->last, &why);
    if (c.status == RX_OK && rx_trail_add(sh->trails, m->task, stages, V, m->last.sol) != RX_OK)
        set_failed(sh);
    if (c.status == RX_OK)
        send_trail(sh, m->task, stages, m->last.sol);
    if (m->n == m->cap) {
        int cap = m->cap ? 2 * m->cap : 64;
        RxCandidate *nc = realloc(m->c, (size_t)cap * sizeof *nc);
        if (!nc) {
            set_failed(sh);
            return 0;
        }
        m->c = nc;
        m->cap = cap;
    }
    m->c[m->n++] = c;
    record(sh, &c, &why);
    return c.feasible;
}

/* Fewest stages of variable k in [lo, hi] (feasible at hi), others held. */
static int bisect(Shared *sh, Memo *m, const RxCandidate *base, int *stages, int k, int lo, int hi)
{
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        stages[k] = mid;
        if (feasible_at(sh, m, base, stages))
            hi = mid;
        else
            lo = mid + 1;
    }
    stages[k] = hi;
    return hi;
}

/* From every section at its maximum (feasible), the fewest stages. */
static void walk_stages(Shared *sh, Memo *m, const RxCandidate *base, int *st)
{
    const RxStageVar *vars = sh->vars;
    int V = sh->p->design.nstage_vars;
    if (V == 2) {
        const RxStageVar *a = &vars[0], *b = &vars[1];
        int n = bisect(sh, m, base, st, 0, a->min, a->max);
        int mm = bisect(sh, m, base, st, 1, b->min, b->max);
        /* staircase: one more of the first section, as few of the second as still work */
        for (n = n + 1; n <= a->max && mm > b->min; n++) {
            st[0] = n;
            st[1] = mm - 1;
            while (st[1] >= b->min && feasible_at(sh, m, base, st))
                st[1]--;
            mm = st[1] + 1;
        }
    } else {
        for (int changed = 1; changed && !has_failed(sh);) {
            changed = 0;
            for (int k = 0; k < V; k++) {
                int was = st[k];
                if (bisect(sh, m, base, st, k, vars[k].min, st[k]) != was)
                    changed = 1;
            }
        }
    }
}

static void search_stages(Shared *sh, const RxCandidate *base, int task)
{
    const RxStageVar *vars = sh->vars;
    int V = sh->p->design.nstage_vars, st[RX_MAX_DESIGN_VARS];
    Memo m;
    memset(&m, 0, sizeof m);
    m.task = task;
    m.parent = rx_trail_parent(&sh->p->design, task);
    for (int k = 0; k < V; k++)
        st[k] = vars[k].max;
    if (feasible_at(sh, &m, base, st) && V > 0)
        walk_stages(sh, &m, base, st);
    rx_trail_finish(sh->trails, task);
    send_trail(sh, task, NULL, NULL);
    if (m.parent >= 0)
        rx_trail_release(sh->trails, m.parent);
    free(m.c);
    warm_free(&m.last);
}

static void *worker(void *arg)
{
    Shared *sh = arg;
    const RxDesignSpec *d = &sh->p->design;
    for (;;) {
        pthread_mutex_lock(&sh->lock);
        int stop = sh->next_task < sh->ntasks && rx_interrupted();
        sh->cut |= stop;
        while (sh->next_task < sh->ntasks && sh->next_task % sh->size != sh->rank)
            sh->next_task++; /* another process's */
        int t = sh->failed || stop ? sh->ntasks : sh->next_task++;
        pthread_mutex_unlock(&sh->lock);
        if (t >= sh->ntasks)
            break;
        RxCandidate base;
        memset(&base, 0, sizeof base);
        for (int i = 0, rest = t; i < d->nflow_vars; i++) {
            const RxFlowVar *f = &d->flow_vars[i];
            int level = rest % f->steps;
            rest /= f->steps;
            base.flows[i] = f->steps > 1 ? f->min + (f->max - f->min) * level / (f->steps - 1) : f->min;
        }
        search_stages(sh, &base, t);
    }
    return NULL;
}

/* Cascade theory for the key pair: the least-extracted target of the first
 * organic-side product against the most-extracted target of the first
 * aqueous-side product, their D at trace loading giving beta. */
static void theory_estimate(const RxPlant *p, RxDesignResult *r)
{
    int porg = -1, paq = -1;
    for (int i = 0; i < p->nproducts; i++) {
        const char *name = p->products[i].stream;
        int phase = strcmp(name, "raffinate") == 0 ? RX_AQ : strcmp(name, "organic") == 0 ? RX_ORG : -1;
        for (int j = 0; j < p->ndraws && phase < 0; j++)
            if (strcmp(p->draws[j].name, name) == 0)
                phase = p->draws[j].phase;
        if (phase == RX_ORG && porg < 0)
            porg = i;
        if (phase == RX_AQ && paq < 0)
            paq = i;
    }
    if (porg < 0 || paq < 0)
        return;
    int M = p->nsp;
    double T[RX_MAX_SPECIES], x[RX_MAX_SPECIES], y[RX_MAX_SPECIES], g[2] = {0, 0};
    for (int j = 0; j < M; j++)
        T[j] = THEORY_TRACE;
    double ce = p->extractant_conc > 0 ? p->extractant_conc : 1.0;
    RxStageIn in = {M, T, p->charge, THEORY_CHLORIDE, 1.0, 1.0, ce, 0, p->ka_hso4};
    RxStageOut out = {x, y, 0, 0, NULL, NULL, 0, NULL};
    if (rx_model_split(p, &in, g, &out) != RX_OK)
        return;
    const RxProduct *po = &p->products[porg], *pa = &p->products[paq];
    int a = po->targets[0], b = pa->targets[0];
    for (int t = 1; t < po->ntargets; t++)
        if (y[po->targets[t]] / x[po->targets[t]] < y[a] / x[a])
            a = po->targets[t];
    for (int t = 1; t < pa->ntargets; t++)
        if (y[pa->targets[t]] / x[pa->targets[t]] > y[b] / x[b])
            b = pa->targets[t];
    /* The feed: the one entering between the ends of the circuit (scrub and
     * solvent enter at the ends), else the one carrying the most metal. */
    int feed = -1;
    double most = -1;
    for (int i = 0; i < p->nfeeds; i++) {
        const RxFeed *f = &p->feeds[i];
        double metal = 0;
        for (int j = 0; j < M; j++)
            metal += f->flow * f->c[j];
        int inner = f->stage > 0 && f->stage < p->nstages - 1;
        int better = feed < 0 || inner > (p->feeds[feed].stage > 0 && p->feeds[feed].stage < p->nstages - 1) ||
                     (inner == (p->feeds[feed].stage > 0 && p->feeds[feed].stage < p->nstages - 1) && metal > most);
        if (metal > 0 && better) {
            most = metal;
            feed = i;
        }
    }
    if (feed < 0)
        return;
    double beta = (y[a] / x[a]) / (y[b] / x[b]), fa = 0, fb = 0;
    for (int t = 0; t < po->ntargets; t++)
        fa += p->feeds[feed].c[po->targets[t]];
    for (int t = 0; t < pa->ntargets; t++)
        fb += p->feeds[feed].c[pa->targets[t]];
    double PA = THEORY_DEFAULT_PURITY, PB = THEORY_DEFAULT_PURITY;
    for (int t = 0; t < p->design.ntargets; t++) {
        const RxTarget *tg = &p->design.targets[t];
        if (tg->kind == RX_TARGET_PURITY && tg->product == porg)
            PA = tg->value;
        if (tg->kind == RX_TARGET_PURITY && tg->product == paq)
            PB = tg->value;
    }
    if (!(fa + fb > 0) || rx_xu_design(beta, fa / (fa + fb), PA, PB, &r->theory, NULL) != RX_OK)
        return;
    r->have_theory = 1;
    r->key_a = a;
    r->key_b = b;
}

int rx_candidate_better(const RxDesignSpec *d, const RxCandidate *c, const RxCandidate *b)
{
    return d->objective == RX_OBJECTIVE_STAGES
               ? c->total_stages < b->total_stages || (c->total_stages == b->total_stages && c->reagents < b->reagents)
           : d->objective == RX_OBJECTIVE_REAGENTS
               ? c->reagents < b->reagents || (c->reagents == b->reagents && c->total_stages < b->total_stages)
               : c->cost < b->cost || (c->cost == b->cost && c->total_stages < b->total_stages);
}

static void choose(const RxPlant *p, RxDesignResult *r)
{
    const RxDesignSpec *d = &p->design;
    r->best = -1;
    for (int t = 0; t < d->ntargets; t++)
        r->best_achieved[t] = NAN;
    for (int k = 0; k < d->nwindows; k++)
        r->best_window[k] = NAN;
    for (int i = 0; i < r->n; i++) {
        const RxCandidate *c = &r->cand[i];
        for (int k = 0; k < d->nwindows; k++)
            if (c->window[k] > r->best_window[k] || (isnan(r->best_window[k]) && isfinite(c->window[k])))
                r->best_window[k] = c->window[k];
        for (int t = 0; t < d->ntargets; t++) {
            double v = c->achieved[t], *b = &r->best_achieved[t];
            if (rx_target_closer(&d->targets[t], v, *b))
                *b = v;
        }
        if (!c->feasible)
            continue;
        if (r->best < 0) {
            r->best = i;
            continue;
        }
        if (rx_candidate_better(d, c, &r->cand[r->best]))
            r->best = i;
    }
    /* Pareto front over stages, reagent and (when costed) cost per kg: a
     * feasible candidate stays unless another is no worse in each and
     * better in one (of equals, the first stays). */
    r->npareto = 0;
    for (int i = 0; i < r->n; i++) {
        const RxCandidate *c = &r->cand[i];
        int dominated = !c->feasible;
        for (int j = 0; j < r->n && !dominated; j++) {
            const RxCandidate *o = &r->cand[j];
            int costed = isfinite(o->cost) && isfinite(c->cost);
            int no_worse = o->total_stages <= c->total_stages && o->reagents <= c->reagents &&
                           (!costed || o->cost <= c->cost);
            int better = o->total_stages < c->total_stages || o->reagents < c->reagents || (costed && o->cost < c->cost);
            dominated = o->feasible && j != i && no_worse && (better || j < i);
        }
        if (!dominated)
            r->pareto[r->npareto++] = i;
    }
}

/* The receiving end of sh->share, on its own thread. */
typedef struct {
    Shared *sh;
    int finishes, rc;
} Receiver;

static void *receiver(void *arg)
{
    Receiver *rv = arg;
    rv->rc = rv->sh->share->receive(rv->sh->share->ctx, rv->sh->trails, rv->finishes);
    return NULL;
}

/* How many other processes' tasks this one reads the trails of: each
 * sends one "finished" (send_trail) to it. */
static int remote_finishes(const Shared *sh)
{
    int n = 0;
    for (int t = 0; t < sh->ntasks; t++) {
        int child[RX_MAX_DESIGN_VARS], k = rx_trail_children(&sh->p->design, t, child), reads = 0;
        for (int i = 0; i < k; i++)
            reads |= child[i] % sh->size == sh->rank;
        n += reads && t % sh->size != sh->rank;
    }
    return n;
}

/* The tasks of sh on nth threads (this one among them), with their trails;
 * with a share, another thread receives the trails of other processes. */
#define MAX_THREADS 64
static void run_workers(Shared *sh, int nth)
{
    if (!(sh->trails = rx_trails_create(&sh->p->design, sh->ntasks, sh->rank, sh->size))) {
        sh->failed = 1;
        return;
    }
    pthread_mutex_init(&sh->lock, NULL);
    Receiver rv = {sh, sh->share ? remote_finishes(sh) : 0, RX_OK};
    pthread_t recv_th;
    int receiving = rv.finishes > 0 && pthread_create(&recv_th, NULL, receiver, &rv) == 0;
    if (rv.finishes > 0 && !receiving)
        sh->failed = 1; /* the tasks start below, and stop at once */
    int started = 0;
    pthread_t th[MAX_THREADS];
    for (int i = 1; i < nth && i < MAX_THREADS; i++)
        if (pthread_create(&th[started], NULL, worker, sh) == 0)
            started++;
    worker(sh);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    /* The tasks a stop or a failure left unrun finish too, for the
     * processes waiting on them. */
    for (int t = sh->next_task; sh->share && t < sh->ntasks; t++)
        if (t % sh->size == sh->rank)
            send_trail(sh, t, NULL, NULL);
    if (receiving) {
        pthread_join(recv_th, NULL);
        if (rv.rc != RX_OK)
            sh->failed = 1;
    }
    pthread_mutex_destroy(&sh->lock);
    rx_trails_destroy(&sh->trails); /* and those of tasks a stop or a failure left unread */
}

long long rx_candidate_key(const RxCandidate *c)
{
    return ((long long)c->task << 32) | (unsigned)c->seq;
}

static int by_key(const void *a, const void *b)
{
    long long x = rx_candidate_key(a), y = rx_candidate_key(b);
    return (x > y) - (x < y);
}

int rx_design(const RxPlant *p, RxDesignProgressFn progress, void *ctx, RxDesignResult **out, RxError *err)
{
    return rx_design_shared(p, NULL, progress, ctx, out, err);
}

int rx_design_shared(const RxPlant *p, const RxDesignShare *share, RxDesignProgressFn progress, void *ctx,
                     RxDesignResult **out, RxError *err)
{
    *out = NULL;
    const RxDesignSpec *d = &p->design;
    if (!d->present)
        return rx_error_set(err, RX_BAD_INPUT, p->path, "design: missing (reesx design needs a design group)");
    double t0 = rx_clock();
    /* Costing needs prices that do not depend on the candidate: a missing
     * one is bad input, found once here rather than as "infeasible". */
    if (d->objective == RX_OBJECTIVE_COST || p->cost.present) {
        RxSolution *s = NULL;
        RxCostResult cr;
        int rc = RX_OK;
        if (rx_circuit_solve(p, &s, NULL) == RX_OK)
            rc = rx_cost(p, s, &cr, err);
        rx_solution_destroy(&s);
        if (rc != RX_OK)
            return rc;
    }
    RxDesignResult *r = calloc(1, sizeof *r);
    if (!r)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    theory_estimate(p, r);
    memcpy(r->ranges, d->stage_vars, sizeof r->ranges);
    /* Sections left to their default ranges: wide enough for three times
     * cascade theory's count of the extraction and the scrub section (the
     * first two sections), which a multicomponent feed may need. */
    if (d->stages_default && r->have_theory)
        for (int k = 0; k < d->nstage_vars && k < 2; k++) {
            double want = fmin(THEORY_RANGE * ceil(k == 0 ? r->theory.n : r->theory.m), RX_MAX_DESIGN_STAGES_SEARCH);
            if (r->ranges[k].max < want)
                r->ranges[k].max = (int)want;
        }
    Shared sh;
    memset(&sh, 0, sizeof sh);
    sh.p = p;
    sh.r = r;
    sh.vars = r->ranges;
    sh.progress = progress;
    sh.ctx = ctx;
    sh.share = share;
    sh.rank = share ? share->rank : 0;
    sh.size = share ? share->size : 1;
    sh.ntasks = 1;
    for (int i = 0; i < d->nflow_vars; i++)
        sh.ntasks *= d->flow_vars[i].steps;
    int per_task = 2;
    for (int k = 0; k < d->nstage_vars; k++)
        per_task += r->ranges[k].max - r->ranges[k].min + 1;
    int mine = (sh.ntasks - sh.rank + sh.size - 1) / sh.size; /* this process's tasks */
    sh.total_est = mine * per_task;
    run_workers(&sh, d->threads < mine ? d->threads : mine);
    if (share) {
        int flags = (sh.failed ? RX_SHARE_FAILED : 0) | (sh.cut ? RX_SHARE_CUT : 0);
        if (share->gather(share->ctx, r, &flags) != RX_OK)
            flags |= RX_SHARE_FAILED;
        sh.failed = flags & RX_SHARE_FAILED;
        sh.cut = (flags & RX_SHARE_CUT) != 0;
    }
    if (r->n > 1) /* the order of the tasks, not of the threads */
        qsort(r->cand, (size_t)r->n, sizeof *r->cand, by_key);
    if (sh.failed || !(r->pareto = calloc((size_t)(r->n ? r->n : 1), sizeof(int)))) {
        rx_design_result_destroy(&r);
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    }
    choose(p, r);
    r->seconds = rx_clock() - t0;
    r->interrupted = sh.cut ? rx_interrupted() : 0;
    *out = r;
    if (r->interrupted)
        return rx_error_set(err, RX_INTERRUPTED, p->path, "interrupted by %s after %d circuits",
                            rx_signal_name(r->interrupted), r->n);
    return RX_OK;
}

void rx_design_result_destroy(RxDesignResult **rp)
{
    if (!rp || !*rp)
        return;
    free((*rp)->cand);
    free((*rp)->pareto);
    free(*rp);
    *rp = NULL;
}

const char *rx_objective_name(int objective)
{
    return objective == RX_OBJECTIVE_STAGES     ? "fewest stages"
           : objective == RX_OBJECTIVE_REAGENTS ? "least reagent"
                                                : "lowest cost per kg REO";
}
