/*
 * test_report_cost_design.c - the cost and design sections of report.html
 * (report/cost.c, report/design.c): their figures drawn, the numbers of
 * cost.json and candidates.csv in the page text, the tornado's bars by
 * their swing, an infeasible design still reported, odd files taken.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report/table.h"
#include "support.h"

static RxTable csv_in(const char *dir, const char *name)
{
    char path[700];
    RxTable t = {0};
    RxError err;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    cr_assert_eq(rx_table_read(path, &t, &err), RX_OK, "%s", err.msg);
    return t;
}

/* The page's text: the markup without its tags, <figure> and <style>
 * left out, the entities of & < > " back; malloc'd. */
static char *page_text(const char *page)
{
    char *out = malloc(strlen(page) + 1), *o = out;
    cr_assert(out);
    for (const char *p = page; *p;) {
        if (!strncmp(p, "<figure", 7) || !strncmp(p, "<style", 6)) {
            const char *e = strstr(p, *(p + 1) == 'f' ? "</figure>" : "</style>");
            p = e ? e + 1 : p + strlen(p);
            continue;
        }
        if (*p == '<') {
            const char *e = strchr(p, '>');
            p = e ? e + 1 : p + strlen(p);
            continue;
        }
        static const struct {
            const char *ent;
            char c;
        } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}};
        int done = 0;
        for (int k = 0; k < 4 && !done; k++)
            if (!strncmp(p, ents[k].ent, strlen(ents[k].ent))) {
                *o++ = ents[k].c;
                p += strlen(ents[k].ent);
                done = 1;
            }
        if (!done)
            *o++ = *p++;
    }
    *o = '\0';
    return out;
}

/* The height on the page of the text element holding the escaped label
 * in [f, end) (larger: higher; PLplot's y axis points up), NAN when none. */
static double text_height(const char *f, const char *end, const char *escaped)
{
    char needle[1200];
    int w = snprintf(needle, sizeof needle, ">%s</tspan>", escaped);
    cr_assert(w > 0 && (size_t)w < sizeof needle, "the label %s is too long to look for", escaped);
    const char *at = strstr(f, needle);
    if (!at || at > end)
        return NAN;
    /* its <text ... transform="matrix(1 0 0 -1 X Y)" is the last before it */
    const char *tr = NULL;
    for (const char *p = f; (p = strstr(p, "transform=\"matrix(")) && p < at; p++)
        tr = p;
    double m[6];
    if (!tr || sscanf(tr, "transform=\"matrix(%lf %lf %lf %lf %lf %lf", m, m + 1, m + 2, m + 3, m + 4, m + 5) != 6)
        return NAN;
    return m[5];
}

/* ---- cost ---------------------------------------------------------------- */

/* reesx cost configs/default.cfg --report: the capital and operating
 * bars and the tornado drawn; the cost per kg of cost.json ("%.2f"), its
 * NPV and every product's cost per kg in the page text. */
Test(report_cost, page_holds_the_cost_and_its_figures)
{
    char *dir = make_tmp_dir();
    cr_assert_eq(reesx_in(dir, "cost configs/default.cfg -q -o %s --report", dir), 0);
    char *page = read_file_in(dir, "report.html"), *json = read_file_in(dir, "cost.json"), *text = page_text(page);
    cJSON *c = cJSON_Parse(json);
    cr_assert(c);
    char num[64];
    snprintf(num, sizeof num, "%.2f", cJSON_GetObjectItem(c, "cost_USD_per_kg_REO")->valuedouble);
    cr_expect(strstr(text, num), "cost per kg REO %s in the page text", num);
    cr_expect(strstr(text, "USD/kg REO"), "with its unit");
    cr_expect(strstr(page, "<h2 id=\"cost\">Cost</h2>"));
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItem(c, "products"))
    {
        snprintf(num, sizeof num, "%.2f", cJSON_GetObjectItem(p, "cost_USD_per_kg")->valuedouble);
        cr_expect(strstr(text, num), "%s: cost per kg %s", cJSON_GetObjectItem(p, "name")->valuestring, num);
    }
    /* 4 capital and 7 operating items, each a filled bar and its edge */
    expect_figure_drawn(page, "cost-breakdown", 22, 4);
    /* 14 inputs, two bars each */
    expect_figure_drawn(page, "cost-tornado", 56, 4);
    /* the axes carry their units */
    const char *end, *f = page_figure_ok(page, "cost-tornado", &end);
    char esc[1200];
    svg_text(esc, sizeof esc, "cost [USD/kg REO]");
    cr_expect(strstr(f, esc) && strstr(f, esc) < end, "the tornado's axis: cost [USD/kg REO]");
    f = page_figure_ok(page, "cost-breakdown", &end);
    svg_text(esc, sizeof esc, "capital [USD]");
    cr_expect(strstr(f, esc) && strstr(f, esc) < end, "the breakdown's axis: capital [USD]");
    svg_text(esc, sizeof esc, "operating cost [USD/yr]");
    cr_expect(strstr(f, esc) && strstr(f, esc) < end, "the breakdown's axis: operating cost [USD/yr]");
    /* the sensitivity table */
    cr_expect(strstr(text, "cost at -20 % [USD/kg REO]"));
    cJSON_Delete(c);
    free(text);
    free(json);
    free(page);
    remove_tmp_dir(dir);
}

