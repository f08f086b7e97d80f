/* CloudWatch calls: batching, pages, the JSON-to-query fallback, merging. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cw_internal.h"
#include "tiertop/err.h"
#include "tiertop/log.h"
#include "tiertop/xalloc.h"

#define MAX_ENDPOINTS 16

enum cw_proto { CW_UNKNOWN, CW_JSON, CW_QUERY };

/* What each endpoint turned out to speak, for the rest of the run. */
static struct {
	char *url;
	enum cw_proto proto;
} endpoints[MAX_ENDPOINTS];

/* The endpoint URL (the key of what it speaks) and whether the user set it;
 * *url is the caller's to free. */
static void endpoint_of(const struct tt_aws *aws, char **url, bool *custom)
{
	struct tt_endpoint ep;
	struct tt_err ignored;

	*url = tt_xstrdup("");
	*custom = false;
	if (tt_endpoint_resolve(aws->cfg, aws->profile, TT_SVC_CLOUDWATCH, aws->region, aws->cli_endpoint_url,
				&ep, &ignored))
		return;
	free(*url);
	*url = tt_xstrdup(ep.url);
	*custom = ep.custom;
	tt_endpoint_clear(&ep);
}

static enum cw_proto endpoint_proto(const char *url)
{
	for (size_t i = 0; i < MAX_ENDPOINTS && endpoints[i].url; i++)
		if (strcmp(endpoints[i].url, url) == 0)
			return endpoints[i].proto;
	return CW_UNKNOWN;
}

static void remember_proto(const char *url, enum cw_proto proto)
{
	for (size_t i = 0; i < MAX_ENDPOINTS; i++) {
		if (!endpoints[i].url)
			endpoints[i].url = tt_xstrdup(url);
		if (strcmp(endpoints[i].url, url) == 0) {
			/* Query is final: a late JSON success of a call sent before the switch changes nothing. */
			if (endpoints[i].proto != CW_QUERY)
				endpoints[i].proto = proto;
			return;
		}
	}
}

static bool body_is_json(const struct tt_http_resp *resp)
{
	json_t *body = json_loadb(resp->body.data, resp->body.len, 0, NULL);
	bool json = json_is_object(body);

	json_decref(body);
	return json;
}

/* An endpoint that does not speak JSON answers a JSON request with an error
 * that is not a JSON error: XML, HTML, or an "unknown operation/action" code.
 * A JSON error body (a real validation error) is an answer, not a hint.
 * Emulators that only speak the query protocol may answer with a 500 and a
 * page of HTML (no error code at all): on an endpoint the user set whose
 * protocol is not known yet, that is read as the same hint. */
static bool lacks_json_protocol(const struct tt_http_resp *resp, const struct tt_err *err, bool probing)
{
	static const char *const codes[] = {"UnknownOperationException", "UnknownOperation", "InvalidAction",
					    "MissingAction", "InvalidQueryParameter", "UnsupportedProtocol", NULL};

	if (!resp || resp->status < 400)
		return false;
	if (resp->status >= 500)
		return probing && !body_is_json(resp);
	for (size_t i = 0; codes[i]; i++)
		if (strcmp(err->code, codes[i]) == 0)
			return true;
	return !body_is_json(resp);
}

/* A probe is tried once, so a failure that is worth retrying (throttling,
 * a JSON 5xx, the network) is sent again with the usual retries. */
static bool worth_resending(const struct tt_http_resp *resp, const struct tt_err *err)
{
	return !resp || resp->status >= 500 || resp->status == 429 || strstr(err->code, "Throttl") != NULL;
}

/* The first JSON call to a custom endpoint is a probe of what it speaks: one
 * try, so that an emulator's 500 is not retried three times. */
static bool is_probe(bool custom, const char *url)
{
	return custom && endpoint_proto(url) == CW_UNKNOWN;
}

static struct tt_http_req *cw_request(const struct tt_aws *aws, bool query, bool probe, const char *op,
				      char *body, struct tt_err *err)
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
		if (probe)
			tt_http_req_attempts(req, 1);
	}
	free(label);
	free(body);
	return req;
}

/* --- GetMetricData ------------------------------------------------------------ */

#define CW_DAY 86400

int tt_cw_period_for(time_t start, time_t now, int period)
{
	time_t age = now - start;
	int step = age > 63 * CW_DAY ? 3600 : age > 15 * CW_DAY ? 300 : 0;

	/* Sub-minute periods are high-resolution data, kept only for 3 hours. */
	if (step == 0 || period <= 0 || period % step == 0)
		return period;
	return (period / step + 1) * step;
}

