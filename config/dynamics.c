/*
 * config/dynamics.c - the dynamics group: horizon, output, start, solver
 * tolerances, the watched stages and the scheduled feed changes.
 */
#include "config/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* No run writes more rows; no horizon is longer (h, over a thousand years). */
#define RX_MAX_ROWS 1000000
#define RX_MAX_HORIZON 1e7
/* Defaults of the dynamics group (docs/config.md). */
#define RX_DEFAULT_OUTPUTS 200    /* rows over the horizon */
#define RX_DEFAULT_RTOL 1e-6
#define RX_DEFAULT_ATOL 1e-9      /* mol/L: below 0.2 ug/L of any REE */
#define RX_DEFAULT_BARREN_PH 2.0
#define RX_DEFAULT_MAX_STEPS 500000
/* Integrator steps between two outputs at most: 2000 times the default;
 * a run that needs more is stiff beyond what CVODE's step control handles,
 * and it would take hours per output row before failing. */
#define RX_MAX_MAX_STEPS 1000000000

static int read_watch(const RxCfg *c, const config_setting_t *dg)
{
    static const char *const keys[] = {"stage", "phase", "element", NULL};
    RxDynamicsSpec *d = &c->p->dynamics;
    const config_setting_t *l;
    void *items;
    int rc = rx_cfg_get_list(c, dg, "watch", "{ stage; phase; element; }", sizeof *d->watch, &items, &l);
    d->watch = items;
    if (rc != RX_OK || !l)
        return rc;
    for (int i = 0; i < config_setting_length(l); i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
        RxWatch *w = &d->watch[i];
        const char *sym;
        if ((rc = rx_cfg_check_keys(c, g, keys)) != RX_OK ||
            (rc = rx_cfg_get_stage(c, g, &w->stage, &w->ref)) != RX_OK ||
            (rc = rx_cfg_get_phase(c, g, &w->phase)) != RX_OK ||
            (rc = rx_cfg_get_string(c, g, "element", &sym)) != RX_OK)
            return rc;
        if ((w->species = rx_plant_species(c->p, sym)) < 0)
            return rx_cfg_fail(c, rx_cfg_member(g, "element"), "'%s' is in no feed", sym);
        d->nwatch++;
    }
    return RX_OK;
}

static int read_events(const RxCfg *c, const config_setting_t *dg)
{
    static const char *const keys[] = {"time", "stream", "flow", "acid", "composition", "saponification", NULL};
    RxPlant *p = c->p;
    RxDynamicsSpec *d = &p->dynamics;
    const config_setting_t *l;
    void *items;
    int rc = rx_cfg_get_list(c, dg, "events", "{ time; stream; flow; acid; composition; saponification; }",
                             sizeof *d->events, &items, &l);
    d->events = items;
    if (rc != RX_OK || !l)
        return rc;
    for (int i = 0; i < config_setting_length(l); i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i), *m = NULL;
        RxEvent *e = &d->events[i];
        const char *name;
        if ((rc = rx_cfg_check_keys(c, g, keys)) != RX_OK ||
            (rc = rx_cfg_need(c, g, "time", CONFIG_TYPE_NONE, &m)) != RX_OK ||
            (rc = rx_cfg_get_quantity(c, m, rx_cfg_time_units, "24 h", &e->time)) != RX_OK)
            return rc;
        char num[RX_NUM_LEN];
        if (!(e->time >= 0 && e->time < d->horizon))
            return rx_cfg_fail(c, m, "%s h is outside the horizon (0 to %g h)",
                               rx_fmt_beyond(num, e->time, e->time < 0 ? 0 : d->horizon), d->horizon);
        if (i > 0 && e->time < d->events[i - 1].time)
            return rx_cfg_fail(c, m, "events must be in time order (%g h comes after %g h)", e->time,
                               d->events[i - 1].time);
        if ((rc = rx_cfg_get_string(c, g, "stream", &name)) != RX_OK)
            return rc;
        e->feed = -1;
        for (int k = 0; k < p->nfeeds; k++)
            if (strcmp(p->feeds[k].name, name) == 0)
                e->feed = k;
        if (e->feed < 0)
            return rx_cfg_fail(c, rx_cfg_member(g, "stream"), "'%s' is not a feed of the plant", name);
        if (!rx_cfg_member(g, "flow") && !rx_cfg_member(g, "acid") && !rx_cfg_member(g, "composition") &&
            !rx_cfg_member(g, "saponification"))
            return rx_cfg_fail(c, g, "changes nothing (give flow, acid, composition or saponification)");
        /* The feed as the last earlier event on it left it. */
        e->state = p->feeds[e->feed];
        for (int k = i - 1; k >= 0; k--)
            if (d->events[k].feed == e->feed) {
                e->state = d->events[k].state;
                break;
            }
        if ((m = rx_cfg_member(g, "flow"))) {
            if ((rc = rx_cfg_get_quantity(c, m, rx_cfg_flow_units, "0 L/h", &e->state.flow)) != RX_OK)
                return rc;
            if (!(e->state.flow >= 0))
                return rx_cfg_fail(c, m, "flow must not be negative [L/h] (0 stops the stream)");
        }
        if ((rc = rx_cfg_feed_body(c, g, &e->state, 1)) != RX_OK)
            return rc;
        e->sets = (rx_cfg_member(g, "flow") ? RX_SETS_FLOW : 0u) | (rx_cfg_member(g, "acid") ? RX_SETS_ACID : 0u) |
                  (rx_cfg_member(g, "composition") ? RX_SETS_COMPOSITION : 0u) |
                  (rx_cfg_member(g, "saponification") ? RX_SETS_SAPONIFICATION : 0u);
        d->nevents++;
    }
    return RX_OK;
}

