/*
 * config/design.c - the design group: objective, targets, the stages and
 * flows to search, and the worker threads.
 */
#include "config/internal.h"

#include <stdio.h>
#include <string.h>

/* Design search: worker threads by default (this machine has 2 cores) and
 * at most; stages a section may be searched up to; flow levels per feed. */
#define RX_DEFAULT_THREADS 2
#define RX_MAX_THREADS 64
#define RX_MAX_DESIGN_STAGES 1000
#define RX_DEFAULT_FLOW_STEPS 5
#define RX_MAX_FLOW_STEPS 101
#define RX_MAX_FLOW_POINTS 100000
/* The pH a target may ask of an aqueous product. */
#define RX_TARGET_PH_MIN -1.0
#define RX_TARGET_PH_MAX 14.0
/* A required window below this share either way (the walk looks at most
 * RX_WINDOW_SPAN, design/window.h). */
#define RX_WINDOW_NEED_MAX 0.5

/* Is product pr's stream aqueous (the raffinate or an aqueous draw)? */
static int aqueous_product(const RxPlant *p, const RxProduct *pr)
{
    if (strcmp(pr->stream, "raffinate") == 0)
        return 1;
    for (int i = 0; i < p->ndraws; i++)
        if (strcmp(p->draws[i].name, pr->stream) == 0)
            return p->draws[i].phase == RX_AQ;
    return 0;
}

/* The elements of a max_share target. */
static int read_share_elements(const RxCfg *c, const config_setting_t *el, RxTarget *t)
{
    const RxPlant *p = c->p;
    if (!config_setting_is_array(el) || config_setting_length(el) == 0)
        return rx_cfg_fail(c, el, "expected element symbols, e.g. [\"Pr\", \"Nd\"]");
    for (int j = 0; j < config_setting_length(el); j++) {
        const config_setting_t *e = config_setting_get_elem(el, (unsigned)j);
        const char *sym = config_setting_type(e) == CONFIG_TYPE_STRING ? config_setting_get_string(e) : "";
        int sp = rx_plant_species(p, sym);
        if (sp < 0 || !rx_plant_element(p, sp)->is_ree)
            return rx_cfg_fail(c, el, "'%s' is not a rare earth the plant is fed", sym);
        for (int k = 0; k < t->nel; k++)
            if (t->el[k] == sp)
                return rx_cfg_fail(c, el, "'%s' is listed twice", sym);
        t->el[t->nel++] = sp; /* distinct species: nel <= nsp <= RX_MAX_SPECIES */
    }
    return RX_OK;
}

/* t's label, e.g. "NdPr: purity >= 99.5 %". */
static void target_label(const RxPlant *p, RxTarget *t)
{
    static const char *const kinds[] = {"purity", "recovery", "share", "pH", "pH"}; /* RX_TARGET_* */
    const RxProduct *pr = &p->products[t->product];
    int n = snprintf(t->label, sizeof t->label, "%s: %s", pr->name, kinds[t->kind]);
    for (int j = 0; j < t->nel && n > 0 && (size_t)n < sizeof t->label; j++)
        n += snprintf(t->label + n, sizeof t->label - (size_t)n, "%s %s", j ? "" : " of", rx_plant_element(p, t->el[j])->sym);
    if (n > 0 && (size_t)n < sizeof t->label) {
        if (t->kind == RX_TARGET_MIN_PH || t->kind == RX_TARGET_MAX_PH)
            snprintf(t->label + n, sizeof t->label - (size_t)n, " %s %.6g", t->kind == RX_TARGET_MIN_PH ? ">=" : "<=",
                     t->value);
        else
            snprintf(t->label + n, sizeof t->label - (size_t)n, " %s %.6g %%",
                     t->kind == RX_TARGET_MAX_SHARE ? "<=" : ">=", t->value * PERCENT);
    }
}

