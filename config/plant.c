/*
 * config/plant.c - a plant description read whole: the file or text, its
 * version and title, the extractant, the solver options and the aqueous
 * data, each schema group in turn, and the check that every stage gets both
 * phases.  Quantities are strings with their unit written out ("100 L/h",
 * "30 g/L REO", "pH 1.5"); docs/config.md lists them all.
 */
#include "config/internal.h"

#include "core/datafile.h"
#include "core/flows.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Solver defaults (documented in docs/config.md). */
#define RX_DEFAULT_MAX_ITER 2000
#define RX_DEFAULT_TOL 1e-12
/* The tolerance range: the residual is a difference of logarithms
 * (ln T - ln inflow), each rounded to a relative 1.1e-16 of |ln x|, which
 * reaches 30 for trace concentrations (1e-13 mol/L): some 3e-15 of noise
 * that no iteration removes.  1e-14 is the least a solve can be asked for;
 * above 1e-3 (0.1 % per stage) a solution is not a steady state. */
#define RX_MIN_TOL 1e-14
#define RX_MAX_TOL 1e-3
/* Newton iterations at most: 500 times the default.  A circuit of
 * RX_MAX_STAGES stages converges in about 5000 (8.5 s); one that has not in
 * 10^6 will not, and more would only delay exit 3 by hours. */
#define RX_MAX_ITER 1000000

/* What the extractant's data file (models/data/<name>_chloride.tsv) gives
 * of it; a model that needs a molar concentration from a v/v% dosage needs
 * both. */
typedef struct {
    double molar_mass, density;
    int have_mm, have_rho;
} ExtractantProps;

static int extractant_row(void *vctx, char **tok, int ntok, int line, RxError *err)
{
    (void)ntok;
    (void)line;
    (void)err;
    ExtractantProps *e = vctx;
    double v;
    if (strcmp(tok[0], "molar_mass") == 0 && rx_parse_number(tok[1], &v) && v > 0) {
        e->molar_mass = v;
        e->have_mm = 1;
    } else if (strcmp(tok[0], "density") == 0 && rx_parse_number(tok[1], &v) && v > 0) {
        e->density = v;
        e->have_rho = 1;
    }
    return RX_OK;
}

/* extractant.name: its data file (path, n bytes) and the properties in it;
 * the model's data file too when the model takes the extractant's. */
static int read_extractant_name(const RxCfg *c, const config_setting_t *g, ExtractantProps *props, char *path,
                                size_t n)
{
    RxPlant *p = c->p;
    const char *name;
    int rc = rx_cfg_get_string(c, g, "name", &name);
    if (rc != RX_OK)
        return rc;
    if (strlen(name) == 0 || strlen(name) >= sizeof p->extractant || strchr(name, '/'))
        return rx_cfg_fail(c, rx_cfg_member(g, "name"), "'%s' is not a valid extractant name", name);
    snprintf(p->extractant, sizeof p->extractant, "%s", name);
    snprintf(path, n, "%s/%s_chloride.tsv", rx_data_dir(), name);
    RxError derr;
    if (rx_datafile_read(path, 2, extractant_row, props, &derr) != RX_OK)
        return rx_cfg_fail(c, rx_cfg_member(g, "name"), "no usable data for extractant '%s' (%s: %s)", name, derr.where,
                           derr.msg);
    if (c->model->extractant_data && !p->model_spec.datafile[0])
        snprintf(p->model_spec.datafile, sizeof p->model_spec.datafile, "%s", path);
    return RX_OK;
}

/* extractant.concentration: mol/L of monomer HA, or a dosage in v/v% (in
 * mol/L too when the data file, path, gives molar mass and density). */
