/*
 * config/fit.c - the fit group (docs/fit.md): the data (batch shake-outs,
 * this circuit's measured stage profile, or both), the residual and its
 * weights, and the parameters `reesx fit` adjusts.
 *
 *   fit = { data = "shakeout.csv"; profile = "profile.csv";
 *           residual = "log10 concentration"; weights = { pH = 4.0; };
 *           elements = ["Mn", "Co"]; efficiency = ["scrub"];
 *           bounds = { Mn = [-8.0, 2.0]; scrub = [0.5, 1.0]; }; };
 *
 * What an element's constant is follows from the model: its per-element
 * value (log10 K for mass_action, D for constant_d, beta for
 * separation_factor), or the coefficients of its line log10 D = (m0 + m1
 * dosage) pH + B0 + B1 log10(dosage) (empirical_logd: m0 and B0, and with
 * terms = "pH and dosage" m1 and B1 too).  A section's Murphree efficiency is a
 * parameter of any model.  Start values: the config's value, else the
 * model data file's, else FIT_START_*.
 */
#include "config/internal.h"

#include "core/datafile.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define FIT_START_LOG10 (-3.0)
#define FIT_START_POSITIVE 1.0
#define FIT_START_SLOPE 1.0
#define FIT_START_INTERCEPT (-3.0)
#define FIT_START_DOSAGE 0.0
/* A positive constant (D, beta) is kept above this, so that a step of the
 * least squares never hands the model a value it refuses. */
#define FIT_MIN_POSITIVE 1e-12

/* The value of element elem in the config, else in the model's data file
 * (column col), else dflt. */
static double start_of(const RxPlant *p, int elem, int col, double dflt)
{
    for (int i = 0; col == 1 && i < p->model_spec.nvalues; i++)
        if (p->model_spec.value_elem[i] == elem)
            return p->model_spec.value[i];
    double v;
    if (p->model_spec.datafile[0] && rx_datafile_number(p->model_spec.datafile, p->elements->el[elem].sym, col, &v))
        return v;
    return dflt;
}

static int add(const RxCfg *c, const config_setting_t *g, RxFitParam q)
{
    RxFitSpec *f = &c->p->fit;
    if (f->nparams >= RX_MAX_FIT_PARAMS)
        return rx_cfg_fail(c, g, "at most %d parameters", RX_MAX_FIT_PARAMS);
    f->params[f->nparams++] = q;
    return RX_OK;
}

/* The coefficients of element elem's empirical line, in the data file's
 * column order (symbol m0 m1 B0 B1): m0 and B0, and m1 and B1 with dosage. */
static int add_line(const RxCfg *c, const config_setting_t *el, int elem, int dosage)
{
    static const int kinds[] = {RX_FIT_SLOPE, RX_FIT_INTERCEPT, RX_FIT_SLOPE_DOSAGE, RX_FIT_INTERCEPT_DOSAGE};
    static const int cols[] = {1 + RX_LINE_M0, 1 + RX_LINE_B0, 1 + RX_LINE_M1, 1 + RX_LINE_B1};
    static const double starts[] = {FIT_START_SLOPE, FIT_START_INTERCEPT, FIT_START_DOSAGE, FIT_START_DOSAGE};
    int rc = RX_OK;
    for (int i = 0; rc == RX_OK && i < (dosage ? 4 : 2); i++)
        rc = add(c, el,
                 (RxFitParam){kinds[i], elem, start_of(c->p, elem, cols[i], starts[i]), -HUGE_VAL, HUGE_VAL, 0});
    return rc;
}

static int read_elements(const RxCfg *c, const config_setting_t *el, int dosage)
{
    RxPlant *p = c->p;
    if (!config_setting_is_array(el) || config_setting_length(el) == 0)
        return rx_cfg_fail(c, el, "expected element symbols, e.g. [\"Mn\", \"Co\"]");
    const RxModelType *t = c->model;
    int is_log = t->value_kind == RX_VALUE_LOG10;
    for (int j = 0; j < config_setting_length(el); j++) {
        const config_setting_t *e = config_setting_get_elem(el, (unsigned)j);
        const char *sym = config_setting_type(e) == CONFIG_TYPE_STRING ? config_setting_get_string(e) : "";
        const RxElement *row = rx_elements_find(p->elements, sym);
        if (!row)
            return rx_cfg_fail(c, el, "'%s' is not an element", sym);
        int elem = (int)(row - p->elements->el), rc;
        for (int k = 0; k < p->fit.nparams; k++)
            if (p->fit.params[k].kind != RX_FIT_EFFICIENCY && p->fit.params[k].elem == elem)
                return rx_cfg_fail(c, el, "'%s' is listed twice", sym);
        if (!t->value_key)
            rc = add_line(c, el, elem, dosage);
        else
            rc = add(c, el,
                     (RxFitParam){RX_FIT_VALUE, elem, start_of(p, elem, 1, is_log ? FIT_START_LOG10 : FIT_START_POSITIVE),
                                  is_log ? -HUGE_VAL : FIT_MIN_POSITIVE, HUGE_VAL, 0});
        if (rc != RX_OK)
            return rc;
    }
    return RX_OK;
}

