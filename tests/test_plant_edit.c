/*
 * test_plant_edit.c - plants copied and edited in memory (core/plant_edit.c)
 * against the same variant written as libconfig text and read again
 * (rx_plant_variant + rx_plant_load_text, the loader's own answer): the
 * plants must agree field by field and their steady states bit for bit.
 */
#include "models/model.h"
#include "rx.h"
#include "support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The variant as text, read again. */
static RxPlant *by_text(const RxPlant *p, int nsec, const int *sec, const int *stages, int nfs, const RxFeedSet *fs)
{
    char *text = NULL;
    RxError err;
    cr_assert_eq(rx_plant_variant(p, nsec, sec, stages, nfs, fs, NULL, &text, &err), RX_OK, "%s", err.msg);
    RxPlant *q = NULL;
    cr_assert_eq(rx_plant_load_text(text, p->path, &q, &err), RX_OK, "%s: %s", err.where, err.msg);
    free(text);
    return q;
}

/* The same variant edited into a copy. */
static RxPlant *by_edit(const RxPlant *p, int nsec, const int *sec, const int *stages, int nfs, const RxFeedSet *fs)
{
    RxPlant *q = NULL;
    RxError err;
    cr_assert_eq(rx_plant_copy(p, &q, &err), RX_OK);
    cr_assert_eq(rx_plant_set_stages(q, nsec, sec, stages, &err), RX_OK, "%s", err.msg);
    for (int i = 0; i < nfs; i++)
        cr_assert_eq(rx_plant_set_feed(q, &fs[i], &err), RX_OK, "%s", err.msg);
    if (!q->model)
        cr_assert_eq(rx_model_build(q, &err), RX_OK, "%s", err.msg);
    return q;
}

static void expect_same_plant(const RxPlant *a, const RxPlant *b)
{
    cr_assert_eq(a->nsp, b->nsp);
    cr_assert_eq(a->nstages, b->nstages);
    cr_expect_eq(a->base_species, b->base_species);
    for (int j = 0; j < a->nsp; j++) {
        cr_expect_eq(a->species[j], b->species[j], "species %d", j);
        cr_expect_eq(a->charge[j], b->charge[j]);
    }
    for (int i = 0; i < a->nsections; i++) {
        cr_expect_eq(a->sections[i].first, b->sections[i].first, "section %d", i);
        cr_expect_eq(a->sections[i].count, b->sections[i].count, "section %d", i);
    }
    cr_assert_eq(a->nfeeds, b->nfeeds);
    for (int i = 0; i < a->nfeeds; i++) {
        const RxFeed *f = &a->feeds[i], *g = &b->feeds[i];
        cr_expect_eq(f->stage, g->stage, "feed %s", f->name);
        cr_expect_eq(f->flow, g->flow, "feed %s", f->name);
        cr_expect_eq(f->h, g->h, "feed %s", f->name);
        cr_expect_eq(f->cl, g->cl, "feed %s: chloride %.17g and %.17g", f->name, f->cl, g->cl);
        for (int j = 0; j < a->nsp; j++)
            cr_expect_eq(f->c[j], g->c[j], "feed %s species %d", f->name, j);
    }
    for (int i = 0; i < a->ndraws; i++)
        cr_expect_eq(a->draws[i].stage, b->draws[i].stage, "draw %s", a->draws[i].name);
    for (int i = 0; i < a->nproducts; i++)
        for (int k = 0; k < a->products[i].ntargets; k++)
            cr_expect_eq(a->products[i].targets[k], b->products[i].targets[k]);
    cr_assert_eq(a->dynamics.nevents, b->dynamics.nevents);
    for (int i = 0; i < a->dynamics.nevents; i++) {
        const RxFeed *f = &a->dynamics.events[i].state, *g = &b->dynamics.events[i].state;
        cr_expect_eq(f->stage, g->stage, "event %d", i);
        cr_expect_eq(f->flow, g->flow, "event %d", i);
        cr_expect_eq(f->h, g->h, "event %d", i);
        cr_expect_eq(f->sap, g->sap, "event %d", i);
        cr_expect_eq(f->cl, g->cl, "event %d: chloride %.17g and %.17g", i, f->cl, g->cl);
        for (int j = 0; j < a->nsp; j++)
            cr_expect_eq(f->c[j], g->c[j], "event %d species %d", i, j);
    }
    for (int i = 0; i < a->dynamics.nwatch; i++)
        cr_expect_eq(a->dynamics.watch[i].stage, b->dynamics.watch[i].stage, "watch %d", i);
}

