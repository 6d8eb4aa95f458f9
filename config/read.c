/*
 * config/read.c - readers every schema group uses: messages naming the file,
 * line and setting; required members and unknown keys; strings, words,
 * phases, stages and lists; quantities with their units.
 */
#include "config/internal.h"

#include "core/readfile.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The schema version of plant and flowsheet descriptions this reesx reads. */
#define RX_SCHEMA_VERSION 1
/* No setting of a plant is larger than this in its internal unit (L/h, L,
 * h, mol/L...). */
#define RX_MAX_QUANTITY 1e9
/* No string setting is longer (bytes): the longest a plant holds is a
 * path (model.data, dynamics.state_file, fit.data), and Linux paths are
 * below PATH_MAX, 4096 bytes with the NUL; names, quantities and titles
 * are far shorter. */
#define RX_MAX_STRING_BYTES 4095

/* "file:line" of a setting. */
const char *rx_cfg_where(const RxCfg *c, const config_setting_t *s)
{
    static _Thread_local char buf[300];
    int line = s ? (int)config_setting_source_line(s) : 0;
    if (c->src && s) /* a setting from an @include'd file is that file's */
        rx_source_where(c->src, line, buf, sizeof buf);
    else
        snprintf(buf, sizeof buf, "%s:%d", c->path, line);
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

__attribute__((format(printf, 4, 0))) static int vfail_at(const RxCfg *c, const char *at, const char *name,
                                                          const char *fmt, va_list ap)
{
    char msg[500];
    vsnprintf(msg, sizeof msg, fmt, ap);
    return rx_error_set(c->err, RX_BAD_INPUT, at, "%s: %s", name, msg);
}

/* Required member `key` of group g is missing.  It has no line of its own:
 * the error names it in full ("feeds[2].flow") at the line of g, or at line 1
 * for a top-level setting. */
int rx_cfg_fail_missing(const RxCfg *c, const config_setting_t *g, const char *key, const char *fmt, ...)
{
    char name[200], at[300];
    setting_name(g, name, sizeof name);
    size_t len = strlen(name);
    snprintf(name + len, sizeof name - len, "%s%s", len ? "." : "", key);
    if (config_setting_parent(g))
        snprintf(at, sizeof at, "%s", rx_cfg_where(c, g));
    else
        snprintf(at, sizeof at, "%s:1", c->path);
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail_at(c, at, name, fmt, ap);
    va_end(ap);
    return rc;
}

int rx_cfg_fail(const RxCfg *c, const config_setting_t *s, const char *fmt, ...)
{
    char name[160], at[300];
    setting_name(s, name, sizeof name);
    snprintf(at, sizeof at, "%s", rx_cfg_where(c, s));
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
int rx_cfg_check_keys(const RxCfg *c, const config_setting_t *g, const char *const *allowed)
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
            return rx_cfg_fail(c, m, "unknown setting (expected one of: %s)", list);
        }
    }
    return RX_OK;
}

double rx_cfg_number(const config_setting_t *m)
{
    return config_setting_type(m) == CONFIG_TYPE_FLOAT ? config_setting_get_float(m)
                                                       : (double)config_setting_get_int64(m);
}

int rx_cfg_need(const RxCfg *c, const config_setting_t *g, const char *name, int type, const config_setting_t **out)
{
    const config_setting_t *m = rx_cfg_member(g, name);
    if (!m)
        return rx_cfg_fail_missing(c, g, name, "required setting is missing");
    int t = config_setting_type(m);
    if (type == CONFIG_TYPE_NONE)
        ; /* checked by the caller */
    else if (type == CONFIG_TYPE_FLOAT  ? !(t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT)
             : type == CONFIG_TYPE_INT ? !rx_cfg_is_integer(m)
                                       : t != type) {
        static const char *const names[] = {"none",   "group", "integer", "integer", "number",
                                            "string", "boolean", "array", "list"};
        return rx_cfg_fail(c, m, "expected %s %s", type == CONFIG_TYPE_INT || type == CONFIG_TYPE_ARRAY ? "an" : "a",
                           names[type]);
    }
    *out = m;
    return RX_OK;
}