static int read_efficiency(const RxCfg *c, const config_setting_t *ef)
{
    RxPlant *p = c->p;
    if (!config_setting_is_array(ef) || config_setting_length(ef) == 0)
        return rx_cfg_fail(c, ef, "expected section names, e.g. [\"scrub\"]");
    for (int j = 0; j < config_setting_length(ef); j++) {
        const config_setting_t *e = config_setting_get_elem(ef, (unsigned)j);
        const char *name = config_setting_type(e) == CONFIG_TYPE_STRING ? config_setting_get_string(e) : "";
        int sec = rx_cfg_index_by_name(p->sections, sizeof p->sections[0], p->nsections, name);
        if (sec < 0)
            return rx_cfg_fail(c, ef, "'%s' is not a section of this circuit", name);
        for (int k = 0; k < p->fit.nparams; k++)
            if (p->fit.params[k].kind == RX_FIT_EFFICIENCY && p->fit.params[k].section == sec)
                return rx_cfg_fail(c, ef, "'%s' is listed twice", name);
        int rc = add(c, ef,
                     (RxFitParam){RX_FIT_EFFICIENCY, -1, p->sections[sec].efficiency, RX_MIN_EFFICIENCY, 1.0, sec});
        if (rc != RX_OK)
            return rc;
    }
    return RX_OK;
}

/* bounds = { Mn = [lo, hi]; scrub = [lo, hi]; }: an element's constant or a
 * section's efficiency. */
static int read_bounds(const RxCfg *c, const config_setting_t *b)
{
    RxPlant *p = c->p;
    RxFitSpec *f = &p->fit;
    if (!config_setting_is_group(b))
        return rx_cfg_fail(c, b, "expected a group, e.g. { Mn = [-8.0, 2.0]; }");
    for (int j = 0; j < config_setting_length(b); j++) {
        const config_setting_t *m = config_setting_get_elem(b, (unsigned)j);
        const char *name = config_setting_name(m);
        const RxElement *row = rx_elements_find(p->elements, name);
        int sec = rx_cfg_index_by_name(p->sections, sizeof p->sections[0], p->nsections, name);
        RxFitParam *q = NULL;
        for (int k = 0; k < f->nparams; k++) {
            RxFitParam *r = &f->params[k];
            if (r->kind == RX_FIT_EFFICIENCY ? r->section == sec : row && r->elem == (int)(row - p->elements->el))
                q = r;
        }
        if (!q)
            return rx_cfg_fail(c, m, "'%s' is not among fit.elements or fit.efficiency", name);
        if (q->kind != RX_FIT_VALUE && q->kind != RX_FIT_EFFICIENCY)
            return rx_cfg_fail(c, m, "bounds are for a model value or an efficiency, not for an empirical line");
        if (!config_setting_is_array(m) || config_setting_length(m) != 2)
            return rx_cfg_fail(c, m, "expected [lower, upper]");
        double lo = rx_cfg_number(config_setting_get_elem(m, 0)), hi = rx_cfg_number(config_setting_get_elem(m, 1));
        if (!(lo < hi) || !isfinite(lo) || !isfinite(hi))
            return rx_cfg_fail(c, m, "the lower bound must be below the upper");
        if (q->lo > -HUGE_VAL && !(lo >= q->lo && hi <= q->hi))
            return rx_cfg_fail(c, m, "must lie within [%g, %g]", q->lo, q->hi);
        q->lo = lo;
        q->hi = hi;
        q->start = fmin(fmax(q->start, q->lo), q->hi);
    }
    return RX_OK;
}

/* weights = { pH = 4.0; aqueous = 1.0; }: what multiplies the squared
 * residual of each kind of measurement. */
