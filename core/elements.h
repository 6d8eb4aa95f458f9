/*
 * core/elements.h - element data (models/data/elements.tsv).
 */
#ifndef RX_ELEMENTS_H
#define RX_ELEMENTS_H

#include "core/error.h"

#include <stdatomic.h>

#define RX_SYM_LEN 8
#define RX_NAME_LEN 64

typedef struct RxElement {
    char sym[RX_SYM_LEN];
    int Z;
    double molar_mass;   /* g/mol */
    int charge;          /* aqueous cation charge, 0 for reagents */
    char oxide[16];      /* oxide formula, "-" if none */
    int oxide_metal;     /* metal atoms per oxide formula unit */
    int oxide_oxygen;    /* oxygen atoms per oxide formula unit */
    int is_ree;          /* lanthanide, Y or Sc: counts in REO */
} RxElement;

typedef struct RxElementTable {
    RxElement *el;
    int n;
    double oxygen_mass; /* g/mol, from the "O" row */
    atomic_int refs;    /* plants sharing the table (rx_elements_retain) */
} RxElementTable;

/* Load the element table; *out owned by the caller (rx_elements_destroy). */
int rx_elements_load(const char *path, RxElementTable **out, RxError *err);
/* Drop one reference (and NULL the handle); the last frees the table. */
void rx_elements_destroy(RxElementTable **t);
/* One more reference to t (read-only from now on); returns t. */
RxElementTable *rx_elements_retain(RxElementTable *t);
/* Borrowed pointer into t, NULL if sym is not in the table (case-sensitive). */
const RxElement *rx_elements_find(const RxElementTable *t, const char *sym);
/* Grams of oxide per gram of element (e.g. 1.1728 for La -> La2O3); 1 if none. */
double rx_element_oxide_factor(const RxElement *e, double oxygen_mass);

/* Directory of the data files: $REESX_DATA if set, else the build-time path. */
const char *rx_data_dir(void);

#endif
