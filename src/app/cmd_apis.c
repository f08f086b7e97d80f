/* tiertop apis: REST and HTTP APIs with their stages and, for each method or
 * route, the Lambda function behind it.
 *
 * All listings go out at once (APIs first, then per API its stages and
 * resources, or stages, routes and integrations) and the command prints when
 * the last answer is in. A function named through a stage variable is shown
 * per stage, since each stage may point at a different function. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app.h"
#include "tiertop/sanitize.h"
#include "tiertop/svc_apigw.h"
#include "tiertop/svc_lambda.h"
#include "tiertop/xalloc.h"

struct apis_run;

struct rest_entry {
	struct apis_run *run;
	struct tt_apigw_rest_api api;
	struct tt_apigw_stages stages;
	struct tt_apigw_resources resources;
};

struct http_entry {
	struct apis_run *run;
	struct tt_apigw_api api;
	struct tt_apigw_stages stages;
	struct tt_apigw_routes routes;
	struct tt_apigw_integrations integrations;
};

struct apis_run {
	struct tt_app *app;
	int pending;
	bool done;
	bool failed;
	struct tt_err err;
	struct rest_entry *rest;
	size_t nrest;
	struct http_entry *http;
	size_t nhttp;
};

/* --- collecting --------------------------------------------------------- */

static void fail(struct apis_run *r, const struct tt_err *err)
{
	if (!r->failed)
		r->err = *err;
	r->failed = true;
}

static void finish_one(struct apis_run *r)
{
	if (--r->pending == 0)
		r->done = true;
}

/* Counts a call that was submitted; one that could not be is an error. */
static void started(struct apis_run *r, int rc, const struct tt_err *err)
{
	if (rc == 0)
		r->pending++;
	else
		fail(r, err);
}

#define MOVE(dst, src) (memcpy(&(dst), (src), sizeof(dst)), memset((src), 0, sizeof(dst)))

static void on_rest_stages(void *ctx, struct tt_apigw_stages *list, const struct tt_err *err)
{
	struct rest_entry *e = ctx;

	if (err)
		fail(e->run, err);
	else
		MOVE(e->stages, list);
	finish_one(e->run);
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct tt_apigw_resource *)a)->path,
		      ((const struct tt_apigw_resource *)b)->path);
}

static void on_resources(void *ctx, struct tt_apigw_resources *list, const struct tt_err *err)
{
	struct rest_entry *e = ctx;

	if (err) {
		fail(e->run, err);
	} else {
		MOVE(e->resources, list);
		qsort(e->resources.items, e->resources.n, sizeof(*e->resources.items), by_path);
	}
	finish_one(e->run);
}

static void on_rest_apis(void *ctx, struct tt_apigw_rest_apis *list, const struct tt_err *err)
{
	struct apis_run *r = ctx;
	struct tt_err serr;

	if (err) {
		fail(r, err);
	} else {
		r->nrest = list->n;
		r->rest = tt_xcalloc(list->n + 1, sizeof(*r->rest));
		for (size_t i = 0; i < list->n; i++) {
			struct rest_entry *e = &r->rest[i];
			e->run = r;
			MOVE(e->api, &list->items[i]);
			started(r,
				tt_apigw_get_rest_stages(&r->app->aws, e->api.id, on_rest_stages, e, &serr),
				&serr);
			started(r, tt_apigw_get_resources(&r->app->aws, e->api.id, on_resources, e, &serr),
				&serr);
		}
	}
	finish_one(r);
}

static void on_http_stages(void *ctx, struct tt_apigw_stages *list, const struct tt_err *err)
{
	struct http_entry *e = ctx;

	if (err)
		fail(e->run, err);
	else
		MOVE(e->stages, list);
	finish_one(e->run);
}

/* "POST /feedback" sorts by path, then method, like the REST resources. */
static int by_route(const void *a, const void *b)
{
	const char *ka = ((const struct tt_apigw_route *)a)->route_key;
	const char *kb = ((const struct tt_apigw_route *)b)->route_key;
	const char *pa = strchr(ka, ' '), *pb = strchr(kb, ' ');
	int c = strcmp(pa ? pa + 1 : ka, pb ? pb + 1 : kb);

	return c ? c : strcmp(ka, kb);
}

static void on_routes(void *ctx, struct tt_apigw_routes *list, const struct tt_err *err)
{
	struct http_entry *e = ctx;

	if (err) {
		fail(e->run, err);
	} else {
		MOVE(e->routes, list);
		qsort(e->routes.items, e->routes.n, sizeof(*e->routes.items), by_route);
	}
	finish_one(e->run);
}

