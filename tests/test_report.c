/*
 * test_report.c - report.html of a circuit's and a flowsheet's run: self
 * contained, the numbers of summary.json, the figures drawn, --figures,
 * and bad input refused without clobbering a page.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "report/build.h"
#include "rx.h"
#include "support.h"

/* Every id of the page is its own (figures' clip paths, a flowsheet's
 * circuits' tables), and there are more than min of them. */
static void expect_unique_ids(const char *page, int min)
{
    int ids = 0;
    for (const char *q = page; (q = strstr(q, " id=\"")); q += 5, ids++) {
        const char *e = strchr(q + 5, '"');
        cr_assert(e);
        char id[200];
        snprintf(id, sizeof id, " id=\"%.*s\"", (int)(e - q - 5), q + 5);
        cr_expect_eq(count_in(page, page + strlen(page), id), 1, "%s is not unique", id);
    }
    cr_expect_gt(ids, min);
}

/* The page of reesx run configs/default.cfg --report holds what its
 * summary.json holds (product names, purity, recovery, raffinate pH, to
 * the two decimals it prints), the banner of its placeholder constants,
 * and the circuit's figures; nothing outside the file is referenced. */
Test(report, run_page_holds_the_summary_and_its_figures)
{
    char *dir = make_tmp_dir();
    cr_assert_eq(reesx_in(dir, "run configs/default.cfg -q -o %s --report", dir), 0);
    char *page = read_file_in(dir, "report.html"), *json = read_file_in(dir, "summary.json");
    cJSON *s = cJSON_Parse(json);
    cr_assert(s);
    cr_expect_eq(strncmp(page, "<!DOCTYPE html>", 15), 0);
    cr_expect(strstr(page, "</html>"), "the page is whole");
    const cJSON *p;
    int products = 0;
    cJSON_ArrayForEach(p, cJSON_GetObjectItem(s, "products"))
    {
        char num[64];
        cr_expect(strstr(page, cJSON_GetObjectItem(p, "name")->valuestring), "product name");
        snprintf(num, sizeof num, ">%.2f<", cJSON_GetObjectItem(p, "purity_pct_REO")->valuedouble);
        cr_expect(strstr(page, num), "purity %s", num);
        snprintf(num, sizeof num, ">%.2f<", cJSON_GetObjectItem(p, "recovery_pct")->valuedouble);
        cr_expect(strstr(page, num), "recovery %s", num);
        products++;
    }
    cr_expect_eq(products, 2);
    char ph[64];
    snprintf(ph, sizeof ph, "Raffinate pH: <b>%.2f</b>", cJSON_GetObjectItem(s, "raffinate_pH")->valuedouble);
    cr_expect(strstr(page, ph), "%s", ph);
    cr_expect(strstr(page, "id=\"placeholder-banner\""), "default.cfg rests on placeholder constants");
    /* Self-contained: no script, no stylesheet or image fetched, no URL
     * but the SVG namespaces. */
    cr_expect_null(strstr(page, "<script"));
    cr_expect_null(strstr(page, "<link"));
    cr_expect_null(strstr(page, "<img"));
    cr_expect_null(strstr(page, " src="));
    int urls = count_in(page, page + strlen(page), "http"),
        namespaces = count_in(page, page + strlen(page), "http://www.w3.org/");
    cr_expect_eq(urls, namespaces, "%d URLs, %d of them SVG namespaces", urls, namespaces);
    expect_unique_ids(page, 10);
    /* 6 elements in 2 phases; pH and loading; equilibria, operating line, steps */
    expect_figure_drawn(page, "profiles", 12, 4);
    expect_figure_drawn(page, "ph-loading", 2, 4);
    expect_figure_drawn(page, "mccabe-thiele", 3, 4);
    cJSON_Delete(s);
    free(json);
    free(page);
    remove_tmp_dir(dir);
}

/* The McCabe-Thiele diagram's element: by default the first product's
 * target nearest the cut (La-Ce chloride, the raffinate: Ce, more
 * extracted than La); --element chooses another. */
Test(report, mccabe_thiele_takes_the_key_element_or_the_one_asked)
{
    char *dir = make_tmp_dir();
    cr_assert_eq(reesx_in(dir, "run configs/default.cfg -q -o %s --report", dir), 0);
    char *page = read_file_in(dir, "report.html");
    cr_expect(strstr(page, "McCabe-Thiele diagram of Ce (log axes)"), "default: Ce");
    free(page);
    cr_assert_eq(reesx_in(dir, "report %s --element Nd -q", dir), 0);
    page = read_file_in(dir, "report.html");
    cr_expect(strstr(page, "McCabe-Thiele diagram of Nd (log axes)"), "--element Nd");
    free(page);
    cr_assert_eq(reesx_in(dir, "report %s --element Xx -q", dir), 0);
    page = read_file_in(dir, "report.html");
    cr_expect(strstr(page, "--element Xx: no such element") && strstr(page, "McCabe-Thiele diagram of Ce (log axes)"),
              "an unknown --element is said, and the key element drawn");
    free(page);
    remove_tmp_dir(dir);
}

