/*
 * design/targets.h - what a solved circuit achieves of design targets
 * (docs/design.md): used by the design search, the spec solve and the
 * operating window alike.
 */
#ifndef RX_TARGETS_H
#define RX_TARGETS_H

#include "solver/circuit.h"

/* The value target t reaches in the solved circuit (q, s): a fraction for
 * purity, recovery and share, a pH for the pH targets; NaN when the
 * product's stream cannot be reported or has no pH. */
double rx_target_value(const RxPlant *q, const RxSolution *s, const RxTarget *t);
/* 1 when v (finite) meets t. */
int rx_target_met(const RxTarget *t, double v);
/* How far v is past t, on the scale the spec solve works on: the change
 * in ln(1 - v) for purity and recovery (the impurity, or the loss, varies
 * about exponentially with flows and stages), in ln v for a share, in pH
 * for pH.  Positive when t is met, 0 on it; NaN when v is not finite. */
double rx_target_margin(const RxTarget *t, double v);
/* Every target of d in (q, s): achieved[t] per target; 1 when all are met. */
int rx_targets_achieved(const RxPlant *q, const RxSolution *s, const RxDesignSpec *d, double *achieved);
/* v in the units targets are shown in (% for fractions, pH as it is)
 * and the unit's name ("%" or "-"). */
double rx_target_shown(const RxTarget *t, double v);
const char *rx_target_unit(const RxTarget *t);
/* 1 when a is closer to meeting t than b (NaN is never closer). */
int rx_target_closer(const RxTarget *t, double a, double b);
/* kg of HCl plus base fed per kg of REO fed (INFINITY with no REO fed). */
double rx_reagents_per_kg(const RxPlant *q);

#endif
