/* CloudWatch calls: batching, pages, the JSON-to-query fallback, merging. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cw_internal.h"
#include "tiertop/err.h"
#include "tiertop/log.h"
#include "tiertop/xalloc.h"

#define MAX_QUERY_ENDPOINTS 16

static unsigned long metrics_requested;
/* Endpoints that turned out to speak only awsQuery, for the rest of the run. */
static char *query_endpoints[MAX_QUERY_ENDPOINTS];

unsigned long tt_cw_metrics_requested(void)
{
	return metrics_requested;
}

static char *endpoint_key(const struct tt_aws *aws)
{
	struct tt_endpoint ep;
	struct tt_err ignored;
	char *key;

	if (tt_endpoint_resolve(aws->cfg, aws->profile, TT_SVC_CLOUDWATCH, aws->region, aws->cli_endpoint_url,
				&ep, &ignored))
		return tt_xstrdup("");
	key = tt_xstrdup(ep.url);
	tt_endpoint_free(&ep);
	return key;
}

static bool endpoint_wants_query(const char *key)
{
	for (size_t i = 0; i < MAX_QUERY_ENDPOINTS && query_endpoints[i]; i++)
		if (strcmp(query_endpoints[i], key) == 0)
			return true;
	return false;
}

static void remember_query_endpoint(const char *key)
{
	for (size_t i = 0; i < MAX_QUERY_ENDPOINTS; i++) {
		if (!query_endpoints[i]) {
			query_endpoints[i] = tt_xstrdup(key);
			return;
		}
	}
}

/* An endpoint that does not speak JSON answers a JSON request with an error
 * that is not a JSON error: XML, HTML, or an "unknown operation/action" code.
 * A JSON error body (a real validation error) is an answer, not a hint. */
static bool lacks_json_protocol(const struct tt_http_resp *resp, const struct tt_err *err)
{
	static const char *const codes[] = {"UnknownOperationException", "UnknownOperation", "InvalidAction",
					    "MissingAction", "InvalidQueryParameter", "UnsupportedProtocol", NULL};
	json_t *body;
	bool json;

	if (!resp || resp->status < 400 || resp->status >= 500)
		return false;
	for (size_t i = 0; codes[i]; i++)
		if (strcmp(err->code, codes[i]) == 0)
			return true;
	body = json_loadb(resp->body.data, resp->body.len, 0, NULL);
	json = json_is_object(body);
	json_decref(body);
	return !json;
}

static struct tt_http_req *cw_request(const struct tt_aws *aws, bool query, const char *op, char *body,
				      struct tt_err *err)
{
	struct tt_http_req *req = tt_aws_req_new(aws, TT_SVC_CLOUDWATCH, "POST", "/", err);
	char *label = tt_xasprintf("cloudwatch %s%s", op, query ? " (query protocol)" : "");