/* A product on the extracted side that is not "organic" (tb_dy's strip
 * liquor, targets Dy and Ho) takes its least extracted target, Dy: the one
 * nearest the cut.  tb_dy's summary.json with its two products swapped. */
Test(report, key_element_of_a_strip_liquor_is_its_least_extracted)
{
    char *dir = make_tmp_dir();
    cr_assert_eq(reesx_in(dir, "run configs/tb_dy.cfg -q -o %s --report", dir), 0);
    char *page = read_file_in(dir, "report.html");
    cr_expect(strstr(page, "McCabe-Thiele diagram of Tb (log axes)"), "the raffinate Tb-Gd: Tb");
    free(page);
    char *json = read_file_in(dir, "summary.json");
    cJSON *s = cJSON_Parse(json), *prods = cJSON_GetObjectItem(s, "products");
    cr_assert(s && cJSON_GetArraySize(prods) == 2);
    cJSON *first = cJSON_DetachItemFromArray(prods, 0);
    cJSON_AddItemToArray(prods, first);
    char *swapped = cJSON_Print(s);
    write_file_in(dir, "summary.json", swapped);
    cr_assert_eq(reesx_in(dir, "report %s -q", dir), 0);
    page = read_file_in(dir, "report.html");
    cr_expect(strstr(page, "McCabe-Thiele diagram of Dy (log axes)"), "the strip liquor Dy-Ho: Dy");
    free(page);
    free(swapped);
    cJSON_Delete(s);
    free(json);
    remove_tmp_dir(dir);
}

/* Samples at the ends of double's range (cost -1e308 and 1e308 in turn)
 * make no histogram bin out of range: the page is written, every solved
 * sample in a bin. */
Test(report, histogram_of_samples_near_the_double_range)
{
    char *dir = make_tmp_dir();
    cr_assert_eq(reesx_in(dir, "uncertainty configs/default.cfg -q -o %s", dir), 0);
    RxTable t;
    RxError err;
    char path[700];
    snprintf(path, sizeof path, "%s/samples.csv", dir);
    cr_assert_eq(rx_table_read(path, &t, &err), RX_OK);
    int cost = rx_table_col(&t, "cost [USD/kg REO]");
    cr_assert_geq(cost, 0);
    char *csv = read_file_in(dir, "samples.csv"), *out = malloc(strlen(csv) * 2 + 100), *w = out;
    cr_assert(out);
    const char *line = csv;
    for (int row = 0; *line; row++) { /* the last cell of each data row replaced */
        const char *end = strchr(line, '\n'), *comma = end;
        while (comma > line && comma[-1] != ',')
            comma--;
        size_t head = (size_t)(row ? comma - line : end - line);
        memcpy(w, line, head);
        w += head;
        w += row ? sprintf(w, "%s\n", row % 2 ? "-1e308" : "1e308") : sprintf(w, "\n");
        line = end + 1;
    }
    *w = '\0';
    cr_assert_eq(cost, t.ncols - 1, "cost is the last column");
    write_file_in(dir, "samples.csv", out);
    cr_expect_eq(reesx_in(dir, "report %s -q", dir), 0);
    char *page = read_file_in(dir, "report.html");
    cr_expect(strstr(page, "</html>"), "the page is whole");
    free(page);
    free(out);
    free(csv);
    rx_table_free(&t);
    remove_tmp_dir(dir);
}

/* A flowsheet's run: a section per circuit, each with its own figures;
 * --figures writes each figure as a standalone SVG file too. */
Test(report, flowsheet_page_has_each_circuit_and_figures_as_files)
{
    char *dir = make_tmp_dir();
    cr_assert_eq(reesx_in(dir, "run configs/ndpr_plant.cfg -q -o %s --report --figures %s/figs", dir, dir), 0);
    char *page = read_file_in(dir, "report.html");
    cr_expect(strstr(page, ">Circuit NdPr<") && strstr(page, ">Circuit SEG<"), "both circuits");
    static const char *const figs[] = {"c1-profiles", "c1-ph-loading", "c1-mccabe-thiele",
                                       "c2-profiles", "c2-ph-loading", "c2-mccabe-thiele"};
    for (int k = 0; k < 6; k++) {
        expect_figure_drawn(page, figs[k], 2, 4);
        char name[80];
        snprintf(name, sizeof name, "figs/%s.svg", figs[k]);
        char *svg = read_file_in(dir, name);
        cr_expect_eq(strncmp(svg, "<?xml", 5), 0, "%s is an SVG document", name);
        cr_expect(strstr(svg, "<svg") && strstr(svg, "</svg>"), "%s whole", name);
        free(svg);
    }
    cr_expect_eq(count_in(page, page + strlen(page), "<figure class=\"rx-figure\""), 6);
    expect_unique_ids(page, 20);
    free(page);
    remove_tmp_dir(dir);
}

/* Bad input: a missing directory, one without outputs, a CSV cut short
 * and a page that cannot be written each exit non-zero with file:line
 * where it applies, and an earlier report.html is left as it was. */
