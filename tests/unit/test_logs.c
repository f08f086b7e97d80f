/* CloudWatch Logs at the wire boundary: canned answers through the
 * parsers, and Live Tail streams (eventstream frames built here) through a
 * detached session. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "tap.h"
#include "tiertop/buf.h"
#include "tiertop/err.h"
#include "tiertop/svc_logs.h"
#include "tiertop/xalloc.h"

#define S(lit) lit, sizeof(lit) - 1

static void test_filter_pages(void)
{
	struct tt_logs_event_page p;
	struct tt_err err;

	tap_ok(tt_logs_parse_events(
	           S("{\"events\":[{\"logStreamName\":\"2026/01/01/[$LATEST]ab\",\"timestamp\":"
	             "1767225600123,\"message\":\"START RequestId: 1\\n\",\"ingestionTime\":"
	             "1767225600456,\"eventId\":\"3729\"},{\"logStreamName\":\"s2\",\"timestamp\":"
	             "1767225600124,\"message\":\"x\",\"eventId\":\"3730\"}],\"searchedLogStreams\":[],"
	             "\"nextToken\":\"tok/1==\"}"),
	           &p, &err) == 0,
	       "FilterLogEvents page parses");
	tap_ok(p.n == 2, "two events");
	tap_str_eq(p.events[0].stream, "2026/01/01/[$LATEST]ab", "stream name");
	tap_ok(p.events[0].timestamp_ms == 1767225600123LL && p.events[0].ingestion_ms == 1767225600456LL,
	       "timestamps in ms, 64-bit");
	tap_str_eq(p.events[0].message, "START RequestId: 1\n", "message keeps its newline");
	tap_ok(p.events[0].message_len == 19, "message length");
	tap_str_eq(p.events[1].event_id, "3730", "eventId");
	tap_ok(p.events[1].ingestion_ms == 0 && p.events[0].group == NULL, "missing members are zero");
	tap_str_eq(p.next_token, "tok/1==", "nextToken");
	tt_logs_event_page_clear(&p);
	tap_ok(p.events == NULL && p.n == 0, "free zeroes the page");

	tap_ok(tt_logs_parse_events(S("{\"events\":[],\"searchedLogStreams\":[],\"nextToken\":\"more\"}"), &p,
	                            &err) == 0 &&
	           p.n == 0 && p.next_token && strcmp(p.next_token, "more") == 0,
	       "an empty page can still carry a nextToken");
	tt_logs_event_page_clear(&p);
	tap_ok(tt_logs_parse_events(S("{\"events\":[]}"), &p, &err) == 0 && !p.next_token,
	       "last page: no token");
	tt_logs_event_page_clear(&p);
	/* Found by fuzzing (tests/fuzz/fuzz_logs): a real too big for int64 was
	 * cast anyway, which is undefined; it is no time. */
	tap_ok(tt_logs_parse_events(S("{\"events\":[{\"timestamp\":1e300,\"message\":\"m\"}]}"), &p, &err) == 0 &&
	           p.n == 1 && p.events[0].timestamp_ms == 0,
	       "a timestamp beyond int64 reads as none");
	tt_logs_event_page_clear(&p);

	tap_ok(
	    tt_logs_parse_events(S("{\"events\":[{\"message\":\"a\\u0000b\\u001b[31mred\",\"timestamp\":1},"
	                           "7,null,{\"timestamp\":2.0}]}"),
	                         &p, &err) == 0,
	    "NUL and ESC in a message do not break the page");
	tap_ok(p.n == 2, "non-object entries are skipped");
	tap_ok(p.events[0].message_len == 11 && memcmp(p.events[0].message, "a\0b\x1b[31mred", 11) == 0,
	       "the message keeps every byte, NUL included");
	tap_ok(p.events[1].timestamp_ms == 2 && p.events[1].message && p.events[1].message_len == 0,
	       "a real timestamp is accepted; a missing message is empty");
	tt_logs_event_page_clear(&p);

	tap_ok(tt_logs_parse_events(S("{\"events\":[{"), &p, &err) == -1 && err.kind == TT_ERR_AWS &&
	           strstr(err.message, "malformed JSON"),
	       "truncated JSON is an AWS error");
	tap_ok(tt_logs_parse_events(S("[1,2]"), &p, &err) == -1 && strstr(err.message, "not an object"),
	       "a JSON array is refused");
	tap_ok(tt_logs_parse_events(S("{\"events\":{\"a\":1}}"), &p, &err) == 0 && p.n == 0,
	       "events of the wrong type: no events, no crash");
	tt_logs_event_page_clear(&p);

	tap_ok(tt_logs_parse_events(S("{\"events\":[{\"timestamp\":5,\"message\":\"m\",\"ingestionTime\":6}]}"),
	                            &p, &err) == 0 &&
	           p.events[0].event_id == NULL && p.events[0].ingestion_ms == 6 && !p.next_token,
	       "an event without eventId; no token: the last page");
	tt_logs_event_page_clear(&p);
}

