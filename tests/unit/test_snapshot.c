/* The snapshot model with a fake AWS: discovery, metrics batched across
 * rows, alarms, partial failures that keep the last good data, rediscovery
 * that keeps known series, and answers arriving after the snapshot is
 * freed. Time is whatever the test says it is. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tiertop/err.h"
#include "tiertop/snapshot.h"
#include "tiertop/xalloc.h"

/* --- the fake ----------------------------------------------------------------- */

struct fake {
	tt_stack_fn stack_done;
	void *stack_ctx;
	tt_cw_data_fn data_done;
	void *data_ctx;
	struct tt_cw_query q[2000];
	char ids[2000][32];
	size_t nq;
	time_t start, end;
	tt_cw_alarms_fn alarms_done;
	void *alarms_ctx;
	int discover_calls, metric_calls, alarm_calls;
	bool refuse; /* the next call fails before it is sent */
	int changed[TT_SNAP_NPARTS];
};

static struct fake F;

static int fake_discover(void *io, const struct tt_select *sel, size_t n, tt_stack_fn done, void *ctx,
			 struct tt_err *err)
{
	(void)io;
	(void)sel;
	(void)n;
	F.discover_calls++;
	if (F.refuse)
		return tt_err_set(err, TT_ERR_NETWORK, "refused");
	F.stack_done = done;
	F.stack_ctx = ctx;
	return 0;
}

static int fake_metrics(void *io, const struct tt_cw_query *q, size_t n, time_t start, time_t end,
			tt_cw_data_fn done, void *ctx, struct tt_err *err)
{
	(void)io;
	F.metric_calls++;
	if (F.refuse)
		return tt_err_set(err, TT_ERR_NETWORK, "refused");
	/* The model's query array is freed when the call returns: copy it, as
	 * the real client does. */
	for (size_t i = 0; i < n && i < 2000; i++) {
		F.q[i] = q[i];
		snprintf(F.ids[i], sizeof(F.ids[i]), "%s", q[i].id);
		F.q[i].id = F.ids[i];
	}
	F.nq = n;
	F.start = start;
	F.end = end;
	F.data_done = done;
	F.data_ctx = ctx;
	return 0;
}

static int fake_alarms(void *io, tt_cw_alarms_fn done, void *ctx, struct tt_err *err)
{
	(void)io;
	(void)err;
	F.alarm_calls++;
	F.alarms_done = done;
	F.alarms_ctx = ctx;
	return 0;
}

static void on_changed(void *ctx, enum tt_snap_part part)
{
	(void)ctx;
	F.changed[part]++;
}

static const struct tt_snapshot_sink sink = {on_changed};

static struct tt_snapshot *new_snapshot(long range, long period)
{
	struct tt_snapshot_io io = {fake_discover, fake_metrics, fake_alarms, NULL};
	struct tt_select sel = {TT_SELECT_STACK, "feedback-stack"};

	memset(&F, 0, sizeof(F));
	return tt_snapshot_new(&sel, 1, range, period, &io, &sink, NULL);
}

/* A stack of one REST API with two stages, n functions and one table. */
static struct tt_stack *make_stack(size_t nfunctions)
{
	struct tt_stack *st = tt_xcalloc(1, sizeof(*st));

	st->selector = tt_xstrdup("stack feedback-stack");
	st->napis = 1;
	st->apis = tt_xcalloc(1, sizeof(*st->apis));
	st->apis[0].id = tt_xstrdup("a1b2c3");
	st->apis[0].name = tt_xstrdup("feedback-api");
	st->apis[0].nstages = 2;
	st->apis[0].stages = tt_xcalloc(2, sizeof(char *));
	st->apis[0].stages[0] = tt_xstrdup("prod");
	st->apis[0].stages[1] = tt_xstrdup("dev");
	st->nfunctions = nfunctions;
	st->functions = tt_xcalloc(nfunctions, sizeof(*st->functions));
	for (size_t i = 0; i < nfunctions; i++) {
		st->functions[i].name = tt_xasprintf("fn-%zu", i);
		st->functions[i].runtime = tt_xstrdup("python3.12");
	}
	st->ntables = 1;
	st->tables = tt_xcalloc(1, sizeof(*st->tables));
	st->tables[0].name = tt_xstrdup("Feedback");
	st->tables[0].billing = tt_xstrdup("PAY_PER_REQUEST");
	return st;
}

