/* flows.c - phase, chloride and metal flows through every stage of a cascade. */
#include "core/flows.h"

#include <string.h>

void rx_cascade_flows(const RxPlant *p, const RxFeed *feeds, const RxFlows *fl)
{
    int N = p->nstages, M = p->nsp;
    for (int k = 0; k < N; k++) {
        fl->pa[k] = fl->po[k] = 1.0;
        fl->A[k] = fl->O[k] = fl->fcl[k] = fl->so4[k] = 0;
    }
    memset(fl->f, 0, sizeof(double) * (size_t)N * (size_t)M);
    for (int i = 0; i < p->ndraws; i++) {
        const RxDraw *d = &p->draws[i];
        (d->phase == RX_AQ ? fl->pa : fl->po)[d->stage] = 1.0 - d->fraction;
    }
    for (int i = 0; i < p->nfeeds; i++) {
        const RxFeed *fd = &feeds[i];
        (fd->phase == RX_AQ ? fl->A : fl->O)[fd->stage] += fd->flow;
        if (fd->phase == RX_AQ) {
            fl->fcl[fd->stage] += fd->flow * fd->cl;
            fl->so4[fd->stage] += fd->flow * fd->so4;
        }
        for (int j = 0; j < M; j++)
            fl->f[fd->stage * M + j] += fd->flow * fd->c[j];
    }
    /* The aqueous runs from stage N down to 1, the organic from 1 up to N. */
    for (int k = N - 1; k >= 0; k--) {
        fl->cl[k] = fl->fcl[k] + (k < N - 1 ? fl->pa[k + 1] * fl->cl[k + 1] : 0);
        if (k < N - 1)
            fl->so4[k] += fl->pa[k + 1] * fl->so4[k + 1];
        if (k < N - 1)
            fl->A[k] += fl->pa[k + 1] * fl->A[k + 1];
    }
    for (int k = 1; k < N; k++)
        fl->O[k] += fl->po[k - 1] * fl->O[k - 1];
}

int rx_flows_gap(int N, const double *A, const double *O, const double *cl, const double *so4, int needs_anions,
                 int *what)
{
    for (int k = 0; k < N; k++) {
        if (!(A[k] > 0) || !(O[k] > 0)) {
            *what = A[k] > 0 ? RX_GAP_ORGANIC : RX_GAP_AQUEOUS;
            return k;
        }
        if (needs_anions && !(cl[k] + 2.0 * so4[k] > 0)) {
            *what = RX_GAP_ANIONS;
            return k;
        }
    }
    return -1;
}
