/*
 * core/interrupt.h - a request to stop (SIGINT, SIGTERM, SIGHUP), as a flag
 * the long loops read: the dynamics loop (solver/dynamics.c) between and
 * inside integrator steps, the design search (design/search.c) before each
 * candidate.  The handler only records the signal; what to do about it is
 * the loop's and the command's (docs/config.md, "Output safety").
 */
#ifndef RX_INTERRUPT_H
#define RX_INTERRUPT_H

#include <signal.h>

/* SIGINT, SIGTERM and SIGHUP record themselves in the flag instead of
 * ending the process (a signal the process inherited as ignored, as under
 * nohup, stays ignored).  0, or -1 if sigaction failed. */
int rx_interrupt_install(void);
/* Ignore SIGXFSZ, so that a write beyond `ulimit -f` fails with EFBIG (an
 * error reesx reports) instead of ending the process. */
void rx_ignore_file_size_signal(void);
/* The first stop signal received since the start (or rx_interrupt_reset),
 * 0 if none. */
int rx_interrupted(void);
/* "SIGINT", "SIGTERM", "SIGHUP", or "signal" for any other. */
const char *rx_signal_name(int sig);
/* Forget a received signal (tests). */
void rx_interrupt_reset(void);

/* Hold the stop signals (this thread) while a set of output files is
 * written and published, so none can end the process or interrupt it half
 * way; rx_interrupt_release delivers what came meanwhile. */
void rx_interrupt_hold(sigset_t *saved);
void rx_interrupt_release(const sigset_t *saved);

#endif
