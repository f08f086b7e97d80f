/* API Gateway access-log lines (see access_log.h). */
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiertop/access_log.h"
#include "tiertop/xalloc.h"

/* Field names per part, the first found wins. They come from AWS's
 * documented JSON examples for REST and HTTP APIs ("requestId", "httpMethod",
 * "routeKey", "status", "responseLatency", "integrationLatency") and the
 * templates people commonly deploy (SAM, CDK's AccessLogFormat.
 * jsonWithStandardFields, Serverless Framework). */
static const char *const request_id_keys[] = {"requestId", "apiRequestId", "request_id", NULL};
static const char *const lambda_id_keys[] = {"integrationRequestId", "awsEndpointRequestId", "lambdaRequestId",
					     "integration_request_id", "awsRequestId", NULL};
static const char *const method_keys[] = {"httpMethod", "method", "http_method", NULL};
static const char *const path_keys[] = {"path", "resourcePath", "uri", "resource_path", NULL};
static const char *const status_keys[] = {"status", "statusCode", "status_code", NULL};
static const char *const latency_keys[] = {"responseLatency", "latency", "response_latency", NULL};
static const char *const integration_latency_keys[] = {"integrationLatency", "integration_latency", NULL};

/* A field's text: strings as they are, numbers printed; NULL when absent or
 * "-" (what API Gateway writes for a variable without a value). */
static const char *field(json_t *o, const char *const *keys, char *tmp, size_t size)
{
	for (; *keys; keys++) {
		json_t *v = json_object_get(o, *keys);
		const char *s = NULL;

		if (json_is_string(v)) {
			s = json_string_value(v);
		} else if (json_is_integer(v)) {
			snprintf(tmp, size, "%lld", (long long)json_integer_value(v));
			s = tmp;
		} else if (json_is_real(v)) {
			snprintf(tmp, size, "%.0f", json_real_value(v));
			s = tmp;
		}
		if (s && *s && strcmp(s, "-") != 0)
			return s;
	}
	return NULL;
}

static long number(json_t *o, const char *const *keys)
{
	char tmp[32], *end;
	const char *s = field(o, keys, tmp, sizeof(tmp));
	long v;

	if (!s)
		return -1;
	v = strtol(s, &end, 10);
	return end != s && (*end == 0 || *end == '.') && v >= 0 ? v : -1;
}

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

/* HTTP APIs log a routeKey ("POST /feedback/{id}", "$default") instead of a
 * method and resource path. */
static void from_route_key(struct tt_access_line *out, const char *route)
{
	const char *sp = strchr(route, ' ');

	if (!out->method[0] && sp && (size_t)(sp - route) < sizeof(out->method))
		snprintf(out->method, sizeof(out->method), "%.*s", (int)(sp - route), route);
	if (!out->path[0])
		copy(out->path, sizeof(out->path), sp ? sp + 1 : route);
}

int tt_access_log_parse(const char *msg, size_t len, int64_t timestamp_ms, struct tt_access_line *out)
{
	static const char *const route_keys[] = {"routeKey", "route_key", NULL};
	json_t *o;
	char tmp[32];
	const char *route;
	size_t i = 0;
	long status;

	memset(out, 0, sizeof(*out));
	while (i < len && (msg[i] == ' ' || msg[i] == '\t'))
		i++;
	if (i == len || msg[i] != '{')
		return -1;
	o = json_loadb(msg + i, len - i, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		return -1;
	}
	out->timestamp_ms = timestamp_ms;
	copy(out->request_id, sizeof(out->request_id), field(o, request_id_keys, tmp, sizeof(tmp)));
	copy(out->lambda_request_id, sizeof(out->lambda_request_id), field(o, lambda_id_keys, tmp, sizeof(tmp)));
	copy(out->method, sizeof(out->method), field(o, method_keys, tmp, sizeof(tmp)));
	copy(out->path, sizeof(out->path), field(o, path_keys, tmp, sizeof(tmp)));
	route = field(o, route_keys, tmp, sizeof(tmp));
	if (route)
		from_route_key(out, route);
	/* A status an int cannot hold is no status (it would wrap to another). */
	status = number(o, status_keys);
	out->status = status <= INT_MAX ? (int)status : -1;
	out->latency_ms = number(o, latency_keys);
	out->integration_latency_ms = number(o, integration_latency_keys);
	json_decref(o);
	return out->status >= 0 || out->lambda_request_id[0] ? 0 : -1;
}

void tt_access_log_summary(const struct tt_access_line *l, char *out, size_t size)
{
	char status[16] = "-", latency[32] = "", integ[48] = "";

	if (l->status >= 0)
		snprintf(status, sizeof(status), "%d", l->status);
	if (l->latency_ms >= 0)
		snprintf(latency, sizeof(latency), " %ld ms", l->latency_ms);
	if (l->integration_latency_ms >= 0)
		snprintf(integ, sizeof(integ), " (integration %ld ms)", l->integration_latency_ms);
	snprintf(out, size, "%s %s %s%s%s", l->method[0] ? l->method : "-", l->path[0] ? l->path : "-", status,
		 latency, integ);
}

/* --- the index ---------------------------------------------------------------------------- */

struct tt_access_index {
	struct tt_access_line *lines; /* ring, newest at lines[(head - 1) % max] */
	size_t max, n, head;
};

struct tt_access_index *tt_access_index_new(size_t max_lines)
{
	struct tt_access_index *ix = tt_xcalloc(1, sizeof(*ix));

	ix->max = max_lines ? max_lines : 1;
	ix->lines = tt_xcalloc(ix->max, sizeof(*ix->lines));
	return ix;
}

void tt_access_index_free(struct tt_access_index **ix)
{
	if (!*ix)
		return;
	free((*ix)->lines);
	free(*ix);
	*ix = NULL;
}

/* Newest first, so a row just invoked is found at once. A linear walk: the
 * index holds a few hundred lines and only the rows on screen look. */
static struct tt_access_line *lookup(const struct tt_access_index *ix, const char *id)
{
	for (size_t i = 0; i < ix->n; i++) {
		struct tt_access_line *l = &ix->lines[(ix->head + ix->max - 1 - i) % ix->max];
		if (l->lambda_request_id[0] == id[0] && strcmp(l->lambda_request_id, id) == 0)
			return l;
	}
	return NULL;
}

void tt_access_index_add(struct tt_access_index *ix, const struct tt_access_line *l)
{
	struct tt_access_line *same;

	if (!l->lambda_request_id[0])
		return;
	same = lookup(ix, l->lambda_request_id);
	if (same) {
		*same = *l;
		return;
	}
	ix->lines[ix->head] = *l;
	ix->head = (ix->head + 1) % ix->max;
	if (ix->n < ix->max)
		ix->n++;
}

const struct tt_access_line *tt_access_index_find(const struct tt_access_index *ix, const char *lambda_request_id)
{
	return lambda_request_id && *lambda_request_id ? lookup(ix, lambda_request_id) : NULL;
}

size_t tt_access_index_count(const struct tt_access_index *ix)
{
	return ix->n;
}
