/*
 * solver/dyn_model.c - the mixer-settler cascade in time (DESIGN §4): the
 * state layout and the right-hand side CVODES integrates (solver/dynamics.c
 * drives it), with the quadrature of the outflows, holdups, outlets, the
 * starts, and the rows of the time series.
 *
 * Each stage k holds, as amounts (mol):
 *   mixer:  every metal (both phases, at equilibrium) and chloride (aqueous)
 *   settler aqueous layer: `tanks` tanks in series, each metal and chloride
 *   settler organic layer: `tanks` tanks in series, each metal
 * The mixer's phase volumes are fixed at the design flow ratio; each
 * settler layer passes its phase on without mass transfer.  The mixer's
 * split is the same equilibrium model as the steady state, applied to
 * holdups instead of flows, so a run at constant inputs ends exactly at the
 * steady-state solution.
 *
 * State layout, per stage: [aqueous tanks, last first][mixer][organic tanks],
 * the mixer between what flows into it from both neighbours (index functions
 * in solver/dyn_internal.h).
 */
#include "solver/dyn_internal.h"

#include "models/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PERCENT 100.0

/* ---- state layout -------------------------------------------------------- */

void rx_dyn_free(RxDyn *D)
{
    void *ptrs[] = {D->off, D->nt, D->Vaq, D->Vorg, D->Vta, D->Vto, D->feeds, D->fl.A, D->fl.O, D->fl.cl, D->fl.so4,
                    D->fl.fcl, D->fl.f, D->fl.pa, D->fl.po, D->x, D->y, D->h, D->d, D->guess};
    for (size_t i = 0; i < sizeof ptrs / sizeof ptrs[0]; i++)
        free(ptrs[i]);
}

static const RxSection *section_of_stage(const RxPlant *p, int k)
{
    for (int i = 0; i < p->nsections; i++)
        if (k >= p->sections[i].first && k < p->sections[i].first + p->sections[i].count)
            return &p->sections[i];
    return &p->sections[0];
}

/* Layout and holdup volumes, from the design (initial) flows. */
int rx_dyn_setup(RxDyn *D, const RxPlant *p, RxError *err)
{
    memset(D, 0, sizeof *D);
    D->p = p;
    D->N = p->nstages;
    D->M = p->nsp;
    D->bad_stage = -1;
    size_t N = (size_t)D->N, NM = N * (size_t)D->M;
    D->off = calloc(N + 1, sizeof(int));
    D->nt = calloc(N, sizeof(int));
    double **vec[] = {&D->Vaq, &D->Vorg, &D->Vta, &D->Vto, &D->fl.A, &D->fl.O, &D->fl.cl, &D->fl.fcl, &D->fl.so4,
                      &D->fl.pa, &D->fl.po, &D->h, &D->d};
    for (size_t i = 0; i < sizeof vec / sizeof vec[0]; i++)
        *vec[i] = calloc(N, sizeof(double));
    D->fl.f = calloc(NM, sizeof(double));
    D->x = calloc(NM, sizeof(double));
    D->y = calloc(NM, sizeof(double));
    D->guess = calloc(2 * N, sizeof(double));
    D->feeds = calloc((size_t)p->nfeeds, sizeof *D->feeds);
    if (!D->off || !D->nt || !D->Vaq || !D->Vorg || !D->Vta || !D->Vto || !D->fl.A || !D->fl.O || !D->fl.cl ||
        !D->fl.so4 ||
        !D->fl.fcl || !D->fl.pa || !D->fl.po || !D->h || !D->d || !D->fl.f || !D->x || !D->y || !D->guess ||
        !D->feeds)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    memcpy(D->feeds, p->feeds, sizeof *D->feeds * (size_t)p->nfeeds);
    rx_cascade_flows(p, D->feeds, &D->fl);
    int M = D->M;
    for (int k = 0; k < D->N; k++) {
        const RxSection *s = section_of_stage(p, k);
        double A = D->fl.A[k], O = D->fl.O[k];
        if (!(A > 0) || !(O > 0))
            return rx_error_set(err, RX_BAD_INPUT, p->path, "stage %d has no %s flow at the start", k + 1,
                                A > 0 ? "organic" : "aqueous");
        double Vm = s->mixer_volume > 0 ? s->mixer_volume : s->mixer_residence * (A + O);
        D->Vaq[k] = Vm * A / (A + O);
        D->Vorg[k] = Vm * O / (A + O);
        D->nt[k] = s->settler_tanks;
        if (D->nt[k] > 0) {
            double va = s->settler_aq_volume > 0 ? s->settler_aq_volume : s->settler_residence * A;
            double vo = s->settler_org_volume > 0 ? s->settler_org_volume : s->settler_residence * O;
            D->Vta[k] = va / D->nt[k];
            D->Vto[k] = vo / D->nt[k];
        }
        D->off[k + 1] = D->off[k] + (M + 1) * (1 + D->nt[k]) + M * D->nt[k];
    }
    D->n = D->off[D->N];
    return RX_OK;
}

