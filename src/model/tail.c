/* The tail model (tail.h): FilterLogEvents passes per group, deduplication,
 * and the reorder window that interleaves groups. Live Tail is in
 * tail_live.c.
 *
 * A pass is one nextToken chain from a startTime. The first pass reads the
 * history from --since; in follow mode each later pass starts `lookback`
 * before the newest event seen, so that events that share its millisecond,
 * or that were ingested late, are read again; the eventIds kept from that
 * point on drop what was already shown. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tail_internal.h"
#include "tiertop/retry.h"
#include "tiertop/str.h"
#include "tiertop/xalloc.h"

#define DEFAULT_INTERVAL_MS 1000
#define DEFAULT_REORDER_MS  1000
#define DEFAULT_LOOKBACK_MS 5000
/* A quiet group's next pass starts no earlier than this before the pass
 * began (so it does not rescan hours of history every second), and no later,
 * which absorbs that much difference between our clock and the loggers'. */
#define QUIET_MS       60000
#define MAX_BACKOFF_MS 30000
/* How often a followed group that does not exist is asked for again: one
 * FilterLogEvents each time, against a quota of 5 a second per account. */
#define MISSING_GROUP_RETRY_MS 10000
/* A one-shot read gives up on throttling after this many failed passes
 * (each of them already retried by the engine); follow mode never does. */
#define ONESHOT_MAX_FAILURES 5
/* Passes re-read at most this far behind the newest event for latecomers... */
#define MAX_LAG_MS 30000
/* ...and the reorder window waits at most this long for them: beyond it,
 * late events are shown late rather than everything being shown late. */
#define MAX_WINDOW_MS 5000
/* The reorder buffer lets its oldest events go beyond this many. */
#define MERGE_CAP 50000
/* logs: events parsed per tick from a large answer: about 3 ms of a 1 MB
 * page of 10,000 (bench/parse_page.sh), so keys are read in between. */
#define PARSE_SLICE_EVENTS 500
#define EMIT_SLICE_EVENTS 2000
/* CloudWatch Logs may index an event minutes after its timestamp during an
 * incident, well past what the passes re-read: a sweep re-reads this far
 * back, this often, and shows what it finds as late. */
#define DEFAULT_LATE_MS 300000
#define SWEEP_EVERY_MS  30000
/* eventIds a group keeps for the sweeps at most (24 bytes each): a very
 * busy group sweeps a shorter span rather than growing without bound. */
#define SWEEP_IDS_CAP 400000

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

void tail_note(struct tt_tail *t, enum tt_tail_note note, const char *fmt, ...)
{
	char text[1200];
	va_list ap;

	if (!t->sink.on_note)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	t->sink.on_note(t->ctx, note, text);
}

static bool group_missing(const struct tt_err *err)
{
	return strcmp(err->code, "ResourceNotFoundException") == 0;
}

/* Why a function's default group may not be there: said where the error
 * is, since "does not exist" alone suggests a typo. */
static const char *missing_hint(const char *group)
{
	return tt_str_starts_with(group, "/aws/lambda/")
		   ? " (Lambda creates it when the function first writes a log line)"
		   : "";
}

void tail_fail(struct tt_tail *t, const struct tt_err *err, const char *group)
{
	if (t->failed)
		return;
	t->err = *err;
	if (group && group_missing(err)) {
		size_t len = strlen(t->err.message);
		snprintf(t->err.message + len, sizeof(t->err.message) - len, "%s", missing_hint(group));
	}
	if (group)
		tt_err_prefix(&t->err, "log group %s", group);
	t->failed = true;
}

long tail_backoff_ms(struct tt_tail *t, long base, int failures)
{
	long d = tt_retry_doubling_ms(base, MAX_BACKOFF_MS, failures > 0 ? (unsigned)failures : 1);

	/* Half fixed, half random, so that groups throttled together do not
	 * come back together. */
	t->rng = t->rng * 6364136223846793005ull + 1442695040888963407ull;
	return d / 2 + (long)((t->rng >> 33) % (uint64_t)(d / 2 + 1));
}