int rx_cfg_is_integer(const config_setting_t *m)
{
    return config_setting_type(m) == CONFIG_TYPE_INT || config_setting_type(m) == CONFIG_TYPE_INT64;
}

int rx_cfg_get_integer(const RxCfg *c, const config_setting_t *g, const char *name, const config_setting_t **m,
                       long long *out)
{
    int rc = rx_cfg_need(c, g, name, CONFIG_TYPE_INT, m);
    if (rc == RX_OK)
        *out = config_setting_get_int64(*m);
    return rc;
}

int rx_cfg_get_path(const RxCfg *c, const config_setting_t *g, const char *name, char *out, size_t n)
{
    const char *s;
    int rc = rx_cfg_get_string(c, g, name, &s);
    if (rc != RX_OK)
        return rc;
    const char *slash = strrchr(c->path, '/');
    int w = s[0] == '/' || !slash ? snprintf(out, n, "%s", s)
                                  : snprintf(out, n, "%.*s/%s", (int)(slash - c->path), c->path, s);
    if (w < 0 || (size_t)w >= n) /* cut short, it would name another file */
        return rx_cfg_fail(c, rx_cfg_member(g, name), "the path is longer than %zu bytes", n - 1);
    return RX_OK;
}

int rx_cfg_get_string(const RxCfg *c, const config_setting_t *g, const char *name, const char **out)
{
    const config_setting_t *m = NULL;
    int rc = rx_cfg_need(c, g, name, CONFIG_TYPE_STRING, &m);
    if (rc == RX_OK)
        *out = config_setting_get_string(m);
    return rc;
}

/* A quantity string: number, then unit.  Returns the unit pointer into s. */
int rx_cfg_split_quantity(const char *s, double *v, const char **unit)
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

/* Parse "<number> <unit>" with one of units; out in internal units. */
int rx_cfg_get_quantity(const RxCfg *c, const config_setting_t *m, const RxUnit *units, const char *example,
                        double *out)
{
    if (config_setting_type(m) != CONFIG_TYPE_STRING)
        return rx_cfg_fail(c, m, "expected a quantity with its unit, e.g. \"%s\"", example);
    const char *s = config_setting_get_string(m), *unit;
    double v;
    if (!rx_cfg_split_quantity(s, &v, &unit))
        return rx_cfg_fail(c, m, "'%s' does not start with a number (e.g. \"%s\")", s, example);
    char list[200] = "";
    for (const RxUnit *u = units; u->unit; u++) {
        if (strcmp(u->unit, unit) == 0) {
            *out = v * u->factor;
            if (!isfinite(*out) || fabs(*out) > RX_MAX_QUANTITY)
                return rx_cfg_fail(c, m, "'%s' is out of range (magnitude above %g in %s)", s, RX_MAX_QUANTITY,
                                   units[0].unit);
            return RX_OK;
        }
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", u == units ? "" : ", ", u->unit);
    }
    if (!*unit)
        return rx_cfg_fail(c, m, "'%s' has no unit (use %s)", s, list);
    return rx_cfg_fail(c, m, "unknown unit '%s' (use %s)", unit, list);
}

const RxUnit rx_cfg_flow_units[] = {{"L/h", 1.0}, {"m3/h", ML_PER_L}, {"L/min", S_PER_MIN}, {NULL, 0}};
const RxUnit rx_cfg_percent_units[] = {{"%", 1.0 / PERCENT}, {NULL, 0}};
const RxUnit rx_cfg_fraction_units[] = {{"%", 1.0 / PERCENT}, {"ppm", 1e-6}, {NULL, 0}};
const RxUnit rx_cfg_molar_units[] = {{"mol/L", 1.0}, {"mmol/L", 1e-3}, {NULL, 0}};
const RxUnit rx_cfg_time_units[] = {{"h", 1.0}, {"min", 1.0 / S_PER_MIN}, {"s", 1.0 / 3600.0}, {"d", 24.0},
                                    {NULL, 0}};