static void expect_same_solution(const RxPlant *a, const RxPlant *b)
{
    RxSolution *s = NULL, *t = NULL;
    RxError err;
    cr_assert_eq(rx_circuit_solve(a, &s, &err), RX_OK, "%s", err.msg);
    cr_assert_eq(rx_circuit_solve(b, &t, &err), RX_OK, "%s", err.msg);
    cr_expect_eq(s->iterations, t->iterations);
    cr_expect_eq(memcmp(s->x, t->x, sizeof(double) * (size_t)(s->N * s->M)), 0, "aqueous profiles differ");
    cr_expect_eq(memcmp(s->y, t->y, sizeof(double) * (size_t)(s->N * s->M)), 0, "organic profiles differ");
    rx_solution_destroy(&s);
    rx_solution_destroy(&t);
}

/* Every shipped circuit with a design group, at the extremes of its stage
 * ranges and flows: stage positions move with their sections. */
Test(plant_edit, design_candidates_equal_the_text_round_trip, .timeout = 120)
{
    RxPlant *plants[RX_TEST_MAX_CONFIGS];
    const char *dirs[] = {"configs/ndpr_binary.cfg", "configs/ndpr_plant/lace_ndpr.cfg", "configs/ndpr_plant/seg.cfg",
                          "configs/heavy_plant/tb_dy.cfg", "configs/heavy_plant/hoyer.cfg"};
    int n = (int)(sizeof dirs / sizeof dirs[0]);
    for (int i = 0; i < n; i++)
        plants[i] = load_config(dirs[i]);
    for (int i = 0; i < n; i++) {
        const RxPlant *p = plants[i];
        const RxDesignSpec *d = &p->design;
        cr_assert(d->present, "%s has a design group", dirs[i]);
        for (int corner = 0; corner < 2; corner++) {
            int sec[RX_MAX_DESIGN_VARS], st[RX_MAX_DESIGN_VARS];
            RxFeedSet fs[RX_MAX_DESIGN_VARS];
            for (int k = 0; k < d->nstage_vars; k++) {
                sec[k] = d->stage_vars[k].section;
                st[k] = corner ? d->stage_vars[k].max : d->stage_vars[k].min + k;
            }
            for (int k = 0; k < d->nflow_vars; k++)
                fs[k] = (RxFeedSet){.feed = d->flow_vars[k].feed,
                                    .flow = corner ? d->flow_vars[k].max : d->flow_vars[k].min,
                                    .acid = -1};
            RxPlant *a = by_text(p, d->nstage_vars, sec, st, d->nflow_vars, fs);
            RxPlant *b = by_edit(p, d->nstage_vars, sec, st, d->nflow_vars, fs);
            expect_same_plant(a, b);
            if (corner)
                expect_same_solution(a, b);
            rx_plant_destroy(&a);
            rx_plant_destroy(&b);
        }
    }
    for (int i = 0; i < n; i++)
        rx_plant_destroy(&plants[i]);
}

/* Feed sets in element-table order, as another circuit's outlet gives them. */
static RxFeedSet feed_set(int feed, double flow, double acid, int n, const char *const *sym, const double *conc)
{
    RxFeedSet fs = {.feed = feed, .flow = flow, .acid = acid, .ncomp = 0};
    for (int k = 0; k < n; k++) {
        snprintf(fs.sym[fs.ncomp], RX_SYM_LEN, "%s", sym[k]);
        fs.conc[fs.ncomp++] = conc[k];
    }
    return fs;
}

