/*
 * fit/predict.c - what the model says each measurement should be, for a
 * given vector of the fitted parameters.
 *
 * A parameter vector is applied by editing the working plant's model spec
 * (and its sections' efficiencies) and rebuilding its model (data files
 * are cached in memory, so that is cheap).  Each shake-out experiment is
 * then one batch equilibrium; a stage profile is one solve of the whole
 * circuit, started from the last solution, since a least-squares step
 * moves the constants little.
 */
#include "fit/fit.h"

#include "core/datafile.h"
#include "models/model.h"
#include "solver/circuit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* log10 of a D that underflows or overflows stays finite: a least-squares
 * step must never see an infinity. */
#define FIT_TINY 1e-300

void rx_shakeout_free(RxShakeoutData *d)
{
    if (!d)
        return;
    free(d->exp);
    free(d->pts);
    free(d->dropped);
    d->exp = NULL;
    d->pts = NULL;
    d->dropped = NULL;
    d->nexp = d->npts = d->ndropped = 0;
}

void rx_profile_free(RxProfileData *d)
{
    if (!d)
        return;
    free(d->pts);
    free(d->dropped);
    d->pts = NULL;
    d->dropped = NULL;
    d->npts = d->ndropped = 0;
}

void rx_fit_param_name(const RxPlant *p, const RxFitParam *q, char *buf, size_t n)
{
    const RxModelType *t = rx_model_find(p->model_spec.type);
    if (q->kind == RX_FIT_EFFICIENCY)
        snprintf(buf, n, "efficiency(%s)", p->sections[q->section].name);
    else
        snprintf(buf, n, "%s(%s)",
                 q->kind == RX_FIT_SLOPE              ? "m0"
                 : q->kind == RX_FIT_INTERCEPT        ? "B0"
                 : q->kind == RX_FIT_SLOPE_DOSAGE     ? "m1"
                 : q->kind == RX_FIT_INTERCEPT_DOSAGE ? "B1"
                 : t && t->value_key                  ? t->value_key
                                                      : "value",
                 p->elements->el[q->elem].sym);
}

/* A concentration in the residual's space: itself, or its log10. */
static double conc_space(double c, int residual, int *ok)
{
    if (residual != RX_RESID_LOG10_CONC) {
        *ok = isfinite(c);
        return c;
    }
    *ok = c > 0 && isfinite(c);
    return *ok ? log10(c) : 0;
}

double rx_fit_measured(const RxShakeoutData *d, const RxFitPoint *pt, int residual, int *ok)
{
    const RxShakeout *e = &d->exp[pt->exp];
    double c0 = 0;
    for (int k = 0; k < e->nel; k++)
        if (e->elem[k] == pt->elem)
            c0 = e->c0[k];
    double D = 0, x = 0, v = pt->value;
    switch (pt->kind) {
    case RX_MEAS_D:
        D = v;
        x = c0 / (1.0 + e->oa * v);
        break;
    case RX_MEAS_EXTRACTION: /* E = O D/(A + O D) on the aqueous side */
        D = v / (1.0 - v) / e->oa;
        x = c0 * (1.0 - v);
        break;
    case RX_MEAS_AQUEOUS:
        x = v;
        D = (c0 - v) / (v * e->oa);
        break;
    default: /* organic: the aqueous keeps what the organic did not take */
        x = c0 - e->oa * v;
        D = v / x;
        break;
    }
    if (residual != RX_RESID_LOG10_D)
        return conc_space(pt->kind == RX_MEAS_ORGANIC ? v : x, residual, ok);
    *ok = D > 0 && isfinite(D);
    return *ok ? log10(D) : 0;
}

/* A predicted concentration in the residual's space; its log stays finite. */
static double predicted(double c, int residual)
{
    int ok;
    return conc_space(residual == RX_RESID_LOG10_CONC ? fmax(c, FIT_TINY) : c, residual, &ok);
}

double rx_fit_profile_measured(const RxProfilePoint *pt, int residual, int *ok)
{
    if (pt->kind == RX_MEAS_PH) {
        *ok = isfinite(pt->value);
        return pt->value;
    }
    return conc_space(pt->value, residual, ok);
}

/* The line coefficient (RX_LINE_*) each kind of line parameter sets. */
static const int coef[] = {[RX_FIT_SLOPE] = RX_LINE_M0, [RX_FIT_INTERCEPT] = RX_LINE_B0,
                           [RX_FIT_SLOPE_DOSAGE] = RX_LINE_M1, [RX_FIT_INTERCEPT_DOSAGE] = RX_LINE_B1};

/* The empirical line of element elem; added if new, with the model data
 * file's coefficients (those not fitted keep them), or zeros. */