static void on_integrations(void *ctx, struct tt_apigw_integrations *list, const struct tt_err *err)
{
	struct http_entry *e = ctx;

	if (err)
		fail(e->run, err);
	else
		MOVE(e->integrations, list);
	finish_one(e->run);
}

static void on_http_apis(void *ctx, struct tt_apigw_apis *list, const struct tt_err *err)
{
	struct apis_run *r = ctx;
	struct tt_err serr;

	if (err) {
		fail(r, err);
	} else {
		r->nhttp = list->n;
		r->http = tt_xcalloc(list->n + 1, sizeof(*r->http));
		for (size_t i = 0; i < list->n; i++) {
			struct http_entry *e = &r->http[i];
			const struct tt_aws *aws = &r->app->aws;
			e->run = r;
			MOVE(e->api, &list->items[i]);
			started(r, tt_apigw_get_http_stages(aws, e->api.id, on_http_stages, e, &serr), &serr);
			started(r, tt_apigw_get_routes(aws, e->api.id, on_routes, e, &serr), &serr);
			started(r, tt_apigw_get_integrations(aws, e->api.id, on_integrations, e, &serr),
				&serr);
		}
	}
	finish_one(r);
}

/* --- what a method or route leads to ------------------------------------ */

/* "submit-feedback" or "submit-feedback:live" for a function ARN; the text
 * itself when it is not one. */
static char *short_function(const char *fn)
{
	struct tt_lambda_ref ref;
	struct tt_err ignored;
	char *out;

	if (tt_lambda_ref_parse(fn, &ref, &ignored))
		return tt_xstrdup(fn);
	out = *ref.qualifier ? tt_xasprintf("%s:%s", ref.name, ref.qualifier) : tt_xstrdup(ref.name);
	tt_lambda_ref_clear(&ref);
	return out;
}

/* The function behind uri for humans: its name, or per stage when a stage
 * variable chooses it ("${stageVariables.fn} [prod: a, beta: b]"). NULL
 * for an integration that is not a Lambda function. */
static char *function_text(const char *uri, const struct tt_apigw_stages *stages)
{
	char *fn = tt_apigw_lambda_function(uri);
	struct tt_buf out;

	if (!fn)
		return NULL;
	if (!tt_apigw_has_stage_vars(fn) || !stages->n) {
		char *name = short_function(fn);
		free(fn);
		return name;
	}
	tt_buf_init(&out, 0);
	tt_buf_printf(&out, "%s [", fn);
	for (size_t i = 0; i < stages->n; i++) {
		const struct tt_apigw_stage *s = &stages->items[i];
		char *expanded = tt_apigw_expand_stage_vars(fn, s->vars, s->nvars);
		char *name = short_function(expanded);
		tt_buf_printf(&out, "%s%s: %s", i ? ", " : "", s->name, name);
		free(name);
		free(expanded);
	}
	tt_buf_puts(&out, "]");
	free(fn);
	return tt_buf_steal(&out);
}

static const struct tt_apigw_integration *find_integration(const struct http_entry *e, const char *target)
{
	const char *id = tt_apigw_route_integration(target);

	for (size_t i = 0; id && i < e->integrations.n; i++)
		if (strcmp(e->integrations.items[i].id, id) == 0)
			return &e->integrations.items[i];
	return NULL;
}

/* --- text --------------------------------------------------------------- */

static void print_safe(const char *fmt_prefix, const char *text)
{
	char *safe = tt_sanitize(text, tt_app_san());

	printf("%s%s", fmt_prefix, safe);
	free(safe);
}

static void print_stages(const struct tt_apigw_stages *stages)
{
	for (size_t i = 0; i < stages->n; i++) {
		const struct tt_apigw_stage *s = &stages->items[i];
		struct tt_buf line;
		char *safe;

		tt_buf_init(&line, 0);
		tt_buf_printf(&line, "  stage %s", s->name);
		if (*s->deployment_id)
			tt_buf_printf(&line, "  deployment %s", s->deployment_id);
		if (s->auto_deploy)
			tt_buf_puts(&line, "  auto-deploy");
		tt_buf_printf(&line, "  detailed metrics %s", s->metrics_enabled ? "on" : "off");
		if (*s->logging_level)
			tt_buf_printf(&line, "  logging %s", s->logging_level);
		for (size_t j = 0; j < s->nvars; j++)
			tt_buf_printf(&line, "  %s=%s", s->vars[j].name, s->vars[j].value);
		safe = tt_sanitize(line.data, tt_app_san());
		printf("%s\n", safe);
		free(safe);
		tt_buf_clear(&line);
	}
}

