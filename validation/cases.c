/* cases.c - the validation cases of cases.h. */
#include "validation/cases.h"

#include "models/model.h"
#include "rx.h"

#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KREMSER_TOL 1e-10
/* The circuit solve converges each stage balance to a fraction of the
 * element's feed, not of its (possibly 1e-9-small) outlet: deep raffinates
 * are compared to 1e-12 of the feed absolute. */
#define KREMSER_ABS 1e-12
#define CLOSURE_TOL 1e-9
/* PrOMMiS asserts its own outlets to rel 1e-4; its IPOPT solve is converged
 * to an absolute tolerance, so values near 1e-6 mg/L (Y in the raffinate)
 * are only good to about 1e-9 mg/L: the absolute floor of the comparison. */
#define PROMMIS_REL 1e-4
#define PROMMIS_ABS 2e-9
#define MG_PER_G 1e3

static void add(RxReport *r, const char *kase, const char *source, double ref, double val, double rel, double abst,
                const char *fmt, ...) __attribute__((format(printf, 8, 9)));

static void add(RxReport *r, const char *kase, const char *source, double ref, double val, double rel, double abst,
                const char *fmt, ...)
{
    if (r->n == r->cap) {
        int cap = r->cap ? 2 * r->cap : 64;
        RxCheck *rows = realloc(r->rows, (size_t)cap * sizeof *rows);
        if (!rows) {
            r->lost++;
            return;
        }
        r->rows = rows;
        r->cap = cap;
    }
    RxCheck *c = &r->rows[r->n++];
    memset(c, 0, sizeof *c);
    snprintf(c->kase, sizeof c->kase, "%s", kase);
    snprintf(c->source, sizeof c->source, "%s", source);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->quantity, sizeof c->quantity, fmt, ap);
    va_end(ap);
    c->reference = ref;
    c->value = val;
    c->rel_tol = rel;
    c->abs_tol = abst;
    c->pass = isfinite(val) && fabs(val - ref) <= fmax(rel * fabs(ref), abst);
}

void rx_report_free(RxReport *r)
{
    free(r->rows);
    memset(r, 0, sizeof *r);
}

int rx_report_failures(const RxReport *r)
{
    int n = r->lost;
    for (int i = 0; i < r->n; i++)
        n += !r->rows[i].pass;
    return n;
}

static RxPlant *load_text(const char *text, char *why, int nwhy)
{
    RxPlant *p = NULL;
    RxError err;
    rx_error_clear(&err);
    if (rx_plant_load_text(text, "validation case", &p, &err) != RX_OK)
        snprintf(why, (size_t)nwhy, "%s: %s", err.where, err.msg);
    return p;
}

/* The plant in text, solved to steady state in *s with every element's
 * balance closed to CLOSURE_TOL; NULL with the reason in why. */
static RxPlant *solve_text(const char *text, RxSolution **s, char *why, int nwhy)
{
    RxPlant *p = load_text(text, why, nwhy);
    if (!p)
        return NULL;
    RxError err;
    rx_error_clear(&err);
    if (rx_circuit_solve(p, s, &err) != RX_OK) {
        snprintf(why, (size_t)nwhy, "%s: %s", err.where, err.msg);
        rx_plant_destroy(&p);
    } else if (!((*s)->max_closure < CLOSURE_TOL)) {
        /* The solver promises this; a validation case checks it anyway. */
        snprintf(why, (size_t)nwhy, "mass balance closes only to %g", (*s)->max_closure);
        rx_solution_destroy(s);
        rx_plant_destroy(&p);
    }
    return p;
}

/* Fraction of the La fed (100 L/h of 0.1 mol/L) left in the raffinate of N
 * counter-current stages with D = 1, solute-free organic at 100 E L/h and
 * Murphree efficiency Em; NAN (why set) if the circuit does not solve. */
static double single_section_raffinate(double E, int N, double Em, char *why, int nwhy)
{
    char cfg[2048];
    snprintf(cfg, sizeof cfg,
             "version = 1;\n"
             "model = { type = \"constant_d\"; D = { La = 1.0; }; };\n"
             "sections = ( { name = \"extraction\"; stages = %d; efficiency = \"%.17g %%\"; } );\n"
             "feeds = (\n"
             " { name = \"feed\"; phase = \"aqueous\"; stage = \"extraction:last\"; flow = \"100 L/h\";\n"
             "   acid = \"0.1 mol/L\"; composition = { La = \"0.1 mol/L\"; }; },\n"
             " { name = \"solvent\"; phase = \"organic\"; stage = 1; flow = \"%.17g L/h\"; } );\n",
             N, 100.0 * Em, 100.0 * E);
    RxSolution *s = NULL;
    RxPlant *p = solve_text(cfg, &s, why, nwhy);
    if (!p)
        return NAN;
    double val = s->A[0] * s->x[0] / (100.0 * 0.1);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
    return val;
}

