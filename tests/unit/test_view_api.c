/* The API drill-down and its stage's access log: the stage line says where
 * access logs go, `l` opens a logs view following that group, and a stage
 * without access logging (or logging elsewhere than CloudWatch Logs) says
 * so instead. Rendered into a canvas and compared with golden text. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "testutil.h"
#include "viewtest.h"
#include "tiertop/canvas.h"
#include "tiertop/help.h"
#include "tiertop/keys.h"
#include "tiertop/views.h"
#include "tiertop/xalloc.h"

#define ACCESS_ARN "arn:aws:logs:us-east-1:111122223333:log-group:/aws/apigateway/feedback-api-access:*"

static struct {
	tt_stack_fn stack_done;
	void *stack_ctx;
	tt_cw_data_fn data_done[8];
	void *data_ctx[8];
	int ndata;
	tt_cw_alarms_fn alarms_done;
	void *alarms_ctx;
	char ids[64][32]; /* the last metrics call's query ids */
	size_t nids;
} F;

static int fake_discover(void *io, const struct tt_select *sel, size_t n, tt_stack_fn done, void *ctx,
			 struct tt_err *err)
{
	(void)io, (void)sel, (void)n, (void)err;
	F.stack_done = done;
	F.stack_ctx = ctx;
	return 0;
}

static int fake_metrics(void *io, const struct tt_cw_query *q, size_t n, time_t start, time_t end,
			tt_cw_data_fn done, void *ctx, struct tt_err *err)
{
	(void)io, (void)start, (void)end, (void)err;
	F.nids = 0;
	for (size_t i = 0; i < n && F.nids < 64; i++)
		snprintf(F.ids[F.nids++], sizeof(F.ids[0]), "%s", q[i].id);
	if (F.ndata < 8) {
		F.data_done[F.ndata] = done;
		F.data_ctx[F.ndata++] = ctx;
	}
	return 0;
}

static int fake_alarms(void *io, tt_cw_alarms_fn done, void *ctx, struct tt_err *err)
{
	(void)io, (void)err;
	F.alarms_done = done;
	F.alarms_ctx = ctx;
	return 0;
}

static const struct tt_snapshot_io fake_io = {fake_discover, fake_metrics, fake_alarms, NULL};

static void add_api(struct tt_stack_api *a, bool http, const char *id, const char *name, const char *stage,
		    const char *arn)
{
	a->http = http;
	a->id = tt_xstrdup(id);
	a->name = tt_xstrdup(name);
	a->nstages = 1;
	a->stages = tt_xcalloc(1, sizeof(char *));
	a->stages[0] = tt_xstrdup(stage);
	a->access_log_arns = tt_xcalloc(1, sizeof(char *));
	a->access_log_arns[0] = tt_xstrdup(arn);
	a->nroutes = 1;
	a->routes = tt_xcalloc(1, sizeof(*a->routes));
	a->routes[0].route = tt_xstrdup("POST /feedback");
	a->routes[0].function = tt_xstrdup("submit-feedback");
}

/* A REST API logging to CloudWatch Logs, an HTTP API without access logs,
 * and one logging to Firehose. */
static struct tt_stack *make_stack(void)
{
	struct tt_stack *st = tt_xcalloc(1, sizeof(*st));

	st->selector = tt_xstrdup("stack feedback-stack");
	st->napis = 3;
	st->apis = tt_xcalloc(3, sizeof(*st->apis));
	add_api(&st->apis[0], false, "a1b2c3", "feedback-api", "prod", ACCESS_ARN);
	add_api(&st->apis[1], true, "h1", "feedback-http", "$default", "");
	add_api(&st->apis[2], false, "f9", "firehose-api", "prod",
		"arn:aws:firehose:us-east-1:111122223333:deliverystream/amazon-apigateway-x");
	st->nfunctions = 1;
	st->functions = tt_xcalloc(1, sizeof(*st->functions));
	st->functions[0].name = tt_xstrdup("submit-feedback");
	st->functions[0].runtime = tt_xstrdup("python3.12");
	st->functions[0].timeout_s = 10;
	return st;
}

