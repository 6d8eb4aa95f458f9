/*
 * bench.c - `make bench`: the speed targets of DESIGN §8 for the steady core.
 *
 *   1. one stage equilibrium solve, 6 metals (La Ce Pr Nd Sm + Na), P507:
 *      cold (no starting guess) and warm (guess from a nearby solve)
 *   2. a 100-stage, 6-metal P507 circuit to steady state (target < 10 ms),
 *      and the shipped configs for comparison
 *   3. design searches (ndpr_binary, lace_ndpr), the passes of the ndpr_plant
 *      flowsheet, and a design candidate's plant edited in memory against the
 *      text round trip it replaced
 *   4. the 72 h start-up of that circuit from barren solutions (target < 1 s)
 *   5. reesx fit: 4 mass-action constants to 40 shake-out points (target < 50 ms)
 *
 * Times are wall-clock medians of repeated runs on this machine.
 */
#include "rx.h"

#include "models/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STAGE_CASES 2000
#define STAGE_REPEATS 20
#define CIRCUIT_RUNS 5

/* 50 extraction + 50 scrub stages, the default light-REE feed. */
static const char *circuit_100 =
    "version = 1;\n"
    "title = \"bench: 100-stage La-Ce | NdPr(Sm) split, P507\";\n"
    "extractant = { name = \"P507\"; concentration = \"1.5 mol/L\"; saponification = \"36 %\"; base = \"NaOH\"; };\n"
    "sections = ( { name = \"extraction\"; stages = 50; mixer = \"3 min\"; settler = { residence = \"15 min\"; }; },\n"
    "             { name = \"scrub\"; stages = 50; mixer = \"3 min\"; settler = { residence = \"15 min\"; }; } );\n"
    "feeds = (\n"
    " { name = \"feed\"; phase = \"aqueous\"; stage = \"extraction:last\"; flow = \"100 L/h\"; acid = \"pH 2\";\n"
    "   composition = { La = \"50 g/L REO\"; Ce = \"73 g/L REO\"; Pr = \"6.5 g/L REO\"; Nd = \"18 g/L REO\";\n"
    "                   Sm = \"1.5 g/L REO\"; }; },\n"
    " { name = \"scrub acid\"; phase = \"aqueous\"; stage = \"scrub:last\"; flow = \"35 L/h\"; acid = \"3 mol/L\"; },\n"
    " { name = \"fresh organic\"; phase = \"organic\"; stage = 1; flow = \"260 L/h\"; } );\n"
    "products = ( { name = \"NdPr\"; stream = \"organic\"; targets = [\"Pr\", \"Nd\", \"Sm\"]; } );\n"
    "dynamics = { horizon = \"72 h\"; output_interval = \"1 h\"; initial = \"barren\"; };\n";

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static RxPlant *load_text(const char *text)
{
    RxPlant *p = NULL;
    RxError err;
    if (rx_plant_load_text(text, "bench", &p, &err) != RX_OK)
        fprintf(stderr, "bench: %s: %s\n", err.where, err.msg);
    return p;
}

/* Median wall time of CIRCUIT_RUNS cold solves of p, printed on one line. */
static int time_circuit(const RxPlant *p, const char *label, const char *target)
{
    double ct[CIRCUIT_RUNS], closure = 0;
    int its = 0, stage_its = 0;
    RxSolution *s = NULL;
    RxError err;
    for (int r = 0; r < CIRCUIT_RUNS; r++) {
        double t0 = rx_clock();
        int rc = rx_circuit_solve(p, &s, &err);
        ct[r] = rx_clock() - t0;
        if (rc != RX_OK) {
            fprintf(stderr, "bench: %s: %s\n", err.where, err.msg);
            return 1;
        }
        its = s->iterations;
        stage_its = s->stage_iterations;
        closure = s->max_closure;
        rx_solution_destroy(&s);
    }
    qsort(ct, CIRCUIT_RUNS, sizeof(double), cmp_double);
    printf("%s: %9.3f ms  (%d Newton iterations, %d stage-solve iterations, mass balance %.1e%s)\n", label,
           1e3 * ct[CIRCUIT_RUNS / 2], its, stage_its, closure, target);
    return 0;
}

