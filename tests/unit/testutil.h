/* Helpers shared by the unit tests. */
#ifndef TIERTOP_TESTS_UTIL_H
#define TIERTOP_TESTS_UTIL_H

#include <stddef.h>

/* Reads a whole file; returns a NUL-terminated heap copy (caller frees) or
 * NULL. *len gets the size when len is not NULL. */
char *tu_read_file(const char *path, size_t *len);
/* Writes text to path, creating directories is the caller's job. 0 or -1. */
int tu_write_file(const char *path, const char *text);
/* A fresh empty directory under $TMPDIR; caller frees the string. */
char *tu_mkdtemp(void);

/* Golden files: compares actual with tests/golden/NAME.txt under
 * $top_srcdir (".txt" is added unless name has it). Returns 1 when they are
 * equal, else 0 after printing the first differing line as TAP comments and
 * writing actual to NAME.actual in the current directory (the build dir) for
 * diff. With TT_GOLDEN_UPDATE=1 in the environment the file is rewritten
 * instead and 1 returned. See tests/golden/README.md. */
int tt_golden_check(const char *name, const char *actual);

#endif
