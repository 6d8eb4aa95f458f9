/*
 * solver/dyn_internal.h - what the files of the dynamic model share
 * (internal to solver/dynamics.c and solver/dyn_*.c):
 *   dyn_model.c     the state layout of the mixer-settlers and its right-hand
 *                   side, holdups, outlets, starts and time-series rows
 *   dyn_linsolve.c  the Jacobian matrix and the block linear solver
 *                   CVODES' Newton uses
 *   dyn_state.c     the state file simulate writes and restarts from
 *   dynamics.c      the CVODES driver: rx_simulate, events, statistics
 * Only dynamics.c includes CVODES; the others see plain arrays, and the
 * linear solver SUNDIALS' vector, matrix and linear-solver types.
 */
#ifndef RX_DYN_INTERNAL_H
#define RX_DYN_INTERNAL_H

#include "core/flows.h"
#include "solver/dynamics.h"

#include <stddef.h>
#include <sundials/sundials_linearsolver.h>
#include <sundials/sundials_matrix.h>

/* The model of one run.  State layout, per stage k from off[k]:
 *   [aqueous tanks, last first][mixer][organic tanks]
 * the mixer between what flows into it from both neighbours; an aqueous
 * compartment holds M metals and chloride (M + 1), an organic one M metals.
 * Amounts are mol. */
typedef struct RxDyn {
    const RxPlant *p;       /* borrowed */
    int N, M, n;            /* stages, species, state size */
    int *off, *nt;          /* per stage: block offset (N + 1), settler tanks */
    double *Vaq, *Vorg;     /* mixer phase volumes, L */
    double *Vta, *Vto;      /* volume of one aqueous / organic settler tank, L */
    RxFeed *feeds;          /* feeds as events have left them */
    RxFlows fl;             /* current flows */
    double *x, *y, *h, *d;  /* mixer equilibrium of the last evaluation */
    double *guess;          /* 2 per stage */
    int bad_stage;          /* stage whose equilibrium failed, -1 */
    double raff_h, raff_cl; /* the raffinate's [H+] and chloride (mol/L) of the last row */
} RxDyn;

/* Index of stage k's mixer (M metals, then chloride). */
static inline int rx_dyn_mixer_index(const RxDyn *D, int k)
{
    return D->off[k] + D->nt[k] * (D->M + 1);
}

/* Aqueous tank t (0 next to the mixer) of stage k. */
static inline int rx_dyn_aq_tank_index(const RxDyn *D, int k, int t)
{
    return D->off[k] + (D->nt[k] - 1 - t) * (D->M + 1);
}

/* Organic tank t (0 next to the mixer) of stage k. */
static inline int rx_dyn_org_tank_index(const RxDyn *D, int k, int t)
{
    return rx_dyn_mixer_index(D, k) + (D->M + 1) + t * D->M;
}

/* ---- dyn_model.c ---- */

/* Layout and holdup volumes of p's cascade from its design (initial) flows.
 * D is zeroed first, so rx_dyn_free is safe after any failure.
 * RX_NO_MEMORY, or RX_BAD_INPUT for a stage without one of the phases. */
int rx_dyn_setup(RxDyn *D, const RxPlant *p, RxError *err);
void rx_dyn_free(RxDyn *D);

/* Equilibrium of every mixer at state u (into D->x, y, h, d).  1 when a
 * stage's split fails (D->bad_stage names it), else 0. */
int rx_dyn_split_mixers(RxDyn *D, const double *u);
/* du/dt at u (both n).  0, or 1 (recoverable) when a mixer split fails. */
int rx_dyn_rhs(RxDyn *D, const double *u, double *du);
/* Metal leaving the circuit at u, mol/h of each species (rate: M). */
int rx_dyn_outflow_rates(RxDyn *D, const double *u, double *rate);
/* Amount of each species held in the whole circuit, mol (hold: M). */
void rx_dyn_holdup(const RxDyn *D, const double *u, double *hold);
/* Liquid held in the whole circuit, L: the scale of an amount in mol. */
double rx_dyn_circuit_volume(const RxDyn *D);
/* Absolute tolerance of each component (at: n): atol (mol/L) times the
 * volume of its compartment. */
void rx_dyn_abs_tolerances(const RxDyn *D, double atol, double *at);
/* Name of state component i: "stage 12/settler aqueous tank 2/Nd". */
void rx_dyn_component_name(const RxDyn *D, int i, char *out, size_t n);

/* Starts: barren (acid and fresh organic), or the steady state of the
 * initial feeds (rx_circuit_solve's errors). */
void rx_dyn_start_barren(const RxDyn *D, double *u);
int rx_dyn_start_steady(const RxDyn *D, double *u, RxError *err);

/* Time series: the columns, their headers (ncols of them) and the row of
 * time t at u (after rx_dyn_split_mixers).  The row returns -1 when every
 * number in it is finite, else the first column that is not (the raffinate
 * pH when its [H+], D->raff_h, is not above 0). */
int rx_dyn_series_columns(const RxPlant *p);
void rx_dyn_series_header(const RxPlant *p, char (*h)[80]);
int rx_dyn_series_row(RxDyn *D, const double *u, double t, double *row);
/* The stage profile of u (after rx_dyn_split_mixers) as a steady-state-shaped
 * solution; NULL when out of memory. */
RxSolution *rx_dyn_profile(RxDyn *D, const double *u);
/* First output time after which column col of r stays within tol (relative)
 * of its last value (a column still moving at the end gives a time near it). */
double rx_dyn_settle_time(const RxSimResult *r, int col, double tol);

/* ---- dyn_linsolve.c ---- */

/* J of model D (borrowed) as a SUNMatrix: the mixers' split derivatives,
 * with the tank and flow terms implied.  It supports what CVLS does with a
 * matrix (clone, destroy, zero, copy, scale and add the identity).  NULL
 * when out of memory.  Freed with SUNMatDestroy. */
SUNMatrix rx_dyn_jac_create(RxDyn *D, SUNContext sctx);
/* Evaluate J at state u (mol, n) into A.  0, or 1 when a mixer's
 * equilibrium fails (recoverable: CVODES retries with a smaller step). */
int rx_dyn_jac_eval(SUNMatrix A, const double *u);
/* A direct SUNLinearSolver for (I - gamma J) x = b of model D (borrowed),
 * J a matrix of rx_dyn_jac_create: setup factors, solve sweeps.  NULL when
 * out of memory.  Freed with SUNLinSolFree. */
SUNLinearSolver rx_dyn_linsolve_create(RxDyn *D, SUNContext sctx);

/* ---- dyn_state.c ---- */

/* Read u (n) and its time *t0 (h) from p->dynamics.state_file; RX_BAD_INPUT
 * naming the file when it is not a state of this plant or not before the
 * horizon.  rx_write_state (solver/dynamics.h) writes it. */
int rx_dyn_start_from_file(const RxDyn *D, double *u, double *t0, RxError *err);

#endif
