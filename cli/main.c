/*
 * main.c - the reesx command line.  The only part of reesx that prints.
 *
 * Exit status: 0 solved, 1 usage error, 2 bad input (file:line: setting),
 * 3 the solver did not converge, 4 output could not be written.
 */
#include "rx.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RX_VERSION "0.1.0"
#define EXIT_USAGE 1
#define EXIT_INPUT 2
#define EXIT_CONVERGENCE 3
#define EXIT_OUTPUT 4
#define EXIT_MEMORY 5
#define EXIT_INFEASIBLE 6
#define PERCENT 100.0
#define G_PER_KG 1000.0

static const char *const usage_main =
    "usage: reesx COMMAND [options]\n"
    "\n"
    "Design and simulate solvent-extraction cascades for rare-earth separation.\n"
    "\n"
    "commands:\n"
    "  run CONFIG [-o DIR] [-q]       solve the steady state of the circuit (or flowsheet) in CONFIG\n"
    "  simulate CONFIG [-o DIR] [-q]  integrate its dynamics (start-up, scheduled changes)\n"
    "  design CONFIG [-o DIR] [-q]    search stages and flows for its design targets\n"
    "  cost CONFIG [-o DIR] [-q]      capital, operating cost, cost per kg and NPV of its circuit\n"
    "\n"
    "options:\n"
    "  -h, --help      this help; 'reesx run --help' for the command\n"
    "  --version       print the version\n"
    "\n"
    "exit status: 0 ok, 1 usage, 2 bad input, 3 not converged, 4 cannot write output,\n"
    "5 out of memory, 6 design targets cannot be met\n"
    "data files: $REESX_DATA or the build-time models/data directory\n"
    "documentation: docs/config.md (plant description), docs/model.md (equations)\n";

static const char *const usage_run =
    "usage: reesx run CONFIG [-o DIR] [-q]\n"
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
    "  -h, --help      this help\n"
    "\n"
    "outputs (units in every column header; written atomically):\n"
    "  stages.csv      per stage: flows, pH, free extractant, loading, every element\n"
    "                  in the aqueous and the organic [g/L]\n"
    "  streams.csv     every feed and outlet: flow [L/h], pH, composition [g/L]\n"
    "  summary.json    products (purity, recovery), reagents, solver statistics,\n"
    "                  mass-balance closure per element\n"
    "\n"
    "summary printed: each product's flow, composition, purity (%% of REO that is\n"
    "target REO) and recovery of its targets; raffinate pH; acid and base used\n"
    "per kg of product REO; iterations, residual and mass-balance closure.\n"
    "\n"
    "exit status: 0 ok, 2 bad input, 3 not converged (prints the residual and\n"
    "the stage where it is worst), 4 cannot write output\n";

static const char *const usage_simulate =
    "usage: reesx simulate CONFIG [-o DIR] [-q]\n"
    "\n"
    "Integrate the mixer-settler dynamics of the circuit in CONFIG over the\n"
    "horizon of its dynamics group (docs/config.md, docs/dynamics.md): from\n"
    "barren solutions, from the steady state or from a saved state, with the\n"
    "feed changes it schedules.  CVODES BDF with a banded Jacobian.\n"
    "\n"
    "  CONFIG          plant description with a dynamics group and holdups\n"
    "  -o, --output DIR  write the outputs to DIR (default: the current directory)\n"
    "  -q, --quiet     print nothing but errors, and no progress bar\n"
    "  -h, --help      this help\n"
    "\n"
    "outputs (written atomically):\n"
    "  timeseries.csv  every output interval: each product's flow, purity,\n"
    "                  recovery and composition; raffinate pH; watched stages\n"
    "  stages.csv      the stage profile at the end\n"
    "  final.state     the state at the end; initial = \"state\" restarts from it\n"
    "  summary.json    settling times of product purities (1 %% and 0.1 %%),\n"
    "                  inventory balance per element, integrator statistics\n"
    "\n"
    "A progress bar goes to stderr when it is a terminal.\n"
    "exit status: 0 ok, 2 bad input, 3 the integration failed (what was\n"
    "computed up to then is written), 4 cannot write output\n";

