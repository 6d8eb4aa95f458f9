/*
 * output/output.h - the files a run writes: each file's writer (one file
 * at a time, atomic: temp file + rename), and rx_write_outputs, which writes
 * every file that what a command computed allows as one set (docs/config.md,
 * "Output safety").  CSV text cells are quoted per RFC 4180 and a cell that
 * a spreadsheet would take for a formula gets a leading "'".
 */
#ifndef RX_OUTPUT_H
#define RX_OUTPUT_H

#include "design/cost.h"
#include "design/search.h"
#include "design/spec.h"
#include "design/window.h"
#include "fit/fit.h"
#include "solver/dynamics.h"
#include "solver/flowsheet.h"
#include "uncertainty/uncertainty.h"

/* Steady state: stages.csv, streams.csv, summary.json. */
int rx_write_stages_csv(const RxPlant *p, const RxSolution *s, const char *path, RxError *err);
int rx_write_streams_csv(const RxPlant *p, const RxSolution *s, const char *path, RxError *err);
int rx_write_summary_json(const RxPlant *p, const RxSolution *s, double seconds,
                          const char *path, RxError *err);

/* Dynamics */
int rx_write_timeseries_csv(const RxSimResult *r, const char *path, RxError *err);
int rx_write_sim_summary_json(const RxPlant *p, const RxSimResult *r, const char *path, RxError *err);
/* The same with the run id of its set (NULL: none), as final.state has it. */
int rx_write_sim_summary_run(const RxPlant *p, const RxSimResult *r, const char *run_id, const char *path,
                             RxError *err);

/* Design */
int rx_write_candidates_csv(const RxPlant *p, const RxDesignResult *r, int pareto_only, const char *path,
                            RxError *err);
/* Text to a file, atomically (temp file + rename). */
int rx_write_text(const char *text, const char *path, RxError *err);

/* Cost */
/* cost.json; p names the plant (NULL: name, the flowsheet's path). */
int rx_write_cost_json(const RxPlant *p, const char *name, const RxCostResult *c, const char *path, RxError *err);
int rx_write_sensitivity_csv(const RxCostResult *c, const char *path, RxError *err);

/* Every file at once */
/* What a command computed, every pointer borrowed; NULL where it computed
 * nothing of the kind.  Fill in only what its files are about: each file
 * whose results are all here is written (plant + solution: stages.csv,
 * streams.csv, summary.json; plant + sim: timeseries.csv, stages.csv,
 * final.state, summary.json; plant + design: candidates.csv, pareto.csv and,
 * when a candidate meets every target, design.cfg; cost with its plant or
 * flowsheet: cost.json, sensitivity.csv). */
typedef struct RxOutputs {
    const RxPlant *plant;
    const RxSolution *solution; /* steady state of plant */
    double seconds;             /* s, solving it */
    const RxSimResult *sim;
    const RxDesignResult *design;
    const RxCostResult *cost;
    const RxFlowsheet *flowsheet; /* with plant NULL: cost is the flowsheet's */
    const RxFlowsheetResult *flowsheet_result;
    /* fit: with plant, fit.json and residuals.csv; fitted.tsv when a fitted
     * constant lives in a model data file (mass_action, separation_factor,
     * empirical_logd).  Either data set may be NULL. */
    const RxShakeoutData *shakeout;
    const RxProfileData *profile;
    const RxFitResult *fit;
    /* run on a plant with design.specs: specs.csv (plant and solution are
     * the specs' solved ones). */
    const RxSpecResult *specs;
    /* The operating window of plant and solution (run, and design's
     * chosen candidate): window.csv. */
    const RxWindowResult *window;
    /* A plant description to write as design.cfg (a flowsheet circuit as
     * reesx design solved its specs), without a design result. */
    const char *variant;
    /* uncertainty: with plant, samples.csv, uncertainty.csv and uncertainty.json. */
    const RxUncResult *uncertainty;
    /* The id stamped on the set (simulate's summary.json and final.state);
     * NULL: rx_write_outputs makes a new one. */
    const char *run_id;
} RxOutputs;

#define RX_MAX_OUTPUTS 24

/* The files written, in order; names are static strings, without the directory. */
typedef struct RxWritten {
    int n;
    const char *name[RX_MAX_OUTPUTS];
} RxWritten;

/* Write every file o allows into dir (which must exist) as one set: all
 * into a temporary directory inside dir, then renamed into dir (summary
 * first, final.state last), with the stop signals held meanwhile.  On the
 * first failure returns its status (err says which file and why), removes
 * the temporary directory and sets written->n to 0; a failure before the
 * first rename leaves dir as it was.  *written lists the files in the
 * order they were written. */
int rx_write_outputs(const RxOutputs *o, const char *dir, RxWritten *written, RxError *err);

/* Before a restart from state_path: if a summary.json of a simulation lies
 * beside it, both must carry the same run id, else the two are of
 * different runs (a set cut short while it was published, or two runs
 * into one directory) and the restart is refused: RX_BAD_INPUT naming the
 * state file and both ids.  RX_OK when they match or there is no such
 * summary. */
int rx_check_restart(const char *state_path, RxError *err);

#endif
