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
#include "design/cost.h"

#include "core/datafile.h"

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
    int sold[RX_MAX_COST_PRODUCTS]; /* 0: the product feeds another circuit (no revenue) */
} Process;

static int process(const RxPlant *p, const RxSolution *s, const CostData *d, const int *sold, Process *q,
                   RxError *err)
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
        q->sold[i] = sold ? sold[i] : 1;
        if (!q->sold[i])
            continue;
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

/* One circuit's equipment, operating cost and sold products, added to r
 * (products named with prefix, if any). */
static void circuit_eval(const RxPlant *p, const CostData *d, const Process *q, const char *prefix, RxCostResult *r)
{
    double escal = d->cepci_now / d->cepci_basis, h = d->hours;
    double dil_per_L = d->kerosene / RX_L_PER_GAL;
    double extr = q->extr_kg_per_L > 0 ? d->extractant : 0;
    double solvent_per_L = q->extr_kg_per_L * extr + q->dil_L_per_L * dil_per_L; /* USD per L organic */
    double bec = d->ms_cost * escal * q->stage_cost_units, tpc = bec * d->lang;
    double inventory = q->organic_L * solvent_per_L;
    double acid = q->acid_kg_h * h / KG_PER_T * d->hcl;
    /* No base used costs nothing, whatever its price: costs.tsv has no NH3
     * row (its price is NAN until the cost group gives one), and 0 x NAN
     * made every cost NAN for an NH4OH plant at 0 % saponification. */
    double base = q->base_kg_h > 0 ? q->base_kg_h * h / KG_PER_T * (q->base_nh3 ? d->nh3 : d->naoh) : 0;
    double loss = q->lost_org_L_h * h * solvent_per_L;
    double power = d->mixer_power * q->mixer_L / L_PER_M3 * h * d->power;
    double labour = d->operators * d->labour_rate * (1.0 + d->burden) * h;
    r->mixer_m3 += q->mixer_L / L_PER_M3;
    r->settler_m3 += q->settler_L / L_PER_M3;
    r->organic_m3 += q->organic_L / L_PER_M3;
    r->bec += bec;
    r->tpc += tpc;
    r->inventory += inventory;
    r->tasc += tpc * d->tasc + inventory;
    r->acid += acid;
    r->base += base;
    r->solvent_loss += loss;
    r->power += power;
    r->labour += labour;
    r->maintenance += d->maintenance * tpc;
    r->taxes += d->taxes * tpc;
    r->opex += acid + base + loss + power + labour + (d->maintenance + d->taxes) * tpc;
    r->capital_charge += d->fcr * (tpc * d->tasc + inventory);
    for (int i = 0; i < p->nproducts && r->nproducts < RX_MAX_COST_PRODUCTS; i++) {
        if (!q->sold[i])
            continue;
        int k = r->nproducts++;
        snprintf(r->prod_name[k], sizeof r->prod_name[k], "%s%s%s", prefix ? prefix : "", prefix ? ":" : "",
                 p->products[i].name);
        r->prod_kg[k] = r->prod_revenue[k] = 0;
        for (int t = 0; t < p->products[i].ntargets; t++) {
            int j = p->products[i].targets[t];
            r->prod_kg[k] += q->reo_kg_h[i][j] * h;
            r->prod_revenue[k] += q->reo_kg_h[i][j] * h * d->oxide[j];
        }
        r->product_kg += r->prod_kg[k];
        r->revenue += r->prod_revenue[k];
    }
}

/* Every circuit into r, then the per-kg figures and the NPV (at the first
 * circuit's hours, discount rate and life). */
static void evaluate(int n, const RxPlant *const *p, const CostData *d, const Process *q, const char *const *prefix,
                     RxCostResult *r)
{
    memset(r, 0, offsetof(RxCostResult, nsens));
    r->year = (int)d[0].cost_year;
    r->hours = d[0].hours;
    r->discount_rate = d[0].discount;
    r->life = d[0].life;
    for (int c = 0; c < n; c++)
        circuit_eval(p[c], &d[c], &q[c], prefix ? prefix[c] : NULL, r);
    double annual = r->opex + r->capital_charge;
    r->cost_per_kg = r->product_kg > 0 ? annual / r->product_kg : NAN;
    /* joint products: the annual cost shared by revenue (by mass without prices) */
    for (int i = 0; i < r->nproducts; i++) {
        double share = r->revenue > 0 ? r->prod_revenue[i] / r->revenue
                                      : (r->product_kg > 0 ? r->prod_kg[i] / r->product_kg : 0);
        r->prod_cost_per_kg[i] = r->prod_kg[i] > 0 ? annual * share / r->prod_kg[i] : NAN;
    }
    double annuity = 0;
    for (int t = 1; t <= (int)d[0].life; t++)
        annuity += 1.0 / pow(1.0 + d[0].discount, t);
    r->npv = -r->tasc + (r->revenue - r->opex) * annuity;
}

