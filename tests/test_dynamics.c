/*
 * test_dynamics.c - the dynamic model against independent truth: a single
 * constant-D stage against its analytical first-order response; inventory
 * conservation through scheduled changes; a feed step settling on the steady
 * state of the new inputs; a restart continuing an interrupted run; and long
 * runs from barren solutions ending on the steady state of every shipped
 * config.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rx.h"
#include "support.h"

static RxSimResult *simulate_ok(const RxPlant *p)
{
    RxSimResult *r = NULL;
    RxError err;
    rx_error_clear(&err);
    int rc = rx_simulate(p, NULL, NULL, &r, &err);
    cr_assert_eq(rc, RX_OK, "%s: %s", err.where, err.msg);
    cr_assert(r->completed);
    return r;
}

static int column(const RxSimResult *r, const char *name)
{
    for (int c = 0; c < r->ncols; c++)
        if (strcmp(r->header[c], name) == 0)
            return c;
    cr_assert_fail("no column '%s'", name);
    return -1;
}

/* Fed - left - change of holdup, relative to the largest of them. */
static double inventory_error(const RxSimResult *r, int j)
{
    double scale = fmax(r->fed[j], fmax(r->holdup0[j], r->holdup[j]));
    return (r->fed[j] - r->left[j] - (r->holdup[j] - r->holdup0[j])) / scale;
}

/* Largest difference between two stage profiles, relative to the largest
 * value of each concentration over the cascade. */
static double profile_difference(const RxSolution *a, const RxSolution *b)
{
    double worst = 0;
    for (int ph = 0; ph < 2; ph++)
        for (int j = 0; j < a->M; j++) {
            const double *u = ph ? a->y : a->x, *v = ph ? b->y : b->x;
            double scale = 0;
            for (int k = 0; k < a->N; k++)
                scale = fmax(scale, fabs(v[k * a->M + j]));
            for (int k = 0; scale > 0 && k < a->N; k++)
                worst = fmax(worst, fabs(u[k * a->M + j] - v[k * a->M + j]) / scale);
        }
    return worst;
}

/* ---- one constant-D stage: x(t) = x_ss (1 - exp(-t/tau)) ------------------ */

/* Write the end state of r to a new temp file; path is a mkstemp template. */
static void save_state(const RxPlant *p, const RxSimResult *r, char *path)
{
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    RxError err;
    cr_assert_eq(rx_write_state(p, r, path, &err), RX_OK, "%s", err.msg);
}

Test(dynamics, single_stage_first_order_response)
{
    /* Mixer 100 L at A = O = 100 L/h: 50 L of each phase.  D = 2:
     * tau = (Vaq + Vorg D)/(A + O D) = 150/300 h, x_ss = F c_in/(A + O D). */
    RxPlant *p = load_text("version = 1;\n"
                           "model = { type = \"constant_d\"; D = { La = 2.0; }; };\n"
                           "sections = ( { name = \"extraction\"; stages = 1; mixer = \"100 L\"; } );\n"
                           "feeds = (\n"
                           " { name = \"feed\"; phase = \"aqueous\"; stage = 1; flow = \"100 L/h\"; acid = \"0.1 mol/L\";\n"
                           "   composition = { La = \"0.1 mol/L\"; }; },\n"
                           " { name = \"solvent\"; phase = \"organic\"; stage = 1; flow = \"100 L/h\"; } );\n"
                           "products = ( { name = \"raff\"; stream = \"raffinate\"; targets = [\"La\"]; } );\n"
                           "dynamics = { horizon = \"3 h\"; output_interval = \"0.1 h\"; initial = \"barren\";\n"
                           "             barren_acid = \"0.1 mol/L\"; rtol = 1e-10; atol = \"1e-14 mol/L\"; };\n");
    RxSimResult *r = simulate_ok(p);
    int c = column(r, "raff La [g/L]");
    double mm = rx_plant_element(p, 0)->molar_mass, tau = 0.5, xss = 100.0 * 0.1 / 300.0;
    cr_assert_eq(r->nrows, 31);
    for (int i = 0; i < r->nrows; i++) {
        double t = r->rows[(size_t)i * (size_t)r->ncols];
        double want = xss * (1.0 - exp(-t / tau));
        double got = r->rows[(size_t)i * (size_t)r->ncols + (size_t)c] / mm;
        cr_assert_float_eq(got, want, 1e-7 * xss, "t = %g h: %.12g vs %.12g mol/L", t, got, want);
    }
    cr_assert_lt(fabs(inventory_error(r, 0)), 1e-8);
    rx_sim_result_destroy(&r);
    rx_plant_destroy(&p);
}

