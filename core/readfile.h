/*
 * core/readfile.h - the one way reesx reads an input file: whole, once,
 * into memory, with a size cap; and the UTF-8 check of what it read.
 *
 * Every reader parses the text in memory, so a file that changes while
 * reesx runs (a design search, a flowsheet) cannot change what was read,
 * and a pipe (/dev/stdin, <(...)) is read once.
 */
#ifndef RX_READFILE_H
#define RX_READFILE_H

#include "core/error.h"

#include <stddef.h>
#include <sys/stat.h>

/* No input file reesx reads (a plant or flowsheet description with its
 * @includes, a data file, a shake-out or profile CSV) is larger: the
 * largest shipped one is 12 kB, and a generated plant of RX_MAX_SECTIONS
 * sections with long event and watch lists stays below 1 MB.  libconfig
 * takes about 8 bytes of memory per byte of text, so a description at the
 * cap needs some 130 MB and parses in about a second. */
#define RX_MAX_INPUT_BYTES (16u * 1024u * 1024u)

/* How rx_read_file may read.  RX_READ_REGULAR: a regular file only; a
 * FIFO, device (/dev/zero), socket or directory is refused without
 * blocking on it (data, state, include and CSV files).  RX_READ_ANY: a
 * pipe or terminal too, read to its end or to the cap (the description
 * named on the command line: /dev/stdin, <(...)); a directory never. */
enum { RX_READ_REGULAR = 0, RX_READ_ANY = 1 };

/* The file at path whole into *text (malloc'd, NUL ended; *len bytes
 * before the NUL when len is not NULL), at most max bytes.  what names the
 * file in messages ("the plant description", "data file").  Errors, with
 * err->where = path:
 *   RX_IO_ERROR   "cannot open <what> (<reason>)", "cannot read <what> (<reason>)"
 *   RX_BAD_INPUT  "<what> is not a regular file (a directory|a FIFO|a device|...)",
 *                 "<what> is larger than <max> bytes (at most <max/MB> MB)"
 *   RX_NO_MEMORY */
int rx_read_file(const char *path, size_t max, int how, const char *what, char **text, size_t *len, RxError *err);

/* 1 when path names a regular file (symbolic links followed), found
 * without opening it: a FIFO would block an open. */
int rx_is_regular_file(const char *path);
/* 1 when path names a directory (symbolic links followed). */
int rx_is_directory(const char *path);

/* Offset of the first byte of s[0, n) that is not part of well-formed
 * UTF-8 (RFC 3629: no overlong form, surrogate or code point above
 * U+10FFFF, no truncated sequence); n when all of it is. */
size_t rx_utf8_invalid(const char *s, size_t n);

/* 1-based line of byte offset off of s (lines end at '\n'). */
int rx_line_of(const char *s, size_t off);

#endif
