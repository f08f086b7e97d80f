/* The tail model with a fake CloudWatch Logs: synthetic pages, throttling,
 * several groups, Live Tail sessions that start, end and overlap with the
 * backfill. Time is whatever the test says it is. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tiertop/buf.h"
#include "tiertop/err.h"
#include "tiertop/tail.h"
#include "tiertop/xalloc.h"

/* --- the fake --------------------------------------------------------------- */

struct call {
	bool filter; /* else DescribeLogGroups */
	char group[128];
	int64_t start, end;
	char token[64];
	char pattern[64];
	tt_logs_events_fn events_done;
	tt_logs_groups_fn groups_done;
	void *ctx;
	bool answered;
};

struct fake {
	struct call calls[256];
	int ncalls;
	long next_id;
	int cancels;
	/* Live Tail */
	int sessions;
	struct tt_logs_live_handlers h;
	void *live_ctx;
	char live_groups[256];
	/* what the sink got */
	struct tt_buf out; /* "group ts id message\n" */
	int nevents;
	struct tt_buf notes;
};

static struct fake F;

static int fake_filter(void *io, const struct tt_logs_filter *in, tt_logs_events_fn done, void *ctx, long *id,
                       struct tt_err *err)
{
	struct call *c = &F.calls[F.ncalls++];

	memset(c, 0, sizeof(*c));
	c->filter = true;
	snprintf(c->group, sizeof(c->group), "%s", in->group);
	c->start = in->start_ms;
	c->end = in->end_ms;
	snprintf(c->token, sizeof(c->token), "%s", in->next_token ? in->next_token : "");
	snprintf(c->pattern, sizeof(c->pattern), "%s", in->pattern ? in->pattern : "");
	c->events_done = done;
	c->ctx = ctx;
	*id = ++F.next_id;
	return 0;
}

static int fake_describe(void *io, const char *prefix, const char *token, tt_logs_groups_fn done, void *ctx,
                         long *id, struct tt_err *err)
{
	struct call *c = &F.calls[F.ncalls++];

	memset(c, 0, sizeof(*c));
	snprintf(c->group, sizeof(c->group), "%s", prefix);
	snprintf(c->token, sizeof(c->token), "%s", token ? token : "");
	c->groups_done = done;
	c->ctx = ctx;
	*id = ++F.next_id;
	return 0;
}

static struct tt_logs_live *fake_live(void *io, const struct tt_logs_live_in *in,
                                      const struct tt_logs_live_handlers *h, void *ctx, struct tt_err *err)
{
	F.sessions++;
	F.h = *h;
	F.live_ctx = ctx;
	F.live_groups[0] = '\0';
	for (size_t i = 0; i < in->ngroups; i++)
		snprintf(F.live_groups + strlen(F.live_groups), sizeof(F.live_groups) - strlen(F.live_groups),
		         "%s;", in->group_arns[i]);
	return tt_logs_live_new_detached(h, ctx);
}

static void fake_cancel(void *io, long id)
{
	F.cancels++;
}

static void on_event(void *ctx, const struct tt_tail_event *ev)
{
	F.nevents++;
	tt_buf_printf(&F.out, "%s %lld %s %.*s%s\n", ev->group_name, (long long)ev->timestamp_ms,
	              ev->event_id ? ev->event_id : "-", (int)ev->message_len, ev->message,
	              ev->sampled ? " (s)" : "");
	if (ev->late)
		tt_buf_puts(&F.out, "(late)\n");
}

static void on_note(void *ctx, enum tt_tail_note note, const char *text)
{
	tt_buf_printf(&F.notes, "%d:%s\n", (int)note, text);
}

static const struct tt_tail_sink sink = {on_event, on_note};

static struct tt_tail *start(struct tt_tail_opts *o)
{
	struct tt_tail_io io = {fake_filter, fake_describe, fake_live, fake_cancel, NULL, NULL};

	tt_buf_clear(&F.out);
	tt_buf_clear(&F.notes);
	memset(&F, 0, sizeof(F));
	tt_buf_init(&F.out, 0);
	tt_buf_init(&F.notes, 0);
	tt_buf_puts(&F.out, "");
	tt_buf_puts(&F.notes, "");
	return tt_tail_new(o, &io, &sink, NULL);
}

/* Event specs: "ts[+lag]:id:message" separated by '|'; id "-" means none;
 * lag sets ingestionTime that much after the timestamp. */
