/* The logs view's scrollback: the ring's bounds (lines and bytes), stable
 * sequence numbers, the local filter, search, and what a line says (level,
 * request id, JSON, REPORT). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tiertop/logbuf.h"

static uint64_t add(struct tt_logbuf *b, const char *msg)
{
	return tt_logbuf_add(b, 0, "s", 1000, 1001, msg, strlen(msg));
}

static const char *msg_at(const struct tt_logbuf *b, uint64_t seq)
{
	const struct tt_logline *l = tt_logbuf_get(b, seq);

	return l ? l->message : "(none)";
}

static void test_ring(void)
{
	struct tt_logbuf *b = tt_logbuf_new(3, 0);
	char m[16];

	for (int i = 0; i < 5; i++) {
		snprintf(m, sizeof(m), "line %d", i);
		tap_ok(add(b, m) == (uint64_t)i, "seq %d", i);
	}
	tap_ok(tt_logbuf_count(b) == 3 && tt_logbuf_dropped(b) == 2, "capacity 3: the two oldest dropped, counted");
	tap_ok(tt_logbuf_first(b) == 2 && tt_logbuf_end(b) == 5, "first 2, end 5");
	tap_ok(tt_logbuf_get(b, 1) == NULL && tt_logbuf_get(b, 5) == NULL, "dropped and future seqs: NULL");
	tap_str_eq(msg_at(b, 2), "line 2", "seqs stay stable when the ring turns");
	tap_str_eq(msg_at(b, 4), "line 4", "newest");
	tap_ok(tt_logbuf_shown_count(b) == 3 && tt_logbuf_shown_seq(b, 0) == 2, "no filter: every line shown");
	tap_ok(tt_logbuf_shown_index(b, 3) == 1 && tt_logbuf_shown_index(b, 0) == 0 &&
		       tt_logbuf_shown_index(b, 9) == 3,
	       "shown index of a seq");
	tt_logbuf_clear(b);
	tap_ok(tt_logbuf_count(b) == 0 && tt_logbuf_dropped(b) == 2 && tt_logbuf_end(b) == 5,
	       "clear: empty, dropped count kept, seqs go on");
	tap_ok(add(b, "after") == 5 && tt_logbuf_first(b) == 5, "a line after clear");
	tt_logbuf_free(&b);
	tap_ok(b == NULL, "free NULLs the pointer");
}

static void test_nuls(void)
{
	struct tt_logbuf *b = tt_logbuf_new(0, 0);
	const struct tt_logline *l;
	uint64_t s = tt_logbuf_add(b, 2, "stream-x", 5, 6, "a\0b", 3);

	l = tt_logbuf_get(b, s);
	tap_ok(l && l->message_len == 3 && memcmp(l->message, "a\0b", 3) == 0 && l->message[3] == '\0',
	       "NULs kept, length stored, NUL-terminated too");
	tap_ok(l && l->group == 2 && strcmp(l->stream, "stream-x") == 0 && l->timestamp_ms == 5 &&
		       l->ingestion_ms == 6,
	       "group, stream and times kept");
	tt_logbuf_free(&b);
}

static void test_bytes(void)
{
	struct tt_logbuf *b = tt_logbuf_new(0, 10000);
	char msg[1001];
	size_t with_stream;

	memset(msg, 'x', 1000);
	msg[1000] = '\0';
	for (int i = 0; i < 50; i++)
		add(b, msg);
	tap_ok(tt_logbuf_count(b) >= 8 && tt_logbuf_count(b) <= 9,
	       "byte bound: %zu lines, %zu bytes", tt_logbuf_count(b), tt_logbuf_bytes(b));
	tap_ok(tt_logbuf_dropped(b) == 50 - tt_logbuf_count(b), "what the byte bound pushed out is counted");
	tt_logbuf_free(&b);

	/* 100,000 lines of about 200 bytes, as issue 7 asks: well under 64 MB. */
	b = tt_logbuf_new(0, 0);
	memset(msg, 'y', 200);
	msg[200] = '\0';
	for (int i = 0; i < 150000; i++)
		tt_logbuf_add(b, 0, "2026/12/06/[$LATEST]0123456789abcdef0123456789abcdef", i, i, msg, 200);
	tap_ok(tt_logbuf_count(b) == 100000 && tt_logbuf_dropped(b) == 50000, "default: 100,000 lines kept");
	tap_ok(tt_logbuf_bytes(b) < 40u * 1024 * 1024, "100,000 lines of 200 bytes take %zu MB",
	       tt_logbuf_bytes(b) >> 20);
	with_stream = tt_logbuf_bytes(b);
	tt_logbuf_free(&b);
	b = tt_logbuf_new(0, 0);
	for (int i = 0; i < 150000; i++)
		tt_logbuf_add(b, 0, "", i, i, msg, 200);
	tap_ok(with_stream < tt_logbuf_bytes(b) + 4096,
	       "... their one stream name counted once (%zu bytes; %zu with no stream name)", with_stream,
	       tt_logbuf_bytes(b));
	tt_logbuf_free(&b);
}

