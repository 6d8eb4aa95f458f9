/*
 * cli/print.c - what the commands share: their arguments, errors and exit
 * statuses, the steady-state and cost summaries, the output directory and
 * the files written to it, progress bars.
 */
#include "cli/cli.h"

#include "design/window.h"

#include "core/interrupt.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define BAR_WIDTH 40
#define BAR_FILL "########################################" /* BAR_WIDTH of them */

int cli_parse_args(const char *cmd, const char *usage, int argc, char **argv, CliArgs *a)
{
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage, stdout);
            return 1;
        } else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
            a->quiet = 1;
        else if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
            if (++i >= argc) {
                fprintf(stderr, "reesx %s: -o needs a directory\n%s", cmd, usage);
                return -1;
            }
            if (!argv[i][0]) { /* mkdir("") would report only "No such file or directory" */
                fprintf(stderr, "reesx %s: -o: an empty directory name\n", cmd);
                return -1;
            }
            a->outdir = argv[i];
        } else if (!strcmp(argv[i], "--report"))
            a->report = 1;
        else if (!strcmp(argv[i], "--figures") || !strcmp(argv[i], "--element")) {
            if (++i >= argc || !argv[i][0]) {
                fprintf(stderr, "reesx %s: %s needs %s\n%s", cmd, argv[i - 1],
                        argv[i - 1][2] == 'f' ? "a directory" : "an element symbol", usage);
                return -1;
            }
            if (argv[i - 1][2] == 'f')
                a->figures = argv[i];
            else
                a->element = argv[i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "reesx %s: unknown option '%s'\n%s", cmd, argv[i], usage);
            return -1;
        } else if (!a->cfg)
            a->cfg = argv[i];
        else {
            fprintf(stderr, "reesx %s: one CONFIG only ('%s' is extra)\n", cmd, argv[i]);
            return -1;
        }
    }
    if (!a->cfg) {
        fprintf(stderr, "reesx %s: missing %s\n%s", cmd, strcmp(cmd, "report") ? "CONFIG" : "DIR", usage);
        return -1;
    }
    if ((a->figures || a->element) && !a->report && strcmp(cmd, "report")) {
        fprintf(stderr, "reesx %s: %s goes with --report\n", cmd, a->figures ? "--figures" : "--element");
        return -1;
    }
    return 0;
}

void cli_print_error(const RxError *e)
{
    if (e->where[0])
        fprintf(stderr, "reesx: %s: %s\n", e->where, e->msg);
    else
        fprintf(stderr, "reesx: %s\n", e->msg);
}

int cli_exit_for(int code)
{
    switch (code) {
    case RX_BAD_INPUT:
        return EXIT_INPUT;
    case RX_NOT_CONVERGED:
    case RX_SINGULAR:
        return EXIT_CONVERGENCE;
    case RX_UNMET:
        return EXIT_INFEASIBLE;
    case RX_IO_ERROR:
        return EXIT_OUTPUT;
    case RX_NO_MEMORY:
        return EXIT_MEMORY;
    case RX_INTERRUPTED:
        return EXIT_SIGNAL_BASE + (rx_interrupted() ? rx_interrupted() : SIGINT);
    default:
        return EXIT_INPUT;
    }
}

int cli_interrupted(const char *path, const char *fmt, ...)
{
    int sig = rx_interrupted();
    fprintf(stderr, "reesx: %s: interrupted by %s", path, rx_signal_name(sig));
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return EXIT_SIGNAL_BASE + (sig ? sig : SIGINT);
}

void cli_print_title(const char *kind, const char *path, const char *title)
{
    printf("reesx %s: %s%s\n", RX_VERSION, kind, path);
    if (title[0])
        printf("  %s\n", title);
}

void cli_print_constants(const char *who, const RxPlant *p)
{
    int cls[RX_MAX_SPECIES], indicative = rx_model_provenance(p, cls);
    printf("  constants%s:", who);
    const char *sep = " ";
    for (int c = -1; c <= RX_CLASS_GIVEN; c++) {
        int n = 0;
        for (int j = 0; j < p->nsp; j++) {
            if (cls[j] != c)
                continue;
            if (n++ == 0)
                printf("%s%s", sep, c < 0 ? "unsourced" : c == RX_CLASS_GIVEN ? "given in the config" : rx_data_class_name(c));
            printf(" %s", rx_plant_element(p, j)->sym);
        }
        if (n)
            sep = "; ";
    }
    const char *file = strrchr(p->model_spec.datafile, '/');
    if (p->model_spec.datafile[0])
        printf(" (%s)", file ? file + 1 : p->model_spec.datafile);
    if (indicative)
        printf(": the products' split rests on placeholder constants, so the results are indicative");
    printf("\n");
}

