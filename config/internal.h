/*
 * config/internal.h - what the files of config/ share (not for other
 * folders): the reading context, the readers of settings (read.c), the unit
 * tables and one reader per schema group of the plant description.
 *
 * Every reader returns RX_OK, or fills c->err and returns its code.  Errors
 * read "file:line" in err->where and "setting: what is wrong [unit]" in
 * err->msg, from libconfig's own line numbers.  config/ is the only user of
 * libconfig.h.
 */
#ifndef RX_CONFIG_INTERNAL_H
#define RX_CONFIG_INTERNAL_H

#include "config/config.h"

#include "models/model.h"

#include <libconfig.h>
#include <stddef.h>

/* mL per L, % per unit and s per min, for unit conversions. */
#define ML_PER_L 1000.0
#define PERCENT 100.0
#define S_PER_MIN 60.0

/* ---- the description read once (source.c) -------------------------------- */

/* libconfig's include folder while it parses text reesx has expanded: it
 * meets no @include (expand() in source.c replaced them all, lexing as its
 * scanner does); should it ever, /dev/null is no folder, so it opens
 * nothing, rather than a path relative to the working directory. */
#define RX_NO_INCLUDE_DIR "/dev/null"

/* Files one description may @include in all: a plant is one file and a
 * few shared pieces (extractant, model constants); the map from lines to
 * files stays a small fixed table. */
#define RX_MAX_INCLUDES 64
#define RX_MAX_SOURCE_SEGMENTS (2 * RX_MAX_INCLUDES + 1)

/* From line out_line of the text on, the lines are file's from line on. */
typedef struct RxSourceSegment {
    int out_line, file, line;
} RxSourceSegment;

/* A description in memory: its text with the @includes expanded, and
 * where each line came from. */
typedef struct RxSource {
    char *text;                  /* NUL ended; NULL when empty */
    size_t len, cap;
    int lines;                   /* newlines in text */
    int nfiles;
    char *files[RX_MAX_INCLUDES + 1]; /* [0] the description as named, then each included file */
    int nseg;
    RxSourceSegment seg[RX_MAX_SOURCE_SEGMENTS];
    RxError *err;                /* borrowed, for the readers' errors */
} RxSource;

/* The description at path (what names it in messages: "the plant
 * description"), read once: a regular file or a pipe, at most
 * RX_MAX_INPUT_BYTES with its included files.  RX_BAD_INPUT at file:line
 * for an @include that cannot be read, a NUL byte, an integer beyond 64
 * bits.  rx_source_free it, also after an error. */
int rx_source_read(RxSource *s, const char *path, const char *what, RxError *err);
/* The same for text in memory named name; relative @includes resolve
 * against the working directory. */
int rx_source_text(RxSource *s, const char *text, const char *name, RxError *err);
void rx_source_free(RxSource *s);
/* "file:line" of line `line` of s->text into buf (n bytes). */
void rx_source_where(const RxSource *s, int line, char *buf, size_t n);
/* libconfig's parse of s->text into cfg; RX_BAD_INPUT "syntax: ..." at file:line. */
int rx_source_parse(const RxSource *s, config_t *cfg);

/* What a reader needs: the file (for messages), the error to fill and the
 * plant being read (borrowed). */
typedef struct RxCfg {
    const char *path;
    RxError *err;
    RxPlant *p;
    const RxModelType *model; /* the plant's model type, from rx_cfg_read_model on */
    const RxSource *src;      /* the text parsed, for file:line; NULL: lines are path's */
} RxCfg;

/* ---- messages (read.c) ---------------------------------------------------- */

/* "file:line" of a setting (thread-local storage, overwritten by the next call). */
const char *rx_cfg_where(const RxCfg *c, const config_setting_t *s);
/* RX_BAD_INPUT at setting s: "setting: <fmt>"; at line 1 as "(top level)" for the root. */
__attribute__((format(printf, 3, 4))) int rx_cfg_fail(const RxCfg *c, const config_setting_t *s, const char *fmt,
                                                      ...);
/* RX_BAD_INPUT for the required member key of group g, which is missing:
 * named in full ("feeds[2].flow") at the line of g, or at line 1 for a
 * top-level setting. */
__attribute__((format(printf, 4, 5))) int rx_cfg_fail_missing(const RxCfg *c, const config_setting_t *g,
                                                              const char *key, const char *fmt, ...);

/* ---- settings (read.c) ---------------------------------------------------- */

static inline const config_setting_t *rx_cfg_member(const config_setting_t *g, const char *name)
{
    return config_setting_get_member(g, name);
}
/* Reject members of group g not listed in allowed (NULL-terminated). */
int rx_cfg_check_keys(const RxCfg *c, const config_setting_t *g, const char *const *allowed);
/* Member `name` of g, which must exist and be of type (CONFIG_TYPE_FLOAT: any
 * number; CONFIG_TYPE_INT: an integer of 32 or 64 bits, to read with
 * config_setting_get_int64; CONFIG_TYPE_NONE: any type, the caller checks it). */
int rx_cfg_need(const RxCfg *c, const config_setting_t *g, const char *name, int type,
                const config_setting_t **out);
/* 1 when m is an integer setting (libconfig's 32- or 64-bit int). */
int rx_cfg_is_integer(const config_setting_t *m);
/* The integer member `name` of g (required; CONFIG_TYPE_INT in rx_cfg_need
 * takes both widths) as its whole 64-bit value, and the setting, for the
 * caller's range check before it narrows the value. */
int rx_cfg_get_integer(const RxCfg *c, const config_setting_t *g, const char *name, const config_setting_t **m,
                       long long *out);
