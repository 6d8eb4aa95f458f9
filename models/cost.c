/*
 * cost.c - capital and operating cost of a solved circuit (docs/cost.md).
 *
 *   stage cost  = C_ref (V/V_ref)^n x CEPCI(cost year)/CEPCI(basis year)
 *                 V: mixer + settler holdup of the stage
 *   TPC         = sum of stage costs x Lang factor
 *   TASC        = TPC x TASC factor + first fill of extractant and diluent
 *   OPEX        = acid + base + solvent lost by entrainment + mixer power
 *                 + labour + maintenance and taxes (shares of TPC)
 *   cost per kg = (OPEX + fixed charge rate x TASC) / kg target REO
 *   NPV         = -TASC + sum over the plant life of (revenue - OPEX)/(1+r)^t
 * The numbers and their sources are in models/data/costs.tsv; the plant's
 * cost group overrides them.
 */
#include "model.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define L_PER_M3 1000.0
#define G_PER_KG 1000.0
#define KG_PER_T 1000.0
#define SENS_LOW 0.8
#define SENS_HIGH 1.2

/* The values of costs.tsv (units as in its rows). */
typedef struct {
    double cost_year, cepci_now, cepci_basis, ms_cost, ms_basis_year, ms_volume_gal, ms_exponent;
    double lang, tasc, fcr, maintenance, taxes, hours, labour_rate, burden, operators, mixer_power;
    double discount, life, hcl, naoh, nh3, extractant, kerosene, power;
    double oxide[RX_MAX_SPECIES]; /* USD/kg oxide per plant species, NAN if none */
} CostData;

typedef struct {
    const char *key;
    size_t off;
} Field;

#define F(k, m) {k, offsetof(CostData, m)}
static const Field fields[] = {
    F("cost_year", cost_year),       F("mixer_settler_cost", ms_cost), F("mixer_settler_volume", ms_volume_gal),
    F("mixer_settler_exponent", ms_exponent), F("lang_factor", lang), F("tasc_factor", tasc),
    F("fixed_charge_rate", fcr),     F("maintenance", maintenance), F("taxes_insurance", taxes),
    F("operating_hours", hours),     F("labour_rate", labour_rate), F("labour_burden", burden),
    F("operators_per_shift", operators), F("mixer_power", mixer_power), F("discount_rate", discount),
    F("plant_life", life),           F("HCl", hcl),                 F("NaOH", naoh),
    F("NH3", nh3),                   F("kerosene", kerosene),       F("power", power),
};
#undef F

#define MAX_CEPCI 16
typedef struct {
    const RxPlant *p;
    CostData *d;
    double cepci_val[MAX_CEPCI][2]; /* year, index */
    int ncepci;
} LoadCtx;

static double *field(CostData *d, const char *key, const RxPlant *p)
{
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strcmp(fields[i].key, key) == 0)
            return (double *)((char *)d + fields[i].off);
    if (p->extractant[0] && strcmp(key, p->extractant) == 0)
        return &d->extractant;
    int s = rx_plant_species(p, key);
    if (s >= 0 && rx_plant_element(p, s)->is_ree)
        return &d->oxide[s];
    return NULL;
}

static int cost_row(void *vctx, char **tok, int ntok, int line, RxError *err)
{
    (void)ntok;
    (void)line;
    LoadCtx *c = vctx;
    double v;
    if (!rx_parse_number(tok[1], &v))
        return rx_error_set(err, RX_BAD_INPUT, NULL, "%s: '%s' is not a number", tok[0], tok[1]);
    if (strncmp(tok[0], "cepci_", 6) == 0) {
        double y;
        if (!rx_parse_number(tok[0] + 6, &y) || c->ncepci == MAX_CEPCI)
            return rx_error_set(err, RX_BAD_INPUT, NULL, "%s: expected cepci_<year>", tok[0]);
        c->cepci_val[c->ncepci][0] = y;
        c->cepci_val[c->ncepci++][1] = v;
        return RX_OK;
    }
    double *f = field(c->d, tok[0], c->p);
    if (f)
        *f = v;
    if (strcmp(tok[0], "mixer_settler_cost") == 0 && !rx_parse_number(tok[3], &c->d->ms_basis_year))
        return rx_error_set(err, RX_BAD_INPUT, NULL, "mixer_settler_cost: basis year '%s'", tok[3]);
    return RX_OK;
}

