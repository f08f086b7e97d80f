/* An API drill-down: its stages, its routes with the function behind each
 * (Enter opens that function), and the stage's metrics as charts. Every
 * figure comes from the tier screen's snapshot; nothing is fetched here
 * (l opens the stage's access log in a logs view, which does). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiertop/keys.h"
#include "tiertop/svc_apigw.h"
#include "tiertop/view_logs.h"
#include "tiertop/views.h"
#include "tiertop/widgets.h"
#include "tiertop/xalloc.h"

struct api_view {
	struct tt_view base;
	struct tt_snapshot *snap;
	char *name;
	char *stage;
	char crumb[200];
	struct tt_table routes; /* rows: the API's routes */
};

enum { A_NAV = 1, A_OPEN = A_NAV + TT_NAV_COUNT, A_LOGS, A_ACCESS, A_COPY };

static const struct tt_keybind binds[] = {
	TT_NAV_BINDS(A_NAV, "route", "routes"),
	{TT_KEY_ENTER, A_OPEN, "open the route's function"},
	{'L', A_LOGS, "logs of the route's function"},
	{'l', A_ACCESS, "the stage's access log (follow)"},
	{'y', A_COPY, "copy the route"},
};

static const struct tt_keymap keymap = {"API", binds, sizeof(binds) / sizeof(binds[0])};
const struct tt_keymap *const tt_keymap_api = &keymap;

static const struct tt_stack_api *find_api(const struct api_view *a)
{
	const struct tt_stack *st = tt_snapshot_stack(a->snap);

	for (size_t i = 0; st && i < st->napis; i++)
		if (strcmp(st->apis[i].name, a->name) == 0)
			return &st->apis[i];
	return NULL;
}

static long stage_index(const struct api_view *a, const struct tt_stack_api *api);

/* "REST API, id X, stages: prod | access log: GROUP (l)" for the stage shown. */
static void draw_stages(const struct api_view *a, const struct tt_stack_api *api, struct tt_canvas *c, int y)
{
	char line[768];
	long shown = stage_index(a, api);
	const char *arn = shown >= 0 && api->access_log_arns ? api->access_log_arns[shown] : NULL;
	char *group = arn && *arn ? tt_apigw_access_log_group(arn) : NULL;
	int n = snprintf(line, sizeof(line), "%s API, id %s, stages:", api->http ? "HTTP" : "REST", api->id);

	for (size_t i = 0; i < api->nstages && n > 0 && (size_t)n < sizeof(line); i++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " %s", api->stages[i]);
	if (n > 0 && (size_t)n < sizeof(line) && api->access_log_arns && shown >= 0)
		snprintf(line + n, sizeof(line) - (size_t)n, " | access log: %.300s",
			 group ? group : *arn ? arn : "none");
	free(group);
	tt_canvas_text(c, 0, y, c->w, line, tt_style_plain());
}

static const struct tt_table_col route_cols[] = {{"ROUTES", 32, false}, {"FUNCTION", 0, false}};

struct route_ctx {
	const struct tt_stack_api *api;
	bool utf8;
	char buf[512]; /* the last cell returned */
};

static const char *route_cell(void *ctx, size_t row, size_t col, struct tt_style *st)
{
	struct route_ctx *rc = ctx;
	const struct tt_stack_route *r = &rc->api->routes[row];

	(void)st;
	if (col == 0)
		return r->route;
	snprintf(rc->buf, sizeof(rc->buf), "%s %s", rc->utf8 ? "\xe2\x86\x92" : "->",
		 *r->function ? r->function : "(not a Lambda)");
	return rc->buf;
}

static void draw_routes(struct api_view *a, const struct tt_stack_api *api, struct tt_canvas *c, int y, int h)
{
	struct route_ctx rc = {api, c->utf8, ""};

	tt_table_set_rows(&a->routes, api->nroutes);
	tt_table_draw(&a->routes, c, 0, y, c->w, h, route_cell, &rc,
		      api->problem ? api->problem : "(no routes)");
}

static void api_draw(struct tt_view *v, struct tt_canvas *c, int y, int h)
{
	struct api_view *a = (struct api_view *)v;
	const struct tt_stack_api *api = find_api(a);
	long row;
	int routes_h, chart_h = h >= 40 ? 4 : 2;

	if (!api) {
		tt_canvas_text(c, 0, y, c->w, "this API is no longer in the application", tt_style_warn());
		return;
	}
	draw_stages(a, api, c, y);
	routes_h = (int)api->nroutes + 1 < h / 3 ? (int)api->nroutes + 1 : h / 3;
	if (routes_h < 2)
		routes_h = 2;
	draw_routes(a, api, c, y + 1, routes_h);
	row = tt_snapshot_find(a->snap, api->websocket ? TT_RES_WS_API : api->http ? TT_RES_HTTP_API : TT_RES_REST_API,
			       a->name, a->stage);
	tt_canvas_text(c, 0, y + 1 + routes_h, c->w, a->stage ? a->stage : "(no stage: no metrics)", tt_style_header());
	tt_draw_metric_grid(c, y + 2 + routes_h, h - 2 - routes_h, a->snap, row, chart_h);
}

