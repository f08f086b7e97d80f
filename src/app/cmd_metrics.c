/* tiertop metrics RESOURCE...: the catalog's metrics for some resources over
 * a time range, as sparklines or JSON. The snapshot model does the work:
 * its discovery looks each resource up (one that does not exist is refused
 * by name), then only its metrics part is fetched, for those rows only. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app.h"
#include "tiertop/catalog.h"
#include "tiertop/clock.h"
#include "tiertop/sanitize.h"
#include "tiertop/snapshot.h"
#include "tiertop/spark.h"
#include "tiertop/stack.h"
#include "tiertop/str.h"
#include "tiertop/svc_cloudwatch.h"
#include "tiertop/xalloc.h"

#define MAX_RESOURCES 32

struct resource {
	enum tt_resource_kind kind;
	char *name;       /* as given: a name, or an HTTP API's id */
	char *stage;
	size_t row;       /* the snapshot's row, once discovery found it */
};

struct metrics_args {
	struct resource res[MAX_RESOURCES];
	size_t nres;
	long range_s;
	long period_s;
};

/* What the run waits for: the discovery, then the metrics. */
struct metrics_run {
	struct tt_snapshot *snap;
	bool discovered;
	bool fetched;
};

static int parse_resource(const char *spec, struct resource *a)
{
	static const struct {
		const char *prefix;
		enum tt_resource_kind kind;
		bool staged;
	} forms[] = {
		{"function/", TT_RES_FUNCTION, false}, {"table/", TT_RES_TABLE, false},
		{"rest-api/", TT_RES_REST_API, true}, {"http-api/", TT_RES_HTTP_API, true},
		{"websocket-api/", TT_RES_WS_API, true},
	};
	const char *rest = spec;
	bool staged = false;

	a->kind = TT_RES_FUNCTION;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		if (tt_str_starts_with(spec, forms[i].prefix)) {
			a->kind = forms[i].kind;
			rest = spec + strlen(forms[i].prefix);
			staged = forms[i].staged;
		}
	}
	a->name = tt_xstrdup(rest);
	if (staged) {
		char *slash = strchr(a->name, '/');
		if (!slash || !slash[1])
			return -1;
		*slash = '\0';
		a->stage = tt_xstrdup(slash + 1);
	}
	return *a->name ? 0 : -1;
}

static const struct tt_opt metrics_opts[] = {
	{"--range", "DURATION", 0, "how far back: 30m, 3h, 2d (default 3h)"},
	{"--period", "SECONDS", 0, "seconds per point, a multiple of 60 (default: the finest giving at most 1,440 points)"},
};

const struct tt_opts_spec tt_metrics_spec = {
	"metrics", "RESOURCE...", 1, MAX_RESOURCES, metrics_opts, sizeof(metrics_opts) / sizeof(metrics_opts[0]),
	"RESOURCE: [function/]NAME | table/NAME | rest-api/NAME/STAGE | http-api/ID/STAGE | websocket-api/ID/STAGE "
	"(at most 32)",
};

static int usage_error(const char *what)
{
	return tt_opts_usage_error(&tt_metrics_spec, what);
}

static int parse_args(const struct tt_opts *o, struct metrics_args *a)
{
	char why[160];

	if (tt_opts_range_period(o, 3 * 3600, &a->range_s, &a->period_s, why, sizeof(why)))
		return usage_error(why);
	for (size_t i = 0; i < o->noperands; i++)
		if (parse_resource(o->operands[i], &a->res[a->nres++])) {
			char msg[160];
			snprintf(msg, sizeof(msg), "which resource is \"%.100s\"?", o->operands[i]);
			return usage_error(msg);
		}
	return 0;
}

/* --- from resources to the snapshot's rows ------------------------------------ */

/* Discovery looks each resource up, so one that does not exist is refused
 * by name instead of coming back as a chart of nothing. */
static void to_selectors(const struct metrics_args *a, struct tt_select *sel)
{
	for (size_t i = 0; i < a->nres; i++) {
		const struct resource *r = &a->res[i];
		sel[i].kind = r->kind == TT_RES_FUNCTION ? TT_SELECT_FUNCTION
			      : r->kind == TT_RES_TABLE  ? TT_SELECT_TABLE
							 : TT_SELECT_API;
		sel[i].value = r->name;
	}
}

static bool find_row(const struct tt_snapshot *snap, enum tt_resource_kind kind, size_t index, const char *stage,
		     size_t *row)
{
	for (size_t i = 0; i < tt_snapshot_nrows(snap); i++) {
		const struct tt_snap_row *r = tt_snapshot_row(snap, i);
		if (r->kind == kind && r->index == index && r->dim_value &&
		    (stage ? r->stage && strcmp(r->stage, stage) == 0 : !r->stage)) {
			*row = i;
			return true;
		}
	}
	return false;
}

