/*
 * report/fit.c - the calibration section (being written).
 */
#include "report/build.h"

void rx_report_fit(RxReport *r, const char *dir, const cJSON *fit)
{
    (void)r;
    (void)dir;
    (void)fit;
}