static void answer_the_rest(void)
{
	struct tt_err err;

	tt_err_set(&err, TT_ERR_NETWORK, "the test is over");
	for (int i = 0; i < F.ndata; i++)
		F.data_done[i](F.data_ctx[i], NULL, &err);
	if (F.alarms_done)
		F.alarms_done(F.alarms_ctx, NULL, &err);
}

static void golden(struct tt_view *v, int w, int h, bool utf8, const char *name)
{
	struct tt_canvas *c = tt_canvas_new(w, h, utf8);
	char *text;

	v->ops->draw(v, c, 0, h);
	text = tt_canvas_text_dump(c);
	tap_ok(tt_golden_check(name, text), "golden %s", name);
	free(text);
	tt_canvas_free(&c);
}

static bool screen_has_at(struct tt_view *v, int w, int h, const char *needle)
{
	struct tt_canvas *c = tt_canvas_new(w, h, true);
	char *text;
	bool found;

	v->ops->draw(v, c, 0, h);
	text = tt_canvas_text_dump(c);
	found = strstr(text, needle) != NULL;
	free(text);
	tt_canvas_free(&c);
	return found;
}

static bool screen_has(struct tt_view *v, const char *needle)
{
	return screen_has_at(v, 160, 48, needle);
}

static void test_access_log(void)
{
	struct tt_select sel = {TT_SELECT_STACK, "feedback-stack"};
	struct tt_view_tiers_opts opts = {.sel = &sel, .nsel = 1, .range_s = 3600, .period_s = 300,
					  .interval_ms = 60000, .io = &fake_io};
	struct tt_view_env env = {.utf8 = true, .color = true, VT_ENV_FAKES};
	int64_t now = vt_clock_ms;
	struct tt_view *tiers, *api;
	struct tt_snapshot *snap;

	memset(&F, 0, sizeof(F));
	vt_env_reset();
	tiers = tt_view_tiers_new(&env, &opts);
	tiers->ops->tick(tiers, now);
	F.stack_done(F.stack_ctx, make_stack(), NULL);
	tiers->ops->tick(tiers, now);
	snap = tt_view_tiers_snapshot(tiers);

	api = tt_view_api_new(&env, snap, "feedback-api", "prod");
	golden(api, 80, 24, true, "api_access_80x24");
	golden(api, 160, 48, false, "api_access_160x48_ascii");
	tap_ok(screen_has(api, "stages: prod | access log: /aws/apigateway/feedback-api-access"),
	       "the stage line names the access-log group (from its ARN, \":*\" dropped)");
	tap_ok(api->ops->key(api, 'l', now) == TT_VIEW_HANDLED && vt_log.pushed[0], "l opens a view");
	tap_ok(strcmp(vt_log.pushed, "logs") == 0 && strcmp(vt_log.crumb, "access feedback-api/prod") == 0,
	       "... a logs view of the stage's access log (%s)", vt_log.pushed[0] ? vt_log.crumb : "none");
	api->ops->free(api);

	vt_env_reset();
	api = tt_view_api_new(&env, snap, "feedback-http", "$default");
	tap_ok(screen_has(api, "stages: $default | access log: none"), "a stage without access logs: none");
	tap_ok(api->ops->key(api, 'l', now) == TT_VIEW_HANDLED && !vt_log.pushed[0], "l opens nothing then");
	tap_str_eq(vt_log.message, "no access logging on stage $default", "... and says why");
	api->ops->free(api);

	api = tt_view_api_new(&env, snap, "firehose-api", NULL);
	api->ops->key(api, 'l', now);
	tap_ok(!vt_log.pushed[0] && strstr(vt_log.message, "not to CloudWatch Logs") &&
		   strstr(vt_log.message, "deliverystream/amazon-apigateway-x"),
	       "access logs sent to Firehose: said, nothing opened (%s)", vt_log.message);
	tap_ok(screen_has(api, "access log: arn:aws:firehose"), "... and the stage line shows the ARN");
	api->ops->free(api);

	tiers->ops->free(tiers);
	answer_the_rest();
}

/* A stack built by hand without the parallel array (as older code and the
 * other tests do) draws and answers l without a crash. */
