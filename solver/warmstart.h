/*
 * solver/warmstart.h - starts for the steady circuit solver taken from a
 * solution of a similar plant (docs/model.md, "Warm starts and
 * continuation").
 *
 * rx_circuit_solve_from marches from a solution with the same stages and
 * species and falls back to the cold solve when that fails.  A
 * design search or a flowsheet pass solves plants that differ from the last
 * one solved in stage counts and flows only; rx_solution_remap carries that
 * last solution over to the new stage counts so Newton can start from it.
 */
#ifndef RX_WARMSTART_H
#define RX_WARMSTART_H

#include "solver/circuit.h"
#include "solver/stagemap.h"

/* 1 when plants a and b have the same sections (count, names, order) and
 * the same species (elements, order), whatever their stage counts, flows
 * or constants: a solution of one can start the other.  0 otherwise. */
int rx_plants_alike(const RxPlant *a, const RxPlant *b);

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