/* horizon and output_interval. */
static int read_times(const RxCfg *c, const config_setting_t *g)
{
    RxDynamicsSpec *d = &c->p->dynamics;
    const config_setting_t *m = NULL;
    int rc;
    if ((rc = rx_cfg_need(c, g, "horizon", CONFIG_TYPE_NONE, &m)) != RX_OK ||
        (rc = rx_cfg_get_quantity(c, m, rx_cfg_time_units, "72 h", &d->horizon)) != RX_OK)
        return rc;
    if (!(d->horizon > 0))
        return rx_cfg_fail(c, m, "horizon must be positive [h]");
    if (!(d->horizon <= RX_MAX_HORIZON))
        return rx_cfg_fail(c, m, "%s h is beyond the longest horizon, %g h [h]",
                           rx_fmt_beyond((char[RX_NUM_LEN]){0}, d->horizon, RX_MAX_HORIZON), RX_MAX_HORIZON);
    d->present = 1;
    d->interval = d->horizon / RX_DEFAULT_OUTPUTS;
    if ((m = rx_cfg_member(g, "output_interval"))) {
        if ((rc = rx_cfg_get_quantity(c, m, rx_cfg_time_units, "0.5 h", &d->interval)) != RX_OK)
            return rc;
        if (!(d->interval > 0 && d->interval <= d->horizon))
            return rx_cfg_fail(c, m, "must be positive and at most the horizon [h]");
        if (!(d->horizon / d->interval <= RX_MAX_ROWS))
            return rx_cfg_fail(c, m, "%g h gives more than %d output rows over %g h [h]", d->interval, RX_MAX_ROWS,
                               d->horizon);
    }
    return RX_OK;
}

/* How the run starts: initial, barren_acid and state_file. */
static int read_start(const RxCfg *c, const config_setting_t *g)
{
    RxDynamicsSpec *d = &c->p->dynamics;
    const config_setting_t *m;
    int rc;
    d->initial = RX_START_BARREN;
    if (rx_cfg_member(g, "initial")) {
        static const char *const words[] = {"barren", "steady", "state", NULL}; /* RX_START_* */
        if ((rc = rx_cfg_get_word(c, g, "initial", words, "a start", &d->initial)) != RX_OK)
            return rc;
    }
    d->barren_h = pow(10.0, -RX_DEFAULT_BARREN_PH);
    if ((m = rx_cfg_member(g, "barren_acid")) && (rc = rx_cfg_get_acid(c, m, &d->barren_h)) != RX_OK)
        return rc;
    if (rx_cfg_member(g, "state_file") &&
        (rc = rx_cfg_get_path(c, g, "state_file", d->state_file, sizeof d->state_file)) != RX_OK)
        return rc;
    if (d->initial == RX_START_STATE && !d->state_file[0])
        return rx_cfg_fail(c, rx_cfg_member(g, "initial"), "initial = \"state\" needs state_file");
    return RX_OK;
}

