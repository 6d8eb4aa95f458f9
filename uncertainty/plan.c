/*
 * uncertainty/plan.c - what is sampled, with which standard deviation and
 * correlation, and the draws of every sample's inputs.
 *
 * A constant c with sd s (log10 units) is drawn as c + s z for a log10
 * constant (log10 K) and as c 10^(s z) for a positive ratio (D, beta:
 * log-normal), z standard normal; the z of all constants together from
 * N(0, R), R the stated correlations (gsl_ran_multivariate_gaussian with
 * R's Cholesky factor).  A feed's flow or concentration v with sd s (L/h,
 * mol/L) is v + s z, drawn again while it is not positive: a truncated
 * normal, never a negative or zero flow or concentration.
 */
#include "uncertainty/uncertainty.h"

#include "core/datafile.h"
#include "models/model.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Draws of a truncated feed input before it keeps its nominal value: with
 * an sd at most half the nominal (config/uncertainty.c) a draw is below 0
 * with probability 0.023 at most, so 100 in a row never happen. */
#define RX_UNC_MAX_REDRAWS 100

/* The config's value of elem's constant, or the model data file's (column 1). */
static int nominal_constant(const RxModelSpec *ms, const char *sym, int elem, double *v, int *given)
{
    *given = 0;
    for (int i = 0; i < ms->nvalues; i++)
        if (ms->value_elem[i] == elem) {
            *v = ms->value[i];
            *given = 1;
            return 1;
        }
    return ms->datafile[0] && rx_datafile_number(ms->datafile, sym, 1, v);
}

/* sd of elem's constant (log10 units) and where it comes from. */
static double constant_sd(const RxPlant *p, const char *sym, int elem, int given, int ratio, double nominal,
                          const char **source)
{
    const RxUncertaintySpec *u = &p->uncertainty;
    const RxModelSpec *ms = &p->model_spec;
    for (int i = 0; i < u->nconst; i++)
        if (u->const_elem[i] == elem) {
            *source = "stated";
            return u->const_sd[i];
        }
    double se;
    if (u->fitted && !given && ms->datafile[0] && rx_datafile_class(ms->datafile, sym) == RX_CLASS_FITTED &&
        rx_datafile_number(ms->datafile, sym, 2, &se) && se >= 0 && isfinite(se)) {
        *source = "fitted";
        return ratio ? se / (nominal * M_LN10) : se; /* a ratio's error, taken to log10 (delta method) */
    }
    *source = "default";
    return u->constant_sd;
}

static int add_constants(const RxPlant *p, RxUncPlan *pl, RxError *err)
{
    const RxModelType *t = rx_model_find(p->model_spec.type);
    if (!t || !t->value_key)
        return RX_OK;
    int ratio = t->value_kind == RX_VALUE_POSITIVE;
    for (int j = 0; j < p->nsp; j++) {
        const char *sym = rx_plant_element(p, j)->sym, *source;
        int given;
        double nominal;
        if (!nominal_constant(&p->model_spec, sym, p->species[j], &nominal, &given))
            continue; /* the model takes a default of its own: nothing stated to vary */
        double sd = constant_sd(p, sym, p->species[j], given, ratio, nominal, &source);
        if (!(sd > 0))
            continue;
        if (!isfinite(sd))
            return rx_error_set(err, RX_BAD_INPUT, p->uncertainty.where,
                                "uncertainty: the standard error of %s(%s) in %s is not finite", t->value_key, sym,
                                p->model_spec.datafile);
        RxUncInput *in = &pl->in[pl->n++];
        *in = (RxUncInput){.kind = RX_UNC_CONSTANT, .feed = -1, .elem = p->species[j], .ratio = ratio,
                           .nominal = nominal, .sd = sd, .source = source};
        snprintf(in->name, sizeof in->name, "%s(%s) [%s]", t->value_key, sym, ratio ? "-" : "log10");
    }
    pl->nconst = pl->n;
    return RX_OK;
}

