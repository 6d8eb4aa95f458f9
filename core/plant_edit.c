/*
 * plant_edit.c - plants copied and edited in memory.
 *
 * The design search and the flowsheet passes solve many variants of one
 * plant: other stage counts, other feed flows, a feed that is another
 * circuit's outlet.  A copy shares the element table and the model (both
 * read-only, reference counted) and duplicates the rest; an edit then
 * changes what the description would have said and recomputes what the
 * loader derives from it: stage positions, chloride of an aqueous feed, the
 * species list.  When the species change, the model no longer fits: the copy
 * drops it and its owner builds a new one (rx_model_build in models/).
 */
#include "core/plant.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* n items of size bytes copied from src (NULL when src is NULL); 0 on no memory. */
static int dup_array(void **dst, const void *src, int n, size_t size)
{
    *dst = NULL;
    if (!src)
        return 1;
    size_t bytes = (size_t)(n > 0 ? n : 1) * size;
    if (!(*dst = malloc(bytes)))
        return 0;
    memcpy(*dst, src, bytes);
    return 1;
}

int rx_plant_copy(const RxPlant *p, RxPlant **out, RxError *err)
{
    *out = NULL;
    RxPlant *q = malloc(sizeof *q);
    if (!q)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    *q = *p;
    q->sections = NULL;
    q->feeds = NULL;
    q->draws = NULL;
    q->products = NULL;
    q->dynamics.events = NULL;
    q->dynamics.watch = NULL;
    q->source_text = NULL;
    q->elements = rx_elements_retain(p->elements);
    if (p->model)
        atomic_fetch_add(&p->model->refs, 1);
    int ok = dup_array((void **)&q->sections, p->sections, p->nsections, sizeof *p->sections) &&
             dup_array((void **)&q->feeds, p->feeds, p->nfeeds, sizeof *p->feeds) &&
             dup_array((void **)&q->draws, p->draws, p->ndraws, sizeof *p->draws) &&
             dup_array((void **)&q->products, p->products, p->nproducts, sizeof *p->products) &&
             dup_array((void **)&q->dynamics.events, p->dynamics.events, p->dynamics.nevents,
                       sizeof *p->dynamics.events) &&
             dup_array((void **)&q->dynamics.watch, p->dynamics.watch, p->dynamics.nwatch,
                       sizeof *p->dynamics.watch) &&
             (!p->source_text || (q->source_text = strdup(p->source_text)));
    if (!ok) {
        rx_plant_destroy(&q);
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    }
    *out = q;
    return RX_OK;
}

/* A stage reference placed in the sections as they are now; RX_BAD_INPUT
 * where the loader would refuse it: a numbered stage no longer in the
 * circuit, or a position beyond its section's stages. */
static int place(const RxPlant *p, RxStageRef ref, int *stage, const char *what, RxError *err)
{
    if (ref.section >= 0 && ref.offset >= p->sections[ref.section].count)
        return rx_error_set(err, RX_BAD_INPUT, p->path, "%s: position %d of section '%s' is beyond its %d stages",
                            what, ref.offset + 1, p->sections[ref.section].name, p->sections[ref.section].count);
    *stage = rx_stage_of(p, ref, *stage);
    if (*stage >= p->nstages)
        return rx_error_set(err, RX_BAD_INPUT, p->path, "%s: stage %d does not exist (the circuit has stages 1..%d)",
                            what, *stage + 1, p->nstages);
    return RX_OK;
}

/* Every stage reference placed again, and the draws checked, once the
 * sections have their new counts. */
