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