/* One design target: { product; purity | recovery | (elements; max_share) | min_ph | max_ph }. */
static int read_target(const RxCfg *c, const config_setting_t *g, RxTarget *t)
{
    static const char *const keys[] = {"product", "purity", "recovery", "elements", "max_share", "min_ph", "max_ph", NULL};
    static const char *const kinds[] = {"purity", "recovery", "max_share", "min_ph", "max_ph"}; /* RX_TARGET_* */
    const RxPlant *p = c->p;
    const char *name;
    int rc;
    if ((rc = rx_cfg_check_keys(c, g, keys)) != RX_OK || (rc = rx_cfg_get_string(c, g, "product", &name)) != RX_OK)
        return rc;
    t->product = rx_cfg_index_by_name(p->products, sizeof *p->products, p->nproducts, name);
    if (t->product < 0)
        return rx_cfg_fail(c, rx_cfg_member(g, "product"), "'%s' is not a product of the plant", name);
    const config_setting_t *m = NULL;
    int nk = 0;
    for (int k = 0; k < 5; k++)
        if (rx_cfg_member(g, kinds[k])) {
            m = rx_cfg_member(g, kinds[k]);
            t->kind = k;
            nk++;
        }
    if (nk != 1)
        return rx_cfg_fail(c, g, "give exactly one of purity, recovery, max_share, min_ph or max_ph");
    const RxProduct *pr = &p->products[t->product];
    if (t->kind == RX_TARGET_MIN_PH || t->kind == RX_TARGET_MAX_PH) {
        if ((rc = rx_cfg_need(c, g, kinds[t->kind], CONFIG_TYPE_FLOAT, &m)) != RX_OK)
            return rc;
        t->value = rx_cfg_number(m);
        if (!(t->value >= RX_TARGET_PH_MIN && t->value <= RX_TARGET_PH_MAX))
            return rx_cfg_fail(c, m, "pH %g: must be from %g to %g", t->value, RX_TARGET_PH_MIN, RX_TARGET_PH_MAX);
        if (!aqueous_product(p, pr))
            return rx_cfg_fail(c, m, "product '%s' is an organic stream, which has no pH", pr->name);
    } else {
        if ((rc = rx_cfg_get_quantity(c, m, t->kind == RX_TARGET_MAX_SHARE ? rx_cfg_fraction_units : rx_cfg_percent_units,
                                      "99.5 %", &t->value)) != RX_OK)
            return rc;
        if (!(t->value > 0 && t->value < 1))
            return rx_cfg_fail(c, m, "must be above 0 and below 100 %%");
    }
    const config_setting_t *el = rx_cfg_member(g, "elements");
    if ((t->kind == RX_TARGET_MAX_SHARE) != (el != NULL))
        return rx_cfg_fail(c, el ? el : g, t->kind == RX_TARGET_MAX_SHARE ? "max_share needs elements = [\"Nd\", ...]"
                                                                          : "elements belong to a max_share target");
    if (el && (rc = read_share_elements(c, el, t)) != RX_OK)
        return rc;
    target_label(p, t);
    return RX_OK;
}

static int read_objective(const RxCfg *c, const config_setting_t *g)
{
    static const char *const words[] = {"stages", "reagents", "cost", NULL}; /* RX_OBJECTIVE_* */
    const RxPlant *p = c->p;
    RxDesignSpec *d = &c->p->design;
    const config_setting_t *m = rx_cfg_member(g, "objective");
    int rc;
    if (!m)
        return RX_OK;
    if ((rc = rx_cfg_get_word(c, g, "objective", words, "an objective", &d->objective)) != RX_OK)
        return rc;
    for (int k = 0; d->objective == RX_OBJECTIVE_COST && k < p->nsections; k++)
        if (!p->sections[k].has_geometry)
            return rx_cfg_fail(c, m, "the cost objective needs every section's holdups: section '%s' has no mixer",
                               p->sections[k].name);
    return RX_OK;
}

