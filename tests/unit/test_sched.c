/* The poll scheduler with a test clock: intervals, visibility, pause, one
 * run in flight per key, jittered back-off, due-now, token budgets, fairness
 * and deadlines, then the console's worst case (ten log groups and 300
 * functions) against AWS's quotas. Time is whatever the test says. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tiertop/sched.h"
#include "tiertop/xalloc.h"

static bool is(const char *got, const char *want)
{
	return got && want && strcmp(got, want) == 0;
}

/* Everything that tt_sched_next returns at `now`, as "a,b,c". */
static const char *drain(struct tt_sched *s, int64_t now)
{
	static char out[4096];
	const char *k;

	out[0] = '\0';
	while ((k = tt_sched_next(s, now)))
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", out[0] ? "," : "", k);
	return out;
}

static struct tt_sched_key_info info(struct tt_sched *s, const char *key)
{
	struct tt_sched_key_info i;

	if (tt_sched_key_info(s, key, &i) != 0)
		memset(&i, 0, sizeof(i));
	return i;
}

/* --- a simulated loop -------------------------------------------------------------------- */

#define SIM_MAX_KEYS 1024
#define SIM_MAX_RUNS 20000

/* What the console's loop does: answers what finished, starts what is due,
 * then sleeps until the scheduler's deadline or the next answer. */
struct sim {
	struct tt_sched *s;
	int64_t now;
	long latency_ms;
	enum tt_sched_result result;
	char *names[SIM_MAX_KEYS];
	size_t nnames;
	struct {
		size_t key;
		int64_t done_at;
	} flight[SIM_MAX_KEYS];
	size_t nflight;
	struct {
		size_t key;
		int64_t at;
	} runs[SIM_MAX_RUNS];
	size_t nruns;
	bool starved_seen;
	bool late;      /* a deadline passed and nothing could start */
	bool zero_wait; /* a deadline of 0 right after draining */
};

static size_t sim_key(struct sim *m, const char *name)
{
	for (size_t i = 0; i < m->nnames; i++)
		if (strcmp(m->names[i], name) == 0)
			return i;
	m->names[m->nnames] = tt_xstrdup(name);
	return m->nnames++;
}

static void sim_add(struct sim *m, const char *name, const char *api, long interval)
{
	sim_key(m, name);
	tt_sched_add(m->s, name, api, interval, m->now);
}

static size_t sim_start(struct sim *m)
{
	const char *k;
	size_t n = 0;

	while ((k = tt_sched_next(m->s, m->now))) {
		size_t id = sim_key(m, k);

		if (m->nruns < SIM_MAX_RUNS) {
			m->runs[m->nruns].key = id;
			m->runs[m->nruns++].at = m->now;
		}
		m->flight[m->nflight].key = id;
		m->flight[m->nflight++].done_at = m->now + m->latency_ms;
		n++;
	}
	if (tt_sched_starved(m->s, NULL))
		m->starved_seen = true;
	return n;
}

static void sim_answer(struct sim *m)
{
	for (size_t i = 0; i < m->nflight;) {
		if (m->flight[i].done_at <= m->now) {
			tt_sched_done(m->s, m->names[m->flight[i].key], m->result, m->now);
			m->flight[i] = m->flight[--m->nflight];
		} else {
			i++;
		}
	}
}

static void sim_run(struct sim *m, int64_t until)
{
	for (;;) {
		int64_t wake = INT64_MAX;
		bool answers = false;
		long d;

		sim_answer(m);
		sim_start(m);
		d = tt_sched_next_deadline(m->s, m->now);
		if (d == 0)
			m->zero_wait = true;
		if (d > 0)
			wake = m->now + d;
		for (size_t i = 0; i < m->nflight; i++)
			if (m->flight[i].done_at < wake)
				wake = m->flight[i].done_at;
		if (wake == INT64_MAX || wake > until)
			break;
		for (size_t i = 0; i < m->nflight; i++)
			answers |= m->flight[i].done_at <= wake;
		m->now = wake;
		/* Woken by the deadline alone: something must start now. */
		if (!answers && sim_start(m) == 0)
			m->late = true;
	}
	m->now = until;
}

static void sim_init(struct sim *m, uint64_t seed, int64_t now, long latency)
{
	memset(m, 0, sizeof(*m));
	m->s = tt_sched_new(seed);
	m->now = now;
	m->latency_ms = latency;
	m->result = TT_SCHED_OK;
}

