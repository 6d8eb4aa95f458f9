/*
 * test_stress.c - the stress set of issue 12: circuits at the edges of what
 * a plant asks of the steady solver.  Each is a real plant (its fixture in
 * tests/fixtures/stress/ says how its flows and stages were chosen), solved
 * cold within the default iterations with its mass balance closed to
 * RX_CLOSURE_TOL (solve_ok), and checked for the physics it is there for:
 *   - 1 000 stages x 12 metals (lace_ndpr_12.cfg at 500 + 500 stages)
 *   - a binary near total reflux, R = 100 (ndpr_reflux_100.cfg)
 *   - La-Ce | NdPr at 99.99 % / 99.99 % (lace_ndpr_9999.cfg)
 *   - a strip section fed with 6 mol/L HCl (strip_6m.cfg)
 *   - saponification at 0 % (tbdy_unsaponified.cfg) and at the most the
 *     loader accepts (lace_ndpr_sap_max.cfg)
 * No test here is timed (make bench times them).  Before the nested solve
 * of issue 12 the first two needed 8873 and 4603 iterations, over the
 * default 2000.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define FIXTURES "tests/fixtures/stress/"

/* Purity (%) and recovery (%) of product i. */
static RxProductReport report(const RxPlant *p, const RxSolution *s, int i)
{
    RxProductReport r;
    RxError err;
    rx_error_clear(&err);
    cr_assert_eq(rx_product_report(p, s, i, &r, &err), RX_OK, "%s", err.msg);
    return r;
}

/* Metal (every species) of outlet name, mol/h. */
static double outlet_metal(const RxPlant *p, const RxSolution *s, const char *name)
{
    RxStream st;
    cr_assert_eq(rx_outlet(p, s, name, &st), RX_OK, "no outlet %s", name);
    double m = 0;
    for (int j = 0; j < p->nsp; j++)
        m += st.c[j] * st.flow;
    return m;
}

/* Species j fed in all, mol/h. */
static double fed(const RxPlant *p, int j)
{
    double m = 0;
    for (int i = 0; i < p->nfeeds; i++)
        m += p->feeds[i].flow * p->feeds[i].c[j];
    return m;
}

/* The most of species j any stage's organic outflow carries, mol/h. */
static double most_on_organic(const RxSolution *s, int j)
{
    double m = 0;
    for (int k = 0; k < s->N; k++)
        m = fmax(m, s->O[k] * s->y[k * s->M + j]);
    return m;
}

static int feed_named(const RxPlant *p, const char *name)
{
    for (int i = 0; i < p->nfeeds; i++)
        if (strcmp(p->feeds[i].name, name) == 0)
            return i;
    cr_assert_fail("no feed %s", name);
    return -1;
}

/* ---- 1 000 stages x 12 metals ---------------------------------------------- */

/* lace_ndpr_12.cfg's 100 stages, then 500 + 500: the deeper cascade must
 * separate at least as well (the fixture: 99.9997 % / 99.981 % at 100
 * stages, 100.0000 % / 99.982 % at 1 000), and recover at least 99.99 % of
 * each side (99.996 % and 100.0000 % at 1 000 stages, same source).
 * The nested solve takes 62 iterations (all levels); the march before it
 * 8873. */
#define DEEP_SECTION_STAGES 500 /* issue 12: 500 extraction + 500 scrub */
#define DEEP_MIN_RECOVERY 99.99 /* %, above */
Test(stress, deep_1000_stages_12_metals)
{
    RxPlant *p = load_config(FIXTURES "lace_ndpr_12.cfg");
    cr_assert_eq(p->nsp, 12, "11 rare earths and Na: %d species", p->nsp);
    RxSolution *s = solve_ok(p);
    double shallow[2] = {report(p, s, 0).purity, report(p, s, 1).purity};
    rx_solution_destroy(&s);
    const int sections[2] = {0, 1}, stages[2] = {DEEP_SECTION_STAGES, DEEP_SECTION_STAGES};
    RxError err;
    cr_assert_eq(rx_plant_set_stages(p, 2, sections, stages, &err), RX_OK, "%s", err.msg);
    cr_assert_eq(p->nstages, 2 * DEEP_SECTION_STAGES);
    s = solve_ok(p);
    for (int i = 0; i < 2; i++) {
        RxProductReport r = report(p, s, i);
        cr_expect(r.purity >= shallow[i], "%s: %.6f %% pure at 1000 stages, %.6f %% at 100", p->products[i].name,
                  r.purity, shallow[i]);
        cr_expect(r.recovery >= DEEP_MIN_RECOVERY, "%s: recovery %.4f %%", p->products[i].name, r.recovery);
    }
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}

/* ---- near-total reflux ----------------------------------------------------- */

/* ndpr_reflux_100.cfg: the reflux is R = 100 times the net Nd product (the
 * organic out less the reflux in), which the organic, saturated at 0.2
 * mol/L, delivers to within a part in 1e4 of its flow (the fixture's
 * balance); 1 % is allowed.  The products meet ndpr_binary's targets,
 * 99.9 % Nd (the reflux's own purity: the strip liquor returned must be as
 * pure) and 99 % Pr.  The nested solve takes 393 iterations, most of them
 * on its 13-stage coarse level; the march before it 4603. */