/* Counter-current extraction with constant D and solute-free organic: the
 * raffinate keeps (E - 1)/(E^(N+1) - 1) of the feed, E = D O/A (Kremser). */
static int case_kremser(RxReport *r, const char *source_dir, char *why, int nwhy)
{
    (void)source_dir;
    static const double E[] = {0.3, 0.8, 1.0, 1.25, 2.0, 4.0};
    static const int N[] = {1, 3, 8, 15};
    for (size_t a = 0; a < sizeof E / sizeof E[0]; a++)
        for (size_t b = 0; b < sizeof N / sizeof N[0]; b++) {
            double val = single_section_raffinate(E[a], N[b], 1.0, why, nwhy);
            if (isnan(val))
                return -1;
            double want = fabs(E[a] - 1.0) < 1e-12 ? 1.0 / (N[b] + 1) : (E[a] - 1.0) / (pow(E[a], N[b] + 1) - 1.0);
            add(r, "Kremser", "Kremser (1930), analytic", want, val, KREMSER_TOL, KREMSER_ABS,
                "raffinate fraction, E = %g, N = %d", E[a], N[b]);
        }
    return 0;
}

/* Fraction of a solute's feed that leaves in the loaded organic of a
 * two-section cascade with constant D: extraction stages 1..n (aqueous
 * feed + scrub, factor e = D O/(Af + As)), scrub stages n+1..n+m (factor
 * s = D O/As), aqueous feed at stage n, solute-free scrub at n+m and solvent
 * at 1.  Kremser's recursion in each section gives P/F = g/(g + k) with
 * g = e (e^n - 1)/(e - 1) and k = (s - s^-m)/(s - 1) (n and m + 1 at 1);
 * derived in docs/model.md. */
static double fractional_organic_share(double e, double sf, int n, int m)
{
    double g = fabs(e - 1.0) < 1e-12 ? n : e * (pow(e, n) - 1.0) / (e - 1.0);
    double k = fabs(sf - 1.0) < 1e-12 ? m + 1.0 : (sf - pow(sf, -m)) / (sf - 1.0);
    return g / (g + k);
}

/* Fractional extraction of La (D 0.5) and Nd (D 2) with a scrub section,
 * against the closed form above. */
static int case_fractional(RxReport *r, const char *source_dir, char *why, int nwhy)
{
    (void)source_dir;
    static const struct { int n, m; double O; } grid[] = {
        {1, 1, 60.0}, {3, 2, 60.0}, {8, 8, 60.0}, {15, 10, 60.0}, {3, 2, 120.0}, {8, 8, 120.0}, {15, 10, 120.0},
    };
    static const char *const sym[] = {"La", "Nd"};
    static const double D[] = {0.5, 2.0};
    const double af = 100.0, as = 20.0, feed = 0.1; /* L/h, L/h, mol/L */
    for (size_t g = 0; g < sizeof grid / sizeof grid[0]; g++) {
        char cfg[2048];
        snprintf(cfg, sizeof cfg,
                 "version = 1;\n"
                 "model = { type = \"constant_d\"; D = { La = %.17g; Nd = %.17g; }; };\n"
                 "sections = ( { name = \"extraction\"; stages = %d; }, { name = \"scrub\"; stages = %d; } );\n"
                 "feeds = (\n"
                 " { name = \"feed\"; phase = \"aqueous\"; stage = \"extraction:last\"; flow = \"%.17g L/h\";\n"
                 "   acid = \"0.1 mol/L\"; composition = { La = \"%.17g mol/L\"; Nd = \"%.17g mol/L\"; }; },\n"
                 " { name = \"scrub\"; phase = \"aqueous\"; stage = \"scrub:last\"; flow = \"%.17g L/h\";\n"
                 "   acid = \"0.1 mol/L\"; },\n"
                 " { name = \"solvent\"; phase = \"organic\"; stage = 1; flow = \"%.17g L/h\"; } );\n",
                 D[0], D[1], grid[g].n, grid[g].m, af, feed, feed, as, grid[g].O);
        RxSolution *s = NULL;
        RxPlant *p = solve_text(cfg, &s, why, nwhy);
        if (!p)
            return -1;
        for (int i = 0; i < 2; i++) {
            int j = rx_plant_species(p, sym[i]), last = grid[g].n + grid[g].m - 1;
            double val = j >= 0 ? s->O[last] * s->y[last * s->M + j] / (af * feed) : NAN;
            double want = fractional_organic_share(D[i] * grid[g].O / (af + as), D[i] * grid[g].O / as, grid[g].n,
                                                   grid[g].m);
            add(r, "Fractional extraction", "two-section Kremser, analytic", want, val, KREMSER_TOL, KREMSER_ABS,
                "%s to the organic, n = %d, m = %d, O = %g L/h", sym[i], grid[g].n, grid[g].m, grid[g].O);
        }
        rx_solution_destroy(&s);
        rx_plant_destroy(&p);
    }
    return 0;
}