/* Load a shipped config; NULL (and a message) if it fails. */
static RxPlant *load_shipped(const char *rel)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", RX_SOURCE_DIR, rel);
    RxPlant *q = NULL;
    RxError err;
    if (rx_plant_load(path, &q, &err) != RX_OK)
        fprintf(stderr, "bench: %s: %s\n", err.where, err.msg);
    return q;
}

static int time_design(const char *rel, const char *what, const char *target)
{
    RxPlant *q = load_shipped(rel);
    RxDesignResult *r = NULL;
    RxError err;
    if (!q || rx_design(q, NULL, NULL, &r, &err) != RX_OK) {
        if (q)
            fprintf(stderr, "bench: %s: %s\n", err.where, err.msg);
        rx_plant_destroy(&q);
        return 1;
    }
    printf("%s, %s (%d threads): %7.3f s  (%d circuits, %.1f per second%s)\n", what, rel, q->design.threads,
           r->seconds, r->n, r->n / r->seconds, target);
    rx_design_result_destroy(&r);
    rx_plant_destroy(&q);
    return 0;
}

/* A flowsheet solved FLOWSHEET_REPEATS times: the median pass, and what of
 * it is not the circuits' own solves (building each pass's plants). */
#define FLOWSHEET_REPEATS 9
static int time_flowsheet(const char *rel)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", RX_SOURCE_DIR, rel);
    RxFlowsheet *fs = NULL;
    RxError err;
    if (rx_flowsheet_load(path, &fs, &err) != RX_OK) {
        fprintf(stderr, "bench: %s: %s\n", err.where, err.msg);
        return 1;
    }
    double pass[FLOWSHEET_REPEATS], other[FLOWSHEET_REPEATS];
    int passes = 0;
    for (int r = 0; r < FLOWSHEET_REPEATS; r++) {
        RxFlowsheetResult *res = NULL;
        double t0 = rx_clock();
        if (rx_flowsheet_solve(fs, &res, &err) != RX_OK) {
            fprintf(stderr, "bench: %s: %s\n", err.where, err.msg);
            rx_flowsheet_destroy(&fs);
            return 1;
        }
        double t = rx_clock() - t0, solves = 0;
        for (int c = 0; c < res->n; c++)
            solves += res->csec[c];
        passes = res->iterations;
        pass[r] = t / passes;
        other[r] = (t - solves * passes) / passes; /* csec is each circuit's last solve: an estimate */
        rx_flowsheet_result_destroy(&res);
    }
    qsort(pass, FLOWSHEET_REPEATS, sizeof(double), cmp_double);
    qsort(other, FLOWSHEET_REPEATS, sizeof(double), cmp_double);
    printf("flowsheet %s (%d circuits): %7.3f ms per pass  (%d passes; about %.3f ms of it outside the circuit "
           "solves)\n",
           rel, fs->n, 1e3 * pass[FLOWSHEET_REPEATS / 2], passes, 1e3 * other[FLOWSHEET_REPEATS / 2]);
    rx_flowsheet_destroy(&fs);
    return 0;
}

/* One design candidate's plant built VARIANT_REPEATS times, as the search
 * did before (the description written as text and read again: every data
 * file re-read, the model rebuilt) and as it does now (a copy edited in
 * memory, sharing the model). */
