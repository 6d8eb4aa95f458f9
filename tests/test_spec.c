/*
 * test_spec.c - design specifications (design/spec.c): each solved spec
 * is checked against an independent cold solve of the circuit at the
 * solved values, and a one-spec solve against a fine scan of its flow.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "design/window.h"
#include "support.h"

/* configs/default.cfg's NdPr(Sm) product: recovery against the fresh
 * organic flow, purity against the scrub acid flow. */
#define ORGANIC_SPEC                                                                                           \
    "{ vary = \"flow\"; feed = \"fresh organic\"; min = \"450 L/h\"; max = \"550 L/h\";\n"                     \
    "  target = { product = \"NdPr(Sm) loaded organic\"; recovery = \"99.95 %\"; }; }"
#define SCRUB_SPEC                                                                                             \
    "{ vary = \"flow\"; feed = \"scrub acid\"; min = \"50 L/h\"; max = \"110 L/h\";\n"                         \
    "  target = { product = \"NdPr(Sm) loaded organic\"; purity = \"99.93 %\"; }; }"
/* A spec is met to this in the target's own unit (fraction or pH). */
#define MET_TO 1e-6
/* The flow scan: steps of SCAN_STEP L/h, SCAN_HALF of them each side. */
#define SCAN_STEP 0.01
#define SCAN_HALF 5

/* configs/default.cfg with a design group of the given specs (and more). */
static RxPlant *default_with(const char *design)
{
    RxPlant *base = load_config("configs/default.cfg");
    static char text[65536];
    snprintf(text, sizeof text, "%s\ndesign = { %s };\n", base->source_text, design);
    rx_plant_destroy(&base);
    return load_text(text);
}

/* The value of p's spec k's target in a cold solve at the solved values. */
static double cold_value(const RxPlant *p, const RxSpecResult *r, int k)
{
    RxPlant *q = NULL;
    RxError err;
    cr_assert_eq(rx_plant_copy(p, &q, &err), RX_OK);
    for (int j = 0; j < r->n; j++)
        cr_assert_eq(rx_spec_apply(q, j, r->x[j], &err), RX_OK, "%s", err.msg);
    RxSolution *s = solve_ok(q);
    double v = rx_target_value(q, s, &p->design.specs[k].target);
    rx_solution_destroy(&s);
    rx_plant_destroy(&q);
    return v;
}

static void solve_specs_ok(const RxPlant *p, RxSpecResult *r)
{
    RxError err;
    rx_error_clear(&err);
    cr_assert_eq(rx_spec_solve(p, NULL, r, &err), RX_OK, "%s", err.msg);
    cr_assert_eq(r->n, p->design.nspecs);
    cr_assert(r->sol->max_closure <= RX_CLOSURE_TOL);
    for (int k = 0; k < r->n; k++) {
        const RxTarget *t = &p->design.specs[k].target;
        cr_expect(fabs(r->achieved[k] - t->value) <= MET_TO, "%s: reached %.12g", t->label, r->achieved[k]);
        double v = cold_value(p, r, k);
        cr_expect(fabs(v - t->value) <= MET_TO, "%s: a cold solve at the solution gives %.12g", t->label, v);
        cr_expect(r->x[k] >= p->design.specs[k].min && r->x[k] <= p->design.specs[k].max);
    }
}

Test(spec, one_flow_meets_its_target_where_a_fine_scan_crosses_it)
{
    RxPlant *p = default_with("specs = ( " ORGANIC_SPEC " );");
    RxSpecResult r;
    solve_specs_ok(p, &r);
    /* The scan: recovery at organic flows SCAN_STEP apart around the
     * solution, each solved cold; the crossing by linear interpolation. */
    const RxTarget *t = &p->design.specs[0].target;
    double x[2 * SCAN_HALF + 1], v[2 * SCAN_HALF + 1], crossing = NAN;
    for (int i = 0; i <= 2 * SCAN_HALF; i++) {
        RxSpecResult at = r;
        at.x[0] = r.x[0] + (i - SCAN_HALF) * SCAN_STEP;
        x[i] = at.x[0];
        v[i] = cold_value(p, &at, 0);
        if (i > 0 && (v[i - 1] - t->value) * (v[i] - t->value) <= 0)
            crossing = x[i - 1] + (t->value - v[i - 1]) * (x[i] - x[i - 1]) / (v[i] - v[i - 1]);
    }
    cr_assert(isfinite(crossing), "the scan from %g to %g L/h never crosses %s", x[0], x[2 * SCAN_HALF], t->label);
    cr_expect(fabs(crossing - r.x[0]) <= SCAN_STEP / 10, "spec %.9g L/h, scan crossing %.9g L/h", r.x[0], crossing);
    rx_spec_result_free(&r);
    rx_plant_destroy(&p);
}

