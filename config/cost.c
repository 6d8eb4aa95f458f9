/*
 * config/cost.c - the cost group: prices, staffing and financial settings
 * that replace rows of models/data/costs.tsv.
 */
#include "config/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int cost_set(const RxCfg *c, const config_setting_t *m, const char *key, double v)
{
    RxCostSpec *cs = &c->p->cost;
    if (cs->n == RX_MAX_COST_OVERRIDES)
        return rx_cfg_fail(c, m, "too many cost settings (at most %d)", RX_MAX_COST_OVERRIDES);
    snprintf(cs->key[cs->n], sizeof cs->key[cs->n], "%s", key);
    cs->value[cs->n++] = v;
    return RX_OK;
}

static const RxUnit per_t[] = {{"USD/t", 1.0}, {"USD/kg", 1000.0}, {NULL, 0}};
static const RxUnit per_kg[] = {{"USD/kg", 1.0}, {"USD/t", 1e-3}, {NULL, 0}};
static const RxUnit per_gal[] = {{"USD/gal", 1.0}, {"USD/L", RX_L_PER_GAL}, {NULL, 0}};
static const RxUnit per_kwh[] = {{"USD/kWh", 1.0}, {"USD/MWh", 1e-3}, {NULL, 0}};
static const RxUnit years[] = {{"yr", 1.0}, {NULL, 0}};
static const RxUnit kw_m3[] = {{"kW/m3", 1.0}, {NULL, 0}};
static const RxUnit h_yr[] = {{"h/yr", 1.0}, {NULL, 0}};

/* One price m of cost.prices: a reagent, the extractant, the diluent, power
 * or a rare earth (per kg of its oxide), each in its units. */
static int read_price(const RxCfg *c, const config_setting_t *m)
{
    const RxPlant *p = c->p;
    const char *name = config_setting_name(m), *key = name;
    const RxUnit *u;
    const char *example;
    const RxElement *e = rx_elements_find(p->elements, name);
    int rc;
    if (!strcmp(name, "HCl") || !strcmp(name, "NaOH") || !strcmp(name, "NH3"))
        u = per_t, example = "250 USD/t";
    else if (!strcmp(name, "extractant"))
        u = per_kg, example = "15 USD/kg", key = p->extractant[0] ? p->extractant : "extractant";
    else if (!strcmp(name, "diluent"))
        u = per_gal, example = "2.7 USD/gal", key = "kerosene";
    else if (!strcmp(name, "power"))
        u = per_kwh, example = "0.08 USD/kWh";
    else if (e && e->is_ree)
        u = per_kg, example = "110 USD/kg";
    else
        return rx_cfg_fail(c, m, "'%s' has no price here (use HCl, NaOH, NH3, extractant, diluent, power or a "
                                 "rare earth, priced per kg of its oxide)", name);
    double v;
    if ((rc = rx_cfg_get_quantity(c, m, u, example, &v)) != RX_OK)
        return rc;
    if (!(v >= 0))
        return rx_cfg_fail(c, m, "a price cannot be negative");
    return cost_set(c, m, key, v);
}

/* Staffing, financial and power settings of group g. */
static int read_factors(const RxCfg *c, const config_setting_t *g)
{
    const config_setting_t *m;
    int rc;
    if ((m = rx_cfg_member(g, "operators_per_shift"))) {
        long long n;
        if ((rc = rx_cfg_get_integer(c, g, "operators_per_shift", &m, &n)) != RX_OK)
            return rc;
        if (n < 0 || n > 1000)
            return rx_cfg_fail(c, m, "%lld operators: need 0 to 1000", n);
        if ((rc = cost_set(c, m, "operators_per_shift", (double)n)) != RX_OK)
            return rc;
    }
    struct {
        const char *name;
        const RxUnit *u;
        const char *example;
        double lo, hi;
    } q[] = {{"discount_rate", rx_cfg_percent_units, "8 %", 0, 1},
             {"plant_life", years, "20 yr", 1, 100},
             {"mixer_power", kw_m3, "1 kW/m3", 0, 100},
             {"operating_hours", h_yr, "8064 h/yr", 1, 8784}};
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        double v;
        if (!(m = rx_cfg_member(g, q[i].name)))
            continue;
        if ((rc = rx_cfg_get_quantity(c, m, q[i].u, q[i].example, &v)) != RX_OK)
            return rc;
        if (q[i].u == years && v != floor(v))
            return rx_cfg_fail(c, m, "%g yr: give whole years", v);
        double k = q[i].u == rx_cfg_percent_units ? PERCENT : 1; /* shown in the unit it is written in */
        if (!(v >= q[i].lo && v <= q[i].hi))
            return rx_cfg_fail(c, m, "%s %s: must be %g to %g %s",
                               rx_fmt_beyond((char[RX_NUM_LEN]){0}, v * k, (v < q[i].lo ? q[i].lo : q[i].hi) * k),
                               q[i].u[0].unit, q[i].lo * k, q[i].hi * k, q[i].u[0].unit);
        if ((rc = cost_set(c, m, q[i].name, v)) != RX_OK)
            return rc;
    }
    return RX_OK;
}

/* The cost group: prices and factors that replace models/data/costs.tsv rows. */
int rx_cfg_read_cost(const RxCfg *c, const config_setting_t *root)
{
    static const char *const keys[] = {"prices", "operators_per_shift", "discount_rate", "plant_life",
                                       "mixer_power", "operating_hours", NULL};
    const config_setting_t *g = rx_cfg_member(root, "cost");
    if (!g)
        return RX_OK;
    if (!config_setting_is_group(g))
        return rx_cfg_fail(c, g, "expected a group { prices = { ... }; ... }");
    int rc = rx_cfg_check_keys(c, g, keys);
    if (rc != RX_OK)
        return rc;
    c->p->cost.present = 1;
    const config_setting_t *pr = rx_cfg_member(g, "prices");
    if (pr && !config_setting_is_group(pr))
        return rx_cfg_fail(c, pr, "expected a group of name = \"<price> <unit>\" entries");
    for (int i = 0; pr && i < config_setting_length(pr); i++)
        if ((rc = read_price(c, config_setting_get_elem(pr, (unsigned)i))) != RX_OK)
            return rc;
    return read_factors(c, g);
}
