/*
 * test_cost.c - the cost of a small plant by hand arithmetic, the
 * sensitivity table, and missing holdups or prices named.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rx.h"
#include "support.h"

#ifndef RX_SOURCE_DIR
#define RX_SOURCE_DIR "."
#endif

/* Two stages, constant D, pilot holdups, every price set in the config. */
static const char *plant =
    "version = 1;\n"
    "extractant = { name = \"P507\"; concentration = \"0.5 mol/L\"; };\n"
    "model = { type = \"constant_d\"; D = { La = 0.5; Nd = 4.0; }; };\n"
    "sections = ( { name = \"extraction\"; stages = 2; mixer = \"3 min\";\n"
    "               settler = { residence = \"15 min\"; tanks = 1; }; } );\n"
    "feeds = (\n"
    " { name = \"feed\"; phase = \"aqueous\"; stage = 2; flow = \"100 L/h\"; acid = \"0.1 mol/L\";\n"
    "   composition = { La = \"0.05 mol/L\"; Nd = \"0.05 mol/L\"; }; },\n"
    " { name = \"solvent\"; phase = \"organic\"; stage = 1; flow = \"50 L/h\"; } );\n"
    "products = ( { name = \"La\"; stream = \"raffinate\"; targets = [\"La\"]; },\n"
    "             { name = \"Nd\"; stream = \"organic\"; targets = [\"Nd\"]; } );\n"
    "cost = { prices = { HCl = \"200 USD/t\"; extractant = \"10 USD/kg\"; diluent = \"1 USD/L\";\n"
    "                    power = \"0.1 USD/kWh\"; La = \"2 USD/kg\"; Nd = \"100 USD/kg\"; };\n"
    "         operators_per_shift = 1; discount_rate = \"10 %\"; plant_life = \"10 yr\";\n"
    "         mixer_power = \"2 kW/m3\"; operating_hours = \"8000 h/yr\"; };\n";

/* models/data/costs.tsv, rows the config does not override */
#define MS_COST 303516.83
#define MS_GAL 2444.0
#define MS_EXP 0.45
#define CEPCI_2016 541.7
#define CEPCI_2023 797.9
#define LANG 2.97
#define TASC 1.144
#define FCR 0.1002
#define MAINT 0.02
#define TAXES 0.01
#define LABOUR 27.90
#define BURDEN 0.25
#define P507_MM 306.43  /* g/mol, P507_chloride.tsv */
#define P507_RHO 0.95   /* g/mL */
#define HCL_MM 36.458   /* g/mol, elements.tsv */

Test(cost, small_plant_by_hand)
{
    RxPlant *p = load_text(plant);
    RxSolution *s = NULL;
    RxError err;
    cr_assert_eq(rx_circuit_solve(p, &s, &err), RX_OK, "%s", err.msg);
    RxCostResult c;
    cr_assert_eq(rx_cost(p, s, &c, &err), RX_OK, "%s", err.msg);

    /* each stage: mixer 150 L/h x 0.05 h, settler 100 and 50 L/h x 0.25 h */
    double vm = 150 * 0.05, va = 100 * 0.25, vo = 50 * 0.25, v = vm + va + vo, h = 8000;
    double bec = 2 * MS_COST * pow(v / (MS_GAL * 3.785411784), MS_EXP) * CEPCI_2023 / CEPCI_2016;
    double tpc = bec * LANG, org = 2 * (vm * 50 / 150 + vo);
    double kg_per_L = 0.5 * P507_MM / 1000, dil = 1 - kg_per_L / P507_RHO;
    double fill = org * (kg_per_L * 10 + dil * 1), tasc = tpc * TASC + fill;
    double acid = 100 * 0.1 * HCL_MM / 1000 * h / 1000 * 200;
    double power = 2 * (2 * vm / 1000) * h * 0.1, labour = 1 * LABOUR * (1 + BURDEN) * h;
    double opex = acid + power + labour + (MAINT + TAXES) * tpc;
    cr_expect_float_eq(c.mixer_m3, 2 * vm / 1000, 1e-12);
    cr_expect_float_eq(c.bec, bec, 1e-9 * bec);
    cr_expect_float_eq(c.tpc, tpc, 1e-9 * tpc);
    cr_expect_float_eq(c.inventory, fill, 1e-9 * fill);
    cr_expect_float_eq(c.tasc, tasc, 1e-9 * tasc);
    cr_expect_float_eq(c.acid, acid, 1e-9 * acid);
    cr_expect_eq(c.base, 0);
    cr_expect_eq(c.solvent_loss, 0, "no entrainment, no loss");
    cr_expect_float_eq(c.power, power, 1e-9 * power);
    cr_expect_float_eq(c.labour, labour, 1e-9 * labour);
    cr_expect_float_eq(c.opex, opex, 1e-9 * opex);

    RxProductReport la, nd;
    cr_assert_eq(rx_product_report(p, s, 0, &la, NULL), RX_OK);
    cr_assert_eq(rx_product_report(p, s, 1, &nd, NULL), RX_OK);
    double kg_la = la.target_reo / 1000 * h, kg_nd = nd.target_reo / 1000 * h;
    double revenue = kg_la * 2 + kg_nd * 100, annual = opex + FCR * tasc;
    cr_expect_float_eq(c.revenue, revenue, 1e-9 * revenue);
    cr_expect_float_eq(c.cost_per_kg, annual / (kg_la + kg_nd), 1e-9 * c.cost_per_kg);
    cr_expect_float_eq(c.prod_cost_per_kg[1], annual * (kg_nd * 100 / revenue) / kg_nd, 1e-9 * c.prod_cost_per_kg[1]);
    double npv = -tasc;
    for (int t = 1; t <= 10; t++)
        npv += (revenue - opex) / pow(1.1, t);
    cr_expect_float_eq(c.npv, npv, 1e-9 * fabs(npv));

    /* +-20 % on the Lang factor moves the capital-driven part only */
    int lang = -1;
    for (int i = 0; i < c.nsens; i++)
        if (strcmp(c.sens[i].input, "Lang factor") == 0)
            lang = i;
    cr_assert_geq(lang, 0);
    double hi = (opex + (MAINT + TAXES) * 0.2 * tpc + FCR * (1.2 * tpc * TASC + fill)) / (kg_la + kg_nd);
    cr_expect_float_eq(c.sens[lang].cost_hi, hi, 1e-9 * hi);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}

