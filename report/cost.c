/*
 * report/cost.c - the cost section (cost.json, sensitivity.csv): the key
 * figures, each product's cost per kg, the capital and operating cost by
 * item, the tornado of the +-20 % sensitivity and its table.
 */
#include "report/build.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 32 /* bars of a panel */
#define LABEL 96

#define TOP_BAND 0.8 /* rows above a tornado's bars, for the base line's label */

/* The y axis of n category rows. */
static void cat_axes(RxAxes *a, const char *x, double x0, double x1, double n)
{
    *a = (RxAxes){.x = x, .x0 = x0, .x1 = x1, .rows = n};
}

/* v with its thousands apart ("15,802,397") when it is large, else its
 * significant digits; "-" when not finite. */
static const char *money(char buf[48], double v)
{
    if (!isfinite(v)) {
        snprintf(buf, 48, "-");
        return buf;
    }
    if (fabs(v) < 1e4 || fabs(v) >= 1e15) {
        snprintf(buf, 48, "%.4g", v);
        return buf;
    }
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", fabs(v));
    size_t nd = strlen(digits), k = 0;
    if (v < 0)
        buf[k++] = '-';
    for (size_t i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0)
            buf[k++] = ',';
        buf[k++] = digits[i];
    }
    buf[k] = '\0';
    return buf;
}

/* A JSON member's name for people: "total_as_spent" -> "total as spent". */
static void item_name(char *out, size_t n, const char *key)
{
    snprintf(out, n, "%s", key ? key : "");
    for (char *c = out; *c; c++)
        if (*c == '_')
            *c = ' ';
}

/* ---- the key figures ---------------------------------------------------- */

static void key_row(RxReport *r, const char *what, const char *value, const char *unit)
{
    rx_html_raw(r, "<tr><td>");
    rx_html_text(r, what);
    rx_html_raw(r, "</td><td class=\"n\">");
    rx_html_text(r, value);
    rx_html_raw(r, "</td><td>");
    rx_html_text(r, unit);
    rx_html_raw(r, "</td></tr>\n");
}

static void key_figures(RxReport *r, const cJSON *cost)
{
    static const struct {
        const char *key, *what, *unit;
    } rows[] = {
        {"cost_USD_per_kg_REO", "cost per kg of product REO", "USD/kg REO"},
        {"NPV_USD", "net present value (before tax)", "USD"},
        {"revenue_USD_per_yr", "revenue", "USD/yr"},
        {"product_REO_kg_per_yr", "product REO (targets of every product)", "kg/yr"},
        {"capital_charge_USD_per_yr", "capital charge", "USD/yr"},
        {"operating_hours_per_yr", "operating hours", "h/yr"},
        {"discount_rate", "discount rate", "1/yr"},
        {"plant_life_yr", "plant life", "yr"},
        {"cost_year", "cost year (money of)", ""},
    };
    rx_html_raw(r, "<table class=\"meta\" id=\"cost-key-figures\">\n");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(cost, rows[i].key);
        if (!v)
            continue;
        double x = cJSON_IsNumber(v) ? v->valuedouble : NAN;
        char buf[48];
        if (!strcmp(rows[i].key, "cost_USD_per_kg_REO") && isfinite(x) && fabs(x) < 1e15)
            snprintf(buf, sizeof buf, "%.2f", x);
        else if (!strcmp(rows[i].key, "cost_year") && isfinite(x))
            snprintf(buf, sizeof buf, "%.0f", x);
        else
            money(buf, x);
        key_row(r, rows[i].what, buf, rows[i].unit);
    }
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(cost, "operating_USD_per_yr");
    const cJSON *cap = cJSON_GetObjectItemCaseSensitive(cost, "capital_USD");
    char buf[48];
    if (cJSON_GetObjectItemCaseSensitive(op, "total"))
        key_row(r, "operating cost", money(buf, rx_json_get(op, "total")), "USD/yr");
    if (cJSON_GetObjectItemCaseSensitive(cap, "total_as_spent"))
        key_row(r, "total as-spent capital", money(buf, rx_json_get(cap, "total_as_spent")), "USD");
    const cJSON *hold = cJSON_GetObjectItemCaseSensitive(cost, "holdups_m3"), *h;
    if (cJSON_IsObject(hold) && cJSON_GetArraySize(hold) > 0) {
        char text[400] = "";
        size_t k = 0;
        cJSON_ArrayForEach(h, hold)
        {
            char name[64], num[32];
            item_name(name, sizeof name, h->string);
            int w = snprintf(text + k, sizeof text - k, "%s%s %s", k ? ", " : "", name,
                             rx_html_num(num, cJSON_IsNumber(h) ? h->valuedouble : NAN));
            if (w < 0 || (size_t)w >= sizeof text - k)
                break;
            k += (size_t)w;
        }
        key_row(r, "hold-ups", text, "m3");
    }
    rx_html_raw(r, "</table>\n");

    const cJSON *ps = cJSON_GetObjectItemCaseSensitive(cost, "products"), *p;
    if (!cJSON_IsArray(ps) || cJSON_GetArraySize(ps) == 0)
        return;
    rx_html_subsection(r, "Cost per product");
    rx_html_raw(r, "<table id=\"cost-products\">\n<tr><th>product</th><th>target REO [kg/yr]</th>"
                   "<th>revenue [USD/yr]</th><th>cost [USD/kg]</th></tr>\n");
    cJSON_ArrayForEach(p, ps)
    {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(p, "name");
        double c = rx_json_get(p, "cost_USD_per_kg");
        char b1[48], b2[48], b3[48];
        if (isfinite(c))
            snprintf(b3, sizeof b3, "%.2f", c);
        else
            snprintf(b3, sizeof b3, "-");
        rx_html_raw(r, "<tr><td>");
        rx_html_text(r, cJSON_IsString(name) ? name->valuestring : "-");
        rx_html_raw(r, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
                    money(b1, rx_json_get(p, "target_REO_kg_per_yr")), money(b2, rx_json_get(p, "revenue_USD_per_yr")),
                    b3);
    }
    rx_html_raw(r, "</table>\n");
    rx_html_raw(r, "<p class=\"note\">The annual cost is shared between the products by revenue (by mass when "
                   "nothing is priced).</p>\n");
}

