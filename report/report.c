/*
 * report/report.c - report.html of a run's output directory
 * (report/report.h): the page's head, its header (plant, run, the
 * provenance banner), then a section per kind of output found.
 */
#include "report/build.h"

#include "core/fileio.h"
#include "core/readfile.h"
#include "output/output.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Styles: A4 portrait in print (figures never split), greyscale safe. */
static const char style[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#111;"
    "margin:0;background:#fff}\n"
    "main{max-width:1000px;margin:0 auto;padding:16px 24px}\n"
    "h1{font-size:22px;margin:8px 0 4px}h2{font-size:18px;border-bottom:2px solid #333;margin:28px 0 8px;"
    "padding-bottom:2px}h3{font-size:15px;margin:18px 0 6px}\n"
    "table{border-collapse:collapse;font-size:12.5px;margin:6px 0}th,td{border:1px solid #bbb;padding:2px 6px;"
    "text-align:left;vertical-align:top}th{background:#eee}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".scroll{overflow-x:auto}.meta td:first-child{font-weight:600;background:#f6f6f6}\n"
    ".banner{border:3px solid #000;background:#fff3c4;padding:8px 12px;margin:10px 0;font-weight:600}\n"
    ".ok{font-weight:600}.fail{font-weight:600;text-decoration:underline}\n"
    "figure{margin:12px 0;break-inside:avoid;page-break-inside:avoid}figure svg{display:block;width:100%;"
    "height:auto;border:1px solid #ddd}\n"
    "figcaption{font-size:12.5px;color:#333;margin-top:4px}.note{font-size:12.5px;color:#444}\n"
    "@page{size:A4 portrait;margin:14mm}\n"
    "@media print{main{max-width:none;padding:0}h2{break-after:avoid}table{break-inside:auto}"
    "tr{break-inside:avoid}.scroll{overflow:visible}a{color:inherit;text-decoration:none}}\n";

/* "2026-12-02 13:40 UTC" */
static void now_utc(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M UTC", &tm))
        snprintf(buf, n, "-");
}

/* The banner when a result rests on placeholder constants, and what the
 * constants rest on. */
static void provenance(RxReport *r, const cJSON *plant)
{
    const cJSON *consts = cJSON_GetObjectItemCaseSensitive(plant, "constants"), *c;
    int placeholders = 0;
    cJSON_ArrayForEach(c, consts) placeholders += cJSON_IsString(c) && !strcmp(c->valuestring, "placeholder");
    if (placeholders > 0 || cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(plant, "indicative"))) {
        rx_html_raw(r, "<div class=\"banner\" id=\"placeholder-banner\">Indicative result: it rests on placeholder "
                       "constants (");
        int k = 0;
        cJSON_ArrayForEach(c, consts) if (cJSON_IsString(c) && !strcmp(c->valuestring, "placeholder"))
        {
            rx_html_raw(r, "%s", k++ ? ", " : "");
            rx_html_text(r, c->string);
        }
        rx_html_raw(r, "), not on measured or published values. Calibrate them (reesx fit) before sizing a plant "
                       "on these numbers.</div>\n");
    }
    if (cJSON_IsObject(consts) && cJSON_GetArraySize(consts) > 0) {
        rx_html_raw(r, "<p class=\"note\">Constants rest on: ");
        int k = 0;
        cJSON_ArrayForEach(c, consts) if (cJSON_IsString(c))
        {
            rx_html_raw(r, "%s", k++ ? "; " : "");
            rx_html_textf(r, "%s %s", c->string, c->valuestring);
        }
        rx_html_raw(r, ".</p>\n");
    }
}

/* A design's title, from the design.cfg it wrote (its candidates carry
 * none): the string of its `title = "...";` line, into buf; NULL when
 * there is none. */
static const char *design_title(const char *dir, char *buf, size_t n)
{
    char path[RX_PATH_MAX], *text = NULL;
    RxError e;
    if (snprintf(path, sizeof path, "%s/design.cfg", dir) >= (int)sizeof path || !rx_is_regular_file(path) ||
        rx_read_file(path, RX_MAX_INPUT_BYTES, RX_READ_REGULAR, "design.cfg", &text, NULL, &e) != RX_OK)
        return NULL;
    const char *t = NULL;
    for (char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        char *q;
        if (strncmp(line, "title", 5) || !(q = strchr(line, '"')) || q > strchr(line, '\n'))
            continue;
        size_t k = 0;
        for (q++; *q && *q != '"' && *q != '\n' && k + 1 < n; q++)
            buf[k++] = *q == '\\' && q[1] ? *++q : *q;
        buf[k] = '\0';
        t = buf;
        break;
    }
    free(text);
    return t;
}

static void header(RxReport *r, const char *dir, const cJSON *plant, const char *kind)
{
    char from_design[300];
    const char *title = plant ? rx_json_str(plant, "title") : design_title(dir, from_design, sizeof from_design),
               *config = !plant ? NULL : rx_json_str(plant, "config") ? rx_json_str(plant, "config") : rx_json_str(plant, "flowsheet");
    char date[64];
    now_utc(date, sizeof date);
    rx_html_raw(r, "<h1>");
    rx_html_text(r, title ? title : config ? config : dir);
    rx_html_raw(r, "</h1>\n<table class=\"meta\">\n");
    static const char *const rows[] = {"report of", "plant description", "output directory", "model", "written",
                                       "by"};
    const char *vals[] = {kind, config ? config : "-", dir, plant && rx_json_str(plant, "model") ? rx_json_str(plant, "model") : "-",
                          date, r->opt->version ? r->opt->version : "reesx"};
    for (int i = 0; i < 6; i++) {
        rx_html_raw(r, "<tr><td>%s</td><td>", rows[i]);
        rx_html_text(r, vals[i]);
        rx_html_raw(r, "</td></tr>\n");
    }
    rx_html_raw(r, "</table>\n");
    if (plant)
        provenance(r, plant);
}

/* The circuits of a flowsheet's run: dir's folders holding a summary.json,
 * by name.  Returns how many (at most max), names malloc'd; *more: how
 * many more there are. */
static int circuits(const char *dir, char **names, int max, int *more)
{
    *more = 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        char path[RX_PATH_MAX];
        if (e->d_name[0] == '.' ||
            snprintf(path, sizeof path, "%s/%s/summary.json", dir, e->d_name) >= (int)sizeof path ||
            !rx_is_regular_file(path))
            continue;
        if (n == max) {
            (*more)++;
            continue;
        }
        if (!(names[n] = strdup(e->d_name)))
            break;
        n++;
    }
    closedir(d);
    for (int i = 1; i < n; i++) /* insertion sort: a handful */
        for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    return n;
}

