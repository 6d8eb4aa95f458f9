/*
 * test_validation.c - the validation cases of validation/cases.c (the same
 * ones `make validate` tabulates in docs/validation.md), every check held to
 * its tolerance: Kremser, fractional extraction, slope analysis, the PrOMMiS 3-stage DEHPA loading case (sources in
 * validation/prommis_dehpa_3stage.tsv) and conservation on every config.
 */
#include <criterion/criterion.h>

#include "../validation/cases.h"

#ifndef RX_SOURCE_DIR
#define RX_SOURCE_DIR "."
#endif

static void assert_all_pass(const RxReport *r)
{
    cr_assert_gt(r->n, 0);
    cr_assert_eq(r->lost, 0, "%d checks lost (out of memory)", r->lost);
    for (int i = 0; i < r->n; i++) {
        const RxCheck *c = &r->rows[i];
        cr_expect(c->pass, "%s: %s: %.10g vs reference %.10g", c->kase, c->quantity, c->value, c->reference);
    }
}

Test(validation, prommis_dehpa_three_stage_loading)
{
    RxReport r = {0};
    char why[700];
    cr_assert_eq(rx_case_prommis_dehpa(&r, RX_SOURCE_DIR, why, sizeof why), 0, "%s", why);
    cr_assert_eq(r.n, 12 * 2 + 3 + 1, "24 metal concentrations, H, HSO4, SO4 and the closure");
    assert_all_pass(&r);
    rx_report_free(&r);
}

Test(validation, log_d_slopes_at_trace_loading)
{
    RxReport r = {0};
    char why[700];
    cr_assert_eq(rx_case_slopes(&r, RX_SOURCE_DIR, why, sizeof why), 0, "%s", why);
    cr_assert_eq(r.n, 11, "La-Ho and Y");
    assert_all_pass(&r);
    rx_report_free(&r);
}

Test(validation, fractional_extraction_two_sections)
{
    RxReport r = {0};
    char why[700];
    cr_assert_eq(rx_case_fractional(&r, why, sizeof why), 0, "%s", why);
    cr_assert_eq(r.n, 14, "7 cascades, La and Nd");
    assert_all_pass(&r);
    rx_report_free(&r);
}

Test(validation, kremser_grid)
{
    RxReport r = {0};
    char why[700];
    cr_assert_eq(rx_case_kremser(&r, why, sizeof why), 0, "%s", why);
    assert_all_pass(&r);
    rx_report_free(&r);
}
