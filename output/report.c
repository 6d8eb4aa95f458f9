/*
 * report.c - what a solved circuit means to an engineer: outlet streams,
 * product purity and recovery, reagent use, and the output files
 * (stages.csv, streams.csv, summary.json), each written atomically.
 */
#include "output/output.h"

#include "core/fileio.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PERCENT 100.0
#define G_PER_KG 1000.0

/* A CSV number: finite values only; a non-finite one becomes an empty field. */
static void csv_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, ",%.10g", v);
    else
        fputs(",", f);
}

static double ph_of(double h)
{
    return h > 0 ? -log10(h) + 0.0 : NAN; /* + 0.0: no "-0" */
}

static const char *section_of(const RxPlant *p, int k)
{
    for (int i = 0; i < p->nsections; i++)
        if (k >= p->sections[i].first && k < p->sections[i].first + p->sections[i].count)
            return p->sections[i].name;
    return "";
}

int rx_write_stages_csv(const RxPlant *p, const RxSolution *s, const char *path, RxError *err)
{
    RxAtomicFile a;
    int rc = rx_atomic_open(&a, path, err);
    if (rc != RX_OK)
        return rc;
    FILE *f = a.f;
    int M = s->M;
    fputs("stage,section,aqueous flow [L/h],organic flow [L/h],pH [-],free extractant (HA)2 [mol/L],loading [%]", f);
    for (int j = 0; j < M; j++)
        fprintf(f, ",%s aq [g/L],%s org [g/L]", rx_plant_element(p, j)->sym, rx_plant_element(p, j)->sym);
    fputs("\n", f);
    for (int k = 0; k < s->N; k++) {
        fprintf(f, "%d,%s", k + 1, section_of(p, k));
        csv_num(f, s->A[k]);
        csv_num(f, s->O[k]);
        csv_num(f, ph_of(s->h[k]));
        double load = 0;
        for (int j = 0; j < M; j++)
            load += 2.0 * p->charge[j] * s->y[k * M + j];
        csv_num(f, s->d[k]);
        csv_num(f, p->extractant_conc > 0 ? PERCENT * load / p->extractant_conc : NAN);
        for (int j = 0; j < M; j++) {
            double mm = rx_plant_element(p, j)->molar_mass;
            csv_num(f, s->x[k * M + j] * mm);
            csv_num(f, s->y[k * M + j] * mm);
        }
        fputs("\n", f);
    }
    return rx_atomic_close(&a, err);
}

static void stream_row(FILE *f, const RxPlant *p, const char *kind, const char *name, int phase, int stage,
                       double flow, const double *c, double h)
{
    fprintf(f, "%s,%s,%s,%d", kind, name, phase == RX_AQ ? "aqueous" : "organic", stage + 1);
    csv_num(f, flow);
    csv_num(f, phase == RX_AQ ? ph_of(h) : NAN);
    double reo = 0;
    for (int j = 0; j < p->nsp; j++) {
        const RxElement *e = rx_plant_element(p, j);
        csv_num(f, c[j] * e->molar_mass);
        if (e->is_ree)
            reo += c[j] * e->molar_mass * rx_element_oxide_factor(e, p->elements->oxygen_mass);
    }
    csv_num(f, reo);
    fputs("\n", f);
}

int rx_write_streams_csv(const RxPlant *p, const RxSolution *s, const char *path, RxError *err)
{
    RxAtomicFile a;
    int rc = rx_atomic_open(&a, path, err);
    if (rc != RX_OK)
        return rc;
    FILE *f = a.f;
    fputs("kind,name,phase,stage,flow [L/h],pH [-]", f);
    for (int j = 0; j < p->nsp; j++)
        fprintf(f, ",%s [g/L]", rx_plant_element(p, j)->sym);
    fputs(",REO [g/L]\n", f);
    for (int i = 0; i < p->nfeeds; i++) {
        const RxFeed *fd = &p->feeds[i];
        stream_row(f, p, "feed", fd->name, fd->phase, fd->stage, fd->flow, fd->c, fd->h);
    }
    int n = 2 + p->ndraws;
    RxStream *out = calloc((size_t)n, sizeof *out);
    if (!out) {
        fclose(a.f);
        unlink(a.tmp);
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    }
    n = rx_outlets(p, s, out, n);
    for (int i = 0; i < n; i++)
        stream_row(f, p, "outlet", out[i].name, out[i].phase, out[i].stage, out[i].flow, out[i].c, out[i].h);
    free(out);
    return rx_atomic_close(&a, err);
}

/* cJSON number that is never NaN: non-finite values become null. */
static void json_num(cJSON *o, const char *k, double v)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