/* Stream names are held once per name, not once per line (issue 7's
 * memory measurement), and released with the last line that uses them. */
static void test_streams(void)
{
	struct tt_logbuf *b = tt_logbuf_new(1000, 0);
	const char *name = "2026/12/06/[$LATEST]0123456789abcdef0123456789abcdef";
	const struct tt_logline *l1, *l2;
	uint64_t s1, s2, first;
	char stream[64], msg[200];
	bool all_right = true;
	size_t empty = 0;

	s1 = tt_logbuf_add(b, 0, name, 1, 1, "one", 3);
	s2 = tt_logbuf_add(b, 0, name, 2, 2, "two", 3);
	l1 = tt_logbuf_get(b, s1);
	l2 = tt_logbuf_get(b, s2);
	tap_ok(l1 && l2 && l1->stream == l2->stream && strcmp(l1->stream, name) == 0,
	       "two lines of one stream share its name");
	tt_logbuf_clear(b);

	/* 5,000 streams through a ring of 1,000 lines, twice: names come and go
	 * in the intern table; every line held still reads its own, and the
	 * second round takes no more than the first (names released, reused). */
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 5000; i++) {
			snprintf(stream, sizeof(stream), "2026/12/06/[$LATEST]%032d", (i * 7919) % 5000 / 3);
			snprintf(msg, sizeof(msg), "line %d of %s", i, stream);
			tt_logbuf_add(b, 0, stream, i, i, msg, strlen(msg));
		}
		first = tt_logbuf_first(b);
		for (uint64_t seq = first; seq < tt_logbuf_end(b); seq++) {
			const struct tt_logline *l = tt_logbuf_get(b, seq);
			const char *of = l ? strstr(l->message, " of ") : NULL;
			if (!of || strcmp(of + 4, l->stream) != 0)
				all_right = false;
		}
		tt_logbuf_clear(b);
		if (round == 0)
			empty = tt_logbuf_bytes(b);
	}
	tap_ok(all_right, "every line keeps its stream while names are dropped");
	tap_ok(tt_logbuf_bytes(b) == empty, "a second round takes no more (%zu bytes, then %zu)", empty,
	       tt_logbuf_bytes(b));
	tt_logbuf_free(&b);
}

static void test_filter(void)
{
	struct tt_logbuf *b = tt_logbuf_new(4, 0);
	const char *rid = "8f5e3a8c-1111-2222-3333-444455556666";
	char m[128];

	add(b, "START RequestId: 8f5e3a8c-1111-2222-3333-444455556666 Version: $LATEST");
	add(b, "hello world");
	snprintf(m, sizeof(m), "2026-12-06T00:00:00.000Z\t%s\tINFO\tHello again", rid);
	add(b, m);
	add(b, "other");
	tt_logbuf_set_filter(b, "hello", true, NULL);
	tap_ok(tt_logbuf_shown_count(b) == 2 && tt_logbuf_shown_seq(b, 0) == 1 && tt_logbuf_shown_seq(b, 1) == 2,
	       "substring filter, case-insensitive");
	tap_str_eq(tt_logbuf_filter_text(b), "hello", "filter text kept");
	tt_logbuf_set_filter(b, "hello", false, NULL);
	tap_ok(tt_logbuf_shown_count(b) == 1 && tt_logbuf_shown_seq(b, 0) == 1, "case-sensitive");
	tt_logbuf_set_filter(b, NULL, false, rid);
	tap_ok(tt_logbuf_shown_count(b) == 2 && tt_logbuf_shown_seq(b, 0) == 0 && tt_logbuf_shown_seq(b, 1) == 2,
	       "request id filter");
	add(b, "END RequestId: 8f5e3a8c-1111-2222-3333-444455556666");
	tap_ok(tt_logbuf_shown_count(b) == 2 && tt_logbuf_shown_seq(b, 0) == 2 && tt_logbuf_shown_seq(b, 1) == 4,
	       "kept up to date: the new line joins, the dropped one leaves");
	tap_ok(tt_logbuf_shown_index(b, 3) == 1 && tt_logbuf_shown_index(b, 5) == 2, "shown index with a filter");
	tt_logbuf_set_filter(b, NULL, false, NULL);
	tap_ok(tt_logbuf_shown_count(b) == 4 && tt_logbuf_filter_request_id(b) == NULL, "filter off");
	tt_logbuf_free(&b);
}