static const char *const usage_design =
    "usage: reesx design CONFIG [-o DIR] [-q]\n"
    "\n"
    "Search the stage counts and flows that the design group of CONFIG lets\n"
    "vary for the design that meets every target with the fewest stages (or the\n"
    "least reagent, or the lowest cost: design.objective), one circuit per candidate on\n"
    "design.threads threads (docs/design.md).  Prints the cascade-theory (Xu\n"
    "Guangxian) estimate for the key pair first.\n"
    "\n"
    "  CONFIG          plant description with a design group\n"
    "  -o, --output DIR  write the outputs to DIR (default: the current directory)\n"
    "  -q, --quiet     print nothing but errors, and no progress bar\n"
    "  -h, --help      this help\n"
    "\n"
    "outputs (written atomically):\n"
    "  design.cfg      the chosen design, ready for reesx run (not written when no\n"
    "                  candidate meets the targets)\n"
    "  candidates.csv  every circuit solved: stages, flows, what each target\n"
    "                  reached [%%], reagents [kg per kg REO fed]\n"
    "  pareto.csv      the designs no other beats in stages, reagents and cost\n"
    "\n"
    "A progress bar goes to stderr when it is a terminal.\n"
    "exit status: 0 ok, 2 bad input, 4 cannot write output, 6 no candidate meets\n"
    "every target (the closest each target came is printed)\n";

static const char *const usage_cost =
    "usage: reesx cost CONFIG [-o DIR] [-q]\n"
    "\n"
    "Solve the circuit in CONFIG and cost it (docs/cost.md): mixer-settler\n"
    "equipment from the stage holdups (a cost-capacity relation escalated with\n"
    "the CEPCI), installation (Lang factor), solvent first fill; acid, base,\n"
    "solvent lost by entrainment, mixer power, labour, maintenance and taxes;\n"
    "revenue from oxide prices; cost per kg of product REO and a simple NPV, and\n"
    "how each input moves them at +-20 %%.  Prices and factors come from\n"
    "models/data/costs.tsv (each with its source and year); the config's cost\n"
    "group overrides them.  Every section needs its holdups (mixer, settler).\n"
    "\n"
    "  CONFIG          plant description, or a flowsheet (every circuit costed;\n"
    "                  revenue from the products no circuit takes in)\n"
    "  -o, --output DIR  write cost.json and sensitivity.csv to DIR (default: .)\n"
    "  -q, --quiet     print nothing but errors\n"
    "  -h, --help      this help\n"
    "\n"
    "exit status: 0 ok, 2 bad input (a missing holdup or price is named),\n"
    "3 not converged, 4 cannot write output\n";

static void print_error(const RxError *e)
{
    if (e->where[0])
        fprintf(stderr, "reesx: %s: %s\n", e->where, e->msg);
    else
        fprintf(stderr, "reesx: %s\n", e->msg);
}

static int exit_for(int code)
{
    switch (code) {
    case RX_BAD_INPUT:
        return EXIT_INPUT;
    case RX_NOT_CONVERGED:
    case RX_SINGULAR:
        return EXIT_CONVERGENCE;
    case RX_IO_ERROR:
        return EXIT_OUTPUT;
    case RX_NO_MEMORY:
        return EXIT_MEMORY;
    default:
        return EXIT_INPUT;
    }
}

