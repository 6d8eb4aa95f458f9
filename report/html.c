/*
 * report/html.c - the page's building blocks (report/build.h).
 */
#include "report/build.h"

#include "core/fileio.h"
#include "core/readfile.h"
#include "output/output.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int rx_report_fail(RxReport *r, int status)
{
    if (r->status == RX_OK)
        r->status = status;
    return status;
}

void rx_html_text(RxReport *r, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", r->html); break;
        case '<': fputs("&lt;", r->html); break;
        case '>': fputs("&gt;", r->html); break;
        case '"': fputs("&quot;", r->html); break;
        default: fputc(*s, r->html);
        }
    }
}

void rx_html_textf(RxReport *r, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    rx_html_text(r, buf);
}

void rx_html_raw(RxReport *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(r->html, fmt, ap);
    va_end(ap);
}

const char *rx_html_num(char buf[32], double v)
{
    if (!isfinite(v))
        snprintf(buf, 32, "-");
    else if (v != 0 && (fabs(v) >= 1e7 || fabs(v) < 1e-3))
        snprintf(buf, 32, "%.4g", v);
    else if (fabs(v) >= 1e4)
        snprintf(buf, 32, "%.0f", v);
    else
        snprintf(buf, 32, "%.4g", v);
    return buf;
}

void rx_html_section(RxReport *r, const char *id, const char *title)
{
    rx_html_raw(r, "<h2 id=\"%s\">", id);
    rx_html_text(r, title);
    rx_html_raw(r, "</h2>\n");
}

void rx_html_subsection(RxReport *r, const char *title)
{
    rx_html_raw(r, "<h3>");
    rx_html_text(r, title);
    rx_html_raw(r, "</h3>\n");
}

/* FIGURES/NAME.svg, the figure as PLplot drew it (its size in pt). */
static void write_figure(RxReport *r, const char *name, const char *doc)
{
    const char *dir = r->opt->figures;
    if (mkdir(dir, 0755) != 0 && !rx_is_directory(dir)) {
        rx_report_fail(r, rx_error_set(r->err, RX_IO_ERROR, dir, "cannot make the figures' directory"));
        return;
    }
    char path[RX_PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s.svg", dir, name) >= (int)sizeof path) {
        rx_report_fail(r, rx_error_set(r->err, RX_IO_ERROR, dir, "path too long"));
        return;
    }
    RxError e;
    if (rx_write_text(doc, path, &e) != RX_OK) {
        if (r->status == RX_OK)
            *r->err = e;
        rx_report_fail(r, e.code);
    }
}

void rx_html_figure(RxReport *r, const char *name, const char *caption, double width, double height,
                    RxFigDrawFn draw, void *ctx)
{
    char *doc = NULL;
    RxError e;
    int rc = rx_fig_draw(width, height, draw, ctx, &doc, &e);
    char *svg = rc == RX_OK ? rx_svg_element(doc, name) : NULL;
    if (!svg) {
        if (rc == RX_OK)
            rx_error_set(&e, RX_NO_MEMORY, name, "out of memory for a figure");
        if (r->status == RX_OK)
            *r->err = e;
        rx_report_fail(r, e.code);
        free(doc);
        return;
    }
    rx_html_raw(r, "<figure class=\"rx-figure\" id=\"fig-%s\">\n%s\n<figcaption>", name, svg);
    rx_html_text(r, caption);
    rx_html_raw(r, "</figcaption>\n</figure>\n");
    if (r->opt->figures)
        write_figure(r, name, doc);
    if (r->figs && r->figs->n < RX_REPORT_MAX_FIGURES)
        snprintf(r->figs->name[r->figs->n++], sizeof r->figs->name[0], "%s", name);
    free(svg);
    free(doc);
}

/* A cell right-aligned when it is a number. */
static int numeric(const char *s)
{
    char *end;
    if (!*s)
        return 0;
    strtod(s, &end);
    return !*end;
}

