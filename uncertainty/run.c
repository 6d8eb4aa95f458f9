/*
 * uncertainty/run.c - the whole run: nominal solve, draws, the samples on
 * worker threads, and the summary (percentiles with GSL's sort and
 * quantiles, the probability of meeting every target).
 *
 * The threads take sample indices in turn; each sample's slot is written
 * by the thread that solved it and by no other, and what is in it depends
 * on the sample's inputs and the nominal solution alone.
 */
#include "uncertainty/uncertainty.h"

#include "core/interrupt.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THREADS 64

const double rx_unc_quantiles[RX_UNC_NPCT] = {0.05, 0.50, 0.95};

typedef struct {
    RxUncResult *r;
    int end;                 /* samples next .. end-1 are left */
    atomic_int next;
    int done, failed;        /* under lock */
    pthread_mutex_t lock;
    RxUncProgressFn progress;
    void *ctx;
} Shared;

static void *worker(void *vp)
{
    Shared *sh = vp;
    RxUncResult *r = sh->r;
    for (;;) {
        int i = atomic_fetch_add(&sh->next, 1);
        if (i >= sh->end)
            break;
        int rc = rx_unc_solve_range(r->plan, r->nominal, r->x, i, i + 1, &r->samples[i]);
        pthread_mutex_lock(&sh->lock);
        if (rc != RX_OK && !sh->failed)
            sh->failed = rc;
        int stop = sh->failed != 0, done = ++sh->done;
        if (!stop && sh->progress)
            sh->progress(done, r->n, sh->ctx);
        pthread_mutex_unlock(&sh->lock);
        if (stop)
            break;
    }
    return NULL;
}

int rx_uncertainty_solve(RxUncResult *r, int i0, int i1, RxUncProgressFn progress, void *ctx)
{
    int nth = r->threads;
    Shared sh = {.r = r, .end = i1, .progress = progress, .ctx = ctx};
    atomic_init(&sh.next, i0);
    pthread_mutex_init(&sh.lock, NULL);
    pthread_t th[MAX_THREADS];
    int started = 0;
    for (int i = 1; i < nth && i < MAX_THREADS && i < i1 - i0; i++)
        if (pthread_create(&th[started], NULL, worker, &sh) == 0)
            started++;
    worker(&sh);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    pthread_mutex_destroy(&sh.lock);
    return sh.failed;
}

/* P5, P50, P95 of the finite values v[0..n) (sorted in place) into pct; NaN with none. */
static int percentiles(double *v, int n, double *pct)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        if (isfinite(v[i]))
            v[k++] = v[i];
    gsl_sort(v, 1, (size_t)k);
    for (int q = 0; q < RX_UNC_NPCT; q++)
        pct[q] = k ? gsl_stats_quantile_from_sorted_data(v, 1, (size_t)k, rx_unc_quantiles[q]) : NAN;
    return k;
}

int rx_unc_summarize(RxUncResult *r)
{
    const RxUncPlan *pl = r->plan;
    double *v = malloc(sizeof *v * (size_t)(r->n ? r->n : 1));
    if (!v)
        return RX_NO_MEMORY;
    r->solved = r->met = 0;
    for (int i = 0; i < r->n; i++)
        if (r->samples[i].status == RX_OK) {
            r->solved++;
            r->met += r->samples[i].all_met;
        }
    for (int m = 0; m <= pl->nmetrics; m++) {
        int k = 0;
        for (int i = 0; i < r->n; i++)
            if (r->samples[i].status == RX_OK)
                v[k++] = m < pl->nmetrics ? r->samples[i].value[m] : r->samples[i].cost_per_kg;
        r->nvalid[m == pl->nmetrics ? RX_UNC_MAX_METRICS : m] =
            percentiles(v, k, r->pct[m == pl->nmetrics ? RX_UNC_MAX_METRICS : m]);
    }
    free(v);
    double p = r->solved ? (double)r->met / r->solved : NAN;
    r->p_met = pl->has_targets ? p : NAN;
    r->p_met_se = pl->has_targets && r->solved ? sqrt(p * (1.0 - p) / r->solved) : NAN;
    return RX_OK;
}

void rx_unc_result_destroy(RxUncResult **r)
{
    if (!r || !*r)
        return;
    rx_unc_plan_destroy(&(*r)->plan);
    rx_solution_destroy(&(*r)->nominal);
    rx_plant_destroy(&(*r)->held);
    free((*r)->x);
    free((*r)->samples);
    free(*r);
    *r = NULL;
}

/* The nominal plant solved cold and measured; its cost must be computable when it has a cost group. */
static int nominal(const RxPlant *p, RxUncResult *r, RxError *err)
{
    int rc = rx_circuit_solve(p, &r->nominal, err);
    if (rc != RX_OK)
        return rc;
    rx_unc_measure(r->plan, p, r->nominal, &r->nominal_m);
    RxCostResult c;
    return r->plan->costed ? rx_cost(p, r->nominal, &c, err) : RX_OK;
}

int rx_uncertainty_prepare(const RxPlant *p, int threads, RxUncResult **out, RxError *err)
{
    *out = NULL;
    RxUncResult *r = calloc(1, sizeof *r);
    if (!r)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    r->n = p->uncertainty.samples;
    r->seed = p->uncertainty.seed;
    r->threads = threads > 0 ? threads : p->uncertainty.threads;
    int rc = RX_OK;
    if (p->design.nspecs > 0) { /* the plant as its specs hold it: the samples start there */
        RxSpecResult sr;
        if ((rc = rx_spec_solve(p, NULL, &sr, err)) == RX_OK) {
            r->held = sr.plant;
            rx_solution_destroy(&sr.sol);
            p = r->held;
        }
    }
    if (rc == RX_OK)
        rc = rx_unc_plan_create(p, &r->plan, err);
    if (rc == RX_OK && (!(r->x = calloc((size_t)r->n * (size_t)(r->plan->n ? r->plan->n : 1), sizeof *r->x)) ||
                        !(r->samples = calloc((size_t)r->n, sizeof *r->samples))))
        rc = rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    if (rc == RX_OK)
        rc = nominal(p, r, err);
    if (rc == RX_OK)
        rc = rx_unc_draw(r->plan, r->seed, r->n, r->x, err);
    if (rc != RX_OK)
        rx_unc_result_destroy(&r);
    *out = r;
    return rc;
}

int rx_uncertainty(const RxPlant *p, int threads, RxUncProgressFn progress, void *ctx, RxUncResult **out,
                   RxError *err)
{
    RxUncResult *r = NULL;
    int rc = rx_uncertainty_prepare(p, threads, &r, err);
    double t0 = rx_clock();
    if (rc == RX_OK && (rc = rx_uncertainty_solve(r, 0, r->n, progress, ctx)) != RX_OK)
        rc = rx_error_set(err, rc, p->path, rc == RX_INTERRUPTED ? "interrupted" : "out of memory");
    if (r)
        r->seconds = rx_clock() - t0;
    if (rc == RX_OK && rx_unc_summarize(r) != RX_OK)
        rc = rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    if (rc != RX_OK)
        rx_unc_result_destroy(&r);
    *out = r;
    return rc;
}