/* ---- a small P507 circuit with holdups ------------------------------------ */

static const char *small_dyn =
    "version = 1;\n"
    "extractant = { name = \"P507\"; concentration = \"1.5 mol/L\"; saponification = \"36 %%\"; };\n"
    "sections = (\n"
    "  { name = \"extraction\"; stages = 3; mixer = \"3 min\"; settler = { residence = \"10 min\"; tanks = 2; }; },\n"
    "  { name = \"scrub\"; stages = 3; mixer = \"0.01 m3\";\n"
    "    settler = { area = \"0.05 m2\"; aqueous_depth = \"0.1 m\"; organic_depth = \"15 cm\"; tanks = 1; }; } );\n"
    "feeds = (\n"
    "  { name = \"feed\"; phase = \"aqueous\"; stage = \"extraction:last\"; flow = \"100 L/h\"; acid = \"pH 2\";\n"
    "    composition = { La = \"50 g/L REO\"; Nd = \"20 g/L REO\"; }; },\n"
    "  { name = \"scrub acid\"; phase = \"aqueous\"; stage = \"scrub:last\"; flow = \"12 L/h\"; acid = \"3 mol/L\"; },\n"
    "  { name = \"fresh organic\"; phase = \"organic\"; stage = 1; flow = \"100 L/h\"; } );\n"
    "products = ( { name = \"La\"; stream = \"raffinate\"; targets = [\"La\"]; },\n"
    "             { name = \"Nd\"; stream = \"organic\"; targets = [\"Nd\"]; } );\n"
    "dynamics = { %s };\n";

static RxPlant *small_plant(const char *dynamics)
{
    char text[4096];
    snprintf(text, sizeof text, small_dyn, dynamics);
    return load_text(text);
}

Test(dynamics, inventory_is_conserved_through_changes)
{
    RxPlant *p = small_plant("horizon = \"30 h\"; output_interval = \"1 h\"; rtol = 1e-9; atol = \"1e-13 mol/L\";\n"
                             "events = ( { time = \"5 h\"; stream = \"feed\"; flow = \"120 L/h\"; },\n"
                             "  { time = \"8 h\"; stream = \"scrub acid\"; acid = \"2.5 mol/L\"; },\n"
                             "  { time = \"10 h\"; stream = \"feed\"; composition = { La = \"40 g/L\"; Nd = \"25 g/L\"; }; },\n"
                             "  { time = \"12 h\"; stream = \"fresh organic\"; saponification = \"30 %\"; },\n"
                             "  { time = \"15 h\"; stream = \"fresh organic\"; flow = \"0 L/h\"; },\n"
                             "  { time = \"16 h\"; stream = \"fresh organic\"; flow = \"100 L/h\"; } );");
    RxSimResult *r = simulate_ok(p);
    for (int j = 0; j < p->nsp; j++)
        cr_assert_lt(fabs(inventory_error(r, j)), 1e-8, "%s: %g", rx_plant_element(p, j)->sym,
                     inventory_error(r, j));
    rx_sim_result_destroy(&r);
    rx_plant_destroy(&p);
}

Test(dynamics, feed_step_settles_on_the_new_steady_state)
{
    RxPlant *p = small_plant("horizon = \"400 h\"; output_interval = \"10 h\"; initial = \"steady\";\n"
                             "rtol = 1e-10; atol = \"1e-15 mol/L\";\n"
                             "events = ( { time = \"1 h\"; stream = \"feed\"; flow = \"105 L/h\"; } );");
    RxSimResult *r = simulate_ok(p);
    /* The steady state of the new inputs, from the steady solver. */
    RxEvent *e = &p->dynamics.events[0];
    p->feeds[e->feed] = e->state;
    RxSolution *s = NULL;
    RxError err;
    cr_assert_eq(rx_circuit_solve(p, &s, &err), RX_OK, "%s", err.msg);
    double diff = profile_difference(r->final, s);
    cr_assert_lt(diff, 1e-6, "dynamic end differs from the new steady state by %g", diff);
    rx_solution_destroy(&s);
    rx_sim_result_destroy(&r);
    rx_plant_destroy(&p);
}

