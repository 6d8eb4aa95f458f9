/*
 * solver/circuit.h - steady state of one counter-current circuit, and the
 * streams, products and reagents of a solution.
 */
#ifndef RX_CIRCUIT_H
#define RX_CIRCUIT_H

#include "core/plant.h"

typedef struct RxSolution {
    int N, M;
    double *A, *O;       /* N: aqueous / organic outflow of each stage, L/h */
    double *x, *y;       /* N*M: aqueous / organic mol/L, stage-major */
    double *h, *d;       /* N: [H+] mol/L, free dimer (HA)2 mol/L */
    double *cl;          /* N: chloride leaving in the aqueous, mol/h */
    double *T;           /* N*M: total entering each stage, mol/h */
    double *org_in_aq;   /* N: organic entrained in each stage's aqueous outflow, L/h (0 without entrainment) */
    double *aq_in_org;   /* N: aqueous entrained in each stage's organic outflow, L/h */
    double *guess;       /* 2N: each stage solve's own variables at the solution (RxModelType.split's
                          * guess; 0, 0: none), a warm start's stage guesses */
    int iterations;      /* circuit Newton iterations */
    int stage_iterations;/* total stage-solve iterations */
    double residual;     /* max |log residual| */
    int worst_stage, worst_species; /* where the residual is largest */
    double *closure;     /* M: (in - out)/in per species */
    double max_closure;
} RxSolution;

/* Largest |(in - out)/in| of any species a solved circuit may show. */
#define RX_CLOSURE_TOL 1e-9

/* Solve the circuit's steady state.  RX_NOT_CONVERGED (err names the stage
 * and element of the largest residual) when the residual does not reach the
 * tolerance or the mass balance does not close to RX_CLOSURE_TOL. */
int rx_circuit_solve(const RxPlant *p, RxSolution **out, RxError *err);
/* The same, starting from start, a solution of this circuit with other
 * constants or flows (same stages and species): its totals and stage
 * guesses, marched from with the first step Newton on the steady residual,
 * for at most 40 iterations (docs/model.md, "Start"); a cold start when
 * start is NULL, differs in size, or the march does not converge from it. */
int rx_circuit_solve_from(const RxPlant *p, const RxSolution *start, RxSolution **out, RxError *err);
/* Only the warm start of rx_circuit_solve_from: RX_NOT_CONVERGED, with no
 * cold solve, when start is NULL, differs in size or the march from it
 * does not converge.  For callers with other starts to try first. */
int rx_circuit_solve_warm(const RxPlant *p, const RxSolution *start, RxSolution **out, RxError *err);
void rx_solution_destroy(RxSolution **s);
/* A zeroed solution for N stages and M species; RX_NO_MEMORY if not. */
int rx_solution_alloc(RxSolution **out, int N, int M);
/* RX_OK when every number of solution s of plant p that an output shows is
 * finite and each stage has [H+] > 0 (>= 0 for a model that does not use
 * the acid); otherwise RX_NOT_CONVERGED naming the stage and the number. */
int rx_solution_check(const RxPlant *p, const RxSolution *s, RxError *err);


/* A stream leaving the circuit or entering it, evaluated on a solution. */
typedef struct RxStream {
    char name[RX_NAME_LEN];
    int phase;
    int stage;           /* 0-based */
    double flow;         /* L/h */
    double c[RX_MAX_SPECIES]; /* mol/L */
    double h;            /* aqueous [H+] mol/L, 0 for organic */
} RxStream;

/* Every outlet stream: raffinate, organic, then draws.  Returns count,
 * fills up to max entries. */
int rx_outlets(const RxPlant *p, const RxSolution *s, RxStream *out, int max);
/* Outlet by name; RX_BAD_INPUT if none. */
int rx_outlet(const RxPlant *p, const RxSolution *s, const char *name, RxStream *out);

typedef struct RxProductReport {
    double flow;           /* L/h */
    double reo;            /* g/h REO of every REE in the stream */
    double target_reo;     /* g/h REO of the target elements */
    double purity;         /* % of REO that is target REO */
    double recovery;       /* % of target fed that leaves in this stream */
} RxProductReport;

int rx_product_report(const RxPlant *p, const RxSolution *s, int product,
                      RxProductReport *out, RxError *err);

/* Reagents fed, mol/h: HCl (all chloride fed as acid or salt is not counted;
 * only free acid H+) and base (saponification). */
void rx_reagents(const RxPlant *p, double *acid_mol_h, double *base_mol_h);
/* Share (fraction) of a product's REO that the elements el[0..nel) make up. */
double rx_product_share(const RxPlant *p, const RxSolution *s, int product, const int *el, int nel);

#endif