static int read_targets(const RxCfg *c, const config_setting_t *g)
{
    RxDesignSpec *d = &c->p->design;
    const config_setting_t *l;
    int rc;
    if (d->nspecs > 0 && !rx_cfg_member(g, "targets"))
        return RX_OK; /* the specs' targets are enough */
    if ((rc = rx_cfg_need(c, g, "targets", CONFIG_TYPE_LIST, &l)) != RX_OK)
        return rc;
    int n = config_setting_length(l);
    if (n == 0 || n > RX_MAX_TARGETS)
        return rx_cfg_fail(c, l, "needs 1 to %d targets", RX_MAX_TARGETS);
    for (int i = 0; i < n; i++) {
        const config_setting_t *t = config_setting_get_elem(l, (unsigned)i);
        if (!config_setting_is_group(t))
            return rx_cfg_fail(c, t, "expected a group { product; purity | recovery | max_share; }");
        if ((rc = read_target(c, t, &d->targets[d->ntargets++])) != RX_OK)
            return rc;
    }
    return RX_OK;
}

/* One { section; min; max; } of design.stages. */
static int read_stage_var(const RxCfg *c, const config_setting_t *t)
{
    static const char *const keys[] = {"section", "min", "max", NULL};
    const RxPlant *p = c->p;
    RxDesignSpec *d = &c->p->design;
    RxStageVar *v = &d->stage_vars[d->nstage_vars];
    const char *name;
    int rc;
    if (!config_setting_is_group(t))
        return rx_cfg_fail(c, t, "expected a group { section; min; max; }");
    if ((rc = rx_cfg_check_keys(c, t, keys)) != RX_OK || (rc = rx_cfg_get_string(c, t, "section", &name)) != RX_OK)
        return rc;
    v->section = rx_cfg_index_by_name(p->sections, sizeof *p->sections, p->nsections, name);
    if (v->section < 0)
        return rx_cfg_fail(c, rx_cfg_member(t, "section"), "'%s' is not a section of the plant", name);
    for (int k = 0; k < d->nstage_vars; k++)
        if (d->stage_vars[k].section == v->section)
            return rx_cfg_fail(c, rx_cfg_member(t, "section"), "section '%s' is listed twice", name);
    const config_setting_t *lo, *hi;
    long long min, max;
    if ((rc = rx_cfg_get_integer(c, t, "min", &lo, &min)) != RX_OK ||
        (rc = rx_cfg_get_integer(c, t, "max", &hi, &max)) != RX_OK)
        return rc;
    if (min < 1 || max < min || max > RX_MAX_DESIGN_STAGES)
        return rx_cfg_fail(c, t, "stages from %lld to %lld: need 1 <= min <= max <= %d", min, max,
                           RX_MAX_DESIGN_STAGES);
    v->min = (int)min;
    v->max = (int)max;
    d->nstage_vars++;
    return RX_OK;
}

static int read_stage_vars(const RxCfg *c, const config_setting_t *g)
{
    const RxPlant *p = c->p;
    RxDesignSpec *d = &c->p->design;
    const config_setting_t *l = rx_cfg_member(g, "stages");
    int rc;
    if (!l) { /* default: every section, 1 to twice its stages (at least 10), widened in rx_design */
        d->stages_default = 1;
        for (int k = 0; k < p->nsections && k < RX_MAX_DESIGN_VARS; k++) {
            RxStageVar *v = &d->stage_vars[d->nstage_vars++];
            v->section = k;
            v->min = 1;
            v->max = p->sections[k].count * 2 > 10 ? p->sections[k].count * 2 : 10;
        }
        return RX_OK;
    }
    if (!config_setting_is_list(l) || config_setting_length(l) == 0 || config_setting_length(l) > RX_MAX_DESIGN_VARS)
        return rx_cfg_fail(c, l, "expected a list of 1 to %d groups { section; min; max; }", RX_MAX_DESIGN_VARS);
    for (int i = 0; i < config_setting_length(l); i++)
        if ((rc = read_stage_var(c, config_setting_get_elem(l, (unsigned)i))) != RX_OK)
            return rc;
    return RX_OK;
}

/* A stage given by number does not move with its section: a design that
 * resizes a section at or before it would feed another stage. */