/* When a whole listing failed, discovery keeps a stand-in named like
 * "(functions)" that carries the reason. */
static const char *listing_problem(const struct tt_stack *st, enum tt_resource_kind kind)
{
	for (size_t i = 0; kind == TT_RES_FUNCTION && i < st->nfunctions; i++)
		if (st->functions[i].problem && strcmp(st->functions[i].name, "(functions)") == 0)
			return st->functions[i].problem;
	for (size_t i = 0; kind == TT_RES_TABLE && i < st->ntables; i++)
		if (st->tables[i].problem && strcmp(st->tables[i].name, "(tables)") == 0)
			return st->tables[i].problem;
	for (size_t i = 0; tt_resource_is_api(kind) && i < st->napis; i++)
		if (st->apis[i].problem && !*st->apis[i].id &&
		    st->apis[i].http == (kind != TT_RES_REST_API))
			return st->apis[i].problem;
	return NULL;
}

static char *not_found(const struct tt_stack *st, enum tt_resource_kind kind)
{
	const char *why = listing_problem(st, kind);

	return tt_xstrdup(why ? why : "not found");
}

/* NULL when found (res->row set), else why not (caller frees). A function
 * that ListFunctions lacks has no log group; a table must describe. */
static char *resolve_function(const struct tt_snapshot *snap, struct resource *res)
{
	const struct tt_stack *st = tt_snapshot_stack(snap);

	for (size_t i = 0; i < st->nfunctions; i++) {
		const struct tt_stack_function *f = &st->functions[i];
		if (strcmp(f->name, res->name) != 0)
			continue;
		if (!f->log_group)
			return tt_xstrdup(f->problem ? f->problem : "not found");
		if (find_row(snap, TT_RES_FUNCTION, i, NULL, &res->row))
			return NULL;
	}
	return not_found(st, TT_RES_FUNCTION);
}

static char *resolve_table(const struct tt_snapshot *snap, struct resource *res)
{
	const struct tt_stack *st = tt_snapshot_stack(snap);

	for (size_t i = 0; i < st->ntables; i++) {
		const struct tt_stack_table *t = &st->tables[i];
		if (strcmp(t->name, res->name) != 0)
			continue;
		if (t->problem)
			return tt_xstrdup(t->problem);
		if (find_row(snap, TT_RES_TABLE, i, NULL, &res->row))
			return NULL;
	}
	return not_found(st, TT_RES_TABLE);
}

static bool api_is(const struct tt_stack_api *a, const char *what)
{
	return strcmp(a->id, what) == 0 || strcmp(a->name, what) == 0;
}

/* The API of the kind asked for, by id or name; -1 when there is none. */
static long find_api(const struct tt_stack *st, const struct resource *res)
{
	bool http = res->kind != TT_RES_REST_API, websocket = res->kind == TT_RES_WS_API;

	for (size_t i = 0; i < st->napis; i++)
		if (st->apis[i].http == http && st->apis[i].websocket == websocket && api_is(&st->apis[i], res->name) &&
		    (st->apis[i].nstages || !st->apis[i].problem))
			return (long)i;
	return -1;
}

static char *stages_text(const struct tt_stack_api *a)
{
	char *text = tt_xstrdup(a->nstages ? "" : "none");

	for (size_t k = 0; k < a->nstages; k++) {
		char *longer = tt_xasprintf("%s%s%s", text, k ? ", " : "", a->stages[k]);
		free(text);
		text = longer;
	}
	return text;
}

static char *resolve_api(const struct tt_snapshot *snap, struct resource *res)
{
	const struct tt_stack *st = tt_snapshot_stack(snap);
	long i = find_api(st, res);
	const struct tt_stack_api *a;
	char *stages, *why;

	if (i < 0) {
		for (size_t k = 0; k < st->napis; k++) {
			if (!api_is(&st->apis[k], res->name))
				continue;
			if (st->apis[k].problem)
				return tt_xstrdup(st->apis[k].problem);
			if (st->apis[k].websocket)
				return tt_xstrdup("it is a WebSocket API: use websocket-api/ID/STAGE");
			return tt_xasprintf("it is an %s API: use %s", st->apis[k].http ? "HTTP" : "REST",
					    st->apis[k].http ? "http-api/ID/STAGE" : "rest-api/NAME/STAGE");
		}
		return not_found(st, res->kind);
	}
	a = &st->apis[i];
	if (find_row(snap, res->kind, (size_t)i, res->stage, &res->row))
		return NULL;
	if (a->problem && !a->nstages)
		return tt_xstrdup(a->problem);
	stages = stages_text(a);
	why = tt_xasprintf("no stage %s; its stages: %s", res->stage, stages);
	free(stages);
	return why;
}