Test(dynamics, restart_from_a_saved_state_continues_the_run)
{
    const char *tol = "rtol = 1e-10; atol = \"1e-15 mol/L\";";
    char dyn[512];
    snprintf(dyn, sizeof dyn, "horizon = \"20 h\"; output_interval = \"1 h\"; %s", tol);
    RxPlant *whole = small_plant(dyn);
    RxSimResult *a = simulate_ok(whole);

    snprintf(dyn, sizeof dyn, "horizon = \"10 h\"; output_interval = \"1 h\"; %s", tol);
    RxPlant *first = small_plant(dyn);
    RxSimResult *b = simulate_ok(first);
    char state[] = "/tmp/reesx-state-XXXXXX";
    save_state(first, b, state);

    snprintf(dyn, sizeof dyn, "horizon = \"20 h\"; output_interval = \"1 h\"; initial = \"state\"; state_file = \"%s\"; %s",
             state, tol);
    RxPlant *second = small_plant(dyn);
    RxSimResult *c = simulate_ok(second);
    unlink(state);
    cr_assert_float_eq(c->rows[0], 10.0, 1e-12, "restart starts at %g h", c->rows[0]);
    double diff = profile_difference(c->final, a->final);
    cr_assert_lt(diff, 1e-6, "restarted run differs from the uninterrupted one by %g", diff);
    rx_sim_result_destroy(&a);
    rx_sim_result_destroy(&b);
    rx_sim_result_destroy(&c);
    rx_plant_destroy(&whole);
    rx_plant_destroy(&first);
    rx_plant_destroy(&second);
}

Test(dynamics, a_state_at_the_horizon_is_refused)
{
    RxPlant *first = small_plant("horizon = \"2 h\"; output_interval = \"1 h\";");
    RxSimResult *a = simulate_ok(first);
    char state[] = "/tmp/reesx-state-XXXXXX";
    save_state(first, a, state);
    char dyn[512];
    snprintf(dyn, sizeof dyn, "horizon = \"2 h\"; initial = \"state\"; state_file = \"%s\";", state);
    RxPlant *again = small_plant(dyn);
    RxSimResult *r = NULL;
    RxError err;
    rx_error_clear(&err);
    cr_assert_eq(rx_simulate(again, NULL, NULL, &r, &err), RX_BAD_INPUT);
    cr_assert(strstr(err.msg, "not before the horizon"), "%s", err.msg);
    cr_assert_null(r);
    unlink(state);
    rx_sim_result_destroy(&a);
    rx_plant_destroy(&first);
    rx_plant_destroy(&again);
}

Test(dynamics, integrator_failure_says_when_and_where)
{
    RxPlant *p = small_plant("horizon = \"10 h\"; max_steps = 5;");
    RxSimResult *r = NULL;
    RxError err;
    rx_error_clear(&err);
    int rc = rx_simulate(p, NULL, NULL, &r, &err);
    cr_assert_eq(rc, RX_NOT_CONVERGED);
    cr_assert(strstr(err.msg, "t = ") && strstr(err.msg, "stage ") && strstr(err.msg, "CV_TOO_MUCH_WORK"), "%s",
              err.msg);
    cr_assert(r && !r->completed && r->nrows >= 1, "partial result kept for writing");
    rx_sim_result_destroy(&r);
    rx_plant_destroy(&p);
}

/* ---- every shipped config with holdups: a long run from barren ends on the steady state */

Test(dynamics_long, barren_start_ends_on_the_steady_state_of_every_config)
{
    RxPlant *plants[RX_TEST_MAX_CONFIGS];
    int n = load_shipped_configs(plants, RX_TEST_MAX_CONFIGS), ran = 0;
    for (int c = 0; c < n; c++) {
        RxPlant *p = plants[c];
        const char *path = p->path;
        RxError err;
        if (!p->dynamics.present) { /* a design example without holdups */
            rx_plant_destroy(&p);
            continue;
        }
        ran++;
        /* Constant inputs, long enough for the slowest reflux mode to die out. */
        p->dynamics.nevents = 0;
        p->dynamics.initial = RX_START_BARREN;
        p->dynamics.horizon = 2e5;
        p->dynamics.interval = 2e4;
        p->dynamics.rtol = 1e-9;
        p->dynamics.atol = 1e-14;
        RxSimResult *r = simulate_ok(p);
        RxSolution *s = NULL;
        cr_assert_eq(rx_circuit_solve(p, &s, &err), RX_OK, "%s", err.msg);
        double diff = profile_difference(r->final, s);
        cr_assert_lt(diff, 1e-6, "%s: end of the run differs from the steady state by %g", path, diff);
        for (int j = 0; j < p->nsp; j++)
            cr_assert_lt(fabs(inventory_error(r, j)), 1e-8, "%s: %s inventory", path, rx_plant_element(p, j)->sym);
        rx_solution_destroy(&s);
        rx_sim_result_destroy(&r);
        rx_plant_destroy(&p);
    }
    cr_assert_geq(ran, 2, "default.cfg and tb_dy.cfg have dynamics groups");
}