/* Print root (and free it) into path, atomically. */
static int write_json(cJSON *root, const char *path, RxError *err)
{
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    RxAtomicFile a;
    int rc = rx_atomic_open(&a, path, err);
    if (rc == RX_OK) {
        fputs(text, a.f);
        fputs("\n", a.f);
        rc = rx_atomic_close(&a, err);
    }
    free(text);
    return rc;
}

/* A summary's first keys: which plant, which model. */
static cJSON *json_plant(const RxPlant *p)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    cJSON_AddStringToObject(root, "config", p->path);
    cJSON_AddStringToObject(root, "title", p->title);
    cJSON_AddStringToObject(root, "model", rx_plant_model_name(p));
    return root;
}

int rx_write_summary_json(const RxPlant *p, const RxSolution *s, double seconds, const char *path, RxError *err)
{
    cJSON *root = json_plant(p);
    if (!root)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    cJSON_AddStringToObject(root, "extractant", p->extractant);
    json_num(root, "extractant_mol_L", p->extractant_conc);
    json_num(root, "saponification_pct", PERCENT * p->saponification);
    cJSON_AddNumberToObject(root, "stages", s->N);
    cJSON *secs = cJSON_AddArrayToObject(root, "sections");
    for (int i = 0; i < p->nsections; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", p->sections[i].name);
        cJSON_AddNumberToObject(o, "first_stage", p->sections[i].first + 1);
        cJSON_AddNumberToObject(o, "stages", p->sections[i].count);
        cJSON_AddItemToArray(secs, o);
    }
    cJSON *sol = cJSON_AddObjectToObject(root, "solver");
    cJSON_AddBoolToObject(sol, "converged", 1);
    cJSON_AddNumberToObject(sol, "iterations", s->iterations);
    cJSON_AddNumberToObject(sol, "stage_solve_iterations", s->stage_iterations);
    json_num(sol, "max_abs_ln_residual", s->residual);
    json_num(sol, "max_mass_balance_closure", s->max_closure);
    json_num(sol, "seconds", seconds);
    cJSON *cl = cJSON_AddObjectToObject(root, "mass_balance_closure");
    for (int j = 0; j < p->nsp; j++)
        json_num(cl, rx_plant_element(p, j)->sym, s->closure[j]);
    json_num(root, "raffinate_pH", ph_of(s->h[0]));
    double acid, base;
    rx_reagents(p, &acid, &base);
    const RxElement *hcl = rx_elements_find(p->elements, "HCl");
    const RxElement *bse = rx_elements_find(p->elements, rx_base_formula(p));
    double acid_kg = hcl ? acid * hcl->molar_mass / G_PER_KG : NAN;
    double base_kg = bse ? base * bse->molar_mass / G_PER_KG : NAN;
    cJSON *rg = cJSON_AddObjectToObject(root, "reagents");
    json_num(rg, "acid_HCl_mol_h", acid);
    json_num(rg, "acid_HCl_kg_h", acid_kg);
    cJSON_AddStringToObject(rg, "base", p->base_name);
    cJSON_AddStringToObject(rg, "base_costed_as", rx_base_formula(p));
    json_num(rg, "base_mol_h", base);
    json_num(rg, "base_kg_h", base_kg);
    cJSON *prods = cJSON_AddArrayToObject(root, "products");
    for (int i = 0; i < p->nproducts; i++) {
        RxProductReport r;
        if (rx_product_report(p, s, i, &r, err) != RX_OK) {
            cJSON_Delete(root);
            return err ? err->code : RX_BAD_INPUT;
        }
        RxStream st;
        rx_outlet(p, s, p->products[i].stream, &st);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", p->products[i].name);
        cJSON_AddStringToObject(o, "stream", p->products[i].stream);
        cJSON *t = cJSON_AddArrayToObject(o, "targets");
        for (int k = 0; k < p->products[i].ntargets; k++)
            cJSON_AddItemToArray(t, cJSON_CreateString(rx_plant_element(p, p->products[i].targets[k])->sym));
        json_num(o, "flow_L_h", r.flow);
        json_num(o, "REO_g_h", r.reo);
        json_num(o, "target_REO_g_h", r.target_reo);
        json_num(o, "purity_pct_REO", r.purity);
        json_num(o, "recovery_pct", r.recovery);
        double kg = r.target_reo / G_PER_KG;
        json_num(o, "acid_kg_per_kg_product", kg > 0 ? acid_kg / kg : NAN);
        json_num(o, "base_kg_per_kg_product", kg > 0 ? base_kg / kg : NAN);
        cJSON *comp = cJSON_AddObjectToObject(o, "composition_g_L");
        for (int j = 0; j < p->nsp; j++)
            json_num(comp, rx_plant_element(p, j)->sym, st.c[j] * rx_plant_element(p, j)->molar_mass);
        cJSON_AddItemToArray(prods, o);
    }
    return write_json(root, path, err);
}

