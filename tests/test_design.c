/*
 * test_design.c - the design search against cascade theory, infeasible
 * targets, and the same answer on one thread or two.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rx.h"
#include "support.h"

/* configs/ndpr_binary.cfg at cascade theory's optimum flows, stages free. */
static const char *binary_fmt =
    "version = 1;\n"
    "model = { type = \"separation_factor\"; beta = { Pr = 1.0; Nd = 1.5; };\n"
    "          capacity = \"0.2 mol/L\"; affinity = \"1e7 L/mol\"; };\n"
    "sections = ( { name = \"extraction\"; stages = 17; }, { name = \"scrub\"; stages = 29; } );\n"
    "feeds = (\n"
    " { name = \"feed\"; phase = \"aqueous\"; stage = \"extraction:last\"; flow = \"100 L/h\";\n"
    "   acid = \"0.1 mol/L\"; composition = { Nd = \"0.075 mol/L\"; Pr = \"0.025 mol/L\"; }; },\n"
    " { name = \"reflux\"; phase = \"aqueous\"; stage = \"scrub:last\"; flow = \"%.10g L/h\";\n"
    "   acid = \"0.1 mol/L\"; composition = { Nd = \"0.999 mol/L\"; Pr = \"0.001 mol/L\"; }; },\n"
    " { name = \"solvent\"; phase = \"organic\"; stage = 1; flow = \"%.10g L/h\"; } );\n"
    "products = ( { name = \"Nd\"; stream = \"organic\"; targets = [\"Nd\"]; },\n"
    "             { name = \"Pr\"; stream = \"raffinate\"; targets = [\"Pr\"]; } );\n"
    "design = { targets = ( { product = \"Nd\"; purity = \"%s\"; }, { product = \"Pr\"; purity = \"99 %%\"; } );\n"
    "  stages = ( { section = \"extraction\"; min = 1; max = %d; }, { section = \"scrub\"; min = 1; max = %d; } );\n"
    "  threads = %d; };\n";

static RxPlant *binary_plant(const char *nd_purity, int max, int threads, RxXuDesign *t)
{
    RxError err;
    cr_assert_eq(rx_xu_design(1.5, 0.75, 0.999, 0.99, t, &err), RX_OK);
    /* metal fed 10 mol/h; organic 0.2 mol/L saturated, reflux 1 mol/L */
    char text[4096];
    snprintf(text, sizeof text, binary_fmt, t->W * 10.0, t->S * 10.0 / 0.2, nd_purity, max, max, threads);
    return load_text(text);
}

static RxDesignResult *design_ok(const RxPlant *p)
{
    RxDesignResult *r = NULL;
    RxError err;
    rx_error_clear(&err);
    cr_assert_eq(rx_design(p, NULL, NULL, &r, &err), RX_OK, "%s", err.msg);
    return r;
}

static int feasible_variant(const RxPlant *p, int n, int m)
{
    RxCandidate c;
    memset(&c, 0, sizeof c);
    c.stages[0] = n;
    c.stages[1] = m;
    char *text = NULL;
    RxError err;
    cr_assert_eq(rx_design_variant(p, &c, &text, &err), RX_OK);
    RxPlant *q = load_text(text);
    free(text);
    RxSolution *s = NULL;
    cr_assert_eq(rx_circuit_solve(q, &s, &err), RX_OK, "%s", err.msg);
    RxProductReport nd, pr;
    cr_assert_eq(rx_product_report(q, s, 0, &nd, NULL), RX_OK);
    cr_assert_eq(rx_product_report(q, s, 1, &pr, NULL), RX_OK);
    rx_solution_destroy(&s);
    rx_plant_destroy(&q);
    return nd.purity >= 99.9 && pr.purity >= 99.0;
}

/* At theory's flows the search finds, within one stage, the n + m theory
 * gives; the design meets both purities and one stage less in either
 * section does not. */