static void sim_free(struct sim *m)
{
	for (size_t i = 0; i < m->nnames; i++)
		free(m->names[i]);
	tt_sched_free(&m->s);
}

static unsigned sim_count(const struct sim *m, const char *name, int64_t from, int64_t to)
{
	unsigned n = 0;

	for (size_t i = 0; i < m->nruns; i++)
		if (strcmp(m->names[m->runs[i].key], name) == 0 && m->runs[i].at >= from && m->runs[i].at <= to)
			n++;
	return n;
}

/* The most runs of keys starting with `prefix` in any window of `window` ms. */
static unsigned sim_max_window(const struct sim *m, const char *prefix, long window)
{
	unsigned best = 0;

	for (size_t i = 0; i < m->nruns; i++) {
		unsigned n = 0;

		if (strncmp(m->names[m->runs[i].key], prefix, strlen(prefix)) != 0)
			continue;
		for (size_t j = 0; j < m->nruns; j++)
			if (strncmp(m->names[m->runs[j].key], prefix, strlen(prefix)) == 0 &&
			    m->runs[j].at >= m->runs[i].at && m->runs[j].at < m->runs[i].at + window)
				n++;
		if (n > best)
			best = n;
	}
	return best;
}

/* --- intervals and visibility ------------------------------------------------------------- */

static void test_new_and_interval(void)
{
	struct tt_sched *s = tt_sched_new(1);
	struct tt_sched_key_info i;

	tap_ok(tt_sched_next_deadline(s, 0) == -1, "no keys: no deadline");
	tap_ok(tt_sched_next(s, 0) == NULL, "no keys: nothing to run");
	tt_sched_add(s, "metrics", "cloudwatch", 60000, 1000);
	tap_ok(tt_sched_has(s, "metrics") && !tt_sched_has(s, "alarms"), "has the key added, not another");
	tap_ok(tt_sched_next_deadline(s, 1000) == 0, "a new key: deadline 0");
	tap_ok(is(tt_sched_next(s, 1000), "metrics"), "a new key is due at once");
	tap_ok(tt_sched_next(s, 1000) == NULL, "once");
	i = info(s, "metrics");
	tap_ok(i.in_flight && i.failures == 0 && i.last_ok_ms == 0, "in flight, never succeeded yet");
	tt_sched_done(s, "metrics", TT_SCHED_OK, 1500);
	i = info(s, "metrics");
	tap_ok(!i.in_flight && i.last_ok_ms == 1500 && i.next_due_ms == 61500 && i.backoff_ms == 0,
	       "after OK: next due at done + interval (%" PRId64 ")", i.next_due_ms);
	tap_ok(tt_sched_next_deadline(s, 1500) == 60000, "deadline: the whole interval");
	tap_ok(tt_sched_next_deadline(s, 61000) == 500, "deadline: what is left of it");
	tap_ok(tt_sched_next(s, 61499) == NULL, "not due one millisecond before");
	tap_ok(is(tt_sched_next(s, 61500), "metrics"), "due exactly at done + interval");
	tt_sched_done(s, "metrics", TT_SCHED_OK, 61600);

	tt_sched_set_interval(s, "metrics", 10000);
	tap_ok(info(s, "metrics").next_due_ms == 71600, "a new interval counts from the last completion");
	tt_sched_add(s, "metrics", "cloudwatch", 20000, 62000);
	tap_ok(info(s, "metrics").next_due_ms == 81600 && tt_sched_next(s, 62000) == NULL,
	       "adding an existing key updates its interval and does not make it due");
	tap_ok(tt_sched_key_info(s, "nope", &i) == -1, "key_info of an unknown key: -1");
	tt_sched_done(s, "nope", TT_SCHED_FAILED, 62000);
	tt_sched_due_now(s, "nope", 62000);
	tt_sched_set_visibility(s, "nope", TT_SCHED_HIDDEN, 62000);
	tap_ok(tt_sched_next(s, 62000) == NULL, "unknown keys are ignored");
	tt_sched_free(&s);
	tap_ok(s == NULL, "free clears the pointer");
	tt_sched_free(&s);
}

