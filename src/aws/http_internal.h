/* Private to the HTTP engine's files. */
#ifndef TIERTOP_HTTP_INTERNAL_H
#define TIERTOP_HTTP_INTERNAL_H

#include <stdbool.h>
#include <strings.h>

#include "tiertop/http.h"

/* AWS pages are at most a few MB; anything far bigger is a broken or hostile
 * endpoint and must not exhaust memory. */
#define TT_HTTP_DEFAULT_BODY_LIMIT (64u << 20)

struct tt_http_req {
	char *method;
	char *base_url;
	char *path;
	struct tt_http_header *query;
	size_t nquery;
	struct tt_http_header *headers;
	size_t nheaders;
	struct tt_buf body;
	bool has_body;
	struct tt_creds_cache *creds;
	char *signing_name;
	char *region;
	enum tt_proto proto;
	char *label;
	long connect_ms;
	long total_ms;
	int max_attempts;
	bool not_idempotent;
	bool sensitive;
	tt_http_log_filter_fn log_filter;
	bool no_proxy;
	long delay_ms;
	size_t body_limit;
	tt_http_data_fn on_data;
	void *data_ctx;
	long stall_ms;
};

#endif