/* "  POST /feedback  -> submit-feedback (AWS_PROXY)" */
static void print_target(const char *route, const char *type, const char *uri,
			 const struct tt_apigw_stages *stages)
{
	char *fn = function_text(uri, stages);
	struct tt_buf line;
	char *safe;

	tt_buf_init(&line, 0);
	tt_buf_printf(&line, "  %-28s -> ", route);
	if (fn)
		tt_buf_printf(&line, "%s (%s)", fn, type);
	else if (*uri)
		tt_buf_printf(&line, "%s (%s)", uri, type);
	else
		tt_buf_printf(&line, "(%s)", *type ? type : "no integration");
	safe = tt_sanitize(line.data, tt_app_san());
	printf("%s\n", safe);
	free(safe);
	tt_buf_clear(&line);
	free(fn);
}

static void print_rest(const struct rest_entry *e)
{
	print_safe("REST API ", e->api.name);
	print_safe(" (id ", e->api.id);
	print_safe(*e->api.endpoint_type ? ", " : "", e->api.endpoint_type);
	printf(")\n");
	print_stages(&e->stages);
	for (size_t i = 0; i < e->resources.n; i++) {
		const struct tt_apigw_resource *res = &e->resources.items[i];
		for (size_t j = 0; j < res->nmethods; j++) {
			const struct tt_apigw_method *m = &res->methods[j];
			char *route = tt_xasprintf("%s %s", m->http_method, res->path);
			print_target(route, m->integration_type, m->integration_uri, &e->stages);
			free(route);
		}
	}
}

static void print_http(const struct http_entry *e)
{
	print_safe("HTTP API ", e->api.name);
	print_safe(" (id ", e->api.id);
	print_safe(", ", e->api.protocol_type);
	print_safe(*e->api.endpoint ? ", " : "", e->api.endpoint);
	printf(")\n");
	print_stages(&e->stages);
	for (size_t i = 0; i < e->routes.n; i++) {
		const struct tt_apigw_route *rt = &e->routes.items[i];
		const struct tt_apigw_integration *in = find_integration(e, rt->target);
		print_target(rt->route_key, in ? in->type : "", in ? in->uri : "", &e->stages);
	}
}

static void print_text(const struct apis_run *r)
{
	for (size_t i = 0; i < r->nrest; i++)
		print_rest(&r->rest[i]);
	for (size_t i = 0; i < r->nhttp; i++)
		print_http(&r->http[i]);
	if (!r->nrest && !r->nhttp) {
		print_safe("no REST or HTTP APIs in ", r->app->region);
		putchar('\n');
	}
}

/* --- JSON --------------------------------------------------------------- */

static json_t *vars_json(const struct tt_apigw_stage *s)
{
	json_t *o = json_object();

	for (size_t i = 0; i < s->nvars; i++)
		json_object_set_new(o, s->vars[i].name, json_string(s->vars[i].value));
	return o;
}

static json_t *stages_json(const struct tt_apigw_stages *stages)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < stages->n; i++) {
		const struct tt_apigw_stage *s = &stages->items[i];
		json_array_append_new(arr,
				      json_pack("{s:s, s:s, s:b, s:b, s:s, s:o}", "StageName", s->name,
						"DeploymentId", s->deployment_id, "AutoDeploy",
						s->auto_deploy, "DetailedMetrics", s->metrics_enabled,
						"LoggingLevel", s->logging_level, "Variables", vars_json(s)));
	}
	return arr;
}

/* FunctionArn as the integration names it, and per stage when a stage
 * variable picks the function. */
static void add_function(json_t *o, const char *uri, const struct tt_apigw_stages *stages)
{
	char *fn = tt_apigw_lambda_function(uri);
	json_t *per_stage;

	json_object_set_new(o, "FunctionArn", fn ? json_string(fn) : json_null());
	if (!fn || !tt_apigw_has_stage_vars(fn)) {
		free(fn);
		return;
	}
	per_stage = json_object();
	for (size_t i = 0; i < stages->n; i++) {
		const struct tt_apigw_stage *s = &stages->items[i];
		char *expanded = tt_apigw_expand_stage_vars(fn, s->vars, s->nvars);
		json_object_set_new(per_stage, s->name, json_string(expanded));
		free(expanded);
	}
	json_object_set_new(o, "FunctionArnByStage", per_stage);
	free(fn);
}