static int place_all(RxPlant *p, RxError *err)
{
    int rc = RX_OK;
    for (int i = 0; rc == RX_OK && i < p->nfeeds; i++)
        rc = place(p, p->feeds[i].ref, &p->feeds[i].stage, p->feeds[i].name, err);
    for (int i = 0; rc == RX_OK && i < p->dynamics.nevents; i++)
        rc = place(p, p->dynamics.events[i].state.ref, &p->dynamics.events[i].state.stage,
                   p->dynamics.events[i].state.name, err);
    for (int i = 0; rc == RX_OK && i < p->dynamics.nwatch; i++)
        rc = place(p, p->dynamics.watch[i].ref, &p->dynamics.watch[i].stage, "dynamics.watch", err);
    for (int i = 0; rc == RX_OK && i < p->ndraws; i++) {
        RxDraw *d = &p->draws[i];
        if ((rc = place(p, d->ref, &d->stage, d->name, err)) != RX_OK)
            break;
        int j = rx_draw_conflict(p, i);
        if (j == i)
            rc = rx_error_set(err, RX_BAD_INPUT, p->path, "%s: this outflow leaves the circuit anyway (use the %s product)",
                              d->name, d->phase == RX_AQ ? "raffinate" : "organic");
        else if (j >= 0)
            rc = rx_error_set(err, RX_BAD_INPUT, p->path, "%s: stage %d already has a %s draw", d->name, d->stage + 1,
                              d->phase == RX_AQ ? "aqueous" : "organic");
    }
    return rc;
}

int rx_plant_set_stages(RxPlant *p, int n, const int *sections, const int *stages, RxError *err)
{
    for (int k = 0; k < n; k++) {
        if (sections[k] < 0 || sections[k] >= p->nsections || stages[k] < 1 || stages[k] > RX_MAX_STAGES)
            return rx_error_set(err, RX_BAD_INPUT, p->path, "section %d cannot have %d stages", sections[k] + 1,
                                stages[k]);
        p->sections[sections[k]].count = stages[k];
    }
    long long total = 0; /* each count is at most RX_MAX_STAGES, and the sections RX_MAX_SECTIONS */
    for (int i = 0; i < p->nsections; i++)
        total += p->sections[i].count;
    if (total > RX_MAX_STAGES)
        return rx_error_set(err, RX_BAD_INPUT, p->path, "%lld stages in all: at most %d", total, RX_MAX_STAGES);
    p->nstages = 0;
    for (int i = 0; i < p->nsections; i++) {
        p->sections[i].first = p->nstages;
        p->nstages += p->sections[i].count;
    }
    return place_all(p, err);
}

int rx_draw_conflict(const RxPlant *p, int i)
{
    const RxDraw *d = &p->draws[i];
    if ((d->phase == RX_AQ && d->stage == 0) || (d->phase == RX_ORG && d->stage == p->nstages - 1))
        return i;
    for (int j = 0; j < i; j++)
        if (p->draws[j].phase == d->phase && p->draws[j].stage == d->stage)
            return j;
    return -1;
}

/* Old species index -> new one (-1: dropped) in every per-species field;
 * RX_BAD_INPUT when something still names a dropped species. */
static int remap_species(RxPlant *p, const int *map, int nold, RxError *err)
{
    const char *lost = NULL;
#define REMAP(x)                    \
    do {                            \
        int m_ = map[(x)];          \
        if (m_ < 0 && !lost)        \
            lost = "is named";      \
        (x) = m_;                   \
    } while (0)
    for (int i = 0; i < p->nproducts; i++)
        for (int k = 0; k < p->products[i].ntargets; k++)
            REMAP(p->products[i].targets[k]);
    for (int t = 0; t < p->design.ntargets; t++)
        for (int k = 0; k < p->design.targets[t].nel; k++)
            REMAP(p->design.targets[t].el[k]);
    for (int i = 0; i < p->dynamics.nwatch; i++)
        REMAP(p->dynamics.watch[i].species);
#undef REMAP
    for (int i = 0; i < p->dynamics.nevents; i++) {
        RxEvent *e = &p->dynamics.events[i];
        double c[RX_MAX_SPECIES] = {0};
        for (int j = 0; j < nold; j++)
            if (map[j] >= 0)
                c[map[j]] = e->state.c[j];
            else if ((e->sets & RX_SETS_COMPOSITION) && e->state.c[j] > 0 && !lost)
                lost = "is in a dynamics event"; /* other events take the feed's, replayed */
        memcpy(e->state.c, c, sizeof c);
    }
    if (lost)
        return rx_error_set(err, RX_BAD_INPUT, p->path, "an element the feeds no longer carry %s", lost);
    return RX_OK;
}

