/*
 * design/theory.h - cascade theory (Xu Guangxian): a binary A/B split with
 * constant separation factor beta = D_A/D_B (A the better extracted), aqueous
 * feed at the last extraction stage, products A in the organic and B in the
 * raffinate.  Fluxes are metal per unit metal fed (mol/mol); formulas and
 * their accuracy in docs/model.md.
 */
#ifndef RX_THEORY_H
#define RX_THEORY_H

#include "core/error.h"

typedef struct RxXuDesign {
    double beta, fA, PA, PB;   /* inputs: A share of the feed metal, product purities */
    double fAp, fBp;           /* shares of the feed metal leaving in the organic / aqueous product */
    double a, b;               /* purification factors of A in the organic, B in the raffinate */
    int scrub_controlled;      /* the scrub section sets the optimum (f_B' <= sqrt(beta)/(1+sqrt(beta))) */
    double EM, EMs;            /* optimum extraction ratios of the extraction / scrub section */
    double S, W;               /* organic metal flux; aqueous metal flux of the scrub section */
    double n, m;               /* extraction and scrub stages at the optimum (not rounded) */
    double nmin, mmin;         /* stages at total reflux: n + m = lg(ab)/lg(beta) (Fenske) */
    double Smin, Wmin;         /* least fluxes that reach the purities (pinch at the feed stage) */
} RxXuDesign;

/* RX_BAD_INPUT (err says which) unless beta > 1, 0 < fA < 1 and the purities
 * exceed the feed's own (PA > fA, PB > 1 - fA) and are below 1. */
int rx_xu_design(double beta, double fA, double PA, double PB, RxXuDesign *out, RxError *err);

#endif
