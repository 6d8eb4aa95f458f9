/*
 * test_continuation.c - one parameter of a solved plant moved in
 * warm-started steps (solver/continuation.c) must end where the cold
 * solve of the edited plant ends, and a move the plant cannot make must
 * end in a clear error; the saponification edit (core/plant_edit.c) must
 * give the plant the loader gives.
 */
#include "models/model.h"
#include "rx.h"
#include "support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Continuation and cold solve agree in their products to this (both are
 * converged to the solver's 1e-12 in ln T). */
#define SAME_REL 1e-9
/* configs/default.cfg's feeds. */
#define SCRUB 1
#define ORGANIC 2


/* Continue default.cfg's parameter to target; the end must be the cold
 * solve of the plant at the target, closed to RX_CLOSURE_TOL. */
static void continues_to_cold(int param, int feed, double target)
{
    RxPlant *p = load_config("configs/default.cfg");
    RxSolution *s = solve_ok(p);
    RxContinuation c = {.param = param, .feed = feed, .target = target};
    RxContinuationResult r;
    RxError err;
    cr_assert_eq(rx_continue(p, s, &c, &r, &err), RX_OK, "%s", err.msg);
    cr_expect_eq(rx_continuation_value(r.plant, &c), target);
    cr_expect_lt(r.sol->max_closure, RX_CLOSURE_TOL);
    RxSolution *cold = solve_ok(r.plant);
    cr_log_info("parameter %d -> %g: %d steps (%d halved), %d iterations; cold at the target %d, from the start %d",
                param, target, r.steps, r.failed, r.iterations, cold->iterations, s->iterations);
    expect_same_outlets(r.plant, r.sol, cold, SAME_REL);
    /* the edit is the one a cold solve of a plant edited directly sees */
    cr_expect_eq(r.plant->options.max_iterations, p->options.max_iterations);
    rx_solution_destroy(&cold);
    rx_continuation_result_free(&r);
    cr_expect_null(r.plant);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}

Test(continuation, organic_flow_up_2_percent, .timeout = 60)
{
    continues_to_cold(RX_CONTINUE_FEED_FLOW, ORGANIC, 498.45 * 1.02);
}

Test(continuation, scrub_acid_up_2_percent, .timeout = 60)
{
    continues_to_cold(RX_CONTINUE_FEED_ACID, SCRUB, 3.0 * 1.02);
}

Test(continuation, saponification_36_to_37_percent, .timeout = 60)
{
    continues_to_cold(RX_CONTINUE_SAPONIFICATION, 0, 0.37);
}

Test(continuation, organic_flow_down_across_the_balance, .timeout = 60)
{
    /* 498.38 L/h, where default.cfg says the front is nearly free to move */
    continues_to_cold(RX_CONTINUE_FEED_FLOW, ORGANIC, 498.30);
}