Test(spec, two_flows_meet_both_targets)
{
    RxPlant *p = default_with("specs = ( " ORGANIC_SPEC ", " SCRUB_SPEC " );");
    RxSpecResult r;
    solve_specs_ok(p, &r);
    rx_spec_result_free(&r);
    rx_plant_destroy(&p);
}

Test(spec, saponification_sets_the_raffinate_ph)
{
    RxPlant *p = default_with("specs = ( { vary = \"saponification\"; min = \"20 %\"; max = \"45 %\";\n"
                              "  target = { product = \"La-Ce chloride\"; min_ph = 1.9; }; } );");
    RxSpecResult r;
    solve_specs_ok(p, &r);
    cr_expect(r.x[0] > p->saponification, "a higher raffinate pH needs more base: %g against %g", r.x[0],
              p->saponification);
    rx_spec_result_free(&r);
    rx_plant_destroy(&p);
}

Test(spec, a_spec_out_of_reach_says_how_close_it_came)
{
    RxPlant *p = default_with("specs = ( { vary = \"flow\"; feed = \"fresh organic\"; min = \"450 L/h\"; "
                              "max = \"480 L/h\";\n"
                              "  target = { product = \"NdPr(Sm) loaded organic\"; recovery = \"99.95 %\"; }; } );");
    RxSpecResult r;
    RxError err;
    rx_error_clear(&err);
    cr_assert_eq(rx_spec_solve(p, NULL, &r, &err), RX_UNMET);
    cr_expect_null(r.plant);
    cr_expect(strstr(err.msg, "cannot reach NdPr(Sm) loaded organic: recovery >= 99.95 %") != NULL, "%s", err.msg);
    cr_expect(strstr(err.msg, "closest") != NULL && strstr(err.msg, "at 480 L/h") != NULL, "%s", err.msg);
    cr_expect(r.best_achieved[0] < 0.9995 && r.best_x[0] == 480, "closest %g at %g L/h", r.best_achieved[0],
              r.best_x[0]);
    rx_plant_destroy(&p);
}

/* The stage search with specs: the flows are solved for every stage
 * vector, and the chosen design, run again from its design.cfg, meets the
 * specs where the search solved them. */
Test(spec, the_stage_search_solves_the_specs_of_each_candidate)
{
    RxPlant *p = default_with("stages = ( { section = \"extraction\"; min = 28; max = 36; },\n"
                              "           { section = \"scrub\"; min = 10; max = 18; } );\n"
                              "specs = ( " ORGANIC_SPEC ", " SCRUB_SPEC " );");
    RxDesignResult *r = NULL;
    RxError err;
    rx_error_clear(&err);
    cr_assert_eq(rx_design(p, NULL, NULL, &r, &err), RX_OK, "%s", err.msg);
    cr_assert(r->best >= 0, "no candidate meets the specs");
    const RxCandidate *c = &r->cand[r->best];
    cr_expect(c->specs_met && c->feasible);
    for (int i = 0; i < r->n; i++) /* no fewer stages meet them */
        if (r->cand[i].feasible)
            cr_expect(r->cand[i].total_stages >= c->total_stages);
    char *text = NULL;
    cr_assert_eq(rx_design_variant(p, c, &text, &err), RX_OK, "%s", err.msg);
    RxPlant *q = load_text(text);
    free(text);
    for (int k = 0; k < p->design.nspecs; k++)
        cr_expect(fabs(rx_spec_value(q, k) - c->spec_x[k]) <= 1e-9 * c->spec_x[k], "design.cfg: %s %.12g, chosen %.12g",
                  p->design.specs[k].label, rx_spec_value(q, k), c->spec_x[k]);
    RxSpecResult sr;
    solve_specs_ok(q, &sr);
    rx_spec_result_free(&sr);
    rx_plant_destroy(&q);
    rx_design_result_destroy(&r);
    rx_plant_destroy(&p);
}

/* NdPr purity and recovery of configs/default.cfg at 99.9 %. */
#define NDPR_TARGETS                                                                                           \
    "targets = ( { product = \"NdPr(Sm) loaded organic\"; purity = \"99.9 %\"; },\n"                           \
    "            { product = \"NdPr(Sm) loaded organic\"; recovery = \"99.9 %\"; } );\n"

