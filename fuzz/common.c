/*
 * fuzz/common.c - the helpers of fuzz/fuzz.h.
 */
#include "fuzz/fuzz.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("reesx fuzz: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

char *fuzz_text(const uint8_t *data, size_t size)
{
    char *t = malloc(size + 1);
    if (!t)
        fuzz_fail("out of memory for a %zu-byte input", size);
    if (size)
        memcpy(t, data, size);
    t[size] = '\0';
    return t;
}

static char tmp_path[4096];
static int tmp_fd = -1;

static void remove_tmp(void)
{
    if (tmp_fd >= 0) {
        close(tmp_fd);
        unlink(tmp_path);
        tmp_fd = -1;
    }
}

const char *fuzz_file(const uint8_t *data, size_t size)
{
    if (tmp_fd < 0) {
        const char *dir = getenv("TMPDIR");
        snprintf(tmp_path, sizeof tmp_path, "%s/reesx-fuzz-XXXXXX", dir && *dir ? dir : "/tmp");
        tmp_fd = mkstemp(tmp_path);
        if (tmp_fd < 0)
            fuzz_fail("cannot make a temp file %s", tmp_path);
        atexit(remove_tmp);
    }
    if (ftruncate(tmp_fd, 0) != 0)
        fuzz_fail("cannot truncate %s", tmp_path);
    for (size_t done = 0; done < size;) {
        ssize_t w = pwrite(tmp_fd, data + done, size - done, (off_t)done);
        if (w <= 0)
            fuzz_fail("cannot write %s", tmp_path);
        done += (size_t)w;
    }
    return tmp_path;
}

const char *fuzz_source_path(const char *rel)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", RX_SOURCE_DIR, rel);
    return buf;
}
