/*
 * config/source.c - a plant or flowsheet description read once into
 * memory, for libconfig to parse from there (config_read_string):
 *
 *   - the file is read whole, once, with a size cap (core/readfile.c): a
 *     pipe (/dev/stdin, <(...)) works, and nothing re-reads the file;
 *   - each @include line is replaced by the included file, itself read the
 *     same way: a regular file, named relative to the folder of the file
 *     that includes it, with a file:line error when it cannot be read
 *     (libconfig 1.5 opens includes itself relative to the working
 *     directory, and exits the process from its scanner on a directory);
 *   - an integer literal without the L suffix that does not fit in 32 bits
 *     gets one: libconfig 1.5 keeps only the low 32 bits of such a literal
 *     (4294967299 reads as 3), while a 64-bit one it reads whole, and the
 *     readers range-check the whole value;
 *   - a map from the lines of the text to the file and line each came
 *     from, for "file:line" in messages.
 *
 * The lexing mirrors libconfig's scanner (lib/scanner.l): block comments,
 * '#' and '//' comments, strings with their escapes, and @include only at
 * the start of a line outside a comment or string.
 */
#include "config/internal.h"

#include "core/readfile.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* @include nesting: libconfig's own limit (MAX_INCLUDE_DEPTH, 10); deeper
 * is in practice a file that includes itself. */
#define RX_MAX_INCLUDE_DEPTH 10
/* Longest path of an included file (Linux PATH_MAX). */
#define RX_MAX_PATH 4096
/* Hex digits of a 64-bit integer. */
#define RX_HEX64_DIGITS 16

/* Append n bytes to the text (within the size cap, checked by callers). */
static int put(RxSource *s, const char *b, size_t n)
{
    if (s->len + n + 1 > s->cap) {
        size_t cap = 2 * s->cap > s->len + n + 1 ? 2 * s->cap : s->len + n + 1;
        char *t = realloc(s->text, cap);
        if (!t)
            return rx_error_set(s->err, RX_NO_MEMORY, NULL, "out of memory");
        s->text = t;
        s->cap = cap;
    }
    memcpy(s->text + s->len, b, n);
    s->len += n;
    s->text[s->len] = '\0';
    for (size_t i = 0; i < n; i++)
        s->lines += b[i] == '\n';
    return RX_OK;
}

/* From the next line of the text on, the lines are file's from line on. */
static int add_segment(RxSource *s, int file, int line)
{
    if (s->nseg == RX_MAX_SOURCE_SEGMENTS)
        return rx_error_set(s->err, RX_BAD_INPUT, s->files[0], "@include: more than %d included files",
                            RX_MAX_INCLUDES);
    s->seg[s->nseg++] = (RxSourceSegment){s->lines + 1, file, line};
    return RX_OK;
}

void rx_source_where(const RxSource *s, int line, char *buf, size_t n)
{
    int k = 0;
    for (int i = 0; i < s->nseg; i++) /* the last segment starting at or before line */
        if (s->seg[i].out_line <= line)
            k = i;
    if (!s->nseg) {
        snprintf(buf, n, "%s:%d", s->files[0], line);
        return;
    }
    const RxSourceSegment *g = &s->seg[k];
    snprintf(buf, n, "%s:%d", s->files[g->file], g->line + (line - g->out_line));
}

/* Digits of an unsigned decimal or hex number into *v; 0 when it exceeds
 * 64 bits. */
static int digits_value(const char *t, size_t n, unsigned base, unsigned long long *v)
{
    *v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = isdigit((unsigned char)t[i]) ? (unsigned)(t[i] - '0')
                                                   : (unsigned)(tolower((unsigned char)t[i]) - 'a' + 10);
        if (*v > (ULLONG_MAX - d) / base)
            return 0;
        *v = *v * base + d;
    }
    return 1;
}

/* Number tokens as libconfig's scanner takes them (and TOKEN_OPEN: a
 * string or block comment the text ends in). */
enum { NUM_FLOAT, NUM_FITS, NUM_WIDEN, NUM_TOO_BIG, TOKEN_OPEN };

/* The number token at t (n bytes), 0 if none starts there: its length, and
 * in *kind whether it is a float, an integer that fits, one to mark 64-bit
 * (an integer beyond 32 bits without the L suffix) or one beyond 64 bits. */