/* A tear stream that brings elements the circuit file does not name: the
 * species are rebuilt in the loader's order, the chloride is summed as the
 * loader sums it, and the model is rebuilt. */
Test(plant_edit, new_elements_rebuild_the_species)
{
    RxPlant *p = load_config("configs/heavy_plant/tb_dy.cfg");
    const char *sym[] = {"Y", "Gd", "Tb", "Dy", "Ho", "Er", "Na"};
    const double conc[] = {1e-3, 0.021, 0.0082, 0.049, 8.6e-6, 2e-6, 1.17};
    RxFeedSet fs = feed_set(0, 125.5, 0.3, 7, sym, conc);
    RxPlant *a = by_text(p, 0, NULL, NULL, 1, &fs);
    RxPlant *b = by_edit(p, 0, NULL, NULL, 1, &fs);
    cr_expect_eq(b->nsp, p->nsp + 2, "Y and Er come in");
    cr_expect_neq(b->model, p->model, "a new species list needs a new model");
    expect_same_plant(a, b);
    expect_same_solution(a, b);
    rx_plant_destroy(&a);
    rx_plant_destroy(&b);
    rx_plant_destroy(&p);
}

/* Chloride is a sum over the feed's metals whose last bit depends on the
 * order of the terms: over many random tears it must match the loader's
 * every time (a sum in species order does not). */
Test(plant_edit, chloride_sums_in_the_loaders_order)
{
    RxPlant *p = load_config("configs/heavy_plant/tb_dy.cfg");
    const char *sym[] = {"Y", "Gd", "Tb", "Dy", "Ho", "Er", "Na"};
    unsigned long seed = 12345;
    for (int trial = 0; trial < 40; trial++) {
        double conc[7];
        for (int k = 0; k < 7; k++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            conc[k] = (double)(seed >> 11) / 9007199254740992.0 * (k == 6 ? 1.5 : 0.05);
        }
        RxFeedSet fs = feed_set(0, 130, 0.227, 7, sym, conc);
        RxPlant *a = by_text(p, 0, NULL, NULL, 1, &fs);
        RxPlant *b = by_edit(p, 0, NULL, NULL, 1, &fs);
        for (int i = 0; i < a->nfeeds; i++)
            cr_assert_eq(a->feeds[i].cl, b->feeds[i].cl, "trial %d, feed %s: %.17g and %.17g", trial,
                         a->feeds[i].name, a->feeds[i].cl, b->feeds[i].cl);
        rx_plant_destroy(&a);
        rx_plant_destroy(&b);
    }
    rx_plant_destroy(&p);
}

/* A feed whose composition names its elements out of table order, and a
 * tear that no longer carries one of them (Sm, which no product names). */
Test(plant_edit, an_element_no_feed_carries_leaves)
{
    RxPlant *p = load_text("version = 1;\n"
                           "extractant = { name = \"P507\"; concentration = \"1.5 mol/L\"; saponification = \"36 %\"; };\n"
                           "model = { type = \"mass_action\"; };\n"
                           "sections = ( { name = \"extraction\"; stages = 12; }, { name = \"scrub\"; stages = 10; } );\n"
                           "feeds = ( { name = \"feed\"; phase = \"aqueous\"; stage = \"extraction:last\"; flow = \"100 L/h\";\n"
                           "            acid = \"pH 2\"; composition = { Sm = \"1.5 g/L\"; Nd = \"18 g/L\"; Ce = \"70 g/L\";\n"
                           "            La = \"50 g/L\"; Pr = \"6.5 g/L\"; }; },\n"
                           "          { name = \"scrub acid\"; phase = \"aqueous\"; stage = \"scrub:last\"; flow = \"75 L/h\";\n"
                           "            acid = \"3 mol/L\"; },\n"
                           "          { name = \"fresh organic\"; phase = \"organic\"; stage = 1; flow = \"496 L/h\"; } );\n"
                           "products = ( { name = \"LaCe\"; stream = \"raffinate\"; targets = [\"La\", \"Ce\"]; },\n"
                           "             { name = \"NdPr\"; stream = \"organic\"; targets = [\"Pr\", \"Nd\"]; } );\n");
    const char *sym[] = {"La", "Ce", "Pr", "Nd"};
    const double conc[] = {0.31, 0.42, 0.039, 0.11};
    RxFeedSet fs = feed_set(0, 101.25, 0.0125, 4, sym, conc);
    RxPlant *a = by_text(p, 0, NULL, NULL, 1, &fs);
    RxPlant *b = by_edit(p, 0, NULL, NULL, 1, &fs);
    cr_expect_eq(rx_plant_species(b, "Sm"), -1, "Sm is no longer fed");
    expect_same_plant(a, b);
    expect_same_solution(a, b);
    rx_plant_destroy(&a);
    rx_plant_destroy(&b);
    rx_plant_destroy(&p);
}