static void test_unknown_access_logs(void)
{
	struct tt_select sel = {TT_SELECT_STACK, "feedback-stack"};
	struct tt_view_tiers_opts opts = {.sel = &sel, .nsel = 1, .range_s = 3600, .period_s = 300,
					  .interval_ms = 60000, .io = &fake_io};
	struct tt_view_env env = {.utf8 = true, .color = true, VT_ENV_FAKES};
	int64_t now = vt_clock_ms;
	struct tt_view *tiers, *api;
	struct tt_stack *st = make_stack();

	memset(&F, 0, sizeof(F));
	vt_env_reset();
	for (size_t i = 0; i < st->napis; i++) {
		free(st->apis[i].access_log_arns[0]);
		free(st->apis[i].access_log_arns);
		st->apis[i].access_log_arns = NULL;
	}
	tiers = tt_view_tiers_new(&env, &opts);
	tiers->ops->tick(tiers, now);
	F.stack_done(F.stack_ctx, st, NULL);
	tiers->ops->tick(tiers, now);
	api = tt_view_api_new(&env, tt_view_tiers_snapshot(tiers), "feedback-api", "prod");
	tap_ok(!screen_has(api, "access log"), "access logging not known: the stage line does not guess");
	api->ops->key(api, 'l', now);
	tap_str_eq(vt_log.message, "no access logging on stage prod", "l: none known");
	api->ops->free(api);
	tiers->ops->free(tiers);
	answer_the_rest();
}

/* --- the list-navigation keys ------------------------------------------------------------ */


/* An API with 30 routes, and a table 9 functions use (fn-01..fn-09). */
static struct tt_stack *make_long_stack(void)
{
	struct tt_stack *st = tt_xcalloc(1, sizeof(*st));
	struct tt_stack_api *a;
	char buf[32];

	st->selector = tt_xstrdup("stack long-stack");
	st->napis = 1;
	st->apis = a = tt_xcalloc(1, sizeof(*st->apis));
	a->id = tt_xstrdup("l0ng");
	a->name = tt_xstrdup("long-api");
	a->nstages = 1;
	a->stages = tt_xcalloc(1, sizeof(char *));
	a->stages[0] = tt_xstrdup("prod");
	a->nroutes = 30;
	a->routes = tt_xcalloc(30, sizeof(*a->routes));
	for (int i = 0; i < 30; i++) {
		snprintf(buf, sizeof(buf), "GET /r%02d", i + 1);
		a->routes[i].route = tt_xstrdup(buf);
		snprintf(buf, sizeof(buf), "fn-%02d", i % 9 + 1);
		a->routes[i].function = tt_xstrdup(buf);
	}
	st->nfunctions = 9;
	st->functions = tt_xcalloc(9, sizeof(*st->functions));
	for (int i = 0; i < 9; i++) {
		snprintf(buf, sizeof(buf), "fn-%02d", i + 1);
		st->functions[i].name = tt_xstrdup(buf);
		st->functions[i].runtime = tt_xstrdup("python3.12");
		st->functions[i].ntables = 1;
		st->functions[i].tables = tt_xcalloc(1, sizeof(*st->functions[i].tables));
		st->functions[i].tables[0].table = tt_xstrdup("orders");
		st->functions[i].tables[0].via = tt_xstrdup("env TABLE");
	}
	return st;
}

struct nav_step {
	int key;
	const char *want;
};

/* PgUp/PgDn/Home/End/g/G in the API's routes (seen through y, which
 * copies the selected route; 15 routes shown at 160x48, a page moves 14),
 * in the functions wired to a table (seen through Enter, which opens the
 * selected one; 6 shown, a page moves 5), and the function view's keymap
 * (its invocations come from a log tail these tests do not fake). */