static void parse_events(const char *spec, struct tt_logs_event_page *p, const char *ident)
{
	char *copy = tt_xstrdup(spec), *save = NULL, *item;
	size_t cap = 1;

	for (const char *c = spec; *c; c++)
		cap += *c == '|';
	p->events = tt_xcalloc(cap, sizeof(*p->events));
	for (item = strtok_r(copy, "|", &save); item; item = strtok_r(NULL, "|", &save)) {
		struct tt_logs_event *e = &p->events[p->n++];
		char *id = strchr(item, ':'), *msg = id ? strchr(id + 1, ':') : NULL;
		*id++ = '\0';
		*msg++ = '\0';
		e->timestamp_ms = atoll(item);
		if (strchr(item, '+'))
			e->ingestion_ms = e->timestamp_ms + atoll(strchr(item, '+') + 1);
		e->event_id = strcmp(id, "-") ? tt_xstrdup(id) : NULL;
		e->message = tt_xstrdup(msg);
		e->message_len = strlen(msg);
		e->stream = tt_xstrdup("s1");
		e->group = ident ? tt_xstrdup(ident) : NULL;
	}
	free(copy);
}

/* Answers call i with events and a token (NULL = last page). */
static void answer(int i, const char *events, const char *token)
{
	struct tt_logs_event_page p;

	memset(&p, 0, sizeof(p));
	parse_events(events, &p, NULL);
	p.next_token = token ? tt_xstrdup(token) : NULL;
	F.calls[i].answered = true;
	F.calls[i].events_done(F.calls[i].ctx, &p, NULL);
	tt_logs_event_page_clear(&p);
}

static void answer_error(int i, long status, const char *code, enum tt_err_kind kind)
{
	struct tt_err err;

	tt_err_set(&err, kind, "logs FilterLogEvents: it went wrong");
	err.http_status = status;
	snprintf(err.code, sizeof(err.code), "%s", code);
	F.calls[i].answered = true;
	if (F.calls[i].filter)
		F.calls[i].events_done(F.calls[i].ctx, NULL, &err);
	else
		F.calls[i].groups_done(F.calls[i].ctx, NULL, &err);
}

static void answer_groups(int i, const char *name, const char *arn)
{
	struct tt_logs_group_page p;

	memset(&p, 0, sizeof(p));
	p.groups = tt_xcalloc(2, sizeof(*p.groups));
	if (name) {
		p.groups[0].name = tt_xstrdup(name);
		p.groups[0].arn = tt_xstrdup(arn);
		p.n = 1;
	}
	F.calls[i].answered = true;
	F.calls[i].groups_done(F.calls[i].ctx, &p, NULL);
	tt_logs_group_page_clear(&p);
}

static void live_update(const char *events, bool sampled, const char *ident)
{
	struct tt_logs_live_update u;
	struct tt_logs_event_page p;

	memset(&p, 0, sizeof(p));
	parse_events(events, &p, ident);
	u.events = p.events;
	u.n = p.n;
	u.sampled = sampled;
	F.h.on_update(F.live_ctx, &u);
	tt_logs_event_page_clear(&p);
}

static bool out_is(const char *want, const char *what)
{
	return tap_str_eq(F.out.data, want, what);
}

static bool notes_have(const char *s)
{
	return strstr(F.notes.data, s) != NULL;
}

/* --- one-shot ----------------------------------------------------------------- */

static void test_pagination(void)
{
	const char *groups[] = {"/aws/lambda/a"};
	struct tt_tail_opts o = {groups, 1, 1000, 9000, "ERROR", false, false, 0, 0, 0, 0};
	struct tt_tail *t = start(&o);
	struct tt_err err;

	tt_tail_tick(t, 10000);
	tap_ok(F.ncalls == 1 && F.calls[0].start == 1000 && F.calls[0].end == 9000 && !F.calls[0].token[0],
	       "first FilterLogEvents: startTime, endTime, no token");
	tap_str_eq(F.calls[0].pattern, "ERROR", "filter pattern sent");
	answer(0, "1000:a:one|1001:b:two", "T1");
	tt_tail_tick(t, 10001);
	tap_ok(F.ncalls == 2 && strcmp(F.calls[1].token, "T1") == 0 && F.calls[1].start == 1000,
	       "the next page asks with the token and the same startTime");
	answer(1, "", "T2");
	tt_tail_tick(t, 10002);
	tap_ok(F.ncalls == 3 && strcmp(F.calls[2].token, "T2") == 0,
	       "an empty page with a token is followed");
	tap_ok(tt_tail_status(t, &err) == 1, "still running");
	answer(2, "1002:c:three", NULL);
	tt_tail_tick(t, 10003);
	out_is("/aws/lambda/a 1000 a one\n/aws/lambda/a 1001 b two\n/aws/lambda/a 1002 c three\n",
	       "every page's events, in order");
	tap_ok(tt_tail_status(t, &err) == 0 && F.ncalls == 3, "done after the last page; nothing more asked");
	tap_ok(tt_tail_next_deadline(t, 10004) == -1, "no deadline when done");
	tt_tail_free(&t);
}