void tail_observe_lag(struct tt_tail *t, int64_t lag)
{
	/* Negative: it came within one polling interval. */
	if (lag < 0)
		lag = 0;
	t->lag_known = true;
	if (lag > t->lag_ms)
		t->lag_ms = lag < MAX_LAG_MS ? lag : MAX_LAG_MS;
}

int64_t tail_window(const struct tt_tail *t)
{
	/* A quarter more than the worst seen: the next one may be a bit worse. */
	int64_t w = min64(t->lag_ms + t->lag_ms / 4, MAX_WINDOW_MS);

	/* Until a new event has shown how late they come, assume the worst. */
	if (!t->lag_known)
		w = MAX_WINDOW_MS;
	/* One group on Live Tail, no backfill running: nothing is left to merge,
	 * so events show as they come (within an update, in time order), as
	 * the console's Live Tail shows them. Holding them would add the
	 * ingestion lag and the update interval again: about 2 s. */
	if (t->o.live && t->ngroups == 1 && t->live_state == LIVE_RUNNING && !t->backfilling)
		return 0;
	return t->reorder_eff ? max64(t->reorder_eff, w) : 0;
}

/* --- accepting and emitting --------------------------------------------------- */

static uint64_t content_key(size_t group, const struct tt_logs_event *ev)
{
	uint64_t h = tail_hash(TAIL_HASH_INIT, &group, sizeof(group));

	h = tail_hash(h, ev->stream ? ev->stream : "", ev->stream ? strlen(ev->stream) + 1 : 1);
	return tail_hash(h, ev->message, ev->message_len);
}

bool tail_accept(struct tt_tail *t, size_t group, struct tt_logs_event *ev, enum tail_src src, bool sampled)
{
	struct tail_group *g = &t->groups[group];
	struct tail_item it;
	bool late = src == TAIL_SRC_POLL && g->sweeping && ev->timestamp_ms < g->sweep_cursor;

	if (ev->event_id && !tail_seen_add(&g->ids, ev->timestamp_ms,
	                                   tail_hash(TAIL_HASH_INIT, ev->event_id, strlen(ev->event_id)))) {
		t->stats.duplicates++;
		return false;
	}
	/* Live Tail events have no eventId: match them with the backfill's on
	 * what both carry. Only recent events can be in both. */
	if (t->o.live && ev->timestamp_ms >= t->now - TAIL_LIVE_KEEP_MS &&
	    !tail_seen_count(&t->content, ev->timestamp_ms, content_key(group, ev), src)) {
		t->stats.duplicates++;
		return false;
	}
	memset(&it, 0, sizeof(it));
	it.ts = ev->timestamp_ms;
	it.group = group;
	it.live = src == TAIL_SRC_LIVE;
	it.sampled = sampled;
	it.late = late;
	if (late) {
		int64_t after = (ev->ingestion_ms ? ev->ingestion_ms : t->now) - ev->timestamp_ms;
		g->swept_late++;
		g->swept_worst = max64(g->swept_worst, after);
	}
	it.ev = *ev;
	memset(ev, 0, sizeof(*ev));
	tail_merge_push(&t->merge, &it);
	return true;
}

static void emit(struct tt_tail *t, struct tail_item *it)
{
	struct tt_tail_event e;

	e.group = it->group;
	e.group_name = t->groups[it->group].name;
	e.stream = it->ev.stream ? it->ev.stream : "";
	e.message = it->ev.message ? it->ev.message : "";
	e.message_len = it->ev.message ? it->ev.message_len : 0;
	e.event_id = it->ev.event_id;
	e.timestamp_ms = it->ts;
	e.ingestion_ms = it->ev.ingestion_ms;
	e.live = it->live;
	e.sampled = it->sampled;
	e.late = it->late;
	t->stats.events++;
	t->stats.late += it->late;
	t->sink.on_event(t->ctx, &e);
	tt_logs_event_clear(&it->ev);
}

