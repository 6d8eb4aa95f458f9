/*
 * test_report_fit_unc.c - the calibration and uncertainty sections of
 * report.html, black box through the command: the figures drawn, the
 * numbers of fit.json and uncertainty.json on the page, residuals.csv's
 * pH column against the profile it came from, and each histogram's bins
 * against the samples that solved.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report/table.h"
#include "support.h"

static cJSON *json_in(const char *dir, const char *name)
{
    char *text = read_file_in(dir, name);
    cJSON *j = cJSON_Parse(text);
    free(text);
    cr_assert(j, "%s/%s is JSON", dir, name);
    return j;
}

static void table_in(const char *dir, const char *name, RxTable *t)
{
    char path[1024];
    RxError err;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    cr_assert_eq(rx_table_read(path, t, &err), RX_OK, "%s: %s", path, err.msg);
}

/* The page's text of element id="ID" up to its closing tag `close`. */
static char *element(const char *page, const char *id, const char *close)
{
    char key[120];
    snprintf(key, sizeof key, "id=\"%s\"", id);
    const char *s = strstr(page, key), *e = s ? strstr(s, close) : NULL;
    if (!s || !e)
        return NULL;
    return strndup(s, (size_t)(e - s));
}

/* The pH of each stage of tests/fixtures/profile_plant.csv (its second
 * column; comment lines start with '#'), read here on its own. */
#define FIXTURE_STAGES 61
static void fixture_ph(double *ph)
{
    for (int k = 0; k < FIXTURE_STAGES; k++)
        ph[k] = NAN;
    char *text = read_text(RX_SOURCE_DIR "/tests/fixtures/profile_plant.csv");
    int rows = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        int stage;
        double v;
        if (line[0] >= '0' && line[0] <= '9' && sscanf(line, "%d,%lf", &stage, &v) == 2 && stage > 0 &&
            stage < FIXTURE_STAGES) {
            ph[stage] = v;
            rows++;
        }
    }
    free(text);
    cr_assert_eq(rows, 30, "the fixture samples every second stage of 60");
}

/* reesx fit on the pilot profile with --report: both figures drawn, a
 * marker per point in the parity plot, every estimate of fit.json on the
 * page as formatted there (%.6g), every correlation; residuals.csv's last
 * column "pH [-]" is the fixture's pH of the point's stage on every row
 * (each sampled stage has one), and the measured value itself on a pH row. */