/* Stage reference: 1-based integer, or "section:first|last|N". */
int rx_cfg_get_stage(const RxCfg *c, const config_setting_t *g, int *out, RxStageRef *ref)
{
    const config_setting_t *m = rx_cfg_member(g, "stage");
    const RxPlant *p = c->p;
    if (!m)
        return rx_cfg_fail_missing(
            c, g, "stage", "required setting is missing (a stage number 1..%d or \"section:first\")", p->nstages);
    if (rx_cfg_is_integer(m)) {
        long long k = config_setting_get_int64(m);
        if (k < 1 || k > p->nstages)
            return rx_cfg_fail(c, m, "stage %lld does not exist (the circuit has stages 1..%d)", k, p->nstages);
        *out = (int)k - 1;
        *ref = (RxStageRef){-1, 0};
        return RX_OK;
    }
    if (config_setting_type(m) != CONFIG_TYPE_STRING)
        return rx_cfg_fail(c, m, "expected a stage number or \"section:first|last|N\"");
    const char *s = config_setting_get_string(m);
    int rc = rx_stage_ref_parse(p, s, ref);
    if (rc == RX_STAGE_BAD_POSITION)
        return rx_cfg_fail(c, m, "'%s': position must be first, last or 1..%d", s, p->sections[ref->section].count);
    if (rc != RX_OK)
        return rx_cfg_fail(c, m, "'%s' names no section (expected \"section:first|last|N\")", s);
    *out = rx_stage_of(p, *ref, *out);
    return RX_OK;
}

/* The string setting `name` of g as the index of one of words (NULL
 * ended); otherwise an error "'x' is not <what> (use a, b or c)". */
int rx_cfg_get_word(const RxCfg *c, const config_setting_t *g, const char *name, const char *const *words,
                    const char *what, int *out)
{
    const char *s;
    int rc = rx_cfg_get_string(c, g, name, &s);
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
    return rx_cfg_fail(c, rx_cfg_member(g, name), "'%s' is not %s (use %s)", s, what, list);
}

int rx_cfg_get_phase(const RxCfg *c, const config_setting_t *g, int *out)
{
    static const char *const words[] = {"aqueous", "organic", NULL}; /* RX_AQ, RX_ORG */
    return rx_cfg_get_word(c, g, "phase", words, "a phase", out);
}

/* Index of the item named name in items (n of them, size bytes each, each
 * starting with its char name[RX_NAME_LEN]), -1 if none. */
_Static_assert(offsetof(RxSection, name) == 0 && offsetof(RxFeed, name) == 0 && offsetof(RxProduct, name) == 0,
               "index_by_name reads the name at the start of the item");
int rx_cfg_index_by_name(const void *items, size_t size, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp((const char *)items + (size_t)i * size, name) == 0)
            return i;
    return -1;
}

/* Free acid "x mol/L" (HCl) or "pH x" -> [H+] mol/L.  Both forms cover the
 * same range: pH -1.5 to 14 of water, and up to RX_MAX_MOLAR as mol/L.
 * Below pH 14 free acid means nothing in water, and near 1e-300 mol/L a
 * scrub liquor's chloride underflowed the stage balances. */
#define ACID_PH_MIN -1.5
#define ACID_PH_MAX 14.0
int rx_cfg_get_acid(const RxCfg *c, const config_setting_t *m, double *h)
{
    if (config_setting_type(m) != CONFIG_TYPE_STRING)
        return rx_cfg_fail(c, m, "expected free acid as \"<number> mol/L\" (HCl) or \"pH <number>\"");
    const char *s = config_setting_get_string(m), *unit;
    double v;
    if (strncmp(s, "pH", 2) == 0) {
        if (!rx_parse_number(s + 2 + strspn(s + 2, " "), &v) || v < ACID_PH_MIN || v > ACID_PH_MAX)
            return rx_cfg_fail(c, m, "'%s': expected \"pH <number>\" with pH from -1.5 to 14", s);
        *h = pow(10.0, -v);
    } else if (rx_cfg_split_quantity(s, &v, &unit) && strcmp(unit, "mol/L") == 0) {
        if (!(v > 0))
            return rx_cfg_fail(c, m, "free acid must be positive [mol/L HCl] (for near-neutral water give pH)");
        char num[RX_NUM_LEN];
        if (!(v >= pow(10.0, -ACID_PH_MAX)))
            return rx_cfg_fail(c, m, "%.4g mol/L of free acid is below pH %g, the least acid accepted [mol/L HCl]", v,
                               ACID_PH_MAX);
        if (!(v <= RX_MAX_MOLAR))
            return rx_cfg_fail(c, m, "%s mol/L of free acid is more than an aqueous holds (at most %g mol/L)",
                               rx_fmt_beyond(num, v, RX_MAX_MOLAR), RX_MAX_MOLAR);
        *h = v;
    } else
        return rx_cfg_fail(c, m, "'%s': expected free acid as \"<number> mol/L\" (HCl) or \"pH <number>\"", s);
    return RX_OK;
}