/* Up to where every source has delivered. A group that is backing off does
 * not hold the others back: its events come late, out of order, rather
 * than everyone's events waiting for it. */
static int64_t watermark(const struct tt_tail *t)
{
	int64_t w = TAIL_FAR_FUTURE;

	for (size_t i = 0; i < t->ngroups; i++)
		if (t->groups[i].polling && !t->groups[i].backing_off)
			w = min64(w, t->groups[i].watermark);
	/* Live Tail's clock stops while no session runs: what the next
	 * session's backfill finds of the gap must still fit in before. */
	if (t->o.live)
		w = min64(w, (t->live_state == LIVE_RUNNING ? t->now : t->live_last) - tail_window(t));
	return w;
}

/* At most EMIT_SLICE_EVENTS a tick (logs): the sink's work for a whole
 * page would otherwise hold the caller's loop; t->more says to tick again
 * at once. */
static void release(struct tt_tail *t)
{
	int64_t w = watermark(t);
	const struct tail_item *top;
	struct tail_item it;
	size_t n = 0;

	t->more = false;
	while ((top = tail_merge_peek(&t->merge)) && (top->ts <= w || t->merge.n > MERGE_CAP)) {
		if (n++ == EMIT_SLICE_EVENTS) {
			t->more = true;
			break;
		}
		tail_merge_pop(&t->merge, &it);
		emit(t, &it);
	}
}

void tt_tail_flush(struct tt_tail *t)
{
	struct tail_item it;

	while (tail_merge_pop(&t->merge, &it))
		emit(t, &it);
}

/* --- passes ------------------------------------------------------------------ */

static void on_page(void *ctx, struct tt_logs_event_page *page, const struct tt_err *err);
static void on_raw(void *ctx, char *json, size_t len, const struct tt_err *err);

static bool sweeps(const struct tt_tail *t)
{
	return t->o.follow && !t->o.live && t->o.late_ms > 0;
}

/* Turns the pass about to start into a sweep when one is due: it starts
 * late_ms back (never where eventIds were forgotten), and what it finds
 * before the cursor was missed by the passes because it came late. */
static void begin_sweep(struct tail_group *g)
{
	struct tt_tail *t = g->t;
	int64_t from;

	g->sweeping = false;
	if (!sweeps(t) || !g->first_pass_done || !g->sweep_due || t->now < g->sweep_due)
		return;
	g->sweep_due = t->now + SWEEP_EVERY_MS;
	from = max64(t->o.start_ms, max64(g->ids_floor, t->now - t->o.late_ms));
	if (from >= g->cursor)
		return;
	g->sweeping = true;
	g->sweep_cursor = g->cursor;
	g->pass_from = from;
	g->swept_late = 0;
	g->swept_worst = 0;
}

static void end_sweep(struct tail_group *g)
{
	struct tt_tail *t = g->t;

	if (g->sweeping && g->swept_late)
		tail_note(t, TT_TAIL_NOTE_LATE,
		          "log group %s: %lu event%s ingested late (up to %.0f s after %s timestamp), shown out of order",
		          g->name, g->swept_late, g->swept_late == 1 ? "" : "s", (double)g->swept_worst / 1000.0,
		          g->swept_late == 1 ? "its" : "their");
	g->sweeping = false;
	if (!g->sweep_due)
		g->sweep_due = t->now + SWEEP_EVERY_MS;
}

/* Where the eventIds may be forgotten: before the cursor, and when sweeps
 * run, before what the next sweep re-reads too (fewer when there are too
 * many: the sweeps then start later, see begin_sweep). */
