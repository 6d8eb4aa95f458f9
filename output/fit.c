/*
 * output/fit.c - what `reesx fit` writes: fit.json (estimates, errors,
 * intervals, correlations, warnings), residuals.csv (every point) and
 * fitted.tsv, a model data file `reesx run` reads (model.data), whose
 * header says what it was fitted to and whose rows carry their standard
 * errors.
 */
#include "output/writer.h"

#include "core/datafile.h"
#include "core/fileio.h"
#include "models/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const meas_names[] = {"D", "extraction", "aqueous", "organic", "pH"}; /* RX_MEAS_* */

static const char *resid_name(int residual)
{
    static const char *const names[] = {"log10 D", "concentration", "log10 concentration"}; /* RX_RESID_* */
    return names[residual];
}

/* The unit point i of r is compared in. */
static const char *point_unit(const RxOutputs *o, int i)
{
    const RxFitResult *r = o->fit;
    if (i >= r->nshake && o->profile->pts[i - r->nshake].kind == RX_MEAS_PH)
        return "pH";
    static const char *const units[] = {"log10 D", "mol/L", "log10 mol/L"}; /* RX_RESID_* */
    return units[r->residual];
}

static int dropped(const RxOutputs *o)
{
    return (o->shakeout ? o->shakeout->ndropped : 0) + (o->profile ? o->profile->ndropped : 0);
}

static void json_data(const RxOutputs *o, cJSON *root)
{
    const RxFitResult *r = o->fit;
    if (o->shakeout)
        cJSON_AddStringToObject(root, "data", o->shakeout->path);
    else
        cJSON_AddNullToObject(root, "data");
    if (o->profile)
        cJSON_AddStringToObject(root, "profile", o->profile->path);
    else
        cJSON_AddNullToObject(root, "profile");
    cJSON_AddNumberToObject(root, "points", r->npts);
    cJSON_AddNumberToObject(root, "shakeout_points", r->nshake);
    cJSON_AddNumberToObject(root, "profile_points", r->npts - r->nshake);
    cJSON_AddNumberToObject(root, "dropped", dropped(o));
    cJSON_AddStringToObject(root, "residual", resid_name(r->residual));
    cJSON *w = cJSON_AddObjectToObject(root, "weights");
    for (int k = 0; k < RX_NMEAS; k++)
        rx_json_num(w, meas_names[k], o->plant->fit.weight[k]);
    cJSON_AddNumberToObject(root, "dof", r->dof);
    rx_json_num(root, "rmse", r->rmse);
    rx_json_num(root, "t_975", r->t95);
    rx_json_num(root, "rcond", r->rcond);
    cJSON_AddNumberToObject(root, "iterations", r->iterations);
}

int rx_output_fit_json(const RxOutputs *o, const char *path, RxError *err)
{
    const RxFitResult *r = o->fit;
    cJSON *root = rx_json_plant(o->plant), *ps = NULL;
    if (root)
        json_data(o, root);
    if (!root || !(ps = cJSON_AddArrayToObject(root, "parameters"))) {
        cJSON_Delete(root);
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    }
    for (int j = 0; j < r->np; j++) {
        char name[64];
        rx_fit_param_name(o->plant, &r->param[j], name, sizeof name);
        cJSON *q = cJSON_CreateObject();
        cJSON_AddItemToArray(ps, q);
        cJSON_AddStringToObject(q, "name", name);
        rx_json_num(q, "estimate", r->est[j]);
        rx_json_num(q, "std_error", r->se[j]);
        rx_json_num(q, "ci95_low", r->lo95[j]);
        rx_json_num(q, "ci95_high", r->hi95[j]);
        rx_json_num(q, "start", r->param[j].start);
    }
    cJSON *corr = cJSON_AddArrayToObject(root, "correlation");
    for (int j = 0; j < r->np; j++) {
        cJSON *row = cJSON_CreateArray();
        cJSON_AddItemToArray(corr, row);
        for (int k = 0; k < r->np; k++)
            cJSON_AddItemToArray(row, cJSON_CreateNumber(r->corr[j + k * r->np]));
    }
    cJSON *w = cJSON_AddArrayToObject(root, "warnings");
    for (int j = 0; j < r->nwarn; j++)
        cJSON_AddItemToArray(w, cJSON_CreateString(r->warn[j]));
    cJSON *dr = cJSON_AddArrayToObject(root, "dropped_points");
    for (int j = 0; o->shakeout && j < o->shakeout->ndropped; j++)
        cJSON_AddItemToArray(dr, cJSON_CreateString(o->shakeout->dropped[j]));
    for (int j = 0; o->profile && j < o->profile->ndropped; j++)
        cJSON_AddItemToArray(dr, cJSON_CreateString(o->profile->dropped[j]));
    return rx_write_json(root, path, err);
}

