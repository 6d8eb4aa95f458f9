/* datafile.c - reader for the whitespace-column data files in models/data.
 * Every data row must end with its class (literature, fitted, derived or
 * placeholder) and a [source] key: numbers without them are rejected, so the
 * rules "every literature number has its source" and "every number says what
 * it rests on" are enforced by the parser, not by review. */
#include "core/datafile.h"

#include "core/readfile.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define RX_DATA_MAX_TOK 16
#define RX_DATA_LINE 1024  /* longer lines are read in pieces of RX_DATA_LINE - 1 */
#define RX_DATA_CACHE 32   /* files kept; more are read every time */

/* Data files are read once per process: a design search or a flowsheet
 * builds many plants from the same files.  An entry is used while the file
 * on disk keeps its identity, size and modification time (a rewrite of the
 * same size within the file system's time resolution goes unseen). */
typedef struct {
    char *path, *text;
    size_t len;
    struct stat st;
} Cached;
static Cached cache[RX_DATA_CACHE];
static int ncache;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* The whole file (malloc'd, NUL ended): a regular file of at most
 * RX_MAX_INPUT_BYTES, in UTF-8 (its names and source keys reach the
 * outputs).  *st is its status from before the read: should the file
 * change in between, the next look-up sees a changed file and reads it
 * again. */
static int slurp(const char *path, struct stat *st, char **text, size_t *len, RxError *err)
{
    if (stat(path, st) != 0)
        memset(st, 0, sizeof *st);
    int rc = rx_read_file(path, RX_MAX_INPUT_BYTES, RX_READ_REGULAR, "data file", text, len, err);
    if (rc != RX_OK)
        return rc;
    size_t bad = rx_utf8_invalid(*text, *len);
    if (bad < *len) {
        char where[300];
        snprintf(where, sizeof where, "%s:%d", path, rx_line_of(*text, bad));
        rc = rx_error_set(err, RX_BAD_INPUT, where, "data file is not UTF-8 text (byte 0x%02x)",
                          (unsigned)(unsigned char)(*text)[bad]);
        free(*text);
        *text = NULL;
    }
    return rc;
}

/* A private copy of the file's text, from the cache when the file is unchanged. */
static int file_text(const char *path, char **text, size_t *len, RxError *err)
{
    struct stat now;
    int rc = RX_OK;
    pthread_mutex_lock(&cache_lock);
    Cached *c = NULL;
    for (int i = 0; i < ncache && !c; i++)
        if (strcmp(cache[i].path, path) == 0)
            c = &cache[i];
    if (c && (stat(path, &now) != 0 || !same_file(&now, &c->st))) {
        free(c->text); /* changed on disk: read again */
        c->text = NULL;
    }
    if (!c && ncache < RX_DATA_CACHE && (cache[ncache].path = strdup(path)))
        c = &cache[ncache++];
    if (c && !c->text)
        rc = slurp(path, &c->st, &c->text, &c->len, err);
    if (rc == RX_OK && c && c->text) {
        *len = c->len;
        if ((*text = malloc(c->len + 1)))
            memcpy(*text, c->text, c->len + 1);
        else
            rc = rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    }
    pthread_mutex_unlock(&cache_lock);
    if (rc == RX_OK && !c) { /* the cache is full */
        struct stat st;
        rc = slurp(path, &st, text, len, err);
    }
    return rc;
}

/* The next line of text at *pos into buf, as fgets would give it. */
static int next_line(const char *text, size_t len, size_t *pos, char *buf)
{
    if (*pos >= len)
        return 0;
    size_t n = 0;
    while (*pos < len && n < RX_DATA_LINE - 1) {
        buf[n++] = text[*pos];
        if (text[(*pos)++] == '\n')
            break;
    }
    buf[n] = '\0';
    return 1;
}

/* The columns of one line, its '#' comment cut off; returns how many. */
static int tokenize(char *buf, char **tok)
{
    char *hash = strchr(buf, '#');
    if (hash)
        *hash = '\0';
    int n = 0;
    for (char *save = NULL, *t = strtok_r(buf, " \t\r\n", &save); t && n < RX_DATA_MAX_TOK;
         t = strtok_r(NULL, " \t\r\n", &save))
        tok[n++] = t;
    return n;
}

int rx_datafile_read(const char *path, int min_cols, RxDataRow row, void *ctx, RxError *err)
{
    char *text = NULL;
    size_t len = 0, pos = 0;
    int rc = file_text(path, &text, &len, err);
    if (rc != RX_OK)
        return rc;
    char buf[RX_DATA_LINE];
    int line = 0;
    while (rc == RX_OK && next_line(text, len, &pos, buf)) {
        line++;
        char *tok[RX_DATA_MAX_TOK];
        int n = tokenize(buf, tok);
        if (n == 0)
            continue;
        char where[300];
        snprintf(where, sizeof where, "%s:%d", path, line);
        const char *src = tok[n - 1];
        if (src[0] != '[' || src[strlen(src) - 1] != ']') {
            rc = rx_error_set(err, RX_BAD_INPUT, where, "data row has no [source] key as its last column");
            break;
        }
        if (n < 3 || rx_data_class_of(tok[n - 2]) < 0) {
            rc = rx_error_set(err, RX_BAD_INPUT, where,
                              "data row has no class (literature, fitted, derived or placeholder) before its source key");
            break;
        }
        n--; /* the class: what the number is, not part of the row */
        tok[n - 1] = tok[n];
        if (n - 1 < min_cols) {
            rc = rx_error_set(err, RX_BAD_INPUT, where, "expected %d columns before the source, found %d",
                              min_cols, n - 1);
            break;
        }
        rc = row(ctx, tok, n - 1, line, err);
        if (rc != RX_OK && err && err->where[0] == '\0')
            snprintf(err->where, sizeof err->where, "%s", where);
    }
    free(text);
    return rc;
}

static const char *const class_names[RX_NCLASSES] = {"literature", "fitted", "derived", "placeholder"};

const char *rx_data_class_name(int cls)
{
    return cls >= 0 && cls < RX_NCLASSES ? class_names[cls] : "given";
}

int rx_data_class_of(const char *word)
{
    for (int i = 0; i < RX_NCLASSES; i++)
        if (strcmp(word, class_names[i]) == 0)
            return i;
    return -1;
}

/* The tokens of the first row whose first column is key into tok (buf
 * holds them); their count, 0 when there is no such row or no file. */
static int row_of(const char *path, const char *key, char *buf, char **tok)
{
    char *text = NULL;
    size_t len = 0, pos = 0;
    RxError err;
    if (file_text(path, &text, &len, &err) != RX_OK)
        return 0;
    int n = 0;
    while (!n && next_line(text, len, &pos, buf)) {
        n = tokenize(buf, tok);
        if (n < 3 || strcmp(tok[0], key) != 0)
            n = 0;
    }
    free(text);
    return n;
}

int rx_datafile_class(const char *path, const char *key)
{
    char buf[RX_DATA_LINE], *tok[RX_DATA_MAX_TOK];
    int n = row_of(path, key, buf, tok);
    return n ? rx_data_class_of(tok[n - 2]) : -1;
}

int rx_datafile_number(const char *path, const char *key, int col, double *out)
{
    char buf[RX_DATA_LINE], *tok[RX_DATA_MAX_TOK];
    int n = row_of(path, key, buf, tok);
    return col > 0 && col < n - 2 && rx_parse_number(tok[col], out);
}

int rx_parse_number(const char *s, double *out)
{
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}