/* RX_OK when every number of r is finite; otherwise RX_BAD_INPUT naming the
 * first that is not and why: no figure a cost writes may be NaN or inf. */
static int check_finite(const RxPlant *p, const RxCostResult *r, RxError *err)
{
    const struct {
        const char *name;
        double v;
    } f[] = {{"mixer volume", r->mixer_m3},     {"settler volume", r->settler_m3},  {"organic volume", r->organic_m3},
             {"equipment", r->bec},             {"total plant cost", r->tpc},       {"solvent first fill", r->inventory},
             {"total as-spent capital", r->tasc}, {"acid", r->acid},                {"base", r->base},
             {"solvent lost", r->solvent_loss}, {"power", r->power},                {"labour", r->labour},
             {"maintenance", r->maintenance},   {"taxes and insurance", r->taxes},  {"operating cost", r->opex},
             {"capital charge", r->capital_charge}, {"revenue", r->revenue},        {"product REO", r->product_kg},
             {"NPV", r->npv}};
    const char *path = p ? p->path : NULL;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (!isfinite(f[i].v))
            return rx_error_set(err, RX_BAD_INPUT, path, "cost: the %s is not a finite number (%g): check the prices "
                                "and factors of the cost group", f[i].name, f[i].v);
    if (!(r->product_kg > 0))
        return rx_error_set(err, RX_BAD_INPUT, path,
                            "cost: the products sold carry no target REO, so there is no cost per kg REO "
                            "(give products with targets that leave the plant)");
    for (int i = 0; i < r->nproducts; i++)
        if (!isfinite(r->prod_kg[i]) || !isfinite(r->prod_revenue[i]) || !isfinite(r->prod_cost_per_kg[i]))
            return rx_error_set(err, RX_BAD_INPUT, path,
                                "cost: product %s carries no target REO, so it has no cost per kg", r->prod_name[i]);
    for (int i = 0; i < r->nsens; i++) {
        const RxSensitivity *s = &r->sens[i];
        if (!isfinite(s->cost_lo) || !isfinite(s->cost_hi) || !isfinite(s->npv_lo) || !isfinite(s->npv_hi))
            return rx_error_set(err, RX_BAD_INPUT, path, "cost: the sensitivity to the %s is not finite", s->input);
    }
    return isfinite(r->cost_per_kg) ? RX_OK
                                    : rx_error_set(err, RX_BAD_INPUT, path, "cost: the cost per kg REO is not finite");
}

/* Cost n circuits as one plant: sold[c] marks circuit c's products that
 * leave it (NULL: all); prefix[c] names them (NULL: no prefix). */
