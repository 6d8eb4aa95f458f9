/* elements.c - element and reagent data from models/data/elements.tsv. */
#include "core/elements.h"

#include "core/datafile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef RX_DATADIR
#define RX_DATADIR "models/data"
#endif

const char *rx_data_dir(void)
{
    const char *env = getenv("REESX_DATA");
    return (env && *env) ? env : RX_DATADIR;
}

typedef struct {
    RxElementTable *t;
    int cap;
} ElemCtx;

/* Rare earths: Sc (21), Y (39), La-Lu (57-71). */
static int is_rare_earth(int Z)
{
    return Z == 21 || Z == 39 || (Z >= 57 && Z <= 71);
}

static int elem_row(void *vctx, char **tok, int ntok, int line, RxError *err)
{
    (void)ntok;
    (void)line;
    ElemCtx *c = vctx;
    RxElementTable *t = c->t;
    if (t->n == c->cap) {
        int cap = c->cap ? 2 * c->cap : 32;
        RxElement *e = realloc(t->el, (size_t)cap * sizeof *e);
        if (!e)
            return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
        t->el = e;
        c->cap = cap;
    }
    RxElement *e = &t->el[t->n];
    memset(e, 0, sizeof *e);
    double Z, mm, q, om, oo;
    if (strlen(tok[0]) >= RX_SYM_LEN || !rx_parse_number(tok[1], &Z) || !rx_parse_number(tok[2], &mm) ||
        !rx_parse_number(tok[3], &q) || !rx_parse_number(tok[5], &om) || !rx_parse_number(tok[6], &oo) ||
        mm <= 0 || strlen(tok[4]) >= sizeof e->oxide)
        return rx_error_set(err, RX_BAD_INPUT, NULL, "element %s: malformed row", tok[0]);
    snprintf(e->sym, sizeof e->sym, "%s", tok[0]);
    e->Z = (int)Z;
    e->molar_mass = mm;
    e->charge = (int)q;
    snprintf(e->oxide, sizeof e->oxide, "%s", tok[4]);
    e->oxide_metal = (int)om;
    e->oxide_oxygen = (int)oo;
    e->is_ree = is_rare_earth(e->Z);
    if (strcmp(e->sym, "O") == 0)
        t->oxygen_mass = mm;
    t->n++;
    return RX_OK;
}

int rx_elements_load(const char *path, RxElementTable **out, RxError *err)
{
    RxElementTable *t = calloc(1, sizeof *t);
    if (!t)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    atomic_init(&t->refs, 1);
    ElemCtx ctx = {t, 0};
    int rc = rx_datafile_read(path, 7, elem_row, &ctx, err);
    if (rc == RX_OK && t->oxygen_mass <= 0)
        rc = rx_error_set(err, RX_BAD_INPUT, path, "no row for oxygen (O): oxide masses need it");
    if (rc != RX_OK) {
        rx_elements_destroy(&t);
        return rc;
    }
    *out = t;
    return RX_OK;
}

RxElementTable *rx_elements_retain(RxElementTable *t)
{
    if (t)
        atomic_fetch_add(&t->refs, 1);
    return t;
}

void rx_elements_destroy(RxElementTable **t)
{
    if (!t || !*t)
        return;
    if (atomic_fetch_sub(&(*t)->refs, 1) != 1) {
        *t = NULL;
        return;
    }
    free((*t)->el);
    free(*t);
    *t = NULL;
}

const RxElement *rx_elements_find(const RxElementTable *t, const char *sym)
{
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->el[i].sym, sym) == 0)
            return &t->el[i];
    return NULL;
}

double rx_element_oxide_factor(const RxElement *e, double oxygen_mass)
{
    if (e->oxide_metal <= 0)
        return 1.0;
    return (e->oxide_metal * e->molar_mass + e->oxide_oxygen * oxygen_mass) / (e->oxide_metal * e->molar_mass);
}
