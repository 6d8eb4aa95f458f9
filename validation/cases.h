/* cases.h - validation cases: reesx against independent references.
 * Each case appends rows (quantity, reference, reesx value, tolerance) to a
 * report; `make validate` prints them and writes docs/validation.md, and
 * tests/test_validation.c asserts the same rows. */
#ifndef RX_VALIDATION_CASES_H
#define RX_VALIDATION_CASES_H

typedef struct RxCheck {
    char kase[64];
    char source[96];
    char quantity[96];
    double reference, value;
    double rel_tol, abs_tol; /* pass when |value - reference| <= max(rel_tol |reference|, abs_tol) */
    int pass;
} RxCheck;

typedef struct RxReport {
    int n, cap;
    int lost;  /* rows that could not be stored (out of memory): failures */
    RxCheck *rows;
} RxReport;

/* A case appends its rows to r and returns 0 when it could be run (the rows
 * say whether it passed), -1 with a message in why when it could not.
 * source_dir is the repository (validation/ data files, configs/). */
typedef int (*RxCaseFn)(RxReport *r, const char *source_dir, char *why, int nwhy);

typedef struct RxCase {
    const char *name;
    RxCaseFn run;
    int rows;  /* checks it must produce, 0 when it depends on the repository */
} RxCase;

/* Every case, in table order; the list ends with a NULL name. */
extern const RxCase rx_cases[];

void rx_report_free(RxReport *r);
int rx_report_failures(const RxReport *r);

#endif