#define MAX_CIRCUITS 16

/* What kind of run the outputs are of, for the header. */
static const char *kind_of(const cJSON *summary, int ncirc, int design_of_circuits, const cJSON *cost, int design,
                           const cJSON *fit, const cJSON *unc)
{
    if (unc)
        return "uncertainty (reesx uncertainty)";
    if (fit)
        return "calibration (reesx fit)";
    if (design)
        return "design search (reesx design)";
    if (summary && cJSON_GetObjectItemCaseSensitive(summary, "integrator"))
        return "dynamics (reesx simulate)";
    if (summary)
        return cost ? "steady state and cost (reesx run)" : "steady state (reesx run)";
    if (ncirc)
        return design_of_circuits ? "flowsheet design (reesx design)" : "flowsheet (reesx run)";
    return "cost (reesx cost)";
}

int rx_report_write(const char *dir, const RxReportOptions *o, RxReportFigures *figs, RxError *err)
{
    RxReportOptions none = {0};
    if (!o)
        o = &none;
    if (figs)
        figs->n = 0;
    if (!rx_is_directory(dir))
        return rx_error_set(err, RX_BAD_INPUT, dir, "not a directory (reesx report reads the outputs of a run there)");
    char *page = NULL;
    size_t len = 0;
    RxReport r = {.html = open_memstream(&page, &len), .opt = o, .figs = figs, .status = RX_OK, .err = err};
    if (!r.html)
        return rx_error_set(err, RX_NO_MEMORY, dir, "out of memory for the report");
    cJSON *summary = NULL, *cost = NULL, *fit = NULL, *unc = NULL;
    RxTable sens = {0}, cand = {0};
    rx_report_json(&r, dir, "summary.json", &summary);
    rx_report_json(&r, dir, "cost.json", &cost);
    rx_report_json(&r, dir, "fit.json", &fit);
    rx_report_json(&r, dir, "uncertainty.json", &unc);
    int design = rx_report_csv(&r, dir, "candidates.csv", &cand) > 0;
    rx_table_free(&cand);
    char *names[MAX_CIRCUITS];
    int more = 0, ncirc = summary ? 0 : circuits(dir, names, MAX_CIRCUITS, &more);
    cJSON *first = NULL;
    if (ncirc > 0) {
        char sub[RX_PATH_MAX];
        snprintf(sub, sizeof sub, "%s/%s", dir, names[0]);
        rx_report_json(&r, sub, "summary.json", &first);
    }
    const cJSON *plant = summary ? summary : first ? first : cost ? cost : fit ? fit : unc;
    if (r.status == RX_OK && !plant && !design)
        rx_report_fail(&r, rx_error_set(err, RX_BAD_INPUT, dir,
                                        "holds no outputs of reesx (summary.json, cost.json, candidates.csv, "
                                        "fit.json or uncertainty.json)"));
    if (r.status == RX_OK) {
        char sub[RX_PATH_MAX];
        int designed = ncirc > 0 && snprintf(sub, sizeof sub, "%s/%s/design.cfg", dir, names[0]) < (int)sizeof sub &&
                       rx_is_regular_file(sub);
        const char *kind = kind_of(summary, ncirc, designed, cost, design, fit, unc);
        const char *title = plant ? rx_json_str(plant, "title") : NULL;
        rx_html_raw(&r, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
        rx_html_textf(&r, "reesx report: %s", title ? title : dir);
        rx_html_raw(&r, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n", style);
        header(&r, dir, plant, kind);
        if (summary)
            rx_report_circuit(&r, dir, "", summary);
        for (int c = 0; c < ncirc && r.status == RX_OK; c++) {
            char prefix[64], id[80];
            snprintf(sub, sizeof sub, "%s/%s", dir, names[c]);
            snprintf(prefix, sizeof prefix, "c%d-", c + 1);
            snprintf(id, sizeof id, "circuit-%d", c + 1);
            cJSON *s = NULL;
            if (rx_report_json(&r, sub, "summary.json", &s) > 0) {
                char title_c[300];
                snprintf(title_c, sizeof title_c, "Circuit %s", names[c]);
                rx_html_section(&r, id, title_c);
                rx_report_circuit(&r, sub, prefix, s);
            }
            cJSON_Delete(s);
        }
        if (more > 0)
            rx_html_raw(&r, "<p class=\"note\">%d more circuit folders are not shown (a page shows %d).</p>\n", more,
                        MAX_CIRCUITS);
        if (design)
            rx_report_design(&r, dir);
        if (cost) {
            rx_report_csv(&r, dir, "sensitivity.csv", &sens);
            rx_report_cost(&r, cost, &sens);
        }
        if (fit)
            rx_report_fit(&r, dir, fit);
        if (unc)
            rx_report_uncertainty(&r, dir, unc);
        rx_html_raw(&r, "<p class=\"note\">Written by ");
        rx_html_text(&r, o->version ? o->version : "reesx");
        rx_html_raw(&r, " from the files in ");
        rx_html_text(&r, dir);
        rx_html_raw(&r, "; figures drawn with PLplot. Every number here is in those files.</p>\n</main>\n</body>\n"
                        "</html>\n");
    }
    for (int c = 0; c < ncirc; c++)
        free(names[c]);
    cJSON_Delete(summary);
    cJSON_Delete(first);
    cJSON_Delete(cost);
    cJSON_Delete(fit);
    cJSON_Delete(unc);
    rx_table_free(&sens);
    int closed = fclose(r.html);
    if (r.status == RX_OK && (closed != 0 || !page))
        rx_report_fail(&r, rx_error_set(err, RX_NO_MEMORY, dir, "out of memory for the report"));
    if (r.status == RX_OK) {
        char path[RX_PATH_MAX];
        const char *out = o->out;
        if (!out) {
            if (snprintf(path, sizeof path, "%s/report.html", dir) >= (int)sizeof path)
                rx_report_fail(&r, rx_error_set(err, RX_IO_ERROR, dir, "path too long"));
            out = path;
        }
        if (r.status == RX_OK)
            rx_report_fail(&r, rx_write_text(page, out, err));
    }
    free(page);
    return r.status;
}
