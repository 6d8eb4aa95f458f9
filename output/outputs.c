/*
 * output/outputs.c - the table of every file a command can write and the
 * one call that writes those its results allow.  A new format is a file of
 * its own (its writer declared in output/writer.h) and a line here.
 */
#include "output/writer.h"

#include "core/fileio.h"
#include "core/interrupt.h"

#include <stdio.h>
#include <string.h>

/* What a writer needs; a command has it when the result is in RxOutputs. */
enum {
    NEEDS_STEADY = 1 << 0,  /* plant and solution */
    NEEDS_SIM = 1 << 1,     /* plant and sim */
    NEEDS_PROFILE = 1 << 2, /* the stage profile the simulation ended at */
    NEEDS_DESIGN = 1 << 3,  /* plant and design */
    NEEDS_CHOSEN = 1 << 4,  /* a design candidate that meets every target */
    NEEDS_COST = 1 << 5,    /* cost, and the plant or flowsheet it is of */
    NEEDS_FIT = 1 << 6,     /* plant and fit */
    NEEDS_FIT_FILE = 1 << 7, /* a fitted constant the model keeps in a data file */
    NEEDS_SPECS = 1 << 8,    /* plant and its solved specs */
    NEEDS_WINDOW = 1 << 9,   /* plant and its operating window */
    NEEDS_VARIANT = 1 << 10, /* a plant description as text */
    NEEDS_UNCERTAINTY = 1 << 11 /* plant and uncertainty */
};

/* When a file is renamed into place (rx_write_outputs): the summary,
 * which carries the run id, first and the state, which carries it too, last,
 * so a set cut short while it is published (power cut, SIGKILL) has a new
 * summary.json beside an old final.state and a restart from it is refused
 * (rx_check_restart); never an old summary beside a new state. */
enum { PUBLISH_FIRST, PUBLISH_MIDDLE, PUBLISH_LAST };

typedef struct RxWriter {
    const char *file; /* in the output directory */
    unsigned needs;
    RxWriteFn write;
    int publish;      /* PUBLISH_* */
} RxWriter;

/* In the order the files are written (and listed). */
static const RxWriter writers[] = {
    {"stages.csv", NEEDS_STEADY, rx_output_stages, PUBLISH_MIDDLE},
    {"streams.csv", NEEDS_STEADY, rx_output_streams, PUBLISH_MIDDLE},
    {"summary.json", NEEDS_STEADY, rx_output_summary, PUBLISH_FIRST},
    {"specs.csv", NEEDS_SPECS, rx_output_specs, PUBLISH_MIDDLE},
    {"window.csv", NEEDS_WINDOW, rx_output_window, PUBLISH_MIDDLE},
    {"design.cfg", NEEDS_VARIANT, rx_output_variant, PUBLISH_MIDDLE},
    {"timeseries.csv", NEEDS_SIM, rx_output_timeseries, PUBLISH_MIDDLE},
    {"stages.csv", NEEDS_SIM | NEEDS_PROFILE, rx_output_sim_stages, PUBLISH_MIDDLE},
    {"final.state", NEEDS_SIM, rx_output_state, PUBLISH_LAST},
    {"summary.json", NEEDS_SIM, rx_output_sim_summary, PUBLISH_FIRST},
    {"candidates.csv", NEEDS_DESIGN, rx_output_candidates, PUBLISH_MIDDLE},
    {"pareto.csv", NEEDS_DESIGN, rx_output_pareto, PUBLISH_MIDDLE},
    {"design.cfg", NEEDS_DESIGN | NEEDS_CHOSEN, rx_output_design_cfg, PUBLISH_MIDDLE},
    {"cost.json", NEEDS_COST, rx_output_cost, PUBLISH_FIRST},
    {"sensitivity.csv", NEEDS_COST, rx_output_sensitivity, PUBLISH_MIDDLE},
    {"fit.json", NEEDS_FIT, rx_output_fit_json, PUBLISH_FIRST},
    {"residuals.csv", NEEDS_FIT, rx_output_residuals, PUBLISH_MIDDLE},
    {"fitted.tsv", NEEDS_FIT | NEEDS_FIT_FILE, rx_output_fitted_data, PUBLISH_MIDDLE},
    {"uncertainty.json", NEEDS_UNCERTAINTY, rx_output_uncertainty_json, PUBLISH_FIRST},
    {"uncertainty.csv", NEEDS_UNCERTAINTY, rx_output_uncertainty_csv, PUBLISH_MIDDLE},
    {"samples.csv", NEEDS_UNCERTAINTY, rx_output_samples, PUBLISH_MIDDLE},
};

