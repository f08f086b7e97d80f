/* tiertop metrics RESOURCE: the catalog's metrics for one resource over a
 * time range, as sparklines or JSON. */
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
#include "tiertop/str.h"
#include "tiertop/svc_cloudwatch.h"
#include "tiertop/xalloc.h"

#define MAX_RESOURCES 32
#define MAX_Q_PER_RESOURCE 16

struct resource {
	enum tt_resource_kind kind;
	char *name;
	char *stage;
	char *dim_value;  /* what its metrics are published under */
};

struct metrics_args {
	struct resource res[MAX_RESOURCES];
	size_t nres;
	long range_s;
	long period_s;
};

struct metrics_run {
	bool done;
	bool failed;
	struct tt_err err;
	json_t *result;   /* series as JSON, kept until printed */
	int calls;
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
	/* Without a lookup the id is not known: a name with nothing but
	 * non-ASCII characters has to be given as the id. */
	a->dim_value = a->kind == TT_RES_REST_API ? tt_catalog_api_metric_name(a->name, a->name) : tt_xstrdup(a->name);
	return *a->name ? 0 : -1;
}

static const struct tt_opt metrics_opts[] = {
	{"--range", "DURATION", 0, "how far back: 30m, 3h, 2d (default 3h)"},
	{"--period", "SECONDS", 0, "seconds per point, a multiple of 60 (default 60)"},
};

const struct tt_opts_spec tt_metrics_spec = {
	"metrics", "RESOURCE...", 1, MAX_RESOURCES, metrics_opts, sizeof(metrics_opts) / sizeof(metrics_opts[0]),
	"RESOURCE: [function/]NAME | table/NAME | rest-api/NAME/STAGE | http-api/ID/STAGE (at most 32)",
};

static int usage_error(const char *what)
{
	return tt_opts_usage_error(&tt_metrics_spec, what);
}

static int parse_args(const struct tt_opts *o, struct metrics_args *a)
{
	const char *range = tt_opts_get(o, "--range"), *period = tt_opts_get(o, "--period");

	a->range_s = 3 * 3600;
	a->period_s = 60;
	if (range && tt_duration_parse(range, &a->range_s))
		return usage_error("--range takes a duration such as 30m, 3h or 2d");
	if (period && (tt_str_parse_long(period, 60, 86400, &a->period_s) || a->period_s % 60))
		return usage_error("--period takes seconds, a multiple of 60");
	for (size_t i = 0; i < o->noperands; i++)
		if (parse_resource(o->operands[i], &a->res[a->nres++])) {
			char msg[160];
			snprintf(msg, sizeof(msg), "which resource is \"%.100s\"?", o->operands[i]);
			return usage_error(msg);
		}
	if (a->range_s / a->period_s > 1440)
		return usage_error("at most 1,440 points per metric: raise --period or shorten --range");
	return 0;
}

static json_t *series_json(const struct tt_cw_series *s, const struct tt_metric_def *def)
{
	json_t *ts = json_array(), *vs = json_array();

	for (size_t i = 0; i < s->n; i++) {
		char iso[21];
		tt_time_iso8601(s->timestamps[i], iso);
		json_array_append_new(ts, json_string(iso));
		json_array_append_new(vs, json_real(s->values[i]));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "key", def->key, "metric", def->metric, "stat",
			 def->stat, "unit", def->unit, "status", s->status, "timestamps", ts, "values", vs);
}

struct metrics_ctx {
	struct metrics_run *run;
	const struct metrics_args *args;
};

static const struct tt_cw_series *find_series(const struct tt_cw_data *data, const char *id)
{
	for (size_t k = 0; k < data->n; k++)
		if (strcmp(data->series[k].id, id) == 0)
			return &data->series[k];
	return NULL;
}

/* Answers come back by id ("r<resource>m<metric>"): one JSON object per
 * resource, its series in catalog order. */
static json_t *resource_json(const struct tt_cw_data *data, size_t r, const struct resource *res)
{
	const struct tt_metric_set *set = tt_catalog_for(res->kind);
	json_t *list = json_array();

	for (size_t i = 0; i < set->n; i++) {
		char id[48];
		const struct tt_cw_series *s;
		snprintf(id, sizeof(id), "r%zum%zu", r, i);
		if ((s = find_series(data, id)))
			json_array_append_new(list, series_json(s, &set->defs[i]));
	}
	return json_pack("{s:s, s:s, s:s?, s:o}", "kind", tt_resource_kind_name(res->kind), "name", res->name,
			 "stage", res->stage, "series", list);
}

static void on_data(void *ctx, const struct tt_cw_data *data, const struct tt_err *err)
{
	struct metrics_ctx *m = ctx;

	m->run->done = true;
	if (err) {
		m->run->failed = true;
		m->run->err = *err;
		return;
	}
	m->run->result = json_array();
	for (size_t r = 0; r < m->args->nres; r++)
		json_array_append_new(m->run->result, resource_json(data, r, &m->args->res[r]));
	m->run->calls = data->calls;
}

