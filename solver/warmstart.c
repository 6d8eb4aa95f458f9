/*
 * warmstart.c - a solution of one plant carried over to another of the same
 * sections and species but other stage counts, as the start of Newton.
 *
 * The profile of a section (ln T stage by stage) keeps its shape when the
 * section gains or loses stages: its ends are where the streams enter and
 * leave, and the fronts between them move in proportion.  So stage i of n
 * takes the profile at relative position i/(n - 1), interpolated in ln T,
 * which is the variable Newton works in.  The start need not be right, only
 * close enough for Newton; when it is not, rx_circuit_solve_from goes cold.
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

/* Stretch: stage i of st takes the profile of sf at relative position
 * i/(count - 1), interpolated in ln T.  lnT: ln T of every stage of
 * `from` (N_from * M); T receives the totals of `to`. */
static void remap_stretch(const RxSection *sf, const RxSection *st, int M, const double *lnT, double *T)
{
    for (int i = 0; i < st->count; i++) {
        double r = st->count > 1 ? (double)i / (st->count - 1) : MIDDLE;
        double q = r * (sf->count - 1); /* position among from's stages, 0 .. count - 1 */
        int k0 = (int)floor(q);
        if (k0 > sf->count - 2)
            k0 = sf->count > 1 ? sf->count - 2 : 0;
        int k1 = sf->count > 1 ? k0 + 1 : k0;
        double w = sf->count > 1 ? q - k0 : 0;
        const double *a = &lnT[(size_t)(sf->first + k0) * (size_t)M], *b = &lnT[(size_t)(sf->first + k1) * (size_t)M];
        double *out = &T[(size_t)(st->first + i) * (size_t)M];
        for (int j = 0; j < M; j++)
            out[j] = exp((1.0 - w) * a[j] + w * b[j]);
    }
}

/* The interval (k, k + 1) of profile v (n stages) over which ln T changes
 * least, by its largest change among the species. */
static int flattest(const double *v, int n, int M)
{
    int best = 0;
    double least = INFINITY;
    for (int k = 0; k + 1 < n; k++) {
        double d = 0;
        for (int j = 0; j < M; j++)
            d = fmax(d, fabs(v[(k + 1) * M + j] - v[k * M + j]));
        if (d < least) {
            least = d;
            best = k;
        }
    }
    return best;
}

/* Pinch: the ends of the section keep their profile and the stages are
 * added or taken where it is flattest, in the pinch between the fronts.
 * buf: room for the larger section (count * M).  Indices are ints: a
 * circuit has at most RX_MAX_STAGES x RX_MAX_SPECIES totals. */
static void remap_pinch(const RxSection *sf, const RxSection *st, int M, const double *lnT, double *T, double *buf)
{
    int n = sf->count, m = st->count;
    size_t row = sizeof(double) * (size_t)M;
    memcpy(buf, &lnT[sf->first * M], row * (size_t)n);
    if (m > n) { /* the new stages evenly between the two of the flattest interval */
        int k = flattest(buf, n, M), add = m - n, k1 = n > 1 ? k + 1 : k;
        memmove(&buf[(k1 + add) * M], &buf[k1 * M], row * (size_t)(n - k1));
        for (int i = 1; i <= add; i++) {
            double w = n > 1 ? (double)i / (add + 1) : 0;
            for (int j = 0; j < M; j++)
                buf[(k + i) * M + j] = (1.0 - w) * buf[k * M + j] + w * buf[(k + add + 1) * M + j];
        }
    }
    for (int cur = n; cur > m; cur--) { /* one stage of the flattest interval, not an end while others remain */
        int k = flattest(buf, cur, M), drop = k + 1 < cur - 1 ? k + 1 : k > 0 ? k : k + 1;
        memmove(&buf[drop * M], &buf[(drop + 1) * M], row * (size_t)(cur - drop - 1));
    }
    for (int i = 0; i < m * M; i++)
        T[st->first * M + i] = exp(buf[i]);
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
    double *buf = malloc(sizeof(double) * (size_t)most * (size_t)s->M);
    if (!lnT || !buf || rx_solution_alloc(&w, to->nstages, to->nsp) != RX_OK) {
        free(lnT);
        free(buf);
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    }
    for (int i = 0; i < s->N * s->M; i++)
        lnT[i] = log(s->T[i]);
    for (int k = 0; k < to->nsections; k++)
        if (mode == RX_REMAP_PINCH)
            remap_pinch(&from->sections[k], &to->sections[k], to->nsp, lnT, w->T, buf);
        else
            remap_stretch(&from->sections[k], &to->sections[k], to->nsp, lnT, w->T);
    free(lnT);
    free(buf);
    *out = w;
    return RX_OK;
}
