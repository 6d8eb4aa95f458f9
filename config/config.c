/*
 * config.c - libconfig plant description -> validated RxPlant (schema v1).
 *
 * The only file that includes libconfig.h.  Every error names the file, the
 * line and the setting: "file:line" in err->where, "setting: what is wrong"
 * in err->msg.  Quantities are strings with their unit written out
 * ("100 L/h", "30 g/L REO", "pH 1.5"); docs/config.md lists them all.
 */
#include "config/config.h"

#include "core/datafile.h"
#include "core/flows.h"
#include "models/model.h"

#include <libconfig.h>
#include <stdarg.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RX_SCHEMA_VERSION 1
/* Solver defaults (documented in docs/config.md). */
#define RX_DEFAULT_MAX_ITER 2000
#define RX_DEFAULT_TOL 1e-12
/* mL per L and % per unit, for unit conversions. */
#define ML_PER_L 1000.0
#define PERCENT 100.0
#define S_PER_MIN 60.0
/* Plausibility bounds: no setting of a plant is larger than this in its
 * internal unit (L/h, L, h, mol/L...), no aqueous holds more free acid or
 * metal, and no run writes more rows. */
#define RX_MAX_QUANTITY 1e9
#define RX_MAX_MOLAR 20.0
#define RX_MAX_ROWS 1000000
/* Largest |x| of a model's per-species log10 value (RX_VALUE_LOG10, a
 * log10 K); beyond, D over- or underflows. */
#define RX_MAX_LOG10_K 50.0
#define RX_MAX_HORIZON 1e7 /* h, over a thousand years */
/* Design search: worker threads by default (this machine has 2 cores) and
 * at most; stages a section may be searched up to; flow levels per feed. */
#define RX_DEFAULT_THREADS 2
#define RX_MAX_THREADS 64
#define RX_MAX_DESIGN_STAGES 1000
#define RX_DEFAULT_FLOW_STEPS 5
#define RX_MAX_FLOW_STEPS 101
#define RX_MAX_FLOW_POINTS 100000
/* Stage non-idealities: below 5 % efficiency a stage barely contacts the
 * phases (the bypass would carry 19 times what is mixed); above 20 %
 * entrainment a settler is flooding, outside what a share of flow models. */
#define RX_MIN_EFFICIENCY 0.05
#define RX_MAX_ENTRAINMENT 0.2

typedef struct {
    const char *path;
    RxError *err;
    RxPlant *p;
    const RxModelType *model; /* the plant's model type, from read_model on */
} Ctx;

/* "file:line" of a setting. */
static const char *where(const Ctx *c, const config_setting_t *s)
{
    static _Thread_local char buf[300];
    /* A setting from an @include'd file is that file's. */
    const char *file = s && config_setting_source_file(s) ? config_setting_source_file(s) : c->path;
    snprintf(buf, sizeof buf, "%s:%u", file, s ? (unsigned)config_setting_source_line(s) : 0u);
    return buf;
}

/* Full dotted name of a setting, e.g. feeds[1].flow. */
static void setting_name(const config_setting_t *s, char *out, size_t n)
{
    const config_setting_t *chain[32];
    int k = 0;
    for (const config_setting_t *t = s; t && config_setting_parent(t) && k < 32; t = config_setting_parent(t))
        chain[k++] = t;
    out[0] = '\0';
    size_t len = 0;
    for (int i = k - 1; i >= 0; i--) {
        const config_setting_t *t = chain[i];
        const char *nm = config_setting_name(t);
        int wrote;
        if (nm)
            wrote = snprintf(out + len, n - len, "%s%s", len ? "." : "", nm);
        else
            wrote = snprintf(out + len, n - len, "[%d]", config_setting_index(t));
        if (wrote < 0 || (size_t)wrote >= n - len)
            break;
        len += (size_t)wrote;
    }
}

__attribute__((format(printf, 4, 0))) static int vfail_at(const Ctx *c, const char *at, const char *name,
                                                          const char *fmt, va_list ap)
{
    char msg[500];
    vsnprintf(msg, sizeof msg, fmt, ap);
    return rx_error_set(c->err, RX_BAD_INPUT, at, "%s: %s", name, msg);
}

/* Required member `key` of group g is missing.  It has no line of its own:
 * the error names it in full ("feeds[2].flow") at the line of g, or at line 1
 * for a top-level setting. */
__attribute__((format(printf, 4, 5))) static int fail_missing(const Ctx *c, const config_setting_t *g,
                                                              const char *key, const char *fmt, ...)
{
    char name[200], at[300];
    setting_name(g, name, sizeof name);
    size_t len = strlen(name);
    snprintf(name + len, sizeof name - len, "%s%s", len ? "." : "", key);
    if (config_setting_parent(g))
        snprintf(at, sizeof at, "%s", where(c, g));
    else
        snprintf(at, sizeof at, "%s:1", c->path);
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail_at(c, at, name, fmt, ap);
    va_end(ap);
    return rc;
}

__attribute__((format(printf, 3, 4))) static int fail(const Ctx *c, const config_setting_t *s, const char *fmt, ...)
{
    char name[160], at[300];
    setting_name(s, name, sizeof name);
    snprintf(at, sizeof at, "%s", where(c, s));
    if (!s || !config_setting_parent(s)) { /* the root: the whole file */
        snprintf(name, sizeof name, "(top level)");
        snprintf(at, sizeof at, "%s:1", c->path);
    }
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail_at(c, at, name, fmt, ap);
    va_end(ap);
    return rc;
}

/* Reject members of group g not listed in allowed (NULL-terminated). */
static int check_keys(const Ctx *c, const config_setting_t *g, const char *const *allowed)
{
    int n = config_setting_length(g);
    for (int i = 0; i < n; i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        const char *nm = config_setting_name(m);
        int ok = 0;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, nm) == 0;
        if (!ok) {
            char list[300] = "";
            for (const char *const *a = allowed; *a; a++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", a == allowed ? "" : ", ", *a);
            return fail(c, m, "unknown setting (expected one of: %s)", list);
        }
    }
    return RX_OK;
}

static const config_setting_t *member(const config_setting_t *g, const char *name)
{
    return config_setting_get_member(g, name);
}

/* Member `name` of g, which must exist and be of type (CONFIG_TYPE_FLOAT: any
 * number; CONFIG_TYPE_NONE: any type, the caller checks it). */
/* A number setting, integer or floating point. */
static double number_of(const config_setting_t *m)
{
    return config_setting_type(m) == CONFIG_TYPE_FLOAT ? config_setting_get_float(m)
                                                       : (double)config_setting_get_int64(m);
}

static int need(const Ctx *c, const config_setting_t *g, const char *name, int type, const config_setting_t **out)
{
    const config_setting_t *m = member(g, name);
    if (!m)
        return fail_missing(c, g, name, "required setting is missing");
    int t = config_setting_type(m);
    if (type == CONFIG_TYPE_NONE)
        ; /* checked by the caller */
    else if (type == CONFIG_TYPE_FLOAT ? !(t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT)
                                  : t != type) {
        static const char *const names[] = {"none",   "group", "integer", "integer", "number",
                                            "string", "boolean", "array", "list"};
        return fail(c, m, "expected %s %s", type == CONFIG_TYPE_INT || type == CONFIG_TYPE_ARRAY ? "an" : "a",
                    names[type]);
    }
    *out = m;
    return RX_OK;
}

static int get_string(const Ctx *c, const config_setting_t *g, const char *name, const char **out)
{
    const config_setting_t *m = NULL;
    int rc = need(c, g, name, CONFIG_TYPE_STRING, &m);
    if (rc == RX_OK)
        *out = config_setting_get_string(m);
    return rc;
}

/* A quantity string: number, then unit.  Returns the unit pointer into s. */
static int split_quantity(const char *s, double *v, const char **unit)
{
    char *end = NULL;
    double x = strtod(s, &end);
    if (end == s || !isfinite(x))
        return 0;
    while (*end == ' ' || *end == '\t')
        end++;
    *v = x;
    *unit = end;
    return 1;
}

typedef struct {
    const char *unit;
    double factor; /* multiply the number to get the internal unit */
} UnitDef;

/* Parse "<number> <unit>" with one of units; out in internal units. */
static int get_quantity(const Ctx *c, const config_setting_t *m, const UnitDef *units, const char *example,
                        double *out)
{
    if (config_setting_type(m) != CONFIG_TYPE_STRING)
        return fail(c, m, "expected a quantity with its unit, e.g. \"%s\"", example);
    const char *s = config_setting_get_string(m), *unit;
    double v;
    if (!split_quantity(s, &v, &unit))
        return fail(c, m, "'%s' does not start with a number (e.g. \"%s\")", s, example);
    char list[200] = "";
    for (const UnitDef *u = units; u->unit; u++) {
        if (strcmp(u->unit, unit) == 0) {
            *out = v * u->factor;
            if (!isfinite(*out) || fabs(*out) > RX_MAX_QUANTITY)
                return fail(c, m, "'%s' is out of range (magnitude above %g in %s)", s, RX_MAX_QUANTITY,
                            units[0].unit);
            return RX_OK;
        }
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", u == units ? "" : ", ", u->unit);
    }
    if (!*unit)
        return fail(c, m, "'%s' has no unit (use %s)", s, list);
    return fail(c, m, "unknown unit '%s' (use %s)", unit, list);
}

static const UnitDef flow_units[] = {{"L/h", 1.0}, {"m3/h", ML_PER_L}, {"L/min", S_PER_MIN}, {NULL, 0}};
static const UnitDef percent_units[] = {{"%", 1.0 / PERCENT}, {NULL, 0}};
static const UnitDef fraction_units[] = {{"%", 1.0 / PERCENT}, {"ppm", 1e-6}, {NULL, 0}};
static const UnitDef molar_units[] = {{"mol/L", 1.0}, {"mmol/L", 1e-3}, {NULL, 0}};
static const UnitDef affinity_units[] = {{"L/mol", 1.0}, {NULL, 0}};
static const UnitDef time_units[] = {{"h", 1.0}, {"min", 1.0 / S_PER_MIN}, {"s", 1.0 / 3600.0}, {"d", 24.0}, {NULL, 0}};
static const UnitDef volume_units[] = {{"L", 1.0}, {"m3", ML_PER_L}, {NULL, 0}};
static const UnitDef length_units[] = {{"m", 1.0}, {"cm", 0.01}, {"mm", 0.001}, {NULL, 0}};
static const UnitDef area_units[] = {{"m2", 1.0}, {NULL, 0}};

/* Stage reference: 1-based integer, or "section:first|last|N". */
static int get_stage(const Ctx *c, const config_setting_t *g, int *out, RxStageRef *ref)
{
    const config_setting_t *m = member(g, "stage");
    const RxPlant *p = c->p;
    if (!m)
        return fail_missing(c, g, "stage", "required setting is missing (a stage number 1..%d or \"section:first\")",
                            p->nstages);
    if (config_setting_type(m) == CONFIG_TYPE_INT) {
        int k = config_setting_get_int(m);
        if (k < 1 || k > p->nstages)
            return fail(c, m, "stage %d does not exist (the circuit has stages 1..%d)", k, p->nstages);
        *out = k - 1;
        *ref = (RxStageRef){-1, 0};
        return RX_OK;
    }
    if (config_setting_type(m) != CONFIG_TYPE_STRING)
        return fail(c, m, "expected a stage number or \"section:first|last|N\"");
    const char *s = config_setting_get_string(m), *colon = strchr(s, ':');
    for (int i = 0; colon && i < p->nsections; i++) {
        const RxSection *sec = &p->sections[i];
        if (strlen(sec->name) != (size_t)(colon - s) || strncmp(sec->name, s, (size_t)(colon - s)) != 0)
            continue;
        const char *pos = colon + 1;
        double n;
        if (strcmp(pos, "first") == 0)
            *ref = (RxStageRef){i, 0};
        else if (strcmp(pos, "last") == 0)
            *ref = (RxStageRef){i, -1};
        else if (rx_parse_number(pos, &n) && n >= 1 && n <= sec->count && n == floor(n))
            *ref = (RxStageRef){i, (int)n - 1};
        else
            return fail(c, m, "'%s': position must be first, last or 1..%d", s, sec->count);
        *out = rx_stage_of(p, *ref, *out);
        return RX_OK;
    }
    return fail(c, m, "'%s' names no section (expected \"section:first|last|N\")", s);
}

