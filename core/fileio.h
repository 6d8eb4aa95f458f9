/*
 * core/fileio.h - output files written safely (docs/config.md, "Output
 * safety"): the one helper every writer of reesx goes through.
 *
 * One file: a unique temp file beside the target (mkstemp: O_CREAT|O_EXCL,
 * so a file or symlink planted under its name is never opened and two runs
 * never share one), flushed to disk, then renamed over the target.
 *
 * A set of files (what one command writes): every file into a temporary
 * directory DIR/.reesx-tmp.XXXXXX, then renamed into DIR one after the other
 * in the order given, under a lock on DIR.  A failure before the first
 * rename leaves DIR as it was; the temporary directory is always removed.
 */
#ifndef RX_FILEIO_H
#define RX_FILEIO_H

#include "core/error.h"

#include <stdio.h>

/* The longest path accepted (Linux PATH_MAX); a longer one is an error,
 * never silently cut short. */
#define RX_PATH_MAX 4096

typedef struct RxAtomicFile {
    FILE *f;          /* write here */
    char tmp[RX_PATH_MAX];
    const char *path; /* borrowed */
} RxAtomicFile;

/* Open a temp file beside path (mode 0644).  RX_IO_ERROR naming path and
 * the system's reason. */
int rx_atomic_open(RxAtomicFile *a, const char *path, RxError *err);
/* Flush, sync and rename over path; on any error remove the temp file and
 * return RX_IO_ERROR with the system's reason (path is left as it was). */
int rx_atomic_close(RxAtomicFile *a, RxError *err);
/* Give up: close and remove the temp file (path is left as it was). */
void rx_atomic_abort(RxAtomicFile *a);

/* A set of output files published together. */
typedef struct RxOutSet {
    char dir[RX_PATH_MAX]; /* where the set goes */
    char tmp[RX_PATH_MAX]; /* where it is written first; "" once removed */
} RxOutSet;

/* Make the temporary directory inside dir (which must exist). */
int rx_outset_begin(RxOutSet *s, const char *dir, RxError *err);
/* The path of file name in the temporary directory (into path, n bytes). */
int rx_outset_path(const RxOutSet *s, const char *name, char *path, size_t n, RxError *err);
/* Rename names[0..n-1] from the temporary directory into dir, in that
 * order, and remove the temporary directory.  *published: how many were
 * renamed (0 on any failure before the first rename: dir untouched). */
int rx_outset_publish(RxOutSet *s, const char *const *names, int n, int *published, RxError *err);
/* Remove the temporary directory and what is in it. */
void rx_outset_discard(RxOutSet *s);

/* A new run id (UTC time, process id, random bits), NUL-terminated in buf:
 * "20250101T120000Z-1234-9f86d081". */
#define RX_RUN_ID_LEN 48
void rx_run_id(char buf[RX_RUN_ID_LEN]);

#endif
