/*
 * report/plot.c - PLplot's svg device into memory (report/plot.h).  The
 * only file of reesx that includes PLplot.
 */
#include "report/plot.h"

#include <plplot/plplot.h>

#include <dlfcn.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* PLplot is loaded when the first figure is drawn, not linked: its
 * library and the dozen it needs (freetype, qhull, ltdl, ...) would add
 * some 5 ms to the start of every reesx process, report or not.  The
 * calls below go through this table; plplot.h gives their types. */
#define PLPLOT_LIBRARY "libplplot.so.17" /* Debian libplplot17, PLplot 5.15 */
#define PL_CALLS(X)                                                                                                   \
    X(c_pladv) X(c_plbox) X(c_plcol0) X(c_plend) X(c_plfill) X(c_plgvpd) X(c_plinit) X(c_pllegend) X(c_plline)     \
    X(c_pllsty) X(c_plmtex) X(c_plptex) X(c_plschr) X(c_plscol0) X(c_plsdev) X(c_plspage) X(c_plstring)            \
    X(c_plvpor) X(c_plwidth) X(c_plwind) X(plsexit) X(plsfile)
static struct {
#define PL_FIELD(f) __typeof__(f) *p_##f;
    PL_CALLS(PL_FIELD)
#undef PL_FIELD
} pl_api;
#define c_pladv (*pl_api.p_c_pladv)
#define c_plbox (*pl_api.p_c_plbox)
#define c_plcol0 (*pl_api.p_c_plcol0)
#define c_plend (*pl_api.p_c_plend)
#define c_plfill (*pl_api.p_c_plfill)
#define c_plgvpd (*pl_api.p_c_plgvpd)
#define c_plinit (*pl_api.p_c_plinit)
#define c_pllegend (*pl_api.p_c_pllegend)
#define c_plline (*pl_api.p_c_plline)
#define c_pllsty (*pl_api.p_c_pllsty)
#define c_plmtex (*pl_api.p_c_plmtex)
#define c_plptex (*pl_api.p_c_plptex)
#define c_plschr (*pl_api.p_c_plschr)
#define c_plscol0 (*pl_api.p_c_plscol0)
#define c_plsdev (*pl_api.p_c_plsdev)
#define c_plspage (*pl_api.p_c_plspage)
#define c_plstring (*pl_api.p_c_plstring)
#define c_plvpor (*pl_api.p_c_plvpor)
#define c_plwidth (*pl_api.p_c_plwidth)
#define c_plwind (*pl_api.p_c_plwind)
#define plsexit (*pl_api.p_plsexit)
#define plsfile (*pl_api.p_plsfile)

/* The table filled from the library, once; RX_IO_ERROR naming it and
 * what the loader said when it cannot be. */
