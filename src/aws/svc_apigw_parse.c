/* API Gateway answers into plain C structs, and the Lambda function behind
 * an integration (svc_apigw.h). */
#include <stdlib.h>
#include <string.h>

#include "rest_internal.h"
#include "tiertop/err.h"
#include "tiertop/str.h"
#include "tiertop/svc_apigw.h"
#include "tiertop/xalloc.h"

/* One page of any listing: v1 names the list "item" and the next-page token
 * "position"; v2 says "items" and "nextToken". */
struct page {
	void *items;
	size_t n;
	size_t size;
	void (*read)(const json_t *o, void *item);
};

static int parse_page(const char *json, size_t len, const char *what, struct page *pg, char **next,
		      struct tt_err *err)
{
	json_t *root = tt_rj_load(json, len, what, err);
	const json_t *arr;
	size_t base = pg->n;

	*next = NULL;
	if (!root)
		return -1;
	arr = json_object_get(root, "item");
	if (!arr)
		arr = json_object_get(root, "items");
	if (arr && !json_is_array(arr)) {
		json_decref(root);
		return tt_err_set(err, TT_ERR_AWS, "%s answered with a list that is not a list", what);
	}
	pg->items = tt_rj_append(pg->items, &pg->n, json_array_size(arr), pg->size);
	for (size_t i = 0; i < json_array_size(arr); i++)
		pg->read(json_array_get(arr, i), (char *)pg->items + (base + i) * pg->size);
	*next = tt_rj_token(root, "position");
	if (!*next)
		*next = tt_rj_token(root, "nextToken");
	json_decref(root);
	return 0;
}

static int cmp_var(const void *a, const void *b)
{
	return strcmp(((const struct tt_apigw_var *)a)->name, ((const struct tt_apigw_var *)b)->name);
}

static void read_vars(json_t *map, struct tt_apigw_var **vars, size_t *n)
{
	const char *key;
	json_t *value;

	*vars = tt_xcalloc(json_object_size(map) + 1, sizeof(**vars));
	*n = 0;
	json_object_foreach(map, key, value)
	{
		if (!json_is_string(value))
			continue;
		(*vars)[*n].name = tt_xstrdup(key);
		(*vars)[*n].value = tt_xstrdup(json_string_value(value));
		(*n)++;
	}
	qsort(*vars, *n, sizeof(**vars), cmp_var);
}

/* --- REST APIs ---------------------------------------------------------- */

static void read_rest_api(const json_t *o, void *item)
{
	struct tt_apigw_rest_api *a = item;
	const json_t *type =
	    json_array_get(json_object_get(json_object_get(o, "endpointConfiguration"), "types"), 0);

	a->id = tt_rj_str(o, "id");
	a->name = tt_rj_str(o, "name");
	a->description = tt_rj_str(o, "description");
	a->endpoint_type = tt_xstrdup(json_is_string(type) ? json_string_value(type) : "");
	a->created = tt_rj_time(o, "createdDate");
}

int tt_apigw_parse_rest_apis_page(const char *json, size_t len, struct tt_apigw_rest_apis *list, char **next,
				  struct tt_err *err)
{
	struct page pg = {list->items, list->n, sizeof(*list->items), read_rest_api};
	int rc = parse_page(json, len, "apigateway GetRestApis", &pg, next, err);

	list->items = pg.items;
	list->n = pg.n;
	return rc;
}

static int cmp_method(const void *a, const void *b)
{
	return strcmp(((const struct tt_apigw_method *)a)->http_method,
		      ((const struct tt_apigw_method *)b)->http_method);
}

