/* error.c - status strings, the error struct and the clock. */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
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

double rx_clock(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}
