/*
 * report/dynamics.c - a simulation's section (being written).
 */
#include "report/build.h"

void rx_report_dynamics(RxReport *r, const char *dir, const char *prefix, const cJSON *summary)
{
    (void)r;
    (void)dir;
    (void)prefix;
    (void)summary;
}