static void test_visibility(void)
{
	struct sim m;

	sim_init(&m, 1, 0, 0);
	sim_add(&m, "shown", "cloudwatch", 1000);
	sim_add(&m, "hidden", "cloudwatch", 1000);
	sim_add(&m, "paused", "cloudwatch", 1000);
	tt_sched_set_visibility(m.s, "hidden", TT_SCHED_HIDDEN, 0);
	tt_sched_set_visibility(m.s, "paused", TT_SCHED_PAUSED, 0);
	tap_ok(info(m.s, "paused").next_due_ms == TT_SCHED_NEVER, "a paused key is never due");
	sim_run(&m, 100000);
	tap_ok(sim_count(&m, "shown", 0, 100000) == 101, "visible at 1 s: 101 runs in [0, 100 s] (%u)",
	       sim_count(&m, "shown", 0, 100000));
	tap_ok(sim_count(&m, "hidden", 0, 100000) == 21, "hidden: 5 times less often, 21 runs (%u)",
	       sim_count(&m, "hidden", 0, 100000));
	tap_ok(sim_count(&m, "paused", 0, 100000) == 0, "paused, even when new: never");
	tap_ok(!m.late && !m.zero_wait, "every deadline was exact");

	/* Shown again: due at its last completion plus the visible interval;
	 * a new key unpaused is due at once. */
	tt_sched_set_visibility(m.s, "hidden", TT_SCHED_VISIBLE, m.now);
	tt_sched_set_visibility(m.s, "paused", TT_SCHED_VISIBLE, m.now);
	tap_ok(info(m.s, "hidden").next_due_ms == 101000, "unhidden: due at its last run + the visible interval");
	tap_ok(is(drain(m.s, m.now), "paused"), "unpaused and never run: due at once");
	tt_sched_done(m.s, "paused", TT_SCHED_OK, m.now);
	tt_sched_set_visibility(m.s, "paused", TT_SCHED_PAUSED, m.now);
	tap_ok(tt_sched_next_deadline(m.s, m.now) != -1, "other keys still give a deadline");
	tt_sched_set_visibility(m.s, "shown", TT_SCHED_PAUSED, m.now);
	tt_sched_set_visibility(m.s, "hidden", TT_SCHED_PAUSED, m.now);
	tt_sched_done(m.s, "hidden", TT_SCHED_OK, m.now);
	tap_ok(tt_sched_next_deadline(m.s, m.now) == -1, "every key paused: deadline -1");
	tt_sched_due_now(m.s, NULL, m.now);
	tap_ok(tt_sched_next(m.s, m.now + 1000000) == NULL, "due-now does not wake paused keys");
	sim_free(&m);
}

static void test_global_pause(void)
{
	struct tt_sched *s = tt_sched_new(1);

	tt_sched_add(s, "a", "lambda", 1000, 0);
	tt_sched_add(s, "b", "lambda", 1000, 0);
	tap_ok(is(drain(s, 0), "a,b"), "both run");
	tt_sched_done(s, "a", TT_SCHED_OK, 10);
	tt_sched_pause(s, true);
	tap_ok(tt_sched_paused(s), "paused");
	tt_sched_done(s, "b", TT_SCHED_OK, 20);
	tap_ok(info(s, "b").last_ok_ms == 20, "a run in flight is still reported under pause");
	tap_ok(tt_sched_next_deadline(s, 20) == -1, "paused: deadline -1");
	tap_ok(tt_sched_next(s, 100000) == NULL, "paused: nothing runs, however late");
	tt_sched_add(s, "c", "lambda", 1000, 100000);
	tap_ok(tt_sched_next_deadline(s, 100000) == 0 && is(drain(s, 100000), "c"),
	       "a key added under pause gets its first run");
	tt_sched_done(s, "c", TT_SCHED_OK, 100010);
	tap_ok(tt_sched_next(s, 200000) == NULL, "and no second one");
	tt_sched_due_now(s, "a", 200000);
	tap_ok(tt_sched_next_deadline(s, 200000) == 0 && is(drain(s, 200000), "a"), "due-now under pause: one run");
	tt_sched_done(s, "a", TT_SCHED_OK, 200010);
	tap_ok(tt_sched_next(s, 300000) == NULL && tt_sched_next_deadline(s, 300000) == -1, "then paused again");
	tt_sched_pause(s, false);
	tap_ok(!tt_sched_paused(s) && is(drain(s, 300000), "b,c,a"), "unpaused: every overdue key, oldest first");
	tt_sched_free(&s);
}

