/*
 * mpi/reesx_mpi.c - reesx-mpi: reesx uncertainty with its samples, and
 * reesx design with its candidates, shared out over MPI ranks (Open MPI;
 * docs/scale.md).
 *
 *   mpirun -n R reesx-mpi uncertainty CONFIG [-o DIR] [-q]
 *   mpirun -n R reesx-mpi design CONFIG [-o DIR] [-q]
 *
 * uncertainty:
 * Every rank loads CONFIG (a file every rank can read), solves the nominal
 * plant and draws every sample's inputs from the seed, exactly as the
 * single-process run does (rx_uncertainty_prepare); rank r then solves the
 * contiguous block of samples [r n / R, (r + 1) n / R) on
 * uncertainty.threads threads, and rank 0 gathers the blocks, summarises
 * and prints and writes what reesx uncertainty would.  A sample's result
 * depends on its index and the seed alone (each is solved from the
 * nominal solution), so the outputs are those of reesx uncertainty, to the
 * last digit, on any number of ranks and threads.  The ranks must run the
 * same binary (the samples travel as bytes).
 *
 * design: every rank loads CONFIG and runs the search as one share of it
 * (rx_design_shared): rank r solves the flow points t with t % R == r, on
 * design.threads threads.  A flow point's circuits may start from its flow
 * neighbour's (design/trail.h), which another rank solves: each rank
 * sends the circuits its readers on other ranks need as it solves them
 * (point to point, from the worker threads: MPI_THREAD_MULTIPLE), and a
 * thread of its own receives theirs.  Every rank then gathers every
 * candidate, so all take the same choice (a flowsheet's passes go on
 * alike on every rank), and rank 0 prints and writes what reesx design
 * would, to the last digit.
 */
#include "cli/cli.h"
#include "config/config.h"
#include "design/search.h"
#include "design/trail.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] = "usage: mpirun -n RANKS reesx-mpi uncertainty CONFIG [-o DIR] [-q] [--report]\n"
                            "       mpirun -n RANKS reesx-mpi design CONFIG [-o DIR] [-q] [--report]\n"
                            "\n"
                            "reesx uncertainty (reesx uncertainty --help) with the samples, or reesx design\n"
                            "(reesx design --help) with the candidates, shared out over the MPI ranks; the\n"
                            "outputs are those of the reesx command (docs/scale.md).\n";

/* This rank's block of n samples. */
static void block(int n, int rank, int size, int *i0, int *i1)
{
    *i0 = (int)((long long)n * rank / size);
    *i1 = (int)((long long)n * (rank + 1) / size);
}

/* Every rank's block of r's samples into rank 0's r->samples. */
static int gather(RxUncResult *r, int rank, int size)
{
    int counts[size], displs[size];
    for (int k = 0; k < size; k++) {
        int i0, i1;
        block(r->n, k, size, &i0, &i1);
        counts[k] = (i1 - i0) * (int)sizeof(RxUncSample);
        displs[k] = i0 * (int)sizeof(RxUncSample);
    }
    void *mine = r->samples + displs[rank] / (int)sizeof(RxUncSample);
    return MPI_Gatherv(rank == 0 ? MPI_IN_PLACE : mine, counts[rank], MPI_BYTE, r->samples, counts, displs, MPI_BYTE,
                       0, MPI_COMM_WORLD);
}

/* Every rank stops if one cannot go on (a rank that cannot read CONFIG
 * would otherwise leave the others waiting for it): rc is this rank's
 * status, err its error; returns the worst over the ranks, which rank 0
 * alone reports. */
