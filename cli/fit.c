/*
 * cli/fit.c - reesx fit: the constants of the plant's model (and its
 * sections' Murphree efficiencies) fitted to the batch shake-out
 * experiments and the stage profile its fit group names (docs/fit.md).
 */
#include "cli/cli.h"

#include <stdio.h>

const char cli_fit_usage[] =
    "usage: reesx fit CONFIG [-o DIR] [-q] [--report [--figures FDIR] [--element X]]\n"
    "\n"
    "Fit the constants named in CONFIG's fit group (log10 K for mass_action, D\n"
    "for constant_d, beta for separation_factor, the coefficients m0, B0 (and\n"
    "m1, B1) of log10 D = (m0 + m1 dosage) pH + B0 + B1 log10(dosage) for\n"
    "empirical_logd) and the Murphree efficiency of the sections\n"
    "it names, to the shake-out CSV and/or the circuit's measured stage profile\n"
    "it names (docs/fit.md), by weighted nonlinear least squares (GSL,\n"
    "trust-region Levenberg-Marquardt).  Prints the estimates with their 95 %\n"
    "intervals, the RMSE, the degrees of freedom, every warning and every\n"
    "measurement not fitted.\n"
    "\n"
    "  CONFIG          plant description with a fit group\n"
    "  -o, --output DIR  write fit.json, residuals.csv and fitted.tsv (a model\n"
    "                  data file for model.data) to DIR (default: .)\n"
    "  -q, --quiet     print nothing but errors\n"
    CLI_REPORT_OPTIONS
    "  -h, --help      this help\n"
    "\n"
    "exit status: 0 ok, 2 bad input (file:line: column: what is wrong),\n"
    "3 the fit did not converge, 4 cannot write output\n";

/* At most this many messages about unfitted measurements on stderr; fit.json lists all. */
#define CLI_MAX_DROPPED 20

static void print_fit(const RxPlant *p, const RxShakeoutData *d, const RxProfileData *prof, const RxFitResult *r)
{
    static const char *const units[] = {"log10 D", "mol/L", "log10 mol/L"}; /* RX_RESID_* */
    if (d)
        printf("  data: %s, %d experiments, %d points fitted, %d dropped\n", d->path, d->nexp, r->nshake, d->ndropped);
    if (prof)
        printf("  profile: %s, %d points fitted, %d notes\n", prof->path, r->npts - r->nshake, prof->ndropped);
    printf("  %-20s %12s %10s   %s\n", "parameter", "estimate", "std err", "95 % interval");
    for (int j = 0; j < r->np; j++) {
        char name[64];
        rx_fit_param_name(p, &r->param[j], name, sizeof name);
        printf("  %-20s %12.5f %10.4g   [%.5f, %.5f]\n", name, r->est[j], r->se[j], r->lo95[j], r->hi95[j]);
    }
    printf("  RMSE %.4g (%s%s), dof %d, %d iterations\n", r->rmse, units[r->residual],
           prof && r->residual != RX_RESID_LOG10_D ? "; pH in pH" : "", r->dof, r->iterations);
}

static void print_dropped(const RxShakeoutData *d, const RxProfileData *prof)
{
    int shown = 0, n = (d ? d->ndropped : 0) + (prof ? prof->ndropped : 0);
    for (int i = 0; d && i < d->ndropped && shown < CLI_MAX_DROPPED; i++, shown++)
        fprintf(stderr, "warning: %s\n", d->dropped[i]);
    for (int i = 0; prof && i < prof->ndropped && shown < CLI_MAX_DROPPED; i++, shown++)
        fprintf(stderr, "warning: %s\n", prof->dropped[i]);
    if (n > shown)
        fprintf(stderr, "warning: ... and %d more not fitted (fit.json lists every one)\n", n - shown);
}

/* The data the fit group names into d and prof (NULL each when not named). */
static int read_data(const RxPlant *p, RxShakeoutData *d, RxProfileData *prof, int *have_d, int *have_prof,
                     RxError *err)
{
    int rc = RX_OK;
    *have_d = p->fit.data[0] != 0;
    *have_prof = p->fit.profile[0] != 0;
    if (*have_d)
        rc = rx_shakeout_read(p->fit.data, p->elements, d, err);
    if (rc == RX_OK && *have_prof)
        rc = rx_profile_read(p->fit.profile, p, p->fit.residual, prof, err);
    return rc;
}

int cli_fit(const CliArgs *a)
{
    RxError err;
    rx_error_clear(&err);
    RxPlant *p = NULL;
    RxShakeoutData d = {0};
    RxProfileData prof = {0};
    RxFitResult *r = NULL;
    int have_d = 0, have_prof = 0;
    int rc = rx_plant_load_for_fit(a->cfg, &p, &err);
    if (rc == RX_OK && !p->fit.present)
        rc = rx_error_set(&err, RX_BAD_INPUT, a->cfg, "fit: the config has no fit group (docs/fit.md)");
    if (rc == RX_OK)
        rc = read_data(p, &d, &prof, &have_d, &have_prof, &err);
    const RxShakeoutData *dp = have_d ? &d : NULL;
    const RxProfileData *pp = have_prof ? &prof : NULL;
    if (rc == RX_OK) {
        print_dropped(dp, pp);
        rc = rx_fit_run(p, dp, pp, &r, &err);
    }
    if (r && !a->quiet) {
        cli_print_title("", p->path, p->title);
        print_fit(p, dp, pp, r);
    }
    for (int i = 0; r && i < r->nwarn; i++)
        fprintf(stderr, "warning: %s\n", r->warn[i]);
    if (rc == RX_OK) {
        RxOutputs o = {.plant = p, .shakeout = dp, .profile = pp, .fit = r};
        RxWritten w;
        rc = cli_write_outputs(&o, a->outdir, &w);
        if (rc == RX_OK && !a->quiet)
            cli_print_wrote(a->outdir, &w, 1);
    } else
        cli_print_error(&err);
    rx_fit_result_free(&r);
    rx_shakeout_free(&d);
    rx_profile_free(&prof);
    rx_plant_destroy(&p);
    return rc == RX_OK ? 0 : cli_exit_for(rc);
}
