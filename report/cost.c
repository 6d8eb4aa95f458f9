/*
 * report/cost.c - the cost section (being written).
 */
#include "report/build.h"

void rx_report_cost(RxReport *r, const cJSON *cost, const RxTable *sens)
{
    (void)r;
    (void)cost;
    (void)sens;
}
