/*
 * theory.c - Xu Guangxian's design formulas for a binary split with
 * constant separation factor (docs/model.md, "Cascade theory").
 *
 * Per unit metal fed, aqueous feed: the organic carries S through both
 * sections, the aqueous W in the scrub and W + 1 in the extraction section;
 * S - W = f_A'.  Extraction ratios E_M = S/(W + 1), E'_M = S/W, hence
 * E'_M = E_M f_B'/(E_M - f_A').  The optimum sets E_M = 1/sqrt(beta) when
 * the extraction section controls (f_B' > sqrt(beta)/(1 + sqrt(beta))),
 * otherwise E'_M = sqrt(beta).  Stages: n = lg b/lg(beta E_M) and
 * m = lg a/lg(beta/E'_M).  Total reflux: n + m = lg(ab)/lg(beta) (Fenske).
 * Least fluxes: the operating lines pinch at the feed stage, where the
 * aqueous holds the feed and the organic y* = beta f_A/(1 + (beta-1) f_A).
 */
#include "design/theory.h"

#include <math.h>

int rx_xu_design(double beta, double fA, double PA, double PB, RxXuDesign *o, RxError *err)
{
    if (!(beta > 1.0) || !isfinite(beta))
        return rx_error_set(err, RX_BAD_INPUT, NULL, "separation factor %g: must be above 1", beta);
    if (!(fA > 0 && fA < 1))
        return rx_error_set(err, RX_BAD_INPUT, NULL, "feed share of A %g: must be between 0 and 1", fA);
    double fB = 1.0 - fA;
    if (!(PA > fA && PA < 1))
        return rx_error_set(err, RX_BAD_INPUT, NULL,
                            "organic product purity %g: must exceed the feed's %g and be below 1", PA, fA);
    if (!(PB > fB && PB < 1))
        return rx_error_set(err, RX_BAD_INPUT, NULL,
                            "raffinate purity %g: must exceed the feed's %g and be below 1", PB, fB);
    RxXuDesign d = {.beta = beta, .fA = fA, .PA = PA, .PB = PB};
    d.fAp = (fA - (1.0 - PB)) / (PA - (1.0 - PB));
    d.fBp = 1.0 - d.fAp;
    d.a = PA / (1.0 - PA) / (fA / fB);
    d.b = PB / (1.0 - PB) / (fB / fA);
    double rb = sqrt(beta);
    d.scrub_controlled = !(d.fBp > rb / (1.0 + rb));
    if (d.scrub_controlled) {
        d.EMs = rb;
        d.EM = d.EMs * d.fAp / (d.EMs - d.fBp);
    } else {
        d.EM = 1.0 / rb;
        d.EMs = d.EM * d.fBp / (d.EM - d.fAp);
    }
    d.S = d.EM * d.fBp / (1.0 - d.EM);
    d.W = d.S - d.fAp;
    d.n = log(d.b) / log(beta * d.EM);
    d.m = log(d.a) / log(beta / d.EMs);
    d.nmin = log(d.b) / log(beta);
    d.mmin = log(d.a) / log(beta);
    double ystar = beta * fA / (1.0 + (beta - 1.0) * fA);
    d.Wmin = d.fAp * (PA - ystar) / (ystar - fA);
    d.Smin = d.Wmin + d.fAp;
    *o = d;
    return RX_OK;
}
