/* Discovering the application. The selection calls first (CloudFormation,
 * tagging; none for prefixes and names), all at once; when the last has
 * answered, the describe calls, at most DESCRIBES_IN_FLIGHT at a time per
 * kind (Lambda's control plane allows 15 requests a second for the whole
 * account, and a thousand-function application must not spend a second's
 * worth of it in one burst). A counter of calls and fan-outs in flight says
 * when the picture is complete. */
#include <stdlib.h>
#include <string.h>

#include "tiertop/buf.h"
#include "tiertop/err.h"
#include "tiertop/fanout.h"
#include "tiertop/stack.h"
#include "tiertop/str.h"
#include "tiertop/svc_apigw.h"
#include "tiertop/svc_discovery.h"
#include "tiertop/svc_dynamodb.h"
#include "tiertop/svc_lambda.h"
#include "tiertop/xalloc.h"

#define DESCRIBES_IN_FLIGHT 4
/* Above this many functions, one region-wide ListEventSourceMappings (a few
 * pages) costs fewer requests than one per function; below, the per-function
 * calls are cheaper when the region holds many other mappings. */
#define MAPPINGS_PER_FUNCTION_MAX 10
/* The describe calls of one API: its stages, then its routes (HTTP) or
 * resources (REST), then its integrations (HTTP only). */
#define API_CALLS 3

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

/* A function's environment variables, kept until the tables are known. */
struct fn_env {
	struct tt_lambda_env *v;
	size_t n;
};

/* Where an API call's failure stands: one that could not be sent (bad
 * settings, refused at once) before one that was answered, then REST APIs
 * before HTTP ones, then by API, then by call (stages, routes or resources,
 * integrations). */
struct call_pos {
	bool answered;
	bool http;
	size_t index, kind;
};

