/* tiertop status: a one-shot snapshot of the application tier by tier, like
 * `top -b`: discovery, then every resource's key metrics in as few
 * GetMetricData calls as possible, and the alarms, in parallel. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app.h"
#include "tiertop/catalog.h"
#include "tiertop/clock.h"
#include "tiertop/sanitize.h"
#include "tiertop/spark.h"
#include "tiertop/appcfg.h"
#include "tiertop/stack.h"
#include "tiertop/str.h"
#include "tiertop/svc_cloudwatch.h"
#include "tiertop/xalloc.h"

#define QUERIES_PER_ROW 16

/* One line of the snapshot: a resource (an API stage, a function, a table). */
struct row {
	enum tt_resource_kind kind;
	const char *name;       /* borrowed from the stack */
	const char *stage;
	const char *dim_value;  /* what its metrics are keyed on */
	json_t *metrics;        /* key -> {total|last, spark values} */
	const char *alarm;      /* worst alarm state, or NULL */
	char *alarm_names;
};

struct status {
	struct tt_app *app;
	struct tt_select *sel;  /* values borrowed from argv or the config */
	size_t nsel;
	long range_s, period_s;
	struct tt_stack *stack;
	struct row *rows;
	size_t nrows;
	int pending;
	bool failed;
	struct tt_err err;
	int calls;
	bool done;
};

static void status_end(struct status *s)
{
	if (--s->pending == 0)
		s->done = true;
}

static void fail(struct status *s, const struct tt_err *err)
{
	if (!s->failed) {
		s->failed = true;
		s->err = *err;
	}
}

/* --- rows and queries --------------------------------------------------- */