static int read_extractant_conc(const RxCfg *c, const config_setting_t *g, const ExtractantProps *props,
                                const char *path)
{
    RxPlant *p = c->p;
    const config_setting_t *m;
    int rc = rx_cfg_need(c, g, "concentration", CONFIG_TYPE_NONE, &m);
    if (rc != RX_OK)
        return rc;
    if (config_setting_type(m) != CONFIG_TYPE_STRING)
        return rx_cfg_fail(c, m, "expected a quantity with its unit, e.g. \"1.5 mol/L\"");
    const char *s = config_setting_get_string(m), *unit;
    double v;
    if (!rx_cfg_split_quantity(s, &v, &unit))
        return rx_cfg_fail(c, m, "'%s' does not start with a number (e.g. \"1.5 mol/L\")", s);
    if (strcmp(unit, "mol/L") == 0)
        p->extractant_conc = v;
    else if (strcmp(unit, "v/v%") == 0 || strcmp(unit, "% v/v") == 0) {
        char num[RX_NUM_LEN];
        if (v > PERCENT)
            return rx_cfg_fail(c, m, "%s v/v%% is more than 100 %%", rx_fmt_beyond(num, v, PERCENT));
        p->extractant_vv = v;
        /* The molar concentration needs the data file's molar mass and
         * density; models that only use the dosage do without. */
        if (props->have_mm && props->have_rho)
            p->extractant_conc = v / PERCENT * props->density * ML_PER_L / props->molar_mass;
        else if (c->model->needs_extractant)
            return rx_cfg_fail(c, m, "v/v%% needs molar_mass and density rows in %s", path);
        else if (!(v > 0))
            return rx_cfg_fail(c, m, "extractant dosage must be positive [v/v%%]");
    } else
        return rx_cfg_fail(c, m, "unknown unit '%s' (use mol/L as monomer HA, or v/v%%)", unit);
    if (!(p->extractant_conc > 0) && !(p->extractant_vv > 0))
        return rx_cfg_fail(c, m, "extractant concentration must be positive [mol/L]");
    p->extractant_mm = props->have_mm ? props->molar_mass : 0;
    p->extractant_rho = props->have_rho ? props->density : 0;
    char num[RX_NUM_LEN];
    if (!(p->extractant_conc <= RX_MAX_MOLAR))
        return rx_cfg_fail(c, m, "%s mol/L is more extractant than a liquid holds (at most %g mol/L)",
                           rx_fmt_beyond(num, p->extractant_conc, RX_MAX_MOLAR), RX_MAX_MOLAR);
    if (p->extractant_conc > 0 && !(p->extractant_conc >= RX_MIN_MOLAR))
        return rx_cfg_fail(c, m, "%.4g mol/L of extractant is below the least amount reesx resolves (%g mol/L)",
                           p->extractant_conc, RX_MIN_MOLAR);
    return RX_OK;
}

/* extractant.saponification and base: the base becomes a species when the
 * extractant is saponified. */
static int read_saponification(const RxCfg *c, const config_setting_t *root, const config_setting_t *g)
{
    RxPlant *p = c->p;
    const config_setting_t *m = rx_cfg_member(g, "saponification");
    int rc;
    if (m) {
        rc = rx_cfg_get_quantity(c, m, rx_cfg_percent_units, "36 %", &p->saponification);
        if (rc != RX_OK)
            return rc;
        /* Each Na(A.HA) holds two monomer units: at most half the HA can be saponified. */
        char num[RX_NUM_LEN];
        if (p->saponification < 0 || p->saponification >= RX_MAX_SAPONIFICATION)
            return rx_cfg_fail(c, m, "%s %% is not feasible: saponification must be 0 to below 50 %% "
                                     "(each Na(A.HA) holds two HA units) [%%]",
                               rx_fmt_beyond(num, p->saponification * PERCENT, p->saponification < 0 ? 0 : PERCENT * RX_MAX_SAPONIFICATION));
        if (p->saponification > 0 && !(p->saponification * p->extractant_conc >= RX_MIN_MOLAR))
            return rx_cfg_fail(c, m,
                               "%.4g %% saponification puts %.4g mol/L of base on the organic, below the least "
                               "amount reesx resolves (%g mol/L); give 0 %%",
                               p->saponification * PERCENT, p->saponification * p->extractant_conc, RX_MIN_MOLAR);
    }
    /* Without a model group, a missing constant is best pointed at here. */
    if (!rx_cfg_member(root, "model"))
        snprintf(p->model_spec.where, sizeof p->model_spec.where, "%s",
                 rx_cfg_where(c, rx_cfg_member(g, "base") ? rx_cfg_member(g, "base") : g));
    if (rx_cfg_member(g, "base")) {
        const char *s;
        rc = rx_cfg_get_string(c, g, "base", &s);
        if (rc != RX_OK)
            return rc;
        if (strcmp(s, "NaOH") != 0 && strcmp(s, "NH4OH") != 0)
            return rx_cfg_fail(c, rx_cfg_member(g, "base"), "'%s' is not a supported base (use NaOH or NH4OH)", s);
        snprintf(p->base_name, sizeof p->base_name, "%s", s);
    }
    if (p->saponification > 0) {
        const char *sym = rx_base_symbol(p);
        const RxElement *e = rx_elements_find(p->elements, sym);
        if (!e)
            return rx_cfg_fail(c, rx_cfg_member(g, "base"), "element data has no %s", sym);
        p->base_species = rx_plant_add_species(p, (int)(e - p->elements->el));
    }
    return RX_OK;
}

