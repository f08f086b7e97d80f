/* The tier screen and the drill-downs rendered into a canvas with a fake
 * AWS behind the snapshot, compared with golden text at 80x24 and 160x48,
 * UTF-8 and ASCII; plus keys (moving, Tab, filter, range) and what the
 * view asks for (only the rows on screen are "visible"). */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "testutil.h"
#include "viewtest.h"
#include "tiertop/canvas.h"
#include "tiertop/help.h"
#include "tiertop/keys.h"
#include "tiertop/sched.h"
#include "tiertop/views.h"
#include "tiertop/xalloc.h"

/* Every call the view made, so that the ones still unanswered when a test
 * ends can be answered then (after the view is freed, as a late answer
 * would be): the snapshot's records free themselves on an answer. */
struct pending {
	tt_stack_fn stack_done;
	tt_cw_data_fn data_done;
	tt_cw_alarms_fn alarms_done;
	void *ctx;
	bool answered;
};

struct fake {
	struct pending calls[64];
	size_t ncalls;
	tt_stack_fn stack_done;
	void *stack_ctx;
	tt_cw_data_fn data_done;
	void *data_ctx;
	struct tt_cw_query q[4000];
	char ids[4000][32];
	char dims[4000][64];
	size_t nq;
	tt_cw_alarms_fn alarms_done;
	void *alarms_ctx;
	int metric_calls;
};

static struct fake F;

static void remember(tt_stack_fn s, tt_cw_data_fn d, tt_cw_alarms_fn a, void *ctx)
{
	if (F.ncalls < 64)
		F.calls[F.ncalls++] = (struct pending){s, d, a, ctx, false};
}

/* Called just before a test answers ctx itself. */
static void answered(void *ctx)
{
	for (size_t i = 0; i < F.ncalls; i++)
		if (F.calls[i].ctx == ctx)
			F.calls[i].answered = true;
}

static void answer_the_rest(void)
{
	struct tt_err err;

	tt_err_set(&err, TT_ERR_NETWORK, "the test is over");
	for (size_t i = 0; i < F.ncalls; i++) {
		struct pending *p = &F.calls[i];
		if (p->answered)
			continue;
		p->answered = true;
		if (p->stack_done)
			p->stack_done(p->ctx, NULL, &err);
		else if (p->data_done)
			p->data_done(p->ctx, NULL, &err);
		else
			p->alarms_done(p->ctx, NULL, &err);
	}
}

static int fake_discover(void *io, const struct tt_select *sel, size_t n, tt_stack_fn done, void *ctx,
			 struct tt_err *err)
{
	(void)io, (void)sel, (void)n, (void)err;
	F.stack_done = done;
	F.stack_ctx = ctx;
	remember(done, NULL, NULL, ctx);
	return 0;
}

static int fake_metrics(void *io, const struct tt_cw_query *q, size_t n, time_t start, time_t end,
			tt_cw_data_fn done, void *ctx, struct tt_err *err)
{
	(void)io, (void)start, (void)end, (void)err;
	F.metric_calls++;
	for (size_t i = 0; i < n && i < 4000; i++) {
		F.q[i] = q[i];
		snprintf(F.ids[i], sizeof(F.ids[i]), "%s", q[i].id);
		snprintf(F.dims[i], sizeof(F.dims[i]), "%s", q[i].dims[0].value);
		F.q[i].id = F.ids[i];
		F.q[i].dims[0].value = F.dims[i];
	}
	F.nq = n;
	F.data_done = done;
	F.data_ctx = ctx;
	remember(NULL, done, NULL, ctx);
	return 0;
}

static int fake_alarms(void *io, tt_cw_alarms_fn done, void *ctx, struct tt_err *err)
{
	(void)io, (void)err;
	F.alarms_done = done;
	F.alarms_ctx = ctx;
	remember(NULL, NULL, done, ctx);
	return 0;
}

static struct tt_stack *make_stack(size_t nfunctions)
{
	struct tt_stack *st = tt_xcalloc(1, sizeof(*st));

