/*
 * report/table.h - the CSV files a run wrote (RFC 4180: quoted cells,
 * doubled quotes), read back whole for the report.
 */
#ifndef RX_REPORT_TABLE_H
#define RX_REPORT_TABLE_H

#include "core/error.h"

typedef struct RxTable {
    int nrows, ncols; /* data rows (the header not counted), columns */
    char **cell;      /* (nrows + 1) x ncols, row 0 the header */
    char *text;       /* the cells' storage */
} RxTable;

/* The CSV at path into t.  RX_IO_ERROR when it cannot be read;
 * RX_BAD_INPUT "path:line: a row of N cells under a header of M" or "an
 * unclosed quote"; RX_NO_MEMORY. */
int rx_table_read(const char *path, RxTable *t, RxError *err);
void rx_table_free(RxTable *t);
/* Header of column c; cell of data row r (0-based), column c. */
const char *rx_table_head(const RxTable *t, int c);
const char *rx_table_cell(const RxTable *t, int r, int c);
/* The cell as a number; NaN when empty or not a number. */
double rx_table_num(const RxTable *t, int r, int c);
/* Column whose header is name; -1 when none. */
int rx_table_col(const RxTable *t, const char *name);
/* Column c's numbers (nrows of them, malloc'd; NaN where a cell is
 * none); NULL when there is no column c or out of memory. */
double *rx_table_numbers(const RxTable *t, int c);

#endif