static int line_of(RxModelSpec *s, const RxElementTable *el, int elem)
{
    for (int i = 0; i < s->nlines; i++)
        if (s->line_elem[i] == elem)
            return i;
    if (s->nlines >= RX_MAX_VALUES)
        return -1;
    int k = s->nlines++;
    s->line_elem[k] = elem;
    double c[4];
    int have = s->datafile[0] != 0;
    for (int i = 0; i < 4; i++)
        have = have && rx_datafile_number(s->datafile, el->el[elem].sym, 1 + i, &c[i]);
    for (int i = 0; i < 4; i++)
        s->line[k][i] = have ? c[i] : 0;
    return k;
}

void rx_fit_line(const RxPlant *p, const RxFitResult *r, int elem, double c[4], double se[4])
{
    RxModelSpec s = p->model_spec;
    s.nlines = 0;
    line_of(&s, p->elements, elem);
    for (int i = 0; i < 4; i++) {
        c[i] = s.line[0][i];
        se[i] = NAN;
    }
    for (int j = 0; j < r->np; j++) {
        const RxFitParam *q = &r->param[j];
        if (q->elem == elem && q->kind != RX_FIT_VALUE && q->kind != RX_FIT_EFFICIENCY) {
            c[coef[q->kind]] = r->est[j];
            se[coef[q->kind]] = r->se[j];
        }
    }
}

static int apply(RxPlant *work, const RxFitSpec *spec, const double *v, RxError *err)
{
    RxModelSpec *s = &work->model_spec;
    for (int i = 0; i < spec->nparams; i++) {
        const RxFitParam *q = &spec->params[i];
        double val = fmin(fmax(v[i], q->lo), q->hi); /* bounds: the model sees the projection */
        int rc = RX_OK;
        if (q->kind == RX_FIT_EFFICIENCY)
            work->sections[q->section].efficiency = val;
        else if (q->kind == RX_FIT_VALUE)
            rc = rx_model_spec_set_value(s, q->elem, val);
        else {
            int k = line_of(s, work->elements, q->elem);
            if (k < 0)
                rc = RX_BAD_INPUT;
            else
                s->line[k][coef[q->kind]] = val;
        }
        if (rc != RX_OK)
            return rx_error_set(err, rc, spec->where, "fit: more than %d model values", RX_MAX_VALUES);
    }
    return rx_model_build(work, err);
}

/* The empirical lines take each experiment's dosage from its extractant
 * concentration only when the extractant's density converts mol/L to
 * v/v %; without it every experiment is at the config's dosage, so they
 * must all be at one concentration. */
static int check_dosages(const RxPlant *p, const RxShakeoutData *d, RxError *err)
{
    const RxModelType *t = rx_model_find(p->model_spec.type);
    if (!t || t->value_key || p->extractant_conc > 0)
        return RX_OK;
    for (int e = 1; e < d->nexp; e++)
        if (d->exp[e].ce != d->exp[0].ce)
            return rx_error_set(err, RX_BAD_INPUT, d->path,
                                "experiments at %g and %g mol/L extractant (lines %d and %d): without the density of "
                                "%s in its data file their dosages in v/v%% are not known",
                                d->exp[0].ce, d->exp[e].ce, d->exp[0].line, d->exp[e].line, p->extractant);
    return RX_OK;
}

int rx_fit_plant(const RxPlant *p, const RxShakeoutData *d, RxPlant **out, RxError *err)
{
    RxPlant *w = NULL;
    int rc = check_dosages(p, d, err);
    if (rc != RX_OK)
        return rc;
    rc = rx_plant_copy(p, &w, err);
    if (rc != RX_OK)
        return rc;
    /* Only the model and its species matter here: the circuit's feeds are
     * never solved with this copy. */
    w->nsp = 0;
    int sap = 0;
    for (int e = 0; e < d->nexp; e++) {
        sap |= d->exp[e].sap > 0;
        for (int k = 0; k < d->exp[e].nel; k++)
            if (rx_plant_species_of_element(w, d->exp[e].elem[k]) < 0 && rx_plant_add_species(w, d->exp[e].elem[k]) < 0)
                rc = rx_error_set(err, RX_BAD_INPUT, d->path, "more than %d elements", RX_MAX_SPECIES);
    }
    w->base_species = -1;
    if (rc == RX_OK && sap) {
        const RxElement *b = rx_elements_find(w->elements, rx_base_symbol(w));
        int elem = b ? (int)(b - w->elements->el) : -1;
        w->base_species = elem < 0 ? -1 : rx_plant_species_of_element(w, elem);
        if (elem >= 0 && w->base_species < 0)
            w->base_species = rx_plant_add_species(w, elem);
        if (w->base_species < 0)
            rc = rx_error_set(err, RX_BAD_INPUT, d->path, "no room for the saponification's base");
    }
    if (rc == RX_OK) {
        w->model_spec.nlines = 0;
        double v[RX_MAX_FIT_PARAMS];
        for (int i = 0; i < p->fit.nparams; i++)
            v[i] = p->fit.params[i].start;
        rc = apply(w, &p->fit, v, err);
    }
    if (rc != RX_OK) {
        rx_plant_destroy(&w);
        return rc;
    }
    *out = w;
    return RX_OK;
}