static void add_row(struct status *s, enum tt_resource_kind kind, const char *name, const char *stage,
		    const char *dim_value)
{
	struct row *r;

	s->rows = tt_xrealloc(s->rows, (s->nrows + 1) * sizeof(*s->rows));
	r = &s->rows[s->nrows++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->name = name;
	r->stage = stage;
	r->dim_value = dim_value;
	r->metrics = json_object();
}

static void build_rows(struct status *s)
{
	const struct tt_stack *st = s->stack;

	for (size_t i = 0; i < st->napis; i++) {
		const struct tt_stack_api *a = &st->apis[i];
		for (size_t k = 0; k < a->nstages; k++)
			add_row(s, a->http ? TT_RES_HTTP_API : TT_RES_REST_API, a->name, a->stages[k],
				a->http ? a->id : a->name);
		/* No stage, no metrics: the row stays to carry its problem. */
		if (!a->nstages)
			add_row(s, a->http ? TT_RES_HTTP_API : TT_RES_REST_API, a->name, NULL, NULL);
	}
	for (size_t i = 0; i < st->nfunctions; i++)
		add_row(s, TT_RES_FUNCTION, st->functions[i].name, NULL, st->functions[i].name);
	for (size_t i = 0; i < st->ntables; i++)
		add_row(s, TT_RES_TABLE, st->tables[i].name, NULL, st->tables[i].name);
}

static double summarize(const struct tt_cw_series *series, const char *stat)
{
	double total = 0, last = NAN;

	for (size_t i = 0; i < series->n; i++) {
		total += series->values[i];
		last = series->values[i];
	}
	/* Counts add up over the range; latencies and levels are read now. */
	return strcmp(stat, "Sum") == 0 ? total : last;
}

static void on_metrics(void *ctx, const struct tt_cw_data *data, const struct tt_err *err)
{
	struct status *s = ctx;

	if (err) {
		fail(s, err);
		status_end(s);
		return;
	}
	s->calls = data->calls;
	for (size_t k = 0; k < data->n; k++) {
		const struct tt_cw_series *series = &data->series[k];
		size_t r, m;
		const struct tt_metric_set *set;
		json_t *values;
		if (sscanf(series->id, "r%zum%zu", &r, &m) != 2 || r >= s->nrows)
			continue;
		set = tt_catalog_for(s->rows[r].kind);
		if (m >= set->n)
			continue;
		values = json_array();
		for (size_t i = 0; i < series->n; i++)
			json_array_append_new(values, json_real(series->values[i]));
		json_object_set_new(s->rows[r].metrics, set->defs[m].key,
				    json_pack("{s:f, s:s, s:o}", "value", summarize(series, set->defs[m].stat),
					      "stat", set->defs[m].stat, "values", values));
	}
	status_end(s);
}

static void fetch_metrics(struct status *s, time_t end)
{
	struct tt_cw_query *q = tt_xcalloc(s->nrows * QUERIES_PER_ROW + 1, sizeof(*q));
	char(*ids)[32] = tt_xcalloc(s->nrows * QUERIES_PER_ROW + 1, sizeof(*ids));
	size_t n = 0;
	struct tt_err err;

	for (size_t r = 0; r < s->nrows; r++) {
		char prefix[24];
		if (!s->rows[r].dim_value)
			continue;
		snprintf(prefix, sizeof(prefix), "r%zum", r);
		n += tt_catalog_queries(s->rows[r].kind, s->rows[r].dim_value, s->rows[r].stage, (int)s->period_s,
					prefix, ids + n, q + n, QUERIES_PER_ROW);
	}
	if (n) {
		s->pending++;
		if (tt_cw_get_metric_data(&s->app->aws, q, n, end - s->range_s, end, on_metrics, s, &err)) {
			fail(s, &err);
			s->pending--;
		}
	}
	free(q);
	free(ids);
}

/* --- alarms ------------------------------------------------------------- */

static int severity(const char *state)
{
	return !state ? 0 : strcmp(state, "ALARM") == 0 ? 3 : strcmp(state, "INSUFFICIENT_DATA") == 0 ? 2 : 1;
}

static bool alarm_watches(const struct tt_cw_alarm *a, const struct row *r)
{
	for (size_t d = 0; r->dim_value && d < a->ndims; d++)
		if (strcmp(a->dims[d].value, r->dim_value) == 0)
			return true;
	return false;
}

static void on_alarms(void *ctx, const struct tt_cw_alarms *alarms, const struct tt_err *err)
{
	struct status *s = ctx;

	/* Alarms are extra: without them the snapshot still stands. */
	for (size_t i = 0; !err && i < alarms->n; i++) {
		const struct tt_cw_alarm *a = &alarms->alarms[i];
		for (size_t r = 0; r < s->nrows; r++) {
			struct row *row = &s->rows[r];
			char *names;
			if (!alarm_watches(a, row))
				continue;
			if (severity(a->state) > severity(row->alarm))
				row->alarm = strcmp(a->state, "ALARM") == 0 ? "ALARM"
					     : strcmp(a->state, "OK") == 0 ? "OK" : "INSUFFICIENT_DATA";
			names = tt_xasprintf("%s%s%s", row->alarm_names ? row->alarm_names : "",
					     row->alarm_names ? "," : "", a->name);
			free(row->alarm_names);
			row->alarm_names = names;
		}
	}
	status_end(s);
}

static void on_stack(void *ctx, struct tt_stack *stack, const struct tt_err *err)
{
	struct status *s = ctx;
	struct tt_err e;

	if (err) {
		fail(s, err);
		status_end(s);
		return;
	}
	s->stack = stack;
	build_rows(s);
	fetch_metrics(s, tt_http_now(s->app->http) / s->period_s * s->period_s);
	s->pending++;
	if (tt_cw_describe_alarms(&s->app->aws, NULL, on_alarms, s, &e))
		status_end(s);
	status_end(s);
}

/* --- output ---------------------------------------------------------------- */

static double metric_value(const struct row *r, const char *key)
{
	json_t *m = json_object_get(r->metrics, key);

	return m ? json_number_value(json_object_get(m, "value")) : NAN;
}

static char *row_spark(const struct row *r, const char *key, bool utf8)
{
	json_t *vals = json_object_get(json_object_get(r->metrics, key), "values");
	size_t n = json_array_size(vals);
	double *v = tt_xcalloc(n + 1, sizeof(*v));
	char *s;

	for (size_t i = 0; i < n; i++)
		v[i] = json_number_value(json_array_get(vals, i));
	s = tt_spark(v, n, 12, utf8);
	free(v);
	return s;
}

static void print_cell(double v)
{
	if (isnan(v))
		printf(" %11s", "-");
	else
		printf(" %11.6g", v);
}

struct tier {
	const char *title;
	enum tt_resource_kind kinds[2];
	const char *keys[5];
};

static const struct tier tiers[] = {
	{"PRESENTATION", {TT_RES_REST_API, TT_RES_HTTP_API}, {"requests", "4xx", "5xx", "latency", "integ"}},
	{"LOGIC", {TT_RES_FUNCTION, TT_RES_FUNCTION}, {"invocations", "errors", "throttles", "p99", "concurrency"}},
	{"DATA", {TT_RES_TABLE, TT_RES_TABLE}, {"rcu", "wcu", "read_thr", "write_thr", "get_ms"}},
};

static void print_row(const struct row *r, const struct tier *t, bool utf8)
{
	char label[160];
	char *safe, *spark = row_spark(r, t->keys[0], utf8);

	snprintf(label, sizeof(label), "%s%s%s", r->name, r->stage ? "/" : "", r->stage ? r->stage : "");
	safe = tt_sanitize(label, 0);
	printf("  %-28.28s %s", safe, spark);
	for (size_t k = 0; k < 5; k++)
		print_cell(metric_value(r, t->keys[k]));
	printf("  %s\n", r->alarm ? r->alarm : "-");
	free(safe);
	free(spark);
}

static void print_problems(const struct tt_stack *st)
{
	for (size_t i = 0; i < st->napis; i++)
		if (st->apis[i].problem)
			printf("  ! %s: %s\n", st->apis[i].name, st->apis[i].problem);
	for (size_t i = 0; i < st->nfunctions; i++)
		if (st->functions[i].problem)
			printf("  ! %s: %s\n", st->functions[i].name, st->functions[i].problem);
	for (size_t i = 0; i < st->ntables; i++)
		if (st->tables[i].problem)
			printf("  ! %s: %s\n", st->tables[i].name, st->tables[i].problem);
}

static void print_wiring(const struct tt_stack *st)
{
	printf("WIRING\n");
	for (size_t i = 0; i < st->napis; i++) {
		for (size_t k = 0; k < st->apis[i].nroutes; k++) {
			const struct tt_stack_route *rt = &st->apis[i].routes[k];
			char *line = tt_xasprintf("%s %s -> %s", st->apis[i].name, rt->route,
						  *rt->function ? rt->function : "(not a Lambda)");
			char *safe = tt_sanitize(line, 0);
			printf("  %s\n", safe);
			free(safe);
			free(line);
		}
	}
	for (size_t i = 0; i < st->nfunctions; i++) {
		for (size_t k = 0; k < st->functions[i].ntables; k++) {
			const struct tt_stack_link *l = &st->functions[i].tables[k];
			char *line = tt_xasprintf("%s %s %s (%s)", st->functions[i].name,
						  strcmp(l->via, "event source") == 0 ? "<-" : "->", l->table, l->via);
			char *safe = tt_sanitize(line, 0);
			printf("  %s\n", safe);
			free(safe);
			free(line);
		}
	}
}

static void print_text(const struct status *s, bool utf8)
{
	char *sel = tt_sanitize(s->stack->selector, 0);

	printf("tiertop status: %s, %s, last %lds at %lds\n", sel, s->app->region, s->range_s, s->period_s);
	free(sel);
	for (size_t t = 0; t < sizeof(tiers) / sizeof(tiers[0]); t++) {
		printf("%-43s", tiers[t].title);
		for (size_t k = 0; k < 5; k++)
			printf(" %11.11s", tiers[t].keys[k]);
		printf("  alarm\n");
		for (size_t r = 0; r < s->nrows; r++)
			if (s->rows[r].kind == tiers[t].kinds[0] || s->rows[r].kind == tiers[t].kinds[1])
				print_row(&s->rows[r], &tiers[t], utf8);
	}
	print_problems(s->stack);
	print_wiring(s->stack);
	printf("%lu metrics in %d GetMetricData call%s (about $%.5f)\n", tt_cw_metrics_requested(), s->calls,
	       s->calls == 1 ? "" : "s", tt_cw_metrics_requested() * 0.00001);
}

static json_t *routes_json(const struct tt_stack_api *a)
{
	json_t *list = json_array();

	for (size_t k = 0; k < a->nroutes; k++)
		json_array_append_new(list, json_pack("{s:s, s:s}", "route", a->routes[k].route, "function",
						      a->routes[k].function));
	return list;
}

static json_t *row_json(const struct status *s, const struct row *r)
{
	json_t *o = json_pack("{s:s, s:s, s:s?, s:O, s:s?, s:s?}", "kind", tt_resource_kind_name(r->kind), "name",
			      r->name, "stage", r->stage, "metrics", r->metrics, "alarm", r->alarm, "alarms",
			      r->alarm_names);

	for (size_t i = 0; i < s->stack->napis; i++)
		if ((r->kind == TT_RES_REST_API || r->kind == TT_RES_HTTP_API) &&
		    strcmp(s->stack->apis[i].name, r->name) == 0) {
			json_object_set_new(o, "routes", routes_json(&s->stack->apis[i]));
			if (s->stack->apis[i].problem)
				json_object_set_new(o, "problem", json_string(s->stack->apis[i].problem));
		}
	for (size_t i = 0; i < s->stack->nfunctions; i++) {
		const struct tt_stack_function *f = &s->stack->functions[i];
		json_t *tables;
		if (r->kind != TT_RES_FUNCTION || strcmp(f->name, r->name) != 0)
			continue;
		tables = json_array();
		for (size_t k = 0; k < f->ntables; k++)
			json_array_append_new(tables, json_pack("{s:s, s:s}", "table", f->tables[k].table, "via",
								f->tables[k].via));
		json_object_set_new(o, "tables", tables);
		json_object_set_new(o, "timeoutSeconds", json_integer(f->timeout_s));
		json_object_set_new(o, "runtime", json_string(f->runtime));
		if (f->problem)
			json_object_set_new(o, "problem", json_string(f->problem));
	}
	for (size_t i = 0; i < s->stack->ntables; i++)
		if (r->kind == TT_RES_TABLE && strcmp(s->stack->tables[i].name, r->name) == 0 &&
		    s->stack->tables[i].problem)
			json_object_set_new(o, "problem", json_string(s->stack->tables[i].problem));
	return o;
}

static void print_json(const struct status *s)
{
	json_t *tiers_o = json_object();
	const char *names[] = {"presentation", "logic", "data"};

	for (size_t t = 0; t < 3; t++) {
		json_t *list = json_array();
		for (size_t r = 0; r < s->nrows; r++)
			if (s->rows[r].kind == tiers[t].kinds[0] || s->rows[r].kind == tiers[t].kinds[1])
				json_array_append_new(list, row_json(s, &s->rows[r]));
		json_object_set_new(tiers_o, names[t], list);
	}
	json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:o, s:I, s:i}", "selector", s->stack->selector, "region",
			      s->app->region, "rangeSeconds", (json_int_t)s->range_s, "periodSeconds",
			      (json_int_t)s->period_s, "tiers", tiers_o, "metricsRequested",
			      (json_int_t)tt_cw_metrics_requested(), "calls", s->calls);
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	putchar('\n');
	json_decref(o);
}