/* A copy shares the model and the element table and outlives its original. */
Test(plant_edit, a_copy_outlives_its_original)
{
    RxPlant *p = load_config("configs/default.cfg"), *q = NULL;
    RxError err;
    cr_assert_eq(rx_plant_copy(p, &q, &err), RX_OK);
    cr_expect_eq(q->model, p->model);
    cr_expect_eq(q->elements, p->elements);
    cr_assert_eq(rx_plant_set_stages(q, 1, (int[]){0}, (int[]){12}, &err), RX_OK, "%s", err.msg);
    cr_expect_eq(p->sections[0].count, 30, "the original keeps its stages");
    rx_plant_destroy(&p);
    RxSolution *s = NULL;
    cr_assert_eq(rx_circuit_solve(q, &s, &err), RX_OK, "%s", err.msg);
    cr_expect_lt(s->max_closure, RX_CLOSURE_TOL);
    rx_solution_destroy(&s);
    rx_plant_destroy(&q);
}

/* What a loaded plant would refuse, an edit refuses too. */
Test(plant_edit, bad_edits_are_refused)
{
    RxPlant *p = load_config("configs/heavy_plant/tb_dy.cfg"), *q = NULL;
    RxError err;
    cr_assert_eq(rx_plant_copy(p, &q, &err), RX_OK);
    cr_expect_eq(rx_plant_set_stages(q, 1, (int[]){0}, (int[]){0}, &err), RX_BAD_INPUT);
    cr_expect_eq(rx_plant_set_feed(q, &(RxFeedSet){.feed = 0, .flow = 0, .acid = -1}, &err), RX_BAD_INPUT);
    cr_expect(strstr(err.msg, "flow must be positive"), "%s", err.msg);
    cr_expect_eq(rx_plant_set_feed(q, &(RxFeedSet){.feed = 99, .flow = 1, .acid = -1}, &err), RX_BAD_INPUT);
    const char *xx[] = {"Xx"}, *gd[] = {"Gd"};
    const double one[] = {1}, little[] = {0.02};
    RxFeedSet fs = feed_set(0, -1, -1, 1, xx, one);
    cr_expect_eq(rx_plant_set_feed(q, &fs, &err), RX_BAD_INPUT);
    /* the products name Tb and Dy: a feed set without them leaves a product naming nothing fed */
    RxPlant *r = NULL;
    cr_assert_eq(rx_plant_copy(p, &r, &err), RX_OK);
    RxFeedSet only_gd = feed_set(0, -1, -1, 1, gd, little);
    cr_expect_eq(rx_plant_set_feed(r, &only_gd, &err), RX_BAD_INPUT);
    cr_expect(strstr(err.msg, "no longer carry"), "%s", err.msg);
    rx_plant_destroy(&r);
    rx_plant_destroy(&q);
    rx_plant_destroy(&p);
}

/* Scheduled changes follow an edited feed: each keeps what it changes and
 * takes the rest from the feed as edited, as the loader builds them. */