static void test_in_flight(void)
{
	struct tt_sched *s = tt_sched_new(1);

	tt_sched_add(s, "logs:/a", "logs", 1000, 0);
	tap_ok(is(tt_sched_next(s, 0), "logs:/a"), "runs");
	tap_ok(tt_sched_next(s, 0) == NULL && tt_sched_next(s, 5000) == NULL && tt_sched_next(s, 60000) == NULL,
	       "never twice at once, however long the run takes");
	tap_ok(tt_sched_next_deadline(s, 60000) == -1, "only a run in flight: deadline -1");
	tap_ok(tt_sched_runs(s, "logs") == 1 && tt_sched_runs(s, NULL) == 1 && tt_sched_runs(s, "lambda") == 0,
	       "one run counted");
	tt_sched_due_now(s, "logs:/a", 60000);
	tap_ok(tt_sched_next(s, 60000) == NULL, "due-now does not start a second run in flight");
	tt_sched_done(s, "logs:/a", TT_SCHED_OK, 60100);
	tap_ok(tt_sched_next_deadline(s, 60100) == 0 && is(tt_sched_next(s, 60100), "logs:/a"),
	       "due-now while in flight: runs again as soon as it is done");
	tt_sched_done(s, "logs:/a", TT_SCHED_OK, 60200);
	tt_sched_done(s, "logs:/a", TT_SCHED_FAILED, 60300);
	tap_ok(info(s, "logs:/a").failures == 0 && info(s, "logs:/a").next_due_ms == 61200,
	       "done for a key not in flight is ignored");
	tap_ok(tt_sched_next(s, 61199) == NULL && is(tt_sched_next(s, 61200), "logs:/a"), "then the interval again");
	tt_sched_remove(s, "logs:/a");
	tap_ok(!tt_sched_has(s, "logs:/a"), "removed while in flight");
	tt_sched_done(s, "logs:/a", TT_SCHED_OK, 61300);
	tap_ok(tt_sched_next(s, 70000) == NULL && tt_sched_next_deadline(s, 70000) == -1, "and gone for good");
	tt_sched_free(&s);
}

/* --- back-off ------------------------------------------------------------------------------- */

/* A key that never succeeded has nothing on screen to keep: after a failure
 * it retries when its back-off ends, not a whole interval later (a discovery
 * every 5 minutes would leave a dead endpoint's screen empty for 5 minutes
 * after the network came back), and the global pause does not stop it. */
static void test_never_loaded_retries_on_backoff(void)
{
	struct tt_sched *s = tt_sched_new(11);
	struct tt_sched_key_info i;
	int64_t now = 0;

	tt_sched_add(s, "discovery", "cloudformation", 300000, 0);
	tap_ok(is(tt_sched_next(s, now), "discovery"), "never loaded: due at once");
	tt_sched_done(s, "discovery", TT_SCHED_FAILED, now);
	i = info(s, "discovery");
	tap_ok(i.backoff_ms > 0 && i.next_due_ms == now + i.backoff_ms, "failed first load: due after the back-off alone");
	tap_ok(tt_sched_next(s, i.next_due_ms - 1) == NULL, "... not before");
	tt_sched_pause(s, true);
	now = i.next_due_ms;
	tap_ok(is(tt_sched_next(s, now), "discovery"), "... and not stopped by the pause");
	tt_sched_done(s, "discovery", TT_SCHED_OK, now);
	tap_ok(tt_sched_next(s, now + 600000) == NULL, "once loaded, the pause holds it");
	tt_sched_pause(s, false);
	tap_ok(info(s, "discovery").next_due_ms == now + 300000, "... and it waits its interval");
	tt_sched_free(&s);
}

