/*
 * fuzz/fuzz_solve.c - load plus solve: rx_plant_load_text on any text, and
 * when it loads a circuit small enough to solve in milliseconds,
 * rx_circuit_solve, then (with a cost group) rx_cost.
 *
 * Guarantees checked beyond the sanitizers' (docs/reliability.md):
 *   - a solve that reports success closes the mass balance of every species
 *     to RX_CLOSURE_TOL, recomputed here from the outlet streams (rx_outlets,
 *     what streams.csv prints) rather than taken from the solver;
 *   - no number of a reported solution, product or cost is NaN or inf, no
 *     flow or concentration is negative and every aqueous [H+] is above 0;
 *   - a failure says why (an error status and a message).
 */
#include "fuzz/fuzz.h"

#include "config/config.h"
#include "design/cost.h"
#include "models/model.h"
#include "solver/circuit.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NAME "fuzz.cfg"
/* Circuits solved at most this big (stages, species), and the Newton
 * iterations a solve may take here: one input must stay within
 * milliseconds, and a larger circuit exercises no other code.  Pitzer
 * activities cost a fixed point per stage solve (issue 11, defect 15):
 * fewer stages with them. */
#define FUZZ_MAX_STAGES 12
#define FUZZ_MAX_STAGES_PITZER 4
#define FUZZ_MAX_SPECIES 6
#define FUZZ_MAX_ITERATIONS 300
/* The closure recomputed here adds the same terms in another order: allow
 * rounding of a few ulps per term on top of RX_CLOSURE_TOL. */
#define FUZZ_ROUNDING_ULPS 16.0

static void check_finite(const char *what, const double *v, int n)
{
    for (int i = 0; i < n; i++)
        if (!isfinite(v[i]))
            fuzz_fail("%s[%d] is %g in a result reported as a success", what, i, v[i]);
}

/* One number of a result that must be finite. */
static void check_value(const char *what, double v)
{
    if (!isfinite(v))
        fuzz_fail("%s is %g in a result reported as a success", what, v);
}

static void check_solution(const RxPlant *p, const RxSolution *s)
{
    int N = s->N, M = s->M;
    if (N != p->nstages || M != p->nsp)
        fuzz_fail("solution of %d stages and %d species for a plant of %d and %d", N, M, p->nstages, p->nsp);
    const struct {
        const char *name;
        const double *v;
        int n;
    } arrays[] = {{"A", s->A, N},     {"O", s->O, N},          {"x", s->x, N * M},
                  {"y", s->y, N * M}, {"h", s->h, N},          {"d", s->d, N},
                  {"cl", s->cl, N},   {"T", s->T, N * M},      {"org_in_aq", s->org_in_aq, N},
                  {"aq_in_org", s->aq_in_org, N}, {"closure", s->closure, M}, {"residual", &s->residual, 1}};
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++)
        check_finite(arrays[i].name, arrays[i].v, arrays[i].n);
    /* Physical: no negative flow or concentration, an aqueous [H+] above 0
     * (issue 11, defect 14: [H+] <= 0 is a failure, not a result) where the
     * model exchanges metal for H+ (mass_action); the others report [H+]
     * from the charge balance, 0 when the metals carry all the chloride,
     * as rx_solution_check has it. */
    int exchanges = p->model->type->needs_anions;
    for (int k = 0; k < N; k++) {
        if (!(exchanges ? s->h[k] > 0 : s->h[k] >= 0))
            fuzz_fail("stage %d: [H+] = %g mol/L in a result reported as a success", k + 1, s->h[k]);
        if (s->A[k] < 0 || s->O[k] < 0)
            fuzz_fail("stage %d: flows %g / %g L/h in a result reported as a success", k + 1, s->A[k], s->O[k]);
        for (int j = 0; j < M; j++)
            if (s->x[k * M + j] < 0 || s->y[k * M + j] < 0)
                fuzz_fail("stage %d, %s: %g / %g mol/L in a result reported as a success", k + 1,
                          rx_plant_element(p, j)->sym, s->x[k * M + j], s->y[k * M + j]);
    }

    /* Mass balance from the streams: fed = left, species by species. */
    RxStream *out = calloc((size_t)(p->ndraws + 2), sizeof *out);
    if (!out)
        fuzz_fail("out of memory");
    int nout = rx_outlets(p, s, out, p->ndraws + 2);
    int terms = p->nfeeds + nout;
    for (int j = 0; j < M; j++) {
        double in = 0, left = 0;
        for (int i = 0; i < p->nfeeds; i++)
            in += p->feeds[i].flow * p->feeds[i].c[j];
        for (int k = 0; k < nout; k++)
            left += out[k].flow * out[k].c[j];
        double slack = RX_CLOSURE_TOL + FUZZ_ROUNDING_ULPS * terms * DBL_EPSILON;
        if (!isfinite(in) || !isfinite(left) || !(fabs(in - left) <= slack * in))
            fuzz_fail("species %s: %.17g mol/h fed, %.17g mol/h leave ((in - out)/in = %.3g, above %.0e) "
                      "in a solution reported as a success",
                      rx_plant_element(p, j)->sym, in, left, (in - left) / in, RX_CLOSURE_TOL);
    }
    free(out);

    for (int i = 0; i < p->nproducts; i++) {
        RxProductReport r;
        RxError err;
        rx_error_clear(&err);
        if (rx_product_report(p, s, i, &r, &err) != RX_OK)
            fuzz_fail("product %s of a loaded plant: %s", p->products[i].name, err.msg);
        const double v[] = {r.flow, r.reo, r.target_reo, r.purity, r.recovery};
        check_finite(p->products[i].name, v, (int)(sizeof v / sizeof v[0]));
    }
}