/* Answers every query of the last metrics call with points 1..npoints
 * (times the query's index + 1), except the ids in skip. */
static void answer_metrics(size_t npoints)
{
	struct tt_cw_series *series = tt_xcalloc(F.nq, sizeof(*series));
	double *values = tt_xcalloc(npoints + 1, sizeof(double));
	time_t *ts = tt_xcalloc(npoints + 1, sizeof(time_t));
	struct tt_cw_data data = {series, F.nq, 1, false};

	for (size_t i = 0; i < npoints; i++) {
		values[i] = (double)(i + 1);
		ts[i] = F.start + (time_t)i * 60;
	}
	for (size_t i = 0; i < F.nq; i++) {
		series[i].id = F.q[i].id;
		series[i].status = "Complete";
		series[i].n = npoints;
		series[i].values = values;
		series[i].timestamps = ts;
	}
	F.data_done(F.data_ctx, &data, NULL);
	free(series);
	free(values);
	free(ts);
}

static size_t row_of(const struct tt_snapshot *s, const char *name, const char *stage)
{
	for (size_t i = 0; i < tt_snapshot_nrows(s); i++) {
		const struct tt_snap_row *r = tt_snapshot_row(s, i);
		if (strcmp(r->name, name) == 0 && (!stage || (r->stage && strcmp(r->stage, stage) == 0)))
			return i;
	}
	return (size_t)-1;
}

/* --- tests ---------------------------------------------------------------------- */

static void test_discovery_then_metrics(void)
{
	struct tt_snapshot *s = new_snapshot(3600, 60);
	const struct tt_snap_row *fn;
	const struct tt_snap_series *inv, *p99;

	tap_ok(tt_snapshot_start(s, TT_SNAP_METRICS, 1000) == 1, "metrics wait for a discovery");
	tap_ok(F.metric_calls == 0, "... and send nothing");
	tap_ok(tt_snapshot_start(s, TT_SNAP_DISCOVERY, 1000) == 0, "discovery starts");
	tap_ok(tt_snapshot_start(s, TT_SNAP_DISCOVERY, 1000) == 1, "only one discovery in flight");
	F.stack_done(F.stack_ctx, make_stack(3), NULL);
	tap_ok(F.changed[TT_SNAP_DISCOVERY] == 1, "the sink hears of the discovery");
	tap_ok(tt_snapshot_nrows(s) == 6, "rows: 2 API stages, 3 functions, 1 table (got %zu)", tt_snapshot_nrows(s));
	tap_ok(tt_snapshot_state(s, TT_SNAP_DISCOVERY)->last_ok_ms == 1000, "discovery's success is timed");

	tap_ok(tt_snapshot_start(s, TT_SNAP_METRICS, 1000 * 1000 + 59999) == 0, "metrics start");
	tap_ok(F.metric_calls == 1, "every visible row in one call");
	tap_ok(F.nq == 2 * 5 + 3 * 6 + 9, "one query per catalog metric of each row (got %zu)", F.nq);
	tap_ok(F.end == 1020 && F.start == 1020 - 3600, "the range ends on a whole period (%ld..%ld)",
	       (long)F.start, (long)F.end);
	answer_metrics(10);
	fn = tt_snapshot_row(s, row_of(s, "fn-1", NULL));
	inv = tt_snapshot_series(fn, "invocations");
	p99 = tt_snapshot_series(fn, "p99");
	tap_ok(inv && inv->present && inv->n == 10, "a function's invocations arrive");
	tap_ok(inv && inv->summary == 55, "counts add up over the range (got %g)", inv ? inv->summary : -1);
	tap_ok(p99 && p99->summary == 10, "latencies are the latest value (got %g)", p99 ? p99->summary : -1);
	tap_ok(inv && inv->timestamps && inv->timestamps[0] == F.start && inv->timestamps[9] == F.start + 9 * 60,
	       "each point keeps its timestamp");
	tap_ok(inv && inv->status && strcmp(inv->status, "Complete") == 0, "the series keeps CloudWatch's status");
	tap_ok(tt_snapshot_stats(s)->metrics_requested == F.nq, "metrics requested are counted");
	tap_ok(tt_snapshot_stats(s)->metric_calls == 1, "calls are counted");
	tap_ok(!tt_snapshot_busy(s), "nothing in flight");
	tt_snapshot_free(&s);
}

