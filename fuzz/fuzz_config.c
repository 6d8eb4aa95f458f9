/*
 * fuzz/fuzz_config.c - the config loader on any text: rx_plant_load_text,
 * the in-memory reader (no path, nothing read twice).
 *
 * Guarantees checked beyond the sanitizers':
 *   - a refusal always says why (a status below 0 and a message);
 *   - a loaded plant is consistent: its sections tile 1..nstages, every
 *     feed and draw enters a stage of the circuit, at most RX_MAX_SPECIES;
 *   - a loaded plant written back as text (rx_plant_variant with no
 *     change: reesx design's design.cfg) loads again to the same circuit.
 */
#include "fuzz/fuzz.h"

#include "config/config.h"

#include <stdlib.h>

/* The name errors give the text: "fuzz.cfg:line". */
#define FUZZ_NAME "fuzz.cfg"

static void check_refusal(int rc, const RxError *err)
{
    if (rc >= 0)
        fuzz_fail("load failed with status %d (not an error status)", rc);
    if (!err->msg[0])
        fuzz_fail("load failed (%s) without a message", rx_status_str(rc));
}

static void check_plant(const RxPlant *p)
{
    if (p->nstages < 1 || p->nsections < 1)
        fuzz_fail("loaded plant has %d stages in %d sections", p->nstages, p->nsections);
    if (p->nsp < 1 || p->nsp > RX_MAX_SPECIES)
        fuzz_fail("loaded plant has %d species", p->nsp);
    long total = 0;
    for (int i = 0; i < p->nsections; i++) {
        const RxSection *s = &p->sections[i];
        if (s->count < 1 || s->first != total)
            fuzz_fail("section %d (%s): first %d, %d stages, after %ld stages", i + 1, s->name, s->first, s->count,
                      total);
        total += s->count;
    }
    if (total != p->nstages)
        fuzz_fail("sections add up to %ld stages, the plant has %d", total, p->nstages);
    for (int i = 0; i < p->nfeeds; i++)
        if (p->feeds[i].stage < 0 || p->feeds[i].stage >= p->nstages)
            fuzz_fail("feed %s enters stage %d of %d", p->feeds[i].name, p->feeds[i].stage + 1, p->nstages);
    for (int i = 0; i < p->ndraws; i++)
        if (p->draws[i].stage < 0 || p->draws[i].stage >= p->nstages)
            fuzz_fail("draw %s leaves stage %d of %d", p->draws[i].name, p->draws[i].stage + 1, p->nstages);
}

/* Written back and read again: the same circuit. */
static void check_round_trip(const RxPlant *p)
{
    RxError err;
    rx_error_clear(&err);
    char *text = NULL;
    int rc = rx_plant_variant(p, 0, NULL, NULL, 0, NULL, NULL, &text, &err);
    if (rc != RX_OK)
        fuzz_fail("a loaded plant cannot be written back: %s: %s", err.where, err.msg);
    RxPlant *q = NULL;
    rx_error_clear(&err);
    rc = rx_plant_load_text(text, FUZZ_NAME, &q, &err);
    if (rc != RX_OK)
        fuzz_fail("a loaded plant written back does not load: %s: %s\n--- text ---\n%s", err.where, err.msg, text);
    if (q->nstages != p->nstages || q->nsp != p->nsp || q->nfeeds != p->nfeeds || q->ndraws != p->ndraws ||
        q->nproducts != p->nproducts)
        fuzz_fail("written back: %d stages, %d species, %d feeds, %d draws, %d products; read: %d, %d, %d, %d, %d",
                  q->nstages, q->nsp, q->nfeeds, q->ndraws, q->nproducts, p->nstages, p->nsp, p->nfeeds,
                  p->ndraws, p->nproducts);
    rx_plant_destroy(&q);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    RxError err;
    rx_error_clear(&err);
    RxPlant *p = NULL;
    int rc = rx_plant_load_text(text, FUZZ_NAME, &p, &err);
    if (rc != RX_OK)
        check_refusal(rc, &err);
    else {
        check_plant(p);
        check_round_trip(p);
        rx_plant_destroy(&p);
    }
    free(text);
    return 0;
}
