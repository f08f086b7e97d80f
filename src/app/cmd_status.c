/* tiertop status: a one-shot snapshot of the application tier by tier, like
 * `top -b`: the snapshot model (discovery, then every resource's key
 * metrics in as few GetMetricData calls as possible, and the alarms, in
 * parallel), printed. A part that fails is shown in place and exits 4. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app.h"
#include "select.h"
#include "tiertop/apps.h"
#include "tiertop/catalog.h"
#include "tiertop/clock.h"
#include "tiertop/sanitize.h"
#include "tiertop/spark.h"
#include "tiertop/snapshot.h"
#include "tiertop/stack.h"
#include "tiertop/str.h"
#include "tiertop/svc_cloudwatch.h"
#include "tiertop/xalloc.h"

/* What the run waits for. */
struct status {
	struct tt_app *app;
	struct tt_selection sel;
	long range_s, period_s;
	struct tt_snapshot *snap;
	int pending;  /* metrics and alarms still out */
	bool done;
	struct tt_apps *apps; /* whole region only: the applications to narrow to */
	bool apps_done;
};

static void start_part(struct status *s, enum tt_snap_part part)
{
	if (tt_snapshot_start(s->snap, part, tt_http_now(s->app->http) * 1000LL) == 0)
		s->pending++;
}

/* Discovery first; then metrics and alarms together. A part that fails
 * leaves its error in the snapshot's state, which the output shows. */
static void on_changed(void *ctx, enum tt_snap_part part)
{
	struct status *s = ctx;

	if (part == TT_SNAP_DISCOVERY) {
		if (!tt_snapshot_state(s->snap, part)->failed) {
			start_part(s, TT_SNAP_METRICS);
			start_part(s, TT_SNAP_ALARMS);
		}
	} else {
		s->pending--;
	}
	if (s->pending == 0)
		s->done = true;
}

/* --- output ---------------------------------------------------------------- */

static double metric_value(const struct tt_snap_row *r, const char *key)
{
	const struct tt_snap_series *m = tt_snapshot_series(r, key);

	return m && m->present ? m->summary : NAN;
}

static char *row_spark(const struct tt_snap_row *r, const char *key, bool utf8)
{
	const struct tt_snap_series *m = tt_snapshot_series(r, key);

	return tt_spark(m ? m->values : NULL, m ? m->n : 0, 12, utf8);
}

static void print_cell(double v)
{
	char fig[TT_FIGURE_MAX];

	tt_figure_text(v, fig);
	printf(" %11s", fig);
}

static const char *alarm_word(enum tt_alarm_level a)
{
	static const char *const words[] = {NULL, "OK", "INSUFFICIENT_DATA", "ALARM"};

	return words[a];
}

struct tier {
	enum tt_tier tier;
	const char *keys[5];
};

static const struct tier tiers[] = {
	{TT_TIER_PRESENTATION, {"requests", "4xx", "5xx", "latency", "integ"}},
	{TT_TIER_LOGIC, {"invocations", "errors", "throttles", "p99", "concurrency"}},
	{TT_TIER_DATA, {"rcu", "wcu", "read_thr", "write_thr", "get_ms"}},
};

static bool in_tier(const struct tt_snap_row *r, const struct tier *t)
{
	return tt_resource_tier(r->kind) == t->tier;
}

/* "<indent><text>\n" with the text sanitized. */
static void print_safe(const char *indent, const char *text)
{
	char *safe = tt_sanitize(text, tt_app_san());

	printf("%s%s\n", indent, safe);
	free(safe);
}

static void print_row(const struct tt_snap_row *r, const struct tier *t, bool utf8)
{
	char label[160];
	char *safe, *spark = row_spark(r, t->keys[0], utf8);

	snprintf(label, sizeof(label), "%s%s%s", r->name, r->stage ? "/" : "", r->stage ? r->stage : "");
	safe = tt_sanitize(label, tt_app_san());
	printf("  %-28.28s %s", safe, spark);
	for (size_t k = 0; k < 5; k++)
		print_cell(metric_value(r, t->keys[k]));
	printf("  %s\n", r->alarm ? alarm_word(r->alarm) : "-");
	free(safe);
	free(spark);
}

static void print_problem(const char *name, const char *problem)
{
	char *line = tt_xasprintf("%s: %s", name, problem);

	print_safe("  ! ", line);
	free(line);
}

static void print_problems(const struct tt_stack *st)
{
	for (size_t i = 0; i < st->napis; i++)
		if (st->apis[i].problem)
			print_problem(st->apis[i].name, st->apis[i].problem);
	for (size_t i = 0; i < st->nfunctions; i++)
		if (st->functions[i].problem)
			print_problem(st->functions[i].name, st->functions[i].problem);
	for (size_t i = 0; i < st->ntables; i++)
		if (st->tables[i].problem)
			print_problem(st->tables[i].name, st->tables[i].problem);
}

