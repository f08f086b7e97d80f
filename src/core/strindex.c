/* Open addressing with linear probing, kept at most half full (strindex.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tiertop/strindex.h"
#include "tiertop/xalloc.h"

struct tt_strindex_slot {
	char *key;  /* NULL: empty */
	size_t len;
	uint64_t hash;
	size_t value;
};

/* FNV-1a: short keys, no adversary who gains from collisions but slowness,
 * and the half-full table keeps probes short. */
static uint64_t hash_of(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static struct tt_strindex_slot *probe(const struct tt_strindex *ix, const void *key, size_t len, uint64_t h)
{
	size_t mask = ix->cap - 1;

	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		struct tt_strindex_slot *s = &ix->slots[i];
		if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
			return s;
	}
}

static void grow(struct tt_strindex *ix)
{
	struct tt_strindex old = *ix;

	ix->cap = old.cap ? old.cap * 2 : 4;  /* most sections hold a key or two */
	ix->slots = tt_xcalloc(ix->cap, sizeof(*ix->slots));
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*probe(ix, old.slots[i].key, old.slots[i].len, old.slots[i].hash) = old.slots[i];
	free(old.slots);
}

void tt_strindex_clear(struct tt_strindex *ix)
{
	for (size_t i = 0; i < ix->cap; i++)
		free(ix->slots[i].key);
	free(ix->slots);
	memset(ix, 0, sizeof(*ix));
}

size_t tt_strindex_get(const struct tt_strindex *ix, const void *key, size_t len)
{
	const struct tt_strindex_slot *s;

	if (!ix->cap)
		return TT_STRINDEX_NONE;
	s = probe(ix, key, len, hash_of(key, len));
	return s->key ? s->value : TT_STRINDEX_NONE;
}

/* The slot for key, claimed for it when it was empty (*added set). */
static struct tt_strindex_slot *claim(struct tt_strindex *ix, const void *key, size_t len, bool *added)
{
	uint64_t h = hash_of(key, len);
	struct tt_strindex_slot *s;

	if (2 * (ix->n + 1) > ix->cap)
		grow(ix);
	s = probe(ix, key, len, h);
	*added = !s->key;
	if (*added) {
		s->key = tt_xmalloc(len + 1);
		memcpy(s->key, key, len);
		s->key[len] = '\0';
		s->len = len;
		s->hash = h;
		ix->n++;
	}
	return s;
}

size_t tt_strindex_put(struct tt_strindex *ix, const void *key, size_t len, size_t value)
{
	bool added;
	struct tt_strindex_slot *s = claim(ix, key, len, &added);
	size_t had = added ? TT_STRINDEX_NONE : s->value;

	s->value = value;
	return had;
}

bool tt_strindex_add(struct tt_strindex *ix, const void *key, size_t len, size_t value)
{
	bool added;
	struct tt_strindex_slot *s = claim(ix, key, len, &added);

	if (added)
		s->value = value;
	return added;
}