/* The measured aqueous pH of profile point i's stage: that of its own row
 * when the row has one (a pH point's own value), else the first row of the
 * same stage that has one; NaN when the profile has no pH of that stage.
 * stage_ph: the first measured pH of each stage. */
static double profile_ph(const RxProfileData *d, int i, const double *stage_ph, int nstages)
{
    const RxProfilePoint *pt = &d->pts[i];
    for (int j = i; j >= 0 && d->pts[j].line == pt->line; j--) /* a row's points are consecutive */
        if (d->pts[j].kind == RX_MEAS_PH)
            return d->pts[j].value;
    for (int j = i + 1; j < d->npts && d->pts[j].line == pt->line; j++)
        if (d->pts[j].kind == RX_MEAS_PH)
            return d->pts[j].value;
    return stage_ph && pt->stage >= 0 && pt->stage < nstages ? stage_ph[pt->stage] : NAN;
}

int rx_output_residuals(const RxOutputs *o, const char *path, RxError *err)
{
    const RxFitResult *r = o->fit;
    const RxElement *el = o->plant->elements->el;
    int nstages = o->plant->nstages;
    double *stage_ph = NULL;
    if (o->profile && nstages > 0) {
        stage_ph = malloc((size_t)nstages * sizeof *stage_ph);
        if (!stage_ph)
            return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
        for (int k = 0; k < nstages; k++)
            stage_ph[k] = NAN;
        for (int j = 0; j < o->profile->npts; j++) {
            const RxProfilePoint *q = &o->profile->pts[j];
            if (q->kind == RX_MEAS_PH && q->stage >= 0 && q->stage < nstages && isnan(stage_ph[q->stage]))
                stage_ph[q->stage] = q->value;
        }
    }
    RxAtomicFile a;
    int rc = rx_atomic_open(&a, path, err);
    if (rc != RX_OK) {
        free(stage_ph);
        return rc;
    }
    fprintf(a.f, "data,point,line,element,measured as,unit,measured,fitted,residual,weight [-],pH [-]\n");
    for (int i = 0; i < r->npts; i++) {
        double ph = NAN;
        if (i < r->nshake) {
            const RxFitPoint *pt = &o->shakeout->pts[i];
            const RxShakeout *e = &o->shakeout->exp[pt->exp];
            ph = e->has_ph ? e->ph_eq : NAN;
            rx_csv_text(a.f, 1, "shake-out");
            rx_csv_text(a.f, 0, o->shakeout->exp[pt->exp].name);
            fprintf(a.f, ",%d", pt->line);
            rx_csv_text(a.f, 0, el[pt->elem].sym);
            rx_csv_text(a.f, 0, meas_names[pt->kind]);
        } else {
            const RxProfilePoint *pt = &o->profile->pts[i - r->nshake];
            ph = profile_ph(o->profile, i - r->nshake, stage_ph, nstages);
            rx_csv_text(a.f, 1, "profile");
            rx_csv_text(a.f, 0, pt->where);
            fprintf(a.f, ",%d", pt->line);
            rx_csv_text(a.f, 0, pt->elem >= 0 ? el[pt->elem].sym : "");
            rx_csv_text(a.f, 0, meas_names[pt->kind]);
        }
        rx_csv_text(a.f, 0, point_unit(o, i));
        rx_csv_num(a.f, r->measured[i]);
        rx_csv_num(a.f, r->fitted[i]);
        rx_csv_num(a.f, r->resid[i]);
        rx_csv_num(a.f, r->weight[i]);
        rx_csv_num(a.f, ph);
        fputc('\n', a.f);
    }
    free(stage_ph);
    return rx_atomic_close(&a, err);
}

/* What the fit was fitted to, as comment lines. */
static void fitted_header(FILE *f, const RxOutputs *o, const char *date)
{
    const RxFitResult *r = o->fit;
    const RxPlant *p = o->plant;
    fprintf(f, "# fitted.tsv - %s constants fitted by reesx fit (docs/fit.md)\n#\n", p->model_spec.type);
    if (o->shakeout)
        fprintf(f, "# data: %s (%d shake-out points)\n", o->shakeout->path, r->nshake);
    if (o->profile)
        fprintf(f, "# profile: %s (%d points) of %s\n", o->profile->path, r->npts - r->nshake, p->path);
    fprintf(f, "# points: %d (%d dropped), %d parameters, dof %d\n", r->npts, dropped(o), r->np, r->dof);
    fprintf(f, "# date: %s\n# RMSE: %.6g (%s, weights", date, r->rmse, resid_name(r->residual));
    for (int k = 0; k < RX_NMEAS; k++)
        fprintf(f, " %s %g", meas_names[k], p->fit.weight[k]);
    fprintf(f, ")\n");
    for (int j = 0; j < r->np; j++)
        if (r->param[j].kind == RX_FIT_EFFICIENCY)
            fprintf(f, "# Murphree efficiency of section %s fitted: %.6f (se %.4g); set it in the config's sections\n",
                    p->sections[r->param[j].section].name, r->est[j], r->se[j]);
}