static int cost_many(int n, const RxPlant *const *p, const RxSolution *const *s, const int (*sold)[RX_MAX_COST_PRODUCTS],
                     const char *const *prefix, RxCostResult *out, RxError *err)
{
    memset(out, 0, sizeof *out);
    CostData *d = calloc((size_t)n, sizeof *d), *e = calloc((size_t)n, sizeof *e);
    Process *q = calloc((size_t)n, sizeof *q);
    int rc = d && e && q ? RX_OK : rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    for (int c = 0; c < n && rc == RX_OK; c++) {
        if ((rc = load(p[c], &d[c], err)) == RX_OK)
            rc = process(p[c], s[c], &d[c], sold ? sold[c] : NULL, &q[c], err);
    }
    if (rc == RX_OK)
        evaluate(n, p, d, q, prefix, out);
    /* Sensitivity: each input at 80 % and 120 % in every circuit, the
     * process unchanged; "product prices" scales every oxide price, "base
     * price" both NaOH and NH3. */
#define OFF(m) offsetof(CostData, m)
    const struct {
        const char *name, *unit;
        size_t off, off2; /* SIZE_MAX: the oxide prices; off2: a second field, or SIZE_MAX */
    } in[] = {
        {"mixer-settler cost", "USD", OFF(ms_cost), SIZE_MAX},
        {"Lang factor", "-", OFF(lang), SIZE_MAX},
        {"fixed charge rate", "1/yr", OFF(fcr), SIZE_MAX},
        {"maintenance", "1/yr", OFF(maintenance), SIZE_MAX},
        {"HCl price", "USD/t", OFF(hcl), SIZE_MAX},
        {"base price", "USD/t", OFF(naoh), OFF(nh3)},
        {"extractant price", "USD/kg", OFF(extractant), SIZE_MAX},
        {"diluent price", "USD/gal", OFF(kerosene), SIZE_MAX},
        {"power price", "USD/kWh", OFF(power), SIZE_MAX},
        {"mixer power", "kW/m3", OFF(mixer_power), SIZE_MAX},
        {"labour rate", "USD/h", OFF(labour_rate), SIZE_MAX},
        {"operators per shift", "-", OFF(operators), SIZE_MAX},
        {"discount rate", "1/yr", OFF(discount), SIZE_MAX},
        {"product prices", "x", SIZE_MAX, SIZE_MAX},
    };
#undef OFF
    for (size_t i = 0; rc == RX_OK && i < sizeof in / sizeof in[0] && out->nsens < RX_MAX_SENSITIVITY; i++) {
        RxSensitivity *sn = &out->sens[out->nsens];
        size_t shown = in[i].off2 != SIZE_MAX && q[0].base_nh3 ? in[i].off2 : in[i].off;
        double base = in[i].off == SIZE_MAX ? 1.0 : *(const double *)((const char *)&d[0] + shown);
        if (!isfinite(base))
            continue;
        snprintf(sn->input, sizeof sn->input, "%s", in[i].name);
        snprintf(sn->unit, sizeof sn->unit, "%s", in[i].unit);
        sn->base = base;
        for (int k = 0; k < 2; k++) {
            double f = k ? SENS_HIGH : SENS_LOW;
            for (int c = 0; c < n; c++) {
                e[c] = d[c];
                if (in[i].off == SIZE_MAX)
                    for (int j = 0; j < RX_MAX_SPECIES; j++)
                        e[c].oxide[j] *= f;
                else
                    for (int w = 0; w < 2; w++) {
                        size_t off = w ? in[i].off2 : in[i].off;
                        if (off != SIZE_MAX)
                            *(double *)((char *)&e[c] + off) *= f;
                    }
            }
            RxCostResult t;
            evaluate(n, p, e, q, prefix, &t);
            *(k ? &sn->cost_hi : &sn->cost_lo) = t.cost_per_kg;
            *(k ? &sn->npv_hi : &sn->npv_lo) = t.npv;
        }
        out->nsens++;
    }
    if (rc == RX_OK)
        rc = check_finite(p[0], out, err);
    free(d);
    free(e);
    free(q);
    return rc;
}

int rx_cost(const RxPlant *p, const RxSolution *s, RxCostResult *out, RxError *err)
{
    return cost_many(1, &p, &s, NULL, NULL, out, err);
}

int rx_cost_flowsheet(const RxFlowsheet *fs, const RxFlowsheetResult *r, RxCostResult *out, RxError *err)
{
    int sold[RX_MAX_CIRCUITS][RX_MAX_COST_PRODUCTS];
    const char *names[RX_MAX_CIRCUITS];
    const RxPlant *plants[RX_MAX_CIRCUITS];
    const RxSolution *sols[RX_MAX_CIRCUITS];
    for (int c = 0; c < fs->n; c++) {
        plants[c] = r->plant[c];
        sols[c] = r->sol[c];
        names[c] = fs->name[c];
        for (int i = 0; i < RX_MAX_COST_PRODUCTS; i++) {
            sold[c][i] = 1;
            for (int k = 0; i < r->plant[c]->nproducts && k < fs->nconn; k++)
                if (fs->conn[k].from_c == c && strcmp(fs->conn[k].from, r->plant[c]->products[i].stream) == 0)
                    sold[c][i] = 0; /* it feeds another circuit */
        }
    }
    return cost_many(fs->n, plants, sols, (const int(*)[RX_MAX_COST_PRODUCTS])sold, names, out, err);
}
