/* core/datafile.h - reader for the whitespace-column data files in models/data. */
#ifndef RX_DATAFILE_H
#define RX_DATAFILE_H

#include "core/error.h"

/* Data files: whitespace columns, '#' comments, last token a [source] key.
 * Calls row(ctx, tokens, ntok, line) for every data row. */
typedef int (*RxDataRow)(void *ctx, char **tok, int ntok, int line, RxError *err);
int rx_datafile_read(const char *path, int min_cols, RxDataRow row, void *ctx, RxError *err);
/* Strict number parse: the whole token, finite.  1 on success. */
int rx_parse_number(const char *s, double *out);

#endif