static double cepci_of(const LoadCtx *c, double year)
{
    for (int i = 0; i < c->ncepci; i++)
        if (c->cepci_val[i][0] == year)
            return c->cepci_val[i][1];
    return NAN;
}

static int load(const RxPlant *p, CostData *d, RxError *err)
{
    memset(d, 0, sizeof *d);
    for (int j = 0; j < RX_MAX_SPECIES; j++)
        d->oxide[j] = NAN;
    d->extractant = NAN;
    d->nh3 = NAN;
    char path[600];
    snprintf(path, sizeof path, "%s/costs.tsv", rx_data_dir());
    LoadCtx c = {p, d, {{0}}, 0};
    int rc = rx_datafile_read(path, 4, cost_row, &c, err);
    if (rc != RX_OK)
        return rc;
    for (int i = 0; i < p->cost.n; i++) {
        double *f = field(d, p->cost.key[i], p);
        if (f)
            *f = p->cost.value[i];
    }
    d->cepci_now = cepci_of(&c, d->cost_year);
    d->cepci_basis = cepci_of(&c, d->ms_basis_year);
    if (!(d->cepci_now > 0) || !(d->cepci_basis > 0))
        return rx_error_set(err, RX_BAD_INPUT, path, "cepci rows for %g and %g are needed", d->cost_year,
                            d->ms_basis_year);
    return RX_OK;
}

/* What the process gives, independent of prices. */
typedef struct {
    double stage_cost_units; /* sum of (V/V_ref)^n over stages */
    double mixer_L, settler_L, organic_L;
    double extr_kg_per_L, dil_L_per_L; /* per L of organic */
    double acid_kg_h, base_kg_h, lost_org_L_h;
    int base_nh3;
    double reo_kg_h[RX_MAX_COST_PRODUCTS][RX_MAX_SPECIES]; /* per product and target species */
} Process;