/* The string setting `name` of g as the index of one of words (NULL
 * ended); otherwise an error "'x' is not <what> (use a, b or c)". */
static int get_word(const Ctx *c, const config_setting_t *g, const char *name, const char *const *words,
                    const char *what, int *out)
{
    const char *s;
    int rc = get_string(c, g, name, &s);
    if (rc != RX_OK)
        return rc;
    char list[200] = "";
    for (int i = 0; words[i]; i++) {
        if (strcmp(s, words[i]) == 0) {
            *out = i;
            return RX_OK;
        }
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i == 0 ? "" : words[i + 1] ? ", " : " or ",
                 words[i]);
    }
    return fail(c, member(g, name), "'%s' is not %s (use %s)", s, what, list);
}

static int get_phase(const Ctx *c, const config_setting_t *g, int *out)
{
    static const char *const words[] = {"aqueous", "organic", NULL}; /* RX_AQ, RX_ORG */
    return get_word(c, g, "phase", words, "a phase", out);
}

/* Concentration "v unit" of element e -> mol/L. */
static int get_concentration(const Ctx *c, const config_setting_t *m, const RxElement *e, double *out)
{
    const char *unit;
    double v;
    const char *example = "30 g/L REO";
    if (config_setting_type(m) != CONFIG_TYPE_STRING)
        return fail(c, m, "expected a concentration with its unit, e.g. \"%s\"", example);
    const char *s = config_setting_get_string(m);
    if (!split_quantity(s, &v, &unit))
        return fail(c, m, "'%s' does not start with a number (e.g. \"%s\")", s, example);
    if (v < 0)
        return fail(c, m, "concentration must not be negative [%s]", unit);
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
            return fail(c, m, "%s has no oxide basis; use g/L or mol/L", e->sym);
        *out = v * (unit[0] == 'm' ? 1e-3 : 1.0) / ox / e->molar_mass;
    } else
        return fail(c, m, "unknown unit '%s' (use mol/L, mmol/L, g/L, mg/L, g/L REO or mg/L REO)", unit);
    if (!(*out <= RX_MAX_MOLAR))
        return fail(c, m, "%.4g mol/L is more than any aqueous or organic holds (at most %g mol/L)", *out,
                    RX_MAX_MOLAR);
    return RX_OK;
}

static int read_composition(const Ctx *c, const config_setting_t *g, RxFeed *f, int event)
{
    const config_setting_t *comp = member(g, "composition");
    if (!comp)
        return RX_OK;
    if (!config_setting_is_group(comp))
        return fail(c, comp, "expected a group of element = \"value unit\" entries");
    for (int i = 0; i < config_setting_length(comp); i++) {
        const config_setting_t *m = config_setting_get_elem(comp, (unsigned)i);
        const char *sym = config_setting_name(m);
        const RxElement *e = rx_elements_find(c->p->elements, sym);
        if (!e)
            return fail(c, m, "'%s' is not in the element data (%s/elements.tsv)", sym, rx_data_dir());
        if (e->charge <= 0)
            return fail(c, m, "'%s' is not a metal cation; give acid with 'acid'", sym);
        double v = 0;
        int rc = get_concentration(c, m, e, &v);
        if (rc != RX_OK)
            return rc;
        if (v <= 0)
            continue;
        if (event && rx_plant_species(c->p, sym) < 0)
            return fail(c, m, "'%s' is in no feed of the plant: a change cannot add an element", sym);
        int s = rx_plant_add_species(c->p, (int)(e - c->p->elements->el));
        if (s < 0)
            return fail(c, m, "too many species (at most %d)", RX_MAX_SPECIES);
        f->c[s] = v;
    }
    return RX_OK;
}

typedef struct {
    double molar_mass, density;
    int have_mm, have_rho;
} ExtractantProps;

static int extractant_row(void *vctx, char **tok, int ntok, int line, RxError *err)
{
    (void)ntok;
    (void)line;
    (void)err;
    ExtractantProps *e = vctx;
    double v;
    if (strcmp(tok[0], "molar_mass") == 0 && rx_parse_number(tok[1], &v) && v > 0) {
        e->molar_mass = v;
        e->have_mm = 1;
    } else if (strcmp(tok[0], "density") == 0 && rx_parse_number(tok[1], &v) && v > 0) {
        e->density = v;
        e->have_rho = 1;
    }
    return RX_OK;
}

static int read_extractant(const Ctx *c, const config_setting_t *root)
{
    static const char *const keys[] = {"name", "concentration", "saponification", "base", NULL};
    RxPlant *p = c->p;
    const config_setting_t *g = member(root, "extractant"), *m;
    int required = c->model->needs_extractant;
    if (!g) {
        if (required)
            return fail_missing(c, root, "extractant", "required setting is missing (the %s model needs it)",
                                c->model->name);
        return RX_OK;
    }
    if (!config_setting_is_group(g))
        return fail(c, g, "expected a group { name; concentration; saponification; base; }");
    int rc = check_keys(c, g, keys);
    const char *name;
    if (rc == RX_OK)
        rc = get_string(c, g, "name", &name);
    if (rc != RX_OK)
        return rc;
    if (strlen(name) == 0 || strlen(name) >= sizeof p->extractant || strchr(name, '/'))
        return fail(c, member(g, "name"), "'%s' is not a valid extractant name", name);
    snprintf(p->extractant, sizeof p->extractant, "%s", name);
    char path[512];
    snprintf(path, sizeof path, "%s/%s_chloride.tsv", rx_data_dir(), name);
    ExtractantProps props = {0};
    RxError derr;
    if (rx_datafile_read(path, 2, extractant_row, &props, &derr) != RX_OK)
        return fail(c, member(g, "name"), "no usable data for extractant '%s' (%s: %s)", name, derr.where, derr.msg);
    if (c->model->extractant_data && !p->model_spec.datafile[0])
        snprintf(p->model_spec.datafile, sizeof p->model_spec.datafile, "%s", path);

    rc = need(c, g, "concentration", CONFIG_TYPE_NONE, &m);
    if (rc != RX_OK)
        return rc;
    if (config_setting_type(m) != CONFIG_TYPE_STRING)
        return fail(c, m, "expected a quantity with its unit, e.g. \"1.5 mol/L\"");
    const char *s = config_setting_get_string(m), *unit;
    double v;
    if (!split_quantity(s, &v, &unit))
        return fail(c, m, "'%s' does not start with a number (e.g. \"1.5 mol/L\")", s);
    if (strcmp(unit, "mol/L") == 0)
        p->extractant_conc = v;
    else if (strcmp(unit, "v/v%") == 0 || strcmp(unit, "% v/v") == 0) {
        if (v > PERCENT)
            return fail(c, m, "%g v/v%% is more than 100 %%", v);
        p->extractant_vv = v;
        /* The molar concentration needs the data file's molar mass and
         * density; models that only use the dosage do without. */
        if (props.have_mm && props.have_rho)
            p->extractant_conc = v / PERCENT * props.density * ML_PER_L / props.molar_mass;
        else if (required)
            return fail(c, m, "v/v%% needs molar_mass and density rows in %s", path);
        else if (!(v > 0))
            return fail(c, m, "extractant dosage must be positive [v/v%%]");
    } else
        return fail(c, m, "unknown unit '%s' (use mol/L as monomer HA, or v/v%%)", unit);
    if (!(p->extractant_conc > 0) && !(p->extractant_vv > 0))
        return fail(c, m, "extractant concentration must be positive [mol/L]");
    p->extractant_mm = props.have_mm ? props.molar_mass : 0;
    p->extractant_rho = props.have_rho ? props.density : 0;
    if (!(p->extractant_conc <= RX_MAX_MOLAR))
        return fail(c, m, "%g mol/L is more extractant than a liquid holds (at most %g mol/L)", p->extractant_conc,
                    RX_MAX_MOLAR);

    m = member(g, "saponification");
    if (m) {
        rc = get_quantity(c, m, percent_units, "36 %", &p->saponification);
        if (rc != RX_OK)
            return rc;
        /* Each Na(A.HA) holds two monomer units: at most half the HA can be saponified. */
        if (p->saponification < 0 || p->saponification >= 0.5)
            return fail(c, m, "%g %% is not feasible: saponification must be 0 to below 50 %% "
                              "(each Na(A.HA) holds two HA units) [%%]",
                        p->saponification * PERCENT);
    }
    /* Without a model group, a missing constant is best pointed at here. */
    if (!member(root, "model"))
        snprintf(p->model_spec.where, sizeof p->model_spec.where, "%s",
                 where(c, member(g, "base") ? member(g, "base") : g));
    if (member(g, "base")) {
        rc = get_string(c, g, "base", &s);
        if (rc != RX_OK)
            return rc;
        if (strcmp(s, "NaOH") != 0 && strcmp(s, "NH4OH") != 0)
            return fail(c, member(g, "base"), "'%s' is not a supported base (use NaOH or NH4OH)", s);
        snprintf(p->base_name, sizeof p->base_name, "%s", s);
    }
    if (p->saponification > 0) {
        const char *sym = strcmp(p->base_name, "NaOH") == 0 ? "Na" : "NH4";
        const RxElement *e = rx_elements_find(p->elements, sym);
        if (!e)
            return fail(c, member(g, "base"), "element data has no %s", sym);
        p->base_species = rx_plant_add_species(p, (int)(e - p->elements->el));
    }
    return RX_OK;
}

/* The settings of the model group: type, every model's per-species setting
 * (in registry order), then the RxModelSpec fields read here.  Each model
 * takes a few of them (RxModelType.settings and value_key). */
#define RX_MAX_MODEL_KEYS 32
static const char *const spec_keys[] = {"capacity", "affinity", "data", "activity"};

static void model_keys(const char **keys)
{
    size_t n = 0;
    keys[n++] = "type";
    const RxModelType *t;
    for (size_t i = 0; (t = rx_model_at(i)) && n < RX_MAX_MODEL_KEYS - 5; i++) {
        int listed = !t->value_key;
        for (size_t k = 0; k < n && !listed; k++)
            listed = strcmp(keys[k], t->value_key) == 0;
        if (!listed)
            keys[n++] = t->value_key;
    }
    for (size_t k = 0; k < sizeof spec_keys / sizeof spec_keys[0]; k++)
        keys[n++] = spec_keys[k];
    keys[n] = NULL;
}

/* Settings the plant's model takes; any other is an error, never silently ignored. */
static int check_model_keys(const Ctx *c, const config_setting_t *g)
{
    const RxModelType *t = c->model;
    for (int k = 0; k < config_setting_length(g); k++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)k);
        const char *nm = config_setting_name(m);
        int ok = strcmp(nm, "type") == 0 || (t->value_key && strcmp(t->value_key, nm) == 0);
        for (const char *const *a = t->settings; *a && !ok; a++)
            ok = strcmp(*a, nm) == 0;
        if (!ok)
            return fail(c, m, "not a setting of the %s model", t->name);
    }
    return RX_OK;
}

