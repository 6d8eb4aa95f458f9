/*
 * config/fit.c - the fit group (docs/fit.md): the shake-out data, the
 * residual and the elements whose constants `reesx fit` adjusts.
 *
 *   fit = { data = "shakeout.csv"; residual = "log10 D";
 *           elements = ["Mn", "Co"]; bounds = { Mn = [-8.0, 2.0]; }; };
 *
 * What an element's constant is follows from the model: log10 K
 * (mass_action), D (constant_d), or the line log10 D = slope pH +
 * intercept (empirical_logd, two parameters).  Start values are the
 * model's values in the config, or FIT_START_* when it gives none.
 */
#include "config/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define FIT_START_LOG10_K (-3.0)
#define FIT_START_D 1.0
#define FIT_START_SLOPE 1.0
#define FIT_START_INTERCEPT (-3.0)

/* The model's config value of element elem, or dflt. */
static double start_of(const RxPlant *p, int elem, double dflt)
{
    for (int i = 0; i < p->model_spec.nvalues; i++)
        if (p->model_spec.value_elem[i] == elem)
            return p->model_spec.value[i];
    return dflt;
}

static int add(const RxCfg *c, const config_setting_t *g, int kind, int elem, double start)
{
    RxFitSpec *f = &c->p->fit;
    if (f->nparams >= RX_MAX_FIT_PARAMS)
        return rx_cfg_fail(c, g, "at most %d parameters", RX_MAX_FIT_PARAMS);
    f->params[f->nparams++] = (RxFitParam){kind, elem, start, -HUGE_VAL, HUGE_VAL};
    return RX_OK;
}

int rx_cfg_read_fit(const RxCfg *c, const config_setting_t *root)
{
    static const char *const keys[] = {"data", "residual", "elements", "bounds", NULL};
    static const char *const residuals[] = {"log10 D", "concentration", NULL}; /* RX_RESID_* */
    const config_setting_t *g = rx_cfg_member(root, "fit");
    RxPlant *p = c->p;
    RxFitSpec *f = &p->fit;
    memset(f, 0, sizeof *f);
    if (!g)
        return RX_OK;
    f->present = 1;
    snprintf(f->where, sizeof f->where, "%s", rx_cfg_where(c, g));
    const char *data;
    int rc;
    if (!config_setting_is_group(g))
        return rx_cfg_fail(c, g, "expected a group { data = ...; elements = [...]; }");
    if ((rc = rx_cfg_check_keys(c, g, keys)) != RX_OK || (rc = rx_cfg_get_string(c, g, "data", &data)) != RX_OK)
        return rc;
    /* Relative to the config's folder. */
    const char *slash = strrchr(c->path, '/');
    if (data[0] == '/' || !slash)
        snprintf(f->data, sizeof f->data, "%s", data);
    else
        snprintf(f->data, sizeof f->data, "%.*s/%s", (int)(slash - c->path), c->path, data);
    if (rx_cfg_member(g, "residual") &&
        (rc = rx_cfg_get_word(c, g, "residual", residuals, "a residual", &f->residual)) != RX_OK)
        return rc;
    const config_setting_t *el = rx_cfg_member(g, "elements");
    if (!el)
        return rx_cfg_fail_missing(c, g, "elements", "the elements whose constants are fitted, e.g. [\"Mn\"]");
    if (!config_setting_is_array(el) || config_setting_length(el) == 0)
        return rx_cfg_fail(c, el, "expected element symbols, e.g. [\"Mn\", \"Co\"]");
    const char *type = p->model_spec.type;
    int ma = !strcmp(type, "mass_action"), cd = !strcmp(type, "constant_d"), em = !strcmp(type, "empirical_logd");
    if (!ma && !cd && !em)
        return rx_cfg_fail(c, g, "the %s model has no constants fit can adjust (use mass_action, constant_d or "
                                 "empirical_logd)", type);
    for (int j = 0; j < config_setting_length(el); j++) {
        const config_setting_t *e = config_setting_get_elem(el, (unsigned)j);
        const char *sym = config_setting_type(e) == CONFIG_TYPE_STRING ? config_setting_get_string(e) : "";
        const RxElement *row = rx_elements_find(p->elements, sym);
        if (!row)
            return rx_cfg_fail(c, el, "'%s' is not an element", sym);
        int elem = (int)(row - p->elements->el);
        for (int k = 0; k < f->nparams; k++)
            if (f->params[k].elem == elem)
                return rx_cfg_fail(c, el, "'%s' is listed twice", sym);
        if (ma)
            rc = add(c, el, RX_FIT_LOG10_K, elem, start_of(p, elem, FIT_START_LOG10_K));
        else if (cd)
            rc = add(c, el, RX_FIT_D, elem, start_of(p, elem, FIT_START_D));
        else if ((rc = add(c, el, RX_FIT_SLOPE, elem, FIT_START_SLOPE)) == RX_OK)
            rc = add(c, el, RX_FIT_INTERCEPT, elem, FIT_START_INTERCEPT);
        if (rc != RX_OK)
            return rc;
    }
    const config_setting_t *b = rx_cfg_member(g, "bounds");
    for (int j = 0; b && j < config_setting_length(b); j++) {
        const config_setting_t *m = config_setting_get_elem(b, (unsigned)j);
        const char *sym = config_setting_name(m);
        const RxElement *row = sym ? rx_elements_find(p->elements, sym) : NULL;
        RxFitParam *q = NULL;
        for (int k = 0; row && k < f->nparams; k++)
            if (f->params[k].elem == (int)(row - p->elements->el))
                q = &f->params[k];
        if (!q)
            return rx_cfg_fail(c, m, "'%s' is not among fit.elements", sym ? sym : "");
        if (em)
            return rx_cfg_fail(c, m, "bounds are for log10 K and D, not for an empirical line");
        if (!config_setting_is_array(m) || config_setting_length(m) != 2)
            return rx_cfg_fail(c, m, "expected [lower, upper]");
        q->lo = rx_cfg_number(config_setting_get_elem(m, 0));
        q->hi = rx_cfg_number(config_setting_get_elem(m, 1));
        if (!(q->lo < q->hi) || !isfinite(q->lo) || !isfinite(q->hi))
            return rx_cfg_fail(c, m, "the lower bound must be below the upper");
        if (cd && !(q->lo > 0))
            return rx_cfg_fail(c, m, "a distribution ratio's lower bound must be positive");
        q->start = fmin(fmax(q->start, q->lo), q->hi);
    }
    return RX_OK;
}
