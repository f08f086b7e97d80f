/* Following log groups: FilterLogEvents polling, or Live Tail after a
 * FilterLogEvents backfill, several groups interleaved in time order.
 *
 * What users of saw, cw, awslogs and `aws logs tail` ran into (peers.md),
 * and what this model does instead:
 *  - events that share a millisecond: every poll starts a little before the
 *    newest event seen and events are deduplicated by eventId, so an event
 *    is neither lost at the boundary nor printed twice;
 *  - streams are never chosen by lastEventTimestamp (it lags by up to an
 *    hour): FilterLogEvents searches the whole group;
 *  - throttling backs off and keeps going (follow mode never dies of it);
 *  - several groups: a small reorder window interleaves them by timestamp;
 *  - Live Tail: no gap between the backfill and the live stream, none when
 *    a session is replaced, and no duplicates (Live Tail events carry no
 *    eventId; they are matched on stream, timestamp and message).
 *
 * The model never blocks and never reads the clock: the caller's loop sets
 * tt_tail_clock(now) before each tt_http_dispatch, calls tt_tail_tick(now)
 * after it, and waits at most tt_tail_next_deadline(now) ms. `now` is the
 * wall clock in ms as AWS sees it (ours corrected by the engine's skew),
 * because it is compared with event timestamps.
 *
 * Ownership: tt_tail_new copies what it needs from opts; the sink and io
 * callbacks' contexts are borrowed and must outlive the tail. An event
 * passed to on_event is borrowed for the call. */
#ifndef TIERTOP_TAIL_H
#define TIERTOP_TAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tiertop/err.h"
#include "tiertop/svc_logs.h"

struct tt_tail;

struct tt_tail_opts {
	const char *const *groups; /* log group names (or ARNs) */
	size_t ngroups;
	int64_t start_ms;    /* --since; required */
	int64_t end_ms;      /* --until, 0 = none (one-shot only) */
	const char *pattern; /* filterPattern, or NULL */
	bool follow;         /* keep polling */
	bool live;           /* backfill, then Live Tail (implies follow) */
	long interval_ms;    /* between polls of a group; 0 = 1000 */
	long reorder_ms;     /* interleaving window; 0 = 1000 */
	long lookback_ms;    /* re-read behind the newest event; 0 = 5000 */
	/* Follow mode: how long after its timestamp an event may be ingested
	 * and still be shown (late, out of order). A sweep pass re-reads that
	 * far back every 30 s. 0 = 5 minutes; < 0 = no sweeps. */
	long late_ms;
};

struct tt_tail_event {
	size_t group; /* index into opts.groups */
	const char *group_name;
	const char *stream;
	const char *message; /* may hold NULs: use message_len */
	size_t message_len;
	const char *event_id; /* NULL for Live Tail events */
	int64_t timestamp_ms;
	int64_t ingestion_ms;
	bool live;    /* came from Live Tail */
	bool sampled; /* ... in an update AWS sampled (>500 events/s) */
	bool late;    /* found by a sweep: ingested after later events were shown */
};

enum tt_tail_note {
	TT_TAIL_NOTE_BACKOFF,   /* a request failed (throttled...); retrying later */
	TT_TAIL_NOTE_RECOVERED, /* requests work again */
	TT_TAIL_NOTE_LIVE,      /* a Live Tail session started */
	TT_TAIL_NOTE_RECONNECT, /* a Live Tail session ended; starting another */
	TT_TAIL_NOTE_SAMPLED,   /* Live Tail started (or stopped) sampling */
	TT_TAIL_NOTE_CAUGHT_UP, /* the backfill is done; what follows is new */
	TT_TAIL_NOTE_WARNING,   /* something broke (a corrupted stream...) but the tail goes on */
	TT_TAIL_NOTE_LATE,      /* a sweep found events ingested late (shown out of order) */
};

struct tt_tail_sink {
	void (*on_event)(void *ctx, const struct tt_tail_event *ev);
	void (*on_note)(void *ctx, enum tt_tail_note note, const char *text); /* may be NULL */
};

/* How the model talks to CloudWatch Logs: tt_tail_io_aws for the real
 * thing, a fake in the unit tests. Same contracts as svc_logs.h. */
struct tt_tail_io {
	int (*filter)(void *io, const struct tt_logs_filter *in, tt_logs_events_fn done, void *ctx, long *id,
	              struct tt_err *err);
	int (*describe_groups)(void *io, const char *prefix, const char *next_token, tt_logs_groups_fn done,
	                       void *ctx, long *id, struct tt_err *err);
	struct tt_logs_live *(*live_start)(void *io, const struct tt_logs_live_in *in,
	                                   const struct tt_logs_live_handlers *handlers, void *ctx,
	                                   struct tt_err *err);
	void (*cancel)(void *io, long id);
	void *io;
	/* logs: FilterLogEvents with the answer unparsed (tt_logs_filter_events_raw):
	 * the tail then parses a page a slice of events per tick, so that a
	 * 1 MB page never holds the caller's loop for long (its deadline is 0
	 * while a parse is pending). NULL: filter is used, parsed at once. */
	int (*filter_raw)(void *io, const struct tt_logs_filter *in, tt_logs_raw_fn done, void *ctx, long *id,
	                  struct tt_err *err);
};
void tt_tail_io_aws(struct tt_tail_io *io, struct tt_aws *aws);

struct tt_tail_stats {
	unsigned long requests;   /* FilterLogEvents and DescribeLogGroups calls */
	unsigned long failures;   /* of which failed (throttled, network...) */
	unsigned long events;     /* emitted */
	unsigned long duplicates; /* dropped as already emitted */
	unsigned long live_sessions;
	unsigned long late;       /* emitted out of order because they were ingested late */
};

struct tt_tail *tt_tail_new(const struct tt_tail_opts *opts, const struct tt_tail_io *io,
                            const struct tt_tail_sink *sink, void *ctx);
/* Cancels what is in flight (their callbacks do nothing) and frees. */
void tt_tail_free(struct tt_tail **t);

/* Starts due requests, emits what the reorder window lets go. */
void tt_tail_tick(struct tt_tail *t, int64_t now_ms);
/* The time the engine's callbacks will see (how late an event arrived is
 * measured then): call it just before tt_http_dispatch. */
void tt_tail_clock(struct tt_tail *t, int64_t now_ms);
/* Milliseconds until the model wants a tick without any I/O happening
 * (0 = now), or -1 when it only waits for answers. */
long tt_tail_next_deadline(const struct tt_tail *t, int64_t now_ms);
/* Emits every buffered event in order, ignoring the window (on exit). */
void tt_tail_flush(struct tt_tail *t);
/* 1 while running; 0 when a one-shot read is complete and emitted; -1 on a
 * fatal error (err filled: an unknown log group, access denied, ...). */
int tt_tail_status(const struct tt_tail *t, struct tt_err *err);
const struct tt_tail_stats *tt_tail_stats(const struct tt_tail *t);

#endif