/* Every target of p holds in a cold solve with feed f's flow at x. */
static int targets_hold_at(const RxPlant *p, int f, double x)
{
    RxPlant *q = NULL;
    RxError err;
    RxFeedSet fs = {.feed = f, .flow = x, .acid = -1, .ncomp = 0};
    cr_assert_eq(rx_plant_copy(p, &q, &err), RX_OK);
    cr_assert_eq(rx_plant_set_feed(q, &fs, &err), RX_OK, "%s", err.msg);
    RxSolution *s = solve_ok(q);
    int all = 1;
    for (int t = 0; t < rx_window_ntargets(p); t++) {
        const RxTarget *tg = rx_window_target(p, t);
        all &= rx_target_margin(tg, rx_target_value(q, s, tg)) >= -RX_SPEC_TOL;
    }
    rx_solution_destroy(&s);
    rx_plant_destroy(&q);
    return all;
}

/* The organic flow's window against cold solves: every target holds at
 * its ends and between them, and one fails just beyond each end. */
Test(window, the_organic_window_matches_a_scan)
{
    RxPlant *p = default_with(NDPR_TARGETS);
    RxSolution *s = solve_ok(p);
    RxWindowResult r;
    RxError err;
    rx_error_clear(&err);
    cr_assert_eq(rx_window(p, s, &r, &err), RX_OK, "%s", err.msg);
    cr_assert(r.met);
    const RxWindow *w = NULL;
    for (int i = 0; i < r.n; i++)
        if (r.w[i].kind == RX_WINDOW_FLOW && strcmp(p->feeds[r.w[i].index].name, "fresh organic") == 0)
            w = &r.w[i];
    cr_assert(w, "no window of the fresh organic flow");
    cr_expect(w->low < w->value && w->high > w->value, "window %.9g to %.9g around %.9g L/h", w->low, w->high,
              w->value);
    cr_expect(w->low_end >= 0 && w->high_end >= 0, "each end is a target's, not the range's");
    double beyond = 10 * RX_WINDOW_XTOL * w->value; /* L/h */
    for (int k = 0; k <= 4; k++) {
        double x = w->low + k * (w->high - w->low) / 4;
        cr_expect(targets_hold_at(p, w->index, x), "a target fails inside the window, at %.9g L/h", x);
    }
    cr_expect(!targets_hold_at(p, w->index, w->low - beyond), "every target still holds below the window's low end");
    cr_expect(!targets_hold_at(p, w->index, w->high + beyond), "every target still holds above the window's high end");
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}

/* design.window: the search runs the window feed at its window's middle
 * and takes the fewest stages whose window is as wide as required; the
 * chosen design's own window says so too. */
Test(window, the_search_takes_the_fewest_stages_that_hold_the_window)
{
    RxPlant *p = default_with(NDPR_TARGETS "window = ( { feed = \"fresh organic\"; at_least = \"0.01 %\"; } );\n"
                                           "stages = ( { section = \"extraction\"; min = 27; max = 31; },\n"
                                           "           { section = \"scrub\"; min = 19; max = 23; } );");
    RxDesignResult *r = NULL;
    RxError err;
    rx_error_clear(&err);
    cr_assert_eq(rx_design(p, NULL, NULL, &r, &err), RX_OK, "%s", err.msg);
    cr_assert(r->best >= 0, "no candidate holds the window");
    const RxCandidate *c = &r->cand[r->best];
    cr_expect(c->window[0] >= 0.0001, "window +-%g %%", 100 * c->window[0]);
    for (int i = 0; i < r->n; i++)
        if (r->cand[i].total_stages < c->total_stages)
            cr_expect(!r->cand[i].feasible);
    char *text = NULL;
    cr_assert_eq(rx_design_variant(p, c, &text, &err), RX_OK, "%s", err.msg);
    RxPlant *q = load_text(text);
    free(text);
    int f = p->design.windows[0].feed;
    cr_expect(fabs(q->feeds[f].flow - c->window_x[0]) <= 1e-9 * c->window_x[0]);
    RxSolution *s = solve_ok(q);
    RxWindow w;
    int solves = 0;
    rx_window_var(q, s, RX_WINDOW_FLOW, f, &w, &solves);
    cr_expect(rx_window_halfwidth(&w) >= 0.0001 * (1 - 1e-3), "design.cfg's window +-%g %%",
              100 * rx_window_halfwidth(&w));
    rx_solution_destroy(&s);
    rx_plant_destroy(&q);
    rx_design_result_destroy(&r);
    rx_plant_destroy(&p);
}