static int read_model(Ctx *c, const config_setting_t *root)
{
    RxPlant *p = c->p;
    RxModelSpec *ms = &p->model_spec;
    c->model = rx_model_default();
    snprintf(ms->type, sizeof ms->type, "%s", c->model->name);
    snprintf(ms->activity, sizeof ms->activity, "none");
    const config_setting_t *g = member(root, "model");
    snprintf(ms->where, sizeof ms->where, "%s", where(c, g ? g : root));
    if (!g)
        return RX_OK;
    if (!config_setting_is_group(g))
        return fail(c, g, "expected a group { type = \"%s\"; ... }", c->model->name);
    const char *keys[RX_MAX_MODEL_KEYS];
    model_keys(keys);
    int rc = check_keys(c, g, keys);
    const char *s;
    if (rc == RX_OK && member(g, "type") && (rc = get_string(c, g, "type", &s)) == RX_OK) {
        if (!(c->model = rx_model_find(s)))
            return fail(c, member(g, "type"), "unknown model '%s' (use %s)", s, rx_model_names());
        snprintf(ms->type, sizeof ms->type, "%s", s);
    }
    if (rc == RX_OK)
        rc = check_model_keys(c, g);
    const config_setting_t *m = NULL;
    if (rc == RX_OK && (m = member(g, "capacity")))
        rc = get_quantity(c, m, molar_units, "0.17 mol/L", &ms->capacity);
    if (rc == RX_OK && m && !(ms->capacity > 0))
        rc = fail(c, m, "capacity must be positive [mol/L]");
    if (rc == RX_OK && (m = member(g, "affinity"))) {
        rc = get_quantity(c, m, affinity_units, "1e4 L/mol", &ms->affinity);
        if (rc == RX_OK && !(ms->affinity > 0))
            rc = fail(c, m, "affinity must be positive [L/mol]");
    }
    if (rc == RX_OK && member(g, "activity")) {
        static const char *const words[] = {"none", "pitzer", NULL};
        int w;
        if ((rc = get_word(c, g, "activity", words, "an activity model", &w)) != RX_OK)
            return rc;
        snprintf(ms->activity, sizeof ms->activity, "%s", words[w]);
    }
    if (rc == RX_OK && (m = member(g, "data"))) {
        if ((rc = get_string(c, g, "data", &s)) != RX_OK)
            return rc;
        if (s[0] == '/')
            snprintf(ms->datafile, sizeof ms->datafile, "%s", s);
        else
            snprintf(ms->datafile, sizeof ms->datafile, "%s/%s", rx_data_dir(), s);
        FILE *f = fopen(ms->datafile, "r");
        if (!f)
            return fail(c, m, "cannot open data file %s", ms->datafile);
        fclose(f);
    }
    return rc;
}

/* The model's per-species values (its value_key: log10_K, D...); after
 * species are known. */
static int read_model_values(const Ctx *c, const config_setting_t *root)
{
    RxPlant *p = c->p;
    RxModelSpec *ms = &p->model_spec;
    const config_setting_t *g = member(root, "model");
    const char *key = c->model->value_key;
    if (!g || !key)
        return RX_OK; /* another model's key was refused by read_model */
    const config_setting_t *v = member(g, key);
    if (!v)
        return RX_OK;
    if (!config_setting_is_group(v))
        return fail(c, v, "expected a group of element = number entries");
    int is_log = c->model->value_kind == RX_VALUE_LOG10;
    for (int i = 0; i < config_setting_length(v); i++) {
        const config_setting_t *m = config_setting_get_elem(v, (unsigned)i);
        int s = rx_plant_species(p, config_setting_name(m));
        int t = config_setting_type(m);
        if (t != CONFIG_TYPE_FLOAT && t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
            return fail(c, m, "expected a number");
        double x = number_of(m);
        if (!is_log && !(x > 0))
            return fail(c, m, "must be positive");
        if (is_log && !(fabs(x) <= RX_MAX_LOG10_K))
            return fail(c, m, "%g is outside -%g to %g", x, RX_MAX_LOG10_K, RX_MAX_LOG10_K);
        if (!rx_elements_find(p->elements, config_setting_name(m)))
            return fail(c, m, "'%s' is not in the element data (%s/elements.tsv)", config_setting_name(m),
                        rx_data_dir());
        if (s < 0)
            continue; /* a known element that no feed carries: harmless */
        ms->value_species[ms->nvalues] = s;
        ms->value[ms->nvalues++] = x;
    }
    return RX_OK;
}

/* "<v> L|m3" or a residence time "<v> min|h|s|d": exactly one is set. */
static int get_volume_or_time(const Ctx *c, const config_setting_t *m, double *volume, double *residence)
{
    const char *s, *unit;
    double v;
    if (config_setting_type(m) != CONFIG_TYPE_STRING || !split_quantity(s = config_setting_get_string(m), &v, &unit))
        return fail(c, m, "expected a volume (\"2 m3\", \"500 L\") or a residence time (\"3 min\")");
    int rc = RX_OK;
    for (const UnitDef *u = volume_units; u->unit; u++)
        if (strcmp(u->unit, unit) == 0) {
            *volume = v * u->factor;
            *residence = 0;
            return v > 0 ? RX_OK : fail(c, m, "volume must be positive [L]");
        }
    if ((rc = get_quantity(c, m, time_units, "3 min", residence)) != RX_OK)
        return fail(c, m, "unknown unit '%s' (a volume in L or m3, or a residence time in s, min, h or d)", unit);
    *volume = 0;
    return *residence > 0 ? RX_OK : fail(c, m, "residence time must be positive [h]");
}

static int read_settler(const Ctx *c, const config_setting_t *g, RxSection *sec)
{
    static const char *const keys[] = {"area", "aqueous_depth", "organic_depth", "residence", "tanks", NULL};
    int rc = check_keys(c, g, keys);
    const config_setting_t *m;
    sec->settler_tanks = 1;
    if (rc == RX_OK && (m = member(g, "tanks"))) {
        if ((rc = need(c, g, "tanks", CONFIG_TYPE_INT, &m)) != RX_OK)
            return rc;
        sec->settler_tanks = config_setting_get_int(m);
        if (sec->settler_tanks < 1 || sec->settler_tanks > 20)
            return fail(c, m, "%d tanks: must be 1 to 20", sec->settler_tanks);
    }
    if (rc != RX_OK)
        return rc;
    if ((m = member(g, "residence"))) {
        if (member(g, "area") || member(g, "aqueous_depth") || member(g, "organic_depth"))
            return fail(c, m, "give either residence or area with aqueous_depth and organic_depth, not both");
        if ((rc = get_quantity(c, m, time_units, "20 min", &sec->settler_residence)) != RX_OK)
            return rc;
        return sec->settler_residence > 0 ? RX_OK : fail(c, m, "residence time must be positive [h]");
    }
    double area = 0, da = 0, dor = 0;
    if ((rc = need(c, g, "area", CONFIG_TYPE_NONE, &m)) != RX_OK ||
        (rc = get_quantity(c, m, area_units, "4 m2", &area)) != RX_OK)
        return rc;
    if (!(area > 0))
        return fail(c, m, "area must be positive [m2]");
    if ((rc = need(c, g, "aqueous_depth", CONFIG_TYPE_NONE, &m)) != RX_OK ||
        (rc = get_quantity(c, m, length_units, "0.15 m", &da)) != RX_OK)
        return rc;
    if (!(da > 0))
        return fail(c, m, "depth must be positive [m]");
    if ((rc = need(c, g, "organic_depth", CONFIG_TYPE_NONE, &m)) != RX_OK ||
        (rc = get_quantity(c, m, length_units, "0.2 m", &dor)) != RX_OK)
        return rc;
    if (!(dor > 0))
        return fail(c, m, "depth must be positive [m]");
    sec->settler_aq_volume = area * da * ML_PER_L;
    sec->settler_org_volume = area * dor * ML_PER_L;
    return RX_OK;
}

/* Murphree efficiency and entrainment of a section; ideal when absent. */
static int read_nonideal(const Ctx *c, const config_setting_t *g, RxSection *s)
{
    const config_setting_t *m;
    int rc;
    s->efficiency = 1.0;
    if ((m = member(g, "efficiency"))) {
        if ((rc = get_quantity(c, m, percent_units, "90 %", &s->efficiency)) != RX_OK)
            return rc;
        if (!(s->efficiency >= RX_MIN_EFFICIENCY && s->efficiency <= 1.0))
            return fail(c, m, "must be %g to 100 %% (Murphree efficiency of the aqueous phase)",
                        RX_MIN_EFFICIENCY * PERCENT);
    }
    const char *names[] = {"aqueous_entrainment", "organic_entrainment"};
    double *vals[] = {&s->aq_entrain, &s->org_entrain};
    for (int i = 0; i < 2; i++)
        if ((m = member(g, names[i]))) {
            if ((rc = get_quantity(c, m, fraction_units, "500 ppm", vals[i])) != RX_OK)
                return rc;
            if (!(*vals[i] >= 0 && *vals[i] <= RX_MAX_ENTRAINMENT))
                return fail(c, m, "must be 0 to %g %% of the phase's flow", RX_MAX_ENTRAINMENT * PERCENT);
        }
    return RX_OK;
}

static int read_sections(const Ctx *c, const config_setting_t *root)
{
    static const char *const keys[] = {"name",       "stages",         "mixer", "settler", "efficiency",
                                       "aqueous_entrainment", "organic_entrainment", NULL};
    RxPlant *p = c->p;
    const config_setting_t *l;
    int rc = need(c, root, "sections", CONFIG_TYPE_LIST, &l);
    if (rc != RX_OK)
        return rc;
    int n = config_setting_length(l);
    if (n == 0)
        return fail(c, l, "needs at least one section");
    p->sections = calloc((size_t)n, sizeof *p->sections);
    if (!p->sections)
        return rx_error_set(c->err, RX_NO_MEMORY, NULL, "out of memory");
    for (int i = 0; i < n; i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i), *m;
        if (!config_setting_is_group(g))
            return fail(c, g, "expected a group { name = \"extraction\"; stages = 10; }");
        const char *name;
        if ((rc = check_keys(c, g, keys)) != RX_OK || (rc = get_string(c, g, "name", &name)) != RX_OK ||
            (rc = need(c, g, "stages", CONFIG_TYPE_INT, &m)) != RX_OK)
            return rc;
        int k = config_setting_get_int(m);
        if (k < 1 || k > 100000)
            return fail(c, m, "%d stages: must be 1 to 100000", k);
        if (strlen(name) == 0 || strlen(name) >= RX_NAME_LEN || strchr(name, ':'))
            return fail(c, member(g, "name"), "'%s' is not a valid section name", name);
        for (int j = 0; j < i; j++)
            if (strcmp(p->sections[j].name, name) == 0)
                return fail(c, member(g, "name"), "section '%s' is defined twice", name);
        RxSection *s = &p->sections[i];
        snprintf(s->name, sizeof s->name, "%s", name);
        if ((m = member(g, "mixer"))) {
            if ((rc = get_volume_or_time(c, m, &s->mixer_volume, &s->mixer_residence)) != RX_OK)
                return rc;
            s->has_geometry = 1;
        }
        if ((m = member(g, "settler"))) {
            if (!s->has_geometry)
                return fail(c, m, "a settler needs the mixer of its stage: give mixer too");
            if (!config_setting_is_group(m))
                return fail(c, m, "expected a group { area; aqueous_depth; organic_depth; tanks; } or { residence; tanks; }");
            if ((rc = read_settler(c, m, s)) != RX_OK)
                return rc;
        }
        if ((rc = read_nonideal(c, g, s)) != RX_OK)
            return rc;
        s->first = p->nstages;
        s->count = k;
        p->nstages += k;
        p->nsections++;
    }
    return RX_OK;
}

/* Index of the item named name in items (n of them, size bytes each, each
 * starting with its char name[RX_NAME_LEN]), -1 if none. */
_Static_assert(offsetof(RxSection, name) == 0 && offsetof(RxFeed, name) == 0 && offsetof(RxProduct, name) == 0,
               "index_by_name reads the name at the start of the item");
static int index_by_name(const void *items, size_t size, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp((const char *)items + (size_t)i * size, name) == 0)
            return i;
    return -1;
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

static int get_name(const Ctx *c, const config_setting_t *g, char *out)
{
    const char *name;
    int rc = get_string(c, g, "name", &name);
    if (rc != RX_OK)
        return rc;
    if (strlen(name) == 0 || strlen(name) >= RX_NAME_LEN)
        return fail(c, member(g, "name"), "name must be 1 to %d characters", RX_NAME_LEN - 1);
    if (name_taken(c->p, name))
        return fail(c, member(g, "name"), "'%s' is already the name of a stream", name);
    snprintf(out, RX_NAME_LEN, "%s", name);
    return RX_OK;
}

