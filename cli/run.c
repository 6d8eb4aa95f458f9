/*
 * cli/run.c - reesx run: the steady state of a circuit (and its cost when
 * it has a cost group), or of every circuit of a flowsheet.
 */
#include "cli/cli.h"

#include "config/config.h"
#include "design/plantwide.h"
#include "design/targets.h"
#include "design/window.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cli_run_usage[] =
    "usage: reesx run CONFIG [-o DIR] [-q] [--report [--figures FDIR] [--element X]]\n"
    "\n"
    "Solve the steady state of the counter-current circuit described in CONFIG\n"
    "(libconfig, schema v1, see docs/config.md) and report each product; with a\n"
    "cost group, its cost too.  A flowsheet file (docs/flowsheet.md) solves every\n"
    "circuit, converges the streams joining them and writes each circuit's\n"
    "outputs to DIR/<circuit>/.\n"
    "\n"
    "  CONFIG          plant or flowsheet description, e.g. configs/default.cfg\n"
    "  -o, --output DIR  write stages.csv, streams.csv and summary.json to DIR\n"
    "                  (created if missing; default: the current directory)\n"
    "  -q, --quiet     print nothing but errors\n"
    CLI_REPORT_OPTIONS
    "  -h, --help      this help\n"
    "\n"
    "outputs (units in every column header; written atomically):\n"
    "  stages.csv      per stage: flows, pH, free extractant, loading, every element\n"
    "                  in the aqueous and the organic [g/L]\n"
    "  streams.csv     every feed and outlet: flow [L/h], pH, composition [g/L]\n"
    "  summary.json    products (purity, recovery), reagents, solver statistics,\n"
    "                  mass-balance closure per element\n"
    "  specs.csv       with design.specs: each spec as solved (docs/design.md)\n"
    "  window.csv      with design.specs or design.window: the operating window\n"
    "\n"
    "summary printed: each product's flow, composition, purity (% of REO that is\n"
    "target REO) and recovery of its targets; raffinate pH; acid and base used\n"
    "per kg of product REO; iterations, residual and mass-balance closure.\n"
    "\n"
    "exit status: 0 ok, 2 bad input, 3 not converged (prints the residual and\n"
    "the stage where it is worst), 4 cannot write output, 6 the design specs\n"
    "cannot be met (the closest value is printed)\n";

static void print_flowsheet(const RxFlowsheet *fs, const RxFlowsheetResult *r)
{
    cli_print_title("flowsheet ", fs->path, fs->title);
    printf("  %d circuits, %d connections; %d passes, %.3f s\n", fs->n, fs->nconn, r->iterations, r->seconds);
    for (int c = 0; c < fs->n; c++) {
        printf("\n== circuit %s ==\n", fs->name[c]);
        cli_print_summary(r->plant[c], r->sol[c], r->csec[c]);
        const RxPlant *q = r->plant[c];
        for (int k = 0; k < q->design.nspecs; k++) { /* solved inside the tear-stream loop */
            char x[64];
            rx_spec_format(&q->design.specs[k], rx_spec_value(q, k), x, sizeof x);
            printf("design spec: %s %s -> %s: reached %.8g %s\n", q->design.specs[k].label, x,
                   q->design.specs[k].target.label, rx_target_shown(&q->design.specs[k].target,
                                                                  rx_target_value(q, r->sol[c], &q->design.specs[k].target)),
                   rx_target_unit(&q->design.specs[k].target));
        }
    }
    printf("\ntear streams (relative change in the last pass):\n");
    for (int k = 0; k < fs->nconn; k++) {
        const RxConnection *kc = &fs->conn[k];
        printf("  %s:%s -> %s:%s  %.2e", fs->name[kc->from_c], kc->from, fs->name[kc->to_c],
               fs->plant[kc->to_c]->feeds[kc->to_feed].name, r->change[k]);
        if (kc->phase == RX_ORG)
            printf("  (fresh organic make-up %.4g L/h)", r->makeup[k]);
        printf("\n");
    }
    printf("flowsheet balance (in - out)/in:");
    for (int e = 0; e < r->nel; e++)
        printf(" %s %.1e", r->sym[e], r->closure[e]);
    printf("\n");
}

/* Circuit c's design.cfg as the loop solved it: its file (fs, as loaded)
 * with the stages and flows its search chose (dr; NULL: not searched) and
 * its specs' values as the loop solved them (r); NULL and RX_OK when it
 * was neither searched nor has specs. */
