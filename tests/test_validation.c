/*
 * test_validation.c - the validation cases of validation/cases.c (the same
 * ones `make validate` tabulates in docs/validation.md), every check held to
 * its tolerance: Kremser, fractional extraction, slope analysis, the
 * PrOMMiS 3-stage DEHPA loading case (sources in the validation/ data) and
 * conservation on every config.
 */
#include <criterion/criterion.h>
#include <unistd.h>

#include <string.h>

#include "validation/cases.h"

#ifndef RX_SOURCE_DIR
#define RX_SOURCE_DIR "."
#endif

/* Run the case called name: it must run, produce its rows, and pass all. */
static void check_case(const char *name)
{
    const RxCase *c = rx_cases;
    while (c->name && strcmp(c->name, name) != 0)
        c++;
    cr_assert_not_null(c->name, "no validation case '%s'", name);
    RxReport r = {0};
    char why[700];
    cr_assert_eq(c->run(&r, RX_SOURCE_DIR, why, sizeof why), 0, "%s: %s", name, why);
    cr_assert_gt(r.n, 0);
    if (c->rows)
        cr_assert_eq(r.n, c->rows, "%s: %d checks, expected %d", name, r.n, c->rows);
    cr_assert_eq(r.lost, 0, "%d checks lost (out of memory)", r.lost);
    for (int i = 0; i < r.n; i++) {
        const RxCheck *k = &r.rows[i];
        cr_expect(k->pass, "%s: %s: %.10g vs reference %.10g", k->kase, k->quantity, k->value, k->reference);
    }
    rx_report_free(&r);
}

/* Every outlet PrOMMiS asserts: 24 metal concentrations, H, HSO4, SO4, and the closure. */
Test(validation, prommis_dehpa_three_stage_loading) { check_case("PrOMMiS 3-stage DEHPA"); }
/* d log10 D / d pH = 3 for La-Ho and Y at trace loading. */
Test(validation, log_d_slopes_at_trace_loading) { check_case("slope analysis"); }
/* Seven extraction + scrub cascades, La and Nd, against the closed form. */
Test(validation, fractional_extraction_two_sections) { check_case("fractional extraction"); }
Test(validation, kremser_grid) { check_case("Kremser"); }
/* Xu's designs for Nd/Pr and Dy/Tb reach their purities; Fenske at total reflux. */
Test(validation, cascade_theory_designs) { check_case("cascade theory (Xu)"); }
/* Twelve cascades with stage efficiency against the Murphree recursion. */
Test(validation, murphree_efficiency) { check_case("Murphree efficiency"); }
Test(validation, conservation_on_every_config) { check_case("conservation"); }
/* reesx fit's lines through the real D2EHPA isotherms = closed-form least squares. */
Test(validation, d2ehpa_shakeout_lines)
{
    if (access(RX_SOURCE_DIR "/../shared/data/shakeout/d2ehpa_single_metal_isotherms.csv", R_OK) != 0)
        cr_skip_test("no ../shared/data/shakeout beside the repository: the shake-out case is skipped");
    check_case("D2EHPA shake-out lines");
}

/* Every case in the table has a test above. */
Test(validation, every_case_is_tested)
{
    int n = 0;
    for (const RxCase *c = rx_cases; c->name; c++)
        n++;
    cr_assert_eq(n, 8, "a case was added to rx_cases: give it a Test here");
}