static int all_go_on(int rc, const RxError *err, const char *cfg, int rank)
{
    int any;
    MPI_Allreduce(&rc, &any, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (any != RX_OK && rank == 0) {
        if (rc != RX_OK)
            cli_print_error(err);
        else
            fprintf(stderr, "reesx-mpi: %s: another rank could not load or prepare the run\n", cfg);
    }
    return rc != RX_OK ? rc : any;
}

/* The run on every rank; rank 0's exit status (the others return 0 once
 * they have handed their block over, or the same failure). */
static int run(const CliArgs *a, int rank, int size)
{
    RxError err;
    rx_error_clear(&err);
    RxPlant *p = NULL;
    RxUncResult *r = NULL;
    int rc = rx_plant_load(a->cfg, &p, &err);
    if (rc == RX_OK)
        rc = rx_uncertainty_prepare(p, 0, &r, &err);
    int any = all_go_on(rc, &err, a->cfg, rank);
    if (any != RX_OK) {
        rx_unc_result_destroy(&r);
        rx_plant_destroy(&p);
        return cli_exit_for(any);
    }
    if (rank == 0 && !a->quiet) {
        cli_print_title("", p->path, p->title);
        cli_print_constants("", p);
        printf("MPI: %d ranks, %d samples each (about), %d threads per rank\n", size, r->n / size, r->threads);
    }
    int i0, i1;
    block(r->n, rank, size, &i0, &i1);
    double t0 = MPI_Wtime();
    rc = rx_uncertainty_solve(r, i0, i1, NULL, NULL);
    double mine = MPI_Wtime() - t0, slowest;
    MPI_Reduce(&mine, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    int status = gather(r, rank, size) == MPI_SUCCESS ? rc : RX_IO_ERROR;
    MPI_Allreduce(&status, &any, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    int exit_status = 0;
    if (any != RX_OK)
        exit_status = cli_exit_for(any);
    else if (rank == 0) {
        r->seconds = slowest;
        exit_status = rx_unc_summarize(r) == RX_OK ? cli_uncertainty_report(a, p, r) : cli_exit_for(RX_NO_MEMORY);
    }
    rx_unc_result_destroy(&r);
    rx_plant_destroy(&p);
    return exit_status;
}

/* ---- design: the trails between ranks, and the candidates gathered ---- */

/* A trail message: header {task, nvars, N, M, stages[nvars]} as ints, then
 * the N*M totals; N = M = 0: the task is finished. */
#define HEAD 4

typedef struct {
    MPI_Comm comm; /* the design's own, apart from the other traffic */
} Link;

static int send_trail(void *ctx, int to, int t, const int *stages, int nvars, const RxSolution *s)
{
    const Link *l = ctx;
    int N = s ? s->N : 0, M = s ? s->M : 0;
    size_t ints = (size_t)(HEAD + nvars), bytes = ints * sizeof(int) + (size_t)N * (size_t)M * sizeof(double);
    char *buf = malloc(bytes);
    if (!buf)
        return RX_NO_MEMORY;
    int head[HEAD + RX_MAX_DESIGN_VARS] = {t, nvars, N, M};
    if (nvars > 0 && stages)
        memcpy(head + HEAD, stages, sizeof(int) * (size_t)nvars);
    memcpy(buf, head, ints * sizeof(int));
    if (s)
        memcpy(buf + ints * sizeof(int), s->T, (size_t)N * (size_t)M * sizeof(double));
    int rc = MPI_Send(buf, (int)bytes, MPI_BYTE, to, 0, l->comm) == MPI_SUCCESS ? RX_OK : RX_IO_ERROR;
    free(buf);
    return rc;
}

/* The receiver's nap between looks for a message: a circuit takes about
 * a millisecond, so a reader waits on the order of a nap at most. */
static const struct timespec nap = {0, 50000};

static int receive_trails(void *ctx, RxTrails *tr, int finishes)
{
    const Link *l = ctx;
    int rc = RX_OK;
    while (finishes > 0) {
        MPI_Message msg;
        MPI_Status st;
        int bytes, here = 0;
        /* Open MPI's blocking probe spins: polled instead, with a nap
         * between looks that leaves the cores to the search. */
        for (MPI_Improbe(MPI_ANY_SOURCE, 0, l->comm, &here, &msg, &st); !here;
             MPI_Improbe(MPI_ANY_SOURCE, 0, l->comm, &here, &msg, &st))
            nanosleep(&nap, NULL);
        MPI_Get_count(&st, MPI_BYTE, &bytes);
        char *buf;
        while (!(buf = malloc((size_t)bytes))) /* never left unreceived: its sender would wait for ever */
            nanosleep(&nap, NULL);
        MPI_Mrecv(buf, bytes, MPI_BYTE, &msg, MPI_STATUS_IGNORE);
        int head[HEAD + RX_MAX_DESIGN_VARS];
        memcpy(head, buf, sizeof(int) * HEAD);
        int t = head[0], nvars = head[1], N = head[2], M = head[3];
        memcpy(head + HEAD, buf + sizeof(int) * HEAD, sizeof(int) * (size_t)nvars);
        RxSolution *s = NULL;
        if (N == 0) {
            rx_trail_finish(tr, t);
            finishes--;
        } else if (rx_solution_alloc(&s, N, M) == RX_OK) {
            memcpy(s->T, buf + sizeof(int) * (size_t)(HEAD + nvars), sizeof(double) * (size_t)N * (size_t)M);
            if (rx_trail_add(tr, t, head + HEAD, nvars, s) != RX_OK)
                rc = RX_NO_MEMORY;
        } else
            rc = RX_NO_MEMORY; /* the trail just misses it; the search still ends */
        rx_solution_destroy(&s);
        free(buf);
    }
    return rc;
}

/* What each rank found first of what failed. */
typedef struct {
    RxError first, spec;
    long long first_at, spec_at;
} Failures;

static int gather_candidates(void *ctx, RxDesignResult *r, int *flags)
{
    const Link *l = ctx;
    int size;
    MPI_Comm_size(l->comm, &size);
    int counts[size], displs[size], mine = r->n * (int)sizeof(RxCandidate), total = 0;
    MPI_Allgather(&mine, 1, MPI_INT, counts, 1, MPI_INT, l->comm);
    for (int k = 0; k < size; k++) {
        displs[k] = total;
        total += counts[k];
    }
    RxCandidate *all = malloc(total > 0 ? (size_t)total : 1);
    int ok = all != NULL, everywhere;
    MPI_Allreduce(&ok, &everywhere, 1, MPI_INT, MPI_MIN, l->comm);
    if (!everywhere) {
        free(all);
        return RX_NO_MEMORY;
    }
    MPI_Allgatherv(r->cand ? (void *)r->cand : (void *)&mine, mine, MPI_BYTE, all, counts, displs, MPI_BYTE, l->comm);
    free(r->cand);
    r->cand = all;
    r->n = r->cap = total / (int)sizeof(RxCandidate);
    Failures f = {r->first_failure, r->spec_failure, r->first_failure_at, r->spec_failure_at}, each[size];
    MPI_Allgather(&f, (int)sizeof f, MPI_BYTE, each, (int)sizeof f, MPI_BYTE, l->comm);
    for (int k = 0; k < size; k++) {
        if (each[k].first.code != RX_OK && (r->first_failure.code == RX_OK || each[k].first_at < r->first_failure_at)) {
            r->first_failure = each[k].first;
            r->first_failure_at = each[k].first_at;
        }
        if (each[k].spec.code != RX_OK && (r->spec_failure.code == RX_OK || each[k].spec_at < r->spec_failure_at)) {
            r->spec_failure = each[k].spec;
            r->spec_failure_at = each[k].spec_at;
        }
    }
    int any;
    MPI_Allreduce(flags, &any, 1, MPI_INT, MPI_BOR, l->comm);
    *flags = any;
    return RX_OK;
}

/* reesx design as rank of size: rank 0's exit status, the others' 0. */
static int design(CliArgs *a, int rank, int size, int threading)
{
    if (threading < MPI_THREAD_MULTIPLE) {
        if (rank == 0)
            fprintf(stderr, "reesx-mpi: design needs an MPI with MPI_THREAD_MULTIPLE (this one gives level %d)\n",
                    threading);
        return EXIT_USAGE;
    }
    RxError err; /* cli_design loads CONFIG again: a few ms, against a search */
    rx_error_clear(&err);
    RxPlant *p = NULL;
    RxFlowsheet *fs = NULL;
    int rc = all_go_on(rx_load(a->cfg, &p, &fs, &err), &err, a->cfg, rank);
    rx_plant_destroy(&p);
    rx_flowsheet_destroy(&fs);
    if (rc != RX_OK)
        return cli_exit_for(rc);
    Link l;
    MPI_Comm_dup(MPI_COMM_WORLD, &l.comm);
    RxDesignShare share = {rank, size, &l, send_trail, receive_trails, gather_candidates};
    a->share = &share;
    a->quiet |= rank > 0;
    if (rank == 0 && !a->quiet)
        printf("MPI: %d ranks share the design search's flow points\n", size);
    int status = cli_design(a);
    MPI_Comm_free(&l.comm);
    return status;
}

int main(int argc, char **argv)
{
    int threading;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &threading);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int status;
    int unc = argc >= 2 && strcmp(argv[1], "uncertainty") == 0, des = argc >= 2 && strcmp(argv[1], "design") == 0;
    if (!unc && !des) {
        if (rank == 0)
            fputs(usage, stderr);
        status = EXIT_USAGE;
    } else {
        CliArgs a = {.cfg = NULL, .outdir = ".", .quiet = 0};
        int k = cli_parse_args(argv[1], unc ? cli_uncertainty_usage : cli_design_usage, argc - 2, argv + 2, &a);
        status = k > 0 ? 0 : k < 0 ? EXIT_USAGE : unc ? run(&a, rank, size) : design(&a, rank, size, threading);
        if (k == 0 && a.report && rank == 0 && (status == 0 || status == EXIT_INFEASIBLE)) {
            int rs = cli_report_after(&a);
            status = rs ? rs : status;
        }
    }
    MPI_Finalize();
    return status;
}