	st->selector = tt_xstrdup("stack feedback-stack");
	st->napis = 1;
	st->apis = tt_xcalloc(1, sizeof(*st->apis));
	st->apis[0].id = tt_xstrdup("a1b2c3");
	st->apis[0].name = tt_xstrdup("feedback-api");
	st->apis[0].nstages = 1;
	st->apis[0].stages = tt_xcalloc(1, sizeof(char *));
	st->apis[0].stages[0] = tt_xstrdup("prod");
	st->apis[0].nroutes = 1;
	st->apis[0].routes = tt_xcalloc(1, sizeof(*st->apis[0].routes));
	st->apis[0].routes[0].route = tt_xstrdup("POST /feedback");
	st->apis[0].routes[0].function = tt_xstrdup("fn-0");
	st->nfunctions = nfunctions;
	st->functions = tt_xcalloc(nfunctions, sizeof(*st->functions));
	for (size_t i = 0; i < nfunctions; i++) {
		st->functions[i].name = tt_xasprintf("fn-%zu", i);
		st->functions[i].runtime = tt_xstrdup("python3.12");
		st->functions[i].timeout_s = 30;
	}
	st->functions[0].ntables = 1;
	st->functions[0].tables = tt_xcalloc(1, sizeof(*st->functions[0].tables));
	st->functions[0].tables[0].table = tt_xstrdup("Feedback");
	st->functions[0].tables[0].via = tt_xstrdup("env TABLE_NAME");
	st->ntables = 1;
	st->tables = tt_xcalloc(1, sizeof(*st->tables));
	st->tables[0].name = tt_xstrdup("Feedback");
	st->tables[0].billing = tt_xstrdup("PAY_PER_REQUEST");
	return st;
}

/* Every query answered with 12 points that depend on its position, so
 * rows and sparklines differ but stay the same from run to run. */
static void answer_metrics(void)
{
	struct tt_cw_series *series = tt_xcalloc(F.nq + 1, sizeof(*series));
	double *values = tt_xcalloc(F.nq * 12 + 1, sizeof(double));
	time_t ts[12];
	struct tt_cw_data data = {series, F.nq, 1, false};

	for (int i = 0; i < 12; i++)
		ts[i] = 1767222000 + i * 300;
	for (size_t k = 0; k < F.nq; k++) {
		for (int i = 0; i < 12; i++)
			values[k * 12 + (size_t)i] = (double)((k * 7 + (size_t)i * 3) % 11);
		series[k] = (struct tt_cw_series){F.q[k].id, NULL, "Complete", 12, ts, values + k * 12};
	}
	answered(F.data_ctx);
	F.data_done(F.data_ctx, &data, NULL);
	free(series);
	free(values);
}

static void answer_alarms(void)
{
	struct tt_cw_alarm a = {.name = "fn-1 errors", .state = "ALARM", .reason = "Threshold crossed",
				.dims = {{"FunctionName", "fn-1"}}, .ndims = 1, .updated = 1767225000};
	struct tt_cw_alarms list = {&a, 1};

	answered(F.alarms_ctx);
	F.alarms_done(F.alarms_ctx, &list, NULL);
}

static const struct tt_snapshot_io fake_io = {fake_discover, fake_metrics, fake_alarms, NULL};

static struct tt_view *new_view(struct tt_view_env *env, bool utf8)
{
	struct tt_select sel = {TT_SELECT_STACK, "feedback-stack"};
	struct tt_view_tiers_opts opts = {.sel = &sel, .nsel = 1, .range_s = 3600, .period_s = 300,
					  .interval_ms = 60000, .io = &fake_io};

	memset(&F, 0, sizeof(F));
	vt_env_reset();
	*env = (struct tt_view_env){.utf8 = utf8, .color = true, VT_ENV_FAKES};
	return tt_view_tiers_new(env, &opts);
}