Test(report_fit, profile_fit_page_and_ph_column)
{
    char *dir = make_tmp_dir();
    cr_assert_eq(reesx_in(dir, "fit tests/fixtures/profile_plant.cfg -q -o %s --report", dir), 0);
    char *page = read_file_in(dir, "report.html");
    cJSON *fit = json_in(dir, "fit.json");
    RxTable t;
    table_in(dir, "residuals.csv", &t);
    cr_assert_eq(t.nrows, 162);

    cr_expect(strstr(page, "<h2 id=\"fit\">Calibration</h2>"), "the section");
    expect_figure_drawn(page, "fit-parity", 4, t.nrows);
    expect_figure_drawn(page, "fit-residuals-ph", 4, t.nrows);
    char *est = element(page, "fit-estimates", "</table>");
    cr_assert(est, "the estimates table");
    const cJSON *q;
    int np = 0;
    cJSON_ArrayForEach(q, cJSON_GetObjectItem(fit, "parameters"))
    {
        char want[64];
        snprintf(want, sizeof want, "<td>%s</td><td class=\"n\">%.6g</td>", cJSON_GetObjectItem(q, "name")->valuestring,
                 cJSON_GetObjectItem(q, "estimate")->valuedouble);
        cr_expect(strstr(est, want), "estimate %s", want);
        snprintf(want, sizeof want, ">%.6g<", cJSON_GetObjectItem(q, "ci95_low")->valuedouble);
        cr_expect(strstr(est, want), "interval %s", want);
        np++;
    }
    cr_expect_eq(np, 3);
    free(est);
    char *corr = element(page, "fit-correlation", "</table>");
    cr_assert(corr, "the correlation table");
    const cJSON *row, *c;
    cJSON_ArrayForEach(row, cJSON_GetObjectItem(fit, "correlation")) cJSON_ArrayForEach(c, row)
    {
        char want[32];
        snprintf(want, sizeof want, ">%.3f<", c->valuedouble);
        cr_expect(strstr(corr, want), "correlation %s", want);
    }
    free(corr);
    char rmse[64];
    snprintf(rmse, sizeof rmse, "<td>%.4g</td>", cJSON_GetObjectItem(fit, "rmse")->valuedouble);
    cr_expect(strstr(page, rmse), "rmse %s", rmse);

    double ph[FIXTURE_STAGES];
    fixture_ph(ph);
    cr_assert_eq(t.ncols, 11);
    cr_expect_str_eq(rx_table_head(&t, t.ncols - 1), "pH [-]", "the new column comes last");
    cr_expect_str_eq(rx_table_head(&t, 9), "weight [-]", "the columns before it are as they were");
    int cpoint = rx_table_col(&t, "point"), ckind = rx_table_col(&t, "measured as"), cmeas = rx_table_col(&t, "measured"),
        cph = rx_table_col(&t, "pH [-]"), nph = 0;
    for (int i = 0; i < t.nrows; i++) {
        int stage = atoi(rx_table_cell(&t, i, cpoint));
        cr_assert(stage > 0 && stage < FIXTURE_STAGES && isfinite(ph[stage]), "row %d: stage %d sampled", i + 1, stage);
        double v = rx_table_num(&t, i, cph);
        cr_expect(isfinite(v), "row %d: a pH", i + 1);
        cr_expect(fabs(v - ph[stage]) < 1e-9, "row %d: pH %g, the fixture's stage %d has %g", i + 1, v, stage, ph[stage]);
        if (!strcmp(rx_table_cell(&t, i, ckind), "pH")) {
            cr_expect_eq(v, rx_table_num(&t, i, cmeas), "row %d: a pH point's pH is its measured value", i + 1);
            nph++;
        }
    }
    cr_expect_eq(nph, 30);
    rx_table_free(&t);
    cJSON_Delete(fit);
    free(page);
    remove_tmp_dir(dir);
}

/* A shake-out fit: the pH column is each experiment's pH eq, empty for the
 * one without (it gives its acid instead); the residual plot leaves those
 * points out and says how many. */
Test(report_fit, shakeout_ph_column_is_ph_eq)
{
    char *dir = make_tmp_dir();
    char path[700];
    snprintf(path, sizeof path, "%s/shake.csv", dir);
    write_text(path, "experiment,pH eq [-],acid [mol/L],O/A [-],extractant [mol/L],Mn initial [mol/L],Mn D [-],"
                     "Co initial [mol/L],Co D [-]\n"
                     "a,2.5,,1,0.1,0.01,0.52,0.01,0.031\n"
                     "b,3.1,,1,0.1,0.01,0.47,,\n"
                     "c,,0.01,1,0.1,0.01,0.55,0.01,0.029\n"
                     "d,2.0,,2,0.1,0.01,0.5,0.01,0.03\n");
    snprintf(path, sizeof path, "%s/shake.cfg", dir);
    write_text(path, "version = 1;\ntitle = \"Mn and Co shake-outs\";\n"
                     "extractant = { name = \"DEHPA\"; concentration = \"0.1 mol/L\"; };\n"
                     "model = { type = \"mass_action\"; };\n"
                     "fit = { data = \"shake.csv\"; elements = [\"Mn\", \"Co\"]; };\n");
    cr_assert_eq(reesx_in(dir, "fit %s -q -o %s --report", path, dir), 0);
    RxTable t;
    table_in(dir, "residuals.csv", &t);
    cr_assert_eq(t.nrows, 7);
    int cexp = rx_table_col(&t, "point"), cph = rx_table_col(&t, "pH [-]");
    cr_assert_eq(cph, t.ncols - 1);
    static const struct {
        const char *exp;
        double ph;
    } want[] = {{"a", 2.5}, {"b", 3.1}, {"c", NAN}, {"d", 2.0}};
    int without = 0;
    for (int i = 0; i < t.nrows; i++) {
        double v = rx_table_num(&t, i, cph);
        for (int k = 0; k < 4; k++)
            if (!strcmp(rx_table_cell(&t, i, cexp), want[k].exp)) {
                if (isnan(want[k].ph))
                    cr_expect_str_eq(rx_table_cell(&t, i, cph), "", "experiment c has no pH eq");
                else
                    cr_expect_eq(v, want[k].ph, "experiment %s: pH %g", want[k].exp, v);
            }
        without += isnan(v);
    }
    cr_expect_eq(without, 2);
    char *page = read_file_in(dir, "report.html");
    expect_figure_drawn(page, "fit-parity", 4, t.nrows);
    expect_figure_drawn(page, "fit-residuals-ph", 4, t.nrows - without);
    char note[120];
    snprintf(note, sizeof note, "%d points without a pH", without);
    cr_expect(strstr(page, note), "%s", note);
    rx_table_free(&t);
    free(page);
    remove_tmp_dir(dir);
}