/* The tornado's bars run by their swing, the largest on top: each input's
 * label, "input (base value unit)", stands lower than any input's of a
 * larger |cost at +20 % - cost at -20 %| (ties either way). */
Test(report_cost, tornado_puts_the_largest_swing_on_top)
{
    char *dir = make_tmp_dir();
    cr_assert_eq(reesx_in(dir, "cost configs/default.cfg -q -o %s --report", dir), 0);
    char *page = read_file_in(dir, "report.html");
    RxTable t = csv_in(dir, "sensitivity.csv");
    int ci = rx_table_col(&t, "input"), cb = rx_table_col(&t, "base value"), cu = rx_table_col(&t, "unit"),
        cl = rx_table_col(&t, "cost at -20 % [USD/kg REO]"), ch = rx_table_col(&t, "cost at +20 % [USD/kg REO]");
    cr_assert(ci >= 0 && cb >= 0 && cu >= 0 && cl >= 0 && ch >= 0, "sensitivity.csv's columns");
    cr_assert_geq(t.nrows, 2);
    const char *end, *f = page_figure_ok(page, "cost-tornado", &end);
    double *span = malloc((size_t)t.nrows * sizeof *span), *height = malloc((size_t)t.nrows * sizeof *height);
    cr_assert(span && height);
    int top = -1;
    for (int i = 0; i < t.nrows; i++) {
        char label[600], esc[1200];
        const char *u = rx_table_cell(&t, i, cu);
        if (!strcmp(u, "-"))
            snprintf(label, sizeof label, "%s (%s)", rx_table_cell(&t, i, ci), rx_table_cell(&t, i, cb));
        else
            snprintf(label, sizeof label, "%s (%s %s)", rx_table_cell(&t, i, ci), rx_table_cell(&t, i, cb), u);
        svg_text(esc, sizeof esc, label);
        span[i] = fabs(rx_table_num(&t, i, ch) - rx_table_num(&t, i, cl));
        height[i] = text_height(f, end, esc);
        cr_assert(isfinite(height[i]), "the tornado has no label \"%s\"", label);
        if (top < 0 || height[i] > height[top])
            top = i;
    }
    double largest = 0;
    for (int i = 0; i < t.nrows; i++)
        largest = fmax(largest, span[i]);
    cr_expect(span[top] >= largest * (1 - 1e-12), "the top bar (%s) swings %g, the largest %g",
              rx_table_cell(&t, top, ci), span[top], largest);
    for (int i = 0; i < t.nrows; i++)
        for (int j = 0; j < t.nrows; j++)
            if (span[i] > span[j] * (1 + 1e-12) + 1e-12)
                cr_expect_gt(height[i], height[j], "%s (swing %g) should stand above %s (swing %g)",
                             rx_table_cell(&t, i, ci), span[i], rx_table_cell(&t, j, ci), span[j]);
    /* the legend of the two sides */
    char esc[200];
    svg_text(esc, sizeof esc, "input -20 %");
    cr_expect(strstr(f, esc) && strstr(f, esc) < end, "legend: input -20 %%");
    svg_text(esc, sizeof esc, "input +20 %");
    cr_expect(strstr(f, esc) && strstr(f, esc) < end, "legend: input +20 %%");
    free(span);
    free(height);
    rx_table_free(&t);
    free(page);
    remove_tmp_dir(dir);
}

/* Without sensitivity.csv the page has the key figures and the breakdown,
 * no tornado; cost.json with keys missing, of the wrong type or not
 * finite, and a sensitivity.csv without its cost columns, are reported as
 * far as they go ("-" where a number is not one). */