/* The reason a part failed, or NULL. */
static const char *part_error(const struct tt_snapshot *snap, enum tt_snap_part part, char *buf, size_t size)
{
	const struct tt_snap_state *st = tt_snapshot_state(snap, part);

	return st->failed ? tt_err_format(&st->err, buf, size) : NULL;
}

static void print_unavailable_line(const char *what, const char *why)
{
	char *line = tt_xasprintf("%s unavailable: %s", what, why);

	print_safe("  ! ", line);
	free(line);
}

static void print_unavailable(const struct tt_snapshot *snap)
{
	char buf[1400];
	const char *why;

	if ((why = part_error(snap, TT_SNAP_METRICS, buf, sizeof(buf))))
		print_unavailable_line("metrics", why);
	if ((why = part_error(snap, TT_SNAP_ALARMS, buf, sizeof(buf))))
		print_unavailable_line("alarms", why);
}

static void print_wiring(const struct tt_stack *st)
{
	printf("WIRING\n");
	for (size_t i = 0; i < st->napis; i++) {
		for (size_t k = 0; k < st->apis[i].nroutes; k++) {
			const struct tt_stack_route *rt = &st->apis[i].routes[k];
			char *line = tt_xasprintf("%s %s -> %s", st->apis[i].name, rt->route,
						  *rt->function ? rt->function : "(not a Lambda)");
			print_safe("  ", line);
			free(line);
		}
	}
	for (size_t i = 0; i < st->nfunctions; i++) {
		for (size_t k = 0; k < st->functions[i].ntables; k++) {
			const struct tt_stack_link *l = &st->functions[i].tables[k];
			char *line = tt_xasprintf("%s %s %s (%s)", st->functions[i].name,
						  strcmp(l->via, "event source") == 0 ? "<-" : "->", l->table, l->via);
			print_safe("  ", line);
			free(line);
		}
	}
}

/* --- applications (whole region only) --------------------------------------- */

/* In the whole region, what to narrow to. Found alongside the snapshot;
 * a failure to find them is shown but does not make the snapshot partial. */

static void on_apps(void *ctx)
{
	((struct status *)ctx)->apps_done = true;
}

static void apps_start(struct status *s)
{
	struct tt_apps_io io;
	struct tt_apps_sink sink = {on_apps};

	if (!s->sel.whole_region) {
		s->apps_done = true;
		return;
	}
	tt_apps_io_aws(&io, &s->app->aws);
	s->apps = tt_apps_new(&io, &sink, s);
	tt_apps_start(s->apps);
}

static const char *const apps_source_names[TT_APPS_NSOURCES] = {"stacks", "tags"};

static void print_apps(const struct status *s)
{
	char buf[1400];

	if (!s->apps)
		return;
	printf("applications found (narrow with --stack or --tag):\n");
	for (size_t i = 0; i < tt_apps_count(s->apps); i++)
		print_safe("  ", tt_apps_get(s->apps, i)->label);
	for (int src = 0; src < TT_APPS_NSOURCES; src++)
		if (tt_apps_error(s->apps, src))
			print_unavailable_line(apps_source_names[src],
					       tt_err_format(tt_apps_error(s->apps, src), buf, sizeof(buf)));
	if (!tt_apps_count(s->apps))
		printf("  (none)\n");
}

static void add_apps_json(const struct status *s, json_t *o)
{
	json_t *list = json_array(), *errors = json_object();
	char buf[1400];

	if (!s->apps) {
		json_decref(list);
		json_decref(errors);
		return;
	}
	for (size_t i = 0; i < tt_apps_count(s->apps); i++) {
		const struct tt_app_candidate *c = tt_apps_get(s->apps, i);
		json_array_append_new(list, json_pack("{s:s, s:s}", "selector",
						      c->sel.kind == TT_SELECT_STACK ? "stack" : "tag", "value",
						      c->sel.value));
	}
	json_object_set_new(o, "applications", list);
	for (int src = 0; src < TT_APPS_NSOURCES; src++)
		if (tt_apps_error(s->apps, src))
			json_object_set_new(errors, apps_source_names[src],
					    json_string(tt_err_format(tt_apps_error(s->apps, src), buf, sizeof(buf))));
	if (json_object_size(errors))
		json_object_set_new(o, "applicationsErrors", errors);
	else
		json_decref(errors);
}

