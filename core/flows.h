/* core/flows.h - the phase, chloride and metal flows through every stage of a
 * cascade: what the steady and the dynamic solvers and the config checks share. */
#ifndef RX_FLOWS_H
#define RX_FLOWS_H

#include "core/plant.h"

/* Flows through every stage for a set of feeds (the plant's own, or as
 * scheduled events changed them).  Arrays are the caller's: N each, f N*M.
 *   A, O   aqueous / organic outflow of each stage, L/h
 *   cl     chloride leaving each stage in the aqueous at steady state, mol/h
 *   fcl    chloride fed to each stage, mol/h
 *   f      metal fed to each stage, mol/h
 *   pa, po share of a stage's aqueous / organic outflow passed on (not drawn) */
typedef struct RxFlows {
    double *A, *O, *cl, *fcl, *f, *pa, *po;
    double *so4;        /* total sulfate leaving each stage in the aqueous, mol/h */
} RxFlows;

void rx_cascade_flows(const RxPlant *p, const RxFeed *feeds, const RxFlows *fl);

/* What a stage can lack: a phase, or the anions a model may need. */
enum { RX_GAP_AQUEOUS = 0, RX_GAP_ORGANIC = 1, RX_GAP_ANIONS = 2 };
/* The first of N stages (0-based) whose aqueous or organic flow (A, O) is
 * not positive or, when needs_anions, whose aqueous carries neither
 * chloride nor sulfate (cl, so4); -1 when every stage has all.  *what: RX_GAP_*. */
int rx_flows_gap(int N, const double *A, const double *O, const double *cl, const double *so4, int needs_anions,
                 int *what);

#endif
