/*
 * test_warmstart.c - a solution carried over to other stage counts
 * (solver/warmstart.c) must start Newton close enough that the warm solve
 * ends where the cold solve of the same plant ends, in far fewer
 * iterations; plants that are not alike give an error, not a start.
 */
#include "rx.h"
#include "support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Warm and cold solves of one plant each meet the solver's residual
 * tolerance (1e-12 in ln T); their products agree to that times the
 * circuit's conditioning.  ndpr_binary near its knife edge amplifies it
 * about a thousandfold: its raffinate Nd, a trace, differed by 1.7e-9
 * between the nested cold solve and the warm one at 61 + 23 stages. */
#define SAME_REL 1e-8
/* A warm solve takes at most this share of the cold solve's iterations
 * (measured on ndpr_binary 17+29 -> 20+25 stages: cold 91, warm 10, and
 * back: 57 and 8; docs/model.md, "Warm starts and continuation"). */
#define WARM_SHARE 0.2


/* p with sections 0 and 1 at n0 and n1 stages and feed `feed` at flow (L/h). */
static RxPlant *variant(const RxPlant *p, int n0, int n1, int feed, double flow)
{
    RxPlant *q = NULL;
    RxError err;
    int sec[2] = {0, 1}, st[2] = {n0, n1};
    cr_assert_eq(rx_plant_copy(p, &q, &err), RX_OK);
    cr_assert_eq(rx_plant_set_stages(q, 2, sec, st, &err), RX_OK, "%s", err.msg);
    RxFeedSet fs = {.feed = feed, .flow = flow, .acid = -1, .ncomp = 0};
    cr_assert_eq(rx_plant_set_feed(q, &fs, &err), RX_OK, "%s", err.msg);
    return q;
}

/* Solve `to` cold and warm from (from, s); both must agree, the warm one in
 * at most WARM_SHARE of the cold one's iterations. */
static void warm_matches_cold(const RxPlant *from, const RxSolution *s, const RxPlant *to, int mode)
{
    RxSolution *cold = solve_ok(to), *start = NULL, *warm = NULL;
    RxError err;
    cr_assert_eq(rx_solution_remap(from, s, to, mode, &start, &err), RX_OK, "%s", err.msg);
    cr_assert_eq(start->N, to->nstages);
    cr_assert_eq(rx_circuit_solve_from(to, start, &warm, &err), RX_OK, "%s", err.msg);
    cr_expect_lt(warm->max_closure, RX_CLOSURE_TOL);
    cr_log_info("%s: %d -> %d stages: cold %d iterations, warm %d", to->path, from->nstages, to->nstages,
                cold->iterations, warm->iterations);
    cr_expect_lt(warm->iterations, WARM_SHARE * cold->iterations, "warm %d iterations, cold %d", warm->iterations,
                 cold->iterations);
    expect_same_outlets(to, warm, cold, SAME_REL);
    rx_solution_destroy(&start);
    rx_solution_destroy(&warm);
    rx_solution_destroy(&cold);
}

Test(warmstart, design_pair_converges_to_the_cold_solution)
{
    RxPlant *p = load_config("configs/ndpr_binary.cfg");
    int solvent = p->nfeeds - 1;
    cr_assert_str_eq(p->feeds[solvent].name, "solvent");
    RxPlant *a = variant(p, 17, 29, solvent, 203.9), *b = variant(p, 20, 25, solvent, 203.9);
    RxSolution *s = solve_ok(a);
    warm_matches_cold(a, s, b, RX_REMAP_STRETCH);
    rx_solution_destroy(&s);
    s = solve_ok(b);
    warm_matches_cold(b, s, a, RX_REMAP_STRETCH); /* and back: fewer extraction stages, more scrub */
    rx_solution_destroy(&s);
    rx_plant_destroy(&a);
    rx_plant_destroy(&b);
    rx_plant_destroy(&p);
}

/* A long extraction section with a pinch: one stage more goes into the
 * pinch (measured: 1 iteration from the pinch way, 8 from the stretch,
 * 70 cold; before issue 12's solver the stretch start failed and the cold
 * solve took 524). */
Test(warmstart, pinch_for_a_long_section)
{
    RxPlant *p = load_config("configs/ndpr_binary.cfg");
    int solvent = p->nfeeds - 1;
    RxPlant *a = variant(p, 60, 23, solvent, 203.8), *b = variant(p, 61, 23, solvent, 203.8);
    RxSolution *s = solve_ok(a);
    warm_matches_cold(a, s, b, RX_REMAP_PINCH);
    rx_solution_destroy(&s);
    s = solve_ok(b);
    warm_matches_cold(b, s, a, RX_REMAP_PINCH); /* and one stage less */
    rx_solution_destroy(&s);
    rx_plant_destroy(&a);
    rx_plant_destroy(&b);
    rx_plant_destroy(&p);
}

