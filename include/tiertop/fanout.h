/* Fan-out: one asynchronous request per entry of a list (entries 0..n-1, in
 * order), never more than `limit` of them outstanding, so that a long list
 * does not trip a control plane's rate limit.
 *
 * Ownership: the caller owns the struct (plain data; nothing to free), the
 * list, ctx and every request. This module sends nothing itself: start()
 * does, and the request's completion reports back with tt_fanout_done().
 *
 * start(ctx, i) returns true when a request for entry i went out and its
 * completion will call tt_fanout_done() exactly once (possibly before
 * start() returns: that is allowed). It returns false when nothing went out,
 * because i needs no request or because sending failed (then it calls
 * tt_fanout_fail first); entry i is finished at once either way.
 *
 * Failures are counted and the first one kept, so that a verb can show every
 * row and explain the gaps in one line. */
#ifndef TIERTOP_FANOUT_H
#define TIERTOP_FANOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "tiertop/err.h"

struct tt_fanout {
	size_t n;         /* entries */
	size_t next;      /* the next entry to start */
	size_t in_flight; /* started, not yet done */
	size_t limit;     /* at most this many in flight (at least 1) */
	bool (*start)(void *ctx, size_t i);
	void *ctx;
	bool pumping; /* inside tt_fanout_pump: completions only count */
	size_t failures;
	struct tt_err first_err; /* valid when failures > 0 */
};

/* Nothing is started until the first tt_fanout_pump. A limit of 0 means 1. */
void tt_fanout_init(struct tt_fanout *f, size_t n, size_t limit, bool (*start)(void *ctx, size_t i),
                    void *ctx);

/* Starts entries until limit are in flight or none is left. True when every
 * entry is finished (at once for n == 0). */
bool tt_fanout_pump(struct tt_fanout *f);

/* For a completion: one request fewer in flight, the freed slot refilled.
 * Returns what tt_fanout_pump returns, except from inside start(), where it
 * is false and the pump that called start() gives the answer. */
bool tt_fanout_done(struct tt_fanout *f);

/* Records a failure of one entry (a copy of err; the first one is kept). */
void tt_fanout_fail(struct tt_fanout *f, const struct tt_err *err);

bool tt_fanout_finished(const struct tt_fanout *f);

#endif
