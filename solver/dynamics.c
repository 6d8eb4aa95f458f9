/*
 * dynamics.c - mixer-settler cascade in time (DESIGN §4); the only file that
 * uses SUNDIALS (CVODES: BDF, Newton, quadratures for the integrated
 * outflows, and our own structured SUNLinearSolver, see below).
 *
 * Each stage k holds, as amounts (mol):
 *   mixer:  every metal (both phases, at equilibrium) and chloride (aqueous)
 *   settler aqueous layer: `tanks` tanks in series, each metal and chloride
 *   settler organic layer: `tanks` tanks in series, each metal
 * The mixer's phase volumes are fixed at the design flow ratio; each
 * settler layer passes its phase on without mass transfer.  The mixer's
 * split is the same equilibrium model as the steady state, applied to
 * holdups instead of flows, so a run at constant inputs ends exactly at the
 * steady-state solution.  Feeds change only at scheduled events, where the
 * integrator restarts.
 *
 * State layout, per stage: [aqueous tanks, last first][mixer][organic tanks],
 * the mixer between what flows into it from both neighbours.
 */
#include "solver/dynamics.h"

#include "core/fileio.h"
#include "core/flows.h"
#include "core/lapack.h"
#include "models/model.h"

#include <cvodes/cvodes.h>
#include <math.h>
#include <nvector/nvector_serial.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PERCENT 100.0
#define G_PER_KG 1000.0
/* Settling: purity within 1 % and 0.1 % (relative) of its final value. */
#define DYN_SETTLE_1 0.01
#define DYN_SETTLE_01 0.001
/* Output and event times closer than this (h) are the same time. */
#define DYN_TIME_EPS 1e-9
/* Rows of the time series at most (the config refuses more). */
#define DYN_MAX_ROWS 1000000
/* Steps a Jacobian of the mixers is reused for (CVODES reuses its own for
 * up to 51 steps, its preconditioners for 20). */
#define DYN_JAC_STEPS 20
/* Largest relative change of gamma before the factors are renewed (CVODES' DGMAX). */
#define DYN_DGMAX 0.3

typedef struct {
    const RxPlant *p;
    int N, M, n;
    int *off, *nt;          /* per stage: block offset, settler tanks */
    double *Vaq, *Vorg;     /* mixer phase volumes, L */
    double *Vta, *Vto;      /* volume of one aqueous / organic settler tank, L */
    RxFeed *feeds;          /* feeds as events have left them */
    RxFlows fl;             /* current flows */
    double *x, *y, *h, *d;  /* mixer equilibrium of the last evaluation */
    double *guess;          /* 2 per stage */
    int bad_stage;          /* stage whose equilibrium failed, -1 */
    char cvode_msg[300];    /* CVODES's own last error message */
} Dyn;

static int mixer_index(const Dyn *D, int k)
{
    return D->off[k] + D->nt[k] * (D->M + 1);
}

/* Aqueous tank t (0 next to the mixer) of stage k. */
static int aq_tank_index(const Dyn *D, int k, int t)
{
    return D->off[k] + (D->nt[k] - 1 - t) * (D->M + 1);
}

static int org_tank_index(const Dyn *D, int k, int t)
{
    return mixer_index(D, k) + (D->M + 1) + t * D->M;
}

static void dyn_free(Dyn *D)
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
static int dyn_setup(Dyn *D, const RxPlant *p, RxError *err)
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