static void test_nav_keys(void)
{
	static const char *const route_help[6] = {"previous route", "next route", "previous page of routes",
						  "next page of routes", "first route", "last route"};
	static const char *const fn_help[6] = {"previous function", "next function", "previous page of functions",
					       "next page of functions", "first function", "last function"};
	static const char *const inv_help[6] = {"previous invocation", "next invocation",
						"previous page of invocations", "next page of invocations",
						"first invocation", "last invocation"};
	static const struct nav_step route_steps[] = {
	    {TT_KEY_PGDN, "GET /r15"}, {TT_KEY_PGDN, "GET /r29"}, {TT_KEY_PGDN, "GET /r30"}, {TT_KEY_PGUP, "GET /r16"},
	    {TT_KEY_HOME, "GET /r01"}, {TT_KEY_PGUP, "GET /r01"}, {TT_KEY_END, "GET /r30"}, {'k', "GET /r29"},
	    {'g', "GET /r01"},         {'j', "GET /r02"},         {'G', "GET /r30"},         {TT_KEY_DOWN, "GET /r30"},
	};
	static const struct nav_step fn_steps[] = {
	    {TT_KEY_PGDN, "fn fn-06"}, {TT_KEY_PGDN, "fn fn-09"}, {TT_KEY_PGUP, "fn fn-04"}, {TT_KEY_HOME, "fn fn-01"},
	    {TT_KEY_PGUP, "fn fn-01"}, {TT_KEY_END, "fn fn-09"},  {'k', "fn fn-08"},         {'g', "fn fn-01"},
	    {'j', "fn fn-02"},         {'G', "fn fn-09"},         {TT_KEY_DOWN, "fn fn-09"}, {TT_KEY_UP, "fn fn-08"},
	};
	struct tt_select sel = {TT_SELECT_STACK, "long-stack"};
	struct tt_view_tiers_opts opts = {.sel = &sel, .nsel = 1, .range_s = 3600, .period_s = 300,
					  .interval_ms = 60000, .io = &fake_io};
	struct tt_view_env env = {.utf8 = true, .color = true, VT_ENV_FAKES};
	int64_t now = vt_clock_ms;
	struct tt_view *tiers, *v;
	struct tt_snapshot *snap;
	char name[16];

	memset(&F, 0, sizeof(F));
	vt_env_reset();
	tiers = tt_view_tiers_new(&env, &opts);
	tiers->ops->tick(tiers, now);
	F.stack_done(F.stack_ctx, make_long_stack(), NULL);
	tiers->ops->tick(tiers, now);
	snap = tt_view_tiers_snapshot(tiers);

	v = tt_view_api_new(&env, snap, "long-api", "prod");
	tap_ok(screen_has(v, "GET /r15") && !screen_has(v, "GET /r16"), "15 of the 30 routes shown");
	for (size_t i = 0; i < sizeof(route_steps) / sizeof(route_steps[0]); i++) {
		int r = v->ops->key(v, route_steps[i].key, now);
		vt_log.copied[0] = 0;
		v->ops->key(v, 'y', now);
		tap_ok(r == TT_VIEW_HANDLED && strcmp(vt_log.copied, route_steps[i].want) == 0,
		       "routes, %s: %s selected (%s)", tt_key_name(route_steps[i].key, name), route_steps[i].want,
		       vt_log.copied);
		screen_has(v, ""); /* drawn, as the console does after a key */
	}
	vt_check_nav_help(v, route_help);
	v->ops->free(v);

	v = tt_view_table_new(&env, snap, "orders");
	tap_ok(screen_has(v, "FUNCTIONS wired to it (1-6 of 9)") && screen_has(v, "fn-06") && !screen_has(v, "fn-07"),
	       "table: 6 of the 9 wired functions shown");
	for (size_t i = 0; i < sizeof(fn_steps) / sizeof(fn_steps[0]); i++) {
		int r = v->ops->key(v, fn_steps[i].key, now);
		vt_log.crumb[0] = 0;
		v->ops->key(v, TT_KEY_ENTER, now);
		tap_ok(r == TT_VIEW_HANDLED && strcmp(vt_log.crumb, fn_steps[i].want) == 0,
		       "table's functions, %s: Enter opens %s (%s)", tt_key_name(fn_steps[i].key, name),
		       fn_steps[i].want, vt_log.crumb);
	}
	tap_ok(screen_has(v, "FUNCTIONS wired to it (3-8 of 9)") && screen_has(v, "fn-03") &&
		       !screen_has(v, "fn-09") && !screen_has(v, "fn-02"),
	       "the list scrolls to keep the selection (fn-08) in view");
	vt_check_nav_help(v, fn_help);
	v->ops->free(v);

	v = tt_view_function_new(&env, snap, "fn-01");
	tap_ok(v->ops->key(v, 'G', now) == TT_VIEW_HANDLED && v->ops->key(v, TT_KEY_PGDN, now) == TT_VIEW_HANDLED,
	       "function: G and PgDn with no invocation yet: handled, nothing to move");
	vt_check_nav_help(v, inv_help);
	v->ops->free(v);

	tiers->ops->free(tiers);
	answer_the_rest();
}

