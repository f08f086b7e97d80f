/* The tail model's two data structures: the set of what has been seen and
 * the reorder heap (tail_internal.h). */
#include <stdlib.h>
#include <string.h>

#include "tail_internal.h"
#include "tiertop/xalloc.h"

/* FNV-1a: fast, good enough spread for keys compared only within one
 * millisecond of one group. */
uint64_t tail_hash(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/* First index whose ts is >= ts. */
static size_t lower_bound(const struct tail_seen *s, int64_t ts)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->v[mid].ts < ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The entry for (ts, key), or NULL; *at is where a new one would go (after
 * the other keys of that millisecond, so arrival order is kept). */
static struct tail_seen_entry *find(struct tail_seen *s, int64_t ts, uint64_t key, size_t *at)
{
	size_t i = lower_bound(s, ts);

	for (; i < s->n && s->v[i].ts == ts; i++)
		if (s->v[i].key == key)
			return &s->v[i];
	*at = i;
	return NULL;
}

static struct tail_seen_entry *insert(struct tail_seen *s, size_t at, int64_t ts, uint64_t key)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = tt_xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	memmove(s->v + at + 1, s->v + at, (s->n - at) * sizeof(*s->v));
	s->n++;
	s->v[at] = (struct tail_seen_entry){ts, key, {0, 0}};
	return &s->v[at];
}

bool tail_seen_add(struct tail_seen *s, int64_t ts, uint64_t key)
{
	size_t at;

	if (find(s, ts, key, &at))
		return false;
	insert(s, at, ts, key)->n[0] = 1;
	return true;
}

bool tail_seen_count(struct tail_seen *s, int64_t ts, uint64_t key, int src)
{
	size_t at;
	struct tail_seen_entry *e = find(s, ts, key, &at);

	if (!e)
		e = insert(s, at, ts, key);
	e->n[src]++;
	return e->n[src] > e->n[!src];
}

void tail_seen_prune(struct tail_seen *s, int64_t floor)
{
	size_t drop = lower_bound(s, floor);

	if (drop == 0)
		return;
	memmove(s->v, s->v + drop, (s->n - drop) * sizeof(*s->v));
	s->n -= drop;
}

void tail_seen_clear(struct tail_seen *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* --- the heap --------------------------------------------------------------- */

static bool before(const struct tail_item *a, const struct tail_item *b)
{
	return a->ts < b->ts || (a->ts == b->ts && a->seq < b->seq);
}

static void swap(struct tail_item *a, struct tail_item *b)
{
	struct tail_item tmp = *a;

	*a = *b;
	*b = tmp;
}

void tail_merge_push(struct tail_merge *m, struct tail_item *it)
{
	size_t i;

	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 256;
		m->v = tt_xrealloc(m->v, m->cap * sizeof(*m->v));
	}
	it->seq = m->seq++;
	i = m->n++;
	m->v[i] = *it;
	memset(&it->ev, 0, sizeof(it->ev));
	while (i > 0 && before(&m->v[i], &m->v[(i - 1) / 2])) {
		swap(&m->v[i], &m->v[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
}

const struct tail_item *tail_merge_peek(const struct tail_merge *m)
{
	return m->n ? &m->v[0] : NULL;
}

bool tail_merge_pop(struct tail_merge *m, struct tail_item *out)
{
	size_t i = 0;

	if (!m->n)
		return false;
	*out = m->v[0];
	m->v[0] = m->v[--m->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, min = i;
		if (l < m->n && before(&m->v[l], &m->v[min]))
			min = l;
		if (r < m->n && before(&m->v[r], &m->v[min]))
			min = r;
		if (min == i)
			break;
		swap(&m->v[i], &m->v[min]);
		i = min;
	}
	return true;
}

void tail_merge_clear(struct tail_merge *m)
{
	for (size_t i = 0; i < m->n; i++)
		tt_logs_event_clear(&m->v[i].ev);
	free(m->v);
	memset(m, 0, sizeof(*m));
}
