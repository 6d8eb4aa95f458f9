/*
 * cli/design.c - reesx design: the cascade-theory estimate, then the search
 * over stage counts and flows for the design that meets every target.
 */
#include "cli/cli.h"

#include "core/interrupt.h"
#include "design/targets.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const char cli_design_usage[] =
    "usage: reesx design CONFIG [-o DIR] [-q] [--report [--figures FDIR] [--element X]]\n"
    "\n"
    "Search the stage counts and flows that the design group of CONFIG lets\n"
    "vary for the design that meets every target with the fewest stages (or the\n"
    "least reagent, or the lowest cost: design.objective), one circuit per candidate on\n"
    "design.threads threads (docs/design.md).  Prints the cascade-theory (Xu\n"
    "Guangxian) estimate for the key pair first.  design.specs are solved for\n"
    "every candidate; the chosen design's operating window is printed.  On a\n"
    "flowsheet, each circuit with design.stages is searched as the flowsheet\n"
    "feeds it, in passes until the choices settle, every circuit's specs solved\n"
    "inside the tear-stream loop; DIR/<circuit>/design.cfg has each circuit as\n"
    "designed (docs/flowsheet.md).\n"
    "\n"
    "  CONFIG          plant description with a design group, or a flowsheet\n"
    "  -o, --output DIR  write the outputs to DIR (default: the current directory)\n"
    "  -q, --quiet     print nothing but errors, and no progress bar\n"
    CLI_REPORT_OPTIONS
    "  -h, --help      this help\n"
    "\n"
    "outputs (written atomically):\n"
    "  design.cfg      the chosen design, ready for reesx run (not written when no\n"
    "                  candidate meets the targets)\n"
    "  candidates.csv  every circuit solved: stages, flows, what each target\n"
    "                  reached [%], reagents [kg per kg REO fed]\n"
    "  pareto.csv      the designs no other beats in stages, reagents and cost\n"
    "  window.csv      the chosen design's operating window\n"
    "\n"
    "A progress bar goes to stderr when it is a terminal.  SIGINT or SIGTERM\n"
    "stops the search before its next circuit: the candidates solved are\n"
    "written (design.cfg, if one meets the targets, opens with \"# PARTIAL\").\n"
    "exit status: 0 ok, 2 bad input, 4 cannot write output, 6 no candidate meets\n"
    "every target (the closest each target came is printed; stderr says which\n"
    "cannot be met, also with -q), 130/143 stopped by SIGINT/SIGTERM\n";

/* The cascade-theory estimate and the ranges searched. */
static void print_search(const RxPlant *p, const RxDesignResult *r)
{
    const RxDesignSpec *d = &p->design;
    if (r->have_theory) {
        const RxXuDesign *t = &r->theory;
        printf("cascade theory (Xu Guangxian), key pair %s/%s: beta %.4g, f_A %.4g, %s-controlled\n",
               rx_plant_element(p, r->key_a)->sym, rx_plant_element(p, r->key_b)->sym, t->beta, t->fA,
               t->scrub_controlled ? "scrub" : "extraction");
        printf("  E_M %.4g, E'_M %.4g; extraction stages %.1f, scrub stages %.1f (total reflux: %.1f + %.1f)\n",
               t->EM, t->EMs, t->n, t->m, t->nmin, t->mmin);
    }
    printf("searched:");
    for (int k = 0; k < d->nstage_vars; k++)
        printf(" %s %d-%d stages;", p->sections[r->ranges[k].section].name, r->ranges[k].min, r->ranges[k].max);
    for (int k = 0; k < d->nflow_vars; k++)
        printf(" %s %.6g-%.6g L/h in %d steps;", p->feeds[d->flow_vars[k].feed].name, d->flow_vars[k].min,
               d->flow_vars[k].max, d->flow_vars[k].steps);
    printf(" %d threads%s\n", d->threads,
           d->stages_default && r->have_theory ? " (stage ranges from the plant and cascade theory)" : "");
}