/* Name of state component i: "stage 12/settler aqueous tank 2/Nd", the
 * inverse of the index functions. */
void rx_dyn_component_name(const RxDyn *D, int i, char *out, size_t n)
{
    int k = 0;
    while (k + 1 < D->N && D->off[k + 1] <= i)
        k++;
    int M = D->M, mi = rx_dyn_mixer_index(D, k), r = i - D->off[k];
    const char *where = "mixer";
    int tank = 0, j;
    if (i < mi) {
        where = "settler aqueous tank";
        tank = D->nt[k] - r / (M + 1);
        j = r % (M + 1);
    } else if (i < mi + M + 1) {
        j = i - mi;
    } else {
        where = "settler organic tank";
        tank = (i - mi - M - 1) / M + 1;
        j = (i - mi - M - 1) % M;
    }
    const char *sym = j == M ? "Cl" : rx_plant_element(D->p, j)->sym;
    if (tank)
        snprintf(out, n, "stage %d/%s %d/%s", k + 1, where, tank, sym);
    else
        snprintf(out, n, "stage %d/%s/%s", k + 1, where, sym);
}

/* ---- right-hand side ----------------------------------------------------- */

/* Equilibrium of every mixer at state u. */
int rx_dyn_split_mixers(RxDyn *D, const double *u)
{
    const RxPlant *p = D->p;
    int M = D->M;
    double T[RX_MAX_SPECIES];
    D->bad_stage = -1;
    for (int k = 0; k < D->N; k++) {
        int mi = rx_dyn_mixer_index(D, k);
        for (int j = 0; j < M; j++)
            T[j] = fmax(u[mi + j], 0.0); /* the integrator may step a trace just below 0 */
        double cl = fmax(u[mi + M], 0.0);
        RxStageIn in = {M, T, p->charge, cl, D->Vaq[k], D->Vorg[k], p->extractant_conc, 0, p->ka_hso4};
        RxStageOut out = {D->x + k * M, D->y + k * M, 0, 0, NULL, NULL, 0, NULL};
        if (rx_model_split(p, &in, D->guess + 2 * k, &out) != RX_OK) {
            D->bad_stage = k;
            return 1;
        }
        D->h[k] = out.h;
        D->d[k] = out.d;
    }
    return 0;
}

/* Concentrations (mol/L) of the aqueous and organic leaving stage k; ca has
 * M+1 entries (chloride last). */
static void stage_outlets(const RxDyn *D, const double *u, int k, double *ca, double *co)
{
    int M = D->M, mi = rx_dyn_mixer_index(D, k);
    if (D->nt[k] == 0) {
        memcpy(ca, D->x + k * M, sizeof(double) * (size_t)M);
        ca[M] = u[mi + M] / D->Vaq[k];
        memcpy(co, D->y + k * M, sizeof(double) * (size_t)M);
        return;
    }
    int ia = rx_dyn_aq_tank_index(D, k, D->nt[k] - 1), io = rx_dyn_org_tank_index(D, k, D->nt[k] - 1);
    for (int j = 0; j <= M; j++)
        ca[j] = u[ia + j] / D->Vta[k];
    for (int j = 0; j < M; j++)
        co[j] = u[io + j] / D->Vto[k];
}

/* Feeds, mixer outflows, settler tanks in series and what each stage passes
 * to its neighbours' mixers. */