/* ---- dynamics outputs ---------------------------------------------------- */

int rx_write_timeseries_csv(const RxSimResult *r, const char *path, RxError *err)
{
    RxAtomicFile a;
    int rc = rx_atomic_open(&a, path, err);
    if (rc != RX_OK)
        return rc;
    for (int c = 0; c < r->ncols; c++)
        fprintf(a.f, "%s%s", c ? "," : "", r->header[c]);
    fputs("\n", a.f);
    for (int i = 0; i < r->nrows; i++) {
        const double *row = r->rows + (size_t)i * (size_t)r->ncols;
        fprintf(a.f, "%.10g", row[0]);
        for (int c = 1; c < r->ncols; c++)
            csv_num(a.f, row[c]);
        fputs("\n", a.f);
    }
    return rx_atomic_close(&a, err);
}

int rx_write_sim_summary_json(const RxPlant *p, const RxSimResult *r, const char *path, RxError *err)
{
    cJSON *root = json_plant(p);
    if (!root)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    cJSON_AddBoolToObject(root, "completed", r->completed);
    json_num(root, "horizon_h", p->dynamics.horizon);
    json_num(root, "t_end_h", r->t_end);
    cJSON *st = cJSON_AddObjectToObject(root, "integrator");
    cJSON_AddStringToObject(st, "method", "CVODES BDF, Newton, block-tridiagonal linear solver (settler tanks eliminated)");
    cJSON_AddNumberToObject(st, "steps", (double)r->steps);
    cJSON_AddNumberToObject(st, "rhs_evaluations", (double)r->rhs_evals);
    cJSON_AddNumberToObject(st, "jacobian_evaluations", (double)r->jac_evals);
    json_num(st, "rtol", p->dynamics.rtol);
    json_num(st, "atol_mol_L", p->dynamics.atol);
    json_num(st, "seconds", r->seconds);
    cJSON *bal = cJSON_AddObjectToObject(root, "inventory_balance_mol");
    for (int j = 0; j < p->nsp; j++) {
        cJSON *o = cJSON_AddObjectToObject(bal, rx_plant_element(p, j)->sym);
        json_num(o, "fed", r->fed[j]);
        json_num(o, "left", r->left[j]);
        json_num(o, "holdup_start", r->holdup0[j]);
        json_num(o, "holdup_end", r->holdup[j]);
        double scale = fmax(r->fed[j], fmax(r->holdup0[j], r->holdup[j]));
        json_num(o, "relative_error", scale > 0 ? (r->fed[j] - r->left[j] - (r->holdup[j] - r->holdup0[j])) / scale : 0);
    }
    cJSON *prods = cJSON_AddArrayToObject(root, "products");
    const double *last = r->rows + (size_t)(r->nrows - 1) * (size_t)r->ncols;
    for (int i = 0; i < p->nproducts; i++) {
        cJSON *o = cJSON_CreateObject();
        int col = 1 + i * (3 + p->nsp);
        cJSON_AddStringToObject(o, "name", p->products[i].name);
        json_num(o, "flow_L_h", last[col]);
        json_num(o, "purity_pct_REO", last[col + 1]);
        json_num(o, "recovery_pct", last[col + 2]);
        json_num(o, "purity_settled_1pct_h", r->settle_1pct[i]);
        json_num(o, "purity_settled_0.1pct_h", r->settle_01pct[i]);
        cJSON_AddItemToArray(prods, o);
    }
    return write_json(root, path, err);
}

/* ---- design outputs ----------------------------------------------------- */

int rx_write_text(const char *text, const char *path, RxError *err)
{
    RxAtomicFile a;
    int rc = rx_atomic_open(&a, path, err);
    if (rc != RX_OK)
        return rc;
    fputs(text, a.f);
    return rx_atomic_close(&a, err);
}

