/*
 * uncertainty/sample.c - one sample: its plant (a copy of the nominal one
 * with the drawn constants and feeds), its circuit solved from the nominal
 * solution, and what it achieves.
 */
#include "uncertainty/uncertainty.h"

#include "core/interrupt.h"
#include "models/model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Feed `feed` of q with the drawn flow and concentrations of x; the
 * elements not sampled keep their nominal concentrations. */
static int set_feed(const RxUncPlan *pl, RxPlant *q, int feed, const double *x, RxError *err)
{
    const RxFeed *f = &pl->plant->feeds[feed];
    RxFeedSet fs = {.feed = feed, .flow = -1, .acid = -1};
    int conc = 0;
    for (int k = pl->nconst; k < pl->n; k++)
        if (pl->in[k].feed == feed && pl->in[k].kind == RX_UNC_FLOW)
            fs.flow = x[k];
    for (int i = 0; i < f->norder; i++) {
        int sp = rx_plant_species_of_element(pl->plant, f->order[i]);
        snprintf(fs.sym[i], sizeof fs.sym[i], "%s", rx_plant_element(pl->plant, sp)->sym);
        fs.conc[i] = f->c[sp];
        for (int k = pl->nconst; k < pl->n; k++)
            if (pl->in[k].feed == feed && pl->in[k].kind == RX_UNC_CONC && pl->in[k].elem == f->order[i]) {
                fs.conc[i] = x[k];
                conc = 1;
            }
    }
    fs.ncomp = conc ? f->norder : 0;
    return rx_plant_set_feed(q, &fs, err);
}

int rx_unc_sample_plant(const RxUncPlan *pl, const double *x, RxPlant **out, RxError *err)
{
    RxPlant *q = NULL;
    int rc = rx_plant_copy(pl->plant, &q, err);
    for (int k = pl->nconst; rc == RX_OK && k < pl->n; k++) {
        int first = 1; /* each feed once, at its first input */
        for (int j = pl->nconst; j < k; j++)
            first &= pl->in[j].feed != pl->in[k].feed;
        if (first)
            rc = set_feed(pl, q, pl->in[k].feed, x, err);
    }
    for (int k = 0; rc == RX_OK && k < pl->nconst; k++)
        if (rx_model_spec_set_value(&q->model_spec, pl->in[k].elem, x[k]) != RX_OK)
            rc = rx_error_set(err, RX_BAD_INPUT, pl->plant->uncertainty.where, "uncertainty: more than %d model values",
                              RX_MAX_VALUES);
    if (rc == RX_OK && (pl->nconst > 0 || !q->model))
        rc = rx_model_build(q, err);
    if (rc != RX_OK)
        rx_plant_destroy(&q);
    *out = q;
    return rc;
}

void rx_unc_measure(const RxUncPlan *pl, const RxPlant *q, const RxSolution *s, RxUncSample *out)
{
    out->status = RX_OK;
    out->iterations = s->iterations;
    if (pl->has_targets)
        out->all_met = rx_targets_achieved(q, s, &q->design, out->value);
    else
        for (int m = 0; m < pl->nmetrics; m++)
            out->value[m] = rx_target_value(q, s, &pl->metric[m]);
    out->cost_per_kg = NAN;
    RxCostResult c;
    if (pl->costed && rx_cost(q, s, &c, NULL) == RX_OK)
        out->cost_per_kg = c.cost_per_kg;
}

/* 1 when every input of xi is its nominal value to the last bit. */
static int is_nominal(const RxUncPlan *pl, const double *xi)
{
    for (int k = 0; k < pl->n; k++)
        if (memcmp(&xi[k], &pl->in[k].nominal, sizeof xi[k]) != 0)
            return 0;
    return 1;
}

/* Sample i: solved and measured into *out; RX_NO_MEMORY is the only
 * failure returned.  A sample whose inputs are the nominal ones is the
 * nominal plant, and its answer the nominal solution's: a warm start from
 * a converged solution takes a Newton step that can move its last bits. */
static int solve_one(const RxUncPlan *pl, const RxSolution *nominal, const double *xi, RxUncSample *out)
{
    RxPlant *q = NULL;
    RxSolution *s = NULL;
    RxError err;
    memset(out, 0, sizeof *out);
    out->cost_per_kg = NAN;
    for (int m = 0; m < RX_UNC_MAX_METRICS; m++)
        out->value[m] = NAN;
    if (is_nominal(pl, xi)) {
        rx_unc_measure(pl, pl->plant, nominal, out);
        return RX_OK;
    }
    int rc = rx_unc_sample_plant(pl, xi, &q, &err);
    if (rc == RX_OK && q->design.nspecs > 0) { /* held by its specs */
        RxSpecResult sr;
        if ((rc = rx_spec_solve(q, nominal, &sr, &err)) == RX_UNMET) {
            out->status = RX_OK; /* solved, and its targets missed: the specs cannot be held */
            rx_plant_destroy(&q);
            return RX_OK;
        }
        if (rc == RX_OK) {
            rx_plant_destroy(&q);
            q = sr.plant;
            s = sr.sol;
        }
    } else if (rc == RX_OK)
        rc = rx_circuit_solve_from(q, nominal, &s, &err);
    if (rc == RX_OK)
        rx_unc_measure(pl, q, s, out);
    else
        out->status = rc;
    rx_solution_destroy(&s);
    rx_plant_destroy(&q);
    return rc == RX_NO_MEMORY ? rc : RX_OK;
}

int rx_unc_solve_range(const RxUncPlan *pl, const RxSolution *nominal, const double *x, int i0, int i1,
                       RxUncSample *out)
{
    for (int i = i0; i < i1; i++) {
        if (rx_interrupted())
            return RX_INTERRUPTED;
        int rc = solve_one(pl, nominal, x + (size_t)i * (size_t)pl->n, &out[i - i0]);
        if (rc != RX_OK)
            return rc;
    }
    return RX_OK;
}