/* Free acid "x mol/L" (HCl) or "pH x" -> [H+] mol/L. */
static int get_acid(const Ctx *c, const config_setting_t *m, double *h)
{
    if (config_setting_type(m) != CONFIG_TYPE_STRING)
        return fail(c, m, "expected free acid as \"<number> mol/L\" (HCl) or \"pH <number>\"");
    const char *s = config_setting_get_string(m), *unit;
    double v;
    if (strncmp(s, "pH", 2) == 0) {
        if (!rx_parse_number(s + 2 + strspn(s + 2, " "), &v) || v < -1.5 || v > 14)
            return fail(c, m, "'%s': expected \"pH <number>\" with pH from -1.5 to 14", s);
        *h = pow(10.0, -v);
    } else if (split_quantity(s, &v, &unit) && strcmp(unit, "mol/L") == 0) {
        if (!(v > 0))
            return fail(c, m, "free acid must be positive [mol/L HCl] (for near-neutral water give pH)");
        if (!(v <= RX_MAX_MOLAR))
            return fail(c, m, "%g mol/L of free acid is more than an aqueous holds (at most %g mol/L)", v,
                        RX_MAX_MOLAR);
        *h = v;
    } else
        return fail(c, m, "'%s': expected free acid as \"<number> mol/L\" (HCl) or \"pH <number>\"", s);
    return RX_OK;
}

/* Composition, acid and saponification of a feed (or of an event changing
 * one: then every setting is optional and no new species may appear), and
 * what follows from them: chloride of an aqueous feed, base on an organic. */
static int feed_body(const Ctx *c, const config_setting_t *g, RxFeed *f, int event)
{
    RxPlant *p = c->p;
    const config_setting_t *m;
    int rc;
    if ((m = member(g, "composition"))) {
        for (int s2 = 0; s2 < RX_MAX_SPECIES; s2++)
            if (f->phase == RX_AQ || s2 != p->base_species)
                f->c[s2] = 0; /* a composition replaces the whole one before (the base is the saponification's) */
        if ((rc = read_composition(c, g, f, event)) != RX_OK)
            return rc;
    }
    if (f->phase == RX_AQ) {
        if (member(g, "saponification"))
            return fail(c, member(g, "saponification"), "only organic feeds are saponified");
        if (!event && (rc = need(c, g, "acid", CONFIG_TYPE_NONE, &m)) != RX_OK)
            return rc;
        if ((m = member(g, "acid")) && (rc = get_acid(c, m, &f->h)) != RX_OK)
            return rc;
        /* Sulfate (total, SO4 + HSO4): by default at the HSO4 equilibrium
         * with the free acid; "bisulfate" gives the feed's own speciation. */
        double hso4 = -1;
        if ((m = member(g, "sulfate"))) {
            if ((rc = get_quantity(c, m, molar_units, "0.1 mol/L", &f->so4)) != RX_OK)
                return rc;
            if (!(f->so4 >= 0 && f->so4 <= RX_MAX_MOLAR))
                return fail(c, m, "must be 0 to %g mol/L [mol/L]", RX_MAX_MOLAR);
        }
        if ((m = member(g, "bisulfate"))) {
            if (!member(g, "sulfate") && !event)
                return fail(c, m, "bisulfate is part of the total sulfate: give sulfate too");
            if ((rc = get_quantity(c, m, molar_units, "0.1 mol/L", &hso4)) != RX_OK)
                return rc;
            if (!(hso4 >= 0 && hso4 <= f->so4))
                return fail(c, m, "must be 0 to the total sulfate (%g mol/L) [mol/L]", f->so4);
        }
        if (hso4 < 0)
            hso4 = f->so4 > 0 ? f->so4 * f->h / (f->h + p->ka_hso4) : 0;
        /* Chloride: what the sulfate leaves of the charge balance. */
        f->cl = f->h - (2.0 * (f->so4 - hso4) + hso4);
        for (int s2 = 0; s2 < p->nsp; s2++)
            f->cl += p->charge[s2] * f->c[s2];
        return RX_OK;
    }
    if (member(g, "acid"))
        return fail(c, member(g, "acid"), "acid belongs to aqueous feeds");
    if (member(g, "sulfate") || member(g, "bisulfate"))
        return fail(c, member(g, "sulfate") ? member(g, "sulfate") : member(g, "bisulfate"),
                    "sulfate belongs to aqueous feeds");
    if (!(p->extractant_conc > 0) && c->model->needs_extractant)
        return fail(c, g, "organic feed needs the extractant block");
    if (!event)
        f->sap = p->saponification;
    if ((m = member(g, "saponification"))) {
        if ((rc = get_quantity(c, m, percent_units, "36 %", &f->sap)) != RX_OK)
            return rc;
        if (f->sap < 0 || f->sap >= 0.5)
            return fail(c, m, "%g %% is not feasible: must be 0 to below 50 %% [%%]", f->sap * PERCENT);
        if (f->sap > 0 && p->base_species < 0)
            return fail(c, m, "saponified organic needs extractant.saponification > 0 to set the base");
    }
    if (p->base_species >= 0)
        f->c[p->base_species] = f->sap * p->extractant_conc;
    if (c->model->needs_extractant) {
        double used = 0;
        for (int s2 = 0; s2 < p->nsp; s2++)
            used += 2.0 * p->charge[s2] * f->c[s2];
        if (used >= p->extractant_conc)
            return fail(c, member(g, "composition") ? member(g, "composition") : g,
                        "loaded metals and saponification use %.4g mol/L of %.4g mol/L extractant: "
                        "the organic is over-saturated",
                        used, p->extractant_conc);
    }
    return RX_OK;
}

static int read_feeds(const Ctx *c, const config_setting_t *root)
{
    static const char *const keys[] = {"name",           "phase",  "stage",     "flow", "acid", "composition",
                                       "saponification", "sulfate", "bisulfate", NULL};
    RxPlant *p = c->p;
    const config_setting_t *l;
    int rc = need(c, root, "feeds", CONFIG_TYPE_LIST, &l);
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
            return fail(c, g, "expected a group { name; phase; stage; flow; ... }");
        RxFeed *f = &p->feeds[i];
        if ((rc = check_keys(c, g, keys)) != RX_OK || (rc = get_name(c, g, f->name)) != RX_OK ||
            (rc = get_phase(c, g, &f->phase)) != RX_OK || (rc = get_stage(c, g, &f->stage, &f->ref)) != RX_OK ||
            (rc = need(c, g, "flow", CONFIG_TYPE_NONE, &m)) != RX_OK ||
            (rc = get_quantity(c, m, flow_units, "100 L/h", &f->flow)) != RX_OK)
            return rc;
        if (!(f->flow > 0))
            return fail(c, m, "flow must be positive [L/h]");
        p->nfeeds++;
        if ((rc = feed_body(c, g, f, 0)) != RX_OK)
            return rc;
        have_aq |= f->phase == RX_AQ;
        have_org |= f->phase == RX_ORG;
    }
    if (!have_aq)
        return fail(c, l, "needs at least one aqueous feed");
    if (!have_org)
        return fail(c, l, "needs at least one organic feed");
    return RX_OK;
}

/* The optional list `name` of groups shaped like `shape`: *list is NULL when
 * absent; otherwise *items holds its length (at least 1) of zeroed items. */
static int get_list(const Ctx *c, const config_setting_t *root, const char *name, const char *shape, size_t item,
                    void **items, const config_setting_t **list)
{
    *items = NULL;
    if (!(*list = member(root, name)))
        return RX_OK;
    if (!config_setting_is_list(*list))
        return fail(c, *list, "expected a list ( %s, ... )", shape);
    int n = config_setting_length(*list);
    if (!(*items = calloc((size_t)(n ? n : 1), item)))
        return rx_error_set(c->err, RX_NO_MEMORY, NULL, "out of memory");
    for (int i = 0; i < n; i++) {
        const config_setting_t *g = config_setting_get_elem(*list, (unsigned)i);
        if (!config_setting_is_group(g))
            return fail(c, g, "expected a group %s", shape);
    }
    return RX_OK;
}

static int read_draws(const Ctx *c, const config_setting_t *root)
{
    static const char *const keys[] = {"name", "phase", "stage", "fraction", NULL};
    RxPlant *p = c->p;
    const config_setting_t *l;
    void *items;
    int rc = get_list(c, root, "draws", "{ name; phase; stage; fraction; }", sizeof *p->draws, &items, &l);
    p->draws = items;
    if (rc != RX_OK || !l)
        return rc;
    for (int i = 0; i < config_setting_length(l); i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i), *m;
        RxDraw *d = &p->draws[i];
        if ((rc = check_keys(c, g, keys)) != RX_OK || (rc = get_name(c, g, d->name)) != RX_OK ||
            (rc = get_phase(c, g, &d->phase)) != RX_OK || (rc = get_stage(c, g, &d->stage, &d->ref)) != RX_OK)
            return rc;
        d->fraction = 1.0;
        if ((m = member(g, "fraction"))) {
            if ((rc = need(c, g, "fraction", CONFIG_TYPE_FLOAT, &m)) != RX_OK)
                return rc;
            d->fraction = number_of(m);
            if (!(d->fraction > 0 && d->fraction <= 1))
                return fail(c, m, "fraction must be in (0, 1] [-]");
        }
        if ((d->phase == RX_AQ && d->stage == 0) || (d->phase == RX_ORG && d->stage == p->nstages - 1))
            return fail(c, member(g, "stage"), "this outflow leaves the circuit anyway (use the %s product)",
                        d->phase == RX_AQ ? "raffinate" : "organic");
        for (int j = 0; j < i; j++)
            if (p->draws[j].phase == d->phase && p->draws[j].stage == d->stage)
                return fail(c, member(g, "stage"), "stage %d already has a %s draw", d->stage + 1,
                            d->phase == RX_AQ ? "aqueous" : "organic");
        p->ndraws++;
    }
    return RX_OK;
}

static int read_products(const Ctx *c, const config_setting_t *root)
{
    static const char *const keys[] = {"name", "stream", "targets", NULL};
    RxPlant *p = c->p;
    const config_setting_t *l;
    void *items;
    int rc = get_list(c, root, "products", "{ name; stream; targets; }", sizeof *p->products, &items, &l);
    p->products = items;
    if (rc != RX_OK || !l)
        return rc;
    for (int i = 0; i < config_setting_length(l); i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i), *m;
        RxProduct *pr = &p->products[i];
        const char *name, *stream;
        if ((rc = check_keys(c, g, keys)) != RX_OK || (rc = get_string(c, g, "name", &name)) != RX_OK ||
            (rc = get_string(c, g, "stream", &stream)) != RX_OK ||
            (rc = need(c, g, "targets", CONFIG_TYPE_ARRAY, &m)) != RX_OK)
            return rc;
        if (strlen(name) == 0 || strlen(name) >= RX_NAME_LEN)
            return fail(c, member(g, "name"), "name must be 1 to %d characters", RX_NAME_LEN - 1);
        for (int j = 0; j < i; j++)
            if (strcmp(p->products[j].name, name) == 0)
                return fail(c, member(g, "name"), "product '%s' is defined twice", name);
        snprintf(pr->name, sizeof pr->name, "%s", name);
        int ok = strcmp(stream, "raffinate") == 0 || strcmp(stream, "organic") == 0;
        for (int j = 0; j < p->ndraws && !ok; j++)
            ok = strcmp(p->draws[j].name, stream) == 0;
        if (!ok)
            return fail(c, member(g, "stream"), "'%s' is no outlet (use raffinate, organic or a draw name)", stream);
        snprintf(pr->stream, sizeof pr->stream, "%s", stream);
        if (config_setting_length(m) == 0)
            return fail(c, m, "needs at least one target element");
        for (int j = 0; j < config_setting_length(m); j++) {
            const config_setting_t *t = config_setting_get_elem(m, (unsigned)j);
            if (config_setting_type(t) != CONFIG_TYPE_STRING)
                return fail(c, m, "expected element symbols, e.g. [\"Pr\", \"Nd\"]");
            const char *sym = config_setting_get_string(t);
            const RxElement *e = rx_elements_find(p->elements, sym);
            if (!e)
                return fail(c, m, "'%s' is not in the element data (%s/elements.tsv)", sym, rx_data_dir());
            int s = rx_plant_species(p, sym);
            if (s < 0)
                return fail(c, m, "'%s' is in no feed", sym);
            if (!e->is_ree)
                return fail(c, m, "'%s' is not a rare earth: purity and recovery are on a REO basis", sym);
            for (int k = 0; k < pr->ntargets; k++)
                if (pr->targets[k] == s)
                    return fail(c, m, "'%s' is listed twice", sym);
            pr->targets[pr->ntargets++] = s;
        }
        p->nproducts++;
    }
    return RX_OK;
}

