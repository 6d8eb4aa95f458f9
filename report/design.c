/*
 * report/design.c - the design section (being written).
 */
#include "report/build.h"

void rx_report_design(RxReport *r, const char *dir)
{
    (void)r;
    (void)dir;
}
