/*
 * report/table.c - CSV read back (report/table.h).
 */
#include "report/table.h"

#include "core/fileio.h"
#include "core/readfile.h"

#include <stdio.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Cells of one record from *s (advanced past its line end) into out
 * (NULL: only counted), unquoted in place; -1 at an unclosed quote. */
static int record(char **s, char **out)
{
    int n = 0;
    char *p = *s;
    for (;;) {
        char *w = p, *start = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (!*p)
                    return -1;
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else
                    *w++ = *p++;
            }
            while (*p && *p != ',' && *p != '\n' && *p != '\r')
                p++;
        } else {
            while (*p && *p != ',' && *p != '\n' && *p != '\r')
                w = ++p;
        }
        char end = *p;
        *w = '\0';
        if (out)
            out[n] = start;
        n++;
        if (end == ',') {
            p++;
            continue;
        }
        if (end == '\r' || end == '\n')
            p++; /* past the end written over */
        if (end == '\r' && *p == '\n')
            p++;
        *s = p;
        return n;
    }
}

static int fail_at(RxError *err, const char *path, int line, const char *what)
{
    char where[RX_PATH_MAX + 16];
    snprintf(where, sizeof where, "%s:%d", path, line);
    return rx_error_set(err, RX_BAD_INPUT, where, "%s (not a CSV file as reesx writes it)", what);
}

int rx_table_read(const char *path, RxTable *t, RxError *err)
{
    *t = (RxTable){0};
    char *text = NULL;
    int rc = rx_read_file(path, RX_MAX_INPUT_BYTES, RX_READ_REGULAR, "a run's output", &text, NULL, err);
    if (rc != RX_OK)
        return rc;
    /* Records are counted on a copy (unquoting writes in place). */
    size_t len = strlen(text);
    char *copy = malloc(len + 1);
    if (!copy) {
        free(text);
        return rx_error_set(err, RX_NO_MEMORY, path, "out of memory");
    }
    memcpy(copy, text, len + 1);
    int rows = 0, cols = 0, line = 1;
    for (char *s = copy; *s; rows++, line++) {
        int n = record(&s, NULL);
        if (n < 0) {
            free(copy);
            free(text);
            return fail_at(err, path, line, "an unclosed quote");
        }
        if (rows == 0)
            cols = n;
        else if (n != cols) {
            free(copy);
            free(text);
            char what[96];
            snprintf(what, sizeof what, "a row of %d cells under a header of %d", n, cols);
            return fail_at(err, path, line, what);
        }
    }
    free(copy);
    if (rows == 0) {
        free(text);
        return fail_at(err, path, 1, "no header");
    }
    t->cell = malloc((size_t)rows * (size_t)cols * sizeof *t->cell);
    if (!t->cell) {
        free(text);
        return rx_error_set(err, RX_NO_MEMORY, path, "out of memory");
    }
    char *s = text;
    for (int r = 0; r < rows; r++)
        record(&s, t->cell + (size_t)r * (size_t)cols);
    t->text = text;
    t->nrows = rows - 1;
    t->ncols = cols;
    return RX_OK;
}

void rx_table_free(RxTable *t)
{
    free(t->cell);
    free(t->text);
    *t = (RxTable){0};
}

const char *rx_table_head(const RxTable *t, int c)
{
    return c >= 0 && c < t->ncols ? t->cell[c] : "";
}

const char *rx_table_cell(const RxTable *t, int r, int c)
{
    if (r < 0 || r >= t->nrows || c < 0 || c >= t->ncols)
        return "";
    return t->cell[(size_t)(r + 1) * (size_t)t->ncols + (size_t)c];
}

double rx_table_num(const RxTable *t, int r, int c)
{
    const char *s = rx_table_cell(t, r, c);
    char *end;
    double v = strtod(s, &end);
    return *s && !*end ? v : NAN;
}

int rx_table_col(const RxTable *t, const char *name)
{
    for (int c = 0; c < t->ncols; c++)
        if (!strcmp(t->cell[c], name))
            return c;
    return -1;
}

double *rx_table_numbers(const RxTable *t, int c)
{
    if (c < 0 || c >= t->ncols)
        return NULL;
    double *x = malloc((size_t)(t->nrows > 0 ? t->nrows : 1) * sizeof *x);
    for (int r = 0; x && r < t->nrows; r++)
        x[r] = rx_table_num(t, r, c);
    return x;
}
