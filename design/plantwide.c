/*
 * plantwide.c - reesx design on a flowsheet (design/plantwide.h).
 */
#include "design/plantwide.h"

#include <stdio.h>
#include <string.h>

int rx_plantwide_searches(const RxFlowsheet *fs, int c)
{
    const RxDesignSpec *d = &fs->plant[c]->design;
    return d->present && !d->stages_default && d->nstage_vars > 0;
}

/* Circuit c as r's search chose it: its own plant (fed as its file says;
 * the loop feeds it) with the choice's stages, flows and specs. */
static int take_choice(RxPlantwide *w, int c, const RxDesignResult *r, RxError *err)
{
    RxPlant *q = NULL;
    int rc = rx_candidate_plant(w->fs.plant[c], &r->cand[r->best], &q, err);
    if (rc != RX_OK)
        return rc;
    rx_plant_destroy(&w->fs.plant[c]);
    w->fs.plant[c] = q;
    return RX_OK;
}

/* Did the search of circuit c choose other stage counts or grid flows than
 * the one before (prev, NULL: none)? */
static int choice_moved(const RxPlant *p, const RxDesignResult *prev, const RxDesignResult *r)
{
    if (!prev)
        return 1;
    const RxCandidate *a = &prev->cand[prev->best], *b = &r->cand[r->best];
    return memcmp(a->stages, b->stages, sizeof(int) * (size_t)p->design.nstage_vars) != 0 ||
           memcmp(a->flows, b->flows, sizeof(double) * (size_t)p->design.nflow_vars) != 0;
}

/* One pass: every searched circuit searched as solved (the loop's feeds)
 * and its choice taken; *moved when one moved. */
static int search_pass(RxPlantwide *w, const RxDesignShare *share, int *moved, RxError *err)
{
    *moved = 0;
    for (int c = 0; c < w->fs.n; c++) {
        if (!rx_plantwide_searches(&w->fs, c))
            continue;
        RxDesignResult *r = NULL;
        int rc = rx_design_shared(w->solved->plant[c], share, NULL, NULL, &r, err);
        if (rc == RX_OK && r->best < 0) {
            rc = rx_error_set(err, RX_UNMET, w->fs.path,
                              "circuit '%s' (pass %d): no candidate of %d meets every target as the flowsheet feeds it",
                              w->fs.name[c], w->passes, r->n);
        }
        if (rc == RX_OK)
            rc = take_choice(w, c, r, err);
        if (rc != RX_OK) {
            rx_design_result_destroy(&r);
            return rc;
        }
        *moved |= choice_moved(w->fs.plant[c], w->design[c], r);
        rx_design_result_destroy(&w->design[c]);
        w->design[c] = r;
    }
    return RX_OK;
}

int rx_plantwide_design(const RxFlowsheet *fs, const RxDesignShare *share, RxPlantwide *out, RxError *err)
{
    memset(out, 0, sizeof *out);
    out->fs = *fs;
    int rc = RX_OK;
    for (int c = 0; c < fs->n; c++) /* the copy owns its circuits */
        if (rc == RX_OK)
            rc = rx_plant_copy(fs->plant[c], &out->fs.plant[c], err);
        else
            out->fs.plant[c] = NULL;
    int moved = 1;
    while (rc == RX_OK && moved && out->passes < RX_PLANTWIDE_PASSES) {
        out->passes++;
        rx_flowsheet_result_destroy(&out->solved);
        if ((rc = rx_flowsheet_spec_solve(&out->fs, &out->solved, err)) == RX_OK)
            rc = search_pass(out, share, &moved, err);
    }
    out->settled = !moved;
    rx_flowsheet_result_destroy(&out->solved); /* solved again with the last choices */
    if (rc == RX_OK)
        rc = rx_flowsheet_spec_solve(&out->fs, &out->solved, err);
    if (rc != RX_OK)
        rx_plantwide_free(out);
    return rc;
}

void rx_plantwide_free(RxPlantwide *w)
{
    for (int c = 0; c < w->fs.n; c++) {
        rx_plant_destroy(&w->fs.plant[c]);
        rx_design_result_destroy(&w->design[c]);
    }
    rx_flowsheet_result_destroy(&w->solved);
    w->fs.n = 0;
}