static void test_groups(void)
{
	struct tt_logs_group_page g;
	struct tt_err err;

	tap_ok(tt_logs_parse_groups(
	           S("{\"logGroups\":[{\"logGroupName\":\"/aws/lambda/a\",\"creationTime\":17,"
	             "\"retentionInDays\":14,\"arn\":\"arn:aws:logs:us-east-1:1:log-group:/aws/lambda/a:*\","
	             "\"logGroupArn\":\"arn:aws:logs:us-east-1:1:log-group:/aws/lambda/a\","
	             "\"storedBytes\":1024,\"logGroupClass\":\"STANDARD\"},"
	             "{\"logGroupName\":\"/b\",\"arn\":\"arn:aws:logs:us-east-1:1:log-group:/b:*\"},"
	             "{\"arn\":\"no name\"}],\"nextToken\":\"n\"}"),
	           &g, &err) == 0,
	       "DescribeLogGroups parses");
	tap_ok(g.n == 2, "a group without a name is skipped");
	tap_str_eq(g.groups[0].arn, "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/a",
	           "logGroupArn is used");
	tap_str_eq(g.groups[1].arn, "arn:aws:logs:us-east-1:1:log-group:/b",
	           "else arn without the trailing :*");
	tap_ok(g.groups[0].retention_days == 14 && g.groups[0].stored_bytes == 1024 &&
	           g.groups[0].creation_ms == 17,
	       "numbers");
	tap_str_eq(g.groups[0].group_class, "STANDARD", "class");
	tap_str_eq(g.next_token, "n", "token");
	tt_logs_group_page_clear(&g);
}

/* --- Live Tail ---------------------------------------------------------------- */

static void put_be(struct tt_buf *b, uint64_t v, int bytes)
{
	for (int i = bytes - 1; i >= 0; i--)
		tt_buf_putc(b, (char)((v >> (8 * i)) & 0xFF));
}

static void hdr(struct tt_buf *h, const char *name, const char *value)
{
	put_be(h, strlen(name), 1);
	tt_buf_puts(h, name);
	put_be(h, 7, 1);
	put_be(h, strlen(value), 2);
	tt_buf_puts(h, value);
}

static uint32_t crc(const void *p, size_t n)
{
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), p, (uInt)n);
}

/* A frame with :message-type type, and :event-type or :exception-type
 * (kind), or :error-code/:error-message for errors. */
static void msg(struct tt_buf *out, const char *type, const char *kind, const char *payload)
{
	struct tt_buf h;
	size_t at = out->len, plen = strlen(payload);

	tt_buf_init(&h, 0);
	hdr(&h, ":message-type", type);
	if (strcmp(type, "event") == 0)
		hdr(&h, ":event-type", kind);
	else if (strcmp(type, "exception") == 0)
		hdr(&h, ":exception-type", kind);
	else {
		hdr(&h, ":error-code", kind);
		hdr(&h, ":error-message", "internal failure");
	}
	hdr(&h, ":content-type", "application/json");
	put_be(out, 16 + h.len + plen, 4);
	put_be(out, h.len, 4);
	put_be(out, crc(out->data + at, 8), 4);
	tt_buf_append(out, h.data, h.len);
	tt_buf_append(out, payload, plen);
	put_be(out, crc(out->data + at, out->len - at), 4);
	tt_buf_clear(&h);
}

