/*
 * test_fit.c - fitting model constants to shake-out experiments (fit/):
 * recovery of known constants from reesx's own noisy data, the real D2EHPA
 * isotherms of ../shared/data/shakeout/, and the malformed CSV classes.
 */
#include "support.h"

#include "fit/fit.h"
#include "models/model.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHARED RX_SOURCE_DIR "/../shared/data/shakeout/d2ehpa_single_metal_isotherms.csv"
#define FIX(name) RX_SOURCE_DIR "/tests/fixtures/" name

static const char *const metals[] = {"Mn", "Co", "Ni", "Cu"};
#define NMETALS 4

/* A D2EHPA circuit whose model the fits work on; the fit plant takes its
 * species from the data. */
static RxPlant *d2ehpa_plant(const char *model)
{
    static char text[2048];
    snprintf(text, sizeof text,
             "version = 1;\n"
             "extractant = { name = \"DEHPA\"; concentration = \"%s\"; };\n"
             "model = { %s };\n"
             "sections = ( { name = \"extraction\"; stages = 2; } );\n"
             "feeds = ( { name = \"feed\"; phase = \"aqueous\"; stage = \"extraction:last\"; flow = \"100 L/h\";\n"
             "            acid = \"pH 2\"; composition = { %s = \"0.5 g/L\"; }; },\n"
             "          { name = \"solvent\"; phase = \"organic\"; stage = 1; flow = \"100 L/h\"; } );\n"
             "products = ( { name = \"org\"; stream = \"organic\"; targets = [\"%s\"]; } );\n",
             strstr(model, "empirical") ? "3 v/v%" : "0.1 mol/L", model, "La", "La");
    return load_text(text);
}

static int elem_of(const RxPlant *p, const char *sym)
{
    const RxElement *e = rx_elements_find(p->elements, sym);
    cr_assert(e, "%s in the element table", sym);
    return (int)(e - p->elements->el);
}

/* ---- (a) recovery ---------------------------------------------------- */

/* Seeded standard normal (Box-Muller on a 64-bit LCG): the same noise on
 * every machine. */
static unsigned long long seed = 12345;
static double uniform(void)
{
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((double)(seed >> 11) + 0.5) / 9007199254740992.0;
}
static double gauss(void)
{
    return sqrt(-2.0 * log(uniform())) * cos(2.0 * M_PI * uniform());
}

/* n mixed Mn/Co experiments at pH 2.0 .. 4.5, log10 D with noise sigma. */
static void synthetic(RxPlant *p, int n, double sigma, RxShakeoutData *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->path, sizeof d->path, "synthetic");
    d->exp = calloc((size_t)n, sizeof *d->exp);
    d->pts = calloc((size_t)(2 * n), sizeof *d->pts);
    cr_assert(d->exp && d->pts);
    for (int i = 0; i < n; i++) {
        RxShakeout *e = &d->exp[i];
        snprintf(e->name, sizeof e->name, "%d", i + 1);
        e->line = i + 2;
        e->nel = 2;
        e->elem[0] = elem_of(p, "Mn");
        e->elem[1] = elem_of(p, "Co");
        e->c0[0] = 0.01;
        e->c0[1] = 0.005;
        e->h0 = -1;
        e->has_ph = 1;
        e->ph_eq = 2.0 + 2.5 * i / (n > 1 ? n - 1 : 1);
        e->oa = 1.0 + (i % 3) * 0.5;
        e->ce = 0.1 + 0.1 * (i % 2);
        for (int k = 0; k < 2; k++)
            d->pts[d->npts++] = (RxFitPoint){i, e->elem[k], RX_MEAS_D, 1.0, i + 2};
    }
    d->nexp = n;
    RxPlant *w = NULL;
    RxError err;
    double truth[2] = {-3.0, -3.6}, *pred = calloc((size_t)d->npts, sizeof *pred);
    cr_assert_eq(rx_fit_plant(p, d, &w, &err), RX_OK, "%s", err.msg);
    cr_assert_eq(rx_fit_predict(w, &p->fit, d, truth, pred, &err), RX_OK, "%s", err.msg);
    for (int i = 0; i < d->npts; i++)
        d->pts[i].value = pow(10.0, pred[i] + sigma * gauss());
    free(pred);
    rx_plant_destroy(&w);
}

