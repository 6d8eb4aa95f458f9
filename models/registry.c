/* registry.c - every equilibrium model, chosen by name from the config. */
#include "model.h"

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
