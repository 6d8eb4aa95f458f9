/* error.c - status strings, the error struct and the clock. */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *rx_status_str(int status)
{
    switch (status) {
#define RX_STATUS_CASE(name, value, text) \
    case value:                           \
        return text;
        RX_STATUS_LIST(RX_STATUS_CASE)
#undef RX_STATUS_CASE
    default:
        return "unknown status";
    }
}

int rx_error_set(RxError *err, int code, const char *where, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    snprintf(err->where, sizeof err->where, "%s", where ? where : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

void rx_error_clear(RxError *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

/* Significant digits: %g's 6 by default, up to the 17 that round-trip any double. */
#define RX_FMT_MIN_DIGITS 6
#define RX_FMT_MAX_DIGITS 17

const char *rx_fmt_beyond(char *buf, double v, double limit)
{
    for (int digits = RX_FMT_MIN_DIGITS; digits <= RX_FMT_MAX_DIGITS; digits++) {
        snprintf(buf, RX_NUM_LEN, "%.*g", digits, v);
        double back = strtod(buf, NULL);
        if (!(v > limit || v < limit) || (v > limit && back > limit) || (v < limit && back < limit))
            break;
    }
    return buf;
}

double rx_clock(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}