static void fit_two(RxPlant *p)
{
    p->fit.present = 1;
    p->fit.residual = RX_RESID_LOG10_D;
    p->fit.nparams = 2;
    for (int k = 0; k < 2; k++)
        p->fit.params[k] = (RxFitParam){RX_FIT_VALUE, elem_of(p, k ? "Co" : "Mn"), -2.0, -HUGE_VAL, HUGE_VAL, 0};
}

Test(fit, recovers_known_constants_and_narrows_with_more_points)
{
    RxPlant *p = d2ehpa_plant("type = \"mass_action\"; log10_K = { La = -1.0; };");
    fit_two(p);
    double truth[2] = {-3.0, -3.6}, width[2][2];
    int sizes[2] = {10, 40};
    for (int s = 0; s < 2; s++) {
        RxShakeoutData d;
        RxFitResult *r = NULL;
        RxError err;
        synthetic(p, sizes[s], 0.05, &d);
        cr_assert_eq(rx_fit_run(p, &d, NULL, &r, &err), RX_OK, "%s", err.msg);
        cr_expect_eq(r->dof, 2 * sizes[s] - 2);
        for (int k = 0; k < 2; k++) {
            cr_expect(r->lo95[k] < truth[k] && truth[k] < r->hi95[k], "%d points: %g in [%g, %g]", sizes[s], truth[k],
                      r->lo95[k], r->hi95[k]);
            width[s][k] = r->hi95[k] - r->lo95[k];
        }
        cr_expect(r->rmse > 0.03 && r->rmse < 0.08, "rmse %g near the noise 0.05", r->rmse);
        rx_fit_result_free(&r);
        rx_shakeout_free(&d);
    }
    for (int k = 0; k < 2; k++)
        cr_expect(width[1][k] < 0.7 * width[0][k], "interval %d shrinks: %g -> %g", k, width[0][k], width[1][k]);
    rx_plant_destroy(&p);
}

/* ---- (b) the real D2EHPA isotherms ------------------------------------ */

/* The shared file's columns (experiment,metal,pH_eq,A_to_O,D2EHPA_mol_L,
 * metal_initial_mol_L,extraction_percent) into the shake-out format of
 * docs/fit.md, at path. */
static int convert_shared(const char *path)
{
    FILE *in = fopen(SHARED, "r");
    if (!in)
        return 0;
    FILE *out = fopen(path, "w");
    cr_assert(out);
    fprintf(out, "experiment,pH eq [-],O/A [-],extractant [mol/L]");
    for (int m = 0; m < NMETALS; m++)
        fprintf(out, ",%s initial [mol/L],%s extraction [%%]", metals[m], metals[m]);
    fprintf(out, "\n");
    char line[512];
    cr_assert(fgets(line, sizeof line, in));
    while (fgets(line, sizeof line, in)) {
        char ex[32], metal[8];
        double ph, ato, ce, c0, e;
        if (sscanf(line, "%31[^,],%7[^,],%lf,%lf,%lf,%lf,%lf", ex, metal, &ph, &ato, &ce, &c0, &e) != 7)
            continue;
        fprintf(out, "%s,%.17g,%.17g,%.17g", ex, ph, 1.0 / ato, ce);
        for (int m = 0; m < NMETALS; m++)
            if (!strcmp(metal, metals[m]))
                fprintf(out, ",%.17g,%.17g", c0, e);
            else
                fprintf(out, ",,");
        fprintf(out, "\n");
    }
    fclose(in);
    fclose(out);
    return 1;
}

