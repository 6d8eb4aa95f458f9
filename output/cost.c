/*
 * output/cost.c - the files cost writes: cost.json (capital, operating
 * cost, revenue, cost per kg and NPV, per product) and sensitivity.csv (how
 * each input moves the cost and the NPV at -20 % and +20 %).
 */
#include "output/writer.h"

#include "core/fileio.h"

static void json_capital(cJSON *root, const RxCostResult *c)
{
    cJSON *cap = cJSON_AddObjectToObject(root, "capital_USD");
    rx_json_num(cap, "equipment", c->bec);
    rx_json_num(cap, "total_plant", c->tpc);
    rx_json_num(cap, "solvent_first_fill", c->inventory);
    rx_json_num(cap, "total_as_spent", c->tasc);
    cJSON *hold = cJSON_AddObjectToObject(root, "holdups_m3");
    rx_json_num(hold, "mixers", c->mixer_m3);
    rx_json_num(hold, "settlers", c->settler_m3);
    rx_json_num(hold, "organic", c->organic_m3);
}

static void json_operating(cJSON *root, const RxCostResult *c)
{
    cJSON *op = cJSON_AddObjectToObject(root, "operating_USD_per_yr");
    rx_json_num(op, "acid", c->acid);
    rx_json_num(op, "base", c->base);
    rx_json_num(op, "solvent_loss", c->solvent_loss);
    rx_json_num(op, "power", c->power);
    rx_json_num(op, "labour", c->labour);
    rx_json_num(op, "maintenance", c->maintenance);
    rx_json_num(op, "taxes_insurance", c->taxes);
    rx_json_num(op, "total", c->opex);
}

static void json_economics(cJSON *root, const RxCostResult *c)
{
    rx_json_num(root, "capital_charge_USD_per_yr", c->capital_charge);
    rx_json_num(root, "revenue_USD_per_yr", c->revenue);
    rx_json_num(root, "product_REO_kg_per_yr", c->product_kg);
    rx_json_num(root, "cost_USD_per_kg_REO", c->cost_per_kg);
    rx_json_num(root, "NPV_USD", c->npv);
    rx_json_num(root, "operating_hours_per_yr", c->hours);
    rx_json_num(root, "discount_rate", c->discount_rate);
    rx_json_num(root, "plant_life_yr", c->life);
    cJSON *prods = cJSON_AddArrayToObject(root, "products");
    for (int i = 0; i < c->nproducts; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", c->prod_name[i]);
        rx_json_num(o, "target_REO_kg_per_yr", c->prod_kg[i]);
        rx_json_num(o, "revenue_USD_per_yr", c->prod_revenue[i]);
        rx_json_num(o, "cost_USD_per_kg", c->prod_cost_per_kg[i]);
        cJSON_AddItemToArray(prods, o);
    }
}

int rx_write_cost_json(const RxPlant *p, const char *name, const RxCostResult *c, const char *path, RxError *err)
{
    cJSON *root = p ? rx_json_plant(p) : cJSON_CreateObject();
    if (root && !p)
        cJSON_AddStringToObject(root, "flowsheet", name ? name : "");
    if (!root)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    cJSON_AddNumberToObject(root, "cost_year", c->year);
    json_capital(root, c);
    json_operating(root, c);
    json_economics(root, c);
    return rx_write_json(root, path, err);
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
        rx_csv_text(a.f, 1, s->input);
        rx_csv_num(a.f, s->base);
        rx_csv_text(a.f, 0, s->unit);
        rx_csv_num(a.f, s->cost_lo);
        rx_csv_num(a.f, s->cost_hi);
        rx_csv_num(a.f, s->npv_lo);
        rx_csv_num(a.f, s->npv_hi);
        fputs("\n", a.f);
    }
    return rx_atomic_close(&a, err);
}

/* A flowsheet's cost is named by its file, a circuit's by its plant. */
int rx_output_cost(const RxOutputs *o, const char *path, RxError *err)
{
    return rx_write_cost_json(o->plant, o->plant ? NULL : o->flowsheet->path, o->cost, path, err);
}

int rx_output_sensitivity(const RxOutputs *o, const char *path, RxError *err)
{
    return rx_write_sensitivity_csv(o->cost, path, err);
}
