/* plant.c - the plant description: destroy, look-ups, the species list, and
 * what follows from a feed (stage of a reference, chloride, extractant use). */
#include "core/plant.h"

#include "core/datafile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

RxPlant *rx_plant_create(const char *path)
{
    RxPlant *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->base_species = -1;
    snprintf(p->base_name, sizeof p->base_name, "NaOH");
    snprintf(p->path, sizeof p->path, "%s", path);
    return p;
}

void rx_model_release(RxModel **mp)
{
    if (!mp || !*mp)
        return;
    RxModel *m = *mp;
    *mp = NULL;
    if (atomic_fetch_sub(&m->refs, 1) != 1)
        return;
    if (m->destroy)
        m->destroy(&m->params);
    free(m);
}

void rx_plant_destroy(RxPlant **pp)
{
    if (!pp || !*pp)
        return;
    RxPlant *p = *pp;
    rx_model_release(&p->model);
    rx_elements_destroy(&p->elements);
    free(p->sections);
    free(p->feeds);
    free(p->draws);
    free(p->products);
    free(p->dynamics.events);
    free(p->dynamics.watch);
    free(p->source_text);
    free(p);
    *pp = NULL;
}

int rx_plant_species(const RxPlant *p, const char *sym)
{
    for (int i = 0; i < p->nsp; i++)
        if (strcmp(p->elements->el[p->species[i]].sym, sym) == 0)
            return i;
    return -1;
}

int rx_plant_species_of_element(const RxPlant *p, int elem)
{
    for (int i = 0; i < p->nsp; i++)
        if (p->species[i] == elem)
            return i;
    return -1;
}

const RxElement *rx_plant_element(const RxPlant *p, int species)
{
    return &p->elements->el[p->species[species]];
}

const char *rx_plant_model_name(const RxPlant *p)
{
    return p->model ? p->model->name : p->model_spec.type; /* a plant for a fit alone has no model built */
}

const char *rx_base_symbol(const RxPlant *p)
{
    return strcmp(p->base_name, "NaOH") == 0 ? "Na" : "NH4";
}

const char *rx_base_formula(const RxPlant *p)
{
    return strcmp(p->base_name, "NH4OH") == 0 ? "NH3" : "NaOH";
}

int rx_plant_add_species(RxPlant *p, int elem)
{
    for (int i = 0; i < p->nsp; i++)
        if (p->species[i] == elem)
            return i;
    if (p->nsp == RX_MAX_SPECIES)
        return -1;
    p->species[p->nsp] = elem;
    p->charge[p->nsp] = p->elements->el[elem].charge;
    for (int i = 0; i < p->nfeeds; i++)
        p->feeds[i].c[p->nsp] = 0;
    return p->nsp++;
}

/* The base of extractant.saponification is a species only if some feed
 * carries it (an organic feed may override the saponification to 0): a
 * species nothing feeds has no amount to solve for. */
void rx_plant_drop_unfed_base(RxPlant *p)
{
    int b = p->base_species;
    if (b < 0)
        return;
    for (int i = 0; i < p->nfeeds; i++)
        if (p->feeds[i].c[b] > 0)
            return;
    for (int s = b; s + 1 < p->nsp; s++) {
        p->species[s] = p->species[s + 1];
        p->charge[s] = p->charge[s + 1];
        for (int i = 0; i < p->nfeeds; i++)
            p->feeds[i].c[s] = p->feeds[i].c[s + 1];
    }
    p->nsp--;
    for (int i = 0; i < p->nfeeds; i++)
        p->feeds[i].c[p->nsp] = 0;
    p->base_species = -1;
}

/* Species must stay in a fixed order: sort by element table index and remap
 * every per-species array read so far. */
void rx_plant_sort_species(RxPlant *p)
{
    int order[RX_MAX_SPECIES], inv[RX_MAX_SPECIES];
    for (int i = 0; i < p->nsp; i++)
        order[i] = i;
    for (int i = 1; i < p->nsp; i++)
        for (int j = i; j > 0 && p->species[order[j - 1]] > p->species[order[j]]; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    int sp[RX_MAX_SPECIES];
    for (int i = 0; i < p->nsp; i++) {
        inv[order[i]] = i;
        sp[i] = p->species[order[i]];
    }
    for (int i = 0; i < p->nsp; i++) {
        p->species[i] = sp[i];
        p->charge[i] = p->elements->el[sp[i]].charge;
    }
    for (int f = 0; f < p->nfeeds; f++) {
        double c[RX_MAX_SPECIES] = {0};
        for (int i = 0; i < p->nsp; i++)
            c[inv[i]] = p->feeds[f].c[i];
        memcpy(p->feeds[f].c, c, sizeof c);
    }
    if (p->base_species >= 0)
        p->base_species = inv[p->base_species];
}

int rx_stage_of(const RxPlant *p, RxStageRef ref, int stage)
{
    if (ref.section < 0)
        return stage;
    const RxSection *s = &p->sections[ref.section];
    return s->first + (ref.offset < 0 ? s->count - 1 : ref.offset);
}

int rx_stage_ref_parse(const RxPlant *p, const char *s, RxStageRef *ref)
{
    const char *colon = strchr(s, ':');
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
        else {
            *ref = (RxStageRef){i, 0};
            return RX_STAGE_BAD_POSITION;
        }
        return RX_OK;
    }
    return RX_STAGE_NO_SECTION;
}

double rx_feed_metal(const RxPlant *p, const RxFeed *f)
{
    double sum = 0;
    for (int j = 0; j < p->nsp; j++)
        sum += f->c[j];
    return sum;
}

const char *rx_feed_too_concentrated(const RxPlant *p, const RxFeed *f, double *amount, double *limit)
{
    *amount = rx_feed_metal(p, f);
    *limit = RX_MAX_FEED_METAL;
    if (!(*amount <= *limit))
        return "metal";
    *amount = f->cl;
    *limit = RX_MAX_FEED_CHLORIDE;
    return *amount <= *limit ? NULL : "chloride";
}

double rx_feed_extractant_use(const RxPlant *p, const RxFeed *f)
{
    double used = 0;
    for (int j = 0; j < p->nsp; j++)
        used += 2.0 * p->charge[j] * f->c[j];
    return used;
}

double rx_feed_acid_charge(const RxPlant *p, const RxFeed *f)
{
    double hso4 = f->bisulfate >= 0 ? f->bisulfate : f->so4 > 0 ? f->so4 * f->h / (f->h + p->ka_hso4) : 0;
    return f->h - (2.0 * (f->so4 - hso4) + hso4);
}

void rx_feed_chloride(const RxPlant *p, RxFeed *f)
{
    f->cl = rx_feed_acid_charge(p, f);
    for (int j = 0; j < p->nsp; j++)
        f->cl += p->charge[j] * f->c[j];
}