struct live_rec {
	int starts, updates, ends, events;
	char session[64];
	bool sampled;
	bool ended_ok;
	struct tt_err err;
	char last_msg[64];
	char last_group[128];
	struct tt_logs_live *self; /* freed from on_update when set */
};

static void rec_start(void *ctx, const struct tt_logs_live_start *s)
{
	struct live_rec *r = ctx;

	r->starts++;
	snprintf(r->session, sizeof(r->session), "%s", s->session_id ? s->session_id : "");
}

static void rec_update(void *ctx, struct tt_logs_live_update *u)
{
	struct live_rec *r = ctx;

	r->updates++;
	r->events += (int)u->n;
	r->sampled = u->sampled;
	if (u->n) {
		snprintf(r->last_msg, sizeof(r->last_msg), "%s", u->events[u->n - 1].message);
		snprintf(r->last_group, sizeof(r->last_group), "%s", u->events[u->n - 1].group);
	}
	if (r->self)
		tt_logs_live_free(&r->self);
}

static void rec_end(void *ctx, const struct tt_err *err)
{
	struct live_rec *r = ctx;

	r->ends++;
	r->ended_ok = err == NULL;
	if (err)
		r->err = *err;
}

static const struct tt_logs_live_handlers rec_handlers = {rec_start, rec_update, rec_end};

#define UPDATE_2                                                                                             \
	"{\"sessionMetadata\":{\"sampled\":true},\"sessionResults\":[{\"logStreamName\":\"s\","              \
	"\"logGroupIdentifier\":\"arn:aws:logs:us-east-1:1:log-group:/g\",\"message\":\"one\","              \
	"\"timestamp\":1767225600123,\"ingestionTime\":1767225600456},{\"logStreamName\":\"s\","             \
	"\"logGroupIdentifier\":\"arn:aws:logs:us-east-1:1:log-group:/g\",\"message\":\"two\","              \
	"\"timestamp\":1767225600124}]}"

/* Feeds s in chunks of step bytes; then the end of the stream. */
static void feed(struct tt_logs_live *l, const struct tt_buf *s, size_t step, bool close)
{
	bool open = true;

	for (size_t off = 0; off < s->len && open; off += step)
		open = tt_logs_live_feed(l, s->data + off, s->len - off < step ? s->len - off : step);
	if (open && close)
		tt_logs_live_feed(l, NULL, 0);
}