/* ---- the breakdown -------------------------------------------------------- */

typedef struct Bars {
    int n;
    char label[MAX_ITEMS][LABEL];
    double v[MAX_ITEMS];
    int total[MAX_ITEMS]; /* a total (grey), not an item */
} Bars;

typedef struct Breakdown {
    Bars cap, op;
    double op_total;
} Breakdown;

/* The numeric members of o into b (skip: a member left out, or NULL). */
static void bars_of(const cJSON *o, const char *skip, Bars *b)
{
    const cJSON *v;
    b->n = 0;
    cJSON_ArrayForEach(v, o)
    {
        if (b->n >= MAX_ITEMS || !v->string || (skip && !strcmp(v->string, skip)) || !cJSON_IsNumber(v))
            continue;
        char name[LABEL];
        item_name(name, sizeof name, v->string);
        rx_text_copy(b->label[b->n], LABEL, name);
        b->v[b->n] = v->valuedouble;
        b->total[b->n] = !strncmp(v->string, "total", 5);
        b->n++;
    }
}

static void draw_bars(RxFig *f, const Bars *b, const char *xlabel, const char *unit, const char *title, double vy0,
                      double vy1)
{
    double lo = 0, hi = 0;
    for (int i = 0; i < b->n; i++)
        if (isfinite(b->v[i])) {
            lo = fmin(lo, b->v[i]);
            hi = fmax(hi, b->v[i]);
        }
    double span = hi - lo > 0 ? hi - lo : 1;
    RxAxes a;
    /* room right of the longest bar for its value */
    cat_axes(&a, xlabel, lo < 0 ? lo - 0.3 * span : 0, hi + 0.3 * span, b->n);
    rx_fig_panel(f, 0.2, 0.96, vy0, vy1, &a, title);
    for (int i = 0; i < b->n; i++) {
        rx_fig_left_label(f, i + 0.5, b->label[i]);
        if (!isfinite(b->v[i]))
            continue;
        rx_fig_rect(f, b->total[i] ? RX_FIG_GREY : 0, 0, b->v[i], i + 0.82, i + 0.18);
        char num[48], text[80];
        snprintf(text, sizeof text, "  %s %s  ", money(num, b->v[i]), unit);
        rx_fig_text(f, b->v[i], i + 0.5, b->v[i] < 0 ? 1 : 0, text);
    }
}

/* The breakdown's layout in px: a row per bar, and room above each panel
 * (its title) and below it (its numbers, axis label and exponent). */
#define ROW_PX 30.0
#define ABOVE_PX 30.0
#define BELOW_PX 52.0