/* Raffinate fraction of N counter-current stages with constant D and a
 * Murphree efficiency Em on the aqueous phase, from the definition
 *     x_out = x_in - Em (x_in - y_out / D)
 * and each stage's balance O (y_out - y_in) = A (x_in - x_out): from the
 * raffinate (x_out = 1) and solute-free solvent (y_in = 0) the two equations
 * give x_in and y_out of stage 1, which are x_out and y_in of stage 2, and
 * so on; the feed is x_in of stage N.  With Em = 1 this is Kremser's. */
static double murphree_raffinate(double D, double A, double O, double Em, int N)
{
    double xo = 1.0, yi = 0.0, xi = 1.0;
    for (int k = 0; k < N; k++) {
        double yo = (Em * xo + (1.0 - Em) * (O / A) * yi) / ((1.0 - Em) * O / A + Em / D);
        xi = xo + (O / A) * (yo - yi);
        xo = xi;
        yi = yo;
    }
    return 1.0 / xi;
}

/* Stages of a set Murphree efficiency against the recursion above. */
static int case_murphree(RxReport *r, const char *source_dir, char *why, int nwhy)
{
    (void)source_dir;
    static const double Em[] = {0.5, 0.8}, E[] = {0.8, 2.0};
    static const int N[] = {1, 4, 12};
    for (size_t a = 0; a < sizeof Em / sizeof Em[0]; a++)
        for (size_t b = 0; b < sizeof E / sizeof E[0]; b++)
            for (size_t c = 0; c < sizeof N / sizeof N[0]; c++) {
                double val = single_section_raffinate(E[b], N[c], Em[a], why, nwhy);
                if (isnan(val))
                    return -1;
                add(r, "Murphree efficiency", "Murphree (1925) definition, stage recursion",
                    murphree_raffinate(1.0, 100.0, 100.0 * E[b], Em[a], N[c]), val, KREMSER_TOL, KREMSER_ABS,
                    "raffinate fraction, Em = %g, E = %g, N = %d", Em[a], E[b], N[c]);
            }
    return 0;
}

/* A binary split of the separation-factor model per unit of metal fed,
 * with the scrub liquor made of the organic product (the reflux of cascade
 * theory): the scrub's A share phi is solved by secant so that it equals
 * the organic outlet's.  Out: the purities of the net organic product
 * (outlet minus scrub) and of the raffinate. */
typedef struct {
    const char *A, *B;   /* better / worse extracted element */
    double beta, fA;
} XuPair;

#define XU_FEED_FLOW 100.0 /* L/h */
#define XU_FEED_CONC 0.1   /* mol/L metal */
#define XU_CAPACITY 0.2    /* mol/L metal in the saturated organic */
#define XU_SCRUB_CONC 1.0  /* mol/L metal in the scrub liquor */
#define XU_PHI_TOL 1e-14
#define XU_PHI_ITER 40
/* Near total reflux the march needs thousands of steps (docs/model.md). */
#define XU_MAX_ITER 50000
/* The secant on phi asks for agreement to XU_PHI_TOL, so its circuits are
 * solved to the least residual the solver takes, not to its default. */
#define XU_SOLVE_TOL 1e-14



