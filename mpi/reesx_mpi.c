/*
 * mpi/reesx_mpi.c - reesx-mpi: reesx uncertainty with its samples shared
 * out over MPI ranks (Open MPI; docs/scale.md).
 *
 *   mpirun -n R reesx-mpi uncertainty CONFIG [-o DIR] [-q]
 *
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
 */
#include "cli/cli.h"

#include <mpi.h>
#include <stdio.h>
#include <string.h>

static const char usage[] = "usage: mpirun -n RANKS reesx-mpi uncertainty CONFIG [-o DIR] [-q]\n"
                            "\n"
                            "reesx uncertainty (reesx uncertainty --help) with the samples shared out over\n"
                            "the MPI ranks; the outputs are those of reesx uncertainty (docs/scale.md).\n";

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
    int worst = rc, any; /* every rank stops if one cannot go on */
    MPI_Allreduce(&worst, &any, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (any != RX_OK) {
        if (rank == 0 && rc != RX_OK)
            cli_print_error(&err);
        else if (rank == 0)
            fprintf(stderr, "reesx-mpi: %s: another rank could not load or prepare the run\n", a->cfg);
        rx_unc_result_destroy(&r);
        rx_plant_destroy(&p);
        return cli_exit_for(rc != RX_OK ? rc : any);
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

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int status;
    if (argc < 2 || strcmp(argv[1], "uncertainty") != 0) {
        if (rank == 0)
            fputs(usage, stderr);
        status = EXIT_USAGE;
    } else {
        CliArgs a = {.cfg = NULL, .outdir = ".", .quiet = 0};
        int k = cli_parse_args("uncertainty", cli_uncertainty_usage, argc - 2, argv + 2, &a);
        status = k > 0 ? 0 : k < 0 ? EXIT_USAGE : run(&a, rank, size);
    }
    MPI_Finalize();
    return status;
}
