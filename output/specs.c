/*
 * output/specs.c - specs.csv: each design spec as solved (reesx run on a
 * plant with design.specs): the variable's value and range, the target and
 * what it reached, the margin, and the work of the solve.
 */
#include "output/writer.h"

#include "core/fileio.h"
#include "design/spec.h"
#include "design/targets.h"

int rx_output_specs(const RxOutputs *o, const char *path, RxError *err)
{
    const RxPlant *p = o->plant;
    const RxSpecResult *r = o->specs;
    RxAtomicFile a;
    int rc = rx_atomic_open(&a, path, err);
    if (rc != RX_OK)
        return rc;
    fputs("spec [-],variable,value,min,max,unit,target,required,reached,target unit,margin [-],"
          "iterations [-],circuits solved [-],Newton iterations [-]\n",
          a.f);
    for (int k = 0; k < r->n; k++) {
        const RxSpec *sp = &p->design.specs[k];
        double scale = sp->kind == RX_SPEC_FLOW ? 1.0 : PERCENT;
        fprintf(a.f, "%d", k + 1);
        rx_csv_text(a.f, 0, sp->label);
        rx_csv_num(a.f, scale * r->x[k]);
        rx_csv_num(a.f, scale * sp->min);
        rx_csv_num(a.f, scale * sp->max);
        rx_csv_text(a.f, 0, sp->kind == RX_SPEC_FLOW ? "L/h" : "%");
        rx_csv_text(a.f, 0, sp->target.label);
        rx_csv_num(a.f, rx_target_shown(&sp->target, sp->target.value));
        rx_csv_num(a.f, rx_target_shown(&sp->target, r->achieved[k]));
        rx_csv_text(a.f, 0, rx_target_unit(&sp->target));
        rx_csv_num(a.f, r->margin[k]);
        fprintf(a.f, ",%d,%d,%d\n", r->iterations, r->solves, r->newton);
    }
    return rx_atomic_close(&a, err);
}