/* The species are the elements some feed carries, in element-table order,
 * with the base of a saponification among them (as the loader makes them).
 * nbefore: the species before the edit (any after them were added by it).
 * When they change, every per-species field follows and the model is dropped. */
static int refresh_species(RxPlant *p, int nbefore, RxError *err)
{
    int carried[RX_MAX_SPECIES] = {0}, n = 0, elems[RX_MAX_SPECIES];
    for (int j = 0; j < p->nsp; j++)
        for (int i = 0; i < p->nfeeds && !carried[j]; i++)
            carried[j] = p->feeds[i].c[j] > 0;
    for (int j = 0; j < p->nsp; j++)
        if (carried[j])
            elems[n++] = p->species[j];
    for (int i = 1; i < n; i++)
        for (int k = i; k > 0 && elems[k - 1] > elems[k]; k--) {
            int t = elems[k];
            elems[k] = elems[k - 1];
            elems[k - 1] = t;
        }
    int same = n == p->nsp && n == nbefore;
    for (int j = 0; same && j < n; j++)
        same = elems[j] == p->species[j];
    if (same)
        return RX_OK;
    int map[RX_MAX_SPECIES], nold = p->nsp;
    for (int j = 0; j < nold; j++) {
        map[j] = -1;
        for (int k = 0; k < n; k++)
            if (elems[k] == p->species[j])
                map[j] = k;
    }
    for (int i = 0; i < p->nfeeds; i++) {
        double c[RX_MAX_SPECIES] = {0};
        for (int j = 0; j < nold; j++)
            if (map[j] >= 0)
                c[map[j]] = p->feeds[i].c[j];
        memcpy(p->feeds[i].c, c, sizeof c);
    }
    for (int k = 0; k < n; k++) {
        p->species[k] = elems[k];
        p->charge[k] = p->elements->el[elems[k]].charge;
    }
    p->nsp = n;
    const RxElement *base = rx_elements_find(p->elements, rx_base_symbol(p));
    p->base_species = p->saponification > 0 && base ? rx_plant_species_of_element(p, (int)(base - p->elements->el)) : -1;
    rx_model_release(&p->model);
    return remap_species(p, map, nold, err);
}

/* Species index of element row elem once, in the order the loader first
 * meets it: the base of the saponification, then each feed's composition. */
static int meet(const RxPlant *p, int elem, int *met)
{
    int s = rx_plant_species_of_element(p, elem);
    if (s < 0 || met[s])
        return -1;
    met[s] = 1;
    return s;
}

/* Chloride of an edited aqueous feed with the metals summed in the order
 * the loader would meet them reading the edited plant, so that it agrees
 * with a loaded plant to the last bit. */
static void loader_chloride(const RxPlant *p, RxFeed *f)
{
    f->cl = rx_feed_acid_charge(p, f);
    int met[RX_MAX_SPECIES] = {0}, s;
    if (p->base_species >= 0 && (s = meet(p, p->species[p->base_species], met)) >= 0)
        f->cl += p->charge[s] * f->c[s];
    for (int i = 0; i < p->nfeeds; i++)
        for (int k = 0; k < p->feeds[i].norder; k++)
            if ((s = meet(p, p->feeds[i].order[k], met)) >= 0)
                f->cl += p->charge[s] * f->c[s];
    for (s = 0; s < p->nsp; s++) /* none is left unmet; the sum stays complete if one were */
        if (!met[s])
            f->cl += p->charge[s] * f->c[s];
}

/* The events on feed i replayed from the edited feed: each keeps what it
 * changes (RxEvent.sets) and takes the rest from the feed as the event
 * before it left it, as the loader builds them. */
