/* How long the console's loop is busy with one large FilterLogEvents page
 * (issue 7: "a large page is parsed without freezing the keyboard"): a page
 * of 10,000 Lambda-like events (1 MB of messages), parsed at once
 * (tt_logs_parse_events), handed to a tail (its dedupe set and reorder
 * heap) through a fake io table and emitted into a logbuf as the logs view
 * does; then the same page the way the console reads it now, unparsed to
 * the tail, which parses a slice per tick: the longest tick is the longest
 * a key waits. Built and run by bench/parse_page.sh; prints the median and
 * maximum of each step. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, strdup */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tiertop/buf.h"
#include "tiertop/logbuf.h"
#include "tiertop/svc_logs.h"
#include "tiertop/tail.h"

#define EVENTS 10000
#define RUNS 21

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Events as AWS sends them (eventId, stream, times), in the second before
 * the request, each a runtime line of about 100 bytes with a request id (so
 * the logbuf finds one, as it would): 1 MB of messages, AWS's cap for one
 * page, about 3.5 MB of JSON. */
static char *make_page(size_t *len, int64_t t0)
{
	struct tt_buf b;

	tt_buf_init(&b, 0);
	tt_buf_puts(&b, "{\"events\":[");
	for (int i = 0; i < EVENTS; i++) {
		tt_buf_printf(&b,
			      "%s{\"logStreamName\":\"2026/12/06/[$LATEST]%032x\",\"timestamp\":%" PRId64
			      ",\"message\":\"2026-12-06T05:00:00.000Z\\t%08x-1111-4222-8333-%012d\\tINFO\\tstored "
			      "feedback item %d with rating %d and a message of some length\\n\","
			      "\"ingestionTime\":%" PRId64 ",\"eventId\":\"%056d\"}",
			      i ? "," : "", i / 500, t0 - 2000 + i / 10, (unsigned)i, i, i, i % 5 + 1, t0 - 1800 + i / 10,
			      i);
	}
	tt_buf_puts(&b, "],\"searchedLogStreams\":[]}");
	*len = b.len;
	return b.data;
}

static struct {
	const char *json;
	size_t len;
	double parse_ms;
	tt_logs_events_fn done;
	void *ctx;
} P;

static struct tt_logbuf *LB;

static int fake_filter(void *io, const struct tt_logs_filter *in, tt_logs_events_fn done, void *ctx, long *id,
		       struct tt_err *err)
{
	(void)io;
	(void)in;
	(void)err;
	P.done = done;
	P.ctx = ctx;
	*id = 1;
	return 0;
}

static tt_logs_raw_fn RAW_DONE;

static int fake_raw(void *io, const struct tt_logs_filter *in, tt_logs_raw_fn done, void *ctx, long *id,
		    struct tt_err *err)
{
	(void)io;
	(void)in;
	(void)err;
	RAW_DONE = done;
	P.ctx = ctx;
	*id = 1;
	return 0;
}

static void fake_cancel(void *io, long id)
{
	(void)io;
	(void)id;
}

static void on_event(void *ctx, const struct tt_tail_event *ev)
{
	(void)ctx;
	tt_logbuf_add(LB, (uint32_t)ev->group, ev->stream, ev->timestamp_ms, ev->ingestion_ms, ev->message,
		      ev->message_len);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *what, double *v)
{
	qsort(v, RUNS, sizeof(*v), cmp);
	printf("%-44s median %7.2f ms  max %7.2f ms  (n=%d)\n", what, v[RUNS / 2], v[RUNS - 1], RUNS);
}