/* Every resource found, or each one that is not printed and false. */
static bool resolve_all(struct metrics_run *run, struct metrics_args *a)
{
	bool ok = true;

	for (size_t i = 0; i < a->nres; i++) {
		struct resource *res = &a->res[i];
		char *why = res->kind == TT_RES_FUNCTION ? resolve_function(run->snap, res)
			    : res->kind == TT_RES_TABLE  ? resolve_table(run->snap, res)
							 : resolve_api(run->snap, res);
		char *line, *safe;
		if (!why)
			continue;
		line = tt_xasprintf("%s %s%s%s: %s", tt_resource_kind_name(res->kind), res->name,
				    res->stage ? " stage " : "", res->stage ? res->stage : "", why);
		safe = tt_sanitize(line, tt_app_san());
		fprintf(stderr, "tiertop: %s\n", safe);
		free(safe);
		free(line);
		free(why);
		ok = false;
	}
	return ok;
}

/* Only the rows asked for are fetched: discovery may bring others (the
 * other stages of an API). */
static void show_only(struct tt_snapshot *snap, const struct metrics_args *a)
{
	for (size_t i = 0; i < tt_snapshot_nrows(snap); i++)
		tt_snapshot_set_visible(snap, i, false);
	for (size_t i = 0; i < a->nres; i++)
		tt_snapshot_set_visible(snap, a->res[i].row, true);
}

/* --- output ------------------------------------------------------------------ */

static json_t *series_json(const struct tt_snap_series *s, const struct tt_metric_def *def)
{
	json_t *ts = json_array(), *vs = json_array();

	for (size_t i = 0; i < s->n; i++) {
		char iso[21];
		tt_time_iso8601(s->timestamps[i], iso);
		json_array_append_new(ts, json_string(iso));
		json_array_append_new(vs, json_real(s->values[i]));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "key", def->key, "metric", def->metric, "stat",
			 def->stat, "unit", def->unit, "status", s->status ? s->status : "", "timestamps", ts,
			 "values", vs);
}

/* One object per resource, its answered series in catalog order. */
static json_t *resource_json(const struct tt_snapshot *snap, const struct resource *res)
{
	const struct tt_snap_row *row = tt_snapshot_row(snap, res->row);
	const struct tt_metric_set *set = tt_catalog_for(row->kind);
	json_t *list = json_array();

	for (size_t k = 0; k < set->n && k < row->nseries; k++)
		if (row->series[k].present)
			json_array_append_new(list, series_json(&row->series[k], &set->defs[k]));
	return json_pack("{s:s, s:s, s:s?, s:o}", "kind", tt_resource_kind_name(res->kind), "name", res->name,
			 "stage", res->stage, "series", list);
}

static void print_series(const struct tt_snap_series *s, const struct tt_metric_def *def, bool utf8)
{
	double lo = INFINITY, hi = -INFINITY;
	char *spark;

	for (size_t k = 0; k < s->n; k++) {
		lo = s->values[k] < lo ? s->values[k] : lo;
		hi = s->values[k] > hi ? s->values[k] : hi;
	}
	spark = tt_spark(s->values, s->n, 40, utf8);
	if (s->n) {
		char last[TT_FIGURE_MAX], min[TT_FIGURE_MAX], max[TT_FIGURE_MAX];

		tt_figure_text(s->values[s->n - 1], last);
		tt_figure_text(lo, min);
		tt_figure_text(hi, max);
		printf("  %-12s %s last %-10s min %-10s max %s %s\n", def->key, spark, last, min, max, def->unit);
	} else
		printf("  %-12s (no data)\n", def->key);
	free(spark);
}