static void read_shared(RxPlant *p, RxShakeoutData *d, char *path)
{
    snprintf(path, 64, "/tmp/reesx-shakeout-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    if (!convert_shared(path)) {
        unlink(path);
        cr_skip_test("no shared data at %s: the real-data fit is skipped", SHARED);
    }
    RxError err;
    cr_assert_eq(rx_shakeout_read(path, p->elements, d, &err), RX_OK, "%s: %s", err.where, err.msg);
}

Test(fit, d2ehpa_lines_match_closed_form_least_squares)
{
    RxPlant *p = d2ehpa_plant("type = \"empirical_logd\"; data = \"DEHPA_UKy_logD.tsv\";");
    RxShakeoutData d;
    char path[64];
    read_shared(p, &d, path);
    p->fit.present = 1;
    p->fit.residual = RX_RESID_LOG10_D;
    p->fit.nparams = 2 * NMETALS;
    for (int m = 0; m < NMETALS; m++) {
        p->fit.params[2 * m] = (RxFitParam){RX_FIT_SLOPE, elem_of(p, metals[m]), 1.0, -HUGE_VAL, HUGE_VAL, 0};
        p->fit.params[2 * m + 1] = (RxFitParam){RX_FIT_INTERCEPT, elem_of(p, metals[m]), -3.0, -HUGE_VAL, HUGE_VAL, 0};
    }
    RxFitResult *r = NULL;
    RxError err;
    cr_assert_eq(rx_fit_run(p, &d, NULL, &r, &err), RX_OK, "%s", err.msg);
    int used = 0;
    for (int m = 0; m < NMETALS; m++) {
        /* Independent: ordinary least squares of log10 D on pH over the same
         * points, D = E/(100 - E) * A/O, rows with 0 < E < 100 %. */
        int elem = elem_of(p, metals[m]), n = 0;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < d.npts; i++) {
            if (d.pts[i].elem != elem)
                continue;
            const RxShakeout *e = &d.exp[d.pts[i].exp];
            double E = d.pts[i].value, x = e->ph_eq, y = log10(E / (1.0 - E) / e->oa);
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        used += n;
        double a = (n * sxy - sx * sy) / (n * sxx - sx * sx), b = (sy - a * sx) / n;
        cr_expect(fabs(r->est[2 * m] - a) < 1e-6, "%s slope %.9f vs %.9f", metals[m], r->est[2 * m], a);
        cr_expect(fabs(r->est[2 * m + 1] - b) < 1e-6, "%s intercept %.9f vs %.9f", metals[m], r->est[2 * m + 1], b);
        cr_log_info("%s: log10 D = %.4f (+- %.4f) pH + %.4f (+- %.4f), 95 %% t %.4f, %d points", metals[m],
                    r->est[2 * m], r->se[2 * m], r->est[2 * m + 1], r->se[2 * m + 1], r->t95, n);
    }
    cr_expect_eq(used, d.npts);
    cr_expect_eq(d.npts + d.ndropped, 38, "every row is fitted or listed as dropped");
    cr_expect_eq(r->dof, d.npts - 2 * NMETALS);
    rx_fit_result_free(&r);
    rx_shakeout_free(&d);
    unlink(path);
    rx_plant_destroy(&p);
}

/* The four coefficients of log10 D = (m0 + m1 dos) pH + B0 + B1 log10(dos)
 * from experiments at three dosages (each experiment's extractant, in
 * mol/L, is its dosage through the config's v/v%): exact data give them
 * back, and a fitted.tsv row carries all four. */
