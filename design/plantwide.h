/*
 * design/plantwide.h - reesx design on a flowsheet (docs/flowsheet.md,
 * "Designing a flowsheet"): each circuit with a stage search in its design
 * group searched as the flowsheet feeds it, inside the tear-stream loop,
 * so that the designed plant meets its targets as a whole.
 *
 * A pass solves the flowsheet with the circuits as designed so far (their
 * specs inside the loop, rx_flowsheet_spec_solve), then searches each
 * circuit that has design.stages fed by the tears of that solution
 * (rx_design), and takes its choice.  The passes stop when no circuit's
 * stage counts or grid flows change (a spec's values are solved in the
 * loop, not compared), at most RX_PLANTWIDE_PASSES; the flowsheet is then
 * solved once more with the final choices.
 */
#ifndef RX_PLANTWIDE_H
#define RX_PLANTWIDE_H

#include "design/search.h"
#include "design/spec.h"

#define RX_PLANTWIDE_PASSES 5

typedef struct RxPlantwide {
    RxFlowsheet fs;                          /* the flowsheet with each circuit as chosen (plants owned) */
    RxFlowsheetResult *solved;               /* its solution with those circuits (owned) */
    RxDesignResult *design[RX_MAX_CIRCUITS]; /* each searched circuit's last search (owned; NULL: not searched) */
    int passes;                              /* passes of search and flowsheet solve */
    int settled;                             /* the last pass changed no circuit's choice */
} RxPlantwide;

/* Design fs as a whole.  RX_OK with *out (free with rx_plantwide_free);
 * RX_UNMET naming the circuit when one of its searches finds no candidate
 * that meets its targets as the flowsheet feeds it; the flowsheet's
 * errors.  share (NULL: none): each search's tasks over processes, as
 * rx_design_shared; every process then takes the same choices. */
int rx_plantwide_design(const RxFlowsheet *fs, const RxDesignShare *share, RxPlantwide *out, RxError *err);
void rx_plantwide_free(RxPlantwide *w);
/* Does circuit c of fs have a stage search (design.stages or its default)? */
int rx_plantwide_searches(const RxFlowsheet *fs, int c);

#endif