static void test_interleave(void)
{
	const char *groups[] = {"/g/a", "/g/b"};
	struct tt_tail_opts o = {groups, 2, 1, 0, NULL, false, false, 0, 0, 0, 0};
	struct tt_tail *t = start(&o);

	tt_tail_tick(t, 100);
	tap_ok(F.ncalls == 2 && strcmp(F.calls[0].group, "/g/a") == 0 &&
	           strcmp(F.calls[1].group, "/g/b") == 0,
	       "both groups asked at once");
	answer(0, "1:a1:A1|5:a5:A5|9:a9:A9", NULL);
	tt_tail_tick(t, 101);
	tap_ok(F.nevents == 0, "nothing shown while the other group may still have earlier events");
	answer(1, "2:b2:B2|3:b3:B3", "more");
	tt_tail_tick(t, 102);
	out_is("/g/a 1 a1 A1\n/g/b 2 b2 B2\n", "what is certainly complete comes out (up to b's page)");
	answer(2, "10:b10:B10", NULL);
	tt_tail_tick(t, 103);
	out_is("/g/a 1 a1 A1\n/g/b 2 b2 B2\n/g/b 3 b3 B3\n/g/a 5 a5 A5\n/g/a 9 a9 A9\n/g/b 10 b10 B10\n",
	       "two groups interleaved by timestamp");
	tt_tail_free(&t);
}

static void test_oneshot_errors(void)
{
	const char *groups[] = {"/aws/lambda/nope"};
	struct tt_tail_opts o = {groups, 1, 1, 0, NULL, false, false, 0, 0, 0, 0};
	struct tt_tail *t = start(&o);
	struct tt_err err;
	int i;

	tt_tail_tick(t, 100);
	answer_error(0, 400, "ResourceNotFoundException", TT_ERR_AWS);
	tt_tail_tick(t, 101);
	tap_ok(tt_tail_status(t, &err) == -1 && strcmp(err.code, "ResourceNotFoundException") == 0,
	       "unknown group: fatal with the AWS code");
	tap_ok(strstr(err.message, "log group /aws/lambda/nope") != NULL, "the message names the group");
	tap_ok(strstr(err.message, "went wrong (Lambda creates it when the function first writes a log line)") != NULL,
	       "... and says why a function's group may not be there yet");
	tt_tail_free(&t);

	t = start(&o);
	tt_tail_tick(t, 100);
	answer_error(0, 0, "", TT_ERR_NETWORK);
	tap_ok(tt_tail_status(t, &err) == -1 && err.kind == TT_ERR_NETWORK,
	       "one-shot: a network failure is fatal");
	tt_tail_free(&t);

	t = start(&o);
	for (i = 0; i < 10 && tt_tail_status(t, NULL) == 1; i++) {
		tt_tail_tick(t, 100 + i * 100000);
		answer_error(F.ncalls - 1, 400, "ThrottlingException", TT_ERR_AWS);
	}
	tap_ok(tt_tail_status(t, &err) == -1 && F.ncalls == 6 && strcmp(err.code, "ThrottlingException") == 0,
	       "one-shot: gives up after 6 throttled passes (%d)", F.ncalls);
	tt_tail_free(&t);
}

/* A service that answers a page with no events and the token it was sent
 * would be asked the same question for ever. */
static void test_repeated_token(void)
{
	const char *groups[] = {"/aws/lambda/stuck"};
	struct tt_tail_opts o = {groups, 1, 1000, 0, NULL, false, false, 0, 0, 0, 0};
	struct tt_tail *t = start(&o);
	struct tt_err err;
	int i;

	tt_tail_tick(t, 10000);
	answer(0, "1000:a:one", "T1");
	for (i = 1; i < 20 && tt_tail_status(t, NULL) == 1; i++) {
		tt_tail_tick(t, 10000 + i);
		if (F.ncalls > i)
			answer(i, "", "T1");
	}
	tap_ok(tt_tail_status(t, &err) == -1, "one-shot: a repeated nextToken with no events is fatal (%d calls)",
	       F.ncalls);
	tap_ok(F.ncalls == 2, "...found on the first repeat");
	tap_ok(err.kind == TT_ERR_AWS && strstr(err.message, "log group /aws/lambda/stuck") &&
	           strstr(err.message, "nextToken"),
	       "...an AWS error (exit 4) naming the group and the token: %s", err.message);
	tt_tail_free(&t);

	o.follow = true;
	t = start(&o);
	tt_tail_tick(t, 10000);
	answer(0, "", "T1");
	tt_tail_tick(t, 10001);
	answer(1, "", "T1");
	tt_tail_tick(t, 10002);
	tap_ok(tt_tail_status(t, &err) == -1 && F.ncalls == 2, "follow: the same, not retried for ever");
	tt_tail_free(&t);

	o.follow = false;
	t = start(&o);
	tt_tail_tick(t, 10000);
	answer(0, "", "T1");
	tt_tail_tick(t, 10001);
	answer(1, "", "T2");
	tt_tail_tick(t, 10002);
	answer(2, "1000:a:one", NULL);
	tt_tail_tick(t, 10003);
	tap_ok(tt_tail_status(t, &err) == 0, "empty pages with new tokens are still followed");
	tt_tail_free(&t);
}