void rx_html_table(RxReport *r, const RxTable *t, int max_rows)
{
    rx_html_raw(r, "<div class=\"scroll\"><table>\n<thead><tr>");
    for (int c = 0; c < t->ncols; c++) {
        rx_html_raw(r, "<th>");
        rx_html_text(r, rx_table_head(t, c));
        rx_html_raw(r, "</th>");
    }
    rx_html_raw(r, "</tr></thead>\n<tbody>\n");
    int n = t->nrows < max_rows ? t->nrows : max_rows;
    for (int i = 0; i < n; i++) {
        rx_html_raw(r, "<tr>");
        for (int c = 0; c < t->ncols; c++) {
            const char *s = rx_table_cell(t, i, c);
            char buf[32];
            if (numeric(s)) { /* 6 digits: a window's edges differ in the fifth */
                double v = strtod(s, NULL);
                rx_html_raw(r, "<td class=\"n\">");
                snprintf(buf, sizeof buf, "%.6g", v);
                rx_html_text(r, isfinite(v) ? buf : "-");
            } else {
                rx_html_raw(r, "<td>");
                rx_html_text(r, s);
            }
            rx_html_raw(r, "</td>");
        }
        rx_html_raw(r, "</tr>\n");
    }
    rx_html_raw(r, "</tbody></table></div>\n");
    if (t->nrows > n)
        rx_html_raw(r, "<p class=\"note\">%d more rows in the CSV file.</p>\n", t->nrows - n);
}

/* dir/name, or 0 when it does not fit. */
static int join(char *path, size_t n, const char *dir, const char *name)
{
    return snprintf(path, n, "%s/%s", dir, name) < (int)n;
}

int rx_report_csv(RxReport *r, const char *dir, const char *name, RxTable *t)
{
    char path[RX_PATH_MAX];
    *t = (RxTable){0};
    if (!join(path, sizeof path, dir, name) || !rx_is_regular_file(path))
        return 0;
    RxError e;
    if (rx_table_read(path, t, &e) == RX_OK)
        return 1;
    if (r->status == RX_OK)
        *r->err = e;
    rx_report_fail(r, e.code);
    return -1;
}

int rx_report_json(RxReport *r, const char *dir, const char *name, cJSON **json)
{
    char path[RX_PATH_MAX], *text = NULL;
    *json = NULL;
    if (!join(path, sizeof path, dir, name) || !rx_is_regular_file(path))
        return 0;
    RxError e;
    if (rx_read_file(path, RX_MAX_INPUT_BYTES, RX_READ_REGULAR, "a run's output", &text, NULL, &e) != RX_OK) {
        if (r->status == RX_OK)
            *r->err = e;
        rx_report_fail(r, e.code);
        return -1;
    }
    *json = cJSON_Parse(text);
    if (!*json) {
        const char *at = cJSON_GetErrorPtr();
        int line = at && at >= text && at <= text + strlen(text) ? rx_line_of(text, (size_t)(at - text)) : 1;
        char where[RX_PATH_MAX + 16];
        snprintf(where, sizeof where, "%s:%d", path, line);
        rx_report_fail(r, rx_error_set(r->err, RX_BAD_INPUT, where, "not JSON as reesx writes it"));
    }
    free(text);
    return *json ? 1 : -1;
}

double rx_json_get(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

const char *rx_json_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

void rx_html_meta_row(RxReport *r, const char *name, const char *value)
{
    rx_html_raw(r, "<tr><td>");
    rx_html_text(r, name);
    rx_html_raw(r, "</td><td>");
    rx_html_text(r, value);
    rx_html_raw(r, "</td></tr>\n");
}

void rx_html_meta_num(RxReport *r, const cJSON *o, const char *key, const char *name, const char *fmt)
{
    double v = rx_json_get(o, key);
    if (!isfinite(v))
        return;
    char buf[64];
    snprintf(buf, sizeof buf, fmt, v);
    rx_html_meta_row(r, name, buf);
}

int rx_ends_with(const char *s, const char *end)
{
    size_t n = strlen(s), m = strlen(end);
    return n >= m && !strcmp(s + n - m, end);
}

void rx_text_copy(char *out, size_t n, const char *s)
{
    size_t k = 0;
    for (; n > 0 && s && s[k] && k + 1 < n; k++)
        out[k] = s[k];
    while (k > 0 && s && s[k] && ((unsigned char)s[k] & 0xC0) == 0x80) /* cut inside a character */
        k--;
    if (n > 0)
        out[k] = '\0';
}