/* Defaults of the dynamics group (docs/config.md). */
#define RX_DEFAULT_OUTPUTS 200    /* rows over the horizon */
#define RX_DEFAULT_RTOL 1e-6
#define RX_DEFAULT_ATOL 1e-9      /* mol/L: below 0.2 ug/L of any REE */
#define RX_DEFAULT_BARREN_PH 2.0
#define RX_DEFAULT_MAX_STEPS 500000

static int read_watch(const Ctx *c, const config_setting_t *dg)
{
    static const char *const keys[] = {"stage", "phase", "element", NULL};
    RxDynamicsSpec *d = &c->p->dynamics;
    const config_setting_t *l;
    void *items;
    int rc = get_list(c, dg, "watch", "{ stage; phase; element; }", sizeof *d->watch, &items, &l);
    d->watch = items;
    if (rc != RX_OK || !l)
        return rc;
    for (int i = 0; i < config_setting_length(l); i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
        RxWatch *w = &d->watch[i];
        const char *sym;
        if ((rc = check_keys(c, g, keys)) != RX_OK || (rc = get_stage(c, g, &w->stage, &w->ref)) != RX_OK ||
            (rc = get_phase(c, g, &w->phase)) != RX_OK || (rc = get_string(c, g, "element", &sym)) != RX_OK)
            return rc;
        if ((w->species = rx_plant_species(c->p, sym)) < 0)
            return fail(c, member(g, "element"), "'%s' is in no feed", sym);
        d->nwatch++;
    }
    return RX_OK;
}

static int read_events(const Ctx *c, const config_setting_t *dg)
{
    static const char *const keys[] = {"time", "stream", "flow", "acid", "composition", "saponification", NULL};
    RxPlant *p = c->p;
    RxDynamicsSpec *d = &p->dynamics;
    const config_setting_t *l;
    void *items;
    int rc = get_list(c, dg, "events", "{ time; stream; flow; acid; composition; saponification; }", sizeof *d->events,
                      &items, &l);
    d->events = items;
    if (rc != RX_OK || !l)
        return rc;
    for (int i = 0; i < config_setting_length(l); i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i), *m = NULL;
        RxEvent *e = &d->events[i];
        const char *name;
        if ((rc = check_keys(c, g, keys)) != RX_OK || (rc = need(c, g, "time", CONFIG_TYPE_NONE, &m)) != RX_OK ||
            (rc = get_quantity(c, m, time_units, "24 h", &e->time)) != RX_OK)
            return rc;
        if (!(e->time >= 0 && e->time < d->horizon))
            return fail(c, m, "%g h is outside the horizon (0 to %g h)", e->time, d->horizon);
        if (i > 0 && e->time < d->events[i - 1].time)
            return fail(c, m, "events must be in time order (%g h comes after %g h)", e->time, d->events[i - 1].time);
        if ((rc = get_string(c, g, "stream", &name)) != RX_OK)
            return rc;
        e->feed = -1;
        for (int k = 0; k < p->nfeeds; k++)
            if (strcmp(p->feeds[k].name, name) == 0)
                e->feed = k;
        if (e->feed < 0)
            return fail(c, member(g, "stream"), "'%s' is not a feed of the plant", name);
        if (!member(g, "flow") && !member(g, "acid") && !member(g, "composition") && !member(g, "saponification"))
            return fail(c, g, "changes nothing (give flow, acid, composition or saponification)");
        /* The feed as the last earlier event on it left it. */
        e->state = p->feeds[e->feed];
        for (int k = i - 1; k >= 0; k--)
            if (d->events[k].feed == e->feed) {
                e->state = d->events[k].state;
                break;
            }
        if ((m = member(g, "flow"))) {
            if ((rc = get_quantity(c, m, flow_units, "0 L/h", &e->state.flow)) != RX_OK)
                return rc;
            if (!(e->state.flow >= 0))
                return fail(c, m, "flow must not be negative [L/h] (0 stops the stream)");
        }
        if ((rc = feed_body(c, g, &e->state, 1)) != RX_OK)
            return rc;
        d->nevents++;
    }
    return RX_OK;
}

static int read_dynamics(const Ctx *c, const config_setting_t *root)
{
    static const char *const keys[] = {"horizon", "output_interval", "initial", "barren_acid", "state_file",
                                       "rtol", "atol", "max_steps", "watch", "events", NULL};
    RxPlant *p = c->p;
    RxDynamicsSpec *d = &p->dynamics;
    const config_setting_t *g = member(root, "dynamics"), *m = NULL;
    if (!g)
        return RX_OK;
    if (!config_setting_is_group(g))
        return fail(c, g, "expected a group { horizon; output_interval; initial; events; ... }");
    int rc = check_keys(c, g, keys);
    if (rc != RX_OK || (rc = need(c, g, "horizon", CONFIG_TYPE_NONE, &m)) != RX_OK ||
        (rc = get_quantity(c, m, time_units, "72 h", &d->horizon)) != RX_OK)
        return rc;
    if (!(d->horizon > 0))
        return fail(c, m, "horizon must be positive [h]");
    if (!(d->horizon <= RX_MAX_HORIZON))
        return fail(c, m, "%g h is beyond the longest horizon, %g h [h]", d->horizon, RX_MAX_HORIZON);
    d->present = 1;
    d->interval = d->horizon / RX_DEFAULT_OUTPUTS;
    if ((m = member(g, "output_interval"))) {
        if ((rc = get_quantity(c, m, time_units, "0.5 h", &d->interval)) != RX_OK)
            return rc;
        if (!(d->interval > 0 && d->interval <= d->horizon))
            return fail(c, m, "must be positive and at most the horizon [h]");
        if (!(d->horizon / d->interval <= RX_MAX_ROWS))
            return fail(c, m, "%g h gives more than %d output rows over %g h [h]", d->interval, RX_MAX_ROWS,
                        d->horizon);
    }
    d->initial = RX_START_BARREN;
    if (member(g, "initial")) {
        static const char *const words[] = {"barren", "steady", "state", NULL}; /* RX_START_* */
        if ((rc = get_word(c, g, "initial", words, "a start", &d->initial)) != RX_OK)
            return rc;
    }
    d->barren_h = pow(10.0, -RX_DEFAULT_BARREN_PH);
    if ((m = member(g, "barren_acid")) && (rc = get_acid(c, m, &d->barren_h)) != RX_OK)
        return rc;
    if ((m = member(g, "state_file"))) {
        const char *s;
        if ((rc = get_string(c, g, "state_file", &s)) != RX_OK)
            return rc;
        /* Relative to the directory of the config file. */
        const char *slash = strrchr(c->path, '/');
        if (s[0] == '/' || !slash)
            snprintf(d->state_file, sizeof d->state_file, "%s", s);
        else
            snprintf(d->state_file, sizeof d->state_file, "%.*s/%s", (int)(slash - c->path), c->path, s);
    }
    if (d->initial == RX_START_STATE && !d->state_file[0])
        return fail(c, member(g, "initial"), "initial = \"state\" needs state_file");
    d->rtol = RX_DEFAULT_RTOL;
    d->atol = RX_DEFAULT_ATOL;
    if ((m = member(g, "rtol"))) {
        if ((rc = need(c, g, "rtol", CONFIG_TYPE_FLOAT, &m)) != RX_OK)
            return rc;
        d->rtol = number_of(m);
        if (!(d->rtol >= 1e-12 && d->rtol <= 1e-2))
            return fail(c, m, "must be 1e-12 to 1e-2");
    }
    if ((m = member(g, "atol"))) {
        if ((rc = get_quantity(c, m, molar_units, "1e-12 mol/L", &d->atol)) != RX_OK)
            return rc;
        if (!(d->atol > 0))
            return fail(c, m, "must be positive [mol/L]");
    }
    d->max_steps = RX_DEFAULT_MAX_STEPS;
    if ((m = member(g, "max_steps"))) {
        if ((rc = need(c, g, "max_steps", CONFIG_TYPE_INT, &m)) != RX_OK)
            return rc;
        d->max_steps = config_setting_get_int(m);
        if (d->max_steps < 1)
            return fail(c, m, "must be at least 1");
    }
    /* What the dynamic model lacks is no fault of the plant: reesx run still
     * solves it, and simulate refuses it with this message. */
    Ctx later = *c;
    later.err = &d->refused;
    for (int i = 0; i < p->nfeeds && d->refused.code == RX_OK; i++)
        if (p->feeds[i].so4 > 0)
            fail(&later, g, "sulfate media are not simulated in time yet (feed '%s'); use reesx run",
                 p->feeds[i].name);
    for (int i = 0; i < p->nsections && d->refused.code == RX_OK; i++)
        if (p->sections[i].efficiency < 1.0 || p->sections[i].aq_entrain > 0 || p->sections[i].org_entrain > 0)
            fail(&later, g, "section '%s' has a stage efficiency or entrainment: these are not simulated in "
                            "time yet; use reesx run",
                 p->sections[i].name);
    for (int i = 0; i < p->nsections; i++)
        if (!p->sections[i].has_geometry)
            return fail(c, g, "section '%s' has no mixer: dynamics needs the holdup of every section "
                              "(mixer = \"2 m3\" or \"3 min\"; settler = { ... })",
                        p->sections[i].name);
    if ((rc = read_watch(c, g)) != RX_OK || (rc = read_events(c, g)) != RX_OK)
        return rc;
    return RX_OK;
}

/* One design target: { product; purity | recovery | (elements; max_share) }. */
static int read_target(const Ctx *c, const config_setting_t *g, RxTarget *t)
{
    static const char *const keys[] = {"product", "purity", "recovery", "elements", "max_share", NULL};
    const RxPlant *p = c->p;
    const char *name;
    int rc;
    if ((rc = check_keys(c, g, keys)) != RX_OK || (rc = get_string(c, g, "product", &name)) != RX_OK)
        return rc;
    t->product = index_by_name(p->products, sizeof *p->products, p->nproducts, name);
    if (t->product < 0)
        return fail(c, member(g, "product"), "'%s' is not a product of the plant", name);
    const char *kinds[] = {"purity", "recovery", "max_share"};
    const config_setting_t *m = NULL;
    int nk = 0;
    for (int k = 0; k < 3; k++)
        if (member(g, kinds[k])) {
            m = member(g, kinds[k]);
            t->kind = k;
            nk++;
        }
    if (nk != 1)
        return fail(c, g, "give exactly one of purity, recovery or max_share");
    if ((rc = get_quantity(c, m, t->kind == RX_TARGET_MAX_SHARE ? fraction_units : percent_units, "99.5 %",
                           &t->value)) != RX_OK)
        return rc;
    if (!(t->value > 0 && t->value < 1))
        return fail(c, m, "must be above 0 and below 100 %%");
    const config_setting_t *el = member(g, "elements");
    if ((t->kind == RX_TARGET_MAX_SHARE) != (el != NULL))
        return fail(c, el ? el : g, t->kind == RX_TARGET_MAX_SHARE ? "max_share needs elements = [\"Nd\", ...]"
                                                                   : "elements belong to a max_share target");
    const RxProduct *pr = &p->products[t->product];
    if (el) {
        if (!config_setting_is_array(el) || config_setting_length(el) == 0)
            return fail(c, el, "expected element symbols, e.g. [\"Pr\", \"Nd\"]");
        for (int j = 0; j < config_setting_length(el); j++) {
            const config_setting_t *e = config_setting_get_elem(el, (unsigned)j);
            const char *sym = config_setting_type(e) == CONFIG_TYPE_STRING ? config_setting_get_string(e) : "";
            int sp = rx_plant_species(p, sym);
            if (sp < 0 || !rx_plant_element(p, sp)->is_ree)
                return fail(c, el, "'%s' is not a rare earth the plant is fed", sym);
            for (int k = 0; k < t->nel; k++)
                if (t->el[k] == sp)
                    return fail(c, el, "'%s' is listed twice", sym);
            t->el[t->nel++] = sp; /* distinct species: nel <= nsp <= RX_MAX_SPECIES */
        }
        snprintf(t->label, sizeof t->label, "%s: share of", pr->name);
        for (int j = 0; j < t->nel; j++)
            snprintf(t->label + strlen(t->label), sizeof t->label - strlen(t->label), " %s",
                     rx_plant_element(p, t->el[j])->sym);
        snprintf(t->label + strlen(t->label), sizeof t->label - strlen(t->label), " <= %.6g %%",
                 t->value * PERCENT);
    } else
        snprintf(t->label, sizeof t->label, "%s: %s >= %.6g %%", pr->name, kinds[t->kind], t->value * PERCENT);
    return RX_OK;
}