/* --- follow ---------------------------------------------------------------------- */

static void test_follow_dedupe(void)
{
	const char *groups[] = {"/g"};
	struct tt_tail_opts o = {groups, 1, 1000, 0, NULL, true, false, 1000, 0, 5000, 0};
	struct tt_tail *t = start(&o);
	long d;

	tt_tail_tick(t, 100000);
	answer(0, "99000:a:A|99000:b:B", NULL);
	tt_tail_tick(t, 100010);
	out_is("/g 99000 a A\n/g 99000 b B\n", "first pass shown at once (one group: no window)");
	d = tt_tail_next_deadline(t, 100010);
	tap_ok(d == 990, "next poll one interval after the pass began (%ld)", d);
	tt_tail_tick(t, 100500);
	tap_ok(F.ncalls == 1, "not before the interval");
	tt_tail_tick(t, 101000);
	tap_ok(F.ncalls == 2, "then the next pass");
	tap_ok(F.calls[1].start <= 99000 && F.calls[1].start >= 1000,
	       "it starts at or before the newest event (%lld)", (long long)F.calls[1].start);
	/* The same millisecond again, with a third event that arrived late. */
	answer(1, "99000:a:A|99000:b:B|99000:c:C|99500:d:D", NULL);
	tt_tail_tick(t, 101010);
	out_is("/g 99000 a A\n/g 99000 b B\n/g 99000 c C\n/g 99500 d D\n",
	       "same-millisecond events: the new one shown, the old ones not again");
	tt_tail_tick(t, 102000);
	answer(2, "99000:a:A|99000:b:B|99000:c:C|99500:d:D|95000:e:E", NULL);
	tt_tail_tick(t, 102010);
	tap_ok(F.nevents == 5 && strstr(F.out.data, "95000 e E"),
	       "a late event inside the lookback still shows");
	tap_ok(tt_tail_stats(t)->duplicates == 6, "duplicates counted (%lu)", tt_tail_stats(t)->duplicates);
	tt_tail_free(&t);
}

static void test_follow_future(void)
{
	const char *groups[] = {"/g"};
	struct tt_tail_opts o = {groups, 1, 1000, 0, NULL, true, false, 1000, 0, 5000, 0};
	struct tt_tail *t = start(&o);

	tt_tail_tick(t, 100000);
	answer(0, "99000:a:A|130000:z:stamped 30 s ahead", NULL);
	tt_tail_tick(t, 101000);
	tap_ok(F.ncalls == 2 && F.calls[1].start <= 100000 - 5000,
	       "an event from the future does not move the next pass past the present (%lld)",
	       (long long)F.calls[1].start);
	answer(1, "99000:a:A|99900:b:B|130000:z:stamped 30 s ahead", NULL);
	tt_tail_tick(t, 101010);
	out_is("/g 99000 a A\n/g 99900 b B\n", "a late event still shows; the future one waits for its time");
	tt_tail_tick(t, 131000);
	answer(2, "130000:z:stamped 30 s ahead", NULL);
	tt_tail_tick(t, 131010);
	out_is("/g 99000 a A\n/g 99900 b B\n/g 130000 z stamped 30 s ahead\n", "then shows, once");
	tt_tail_free(&t);
}