/* Bad moves are refused before any solve, with the parameter named. */
Test(continuation, refused_targets)
{
    RxPlant *p = load_config("configs/default.cfg");
    RxSolution *s = solve_ok(p);
    struct {
        RxContinuation c;
        const char *says;
    } bad[] = {
        {{.param = RX_CONTINUE_SAPONIFICATION, .target = 0.55}, "the target 55 % is refused"},
        {{.param = RX_CONTINUE_SAPONIFICATION, .target = 0}, "take the base out"},
        {{.param = RX_CONTINUE_FEED_FLOW, .feed = ORGANIC, .target = 0}, "flow must be positive"},
        {{.param = RX_CONTINUE_FEED_ACID, .feed = SCRUB, .target = 25}, "at most 20 mol/L"},
        {{.param = RX_CONTINUE_FEED_ACID, .feed = ORGANIC, .target = 1}, "an organic feed has no acid"},
        {{.param = RX_CONTINUE_FEED_FLOW, .feed = 7, .target = 1}, "no parameter"},
        {{.param = 9, .target = 1}, "no parameter"},
        {{.param = RX_CONTINUE_FEED_FLOW, .feed = 0, .target = NAN}, "must be finite"},
        {{.param = RX_CONTINUE_FEED_FLOW, .feed = 0, .target = 110, .first_step = -1}, "must be finite"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        RxContinuationResult r;
        RxError err;
        rx_error_clear(&err);
        cr_expect_eq(rx_continue(p, s, &bad[i].c, &r, &err), RX_BAD_INPUT, "case %zu", i);
        cr_expect(strstr(err.msg, bad[i].says) != NULL, "case %zu: %s", i, err.msg);
        cr_expect_null(r.plant);
        cr_expect_null(r.sol);
    }
    RxSolution *small = NULL;
    cr_assert_eq(rx_solution_alloc(&small, 3, p->nsp), RX_OK);
    RxContinuation c = {.param = RX_CONTINUE_FEED_FLOW, .feed = 0, .target = 110};
    RxContinuationResult r;
    RxError err;
    cr_expect_eq(rx_continue(p, small, &c, &r, &err), RX_BAD_INPUT);
    cr_expect(strstr(err.msg, "the start has 3 stages") != NULL, "%s", err.msg);
    rx_solution_destroy(&small);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}

/* A move the solver cannot follow (here every solve is held to 2
 * iterations) stalls with the parameter, the value reached and why. */
Test(continuation, stalls_with_a_clear_error, .timeout = 60)
{
    RxPlant *p = load_config("configs/default.cfg");
    RxSolution *s = solve_ok(p);
    p->options.max_iterations = 2;
    RxContinuation c = {.param = RX_CONTINUE_FEED_FLOW, .feed = ORGANIC, .target = 498.45 * 1.02, .max_solves = 50};
    RxContinuationResult r;
    RxError err;
    rx_error_clear(&err);
    cr_expect_eq(rx_continue(p, s, &c, &r, &err), RX_NOT_CONVERGED);
    cr_expect(strstr(err.msg, "continuation in the flow of feed 'fresh organic' stalled at 498.") != NULL, "%s",
              err.msg);
    cr_expect(strstr(err.msg, "towards 508.419 L/h") != NULL, "%s", err.msg);
    cr_expect(strstr(err.msg, "did not converge") != NULL, "%s", err.msg);
    cr_expect_null(r.plant);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}

/* default.cfg's text with its saponification given as pct (e.g. "37 %"). */
static RxPlant *default_with_saponification(const char *pct)
{
    FILE *f = fopen(RX_SOURCE_DIR "/configs/default.cfg", "r");
    cr_assert_not_null(f);
    static char text[1 << 16], out[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = 0;
    const char *key = "saponification = \"36 %\"";
    char *at = strstr(text, key);
    cr_assert_not_null(at);
    snprintf(out, sizeof out, "%.*ssaponification = \"%s\"%s", (int)(at - text), text, pct, at + strlen(key));
    return load_text(out);
}

/* The edit gives the organic the base the loader gives it, and the same
 * steady state to the last bit. */
Test(continuation, saponification_edit_matches_the_loader)
{
    RxPlant *p = load_config("configs/default.cfg"), *want = default_with_saponification("37 %");
    RxError err;
    cr_assert_eq(rx_plant_set_saponification(p, want->saponification, &err), RX_OK, "%s", err.msg);
    cr_expect_eq(p->saponification, want->saponification);
    for (int i = 0; i < p->nfeeds; i++) {
        cr_expect_eq(p->feeds[i].sap, want->feeds[i].sap, "feed %d", i);
        for (int j = 0; j < p->nsp; j++)
            cr_expect_eq(p->feeds[i].c[j], want->feeds[i].c[j], "feed %d species %d", i, j);
    }
    for (int i = 0; i < p->dynamics.nevents; i++)
        cr_expect_eq(p->dynamics.events[i].state.sap, want->dynamics.events[i].state.sap);
    RxSolution *a = solve_ok(p), *b = solve_ok(want);
    for (int i = 0; i < a->N * a->M; i++)
        cr_expect_eq(a->T[i], b->T[i], "component %d", i);
    rx_solution_destroy(&a);
    rx_solution_destroy(&b);
    rx_plant_destroy(&want);
    rx_plant_destroy(&p);
}

Test(continuation, saponification_edit_refuses_what_the_loader_refuses)
{
    RxPlant *p = load_config("configs/default.cfg"), *bin = load_config("configs/ndpr_binary.cfg");
    double was = p->saponification;
    struct {
        double sap;
        const char *says;
    } bad[] = {{0.5, "50 % is not feasible"}, {-0.1, "is not feasible"}, {NAN, "is not feasible"},
               {0, "take the base out"}, {1e-31, "below the least amount"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        RxError err;
        rx_error_clear(&err);
        cr_expect_eq(rx_plant_set_saponification(p, bad[i].sap, &err), RX_BAD_INPUT, "case %zu", i);
        cr_expect(strstr(err.msg, bad[i].says) != NULL, "case %zu: %s", i, err.msg);
        cr_expect_eq(p->saponification, was, "case %zu left the plant as it was", i);
    }
    RxError err;
    cr_expect_eq(rx_plant_set_saponification(bin, 0.3, &err), RX_BAD_INPUT);
    cr_expect(strstr(err.msg, "not saponified") != NULL, "%s", err.msg);
    /* 49 % of 1.5 mol/L P507 with the metals of a loaded organic would
     * over-saturate it: the model check says so */
    cr_assert_eq(rx_plant_set_saponification(p, 0.49, &err), RX_OK, "%s", err.msg);
    RxFeedSet fs = {.feed = ORGANIC, .flow = -1, .acid = -1, .ncomp = 1, .sym = {"Nd"}, .conc = {0.1}};
    cr_assert_eq(rx_plant_set_feed(p, &fs, &err), RX_OK, "%s", err.msg);
    if (!p->model)
        cr_assert_eq(rx_model_build(p, &err), RX_OK, "%s", err.msg);
    cr_expect_eq(rx_model_check_organic(p, &err), RX_BAD_INPUT);
    cr_expect(strstr(err.msg, "over-saturated") != NULL, "%s", err.msg);
    rx_plant_destroy(&bin);
    rx_plant_destroy(&p);
}