Test(fit, empirical_lines_with_dosage_terms)
{
    /* The lines' file is DEHPA's, the extractant P507: only P507's data file
     * gives the density that turns an experiment's mol/L into v/v%. */
    RxPlant *p = load_text("version = 1;\n"
                           "extractant = { name = \"P507\"; concentration = \"3 v/v%\"; };\n"
                           "model = { type = \"empirical_logd\"; data = \"DEHPA_UKy_logD.tsv\"; };\n"
                           "sections = ( { name = \"extraction\"; stages = 2; } );\n"
                           "feeds = ( { name = \"feed\"; phase = \"aqueous\"; stage = 2; flow = \"1 L/h\";\n"
                           "  acid = \"pH 2\"; composition = { La = \"0.5 g/L\"; }; },\n"
                           "  { name = \"solvent\"; phase = \"organic\"; stage = 1; flow = \"1 L/h\"; } );\n"
                           "products = ( { name = \"org\"; stream = \"organic\"; targets = [\"La\"]; } );\n");
    const double truth[4] = {1.2, -4.5, 0.1, 1.0}; /* m0, B0, m1, B1, the order config/fit.c adds them in */
    int mn = elem_of(p, "Mn");
    RxShakeoutData d = {0};
    snprintf(d.path, sizeof d.path, "dosages");
    d.exp = calloc(12, sizeof *d.exp);
    d.pts = calloc(12, sizeof *d.pts);
    cr_assert(d.exp && d.pts && p->extractant_vv == 3.0 && p->extractant_conc > 0);
    for (int i = 0; i < 12; i++) {
        double dos = 1.5 * (1 << (i % 3)), ph = 2.0 + 0.2 * i; /* 1.5, 3 and 6 v/v% */
        d.exp[i] = (RxShakeout){.line = i + 2, .nel = 1, .elem = {mn}, .c0 = {0.001}, .h0 = -1, .has_ph = 1,
                                .ph_eq = ph, .oa = 1.0, .ce = p->extractant_conc * dos / p->extractant_vv};
        double logd = (truth[0] + truth[2] * dos) * ph + truth[1] + truth[3] * log10(dos);
        d.pts[d.npts++] = (RxFitPoint){i, mn, RX_MEAS_D, pow(10.0, logd), i + 2};
    }
    d.nexp = 12;
    static const int kinds[] = {RX_FIT_SLOPE, RX_FIT_INTERCEPT, RX_FIT_SLOPE_DOSAGE, RX_FIT_INTERCEPT_DOSAGE};
    p->fit.present = 1;
    p->fit.residual = RX_RESID_LOG10_D;
    p->fit.nparams = 4;
    for (int k = 0; k < 4; k++)
        p->fit.params[k] = (RxFitParam){kinds[k], mn, 0.0, -HUGE_VAL, HUGE_VAL, 0};
    RxFitResult *r = NULL;
    RxError err;
    cr_assert_eq(rx_fit_run(p, &d, NULL, &r, &err), RX_OK, "%s", err.msg);
    for (int k = 0; k < 4; k++)
        cr_expect(fabs(r->est[k] - truth[k]) < 1e-6, "coefficient %d: %.9f vs %g", k, r->est[k], truth[k]);
    double c[4], se[4];
    rx_fit_line(p, r, mn, c, se);
    cr_expect(fabs(c[RX_LINE_M1] - 0.1) < 1e-6 && fabs(c[RX_LINE_B1] - 1.0) < 1e-6 && !isnan(se[RX_LINE_M1]));
    rx_fit_result_free(&r);
    /* m0 and B0 alone at one dosage: m1 and B1 stay as held (0: no Mn row in the file). */
    p->fit.nparams = 2;
    for (int i = 0; i < d.nexp; i++)
        d.exp[i].ce = p->extractant_conc;
    cr_assert_eq(rx_fit_run(p, &d, NULL, &r, &err), RX_OK, "%s", err.msg);
    rx_fit_line(p, r, mn, c, se);
    cr_expect(c[RX_LINE_M1] == 0 && c[RX_LINE_B1] == 0 && isnan(se[RX_LINE_M1]) && isnan(se[RX_LINE_B1]));
    rx_fit_result_free(&r);
    rx_shakeout_free(&d);
    rx_plant_destroy(&p);
    /* D2EHPA has no density in its data file: experiments at two
     * concentrations cannot be given their dosages, and the fit says so. */
    p = d2ehpa_plant("type = \"empirical_logd\"; data = \"DEHPA_UKy_logD.tsv\";");
    memset(&d, 0, sizeof d);
    d.exp = calloc(2, sizeof *d.exp);
    d.pts = calloc(2, sizeof *d.pts);
    cr_assert(d.exp && d.pts);
    for (int i = 0; i < 2; i++) {
        d.exp[i] = (RxShakeout){.line = i + 2, .nel = 1, .elem = {mn}, .c0 = {0.001}, .h0 = -1, .has_ph = 1,
                                .ph_eq = 2.0 + i, .oa = 1.0, .ce = 0.1 * (i + 1)};
        d.pts[d.npts++] = (RxFitPoint){i, mn, RX_MEAS_D, 1.0, i + 2};
    }
    d.nexp = 2;
    p->fit.present = 1;
    p->fit.nparams = 2;
    for (int k = 0; k < 2; k++)
        p->fit.params[k] = (RxFitParam){kinds[k], mn, 0.0, -HUGE_VAL, HUGE_VAL, 0};
    cr_expect_eq(rx_fit_run(p, &d, NULL, &r, &err), RX_BAD_INPUT);
    cr_expect(strstr(err.msg, "their dosages in v/v% are not known"), "%s", err.msg);
    rx_shakeout_free(&d);
    rx_plant_destroy(&p);
}