static void print_text(const struct status *s, bool utf8)
{
	const struct tt_stack *st = tt_snapshot_stack(s->snap);
	const struct tt_snapshot_stats *stats = tt_snapshot_stats(s->snap);
	char *sel = tt_sanitize(st->selector, tt_app_san());
	char range[TT_DURATION_TEXT], period[TT_DURATION_TEXT];

	tt_duration_text(s->range_s, range);
	tt_duration_text(s->period_s, period);
	printf("tiertop status: %s, %s, last %s at %s\n", sel, s->app->region, range, period);
	free(sel);
	for (size_t t = 0; t < sizeof(tiers) / sizeof(tiers[0]); t++) {
		printf("%-43s", tt_tier_words(tiers[t].tier)->heading);
		for (size_t k = 0; k < 5; k++)
			printf(" %11.11s", tiers[t].keys[k]);
		printf("  alarm\n");
		for (size_t r = 0; r < tt_snapshot_nrows(s->snap); r++)
			if (in_tier(tt_snapshot_row(s->snap, r), &tiers[t]))
				print_row(tt_snapshot_row(s->snap, r), &tiers[t], utf8);
	}
	print_unavailable(s->snap);
	print_problems(st);
	print_wiring(st);
	printf("%lu metrics in %lu GetMetricData call%s (about $%.5f)\n", stats->metrics_requested,
	       stats->metric_calls, stats->metric_calls == 1 ? "" : "s",
	       stats->metrics_requested * TT_CW_PRICE_PER_METRIC);
	print_apps(s);
}

static json_t *routes_json(const struct tt_stack_api *a)
{
	json_t *list = json_array();

	for (size_t k = 0; k < a->nroutes; k++)
		json_array_append_new(list, json_pack("{s:s, s:s}", "route", a->routes[k].route, "function",
						      a->routes[k].function));
	return list;
}