static void prune_ids(struct tail_group *g)
{
	struct tt_tail *t = g->t;
	int64_t floor = g->cursor;

	if (sweeps(t)) {
		floor = min64(floor, t->now - t->o.late_ms);
		if (g->ids.n > SWEEP_IDS_CAP)
			floor = min64(g->cursor, max64(floor, g->ids.v[g->ids.n - SWEEP_IDS_CAP].ts));
	}
	tail_seen_prune(&g->ids, floor);
	g->ids_floor = max64(g->ids_floor, floor);
}

static void poll_group(struct tail_group *g)
{
	struct tt_tail *t = g->t;
	struct tt_logs_filter f;
	struct tt_err err;

	if (!g->in_pass) {
		g->in_pass = true;
		g->pass_from = g->cursor;
		g->pass_wall = t->now;
		begin_sweep(g);
	}
	memset(&f, 0, sizeof(f));
	f.group = g->name;
	f.start_ms = g->pass_from;
	f.end_ms = t->o.end_ms;
	f.pattern = t->pattern;
	f.next_token = g->token;
	g->busy = true;
	t->stats.requests++;
	if (t->io.filter_raw ? t->io.filter_raw(t->io.io, &f, on_raw, g, &g->req_id, &err)
	                     : t->io.filter(t->io.io, &f, on_page, g, &g->req_id, &err)) {
		g->busy = false;
		tail_fail(t, &err, g->name);
	}
}

/* Following a group that is not there yet (a function deployed but never
 * run): wait for it, checking now and then, and say so once. */
static void wait_for_group(struct tail_group *g)
{
	struct tt_tail *t = g->t;

	g->due = t->now + MISSING_GROUP_RETRY_MS;
	g->backing_off = true;
	if (!g->missing_said)
		tail_note(t, TT_TAIL_NOTE_WARNING, "log group %s does not exist yet%s; checking every %d s", g->name,
		          missing_hint(g->name), MISSING_GROUP_RETRY_MS / 1000);
	g->missing_said = true;
}

void tail_group_failed(struct tail_group *g, const struct tt_err *err)
{
	struct tt_tail *t = g->t;
	enum tt_retry_class cls = tt_retry_classify(err->http_status, err->code);
	bool keep_going = t->o.follow || t->o.live;
	/* Once a group has answered, an outage is waited out; a group that
	 * never answered is more likely a wrong endpoint, which must not hang
	 * silently. Throttling always means "later". */
	bool retry =
	    cls == TT_RETRY_THROTTLED ||
	    (keep_going && g->answered && (cls == TT_RETRY_TRANSIENT || err->kind == TT_ERR_NETWORK));
	long delay;

	t->stats.failures++;
	if (group_missing(err) && t->o.follow && !t->o.live) {
		wait_for_group(g);
		return;
	}
	if (!retry || (!keep_going && g->failures >= ONESHOT_MAX_FAILURES)) {
		tail_fail(t, err, g->name);
		return;
	}
	g->failures++;
	delay = tail_backoff_ms(t, t->o.interval_ms, g->failures);
	g->due = t->now + delay;
	g->backing_off = true;
	tail_note(t, TT_TAIL_NOTE_BACKOFF, "log group %s: %s; retrying in %.1f s", g->name,
	          err->code[0] ? err->code : err->message, (double)delay / 1000.0);
}

static bool any_polling(const struct tt_tail *t)
{
	for (size_t i = 0; i < t->ngroups; i++)
		if (t->groups[i].polling)
			return true;
	return false;
}

/* In follow mode, history near the present may still be incomplete: the
 * window applies to it too. */
static int64_t follow_limit(const struct tail_group *g)
{
	const struct tt_tail *t = g->t;

	return t->o.follow && !t->o.live ? g->pass_wall - tail_window(t) : TAIL_FAR_FUTURE;
}