Test(fit, d2ehpa_mass_action_constants_with_loading)
{
    RxPlant *p = d2ehpa_plant("type = \"mass_action\"; log10_K = { La = -1.0; };");
    RxShakeoutData d;
    char path[64];
    read_shared(p, &d, path);
    p->fit.present = 1;
    p->fit.residual = RX_RESID_LOG10_D;
    p->fit.nparams = NMETALS;
    for (int m = 0; m < NMETALS; m++)
        p->fit.params[m] = (RxFitParam){RX_FIT_VALUE, elem_of(p, metals[m]), -3.0, -HUGE_VAL, HUGE_VAL, 0};
    RxFitResult *r = NULL;
    RxError err;
    cr_assert_eq(rx_fit_run(p, &d, NULL, &r, &err), RX_OK, "%s", err.msg);
    for (int m = 0; m < NMETALS; m++) {
        cr_expect(r->se[m] > 0 && r->lo95[m] < r->est[m] && r->est[m] < r->hi95[m]);
        cr_log_info("%s: log10 K = %.4f +- %.4f, 95 %% [%.4f, %.4f]", metals[m], r->est[m], r->se[m], r->lo95[m],
                    r->hi95[m]);
    }
    cr_log_info("rmse %.4f (log10 D), dof %d", r->rmse, r->dof);
    cr_expect(r->rmse < 1.0);
    rx_fit_result_free(&r);
    rx_shakeout_free(&d);
    unlink(path);
    rx_plant_destroy(&p);
}

/* ---- (c) bad input ---------------------------------------------------- */

static void expect_bad(const char *path, int line, const char *column, const char *what)
{
    RxPlant *p = d2ehpa_plant("type = \"mass_action\"; log10_K = { La = -1.0; };");
    RxShakeoutData d;
    RxError err;
    char where[600];
    cr_assert_eq(rx_shakeout_read(path, p->elements, &d, &err), RX_BAD_INPUT, "%s is refused", path);
    snprintf(where, sizeof where, "%s:%d", path, line);
    cr_expect_str_eq(err.where, where);
    cr_expect(strncmp(err.msg, column, strlen(column)) == 0, "'%s' names the column %s", err.msg, column);
    cr_expect(strstr(err.msg, what), "'%s' says %s", err.msg, what);
    rx_plant_destroy(&p);
}

Test(fit, bad_unknown_element)
{
    expect_bad(FIX("shakeout_unknown_element.csv"), 1, "Xx initial [g/L]: ", "unknown element 'Xx'");
}
Test(fit, bad_unit_typo)
{
    expect_bad(FIX("shakeout_unit_typo.csv"), 1, "Mn initial [g/l]: ", "unknown unit 'g/l'");
}
Test(fit, bad_missing_column)
{
    expect_bad(FIX("shakeout_missing_column.csv"), 1, "O/A [-]: ", "missing column");
}
Test(fit, bad_text_in_number)
{
    expect_bad(FIX("shakeout_text_in_number.csv"), 3, "O/A [-]: ", "'one' is not a number");
}
Test(fit, bad_too_few_fields)
{
    expect_bad(FIX("shakeout_too_few_fields.csv"), 3, "row: ", "4 fields, the header has 6");
}

