/*
 * config/streams.c - the streams of a plant: feeds (composition,
 * concentrations with their units, acid, sulfate, saponification), draws
 * and products.
 */
#include "config/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rx_cfg_get_concentration(const RxCfg *c, const config_setting_t *m, const RxElement *e, double *out)
{
    const char *unit;
    double v;
    const char *example = "30 g/L REO";
    if (config_setting_type(m) != CONFIG_TYPE_STRING)
        return rx_cfg_fail(c, m, "expected a concentration with its unit, e.g. \"%s\"", example);
    const char *s = config_setting_get_string(m);
    if (!rx_cfg_split_quantity(s, &v, &unit))
        return rx_cfg_fail(c, m, "'%s' does not start with a number (e.g. \"%s\")", s, example);
    if (v < 0)
        return rx_cfg_fail(c, m, "concentration must not be negative [%s]", unit);
    double ox = rx_element_oxide_factor(e, c->p->elements->oxygen_mass);
    if (strcmp(unit, "mol/L") == 0)
        *out = v;
    else if (strcmp(unit, "mmol/L") == 0)
        *out = v * 1e-3;
    else if (strcmp(unit, "g/L") == 0)
        *out = v / e->molar_mass;
    else if (strcmp(unit, "mg/L") == 0)
        *out = v * 1e-3 / e->molar_mass;
    else if (strcmp(unit, "g/L REO") == 0 || strcmp(unit, "mg/L REO") == 0) {
        if (e->oxide_metal <= 0)
            return rx_cfg_fail(c, m, "%s has no oxide basis; use g/L or mol/L", e->sym);
        *out = v * (unit[0] == 'm' ? 1e-3 : 1.0) / ox / e->molar_mass;
    } else
        return rx_cfg_fail(c, m, "unknown unit '%s' (use mol/L, mmol/L, g/L, mg/L, g/L REO or mg/L REO)", unit);
    char num[RX_NUM_LEN];
    if (!(*out <= RX_MAX_MOLAR))
        return rx_cfg_fail(c, m, "%s mol/L is more than any aqueous or organic holds (at most %g mol/L)",
                           rx_fmt_beyond(num, *out, RX_MAX_MOLAR), RX_MAX_MOLAR);
    if (v > 0 && !(*out >= RX_MIN_MOLAR))
        return rx_cfg_fail(c, m, "%.4g mol/L is below the least amount reesx resolves (%g mol/L); give 0 to leave %s out",
                           *out, RX_MIN_MOLAR, e->sym);
    return RX_OK;
}

static int read_composition(const RxCfg *c, const config_setting_t *g, RxFeed *f, int event)
{
    const config_setting_t *comp = rx_cfg_member(g, "composition");
    if (!comp)
        return RX_OK;
    if (!config_setting_is_group(comp))
        return rx_cfg_fail(c, comp, "expected a group of element = \"value unit\" entries");
    for (int i = 0; i < config_setting_length(comp); i++) {
        const config_setting_t *m = config_setting_get_elem(comp, (unsigned)i);
        const char *sym = config_setting_name(m);
        const RxElement *e = rx_elements_find(c->p->elements, sym);
        if (!e)
            return rx_cfg_fail(c, m, "'%s' is not in the element data (%s/elements.tsv)", sym, rx_data_dir());
        if (e->charge <= 0)
            return rx_cfg_fail(c, m, "'%s' is not a metal cation; give acid with 'acid'", sym);
        double v = 0;
        int rc = rx_cfg_get_concentration(c, m, e, &v);
        if (rc != RX_OK)
            return rc;
        if (v <= 0)
            continue;
        if (event && rx_plant_species(c->p, sym) < 0)
            return rx_cfg_fail(c, m, "'%s' is in no feed of the plant: a change cannot add an element", sym);
        int s = rx_plant_add_species(c->p, (int)(e - c->p->elements->el));
        if (s < 0)
            return rx_cfg_fail(c, m, "too many species (at most %d)", RX_MAX_SPECIES);
        f->c[s] = v;
        f->order[f->norder++] = (int)(e - c->p->elements->el);
    }
    return RX_OK;
}

static int name_taken(const RxPlant *p, const char *name)
{
    for (int i = 0; i < p->nfeeds; i++)
        if (strcmp(p->feeds[i].name, name) == 0)
            return 1;
    for (int i = 0; i < p->ndraws; i++)
        if (strcmp(p->draws[i].name, name) == 0)
            return 1;
    return strcmp(name, "raffinate") == 0 || strcmp(name, "organic") == 0;
}

