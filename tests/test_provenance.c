/*
 * test_provenance.c - every number in the data files says what it rests on
 * (literature, fitted, derived or placeholder), and every result says which
 * of its plant's constants are placeholders.
 */
#include "rx.h"
#include "support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int row(void *ctx, char **tok, int ntok, int line, RxError *err)
{
    (void)tok;
    (void)line;
    (void)err;
    *(int *)ctx += ntok;
    return RX_OK;
}

/* A row without its class is refused with the file and line; with it, the
 * row's callback sees the same columns as before the class was added. */
Test(provenance, a_data_row_needs_its_class)
{
    char path[] = "/tmp/reesx-class-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs("# a test file\nLa  -3.8  placeholder  [x]\nCe  -3.0  [x]\n", f);
    fclose(f);
    RxError err;
    int cols = 0;
    cr_expect_eq(rx_datafile_read(path, 1, row, &cols, &err), RX_BAD_INPUT);
    cr_expect(strstr(err.where, ":3"), "names line 3: %s", err.where);
    cr_expect(strstr(err.msg, "no class"), "%s", err.msg);
    cr_expect_eq(cols, 2, "symbol and value: the class is not a column");
    cr_expect_eq(rx_datafile_class(path, "La"), RX_CLASS_PLACEHOLDER);
    cr_expect_eq(rx_datafile_class(path, "Nd"), -1);
    unlink(path);
}

/* The shipped plants: P507 constants are placeholders and make the results
 * indicative; separation factors given in the config are "given"; the
 * PrOMMiS correlations are literature. */
Test(provenance, shipped_plants_say_what_they_rest_on)
{
    int cls[RX_MAX_SPECIES];
    RxPlant *p = load_config("configs/default.cfg");
    cr_expect_eq(rx_model_provenance(p, cls), 1, "indicative");
    for (int j = 0; j < p->nsp; j++)
        cr_expect_eq(cls[j], RX_CLASS_PLACEHOLDER, "%s", rx_plant_element(p, j)->sym);
    rx_plant_destroy(&p);
    p = load_config("configs/ndpr_binary.cfg");
    cr_expect_eq(rx_model_provenance(p, cls), 0);
    for (int j = 0; j < p->nsp; j++)
        cr_expect_eq(cls[j], RX_CLASS_GIVEN, "%s", rx_plant_element(p, j)->sym);
    rx_plant_destroy(&p);
    p = load_text("version = 1;\n"
                  "extractant = { name = \"DEHPA\"; concentration = \"5 v/v%\"; };\n"
                  "model = { type = \"empirical_logd\"; data = \"DEHPA_UKy_logD.tsv\"; };\n"
                  "sections = ( { name = \"extraction\"; stages = 3; } );\n"
                  "feeds = ( { name = \"feed\"; phase = \"aqueous\"; stage = \"extraction:last\"; flow = \"100 L/h\";\n"
                  "            acid = \"pH 1.5\"; composition = { Nd = \"0.1 g/L\"; Dy = \"0.1 g/L\"; }; },\n"
                  "          { name = \"solvent\"; phase = \"organic\"; stage = 1; flow = \"100 L/h\"; } );\n"
                  "products = ( { name = \"Dy\"; stream = \"organic\"; targets = [\"Dy\"]; } );\n");
    cr_expect_eq(rx_model_provenance(p, cls), 0);
    for (int j = 0; j < p->nsp; j++)
        cr_expect_eq(cls[j], RX_CLASS_LITERATURE, "%s", rx_plant_element(p, j)->sym);
    rx_plant_destroy(&p);
}

/* A value in the config wins over the file's placeholder for that element;
 * the results stay indicative while a target rests on a placeholder. */
Test(provenance, a_value_given_in_the_config)
{
    RxPlant *p = load_text("version = 1;\n"
                           "extractant = { name = \"P507\"; concentration = \"1.0 mol/L\"; };\n"
                           "model = { type = \"mass_action\"; log10_K = { Nd = -2.5; Pr = -2.7; }; };\n"
                           "sections = ( { name = \"extraction\"; stages = 6; } );\n"
                           "feeds = ( { name = \"feed\"; phase = \"aqueous\"; stage = \"extraction:last\"; flow = \"100 L/h\";\n"
                           "            acid = \"pH 2\"; composition = { La = \"5 g/L\"; Pr = \"1 g/L\"; Nd = \"3 g/L\"; }; },\n"
                           "          { name = \"solvent\"; phase = \"organic\"; stage = 1; flow = \"100 L/h\"; } );\n"
                           "products = ( { name = \"NdPr\"; stream = \"organic\"; targets = [\"Pr\", \"Nd\"]; } );\n");
    int cls[RX_MAX_SPECIES];
    cr_expect_eq(rx_model_provenance(p, cls), 0, "the targets' constants are given");
    cr_expect_eq(cls[rx_plant_species(p, "Nd")], RX_CLASS_GIVEN);
    cr_expect_eq(cls[rx_plant_species(p, "La")], RX_CLASS_PLACEHOLDER);
    rx_plant_destroy(&p);
}