Test(plant_edit, events_follow_an_edited_feed)
{
    RxPlant *p = load_text("version = 1;\n"
                           "extractant = { name = \"P507\"; concentration = \"1.5 mol/L\"; saponification = \"36 %\"; };\n"
                           "model = { type = \"mass_action\"; };\n"
                           "sections = ( { name = \"extraction\"; stages = 8; mixer = \"3 min\"; settler = { residence = \"15 min\"; }; },\n"
                           "             { name = \"scrub\"; stages = 6; mixer = \"3 min\"; settler = { residence = \"15 min\"; }; } );\n"
                           "feeds = ( { name = \"feed\"; phase = \"aqueous\"; stage = \"extraction:last\"; flow = \"100 L/h\";\n"
                           "            acid = \"pH 2\"; composition = { Nd = \"18 g/L\"; La = \"50 g/L\"; Pr = \"6 g/L\"; }; },\n"
                           "          { name = \"scrub acid\"; phase = \"aqueous\"; stage = \"scrub:last\"; flow = \"75 L/h\";\n"
                           "            acid = \"3 mol/L\"; },\n"
                           "          { name = \"fresh organic\"; phase = \"organic\"; stage = 1; flow = \"496 L/h\"; } );\n"
                           "products = ( { name = \"La\"; stream = \"raffinate\"; targets = [\"La\"]; } );\n"
                           "dynamics = { horizon = \"10 h\"; output_interval = \"1 h\"; initial = \"barren\";\n"
                           "  watch = ( { stage = \"scrub:first\"; phase = \"organic\"; element = \"Nd\"; } );\n"
                           "  events = ( { time = \"1 h\"; stream = \"feed\"; flow = \"110 L/h\"; },\n"
                           "             { time = \"2 h\"; stream = \"fresh organic\"; saponification = \"30 %\"; },\n"
                           "             { time = \"3 h\"; stream = \"feed\"; acid = \"0.05 mol/L\"; },\n"
                           "             { time = \"4 h\"; stream = \"feed\"; composition = { La = \"40 g/L\"; Nd = \"20 g/L\"; }; } ); };\n");
    const char *sym[] = {"La", "Pr", "Nd"};
    const double conc[] = {0.33, 0.041, 0.13};
    RxFeedSet fs = feed_set(0, 95.5, 0.02, 3, sym, conc);
    int sec[] = {0}, st[] = {11};
    RxPlant *a = by_text(p, 1, sec, st, 1, &fs);
    RxPlant *b = by_edit(p, 1, sec, st, 1, &fs);
    expect_same_plant(a, b);
    cr_expect_eq(b->dynamics.events[0].state.flow, 110, "the event keeps its flow");
    cr_expect_eq(b->dynamics.events[2].state.flow, 110, "and the next one on the feed takes it");
    cr_expect_eq(b->dynamics.events[0].state.h, 0.02, "the edited acid reaches the events");
    RxFeedSet org = {.feed = 2, .flow = 400, .acid = -1};
    RxPlant *c = by_text(p, 0, NULL, NULL, 1, &org), *d = by_edit(p, 0, NULL, NULL, 1, &org);
    expect_same_plant(c, d);
    rx_plant_destroy(&a);
    rx_plant_destroy(&b);
    rx_plant_destroy(&c);
    rx_plant_destroy(&d);
    rx_plant_destroy(&p);
}

/* A small two-section P507 plant: `sap` the saponification ("0 %" for none),
 * `feed` the aqueous feed's composition and acid, `extra` anything after. */