static void test_backoff(void)
{
	struct tt_sched *s = tt_sched_new(7);
	int64_t now = 0;
	long prev_full = 0;
	bool in_range = true, due_exact = true, not_early = true, varied = false, capped = false;

	tt_sched_add(s, "fn", "lambda", 1000, 0);
	/* Once it has data, a failure waits the interval and the back-off. */
	tap_ok(is(tt_sched_next(s, now), "fn"), "first load");
	tt_sched_done(s, "fn", TT_SCHED_OK, now);
	now += 1000;
	for (unsigned n = 1; n <= 10; n++) {
		struct tt_sched_key_info i;
		long full = TT_SCHED_BACKOFF_BASE_MS;

		tap_ok(is(tt_sched_next(s, now), "fn"), "run %u", n);
		tt_sched_done(s, "fn", n % 2 ? TT_SCHED_THROTTLED : TT_SCHED_FAILED, now);
		for (unsigned j = 1; j < n; j++)
			full *= 2;
		if (full > TT_SCHED_BACKOFF_MAX_MS)
			full = TT_SCHED_BACKOFF_MAX_MS;
		i = info(s, "fn");
		printf("# failure %u: back-off %ld of %ld\n", n, i.backoff_ms, full);
		in_range &= i.failures == n && i.backoff_ms >= full / 2 && i.backoff_ms <= full;
		due_exact &= i.next_due_ms == now + 1000 + i.backoff_ms;
		varied |= i.backoff_ms != full / 2 && i.backoff_ms != full;
		capped |= full == TT_SCHED_BACKOFF_MAX_MS && prev_full == TT_SCHED_BACKOFF_MAX_MS;
		prev_full = full;
		tap_ok(tt_sched_backing_off(s) == 1, "backing off after failure %u", n);
		not_early &= tt_sched_next(s, i.next_due_ms - 1) == NULL;
		tap_ok(tt_sched_next_deadline(s, now) == 1000 + i.backoff_ms, "deadline includes the back-off");
		now = i.next_due_ms;
	}
	tap_ok(in_range, "each back-off is within [half, full] of base * 2^(n-1), capped at %d",
	       TT_SCHED_BACKOFF_MAX_MS);
	tap_ok(due_exact, "next due = done + interval + back-off");
	tap_ok(not_early, "never runs before the back-off ends");
	tap_ok(varied, "the random half varies");
	tap_ok(capped, "the cap was reached and held");

	tap_ok(is(tt_sched_next(s, now), "fn"), "runs after the back-off");
	tap_ok(tt_sched_backing_off(s) == 0, "in flight is not backing off");
	tt_sched_done(s, "fn", TT_SCHED_OK, now);
	tap_ok(info(s, "fn").failures == 0 && info(s, "fn").backoff_ms == 0 && info(s, "fn").next_due_ms == now + 1000,
	       "OK resets the back-off: next due at done + interval");
	now += 1000;
	tap_ok(is(tt_sched_next(s, now), "fn"), "due at the interval");
	tt_sched_done(s, "fn", TT_SCHED_THROTTLED, now);
	tap_ok(info(s, "fn").backoff_ms >= TT_SCHED_BACKOFF_BASE_MS / 2 &&
	           info(s, "fn").backoff_ms <= TT_SCHED_BACKOFF_BASE_MS,
	       "the next failure starts again from the base");

	/* Due now overrides the back-off, not the failure count. */
	tt_sched_due_now(s, "fn", now + 10);
	tap_ok(info(s, "fn").next_due_ms == now + 10 && tt_sched_next_deadline(s, now + 10) == 0,
	       "due-now: due at once despite the back-off");
	tap_ok(is(tt_sched_next(s, now + 10), "fn"), "and runs");
	tt_sched_done(s, "fn", TT_SCHED_FAILED, now + 20);
	tap_ok(info(s, "fn").failures == 2 && info(s, "fn").backoff_ms >= TT_SCHED_BACKOFF_BASE_MS,
	       "a failure after due-now keeps counting");
	tt_sched_done(s, "fn", TT_SCHED_OK, now + 30);
	tt_sched_due_now(s, "fn", now + 40);
	tap_ok(is(tt_sched_next(s, now + 40), "fn"), "due-now: again (the reset was ignored: not in flight)");
	tt_sched_done(s, "fn", TT_SCHED_OK, now + 50);
	tt_sched_due_now(s, NULL, now + 60);
	tap_ok(is(tt_sched_next(s, now + 60), "fn"), "due-now on every key overrides the interval");
	tt_sched_free(&s);
}