static int get_name(const RxCfg *c, const config_setting_t *g, char *out)
{
    const char *name;
    int rc = rx_cfg_get_string(c, g, "name", &name);
    if (rc != RX_OK)
        return rc;
    if (strlen(name) == 0 || strlen(name) >= RX_NAME_LEN)
        return rx_cfg_fail(c, rx_cfg_member(g, "name"), "name must be 1 to %d characters", RX_NAME_LEN - 1);
    if (name_taken(c->p, name))
        return rx_cfg_fail(c, rx_cfg_member(g, "name"), "'%s' is already the name of a stream", name);
    snprintf(out, RX_NAME_LEN, "%s", name);
    return RX_OK;
}

/* Acid and sulfate of an aqueous feed, and the chloride that balances its charge. */
static int feed_aqueous(const RxCfg *c, const config_setting_t *g, RxFeed *f, int event)
{
    const RxPlant *p = c->p;
    const config_setting_t *m;
    int rc;
    if (rx_cfg_member(g, "saponification"))
        return rx_cfg_fail(c, rx_cfg_member(g, "saponification"), "only organic feeds are saponified");
    if (!event && (rc = rx_cfg_need(c, g, "acid", CONFIG_TYPE_NONE, &m)) != RX_OK)
        return rc;
    if ((m = rx_cfg_member(g, "acid")) && (rc = rx_cfg_get_acid(c, m, &f->h)) != RX_OK)
        return rc;
    /* Sulfate (total, SO4 + HSO4): by default at the HSO4 equilibrium
     * with the free acid; "bisulfate" gives the feed's own speciation. */
    double hso4 = -1;
    if ((m = rx_cfg_member(g, "sulfate"))) {
        if ((rc = rx_cfg_get_quantity(c, m, rx_cfg_molar_units, "0.1 mol/L", &f->so4)) != RX_OK)
            return rc;
        if (!(f->so4 >= 0 && f->so4 <= RX_MAX_MOLAR))
            return rx_cfg_fail(c, m, "must be 0 to %g mol/L [mol/L]", RX_MAX_MOLAR);
    }
    if ((m = rx_cfg_member(g, "bisulfate"))) {
        if (!rx_cfg_member(g, "sulfate") && !event)
            return rx_cfg_fail(c, m, "bisulfate is part of the total sulfate: give sulfate too");
        if ((rc = rx_cfg_get_quantity(c, m, rx_cfg_molar_units, "0.1 mol/L", &hso4)) != RX_OK)
            return rc;
        if (!(hso4 >= 0 && hso4 <= f->so4))
            return rx_cfg_fail(c, m, "must be 0 to the total sulfate (%g mol/L) [mol/L]", f->so4);
    }
    f->bisulfate = hso4;
    rx_feed_chloride(p, f);
    double amount, limit;
    const char *what = rx_feed_too_concentrated(p, f, &amount, &limit);
    if (what) {
        m = rx_cfg_member(g, "composition") ? rx_cfg_member(g, "composition") : g;
        char num[RX_NUM_LEN];
        return rx_cfg_fail(c, m, "%s mol/L of %s%s is more than an aqueous dissolves (at most %g mol/L)",
                           rx_fmt_beyond(num, amount, limit), what,
                           what[0] == 'c' ? " (from the acid and the metals' charge)" : " in all", limit);
    }
    return RX_OK;
}

/* Saponification of an organic feed, its base, and what it leaves of the
 * extractant when the model balances the extractant. */
static int feed_organic(const RxCfg *c, const config_setting_t *g, RxFeed *f, int event)
{
    const RxPlant *p = c->p;
    const config_setting_t *m;
    int rc;
    if (rx_cfg_member(g, "acid"))
        return rx_cfg_fail(c, rx_cfg_member(g, "acid"), "acid belongs to aqueous feeds");
    if (rx_cfg_member(g, "sulfate") || rx_cfg_member(g, "bisulfate"))
        return rx_cfg_fail(c, rx_cfg_member(g, "sulfate") ? rx_cfg_member(g, "sulfate") : rx_cfg_member(g, "bisulfate"),
                           "sulfate belongs to aqueous feeds");
    if (!(p->extractant_conc > 0) && c->model->needs_extractant)
        return rx_cfg_fail(c, g, "organic feed needs the extractant block");
    if (!event)
        f->sap = p->saponification;
    if ((m = rx_cfg_member(g, "saponification"))) {
        if ((rc = rx_cfg_get_quantity(c, m, rx_cfg_percent_units, "36 %", &f->sap)) != RX_OK)
            return rc;
        char num[RX_NUM_LEN];
        if (f->sap < 0 || f->sap >= 0.5)
            return rx_cfg_fail(c, m, "%s %% is not feasible: must be 0 to below 50 %% [%%]",
                               rx_fmt_beyond(num, f->sap * PERCENT, f->sap < 0 ? 0 : 0.5 * PERCENT));
        if (f->sap > 0 && p->base_species < 0)
            return rx_cfg_fail(c, m, "saponified organic needs extractant.saponification > 0 to set the base");
    }
    if (p->base_species >= 0)
        f->c[p->base_species] = f->sap * p->extractant_conc;
    if (f->sap > 0 && !(f->sap * p->extractant_conc >= RX_MIN_MOLAR))
        return rx_cfg_fail(c, m ? m : g,
                           "%.4g %% saponification puts %.4g mol/L of base on the organic, below the least amount "
                           "reesx resolves (%g mol/L); give 0 %%",
                           f->sap * PERCENT, f->sap * p->extractant_conc, RX_MIN_MOLAR);
    if (c->model->needs_extractant) {
        double used = rx_feed_extractant_use(p, f);
        char num[RX_NUM_LEN], lim[RX_NUM_LEN];
        if (used >= p->extractant_conc)
            return rx_cfg_fail(c, rx_cfg_member(g, "composition") ? rx_cfg_member(g, "composition") : g,
                               "loaded metals and saponification use %s mol/L of %s mol/L extractant: "
                               "the organic is over-saturated",
                               rx_fmt_beyond(num, used, p->extractant_conc),
                               rx_fmt_beyond(lim, p->extractant_conc, used));
    }
    return RX_OK;
}