static void test_search(void)
{
	struct tt_logbuf *b = tt_logbuf_new(0, 0);

	add(b, "alpha");         /* 0 */
	add(b, "beta Needle");   /* 1 */
	add(b, "gamma");         /* 2 */
	add(b, "needle delta");  /* 3 */
	add(b, "epsilon");       /* 4 */
	tap_ok(tt_logbuf_find(b, 0, 1, "needle", true, true) == 1, "next, case-insensitive");
	tap_ok(tt_logbuf_find(b, 1, 1, "needle", true, true) == 3, "next after a match");
	tap_ok(tt_logbuf_find(b, 3, 1, "needle", true, true) == 1, "wraps around the end");
	tap_ok(tt_logbuf_find(b, 3, 1, "needle", true, false) == -1, "no wrap: none");
	tap_ok(tt_logbuf_find(b, 3, -1, "needle", true, true) == 1, "previous");
	tap_ok(tt_logbuf_find(b, 1, -1, "needle", true, true) == 3, "previous wraps around the start");
	tap_ok(tt_logbuf_find(b, 0, 1, "needle", false, true) == 3, "case-sensitive");
	tap_ok(tt_logbuf_find(b, 0, 1, "zeta", true, true) == -1, "no match");
	tap_ok(tt_logbuf_find(b, 0, 1, "", true, true) == -1, "empty needle: none");
	tap_ok(tt_logbuf_find(b, 2, 1, "gamma", true, true) == 2, "the line itself is tried last");
	tap_ok(tt_logbuf_match("aXbxc", 5, 2, "X", 1, true) == 3, "match from an offset");
	tap_ok(tt_logbuf_match("ab", 2, 0, "abc", 3, false) == -1, "needle longer than the text");
	tt_logbuf_free(&b);
}

static void level_is(const char *msg, enum tt_log_level want)
{
	tap_ok(tt_logbuf_level_of(msg, strlen(msg)) == want, "level %d: %s", (int)want, msg);
}

static void test_level(void)
{
	level_is("ERROR something broke", TT_LOG_ERROR);
	level_is("[ERROR]\t2026-12-06T00:00:00.000Z\tid\tboom", TT_LOG_ERROR);
	level_is("2026-12-06T00:00:00.000Z\tid\tERROR\tInvoke Error", TT_LOG_ERROR);
	level_is("{\"level\":\"error\",\"msg\":\"x\"}", TT_LOG_ERROR);
	level_is("{\"level\": \"ERROR\"}", TT_LOG_ERROR);
	level_is("2026-12-06T00:00:00.000Z 8f5e3a8c-1111-2222-3333-444455556666 Task timed out after 3.00 seconds",
		 TT_LOG_ERROR);
	level_is("WARN disk almost full", TT_LOG_WARN);
	level_is("[WARNING] deprecated", TT_LOG_WARN);
	level_is("{\"level\":\"warn\"}", TT_LOG_WARN);
	level_is("{\"level\":\"info\",\"msg\":\"no ERROR here\"}", TT_LOG_OTHER);
	level_is("ERRORS are not a level; terror neither", TT_LOG_OTHER);
	level_is("all fine", TT_LOG_OTHER);
}

static void rid_is(const char *msg, const char *want)
{
	size_t off = 0, len = 0;
	bool got = tt_logbuf_request_id_of(msg, strlen(msg), &off, &len);
	char buf[128] = "(none)";

	if (got)
		snprintf(buf, sizeof(buf), "%.*s", (int)len, msg + off);
	tap_str_eq(buf, want, msg);
}

static void test_request_id(void)
{
	rid_is("START RequestId: 3604209a-e9a3-11e6-939a-754dd98c7be3 Version: $LATEST",
	       "3604209a-e9a3-11e6-939a-754dd98c7be3");
	rid_is("END RequestId: 3604209a-e9a3-11e6-939a-754dd98c7be3\n", "3604209a-e9a3-11e6-939a-754dd98c7be3");
	rid_is("REPORT RequestId: abc-1\tDuration: 1 ms", "abc-1");
	rid_is("2026-12-06T00:00:00.000Z\t3604209a-e9a3-11e6-939a-754dd98c7be3\tINFO\thi",
	       "3604209a-e9a3-11e6-939a-754dd98c7be3");
	rid_is("[INFO]\t2026-12-06T00:00:00.000Z\t3604209a-e9a3-11e6-939a-754dd98c7be3\thi",
	       "3604209a-e9a3-11e6-939a-754dd98c7be3");
	rid_is("2026-12-06T00:00:00.000Z 3604209a-e9a3-11e6-939a-754dd98c7be3 Task timed out after 3.00 seconds",
	       "3604209a-e9a3-11e6-939a-754dd98c7be3");
	rid_is("{\"timestamp\":\"x\",\"level\":\"INFO\",\"requestId\":\"r-42\",\"message\":\"m\"}", "r-42");
	rid_is("{\"record\": {\"requestId\" : \"r-43\"}}", "r-43");
	rid_is("just a line", "(none)");
	rid_is("a line mentioning 3604209a-e9a3-11e6-939a-754dd98c7be3 late", "(none)");
}