static void test_follow_throttle(void)
{
	const char *groups[] = {"/g"};
	struct tt_tail_opts o = {groups, 1, 1000, 0, NULL, true, false, 1000, 0, 0, 0};
	struct tt_tail *t = start(&o);
	long d;
	int i;

	tt_tail_tick(t, 100000);
	answer(0, "99000:a:A", "T");
	tt_tail_tick(t, 100001);
	for (i = 0; i < 8; i++) {
		int before = F.ncalls;
		answer_error(F.ncalls - 1, 400, "ThrottlingException", TT_ERR_AWS);
		d = tt_tail_next_deadline(t, 100001 + i * 31000);
		tt_tail_tick(t, 100001 + i * 31000 + d - 1);
		if (F.ncalls != before)
			break;
		tt_tail_tick(t, 100001 + (i + 1) * 31000);
		if (F.ncalls != before + 1)
			break;
	}
	tap_ok(i == 8, "each retry waits for its back-off, then goes (%d)", i);
	tap_ok(tt_tail_status(t, NULL) == 1, "follow mode survives a storm of 8 throttled requests");
	tap_ok(notes_have("log group /g: ThrottlingException; retrying in"), "and says it is backing off");
	tap_ok(strcmp(F.calls[F.ncalls - 1].token, "T") == 0, "the retry resumes the same page (token kept)");
	answer(F.ncalls - 1, "99001:b:B", NULL);
	tt_tail_tick(t, 400000);
	tap_ok(notes_have("log group /g: reading again"), "recovery noted");
	out_is("/g 99000 a A\n/g 99001 b B\n", "and nothing lost");
	tap_ok(tt_tail_stats(t)->failures == 8, "failures counted");
	tt_tail_free(&t);

	t = start(&o);
	tt_tail_tick(t, 100000);
	answer(0, "99000:a:A", NULL);
	tt_tail_tick(t, 101000);
	answer_error(1, 0, "", TT_ERR_NETWORK);
	tap_ok(tt_tail_status(t, NULL) == 1 && tt_tail_next_deadline(t, 101000) > 0,
	       "follow mode: a network failure after a good answer is retried later");
	tt_tail_tick(t, 101000 + tt_tail_next_deadline(t, 101000));
	tap_ok(F.ncalls == 3, "the retry goes out after the back-off");
	answer_error(2, 503, "ServiceUnavailableException", TT_ERR_AWS);
	tap_ok(tt_tail_status(t, NULL) == 1, "a 503 is retried too");
	tt_tail_free(&t);

	t = start(&o);
	tt_tail_tick(t, 100000);
	answer_error(0, 0, "", TT_ERR_NETWORK);
	tap_ok(tt_tail_status(t, NULL) == -1,
	       "follow mode: a network failure before any answer is fatal (wrong endpoint?)");
	tt_tail_free(&t);
}

/* A function deployed but never run has no log group: following it waits
 * for the group, saying so once, and reads it from the start asked for once
 * it is there. */
static void test_follow_missing_group(void)
{
	const char *groups[] = {"/aws/lambda/new-fn"};
	struct tt_tail_opts o = {groups, 1, 50000, 0, NULL, true, false, 1000, 0, 0, 0};
	struct tt_tail *t = start(&o);
	int64_t now = 100000;
	const char *first;
	int i;

	tap_ok(TT_TAIL_NOTE_WARNING == 6, "warnings are noted as 6 below");
	for (i = 0; i < 5; i++) {
		tt_tail_tick(t, now);
		if (F.ncalls != i + 1)
			break;
		answer_error(i, 400, "ResourceNotFoundException", TT_ERR_AWS);
		tt_tail_tick(t, now + 9999);
		if (F.ncalls != i + 1)
			break;
		now += 10000;
	}
	tap_ok(i == 5 && tt_tail_status(t, NULL) == 1, "follow: a missing group is asked for again every 10 s (%d)", i);
	first = strstr(F.notes.data, "6:log group /aws/lambda/new-fn does not exist yet (Lambda creates it");
	tap_ok(first && !strstr(strstr(first, "does not exist") + 1, "does not exist"), "... said once, as a warning");
	tt_tail_tick(t, now);
	tap_ok(F.ncalls == 6 && F.calls[5].start == 50000, "then read from the start asked for");
	answer(5, "60000:a:A", NULL);
	tt_tail_tick(t, now + 1);
	out_is("/aws/lambda/new-fn 60000 a A\n", "its events arrive");
	tt_tail_free(&t);

	o.live = true;
	t = start(&o);
	tt_tail_tick(t, 100000);
	answer_groups(0, NULL, NULL);
	tap_ok(tt_tail_status(t, NULL) == -1, "Live Tail needs the group to exist: fatal");
	tt_tail_free(&t);
}

static void test_follow_window(void)
{
	const char *groups[] = {"/a", "/b"};
	struct tt_tail_opts o = {groups, 2, 1000, 0, NULL, true, false, 1000, 1000, 0, 0};
	struct tt_tail *t = start(&o);

	tt_tail_tick(t, 100000);
	answer(0, "99990:a1:A", NULL);
	answer(1, "99991:b1:B", NULL);
	tt_tail_tick(t, 100100);
	tap_ok(F.nevents == 0, "the last second of history waits out the window");
	tt_tail_tick(t, 101000);
	tap_ok(F.ncalls == 4, "both groups polled again");
	answer(2, "100500:a2:A2", NULL);
	tap_ok(F.nevents == 0, "one group's pass is not enough");
	answer(3, "100400:b2:B2", NULL);
	tt_tail_tick(t, 101100);
	out_is("/a 99990 a1 A\n/b 99991 b1 B\n",
	       "both passes done: what is a window old comes out, in order");
	tt_tail_tick(t, 102000);
	answer(4, "", NULL);
	answer(5, "", NULL);
	tt_tail_tick(t, 102100);
	out_is("/a 99990 a1 A\n/b 99991 b1 B\n/b 100400 b2 B2\n/a 100500 a2 A2\n",
	       "a pass later, the rest, interleaved by timestamp across the groups");
	tt_tail_free(&t);
}

