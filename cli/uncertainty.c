/*
 * cli/uncertainty.c - reesx uncertainty: the plant's targets (or its
 * products' purity and recovery) and cost per kg over samples of its
 * uncertain constants and feeds, and the probability of meeting every
 * target (docs/uncertainty.md).
 */
#include "cli/cli.h"

#include "core/interrupt.h"
#include "design/targets.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

const char cli_uncertainty_usage[] =
    "usage: reesx uncertainty CONFIG [-o DIR] [-q] [--report [--figures FDIR] [--element X]]\n"
    "\n"
    "Sample the model constants of CONFIG (each with its standard deviation:\n"
    "stated in the uncertainty group, or the standard error of a fitted data\n"
    "file) and its feeds' flows and compositions (uncertainty.feeds), solve\n"
    "every sample's circuit from the nominal solution on uncertainty.threads\n"
    "threads, and report P5, P50 and P95 of every design target (without a\n"
    "design group: each product's purity and recovery) and of the cost per kg\n"
    "(with a cost group), and the probability that every target is met\n"
    "(docs/uncertainty.md).  The same seed gives the same samples on any\n"
    "number of threads.\n"
    "\n"
    "  CONFIG          plant description, with an uncertainty group\n"
    "  -o, --output DIR  write the outputs to DIR (default: the current directory)\n"
    "  -q, --quiet     print nothing but errors, and no progress bar\n"
    CLI_REPORT_OPTIONS
    "  -h, --help      this help\n"
    "\n"
    "outputs (written atomically, as one set):\n"
    "  samples.csv       one row per sample: its inputs, solved or not, each\n"
    "                    target's value [% or pH], all met, cost [USD/kg REO]\n"
    "  uncertainty.csv   nominal, P5, P50, P95 of each target and of the cost\n"
    "  uncertainty.json  the same, the inputs' spreads, the counts and the\n"
    "                    probability of meeting every target\n"
    "\n"
    "A sample whose circuit does not solve is counted and reported, not fatal.\n"
    "exit status: 0 ok, 2 bad input, 3 the nominal plant does not solve,\n"
    "4 cannot write output, 130/143 stopped by SIGINT/SIGTERM (nothing written)\n";

static const char *const pct_names[RX_UNC_NPCT] = {"P5", "P50", "P95"};

static void print_inputs(const RxUncResult *r)
{
    const RxUncPlan *pl = r->plan;
    printf("sampled: %d inputs (%d constants, %d correlations, %d feed values); seed %lu, %d samples, %d threads\n",
           pl->n, pl->nconst, pl->ncorr, pl->n - pl->nconst, r->seed, r->n, r->threads);
    for (int k = 0; k < pl->n; k++) {
        const RxUncInput *u = &pl->in[k];
        printf("  %-36s nominal %-10.6g sd %.4g %s (%s)\n", u->name, u->nominal, u->sd,
               u->kind == RX_UNC_CONSTANT ? "log10" : u->kind == RX_UNC_FLOW ? "L/h" : "mol/L", u->source);
    }
    if (pl->n == 0)
        printf("  nothing: every sample is the nominal plant (give sds in the uncertainty group)\n");
}

static void print_row(const char *label, const char *unit, double nominal, const double *pct, int n, int total)
{
    char what[160];
    snprintf(what, sizeof what, "%s [%s]", label, unit);
    printf("  %-46s %12.6g", what, nominal);
    for (int q = 0; q < RX_UNC_NPCT; q++)
        printf(" %12.6g", pct[q]);
    printf(n < total ? "  (%d values)\n" : "\n", n);
}

/* ", 3 solver did not converge, 1 invalid input": why samples did not solve. */
static void print_not_solved(const RxUncResult *r)
{
    static const int why[] = {RX_NOT_CONVERGED, RX_SINGULAR, RX_BAD_INPUT};
    for (size_t k = 0; k < sizeof why / sizeof why[0]; k++) {
        int n = 0;
        for (int i = 0; i < r->n; i++)
            n += r->samples[i].status == why[k];
        if (n)
            printf(", %d %s", n, rx_status_str(why[k]));
    }
}

