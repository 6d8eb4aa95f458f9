/*
 * config/shakeout.c - the shake-out CSV (docs/fit.md) into the plain
 * structs of fit/fit.h.
 *
 * One row per batch experiment; the header names each column with its
 * unit, as the outputs write them: "Mn initial [g/L]", "O/A [-]".
 * Malformed input is an error "file:line: column: what is wrong"; a
 * measurement that cannot be fitted (extraction 0 or 100 % or negative,
 * a missing value) is dropped with its line and reason in d->dropped.
 */
#include "config/config.h"

#include "core/datafile.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SK_LINE 4096
#define SK_MAX_COLS 128
#define SK_PERCENT 100.0
#define SK_MG_PER_G 1000.0

/* What a column holds. */
enum { C_EXPERIMENT, C_PH_EQ, C_PH0, C_ACID, C_OA, C_EXTRACTANT, C_SAP, C_TEMP, C_INITIAL, C_AQ, C_ORG, C_EXTR, C_D };

typedef struct {
    int what, elem;
    char name[96];
} Column;

static const struct {
    const char *label, *unit;
    int what;
} fixed[] = {
    {"experiment", NULL, C_EXPERIMENT}, {"pH eq", "-", C_PH_EQ},          {"pH initial", "-", C_PH0},
    {"acid", "mol/L", C_ACID},          {"O/A", "-", C_OA},               {"extractant", "mol/L", C_EXTRACTANT},
    {"saponification", "%", C_SAP},     {"temperature", "C", C_TEMP},
};
static const struct {
    const char *word;
    int what;
} per_element[] = {{"initial", C_INITIAL}, {"aqueous", C_AQ}, {"organic", C_ORG}, {"extraction", C_EXTR}, {"D", C_D}};

