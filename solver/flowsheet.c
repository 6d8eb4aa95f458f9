/*
 * flowsheet.c - circuits joined by streams (docs/flowsheet.md).
 *
 * Every connection is a tear stream.  Each pass solves the circuits in the
 * order given; a circuit's connected feeds take the newest value of their
 * outlet (this pass's for circuits already solved, the last pass's
 * otherwise: Gauss-Seidel), edited into a copy of the circuit in memory
 * (rx_plant_copy, rx_plant_set_feed), and solved from its solution of the
 * pass before (rx_circuit_solve_from).  Every second pass from the third accelerates the
 * tears by bounded Wegstein.  The passes stop when no tear stream has
 * changed by more than the tolerance, relative to its metal flow, in a
 * whole pass; a flowsheet without recycles takes two.  Then the flowsheet's
 * own balance is checked: what enters it (feeds not fed by a connection,
 * and the saponification of returned organic) against what leaves it
 * (outlets not taken by a connection).
 */
#include "solver/flowsheet.h"

#include "models/model.h"
#include "solver/warmstart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A tear stream's value: the feed set it imposes and its metal, mol/h. */
typedef struct {
    int have;
    RxFeedSet set;
    double metal[RX_MAX_SPECIES]; /* per set.sym, mol/h */
} Tear;

static void tear_from(const RxFlowsheet *fs, const RxConnection *k, const RxPlant *p, const RxSolution *s, Tear *t,
                      double *makeup)
{
    RxStream st;
    rx_outlet(p, s, k->from, &st);
    const RxPlant *b = fs->plant[k->to_c];
    const RxFeed *fd = &b->feeds[k->to_feed];
    RxFeedSet *fsr = &t->set;
    memset(t, 0, sizeof *t);
    t->have = 1;
    fsr->feed = k->to_feed;
    fsr->acid = -1;
    fsr->flow = -1;
    double vol = st.flow;
    if (k->phase == RX_AQ) {
        /* The free acid that keeps the stream's own chloride: with non-ideal
         * stages the outflow is a blend (and may hold entrained organic, whose
         * metal then joins the next aqueous), not the mixer's aqueous. */
        double q = 0;
        for (int j = 0; j < p->nsp; j++)
            q += p->charge[j] * st.c[j];
        fsr->flow = st.flow;
        fsr->acid = fmax(s->cl[st.stage] / s->A[st.stage] - q, 0);
    } else { /* the organic loop: back at the feed's flow, fresh organic makes up the rest */
        vol = fd->flow;
        *makeup = fd->flow - (st.flow - s->aq_in_org[st.stage]);
    }
    for (int j = 0; j < p->nsp; j++) {
        if (k->phase == RX_ORG && j == p->base_species)
            continue; /* saponified afresh */
        snprintf(fsr->sym[fsr->ncomp], RX_SYM_LEN, "%s", rx_plant_element(p, j)->sym);
        t->metal[fsr->ncomp] = st.flow * st.c[j];
        fsr->conc[fsr->ncomp++] = st.flow * st.c[j] / vol;
    }
}

/* Largest change between two values of a tear: per element, relative to
 * that element's flow in the stream (so traces settle too), with a floor of
 * TEAR_FLOOR of the stream's metal for elements that are barely there. */
#define TEAR_FLOOR 1e-12
static double tear_change(const Tear *a, const Tear *b)
{
    if (!a->have || !b->have)
        return INFINITY;
    double tot = 0, d = 0;
    for (int i = 0; i < b->set.ncomp; i++)
        tot += b->metal[i];
    for (int i = 0; i < b->set.ncomp; i++) {
        double old = 0;
        for (int k = 0; k < a->set.ncomp; k++)
            if (strcmp(a->set.sym[k], b->set.sym[i]) == 0)
                old = a->metal[k];
        d = fmax(d, fabs(b->metal[i] - old) / (fabs(b->metal[i]) + TEAR_FLOOR * tot));
    }
    if (b->set.flow > 0)
        d = fmax(d, fabs(b->set.flow - a->set.flow) / b->set.flow);
    return d;
}