static RxPlant *small_plant(const char *sap, const char *organic_sap, const char *feed, const char *extra)
{
    char text[4096];
    snprintf(text, sizeof text,
             "version = 1;\n"
             "extractant = { name = \"P507\"; concentration = \"1.5 mol/L\"; saponification = \"%s\"; };\n"
             "model = { type = \"mass_action\"; };\n"
             "sections = ( { name = \"extraction\"; stages = 10; mixer = \"3 min\"; settler = { residence = \"15 min\"; }; },\n"
             "             { name = \"scrub\"; stages = 10; mixer = \"3 min\"; settler = { residence = \"15 min\"; }; } );\n"
             "feeds = ( { name = \"feed\"; phase = \"aqueous\"; stage = \"extraction:last\"; flow = \"100 L/h\"; %s },\n"
             "          { name = \"scrub acid\"; phase = \"aqueous\"; stage = 20; flow = \"40 L/h\"; acid = \"2 mol/L\"; },\n"
             "          { name = \"fresh organic\"; phase = \"organic\"; stage = 1; flow = \"300 L/h\"; %s } );\n"
             "products = ( { name = \"La\"; stream = \"raffinate\"; targets = [\"La\"]; } );\n%s",
             sap, feed, organic_sap, extra);
    return load_text(text);
}

/* A new element that sorts after every species (Sm after La and Nd, no
 * base): the species grow at the end and the model must still be rebuilt. */
Test(plant_edit, an_element_that_sorts_last_rebuilds_the_model)
{
    RxPlant *p = small_plant("0 %", "", "acid = \"pH 2\"; composition = { La = \"20 g/L\"; Nd = \"10 g/L\"; };", "");
    const char *sym[] = {"La", "Nd", "Sm"};
    const double conc[] = {0.14, 0.07, 0.004};
    RxFeedSet fs = feed_set(0, 100, 0.01, 3, sym, conc);
    RxPlant *a = by_text(p, 0, NULL, NULL, 1, &fs), *b = by_edit(p, 0, NULL, NULL, 1, &fs);
    cr_expect_neq(b->model, p->model);
    expect_same_plant(a, b);
    expect_same_solution(a, b);
    rx_plant_destroy(&a);
    rx_plant_destroy(&b);
    rx_plant_destroy(&p);
}

/* Per-element model values follow the species: a value for an element not
 * fed is kept for an edit that brings it in, and one for a dropped element
 * is no error. */
Test(plant_edit, model_values_follow_the_species)
{
    RxPlant *p = load_text("version = 1;\n"
                           "model = { type = \"constant_d\"; D = { La = 0.5; Nd = 2.0; Sm = 3.0; Pr = 1.5; }; };\n"
                           "sections = ( { name = \"extraction\"; stages = 8; } );\n"
                           "feeds = ( { name = \"feed\"; phase = \"aqueous\"; stage = \"extraction:last\"; flow = \"100 L/h\";\n"
                           "            acid = \"pH 2\"; composition = { La = \"20 g/L\"; Nd = \"10 g/L\"; Pr = \"1 g/L\"; }; },\n"
                           "          { name = \"solvent\"; phase = \"organic\"; stage = 1; flow = \"100 L/h\"; } );\n"
                           "products = ( { name = \"La\"; stream = \"raffinate\"; targets = [\"La\"]; } );\n");
    const char *sym[] = {"La", "Nd", "Sm"};
    const double conc[] = {0.14, 0.07, 0.004};
    RxFeedSet fs = feed_set(0, 100, 0.01, 3, sym, conc); /* Sm in, Pr out */
    RxPlant *a = by_text(p, 0, NULL, NULL, 1, &fs), *b = by_edit(p, 0, NULL, NULL, 1, &fs);
    expect_same_plant(a, b);
    expect_same_solution(a, b);
    rx_plant_destroy(&a);
    rx_plant_destroy(&b);
    rx_plant_destroy(&p);
}

/* Stage references where the loader would refuse them, and several
 * sections resized at once past a numbered stage. */