/* --- command line ------------------------------------------------------------ */

static int usage(const char *what)
{
	fprintf(stderr, "tiertop: status: %s\n"
			"usage: tiertop status [--stack NAME] [--tag KEY=VALUE] [--prefix P] [--function F] "
			"[--table T] [--api A] [--range 1h] [--period 60] [--json]\n"
			"       (selectors add up; without any, the application of --app or the config file)\n",
		what);
	return TT_EXIT_USAGE;
}

static const struct {
	const char *flag;
	enum tt_select_kind kind;
} selector_flags[] = {
	{"--stack", TT_SELECT_STACK},	    {"--tag", TT_SELECT_TAG},	  {"--prefix", TT_SELECT_PREFIX},
	{"--function", TT_SELECT_FUNCTION}, {"--table", TT_SELECT_TABLE}, {"--api", TT_SELECT_API},
};

static bool add_selector(struct status *s, const char *flag, const char *value)
{
	for (size_t k = 0; k < sizeof(selector_flags) / sizeof(selector_flags[0]); k++) {
		if (strcmp(flag, selector_flags[k].flag) != 0)
			continue;
		s->sel = tt_xrealloc(s->sel, (s->nsel + 1) * sizeof(*s->sel));
		s->sel[s->nsel].kind = selector_flags[k].kind;
		s->sel[s->nsel].value = value;
		s->nsel++;
		return true;
	}
	return false;
}

