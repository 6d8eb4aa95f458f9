/* datafile.c - reader for the whitespace-column data files in models/data.
 * Every data row must end with a [source] key: numbers without a source are
 * rejected, so the rule "every literature number has its source" is enforced
 * by the parser, not by review. */
#include "core/datafile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RX_DATA_MAX_TOK 16

int rx_datafile_read(const char *path, int min_cols, RxDataRow row, void *ctx, RxError *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return rx_error_set(err, RX_IO_ERROR, path, "cannot open data file");
    char buf[1024];
    int line = 0, rc = RX_OK;
    while (rc == RX_OK && fgets(buf, sizeof buf, f)) {
        line++;
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = '\0';
        char *tok[RX_DATA_MAX_TOK];
        int n = 0;
        for (char *save = NULL, *t = strtok_r(buf, " \t\r\n", &save); t && n < RX_DATA_MAX_TOK;
             t = strtok_r(NULL, " \t\r\n", &save))
            tok[n++] = t;
        if (n == 0)
            continue;
        char where[300];
        snprintf(where, sizeof where, "%s:%d", path, line);
        const char *src = tok[n - 1];
        if (src[0] != '[' || src[strlen(src) - 1] != ']') {
            rc = rx_error_set(err, RX_BAD_INPUT, where, "data row has no [source] key as its last column");
            break;
        }
        if (n - 1 < min_cols) {
            rc = rx_error_set(err, RX_BAD_INPUT, where, "expected %d columns before the source, found %d",
                              min_cols, n - 1);
            break;
        }
        rc = row(ctx, tok, n - 1, line, err);
        if (rc != RX_OK && err && err->where[0] == '\0')
            snprintf(err->where, sizeof err->where, "%s", where);
    }
    fclose(f);
    return rc;
}

int rx_parse_number(const char *s, double *out)
{
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}