static void read_resource(const json_t *o, void *item)
{
	struct tt_apigw_resource *r = item;
	json_t *methods = json_object_get(o, "resourceMethods");
	const char *verb;
	json_t *m;

	r->id = tt_rj_str(o, "id");
	r->parent_id = tt_rj_str(o, "parentId");
	r->path = tt_rj_str(o, "path");
	r->methods = tt_xcalloc(json_object_size(methods) + 1, sizeof(*r->methods));
	json_object_foreach(methods, verb, m)
	{
		const json_t *integ = json_object_get(m, "methodIntegration");
		struct tt_apigw_method *out = &r->methods[r->nmethods++];
		out->http_method = tt_xstrdup(verb);
		out->authorization_type = tt_rj_str(m, "authorizationType");
		out->integration_type = tt_rj_str(integ, "type");
		out->integration_uri = tt_rj_str(integ, "uri");
	}
	qsort(r->methods, r->nmethods, sizeof(*r->methods), cmp_method);
}

int tt_apigw_parse_resources_page(const char *json, size_t len, struct tt_apigw_resources *list, char **next,
				  struct tt_err *err)
{
	struct page pg = {list->items, list->n, sizeof(*list->items), read_resource};
	int rc = parse_page(json, len, "apigateway GetResources", &pg, next, err);

	list->items = pg.items;
	list->n = pg.n;
	return rc;
}

/* --- stages (v1 and v2) ------------------------------------------------- */

static void read_stage(const json_t *o, void *item)
{
	struct tt_apigw_stage *s = item;
	const json_t *v1_all = json_object_get(json_object_get(o, "methodSettings"), "*/*");
	const json_t *v2_defaults = json_object_get(o, "defaultRouteSettings");
	json_t *vars = json_object_get(o, "variables");

	s->name = tt_rj_str(o, "stageName");
	s->deployment_id = tt_rj_str(o, "deploymentId");
	s->description = tt_rj_str(o, "description");
	s->logging_level = tt_rj_str(v1_all ? v1_all : v2_defaults, "loggingLevel");
	s->metrics_enabled =
	    tt_rj_bool(v1_all, "metricsEnabled") || tt_rj_bool(v2_defaults, "detailedMetricsEnabled");
	s->auto_deploy = tt_rj_bool(o, "autoDeploy");
	s->access_log_arn = tt_rj_str(json_object_get(o, "accessLogSettings"), "destinationArn");
	s->access_log_format = tt_rj_str(json_object_get(o, "accessLogSettings"), "format");
	read_vars(vars ? vars : json_object_get(o, "stageVariables"), &s->vars, &s->nvars);
	s->created = tt_rj_time(o, "createdDate");
	s->last_updated = tt_rj_time(o, "lastUpdatedDate");
}

int tt_apigw_parse_stages_page(const char *json, size_t len, struct tt_apigw_stages *list, char **next,
			       struct tt_err *err)
{
	struct page pg = {list->items, list->n, sizeof(*list->items), read_stage};
	int rc = parse_page(json, len, "apigateway GetStages", &pg, next, err);

	list->items = pg.items;
	list->n = pg.n;
	return rc;
}

/* --- HTTP APIs ---------------------------------------------------------- */

static void read_api(const json_t *o, void *item)
{
	struct tt_apigw_api *a = item;

	a->id = tt_rj_str(o, "apiId");
	a->name = tt_rj_str(o, "name");
	a->protocol_type = tt_rj_str(o, "protocolType");
	a->endpoint = tt_rj_str(o, "apiEndpoint");
	a->description = tt_rj_str(o, "description");
	a->created = tt_rj_time(o, "createdDate");
}

int tt_apigw_parse_apis_page(const char *json, size_t len, struct tt_apigw_apis *list, char **next,
			     struct tt_err *err)
{
	struct page pg = {list->items, list->n, sizeof(*list->items), read_api};
	int rc = parse_page(json, len, "apigatewayv2 GetApis", &pg, next, err);

	list->items = pg.items;
	list->n = pg.n;
	return rc;
}

static void read_route(const json_t *o, void *item)
{
	struct tt_apigw_route *r = item;

	r->id = tt_rj_str(o, "routeId");
	r->route_key = tt_rj_str(o, "routeKey");
	r->target = tt_rj_str(o, "target");
	r->authorization_type = tt_rj_str(o, "authorizationType");
	r->api_key_required = tt_rj_bool(o, "apiKeyRequired");
}