struct discover {
	struct tt_aws aws;
	struct names prefixes;
	struct names fns, tables, rest_ids, http_ids;
	struct names api_names;   /* named one by one: id or name */
	struct names stacks;      /* stacks listed, by name: nested ones are followed once */
	struct tt_stack *st;
	struct http_parts *http;  /* per API, by index */
	size_t nhttp;
	struct fn_env *env;       /* per function, by index */
	size_t nenv;
	int pending;
	int selecting;            /* selection calls still out */
	int api_lists;            /* API list calls still out */
	struct tt_fanout mapping_fan, table_fan, api_fan;
	size_t *api_todo;         /* the APIs api_fan describes, by index */
	bool selection_failed;
	struct tt_err err;
	bool apis_only;           /* tt_stack_crawl_apis: no functions, no tables */
	bool api_failed;
	struct tt_err api_err;    /* the first API call that failed, in call_pos order */
	struct call_pos api_err_pos;
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

static void names_clear(struct names *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static bool has_prefix(const struct discover *d, const char *name)
{
	for (size_t i = 0; i < d->prefixes.n; i++)
		if (tt_str_starts_with(name, d->prefixes.v[i]))
			return true;
	return false;
}

/* Wanted: named by the selection, or starting with one of the prefixes. */
static bool wanted(const struct discover *d, const struct names *set, const char *key, const char *name)
{
	return names_has(set, key) || has_prefix(d, name);
}

static bool api_wanted(const struct discover *d, const struct names *ids, const char *id, const char *name)
{
	return wanted(d, ids, id, name) || names_has(&d->api_names, id) || names_has(&d->api_names, name);
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

char *tt_stack_cfn_stack_name(const char *s)
{
	const char *t = s && tt_str_starts_with(s, "arn:") && strstr(s, ":cloudformation:") ? strstr(s, ":stack/")
											      : NULL;

	if (!t)
		return tt_xstrdup(s ? s : "");
	t += strlen(":stack/");
	return tt_xstrndup(t, strcspn(t, "/"));
}

char *tt_stack_table_name(const char *arn)
{
	const char *t = arn && tt_str_starts_with(arn, "arn:") ? strstr(arn, ":table/") : NULL;

	if (!t || !strstr(arn, ":dynamodb:"))
		return NULL;
	t += strlen(":table/");
	return tt_xstrndup(t, strcspn(t, "/"));
}

const char *tt_stack_env_table(const struct tt_stack *st, const char *value)
{
	char *from_arn = tt_stack_table_name(value);
	const char *name = from_arn ? from_arn : value;
	const char *found = NULL;

	for (size_t i = 0; i < st->ntables && !found; i++)
		if (!st->tables[i].problem && strcmp(st->tables[i].name, name) == 0)
			found = st->tables[i].name;
	free(from_arn);
	return found;
}

char *tt_stack_describe_selection(const struct tt_select *sel, size_t n)
{
	static const char *const kinds[] = {"stack", "tag", "prefix", "function", "table", "api"};
	struct tt_buf b;

	tt_buf_init(&b, 0);
	for (size_t i = 0; i < n; i++) {
		if (sel[i].kind == TT_SELECT_PREFIX && !*sel[i].value)
			tt_buf_printf(&b, "%swhole region", i ? " + " : "");
		else
			tt_buf_printf(&b, "%s%s %s", i ? " + " : "", kinds[sel[i].kind], sel[i].value);
	}
	return tt_buf_steal(&b);
}

/* --- finishing -------------------------------------------------------- */

static void resolve_http_routes(struct discover *d)
{
	for (size_t a = 0; a < d->st->napis; a++) {
		const struct http_parts *p = &d->http[a];
		if (d->st->apis[a].http)
			tt_stack_api_add_routes(&d->st->apis[a], &p->routes, &p->integrations);
	}
}

static void fn_add_table(struct tt_stack_function *f, const char *table, const char *via)
{
	for (size_t i = 0; i < f->ntables; i++)
		if (strcmp(f->tables[i].table, table) == 0)
			return;
	f->tables = tt_xrealloc(f->tables, (f->ntables + 1) * sizeof(*f->tables));
	f->tables[f->ntables].table = tt_xstrdup(table);
	f->tables[f->ntables].via = tt_xstrdup(via);
	f->ntables++;
}

/* Only now are all the tables known (and described) that a variable may
 * name. */
static void resolve_env_tables(struct discover *d)
{
	for (size_t i = 0; i < d->nenv && i < d->st->nfunctions; i++) {
		for (size_t k = 0; k < d->env[i].n; k++) {
			const char *table = tt_stack_env_table(d->st, d->env[i].v[k].value);
			char *via;
			if (!table)
				continue;
			via = tt_xasprintf("env %s", d->env[i].v[k].name);
			fn_add_table(&d->st->functions[i], table, via);
			free(via);
		}
	}
}

static void discover_free(struct discover *d)
{
	for (size_t a = 0; a < d->nhttp; a++) {
		tt_apigw_routes_clear(&d->http[a].routes);
		tt_apigw_integrations_clear(&d->http[a].integrations);
	}
	free(d->http);
	free(d->api_todo);
	for (size_t i = 0; i < d->nenv; i++) {
		for (size_t k = 0; k < d->env[i].n; k++) {
			free(d->env[i].v[k].name);
			tt_free_secret(d->env[i].v[k].value);
		}
		free(d->env[i].v);
	}
	free(d->env);
	names_clear(&d->fns);
	names_clear(&d->tables);
	names_clear(&d->rest_ids);
	names_clear(&d->http_ids);
	names_clear(&d->api_names);
	names_clear(&d->stacks);
	names_clear(&d->prefixes);
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
		resolve_env_tables(d);
		d->st = NULL;
		d->done(d->ctx, st, d->apis_only && d->api_failed ? &d->api_err : NULL);
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

/* A fan-out counts as one call in flight, from its first pump until its
 * last entry is finished. */
static void fan_start(struct discover *d, struct tt_fanout *f, size_t n, bool (*start)(void *ctx, size_t i))
{
	tt_fanout_init(f, n, DESCRIBES_IN_FLIGHT, start, d);
	begin(d);
	if (tt_fanout_pump(f))
		end(d);
}

/* Last: d may be gone afterwards. */
static void fan_done(struct discover *d, struct tt_fanout *f)
{
	if (tt_fanout_done(f))
		end(d);
}

/* --- tables ----------------------------------------------------------- */

static struct tt_stack_table *add_table(struct tt_stack *st, const char *name)
{
	struct tt_stack_table *t;

	for (size_t i = 0; i < st->ntables; i++)
		if (strcmp(st->tables[i].name, name) == 0)
			return &st->tables[i];
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
	struct discover *d = c->d;
	struct tt_stack_table *t = &d->st->tables[c->index];

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
	free(c);
	fan_done(d, &d->table_fan);
}

static bool start_table(void *ctx, size_t i)
{
	struct discover *d = ctx;
	struct table_call *c = tt_xcalloc(1, sizeof(*c));
	struct tt_err err;

	c->d = d;
	c->index = i;
	if (tt_ddb_describe_table(&d->aws, d->st->tables[i].name, on_table, c, &err) == 0)
		return true;
	d->st->tables[i].problem = problem_of(&err);
	free(c);
	return false;
}

/* The list of tables no longer changes: the fan-out holds indexes into it. */
static void describe_tables(struct discover *d)
{
	fan_start(d, &d->table_fan, d->st->ntables, start_table);
}

static void on_table_names(void *ctx, const char *const *names, size_t n, const struct tt_err *err)
{
	struct discover *d = ctx;

	if (err)
		add_table(d->st, "(tables)")->problem = problem_of(err);
	for (size_t i = 0; !err && i < n; i++)
		if (wanted(d, &d->tables, names[i], names[i]))
			add_table(d->st, names[i]);
	/* Named ones the listing lacks: DescribeTable will say what is wrong. */
	for (size_t i = 0; i < d->tables.n; i++)
		add_table(d->st, d->tables.v[i]);
	describe_tables(d);
	end(d);
}

/* --- functions -------------------------------------------------------- */

struct fn_call {
	struct discover *d;
	size_t index;
};

static void link_mapping(struct tt_stack_function *f, const struct tt_lambda_esm *m)
{
	char *table = tt_stack_table_name(m->event_source_arn);

	if (table)
		fn_add_table(f, table, "event source");
	free(table);
}

static void on_esms(void *ctx, struct tt_lambda_esms *list, const struct tt_err *err)
{
	struct fn_call *c = ctx;
	struct discover *d = c->d;
	struct tt_stack_function *f = &d->st->functions[c->index];

	if (err)
		f->problem = problem_of(err);
	for (size_t i = 0; !err && i < list->n; i++)
		link_mapping(f, &list->items[i]);
	free(c);
	fan_done(d, &d->mapping_fan);
}

long tt_stack_mapping_function(const struct tt_stack *st, const char *function_arn)
{
	char *name = tt_stack_function_name(function_arn);
	long found = -1;

	for (size_t i = 0; name && found < 0 && i < st->nfunctions; i++)
		if (!st->functions[i].problem && strcmp(st->functions[i].name, name) == 0)
			found = (long)i;
	free(name);
	return found;
}

/* The region's mappings, every page: each goes to its function, if it is
 * one of ours. A failure is every function's, as it would have been one by
 * one. */
static void on_all_esms(void *ctx, struct tt_lambda_esms *list, const struct tt_err *err)
{
	struct discover *d = ctx;
	struct tt_stack *st = d->st;

	for (size_t i = 0; err && i < st->nfunctions; i++)
		if (!st->functions[i].problem)
			st->functions[i].problem = problem_of(err);
	for (size_t i = 0; !err && i < list->n; i++) {
		long f = tt_stack_mapping_function(st, list->items[i].function_arn);
		if (f >= 0)
			link_mapping(&st->functions[f], &list->items[i]);
	}
	end(d);
}

static struct tt_stack_function *add_function(struct discover *d, const char *name, const char *runtime)
{
	struct tt_stack *st = d->st;
	struct tt_stack_function *f;

	st->functions = tt_xrealloc(st->functions, (st->nfunctions + 1) * sizeof(*st->functions));
	d->env = tt_xrealloc(d->env, (st->nfunctions + 1) * sizeof(*d->env));
	memset(&d->env[st->nfunctions], 0, sizeof(*d->env));
	d->nenv = st->nfunctions + 1;
	f = &st->functions[st->nfunctions++];
	memset(f, 0, sizeof(*f));
	f->name = tt_xstrdup(name);
	f->runtime = tt_xstrdup(runtime);
	return f;
}

/* The variables move to the discovery: only table names are kept of them. */
static void take_function(struct discover *d, struct tt_lambda_function *fn)
{
	struct tt_stack_function *f = add_function(d, fn->name, fn->runtime);

	f->timeout_s = fn->timeout_s;
	f->memory_mb = fn->memory_mb;
	f->log_group = tt_lambda_log_group_for(fn->name, fn->log_group);
	d->env[d->st->nfunctions - 1].v = fn->env;
	d->env[d->st->nfunctions - 1].n = fn->nenv;
	fn->env = NULL;
	fn->nenv = 0;
}

static bool listed(const struct tt_lambda_functions *list, const char *name)
{
	for (size_t i = 0; i < list->n; i++)
		if (strcmp(list->items[i].name, name) == 0)
			return true;
	return false;
}

static bool start_mappings(void *ctx, size_t i)
{
	struct discover *d = ctx;
	struct tt_stack_function *f = &d->st->functions[i];
	struct fn_call *c;
	struct tt_err e;

	if (f->problem)
		return false;
	c = tt_xcalloc(1, sizeof(*c));
	c->d = d;
	c->index = i;
	if (tt_lambda_list_event_source_mappings(&d->aws, f->name, on_esms, c, &e) == 0)
		return true;
	f->problem = problem_of(&e);
	free(c);
	return false;
}

static size_t described_functions(const struct tt_stack *st)
{
	size_t n = 0;

	for (size_t i = 0; i < st->nfunctions; i++)
		n += !st->functions[i].problem;
	return n;
}

/* The list of functions no longer changes: the calls hold indexes into it. */
static void list_mappings(struct discover *d)
{
	struct tt_stack *st = d->st;
	size_t n = described_functions(st);
	struct tt_err e;

	if (n <= MAPPINGS_PER_FUNCTION_MAX) {
		fan_start(d, &d->mapping_fan, st->nfunctions, start_mappings);
		return;
	}
	begin(d);
	if (tt_lambda_list_event_source_mappings(&d->aws, NULL, on_all_esms, d, &e))
		on_all_esms(d, NULL, &e);
}

static void on_functions(void *ctx, struct tt_lambda_functions *list, const struct tt_err *err)
{
	struct discover *d = ctx;

	if (err) {
		add_function(d, "(functions)", "")->problem = problem_of(err);
		end(d);
		return;
	}
	for (size_t i = 0; i < list->n; i++)
		if (wanted(d, &d->fns, list->items[i].name, list->items[i].name))
			take_function(d, &list->items[i]);
	/* Named but gone (deleted, another region): shown, not dropped. */
	for (size_t i = 0; i < d->fns.n; i++)
		if (!listed(list, d->fns.v[i]))
			add_function(d, d->fns.v[i], "")->problem =
			    tt_xasprintf("not found: ListFunctions does not list %s in %s", d->fns.v[i], d->aws.region);
	list_mappings(d);
	end(d);
}

/* --- APIs ------------------------------------------------------------- */

struct api_call {
	struct discover *d;
	size_t index, kind;
};

static struct api_call *api_call(struct discover *d, size_t index, size_t kind)
{
	struct api_call *c = tt_xcalloc(1, sizeof(*c));

	c->d = d;
	c->index = index;
	c->kind = kind;
	return c;
}

static bool call_before(struct call_pos a, struct call_pos b)
{
	if (a.answered != b.answered)
		return !a.answered;
	if (a.http != b.http)
		return !a.http;
	return a.index != b.index ? a.index < b.index : a.kind < b.kind;
}

/* The console shows each API's failure, in its problem; `tiertop apis`
 * names one, the first in call_pos order rather than the first to answer,
 * so that the same failures always read the same. */
static void api_failed(struct discover *d, struct call_pos pos, const struct tt_err *err)
{
	struct tt_stack_api *api = &d->st->apis[pos.index];

	pos.http = api->http;
	if (!api->problem)
		api->problem = problem_of(err);
	if (d->api_failed && !call_before(pos, d->api_err_pos))
		return;
	d->api_err = *err;
	d->api_err_pos = pos;
	d->api_failed = true;
}

/* A call that could not even be sent: note why; its entry is finished. */
static bool api_not_sent(struct api_call *c, const struct tt_err *err)
{
	api_failed(c->d, (struct call_pos){.index = c->index, .kind = c->kind}, err);
	free(c);
	return false;
}

static void api_done(struct api_call *c, const struct tt_err *err)
{
	struct discover *d = c->d;

	if (err)
		api_failed(d, (struct call_pos){.answered = true, .index = c->index, .kind = c->kind}, err);
	free(c);
	fan_done(d, &d->api_fan);
}

static struct tt_apigw_var *copy_vars(const struct tt_apigw_var *vars, size_t n)
{
	struct tt_apigw_var *out = tt_xcalloc(n + 1, sizeof(*out));

	for (size_t i = 0; i < n; i++) {
		out[i].name = tt_xstrdup(vars[i].name);
		out[i].value = tt_xstrdup(vars[i].value);
	}
	return out;
}

static void copy_stage_info(struct tt_stack_stage *info, const struct tt_apigw_stage *s)
{
	info->deployment_id = tt_xstrdup(s->deployment_id);
	info->logging_level = tt_xstrdup(s->logging_level);
	info->detailed_metrics = s->metrics_enabled;
	info->auto_deploy = s->auto_deploy;
	info->vars = copy_vars(s->vars, s->nvars);
	info->nvars = s->nvars;
}

void tt_stack_api_add_stages(struct tt_stack_api *api, const struct tt_apigw_stages *list)
{
	size_t n = api->nstages + list->n + 1;

	api->stages = tt_xrealloc(api->stages, n * sizeof(*api->stages));
	api->access_log_arns = tt_xrealloc(api->access_log_arns, n * sizeof(*api->access_log_arns));
	api->stage_info = tt_xrealloc(api->stage_info, n * sizeof(*api->stage_info));
	for (size_t i = 0; i < list->n; i++) {
		copy_stage_info(&api->stage_info[api->nstages], &list->items[i]);
		api->access_log_arns[api->nstages] = tt_xstrdup(list->items[i].access_log_arn);
		api->stages[api->nstages++] = tt_xstrdup(list->items[i].name);
	}
}

static void on_stages(void *ctx, struct tt_apigw_stages *list, const struct tt_err *err)
{
	struct api_call *c = ctx;

	if (!err)
		tt_stack_api_add_stages(&c->d->st->apis[c->index], list);
	api_done(c, err);
}

/* A route as API Gateway's answers state it, borrowed from them. */
struct route_src {
	const char *route, *path, *method, *target, *authorization_type, *integration_type, *integration_uri;
};

/* The function comes from the integration URI. */
static void add_route(struct tt_stack_api *api, const struct route_src *from)
{
	char *ref = tt_apigw_lambda_function(from->integration_uri);
	char *fn = tt_stack_function_name(ref);
	struct tt_stack_route_info *r;

	api->routes = tt_xrealloc(api->routes, (api->nroutes + 1) * sizeof(*api->routes));
	api->route_info = tt_xrealloc(api->route_info, (api->nroutes + 1) * sizeof(*api->route_info));
	api->routes[api->nroutes].route = tt_xstrdup(from->route);
	api->routes[api->nroutes].function = fn ? fn : tt_xstrdup("");
	r = &api->route_info[api->nroutes++];
	r->path = tt_xstrdup(from->path);
	r->method = tt_xstrdup(from->method);
	r->target = tt_xstrdup(from->target);
	r->authorization_type = tt_xstrdup(from->authorization_type);
	r->integration_type = tt_xstrdup(from->integration_type);
	r->integration_uri = tt_xstrdup(from->integration_uri);
	free(ref);
}

static void add_method(struct tt_stack_api *api, const struct tt_apigw_resource *res,
		       const struct tt_apigw_method *m)
{
	char *route = tt_xasprintf("%s %s", m->http_method, res->path);

	add_route(api, &(struct route_src){
			       .route = route,
			       .path = res->path,
			       .method = m->http_method,
			       .target = "",
			       .authorization_type = m->authorization_type,
			       .integration_type = m->integration_type,
			       .integration_uri = m->integration_uri,
		       });
	free(route);
}

void tt_stack_api_add_resources(struct tt_stack_api *api, const struct tt_apigw_resources *list)
{
	for (size_t r = 0; r < list->n; r++)
		for (size_t m = 0; m < list->items[r].nmethods; m++)
			add_method(api, &list->items[r], &list->items[r].methods[m]);
}

static const struct tt_apigw_integration *find_integration(const struct tt_apigw_integrations *list,
							   const char *target)
{
	const char *id = tt_apigw_route_integration(target);

	for (size_t i = 0; id && i < list->n; i++)
		if (strcmp(list->items[i].id, id) == 0)
			return &list->items[i];
	return NULL;
}

void tt_stack_api_add_routes(struct tt_stack_api *api, const struct tt_apigw_routes *routes,
			     const struct tt_apigw_integrations *integrations)
{
	for (size_t i = 0; i < routes->n; i++) {
		const struct tt_apigw_route *rt = &routes->items[i];
		const struct tt_apigw_integration *in = find_integration(integrations, rt->target);
		add_route(api, &(struct route_src){
				       .route = rt->route_key,
				       .path = "",
				       .method = "",
				       .target = rt->target,
				       .authorization_type = rt->authorization_type,
				       .integration_type = in ? in->type : "",
				       .integration_uri = in ? in->uri : "",
			       });
	}
}

static void on_resources(void *ctx, struct tt_apigw_resources *list, const struct tt_err *err)
{
	struct api_call *c = ctx;

	if (!err)
		tt_stack_api_add_resources(&c->d->st->apis[c->index], list);
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

static int send_api_call(struct discover *d, const struct tt_stack_api *api, size_t kind, struct api_call *c,
			 struct tt_err *err)
{
	if (kind == 0)
		return api->http ? tt_apigw_get_http_stages(&d->aws, api->id, on_stages, c, err)
				 : tt_apigw_get_rest_stages(&d->aws, api->id, on_stages, c, err);
	if (kind == 1)
		return api->http ? tt_apigw_get_routes(&d->aws, api->id, on_routes, c, err)
				 : tt_apigw_get_resources(&d->aws, api->id, on_resources, c, err);
	return tt_apigw_get_integrations(&d->aws, api->id, on_integrations, c, err);
}

/* Entry e is call e % API_CALLS of the API api_todo[e / API_CALLS]. */
static bool start_api_call(void *ctx, size_t e)
{
	struct discover *d = ctx;
	size_t i = d->api_todo[e / API_CALLS], kind = e % API_CALLS;
	const struct tt_stack_api *api = &d->st->apis[i];
	struct api_call *c;
	struct tt_err err;

	if (kind == 2 && !api->http)
		return false;
	c = api_call(d, i, kind);
	if (send_api_call(d, api, kind, c, &err))
		return api_not_sent(c, &err);
	return true;
}

/* Valid until the next add_api. */
static struct tt_stack_api *add_api(struct discover *d, bool http, const char *id, const char *name)
{
	struct tt_stack *st = d->st;
	struct tt_stack_api *api;

	st->apis = tt_xrealloc(st->apis, (st->napis + 1) * sizeof(*st->apis));
	d->http = tt_xrealloc(d->http, (st->napis + 1) * sizeof(*d->http));
	memset(&d->http[st->napis], 0, sizeof(*d->http));
	d->nhttp = st->napis + 1;
	api = &st->apis[st->napis++];
	memset(api, 0, sizeof(*api));
	api->http = http;
	api->id = tt_xstrdup(id);
	api->name = tt_xstrdup(name);
	api->endpoint_type = tt_xstrdup("");
	api->protocol_type = tt_xstrdup("");
	api->endpoint = tt_xstrdup("");
	return api;
}

static void set_text(char **field, const char *value)
{
	free(*field);
	*field = tt_xstrdup(value);
}

static bool api_found(const struct tt_stack *st, const char *what)
{
	for (size_t i = 0; i < st->napis; i++)
		if (strcmp(st->apis[i].id, what) == 0 || strcmp(st->apis[i].name, what) == 0)
			return true;
	return false;
}

/* An API named one by one that neither list has is shown, not dropped
 * (unless a list failed: then its row already says why). */
static void add_missing_apis(struct discover *d)
{
	for (size_t i = 0; i < d->st->napis; i++)
		if (d->st->apis[i].problem)
			return;
	for (size_t i = 0; i < d->api_names.n; i++) {
		const char *what = d->api_names.v[i];
		if (api_found(d->st, what))
			continue;
		add_api(d, false, what, what)->problem =
		    tt_xasprintf("not found: no REST or HTTP API has the id or name %s in %s", what, d->aws.region);
	}
}

/* Both API lists arrive before any API is described, so the array of APIs
 * no longer moves while describe calls hold indexes into it. */
static void describe_apis_when_listed(struct discover *d)
{
	size_t n = 0;

	if (--d->api_lists > 0)
		return;
	add_missing_apis(d);
	/* Chosen now: a problem found while describing must not stop the
	 * API's other calls. REST APIs first, whichever list came first, so
	 * that the calls (and the first failure `apis` reports) come in the
	 * same order every time. */
	d->api_todo = tt_xcalloc(d->st->napis + 1, sizeof(*d->api_todo));
	for (int http = 0; http < 2; http++)
		for (size_t i = 0; i < d->st->napis; i++)
			if (!d->st->apis[i].problem && d->st->apis[i].http == http)
				d->api_todo[n++] = i;
	fan_start(d, &d->api_fan, n * API_CALLS, start_api_call);
}

/* A list that failed is a row of its own, to carry the problem. */
static void list_failed(struct discover *d, bool http, bool answered, const struct tt_err *err)
{
	add_api(d, http, "", http ? "(HTTP APIs)" : "(REST APIs)");
	api_failed(d, (struct call_pos){.answered = answered, .index = d->st->napis - 1}, err);
}

static void on_rest_apis(void *ctx, struct tt_apigw_rest_apis *list, const struct tt_err *err)
{
	struct discover *d = ctx;

	if (err)
		list_failed(d, false, true, err);
	for (size_t i = 0; !err && i < list->n; i++) {
		const struct tt_apigw_rest_api *a = &list->items[i];
		if (api_wanted(d, &d->rest_ids, a->id, a->name))
			set_text(&add_api(d, false, a->id, a->name)->endpoint_type, a->endpoint_type);
	}
	describe_apis_when_listed(d);
	end(d);
}

static void on_http_apis(void *ctx, struct tt_apigw_apis *list, const struct tt_err *err)
{
	struct discover *d = ctx;
	struct tt_stack_api *api;

	if (err)
		list_failed(d, true, true, err);
	for (size_t i = 0; !err && i < list->n; i++) {
		const struct tt_apigw_api *a = &list->items[i];
		if (!api_wanted(d, &d->http_ids, a->id, a->name))
			continue;
		api = add_api(d, true, a->id, a->name);
		api->websocket = a->protocol_type && strcmp(a->protocol_type, "WEBSOCKET") == 0;
		set_text(&api->protocol_type, a->protocol_type);
		set_text(&api->endpoint, a->endpoint);
	}
	describe_apis_when_listed(d);
	end(d);
}

/* --- selection and the start ---------------------------------------------- */

static void list_not_sent(struct discover *d, bool http, const struct tt_err *err)
{
	list_failed(d, http, false, err);
	describe_apis_when_listed(d);
	end(d);
}

static void list_apis(struct discover *d)
{
	struct tt_err err;

	d->api_lists = 2;
	begin(d);
	if (tt_apigw_get_rest_apis(&d->aws, on_rest_apis, d, &err))
		list_not_sent(d, false, &err);
	begin(d);
	if (tt_apigw_get_apis(&d->aws, on_http_apis, d, &err))
		list_not_sent(d, true, &err);
}

static void start_describing(struct discover *d)
{
	struct tt_err err;

	if (d->apis_only) {
		list_apis(d);
		return;
	}
	begin(d);
	if (tt_lambda_list_functions(&d->aws, on_functions, d, &err))
		on_functions(d, NULL, &err);
	list_apis(d);
	if (d->prefixes.n) {
		begin(d);
		if (tt_ddb_list_tables(&d->aws, on_table_names, d, &err))
			on_table_names(d, NULL, 0, &err);
	} else {
		for (size_t i = 0; i < d->tables.n; i++)
			add_table(d->st, d->tables.v[i]);
		describe_tables(d);
	}
}

/* A selection call answered. The last one to answer starts the rest, unless
 * one failed: a partial selection would look like a complete one. */
static void selected(struct discover *d, const struct tt_err *err)
{
	if (err && !d->selection_failed) {
		d->selection_failed = true;
		d->err = *err;
	}
	if (--d->selecting == 0 && !d->selection_failed)
		start_describing(d);
	end(d);
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

	for (size_t i = 0; !err && i < list->n; i++)
		select_arn(d, list->items[i].arn);
	selected(d, err);
}

/* Nested stacks (and SAM applications, which deploy as nested stacks) are
 * part of the application: their resources are listed too, each stack once
 * (a stack seen again by name or ARN is skipped) and at most this deep. */
#define MAX_STACK_DEPTH 8
#define MAX_STACKS 100

struct stack_call {
	struct discover *d;
	int depth;
};

static int list_stack(struct discover *d, const char *stack, int depth, struct tt_err *err);

static bool is_nested_stack(const struct tt_cfn_resource *r)
{
	return strcmp(r->type, "AWS::CloudFormation::Stack") == 0 ||
	       strcmp(r->type, "AWS::Serverless::Application") == 0;
}

static void follow_nested(struct discover *d, const struct tt_cfn_resource *r, int depth)
{
	struct tt_err err;

	/* A nested stack still being created has no physical id yet. */
	if (!r->physical_id || !*r->physical_id || d->selection_failed)
		return;
	if (depth > MAX_STACK_DEPTH || d->stacks.n >= MAX_STACKS) {
		d->selection_failed = true;
		tt_err_set(&d->err, TT_ERR_FAILURE, "nested stack %s: stacks nest deeper than %d levels or number more "
			   "than %d", r->logical_id, MAX_STACK_DEPTH, MAX_STACKS);
		return;
	}
	if (list_stack(d, r->physical_id, depth, &err) && !d->selection_failed) {
		d->selection_failed = true;
		d->err = err;
	}
}

static void on_stack_resources(void *ctx, const struct tt_cfn_resources *list, const struct tt_err *err)
{
	struct stack_call *call = ctx;
	struct discover *d = call->d;

	for (size_t i = 0; !err && i < list->n; i++) {
		const struct tt_cfn_resource *r = &list->items[i];
		if (is_nested_stack(r))
			follow_nested(d, r, call->depth + 1);
		else if (strcmp(r->type, "AWS::Lambda::Function") == 0)
			names_add(&d->fns, r->physical_id);
		else if (strcmp(r->type, "AWS::DynamoDB::Table") == 0)
			names_add(&d->tables, r->physical_id);
		else if (strcmp(r->type, "AWS::ApiGateway::RestApi") == 0)
			names_add(&d->rest_ids, r->physical_id);
		else if (strcmp(r->type, "AWS::ApiGatewayV2::Api") == 0)
			names_add(&d->http_ids, r->physical_id);
	}
	free(call);
	selected(d, err);
}

static int check_tag(const char *value, struct tt_err *err)
{
	const char *eq = strchr(value, '=');

	if (!eq || eq == value)
		return tt_err_set(err, TT_ERR_USAGE, "a tag selector takes KEY=VALUE, not \"%s\"", value);
	return 0;
}

static int select_by_tag(struct discover *d, const char *value, struct tt_err *err)
{
	const char *eq = strchr(value, '=');
	char *key = tt_xstrndup(value, (size_t)(eq - value));
	int rc;

	begin(d);
	d->selecting++;
	rc = tt_tagging_find(&d->aws, key, eq + 1, on_tagged, d, err);
	free(key);
	if (rc) {
		d->selecting--;
		d->pending--;
	}
	return rc;
}

static int list_stack(struct discover *d, const char *stack, int depth, struct tt_err *err)
{
	char *name = tt_stack_cfn_stack_name(stack);
	struct stack_call *call;
	bool seen = names_has(&d->stacks, name);

	names_add(&d->stacks, name);
	free(name);
	if (seen)
		return 0;
	call = tt_xmalloc(sizeof(*call));
	*call = (struct stack_call){d, depth};
	begin(d);
	d->selecting++;
	if (tt_cfn_list_stack_resources(&d->aws, stack, on_stack_resources, call, err) == 0)
		return 0;
	free(call);
	d->selecting--;
	d->pending--;
	return -1;
}

static int select_by_stack(struct discover *d, const char *name, struct tt_err *err)
{
	return list_stack(d, name, 0, err);
}

/* Names and prefixes need no call; stacks and tags do. */
static int select_one(struct discover *d, const struct tt_select *sel, struct tt_err *err)
{
	switch (sel->kind) {
	case TT_SELECT_STACK: return select_by_stack(d, sel->value, err);
	case TT_SELECT_TAG: return select_by_tag(d, sel->value, err);
	case TT_SELECT_PREFIX: names_add(&d->prefixes, sel->value); return 0;
	case TT_SELECT_FUNCTION: names_add(&d->fns, sel->value); return 0;
	case TT_SELECT_TABLE: names_add(&d->tables, sel->value); return 0;
	case TT_SELECT_API: names_add(&d->api_names, sel->value); return 0;
	}
	return tt_err_set(err, TT_ERR_USAGE, "unknown kind of selector");
}

static int check_selection(const struct tt_select *sel, size_t n, struct tt_err *err)
{
	if (n == 0)
		return tt_err_set(err, TT_ERR_USAGE, "nothing selects the application");
	for (size_t i = 0; i < n; i++) {
		if (!sel[i].value || (!*sel[i].value && sel[i].kind != TT_SELECT_PREFIX))
			return tt_err_set(err, TT_ERR_USAGE, "an empty selector");
		if (sel[i].kind == TT_SELECT_TAG && check_tag(sel[i].value, err))
			return -1;
	}
	return 0;
}

static struct discover *discover_new(const struct tt_aws *aws, const struct tt_select *sel, size_t n,
				     tt_stack_fn done, void *ctx)
{
	struct discover *d = tt_xcalloc(1, sizeof(*d));

	d->aws = *aws;
	d->done = done;
	d->ctx = ctx;
	d->st = tt_xcalloc(1, sizeof(*d->st));
	d->st->selector = tt_stack_describe_selection(sel, n);
	return d;
}

void tt_stack_crawl_apis(const struct tt_aws *aws, tt_stack_fn done, void *ctx)
{
	const struct tt_select region = {TT_SELECT_PREFIX, ""};
	struct discover *d = discover_new(aws, &region, 1, done, ctx);

	d->apis_only = true;
	names_add(&d->prefixes, "");
	begin(d);
	d->selecting = 1;
	selected(d, NULL);
}

int tt_stack_discover(const struct tt_aws *aws, const struct tt_select *sel, size_t n, tt_stack_fn done,
		      void *ctx, struct tt_err *err)
{
	struct discover *d;

	if (check_selection(sel, n, err))
		return -1;
	d = discover_new(aws, sel, n, done, ctx);
	/* The extra counts keep the discovery alive, and the describing from
	 * starting, until every selection call is out, even if some answer at
	 * once. */
	begin(d);
	d->selecting = 1;
	for (size_t i = 0; i < n; i++) {
		if (select_one(d, &sel[i], err) == 0)
			continue;
		/* Calls already out will answer into d: let them fail it. */
		d->selection_failed = true;
		d->err = *err;
		break;
	}
	if (d->selection_failed && d->pending == 1) {
		tt_stack_free(&d->st);
		discover_free(d);
		return -1;
	}
	selected(d, NULL);
	return 0;
}

static void free_stage_info(struct tt_stack_stage *s)
{
	free(s->deployment_id);
	free(s->logging_level);
	for (size_t i = 0; i < s->nvars; i++) {
		free(s->vars[i].name);
		free(s->vars[i].value);
	}
	free(s->vars);
}

static void free_route_info(struct tt_stack_route_info *r)
{
	free(r->path);
	free(r->method);
	free(r->target);
	free(r->authorization_type);
	free(r->integration_type);
	free(r->integration_uri);
}

static void free_api(struct tt_stack_api *a)
{
	free(a->id);
	free(a->name);
	for (size_t i = 0; i < a->nstages; i++) {
		free(a->stages[i]);
		if (a->access_log_arns)
			free(a->access_log_arns[i]);
	}
	free(a->stages);
	free(a->access_log_arns);
	for (size_t i = 0; a->stage_info && i < a->nstages; i++)
		free_stage_info(&a->stage_info[i]);
	free(a->stage_info);
	free(a->endpoint_type);
	free(a->protocol_type);
	free(a->endpoint);
	for (size_t i = 0; i < a->nroutes; i++) {
		free(a->routes[i].route);
		free(a->routes[i].function);
		if (a->route_info)
			free_route_info(&a->route_info[i]);
	}
	free(a->routes);
	free(a->route_info);
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
		free(f->log_group);
		for (size_t k = 0; k < f->ntables; k++) {
			free(f->tables[k].table);
			free(f->tables[k].via);
		}
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