static void pass_done(struct tail_group *g)
{
	struct tt_tail *t = g->t;
	int64_t base;

	if (!t->o.follow || t->o.live) {
		/* One-shot, or a Live Tail backfill: the live stream takes over. */
		g->polling = false;
		g->watermark = TAIL_FAR_FUTURE;
		if (t->o.live && !any_polling(t))
			tail_live_backfill_done(t);
		return;
	}
	/* An event stamped in the future (a skewed clock, a timeout line
	 * written ahead) must not drag the cursor past the present. */
	base = min64(max64(g->newest, g->pass_wall - QUIET_MS), t->now);
	/* Never back: the eventIds before the cursor are forgotten, so
	 * rereading there would show events twice. */
	g->cursor = max64(g->cursor, max64(t->o.start_ms, base - max64(t->o.lookback_ms, t->lag_ms)));
	g->last_pass_wall = g->pass_wall;
	end_sweep(g);
	prune_ids(g);
	g->watermark = max64(g->watermark, g->pass_wall - tail_window(t));
	t->lag_ms -= t->lag_ms / 64;
	g->due = max64(t->now, g->pass_wall + t->o.interval_ms);
}

static void on_page(void *ctx, struct tt_logs_event_page *page, const struct tt_err *err)
{
	struct tail_group *g = ctx;
	struct tt_tail *t = g->t;
	int64_t last = TAIL_FAR_PAST;

	g->busy = false;
	g->req_id = 0;
	if (t->closing || t->failed)
		return;
	if (err) {
		tail_group_failed(g, err);
		return;
	}
	if (g->backing_off)
		tail_note(t, TT_TAIL_NOTE_RECOVERED, "log group %s: reading again", g->name);
	g->backing_off = false;
	g->failures = 0;
	g->answered = true;
	for (size_t i = 0; i < page->n; i++) {
		struct tt_logs_event *ev = &page->events[i];
		int64_t ts = ev->timestamp_ms;
		g->newest = max64(g->newest, ts);
		last = max64(last, ts);
		/* How late new events turn up, once history is read: the event
		 * was not there when the last pass began. Measured from then,
		 * not from now, so that our own back-off does not count. */
		if (tail_accept(t, g->index, ev, TAIL_SRC_POLL, false) && g->first_pass_done)
			tail_observe_lag(t, g->last_pass_wall - ts);
	}
	/* The first pass reads history in time order: what is before the last
	 * millisecond of a page is complete (that millisecond may go on). */
	if (page->n && !g->first_pass_done && !g->restart)
		g->watermark = max64(g->watermark, min64(last - 1, follow_limit(g)));
	g->due = t->now;
	/* The same token again, with nothing on the page: the next request would
	 * be this one again, for ever. Stop, as items does for LastEvaluatedKey. */
	if (page->n == 0 && page->next_token && g->token && strcmp(page->next_token, g->token) == 0 &&
	    !g->restart) {
		struct tt_err loop;
		tt_err_set(&loop, TT_ERR_AWS,
		           "CloudWatch Logs sent the same nextToken twice with no events; stopping");
		tail_fail(t, &loop, g->name);
		return;
	}
	if (page->next_token && *page->next_token && !g->restart) {
		free(g->token);
		g->token = page->next_token;
		page->next_token = NULL;
		/* Asked for now, not at the next tick: the service prepares the
		 * next page while this one is printed. */
		poll_group(g);
		return;
	}
	free(g->token);
	g->token = NULL;
	g->in_pass = false;
	if (g->restart) {
		g->restart = false;
		return;
	}
	g->first_pass_done = true;
	pass_done(g);
}

/* logs: an answer to parse in slices (tail_parse_slices); the group stays
 * busy until the page is read. */
static void on_raw(void *ctx, char *json, size_t len, const struct tt_err *err)
{
	struct tail_group *g = ctx;
	struct tt_tail *t = g->t;

	g->req_id = 0;
	if (err || t->closing || t->failed) {
		free(json);
		on_page(g, NULL, err);
		return;
	}
	g->parser = tt_logs_events_parser_new(json, len);
}

