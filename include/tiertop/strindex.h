/* An index from byte strings to numbers (usually positions in the caller's
 * own array), for look-ups that must stay fast however many entries a file
 * or a page holds: a linear search there turns a big input into minutes.
 * Insert and look up only; nothing is ever removed.
 *
 * Ownership: the index copies the keys it stores and frees them in
 * tt_strindex_clear. Zero-initialised is empty and ready. */
#ifndef TIERTOP_STRINDEX_H
#define TIERTOP_STRINDEX_H

#include <stdbool.h>
#include <stddef.h>

#define TT_STRINDEX_NONE ((size_t)-1)

struct tt_strindex_slot;

struct tt_strindex {
	struct tt_strindex_slot *slots;
	size_t cap;  /* a power of two, or 0 */
	size_t n;
};

void tt_strindex_clear(struct tt_strindex *ix);
/* key's number, or TT_STRINDEX_NONE. */
size_t tt_strindex_get(const struct tt_strindex *ix, const void *key, size_t len);
/* Stores value for key, replacing what it had; returns what it had, or
 * TT_STRINDEX_NONE when key is new. */
size_t tt_strindex_put(struct tt_strindex *ix, const void *key, size_t len, size_t value);
/* Adds key with value only when it is new: true when it was added. */
bool tt_strindex_add(struct tt_strindex *ix, const void *key, size_t len, size_t value);

#endif
