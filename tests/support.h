/* support.h - what the test files share. */
#ifndef RX_TEST_SUPPORT_H
#define RX_TEST_SUPPORT_H

#include <stddef.h>

#include "rx.h"

/* Load a plant from config text through a temp file (the CLI's own path);
 * fails the calling test with the parser's message if it does not load. */
RxPlant *load_text(const char *text);

/* Every plant .cfg file in configs/ of the source tree (flowsheets left
 * out), loaded; returns how many (at most max).  Fails the calling test if
 * one does not load. */
#define RX_TEST_MAX_CONFIGS 32
int load_shipped_configs(RxPlant **plants, int max);

/* The plant at relpath in the source tree (e.g. "configs/default.cfg");
 * fails the calling test if it does not load. */
RxPlant *load_config(const char *relpath);

/* p's circuit solved; fails the calling test if it does not solve or its
 * mass balance does not close to RX_CLOSURE_TOL (1e-9). */
RxSolution *solve_ok(const RxPlant *p);

/* Every outlet of solutions a and b of p (raffinate, organic, draws; at
 * most RX_TEST_MAX_OUTLETS) agrees in flow and in each species' mol/L to
 * within rel of b's; fails the calling test where one does not. */
#define RX_TEST_MAX_OUTLETS 16
void expect_same_outlets(const RxPlant *p, const RxSolution *a, const RxSolution *b, double rel);

/* The whole of a file (malloc'd, NUL-terminated); fails the calling test
 * if it cannot be read. */
char *read_text(const char *path);
/* text into path; fails the calling test if it cannot be written. */
void write_text(const char *path, const char *text);

/* `mpirun -n ranks $REESX_MPI_BIN args` (oversubscribed, as root too: the
 * CI machine has 2 cores); its exit status.  Skips the calling test when
 * mpirun is not installed. */
int run_mpi(int ranks, const char *args);

/* `$REESX_BIN ARGS` run from the source tree, ARGS formatted as printf
 * does, its stdout and stderr to DIR/log; its exit status (-1 when it did
 * not exit).  Fails the calling test if REESX_BIN is not set. */
int reesx_in(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A new empty directory /tmp/reesx-test-XXXXXX (malloc'd); fails the
 * calling test if it cannot be made. */
char *make_tmp_dir(void);
/* dir and all in it removed, and dir freed; fails the calling test (not
 * at once) if rm -rf does not succeed. */
void remove_tmp_dir(char *dir);

/* The whole of file DIR/NAME, as read_text; fails the calling test if it
 * cannot be read. */
char *read_file_in(const char *dir, const char *name);
/* text into DIR/NAME, as write_text; fails the calling test if it cannot
 * be written. */
void write_file_in(const char *dir, const char *name, const char *text);

/* How many times needle is in [s, end). */
int count_in(const char *s, const char *end, const char *needle);

/* The figure id="fig-NAME" of a report page: its text from <figure to its
 * </figure> (*end); NULL (and *end NULL) when the page has none or it is
 * not closed. */
const char *page_figure(const char *page, const char *name, const char **end);
/* page_figure, but fails the calling test when the figure is not there. */
const char *page_figure_ok(const char *page, const char *name, const char **end);

/* Figure NAME of page drawn: there (or the calling test fails at once),
 * one inline <svg>, in it at least min_lines <polyline>s and min_texts
 * <text>s (axis numbers and labels; markers are text glyphs too), and a
 * <figcaption>; the calling test fails (not at once) where one is not.
 * Returns how many filled shapes (bars, legend boxes) the svg has. */
int expect_figure_drawn(const char *page, const char *name, int min_lines, int min_texts);

/* s as PLplot's svg device writes text, every character a lower-case hex
 * character reference ("fe" -> "&#x66;&#x65;"; ASCII only), into out (n
 * bytes); fails the calling test if it does not fit. */
void svg_text(char *out, size_t n, const char *s);

#endif
