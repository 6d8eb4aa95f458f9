/*
 * fuzz/fuzz.h - what the libFuzzer harnesses share (docs/reliability.md,
 * "Fuzzing").  Each fuzz/fuzz_*.c is one harness: LLVMFuzzerTestOneInput
 * feeds one input to one reader of the library and aborts on a violated
 * guarantee, so that libFuzzer reports it like a sanitizer finding.
 */
#ifndef RX_FUZZ_H
#define RX_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* The input as a NUL-terminated string (an input holding a NUL ends there,
 * as a C reader would see it); the caller frees it.  Aborts when out of
 * memory (libFuzzer's -malloc_limit_mb reports the size first). */
char *fuzz_text(const uint8_t *data, size_t size);

/* Write the input to this process's own temp file (one per process,
 * reused, removed at exit) and return its path: for the readers that take
 * a path.  A regular file, as the readers will demand (issue 11, defect 4). */
const char *fuzz_file(const uint8_t *data, size_t size);

/* Stop the run on a violated guarantee: prints "reesx fuzz: " and the
 * message, then aborts (libFuzzer saves the input as crash-*). */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Path of a file of the source tree (RX_SOURCE_DIR/rel), static storage. */
const char *fuzz_source_path(const char *rel);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