static int xu_simulate(const XuPair *x, int n, int m, double S, double W, double phi0, double *PA, double *PB,
                       char *why, int nwhy)
{
    double F = XU_FEED_FLOW * XU_FEED_CONC, phi = phi0, hprev = 0, phiprev = 0;
    for (int it = 0; it < XU_PHI_ITER; it++) {
        char cfg[3072];
        snprintf(cfg, sizeof cfg,
                 "version = 1;\n"
                 "model = { type = \"separation_factor\"; beta = { %s = 1.0; %s = %.17g; };\n"
                 "  capacity = \"%g mol/L\"; affinity = \"1e7 L/mol\"; };\n"
                 "sections = ( { name = \"extraction\"; stages = %d; }, { name = \"scrub\"; stages = %d; } );\n"
                 "feeds = (\n"
                 " { name = \"feed\"; phase = \"aqueous\"; stage = \"extraction:last\"; flow = \"%g L/h\";\n"
                 "   acid = \"0.1 mol/L\"; composition = { %s = \"%.17g mol/L\"; %s = \"%.17g mol/L\"; }; },\n"
                 " { name = \"reflux\"; phase = \"aqueous\"; stage = \"scrub:last\"; flow = \"%.17g L/h\";\n"
                 "   acid = \"0.1 mol/L\"; composition = { %s = \"%.17g mol/L\"; %s = \"%.17g mol/L\"; }; },\n"
                 " { name = \"solvent\"; phase = \"organic\"; stage = 1; flow = \"%.17g L/h\"; } );\n"
                 "solver = { max_iterations = %d; tolerance = %g; };\n",
                 x->B, x->A, x->beta, XU_CAPACITY, n, m, XU_FEED_FLOW, x->A, XU_FEED_CONC * x->fA, x->B,
                 XU_FEED_CONC * (1.0 - x->fA), W * F / XU_SCRUB_CONC, x->A, XU_SCRUB_CONC * phi, x->B,
                 XU_SCRUB_CONC * (1.0 - phi), S * F / XU_CAPACITY, XU_MAX_ITER, XU_SOLVE_TOL);
        RxSolution *s = NULL;
        RxPlant *p = solve_text(cfg, &s, why, nwhy);
        if (!p)
            return -1;
        int a = rx_plant_species(p, x->A), b = rx_plant_species(p, x->B), N = s->N, M = s->M;
        double oA = s->O[N - 1] * s->y[(N - 1) * M + a], oB = s->O[N - 1] * s->y[(N - 1) * M + b];
        double rA = s->A[0] * s->x[a], rB = s->A[0] * s->x[b];
        rx_solution_destroy(&s);
        rx_plant_destroy(&p);
        double pA = oA - phi * W * F, pB = oB - (1.0 - phi) * W * F;
        *PA = pA / (pA + pB);
        *PB = rB / (rA + rB);
        double h = oA / (oA + oB) - phi;
        if (fabs(h) <= XU_PHI_TOL)
            return 0;
        double next = it == 0 ? phi + h : phi - h * (phi - phiprev) / (h - hprev);
        phiprev = phi;
        hprev = h;
        phi = fmin(next, 1.0 - 0.5 * (1.0 - phi));
    }
    snprintf(why, (size_t)nwhy, "the reflux composition of %s/%s did not settle", x->A, x->B);
    return -1;
}

/* Fewest stages of one section (the other held) at which the purity
 * target of its product is met, starting from the theory's count. */
static int xu_stages_needed(const XuPair *x, const RxXuDesign *d, int scrub, int n, int m, int *need, char *why,
                            int nwhy)
{
    int k = scrub ? m : n;
    double PA, PB;
    for (;;) {
        if (xu_simulate(x, scrub ? n : k, scrub ? k : m, d->S, d->W, d->PA, &PA, &PB, why, nwhy) != 0)
            return -1;
        int met = scrub ? PA >= d->PA : PB >= d->PB;
        if (met && k > 1) {
            k--;
            continue;
        }
        /* not met: one more is needed; met at 1: 1 */
        if (met)
            break;
        k++;
        if (xu_simulate(x, scrub ? n : k, scrub ? k : m, d->S, d->W, d->PA, &PA, &PB, why, nwhy) != 0)
            return -1;
        if ((scrub ? PA >= d->PA : PB >= d->PB) || k > 10 * (n + m))
            break;
    }
    *need = k;
    return 0;
}

/* Xu Guangxian's cascade theory against the cascades it designs, for a
 * scrub-controlled (Nd/Pr) and an extraction-controlled (Dy/Tb) split:
 *  - at the theory's optimum extraction ratios and its stage numbers
 *    (rounded up) both products reach their purities, to within half the
 *    target impurity (about one stage of separation at these beta);
 *  - the stages reesx needs in each section at those flows are within one
 *    of the theory's (unrounded) numbers;
 *  - towards total reflux the separation reached, as equivalent stages
 *    lg(ab)/lg(beta) extrapolated in 1/R from R = 100 and 300, is the
 *    number of stages (Fenske's equation, exact for constant beta). */