/* One slice of each answer being parsed; a page read goes on as on_page. */
static void parse_slices(struct tt_tail *t)
{
	for (size_t i = 0; i < t->ngroups && !t->failed; i++) {
		struct tail_group *g = &t->groups[i];
		struct tt_logs_event_page page;
		struct tt_err err;
		int rc;

		if (!g->parser)
			continue;
		rc = tt_logs_events_parser_step(g->parser, PARSE_SLICE_EVENTS, &err);
		if (rc == 1)
			continue;
		if (rc == 0)
			tt_logs_events_parser_take(g->parser, &page);
		tt_logs_events_parser_free(&g->parser);
		if (rc == 0) {
			on_page(g, &page, NULL);
			tt_logs_event_page_clear(&page);
		} else {
			tt_err_prefix(&err, "logs FilterLogEvents");
			on_page(g, NULL, &err);
		}
	}
}

void tail_begin_backfill(struct tt_tail *t, int64_t from)
{
	t->backfilling = true;
	for (size_t i = 0; i < t->ngroups; i++) {
		struct tail_group *g = &t->groups[i];
		g->polling = true;
		g->cursor = from;
		g->watermark = min64(g->watermark, from - 1);
		g->first_pass_done = false;
		g->due = t->now;
		if (g->busy) {
			g->restart = true;
		} else {
			free(g->token);
			g->token = NULL;
			g->in_pass = false;
		}
	}
}

/* --- the model's life ------------------------------------------------------------ */

struct tt_tail *tt_tail_new(const struct tt_tail_opts *opts, const struct tt_tail_io *io,
                            const struct tt_tail_sink *sink, void *ctx)
{
	struct tt_tail *t = tt_xcalloc(1, sizeof(*t));

	t->o = *opts;
	t->o.groups = NULL;
	if (t->o.live)
		t->o.follow = true;
	if (t->o.interval_ms <= 0)
		t->o.interval_ms = DEFAULT_INTERVAL_MS;
	if (t->o.reorder_ms <= 0)
		t->o.reorder_ms = DEFAULT_REORDER_MS;
	if (t->o.lookback_ms <= 0)
		t->o.lookback_ms = DEFAULT_LOOKBACK_MS;
	if (t->o.late_ms == 0)
		t->o.late_ms = DEFAULT_LATE_MS;
	t->reorder_eff = opts->ngroups > 1 || opts->live ? t->o.reorder_ms : 0;
	t->pattern = opts->pattern && *opts->pattern ? tt_xstrdup(opts->pattern) : NULL;
	t->io = *io;
	t->sink = *sink;
	t->ctx = ctx;
	t->rng = 0x9E3779B97F4A7C15ull ^ opts->ngroups;
	t->ngroups = opts->ngroups;
	t->groups = tt_xcalloc(t->ngroups ? t->ngroups : 1, sizeof(*t->groups));
	for (size_t i = 0; i < t->ngroups; i++) {
		struct tail_group *g = &t->groups[i];
		g->t = t;
		g->index = i;
		g->name = tt_xstrdup(opts->groups[i]);
		g->cursor = opts->start_ms;
		g->watermark = opts->start_ms - 1;
		g->polling = !opts->live;
	}
	t->live_state = opts->live ? LIVE_RESOLVING : LIVE_OFF;
	return t;
}

void tt_tail_free(struct tt_tail **tp)
{
	struct tt_tail *t = *tp;

	if (!t)
		return;
	t->closing = true;
	for (size_t i = 0; i < t->ngroups; i++)
		if (t->groups[i].busy && !t->groups[i].parser && t->io.cancel)
			t->io.cancel(t->io.io, t->groups[i].req_id);
	tail_live_clear(t);
	for (size_t i = 0; i < t->ngroups; i++) {
		free(t->groups[i].name);
		free(t->groups[i].arn);
		free(t->groups[i].token);
		tt_logs_events_parser_free(&t->groups[i].parser);
		tail_seen_clear(&t->groups[i].ids);
	}
	free(t->groups);
	tail_seen_clear(&t->content);
	tail_merge_clear(&t->merge);
	free(t->pattern);
	free(t);
	*tp = NULL;
}