/* Flags first; without them, the application from the config file. */
static int pick_selection(struct status *s)
{
	const struct tt_appcfg_app *def = s->app->app_def;
	const char *file = s->app->appcfg && *s->app->appcfg->path ? s->app->appcfg->path : NULL;

	if (s->nsel)
		return 0;
	if (!def) {
		char *what = tt_xasprintf("say which application: --stack, --tag, --prefix, --function, --table, "
					  "--api, or --app NAME with an [app NAME] section in %s",
					  file ? file : "~/.config/tiertop/config");
		int rc = usage(what);
		free(what);
		return rc;
	}
	if (!def->nsel) {
		fprintf(stderr, "tiertop: status: [app %s] in %s selects nothing: give it stacks, tags, prefixes, "
				"functions, tables or apis\n", def->name, file);
		return TT_EXIT_CONFIG;
	}
	s->sel = tt_xcalloc(def->nsel, sizeof(*s->sel));
	memcpy(s->sel, def->sel, def->nsel * sizeof(*s->sel));
	s->nsel = def->nsel;
	return 0;
}

static int parse_args(int argc, char **argv, struct status *s)
{
	s->range_s = 3600;
	s->period_s = 60;
	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			return usage("an option needs a value");
		if (add_selector(s, argv[i], v)) {
			if (strcmp(argv[i], "--tag") == 0 && (!strchr(v, '=') || *v == '='))
				return usage("--tag takes KEY=VALUE");
		} else if (strcmp(argv[i], "--range") == 0) {
			if (tt_duration_parse(v, &s->range_s))
				return usage("--range takes a duration such as 30m or 3h");
		} else if (strcmp(argv[i], "--period") == 0) {
			if (tt_str_parse_long(v, 60, 86400, &s->period_s) || s->period_s % 60)
				return usage("--period takes seconds, a multiple of 60");
		} else {
			return usage("unexpected argument");
		}
		i++;
	}
	if (s->range_s / s->period_s > 1440)
		return usage("at most 1,440 points per metric: raise --period or shorten --range");
	return pick_selection(s);
}

int tt_cmd_status(struct tt_app *app, int argc, char **argv)
{
	struct status s = {0};
	struct tt_err err;
	int rc;

	s.app = app;
	rc = parse_args(argc, argv, &s);
	if (rc == 0 && tt_app_connect(app, &err))
		rc = tt_app_fail(&err);
	if (rc == 0) {
		s.pending = 1;
		if (tt_stack_discover(&app->aws, s.sel, s.nsel, on_stack, &s, &err))
			rc = tt_app_fail(&err);
	}
	if (rc == 0) {
		tt_http_run_until(app->http, &s.done);
		if (s.failed)
			rc = tt_app_fail(&s.err);
		else if (app->opts.json)
			print_json(&s);
		else
			print_text(&s, tt_app_utf8());
	}
	for (size_t r = 0; r < s.nrows; r++) {
		json_decref(s.rows[r].metrics);
		free(s.rows[r].alarm_names);
	}
	free(s.rows);
	free(s.sel);
	tt_stack_free(&s.stack);
	return rc;
}
