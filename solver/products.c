/*
 * products.c - what a solved circuit means to an engineer: outlet streams,
 * product purity and recovery, reagent use.
 */
#include "solver/circuit.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define PERCENT 100.0

static void outlet_fill(const RxSolution *s, RxStream *o, const char *name, int phase, int stage, double frac)
{
    int M = s->M;
    memset(o, 0, sizeof *o);
    snprintf(o->name, sizeof o->name, "%s", name);
    o->phase = phase;
    o->stage = stage;
    o->flow = frac * (phase == RX_AQ ? s->A[stage] : s->O[stage]);
    const double *c = (phase == RX_AQ ? s->x : s->y) + stage * M;
    memcpy(o->c, c, sizeof(double) * (size_t)M);
    o->h = phase == RX_AQ ? s->h[stage] : 0;
}

int rx_outlets(const RxPlant *p, const RxSolution *s, RxStream *out, int max)
{
    int n = 0;
    if (n < max)
        outlet_fill(s, &out[n], "raffinate", RX_AQ, 0, 1.0);
    n++;
    if (n < max)
        outlet_fill(s, &out[n], "organic", RX_ORG, s->N - 1, 1.0);
    n++;
    for (int i = 0; i < p->ndraws; i++, n++)
        if (n < max)
            outlet_fill(s, &out[n], p->draws[i].name, p->draws[i].phase, p->draws[i].stage, p->draws[i].fraction);
    return n;
}

int rx_outlet(const RxPlant *p, const RxSolution *s, const char *name, RxStream *out)
{
    if (strcmp(name, "raffinate") == 0) {
        outlet_fill(s, out, name, RX_AQ, 0, 1.0);
        return RX_OK;
    }
    if (strcmp(name, "organic") == 0) {
        outlet_fill(s, out, name, RX_ORG, s->N - 1, 1.0);
        return RX_OK;
    }
    for (int i = 0; i < p->ndraws; i++)
        if (strcmp(p->draws[i].name, name) == 0) {
            outlet_fill(s, out, name, p->draws[i].phase, p->draws[i].stage, p->draws[i].fraction);
            return RX_OK;
        }
    return RX_BAD_INPUT;
}

/* g/h of oxide of species j in a stream. */
static double reo_g_h(const RxPlant *p, const RxStream *st, int j)
{
    const RxElement *e = rx_plant_element(p, j);
    return st->flow * st->c[j] * e->molar_mass * rx_element_oxide_factor(e, p->elements->oxygen_mass);
}

int rx_product_report(const RxPlant *p, const RxSolution *s, int product, RxProductReport *out, RxError *err)
{
    const RxProduct *pr = &p->products[product];
    RxStream st;
    if (rx_outlet(p, s, pr->stream, &st) != RX_OK)
        return rx_error_set(err, RX_BAD_INPUT, p->path, "product %s: no stream %s", pr->name, pr->stream);
    memset(out, 0, sizeof *out);
    out->flow = st.flow;
    double fed = 0;
    for (int j = 0; j < p->nsp; j++)
        if (rx_plant_element(p, j)->is_ree)
            out->reo += reo_g_h(p, &st, j);
    for (int t = 0; t < pr->ntargets; t++) {
        int j = pr->targets[t];
        out->target_reo += reo_g_h(p, &st, j);
        const RxElement *e = rx_plant_element(p, j);
        double ox = e->molar_mass * rx_element_oxide_factor(e, p->elements->oxygen_mass);
        for (int i = 0; i < p->nfeeds; i++)
            fed += p->feeds[i].flow * p->feeds[i].c[j] * ox;
    }
    out->purity = out->reo > 0 ? PERCENT * out->target_reo / out->reo : 0;
    out->recovery = fed > 0 ? PERCENT * out->target_reo / fed : 0;
    return RX_OK;
}

double rx_product_share(const RxPlant *p, const RxSolution *s, int product, const int *el, int nel)
{
    RxStream st;
    if (rx_outlet(p, s, p->products[product].stream, &st) != RX_OK)
        return NAN;
    double reo = 0, part = 0;
    for (int j = 0; j < p->nsp; j++)
        if (rx_plant_element(p, j)->is_ree)
            reo += reo_g_h(p, &st, j);
    for (int k = 0; k < nel; k++)
        part += reo_g_h(p, &st, el[k]);
    return reo > 0 ? part / reo : NAN;
}

void rx_reagents(const RxPlant *p, double *acid_mol_h, double *base_mol_h)
{
    *acid_mol_h = *base_mol_h = 0;
    for (int i = 0; i < p->nfeeds; i++) {
        const RxFeed *f = &p->feeds[i];
        if (f->phase == RX_AQ)
            *acid_mol_h += f->flow * f->h;
        else if (p->base_species >= 0)
            *base_mol_h += f->flow * f->c[p->base_species];
    }
}
