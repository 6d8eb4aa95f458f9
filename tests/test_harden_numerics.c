/*
 * test_harden_numerics.c - the numeric defects of issue 11 (hardening):
 * no NaN or inf in what a command writes (defect 5 and the guard on every
 * solution), amounts too small to resolve refused with file:line (13), the
 * start of non-ideal circuits near 50 % saponification (13), a deep circuit
 * within the default iterations (13), [H+] <= 0 reported as a failure (14),
 * and the Pitzer stage solve in a few rounds (15).  Fixtures:
 * tests/fixtures/harden_numerics/.  The command-line checks run
 * $REESX_BIN (set by `make test`).
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

#define FIXTURES "tests/fixtures/harden_numerics/"

/* ---- defect 13: non-ideal stages near 50 % saponification --------------- */

Test(harden_numerics, nonideal_start_within_capacity)
{
    RxPlant *p = load_config(FIXTURES "nonideal_half_sap.cfg");
    RxSolution *s = solve_ok(p);
    cr_expect(s->max_closure <= RX_CLOSURE_TOL, "closure %g", s->max_closure);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}

/* Load fixture name, which must be refused: RX_BAD_INPUT at line, setting
 * and phrase in the message. */
static void check_refused(const char *name, int line, const char *setting, const char *phrase)
{
    char path[1200], where[64];
    snprintf(path, sizeof path, "%s/" FIXTURES "%s.cfg", RX_SOURCE_DIR, name);
    RxPlant *p = NULL;
    RxError err;
    rx_error_clear(&err);
    int rc = rx_plant_load(path, &p, &err);
    cr_assert_eq(rc, RX_BAD_INPUT, "%s: loads (rc %d), should be refused", name, rc);
    snprintf(where, sizeof where, ":%d", line);
    cr_expect(strstr(err.where, where) != NULL, "%s: at '%s', expected line %d", name, err.where, line);
    cr_expect(strncmp(err.msg, setting, strlen(setting)) == 0, "%s: '%s' does not name %s", name, err.msg, setting);
    cr_expect(strstr(err.msg, phrase) != NULL, "%s: '%s' does not say '%s'", name, err.msg, phrase);
    rx_plant_destroy(&p);
}

/* ---- defect 13: amounts below the resolution floor ---------------------- */

Test(harden_numerics, denormal_metal_refused)
{
    check_refused("metal_denormal", 12, "feeds[0].composition.Sm", "below the least amount reesx resolves");
}

Test(harden_numerics, denormal_saponification_refused)
{
    check_refused("sap_denormal", 3, "extractant.saponification", "below the least amount reesx resolves");
}

Test(harden_numerics, tiny_acid_refused)
{
    check_refused("acid_tiny", 14, "feeds[1].acid", "below pH 14");
}

Test(harden_numerics, tiny_extractant_refused)
{
    check_refused("extractant_tiny", 3, "extractant.concentration", "below the least amount reesx resolves");
}

/* The floor itself is an amount the circuit resolves. */
Test(harden_numerics, amount_at_the_floor_solves)
{
    RxPlant *p = load_config("tests/fixtures/small.cfg");
    int nd = rx_plant_species(p, "Nd");
    cr_assert(nd >= 0);
    for (int i = 0; i < p->nfeeds; i++)
        if (p->feeds[i].c[nd] > 0)
            p->feeds[i].c[nd] = RX_MIN_MOLAR;
    RxSolution *s = solve_ok(p);
    cr_expect(s->max_closure <= RX_CLOSURE_TOL);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}

/* Run `reesx cmd FIXTURE -q -o DIR`; the exit status, and the file `file`
 * of DIR (malloc'd, NULL if absent) in *text when text is not NULL. */
