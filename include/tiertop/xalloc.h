/* Allocation that never returns NULL: running out of memory ends the program
 * with a message, so callers need no NULL checks. Every returned pointer is
 * owned by the caller and released with free(). */
#ifndef TIERTOP_XALLOC_H
#define TIERTOP_XALLOC_H

#include <stddef.h>

void *tt_xmalloc(size_t n);
void *tt_xcalloc(size_t count, size_t size);
void *tt_xrealloc(void *p, size_t n);
char *tt_xstrdup(const char *s);
char *tt_xstrndup(const char *s, size_t n);
char *tt_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Overwrites then frees a secret string; NULL is accepted. */
void tt_free_secret(char *s);

#endif