/* Equilibrium of every mixer at state u. */
static int split_mixers(Dyn *D, const double *u)
{
    const RxPlant *p = D->p;
    int M = D->M;
    double T[RX_MAX_SPECIES];
    D->bad_stage = -1;
    for (int k = 0; k < D->N; k++) {
        int mi = mixer_index(D, k);
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
static void stage_outlets(const Dyn *D, const double *u, int k, double *ca, double *co)
{
    int M = D->M, mi = mixer_index(D, k);
    if (D->nt[k] == 0) {
        memcpy(ca, D->x + k * M, sizeof(double) * (size_t)M);
        ca[M] = u[mi + M] / D->Vaq[k];
        memcpy(co, D->y + k * M, sizeof(double) * (size_t)M);
        return;
    }
    int ia = aq_tank_index(D, k, D->nt[k] - 1), io = org_tank_index(D, k, D->nt[k] - 1);
    for (int j = 0; j <= M; j++)
        ca[j] = u[ia + j] / D->Vta[k];
    for (int j = 0; j < M; j++)
        co[j] = u[io + j] / D->Vto[k];
}

static int rhs(sunrealtype t, N_Vector yv, N_Vector ydot, void *data)
{
    (void)t;
    Dyn *D = data;
    const double *u = N_VGetArrayPointer(yv);
    double *du = N_VGetArrayPointer(ydot);
    int N = D->N, M = D->M;
    if (split_mixers(D, u))
        return 1; /* recoverable: CVODE retries with a smaller step */
    double ca[RX_MAX_SPECIES + 1], co[RX_MAX_SPECIES];
    for (int i = 0; i < D->n; i++)
        du[i] = 0;
    for (int k = 0; k < N; k++) {
        int mi = mixer_index(D, k);
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
            int ia = aq_tank_index(D, k, tk), io = org_tank_index(D, k, tk);
            for (int j = 0; j <= M; j++) {
                double cin = tk == 0 ? (j < M ? x[j] : clc) : u[aq_tank_index(D, k, tk - 1) + j] / D->Vta[k];
                du[ia + j] += A * (cin - u[ia + j] / D->Vta[k]);
            }
            for (int j = 0; j < M; j++) {
                double cin = tk == 0 ? y[j] : u[org_tank_index(D, k, tk - 1) + j] / D->Vto[k];
                du[io + j] += O * (cin - u[io + j] / D->Vto[k]);
            }
        }
        /* What leaves the stage reaches its neighbours' mixers. */
        stage_outlets(D, u, k, ca, co);
        if (k > 0) {
            int mprev = mixer_index(D, k - 1);
            for (int j = 0; j <= M; j++)
                du[mprev + j] += D->fl.pa[k] * A * ca[j];
        }
        if (k < N - 1) {
            int mnext = mixer_index(D, k + 1);
            for (int j = 0; j < M; j++)
                du[mnext + j] += D->fl.po[k] * O * co[j];
        }
    }
    return 0;
}

/* Sum of what leaves through the raffinate, the organic outlet and draws. */
static int outflow_sum(Dyn *D, const double *u, double *rate)
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
static int outflow_rates(Dyn *D, const double *u, double *rate)
{
    int N = D->N;
    for (int j = 0; j < D->M; j++)
        rate[j] = 0;
    for (int k = 0; k < N; k++)
        if (D->nt[k] == 0 && (k == 0 || k == N - 1 || D->fl.pa[k] < 1 || D->fl.po[k] < 1))
            return split_mixers(D, u) ? 1 : outflow_sum(D, u, rate);
    return outflow_sum(D, u, rate);
}

static int quad_rhs(sunrealtype t, N_Vector yv, N_Vector qdot, void *data)
{
    (void)t;
    return outflow_rates(data, N_VGetArrayPointer(yv), N_VGetArrayPointer(qdot));
}

/* Amount of each species held in the whole circuit, mol. */
static void holdup(const Dyn *D, const double *u, double *hold)
{
    int M = D->M;
    for (int j = 0; j < M; j++)
        hold[j] = 0;
    for (int k = 0; k < D->N; k++) {
        int mi = mixer_index(D, k);
        for (int j = 0; j < M; j++)
            hold[j] += u[mi + j];
        for (int tk = 0; tk < D->nt[k]; tk++)
            for (int j = 0; j < M; j++)
                hold[j] += u[aq_tank_index(D, k, tk) + j] + u[org_tank_index(D, k, tk) + j];
    }
}

/* Liquid held in the whole circuit, L: the scale of an amount in mol. */
static double circuit_volume(const Dyn *D)
{
    double v = 0;
    for (int k = 0; k < D->N; k++)
        v += D->Vaq[k] + D->Vorg[k] + D->nt[k] * (D->Vta[k] + D->Vto[k]);
    return v;
}

/* Fill compartments of stage k with aqueous x (+ chloride cl, mol/L) and
 * organic y (mol/L). */
static void fill_stage(const Dyn *D, double *u, int k, const double *x, double cl, const double *y)
{
    int M = D->M, mi = mixer_index(D, k);
    for (int j = 0; j < M; j++)
        u[mi + j] = D->Vaq[k] * x[j] + D->Vorg[k] * y[j];
    u[mi + M] = D->Vaq[k] * cl;
    for (int tk = 0; tk < D->nt[k]; tk++) {
        int ia = aq_tank_index(D, k, tk), io = org_tank_index(D, k, tk);
        for (int j = 0; j < M; j++) {
            u[ia + j] = D->Vta[k] * x[j];
            u[io + j] = D->Vto[k] * y[j];
        }
        u[ia + M] = D->Vta[k] * cl;
    }
}

/* Barren start: every aqueous compartment holds acid only, every organic
 * one the fresh organic (the first organic feed: its saponification). */
static void start_barren(const Dyn *D, double *u)
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

static int start_steady(const Dyn *D, double *u, RxError *err)
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

/* State file: a header that must match this plant, then one value a line. */
#define STATE_MAGIC "reesx-state 1"

static int start_from_file(const Dyn *D, double *u, double *t0, RxError *err)
{
    const RxPlant *p = D->p;
    const char *path = p->dynamics.state_file;
    FILE *f = fopen(path, "r");
    if (!f)
        return rx_error_set(err, RX_BAD_INPUT, path, "cannot open the state file");
    char line[512], want[512];
    int ok = fgets(line, sizeof line, f) && strncmp(line, STATE_MAGIC, strlen(STATE_MAGIC)) == 0;
    int N = 0, n = 0;
    ok = ok && fscanf(f, " stages %d states %d time %lf species", &N, &n, t0) == 3 && N == D->N && n == D->n &&
         isfinite(*t0) && *t0 >= 0;
    for (int j = 0; ok && j < D->M; j++)
        ok = fscanf(f, " %511s", want) == 1 && strcmp(want, rx_plant_element(p, j)->sym) == 0;
    ok = ok && fscanf(f, " %511s", want) == 1 && strcmp(want, "tanks") == 0;
    for (int k = 0; ok && k < D->N; k++) {
        int nt = -1;
        ok = fscanf(f, " %d", &nt) == 1 && nt == D->nt[k];
    }
    for (int i = 0; ok && i < n; i++)
        ok = fscanf(f, " %lf", &u[i]) == 1 && isfinite(u[i]);
    fclose(f);
    if (!ok)
        return rx_error_set(err, RX_BAD_INPUT, path,
                            "not a state of this plant (stages, species and settler tanks must match the config)");
    if (*t0 >= p->dynamics.horizon)
        return rx_error_set(err, RX_BAD_INPUT, path, "the state is at t = %g h, not before the horizon (%g h)", *t0,
                            p->dynamics.horizon);
    return RX_OK;
}

int rx_write_state(const RxPlant *p, const RxSimResult *r, const char *path, RxError *err)
{
    RxAtomicFile a;
    int rc = rx_atomic_open(&a, path, err);
    if (rc != RX_OK)
        return rc;
    FILE *f = a.f;
    fprintf(f, "%s\nstages %d states %d time %.17g species", STATE_MAGIC, p->nstages, r->nstate, r->t_end);
    for (int j = 0; j < p->nsp; j++)
        fprintf(f, " %s", rx_plant_element(p, j)->sym);
    /* The settler tanks of every stage: the layout the values follow. */
    fputs("\ntanks", f);
    for (int i = 0; i < p->nsections; i++)
        for (int k = 0; k < p->sections[i].count; k++)
            fprintf(f, " %d", p->sections[i].settler_tanks);
    fputs("\n", f);
    for (int i = 0; i < r->nstate; i++)
        fprintf(f, "%.17g\n", r->state[i]);
    return rx_atomic_close(&a, err);
}

/* ---- time series --------------------------------------------------------- */

static int series_columns(const RxPlant *p)
{
    return 1 + p->nproducts * (3 + p->nsp) + 1 + p->dynamics.nwatch;
}

static void series_header(const RxPlant *p, char (*h)[80])
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
static int dyn_outlet(const Dyn *D, const double *u, const char *name, double *flow, double *c)
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

static void series_row(Dyn *D, const double *u, double t, double *row)
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
    row[c++] = h > 0 ? -log10(h) + 0.0 : NAN; /* no acid left: an empty field */
    for (int i = 0; i < p->dynamics.nwatch; i++) {
        const RxWatch *w = &p->dynamics.watch[i];
        const double *src = (w->phase == RX_AQ ? D->x : D->y) + w->stage * M;
        row[c++] = src[w->species] * rx_plant_element(p, w->species)->molar_mass;
    }
}

