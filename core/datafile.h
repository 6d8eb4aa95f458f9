/* core/datafile.h - reader for the whitespace-column data files in models/data. */
#ifndef RX_DATAFILE_H
#define RX_DATAFILE_H

#include "core/error.h"

/* Data files: whitespace columns, '#' comments; every row ends with its
 * class and a [source] key:  La  -3.833  placeholder  [derived].
 * Calls row(ctx, tokens, ntok, line) for every data row, the class left out
 * (tok[ntok] is the source key). */
typedef int (*RxDataRow)(void *ctx, char **tok, int ntok, int line, RxError *err);
int rx_datafile_read(const char *path, int min_cols, RxDataRow row, void *ctx, RxError *err);
/* What a number in a data file is. */
enum { RX_CLASS_LITERATURE = 0, RX_CLASS_FITTED, RX_CLASS_DERIVED, RX_CLASS_PLACEHOLDER, RX_NCLASSES };
/* "literature", "fitted", "derived", "placeholder"; "given" for any other
 * value (a number given in the config). */
const char *rx_data_class_name(int cls);
/* RX_CLASS_* of a class word, -1 if it is none. */
int rx_data_class_of(const char *word);
/* The class of the first row of the data file at path whose first column
 * is key; -1 when there is no such row or the file cannot be read. */
int rx_datafile_class(const char *path, const char *key);
/* The number in column col (0: the key) of that row into *out; 1 when it
 * is there and a number, 0 otherwise. */
int rx_datafile_number(const char *path, const char *key, int col, double *out);

/* Strict number parse: the whole token, finite.  1 on success. */
int rx_parse_number(const char *s, double *out);

#endif
