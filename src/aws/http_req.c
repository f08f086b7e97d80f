/* Building requests: plain data until tt_http_submit hands them over. */
#include <stdlib.h>
#include <string.h>

#include "http_internal.h"
#include "tiertop/xalloc.h"

struct tt_http_req *tt_http_req_new(const char *method, const char *base_url, const char *path)
{
	struct tt_http_req *req = tt_xcalloc(1, sizeof(*req));

	req->method = tt_xstrdup(method);
	req->base_url = tt_xstrdup(base_url);
	req->path = tt_xstrdup(path && *path ? path : "/");
	tt_buf_init(&req->body, 0);
	req->body_limit = TT_HTTP_DEFAULT_BODY_LIMIT;
	return req;
}

static void free_pairs(struct tt_http_header *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(h[i].name);
		tt_free_secret(h[i].value);
	}
	free(h);
}

void tt_http_req_free(struct tt_http_req **reqp)
{
	struct tt_http_req *req = *reqp;

	if (!req)
		return;
	free(req->method);
	free(req->base_url);
	free(req->path);
	free_pairs(req->query, req->nquery);
	free_pairs(req->headers, req->nheaders);
	tt_buf_clear_secret(&req->body);
	free(req->signing_name);
	free(req->region);
	free(req->label);
	free(req);
	*reqp = NULL;
}

static void add_pair(struct tt_http_header **list, size_t *n, const char *name, const char *value)
{
	*list = tt_xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[*n].name = tt_xstrdup(name);
	(*list)[*n].value = tt_xstrdup(value ? value : "");
	(*n)++;
}

void tt_http_req_query(struct tt_http_req *req, const char *key, const char *value)
{
	add_pair(&req->query, &req->nquery, key, value);
}

void tt_http_req_header(struct tt_http_req *req, const char *name, const char *value)
{
	add_pair(&req->headers, &req->nheaders, name, value);
}

void tt_http_req_body(struct tt_http_req *req, const void *data, size_t len)
{
	tt_buf_reset(&req->body);
	tt_buf_append(&req->body, data, len);
	req->has_body = true;
}

void tt_http_req_sign(struct tt_http_req *req, struct tt_creds_cache *creds,
		      const char *signing_name, const char *region)
{
	free(req->signing_name);
	free(req->region);
	req->creds = creds;
	req->signing_name = tt_xstrdup(signing_name);
	req->region = tt_xstrdup(region);
}

void tt_http_req_proto(struct tt_http_req *req, enum tt_proto proto)
{
	req->proto = proto;
}

void tt_http_req_label(struct tt_http_req *req, const char *label)
{
	free(req->label);
	req->label = tt_xstrdup(label);
}

void tt_http_req_timeouts(struct tt_http_req *req, long connect_ms, long total_ms)
{
	req->connect_ms = connect_ms;
	req->total_ms = total_ms;
}

void tt_http_req_attempts(struct tt_http_req *req, int max_attempts)
{
	req->max_attempts = max_attempts;
}

void tt_http_req_not_idempotent(struct tt_http_req *req)
{
	req->not_idempotent = true;
}

void tt_http_req_sensitive(struct tt_http_req *req)
{
	req->sensitive = true;
}

void tt_http_req_log_filter(struct tt_http_req *req, tt_http_log_filter_fn filter)
{
	req->log_filter = filter;
}

void tt_http_req_delay(struct tt_http_req *req, long ms)
{
	req->delay_ms = ms;
}

void tt_http_req_no_proxy(struct tt_http_req *req)
{
	req->no_proxy = true;
}

void tt_http_req_body_limit(struct tt_http_req *req, size_t max_bytes)
{
	req->body_limit = max_bytes;
}

const char *tt_http_resp_header(const struct tt_http_resp *resp, const char *name)
{
	if (!resp)
		return NULL;
	for (size_t i = 0; i < resp->nheaders; i++)
		if (strcasecmp(resp->headers[i].name, name) == 0)
			return resp->headers[i].value;
	return NULL;
}

void tt_http_req_stream(struct tt_http_req *req, tt_http_data_fn on_data, void *ctx, long stall_ms)
{
	req->on_data = on_data;
	req->data_ctx = ctx;
	req->stall_ms = stall_ms > 0 ? stall_ms : 30000;
}
