/*
 * config/uncertainty.c - the uncertainty group: how many samples, their
 * seed and threads, the standard deviation of each model constant (and
 * their correlations), and the spread of each feed's flow and composition
 * (docs/uncertainty.md).
 */
#include "config/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Defaults and limits.  200 samples put the binomial standard error of a
 * probability near 0.5 at 3.5 %; a million is hours of circuits.  The seed
 * is GSL's mt19937 seed, 32 bits; 0 is refused because gsl_rng_set takes
 * it for that generator's default seed (4357), so two seeds would give one
 * stream. */
#define RX_UNC_DEFAULT_SAMPLES 200
#define RX_UNC_MAX_SAMPLES 1000000
#define RX_UNC_DEFAULT_SEED 1
#define RX_UNC_MAX_SEED 4294967295LL
#define RX_UNC_DEFAULT_THREADS 2
#define RX_UNC_MAX_THREADS 64
/* A constant's sd, log10 units: 2 is a factor of 100 either way, beyond
 * any constant worth sampling. */
#define RX_UNC_MAX_CONST_SD 2.0
/* A feed's spread: at most half its nominal value, so that a draw is
 * negative (and redrawn, docs/uncertainty.md) with probability at most
 * 2.3 % and the truncation hardly moves the distribution. */
#define RX_UNC_MAX_SPREAD 0.5

/* An integer member name of g within [lo, hi] into *out (unchanged when absent). */
static int get_count(const RxCfg *c, const config_setting_t *g, const char *name, long long lo, long long hi,
                     long long *out)
{
    const config_setting_t *m = rx_cfg_member(g, name);
    long long v;
    int rc;
    if (!m)
        return RX_OK;
    if ((rc = rx_cfg_get_integer(c, g, name, &m, &v)) != RX_OK)
        return rc;
    if (v < lo || v > hi)
        return rx_cfg_fail(c, m, "%lld: must be %lld to %lld", v, lo, hi);
    *out = v;
    return RX_OK;
}