/* Bounded Wegstein on each number of a tear (flow, acid, each element):
 * from two passes, x1 -> g1 and x0 -> g0, the slope s = (g1 - g0)/(x1 - x0)
 * gives x2 = q x1 + (1 - q) g1 with q = s/(s - 1), held to [WEG_QMIN, 0]
 * (q = 0 is plain substitution).  t holds g1 and receives x2. */
#define WEG_START 2
#define WEG_EVERY 2
#define WEG_QMIN -5.0
static double weg(double x1, double g1, double x0, double g0)
{
    double dx = x1 - x0;
    if (!(fabs(dx) > 1e-300))
        return g1;
    double s = (g1 - g0) / dx, q = s / (s - 1.0);
    if (!isfinite(q))
        return g1;
    q = fmin(0.0, fmax(WEG_QMIN, q));
    double x2 = q * x1 + (1.0 - q) * g1;
    return x2 >= 0 ? x2 : g1;
}

static double conc_of(const Tear *t, const char *sym)
{
    for (int i = 0; i < t->set.ncomp; i++)
        if (strcmp(t->set.sym[i], sym) == 0)
            return t->set.conc[i];
    return 0;
}

static void wegstein(Tear *t, const Tear *x1, const Tear *x0, const Tear *g0)
{
    if (t->set.flow >= 0)
        t->set.flow = weg(x1->set.flow, t->set.flow, x0->set.flow, g0->set.flow);
    if (t->set.acid >= 0)
        t->set.acid = weg(x1->set.acid, t->set.acid, x0->set.acid, g0->set.acid);
    for (int i = 0; i < t->set.ncomp; i++) {
        const char *sym = t->set.sym[i];
        double c = weg(conc_of(x1, sym), t->set.conc[i], conc_of(x0, sym), conc_of(g0, sym));
        t->metal[i] *= t->set.conc[i] > 0 ? c / t->set.conc[i] : 1.0;
        t->set.conc[i] = c;
    }
}

static int add_el(RxFlowsheetResult *r, const char *sym)
{
    for (int i = 0; i < r->nel; i++)
        if (strcmp(r->sym[i], sym) == 0)
            return i;
    if (r->nel == 2 * RX_MAX_SPECIES)
        return -1;
    snprintf(r->sym[r->nel], RX_SYM_LEN, "%s", sym);
    return r->nel++;
}

/* The flowsheet's balance per element over its external streams. */
static void balance(const RxFlowsheet *fs, RxFlowsheetResult *r)
{
    r->nel = 0;
    for (int c = 0; c < fs->n; c++) {
        const RxPlant *p = r->plant[c];
        for (int f = 0; f < p->nfeeds; f++) {
            int torn = -1;
            for (int k = 0; k < fs->nconn; k++)
                if (fs->conn[k].to_c == c && fs->conn[k].to_feed == f)
                    torn = k;
            for (int j = 0; j < p->nsp; j++) {
                /* a returned organic brings in only its new saponification */
                if (torn >= 0 && !(fs->conn[torn].phase == RX_ORG && j == p->base_species))
                    continue;
                int e = add_el(r, rx_plant_element(p, j)->sym);
                if (e >= 0)
                    r->in[e] += p->feeds[f].flow * p->feeds[f].c[j];
            }
        }
        RxStream st[2 + 64];
        int n = rx_outlets(p, r->sol[c], st, 2 + 64);
        for (int o = 0; o < n && o < 2 + 64; o++) {
            int torn = 0;
            for (int k = 0; k < fs->nconn; k++)
                torn |= fs->conn[k].from_c == c && strcmp(fs->conn[k].from, st[o].name) == 0;
            for (int j = 0; j < p->nsp; j++) {
                int e = add_el(r, rx_plant_element(p, j)->sym);
                if (e < 0)
                    continue;
                double amt = st[o].flow * st[o].c[j];
                if (!torn)
                    r->out[e] += amt;
                else
                    for (int k = 0; k < fs->nconn; k++)
                        if (fs->conn[k].from_c == c && strcmp(fs->conn[k].from, st[o].name) == 0 &&
                            fs->conn[k].phase == RX_ORG && j == p->base_species)
                            r->out[e] += amt; /* base leaving in returned organic: replaced, so it leaves */
            }
        }
    }
    r->max_closure = 0;
    for (int e = 0; e < r->nel; e++) {
        r->closure[e] = r->in[e] > 0 ? (r->in[e] - r->out[e]) / r->in[e] : 0;
        r->max_closure = fmax(r->max_closure, fabs(r->closure[e]));
    }
}