static int case_xu(RxReport *r, const char *source_dir, char *why, int nwhy)
{
    (void)source_dir;
    static const struct {
        XuPair pair;
        double PA, PB;
    } cases[] = {
        {{"Nd", "Pr", 1.5, 0.75}, 0.999, 0.99},
        {{"Dy", "Tb", 2.0, 0.2}, 0.999, 0.999},
    };
    static const double R[2] = {100.0, 300.0};
    const char *src = "Xu (1978) cascade theory, docs/model.md";
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const XuPair *x = &cases[c].pair;
        RxXuDesign d;
        RxError err;
        if (rx_xu_design(x->beta, x->fA, cases[c].PA, cases[c].PB, &d, &err) != RX_OK) {
            snprintf(why, (size_t)nwhy, "%s", err.msg);
            return -1;
        }
        int n = (int)ceil(d.n), m = (int)ceil(d.m), nneed, mneed;
        double PA, PB;
        if (xu_simulate(x, n, m, d.S, d.W, d.PA, &PA, &PB, why, nwhy) != 0)
            return -1;
        add(r, "cascade theory", src, d.PA, PA, 0, 0.5 * (1.0 - d.PA),
            "%s/%s (beta %g): %s purity, n = %d, m = %d, E'M = %.4f", x->A, x->B, x->beta, x->A, n, m, d.EMs);
        add(r, "cascade theory", src, d.PB, PB, 0, 0.5 * (1.0 - d.PB),
            "%s/%s (beta %g): %s purity, n = %d, m = %d, EM = %.4f", x->A, x->B, x->beta, x->B, n, m, d.EM);
        if (xu_stages_needed(x, &d, 0, n, m, &nneed, why, nwhy) != 0 ||
            xu_stages_needed(x, &d, 1, n, m, &mneed, why, nwhy) != 0)
            return -1;
        add(r, "cascade theory", src, d.n, nneed, 0, 1.0, "%s/%s: extraction stages for %s purity %g", x->A, x->B,
            x->B, d.PB);
        add(r, "cascade theory", src, d.m, mneed, 0, 1.0, "%s/%s: scrub stages for %s purity %g", x->A, x->B, x->A,
            d.PA);
        int nf = (int)ceil(d.nmin), mf = (int)ceil(d.mmin);
        double eq[2];
        for (int i = 0; i < 2; i++) {
            if (xu_simulate(x, nf, mf, R[i] + d.fAp, R[i], d.PA, &PA, &PB, why, nwhy) != 0)
                return -1;
            eq[i] = log(PA / (1.0 - PA) * PB / (1.0 - PB)) / log(x->beta);
        }
        double lim = eq[1] + (eq[1] - eq[0]) * (1.0 / R[1]) / (1.0 / R[0] - 1.0 / R[1]);
        add(r, "cascade theory", "Fenske (1932), total reflux", nf + mf, lim, 2e-3, 0,
            "%s/%s: equivalent stages at total reflux, %d + %d stages", x->A, x->B, nf, mf);
    }
    return 0;
}

