/* API Gateway access-log lines: parsing the JSON formats stages use, and
 * matching a line to the Lambda invocation it led to. */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "tiertop/access_log.h"

#define LEN(s) (sizeof(s) - 1)

/* The simulator's REST stage format (strings everywhere, as API Gateway
 * writes "$context.status" inside quotes). */
static const char rest_line[] =
    "{\"requestId\":\"8d0c6ad1-2f1c-4a55-9f7e-3f6f1b8b2a11\",\"ip\":\"203.0.113.7\","
    "\"requestTime\":\"06/Dec/2026:05:10:11 +0000\",\"httpMethod\":\"POST\",\"resourcePath\":\"/feedback\","
    "\"path\":\"/prod/feedback\",\"status\":\"201\",\"protocol\":\"HTTP/1.1\",\"responseLength\":\"57\","
    "\"responseLatency\":\"45\",\"integrationLatency\":\"41\",\"integrationStatus\":\"200\","
    "\"integrationRequestId\":\"0f3b7c2e-1111-4222-8333-944455556666\"}";

static void test_parse(void)
{
	/* AWS's HTTP API example: routeKey, numbers unquoted, no method or path. */
	static const char http_line[] =
	    "{ \"requestId\":\"Ab1cDEFGHIJ=\", \"routeKey\":\"GET /items/{id}\", \"status\":404, "
	    "\"integrationLatency\":12.0, \"awsRequestId\":\"aa-bb\" }";
	static const char no_integration[] =
	    "{\"requestId\":\"r1\",\"httpMethod\":\"GET\",\"path\":\"/x\",\"status\":\"403\","
	    "\"integrationRequestId\":\"-\",\"integrationLatency\":\"-\"}";
	struct tt_access_line l;
	char text[256];
	int rc;

	tap_ok(tt_access_log_parse(rest_line, LEN(rest_line), 1000, &l) == 0, "a REST JSON access line parses");
	tap_str_eq(l.request_id, "8d0c6ad1-2f1c-4a55-9f7e-3f6f1b8b2a11", "API Gateway's request id");
	tap_str_eq(l.lambda_request_id, "0f3b7c2e-1111-4222-8333-944455556666",
		   "the integration request id is the Lambda request id");
	tap_ok(strcmp(l.method, "POST") == 0 && strcmp(l.path, "/prod/feedback") == 0 && l.status == 201 &&
		   l.latency_ms == 45 && l.integration_latency_ms == 41 && l.timestamp_ms == 1000,
	       "method, path (the full one before resourcePath), status and latencies as strings");
	tt_access_log_summary(&l, text, sizeof(text));
	tap_str_eq(text, "POST /prod/feedback 201 45 ms (integration 41 ms)", "the summary a row shows");

	tap_ok(tt_access_log_parse(http_line, LEN(http_line), 0, &l) == 0, "an HTTP API line parses");
	tap_ok(strcmp(l.method, "GET") == 0 && strcmp(l.path, "/items/{id}") == 0 && l.status == 404 &&
		   l.integration_latency_ms == 12 && l.latency_ms == -1,
	       "routeKey gives method and path; numbers may be JSON numbers; a missing latency is -1");
	tap_str_eq(l.lambda_request_id, "aa-bb", "awsRequestId is accepted as the Lambda request id");
	tt_access_log_summary(&l, text, sizeof(text));
	tap_str_eq(text, "GET /items/{id} 404 (integration 12 ms)", "a summary without a response latency");

	tap_ok(tt_access_log_parse(no_integration, LEN(no_integration), 0, &l) == 0 && !l.lambda_request_id[0] &&
		   l.integration_latency_ms == -1 && l.status == 403,
	       "\"-\" (no value) is no value: a request refused before the integration");

	tap_ok(tt_access_log_parse("203.0.113.7 - - [06/Dec/2026] \"POST /x\" 200", 42, 0, &l) == -1,
	       "a CLF line is not read (no JSON)");
	tap_ok(tt_access_log_parse("{\"hello\":1}", 11, 0, &l) == -1, "JSON without status or id is not one");
	tap_ok(tt_access_log_parse("{\"status\":", 10, 0, &l) == -1, "truncated JSON is not one");
	tap_ok(tt_access_log_parse("[1]", 3, 0, &l) == -1, "an array is not one");

	/* Anyone can write the line: a status past INT_MAX must not wrap to
	 * another (4294967496 was read as 200, found with fuzz_log_lines). */
	rc = tt_access_log_parse("{\"status\":4294967496,\"integrationRequestId\":\"x\"}", 48, 0, &l);
	tap_ok(rc == 0 && l.status == -1, "a status out of range is no status (got %d)", l.status);
	tap_ok(tt_access_log_parse("{\"status\":2147483648}", 21, 0, &l) == -1 && l.status == -1,
	       "nor a negative one");
}

static void make(struct tt_access_line *l, const char *lambda_id, int status)
{
	memset(l, 0, sizeof(*l));
	snprintf(l->lambda_request_id, sizeof(l->lambda_request_id), "%s", lambda_id);
	l->status = status;
}

static void test_index(void)
{
	struct tt_access_index *ix = tt_access_index_new(3);
	struct tt_access_line l;
	char id[16];

	tap_ok(tt_access_index_find(ix, "a") == NULL && tt_access_index_find(ix, NULL) == NULL &&
		   tt_access_index_find(ix, "") == NULL,
	       "an empty index finds nothing");
	make(&l, "", 200);
	tt_access_index_add(ix, &l);
	tap_ok(tt_access_index_count(ix) == 0, "a line without a Lambda request id is not kept");
	make(&l, "a", 200);
	tt_access_index_add(ix, &l);
	make(&l, "b", 500);
	tt_access_index_add(ix, &l);
	tap_ok(tt_access_index_find(ix, "b") && tt_access_index_find(ix, "b")->status == 500 &&
		   tt_access_index_find(ix, "a")->status == 200,
	       "each invocation finds its own line");
	tap_ok(tt_access_index_find(ix, "c") == NULL, "an invocation that did not come through the API has none");
	make(&l, "a", 201);
	tt_access_index_add(ix, &l);
	tap_ok(tt_access_index_count(ix) == 2 && tt_access_index_find(ix, "a")->status == 201,
	       "the same line read twice is kept once");
	for (int i = 0; i < 3; i++) {
		snprintf(id, sizeof(id), "n%d", i);
		make(&l, id, 200 + i);
		tt_access_index_add(ix, &l);
	}
	tap_ok(tt_access_index_count(ix) == 3 && tt_access_index_find(ix, "a") == NULL &&
		   tt_access_index_find(ix, "b") == NULL && tt_access_index_find(ix, "n0")->status == 200 &&
		   tt_access_index_find(ix, "n2")->status == 202,
	       "bounded: the oldest lines go first");
	tt_access_index_free(&ix);
	tap_ok(ix == NULL, "free clears the pointer");
	tt_access_index_free(&ix);
}

int main(void)
{
	test_parse();
	test_index();
	return tap_done();
}
