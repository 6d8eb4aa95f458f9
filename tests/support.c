/* support.c - what the test files share. */
#include "support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

RxPlant *load_text(const char *text)
{
    char path[] = "/tmp/reesx-test-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    RxPlant *p = NULL;
    RxError err;
    rx_error_clear(&err);
    int rc = rx_plant_load(path, &p, &err);
    unlink(path);
    cr_assert_eq(rc, RX_OK, "%s: %s", err.where, err.msg);
    return p;
}