/* The integrator's rtol, atol and max_steps. */
static int read_integrator(const RxCfg *c, const config_setting_t *g)
{
    RxDynamicsSpec *d = &c->p->dynamics;
    const config_setting_t *m;
    int rc;
    d->rtol = RX_DEFAULT_RTOL;
    d->atol = RX_DEFAULT_ATOL;
    if ((m = rx_cfg_member(g, "rtol"))) {
        if ((rc = rx_cfg_need(c, g, "rtol", CONFIG_TYPE_FLOAT, &m)) != RX_OK)
            return rc;
        d->rtol = rx_cfg_number(m);
        if (!(d->rtol >= 1e-12 && d->rtol <= 1e-2))
            return rx_cfg_fail(c, m, "must be 1e-12 to 1e-2");
    }
    if ((m = rx_cfg_member(g, "atol"))) {
        if ((rc = rx_cfg_get_quantity(c, m, rx_cfg_molar_units, "1e-12 mol/L", &d->atol)) != RX_OK)
            return rc;
        if (!(d->atol > 0))
            return rx_cfg_fail(c, m, "must be positive [mol/L]");
    }
    d->max_steps = RX_DEFAULT_MAX_STEPS;
    if ((m = rx_cfg_member(g, "max_steps"))) {
        long long steps;
        if ((rc = rx_cfg_get_integer(c, g, "max_steps", &m, &steps)) != RX_OK)
            return rc;
        if (steps < 1 || steps > RX_MAX_MAX_STEPS)
            return rx_cfg_fail(c, m, "%lld steps: must be 1 to %d", steps, RX_MAX_MAX_STEPS);
        d->max_steps = (long)steps;
    }
    return RX_OK;
}

/* What the dynamic model cannot simulate of the plant (group g). */
static int check_simulable(const RxCfg *c, const config_setting_t *g)
{
    const RxPlant *p = c->p;
    RxDynamicsSpec *d = &c->p->dynamics;
    /* What the dynamic model lacks is no fault of the plant: reesx run still
     * solves it, and simulate refuses it with this message. */
    RxCfg later = *c;
    later.err = &d->refused;
    for (int i = 0; i < p->nfeeds && d->refused.code == RX_OK; i++)
        if (p->feeds[i].so4 > 0)
            rx_cfg_fail(&later, g, "sulfate media are not simulated in time yet (feed '%s'); use reesx run",
                        p->feeds[i].name);
    for (int i = 0; i < p->nsections && d->refused.code == RX_OK; i++)
        if (p->sections[i].efficiency < 1.0 || p->sections[i].aq_entrain > 0 || p->sections[i].org_entrain > 0)
            rx_cfg_fail(&later, g, "section '%s' has a stage efficiency or entrainment: these are not simulated in "
                                   "time yet; use reesx run",
                        p->sections[i].name);
    for (int i = 0; i < p->nsections; i++)
        if (!p->sections[i].has_geometry)
            return rx_cfg_fail(c, g, "section '%s' has no mixer: dynamics needs the holdup of every section "
                                     "(mixer = \"2 m3\" or \"3 min\"; settler = { ... })",
                               p->sections[i].name);
    return RX_OK;
}

int rx_cfg_read_dynamics(const RxCfg *c, const config_setting_t *root)
{
    static const char *const keys[] = {"horizon", "output_interval", "initial", "barren_acid", "state_file",
                                       "rtol", "atol", "max_steps", "watch", "events", NULL};
    const config_setting_t *g = rx_cfg_member(root, "dynamics");
    if (!g)
        return RX_OK;
    if (!config_setting_is_group(g))
        return rx_cfg_fail(c, g, "expected a group { horizon; output_interval; initial; events; ... }");
    int rc;
    if ((rc = rx_cfg_check_keys(c, g, keys)) != RX_OK || (rc = read_times(c, g)) != RX_OK ||
        (rc = read_start(c, g)) != RX_OK || (rc = read_integrator(c, g)) != RX_OK ||
        (rc = check_simulable(c, g)) != RX_OK || (rc = read_watch(c, g)) != RX_OK ||
        (rc = read_events(c, g)) != RX_OK)
        return rc;
    return RX_OK;
}