static void print_summary(const RxPlant *p, const RxSolution *s, double seconds)
{
    printf("reesx %s: %s\n", RX_VERSION, p->path);
    if (p->title[0])
        printf("  %s\n", p->title);
    printf("  model %s", rx_plant_model_name(p));
    if (p->extractant[0])
        printf(", %s %.4g mol/L (monomer), saponification %.1f %% (%s)", p->extractant, p->extractant_conc,
               PERCENT * p->saponification, p->base_name);
    printf("\n  %d stages:", s->N);
    for (int i = 0; i < p->nsections; i++)
        printf(" %s %d-%d%s", p->sections[i].name, p->sections[i].first + 1,
               p->sections[i].first + p->sections[i].count, i + 1 < p->nsections ? "," : "");
    printf("\n\nproducts\n");
    double acid, base;
    rx_reagents(p, &acid, &base);
    const RxElement *hcl = rx_elements_find(p->elements, "HCl");
    const RxElement *bse = rx_elements_find(p->elements, rx_base_formula(p));
    double acid_kg = hcl ? acid * hcl->molar_mass / G_PER_KG : 0, base_kg = bse ? base * bse->molar_mass / G_PER_KG : 0;
    for (int i = 0; i < p->nproducts; i++) {
        RxProductReport r;
        RxStream st;
        if (rx_product_report(p, s, i, &r, NULL) != RX_OK || rx_outlet(p, s, p->products[i].stream, &st) != RX_OK)
            continue;
        printf("  %-24s %s, stage %d, %.4g L/h, %.4g g/h REO\n", p->products[i].name, p->products[i].stream,
               st.stage + 1, r.flow, r.reo);
        printf("    targets");
        for (int t = 0; t < p->products[i].ntargets; t++)
            printf(" %s", rx_plant_element(p, p->products[i].targets[t])->sym);
        printf(": purity %.4f %% of REO, recovery %.4f %%\n", r.purity, r.recovery);
        printf("    composition [g/L]:");
        for (int j = 0; j < p->nsp; j++)
            printf(" %s %.4g", rx_plant_element(p, j)->sym, st.c[j] * rx_plant_element(p, j)->molar_mass);
        printf("\n");
        double per_kg = r.target_reo / G_PER_KG;
        if (per_kg > 0 && isfinite(acid_kg / per_kg) && isfinite(base_kg / per_kg))
            printf("    reagents: %.3g kg HCl and %.3g kg %s per kg target REO\n", acid_kg / per_kg, base_kg / per_kg,
                   rx_base_formula(p));
    }
    if (s->h[0] > 0)
        printf("\nraffinate pH %.3f\n", -log10(s->h[0]));
    printf("reagents fed: %.4g mol/h HCl (%.4g kg/h), %.4g mol/h %s (%.4g kg/h as %s)\n", acid, acid_kg, base,
           p->base_name, base_kg, rx_base_formula(p));
    printf("\nsolver: %d iterations, %d stage-solve iterations, max |ln residual| %.2e, %.3f ms\n", s->iterations,
           s->stage_iterations, s->residual, seconds * 1e3);
    printf("mass balance (in - out)/in:");
    for (int j = 0; j < p->nsp; j++)
        printf(" %s %.1e", rx_plant_element(p, j)->sym, s->closure[j]);
    printf("\n");
}

static void print_cost(const RxCostResult *c)
{
    printf("\ncost (equipment in USD of %d, prices as quoted; models/data/costs.tsv, docs/cost.md)\n", c->year);
    printf("  holdups: mixers %.4g m3, settlers %.4g m3, organic %.4g m3\n", c->mixer_m3, c->settler_m3,
           c->organic_m3);
    printf("  capital: equipment %.4g, total plant %.4g, solvent first fill %.4g, total as spent %.4g USD\n", c->bec,
           c->tpc, c->inventory, c->tasc);
    printf("  operating: acid %.4g, base %.4g, solvent lost %.4g, power %.4g, labour %.4g, maintenance %.4g, "
           "taxes %.4g; total %.4g USD/yr\n",
           c->acid, c->base, c->solvent_loss, c->power, c->labour, c->maintenance, c->taxes, c->opex);
    printf("  products: %.4g kg/yr target REO, revenue %.4g USD/yr\n", c->product_kg, c->revenue);
    for (int i = 0; i < c->nproducts; i++)
        printf("    %-24s %.4g kg/yr, revenue %.4g USD/yr, cost %.4g USD/kg (shared by revenue)\n", c->prod_name[i],
               c->prod_kg[i], c->prod_revenue[i], c->prod_cost_per_kg[i]);
    printf("  cost %.4g USD/kg REO (operating + capital charge %.4g USD/yr); NPV %.4g USD (%.3g %%, %g yr)\n",
           c->cost_per_kg, c->capital_charge, c->npv, PERCENT * c->discount_rate, c->life);
}

static int ensure_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return 0;
        errno = ENOTDIR;
        return -1;
    }
    return mkdir(dir, 0777);
}

