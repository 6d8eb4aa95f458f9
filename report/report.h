/*
 * report/report.h - report.html: one self-contained page (figures inline
 * as SVG, styles inline, no script, no network) of what a run wrote in
 * its output directory (docs/report.md).
 */
#ifndef RX_REPORT_H
#define RX_REPORT_H

#include "core/error.h"

typedef struct RxReportOptions {
    const char *version; /* "reesx 0.1.0", in the header */
    /* A directory to write each figure into as NAME.svg too (made when
     * missing); NULL: none. */
    const char *figures;
    /* The element of the McCabe-Thiele diagram; NULL: the key element of
     * the first product (the target nearest the cut). */
    const char *element;
    /* The page's file; NULL: DIR/report.html. */
    const char *out;
} RxReportOptions;

/* The figures written (names without .svg, static), as rx_report_write
 * drew them. */
#define RX_REPORT_MAX_FIGURES 64
typedef struct RxReportFigures {
    int n;
    char name[RX_REPORT_MAX_FIGURES][48];
} RxReportFigures;

/* The report of the outputs in dir: a circuit's (summary.json of run or
 * simulate, stages.csv, streams.csv), a flowsheet's (each circuit's
 * folder), cost.json, a design's candidates.csv, fit.json, uncertainty.json
 * (each where present).  RX_BAD_INPUT "dir: holds no outputs of reesx"
 * when it holds none of them, or the file:line of a file it cannot read;
 * RX_IO_ERROR when the page or a figure cannot be written (nothing is
 * left half written).  figs (may be NULL): the figures drawn. */
int rx_report_write(const char *dir, const RxReportOptions *o, RxReportFigures *figs, RxError *err);

#endif
