/*
 * robust.c - design.probability: of a design search's candidates that
 * meet the targets, the best (by the objective) whose probability of
 * meeting every target under the plant's uncertainty group is at least
 * the one required (docs/design.md, "Robust design").
 */
#include "uncertainty/uncertainty.h"

#include "design/search.h"

#include <math.h>
#include <stdlib.h>

/* The feasible candidates of r, best first (ties: in the order solved);
 * how many (idx holds r->n). */
static int best_first(const RxPlant *p, const RxDesignResult *r, int *idx)
{
    int n = 0;
    for (int i = 0; i < r->n; i++) {
        if (!r->cand[i].feasible)
            continue;
        int at = n++; /* after every candidate no worse than it */
        for (; at > 0 && rx_candidate_better(&p->design, &r->cand[i], &r->cand[idx[at - 1]]); at--)
            idx[at] = idx[at - 1];
        idx[at] = i;
    }
    return n;
}

/* The probability that candidate c meets every target; its try recorded. */
static int try_candidate(const RxPlant *p, RxDesignResult *r, int c, RxError *err)
{
    RxPlant *q = NULL;
    RxUncResult *u = NULL;
    int rc = rx_candidate_plant(p, &r->cand[c], &q, err);
    if (rc == RX_OK)
        rc = rx_uncertainty(q, 0, NULL, NULL, &u, err);
    rx_plant_destroy(&q);
    if (rc != RX_OK)
        return rc;
    int k = r->robust_tried++;
    r->robust_index[k] = c;
    r->robust_p[k] = u->p_met;
    r->robust_se[k] = u->p_met_se;
    rx_unc_result_destroy(&u);
    return RX_OK;
}

int rx_robust_choose(const RxPlant *p, RxDesignResult *r, RxError *err)
{
    int *idx = malloc(sizeof *idx * (size_t)(r->n ? r->n : 1));
    if (!idx)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    int n = best_first(p, r, idx), rc = RX_OK;
    double need = p->design.probability;
    r->robust_tried = 0;
    r->best = -1;
    /* The last (most stages, most reagent or cost) first: if it is not that
     * likely, none is; else bisection for the first that is. */
    int lo = -1, hi = n - 1;
    if (n > 0 && (rc = try_candidate(p, r, idx[hi], err)) == RX_OK && r->robust_p[0] >= need) {
        while (hi - lo > 1 && r->robust_tried < RX_ROBUST_MAX_TRIES && rc == RX_OK) {
            int mid = (lo + hi) / 2;
            if ((rc = try_candidate(p, r, idx[mid], err)) == RX_OK) {
                if (r->robust_p[r->robust_tried - 1] >= need)
                    hi = mid;
                else
                    lo = mid;
            }
        }
        r->best = idx[hi];
    }
    free(idx);
    return rc;
}