/* Absolute sd of a spread about nominal. */
static double spread_sd(RxSpread s, double nominal)
{
    return s.kind == RX_SPREAD_RELATIVE ? s.sd * nominal : s.kind == RX_SPREAD_ABSOLUTE ? s.sd : 0;
}

static void add_input(RxUncPlan *pl, int kind, int feed, int elem, double nominal, double sd, const char *name)
{
    if (!(sd > 0))
        return;
    RxUncInput *in = &pl->in[pl->n++];
    *in = (RxUncInput){.kind = kind, .feed = feed, .elem = elem, .nominal = nominal, .sd = sd, .source = "stated"};
    snprintf(in->name, sizeof in->name, "%s", name);
}

static void add_feeds(const RxPlant *p, RxUncPlan *pl)
{
    const RxUncertaintySpec *u = &p->uncertainty;
    for (int k = 0; k < u->nfeeds; k++) {
        const RxFeedSpread *fs = &u->feeds[k];
        const RxFeed *f = &p->feeds[fs->feed];
        char name[96];
        snprintf(name, sizeof name, "%s flow [L/h]", f->name);
        add_input(pl, RX_UNC_FLOW, fs->feed, -1, f->flow, spread_sd(fs->flow, f->flow), name);
        for (int i = 0; i < f->norder; i++) {
            int sp = rx_plant_species_of_element(p, f->order[i]);
            RxSpread s = fs->all;
            for (int e = 0; e < fs->nconc; e++)
                if (fs->conc_elem[e] == f->order[i])
                    s = fs->conc[e];
            snprintf(name, sizeof name, "%s %s [mol/L]", f->name, rx_plant_element(p, sp)->sym);
            add_input(pl, RX_UNC_CONC, fs->feed, f->order[i], f->c[sp], spread_sd(s, f->c[sp]), name);
        }
    }
}

/* The correlation matrix of the sampled constants, factored in place. */
static int factor_correlations(const RxPlant *p, RxUncPlan *pl, RxError *err)
{
    const RxUncertaintySpec *u = &p->uncertainty;
    int n = pl->nconst;
    if (n == 0)
        return RX_OK;
    if (!(pl->chol = calloc((size_t)n * (size_t)n, sizeof *pl->chol)))
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    for (int i = 0; i < n; i++)
        pl->chol[i * n + i] = 1.0;
    for (int c = 0; c < u->ncorr; c++) {
        int a = -1, b = -1;
        for (int i = 0; i < n; i++) {
            a = pl->in[i].elem == u->corr_elem[c][0] ? i : a;
            b = pl->in[i].elem == u->corr_elem[c][1] ? i : b;
        }
        if (a < 0 || b < 0)
            continue; /* a constant with sd 0: nothing to correlate */
        pl->chol[a * n + b] = pl->chol[b * n + a] = u->corr[c];
        pl->ncorr++;
    }
    gsl_set_error_handler_off(); /* GSL reports by status; it must never abort the process */
    gsl_matrix_view m = gsl_matrix_view_array(pl->chol, (size_t)n, (size_t)n);
    if (gsl_linalg_cholesky_decomp1(&m.matrix) != GSL_SUCCESS)
        return rx_error_set(err, RX_BAD_INPUT, u->where,
                            "uncertainty.correlations: no set of constants has these correlations together (the "
                            "correlation matrix is not positive definite)");
    return RX_OK;
}

