/*
 * test_elements.c - the element data (models/data/elements.tsv): the
 * impurities and by-products of real feeds and of recycling, with IUPAC 2021
 * atomic weights and the charges of the ions modelled; a plant that names
 * one without an extraction constant is told which is missing.
 */
#include "rx.h"
#include "support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static RxElementTable *table(void)
{
    char path[600];
    snprintf(path, sizeof path, "%s/elements.tsv", rx_data_dir());
    RxElementTable *t = NULL;
    RxError err;
    cr_assert_eq(rx_elements_load(path, &t, &err), RX_OK, "%s: %s", err.where, err.msg);
    return t;
}

/* IUPAC 2021 standard atomic weights (abridged, to 3 decimals) and ion charges. */
Test(elements, impurities_and_recycling_metals)
{
    static const struct {
        const char *sym;
        int Z;
        double mm;
        int charge;
        const char *oxide;
    } want[] = {{"Sc", 21, 44.956, 3, "Sc2O3"}, {"Th", 90, 232.038, 4, "ThO2"}, {"U", 92, 238.029, 2, "U3O8"},
                {"Fe", 26, 55.845, 3, "Fe2O3"}, {"FeII", 26, 55.845, 2, "FeO"},  {"Al", 13, 26.982, 3, "Al2O3"},
                {"Ca", 20, 40.078, 2, "CaO"},   {"Mg", 12, 24.305, 2, "MgO"},    {"Mn", 25, 54.938, 2, "MnO"},
                {"Co", 27, 58.933, 2, "CoO"},   {"Ni", 28, 58.693, 2, "NiO"},    {"Cu", 29, 63.546, 2, "CuO"},
                {"Zn", 30, 65.38, 2, "ZnO"}};
    RxElementTable *t = table();
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const RxElement *e = rx_elements_find(t, want[i].sym);
        cr_assert(e, "%s is in the element data", want[i].sym);
        cr_expect_eq(e->Z, want[i].Z, "%s", want[i].sym);
        cr_expect_float_eq(e->molar_mass, want[i].mm, 1e-9, "%s", want[i].sym);
        cr_expect_eq(e->charge, want[i].charge, "%s", want[i].sym);
        cr_expect_str_eq(e->oxide, want[i].oxide, "%s", want[i].sym);
        cr_expect_eq(e->is_ree, strcmp(want[i].sym, "Sc") == 0, "%s counts in REO only if a rare earth", want[i].sym);
    }
    /* U3O8: 3 x 238.029 + 8 x 15.999 over 3 U */
    const RxElement *u = rx_elements_find(t, "U");
    cr_expect_float_eq(rx_element_oxide_factor(u, t->oxygen_mass), (3 * 238.029 + 8 * 15.999) / (3 * 238.029), 1e-12);
    rx_elements_destroy(&t);
}

static const char *plant_with(const char *values)
{
    static char text[2048];
    snprintf(text, sizeof text,
             "version = 1;\n"
             "extractant = { name = \"P507\"; concentration = \"1.0 mol/L\"; };\n"
             "model = { type = \"mass_action\"; %s };\n"
             "sections = ( { name = \"extraction\"; stages = 6; } );\n"
             "feeds = ( { name = \"feed\"; phase = \"aqueous\"; stage = \"extraction:last\"; flow = \"100 L/h\";\n"
             "            acid = \"pH 2\"; composition = { Nd = \"5 g/L\"; Mn = \"0.5 g/L\"; Co = \"0.2 g/L\"; }; },\n"
             "          { name = \"solvent\"; phase = \"organic\"; stage = 1; flow = \"100 L/h\"; } );\n"
             "products = ( { name = \"Nd\"; stream = \"organic\"; targets = [\"Nd\"]; } );\n",
             values);
    return text;
}

/* No constant for Mn or Co in the P507 data: the plant is refused, naming
 * the first; given in the config, the circuit solves and closes. */
Test(elements, an_impurity_needs_its_constant)
{
    RxPlant *p = NULL;
    RxError err;
    cr_expect_eq(rx_plant_load_text(plant_with(""), "impurity", &p, &err), RX_BAD_INPUT);
    cr_expect(strstr(err.msg, "no equilibrium constant for Mn"), "%s", err.msg);
    cr_expect(strstr(err.msg, "log10_K"), "says where to give it: %s", err.msg);
    p = load_text(plant_with("log10_K = { Mn = -4.0; Co = -5.0; };"));
    RxSolution *s = NULL;
    cr_assert_eq(rx_circuit_solve(p, &s, &err), RX_OK, "%s", err.msg);
    cr_expect_lt(s->max_closure, RX_CLOSURE_TOL);
    rx_solution_destroy(&s);
    rx_plant_destroy(&p);
}