static double breakdown_height(const Breakdown *d)
{
    double h = 0;
    if (d->cap.n > 0)
        h += ABOVE_PX + ROW_PX * d->cap.n + BELOW_PX;
    if (d->op.n > 0)
        h += ABOVE_PX + ROW_PX * d->op.n + BELOW_PX;
    return h;
}

static void draw_breakdown(RxFig *f, void *ctx)
{
    const Breakdown *d = ctx;
    double h = breakdown_height(d), top = h; /* px from the bottom */
    if (d->cap.n > 0) {
        double y1 = top - ABOVE_PX, y0 = y1 - ROW_PX * d->cap.n;
        draw_bars(f, &d->cap, "capital [USD]", "USD", "Capital (grey bars: totals)", y0 / h, y1 / h);
        top = y0 - BELOW_PX;
    }
    if (d->op.n > 0) {
        char title[120], num[48];
        if (isfinite(d->op_total))
            snprintf(title, sizeof title, "Operating cost per year (total %s USD/yr)", money(num, d->op_total));
        else
            snprintf(title, sizeof title, "Operating cost per year");
        double y1 = top - ABOVE_PX, y0 = y1 - ROW_PX * d->op.n;
        draw_bars(f, &d->op, "operating cost [USD/yr]", "USD/yr", title, y0 / h, y1 / h);
    }
}

/* ---- the tornado ---------------------------------------------------------- */

typedef struct Tornado {
    int n;
    char label[MAX_ITEMS][LABEL];
    double lo[MAX_ITEMS], hi[MAX_ITEMS]; /* cost at -20 %, +20 % */
    double base;
} Tornado;

static int tornado_of(const RxTable *sens, double base, Tornado *t)
{
    t->n = 0;
    t->base = base;
    int ci = rx_table_col(sens, "input"), cb = rx_table_col(sens, "base value"), cu = rx_table_col(sens, "unit"),
        cl = rx_table_col(sens, "cost at -20 % [USD/kg REO]"), ch = rx_table_col(sens, "cost at +20 % [USD/kg REO]");
    if (cl < 0 || ch < 0)
        return 0;
    int order[256], m = 0;
    for (int i = 0; i < sens->nrows && m < 256; i++)
        if (isfinite(rx_table_num(sens, i, cl)) && isfinite(rx_table_num(sens, i, ch)))
            order[m++] = i;
    /* by span, largest first; ties in the file's order */
    for (int i = 1; i < m; i++)
        for (int j = i; j > 0; j--) {
            double sa = fabs(rx_table_num(sens, order[j - 1], ch) - rx_table_num(sens, order[j - 1], cl)),
                   sb = fabs(rx_table_num(sens, order[j], ch) - rx_table_num(sens, order[j], cl));
            if (sb <= sa)
                break;
            int k = order[j];
            order[j] = order[j - 1];
            order[j - 1] = k;
        }
    for (int k = 0; k < m && t->n < MAX_ITEMS; k++) {
        int i = order[k];
        const char *in = ci >= 0 ? rx_table_cell(sens, i, ci) : "", *bv = cb >= 0 ? rx_table_cell(sens, i, cb) : "",
                   *u = cu >= 0 ? rx_table_cell(sens, i, cu) : "";
        char label[LABEL * 2];
        if (!*bv)
            snprintf(label, sizeof label, "%s", *in ? in : "-");
        else if (!*u || !strcmp(u, "-"))
            snprintf(label, sizeof label, "%s (%s)", *in ? in : "-", bv);
        else
            snprintf(label, sizeof label, "%s (%s %s)", *in ? in : "-", bv, u);
        rx_text_copy(t->label[t->n], LABEL, label);
        t->lo[t->n] = rx_table_num(sens, i, cl);
        t->hi[t->n] = rx_table_num(sens, i, ch);
        t->n++;
    }
    return t->n;
}

