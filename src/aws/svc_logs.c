/* CloudWatch Logs request/response calls (svc_logs.h): build the JSON
 * body, submit, parse the answer, call back once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logs_internal.h"
#include "tiertop/err.h"
#include "tiertop/str.h"
#include "tiertop/xalloc.h"

#define TARGET_PREFIX "Logs_20140328."

struct logs_call {
	const char *op;
	void *ctx;
	tt_logs_groups_fn groups;
	tt_logs_events_fn events;
	tt_logs_raw_fn raw;
};

static char *prefixed_url(const char *url, const char *prefix)
{
	const char *host = strstr(url, "://");

	if (!host)
		return tt_xstrdup(url);
	host += 3;
	return tt_xasprintf("%.*s%s%s", (int)(host - url), url, prefix, host);
}

/* As tt_aws_req_new, with the model's hostPrefix. Only the default endpoint
 * gets it: an emulator on 127.0.0.1 has no "stream-" name to resolve. */
static struct tt_http_req *prefixed_request(const struct tt_aws *aws, const char *prefix, struct tt_err *err)
{
	struct tt_endpoint ep;
	struct tt_http_req *req;
	char *url, *base, *path;

	if (tt_endpoint_resolve(aws->cfg, aws->profile, TT_SVC_LOGS, aws->region, aws->cli_endpoint_url, &ep,
	                        err))
		return NULL;
	if (ep.custom) {
		tt_endpoint_clear(&ep);
		return tt_aws_req_new(aws, TT_SVC_LOGS, "POST", "/", err);
	}
	url = prefixed_url(ep.url, prefix);
	base = tt_xstrndup(url, strlen(url) - strlen(ep.base_path));
	path = tt_xasprintf("%s/", ep.base_path);
	req = tt_http_req_new("POST", base, path);
	tt_http_req_proto(req, TT_PROTO_JSON);
	if (aws->creds)
		tt_http_req_sign(req, aws->creds, tt_service_info(TT_SVC_LOGS)->signing_name,
		                 ep.signing_region);
	free(url);
	free(base);
	free(path);
	tt_endpoint_clear(&ep);
	return req;
}

struct tt_http_req *logs_request(const struct tt_aws *aws, const char *op, json_t *body,
                                 const char *host_prefix, struct tt_err *err)
{
	struct tt_http_req *req = host_prefix ? prefixed_request(aws, host_prefix, err)
	                                      : tt_aws_req_new(aws, TT_SVC_LOGS, "POST", "/", err);
	char label[80], target[80];
	char *text = json_dumps(body, JSON_COMPACT);

	json_decref(body);
	if (req) {
		snprintf(label, sizeof(label), "logs %s", op);
		snprintf(target, sizeof(target), TARGET_PREFIX "%s", op);
		tt_http_req_label(req, label);
		tt_http_req_header(req, "X-Amz-Target", target);
		tt_http_req_header(req, "Content-Type", "application/x-amz-json-1.1");
		tt_http_req_body(req, text, strlen(text));
	}
	free(text);
	return req;
}

static int submit(const struct tt_aws *aws, struct logs_call *call, json_t *body, tt_http_done_fn done,
                  long *id, struct tt_err *err)
{
	struct tt_http_req *req = logs_request(aws, call->op, body, NULL, err);
	long rid;

	if (!req) {
		free(call);
		return -1;
	}
	rid = tt_http_submit_id(aws->http, req, done, call);
	if (id)
		*id = rid;
	return 0;
}

static struct logs_call *call_new(const char *op, void *ctx)
{
	struct logs_call *call = tt_xcalloc(1, sizeof(*call));

	call->op = op;
	call->ctx = ctx;
	return call;
}

/* Says which call could not read its answer. */
static void prefix_parse_error(struct tt_err *perr, const struct logs_call *call)
{
	tt_err_prefix(perr, "logs %s", call->op);
}

/* --- request members ------------------------------------------------------- */

static void set_str(json_t *o, const char *key, const char *value)
{
	if (value && *value)
		json_object_set_new(o, key, json_string(value));
}

static void set_int(json_t *o, const char *key, int64_t value)
{
	if (value > 0)
		json_object_set_new(o, key, json_integer((json_int_t)value));
}

