/*
 * core/interrupt.c - stop signals as a flag (core/interrupt.h).  The handler
 * does nothing but store the signal number in a volatile sig_atomic_t, the
 * one thing a handler may safely do; the loops poll it.
 */
#include "core/interrupt.h"

#include <pthread.h>
#include <stddef.h>

static volatile sig_atomic_t caught;

/* The signals that ask reesx to stop. */
static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NSTOP ((int)(sizeof stop_signals / sizeof stop_signals[0]))

static void on_stop(int sig)
{
    if (!caught)
        caught = sig;
}

int rx_interrupt_install(void)
{
    int rc = 0;
    for (int i = 0; i < NSTOP; i++) {
        struct sigaction old, sa;
        if (sigaction(stop_signals[i], NULL, &old) != 0) {
            rc = -1;
            continue;
        }
        if (old.sa_handler == SIG_IGN)
            continue; /* nohup, or a background job of a non-interactive shell */
        sa.sa_handler = on_stop;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESTART; /* a write to a pipe or terminal is not cut short */
        if (sigaction(stop_signals[i], &sa, NULL) != 0)
            rc = -1;
    }
    return rc;
}

void rx_ignore_file_size_signal(void)
{
    struct sigaction sa;
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGXFSZ, &sa, NULL);
}

int rx_interrupted(void)
{
    return caught;
}

const char *rx_signal_name(int sig)
{
    return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : sig == SIGHUP ? "SIGHUP" : "signal";
}

void rx_interrupt_reset(void)
{
    caught = 0;
}

void rx_interrupt_hold(sigset_t *saved)
{
    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; i < NSTOP; i++)
        sigaddset(&set, stop_signals[i]);
    pthread_sigmask(SIG_BLOCK, &set, saved);
}

void rx_interrupt_release(const sigset_t *saved)
{
    pthread_sigmask(SIG_SETMASK, saved, NULL);
}