static int circuit_variant(const RxFlowsheet *fs, const RxFlowsheetResult *r, const RxDesignResult *dr, int c,
                           char **text, RxError *err)
{
    const RxPlant *q = r->plant[c];
    double x[RX_MAX_DESIGN_VARS];
    *text = NULL;
    if (q->design.nspecs == 0 && !dr)
        return RX_OK;
    for (int k = 0; k < q->design.nspecs; k++)
        x[k] = rx_spec_value(q, k);
    char *body = NULL;
    int rc;
    if (dr) {
        RxCandidate chosen = dr->cand[dr->best];
        memcpy(chosen.spec_x, x, sizeof chosen.spec_x);
        rc = rx_design_variant(fs->plant[c], &chosen, &body, err);
    } else
        rc = rx_plant_variant(fs->plant[c], 0, NULL, NULL, 0, NULL, x, &body, err);
    if (rc == RX_OK) {
        const char *head = "# Written by reesx design: circuit %s of %s as designed inside the\n"
                           "# flowsheet's tear-stream loop (the feeds its connections bring are the file's own).\n";
        size_t n = strlen(body) + strlen(head) + strlen(fs->name[c]) + strlen(fs->path) + 1;
        if (!(*text = malloc(n)))
            rc = rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
        else {
            int len = snprintf(*text, n, head, fs->name[c], fs->path);
            snprintf(*text + len, n - (size_t)len, "%s", body);
        }
    }
    free(body);
    return rc;
}

/* Each circuit's files into DIR/<circuit>/ (design: with its design.cfg);
 * w: what the last one got. */
static int write_circuits(const RxFlowsheet *fs, const RxFlowsheetResult *r, const RxPlantwide *pw, int design,
                          const char *outdir, RxWritten *w)
{
    int rc = RX_OK;
    for (int c = 0; c < fs->n && rc == RX_OK; c++) {
        char dir[1024], *text = NULL;
        RxError err;
        snprintf(dir, sizeof dir, "%s/%s", outdir, fs->name[c]);
        if (design && (rc = circuit_variant(fs, r, pw ? pw->design[c] : NULL, c, &text, &err)) != RX_OK) {
            cli_print_error(&err);
            break;
        }
        RxOutputs o = {.plant = r->plant[c], .solution = r->sol[c], .seconds = r->csec[c], .variant = text};
        rc = cli_make_dir(outdir) != 0 ? RX_IO_ERROR : cli_write_outputs(&o, dir, w);
        free(text);
    }
    return rc;
}

/* "wrote a, b and c of each circuit under DIR/" */
static void print_wrote_circuits(const char *outdir, const RxWritten *w)
{
    printf("wrote ");
    for (int i = 0; i < w->n; i++)
        printf("%s%s", i == 0 ? "" : i + 1 < w->n ? ", " : " and ", w->name[i]);
    printf(" of each circuit under %s/\n", outdir);
}

/* What each searched circuit's search chose, as the flowsheet fed it. */
static void print_plantwide(const RxPlantwide *w)
{
    printf("\nflowsheet design: %d passes of search and flowsheet solve%s\n", w->passes,
           w->settled ? ", settled" : " (the limit: the last pass still moved a choice)");
    for (int c = 0; c < w->fs.n; c++) {
        const RxDesignResult *r = w->design[c];
        if (!r)
            continue;
        const RxPlant *p = w->fs.plant[c];
        const RxCandidate *k = &r->cand[r->best];
        printf("  %s: %d circuits searched;", w->fs.name[c], r->n);
        for (int v = 0; v < p->design.nstage_vars; v++)
            printf(" %s %d", p->sections[p->design.stage_vars[v].section].name, k->stages[v]);
        for (int v = 0; v < p->design.nflow_vars; v++)
            printf(", %s %.6g L/h", p->feeds[p->design.flow_vars[v].feed].name, k->flows[v]);
        printf("\n");
    }
}