int rx_dyn_rhs(RxDyn *D, const double *u, double *du)
{
    int N = D->N, M = D->M;
    if (rx_dyn_split_mixers(D, u))
        return 1; /* recoverable: CVODE retries with a smaller step */
    double ca[RX_MAX_SPECIES + 1], co[RX_MAX_SPECIES];
    for (int i = 0; i < D->n; i++)
        du[i] = 0;
    for (int k = 0; k < N; k++) {
        int mi = rx_dyn_mixer_index(D, k);
        double A = D->fl.A[k], O = D->fl.O[k];
        const double *x = D->x + k * M, *y = D->y + k * M;
        double clc = u[mi + M] / D->Vaq[k];
        /* Feeds into the mixer. */
        for (int j = 0; j < M; j++)
            du[mi + j] += D->fl.f[k * M + j];
        du[mi + M] += D->fl.fcl[k];
        /* Mixer outflows. */
        for (int j = 0; j < M; j++)
            du[mi + j] -= A * x[j] + O * y[j];
        du[mi + M] -= A * clc;
        /* Settler layers: tanks in series, no transfer. */
        for (int tk = 0; tk < D->nt[k]; tk++) {
            int ia = rx_dyn_aq_tank_index(D, k, tk), io = rx_dyn_org_tank_index(D, k, tk);
            for (int j = 0; j <= M; j++) {
                double cin = tk == 0 ? (j < M ? x[j] : clc) : u[rx_dyn_aq_tank_index(D, k, tk - 1) + j] / D->Vta[k];
                du[ia + j] += A * (cin - u[ia + j] / D->Vta[k]);
            }
            for (int j = 0; j < M; j++) {
                double cin = tk == 0 ? y[j] : u[rx_dyn_org_tank_index(D, k, tk - 1) + j] / D->Vto[k];
                du[io + j] += O * (cin - u[io + j] / D->Vto[k]);
            }
        }
        /* What leaves the stage reaches its neighbours' mixers. */
        stage_outlets(D, u, k, ca, co);
        if (k > 0) {
            int mprev = rx_dyn_mixer_index(D, k - 1);
            for (int j = 0; j <= M; j++)
                du[mprev + j] += D->fl.pa[k] * A * ca[j];
        }
        if (k < N - 1) {
            int mnext = rx_dyn_mixer_index(D, k + 1);
            for (int j = 0; j < M; j++)
                du[mnext + j] += D->fl.po[k] * O * co[j];
        }
    }
    return 0;
}

/* Sum of what leaves through the raffinate, the organic outlet and draws. */
static int outflow_sum(RxDyn *D, const double *u, double *rate)
{
    int N = D->N, M = D->M;
    double ca[RX_MAX_SPECIES + 1], co[RX_MAX_SPECIES];
    for (int k = 0; k < N; k++) {
        double wa = k == 0 ? 1.0 : 1.0 - D->fl.pa[k], wo = k == N - 1 ? 1.0 : 1.0 - D->fl.po[k];
        if (wa == 0 && wo == 0)
            continue;
        stage_outlets(D, u, k, ca, co);
        for (int j = 0; j < M; j++)
            rate[j] += wa * D->fl.A[k] * ca[j] + wo * D->fl.O[k] * co[j];
    }
    return 0;
}

/* Metal leaving the circuit (mol/h of each species).  Only stages without a
 * settler need their mixer's equilibrium (their outlets are the mixer's
 * phases); with settlers the outlets are tank contents. */
int rx_dyn_outflow_rates(RxDyn *D, const double *u, double *rate)
{
    int N = D->N;
    for (int j = 0; j < D->M; j++)
        rate[j] = 0;
    for (int k = 0; k < N; k++)
        if (D->nt[k] == 0 && (k == 0 || k == N - 1 || D->fl.pa[k] < 1 || D->fl.po[k] < 1))
            return rx_dyn_split_mixers(D, u) ? 1 : outflow_sum(D, u, rate);
    return outflow_sum(D, u, rate);
}

/* ---- holdups, tolerances and starts -------------------------------------- */

/* Amount of each species held in the whole circuit, mol. */
void rx_dyn_holdup(const RxDyn *D, const double *u, double *hold)
{
    int M = D->M;
    for (int j = 0; j < M; j++)
        hold[j] = 0;
    for (int k = 0; k < D->N; k++) {
        int mi = rx_dyn_mixer_index(D, k);
        for (int j = 0; j < M; j++)
            hold[j] += u[mi + j];
        for (int tk = 0; tk < D->nt[k]; tk++)
            for (int j = 0; j < M; j++)
                hold[j] += u[rx_dyn_aq_tank_index(D, k, tk) + j] + u[rx_dyn_org_tank_index(D, k, tk) + j];
    }
}

/* Liquid held in the whole circuit, L: the scale of an amount in mol. */
double rx_dyn_circuit_volume(const RxDyn *D)
{
    double v = 0;
    for (int k = 0; k < D->N; k++)
        v += D->Vaq[k] + D->Vorg[k] + D->nt[k] * (D->Vta[k] + D->Vto[k]);
    return v;
}

void rx_dyn_abs_tolerances(const RxDyn *D, double atol, double *at)
{
    int M = D->M;
    for (int k = 0; k < D->N; k++) {
        int mi = rx_dyn_mixer_index(D, k);
        for (int j = 0; j <= M; j++)
            at[mi + j] = atol * (D->Vaq[k] + (j < M ? D->Vorg[k] : 0));
        for (int tk = 0; tk < D->nt[k]; tk++) {
            for (int j = 0; j <= M; j++)
                at[rx_dyn_aq_tank_index(D, k, tk) + j] = atol * D->Vta[k];
            for (int j = 0; j < M; j++)
                at[rx_dyn_org_tank_index(D, k, tk) + j] = atol * D->Vto[k];
        }
    }
}

