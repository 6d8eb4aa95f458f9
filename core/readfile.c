/* readfile.c - an input file read whole, once, into memory, with a size
 * cap; the UTF-8 check of text read. */
#include "core/readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* First read of a file whose size is not known (a pipe); the buffer
 * doubles from there. */
#define RX_READ_CHUNK 65536
#define RX_BYTES_PER_MB (1024.0 * 1024.0)

/* What a file that is not a regular one is, for messages. */
static const char *kind_of(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO or pipe";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a plain file";
}

static int too_large(const char *path, const char *what, size_t max, RxError *err)
{
    return rx_error_set(err, RX_BAD_INPUT, path, "%s is larger than %zu bytes (at most %.6g MB)", what, max,
                        (double)max / RX_BYTES_PER_MB);
}

/* Read fd to its end into a buffer of at most max bytes (+ the NUL). */
static int read_all(int fd, const char *path, const char *what, size_t max, size_t hint, char **text, size_t *len,
                    RxError *err)
{
    size_t cap = hint < max ? hint + 1 : max + 1, n = 0;
    char *t = malloc(cap + 1);
    if (!t)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    for (;;) {
        if (n == cap) { /* full (so n <= max): grow, to one byte more than max at most */
            size_t grown = cap > (max + 1) / 2 ? max + 1 : 2 * cap;
            char *u = realloc(t, grown + 1);
            if (!u) {
                free(t);
                return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
            }
            t = u;
            cap = grown;
        }
        ssize_t got = read(fd, t + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            free(t);
            return rx_error_set(err, RX_IO_ERROR, path, "cannot read %s (%s)", what, strerror(e));
        }
        if (got == 0)
            break;
        n += (size_t)got;
        if (n > max) {
            free(t);
            return too_large(path, what, max, err);
        }
    }
    t[n] = '\0';
    *text = t;
    if (len)
        *len = n;
    return RX_OK;
}

int rx_read_file(const char *path, size_t max, int how, const char *what, char **text, size_t *len, RxError *err)
{
    *text = NULL;
    /* O_NONBLOCK: opening a FIFO with no writer would wait forever. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | (how == RX_READ_REGULAR ? O_NONBLOCK : 0));
    if (fd < 0)
        return rx_error_set(err, RX_IO_ERROR, path, "cannot open %s (%s)", what, strerror(errno));
    struct stat st;
    int rc = RX_OK;
    if (fstat(fd, &st) != 0)
        rc = rx_error_set(err, RX_IO_ERROR, path, "cannot open %s (%s)", what, strerror(errno));
    else if (S_ISDIR(st.st_mode) || (how == RX_READ_REGULAR && !S_ISREG(st.st_mode)))
        rc = rx_error_set(err, RX_BAD_INPUT, path, "%s is not a regular file (%s)", what, kind_of(st.st_mode));
    else if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max)
        rc = too_large(path, what, max, err);
    else if (how == RX_READ_REGULAR && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0)
        rc = rx_error_set(err, RX_IO_ERROR, path, "cannot read %s (%s)", what, strerror(errno));
    else
        rc = read_all(fd, path, what, max, S_ISREG(st.st_mode) ? (size_t)st.st_size : RX_READ_CHUNK, text, len,
                      err);
    close(fd);
    return rc;
}

int rx_is_regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int rx_is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Length of the well-formed UTF-8 sequence at s (n bytes left), 0 if none. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t k;
    unsigned lo = 0x80, hi = 0xBF; /* the allowed range of the second byte */
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        k = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        k = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80; /* no overlong form */
        hi = c == 0xED ? 0x9F : 0xBF; /* no surrogate */
    } else if (c >= 0xF0 && c <= 0xF4) {
        k = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF; /* nothing above U+10FFFF */
    } else
        return 0;
    if (n < k || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < k; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return k;
}

size_t rx_utf8_invalid(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t k = utf8_seq(u + i, n - i);
        if (!k)
            return i;
        i += k;
    }
    return n;
}

int rx_line_of(const char *s, size_t off)
{
    int line = 1;
    for (size_t i = 0; i < off && s[i]; i++)
        line += s[i] == '\n';
    return line;
}