static int read_weights(const RxCfg *c, const config_setting_t *g)
{
    static const char *const kinds[] = {"D", "extraction", "aqueous", "organic", "pH", NULL}; /* RX_MEAS_* */
    RxFitSpec *f = &c->p->fit;
    if (!config_setting_is_group(g))
        return rx_cfg_fail(c, g, "expected a group, e.g. { pH = 4.0; aqueous = 1.0; }");
    int rc = rx_cfg_check_keys(c, g, kinds);
    for (int k = 0; rc == RX_OK && kinds[k]; k++) {
        const config_setting_t *m = rx_cfg_member(g, kinds[k]);
        if (!m)
            continue;
        f->weight[k] = rx_cfg_number(m);
        if (!(f->weight[k] > 0) || !isfinite(f->weight[k]))
            return rx_cfg_fail(c, m, "a weight must be a positive number (1/sigma^2 in the residual's unit)");
    }
    return rc;
}

int rx_cfg_read_fit(const RxCfg *c, const config_setting_t *root)
{
    static const char *const keys[] = {"data",       "profile", "residual", "weights", "elements",
                                       "efficiency", "bounds",  "terms",    NULL};
    static const char *const terms[] = {"pH", "pH and dosage", NULL};
    static const char *const residuals[] = {"log10 D", "concentration", "log10 concentration", NULL}; /* RX_RESID_* */
    const config_setting_t *g = rx_cfg_member(root, "fit"), *m;
    RxFitSpec *f = &c->p->fit;
    memset(f, 0, sizeof *f);
    for (int k = 0; k < RX_NMEAS; k++)
        f->weight[k] = 1.0;
    if (!g)
        return RX_OK;
    f->present = 1;
    snprintf(f->where, sizeof f->where, "%s", rx_cfg_where(c, g));
    if (!config_setting_is_group(g))
        return rx_cfg_fail(c, g, "expected a group { data = ...; elements = [...]; }");
    int rc = rx_cfg_check_keys(c, g, keys);
    if (rc == RX_OK && rx_cfg_member(g, "data"))
        rc = rx_cfg_get_path(c, g, "data", f->data, sizeof f->data);
    if (rc == RX_OK && rx_cfg_member(g, "profile"))
        rc = rx_cfg_get_path(c, g, "profile", f->profile, sizeof f->profile);
    if (rc == RX_OK && !f->data[0] && !f->profile[0])
        return rx_cfg_fail_missing(c, g, "data", "give the shake-out data (data = \"...csv\"), a stage profile "
                                                 "(profile = \"...csv\") or both");
    f->residual = f->profile[0] ? RX_RESID_LOG10_CONC : RX_RESID_LOG10_D;
    if (rc == RX_OK && (m = rx_cfg_member(g, "residual")) &&
        (rc = rx_cfg_get_word(c, g, "residual", residuals, "a residual", &f->residual)) == RX_OK &&
        f->profile[0] && f->residual == RX_RESID_LOG10_D)
        return rx_cfg_fail(c, m, "a stage profile has no D: use \"log10 concentration\" or \"concentration\"");
    if (rc == RX_OK && (m = rx_cfg_member(g, "weights")))
        rc = read_weights(c, m);
    const config_setting_t *el = rx_cfg_member(g, "elements"), *ef = rx_cfg_member(g, "efficiency");
    if (rc == RX_OK && !el && !ef)
        return rx_cfg_fail_missing(c, g, "elements", "the elements whose constants are fitted, e.g. [\"Mn\"] "
                                                     "(or efficiency = [\"section\"])");
    if (rc == RX_OK && el && !c->model->value_key && strcmp(c->model->name, "empirical_logd"))
        return rx_cfg_fail(c, el, "the %s model has no constants fit can adjust", c->model->name);
    int dosage = 0;
    if (rc == RX_OK && (m = rx_cfg_member(g, "terms"))) {
        if (c->model->value_key)
            return rx_cfg_fail(c, m, "terms are the empirical_logd lines', not the %s model's", c->model->name);
        if ((rc = rx_cfg_get_word(c, g, "terms", terms, "the terms of the lines", &dosage)) == RX_OK && dosage &&
            !(c->p->extractant_vv > 0))
            return rx_cfg_fail(c, m, "the dosage terms need extractant.concentration in v/v%%");
    }
    if (rc == RX_OK && el)
        rc = read_elements(c, el, dosage);
    if (rc == RX_OK && ef)
        rc = read_efficiency(c, ef);
    if (rc == RX_OK && (m = rx_cfg_member(g, "bounds")))
        rc = read_bounds(c, m);
    return rc;
}
