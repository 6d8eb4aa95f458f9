/*
 * test_profile_fit.c - fitting constants and Murphree efficiency to a
 * running circuit's stage profile: a profile simulated from known values
 * and perturbed with seeded noise is fitted back; exact data give the
 * values back; the warm-started circuit solve is the cold one; malformed
 * profiles are refused with file:line: column.
 */
#include "support.h"

#include "config/config.h"
#include "core/datafile.h"
#include "fit/fit.h"
#include "models/model.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define FIX(name) RX_SOURCE_DIR "/tests/fixtures/" name
#define PLANT "tests/fixtures/profile_plant.cfg"

/* The truth the fixture's profile was made with (its header says so). */
static const double truth[3] = {-3.15, -3.08, 0.85}; /* log10 K Pr, Nd; scrub efficiency */

static unsigned long long seed = 20261202;
static double uniform(void)
{
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((double)(seed >> 11) + 0.5) / 9007199254740992.0;
}
static double gauss(void)
{
    return sqrt(-2.0 * log(uniform())) * cos(2.0 * M_PI * uniform());
}

/* p's circuit solved with parameter vector v of its fit group. */
static RxSolution *solve_at(const RxPlant *p, const double *v)
{
    RxFitCircuit c;
    RxError err;
    cr_assert_eq(rx_fit_circuit(p, &c, &err), RX_OK, "%s", err.msg);
    RxProfileData none = {0};
    cr_assert_eq(rx_fit_predict_profile(&c, &p->fit, &none, v, NULL, &err), RX_OK, "%s", err.msg);
    RxSolution *s = c.last;
    c.last = NULL;
    rx_fit_circuit_free(&c);
    return s;
}

/* Every stage's pH and aqueous of every species, and the organic of Pr and
 * Nd in the scrub: from solution s, times 10^(sigma N(0,1)) (pH + sigma N). */
static void profile_of(const RxPlant *p, const RxSolution *s, double sigma, RxProfileData *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->path, sizeof d->path, "simulated");
    d->pts = calloc((size_t)(s->N * (1 + s->M + 2)), sizeof *d->pts);
    cr_assert(d->pts);
    for (int k = 0; k < s->N; k++) {
        RxProfilePoint *pt = &d->pts[d->npts++];
        *pt = (RxProfilePoint){.stage = k, .elem = -1, .kind = RX_MEAS_PH, .value = -log10(s->h[k]) + sigma * gauss(),
                               .line = k + 2};
        snprintf(pt->where, sizeof pt->where, "%d", k + 1);
        for (int j = 0; j < s->M; j++) {
            const char *sym = rx_plant_element(p, j)->sym;
            int org = k >= p->sections[1].first && (!strcmp(sym, "Pr") || !strcmp(sym, "Nd"));
            for (int ph = 0; ph <= org; ph++) {
                double c = (ph ? s->y : s->x)[k * s->M + j];
                if (!(c > 1e-12) || j == p->base_species)
                    continue;
                pt = &d->pts[d->npts++];
                *pt = (RxProfilePoint){.stage = k, .elem = p->species[j], .kind = ph ? RX_MEAS_ORGANIC : RX_MEAS_AQUEOUS,
                                       .value = c * pow(10.0, sigma * gauss()), .line = k + 2};
                snprintf(pt->where, sizeof pt->where, "%d", k + 1);
            }
        }
    }
}

Test(profile_fit, recovers_constants_and_efficiency_from_a_noisy_profile)
{
    RxPlant *p = load_config(PLANT);
    cr_assert_eq(p->nstages, 60);
    cr_assert_eq(p->fit.nparams, 3);
    RxSolution *s = solve_at(p, truth);
    RxProfileData d;
    profile_of(p, s, 0.02, &d);
    RxFitResult *r = NULL;
    RxError err;
    cr_assert_eq(rx_fit_run(p, NULL, &d, &r, &err), RX_OK, "%s", err.msg);
    cr_expect_eq(r->dof, d.npts - 3);
    for (int k = 0; k < 3; k++)
        cr_expect(r->lo95[k] < truth[k] && truth[k] < r->hi95[k], "parameter %d: %g in [%g, %g]", k, truth[k],
                  r->lo95[k], r->hi95[k]);
    cr_expect(r->rmse > 0.015 && r->rmse < 0.025, "rmse %g near the noise 0.02", r->rmse);
    cr_expect_eq(r->nwarn, 0, "%s", r->nwarn ? r->warn[0] : "");
    rx_fit_result_free(&r);
    rx_profile_free(&d);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}