static void test_live_stream(void)
{
	struct tt_buf s;
	struct live_rec r;
	struct tt_logs_live *l;
	char want[128];

	tt_buf_init(&s, 0);
	msg(&s, "event", "initial-response", "{}");
	msg(&s, "event", "sessionStart",
	    "{\"requestId\":\"rq\",\"sessionId\":\"sess-1\",\"logGroupIdentifiers\":[]}");
	msg(&s, "event", "sessionUpdate", "{\"sessionMetadata\":{\"sampled\":false},\"sessionResults\":[]}");
	msg(&s, "event", "sessionUpdate", UPDATE_2);
	msg(&s, "event", "somethingNew", "{}");
	msg(&s, "exception", "SessionTimeoutException", "{\"message\":\"Session timed out after 3 hours\"}");

	memset(&r, 0, sizeof(r));
	l = tt_logs_live_new_detached(&rec_handlers, &r);
	feed(l, &s, 7, true);
	tap_ok(r.starts == 1, "sessionStart reported once");
	tap_str_eq(r.session, "sess-1", "with the session id");
	tap_ok(r.updates == 2 && r.events == 2, "two updates (one an empty heartbeat), two events");
	tap_ok(r.sampled, "sampled flag");
	tap_str_eq(r.last_msg, "two", "events in order");
	tap_str_eq(r.last_group, "arn:aws:logs:us-east-1:1:log-group:/g", "logGroupIdentifier kept");
	tap_ok(r.ends == 1 && !r.ended_ok && strcmp(r.err.code, "SessionTimeoutException") == 0,
	       "the exception ends the session with its type as the code");
	tap_ok(strstr(r.err.message, "Session timed out") != NULL, "and its message");
	tap_ok(!tt_logs_live_feed(l, "x", 1), "nothing more is accepted after the end");
	tt_logs_live_free(&l);
	tap_ok(l == NULL, "free NULLs the pointer");

	/* An :message-type error frame. */
	tt_buf_reset(&s);
	msg(&s, "event", "initial-response", "{}");
	msg(&s, "error", "InternalFailure", "");
	memset(&r, 0, sizeof(r));
	l = tt_logs_live_new_detached(&rec_handlers, &r);
	feed(l, &s, s.len, true);
	tap_ok(r.ends == 1 && strcmp(r.err.code, "InternalFailure") == 0 &&
	           strstr(r.err.message, "internal failure"),
	       ":message-type error: :error-code and :error-message");
	tt_logs_live_free(&l);

	/* A clean close. */
	tt_buf_reset(&s);
	msg(&s, "event", "initial-response", "{}");
	memset(&r, 0, sizeof(r));
	l = tt_logs_live_new_detached(&rec_handlers, &r);
	feed(l, &s, 3, true);
	tap_ok(r.ends == 1 && r.ended_ok, "a stream closed between frames ends cleanly");
	tt_logs_live_free(&l);

	/* Cut in the middle of a frame. */
	tt_buf_reset(&s);
	msg(&s, "event", "sessionUpdate", UPDATE_2);
	s.len -= 5;
	memset(&r, 0, sizeof(r));
	l = tt_logs_live_new_detached(&rec_handlers, &r);
	feed(l, &s, 7, true);
	tap_ok(r.ends == 1 && r.err.kind == TT_ERR_NETWORK && strstr(r.err.message, "middle of a frame"),
	       "a stream cut inside a frame says so");
	tt_logs_live_free(&l);

	/* A corrupted CRC. */
	tt_buf_reset(&s);
	msg(&s, "event", "initial-response", "{}");
	snprintf(want, sizeof(want),
	         "Live Tail: corrupted event stream frame at byte %zu: message CRC mismatch", s.len);
	msg(&s, "event", "sessionUpdate", UPDATE_2);
	s.data[s.len - 10] ^= 0x20;
	memset(&r, 0, sizeof(r));
	l = tt_logs_live_new_detached(&rec_handlers, &r);
	feed(l, &s, 7, true);
	tap_ok(r.updates == 0 && r.ends == 1 && r.err.kind == TT_ERR_AWS,
	       "a corrupted frame ends the session");
	if (!tap_ok(strstr(r.err.message, want) != NULL, "and says what and where"))
		printf("# got: %s\n", r.err.message);
	tt_logs_live_free(&l);

	/* Bad JSON in an update. */
	tt_buf_reset(&s);
	msg(&s, "event", "sessionUpdate", "{\"sessionResults\":[");
	memset(&r, 0, sizeof(r));
	l = tt_logs_live_new_detached(&rec_handlers, &r);
	feed(l, &s, s.len, true);
	tap_ok(r.ends == 1 && strstr(r.err.message, "sessionUpdate answered with malformed JSON"),
	       "malformed update JSON ends the session");
	tt_logs_live_free(&l);

	/* Freed from inside on_update: no more callbacks, no leak. */
	tt_buf_reset(&s);
	msg(&s, "event", "sessionUpdate", UPDATE_2);
	msg(&s, "event", "sessionUpdate", UPDATE_2);
	memset(&r, 0, sizeof(r));
	l = tt_logs_live_new_detached(&rec_handlers, &r);
	r.self = l;
	tap_ok(!tt_logs_live_feed(l, s.data, s.len), "freeing from a callback stops the feed");
	tap_ok(r.updates == 1 && r.ends == 0 && r.self == NULL, "no callback after the owner freed it");
	tt_buf_clear(&s);
}

int main(void)
{
	test_filter_pages();
	test_groups();
	test_live_stream();
	return tap_done();
}