static void test_follow_lag(void)
{
	const char *groups[] = {"/a", "/b"};
	struct tt_tail_opts o = {groups, 2, 1000, 0, NULL, true, false, 1000, 1000, 0, 0};
	struct tt_tail *t = start(&o);
	int64_t first;

	tt_tail_tick(t, 100000);
	answer(0, "", NULL);
	answer(1, "", NULL);
	tt_tail_tick(t, 101000);
	first = F.calls[2].start;
	/* 97000 was not there when the last pass began at 100000: 3 s late. */
	answer(2, "97000:a1:late|99500:a2:recent", NULL);
	answer(3, "", NULL);
	tt_tail_tick(t, 101100);
	out_is("/a 97000 a1 late\n", "an event 3 s late widens the window: a 1.5 s old one waits");
	tt_tail_tick(t, 102000);
	tap_ok(F.ncalls == 6 && F.calls[4].start <= 99500 - 3000 && F.calls[4].start >= first,
	       "passes re-read that far back, never before an earlier pass (%lld)",
	       (long long)F.calls[4].start);
	/* A throttling storm keeps us away for 20 s: events then look 20 s
	 * late from now, but they were not late, we were. */
	answer_error(4, 400, "ThrottlingException", TT_ERR_AWS);
	answer(5, "", NULL);
	tt_tail_tick(t, 122000);
	answer(6, "121000:a3:fresh", NULL);
	tt_tail_tick(t, 123000);
	{
		int64_t last = 0, prev = 0;
		bool monotonic = true;
		for (int i = 0; i < F.ncalls; i++) {
			if (strcmp(F.calls[i].group, "/a") != 0)
				continue;
			monotonic = monotonic && F.calls[i].start >= prev;
			prev = last = F.calls[i].start;
		}
		tap_ok(last >= 121000 - 5000, "our own back-off does not count as lag (%lld)",
		       (long long)last);
		tap_ok(monotonic, "a group's startTime never goes back");
	}
	tt_tail_free(&t);
}

/* Regular passes every second, each answered with the events seen so far
 * plus one a second old, until now reaches `until`. Returns the next now. */
static int64_t follow_passes(struct tt_tail *t, int64_t now, int64_t until, struct tt_buf *seen)
{
	char ev[64];

	while (now < until) {
		tt_tail_tick(t, now);
		snprintf(ev, sizeof(ev), "%s%lld:n%lld:tick", seen->len ? "|" : "", (long long)(now - 1000),
		         (long long)now);
		tt_buf_puts(seen, ev);
		answer(F.ncalls - 1, seen->data, NULL);
		tt_tail_tick(t, now + 10);
		now += 1000;
	}
	return now;
}

static void test_follow_late(void)
{
	const char *groups[] = {"/g"};
	struct tt_tail_opts o = {groups, 1, 900000, 0, NULL, true, false, 1000, 0, 5000, 120000};
	struct tt_tail *t = start(&o);
	struct tt_buf seen;
	int64_t now;
	int sweep;

	tt_buf_init(&seen, 0);
	tt_buf_puts(&seen, "990000:a:A");
	tt_tail_tick(t, 1000000);
	answer(0, seen.data, NULL);
	tt_tail_tick(t, 1000010);
	now = follow_passes(t, 1001000, 1030000, &seen);
	tap_ok(F.calls[F.ncalls - 1].start > 1020000, "regular passes start near the newest event (%lld)",
	       (long long)F.calls[F.ncalls - 1].start);
	tt_tail_tick(t, now + 20);
	sweep = F.ncalls - 1;
	tap_ok(F.calls[sweep].start == now + 20 - 120000,
	       "30 s after the first pass, one re-reads late_ms back (%lld)", (long long)F.calls[sweep].start);
	/* What the passes saw, and one event indexed 70 s after its timestamp:
	 * far behind what the passes re-read. */
	tt_buf_puts(&seen, "|950000+70000:L:came late");
	answer(sweep, seen.data, NULL);
	tt_tail_tick(t, now + 30);
	tap_ok(strstr(F.out.data, "/g 950000 L came late\n(late)\n") != NULL, "the sweep shows it, marked late");
	tap_ok(tt_tail_stats(t)->late == 1 && F.nevents == 31, "once, and nothing else again (%lu late, %d events)",
	       tt_tail_stats(t)->late, F.nevents);
	tap_ok(notes_have("1 event ingested late (up to 70 s after its timestamp)"), "and says so");
	now = follow_passes(t, now + 1000, now + 5000, &seen);
	tap_ok(F.calls[F.ncalls - 1].start > 1020000, "the next passes start at the cursor again (%lld)",
	       (long long)F.calls[F.ncalls - 1].start);
	now = follow_passes(t, now, now + 27000, &seen);
	sweep = F.ncalls - 1;
	tap_ok(F.calls[sweep].start < 1000000, "the next sweep 30 s later (%lld)", (long long)F.calls[sweep].start);
	tap_ok(tt_tail_stats(t)->late == 1 && F.nevents == 62, "shows nothing twice (%lu late, %d events)",
	       tt_tail_stats(t)->late, F.nevents);
	tt_tail_free(&t);

	o.late_ms = -1;
	t = start(&o);
	tt_buf_reset(&seen);
	tt_buf_puts(&seen, "990000:a:A");
	tt_tail_tick(t, 1000000);
	answer(0, seen.data, NULL);
	tt_tail_tick(t, 1000010);
	follow_passes(t, 1001000, 1070000, &seen);
	sweep = 0;
	for (int i = 1; i < F.ncalls; i++)
		sweep += F.calls[i].start < 980000;
	tap_ok(sweep == 0, "late_ms < 0: no sweeps (%d)", sweep);
	tt_tail_free(&t);
	tt_buf_clear(&seen);
}

