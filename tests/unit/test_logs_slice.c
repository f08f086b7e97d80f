/* A FilterLogEvents answer parsed a slice at a time reads exactly what the
 * one-go parser reads (tt_logs_parse_events), whatever the slice size, and
 * fails where it fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tiertop/buf.h"
#include "tiertop/err.h"
#include "tiertop/svc_logs.h"
#include "tiertop/xalloc.h"

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_page(const struct tt_logs_event_page *a, const struct tt_logs_event_page *b, char *why,
		      size_t size)
{
	if (a->n != b->n) {
		snprintf(why, size, "%zu events, not %zu", b->n, a->n);
		return false;
	}
	if (!same_str(a->next_token, b->next_token)) {
		snprintf(why, size, "nextToken differs");
		return false;
	}
	for (size_t i = 0; i < a->n; i++) {
		const struct tt_logs_event *x = &a->events[i], *y = &b->events[i];
		if (!same_str(x->group, y->group) || !same_str(x->stream, y->stream) ||
		    !same_str(x->event_id, y->event_id) || x->message_len != y->message_len ||
		    memcmp(x->message, y->message, x->message_len) != 0 || x->timestamp_ms != y->timestamp_ms ||
		    x->ingestion_ms != y->ingestion_ms) {
			snprintf(why, size, "event %zu differs", i);
			return false;
		}
	}
	return true;
}

/* Sliced with max events a step: 0, -1 on error; *steps counts the steps. */
static int sliced(const char *json, size_t len, size_t max, struct tt_logs_event_page *out, int *steps)
{
	char *copy = tt_xmalloc(len + 1);
	struct tt_logs_events_parser *p;
	struct tt_err err;
	int rc;

	memcpy(copy, json, len);
	copy[len] = '\0';
	p = tt_logs_events_parser_new(copy, len);
	*steps = 0;
	do {
		rc = tt_logs_events_parser_step(p, max, &err);
		(*steps)++;
	} while (rc == 1);
	if (rc == 0)
		tt_logs_events_parser_take(p, out);
	else
		memset(out, 0, sizeof(*out));
	tt_logs_events_parser_free(&p);
	return rc;
}

static const size_t slices[] = {1, 2, 3, 7, 1000, (size_t)-1};
#define NSLICES (sizeof(slices) / sizeof(slices[0]))

static void check_same(const char *name, const char *json, size_t len)
{
	struct tt_logs_event_page one, part;
	struct tt_err err;
	char why[128] = "";
	bool all = true;
	int steps;

	if (tt_logs_parse_events(json, len, &one, &err) != 0) {
		tap_ok(false, "%s: the one-go parser reads it (%s)", name, err.message);
		return;
	}
	for (size_t i = 0; i < NSLICES && all; i++) {
		if (sliced(json, len, slices[i], &part, &steps) != 0 || !same_page(&one, &part, why, sizeof(why))) {
			all = false;
			snprintf(why + strlen(why), sizeof(why) - strlen(why), " (slices of %zu)", slices[i]);
		}
		tt_logs_event_page_clear(&part);
	}
	tap_ok(all, "%s: the same page in slices of 1, 2, 3, 7, 1000 and all%s%s", name, all ? "" : ": ", why);
	tt_logs_event_page_clear(&one);
}

static void check_fails(const char *name, const char *json, size_t len)
{
	struct tt_logs_event_page one, part;
	struct tt_err err;
	bool all = true;
	int steps;

	tap_ok(tt_logs_parse_events(json, len, &one, &err) != 0, "%s: the one-go parser refuses it", name);
	tt_logs_event_page_clear(&one);
	for (size_t i = 0; i < NSLICES; i++) {
		if (sliced(json, len, slices[i], &part, &steps) == 0)
			all = false;
		tt_logs_event_page_clear(&part);
	}
	tap_ok(all, "%s: ... and so does every slicing", name);
}

#define SAME(name, lit) check_same(name, lit, sizeof(lit) - 1)
#define FAILS(name, lit) check_fails(name, lit, sizeof(lit) - 1)

