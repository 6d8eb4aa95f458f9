/* test_uncertainty.c - reesx uncertainty: zero uncertainty gives the
 * deterministic answer in every sample; the probability of meeting a
 * recovery target of a constant-D species with a log-normal D matches the
 * one from Kremser's equation and the normal CDF; one and two threads
 * give the same samples to the last bit; and a plan's draws are the
 * seed's alone. */
#include "support.h"

#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The Kremser case: one species (Nd) carried into the organic by N
 * counter-current stages of constant D at O/A 1, beside a second (La)
 * that stays; D_Nd log-normal about KR_D0 with sd KR_SD in log10. */
#define KR_N 5
#define KR_D0 2.2
#define KR_SD 0.08
#define KR_TARGET 0.99
#define KR_SAMPLES 4000
/* The sample's probability against the exact one: within this many
 * binomial standard errors. */
#define KR_SIGMAS 4.0

static const char kremser_cfg[] =
    "version = 1;\n"
    "model = { type = \"constant_d\"; D = { La = 0.01; Nd = %.17g; }; };\n"
    "sections = ( { name = \"extraction\"; stages = %d; } );\n"
    "feeds = (\n"
    " { name = \"feed\"; phase = \"aqueous\"; stage = \"extraction:last\"; flow = \"100 L/h\";\n"
    "   acid = \"0.1 mol/L\"; composition = { La = \"0.05 mol/L\"; Nd = \"0.05 mol/L\"; }; },\n"
    " { name = \"solvent\"; phase = \"organic\"; stage = 1; flow = \"100 L/h\"; } );\n"
    "products = ( { name = \"Nd extract\"; stream = \"organic\"; targets = [\"Nd\"]; },\n"
    "             { name = \"La raffinate\"; stream = \"raffinate\"; targets = [\"La\"]; } );\n"
    "design = { targets = ( { product = \"Nd extract\"; recovery = \"%.17g %%\"; } ); };\n"
    "uncertainty = { samples = %d; seed = 7; threads = 2; constants = { Nd = %.17g; }; };\n";

/* Recovery of a constant-D species into the organic of n counter-current
 * stages with solute-free solvent, E = D O/A (Kremser). */
static double kremser_recovery(double E, int n)
{
    double En1 = pow(E, n + 1);
    return (En1 - E) / (En1 - 1.0);
}

/* D at which the recovery is target (O/A 1): bisection on log D, the
 * recovery rising with D; above D = 1 (where the formula is 0/0), since
 * every target above n/(n + 1) needs E > 1. */
#define KR_D_LOW 1.01
#define KR_D_HIGH 1e3
static double kremser_threshold(double target, int n)
{
    double lo = KR_D_LOW, hi = KR_D_HIGH;
    for (int i = 0; i < 200; i++) {
        double mid = sqrt(lo * hi);
        if (kremser_recovery(mid, n) < target)
            lo = mid;
        else
            hi = mid;
    }
    return sqrt(lo * hi);
}

static RxUncResult *run_unc(const RxPlant *p, int threads)
{
    RxUncResult *r = NULL;
    RxError err;
    rx_error_clear(&err);
    int rc = rx_uncertainty(p, threads, NULL, NULL, &r, &err);
    cr_assert_eq(rc, RX_OK, "%s: %s", err.where, err.msg);
    return r;
}