/* Ticks once, answers what was asked, and draws. */
static void fill(struct tt_view *v, size_t nfunctions)
{
	v->ops->tick(v, vt_clock_ms);
	answered(F.stack_ctx);
	F.stack_done(F.stack_ctx, make_stack(nfunctions), NULL);
	v->ops->tick(v, vt_clock_ms);
	if (F.data_done)
		answer_metrics();
	if (F.alarms_done)
		answer_alarms();
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

static void test_golden_screens(void)
{
	struct tt_view_env env;
	struct tt_view *v = new_view(&env, true);

	fill(v, 5);
	golden(v, 80, 24, true, "tiers_80x24_utf8");
	golden(v, 160, 48, true, "tiers_160x48_utf8");
	v->ops->free(v);
	answer_the_rest();
	v = new_view(&env, false);
	fill(v, 5);
	golden(v, 80, 24, false, "tiers_80x24_ascii");
	v->ops->free(v);
	answer_the_rest();
}

static bool screen_has(struct tt_view *v, int w, int h, const char *needle)
{
	struct tt_canvas *c = tt_canvas_new(w, h, true);
	char *text;
	bool found;

	v->ops->draw(v, c, 0, h);
	text = tt_canvas_text_dump(c);
	found = strstr(text, needle) != NULL;
	if (!found)
		printf("# screen:\n%s", text);
	free(text);
	tt_canvas_free(&c);
	return found;
}

static void test_keys_and_drilldown(void)
{
	struct tt_view_env env;
	struct tt_view *v = new_view(&env, true);
	int64_t now = vt_clock_ms;
	int pushed;

	tap_ok(screen_has(v, 80, 24, "discovering"), "before discovery the panes say so");
	fill(v, 5);
	tap_ok(screen_has(v, 80, 24, "LOGIC (5)"), "the logic pane counts its rows");
	tap_ok(v->ops->key(v, 'j', now) == TT_VIEW_HANDLED, "j moves down");
	tap_ok(v->ops->key(v, TT_KEY_ENTER, now) == TT_VIEW_HANDLED && vt_log.pushed[0],
	       "Enter opens the selected row");
	tap_ok(strcmp(vt_log.pushed, "function") == 0, "... a function view");
	tap_ok(strcmp(vt_log.crumb, "fn fn-1") == 0, "... of the second function");
	tap_ok(v->ops->key(v, 'L', now) == TT_VIEW_HANDLED && strcmp(vt_log.pushed, "logs") == 0,
	       "L on a function follows its logs");
	tap_ok(strstr(vt_log.crumb, "fn-1") != NULL, "... that function's (%s)", vt_log.crumb);
	tap_ok(v->ops->key(v, TT_KEY_TAB, now) == TT_VIEW_HANDLED, "Tab moves to the data tier");
	v->ops->key(v, TT_KEY_ENTER, now);
	tap_ok(strcmp(vt_log.pushed, "table") == 0, "Enter there opens the table");
	pushed = vt_log.npushed;
	v->ops->key(v, 'L', now);
	tap_ok(vt_log.npushed == pushed && strstr(vt_log.message, "select a function"),
	       "L on a table opens nothing and says why");
	tt_view_tiers_filter(v, "fn-3");
	tap_ok(screen_has(v, 80, 24, "DATA (0) /fn-3"), "the filter applies to the focused tier");
	tap_ok(tt_view_tiers_focus(v, "nosuch") == -1, "a word that names no tier is refused");
	tap_ok(tt_view_tiers_focus(v, "logic") == 0, "a tier is focused by its name");
	tt_view_tiers_filter(v, "fn-3");
	tap_ok(screen_has(v, 80, 24, "LOGIC (1) /fn-3"), "... and narrows the functions");
	tap_ok(tt_view_tiers_focus(v, "tables") == 0, "... or by its rows' word");
	tt_view_tiers_filter(v, "fn-1");
	tap_ok(screen_has(v, 80, 24, "DATA (0) /fn-1"), "... which then has the filter");
	tt_view_tiers_focus(v, "functions");
	tap_ok(v->ops->key(v, 't', now) == TT_VIEW_HANDLED, "t switches the range");
	tap_ok(screen_has(v, 80, 24, "3h"), "... to 3h");
	tap_ok(v->ops->key(v, 'q', now) == TT_VIEW_QUIT, "q quits");
	tap_ok(v->ops->key(v, 'Z', now) == TT_VIEW_IGNORED, "an unbound key is left to the console");
	v->ops->free(v);
	answer_the_rest();
}

static void test_stale_data_shown(void)
{
	struct tt_view_env env;
	struct tt_view *v = new_view(&env, true);
	struct tt_err err;

	fill(v, 3);
	tt_view_tiers_refresh(v, vt_clock_ms + 1000);
	F.data_done = NULL;
	v->ops->tick(v, vt_clock_ms + 1000);
	tap_ok(F.data_done != NULL, "r makes the metrics due now");
	tt_err_set(&err, TT_ERR_AWS, "Rate exceeded");
	snprintf(err.code, sizeof(err.code), "ThrottlingException");
	if (F.data_done) {
		answered(F.data_ctx);
		F.data_done(F.data_ctx, NULL, &err);
	}
	tap_ok(screen_has(v, 80, 24, "metrics stale"), "a failed refresh keeps the data and says it is stale");
	tap_ok(screen_has(v, 80, 24, "Rate exceeded"), "... with the reason");
	tap_ok(screen_has(v, 80, 24, "fn-2"), "... and the rows");
	v->ops->free(v);
	answer_the_rest();
}

/* An endpoint that cannot be reached at start: the panes say discovery
 * failed (not "discovering..." for ever), the status line says it backs
 * off, and discovery is retried after its back-off rather than its
 * 5-minute interval, so the screen fills as soon as the network is back. */
static void test_failed_discovery_retries(void)
{
	struct tt_view_env env;
	struct tt_view *v = new_view(&env, true);
	struct tt_err err;
	int64_t now = vt_clock_ms;

	v->ops->tick(v, now);
	tap_ok(F.stack_done != NULL, "discovery starts");
	tt_err_set(&err, TT_ERR_NETWORK, "cannot reach http://127.0.0.1:9");
	answered(F.stack_ctx);
	F.stack_done(F.stack_ctx, NULL, &err);
	F.stack_done = NULL;
	v->ops->tick(v, now);
	tap_ok(screen_has(v, 80, 24, "(not discovered: retrying)"), "the panes say discovery failed");
	tap_ok(screen_has(v, 80, 24, "discovery failed") && screen_has(v, 80, 24, "cannot reach"), "... and why");
	tap_ok(strstr(v->ops->status(v), "idle, backing off | ") != NULL, "the status line says it backs off (%s)",
	       v->ops->status(v));
	now += TT_SCHED_BACKOFF_MAX_MS + 1;
	v->ops->tick(v, now);
	tap_ok(F.stack_done != NULL, "discovery is retried after the back-off, before its interval");
	if (F.stack_done) {
		answered(F.stack_ctx);
		F.stack_done(F.stack_ctx, make_stack(2), NULL);
	}
	v->ops->tick(v, now);
	tap_ok(screen_has(v, 80, 24, "LOGIC (2)") && !screen_has(v, 80, 24, "retrying"), "then the rows appear");
	v->ops->free(v);
	answer_the_rest();
}

static void test_only_visible_rows_polled(void)
{
	struct tt_view_env env;
	struct tt_view *v = new_view(&env, true);
	struct tt_canvas *c = tt_canvas_new(80, 24, true);
	size_t fn_queries = 0;

	v->ops->tick(v, vt_clock_ms);
	answered(F.stack_ctx);
	F.stack_done(F.stack_ctx, make_stack(300), NULL);
	v->ops->draw(v, c, 0, 24);
	F.data_done = NULL;
	v->ops->tick(v, vt_clock_ms);
	for (size_t i = 0; i < F.nq; i++)
		if (strncmp(F.q[i].dims[0].value, "fn-", 3) == 0)
			fn_queries++;
	tap_ok(F.metric_calls >= 1 && fn_queries > 0 && fn_queries < 300 * 6,
	       "300 functions: the visible call asks for the rows on screen only (%zu function queries)", fn_queries);
	tt_canvas_free(&c);
	v->ops->free(v);
	answer_the_rest();
}

/* --- the list-navigation keys ------------------------------------------------------------ */


/* PgUp/PgDn/Home/End/g/G in the logic tier of 40 functions, seen through
 * Enter (which opens the selected one): at 80x24 the pane shows 18 rows (a
 * page moves 17, as in the other lists), clamped at both ends. */
static void test_nav_keys(void)
{
	static const char *const help[6] = {"previous row", "next row", "previous page of rows", "next page of rows",
					    "first row", "last row"};
	static const struct {
		int key;
		const char *crumb;
	} steps[] = {
	    {TT_KEY_PGDN, "fn fn-17"}, {TT_KEY_PGDN, "fn fn-34"}, {TT_KEY_PGUP, "fn fn-17"},  {TT_KEY_END, "fn fn-39"},
	    {TT_KEY_PGDN, "fn fn-39"}, {TT_KEY_HOME, "fn fn-0"},  {TT_KEY_PGUP, "fn fn-0"},  {'G', "fn fn-39"},
	    {'k', "fn fn-38"},         {'g', "fn fn-0"},          {'j', "fn fn-1"},          {TT_KEY_UP, "fn fn-0"},
	};
	struct tt_view_env env;
	struct tt_view *v = new_view(&env, true);
	int64_t now = vt_clock_ms;
	struct tt_canvas *c;
	char name[16], *text;

	fill(v, 40);
	tt_view_tiers_focus(v, "functions");
	c = tt_canvas_new(80, 24, true);
	v->ops->draw(v, c, 0, 24);
	text = tt_canvas_text_dump(c);
	tap_ok(strstr(text, " fn-17 ") && !strstr(text, " fn-18 "), "40 functions: 18 shown at 80x24");
	free(text);
	tt_canvas_free(&c);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		int r = v->ops->key(v, steps[i].key, now);
		vt_log.crumb[0] = 0;
		v->ops->key(v, TT_KEY_ENTER, now);
		tap_ok(r == TT_VIEW_HANDLED && strcmp(vt_log.crumb, steps[i].crumb) == 0, "%s: Enter opens %s (%s)",
		       tt_key_name(steps[i].key, name), steps[i].crumb, vt_log.crumb);
	}
	vt_check_nav_help(v, help);
	v->ops->free(v);
	answer_the_rest();
}

