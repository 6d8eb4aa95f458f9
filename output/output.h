/*
 * output/output.h - the files a run writes (atomic: temp file + rename).
 */
#ifndef RX_OUTPUT_H
#define RX_OUTPUT_H

#include "design/cost.h"
#include "design/search.h"
#include "solver/dynamics.h"

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

#endif
