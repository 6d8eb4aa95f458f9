/*
 * test_split_speed.c - what making the mass-action split cheaper (issue 12,
 * "less work per iteration") must keep.
 *
 * On stages of a 6-metal P507 circuit (La Ce Pr Nd Sm and the Na of the
 * saponification) built around a known equilibrium at 0 to 95 % loading, in
 * a dilute and a strong liquor:
 *   - the cold split finds that equilibrium;
 *   - d(A x)/dT, d(O y)/dT and d(A x)/dCl equal central finite differences
 *     of the split to 1e-6 relative;
 *   - a split started from an exact guess (the circuit near convergence),
 *     from a 5 % perturbed guess or from the guess of slightly different
 *     totals gives the cold split's x, y to 1e-12 (1e-10 with Pitzer), and
 *     the exact guess one evaluation.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "models/model.h"
#include "rx.h"
#include "support.h"

static const char *six_metals =
    "version = 1;\n"
    "extractant = { name = \"P507\"; concentration = \"1.5 mol/L\"; saponification = \"36 %\"; base = \"NaOH\"; };\n"
    "sections = ( { name = \"extraction\"; stages = 2; } );\n"
    "feeds = (\n"
    " { name = \"feed\"; phase = \"aqueous\"; stage = 2; flow = \"100 L/h\"; acid = \"pH 2\";\n"
    "   composition = { La = \"50 g/L REO\"; Ce = \"73 g/L REO\"; Pr = \"6.5 g/L REO\"; Nd = \"18 g/L REO\";\n"
    "                   Sm = \"1.5 g/L REO\"; }; },\n"
    " { name = \"fresh organic\"; phase = \"organic\"; stage = 1; flow = \"260 L/h\"; } );\n";

static const char *six_metals_pitzer =
    "version = 1;\n"
    "extractant = { name = \"P507\"; concentration = \"1.5 mol/L\"; saponification = \"36 %\"; base = \"NaOH\"; };\n"
    "model = { type = \"mass_action\"; activity = \"pitzer\"; };\n"
    "sections = ( { name = \"extraction\"; stages = 2; } );\n"
    "feeds = (\n"
    " { name = \"feed\"; phase = \"aqueous\"; stage = 2; flow = \"100 L/h\"; acid = \"pH 2\";\n"
    "   composition = { La = \"50 g/L REO\"; Ce = \"73 g/L REO\"; Pr = \"6.5 g/L REO\"; Nd = \"18 g/L REO\";\n"
    "                   Sm = \"1.5 g/L REO\"; }; },\n"
    " { name = \"fresh organic\"; phase = \"organic\"; stage = 1; flow = \"260 L/h\"; } );\n";

/* Aqueous composition (mol/L, before scaling): the feed's, and Na. */
static const char *const syms[] = {"La", "Ce", "Pr", "Nd", "Sm", "Na"};
static const double comp[] = {0.31, 0.42, 0.04, 0.11, 0.009, 0.5};

#define NLOAD 5
static const double loadings[NLOAD] = {1e-9, 0.3, 0.6, 0.85, 0.95};
/* Aqueous metal, mol/L: a dilute and a strong liquor. */
#define NACID 2
static const double acids[NACID] = {0.05, 1.0};

typedef struct {
    RxStageIn in;
    double T[RX_MAX_SPECIES];
    double h, d; /* the equilibrium it was built around */
} Stage;

static void split_ok(const RxPlant *p, const RxStageIn *in, double g[2], double *x, double *y, double *dadT,
                     double *dodT, double *dadcl, int *iters)
{
    RxStageOut out = {x, y, 0, 0, dadT, dodT, 0, dadcl};
    cr_assert_eq(rx_model_split(p, in, g, &out), RX_OK);
    if (iters)
        *iters = out.iterations;
}

/* The apparent constants K_j = D_j (h/d)^z_j, from one split. */
static void constants(const RxPlant *p, double *K)
{
    int M = p->nsp;
    double T[RX_MAX_SPECIES], x[RX_MAX_SPECIES], y[RX_MAX_SPECIES];
    for (int j = 0; j < M; j++)
        T[j] = 1e-3;
    RxStageIn in = {M, T, p->charge, 1.0, 1.0, 1.0, p->extractant_conc, 0, p->ka_hso4};
    double g[2] = {0, 0};
    RxStageOut out = {x, y, 0, 0, NULL, NULL, 0, NULL};
    cr_assert_eq(rx_model_split(p, &in, g, &out), RX_OK);
    for (int j = 0; j < M; j++)
        K[j] = y[j] / x[j] * pow(out.h / out.d, p->charge[j]);
}

/* A stage (A = 100 L/h, O = 260 L/h) whose aqueous carries xtot mol/L of
 * metal and whose organic is `load` of its capacity: d from the extractant
 * balance, h where the metals take the rest (by bisection; a trace loading
 * at h = 0.01 mol/L, the aqueous scaled down to it instead), T and Cl from
 * x and y. */