/* A name wider than its column ends in an ellipsis, so a cut name is never
 * taken for another resource's whole name. */
static void test_long_name_cut_visibly(void)
{
	const char *name = "order-service-production-process-payment-event";
	struct tt_view_env env;
	struct tt_view *v = new_view(&env, true);
	struct tt_stack *st = make_stack(2);

	free(st->functions[1].name);
	st->functions[1].name = tt_xstrdup(name);
	v->ops->tick(v, vt_clock_ms);
	answered(F.stack_ctx);
	F.stack_done(F.stack_ctx, st, NULL);
	v->ops->tick(v, vt_clock_ms);
	if (F.data_done)
		answer_metrics();
	if (F.alarms_done)
		answer_alarms();
	tap_ok(screen_has(v, 80, 24, " order-service-pr\u2026 "), "80 columns: the name is cut with an ellipsis");
	tap_ok(screen_has(v, 160, 48, name), "160 columns: the whole name");
	v->ops->free(v);
	answer_the_rest();
}

/* Row of the canvas whose text starts with prefix, or -1. */
static int row_starting(const struct tt_canvas *c, const char *prefix)
{
	for (int y = 0; y < c->h; y++) {
		int x = 0;
		while (prefix[x] && tt_canvas_at(c, x, y)->ch == (uint32_t)(unsigned char)prefix[x])
			x++;
		if (!prefix[x])
			return y;
	}
	return -1;
}