/* A WebSocket API beside the REST one: its rows ask for its own metrics,
 * keyed on its id. */
static void test_websocket_api(void)
{
	struct tt_snapshot *s = new_snapshot(3600, 60);
	struct tt_stack *st = make_stack(1);
	const struct tt_snap_row *ws;
	size_t messages = 0, rest_style = 0;

	st->apis = tt_xrealloc(st->apis, 2 * sizeof(*st->apis));
	memset(&st->apis[1], 0, sizeof(st->apis[1]));
	st->napis = 2;
	st->apis[1].http = st->apis[1].websocket = true;
	st->apis[1].id = tt_xstrdup("w9x8");
	st->apis[1].name = tt_xstrdup("chat");
	st->apis[1].nstages = 1;
	st->apis[1].stages = tt_xcalloc(1, sizeof(char *));
	st->apis[1].stages[0] = tt_xstrdup("live");
	tt_snapshot_start(s, TT_SNAP_DISCOVERY, 1000);
	F.stack_done(F.stack_ctx, st, NULL);
	ws = tt_snapshot_row(s, row_of(s, "chat", "live"));
	tap_ok(ws && ws->kind == TT_RES_WS_API, "the WebSocket API's stage is a row of its own kind");
	tt_snapshot_start(s, TT_SNAP_METRICS, 1000 * 1000);
	for (size_t i = 0; i < F.nq; i++) {
		bool on_ws = F.q[i].ndims == 2 && strcmp(F.q[i].dims[0].value, "w9x8") == 0;
		messages += on_ws && strcmp(F.q[i].metric, "MessageCount") == 0 &&
		            strcmp(F.q[i].dims[0].name, "ApiId") == 0 && strcmp(F.q[i].dims[1].value, "live") == 0;
		rest_style += on_ws && (strcmp(F.q[i].metric, "Count") == 0 || strcmp(F.q[i].metric, "4xx") == 0);
	}
	tap_ok(messages == 1 && rest_style == 0, "it asks for MessageCount by ApiId and stage, not Count or 4xx");
	answer_metrics(4);
	ws = tt_snapshot_row(s, row_of(s, "chat", "live"));
	tap_ok(ws && tt_snapshot_series(ws, "requests") && tt_snapshot_series(ws, "connects") &&
	           tt_snapshot_series(ws, "requests")->present,
	       "its messages fill the column the tier screen shows for requests");
	tt_snapshot_free(&s);
}

static void test_metrics_failure_keeps_data(void)
{
	struct tt_snapshot *s = new_snapshot(3600, 60);
	struct tt_err err;
	const struct tt_snap_state *st;
	const struct tt_snap_series *inv;

	tt_snapshot_start(s, TT_SNAP_DISCOVERY, 0);
	F.stack_done(F.stack_ctx, make_stack(1), NULL);
	tt_snapshot_start(s, TT_SNAP_METRICS, 60000);
	answer_metrics(3);
	tt_snapshot_start(s, TT_SNAP_METRICS, 120000);
	tt_err_set(&err, TT_ERR_AWS, "Rate exceeded");
	snprintf(err.code, sizeof(err.code), "ThrottlingException");
	err.http_status = 400;
	F.data_done(F.data_ctx, NULL, &err);
	st = tt_snapshot_state(s, TT_SNAP_METRICS);
	tap_ok(st->failed && st->throttled, "a throttled refresh is recorded as such");
	tap_ok(st->last_ok_ms == 60000 && st->last_try_ms == 120000, "the age of the data is kept");
	tap_ok(strstr(st->err.message, "Rate exceeded") != NULL, "with the reason");
	inv = tt_snapshot_series(tt_snapshot_row(s, row_of(s, "fn-0", NULL)), "invocations");
	tap_ok(inv && inv->n == 3 && inv->summary == 6, "the last good data stays");

	F.refuse = true;
	tap_ok(tt_snapshot_start(s, TT_SNAP_METRICS, 180000) == -1, "a refresh that cannot start says so");
	tap_ok(st->failed && !st->busy && !st->throttled, "... and is recorded as a failure");
	F.refuse = false;
	tap_ok(tt_snapshot_start(s, TT_SNAP_METRICS, 240000) == 0, "the next refresh goes out");
	answer_metrics(4);
	tap_ok(!st->failed && st->last_ok_ms == 240000, "recovery clears the error");
	tt_snapshot_free(&s);
}