#define VARIANT_REPEATS 200
static int time_variants(const char *rel)
{
    RxPlant *p = load_shipped(rel);
    if (!p)
        return 1;
    RxError err;
    const RxDesignSpec *d = &p->design;
    int sec[RX_MAX_DESIGN_VARS], stages[RX_MAX_DESIGN_VARS];
    RxFeedSet fs[RX_MAX_DESIGN_VARS];
    for (int i = 0; i < d->nstage_vars; i++) {
        sec[i] = d->stage_vars[i].section;
        stages[i] = d->stage_vars[i].max;
    }
    for (int i = 0; i < d->nflow_vars; i++)
        fs[i] = (RxFeedSet){.feed = d->flow_vars[i].feed, .flow = d->flow_vars[i].max, .acid = -1, .ncomp = 0};
    double t0 = rx_clock();
    int rc = RX_OK;
    for (int r = 0; rc == RX_OK && r < VARIANT_REPEATS; r++) {
        char *text = NULL;
        RxPlant *q = NULL;
        rc = rx_plant_variant(p, d->nstage_vars, sec, stages, d->nflow_vars, fs, &text, &err);
        if (rc == RX_OK)
            rc = rx_plant_load_text(text, p->path, &q, &err);
        free(text);
        rx_plant_destroy(&q);
    }
    double t_text = (rx_clock() - t0) / VARIANT_REPEATS;
    t0 = rx_clock();
    for (int r = 0; rc == RX_OK && r < VARIANT_REPEATS; r++) {
        RxPlant *q = NULL;
        rc = rx_plant_copy(p, &q, &err);
        if (rc == RX_OK)
            rc = rx_plant_set_stages(q, d->nstage_vars, sec, stages, &err);
        for (int i = 0; rc == RX_OK && i < d->nflow_vars; i++)
            rc = rx_plant_set_feed(q, &fs[i], &err);
        rx_plant_destroy(&q);
    }
    double t_mem = (rx_clock() - t0) / VARIANT_REPEATS;
    rx_plant_destroy(&p);
    if (rc != RX_OK) {
        fprintf(stderr, "bench: %s: %s\n", err.where, err.msg);
        return 1;
    }
    printf("a design candidate's plant, %s: %9.3f us in memory  (%.1f us as text written and read again, "
           "%.0fx)\n",
           rel, 1e6 * t_mem, 1e6 * t_text, t_text / t_mem);
    return 0;
}

/* Stage solves on the stage inputs of p's solved circuit, cold and warm. */
static int time_stages(const RxPlant *p)
{
    int M = p->nsp;
    RxSolution *s = NULL;
    RxError err;
    if (rx_circuit_solve(p, &s, &err) != RX_OK) {
        fprintf(stderr, "bench: %s: %s\n", err.where, err.msg);
        return 1;
    }
    int N = s->N;
    static double x[RX_MAX_SPECIES], y[RX_MAX_SPECIES], dadT[RX_MAX_SPECIES * RX_MAX_SPECIES],
        dodT[RX_MAX_SPECIES * RX_MAX_SPECIES];
    double times[2][STAGE_REPEATS];
    long iters[2] = {0, 0};
    for (int warm = 0; warm < 2; warm++)
        for (int r = 0; r < STAGE_REPEATS; r++) {
            double t0 = rx_clock();
            for (int c = 0; c < STAGE_CASES; c++) {
                int k = c % N;
                RxStageIn in = {M, s->T + k * M, p->charge, s->cl[k], s->A[k], s->O[k], p->extractant_conc, 0, p->ka_hso4};
                /* Warm: start from the stage's own solution perturbed by 5 % in h and d. */
                double g[2] = {0, 0};
                if (warm) {
                    g[0] = log(s->h[k]) + 0.05;
                    g[1] = log(s->d[k]) - 0.05;
                }
                RxStageOut out = {x, y, 0, 0, dadT, dodT, 0, NULL};
                rx_model_split(p, &in, g, &out);
                iters[warm] += out.iterations;
            }
            times[warm][r] = (rx_clock() - t0) / STAGE_CASES;
        }
    for (int warm = 0; warm < 2; warm++) {
        qsort(times[warm], STAGE_REPEATS, sizeof(double), cmp_double);
        printf("stage equilibrium solve, %s start, with split Jacobian: %7.3f us  (%.1f Newton iterations; "
               "target < 5 us)\n",
               warm ? "warm" : "cold", 1e6 * times[warm][STAGE_REPEATS / 2],
               (double)iters[warm] / (STAGE_CASES * STAGE_REPEATS));
    }
    rx_solution_destroy(&s);
    return 0;
}