static void replay_events(RxPlant *p, int i)
{
    const RxFeed *before = &p->feeds[i];
    for (int k = 0; k < p->dynamics.nevents; k++) {
        RxEvent *e = &p->dynamics.events[k];
        if (e->feed != i)
            continue;
        RxFeed st = *before;
        if (e->sets & RX_SETS_FLOW)
            st.flow = e->state.flow;
        if (e->sets & RX_SETS_ACID)
            st.h = e->state.h;
        for (int j = 0; (e->sets & RX_SETS_COMPOSITION) && j < p->nsp; j++)
            if (st.phase == RX_AQ || j != p->base_species)
                st.c[j] = e->state.c[j];
        if (e->sets & RX_SETS_SAPONIFICATION)
            st.sap = e->state.sap;
        if (st.phase == RX_AQ) {
            st.bisulfate = -1; /* an event gives no sulfate: its bisulfate is at equilibrium */
            rx_feed_chloride(p, &st);
        } else if (p->base_species >= 0)
            st.c[p->base_species] = st.sap * p->extractant_conc;
        e->state = st;
        before = &e->state;
    }
}

/* Put a feed set's composition into feed f (mol/L): the whole composition
 * is replaced, but the base of a saponified organic is the saponification's. */
static int set_composition(RxPlant *p, RxFeed *f, const RxFeedSet *fs, RxError *err)
{
    if (fs->ncomp > RX_MAX_SPECIES)
        return rx_error_set(err, RX_BAD_INPUT, p->path, "%s: %d elements is more than a plant carries (at most %d)",
                            f->name, fs->ncomp, RX_MAX_SPECIES);
    const RxElement *base = p->saponification > 0 ? rx_elements_find(p->elements, rx_base_symbol(p)) : NULL;
    for (int j = 0; j < p->nsp; j++)
        if (f->phase == RX_AQ || j != p->base_species)
            f->c[j] = 0;
    f->norder = 0;
    for (int k = 0; k < fs->ncomp; k++) {
        if (!(fs->conc[k] > 0))
            continue;
        const RxElement *e = rx_elements_find(p->elements, fs->sym[k]);
        if (!e || e->charge <= 0)
            return rx_error_set(err, RX_BAD_INPUT, p->path, "%s: '%s' is not a metal of the element data", f->name,
                                fs->sym[k]);
        if (!(fs->conc[k] <= RX_MAX_MOLAR))
            return rx_error_set(err, RX_BAD_INPUT, p->path,
                                "%s: %s mol/L of %s is more than a solution holds (at most %g mol/L)", f->name,
                                rx_fmt_beyond((char[RX_NUM_LEN]){0}, fs->conc[k], RX_MAX_MOLAR), fs->sym[k],
                                RX_MAX_MOLAR);
        int elem = (int)(e - p->elements->el), s = rx_plant_species_of_element(p, elem);
        if (s < 0 && (s = rx_plant_add_species(p, elem)) < 0)
            return rx_error_set(err, RX_BAD_INPUT, p->path, "%s: too many species (at most %d)", f->name,
                                RX_MAX_SPECIES);
        f->order[f->norder++] = elem;
        if (f->phase == RX_ORG && e == base)
            continue; /* the loader sets it from the saponification */
        f->c[s] = fs->conc[k];
    }
    return RX_OK;
}