void tt_tail_clock(struct tt_tail *t, int64_t now_ms)
{
	t->now = now_ms;
}

void tt_tail_tick(struct tt_tail *t, int64_t now_ms)
{
	t->now = now_ms;
	if (t->failed)
		return;
	if (t->o.live)
		tail_live_tick(t);
	parse_slices(t);
	for (size_t i = 0; i < t->ngroups && !t->failed; i++) {
		struct tail_group *g = &t->groups[i];
		if (g->polling && !g->busy && g->due <= now_ms)
			poll_group(g);
	}
	if (!t->failed)
		release(t);
}

static void earliest(long *best, int64_t wait)
{
	long w = wait < 0 ? 0 : (wait > 3600000 ? 3600000 : (long)wait);

	if (*best < 0 || w < *best)
		*best = w;
}

long tt_tail_next_deadline(const struct tt_tail *t, int64_t now_ms)
{
	long best = -1;
	const struct tail_item *top = tail_merge_peek(&t->merge);

	if (t->failed || t->more)
		return 0;
	for (size_t i = 0; i < t->ngroups; i++) {
		if (t->groups[i].parser)
			return 0; /* the next slice, after the caller has read its keys */
		if (t->groups[i].polling && !t->groups[i].busy)
			earliest(&best, t->groups[i].due - now_ms);
	}
	if (t->o.live) {
		long live = tail_live_deadline(t, now_ms);
		if (live >= 0)
			earliest(&best, live);
		/* Live events wait out the window by the clock alone. */
		if (top && t->live_state == LIVE_RUNNING)
			earliest(&best, top->ts + tail_window(t) - now_ms);
	}
	return best;
}

int tt_tail_status(const struct tt_tail *t, struct tt_err *err)
{
	if (t->failed) {
		if (err)
			*err = t->err;
		return -1;
	}
	if (!t->o.follow && !any_polling(t) && !tail_merge_peek(&t->merge))
		return 0;
	return 1;
}

const struct tt_tail_stats *tt_tail_stats(const struct tt_tail *t)
{
	return &t->stats;
}

/* --- talking to AWS ------------------------------------------------------------------ */

static int aws_filter(void *io, const struct tt_logs_filter *in, tt_logs_events_fn done, void *ctx, long *id,
                      struct tt_err *err)
{
	return tt_logs_filter_events(io, in, done, ctx, id, err);
}

static int aws_filter_raw(void *io, const struct tt_logs_filter *in, tt_logs_raw_fn done, void *ctx, long *id,
                          struct tt_err *err)
{
	return tt_logs_filter_events_raw(io, in, done, ctx, id, err);
}

static int aws_describe(void *io, const char *prefix, const char *token, tt_logs_groups_fn done, void *ctx,
                        long *id, struct tt_err *err)
{
	return tt_logs_describe_groups(io, prefix, token, 0, done, ctx, id, err);
}

static struct tt_logs_live *aws_live(void *io, const struct tt_logs_live_in *in,
                                     const struct tt_logs_live_handlers *handlers, void *ctx,
                                     struct tt_err *err)
{
	return tt_logs_live_start(io, in, handlers, ctx, err);
}

static void aws_cancel(void *io, long id)
{
	struct tt_aws *aws = io;

	tt_http_cancel(aws->http, id);
}

void tt_tail_io_aws(struct tt_tail_io *io, struct tt_aws *aws)
{
	io->filter = aws_filter;
	io->filter_raw = aws_filter_raw;
	io->describe_groups = aws_describe;
	io->live_start = aws_live;
	io->cancel = aws_cancel;
	io->io = aws;
}