static void draw_tornado(RxFig *f, void *ctx)
{
    const Tornado *t = ctx;
    double lo = isfinite(t->base) ? t->base : t->lo[0], hi = lo;
    for (int i = 0; i < t->n; i++) {
        lo = fmin(lo, fmin(t->lo[i], t->hi[i]));
        hi = fmax(hi, fmax(t->lo[i], t->hi[i]));
    }
    double span = hi - lo > 0 ? hi - lo : fabs(lo) * 0.1 + 1e-9;
    RxAxes a;
    /* rows of the bars below a band for the base line's label */
    double rows = t->n + TOP_BAND;
    cat_axes(&a, "cost [USD/kg REO]", lo - 0.16 * span, hi + 0.16 * span, rows);
    rx_fig_panel(f, 0.3, 0.97, 0.12, 0.9, &a, "Cost per kg REO with each input at -20 % and +20 %");
    for (int i = 0; i < t->n; i++) {
        double at = TOP_BAND + i, y0 = at + 0.84, y1 = at + 0.16, y = at + 0.5;
        /* the bars start at the base cost; without one, at the bar's middle */
        double b = isfinite(t->base) ? t->base : 0.5 * (t->lo[i] + t->hi[i]);
        rx_fig_left_label(f, y, t->label[i]);
        rx_fig_rect(f, 0, fmin(b, t->lo[i]), fmax(b, t->lo[i]), y0, y1);
        rx_fig_rect(f, 1, fmin(b, t->hi[i]), fmax(b, t->hi[i]), y0, y1);
        /* the two costs at the bar's ends, the lower left, the higher right */
        char l[48], h[48];
        double a0 = fmin(t->lo[i], t->hi[i]), a1 = fmax(t->lo[i], t->hi[i]);
        if (a1 - a0 > 1e-9 * fabs(a1)) {
            snprintf(l, sizeof l, "%.2f ", a0);
            snprintf(h, sizeof h, " %.2f", a1);
            rx_fig_text(f, fmin(a0, b), y, 1, l);
            rx_fig_text(f, fmax(a1, b), y, 0, h);
        } else { /* on the left: the legend sits lower right */
            snprintf(l, sizeof l, "no effect: %.2f at both ", a0);
            rx_fig_text(f, fmin(a0, b), y, 1, l);
        }
    }
    if (isfinite(t->base)) {
        char label[64];
        snprintf(label, sizeof label, "base %.2f", t->base);
        rx_fig_vline(f, t->base, label);
    }
    static const char *const labels[] = {"input -20 %", "input +20 %"};
    static const int series[] = {0, 1};
    rx_fig_legend(f, 2, labels, series, RX_LEGEND_BOXES, RX_LEGEND_LOWER_RIGHT);
}

/* ---- the section -------------------------------------------------------- */

void rx_report_cost(RxReport *r, const cJSON *cost, const RxTable *sens)
{
    rx_html_section(r, "cost", "Cost");
    if (!cost)
        return;
    key_figures(r, cost);

    Breakdown *d = calloc(1, sizeof *d);
    if (!d) {
        rx_report_fail(r, rx_error_set(r->err, RX_NO_MEMORY, "cost", "out of memory for the report"));
        return;
    }
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(cost, "operating_USD_per_yr");
    bars_of(cJSON_GetObjectItemCaseSensitive(cost, "capital_USD"), NULL, &d->cap);
    bars_of(op, "total", &d->op);
    d->op_total = rx_json_get(op, "total");
    if (d->cap.n > 0 || d->op.n > 0) {
        rx_html_subsection(r, "Capital and operating cost");
        rx_html_figure(r, "cost-breakdown",
                       "Capital cost by item (top, USD; the grey totals hold the items: total plant cost = "
                       "equipment x Lang factor, total as-spent capital = total plant cost x the TASC factor + "
                       "solvent first fill) and operating cost per year by item (bottom, USD/yr), from cost.json.",
                       900, breakdown_height(d), draw_breakdown, d);
    }
    free(d);

    if (!sens || sens->nrows <= 0)
        return;
    rx_html_subsection(r, "Sensitivity (each input at -20 % and +20 %)");
    Tornado *t = calloc(1, sizeof *t);
    if (!t) {
        rx_report_fail(r, rx_error_set(r->err, RX_NO_MEMORY, "cost", "out of memory for the report"));
        return;
    }
    if (tornado_of(sens, rx_json_get(cost, "cost_USD_per_kg_REO"), t) > 0) {
        char caption[400];
        snprintf(caption, sizeof caption,
                 "Tornado chart of the cost per kg of product REO: each input of sensitivity.csv (its base value "
                 "and unit in brackets) set to 80 %% and 120 %% of its value with the process unchanged, the "
                 "largest swing on top; the bars run from the base cost (dotted line) to the cost at -20 %% and "
                 "at +20 %%, whose values are written at their ends.");
        rx_html_figure(r, "cost-tornado", caption, 900, 130 + 30.0 * t->n, draw_tornado, t);
    }
    free(t);
    rx_html_table(r, sens, 200);
}
