/* fileio.c - output files written atomically: a temp file beside the target,
 * renamed over it only when everything was written, so a reader never sees a
 * half-written file and a failed run never clobbers the last good one. */
#include "core/fileio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RX_FILE_MODE 0644

int rx_atomic_open(RxAtomicFile *a, const char *path, RxError *err)
{
    a->path = path;
    snprintf(a->tmp, sizeof a->tmp, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(a->tmp);
    if (fd >= 0)
        fchmod(fd, RX_FILE_MODE); /* mkstemp makes 0600; outputs are for everyone to read */
    if (fd < 0 || !(a->f = fdopen(fd, "w"))) {
        if (fd >= 0) {
            close(fd);
            unlink(a->tmp);
        }
        return rx_error_set(err, RX_IO_ERROR, path, "cannot write: %s", strerror(errno));
    }
    return RX_OK;
}

int rx_atomic_close(RxAtomicFile *a, RxError *err)
{
    int bad = ferror(a->f);
    bad |= fclose(a->f) != 0;
    if (bad || rename(a->tmp, a->path) != 0) {
        unlink(a->tmp);
        return rx_error_set(err, RX_IO_ERROR, a->path, "write failed: %s", strerror(errno));
    }
    return RX_OK;
}
