/*
 * output/outputs.c - the table of every file a command can write and the
 * one call that writes those its results allow.  A new format is a file of
 * its own (its writer declared in output/writer.h) and a line here.
 */
#include "output/writer.h"

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
    NEEDS_FIT_FILE = 1 << 7 /* a fitted constant the model keeps in a data file */
};

typedef struct RxWriter {
    const char *file; /* in the output directory */
    unsigned needs;
    RxWriteFn write;
} RxWriter;

/* In the order the files are written (and listed). */
static const RxWriter writers[] = {
    {"stages.csv", NEEDS_STEADY, rx_output_stages},
    {"streams.csv", NEEDS_STEADY, rx_output_streams},
    {"summary.json", NEEDS_STEADY, rx_output_summary},
    {"timeseries.csv", NEEDS_SIM, rx_output_timeseries},
    {"stages.csv", NEEDS_SIM | NEEDS_PROFILE, rx_output_sim_stages},
    {"final.state", NEEDS_SIM, rx_output_state},
    {"summary.json", NEEDS_SIM, rx_output_sim_summary},
    {"candidates.csv", NEEDS_DESIGN, rx_output_candidates},
    {"pareto.csv", NEEDS_DESIGN, rx_output_pareto},
    {"design.cfg", NEEDS_DESIGN | NEEDS_CHOSEN, rx_output_design_cfg},
    {"cost.json", NEEDS_COST, rx_output_cost},
    {"sensitivity.csv", NEEDS_COST, rx_output_sensitivity},
    {"fit.json", NEEDS_FIT, rx_output_fit_json},
    {"residuals.csv", NEEDS_FIT, rx_output_residuals},
    {"fitted.tsv", NEEDS_FIT | NEEDS_FIT_FILE, rx_output_fitted_data},
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
    for (int j = 0; o->fit && j < o->fit->np; j++)
        if (o->fit->param[j].kind != RX_FIT_EFFICIENCY && strcmp(o->plant->model_spec.type, "constant_d") != 0)
            have |= NEEDS_FIT_FILE;
    return have;
}

int rx_write_outputs(const RxOutputs *o, const char *dir, RxWritten *written, RxError *err)
{
    unsigned have = available(o);
    written->n = 0;
    for (int i = 0; i < NWRITERS; i++) {
        const RxWriter *w = &writers[i];
        if ((w->needs & have) != w->needs)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, w->file);
        int rc = w->write(o, path, err);
        if (rc != RX_OK)
            return rc;
        written->name[written->n++] = w->file;
    }
    return RX_OK;
}