/* The extractant group, required when the model needs the extractant. */
static int read_extractant(const RxCfg *c, const config_setting_t *root)
{
    static const char *const keys[] = {"name", "concentration", "saponification", "base", NULL};
    const config_setting_t *g = rx_cfg_member(root, "extractant");
    if (!g) {
        if (c->model->needs_extractant)
            return rx_cfg_fail_missing(c, root, "extractant", "required setting is missing (the %s model needs it)",
                                       c->model->name);
        return RX_OK;
    }
    if (!config_setting_is_group(g))
        return rx_cfg_fail(c, g, "expected a group { name; concentration; saponification; base; }");
    ExtractantProps props = {0};
    char path[512];
    int rc;
    if ((rc = rx_cfg_check_keys(c, g, keys)) != RX_OK ||
        (rc = read_extractant_name(c, g, &props, path, sizeof path)) != RX_OK ||
        (rc = read_extractant_conc(c, g, &props, path)) != RX_OK)
        return rc;
    return read_saponification(c, root, g);
}

/* The solver group: the circuit solver's iteration limit and tolerance. */
static int read_solver(const RxCfg *c, const config_setting_t *root)
{
    static const char *const keys[] = {"max_iterations", "tolerance", NULL};
    RxPlant *p = c->p;
    p->options.max_iterations = RX_DEFAULT_MAX_ITER;
    p->options.tolerance = RX_DEFAULT_TOL;
    const config_setting_t *g = rx_cfg_member(root, "solver"), *m;
    if (!g)
        return RX_OK;
    if (!config_setting_is_group(g))
        return rx_cfg_fail(c, g, "expected a group { max_iterations; tolerance; }");
    int rc = rx_cfg_check_keys(c, g, keys);
    if (rc == RX_OK && rx_cfg_member(g, "max_iterations")) {
        long long n;
        if ((rc = rx_cfg_get_integer(c, g, "max_iterations", &m, &n)) != RX_OK)
            return rc;
        if (n < 1 || n > RX_MAX_ITER)
            return rx_cfg_fail(c, m, "%lld iterations: must be 1 to %d", n, RX_MAX_ITER);
        p->options.max_iterations = (int)n;
    }
    if (rc == RX_OK && rx_cfg_member(g, "tolerance")) {
        if ((rc = rx_cfg_need(c, g, "tolerance", CONFIG_TYPE_FLOAT, &m)) != RX_OK)
            return rc;
        p->options.tolerance = rx_cfg_number(m);
        char num[RX_NUM_LEN];
        double t = p->options.tolerance;
        if (!(t >= RX_MIN_TOL && t < RX_MAX_TOL))
            return rx_cfg_fail(c, m, "%s: must be from %g to below %g (max |ln residual|; double precision "
                                     "reaches no further)",
                               rx_fmt_beyond(num, t, t < RX_MIN_TOL ? RX_MIN_TOL : RX_MAX_TOL), RX_MIN_TOL,
                               RX_MAX_TOL);
    }
    return rc;
}

static int aqueous_row(void *vctx, char **tok, int ntok, int line, RxError *err)
{
    (void)ntok;
    (void)line;
    RxPlant *p = vctx;
    double v;
    if (strcmp(tok[0], "HSO4_pKa") == 0) {
        if (!rx_parse_number(tok[1], &v))
            return rx_error_set(err, RX_BAD_INPUT, NULL, "HSO4_pKa: not a number");
        p->ka_hso4 = pow(10.0, -v);
    }
    return RX_OK;
}