/* One batch equilibrium: x, y (mol/L) of every species of work. */
static int equilibrate(const RxPlant *work, const RxShakeout *e, double guess[2], double *x, double *y)
{
    int M = work->nsp;
    double T[RX_MAX_SPECIES] = {0}, q = 0;
    for (int k = 0; k < e->nel; k++) {
        int s = rx_plant_species_of_element(work, e->elem[k]);
        T[s] += e->c0[k]; /* A = 1 L */
        q += work->charge[s] * e->c0[k];
    }
    if (work->base_species >= 0)
        T[work->base_species] += e->sap * e->ce * e->oa; /* the base sits on the organic */
    RxStageIn in = {.M = M, .T = T, .z = work->charge, .cl = (e->h0 > 0 ? e->h0 : 0) + q, .A = 1.0, .O = e->oa,
                    .ce = e->ce, .so4 = 0, .ka = work->ka_hso4};
    RxStageOut out = {.x = x, .y = y};
    const RxModelType *t = work->model->type;
    if (e->has_ph && t->split_at_h)
        return t->split_at_h(work->model->params, &in, pow(10.0, -e->ph_eq), guess, &out);
    return rx_model_split(work, &in, guess, &out);
}

int rx_fit_predict(RxPlant *work, const RxFitSpec *spec, const RxShakeoutData *d, const double *v, double *out,
                   RxError *err)
{
    int rc = apply(work, spec, v, err);
    if (rc != RX_OK)
        return rc;
    int res = spec->residual, last = -1;
    double x[RX_MAX_SPECIES], y[RX_MAX_SPECIES];
    for (int i = 0; i < d->npts; i++) {
        const RxFitPoint *pt = &d->pts[i];
        if (pt->exp != last) {
            double guess[2] = {0, 0};
            last = pt->exp;
            if ((rc = equilibrate(work, &d->exp[last], guess, x, y)) != RX_OK)
                return rx_error_set(err, rc, NULL, "%s:%d: the batch equilibrium of experiment %s failed", d->path,
                                    d->exp[last].line, d->exp[last].name);
        }
        int s = rx_plant_species_of_element(work, pt->elem);
        if (res == RX_RESID_LOG10_D)
            out[i] = log10(fmax(y[s], FIT_TINY)) - log10(fmax(x[s], FIT_TINY));
        else
            out[i] = predicted(pt->kind == RX_MEAS_ORGANIC ? y[s] : x[s], res);
    }
    return RX_OK;
}

int rx_fit_circuit(const RxPlant *p, RxFitCircuit *c, RxError *err)
{
    c->last = NULL;
    int rc = rx_plant_copy(p, &c->plant, err);
    if (rc != RX_OK)
        return rc;
    c->plant->model_spec.nlines = 0; /* as rx_fit_plant: the fit's lines replace the file's rows */
    double v[RX_MAX_FIT_PARAMS];
    for (int i = 0; i < p->fit.nparams; i++)
        v[i] = p->fit.params[i].start;
    if ((rc = apply(c->plant, &p->fit, v, err)) != RX_OK)
        rx_plant_destroy(&c->plant);
    return rc;
}

void rx_fit_circuit_free(RxFitCircuit *c)
{
    rx_solution_destroy(&c->last);
    rx_plant_destroy(&c->plant);
}

int rx_fit_predict_profile(RxFitCircuit *c, const RxFitSpec *spec, const RxProfileData *d, const double *v,
                           double *out, RxError *err)
{
    int rc = apply(c->plant, spec, v, err);
    RxSolution *s = NULL;
    if (rc != RX_OK || (rc = rx_circuit_solve_from(c->plant, c->last, &s, err)) != RX_OK)
        return rc;
    rx_solution_destroy(&c->last);
    c->last = s;
    for (int i = 0; i < d->npts; i++) {
        const RxProfilePoint *pt = &d->pts[i];
        int k = pt->stage;
        if (pt->kind == RX_MEAS_PH) {
            out[i] = -log10(s->h[k]);
            continue;
        }
        int j = rx_plant_species_of_element(c->plant, pt->elem);
        double conc = (pt->kind == RX_MEAS_ORGANIC ? s->y : s->x)[k * s->M + j];
        out[i] = predicted(conc, spec->residual);
    }
    return RX_OK;
}
