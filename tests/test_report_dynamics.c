/*
 * test_report_dynamics.c - the dynamics section of report.html
 * (report/dynamics.c) and the events of a simulation's summary.json
 * (output/dynamics.c): the time plots of reesx simulate configs/default.cfg
 * with its feed step marked, the settling times in the page, and a run cut
 * short or with columns and keys missing reported without a crash.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "support.h"

/* Whether figure NAME of page draws text. */
static int figure_says(const char *page, const char *name, const char *text)
{
    const char *end, *f = page_figure(page, name, &end);
    if (!f)
        return 0;
    char t[1200];
    svg_text(t, sizeof t, text);
    const char *at = strstr(f, t);
    return at && at < end;
}

/* reesx simulate configs/default.cfg --report: the three time plots drawn;
 * summary.json lists the feed step (48 h, feed, 110 L/h) with only what it
 * sets; the step is labelled on the purity panel, as are the settling
 * times, which the page's settling table holds as summary.json has them. */
Test(report_dynamics, simulate_page_plots_the_run_and_marks_its_event)
{
    char *dir = make_tmp_dir();
    cr_assert_eq(reesx_in(dir, "simulate configs/default.cfg -q -o %s --report", dir), 0);
    char *page = read_file_in(dir, "report.html"), *json = read_file_in(dir, "summary.json");
    cJSON *s = cJSON_Parse(json);
    cr_assert(s, "summary.json parses");

    /* 2 products in 2 panels; pH; the 2 watched stages (and guides, ticks) */
    expect_figure_drawn(page, "dyn-purity-recovery", 4, 4);
    expect_figure_drawn(page, "dyn-ph", 1, 4);
    expect_figure_drawn(page, "dyn-watch", 2, 4);
    const char *end, *w = page_figure_ok(page, "dyn-watch", &end);
    cr_expect(strstr(w, "(log scale") && strstr(w, "(log scale") < end,
              "the watched concentrations span more than two decades: a log axis");

    const cJSON *ev = cJSON_GetArrayItem(cJSON_GetObjectItem(s, "events"), 0);
    cr_assert(cJSON_IsObject(ev), "summary.json has events[0]");
    cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(s, "events")), 1);
    const cJSON *t = cJSON_GetObjectItem(ev, "time_h"), *st = cJSON_GetObjectItem(ev, "stream"),
                *fl = cJSON_GetObjectItem(ev, "flow_L_h");
    cr_assert(cJSON_IsNumber(t) && cJSON_IsString(st) && cJSON_IsNumber(fl), "events[0]: time_h, stream, flow_L_h");
    cr_expect_float_eq(t->valuedouble, 48, 1e-12);
    cr_expect_str_eq(st->valuestring, "feed");
    cr_expect_float_eq(fl->valuedouble, 110, 1e-12);
    cr_expect_eq(cJSON_GetArraySize(ev), 3, "the event sets the flow only: no other key");

    cr_expect(figure_says(page, "dyn-purity-recovery", "feed: flow 110 L/h"), "the step labelled on the purity panel");
    cr_expect(figure_says(page, "dyn-ph", "feed: flow 110 L/h"), "...and on the pH plot");
    cr_expect(figure_says(page, "dyn-watch", "feed: flow 110 L/h"), "...and on the watched stages");
    cr_expect(strstr(page, "<table id=\"dyn-events\">"), "the events listed");

    const char *tab = strstr(page, "<table id=\"dyn-settling\">"), *tab_end = tab ? strstr(tab, "</table>") : NULL;
    cr_assert(tab_end, "the settling table");
    const cJSON *p;
    int products = 0;
    cJSON_ArrayForEach(p, cJSON_GetObjectItem(s, "products"))
    {
        const char *name = cJSON_GetObjectItem(p, "name")->valuestring;
        double s1 = cJSON_GetObjectItem(p, "purity_settled_1pct_h")->valuedouble,
               s01 = cJSON_GetObjectItem(p, "purity_settled_0.1pct_h")->valuedouble;
        char row[300];
        snprintf(row, sizeof row, "<tr><td>%s</td><td class=\"n\">%.4g</td><td class=\"n\">%.4g</td></tr>", name, s1,
                 s01);
        const char *at = strstr(tab, row);
        cr_expect(at && at < tab_end, "settling row %s", row);
        char label[200];
        if (s1 == s01)
            snprintf(label, sizeof label, "%s settled (1 %%, 0.1 %%)", name);
        else
            snprintf(label, sizeof label, "%s settled (1 %%)", name);
        cr_expect(figure_says(page, "dyn-purity-recovery", label), "marked: %s", label);
        products++;
    }
    cr_expect_eq(products, 2);
    cr_expect_null(strstr(page, "id=\"dyn-incomplete\""), "a completed run says nothing of being cut short");
    cJSON_Delete(s);
    free(json);
    free(page);
    remove_tmp_dir(dir);
}