static void test_visibility_splits_calls(void)
{
	struct tt_snapshot *s = new_snapshot(3600, 300);
	size_t fn0;

	tt_snapshot_start(s, TT_SNAP_DISCOVERY, 0);
	F.stack_done(F.stack_ctx, make_stack(4), NULL);
	for (size_t i = 0; i < tt_snapshot_nrows(s); i++)
		tt_snapshot_set_visible(s, i, false);
	fn0 = row_of(s, "fn-0", NULL);
	tt_snapshot_set_visible(s, fn0, true);
	tt_snapshot_start(s, TT_SNAP_METRICS, 600000);
	tap_ok(F.nq == 6, "the visible call asks only for the visible row (got %zu)", F.nq);
	tap_ok(strcmp(F.q[0].dims[0].value, "fn-0") == 0, "... by its name");
	tap_ok(F.q[0].period == 300, "... at the snapshot's period");
	answer_metrics(2);
	tt_snapshot_start(s, TT_SNAP_METRICS_HIDDEN, 600000);
	tap_ok(F.nq == 2 * 5 + 3 * 6 + 9, "the hidden call asks for the others (got %zu)", F.nq);
	answer_metrics(2);
	tap_ok(tt_snapshot_series(tt_snapshot_row(s, row_of(s, "fn-3", NULL)), "errors")->present,
	       "hidden rows get their data too");
	tt_snapshot_free(&s);
}

static void test_many_rows_one_request(void)
{
	struct tt_snapshot *s = new_snapshot(3600, 60);

	tt_snapshot_start(s, TT_SNAP_DISCOVERY, 0);
	F.stack_done(F.stack_ctx, make_stack(300), NULL);
	tt_snapshot_start(s, TT_SNAP_METRICS, 60000);
	/* The client splits into ceil(n/500) calls; the model hands it all. */
	tap_ok(F.metric_calls == 1 && F.nq == 10 + 300 * 6 + 9, "300 functions: one hand-off of %zu queries", F.nq);
	answer_metrics(1);
	tap_ok(tt_snapshot_series(tt_snapshot_row(s, row_of(s, "fn-299", NULL)), "concurrency")->present,
	       "the last row's last metric is filled in");
	tt_snapshot_free(&s);
}

static void test_alarms(void)
{
	struct tt_snapshot *s = new_snapshot(3600, 60);
	struct tt_cw_alarm a[3] = {0};
	struct tt_cw_alarms list = {a, 3};
	const struct tt_snap_alarm *firing;
	const struct tt_snap_row *fn;
	size_t n;

	tt_snapshot_start(s, TT_SNAP_DISCOVERY, 0);
	F.stack_done(F.stack_ctx, make_stack(2), NULL);
	a[0] = (struct tt_cw_alarm){.name = "fn-1 errors", .state = "ALARM", .reason = "Threshold crossed",
				    .dims = {{"FunctionName", "fn-1"}}, .ndims = 1, .updated = 500};
	a[1] = (struct tt_cw_alarm){.name = "fn-1 duration", .state = "OK", .dims = {{"FunctionName", "fn-1"}},
				    .ndims = 1, .updated = 100};
	a[2] = (struct tt_cw_alarm){.name = "table writes", .state = "ALARM", .reason = "x",
				    .dims = {{"TableName", "Feedback"}}, .ndims = 1, .updated = 200};
	tap_ok(tt_snapshot_start(s, TT_SNAP_ALARMS, 0) == 0, "alarms start");
	F.alarms_done(F.alarms_ctx, &list, NULL);
	fn = tt_snapshot_row(s, row_of(s, "fn-1", NULL));
	tap_ok(fn->alarm == TT_ALARM_ALARM && fn->alarm_since == 500, "the worst state wins, with its time");
	tap_ok(fn->alarm_names && strcmp(fn->alarm_names, "fn-1 errors,fn-1 duration") == 0, "every alarm is named");
	tap_ok(tt_snapshot_row(s, row_of(s, "fn-0", NULL))->alarm == TT_ALARM_NONE, "unwatched rows have none");
	firing = tt_snapshot_alarms(s, &n);
	tap_ok(n == 2 && strcmp(firing[0].name, "table writes") == 0, "firing alarms, the oldest first");

	/* A second answer replaces the first: nothing piles up. */
	a[0].state = "OK";
	tt_snapshot_start(s, TT_SNAP_ALARMS, 0);
	F.alarms_done(F.alarms_ctx, &list, NULL);
	fn = tt_snapshot_row(s, row_of(s, "fn-1", NULL));
	tap_ok(fn->alarm == TT_ALARM_OK, "a cleared alarm clears the row");
	tt_snapshot_alarms(s, &n);
	tap_ok(n == 1, "one alarm still firing");
	tt_snapshot_free(&s);
}

