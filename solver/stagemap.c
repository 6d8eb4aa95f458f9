/*
 * stagemap.c - where the stages of a section sit on the stages of the same
 * section in a circuit with another stage count: the warm starts of
 * solver/warmstart.c and the nested cold solve of solver/circuit.c lay a
 * profile over new stages with these positions.
 */
#include "solver/stagemap.h"

#include <math.h>
#include <string.h>

/* Relative position of the only stage of a one-stage section. */
#define MIDDLE 0.5

/* The major components of a stage (at least STRETCH_MAJOR of its metal)
 * set how much a profile changes between two stages; an interval whose
 * change is STRETCH_FLAT (in ln T) takes as many of the added stages as a
 * perfectly flat one would take half of. */
#define STRETCH_MAJOR 1e-2
#define STRETCH_FLAT 1e-2

/* The largest change in ln T of a major component between stages a and b
 * of profile lnT (M per stage). */
static double profile_change(const double *lnT, int a, int b, int M)
{
    const double *u0 = lnT + (size_t)a * (size_t)M, *u1 = lnT + (size_t)b * (size_t)M;
    double m0 = 0, m1 = 0, change = 0;
    for (int j = 0; j < M; j++) {
        m0 += exp(u0[j]);
        m1 += exp(u1[j]);
    }
    for (int j = 0; j < M; j++)
        if (exp(u0[j]) >= STRETCH_MAJOR * m0 || exp(u1[j]) >= STRETCH_MAJOR * m1)
            change = fmax(change, fabs(u1[j] - u0[j]));
    return change;
}

/* The pinch way with stages added: every interval keeps one, and the m - n
 * added ones are shared out in proportion to 1/(STRETCH_FLAT + change),
 * largest remainders rounding them.  share, g: n - 1 each. */
static void positions_added(int n, int m, int M, const double *lnT, double *t, double *share, double *g)
{
    int extra = m - n, given = 0, k = 0;
    double total = 0;
    for (int i = 0; i < n - 1; i++)
        total += share[i] = 1.0 / (STRETCH_FLAT + profile_change(lnT, i, i + 1, M));
    for (int i = 0; i < n - 1; i++) {
        share[i] *= extra / total;
        g[i] = 1 + floor(share[i]);
        given += (int)g[i] - 1;
    }
    for (; given < extra; given++) {
        int best = 0;
        for (int i = 1; i < n - 1; i++)
            if (share[i] - (g[i] - 1) > share[best] - (g[best] - 1))
                best = i;
        g[best]++;
    }
    for (int i = 0; i < n - 1; i++)
        for (int q = 0; q < (int)g[i]; q++)
            t[k++] = i + q / g[i];
    t[k] = n - 1;
}

/* The pinch way with stages taken: one at a time, a stage of the interval
 * that changes least, not an end while others remain.  kept: n. */
static void positions_taken(int n, int m, int M, const double *lnT, double *t, double *kept)
{
    for (int i = 0; i < n; i++)
        kept[i] = i;
    for (int cur = n; cur > m; cur--) {
        int best = 0;
        double least = INFINITY;
        for (int i = 0; i + 1 < cur; i++) {
            double d = profile_change(lnT, (int)kept[i], (int)kept[i + 1], M);
            if (d < least) {
                least = d;
                best = i;
            }
        }
        int drop = best + 1 < cur - 1 ? best + 1 : best > 0 ? best : best + 1;
        memmove(&kept[drop], &kept[drop + 1], sizeof(double) * (size_t)(cur - drop - 1));
    }
    memcpy(t, kept, sizeof(double) * (size_t)m);
}

void rx_section_positions(int n, int m, int M, const double *lnT, int mode, double *t, double *scratch)
{
    if (n <= 1 || m <= 1) { /* one stage to every stage, or the middle of the old section to one */
        for (int i = 0; i < m; i++)
            t[i] = n > 1 ? MIDDLE * (n - 1) : 0;
        return;
    }
    if (mode == RX_REMAP_STRETCH)
        for (int i = 0; i < m; i++)
            t[i] = (double)i * (n - 1) / (m - 1);
    else if (m >= n)
        positions_added(n, m, M, lnT, t, scratch, scratch + n);
    else
        positions_taken(n, m, M, lnT, t, scratch);
}

void rx_section_interpolate(int n, int w, const double *from, const double *t, int m, double *to)
{
    for (int i = 0; i < m; i++) {
        int k0 = n > 1 ? (int)fmin(floor(t[i]), n - 2) : 0, k1 = n > 1 ? k0 + 1 : k0;
        double f = n > 1 ? t[i] - k0 : 0;
        const double *a = from + (size_t)k0 * (size_t)w, *b = from + (size_t)k1 * (size_t)w;
        double *out = to + (size_t)i * (size_t)w;
        for (int j = 0; j < w; j++)
            out[j] = (1.0 - f) * a[j] + f * b[j];
    }
}