#define REFLUX_RATIO 100.0
#define REFLUX_RATIO_TOL 0.01   /* relative */
#define REFLUX_ND_PURITY 99.9   /* %, ndpr_binary.cfg's design target and the reflux's purity */
#define REFLUX_PR_PURITY 99.0   /* %, ndpr_binary.cfg's design target */
Test(stress, near_total_reflux_binary)
{
    RxPlant *p = load_config(FIXTURES "ndpr_reflux_100.cfg");
    RxSolution *s = solve_ok(p);
    const RxFeed *reflux = &p->feeds[feed_named(p, "reflux")];
    double in = 0;
    for (int j = 0; j < p->nsp; j++)
        in += reflux->flow * reflux->c[j];
    double ratio = in / (outlet_metal(p, s, "organic") - in);
    cr_expect(fabs(ratio / REFLUX_RATIO - 1) < REFLUX_RATIO_TOL, "reflux ratio %.3f", ratio);
    cr_expect(report(p, s, 0).purity >= REFLUX_ND_PURITY, "Nd %.4f %%", report(p, s, 0).purity);
    cr_expect(report(p, s, 1).purity >= REFLUX_PR_PURITY, "Pr %.4f %%", report(p, s, 1).purity);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}

/* ---- 99.99 % / 99.99 % --------------------------------------------------- */

/* lace_ndpr_9999.cfg: both products at least 99.99 % pure (issue 12; the
 * fixture: 99.9983 % and 100.0000 %), and the NdPr(Sm) not bought with its
 * recovery: at least 99.99 % of it (99.992 %, same source). */
#define HIGH_PURITY 99.99 /* %, issue 12 */
Test(stress, purity_9999_both_products)
{
    RxPlant *p = load_config(FIXTURES "lace_ndpr_9999.cfg");
    RxSolution *s = solve_ok(p);
    for (int i = 0; i < 2; i++) {
        RxProductReport r = report(p, s, i);
        cr_expect(r.purity >= HIGH_PURITY, "%s: %.5f %% pure", p->products[i].name, r.purity);
    }
    cr_expect(report(p, s, 1).recovery >= HIGH_PURITY, "NdPr(Sm) recovery %.5f %%", report(p, s, 1).recovery);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}

/* ---- a strip with 6 mol/L HCl ---------------------------------------------- */

/* strip_6m.cfg: the strip acid is 6 mol/L as given; the stripped organic
 * leaves with under 1 ppm of the rare earths fed (the fixture's estimate:
 * some 3e-3 of the Sm per stage, 6 stages, 1e-15; reesx run: 5e-16 g/h of
 * 1.5e4); the liquor keeps free acid above 2 mol/L (90 mol/h fed against
 * the 46 the metals take: 2.9 mol/L) and carries default.cfg's NdPr(Sm)
 * product, 99.9 % pure at 99.9 % recovery (99.918 % at 99.946 %). */
#define STRIP_ACID 6.0          /* mol/L, issue 12 */
#define STRIP_LEFT_MAX 1e-6     /* of the rare earths fed */
#define STRIP_LIQUOR_ACID_MIN 2.0 /* mol/L */
#define STRIP_PRODUCT_MIN 99.9  /* %, purity and recovery */
Test(stress, strip_with_6_molar_hcl)
{
    RxPlant *p = load_config(FIXTURES "strip_6m.cfg");
    cr_assert_eq(p->feeds[feed_named(p, "strip acid")].h, STRIP_ACID);
    RxSolution *s = solve_ok(p);
    double ree = 0;
    for (int j = 0; j < p->nsp; j++)
        if (j != p->base_species)
            ree += fed(p, j);
    RxStream org, liquor;
    cr_assert_eq(rx_outlet(p, s, "organic", &org), RX_OK);
    double left = 0;
    for (int j = 0; j < p->nsp; j++)
        if (j != p->base_species)
            left += org.c[j] * org.flow;
    cr_expect(left < STRIP_LEFT_MAX * ree, "the stripped organic carries %g of the rare earths fed", left / ree);
    cr_assert_eq(rx_outlet(p, s, "NdPr liquor", &liquor), RX_OK);
    cr_expect(liquor.h > STRIP_LIQUOR_ACID_MIN, "liquor free acid %g mol/L", liquor.h);
    RxProductReport r = report(p, s, 1);
    cr_expect(r.purity >= STRIP_PRODUCT_MIN && r.recovery >= STRIP_PRODUCT_MIN, "NdPr(Sm) %.4f %% at %.4f %%",
              r.purity, r.recovery);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}

/* ---- saponification at 0 % ------------------------------------------------- */

/* tbdy_unsaponified.cfg: no Na on the fresh organic, and no stage's organic
 * carries more than 1e-6 of the Na fed (the fixture: D_Na about 9e-8 at the
 * raffinate end, times O/A = 600/148: 4e-7); the split meets the design
 * targets its flows were chosen for (Dy(Ho) 99.5 % pure at 99 %, Tb(Gd)
 * 99 % pure; reesx run: 99.970 % at 99.945 %, 99.905 %). */