/* The bin counts of table unc-bins-N (its second row) summed; -1 when the
 * page has no such table.  *bins: how many bins are not empty. */
static int bin_sum(const char *page, int n, int *bins)
{
    char id[32];
    snprintf(id, sizeof id, "unc-bins-%d", n);
    char *tab = element(page, id, "</table>");
    if (!tab)
        return -1;
    const char *row = strstr(tab, "<th>samples [-]</th>");
    cr_assert(row, "%s: a row of counts", id);
    int sum = 0;
    *bins = 0;
    for (const char *p = row; (p = strstr(p, "<td class=\"n\">")); ) {
        p += strlen("<td class=\"n\">");
        int k = atoi(p);
        sum += k;
        *bins += k > 0;
    }
    free(tab);
    return sum;
}

/* reesx uncertainty on default.cfg (100 samples) with two design targets:
 * a histogram per quantity of uncertainty.csv, each drawn with a bar per
 * bin that is not empty, its bins summing to the solved samples (those of
 * samples.csv whose status is "solved"); P(all met) on the page is
 * uncertainty.json's, as a percentage with one decimal; P5, P50 and P95 of
 * each quantity on the page as the CSV has them (%.6g). */
Test(report_uncertainty, histograms_and_probability)
{
    char *dir = make_tmp_dir();
    char *base = read_text(RX_SOURCE_DIR "/configs/default.cfg");
    char *at = strstr(base, "samples = 200;");
    cr_assert(at, "default.cfg's uncertainty group has samples = 200");
    memcpy(at, "samples = 100;", 14);
    size_t n = strlen(base) + 400;
    char *cfg = malloc(n), path[700];
    snprintf(cfg, n,
             "%s\ndesign = { targets = ( { product = \"NdPr(Sm) loaded organic\"; purity = \"99.5 %%\"; },\n"
             "  { product = \"NdPr(Sm) loaded organic\"; recovery = \"99 %%\"; } ); };\n",
             base);
    snprintf(path, sizeof path, "%s/targets.cfg", dir);
    write_text(path, cfg);
    free(cfg);
    free(base);
    cr_assert_eq(reesx_in(dir, "uncertainty %s -q -o %s/out --report", path, dir), 0);
    char out[256];
    snprintf(out, sizeof out, "%s/out", dir);
    char *page = read_file_in(out, "report.html");
    cJSON *unc = json_in(out, "uncertainty.json");
    RxTable samples, pct;
    table_in(out, "samples.csv", &samples);
    table_in(out, "uncertainty.csv", &pct);

    cr_expect(strstr(page, "<h2 id=\"uncertainty\">Uncertainty</h2>"), "the section");
    int solved = (int)cJSON_GetObjectItem(unc, "solved")->valuedouble, by_status = 0;
    cr_expect_eq((int)cJSON_GetObjectItem(unc, "samples")->valuedouble, 100);
    int cstatus = rx_table_col(&samples, "status");
    cr_assert_geq(cstatus, 0);
    for (int i = 0; i < samples.nrows; i++)
        by_status += !strcmp(rx_table_cell(&samples, i, cstatus), "solved");
    cr_expect_eq(by_status, solved, "samples.csv and uncertainty.json agree on the solved samples");

    cr_assert_eq(pct.nrows, 3, "two targets and the cost");
    for (int k = 1; k <= pct.nrows; k++) {
        char name[32];
        snprintf(name, sizeof name, "unc-hist-%d", k);
        int filled = expect_figure_drawn(page, name, 4, 4), bars = 0, sum = bin_sum(page, k, &bars);
        cr_expect_eq(sum, solved, "%s: the bars hold %d samples, %d solved", name, sum, solved);
        cr_expect_geq(filled, bars, "%s: %d filled shapes for %d bars", name, filled, bars);
        cr_expect_gt(bars, 0);
    }
    const char *end;
    cr_expect_null(page_figure(page, "unc-hist-4", &end), "one histogram per quantity");

    char *pt = element(page, "unc-percentiles", "</table>");
    cr_assert(pt, "the percentiles table");
    for (int i = 0; i < pct.nrows; i++)
        for (int c = 3; c <= 5; c++) {
            char want[64];
            snprintf(want, sizeof want, ">%.6g<", rx_table_num(&pct, i, c));
            cr_expect(strstr(pt, want), "%s %s of %s", rx_table_head(&pct, c), want, rx_table_cell(&pct, i, 0));
        }
    free(pt);

    char *p = element(page, "unc-p-all", "</p>"), want[64];
    cr_assert(p, "the probability of meeting every target");
    snprintf(want, sizeof want, "<b>%.1f %%</b>", 100 * cJSON_GetObjectItem(unc, "probability_all_met")->valuedouble);
    cr_expect(strstr(p, want), "%s in %s", want, p);
    snprintf(want, sizeof want, "%d of %d solved samples", (int)cJSON_GetObjectItem(unc, "all_targets_met")->valuedouble,
             solved);
    cr_expect(strstr(p, want), "%s in %s", want, p);
    free(p);
    /* the target's probability in its caption, counted from samples.csv */
    int cpur = rx_table_col(&samples, "NdPr(Sm) loaded organic: purity >= 99.5 % [%]"), met = 0;
    cr_assert_geq(cpur, 0);
    for (int i = 0; i < samples.nrows; i++)
        met += !strcmp(rx_table_cell(&samples, i, cstatus), "solved") && rx_table_num(&samples, i, cpur) >= 99.5;
    snprintf(want, sizeof want, "met by %d of the %d solved samples", met, solved);
    const char *f1 = page_figure_ok(page, "unc-hist-1", &end);
    char *cap = strndup(f1, (size_t)(end - f1));
    cr_expect(strstr(cap, want), "caption: %s", want);
    cr_expect(strstr(cap, "Freedman-Diaconis"), "the bin rule is stated");
    free(cap);

    rx_table_free(&samples);
    rx_table_free(&pct);
    cJSON_Delete(unc);
    free(page);
    remove_tmp_dir(dir);
}

