/*
 * cli/cli.h - private to cli/: exit statuses, a command's parsed arguments,
 * each command's entry and help text, and the printing they share.
 */
#ifndef RX_CLI_H
#define RX_CLI_H

#include "rx.h"

#define RX_VERSION "0.1.0"
#define EXIT_USAGE 1
#define EXIT_INPUT 2
#define EXIT_CONVERGENCE 3
#define EXIT_OUTPUT 4
#define EXIT_MEMORY 5
#define EXIT_INFEASIBLE 6
/* Stopped by signal S (SIGINT, SIGTERM, SIGHUP): 128 + S, as a shell
 * reports a process that signal ended (130, 143, 129). */
#define EXIT_SIGNAL_BASE 128
#define PERCENT 100.0
#define G_PER_KG 1000.0

/* CONFIG [-o DIR] [-q], as every command takes them. */
typedef struct CliArgs {
    const char *cfg;    /* borrowed from argv */
    const char *outdir; /* "." unless -o */
    int quiet;
    /* reesx-mpi design (mpi/): the search's share of this process; a
     * process other than rank 0 searches with the rest, then writes and
     * prints nothing.  NULL: alone. */
    const struct RxDesignShare *share;
    /* --report, --figures DIR, --element X: report.html of DIR after the
     * command wrote it (cli/report.c). */
    int report;
    const char *figures, *element;
} CliArgs;

/* The report options' lines of every command's --help. */
#define CLI_REPORT_OPTIONS                                                                  \
    "  --report        then write DIR/report.html: the figures and tables of the outputs\n" \
    "                  (docs/report.md)\n"                                                  \
    "  --figures FDIR  with --report, each figure as FDIR/NAME.svg too\n"                   \
    "  --element X     with --report, the McCabe-Thiele diagram's element (default: the\n"  \
    "                  key element of the first product)\n"

/* The commands (cli/<name>.c): each returns the exit status. */
extern const char cli_run_usage[], cli_simulate_usage[], cli_design_usage[], cli_cost_usage[], cli_fit_usage[],
    cli_uncertainty_usage[], cli_report_usage[];
int cli_run(const CliArgs *a);
int cli_simulate(const CliArgs *a);
int cli_design(const CliArgs *a);
int cli_cost(const CliArgs *a);
int cli_fit(const CliArgs *a);
int cli_uncertainty(const CliArgs *a);
/* reesx report DIR (a->cfg is DIR; a->outdir the page, NULL: DIR/report.html). */
int cli_report(const CliArgs *a);
/* After a command with --report: report.html of a->outdir; the exit
 * status (0, or the report's failure, printed). */
int cli_report_after(const CliArgs *a);

/* cli/print.c */
/* Parse a command's arguments: 0 to go on, 1 after printing usage (--help),
 * -1 after printing a usage error. */
int cli_parse_args(const char *cmd, const char *usage, int argc, char **argv, CliArgs *a);
void cli_print_error(const RxError *e);
/* The exit status of a status code (RX_INTERRUPTED: 128 + the signal). */
int cli_exit_for(int code);
/* After a stop signal: "reesx: PATH: interrupted by SIGINT<what>" on
 * stderr (what says what was written, and whether it is partial); returns
 * the exit status, 128 + the signal. */
int cli_interrupted(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* One line: what the plant's constants rest on (literature, fitted,
 * derived, placeholder, given in the config), and whether that makes the
 * results indicative; who: "" or " of circuit NAME". */
void cli_print_constants(const char *who, const RxPlant *p);
/* "reesx VERSION: <kind><path>" and the title when there is one. */
void cli_print_title(const char *kind, const char *path, const char *title);
void cli_print_summary(const RxPlant *p, const RxSolution *s, double seconds);
void cli_print_cost(const RxCostResult *c);
/* What reesx uncertainty prints and writes of a finished run r of p (also
 * reesx-mpi's rank 0, mpi/reesx_mpi.c); the exit status. */
int cli_uncertainty_report(const CliArgs *a, const RxPlant *p, const RxUncResult *r);
/* reesx run (design 0) or design (1) on a flowsheet (fs, freed here):
 * every circuit solved, its specs inside the tear-stream loop; the tear
 * streams, the balance; each circuit's files (with design: its design.cfg,
 * the specs' values as solved) under DIR/<circuit>/. */
int cli_run_flowsheet(const CliArgs *a, RxFlowsheet *fs, int design);
/* The operating window of a solved design (design/window.h). */
void cli_print_window(const RxPlant *p, const RxWindowResult *r);
/* Make dir unless it exists; -1 after printing why it cannot be. */
int cli_make_dir(const char *dir);
/* Make dir and write every file o allows into it; a failure is printed. */
int cli_write_outputs(const RxOutputs *o, const char *dir, RxWritten *w);
/* "wrote DIR/a, b, c" (each_in_dir: "wrote DIR/a, DIR/b, DIR/c"). */
void cli_print_wrote(const char *dir, const RxWritten *w, int each_in_dir);
/* Progress bars on stderr: simulate's time, design's circuits, uncertainty's samples. */
void cli_sim_progress(double t, double horizon, void *ctx);
void cli_design_progress(int done, int total, void *ctx);
void cli_unc_progress(int done, int total, void *ctx);

#endif
