/*
 * config/csv.h - what the CSV readers of measured data (shakeout.c,
 * profile.c) share: fields, header units, errors "file:line: column: what
 * is wrong" and growing arrays.
 */
#ifndef RX_CONFIG_CSV_H
#define RX_CONFIG_CSV_H

#include "core/elements.h"
#include "core/error.h"

#include <stddef.h>
#include <stdio.h>

#define RX_CSV_LINE 4096
#define RX_CSV_MAX_COLS 128

/* The CSV at path (a regular file of at most RX_MAX_INPUT_BYTES, UTF-8
 * text without NUL bytes), read whole, as a stream *f to read lines from;
 * *text holds it: fclose(*f), then free(*text).  what names the file in
 * messages ("the shake-out data"). */
int rx_csv_open(const char *path, const char *what, FILE **f, char **text, RxError *err);
/* RX_BAD_INPUT at path:line, message "col: <fmt>". */
__attribute__((format(printf, 5, 6))) int rx_csv_fail(RxError *err, const char *path, int line, const char *col,
                                                      const char *fmt, ...);
/* s without leading and trailing blanks (and the line end), in place. */
char *rx_csv_trim(char *s);
/* Split line at commas into f (at most RX_CSV_MAX_COLS + 1 fields, each
 * trimmed); the number of fields. */
int rx_csv_split(char *line, char **f);
/* A header field "label [unit]" split in place into *label and *unit (NULL
 * when no brackets); RX_BAD_INPUT when the brackets are not at the end. */
int rx_csv_header(const char *path, char *h, const char *name, char **label, char **unit, RxError *err);
/* Factor from a concentration unit (g/L, mg/L, mol/L) of element e to
 * mol/L; RX_BAD_INPUT "unknown unit". */
int rx_csv_conc_unit(const char *path, const char *name, const char *unit, const RxElement *e, double *factor,
                     RxError *err);
/* Room for n + 1 items of size item in *a (capacity *cap); RX_NO_MEMORY. */
int rx_csv_grow(void **a, int n, int *cap, size_t item);

#endif
