/*
 * output/window.c - window.csv: the operating window of a solved design
 * (design/window.h): each variable's value, the range over which every
 * target holds, and what ends it at each side.
 */
#include "output/writer.h"

#include "core/fileio.h"
#include "design/window.h"

/* What ends a window at one side, in words. */
static void end_cell(FILE *f, const RxPlant *p, int end)
{
    if (end >= 0)
        rx_csv_text(f, 0, rx_window_target(p, end)->label);
    else
        rx_csv_text(f, 0, end == RX_WINDOW_END_RANGE   ? "(none within the range looked at)"
                          : end == RX_WINDOW_END_SPECS ? "(the specs cannot be held beyond)"
                                                       : "(circuit did not solve beyond)");
}

int rx_output_window(const RxOutputs *o, const char *path, RxError *err)
{
    const RxWindowResult *r = o->window;
    RxAtomicFile a;
    int rc = rx_atomic_open(&a, path, err);
    if (rc != RX_OK)
        return rc;
    fputs("variable,unit,value,low,high,below [%],above [%],limited below by,limited above by,looked from,looked to\n",
          a.f);
    for (int i = 0; i < r->n; i++) {
        const RxWindow *w = &r->w[i];
        rx_csv_text(a.f, 1, w->label);
        rx_csv_text(a.f, 0, w->unit);
        rx_csv_num(a.f, w->value);
        rx_csv_num(a.f, w->low);
        rx_csv_num(a.f, w->high);
        rx_csv_num(a.f, PERCENT * (w->value - w->low) / w->value);
        rx_csv_num(a.f, PERCENT * (w->high - w->value) / w->value);
        end_cell(a.f, o->plant, w->low_end);
        end_cell(a.f, o->plant, w->high_end);
        rx_csv_num(a.f, w->range_lo);
        rx_csv_num(a.f, w->range_hi);
        fputc('\n', a.f);
    }
    return rx_atomic_close(&a, err);
}