static int check_numbered_stages(const RxCfg *c, const config_setting_t *root)
{
    const RxPlant *p = c->p;
    const RxDesignSpec *d = &p->design;
    int first_varied = p->nstages;
    for (int k = 0; k < d->nstage_vars; k++)
        if (p->sections[d->stage_vars[k].section].first < first_varied)
            first_varied = p->sections[d->stage_vars[k].section].first;
    const char *lists[] = {"feeds", "draws"};
    for (int i = 0; i < 2; i++) {
        const config_setting_t *fl = rx_cfg_member(root, lists[i]);
        for (int k = 0; fl && k < config_setting_length(fl); k++) {
            const config_setting_t *st = rx_cfg_member(config_setting_get_elem(fl, (unsigned)k), "stage");
            if (st && rx_cfg_is_integer(st) && config_setting_get_int64(st) - 1 > first_varied)
                return rx_cfg_fail(c, st, "stage %lld is a number, which does not move when design resizes the "
                                          "sections before it: use \"section:first|last|N\"",
                                   (long long)config_setting_get_int64(st));
        }
    }
    return RX_OK;
}

/* One { feed; min; max; steps; } of design.flows. */
static int read_flow_var(const RxCfg *c, const config_setting_t *t)
{
    static const char *const keys[] = {"feed", "min", "max", "steps", NULL};
    const RxPlant *p = c->p;
    RxDesignSpec *d = &c->p->design;
    RxFlowVar *v = &d->flow_vars[d->nflow_vars];
    const config_setting_t *m = NULL;
    const char *name;
    int rc;
    if (!config_setting_is_group(t))
        return rx_cfg_fail(c, t, "expected a group { feed; min; max; steps; }");
    if ((rc = rx_cfg_check_keys(c, t, keys)) != RX_OK || (rc = rx_cfg_get_string(c, t, "feed", &name)) != RX_OK)
        return rc;
    v->feed = rx_cfg_index_by_name(p->feeds, sizeof *p->feeds, p->nfeeds, name);
    if (v->feed < 0)
        return rx_cfg_fail(c, rx_cfg_member(t, "feed"), "'%s' is not a feed of the plant", name);
    for (int k = 0; k < d->nflow_vars; k++)
        if (d->flow_vars[k].feed == v->feed)
            return rx_cfg_fail(c, rx_cfg_member(t, "feed"), "feed '%s' is listed twice", name);
    if ((rc = rx_cfg_need(c, t, "min", CONFIG_TYPE_NONE, &m)) != RX_OK ||
        (rc = rx_cfg_get_quantity(c, m, rx_cfg_flow_units, "400 L/h", &v->min)) != RX_OK ||
        (rc = rx_cfg_need(c, t, "max", CONFIG_TYPE_NONE, &m)) != RX_OK ||
        (rc = rx_cfg_get_quantity(c, m, rx_cfg_flow_units, "600 L/h", &v->max)) != RX_OK)
        return rc;
    if (!(v->min > 0) || v->max < v->min)
        return rx_cfg_fail(c, t, "flows from %g to %g L/h: need 0 < min <= max", v->min, v->max);
    v->steps = v->max > v->min ? RX_DEFAULT_FLOW_STEPS : 1;
    if ((m = rx_cfg_member(t, "steps"))) {
        long long steps;
        if ((rc = rx_cfg_get_integer(c, t, "steps", &m, &steps)) != RX_OK)
            return rc;
        if (steps < 1 || steps > RX_MAX_FLOW_STEPS || (steps == 1) != (v->max == v->min))
            return rx_cfg_fail(c, m, "%lld steps: need 2 to %d (1 only when min = max)", steps, RX_MAX_FLOW_STEPS);
        v->steps = (int)steps;
    }
    d->nflow_vars++;
    return RX_OK;
}