/* Shake-outs and the profile in one least squares: the batch points pin
 * the constants, the profile the efficiency; each point keeps its place. */
Test(profile_fit, shakeouts_and_profile_together)
{
    RxPlant *p = load_config(PLANT);
    RxSolution *s = solve_at(p, truth);
    RxProfileData prof;
    profile_of(p, s, 0.02, &prof);
    RxShakeoutData d = {0};
    snprintf(d.path, sizeof d.path, "batch");
    d.nexp = 8;
    d.exp = calloc(8, sizeof *d.exp);
    d.pts = calloc(16, sizeof *d.pts);
    cr_assert(d.exp && d.pts);
    int pr = (int)(rx_elements_find(p->elements, "Pr") - p->elements->el);
    int nd = (int)(rx_elements_find(p->elements, "Nd") - p->elements->el);
    for (int i = 0; i < 8; i++) {
        RxShakeout *e = &d.exp[i];
        *e = (RxShakeout){.line = i + 2, .nel = 2, .elem = {pr, nd}, .c0 = {0.01, 0.02}, .h0 = -1, .has_ph = 1,
                          .ph_eq = 0.8 + 0.1 * i, .oa = 1.0, .ce = 1.5};
        snprintf(e->name, sizeof e->name, "b%d", i + 1);
        /* D: filled in below, from the model at the true constants */
        d.pts[d.npts++] = (RxFitPoint){i, pr, RX_MEAS_D, 1.0, i + 2};
        d.pts[d.npts++] = (RxFitPoint){i, nd, RX_MEAS_D, 1.0, i + 2};
    }
    RxPlant *w = NULL;
    RxError err;
    double pred[16];
    p->fit.residual = RX_RESID_LOG10_D; /* the batch D from the true constants */
    cr_assert_eq(rx_fit_plant(p, &d, &w, &err), RX_OK, "%s", err.msg);
    cr_assert_eq(rx_fit_predict(w, &p->fit, &d, truth, pred, &err), RX_OK, "%s", err.msg);
    for (int i = 0; i < d.npts; i++)
        d.pts[i].value = pow(10.0, pred[i] + 0.02 * gauss());
    rx_plant_destroy(&w);
    p->fit.residual = RX_RESID_LOG10_CONC;
    RxFitResult *r = NULL;
    cr_assert_eq(rx_fit_run(p, &d, &prof, &r, &err), RX_OK, "%s", err.msg);
    cr_expect_eq(r->nshake, 16);
    cr_expect_eq(r->npts, 16 + prof.npts);
    for (int k = 0; k < 3; k++)
        cr_expect(r->lo95[k] < truth[k] && truth[k] < r->hi95[k], "parameter %d: %g in [%g, %g]", k, truth[k],
                  r->lo95[k], r->hi95[k]);
    rx_fit_result_free(&r);
    rx_shakeout_free(&d);
    rx_profile_free(&prof);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}

/* Without noise the least squares find the values the profile was made
 * with, to the circuit solver's tolerance. */
Test(profile_fit, exact_profile_gives_the_values_back)
{
    RxPlant *p = load_config(PLANT);
    RxSolution *s = solve_at(p, truth);
    RxProfileData d;
    profile_of(p, s, 0, &d);
    RxFitResult *r = NULL;
    RxError err;
    cr_assert_eq(rx_fit_run(p, NULL, &d, &r, &err), RX_OK, "%s", err.msg);
    for (int k = 0; k < 3; k++)
        cr_expect(fabs(r->est[k] - truth[k]) < 1e-6, "parameter %d: %.9f vs %g", k, r->est[k], truth[k]);
    cr_expect(r->rmse < 1e-7, "rmse %g", r->rmse);
    rx_fit_result_free(&r);
    rx_profile_free(&d);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}

/* A start from the solution at other constants (a least-squares step
 * away) converges to the cold solve's answer, in fewer iterations. */