/* With a spec, the window holds it: the organic flow is re-solved to the
 * recovery at every feed flow, and the feed window ends where the purity
 * fails with the spec held (checked by spec solves just inside and just
 * beyond that end). */
Test(window, a_window_holds_the_specs_as_controls_would)
{
    RxPlant *p = default_with("targets = ( { product = \"NdPr(Sm) loaded organic\"; purity = \"99.5 %\"; } );\n"
                              "specs = ( { vary = \"flow\"; feed = \"fresh organic\"; min = \"350 L/h\"; "
                              "max = \"650 L/h\";\n"
                              "  target = { product = \"NdPr(Sm) loaded organic\"; recovery = \"99 %\"; }; } );");
    RxSpecResult sr;
    solve_specs_ok(p, &sr);
    RxWindow w;
    int solves = 0, feed = 0;
    cr_assert_str_eq(p->feeds[feed].name, "feed");
    rx_window_var(sr.plant, sr.sol, RX_WINDOW_FLOW, feed, &w, &solves);
    cr_expect_eq(w.high_end, 0, "the purity ends the feed window above");
    cr_expect(w.high > 1.01 * w.value, "with the organic held the feed may rise more than 1 %%: %.6g", w.high);
    double beyond = 10 * RX_WINDOW_XTOL * w.value;
    for (int side = 0; side < 2; side++) {
        RxPlant *q = NULL;
        RxError err;
        RxFeedSet fs = {.feed = feed, .flow = w.high + (side ? beyond : -beyond), .acid = -1, .ncomp = 0};
        cr_assert_eq(rx_plant_copy(sr.plant, &q, &err), RX_OK);
        cr_assert_eq(rx_plant_set_feed(q, &fs, &err), RX_OK);
        RxSpecResult at;
        cr_assert_eq(rx_spec_solve(q, NULL, &at, &err), RX_OK, "%s", err.msg);
        double purity = rx_target_value(at.plant, at.sol, &p->design.targets[0]);
        cr_expect(side ? purity < 0.995 : purity >= 0.995, "purity %.9g %s the window's end", purity,
                  side ? "beyond" : "inside");
        rx_spec_result_free(&at);
        rx_plant_destroy(&q);
    }
    rx_spec_result_free(&sr);
    rx_plant_destroy(&p);
}

/* The flowsheet at relpath in the source tree; fails the test if it does not load. */
static RxFlowsheet *load_flowsheet(const char *relpath)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", RX_SOURCE_DIR, relpath);
    RxPlant *p = NULL;
    RxFlowsheet *fs = NULL;
    RxError err;
    rx_error_clear(&err);
    cr_assert_eq(rx_load(path, &p, &fs, &err), RX_OK, "%s", err.msg);
    cr_assert(fs, "%s is no flowsheet", relpath);
    return fs;
}

/* A flowsheet whose second circuit has a spec: solved inside the
 * tear-stream loop, the spec holds for the plant as a whole (the circuit
 * as the converged flowsheet feeds it), and the flowsheet balance closes. */
Test(spec, a_flowsheet_solves_its_circuits_specs_inside_the_loop)
{
    RxFlowsheet *fs = load_flowsheet("tests/fixtures/flowsheet_spec/plant.cfg");
    RxError err;
    rx_error_clear(&err);
    RxFlowsheetResult *r = NULL;
    cr_assert_eq(rx_flowsheet_spec_solve(fs, &r, &err), RX_OK, "%s", err.msg);
    cr_expect(r->max_closure <= RX_CLOSURE_TOL);
    const RxPlant *q = r->plant[1];
    cr_assert_eq(q->design.nspecs, 1);
    const RxTarget *t = &q->design.specs[0].target;
    double v = rx_target_value(q, r->sol[1], t);
    cr_expect(fabs(v - t->value) <= MET_TO, "%s: %.12g in the flowsheet", t->label, v);
    rx_flowsheet_result_destroy(&r);
    rx_flowsheet_destroy(&fs);
}

/* reesx design on that flowsheet (its SEG circuit searched, its NdPr
 * circuit's spec solved in the loop) writes the NdPr circuit's design.cfg
 * with the scrub acid the loop solved. */
