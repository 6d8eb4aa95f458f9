/*
 * config/flowsheet.c - a flowsheet description: circuits, each a plant
 * description of its own, the connections from outlets to feeds, and the
 * tear-stream iteration.
 */
#include "config/internal.h"

#include "core/readfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RX_DEFAULT_TEAR_TOL 1e-10
/* A tear looser than this could leave the balance above RX_CLOSURE_TOL;
 * one tighter than RX_MIN_TEAR_TOL is below the rounding of a stream's
 * flows (sums of doubles, 1.1e-16 relative each, over the stages): no
 * iteration could tell it from noise. */
#define RX_MAX_TEAR_TOL 1e-10
#define RX_MIN_TEAR_TOL 1e-14
#define RX_DEFAULT_TEAR_ITER 200
/* Tear iterations at most: 500 times the default; each solves every
 * circuit, so more only delays the report that the tears do not settle. */
#define RX_MAX_TEAR_ITER 100000

int rx_is_flowsheet(const char *path)
{
    RxSource src;
    RxError err;
    config_t cfg;
    config_init(&cfg);
    int yes = rx_source_read(&src, path, "the description", &err) == RX_OK && rx_source_parse(&src, &cfg) == RX_OK &&
              config_lookup(&cfg, "flowsheet") != NULL;
    config_destroy(&cfg);
    rx_source_free(&src);
    return yes;
}

/* "circuit:name" -> circuit index and name; fails naming the setting. */
static int split_ref(const RxCfg *c, const config_setting_t *m, const RxFlowsheet *fs, int *circ, char *name)
{
    const char *s = config_setting_type(m) == CONFIG_TYPE_STRING ? config_setting_get_string(m) : NULL;
    const char *colon = s ? strrchr(s, ':') : NULL;
    if (!colon)
        return rx_cfg_fail(c, m, "expected \"circuit:stream\"");
    *circ = -1;
    for (int i = 0; i < fs->n; i++)
        if (strlen(fs->name[i]) == (size_t)(colon - s) && strncmp(fs->name[i], s, (size_t)(colon - s)) == 0)
            *circ = i;
    if (*circ < 0)
        return rx_cfg_fail(c, m, "'%.*s' is not a circuit of the flowsheet", (int)(colon - s), s);
    snprintf(name, RX_NAME_LEN, "%s", colon + 1);
    return RX_OK;
}

/* One { name; file; } of flowsheet.circuits: its plant is loaded from file
 * (relative to dir, the flowsheet's directory). */
static int read_circuit(const RxCfg *c, const config_setting_t *e, const char *dir, RxFlowsheet *fs)
{
    static const char *const keys[] = {"name", "file", NULL};
    const char *name, *file;
    int rc;
    if (!config_setting_is_group(e))
        return rx_cfg_fail(c, e, "expected a group { name; file; }");
    if ((rc = rx_cfg_check_keys(c, e, keys)) != RX_OK || (rc = rx_cfg_get_string(c, e, "name", &name)) != RX_OK ||
        (rc = rx_cfg_get_string(c, e, "file", &file)) != RX_OK)
        return rc;
    if (!*name || strlen(name) >= RX_NAME_LEN || strchr(name, ':') || strchr(name, '/'))
        return rx_cfg_fail(c, rx_cfg_member(e, "name"), "'%s' is not a valid circuit name (no ':' or '/')", name);
    for (int k = 0; k < fs->n; k++)
        if (strcmp(fs->name[k], name) == 0)
            return rx_cfg_fail(c, rx_cfg_member(e, "name"), "circuit '%s' is defined twice", name);
    char path[800];
    int w = snprintf(path, sizeof path, "%s%s", file[0] == '/' ? "" : dir, file);
    if (w < 0 || (size_t)w >= sizeof path)
        return rx_cfg_fail(c, rx_cfg_member(e, "file"), "the path is longer than %zu bytes", sizeof path - 1);
    if (!rx_is_regular_file(path)) /* not opened here: a FIFO would block */
        return rx_cfg_fail(c, rx_cfg_member(e, "file"), "cannot open circuit file %s (not a regular file)", path);
    snprintf(fs->name[fs->n], RX_NAME_LEN, "%s", name);
    if ((rc = rx_plant_load(path, &fs->plant[fs->n], c->err)) != RX_OK)
        return rc; /* the circuit file's own file:line */
    fs->n++;
    return RX_OK;
}