/* CONFIG [-o DIR] [-q]: 0 to go on, 1 after printing help, -1 on a usage error. */
static int parse_args(const char *cmd, const char *usage, int argc, char **argv, const char **cfg,
                      const char **outdir, int *quiet)
{
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage, stdout);
            return 1;
        } else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
            *quiet = 1;
        else if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
            if (++i >= argc) {
                fprintf(stderr, "reesx %s: -o needs a directory\n%s", cmd, usage);
                return -1;
            }
            *outdir = argv[i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "reesx %s: unknown option '%s'\n%s", cmd, argv[i], usage);
            return -1;
        } else if (!*cfg)
            *cfg = argv[i];
        else {
            fprintf(stderr, "reesx %s: one CONFIG only ('%s' is extra)\n", cmd, argv[i]);
            return -1;
        }
    }
    if (!*cfg) {
        fprintf(stderr, "reesx %s: missing CONFIG\n%s", cmd, usage);
        return -1;
    }
    return 0;
}

/* Write one solved circuit's three outputs into dir. */
static int write_run_outputs(const RxPlant *p, const RxSolution *s, double seconds, const char *dir, RxError *err)
{
    char path[1024];
    if (ensure_dir(dir) != 0)
        return rx_error_set(err, RX_IO_ERROR, dir, "cannot create output directory: %s", strerror(errno));
    snprintf(path, sizeof path, "%s/stages.csv", dir);
    int rc = rx_write_stages_csv(p, s, path, err);
    if (rc == RX_OK) {
        snprintf(path, sizeof path, "%s/streams.csv", dir);
        rc = rx_write_streams_csv(p, s, path, err);
    }
    if (rc == RX_OK) {
        snprintf(path, sizeof path, "%s/summary.json", dir);
        rc = rx_write_summary_json(p, s, seconds, path, err);
    }
    return rc;
}

