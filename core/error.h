/*
 * core/error.h - status codes, the error struct and the clock.
 *
 * The core never prints and never exits: every call returns an RxStatus and
 * fills an RxError.
 */
#ifndef RX_ERROR_H
#define RX_ERROR_H

#include <stddef.h>

/* Status codes, CVODE signs: 0 ok, > 0 recoverable, < 0 fatal. */
#define RX_STATUS_LIST(X)                                   \
    X(RX_OK, 0, "ok")                                       \
    X(RX_NOT_CONVERGED, 1, "solver did not converge")       \
    X(RX_SINGULAR, 2, "singular matrix")                    \
    X(RX_UNMET, 3, "design targets cannot be met")          \
    X(RX_BAD_INPUT, -1, "invalid input")                    \
    X(RX_NO_MEMORY, -2, "out of memory")                    \
    X(RX_IO_ERROR, -3, "input/output error")               \
    X(RX_INTERRUPTED, -4, "interrupted by a signal")

typedef enum {
#define RX_STATUS_ENUM(name, value, text) name = value,
    RX_STATUS_LIST(RX_STATUS_ENUM)
#undef RX_STATUS_ENUM
} RxStatus;

/* Human-readable text of a status code (static storage). */
const char *rx_status_str(int status);

/* What went wrong and where: `where` is "file:line" for input errors. */
typedef struct RxError {
    int code;
    char where[300];
    char msg[700];
} RxError;

/* Fill err (if not NULL) and return code.  printf-style message. */
int rx_error_set(RxError *err, int code, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void rx_error_clear(RxError *err);

/* Bytes of a number formatted by rx_fmt_beyond ("-1.2345678901234567e-308"). */
#define RX_NUM_LEN 32
/* v as text in buf (RX_NUM_LEN bytes) with as few significant digits, 6
 * to 17, as keep it on its side of limit: a message never reads "20 mol/L
 * is more than ... (at most 20 mol/L)" for 20.0001.  Returns buf. */
const char *rx_fmt_beyond(char *buf, double v, double limit);

/* Monotonic wall clock, s (for timing solves). */
double rx_clock(void);

#endif