static int read_circuits(const RxCfg *c, const config_setting_t *g, RxFlowsheet *fs)
{
    const config_setting_t *l;
    int rc;
    if ((rc = rx_cfg_need(c, g, "circuits", CONFIG_TYPE_LIST, &l)) != RX_OK)
        return rc;
    if (config_setting_length(l) < 1 || config_setting_length(l) > RX_MAX_CIRCUITS)
        return rx_cfg_fail(c, l, "needs 1 to %d circuits", RX_MAX_CIRCUITS);
    char dir[256];
    snprintf(dir, sizeof dir, "%s", fs->path);
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[1] = '\0';
    else
        dir[0] = '\0';
    for (int i = 0; i < config_setting_length(l); i++)
        if ((rc = read_circuit(c, config_setting_get_elem(l, (unsigned)i), dir, fs)) != RX_OK)
            return rc;
    return RX_OK;
}

/* One { from = "circuit:outlet"; to = "circuit:feed"; } of
 * flowsheet.connections: an outlet of the phase of the feed it becomes,
 * chloride only, and at most one connection into each feed. */
static int read_connection(const RxCfg *c, const config_setting_t *e, RxFlowsheet *fs)
{
    static const char *const keys[] = {"from", "to", NULL};
    const config_setting_t *fm, *tm;
    RxConnection *k = &fs->conn[fs->nconn];
    char feed[RX_NAME_LEN];
    int rc;
    if (!config_setting_is_group(e))
        return rx_cfg_fail(c, e, "expected a group { from = \"circuit:outlet\"; to = \"circuit:feed\"; }");
    if ((rc = rx_cfg_check_keys(c, e, keys)) != RX_OK ||
        (rc = rx_cfg_need(c, e, "from", CONFIG_TYPE_STRING, &fm)) != RX_OK ||
        (rc = rx_cfg_need(c, e, "to", CONFIG_TYPE_STRING, &tm)) != RX_OK ||
        (rc = split_ref(c, fm, fs, &k->from_c, k->from)) != RX_OK ||
        (rc = split_ref(c, tm, fs, &k->to_c, feed)) != RX_OK)
        return rc;
    const RxPlant *a = fs->plant[k->from_c], *b = fs->plant[k->to_c];
    int phase = strcmp(k->from, "raffinate") == 0 ? RX_AQ : strcmp(k->from, "organic") == 0 ? RX_ORG : -1;
    for (int d = 0; d < a->ndraws && phase < 0; d++)
        if (strcmp(a->draws[d].name, k->from) == 0)
            phase = a->draws[d].phase;
    if (phase < 0)
        return rx_cfg_fail(c, fm, "'%s' is not an outlet of circuit '%s' (raffinate, organic or a draw)", k->from,
                           fs->name[k->from_c]);
    k->to_feed = rx_cfg_index_by_name(b->feeds, sizeof *b->feeds, b->nfeeds, feed);
    if (k->to_feed < 0)
        return rx_cfg_fail(c, tm, "'%s' is not a feed of circuit '%s'", feed, fs->name[k->to_c]);
    if (b->feeds[k->to_feed].phase != phase)
        return rx_cfg_fail(c, tm, "an %s outlet cannot become an %s feed", phase == RX_AQ ? "aqueous" : "organic",
                           phase == RX_AQ ? "organic" : "aqueous");
    if (phase == RX_ORG && k->to_c != k->from_c)
        return rx_cfg_fail(c, tm, "an organic outlet returns to its own circuit's organic feed only");
    int sulfate = b->feeds[k->to_feed].so4 > 0;
    for (int f = 0; f < a->nfeeds; f++)
        sulfate |= a->feeds[f].so4 > 0;
    if (sulfate)
        return rx_cfg_fail(c, tm, "flowsheets join chloride streams only");
    for (int o = 0; o < fs->nconn; o++)
        if (fs->conn[o].to_c == k->to_c && fs->conn[o].to_feed == k->to_feed)
            return rx_cfg_fail(c, tm, "feed '%s' of circuit '%s' is fed by two connections", feed,
                               fs->name[k->to_c]);
    k->phase = phase;
    fs->nconn++;
    return RX_OK;
}

static int read_connections(const RxCfg *c, const config_setting_t *g, RxFlowsheet *fs)
{
    const config_setting_t *l = rx_cfg_member(g, "connections");
    int rc;
    if (!l)
        return RX_OK;
    if (!config_setting_is_list(l) || config_setting_length(l) > RX_MAX_CONNECTIONS)
        return rx_cfg_fail(c, l, "expected a list of up to %d groups { from; to; }", RX_MAX_CONNECTIONS);
    for (int i = 0; i < config_setting_length(l); i++)
        if ((rc = read_connection(c, config_setting_get_elem(l, (unsigned)i), fs)) != RX_OK)
            return rc;
    return RX_OK;
}

