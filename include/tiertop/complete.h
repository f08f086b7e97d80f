/* Completing a word typed at a prompt (the console's `:` line) among
 * candidates: function or table names, profiles, applications, ranges.
 * Pure: no allocation, nothing kept; the caller owns every buffer. */
#ifndef TIERTOP_COMPLETE_H
#define TIERTOP_COMPLETE_H

#include <stddef.h>

/* How many candidates start with word. When one or more do, common gets
 * their longest common prefix (word itself or longer), cut to size - 1
 * bytes at a character boundary; else common is word. Repeated candidates
 * count once. */
size_t tt_complete(const char *word, const char *const *cands, size_t n, char *common, size_t size);

#endif
