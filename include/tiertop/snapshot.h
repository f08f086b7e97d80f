/* The application as the console and `status` see it: its resources tier by
 * tier (from stack discovery), each with its catalog metrics over a range
 * and its alarm state, refreshed part by part. Shaped like the tail model:
 * an io table to AWS (a fake in tests), a sink told what changed, `now`
 * passed in, cancellable (tt_snapshot_free while calls are in flight is
 * safe: their answers are dropped), driven by the caller's loop.
 *
 * Parts refresh independently and fail independently: a failed metrics or
 * alarms call keeps the last good data and records the error and when it
 * happened, so a view can show the age and the reason in place ("stale
 * while revalidating") and `status` can print what it has.
 *
 * Ownership: tt_snapshot_new copies the selection; the io and sink
 * contexts are borrowed and must outlive the snapshot. Rows, the stack and
 * every string reached from them are owned by the snapshot and valid until
 * the next discovery completes (the sink is told: TT_SNAP_DISCOVERY) or
 * the snapshot is freed. */
#ifndef TIERTOP_SNAPSHOT_H
#define TIERTOP_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "tiertop/catalog.h"
#include "tiertop/err.h"
#include "tiertop/stack.h"
#include "tiertop/svc_cloudwatch.h"

/* CloudWatch bills GetMetricData per metric requested: $0.01 per 1,000. */
#define TT_CW_PRICE_PER_METRIC 0.00001
/* GetMetricData returns at most this many points per metric per call. */
#define TT_CW_MAX_POINTS 1440
/* The most metrics one catalog kind defines (queries per row). */
#define TT_SNAP_MAX_METRICS 16

enum tt_snap_part {
	TT_SNAP_DISCOVERY,
	TT_SNAP_METRICS,        /* rows marked visible */
	TT_SNAP_METRICS_HIDDEN, /* the other rows (polled less often) */
	TT_SNAP_ALARMS,
	TT_SNAP_NPARTS,
};

/* One metric of a row over the range: the points in time order (at
 * most TT_CW_MAX_POINTS) and its summary (the sum over
 * the range for counts, the latest value for latencies and levels). */
struct tt_snap_series {
	bool present;      /* answered at least once */
	double summary;    /* no points: 0 for sums, NaN for the others */
	size_t n;
	double *values;    /* n points, owned by the row */
	time_t *timestamps; /* when each point's period starts, owned by the row */
	char *status;      /* as CloudWatch said ("Complete", "PartialData"), owned by the row; NULL before an answer */
};

enum tt_alarm_level {
	TT_ALARM_NONE = 0, /* no alarm watches the row */
	TT_ALARM_OK,
	TT_ALARM_INSUFFICIENT,
	TT_ALARM_ALARM,
};

struct tt_snap_row {
	enum tt_resource_kind kind;
	char *name;        /* API name, function or table name */
	char *stage;       /* API stage, or NULL */
	char *dim_value;   /* what its metrics are keyed on; NULL: no metrics */
	size_t index;      /* into the stack's apis/functions/tables */
	bool visible;
	struct tt_snap_series *series; /* one per catalog metric of the kind */
	size_t nseries;
	enum tt_alarm_level alarm;
	char *alarm_names; /* "a,b", or NULL */
	time_t alarm_since; /* when the worst alarm entered its state, 0 unknown */
};

struct tt_snap_alarm {
	char *name;
	char *state;
	char *reason;
	time_t since;
};

/* How a part went. */
struct tt_snap_state {
	bool busy;         /* a refresh is in flight */
	bool ever_ok;
	int64_t last_ok_ms;   /* wall clock of the last success, 0 never */
	int64_t last_try_ms;
	bool failed;       /* the last attempt failed; err says why */
	bool throttled;    /* ... because AWS said slow down */
	struct tt_err err;
};

struct tt_snapshot_io {
	int (*discover)(void *io, const struct tt_select *sel, size_t n, tt_stack_fn done, void *ctx,
			struct tt_err *err);
	int (*metrics)(void *io, const struct tt_cw_query *q, size_t n, time_t start, time_t end, tt_cw_data_fn done,
		       void *ctx, struct tt_err *err);
	int (*alarms)(void *io, tt_cw_alarms_fn done, void *ctx, struct tt_err *err);
	void *io;
};
void tt_snapshot_io_aws(struct tt_snapshot_io *io, struct tt_aws *aws);

struct tt_snapshot_sink {
	/* A part finished (state says how); rows may have been replaced. */
	void (*changed)(void *ctx, enum tt_snap_part part);
};

struct tt_snapshot_stats {
	unsigned long metric_calls;      /* GetMetricData requests that answered */
	unsigned long metrics_requested; /* metrics in them (what is billed) */
	unsigned long alarm_calls;
	unsigned long discoveries;
};

struct tt_snapshot;

/* The period for a range when none was asked for: the finest of 1 min,
 * 5 min, 15 min, 1 h, 6 h and 1 day that gives at most TT_CW_MAX_POINTS
 * points; 0 when even a day is too fine. */
long tt_snapshot_period_for_range(long range_s);

/* range_s / period_s points per metric, at most TT_CW_MAX_POINTS. */
struct tt_snapshot *tt_snapshot_new(const struct tt_select *sel, size_t nsel, long range_s, long period_s,
				    const struct tt_snapshot_io *io, const struct tt_snapshot_sink *sink, void *ctx);
void tt_snapshot_free(struct tt_snapshot **s);

/* Starts a refresh of one part at wall time now_ms. 0 started, 1 nothing
 * to do (no rows yet, no visible rows, already busy), -1 it could not start
 * (the state records why; the sink is not called). The metrics parts wait
 * for a discovery. */
int tt_snapshot_start(struct tt_snapshot *s, enum tt_snap_part part, int64_t now_ms);
/* A new range: the series are dropped and refetched by the next start. */
int tt_snapshot_set_range(struct tt_snapshot *s, long range_s, long period_s);
void tt_snapshot_set_visible(struct tt_snapshot *s, size_t row, bool visible);

const struct tt_snap_state *tt_snapshot_state(const struct tt_snapshot *s, enum tt_snap_part part);
const struct tt_stack *tt_snapshot_stack(const struct tt_snapshot *s); /* NULL before discovery */
size_t tt_snapshot_nrows(const struct tt_snapshot *s);
const struct tt_snap_row *tt_snapshot_row(const struct tt_snapshot *s, size_t i);
/* The row of that resource (stage NULL for functions and tables), or -1. */
long tt_snapshot_find(const struct tt_snapshot *s, enum tt_resource_kind kind, const char *name, const char *stage);
/* The row's series for a catalog key ("errors"), or NULL. */
const struct tt_snap_series *tt_snapshot_series(const struct tt_snap_row *r, const char *key);
/* Alarms in ALARM state, worst first (borrowed). */
const struct tt_snap_alarm *tt_snapshot_alarms(const struct tt_snapshot *s, size_t *n);
const struct tt_snapshot_stats *tt_snapshot_stats(const struct tt_snapshot *s);
long tt_snapshot_range(const struct tt_snapshot *s);
long tt_snapshot_period(const struct tt_snapshot *s);
/* True while any part is in flight. */
bool tt_snapshot_busy(const struct tt_snapshot *s);

#endif