/* ---- result -------------------------------------------------------------- */

void rx_sim_result_destroy(RxSimResult **rp)
{
    if (!rp || !*rp)
        return;
    RxSimResult *r = *rp;
    free(r->header);
    free(r->rows);
    free(r->state);
    rx_solution_destroy(&r->final);
    free(r->settle_1pct);
    free(r->settle_01pct);
    free(r->fed);
    free(r->left);
    free(r->holdup0);
    free(r->holdup);
    free(r);
    *rp = NULL;
}

/* The stage profile of state u as a steady-state-shaped solution. */
static RxSolution *profile(Dyn *D, const double *u)
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
        int mi = mixer_index(D, k);
        s->cl[k] = D->fl.A[k] * u[mi + M] / D->Vaq[k];
        for (int j = 0; j < M; j++)
            s->T[k * M + j] = u[mi + j];
    }
    return s;
}

/* First output time after which the column stays within tol (relative) of
 * its last value (a column still moving at the end gives a time near it). */
static double settle_time(const RxSimResult *r, int col, double tol)
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


/* ---- structured linear solver ---------------------------------------------
 *
 * CVODES' Newton needs (I - gamma J) dx = b.  The settler tanks are linear
 * and species-diagonal, so they are eliminated stage by stage; what remains
 * couples only the mixers, each to its two neighbours: a block-tridiagonal
 * system with (M+1) x (M+1) blocks, solved by block Thomas over LAPACK LU
 * factors.  That is O(N (M+1)^3) work instead of a band LU of the whole
 * state, and the Jacobian comes from the stage model's split derivatives
 * instead of difference quotients.  It is a matrix-embedded SUNLinearSolver:
 * at each solve it asks CVODES for gamma and the current iterate, refreshes
 * the Jacobian once per step and refactors when gamma changes.
 */
typedef struct {
    Dyn *D;
    void *cvode;
    int K;                  /* M + 1: metals and chloride */
    double *Xm, *Ym;        /* N*K*K: d(aq conc incl. Cl)/d(mixer), d(org conc)/d(mixer) */
    double *LU, *G, *z;     /* N*K*K factors, N*K*K D'^-1 U, N*K forward sweep */
    int *piv;               /* N*K */
    double fact_gamma;
    int have_jac, have_fact;
    long jac_evals;
    long jac_step, jac_fails; /* step count and convergence failures at the last Jacobian */
} Block;

/* Multiplier of a stage's outlet concentration change on its mixer change,
 * through nt tanks of volume V at flow Q: (q of the last tank)/V, or 1 with
 * no settler.  s = 1/(1 + beta), beta = gamma Q / V. */