static void build_stage(const RxPlant *p, const double *K, double xtot, double load, Stage *s)
{
    int M = p->nsp;
    double A = 100, O = 260, ce = p->extractant_conc, d = 0.5 * (1 - load) * ce, x[RX_MAX_SPECIES], sum = 0;
    for (int j = 0; j < M; j++) {
        int k = 0;
        while (strcmp(rx_plant_element(p, j)->sym, syms[k]) != 0)
            k++;
        x[j] = comp[k];
        sum += comp[k];
    }
    /* organic charge sum z D x at h, less what the loading asks */
#define ORG_CHARGE(hh, out)                                                                                        \
    do {                                                                                                           \
        out = -0.5 * load * ce;                                                                                    \
        for (int j = 0; j < M; j++)                                                                                \
            out += p->charge[j] * K[j] * pow(d / (hh), p->charge[j]) * x[j];                                       \
    } while (0)
    double h = 0.01;
    if (load < 1e-6) {
        double f;
        ORG_CHARGE(h, f);
        double zy = f + 0.5 * load * ce;
        for (int j = 0; j < M; j++)
            x[j] *= 0.5 * load * ce / zy;
    } else {
        for (int j = 0; j < M; j++)
            x[j] *= xtot / sum;
        double lo = log(1e-9), hi = log(10.0), f;
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (lo + hi);
            ORG_CHARGE(exp(mid), f);
            if (f > 0)
                lo = mid;
            else
                hi = mid;
        }
        h = exp(0.5 * (lo + hi));
        cr_assert(h > 1e-6 && h < 5, "xtot %g load %g: h = %g", xtot, load, h);
    }
#undef ORG_CHARGE
    double q = h;
    for (int j = 0; j < M; j++) {
        double D = K[j] * pow(d / h, p->charge[j]);
        s->T[j] = (A + O * D) * x[j];
        q += p->charge[j] * x[j];
    }
    s->in = (RxStageIn){M, s->T, p->charge, A * q, A, O, ce, 0, p->ka_hso4};
    s->h = h;
    s->d = d;
}

static void close_to(const double *a, const double *b, int M, double tol, const char *what, int c)
{
    for (int j = 0; j < M; j++)
        cr_assert(fabs(a[j] - b[j]) <= tol * fabs(b[j]) + 1e-300, "case %d %s %d: %.17g vs %.17g (%.1e)", c, what,
                  j, a[j], b[j], fabs(a[j] - b[j]) / fabs(b[j]));
}

Test(split_speed, builds_six_metal_stages)
{
    RxPlant *p = load_text(six_metals);
    cr_assert_eq(p->nsp, 6);
    cr_assert_geq(rx_plant_species(p, "Na"), 0);
    rx_plant_destroy(&p);
}

Test(split_speed, cold_split_finds_the_built_equilibrium)
{
    RxPlant *p = load_text(six_metals);
    int M = p->nsp;
    double K[RX_MAX_SPECIES], x[RX_MAX_SPECIES], y[RX_MAX_SPECIES];
    constants(p, K);
    for (int a = 0; a < NACID; a++)
        for (int l = 0; l < NLOAD; l++) {
            Stage s;
            build_stage(p, K, acids[a], loadings[l], &s);
            double g[2] = {0, 0};
            split_ok(p, &s.in, g, x, y, NULL, NULL, NULL, NULL);
            cr_assert_float_eq(exp(g[0]), s.h, 1e-10 * s.h, "h at loading %g", loadings[l]);
            cr_assert_float_eq(exp(g[1]), s.d, 1e-10 * s.d, "d at loading %g", loadings[l]);
            double ext = 0;
            for (int j = 0; j < M; j++)
                ext += 2 * p->charge[j] * y[j];
            cr_assert_float_eq(ext, loadings[l] * s.in.ce, 1e-9 * loadings[l] * s.in.ce);
        }
    rx_plant_destroy(&p);
}

/* Central differences of step e = 1e-4 of what is perturbed: truncation
 * ~1e-8 relative; the split's own error (~1e-14 of T_i) divided by e adds
 * an absolute floor. */