/* Aqueous equilibria (models/data/aqueous.tsv). */
static int load_aqueous(RxPlant *p, RxError *err)
{
    char path[512];
    snprintf(path, sizeof path, "%s/aqueous.tsv", rx_data_dir());
    int rc = rx_datafile_read(path, 2, aqueous_row, p, err);
    if (rc == RX_OK && !(p->ka_hso4 > 0))
        rc = rx_error_set(err, RX_BAD_INPUT, path, "no HSO4_pKa row");
    return rc;
}

/* Every stage needs both phases flowing through it (a draw of a whole outflow
 * can starve the stages beyond it): said here, with the line of the draws or
 * the feeds, rather than when solving. */
static int check_flows(const RxCfg *c, const config_setting_t *root)
{
    RxPlant *p = c->p;
    size_t N = (size_t)p->nstages;
    double *buf = calloc(N * (7 + (size_t)p->nsp), sizeof(double));
    if (!buf)
        return rx_error_set(c->err, RX_NO_MEMORY, NULL, "out of memory");
    RxFlows fl = {buf, buf + N, buf + 2 * N, buf + 3 * N, buf + 7 * N, buf + 4 * N, buf + 5 * N, buf + 6 * N};
    rx_cascade_flows(p, p->feeds, &fl);
    const config_setting_t *at =
        rx_cfg_member(root, "draws") ? rx_cfg_member(root, "draws") : rx_cfg_member(root, "feeds");
    int what, k = rx_flows_gap(p->nstages, fl.A, fl.O, fl.cl, fl.so4, c->model->needs_anions, &what), rc = RX_OK;
    if (k >= 0 && what != RX_GAP_ANIONS)
        rc = rx_cfg_fail(c, at,
                         "stage %d gets no %s flow: every stage needs both phases (a draw of a whole outflow "
                         "starves the stages beyond it; or no feed reaches it)",
                         k + 1, what == RX_GAP_ORGANIC ? "organic" : "aqueous");
    else if (k >= 0)
        rc = rx_cfg_fail(c, at, "stage %d gets no anions (chloride or sulfate) in its aqueous", k + 1);
    free(buf);
    return rc;
}

/* A description of batch chemistry alone, for `reesx fit` of shake-outs:
 * extractant, model and fit, no circuit.  Its model is built by the fit,
 * for the data's elements. */
static int read_chemistry(RxCfg *c, const config_setting_t *root)
{
    static const char *const keys[] = {"version", "title", "extractant", "model", "fit", NULL};
    static const char *const circuit[] = {"draws", "products", "dynamics", "design", "cost", NULL};
    RxPlant *p = c->p;
    for (int i = 0; circuit[i]; i++)
        if (rx_cfg_member(root, circuit[i]))
            return rx_cfg_fail(c, rx_cfg_member(root, circuit[i]), "needs a circuit: give sections and feeds too");
    int rc = rx_cfg_read_head(c, root, keys, p->title, sizeof p->title);
    if (rc == RX_OK && (rc = rx_cfg_read_model(c, root)) == RX_OK && (rc = read_extractant(c, root)) == RX_OK &&
        (rc = rx_cfg_read_model_values(c, root)) == RX_OK)
        rc = rx_cfg_read_fit(c, root);
    if (rc == RX_OK && p->fit.profile[0])
        return rx_cfg_fail(c, rx_cfg_member(rx_cfg_member(root, "fit"), "profile"),
                           "a stage profile is of a circuit: give sections and feeds too");
    return rc;
}

/* Every schema group in turn (a group may use what those before it read),
 * then the model for the species found. */