/* Fill compartments of stage k with aqueous x (+ chloride cl, mol/L) and
 * organic y (mol/L). */
static void fill_stage(const RxDyn *D, double *u, int k, const double *x, double cl, const double *y)
{
    int M = D->M, mi = rx_dyn_mixer_index(D, k);
    for (int j = 0; j < M; j++)
        u[mi + j] = D->Vaq[k] * x[j] + D->Vorg[k] * y[j];
    u[mi + M] = D->Vaq[k] * cl;
    for (int tk = 0; tk < D->nt[k]; tk++) {
        int ia = rx_dyn_aq_tank_index(D, k, tk), io = rx_dyn_org_tank_index(D, k, tk);
        for (int j = 0; j < M; j++) {
            u[ia + j] = D->Vta[k] * x[j];
            u[io + j] = D->Vto[k] * y[j];
        }
        u[ia + M] = D->Vta[k] * cl;
    }
}

/* Barren start: every aqueous compartment holds acid only, every organic
 * one the fresh organic (the first organic feed: its saponification). */
void rx_dyn_start_barren(const RxDyn *D, double *u)
{
    const RxPlant *p = D->p;
    double zero[RX_MAX_SPECIES] = {0}, org[RX_MAX_SPECIES] = {0};
    for (int i = 0; i < p->nfeeds; i++)
        if (p->feeds[i].phase == RX_ORG) {
            memcpy(org, p->feeds[i].c, sizeof org);
            break;
        }
    for (int k = 0; k < D->N; k++)
        fill_stage(D, u, k, zero, p->dynamics.barren_h, org);
}

int rx_dyn_start_steady(const RxDyn *D, double *u, RxError *err)
{
    RxSolution *s = NULL;
    int rc = rx_circuit_solve(D->p, &s, err);
    if (rc != RX_OK)
        return rc;
    for (int k = 0; k < D->N; k++)
        fill_stage(D, u, k, s->x + k * D->M, s->cl[k] / s->A[k], s->y + k * D->M);
    rx_solution_destroy(&s);
    return RX_OK;
}

/* ---- time series --------------------------------------------------------- */

int rx_dyn_series_columns(const RxPlant *p)
{
    return 1 + p->nproducts * (3 + p->nsp) + 1 + p->dynamics.nwatch;
}

void rx_dyn_series_header(const RxPlant *p, char (*h)[80])
{
    int c = 0;
    snprintf(h[c++], 80, "time [h]");
    for (int i = 0; i < p->nproducts; i++) {
        const char *nm = p->products[i].name;
        snprintf(h[c++], 80, "%s flow [L/h]", nm);
        snprintf(h[c++], 80, "%s purity [%%]", nm);
        snprintf(h[c++], 80, "%s recovery [%%]", nm);
        for (int j = 0; j < p->nsp; j++)
            snprintf(h[c++], 80, "%s %s [g/L]", nm, rx_plant_element(p, j)->sym);
    }
    snprintf(h[c++], 80, "raffinate pH [-]");
    for (int i = 0; i < p->dynamics.nwatch; i++) {
        const RxWatch *w = &p->dynamics.watch[i];
        snprintf(h[c++], 80, "stage %d %s %s [g/L]", w->stage + 1, w->phase == RX_AQ ? "aq" : "org",
                 rx_plant_element(p, w->species)->sym);
    }
}

/* Stream leaving the circuit named `name` at state u (after split_mixers). */
static int dyn_outlet(const RxDyn *D, const double *u, const char *name, double *flow, double *c)
{
    const RxPlant *p = D->p;
    int M = D->M, k = -1, phase = RX_AQ;
    double frac = 1.0;
    if (strcmp(name, "raffinate") == 0)
        k = 0;
    else if (strcmp(name, "organic") == 0) {
        k = D->N - 1;
        phase = RX_ORG;
    } else
        for (int i = 0; i < p->ndraws; i++)
            if (strcmp(p->draws[i].name, name) == 0) {
                k = p->draws[i].stage;
                phase = p->draws[i].phase;
                frac = p->draws[i].fraction;
            }
    if (k < 0)
        return -1;
    double ca[RX_MAX_SPECIES + 1], co[RX_MAX_SPECIES];
    stage_outlets(D, u, k, ca, co);
    *flow = frac * (phase == RX_AQ ? D->fl.A[k] : D->fl.O[k]);
    memcpy(c, phase == RX_AQ ? ca : co, sizeof(double) * (size_t)M);
    return phase;
}

