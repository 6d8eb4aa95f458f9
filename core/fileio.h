/* core/fileio.h - output files written atomically (temp file + rename). */
#ifndef RX_FILEIO_H
#define RX_FILEIO_H

#include "core/error.h"

#include <stdio.h>

typedef struct RxAtomicFile {
    FILE *f;          /* write here */
    char tmp[600];
    const char *path; /* borrowed */
} RxAtomicFile;

/* Open a temp file beside path (mode 0644).  RX_IO_ERROR naming path. */
int rx_atomic_open(RxAtomicFile *a, const char *path, RxError *err);
/* Close and rename over path; on any write error remove the temp file and
 * return RX_IO_ERROR (path is left as it was). */
int rx_atomic_close(RxAtomicFile *a, RxError *err);

#endif