static int read_plant(RxCfg *c, const config_setting_t *root)
{
    static const char *const keys[] = {"version",  "title",  "extractant", "model",  "sections", "feeds", "draws",
                                       "products", "solver", "dynamics",   "design", "cost",     "uncertainty",
                                       "fit",      NULL};
    RxPlant *p = c->p;
    int rc;
    if ((rc = rx_cfg_read_head(c, root, keys, p->title, sizeof p->title)) != RX_OK)
        return rc;
    if ((rc = rx_cfg_read_model(c, root)) != RX_OK || (rc = read_extractant(c, root)) != RX_OK ||
        (rc = rx_cfg_read_sections(c, root)) != RX_OK || (rc = rx_cfg_read_feeds(c, root)) != RX_OK ||
        (rc = rx_cfg_read_draws(c, root)) != RX_OK)
        return rc;
    rx_plant_drop_unfed_base(p);
    rx_plant_sort_species(p);
    if ((rc = check_flows(c, root)) != RX_OK)
        return rc;
    if ((rc = rx_cfg_read_products(c, root)) != RX_OK || (rc = rx_cfg_read_model_values(c, root)) != RX_OK ||
        (rc = rx_cfg_read_dynamics(c, root)) != RX_OK || (rc = rx_cfg_read_design(c, root)) != RX_OK ||
        (rc = rx_cfg_read_cost(c, root)) != RX_OK || (rc = rx_cfg_read_uncertainty(c, root)) != RX_OK ||
        (rc = read_solver(c, root)) != RX_OK ||
        (rc = rx_cfg_read_fit(c, root)) != RX_OK)
        return rc;
    if (p->nsp == 0)
        return rx_cfg_fail(c, rx_cfg_member(root, "feeds"), "no feed carries any metal");
    return rx_model_build(p, c->err);
}

int rx_cfg_load_plant(const char *path, RxSource *src, const config_t *cfg, int chemistry, RxPlant **out,
                      RxError *err)
{
    *out = NULL;
    RxPlant *p = rx_plant_create(path);
    if (!p)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    RxCfg c = {path, err, p, NULL, src};
    char epath[512];
    snprintf(epath, sizeof epath, "%s/elements.tsv", rx_data_dir());
    const config_setting_t *root = config_root_setting(cfg);
    int rc = rx_cfg_check_strings(&c, root);
    if (rc == RX_OK && (rc = rx_elements_load(epath, &p->elements, err)) == RX_OK &&
        (rc = load_aqueous(p, err)) == RX_OK) {
        int bare = !rx_cfg_member(root, "sections") && !rx_cfg_member(root, "feeds");
        if (bare && chemistry && rx_cfg_member(root, "fit"))
            rc = read_chemistry(&c, root);
        else if (bare && rx_cfg_member(root, "fit"))
            rc = rx_error_set(err, RX_BAD_INPUT, path,
                              "no circuit (sections, feeds): this description is for reesx fit alone");
        else
            rc = read_plant(&c, root);
    }
    if (rc != RX_OK) {
        rx_plant_destroy(&p);
        return rc;
    }
    p->source_text = src->text; /* the plant keeps what it was read from: nothing reads the file again */
    src->text = NULL;
    *out = p;
    return RX_OK;
}

/* Load the plant from text (named path in messages), or from the file path
 * when text is NULL: read once, parsed from memory. */
static int plant_load(const char *path, const char *text, int chemistry, RxPlant **out, RxError *err)
{
    RxSource src;
    config_t cfg;
    config_init(&cfg);
    int rc = text ? rx_source_text(&src, text, path, err) : rx_source_read(&src, path, "the plant description", err);
    if (rc == RX_OK && (rc = rx_source_parse(&src, &cfg)) == RX_OK)
        rc = rx_cfg_load_plant(path, &src, &cfg, chemistry, out, err);
    config_destroy(&cfg);
    rx_source_free(&src);
    return rc;
}
int rx_plant_load(const char *path, RxPlant **out, RxError *err)
{
    return plant_load(path, NULL, 0, out, err);
}

int rx_plant_load_for_fit(const char *path, RxPlant **out, RxError *err)
{
    return plant_load(path, NULL, 1, out, err);
}

int rx_plant_load_text(const char *text, const char *name, RxPlant **out, RxError *err)
{
    if (!name)
        name = "<text>";
    if (!text)
        return rx_error_set(err, RX_BAD_INPUT, name, "no plant description text");
    return plant_load(name, text, 0, out, err);
}
