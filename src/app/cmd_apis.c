/* tiertop apis: REST and HTTP APIs with their stages and, for each method or
 * route, the Lambda function behind it.
 *
 * The model's crawl of the region's APIs (tt_stack_crawl_apis) finds them;
 * this verb sorts and prints what it found once every answer is in. A
 * function named through a stage variable is shown per stage, since each
 * stage may point at a different function. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app.h"
#include "tiertop/sanitize.h"
#include "tiertop/stack.h"
#include "tiertop/svc_apigw.h"
#include "tiertop/svc_lambda.h"
#include "tiertop/xalloc.h"

/* A route with what API Gateway says of it, both borrowed from the stack. */
struct row {
	const struct tt_stack_route *route;
	const struct tt_stack_route_info *info;
};

struct apis_run {
	bool done;
	struct tt_stack *stack;
	bool failed;
	struct tt_err err;
};

static void on_crawled(void *ctx, struct tt_stack *stack, const struct tt_err *err)
{
	struct apis_run *r = ctx;

	r->stack = stack;
	if (err) {
		r->err = *err;
		r->failed = true;
	}
	r->done = true;
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

/* fn with stage i's variables filled in. Caller frees. */
static char *expand_for_stage(const char *fn, const struct tt_stack_api *api, size_t i)
{
	return tt_apigw_expand_stage_vars(fn, api->stage_info[i].vars, api->stage_info[i].nvars);
}

static bool knows_stages(const struct tt_stack_api *api)
{
	return api->nstages && api->stage_info;
}

/* The function behind uri for humans: its name, or per stage when a stage
 * variable chooses it ("${stageVariables.fn} [prod: a, beta: b]"). NULL
 * for an integration that is not a Lambda function. */
static char *function_text(const char *uri, const struct tt_stack_api *api)
{
	char *fn = tt_apigw_lambda_function(uri);
	struct tt_buf out;

	if (!fn)
		return NULL;
	if (!tt_apigw_has_stage_vars(fn) || !knows_stages(api)) {
		char *name = short_function(fn);
		free(fn);
		return name;
	}
	tt_buf_init(&out, 0);
	tt_buf_printf(&out, "%s [", fn);
	for (size_t i = 0; i < api->nstages; i++) {
		char *expanded = expand_for_stage(fn, api, i);
		char *name = short_function(expanded);
		tt_buf_printf(&out, "%s%s: %s", i ? ", " : "", api->stages[i], name);
		free(name);
		free(expanded);
	}
	tt_buf_puts(&out, "]");
	free(fn);
	return tt_buf_steal(&out);
}

/* --- order -------------------------------------------------------------- */

/* A REST API's methods by path, then method. */
static int by_resource(const void *a, const void *b)
{
	const struct tt_stack_route_info *ia = ((const struct row *)a)->info;
	const struct tt_stack_route_info *ib = ((const struct row *)b)->info;
	int c = strcmp(ia->path, ib->path);

	return c ? c : strcmp(ia->method, ib->method);
}

/* "POST /feedback" sorts by path, then method, like the REST resources. */
static int by_route(const void *a, const void *b)
{
	const char *ka = ((const struct row *)a)->route->route;
	const char *kb = ((const struct row *)b)->route->route;
	const char *pa = strchr(ka, ' '), *pb = strchr(kb, ' ');
	int c = strcmp(pa ? pa + 1 : ka, pb ? pb + 1 : kb);

	return c ? c : strcmp(ka, kb);
}

/* REST APIs before HTTP ones, each by name; APIs of one name stay in the
 * order API Gateway listed them (the crawl keeps it). */
static int by_kind_and_name(const void *a, const void *b)
{
	const struct tt_stack_api *x = *(const struct tt_stack_api *const *)a;
	const struct tt_stack_api *y = *(const struct tt_stack_api *const *)b;
	int c = (int)x->http - (int)y->http;

	if (!c)
		c = strcmp(x->name, y->name);
	return c ? c : (x > y) - (x < y);
}

/* api's routes in print order, none when the crawl did not describe them.
 * Caller frees the array; what it points to is api's. */
static struct row *sorted_rows(const struct tt_stack_api *api, size_t *n)
{
	struct row *rows = tt_xcalloc(api->nroutes + 1, sizeof(*rows));

	*n = api->route_info ? api->nroutes : 0;
	for (size_t i = 0; i < *n; i++)
		rows[i] = (struct row){&api->routes[i], &api->route_info[i]};
	if (*n)
		qsort(rows, *n, sizeof(*rows), api->http ? by_route : by_resource);
	return rows;
}

/* st's APIs in print order. Caller frees the array; the APIs are st's. */
static const struct tt_stack_api **print_order(const struct tt_stack *st)
{
	const struct tt_stack_api **apis = tt_xcalloc(st->napis + 1, sizeof(*apis));

	for (size_t i = 0; i < st->napis; i++)
		apis[i] = &st->apis[i];
	if (st->napis)
		qsort(apis, st->napis, sizeof(*apis), by_kind_and_name);
	return apis;
}

/* --- text --------------------------------------------------------------- */

static void print_safe(const char *fmt_prefix, const char *text)
{
	char *safe = tt_sanitize(text, tt_app_san());

	printf("%s%s", fmt_prefix, safe);
	free(safe);
}

static void print_line(struct tt_buf *line)
{
	char *safe = tt_sanitize(line->data, tt_app_san());

	printf("%s\n", safe);
	free(safe);
	tt_buf_clear(line);
}

static void print_stages(const struct tt_stack_api *api)
{
	for (size_t i = 0; knows_stages(api) && i < api->nstages; i++) {
		const struct tt_stack_stage *s = &api->stage_info[i];
		struct tt_buf line;

		tt_buf_init(&line, 0);
		tt_buf_printf(&line, "  stage %s", api->stages[i]);
		if (*s->deployment_id)
			tt_buf_printf(&line, "  deployment %s", s->deployment_id);
		if (s->auto_deploy)
			tt_buf_puts(&line, "  auto-deploy");
		tt_buf_printf(&line, "  detailed metrics %s", s->detailed_metrics ? "on" : "off");
		if (*s->logging_level)
			tt_buf_printf(&line, "  logging %s", s->logging_level);
		for (size_t j = 0; j < s->nvars; j++)
			tt_buf_printf(&line, "  %s=%s", s->vars[j].name, s->vars[j].value);
		print_line(&line);
	}
}

/* "  POST /feedback  -> submit-feedback (AWS_PROXY)" */
static void print_route(const struct row *row, const struct tt_stack_api *api)
{
	const char *type = row->info->integration_type, *uri = row->info->integration_uri;
	char *fn = function_text(uri, api);
	struct tt_buf line;

	tt_buf_init(&line, 0);
	tt_buf_printf(&line, "  %-28s -> ", row->route->route);
	if (fn)
		tt_buf_printf(&line, "%s (%s)", fn, type);
	else if (*uri)
		tt_buf_printf(&line, "%s (%s)", uri, type);
	else
		tt_buf_printf(&line, "(%s)", *type ? type : "no integration");
	print_line(&line);
	free(fn);
}

/* A list that failed stands in the stack as an API without an id, to carry
 * the reason: it is said, not printed as an API. */
static bool is_failed_list(const struct tt_stack_api *api)
{
	return !*api->id;
}

static void print_api(const struct tt_stack_api *api)
{
	struct row *rows;
	size_t n;

	if (is_failed_list(api)) {
		print_safe(api->http ? "HTTP APIs: unavailable: " : "REST APIs: unavailable: ", api->problem);
		putchar('\n');
		return;
	}
	print_safe(api->http ? "HTTP API " : "REST API ", api->name);
	print_safe(" (id ", api->id);
	if (api->http) {
		print_safe(", ", api->protocol_type);
		print_safe(*api->endpoint ? ", " : "", api->endpoint);
	} else {
		print_safe(*api->endpoint_type ? ", " : "", api->endpoint_type);
	}
	printf(")\n");
	if (api->problem) {
		print_safe("  ! incomplete: ", api->problem);
		putchar('\n');
	}
	print_stages(api);
	rows = sorted_rows(api, &n);
	for (size_t i = 0; i < n; i++)
		print_route(&rows[i], api);
	free(rows);
}

static void print_text(const struct tt_stack_api *const *apis, size_t n, const char *region, bool failed)
{
	for (size_t i = 0; i < n; i++)
		print_api(apis[i]);
	if (!n && !failed) {
		print_safe("no REST or HTTP APIs in ", region);
		putchar('\n');
	}
}

/* --- JSON --------------------------------------------------------------- */

static json_t *vars_json(const struct tt_stack_stage *s)
{
	json_t *o = json_object();

	for (size_t i = 0; i < s->nvars; i++)
		json_object_set_new(o, s->vars[i].name, json_string(s->vars[i].value));
	return o;
}

static json_t *stages_json(const struct tt_stack_api *api)
{
	json_t *arr = json_array();

	for (size_t i = 0; knows_stages(api) && i < api->nstages; i++) {
		const struct tt_stack_stage *s = &api->stage_info[i];
		json_t *o = json_pack("{s:s, s:s, s:b, s:b, s:s, s:o}", "StageName", api->stages[i],
				      "DeploymentId", s->deployment_id, "AutoDeploy", s->auto_deploy,
				      "DetailedMetrics", s->detailed_metrics, "LoggingLevel",
				      s->logging_level, "Variables", vars_json(s));
		json_array_append_new(arr, o);
	}
	return arr;
}

/* FunctionArn as the integration names it, and per stage when a stage
 * variable picks the function. */
static void add_function(json_t *o, const char *uri, const struct tt_stack_api *api)
{
	char *fn = tt_apigw_lambda_function(uri);
	json_t *per_stage;

	json_object_set_new(o, "FunctionArn", fn ? json_string(fn) : json_null());
	if (!fn || !tt_apigw_has_stage_vars(fn)) {
		free(fn);
		return;
	}
	per_stage = json_object();
	for (size_t i = 0; knows_stages(api) && i < api->nstages; i++) {
		char *expanded = expand_for_stage(fn, api, i);
		json_object_set_new(per_stage, api->stages[i], json_string(expanded));
		free(expanded);
	}
	json_object_set_new(o, "FunctionArnByStage", per_stage);
	free(fn);
}

static json_t *method_json(const struct row *row, const struct tt_stack_api *api)
{
	const struct tt_stack_route_info *in = row->info;
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "Path", in->path, "HttpMethod", in->method,
			      "AuthorizationType", in->authorization_type, "IntegrationType",
			      in->integration_type, "IntegrationUri", in->integration_uri);

	add_function(o, in->integration_uri, api);
	return o;
}

