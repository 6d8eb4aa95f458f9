/*
 * config/variant.c - a plant written back as libconfig text with some
 * section stage counts and feeds replaced: the runnable design.cfg of
 * reesx design.  (The search itself edits plants in memory, core/plant_edit.c;
 * tests hold the two against each other.)
 */
#include "config/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* A quantity setting "<v> <unit>" replaced, or added to group g. */
static int set_quantity(config_setting_t *g, const char *name, double v, const char *unit)
{
    char q[64];
    snprintf(q, sizeof q, "%.17g %s", v, unit);
    config_setting_t *m = config_setting_get_member(g, name);
    if (m && config_setting_type(m) != CONFIG_TYPE_STRING) {
        config_setting_remove(g, name);
        m = NULL;
    }
    if (!m)
        m = config_setting_add(g, name, CONFIG_TYPE_STRING);
    return m && config_setting_set_string(m, q);
}

/* Apply one feed set to the feed group g. */
static int apply_feed_set(config_setting_t *g, const RxFeedSet *fs)
{
    if (fs->flow >= 0 && !set_quantity(g, "flow", fs->flow, "L/h"))
        return 0;
    if (fs->acid >= 0 && !set_quantity(g, "acid", fs->acid, "mol/L"))
        return 0;
    if (fs->ncomp > 0) {
        if (config_setting_get_member(g, "composition"))
            config_setting_remove(g, "composition");
        config_setting_t *comp = config_setting_add(g, "composition", CONFIG_TYPE_GROUP);
        if (!comp)
            return 0;
        for (int j = 0; j < fs->ncomp; j++)
            if (fs->conc[j] > 0 && !set_quantity(comp, fs->sym[j], fs->conc[j], "mol/L"))
                return 0;
    }
    return 1;
}

/* The design specs' variables at x (design.specs order) set in root. */
static int apply_specs(const RxPlant *p, config_setting_t *root, const double *x, RxError *err)
{
    config_setting_t *fds = config_setting_get_member(root, "feeds"), *drs = config_setting_get_member(root, "draws");
    config_setting_t *ext = config_setting_get_member(root, "extractant");
    for (int k = 0; k < p->design.nspecs; k++) {
        const RxSpec *sp = &p->design.specs[k];
        int ok;
        if (sp->kind == RX_SPEC_FLOW) {
            config_setting_t *g = fds ? config_setting_get_elem(fds, (unsigned)sp->index) : NULL;
            ok = g && set_quantity(g, "flow", x[k], "L/h");
        } else if (sp->kind == RX_SPEC_SAPONIFICATION)
            ok = ext && set_quantity(ext, "saponification", PERCENT * x[k], "%");
        else {
            config_setting_t *g = drs ? config_setting_get_elem(drs, (unsigned)sp->index) : NULL;
            config_setting_t *m = g ? config_setting_get_member(g, "fraction") : NULL;
            if (g && !m)
                m = config_setting_add(g, "fraction", CONFIG_TYPE_FLOAT);
            ok = m && config_setting_set_float(m, x[k]);
        }
        if (!ok)
            return rx_error_set(err, RX_BAD_INPUT, p->path, "%s cannot be set", sp->label);
    }
    return RX_OK;
}

int rx_plant_variant(const RxPlant *p, int nsec, const int *sections, const int *stages, int nfeed,
                     const RxFeedSet *feeds, const double *spec_x, char **text, RxError *err)
{
    *text = NULL;
    config_t cfg;
    config_init(&cfg);
    int rc = RX_OK;
    /* The text the plant was read from (its @includes expanded), never the
     * file again: it may be a pipe, or have changed since. */
    if (!p->source_text) {
        rc = rx_error_set(err, RX_BAD_INPUT, p->path, "the plant keeps no description text to write a variant of");
        goto done;
    }
    config_set_include_dir(&cfg, RX_NO_INCLUDE_DIR);
    if (!config_read_string(&cfg, p->source_text)) {
        rc = rx_error_set(err, RX_BAD_INPUT, p->path, "cannot parse the plant description again: %s",
                          config_error_text(&cfg));
        goto done;
    }
    config_setting_t *root = config_root_setting(&cfg);
    config_setting_t *secs = config_setting_get_member(root, "sections");
    config_setting_t *fds = config_setting_get_member(root, "feeds");
    for (int i = 0; i < nsec && rc == RX_OK; i++) {
        config_setting_t *g = secs ? config_setting_get_elem(secs, (unsigned)sections[i]) : NULL;
        config_setting_t *st = g ? config_setting_get_member(g, "stages") : NULL;
        if (!st || !config_setting_set_int(st, stages[i]))
            rc = rx_error_set(err, RX_BAD_INPUT, p->path, "section %d has no stages to set", sections[i] + 1);
    }
    for (int i = 0; i < nfeed && rc == RX_OK; i++) {
        config_setting_t *g = fds ? config_setting_get_elem(fds, (unsigned)feeds[i].feed) : NULL;
        if (!g || !apply_feed_set(g, &feeds[i]))
            rc = rx_error_set(err, RX_BAD_INPUT, p->path, "feed %d cannot be set", feeds[i].feed + 1);
    }
    if (rc == RX_OK && spec_x)
        rc = apply_specs(p, root, spec_x, err);
    if (rc != RX_OK)
        goto done;
    size_t len = 0;
    FILE *f = open_memstream(text, &len);
    if (!f) {
        rc = rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
        goto done;
    }
    config_write(&cfg, f);
    if (fclose(f) != 0 || !*text) {
        free(*text);
        *text = NULL;
        rc = rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    }
done:
    config_destroy(&cfg);
    return rc;
}

int rx_design_variant(const RxPlant *p, const RxCandidate *c, char **text, RxError *err)
{
    const RxDesignSpec *d = &p->design;
    int sec[RX_MAX_DESIGN_VARS];
    RxFeedSet fs[2 * RX_MAX_DESIGN_VARS];
    for (int i = 0; i < d->nstage_vars; i++)
        sec[i] = d->stage_vars[i].section;
    int nfs = 0;
    for (int i = 0; i < d->nflow_vars; i++)
        fs[nfs++] = (RxFeedSet){.feed = d->flow_vars[i].feed, .flow = c->flows[i], .acid = -1, .ncomp = 0};
    for (int i = 0; i < d->nwindows; i++) { /* a window feed outside design.flows, run at its window's middle */
        int in_flows = 0;
        for (int k = 0; k < d->nflow_vars; k++)
            in_flows |= d->flow_vars[k].feed == d->windows[i].feed;
        if (!in_flows && isfinite(c->window_x[i]))
            fs[nfs++] = (RxFeedSet){.feed = d->windows[i].feed, .flow = c->window_x[i], .acid = -1, .ncomp = 0};
    }
    return rx_plant_variant(p, d->nstage_vars, sec, c->stages, nfs, fs, d->nspecs ? c->spec_x : NULL, text, err);
}