static double outlet_gain(double gamma, double Q, double V, int nt)
{
    if (nt == 0)
        return 1.0;
    double beta = gamma * Q / V, s = 1.0 / (1.0 + beta), q = s * gamma * Q;
    for (int t = 1; t < nt; t++)
        q *= s * beta;
    return q / V;
}

/* Jacobian of the mixers' outlet concentrations at state u. */
static int block_jacobian(Block *B, const double *u)
{
    Dyn *D = B->D;
    const RxPlant *p = D->p;
    int M = D->M, K = B->K;
    double T[RX_MAX_SPECIES], x[RX_MAX_SPECIES], y[RX_MAX_SPECIES], dadcl[RX_MAX_SPECIES];
    double dadT[RX_MAX_SPECIES * RX_MAX_SPECIES], dodT[RX_MAX_SPECIES * RX_MAX_SPECIES];
    for (int k = 0; k < D->N; k++) {
        int mi = mixer_index(D, k);
        for (int j = 0; j < M; j++)
            T[j] = fmax(u[mi + j], 0.0);
        double cl = fmax(u[mi + M], 0.0);
        RxStageIn in = {M, T, p->charge, cl, D->Vaq[k], D->Vorg[k], p->extractant_conc, 0, p->ka_hso4};
        RxStageOut out = {x, y, 0, 0, dadT, dodT, 0, dadcl};
        if (rx_model_split(p, &in, D->guess + 2 * k, &out) != RX_OK)
            return 1;
        double *X = B->Xm + (size_t)k * (size_t)(K * K), *Y = B->Ym + (size_t)k * (size_t)(K * K);
        memset(X, 0, sizeof(double) * (size_t)(K * K));
        memset(Y, 0, sizeof(double) * (size_t)(K * K));
        for (int j = 0; j < M; j++)
            for (int i = 0; i < M; i++) {
                X[i + j * K] = dadT[i + j * M] / D->Vaq[k];
                Y[i + j * K] = dodT[i + j * M] / D->Vorg[k];
            }
        for (int i = 0; i < M; i++) {
            X[i + M * K] = dadcl[i] / D->Vaq[k];
            Y[i + M * K] = -dadcl[i] / D->Vorg[k];
        }
        X[M + M * K] = 1.0 / D->Vaq[k]; /* chloride concentration = amount / volume */
        /* The right-hand side clamps negative amounts to 0: flat there. */
        for (int j = 0; j < K; j++)
            if (u[mi + j] < 0)
                for (int i = 0; i < K; i++)
                    X[i + j * K] = Y[i + j * K] = 0;
    }
    B->jac_evals++;
    return 0;
}

/* c += a * A b for K x K column-major A. */
static void matvec_add(int K, double a, const double *A, const double *b, double *c)
{
    for (int j = 0; j < K; j++) {
        double bj = a * b[j];
        for (int i = 0; i < K; i++)
            c[i] += A[i + j * K] * bj;
    }
}

static int block_factor(Block *B, double gamma)
{
    Dyn *D = B->D;
    int N = D->N, K = B->K, M = D->M;
    size_t KK = (size_t)(K * K);
    double Dk[RX_MAX_SPECIES * RX_MAX_SPECIES * 2], U[(RX_MAX_SPECIES + 1) * (RX_MAX_SPECIES + 1)];
    for (int k = 0; k < N; k++) {
        const double *X = B->Xm + (size_t)k * KK, *Y = B->Ym + (size_t)k * KK;
        double A = D->fl.A[k], O = D->fl.O[k];
        for (size_t e = 0; e < KK; e++)
            Dk[e] = gamma * (A * X[e] + O * Y[e]);
        for (int i = 0; i < K; i++)
            Dk[i + i * K] += 1.0;
        if (k > 0) {
            /* Dk -= L_k G_{k-1}, L_k = -gamma po O c' Y_{k-1}. */
            double c = gamma * D->fl.po[k - 1] * D->fl.O[k - 1] *
                       outlet_gain(gamma, D->fl.O[k - 1], D->Vto[k - 1], D->nt[k - 1]);
            const double *Yp = B->Ym + (size_t)(k - 1) * KK, *Gp = B->G + (size_t)(k - 1) * KK;
            for (int j = 0; j < K; j++)
                matvec_add(K, c, Yp, Gp + j * K, Dk + j * K);
        }
        double *LU = B->LU + (size_t)k * KK;
        memcpy(LU, Dk, sizeof(double) * KK);
        if (rx_dense_factor(K, LU, B->piv + k * K) != RX_OK)
            return 1;
        if (k < N - 1) {
            /* G_k = D'^-1 U_k, U_k = -gamma pa A c X_{k+1}. */
            double c = -gamma * D->fl.pa[k + 1] * D->fl.A[k + 1] *
                       outlet_gain(gamma, D->fl.A[k + 1], D->Vta[k + 1], D->nt[k + 1]);
            const double *Xn = B->Xm + (size_t)(k + 1) * KK;
            for (size_t e = 0; e < KK; e++)
                U[e] = c * Xn[e];
            memcpy(B->G + (size_t)k * KK, U, sizeof(double) * KK);
            rx_dense_lu_solve(K, K, LU, B->piv + k * K, B->G + (size_t)k * KK);
        }
    }
    (void)M;
    B->fact_gamma = gamma;
    return 0;
}