static size_t number_token(const char *t, size_t n, int *kind)
{
    size_t i = 0;
    unsigned long long v;
    *kind = NUM_FITS;
    if (n > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') && isxdigit((unsigned char)t[2])) {
        for (i = 2; i < n && isxdigit((unsigned char)t[i]); i++)
            ;
        if (!digits_value(t + 2, i - 2, 16, &v))
            *kind = NUM_TOO_BIG;
        else if (!(i < n && t[i] == 'L') && v > INT_MAX)
            *kind = NUM_WIDEN;
        return i < n && t[i] == 'L' ? i + 1 + (i + 1 < n && t[i + 1] == 'L') : i;
    }
    i = t[0] == '+' || t[0] == '-';
    size_t d0 = i;
    while (i < n && isdigit((unsigned char)t[i]))
        i++;
    size_t nd = i - d0, e = i + 1 + (i + 1 < n && (t[i + 1] == '+' || t[i + 1] == '-'));
    int exponent = i < n && (t[i] == 'e' || t[i] == 'E') && e < n && isdigit((unsigned char)t[e]);
    if ((i < n && t[i] == '.') || (nd && exponent)) {
        *kind = NUM_FLOAT;
        for (i += i < n && t[i] == '.'; i < n && isdigit((unsigned char)t[i]); i++)
            ;
        e = i + 1 + (i + 1 < n && (t[i + 1] == '+' || t[i + 1] == '-'));
        if (i < n && (t[i] == 'e' || t[i] == 'E') && e < n && isdigit((unsigned char)t[e]))
            for (i = e; i < n && isdigit((unsigned char)t[i]); i++)
                ;
        return i;
    }
    if (!nd)
        return 0;
    /* 64 bits: up to 2^63 - 1, or 2^63 with a minus sign; 32 bits likewise */
    unsigned neg = t[0] == '-';
    unsigned long long lim64 = (unsigned long long)LLONG_MAX + neg, lim32 = (unsigned long long)INT_MAX + neg;
    if (!digits_value(t + d0, nd, 10, &v) || v > lim64)
        *kind = NUM_TOO_BIG;
    else if (!(i < n && t[i] == 'L') && v > lim32)
        *kind = NUM_WIDEN;
    return i < n && t[i] == 'L' ? i + 1 + (i + 1 < n && t[i + 1] == 'L') : i;
}

/* The token at t of the INITIAL state that may hold something to look at
 * (a comment, string, name or number): its length, never 0.  *kind as in
 * number_token for a number, NUM_FITS otherwise. */
static size_t token(const char *t, size_t n, int *kind)
{
    size_t i = 1;
    *kind = NUM_FITS;
    if (t[0] == '"') { /* a string: \" and \\ do not end it */
        while (i < n && t[i] != '"')
            i += t[i] == '\\' && i + 1 < n && (t[i + 1] == '"' || t[i + 1] == '\\') ? 2 : 1;
        *kind = i < n ? NUM_FITS : TOKEN_OPEN;
        return i < n ? i + 1 : n;
    }
    if (t[0] == '/' && n > 1 && t[1] == '*') {
        const char *end = NULL;
        for (i = 2; i + 1 < n && !end; i++)
            end = t[i] == '*' && t[i + 1] == '/' ? t + i : NULL;
        *kind = end ? NUM_FITS : TOKEN_OPEN;
        return end ? (size_t)(end - t) + 2 : n;
    }
    if (t[0] == '#' || (t[0] == '/' && n > 1 && t[1] == '/')) {
        const char *nl = memchr(t, '\n', n);
        return nl ? (size_t)(nl - t) : n;
    }
    if (isalpha((unsigned char)t[0]) || t[0] == '*') {
        while (i < n && (isalnum((unsigned char)t[i]) || t[i] == '-' || t[i] == '_' || t[i] == '*'))
            i++;
        return i;
    }
    size_t k = number_token(t, n, kind);
    return k ? k : 1;
}

static int expand(RxSource *s, int file, const char *t, size_t n, const char *dir, int depth);

/* Length of an @include directive at the start of a line of t: blanks,
 * @include, blanks and the opening quote; 0 if there is none. */
static size_t include_open(const char *t, size_t n)
{
    static const char word[] = "@include";
    size_t i = strspn(t, " \t"), w = sizeof word - 1;
    if (i >= n || n - i < w || strncmp(t + i, word, w) != 0)
        return 0;
    size_t j = i + w, b = 0;
    while (j < n && (t[j] == ' ' || t[j] == '\t'))
        j++, b++;
    return b && j < n && t[j] == '"' ? j + 1 : 0;
}

