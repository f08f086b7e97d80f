/* Live Tail in the tail model: find each group's ARN, open a session, and
 * once AWS confirms it (sessionStart) backfill with FilterLogEvents from
 * --since, or after a reconnect from shortly before the last update. Both
 * sources go through tail_accept, which matches them on content, so the
 * overlap between the backfill and the stream shows once and nothing falls
 * between them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tail_internal.h"
#include "tiertop/retry.h"
#include "tiertop/str.h"
#include "tiertop/xalloc.h"

/* A new session backfills from this long before the last update. */
#define GAP_MS 30000
/* Sessions that end before sending a single update, in a row, before we
 * give up: a stream that always breaks would otherwise loop forever. */
#define MAX_FAILED_SESSIONS 3
#define RETRY_BASE_MS       500

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* --- resolving names to ARNs ------------------------------------------------- */

static void not_found(struct tail_group *g)
{
	struct tt_err err;

	tt_err_set(&err, TT_ERR_AWS, "The specified log group does not exist.");
	snprintf(err.code, sizeof(err.code), "ResourceNotFoundException");
	tail_fail(g->t, &err, g->name);
}

static void on_groups(void *ctx, struct tt_logs_group_page *page, const struct tt_err *err)
{
	struct tail_group *g = ctx;
	struct tt_tail *t = g->t;

	g->busy = false;
	g->req_id = 0;
	if (t->closing || t->failed)
		return;
	if (err) {
		tail_group_failed(g, err);
		return;
	}
	g->backing_off = false;
	g->failures = 0;
	g->answered = true;
	for (size_t i = 0; i < page->n; i++) {
		if (strcmp(page->groups[i].name, g->name) != 0)
			continue;
		if (!page->groups[i].arn) {
			struct tt_err e;
			tt_err_set(&e, TT_ERR_AWS, "DescribeLogGroups gave no ARN for the group");
			tail_fail(t, &e, g->name);
			return;
		}
		g->arn = page->groups[i].arn;
		page->groups[i].arn = NULL;
		free(g->token);
		g->token = NULL;
		return;
	}
	free(g->token);
	g->token = NULL;
	/* The prefix lists names in order, so the name itself would come
	 * first; still, follow the pages rather than rely on it. */
	if (page->next_token && *page->next_token) {
		g->token = page->next_token;
		page->next_token = NULL;
		g->due = t->now;
		return;
	}
	not_found(g);
}

static void resolve(struct tt_tail *t)
{
	bool all = true;
	struct tt_err err;

	for (size_t i = 0; i < t->ngroups && !t->failed; i++) {
		struct tail_group *g = &t->groups[i];
		size_t n = strlen(g->name);
		if (!g->arn && tt_str_starts_with(g->name, "arn:"))
			g->arn = tt_xstrndup(g->name, tt_str_ends_with(g->name, ":*") ? n - 2 : n);
		if (g->arn)
			continue;
		all = false;
		if (g->busy || g->due > t->now)
			continue;
		g->busy = true;
		t->stats.requests++;
		if (t->io.describe_groups(t->io.io, g->name, g->token, on_groups, g, &g->req_id, &err)) {
			g->busy = false;
			tail_fail(t, &err, g->name);
		}
	}
	if (all && !t->failed) {
		t->live_state = LIVE_WAIT;
		t->live_due = t->now;
	}
}

/* --- the session ---------------------------------------------------------------- */

static void on_start(void *ctx, const struct tt_logs_live_start *start)
{
	struct tt_tail *t = ctx;
	int64_t from = t->live_ever ? max64(t->o.start_ms, t->gap_from) : t->o.start_ms;

	t->live_state = LIVE_RUNNING;
	t->live_last = t->now;
	tail_note(t, TT_TAIL_NOTE_LIVE, "Live Tail session %s started",
	          start->session_id ? start->session_id : "");
	t->live_ever = true;
	tail_begin_backfill(t, from);
}

/* Which of our groups a logGroupIdentifier names: the ARN, with or
 * without ":*", or (emulators) the bare name. */
static size_t group_of(const struct tt_tail *t, const char *ident)
{
	if (!ident || t->ngroups == 1)
		return 0;
	for (size_t i = 0; i < t->ngroups; i++) {
		const struct tail_group *g = &t->groups[i];
		size_t n = g->arn ? strlen(g->arn) : 0;
		if (strcmp(ident, g->name) == 0 ||
		    (g->arn && strncmp(ident, g->arn, n) == 0 && (!ident[n] || strcmp(ident + n, ":*") == 0)))
			return i;
	}
	for (size_t i = 0; i < t->ngroups; i++) {
		char *suffix = tt_xasprintf(":log-group:%s", t->groups[i].name);
		bool match = strstr(ident, suffix) != NULL;
		free(suffix);
		if (match)
			return i;
	}
	return 0;
}

