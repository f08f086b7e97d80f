/* The poll scheduler (sched.h).
 *
 * Keys live in an array (removal moves the last key into the hole) with an
 * open-addressing index by name, so that `done`, `has` and the other
 * per-key calls cost O(1) and a tick of hundreds of completions stays
 * linear. APIs are few (seven in the console) and looked up by a scan.
 *
 * The order in which due keys run is built once per `now` (sorted by how
 * long each has been due) and consumed by the successive tt_sched_next
 * calls of that tick, so a tick costs O(n log n) whatever the number of
 * keys that start. Any change (done, add, visibility...) invalidates it.
 *
 * Budgets are token buckets kept as a theoretical arrival time (GCRA): the
 * same behaviour as refilling `per_second` tokens a second up to `burst`,
 * but in integer microseconds, so that "when does the next token come" is
 * exact and a caller that waits tt_sched_next_deadline ms finds it there. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "tiertop/retry.h"
#include "tiertop/sched.h"
#include "tiertop/xalloc.h"

/* Intervals are clamped to a month, so due times cannot overflow. */
#define MAX_INTERVAL_MS (30L * 24 * 3600 * 1000)

#define NO_SLOT   SIZE_MAX
#define TOMBSTONE (SIZE_MAX - 1)

struct api {
	char *name;
	bool limited;
	int64_t step_us;    /* one token every step_us */
	int64_t tolerance_us; /* (burst - 1) * step_us: how far ahead tokens may be spent */
	bool used;
	int64_t tat_us;     /* theoretical arrival time of the next token */
	bool starved;
	unsigned long runs;
};

struct key {
	char *name;
	uint64_t hash;
	size_t api;
	long interval_ms;
	enum tt_sched_vis vis;
	bool in_flight;
	bool fresh;         /* never completed: due since base_ms */
	bool ever_ok;       /* has succeeded once: there is data to keep showing */
	bool forced;        /* due now since forced_ms, whatever the interval */
	bool rerun;         /* due_now while in flight: run again when done */
	unsigned failures;
	long backoff_ms;
	int64_t base_ms;    /* when it was added or last completed */
	int64_t forced_ms;
	int64_t started_ms;
	int64_t last_ok_ms;
	uint64_t seq;       /* creation order: the last tie-break */
};

struct due_entry;

struct tt_sched {
	struct key *keys;
	size_t nkeys, capkeys;
	size_t *index; /* key positions by hash; NO_SLOT or TOMBSTONE */
	size_t capindex, tombstones;
	struct api *apis;
	size_t napis, capapis;
	bool paused;
	uint64_t rng;
	uint64_t next_seq;
	unsigned long runs;
	/* the current tick's order of due keys */
	struct due_entry *order;
	size_t norder, pos;
	bool order_valid;
	int64_t order_now;
};

/* --- small helpers ---------------------------------------------------------------- */

