/*
 * design/window.h - the operating window of a solved design (docs/design.md,
 * "Operating window"): for each variable an operator moves, the range over
 * which every target still holds with the others where they are.
 *
 * The variables: every feed's flow; the free acid and the grade (all its
 * rare earths scaled together) of each aqueous feed that carries rare
 * earths.  A design's specs are held along the window, re-solved at every
 * point as a plant's controls would hold them, so their own variables are
 * not window variables, and an end where they can no longer be held is
 * RX_WINDOW_END_SPECS.  The targets: design.targets and the specs'
 * targets, each read as an inequality ("at least", "at most"), met to
 * within RX_SPEC_TOL of its margin (design/spec.h).
 *
 * Each end is found by walking out from the design's value in steps that
 * double (each circuit solved from the last), then Brent's method (GSL) on
 * the step where a target fails, to a relative RX_WINDOW_XTOL of the value.
 */
#ifndef RX_WINDOW_H
#define RX_WINDOW_H

#include "solver/circuit.h"

/* Variables a window result holds at most (the first feeds' when a plant has more). */
#define RX_MAX_WINDOWS 64
/* How far the walk looks, as a share of the value either way (a flow
 * design.flows varies: its own range). */
#define RX_WINDOW_SPAN 0.5
/* The first step of the walk, as a share of the value; each next doubles. */
#define RX_WINDOW_STEP0 0.005
/* An end is located to this share of the value. */
#define RX_WINDOW_XTOL 1e-6

enum { RX_WINDOW_FLOW = 0, RX_WINDOW_ACID = 1, RX_WINDOW_GRADE = 2 };
/* What ends a window at one side, besides a target (its index, >= 0). */
enum { RX_WINDOW_END_RANGE = -1, RX_WINDOW_END_UNSOLVED = -2, RX_WINDOW_END_SPECS = -3 };

typedef struct RxWindow {
    int kind;            /* RX_WINDOW_* */
    int index;           /* the feed */
    char label[RX_NAME_LEN + 32];
    const char *unit;    /* "L/h", "mol/L H+", "x" (grade: times the design's) */
    double value;        /* at the design, in the window's own unit (grade 1) */
    double low, high;    /* the window's ends */
    int low_end, high_end; /* the target (index into rx_window_target) that ends each side, or RX_WINDOW_END_* */
    double range_lo, range_hi; /* how far the walk looked */
} RxWindow;

typedef struct RxWindowResult {
    int n;
    RxWindow w[RX_MAX_WINDOWS];
    int met;             /* every target holds at the design itself (else no window: n = 0) */
    int unmet;           /* the first target that does not, when !met */
    int solves;          /* circuits solved */
} RxWindowResult;

/* The window of every variable of plant p around its solved circuit s.
 * RX_OK (out->met 0 when a target fails at the design itself);
 * RX_BAD_INPUT when p has no targets (no design group's targets or specs). */
int rx_window(const RxPlant *p, const RxSolution *s, RxWindowResult *out, RxError *err);
/* The window of one variable (kind RX_WINDOW_*, feed index) of
 * p around its solved circuit s; *solves counts the circuits. */
void rx_window_var(const RxPlant *p, const RxSolution *s, int kind, int index, RxWindow *w, int *solves);
/* The targets a window keeps: design.targets, then the specs' targets. */
int rx_window_ntargets(const RxPlant *p);
const RxTarget *rx_window_target(const RxPlant *p, int t);
/* The share a window extends either way of its value: min(value - low,
 * high - value) / value. */
double rx_window_halfwidth(const RxWindow *w);

#endif