Test(uncertainty, kremser_probability)
{
    char cfg[4096];
    snprintf(cfg, sizeof cfg, kremser_cfg, KR_D0, KR_N, 100.0 * KR_TARGET, KR_SAMPLES, KR_SD);
    RxPlant *p = load_text(cfg);
    RxUncResult *r = run_unc(p, 0);
    cr_assert_eq(r->plan->n, 1, "one input (D of Nd), got %d", r->plan->n);
    cr_assert_eq(r->solved, KR_SAMPLES, "%d of %d samples solved", r->solved, KR_SAMPLES);
    double zt = (log10(kremser_threshold(KR_TARGET, KR_N)) - log10(KR_D0)) / KR_SD;
    double want = 1.0 - gsl_cdf_ugaussian_P(zt);
    double se = sqrt(want * (1.0 - want) / KR_SAMPLES);
    cr_assert(KR_TARGET > (double)KR_N / (KR_N + 1) && kremser_recovery(KR_D_LOW, KR_N) < KR_TARGET);
    cr_expect(want > 0.2 && want < 0.8, "the case should sit near the target: P = %g", want);
    cr_expect(fabs(r->p_met - want) <= KR_SIGMAS * se, "P(recovery >= %g %%) = %g, Kremser and the normal CDF %g (se %g)",
              100.0 * KR_TARGET, r->p_met, want, se);
    /* and every sample's recovery is Kremser's at its own D */
    for (int i = 0; i < r->n; i++) {
        double E = r->x[i];
        cr_assert(fabs(r->samples[i].value[0] - kremser_recovery(E, KR_N)) < 1e-9, "sample %d: D %g, recovery %.12g, Kremser %.12g",
                  i + 1, E, r->samples[i].value[0], kremser_recovery(E, KR_N));
    }
    rx_unc_result_destroy(&r);
    rx_plant_destroy(&p);
}

/* default.cfg with group in place of its own uncertainty group (from
 * "uncertainty = {" to the "};" that ends a line of its own). */
static RxPlant *default_with(const char *group)
{
    RxPlant *base = load_config("configs/default.cfg");
    const char *t = base->source_text, *a = strstr(t, "\nuncertainty = {"), *b = a ? strstr(a, "\n};") : NULL;
    cr_assert(a && b, "configs/default.cfg has no uncertainty group ending in a line \"};\"");
    b += strlen("\n};");
    size_t n = strlen(t) + strlen(group) + 2;
    char *text = malloc(n);
    cr_assert(text);
    snprintf(text, n, "%.*s\n%s%s", (int)(a - t), t, group, b);
    rx_plant_destroy(&base);
    RxPlant *p = load_text(text);
    free(text);
    return p;
}

Test(uncertainty, zero_uncertainty_is_deterministic)
{
    RxPlant *p = default_with("uncertainty = { samples = 6; constant_sd = 0; "
                              "feeds = ( { feed = \"feed\"; flow = \"0 %\"; composition = \"0 %\"; } ); };\n");
    RxSolution *s = solve_ok(p);
    double want[RX_UNC_MAX_METRICS];
    RxUncResult *r = run_unc(p, 0);
    cr_assert_eq(r->plan->n, 0, "no input has an sd, %d sampled", r->plan->n);
    for (int m = 0; m < r->plan->nmetrics; m++)
        want[m] = rx_target_value(p, s, &r->plan->metric[m]);
    RxCostResult c;
    cr_assert_eq(rx_cost(p, s, &c, NULL), RX_OK);
    for (int i = 0; i < r->n; i++) {
        cr_expect_eq(r->samples[i].status, RX_OK, "sample %d did not solve", i + 1);
        for (int m = 0; m < r->plan->nmetrics; m++)
            cr_expect(memcmp(&r->samples[i].value[m], &want[m], sizeof want[m]) == 0, "sample %d, %s: %.17g, nominal %.17g",
                      i + 1, r->plan->metric[m].label, r->samples[i].value[m], want[m]);
        cr_expect(memcmp(&r->samples[i].cost_per_kg, &c.cost_per_kg, sizeof c.cost_per_kg) == 0,
                  "sample %d: cost %.17g, nominal %.17g", i + 1, r->samples[i].cost_per_kg, c.cost_per_kg);
    }
    for (int q = 0; q < RX_UNC_NPCT; q++)
        cr_expect(r->pct[0][q] == want[0], "P%g of %s: %.17g, nominal %.17g", 100 * rx_unc_quantiles[q],
                  r->plan->metric[0].label, r->pct[0][q], want[0]);
    rx_unc_result_destroy(&r);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}