Test(report, bad_input_is_refused_and_leaves_the_page_alone)
{
    char *dir = make_tmp_dir();
    char log[700];
    snprintf(log, sizeof log, "%s/log", dir);
    cr_expect_eq(reesx_in(dir, "report %s/none", dir), 2);
    char *text = read_text(log);
    cr_expect(strstr(text, "/none: not a directory"), "%s", text);
    free(text);
    cr_expect_eq(reesx_in(dir, "report %s", dir), 2);
    text = read_text(log);
    cr_expect(strstr(text, "holds no outputs of reesx"), "%s", text);
    free(text);

    cr_assert_eq(reesx_in(dir, "run configs/default.cfg -q -o %s --report", dir), 0);
    char *before = read_file_in(dir, "report.html"), path[700];
    snprintf(path, sizeof path, "%s/stages.csv", dir);
    char *stages = read_text(path);
    char *third = strchr(strchr(stages, '\n') + 1, '\n') + 1; /* line 3 */
    char *broken = malloc(strlen(stages) + 8);
    cr_assert(broken);
    size_t head = (size_t)(third - stages);
    memcpy(broken, stages, head);
    strcpy(broken + head, "1,2,\"x\n");
    write_text(path, broken);
    cr_expect_eq(reesx_in(dir, "report %s", dir), 2);
    text = read_text(log);
    cr_expect(strstr(text, "stages.csv:3: an unclosed quote"), "%s", text);
    free(text);
    strcpy(broken + head, "1,2\n");
    write_text(path, broken);
    cr_expect_eq(reesx_in(dir, "report %s", dir), 2);
    text = read_text(log);
    cr_expect(strstr(text, "stages.csv:3: a row of 2 cells under a header of 19"), "%s", text);
    free(text);
    char *after = read_file_in(dir, "report.html");
    cr_expect_str_eq(after, before, "the earlier report.html is untouched");
    free(after);
    write_text(path, stages);
    cr_expect_eq(reesx_in(dir, "report %s -o %s/no/such/report.html", dir, dir), 4);
    cr_expect_eq(reesx_in(dir, "run configs/default.cfg -q -o %s --figures %s/f", dir, dir), 1,
                 "--figures without --report is a usage error");
    /* PLplot missing (REESX_PLPLOT names where it is): exit 4, said, and
     * the page as it was. */
    cr_assert_eq(setenv("REESX_PLPLOT", "/nonexistent/libplplot.so.17", 1), 0);
    cr_expect_eq(reesx_in(dir, "report %s", dir), 4);
    unsetenv("REESX_PLPLOT");
    text = read_text(log);
    cr_expect(strstr(text, "PLplot cannot be loaded (/nonexistent/libplplot.so.17"), "%s", text);
    free(text);
    after = read_file_in(dir, "report.html");
    cr_expect_str_eq(after, before, "the earlier report.html is untouched");
    free(after);
    free(broken);
    free(stages);
    free(before);
    remove_tmp_dir(dir);
}

/* The CSV reader on what RFC 4180 allows: quoted cells with commas, doubled
 * quotes and an empty last cell; CRLF line ends. */
Test(report, csv_cells_as_rfc4180_quotes_them)
{
    char dir[] = "/tmp/reesx-csv-XXXXXX", path[600];
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.csv", dir);
    write_text(path, "name,value [g/L],note\r\n\"a, b\",1.5,\"say \"\"hi\"\"\"\r\nc,-2e-3,\r\n");
    RxTable t;
    RxError err;
    cr_assert_eq(rx_table_read(path, &t, &err), RX_OK, "%s: %s", err.where, err.msg);
    cr_expect_eq(t.nrows, 2);
    cr_expect_eq(t.ncols, 3);
    cr_expect_str_eq(rx_table_cell(&t, 0, 0), "a, b");
    cr_expect_str_eq(rx_table_cell(&t, 0, 2), "say \"hi\"");
    cr_expect_eq(rx_table_num(&t, 1, 1), -2e-3);
    cr_expect_str_eq(rx_table_cell(&t, 1, 2), "");
    cr_expect(isnan(rx_table_num(&t, 1, 2)));
    cr_expect_eq(rx_table_col(&t, "value [g/L]"), 1);
    rx_table_free(&t);
    remove(path);
    rmdir(dir);
}

/* The operating line against its definition: O_i = (x_{i+1}, y_i) for the
 * streams passing between stages i and i + 1, none where an outlet parts
 * the two (tb_dy's strip liquor leaves at stage 41, between 40 and 41). */
Test(report, mccabe_operating_points_pair_the_passing_streams)
{
    const double x[5] = {1, 2, 3, 4, 5}, y[5] = {10, 20, 30, 40, 50};
    double ox[4], oy[4];
    rx_mccabe_operating(x, y, 5, NULL, 0, ox, oy);
    for (int i = 0; i < 4; i++) {
        cr_expect_eq(ox[i], x[i + 1], "O_%d x", i);
        cr_expect_eq(oy[i], y[i], "O_%d y", i);
    }
    const int brk[1] = {2};
    rx_mccabe_operating(x, y, 5, brk, 1, ox, oy);
    cr_expect(isnan(ox[2]), "no stream passes between stages 3 and 4");
    cr_expect(ox[1] == 3 && ox[3] == 5, "the other pairs as before");
}
