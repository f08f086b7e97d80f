/* The bounded fan-out: a fake request layer keeps its own count of what is
 * outstanding, so the bound is checked independently of the module's
 * counter, and completions arrive in a scrambled order, on the spot, or not
 * at all (start() failing) to cover the ways the verbs use it. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tiertop/err.h"
#include "tiertop/fanout.h"

#define MAX_N 64

struct fake {
	struct tt_fanout f;
	size_t limit;
	size_t fail_every;   /* start(i) fails when i % fail_every == 0 (0: never) */
	size_t skip_every;   /* start(i) has nothing to send likewise */
	size_t inline_every; /* start(i) completes before returning likewise */
	int starts[MAX_N];
	size_t order[MAX_N];
	size_t norder;
	size_t pending[MAX_N];
	size_t npending;
	size_t outstanding;
	size_t max_outstanding;
	bool over_limit;
	bool drift; /* the module's in_flight differs from the fake's count */
	int depth;
	int max_depth;
	bool finished_early; /* a completion said "finished" with work left */
	unsigned rng;
};

static bool every(size_t i, size_t k)
{
	return k && i % k == 0;
}

static bool fake_start(void *ctx, size_t i)
{
	struct fake *s = ctx;
	bool sent = true;

	if (++s->depth > s->max_depth)
		s->max_depth = s->depth;
	s->starts[i]++;
	s->order[s->norder++] = i;
	if (every(i, s->fail_every)) {
		struct tt_err err;
		tt_err_set(&err, TT_ERR_AWS, "entry %zu refused", i);
		tt_fanout_fail(&s->f, &err);
		sent = false;
	} else if (every(i, s->skip_every)) {
		sent = false;
	} else {
		if (++s->outstanding > s->limit)
			s->over_limit = true;
		if (s->outstanding > s->max_outstanding)
			s->max_outstanding = s->outstanding;
		if (every(i, s->inline_every)) {
			s->outstanding--;
			if (tt_fanout_done(&s->f))
				s->finished_early = true;
		} else {
			s->pending[s->npending++] = i;
		}
	}
	s->depth--;
	return sent;
}

/* Completes the outstanding requests in a pseudo-random order; true when
 * the last completion, and only it, reported the fan-out finished. */
static bool drain(struct fake *s)
{
	bool finished = false;

	while (s->npending) {
		size_t k;
		s->rng = s->rng * 1103515245u + 12345u;
		k = (s->rng >> 16) % s->npending;
		s->pending[k] = s->pending[--s->npending];
		s->outstanding--;
		if (finished)
			s->finished_early = true;
		finished = tt_fanout_done(&s->f);
		if (s->f.in_flight != s->outstanding)
			s->drift = true;
	}
	return finished && !s->finished_early && !s->drift;
}

static void fake_init(struct fake *s, size_t n, size_t limit)
{
	memset(s, 0, sizeof(*s));
	s->limit = limit;
	s->rng = 7;
	tt_fanout_init(&s->f, n, limit, fake_start, s);
}

static bool started_once_in_order(const struct fake *s)
{
	if (s->norder != s->f.n)
		return false;
	for (size_t i = 0; i < s->f.n; i++)
		if (s->starts[i] != 1 || s->order[i] != i)
			return false;
	return true;
}

static void test_empty(void)
{
	struct fake s;

	fake_init(&s, 0, 8);
	tap_ok(tt_fanout_pump(&s.f) && s.norder == 0, "empty list: finished at once, nothing started");
}

static void test_async(size_t n, size_t limit)
{
	struct fake s;
	bool first;

	fake_init(&s, n, limit);
	first = tt_fanout_pump(&s.f);
	tap_ok(!first && s.npending == (n < limit ? n : limit),
	       "n=%zu limit=%zu: the first pump fills exactly the limit", n, limit);
	tap_ok(drain(&s), "n=%zu limit=%zu: finished with the last completion only", n, limit);
	tap_ok(started_once_in_order(&s), "n=%zu limit=%zu: every entry started once, in order", n, limit);
	tap_ok(!s.over_limit && s.max_outstanding == (n < limit ? n : limit),
	       "n=%zu limit=%zu: in flight never above the limit (at most %zu)", n, limit, s.max_outstanding);
	tap_ok(s.f.failures == 0 && tt_fanout_finished(&s.f), "n=%zu limit=%zu: no failures", n, limit);
}

static void test_zero_limit(void)
{
	struct fake s;

	fake_init(&s, 5, 0);
	s.limit = 1;
	tt_fanout_pump(&s.f);
	tap_ok(s.npending == 1, "limit 0 works as 1");
	tap_ok(drain(&s) && started_once_in_order(&s) && !s.over_limit, "limit 0: one at a time to the end");
}

static void test_failing_starts(void)
{
	struct fake s;

	fake_init(&s, 40, 4);
	s.fail_every = 3; /* 0, 3, 6, ... 39: 14 of them */
	tt_fanout_pump(&s.f);
	tap_ok(s.npending == 4, "failing starts do not take a slot: 4 went out");
	tap_ok(drain(&s), "failing starts: finished with the last completion");
	tap_ok(started_once_in_order(&s) && !s.over_limit && s.max_outstanding == 4,
	       "failing starts: every entry started once, bound kept");
	tap_ok(s.f.failures == 14, "failing starts: 14 failures counted (%zu)", s.f.failures);
	tap_str_eq(s.f.first_err.message, "entry 0 refused", "failing starts: the first failure is kept");
}

static void test_all_fail(void)
{
	struct fake s;

	fake_init(&s, 10, 3);
	s.fail_every = 1;
	tap_ok(tt_fanout_pump(&s.f) && s.f.failures == 10 && started_once_in_order(&s),
	       "every start failing: finished by the first pump, 10 failures");
}

static void test_skips(void)
{
	struct fake s;

	fake_init(&s, 30, 5);
	s.skip_every = 2; /* the state is already known, say */
	tt_fanout_pump(&s.f);
	tap_ok(s.npending == 5, "entries with nothing to send are passed over in the same pump");
	tap_ok(drain(&s) && started_once_in_order(&s) && !s.over_limit && s.f.failures == 0,
	       "skips: finished, every entry once, no failures");
}

static void test_inline_completions(void)
{
	struct fake s;

	fake_init(&s, MAX_N, 3);
	s.inline_every = 2; /* half the answers arrive inside start() */
	s.fail_every = 7;
	tt_fanout_pump(&s.f);
	tap_ok(s.max_depth == 1, "completions inside start() do not nest starts (depth %d)", s.max_depth);
	tap_ok(drain(&s) && started_once_in_order(&s), "inline completions: finished, every entry once");
	tap_ok(!s.over_limit && s.max_outstanding <= 3, "inline completions: bound kept (at most %zu)",
	       s.max_outstanding);
	tap_ok(s.max_depth == 1, "inline completions: still no nesting after draining");
}

static void test_all_inline(void)
{
	struct fake s;

	fake_init(&s, MAX_N, 2);
	s.inline_every = 1;
	tap_ok(tt_fanout_pump(&s.f) && started_once_in_order(&s) && s.max_depth == 1 && !s.over_limit,
	       "every answer inside start(): one pump finishes the list without recursion");
}

int main(void)
{
	test_empty();
	test_async(60, 8);
	test_async(3, 8);
	test_async(8, 8);
	test_async(17, 1);
	test_zero_limit();
	test_failing_starts();
	test_all_fail();
	test_skips();
	test_inline_completions();
	test_all_inline();
	return tap_done();
}