Test(design, binary_search_matches_cascade_theory, .timeout = 120)
{
    RxXuDesign t;
    RxPlant *p = binary_plant("99.9 %", 60, 2, &t);
    RxDesignResult *r = design_ok(p);
    cr_assert(r->have_theory);
    cr_expect_float_eq(r->theory.n, t.n, 1e-9);
    cr_assert_geq(r->best, 0, "no design found");
    const RxCandidate *b = &r->cand[r->best];
    cr_expect_leq(fabs(b->total_stages - (t.n + t.m)), 1.0, "search %d stages, theory %.2f + %.2f", b->total_stages,
                  t.n, t.m);
    cr_expect(b->achieved[0] >= 0.999 && b->achieved[1] >= 0.99);
    cr_expect(feasible_variant(p, b->stages[0], b->stages[1]));
    cr_expect(!feasible_variant(p, b->stages[0] - 1, b->stages[1]));
    cr_expect(!feasible_variant(p, b->stages[0], b->stages[1] - 1));
    cr_expect_eq(r->npareto, 1);
    rx_design_result_destroy(&r);
    rx_plant_destroy(&p);
}

/* One thread or two: the same circuits and the same design. */
Test(design, threads_do_not_change_the_answer, .timeout = 120)
{
    RxXuDesign t;
    RxPlant *p1 = binary_plant("99.9 %", 40, 1, &t), *p2 = binary_plant("99.9 %", 40, 2, &t);
    RxDesignResult *a = design_ok(p1), *b = design_ok(p2);
    cr_assert_eq(a->n, b->n);
    cr_assert(a->best >= 0 && b->best >= 0);
    cr_expect_eq(a->cand[a->best].stages[0], b->cand[b->best].stages[0]);
    cr_expect_eq(a->cand[a->best].stages[1], b->cand[b->best].stages[1]);
    rx_design_result_destroy(&a);
    rx_design_result_destroy(&b);
    rx_plant_destroy(&p1);
    rx_plant_destroy(&p2);
}

/* 99.9999 % Nd is out of reach in 30 + 30 stages: no design, and the
 * closest each target came is reported. */
Test(design, infeasible_target_reports_the_best_reachable)
{
    RxXuDesign t;
    RxPlant *p = binary_plant("99.9999 %", 30, 2, &t);
    RxDesignResult *r = design_ok(p);
    cr_expect_eq(r->best, -1);
    cr_expect_eq(r->npareto, 0);
    cr_expect(isfinite(r->best_achieved[0]) && r->best_achieved[0] < 0.999999 && r->best_achieved[0] > 0.99,
              "best Nd purity %g", r->best_achieved[0]);
    cr_expect(r->best_achieved[1] >= 0.99, "Pr alone is reachable");
    rx_design_result_destroy(&r);
    rx_plant_destroy(&p);
}

/* objective = "cost" on the La-Ce | NdPr circuit: the chosen design is the
 * cheapest feasible candidate, and its cost is what rx_cost gives for it.
 * The organic range sits in the feasible window of default.cfg's flow
 * balance (497.75-498.75 L/h with the Gd-anchored P507 constants). */