/* 10 mixed Mn/Co/Ni/Cu shake-outs at pH 2 .. 4.5 (40 points), made by the
 * model from known constants with a fixed +-0.05 pattern in log10 D, and
 * the 4 constants fitted back from -3. */
#define FIT_RUNS 5
static int time_fit(void)
{
    static const char *const sym[] = {"Mn", "Co", "Ni", "Cu"};
    const double truth[4] = {-2.84, -4.70, -5.87, -3.23};
    RxPlant *p = load_text("version = 1;\n"
                           "extractant = { name = \"DEHPA\"; concentration = \"0.1 mol/L\"; };\n"
                           "model = { type = \"mass_action\"; log10_K = { La = -1.0; }; };\n"
                           "sections = ( { name = \"extraction\"; stages = 2; } );\n"
                           "feeds = ( { name = \"feed\"; phase = \"aqueous\"; stage = 2; flow = \"1 L/h\";\n"
                           "  acid = \"pH 2\"; composition = { La = \"0.5 g/L\"; }; },\n"
                           "  { name = \"solvent\"; phase = \"organic\"; stage = 1; flow = \"1 L/h\"; } );\n"
                           "products = ( { name = \"org\"; stream = \"organic\"; targets = [\"La\"]; } );\n");
    if (!p)
        return 1;
    RxShakeoutData d = {0};
    snprintf(d.path, sizeof d.path, "bench");
    d.nexp = 10;
    d.exp = calloc(10, sizeof *d.exp);
    d.pts = calloc(40, sizeof *d.pts);
    p->fit.present = 1;
    p->fit.nparams = 4;
    for (int k = 0; k < 4; k++) {
        int elem = (int)(rx_elements_find(p->elements, sym[k]) - p->elements->el);
        p->fit.params[k] = (RxFitParam){RX_FIT_VALUE, elem, -3.0, -HUGE_VAL, HUGE_VAL, 0};
    }
    for (int i = 0; d.exp && d.pts && i < 10; i++) {
        RxShakeout *e = &d.exp[i];
        e->nel = 4;
        e->h0 = -1;
        e->has_ph = 1;
        e->ph_eq = 2.0 + 0.25 * i;
        e->oa = 1.0;
        e->ce = 0.1 + 0.05 * (i % 3);
        for (int k = 0; k < 4; k++) {
            e->elem[k] = p->fit.params[k].elem;
            e->c0[k] = 0.0025;
            d.pts[d.npts++] = (RxFitPoint){i, e->elem[k], RX_MEAS_D, 1.0, i + 2};
        }
    }
    RxError err;
    RxPlant *w = NULL;
    double pred[40];
    int rc = d.exp && d.pts ? rx_fit_plant(p, &d, &w, &err) : RX_NO_MEMORY;
    if (rc == RX_OK)
        rc = rx_fit_predict(w, &p->fit, &d, truth, pred, &err);
    for (int i = 0; rc == RX_OK && i < 40; i++)
        d.pts[i].value = pow(10.0, pred[i] + ((i * 7) % 5 - 2) * 0.025);
    rx_plant_destroy(&w);
    double t[FIT_RUNS];
    RxFitResult *r = NULL;
    for (int run = 0; rc == RX_OK && run < FIT_RUNS; run++) {
        rx_fit_result_free(&r);
        double t0 = rx_clock();
        rc = rx_fit_run(p, &d, NULL, &r, &err);
        t[run] = rx_clock() - t0;
    }
    if (rc != RX_OK) {
        fprintf(stderr, "bench: %s: %s\n", err.where, err.msg);
        rx_shakeout_free(&d);
        rx_plant_destroy(&p);
        return 1;
    }
    qsort(t, FIT_RUNS, sizeof t[0], cmp_double);
    printf("fit of 4 mass-action constants to 40 shake-out points: %7.3f ms  (%d iterations, RMSE %.3f; "
           "target < 50 ms)\n",
           t[FIT_RUNS / 2] * 1e3, r->iterations, r->rmse);
    rx_fit_result_free(&r);
    rx_shakeout_free(&d);
    rx_plant_destroy(&p);
    return 0;
}