static void test_pages(void)
{
	SAME("a page", "{\"events\":[{\"logStreamName\":\"s1\",\"timestamp\":1,\"message\":\"START\\n\","
		       "\"ingestionTime\":2,\"eventId\":\"e1\"},{\"logStreamName\":\"s2\",\"timestamp\":3,"
		       "\"message\":\"END\",\"ingestionTime\":4,\"eventId\":\"e2\"}],"
		       "\"searchedLogStreams\":[],\"nextToken\":\"t1\"}");
	SAME("nextToken first, other members with nested values, whitespace everywhere",
	     " \r\n{ \"nextToken\" : \"t2\" , \"searchedLogStreams\" : [ {\"logStreamName\":\"a\",\"x\":[1,{}]} ] ,"
	     "\t\"events\" : [ { \"message\" : \"]},\\\"[{\" , \"timestamp\" : 5.0 , \"eventId\" : \"e\" } ] , "
	     "\"z\":{\"events\":[{\"message\":\"not these\"}]}, \"n\": -1.5e3, \"t\": true, \"f\": false,"
	     " \"nul\": null } \n");
	SAME("escapes, NULs, a surrogate pair, non-ASCII",
	     "{\"events\":[{\"message\":\"a\\u0000b\\\\\\\"\\/\\b\\f\\n\\r\\t \\ud83d\\ude00 \xc3\xa9\","
	     "\"logStreamName\":\"2026/12/06/[$LATEST]abc\",\"timestamp\":1796533200000}]}");
	SAME("elements that are not objects are skipped",
	     "{\"events\":[null,1,\"x\",[],{\"message\":\"kept\"},true,[{\"message\":\"not kept\"}]]}");
	SAME("an empty page with a token", "{\"events\":[],\"nextToken\":\"again\"}");
	SAME("an empty object", "{}");
	SAME("events that are not an array", "{\"events\":null,\"nextToken\":\"t\"}");
	SAME("the last of duplicate members wins",
	     "{\"events\":[{\"message\":\"first\"}],\"nextToken\":\"a\",\"events\":[{\"message\":\"second\"},"
	     "{\"message\":\"third\"}],\"nextToken\":\"b\"}");
	SAME("a nextToken that is not a string reads as none", "{\"nextToken\":\"a\",\"nextToken\":5}");
	SAME("missing fields stay empty", "{\"events\":[{},{\"timestamp\":\"soon\"}]}");

	FAILS("empty", "");
	FAILS("an array", "[{\"events\":[]}]");
	FAILS("trailing bytes", "{\"events\":[]} x");
	FAILS("a trailing comma in events", "{\"events\":[{\"message\":\"a\"},]}");
	FAILS("a trailing comma in the object", "{\"events\":[],}");
	FAILS("a missing comma between events", "{\"events\":[{} {}]}");
	FAILS("an unclosed event", "{\"events\":[{\"message\":\"a\"]}");
	FAILS("invalid UTF-8 in a message", "{\"events\":[{\"message\":\"\xff\"}]}");
	FAILS("invalid UTF-8 in a member name", "{\"\xc3\":1}");
	FAILS("a bad literal", "{\"t\":tru}");
	FAILS("a key without a value", "{\"events\"}");
	FAILS("a key that is not a string", "{events:[]}");
	FAILS("a NUL in a member name", "{\"nextToken\\u0000x\":\"no\"}");
	FAILS("a NUL in a nested member name", "{\"x\":{\"a\\u0000\":1}}");
	FAILS("a raw NUL between members", "{\"events\":[]\0}");
}

/* Every prefix of a page is refused by both. */
static void test_truncated(void)
{
	static const char page[] = "{\"events\":[{\"logStreamName\":\"s\",\"timestamp\":12,\"message\":\"a \\\"b\\\" c\","
				   "\"eventId\":\"1\"},{\"message\":\"d\"}],\"nextToken\":\"t\"}";
	bool all = true;
	size_t at = 0;

	for (size_t n = 0; n < sizeof(page) - 1 && all; n++) {
		struct tt_logs_event_page one, part;
		struct tt_err err;
		int steps, a = tt_logs_parse_events(page, n, &one, &err), b = sliced(page, n, 1, &part, &steps);
		if (a == 0 || b == 0) {
			all = false;
			at = n;
		}
		tt_logs_event_page_clear(&one);
		tt_logs_event_page_clear(&part);
	}
	tap_ok(all, "every truncation of a page is refused by both (first accepted: %zu bytes)", at);
}

/* A page of 10,000 events, as AWS sends at most: the same page, and steps
 * that match the slice size (so the loop gets control back that often). */
static void test_large(void)
{
	struct tt_buf b;
	struct tt_logs_event_page part;
	int steps, rc;

	tt_buf_init(&b, 0);
	tt_buf_puts(&b, "{\"events\":[");
	for (int i = 0; i < 10000; i++)
		tt_buf_printf(&b, "%s{\"logStreamName\":\"s%d\",\"timestamp\":%d,\"message\":\"line %d\\n\","
				  "\"ingestionTime\":%d,\"eventId\":\"%056d\"}",
			      i ? "," : "", i / 100, 1000 + i, i, 1200 + i, i);
	tt_buf_puts(&b, "],\"nextToken\":\"more\"}");
	check_same("10,000 events", b.data, b.len);
	rc = sliced(b.data, b.len, 1000, &part, &steps);
	tap_ok(rc == 0 && part.n == 10000 && steps == 10,
	       "slices of 1,000: 10 steps, each handing control back, the last with the page (%d steps)", steps);
	tt_logs_event_page_clear(&part);
	tt_buf_clear(&b);
}

static void test_misuse(void)
{
	struct tt_logs_events_parser *p = tt_logs_events_parser_new(tt_xstrdup("{\"events\":[}"), 12);
	struct tt_logs_event_page page;
	struct tt_err err;

	tap_ok(tt_logs_events_parser_step(p, 10, &err) == -1 && strstr(err.message, "malformed JSON"),
	       "a malformed page: an error that says so");
	tap_ok(tt_logs_events_parser_step(p, 10, &err) == -1, "... and a step after it fails too");
	tt_logs_events_parser_take(p, &page);
	tap_ok(page.n == 0 && page.events == NULL && page.next_token == NULL, "... nothing to take");
	tt_logs_events_parser_free(&p);
	tap_ok(p == NULL, "free clears the pointer");
	tt_logs_events_parser_free(&p);
}

int main(void)
{
	test_pages();
	test_truncated();
	test_large();
	test_misuse();
	return tap_done();
}
