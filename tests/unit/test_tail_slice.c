/* The tail with an io table that hands answers over unparsed (filter_raw):
 * a large page is parsed a slice per tick, the deadline is 0 meanwhile (so
 * the caller reads its keys in between), and what comes out is what the
 * parsed-at-once path emits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tiertop/buf.h"
#include "tiertop/err.h"
#include "tiertop/tail.h"
#include "tiertop/xalloc.h"

static struct {
	tt_logs_raw_fn raw_done;
	tt_logs_events_fn done;
	void *ctx;
	int calls, cancels;
	struct tt_buf out;
} F;

static int fake_raw(void *io, const struct tt_logs_filter *in, tt_logs_raw_fn done, void *ctx, long *id,
		    struct tt_err *err)
{
	(void)io;
	(void)in;
	(void)err;
	F.raw_done = done;
	F.ctx = ctx;
	*id = ++F.calls;
	return 0;
}

static int fake_filter(void *io, const struct tt_logs_filter *in, tt_logs_events_fn done, void *ctx, long *id,
		       struct tt_err *err)
{
	(void)io;
	(void)in;
	(void)err;
	F.done = done;
	F.ctx = ctx;
	*id = ++F.calls;
	return 0;
}

static void fake_cancel(void *io, long id)
{
	(void)io;
	(void)id;
	F.cancels++;
}

static void on_event(void *ctx, const struct tt_tail_event *ev)
{
	(void)ctx;
	tt_buf_printf(&F.out, "%lld %s %.*s|", (long long)ev->timestamp_ms, ev->stream, (int)ev->message_len,
		      ev->message);
}

static const struct tt_tail_sink sink = {on_event, NULL};

static struct tt_tail *start(bool raw)
{
	static const char *const groups[1] = {"/aws/lambda/x"};
	struct tt_tail_opts o = {groups, 1, 1000, 0, NULL, false, false, 1000, 0, 0, 0};
	struct tt_tail_io io = {NULL, NULL, NULL, fake_cancel, NULL, NULL};
	struct tt_tail *t;

	if (raw)
		io.filter_raw = fake_raw;
	else
		io.filter = fake_filter;
	tt_buf_clear(&F.out);
	memset(&F, 0, sizeof(F));
	tt_buf_init(&F.out, 0);
	tt_buf_puts(&F.out, "");
	t = tt_tail_new(&o, &io, &sink, NULL);
	tt_tail_tick(t, 100000);
	return t;
}

static char *page(int n)
{
	struct tt_buf b;

	tt_buf_init(&b, 0);
	tt_buf_puts(&b, "{\"events\":[");
	for (int i = 0; i < n; i++)
		tt_buf_printf(&b, "%s{\"logStreamName\":\"s%d\",\"timestamp\":%d,\"message\":\"line %d\","
				  "\"ingestionTime\":%d,\"eventId\":\"%d\"}",
			      i ? "," : "", i % 3, 2000 + i / 2, i, 2100 + i, i);
	tt_buf_puts(&b, "]}");
	return b.data;
}

static void test_same_events(void)
{
	char *json = page(3500), *at_once;
	struct tt_logs_event_page p;
	struct tt_err err;
	struct tt_tail *t = start(false);
	int ticks = 0, zero_deadlines = 0;

	tap_ok(F.calls == 1 && F.done, "parsed at once: one FilterLogEvents");
	tt_logs_parse_events(json, strlen(json), &p, &err);
	F.done(F.ctx, &p, NULL);
	tt_logs_event_page_clear(&p);
	while (tt_tail_status(t, NULL) == 1 && ticks < 100) {
		zero_deadlines += tt_tail_next_deadline(t, 100001) == 0;
		tt_tail_tick(t, 100001);
		ticks++;
	}
	tap_ok(ticks == 2 && zero_deadlines == 1,
	       "parsed at once: 3,500 events emitted 2,000 a tick, the second tick asked for at once (%d ticks)",
	       ticks);
	at_once = tt_xstrdup(F.out.data);
	tt_tail_free(&t);

	t = start(true);
	ticks = zero_deadlines = 0;
	tap_ok(F.calls == 1 && F.raw_done, "in slices: one FilterLogEvents, answered unparsed");
	F.raw_done(F.ctx, tt_xstrdup(json), strlen(json), NULL);
	tap_ok(strcmp(F.out.data, "") == 0, "nothing is parsed while the engine dispatches");
	while (tt_tail_status(t, NULL) == 1 && ticks < 100) {
		zero_deadlines += tt_tail_next_deadline(t, 100001) == 0;
		tt_tail_tick(t, 100001);
		ticks++;
	}
	tap_ok(ticks == 8 && zero_deadlines == 8,
	       "3,500 events in slices of 500, emitted 2,000 a tick: 8 ticks, each asked for at once (%d ticks, %d "
	       "deadlines of 0)",
	       ticks, zero_deadlines);
	tap_ok(strcmp(F.out.data, at_once) == 0, "the same events, in the same order, as parsed at once");
	tap_ok(tt_tail_next_deadline(t, 100001) != 0, "once read, no more hurry");
	tt_tail_free(&t);
	free(at_once);
	free(json);
}

static void test_malformed(void)
{
	struct tt_tail *t = start(true);
	struct tt_err err;

	F.raw_done(F.ctx, tt_xstrdup("{\"events\":[{}"), 13, NULL);
	tt_tail_tick(t, 100001);
	tap_ok(tt_tail_status(t, &err) == -1 && strstr(err.message, "logs FilterLogEvents") &&
		   strstr(err.message, "malformed JSON"),
	       "a malformed answer fails the tail, naming the call (%s)", err.message);
	tt_tail_free(&t);
}

static void test_free_while_parsing(void)
{
	char *json = page(2500);
	struct tt_tail *t = start(true);

	F.raw_done(F.ctx, json, strlen(json), NULL);
	tt_tail_tick(t, 100001);
	tt_tail_free(&t);
	tap_ok(t == NULL && F.cancels == 0, "freed mid-parse: nothing to cancel (the request is over), nothing leaks");
}

int main(void)
{
	test_same_events();
	test_malformed();
	test_free_while_parsing();
	tt_buf_clear(&F.out);
	return tap_done();
}