/* Three parameters (log10 K of Pr and Nd, the scrub's Murphree efficiency)
 * to the measured profile of a 60-stage circuit: the fixture of docs/fit.md,
 * each fit from the config's start values. */
static int time_profile_fit(void)
{
    RxPlant *p = load_shipped("tests/fixtures/profile_plant.cfg");
    RxProfileData d = {0};
    RxError err;
    int rc = p ? rx_profile_read(p->fit.profile, p, p->fit.residual, &d, &err) : RX_BAD_INPUT;
    double t[FIT_RUNS];
    RxFitResult *r = NULL;
    for (int run = 0; rc == RX_OK && run < FIT_RUNS; run++) {
        rx_fit_result_free(&r);
        double t0 = rx_clock();
        rc = rx_fit_run(p, NULL, &d, &r, &err);
        t[run] = rx_clock() - t0;
    }
    if (rc == RX_OK) {
        qsort(t, FIT_RUNS, sizeof t[0], cmp_double);
        printf("fit of 3 parameters to a 60-stage profile (%d points): %7.3f s  (%d iterations, RMSE %.4f; "
               "target < 2 s)\n",
               r->npts, t[FIT_RUNS / 2], r->iterations, r->rmse);
    } else if (p)
        fprintf(stderr, "bench: %s: %s\n", err.where, err.msg);
    rx_fit_result_free(&r);
    rx_profile_free(&d);
    rx_plant_destroy(&p);
    return rc == RX_OK ? 0 : 1;
}

int main(void)
{
    RxPlant *p = load_text(circuit_100);
    if (!p)
        return 1;
    int M = p->nsp;
    printf("reesx bench (%d metals:", M);
    for (int j = 0; j < M; j++)
        printf(" %s", rx_plant_element(p, j)->sym);
    printf(")\n\n");

    /* 1. Stage solves on the stage inputs of a solved circuit. */
    if (time_stages(p) != 0)
        return 1;

    /* 2. The whole circuit from the built-in start, then the shipped configs. */
    if (time_circuit(p, "100-stage 6-metal circuit to steady state", "; target < 10 ms") != 0)
        return 1;
    const char *shipped[] = {"configs/default.cfg", "configs/tb_dy.cfg"};
    for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
        RxPlant *q = load_shipped(shipped[i]);
        if (!q)
            return 1;
        char label[160];
        snprintf(label, sizeof label, "%s (%d stages, %d metals)", shipped[i], q->nstages, q->nsp);
        int rc = time_circuit(q, label, "");
        rx_plant_destroy(&q);
        if (rc != 0)
            return 1;
    }
    /* 3. Design searches over stage counts and flows on both cores, and the
     *    passes of a flowsheet: each candidate and each pass is a plant
     *    edited in memory, so these show what a variant costs beyond its solve. */
    if (time_design("configs/ndpr_binary.cfg", "Nd/Pr design search", "; target < 30 s") != 0 ||
        time_design("configs/ndpr_plant/lace_ndpr.cfg", "La-Ce | NdPr design search", "") != 0 ||
        time_flowsheet("configs/ndpr_plant.cfg") != 0 || time_variants("configs/ndpr_plant/lace_ndpr.cfg") != 0)
        return 1;
    /* 4. Dynamics: 72 h start-up from barren solutions. */
    RxSimResult *sim = NULL;
    RxError err;
    if (rx_simulate(p, NULL, NULL, &sim, &err) != RX_OK) {
        fprintf(stderr, "bench: %s: %s\n", err.where, err.msg);
        rx_sim_result_destroy(&sim);
        return 1;
    }
    printf("72 h start-up of the 100-stage circuit (%d states): %7.3f s  (%ld steps, %ld right-hand sides, "
           "%ld Jacobians; target < 1 s)\n",
           sim->nstate, sim->seconds, sim->steps, sim->rhs_evals, sim->jac_evals);
    rx_sim_result_destroy(&sim);
    rx_plant_destroy(&p);
    /* 5. A shake-out fit and a stage-profile fit. */
    return time_fit() != 0 || time_profile_fit() != 0;
}
