/*
 * test_flowsheet.c - the shipped flowsheets close every element's balance,
 * and an organic loop that returns metal converges over several passes.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rx.h"
#include "support.h"

#ifndef RX_SOURCE_DIR
#define RX_SOURCE_DIR "."
#endif

static RxFlowsheetResult *solve_fs(const char *path, RxFlowsheet **fs)
{
    RxError err;
    rx_error_clear(&err);
    cr_assert_eq(rx_flowsheet_load(path, fs, &err), RX_OK, "%s: %s", err.where, err.msg);
    RxFlowsheetResult *r = NULL;
    cr_assert_eq(rx_flowsheet_solve(*fs, &r, &err), RX_OK, "%s: %s", err.where, err.msg);
    return r;
}

static int product_of(const RxPlant *p, const char *name)
{
    for (int i = 0; i < p->nproducts; i++)
        if (strcmp(p->products[i].name, name) == 0)
            return i;
    return -1;
}

/* Both shipped flowsheets: every tear settled, every element's balance over
 * the external streams closed to 1e-9, and the products as documented. */
Test(flowsheet, shipped_flowsheets_close_every_balance)
{
    const struct {
        const char *file, *circuit, *product;
        double purity, recovery;
    } cases[] = {
        {"ndpr_plant.cfg", "NdPr", "NdPr chloride", 99.5, 99.0},
        {"heavy_plant.cfg", "TbDy", "Dy(Ho) strip liquor", 99.5, 99.0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[600];
        snprintf(path, sizeof path, "%s/configs/%s", RX_SOURCE_DIR, cases[i].file);
        cr_assert(rx_is_flowsheet(path));
        RxFlowsheet *fs = NULL;
        RxFlowsheetResult *r = solve_fs(path, &fs);
        for (int k = 0; k < fs->nconn; k++)
            cr_expect_leq(r->change[k], fs->tolerance, "%s: tear %d", cases[i].file, k);
        cr_expect_gt(r->nel, 3);
        for (int e = 0; e < r->nel; e++)
            cr_expect_lt(fabs(r->closure[e]), 1e-9, "%s: %s closure %g", cases[i].file, r->sym[e], r->closure[e]);
        int c = -1;
        for (int k = 0; k < fs->n; k++)
            if (strcmp(fs->name[k], cases[i].circuit) == 0)
                c = k;
        cr_assert_geq(c, 0);
        int pr = product_of(r->plant[c], cases[i].product);
        cr_assert_geq(pr, 0);
        RxProductReport rep;
        cr_assert_eq(rx_product_report(r->plant[c], r->sol[c], pr, &rep, NULL), RX_OK);
        cr_expect_geq(rep.purity, cases[i].purity, "%s purity %g", cases[i].product, rep.purity);
        cr_expect_geq(rep.recovery, cases[i].recovery, "%s recovery %g", cases[i].product, rep.recovery);
        rx_flowsheet_result_destroy(&r);
        rx_flowsheet_destroy(&fs);
    }
}

/* A weak strip leaves Dy on the organic, so the returned organic carries
 * metal back to stage 1: the loop needs several passes, and what enters the
 * flowsheet still leaves it. */
Test(flowsheet, organic_loop_with_metal_converges_and_conserves)
{
    char dir[] = "/tmp/reesx-flowsheet-XXXXXX";
    cr_assert(mkdtemp(dir));
    char src[600], circ[700], fsp[700];
    snprintf(src, sizeof src, "%s/configs/heavy_plant/tb_dy.cfg", RX_SOURCE_DIR);
    snprintf(circ, sizeof circ, "%s/c.cfg", dir);
    snprintf(fsp, sizeof fsp, "%s/fs.cfg", dir);
    FILE *in = fopen(src, "r"), *out = fopen(circ, "w");
    cr_assert(in && out);
    char line[1024];
    while (fgets(line, sizeof line, in)) {
        char *s = strstr(line, "flow = \"20 L/h\"; acid = \"5 mol/L\"");
        if (s) /* strip acid: 20 L/h of 5 mol/L -> 20 L/h of 1.2 mol/L */
            memcpy(strstr(s, "5 mol/L"), "1.2 mol/L\"; }", 13), strcpy(strstr(s, "}") + 1, ",\n");
        fputs(line, out);
    }
    fclose(in);
    fclose(out);
    out = fopen(fsp, "w");
    cr_assert(out);
    fputs("version = 1;\nflowsheet = { circuits = ( { name = \"TbDy\"; file = \"c.cfg\"; } );\n"
          "  connections = ( { from = \"TbDy:organic\"; to = \"TbDy:fresh organic\"; } ); };\n",
          out);
    fclose(out);
    RxFlowsheet *fs = NULL;
    RxFlowsheetResult *r = solve_fs(fsp, &fs);
    RxStream st;
    cr_assert_eq(rx_outlet(r->plant[0], r->sol[0], "organic", &st), RX_OK);
    int dy = rx_plant_species(r->plant[0], "Dy");
    cr_expect_gt(st.c[dy] * st.flow, 1e-3, "the organic returns Dy (%g mol/h)", st.c[dy] * st.flow);
    /* plain substitution takes about 60 passes here; Wegstein about 20 */
    cr_expect(r->iterations > 3 && r->iterations <= 25, "passes %d", r->iterations);
    for (int e = 0; e < r->nel; e++)
        cr_expect_lt(fabs(r->closure[e]), 1e-9, "%s closure %g", r->sym[e], r->closure[e]);
    rx_flowsheet_result_destroy(&r);
    rx_flowsheet_destroy(&fs);
    unlink(circ);
    unlink(fsp);
    rmdir(dir);
}

/* The API refuses a file without a flowsheet group (no crash). */
Test(flowsheet, load_without_flowsheet_group_is_bad_input)
{
    char path[600];
    snprintf(path, sizeof path, "%s/configs/default.cfg", RX_SOURCE_DIR);
    RxFlowsheet *fs = NULL;
    RxError err;
    rx_error_clear(&err);
    cr_expect_eq(rx_flowsheet_load(path, &fs, &err), RX_BAD_INPUT);
    cr_expect_null(fs);
}

/* Non-ideal stages upstream: the linked feed keeps the outlet's chloride
 * (the acid comes from the outflow's own charge balance, not the mixer's). */
Test(flowsheet, linked_feed_keeps_the_chloride_of_a_nonideal_outlet)
{
    char dir[] = "/tmp/reesx-flowsheet-XXXXXX";
    cr_assert(mkdtemp(dir));
    char src[600], circ[700], fsp[700], line[1024];
    snprintf(src, sizeof src, "%s/configs/ndpr_plant/seg.cfg", RX_SOURCE_DIR);
    snprintf(circ, sizeof circ, "%s/seg.cfg", dir);
    snprintf(fsp, sizeof fsp, "%s/fs.cfg", dir);
    FILE *in = fopen(src, "r"), *out = fopen(circ, "w");
    cr_assert(in && out);
    while (fgets(line, sizeof line, in)) {
        char *m = strstr(line, "mixer = \"3 min\";");
        if (m && strstr(line, "name = \"")) { /* every section 80 % efficient, 0.5 % organic entrained */
            *m = '\0';
            fprintf(out, "%sefficiency = \"80 %%\"; organic_entrainment = \"0.5 %%\"; mixer = \"3 min\";%s", line,
                    m + strlen("mixer = \"3 min\";"));
        } else
            fputs(line, out);
    }
    fclose(in);
    fclose(out);
    out = fopen(fsp, "w");
    cr_assert(out);
    fprintf(out, "version = 1;\nflowsheet = { circuits = ( { name = \"SEG\"; file = \"seg.cfg\"; },\n"
                 "  { name = \"NdPr\"; file = \"%s/configs/ndpr_plant/lace_ndpr.cfg\"; } );\n"
                 "  connections = ( { from = \"SEG:raffinate\"; to = \"NdPr:feed\"; } ); };\n",
            RX_SOURCE_DIR);
    fclose(out);
    RxFlowsheet *fs = NULL;
    RxFlowsheetResult *r = solve_fs(fsp, &fs);
    cr_assert_lt(r->plant[0]->sections[0].efficiency, 1.0);
    const RxSolution *s0 = r->sol[0];
    const RxFeed *f = &r->plant[1]->feeds[0];
    double cl_out = s0->cl[0], cl_in = f->flow * f->cl;
    cr_expect_float_eq(cl_in, cl_out, 1e-9 * cl_out, "chloride %g mol/h out of SEG, %g into NdPr", cl_out, cl_in);
    cr_expect_float_eq(f->flow, s0->A[0], 1e-9 * s0->A[0]);
    rx_flowsheet_result_destroy(&r);
    rx_flowsheet_destroy(&fs);
    unlink(circ);
    unlink(fsp);
    rmdir(dir);
}
