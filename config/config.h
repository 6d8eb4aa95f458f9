/*
 * config/config.h - plant and flowsheet descriptions read from libconfig
 * files (schema in docs/config.md), and plants written back as text.
 */
#ifndef RX_CONFIG_H
#define RX_CONFIG_H

#include "core/plant.h"
#include "design/search.h"
#include "fit/fit.h"
#include "solver/flowsheet.h"

/* Read and validate a plant description.  Errors: RX_BAD_INPUT with
 * err->where = "file:line" and err->msg = "setting: what is wrong". */
int rx_plant_load(const char *path, RxPlant **out, RxError *err);
/* The same, and a description of batch chemistry alone (version, title,
 * extractant, model and a fit group with shake-out data, no sections or
 * feeds: nstages 0 and no model built) is one too; for reesx fit. */
int rx_plant_load_for_fit(const char *path, RxPlant **out, RxError *err);
/* The same from a plant description held in memory; name stands for the
 * file in error messages ("name:line"; "<text>" when NULL).  Relative paths
 * in the text (dynamics.state_file, @include) resolve against the working
 * directory.  A plant read from a file keeps its text too (p->source_text,
 * its @includes expanded): nothing reads the file a second time. */
int rx_plant_load_text(const char *text, const char *name, RxPlant **out, RxError *err);


/* The plant's description with some section stage counts and feeds
 * replaced, as libconfig text in *text (the caller frees it): sections[i]
 * takes stages[i] (nsec of them), each of the nfeed sets applies, and
 * (spec_x not NULL) the variables of design.specs take spec_x. */
int rx_plant_variant(const RxPlant *p, int nsec, const int *sections, const int *stages, int nfeed,
                     const RxFeedSet *feeds, const double *spec_x, char **text, RxError *err);
/* The plant with candidate c's stages and flows, as config text (caller frees). */
int rx_design_variant(const RxPlant *p, const RxCandidate *c, char **text, RxError *err);

/* A shake-out CSV (docs/fit.md) into *out (rx_shakeout_free), element
 * symbols from el.  RX_BAD_INPUT "file:line" / "column: what is wrong";
 * unusable measurements are dropped and listed in out->dropped. */
int rx_shakeout_read(const char *path, const RxElementTable *el, RxShakeoutData *out, RxError *err);

/* A measured stage profile of p's circuit (docs/fit.md) into *out
 * (rx_profile_free).  Errors as above; values the residual (RX_RESID_*)
 * cannot use, and each column's empty cells, are listed in out->dropped. */
int rx_profile_read(const char *path, const RxPlant *p, int residual, RxProfileData *out, RxError *err);

/* 1 if the file at path describes a flowsheet (has a flowsheet group).
 * It reads the file: a pipe read here is gone for the load after it (use
 * rx_load). */
int rx_is_flowsheet(const char *path);
int rx_flowsheet_load(const char *path, RxFlowsheet **out, RxError *err);
/* The description at path read once: a flowsheet into *fs, or else a
 * plant into *p (the other stays NULL).  For the command line, whose
 * CONFIG may be a pipe (/dev/stdin, <(...)). */
int rx_load(const char *path, RxPlant **p, RxFlowsheet **fs, RxError *err);

#endif