static void print_text(const struct metrics_args *a, const struct tt_snapshot *snap, bool utf8)
{
	const struct tt_snapshot_stats *stats = tt_snapshot_stats(snap);
	char range[TT_DURATION_TEXT], period[TT_DURATION_TEXT];

	for (size_t i = 0; i < a->nres; i++) {
		const struct resource *res = &a->res[i];
		const struct tt_snap_row *row = tt_snapshot_row(snap, res->row);
		const struct tt_metric_set *set = tt_catalog_for(row->kind);
		char *name = tt_sanitize(res->name, 0);
		char *stage = res->stage ? tt_sanitize(res->stage, 0) : NULL;
		printf("%s %s%s%s\n", tt_resource_kind_name(res->kind), name, stage ? " stage " : "",
		       stage ? stage : "");
		for (size_t k = 0; k < set->n && k < row->nseries; k++)
			if (row->series[k].present)
				print_series(&row->series[k], &set->defs[k], utf8);
		free(name);
		free(stage);
	}
	/* GetMetricData is billed per metric, never free: say what this cost. */
	tt_duration_text(a->range_s, range);
	tt_duration_text(a->period_s, period);
	printf("last %s at %s: %lu metrics in %lu GetMetricData call%s (about $%.5f)\n", range, period,
	       stats->metrics_requested, stats->metric_calls, stats->metric_calls == 1 ? "" : "s",
	       stats->metrics_requested * TT_CW_PRICE_PER_METRIC);
}

static void print_json(const struct metrics_args *a, const struct tt_snapshot *snap)
{
	const struct tt_snapshot_stats *stats = tt_snapshot_stats(snap);
	json_t *list = json_array(), *o;

	for (size_t i = 0; i < a->nres; i++)
		json_array_append_new(list, resource_json(snap, &a->res[i]));
	o = json_pack("{s:I, s:I, s:o, s:I, s:I}", "rangeSeconds", (json_int_t)a->range_s, "periodSeconds",
		      (json_int_t)a->period_s, "resources", list, "metricsRequested",
		      (json_int_t)stats->metrics_requested, "calls", (json_int_t)stats->metric_calls);
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	putchar('\n');
	json_decref(o);
}

/* --- the run ------------------------------------------------------------------ */

static void on_changed(void *ctx, enum tt_snap_part part)
{
	struct metrics_run *run = ctx;

	if (part == TT_SNAP_DISCOVERY)
		run->discovered = true;
	else if (part == TT_SNAP_METRICS)
		run->fetched = true;
}

static int64_t now_ms(const struct tt_app *app)
{
	return (int64_t)tt_http_now(app->http) * 1000;
}

static int run(struct tt_app *app, struct metrics_args *a, struct metrics_run *run)
{
	struct tt_select sel[MAX_RESOURCES];
	struct tt_snapshot_io io;
	struct tt_snapshot_sink sink = {on_changed};
	struct tt_err err;
	time_t now;

	if (tt_app_connect(app, &err))
		return tt_app_fail(&err);
	now = tt_http_now(app->http);
	/* Old data is kept only at coarser periods: ask for one CloudWatch
	 * accepts, and say so by printing the period used. */
	a->period_s = tt_cw_period_for(now - a->range_s - a->period_s, now, (int)a->period_s);
	to_selectors(a, sel);
	tt_snapshot_io_aws(&io, &app->aws);
	run->snap = tt_snapshot_new(sel, a->nres, a->range_s, a->period_s, &io, &sink, run);
	if (tt_snapshot_start(run->snap, TT_SNAP_DISCOVERY, now_ms(app)) != 0)
		return tt_app_fail(&tt_snapshot_state(run->snap, TT_SNAP_DISCOVERY)->err);
	tt_http_run_until(app->http, &run->discovered);
	if (tt_snapshot_state(run->snap, TT_SNAP_DISCOVERY)->failed)
		return tt_app_fail(&tt_snapshot_state(run->snap, TT_SNAP_DISCOVERY)->err);
	if (!resolve_all(run, a))
		return TT_EXIT_AWS;
	show_only(run->snap, a);
	if (tt_snapshot_start(run->snap, TT_SNAP_METRICS, now_ms(app)) != 0)
		return tt_app_fail(&tt_snapshot_state(run->snap, TT_SNAP_METRICS)->err);
	tt_http_run_until(app->http, &run->fetched);
	if (tt_snapshot_state(run->snap, TT_SNAP_METRICS)->failed)
		return tt_app_fail(&tt_snapshot_state(run->snap, TT_SNAP_METRICS)->err);
	if (app->opts.json)
		print_json(a, run->snap);
	else
		print_text(a, run->snap, tt_app_utf8());
	return TT_EXIT_OK;
}

int tt_cmd_metrics(struct tt_app *app, int argc, char **argv)
{
	struct metrics_args a = {0};
	struct metrics_run r = {0};
	int rc = parse_args(&app->args, &a);

	(void)argc;
	(void)argv;
	if (rc == 0)
		rc = run(app, &a, &r);
	tt_snapshot_free(&r.snap);
	for (size_t i = 0; i < a.nres; i++) {
		free(a.res[i].name);
		free(a.res[i].stage);
	}
	return rc;
}