/* Negative, 100 % and missing extractions are dropped, each with its line. */
Test(fit, unusable_rows_are_dropped_with_their_line)
{
    RxPlant *p = d2ehpa_plant("type = \"mass_action\"; log10_K = { La = -1.0; };");
    RxShakeoutData d;
    RxError err;
    cr_assert_eq(rx_shakeout_read(FIX("shakeout_unusable.csv"), p->elements, &d, &err), RX_OK, "%s", err.msg);
    cr_expect_eq(d.npts, 2);
    cr_assert_eq(d.ndropped, 3);
    cr_expect(strstr(d.dropped[0], "shakeout_unusable.csv:3: Mn extraction [%]: extraction of 0 % or less"), "%s",
              d.dropped[0]);
    cr_expect(strstr(d.dropped[1], ":4: Mn extraction [%]: extraction of 100 % or more"), "%s", d.dropped[1]);
    cr_expect(strstr(d.dropped[2], ":5: Mn extraction [%]: missing value"), "%s", d.dropped[2]);
    rx_shakeout_free(&d);
    rx_plant_destroy(&p);
}

/* ---- the command ------------------------------------------------------ */

/* `reesx fit FIXTURE -o TMP` with stderr into TMP/err: the exit status;
 * stderr into buf (n bytes). */
