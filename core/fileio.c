/*
 * fileio.c - output files written safely (core/fileio.h): a temp file
 * beside each target, renamed over it only when everything was written and
 * synced, so a reader never sees a half-written file and a failed run never
 * clobbers the last good one; and sets of files through a temporary
 * directory, published together.
 */
#include "core/fileio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RX_FILE_MODE 0644 /* mkstemp makes 0600; outputs are for everyone to read */
#define RX_TEMP_SUFFIX ".tmp.XXXXXX"
#define RX_SET_TEMPLATE ".reesx-tmp.XXXXXX" /* hidden: never taken for an output */
/* Another reesx publishing into the same directory holds its lock for the
 * few renames of a set; wait for it this long (ms), polling every
 * RX_LOCK_POLL_MS, then give up rather than hang. */
#define RX_LOCK_WAIT_MS 10000
#define RX_LOCK_POLL_MS 10
#define NS_PER_MS 1000000L

int rx_atomic_open(RxAtomicFile *a, const char *path, RxError *err)
{
    a->path = path;
    a->f = NULL;
    int len = snprintf(a->tmp, sizeof a->tmp, "%s" RX_TEMP_SUFFIX, path);
    if (len < 0 || (size_t)len >= sizeof a->tmp)
        return rx_error_set(err, RX_IO_ERROR, path, "cannot write: %s", strerror(ENAMETOOLONG));
    int fd = mkstemp(a->tmp);
    if (fd >= 0 && fchmod(fd, RX_FILE_MODE) == 0 && (a->f = fdopen(fd, "w")) != NULL)
        return RX_OK;
    int e = errno;
    if (fd >= 0) {
        close(fd);
        unlink(a->tmp);
    }
    return rx_error_set(err, RX_IO_ERROR, path, "cannot write: %s", strerror(e));
}

int rx_atomic_close(RxAtomicFile *a, RxError *err)
{
    int e = 0;
    /* A write that failed earlier (a full disk, EFBIG beyond `ulimit -f`)
     * fails again when the buffer is flushed, with its errno. */
    if (fflush(a->f) != 0 || ferror(a->f))
        e = errno ? errno : EIO;
    else if (fsync(fileno(a->f)) != 0)
        e = errno;
    if (fclose(a->f) != 0 && !e)
        e = errno;
    a->f = NULL;
    if (!e && rename(a->tmp, a->path) != 0)
        e = errno;
    if (!e)
        return RX_OK;
    unlink(a->tmp);
    return rx_error_set(err, RX_IO_ERROR, a->path, "cannot write: %s", strerror(e));
}

void rx_atomic_abort(RxAtomicFile *a)
{
    if (a->f)
        fclose(a->f);
    a->f = NULL;
    unlink(a->tmp);
}

int rx_outset_begin(RxOutSet *s, const char *dir, RxError *err)
{
    s->tmp[0] = '\0';
    int n1 = snprintf(s->dir, sizeof s->dir, "%s", dir);
    int n2 = snprintf(s->tmp, sizeof s->tmp, "%s/" RX_SET_TEMPLATE, dir);
    if (n1 < 0 || n2 < 0 || (size_t)n2 >= sizeof s->tmp) {
        s->tmp[0] = '\0';
        return rx_error_set(err, RX_IO_ERROR, dir, "cannot write: %s", strerror(ENAMETOOLONG));
    }
    if (!mkdtemp(s->tmp)) {
        int e = errno;
        s->tmp[0] = '\0';
        return rx_error_set(err, RX_IO_ERROR, dir, "cannot write: %s", strerror(e));
    }
    return RX_OK;
}

int rx_outset_path(const RxOutSet *s, const char *name, char *path, size_t n, RxError *err)
{
    int len = snprintf(path, n, "%s/%s", s->tmp, name);
    if (len < 0 || (size_t)len >= n)
        return rx_error_set(err, RX_IO_ERROR, s->dir, "cannot write %s: %s", name, strerror(ENAMETOOLONG));
    return RX_OK;
}

void rx_outset_discard(RxOutSet *s)
{
    if (!s->tmp[0])
        return;
    DIR *d = opendir(s->tmp);
    if (d) {
        for (struct dirent *e; (e = readdir(d)) != NULL;)
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
                unlinkat(dirfd(d), e->d_name, 0);
        closedir(d);
    }
    rmdir(s->tmp);
    s->tmp[0] = '\0';
}

/* An exclusive lock on the directory (fd), waited for at most
 * RX_LOCK_WAIT_MS.  0, or -1 when another process keeps it.  A file system
 * without locks (ENOLCK, EINVAL) goes on unlocked. */
static int lock_dir(int fd)
{
    const struct timespec poll = {0, RX_LOCK_POLL_MS * NS_PER_MS};
    for (int waited = 0; flock(fd, LOCK_EX | LOCK_NB) != 0; waited += RX_LOCK_POLL_MS) {
        if (errno != EWOULDBLOCK && errno != EINTR)
            return 0;
        if (waited >= RX_LOCK_WAIT_MS)
            return -1;
        nanosleep(&poll, NULL);
    }
    return 0;
}

/* Before the first rename: every name can take its place (none is a
 * directory), so a rename is unlikely to fail half way through the set. */
static int check_targets(const RxOutSet *s, int dfd, const char *const *names, int n, RxError *err)
{
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
            return rx_error_set(err, RX_IO_ERROR, s->dir, "cannot write %s: %s", names[i], strerror(EISDIR));
    }
    return RX_OK;
}

int rx_outset_publish(RxOutSet *s, const char *const *names, int n, int *published, RxError *err)
{
    *published = 0;
    int rc = RX_OK;
    int dfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int tfd = open(s->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || tfd < 0)
        rc = rx_error_set(err, RX_IO_ERROR, s->dir, "cannot write: %s", strerror(errno));
    else if (lock_dir(dfd) != 0)
        rc = rx_error_set(err, RX_IO_ERROR, s->dir,
                          "cannot write: another process has held the directory's lock for %d s",
                          RX_LOCK_WAIT_MS / 1000);
    else
        rc = check_targets(s, dfd, names, n, err);
    for (int i = 0; rc == RX_OK && i < n; i++) {
        if (renameat(tfd, names[i], dfd, names[i]) != 0) {
            int e = errno;
            rc = rx_error_set(err, RX_IO_ERROR, s->dir,
                              "cannot write %s: %s (%d of the %d files of this run were already in place)",
                              names[i], strerror(e), i, n);
        } else
            (*published)++;
    }
    if (rc == RX_OK)
        fsync(dfd); /* the renames themselves survive a power cut */
    if (tfd >= 0)
        close(tfd);
    if (dfd >= 0)
        close(dfd); /* and the lock with it */
    rx_outset_discard(s);
    return rc;
}

void rx_run_id(char buf[RX_RUN_ID_LEN])
{
    unsigned int rnd = 0;
    if (getrandom(&rnd, sizeof rnd, GRND_NONBLOCK) != (ssize_t)sizeof rnd) {
        struct timespec ts; /* no entropy yet (early boot): the clock's nanoseconds */
        clock_gettime(CLOCK_REALTIME, &ts);
        rnd = (unsigned int)ts.tv_nsec;
    }
    char when[sizeof "YYYYmmddTHHMMSSZ"];
    time_t now = time(NULL);
    struct tm tmv;
    strftime(when, sizeof when, "%Y%m%dT%H%M%SZ", gmtime_r(&now, &tmv));
    snprintf(buf, RX_RUN_ID_LEN, "%s-%ld-%08x", when, (long)getpid(), rnd);
}