static json_t *route_json(const struct row *row, const struct tt_stack_api *api)
{
	const struct tt_stack_route_info *in = row->info;
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "RouteKey", row->route->route, "Target",
			      in->target, "AuthorizationType", in->authorization_type, "IntegrationType",
			      in->integration_type, "IntegrationUri", in->integration_uri);

	add_function(o, in->integration_uri, api);
	return o;
}

/* Methods (REST) or routes (HTTP), sorted. */
static json_t *rows_json(const struct tt_stack_api *api)
{
	json_t *arr = json_array();
	size_t n;
	struct row *rows = sorted_rows(api, &n);

	for (size_t i = 0; i < n; i++) {
		json_t *o = api->http ? route_json(&rows[i], api) : method_json(&rows[i], api);
		json_array_append_new(arr, o);
	}
	free(rows);
	return arr;
}

static json_t *rest_json(const struct tt_stack_api *api)
{
	json_t *methods = rows_json(api);

	return json_pack("{s:s, s:s, s:s, s:o, s:o}", "Id", api->id, "Name", api->name, "EndpointType",
			 api->endpoint_type, "Stages", stages_json(api), "Methods", methods);
}

static json_t *http_json(const struct tt_stack_api *api)
{
	json_t *routes = rows_json(api);

	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "Id", api->id, "Name", api->name,
			 "ProtocolType", api->protocol_type, "Endpoint", api->endpoint, "Stages",
			 stages_json(api), "Routes", routes);
}