/* Composition, acid and saponification of a feed (or of an event changing
 * one: then every setting is optional and no new species may appear), and
 * what follows from them: chloride of an aqueous feed, base on an organic. */
int rx_cfg_feed_body(const RxCfg *c, const config_setting_t *g, RxFeed *f, int event)
{
    const RxPlant *p = c->p;
    int rc;
    if (rx_cfg_member(g, "composition")) {
        for (int s2 = 0; s2 < RX_MAX_SPECIES; s2++)
            if (f->phase == RX_AQ || s2 != p->base_species)
                f->c[s2] = 0; /* a composition replaces the whole one before (the base is the saponification's) */
        f->norder = 0;
        if ((rc = read_composition(c, g, f, event)) != RX_OK)
            return rc;
    }
    return f->phase == RX_AQ ? feed_aqueous(c, g, f, event) : feed_organic(c, g, f, event);
}

int rx_cfg_read_feeds(const RxCfg *c, const config_setting_t *root)
{
    static const char *const keys[] = {"name",           "phase",  "stage",     "flow", "acid", "composition",
                                       "saponification", "sulfate", "bisulfate", NULL};
    RxPlant *p = c->p;
    const config_setting_t *l;
    int rc = rx_cfg_need(c, root, "feeds", CONFIG_TYPE_LIST, &l);
    if (rc != RX_OK)
        return rc;
    int n = config_setting_length(l);
    p->feeds = calloc((size_t)(n ? n : 1), sizeof *p->feeds);
    if (!p->feeds)
        return rx_error_set(c->err, RX_NO_MEMORY, NULL, "out of memory");
    int have_aq = 0, have_org = 0;
    for (int i = 0; i < n; i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i), *m = NULL;
        if (!config_setting_is_group(g))
            return rx_cfg_fail(c, g, "expected a group { name; phase; stage; flow; ... }");
        RxFeed *f = &p->feeds[i];
        if ((rc = rx_cfg_check_keys(c, g, keys)) != RX_OK || (rc = get_name(c, g, f->name)) != RX_OK ||
            (rc = rx_cfg_get_phase(c, g, &f->phase)) != RX_OK ||
            (rc = rx_cfg_get_stage(c, g, &f->stage, &f->ref)) != RX_OK ||
            (rc = rx_cfg_need(c, g, "flow", CONFIG_TYPE_NONE, &m)) != RX_OK ||
            (rc = rx_cfg_get_quantity(c, m, rx_cfg_flow_units, "100 L/h", &f->flow)) != RX_OK)
            return rc;
        if (!(f->flow > 0))
            return rx_cfg_fail(c, m, "flow must be positive [L/h]");
        p->nfeeds++;
        if ((rc = rx_cfg_feed_body(c, g, f, 0)) != RX_OK)
            return rc;
        have_aq |= f->phase == RX_AQ;
        have_org |= f->phase == RX_ORG;
    }
    if (!have_aq)
        return rx_cfg_fail(c, l, "needs at least one aqueous feed");
    if (!have_org)
        return rx_cfg_fail(c, l, "needs at least one organic feed");
    return RX_OK;
}