/* Without holdups, or without a price for a product's element, cost says which. */
Test(cost, missing_holdups_and_prices_are_named)
{
    RxError err;
    char text[4096];
    const char *cut = strstr(plant, " mixer = ");
    const char *resume = strstr(plant, "} );\nfeeds");
    snprintf(text, sizeof text, "%.*s%s", (int)(cut - plant), plant, resume);
    RxPlant *p = load_text(text);
    RxSolution *s = NULL;
    cr_assert_eq(rx_circuit_solve(p, &s, &err), RX_OK, "%s", err.msg);
    RxCostResult c;
    cr_expect_eq(rx_cost(p, s, &c, &err), RX_BAD_INPUT);
    cr_expect(strstr(err.msg, "section 'extraction' has no mixer") != NULL, "%s", err.msg);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
    /* Tm has no price in costs.tsv */
    snprintf(text, sizeof text, "%s", plant);
    char *nd = strstr(text, "Nd = \"0.05 mol/L\"; }; },");
    cr_assert(nd);
    memcpy(nd, "Tm", 2);
    char *t2 = strstr(text, "targets = [\"Nd\"]");
    memcpy(t2 + 12, "Tm", 2);
    char *d = strstr(text, "Nd = 4.0;");
    memcpy(d, "Tm", 2);
    p = load_text(text);
    cr_assert_eq(rx_circuit_solve(p, &s, &err), RX_OK, "%s", err.msg);
    cr_expect_eq(rx_cost(p, s, &c, &err), RX_BAD_INPUT);
    cr_expect(strstr(err.msg, "no price for Tm") != NULL, "%s", err.msg);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}

/* A flowsheet costs as the sum of its circuits, and only the products that
 * leave it bring revenue (ndpr_plant: the SEG raffinate feeds circuit 2). */
Test(cost, flowsheet_is_the_sum_of_its_circuits)
{
    char path[600];
    snprintf(path, sizeof path, "%s/configs/ndpr_plant.cfg", RX_SOURCE_DIR);
    RxFlowsheet *fs = NULL;
    RxFlowsheetResult *r = NULL;
    RxError err;
    cr_assert_eq(rx_flowsheet_load(path, &fs, &err), RX_OK, "%s", err.msg);
    cr_assert_eq(rx_flowsheet_solve(fs, &r, &err), RX_OK, "%s", err.msg);
    RxCostResult all, one[2];
    cr_assert_eq(rx_cost_flowsheet(fs, r, &all, &err), RX_OK, "%s", err.msg);
    double tasc = 0, opex = 0, revenue = 0, kg = 0;
    for (int c = 0; c < 2; c++) {
        cr_assert_eq(rx_cost(r->plant[c], r->sol[c], &one[c], &err), RX_OK, "%s", err.msg);
        tasc += one[c].tasc;
        opex += one[c].opex;
        revenue += one[c].revenue;
        kg += one[c].product_kg;
    }
    /* circuit 1's first product, the La-Nd raffinate, is circuit 2's feed */
    cr_assert_str_eq(r->plant[0]->products[0].stream, "raffinate");
    revenue -= one[0].prod_revenue[0];
    kg -= one[0].prod_kg[0];
    cr_expect_float_eq(all.tasc, tasc, 1e-12 * tasc);
    cr_expect_float_eq(all.opex, opex, 1e-12 * opex);
    cr_expect_float_eq(all.revenue, revenue, 1e-12 * revenue);
    cr_expect_float_eq(all.product_kg, kg, 1e-12 * kg);
    cr_expect_eq(all.nproducts, one[0].nproducts + one[1].nproducts - 1);
    cr_expect_str_eq(all.prod_name[0], "SEG:SEG strip liquor");
    cr_expect_float_eq(all.cost_per_kg, (opex + FCR * tasc) / kg, 1e-9 * all.cost_per_kg);
    rx_flowsheet_result_destroy(&r);
    rx_flowsheet_destroy(&fs);
}