/* The aqueous (phase 0) or organic (1) tank recursion of stage k: with
 * dc = d(mixer outlet conc), fills the tank increments in x from b; returns
 * in last the tank-only part p of the last tank (dc = 0). */
static void tank_sweep(const Dyn *D, int k, int phase, double gamma, const double *b, const double *dc, double *x,
                       double *last)
{
    int M = D->M, width = phase == 0 ? M + 1 : M, nt = D->nt[k];
    double Q = phase == 0 ? D->fl.A[k] : D->fl.O[k], V = phase == 0 ? D->Vta[k] : D->Vto[k];
    double beta = gamma * Q / V, s = 1.0 / (1.0 + beta);
    for (int t = 0; t < nt; t++) {
        int i0 = phase == 0 ? aq_tank_index(D, k, t) : org_tank_index(D, k, t);
        int ip = t == 0 ? -1 : (phase == 0 ? aq_tank_index(D, k, t - 1) : org_tank_index(D, k, t - 1));
        for (int j = 0; j < width; j++) {
            double prev = t == 0 ? gamma * Q * (dc ? dc[j] : 0) : beta * x[ip + j];
            x[i0 + j] = s * (b[i0 + j] + prev);
        }
    }
    if (last && nt > 0) {
        int il = phase == 0 ? aq_tank_index(D, k, nt - 1) : org_tank_index(D, k, nt - 1);
        for (int j = 0; j < width; j++)
            last[j] = x[il + j] / V;
    }
}

static int block_solve(SUNLinearSolver LS, SUNMatrix A, N_Vector xv, N_Vector bv, sunrealtype tol)
{
    (void)A;
    (void)tol;
    Block *B = LS->content;
    Dyn *D = B->D;
    int N = D->N, M = D->M, K = B->K;
    size_t KK = (size_t)(K * K);
    sunrealtype tcur, gamma, rl1;
    N_Vector ypred, yn, fn, zn1;
    void *ud;
    if (CVodeGetNonlinearSystemData(B->cvode, &tcur, &ypred, &yn, &fn, &gamma, &rl1, &zn1, &ud) != CV_SUCCESS)
        return SUNLS_PACKAGE_FAIL_UNREC;
    /* A Jacobian is kept for DYN_JAC_STEPS steps, as CVODES does with its
     * own, unless a nonlinear iteration failed to converge since. */
    long nst = 0, ncf = 0;
    CVodeGetNumSteps(B->cvode, &nst);
    CVodeGetNumNonlinSolvConvFails(B->cvode, &ncf);
    if (!B->have_jac || ncf != B->jac_fails || nst >= B->jac_step + DYN_JAC_STEPS) {
        if (block_jacobian(B, N_VGetArrayPointer(yn)))
            return SUNLS_PACKAGE_FAIL_REC;
        B->jac_step = nst;
        B->jac_fails = ncf;
        B->have_jac = 1;
        B->have_fact = 0;
    }
    /* Factors are kept while gamma stays within DYN_DGMAX of theirs; the
     * solution is then scaled by 2/(1 + gamma ratio), CVODES' own correction
     * for BDF (it cannot apply it to a matrix-embedded solver). */
    if (!B->have_fact || fabs(gamma / B->fact_gamma - 1.0) > DYN_DGMAX) {
        if (block_factor(B, gamma))
            return SUNLS_LUFACT_FAIL;
        B->have_fact = 1;
    }
    double gamrat = gamma / B->fact_gamma;
    gamma = B->fact_gamma; /* the sweeps below must use the factors' gamma */
    const double *b = N_VGetArrayPointer(bv);
    double *x = N_VGetArrayPointer(xv);
    double pa[RX_MAX_SPECIES + 1], po[RX_MAX_SPECIES + 1], dc[RX_MAX_SPECIES + 1];
    /* Forward: tank-only parts of the outlets, then the mixer sweep. */
    for (int k = 0; k < N; k++) {
        int mi = mixer_index(D, k);
        double *zk = B->z + (size_t)k * (size_t)K;
        for (int j = 0; j < K; j++)
            zk[j] = b[mi + j];
        if (k + 1 < N && D->nt[k + 1] > 0) {
            tank_sweep(D, k + 1, 0, gamma, b, NULL, x, pa);
            for (int j = 0; j < K; j++)
                zk[j] += gamma * D->fl.pa[k + 1] * D->fl.A[k + 1] * pa[j];
        }
        if (k > 0) {
            if (D->nt[k - 1] > 0) {
                tank_sweep(D, k - 1, 1, gamma, b, NULL, x, po);
                for (int j = 0; j < M; j++)
                    zk[j] += gamma * D->fl.po[k - 1] * D->fl.O[k - 1] * po[j];
            }
            double c = gamma * D->fl.po[k - 1] * D->fl.O[k - 1] *
                       outlet_gain(gamma, D->fl.O[k - 1], D->Vto[k - 1], D->nt[k - 1]);
            matvec_add(K, c, B->Ym + (size_t)(k - 1) * KK, B->z + (size_t)(k - 1) * (size_t)K, zk);
        }
        rx_dense_lu_solve(K, 1, B->LU + (size_t)k * KK, B->piv + k * K, zk);
    }
    /* Backward: mixers, then each stage's tanks from its mixer's change. */
    for (int k = N - 1; k >= 0; k--) {
        int mi = mixer_index(D, k);
        double *xm = x + mi;
        memcpy(xm, B->z + (size_t)k * (size_t)K, sizeof(double) * (size_t)K);
        if (k + 1 < N) {
            const double *G = B->G + (size_t)k * KK, *xn = x + mixer_index(D, k + 1);
            for (int j = 0; j < K; j++)
                for (int i = 0; i < K; i++)
                    xm[i] -= G[i + j * K] * xn[j];
        }
    }
    for (int k = 0; k < N; k++) {
        const double *xm = x + mixer_index(D, k);
        for (int j = 0; j < K; j++)
            dc[j] = 0;
        matvec_add(K, 1.0, B->Xm + (size_t)k * KK, xm, dc);
        tank_sweep(D, k, 0, gamma, b, dc, x, NULL);
        for (int j = 0; j < K; j++)
            dc[j] = 0;
        matvec_add(K, 1.0, B->Ym + (size_t)k * KK, xm, dc);
        tank_sweep(D, k, 1, gamma, b, dc, x, NULL);
    }
    if (gamrat != 1.0)
        N_VScale(2.0 / (1.0 + gamrat), xv, xv);
    return SUNLS_SUCCESS;
}

