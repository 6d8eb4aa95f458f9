/*
 * config/profile.c - the measured stage profile of a running circuit
 * (docs/fit.md) into the plain structs of fit/fit.h.
 *
 * One row per place sampled: a stage (its number, or "section:first|last|N"
 * as in the config) or an outlet (raffinate, organic, a draw or a product
 * by name); columns "pH [-]" and "<El> aqueous|organic [g/L|mg/L|mol/L]".
 * Malformed input is an error "file:line: column: what is wrong"; a value
 * that cannot be fitted (a concentration below zero, or zero in a log10
 * residual) is dropped with its line and reason, and each column's empty
 * cells (not measured) are listed in one line.
 */
#include "config/config.h"

#include "config/csv.h"
#include "core/datafile.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { P_STAGE, P_PH, P_AQ, P_ORG, P_IGNORED };

/* Columns of reesx's own stages.csv that a fit does not use: such a file
 * (run on a plant, or a plant's log in that form) is a profile as it is. */
static const char *const ignored[] = {"section", "aqueous flow", "organic flow", "free extractant (HA)2", "loading",
                                      NULL};

typedef struct {
    int what, elem;
    double factor;
    char name[96];
    int empty;               /* cells without a value */
    char lines[RX_FIT_MSG / 2]; /* their line numbers, as many as fit */
} Column;

/* The column a header field names. */
static int parse_header(const char *path, char *h, const RxPlant *p, Column *c, RxError *err)
{
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", h);
    char *label, *unit;
    int rc = rx_csv_header(path, h, c->name, &label, &unit, err);
    c->elem = -1;
    c->factor = 1.0;
    if (rc != RX_OK)
        return rc;
    if (!strcmp(label, "stage")) {
        c->what = P_STAGE;
        return unit ? rx_csv_fail(err, path, 1, c->name, "%s", "the place has no unit: write \"stage\"") : RX_OK;
    }
    for (int i = 0; ignored[i]; i++)
        if (!strcmp(label, ignored[i])) {
            c->what = P_IGNORED;
            return RX_OK;
        }
    if (!strcmp(label, "pH")) {
        c->what = P_PH;
        return unit && !strcmp(unit, "-") ? RX_OK : rx_csv_fail(err, path, 1, c->name, "%s", "the unit must be [-]");
    }
    char *space = strchr(label, ' ');
    if (!space)
        return rx_csv_fail(err, path, 1, c->name, "%s", "unknown column (see docs/fit.md)");
    *space = '\0';
    const char *word = rx_csv_trim(space + 1);
    const RxElement *e = rx_elements_find(p->elements, label);
    if (!e)
        return rx_csv_fail(err, path, 1, c->name, "unknown element '%s'", label);
    c->elem = (int)(e - p->elements->el);
    if (rx_plant_species_of_element(p, c->elem) < 0)
        return rx_csv_fail(err, path, 1, c->name, "%s is not in this circuit (no feed carries it)", label);
    if (!strcmp(word, "aqueous") || !strcmp(word, "aq"))
        c->what = P_AQ;
    else if (!strcmp(word, "organic") || !strcmp(word, "org"))
        c->what = P_ORG;
    else
        return rx_csv_fail(err, path, 1, c->name, "'%s' is not aqueous (aq) or organic (org)", word);
    return rx_csv_conc_unit(path, c->name, unit, e, &c->factor, err);
}

/* The outlet called name: its stage and phase; 0 if there is none. */
static int outlet(const RxPlant *p, const char *name, int *stage, int *phase)
{
    for (int i = 0; i < p->nproducts; i++)
        if (!strcmp(p->products[i].name, name))
            name = p->products[i].stream;
    if (!strcmp(name, "raffinate")) {
        *stage = 0;
        *phase = RX_AQ;
        return 1;
    }
    if (!strcmp(name, "organic")) {
        *stage = p->nstages - 1;
        *phase = RX_ORG;
        return 1;
    }
    for (int i = 0; i < p->ndraws; i++)
        if (!strcmp(p->draws[i].name, name)) {
            *stage = p->draws[i].stage;
            *phase = p->draws[i].phase;
            return 1;
        }
    return 0;
}