/* Many seeds, many failures: the jitter never leaves [cap / 2, cap]. */
static void test_backoff_cap(void)
{
	bool in = true;
	long top = 0;

	for (uint64_t seed = 1; seed <= 50; seed++) {
		struct tt_sched *s = tt_sched_new(seed);
		int64_t now = 0;

		tt_sched_add(s, "k", "x", 1000, 0);
		for (unsigned n = 1; n <= 12; n++) {
			long b;

			tt_sched_next(s, now);
			tt_sched_done(s, "k", TT_SCHED_THROTTLED, now);
			b = info(s, "k").backoff_ms;
			if (n >= 7) {
				in &= b >= TT_SCHED_BACKOFF_MAX_MS / 2 && b <= TT_SCHED_BACKOFF_MAX_MS;
				top = b > top ? b : top;
			}
			now = info(s, "k").next_due_ms;
		}
		tt_sched_free(&s);
	}
	tap_ok(in, "capped: every back-off from the 7th failure on is within [%d, %d]", TT_SCHED_BACKOFF_MAX_MS / 2,
	       TT_SCHED_BACKOFF_MAX_MS);
	tap_ok(top > TT_SCHED_BACKOFF_MAX_MS * 9 / 10, "and the random half reaches near the cap (%ld)", top);
}

static void backoffs(uint64_t seed, long *out, int n)
{
	struct tt_sched *s = tt_sched_new(seed);
	int64_t now = 0;

	tt_sched_add(s, "a", "logs", 1000, 0);
	tt_sched_add(s, "b", "logs", 1000, 0);
	for (int i = 0; i < n; i += 2) {
		drain(s, now);
		tt_sched_done(s, "a", TT_SCHED_THROTTLED, now);
		tt_sched_done(s, "b", TT_SCHED_THROTTLED, now);
		out[i] = info(s, "a").backoff_ms;
		out[i + 1] = info(s, "b").backoff_ms;
		tt_sched_due_now(s, NULL, now);
	}
	tt_sched_free(&s);
}

static void test_seed(void)
{
	long a[16], b[16], c[16];

	backoffs(42, a, 16);
	backoffs(42, b, 16);
	backoffs(43, c, 16);
	tap_ok(memcmp(a, b, sizeof(a)) == 0, "same seed, same back-offs");
	tap_ok(memcmp(a, c, sizeof(a)) != 0, "another seed, other back-offs");
	tap_ok(a[0] != a[1] || a[2] != a[3] || a[4] != a[5], "keys throttled together come back apart");
}

/* --- budgets ------------------------------------------------------------------------------------ */

static void test_budget(void)
{
	struct sim m;
	char name[32];
	unsigned min_runs = 1000, max_runs = 0;

	sim_init(&m, 1, 0, 0);
	tt_sched_budget(m.s, "logs", 2, 2);
	for (int i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "logs:%d", i);
		sim_add(&m, name, "logs", 1000);
	}
	tap_ok(sim_start(&m) == 2, "2/s, burst 2, ten keys due: two start at once");
	tap_ok(tt_sched_starved(m.s, "logs") && tt_sched_starved(m.s, NULL), "the API is starved");
	tap_ok(!tt_sched_starved(m.s, "lambda"), "another API is not");
	sim_answer(&m);
	tap_ok(tt_sched_next_deadline(m.s, 0) == 500, "the next token comes in 500 ms: deadline 500");
	tap_ok(tt_sched_next(m.s, 499) == NULL, "no token at 499 ms");
	m.now = 500;
	tap_ok(sim_start(&m) == 1, "one at 500 ms, and only one");
	/* Let the clock run: the keys, due every second, want 10/s. */
	sim_run(&m, 10000);
	tap_ok(m.nruns == 22, "over [0, 10 s]: the burst, then 2 a second: 22 runs (%zu)", m.nruns);
	tap_ok(sim_max_window(&m, "logs:", 1000) <= 3, "never more than burst + rate - 1 in any second (%u)",
	       sim_max_window(&m, "logs:", 1000));
	tap_ok(tt_sched_runs(m.s, "logs") == 22 && tt_sched_runs(m.s, NULL) == 22, "runs counted per API (%lu)",
	       tt_sched_runs(m.s, "logs"));
	tap_ok(m.starved_seen && tt_sched_starved(m.s, "logs"), "starved all along");
	tap_ok(!m.late && !m.zero_wait, "every deadline was exact");
	for (int i = 0; i < 10; i++) {
		unsigned n;

		snprintf(name, sizeof(name), "logs:%d", i);
		n = sim_count(&m, name, 0, 10000);
		min_runs = n < min_runs ? n : min_runs;
		max_runs = n > max_runs ? n : max_runs;
	}
	tap_ok(max_runs - min_runs <= 1, "shared alike: %u to %u runs per key", min_runs, max_runs);

	/* With room to spare the API is no longer short. */
	tt_sched_budget(m.s, "logs", 100, 100);
	sim_run(&m, 20000);
	tap_ok(!tt_sched_starved(m.s, "logs"), "a budget that suffices: not starved");
	tt_sched_budget(m.s, "logs", 0, 0);
	tap_ok(tt_sched_next_deadline(m.s, m.now) >= 0, "no budget: not limited");
	sim_free(&m);
}