/* Forget the Jacobian and factors (after the integrator restarts). */
static void block_reset(Block *B)
{
    B->have_jac = B->have_fact = 0;
    B->jac_step = B->jac_fails = 0;
}

static SUNLinearSolver_Type block_type(SUNLinearSolver LS)
{
    (void)LS;
    return SUNLINEARSOLVER_MATRIX_EMBEDDED;
}

/* The solve is exact, so it needs no weights; having this operation spares
 * CVLS computing a mean weight for it at every solve. */
static int block_scaling(SUNLinearSolver LS, N_Vector s1, N_Vector s2)
{
    (void)LS;
    (void)s1;
    (void)s2;
    return SUNLS_SUCCESS;
}

static int block_free(SUNLinearSolver LS)
{
    if (!LS)
        return SUNLS_SUCCESS;
    Block *B = LS->content;
    if (B) {
        free(B->Xm);
        free(B->Ym);
        free(B->LU);
        free(B->G);
        free(B->z);
        free(B->piv);
        free(B);
    }
    LS->content = NULL;
    SUNLinSolFreeEmpty(LS);
    return SUNLS_SUCCESS;
}

static SUNLinearSolver block_create(Dyn *D, void *cvode, SUNContext sctx)
{
    SUNLinearSolver LS = SUNLinSolNewEmpty(sctx);
    Block *B = calloc(1, sizeof *B);
    if (!LS || !B) {
        free(B);
        if (LS)
            SUNLinSolFreeEmpty(LS);
        return NULL;
    }
    B->D = D;
    B->cvode = cvode;
    B->K = D->M + 1;
    size_t KK = (size_t)(B->K * B->K), N = (size_t)D->N;
    B->Xm = calloc(N * KK, sizeof(double));
    B->Ym = calloc(N * KK, sizeof(double));
    B->LU = calloc(N * KK, sizeof(double));
    B->G = calloc(N * KK, sizeof(double));
    B->z = calloc(N * (size_t)B->K, sizeof(double));
    B->piv = calloc(N * (size_t)B->K, sizeof(int));
    LS->content = B;
    LS->ops->gettype = block_type;
    LS->ops->solve = block_solve;
    LS->ops->setscalingvectors = block_scaling;
    LS->ops->free = block_free;
    if (!B->Xm || !B->Ym || !B->LU || !B->G || !B->z || !B->piv) {
        block_free(LS);
        return NULL;
    }
    return LS;
}

/* ---- the run ------------------------------------------------------------- */