static void test_free_cancels(void)
{
	const char *groups[] = {"/a", "/b"};
	struct tt_tail_opts o = {groups, 2, 1000, 0, NULL, true, false, 0, 0, 0, 0};
	struct tt_tail *t = start(&o);

	tt_tail_tick(t, 100000);
	tt_tail_free(&t);
	tap_ok(F.cancels == 2 && t == NULL, "free cancels the requests in flight");
}

/* --- Live Tail ------------------------------------------------------------------------ */

#define ARN_A "arn:aws:logs:us-east-1:1:log-group:/a"

static struct tt_tail *live_started(int64_t now)
{
	static const char *groups[] = {"/a"};
	struct tt_tail_opts o = {groups, 1, 10000, 0, NULL, false, true, 0, 1000, 0, 0};
	struct tt_tail *t = start(&o);
	struct tt_logs_live_start s = {"rq", "sess-1"};

	tt_tail_tick(t, now);
	tap_ok(F.ncalls == 1 && !F.calls[0].filter && strcmp(F.calls[0].group, "/a") == 0,
	       "live: looks the group up first (DescribeLogGroups prefix)");
	answer_groups(0, "/a", ARN_A);
	tt_tail_tick(t, now + 10);
	tap_ok(F.sessions == 1 && strcmp(F.live_groups, ARN_A ";") == 0,
	       "then starts Live Tail with its ARN");
	tap_ok(F.ncalls == 1, "no backfill before the session is confirmed");
	F.h.on_start(F.live_ctx, &s);
	tt_tail_tick(t, now + 20);
	tap_ok(F.ncalls == 2 && F.calls[1].filter && F.calls[1].start == 10000 && F.calls[1].end == 0,
	       "sessionStart: backfill from --since");
	return t;
}

static void test_live_overlap(void)
{
	struct tt_tail *t = live_started(100000);

	/* The stream already delivers what the backfill will also find. */
	live_update("99500:-:dup|99990:-:live only", false, ARN_A);
	tt_tail_tick(t, 100030);
	tap_ok(F.nevents == 0, "live events wait for the backfill");
	answer(1, "20000:e1:old|99500:e2:dup|99500:e3:dup", NULL);
	tt_tail_tick(t, 100040);
	tap_ok(notes_have("caught up"), "caught-up note after the backfill");
	tt_tail_tick(t, 101100);
	out_is("/a 20000 e1 old\n/a 99500 - dup\n/a 99500 e3 dup\n/a 99990 - live only\n",
	       "overlap shown once; two identical lines in one ms stay two");
	/* One group, backfill done: nothing to merge, so no window to wait out. */
	live_update("100500:-:new|100400:-:older", true, ARN_A);
	tt_tail_tick(t, 101200);
	tap_ok(F.nevents == 6 && strstr(F.out.data, "100400 - older (s)\n/a 100500 - new (s)\n"),
	       "one group after the backfill: an update shows at once, in time order, marked sampled");
	tap_ok(tt_tail_next_deadline(t, 101200) == -1, "and nothing is left waiting (%ld)",
	       tt_tail_next_deadline(t, 101200));
	tap_ok(notes_have("sampling"), "sampling noted");
	tt_tail_free(&t);
}

