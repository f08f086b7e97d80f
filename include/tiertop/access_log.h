/* API Gateway access-log lines: reading one (a JSON access-log format, as
 * the console recommends and most stages use) and finding the line that led
 * to a Lambda invocation, matched on the integration request id that the
 * line records ($context.integration.requestId, or $context.
 * awsEndpointRequestId on REST APIs), which for a Lambda integration is the
 * invocation's request id.
 *
 * A format's field names are its owner's choice, so each part is looked for
 * under the names AWS's documented examples and common templates use (see
 * access_log.c); values may be strings (what "$context.status" in quotes
 * becomes) or numbers. A line without a field has "" (or -1 for figures).
 *
 * Ownership: plain structs with fixed buffers, nothing to free except the
 * index (tt_access_index_new / tt_access_index_free). Lines returned by
 * tt_access_index_find are borrowed until the next add or free. */
#ifndef TIERTOP_ACCESS_LOG_H
#define TIERTOP_ACCESS_LOG_H

#include <stddef.h>
#include <stdint.h>

struct tt_access_line {
	int64_t timestamp_ms;
	char request_id[65];        /* API Gateway's own */
	char lambda_request_id[65]; /* the integration's request id, "" when none ("-") */
	char method[16];            /* "POST" (from httpMethod, or a routeKey "POST /x") */
	char path[192];             /* path, else resourcePath, else the routeKey's path */
	int status;                 /* -1 when absent */
	long latency_ms;            /* responseLatency / latency, -1 when absent */
	long integration_latency_ms; /* -1 when absent */
};

/* 0 when msg (len bytes) is a JSON access-log line holding at least a
 * status or an integration request id (out filled), else -1. */
int tt_access_log_parse(const char *msg, size_t len, int64_t timestamp_ms, struct tt_access_line *out);

/* "POST /prod/feedback 200 45 ms (integration 41 ms)": what a row shows. */
void tt_access_log_summary(const struct tt_access_line *l, char *out, size_t size);

/* The most recent access lines that name a Lambda request id, bounded
 * (the oldest go first), looked up by that id. */
struct tt_access_index;
struct tt_access_index *tt_access_index_new(size_t max_lines);
void tt_access_index_free(struct tt_access_index **ix);
/* Copies l in when it names a Lambda request id; a repeated one (the same
 * line read twice) replaces the earlier. */
void tt_access_index_add(struct tt_access_index *ix, const struct tt_access_line *l);
const struct tt_access_line *tt_access_index_find(const struct tt_access_index *ix, const char *lambda_request_id);
size_t tt_access_index_count(const struct tt_access_index *ix);

#endif