/* RX_BAD_INPUT at line `line` of file: "<setting>: <fmt>". */
__attribute__((format(printf, 5, 6))) static int fail_at(const RxSource *s, int file, int line, const char *setting,
                                                        const char *fmt, ...)
{
    char where[300], msg[600];
    snprintf(where, sizeof where, "%s:%d", s->files[file], line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return rx_error_set(s->err, RX_BAD_INPUT, where, "%s: %s", setting, msg);
}

/* The file name of an @include at t (just after its opening quote) into
 * name (RX_MAX_PATH bytes), and in *used the length to the end of its line
 * (its newline included).  Only blanks or a comment may follow it. */
static int include_name(const RxSource *s, int file, int line, const char *t, size_t n, char *name, size_t *used)
{
    size_t i = 0, k = 0;
    for (; i < n && t[i] != '"' && t[i] != '\n'; i++) {
        char ch = t[i];
        if (ch == '\\' && !(i + 1 < n && (t[i + 1] == '\\' || t[i + 1] == '"')))
            return fail_at(s, file, line, "@include", "a '\\' in the file name escapes nothing (write '\\\\')");
        if (ch == '\\')
            ch = t[++i];
        if (k + 1 >= RX_MAX_PATH)
            return fail_at(s, file, line, "@include", "the file name is longer than %d bytes", RX_MAX_PATH - 1);
        name[k++] = ch;
    }
    if (i >= n || t[i] != '"')
        return fail_at(s, file, line, "@include", "the file name does not end on its line (a missing '\"')");
    name[k] = '\0';
    for (i++; i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r'); i++)
        ;
    if (i < n && (t[i] == '#' || (t[i] == '/' && i + 1 < n && t[i + 1] == '/')))
        while (i < n && t[i] != '\n')
            i++;
    if (i < n && t[i] != '\n')
        return fail_at(s, file, line, "@include", "text after the file name (give it a line of its own)");
    if (!k)
        return fail_at(s, file, line, "@include", "no file name");
    *used = i < n ? i + 1 : n;
    return RX_OK;
}

/* The file an @include at line `line` of file names, expanded in its
 * place: relative to dir, the folder of the file that includes it. */
static int include_file(RxSource *s, int file, int line, const char *name, const char *dir, int depth)
{
    if (depth >= RX_MAX_INCLUDE_DEPTH)
        return fail_at(s, file, line, "@include", "included files nest deeper than %d (does a file include itself?)",
                       RX_MAX_INCLUDE_DEPTH);
    if (s->nfiles == RX_MAX_INCLUDES + 1)
        return fail_at(s, file, line, "@include", "more than %d included files", RX_MAX_INCLUDES);
    char path[RX_MAX_PATH];
    int w = snprintf(path, sizeof path, "%s%s", name[0] == '/' ? "" : dir, name);
    if (w < 0 || (size_t)w >= sizeof path)
        return fail_at(s, file, line, "@include", "the path is longer than %d bytes", RX_MAX_PATH - 1);
    char *text = NULL;
    size_t len = 0;
    RxError e;
    int rc = rx_read_file(path, RX_MAX_INPUT_BYTES, RX_READ_REGULAR, "the included file", &text, &len, &e);
    if (rc == RX_NO_MEMORY)
        return rx_error_set(s->err, rc, NULL, "out of memory");
    if (rc != RX_OK)
        return fail_at(s, file, line, "@include", "%s: %s", path, e.msg);
    int k = s->nfiles;
    if (s->len + len > RX_MAX_INPUT_BYTES)
        rc = fail_at(s, file, line, "@include", "with %s the description is larger than %u bytes (at most %u MB)",
                     path, RX_MAX_INPUT_BYTES, RX_MAX_INPUT_BYTES >> 20);
    else if (!(s->files[k] = strdup(path)))
        rc = rx_error_set(s->err, RX_NO_MEMORY, NULL, "out of memory");
    else {
        s->nfiles++;
        char sub[RX_MAX_PATH];
        const char *slash = strrchr(path, '/');
        snprintf(sub, sizeof sub, "%.*s", slash ? (int)(slash - path + 1) : 0, path);
        rc = expand(s, k, text, len, sub, depth + 1);
    }
    free(text);
    return rc == RX_OK ? add_segment(s, file, line + 1) : rc;
}

/* Text t (n bytes) of file into the description: @include lines expanded,
 * integers beyond 32 bits marked 64-bit. */
static int expand(RxSource *s, int file, const char *t, size_t n, const char *dir, int depth)
{
    const char *nul = memchr(t, '\0', n);
    if (nul)
        return fail_at(s, file, rx_line_of(t, (size_t)(nul - t)), "syntax", "a NUL byte in the text");
    int rc = add_segment(s, file, 1), line = 1;
    size_t i = 0, from = 0; /* t[from, i) is still to be copied */
    while (rc == RX_OK && i < n) {
        size_t k = i == 0 || t[i - 1] == '\n' ? include_open(t + i, n - i) : 0, used = 0;
        if (k) {
            char name[RX_MAX_PATH];
            if ((rc = put(s, t + from, i - from)) == RX_OK &&
                (rc = include_name(s, file, line, t + i + k, n - i - k, name, &used)) == RX_OK)
                rc = include_file(s, file, line, name, dir, depth);
            i += k + used;
            from = i;
            line++;
            continue;
        }
        int kind;
        k = token(t + i, n - i, &kind);
        if (kind == NUM_TOO_BIG)
            rc = fail_at(s, file, line, "syntax", "integer %.*s does not fit in 64 bits", (int)k, t + i);
        else if (kind == TOKEN_OPEN && depth > 0) /* it would run on into the including file */
            rc = fail_at(s, file, line, "syntax", "the included file ends inside a string or a /* comment */");
        else if (kind == NUM_WIDEN && (rc = put(s, t + from, i + k - from)) == RX_OK) {
            rc = put(s, "L", 1);
            from = i + k;
        }
        for (size_t j = i; j < i + k; j++)
            line += t[j] == '\n';
        i += k;
    }
    if (rc == RX_OK)
        rc = put(s, t + from, n - from);
    if (rc == RX_OK && depth > 0 && n && t[n - 1] != '\n')
        rc = put(s, "\n", 1); /* the including file goes on on a line of its own */
    return rc;
}

static int source_start(RxSource *s, const char *name, RxError *err)
{
    memset(s, 0, sizeof *s);
    s->err = err;
    if (!(s->files[0] = strdup(name)))
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    s->nfiles = 1;
    return RX_OK;
}

int rx_source_read(RxSource *s, const char *path, const char *what, RxError *err)
{
    int rc = source_start(s, path, err);
    char *text = NULL;
    size_t len = 0;
    if (rc == RX_OK)
        rc = rx_read_file(path, RX_MAX_INPUT_BYTES, RX_READ_ANY, what, &text, &len, err);
    if (rc == RX_IO_ERROR)
        err->code = rc = RX_BAD_INPUT; /* the input named on the command line */
    if (rc != RX_OK)
        return rc;
    /* Includes are relative to the file's folder; a pipe has none: the
     * working directory. */
    char dir[RX_MAX_PATH] = "";
    const char *slash = strrchr(path, '/');
    if (slash && rx_is_regular_file(path))
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path + 1), path);
    rc = expand(s, 0, text, len, dir, 0);
    free(text);
    return rc;
}