static const char *route_function(const struct api_view *a)
{
	const struct tt_stack_api *api = find_api(a);
	size_t sel = a->routes.sel;

	return api && sel < api->nroutes && *api->routes[sel].function ? api->routes[sel].function : NULL;
}

/* The stage the view shows: the one it was opened on, else the API's first. */
static long stage_index(const struct api_view *a, const struct tt_stack_api *api)
{
	for (size_t i = 0; i < api->nstages; i++)
		if (!a->stage || strcmp(api->stages[i], a->stage) == 0)
			return (long)i;
	return -1;
}

/* Follows the stage's access-log group, or says why there is none to follow. */
static void open_access_log(struct tt_view *v, const struct tt_stack_api *api, int64_t now_ms)
{
	struct api_view *a = (struct api_view *)v;
	long i = api ? stage_index(a, api) : -1;
	const char *arn = i >= 0 && api->access_log_arns ? api->access_log_arns[i] : NULL;
	char msg[600], title[300];
	struct tt_view_logs_opts opts;
	char *group;

	if (i < 0) {
		v->env->message(v->env->con, "this API has no stage");
		return;
	}
	if (!arn || !*arn) {
		snprintf(msg, sizeof(msg), "no access logging on stage %s", api->stages[i]);
		v->env->message(v->env->con, msg);
		return;
	}
	group = tt_apigw_access_log_group(arn);
	if (!group) {
		snprintf(msg, sizeof(msg), "stage %s sends its access logs to %.400s, not to CloudWatch Logs",
			 api->stages[i], arn);
		v->env->message(v->env->con, msg);
		return;
	}
	memset(&opts, 0, sizeof(opts));
	tt_tail_io_aws(&opts.io, v->env->aws);
	snprintf(title, sizeof(title), "access %s/%s", api->name, api->stages[i]);
	v->env->push(v->env->con, tt_view_logs_new(v->env, (const char *const *)&group, 1, title, &opts, now_ms));
	free(group);
}

static int api_key(struct tt_view *v, int key, int64_t now_ms)
{
	struct api_view *a = (struct api_view *)v;
	const struct tt_stack_api *api = find_api(a);
	const char *fn = route_function(a);
	int action = tt_keymap_action(&keymap, key);

	if (tt_nav_of(action, A_NAV) >= 0) {
		tt_table_set_rows(&a->routes, api ? api->nroutes : 0);
		tt_table_key(&a->routes, tt_nav_key(tt_nav_of(action, A_NAV)));
		v->dirty = true;
		return TT_VIEW_HANDLED;
	}
	switch (action) {
	case A_OPEN:
		if (fn)
			v->env->push(v->env->con, tt_view_function_new(v->env, a->snap, fn));
		else
			v->env->message(v->env->con, "this route does not call a Lambda function");
		break;
	case A_LOGS:
		if (fn)
			v->env->push(v->env->con, tt_view_function_logs(v->env, a->snap, fn, NULL));
		break;
	case A_ACCESS: open_access_log(v, api, now_ms); break;
	case A_COPY:
		if (api && a->routes.sel < api->nroutes)
			v->env->copy(v->env->con, api->routes[a->routes.sel].route);
		break;
	default: return TT_VIEW_IGNORED;
	}
	v->dirty = true;
	return TT_VIEW_HANDLED;
}

static const char *api_crumb(const struct tt_view *v)
{
	return ((const struct api_view *)v)->crumb;
}

static void api_free(struct tt_view *v)
{
	struct api_view *a = (struct api_view *)v;

	free(a->name);
	free(a->stage);
	free(a);
}

static const struct tt_view_ops ops = {
	.kind = "api",
	.crumb = api_crumb,
	.draw = api_draw,
	.key = api_key,
	.free = api_free,
	.keymap = &keymap,
};

struct tt_view *tt_view_api_new(const struct tt_view_env *env, struct tt_snapshot *snap, const char *name,
				const char *stage)
{
	struct api_view *a = tt_xcalloc(1, sizeof(*a));

	a->base.ops = &ops;
	a->base.env = env;
	a->base.dirty = true;
	a->snap = snap;
	tt_table_init(&a->routes, route_cols, sizeof(route_cols) / sizeof(route_cols[0]));
	a->name = tt_xstrdup(name);
	a->stage = stage ? tt_xstrdup(stage) : NULL;
	snprintf(a->crumb, sizeof(a->crumb), "api %s%s%s", name, stage ? "/" : "", stage ? stage : "");
	return &a->base;
}
