/*
 * report/plot.h - figures drawn by PLplot (Debian libplplot-dev, its svg
 * device) into memory, for the report (docs/report.md, "Why PLplot").
 *
 * A figure is drawn by a callback between rx_fig_draw's start and end of
 * a PLplot page; the calls below draw into its current panel.  Every
 * series has a colour, a line style and a marker of its own, so that the
 * series stay apart in greyscale print.  Values that are not finite (and,
 * on a log axis, not positive) are left out: a line breaks there.  Text
 * is drawn as written: PLplot's escape character '#' is escaped here.
 * PLplot keeps one global state: draw figures from one thread at a time.
 */
#ifndef RX_REPORT_PLOT_H
#define RX_REPORT_PLOT_H

#include "core/error.h"

#include <stddef.h>

#define RX_FIG_SERIES 8 /* distinct styles; series k uses style k % 8 */
#define RX_FIG_GREY -1  /* the series index of markers and guides */

typedef struct RxFig RxFig;

/* A panel's axes: labels (with units), ranges in data units, log axes.
 * rows > 0: the y axis holds category rows instead (a bar chart), y from
 * 0 at the top edge of row 0 to rows at the bottom, without numbers or
 * ticks (y0, y1, ylog unused); label the rows with rx_fig_left_label. */
typedef struct RxAxes {
    const char *x, *y;
    double x0, x1, y0, y1;
    int xlog, ylog;
    double rows;
} RxAxes;

typedef void (*RxFigDrawFn)(RxFig *f, void *ctx);

/* Draw a figure of width x height px: draw(f, ctx), then the page as an
 * SVG document in *svg, malloc'd.  RX_NO_MEMORY, or RX_IO_ERROR with
 * PLplot's message when PLplot gave up. */
int rx_fig_draw(double width, double height, RxFigDrawFn draw, void *ctx, char **svg, RxError *err);
/* The <svg> element of an SVG document, to inline in HTML: no prolog,
 * width 100 % of its box (its viewBox kept), its ids made its own with
 * name (figures share a page); malloc'd, NULL when out of memory or doc
 * holds no <svg>. */
char *rx_svg_element(const char *doc, const char *name);

/* A panel: the axes box at viewport fractions [vx0, vx1] x [vy0, vy1] of
 * the page (labels go outside it), its axes and a title (NULL: none).
 * A range of zero width is widened; a log range is made positive. */
void rx_fig_panel(RxFig *f, double vx0, double vx1, double vy0, double vy1, const RxAxes *a, const char *title);
/* The same, with a second y axis on the right for what rx_fig_right draws. */
void rx_fig_right_axis(RxFig *f, const char *label, double y0, double y1);
/* Draw on the right axis (1) or the left (0) from now on. */
void rx_fig_right(RxFig *f, int right);
/* Series k as a line through n points; markers at every step-th point
 * (0: none). */
void rx_fig_line(RxFig *f, int series, int n, const double *x, const double *y, int step);
/* Series k's markers alone. */
void rx_fig_points(RxFig *f, int series, int n, const double *x, const double *y);
/* A dotted grey guide across the panel at x (vertical) or y, labelled
 * at its end (NULL: no label). */
void rx_fig_vline(RxFig *f, double x, const char *label);
void rx_fig_hline(RxFig *f, double y, const char *label);
/* A filled rectangle in series k's colour with a black edge. */
void rx_fig_rect(RxFig *f, int series, double x0, double x1, double y0, double y1);
/* Text at (x, y) in data units; just 0 left, 0.5 centred, 1 right. */
void rx_fig_text(RxFig *f, double x, double y, double just, const char *text);
/* Text beside the box's left edge at data y (category labels). */
void rx_fig_left_label(RxFig *f, double y, const char *text);
/* A legend of n entries: labels[i] drawn in series[i]'s style, as a line
 * with markers (lines 1), markers alone (0) or a filled box as
 * rx_fig_rect draws (RX_LEGEND_BOXES); where: RX_LEGEND_*. */
#define RX_LEGEND_BOXES 2
enum { RX_LEGEND_UPPER_RIGHT, RX_LEGEND_UPPER_LEFT, RX_LEGEND_LOWER_RIGHT, RX_LEGEND_OUTSIDE };
void rx_fig_legend(RxFig *f, int n, const char *const *labels, const int *series, int lines, int where);

/* Character heights: a figure's text is RX_FIG_TEXT_MM high (the page is
 * width x height px at 90 px per inch, so figures of any size share one
 * text size); the calls below scale it. */
#define RX_FIG_TEXT_MM 3.4

#endif
