/*
 * output/writer.h - private to output/: what every writer file shares (CSV
 * and JSON number helpers, atomic JSON files, the plant's JSON header) and
 * the entries of the writer table in output/outputs.c.
 */
#ifndef RX_OUTPUT_WRITER_H
#define RX_OUTPUT_WRITER_H

#include "output/output.h"

#include <cjson/cJSON.h>
#include <stdio.h>

#define PERCENT 100.0
#define G_PER_KG 1000.0

/* ",value" for a finite value, "," (an empty field) for any other. */
void rx_csv_num(FILE *f, double v);
/* A text cell (a name, a header naming one): "," first unless first is
 * set; in double quotes per RFC 4180 (a quote doubled) when it holds a
 * comma, a quote, CR or LF; and with a leading ' when it starts with = + -
 * @ TAB or CR and has more after it, which a spreadsheet would otherwise
 * run as a formula (a lone "-", the unit of a pure number, stays as it is).
 * Numbers are never text cells (rx_csv_num): -1.5 stays a number. */
void rx_csv_text(FILE *f, int first, const char *s);
/* The same for a cell made by printf. */
void rx_csv_textf(FILE *f, int first, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* pH of a proton concentration [mol/L]; NaN when it has none. */
double rx_ph_of(double h);
/* A number member that is never NaN: a non-finite value becomes null. */
void rx_json_num(cJSON *o, const char *key, double v);
/* Print root into path atomically; root is freed (owned by the call). */
int rx_write_json(cJSON *root, const char *path, RxError *err);
/* A new object with a summary's first keys: config, title, model.  NULL when
 * out of memory. */
cJSON *rx_json_plant(const RxPlant *p);
/* A new object naming product i: name, stream, targets (element symbols).
 * NULL when out of memory. */
cJSON *rx_json_product(const RxPlant *p, int i);

/* One writer of the table: the file at path from what o holds (the table
 * calls it only when o holds everything it needs). */
typedef int (*RxWriteFn)(const RxOutputs *o, const char *path, RxError *err);

int rx_output_stages(const RxOutputs *o, const char *path, RxError *err);
int rx_output_streams(const RxOutputs *o, const char *path, RxError *err);
int rx_output_summary(const RxOutputs *o, const char *path, RxError *err);
int rx_output_timeseries(const RxOutputs *o, const char *path, RxError *err);
int rx_output_sim_stages(const RxOutputs *o, const char *path, RxError *err);
int rx_output_state(const RxOutputs *o, const char *path, RxError *err);
int rx_output_sim_summary(const RxOutputs *o, const char *path, RxError *err);
int rx_output_candidates(const RxOutputs *o, const char *path, RxError *err);
int rx_output_pareto(const RxOutputs *o, const char *path, RxError *err);
int rx_output_design_cfg(const RxOutputs *o, const char *path, RxError *err);
int rx_output_cost(const RxOutputs *o, const char *path, RxError *err);
int rx_output_sensitivity(const RxOutputs *o, const char *path, RxError *err);
int rx_output_fit_json(const RxOutputs *o, const char *path, RxError *err);
int rx_output_residuals(const RxOutputs *o, const char *path, RxError *err);
int rx_output_fitted_data(const RxOutputs *o, const char *path, RxError *err);
int rx_output_specs(const RxOutputs *o, const char *path, RxError *err);
int rx_output_window(const RxOutputs *o, const char *path, RxError *err);
int rx_output_variant(const RxOutputs *o, const char *path, RxError *err);
int rx_output_samples(const RxOutputs *o, const char *path, RxError *err);
int rx_output_uncertainty_csv(const RxOutputs *o, const char *path, RxError *err);
int rx_output_uncertainty_json(const RxOutputs *o, const char *path, RxError *err);

#endif