Test(report_cost, odd_files_leave_their_part_out)
{
    char *dir = make_tmp_dir();
    cr_assert_eq(reesx_in(dir, "cost configs/default.cfg -q -o %s", dir), 0);
    char path[700];
    snprintf(path, sizeof path, "%s/sensitivity.csv", dir);
    cr_assert_eq(remove(path), 0);
    cr_assert_eq(reesx_in(dir, "report %s -q", dir), 0);
    char *page = read_file_in(dir, "report.html");
    expect_figure_drawn(page, "cost-breakdown", 22, 4);
    cr_expect_null(strstr(page, "id=\"fig-cost-tornado\""), "no tornado without sensitivity.csv");
    free(page);

    write_file_in(dir, "cost.json",
             "{\"cost_USD_per_kg_REO\": null, \"NPV_USD\": \"x\", \"capital_USD\": [1, 2],"
             " \"operating_USD_per_yr\": {\"total\": 5, \"acid#1\": 3, \"base\": \"y\"},"
             " \"products\": [{}, {\"name\": 7, \"cost_USD_per_kg\": 1e400}], \"holdups_m3\": 3}");
    write_file_in(dir, "sensitivity.csv", "input,base value,unit\nHCl price,250,USD/t\n");
    cr_assert_eq(reesx_in(dir, "report %s -q", dir), 0);
    page = read_file_in(dir, "report.html");
    char *text = page_text(page);
    cr_expect(strstr(text, "cost per kg of product REO-USD/kg REO"), "a null cost per kg is \"-\"");
    expect_figure_drawn(page, "cost-breakdown", 2, 4);
    cr_expect_null(strstr(page, "id=\"fig-cost-tornado\""), "no tornado without the cost columns");
    cr_expect(strstr(text, "HCl price"), "the sensitivity table still");
    free(text);
    free(page);

    write_file_in(dir, "cost.json", "{\"cost_USD_per_kg_REO\": 2}");
    write_file_in(dir, "sensitivity.csv",
             "input,cost at -20 % [USD/kg REO],cost at +20 % [USD/kg REO]\n"
             "a,nan,1\nb,1,3\nc,2,2\nd,,\n");
    cr_assert_eq(reesx_in(dir, "report %s -q", dir), 0);
    page = read_file_in(dir, "report.html");
    cr_expect_null(strstr(page, "id=\"fig-cost-breakdown\""), "no items, no breakdown");
    expect_figure_drawn(page, "cost-tornado", 4, 4);
    free(page);
    remove_tmp_dir(dir);
}

/* ---- design -------------------------------------------------------------- */

/* reesx design configs/ndpr_binary.cfg --report: the candidates against
 * stages with the Pareto front, and the operating window, drawn; as many
 * candidates in the text as candidates.csv has rows, and those that meet
 * every target; the chosen one's total stages and stages per section. */
