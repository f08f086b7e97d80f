/* See tiertop/complete.h. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tiertop/complete.h"

static bool seen_before(const char *const *cands, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (strcmp(cands[k], cands[i]) == 0)
			return true;
	return false;
}

size_t tt_complete(const char *word, const char *const *cands, size_t n, char *common, size_t size)
{
	size_t wlen = strlen(word), matches = 0, keep = 0;
	const char *first = NULL;

	for (size_t i = 0; i < n; i++) {
		if (!cands[i] || strncmp(cands[i], word, wlen) != 0 || seen_before(cands, i))
			continue;
		if (!first) {
			first = cands[i];
			keep = strlen(first);
		}
		while (keep > wlen && strncmp(cands[i], first, keep) != 0)
			keep--;
		matches++;
	}
	if (!first) {
		snprintf(common, size, "%s", word);
		return 0;
	}
	if (keep > size - 1)
		keep = size - 1;
	/* Never end inside a UTF-8 character. */
	while (keep > wlen && ((unsigned char)first[keep] & 0xC0) == 0x80)
		keep--;
	snprintf(common, size, "%.*s", (int)keep, first);
	return matches;
}
