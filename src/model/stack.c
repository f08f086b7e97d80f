/* Discovering the application. One selection call (CloudFormation, tagging,
 * or none for a prefix), then every describe call in parallel; a counter of
 * calls in flight says when the picture is complete. */
#include <stdlib.h>
#include <string.h>

#include "tiertop/err.h"
#include "tiertop/stack.h"
#include "tiertop/str.h"
#include "tiertop/svc_apigw.h"
#include "tiertop/svc_discovery.h"
#include "tiertop/svc_dynamodb.h"
#include "tiertop/svc_lambda.h"
#include "tiertop/xalloc.h"

struct names {
	char **v;
	size_t n;
};

/* An HTTP API's routes point at integrations by id; both lists arrive
 * separately and are joined at the end. */
struct http_parts {
	struct tt_apigw_routes routes;
	struct tt_apigw_integrations integrations;
};

struct discover {
	struct tt_aws aws;
	enum tt_select_kind kind;
	char *prefix;
	struct names fns, tables, rest_ids, http_ids;
	struct tt_stack *st;
	struct http_parts *http;  /* per API, by index */
	int pending;
	int api_lists;            /* API list calls still out */
	bool selection_failed;
	struct tt_err err;
	tt_stack_fn done;
	void *ctx;
};

/* --- small helpers ---------------------------------------------------- */

static void names_add(struct names *s, const char *v)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], v) == 0)
			return;
	s->v = tt_xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->v[s->n++] = tt_xstrdup(v);
}

static bool names_has(const struct names *s, const char *v)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], v) == 0)
			return true;
	return false;
}

