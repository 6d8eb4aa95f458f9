/*
 * output/summary.c - summary.json of a steady state: the plant, solver
 * statistics, mass-balance closure, reagents and each product's purity,
 * recovery, reagent use per kg and composition.
 */
#include "output/writer.h"

#include <math.h>

static void json_sections(cJSON *root, const RxPlant *p)
{
    cJSON *secs = cJSON_AddArrayToObject(root, "sections");
    for (int i = 0; i < p->nsections; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", p->sections[i].name);
        cJSON_AddNumberToObject(o, "first_stage", p->sections[i].first + 1);
        cJSON_AddNumberToObject(o, "stages", p->sections[i].count);
        cJSON_AddItemToArray(secs, o);
    }
}

static void json_solver(cJSON *root, const RxPlant *p, const RxSolution *s, double seconds)
{
    cJSON *sol = cJSON_AddObjectToObject(root, "solver");
    cJSON_AddBoolToObject(sol, "converged", 1);
    cJSON_AddNumberToObject(sol, "iterations", s->iterations);
    cJSON_AddNumberToObject(sol, "stage_solve_iterations", s->stage_iterations);
    rx_json_num(sol, "max_abs_ln_residual", s->residual);
    rx_json_num(sol, "max_mass_balance_closure", s->max_closure);
    rx_json_num(sol, "seconds", seconds);
    cJSON *cl = cJSON_AddObjectToObject(root, "mass_balance_closure");
    for (int j = 0; j < p->nsp; j++)
        rx_json_num(cl, rx_plant_element(p, j)->sym, s->closure[j]);
}

/* The reagents object; *acid_kg and *base_kg [kg/h] (NaN without their
 * molar mass) for the per-product figures. */
static void json_reagents(cJSON *root, const RxPlant *p, double *acid_kg, double *base_kg)
{
    double acid, base;
    rx_reagents(p, &acid, &base);
    const RxElement *hcl = rx_elements_find(p->elements, "HCl");
    const RxElement *bse = rx_elements_find(p->elements, rx_base_formula(p));
    *acid_kg = hcl ? acid * hcl->molar_mass / G_PER_KG : NAN;
    *base_kg = bse ? base * bse->molar_mass / G_PER_KG : NAN;
    cJSON *rg = cJSON_AddObjectToObject(root, "reagents");
    rx_json_num(rg, "acid_HCl_mol_h", acid);
    rx_json_num(rg, "acid_HCl_kg_h", *acid_kg);
    cJSON_AddStringToObject(rg, "base", p->base_name);
    cJSON_AddStringToObject(rg, "base_costed_as", rx_base_formula(p));
    rx_json_num(rg, "base_mol_h", base);
    rx_json_num(rg, "base_kg_h", *base_kg);
}

/* Product i, appended to prods; the status of its report. */
static int json_product(cJSON *prods, const RxPlant *p, const RxSolution *s, int i, double acid_kg,
                        double base_kg, RxError *err)
{
    RxProductReport r;
    int rc = rx_product_report(p, s, i, &r, err);
    if (rc != RX_OK)
        return rc;
    RxStream st;
    rx_outlet(p, s, p->products[i].stream, &st);
    cJSON *o = rx_json_product(p, i);
    rx_json_num(o, "flow_L_h", r.flow);
    rx_json_num(o, "REO_g_h", r.reo);
    rx_json_num(o, "target_REO_g_h", r.target_reo);
    rx_json_num(o, "purity_pct_REO", r.purity);
    rx_json_num(o, "recovery_pct", r.recovery);
    double kg = r.target_reo / G_PER_KG;
    rx_json_num(o, "acid_kg_per_kg_product", kg > 0 ? acid_kg / kg : NAN);
    rx_json_num(o, "base_kg_per_kg_product", kg > 0 ? base_kg / kg : NAN);
    cJSON *comp = cJSON_AddObjectToObject(o, "composition_g_L");
    for (int j = 0; j < p->nsp; j++)
        rx_json_num(comp, rx_plant_element(p, j)->sym, st.c[j] * rx_plant_element(p, j)->molar_mass);
    cJSON_AddItemToArray(prods, o);
    return RX_OK;
}

int rx_write_summary_json(const RxPlant *p, const RxSolution *s, double seconds, const char *path, RxError *err)
{
    cJSON *root = rx_json_plant(p);
    if (!root)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    cJSON_AddStringToObject(root, "extractant", p->extractant);
    rx_json_num(root, "extractant_mol_L", p->extractant_conc);
    rx_json_num(root, "saponification_pct", PERCENT * p->saponification);
    cJSON_AddNumberToObject(root, "stages", s->N);
    json_sections(root, p);
    json_solver(root, p, s, seconds);
    rx_json_num(root, "raffinate_pH", rx_ph_of(s->h[0]));
    double acid_kg, base_kg;
    json_reagents(root, p, &acid_kg, &base_kg);
    cJSON *prods = cJSON_AddArrayToObject(root, "products");
    for (int i = 0; i < p->nproducts; i++)
        if (json_product(prods, p, s, i, acid_kg, base_kg, err) != RX_OK) {
            cJSON_Delete(root);
            return err ? err->code : RX_BAD_INPUT;
        }
    return rx_write_json(root, path, err);
}

int rx_output_summary(const RxOutputs *o, const char *path, RxError *err)
{
    return rx_write_summary_json(o->plant, o->solution, o->seconds, path, err);
}
