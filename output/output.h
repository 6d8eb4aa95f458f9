/*
 * output/output.h - the files a run writes (atomic: temp file + rename):
 * each file's writer, and rx_write_outputs, which writes every file that
 * what a command computed allows.
 */
#ifndef RX_OUTPUT_H
#define RX_OUTPUT_H

#include "design/cost.h"
#include "design/search.h"
#include "fit/fit.h"
#include "solver/dynamics.h"
#include "solver/flowsheet.h"

/* Steady state: stages.csv, streams.csv, summary.json. */
int rx_write_stages_csv(const RxPlant *p, const RxSolution *s, const char *path, RxError *err);
int rx_write_streams_csv(const RxPlant *p, const RxSolution *s, const char *path, RxError *err);
int rx_write_summary_json(const RxPlant *p, const RxSolution *s, double seconds,
                          const char *path, RxError *err);

/* Dynamics */
int rx_write_timeseries_csv(const RxSimResult *r, const char *path, RxError *err);
int rx_write_sim_summary_json(const RxPlant *p, const RxSimResult *r, const char *path, RxError *err);

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
} RxOutputs;

#define RX_MAX_OUTPUTS 16

/* The files written, in order; names are static strings, without the directory. */
typedef struct RxWritten {
    int n;
    const char *name[RX_MAX_OUTPUTS];
} RxWritten;

/* Write every file o allows into dir (which must exist), in a fixed order.
 * Stops at the first failure and returns its status (err says which file);
 * *written lists what was written up to then. */
int rx_write_outputs(const RxOutputs *o, const char *dir, RxWritten *written, RxError *err);

#endif