static void test_live_reconnect(void)
{
	struct tt_tail *t = live_started(100000);
	struct tt_logs_live_start s = {"rq", "sess-2"};
	struct tt_err err;

	answer(1, "99000:e1:one", NULL);
	tt_tail_tick(t, 101000);
	live_update("100900:-:two", false, ARN_A);
	tt_tail_tick(t, 103000);
	out_is("/a 99000 e1 one\n/a 100900 - two\n", "backfill then live");

	tt_err_set(&err, TT_ERR_AWS, "Live Tail: Session timed out");
	snprintf(err.code, sizeof(err.code), "SessionTimeoutException");
	F.h.on_end(F.live_ctx, &err);
	tap_ok(notes_have("reconnecting in 0.0 s"), "a session timeout reconnects at once");
	tt_tail_tick(t, 103000);
	tap_ok(F.sessions == 2, "a second session");
	F.h.on_start(F.live_ctx, &s);
	tt_tail_tick(t, 103010);
	tap_ok(F.ncalls == 3 && F.calls[2].start == 101000 - 30000,
	       "its backfill starts 30 s before the last update (%lld)", (long long)F.calls[2].start);
	/* The gap's backfill returns what was shown (by both sources) and what
	 * happened while no session was open. */
	answer(2, "99000:e1:one|100900:e9:two|102500:e10:in the gap", NULL);
	tt_tail_tick(t, 105000);
	out_is("/a 99000 e1 one\n/a 100900 - two\n/a 102500 e10 in the gap\n", "no gap, no duplicate");
	tap_ok(tt_tail_status(t, NULL) == 1, "still running");
	tt_tail_free(&t);
}

static void test_live_broken(void)
{
	struct tt_tail *t = live_started(100000);
	struct tt_logs_live_start s = {"rq", "sess-n"};
	struct tt_err err;
	int i;

	answer(1, "", NULL);
	tt_err_set(&err, TT_ERR_AWS,
	           "Live Tail: corrupted event stream frame at byte 104: message CRC mismatch");
	for (i = 0; i < 6 && tt_tail_status(t, NULL) == 1; i++) {
		F.h.on_end(F.live_ctx, &err);
		tt_tail_tick(t, 200000 + i * 100000);
		if (tt_tail_status(t, NULL) == 1)
			F.h.on_start(F.live_ctx, &s);
	}
	if (!notes_have(
	        "6:Live Tail: corrupted event stream frame at byte 104: message CRC mismatch; reconnecting"))
		printf("# notes: %s\n", F.notes.data);
	tap_ok(
	    notes_have(
	        "6:Live Tail: corrupted event stream frame at byte 104: message CRC mismatch; reconnecting"),
	    "a corrupted stream is a warning, with the decoder's words");
	tap_ok(tt_tail_status(t, &err) == -1 &&
	           strstr(err.message, "giving up after 4 failed Live Tail sessions") &&
	           strstr(err.message, "CRC mismatch"),
	       "sessions that keep breaking before any update: give up, saying why");
	tt_tail_free(&t);

	t = live_started(100000);
	tt_err_set(&err, TT_ERR_AWS, "logs StartLiveTail: User is not authorized");
	err.http_status = 400;
	snprintf(err.code, sizeof(err.code), "AccessDeniedException");
	F.h.on_end(F.live_ctx, &err);
	tap_ok(tt_tail_status(t, &err) == -1 && strcmp(err.code, "AccessDeniedException") == 0,
	       "access denied is fatal at once");
	tt_tail_free(&t);
}

static void test_live_unknown_group(void)
{
	const char *groups[] = {"/aws/lambda/nope"};
	struct tt_tail_opts o = {groups, 1, 10000, 0, NULL, false, true, 0, 0, 0, 0};
	struct tt_tail *t = start(&o);
	struct tt_err err;

	tt_tail_tick(t, 100000);
	answer_groups(0, NULL, NULL);
	tap_ok(tt_tail_status(t, &err) == -1 && strcmp(err.code, "ResourceNotFoundException") == 0 &&
	           strstr(err.message, "/aws/lambda/nope"),
	       "live: unknown group is ResourceNotFoundException naming it");
	tt_tail_free(&t);
}

static void test_live_arn_given(void)
{
	const char *groups[] = {ARN_A ":*", "/b"};
	struct tt_tail_opts o = {groups, 2, 10000, 0, NULL, false, true, 0, 0, 0, 0};
	struct tt_tail *t = start(&o);

	tt_tail_tick(t, 100000);
	tap_ok(F.ncalls == 1 && strcmp(F.calls[0].group, "/b") == 0, "an ARN needs no lookup");
	answer_groups(0, "/b", "arn:b");
	tt_tail_tick(t, 100001);
	tap_ok(strcmp(F.live_groups, ARN_A ";arn:b;") == 0, "the trailing :* is dropped");
	tt_tail_free(&t);
}

int main(void)
{
	test_pagination();
	test_interleave();
	test_oneshot_errors();
	test_repeated_token();
	test_follow_dedupe();
	test_follow_future();
	test_follow_throttle();
	test_follow_missing_group();
	test_follow_window();
	test_follow_lag();
	test_follow_late();
	test_free_cancels();
	test_live_overlap();
	test_live_reconnect();
	test_live_broken();
	test_live_unknown_group();
	test_live_arn_given();
	tt_buf_clear(&F.out);
	tt_buf_clear(&F.notes);
	return tap_done();
}