Test(design, cost_objective_takes_the_cheapest, .timeout = 120)
{
    RxPlant *p0 = load_config("configs/default.cfg");
    RxError err;
    char *text = NULL;
    cr_assert_eq(rx_plant_variant(p0, 0, NULL, NULL, 0, NULL, NULL, &text, &err), RX_OK);
    rx_plant_destroy(&p0);
    const char *design =
        "design = { objective = \"cost\";\n"
        "  targets = ( { product = \"NdPr(Sm) loaded organic\"; purity = \"99.5 %\"; },\n"
        "              { product = \"NdPr(Sm) loaded organic\"; recovery = \"99 %\"; } );\n"
        "  stages = ( { section = \"extraction\"; min = 10; max = 25; }, { section = \"scrub\"; min = 10; max = 25; } );\n"
        "  flows = ( { feed = \"fresh organic\"; min = \"497.75 L/h\"; max = \"498.25 L/h\"; steps = 3; } ); };\n";
    size_t n = strlen(text) + strlen(design) + 1;
    char *full = malloc(n);
    snprintf(full, n, "%s%s", text, design);
    free(text);
    RxPlant *p = load_text(full);
    free(full);
    RxDesignResult *r = design_ok(p);
    cr_assert_geq(r->best, 0);
    double least = INFINITY;
    for (int i = 0; i < r->n; i++)
        if (r->cand[i].feasible)
            least = fmin(least, r->cand[i].cost);
    cr_expect_eq(r->cand[r->best].cost, least);
    char *v = NULL;
    cr_assert_eq(rx_design_variant(p, &r->cand[r->best], &v, &err), RX_OK);
    RxPlant *q = load_text(v);
    free(v);
    RxSolution *s = NULL;
    RxCostResult c;
    cr_assert_eq(rx_circuit_solve(q, &s, &err), RX_OK, "%s", err.msg);
    cr_assert_eq(rx_cost(q, s, &c, &err), RX_OK, "%s", err.msg);
    cr_expect_float_eq(c.cost_per_kg, least, 1e-9 * least);
    rx_solution_destroy(&s);
    rx_plant_destroy(&q);
    rx_design_result_destroy(&r);
    rx_plant_destroy(&p);
}

/* The candidate of r at c's stages and flows, or NULL. */
static const RxCandidate *same_candidate(const RxDesignResult *r, const RxCandidate *c, int nv, int nf)
{
    for (int i = 0; i < r->n; i++)
        if (memcmp(r->cand[i].stages, c->stages, sizeof(int) * (size_t)nv) == 0 &&
            memcmp(r->cand[i].flows, c->flows, sizeof(double) * (size_t)nf) == 0)
            return &r->cand[i];
    return NULL;
}

/* Warm starts over a flow grid (configs/ndpr_binary.cfg, 9 flow points):
 * each candidate's start depends on the grid alone, so one thread and two
 * give every candidate to the last bit; and the chosen design, solved cold
 * from its own text, reaches what the search says to 1e-9. */
Test(design, warm_starts_do_not_depend_on_the_threads, .timeout = 300)
{
    RxPlant *p2 = load_config("configs/ndpr_binary.cfg"), *p1 = NULL;
    RxError err;
    cr_assert_eq(rx_plant_copy(p2, &p1, &err), RX_OK);
    p1->design.threads = 1;
    cr_assert_eq(p2->design.threads, 2);
    RxDesignResult *a = design_ok(p1), *b = design_ok(p2);
    int nv = p2->design.nstage_vars, nf = p2->design.nflow_vars;
    cr_assert_eq(a->n, b->n);
    for (int i = 0; i < a->n; i++) {
        const RxCandidate *c = &a->cand[i], *o = same_candidate(b, c, nv, nf);
        cr_assert_not_null(o, "candidate %d+%d at %g L/h only on one thread", c->stages[0], c->stages[1], c->flows[0]);
        cr_expect_eq(c->feasible, o->feasible);
        for (int t = 0; t < p2->design.ntargets; t++)
            cr_expect(c->achieved[t] == o->achieved[t] || (isnan(c->achieved[t]) && isnan(o->achieved[t])),
                      "%d+%d at %g L/h, target %d: %.17g and %.17g", c->stages[0], c->stages[1], c->flows[0], t,
                      c->achieved[t], o->achieved[t]);
    }
    cr_assert_geq(b->best, 0);
    const RxCandidate *best = &b->cand[b->best];
    char *text = NULL;
    cr_assert_eq(rx_design_variant(p2, best, &text, &err), RX_OK, "%s", err.msg);
    RxPlant *q = load_text(text);
    free(text);
    RxSolution *s = solve_ok(q);
    for (int t = 0; t < p2->design.ntargets; t++) {
        RxProductReport rep;
        cr_assert_eq(rx_product_report(q, s, p2->design.targets[t].product, &rep, NULL), RX_OK);
        double cold = rep.purity / 100.0; /* both targets are purities, % */
        cr_expect_leq(fabs(cold - best->achieved[t]), 1e-9 * best->achieved[t], "target %d: %.17g cold, %.17g warm", t,
                      cold, best->achieved[t]);
    }
    rx_solution_destroy(&s);
    rx_plant_destroy(&q);
    rx_design_result_destroy(&a);
    rx_design_result_destroy(&b);
    rx_plant_destroy(&p1);
    rx_plant_destroy(&p2);
}