static int process(const RxPlant *p, const RxSolution *s, const CostData *d, Process *q, RxError *err)
{
    memset(q, 0, sizeof *q);
    double vref = d->ms_volume_gal * RX_L_PER_GAL;
    for (int i = 0; i < p->nsections; i++) {
        const RxSection *sec = &p->sections[i];
        if (!sec->has_geometry)
            return rx_error_set(err, RX_BAD_INPUT, p->path,
                                "cost: section '%s' has no mixer: costing needs every section's holdups "
                                "(mixer = \"3 min\"; settler = { ... })",
                                sec->name);
        for (int k = sec->first; k < sec->first + sec->count; k++) {
            double A = s->A[k], O = s->O[k];
            double vm = sec->mixer_volume > 0 ? sec->mixer_volume : (A + O) * sec->mixer_residence;
            double va = 0, vo = 0;
            if (sec->settler_tanks > 0) {
                va = sec->settler_aq_volume > 0 ? sec->settler_aq_volume : A * sec->settler_residence;
                vo = sec->settler_org_volume > 0 ? sec->settler_org_volume : O * sec->settler_residence;
            }
            q->mixer_L += vm;
            q->settler_L += va + vo;
            q->organic_L += vm * O / (A + O) + vo;
            q->stage_cost_units += pow((vm + va + vo) / vref, d->ms_exponent);
        }
    }
    q->dil_L_per_L = 1.0;
    if (p->extractant_conc > 0 && !(p->extractant_mm > 0))
        return rx_error_set(err, RX_BAD_INPUT, p->path,
                            "cost: no molar mass for %s in its data file: the extractant inventory is unknown",
                            p->extractant);
    if (p->extractant_conc > 0) {
        q->extr_kg_per_L = p->extractant_conc * p->extractant_mm / G_PER_KG;
        if (p->extractant_rho > 0)
            q->dil_L_per_L = 1.0 - q->extr_kg_per_L / p->extractant_rho;
        else if (p->extractant_vv > 0)
            q->dil_L_per_L = 1.0 - p->extractant_vv / 100.0;
        else
            return rx_error_set(err, RX_BAD_INPUT, p->path,
                                "cost: no density for %s in its data file: the diluent share is unknown",
                                p->extractant);
    }
    double acid, base;
    rx_reagents(p, &acid, &base);
    const RxElement *hcl = rx_elements_find(p->elements, "HCl"), *b = rx_elements_find(p->elements, rx_base_formula(p));
    q->acid_kg_h = hcl ? acid * hcl->molar_mass / G_PER_KG : 0;
    q->base_kg_h = b ? base * b->molar_mass / G_PER_KG : 0;
    q->base_nh3 = strcmp(rx_base_formula(p), "NH3") == 0;
    q->lost_org_L_h = s->org_in_aq[0];
    for (int i = 0; i < p->ndraws; i++)
        if (p->draws[i].phase == RX_AQ)
            q->lost_org_L_h += p->draws[i].fraction * s->org_in_aq[p->draws[i].stage];
    if (p->nproducts > RX_MAX_COST_PRODUCTS)
        return rx_error_set(err, RX_BAD_INPUT, p->path, "cost: at most %d products", RX_MAX_COST_PRODUCTS);
    for (int i = 0; i < p->nproducts; i++) {
        RxStream st;
        if (rx_outlet(p, s, p->products[i].stream, &st) != RX_OK)
            return rx_error_set(err, RX_BAD_INPUT, p->path, "cost: product %s has no stream", p->products[i].name);
        for (int t = 0; t < p->products[i].ntargets; t++) {
            int j = p->products[i].targets[t];
            const RxElement *e = rx_plant_element(p, j);
            if (!isfinite(d->oxide[j]))
                return rx_error_set(err, RX_BAD_INPUT, p->path,
                                    "cost: no price for %s (oxide) in costs.tsv: give cost.prices.%s", e->sym,
                                    e->sym);
            q->reo_kg_h[i][j] = st.flow * st.c[j] * e->molar_mass *
                                rx_element_oxide_factor(e, p->elements->oxygen_mass) / G_PER_KG;
        }
    }
    if (q->base_kg_h > 0 && q->base_nh3 && !isfinite(d->nh3))
        return rx_error_set(err, RX_BAD_INPUT, p->path, "cost: no NH3 price in costs.tsv: give cost.prices.NH3");
    if (q->organic_L > 0 && q->extr_kg_per_L > 0 && !isfinite(d->extractant))
        return rx_error_set(err, RX_BAD_INPUT, p->path,
                            "cost: no price for extractant %s in costs.tsv: give cost.prices.extractant", p->extractant);
    return RX_OK;
}

static void evaluate(const RxPlant *p, const CostData *d, const Process *q, RxCostResult *r)
{
    double escal = d->cepci_now / d->cepci_basis, h = d->hours;
    double dil_per_L = d->kerosene / RX_L_PER_GAL;
    double extr = q->extr_kg_per_L > 0 ? d->extractant : 0;
    double solvent_per_L = q->extr_kg_per_L * extr + q->dil_L_per_L * dil_per_L; /* USD per L organic */
    r->year = (int)d->cost_year;
    r->hours = h;
    r->discount_rate = d->discount;
    r->life = d->life;
    r->mixer_m3 = q->mixer_L / L_PER_M3;
    r->settler_m3 = q->settler_L / L_PER_M3;
    r->organic_m3 = q->organic_L / L_PER_M3;
    r->bec = d->ms_cost * escal * q->stage_cost_units;
    r->tpc = r->bec * d->lang;
    r->inventory = q->organic_L * solvent_per_L;
    r->tasc = r->tpc * d->tasc + r->inventory;
    r->acid = q->acid_kg_h * h / KG_PER_T * d->hcl;
    r->base = q->base_kg_h * h / KG_PER_T * (q->base_nh3 ? d->nh3 : d->naoh);
    r->solvent_loss = q->lost_org_L_h * h * solvent_per_L;
    r->power = d->mixer_power * r->mixer_m3 * h * d->power;
    r->labour = d->operators * d->labour_rate * (1.0 + d->burden) * h;
    r->maintenance = d->maintenance * r->tpc;
    r->taxes = d->taxes * r->tpc;
    r->opex = r->acid + r->base + r->solvent_loss + r->power + r->labour + r->maintenance + r->taxes;
    r->capital_charge = d->fcr * r->tasc;
    r->revenue = r->product_kg = 0;
    r->nproducts = p->nproducts;
    for (int i = 0; i < p->nproducts; i++) {
        r->prod_kg[i] = r->prod_revenue[i] = 0;
        for (int t = 0; t < p->products[i].ntargets; t++) {
            int j = p->products[i].targets[t];
            r->prod_kg[i] += q->reo_kg_h[i][j] * h;
            r->prod_revenue[i] += q->reo_kg_h[i][j] * h * d->oxide[j];
        }
        r->product_kg += r->prod_kg[i];
        r->revenue += r->prod_revenue[i];
    }
    double annual = r->opex + r->capital_charge;
    r->cost_per_kg = r->product_kg > 0 ? annual / r->product_kg : NAN;
    /* joint products: the annual cost shared by revenue (by mass without prices) */
    for (int i = 0; i < p->nproducts; i++) {
        double share = r->revenue > 0 ? r->prod_revenue[i] / r->revenue
                                      : (r->product_kg > 0 ? r->prod_kg[i] / r->product_kg : 0);
        r->prod_cost_per_kg[i] = r->prod_kg[i] > 0 ? annual * share / r->prod_kg[i] : NAN;
    }
    double annuity = 0;
    for (int t = 1; t <= (int)d->life; t++)
        annuity += 1.0 / pow(1.0 + d->discount, t);
    r->npv = -r->tasc + (r->revenue - r->opex) * annuity;
}