static void on_update(void *ctx, struct tt_logs_live_update *u)
{
	struct tt_tail *t = ctx;

	t->live_delivered = true;
	t->live_failures = 0;
	t->live_last = t->now;
	t->lag_ms -= t->lag_ms / 64; /* what was late long ago counts less and less */
	if (u->sampled != t->sampled) {
		t->sampled = u->sampled;
		tail_note(t, TT_TAIL_NOTE_SAMPLED,
		          u->sampled
		              ? "Live Tail is sampling: more than 500 events/s match, some are not shown"
		              : "Live Tail stopped sampling: every event is shown again");
	}
	for (size_t i = 0; i < u->n; i++) {
		int64_t ts = u->events[i].timestamp_ms;
		if (tail_accept(t, group_of(t, u->events[i].group), &u->events[i], TAIL_SRC_LIVE, u->sampled))
			tail_observe_lag(t, t->now - ts);
	}
}

/* Errors that a new session cannot fix: the request itself was refused. */
static bool fatal(const struct tt_err *err)
{
	enum tt_retry_class cls;

	if (!err)
		return false;
	if (err->kind == TT_ERR_CONFIG || err->kind == TT_ERR_USAGE)
		return true;
	cls = tt_retry_classify(err->http_status, err->code);
	/* LimitExceeded is the concurrent-session quota: another session may
	 * end; MAX_FAILED_SESSIONS bounds the wait. */
	return err->http_status >= 400 && cls == TT_RETRY_NEVER &&
	       strcmp(err->code, "LimitExceededException") != 0;
}

static void on_end(void *ctx, const struct tt_err *end_err)
{
	struct tt_tail *t = ctx;
	struct tt_err copy;
	const struct tt_err *err = end_err ? &copy : NULL;
	bool benign = !err || strcmp(end_err->code, "SessionTimeoutException") == 0;
	char reason[1200];
	long delay;

	/* end_err may live in the session, which goes now. */
	if (end_err)
		copy = *end_err;
	tt_logs_live_free(&t->live);
	t->live_state = LIVE_WAIT;
	t->gap_from = t->live_last - GAP_MS;
	if (fatal(err)) {
		tail_fail(t, err, NULL);
		return;
	}
	if (!t->live_delivered && ++t->live_failures > MAX_FAILED_SESSIONS) {
		struct tt_err e;
		if (err)
			e = *err;
		else
			tt_err_set(&e, TT_ERR_AWS,
			           "Live Tail sessions keep ending before they send anything");
		tt_err_prefix(&e, "giving up after %d failed Live Tail sessions", MAX_FAILED_SESSIONS + 1);
		tail_fail(t, &e, NULL);
		return;
	}
	delay = benign && t->live_failures == 0 ? 0 : tail_backoff_ms(t, RETRY_BASE_MS, t->live_failures + 1);
	t->live_due = t->now + delay;
	if (err)
		tt_err_format(err, reason, sizeof(reason));
	tail_note(t, benign ? TT_TAIL_NOTE_RECONNECT : TT_TAIL_NOTE_WARNING, "%s; reconnecting in %.1f s",
	          err ? reason : "Live Tail session ended", (double)delay / 1000.0);
}

static void start_session(struct tt_tail *t)
{
	const char **arns = tt_xcalloc(t->ngroups, sizeof(*arns));
	struct tt_logs_live_handlers h = {on_start, on_update, on_end};
	struct tt_logs_live_in in;
	struct tt_err err;

	for (size_t i = 0; i < t->ngroups; i++)
		arns[i] = t->groups[i].arn;
	memset(&in, 0, sizeof(in));
	in.group_arns = arns;
	in.ngroups = t->ngroups;
	in.pattern = t->pattern;
	t->live_delivered = false;
	t->live_state = LIVE_CONNECTING;
	t->stats.live_sessions++;
	t->stats.requests++;
	t->live = t->io.live_start(t->io.io, &in, &h, t, &err);
	free(arns);
	if (!t->live)
		tail_fail(t, &err, NULL);
}

void tail_live_tick(struct tt_tail *t)
{
	if (t->live_state == LIVE_RESOLVING)
		resolve(t);
	if (t->live_state == LIVE_WAIT && t->live_due <= t->now && !t->failed)
		start_session(t);
	/* Forget what no backfill will read again. */
	if (t->live_state == LIVE_RUNNING && !t->backfilling) {
		int64_t floor = t->now - TAIL_LIVE_KEEP_MS;
		tail_seen_prune(&t->content, floor);
		for (size_t i = 0; i < t->ngroups; i++)
			tail_seen_prune(&t->groups[i].ids, floor);
	}
}

long tail_live_deadline(const struct tt_tail *t, int64_t now_ms)
{
	long best = -1;

	if (t->live_state == LIVE_WAIT)
		return t->live_due > now_ms ? (long)(t->live_due - now_ms) : 0;
	if (t->live_state != LIVE_RESOLVING)
		return -1;
	for (size_t i = 0; i < t->ngroups; i++) {
		const struct tail_group *g = &t->groups[i];
		long w;
		if (g->arn || g->busy)
			continue;
		w = g->due > now_ms ? (long)(g->due - now_ms) : 0;
		if (best < 0 || w < best)
			best = w;
	}
	return best;
}

void tail_live_backfill_done(struct tt_tail *t)
{
	t->backfilling = false;
	tail_note(t, TT_TAIL_NOTE_CAUGHT_UP, "caught up; following live");
}

void tail_live_clear(struct tt_tail *t)
{
	tt_logs_live_free(&t->live);
}