static void print_chosen(const RxPlant *p, const RxDesignResult *r)
{
    const RxDesignSpec *d = &p->design;
    const RxCandidate *c = &r->cand[r->best];
    printf("chosen design (%s):\n ", rx_objective_name(d->objective));
    for (int k = 0; k < d->nstage_vars; k++)
        printf(" %s %d,", p->sections[d->stage_vars[k].section].name, c->stages[k]);
    printf(" %d stages in all\n", c->total_stages);
    for (int k = 0; k < d->nflow_vars; k++)
        printf("  %s %.6g L/h\n", p->feeds[d->flow_vars[k].feed].name, c->flows[k]);
    for (int k = 0; k < d->nwindows; k++)
        if (d->windows[k].at_least > 0) /* a required window (the rest: below, for the choice) */
            printf("  %s flow run at %.6g L/h: window +-%.4g %% (needs +-%.4g %%)\n", p->feeds[d->windows[k].feed].name,
                   c->window_x[k], PERCENT * c->window[k], PERCENT * d->windows[k].at_least);
    for (int k = 0; k < d->nspecs; k++) {
        char x[64];
        rx_spec_format(&d->specs[k], c->spec_x[k], x, sizeof x);
        printf("  %s %s (spec: %s)\n", d->specs[k].label, x, d->specs[k].target.label);
    }
    for (int t = 0; t < d->ntargets; t++)
        printf("  %-48s reached %.5g %s\n", d->targets[t].label, rx_target_shown(&d->targets[t], c->achieved[t]),
               rx_target_unit(&d->targets[t]));
    printf("  reagents %.4g kg HCl + base per kg REO fed\n", c->reagents);
    if (isfinite(c->cost))
        printf("  cost %.4g USD per kg product REO (docs/cost.md)\n", c->cost);
    printf("Pareto front (stages, reagents%s): %d designs\n", isfinite(c->cost) ? ", cost" : "", r->npareto);
}

/* design.probability: each candidate tried, best first, and its probability. */
static void print_robust(const RxPlant *p, const RxDesignResult *r)
{
    const RxDesignSpec *d = &p->design;
    printf("probability of meeting every target (uncertainty group, %d samples each), needed %.4g %%:\n",
           p->uncertainty.samples, PERCENT * d->probability);
    for (int k = 0; k < r->robust_tried; k++) {
        const RxCandidate *c = &r->cand[r->robust_index[k]];
        printf("  candidate %d:", r->robust_index[k] + 1);
        for (int v = 0; v < d->nstage_vars; v++)
            printf(" %s %d", p->sections[d->stage_vars[v].section].name, c->stages[v]);
        printf(": %.4g %% +- %.2g %%%s\n", PERCENT * r->robust_p[k], PERCENT * r->robust_se[k],
               r->robust_index[k] == r->best ? " (chosen)" : "");
    }
    if (r->best < 0)
        printf("  not even the last of the candidates that meet them is that likely\n");
}

/* No candidate met every target: which cannot be met and how close they came. */
static void print_unmet(const RxPlant *p, const RxDesignResult *r)
{
    const RxDesignSpec *d = &p->design;
    printf("no candidate meets every target.\n");
    int alone = 1;
    for (int t = 0; t < d->ntargets; t++) {
        const RxTarget *tg = &d->targets[t];
        double b = r->best_achieved[t];
        if (!rx_target_met(tg, b)) {
            alone = 0;
            if (isfinite(b))
                printf("  cannot be met: %s; best reachable %.5g %s\n", tg->label, rx_target_shown(tg, b), rx_target_unit(tg));
            else
                printf("  cannot be met: %s; no candidate solved\n", tg->label);
        }
    }
    for (int k = 0; k < d->nwindows; k++) {
        const RxWindowNeed *wn = &d->windows[k];
        double b = r->best_window[k];
        if (!(wn->at_least > 0) || (isfinite(b) && b >= wn->at_least))
            continue;
        alone = 0;
        if (isfinite(b))
            printf("  window of %s flow: needs +-%.4g %%, widest +-%.4g %% where the targets held\n",
                   p->feeds[wn->feed].name, PERCENT * wn->at_least, PERCENT * b);
        else
            printf("  window of %s flow: needs +-%.4g %%, and no candidate met the targets to have one\n",
                   p->feeds[wn->feed].name, PERCENT * wn->at_least);
    }
    if (r->spec_failure.code != RX_OK) {
        alone = 0;
        printf("  specs not met; the first candidate: %s\n", r->spec_failure.msg);
    }
    if (alone)
        printf("  each target is met by some candidate, but none meets them together\n");
    if (r->first_failure.code != RX_OK)
        printf("  some candidates did not solve; the first: %s\n", r->first_failure.msg);
}