Test(plant_edit, stage_references_as_the_loader_takes_them)
{
    RxPlant *p = small_plant("36 %", "", "acid = \"pH 2\"; composition = { La = \"20 g/L\"; Nd = \"10 g/L\"; };",
                             "draws = ( { name = \"side\"; phase = \"aqueous\"; stage = \"scrub:4\"; fraction = 0.2; } );\n");
    RxPlant *q = NULL;
    RxError err;
    cr_assert_eq(rx_plant_copy(p, &q, &err), RX_OK);
    cr_expect_eq(rx_plant_set_stages(q, 2, (int[]){0, 1}, (int[]){17, 3}, &err), RX_BAD_INPUT, "scrub:4 is gone");
    cr_expect(strstr(err.msg, "beyond"), "%s", err.msg);
    rx_plant_destroy(&q);
    /* the scrub acid at stage 20: 5 + 15 stages keep it, whatever the order of the two changes */
    int sec[] = {0, 1}, st[] = {5, 15};
    RxPlant *a = by_text(p, 2, sec, st, 0, NULL), *b = by_edit(p, 2, sec, st, 0, NULL);
    expect_same_plant(a, b);
    rx_plant_destroy(&a);
    rx_plant_destroy(&b);
    rx_plant_destroy(&p);
}

/* The base: an organic composition that names it keeps the saponification's,
 * and a base no feed carried at load comes back when a tear brings it. */
Test(plant_edit, the_base_is_the_saponifications)
{
    RxPlant *p = small_plant("36 %", "", "acid = \"pH 2\"; composition = { La = \"20 g/L\"; Nd = \"10 g/L\"; };", "");
    const char *sym[] = {"La", "Nd", "Na"};
    const double conc[] = {1e-4, 0.02, 0.2};
    RxFeedSet fs = feed_set(2, -1, -1, 3, sym, conc);
    RxPlant *a = by_text(p, 0, NULL, NULL, 1, &fs), *b = by_edit(p, 0, NULL, NULL, 1, &fs);
    expect_same_plant(a, b);
    rx_plant_destroy(&a);
    rx_plant_destroy(&b);
    rx_plant_destroy(&p);
    p = small_plant("36 %", "saponification = \"0 %\";",
                    "acid = \"pH 2\"; composition = { La = \"20 g/L\"; Nd = \"10 g/L\"; };", "");
    cr_assert_eq(p->base_species, -1, "no feed carries the base");
    const double aq[] = {0.14, 0.07, 1.1};
    for (int trial = 0; trial < 8; trial++) {
        double c[3] = {aq[0] * (1 + 0.01 * trial), aq[1] / (1 + 0.03 * trial), aq[2] + 0.017 * trial};
        RxFeedSet tear = feed_set(0, 100, 0.01, 3, sym, c);
        a = by_text(p, 0, NULL, NULL, 1, &tear);
        b = by_edit(p, 0, NULL, NULL, 1, &tear);
        cr_expect_geq(b->base_species, 0, "Na is the base again");
        expect_same_plant(a, b);
        rx_plant_destroy(&a);
        rx_plant_destroy(&b);
    }
    rx_plant_destroy(&p);
}

/* A flow-only event on a feed that loses an element, and a sulfate feed
 * with its own bisulfate: both as the loader makes them. */
Test(plant_edit, events_and_sulfate_as_the_loader_makes_them)
{
    RxPlant *p = small_plant("36 %", "",
                             "acid = \"pH 1.5\"; sulfate = \"0.2 mol/L\"; bisulfate = \"0.05 mol/L\";\n"
                             "  composition = { La = \"20 g/L\"; Nd = \"10 g/L\"; Pr = \"2 g/L\"; };",
                             "dynamics = { horizon = \"10 h\"; output_interval = \"1 h\";\n"
                             "  events = ( { time = \"2 h\"; stream = \"feed\"; flow = \"90 L/h\"; } ); };\n");
    const char *sym[] = {"La", "Nd"};
    const double conc[] = {0.13, 0.066};
    RxFeedSet fs = feed_set(0, 100, 0.04, 2, sym, conc);
    RxPlant *a = by_text(p, 0, NULL, NULL, 1, &fs), *b = by_edit(p, 0, NULL, NULL, 1, &fs);
    cr_expect_eq(rx_plant_species(b, "Pr"), -1);
    expect_same_plant(a, b);
    cr_expect_eq(a->feeds[0].so4, b->feeds[0].so4);
    rx_plant_destroy(&a);
    rx_plant_destroy(&b);
    rx_plant_destroy(&p);
}