static void test_budget_deadline(void)
{
	struct tt_sched *s = tt_sched_new(1);

	tt_sched_budget(s, "cloudwatch-alarms", 1, 1);
	tt_sched_add(s, "alarms", "cloudwatch-alarms", 100, 0);
	tt_sched_add(s, "alarms2", "cloudwatch-alarms", 100000, 0);
	tap_ok(is(drain(s, 0), "alarms"), "burst 1: one key");
	tt_sched_done(s, "alarms", TT_SCHED_OK, 50);
	/* alarms2 has been due since 0 but waits for the token at 1000;
	 * alarms is due at 150 and waits too. */
	tap_ok(tt_sched_next_deadline(s, 50) == 950, "a key waiting for a token: the deadline is the token's (%ld)",
	       tt_sched_next_deadline(s, 50));
	tap_ok(tt_sched_next(s, 999) == NULL, "not a millisecond early");
	tap_ok(is(drain(s, 1000), "alarms2"), "the key due longest gets the token");
	tap_ok(tt_sched_next_deadline(s, 1000) == 1000, "the other one waits for the next (%ld)",
	       tt_sched_next_deadline(s, 1000));
	tt_sched_due_now(s, "alarms", 1500);
	tap_ok(tt_sched_next(s, 1500) == NULL && tt_sched_next_deadline(s, 1500) == 500,
	       "due-now does not override the budget");
	tap_ok(is(drain(s, 2000), "alarms"), "it runs with the next token");

	/* Tokens that come between milliseconds, after a long idle period:
	 * the bucket holds no more than its burst. */
	tt_sched_budget(s, "slow", 3, 2);
	for (int i = 0; i < 5; i++) {
		char name[16];

		snprintf(name, sizeof(name), "slow:%d", i);
		tt_sched_add(s, name, "slow", 1, 1000000);
	}
	tap_ok(strcmp(drain(s, 1000000), "slow:0,slow:1") == 0, "a full bucket gives its burst and no more");
	tap_ok(tt_sched_next_deadline(s, 1000000) == 334, "3 a second: the next token in 333.3 ms, deadline 334 (%ld)",
	       tt_sched_next_deadline(s, 1000000));
	tap_ok(tt_sched_next(s, 1000333) == NULL, "not there at 333 ms");
	tap_ok(is(tt_sched_next(s, 1000334), "slow:2"), "there at 334 ms");
	tap_ok(tt_sched_next_deadline(s, 1000334) == 333, "the next one at 666.7 ms: deadline 333 (%ld)",
	       tt_sched_next_deadline(s, 1000334));
	tt_sched_free(&s);
}

static void test_fairness(void)
{
	struct sim m;
	char name[32];
	size_t last_turn[20];
	size_t worst = 0, turns = 0;
	bool all = true;

	sim_init(&m, 1, 0, 30);
	tt_sched_budget(m.s, "cloudwatch", 1, 1);
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "cw:%d", i);
		sim_add(&m, name, "cloudwatch", i % 2 ? 500 : 2000);
		last_turn[i] = 0;
	}
	sim_run(&m, 200000);
	/* A turn is one run of the API. Once a key is due, every other key
	 * runs at most once before it (a key that ran is due again later than
	 * it): 19 turns; and a key becomes due at most interval + latency
	 * after its run, 3 tokens at 1/s. So no key waits more than 22 turns,
	 * whatever its interval. */
	for (size_t r = 0; r < m.nruns; r++) {
		int k = atoi(strchr(m.names[m.runs[r].key], ':') + 1);
		size_t wait = r + 1 - last_turn[k];

		turns++;
		if (wait > worst)
			worst = wait;
		last_turn[k] = r + 1;
	}
	for (int i = 0; i < 20; i++)
		all &= turns - last_turn[i] < 22;
	tap_ok(m.nruns == 201, "20 keys, 1/s: 201 runs in 200 s (%zu)", m.nruns);
	tap_ok(worst <= 22, "every key runs within 22 turns, the short intervals do not crowd out the long (%zu)",
	       worst);
	tap_ok(all, "and none is left waiting at the end");
	sim_free(&m);
}

