/*
 * output/streams.c - streams.csv: every feed and outlet of a steady state
 * with its flow, pH and composition, and its rare earths as oxides (REO).
 */
#include "output/writer.h"

#include "core/fileio.h"

#include <math.h>
#include <stdlib.h>

static void stream_row(FILE *f, const RxPlant *p, const char *kind, const char *name, int phase, int stage,
                       double flow, const double *c, double h)
{
    rx_csv_text(f, 1, kind);
    rx_csv_text(f, 0, name);
    rx_csv_text(f, 0, phase == RX_AQ ? "aqueous" : "organic");
    fprintf(f, ",%d", stage + 1);
    rx_csv_num(f, flow);
    rx_csv_num(f, phase == RX_AQ ? rx_ph_of(h) : NAN);
    double reo = 0;
    for (int j = 0; j < p->nsp; j++) {
        const RxElement *e = rx_plant_element(p, j);
        rx_csv_num(f, c[j] * e->molar_mass);
        if (e->is_ree)
            reo += c[j] * e->molar_mass * rx_element_oxide_factor(e, p->elements->oxygen_mass);
    }
    rx_csv_num(f, reo);
    fputs("\n", f);
}

int rx_write_streams_csv(const RxPlant *p, const RxSolution *s, const char *path, RxError *err)
{
    RxAtomicFile a;
    int rc = rx_atomic_open(&a, path, err);
    if (rc != RX_OK)
        return rc;
    FILE *f = a.f;
    fputs("kind,name,phase,stage,flow [L/h],pH [-]", f);
    for (int j = 0; j < p->nsp; j++)
        rx_csv_textf(f, 0, "%s [g/L]", rx_plant_element(p, j)->sym);
    fputs(",REO [g/L]\n", f);
    for (int i = 0; i < p->nfeeds; i++) {
        const RxFeed *fd = &p->feeds[i];
        stream_row(f, p, "feed", fd->name, fd->phase, fd->stage, fd->flow, fd->c, fd->h);
    }
    int n = 2 + p->ndraws; /* raffinate, organic, then the draws */
    RxStream *out = calloc((size_t)n, sizeof *out);
    if (!out) {
        rx_atomic_abort(&a);
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    }
    n = rx_outlets(p, s, out, n);
    for (int i = 0; i < n; i++)
        stream_row(f, p, "outlet", out[i].name, out[i].phase, out[i].stage, out[i].flow, out[i].c, out[i].h);
    free(out);
    return rx_atomic_close(&a, err);
}

int rx_output_streams(const RxOutputs *o, const char *path, RxError *err)
{
    return rx_write_streams_csv(o->plant, o->solution, path, err);
}