/* Zero sd stated on every input is the nominal plant too, to the last bit
 * of its feeds and model (an edited plant against the plant read). */
Test(uncertainty, zero_sd_sample_plant_is_the_plant)
{
    RxPlant *p = default_with("uncertainty = { constant_sd = 0.01; "
                              "feeds = ( { feed = \"feed\"; flow = \"1 %\"; composition = \"1 %\"; } ); };\n");
    RxUncPlan *pl = NULL;
    RxError err;
    cr_assert_eq(rx_unc_plan_create(p, &pl, &err), RX_OK, "%s", err.msg);
    double x[RX_UNC_MAX_INPUTS];
    for (int k = 0; k < pl->n; k++)
        x[k] = pl->in[k].nominal;
    RxPlant *q = NULL;
    cr_assert_eq(rx_unc_sample_plant(pl, x, &q, &err), RX_OK, "%s", err.msg);
    for (int i = 0; i < p->nfeeds; i++) {
        cr_expect(p->feeds[i].flow == q->feeds[i].flow && p->feeds[i].cl == q->feeds[i].cl, "feed %d moved", i + 1);
        for (int j = 0; j < p->nsp; j++)
            cr_expect(p->feeds[i].c[j] == q->feeds[i].c[j], "feed %d species %d moved", i + 1, j);
    }
    RxSolution *a = solve_ok(p), *b = solve_ok(q);
    cr_expect(memcmp(a->x, b->x, sizeof *a->x * (size_t)(a->N * a->M)) == 0, "the same plant solved differently");
    rx_solution_destroy(&a);
    rx_solution_destroy(&b);
    rx_plant_destroy(&q);
    rx_unc_plan_destroy(&pl);
    rx_plant_destroy(&p);
}

static const char default_group[] =
    "uncertainty = { samples = 24; seed = 3; constant_sd = 0.02; constants = { Nd = 0.03; };\n"
    "  correlations = ( (\"Pr\", \"Nd\", 0.8) );\n"
    "  feeds = ( { feed = \"feed\"; flow = \"1 %\"; composition = { La = \"2 %\"; Nd = \"0.002 mol/L\"; }; },\n"
    "            { feed = \"fresh organic\"; flow = \"0.5 L/h\"; } ); };\n";

static void expect_same_samples(const RxUncResult *a, const RxUncResult *b)
{
    cr_assert_eq(a->n, b->n);
    cr_expect(memcmp(a->x, b->x, sizeof *a->x * (size_t)a->n * (size_t)a->plan->n) == 0, "inputs differ");
    for (int i = 0; i < a->n; i++) {
        const RxUncSample *s = &a->samples[i], *t = &b->samples[i];
        cr_expect(s->status == t->status && s->iterations == t->iterations && s->all_met == t->all_met,
                  "sample %d: status %d/%d, iterations %d/%d", i + 1, s->status, t->status, s->iterations,
                  t->iterations);
        cr_expect(memcmp(s->value, t->value, sizeof s->value) == 0, "sample %d: values differ", i + 1);
        cr_expect(memcmp(&s->cost_per_kg, &t->cost_per_kg, sizeof s->cost_per_kg) == 0, "sample %d: cost differs",
                  i + 1);
    }
}

static char *samples_csv(const RxPlant *p, const RxUncResult *r, const char *dir)
{
    RxOutputs o = {.plant = p, .uncertainty = r};
    RxWritten w;
    RxError err;
    cr_assert_eq(rx_write_outputs(&o, dir, &w, &err), RX_OK, "%s: %s", err.where, err.msg);
    char path[512];
    snprintf(path, sizeof path, "%s/samples.csv", dir);
    return read_text(path);
}