/* reesx-mpi design on 1 and 3 ranks (3 on this 2-core machine:
 * oversubscribed, so trails cross ranks and wait) writes the outputs of
 * reesx design, byte for byte but for the solver's seconds in
 * summary.json: on a circuit (configs/ndpr_binary.cfg) and on a flowsheet
 * whose passes each run a search (configs/ndpr_plant.cfg).  No .timeout:
 * with one, Criterion 2.4's runner leaks 48 bytes of its own when this
 * long test runs beside others (LeakSanitizer under make asan). */
Test(design, mpi_ranks_give_the_design_of_one_process)
{
    const char *bin = getenv("REESX_BIN");
    cr_assert(bin, "REESX_BIN is not set (run the suite with `make test`)");
    const char *const configs[] = {"configs/ndpr_binary.cfg", "configs/ndpr_plant.cfg"},
                      *designed[] = {"design.cfg", "NdPr/design.cfg"};
    char dir[] = "/tmp/reesx-mpi-design-XXXXXX", cmd[2400];
    cr_assert(mkdtemp(dir));
    for (int c = 0; c < 2; c++) {
        snprintf(cmd, sizeof cmd, "%s design %s/%s -q -o %s/one%d", bin, RX_SOURCE_DIR, configs[c], dir, c);
        cr_assert_eq(system(cmd), 0, "%s", cmd);
        snprintf(cmd, sizeof cmd, "test -s %s/one%d/%s", dir, c, designed[c]);
        cr_assert_eq(system(cmd), 0, "reesx design %s wrote no %s", configs[c], designed[c]);
        for (int ranks = 1; ranks <= 3; ranks += 2) {
            snprintf(cmd, sizeof cmd, "design %s/%s -q -o %s/mpi%d_%d", RX_SOURCE_DIR, configs[c], dir, c, ranks);
            cr_assert_eq(run_mpi(ranks, cmd), 0, "reesx-mpi %s on %d ranks", cmd, ranks);
            snprintf(cmd, sizeof cmd, "diff -r -I '\"seconds\":' %s/one%d %s/mpi%d_%d >&2", dir, c, dir, c, ranks);
            cr_expect_eq(system(cmd), 0, "%s on %d ranks: outputs differ from one process (diff above)", configs[c],
                         ranks);
        }
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_expect_eq(system(cmd), 0);
}

/* A config the ranks cannot load stops every rank with its one message
 * (file:line: setting: what is wrong) and exit 2, writing nothing. */
Test(design, mpi_design_refuses_bad_input_once)
{
    char dir[] = "/tmp/reesx-mpi-bad-XXXXXX", path[600], args[2400];
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/bad.cfg", dir);
    write_text(path, "version = 1;\nsolvent = 3;\n");
    snprintf(args, sizeof args, "design %s -q -o %s/out 2>%s/err", path, dir, dir);
    cr_expect_eq(run_mpi(2, args), 2);
    snprintf(path, sizeof path, "%s/err", dir);
    char *err = read_text(path), where[700];
    snprintf(where, sizeof where, "%s/bad.cfg:2: solvent: unknown setting", dir);
    const char *first = strstr(err, where);
    cr_expect(first && !strstr(first + 1, where), "the message, once, in:\n%s", err);
    snprintf(path, sizeof path, "test -e %s/out", dir);
    cr_expect_neq(system(path), 0, "reesx-mpi wrote %s/out", dir);
    free(err);
    snprintf(args, sizeof args, "rm -rf %s", dir);
    cr_expect_eq(system(args), 0);
}
