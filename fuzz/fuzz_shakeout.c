/*
 * fuzz/fuzz_shakeout.c - the shake-out CSV reader (rx_shakeout_read, which
 * takes a path: the input is written to a temp file first) on any bytes.
 *
 * Guarantees checked beyond the sanitizers':
 *   - a refusal always says why, at a file:line of the input;
 *   - what is read is usable by the fit: every point names an experiment
 *     read and an element of the table, with a finite value, and every
 *     experiment a positive O/A and extractant concentration, and only
 *     finite numbers (an initial pH of -400 is no acid a fit can use).
 */
#include "fuzz/fuzz.h"

#include "config/config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static RxElementTable *elements;

static void load_elements(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/elements.tsv", rx_data_dir());
    RxError err;
    rx_error_clear(&err);
    if (rx_elements_load(path, &elements, &err) != RX_OK)
        fuzz_fail("cannot load the element table: %s: %s", err.where, err.msg);
}

static void check_data(const RxShakeoutData *d)
{
    for (int i = 0; i < d->nexp; i++) {
        const RxShakeout *e = &d->exp[i];
        if (!(e->oa > 0) || !isfinite(e->oa) || !(e->ce > 0) || !isfinite(e->ce))
            fuzz_fail("experiment %s (line %d): O/A %g, extractant %g mol/L", e->name, e->line, e->oa, e->ce);
        if (!isfinite(e->h0) || !isfinite(e->ph_eq) || !isfinite(e->sap) || !isfinite(e->temperature))
            fuzz_fail("experiment %s (line %d): initial acid %g mol/L, pH %g, saponification %g, %g C", e->name,
                      e->line, e->h0, e->ph_eq, e->sap, e->temperature);
        if (e->nel < 0 || e->nel > RX_MAX_SPECIES)
            fuzz_fail("experiment %s (line %d) has %d elements", e->name, e->line, e->nel);
        for (int j = 0; j < e->nel; j++)
            if (e->elem[j] < 0 || e->elem[j] >= elements->n || !isfinite(e->c0[j]) || e->c0[j] < 0)
                fuzz_fail("experiment %s (line %d): element row %d at %g mol/L", e->name, e->line, e->elem[j],
                          e->c0[j]);
    }
    for (int i = 0; i < d->npts; i++) {
        const RxFitPoint *pt = &d->pts[i];
        if (pt->exp < 0 || pt->exp >= d->nexp || pt->elem < 0 || pt->elem >= elements->n || !isfinite(pt->value))
            fuzz_fail("point %d (line %d): experiment %d of %d, element row %d, value %g", i, pt->line, pt->exp,
                      d->nexp, pt->elem, pt->value);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!elements)
        load_elements();
    const char *path = fuzz_file(data, size);
    RxShakeoutData d;
    memset(&d, 0, sizeof d);
    RxError err;
    rx_error_clear(&err);
    int rc = rx_shakeout_read(path, elements, &d, &err);
    if (rc != RX_OK) {
        if (rc >= 0 || !err.msg[0])
            fuzz_fail("refused with status %d and message '%s'", rc, err.msg);
        if (strncmp(err.where, path, strlen(path)) != 0 && rc == RX_BAD_INPUT)
            fuzz_fail("refused at '%s', not at a line of %s: %s", err.where, path, err.msg);
        return 0;
    }
    check_data(&d);
    rx_shakeout_free(&d);
    return 0;
}