/* design.flows, and the size of the grid they span. */
static int read_flow_vars(const RxCfg *c, const config_setting_t *g)
{
    RxDesignSpec *d = &c->p->design;
    const config_setting_t *l = rx_cfg_member(g, "flows");
    int rc;
    if (l) {
        if (!config_setting_is_list(l) || config_setting_length(l) > RX_MAX_DESIGN_VARS)
            return rx_cfg_fail(c, l, "expected a list of up to %d groups { feed; min; max; steps; }",
                               RX_MAX_DESIGN_VARS);
        for (int i = 0; i < config_setting_length(l); i++)
            if ((rc = read_flow_var(c, config_setting_get_elem(l, (unsigned)i))) != RX_OK)
                return rc;
    }
    double grid = 1;
    for (int k = 0; k < d->nflow_vars; k++)
        grid *= d->flow_vars[k].steps;
    if (grid > RX_MAX_FLOW_POINTS)
        return rx_cfg_fail(c, l, "%g flow points: at most %d (fewer steps)", grid, RX_MAX_FLOW_POINTS);
    return RX_OK;
}

/* The range of a spec's variable: flows in L/h above 0; the
 * saponification above 0 (at 0 the base species would go) and below
 * RX_MAX_SAPONIFICATION; a draw's share
 * of its outflow above 0, at most 100 %. */
static int read_spec_range(const RxCfg *c, const config_setting_t *t, RxSpec *v)
{
    const RxUnit *units = v->kind == RX_SPEC_FLOW ? rx_cfg_flow_units : rx_cfg_percent_units;
    const char *lo_ex = v->kind == RX_SPEC_FLOW ? "400 L/h" : "20 %", *hi_ex = v->kind == RX_SPEC_FLOW ? "600 L/h" : "40 %";
    const config_setting_t *m;
    int rc;
    if ((rc = rx_cfg_need(c, t, "min", CONFIG_TYPE_NONE, &m)) != RX_OK ||
        (rc = rx_cfg_get_quantity(c, m, units, lo_ex, &v->min)) != RX_OK ||
        (rc = rx_cfg_need(c, t, "max", CONFIG_TYPE_NONE, &m)) != RX_OK ||
        (rc = rx_cfg_get_quantity(c, m, units, hi_ex, &v->max)) != RX_OK)
        return rc;
    if (!(v->max > v->min))
        return rx_cfg_fail(c, t, "min must be below max");
    if (v->kind == RX_SPEC_FLOW && !(v->min > 0))
        return rx_cfg_fail(c, t, "flows from %g to %g L/h: need 0 < min < max", v->min, v->max);
    if (v->kind == RX_SPEC_SAPONIFICATION && !(v->min > 0 && v->max < RX_MAX_SAPONIFICATION))
        return rx_cfg_fail(c, t, "saponification from %g to %g %%: need 0 < min < max < %g %%", PERCENT * v->min,
                           PERCENT * v->max, PERCENT * RX_MAX_SAPONIFICATION);
    if (v->kind == RX_SPEC_DRAW && !(v->min > 0 && v->max <= 1))
        return rx_cfg_fail(c, t, "draw fractions from %g to %g %%: need 0 < min < max <= 100 %%", PERCENT * v->min,
                           PERCENT * v->max);
    return RX_OK;
}