static void test_json(void)
{
	size_t off, len;
	const char *m = "2026-12-06T00:00:00.000Z\tid\tINFO\t{\"a\":1.10}\n";

	tap_ok(tt_logbuf_json_span(m, strlen(m), &off, &len) && len == 10 && memcmp(m + off, "{\"a\":1.10}", 10) == 0,
	       "JSON after a runtime prefix, trailing newline left out");
	m = "[1,2]";
	tap_ok(tt_logbuf_json_span(m, strlen(m), &off, &len) && off == 0 && len == 5, "an array");
	m = "{not json}";
	tap_ok(!tt_logbuf_json_span(m, strlen(m), &off, &len), "braces that do not parse");
	m = "plain";
	tap_ok(!tt_logbuf_json_span(m, strlen(m), &off, &len), "plain text");
}

static void test_report(void)
{
	struct tt_lambda_report r;
	int rc;
	const char *m = "REPORT RequestId: 3604209a-e9a3-11e6-939a-754dd98c7be3\tDuration: 102.25 ms\t"
			"Billed Duration: 103 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t"
			"Init Duration: 250.11 ms\t\n";

	tap_ok(tt_logbuf_parse_report(m, strlen(m), &r) == 0, "a REPORT line parses");
	tap_str_eq(r.request_id, "3604209a-e9a3-11e6-939a-754dd98c7be3", "request id");
	tap_ok(r.duration_ms == 102.25 && r.billed_ms == 103 && r.memory_mb == 128 && r.max_memory_mb == 70,
	       "duration %g, billed %g, memory %ld of %ld", r.duration_ms, r.billed_ms, r.max_memory_mb,
	       r.memory_mb);
	tap_ok(r.init_ms == 250.11 && r.cold_start && !r.timeout, "init duration: a cold start");

	m = "REPORT RequestId: r2\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\t"
	    "Max Memory Used: 40 MB\tStatus: timeout";
	tap_ok(tt_logbuf_parse_report(m, strlen(m), &r) == 0 && r.timeout && !r.cold_start && r.init_ms == 0,
	       "a timeout, warm");

	m = "{\"time\":\"2026-12-06T00:00:00.000Z\",\"type\":\"platform.report\",\"record\":{\"requestId\":\"r3\","
	    "\"metrics\":{\"durationMs\":12.5,\"billedDurationMs\":13,\"memorySizeMB\":256,\"maxMemoryUsedMB\":80,"
	    "\"initDurationMs\":100.5},\"status\":\"timeout\"}}";
	tap_ok(tt_logbuf_parse_report(m, strlen(m), &r) == 0 && strcmp(r.request_id, "r3") == 0 &&
		       r.duration_ms == 12.5 && r.billed_ms == 13 && r.memory_mb == 256 && r.max_memory_mb == 80 &&
		       r.cold_start && r.timeout,
	       "the JSON log format's platform.report");

	/* Anyone can write a log line: sizes out of range must not overflow
	 * (UBSan catches a cast of 1e300 to long). */
	m = "{\"type\":\"platform.report\",\"record\":{\"requestId\":\"r6\","
	    "\"metrics\":{\"durationMs\":1,\"memorySizeMB\":1e300,\"maxMemoryUsedMB\":-5}}}";
	tap_ok(tt_logbuf_parse_report(m, strlen(m), &r) == 0 && r.memory_mb == 0 && r.max_memory_mb == 0,
	       "sizes out of range read as 0");
	/* The same in a text REPORT line (found by fuzz_log_lines). */
	m = "REPORT RequestId: r7\tDuration: 1 ms\tMemory Size: 9e30 MB\tMax Memory Used: inf MB";
	rc = tt_logbuf_parse_report(m, strlen(m), &r);
	tap_ok(rc == 0 && r.memory_mb == 0 && r.max_memory_mb == 0,
	       "sizes out of range read as 0 in a text REPORT too (memory %ld, max %ld)", r.memory_mb,
	       r.max_memory_mb);

	m = "START RequestId: r4 Version: $LATEST";
	tap_ok(tt_logbuf_parse_report(m, strlen(m), &r) == -1, "START is not a REPORT");
	m = "{\"type\":\"platform.start\",\"record\":{\"requestId\":\"r5\"}}";
	tap_ok(tt_logbuf_parse_report(m, strlen(m), &r) == -1, "nor platform.start");
	m = "REPORT RequestId: ";
	tap_ok(tt_logbuf_parse_report(m, strlen(m), &r) == -1, "no request id: not a report");
}

int main(void)
{
	test_ring();
	test_nuls();
	test_bytes();
	test_streams();
	test_filter();
	test_search();
	test_level();
	test_request_id();
	test_json();
	test_report();
	return tap_done();
}
