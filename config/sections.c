/*
 * config/sections.c - the sections of the circuit: their stages, the
 * holdups of mixer and settler, and the stage non-idealities (Murphree
 * efficiency, entrainment).
 */
#include "config/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stage non-idealities: RX_MIN_EFFICIENCY (core/plant.h; the bypass would
 * carry 19 times what is mixed); above 20 % entrainment a settler is
 * flooding, outside what a share of flow models. */
#define RX_MAX_ENTRAINMENT 0.2
/* Settler tanks in series per layer: 20 tanks already hold a layer's
 * residence-time distribution close to plug flow. */
#define RX_MAX_SETTLER_TANKS 20

static const RxUnit volume_units[] = {{"L", 1.0}, {"m3", ML_PER_L}, {NULL, 0}};
static const RxUnit length_units[] = {{"m", 1.0}, {"cm", 0.01}, {"mm", 0.001}, {NULL, 0}};
static const RxUnit area_units[] = {{"m2", 1.0}, {NULL, 0}};

/* "<v> L|m3" or a residence time "<v> min|h|s|d": exactly one is set. */
static int get_volume_or_time(const RxCfg *c, const config_setting_t *m, double *volume, double *residence)
{
    const char *s, *unit;
    double v;
    if (config_setting_type(m) != CONFIG_TYPE_STRING ||
        !rx_cfg_split_quantity(s = config_setting_get_string(m), &v, &unit))
        return rx_cfg_fail(c, m, "expected a volume (\"2 m3\", \"500 L\") or a residence time (\"3 min\")");
    int rc = RX_OK;
    for (const RxUnit *u = volume_units; u->unit; u++)
        if (strcmp(u->unit, unit) == 0) {
            *volume = v * u->factor;
            *residence = 0;
            return v > 0 ? RX_OK : rx_cfg_fail(c, m, "volume must be positive [L]");
        }
    if ((rc = rx_cfg_get_quantity(c, m, rx_cfg_time_units, "3 min", residence)) != RX_OK)
        return rx_cfg_fail(c, m, "unknown unit '%s' (a volume in L or m3, or a residence time in s, min, h or d)",
                           unit);
    *volume = 0;
    return *residence > 0 ? RX_OK : rx_cfg_fail(c, m, "residence time must be positive [h]");
}

static int read_settler(const RxCfg *c, const config_setting_t *g, RxSection *sec)
{
    static const char *const keys[] = {"area", "aqueous_depth", "organic_depth", "residence", "tanks", NULL};
    int rc = rx_cfg_check_keys(c, g, keys);
    const config_setting_t *m;
    sec->settler_tanks = 1;
    if (rc == RX_OK && (m = rx_cfg_member(g, "tanks"))) {
        long long n;
        if ((rc = rx_cfg_get_integer(c, g, "tanks", &m, &n)) != RX_OK)
            return rc;
        if (n < 1 || n > RX_MAX_SETTLER_TANKS)
            return rx_cfg_fail(c, m, "%lld tanks: must be 1 to %d", n, RX_MAX_SETTLER_TANKS);
        sec->settler_tanks = (int)n;
    }
    if (rc != RX_OK)
        return rc;
    if ((m = rx_cfg_member(g, "residence"))) {
        if (rx_cfg_member(g, "area") || rx_cfg_member(g, "aqueous_depth") || rx_cfg_member(g, "organic_depth"))
            return rx_cfg_fail(c, m, "give either residence or area with aqueous_depth and organic_depth, not both");
        if ((rc = rx_cfg_get_quantity(c, m, rx_cfg_time_units, "20 min", &sec->settler_residence)) != RX_OK)
            return rc;
        return sec->settler_residence > 0 ? RX_OK : rx_cfg_fail(c, m, "residence time must be positive [h]");
    }
    double area = 0, da = 0, dor = 0;
    if ((rc = rx_cfg_need(c, g, "area", CONFIG_TYPE_NONE, &m)) != RX_OK ||
        (rc = rx_cfg_get_quantity(c, m, area_units, "4 m2", &area)) != RX_OK)
        return rc;
    if (!(area > 0))
        return rx_cfg_fail(c, m, "area must be positive [m2]");
    if ((rc = rx_cfg_need(c, g, "aqueous_depth", CONFIG_TYPE_NONE, &m)) != RX_OK ||
        (rc = rx_cfg_get_quantity(c, m, length_units, "0.15 m", &da)) != RX_OK)
        return rc;
    if (!(da > 0))
        return rx_cfg_fail(c, m, "depth must be positive [m]");
    if ((rc = rx_cfg_need(c, g, "organic_depth", CONFIG_TYPE_NONE, &m)) != RX_OK ||
        (rc = rx_cfg_get_quantity(c, m, length_units, "0.2 m", &dor)) != RX_OK)
        return rc;
    if (!(dor > 0))
        return rx_cfg_fail(c, m, "depth must be positive [m]");
    sec->settler_aq_volume = area * da * ML_PER_L;
    sec->settler_org_volume = area * dor * ML_PER_L;
    return RX_OK;
}