int rx_cfg_read_draws(const RxCfg *c, const config_setting_t *root)
{
    static const char *const keys[] = {"name", "phase", "stage", "fraction", NULL};
    RxPlant *p = c->p;
    const config_setting_t *l;
    void *items;
    int rc = rx_cfg_get_list(c, root, "draws", "{ name; phase; stage; fraction; }", sizeof *p->draws, &items, &l);
    p->draws = items;
    if (rc != RX_OK || !l)
        return rc;
    for (int i = 0; i < config_setting_length(l); i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i), *m;
        RxDraw *d = &p->draws[i];
        if ((rc = rx_cfg_check_keys(c, g, keys)) != RX_OK || (rc = get_name(c, g, d->name)) != RX_OK ||
            (rc = rx_cfg_get_phase(c, g, &d->phase)) != RX_OK ||
            (rc = rx_cfg_get_stage(c, g, &d->stage, &d->ref)) != RX_OK)
            return rc;
        d->fraction = 1.0;
        if ((m = rx_cfg_member(g, "fraction"))) {
            if ((rc = rx_cfg_need(c, g, "fraction", CONFIG_TYPE_FLOAT, &m)) != RX_OK)
                return rc;
            d->fraction = rx_cfg_number(m);
            if (!(d->fraction > 0 && d->fraction <= 1))
                return rx_cfg_fail(c, m, "fraction must be in (0, 1] [-]");
        }
        int clash = rx_draw_conflict(p, i);
        if (clash == i)
            return rx_cfg_fail(c, rx_cfg_member(g, "stage"),
                               "this outflow leaves the circuit anyway (use the %s product)",
                               d->phase == RX_AQ ? "raffinate" : "organic");
        if (clash >= 0)
            return rx_cfg_fail(c, rx_cfg_member(g, "stage"), "stage %d already has a %s draw", d->stage + 1,
                               d->phase == RX_AQ ? "aqueous" : "organic");
        p->ndraws++;
    }
    return RX_OK;
}

int rx_cfg_read_products(const RxCfg *c, const config_setting_t *root)
{
    static const char *const keys[] = {"name", "stream", "targets", NULL};
    RxPlant *p = c->p;
    const config_setting_t *l;
    void *items;
    int rc = rx_cfg_get_list(c, root, "products", "{ name; stream; targets; }", sizeof *p->products, &items, &l);
    p->products = items;
    if (rc != RX_OK || !l)
        return rc;
    for (int i = 0; i < config_setting_length(l); i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i), *m;
        RxProduct *pr = &p->products[i];
        const char *name, *stream;
        if ((rc = rx_cfg_check_keys(c, g, keys)) != RX_OK || (rc = rx_cfg_get_string(c, g, "name", &name)) != RX_OK ||
            (rc = rx_cfg_get_string(c, g, "stream", &stream)) != RX_OK ||
            (rc = rx_cfg_need(c, g, "targets", CONFIG_TYPE_ARRAY, &m)) != RX_OK)
            return rc;
        if (strlen(name) == 0 || strlen(name) >= RX_NAME_LEN)
            return rx_cfg_fail(c, rx_cfg_member(g, "name"), "name must be 1 to %d characters", RX_NAME_LEN - 1);
        for (int j = 0; j < i; j++)
            if (strcmp(p->products[j].name, name) == 0)
                return rx_cfg_fail(c, rx_cfg_member(g, "name"), "product '%s' is defined twice", name);
        snprintf(pr->name, sizeof pr->name, "%s", name);
        int ok = strcmp(stream, "raffinate") == 0 || strcmp(stream, "organic") == 0;
        for (int j = 0; j < p->ndraws && !ok; j++)
            ok = strcmp(p->draws[j].name, stream) == 0;
        if (!ok)
            return rx_cfg_fail(c, rx_cfg_member(g, "stream"),
                               "'%s' is no outlet (use raffinate, organic or a draw name)", stream);
        snprintf(pr->stream, sizeof pr->stream, "%s", stream);
        if (config_setting_length(m) == 0)
            return rx_cfg_fail(c, m, "needs at least one target element");
        for (int j = 0; j < config_setting_length(m); j++) {
            const config_setting_t *t = config_setting_get_elem(m, (unsigned)j);
            if (config_setting_type(t) != CONFIG_TYPE_STRING)
                return rx_cfg_fail(c, m, "expected element symbols, e.g. [\"Pr\", \"Nd\"]");
            const char *sym = config_setting_get_string(t);
            const RxElement *e = rx_elements_find(p->elements, sym);
            if (!e)
                return rx_cfg_fail(c, m, "'%s' is not in the element data (%s/elements.tsv)", sym, rx_data_dir());
            int s = rx_plant_species(p, sym);
            if (s < 0)
                return rx_cfg_fail(c, m, "'%s' is in no feed", sym);
            if (!e->is_ree)
                return rx_cfg_fail(c, m, "'%s' is not a rare earth: purity and recovery are on a REO basis", sym);
            for (int k = 0; k < pr->ntargets; k++)
                if (pr->targets[k] == s)
                    return rx_cfg_fail(c, m, "'%s' is listed twice", sym);
            pr->targets[pr->ntargets++] = s;
        }
        p->nproducts++;
    }
    return RX_OK;
}