static json_t *rest_json(const struct rest_entry *e)
{
	json_t *methods = json_array();

	for (size_t i = 0; i < e->resources.n; i++) {
		const struct tt_apigw_resource *res = &e->resources.items[i];
		for (size_t j = 0; j < res->nmethods; j++) {
			const struct tt_apigw_method *m = &res->methods[j];
			json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "Path", res->path, "HttpMethod",
					      m->http_method, "AuthorizationType", m->authorization_type,
					      "IntegrationType", m->integration_type, "IntegrationUri",
					      m->integration_uri);
			add_function(o, m->integration_uri, &e->stages);
			json_array_append_new(methods, o);
		}
	}
	return json_pack("{s:s, s:s, s:s, s:o, s:o}", "Id", e->api.id, "Name", e->api.name, "EndpointType",
			 e->api.endpoint_type, "Stages", stages_json(&e->stages), "Methods", methods);
}

static json_t *http_json(const struct http_entry *e)
{
	json_t *routes = json_array();

	for (size_t i = 0; i < e->routes.n; i++) {
		const struct tt_apigw_route *rt = &e->routes.items[i];
		const struct tt_apigw_integration *in = find_integration(e, rt->target);
		json_t *o =
		    json_pack("{s:s, s:s, s:s, s:s, s:s}", "RouteKey", rt->route_key, "Target", rt->target,
			      "AuthorizationType", rt->authorization_type, "IntegrationType",
			      in ? in->type : "", "IntegrationUri", in ? in->uri : "");
		add_function(o, in ? in->uri : "", &e->stages);
		json_array_append_new(routes, o);
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "Id", e->api.id, "Name", e->api.name,
			 "ProtocolType", e->api.protocol_type, "Endpoint", e->api.endpoint, "Stages",
			 stages_json(&e->stages), "Routes", routes);
}

static void print_json(const struct apis_run *r)
{
	json_t *rest = json_array(), *http = json_array(), *all;

	for (size_t i = 0; i < r->nrest; i++)
		json_array_append_new(rest, rest_json(&r->rest[i]));
	for (size_t i = 0; i < r->nhttp; i++)
		json_array_append_new(http, http_json(&r->http[i]));
	all = json_pack("{s:o, s:o}", "RestApis", rest, "HttpApis", http);
	json_dumpf(all, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	putchar('\n');
	json_decref(all);
}

/* --- the verb ----------------------------------------------------------- */

static int rest_by_name(const void *a, const void *b)
{
	return strcmp(((const struct rest_entry *)a)->api.name, ((const struct rest_entry *)b)->api.name);
}

static int http_by_name(const void *a, const void *b)
{
	return strcmp(((const struct http_entry *)a)->api.name, ((const struct http_entry *)b)->api.name);
}

static void run_clear(struct apis_run *r)
{
	for (size_t i = 0; i < r->nrest; i++) {
		tt_apigw_rest_api_clear(&r->rest[i].api);
		tt_apigw_stages_clear(&r->rest[i].stages);
		tt_apigw_resources_clear(&r->rest[i].resources);
	}
	for (size_t i = 0; i < r->nhttp; i++) {
		tt_apigw_api_clear(&r->http[i].api);
		tt_apigw_stages_clear(&r->http[i].stages);
		tt_apigw_routes_clear(&r->http[i].routes);
		tt_apigw_integrations_clear(&r->http[i].integrations);
	}
	free(r->rest);
	free(r->http);
}

const struct tt_opts_spec tt_apis_spec = {"apis", NULL, 0, 0, NULL, 0, "--json prints an array."};

int tt_cmd_apis(struct tt_app *app, int argc, char **argv)
{
	struct apis_run r = {0};
	struct tt_err err;
	int rc = 0;

	(void)argc;
	(void)argv;
	r.app = app;
	if (tt_app_connect(app, &err))
		return tt_app_fail(&err);
	started(&r, tt_apigw_get_rest_apis(&app->aws, on_rest_apis, &r, &err), &err);
	started(&r, tt_apigw_get_apis(&app->aws, on_http_apis, &r, &err), &err);
	if (r.pending)
		tt_http_run_until(app->http, &r.done);
	/* Only now: until every answer is in, callbacks hold pointers to entries. */
	if (r.nrest)
		qsort(r.rest, r.nrest, sizeof(*r.rest), rest_by_name);
	if (r.nhttp)
		qsort(r.http, r.nhttp, sizeof(*r.http), http_by_name);
	if (r.failed)
		rc = tt_app_fail(&r.err);
	else if (app->opts.json)
		print_json(&r);
	else
		print_text(&r);
	run_clear(&r);
	return rc;
}