/* Murphree efficiency and entrainment of a section; ideal when absent. */
static int read_nonideal(const RxCfg *c, const config_setting_t *g, RxSection *s)
{
    const config_setting_t *m;
    int rc;
    s->efficiency = 1.0;
    if ((m = rx_cfg_member(g, "efficiency"))) {
        if ((rc = rx_cfg_get_quantity(c, m, rx_cfg_percent_units, "90 %", &s->efficiency)) != RX_OK)
            return rc;
        if (!(s->efficiency >= RX_MIN_EFFICIENCY && s->efficiency <= 1.0))
            return rx_cfg_fail(c, m, "must be %g to 100 %% (Murphree efficiency of the aqueous phase)",
                               RX_MIN_EFFICIENCY * PERCENT);
    }
    const char *names[] = {"aqueous_entrainment", "organic_entrainment"};
    double *vals[] = {&s->aq_entrain, &s->org_entrain};
    for (int i = 0; i < 2; i++)
        if ((m = rx_cfg_member(g, names[i]))) {
            if ((rc = rx_cfg_get_quantity(c, m, rx_cfg_fraction_units, "500 ppm", vals[i])) != RX_OK)
                return rc;
            if (!(*vals[i] >= 0 && *vals[i] <= RX_MAX_ENTRAINMENT))
                return rx_cfg_fail(c, m, "must be 0 to %g %% of the phase's flow", RX_MAX_ENTRAINMENT * PERCENT);
        }
    return RX_OK;
}

int rx_cfg_read_sections(const RxCfg *c, const config_setting_t *root)
{
    static const char *const keys[] = {"name",       "stages",         "mixer", "settler", "efficiency",
                                       "aqueous_entrainment", "organic_entrainment", NULL};
    RxPlant *p = c->p;
    const config_setting_t *l;
    int rc = rx_cfg_need(c, root, "sections", CONFIG_TYPE_LIST, &l);
    if (rc != RX_OK)
        return rc;
    int n = config_setting_length(l);
    if (n == 0)
        return rx_cfg_fail(c, l, "needs at least one section");
    if (n > RX_MAX_SECTIONS)
        return rx_cfg_fail(c, l, "%d sections: at most %d", n, RX_MAX_SECTIONS);
    p->sections = calloc((size_t)n, sizeof *p->sections);
    if (!p->sections)
        return rx_error_set(c->err, RX_NO_MEMORY, NULL, "out of memory");
    for (int i = 0; i < n; i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i), *m;
        if (!config_setting_is_group(g))
            return rx_cfg_fail(c, g, "expected a group { name = \"extraction\"; stages = 10; }");
        const char *name;
        long long k;
        if ((rc = rx_cfg_check_keys(c, g, keys)) != RX_OK || (rc = rx_cfg_get_string(c, g, "name", &name)) != RX_OK ||
            (rc = rx_cfg_get_integer(c, g, "stages", &m, &k)) != RX_OK)
            return rc;
        if (k < 1 || k > RX_MAX_STAGES)
            return rx_cfg_fail(c, m, "%lld stages: must be 1 to %d", k, RX_MAX_STAGES);
        if (k > RX_MAX_STAGES - p->nstages) /* both at most RX_MAX_STAGES: no overflow */
            return rx_cfg_fail(c, m, "%lld more stages make %lld in the circuit: at most %d in all", k,
                               k + p->nstages, RX_MAX_STAGES);
        if (strlen(name) == 0 || strlen(name) >= RX_NAME_LEN || strchr(name, ':'))
            return rx_cfg_fail(c, rx_cfg_member(g, "name"), "'%s' is not a valid section name", name);
        for (int j = 0; j < i; j++)
            if (strcmp(p->sections[j].name, name) == 0)
                return rx_cfg_fail(c, rx_cfg_member(g, "name"), "section '%s' is defined twice", name);
        RxSection *s = &p->sections[i];
        snprintf(s->name, sizeof s->name, "%s", name);
        if ((m = rx_cfg_member(g, "mixer"))) {
            if ((rc = get_volume_or_time(c, m, &s->mixer_volume, &s->mixer_residence)) != RX_OK)
                return rc;
            s->has_geometry = 1;
        }
        if ((m = rx_cfg_member(g, "settler"))) {
            if (!s->has_geometry)
                return rx_cfg_fail(c, m, "a settler needs the mixer of its stage: give mixer too");
            if (!config_setting_is_group(m))
                return rx_cfg_fail(
                    c, m, "expected a group { area; aqueous_depth; organic_depth; tanks; } or { residence; tanks; }");
            if ((rc = read_settler(c, m, s)) != RX_OK)
                return rc;
        }
        if ((rc = read_nonideal(c, g, s)) != RX_OK)
            return rc;
        s->first = p->nstages;
        s->count = (int)k;
        p->nstages += (int)k;
        p->nsections++;
    }
    return RX_OK;
}