int rx_write_candidates_csv(const RxPlant *p, const RxDesignResult *r, int pareto_only, const char *path,
                            RxError *err)
{
    const RxDesignSpec *d = &p->design;
    RxAtomicFile a;
    int rc = rx_atomic_open(&a, path, err);
    if (rc != RX_OK)
        return rc;
    FILE *f = a.f;
    fputs("candidate", f);
    for (int k = 0; k < d->nstage_vars; k++)
        fprintf(f, ",%s stages [-]", p->sections[d->stage_vars[k].section].name);
    fputs(",total stages [-]", f);
    for (int k = 0; k < d->nflow_vars; k++)
        fprintf(f, ",%s flow [L/h]", p->feeds[d->flow_vars[k].feed].name);
    fputs(",solved [-]", f);
    for (int t = 0; t < d->ntargets; t++)
        fprintf(f, ",%s [%%]", d->targets[t].label);
    fputs(",meets targets [-],reagents [kg HCl+base per kg REO fed],cost [USD/kg product REO],chosen [-]\n", f);
    int n = pareto_only ? r->npareto : r->n;
    for (int i = 0; i < n; i++) {
        int idx = pareto_only ? r->pareto[i] : i;
        const RxCandidate *c = &r->cand[idx];
        fprintf(f, "%d", idx + 1);
        for (int k = 0; k < d->nstage_vars; k++)
            fprintf(f, ",%d", c->stages[k]);
        if (c->status == RX_OK)
            fprintf(f, ",%d", c->total_stages);
        else
            fputs(",", f);
        for (int k = 0; k < d->nflow_vars; k++)
            csv_num(f, c->flows[k]);
        fprintf(f, ",%d", c->status == RX_OK);
        for (int t = 0; t < d->ntargets; t++)
            csv_num(f, PERCENT * c->achieved[t]);
        fprintf(f, ",%d", c->feasible);
        csv_num(f, c->reagents);
        csv_num(f, c->cost);
        fprintf(f, ",%d\n", idx == r->best);
    }
    return rx_atomic_close(&a, err);
}

/* ---- cost outputs -------------------------------------------------------- */

int rx_write_cost_json(const RxPlant *p, const char *name, const RxCostResult *c, const char *path, RxError *err)
{
    cJSON *root = p ? json_plant(p) : cJSON_CreateObject();
    if (root && !p)
        cJSON_AddStringToObject(root, "flowsheet", name ? name : "");
    if (!root)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    cJSON_AddNumberToObject(root, "cost_year", c->year);
    cJSON *cap = cJSON_AddObjectToObject(root, "capital_USD");
    json_num(cap, "equipment", c->bec);
    json_num(cap, "total_plant", c->tpc);
    json_num(cap, "solvent_first_fill", c->inventory);
    json_num(cap, "total_as_spent", c->tasc);
    cJSON *hold = cJSON_AddObjectToObject(root, "holdups_m3");
    json_num(hold, "mixers", c->mixer_m3);
    json_num(hold, "settlers", c->settler_m3);
    json_num(hold, "organic", c->organic_m3);
    cJSON *op = cJSON_AddObjectToObject(root, "operating_USD_per_yr");
    json_num(op, "acid", c->acid);
    json_num(op, "base", c->base);
    json_num(op, "solvent_loss", c->solvent_loss);
    json_num(op, "power", c->power);
    json_num(op, "labour", c->labour);
    json_num(op, "maintenance", c->maintenance);
    json_num(op, "taxes_insurance", c->taxes);
    json_num(op, "total", c->opex);
    json_num(root, "capital_charge_USD_per_yr", c->capital_charge);
    json_num(root, "revenue_USD_per_yr", c->revenue);
    json_num(root, "product_REO_kg_per_yr", c->product_kg);
    json_num(root, "cost_USD_per_kg_REO", c->cost_per_kg);
    json_num(root, "NPV_USD", c->npv);
    json_num(root, "operating_hours_per_yr", c->hours);
    json_num(root, "discount_rate", c->discount_rate);
    json_num(root, "plant_life_yr", c->life);
    cJSON *prods = cJSON_AddArrayToObject(root, "products");
    for (int i = 0; i < c->nproducts; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", c->prod_name[i]);
        json_num(o, "target_REO_kg_per_yr", c->prod_kg[i]);
        json_num(o, "revenue_USD_per_yr", c->prod_revenue[i]);
        json_num(o, "cost_USD_per_kg", c->prod_cost_per_kg[i]);
        cJSON_AddItemToArray(prods, o);
    }
    return write_json(root, path, err);
}

int rx_write_sensitivity_csv(const RxCostResult *c, const char *path, RxError *err)
{
    RxAtomicFile a;
    int rc = rx_atomic_open(&a, path, err);
    if (rc != RX_OK)
        return rc;
    fputs("input,base value,unit,cost at -20 % [USD/kg REO],cost at +20 % [USD/kg REO],NPV at -20 % [USD],"
          "NPV at +20 % [USD]\n",
          a.f);
    for (int i = 0; i < c->nsens; i++) {
        const RxSensitivity *s = &c->sens[i];
        fprintf(a.f, "%s", s->input);
        csv_num(a.f, s->base);
        fprintf(a.f, ",%s", s->unit);
        csv_num(a.f, s->cost_lo);
        csv_num(a.f, s->cost_hi);
        csv_num(a.f, s->npv_lo);
        csv_num(a.f, s->npv_hi);
        fputs("\n", a.f);
    }
    return rx_atomic_close(&a, err);
}