int cli_run_flowsheet(const CliArgs *a, RxFlowsheet *fs, int design)
{
    RxError err;
    rx_error_clear(&err);
    RxFlowsheetResult *r = NULL;
    RxPlantwide pw;
    int plantwide = 0;
    for (int c = 0; design && c < fs->n; c++)
        plantwide |= rx_plantwide_searches(fs, c);
    int rc = plantwide ? rx_plantwide_design(fs, a->share, &pw, &err) : rx_flowsheet_spec_solve(fs, &r, &err);
    if (a->share && a->share->rank > 0) { /* rank 0 reports */
        if (rc == RX_OK && plantwide)
            rx_plantwide_free(&pw);
        else
            rx_flowsheet_result_destroy(&r);
        rx_flowsheet_destroy(&fs);
        return 0;
    }
    if (rc != RX_OK) {
        cli_print_error(&err);
        rx_flowsheet_destroy(&fs);
        return cli_exit_for(rc);
    }
    const RxFlowsheet *shown = plantwide ? &pw.fs : fs;
    if (plantwide)
        r = pw.solved;
    if (!a->quiet) {
        print_flowsheet(shown, r);
        if (plantwide)
            print_plantwide(&pw);
    }
    RxWritten w;
    rc = write_circuits(fs, r, plantwide ? &pw : NULL, design, a->outdir, &w);
    if (rc == RX_OK && !a->quiet)
        print_wrote_circuits(a->outdir, &w);
    if (plantwide)
        rx_plantwide_free(&pw);
    else
        rx_flowsheet_result_destroy(&r);
    rx_flowsheet_destroy(&fs);
    return rc == RX_OK ? 0 : cli_exit_for(rc);
}

/* The specs as solved: each variable, its target and what it reached. */
static void print_specs(const RxPlant *p, const RxSpecResult *r, double seconds)
{
    printf("\ndesign specs: %d solved in %d iterations, %d circuits (%d Newton iterations), %.3f ms\n", r->n,
           r->iterations, r->solves, r->newton, 1e3 * seconds);
    for (int k = 0; k < r->n; k++) {
        const RxSpec *sp = &p->design.specs[k];
        char x[64], lo[64], hi[64];
        rx_spec_format(sp, r->x[k], x, sizeof x);
        rx_spec_format(sp, sp->min, lo, sizeof lo);
        rx_spec_format(sp, sp->max, hi, sizeof hi);
        printf("  %-30s %-14s (range %s to %s) -> %s: reached %.8g %s\n", sp->label, x, lo, hi, sp->target.label,
               rx_target_shown(&sp->target, r->achieved[k]), rx_target_unit(&sp->target));
    }
}

/* One circuit: solve (its design specs first, when it has any), print,
 * cost when it has a cost group, write. */
static int run_circuit(const CliArgs *a, RxPlant *p, RxError *err)
{
    RxSolution *s = NULL;
    RxSpecResult spec = {0};
    const RxPlant *solved = p;
    double t0 = rx_clock();
    int rc = p->design.nspecs > 0 ? rx_spec_solve(p, NULL, &spec, err) : rx_circuit_solve(p, &s, err);
    double seconds = rx_clock() - t0;
    if (rc != RX_OK) {
        cli_print_error(err);
        return cli_exit_for(rc);
    }
    if (p->design.nspecs > 0) {
        solved = spec.plant;
        s = spec.sol;
    }
    if (!a->quiet)
        cli_print_summary(solved, s, seconds);
    if (!a->quiet && p->design.nspecs > 0)
        print_specs(p, &spec, seconds);
    RxWindowResult window;
    /* The window costs a hundred circuits or so: only when the design
     * group asks for it (design.window) or solves specs. */
    int windowed = (p->design.nwindows > 0 || p->design.nspecs > 0) && rx_window(solved, s, &window, err) == RX_OK;
    if (!a->quiet && windowed)
        cli_print_window(solved, &window);
    if (solved->cost.present) {
        RxCostResult c;
        rc = rx_cost(solved, s, &c, err);
        if (rc != RX_OK)
            cli_print_error(err);
        else if (!a->quiet)
            cli_print_cost(&c);
    }
    if (rc == RX_OK) { /* the files are the steady state's: run writes no cost.json */
        RxOutputs o = {.plant = solved,
                       .solution = s,
                       .seconds = seconds,
                       .specs = p->design.nspecs > 0 ? &spec : NULL,
                       .window = windowed ? &window : NULL};
        RxWritten w;
        rc = cli_write_outputs(&o, a->outdir, &w);
        if (rc == RX_OK && !a->quiet)
            cli_print_wrote(a->outdir, &w, 1);
    }
    if (p->design.nspecs > 0)
        rx_spec_result_free(&spec);
    else
        rx_solution_destroy(&s);
    return rc == RX_OK ? 0 : cli_exit_for(rc);
}

int cli_run(const CliArgs *a)
{
    RxError err;
    rx_error_clear(&err);
    RxPlant *p = NULL;
    RxFlowsheet *fs = NULL;
    int rc = rx_load(a->cfg, &p, &fs, &err); /* read once: CONFIG may be a pipe */
    if (rc != RX_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    if (fs)
        return cli_run_flowsheet(a, fs, 0);
    int status = run_circuit(a, p, &err);
    rx_plant_destroy(&p);
    return status;
}