int rx_source_text(RxSource *s, const char *text, const char *name, RxError *err)
{
    int rc = source_start(s, name, err);
    size_t n = strlen(text);
    if (rc == RX_OK && n > RX_MAX_INPUT_BYTES)
        rc = rx_error_set(err, RX_BAD_INPUT, name, "the description is larger than %u bytes (at most %u MB)",
                          RX_MAX_INPUT_BYTES, RX_MAX_INPUT_BYTES >> 20);
    return rc == RX_OK ? expand(s, 0, text, n, "", 0) : rc;
}

void rx_source_free(RxSource *s)
{
    free(s->text);
    for (int i = 0; i < s->nfiles; i++)
        free(s->files[i]);
    memset(s, 0, sizeof *s);
}

int rx_source_parse(const RxSource *s, config_t *cfg)
{
    config_set_include_dir(cfg, RX_NO_INCLUDE_DIR);
    if (config_read_string(cfg, s->text ? s->text : ""))
        return RX_OK;
    /* libconfig puts an error at the end of the input one line past the
     * last: point at the last line and say what usually causes it. */
    int nlines = s->lines + (s->len && s->text[s->len - 1] != '\n'), line = config_error_line(cfg);
    int at_end = config_error_type(cfg) == CONFIG_ERR_PARSE && nlines > 0 && line > nlines;
    char w[300];
    rx_source_where(s, at_end ? nlines : line, w, sizeof w);
    return rx_error_set(s->err, RX_BAD_INPUT, w, "syntax: %s%s", config_error_text(cfg),
                        at_end ? " at the end of the file (an unclosed '{', '(' or '[')" : "");
}
