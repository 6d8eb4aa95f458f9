/*
 * cli/cost.c - reesx cost: capital, operating cost, cost per kg and NPV of a
 * circuit or of a whole flowsheet, and how sensitive they are to each input.
 */
#include "cli/cli.h"

#include <math.h>
#include <stdio.h>

const char cli_cost_usage[] =
    "usage: reesx cost CONFIG [-o DIR] [-q] [--report [--figures FDIR] [--element X]]\n"
    "\n"
    "Solve the circuit in CONFIG and cost it (docs/cost.md): mixer-settler\n"
    "equipment from the stage holdups (a cost-capacity relation escalated with\n"
    "the CEPCI), installation (Lang factor), solvent first fill; acid, base,\n"
    "solvent lost by entrainment, mixer power, labour, maintenance and taxes;\n"
    "revenue from oxide prices; cost per kg of product REO and a simple NPV, and\n"
    "how each input moves them at +-20 %.  Prices and factors come from\n"
    "models/data/costs.tsv (each with its source and year); the config's cost\n"
    "group overrides them.  Every section needs its holdups (mixer, settler).\n"
    "\n"
    "  CONFIG          plant description, or a flowsheet (every circuit costed;\n"
    "                  revenue from the products no circuit takes in)\n"
    "  -o, --output DIR  write cost.json and sensitivity.csv to DIR (default: .)\n"
    "  -q, --quiet     print nothing but errors\n"
    CLI_REPORT_OPTIONS
    "  -h, --help      this help\n"
    "\n"
    "exit status: 0 ok, 2 bad input (a missing holdup or price is named),\n"
    "3 not converged, 4 cannot write output\n";

/* What cost computed: a circuit (plant, s) or a flowsheet (fs, fr). */
typedef struct Costed {
    RxPlant *p;
    RxSolution *s;
    RxFlowsheet *fs;
    RxFlowsheetResult *fr;
    RxCostResult c;
} Costed;

static int compute(const char *cfg, Costed *k, RxError *err)
{
    int rc = rx_load(cfg, &k->p, &k->fs, err); /* read once: CONFIG may be a pipe */
    if (rc == RX_OK && k->fs) { /* the whole refinery: every circuit, the final products */
        rc = rx_flowsheet_solve(k->fs, &k->fr, err);
        if (rc == RX_OK)
            rc = rx_cost_flowsheet(k->fs, k->fr, &k->c, err);
    } else if (rc == RX_OK) {
        rc = rx_circuit_solve(k->p, &k->s, err);
        if (rc == RX_OK)
            rc = rx_cost(k->p, k->s, &k->c, err);
    }
    return rc;
}

static void release(Costed *k)
{
    rx_solution_destroy(&k->s);
    rx_plant_destroy(&k->p);
    rx_flowsheet_result_destroy(&k->fr);
    rx_flowsheet_destroy(&k->fs);
}

static void print_sensitivity(const RxCostResult *c)
{
    printf("  sensitivity (each input -20 %% / +20 %%), largest swing first:\n");
    /* swing: change of the cost per kg relative to it, plus the change
     * of the NPV relative to the capital */
    int order[RX_MAX_SENSITIVITY];
    double swing[RX_MAX_SENSITIVITY];
    for (int i = 0; i < c->nsens; i++) {
        const RxSensitivity *t = &c->sens[i];
        swing[i] = fabs(t->cost_hi - t->cost_lo) / c->cost_per_kg + fabs(t->npv_hi - t->npv_lo) / c->tasc;
        int k = i;
        for (; k > 0 && swing[order[k - 1]] < swing[i]; k--)
            order[k] = order[k - 1];
        order[k] = i;
    }
    for (int i = 0; i < c->nsens; i++) {
        const RxSensitivity *t = &c->sens[order[i]];
        printf("    %-22s cost %9.4g / %-9.4g USD/kg   NPV %11.4g / %-11.4g USD\n", t->input, t->cost_lo,
               t->cost_hi, t->npv_lo, t->npv_hi);
    }
}

int cli_cost(const CliArgs *a)
{
    RxError err;
    rx_error_clear(&err);
    Costed k = {0};
    int rc = compute(a->cfg, &k, &err);
    if (rc != RX_OK) {
        cli_print_error(&err);
        release(&k);
        return cli_exit_for(rc);
    }
    if (!a->quiet) {
        if (k.fs) {
            cli_print_title("flowsheet ", k.fs->path, k.fs->title);
            for (int i = 0; i < k.fs->n; i++) {
                char who[RX_NAME_LEN + 16];
                snprintf(who, sizeof who, " of circuit %s", k.fs->name[i]);
                cli_print_constants(who, k.fs->plant[i]);
            }
        } else {
            cli_print_title("", k.p->path, k.p->title);
            cli_print_constants("", k.p);
        }
        cli_print_cost(&k.c);
        print_sensitivity(&k.c);
    }
    /* Only the cost's files: cost writes no stages.csv of the circuit it solved. */
    RxOutputs o = {.plant = k.p, .cost = &k.c, .flowsheet = k.fs, .flowsheet_result = k.fr};
    RxWritten w;
    rc = cli_write_outputs(&o, a->outdir, &w);
    if (rc == RX_OK && !a->quiet)
        cli_print_wrote(a->outdir, &w, 1);
    release(&k);
    return rc == RX_OK ? 0 : cli_exit_for(rc);
}