/* The place a row names: its 0-based stage, and the phase an outlet
 * restricts it to (-1: a stage, both phases). */
static int place(const char *path, int line, const RxPlant *p, const char *s, int *stage, int *phase, RxError *err)
{
    double n;
    *phase = -1;
    if (rx_parse_number(s, &n)) {
        if (n < 1 || n > p->nstages || n != floor(n))
            return rx_csv_fail(err, path, line, "stage", "stage %s does not exist (the circuit has stages 1..%d)", s,
                               p->nstages);
        *stage = (int)n - 1;
        return RX_OK;
    }
    RxStageRef ref;
    int rc = rx_stage_ref_parse(p, s, &ref);
    if (rc == RX_STAGE_BAD_POSITION)
        return rx_csv_fail(err, path, line, "stage", "'%s': position must be first, last or 1..%d", s,
                           p->sections[ref.section].count);
    if (rc == RX_OK) {
        *stage = rx_stage_of(p, ref, 0);
        return RX_OK;
    }
    if (outlet(p, s, stage, phase))
        return RX_OK;
    return rx_csv_fail(err, path, line, "stage", "'%s' is no stage, section:position, outlet or product", s);
}

/* A message into d->dropped: a value not fitted, with its reason. */
__attribute__((format(printf, 3, 4))) static int note(RxProfileData *d, int *cap, const char *fmt, ...)
{
    if (rx_csv_grow((void **)&d->dropped, d->ndropped, cap, sizeof *d->dropped) != RX_OK)
        return RX_NO_MEMORY;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->dropped[d->ndropped++], RX_FIT_MSG, fmt, ap);
    va_end(ap);
    return RX_OK;
}

static int read_row(RxProfileData *d, const RxPlant *p, int residual, char **f, int nf, Column *col, int ncol,
                    int line, int *cap_pts, int *cap_drop, RxError *err)
{
    if (nf != ncol)
        return rx_csv_fail(err, d->path, line, "row", "%d fields, the header has %d", nf, ncol);
    int stage = 0, phase = -1, rc = RX_OK;
    for (int k = 0; k < ncol; k++)
        if (col[k].what == P_STAGE && (rc = place(d->path, line, p, f[k], &stage, &phase, err)) != RX_OK)
            return rc;
    for (int k = 0; k < ncol; k++) {
        Column *c = &col[k];
        double v;
        if (c->what == P_STAGE || c->what == P_IGNORED)
            continue;
        if (!f[k][0]) {
            size_t n = strlen(c->lines);
            if (n + 12 < sizeof c->lines)
                snprintf(c->lines + n, sizeof c->lines - n, "%s%d", c->empty ? ", " : "", line);
            c->empty++;
            continue;
        }
        if (!rx_parse_number(f[k], &v))
            return rx_csv_fail(err, d->path, line, c->name, "'%s' is not a number", f[k]);
        int kind = c->what == P_PH ? RX_MEAS_PH : c->what == P_AQ ? RX_MEAS_AQUEOUS : RX_MEAS_ORGANIC;
        int in_phase = kind == RX_MEAS_ORGANIC ? RX_ORG : RX_AQ;
        if (phase >= 0 && phase != in_phase)
            return rx_csv_fail(err, d->path, line, c->name, "'%s' is an %s stream", f[0],
                               phase == RX_AQ ? "aqueous" : "organic");
        const char *why = NULL;
        if (kind != RX_MEAS_PH && v < 0)
            why = "a concentration below zero";
        else if (kind != RX_MEAS_PH && v == 0 && residual == RX_RESID_LOG10_CONC)
            why = "zero has no log10 (below detection? give the limit, or fit in concentration)";
        if (why) {
            if (note(d, cap_drop, "%s:%d: %s: %s: dropped", d->path, line, c->name, why) != RX_OK)
                return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
            continue;
        }
        if (rx_csv_grow((void **)&d->pts, d->npts, cap_pts, sizeof *d->pts) != RX_OK)
            return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
        RxProfilePoint *pt = &d->pts[d->npts++];
        memset(pt, 0, sizeof *pt);
        snprintf(pt->where, sizeof pt->where, "%s", f[0]);
        pt->stage = stage;
        pt->elem = c->elem;
        pt->kind = kind;
        pt->value = v * c->factor;
        pt->line = line;
    }
    return RX_OK;
}

