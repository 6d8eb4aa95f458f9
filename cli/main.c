/*
 * cli/main.c - the reesx command line: finds the command in a table, parses
 * its arguments and runs it.  The only part of reesx that prints (cli/).
 *
 * Exit status: 0 solved, 1 usage error, 2 bad input (file:line: setting),
 * 3 the solver did not converge, 4 output could not be written, 5 out of
 * memory, 6 the design targets cannot be met, 128 + S stopped by signal S
 * (simulate and design: after writing what they had, marked partial).
 */
#include "cli/cli.h"

#include "core/interrupt.h"

#include <stdio.h>
#include <string.h>

static const char usage_main[] =
    "usage: reesx COMMAND [options]\n"
    "\n"
    "Design and simulate solvent-extraction cascades for rare-earth separation.\n"
    "\n"
    "commands:\n"
    "  run CONFIG [-o DIR] [-q]       solve the steady state of the circuit (or flowsheet) in CONFIG\n"
    "  simulate CONFIG [-o DIR] [-q]  integrate its dynamics (start-up, scheduled changes)\n"
    "  design CONFIG [-o DIR] [-q]    search stages and flows for its design targets\n"
    "  cost CONFIG [-o DIR] [-q]      capital, operating cost, cost per kg and NPV of its circuit\n"
    "  fit CONFIG [-o DIR] [-q]       fit its model's constants to shake-out data (docs/fit.md)\n"
    "  uncertainty CONFIG [-o DIR] [-q]  sample its uncertain constants and feeds: percentiles of\n"
    "                                 its targets and cost, the probability of meeting them\n"
    "  report DIR [-o FILE]           report.html of the outputs a run wrote to DIR; or\n"
    "                                 --report on any command above (docs/report.md)\n"
    "\n"
    "options:\n"
    "  -h, --help      this help; 'reesx run --help' for the command\n"
    "  --version       print the version\n"
    "\n"
    "exit status: 0 ok, 1 usage, 2 bad input, 3 not converged, 4 cannot write output,\n"
    "5 out of memory, 6 design targets cannot be met, 130/143 stopped by SIGINT/SIGTERM\n"
    "data files: $REESX_DATA or the build-time models/data directory; PLplot (the report's\n"
    "figures): $REESX_PLPLOT or libplplot.so.17\n"
    "documentation: docs/config.md (plant description), docs/model.md (equations)\n";

typedef struct Command {
    const char *name;
    const char *usage; /* --help, and after a usage error */
    int (*run)(const CliArgs *a);
} Command;

static const Command commands[] = {
    {"run", cli_run_usage, cli_run},
    {"simulate", cli_simulate_usage, cli_simulate},
    {"design", cli_design_usage, cli_design},
    {"cost", cli_cost_usage, cli_cost},
    {"fit", cli_fit_usage, cli_fit},
    {"uncertainty", cli_uncertainty_usage, cli_uncertainty},
    {"report", cli_report_usage, cli_report},
};

int main(int argc, char **argv)
{
    /* Beyond `ulimit -f`, a write fails with EFBIG and reesx exits 4 with
     * the reason, instead of dying by SIGXFSZ. */
    rx_ignore_file_size_signal();
    if (argc < 2) {
        fputs(usage_main, stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("reesx %s\n", RX_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        const Command *c = &commands[i];
        if (strcmp(argv[1], c->name))
            continue;
        CliArgs a = {.cfg = NULL, .outdir = c->run == cli_report ? NULL : ".", .quiet = 0};
        int k = cli_parse_args(c->name, c->usage, argc - 2, argv + 2, &a);
        if (k != 0)
            return k > 0 ? 0 : EXIT_USAGE;
        int status = c->run(&a);
        /* A design that meets no target still wrote its candidates. */
        if (a.report && c->run != cli_report && (status == 0 || status == EXIT_INFEASIBLE)) {
            int rs = cli_report_after(&a);
            status = rs ? rs : status;
        }
        return status;
    }
    fprintf(stderr, "reesx: unknown command '%s'\n%s", argv[1], usage_main);
    return EXIT_USAGE;
}
