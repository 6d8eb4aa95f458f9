/* support.h - what the test files share. */
#ifndef RX_TEST_SUPPORT_H
#define RX_TEST_SUPPORT_H

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

#endif