/* reesx run on a flowsheet: every circuit, the tear streams, the balance. */
static int run_flowsheet(const char *cfg, const char *outdir, int quiet)
{
    RxError err;
    rx_error_clear(&err);
    RxFlowsheet *fs = NULL;
    RxFlowsheetResult *r = NULL;
    int rc = rx_flowsheet_load(cfg, &fs, &err);
    if (rc == RX_OK)
        rc = rx_flowsheet_solve(fs, &r, &err);
    if (rc != RX_OK) {
        print_error(&err);
        rx_flowsheet_destroy(&fs);
        return exit_for(rc);
    }
    if (!quiet) {
        printf("reesx %s: flowsheet %s\n", RX_VERSION, fs->path);
        if (fs->title[0])
            printf("  %s\n", fs->title);
        printf("  %d circuits, %d connections; %d passes, %.3f s\n", fs->n, fs->nconn, r->iterations, r->seconds);
        for (int c = 0; c < fs->n; c++) {
            printf("\n== circuit %s ==\n", fs->name[c]);
            print_summary(r->plant[c], r->sol[c], r->csec[c]);
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
    for (int c = 0; c < fs->n && rc == RX_OK; c++) {
        char dir[1024];
        snprintf(dir, sizeof dir, "%s/%s", outdir, fs->name[c]);
        if (ensure_dir(outdir) != 0)
            rc = rx_error_set(&err, RX_IO_ERROR, outdir, "cannot create output directory: %s", strerror(errno));
        else
            rc = write_run_outputs(r->plant[c], r->sol[c], r->csec[c], dir, &err);
    }
    if (rc != RX_OK)
        print_error(&err);
    else if (!quiet)
        printf("wrote stages.csv, streams.csv and summary.json of each circuit under %s/\n", outdir);
    rx_flowsheet_result_destroy(&r);
    rx_flowsheet_destroy(&fs);
    return rc == RX_OK ? 0 : exit_for(rc);
}

static int cmd_run(int argc, char **argv)
{
    const char *cfg = NULL, *outdir = ".";
    int quiet = 0, a = parse_args("run", usage_run, argc, argv, &cfg, &outdir, &quiet);
    if (a != 0)
        return a > 0 ? 0 : EXIT_USAGE;
    if (rx_is_flowsheet(cfg))
        return run_flowsheet(cfg, outdir, quiet);
    RxError err;
    rx_error_clear(&err);
    RxPlant *p = NULL;
    RxSolution *s = NULL;
    int rc = rx_plant_load(cfg, &p, &err);
    if (rc != RX_OK) {
        print_error(&err);
        return exit_for(rc);
    }
    double t0 = rx_clock();
    rc = rx_circuit_solve(p, &s, &err);
    double seconds = rx_clock() - t0;
    if (rc != RX_OK) {
        print_error(&err);
        rx_plant_destroy(&p);
        return exit_for(rc);
    }
    if (!quiet)
        print_summary(p, s, seconds);
    if (p->cost.present) {
        RxCostResult c;
        if ((rc = rx_cost(p, s, &c, &err)) != RX_OK) {
            print_error(&err);
            rx_solution_destroy(&s);
            rx_plant_destroy(&p);
            return exit_for(rc);
        }
        if (!quiet)
            print_cost(&c);
    }
    rc = write_run_outputs(p, s, seconds, outdir, &err);
    if (rc != RX_OK && err.msg[0])
        print_error(&err);
    else if (rc == RX_OK && !quiet)
        printf("wrote %s/stages.csv, %s/streams.csv, %s/summary.json\n", outdir, outdir, outdir);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
    return rc == RX_OK ? 0 : exit_for(rc);
}

static void progress_bar(double t, double horizon, void *ctx)
{
    (void)ctx;
    int width = 40, done = (int)(width * t / horizon);
    fprintf(stderr, "\r[%.*s%*s] %5.1f %%  t = %.4g h ", done, "########################################",
            width - done, "", PERCENT * t / horizon, t);
    if (t >= horizon)
        fputs("\n", stderr);
}

static void print_sim_summary(const RxPlant *p, const RxSimResult *r)
{
    printf("reesx %s: %s\n", RX_VERSION, p->path);
    if (p->title[0])
        printf("  %s\n", p->title);
    printf("  dynamics: %.4g h %s, %d events, %d output rows\n\n", r->t_end,
           p->dynamics.initial == RX_START_BARREN   ? "from barren solutions"
           : p->dynamics.initial == RX_START_STEADY ? "from the steady state"
                                                    : "from a saved state",
           p->dynamics.nevents, r->nrows);
    const double *last = r->rows + (size_t)(r->nrows - 1) * (size_t)r->ncols;
    printf("products at t = %.4g h\n", r->t_end);
    for (int i = 0; i < p->nproducts; i++) {
        int col = 1 + i * (3 + p->nsp);
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

static int cmd_simulate(int argc, char **argv)
{
    const char *cfg = NULL, *outdir = ".";
    int quiet = 0, a = parse_args("simulate", usage_simulate, argc, argv, &cfg, &outdir, &quiet);
    if (a != 0)
        return a > 0 ? 0 : EXIT_USAGE;
    RxError err;
    rx_error_clear(&err);
    RxPlant *p = NULL;
    RxSimResult *r = NULL;
    int rc = rx_plant_load(cfg, &p, &err);
    if (rc != RX_OK) {
        print_error(&err);
        return exit_for(rc);
    }
    int bar = !quiet && isatty(STDERR_FILENO);
    rc = rx_simulate(p, bar ? progress_bar : NULL, NULL, &r, &err);
    if (bar)
        fputs("\n", stderr);
    int solve_rc = rc;
    if (rc != RX_OK)
        print_error(&err);
    if (!r) {
        rx_plant_destroy(&p);
        return exit_for(rc);
    }
    if (rc == RX_OK && !quiet)
        print_sim_summary(p, r);
    /* On a failed integration, write what was computed up to then. */
    rx_error_clear(&err);
    rc = ensure_dir(outdir) == 0 ? RX_OK : RX_IO_ERROR;
    if (rc != RX_OK)
        fprintf(stderr, "reesx: %s: cannot create output directory: %s\n", outdir, strerror(errno));
    char path[1024];
    if (rc == RX_OK) {
        snprintf(path, sizeof path, "%s/timeseries.csv", outdir);
        rc = rx_write_timeseries_csv(r, path, &err);
    }
    if (rc == RX_OK && r->final) {
        snprintf(path, sizeof path, "%s/stages.csv", outdir);
        rc = rx_write_stages_csv(p, r->final, path, &err);
    }
    if (rc == RX_OK) {
        snprintf(path, sizeof path, "%s/final.state", outdir);
        rc = rx_write_state(p, r, path, &err);
    }
    if (rc == RX_OK) {
        snprintf(path, sizeof path, "%s/summary.json", outdir);
        rc = rx_write_sim_summary_json(p, r, path, &err);
    }
    if (rc != RX_OK && err.msg[0])
        print_error(&err);
    else if (rc == RX_OK && !quiet)
        printf("wrote %s/timeseries.csv, stages.csv, final.state, summary.json\n", outdir);
    rx_sim_result_destroy(&r);
    rx_plant_destroy(&p);
    if (solve_rc != RX_OK)
        return exit_for(solve_rc);
    return rc == RX_OK ? 0 : exit_for(rc);
}

static int cmd_cost(int argc, char **argv)
{
    const char *cfg = NULL, *outdir = ".";
    int quiet = 0, a = parse_args("cost", usage_cost, argc, argv, &cfg, &outdir, &quiet);
    if (a != 0)
        return a > 0 ? 0 : EXIT_USAGE;
    RxError err;
    rx_error_clear(&err);
    RxPlant *p = NULL;
    RxSolution *s = NULL;
    RxFlowsheet *fs = NULL;
    RxFlowsheetResult *fr = NULL;
    RxCostResult c;
    int rc;
    if (rx_is_flowsheet(cfg)) { /* the whole refinery: every circuit, the final products */
        rc = rx_flowsheet_load(cfg, &fs, &err);
        if (rc == RX_OK)
            rc = rx_flowsheet_solve(fs, &fr, &err);
        if (rc == RX_OK)
            rc = rx_cost_flowsheet(fs, fr, &c, &err);
    } else {
        rc = rx_plant_load(cfg, &p, &err);
        if (rc == RX_OK)
            rc = rx_circuit_solve(p, &s, &err);
        if (rc == RX_OK)
            rc = rx_cost(p, s, &c, &err);
    }
    if (rc != RX_OK) {
        print_error(&err);
        rx_solution_destroy(&s);
        rx_plant_destroy(&p);
        rx_flowsheet_result_destroy(&fr);
        rx_flowsheet_destroy(&fs);
        return exit_for(rc);
    }
    if (!quiet) {
        printf("reesx %s: %s%s\n", RX_VERSION, fs ? "flowsheet " : "", fs ? fs->path : p->path);
        const char *title = fs ? fs->title : p->title;
        if (title[0])
            printf("  %s\n", title);
        print_cost(&c);
        printf("  sensitivity (each input -20 %% / +20 %%), largest swing first:\n");
        /* swing: change of the cost per kg relative to it, plus the change
         * of the NPV relative to the capital */
        int order[RX_MAX_SENSITIVITY];
        double swing[RX_MAX_SENSITIVITY];
        for (int i = 0; i < c.nsens; i++) {
            const RxSensitivity *t = &c.sens[i];
            swing[i] = fabs(t->cost_hi - t->cost_lo) / c.cost_per_kg + fabs(t->npv_hi - t->npv_lo) / c.tasc;
            int k = i;
            for (; k > 0 && swing[order[k - 1]] < swing[i]; k--)
                order[k] = order[k - 1];
            order[k] = i;
        }
        for (int i = 0; i < c.nsens; i++) {
            const RxSensitivity *t = &c.sens[order[i]];
            printf("    %-22s cost %9.4g / %-9.4g USD/kg   NPV %11.4g / %-11.4g USD\n", t->input, t->cost_lo,
                   t->cost_hi, t->npv_lo, t->npv_hi);
        }
    }
    char path[1024];
    if (ensure_dir(outdir) != 0) {
        fprintf(stderr, "reesx: %s: cannot create output directory: %s\n", outdir, strerror(errno));
        rc = RX_IO_ERROR;
    }
    if (rc == RX_OK) {
        snprintf(path, sizeof path, "%s/cost.json", outdir);
        rc = rx_write_cost_json(p, fs ? fs->path : NULL, &c, path, &err);
    }
    if (rc == RX_OK) {
        snprintf(path, sizeof path, "%s/sensitivity.csv", outdir);
        rc = rx_write_sensitivity_csv(&c, path, &err);
    }
    if (rc != RX_OK && err.msg[0])
        print_error(&err);
    else if (rc == RX_OK && !quiet)
        printf("wrote %s/cost.json, %s/sensitivity.csv\n", outdir, outdir);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
    rx_flowsheet_result_destroy(&fr);
    rx_flowsheet_destroy(&fs);
    return rc == RX_OK ? 0 : exit_for(rc);
}

static void design_bar(int done, int total, void *ctx)
{
    (void)ctx;
    int width = 40, fill = total > 0 ? (int)((double)width * done / total) : 0;
    fprintf(stderr, "\r[%.*s%*s] %d circuits ", fill, "########################################", width - fill, "",
            done);
}

static void print_design(const RxPlant *p, const RxDesignResult *r)
{
    const RxDesignSpec *d = &p->design;
    if (r->best >= 0) {
        const RxCandidate *c = &r->cand[r->best];
        printf("chosen design (%s):\n ", d->objective == RX_OBJECTIVE_STAGES     ? "fewest stages"
                                          : d->objective == RX_OBJECTIVE_REAGENTS ? "least reagent"
                                                                                  : "lowest cost per kg REO");
        for (int k = 0; k < d->nstage_vars; k++)
            printf(" %s %d,", p->sections[d->stage_vars[k].section].name, c->stages[k]);
        printf(" %d stages in all\n", c->total_stages);
        for (int k = 0; k < d->nflow_vars; k++)
            printf("  %s %.6g L/h\n", p->feeds[d->flow_vars[k].feed].name, c->flows[k]);
        for (int t = 0; t < d->ntargets; t++)
            printf("  %-48s reached %.5g %%\n", d->targets[t].label, PERCENT * c->achieved[t]);
        printf("  reagents %.4g kg HCl + base per kg REO fed\n", c->reagents);
        if (isfinite(c->cost))
            printf("  cost %.4g USD per kg product REO (docs/cost.md)\n", c->cost);
        printf("Pareto front (stages, reagents%s): %d designs\n", isfinite(c->cost) ? ", cost" : "", r->npareto);
    } else {
        printf("no candidate meets every target.\n");
        int alone = 1;
        for (int t = 0; t < d->ntargets; t++) {
            const RxTarget *tg = &d->targets[t];
            double b = r->best_achieved[t];
            int met = isfinite(b) && (tg->kind == RX_TARGET_MAX_SHARE ? b <= tg->value : b >= tg->value);
            if (!met) {
                alone = 0;
                if (isfinite(b))
                    printf("  cannot be met: %s; best reachable %.5g %%\n", tg->label, PERCENT * b);
                else
                    printf("  cannot be met: %s; no candidate solved\n", tg->label);
            }
        }
        if (alone)
            printf("  each target is met by some candidate, but none meets them together\n");
        if (r->first_failure.code != RX_OK)
            printf("  some candidates did not solve; the first: %s\n", r->first_failure.msg);
    }
    printf("%d circuits solved in %.3g s (%.3g per second)\n", r->n, r->seconds,
           r->seconds > 0 ? r->n / r->seconds : 0.0);
}

static int cmd_design(int argc, char **argv)
{
    const char *cfg = NULL, *outdir = ".";
    int quiet = 0, a = parse_args("design", usage_design, argc, argv, &cfg, &outdir, &quiet);
    if (a != 0)
        return a > 0 ? 0 : EXIT_USAGE;
    RxError err;
    rx_error_clear(&err);
    RxPlant *p = NULL;
    RxDesignResult *r = NULL;
    int rc = rx_plant_load(cfg, &p, &err);
    if (rc != RX_OK) {
        print_error(&err);
        return exit_for(rc);
    }
    if (!quiet && p->design.present) {
        printf("reesx %s: %s\n", RX_VERSION, p->path);
        if (p->title[0])
            printf("  %s\n", p->title);
    }
    int bar = !quiet && isatty(STDERR_FILENO);
    rc = rx_design(p, bar ? design_bar : NULL, NULL, &r, &err);
    if (bar)
        fputs("\n", stderr);
    if (rc != RX_OK) {
        print_error(&err);
        rx_plant_destroy(&p);
        return exit_for(rc);
    }
    if (!quiet && r->have_theory) {
        const RxXuDesign *t = &r->theory;
        printf("cascade theory (Xu Guangxian), key pair %s/%s: beta %.4g, f_A %.4g, %s-controlled\n",
               rx_plant_element(p, r->key_a)->sym, rx_plant_element(p, r->key_b)->sym, t->beta, t->fA,
               t->scrub_controlled ? "scrub" : "extraction");
        printf("  E_M %.4g, E'_M %.4g; extraction stages %.1f, scrub stages %.1f (total reflux: %.1f + %.1f)\n",
               t->EM, t->EMs, t->n, t->m, t->nmin, t->mmin);
    }
    if (!quiet) {
        const RxDesignSpec *d = &p->design;
        printf("searched:");
        for (int k = 0; k < d->nstage_vars; k++)
            printf(" %s %d-%d stages;", p->sections[r->ranges[k].section].name, r->ranges[k].min, r->ranges[k].max);
        for (int k = 0; k < d->nflow_vars; k++)
            printf(" %s %.6g-%.6g L/h in %d steps;", p->feeds[d->flow_vars[k].feed].name, d->flow_vars[k].min,
                   d->flow_vars[k].max, d->flow_vars[k].steps);
        printf(" %d threads%s\n", d->threads,
               d->stages_default && r->have_theory ? " (stage ranges from the plant and cascade theory)" : "");
    }
    if (!quiet)
        print_design(p, r);
    rx_error_clear(&err);
    char path[1024];
    if (ensure_dir(outdir) != 0) {
        fprintf(stderr, "reesx: %s: cannot create output directory: %s\n", outdir, strerror(errno));
        rc = RX_IO_ERROR;
    }
    if (rc == RX_OK) {
        snprintf(path, sizeof path, "%s/candidates.csv", outdir);
        rc = rx_write_candidates_csv(p, r, 0, path, &err);
    }
    if (rc == RX_OK) {
        snprintf(path, sizeof path, "%s/pareto.csv", outdir);
        rc = rx_write_candidates_csv(p, r, 1, path, &err);
    }
    if (rc == RX_OK && r->best >= 0) {
        char *text = NULL;
        rc = rx_design_variant(p, &r->cand[r->best], &text, &err);
        if (rc == RX_OK) {
            size_t n = strlen(text) + 512;
            char *full = malloc(n);
            if (!full)
                rc = rx_error_set(&err, RX_NO_MEMORY, NULL, "out of memory");
            else {
                snprintf(full, n, "# Written by reesx design from %s: the candidate that meets every\n"
                                  "# target with the %s (see candidates.csv).\n%s",
                         p->path,
                         p->design.objective == RX_OBJECTIVE_STAGES     ? "fewest stages"
                         : p->design.objective == RX_OBJECTIVE_REAGENTS ? "least reagent"
                                                                        : "lowest cost per kg REO",
                         text);
                snprintf(path, sizeof path, "%s/design.cfg", outdir);
                rc = rx_write_text(full, path, &err);
                free(full);
            }
        }
        free(text);
    }
    if (rc != RX_OK && err.msg[0])
        print_error(&err);
    else if (rc == RX_OK && !quiet)
        printf("wrote %s/%scandidates.csv, pareto.csv\n", outdir, r->best >= 0 ? "design.cfg, " : "");
    int best = r->best;
    rx_design_result_destroy(&r);
    rx_plant_destroy(&p);
    if (rc != RX_OK)
        return exit_for(rc);
    return best >= 0 ? 0 : EXIT_INFEASIBLE;
}

int main(int argc, char **argv)
{
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
    if (!strcmp(argv[1], "run"))
        return cmd_run(argc - 2, argv + 2);
    if (!strcmp(argv[1], "simulate"))
        return cmd_simulate(argc - 2, argv + 2);
    if (!strcmp(argv[1], "design"))
        return cmd_design(argc - 2, argv + 2);
    if (!strcmp(argv[1], "cost"))
        return cmd_cost(argc - 2, argv + 2);
    fprintf(stderr, "reesx: unknown command '%s'\n%s", argv[1], usage_main);
    return EXIT_USAGE;
}