static json_t *number_or_null(double v)
{
	return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

static json_t *metrics_json(const struct tt_snap_row *r)
{
	const struct tt_metric_set *set = tt_catalog_for(r->kind);
	json_t *o = json_object();

	for (size_t k = 0; k < r->nseries; k++) {
		const struct tt_snap_series *m = &r->series[k];
		json_t *values;
		if (!m->present)
			continue;
		values = json_array();
		for (size_t i = 0; i < m->n; i++)
			json_array_append_new(values, number_or_null(m->values[i]));
		json_object_set_new(o, set->defs[k].key,
				    json_pack("{s:o, s:s, s:o}", "value", number_or_null(m->summary), "stat",
					      set->defs[k].stat, "values", values));
	}
	return o;
}

static void add_function_json(json_t *o, const struct tt_stack_function *f)
{
	json_t *tables = json_array();

	for (size_t k = 0; k < f->ntables; k++)
		json_array_append_new(tables, json_pack("{s:s, s:s}", "table", f->tables[k].table, "via",
							f->tables[k].via));
	json_object_set_new(o, "tables", tables);
	json_object_set_new(o, "timeoutSeconds", json_integer(f->timeout_s));
	json_object_set_new(o, "runtime", json_string(f->runtime));
}

static json_t *row_json(const struct tt_stack *st, const struct tt_snap_row *r)
{
	json_t *o = json_pack("{s:s, s:s, s:s?, s:o, s:s?, s:s?}", "kind", tt_resource_kind_name(r->kind), "name",
			      r->name, "stage", r->stage, "metrics", metrics_json(r), "alarm", alarm_word(r->alarm),
			      "alarms", r->alarm_names);
	const char *problem = NULL;

	if (tt_resource_is_api(r->kind)) {
		json_object_set_new(o, "routes", routes_json(&st->apis[r->index]));
		problem = st->apis[r->index].problem;
	} else if (r->kind == TT_RES_FUNCTION) {
		add_function_json(o, &st->functions[r->index]);
		problem = st->functions[r->index].problem;
	} else {
		problem = st->tables[r->index].problem;
	}
	if (problem)
		json_object_set_new(o, "problem", json_string(problem));
	return o;
}

static void print_json(const struct status *s)
{
	const struct tt_stack *st = tt_snapshot_stack(s->snap);
	const struct tt_snapshot_stats *stats = tt_snapshot_stats(s->snap);
	json_t *tiers_o = json_object(), *o;
	char buf[1400];
	const char *why;

	for (size_t t = 0; t < sizeof(tiers) / sizeof(tiers[0]); t++) {
		json_t *list = json_array();
		for (size_t r = 0; r < tt_snapshot_nrows(s->snap); r++)
			if (in_tier(tt_snapshot_row(s->snap, r), &tiers[t]))
				json_array_append_new(list, row_json(st, tt_snapshot_row(s->snap, r)));
		json_object_set_new(tiers_o, tt_tier_words(tiers[t].tier)->name, list);
	}
	o = json_pack("{s:s, s:s, s:I, s:I, s:o, s:I, s:I}", "selector", st->selector, "region", s->app->region,
		      "rangeSeconds", (json_int_t)s->range_s, "periodSeconds", (json_int_t)s->period_s, "tiers",
		      tiers_o, "metricsRequested", (json_int_t)stats->metrics_requested, "calls",
		      (json_int_t)stats->metric_calls);
	if ((why = part_error(s->snap, TT_SNAP_METRICS, buf, sizeof(buf))))
		json_object_set_new(o, "metricsError", json_string(why));
	if ((why = part_error(s->snap, TT_SNAP_ALARMS, buf, sizeof(buf))))
		json_object_set_new(o, "alarmsError", json_string(why));
	add_apps_json(s, o);
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	putchar('\n');
	json_decref(o);
}

/* A partial snapshot is printed whole and exits 4: a failed part, or a
 * resource that could not be described. */
static bool partial(const struct tt_snapshot *snap)
{
	const struct tt_stack *st = tt_snapshot_stack(snap);

	if (tt_snapshot_state(snap, TT_SNAP_METRICS)->failed || tt_snapshot_state(snap, TT_SNAP_ALARMS)->failed)
		return true;
	for (size_t i = 0; i < st->napis; i++)
		if (st->apis[i].problem)
			return true;
	for (size_t i = 0; i < st->nfunctions; i++)
		if (st->functions[i].problem)
			return true;
	for (size_t i = 0; i < st->ntables; i++)
		if (st->tables[i].problem)
			return true;
	return false;
}

/* --- command line ------------------------------------------------------------ */

static const struct tt_opt status_opts[] = {
	TT_SELECTION_OPTS,
	{"--range", "DURATION", 0, "how far back: 30m, 3h, 2d (default 1h)"},
	{"--period", "SECONDS", 0, "seconds per point, a multiple of 60 (default: the finest giving at most 1,440 points)"},
};

const struct tt_opts_spec tt_status_spec = {
	"status", NULL, 0, 0, status_opts, sizeof(status_opts) / sizeof(status_opts[0]),
	"Selectors add up; without any, the application of --app or the config file, else the whole region.\n"
	"A part that fails (metrics, alarms, describing a resource) is shown in place and the exit status is 4.",
};

static int parse_args(const struct tt_opts *o, struct status *s)
{
	const char *msg = NULL;
	char why[160];

	if (tt_selection_from_opts(&s->sel, o, &msg))
		return tt_opts_usage_error(&tt_status_spec, msg);
	if (tt_opts_range_period(o, 3600, &s->range_s, &s->period_s, why, sizeof(why)))
		return tt_opts_usage_error(&tt_status_spec, why);
	return tt_selection_finish(&s->sel, s->app, "status");
}

static int run(struct status *s)
{
	struct tt_snapshot_io io;
	struct tt_snapshot_sink sink = {on_changed};
	struct tt_err err;

	if (tt_app_connect(s->app, &err))
		return tt_app_fail(&err);
	tt_snapshot_io_aws(&io, &s->app->aws);
	s->snap = tt_snapshot_new(s->sel.sel, s->sel.n, s->range_s, s->period_s, &io, &sink, s);
	if (tt_snapshot_start(s->snap, TT_SNAP_DISCOVERY, tt_http_now(s->app->http) * 1000LL) != 0)
		return tt_app_fail(&tt_snapshot_state(s->snap, TT_SNAP_DISCOVERY)->err);
	apps_start(s);
	tt_http_run_until(s->app->http, &s->done);
	tt_http_run_until(s->app->http, &s->apps_done);
	if (tt_snapshot_state(s->snap, TT_SNAP_DISCOVERY)->failed)
		return tt_app_fail(&tt_snapshot_state(s->snap, TT_SNAP_DISCOVERY)->err);
	if (s->app->opts.json)
		print_json(s);
	else
		print_text(s, tt_app_utf8());
	return partial(s->snap) ? TT_EXIT_AWS : TT_EXIT_OK;
}

int tt_cmd_status(struct tt_app *app, int argc, char **argv)
{
	struct status s = {0};
	int rc;

	(void)argc;
	(void)argv;
	s.app = app;
	rc = parse_args(&app->args, &s);
	if (rc == 0)
		rc = run(&s);
	tt_snapshot_free(&s.snap);
	tt_apps_free(&s.apps);
	tt_selection_clear(&s.sel);
	return rc;
}
