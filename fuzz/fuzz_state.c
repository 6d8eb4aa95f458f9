/*
 * fuzz/fuzz_state.c - the state-file reader of `reesx simulate` (initial =
 * "state") on any bytes: rx_dyn_start_from_file, the lowest-level reader
 * (solver/dyn_state.c; rx_simulate calls it at the start), for the plant of
 * fuzz/state_plant.cfg, whose state_file is pointed at the input.
 *
 * Guarantees checked beyond the sanitizers': a refusal says why and names
 * the file; a state read is all finite amounts at a time in [0, horizon).
 */
#include "fuzz/fuzz.h"

#include "config/config.h"
#include "solver/dyn_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static RxPlant *plant;
static RxDyn dyn;
static double *u;

static void setup(void)
{
    RxError err;
    rx_error_clear(&err);
    const char *cfg = fuzz_source_path("fuzz/state_plant.cfg");
    if (rx_plant_load(cfg, &plant, &err) != RX_OK)
        fuzz_fail("cannot load %s: %s: %s", cfg, err.where, err.msg);
    if (rx_dyn_setup(&dyn, plant, &err) != RX_OK)
        fuzz_fail("cannot lay out %s: %s: %s", cfg, err.where, err.msg);
    u = calloc((size_t)dyn.n, sizeof *u);
    if (!u)
        fuzz_fail("out of memory");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!plant)
        setup();
    const char *path = fuzz_file(data, size);
    snprintf(plant->dynamics.state_file, sizeof plant->dynamics.state_file, "%s", path);
    RxError err;
    rx_error_clear(&err);
    double t0 = -1;
    int rc = rx_dyn_start_from_file(&dyn, u, &t0, &err);
    if (rc != RX_OK) {
        if (rc >= 0 || !err.msg[0] || strncmp(err.where, path, strlen(path)) != 0)
            fuzz_fail("refused with status %d at '%s': '%s'", rc, err.where, err.msg);
        return 0;
    }
    if (!(t0 >= 0 && t0 < plant->dynamics.horizon))
        fuzz_fail("a state at t = %g h accepted for a horizon of %g h", t0, plant->dynamics.horizon);
    for (int i = 0; i < dyn.n; i++)
        if (!isfinite(u[i]))
            fuzz_fail("state component %d is %g", i, u[i]);
    return 0;
}