/* A number setting, integer or floating point. */
double rx_cfg_number(const config_setting_t *m);
/* The string member `name` of g (required); *out borrowed from the config. */
int rx_cfg_get_string(const RxCfg *c, const config_setting_t *g, const char *name, const char **out);
/* The string member `name` of g (required) as a path into out (n bytes):
 * relative to the folder of the config file, or absolute; RX_BAD_INPUT when
 * it does not fit. */
int rx_cfg_get_path(const RxCfg *c, const config_setting_t *g, const char *name, char *out, size_t n);
/* The string setting `name` of g as the index of one of words (NULL
 * ended); otherwise an error "'x' is not <what> (use a, b or c)". */
int rx_cfg_get_word(const RxCfg *c, const config_setting_t *g, const char *name, const char *const *words,
                    const char *what, int *out);
/* phase = "aqueous" | "organic" of g: RX_AQ or RX_ORG. */
int rx_cfg_get_phase(const RxCfg *c, const config_setting_t *g, int *out);
/* stage of g: a 1-based integer, or "section:first|last|N" (also kept in *ref). */
int rx_cfg_get_stage(const RxCfg *c, const config_setting_t *g, int *out, RxStageRef *ref);
/* The optional list `name` of groups shaped like `shape`: *list is NULL when
 * absent; otherwise *items holds its length (at least 1) of zeroed items
 * of item bytes each (the caller frees them). */
int rx_cfg_get_list(const RxCfg *c, const config_setting_t *root, const char *name, const char *shape, size_t item,
                    void **items, const config_setting_t **list);
/* Index of the item named name in items (n of them, size bytes each, each
 * starting with its char name[RX_NAME_LEN]), -1 if none. */
int rx_cfg_index_by_name(const void *items, size_t size, int n, const char *name);

/* Every string setting of s and below is at most RX_MAX_STRING_BYTES
 * long and UTF-8; otherwise RX_BAD_INPUT at its file:line. */
int rx_cfg_check_strings(const RxCfg *c, const config_setting_t *s);
/* A plant from the parsed description cfg of src (named path); *out keeps
 * src's text (src->text becomes NULL).  chemistry: as rx_plant_load_for_fit. */
int rx_cfg_load_plant(const char *path, RxSource *src, const config_t *cfg, int chemistry, RxPlant **out,
                      RxError *err);

/* The top of a plant or flowsheet description: no member but keys (NULL
 * ended), a version this reesx reads, and the optional title into title
 * (n bytes). */
int rx_cfg_read_head(const RxCfg *c, const config_setting_t *root, const char *const *keys, char *title, size_t n);

/* ---- quantities (read.c) -------------------------------------------------- */

/* A unit and the factor that takes a number in it to the internal unit. */
typedef struct RxUnit {
    const char *unit;
    double factor; /* multiply the number to get the internal unit */
} RxUnit;
/* Unit tables, {NULL, 0} ended; the first is the internal unit. */
extern const RxUnit rx_cfg_flow_units[];     /* L/h */
extern const RxUnit rx_cfg_percent_units[];  /* fraction, written in % */
extern const RxUnit rx_cfg_fraction_units[]; /* fraction, in % or ppm */
extern const RxUnit rx_cfg_molar_units[];    /* mol/L */
extern const RxUnit rx_cfg_time_units[];     /* h */

/* A quantity string: number, then unit.  0 if it does not start with a
 * number; *unit points into s. */
int rx_cfg_split_quantity(const char *s, double *v, const char **unit);
/* Setting m as "<number> <unit>" with one of units, in internal units. */
int rx_cfg_get_quantity(const RxCfg *c, const config_setting_t *m, const RxUnit *units, const char *example,
                        double *out);
/* Concentration setting m of element e, "v unit" (mol/L, mmol/L, g/L,
 * mg/L, g/L REO, mg/L REO, not negative), as mol/L. */
int rx_cfg_get_concentration(const RxCfg *c, const config_setting_t *m, const RxElement *e, double *out);
/* Free acid of setting m, "x mol/L" (HCl) or "pH x", as [H+] mol/L. */
int rx_cfg_get_acid(const RxCfg *c, const config_setting_t *m, double *h);

/* ---- schema groups, in the order plant.c reads them ----------------------- */

/* model (model.c): type and the spec settings; sets c->model.  The
 * per-species values come after the species are known. */
int rx_cfg_read_model(RxCfg *c, const config_setting_t *root);
int rx_cfg_read_model_values(const RxCfg *c, const config_setting_t *root);
/* sections (sections.c): stages, holdups and non-idealities. */
int rx_cfg_read_sections(const RxCfg *c, const config_setting_t *root);
/* feeds, draws and products (streams.c). */
int rx_cfg_read_feeds(const RxCfg *c, const config_setting_t *root);
int rx_cfg_read_draws(const RxCfg *c, const config_setting_t *root);
int rx_cfg_read_products(const RxCfg *c, const config_setting_t *root);
/* Composition, acid and saponification of feed group g into f; event: g
 * changes an existing feed (every setting optional, no new species). */
int rx_cfg_feed_body(const RxCfg *c, const config_setting_t *g, RxFeed *f, int event);
/* dynamics (dynamics.c), design (design.c), cost (cost.c). */
int rx_cfg_read_dynamics(const RxCfg *c, const config_setting_t *root);
int rx_cfg_read_design(const RxCfg *c, const config_setting_t *root);
int rx_cfg_read_cost(const RxCfg *c, const config_setting_t *root);
/* uncertainty (uncertainty.c): what reesx uncertainty samples, after
 * the model values and the feeds. */
int rx_cfg_read_uncertainty(const RxCfg *c, const config_setting_t *root);
/* fit (fit.c): the shake-out data and what is fitted. */
int rx_cfg_read_fit(const RxCfg *c, const config_setting_t *root);

#endif
