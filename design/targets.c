/*
 * targets.c - what a solved circuit achieves of design targets.
 */
#include "design/targets.h"

#include "models/model.h"

#include <math.h>

#define PERCENT 100.0

static int at_most(const RxTarget *t)
{
    return t->kind == RX_TARGET_MAX_SHARE || t->kind == RX_TARGET_MAX_PH;
}

double rx_target_value(const RxPlant *q, const RxSolution *s, const RxTarget *t)
{
    if (t->kind == RX_TARGET_MAX_SHARE)
        return rx_product_share(q, s, t->product, t->el, t->nel);
    if (t->kind == RX_TARGET_MIN_PH || t->kind == RX_TARGET_MAX_PH) {
        RxStream st;
        if (rx_outlet(q, s, q->products[t->product].stream, &st) != RX_OK || st.phase != RX_AQ || !(st.h > 0))
            return NAN;
        return -log10(st.h);
    }
    RxProductReport rep;
    if (rx_product_report(q, s, t->product, &rep, NULL) != RX_OK)
        return NAN;
    return (t->kind == RX_TARGET_PURITY ? rep.purity : rep.recovery) / PERCENT;
}

int rx_target_met(const RxTarget *t, double v)
{
    return isfinite(v) && (at_most(t) ? v <= t->value : v >= t->value);
}

double rx_target_margin(const RxTarget *t, double v)
{
    if (!isfinite(v))
        return NAN;
    switch (t->kind) {
    case RX_TARGET_PURITY:
    case RX_TARGET_RECOVERY: /* log of what misses: the impurity, the loss */
        return v >= 1 ? INFINITY : log1p(-t->value) - log1p(-v);
    case RX_TARGET_MAX_SHARE:
        return v <= 0 ? INFINITY : log(t->value) - log(v);
    case RX_TARGET_MIN_PH:
        return v - t->value;
    default: /* RX_TARGET_MAX_PH */
        return t->value - v;
    }
}

int rx_targets_achieved(const RxPlant *q, const RxSolution *s, const RxDesignSpec *d, double *achieved)
{
    int all = 1;
    for (int t = 0; t < d->ntargets; t++) {
        achieved[t] = rx_target_value(q, s, &d->targets[t]);
        all &= rx_target_met(&d->targets[t], achieved[t]);
    }
    return all;
}

double rx_target_shown(const RxTarget *t, double v)
{
    return t->kind == RX_TARGET_MIN_PH || t->kind == RX_TARGET_MAX_PH ? v : PERCENT * v;
}

const char *rx_target_unit(const RxTarget *t)
{
    return t->kind == RX_TARGET_MIN_PH || t->kind == RX_TARGET_MAX_PH ? "-" : "%";
}

int rx_target_closer(const RxTarget *t, double a, double b)
{
    return isfinite(a) && (!isfinite(b) || (at_most(t) ? a < b : a > b));
}

double rx_reagents_per_kg(const RxPlant *q)
{
    double reo_g_h = 0; /* REO fed */
    for (int i = 0; i < q->nfeeds; i++)
        for (int j = 0; j < q->nsp; j++) {
            const RxElement *e = rx_plant_element(q, j);
            if (e->is_ree)
                reo_g_h += q->feeds[i].flow * q->feeds[i].c[j] * e->molar_mass *
                           rx_element_oxide_factor(e, q->elements->oxygen_mass);
        }
    double acid, base;
    rx_reagents(q, &acid, &base);
    const RxElement *hcl = rx_elements_find(q->elements, "HCl"), *bse = rx_elements_find(q->elements, rx_base_formula(q));
    double g_h = (hcl ? acid * hcl->molar_mass : 0) + (bse ? base * bse->molar_mass : 0);
    return reo_g_h > 0 ? g_h / reo_g_h : INFINITY;
}