Test(profile_fit, warm_start_is_the_cold_solve)
{
    RxPlant *p = load_config(PLANT);
    double step[3] = {-3.196, -3.040, 0.98};
    RxSolution *near = solve_at(p, step), *warm = NULL, *cold = NULL;
    RxError err;
    cr_assert_eq(rx_circuit_solve(p, &cold, &err), RX_OK, "%s", err.msg);
    cr_assert_eq(rx_circuit_solve_from(p, near, &warm, &err), RX_OK, "%s", err.msg);
    double worst = 0;
    for (int i = 0; i < cold->N * cold->M; i++)
        worst = fmax(worst, fabs(warm->x[i] - cold->x[i]) / (cold->x[i] + cold->y[i]));
    /* Both are converged to the residual tolerance, 1e-12 in ln T; this
     * plant sits near its flow balance, where the Ce/Pr front is nearly
     * free, so the states of two converged solves differ by a few thousand
     * times that (5.6e-9 measured). */
    cr_expect(worst < 1e-7, "largest difference %g of a species' stage total", worst);
    cr_expect(warm->iterations < cold->iterations, "warm %d, cold %d iterations", warm->iterations, cold->iterations);
    cr_expect(warm->max_closure <= RX_CLOSURE_TOL);
    rx_solution_destroy(&near);
    rx_solution_destroy(&warm);
    rx_solution_destroy(&cold);
    rx_plant_destroy(&p);
}

/* reesx's own stages.csv is a profile as it is; the fixture's profile
 * reads with its empty cells noted. */
Test(profile_fit, reads_stages_csv_and_notes_empty_cells)
{
    RxPlant *p = load_config(PLANT);
    RxProfileData d;
    RxError err;
    cr_assert_eq(rx_profile_read(FIX("profile_plant.csv"), p, RX_RESID_LOG10_CONC, &d, &err), RX_OK, "%s", err.msg);
    cr_expect_eq(d.npts, 162);
    cr_assert_eq(d.ndropped, 5);
    cr_expect(strstr(d.dropped[0], "La aqueous [g/L]: 13 rows without a value (lines 22, 23,"), "%s", d.dropped[0]);
    rx_profile_free(&d);
    char tmp[] = "/tmp/reesx-prof-XXXXXX", cmd[600], path[600];
    cr_assert(mkdtemp(tmp));
    snprintf(cmd, sizeof cmd, "'%s' run '%s/%s' -q -o '%s'", getenv("REESX_BIN"), RX_SOURCE_DIR, PLANT, tmp);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    snprintf(path, sizeof path, "%s/stages.csv", tmp);
    cr_assert_eq(rx_profile_read(path, p, RX_RESID_CONC, &d, &err), RX_OK, "%s: %s", err.where, err.msg);
    cr_expect_eq(d.npts, 60 * (1 + 2 * p->nsp), "pH and both phases of %d species at 60 stages", p->nsp);
    cr_expect_eq(d.ndropped, 0);
    rx_profile_free(&d);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    cr_expect_eq(system(cmd), 0);
    rx_plant_destroy(&p);
}

/* A profile with one bad line: refused at file:line: column. */
static void expect_bad(const char *text, int line, const char *what)
{
    RxPlant *p = load_config(PLANT);
    char path[] = "/tmp/reesx-badprof-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    RxProfileData d;
    RxError err;
    char where[600];
    cr_expect_eq(rx_profile_read(path, p, RX_RESID_LOG10_CONC, &d, &err), RX_BAD_INPUT, "%s is refused", text);
    snprintf(where, sizeof where, "%s:%d", path, line);
    cr_expect_str_eq(err.where, where);
    cr_expect(strstr(err.msg, what), "'%s' says %s", err.msg, what);
    unlink(path);
    rx_plant_destroy(&p);
}

Test(profile_fit, bad_profiles_name_file_line_and_column)
{
    expect_bad("stage,Xx aqueous [g/L]\n1,2\n", 1, "Xx aqueous [g/L]: unknown element 'Xx'");
    expect_bad("stage,Nd aqueous [g/l]\n1,2\n", 1, "Nd aqueous [g/l]: unknown unit 'g/l'");
    expect_bad("Nd aqueous [g/L],pH [-]\n1,2\n", 1, "stage: missing column");
    expect_bad("stage,Nd aqueous [g/L]\n1,two\n", 2, "Nd aqueous [g/L]: 'two' is not a number");
    expect_bad("stage,Nd aqueous [g/L],pH [-]\n1,2,1.5\n3,2\n", 3, "row: 2 fields, the header has 3");
    expect_bad("stage,Nd aqueous [g/L]\n61,2\n", 2, "stage: stage 61 does not exist (the circuit has stages 1..60)");
    expect_bad("stage,Nd aqueous [g/L]\nstrip:2,2\n", 2, "stage: 'strip:2' is no stage");
    expect_bad("stage,Dy aqueous [g/L]\n1,2\n", 1, "Dy aqueous [g/L]: Dy is not in this circuit");
    expect_bad("stage,Nd aqueous [g/L]\nraffinate,1\norganic,2\n", 3, "Nd aqueous [g/L]: 'organic' is an organic stream");
    expect_bad("stage,pH [mol/L]\n1,2\n", 1, "pH [mol/L]: the unit must be [-]");
}

