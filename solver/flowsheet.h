/*
 * solver/flowsheet.h - circuits joined by streams (docs/flowsheet.md).
 */
#ifndef RX_FLOWSHEET_H
#define RX_FLOWSHEET_H

#include "solver/circuit.h"

#define RX_MAX_CIRCUITS 16
#define RX_MAX_CONNECTIONS 32

/* An outlet of one circuit that becomes a feed of the same or another one.
 * Aqueous outlets give the feed their flow, composition and acid; an
 * organic outlet returned to an organic feed (the organic loop) gives its
 * metal, at the feed's own flow (the difference is fresh make-up) and its
 * own saponification. */
typedef struct RxConnection {
    int from_c, to_c;          /* circuit indices */
    char from[RX_NAME_LEN];    /* outlet: "raffinate", "organic" or a draw */
    int to_feed;               /* feed index in circuit to_c */
    int phase;
} RxConnection;

typedef struct RxFlowsheet {
    char path[256];
    char title[128];
    int n;
    char name[RX_MAX_CIRCUITS][RX_NAME_LEN];
    RxPlant *plant[RX_MAX_CIRCUITS];   /* owned, as loaded from their files */
    int nconn;
    RxConnection conn[RX_MAX_CONNECTIONS];
    int max_iterations;
    double tolerance;                  /* tear streams: max relative change */
} RxFlowsheet;

typedef struct RxFlowsheetResult {
    int n;
    RxPlant *plant[RX_MAX_CIRCUITS];   /* the circuits as solved (fed by the tears), owned */
    RxSolution *sol[RX_MAX_CIRCUITS];
    int iterations;
    double csec[RX_MAX_CIRCUITS];      /* each circuit's last solve, s */
    double change[RX_MAX_CONNECTIONS]; /* last relative change of each tear stream */
    double makeup[RX_MAX_CONNECTIONS]; /* organic loop: fresh organic make-up, L/h */
    int nel;
    char sym[2 * RX_MAX_SPECIES][RX_SYM_LEN];
    double in[2 * RX_MAX_SPECIES], out[2 * RX_MAX_SPECIES]; /* mol/h entering and leaving the flowsheet */
    double closure[2 * RX_MAX_SPECIES];                     /* (in - out)/in */
    double max_closure;
    double seconds;
} RxFlowsheetResult;

void rx_flowsheet_destroy(RxFlowsheet **fs);
/* Solve every circuit, converging the tear streams by successive
 * substitution.  RX_NOT_CONVERGED when they do not settle or the
 * flowsheet's element balance does not close to RX_CLOSURE_TOL. */
int rx_flowsheet_solve(const RxFlowsheet *fs, RxFlowsheetResult **out, RxError *err);
/* How one circuit of a pass is solved: *q (owned; fed by its tears) may be
 * replaced by the plant as solved; last_plant, last: the circuit as the
 * pass before left it (NULL on the first).  RX_OK with *s. */
typedef int (*RxCircuitSolveFn)(RxPlant **q, const RxPlant *last_plant, const RxSolution *last, RxSolution **s,
                                RxError *err);
/* rx_flowsheet_solve with each circuit solved by solve (NULL: rx_circuit_solve_from from its last pass). */
int rx_flowsheet_solve_by(const RxFlowsheet *fs, RxCircuitSolveFn solve, RxFlowsheetResult **out, RxError *err);
void rx_flowsheet_result_destroy(RxFlowsheetResult **r);

#endif