static int pl_load(RxError *err)
{
    static void *lib;
    static char why[300];
    if (lib)
        return RX_OK;
    if (why[0])
        return rx_error_set(err, RX_IO_ERROR, "report", "%s", why);
    const char *name = getenv("REESX_PLPLOT"); /* PLplot installed elsewhere */
    if (!name || !name[0])
        name = PLPLOT_LIBRARY;
    void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    const char *missing = NULL;
#define PL_RESOLVE(f)                                                                                                 \
    if (h && !missing && !(*(void **)&pl_api.p_##f = dlsym(h, #f)))                                                   \
        missing = #f;
    PL_CALLS(PL_RESOLVE)
#undef PL_RESOLVE
    if (!h || missing) {
        snprintf(why, sizeof why, "PLplot cannot be loaded (%s, Debian libplplot17, draws the figures): %s%s", name,
                 h ? "no " : "", h ? missing : dlerror());
        if (h)
            dlclose(h);
        return rx_error_set(err, RX_IO_ERROR, "report", "%s", why);
    }
    lib = h;
    return RX_OK;
}

/* Colour map 0: 0 background, 1 ink, 2.. the series, then grey.  The
 * series colours are Okabe and Ito's palette (distinct to colour-blind
 * readers), ordered so that neighbours differ in lightness too; the line
 * styles and markers tell them apart in greyscale. */
static const unsigned char palette[][3] = {
    {255, 255, 255}, {0, 0, 0},       {0, 114, 178},   {213, 94, 0},   {0, 158, 115}, {0, 0, 0},
    {230, 159, 0},   {86, 180, 233}, {204, 121, 167}, {120, 120, 120}, {150, 150, 150},
};
#define INK 1
#define SERIES0 2
#define GREY 10
static const int line_style[RX_FIG_SERIES] = {1, 2, 3, 4, 1, 5, 6, 7}; /* PLplot's pllsty */
/* Markers, as text glyphs (the svg device writes them as text, so that a
 * marker and its legend entry are the same glyph). */
static const char *const marker[RX_FIG_SERIES] = {"○", "□", "△", "×", "+", "◇", "∗", "●"};

struct RxFig {
    int xlog, ylog;         /* the panel's left axes */
    int right;              /* drawing on the right axis */
    double rx0, rx1;        /* right axis: world y of the box, its range */
    double wx0, wx1, wy0, wy1; /* the panel's window, world units (log10 on a log axis) */
    double ry0, ry1;
    int guides; /* labelled guides drawn on the panel: their labels are staggered */
};

/* s as PLplot text (static storage, one at a time: PLplot is one state
 * anyway): its escape character '#' doubled, so that a name from the data
 * is drawn as it is written; cut short, if ever, between UTF-8 characters. */
static const char *pl(const char *s)
{
    static char out[4][1024]; /* a call may hold a few at once */
    static int next;
    char *o = out[next++ % 4];
    size_t k = 0, n = sizeof out[0];
    for (; s && *s; s++) {
        size_t need = *s == '#' ? 2 : 1;
        if (k + need + 4 >= n && ((unsigned char)*s & 0xC0) != 0x80)
            break; /* at a character's first byte: room for it or stop */
        if (*s == '#')
            o[k++] = '#';
        o[k++] = *s;
    }
    o[k] = '\0';
    return o;
}

static jmp_buf *plplot_gave_up;
static char plplot_message[300];

static int on_plplot_exit(const char *msg)
{
    snprintf(plplot_message, sizeof plplot_message, "%s", msg ? msg : "");
    longjmp(*plplot_gave_up, 1);
}

static int style_of(int series)
{
    return series < 0 ? 0 : series % RX_FIG_SERIES;
}

static void use_series(int series)
{
    if (series == RX_FIG_GREY) {
        plcol0(GREY);
        pllsty(2);
        return;
    }
    plcol0(SERIES0 + style_of(series));
    pllsty(line_style[style_of(series)]);
}

/* World x of data x on f's panel; NaN where it cannot be drawn. */
static double wx(const RxFig *f, double x)
{
    if (!isfinite(x) || (f->xlog && !(x > 0)))
        return NAN;
    return f->xlog ? log10(x) : x;
}

static double wy(const RxFig *f, double y)
{
    if (!isfinite(y))
        return NAN;
    if (f->right) { /* right axis: mapped into the left window */
        if (f->ry1 == f->ry0)
            return NAN;
        return f->wy0 + (y - f->ry0) / (f->ry1 - f->ry0) * (f->wy1 - f->wy0);
    }
    if (f->ylog && !(y > 0))
        return NAN;
    return f->ylog ? log10(y) : y;
}

/* [a, b] made drawable: finite, ordered, of non-zero width; positive on a log axis. */
static void drawable(double *a, double *b, int lg)
{
    if (lg) {
        if (!(*a > 0) || !isfinite(*a))
            *a = *b > 0 && isfinite(*b) ? *b / 10 : 1e-3;
        if (!(*b > *a) || !isfinite(*b))
            *b = *a * 10;
        *a = log10(*a);
        *b = log10(*b);
        return;
    }
    if (!isfinite(*a))
        *a = 0;
    if (!isfinite(*b))
        *b = *a + 1;
    if (*b < *a) {
        double t = *a;
        *a = *b;
        *b = t;
    }
    if (*b - *a <= 1e-12 * (fabs(*a) + fabs(*b))) {
        double pad = *a != 0 ? fabs(*a) * 0.05 : 0.5;
        *a -= pad;
        *b += pad;
    }
}

void rx_fig_panel(RxFig *f, double vx0, double vx1, double vy0, double vy1, const RxAxes *a, const char *title)
{
    int rows = a->rows > 0;
    double x0 = a->x0, x1 = a->x1, y0 = rows ? a->rows : a->y0, y1 = rows ? 0 : a->y1;
    drawable(&x0, &x1, a->xlog);
    if (!rows)
        drawable(&y0, &y1, a->ylog);
    *f = (RxFig){.xlog = a->xlog, .ylog = a->ylog && !rows, .wx0 = x0, .wx1 = x1, .wy0 = y0, .wy1 = y1};
    plvpor(vx0, vx1, vy0, vy1);
    plwind(x0, x1, y0, y1);
    plcol0(INK);
    pllsty(1);
    char xo[16], yo[16];
    snprintf(xo, sizeof xo, "bcnst%s", a->xlog ? "l" : "");
    snprintf(yo, sizeof yo, "%s", rows ? "bc" : a->ylog ? "bcnstvl" : "bcnstv");
    plbox(xo, 0, 0, yo, 0, 0);
    plmtex("b", 2.8, 0.5, 0.5, pl(a->x));
    plmtex("l", a->ylog ? 4.2 : 5.0, 0.5, 0.5, pl(a->y));
    if (title)
        plmtex("t", 1.0, 0.5, 0.5, pl(title));
}

void rx_fig_right_axis(RxFig *f, const char *label, double y0, double y1)
{
    drawable(&y0, &y1, 0);
    f->ry0 = y0;
    f->ry1 = y1;
    double vx0, vx1, vy0, vy1;
    plgvpd(&vx0, &vx1, &vy0, &vy1);
    plwind(f->wx0, f->wx1, y0, y1);
    plcol0(INK);
    pllsty(1);
    plbox("", 0, 0, "cmstv", 0, 0);
    plmtex("r", 4.0, 0.5, 0.5, pl(label));
    plwind(f->wx0, f->wx1, f->wy0, f->wy1);
}

void rx_fig_right(RxFig *f, int right)
{
    f->right = right;
}

/* The drawable runs of (x, y): each as one polyline. */
static void polyline(const RxFig *f, int n, const double *x, const double *y)
{
    PLFLT *px = malloc((size_t)(n > 0 ? n : 1) * sizeof *px), *py = malloc((size_t)(n > 0 ? n : 1) * sizeof *py);
    if (!px || !py) {
        free(px);
        free(py);
        return;
    }
    int m = 0;
    for (int i = 0; i <= n; i++) {
        double u = i < n ? wx(f, x[i]) : NAN, v = i < n ? wy(f, y[i]) : NAN;
        if (isfinite(u) && isfinite(v)) {
            px[m] = u;
            py[m++] = v;
            continue;
        }
        if (m > 1)
            plline(m, px, py);
        m = 0;
    }
    free(px);
    free(py);
}

void rx_fig_points(RxFig *f, int series, int n, const double *x, const double *y)
{
    use_series(series);
    for (int i = 0; i < n; i++) {
        PLFLT u = wx(f, x[i]), v = wy(f, y[i]);
        if (isfinite(u) && isfinite(v))
            plstring(1, &u, &v, series < 0 ? "○" : marker[style_of(series)]);
    }
}

void rx_fig_line(RxFig *f, int series, int n, const double *x, const double *y, int step)
{
    use_series(series);
    plwidth(series < 0 ? 1.0 : 1.6);
    polyline(f, n, x, y);
    plwidth(1.0);
    pllsty(1);
    if (step <= 0)
        return;
    for (int i = 0; i < n; i += step)
        rx_fig_points(f, series, 1, x + i, y + i);
}

void rx_fig_vline(RxFig *f, double x, const char *label)
{
    PLFLT u = wx(f, x);
    if (!isfinite(u))
        return;
    PLFLT px[2] = {u, u}, py[2] = {f->wy0, f->wy1};
    use_series(RX_FIG_GREY);
    plline(2, px, py);
    pllsty(1);
    if (label) { /* beside the line, below the box's top, one row per guide */
        double row = 0.05 + 0.06 * (f->guides++ % 6);
        plcol0(INK);
        plschr(0, 0.7);
        plptex(u + 0.005 * (f->wx1 - f->wx0), f->wy1 - row * (f->wy1 - f->wy0), 1, 0, 0, pl(label));
        plschr(0, 1.0);
    }
}

void rx_fig_hline(RxFig *f, double y, const char *label)
{
    PLFLT v = wy(f, y);
    if (!isfinite(v))
        return;
    PLFLT px[2] = {f->wx0, f->wx1}, py[2] = {v, v};
    use_series(RX_FIG_GREY);
    plline(2, px, py);
    pllsty(1);
    if (label) {
        plcol0(INK);
        plschr(0, 0.7);
        plptex(f->wx1 - 0.01 * (f->wx1 - f->wx0), v + 0.015 * (f->wy1 - f->wy0), 1, 0, 1, pl(label));
        plschr(0, 1.0);
    }
}

void rx_fig_rect(RxFig *f, int series, double x0, double x1, double y0, double y1)
{
    PLFLT u0 = wx(f, x0), u1 = wx(f, x1), v0 = wy(f, y0), v1 = wy(f, y1);
    if (!isfinite(u0) || !isfinite(u1) || !isfinite(v0) || !isfinite(v1))
        return;
    PLFLT px[5] = {u0, u1, u1, u0, u0}, py[5] = {v0, v0, v1, v1, v0};
    plcol0(series == RX_FIG_GREY ? GREY : SERIES0 + style_of(series));
    plfill(4, px, py);
    plcol0(INK);
    pllsty(1);
    plline(5, px, py);
}

void rx_fig_text(RxFig *f, double x, double y, double just, const char *text)
{
    PLFLT u = wx(f, x), v = wy(f, y);
    if (!isfinite(u) || !isfinite(v))
        return;
    plcol0(INK);
    plschr(0, 0.75);
    plptex(u, v, 1, 0, just, pl(text));
    plschr(0, 1.0);
}

void rx_fig_left_label(RxFig *f, double y, const char *text)
{
    PLFLT v = wy(f, y);
    if (!isfinite(v))
        return;
    plcol0(INK);
    plschr(0, 0.8);
    plmtex("lv", 0.8, (v - f->wy0) / (f->wy1 - f->wy0), 1.0, pl(text));
    plschr(0, 1.0);
}

void rx_fig_legend(RxFig *f, int n, const char *const *labels, const int *series, int lines, int where)
{
    (void)f;
    if (n <= 0)
        return;
    PLINT opt[32], text_colors[32], line_colors[32], line_styles[32], symbol_colors[32], symbol_numbers[32],
        box_colors[32], box_patterns[32];
    PLFLT line_widths[32], symbol_scales[32], box_scales[32], box_widths[32];
    const char *symbols[32];
    if (n > 32)
        n = 32;
    for (int i = 0; i < n; i++) {
        int s = style_of(series[i]);
        opt[i] = lines == RX_LEGEND_BOXES ? PL_LEGEND_COLOR_BOX : lines ? PL_LEGEND_LINE | PL_LEGEND_SYMBOL : PL_LEGEND_SYMBOL;
        box_colors[i] = series[i] < 0 ? GREY : SERIES0 + s;
        box_patterns[i] = 0; /* solid, as rx_fig_rect fills */
        box_scales[i] = 0.8;
        box_widths[i] = 1;
        text_colors[i] = INK;
        line_colors[i] = symbol_colors[i] = series[i] < 0 ? GREY : SERIES0 + s;
        line_styles[i] = series[i] < 0 ? 2 : line_style[s];
        line_widths[i] = 1.6;
        symbol_scales[i] = 0.8;
        symbol_numbers[i] = lines ? 2 : 1;
        if (series[i] == RX_FIG_GREY && lines) /* a guide: its line alone */
            opt[i] = PL_LEGEND_LINE;
        symbols[i] = series[i] < 0 ? "○" : marker[s];
    }
    static char esc[32][256]; /* the labels as PLplot text */
    const char *text[32];
    for (int i = 0; i < n; i++) {
        snprintf(esc[i], sizeof esc[i], "%s", pl(labels[i]));
        text[i] = esc[i];
    }
    PLFLT w, h;
    plschr(0, 0.75);
    static const PLINT position[] = {PL_POSITION_INSIDE | PL_POSITION_TOP | PL_POSITION_RIGHT,
                                     PL_POSITION_INSIDE | PL_POSITION_TOP | PL_POSITION_LEFT,
                                     PL_POSITION_INSIDE | PL_POSITION_BOTTOM | PL_POSITION_RIGHT,
                                     PL_POSITION_OUTSIDE | PL_POSITION_RIGHT};
    pllegend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX, position[where & 3],
             where == RX_LEGEND_OUTSIDE ? 0.015 : 0.01, 0.01, 0.06, 0, INK, 1, 0, 0, n, opt, 0.8, 0.9, 2.0,
             0.0, text_colors, text, box_colors, box_patterns, box_scales, box_widths, line_colors, line_styles, line_widths, symbol_colors,
             symbol_scales, symbol_numbers, symbols);
    plschr(0, 1.0);
}

/* PLplot names its clip paths "text-clipping<k>" from 0 in every page:
 * inline on one page they would clash (a browser takes the first
 * figure's), so each figure's become "<name>-clip<k>". */
#define PLPLOT_CLIP "text-clipping"

char *rx_svg_element(const char *doc, const char *name)
{
    const char *svg = strstr(doc, "<svg");
    if (!svg)
        return NULL;
    size_t n = strlen(svg), uses = 0, grow = strlen(name) + 8;
    for (const char *p = svg; (p = strstr(p, PLPLOT_CLIP)); p += sizeof PLPLOT_CLIP - 1)
        uses++;
    char *out = malloc(n + 64 + uses * grow), *w = out;
    if (!out)
        return NULL;
    const char *tag_end = strchr(svg, '>'), *wa = strstr(svg, "width=\""), *ha = wa ? strstr(wa, "height=\"") : NULL,
               *end = ha ? strchr(ha + 8, '"') : NULL, *p = svg;
    if (end && end < tag_end) { /* the fixed size in pt: 100 % of the box instead */
        memcpy(w, svg, (size_t)(wa - svg));
        w += wa - svg;
        w += sprintf(w, "width=\"100%%\" role=\"img\"");
        p = end + 1;
    }
    for (const char *q; (q = strstr(p, PLPLOT_CLIP)); p = q + sizeof PLPLOT_CLIP - 1) {
        memcpy(w, p, (size_t)(q - p));
        w += q - p;
        w += sprintf(w, "%s-clip", name);
    }
    strcpy(w, p);
    return out;
}

int rx_fig_draw(double width, double height, RxFigDrawFn draw, void *ctx, char **svg, RxError *err)
{
    *svg = NULL;
    /* After PLplot gave up (its exit handler jumped out mid-page), its
     * state is not known: no more figures from this process.  The page's
     * stream stays PLplot's, left open: freeing it under PLplot could only
     * make things worse, and the report fails with the first message. */
    static int plplot_broken;
    if (plplot_broken)
        return rx_error_set(err, RX_IO_ERROR, "report", "PLplot could not draw a figure: %s", plplot_message);
    int rc = pl_load(err);
    if (rc != RX_OK)
        return rc;
    char *doc = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&doc, &len);
    if (!mem)
        return rx_error_set(err, RX_NO_MEMORY, "report", "out of memory for a figure");
    jmp_buf gave_up;
    plplot_gave_up = &gave_up;
    if (setjmp(gave_up)) {
        plplot_broken = 1;
        return rx_error_set(err, RX_IO_ERROR, "report", "PLplot could not draw a figure: %s", plplot_message);
    }
    plsexit(on_plplot_exit);
    plsdev("svg");
    plsfile(mem); /* PLplot closes it at plend */
    plspage(90, 90, (PLINT)width, (PLINT)height, 0, 0); /* px per inch: RX_FIG_TEXT_MM */
    for (int i = 0; i < (int)(sizeof palette / sizeof palette[0]); i++)
        plscol0(i, palette[i][0], palette[i][1], palette[i][2]);
    plinit();
    pladv(0);
    plschr(RX_FIG_TEXT_MM, 1.0);
    RxFig f = {0};
    draw(&f, ctx);
    plend();
    plsexit(NULL);
    if (!doc || !strstr(doc, "<svg")) {
        free(doc);
        return rx_error_set(err, RX_NO_MEMORY, "report", "out of memory for a figure");
    }
    *svg = doc;
    return RX_OK;
}
