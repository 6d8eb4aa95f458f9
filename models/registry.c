/* registry.c - every equilibrium model, chosen by name from the config;
 * the first is the default. */
#include "models/model.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const RxModelType rx_model_mass_action;
extern const RxModelType rx_model_constant_d;
extern const RxModelType rx_model_separation_factor;
extern const RxModelType rx_model_empirical_logd;

/* The first is the default. */
static const RxModelType *const registry[] = {
    &rx_model_mass_action,
    &rx_model_constant_d,
    &rx_model_separation_factor,
    &rx_model_empirical_logd,
};
#define NMODELS (sizeof registry / sizeof registry[0])

const RxModelType *rx_model_find(const char *name)
{
    for (size_t i = 0; i < NMODELS; i++)
        if (strcmp(registry[i]->name, name) == 0)
            return registry[i];
    return NULL;
}

const RxModelType *rx_model_at(size_t i)
{
    return i < NMODELS ? registry[i] : NULL;
}

const RxModelType *rx_model_default(void)
{
    return registry[0];
}

/* Built once: a message may ask for the list from any design thread. */
static char names[256];
static pthread_once_t names_once = PTHREAD_ONCE_INIT;

static void names_build(void)
{
    size_t len = 0;
    for (size_t i = 0; i < NMODELS; i++) {
        int wrote = snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "", registry[i]->name);
        if (wrote < 0 || (size_t)wrote >= sizeof names - len)
            break; /* cut short: still a string */
        len += (size_t)wrote;
    }
}

const char *rx_model_names(void)
{
    pthread_once(&names_once, names_build);
    return names;
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

int rx_model_check_organic(const RxPlant *p, RxError *err)
{
    for (int i = 0; p->model->type->needs_extractant && i < p->nfeeds; i++) {
        const RxFeed *f = &p->feeds[i];
        double used = rx_feed_extractant_use(p, f);
        if (f->phase == RX_ORG && used >= p->extractant_conc)
            return rx_error_set(err, RX_BAD_INPUT, p->path,
                                "%s: loaded metals and saponification use %.4g mol/L of %.4g mol/L extractant: the "
                                "organic is over-saturated",
                                f->name, used, p->extractant_conc);
    }
    return RX_OK;
}

int rx_model_provenance(const RxPlant *p, int *cls)
{
    const RxModelSpec *spec = &p->model_spec;
    for (int j = 0; j < p->nsp; j++) {
        cls[j] = spec->datafile[0] ? rx_datafile_class(spec->datafile, rx_plant_element(p, j)->sym) : -1;
        for (int i = 0; i < spec->nvalues; i++)
            if (spec->value_elem[i] == p->species[j])
                cls[j] = RX_CLASS_GIVEN; /* the config's value wins over the file's */
    }
    int indicative = 0;
    for (int i = 0; i < p->nproducts; i++)
        for (int k = 0; k < p->products[i].ntargets; k++)
            indicative |= cls[p->products[i].targets[k]] == RX_CLASS_PLACEHOLDER;
    return indicative;
}
