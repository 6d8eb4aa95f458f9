/*
 * cli/fit.c - reesx fit: the constants of the plant's model fitted to the
 * batch shake-out experiments its fit group names (docs/fit.md).
 */
#include "cli/cli.h"

#include <stdio.h>

const char cli_fit_usage[] =
    "usage: reesx fit CONFIG [-o DIR] [-q]\n"
    "\n"
    "Fit the constants named in CONFIG's fit group (log10 K for mass_action, D\n"
    "for constant_d, the line log10 D = slope pH + intercept for empirical_logd)\n"
    "to the shake-out CSV it names (docs/fit.md), by nonlinear least squares\n"
    "(GSL, trust-region Levenberg-Marquardt).  Prints the estimates with their\n"
    "95 % intervals, the RMSE, the degrees of freedom, every warning and every\n"
    "dropped measurement.\n"
    "\n"
    "  CONFIG          plant description with a fit group\n"
    "  -o, --output DIR  write fit.json, residuals.csv and fitted.tsv (a model\n"
    "                  data file for model.data) to DIR (default: .)\n"
    "  -q, --quiet     print nothing but errors\n"
    "  -h, --help      this help\n"
    "\n"
    "exit status: 0 ok, 2 bad input (file:line: column: what is wrong),\n"
    "3 the fit did not converge, 4 cannot write output\n";

static void print_fit(const RxPlant *p, const RxShakeoutData *d, const RxFitResult *r)
{
    printf("  data: %s, %d experiments, %d points fitted, %d dropped\n", d->path, d->nexp, r->npts, d->ndropped);
    printf("  %-18s %12s %10s   %s\n", "parameter", "estimate", "std err", "95 % interval");
    for (int j = 0; j < r->np; j++) {
        char name[64];
        rx_fit_param_name(p, &r->param[j], name, sizeof name);
        printf("  %-18s %12.5f %10.4g   [%.5f, %.5f]\n", name, r->est[j], r->se[j], r->lo95[j], r->hi95[j]);
    }
    printf("  RMSE %.4g (%s), dof %d, %d iterations\n", r->rmse, r->residual == RX_RESID_CONC ? "mol/L" : "log10 D",
           r->dof, r->iterations);
}

int cli_fit(const CliArgs *a)
{
    RxError err;
    rx_error_clear(&err);
    RxPlant *p = NULL;
    RxShakeoutData d = {0};
    RxFitResult *r = NULL;
    int rc = rx_plant_load(a->cfg, &p, &err);
    if (rc == RX_OK && !p->fit.present)
        rc = rx_error_set(&err, RX_BAD_INPUT, a->cfg, "fit: the config has no fit group (docs/fit.md)");
    if (rc == RX_OK)
        rc = rx_shakeout_read(p->fit.data, p->elements, &d, &err);
    for (int i = 0; rc == RX_OK && i < d.ndropped; i++)
        fprintf(stderr, "warning: %s\n", d.dropped[i]);
    if (rc == RX_OK)
        rc = rx_fit_run(p, &d, &r, &err);
    if (r && !a->quiet) {
        cli_print_title("", p->path, p->title);
        print_fit(p, &d, r);
    }
    for (int i = 0; r && i < r->nwarn; i++)
        fprintf(stderr, "warning: %s\n", r->warn[i]);
    if (rc != RX_OK) {
        cli_print_error(&err);
        rx_fit_result_free(&r);
        rx_shakeout_free(&d);
        rx_plant_destroy(&p);
        return cli_exit_for(rc);
    }
    RxOutputs o = {.plant = p, .shakeout = &d, .fit = r};
    RxWritten w;
    rc = cli_write_outputs(&o, a->outdir, &w);
    if (rc == RX_OK && !a->quiet)
        cli_print_wrote(a->outdir, &w, 1);
    rx_fit_result_free(&r);
    rx_shakeout_free(&d);
    rx_plant_destroy(&p);
    return rc == RX_OK ? 0 : cli_exit_for(rc);
}
