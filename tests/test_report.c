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
#include <stdarg.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "report/table.h"
#include "rx.h"
#include "support.h"

/* `reesx ARGS` (stdout and stderr to DIR/log); its exit status. */
static int reesx(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int reesx(const char *dir, const char *fmt, ...)
{
    const char *bin = getenv("REESX_BIN");
    cr_assert(bin, "REESX_BIN is not set (run the suite with `make test`)");
    char args[2000], cmd[3000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "cd %s && %s %s >%s/log 2>&1", RX_SOURCE_DIR, bin, args, dir);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static char *file_in(const char *dir, const char *name)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return read_text(path);
}

/* How many times needle is in [s, end). */
static int count(const char *s, const char *end, const char *needle)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, needle)) && p < end; p++)
        n++;
    return n;
}

/* The figure id="fig-NAME" of page: its text from <figure to </figure>;
 * fails the test when it is not there.  *end: where it ends. */
static const char *figure(const char *page, const char *name, const char **end)
{
    char id[120];
    snprintf(id, sizeof id, "<figure class=\"rx-figure\" id=\"fig-%s\">", name);
    const char *f = strstr(page, id);
    cr_assert(f, "no figure %s in the page", name);
    *end = strstr(f, "</figure>");
    cr_assert(*end, "figure %s is not closed", name);
    return f;
}

/* A figure drawn: an inline <svg> with lines and text in it. */
static void expect_drawn(const char *page, const char *name, int min_lines)
{
    const char *end, *f = figure(page, name, &end);
    cr_expect_eq(count(f, end, "<svg"), 1, "figure %s: one inline svg", name);
    int lines = count(f, end, "<polyline"), texts = count(f, end, "<text");
    cr_expect_geq(lines, min_lines, "figure %s: %d lines drawn, expected at least %d", name, lines, min_lines);
    cr_expect_geq(texts, 4, "figure %s: %d texts (axes labels, ticks)", name, texts);
}

static char *tmp_dir(void)
{
    char *dir = strdup("/tmp/reesx-report-XXXXXX");
    cr_assert(dir && mkdtemp(dir));
    return dir;
}

static void remove_dir(char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_expect_eq(system(cmd), 0);
    free(dir);
}

/* The page of reesx run configs/default.cfg --report holds what its
 * summary.json holds (product names, purity, recovery, raffinate pH, to
 * the two decimals it prints), the banner of its placeholder constants,
 * and the circuit's figures; nothing outside the file is referenced. */
Test(report, run_page_holds_the_summary_and_its_figures)
{
    char *dir = tmp_dir();
    cr_assert_eq(reesx(dir, "run configs/default.cfg -q -o %s --report", dir), 0);
    char *page = file_in(dir, "report.html"), *json = file_in(dir, "summary.json");
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
    int urls = count(page, page + strlen(page), "http"),
        namespaces = count(page, page + strlen(page), "http://www.w3.org/");
    cr_expect_eq(urls, namespaces, "%d URLs, %d of them SVG namespaces", urls, namespaces);
    /* 6 elements in 2 phases; pH and loading; equilibria, operating line, steps */
    expect_drawn(page, "profiles", 12);
    expect_drawn(page, "ph-loading", 2);
    expect_drawn(page, "mccabe-thiele", 3);
    cJSON_Delete(s);
    free(json);
    free(page);
    remove_dir(dir);
}

/* The McCabe-Thiele diagram's element: by default the first product's
 * target nearest the cut (La-Ce chloride, the raffinate: Ce, more
 * extracted than La); --element chooses another. */
Test(report, mccabe_thiele_takes_the_key_element_or_the_one_asked)
{
    char *dir = tmp_dir();
    cr_assert_eq(reesx(dir, "run configs/default.cfg -q -o %s --report", dir), 0);
    char *page = file_in(dir, "report.html");
    cr_expect(strstr(page, "McCabe-Thiele diagram of Ce (log axes)"), "default: Ce");
    free(page);
    cr_assert_eq(reesx(dir, "report %s --element Nd -q", dir), 0);
    page = file_in(dir, "report.html");
    cr_expect(strstr(page, "McCabe-Thiele diagram of Nd (log axes)"), "--element Nd");
    free(page);
    remove_dir(dir);
}