Test(spec, design_on_a_flowsheet_writes_each_circuits_solved_specs)
{
    const char *bin = getenv("REESX_BIN");
    cr_assert(bin && bin[0], "REESX_BIN is not set (run the suite with `make test`)");
    char dir[] = "/tmp/reesx-spec-XXXXXX", cmd[4096], cfg[1200];
    cr_assert(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "%s design %s/tests/fixtures/flowsheet_spec/plant.cfg -q -o %s/out", bin, RX_SOURCE_DIR,
             dir);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    snprintf(cfg, sizeof cfg, "%s/out/NdPr/design.cfg", dir);
    RxPlant *q = NULL;
    RxError err;
    cr_assert_eq(rx_plant_load(cfg, &q, &err), RX_OK, "%s", err.msg);
    RxFlowsheet *fs = load_flowsheet("tests/fixtures/flowsheet_spec/plant.cfg");
    RxPlantwide pw; /* what reesx design does: the SEG circuit has design.stages and is searched */
    cr_assert_eq(rx_plantwide_design(fs, NULL, &pw, &err), RX_OK, "%s", err.msg);
    double loop = rx_spec_value(pw.solved->plant[1], 0);
    cr_expect(fabs(rx_spec_value(q, 0) - loop) <= 1e-12 * loop, "design.cfg %.17g L/h, the loop %.17g L/h",
              rx_spec_value(q, 0), loop);
    rx_plantwide_free(&pw);
    rx_flowsheet_destroy(&fs);
    rx_plant_destroy(&q);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_expect_eq(system(cmd), 0);
}

/* Through the binary: reesx run on specs out of reach exits 6, writes
 * nothing, and its one line on stderr names the spec, the target and how
 * close it came. */
Test(spec, run_exits_6_when_the_specs_cannot_be_met)
{
    const char *bin = getenv("REESX_BIN");
    cr_assert(bin && bin[0], "REESX_BIN is not set (run the suite with `make test`)");
    RxPlant *p = default_with("specs = ( { vary = \"flow\"; feed = \"fresh organic\"; min = \"450 L/h\"; "
                              "max = \"480 L/h\";\n"
                              "  target = { product = \"NdPr(Sm) loaded organic\"; recovery = \"99.95 %\"; }; } );");
    char dir[] = "/tmp/reesx-spec-XXXXXX", cfg[600], cmd[2048], errpath[700];
    cr_assert(mkdtemp(dir));
    snprintf(cfg, sizeof cfg, "%s/plant.cfg", dir);
    snprintf(errpath, sizeof errpath, "%s/stderr.txt", dir);
    write_text(cfg, p->source_text);
    snprintf(cmd, sizeof cmd, "%s run %s -q -o %s/out 2>%s", bin, cfg, dir, errpath);
    int status = system(cmd);
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 6, "exit status %d", WEXITSTATUS(status));
    char *line = read_text(errpath);
    cr_expect(strstr(line, "spec 'fresh organic flow' cannot reach NdPr(Sm) loaded organic: recovery >= 99.95 %") &&
                  strstr(line, "closest"),
              "%s", line);
    free(line);
    snprintf(cmd, sizeof cmd, "test ! -e %s/out", dir);
    cr_expect_eq(system(cmd), 0, "nothing is written");
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_expect_eq(system(cmd), 0);
    rx_plant_destroy(&p);
}

/* reesx design on configs/ndpr_plant.cfg: both circuits' stage searches
 * inside the loop; when the passes settle, every circuit meets its targets
 * in the flowsheet as finally solved, and its balance closes. */
Test(spec, a_flowsheet_design_meets_every_circuits_targets_as_a_whole)
{
    RxFlowsheet *fs = load_flowsheet("configs/ndpr_plant.cfg");
    RxError err;
    rx_error_clear(&err);
    RxPlantwide w;
    cr_assert_eq(rx_plantwide_design(fs, NULL, &w, &err), RX_OK, "%s", err.msg);
    cr_expect(w.settled, "the passes did not settle in %d", w.passes);
    cr_expect(w.solved->max_closure <= RX_CLOSURE_TOL);
    int searched = 0;
    for (int c = 0; c < w.fs.n; c++) {
        if (!w.design[c])
            continue;
        searched++;
        const RxPlant *q = w.solved->plant[c];
        double got[RX_MAX_TARGETS];
        cr_expect(rx_targets_achieved(q, w.solved->sol[c], &q->design, got), "circuit %s misses a target in the flowsheet",
                  w.fs.name[c]);
        const RxCandidate *k = &w.design[c]->cand[w.design[c]->best];
        for (int v = 0; v < q->design.nstage_vars; v++)
            cr_expect_eq(q->sections[q->design.stage_vars[v].section].count, k->stages[v]);
    }
    cr_expect_eq(searched, 2);
    rx_plantwide_free(&w);
    rx_flowsheet_destroy(&fs);
}