/* Answers the last metrics call: 3 for every point of every query. */
static void answer_last_metrics(void)
{
	static const time_t ts[2] = {1767222000, 1767222300};
	static const double values[2] = {3, 3};
	struct tt_cw_series series[64];
	struct tt_cw_data data = {series, F.nids, 1, false};

	for (size_t k = 0; k < F.nids; k++)
		series[k] = (struct tt_cw_series){F.ids[k], NULL, "Complete", 2, ts, values};
	F.ndata--;
	F.data_done[F.ndata](F.data_ctx[F.ndata], &data, NULL);
}

/* Chart titles name the metric as CloudWatch does, with the operation and
 * the statistic; a narrow column cuts the metric name, never the operation
 * or the figure. */
static void test_chart_titles(void)
{
	struct tt_select sel = {TT_SELECT_STACK, "feedback-stack"};
	struct tt_view_tiers_opts opts = {.sel = &sel, .nsel = 1, .range_s = 3600, .period_s = 300,
					  .interval_ms = 60000, .io = &fake_io};
	struct tt_view_env env = {.utf8 = true, .color = true, VT_ENV_FAKES};
	struct tt_stack *st = make_stack();
	struct tt_view *tiers, *v;
	struct tt_snapshot *snap;

	memset(&F, 0, sizeof(F));
	vt_env_reset();
	st->ntables = 1;
	st->tables = tt_xcalloc(1, sizeof(*st->tables));
	st->tables[0].name = tt_xstrdup("Feedback");
	st->tables[0].billing = tt_xstrdup("PAY_PER_REQUEST");
	tiers = tt_view_tiers_new(&env, &opts);
	tiers->ops->tick(tiers, vt_clock_ms);
	F.stack_done(F.stack_ctx, st, NULL);
	tiers->ops->tick(tiers, vt_clock_ms);
	snap = tt_view_tiers_snapshot(tiers);
	tap_ok(F.ndata == 1 && F.nids > 20, "one metrics call for the rows (%zu queries)", F.nids);
	answer_last_metrics();

	v = tt_view_table_new(&env, snap, "Feedback");
	tap_ok(screen_has_at(v, 160, 48, "SuccessfulRequestLatency GetItem Average 3ms"),
	       "160 columns: metric, operation, statistic and figure");
	tap_ok(screen_has_at(v, 80, 24, "SuccessfulRequestL\u2026 GetItem Average 3ms"),
	       "80 columns: the metric name is cut, the operation and figure kept");
	tap_ok(screen_has_at(v, 80, 24, "ConsumedReadCapacityUnits Sum 6"), "... a name that fits is whole");
	v->ops->free(v);

	v = tt_view_function_new(&env, snap, "submit-feedback");
	tap_ok(screen_has_at(v, 80, 24, "Duration p99 3ms") && screen_has_at(v, 80, 24, "Duration p50 3ms"),
	       "a function's duration charts: Duration p50 and p99");
	tap_ok(screen_has_at(v, 80, 24, "Invocations Sum 6"), "... its invocations");
	tap_ok(screen_has(v, "(firehose-api) | tables: (none known)"), "a function writing no known table says so");
	v->ops->free(v);

	v = tt_view_api_new(&env, snap, "feedback-http", "$default");
	tap_ok(screen_has_at(v, 80, 24, "4xx Sum 6") && screen_has_at(v, 80, 24, "IntegrationLatency p99 3ms"),
	       "an HTTP API's charts under its own metric names");
	v->ops->free(v);
	tiers->ops->free(tiers);
	answer_the_rest();
}

int main(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	test_access_log();
	test_unknown_access_logs();
	test_nav_keys();
	test_chart_titles();
	return tap_done();
}
