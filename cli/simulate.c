/*
 * cli/simulate.c - reesx simulate: the mixer-settler dynamics of a circuit
 * over its horizon, with a progress bar on a terminal.
 */
#include "cli/cli.h"

#include "core/interrupt.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

const char cli_simulate_usage[] =
    "usage: reesx simulate CONFIG [-o DIR] [-q] [--report [--figures FDIR] [--element X]]\n"
    "\n"
    "Integrate the mixer-settler dynamics of the circuit in CONFIG over the\n"
    "horizon of its dynamics group (docs/config.md, docs/dynamics.md): from\n"
    "barren solutions, from the steady state or from a saved state, with the\n"
    "feed changes it schedules.  CVODES BDF with a banded Jacobian.\n"
    "\n"
    "  CONFIG          plant description with a dynamics group and holdups\n"
    "  -o, --output DIR  write the outputs to DIR (default: the current directory)\n"
    "  -q, --quiet     print nothing but errors, and no progress bar\n"
    CLI_REPORT_OPTIONS
    "  -h, --help      this help\n"
    "\n"
    "outputs (written atomically):\n"
    "  timeseries.csv  every output interval: each product's flow, purity,\n"
    "                  recovery and composition; raffinate pH; watched stages\n"
    "  stages.csv      the stage profile at the end\n"
    "  final.state     the state at the end; initial = \"state\" restarts from it\n"
    "  summary.json    settling times of product purities (1 % and 0.1 %),\n"
    "                  inventory balance per element, integrator statistics\n"
    "\n"
    "A progress bar goes to stderr when it is a terminal.  SIGINT or SIGTERM\n"
    "stops the run at the integrator step it is in: what was computed is\n"
    "written (summary.json \"partial\": true; final.state restarts from there).\n"
    "exit status: 0 ok, 2 bad input, 3 the integration failed (what was\n"
    "computed up to then is written), 4 cannot write output, 130/143 stopped\n"
    "by SIGINT/SIGTERM\n";

static void print_sim_summary(const RxPlant *p, const RxSimResult *r)
{
    cli_print_title("", p->path, p->title);
    cli_print_constants("", p);
    printf("  dynamics: %.4g h %s, %d events, %d output rows\n\n", r->t_end,
           p->dynamics.initial == RX_START_BARREN   ? "from barren solutions"
           : p->dynamics.initial == RX_START_STEADY ? "from the steady state"
                                                    : "from a saved state",
           p->dynamics.nevents, r->nrows);
    const double *last = r->rows + (size_t)(r->nrows - 1) * (size_t)r->ncols;
    printf("products at t = %.4g h\n", r->t_end);
    for (int i = 0; i < p->nproducts; i++) {
        int col = 1 + i * (3 + p->nsp); /* timeseries.csv: flow, purity, recovery, composition */
        printf("  %-24s %.4g L/h, purity %.4f %% of REO, recovery %.4f %%\n", p->products[i].name, last[col],
               last[col + 1], last[col + 2]);
        printf("    purity within 1 %% of its final value from %.4g h, within 0.1 %% from %.4g h\n",
               r->settle_1pct[i], r->settle_01pct[i]);
    }
    printf("\nintegrator: %ld steps, %ld right-hand sides, %ld Jacobians, %.3f s\n", r->steps, r->rhs_evals,
           r->jac_evals, r->seconds);
    printf("inventory balance (fed - left - change of holdup)/fed:");
    for (int j = 0; j < p->nsp; j++) {
        double scale = fmax(r->fed[j], fmax(r->holdup0[j], r->holdup[j]));
        printf(" %s %.1e", rx_plant_element(p, j)->sym,
               scale > 0 ? (r->fed[j] - r->left[j] - (r->holdup[j] - r->holdup0[j])) / scale : 0.0);
    }
    printf("\n");
}

/* Load the plant; with initial = "state", check the state is of the run
 * whose summary.json lies beside it.  An exit status, or -1 to go on. */
static int load(const CliArgs *a, RxPlant **p, RxError *err)
{
    int rc = rx_plant_load(a->cfg, p, err);
    if (rc == RX_OK && (*p)->dynamics.present && (*p)->dynamics.initial == RX_START_STATE)
        rc = rx_check_restart((*p)->dynamics.state_file, err);
    if (rc == RX_OK)
        return -1;
    cli_print_error(err);
    rx_plant_destroy(p);
    return cli_exit_for(rc);
}

int cli_simulate(const CliArgs *a)
{
    RxError err;
    rx_error_clear(&err);
    RxPlant *p = NULL;
    RxSimResult *r = NULL;
    rx_interrupt_install(); /* SIGINT, SIGTERM: stop at the next step, write what there is */
    int rc = load(a, &p, &err);
    if (rc >= 0)
        return rc;
    int bar = !a->quiet && isatty(STDERR_FILENO);
    int solve_rc = rx_simulate(p, bar ? cli_sim_progress : NULL, NULL, &r, &err);
    if (bar)
        fputs("\n", stderr);
    if (solve_rc != RX_OK && solve_rc != RX_INTERRUPTED)
        cli_print_error(&err);
    if (!r) {
        rx_plant_destroy(&p);
        return rx_interrupted() ? cli_interrupted(a->cfg, " before the integration began; nothing was written")
                                : cli_exit_for(solve_rc);
    }
    if (solve_rc == RX_OK && !a->quiet)
        print_sim_summary(p, r);
    /* On a failed or interrupted integration, write what was computed up to then. */
    RxOutputs o = {.plant = p, .sim = r};
    RxWritten w;
    rc = cli_write_outputs(&o, a->outdir, &w);
    if (rc == RX_OK && !a->quiet)
        cli_print_wrote(a->outdir, &w, 0);
    int partial = r->interrupted;
    double t_end = r->t_end, horizon = p->dynamics.horizon;
    rx_sim_result_destroy(&r);
    rx_plant_destroy(&p);
    if (rx_interrupted() && rc != RX_OK)
        return cli_interrupted(a->cfg, "; the outputs could not be written (above)");
    if (rx_interrupted() && partial)
        return cli_interrupted(a->cfg,
                               " at t = %.6g h of %.6g h; wrote what was computed, marked partial "
                               "(summary.json \"partial\": true)",
                               t_end, horizon);
    if (rx_interrupted())
        return cli_interrupted(a->cfg, " after the run had finished; its outputs are complete");
    if (solve_rc != RX_OK)
        return cli_exit_for(solve_rc);
    return rc == RX_OK ? 0 : cli_exit_for(rc);
}
