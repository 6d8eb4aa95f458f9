/*
 * warmstart.c - a solution of one plant carried over to another of the same
 * sections and species but other stage counts, as the start of Newton.
 *
 * A section's profile (ln T stage by stage, the variable Newton works in)
 * follows its new stage count either by stretching or by lengthening its
 * pinch (rx_section_positions); the nested cold solve of solver/circuit.c
 * uses the same positions.  The start need not be right, only close
 * enough for Newton; when it is not, rx_circuit_solve_from goes cold.
 */
#include "solver/warmstart.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Relative position of the only stage of a one-stage section. */
#define MIDDLE 0.5

int rx_plants_alike(const RxPlant *a, const RxPlant *b)
{
    if (!a || !b || a->nsections != b->nsections || a->nsp != b->nsp)
        return 0;
    for (int i = 0; i < a->nsections; i++)
        if (strcmp(a->sections[i].name, b->sections[i].name) != 0)
            return 0;
    for (int j = 0; j < a->nsp; j++)
        if (a->species[j] != b->species[j])
            return 0;
    return 1;
}

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

/* RX_OK when s is a solution of `from` whose totals have logarithms. */
static int check_source(const RxPlant *from, const RxSolution *s, RxError *err)
{
    if (s->N != from->nstages || s->M != from->nsp || !s->T)
        return rx_error_set(err, RX_BAD_INPUT, from->path,
                            "warm start: the solution has %d stages and %d species, the plant %d and %d", s->N, s->M,
                            from->nstages, from->nsp);
    for (int i = 0; i < s->N * s->M; i++)
        if (!(s->T[i] > 0) || !isfinite(s->T[i]))
            return rx_error_set(err, RX_BAD_INPUT, from->path,
                                "warm start: stage %d: the total of %s entering it is %g mol/h, not positive",
                                i / s->M + 1, rx_plant_element(from, i % s->M)->sym, s->T[i]);
    return RX_OK;
}

/* RX_OK when every section of p has stages within the circuit. */
static int check_sections(const RxPlant *p, RxError *err)
{
    for (int k = 0; k < p->nsections; k++) {
        const RxSection *sc = &p->sections[k];
        if (sc->count < 1 || sc->first < 0 || sc->first + sc->count > p->nstages)
            return rx_error_set(err, RX_BAD_INPUT, p->path,
                                "warm start: section '%s' (stages %d..%d) is not within the circuit's %d stages",
                                sc->name, sc->first + 1, sc->first + sc->count, p->nstages);
    }
    return RX_OK;
}

int rx_solution_remap(const RxPlant *from, const RxSolution *s, const RxPlant *to, int mode, RxSolution **out,
                      RxError *err)
{
    *out = NULL;
    if (!from || !s || !to)
        return rx_error_set(err, RX_BAD_INPUT, NULL, "warm start: no plant or solution to start from");
    if (mode != RX_REMAP_STRETCH && mode != RX_REMAP_PINCH)
        return rx_error_set(err, RX_BAD_INPUT, NULL, "warm start: no such way to carry a solution over (%d)", mode);
    if (!rx_plants_alike(from, to))
        return rx_error_set(err, RX_BAD_INPUT, to->path,
                            "warm start: the plants differ in their sections or species");
    int rc = check_source(from, s, err);
    if (rc == RX_OK)
        rc = check_sections(from, err);
    if (rc == RX_OK)
        rc = check_sections(to, err);
    if (rc != RX_OK)
        return rc;
    int most = 1;
    for (int k = 0; k < to->nsections; k++) {
        most = most > to->sections[k].count ? most : to->sections[k].count;
        most = most > from->sections[k].count ? most : from->sections[k].count;
    }
    RxSolution *w = NULL;
    double *lnT = malloc(sizeof(double) * (size_t)s->N * (size_t)s->M);
    double *buf = malloc(sizeof(double) * 3 * (size_t)most);
    if (!lnT || !buf || rx_solution_alloc(&w, to->nstages, to->nsp) != RX_OK) {
        free(lnT);
        free(buf);
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    }
    int M = s->M;
    for (int i = 0; i < s->N * M; i++)
        lnT[i] = log(s->T[i]);
    for (int k = 0; k < to->nsections; k++) {
        const RxSection *sf = &from->sections[k], *st = &to->sections[k];
        const double *prof = lnT + (size_t)sf->first * (size_t)M;
        double *T = w->T + (size_t)st->first * (size_t)M;
        rx_section_positions(sf->count, st->count, M, prof, mode, buf, buf + most);
        rx_section_interpolate(sf->count, M, prof, buf, st->count, T);
        for (int i = 0; i < st->count * M; i++)
            T[i] = exp(T[i]);
    }
    free(lnT);
    free(buf);
    *out = w;
    return RX_OK;
}