/* The pinch way keeps each section's end stages as they were. */
Test(warmstart, pinch_keeps_the_ends)
{
    RxPlant *p = load_config("configs/ndpr_binary.cfg");
    int solvent = p->nfeeds - 1;
    RxPlant *a = variant(p, 17, 29, solvent, 203.9), *b = variant(p, 30, 12, solvent, 203.9);
    RxSolution *s = solve_ok(a), *start = NULL;
    RxError err;
    cr_assert_eq(rx_solution_remap(a, s, b, RX_REMAP_PINCH, &start, &err), RX_OK, "%s", err.msg);
    for (int k = 0; k < 2; k++) {
        const RxSection *sa = &a->sections[k], *sb = &b->sections[k];
        for (int j = 0; j < s->M; j++) {
            double fa = s->T[sa->first * s->M + j], la = s->T[(sa->first + sa->count - 1) * s->M + j];
            cr_expect_leq(fabs(start->T[sb->first * s->M + j] - fa), 1e-14 * fa, "section %d first", k);
            cr_expect_leq(fabs(start->T[(sb->first + sb->count - 1) * s->M + j] - la), 1e-14 * la, "section %d last", k);
        }
    }
    rx_solution_destroy(&start);
    cr_expect_eq(rx_solution_remap(a, s, b, 7, &start, &err), RX_BAD_INPUT);
    cr_expect_null(start);
    rx_solution_destroy(&s);
    rx_plant_destroy(&a);
    rx_plant_destroy(&b);
    rx_plant_destroy(&p);
}

Test(warmstart, same_layout_is_a_copy_of_the_totals)
{
    RxPlant *p = load_config("configs/ndpr_binary.cfg");
    RxSolution *s = solve_ok(p), *start = NULL;
    RxError err;
    cr_assert_eq(rx_solution_remap(p, s, p, RX_REMAP_STRETCH, &start, &err), RX_OK, "%s", err.msg);
    for (int i = 0; i < s->N * s->M; i++)
        cr_expect_leq(fabs(start->T[i] - s->T[i]), 1e-14 * s->T[i], "component %d", i);
    rx_solution_destroy(&start);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}

Test(warmstart, one_stage_sections)
{
    RxPlant *p = load_config("configs/ndpr_binary.cfg");
    int solvent = p->nfeeds - 1;
    RxPlant *one = variant(p, 1, 1, solvent, 203.9), *many = variant(p, 5, 7, solvent, 203.9);
    RxSolution *s = solve_ok(one), *start = NULL;
    RxError err;
    cr_assert_eq(rx_solution_remap(one, s, many, RX_REMAP_STRETCH, &start, &err), RX_OK, "%s", err.msg);
    for (int k = 0; k < 5; k++) /* every extraction stage takes the only one */
        cr_expect_eq(start->T[k * s->M], s->T[0]);
    for (int k = 5; k < 12; k++)
        cr_expect_eq(start->T[k * s->M + 1], s->T[s->M + 1]);
    rx_solution_destroy(&start);
    rx_solution_destroy(&s);
    s = solve_ok(many);
    cr_assert_eq(rx_solution_remap(many, s, one, RX_REMAP_STRETCH, &start, &err), RX_OK, "%s", err.msg);
    /* 5 stages: the middle is stage 3 (index 2) exactly */
    cr_expect_leq(fabs(start->T[0] - s->T[2 * s->M]), 1e-14 * s->T[2 * s->M]);
    rx_solution_destroy(&start);
    rx_solution_destroy(&s);
    rx_plant_destroy(&one);
    rx_plant_destroy(&many);
    rx_plant_destroy(&p);
}

Test(warmstart, unlike_plants_are_refused)
{
    RxPlant *a = load_config("configs/ndpr_binary.cfg"), *b = load_config("configs/default.cfg");
    RxSolution *s = solve_ok(a), *start = NULL;
    RxError err;
    rx_error_clear(&err);
    cr_expect_eq(rx_plants_alike(a, b), 0);
    cr_expect_eq(rx_solution_remap(a, s, b, RX_REMAP_STRETCH, &start, &err), RX_BAD_INPUT);
    cr_expect_null(start);
    cr_expect(strstr(err.msg, "differ") != NULL, "%s", err.msg);
    /* same species, a section renamed */
    RxPlant *c = NULL;
    cr_assert_eq(rx_plant_copy(a, &c, &err), RX_OK);
    snprintf(c->sections[1].name, sizeof c->sections[1].name, "wash");
    cr_expect_eq(rx_solution_remap(a, s, c, RX_REMAP_STRETCH, &start, &err), RX_BAD_INPUT);
    cr_expect_null(start);
    /* a solution that is not this plant's */
    cr_expect_eq(rx_solution_remap(c, s, c, RX_REMAP_STRETCH, &start, &err), RX_OK);
    rx_solution_destroy(&start);
    RxPlant *d = NULL;
    int sec = 0, st = 3;
    cr_assert_eq(rx_plant_copy(a, &d, &err), RX_OK);
    cr_assert_eq(rx_plant_set_stages(d, 1, &sec, &st, &err), RX_OK);
    cr_expect_eq(rx_solution_remap(d, s, a, RX_REMAP_STRETCH, &start, &err), RX_BAD_INPUT);
    cr_expect(strstr(err.msg, "stages") != NULL, "%s", err.msg);
    cr_expect_null(start);
    s->T[3] = NAN;
    cr_expect_eq(rx_solution_remap(a, s, a, RX_REMAP_STRETCH, &start, &err), RX_BAD_INPUT);
    cr_expect(strstr(err.msg, "not positive") != NULL, "%s", err.msg);
    cr_expect_eq(rx_solution_remap(NULL, s, a, RX_REMAP_STRETCH, &start, &err), RX_BAD_INPUT);
    rx_solution_destroy(&s);
    rx_plant_destroy(&a);
    rx_plant_destroy(&b);
    rx_plant_destroy(&c);
    rx_plant_destroy(&d);
}