int main(void)
{
	int64_t t0 = 1796533200000; /* 2026-12-06T05:00:00Z */
	double parse[RUNS], handoff[RUNS], emit[RUNS], total[RUNS], sliced_total[RUNS], sliced_worst[RUNS];
	double tail_total[RUNS], tail_worst[RUNS];
	size_t len;
	char *json = make_page(&len, t0);
	static const struct tt_tail_sink sink = {on_event, NULL};
	struct tt_tail_io io = {fake_filter, NULL, NULL, fake_cancel, NULL, NULL};
	const char *groups[1] = {"/aws/lambda/worker-500"};

	printf("page: %zu bytes of JSON, %d events\n", len, EVENTS);
	for (int r = 0; r < RUNS; r++) {
		struct tt_tail_opts o = {groups, 1, t0 - 60000, 0, NULL, true, false, 1000, 0, 0, 0};
		struct tt_tail *t;
		struct tt_logs_event_page page;
		struct tt_err err;
		double a, b, c, d;

		LB = tt_logbuf_new(0, 0);
		t = tt_tail_new(&o, &io, &sink, NULL);
		tt_tail_tick(t, t0); /* sends the first FilterLogEvents to the fake */
		a = now_ms();
		if (tt_logs_parse_events(json, len, &page, &err) != 0 || page.n != EVENTS) {
			fprintf(stderr, "parse failed: %s\n", err.message);
			return 1;
		}
		b = now_ms();
		tt_tail_clock(t, t0 + 5000);
		P.done(P.ctx, &page, NULL); /* what svc_logs does with the parsed page */
		tt_logs_event_page_clear(&page);
		c = now_ms();
		/* The reorder window lets them all go (a few thousand a tick). */
		for (int ticks = 0; tt_logbuf_count(LB) < EVENTS && ticks < 100; ticks++)
			tt_tail_tick(t, t0 + 5000);
		d = now_ms();
		if (tt_logbuf_count(LB) != EVENTS) {
			fprintf(stderr, "emitted %zu of %d\n", tt_logbuf_count(LB), EVENTS);
			return 1;
		}
		parse[r] = b - a;
		handoff[r] = c - b;
		emit[r] = d - c;
		total[r] = c - a; /* in one callback, on the loop */
		tt_tail_free(&t);
		tt_logbuf_free(&LB);
	}
	for (int r = 0; r < RUNS; r++) {
		struct tt_logs_events_parser *p = tt_logs_events_parser_new(strdup(json), len);
		struct tt_logs_event_page page;
		struct tt_err err;
		double a = now_ms(), b, worst = 0;
		int rc;

		do {
			b = now_ms();
			rc = tt_logs_events_parser_step(p, 500, &err);
			b = now_ms() - b;
			worst = b > worst ? b : worst;
		} while (rc == 1);
		tt_logs_events_parser_take(p, &page);
		sliced_total[r] = now_ms() - a;
		sliced_worst[r] = worst;
		if (rc != 0 || page.n != EVENTS) {
			fprintf(stderr, "sliced parse failed\n");
			return 1;
		}
		tt_logs_event_page_clear(&page);
		tt_logs_events_parser_free(&p);
	}
	/* What the console does now: the answer handed over unparsed, a slice per tick. */
	for (int r = 0; r < RUNS; r++) {
		struct tt_tail_opts o = {groups, 1, t0 - 60000, 0, NULL, true, false, 1000, 0, 0, 0};
		struct tt_tail_io rio = {NULL, NULL, NULL, fake_cancel, NULL, fake_raw};
		struct tt_tail *t;
		double a, b, worst = 0;
		int ticks = 0;

		LB = tt_logbuf_new(0, 0);
		t = tt_tail_new(&o, &rio, &sink, NULL);
		tt_tail_tick(t, t0);
		a = now_ms();
		tt_tail_clock(t, t0 + 5000);
		RAW_DONE(P.ctx, strdup(json), len, NULL); /* what the engine's dispatch does */
		worst = now_ms() - a;
		while (tt_logbuf_count(LB) < EVENTS && ticks < 1000) {
			b = now_ms();
			tt_tail_tick(t, t0 + 5000);
			b = now_ms() - b;
			worst = b > worst ? b : worst;
			ticks++;
		}
		tail_total[r] = now_ms() - a;
		tail_worst[r] = worst;
		tt_tail_free(&t);
		tt_logbuf_free(&LB);
	}
	report("parse (jansson, into events)", parse);
	report("... in slices of 500 events: all of it", sliced_total);
	report("... in slices of 500 events: longest slice", sliced_worst);
	report("tail: dedupe set and reorder heap", handoff);
	report("tail ticks: emit into the logbuf", emit);
	report("one page parsed at once: parse and hand-off", total);
	report("one page in slices through the tail: all of it", tail_total);
	report("... the longest the loop is held (one tick)", tail_worst);
	free(json);
	return 0;
}
