/*
 * report/uncertainty.c - the uncertainty section (being written).
 */
#include "report/build.h"

void rx_report_uncertainty(RxReport *r, const char *dir, const cJSON *unc)
{
    (void)r;
    (void)dir;
    (void)unc;
}