int rx_cost(const RxPlant *p, const RxSolution *s, RxCostResult *out, RxError *err)
{
    CostData d;
    Process q;
    memset(out, 0, sizeof *out);
    int rc = load(p, &d, err);
    if (rc == RX_OK)
        rc = process(p, s, &d, &q, err);
    if (rc != RX_OK)
        return rc;
    evaluate(p, &d, &q, out);
    /* Sensitivity: each input at 80 % and 120 %, the process unchanged;
     * "product prices" scales every oxide price at once. */
#define OFF(m) offsetof(CostData, m)
    const struct {
        const char *name, *unit;
        size_t off; /* SIZE_MAX: the oxide prices */
    } in[] = {
        {"mixer-settler cost", "USD", OFF(ms_cost)},
        {"Lang factor", "-", OFF(lang)},
        {"fixed charge rate", "1/yr", OFF(fcr)},
        {"maintenance", "1/yr", OFF(maintenance)},
        {"HCl price", "USD/t", OFF(hcl)},
        {"base price", "USD/t", q.base_nh3 ? OFF(nh3) : OFF(naoh)},
        {"extractant price", "USD/kg", OFF(extractant)},
        {"diluent price", "USD/gal", OFF(kerosene)},
        {"power price", "USD/kWh", OFF(power)},
        {"mixer power", "kW/m3", OFF(mixer_power)},
        {"labour rate", "USD/h", OFF(labour_rate)},
        {"operators per shift", "-", OFF(operators)},
        {"discount rate", "1/yr", OFF(discount)},
        {"product prices", "x", SIZE_MAX},
    };
#undef OFF
    for (size_t i = 0; i < sizeof in / sizeof in[0] && out->nsens < RX_MAX_SENSITIVITY; i++) {
        RxSensitivity *sn = &out->sens[out->nsens];
        double base = in[i].off == SIZE_MAX ? 1.0 : *(const double *)((const char *)&d + in[i].off);
        if (!isfinite(base))
            continue;
        snprintf(sn->input, sizeof sn->input, "%s", in[i].name);
        snprintf(sn->unit, sizeof sn->unit, "%s", in[i].unit);
        sn->base = base;
        for (int k = 0; k < 2; k++) {
            CostData e = d;
            double f = k ? SENS_HIGH : SENS_LOW;
            if (in[i].off == SIZE_MAX)
                for (int j = 0; j < RX_MAX_SPECIES; j++)
                    e.oxide[j] *= f;
            else
                *(double *)((char *)&e + in[i].off) = base * f;
            RxCostResult t;
            evaluate(p, &e, &q, &t);
            *(k ? &sn->cost_hi : &sn->cost_lo) = t.cost_per_kg;
            *(k ? &sn->npv_hi : &sn->npv_lo) = t.npv;
        }
        out->nsens++;
    }
    return RX_OK;
}