/* A validation data file, NULL with a message in why if it cannot be read. */
static FILE *open_case(const char *source_dir, const char *name, char *why, int nwhy)
{
    char path[600];
    snprintf(path, sizeof path, "%s/validation/%s", source_dir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        snprintf(why, (size_t)nwhy, "cannot open %s", path);
    return f;
}

typedef struct {
    char sym[8];
    double mw, in, org_in, out, org_out;
    int acid;
} PrRow;

static int case_prommis_dehpa(RxReport *r, const char *source_dir, char *why, int nwhy)
{
    FILE *f = open_case(source_dir, "prommis_dehpa_3stage.tsv", why, nwhy);
    if (!f)
        return -1;
    PrRow rows[32];
    int n = 0;
    char line[512];
    while (n < 32 && fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        PrRow *w = &rows[n];
        memset(w, 0, sizeof *w);
        int k = sscanf(line, "%7s %lf %lf %lf %lf %lf", w->sym, &w->mw, &w->in, &w->org_in, &w->out, &w->org_out);
        if (k >= 4 && (!strcmp(w->sym, "H") || !strcmp(w->sym, "SO4") || !strcmp(w->sym, "HSO4"))) {
            w->acid = 1;
            w->out = w->org_in; /* acid rows: symbol mw in out */
            n++;
        } else if (k == 6)
            n++;
    }
    fclose(f);
    double h_in = 0, so4_in = 0, hso4_in = 0, h_out = 0, so4_out = 0, hso4_out = 0;
    char aq[2048] = "", org[2048] = "";
    for (int i = 0; i < n; i++) {
        PrRow *w = &rows[i];
        double in = w->in / w->mw / MG_PER_G;
        if (!strcmp(w->sym, "H")) {
            h_in = in;
            h_out = w->out;
        } else if (!strcmp(w->sym, "SO4")) {
            so4_in = in;
            so4_out = w->out;
        } else if (!strcmp(w->sym, "HSO4")) {
            hso4_in = in;
            hso4_out = w->out;
        } else {
            snprintf(aq + strlen(aq), sizeof aq - strlen(aq), "%s = \"%.17g mol/L\"; ", w->sym, in);
            snprintf(org + strlen(org), sizeof org - strlen(org), "%s = \"%.17g mol/L\"; ", w->sym,
                     w->org_in / w->mw / MG_PER_G);
        }
    }
    char cfg[8192];
    snprintf(cfg, sizeof cfg,
             "version = 1;\n"
             "extractant = { name = \"DEHPA\"; concentration = \"5 v/v%%\"; };\n"
             "model = { type = \"empirical_logd\"; data = \"DEHPA_UKy_logD.tsv\"; };\n"
             "sections = ( { name = \"extraction\"; stages = 3; } );\n"
             "feeds = (\n"
             " { name = \"leachate\"; phase = \"aqueous\"; stage = 3; flow = \"62.01 L/h\";\n"
             "   acid = \"%.17g mol/L\"; sulfate = \"%.17g mol/L\"; bisulfate = \"%.17g mol/L\";\n"
             "   composition = { %s }; },\n"
             " { name = \"solvent\"; phase = \"organic\"; stage = 1; flow = \"62.01 L/h\";\n"
             "   composition = { %s }; } );\n",
             h_in, so4_in + hso4_in, hso4_in, aq, org);
    RxSolution *s = NULL;
    RxPlant *p = solve_text(cfg, &s, why, nwhy);
    if (!p)
        return -1;
    const char *kase = "PrOMMiS DEHPA 3-stage", *src = "PrOMMiS test_solvent_extraction_steady.py";
    int M = s->M, N = s->N;
    for (int i = 0; i < n; i++) {
        PrRow *w = &rows[i];
        if (w->acid)
            continue;
        int j = rx_plant_species(p, w->sym);
        double xa = j >= 0 ? s->x[j] * w->mw * MG_PER_G : NAN, yo = j >= 0 ? s->y[(N - 1) * M + j] * w->mw * MG_PER_G : NAN;
        add(r, kase, src, w->out, xa, PROMMIS_REL, PROMMIS_ABS, "%s, raffinate [mg/L]", w->sym);
        add(r, kase, src, w->org_out, yo, PROMMIS_REL, PROMMIS_ABS, "%s, loaded organic [mg/L]", w->sym);
    }
    double h = s->h[0], S = so4_in + hso4_in, ka = p->ka_hso4;
    add(r, kase, src, h_out, h * 1.0 * MG_PER_G, PROMMIS_REL, 0, "H+, raffinate [mg/L]");
    add(r, kase, src, hso4_out, S * h / (h + ka) * 97.0 * MG_PER_G, PROMMIS_REL, 0, "HSO4-, raffinate [mg/L]");
    add(r, kase, src, so4_out, S * ka / (h + ka) * 96.0 * MG_PER_G, PROMMIS_REL, 0, "SO4--, raffinate [mg/L]");
    add(r, kase, "conservation", 0, s->max_closure, 0, CLOSURE_TOL, "max |(in - out)/in| of any element");
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
    return 0;
}


/* D of every species of p at [H+] ~ h: equal phase volumes, each metal at
 * 1e-7 mol/L in total.  Returns the measured [H+] (0 on failure). */
static double trace_split(const RxPlant *p, double h, double *D)
{
    double T[RX_MAX_SPECIES], x[RX_MAX_SPECIES], y[RX_MAX_SPECIES], q = 0;
    for (int j = 0; j < p->nsp; j++) {
        T[j] = 1e-7;
        q += p->charge[j] * T[j];
    }
    RxStageIn in = {p->nsp, T, p->charge, h + q, 1.0, 1.0, p->extractant_conc, 0.0, p->ka_hso4};
    RxStageOut out = {x, y, 0, 0, NULL, NULL, 0, NULL};
    double guess[2] = {0, 0};
    if (rx_model_split(p, &in, guess, &out) != RX_OK)
        return 0;
    for (int j = 0; j < p->nsp; j++)
        D[j] = y[j] / x[j];
    return out.h;
}

/* log D against pH at trace loading: slope 3 for M3+ (validation/slope_analysis.tsv). */
static int case_slopes(RxReport *r, const char *source_dir, char *why, int nwhy)
{
    FILE *f = open_case(source_dir, "slope_analysis.tsv", why, nwhy);
    if (!f)
        return -1;
    char sym[RX_MAX_SPECIES][8], line[512];
    double slope[RX_MAX_SPECIES], tol[RX_MAX_SPECIES];
    int n = 0;
    while (n < RX_MAX_SPECIES && fgets(line, sizeof line, f))
        if (line[0] != '#' && line[0] != '\n' && sscanf(line, "%7s %lf %lf", sym[n], &slope[n], &tol[n]) == 3)
            n++;
    fclose(f);
    char cfg[2048], comp[1024] = "";
    for (int i = 0; i < n; i++) {
        size_t len = strlen(comp);
        snprintf(comp + len, sizeof comp - len, "%s%s = \"1e-7 mol/L\";", i ? " " : "", sym[i]);
    }
    snprintf(cfg, sizeof cfg,
             "version = 1;\n"
             "extractant = { name = \"P507\"; concentration = \"1.0 mol/L\"; };\n"
             "sections = ( { name = \"extraction\"; stages = 1; } );\n"
             "feeds = (\n"
             " { name = \"feed\"; phase = \"aqueous\"; stage = 1; flow = \"1 L/h\"; acid = \"0.1 mol/L\";\n"
             "   composition = { %s }; },\n"
             " { name = \"solvent\"; phase = \"organic\"; stage = 1; flow = \"1 L/h\"; } );\n",
             comp);
    RxPlant *p = load_text(cfg, why, nwhy);
    if (!p)
        return -1;
    double D1[RX_MAX_SPECIES], D2[RX_MAX_SPECIES];
    double h1 = trace_split(p, 0.1, D1), h2 = trace_split(p, 0.03, D2);
    for (int i = 0; i < n; i++) {
        int j = rx_plant_species(p, sym[i]);
        double val = NAN;
        if (j >= 0 && h1 > 0 && h2 > 0)
            val = (log10(D2[j]) - log10(D1[j])) / (log10(h1) - log10(h2));
        add(r, "Slope analysis", "Peppard et al. (1957), stoichiometry", slope[i], val, 0, tol[i],
            "P507, %s: d log10 D / d pH at trace loading", sym[i]);
    }
    rx_plant_destroy(&p);
    return 0;
}
/* Every shipped config: the mass balance of each element closes. */
static int case_conservation(RxReport *r, const char *source_dir, char *why, int nwhy)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s/configs", source_dir);
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(why, (size_t)nwhy, "cannot open %s", dir);
        return -1;
    }
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".cfg") != 0)
            continue;
        char path[1200];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        RxPlant *p = NULL;
        RxSolution *s = NULL;
        RxError err;
        double worst = NAN;
        if (rx_is_flowsheet(path)) { /* every element over the flowsheet's external streams */
            RxFlowsheet *fs = NULL;
            RxFlowsheetResult *fr = NULL;
            if (rx_flowsheet_load(path, &fs, &err) == RX_OK && rx_flowsheet_solve(fs, &fr, &err) == RX_OK)
                worst = fr->max_closure;
            rx_flowsheet_result_destroy(&fr);
            rx_flowsheet_destroy(&fs);
        } else if (rx_plant_load(path, &p, &err) == RX_OK && rx_circuit_solve(p, &s, &err) == RX_OK)
            worst = s->max_closure;
        add(r, "Conservation", "mass balance", 0, worst, 0, CLOSURE_TOL, "configs/%s: max |(in - out)/in|",
            e->d_name);
        rx_solution_destroy(&s);
        rx_plant_destroy(&p);
    }
    closedir(d);
    return 0;
}