/* The optional list `name` of groups shaped like `shape`: *list is NULL when
 * absent; otherwise *items holds its length (at least 1) of zeroed items. */
int rx_cfg_get_list(const RxCfg *c, const config_setting_t *root, const char *name, const char *shape, size_t item,
                    void **items, const config_setting_t **list)
{
    *items = NULL;
    if (!(*list = rx_cfg_member(root, name)))
        return RX_OK;
    if (!config_setting_is_list(*list))
        return rx_cfg_fail(c, *list, "expected a list ( %s, ... )", shape);
    int n = config_setting_length(*list);
    if (!(*items = calloc((size_t)(n ? n : 1), item)))
        return rx_error_set(c->err, RX_NO_MEMORY, NULL, "out of memory");
    for (int i = 0; i < n; i++) {
        const config_setting_t *g = config_setting_get_elem(*list, (unsigned)i);
        if (!config_setting_is_group(g))
            return rx_cfg_fail(c, g, "expected a group %s", shape);
    }
    return RX_OK;
}

/* Every string of setting s and below: at most RX_MAX_STRING_BYTES and
 * UTF-8 (strings reach the JSON and CSV outputs). */
int rx_cfg_check_strings(const RxCfg *c, const config_setting_t *s)
{
    if (config_setting_type(s) == CONFIG_TYPE_STRING) {
        const char *t = config_setting_get_string(s);
        size_t n = strlen(t), bad = rx_utf8_invalid(t, n);
        if (n > RX_MAX_STRING_BYTES)
            return rx_cfg_fail(c, s, "a string of %zu bytes: at most %d", n, RX_MAX_STRING_BYTES);
        if (bad < n)
            return rx_cfg_fail(c, s, "not UTF-8 text (byte 0x%02x at byte %zu): save the file as UTF-8",
                               (unsigned)(unsigned char)t[bad], bad + 1);
        return RX_OK;
    }
    int n = config_setting_is_aggregate(s) ? config_setting_length(s) : 0, rc = RX_OK;
    for (int i = 0; i < n && rc == RX_OK; i++)
        rc = rx_cfg_check_strings(c, config_setting_get_elem(s, (unsigned)i));
    return rc;
}

int rx_cfg_read_head(const RxCfg *c, const config_setting_t *root, const char *const *keys, char *title, size_t n)
{
    const config_setting_t *m;
    int rc;
    if ((rc = rx_cfg_check_keys(c, root, keys)) != RX_OK ||
        (rc = rx_cfg_need(c, root, "version", CONFIG_TYPE_INT, &m)) != RX_OK)
        return rc;
    if (config_setting_get_int64(m) != RX_SCHEMA_VERSION)
        return rx_cfg_fail(c, m, "schema version %lld is not supported (this reesx reads version %d)",
                           (long long)config_setting_get_int64(m), RX_SCHEMA_VERSION);
    if (rx_cfg_member(root, "title")) {
        const char *t;
        if ((rc = rx_cfg_get_string(c, root, "title", &t)) != RX_OK)
            return rc;
        if (strlen(t) >= n) /* cut short, it could end inside a UTF-8 character */
            return rx_cfg_fail(c, rx_cfg_member(root, "title"), "a title of %zu bytes: at most %zu", strlen(t),
                               n - 1);
        snprintf(title, n, "%s", t);
    }
    return RX_OK;
}