static void test_rediscovery_keeps_series(void)
{
	struct tt_snapshot *s = new_snapshot(3600, 60);
	const struct tt_snap_series *inv;

	tt_snapshot_start(s, TT_SNAP_DISCOVERY, 0);
	F.stack_done(F.stack_ctx, make_stack(2), NULL);
	tt_snapshot_start(s, TT_SNAP_METRICS, 60000);
	answer_metrics(5);
	tt_snapshot_start(s, TT_SNAP_DISCOVERY, 120000);
	F.stack_done(F.stack_ctx, make_stack(3), NULL);
	tap_ok(tt_snapshot_nrows(s) == 6, "the new function appears (got %zu rows)", tt_snapshot_nrows(s));
	inv = tt_snapshot_series(tt_snapshot_row(s, row_of(s, "fn-1", NULL)), "invocations");
	tap_ok(inv && inv->n == 5, "a known function keeps its series");
	inv = tt_snapshot_series(tt_snapshot_row(s, row_of(s, "fn-2", NULL)), "invocations");
	tap_ok(inv && !inv->present, "the new one has none yet");
	tt_snapshot_free(&s);
}

static void test_answer_after_free(void)
{
	struct tt_snapshot *s = new_snapshot(3600, 60);
	struct tt_stack *late;

	tt_snapshot_start(s, TT_SNAP_DISCOVERY, 0);
	F.stack_done(F.stack_ctx, make_stack(1), NULL);
	tt_snapshot_start(s, TT_SNAP_METRICS, 60000);
	tt_snapshot_start(s, TT_SNAP_ALARMS, 60000);
	tt_snapshot_start(s, TT_SNAP_DISCOVERY, 60000);
	tap_ok(tt_snapshot_busy(s), "three calls in flight");
	tt_snapshot_free(&s);
	tap_ok(s == NULL, "free NULLs the pointer");
	/* Under ASan, touching the freed snapshot here would be caught. */
	answer_metrics(3);
	F.alarms_done(F.alarms_ctx, &(struct tt_cw_alarms){NULL, 0}, NULL);
	late = make_stack(1);
	F.stack_done(F.stack_ctx, late, NULL);
	tap_ok(F.changed[TT_SNAP_METRICS] == 0, "late answers reach no sink");
}

static void test_range(void)
{
	struct tt_snapshot *s = new_snapshot(3600, 60);

	tap_ok(tt_snapshot_set_range(s, 7 * 86400, 60) == -1, "a week at one minute is too many points");
	tap_ok(tt_snapshot_set_range(s, 7 * 86400, 3600) == 0, "a week at one hour is fine");
	tap_ok(tt_snapshot_range(s) == 7 * 86400 && tt_snapshot_period(s) == 3600, "and is kept");
	tt_snapshot_free(&s);
}

static void test_period_for_range(void)
{
	static const struct {
		long range_s, period_s;
	} cases[] = {
	    {3600, 60},          {86400, 60},     {86400 + 60, 300},       {2 * 86400, 300},  {7 * 86400, 900},
	    {30 * 86400, 3600},  {60 * 86400, 3600}, {90 * 86400, 21600}, {400 * 86400, 86400}, {1440L * 86400, 86400},
	    {1441L * 86400, 0},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		tap_ok(tt_snapshot_period_for_range(cases[i].range_s) == cases[i].period_s, "range %lds: period %lds (%ld)",
		       cases[i].range_s, cases[i].period_s, tt_snapshot_period_for_range(cases[i].range_s));
}

int main(void)
{
	test_period_for_range();
	test_discovery_then_metrics();
	test_websocket_api();
	test_metrics_failure_keeps_data();
	test_visibility_splits_calls();
	test_many_rows_one_request();
	test_alarms();
	test_rediscovery_keeps_series();
	test_answer_after_free();
	test_range();
	return tap_done();
}
