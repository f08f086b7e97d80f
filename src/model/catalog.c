/* The metric catalog. Names, dimensions and the statistics worth watching
 * come from the AWS documentation pages cited in aws-wire.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiertop/catalog.h"
#include "tiertop/xalloc.h"

static const struct tt_metric_def rest_api[] = {
	{"requests", "AWS/ApiGateway", "Count", "Sum", "", {"ApiName", "Stage"}, NULL},
	{"4xx", "AWS/ApiGateway", "4XXError", "Sum", "", {"ApiName", "Stage"}, NULL},
	{"5xx", "AWS/ApiGateway", "5XXError", "Sum", "", {"ApiName", "Stage"}, NULL},
	{"latency", "AWS/ApiGateway", "Latency", "p99", "ms", {"ApiName", "Stage"}, NULL},
	{"integ", "AWS/ApiGateway", "IntegrationLatency", "p99", "ms", {"ApiName", "Stage"}, NULL},
};

/* HTTP APIs spell the error metrics in lower case and key on the id. */
static const struct tt_metric_def http_api[] = {
	{"requests", "AWS/ApiGateway", "Count", "Sum", "", {"ApiId", "Stage"}, NULL},
	{"4xx", "AWS/ApiGateway", "4xx", "Sum", "", {"ApiId", "Stage"}, NULL},
	{"5xx", "AWS/ApiGateway", "5xx", "Sum", "", {"ApiId", "Stage"}, NULL},
	{"latency", "AWS/ApiGateway", "Latency", "p99", "ms", {"ApiId", "Stage"}, NULL},
	{"integ", "AWS/ApiGateway", "IntegrationLatency", "p99", "ms", {"ApiId", "Stage"}, NULL},
};

/* WebSocket APIs count messages and connections, not requests; their
 * errors are not HTTP statuses. The keys the tier screen shows for every
 * API stand for the nearest thing: messages, client and execution errors,
 * integration latency (there is no end-to-end latency). */
static const struct tt_metric_def ws_api[] = {
	{"requests", "AWS/ApiGateway", "MessageCount", "Sum", "", {"ApiId", "Stage"}, NULL},
	{"connects", "AWS/ApiGateway", "ConnectCount", "Sum", "", {"ApiId", "Stage"}, NULL},
	{"4xx", "AWS/ApiGateway", "ClientError", "Sum", "", {"ApiId", "Stage"}, NULL},
	{"5xx", "AWS/ApiGateway", "ExecutionError", "Sum", "", {"ApiId", "Stage"}, NULL},
	{"integ_err", "AWS/ApiGateway", "IntegrationError", "Sum", "", {"ApiId", "Stage"}, NULL},
	{"integ", "AWS/ApiGateway", "IntegrationLatency", "p99", "ms", {"ApiId", "Stage"}, NULL},
};

static const struct tt_metric_def function[] = {
	{"invocations", "AWS/Lambda", "Invocations", "Sum", "", {"FunctionName"}, NULL},
	{"errors", "AWS/Lambda", "Errors", "Sum", "", {"FunctionName"}, NULL},
	{"throttles", "AWS/Lambda", "Throttles", "Sum", "", {"FunctionName"}, NULL},
	{"p50", "AWS/Lambda", "Duration", "p50", "ms", {"FunctionName"}, NULL},
	{"p99", "AWS/Lambda", "Duration", "p99", "ms", {"FunctionName"}, NULL},
	{"concurrency", "AWS/Lambda", "ConcurrentExecutions", "Maximum", "", {"FunctionName"}, NULL},
};

static const struct tt_metric_def table[] = {
	{"rcu", "AWS/DynamoDB", "ConsumedReadCapacityUnits", "Sum", "", {"TableName"}, NULL},
	{"wcu", "AWS/DynamoDB", "ConsumedWriteCapacityUnits", "Sum", "", {"TableName"}, NULL},
	{"rcu_prov", "AWS/DynamoDB", "ProvisionedReadCapacityUnits", "Average", "", {"TableName"}, NULL},
	{"wcu_prov", "AWS/DynamoDB", "ProvisionedWriteCapacityUnits", "Average", "", {"TableName"}, NULL},
	{"read_thr", "AWS/DynamoDB", "ReadThrottleEvents", "Sum", "", {"TableName"}, NULL},
	{"write_thr", "AWS/DynamoDB", "WriteThrottleEvents", "Sum", "", {"TableName"}, NULL},
	{"sys_err", "AWS/DynamoDB", "SystemErrors", "Sum", "", {"TableName", "Operation"}, "PutItem"},
	{"get_ms", "AWS/DynamoDB", "SuccessfulRequestLatency", "Average", "ms", {"TableName", "Operation"}, "GetItem"},
	{"put_ms", "AWS/DynamoDB", "SuccessfulRequestLatency", "Average", "ms", {"TableName", "Operation"}, "PutItem"},
};