int tt_apigw_parse_routes_page(const char *json, size_t len, struct tt_apigw_routes *list, char **next,
			       struct tt_err *err)
{
	struct page pg = {list->items, list->n, sizeof(*list->items), read_route};
	int rc = parse_page(json, len, "apigatewayv2 GetRoutes", &pg, next, err);

	list->items = pg.items;
	list->n = pg.n;
	return rc;
}

static void read_integration(const json_t *o, void *item)
{
	struct tt_apigw_integration *i = item;

	i->id = tt_rj_str(o, "integrationId");
	i->type = tt_rj_str(o, "integrationType");
	i->uri = tt_rj_str(o, "integrationUri");
	i->method = tt_rj_str(o, "integrationMethod");
	i->payload_format_version = tt_rj_str(o, "payloadFormatVersion");
	i->timeout_ms = (long)tt_rj_int(o, "timeoutInMillis", 0);
}

int tt_apigw_parse_integrations_page(const char *json, size_t len, struct tt_apigw_integrations *list,
				     char **next, struct tt_err *err)
{
	struct page pg = {list->items, list->n, sizeof(*list->items), read_integration};
	int rc = parse_page(json, len, "apigatewayv2 GetIntegrations", &pg, next, err);

	list->items = pg.items;
	list->n = pg.n;
	return rc;
}

/* --- the Lambda behind an integration ----------------------------------- */

char *tt_apigw_lambda_function(const char *uri)
{
	const char *start, *end, *tail;
	char *fn;
	size_t n;

	if (!uri || !*uri)
		return NULL;
	start = strstr(uri, ":lambda:path/");
	if (!start) /* v2 may name the function directly */
		return tt_str_starts_with(uri, "arn:") && strstr(uri, ":lambda:") && strstr(uri, ":function:")
			   ? tt_xstrdup(uri)
			   : NULL;
	start = strstr(start, "/functions/");
	if (!start)
		return NULL;
	start += strlen("/functions/");
	tail = strstr(start, "/invocations");
	end = tail ? tail : start + strlen(start);
	n = (size_t)(end - start);
	if (!n)
		return NULL;
	fn = tt_xmalloc(n + 1);
	n = tt_uri_decode(start, n, fn);
	fn[n] = '\0';
	return fn;
}

#define STAGE_VAR "${stageVariables."

bool tt_apigw_has_stage_vars(const char *s)
{
	return s && strstr(s, STAGE_VAR) != NULL;
}

static const char *var_value(const char *name, size_t len, const struct tt_apigw_var *vars, size_t nvars)
{
	for (size_t i = 0; i < nvars; i++)
		if (strlen(vars[i].name) == len && strncmp(vars[i].name, name, len) == 0)
			return vars[i].value;
	return NULL;
}

char *tt_apigw_expand_stage_vars(const char *s, const struct tt_apigw_var *vars, size_t nvars)
{
	struct tt_buf out;
	const char *p = s ? s : "";

	tt_buf_init(&out, 0);
	tt_buf_puts(&out, "");
	for (;;) {
		const char *var = strstr(p, STAGE_VAR), *close, *value;
		size_t skip = strlen(STAGE_VAR);
		if (!var || !(close = strchr(var + skip, '}'))) {
			tt_buf_puts(&out, p);
			break;
		}
		value = var_value(var + skip, (size_t)(close - var - skip), vars, nvars);
		tt_buf_append(&out, p, (size_t)(var - p));
		if (value)
			tt_buf_puts(&out, value);
		else
			tt_buf_append(&out, var, (size_t)(close + 1 - var));
		p = close + 1;
	}
	return tt_buf_steal(&out);
}

