/*
 * config/model.c - the model group: which equilibrium model, its data file
 * and settings, and its per-species values.  What a model takes and needs
 * is in its own table (models/model.h, RxModelType), so nothing here names
 * a model.
 */
#include "config/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Largest |x| of a model's per-species log10 value (RX_VALUE_LOG10, a
 * log10 K); beyond, D over- or underflows. */
#define RX_MAX_LOG10_K 50.0

static const RxUnit affinity_units[] = {{"L/mol", 1.0}, {NULL, 0}};

/* The settings of the model group: type, every model's per-species setting
 * (in registry order), then the RxModelSpec fields read here; each model
 * takes a few of them (RxModelType.settings and value_key). */
#define RX_MAX_MODEL_KEYS 32
static const char *const spec_keys[] = {"capacity", "affinity", "data", "activity"};
#define NSPEC_KEYS (sizeof spec_keys / sizeof spec_keys[0])

/* keys: RX_MAX_MODEL_KEYS, NULL ended. */
static void model_keys(const char **keys)
{
    size_t n = 0;
    keys[n++] = "type";
    const RxModelType *t;
    for (size_t i = 0; (t = rx_model_at(i)) && n + NSPEC_KEYS + 1 < RX_MAX_MODEL_KEYS; i++) {
        int listed = !t->value_key;
        for (size_t k = 0; k < n && !listed; k++)
            listed = strcmp(keys[k], t->value_key) == 0;
        if (!listed)
            keys[n++] = t->value_key;
    }
    for (size_t k = 0; k < NSPEC_KEYS; k++)
        keys[n++] = spec_keys[k];
    keys[n] = NULL;
}

/* Settings the plant's model takes; any other is an error, never silently ignored. */
static int check_model_keys(const RxCfg *c, const config_setting_t *g)
{
    const RxModelType *t = c->model;
    for (int k = 0; k < config_setting_length(g); k++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)k);
        const char *nm = config_setting_name(m);
        int ok = strcmp(nm, "type") == 0 || (t->value_key && strcmp(t->value_key, nm) == 0);
        for (const char *const *a = t->settings; *a && !ok; a++)
            ok = strcmp(*a, nm) == 0;
        if (!ok)
            return rx_cfg_fail(c, m, "not a setting of the %s model", t->name);
    }
    return RX_OK;
}

