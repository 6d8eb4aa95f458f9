/*
 * solver/dyn_state.c - the state file: rx_write_state writes the final
 * state of a run, and `simulate` with initial = "state" restarts from it.
 *
 * A header that must match the plant, then one value a line:
 *   reesx-state 1 [run RUN_ID]
 *   stages N states n time t species La Ce ...
 *   tanks <settler tanks of stage 1> ... <of stage N>
 *   <n amounts, mol, in the layout of solver/dyn_internal.h, %.17g>
 * %.17g round-trips a double, so a restart continues from the same state.
 * RUN_ID is the id of the set of outputs the state was written with (its
 * summary.json has the same: output/runcheck.c); a reader that knows only
 * "reesx-state 1" skips it with the rest of the first line.
 */
#include "solver/dyn_internal.h"

#include "core/fileio.h"
#include "core/readfile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATE_MAGIC "reesx-state 1"
/* The largest state file of a plant: its header (magic, counts, species
 * symbols) is far below 4 kB; every settler-tank count takes at most 4
 * bytes (" 20"), every value at most 26 ("%.17g" of a negative subnormal
 * is 24 characters, and its newline).  The reader refuses a larger file
 * before parsing it (a plant's own state files are never larger). */
#define STATE_HEADER_BYTES 4096
#define STATE_TANK_BYTES 4
#define STATE_VALUE_BYTES 26

int rx_write_state(const RxPlant *p, const RxSimResult *r, const char *path, RxError *err)
{
    return rx_write_state_run(p, r, NULL, path, err);
}

int rx_write_state_run(const RxPlant *p, const RxSimResult *r, const char *run_id, const char *path, RxError *err)
{
    RxAtomicFile a;
    int rc = rx_atomic_open(&a, path, err);
    if (rc != RX_OK)
        return rc;
    FILE *f = a.f;
    fputs(STATE_MAGIC, f);
    if (run_id)
        fprintf(f, " run %s", run_id);
    fprintf(f, "\nstages %d states %d time %.17g species", p->nstages, r->nstate, r->t_end);
    for (int j = 0; j < p->nsp; j++)
        fprintf(f, " %s", rx_plant_element(p, j)->sym);
    /* The settler tanks of every stage: the layout the values follow. */
    fputs("\ntanks", f);
    for (int i = 0; i < p->nsections; i++)
        for (int k = 0; k < p->sections[i].count; k++)
            fprintf(f, " %d", p->sections[i].settler_tanks);
    fputs("\n", f);
    for (int i = 0; i < r->nstate; i++)
        fprintf(f, "%.17g\n", r->state[i]);
    return rx_atomic_close(&a, err);
}

/* The state file read whole (a regular file, at most the size a state of
 * D's plant can have) as a stream *f to scan; *text holds it (free it
 * after closing the stream).  A file that cannot be read is bad input:
 * the config names it. */
static int open_state(const RxDyn *D, const char *path, FILE **f, char **text, RxError *err)
{
    size_t max = STATE_HEADER_BYTES + (size_t)D->N * STATE_TANK_BYTES + (size_t)D->n * STATE_VALUE_BYTES, len = 0;
    int rc = rx_read_file(path, max, RX_READ_REGULAR, "the state file", text, &len, err);
    if (rc == RX_IO_ERROR && err)
        err->code = rc = RX_BAD_INPUT;
    if (rc != RX_OK)
        return rc;
    if (!(*f = fmemopen(*text, len ? len : 1, "r"))) {
        free(*text);
        *text = NULL;
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    }
    return RX_OK;
}

int rx_dyn_start_from_file(const RxDyn *D, double *u, double *t0, RxError *err)
{
    const RxPlant *p = D->p;
    const char *path = p->dynamics.state_file;
    char *text = NULL;
    FILE *f = NULL;
    int rc = open_state(D, path, &f, &text, err);
    if (rc != RX_OK)
        return rc;
    char line[512], want[512];
    int ok = fgets(line, sizeof line, f) && strncmp(line, STATE_MAGIC, strlen(STATE_MAGIC)) == 0;
    int N = 0, n = 0;
    ok = ok && fscanf(f, " stages %d states %d time %lf species", &N, &n, t0) == 3 && N == D->N && n == D->n &&
         isfinite(*t0) && *t0 >= 0;
    for (int j = 0; ok && j < D->M; j++)
        ok = fscanf(f, " %511s", want) == 1 && strcmp(want, rx_plant_element(p, j)->sym) == 0;
    ok = ok && fscanf(f, " %511s", want) == 1 && strcmp(want, "tanks") == 0;
    for (int k = 0; ok && k < D->N; k++) {
        int nt = -1;
        ok = fscanf(f, " %d", &nt) == 1 && nt == D->nt[k];
    }
    for (int i = 0; ok && i < n; i++)
        ok = fscanf(f, " %lf", &u[i]) == 1 && isfinite(u[i]);
    fclose(f);
    free(text);
    if (!ok)
        return rx_error_set(err, RX_BAD_INPUT, path,
                            "not a state of this plant (stages, species and settler tanks must match the config)");
    if (*t0 >= p->dynamics.horizon)
        return rx_error_set(err, RX_BAD_INPUT, path, "the state is at t = %g h, not before the horizon (%g h)", *t0,
                            p->dynamics.horizon);
    return RX_OK;
}
