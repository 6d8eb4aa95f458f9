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