#define NA_ON_ORGANIC_MAX 1e-6 /* of the Na fed */
#define UNSAP_DY_PURITY 99.5
#define UNSAP_DY_RECOVERY 99.0
#define UNSAP_TB_PURITY 99.0
Test(stress, saponification_zero)
{
    RxPlant *p = load_config(FIXTURES "tbdy_unsaponified.cfg");
    cr_assert_eq(p->saponification, 0.0);
    int na = rx_plant_species(p, "Na");
    cr_assert(na >= 0, "the feed's Na is a species");
    cr_assert_eq(p->feeds[feed_named(p, "fresh organic")].c[na], 0.0, "Na on the unsaponified organic");
    RxSolution *s = solve_ok(p);
    double most = most_on_organic(s, na);
    cr_expect(most < NA_ON_ORGANIC_MAX * fed(p, na), "an organic outflow carries %g of the Na fed", most / fed(p, na));
    RxProductReport tb = report(p, s, 0), dy = report(p, s, 1);
    cr_expect(dy.purity >= UNSAP_DY_PURITY && dy.recovery >= UNSAP_DY_RECOVERY, "Dy(Ho) %.4f %% at %.4f %%",
              dy.purity, dy.recovery);
    cr_expect(tb.purity >= UNSAP_TB_PURITY, "Tb(Gd) %.4f %%", tb.purity);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}

/* ---- saponification at the most the loader accepts ------------------------ */

/* The text of fixture name (malloc'd). */
static char *fixture_text(const char *name)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/" FIXTURES "%s", RX_SOURCE_DIR, name);
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s", path);
    char *text = calloc(1, 1 << 16);
    cr_assert(text);
    size_t n = fread(text, 1, (1 << 16) - 1, f);
    fclose(f);
    text[n] = '\0';
    return text;
}

/* lace_ndpr_sap_max.cfg: 49.99 % loads, and the same plant at 50 % is
 * refused (config/plant.c: saponification must be below 50 %), so the
 * fixture sits just below the limit.  The organic brings 0.4999 x 1.5 mol/L
 * of Na, and the rare earths displace it: the loaded organic leaves with
 * under 1e-6 of it (reesx run: 3e-20 g/L against 12.4 g/L fed).  The split
 * is default.cfg's quality, both 99.9 % pure and recovered (reesx run:
 * La-Ce 99.990 % at 99.995 %, NdPr(Sm) 99.975 % at 99.954 %). */
#define SAP_MAX 0.4999                /* the fixture's 49.99 %, */
#define SAP_MAX_TEXT "\"49.99 %\""    /* as it is written there */
#define SAP_REFUSED "\"50 %\""        /* config/plant.c: p->saponification >= 0.5 is refused */
#define SAP_MAX_PRODUCT_MIN 99.9
Test(stress, saponification_at_the_limit)
{
    char *text = fixture_text("lace_ndpr_sap_max.cfg");
    char *at = strstr(text, SAP_MAX_TEXT);
    cr_assert(at, "the fixture's saponification");
    size_t size = strlen(text) + sizeof SAP_REFUSED;
    char *refused = malloc(size);
    cr_assert(refused);
    snprintf(refused, size, "%.*s%s%s", (int)(at - text), text, SAP_REFUSED, at + strlen(SAP_MAX_TEXT));
    RxPlant *q = NULL;
    RxError err;
    rx_error_clear(&err);
    cr_expect_eq(rx_plant_load_text(refused, "test", &q, &err), RX_BAD_INPUT, "50 %% saponification loads");
    cr_expect(strstr(err.msg, "saponification must be 0 to below 50 %") != NULL, "%s", err.msg);
    rx_plant_destroy(&q);
    free(refused);
    free(text);

    RxPlant *p = load_config(FIXTURES "lace_ndpr_sap_max.cfg");
    cr_assert_float_eq(p->saponification, SAP_MAX, 1e-15);
    int na = p->base_species, org = feed_named(p, "fresh organic");
    cr_assert(na >= 0);
    cr_expect_float_eq(p->feeds[org].c[na], SAP_MAX * p->extractant_conc, 1e-12, "Na on the organic %g mol/L",
                       p->feeds[org].c[na]);
    RxSolution *s = solve_ok(p);
    RxStream out;
    cr_assert_eq(rx_outlet(p, s, "organic", &out), RX_OK);
    cr_expect(out.c[na] * out.flow < NA_ON_ORGANIC_MAX * fed(p, na), "the loaded organic keeps %g of the Na",
              out.c[na] * out.flow / fed(p, na));
    for (int i = 0; i < 2; i++) {
        RxProductReport r = report(p, s, i);
        cr_expect(r.purity >= SAP_MAX_PRODUCT_MIN && r.recovery >= SAP_MAX_PRODUCT_MIN, "%s: %.4f %% at %.4f %%",
                  p->products[i].name, r.purity, r.recovery);
    }
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}
