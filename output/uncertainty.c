/*
 * output/uncertainty.c - the files reesx uncertainty writes: samples.csv
 * (one row per sample: its inputs, whether it solved, what it achieved,
 * its cost), uncertainty.csv (P5, P50 and P95 of every target and of the
 * cost per kg) and uncertainty.json (the same with the inputs' spreads,
 * the counts and the probability of meeting every target).
 */
#include "output/writer.h"

#include "core/fileio.h"
#include "design/targets.h"

#include <stdio.h>

static const char *const pct_names[RX_UNC_NPCT] = {"P5", "P50", "P95"};

/* v as shown, in the metric's unit (% or pH). */
static void samples_header(FILE *f, const RxUncPlan *pl)
{
    fputs("sample", f);
    for (int k = 0; k < pl->n; k++)
        rx_csv_text(f, 0, pl->in[k].name);
    fputs(",solved [-],status,iterations [-]", f);
    for (int m = 0; m < pl->nmetrics; m++)
        rx_csv_textf(f, 0, "%s [%s]", pl->metric[m].label, rx_target_unit(&pl->metric[m]));
    if (pl->has_targets)
        fputs(",all targets met [-]", f);
    if (pl->costed)
        fputs(",cost [USD/kg REO]", f);
    fputc('\n', f);
}

int rx_output_samples(const RxOutputs *o, const char *path, RxError *err)
{
    const RxUncResult *r = o->uncertainty;
    const RxUncPlan *pl = r->plan;
    RxAtomicFile a;
    int rc = rx_atomic_open(&a, path, err);
    if (rc != RX_OK)
        return rc;
    samples_header(a.f, pl);
    for (int i = 0; i < r->n; i++) {
        const RxUncSample *s = &r->samples[i];
        fprintf(a.f, "%d", i + 1);
        for (int k = 0; k < pl->n; k++)
            fprintf(a.f, ",%.17g", r->x[(size_t)i * (size_t)pl->n + (size_t)k]);
        fprintf(a.f, ",%d", s->status == RX_OK);
        rx_csv_text(a.f, 0, s->status == RX_OK ? "solved" : rx_status_str(s->status));
        fprintf(a.f, ",%d", s->iterations);
        for (int m = 0; m < pl->nmetrics; m++)
            rx_csv_num(a.f, rx_target_shown(&pl->metric[m], s->value[m]));
        if (pl->has_targets)
            fprintf(a.f, s->status == RX_OK ? ",%d" : ",", s->all_met);
        if (pl->costed)
            rx_csv_num(a.f, s->cost_per_kg);
        fputc('\n', a.f);
    }
    return rx_atomic_close(&a, err);
}

/* One row of uncertainty.csv. */
static void pct_row(FILE *f, const char *what, const char *unit, double nominal, const double *pct, int n,
                    const RxTarget *t)
{
    rx_csv_text(f, 1, what);
    rx_csv_text(f, 0, unit);
    rx_csv_num(f, t ? rx_target_shown(t, nominal) : nominal);
    for (int q = 0; q < RX_UNC_NPCT; q++)
        rx_csv_num(f, t ? rx_target_shown(t, pct[q]) : pct[q]);
    fprintf(f, ",%d\n", n);
}

int rx_output_uncertainty_csv(const RxOutputs *o, const char *path, RxError *err)
{
    const RxUncResult *r = o->uncertainty;
    const RxUncPlan *pl = r->plan;
    RxAtomicFile a;
    int rc = rx_atomic_open(&a, path, err);
    if (rc != RX_OK)
        return rc;
    fputs("quantity,unit,nominal,P5,P50,P95,samples [-]\n", a.f);
    for (int m = 0; m < pl->nmetrics; m++)
        pct_row(a.f, pl->metric[m].label, rx_target_unit(&pl->metric[m]), r->nominal_m.value[m], r->pct[m],
                r->nvalid[m], &pl->metric[m]);
    if (pl->costed)
        pct_row(a.f, "cost", "USD/kg REO", r->nominal_m.cost_per_kg, r->pct[RX_UNC_MAX_METRICS],
                r->nvalid[RX_UNC_MAX_METRICS], NULL);
    return rx_atomic_close(&a, err);
}

static void json_inputs(cJSON *root, const RxUncPlan *pl)
{
    cJSON *in = cJSON_AddArrayToObject(root, "inputs");
    for (int k = 0; k < pl->n; k++) {
        const RxUncInput *u = &pl->in[k];
        cJSON *q = cJSON_CreateObject();
        cJSON_AddItemToArray(in, q);
        cJSON_AddStringToObject(q, "name", u->name);
        cJSON_AddStringToObject(q, "distribution", u->kind != RX_UNC_CONSTANT ? "normal, redrawn below 0"
                                                   : u->ratio                  ? "log-normal (log10 normal)"
                                                                               : "normal");
        rx_json_num(q, "nominal", u->nominal);
        rx_json_num(q, u->kind == RX_UNC_CONSTANT ? "sd_log10" : u->kind == RX_UNC_FLOW ? "sd_L_per_h" : "sd_mol_per_L",
                    u->sd);
        cJSON_AddStringToObject(q, "sd_from", u->source);
    }
    cJSON_AddNumberToObject(root, "correlations", pl->ncorr);
}

static void json_metrics(cJSON *root, const RxUncResult *r)
{
    const RxUncPlan *pl = r->plan;
    cJSON *ms = cJSON_AddArrayToObject(root, "percentiles");
    for (int m = 0; m <= pl->nmetrics; m++) {
        int cost = m == pl->nmetrics, row = cost ? RX_UNC_MAX_METRICS : m;
        if (cost && !pl->costed)
            break;
        const RxTarget *t = cost ? NULL : &pl->metric[m];
        cJSON *q = cJSON_CreateObject();
        cJSON_AddItemToArray(ms, q);
        cJSON_AddStringToObject(q, "quantity", cost ? "cost" : t->label);
        cJSON_AddStringToObject(q, "unit", cost ? "USD/kg REO" : rx_target_unit(t));
        rx_json_num(q, "nominal", cost ? r->nominal_m.cost_per_kg : rx_target_shown(t, r->nominal_m.value[m]));
        for (int k = 0; k < RX_UNC_NPCT; k++)
            rx_json_num(q, pct_names[k], cost ? r->pct[row][k] : rx_target_shown(t, r->pct[row][k]));
        cJSON_AddNumberToObject(q, "samples", r->nvalid[row]);
    }
}

int rx_output_uncertainty_json(const RxOutputs *o, const char *path, RxError *err)
{
    const RxUncResult *r = o->uncertainty;
    cJSON *root = rx_json_plant(o->plant);
    if (!root)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    cJSON_AddNumberToObject(root, "seed", (double)r->seed);
    cJSON_AddNumberToObject(root, "samples", r->n);
    cJSON_AddNumberToObject(root, "solved", r->solved);
    cJSON_AddNumberToObject(root, "not_solved", r->n - r->solved);
    cJSON_AddNumberToObject(root, "threads", r->threads);
    rx_json_num(root, "seconds", r->seconds);
    json_inputs(root, r->plan);
    if (r->plan->has_targets) {
        cJSON_AddNumberToObject(root, "all_targets_met", r->met);
        rx_json_num(root, "probability_all_met", r->p_met);
        rx_json_num(root, "probability_all_met_se", r->p_met_se);
        cJSON_AddBoolToObject(root, "nominal_meets_all", r->nominal_m.all_met);
    }
    json_metrics(root, r);
    return rx_write_json(root, path, err);
}
