/*
 * solver/warmstart.h - starts for the steady circuit solver taken from a
 * solution of a similar plant (docs/model.md, "Warm starts and
 * continuation").
 *
 * rx_circuit_solve_from starts plain Newton from a solution with the same
 * stages and species and falls back to the cold solve when that fails.  A
 * design search or a flowsheet pass solves plants that differ from the last
 * one solved in stage counts and flows only; rx_solution_remap carries that
 * last solution over to the new stage counts so Newton can start from it.
 */
#ifndef RX_WARMSTART_H
#define RX_WARMSTART_H

#include "solver/circuit.h"

/* 1 when plants a and b have the same sections (count, names, order) and
 * the same species (elements, order), whatever their stage counts, flows
 * or constants: a solution of one can start the other.  0 otherwise. */
int rx_plants_alike(const RxPlant *a, const RxPlant *b);

/* How a section's profile follows its new stage count:
 *   RX_REMAP_STRETCH  stage i of n takes the old profile at relative
 *                     position i/(n - 1), interpolated linearly in ln T
 *                     (a section of one stage in `from` gives its only
 *                     stage to every stage; one of one stage in `to` takes
 *                     the middle of the old one);
 *   RX_REMAP_PINCH    the ends keep their profile stage for stage, and the
 *                     stages are added (interpolated in ln T) or taken
 *                     where the profile is flat: in a long section that is
 *                     the pinch between the fronts, where a real cascade
 *                     puts its extra stages too (rx_section_positions).
 * Neither is right for every change (docs/model.md, "Warm starts and
 * continuation"): stretching suits short sections, the pinch long ones. */
enum { RX_REMAP_STRETCH = 0, RX_REMAP_PINCH = 1 };

/* Where the m stages of a section sit on its n stages in a profile lnT
 * (n stages of M, ln T): t[0..m) in those stages' numbers, 0 .. n - 1,
 * fractional between two stages.  RX_REMAP_PINCH with stages added keeps
 * one interval for each old one and shares the added stages out where the
 * profile is flat (in proportion to 1/(0.01 + the largest change in ln T of
 * a component that is at least 1 % of its stage's metal)); with stages
 * taken, takes them one at a time from the interval that changes least,
 * never an end while others remain.  scratch: 2n doubles. */
void rx_section_positions(int n, int m, int M, const double *lnT, int mode, double *t, double *scratch);
/* to[i] (w values each) interpolated linearly in from (n rows of w) at
 * position t[i] (rx_section_positions), for i < m. */
void rx_section_interpolate(int n, int w, const double *from, const double *t, int m, double *to);

/* A start for plant `to` from solution s of plant `from` (borrowed): each
 * section of `to` takes the ln T profile (the totals entering each stage,
 * mol/h, per species) of the same section of `from`, carried over to its
 * stage count as mode (RX_REMAP_*) says.  Only N, M and T of *out are set;
 * pass it as the start of rx_circuit_solve_from and destroy it with
 * rx_solution_destroy.  RX_OK; RX_BAD_INPUT (*out NULL) for an unknown
 * mode, plants that are not alike, or s not a solution of `from` (its N or
 * M differs, a total is not positive and finite): solve cold then.
 * RX_NO_MEMORY. */
int rx_solution_remap(const RxPlant *from, const RxSolution *s, const RxPlant *to, int mode, RxSolution **out,
                      RxError *err);

#endif
