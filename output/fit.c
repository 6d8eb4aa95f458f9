/*
 * output/fit.c - what `reesx fit` writes: fit.json (estimates, errors,
 * intervals, correlations, warnings), residuals.csv (every point) and
 * fitted.tsv, a model data file `reesx run` reads (model.data), whose
 * header says what it was fitted to and whose rows carry their standard
 * errors.
 */
#include "output/writer.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *resid_unit(int residual)
{
    return residual == RX_RESID_CONC ? "mol/L" : "log10 D";
}

int rx_output_fit_json(const RxOutputs *o, const char *path, RxError *err)
{
    const RxFitResult *r = o->fit;
    cJSON *root = rx_json_plant(o->plant), *ps = root ? cJSON_AddArrayToObject(root, "parameters") : NULL;
    if (!ps) {
        cJSON_Delete(root);
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    }
    cJSON_AddStringToObject(root, "data", o->shakeout->path);
    cJSON_AddNumberToObject(root, "points", r->npts);
    cJSON_AddNumberToObject(root, "dropped", o->shakeout->ndropped);
    cJSON_AddStringToObject(root, "residual", resid_unit(r->residual));
    cJSON_AddStringToObject(root, "weights", "unit");
    cJSON_AddNumberToObject(root, "dof", r->dof);
    rx_json_num(root, "rmse", r->rmse);
    rx_json_num(root, "t_975", r->t95);
    rx_json_num(root, "rcond", r->rcond);
    cJSON_AddNumberToObject(root, "iterations", r->iterations);
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
    for (int j = 0; j < o->shakeout->ndropped; j++)
        cJSON_AddItemToArray(dr, cJSON_CreateString(o->shakeout->dropped[j]));
    return rx_write_json(root, path, err);
}

int rx_output_residuals(const RxOutputs *o, const char *path, RxError *err)
{
    static const char *const kinds[] = {"D", "extraction", "aqueous", "organic"}; /* RX_MEAS_* */
    const RxFitResult *r = o->fit;
    const RxShakeoutData *d = o->shakeout;
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return rx_error_set(err, RX_IO_ERROR, path, "cannot write");
    const char *u = resid_unit(r->residual);
    fprintf(f, "experiment,line,element,measured as,measured [%s],fitted [%s],residual [%s]\n", u, u, u);
    for (int i = 0; i < r->npts; i++) {
        const RxFitPoint *pt = &d->pts[i];
        fprintf(f, "%s,%d,%s,%s", d->exp[pt->exp].name, pt->line, o->plant->elements->el[pt->elem].sym,
                kinds[pt->kind]);
        rx_csv_num(f, r->measured[i]);
        rx_csv_num(f, r->fitted[i]);
        rx_csv_num(f, r->resid[i]);
        fputc('\n', f);
    }
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        remove(tmp);
        return rx_error_set(err, RX_IO_ERROR, path, "cannot write");
    }
    return RX_OK;
}

/* mass_action: "Mn  log10K  se  fitted  [fit]"; empirical_logd:
 * "Mn  slope 0 intercept 0  se_slope se_intercept  fitted  [fit]" (m0 m1 B0
 * B1 of the model's file, in pH alone). */
int rx_output_fitted_data(const RxOutputs *o, const char *path, RxError *err)
{
    const RxFitResult *r = o->fit;
    const RxPlant *p = o->plant;
    int em = !strcmp(p->model_spec.type, "empirical_logd");
    char tmp[1100], date[32];
    time_t now = time(NULL);
    struct tm tmv;
    strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime_r(&now, &tmv));
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return rx_error_set(err, RX_IO_ERROR, path, "cannot write");
    fprintf(f, "# fitted.tsv - %s constants fitted by reesx fit (docs/fit.md)\n#\n", p->model_spec.type);
    fprintf(f, "# data: %s\n# points: %d (%d dropped), %d parameters, dof %d\n", o->shakeout->path, r->npts,
            o->shakeout->ndropped, r->np, r->dof);
    fprintf(f, "# date: %s\n# RMSE: %.6g (%s, unit weights)\n", date, r->rmse, resid_unit(r->residual));
    if (em)
        fprintf(f, "#\n# Columns: symbol  m0  m1  B0  B1  se(m0)  se(B0)  class  source\n"
                   "# (log10 D = m0 pH + B0: the fit is in pH alone)\n");
    else
        fprintf(f, "#\n# Columns: symbol  log10_K  se  class  source\n");
    fprintf(f, "#\n# Sources:\n# [fit] reesx fit to %s, %d points, %s\n\n", o->shakeout->path, r->npts, date);
    for (int j = 0; j < r->np; j++) {
        const RxFitParam *q = &r->param[j];
        const char *sym = p->elements->el[q->elem].sym;
        if (!em)
            fprintf(f, "%-4s %.6f  %.4g  fitted  [fit]\n", sym, r->est[j], r->se[j]);
        else if (q->kind == RX_FIT_SLOPE && j + 1 < r->np && r->param[j + 1].kind == RX_FIT_INTERCEPT)
            fprintf(f, "%-4s %.6f  0  %.6f  0  %.4g  %.4g  fitted  [fit]\n", sym, r->est[j], r->est[j + 1], r->se[j],
                    r->se[j + 1]);
    }
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        remove(tmp);
        return rx_error_set(err, RX_IO_ERROR, path, "cannot write");
    }
    return RX_OK;
}