static int read_design(const Ctx *c, const config_setting_t *root)
{
    static const char *const keys[] = {"objective", "targets", "stages", "flows", "threads", NULL};
    static const char *const skeys[] = {"section", "min", "max", NULL};
    static const char *const fkeys[] = {"feed", "min", "max", "steps", NULL};
    RxPlant *p = c->p;
    RxDesignSpec *d = &p->design;
    const config_setting_t *g = member(root, "design"), *m, *l;
    d->threads = RX_DEFAULT_THREADS;
    if (!g)
        return RX_OK;
    if (!config_setting_is_group(g))
        return fail(c, g, "expected a group { objective; targets; stages; flows; }");
    int rc = check_keys(c, g, keys);
    if (rc != RX_OK)
        return rc;
    d->present = 1;
    if ((m = member(g, "objective"))) {
        static const char *const words[] = {"stages", "reagents", "cost", NULL}; /* RX_OBJECTIVE_* */
        if ((rc = get_word(c, g, "objective", words, "an objective", &d->objective)) != RX_OK)
            return rc;
        for (int k = 0; d->objective == RX_OBJECTIVE_COST && k < p->nsections; k++)
            if (!p->sections[k].has_geometry)
                return fail(c, m, "the cost objective needs every section's holdups: section '%s' has no mixer",
                            p->sections[k].name);
    }
    if ((rc = need(c, g, "targets", CONFIG_TYPE_LIST, &l)) != RX_OK)
        return rc;
    int n = config_setting_length(l);
    if (n == 0 || n > RX_MAX_TARGETS)
        return fail(c, l, "needs 1 to %d targets", RX_MAX_TARGETS);
    for (int i = 0; i < n; i++) {
        const config_setting_t *t = config_setting_get_elem(l, (unsigned)i);
        if (!config_setting_is_group(t))
            return fail(c, t, "expected a group { product; purity | recovery | max_share; }");
        if ((rc = read_target(c, t, &d->targets[d->ntargets++])) != RX_OK)
            return rc;
    }
    if ((l = member(g, "stages"))) {
        if (!config_setting_is_list(l) || config_setting_length(l) == 0 ||
            config_setting_length(l) > RX_MAX_DESIGN_VARS)
            return fail(c, l, "expected a list of 1 to %d groups { section; min; max; }", RX_MAX_DESIGN_VARS);
        for (int i = 0; i < config_setting_length(l); i++) {
            const config_setting_t *t = config_setting_get_elem(l, (unsigned)i);
            RxStageVar *v = &d->stage_vars[d->nstage_vars];
            const char *name;
            if (!config_setting_is_group(t))
                return fail(c, t, "expected a group { section; min; max; }");
            if ((rc = check_keys(c, t, skeys)) != RX_OK || (rc = get_string(c, t, "section", &name)) != RX_OK)
                return rc;
            v->section = index_by_name(p->sections, sizeof *p->sections, p->nsections, name);
            if (v->section < 0)
                return fail(c, member(t, "section"), "'%s' is not a section of the plant", name);
            for (int k = 0; k < d->nstage_vars; k++)
                if (d->stage_vars[k].section == v->section)
                    return fail(c, member(t, "section"), "section '%s' is listed twice", name);
            const config_setting_t *lo, *hi;
            if ((rc = need(c, t, "min", CONFIG_TYPE_INT, &lo)) != RX_OK ||
                (rc = need(c, t, "max", CONFIG_TYPE_INT, &hi)) != RX_OK)
                return rc;
            v->min = config_setting_get_int(lo);
            v->max = config_setting_get_int(hi);
            if (v->min < 1 || v->max < v->min || v->max > RX_MAX_DESIGN_STAGES)
                return fail(c, t, "stages from %d to %d: need 1 <= min <= max <= %d", v->min, v->max,
                            RX_MAX_DESIGN_STAGES);
            d->nstage_vars++;
        }
    } else { /* default: every section, 1 to twice its stages (at least 10), widened in rx_design */
        d->stages_default = 1;
        for (int k = 0; k < p->nsections && k < RX_MAX_DESIGN_VARS; k++) {
            RxStageVar *v = &d->stage_vars[d->nstage_vars++];
            v->section = k;
            v->min = 1;
            v->max = p->sections[k].count * 2 > 10 ? p->sections[k].count * 2 : 10;
        }
    }
    /* A stage given by number does not move with its section: a design that
     * resizes a section at or before it would feed another stage. */
    int first_varied = p->nstages;
    for (int k = 0; k < d->nstage_vars; k++)
        if (p->sections[d->stage_vars[k].section].first < first_varied)
            first_varied = p->sections[d->stage_vars[k].section].first;
    const char *lists[] = {"feeds", "draws"};
    for (int i = 0; i < 2; i++) {
        const config_setting_t *fl = member(root, lists[i]);
        for (int k = 0; fl && k < config_setting_length(fl); k++) {
            const config_setting_t *st = member(config_setting_get_elem(fl, (unsigned)k), "stage");
            if (st && config_setting_type(st) == CONFIG_TYPE_INT && config_setting_get_int(st) - 1 > first_varied)
                return fail(c, st, "stage %d is a number, which does not move when design resizes the sections "
                                   "before it: use \"section:first|last|N\"",
                            config_setting_get_int(st));
        }
    }
    if ((l = member(g, "flows"))) {
        if (!config_setting_is_list(l) || config_setting_length(l) > RX_MAX_DESIGN_VARS)
            return fail(c, l, "expected a list of up to %d groups { feed; min; max; steps; }", RX_MAX_DESIGN_VARS);
        for (int i = 0; i < config_setting_length(l); i++) {
            const config_setting_t *t = config_setting_get_elem(l, (unsigned)i), *fm = NULL;
            RxFlowVar *v = &d->flow_vars[d->nflow_vars];
            const char *name;
            if (!config_setting_is_group(t))
                return fail(c, t, "expected a group { feed; min; max; steps; }");
            if ((rc = check_keys(c, t, fkeys)) != RX_OK || (rc = get_string(c, t, "feed", &name)) != RX_OK)
                return rc;
            v->feed = index_by_name(p->feeds, sizeof *p->feeds, p->nfeeds, name);
            if (v->feed < 0)
                return fail(c, member(t, "feed"), "'%s' is not a feed of the plant", name);
            for (int k = 0; k < d->nflow_vars; k++)
                if (d->flow_vars[k].feed == v->feed)
                    return fail(c, member(t, "feed"), "feed '%s' is listed twice", name);
            if ((rc = need(c, t, "min", CONFIG_TYPE_NONE, &fm)) != RX_OK ||
                (rc = get_quantity(c, fm, flow_units, "400 L/h", &v->min)) != RX_OK ||
                (rc = need(c, t, "max", CONFIG_TYPE_NONE, &fm)) != RX_OK ||
                (rc = get_quantity(c, fm, flow_units, "600 L/h", &v->max)) != RX_OK)
                return rc;
            if (!(v->min > 0) || v->max < v->min)
                return fail(c, t, "flows from %g to %g L/h: need 0 < min <= max", v->min, v->max);
            v->steps = v->max > v->min ? RX_DEFAULT_FLOW_STEPS : 1;
            if ((fm = member(t, "steps"))) {
                if ((rc = need(c, t, "steps", CONFIG_TYPE_INT, &fm)) != RX_OK)
                    return rc;
                v->steps = config_setting_get_int(fm);
                if (v->steps < 1 || v->steps > RX_MAX_FLOW_STEPS || (v->steps == 1) != (v->max == v->min))
                    return fail(c, fm, "%d steps: need 2 to %d (1 only when min = max)", v->steps,
                                RX_MAX_FLOW_STEPS);
            }
            d->nflow_vars++;
        }
    }
    double grid = 1;
    for (int k = 0; k < d->nflow_vars; k++)
        grid *= d->flow_vars[k].steps;
    if (grid > RX_MAX_FLOW_POINTS)
        return fail(c, member(g, "flows"), "%g flow points: at most %d (fewer steps)", grid, RX_MAX_FLOW_POINTS);
    if ((m = member(g, "threads"))) {
        if ((rc = need(c, g, "threads", CONFIG_TYPE_INT, &m)) != RX_OK)
            return rc;
        d->threads = config_setting_get_int(m);
        if (d->threads < 1 || d->threads > RX_MAX_THREADS)
            return fail(c, m, "%d threads: need 1 to %d", d->threads, RX_MAX_THREADS);
    }
    return RX_OK;
}

static int cost_set(const Ctx *c, const config_setting_t *m, const char *key, double v)
{
    RxCostSpec *cs = &c->p->cost;
    if (cs->n == RX_MAX_COST_OVERRIDES)
        return fail(c, m, "too many cost settings (at most %d)", RX_MAX_COST_OVERRIDES);
    snprintf(cs->key[cs->n], sizeof cs->key[cs->n], "%s", key);
    cs->value[cs->n++] = v;
    return RX_OK;
}