/* D2EHPA shake-outs (../shared/data/shakeout/, real single-metal isotherms):
 * reesx fit's empirical line log10 D = a pH + b per metal against the
 * closed-form least-squares line of the same points (0 < E < 100 %,
 * D = E/(100 - E) A/O).  No rows when the shared data are absent. */
#define SHAKEOUT_TOL 1e-6
/* Sums of the closed-form least-squares lines, per metal. */
typedef struct {
    double sx[4], sy[4], sxx[4], sxy[4];
    int n[4];
} LineSums;

/* The rows of the shared isotherm file with 0 < E < 100 % into d (at most
 * 64), and their sums of pH and log10 D per metal. */
static void isotherm_rows(FILE *f, const RxPlant *p, const char *const *metals, RxShakeoutData *d, LineSums *ls)
{
    char line[512];
    while (fgets(line, sizeof line, f) && d->nexp < 64) {
        char metal[8];
        double ph, ato, ce, c0, e;
        if (sscanf(line, "%*[^,],%7[^,],%lf,%lf,%lf,%lf,%lf", metal, &ph, &ato, &ce, &c0, &e) != 6 ||
            !(e > 0 && e < 100))
            continue; /* the header, and rows without a D */
        int m = 0;
        while (m < 4 && strcmp(metal, metals[m]))
            m++;
        const RxElement *el = m < 4 ? rx_elements_find(p->elements, metal) : NULL;
        if (!el)
            continue;
        RxShakeout *x = &d->exp[d->nexp];
        x->nel = 1;
        x->elem[0] = (int)(el - p->elements->el);
        x->c0[0] = c0;
        x->h0 = -1;
        x->has_ph = 1;
        x->ph_eq = ph;
        x->oa = 1.0 / ato;
        x->ce = ce;
        d->pts[d->npts++] = (RxFitPoint){d->nexp, x->elem[0], RX_MEAS_EXTRACTION, e / 100.0, d->nexp + 2};
        d->nexp++;
        double y = log10(e / (100.0 - e) * ato);
        ls->n[m]++;
        ls->sx[m] += ph;
        ls->sy[m] += y;
        ls->sxx[m] += ph * ph;
        ls->sxy[m] += ph * y;
    }
}