static void names_free(struct names *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* In prefix mode a resource is wanted when its name starts with the prefix;
 * otherwise when the selection named it. */
static bool wanted(const struct discover *d, const struct names *set, const char *key, const char *name)
{
	if (d->kind == TT_SELECT_PREFIX)
		return tt_str_starts_with(name, d->prefix);
	return names_has(set, key);
}

static char *problem_of(const struct tt_err *err)
{
	char buf[1200];

	return tt_xstrdup(tt_err_format(err, buf, sizeof(buf)));
}

char *tt_stack_function_name(const char *ref)
{
	struct tt_lambda_ref r;
	struct tt_err err;
	char *name;

	if (!ref || !*ref || tt_lambda_ref_parse(ref, &r, &err))
		return NULL;
	name = *r.name ? tt_xstrdup(r.name) : NULL;
	tt_lambda_ref_clear(&r);
	return name;
}

char *tt_stack_table_name(const char *arn)
{
	const char *t = arn && tt_str_starts_with(arn, "arn:") ? strstr(arn, ":table/") : NULL;

	if (!t || !strstr(arn, ":dynamodb:"))
		return NULL;
	t += strlen(":table/");
	return tt_xstrndup(t, strcspn(t, "/"));
}

/* --- finishing -------------------------------------------------------- */

static void resolve_http_routes(struct discover *d)
{
	for (size_t a = 0; a < d->st->napis; a++) {
		struct tt_stack_api *api = &d->st->apis[a];
		struct http_parts *p = &d->http[a];
		if (!api->http)
			continue;
		api->routes = tt_xcalloc(p->routes.n + 1, sizeof(*api->routes));
		for (size_t r = 0; r < p->routes.n; r++) {
			const char *iid = tt_apigw_route_integration(p->routes.items[r].target);
			char *fn = NULL;
			for (size_t i = 0; iid && i < p->integrations.n; i++) {
				if (strcmp(p->integrations.items[i].id, iid) == 0) {
					char *ref = tt_apigw_lambda_function(p->integrations.items[i].uri);
					fn = tt_stack_function_name(ref);
					free(ref);
				}
			}
			api->routes[api->nroutes].route = tt_xstrdup(p->routes.items[r].route_key);
			api->routes[api->nroutes].function = fn ? fn : tt_xstrdup("");
			api->nroutes++;
		}
	}
}

static void discover_free(struct discover *d)
{
	for (size_t a = 0; d->st && a < d->st->napis; a++) {
		tt_apigw_routes_clear(&d->http[a].routes);
		tt_apigw_integrations_clear(&d->http[a].integrations);
	}
	free(d->http);
	names_free(&d->fns);
	names_free(&d->tables);
	names_free(&d->rest_ids);
	names_free(&d->http_ids);
	free(d->prefix);
	free(d);
}

static void finish(struct discover *d)
{
	struct tt_stack *st = d->st;

	if (d->selection_failed) {
		tt_stack_free(&d->st);
		d->done(d->ctx, NULL, &d->err);
	} else {
		resolve_http_routes(d);
		d->st = NULL;
		d->done(d->ctx, st, NULL);
	}
	discover_free(d);
}

static void begin(struct discover *d)
{
	d->pending++;
}

static void end(struct discover *d)
{
	if (--d->pending == 0)
		finish(d);
}

/* --- tables ----------------------------------------------------------- */

static struct tt_stack_table *add_table(struct tt_stack *st, const char *name)
{
	struct tt_stack_table *t;

	st->tables = tt_xrealloc(st->tables, (st->ntables + 1) * sizeof(*st->tables));
	t = &st->tables[st->ntables++];
	memset(t, 0, sizeof(*t));
	t->name = tt_xstrdup(name);
	t->billing = tt_xstrdup("");
	return t;
}

struct table_call {
	struct discover *d;
	size_t index;
};

static void on_table(void *ctx, struct tt_ddb_table *table, const struct tt_err *err)
{
	struct table_call *c = ctx;
	struct tt_stack_table *t = &c->d->st->tables[c->index];

	if (err) {
		t->problem = problem_of(err);
	} else {
		free(t->billing);
		t->billing = tt_xstrdup(table->billing_mode ? table->billing_mode : "");
		t->rcu = table->rcu;
		t->wcu = table->wcu;
		t->items = table->item_count;
		tt_ddb_table_free(&table);
	}
	end(c->d);
	free(c);
}

static void describe_tables(struct discover *d)
{
	for (size_t i = 0; i < d->st->ntables; i++) {
		struct table_call *c = tt_xcalloc(1, sizeof(*c));
		struct tt_err err;
		c->d = d;
		c->index = i;
		begin(d);
		if (tt_ddb_describe_table(&d->aws, d->st->tables[i].name, on_table, c, &err)) {
			d->st->tables[i].problem = problem_of(&err);
			free(c);
			end(d);
		}
	}
}

static void on_table_names(void *ctx, const char *const *names, size_t n, const struct tt_err *err)
{
	struct discover *d = ctx;

	if (err) {
		add_table(d->st, "(tables)")->problem = problem_of(err);
	} else {
		for (size_t i = 0; i < n; i++)
			if (tt_str_starts_with(names[i], d->prefix))
				add_table(d->st, names[i]);
		describe_tables(d);
	}
	end(d);
}

/* --- functions -------------------------------------------------------- */

struct fn_call {
	struct discover *d;
	size_t index;
};

static void fn_add_table(struct tt_stack_function *f, const char *table)
{
	for (size_t i = 0; i < f->ntables; i++)
		if (strcmp(f->tables[i], table) == 0)
			return;
	f->tables = tt_xrealloc(f->tables, (f->ntables + 1) * sizeof(*f->tables));
	f->tables[f->ntables++] = tt_xstrdup(table);
}

static void on_esms(void *ctx, struct tt_lambda_esms *list, const struct tt_err *err)
{
	struct fn_call *c = ctx;
	struct tt_stack_function *f = &c->d->st->functions[c->index];

	if (err)
		f->problem = problem_of(err);
	for (size_t i = 0; !err && i < list->n; i++) {
		char *table = tt_stack_table_name(list->items[i].event_source_arn);
		if (table)
			fn_add_table(f, table);
		free(table);
	}
	end(c->d);
	free(c);
}

static void on_functions(void *ctx, struct tt_lambda_functions *list, const struct tt_err *err)
{
	struct discover *d = ctx;
	struct tt_stack *st = d->st;

	if (err) {
		st->functions = tt_xcalloc(1, sizeof(*st->functions));
		st->functions[0].name = tt_xstrdup("(functions)");
		st->functions[0].runtime = tt_xstrdup("");
		st->functions[0].problem = problem_of(err);
		st->nfunctions = 1;
		end(d);
		return;
	}
	st->functions = tt_xcalloc(list->n + 1, sizeof(*st->functions));
	for (size_t i = 0; i < list->n; i++) {
		const struct tt_lambda_function *fn = &list->items[i];
		struct tt_stack_function *f;
		if (!wanted(d, &d->fns, fn->name, fn->name))
			continue;
		f = &st->functions[st->nfunctions++];
		f->name = tt_xstrdup(fn->name);
		f->runtime = tt_xstrdup(fn->runtime);
		f->timeout_s = fn->timeout_s;
		f->memory_mb = fn->memory_mb;
	}
	for (size_t i = 0; i < st->nfunctions; i++) {
		struct fn_call *c = tt_xcalloc(1, sizeof(*c));
		struct tt_err e;
		c->d = d;
		c->index = i;
		begin(d);
		if (tt_lambda_list_event_source_mappings(&d->aws, st->functions[i].name, on_esms, c, &e)) {
			st->functions[i].problem = problem_of(&e);
			free(c);
			end(d);
		}
	}
	end(d);
}

/* --- APIs ------------------------------------------------------------- */

struct api_call {
	struct discover *d;
	size_t index;
};

static struct api_call *api_call(struct discover *d, size_t index)
{
	struct api_call *c = tt_xcalloc(1, sizeof(*c));

	c->d = d;
	c->index = index;
	begin(d);
	return c;
}

/* A call that could not even be sent: note why, and count it as ended. */
static void api_not_sent(struct api_call *c, const struct tt_err *err)
{
	struct tt_stack_api *api = &c->d->st->apis[c->index];

	if (!api->problem)
		api->problem = problem_of(err);
	end(c->d);
	free(c);
}

static void api_done(struct api_call *c, const struct tt_err *err)
{
	struct tt_stack_api *api = &c->d->st->apis[c->index];

	if (err && !api->problem)
		api->problem = problem_of(err);
	end(c->d);
	free(c);
}

static void on_stages(void *ctx, struct tt_apigw_stages *list, const struct tt_err *err)
{
	struct api_call *c = ctx;
	struct tt_stack_api *api = &c->d->st->apis[c->index];

	if (!err) {
		api->stages = tt_xcalloc(list->n + 1, sizeof(*api->stages));
		for (size_t i = 0; i < list->n; i++)
			api->stages[api->nstages++] = tt_xstrdup(list->items[i].name);
	}
	api_done(c, err);
}

static void add_route(struct tt_stack_api *api, const char *route, const char *uri)
{
	char *ref = tt_apigw_lambda_function(uri);
	char *fn = tt_stack_function_name(ref);

	api->routes = tt_xrealloc(api->routes, (api->nroutes + 1) * sizeof(*api->routes));
	api->routes[api->nroutes].route = tt_xstrdup(route);
	api->routes[api->nroutes].function = fn ? fn : tt_xstrdup("");
	api->nroutes++;
	free(ref);
}

static void on_resources(void *ctx, struct tt_apigw_resources *list, const struct tt_err *err)
{
	struct api_call *c = ctx;
	struct tt_stack_api *api = &c->d->st->apis[c->index];

	for (size_t r = 0; !err && r < list->n; r++) {
		for (size_t m = 0; m < list->items[r].nmethods; m++) {
			const struct tt_apigw_method *method = &list->items[r].methods[m];
			char *route = tt_xasprintf("%s %s", method->http_method, list->items[r].path);
			add_route(api, route, method->integration_uri);
			free(route);
		}
	}
	api_done(c, err);
}

static void on_routes(void *ctx, struct tt_apigw_routes *list, const struct tt_err *err)
{
	struct api_call *c = ctx;

	if (!err) {
		c->d->http[c->index].routes = *list;
		memset(list, 0, sizeof(*list));
	}
	api_done(c, err);
}

static void on_integrations(void *ctx, struct tt_apigw_integrations *list, const struct tt_err *err)
{
	struct api_call *c = ctx;

	if (!err) {
		c->d->http[c->index].integrations = *list;
		memset(list, 0, sizeof(*list));
	}
	api_done(c, err);
}

static void describe_api(struct discover *d, size_t i)
{
	const struct tt_stack_api *api = &d->st->apis[i];
	struct api_call *c;
	struct tt_err err;

	c = api_call(d, i);
	if ((api->http ? tt_apigw_get_http_stages(&d->aws, api->id, on_stages, c, &err)
		       : tt_apigw_get_rest_stages(&d->aws, api->id, on_stages, c, &err)))
		api_not_sent(c, &err);
	if (api->http) {
		c = api_call(d, i);
		if (tt_apigw_get_routes(&d->aws, api->id, on_routes, c, &err))
			api_not_sent(c, &err);
		c = api_call(d, i);
		if (tt_apigw_get_integrations(&d->aws, api->id, on_integrations, c, &err))
			api_not_sent(c, &err);
	} else {
		c = api_call(d, i);
		if (tt_apigw_get_resources(&d->aws, api->id, on_resources, c, &err))
			api_not_sent(c, &err);
	}
}

static void add_api(struct discover *d, bool http, const char *id, const char *name)
{
	struct tt_stack *st = d->st;
	struct tt_stack_api *api;

	st->apis = tt_xrealloc(st->apis, (st->napis + 1) * sizeof(*st->apis));
	d->http = tt_xrealloc(d->http, (st->napis + 1) * sizeof(*d->http));
	memset(&d->http[st->napis], 0, sizeof(*d->http));
	api = &st->apis[st->napis++];
	memset(api, 0, sizeof(*api));
	api->http = http;
	api->id = tt_xstrdup(id);
	api->name = tt_xstrdup(name);
}

/* Both API lists arrive before any API is described, so the array of APIs
 * no longer moves while describe calls hold indexes into it. */
static void describe_apis_when_listed(struct discover *d)
{
	if (--d->api_lists > 0)
		return;
	for (size_t i = 0; i < d->st->napis; i++)
		if (!d->st->apis[i].problem)
			describe_api(d, i);
}

static void on_rest_apis(void *ctx, struct tt_apigw_rest_apis *list, const struct tt_err *err)
{
	struct discover *d = ctx;

	if (err)
		add_api(d, false, "", "(REST APIs)");
	if (err)
		d->st->apis[d->st->napis - 1].problem = problem_of(err);
	for (size_t i = 0; !err && i < list->n; i++)
		if (wanted(d, &d->rest_ids, list->items[i].id, list->items[i].name))
			add_api(d, false, list->items[i].id, list->items[i].name);
	describe_apis_when_listed(d);
	end(d);
}

static void on_http_apis(void *ctx, struct tt_apigw_apis *list, const struct tt_err *err)
{
	struct discover *d = ctx;

	if (err)
		add_api(d, true, "", "(HTTP APIs)");
	if (err)
		d->st->apis[d->st->napis - 1].problem = problem_of(err);
	for (size_t i = 0; !err && i < list->n; i++)
		if (wanted(d, &d->http_ids, list->items[i].id, list->items[i].name))
			add_api(d, true, list->items[i].id, list->items[i].name);
	describe_apis_when_listed(d);
	end(d);
}

/* --- selection and the start ---------------------------------------------- */

static void start_describing(struct discover *d)
{
	struct tt_err err;

	begin(d);
	if (tt_lambda_list_functions(&d->aws, on_functions, d, &err))
		on_functions(d, NULL, &err);
	d->api_lists = 2;
	begin(d);
	if (tt_apigw_get_rest_apis(&d->aws, on_rest_apis, d, &err))
		on_rest_apis(d, NULL, &err);
	begin(d);
	if (tt_apigw_get_apis(&d->aws, on_http_apis, d, &err))
		on_http_apis(d, NULL, &err);
	if (d->kind == TT_SELECT_PREFIX) {
		begin(d);
		if (tt_ddb_list_tables(&d->aws, on_table_names, d, &err))
			on_table_names(d, NULL, 0, &err);
	} else {
		for (size_t i = 0; i < d->tables.n; i++)
			add_table(d->st, d->tables.v[i]);
		describe_tables(d);
	}
}

/* "arn:aws:apigateway:REGION::/restapis/ID" and ".../apis/ID". */
static void select_arn(struct discover *d, const char *arn)
{
	const char *p;
	char *name;

	if ((name = tt_stack_table_name(arn))) {
		names_add(&d->tables, name);
		free(name);
	} else if (strstr(arn, ":lambda:") && (name = tt_stack_function_name(arn))) {
		names_add(&d->fns, name);
		free(name);
	} else if ((p = strstr(arn, ":apigateway:")) && (p = strstr(p, "::/restapis/"))) {
		names_add(&d->rest_ids, p + strlen("::/restapis/"));
	} else if ((p = strstr(arn, ":apigateway:")) && (p = strstr(p, "::/apis/"))) {
		names_add(&d->http_ids, p + strlen("::/apis/"));
	}
}

static void on_tagged(void *ctx, const struct tt_tagged_list *list, const struct tt_err *err)
{
	struct discover *d = ctx;

	if (err) {
		d->selection_failed = true;
		d->err = *err;
	}
	for (size_t i = 0; !err && i < list->n; i++)
		select_arn(d, list->items[i].arn);
	if (!err)
		start_describing(d);
	end(d);
}

static void on_stack_resources(void *ctx, const struct tt_cfn_resources *list, const struct tt_err *err)
{
	struct discover *d = ctx;

	if (err) {
		d->selection_failed = true;
		d->err = *err;
	}
	for (size_t i = 0; !err && i < list->n; i++) {
		const struct tt_cfn_resource *r = &list->items[i];
		if (strcmp(r->type, "AWS::Lambda::Function") == 0)
			names_add(&d->fns, r->physical_id);
		else if (strcmp(r->type, "AWS::DynamoDB::Table") == 0)
			names_add(&d->tables, r->physical_id);
		else if (strcmp(r->type, "AWS::ApiGateway::RestApi") == 0)
			names_add(&d->rest_ids, r->physical_id);
		else if (strcmp(r->type, "AWS::ApiGatewayV2::Api") == 0)
			names_add(&d->http_ids, r->physical_id);
	}
	if (!err)
		start_describing(d);
	end(d);
}

static int select_by_tag(struct discover *d, const char *value, struct tt_err *err)
{
	const char *eq = strchr(value, '=');
	char *key;
	int rc;

	if (!eq || eq == value)
		return tt_err_set(err, TT_ERR_USAGE, "--tag takes KEY=VALUE, not \"%s\"", value);
	key = tt_xstrndup(value, (size_t)(eq - value));
	begin(d);
	rc = tt_tagging_find(&d->aws, key, eq + 1, on_tagged, d, err);
	free(key);
	return rc;
}

int tt_stack_discover(const struct tt_aws *aws, enum tt_select_kind kind, const char *value, tt_stack_fn done,
		      void *ctx, struct tt_err *err)
{
	struct discover *d = tt_xcalloc(1, sizeof(*d));
	int rc = 0;

	d->aws = *aws;
	d->kind = kind;
	d->prefix = tt_xstrdup(kind == TT_SELECT_PREFIX && value ? value : "");
	d->done = done;
	d->ctx = ctx;
	d->st = tt_xcalloc(1, sizeof(*d->st));
	d->st->selector = kind == TT_SELECT_STACK ? tt_xasprintf("stack %s", value)
			  : kind == TT_SELECT_TAG ? tt_xasprintf("tag %s", value)
			  : *d->prefix		  ? tt_xasprintf("prefix %s", value)
						  : tt_xstrdup("whole region");
	/* The extra count keeps the discovery alive until every first call is
	 * out, even if some answer at once. */
	begin(d);
	if (kind == TT_SELECT_STACK) {
		begin(d);
		rc = tt_cfn_list_stack_resources(aws, value, on_stack_resources, d, err);
	} else if (kind == TT_SELECT_TAG) {
		rc = select_by_tag(d, value, err);
	} else {
		start_describing(d);
	}
	if (rc) {
		tt_stack_free(&d->st);
		discover_free(d);
		return -1;
	}
	end(d);
	return 0;
}

static void free_api(struct tt_stack_api *a)
{
	free(a->id);
	free(a->name);
	for (size_t i = 0; i < a->nstages; i++)
		free(a->stages[i]);
	free(a->stages);
	for (size_t i = 0; i < a->nroutes; i++) {
		free(a->routes[i].route);
		free(a->routes[i].function);
	}
	free(a->routes);
	free(a->problem);
}

void tt_stack_free(struct tt_stack **stp)
{
	struct tt_stack *st = *stp;

	if (!st)
		return;
	for (size_t i = 0; i < st->napis; i++)
		free_api(&st->apis[i]);
	for (size_t i = 0; i < st->nfunctions; i++) {
		struct tt_stack_function *f = &st->functions[i];
		free(f->name);
		free(f->runtime);
		for (size_t k = 0; k < f->ntables; k++)
			free(f->tables[k]);
		free(f->tables);
		free(f->problem);
	}
	for (size_t i = 0; i < st->ntables; i++) {
		free(st->tables[i].name);
		free(st->tables[i].billing);
		free(st->tables[i].problem);
	}
	free(st->apis);
	free(st->functions);
	free(st->tables);
	free(st->selector);
	free(st);
	*stp = NULL;
}