Test(uncertainty, one_and_two_threads_give_the_same_samples)
{
    RxPlant *p = default_with(default_group);
    RxUncResult *a = run_unc(p, 1), *b = run_unc(p, 2);
    cr_assert_eq(a->plan->n, 6 + 3 + 1, "6 constants, feed flow, La and Nd, organic flow: %d inputs", a->plan->n);
    cr_expect_eq(a->plan->ncorr, 1);
    expect_same_samples(a, b);
    char da[] = "/tmp/reesx-unc-XXXXXX", db[] = "/tmp/reesx-unc-XXXXXX";
    cr_assert(mkdtemp(da) && mkdtemp(db));
    char *ta = samples_csv(p, a, da), *tb = samples_csv(p, b, db);
    cr_expect_str_eq(ta, tb, "samples.csv of 1 and 2 threads differ");
    cr_expect(strstr(ta, "log10_K(Nd) [log10]") && strstr(ta, "feed flow [L/h]") && strstr(ta, "cost [USD/kg REO]"),
              "samples.csv header: %.300s", ta);
    free(ta);
    free(tb);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s", da, db);
    cr_expect_eq(system(cmd), 0);
    rx_unc_result_destroy(&a);
    rx_unc_result_destroy(&b);
    rx_plant_destroy(&p);
}

/* The draws: the stated sds and correlation, and never a negative feed. */
Test(uncertainty, draws_follow_the_spec)
{
    RxPlant *p = default_with(default_group);
    RxUncPlan *pl = NULL;
    RxError err;
    cr_assert_eq(rx_unc_plan_create(p, &pl, &err), RX_OK, "%s", err.msg);
    enum { N = 20000 };
    double *x = malloc(sizeof *x * N * (size_t)pl->n);
    cr_assert(x);
    cr_assert_eq(rx_unc_draw(pl, 11, N, x, &err), RX_OK);
    int pr = -1, nd = -1;
    for (int k = 0; k < pl->nconst; k++) {
        const char *sym = p->elements->el[pl->in[k].elem].sym;
        pr = strcmp(sym, "Pr") ? pr : k;
        nd = strcmp(sym, "Nd") ? nd : k;
    }
    cr_assert(pr >= 0 && nd >= 0);
    double sum[2] = {0}, sq[2] = {0}, cross = 0;
    for (int i = 0; i < N; i++) {
        double a = x[i * pl->n + pr] - pl->in[pr].nominal, b = x[i * pl->n + nd] - pl->in[nd].nominal;
        sum[0] += a, sum[1] += b, sq[0] += a * a, sq[1] += b * b, cross += a * b;
        for (int k = pl->nconst; k < pl->n; k++)
            cr_assert(x[i * pl->n + k] > 0, "sample %d input %s: %g", i + 1, pl->in[k].name, x[i * pl->n + k]);
    }
    double sa = sqrt(sq[0] / N), sb = sqrt(sq[1] / N), r = cross / N / (sa * sb);
    /* sd within 4 standard errors of an sd estimate, sd/sqrt(2N) */
    cr_expect(fabs(sa - 0.02) < 4 * 0.02 / sqrt(2.0 * N), "sd of log10 K(Pr): %g, stated 0.02", sa);
    cr_expect(fabs(sb - 0.03) < 4 * 0.03 / sqrt(2.0 * N), "sd of log10 K(Nd): %g, stated 0.03", sb);
    cr_expect(fabs(r - 0.8) < 4 * (1 - 0.64) / sqrt((double)N), "correlation %g, stated 0.8", r);
    double *y = malloc(sizeof *y * N * (size_t)pl->n);
    cr_assert(y && rx_unc_draw(pl, 11, N, y, &err) == RX_OK);
    cr_expect(memcmp(x, y, sizeof *x * N * (size_t)pl->n) == 0, "the same seed drew differently");
    free(x);
    free(y);
    rx_unc_plan_destroy(&pl);
    rx_plant_destroy(&p);
}

/* A sample that cannot be solved is counted, not fatal: feeds drawn above
 * what an aqueous dissolves (RX_MAX_FEED_METAL) are refused, exactly those. */
