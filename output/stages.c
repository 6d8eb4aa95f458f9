/*
 * output/stages.c - stages.csv: the stage profile (flows, pH, free
 * extractant, loading, every element in both phases) of a steady state or
 * of the end of a simulation.
 */
#include "output/writer.h"

#include "core/fileio.h"

#include <math.h>

static const char *section_of(const RxPlant *p, int k)
{
    for (int i = 0; i < p->nsections; i++)
        if (k >= p->sections[i].first && k < p->sections[i].first + p->sections[i].count)
            return p->sections[i].name;
    return "";
}

static void stage_row(FILE *f, const RxPlant *p, const RxSolution *s, int k)
{
    int M = s->M;
    fprintf(f, "%d", k + 1);
    rx_csv_text(f, 0, section_of(p, k));
    rx_csv_num(f, s->A[k]);
    rx_csv_num(f, s->O[k]);
    rx_csv_num(f, rx_ph_of(s->h[k]));
    double load = 0;
    for (int j = 0; j < M; j++)
        load += 2.0 * p->charge[j] * s->y[k * M + j];
    rx_csv_num(f, s->d[k]);
    rx_csv_num(f, p->extractant_conc > 0 ? PERCENT * load / p->extractant_conc : NAN);
    for (int j = 0; j < M; j++) {
        double mm = rx_plant_element(p, j)->molar_mass;
        rx_csv_num(f, s->x[k * M + j] * mm);
        rx_csv_num(f, s->y[k * M + j] * mm);
    }
    fputs("\n", f);
}

int rx_write_stages_csv(const RxPlant *p, const RxSolution *s, const char *path, RxError *err)
{
    RxAtomicFile a;
    int rc = rx_atomic_open(&a, path, err);
    if (rc != RX_OK)
        return rc;
    FILE *f = a.f;
    fputs("stage,section,aqueous flow [L/h],organic flow [L/h],pH [-],free extractant (HA)2 [mol/L],loading [%]", f);
    for (int j = 0; j < s->M; j++) {
        rx_csv_textf(f, 0, "%s aq [g/L]", rx_plant_element(p, j)->sym);
        rx_csv_textf(f, 0, "%s org [g/L]", rx_plant_element(p, j)->sym);
    }
    fputs("\n", f);
    for (int k = 0; k < s->N; k++)
        stage_row(f, p, s, k);
    return rx_atomic_close(&a, err);
}

int rx_output_stages(const RxOutputs *o, const char *path, RxError *err)
{
    return rx_write_stages_csv(o->plant, o->solution, path, err);
}

/* simulate: the profile the integration ended at. */
int rx_output_sim_stages(const RxOutputs *o, const char *path, RxError *err)
{
    return rx_write_stages_csv(o->plant, o->sim->final, path, err);
}
