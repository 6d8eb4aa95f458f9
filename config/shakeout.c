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

#include "config/csv.h"
#include "core/datafile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SK_PERCENT 100.0

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

/* The column a header field names; its unit factor into *factor (for
 * concentrations: divided by the element's molar mass as well). */
static int parse_header(const char *path, char *h, const RxElementTable *el, Column *c, double *factor, RxError *err)
{
    snprintf(c->name, sizeof c->name, "%s", h);
    char *label, *unit;
    int rc = rx_csv_header(path, h, c->name, &label, &unit, err);
    if (rc != RX_OK)
        return rc;
    *factor = 1.0;
    c->elem = -1;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        if (strcmp(label, fixed[i].label))
            continue;
        c->what = fixed[i].what;
        if (fixed[i].unit && (!unit || strcmp(unit, fixed[i].unit)))
            return rx_csv_fail(err, path, 1, c->name, "the unit must be [%s]", fixed[i].unit);
        if (c->what == C_SAP)
            *factor = 1.0 / SK_PERCENT;
        return RX_OK;
    }
    char *space = strchr(label, ' ');
    if (!space)
        return rx_csv_fail(err, path, 1, c->name, "%s", "unknown column (see docs/fit.md)");
    *space = '\0';
    const char *word = rx_csv_trim(space + 1);
    const RxElement *e = rx_elements_find(el, label);
    if (!e)
        return rx_csv_fail(err, path, 1, c->name, "unknown element '%s'", label);
    c->elem = (int)(e - el->el);
    for (size_t i = 0; i < sizeof per_element / sizeof per_element[0]; i++) {
        if (strcmp(word, per_element[i].word))
            continue;
        c->what = per_element[i].what;
        if (c->what == C_EXTR) {
            if (!unit || strcmp(unit, "%"))
                return rx_csv_fail(err, path, 1, c->name, "%s", "the unit must be [%]");
            *factor = 1.0 / SK_PERCENT;
        } else if (c->what == C_D) {
            if (!unit || strcmp(unit, "-"))
                return rx_csv_fail(err, path, 1, c->name, "%s", "the unit must be [-]");
        } else if ((rc = rx_csv_conc_unit(path, c->name, unit, e, factor, err)) != RX_OK)
            return rc;
        return RX_OK;
    }
    return rx_csv_fail(err, path, 1, c->name, "'%s' is not initial, aqueous, organic, extraction or D", word);
}

/* A measurement that is not usable: dropped, with its line and reason. */
static int drop(RxShakeoutData *d, int *cap, int line, const char *col, const char *why)
{
    if (rx_csv_grow((void **)&d->dropped, d->ndropped, cap, sizeof *d->dropped) != RX_OK)
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
        return rx_csv_fail(err, d->path, line, "row", "%s", msg);
    }
    double v[RX_CSV_MAX_COLS];
    int have[RX_CSV_MAX_COLS];
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
            return rx_csv_fail(err, d->path, line, col[k].name, "'%s' is not a number", f[k]);
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
                return rx_csv_fail(err, d->path, line, col[k].name, "%s", "must not be negative");
            e->h0 = v[k];
            break;
        case C_OA:
            if (!(v[k] > 0))
                return rx_csv_fail(err, d->path, line, col[k].name, "%s", "must be positive");
            e->oa = v[k];
            has_oa = 1;
            break;
        case C_EXTRACTANT:
            if (!(v[k] > 0))
                return rx_csv_fail(err, d->path, line, col[k].name, "%s", "must be positive");
            e->ce = v[k];
            has_ce = 1;
            break;
        case C_SAP:
            if (v[k] < 0 || v[k] >= 1)
                return rx_csv_fail(err, d->path, line, col[k].name, "%s", "must be at least 0 and below 100 %");
            e->sap = v[k];
            break;
        case C_TEMP:
            e->temperature = v[k];
            e->has_temperature = 1;
            break;
        case C_INITIAL:
            if (v[k] < 0)
                return rx_csv_fail(err, d->path, line, col[k].name, "%s", "must not be negative");
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
        return rx_csv_fail(err, d->path, line, "O/A [-]", "%s", "missing value");
    if (!has_ce)
        return rx_csv_fail(err, d->path, line, "extractant [mol/L]", "%s", "missing value");
    if (!e->has_ph && e->h0 < 0)
        return rx_csv_fail(err, d->path, line, "pH eq [-]", "%s", "give the equilibrium pH, the initial pH or the acid");
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
        if (rx_csv_grow((void **)&d->pts, d->npts, cap_pts, sizeof *d->pts) != RX_OK)
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
    FILE *fp = NULL;
    char *text = NULL;
    int rc = rx_csv_open(path, "the shake-out data", &fp, &text, err);
    if (rc != RX_OK)
        return rc;
    char buf[RX_CSV_LINE], *f[RX_CSV_MAX_COLS + 1];
    Column col[RX_CSV_MAX_COLS];
    double fac[RX_CSV_MAX_COLS];
    int ncol = 0, line = 0, cap_exp = 0, cap_pts = 0, cap_drop = 0;
    while (rc == RX_OK && fgets(buf, sizeof buf, fp)) {
        line++;
        if (line == 1) {
            ncol = rx_csv_split(buf, f);
            if (ncol > RX_CSV_MAX_COLS) {
                rc = rx_csv_fail(err, path, 1, "header", "%s", "too many columns");
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
                    rc = rx_csv_fail(err, path, 1, need[n], "%s", "missing column");
            }
            int ini = 0, meas = 0;
            for (int k = 0; k < ncol; k++) {
                ini |= col[k].what == C_INITIAL;
                meas |= col[k].what >= C_AQ;
            }
            if (rc == RX_OK && !ini)
                rc = rx_csv_fail(err, path, 1, "<element> initial", "%s", "missing column: no initial composition");
            if (rc == RX_OK && !meas)
                rc = rx_csv_fail(err, path, 1, "<element> extraction", "%s", "missing column: nothing measured");
            continue;
        }
        char *t = rx_csv_trim(buf);
        if (!t[0] || t[0] == '#')
            continue;
        if (rx_csv_grow((void **)&d.exp, d.nexp, &cap_exp, sizeof *d.exp) != RX_OK) {
            rc = rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
            break;
        }
        int nf = rx_csv_split(t, f);
        rc = nf > RX_CSV_MAX_COLS ? rx_csv_fail(err, path, line, "row", "%s", "more fields than the header")
                              : read_row(&d, f, nf, col, fac, ncol, line, &cap_pts, &cap_drop, err);
    }
    fclose(fp);
    free(text);
    if (rc == RX_OK && line == 0)
        rc = rx_csv_fail(err, path, 1, "header", "%s", "the file is empty");
    if (rc != RX_OK) {
        rx_shakeout_free(&d);
        return rc;
    }
    *out = d;
    return RX_OK;
}