int rx_plant_set_feed(RxPlant *p, const RxFeedSet *fs, RxError *err)
{
    if (fs->feed < 0 || fs->feed >= p->nfeeds)
        return rx_error_set(err, RX_BAD_INPUT, p->path, "feed %d cannot be set", fs->feed + 1);
    RxFeed *f = &p->feeds[fs->feed];
    if (fs->flow >= 0) {
        if (!(fs->flow > 0))
            return rx_error_set(err, RX_BAD_INPUT, p->path, "%s: flow must be positive [L/h]", f->name);
        f->flow = fs->flow;
    }
    if (fs->acid >= 0) {
        if (f->phase != RX_AQ || !(fs->acid > 0) || !(fs->acid <= RX_MAX_MOLAR))
            return rx_error_set(err, RX_BAD_INPUT, p->path,
                                "%s: free acid must be positive and at most %g mol/L, on an aqueous feed", f->name,
                                RX_MAX_MOLAR);
        f->h = fs->acid;
    }
    int nbefore = p->nsp, rc = fs->ncomp > 0 ? set_composition(p, f, fs, err) : RX_OK;
    if (rc == RX_OK && fs->ncomp > 0)
        rc = refresh_species(p, nbefore, err);
    if (rc == RX_OK && f->phase == RX_ORG && p->base_species >= 0)
        f->c[p->base_species] = f->sap * p->extractant_conc;
    for (int i = 0; rc == RX_OK && i < p->nfeeds; i++) /* a new species order can move any feed's last bit */
        if (p->feeds[i].phase == RX_AQ && (i == fs->feed || fs->ncomp > 0))
            loader_chloride(p, &p->feeds[i]);
    double amount, limit;
    const char *what = rc == RX_OK && f->phase == RX_AQ ? rx_feed_too_concentrated(p, f, &amount, &limit) : NULL;
    if (what)
        rc = rx_error_set(err, RX_BAD_INPUT, p->path, "%s: %s mol/L of %s is more than an aqueous dissolves "
                                                      "(at most %g mol/L)",
                          f->name, rx_fmt_beyond((char[RX_NUM_LEN]){0}, amount, limit), what, limit);
    if (rc == RX_OK)
        replay_events(p, fs->feed);
    return rc;
}

#define PERCENT 100.0

int rx_plant_set_saponification(RxPlant *p, double sap, RxError *err)
{
    char num[RX_NUM_LEN];
    if (!(sap >= 0 && sap < RX_MAX_SAPONIFICATION))
        return rx_error_set(err, RX_BAD_INPUT, p->path,
                            "extractant.saponification: %s %% is not feasible: saponification must be 0 to below 50 %% "
                            "(each Na(A.HA) holds two HA units) [%%]",
                            rx_fmt_beyond(num, sap * PERCENT, sap < 0 ? 0 : RX_MAX_SAPONIFICATION * PERCENT));
    if (p->base_species < 0 || !(p->saponification > 0))
        return rx_error_set(err, RX_BAD_INPUT, p->path,
                            "extractant.saponification: the plant is not saponified; an edit cannot bring the base in "
                            "(its species would change)");
    if (!(sap > 0))
        return rx_error_set(err, RX_BAD_INPUT, p->path,
                            "extractant.saponification: 0 %% would take the base out of the plant's species; an edit "
                            "keeps them (give a small value)");
    if (!(sap * p->extractant_conc >= RX_MIN_MOLAR))
        return rx_error_set(err, RX_BAD_INPUT, p->path,
                            "extractant.saponification: %.4g %% puts %.4g mol/L of base on the organic, below the least "
                            "amount reesx resolves (%g mol/L)",
                            sap * PERCENT, sap * p->extractant_conc, RX_MIN_MOLAR);
    double old = p->saponification;
    p->saponification = sap;
    for (int i = 0; i < p->nfeeds; i++) {
        RxFeed *f = &p->feeds[i];
        if (f->phase != RX_ORG || f->sap != old)
            continue; /* a feed with a saponification of its own keeps it */
        f->sap = sap;
        f->c[p->base_species] = sap * p->extractant_conc;
        replay_events(p, i);
    }
    return RX_OK;
}

int rx_plant_set_draw_fraction(RxPlant *p, int i, double f, RxError *err)
{
    if (i < 0 || i >= p->ndraws)
        return rx_error_set(err, RX_BAD_INPUT, p->path, "no draw %d", i + 1);
    if (!(f > 0 && f <= 1))
        return rx_error_set(err, RX_BAD_INPUT, p->path, "draw '%s': a fraction of %.6g %% is not above 0 and at most 100 %%",
                            p->draws[i].name, f * PERCENT);
    p->draws[i].fraction = f;
    return RX_OK;
}

int rx_model_spec_set_value(RxModelSpec *s, int elem, double v)
{
    for (int i = 0; i < s->nvalues; i++)
        if (s->value_elem[i] == elem) {
            s->value[i] = v;
            return RX_OK;
        }
    if (s->nvalues >= RX_MAX_VALUES)
        return RX_BAD_INPUT;
    s->value_elem[s->nvalues] = elem;
    s->value[s->nvalues++] = v;
    return RX_OK;
}
