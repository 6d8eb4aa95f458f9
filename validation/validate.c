/*
 * validate.c - `make validate`: every validation case against its
 * reference, printed and written to docs/validation.md (a table of case,
 * source, quantity, reference, reesx value, error, tolerance, pass or fail).
 * Exits 1 if any check fails or a case cannot run.
 */
#include "validation/cases.h"

#include "core/fileio.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef RX_SOURCE_DIR
#define RX_SOURCE_DIR "."
#endif

static void table(FILE *f, const RxReport *r)
{
    fputs("| case | source | quantity | reference | reesx | error | tolerance | |\n", f);
    fputs("|---|---|---|---|---|---|---|---|\n", f);
    for (int i = 0; i < r->n; i++) {
        const RxCheck *c = &r->rows[i];
        double err = fabs(c->value - c->reference);
        char tol[64];
        if (c->rel_tol > 0 && c->abs_tol > 0)
            snprintf(tol, sizeof tol, "rel %.0e, abs %.0e", c->rel_tol, c->abs_tol);
        else if (c->rel_tol > 0)
            snprintf(tol, sizeof tol, "rel %.0e", c->rel_tol);
        else
            snprintf(tol, sizeof tol, "abs %.0e", c->abs_tol);
        char rel[32] = "";
        if (c->reference != 0)
            snprintf(rel, sizeof rel, " (rel %.1e)", err / fabs(c->reference));
        fprintf(f, "| %s | %s | %s | %.10g | %.10g | %.2e%s | %s | %s |\n", c->kase, c->source, c->quantity,
                c->reference, c->value, err, rel, tol, c->pass ? "pass" : "**FAIL**");
    }
}

int main(void)
{
    RxReport r = {0};
    char why[700];
    int broken = 0;
    for (const RxCase *c = rx_cases; c->name; c++) {
        int before = r.n + r.lost;
        if (c->run(&r, RX_SOURCE_DIR, why, sizeof why) != 0) {
            fprintf(stderr, "validate: %s: %s\n", c->name, why);
            broken++;
        } else if (c->rows && r.n + r.lost - before != c->rows) {
            fprintf(stderr, "validate: %s: %d checks, expected %d (a data row was not read)\n", c->name,
                    r.n + r.lost - before, c->rows);
            broken++;
        }
    }
    int failed = rx_report_failures(&r);

    char path[700];
    snprintf(path, sizeof path, "%s/docs/validation.md", RX_SOURCE_DIR);
    RxAtomicFile a; /* a unique temp file beside it, renamed over it (core/fileio.h) */
    RxError err;
    rx_error_clear(&err);
    if (rx_atomic_open(&a, path, &err) != RX_OK) {
        fprintf(stderr, "validate: %s: %s\n", err.where, err.msg);
        rx_report_free(&r);
        return 1;
    }
    FILE *f = a.f;
    fputs("# reesx validation\n\n"
          "Written by `make validate` (validation/validate.c, validation/cases.c); do not edit by hand.\n"
          "Each row compares a reesx result with an independent reference. The cases and the\n"
          "sources of their reference numbers are in validation/ (the PrOMMiS data file cites\n"
          "the PrOMMiS files they come from) and in docs/model.md.\n\n",
          f);
    fprintf(f, "%d checks, %d failed%s.\n\n", r.n + r.lost, failed, broken ? ", and some cases could not run" : "");
    table(f, &r);
    if (rx_atomic_close(&a, &err) != RX_OK) {
        fprintf(stderr, "validate: %s: %s\n", err.where, err.msg);
        rx_report_free(&r);
        return 1;
    }
    table(stdout, &r);
    printf("\n%d passed, %d failed\n", r.n + r.lost - failed, failed);
    rx_report_free(&r);
    return failed || broken ? 1 : 0;
}
