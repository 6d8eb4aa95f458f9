/*
 * trail.c - the circuits a design task solved, for its flow neighbours
 * (design/trail.h).
 *
 * One lock and one condition for all trails: a writer adds a circuit a
 * few times a millisecond at most, and a reader waits only when its own
 * starts failed, so there is nothing to gain from finer locks.  A trail is
 * freed once its writer has finished and the last of its readers (the
 * tasks whose rx_trail_parent it is, counted up front) has released it,
 * so a long flow grid keeps only the trails of the tasks running and of
 * those about to.
 */
#include "design/trail.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* First room for a trail's circuits; doubled when full. */
#define TRAIL_CAP0 64

typedef struct {
    int stages[RX_MAX_DESIGN_VARS];
    RxSolution *sol; /* totals only */
} Entry;

typedef struct {
    Entry *e;
    int n, cap;
    int finished;
    int readers; /* tasks yet to release it */
} Trail;

struct RxTrails {
    int ntasks;
    Trail *t;
    pthread_mutex_t lock;
    pthread_cond_t grew; /* some trail got a circuit or finished */
};

int rx_trail_parent(const RxDesignSpec *d, int t)
{
    for (int i = 0, rest = t, stride = 1; i < d->nflow_vars; i++) {
        int steps = d->flow_vars[i].steps;
        if (rest % steps > 0)
            return t - stride;
        rest /= steps;
        stride *= steps;
    }
    return -1;
}

int rx_trail_children(const RxDesignSpec *d, int t, int *child)
{
    int n = 0;
    for (int i = 0, rest = t, stride = 1; i < d->nflow_vars; i++) {
        int steps = d->flow_vars[i].steps, level = rest % steps;
        if (level + 1 < steps)
            child[n++] = t + stride;
        if (level > 0)
            break;
        rest /= steps;
        stride *= steps;
    }
    return n;
}

RxTrails *rx_trails_create(const RxDesignSpec *d, int ntasks, int rank, int size)
{
    RxTrails *tr = calloc(1, sizeof *tr);
    if (!tr || !(tr->t = calloc((size_t)(ntasks > 0 ? ntasks : 1), sizeof *tr->t))) {
        free(tr);
        return NULL;
    }
    tr->ntasks = ntasks;
    for (int t = 0; t < ntasks; t++) {
        int child[RX_MAX_DESIGN_VARS], n = rx_trail_children(d, t, child);
        for (int k = 0; k < n; k++)
            tr->t[t].readers += child[k] % size == rank;
    }
    pthread_mutex_init(&tr->lock, NULL);
    pthread_cond_init(&tr->grew, NULL);
    return tr;
}

static void trail_free(Trail *t)
{
    for (int i = 0; i < t->n; i++)
        rx_solution_destroy(&t->e[i].sol);
    free(t->e);
    t->e = NULL;
    t->n = t->cap = 0;
}

void rx_trails_destroy(RxTrails **trp)
{
    if (!trp || !*trp)
        return;
    RxTrails *tr = *trp;
    for (int t = 0; t < tr->ntasks; t++)
        trail_free(&tr->t[t]);
    pthread_cond_destroy(&tr->grew);
    pthread_mutex_destroy(&tr->lock);
    free(tr->t);
    free(tr);
    *trp = NULL;
}

int rx_trail_add(RxTrails *tr, int t, const int *stages, int nvars, const RxSolution *s)
{
    Trail *tl = &tr->t[t];
    pthread_mutex_lock(&tr->lock);
    int unread = tl->readers == 0; /* none, or all done with it */
    pthread_mutex_unlock(&tr->lock);
    if (unread)
        return RX_OK;
    RxSolution *copy = NULL;
    if (rx_solution_alloc(&copy, s->N, s->M) != RX_OK)
        return RX_NO_MEMORY;
    memcpy(copy->T, s->T, sizeof(double) * (size_t)s->N * (size_t)s->M);
    pthread_mutex_lock(&tr->lock);
    int rc = RX_OK;
    if (tl->readers == 0)
        rc = RX_OK; /* the last reader left meanwhile: copy dropped below */
    else if (tl->n == tl->cap) {
        int cap = tl->cap ? 2 * tl->cap : TRAIL_CAP0;
        Entry *e = realloc(tl->e, (size_t)cap * sizeof *e);
        if (e) {
            tl->e = e;
            tl->cap = cap;
        } else
            rc = RX_NO_MEMORY;
    }
    if (rc == RX_OK && tl->readers > 0) {
        memset(&tl->e[tl->n], 0, sizeof tl->e[tl->n]);
        memcpy(tl->e[tl->n].stages, stages, sizeof(int) * (size_t)nvars);
        tl->e[tl->n++].sol = copy;
        copy = NULL;
        pthread_cond_broadcast(&tr->grew);
    }
    pthread_mutex_unlock(&tr->lock);
    rx_solution_destroy(&copy);
    return rc;
}

void rx_trail_finish(RxTrails *tr, int t)
{
    pthread_mutex_lock(&tr->lock);
    Trail *tl = &tr->t[t];
    tl->finished = 1;
    if (tl->readers == 0)
        trail_free(tl);
    pthread_cond_broadcast(&tr->grew);
    pthread_mutex_unlock(&tr->lock);
}

const RxSolution *rx_trail_find(RxTrails *tr, int t, const int *stages, int nvars)
{
    const Trail *tl = &tr->t[t];
    const RxSolution *found = NULL;
    pthread_mutex_lock(&tr->lock);
    for (int i = 0;;) {
        for (; i < tl->n && !found; i++)
            if (memcmp(tl->e[i].stages, stages, sizeof(int) * (size_t)nvars) == 0)
                found = tl->e[i].sol;
        if (found || tl->finished)
            break;
        pthread_cond_wait(&tr->grew, &tr->lock);
    }
    pthread_mutex_unlock(&tr->lock);
    return found;
}

void rx_trail_release(RxTrails *tr, int t)
{
    pthread_mutex_lock(&tr->lock);
    Trail *tl = &tr->t[t];
    if (--tl->readers == 0 && tl->finished)
        trail_free(tl);
    pthread_mutex_unlock(&tr->lock);
}