/* Without design targets (default.cfg as shipped, a small run): purity and
 * recovery of each product and the cost, a histogram each, and no
 * probability of meeting targets. */
Test(report_uncertainty, no_targets_no_probability)
{
    char *dir = make_tmp_dir();
    char *base = read_text(RX_SOURCE_DIR "/configs/default.cfg"), path[700];
    char *at = strstr(base, "samples = 200;");
    cr_assert(at);
    memcpy(at, "samples = 40; ", 14);
    snprintf(path, sizeof path, "%s/small.cfg", dir);
    write_text(path, base);
    free(base);
    cr_assert_eq(reesx_in(dir, "uncertainty %s -q -o %s --report", path, dir), 0);
    char *page = read_file_in(dir, "report.html");
    cJSON *unc = json_in(dir, "uncertainty.json");
    int solved = (int)cJSON_GetObjectItem(unc, "solved")->valuedouble;
    cr_expect_null(strstr(page, "id=\"unc-p-all\""), "no targets: no probability");
    for (int k = 1; k <= 5; k++) {
        char name[32];
        snprintf(name, sizeof name, "unc-hist-%d", k);
        int bars = 0;
        expect_figure_drawn(page, name, 4, 4);
        cr_expect_eq(bin_sum(page, k, &bars), solved, "%s", name);
    }
    cJSON_Delete(unc);
    free(page);
    remove_tmp_dir(dir);
}