/* Circuit p fed by its tear streams: a copy with the nsets feed sets applied,
 * its model rebuilt when the tears bring or take away an element, and its
 * organic feeds checked as the loader checks them. */
static int fed_plant(const RxPlant *p, int nsets, const RxFeedSet *sets, RxPlant **out, RxError *err)
{
    RxPlant *q;
    int rc = rx_plant_copy(p, &q, err);
    for (int i = 0; rc == RX_OK && i < nsets; i++)
        rc = rx_plant_set_feed(q, &sets[i], err);
    if (rc == RX_OK && !q->model)
        rc = rx_model_build(q, err);
    if (rc == RX_OK)
        rc = rx_model_check_organic(q, err);
    if (rc != RX_OK)
        rx_plant_destroy(&q);
    *out = q;
    return rc;
}

/* Each tear stream's value now (cur), and for Wegstein what the last
 * accelerated pass was fed (prev_fed) and gave (prev_out). */
typedef struct {
    Tear cur[RX_MAX_CONNECTIONS], next[RX_MAX_CONNECTIONS];
    Tear prev_fed[RX_MAX_CONNECTIONS], prev_out[RX_MAX_CONNECTIONS];
} Tears;

/* Solve circuit c of pass `it`, fed by the tears' current values; the
 * result keeps it.  err names the circuit and the pass. */
static int solve_circuit(const RxFlowsheet *fs, RxCircuitSolveFn solve, int c, int it, const Tears *T,
                         RxFlowsheetResult *r, RxError *err)
{
    RxFeedSet sets[RX_MAX_CONNECTIONS];
    int ns = 0;
    for (int k = 0; k < fs->nconn; k++)
        if (fs->conn[k].to_c == c && T->cur[k].have)
            sets[ns++] = T->cur[k].set;
    RxPlant *q = NULL;
    RxSolution *s = NULL;
    int rc = fed_plant(fs->plant[c], ns, sets, &q, err);
    double ts = rx_clock();
    /* From its solution of the last pass: the tears move less each pass. */
    int alike = rc == RX_OK && r->plant[c] && rx_plants_alike(r->plant[c], q);
    if (rc == RX_OK)
        rc = solve ? solve(&q, r->plant[c], alike ? r->sol[c] : NULL, &s, err)
                   : rx_circuit_solve_from(q, alike ? r->sol[c] : NULL, &s, err);
    r->csec[c] = rx_clock() - ts;
    if (rc != RX_OK) {
        if (err) {
            char msg[sizeof err->msg];
            snprintf(msg, sizeof msg, "circuit '%s' (pass %d, fed by its connections): %.600s", fs->name[c], it,
                     err->msg);
            snprintf(err->msg, sizeof err->msg, "%s", msg);
            snprintf(err->where, sizeof err->where, "%s", fs->path);
        }
        rx_plant_destroy(&q);
        rx_solution_destroy(&s);
        return rc;
    }
    rx_plant_destroy(&r->plant[c]);
    rx_solution_destroy(&r->sol[c]);
    r->plant[c] = q;
    r->sol[c] = s;
    return RX_OK;
}

/* The tears leaving circuit c take its new outlets (accelerated on
 * Wegstein's passes); returns their largest change. */