#define SET(a) {a, sizeof(a) / sizeof(a[0])}
static const struct tt_metric_set sets[TT_RES_KIND_COUNT] = {
	[TT_RES_REST_API] = SET(rest_api),
	[TT_RES_HTTP_API] = SET(http_api),
	[TT_RES_WS_API] = SET(ws_api),
	[TT_RES_FUNCTION] = SET(function),
	[TT_RES_TABLE] = SET(table),
};

static const char *const kind_names[TT_RES_KIND_COUNT] = {
	[TT_RES_REST_API] = "rest-api",
	[TT_RES_HTTP_API] = "http-api",
	[TT_RES_WS_API] = "websocket-api",
	[TT_RES_FUNCTION] = "function",
	[TT_RES_TABLE] = "table",
};

static const struct tt_tier_words tier_words[TT_TIER_COUNT] = {
	[TT_TIER_PRESENTATION] = {"presentation", "PRESENTATION", "apis"},
	[TT_TIER_LOGIC] = {"logic", "LOGIC", "functions"},
	[TT_TIER_DATA] = {"data", "DATA", "tables"},
};

const struct tt_tier_words *tt_tier_words(enum tt_tier tier)
{
	return &tier_words[tier < TT_TIER_COUNT ? tier : TT_TIER_DATA];
}

enum tt_tier tt_tier_named(const char *word)
{
	for (int t = 0; t < TT_TIER_COUNT; t++)
		if (strcmp(word, tier_words[t].name) == 0 || strcmp(word, tier_words[t].rows) == 0)
			return (enum tt_tier)t;
	return TT_TIER_COUNT;
}

const struct tt_metric_set *tt_catalog_for(enum tt_resource_kind kind)
{
	return kind < TT_RES_KIND_COUNT ? &sets[kind] : NULL;
}

const char *tt_resource_kind_name(enum tt_resource_kind kind)
{
	return kind < TT_RES_KIND_COUNT ? kind_names[kind] : "?";
}

static const char *dim_value(const struct tt_metric_def *d, size_t i, const char *name, const char *qualifier)
{
	if (i == 0)
		return name;
	if (strcmp(d->dim_names[i], "Operation") == 0)
		return d->op;
	return qualifier;
}

size_t tt_catalog_queries(enum tt_resource_kind kind, const char *name, const char *qualifier, int period,
			  const char *id_prefix, char (*ids)[32], struct tt_cw_query *out, size_t max)
{
	const struct tt_metric_set *set = tt_catalog_for(kind);
	size_t n = 0;

	for (size_t i = 0; set && i < set->n && n < max; i++, n++) {
		const struct tt_metric_def *d = &set->defs[i];
		memset(&out[n], 0, sizeof(out[n]));
		snprintf(ids[n], 32, "%s%zu", id_prefix, i);
		out[n].id = ids[n];
		out[n].namespace_ = d->namespace_;
		out[n].metric = d->metric;
		out[n].stat = d->stat;
		out[n].period = period;
		out[n].label = d->key;
		for (size_t k = 0; k < 3 && d->dim_names[k]; k++) {
			out[n].dims[k].name = d->dim_names[k];
			out[n].dims[k].value = dim_value(d, k, name, qualifier);
			out[n].ndims++;
		}
	}
	return n;
}

char *tt_catalog_api_metric_name(const char *api_name, const char *api_id)
{
	size_t n = 0;
	char *out = tt_xmalloc(strlen(api_name ? api_name : "") + 1);

	/* Every byte of a non-ASCII UTF-8 character has the high bit set. */
	for (const char *c = api_name ? api_name : ""; *c; c++)
		if (!((unsigned char)*c & 0x80))
			out[n++] = *c;
	out[n] = '\0';
	if (n == 0) {
		free(out);
		out = tt_xstrdup(api_id ? api_id : "");
	}
	return out;
}