static uint64_t name_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* splitmix64: tiny, seedable, and good enough for jitter. */
static uint64_t rng_next(struct tt_sched *s)
{
	uint64_t z = (s->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void invalidate(struct tt_sched *s)
{
	s->order_valid = false;
}

/* --- the index ---------------------------------------------------------------------- */

static void index_rebuild(struct tt_sched *s, size_t cap)
{
	free(s->index);
	s->index = tt_xmalloc(cap * sizeof(*s->index));
	s->capindex = cap;
	s->tombstones = 0;
	for (size_t i = 0; i < cap; i++)
		s->index[i] = NO_SLOT;
	for (size_t k = 0; k < s->nkeys; k++) {
		size_t i = (size_t)(s->keys[k].hash & (cap - 1));

		while (s->index[i] != NO_SLOT)
			i = (i + 1) & (cap - 1);
		s->index[i] = k;
	}
}

/* The index slot that holds `name`, or NO_SLOT. */
static size_t index_find(const struct tt_sched *s, const char *name, uint64_t h)
{
	if (!s->capindex)
		return NO_SLOT;
	for (size_t i = (size_t)(h & (s->capindex - 1)), n = 0; n < s->capindex; i = (i + 1) & (s->capindex - 1), n++) {
		size_t k = s->index[i];

		if (k == NO_SLOT)
			return NO_SLOT;
		if (k != TOMBSTONE && s->keys[k].hash == h && strcmp(s->keys[k].name, name) == 0)
			return i;
	}
	return NO_SLOT;
}

static struct key *find(const struct tt_sched *s, const char *name)
{
	size_t slot;

	if (!name)
		return NULL;
	slot = index_find(s, name, name_hash(name));
	return slot == NO_SLOT ? NULL : &s->keys[s->index[slot]];
}

/* Indexes key k (already counted in nkeys), which must not be indexed yet. */
static void index_insert(struct tt_sched *s, size_t k)
{
	size_t i;

	/* At most half the slots used (tombstones count), so probes stay
	 * short; a rebuild leaves at most a quarter, and indexes k too. */
	if ((s->nkeys + s->tombstones) * 2 > s->capindex) {
		size_t cap = s->capindex ? s->capindex : 16;

		while (cap < s->nkeys * 4)
			cap *= 2;
		index_rebuild(s, cap);
		return;
	}
	for (i = (size_t)(s->keys[k].hash & (s->capindex - 1)); s->index[i] != NO_SLOT && s->index[i] != TOMBSTONE;
	     i = (i + 1) & (s->capindex - 1))
		;
	if (s->index[i] == TOMBSTONE)
		s->tombstones--;
	s->index[i] = k;
}

/* --- APIs and their buckets ----------------------------------------------------------- */

static size_t api_get(struct tt_sched *s, const char *name)
{
	struct api *a;

	for (size_t i = 0; i < s->napis; i++)
		if (strcmp(s->apis[i].name, name) == 0)
			return i;
	if (s->napis == s->capapis) {
		s->capapis = s->capapis ? s->capapis * 2 : 8;
		s->apis = tt_xrealloc(s->apis, s->capapis * sizeof(*s->apis));
	}
	a = &s->apis[s->napis];
	memset(a, 0, sizeof(*a));
	a->name = tt_xstrdup(name);
	return s->napis++;
}

static const struct api *api_find(const struct tt_sched *s, const char *name)
{
	for (size_t i = 0; i < s->napis; i++)
		if (strcmp(s->apis[i].name, name) == 0)
			return &s->apis[i];
	return NULL;
}

/* The first millisecond at which the API has a token (INT64_MIN: now or
 * any time). */
static int64_t token_at_ms(const struct api *a)
{
	int64_t t;

	if (!a->limited || !a->used)
		return INT64_MIN;
	t = a->tat_us - a->tolerance_us;
	/* Round up: at that millisecond the token is there, one earlier it is not. */
	return t >= 0 ? (t + 999) / 1000 : -((-t) / 1000);
}

static bool token_take(struct api *a, int64_t now)
{
	int64_t now_us = now * 1000;

	if (!a->limited) {
		a->runs++;
		return true;
	}
	if (a->used && now_us < a->tat_us - a->tolerance_us)
		return false;
	a->tat_us = (a->used && a->tat_us > now_us ? a->tat_us : now_us) + a->step_us;
	a->used = true;
	a->runs++;
	return true;
}

/* --- when a key is due ------------------------------------------------------------------ */

static long clamp_interval(long ms)
{
	return ms < 1 ? 1 : ms > MAX_INTERVAL_MS ? MAX_INTERVAL_MS : ms;
}

static int64_t effective_interval(const struct key *k)
{
	return (int64_t)k->interval_ms * (k->vis == TT_SCHED_HIDDEN ? TT_SCHED_HIDDEN_FACTOR : 1);
}

/* When the key may start next, ignoring budgets and in-flight state;
 * TT_SCHED_NEVER when it is paused. Under the global pause only first loads
 * and keys made due by hand still run. */
static int64_t due_at(const struct tt_sched *s, const struct key *k)
{
	int64_t natural;

	if (k->vis == TT_SCHED_PAUSED)
		return TT_SCHED_NEVER;
	/* Until a key has succeeded once there is nothing on screen to keep:
	 * it retries after its back-off alone, not a whole interval later. */
	natural = k->fresh     ? k->base_ms
		  : k->ever_ok ? k->base_ms + effective_interval(k) + k->backoff_ms
			       : k->base_ms + k->backoff_ms;
	if (k->forced)
		return k->forced_ms < natural ? k->forced_ms : natural;
	if (s->paused && k->ever_ok)
		return TT_SCHED_NEVER;
	return natural;
}

/* --- life cycle ------------------------------------------------------------------------- */

struct tt_sched *tt_sched_new(uint64_t seed)
{
	struct tt_sched *s = tt_xcalloc(1, sizeof(*s));

	s->rng = seed;
	return s;
}

void tt_sched_free(struct tt_sched **sp)
{
	struct tt_sched *s = *sp;

	if (!s)
		return;
	for (size_t i = 0; i < s->nkeys; i++)
		free(s->keys[i].name);
	for (size_t i = 0; i < s->napis; i++)
		free(s->apis[i].name);
	free(s->keys);
	free(s->index);
	free(s->apis);
	free(s->order);
	free(s);
	*sp = NULL;
}

void tt_sched_budget(struct tt_sched *s, const char *api, double per_second, double burst)
{
	size_t i = api_get(s, api); /* may move s->apis */
	struct api *a = &s->apis[i];

	invalidate(s);
	if (!(per_second > 0)) {
		a->limited = false;
		return;
	}
	if (!(burst >= 1))
		burst = 1;
	a->limited = true;
	a->step_us = (int64_t)(1e6 / per_second + 0.5);
	if (a->step_us < 1)
		a->step_us = 1;
	a->tolerance_us = (int64_t)((burst - 1) * (double)a->step_us + 0.5);
}

void tt_sched_add(struct tt_sched *s, const char *key, const char *api, long interval_ms, int64_t now)
{
	struct key *k = find(s, key);

	invalidate(s);
	interval_ms = clamp_interval(interval_ms);
	if (k) {
		k->api = api_get(s, api);
		k->interval_ms = interval_ms;
		return;
	}
	if (s->nkeys == s->capkeys) {
		s->capkeys = s->capkeys ? s->capkeys * 2 : 16;
		s->keys = tt_xrealloc(s->keys, s->capkeys * sizeof(*s->keys));
	}
	k = &s->keys[s->nkeys];
	memset(k, 0, sizeof(*k));
	k->name = tt_xstrdup(key);
	k->hash = name_hash(key);
	k->api = api_get(s, api);
	k->interval_ms = interval_ms;
	k->vis = TT_SCHED_VISIBLE;
	k->fresh = true;
	k->base_ms = now;
	k->seq = s->next_seq++;
	s->nkeys++;
	index_insert(s, s->nkeys - 1);
}

void tt_sched_remove(struct tt_sched *s, const char *key)
{
	size_t slot, k, last;

	if (!key || (slot = index_find(s, key, name_hash(key))) == NO_SLOT)
		return;
	invalidate(s);
	k = s->index[slot];
	s->index[slot] = TOMBSTONE;
	s->tombstones++;
	free(s->keys[k].name);
	last = s->nkeys - 1;
	if (k != last) {
		size_t moved = index_find(s, s->keys[last].name, s->keys[last].hash);

		s->keys[k] = s->keys[last];
		s->index[moved] = k;
	}
	s->nkeys--;
}

bool tt_sched_has(const struct tt_sched *s, const char *key)
{
	return find(s, key) != NULL;
}

void tt_sched_set_visibility(struct tt_sched *s, const char *key, enum tt_sched_vis vis, int64_t now)
{
	struct key *k = find(s, key);

	/* Due times follow from the last completion and the interval of the
	 * new visibility, so the moment of the change itself does not matter:
	 * a key shown again after a long while is simply overdue, and runs
	 * ahead of keys that became due more recently. */
	(void)now;
	if (!k)
		return;
	invalidate(s);
	k->vis = vis;
	if (vis == TT_SCHED_PAUSED)
		k->forced = k->rerun = false;
}

void tt_sched_set_interval(struct tt_sched *s, const char *key, long interval_ms)
{
	struct key *k = find(s, key);

	if (!k)
		return;
	invalidate(s);
	k->interval_ms = clamp_interval(interval_ms);
}

static void force(struct key *k, int64_t now)
{
	if (k->vis == TT_SCHED_PAUSED)
		return;
	/* A run in flight may have started before whatever made the caller
	 * ask (a new range, say): run once more when it ends. */
	if (k->in_flight) {
		k->rerun = true;
		return;
	}
	if (!k->forced || now < k->forced_ms)
		k->forced_ms = now;
	k->forced = true;
}

void tt_sched_due_now(struct tt_sched *s, const char *key, int64_t now)
{
	invalidate(s);
	if (key) {
		struct key *k = find(s, key);

		if (k)
			force(k, now);
		return;
	}
	for (size_t i = 0; i < s->nkeys; i++)
		force(&s->keys[i], now);
}

void tt_sched_pause(struct tt_sched *s, bool paused)
{
	invalidate(s);
	s->paused = paused;
}

bool tt_sched_paused(const struct tt_sched *s)
{
	return s->paused;
}

/* --- choosing what runs ------------------------------------------------------------------- */

struct due_entry {
	int64_t due;
	int64_t started;
	uint64_t seq;
	size_t key;
};

static int cmp_due(const void *pa, const void *pb)
{
	const struct due_entry *a = pa, *b = pb;

	/* Due longest first; then the one that started longest ago; then the
	 * older key, so the order never depends on the memory layout. */
	if (a->due != b->due)
		return a->due < b->due ? -1 : 1;
	if (a->started != b->started)
		return a->started < b->started ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void build_order(struct tt_sched *s, int64_t now)
{
	free(s->order);
	s->order = tt_xmalloc((s->nkeys ? s->nkeys : 1) * sizeof(*s->order));
	s->norder = 0;
	s->pos = 0;
	for (size_t i = 0; i < s->nkeys; i++) {
		const struct key *k = &s->keys[i];
		int64_t due = due_at(s, k);

		if (!k->in_flight && due <= now)
			s->order[s->norder++] = (struct due_entry){due, k->started_ms, k->seq, i};
	}
	if (s->norder > 1)
		qsort(s->order, s->norder, sizeof(*s->order), cmp_due);
	for (size_t i = 0; i < s->napis; i++)
		s->apis[i].starved = false;
	s->order_now = now;
	s->order_valid = true;
}

const char *tt_sched_next(struct tt_sched *s, int64_t now)
{
	if (!s->order_valid || s->order_now != now)
		build_order(s, now);
	while (s->pos < s->norder) {
		struct key *k = &s->keys[s->order[s->pos++].key];
		struct api *a = &s->apis[k->api];

		if (a->starved || !token_take(a, now)) {
			/* It stays due, so it keeps its place for the next token. */
			a->starved = true;
			continue;
		}
		k->in_flight = true;
		k->started_ms = now;
		k->forced = false;
		s->runs++;
		return k->name;
	}
	return NULL;
}

static long backoff_for(struct tt_sched *s, unsigned failures)
{
	long full = tt_retry_doubling_ms(TT_SCHED_BACKOFF_BASE_MS, TT_SCHED_BACKOFF_MAX_MS, failures), half;

	/* "Equal jitter": half fixed, so the wait still grows; half random, so
	 * keys throttled together do not come back together. */
	half = full / 2;
	return half + (long)(rng_next(s) % (uint64_t)(full - half + 1));
}

void tt_sched_done(struct tt_sched *s, const char *key, enum tt_sched_result result, int64_t now)
{
	struct key *k = find(s, key);

	if (!k || !k->in_flight)
		return;
	invalidate(s);
	k->in_flight = false;
	k->fresh = false;
	k->base_ms = now;
	if (result == TT_SCHED_OK) {
		k->failures = 0;
		k->backoff_ms = 0;
		k->last_ok_ms = now;
		k->ever_ok = true;
	} else {
		k->failures++;
		k->backoff_ms = backoff_for(s, k->failures);
	}
	k->forced = false;
	if (k->rerun) {
		k->rerun = false;
		force(k, now);
	}
}

long tt_sched_next_deadline(const struct tt_sched *s, int64_t now)
{
	int64_t best = TT_SCHED_NEVER;

	for (size_t i = 0; i < s->nkeys; i++) {
		const struct key *k = &s->keys[i];
		int64_t t, tok;

		if (k->in_flight || (t = due_at(s, k)) == TT_SCHED_NEVER)
			continue;
		tok = token_at_ms(&s->apis[k->api]);
		if (tok > t)
			t = tok;
		if (t < best)
			best = t;
	}
	if (best == TT_SCHED_NEVER)
		return -1;
	if (best <= now)
		return 0;
	return best - now > LONG_MAX ? LONG_MAX : (long)(best - now);
}

/* --- what the status line shows ------------------------------------------------------------ */

int tt_sched_key_info(const struct tt_sched *s, const char *key, struct tt_sched_key_info *out)
{
	const struct key *k = find(s, key);

	if (!k)
		return -1;
	memset(out, 0, sizeof(*out));
	out->in_flight = k->in_flight;
	out->vis = k->vis;
	out->failures = k->failures;
	out->next_due_ms = k->in_flight ? k->started_ms : due_at(s, k);
	out->last_ok_ms = k->last_ok_ms;
	out->backoff_ms = k->backoff_ms;
	return 0;
}

bool tt_sched_starved(const struct tt_sched *s, const char *api)
{
	const struct api *a;

	if (api)
		return (a = api_find(s, api)) && a->starved;
	for (size_t i = 0; i < s->napis; i++)
		if (s->apis[i].starved)
			return true;
	return false;
}

size_t tt_sched_backing_off(const struct tt_sched *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nkeys; i++)
		if (!s->keys[i].in_flight && s->keys[i].backoff_ms > 0)
			n++;
	return n;
}

unsigned long tt_sched_runs(const struct tt_sched *s, const char *api)
{
	const struct api *a;

	if (!api)
		return s->runs;
	return (a = api_find(s, api)) ? a->runs : 0;
}

/* --- AWS's quotas ---------------------------------------------------------------------------
 *
 * Default request quotas per account and region, shared with every other
 * tool and with the application itself; ours stay well inside them, and
 * the burst plus one second's rate stays under the quota too, so that no
 * one-second window can exceed it:
 *
 *  - CloudWatch Logs FilterLogEvents: 5 TPS (and DescribeLogGroups 5 TPS)
 *    per account and region (CloudWatch Logs quotas). 2/s, burst 2: at most
 *    4 in any second.
 *  - Lambda: 15 requests per second across the control-plane API (every
 *    call but Invoke, GetFunction and GetPolicy; Lambda quotas, not
 *    adjustable). 5/s, burst 5.
 *  - CloudWatch GetMetricData: 50 TPS (CloudWatch service quotas); one call
 *    carries 500 metrics, so 5/s, burst 5 is plenty.
 *  - CloudWatch DescribeAlarms: 9 TPS. 1/s, burst 2.
 *  - API Gateway management API: 10 requests per second per account, and
 *    GetResources only 5 every 2 seconds (API Gateway quotas, not
 *    adjustable; the last from memory, not checked against the page). 1/s,
 *    burst 2 fits both.
 *  - DynamoDB control plane (DescribeTable...): throttled at 2,500 requests
 *    per second (DynamoDB control-plane best practices); its figures move
 *    every six hours anyway. 5/s, burst 5.
 *  - DynamoDB data plane: no request quota, but every page of a Scan or
 *    Query spends the table's read capacity, which the application needs.
 *    10/s, burst 10. */
void tt_sched_default_budgets(struct tt_sched *s)
{
	static const struct {
		const char *api;
		double per_second, burst;
	} budgets[] = {
		{"logs", 2, 2},
		{"lambda", 5, 5},
		{"cloudwatch", 5, 5},
		{"cloudwatch-alarms", 1, 2},
		{"apigateway", 1, 2},
		{"dynamodb-control", 5, 5},
		{"dynamodb-data", 10, 10},
	};

	for (size_t i = 0; i < sizeof(budgets) / sizeof(budgets[0]); i++)
		tt_sched_budget(s, budgets[i].api, budgets[i].per_second, budgets[i].burst);
}