#define NWRITERS ((int)(sizeof writers / sizeof writers[0]))
_Static_assert(sizeof writers / sizeof writers[0] <= RX_MAX_OUTPUTS, "RxWritten cannot list every writer");

static unsigned available(const RxOutputs *o)
{
    unsigned have = 0;
    if (o->plant && o->solution)
        have |= NEEDS_STEADY;
    if (o->plant && o->sim)
        have |= NEEDS_SIM;
    if (o->sim && o->sim->final)
        have |= NEEDS_PROFILE;
    if (o->plant && o->design)
        have |= NEEDS_DESIGN;
    if (o->design && o->design->best >= 0)
        have |= NEEDS_CHOSEN;
    if (o->cost && (o->plant || o->flowsheet))
        have |= NEEDS_COST;
    if (o->plant && o->fit)
        have |= NEEDS_FIT;
    if (o->plant && o->specs)
        have |= NEEDS_SPECS;
    if (o->plant && o->window && o->window->met)
        have |= NEEDS_WINDOW;
    if (o->variant && !o->design)
        have |= NEEDS_VARIANT;
    if (o->plant && o->uncertainty)
        have |= NEEDS_UNCERTAINTY;
    for (int j = 0; o->fit && j < o->fit->np; j++)
        if (o->fit->param[j].kind != RX_FIT_EFFICIENCY && strcmp(o->plant->model_spec.type, "constant_d") != 0)
            have |= NEEDS_FIT_FILE;
    return have;
}

/* Every file o allows, into the set's temporary directory; their table
 * entries in *idx (written->n of them). */
static int write_all(const RxOutputs *o, const RxOutSet *set, RxWritten *written, int *idx, RxError *err)
{
    unsigned have = available(o);
    for (int i = 0; i < NWRITERS; i++) {
        const RxWriter *w = &writers[i];
        if ((w->needs & have) != w->needs)
            continue;
        char path[RX_PATH_MAX];
        int rc = rx_outset_path(set, w->file, path, sizeof path, err);
        if (rc == RX_OK)
            rc = w->write(o, path, err);
        if (rc != RX_OK) {
            /* Name the file the user asked for, not its place in the temporary directory. */
            if (err && strncmp(err->where, set->tmp, strlen(set->tmp)) == 0 &&
                snprintf(err->where, sizeof err->where, "%s/%s", set->dir, w->file) < 0)
                err->where[0] = '\0';
            return rc;
        }
        idx[written->n] = i;
        written->name[written->n++] = w->file;
    }
    return RX_OK;
}

/* Rename the written files into place, in the order of their PUBLISH_*. */
static int publish(RxOutSet *set, const RxWritten *written, const int *idx, RxError *err)
{
    const char *order[RX_MAX_OUTPUTS];
    int n = 0, published = 0;
    for (int rank = PUBLISH_FIRST; rank <= PUBLISH_LAST; rank++)
        for (int k = 0; k < written->n; k++)
            if (writers[idx[k]].publish == rank)
                order[n++] = written->name[k];
    return rx_outset_publish(set, order, n, &published, err);
}

int rx_write_outputs(const RxOutputs *o, const char *dir, RxWritten *written, RxError *err)
{
    RxOutputs run = *o;
    char id[RX_RUN_ID_LEN];
    if (!run.run_id) {
        rx_run_id(id);
        run.run_id = id;
    }
    written->n = 0;
    int idx[RX_MAX_OUTPUTS];
    /* No stop signal between the first file and the last rename: the set
     * is published whole (or, on an error, not at all) before it acts. */
    sigset_t held;
    rx_interrupt_hold(&held);
    RxOutSet set;
    int rc = rx_outset_begin(&set, dir, err);
    if (rc == RX_OK)
        rc = write_all(&run, &set, written, idx, err);
    if (rc == RX_OK)
        rc = publish(&set, written, idx, err);
    rx_outset_discard(&set);
    rx_interrupt_release(&held);
    if (rc != RX_OK)
        written->n = 0;
    return rc;
}