/* Copies the rows of the model's data file that were not fitted. */
typedef struct {
    FILE *f;
    const RxOutputs *o;
    const char *path;
} CopyCtx;

static int copy_row(void *vctx, char **tok, int ntok, int line, RxError *err)
{
    (void)line;
    (void)err;
    CopyCtx *c = vctx;
    const RxFitResult *r = c->o->fit;
    const RxElement *el = c->o->plant->elements->el;
    for (int j = 0; j < r->np; j++)
        if (r->param[j].kind != RX_FIT_EFFICIENCY && !strcmp(el[r->param[j].elem].sym, tok[0]))
            return RX_OK;
    for (int i = 0; i < ntok; i++)
        fprintf(c->f, "%s  ", tok[i]);
    fprintf(c->f, "%s  %s\n", rx_data_class_name(rx_datafile_class(c->path, tok[0])), tok[ntok]);
    return RX_OK;
}

/* value-key models: "Mn  log10K  se  fitted  [fit]"; empirical_logd:
 * "Mn  m0 m1 B0 B1  se(m0) se(m1) se(B0) se(B1)  fitted  [fit]", a "-" for
 * the error of a coefficient not fitted. */
int rx_output_fitted_data(const RxOutputs *o, const char *path, RxError *err)
{
    const RxFitResult *r = o->fit;
    const RxPlant *p = o->plant;
    const RxModelType *t = rx_model_find(p->model_spec.type);
    int em = !t->value_key;
    char date[32];
    time_t now = time(NULL);
    struct tm tmv;
    strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime_r(&now, &tmv));
    RxAtomicFile a;
    int rc = rx_atomic_open(&a, path, err);
    if (rc != RX_OK)
        return rc;
    FILE *f = a.f;
    fitted_header(f, o, date);
    if (em)
        fprintf(f, "#\n# Columns: symbol  m0  m1  B0  B1  se(m0)  se(m1)  se(B0)  se(B1)  class  source\n"
                   "# (log10 D = (m0 + m1 dosage) pH + B0 + B1 log10(dosage), dosage in v/v %%; a coefficient\n"
                   "# not fitted has the value the fit held it at and no error, \"-\")\n");
    else
        fprintf(f, "#\n# Columns: symbol  %s  se  class  source\n", t->value_key);
    const char *src = p->model_spec.datafile;
    fprintf(f, "#\n# Sources:\n# [fit] reesx fit, %d points, %s\n", r->npts, date);
    if (src[0])
        fprintf(f, "# Rows not fitted are those of %s, with their classes and source keys\n"
                   "# (that file names the sources).\n",
                src);
    fputc('\n', f);
    for (int j = 0; j < r->np; j++) {
        const RxFitParam *q = &r->param[j];
        if (q->kind == RX_FIT_EFFICIENCY)
            continue;
        const char *sym = p->elements->el[q->elem].sym;
        if (!em) {
            fprintf(f, "%-4s %.6f  %.4g  fitted  [fit]\n", sym, r->est[j], r->se[j]);
            continue;
        }
        if (q->kind != RX_FIT_SLOPE) /* one row per element, at its first coefficient */
            continue;
        double cf[4], se[4];
        rx_fit_line(p, r, q->elem, cf, se);
        fprintf(f, "%-4s %.6f  %.6f  %.6f  %.6f ", sym, cf[0], cf[1], cf[2], cf[3]);
        for (int i = 0; i < 4; i++)
            if (isnan(se[i]))
                fputs(" -", f);
            else
                fprintf(f, " %.4g", se[i]);
        fprintf(f, "  fitted  [fit]\n");
    }
    CopyCtx c = {f, o, src};
    if (src[0]) {
        fputc('\n', f);
        rc = rx_datafile_read(src, 2, copy_row, &c, err);
    }
    if (rc != RX_OK) {
        rx_atomic_abort(&a);
        return rc;
    }
    return rx_atomic_close(&a, err);
}