/* The tear-stream iteration: max_iterations and tolerance. */
static int read_tear(const RxCfg *c, const config_setting_t *g, RxFlowsheet *fs)
{
    const config_setting_t *m;
    int rc;
    fs->max_iterations = RX_DEFAULT_TEAR_ITER;
    fs->tolerance = RX_DEFAULT_TEAR_TOL;
    if ((m = rx_cfg_member(g, "max_iterations"))) {
        long long n;
        if ((rc = rx_cfg_get_integer(c, g, "max_iterations", &m, &n)) != RX_OK)
            return rc;
        if (n < 1 || n > RX_MAX_TEAR_ITER)
            return rx_cfg_fail(c, m, "%lld iterations: must be 1 to %d", n, RX_MAX_TEAR_ITER);
        fs->max_iterations = (int)n;
    }
    if ((m = rx_cfg_member(g, "tolerance"))) {
        double t = fs->tolerance = rx_cfg_number(m), lim = t < RX_MIN_TEAR_TOL ? RX_MIN_TEAR_TOL : RX_MAX_TEAR_TOL;
        if (!(t >= RX_MIN_TEAR_TOL && t <= RX_MAX_TEAR_TOL))
            return rx_cfg_fail(c, m, "%s: must be from %g to %g (relative change of a tear stream; the "
                                     "flowsheet balance must close to %g)",
                               rx_fmt_beyond((char[RX_NUM_LEN]){0}, t, lim),
                               RX_MIN_TEAR_TOL, RX_MAX_TEAR_TOL, RX_CLOSURE_TOL);
    }
    return RX_OK;
}

static int read_flowsheet(const RxCfg *c, const config_setting_t *root, RxFlowsheet *fs)
{
    static const char *const top[] = {"version", "title", "flowsheet", NULL};
    static const char *const keys[] = {"circuits", "connections", "max_iterations", "tolerance", NULL};
    const config_setting_t *g = rx_cfg_member(root, "flowsheet");
    int rc;
    if ((rc = rx_cfg_read_head(c, root, top, fs->title, sizeof fs->title)) != RX_OK)
        return rc;
    if (!g)
        return rx_cfg_fail_missing(c, root, "flowsheet",
                                   "required setting is missing (a group { circuits; connections; })");
    if (!config_setting_is_group(g))
        return rx_cfg_fail(c, g, "expected a group { circuits; connections; }");
    if ((rc = rx_cfg_check_keys(c, g, keys)) != RX_OK || (rc = read_circuits(c, g, fs)) != RX_OK ||
        (rc = read_connections(c, g, fs)) != RX_OK)
        return rc;
    return read_tear(c, g, fs);
}

/* The flowsheet of the parsed description cfg of src (named path). */
static int load_flowsheet(const char *path, const RxSource *src, const config_t *cfg, RxFlowsheet **out,
                          RxError *err)
{
    *out = NULL;
    RxFlowsheet *fs = calloc(1, sizeof *fs);
    if (!fs)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    snprintf(fs->path, sizeof fs->path, "%s", path);
    /* the names of settings in messages need a plant for the element table only */
    RxPlant scratch;
    memset(&scratch, 0, sizeof scratch);
    RxCfg c = {path, err, &scratch, NULL, src};
    int rc = rx_cfg_check_strings(&c, config_root_setting(cfg));
    if (rc == RX_OK)
        rc = read_flowsheet(&c, config_root_setting(cfg), fs);
    if (rc != RX_OK) {
        rx_flowsheet_destroy(&fs);
        return rc;
    }
    *out = fs;
    return RX_OK;
}

int rx_flowsheet_load(const char *path, RxFlowsheet **out, RxError *err)
{
    RxSource src;
    config_t cfg;
    config_init(&cfg);
    *out = NULL;
    int rc = rx_source_read(&src, path, "the flowsheet description", err);
    if (rc == RX_OK && (rc = rx_source_parse(&src, &cfg)) == RX_OK)
        rc = load_flowsheet(path, &src, &cfg, out, err);
    config_destroy(&cfg);
    rx_source_free(&src);
    return rc;
}

int rx_load(const char *path, RxPlant **p, RxFlowsheet **fs, RxError *err)
{
    RxSource src;
    config_t cfg;
    config_init(&cfg);
    *p = NULL;
    *fs = NULL;
    int rc = rx_source_read(&src, path, "the plant description", err);
    if (rc == RX_OK && (rc = rx_source_parse(&src, &cfg)) == RX_OK)
        rc = config_lookup(&cfg, "flowsheet") ? load_flowsheet(path, &src, &cfg, fs, err)
                                               : rx_cfg_load_plant(path, &src, &cfg, 0, p, err);
    config_destroy(&cfg);
    rx_source_free(&src);
    return rc;
}
