/*
 * output/dynamics.c - the files simulate writes: timeseries.csv (every
 * output row), summary.json (integrator statistics, inventory balance,
 * settling times, the scheduled events) and, through the solver's writer,
 * final.state.
 */
#include "output/writer.h"

#include "core/fileio.h"
#include "core/interrupt.h"

#include <math.h>

int rx_write_timeseries_csv(const RxSimResult *r, const char *path, RxError *err)
{
    RxAtomicFile a;
    int rc = rx_atomic_open(&a, path, err);
    if (rc != RX_OK)
        return rc;
    for (int c = 0; c < r->ncols; c++)
        rx_csv_text(a.f, c == 0, r->header[c]); /* they hold the product names */
    fputs("\n", a.f);
    for (int i = 0; i < r->nrows; i++) {
        const double *row = r->rows + (size_t)i * (size_t)r->ncols;
        fprintf(a.f, "%.10g", row[0]);
        for (int c = 1; c < r->ncols; c++)
            rx_csv_num(a.f, row[c]);
        fputs("\n", a.f);
    }
    return rx_atomic_close(&a, err);
}

static void json_integrator(cJSON *root, const RxPlant *p, const RxSimResult *r)
{
    cJSON *st = cJSON_AddObjectToObject(root, "integrator");
    cJSON_AddStringToObject(st, "method", "CVODES BDF, Newton, block-tridiagonal linear solver (settler tanks eliminated)");
    cJSON_AddNumberToObject(st, "steps", (double)r->steps);
    cJSON_AddNumberToObject(st, "rhs_evaluations", (double)r->rhs_evals);
    cJSON_AddNumberToObject(st, "jacobian_evaluations", (double)r->jac_evals);
    rx_json_num(st, "rtol", p->dynamics.rtol);
    rx_json_num(st, "atol_mol_L", p->dynamics.atol);
    rx_json_num(st, "seconds", r->seconds);
}

/* Per element: fed, left and holdups, and how far they are from balancing. */
static void json_inventory(cJSON *root, const RxPlant *p, const RxSimResult *r)
{
    cJSON *bal = cJSON_AddObjectToObject(root, "inventory_balance_mol");
    for (int j = 0; j < p->nsp; j++) {
        cJSON *o = cJSON_AddObjectToObject(bal, rx_plant_element(p, j)->sym);
        rx_json_num(o, "fed", r->fed[j]);
        rx_json_num(o, "left", r->left[j]);
        rx_json_num(o, "holdup_start", r->holdup0[j]);
        rx_json_num(o, "holdup_end", r->holdup[j]);
        double scale = fmax(r->fed[j], fmax(r->holdup0[j], r->holdup[j]));
        rx_json_num(o, "relative_error", scale > 0 ? (r->fed[j] - r->left[j] - (r->holdup[j] - r->holdup0[j])) / scale : 0);
    }
}

/* Each product at the last row, and when its purity settled. */
static void json_products(cJSON *root, const RxPlant *p, const RxSimResult *r)
{
    cJSON *prods = cJSON_AddArrayToObject(root, "products");
    const double *last = r->rows + (size_t)(r->nrows - 1) * (size_t)r->ncols;
    for (int i = 0; i < p->nproducts; i++) {
        cJSON *o = rx_json_product(p, i);
        int col = 1 + i * (3 + p->nsp); /* the timeseries.csv columns: flow, purity, recovery, composition */
        rx_json_num(o, "flow_L_h", last[col]);
        rx_json_num(o, "purity_pct_REO", last[col + 1]);
        rx_json_num(o, "recovery_pct", last[col + 2]);
        rx_json_num(o, "purity_settled_1pct_h", r->settle_1pct[i]);
        rx_json_num(o, "purity_settled_0.1pct_h", r->settle_01pct[i]);
        cJSON_AddItemToArray(prods, o);
    }
}

/* The scheduled events, each with only what it sets (the rest of the feed
 * stays as it was). */
static void json_events(cJSON *root, const RxPlant *p)
{
    cJSON *evs = cJSON_AddArrayToObject(root, "events");
    for (int i = 0; evs && i < p->dynamics.nevents; i++) {
        const RxEvent *e = &p->dynamics.events[i];
        cJSON *o = cJSON_CreateObject();
        if (!o)
            return;
        rx_json_num(o, "time_h", e->time);
        cJSON_AddStringToObject(o, "stream", e->feed >= 0 && e->feed < p->nfeeds ? p->feeds[e->feed].name : "");
        if (e->sets & RX_SETS_FLOW)
            rx_json_num(o, "flow_L_h", e->state.flow);
        if (e->sets & RX_SETS_ACID) /* the free acid, as "pH 2" or "3 mol/L" gave it */
            rx_json_num(o, "acid_mol_L", e->state.h);
        if (e->sets & RX_SETS_COMPOSITION) { /* the elements it names; the others are 0 */
            cJSON *c = cJSON_AddObjectToObject(o, "composition_g_L");
            for (int k = 0; c && k < e->state.norder; k++) {
                int j = rx_plant_species_of_element(p, e->state.order[k]); /* order: element-table rows */
                if (j >= 0 && j < p->nsp)
                    rx_json_num(c, rx_plant_element(p, j)->sym, e->state.c[j] * rx_plant_element(p, j)->molar_mass);
            }
        }
        if (e->sets & RX_SETS_SAPONIFICATION)
            rx_json_num(o, "saponification_pct", e->state.sap * PERCENT);
        cJSON_AddItemToArray(evs, o);
    }
}

int rx_write_sim_summary_json(const RxPlant *p, const RxSimResult *r, const char *path, RxError *err)
{
    return rx_write_sim_summary_run(p, r, NULL, path, err);
}

int rx_write_sim_summary_run(const RxPlant *p, const RxSimResult *r, const char *run_id, const char *path,
                             RxError *err)
{
    cJSON *root = rx_json_plant(p);
    if (!root)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    if (run_id) /* the same id as final.state's first line */
        cJSON_AddStringToObject(root, "run_id", run_id);
    cJSON_AddBoolToObject(root, "completed", r->completed);
    if (r->interrupted) { /* stopped by a signal: what was computed up to t_end_h */
        cJSON_AddBoolToObject(root, "partial", 1);
        cJSON_AddStringToObject(root, "interrupted_by", rx_signal_name(r->interrupted));
    }
    rx_json_num(root, "horizon_h", p->dynamics.horizon);
    rx_json_num(root, "t_end_h", r->t_end);
    json_integrator(root, p, r);
    json_inventory(root, p, r);
    json_products(root, p, r);
    json_events(root, p);
    return rx_write_json(root, path, err);
}

int rx_output_timeseries(const RxOutputs *o, const char *path, RxError *err)
{
    return rx_write_timeseries_csv(o->sim, path, err);
}

int rx_output_state(const RxOutputs *o, const char *path, RxError *err)
{
    return rx_write_state_run(o->plant, o->sim, o->run_id, path, err);
}

int rx_output_sim_summary(const RxOutputs *o, const char *path, RxError *err)
{
    return rx_write_sim_summary_run(o->plant, o->sim, o->run_id, path, err);
}