/* A constant's sd: a number in log10 units, 0 to RX_UNC_MAX_CONST_SD. */
static int get_const_sd(const RxCfg *c, const config_setting_t *m, double *out)
{
    int t = config_setting_type(m);
    if (t != CONFIG_TYPE_FLOAT && t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
        return rx_cfg_fail(c, m, "expected a number, one standard deviation in log10 units (e.g. 0.05)");
    *out = rx_cfg_number(m);
    if (!(*out >= 0 && *out <= RX_UNC_MAX_CONST_SD))
        return rx_cfg_fail(c, m, "%s: must be 0 to %g [log10]",
                           rx_fmt_beyond((char[RX_NUM_LEN]){0}, *out, *out < 0 ? 0 : RX_UNC_MAX_CONST_SD),
                           RX_UNC_MAX_CONST_SD);
    return RX_OK;
}

/* The element sym, named at setting m, as its element-table row in
 * *elem: one the plant's feeds carry. */
static int get_species(const RxCfg *c, const config_setting_t *m, const char *sym, int *elem)
{
    const RxElement *e = rx_elements_find(c->p->elements, sym);
    if (!e)
        return rx_cfg_fail(c, m, "'%s' is not in the element data (%s/elements.tsv)", sym, rx_data_dir());
    *elem = (int)(e - c->p->elements->el);
    if (rx_plant_species_of_element(c->p, *elem) < 0)
        return rx_cfg_fail(c, m, "'%s' is in no feed of the plant", sym);
    return RX_OK;
}

static int read_constants(const RxCfg *c, const config_setting_t *g)
{
    RxUncertaintySpec *u = &c->p->uncertainty;
    const config_setting_t *m = rx_cfg_member(g, "constant_sd"), *k = rx_cfg_member(g, "constants");
    int rc;
    if ((m || k || rx_cfg_member(g, "correlations")) && !c->model->value_key)
        return rx_cfg_fail(c, m ? m : k ? k : rx_cfg_member(g, "correlations"),
                           "the %s model has no per-element constant to sample", c->model->name);
    if (m && (rc = get_const_sd(c, m, &u->constant_sd)) != RX_OK)
        return rc;
    if (k && !config_setting_is_group(k))
        return rx_cfg_fail(c, k, "expected a group of element = sd entries, e.g. { Nd = 0.05; }");
    for (int i = 0; k && i < config_setting_length(k); i++) {
        const config_setting_t *e = config_setting_get_elem(k, (unsigned)i);
        if (u->nconst == RX_MAX_VALUES)
            return rx_cfg_fail(c, k, "too many constants (at most %d)", RX_MAX_VALUES);
        if ((rc = get_species(c, e, config_setting_name(e), &u->const_elem[u->nconst])) != RX_OK ||
            (rc = get_const_sd(c, e, &u->const_sd[u->nconst])) != RX_OK)
            return rc;
        u->nconst++;
    }
    if ((m = rx_cfg_member(g, "fitted"))) {
        if (config_setting_type(m) != CONFIG_TYPE_BOOL)
            return rx_cfg_fail(c, m, "expected true or false");
        u->fitted = config_setting_get_bool(m);
    }
    return RX_OK;
}

/* One correlation ("A", "B", r) of uncertainty.correlations. */
static int read_correlation(const RxCfg *c, const config_setting_t *t)
{
    RxUncertaintySpec *u = &c->p->uncertainty;
    const config_setting_t *a = config_setting_get_elem(t, 0), *b = config_setting_get_elem(t, 1),
                           *r = config_setting_get_elem(t, 2);
    if (!config_setting_is_list(t) || config_setting_length(t) != 3 || config_setting_type(a) != CONFIG_TYPE_STRING ||
        config_setting_type(b) != CONFIG_TYPE_STRING ||
        (config_setting_type(r) != CONFIG_TYPE_FLOAT && config_setting_type(r) != CONFIG_TYPE_INT))
        return rx_cfg_fail(c, t, "expected (\"element\", \"element\", correlation), e.g. (\"Pr\", \"Nd\", 0.8)");
    int *el = u->corr_elem[u->ncorr], rc;
    if ((rc = get_species(c, t, config_setting_get_string(a), &el[0])) != RX_OK ||
        (rc = get_species(c, t, config_setting_get_string(b), &el[1])) != RX_OK)
        return rc;
    if (el[0] == el[1])
        return rx_cfg_fail(c, t, "a constant's correlation with itself is 1");
    for (int i = 0; i < u->ncorr; i++)
        if ((u->corr_elem[i][0] == el[0] && u->corr_elem[i][1] == el[1]) ||
            (u->corr_elem[i][0] == el[1] && u->corr_elem[i][1] == el[0]))
            return rx_cfg_fail(c, t, "%s and %s are correlated twice", config_setting_get_string(a),
                               config_setting_get_string(b));
    u->corr[u->ncorr] = rx_cfg_number(r);
    if (!(fabs(u->corr[u->ncorr]) < 1))
        return rx_cfg_fail(c, t, "correlation %g: must be above -1 and below 1", u->corr[u->ncorr]);
    u->ncorr++;
    return RX_OK;
}

static int read_correlations(const RxCfg *c, const config_setting_t *g)
{
    const config_setting_t *l = rx_cfg_member(g, "correlations");
    if (!l)
        return RX_OK;
    if (!config_setting_is_list(l) || config_setting_length(l) > RX_MAX_UNC_CORR)
        return rx_cfg_fail(c, l, "expected a list of up to %d (\"element\", \"element\", correlation)",
                           RX_MAX_UNC_CORR);
    for (int i = 0; i < config_setting_length(l); i++) {
        int rc = read_correlation(c, config_setting_get_elem(l, (unsigned)i));
        if (rc != RX_OK)
            return rc;
    }
    return RX_OK;
}

/* A spread of setting m about nominal: "x %" relative, else absolute, a
 * flow (e == NULL) or a concentration of element e; at most
 * RX_UNC_MAX_SPREAD of the nominal. */
static int get_spread(const RxCfg *c, const config_setting_t *m, const RxElement *e, double nominal, RxSpread *s)
{
    const char *unit = "";
    double v = 0;
    int rc;
    if (config_setting_type(m) == CONFIG_TYPE_STRING)
        rx_cfg_split_quantity(config_setting_get_string(m), &v, &unit);
    if (!strcmp(unit, "%")) {
        s->kind = RX_SPREAD_RELATIVE;
        s->sd = v / PERCENT;
    } else {
        s->kind = RX_SPREAD_ABSOLUTE;
        if ((rc = e ? rx_cfg_get_concentration(c, m, e, &s->sd)
                    : rx_cfg_get_quantity(c, m, rx_cfg_flow_units, "2 %\" or \"5 L/h", &s->sd)) != RX_OK)
            return rc;
    }
    double rel = s->kind == RX_SPREAD_RELATIVE ? s->sd : s->sd / nominal;
    if (!(s->sd >= 0))
        return rx_cfg_fail(c, m, "a standard deviation cannot be negative");
    if (!(rel <= RX_UNC_MAX_SPREAD))
        return rx_cfg_fail(c, m, "sd %.4g %% of the nominal value: at most %g %% (the draws are redrawn below 0)",
                           rel * PERCENT, RX_UNC_MAX_SPREAD * PERCENT);
    return RX_OK;
}

/* composition of a feed spread: "x %" for every element, or a group of
 * element = spread entries. */
static int read_composition(const RxCfg *c, const config_setting_t *m, RxFeedSpread *fs)
{
    const RxPlant *p = c->p;
    const RxFeed *f = &p->feeds[fs->feed];
    if (f->phase != RX_AQ)
        return rx_cfg_fail(c, m, "feed '%s' is organic: only an aqueous feed's composition is sampled", f->name);
    if (!config_setting_is_group(m)) {
        if (config_setting_type(m) != CONFIG_TYPE_STRING || !strstr(config_setting_get_string(m), "%"))
            return rx_cfg_fail(c, m, "expected \"x %%\" for every element, or { La = \"2 %%\"; Ce = \"0.5 g/L\"; }");
        return get_spread(c, m, NULL, 1.0, &fs->all);
    }
    for (int i = 0; i < config_setting_length(m); i++) {
        const config_setting_t *e = config_setting_get_elem(m, (unsigned)i);
        int elem, rc;
        if ((rc = get_species(c, e, config_setting_name(e), &elem)) != RX_OK)
            return rc;
        int sp = rx_plant_species_of_element(p, elem);
        if (!(f->c[sp] > 0))
            return rx_cfg_fail(c, e, "feed '%s' carries no %s", f->name, config_setting_name(e));
        if ((rc = get_spread(c, e, rx_plant_element(p, sp), f->c[sp], &fs->conc[fs->nconc])) != RX_OK)
            return rc;
        fs->conc_elem[fs->nconc++] = elem;
    }
    return RX_OK;
}

static int read_feed(const RxCfg *c, const config_setting_t *t)
{
    static const char *const keys[] = {"feed", "flow", "composition", NULL};
    RxUncertaintySpec *u = &c->p->uncertainty;
    RxFeedSpread *fs = &u->feeds[u->nfeeds];
    const config_setting_t *m;
    const char *name;
    int rc;
    if (!config_setting_is_group(t))
        return rx_cfg_fail(c, t, "expected a group { feed; flow; composition; }");
    if ((rc = rx_cfg_check_keys(c, t, keys)) != RX_OK || (rc = rx_cfg_get_string(c, t, "feed", &name)) != RX_OK)
        return rc;
    fs->feed = rx_cfg_index_by_name(c->p->feeds, sizeof *c->p->feeds, c->p->nfeeds, name);
    if (fs->feed < 0)
        return rx_cfg_fail(c, rx_cfg_member(t, "feed"), "'%s' is not a feed of the plant", name);
    for (int k = 0; k < u->nfeeds; k++)
        if (u->feeds[k].feed == fs->feed)
            return rx_cfg_fail(c, rx_cfg_member(t, "feed"), "feed '%s' is listed twice", name);
    if ((m = rx_cfg_member(t, "flow")) && (rc = get_spread(c, m, NULL, c->p->feeds[fs->feed].flow, &fs->flow)) != RX_OK)
        return rc;
    if ((m = rx_cfg_member(t, "composition")) && (rc = read_composition(c, m, fs)) != RX_OK)
        return rc;
    u->nfeeds++;
    return RX_OK;
}

static int read_feeds(const RxCfg *c, const config_setting_t *g)
{
    const config_setting_t *l = rx_cfg_member(g, "feeds");
    if (!l)
        return RX_OK;
    if (!config_setting_is_list(l) || config_setting_length(l) > RX_MAX_UNC_FEEDS)
        return rx_cfg_fail(c, l, "expected a list of up to %d groups { feed; flow; composition; }", RX_MAX_UNC_FEEDS);
    for (int i = 0; i < config_setting_length(l); i++) {
        int rc = read_feed(c, config_setting_get_elem(l, (unsigned)i));
        if (rc != RX_OK)
            return rc;
    }
    return RX_OK;
}

int rx_cfg_read_uncertainty(const RxCfg *c, const config_setting_t *root)
{
    static const char *const keys[] = {"samples",      "seed",  "threads", "constant_sd", "constants",
                                       "correlations", "fitted", "feeds",  NULL};
    RxUncertaintySpec *u = &c->p->uncertainty;
    const config_setting_t *g = rx_cfg_member(root, "uncertainty");
    long long samples = RX_UNC_DEFAULT_SAMPLES, seed = RX_UNC_DEFAULT_SEED, threads = RX_UNC_DEFAULT_THREADS;
    u->fitted = 1;
    int rc = RX_OK;
    if (g && !config_setting_is_group(g))
        return rx_cfg_fail(c, g, "expected a group { samples; seed; constants; feeds; }");
    if (g) {
        u->present = 1;
        snprintf(u->where, sizeof u->where, "%s", rx_cfg_where(c, g));
        if ((rc = rx_cfg_check_keys(c, g, keys)) != RX_OK ||
            (rc = get_count(c, g, "samples", 1, RX_UNC_MAX_SAMPLES, &samples)) != RX_OK ||
            (rc = get_count(c, g, "seed", 1, RX_UNC_MAX_SEED, &seed)) != RX_OK ||
            (rc = get_count(c, g, "threads", 1, RX_UNC_MAX_THREADS, &threads)) != RX_OK ||
            (rc = read_constants(c, g)) != RX_OK || (rc = read_correlations(c, g)) != RX_OK)
            return rc;
        rc = read_feeds(c, g);
    }
    u->samples = (int)samples;
    u->seed = (unsigned long)seed;
    u->threads = (int)threads;
    return rc;
}