static void print_plant(const RxPlant *p, const RxSolution *s)
{
    cli_print_title("", p->path, p->title);
    printf("  model %s", rx_plant_model_name(p));
    if (p->extractant[0])
        printf(", %s %.4g mol/L (monomer), saponification %.1f %% (%s)", p->extractant, p->extractant_conc,
               PERCENT * p->saponification, p->base_name);
    printf("\n");
    cli_print_constants("", p);
    printf("  %d stages:", s->N);
    for (int i = 0; i < p->nsections; i++)
        printf(" %s %d-%d%s", p->sections[i].name, p->sections[i].first + 1,
               p->sections[i].first + p->sections[i].count, i + 1 < p->nsections ? "," : "");
    printf("\n");
}

/* Product i: where it leaves, purity, recovery, composition, reagents per kg. */
static void print_product(const RxPlant *p, const RxSolution *s, int i, double acid_kg, double base_kg)
{
    RxProductReport r;
    RxStream st;
    if (rx_product_report(p, s, i, &r, NULL) != RX_OK || rx_outlet(p, s, p->products[i].stream, &st) != RX_OK)
        return;
    printf("  %-24s %s, stage %d, %.4g L/h, %.4g g/h REO\n", p->products[i].name, p->products[i].stream,
           st.stage + 1, r.flow, r.reo);
    printf("    targets");
    for (int t = 0; t < p->products[i].ntargets; t++)
        printf(" %s", rx_plant_element(p, p->products[i].targets[t])->sym);
    printf(": purity %.4f %% of REO, recovery %.4f %%\n", r.purity, r.recovery);
    printf("    composition [g/L]:");
    for (int j = 0; j < p->nsp; j++)
        printf(" %s %.4g", rx_plant_element(p, j)->sym, st.c[j] * rx_plant_element(p, j)->molar_mass);
    printf("\n");
    double per_kg = r.target_reo / G_PER_KG;
    if (per_kg > 0 && isfinite(acid_kg / per_kg) && isfinite(base_kg / per_kg))
        printf("    reagents: %.3g kg HCl and %.3g kg %s per kg target REO\n", acid_kg / per_kg, base_kg / per_kg,
               rx_base_formula(p));
}

void cli_print_summary(const RxPlant *p, const RxSolution *s, double seconds)
{
    print_plant(p, s);
    printf("\nproducts\n");
    double acid, base;
    rx_reagents(p, &acid, &base);
    const RxElement *hcl = rx_elements_find(p->elements, "HCl");
    const RxElement *bse = rx_elements_find(p->elements, rx_base_formula(p));
    double acid_kg = hcl ? acid * hcl->molar_mass / G_PER_KG : 0, base_kg = bse ? base * bse->molar_mass / G_PER_KG : 0;
    for (int i = 0; i < p->nproducts; i++)
        print_product(p, s, i, acid_kg, base_kg);
    if (s->h[0] > 0)
        printf("\nraffinate pH %.3f\n", -log10(s->h[0]));
    printf("reagents fed: %.4g mol/h HCl (%.4g kg/h), %.4g mol/h %s (%.4g kg/h as %s)\n", acid, acid_kg, base,
           p->base_name, base_kg, rx_base_formula(p));
    printf("\nsolver: %d iterations, %d stage-solve iterations, max |ln residual| %.2e, %.3f ms\n", s->iterations,
           s->stage_iterations, s->residual, seconds * 1e3);
    printf("mass balance (in - out)/in:");
    for (int j = 0; j < p->nsp; j++)
        printf(" %s %.1e", rx_plant_element(p, j)->sym, s->closure[j]);
    printf("\n");
}