/* The cost group: prices and factors that replace models/data/costs.tsv rows. */
static int read_cost(const Ctx *c, const config_setting_t *root)
{
    static const char *const keys[] = {"prices", "operators_per_shift", "discount_rate", "plant_life",
                                       "mixer_power", "operating_hours", NULL};
    static const UnitDef per_t[] = {{"USD/t", 1.0}, {"USD/kg", 1000.0}, {NULL, 0}};
    static const UnitDef per_kg[] = {{"USD/kg", 1.0}, {"USD/t", 1e-3}, {NULL, 0}};
    static const UnitDef per_gal[] = {{"USD/gal", 1.0}, {"USD/L", RX_L_PER_GAL}, {NULL, 0}};
    static const UnitDef per_kwh[] = {{"USD/kWh", 1.0}, {"USD/MWh", 1e-3}, {NULL, 0}};
    static const UnitDef years[] = {{"yr", 1.0}, {NULL, 0}};
    static const UnitDef kw_m3[] = {{"kW/m3", 1.0}, {NULL, 0}};
    static const UnitDef h_yr[] = {{"h/yr", 1.0}, {NULL, 0}};
    RxPlant *p = c->p;
    const config_setting_t *g = member(root, "cost"), *m;
    if (!g)
        return RX_OK;
    if (!config_setting_is_group(g))
        return fail(c, g, "expected a group { prices = { ... }; ... }");
    int rc = check_keys(c, g, keys);
    if (rc != RX_OK)
        return rc;
    p->cost.present = 1;
    const config_setting_t *pr = member(g, "prices");
    if (pr && !config_setting_is_group(pr))
        return fail(c, pr, "expected a group of name = \"<price> <unit>\" entries");
    for (int i = 0; pr && i < config_setting_length(pr); i++) {
        m = config_setting_get_elem(pr, (unsigned)i);
        const char *name = config_setting_name(m), *key = name;
        const UnitDef *u;
        const char *example;
        const RxElement *e = rx_elements_find(p->elements, name);
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
            return fail(c, m, "'%s' has no price here (use HCl, NaOH, NH3, extractant, diluent, power or a "
                              "rare earth, priced per kg of its oxide)", name);
        double v;
        if ((rc = get_quantity(c, m, u, example, &v)) != RX_OK)
            return rc;
        if (!(v >= 0))
            return fail(c, m, "a price cannot be negative");
        if ((rc = cost_set(c, m, key, v)) != RX_OK)
            return rc;
    }
    if ((m = member(g, "operators_per_shift"))) {
        if ((rc = need(c, g, "operators_per_shift", CONFIG_TYPE_INT, &m)) != RX_OK)
            return rc;
        int n = config_setting_get_int(m);
        if (n < 0 || n > 1000)
            return fail(c, m, "%d operators: need 0 to 1000", n);
        if ((rc = cost_set(c, m, "operators_per_shift", n)) != RX_OK)
            return rc;
    }
    struct {
        const char *name;
        const UnitDef *u;
        const char *example;
        double lo, hi;
    } q[] = {{"discount_rate", percent_units, "8 %", 0, 1},
             {"plant_life", years, "20 yr", 1, 100},
             {"mixer_power", kw_m3, "1 kW/m3", 0, 100},
             {"operating_hours", h_yr, "8064 h/yr", 1, 8784}};
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        double v;
        if (!(m = member(g, q[i].name)))
            continue;
        if ((rc = get_quantity(c, m, q[i].u, q[i].example, &v)) != RX_OK)
            return rc;
        if (q[i].u == years && v != floor(v))
            return fail(c, m, "%g yr: give whole years", v);
        if (!(v >= q[i].lo && v <= q[i].hi))
            return fail(c, m, "must be %g to %g %s", q[i].u == percent_units ? q[i].lo * PERCENT : q[i].lo,
                        q[i].u == percent_units ? q[i].hi * PERCENT : q[i].hi, q[i].u[0].unit);
        if ((rc = cost_set(c, m, q[i].name, v)) != RX_OK)
            return rc;
    }
    return RX_OK;
}

static int read_solver(const Ctx *c, const config_setting_t *root)
{
    static const char *const keys[] = {"max_iterations", "tolerance", NULL};
    RxPlant *p = c->p;
    p->options.max_iterations = RX_DEFAULT_MAX_ITER;
    p->options.tolerance = RX_DEFAULT_TOL;
    const config_setting_t *g = member(root, "solver"), *m;
    if (!g)
        return RX_OK;
    if (!config_setting_is_group(g))
        return fail(c, g, "expected a group { max_iterations; tolerance; }");
    int rc = check_keys(c, g, keys);
    if (rc == RX_OK && member(g, "max_iterations")) {
        if ((rc = need(c, g, "max_iterations", CONFIG_TYPE_INT, &m)) != RX_OK)
            return rc;
        p->options.max_iterations = config_setting_get_int(m);
        if (p->options.max_iterations < 1)
            return fail(c, m, "must be at least 1");
    }
    if (rc == RX_OK && member(g, "tolerance")) {
        if ((rc = need(c, g, "tolerance", CONFIG_TYPE_FLOAT, &m)) != RX_OK)
            return rc;
        p->options.tolerance = number_of(m);
        if (!(p->options.tolerance > 0 && p->options.tolerance < 1e-3))
            return fail(c, m, "must be between 0 and 1e-3 (max |ln residual|)");
    }
    return rc;
}

static int aqueous_row(void *vctx, char **tok, int ntok, int line, RxError *err)
{
    (void)ntok;
    (void)line;
    RxPlant *p = vctx;
    double v;
    if (strcmp(tok[0], "HSO4_pKa") == 0) {
        if (!rx_parse_number(tok[1], &v))
            return rx_error_set(err, RX_BAD_INPUT, NULL, "HSO4_pKa: not a number");
        p->ka_hso4 = pow(10.0, -v);
    }
    return RX_OK;
}

/* Aqueous equilibria (models/data/aqueous.tsv). */
static int load_aqueous(RxPlant *p, RxError *err)
{
    char path[512];
    snprintf(path, sizeof path, "%s/aqueous.tsv", rx_data_dir());
    int rc = rx_datafile_read(path, 2, aqueous_row, p, err);
    if (rc == RX_OK && !(p->ka_hso4 > 0))
        rc = rx_error_set(err, RX_BAD_INPUT, path, "no HSO4_pKa row");
    return rc;
}

/* Every stage needs both phases flowing through it (a draw of a whole outflow
 * can starve the stages beyond it): said here, with the line of the draws or
 * the feeds, rather than when solving. */
static int check_flows(const Ctx *c, const config_setting_t *root)
{
    RxPlant *p = c->p;
    size_t N = (size_t)p->nstages;
    double *buf = calloc(N * (7 + (size_t)p->nsp), sizeof(double));
    if (!buf)
        return rx_error_set(c->err, RX_NO_MEMORY, NULL, "out of memory");
    RxFlows fl = {buf, buf + N, buf + 2 * N, buf + 3 * N, buf + 7 * N, buf + 4 * N, buf + 5 * N, buf + 6 * N};
    rx_cascade_flows(p, p->feeds, &fl);
    const config_setting_t *at = member(root, "draws") ? member(root, "draws") : member(root, "feeds");
    int rc = RX_OK;
    for (int k = 0; rc == RX_OK && k < p->nstages; k++) {
        if (!(fl.A[k] > 0) || !(fl.O[k] > 0))
            rc = fail(c, at, "stage %d gets no %s flow: every stage needs both phases (a draw of a whole outflow "
                             "starves the stages beyond it; or no feed reaches it)",
                      k + 1, fl.A[k] > 0 ? "organic" : "aqueous");
        else if (c->model->needs_anions && !(fl.cl[k] + 2.0 * fl.so4[k] > 0))
            rc = fail(c, at, "stage %d gets no anions (chloride or sulfate) in its aqueous", k + 1);
    }
    free(buf);
    return rc;
}

/* Lines in a text (a last line without '\n' counts). */
static int count_text_lines(const char *t)
{
    int n = 0;
    char last = '\n';
    for (; *t; t++) {
        n += *t == '\n';
        last = *t;
    }
    return n + (last != '\n');
}

/* Lines in a file, 0 if unreadable. */
static int count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    int n = 0, ch, last = '\n';
    while ((ch = getc(f)) != EOF) {
        n += ch == '\n';
        last = ch;
    }
    fclose(f);
    return n + (last != '\n');
}

/* Load the plant from text (named path in messages), or from the file path
 * when text is NULL. */
static int plant_load(const char *path, const char *text, RxPlant **out, RxError *err)
{
    static const char *const keys[] = {"version",  "title",  "extractant", "model",  "sections", "feeds", "draws",
                                       "products", "solver", "dynamics",   "design", "cost",     NULL};
    RxPlant *p = calloc(1, sizeof *p);
    if (!p)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    p->base_species = -1;
    snprintf(p->base_name, sizeof p->base_name, "NaOH");
    snprintf(p->path, sizeof p->path, "%s", path);
    if (text && !(p->source_text = strdup(text))) {
        free(p);
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    }
    Ctx c = {path, err, p, NULL};
    config_t cfg;
    config_init(&cfg);
    int rc = RX_OK;
    char epath[512];
    snprintf(epath, sizeof epath, "%s/elements.tsv", rx_data_dir());
    if (!text) {
        FILE *f = fopen(path, "r");
        if (!f) {
            rc = rx_error_set(err, RX_BAD_INPUT, path, "cannot open the plant description");
            goto done;
        }
        fclose(f);
    }
    if (!(text ? config_read_string(&cfg, text) : config_read_file(&cfg, path))) {
        /* libconfig puts an error at the end of the input one line past the
         * last: point at the last line and say what usually causes it. */
        int line = config_error_line(&cfg), nlines = text ? count_text_lines(text) : count_lines(path);
        int at_end = config_error_type(&cfg) == CONFIG_ERR_PARSE && nlines > 0 && line > nlines;
        char w[300];
        snprintf(w, sizeof w, "%s:%d", path, at_end ? nlines : line);
        rc = rx_error_set(err, RX_BAD_INPUT, w, "syntax: %s%s", config_error_text(&cfg),
                          at_end ? " at the end of the file (an unclosed '{', '(' or '[')" : "");
        goto done;
    }
    if ((rc = rx_elements_load(epath, &p->elements, err)) != RX_OK || (rc = load_aqueous(p, err)) != RX_OK)
        goto done;
    const config_setting_t *root = config_root_setting(&cfg), *m;
    if ((rc = check_keys(&c, root, keys)) != RX_OK || (rc = need(&c, root, "version", CONFIG_TYPE_INT, &m)) != RX_OK)
        goto done;
    if (config_setting_get_int(m) != RX_SCHEMA_VERSION) {
        rc = fail(&c, m, "schema version %d is not supported (this reesx reads version %d)",
                  config_setting_get_int(m), RX_SCHEMA_VERSION);
        goto done;
    }
    if (member(root, "title")) {
        const char *t;
        if ((rc = get_string(&c, root, "title", &t)) != RX_OK)
            goto done;
        snprintf(p->title, sizeof p->title, "%s", t);
    }
    if ((rc = read_model(&c, root)) != RX_OK || (rc = read_extractant(&c, root)) != RX_OK ||
        (rc = read_sections(&c, root)) != RX_OK || (rc = read_feeds(&c, root)) != RX_OK ||
        (rc = read_draws(&c, root)) != RX_OK)
        goto done;
    rx_plant_drop_unfed_base(p);
    rx_plant_sort_species(p);
    if ((rc = check_flows(&c, root)) != RX_OK)
        goto done;
    if ((rc = read_products(&c, root)) != RX_OK || (rc = read_model_values(&c, root)) != RX_OK ||
        (rc = read_dynamics(&c, root)) != RX_OK || (rc = read_design(&c, root)) != RX_OK ||
        (rc = read_cost(&c, root)) != RX_OK ||
        (rc = read_solver(&c, root)) != RX_OK)
        goto done;
    if (p->nsp == 0) {
        rc = fail(&c, member(root, "feeds"), "no feed carries any metal");
        goto done;
    }
    if ((rc = rx_model_build(p, err)) != RX_OK)
        goto done;
done:
    config_destroy(&cfg);
    if (rc != RX_OK) {
        rx_plant_destroy(&p);
        return rc;
    }
    *out = p;
    return RX_OK;
}

int rx_plant_load(const char *path, RxPlant **out, RxError *err)
{
    return plant_load(path, NULL, out, err);
}

int rx_plant_load_text(const char *text, const char *name, RxPlant **out, RxError *err)
{
    if (!name)
        name = "<text>";
    if (!text)
        return rx_error_set(err, RX_BAD_INPUT, name, "no plant description text");
    return plant_load(name, text, out, err);
}

/* A quantity setting "<v> <unit>" replaced, or added to group g. */
static int set_quantity(config_setting_t *g, const char *name, double v, const char *unit)
{
    char q[64];
    snprintf(q, sizeof q, "%.17g %s", v, unit);
    config_setting_t *m = config_setting_get_member(g, name);
    if (m && config_setting_type(m) != CONFIG_TYPE_STRING) {
        config_setting_remove(g, name);
        m = NULL;
    }
    if (!m)
        m = config_setting_add(g, name, CONFIG_TYPE_STRING);
    return m && config_setting_set_string(m, q);
}

/* Apply one feed set to the feed group g. */
static int apply_feed_set(config_setting_t *g, const RxFeedSet *fs)
{
    if (fs->flow >= 0 && !set_quantity(g, "flow", fs->flow, "L/h"))
        return 0;
    if (fs->acid >= 0 && !set_quantity(g, "acid", fs->acid, "mol/L"))
        return 0;
    if (fs->ncomp > 0) {
        if (config_setting_get_member(g, "composition"))
            config_setting_remove(g, "composition");
        config_setting_t *comp = config_setting_add(g, "composition", CONFIG_TYPE_GROUP);
        if (!comp)
            return 0;
        for (int j = 0; j < fs->ncomp; j++)
            if (fs->conc[j] > 0 && !set_quantity(comp, fs->sym[j], fs->conc[j], "mol/L"))
                return 0;
    }
    return 1;
}