/* One { vary; feed | draw; min; max; target; } of design.specs. */
static int read_spec(const RxCfg *c, const config_setting_t *t)
{
    static const char *const keys[] = {"vary", "feed", "draw", "min", "max", "target", NULL};
    static const char *const words[] = {"flow", "saponification", "draw", NULL}; /* RX_SPEC_* */
    const RxPlant *p = c->p;
    RxDesignSpec *d = &c->p->design;
    RxSpec *v = &d->specs[d->nspecs];
    const config_setting_t *tg;
    const char *name;
    int rc;
    if (!config_setting_is_group(t))
        return rx_cfg_fail(c, t, "expected a group { vary; feed | draw; min; max; target; }");
    if ((rc = rx_cfg_check_keys(c, t, keys)) != RX_OK ||
        (rc = rx_cfg_get_word(c, t, "vary", words, "what a spec varies", &v->kind)) != RX_OK)
        return rc;
    const char *needs = v->kind == RX_SPEC_FLOW ? "feed" : v->kind == RX_SPEC_DRAW ? "draw" : NULL;
    const char *other = v->kind == RX_SPEC_FLOW ? "draw" : "feed";
    if (rx_cfg_member(t, other) || (!needs && rx_cfg_member(t, "draw")))
        return rx_cfg_fail(c, rx_cfg_member(t, other) ? rx_cfg_member(t, other) : rx_cfg_member(t, "draw"),
                           "does not belong to vary = \"%s\"", words[v->kind]);
    v->index = -1;
    if (needs) {
        if ((rc = rx_cfg_get_string(c, t, needs, &name)) != RX_OK)
            return rc;
        v->index = v->kind == RX_SPEC_FLOW ? rx_cfg_index_by_name(p->feeds, sizeof *p->feeds, p->nfeeds, name)
                                           : rx_cfg_index_by_name(p->draws, sizeof *p->draws, p->ndraws, name);
        if (v->index < 0)
            return rx_cfg_fail(c, rx_cfg_member(t, needs), "'%s' is not a %s of the plant", name, needs);
        snprintf(v->label, sizeof v->label, "%s %s", name, v->kind == RX_SPEC_FLOW ? "flow" : "draw fraction");
    } else {
        if (!(p->saponification > 0))
            return rx_cfg_fail(c, rx_cfg_member(t, "vary"), "the extractant is not saponified");
        snprintf(v->label, sizeof v->label, "saponification");
    }
    for (int k = 0; k < d->nspecs; k++)
        if (d->specs[k].kind == v->kind && d->specs[k].index == v->index)
            return rx_cfg_fail(c, rx_cfg_member(t, "vary"), "%s is varied by two specs", v->label);
    for (int k = 0; v->kind == RX_SPEC_FLOW && k < d->nflow_vars; k++)
        if (d->flow_vars[k].feed == v->index)
            return rx_cfg_fail(c, rx_cfg_member(t, "feed"), "feed '%s' is in design.flows too", name);
    if ((rc = read_spec_range(c, t, v)) != RX_OK ||
        (rc = rx_cfg_need(c, t, "target", CONFIG_TYPE_GROUP, &tg)) != RX_OK ||
        (rc = read_target(c, tg, &v->target)) != RX_OK)
        return rc;
    d->nspecs++;
    return RX_OK;
}

/* design.specs. */
static int read_specs(const RxCfg *c, const config_setting_t *g)
{
    const config_setting_t *l = rx_cfg_member(g, "specs");
    int rc;
    if (!l)
        return RX_OK;
    if (!config_setting_is_list(l) || config_setting_length(l) == 0 || config_setting_length(l) > RX_MAX_DESIGN_VARS)
        return rx_cfg_fail(c, l, "expected a list of 1 to %d groups { vary; feed | draw; min; max; target; }",
                           RX_MAX_DESIGN_VARS);
    for (int i = 0; i < config_setting_length(l); i++)
        if ((rc = read_spec(c, config_setting_get_elem(l, (unsigned)i))) != RX_OK)
            return rc;
    return RX_OK;
}