/* A simulation's outputs as written by hand: cut short by SIGTERM at 4 h
 * of 10 h, a product without a recovery column, no watched stage, and
 * junk among the events.  The page says the run is cut short and marks
 * where; the watch figure is left out; without timeseries.csv the section
 * keeps its tables and draws no figure. */
Test(report_dynamics, run_cut_short_and_odd_files_are_reported_without_a_crash)
{
    char *dir = make_tmp_dir();
    write_file_in(dir, "summary.json",
           "{ \"completed\": false, \"partial\": true, \"interrupted_by\": \"SIGTERM\", \"horizon_h\": 10,\n"
           "  \"t_end_h\": 4, \"integrator\": { \"steps\": 12 },\n"
           "  \"products\": [ { \"name\": \"A\", \"purity_settled_1pct_h\": 2.5, \"purity_settled_0.1pct_h\": null },\n"
           "                  \"junk\", { \"name\": 7 } ],\n"
           "  \"events\": [ { \"time_h\": 1, \"stream\": \"feed\", \"flow_L_h\": 5 }, \"junk\", 3,\n"
           "              { \"stream\": \"no time\" }, { \"time_h\": \"x\" }, { \"time_h\": 1e300 } ] }\n");
    write_file_in(dir, "timeseries.csv",
           "time [h],A flow [L/h],A purity [%],raffinate pH [-],stage 3 aq La [g/L]\n"
           "0,1,,2,\n1,1,50,2.1,\n2,1,60,,\n3,1,70,2.3,\n4,1,80,2.4,1\n");
    cr_assert_eq(reesx_in(dir, "report %s -q", dir), 0, "%s", read_file_in(dir, "log"));
    char *page = read_file_in(dir, "report.html");
    cr_expect(strstr(page, "</html>"), "the page is whole");
    const char *cut = strstr(page, "<p class=\"fail\" id=\"dyn-incomplete\">");
    cr_assert(cut, "a run cut short says so");
    cr_expect(strstr(cut, "stopped at 4 h of 10 h") && strstr(cut, "SIGTERM"), "where and why it stopped");
    expect_figure_drawn(page, "dyn-purity-recovery", 1, 4);
    expect_figure_drawn(page, "dyn-ph", 1, 4);
    const char *end;
    cr_expect_null(page_figure(page, "dyn-watch", &end), "one value of a watched stage: nothing to plot");
    cr_expect(figure_says(page, "dyn-purity-recovery", "run stopped (SIGTERM)"), "where it stopped, marked");
    cr_expect(figure_says(page, "dyn-purity-recovery", "feed: flow 5 L/h"), "the event marked");
    cr_expect(figure_says(page, "dyn-purity-recovery", "A settled (1 %)"), "the settling time marked");
    cr_expect(strstr(page, "<tr><td>A</td><td class=\"n\">2.5</td><td class=\"n\">-</td></tr>"),
              "the settling time, and none where summary.json has none");
    free(page);

    char path[700];
    snprintf(path, sizeof path, "%s/timeseries.csv", dir);
    cr_assert_eq(unlink(path), 0);
    cr_assert_eq(reesx_in(dir, "report %s -q", dir), 0);
    page = read_file_in(dir, "report.html");
    cr_expect(strstr(page, "<h3>Dynamics</h3>") && strstr(page, "id=\"dyn-incomplete\""), "the section's text");
    cr_expect_null(strstr(page, "id=\"fig-dyn-"), "no time series: no time plot");
    free(page);
    remove_tmp_dir(dir);
}