static void print_results(const RxUncResult *r)
{
    const RxUncPlan *pl = r->plan;
    printf("%d samples in %.3g s: %d solved, %d not solved", r->n, r->seconds, r->solved, r->n - r->solved);
    print_not_solved(r);
    printf("\n");
    printf("  %-46s %12s", "", "nominal");
    for (int q = 0; q < RX_UNC_NPCT; q++)
        printf(" %12s", pct_names[q]);
    printf("\n");
    for (int m = 0; m < pl->nmetrics; m++) {
        const RxTarget *t = &pl->metric[m];
        double pct[RX_UNC_NPCT];
        for (int q = 0; q < RX_UNC_NPCT; q++)
            pct[q] = rx_target_shown(t, r->pct[m][q]);
        print_row(t->label, rx_target_unit(t), rx_target_shown(t, r->nominal_m.value[m]), pct, r->nvalid[m],
                  r->solved);
    }
    if (pl->costed)
        print_row("cost", "USD/kg REO", r->nominal_m.cost_per_kg, r->pct[RX_UNC_MAX_METRICS],
                  r->nvalid[RX_UNC_MAX_METRICS], r->solved);
    if (pl->has_targets)
        printf("all targets met: %d of %d solved samples, probability %.4g %% (binomial se %.2g %%); the nominal "
               "plant %s\n",
               r->met, r->solved, PERCENT * r->p_met, PERCENT * r->p_met_se,
               r->nominal_m.all_met ? "meets them" : "does not meet them");
    else
        printf("no design targets: purity and recovery of each product shown, no probability of meeting them\n");
}

int cli_uncertainty_report(const CliArgs *a, const RxPlant *p, const RxUncResult *r)
{
    if (!a->quiet) {
        print_inputs(r);
        print_results(r);
    }
    RxOutputs o = {.plant = p, .uncertainty = r};
    RxWritten w;
    int rc = cli_write_outputs(&o, a->outdir, &w);
    if (rc == RX_OK && !a->quiet)
        cli_print_wrote(a->outdir, &w, 0);
    return rc == RX_OK ? 0 : cli_exit_for(rc);
}

int cli_uncertainty(const CliArgs *a)
{
    RxError err;
    rx_error_clear(&err);
    RxPlant *p = NULL;
    RxUncResult *r = NULL;
    rx_interrupt_install(); /* SIGINT, SIGTERM: stop before the next sample */
    RxFlowsheet *fs = NULL;
    int rc = rx_load(a->cfg, &p, &fs, &err); /* read once: CONFIG may be a pipe */
    if (rc == RX_OK && fs) {
        rc = rx_error_set(&err, RX_BAD_INPUT, a->cfg, "a flowsheet is not sampled yet: give one circuit's description");
        rx_flowsheet_destroy(&fs);
    }
    if (rc == RX_OK && !a->quiet) {
        cli_print_title("", p->path, p->title);
        cli_print_constants("", p);
    }
    int bar = !a->quiet && isatty(STDERR_FILENO);
    if (rc == RX_OK)
        rc = rx_uncertainty(p, 0, bar ? cli_unc_progress : NULL, NULL, &r, &err);
    if (bar)
        fputs("\n", stderr);
    if (rc == RX_INTERRUPTED || rx_interrupted()) {
        rx_unc_result_destroy(&r);
        rx_plant_destroy(&p);
        return cli_interrupted(a->cfg, "; nothing written (the samples are written only whole)");
    }
    if (rc != RX_OK) {
        cli_print_error(&err);
        rx_plant_destroy(&p);
        return cli_exit_for(rc);
    }
    rc = cli_uncertainty_report(a, p, r);
    rx_unc_result_destroy(&r);
    rx_plant_destroy(&p);
    return rc;
}