/* Name of state component i: "stage 12/settler aq 2/Nd". */
static void component_name(const Dyn *D, int i, char *out, size_t n)
{
    int k = 0;
    while (k + 1 < D->N && D->off[k + 1] <= i)
        k++;
    int M = D->M, mi = mixer_index(D, k), r = i - D->off[k];
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

/* CVODES reports through this instead of printing: the core never prints. */
static void keep_error(int code, const char *module, const char *function, char *msg, void *data)
{
    (void)code;
    Dyn *D = data;
    snprintf(D->cvode_msg, sizeof D->cvode_msg, "%s %s: %s", module, function, msg);
}

/* Add the integrator's counters of this segment to r. */
static void add_stats(void *mem, RxSimResult *r)
{
    long v[2] = {0, 0};
    CVodeGetNumSteps(mem, &v[0]);
    CVodeGetNumRhsEvals(mem, &v[1]);
    r->steps += v[0];
    r->rhs_evals += v[1];
}

/* Metal fed over dt hours at the current feeds, added to fed (mol). */
static void add_fed(const Dyn *D, double dt, double *fed)
{
    for (int k = 0; k < D->N; k++)
        for (int j = 0; j < D->M; j++)
            fed[j] += dt * D->fl.f[k * D->M + j];
}

static int apply_events_at(Dyn *D, double t, int *next)
{
    const RxDynamicsSpec *ds = &D->p->dynamics;
    int any = 0;
    while (*next < ds->nevents && ds->events[*next].time <= t + DYN_TIME_EPS) {
        D->feeds[ds->events[*next].feed] = ds->events[*next].state;
        (*next)++;
        any = 1;
    }
    if (any)
        rx_cascade_flows(D->p, D->feeds, &D->fl);
    return any;
}

int rx_simulate(const RxPlant *p, RxProgressFn progress, void *ctx, RxSimResult **out, RxError *err)
{
    const RxDynamicsSpec *ds = &p->dynamics;
    if (!ds->present)
        return rx_error_set(err, RX_BAD_INPUT, p->path, "dynamics: missing (simulate needs a dynamics group)");
    if (ds->refused.code != RX_OK) {
        if (err)
            *err = ds->refused;
        return ds->refused.code;
    }
    double t_start = rx_clock();
    Dyn D;
    SUNContext sctx = NULL;
    N_Vector y = NULL, q = NULL, atol = NULL, ele = NULL, ewt = NULL;
    SUNLinearSolver LS = NULL;
    void *mem = NULL;
    RxSimResult *r = calloc(1, sizeof *r);
    int rc = dyn_setup(&D, p, err);
    if (!r && rc == RX_OK)
        rc = rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    if (rc != RX_OK)
        goto done;
    double rows = ceil(ds->horizon / ds->interval - DYN_TIME_EPS) + 1;
    int M = D.M, n = D.n, nout = rows < DYN_MAX_ROWS ? (int)rows : DYN_MAX_ROWS;
    r->ncols = series_columns(p);
    r->header = calloc((size_t)r->ncols, sizeof *r->header);
    r->rows = calloc((size_t)nout * (size_t)r->ncols, sizeof(double));
    r->state = calloc((size_t)n, sizeof(double));
    r->settle_1pct = calloc((size_t)(p->nproducts + 1), sizeof(double));
    r->settle_01pct = calloc((size_t)(p->nproducts + 1), sizeof(double));
    r->fed = calloc((size_t)M, sizeof(double));
    r->left = calloc((size_t)M, sizeof(double));
    r->holdup0 = calloc((size_t)M, sizeof(double));
    r->holdup = calloc((size_t)M, sizeof(double));
    if (!r->header || !r->rows || !r->state || !r->settle_1pct || !r->settle_01pct || !r->fed || !r->left ||
        !r->holdup0 || !r->holdup) {
        rc = rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
        goto done;
    }
    series_header(p, r->header);
    r->nstate = n;

    if (SUNContext_Create(NULL, &sctx) != 0 || !(y = N_VNew_Serial(n, sctx)) || !(q = N_VNew_Serial(M, sctx)) ||
        !(atol = N_VNew_Serial(n, sctx)) || !(ele = N_VNew_Serial(n, sctx)) || !(ewt = N_VNew_Serial(n, sctx))) {
        rc = rx_error_set(err, RX_NO_MEMORY, NULL, "cannot create SUNDIALS vectors");
        goto done;
    }
    /* Fused vector operations: fewer passes over the state per step. */
    N_VEnableFusedOps_Serial(y, SUNTRUE);
    double *u = N_VGetArrayPointer(y), t = 0;
    if (ds->initial == RX_START_STEADY)
        rc = start_steady(&D, u, err);
    else if (ds->initial == RX_START_STATE)
        rc = start_from_file(&D, u, &t, err);
    else
        start_barren(&D, u);
    if (rc != RX_OK)
        goto done;
    /* Events before the start time (a restart) are already in force. */
    int next_event = 0;
    apply_events_at(&D, t, &next_event);
    holdup(&D, u, r->holdup0);
    /* Absolute tolerance: atol (mol/L) times each compartment's volume. */
    double *at = N_VGetArrayPointer(atol);
    for (int k = 0; k < D.N; k++) {
        int mi = mixer_index(&D, k);
        for (int j = 0; j <= M; j++)
            at[mi + j] = ds->atol * (D.Vaq[k] + (j < M ? D.Vorg[k] : 0));
        for (int tk = 0; tk < D.nt[k]; tk++) {
            for (int j = 0; j <= M; j++)
                at[aq_tank_index(&D, k, tk) + j] = ds->atol * D.Vta[k];
            for (int j = 0; j < M; j++)
                at[org_tank_index(&D, k, tk) + j] = ds->atol * D.Vto[k];
        }
    }
    N_VConst(0.0, q);
    if (!(mem = CVodeCreate(CV_BDF, sctx)) || CVodeInit(mem, rhs, t, y) != CV_SUCCESS ||
        CVodeSVtolerances(mem, ds->rtol, atol) != CV_SUCCESS || CVodeSetUserData(mem, &D) != CV_SUCCESS ||
        CVodeSetErrHandlerFn(mem, keep_error, &D) != CV_SUCCESS ||
        CVodeSetMaxNumSteps(mem, ds->max_steps) != CV_SUCCESS || !(LS = block_create(&D, mem, sctx)) ||
        CVodeSetLinearSolver(mem, LS, NULL) != CV_SUCCESS ||
        CVodeQuadInit(mem, quad_rhs, q) != CV_SUCCESS ||
        CVodeQuadSStolerances(mem, ds->rtol, ds->atol * circuit_volume(&D)) != CV_SUCCESS ||
        CVodeSetQuadErrCon(mem, SUNTRUE) != CV_SUCCESS) {
        rc = rx_error_set(err, RX_NO_MEMORY, NULL, "cannot set up CVODES");
        goto done;
    }
    /* Rows at t0 + i * interval up to the horizon (measured from time 0). */
    double horizon = ds->horizon;
    int flag = CV_SUCCESS;
    split_mixers(&D, u);
    series_row(&D, u, t, r->rows);
    r->nrows = 1;
    double next_out = t + ds->interval, t_seg = t;
    while (t < horizon - DYN_TIME_EPS) {
        double t_event = next_event < ds->nevents ? ds->events[next_event].time : horizon;
        double tstop = fmin(t_event, horizon), tout = fmin(next_out, tstop);
        CVodeSetStopTime(mem, tstop);
        flag = CVode(mem, tout, y, &t, CV_NORMAL);
        if (flag < 0)
            break;
        if (t >= next_out - DYN_TIME_EPS || t >= horizon - DYN_TIME_EPS) {
            if (r->nrows < nout) {
                split_mixers(&D, u);
                series_row(&D, u, t, r->rows + (size_t)r->nrows * (size_t)r->ncols);
                r->nrows++;
            }
            next_out += ds->interval;
            if (progress)
                progress(t, horizon, ctx);
        }
        if (t >= t_event - DYN_TIME_EPS && next_event < ds->nevents) {
            double seg = t; /* quadratures so far survive the restart */
            long taken = 0;
            CVodeGetNumSteps(mem, &taken);
            if (taken > 0)
                CVodeGetQuad(mem, &seg, q);
            add_fed(&D, t - t_seg, r->fed);
            t_seg = t;
            add_stats(mem, r); /* CVodeReInit zeroes the counters */
            apply_events_at(&D, t, &next_event);
            block_reset(LS->content); /* CVodeReInit zeroes the counters it keys on */
            if (CVodeReInit(mem, t, y) != CV_SUCCESS || CVodeQuadReInit(mem, q) != CV_SUCCESS) {
                flag = CV_ILL_INPUT;
                break;
            }
        }
    }
    r->t_end = t;
    add_fed(&D, t - t_seg, r->fed);
    double tq = t;
    long taken = 0;
    CVodeGetNumSteps(mem, &taken);
    if (flag >= 0 && taken > 0 && CVodeGetQuad(mem, &tq, q) != CV_SUCCESS)
        N_VConst(0.0, q);
    add_stats(mem, r);
    r->jac_evals = ((Block *)LS->content)->jac_evals;
    memcpy(r->state, u, sizeof(double) * (size_t)n);
    memcpy(r->left, N_VGetArrayPointer(q), sizeof(double) * (size_t)M);
    holdup(&D, u, r->holdup);
    split_mixers(&D, u);
    r->final = profile(&D, u);
    for (int i = 0; i < p->nproducts; i++) {
        int col = 1 + i * (3 + M) + 1;
        r->settle_1pct[i] = settle_time(r, col, DYN_SETTLE_1);
        r->settle_01pct[i] = settle_time(r, col, DYN_SETTLE_01);
    }
    r->seconds = rx_clock() - t_start;
    r->completed = flag >= 0 && t >= horizon - DYN_TIME_EPS;
    if (flag < 0) {
        double tf = t;
        CVodeGetCurrentTime(mem, &tf);
        char where[160] = "unknown";
        if (D.bad_stage >= 0)
            snprintf(where, sizeof where, "stage %d (equilibrium solve)", D.bad_stage + 1);
        else if (CVodeGetEstLocalErrors(mem, ele) == CV_SUCCESS && CVodeGetErrWeights(mem, ewt) == CV_SUCCESS) {
            const double *e = N_VGetArrayPointer(ele), *w = N_VGetArrayPointer(ewt);
            int worst = 0;
            for (int i = 1; i < n; i++)
                if (fabs(e[i] * w[i]) > fabs(e[worst] * w[worst]))
                    worst = i;
            component_name(&D, worst, where, sizeof where);
        }
        char *flagname = CVodeGetReturnFlagName(flag);
        rc = rx_error_set(err, RX_NOT_CONVERGED, p->path,
                          "integration failed at t = %.6g h, largest error at %s: %s (%s)", tf, where,
                          flagname ? flagname : "?", D.cvode_msg);
        free(flagname);
    }
done:
    if (rc == RX_OK || (r && r->rows && r->final))
        *out = r;
    else
        rx_sim_result_destroy(&r);
    CVodeFree(&mem);
    SUNLinSolFree(LS);
    if (y)
        N_VDestroy(y);
    if (q)
        N_VDestroy(q);
    if (atol)
        N_VDestroy(atol);
    if (ele)
        N_VDestroy(ele);
    if (ewt)
        N_VDestroy(ewt);
    SUNContext_Free(&sctx);
    dyn_free(&D);
    return rc;
}