/* A concentration below zero, or zero in a log10 residual, is dropped with its line. */
Test(profile_fit, unusable_values_are_dropped_with_their_line)
{
    RxPlant *p = load_config(PLANT);
    char path[] = "/tmp/reesx-prof-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("stage,Nd aqueous [mg/L],pH [-]\nscrub:first,-1,1.2\nNdPr(Sm) loaded organic,,\n30,0,1.4\n", f);
    fclose(f);
    RxProfileData d;
    RxError err;
    cr_assert_eq(rx_profile_read(path, p, RX_RESID_LOG10_CONC, &d, &err), RX_OK, "%s", err.msg);
    cr_expect_eq(d.npts, 2, "the two pH values");
    cr_expect_eq(d.pts[0].stage, 30, "scrub:first is stage 31");
    cr_assert_eq(d.ndropped, 4);
    cr_expect(strstr(d.dropped[0], ":2: Nd aqueous [mg/L]: a concentration below zero: dropped"), "%s", d.dropped[0]);
    cr_expect(strstr(d.dropped[1], ":4: Nd aqueous [mg/L]: zero has no log10"), "%s", d.dropped[1]);
    cr_expect(strstr(d.dropped[2], "Nd aqueous [mg/L]: 1 rows without a value (lines 3)"), "%s", d.dropped[2]);
    cr_expect(strstr(d.dropped[3], "pH [-]: 1 rows without a value (lines 3)"), "%s", d.dropped[3]);
    rx_profile_free(&d);
    cr_assert_eq(rx_profile_read(path, p, RX_RESID_CONC, &d, &err), RX_OK, "%s", err.msg);
    cr_expect_eq(d.npts, 3, "in concentration a zero is a value");
    rx_profile_free(&d);
    unlink(path);
    rx_plant_destroy(&p);
}

/* The command on the fixture: exit 0, the truth inside each interval. */
Test(profile_fit, command_fits_the_fixture)
{
    char tmp[] = "/tmp/reesx-prof-XXXXXX", cmd[800], path[700];
    cr_assert(mkdtemp(tmp));
    snprintf(cmd, sizeof cmd, "'%s' fit '%s/%s' -q -o '%s' 2>/dev/null", getenv("REESX_BIN"), RX_SOURCE_DIR, PLANT,
             tmp);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    snprintf(path, sizeof path, "%s/fitted.tsv", tmp);
    FILE *f = fopen(path, "r");
    cr_assert(f, "fitted.tsv written");
    char line[512];
    int pr = 0, nd = 0, la = 0;
    while (fgets(line, sizeof line, f)) {
        double v, se;
        if (sscanf(line, "Pr %lf %lf", &v, &se) == 2)
            pr = fabs(v - truth[0]) < 2.0 * se + 1e-3;
        if (sscanf(line, "Nd %lf %lf", &v, &se) == 2)
            nd = fabs(v - truth[1]) < 2.0 * se + 1e-3;
        la |= strncmp(line, "La ", 3) == 0; /* the rows not fitted are there too */
    }
    fclose(f);
    cr_expect(pr && nd && la, "Pr %d Nd %d La %d", pr, nd, la);
    /* A plant beside it names it as model.data and runs on the fitted constants. */
    char name[800], want[800];
    snprintf(name, sizeof name, "%s/fitted_plant.cfg", tmp);
    snprintf(want, sizeof want, "%s/fitted.tsv", tmp);
    RxPlant *q = NULL;
    RxSolution *sol = NULL;
    RxError err;
    cr_assert_eq(rx_plant_load_text("version = 1;\n"
                                    "extractant = { name = \"P507\"; concentration = \"1.5 mol/L\"; };\n"
                                    "model = { type = \"mass_action\"; data = \"fitted.tsv\"; };\n"
                                    "sections = ( { name = \"extraction\"; stages = 4; } );\n"
                                    "feeds = ( { name = \"feed\"; phase = \"aqueous\"; stage = 4; flow = \"1 L/h\";\n"
                                    "  acid = \"pH 2\"; composition = { Nd = \"1 g/L\"; La = \"1 g/L\"; }; },\n"
                                    "  { name = \"org\"; phase = \"organic\"; stage = 1; flow = \"1 L/h\"; } );\n"
                                    "products = ( { name = \"o\"; stream = \"organic\"; targets = [\"Nd\"]; } );\n",
                                    name, &q, &err),
                 RX_OK, "%s: %s", err.where, err.msg);
    cr_expect_str_eq(q->model_spec.datafile, want);
    int cls[RX_MAX_SPECIES];
    rx_model_provenance(q, cls);
    cr_expect_eq(cls[rx_plant_species(q, "Nd")], RX_CLASS_FITTED);
    cr_expect_eq(cls[rx_plant_species(q, "La")], RX_CLASS_PLACEHOLDER, "La kept its class from P507_chloride.tsv");
    cr_expect_eq(rx_circuit_solve(q, &sol, &err), RX_OK, "%s", err.msg);
    rx_solution_destroy(&sol);
    rx_plant_destroy(&q);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    cr_expect_eq(system(cmd), 0);
}