/* --- the console's worst case ---------------------------------------------------------------------- */

static void test_ten_groups_300_functions(void)
{
	static const struct {
		const char *prefix;
		const char *api;
		unsigned quota;   /* AWS's default, per second */
		unsigned ceiling; /* our burst + rate */
	} apis[] = {
		{"logs:", "logs", 5, 4},
		{"lambda:", "lambda", 15, 10},
		{"metrics:", "cloudwatch", 50, 10},
		{"alarms", "cloudwatch-alarms", 9, 3},
	};
	struct sim m;
	char name[64];
	bool every = true;

	sim_init(&m, 99, 1000000, 120);
	tt_sched_default_budgets(m.s);
	for (int i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "logs:/aws/lambda/fn-%d", i);
		sim_add(&m, name, "logs", 1000);
	}
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "lambda:fn-%d", i);
		sim_add(&m, name, "lambda", 10000);
		snprintf(name, sizeof(name), "metrics:fn-%d", i);
		sim_add(&m, name, "cloudwatch", 10000);
	}
	sim_add(&m, "alarms", "cloudwatch-alarms", 1000);
	sim_run(&m, m.now + 60000);
	for (size_t a = 0; a < sizeof(apis) / sizeof(apis[0]); a++) {
		unsigned w = sim_max_window(&m, apis[a].prefix, 1000);

		tap_ok(w <= apis[a].ceiling && w < apis[a].quota, "%s: at most %u runs in any second, under %u/s (%u)",
		       apis[a].api, apis[a].ceiling, apis[a].quota, w);
	}
	for (size_t i = 0; i < m.nnames; i++)
		every &= sim_count(&m, m.names[i], 0, INT64_MAX) > 0;
	tap_ok(every, "every one of the %zu keys ran within 60 s", m.nnames);
	tap_ok(m.starved_seen && tt_sched_starved(m.s, "logs"), "the budgets were short, and the scheduler says so");
	tap_ok(sim_count(&m, "logs:/aws/lambda/fn-0", 0, INT64_MAX) >= 10,
	       "a log group still polls every few seconds (%u runs)", sim_count(&m, "logs:/aws/lambda/fn-0", 0, INT64_MAX));
	tap_ok(!m.late && !m.zero_wait, "every deadline was exact");
	sim_free(&m);
}

/* --- bookkeeping ----------------------------------------------------------------------------------- */

static void test_many_keys(void)
{
	struct tt_sched *s = tt_sched_new(1);
	char name[32];
	bool ok = true;
	size_t n = 0;

	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "k%d", i);
		tt_sched_add(s, name, i % 2 ? "a" : "b", 1000, i);
	}
	for (int i = 0; i < 1000; i += 2) {
		snprintf(name, sizeof(name), "k%d", i);
		tt_sched_remove(s, name);
	}
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "k%d", i);
		ok &= tt_sched_has(s, name) == (i % 2 == 1);
	}
	tap_ok(ok, "1000 keys added, every other one removed: each found or not as it should");
	while (tt_sched_next(s, 5000))
		n++;
	tap_ok(n == 500, "500 keys run (%zu)", n);
	for (int i = 1000; i < 3000; i++) {
		snprintf(name, sizeof(name), "k%d", i);
		tt_sched_add(s, name, "a", 1000, 5000);
		if (i % 3 == 0)
			tt_sched_remove(s, name);
	}
	n = 0;
	ok = true;
	for (int i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "k%d", i);
		if (tt_sched_has(s, name))
			n++;
		ok &= tt_sched_has(s, name) == (i < 1000 ? i % 2 == 1 : i % 3 != 0);
	}
	tap_ok(ok && n == 500 + 2000 - 666, "reuse after removals keeps the index right (%zu)", n);
	tt_sched_free(&s);
}

int main(void)
{
	test_new_and_interval();
	test_visibility();
	test_global_pause();
	test_in_flight();
	test_backoff();
	test_never_loaded_retries_on_backoff();
	test_backoff_cap();
	test_seed();
	test_budget();
	test_budget_deadline();
	test_fairness();
	test_ten_groups_300_functions();
	test_many_keys();
	return tap_done();
}
