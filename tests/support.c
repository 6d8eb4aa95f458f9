/* support.c - what the test files share. */
#include "support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <dirent.h>
#include <stdarg.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

RxPlant *load_text(const char *text)
{
    RxPlant *p = NULL;
    RxError err;
    rx_error_clear(&err);
    int rc = rx_plant_load_text(text, "test", &p, &err);
    cr_assert_eq(rc, RX_OK, "%s: %s", err.where, err.msg);
    return p;
}

#ifndef RX_SOURCE_DIR
#define RX_SOURCE_DIR "."
#endif

int load_shipped_configs(RxPlant **plants, int max)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s/configs", RX_SOURCE_DIR);
    DIR *d = opendir(dir);
    cr_assert(d, "cannot open %s", dir);
    int n = 0;
    for (struct dirent *e; n < max && (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".cfg") != 0)
            continue;
        char path[1200];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (rx_is_flowsheet(path))
            continue; /* flowsheets: tests/test_flowsheet.c */
        RxError err;
        rx_error_clear(&err);
        cr_assert_eq(rx_plant_load(path, &plants[n], &err), RX_OK, "%s: %s", err.where, err.msg);
        n++;
    }
    closedir(d);
    return n;
}

RxPlant *load_config(const char *relpath)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", RX_SOURCE_DIR, relpath);
    RxPlant *p = NULL;
    RxError err;
    rx_error_clear(&err);
    cr_assert_eq(rx_plant_load(path, &p, &err), RX_OK, "%s: %s", err.where, err.msg);
    return p;
}

RxSolution *solve_ok(const RxPlant *p)
{
    RxSolution *s = NULL;
    RxError err;
    rx_error_clear(&err);
    int rc = rx_circuit_solve(p, &s, &err);
    cr_assert_eq(rc, RX_OK, "%s: %s", err.where, err.msg);
    cr_assert_lt(s->max_closure, RX_CLOSURE_TOL, "mass balance closure %g", s->max_closure);
    return s;
}

void expect_same_outlets(const RxPlant *p, const RxSolution *a, const RxSolution *b, double rel)
{
    RxStream sa[RX_TEST_MAX_OUTLETS], sb[RX_TEST_MAX_OUTLETS];
    int na = rx_outlets(p, a, sa, RX_TEST_MAX_OUTLETS), nb = rx_outlets(p, b, sb, RX_TEST_MAX_OUTLETS);
    cr_assert_eq(na, nb);
    for (int o = 0; o < na && o < RX_TEST_MAX_OUTLETS; o++) {
        cr_expect_leq(fabs(sa[o].flow - sb[o].flow), rel * fabs(sb[o].flow), "%s flow %.17g vs %.17g", sa[o].name,
                      sa[o].flow, sb[o].flow);
        for (int j = 0; j < p->nsp; j++)
            cr_expect_leq(fabs(sa[o].c[j] - sb[o].c[j]), rel * fabs(sb[o].c[j]), "%s %s: %.17g vs %.17g", sa[o].name,
                          rx_plant_element(p, j)->sym, sa[o].c[j], sb[o].c[j]);
    }
}

char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *t = malloc((size_t)n + 1);
    cr_assert(t && fread(t, 1, (size_t)n, f) == (size_t)n);
    t[n] = '\0';
    fclose(f);
    return t;
}

void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f, "cannot write %s", path);
    fputs(text, f);
    cr_assert(fclose(f) == 0);
}