#define SALT_MOL_L 7.5
#define SALT_SD 0.1
Test(uncertainty, unsolved_samples_are_counted)
{
    char cfg[4096];
    snprintf(cfg, sizeof cfg,
             "version = 1;\n"
             "model = { type = \"constant_d\"; D = { Na = 0.01; Nd = 2.2; }; };\n"
             "sections = ( { name = \"extraction\"; stages = 5; } );\n"
             "feeds = (\n"
             " { name = \"feed\"; phase = \"aqueous\"; stage = \"extraction:last\"; flow = \"100 L/h\";\n"
             "   acid = \"0.1 mol/L\"; composition = { Na = \"%g mol/L\"; Nd = \"0.05 mol/L\"; }; },\n"
             " { name = \"solvent\"; phase = \"organic\"; stage = 1; flow = \"100 L/h\"; } );\n"
             "products = ( { name = \"Nd extract\"; stream = \"organic\"; targets = [\"Nd\"]; } );\n"
             "design = { targets = ( { product = \"Nd extract\"; recovery = \"99 %%\"; } ); };\n"
             "uncertainty = { samples = 400; constants = { Nd = 0.08; };\n"
             "  feeds = ( { feed = \"feed\"; composition = { Na = \"%g %%\"; }; } ); };\n",
             SALT_MOL_L, 100.0 * SALT_SD);
    RxPlant *p = load_text(cfg);
    RxUncResult *r = run_unc(p, 0);
    int k = r->plan->n - 1, too_much = 0, met = 0;
    cr_assert_eq(r->plan->in[k].kind, RX_UNC_CONC);
    for (int i = 0; i < r->n; i++) {
        double metal = r->x[i * r->plan->n + k] + 0.05;
        int refused = !(metal <= RX_MAX_FEED_METAL);
        too_much += refused;
        cr_expect_eq(r->samples[i].status, refused ? RX_BAD_INPUT : RX_OK, "sample %d: %g mol/L of metal, status %d",
                     i + 1, metal, r->samples[i].status);
        cr_expect(refused == isnan(r->samples[i].value[0]), "sample %d: value %g", i + 1, r->samples[i].value[0]);
        met += r->samples[i].status == RX_OK && r->samples[i].all_met;
    }
    cr_expect(too_much > 0 && r->solved == r->n - too_much, "%d solved, %d refused of %d", r->solved, too_much, r->n);
    cr_expect_eq(r->nvalid[0], r->solved);
    cr_expect(r->p_met == (double)met / r->solved, "P %g, %d of %d", r->p_met, met, r->solved);
    rx_unc_result_destroy(&r);
    rx_plant_destroy(&p);
}

/* reesx-mpi on 1 and 3 ranks (3 on this 2-core machine: oversubscribed)
 * writes the samples.csv and uncertainty.csv of reesx uncertainty on one
 * thread, byte for byte. */