	if (req) {
		tt_http_req_label(req, label);
		if (query) {
			tt_http_req_proto(req, TT_PROTO_QUERY);
			tt_http_req_header(req, "Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
		} else {
			char *target = tt_xasprintf("GraniteServiceVersion20100801.%s", op);
			tt_http_req_header(req, "Content-Type", "application/x-amz-json-1.0");
			tt_http_req_header(req, "X-Amz-Target", target);
			tt_http_req_header(req, "x-amzn-query-mode", "true");
			free(target);
		}
		tt_http_req_body(req, body, strlen(body));
	}
	free(label);
	free(body);
	return req;
}

/* --- GetMetricData ------------------------------------------------------------ */

struct owned_query {
	struct tt_cw_query q;
	char *strings[4 + 2 * TT_CW_MAX_DIMS + 3];
	size_t nstrings;
};

struct gmd_call {
	struct tt_aws aws;
	char *endpoint;
	struct owned_query *queries;
	size_t nq;
	struct tt_cw_query *plain;     /* views of queries, for the wire code */
	time_t start, end;
	size_t batch;                  /* first query of the batch in flight */
	char *token;
	bool query;
	struct cw_series *acc;
	size_t nacc;
	int calls;
	tt_cw_data_fn done;
	void *ctx;
};

static const char *keep(struct owned_query *o, const char *s)
{
	char *copy;

	if (!s)
		return NULL;
	copy = tt_xstrdup(s);
	o->strings[o->nstrings++] = copy;
	return copy;
}

static void copy_query(struct owned_query *o, const struct tt_cw_query *q)
{
	o->q = *q;
	o->q.id = keep(o, q->id);
	o->q.namespace_ = keep(o, q->namespace_);
	o->q.metric = keep(o, q->metric);
	o->q.stat = keep(o, q->stat);
	o->q.expression = keep(o, q->expression);
	o->q.label = keep(o, q->label);
	for (size_t i = 0; i < q->ndims && i < TT_CW_MAX_DIMS; i++) {
		o->q.dims[i].name = keep(o, q->dims[i].name);
		o->q.dims[i].value = keep(o, q->dims[i].value);
	}
}

static void gmd_free(struct gmd_call *c)
{
	for (size_t i = 0; i < c->nq; i++)
		for (size_t k = 0; k < c->queries[i].nstrings; k++)
			free(c->queries[i].strings[k]);
	for (size_t i = 0; i < c->nacc; i++)
		cw_series_free(&c->acc[i]);
	free(c->acc);
	free(c->queries);
	free(c->plain);
	free(c->token);
	free(c->endpoint);
	free(c);
}

static struct cw_series *series_for(struct gmd_call *c, const char *id)
{
	for (size_t i = 0; i < c->nacc; i++)
		if (strcmp(c->acc[i].id, id) == 0)
			return &c->acc[i];
	c->acc = tt_xrealloc(c->acc, (c->nacc + 1) * sizeof(*c->acc));
	memset(&c->acc[c->nacc], 0, sizeof(*c->acc));
	c->acc[c->nacc].id = tt_xstrdup(id);
	return &c->acc[c->nacc++];
}

/* Pages of one batch may split a series; later pages append to it. */
static void merge_page(struct gmd_call *c, struct cw_page *page)
{
	for (size_t i = 0; i < page->n; i++) {
		struct cw_series *from = &page->series[i], *to = series_for(c, from->id);
		if (!to->label && from->label)
			to->label = tt_xstrdup(from->label);
		if (from->status) {
			free(to->status);
			to->status = tt_xstrdup(from->status);
		}
		for (size_t k = 0; k < from->n; k++)
			cw_series_push(to, from->ts[k], from->v[k]);
	}
}

static void sort_series(struct cw_series *s)
{
	/* Insertion sort: pages come nearly ordered already. */
	for (size_t i = 1; i < s->n; i++) {
		time_t t = s->ts[i];
		double v = s->v[i];
		size_t j = i;
		for (; j > 0 && s->ts[j - 1] > t; j--) {
			s->ts[j] = s->ts[j - 1];
			s->v[j] = s->v[j - 1];
		}
		s->ts[j] = t;
		s->v[j] = v;
	}
}

static void gmd_finish(struct gmd_call *c, const struct tt_err *err)
{
	struct tt_cw_series *out = NULL;
	struct tt_cw_data data = {0};

	if (!err) {
		out = tt_xcalloc(c->nacc + 1, sizeof(*out));
		for (size_t i = 0; i < c->nacc; i++) {
			struct cw_series *s = &c->acc[i];
			sort_series(s);
			out[i] = (struct tt_cw_series){s->id, s->label ? s->label : s->id,
						       s->status ? s->status : "Complete", s->n, s->ts, s->v};
		}
		data = (struct tt_cw_data){out, c->nacc, c->calls, c->query};
	}
	c->done(c->ctx, err ? NULL : &data, err);
	free(out);
	gmd_free(c);
}

static size_t batch_size(const struct gmd_call *c)
{
	size_t left = c->nq - c->batch;

	return left < TT_CW_MAX_QUERIES ? left : TT_CW_MAX_QUERIES;
}

static void gmd_send(struct gmd_call *c);

static void gmd_answer(void *ctx, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct gmd_call *c = ctx;
	struct cw_page page = {0};
	struct tt_err perr;
	int rc;

	if (err && !c->query && lacks_json_protocol(resp, err)) {
		tt_log_printf("cloudwatch: %s does not speak JSON; using the query protocol", c->endpoint);
		remember_query_endpoint(c->endpoint);
		c->query = true;
		gmd_send(c);
		return;
	}
	if (err) {
		gmd_finish(c, err);
		return;
	}
	rc = c->query ? cw_gmd_parse_xml(resp->body.data, resp->body.len, &page, &perr)
		      : cw_gmd_parse_json(resp->body.data, resp->body.len, &page, &perr);
	if (rc) {
		gmd_finish(c, &perr);
		return;
	}
	merge_page(c, &page);
	free(c->token);
	c->token = page.next_token;
	page.next_token = NULL;
	cw_page_free(&page);
	if (!c->token)
		c->batch += batch_size(c);
	if (c->batch < c->nq)
		gmd_send(c);
	else
		gmd_finish(c, NULL);
}

static void gmd_send(struct gmd_call *c)
{
	size_t n = batch_size(c);
	const struct tt_cw_query *q = c->plain + c->batch;
	char *body = c->query ? cw_gmd_query(q, n, c->start, c->end, c->token)
			      : cw_gmd_json(q, n, c->start, c->end, c->token);
	struct tt_err err;
	struct tt_http_req *req = cw_request(&c->aws, c->query, "GetMetricData", body, &err);

	if (!req) {
		gmd_finish(c, &err);
		return;
	}
	for (size_t i = 0; i < n; i++)
		metrics_requested += !q[i].expression;
	c->calls++;
	tt_http_submit(c->aws.http, req, gmd_answer, c);
}

int tt_cw_get_metric_data(const struct tt_aws *aws, const struct tt_cw_query *queries, size_t n,
			  time_t start, time_t end, tt_cw_data_fn done, void *ctx, struct tt_err *err)
{
	struct gmd_call *c;

	if (n == 0)
		return tt_err_set(err, TT_ERR_FAILURE, "GetMetricData needs at least one query");
	c = tt_xcalloc(1, sizeof(*c));
	c->aws = *aws;
	c->endpoint = endpoint_key(aws);
	c->query = endpoint_wants_query(c->endpoint);
	c->queries = tt_xcalloc(n, sizeof(*c->queries));
	c->plain = tt_xcalloc(n, sizeof(*c->plain));
	for (size_t i = 0; i < n; i++) {
		copy_query(&c->queries[i], &queries[i]);
		c->plain[i] = c->queries[i].q;
	}
	c->nq = n;
	c->start = start;
	c->end = end;
	c->done = done;
	c->ctx = ctx;
	gmd_send(c);
	return 0;
}

/* --- DescribeAlarms ---------------------------------------------------------------- */

struct alarms_call {
	struct tt_aws aws;
	char *endpoint;
	char *prefix;
	bool query;
	struct cw_alarm_list list;
	tt_cw_alarms_fn done;
	void *ctx;
};

static void alarms_finish(struct alarms_call *c, const struct tt_err *err)
{
	struct tt_cw_alarm *views = cw_alarm_views(&c->list);
	struct tt_cw_alarms out = {views, c->list.n};

	c->done(c->ctx, err ? NULL : &out, err);
	free(views);
	cw_alarm_list_free(&c->list);
	free(c->prefix);
	free(c->endpoint);
	free(c);
}

static void alarms_send(struct alarms_call *c);

static void alarms_answer(void *ctx, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct alarms_call *c = ctx;
	struct tt_err perr;
	int rc;

	if (err && !c->query && lacks_json_protocol(resp, err)) {
		remember_query_endpoint(c->endpoint);
		c->query = true;
		alarms_send(c);
		return;
	}
	if (err) {
		alarms_finish(c, err);
		return;
	}
	rc = c->query ? cw_alarms_parse_xml(resp->body.data, resp->body.len, &c->list, &perr)
		      : cw_alarms_parse_json(resp->body.data, resp->body.len, &c->list, &perr);
	if (rc)
		alarms_finish(c, &perr);
	else if (c->list.next_token)
		alarms_send(c);
	else
		alarms_finish(c, NULL);
}

static void alarms_send(struct alarms_call *c)
{
	char *body = c->query ? cw_alarms_query(c->prefix, c->list.next_token)
			      : cw_alarms_json(c->prefix, c->list.next_token);
	struct tt_err err;
	struct tt_http_req *req = cw_request(&c->aws, c->query, "DescribeAlarms", body, &err);

	if (!req) {
		alarms_finish(c, &err);
		return;
	}
	tt_http_submit(c->aws.http, req, alarms_answer, c);
}

int tt_cw_describe_alarms(const struct tt_aws *aws, const char *prefix, tt_cw_alarms_fn done, void *ctx,
			  struct tt_err *err)
{
	struct alarms_call *c = tt_xcalloc(1, sizeof(*c));

	(void)err;
	c->aws = *aws;
	c->endpoint = endpoint_key(aws);
	c->query = endpoint_wants_query(c->endpoint);
	c->prefix = prefix ? tt_xstrdup(prefix) : NULL;
	c->done = done;
	c->ctx = ctx;
	alarms_send(c);
	return 0;
}