__attribute__((format(printf, 5, 6))) static int fail(RxError *err, const char *path, int line, const char *col,
                                                      const char *fmt, ...)
{
    char where[300], msg[300];
    snprintf(where, sizeof where, "%s:%d", path, line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return rx_error_set(err, RX_BAD_INPUT, where, "%s: %s", col, msg);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

/* Split line at commas into f (at most SK_MAX_COLS + 1 fields); the count. */
static int split(char *line, char **f)
{
    int n = 0;
    for (char *s = line;; n++) {
        char *comma = strchr(s, ',');
        if (n <= SK_MAX_COLS)
            f[n] = s;
        if (!comma)
            break;
        *comma = '\0';
        s = comma + 1;
    }
    for (int i = 0; i <= n && i <= SK_MAX_COLS; i++)
        f[i] = trim(f[i]);
    return n + 1;
}

/* The column a header field names; its unit factor into *factor (for
 * concentrations: divided by the element's molar mass as well). */
static int parse_header(const char *path, char *h, const RxElementTable *el, Column *c, double *factor, RxError *err)
{
    snprintf(c->name, sizeof c->name, "%s", h);
    char *open = strchr(h, '['), *unit = NULL;
    if (open) {
        char *close = strchr(open, ']');
        if (!close || close[1])
            return fail(err, path, 1, c->name, "%s", "a unit is written in brackets at the end, e.g. [g/L]");
        *close = '\0';
        unit = open + 1;
        *open = '\0';
    }
    char *label = trim(h);
    *factor = 1.0;
    c->elem = -1;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        if (strcmp(label, fixed[i].label))
            continue;
        c->what = fixed[i].what;
        if (fixed[i].unit && (!unit || strcmp(unit, fixed[i].unit)))
            return fail(err, path, 1, c->name, "the unit must be [%s]", fixed[i].unit);
        if (c->what == C_SAP)
            *factor = 1.0 / SK_PERCENT;
        return RX_OK;
    }
    char *space = strchr(label, ' ');
    if (!space)
        return fail(err, path, 1, c->name, "%s", "unknown column (see docs/fit.md)");
    *space = '\0';
    const char *word = trim(space + 1);
    const RxElement *e = rx_elements_find(el, label);
    if (!e)
        return fail(err, path, 1, c->name, "unknown element '%s'", label);
    c->elem = (int)(e - el->el);
    for (size_t i = 0; i < sizeof per_element / sizeof per_element[0]; i++) {
        if (strcmp(word, per_element[i].word))
            continue;
        c->what = per_element[i].what;
        if (c->what == C_EXTR) {
            if (!unit || strcmp(unit, "%"))
                return fail(err, path, 1, c->name, "%s", "the unit must be [%]");
            *factor = 1.0 / SK_PERCENT;
        } else if (c->what == C_D) {
            if (!unit || strcmp(unit, "-"))
                return fail(err, path, 1, c->name, "%s", "the unit must be [-]");
        } else if (unit && !strcmp(unit, "mol/L"))
            *factor = 1.0;
        else if (unit && !strcmp(unit, "g/L"))
            *factor = 1.0 / e->molar_mass;
        else if (unit && !strcmp(unit, "mg/L"))
            *factor = 1.0 / (SK_MG_PER_G * e->molar_mass);
        else
            return fail(err, path, 1, c->name, "unknown unit '%s' (use g/L, mg/L or mol/L)", unit ? unit : "");
        return RX_OK;
    }
    return fail(err, path, 1, c->name, "'%s' is not initial, aqueous, organic, extraction or D", word);
}

static int grow(void **a, int n, int *cap, size_t item)
{
    if (n < *cap)
        return RX_OK;
    int nc = *cap ? 2 * *cap : 16;
    void *b = realloc(*a, (size_t)nc * item);
    if (!b)
        return RX_NO_MEMORY;
    *a = b;
    *cap = nc;
    return RX_OK;
}

/* A measurement that is not usable: dropped, with its line and reason. */
static int drop(RxShakeoutData *d, int *cap, int line, const char *col, const char *why)
{
    if (grow((void **)&d->dropped, d->ndropped, cap, sizeof *d->dropped) != RX_OK)
        return RX_NO_MEMORY;
    snprintf(d->dropped[d->ndropped++], RX_FIT_MSG, "%s:%d: %s: %s: dropped", d->path, line, col, why);
    return RX_OK;
}

/* One data row into experiment e and its points. */
static int read_row(RxShakeoutData *d, char **f, int nf, const Column *col, const double *fac, int ncol, int line,
                    int *cap_pts, int *cap_drop, RxError *err)
{
    RxShakeout *e = &d->exp[d->nexp];
    memset(e, 0, sizeof *e);
    e->line = line;
    e->h0 = -1;
    snprintf(e->name, sizeof e->name, "%d", line);
    if (nf != ncol) {
        char msg[64];
        snprintf(msg, sizeof msg, "%d fields, the header has %d", nf, ncol);
        return fail(err, d->path, line, "row", "%s", msg);
    }
    double v[SK_MAX_COLS];
    int have[SK_MAX_COLS];
    int has_oa = 0, has_ce = 0;
    for (int k = 0; k < ncol; k++) {
        have[k] = 0;
        if (col[k].what == C_EXPERIMENT) {
            if (f[k][0])
                snprintf(e->name, sizeof e->name, "%s", f[k]);
            continue;
        }
        if (!f[k][0])
            continue; /* missing: a measurement is dropped below, a condition is an error */
        if (!rx_parse_number(f[k], &v[k]))
            return fail(err, d->path, line, col[k].name, "'%s' is not a number", f[k]);
        v[k] *= fac[k];
        have[k] = 1;
        switch (col[k].what) {
        case C_PH_EQ:
            e->ph_eq = v[k];
            e->has_ph = 1;
            break;
        case C_PH0:
            e->h0 = pow(10.0, -v[k]);
            break;
        case C_ACID:
            if (v[k] < 0)
                return fail(err, d->path, line, col[k].name, "%s", "must not be negative");
            e->h0 = v[k];
            break;
        case C_OA:
            if (!(v[k] > 0))
                return fail(err, d->path, line, col[k].name, "%s", "must be positive");
            e->oa = v[k];
            has_oa = 1;
            break;
        case C_EXTRACTANT:
            if (!(v[k] > 0))
                return fail(err, d->path, line, col[k].name, "%s", "must be positive");
            e->ce = v[k];
            has_ce = 1;
            break;
        case C_SAP:
            if (v[k] < 0 || v[k] >= 1)
                return fail(err, d->path, line, col[k].name, "%s", "must be at least 0 and below 100 %");
            e->sap = v[k];
            break;
        case C_TEMP:
            e->temperature = v[k];
            e->has_temperature = 1;
            break;
        case C_INITIAL:
            if (v[k] < 0)
                return fail(err, d->path, line, col[k].name, "%s", "must not be negative");
            if (e->nel < RX_MAX_SPECIES) {
                e->elem[e->nel] = col[k].elem;
                e->c0[e->nel++] = v[k];
            }
            break;
        default:
            break;
        }
    }
    if (!has_oa)
        return fail(err, d->path, line, "O/A [-]", "%s", "missing value");
    if (!has_ce)
        return fail(err, d->path, line, "extractant [mol/L]", "%s", "missing value");
    if (!e->has_ph && e->h0 < 0)
        return fail(err, d->path, line, "pH eq [-]", "%s", "give the equilibrium pH, the initial pH or the acid");
    for (int k = 0; k < ncol; k++) {
        int w = col[k].what;
        if (w != C_AQ && w != C_ORG && w != C_EXTR && w != C_D)
            continue;
        double c0 = -1;
        for (int j = 0; j < e->nel; j++)
            if (e->elem[j] == col[k].elem)
                c0 = e->c0[j];
        const char *why = NULL;
        if (!have[k] && !(c0 > 0))
            continue; /* an element this experiment does not carry */
        if (!have[k])
            why = "missing value";
        else if (!(c0 > 0))
            why = "no initial concentration of the element";
        else if (w == C_EXTR && !(v[k] > 0 && v[k] < 1))
            why = v[k] <= 0 ? "extraction of 0 % or less carries no D" : "extraction of 100 % or more carries no D";
        else if (w == C_D && !(v[k] > 0))
            why = "D must be positive";
        else if (w == C_AQ && !(v[k] > 0 && v[k] < c0))
            why = "equilibrium aqueous must lie between 0 and the initial";
        else if (w == C_ORG && !(v[k] > 0 && v[k] * e->oa < c0))
            why = "organic must be positive and hold less than the aqueous had";
        if (why) {
            if (drop(d, cap_drop, line, col[k].name, why) != RX_OK)
                return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
            continue;
        }
        if (grow((void **)&d->pts, d->npts, cap_pts, sizeof *d->pts) != RX_OK)
            return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
        static const int kinds[] = {[C_AQ] = RX_MEAS_AQUEOUS, [C_ORG] = RX_MEAS_ORGANIC, [C_EXTR] = RX_MEAS_EXTRACTION,
                                    [C_D] = RX_MEAS_D};
        d->pts[d->npts++] = (RxFitPoint){d->nexp, col[k].elem, kinds[w], v[k], line};
    }
    d->nexp++;
    return RX_OK;
}

int rx_shakeout_read(const char *path, const RxElementTable *el, RxShakeoutData *out, RxError *err)
{
    RxShakeoutData d = {0};
    snprintf(d.path, sizeof d.path, "%s", path);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return rx_error_set(err, RX_IO_ERROR, path, "cannot open the shake-out data");
    char buf[SK_LINE], *f[SK_MAX_COLS + 1];
    Column col[SK_MAX_COLS];
    double fac[SK_MAX_COLS];
    int ncol = 0, line = 0, rc = RX_OK, cap_exp = 0, cap_pts = 0, cap_drop = 0;
    while (rc == RX_OK && fgets(buf, sizeof buf, fp)) {
        line++;
        if (line == 1) {
            ncol = split(buf, f);
            if (ncol > SK_MAX_COLS) {
                rc = fail(err, path, 1, "header", "%s", "too many columns");
                break;
            }
            for (int k = 0; k < ncol && rc == RX_OK; k++)
                rc = parse_header(path, f[k], el, &col[k], &fac[k], err);
            static const char *const need[] = {"O/A [-]", "extractant [mol/L]"};
            static const int need_what[] = {C_OA, C_EXTRACTANT};
            for (int n = 0; n < 2 && rc == RX_OK; n++) {
                int found = 0;
                for (int k = 0; k < ncol; k++)
                    found |= col[k].what == need_what[n];
                if (!found)
                    rc = fail(err, path, 1, need[n], "%s", "missing column");
            }
            int ini = 0, meas = 0;
            for (int k = 0; k < ncol; k++) {
                ini |= col[k].what == C_INITIAL;
                meas |= col[k].what >= C_AQ;
            }
            if (rc == RX_OK && !ini)
                rc = fail(err, path, 1, "<element> initial", "%s", "missing column: no initial composition");
            if (rc == RX_OK && !meas)
                rc = fail(err, path, 1, "<element> extraction", "%s", "missing column: nothing measured");
            continue;
        }
        char *t = trim(buf);
        if (!t[0] || t[0] == '#')
            continue;
        if (grow((void **)&d.exp, d.nexp, &cap_exp, sizeof *d.exp) != RX_OK) {
            rc = rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
            break;
        }
        int nf = split(t, f);
        rc = nf > SK_MAX_COLS ? fail(err, path, line, "row", "%s", "more fields than the header")
                              : read_row(&d, f, nf, col, fac, ncol, line, &cap_pts, &cap_drop, err);
    }
    fclose(fp);
    if (rc == RX_OK && line == 0)
        rc = fail(err, path, 1, "header", "%s", "the file is empty");
    if (rc != RX_OK) {
        rx_shakeout_free(&d);
        return rc;
    }
    *out = d;
    return RX_OK;
}