static double update_tears(const RxFlowsheet *fs, int c, int it, Tears *T, RxFlowsheetResult *r)
{
    double change = 0;
    for (int k = 0; k < fs->nconn; k++)
        if (fs->conn[k].from_c == c) {
            tear_from(fs, &fs->conn[k], r->plant[c], r->sol[c], &T->next[k], &r->makeup[k]);
            r->change[k] = tear_change(&T->cur[k], &T->next[k]);
            change = fmax(change, r->change[k]);
            Tear fed = T->cur[k]; /* x_k: what this pass was fed */
            T->cur[k] = T->next[k]; /* g(x_k) */
            if (it > WEG_START && (it - WEG_START) % WEG_EVERY == 0 && T->prev_fed[k].have)
                wegstein(&T->cur[k], &fed, &T->prev_fed[k], &T->prev_out[k]);
            T->prev_fed[k] = fed;
            T->prev_out[k] = T->next[k];
        }
    return change;
}

/* RX_NOT_CONVERGED naming the tear that changed most, or the element whose
 * flowsheet balance is worst. */
static int check_converged(const RxFlowsheet *fs, RxFlowsheetResult *r, double change, RxError *err)
{
    if (change > fs->tolerance) {
        int worst = 0;
        for (int k = 1; k < fs->nconn; k++)
            if (r->change[k] > r->change[worst])
                worst = k;
        return rx_error_set(err, RX_NOT_CONVERGED, fs->path,
                            "flowsheet: the tear stream %s:%s -> %s did not settle in %d passes (change %.3g, "
                            "tolerance %.3g)",
                            fs->name[fs->conn[worst].from_c], fs->conn[worst].from, fs->name[fs->conn[worst].to_c],
                            r->iterations, r->change[worst], fs->tolerance);
    }
    balance(fs, r);
    if (!(r->max_closure <= RX_CLOSURE_TOL)) {
        int worst = 0;
        for (int e = 1; e < r->nel; e++)
            if (fabs(r->closure[e]) > fabs(r->closure[worst]))
                worst = e;
        return rx_error_set(err, RX_NOT_CONVERGED, fs->path,
                            "flowsheet: the balance of %s does not close: (in - out)/in = %.3g, above %.0e",
                            r->sym[worst], r->closure[worst], RX_CLOSURE_TOL);
    }
    return RX_OK;
}

int rx_flowsheet_solve(const RxFlowsheet *fs, RxFlowsheetResult **out, RxError *err)
{
    return rx_flowsheet_solve_by(fs, NULL, out, err);
}

int rx_flowsheet_solve_by(const RxFlowsheet *fs, RxCircuitSolveFn solve, RxFlowsheetResult **out, RxError *err)
{
    *out = NULL;
    double t0 = rx_clock();
    RxFlowsheetResult *r = calloc(1, sizeof *r);
    Tears *T = calloc(1, sizeof *T);
    if (!r || !T) {
        free(r);
        free(T);
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    }
    r->n = fs->n;
    int rc = RX_OK, it;
    double change = INFINITY;
    for (it = 1; it <= fs->max_iterations && rc == RX_OK && change > fs->tolerance; it++) {
        change = 0;
        for (int c = 0; c < fs->n && rc == RX_OK; c++)
            if ((rc = solve_circuit(fs, solve, c, it, T, r, err)) == RX_OK)
                change = fmax(change, update_tears(fs, c, it, T, r));
    }
    it--;
    r->iterations = it > fs->max_iterations ? fs->max_iterations : it;
    if (rc == RX_OK)
        rc = check_converged(fs, r, change, err);
    free(T);
    r->seconds = rx_clock() - t0;
    if (rc != RX_OK) {
        rx_flowsheet_result_destroy(&r);
        return rc;
    }
    *out = r;
    return RX_OK;
}

void rx_flowsheet_result_destroy(RxFlowsheetResult **rp)
{
    if (!rp || !*rp)
        return;
    for (int c = 0; c < (*rp)->n; c++) {
        rx_plant_destroy(&(*rp)->plant[c]);
        rx_solution_destroy(&(*rp)->sol[c]);
    }
    free(*rp);
    *rp = NULL;
}

void rx_flowsheet_destroy(RxFlowsheet **fsp)
{
    if (!fsp || !*fsp)
        return;
    for (int i = 0; i < (*fsp)->n; i++)
        rx_plant_destroy(&(*fsp)->plant[i]);
    free(*fsp);
    *fsp = NULL;
}
