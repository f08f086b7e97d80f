/* Private to the tail model: its state (tail.c polls, tail_live.c runs
 * Live Tail) and two small data structures (tail_buf.c) that the unit
 * tests also drive directly. */
#ifndef TIERTOP_TAIL_INTERNAL_H
#define TIERTOP_TAIL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tiertop/tail.h"

/* --- what has been seen: keys by timestamp ------------------------------- */

/* Entries sorted by timestamp. Lookups touch only the entries of one
 * millisecond, and pruning drops a prefix. Keys are 64-bit hashes: a
 * collision would need two different events in the same millisecond of the
 * same group with equal hashes. */
struct tail_seen_entry {
	int64_t ts;
	uint64_t key;
	uint32_t n[2]; /* how often each source delivered it */
};

struct tail_seen {
	struct tail_seen_entry *v;
	size_t n, cap;
};

#define TAIL_HASH_INIT 0xcbf29ce484222325ull
uint64_t tail_hash(uint64_t h, const void *data, size_t len);

/* eventIds: true when (ts, key) is new (it is added), false for a repeat. */
bool tail_seen_add(struct tail_seen *s, int64_t ts, uint64_t key);
/* Two sources that each deliver every event at most once (Live Tail and
 * FilterLogEvents): counts one more (ts, key) from src and says whether it
 * is new, i.e. src has now delivered it more often than the other did.
 * Identical lines in one millisecond are kept apart by their counts. */
bool tail_seen_count(struct tail_seen *s, int64_t ts, uint64_t key, int src);
/* Forgets everything before floor. */
void tail_seen_prune(struct tail_seen *s, int64_t floor);
void tail_seen_clear(struct tail_seen *s);

/* --- the reorder buffer: a min-heap on (timestamp, arrival) -------------- */

struct tail_item {
	int64_t ts;
	uint64_t seq;
	size_t group;
	bool live, sampled, late;
	struct tt_logs_event ev; /* owned */
};

struct tail_merge {
	struct tail_item *v;
	size_t n, cap;
	uint64_t seq;
};

/* Takes the item's strings. */
void tail_merge_push(struct tail_merge *m, struct tail_item *it);
/* The earliest item, or NULL. */
const struct tail_item *tail_merge_peek(const struct tail_merge *m);
/* Moves the earliest item to *out (its strings become the caller's). */
bool tail_merge_pop(struct tail_merge *m, struct tail_item *out);
void tail_merge_clear(struct tail_merge *m);

/* --- the model ------------------------------------------------------------ */

#define TAIL_FAR_PAST   INT64_MIN
#define TAIL_FAR_FUTURE INT64_MAX
/* How long Live Tail remembers what it showed: a new session's backfill
 * starts well inside this. */
#define TAIL_LIVE_KEEP_MS 120000

enum tail_src { TAIL_SRC_POLL = 0, TAIL_SRC_LIVE = 1 };

struct tail_group {
	struct tt_tail *t;
	size_t index;
	char *name;
	char *arn; /* live mode: logGroupArn */
	bool busy; /* a request is in flight, or its answer is being parsed */
	long req_id;
	struct tt_logs_events_parser *parser; /* logs: the answer being parsed, a slice per tick */
	bool polling;           /* passes are wanted (one-shot or backfill: until done) */
	bool in_pass;           /* a nextToken chain is under way */
	bool restart;           /* begin a fresh pass after the page in flight */
	bool first_pass_done;   /* the history from the first cursor has been read */
	char *token;            /* nextToken of the pass (or of DescribeLogGroups) */
	int64_t cursor;         /* startTime of the next pass */
	int64_t pass_from;      /* startTime of the pass under way */
	int64_t pass_wall;      /* when the pass began */
	int64_t due;            /* next request may start */
	int64_t newest;         /* newest event timestamp seen */
	int64_t watermark;      /* every event up to here has arrived, as far as we know */
	int failures;           /* consecutive */
	bool answered;          /* a request of this group has succeeded */
	int64_t last_pass_wall; /* when the last complete pass began */
	bool backing_off;
	bool missing_said; /* follow: "does not exist yet" was said */
	struct tail_seen ids; /* eventIds from ids_floor on */
	int64_t ids_floor;    /* what is before was forgotten: no pass may start there again */
	bool sweeping;        /* the pass under way re-reads from before the cursor */
	int64_t sweep_cursor; /* ...and what it finds before this arrived late */
	int64_t sweep_due;
	unsigned long swept_late; /* late events the sweep under way found */
	int64_t swept_worst;      /* the latest of them, ms after its timestamp */
};

enum live_state { LIVE_OFF, LIVE_RESOLVING, LIVE_WAIT, LIVE_CONNECTING, LIVE_RUNNING };

struct tt_tail {
	struct tt_tail_opts o;
	char *pattern;
	struct tt_tail_io io;
	struct tt_tail_sink sink;
	void *ctx;
	struct tail_group *groups;
	size_t ngroups;
	struct tail_merge merge;
	struct tt_tail_stats stats;
	int64_t now;
	long reorder_eff; /* 0 with one group and no Live Tail */
	int64_t lag_ms;   /* how late new events arrived lately (decays) */
	bool lag_known;   /* lag_ms has been measured */
	bool closing;
	bool failed;
	bool more; /* logs: release() stopped at its slice; more may go now */
	struct tt_err err;
	uint64_t rng;
	/* Live Tail */
	struct tt_logs_live *live;
	enum live_state live_state;
	int64_t live_due;
	int live_failures;
	bool live_ever;      /* a session has started before */
	bool live_delivered; /* this session sent an update */
	int64_t live_last;   /* when the last update arrived */
	int64_t gap_from;    /* a new session backfills from here */
	bool sampled;
	bool backfilling;
	struct tail_seen content; /* (group, stream, ts, message) of both sources */
};

/* tail.c, for tail_live.c */
void tail_fail(struct tt_tail *t, const struct tt_err *err, const char *group);
void tail_note(struct tt_tail *t, enum tt_tail_note note, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Takes the event's strings when it is new (returns true), counting it as
 * coming from src; false for a duplicate. */
bool tail_accept(struct tt_tail *t, size_t group, struct tt_logs_event *ev, enum tail_src src, bool sampled);
/* A group's request failed: back off and retry, or give up (fatal). */
void tail_group_failed(struct tail_group *g, const struct tt_err *err);
/* Learns how late a new event arrived after its timestamp: events can turn
 * up that late, so passes re-read that far back and the reorder window
 * waits (up to a cap) that long. Covers ingestion lag and polling delay. */
void tail_observe_lag(struct tt_tail *t, int64_t lag);
/* How long the reorder window holds events: 0 for a single polled group,
 * else reorder_ms or the lag seen lately, whichever is longer (capped). */
int64_t tail_window(const struct tt_tail *t);
/* A retry delay: exponential in failures from base, capped, with jitter. */
long tail_backoff_ms(struct tt_tail *t, long base, int failures);
/* Starts a pass over every group from `from` (Live Tail backfill). */
void tail_begin_backfill(struct tt_tail *t, int64_t from);

/* tail_live.c */
void tail_live_tick(struct tt_tail *t);
/* ms until Live Tail wants a tick, or -1. */
long tail_live_deadline(const struct tt_tail *t, int64_t now_ms);
void tail_live_clear(struct tt_tail *t);
/* All polling passes of a backfill are done. */
void tail_live_backfill_done(struct tt_tail *t);

#endif