/* The design targets, or each product's purity and recovery. */
static void add_metrics(const RxPlant *p, RxUncPlan *pl)
{
    const RxDesignSpec *d = &p->design;
    pl->has_targets = d->present && d->ntargets > 0;
    if (pl->has_targets) {
        pl->nmetrics = d->ntargets;
        memcpy(pl->metric, d->targets, sizeof d->targets[0] * (size_t)d->ntargets);
        return;
    }
    static const char *const kinds[] = {"purity", "recovery"};
    for (int i = 0; i < p->nproducts && pl->nmetrics + 2 <= RX_UNC_MAX_METRICS; i++)
        for (int k = 0; k < 2; k++) {
            RxTarget *t = &pl->metric[pl->nmetrics++];
            *t = (RxTarget){.product = i, .kind = k ? RX_TARGET_RECOVERY : RX_TARGET_PURITY};
            snprintf(t->label, sizeof t->label, "%s: %s", p->products[i].name, kinds[k]);
        }
}

int rx_unc_plan_create(const RxPlant *p, RxUncPlan **out, RxError *err)
{
    RxUncPlan *pl = calloc(1, sizeof *pl);
    if (!pl)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    pl->plant = p;
    pl->costed = p->cost.present;
    int rc = add_constants(p, pl, err);
    if (rc == RX_OK) {
        add_feeds(p, pl);
        add_metrics(p, pl);
        rc = factor_correlations(p, pl, err);
    }
    if (rc != RX_OK)
        rx_unc_plan_destroy(&pl);
    *out = pl;
    return rc;
}

void rx_unc_plan_destroy(RxUncPlan **pl)
{
    if (!pl || !*pl)
        return;
    free((*pl)->chol);
    free(*pl);
    *pl = NULL;
}

/* nominal + sd z, drawn again while not positive (the nominal after RX_UNC_MAX_REDRAWS). */
static double draw_positive(gsl_rng *r, double nominal, double sd)
{
    for (int k = 0; k < RX_UNC_MAX_REDRAWS; k++) {
        double v = nominal + gsl_ran_gaussian(r, sd);
        if (v > 0)
            return v;
    }
    return nominal;
}

/* The inputs of one sample into xi: the constants' z from N(0, R) (mu the
 * zero vector, L R's Cholesky factor; none without constants), then each
 * feed input. */
static int draw_sample(const RxUncPlan *pl, gsl_rng *r, const gsl_vector *mu, const gsl_matrix *L, gsl_vector *z,
                       double *xi)
{
    if (pl->nconst && gsl_ran_multivariate_gaussian(r, mu, L, z) != GSL_SUCCESS)
        return RX_BAD_INPUT;
    for (int k = 0; k < pl->n; k++) {
        const RxUncInput *in = &pl->in[k];
        if (in->kind != RX_UNC_CONSTANT)
            xi[k] = draw_positive(r, in->nominal, in->sd);
        else if (in->ratio)
            xi[k] = in->nominal * pow(10.0, in->sd * gsl_vector_get(z, (size_t)k));
        else
            xi[k] = in->nominal + in->sd * gsl_vector_get(z, (size_t)k);
    }
    return RX_OK;
}

int rx_unc_draw(const RxUncPlan *pl, unsigned long seed, int n, double *x, RxError *err)
{
    size_t nc = (size_t)pl->nconst;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_vector *mu = nc ? gsl_vector_calloc(nc) : NULL, *z = nc ? gsl_vector_alloc(nc) : NULL;
    int rc = !r || (nc && (!mu || !z)) ? rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory") : RX_OK;
    if (rc == RX_OK) {
        gsl_rng_set(r, seed);
        static const double unused = 1.0; /* without constants: GSL refuses a 0 x 0 view */
        gsl_matrix_const_view L = gsl_matrix_const_view_array(nc ? pl->chol : &unused, nc ? nc : 1, nc ? nc : 1);
        for (int i = 0; rc == RX_OK && i < n; i++)
            if (draw_sample(pl, r, mu, &L.matrix, z, x + (size_t)i * (size_t)pl->n) != RX_OK)
                rc = rx_error_set(err, RX_BAD_INPUT, pl->plant->uncertainty.where,
                                  "uncertainty: cannot draw the constants");
    }
    gsl_vector_free(z);
    gsl_vector_free(mu);
    gsl_rng_free(r);
    return rc;
}