/* The header: every column known, "stage" first and present. */
static int read_header(const char *path, char *buf, const RxPlant *p, Column *col, int *ncol, RxError *err)
{
    char *f[RX_CSV_MAX_COLS + 1];
    *ncol = rx_csv_split(buf, f);
    if (*ncol > RX_CSV_MAX_COLS)
        return rx_csv_fail(err, path, 1, "header", "%s", "too many columns");
    int rc = RX_OK;
    for (int k = 0; k < *ncol && rc == RX_OK; k++)
        rc = parse_header(path, f[k], p, &col[k], err);
    if (rc == RX_OK && col[0].what != P_STAGE)
        rc = rx_csv_fail(err, path, 1, "stage", "%s", "missing column: the first column names the place sampled");
    int meas = 0;
    for (int k = 1; k < *ncol; k++)
        meas |= col[k].what != P_IGNORED;
    if (rc == RX_OK && !meas)
        rc = rx_csv_fail(err, path, 1, "<element> aqueous", "%s", "missing column: nothing measured");
    for (int k = 1; rc == RX_OK && k < *ncol; k++)
        if (col[k].what == P_STAGE)
            rc = rx_csv_fail(err, path, 1, "stage", "%s", "given twice");
    return rc;
}

int rx_profile_read(const char *path, const RxPlant *p, int residual, RxProfileData *out, RxError *err)
{
    RxProfileData d = {0};
    snprintf(d.path, sizeof d.path, "%s", path);
    FILE *fp = NULL;
    char *text = NULL;
    int rc = rx_csv_open(path, "the stage profile", &fp, &text, err);
    if (rc != RX_OK)
        return rc;
    char buf[RX_CSV_LINE], *f[RX_CSV_MAX_COLS + 1];
    Column col[RX_CSV_MAX_COLS];
    int ncol = 0, line = 0, cap_pts = 0, cap_drop = 0;
    while (rc == RX_OK && fgets(buf, sizeof buf, fp)) {
        line++;
        if (line == 1) {
            rc = read_header(path, buf, p, col, &ncol, err);
            continue;
        }
        char *t = rx_csv_trim(buf);
        if (!t[0] || t[0] == '#')
            continue;
        int nf = rx_csv_split(t, f);
        rc = nf > RX_CSV_MAX_COLS ? rx_csv_fail(err, path, line, "row", "%s", "more fields than the header")
                                  : read_row(&d, p, residual, f, nf, col, ncol, line, &cap_pts, &cap_drop, err);
    }
    fclose(fp);
    free(text);
    if (rc == RX_OK && line == 0)
        rc = rx_csv_fail(err, path, 1, "header", "%s", "the file is empty");
    for (int k = 1; rc == RX_OK && k < ncol; k++)
        if (col[k].what != P_IGNORED && col[k].empty && note(&d, &cap_drop, "%s: %s: %d rows without a value (lines %s): not measured", path,
                                 col[k].name, col[k].empty, col[k].lines) != RX_OK)
            rc = rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    if (rc != RX_OK) {
        rx_profile_free(&d);
        return rc;
    }
    *out = d;
    return RX_OK;
}