int rx_plant_variant(const RxPlant *p, int nsec, const int *sections, const int *stages, int nfeed,
                     const RxFeedSet *feeds, char **text, RxError *err)
{
    *text = NULL;
    config_t cfg;
    config_init(&cfg);
    int rc = RX_OK;
    if (!(p->source_text ? config_read_string(&cfg, p->source_text) : config_read_file(&cfg, p->path))) {
        rc = rx_error_set(err, RX_BAD_INPUT, p->path, "cannot re-read the plant description: %s",
                          config_error_text(&cfg));
        goto done;
    }
    config_setting_t *root = config_root_setting(&cfg);
    config_setting_t *secs = config_setting_get_member(root, "sections");
    config_setting_t *fds = config_setting_get_member(root, "feeds");
    for (int i = 0; i < nsec && rc == RX_OK; i++) {
        config_setting_t *g = secs ? config_setting_get_elem(secs, (unsigned)sections[i]) : NULL;
        config_setting_t *st = g ? config_setting_get_member(g, "stages") : NULL;
        if (!st || !config_setting_set_int(st, stages[i]))
            rc = rx_error_set(err, RX_BAD_INPUT, p->path, "section %d has no stages to set", sections[i] + 1);
    }
    for (int i = 0; i < nfeed && rc == RX_OK; i++) {
        config_setting_t *g = fds ? config_setting_get_elem(fds, (unsigned)feeds[i].feed) : NULL;
        if (!g || !apply_feed_set(g, &feeds[i]))
            rc = rx_error_set(err, RX_BAD_INPUT, p->path, "feed %d cannot be set", feeds[i].feed + 1);
    }
    if (rc != RX_OK)
        goto done;
    size_t len = 0;
    FILE *f = open_memstream(text, &len);
    if (!f) {
        rc = rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
        goto done;
    }
    config_write(&cfg, f);
    if (fclose(f) != 0 || !*text) {
        free(*text);
        *text = NULL;
        rc = rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    }
done:
    config_destroy(&cfg);
    return rc;
}

/* ---- flowsheets ---------------------------------------------------------- */

#define RX_DEFAULT_TEAR_TOL 1e-10
/* A tear looser than this could leave the balance above RX_CLOSURE_TOL. */
#define RX_MAX_TEAR_TOL 1e-10
#define RX_DEFAULT_TEAR_ITER 200

int rx_is_flowsheet(const char *path)
{
    config_t cfg;
    config_init(&cfg);
    int yes = config_read_file(&cfg, path) && config_lookup(&cfg, "flowsheet") != NULL;
    config_destroy(&cfg);
    return yes;
}

/* "circuit:name" -> circuit index and name; fails naming the setting. */
static int split_ref(const Ctx *c, const config_setting_t *m, const RxFlowsheet *fs, int *circ, char *name)
{
    const char *s = config_setting_type(m) == CONFIG_TYPE_STRING ? config_setting_get_string(m) : NULL;
    const char *colon = s ? strrchr(s, ':') : NULL;
    if (!colon)
        return fail(c, m, "expected \"circuit:stream\"");
    *circ = -1;
    for (int i = 0; i < fs->n; i++)
        if (strlen(fs->name[i]) == (size_t)(colon - s) && strncmp(fs->name[i], s, (size_t)(colon - s)) == 0)
            *circ = i;
    if (*circ < 0)
        return fail(c, m, "'%.*s' is not a circuit of the flowsheet", (int)(colon - s), s);
    snprintf(name, RX_NAME_LEN, "%s", colon + 1);
    return RX_OK;
}

static int read_flowsheet(const Ctx *c, const config_setting_t *root, RxFlowsheet *fs)
{
    static const char *const top[] = {"version", "title", "flowsheet", NULL};
    static const char *const keys[] = {"circuits", "connections", "max_iterations", "tolerance", NULL};
    static const char *const ckeys[] = {"name", "file", NULL};
    static const char *const kkeys[] = {"from", "to", NULL};
    const config_setting_t *g = member(root, "flowsheet"), *l, *m;
    int rc;
    if ((rc = check_keys(c, root, top)) != RX_OK || (rc = need(c, root, "version", CONFIG_TYPE_INT, &m)) != RX_OK)
        return rc;
    if (config_setting_get_int(m) != RX_SCHEMA_VERSION)
        return fail(c, m, "schema version %d is not supported (this reesx reads version %d)",
                    config_setting_get_int(m), RX_SCHEMA_VERSION);
    if (member(root, "title")) {
        const char *t;
        if ((rc = get_string(c, root, "title", &t)) != RX_OK)
            return rc;
        snprintf(fs->title, sizeof fs->title, "%s", t);
    }
    if (!g)
        return fail_missing(c, root, "flowsheet", "required setting is missing (a group { circuits; connections; })");
    if (!config_setting_is_group(g))
        return fail(c, g, "expected a group { circuits; connections; }");
    if ((rc = check_keys(c, g, keys)) != RX_OK || (rc = need(c, g, "circuits", CONFIG_TYPE_LIST, &l)) != RX_OK)
        return rc;
    if (config_setting_length(l) < 1 || config_setting_length(l) > RX_MAX_CIRCUITS)
        return fail(c, l, "needs 1 to %d circuits", RX_MAX_CIRCUITS);
    char dir[256];
    snprintf(dir, sizeof dir, "%s", fs->path);
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[1] = '\0';
    else
        dir[0] = '\0';
    for (int i = 0; i < config_setting_length(l); i++) {
        const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
        const char *name, *file;
        if (!config_setting_is_group(e))
            return fail(c, e, "expected a group { name; file; }");
        if ((rc = check_keys(c, e, ckeys)) != RX_OK || (rc = get_string(c, e, "name", &name)) != RX_OK ||
            (rc = get_string(c, e, "file", &file)) != RX_OK)
            return rc;
        if (!*name || strlen(name) >= RX_NAME_LEN || strchr(name, ':') || strchr(name, '/'))
            return fail(c, member(e, "name"), "'%s' is not a valid circuit name (no ':' or '/')", name);
        for (int k = 0; k < fs->n; k++)
            if (strcmp(fs->name[k], name) == 0)
                return fail(c, member(e, "name"), "circuit '%s' is defined twice", name);
        char path[800];
        snprintf(path, sizeof path, "%s%s", file[0] == '/' ? "" : dir, file);
        FILE *f = fopen(path, "r");
        if (!f)
            return fail(c, member(e, "file"), "cannot open circuit file %s", path);
        fclose(f);
        snprintf(fs->name[fs->n], RX_NAME_LEN, "%s", name);
        if ((rc = rx_plant_load(path, &fs->plant[fs->n], c->err)) != RX_OK)
            return rc; /* the circuit file's own file:line */
        fs->n++;
    }
    if ((l = member(g, "connections"))) {
        if (!config_setting_is_list(l) || config_setting_length(l) > RX_MAX_CONNECTIONS)
            return fail(c, l, "expected a list of up to %d groups { from; to; }", RX_MAX_CONNECTIONS);
        for (int i = 0; i < config_setting_length(l); i++) {
            const config_setting_t *e = config_setting_get_elem(l, (unsigned)i), *fm, *tm;
            RxConnection *k = &fs->conn[fs->nconn];
            char feed[RX_NAME_LEN];
            if (!config_setting_is_group(e))
                return fail(c, e, "expected a group { from = \"circuit:outlet\"; to = \"circuit:feed\"; }");
            if ((rc = check_keys(c, e, kkeys)) != RX_OK || (rc = need(c, e, "from", CONFIG_TYPE_STRING, &fm)) != RX_OK ||
                (rc = need(c, e, "to", CONFIG_TYPE_STRING, &tm)) != RX_OK ||
                (rc = split_ref(c, fm, fs, &k->from_c, k->from)) != RX_OK ||
                (rc = split_ref(c, tm, fs, &k->to_c, feed)) != RX_OK)
                return rc;
            const RxPlant *a = fs->plant[k->from_c], *b = fs->plant[k->to_c];
            int phase = strcmp(k->from, "raffinate") == 0 ? RX_AQ : strcmp(k->from, "organic") == 0 ? RX_ORG : -1;
            for (int d = 0; d < a->ndraws && phase < 0; d++)
                if (strcmp(a->draws[d].name, k->from) == 0)
                    phase = a->draws[d].phase;
            if (phase < 0)
                return fail(c, fm, "'%s' is not an outlet of circuit '%s' (raffinate, organic or a draw)", k->from,
                            fs->name[k->from_c]);
            k->to_feed = index_by_name(b->feeds, sizeof *b->feeds, b->nfeeds, feed);
            if (k->to_feed < 0)
                return fail(c, tm, "'%s' is not a feed of circuit '%s'", feed, fs->name[k->to_c]);
            if (b->feeds[k->to_feed].phase != phase)
                return fail(c, tm, "an %s outlet cannot become an %s feed", phase == RX_AQ ? "aqueous" : "organic",
                            phase == RX_AQ ? "organic" : "aqueous");
            if (phase == RX_ORG && k->to_c != k->from_c)
                return fail(c, tm, "an organic outlet returns to its own circuit's organic feed only");
            int sulfate = b->feeds[k->to_feed].so4 > 0;
            for (int f = 0; f < a->nfeeds; f++)
                sulfate |= a->feeds[f].so4 > 0;
            if (sulfate)
                return fail(c, tm, "flowsheets join chloride streams only");
            for (int o = 0; o < fs->nconn; o++)
                if (fs->conn[o].to_c == k->to_c && fs->conn[o].to_feed == k->to_feed)
                    return fail(c, tm, "feed '%s' of circuit '%s' is fed by two connections", feed,
                                fs->name[k->to_c]);
            k->phase = phase;
            fs->nconn++;
        }
    }
    fs->max_iterations = RX_DEFAULT_TEAR_ITER;
    fs->tolerance = RX_DEFAULT_TEAR_TOL;
    if ((m = member(g, "max_iterations"))) {
        if ((rc = need(c, g, "max_iterations", CONFIG_TYPE_INT, &m)) != RX_OK)
            return rc;
        fs->max_iterations = config_setting_get_int(m);
        if (fs->max_iterations < 1 || fs->max_iterations > 100000)
            return fail(c, m, "must be 1 to 100000");
    }
    if ((m = member(g, "tolerance"))) {
        fs->tolerance = number_of(m);
        if (!(fs->tolerance > 0 && fs->tolerance <= RX_MAX_TEAR_TOL))
            return fail(c, m, "must be between 0 and %g (relative change of a tear stream; the "
                              "flowsheet balance must close to %g)",
                        RX_MAX_TEAR_TOL, RX_CLOSURE_TOL);
    }
    return RX_OK;
}

int rx_flowsheet_load(const char *path, RxFlowsheet **out, RxError *err)
{
    *out = NULL;
    RxFlowsheet *fs = calloc(1, sizeof *fs);
    if (!fs)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    snprintf(fs->path, sizeof fs->path, "%s", path);
    /* the names of settings in messages need a plant for the element table only */
    RxPlant scratch;
    memset(&scratch, 0, sizeof scratch);
    Ctx c = {path, err, &scratch, NULL};
    config_t cfg;
    config_init(&cfg);
    int rc = RX_OK;
    if (!config_read_file(&cfg, path)) {
        char w[300];
        snprintf(w, sizeof w, "%s:%d", path, config_error_line(&cfg));
        rc = config_error_type(&cfg) == CONFIG_ERR_FILE_IO
                 ? rx_error_set(err, RX_BAD_INPUT, path, "cannot open the flowsheet description")
                 : rx_error_set(err, RX_BAD_INPUT, w, "syntax: %s", config_error_text(&cfg));
    } else
        rc = read_flowsheet(&c, config_root_setting(&cfg), fs);
    config_destroy(&cfg);
    if (rc != RX_OK) {
        rx_flowsheet_destroy(&fs);
        return rc;
    }
    *out = fs;
    return RX_OK;
}