/* The focused tier's header is underlined: it shows without colour. */
static void test_focused_header_marked(void)
{
	struct tt_view_env env;
	struct tt_view *v = new_view(&env, true);
	struct tt_canvas *c = tt_canvas_new(80, 24, true);
	int logic, data;

	fill(v, 3);
	v->ops->draw(v, c, 0, 24);
	logic = row_starting(c, "LOGIC");
	data = row_starting(c, "DATA");
	tap_ok(logic >= 0 && (tt_canvas_at(c, 0, logic)->style.attr & TT_ATTR_UNDERLINE), "the logic header is underlined");
	tap_ok(data >= 0 && !(tt_canvas_at(c, 0, data)->style.attr & TT_ATTR_UNDERLINE), "... the data header is not");
	v->ops->key(v, TT_KEY_TAB, vt_clock_ms);
	v->ops->draw(v, c, 0, 24);
	tap_ok((tt_canvas_at(c, 0, data)->style.attr & TT_ATTR_UNDERLINE) &&
		       !(tt_canvas_at(c, 0, logic)->style.attr & TT_ATTR_UNDERLINE),
	       "after Tab the data header is underlined instead");
	tt_canvas_free(&c);
	v->ops->free(v);
	answer_the_rest();
}

int main(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	test_golden_screens();
	test_keys_and_drilldown();
	test_stale_data_shown();
	test_only_visible_rows_polled();
	test_nav_keys();
	test_long_name_cut_visibly();
	test_focused_header_marked();
	test_failed_discovery_retries();
	return tap_done();
}