/* Config errors of the fit group. */
Test(profile_fit, fit_group_errors)
{
    static const struct {
        const char *fit, *msg;
    } cases[] = {
        {"profile = \"p.csv\"; residual = \"log10 D\"; elements = [\"Nd\"];", "a stage profile has no D"},
        {"profile = \"p.csv\"; efficiency = [\"strip\"];", "'strip' is not a section of this circuit"},
        {"profile = \"p.csv\"; efficiency = [\"scrub\"]; bounds = { scrub = [0.0, 1.0]; };", "must lie within [0.05, 1]"},
        {"profile = \"p.csv\"; elements = [\"Nd\"]; weights = { pH = -1.0; };", "a weight must be a positive number"},
        {"profile = \"p.csv\"; elements = [\"Nd\"]; weights = { ph = 1.0; };", "ph"},
        {"elements = [\"Nd\"];", "give the shake-out data"},
        {"data = \"s.csv\"; elements = [\"Nd\"]; terms = \"pH and dosage\";", "terms are the empirical_logd lines'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[2048], path[] = "/tmp/reesx-fitcfg-XXXXXX";
        snprintf(text, sizeof text,
                 "version = 1;\nextractant = { name = \"P507\"; concentration = \"1.5 mol/L\"; };\n"
                 "model = { type = \"mass_action\"; };\n"
                 "sections = ( { name = \"extraction\"; stages = 2; }, { name = \"scrub\"; stages = 2; } );\n"
                 "feeds = ( { name = \"feed\"; phase = \"aqueous\"; stage = 2; flow = \"1 L/h\"; acid = \"pH 2\";\n"
                 "  composition = { Nd = \"1 g/L\"; }; },\n"
                 "  { name = \"acid\"; phase = \"aqueous\"; stage = 4; flow = \"1 L/h\"; acid = \"1 mol/L\"; },\n"
                 "  { name = \"org\"; phase = \"organic\"; stage = 1; flow = \"1 L/h\"; } );\n"
                 "products = ( { name = \"o\"; stream = \"organic\"; targets = [\"Nd\"]; } );\n"
                 "fit = { %s };\n",
                 cases[i].fit);
        int fd = mkstemp(path);
        cr_assert(fd >= 0);
        FILE *f = fdopen(fd, "w");
        fputs(text, f);
        fclose(f);
        RxPlant *p = NULL;
        RxError err;
        cr_expect_eq(rx_plant_load(path, &p, &err), RX_BAD_INPUT, "%s is refused", cases[i].fit);
        cr_expect(strstr(err.msg, cases[i].msg), "'%s' says %s", err.msg, cases[i].msg);
        cr_expect(strncmp(err.where, path, strlen(path)) == 0 && err.where[strlen(path)] == ':', "at %s", err.where);
        rx_plant_destroy(&p);
        unlink(path);
    }
}