Test(report_design, page_counts_the_candidates_and_shows_the_chosen_one)
{
    char *dir = make_tmp_dir();
    cr_assert_eq(reesx_in(dir, "design configs/ndpr_binary.cfg -q -o %s --report", dir), 0);
    char *page = read_file_in(dir, "report.html"), *text = page_text(page);
    RxTable t = csv_in(dir, "candidates.csv");
    int cm = rx_table_col(&t, "meets targets [-]"), cc = rx_table_col(&t, "chosen [-]"),
        cs = rx_table_col(&t, "total stages [-]"), ce = rx_table_col(&t, "extraction stages [-]"),
        cr = rx_table_col(&t, "scrub stages [-]");
    cr_assert(cm >= 0 && cc >= 0 && cs >= 0 && ce >= 0 && cr >= 0, "candidates.csv's columns");
    int meets = 0, chosen = -1;
    for (int i = 0; i < t.nrows; i++) {
        meets += rx_table_num(&t, i, cm) == 1;
        if (rx_table_num(&t, i, cc) == 1)
            chosen = i;
    }
    cr_assert_geq(chosen, 0, "candidates.csv marks a chosen design");
    char want[200];
    snprintf(want, sizeof want, "%d candidates,", t.nrows);
    cr_expect(strstr(text, want), "\"%s\" in the page text", want);
    snprintf(want, sizeof want, "%d meet every target", meets);
    cr_expect(strstr(text, want), "\"%s\" in the page text", want);
    snprintf(want, sizeof want, "%.0f stages in all (%.0f extraction + %.0f scrub)", rx_table_num(&t, chosen, cs),
             rx_table_num(&t, chosen, ce), rx_table_num(&t, chosen, cr));
    cr_expect(strstr(text, want), "\"%s\" in the page text", want);
    cr_expect(strstr(page, "id=\"design-chosen\""), "the chosen design's table");
    cr_expect(strstr(text, "design.cfg holds the chosen design"));
    /* 406 candidates as markers (text glyphs), the front, the axes */
    expect_figure_drawn(page, "design-pareto", 3, 4);
    const char *end, *f = page_figure_ok(page, "design-pareto", &end);
    cr_expect_geq(count_in(f, end, "<text"), t.nrows, "a marker per candidate at least");
    char esc[400];
    svg_text(esc, sizeof esc, "total stages [-]");
    cr_expect(strstr(f, esc) && strstr(f, esc) < end, "x axis: total stages [-]");
    svg_text(esc, sizeof esc, "chosen (");
    cr_expect(strstr(f, esc) && strstr(f, esc) < end, "the chosen design labelled");
    /* 7 variables of window.csv, a bar each side */
    RxTable w = csv_in(dir, "window.csv");
    expect_figure_drawn(page, "design-window", 2 * w.nrows, 4);
    f = page_figure_ok(page, "design-window", &end);
    svg_text(esc, sizeof esc, "change from the design value [%]");
    cr_expect(strstr(f, esc) && strstr(f, esc) < end, "the window's axis");
    cr_expect(strstr(text, "limited below by"), "the window's table");
    rx_table_free(&w);
    rx_table_free(&t);
    free(text);
    free(page);
    remove_tmp_dir(dir);
}

/* A design whose targets no candidate meets exits 6 and still writes its
 * page: the candidates' figure and the sentence that none met them. */
Test(report_design, infeasible_design_still_reports)
{
    char *dir = make_tmp_dir();
    cr_assert_eq(reesx_in(dir, "design tests/fixtures/design_infeasible.cfg -q -o %s --report", dir), 6);
    char *page = read_file_in(dir, "report.html"), *text = page_text(page);
    cr_expect(strstr(page, "</html>"), "the page is whole");
    cr_expect(strstr(text, "No candidate met every target"), "says that none met the targets");
    cr_expect(strstr(text, "0 meet every target"));
    expect_figure_drawn(page, "design-pareto", 3, 4);
    cr_expect_null(strstr(page, "id=\"design-chosen\""), "no chosen design");
    free(text);
    free(page);
    remove_tmp_dir(dir);
}

/* candidates.csv with columns missing, cells not numbers, no chosen row;
 * an empty pareto.csv; window.csv with sides unbounded or unknown: the
 * page is written, with what can be drawn. */
Test(report_design, odd_files_leave_their_part_out)
{
    char *dir = make_tmp_dir();
    write_file_in(dir, "candidates.csv", "candidate\n1\n2\n");
    cr_assert_eq(reesx_in(dir, "report %s -q", dir), 0);
    char *page = read_file_in(dir, "report.html"), *text = page_text(page);
    cr_expect(strstr(text, "2 candidates"), "%s", text);
    cr_expect_null(strstr(page, "id=\"fig-design-pareto\""), "nothing to draw");
    free(text);
    free(page);

    write_file_in(dir, "candidates.csv",
             "candidate,a stages [-],total stages [-],solved [-],X: purity >= 9 % [%],meets targets [-],"
             "reagents [kg],cost [USD],chosen [-]\n"
             "1,nan,inf,1,nan,1,nan,,1\n2,3,5,0,1,0,2,3,0\n3,4,7,1,50,1,2.5,-inf,0\n");
    write_file_in(dir, "pareto.csv", "total stages [-],reagents [kg]\nnan,1\n7,2.5\n");
    write_file_in(dir, "window.csv",
             "variable,unit,value,below [%],above [%],limited below by,limited above by\n"
             "x,L/h,1,inf,nan,,\ny,-,2,-3,0.5,(none),X: purity >= 9 %\n,,,,,,\n");
    cr_assert_eq(reesx_in(dir, "report %s -q", dir), 0);
    page = read_file_in(dir, "report.html");
    text = page_text(page);
    cr_expect(strstr(text, "3 candidates, 2 solved, 2 meet every target"), "%s", text);
    expect_figure_drawn(page, "design-pareto", 1, 4);
    expect_figure_drawn(page, "design-window", 2, 4);
    free(text);
    free(page);
    remove_tmp_dir(dir);
}
