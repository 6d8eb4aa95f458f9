/* registry.c - every equilibrium model, chosen by name from the config. */
#include "models/model.h"

#include <stdlib.h>
#include <string.h>

extern const RxModelType rx_model_mass_action;
extern const RxModelType rx_model_constant_d;
extern const RxModelType rx_model_separation_factor;
extern const RxModelType rx_model_empirical_logd;

static const RxModelType *const registry[] = {
    &rx_model_mass_action,
    &rx_model_constant_d,
    &rx_model_separation_factor,
    &rx_model_empirical_logd,
};

const RxModelType *rx_model_find(const char *name)
{
    for (size_t i = 0; i < sizeof registry / sizeof registry[0]; i++)
        if (strcmp(registry[i]->name, name) == 0)
            return registry[i];
    return NULL;
}

const char *rx_model_names(void)
{
    return "mass_action, constant_d, separation_factor, empirical_logd";
}

int rx_model_build(RxPlant *p, RxError *err)
{
    const RxModelType *t = rx_model_find(p->model_spec.type);
    if (!t)
        return rx_error_set(err, RX_BAD_INPUT, p->model_spec.where, "model: unknown type '%s' (use %s)",
                            p->model_spec.type, rx_model_names());
    RxModel *m = calloc(1, sizeof *m);
    if (!m)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    m->type = t;
    m->name = t->name;
    m->destroy = t->destroy;
    atomic_init(&m->refs, 1);
    int rc = t->create(&p->model_spec, p, &m->params, err);
    if (rc != RX_OK) {
        free(m);
        return rc;
    }
    rx_model_release(&p->model);
    p->model = m;
    return RX_OK;
}