int rx_cfg_read_model(RxCfg *c, const config_setting_t *root)
{
    RxPlant *p = c->p;
    RxModelSpec *ms = &p->model_spec;
    c->model = rx_model_default();
    snprintf(ms->type, sizeof ms->type, "%s", c->model->name);
    snprintf(ms->activity, sizeof ms->activity, "none");
    const config_setting_t *g = rx_cfg_member(root, "model");
    snprintf(ms->where, sizeof ms->where, "%s", rx_cfg_where(c, g ? g : root));
    if (!g)
        return RX_OK;
    if (!config_setting_is_group(g))
        return rx_cfg_fail(c, g, "expected a group { type = \"%s\"; ... }", c->model->name);
    const char *keys[RX_MAX_MODEL_KEYS];
    model_keys(keys);
    int rc = rx_cfg_check_keys(c, g, keys);
    const char *s;
    if (rc == RX_OK && rx_cfg_member(g, "type") && (rc = rx_cfg_get_string(c, g, "type", &s)) == RX_OK) {
        const RxModelType *t = rx_model_find(s);
        if (!t)
            return rx_cfg_fail(c, rx_cfg_member(g, "type"), "unknown model '%s' (use %s)", s, rx_model_names());
        c->model = t;
        snprintf(ms->type, sizeof ms->type, "%s", s);
    }
    if (rc == RX_OK)
        rc = check_model_keys(c, g);
    const config_setting_t *m = NULL;
    if (rc == RX_OK && (m = rx_cfg_member(g, "capacity")))
        rc = rx_cfg_get_quantity(c, m, rx_cfg_molar_units, "0.17 mol/L", &ms->capacity);
    if (rc == RX_OK && m && !(ms->capacity > 0))
        rc = rx_cfg_fail(c, m, "capacity must be positive [mol/L]");
    if (rc == RX_OK && (m = rx_cfg_member(g, "affinity"))) {
        rc = rx_cfg_get_quantity(c, m, affinity_units, "1e4 L/mol", &ms->affinity);
        if (rc == RX_OK && !(ms->affinity > 0))
            rc = rx_cfg_fail(c, m, "affinity must be positive [L/mol]");
    }
    if (rc == RX_OK && rx_cfg_member(g, "activity")) {
        static const char *const words[] = {"none", "pitzer", NULL};
        int w;
        if ((rc = rx_cfg_get_word(c, g, "activity", words, "an activity model", &w)) != RX_OK)
            return rc;
        snprintf(ms->activity, sizeof ms->activity, "%s", words[w]);
    }
    if (rc == RX_OK && (m = rx_cfg_member(g, "data"))) {
        /* Absolute; beside the config (a fitted.tsv); else a shipped file of the data directory. */
        if ((rc = rx_cfg_get_string(c, g, "data", &s)) != RX_OK ||
            (rc = rx_cfg_get_path(c, g, "data", ms->datafile, sizeof ms->datafile)) != RX_OK)
            return rc;
        struct stat st;
        if (s[0] != '/' && stat(ms->datafile, &st) != 0)
            snprintf(ms->datafile, sizeof ms->datafile, "%s/%s", rx_data_dir(), s);
        /* stat, not open: a FIFO would block the open, /dev/zero never ends */
        if (stat(ms->datafile, &st) != 0)
            return rx_cfg_fail(c, m, "cannot open data file %s", ms->datafile);
        if (!S_ISREG(st.st_mode))
            return rx_cfg_fail(c, m, "data file %s is not a regular file", ms->datafile);
    }
    return rc;
}

/* The model's per-species values (its value_key: log10_K, D...); after
 * species are known. */
int rx_cfg_read_model_values(const RxCfg *c, const config_setting_t *root)
{
    RxPlant *p = c->p;
    RxModelSpec *ms = &p->model_spec;
    const config_setting_t *g = rx_cfg_member(root, "model");
    const char *key = c->model->value_key;
    if (!g || !key)
        return RX_OK; /* another model's key was refused by read_model */
    const config_setting_t *v = rx_cfg_member(g, key);
    if (!v)
        return RX_OK;
    if (!config_setting_is_group(v))
        return rx_cfg_fail(c, v, "expected a group of element = number entries");
    int is_log = c->model->value_kind == RX_VALUE_LOG10;
    for (int i = 0; i < config_setting_length(v); i++) {
        const config_setting_t *m = config_setting_get_elem(v, (unsigned)i);
        int t = config_setting_type(m);
        if (t != CONFIG_TYPE_FLOAT && t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
            return rx_cfg_fail(c, m, "expected a number");
        double x = rx_cfg_number(m);
        if (!is_log && !(x > 0))
            return rx_cfg_fail(c, m, "must be positive");
        if (is_log && !(fabs(x) <= RX_MAX_LOG10_K))
            return rx_cfg_fail(c, m, "%s is outside -%g to %g",
                               rx_fmt_beyond((char[RX_NUM_LEN]){0}, x, x < 0 ? -RX_MAX_LOG10_K : RX_MAX_LOG10_K),
                               RX_MAX_LOG10_K, RX_MAX_LOG10_K);
        if (!rx_elements_find(p->elements, config_setting_name(m)))
            return rx_cfg_fail(c, m, "'%s' is not in the element data (%s/elements.tsv)", config_setting_name(m),
                               rx_data_dir());
        if (ms->nvalues == RX_MAX_VALUES)
            return rx_cfg_fail(c, v, "too many values (at most %d)", RX_MAX_VALUES);
        ms->value_elem[ms->nvalues] = (int)(rx_elements_find(p->elements, config_setting_name(m)) - p->elements->el);
        ms->value[ms->nvalues++] = x; /* an element no feed carries is harmless: no species takes it */
    }
    return RX_OK;
}