/* "REST APIs: why" for a failed list, "NAME (id ID): why" for an API not
 * fully described. */
static json_t *problem_json(const struct tt_stack_api *api)
{
	char *text = is_failed_list(api) ? tt_xasprintf("%s: %s", api->name, api->problem)
					  : tt_xasprintf("%s (id %s): %s", api->name, api->id, api->problem);
	json_t *o = json_string(text);

	free(text);
	return o ? o : json_string("(a problem that is not valid UTF-8)");
}

static void print_json(const struct tt_stack_api *const *apis, size_t n)
{
	json_t *rest = json_array(), *http = json_array(), *problems = json_array(), *all;

	for (size_t i = 0; i < n; i++) {
		if (apis[i]->problem)
			json_array_append_new(problems, problem_json(apis[i]));
		if (is_failed_list(apis[i]))
			continue;
		if (apis[i]->http)
			json_array_append_new(http, http_json(apis[i]));
		else
			json_array_append_new(rest, rest_json(apis[i]));
	}
	all = json_pack("{s:o, s:o}", "RestApis", rest, "HttpApis", http);
	/* Only when something is missing, so that a complete answer reads as before. */
	if (json_array_size(problems))
		json_object_set(all, "Problems", problems);
	json_decref(problems);
	json_dumpf(all, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	putchar('\n');
	json_decref(all);
}

/* --- the verb ----------------------------------------------------------- */

const struct tt_opts_spec tt_apis_spec = {"apis", NULL, 0, 0, NULL, 0, "--json prints an array."};

int tt_cmd_apis(struct tt_app *app, int argc, char **argv)
{
	struct apis_run r = {0};
	const struct tt_stack_api **apis;
	struct tt_err err;
	int rc = 0;

	(void)argc;
	(void)argv;
	if (tt_app_connect(app, &err))
		return tt_app_fail(&err);
	tt_stack_crawl_apis(&app->aws, on_crawled, &r);
	if (!r.done)
		tt_http_run_until(app->http, &r.done);
	apis = print_order(r.stack);
	/* What was found is printed even when a call failed: a partial answer
	 * says what is missing in place, and the exit status says it is partial. */
	if (app->opts.json)
		print_json(apis, r.stack->napis);
	else
		print_text(apis, r.stack->napis, app->region, r.failed);
	if (r.failed)
		rc = tt_app_fail(&r.err);
	free(apis);
	tt_stack_free(&r.stack);
	return rc;
}
