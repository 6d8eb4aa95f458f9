/*
 * cli/report.c - reesx report DIR, and --report after any command: the
 * page of report/report.h from the outputs in DIR.
 */
#include "cli/cli.h"

#include "report/report.h"

#include <stdio.h>

const char cli_report_usage[] =
    "usage: reesx report DIR [-o FILE] [--figures FDIR] [--element X] [-q]\n"
    "\n"
    "Write report.html from the outputs a run wrote to DIR (reesx run, simulate,\n"
    "design, cost, fit or uncertainty, or a flowsheet's run): one self-contained page,\n"
    "figures inline as SVG, that opens in any browser and prints on A4 (docs/report.md).\n"
    "\n"
    "  DIR             an output directory (-o DIR of the command)\n"
    "  -o, --output FILE  the page (default: DIR/report.html)\n"
    "  --figures FDIR  each figure as FDIR/NAME.svg too (made if missing)\n"
    "  --element X     the McCabe-Thiele diagram's element (default: the key element\n"
    "                  of the first product)\n"
    "  -q, --quiet     print nothing but errors\n";

static int write_report(const char *dir, const char *out, const CliArgs *a)
{
    RxReportOptions o = {.version = "reesx " RX_VERSION, .figures = a->figures, .element = a->element, .out = out};
    RxReportFigures figs;
    RxError err;
    rx_error_clear(&err);
    int rc = rx_report_write(dir, &o, &figs, &err);
    if (rc != RX_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    if (!a->quiet) {
        if (out)
            printf("wrote %s (%d figures", out, figs.n);
        else
            printf("wrote %s/report.html (%d figures", dir, figs.n);
        if (a->figures)
            printf(", each as %s/NAME.svg too", a->figures);
        printf(")\n");
    }
    return 0;
}

int cli_report(const CliArgs *a)
{
    return write_report(a->cfg, a->outdir, a);
}

int cli_report_after(const CliArgs *a)
{
    return write_report(a->outdir, NULL, a);
}
