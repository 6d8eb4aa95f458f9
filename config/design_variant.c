/* design_variant.c - a design candidate written back as a runnable plant
 * description (the design.cfg of reesx design). */
#include "config/config.h"

int rx_design_variant(const RxPlant *p, const RxCandidate *c, char **text, RxError *err)
{
    const RxDesignSpec *d = &p->design;
    int sec[RX_MAX_DESIGN_VARS];
    RxFeedSet fs[RX_MAX_DESIGN_VARS];
    for (int i = 0; i < d->nstage_vars; i++)
        sec[i] = d->stage_vars[i].section;
    for (int i = 0; i < d->nflow_vars; i++)
        fs[i] = (RxFeedSet){.feed = d->flow_vars[i].feed, .flow = c->flows[i], .acid = -1, .ncomp = 0};
    return rx_plant_variant(p, d->nstage_vars, sec, c->stages, d->nflow_vars, fs, text, err);
}