/* One { feed; at_least; } of design.window (at_least 0 when not given). */
static int read_window(const RxCfg *c, const config_setting_t *t)
{
    static const char *const keys[] = {"feed", "at_least", NULL};
    const RxPlant *p = c->p;
    RxDesignSpec *d = &c->p->design;
    RxWindowNeed *v = &d->windows[d->nwindows];
    const config_setting_t *m;
    const char *name;
    int rc;
    if (!config_setting_is_group(t))
        return rx_cfg_fail(c, t, "expected a group { feed; at_least; }");
    if ((rc = rx_cfg_check_keys(c, t, keys)) != RX_OK || (rc = rx_cfg_get_string(c, t, "feed", &name)) != RX_OK)
        return rc;
    v->feed = rx_cfg_index_by_name(p->feeds, sizeof *p->feeds, p->nfeeds, name);
    if (v->feed < 0)
        return rx_cfg_fail(c, rx_cfg_member(t, "feed"), "'%s' is not a feed of the plant", name);
    for (int k = 0; k < d->nspecs; k++)
        if (d->specs[k].kind == RX_SPEC_FLOW && d->specs[k].index == v->feed)
            return rx_cfg_fail(c, rx_cfg_member(t, "feed"),
                               "the flow of '%s' is solved by a spec, which puts it on a target: a window needs it free",
                               name);
    for (int k = 0; k < d->nwindows; k++)
        if (d->windows[k].feed == v->feed)
            return rx_cfg_fail(c, rx_cfg_member(t, "feed"), "feed '%s' is listed twice", name);
    v->at_least = 0; /* the window is reported, nothing required */
    if ((m = rx_cfg_member(t, "at_least"))) {
        if ((rc = rx_cfg_get_quantity(c, m, rx_cfg_percent_units, "2 %", &v->at_least)) != RX_OK)
            return rc;
        if (!(v->at_least >= 0 && v->at_least < RX_WINDOW_NEED_MAX))
            return rx_cfg_fail(c, m, "must be from 0 to below %g %%", PERCENT * RX_WINDOW_NEED_MAX);
    }
    d->nwindows++;
    return RX_OK;
}

/* design.window. */
static int read_windows(const RxCfg *c, const config_setting_t *g)
{
    const config_setting_t *l = rx_cfg_member(g, "window");
    int rc;
    if (!l)
        return RX_OK;
    if (!config_setting_is_list(l) || config_setting_length(l) == 0 || config_setting_length(l) > RX_MAX_DESIGN_VARS)
        return rx_cfg_fail(c, l, "expected a list of 1 to %d groups { feed; at_least; }", RX_MAX_DESIGN_VARS);
    for (int i = 0; i < config_setting_length(l); i++)
        if ((rc = read_window(c, config_setting_get_elem(l, (unsigned)i))) != RX_OK)
            return rc;
    return RX_OK;
}

int rx_cfg_read_design(const RxCfg *c, const config_setting_t *root)
{
    static const char *const keys[] = {"objective", "targets", "specs", "window", "probability", "stages", "flows",
                                       "threads", NULL};
    RxDesignSpec *d = &c->p->design;
    const config_setting_t *g = rx_cfg_member(root, "design"), *m;
    d->threads = RX_DEFAULT_THREADS;
    if (!g)
        return RX_OK;
    if (!config_setting_is_group(g))
        return rx_cfg_fail(c, g, "expected a group { objective; targets; specs; window; stages; flows; }");
    int rc = rx_cfg_check_keys(c, g, keys);
    if (rc != RX_OK)
        return rc;
    d->present = 1;
    if ((rc = read_objective(c, g)) != RX_OK || (rc = read_stage_vars(c, g)) != RX_OK ||
        (rc = check_numbered_stages(c, root)) != RX_OK || (rc = read_flow_vars(c, g)) != RX_OK ||
        (rc = read_specs(c, g)) != RX_OK || (rc = read_targets(c, g)) != RX_OK || (rc = read_windows(c, g)) != RX_OK)
        return rc;
    if ((m = rx_cfg_member(g, "probability"))) {
        if ((rc = rx_cfg_get_quantity(c, m, rx_cfg_percent_units, "95 %", &d->probability)) != RX_OK)
            return rc;
        if (!(d->probability > 0 && d->probability < 1))
            return rx_cfg_fail(c, m, "must be above 0 and below 100 %%");
        if (!rx_cfg_member(root, "uncertainty"))
            return rx_cfg_fail(c, m, "a probability of meeting the targets needs an uncertainty group");
    }
    if ((m = rx_cfg_member(g, "threads"))) {
        long long threads;
        if ((rc = rx_cfg_get_integer(c, g, "threads", &m, &threads)) != RX_OK)
            return rc;
        if (threads < 1 || threads > RX_MAX_THREADS)
            return rx_cfg_fail(c, m, "%lld threads: need 1 to %d", threads, RX_MAX_THREADS);
        d->threads = (int)threads;
    }
    return RX_OK;
}