/* A flowsheet's run: a section per circuit, each with its own figures;
 * --figures writes each figure as a standalone SVG file too. */
Test(report, flowsheet_page_has_each_circuit_and_figures_as_files)
{
    char *dir = tmp_dir();
    cr_assert_eq(reesx(dir, "run configs/ndpr_plant.cfg -q -o %s --report --figures %s/figs", dir, dir), 0);
    char *page = file_in(dir, "report.html");
    cr_expect(strstr(page, ">Circuit NdPr<") && strstr(page, ">Circuit SEG<"), "both circuits");
    static const char *const figs[] = {"c1-profiles", "c1-ph-loading", "c1-mccabe-thiele",
                                       "c2-profiles", "c2-ph-loading", "c2-mccabe-thiele"};
    for (int k = 0; k < 6; k++) {
        expect_drawn(page, figs[k], 2);
        char name[80];
        snprintf(name, sizeof name, "figs/%s.svg", figs[k]);
        char *svg = file_in(dir, name);
        cr_expect_eq(strncmp(svg, "<?xml", 5), 0, "%s is an SVG document", name);
        cr_expect(strstr(svg, "<svg") && strstr(svg, "</svg>"), "%s whole", name);
        free(svg);
    }
    cr_expect_eq(count(page, page + strlen(page), "<figure class=\"rx-figure\""), 6);
    free(page);
    remove_dir(dir);
}

/* Bad input: a missing directory, one without outputs, a CSV cut short
 * and a page that cannot be written each exit non-zero with file:line
 * where it applies, and an earlier report.html is left as it was. */
Test(report, bad_input_is_refused_and_leaves_the_page_alone)
{
    char *dir = tmp_dir();
    char log[700];
    snprintf(log, sizeof log, "%s/log", dir);
    cr_expect_eq(reesx(dir, "report %s/none", dir), 2);
    char *text = read_text(log);
    cr_expect(strstr(text, "/none: not a directory"), "%s", text);
    free(text);
    cr_expect_eq(reesx(dir, "report %s", dir), 2);
    text = read_text(log);
    cr_expect(strstr(text, "holds no outputs of reesx"), "%s", text);
    free(text);

    cr_assert_eq(reesx(dir, "run configs/default.cfg -q -o %s --report", dir), 0);
    char *before = file_in(dir, "report.html"), path[700];
    snprintf(path, sizeof path, "%s/stages.csv", dir);
    char *stages = read_text(path);
    char *third = strchr(strchr(stages, '\n') + 1, '\n') + 1; /* line 3 */
    char *broken = malloc(strlen(stages) + 8);
    cr_assert(broken);
    size_t head = (size_t)(third - stages);
    memcpy(broken, stages, head);
    strcpy(broken + head, "1,2,\"x\n");
    write_text(path, broken);
    cr_expect_eq(reesx(dir, "report %s", dir), 2);
    text = read_text(log);
    cr_expect(strstr(text, "stages.csv:3: an unclosed quote"), "%s", text);
    free(text);
    strcpy(broken + head, "1,2\n");
    write_text(path, broken);
    cr_expect_eq(reesx(dir, "report %s", dir), 2);
    text = read_text(log);
    cr_expect(strstr(text, "stages.csv:3: a row of 2 cells under a header of 19"), "%s", text);
    free(text);
    char *after = file_in(dir, "report.html");
    cr_expect_str_eq(after, before, "the earlier report.html is untouched");
    free(after);
    write_text(path, stages);
    cr_expect_eq(reesx(dir, "report %s -o %s/no/such/report.html", dir, dir), 4);
    cr_expect_eq(reesx(dir, "run configs/default.cfg -q -o %s --figures %s/f", dir, dir), 1,
                 "--figures without --report is a usage error");
    free(broken);
    free(stages);
    free(before);
    remove_dir(dir);
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
