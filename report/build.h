/*
 * report/build.h - private to report/: the page being built and what its
 * sections share (report/html.c); one file per kind of output.
 */
#ifndef RX_REPORT_BUILD_H
#define RX_REPORT_BUILD_H

#include "report/plot.h"
#include "report/report.h"
#include "report/table.h"

#include <cjson/cJSON.h>
#include <stdio.h>

typedef struct RxReport {
    FILE *html; /* the page so far (a memory stream) */
    const RxReportOptions *opt;
    RxReportFigures *figs;
    int status; /* the first failure; RX_OK */
    RxError *err;
} RxReport;

/* ---- report/html.c ---- */
/* Text with & < > " escaped. */
void rx_html_text(RxReport *r, const char *s);
__attribute__((format(printf, 2, 3))) void rx_html_textf(RxReport *r, const char *fmt, ...);
/* Markup as it is. */
__attribute__((format(printf, 2, 3))) void rx_html_raw(RxReport *r, const char *fmt, ...);
/* A number with its significant digits ("%.4g", thousands apart for
 * large values); "-" when not finite. */
const char *rx_html_num(char buf[32], double v);
/* <h2 id=...>title</h2>, <h3>. */
void rx_html_section(RxReport *r, const char *id, const char *title);
void rx_html_subsection(RxReport *r, const char *title);
/* A figure: drawn width x height px by draw(f, ctx), inlined as
 * <figure class="rx-figure" id="fig-NAME"> with its caption, and written
 * as FIGURES/NAME.svg when asked.  name: [a-z0-9-]. */
void rx_html_figure(RxReport *r, const char *name, const char *caption, double width, double height,
                    RxFigDrawFn draw, void *ctx);
/* Table t whole (at most max_rows rows, then a note of how many more). */
void rx_html_table(RxReport *r, const RxTable *t, int max_rows);
/* A failure of a section: the first one is kept; the page goes on. */
int rx_report_fail(RxReport *r, int status);
/* A CSV or JSON of dir: 1 when there, read into t / *json; 0 when absent;
 * -1 (failure kept) when there but unreadable. */
int rx_report_csv(RxReport *r, const char *dir, const char *name, RxTable *t);
int rx_report_json(RxReport *r, const char *dir, const char *name, cJSON **json);
/* Number of a JSON member; NaN when absent or not a number. */
double rx_json_get(const cJSON *o, const char *key);
/* String of a JSON member; NULL when absent or not a string. */
const char *rx_json_str(const cJSON *o, const char *key);
/* A row "name | value" of a two-column table (class "meta"). */
void rx_html_meta_row(RxReport *r, const char *name, const char *value);
/* The same for JSON member key of o printed by fmt, when it is a number. */
void rx_html_meta_num(RxReport *r, const cJSON *o, const char *key, const char *name, const char *fmt);
/* s into out (n bytes), cut short, if it must be, between UTF-8
 * characters. */
void rx_text_copy(char *out, size_t n, const char *s);
/* Does s end with end? */
int rx_ends_with(const char *s, const char *end);

/* ---- the sections, each of what one kind of output holds ---- */
/* A circuit's steady state or dynamics (summary.json in dir); prefix
 * names its figures apart (a flowsheet's circuit: "NdPr-"). */
void rx_report_circuit(RxReport *r, const char *dir, const char *prefix, const cJSON *summary);
/* The operating points of a McCabe-Thiele diagram (report/circuit.c):
 * O_i = (x_{i+1}, y_i), i = 0..n-2, the streams that pass between stages
 * i and i + 1 (aqueous flows down the stages, organic up); ox[i] NaN for
 * each of the nbreak pairs brk[] that an outlet between them parts. */
void rx_mccabe_operating(const double *x, const double *y, int n, const int *brk, int nbreak, double *ox,
                         double *oy);
/* A simulation's time plots (timeseries.csv in dir). */
void rx_report_dynamics(RxReport *r, const char *dir, const char *prefix, const cJSON *summary);
void rx_report_cost(RxReport *r, const cJSON *cost, const RxTable *sens);
void rx_report_design(RxReport *r, const char *dir);
void rx_report_fit(RxReport *r, const char *dir, const cJSON *fit);
void rx_report_uncertainty(RxReport *r, const char *dir, const cJSON *unc);

#endif