/* No candidate met every target: the error line on stderr (printed with
 * -q too: an error is never quiet), naming the targets none met. */
static void error_unmet(const RxPlant *p, const RxDesignResult *r)
{
    const RxDesignSpec *d = &p->design;
    if (r->robust_tried > 0) {
        double most = 0;
        for (int k = 0; k < r->robust_tried; k++)
            most = fmax(most, r->robust_p[k]);
        fprintf(stderr,
                "reesx: %s: no candidate meets every target with a probability of %.4g %% (the last in the "
                "objective's order: %.4g %%)\n",
                p->path, PERCENT * d->probability, PERCENT * most);
        return;
    }
    fprintf(stderr, "reesx: %s: no candidate of %d meets every target", p->path, r->n);
    const char *sep = ": cannot be met: ";
    for (int t = 0; t < d->ntargets; t++) {
        const RxTarget *tg = &d->targets[t];
        double b = r->best_achieved[t];
        if (rx_target_met(tg, b))
            continue;
        if (isfinite(b))
            fprintf(stderr, "%s%s (best reachable %.5g %s)", sep, tg->label, rx_target_shown(tg, b), rx_target_unit(tg));
        else
            fprintf(stderr, "%s%s (no candidate solved)", sep, tg->label);
        sep = "; ";
    }
    if (r->spec_failure.code != RX_OK) {
        fprintf(stderr, "%s%s", sep, r->spec_failure.msg);
        sep = "; ";
    }
    for (int k = 0; k < d->nwindows; k++) {
        double b = r->best_window[k];
        if (!(d->windows[k].at_least > 0) || (isfinite(b) && b >= d->windows[k].at_least))
            continue;
        fprintf(stderr, "%swindow of %s flow +-%.4g %% (widest +-%.4g %%)", sep, p->feeds[d->windows[k].feed].name,
                PERCENT * d->windows[k].at_least, isfinite(b) ? PERCENT * b : 0.0);
        sep = "; ";
    }
    if (sep[0] == ':') /* each met by some candidate */
        fputs(" together (each is met by some candidate)", stderr);
    fputc('\n', stderr);
}

/* The chosen design is what the user came for: name it first, though it
 * is written last (after the candidates it was chosen from). */
static void print_wrote_design(const char *dir, RxWritten *w)
{
    if (w->n > 0 && !strcmp(w->name[w->n - 1], "design.cfg")) {
        const char *cfg = w->name[w->n - 1];
        memmove(&w->name[1], &w->name[0], sizeof w->name[0] * (size_t)(w->n - 1));
        w->name[0] = cfg;
    }
    cli_print_wrote(dir, w, 0);
}

/* The operating window of the chosen design: its plant (as design.cfg
 * has it) solved, its specs too. */