static void set_list(json_t *o, const char *key, const char *const *items, size_t n)
{
	json_t *a;

	if (!items || n == 0)
		return;
	a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(items[i]));
	json_object_set_new(o, key, a);
}

/* An ARN goes in logGroupIdentifier (cross-account, or from Live Tail's
 * list); a name in logGroupName. The API takes exactly one of them. */
static void set_group(json_t *o, const char *group)
{
	set_str(o, tt_str_starts_with(group, "arn:") ? "logGroupIdentifier" : "logGroupName", group);
}

/* --- DescribeLogGroups ----------------------------------------------------- */

static void groups_answer(void *ctx, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct logs_call *call = ctx;
	struct tt_logs_group_page page;
	struct tt_err perr;

	memset(&page, 0, sizeof(page));
	if (err) {
		call->groups(call->ctx, NULL, err);
	} else if (tt_logs_parse_groups(resp->body.data, resp->body.len, &page, &perr)) {
		prefix_parse_error(&perr, call);
		call->groups(call->ctx, NULL, &perr);
	} else {
		call->groups(call->ctx, &page, NULL);
	}
	tt_logs_group_page_clear(&page);
	free(call);
}

int tt_logs_describe_groups(const struct tt_aws *aws, const char *prefix, const char *next_token, int limit,
                            tt_logs_groups_fn done, void *ctx, long *id, struct tt_err *err)
{
	struct logs_call *call = call_new("DescribeLogGroups", ctx);
	json_t *body = json_object();

	set_str(body, "logGroupNamePrefix", prefix);
	set_str(body, "nextToken", next_token);
	set_int(body, "limit", limit);
	call->groups = done;
	return submit(aws, call, body, groups_answer, id, err);
}

/* --- FilterLogEvents ------------------------------------------------------- */

static void events_answer(void *ctx, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct logs_call *call = ctx;
	struct tt_logs_event_page page;
	struct tt_err perr;

	memset(&page, 0, sizeof(page));
	if (err) {
		call->events(call->ctx, NULL, err);
	} else if (tt_logs_parse_events(resp->body.data, resp->body.len, &page, &perr)) {
		prefix_parse_error(&perr, call);
		call->events(call->ctx, NULL, &perr);
	} else {
		call->events(call->ctx, &page, NULL);
	}
	tt_logs_event_page_clear(&page);
	free(call);
}

static json_t *filter_body(const struct tt_logs_filter *in)
{
	json_t *body = json_object();

	set_group(body, in->group);
	set_list(body, "logStreamNames", in->streams, in->nstreams);
	set_str(body, "logStreamNamePrefix", in->stream_prefix);
	set_int(body, "startTime", in->start_ms);
	set_int(body, "endTime", in->end_ms);
	set_str(body, "filterPattern", in->pattern);
	set_int(body, "limit", in->limit);
	set_str(body, "nextToken", in->next_token);
	return body;
}

int tt_logs_filter_events(const struct tt_aws *aws, const struct tt_logs_filter *in, tt_logs_events_fn done,
                          void *ctx, long *id, struct tt_err *err)
{
	struct logs_call *call = call_new("FilterLogEvents", ctx);

	call->events = done;
	return submit(aws, call, filter_body(in), events_answer, id, err);
}

/* logs: the answer handed over as it came, for a parse in slices. */
static void raw_answer(void *ctx, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct logs_call *call = ctx;
	char *copy;

	if (err) {
		call->raw(call->ctx, NULL, 0, err);
	} else {
		copy = tt_xmalloc(resp->body.len + 1);
		if (resp->body.len)
			memcpy(copy, resp->body.data, resp->body.len);
		copy[resp->body.len] = '\0';
		call->raw(call->ctx, copy, resp->body.len, NULL);
	}
	free(call);
}

int tt_logs_filter_events_raw(const struct tt_aws *aws, const struct tt_logs_filter *in, tt_logs_raw_fn done,
                              void *ctx, long *id, struct tt_err *err)
{
	struct logs_call *call = call_new("FilterLogEvents", ctx);

	call->raw = done;
	return submit(aws, call, filter_body(in), raw_answer, id, err);
}
