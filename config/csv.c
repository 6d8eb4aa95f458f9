/*
 * config/csv.c - fields, header units, errors and arrays of the CSV
 * readers of measured data (docs/fit.md).
 */
#include "config/csv.h"

#include "core/readfile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MG_PER_G 1000.0

int rx_csv_fail(RxError *err, const char *path, int line, const char *col, const char *fmt, ...)
{
    char where[300], msg[300];
    snprintf(where, sizeof where, "%s:%d", path, line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return rx_error_set(err, RX_BAD_INPUT, where, "%s: %s", col, msg);
}

int rx_csv_open(const char *path, const char *what, FILE **f, char **text, RxError *err)
{
    size_t len = 0;
    *f = NULL;
    int rc = rx_read_file(path, RX_MAX_INPUT_BYTES, RX_READ_REGULAR, what, text, &len, err);
    if (rc != RX_OK)
        return rc;
    size_t bad = rx_utf8_invalid(*text, len);
    if (bad < len)
        rc = rx_csv_fail(err, path, rx_line_of(*text, bad), "text", "not UTF-8 (byte 0x%02x)",
                         (unsigned)(unsigned char)(*text)[bad]);
    else if (memchr(*text, '\0', len))
        rc = rx_csv_fail(err, path, rx_line_of(*text, strlen(*text)), "text", "%s", "a NUL byte in the text");
    else if (!(*f = fmemopen(*text, len ? len : 1, "r")))
        rc = rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    if (rc != RX_OK) {
        free(*text);
        *text = NULL;
    }
    return rc;
}

char *rx_csv_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

int rx_csv_split(char *line, char **f)
{
    int n = 0;
    for (char *s = line;; n++) {
        char *comma = strchr(s, ',');
        if (n <= RX_CSV_MAX_COLS)
            f[n] = s;
        if (!comma)
            break;
        *comma = '\0';
        s = comma + 1;
    }
    for (int i = 0; i <= n && i <= RX_CSV_MAX_COLS; i++)
        f[i] = rx_csv_trim(f[i]);
    return n + 1;
}

int rx_csv_header(const char *path, char *h, const char *name, char **label, char **unit, RxError *err)
{
    char *open = strchr(h, '[');
    *unit = NULL;
    if (open) {
        char *close = strchr(open, ']');
        if (!close || close[1])
            return rx_csv_fail(err, path, 1, name, "%s", "a unit is written in brackets at the end, e.g. [g/L]");
        *close = '\0';
        *unit = open + 1;
        *open = '\0';
    }
    *label = rx_csv_trim(h);
    return RX_OK;
}

int rx_csv_conc_unit(const char *path, const char *name, const char *unit, const RxElement *e, double *factor,
                     RxError *err)
{
    if (unit && !strcmp(unit, "mol/L"))
        *factor = 1.0;
    else if (unit && !strcmp(unit, "g/L"))
        *factor = 1.0 / e->molar_mass;
    else if (unit && !strcmp(unit, "mg/L"))
        *factor = 1.0 / (MG_PER_G * e->molar_mass);
    else
        return rx_csv_fail(err, path, 1, name, "unknown unit '%s' (use g/L, mg/L or mol/L)", unit ? unit : "");
    return RX_OK;
}

int rx_csv_grow(void **a, int n, int *cap, size_t item)
{
    if (n < *cap)
        return RX_OK;
    int nc = *cap ? 2 * *cap : 16;
    void *b = realloc(*a, (size_t)nc * item);
    if (!b)
        return RX_NO_MEMORY;
    *a = b;
    *cap = nc;
    return RX_OK;
}