int run_mpi(int ranks, const char *args)
{
    const char *mpi = getenv("REESX_MPI_BIN");
    cr_assert(mpi && mpi[0], "REESX_MPI_BIN is not set (run the suite with `make test`)");
    if (system("command -v mpirun >/dev/null 2>&1") != 0)
        cr_skip_test("mpirun is not installed (Debian openmpi-bin): the MPI run is not checked");
    /* Under make asan, LeakSanitizer finds what Open MPI itself leaves at
     * exit, in plugins it has unloaded by then (frames without a module,
     * so no suppression can name them): leaks are not looked for in the
     * ranks.  reesx-mpi's own code frees what it allocates, and the
     * library code it runs is checked by every other test. */
    char cmd[3000];
    snprintf(cmd, sizeof cmd,
             "ASAN_OPTIONS=detect_leaks=0 OMPI_MCA_btl_vader_single_copy_mechanism=none "
             "mpirun --oversubscribe --allow-run-as-root -n %d %s %s",
             ranks, mpi, args);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* DIR/NAME into path (n bytes); fails the calling test if it does not fit. */
static void path_in(char *path, size_t n, const char *dir, const char *name)
{
    int w = snprintf(path, n, "%s/%s", dir, name);
    cr_assert(w >= 0 && (size_t)w < n, "the path %s/%s is too long", dir, name);
}

int reesx_in(const char *dir, const char *fmt, ...)
{
    const char *bin = getenv("REESX_BIN");
    cr_assert(bin && bin[0], "REESX_BIN is not set (run the suite with `make test`)");
    char args[2000], cmd[3000];
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    cr_assert(w >= 0 && (size_t)w < sizeof args, "reesx's arguments are too long: %s", args);
    w = snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s >'%s/log' 2>&1", RX_SOURCE_DIR, bin, args, dir);
    cr_assert(w >= 0 && (size_t)w < sizeof cmd, "the command is too long: %s", cmd);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

char *make_tmp_dir(void)
{
    char *dir = strdup("/tmp/reesx-test-XXXXXX");
    cr_assert(dir && mkdtemp(dir), "cannot make a directory in /tmp");
    return dir;
}

void remove_tmp_dir(char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0, "%s", cmd);
    free(dir);
}

char *read_file_in(const char *dir, const char *name)
{
    char path[4096];
    path_in(path, sizeof path, dir, name);
    return read_text(path);
}

void write_file_in(const char *dir, const char *name, const char *text)
{
    char path[4096];
    path_in(path, sizeof path, dir, name);
    write_text(path, text);
}

int count_in(const char *s, const char *end, const char *needle)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, needle)) && p < end; p++)
        n++;
    return n;
}

const char *page_figure(const char *page, const char *name, const char **end)
{
    char id[200];
    snprintf(id, sizeof id, "<figure class=\"rx-figure\" id=\"fig-%s\">", name);
    const char *f = strstr(page, id);
    *end = f ? strstr(f, "</figure>") : NULL;
    return *end ? f : NULL;
}

const char *page_figure_ok(const char *page, const char *name, const char **end)
{
    const char *f = page_figure(page, name, end);
    cr_assert(f, "no figure %s in the page (or it is not closed)", name);
    return f;
}

int expect_figure_drawn(const char *page, const char *name, int min_lines, int min_texts)
{
    const char *end, *f = page_figure_ok(page, name, &end);
    const char *svg = strstr(f, "<svg");
    cr_assert(svg && svg < end, "figure %s: no inline svg", name);
    cr_expect_eq(count_in(f, end, "<svg"), 1, "figure %s: one inline svg", name);
    int lines = count_in(svg, end, "<polyline"), texts = count_in(svg, end, "<text");
    cr_expect_geq(lines, min_lines, "figure %s: %d lines drawn, expected at least %d", name, lines, min_lines);
    cr_expect_geq(texts, min_texts, "figure %s: %d texts (axis numbers, labels, markers), expected at least %d", name,
                  texts, min_texts);
    const char *cap = strstr(f, "<figcaption>");
    cr_expect(cap && cap < end, "figure %s has a caption", name);
    return count_in(svg, end, "fill-rule=");
}

void svg_text(char *out, size_t n, const char *s)
{
    cr_assert(n > 0);
    size_t k = 0;
    out[0] = '\0';
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        int w = snprintf(out + k, n - k, "&#x%x;", *c);
        cr_assert(w > 0 && (size_t)w < n - k, "svg_text: \"%s\" does not fit in %zu bytes", s, n);
        k += (size_t)w;
    }
}