static int case_shakeout_lines(RxReport *r, const char *source_dir, char *why, int nwhy)
{
    static const char *const metals[] = {"Mn", "Co", "Ni", "Cu"};
    static const char *const src = "d2ehpa_single_metal_isotherms.csv (PrOMMiS General_dataset_DEHPA)";
    char path[sizeof ((RxShakeoutData *)0)->path];
    snprintf(path, sizeof path, "%.400s/../shared/data/shakeout/d2ehpa_single_metal_isotherms.csv", source_dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    RxPlant *p = load_text("version = 1;\n"
                           "extractant = { name = \"DEHPA\"; concentration = \"3 v/v%\"; };\n"
                           "model = { type = \"empirical_logd\"; data = \"DEHPA_UKy_logD.tsv\"; };\n"
                           "sections = ( { name = \"extraction\"; stages = 2; } );\n"
                           "feeds = ( { name = \"feed\"; phase = \"aqueous\"; stage = 2; flow = \"1 L/h\";\n"
                           "  acid = \"pH 2\"; composition = { La = \"0.5 g/L\"; }; },\n"
                           "  { name = \"solvent\"; phase = \"organic\"; stage = 1; flow = \"1 L/h\"; } );\n"
                           "products = ( { name = \"org\"; stream = \"organic\"; targets = [\"La\"]; } );\n",
                           why, nwhy);
    RxShakeoutData d = {0};
    snprintf(d.path, sizeof d.path, "%s", path);
    d.exp = calloc(64, sizeof *d.exp);
    d.pts = calloc(64, sizeof *d.pts);
    int rc = p && d.exp && d.pts ? 0 : -1;
    if (rc != 0 && p)
        snprintf(why, (size_t)nwhy, "out of memory");
    LineSums ls = {0};
    if (rc == 0)
        isotherm_rows(f, p, metals, &d, &ls);
    fclose(f);
    RxFitResult *res = NULL;
    RxError err;
    if (rc == 0) {
        p->fit.present = 1;
        p->fit.nparams = 8;
        for (int m = 0; m < 4; m++) {
            int elem = (int)(rx_elements_find(p->elements, metals[m]) - p->elements->el);
            p->fit.params[2 * m] = (RxFitParam){RX_FIT_SLOPE, elem, 1.0, -HUGE_VAL, HUGE_VAL, 0};
            p->fit.params[2 * m + 1] = (RxFitParam){RX_FIT_INTERCEPT, elem, -3.0, -HUGE_VAL, HUGE_VAL, 0};
        }
        if (rx_fit_run(p, &d, NULL, &res, &err) != RX_OK) {
            snprintf(why, (size_t)nwhy, "%s: %s", err.where, err.msg);
            rc = -1;
        }
    }
    for (int m = 0; rc == 0 && m < 4; m++) {
        int n = ls.n[m];
        double a = (n * ls.sxy[m] - ls.sx[m] * ls.sy[m]) / (n * ls.sxx[m] - ls.sx[m] * ls.sx[m]);
        double b = (ls.sy[m] - a * ls.sx[m]) / n;
        add(r, "D2EHPA shake-out lines", src, a, res->est[2 * m], 0, SHAKEOUT_TOL,
            "%s slope d log10 D/d pH (%d points; 95 %% +- %.4f)", metals[m], n, res->t95 * res->se[2 * m]);
        add(r, "D2EHPA shake-out lines", src, b, res->est[2 * m + 1], 0, SHAKEOUT_TOL,
            "%s intercept log10 D at pH 0 (95 %% +- %.4f)", metals[m], res->t95 * res->se[2 * m + 1]);
    }
    rx_fit_result_free(&res);
    rx_shakeout_free(&d);
    rx_plant_destroy(&p);
    return rc;
}

const RxCase rx_cases[] = {
    {"Kremser", case_kremser, 24},
    {"fractional extraction", case_fractional, 14},
    {"Murphree efficiency", case_murphree, 12},
    {"cascade theory (Xu)", case_xu, 10},
    {"PrOMMiS 3-stage DEHPA", case_prommis_dehpa, 12 * 2 + 3 + 1},
    {"slope analysis", case_slopes, 11},
    {"conservation", case_conservation, 0},
    {"D2EHPA shake-out lines", case_shakeout_lines, 0},
    {NULL, NULL, 0},
};
