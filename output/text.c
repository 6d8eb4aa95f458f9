/*
 * output/text.c - a text file written atomically, as it is given.
 */
#include "output/output.h"

#include "core/fileio.h"

int rx_write_text(const char *text, const char *path, RxError *err)
{
    RxAtomicFile a;
    int rc = rx_atomic_open(&a, path, err);
    if (rc != RX_OK)
        return rc;
    fputs(text, a.f);
    return rx_atomic_close(&a, err);
}