static int chosen_window(const RxPlant *p, const RxDesignResult *r, RxWindowResult *w, RxError *err)
{
    RxPlant *q = NULL;
    RxSolution *s = NULL;
    RxSpecResult sr = {0};
    int rc = rx_candidate_plant(p, &r->cand[r->best], &q, err);
    if (rc == RX_OK)
        rc = q->design.nspecs > 0 ? rx_spec_solve(q, NULL, &sr, err) : rx_circuit_solve(q, &s, err);
    if (rc == RX_OK)
        rc = q->design.nspecs > 0 ? rx_window(sr.plant, sr.sol, w, err) : rx_window(q, s, w, err);
    rx_spec_result_free(&sr);
    rx_solution_destroy(&s);
    rx_plant_destroy(&q);
    return rc;
}

int cli_design(const CliArgs *a)
{
    RxError err;
    rx_error_clear(&err);
    RxPlant *p = NULL;
    RxDesignResult *r = NULL;
    rx_interrupt_install(); /* SIGINT, SIGTERM: stop before the next circuit, write what there is */
    RxFlowsheet *fs = NULL;
    int rc = rx_load(a->cfg, &p, &fs, &err);
    if (rc != RX_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    if (fs) /* each circuit's specs solved inside the loop */
        return cli_run_flowsheet(a, fs, 1);
    if (!a->quiet && p->design.present) {
        cli_print_title("", p->path, p->title);
        cli_print_constants("", p);
    }
    int bar = !a->quiet && isatty(STDERR_FILENO);
    rc = rx_design_shared(p, a->share, bar ? cli_design_progress : NULL, NULL, &r, &err);
    if (bar)
        fputs("\n", stderr);
    if (a->share && a->share->rank > 0) { /* rank 0 reports */
        rx_design_result_destroy(&r);
        rx_plant_destroy(&p);
        return 0;
    }
    if (rc != RX_OK && !(rc == RX_INTERRUPTED && r)) {
        cli_print_error(&err);
        rx_plant_destroy(&p);
        return cli_exit_for(rc);
    }
    if (rc == RX_OK && r->best >= 0 && p->design.probability > 0 && (rc = rx_robust_choose(p, r, &err)) != RX_OK) {
        cli_print_error(&err);
        rx_design_result_destroy(&r);
        rx_plant_destroy(&p);
        return cli_exit_for(rc);
    }
    if (!a->quiet) {
        print_search(p, r);
        if (p->design.probability > 0)
            print_robust(p, r);
        if (r->best >= 0)
            print_chosen(p, r);
        else if (r->robust_tried == 0)
            print_unmet(p, r);
        printf("%d circuits solved in %.3g s (%.3g per second)\n", r->n, r->seconds,
               r->seconds > 0 ? r->n / r->seconds : 0.0);
    }
    RxWindowResult window;
    int windowed = r->best >= 0 && !r->interrupted && chosen_window(p, r, &window, &err) == RX_OK;
    if (windowed && !a->quiet)
        cli_print_window(p, &window);
    RxOutputs o = {.plant = p, .design = r, .window = windowed ? &window : NULL};
    RxWritten w;
    rc = cli_write_outputs(&o, a->outdir, &w);
    if (rc == RX_OK && !a->quiet)
        print_wrote_design(a->outdir, &w);
    int best = r->best, n = r->n, partial = r->interrupted;
    if (best < 0 && !rx_interrupted())
        error_unmet(p, r);
    rx_design_result_destroy(&r);
    rx_plant_destroy(&p);
    if (rx_interrupted())
        return rc != RX_OK  ? cli_interrupted(a->cfg, "; the outputs could not be written (above)")
               : !partial   ? cli_interrupted(a->cfg, " after the search had finished; its outputs are complete")
               : best >= 0  ? cli_interrupted(a->cfg, " after %d circuits; wrote those, marked partial (design.cfg "
                                                      "opens with \"# PARTIAL\")", n)
                            : cli_interrupted(a->cfg, " after %d circuits; wrote those (partial), none meets "
                                                      "every target", n);
    if (rc != RX_OK)
        return cli_exit_for(rc);
    return best >= 0 ? 0 : EXIT_INFEASIBLE;
}