static void check_central(const RxPlant *p, const Stage *s, int c)
{
    int M = p->nsp;
    double x[RX_MAX_SPECIES], y[RX_MAX_SPECIES], xp[RX_MAX_SPECIES], yp[RX_MAX_SPECIES], xm[RX_MAX_SPECIES],
        ym[RX_MAX_SPECIES], dadT[RX_MAX_SPECIES * RX_MAX_SPECIES], dodT[RX_MAX_SPECIES * RX_MAX_SPECIES],
        dadcl[RX_MAX_SPECIES], T2[RX_MAX_SPECIES];
    double g[2] = {0, 0};
    split_ok(p, &s->in, g, x, y, dadT, dodT, dadcl, NULL);
    double A = s->in.A, O = s->in.O;
    for (int j = 0; j <= M; j++) {
        double e = j < M ? 1e-4 * s->T[j] : 1e-5 * s->in.A * s->h;
        for (int sgn = 0; sgn < 2; sgn++) {
            RxStageIn in2 = s->in;
            memcpy(T2, s->T, sizeof T2);
            if (j < M)
                T2[j] += sgn ? -e : e;
            else
                in2.cl += sgn ? -e : e;
            in2.T = T2;
            double g2[2] = {0, 0};
            split_ok(p, &in2, g2, sgn ? xm : xp, sgn ? ym : yp, NULL, NULL, NULL, NULL);
        }
        for (int i = 0; i < M; i++) {
            double fa = A * (xp[i] - xm[i]) / (2 * e), fo = O * (yp[i] - ym[i]) / (2 * e);
            double floor = 1e-12 * s->T[i] / e;
            double an = j < M ? dadT[i + j * M] : dadcl[i], on = j < M ? dodT[i + j * M] : -dadcl[i];
            cr_assert(fabs(an - fa) <= 1e-6 * fabs(fa) + floor, "case %d d(A x_%d)/d%s%d: %.12g vs fd %.12g", c, i,
                      j < M ? "T" : "Cl", j, an, fa);
            cr_assert(fabs(on - fo) <= 1e-6 * fabs(fo) + floor, "case %d d(O y_%d)/d%s%d: %.12g vs fd %.12g", c, i,
                      j < M ? "T" : "Cl", j, on, fo);
            if (j < M)
                cr_assert_float_eq(an + on, i == j ? 1.0 : 0.0, 1e-12, "case %d: the two sum to the identity", c);
        }
    }
}

Test(split_speed, jacobian_equals_central_differences)
{
    RxPlant *p = load_text(six_metals);
    double K[RX_MAX_SPECIES];
    constants(p, K);
    for (int a = 0; a < NACID; a++)
        for (int l = 0; l < NLOAD; l++) {
            Stage s;
            build_stage(p, K, acids[a], loadings[l], &s);
            check_central(p, &s, a * NLOAD + l);
        }
    rx_plant_destroy(&p);
}

/* Warm starts against the cold split: exact (the guess the cold split
 * returned), 5 % off in h and d, and the guess of totals 1e-7 away.  With
 * one_eval, the exact guess costs one evaluation (the step there is below
 * the stopping step and is not evaluated again). */
static void check_warm(const RxPlant *p, const Stage *s, int c, double tol, int one_eval)
{
    int M = p->nsp;
    double x0[RX_MAX_SPECIES], y0[RX_MAX_SPECIES], x[RX_MAX_SPECIES], y[RX_MAX_SPECIES], T2[RX_MAX_SPECIES];
    double g0[2] = {0, 0};
    split_ok(p, &s->in, g0, x0, y0, NULL, NULL, NULL, NULL);
    double g[2] = {g0[0], g0[1]};
    int its;
    split_ok(p, &s->in, g, x, y, NULL, NULL, NULL, &its);
    if (one_eval)
        cr_assert_eq(its, 1, "case %d: %d evaluations from the exact guess", c, its);
    close_to(x, x0, M, tol, "x, exact guess", c);
    close_to(y, y0, M, tol, "y, exact guess", c);
    g[0] = g0[0] + 0.05;
    g[1] = g0[1] - 0.05;
    split_ok(p, &s->in, g, x, y, NULL, NULL, NULL, NULL);
    close_to(x, x0, M, tol, "x, 5 % guess", c);
    close_to(y, y0, M, tol, "y, 5 % guess", c);
    /* Totals 1e-7 away, started from this stage's solution, and back. */
    memcpy(T2, s->T, sizeof T2);
    for (int j = 0; j < M; j++)
        T2[j] *= 1 + 1e-7 * (j % 2 ? 1 : -1);
    RxStageIn in2 = s->in;
    in2.T = T2;
    g[0] = g0[0];
    g[1] = g0[1];
    split_ok(p, &in2, g, x, y, NULL, NULL, NULL, NULL);
    split_ok(p, &s->in, g, x, y, NULL, NULL, NULL, NULL);
    close_to(x, x0, M, tol, "x, nearby guess", c);
    close_to(y, y0, M, tol, "y, nearby guess", c);
}

Test(split_speed, warm_splits_equal_the_cold_split)
{
    RxPlant *p = load_text(six_metals);
    double K[RX_MAX_SPECIES];
    constants(p, K);
    for (int a = 0; a < NACID; a++)
        for (int l = 0; l < NLOAD; l++) {
            Stage s;
            build_stage(p, K, acids[a], loadings[l], &s);
            check_warm(p, &s, a * NLOAD + l, 1e-12, 1);
        }
    rx_plant_destroy(&p);
}

/* The Pitzer path: the same stages (built on the apparent constants, so
 * only near the loadings named), warm against cold.  Its fixed point in the
 * activity factors stops at a change of 1e-12, so 1e-10 here. */
Test(split_speed, pitzer_warm_splits_equal_the_cold_split)
{
    RxPlant *ideal = load_text(six_metals), *p = load_text(six_metals_pitzer);
    double K[RX_MAX_SPECIES];
    constants(ideal, K);
    for (int a = 0; a < NACID; a++)
        for (int l = 0; l < NLOAD; l++) {
            Stage s;
            build_stage(ideal, K, acids[a], loadings[l], &s);
            check_warm(p, &s, a * NLOAD + l, 1e-10, 0);
        }
    rx_plant_destroy(&ideal);
    rx_plant_destroy(&p);
}