Test(uncertainty, mpi_ranks_give_the_samples_of_one_process)
{
    const char *bin = getenv("REESX_BIN");
    cr_assert(bin, "REESX_BIN is not set (run the suite with `make test`)");
    RxPlant *p = default_with(default_group);
    char dir[] = "/tmp/reesx-mpi-XXXXXX", path[600], cmd[2400];
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/plant.cfg", dir);
    write_text(path, p->source_text);
    snprintf(cmd, sizeof cmd, "%s uncertainty %s -q -o %s/one", bin, path, dir);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    const char *const files[] = {"samples.csv", "uncertainty.csv"};
    for (int ranks = 1; ranks <= 3; ranks += 2) {
        snprintf(cmd, sizeof cmd, "uncertainty %s -q -o %s/mpi%d", path, dir, ranks);
        cr_assert_eq(run_mpi(ranks, cmd), 0, "reesx-mpi %s on %d ranks", cmd, ranks);
        for (int k = 0; k < 2; k++) {
            char a[700], b[700];
            snprintf(a, sizeof a, "%s/one/%s", dir, files[k]);
            snprintf(b, sizeof b, "%s/mpi%d/%s", dir, ranks, files[k]);
            char *ta = read_text(a), *tb = read_text(b);
            cr_expect_str_eq(ta, tb, "%s of %d MPI ranks differs from one process", files[k], ranks);
            free(ta);
            free(tb);
        }
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_expect_eq(system(cmd), 0);
    rx_plant_destroy(&p);
}

/* design.probability on the Kremser case: the search's candidates are
 * single extraction sections of 1 to 15 stages; the exact probability of
 * n stages meeting the recovery is 1 - Phi((log10 D*(n) - log10 D0)/sd),
 * growing with n.  The choice is likely enough, no candidate with fewer
 * stages is (both within the sampling error), and its probability is the
 * exact one. */
#define ROBUST_NEED 0.9
#define ROBUST_SAMPLES 1000
Test(uncertainty, robust_design_takes_the_fewest_stages_likely_enough)
{
    char cfg[4096];
    snprintf(cfg, sizeof cfg, kremser_cfg, KR_D0, KR_N, 100.0 * KR_TARGET, ROBUST_SAMPLES, KR_SD);
    char *at = strstr(cfg, "design = { targets");
    cr_assert(at);
    char tail[1024];
    snprintf(tail, sizeof tail,
             "design = { targets = ( { product = \"Nd extract\"; recovery = \"%.17g %%\"; } );\n"
             "  stages = ( { section = \"extraction\"; min = 1; max = 15; } ); probability = \"%g %%\"; };\n%s",
             100.0 * KR_TARGET, 100.0 * ROBUST_NEED, strstr(at, "uncertainty = {"));
    snprintf(at, sizeof cfg - (size_t)(at - cfg), "%s", tail);
    RxPlant *p = load_text(cfg);
    RxDesignResult *r = NULL;
    RxError err;
    rx_error_clear(&err);
    cr_assert_eq(rx_design(p, NULL, NULL, &r, &err), RX_OK, "%s", err.msg);
    cr_assert_eq(rx_robust_choose(p, r, &err), RX_OK, "%s", err.msg);
    cr_assert(r->best >= 0, "no candidate is %g %% likely", 100 * ROBUST_NEED);
    double se = sqrt(ROBUST_NEED * (1 - ROBUST_NEED) / ROBUST_SAMPLES);
    for (int k = 0; k < r->robust_tried; k++) {
        int n = r->cand[r->robust_index[k]].stages[0];
        double exact = 1.0 - gsl_cdf_ugaussian_P((log10(kremser_threshold(KR_TARGET, n)) - log10(KR_D0)) / KR_SD);
        double se_k = sqrt(fmax(exact * (1 - exact), 1e-4) / ROBUST_SAMPLES);
        cr_expect(fabs(r->robust_p[k] - exact) <= KR_SIGMAS * se_k, "%d stages: sampled %g, exact %g", n, r->robust_p[k],
                  exact);
    }
    int chosen = r->cand[r->best].stages[0];
    double exact = 1.0 - gsl_cdf_ugaussian_P((log10(kremser_threshold(KR_TARGET, chosen)) - log10(KR_D0)) / KR_SD);
    cr_expect(exact >= ROBUST_NEED - KR_SIGMAS * se, "%d stages chosen, exactly %g likely", chosen, exact);
    for (int i = 0; i < r->n; i++) {
        int n = r->cand[i].stages[0];
        double pe = 1.0 - gsl_cdf_ugaussian_P((log10(kremser_threshold(KR_TARGET, n)) - log10(KR_D0)) / KR_SD);
        if (r->cand[i].feasible && n < chosen)
            cr_expect(pe < ROBUST_NEED + KR_SIGMAS * se, "%d stages, fewer than chosen, are exactly %g likely", n, pe);
    }
    rx_design_result_destroy(&r);
    rx_plant_destroy(&p);
}