const char *tt_apigw_route_integration(const char *target)
{
	const char *prefix = "integrations/";

	if (!target || !tt_str_starts_with(target, prefix) || !target[strlen(prefix)])
		return NULL;
	return target + strlen(prefix);
}

char *tt_apigw_access_log_group(const char *arn)
{
	const char *p = arn, *name, *end;
	int colons = 0;

	if (!arn || !tt_str_starts_with(arn, "arn:"))
		return NULL;
	/* arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE; the service is the third field. */
	for (; *p && colons < 5; p++)
		if (*p == ':' && ++colons == 2 && !tt_str_starts_with(p + 1, "logs:"))
			return NULL;
	if (colons < 5 || !tt_str_starts_with(p, "log-group:"))
		return NULL;
	name = p + strlen("log-group:");
	/* Group names cannot hold ':', so one starts the ":*" suffix. */
	end = strchr(name, ':');
	if (!end)
		end = name + strlen(name);
	return end > name ? tt_xstrndup(name, (size_t)(end - name)) : NULL;
}

/* --- freeing ------------------------------------------------------------ */

static void free_vars(struct tt_apigw_var *vars, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(vars[i].name);
		free(vars[i].value);
	}
	free(vars);
}

void tt_apigw_rest_api_clear(struct tt_apigw_rest_api *api)
{
	free(api->id);
	free(api->name);
	free(api->description);
	free(api->endpoint_type);
	memset(api, 0, sizeof(*api));
}

void tt_apigw_api_clear(struct tt_apigw_api *api)
{
	free(api->id);
	free(api->name);
	free(api->protocol_type);
	free(api->endpoint);
	free(api->description);
	memset(api, 0, sizeof(*api));
}

void tt_apigw_rest_apis_clear(struct tt_apigw_rest_apis *list)
{
	for (size_t i = 0; i < list->n; i++)
		tt_apigw_rest_api_clear(&list->items[i]);
	free(list->items);
	memset(list, 0, sizeof(*list));
}

void tt_apigw_resources_clear(struct tt_apigw_resources *list)
{
	for (size_t i = 0; i < list->n; i++) {
		struct tt_apigw_resource *r = &list->items[i];
		for (size_t j = 0; j < r->nmethods; j++) {
			free(r->methods[j].http_method);
			free(r->methods[j].authorization_type);
			free(r->methods[j].integration_type);
			free(r->methods[j].integration_uri);
		}
		free(r->methods);
		free(r->id);
		free(r->parent_id);
		free(r->path);
	}
	free(list->items);
	memset(list, 0, sizeof(*list));
}

void tt_apigw_apis_clear(struct tt_apigw_apis *list)
{
	for (size_t i = 0; i < list->n; i++)
		tt_apigw_api_clear(&list->items[i]);
	free(list->items);
	memset(list, 0, sizeof(*list));
}

void tt_apigw_routes_clear(struct tt_apigw_routes *list)
{
	for (size_t i = 0; i < list->n; i++) {
		free(list->items[i].id);
		free(list->items[i].route_key);
		free(list->items[i].target);
		free(list->items[i].authorization_type);
	}
	free(list->items);
	memset(list, 0, sizeof(*list));
}

void tt_apigw_integrations_clear(struct tt_apigw_integrations *list)
{
	for (size_t i = 0; i < list->n; i++) {
		free(list->items[i].id);
		free(list->items[i].type);
		free(list->items[i].uri);
		free(list->items[i].method);
		free(list->items[i].payload_format_version);
	}
	free(list->items);
	memset(list, 0, sizeof(*list));
}

void tt_apigw_stages_clear(struct tt_apigw_stages *list)
{
	for (size_t i = 0; i < list->n; i++) {
		struct tt_apigw_stage *s = &list->items[i];
		free(s->name);
		free(s->deployment_id);
		free(s->description);
		free(s->logging_level);
		free(s->access_log_arn);
		free(s->access_log_format);
		free_vars(s->vars, s->nvars);
	}
	free(list->items);
	memset(list, 0, sizeof(*list));
}
