/*
 * output/design.c - the files design writes: candidates.csv (every circuit
 * solved), pareto.csv (the candidates no other beats) and design.cfg (the
 * chosen candidate as a config reesx run can read).
 */
#include "output/writer.h"

#include "config/config.h"
#include "core/fileio.h"
#include "core/interrupt.h"
#include "design/targets.h"

#include <stdlib.h>
#include <string.h>

#define CFG_HEADER_ROOM 512 /* the comment design.cfg opens with, but the config's path */
#define CFG_PARTIAL_ROOM 256 /* the partial mark */

static void candidates_header(FILE *f, const RxPlant *p)
{
    const RxDesignSpec *d = &p->design;
    fputs("candidate", f);
    for (int k = 0; k < d->nstage_vars; k++)
        rx_csv_textf(f, 0, "%s stages [-]", p->sections[d->stage_vars[k].section].name);
    fputs(",total stages [-]", f);
    for (int k = 0; k < d->nflow_vars; k++)
        rx_csv_textf(f, 0, "%s flow [L/h]", p->feeds[d->flow_vars[k].feed].name);
    for (int k = 0; k < d->nspecs; k++)
        rx_csv_textf(f, 0, "%s [%s]", d->specs[k].label, d->specs[k].kind == RX_SPEC_FLOW ? "L/h" : "%");
    for (int k = 0; k < d->nwindows; k++) {
        rx_csv_textf(f, 0, "%s run at [L/h]", p->feeds[d->windows[k].feed].name);
        rx_csv_textf(f, 0, "%s window [%%]", p->feeds[d->windows[k].feed].name);
    }
    fputs(",solved [-]", f);
    if (d->nspecs > 0)
        fputs(",specs met [-]", f);
    for (int t = 0; t < d->ntargets; t++)
        rx_csv_textf(f, 0, "%s [%s]", d->targets[t].label, rx_target_unit(&d->targets[t]));
    fputs(",meets targets [-],reagents [kg HCl+base per kg REO fed],cost [USD/kg product REO],chosen [-]\n", f);
}

static void candidate_row(FILE *f, const RxDesignSpec *d, const RxDesignResult *r, int idx)
{
    const RxCandidate *c = &r->cand[idx];
    fprintf(f, "%d", idx + 1);
    for (int k = 0; k < d->nstage_vars; k++)
        fprintf(f, ",%d", c->stages[k]);
    if (c->status == RX_OK)
        fprintf(f, ",%d", c->total_stages);
    else
        fputs(",", f);
    for (int k = 0; k < d->nflow_vars; k++)
        rx_csv_num(f, c->flows[k]);
    for (int k = 0; k < d->nspecs; k++)
        rx_csv_num(f, (d->specs[k].kind == RX_SPEC_FLOW ? 1.0 : PERCENT) * c->spec_x[k]);
    for (int k = 0; k < d->nwindows; k++) {
        rx_csv_num(f, c->window_x[k]);
        rx_csv_num(f, PERCENT * c->window[k]);
    }
    fprintf(f, ",%d", c->status == RX_OK);
    if (d->nspecs > 0)
        fprintf(f, ",%d", c->specs_met);
    for (int t = 0; t < d->ntargets; t++)
        rx_csv_num(f, rx_target_shown(&d->targets[t], c->achieved[t]));
    fprintf(f, ",%d", c->feasible);
    rx_csv_num(f, c->reagents);
    rx_csv_num(f, c->cost);
    fprintf(f, ",%d\n", idx == r->best);
}

int rx_write_candidates_csv(const RxPlant *p, const RxDesignResult *r, int pareto_only, const char *path,
                            RxError *err)
{
    RxAtomicFile a;
    int rc = rx_atomic_open(&a, path, err);
    if (rc != RX_OK)
        return rc;
    candidates_header(a.f, p);
    int n = pareto_only ? r->npareto : r->n;
    for (int i = 0; i < n; i++)
        candidate_row(a.f, &p->design, r, pareto_only ? r->pareto[i] : i);
    return rx_atomic_close(&a, err);
}

int rx_output_candidates(const RxOutputs *o, const char *path, RxError *err)
{
    return rx_write_candidates_csv(o->plant, o->design, 0, path, err);
}

int rx_output_pareto(const RxOutputs *o, const char *path, RxError *err)
{
    return rx_write_candidates_csv(o->plant, o->design, 1, path, err);
}

/* The chosen candidate's config, opening with where it came from. */
int rx_output_design_cfg(const RxOutputs *o, const char *path, RxError *err)
{
    const RxPlant *p = o->plant;
    char *text = NULL;
    int rc = rx_design_variant(p, &o->design->cand[o->design->best], &text, err);
    if (rc == RX_OK) {
        size_t n = strlen(text) + strlen(p->path) + CFG_HEADER_ROOM + CFG_PARTIAL_ROOM;
        char *full = malloc(n);
        if (!full)
            rc = rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
        else {
            char partial[CFG_PARTIAL_ROOM] = "";
            if (o->design->interrupted) /* the mark of a search cut short */
                snprintf(partial, sizeof partial,
                         "# PARTIAL: the search was interrupted by %s after %d circuits; this is\n"
                         "# the best of those, not necessarily what the whole search would choose.\n",
                         rx_signal_name(o->design->interrupted), o->design->n);
            snprintf(full, n,
                     "# Written by reesx design from %s: the candidate that meets every\n"
                     "# target with the %s (see candidates.csv).\n%s%s",
                     p->path, rx_objective_name(p->design.objective), partial, text);
            rc = rx_write_text(full, path, err);
            free(full);
        }
    }
    free(text);
    return rc;
}

int rx_output_variant(const RxOutputs *o, const char *path, RxError *err)
{
    return rx_write_text(o->variant, path, err);
}
