/*
 * rx.h - public interface of libreesx: the one header a library user includes.
 *
 * A plant (one counter-current circuit of mixer-settler stages) is read from a
 * libconfig file into plain validated structs (rx_plant_load), solved to steady
 * state (rx_circuit_solve), simulated in time (rx_simulate), joined to others
 * in a flowsheet (rx_flowsheet_solve), searched for a design (rx_design),
 * costed (rx_cost) and written out (rx_write_*).  The core never prints and
 * never exits: every call returns an RxStatus and fills an RxError.
 *
 * Units everywhere inside: concentrations mol/L, flows L/h, molar flows mol/h.
 * Stages are numbered along the organic flow: organic enters stage 1, the
 * raffinate leaves stage 1 (0-based indices in arrays, 1-based in messages).
 */
#ifndef RX_H
#define RX_H

#include "core/error.h"     /* status codes, RxError */
#include "core/elements.h"  /* element data */
#include "core/plant.h"     /* the plant description */
#include "models/model.h"   /* equilibrium models: the contract, the registry, provenance */
#include "solver/circuit.h" /* steady state, streams and products */
#include "solver/dynamics.h"
#include "solver/flowsheet.h"
#include "solver/warmstart.h" /* starts from a solution of a similar plant */
#include "solver/continuation.h" /* one parameter moved in warm-started steps */
#include "design/theory.h"  /* cascade theory (Xu Guangxian) */
#include "design/search.h"  /* design search */
#include "design/spec.h"    /* design specifications */
#include "design/plantwide.h" /* reesx design on a flowsheet */
#include "design/targets.h" /* what a solved circuit achieves of design targets */
#include "design/cost.h"    /* refinery cost */
#include "fit/fit.h"        /* fitting constants to shake-out data */
#include "uncertainty/uncertainty.h" /* sampling constants and feeds: the probability of meeting targets */
#include "config/config.h"  /* reading plants and flowsheets */
#include "output/output.h"  /* CSV and JSON files */
#include "report/report.h"  /* report.html of a run's outputs */

#endif