struct owned_query {
	struct tt_cw_query q;
	char *strings[4 + 2 * TT_CW_MAX_DIMS + 3];
	size_t nstrings;
};

struct gmd_call {
	struct tt_aws aws;
	char *endpoint;
	bool custom;
	bool probe;                    /* the request in flight is a probe */
	bool resent;                   /* a failed probe was sent again */
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
		cw_series_clear(&c->acc[i]);
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

static void gmd_send(struct gmd_call *c, bool count);

/* A try that only found out the protocol costs nothing and is no call. */
static void gmd_uncount(struct gmd_call *c)
{
	c->calls--;
}

static void gmd_answer(void *ctx, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct gmd_call *c = ctx;
	struct cw_page page = {0};
	struct tt_err perr;
	int rc;

	if (err && !c->query && lacks_json_protocol(resp, err, c->probe)) {
		tt_log_printf("cloudwatch: %s does not speak JSON (HTTP %ld); using the query protocol", c->endpoint,
			      resp->status);
		remember_proto(c->endpoint, CW_QUERY);
		c->query = true;
		gmd_uncount(c);
		gmd_send(c, true);
		return;
	}
	if (err && c->probe && worth_resending(resp, err)) {
		c->resent = true;
		gmd_send(c, false);
		return;
	}
	if (err) {
		gmd_finish(c, err);
		return;
	}
	if (!c->query)
		remember_proto(c->endpoint, CW_JSON);
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
	cw_page_clear(&page);
	if (!c->token)
		c->batch += batch_size(c);
	if (c->batch < c->nq)
		gmd_send(c, true);
	else
		gmd_finish(c, NULL);
}

/* count is false when the request repeats one already counted. */
static void gmd_send(struct gmd_call *c, bool count)
{
	size_t n = batch_size(c);
	const struct tt_cw_query *q = c->plain + c->batch;
	char *body = c->query ? cw_gmd_query(q, n, c->start, c->end, c->token)
			      : cw_gmd_json(q, n, c->start, c->end, c->token);
	struct tt_err err;
	struct tt_http_req *req;

	c->probe = !c->query && !c->resent && is_probe(c->custom, c->endpoint);
	req = cw_request(&c->aws, c->query, c->probe, "GetMetricData", body, &err);
	if (!req) {
		gmd_finish(c, &err);
		return;
	}
	if (count)
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
	endpoint_of(aws, &c->endpoint, &c->custom);
	c->query = endpoint_proto(c->endpoint) == CW_QUERY;
	c->queries = tt_xcalloc(n, sizeof(*c->queries));
	c->plain = tt_xcalloc(n, sizeof(*c->plain));
	for (size_t i = 0; i < n; i++) {
		copy_query(&c->queries[i], &queries[i]);
		c->queries[i].q.period = tt_cw_period_for(start, tt_http_now(aws->http), queries[i].period);
		c->plain[i] = c->queries[i].q;
	}
	c->nq = n;
	c->start = start;
	c->end = end;
	c->done = done;
	c->ctx = ctx;
	gmd_send(c, true);
	return 0;
}

/* --- DescribeAlarms ---------------------------------------------------------------- */

struct alarms_call {
	struct tt_aws aws;
	char *endpoint;
	bool custom;
	bool probe;
	bool resent;
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
	cw_alarm_list_clear(&c->list);
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

	if (err && !c->query && lacks_json_protocol(resp, err, c->probe)) {
		tt_log_printf("cloudwatch: %s does not speak JSON (HTTP %ld); using the query protocol", c->endpoint,
			      resp->status);
		remember_proto(c->endpoint, CW_QUERY);
		c->query = true;
		alarms_send(c);
		return;
	}
	if (err && c->probe && worth_resending(resp, err)) {
		c->resent = true;
		alarms_send(c);
		return;
	}
	if (err) {
		alarms_finish(c, err);
		return;
	}
	if (!c->query)
		remember_proto(c->endpoint, CW_JSON);
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
	struct tt_http_req *req;

	c->probe = !c->query && !c->resent && is_probe(c->custom, c->endpoint);
	req = cw_request(&c->aws, c->query, c->probe, "DescribeAlarms", body, &err);
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
	endpoint_of(aws, &c->endpoint, &c->custom);
	c->query = endpoint_proto(c->endpoint) == CW_QUERY;
	c->prefix = prefix ? tt_xstrdup(prefix) : NULL;
	c->done = done;
	c->ctx = ctx;
	alarms_send(c);
	return 0;
}