static void check_cost(const RxCostResult *c)
{
    const struct {
        const char *name;
        double v;
    } v[] = {{"mixer_m3", c->mixer_m3},
             {"settler_m3", c->settler_m3},
             {"organic_m3", c->organic_m3},
             {"bec", c->bec},
             {"tpc", c->tpc},
             {"inventory", c->inventory},
             {"tasc", c->tasc},
             {"acid", c->acid},
             {"base", c->base},
             {"solvent_loss", c->solvent_loss},
             {"power", c->power},
             {"labour", c->labour},
             {"maintenance", c->maintenance},
             {"taxes", c->taxes},
             {"opex", c->opex},
             {"capital_charge", c->capital_charge},
             {"revenue", c->revenue},
             {"product_kg", c->product_kg},
             {"cost_per_kg", c->cost_per_kg},
             {"npv", c->npv},
             {"hours", c->hours},
             {"discount_rate", c->discount_rate},
             {"life", c->life}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char what[64];
        snprintf(what, sizeof what, "cost %s", v[i].name);
        check_value(what, v[i].v);
    }
    for (int i = 0; i < c->nproducts; i++) {
        char what[2 * RX_NAME_LEN + 32];
        const double w[] = {c->prod_kg[i], c->prod_revenue[i], c->prod_cost_per_kg[i]};
        snprintf(what, sizeof what, "cost of product %s (kg, revenue, cost/kg)", c->prod_name[i]);
        check_finite(what, w, (int)(sizeof w / sizeof w[0]));
    }
    for (int i = 0; i < c->nsens; i++) {
        const RxSensitivity *s = &c->sens[i];
        char what[96];
        const double w[] = {s->base, s->cost_lo, s->cost_hi, s->npv_lo, s->npv_hi};
        snprintf(what, sizeof what, "sensitivity to %s (base, cost lo/hi, npv lo/hi)", s->input);
        check_finite(what, w, (int)(sizeof w / sizeof w[0]));
    }
}

/* How far the inputs got (printed at exit when FUZZ_STATS is set: the
 * figures of docs/reliability.md). */
static long n_inputs, n_loaded, n_solved, n_converged, n_costed;

static void print_stats(void)
{
    fprintf(stderr, "fuzz_solve: %ld inputs, %ld loaded, %ld small enough to solve, %ld converged, %ld costed\n",
            n_inputs, n_loaded, n_solved, n_converged, n_costed);
}

static void check_failure(const char *what, int rc, const RxError *err)
{
    if (rc == RX_OK || !err->msg[0])
        fuzz_fail("%s failed with status %d and message '%s'", what, rc, err->msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (n_inputs++ == 0 && getenv("FUZZ_STATS"))
        atexit(print_stats);
    char *text = fuzz_text(data, size);
    RxError err;
    rx_error_clear(&err);
    RxPlant *p = NULL;
    int rc = rx_plant_load_text(text, FUZZ_NAME, &p, &err);
    free(text);
    if (rc != RX_OK) {
        check_failure("load", rc, &err);
        return 0;
    }
    n_loaded++;
    int pitzer = strcmp(p->model_spec.activity, "pitzer") == 0;
    if (p->nstages > (pitzer ? FUZZ_MAX_STAGES_PITZER : FUZZ_MAX_STAGES) || p->nsp > FUZZ_MAX_SPECIES) {
        rx_plant_destroy(&p);
        return 0;
    }
    if (p->options.max_iterations > FUZZ_MAX_ITERATIONS)
        p->options.max_iterations = FUZZ_MAX_ITERATIONS;
    RxSolution *s = NULL;
    rx_error_clear(&err);
    n_solved++;
    rc = rx_circuit_solve(p, &s, &err);
    if (rc != RX_OK)
        check_failure("solve", rc, &err);
    else {
        n_converged++;
        check_solution(p, s);
        if (p->cost.present) {
            n_costed++;
            RxCostResult c;
            rx_error_clear(&err);
            rc = rx_cost(p, s, &c, &err);
            if (rc != RX_OK)
                check_failure("cost", rc, &err);
            else
                check_cost(&c);
        }
        rx_solution_destroy(&s);
    }
    rx_plant_destroy(&p);
    return 0;
}