static int run_fit(const char *fixture, char *buf, size_t n)
{
    const char *bin = getenv("REESX_BIN");
    cr_assert(bin && bin[0], "REESX_BIN is not set (run the suite with `make test`)");
    char tmp[] = "/tmp/reesx-fit-XXXXXX", cmd[1024], errf[64];
    cr_assert(mkdtemp(tmp));
    snprintf(errf, sizeof errf, "%s/err", tmp);
    snprintf(cmd, sizeof cmd, "'%s' fit '%s' -q -o '%s/out' 2>'%s'", bin, fixture, tmp, errf);
    int st = system(cmd);
    FILE *f = fopen(errf, "r");
    size_t got = f ? fread(buf, 1, n - 1, f) : 0;
    buf[got] = '\0';
    if (f)
        fclose(f);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    cr_assert_eq(system(cmd), 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

Test(fit, command_exits_2_naming_file_line_and_column)
{
    char err[4096];
    cr_expect_eq(run_fit(FIX("fit_unit_typo.cfg"), err, sizeof err), 2);
    cr_expect(strstr(err, "shakeout_unit_typo.csv:1: Mn initial [g/l]: unknown unit 'g/l'"), "%s", err);
}

/* The fixture is batch chemistry alone: fit takes it, run refuses it. */
Test(fit, command_warns_of_every_dropped_row)
{
    char err[4096];
    cr_expect_eq(run_fit(FIX("fit_unusable.cfg"), err, sizeof err), 0, "%s", err);
    cr_expect(strstr(err, "shakeout_unusable.csv:3:") && strstr(err, "shakeout_unusable.csv:4:") &&
                  strstr(err, "shakeout_unusable.csv:5:"),
              "%s", err);
    RxPlant *p = NULL;
    RxError e;
    cr_expect_eq(rx_plant_load(FIX("fit_unusable.cfg"), &p, &e), RX_BAD_INPUT);
    cr_expect(strstr(e.msg, "no circuit (sections, feeds): this description is for reesx fit alone"), "%s", e.msg);
    cr_assert_eq(rx_plant_load_for_fit(FIX("fit_unusable.cfg"), &p, &e), RX_OK, "%s", e.msg);
    cr_expect_eq(p->nstages, 0);
    rx_plant_destroy(&p);
}

/* ---- the split at a measured pH and the warnings ----------------------- */

/* Every model's split_at_h at the [H+] its own split found gives back the
 * same split: the fixed-pH path is the same chemistry. */
Test(fit, split_at_h_reproduces_the_split)
{
    const char *models[] = {"type = \"mass_action\"; log10_K = { La = -1.0; };",
                            "type = \"empirical_logd\"; data = \"DEHPA_UKy_logD.tsv\";"};
    for (int m = 0; m < 2; m++) {
        RxPlant *p = d2ehpa_plant(models[m]);
        const RxModelType *t = p->model->type;
        cr_assert(t->split_at_h, "%s has split_at_h", t->name);
        double T[RX_MAX_SPECIES] = {0.01}, x[RX_MAX_SPECIES], y[RX_MAX_SPECIES], x2[RX_MAX_SPECIES],
               y2[RX_MAX_SPECIES];
        RxStageIn in = {.M = p->nsp, .T = T, .z = p->charge, .cl = 0.05, .A = 1.0, .O = 1.0,
                        .ce = 0.1, .so4 = 0, .ka = p->ka_hso4};
        RxStageOut a = {.x = x, .y = y}, b = {.x = x2, .y = y2};
        double g1[2] = {0, 0}, g2[2] = {0, 0};
        cr_assert_eq(rx_model_split(p, &in, g1, &a), RX_OK);
        cr_assert_eq(t->split_at_h(p->model->params, &in, a.h, g2, &b), RX_OK);
        for (int j = 0; j < p->nsp; j++) {
            cr_expect(fabs(x2[j] - x[j]) <= 1e-9 * T[j], "%s x: %g vs %g", t->name, x2[j], x[j]);
            cr_expect(fabs(y2[j] - y[j]) <= 1e-9 * T[j], "%s y: %g vs %g", t->name, y2[j], y[j]);
        }
        if (a.d > 0)
            cr_expect(fabs(b.d / a.d - 1) < 1e-8, "free dimer %g vs %g", b.d, a.d);
        rx_plant_destroy(&p);
    }
}

/* A bound that keeps a constant from its value is said, and so is a
 * constant the data do not determine. */
Test(fit, warns_of_a_bound_and_of_unidentifiable_constants)
{
    RxPlant *p = d2ehpa_plant("type = \"mass_action\"; log10_K = { La = -1.0; };");
    fit_two(p);
    RxShakeoutData d;
    RxFitResult *r = NULL;
    RxError err;
    synthetic(p, 10, 0.05, &d); /* Mn at -3 */
    p->fit.params[0].lo = -2.5;
    p->fit.params[0].hi = 0;
    cr_assert_eq(rx_fit_run(p, &d, NULL, &r, &err), RX_OK, "%s", err.msg);
    cr_expect_float_eq(r->est[0], -2.5, 1e-12);
    int bound = 0;
    for (int i = 0; i < r->nwarn; i++)
        bound |= strstr(r->warn[i], "log10_K(Mn) is at its bound -2.5") != NULL;
    cr_expect(bound, "warned of the bound (%d warnings)", r->nwarn);
    rx_fit_result_free(&r);
    /* No Co in any experiment: its constant has no data at all. */
    for (int i = 0; i < d.nexp; i++)
        d.exp[i].nel = 1;
    for (int i = 0; i < d.npts; i++)
        d.pts[i].elem = d.exp[0].elem[0];
    p->fit.params[0].lo = -HUGE_VAL;
    cr_assert_eq(rx_fit_run(p, &d, NULL, &r, &err), RX_OK, "%s", err.msg);
    int singular = 0;
    for (int i = 0; i < r->nwarn; i++)
        singular |= strstr(r->warn[i], "singular or ill-conditioned") != NULL;
    cr_expect(singular, "warned that Co is not identifiable (%d warnings: %s)", r->nwarn, r->nwarn ? r->warn[0] : "");
    rx_fit_result_free(&r);
    rx_shakeout_free(&d);
    rx_plant_destroy(&p);
}