static int run_cli(const char *cmd, const char *name, const char *file, char **text)
{
    const char *bin = getenv("REESX_BIN");
    cr_assert(bin && bin[0], "REESX_BIN is not set (run the suite with `make test`)");
    char dir[] = "/tmp/rx-harden-XXXXXX", line[4096];
    cr_assert(mkdtemp(dir), "mkdtemp");
    snprintf(line, sizeof line, "'%s' %s '%s/" FIXTURES "%s.cfg' -q -o '%s/out' >/dev/null 2>&1", bin, cmd,
             RX_SOURCE_DIR, name, dir);
    int st = system(line);
    if (text) {
        *text = NULL;
        snprintf(line, sizeof line, "%s/out/%s", dir, file);
        FILE *f = fopen(line, "rb");
        if (f) {
            *text = calloc(1, 1 << 20);
            cr_assert(*text);
            size_t n = fread(*text, 1, (1 << 20) - 1, f);
            (*text)[n] = '\0';
            fclose(f);
        }
    }
    snprintf(line, sizeof line, "rm -rf '%s'", dir);
    cr_assert_eq(system(line), 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* ---- defect 5: cost of an NH4OH plant at 0 % saponification ------------- */

/* 1 when text holds word not inside a longer word. */
static int has_word(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *t = strstr(text, word); t; t = strstr(t + 1, word))
        if ((t == text || !isalpha((unsigned char)t[-1])) && !isalpha((unsigned char)t[n]))
            return 1;
    return 0;
}

Test(harden_numerics, cost_unsaponified_nh4oh_is_finite)
{
    RxPlant *p = load_config(FIXTURES "nh4oh_unsaponified.cfg");
    RxSolution *s = solve_ok(p);
    RxCostResult c;
    RxError err;
    cr_assert_eq(rx_cost(p, s, &c, &err), RX_OK, "%s", err.msg);
    cr_expect_eq(c.base, 0.0, "no base is fed, so none is bought: %g USD/yr", c.base);
    cr_expect(isfinite(c.opex) && isfinite(c.cost_per_kg) && isfinite(c.npv), "opex %g, cost %g/kg, NPV %g", c.opex,
              c.cost_per_kg, c.npv);
    for (int i = 0; i < c.nproducts; i++)
        cr_expect(isfinite(c.prod_cost_per_kg[i]), "%s: %g USD/kg", c.prod_name[i], c.prod_cost_per_kg[i]);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}

Test(harden_numerics, cost_json_has_no_null)
{
    char *json;
    int status = run_cli("cost", "nh4oh_unsaponified", "cost.json", &json);
    cr_assert_eq(status, 0, "reesx cost exits %d", status);
    cr_assert(json, "no cost.json");
    cr_expect(!has_word(json, "null") && !has_word(json, "nan") && !has_word(json, "inf"),
              "cost.json holds null, nan or inf:\n%s", json);
    free(json);
}

/* A cost that cannot be computed is an error with its reason, not NaN. */
Test(harden_numerics, cost_without_products_is_an_error)
{
    RxPlant *p = load_config(FIXTURES "nh4oh_unsaponified.cfg");
    p->nproducts = 0;
    RxSolution *s = solve_ok(p);
    RxCostResult c;
    RxError err;
    rx_error_clear(&err);
    cr_assert_eq(rx_cost(p, s, &c, &err), RX_BAD_INPUT, "costed a plant that sells nothing: %g USD/kg",
                 c.cost_per_kg);
    cr_expect(strstr(err.msg, "no cost per kg REO") != NULL, "%s", err.msg);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}

/* ---- the guard on every solution, and defect 14 ------------------------- */

Test(harden_numerics, solution_check_names_the_stage)
{
    RxPlant *p = load_config("tests/fixtures/small.cfg");
    RxSolution *s = solve_ok(p);
    RxError err;
    cr_expect_eq(rx_solution_check(p, s, &err), RX_OK, "%s", err.msg);
    double h = s->h[2];
    s->h[2] = 0;
    rx_error_clear(&err);
    cr_expect_eq(rx_solution_check(p, s, &err), RX_NOT_CONVERGED, "[H+] = 0 passed");
    cr_expect(strstr(err.msg, "stage 3: [H+]") != NULL, "%s", err.msg);
    s->h[2] = h;
    s->y[4 * s->M + 1] = NAN;
    rx_error_clear(&err);
    cr_expect_eq(rx_solution_check(p, s, &err), RX_NOT_CONVERGED, "a NaN passed");
    cr_expect(strstr(err.msg, "stage 5: Nd is not a finite number") != NULL, "%s", err.msg);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}

/* 1e9 L mixers: the raffinate's [H+] fell to or below 0, the pH column went
 * empty and simulate exited 0.  Now: exit 3 naming stage 1, and the rows
 * kept are all finite. */
Test(harden_numerics, huge_mixers_acid_not_resolved)
{
    RxPlant *p = load_config(FIXTURES "huge_mixers.cfg");
    RxSimResult *r = NULL;
    RxError err;
    rx_error_clear(&err);
    int rc = rx_simulate(p, NULL, NULL, &r, &err);
    cr_expect_eq(rc, RX_NOT_CONVERGED, "rc %d", rc);
    cr_expect(strstr(err.msg, "stage 1: the raffinate's [H+]") != NULL, "%s", err.msg);
    cr_assert(r, "the rows before the failure are kept");
    for (size_t i = 0; i < (size_t)r->nrows * (size_t)r->ncols; i++)
        cr_assert(isfinite(r->rows[i]), "row %zu, column %zu is %g", i / (size_t)r->ncols, i % (size_t)r->ncols,
                  r->rows[i]);
    rx_sim_result_destroy(&r);
    rx_plant_destroy(&p);
    cr_expect_eq(run_cli("simulate", "huge_mixers", NULL, NULL), 3, "reesx simulate must exit 3");
}

/* ---- defect 15: the Pitzer stage solve ---------------------------------- */

/* A stage of tests/fixtures/harden_numerics/pitzer_9_stages.cfg, as the
 * circuit met it (scrub-acid stage, mol/h and L/h, warm start in ln h,
 * ln d): with the Pitzer factors one metal switches phase within a Newton
 * step, and Newton jumped between two points either side of the root for
 * its 60 iterations before nested bisection took over (74 in all). */
Test(harden_numerics, pitzer_stage_newton_does_not_cycle)
{
    RxPlant *p = load_config(FIXTURES "pitzer_9_stages.cfg");
    cr_assert_eq(p->nsp, 6);
    const double T[6] = {0.48315464397982144, 17.112661496847291, 28.519091733565819,
                         36.214401438159982,  11.339361406556472, 2.1773802085455827e-06};
    double x[6], y[6], guess[2] = {-5.8244129469443973, -2.371864486128731};
    RxStageIn in = {6, T, p->charge, 95.479560000000006, 69.795000000000002, 465.21100000000001, p->extractant_conc,
                    0, p->ka_hso4};
    RxStageOut out = {x, y, 0, 0, NULL, NULL, 0, NULL};
    cr_assert_eq(rx_model_split(p, &in, guess, &out), RX_OK);
    cr_expect(out.iterations <= 20, "%d stage-solve iterations: Newton cycles again", out.iterations);
    double charge = out.h, ext = 2 * out.d;
    for (int j = 0; j < 6; j++) {
        charge += p->charge[j] * x[j];
        ext += 2 * p->charge[j] * y[j];
        cr_expect(fabs(in.A * x[j] + in.O * y[j] - T[j]) <= 1e-12 * T[j] + 1e-300, "species %d not conserved", j);
    }
    cr_expect(fabs(charge - in.cl / in.A) <= 1e-10 * in.cl / in.A, "charge balance %g against %g", charge,
              in.cl / in.A);
    cr_expect(fabs(ext - in.ce) <= 1e-10 * in.ce, "extractant balance %g against %g", ext, in.ce);
    rx_plant_destroy(&p);
}

/* The whole 9-stage circuit: 25738 stage-solve iterations and about 8100
 * uncounted bisection evaluations in most stage solves before, 11093
 * iterations and no cycle now. */
Test(harden_numerics, pitzer_9_stages_in_few_rounds)
{
    RxPlant *p = load_config(FIXTURES "pitzer_9_stages.cfg");
    RxSolution *s = solve_ok(p);
    cr_expect(s->stage_iterations <= 15000, "%d stage-solve iterations", s->stage_iterations);
    cr_expect(s->max_closure <= RX_CLOSURE_TOL);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}

/* ---- defect 13: a deep circuit ------------------------------------------ */

/* configs/default.cfg with 200 + 200 stages (the chemistry, feeds and flows
 * unchanged). */
static RxPlant *default_200_200(void)
{
    RxPlant *p = load_config("configs/default.cfg");
    const int sections[2] = {0, 1}, stages[2] = {200, 200};
    RxError err;
    cr_assert_eq(rx_plant_set_stages(p, 2, sections, stages, &err), RX_OK, "%s", err.msg);
    return p;
}

/* The knife-edge design of configs/default.cfg at 200 + 200 stages: its
 * Ce/Pr front must travel far through the scrub section.  The pseudo-time
 * march before issue 12 needed 2768 iterations, over the default budget of
 * 2000; the nested solve needs about 360 (docs/model.md). */
Test(harden_numerics, deep_200_200_within_the_default_budget)
{
    RxPlant *p = default_200_200(); /* the loader's budget, solver.max_iterations = 2000 */
    RxSolution *s = solve_ok(p);
    cr_log_info("200 + 200 stages: %d iterations", s->iterations);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}