int rx_dyn_series_row(RxDyn *D, const double *u, double t, double *row)
{
    const RxPlant *p = D->p;
    int M = D->M, c = 0;
    row[c++] = t;
    for (int i = 0; i < p->nproducts; i++) {
        const RxProduct *pr = &p->products[i];
        double flow = 0, conc[RX_MAX_SPECIES] = {0}, reo = 0, target = 0, fed = 0;
        dyn_outlet(D, u, pr->stream, &flow, conc);
        for (int j = 0; j < M; j++) {
            const RxElement *e = rx_plant_element(p, j);
            double ox = e->molar_mass * rx_element_oxide_factor(e, p->elements->oxygen_mass);
            if (e->is_ree)
                reo += flow * conc[j] * ox;
        }
        for (int tg = 0; tg < pr->ntargets; tg++) {
            int j = pr->targets[tg];
            const RxElement *e = rx_plant_element(p, j);
            double ox = e->molar_mass * rx_element_oxide_factor(e, p->elements->oxygen_mass);
            target += flow * conc[j] * ox;
            for (int k = 0; k < D->N; k++)
                fed += D->fl.f[k * M + j] * ox;
        }
        row[c++] = flow;
        row[c++] = reo > 0 ? PERCENT * target / reo : 0;
        row[c++] = fed > 0 ? PERCENT * target / fed : 0;
        for (int j = 0; j < M; j++)
            row[c++] = conc[j] * rx_plant_element(p, j)->molar_mass;
    }
    /* Raffinate pH from its own electroneutrality (a settler tank holds no
     * equilibrium, but its aqueous keeps the mixer's charge balance). */
    double ca[RX_MAX_SPECIES + 1], co[RX_MAX_SPECIES], h = 0;
    stage_outlets(D, u, 0, ca, co);
    h = ca[M];
    for (int j = 0; j < M; j++)
        h -= p->charge[j] * ca[j];
    D->raff_h = h;
    D->raff_cl = ca[M];
    row[c++] = h > 0 ? -log10(h) + 0.0 : NAN; /* the caller reports it */
    for (int i = 0; i < p->dynamics.nwatch; i++) {
        const RxWatch *w = &p->dynamics.watch[i];
        const double *src = (w->phase == RX_AQ ? D->x : D->y) + w->stage * M;
        row[c++] = src[w->species] * rx_plant_element(p, w->species)->molar_mass;
    }
    for (int i = 0; i < c; i++)
        if (!isfinite(row[i]))
            return i;
    return -1;
}
/* ---- the end of a run ---------------------------------------------------- */

/* The stage profile of state u as a steady-state-shaped solution. */
RxSolution *rx_dyn_profile(RxDyn *D, const double *u)
{
    int N = D->N, M = D->M;
    size_t NM = (size_t)N * (size_t)M;
    RxSolution *s = NULL;
    if (rx_solution_alloc(&s, N, M) != RX_OK)
        return NULL;
    memcpy(s->A, D->fl.A, sizeof(double) * (size_t)N);
    memcpy(s->O, D->fl.O, sizeof(double) * (size_t)N);
    memcpy(s->h, D->h, sizeof(double) * (size_t)N);
    memcpy(s->d, D->d, sizeof(double) * (size_t)N);
    memcpy(s->x, D->x, sizeof(double) * NM);
    memcpy(s->y, D->y, sizeof(double) * NM);
    for (int k = 0; k < N; k++) {
        int mi = rx_dyn_mixer_index(D, k);
        s->cl[k] = D->fl.A[k] * u[mi + M] / D->Vaq[k];
        for (int j = 0; j < M; j++)
            s->T[k * M + j] = u[mi + j];
    }
    return s;
}

/* First output time after which the column stays within tol (relative) of
 * its last value (a column still moving at the end gives a time near it). */
double rx_dyn_settle_time(const RxSimResult *r, int col, double tol)
{
    double fin = r->rows[(size_t)(r->nrows - 1) * (size_t)r->ncols + (size_t)col];
    double t = r->rows[0];
    for (int i = r->nrows - 1; i >= 0; i--) {
        double v = r->rows[(size_t)i * (size_t)r->ncols + (size_t)col];
        if (fabs(v - fin) > tol * fabs(fin)) {
            t = i + 1 < r->nrows ? r->rows[(size_t)(i + 1) * (size_t)r->ncols] : -1;
            break;
        }
    }
    return t;
}