void cli_print_cost(const RxCostResult *c)
{
    printf("\ncost (equipment in USD of %d, prices as quoted; models/data/costs.tsv, docs/cost.md)\n", c->year);
    printf("  holdups: mixers %.4g m3, settlers %.4g m3, organic %.4g m3\n", c->mixer_m3, c->settler_m3,
           c->organic_m3);
    printf("  capital: equipment %.4g, total plant %.4g, solvent first fill %.4g, total as spent %.4g USD\n", c->bec,
           c->tpc, c->inventory, c->tasc);
    printf("  operating: acid %.4g, base %.4g, solvent lost %.4g, power %.4g, labour %.4g, maintenance %.4g, "
           "taxes %.4g; total %.4g USD/yr\n",
           c->acid, c->base, c->solvent_loss, c->power, c->labour, c->maintenance, c->taxes, c->opex);
    printf("  products: %.4g kg/yr target REO, revenue %.4g USD/yr\n", c->product_kg, c->revenue);
    for (int i = 0; i < c->nproducts; i++)
        printf("    %-24s %.4g kg/yr, revenue %.4g USD/yr, cost %.4g USD/kg (shared by revenue)\n", c->prod_name[i],
               c->prod_kg[i], c->prod_revenue[i], c->prod_cost_per_kg[i]);
    printf("  cost %.4g USD/kg REO (operating + capital charge %.4g USD/yr); NPV %.4g USD (%.3g %%, %g yr)\n",
           c->cost_per_kg, c->capital_charge, c->npv, PERCENT * c->discount_rate, c->life);
}

static int ensure_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return 0;
        errno = ENOTDIR;
        return -1;
    }
    return mkdir(dir, 0777);
}

int cli_make_dir(const char *dir)
{
    if (ensure_dir(dir) == 0)
        return 0;
    fprintf(stderr, "reesx: %s: cannot create output directory: %s\n", dir, strerror(errno));
    return -1;
}

int cli_write_outputs(const RxOutputs *o, const char *dir, RxWritten *w)
{
    w->n = 0;
    if (cli_make_dir(dir) != 0)
        return RX_IO_ERROR;
    RxError err;
    rx_error_clear(&err);
    int rc = rx_write_outputs(o, dir, w, &err);
    if (rc != RX_OK && err.msg[0])
        cli_print_error(&err);
    return rc;
}

void cli_print_wrote(const char *dir, const RxWritten *w, int each_in_dir)
{
    printf("wrote");
    for (int i = 0; i < w->n; i++) {
        fputs(i ? ", " : " ", stdout);
        if (i == 0 || each_in_dir)
            printf("%s/", dir);
        fputs(w->name[i], stdout);
    }
    printf("\n");
}

void cli_sim_progress(double t, double horizon, void *ctx)
{
    (void)ctx;
    int done = (int)(BAR_WIDTH * t / horizon);
    fprintf(stderr, "\r[%.*s%*s] %5.1f %%  t = %.4g h ", done, BAR_FILL, BAR_WIDTH - done, "", PERCENT * t / horizon,
            t);
    if (t >= horizon)
        fputs("\n", stderr);
}

void cli_design_progress(int done, int total, void *ctx)
{
    (void)ctx;
    int fill = total > 0 ? (int)((double)BAR_WIDTH * done / total) : 0;
    fprintf(stderr, "\r[%.*s%*s] %d circuits ", fill, BAR_FILL, BAR_WIDTH - fill, "", done);
}

/* What ends a window at one side, in words. */
static const char *window_end(const RxPlant *p, int end)
{
    return end >= 0 ? rx_window_target(p, end)->label
           : end == RX_WINDOW_END_RANGE ? "nothing within the range looked at"
           : end == RX_WINDOW_END_SPECS ? "the specs cannot be held beyond"
                                        : "the circuit did not solve beyond";
}

void cli_print_window(const RxPlant *p, const RxWindowResult *r)
{
    if (!r->met) {
        printf("\noperating window: none, %s is not met as designed\n", rx_window_target(p, r->unmet)->label);
        return;
    }
    printf("\noperating window (each variable alone, every target held; %d circuits):\n", r->solves);
    for (int i = 0; i < r->n; i++) {
        const RxWindow *w = &r->w[i];
        printf("  %-28s %-10.6g %-8s from %.6g to %.6g (-%.3g %% / +%.3g %%)\n", w->label, w->value, w->unit, w->low,
               w->high, PERCENT * (w->value - w->low) / w->value, PERCENT * (w->high - w->value) / w->value);
        printf("  %-28s below: %s; above: %s\n", "", window_end(p, w->low_end), window_end(p, w->high_end));
    }
}

void cli_unc_progress(int done, int total, void *ctx)
{
    (void)ctx;
    int fill = total > 0 ? (int)((double)BAR_WIDTH * done / total) : 0;
    fprintf(stderr, "\r[%.*s%*s] %d of %d samples ", fill, BAR_FILL, BAR_WIDTH - fill, "", done, total);
}