static void print_series(json_t *s, bool utf8)
{
	json_t *vs = json_object_get(s, "values");
	size_t n = json_array_size(vs);
	double *v = tt_xcalloc(n + 1, sizeof(*v)), lo = INFINITY, hi = -INFINITY;
	char *spark;

	for (size_t k = 0; k < n; k++) {
		v[k] = json_number_value(json_array_get(vs, k));
		lo = v[k] < lo ? v[k] : lo;
		hi = v[k] > hi ? v[k] : hi;
	}
	spark = tt_spark(v, n, 40, utf8);
	if (n)
		printf("  %-12s %s last %-10.6g min %-10.6g max %.6g %s\n",
		       json_string_value(json_object_get(s, "key")), spark, v[n - 1], lo, hi,
		       json_string_value(json_object_get(s, "unit")));
	else
		printf("  %-12s (no data)\n", json_string_value(json_object_get(s, "key")));
	free(spark);
	free(v);
}

static void print_text(const struct metrics_args *a, json_t *resources, int calls, bool utf8)
{
	size_t i, k;
	json_t *r, *s;

	json_array_foreach(resources, i, r) {
		char *name = tt_sanitize(json_string_value(json_object_get(r, "name")), 0);
		const char *stage = json_string_value(json_object_get(r, "stage"));
		char *safe_stage = stage ? tt_sanitize(stage, 0) : NULL;
		printf("%s %s%s%s\n", json_string_value(json_object_get(r, "kind")), name,
		       stage ? " stage " : "", stage ? safe_stage : "");
		json_array_foreach(json_object_get(r, "series"), k, s)
			print_series(s, utf8);
		free(name);
		free(safe_stage);
	}
	/* GetMetricData is billed per metric, never free: say what this cost. */
	printf("last %lds at %lds: %lu metrics in %d GetMetricData call%s (about $%.5f)\n", a->range_s,
	       a->period_s, tt_cw_metrics_requested(), calls, calls == 1 ? "" : "s",
	       tt_cw_metrics_requested() * 0.00001);
}

static size_t build_queries(const struct metrics_args *a, struct tt_cw_query *q, char (*ids)[32])
{
	size_t n = 0;

	for (size_t r = 0; r < a->nres; r++) {
		char prefix[24];
		snprintf(prefix, sizeof(prefix), "r%zum", r);
		n += tt_catalog_queries(a->res[r].kind, a->res[r].dim_value, a->res[r].stage, (int)a->period_s, prefix,
					ids + n, q + n, MAX_Q_PER_RESOURCE);
	}
	return n;
}

static void print_json(const struct metrics_args *a, const struct metrics_run *run)
{
	json_t *o = json_pack("{s:I, s:I, s:O, s:I, s:i}", "rangeSeconds", (json_int_t)a->range_s,
			      "periodSeconds", (json_int_t)a->period_s, "resources", run->result,
			      "metricsRequested", (json_int_t)tt_cw_metrics_requested(), "calls", run->calls);

	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	putchar('\n');
	json_decref(o);
}

int tt_cmd_metrics(struct tt_app *app, int argc, char **argv)
{
	struct metrics_args a = {0};
	struct metrics_run run = {0};
	struct metrics_ctx ctx = {&run, &a};
	struct tt_cw_query *q = tt_xcalloc(MAX_RESOURCES * MAX_Q_PER_RESOURCE, sizeof(*q));
	char (*ids)[32] = tt_xcalloc(MAX_RESOURCES * MAX_Q_PER_RESOURCE, sizeof(*ids));
	struct tt_err err;
	time_t end;
	int rc = parse_args(&app->args, &a);

	(void)argc;
	(void)argv;
	if (rc == 0 && tt_app_connect(app, &err))
		rc = tt_app_fail(&err);
	if (rc == 0) {
		time_t now = tt_http_now(app->http);
		/* Old data is kept only at coarser periods: ask for one CloudWatch
		 * accepts, and say so by printing the period used. */
		a.period_s = tt_cw_period_for(now - a.range_s - a.period_s, now, (int)a.period_s);
		/* Whole periods only: a half-filled last bucket looks like a drop. */
		end = now / a.period_s * a.period_s;
		if (tt_cw_get_metric_data(&app->aws, q, build_queries(&a, q, ids), end - a.range_s, end, on_data,
					  &ctx, &err))
			rc = tt_app_fail(&err);
	}
	if (rc == 0) {
		tt_http_run_until(app->http, &run.done);
		if (run.failed)
			rc = tt_app_fail(&run.err);
		else if (app->opts.json)
			print_json(&a, &run);
		else
			print_text(&a, run.result, run.calls, tt_app_utf8());
	}
	json_decref(run.result);
	for (size_t r = 0; r < a.nres; r++) {
		free(a.res[r].name);
		free(a.res[r].stage);
		free(a.res[r].dim_value);
	}
	free(q);
	free(ids);
	return rc;
}
