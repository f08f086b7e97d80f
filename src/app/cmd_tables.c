/* tiertop tables: every DynamoDB table in the region with its status,
 * billing, item count, size and key.
 *
 * ListTables gives names only, so each table is described, a few at a time
 * (DescribeTable shares the control plane's low rate limit). A table that
 * cannot be described still gets its row, with "?" and a note on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app.h"
#include "tiertop/fanout.h"
#include "tiertop/sanitize.h"
#include "tiertop/svc_dynamodb.h"
#include "tiertop/xalloc.h"

#define DESCRIBES_IN_FLIGHT 8
#define NAME_WIDTH_MAX 48

struct tables_run {
	struct tt_app *app;
	char **names;
	struct tt_ddb_table **tables;   /* NULL where DescribeTable failed */
	size_t n;
	struct tt_fanout describes;
	bool done;
	bool failed;
	struct tt_err err;
};

struct describe {
	struct tables_run *run;
	size_t i;
};

static void on_table(void *ctx, struct tt_ddb_table *t, const struct tt_err *err)
{
	struct describe *d = ctx;
	struct tables_run *r = d->run;

	if (err)
		tt_fanout_fail(&r->describes, err);
	else
		r->tables[d->i] = t;
	free(d);
	r->done = tt_fanout_done(&r->describes);
}

static bool start_describe(void *ctx, size_t i)
{
	struct tables_run *r = ctx;
	struct describe *d = tt_xcalloc(1, sizeof(*d));
	struct tt_err err;

	d->run = r;
	d->i = i;
	if (tt_ddb_describe_table(&r->app->aws, r->names[i], on_table, d, &err) == 0)
		return true;
	free(d);
	tt_fanout_fail(&r->describes, &err);
	return false;
}

static void on_names(void *ctx, const char *const *names, size_t n, const struct tt_err *err)
{
	struct tables_run *r = ctx;

	if (err) {
		r->err = *err;
		r->failed = r->done = true;
		return;
	}
	r->n = n;
	r->names = tt_xcalloc(n + 1, sizeof(*r->names));
	r->tables = tt_xcalloc(n + 1, sizeof(*r->tables));
	for (size_t i = 0; i < n; i++)
		r->names[i] = tt_xstrdup(names[i]);
	tt_fanout_init(&r->describes, n, DESCRIBES_IN_FLIGHT, start_describe, r);
	r->done = tt_fanout_pump(&r->describes);
}

/* --- output ------------------------------------------------------------------ */

static void size_text(long long bytes, char *out, size_t size)
{
	static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
	double v = (double)bytes;
	int u = -1;

	if (bytes < 1024) {
		snprintf(out, size, "%lld B", bytes);
		return;
	}
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(out, size, "%.1f %s", v, units[u]);
}

static void billing_text(const struct tt_ddb_table *t, char *out, size_t size)
{
	if (strcmp(t->billing_mode, "PAY_PER_REQUEST") == 0)
		snprintf(out, size, "on-demand");
	else
		snprintf(out, size, "%lld/%lld RCU/WCU", t->rcu, t->wcu);
}

/* "feedbackId:S, createdAt:S": the partition key, then the sort key. */
static char *keys_text(const struct tt_ddb_table *t)
{
	const char *ht = tt_ddb_table_attr_type(t, t->key.hash);
	const char *rt = tt_ddb_table_attr_type(t, t->key.range);
	char *raw;

	if (t->key.range)
		raw = tt_xasprintf("%s:%s, %s:%s", t->key.hash ? t->key.hash : "?", ht ? ht : "?",
		                   t->key.range, rt ? rt : "?");
	else
		raw = tt_xasprintf("%s:%s", t->key.hash ? t->key.hash : "?", ht ? ht : "?");
	char *safe = tt_sanitize(raw, tt_app_san());
	free(raw);
	return safe;
}

static void print_row(int width, const char *name, const struct tt_ddb_table *t)
{
	char billing[64], size[32];
	char *status, *keys;

	if (!t) {
		printf("%-*s  %-10s %-20s %10s %10s  %s\n", width, name, "?", "?", "?", "?", "?");
		return;
	}
	billing_text(t, billing, sizeof(billing));
	size_text(t->size_bytes, size, sizeof(size));
	status = tt_sanitize(t->status ? t->status : "?", tt_app_san());
	keys = keys_text(t);
	printf("%-*s  %-10s %-20s %10lld %10s  %s\n", width, name, status, billing, t->item_count, size,
	       keys);
	free(status);
	free(keys);
}

static void print_text(const struct tables_run *r)
{
	char **names = tt_xcalloc(r->n + 1, sizeof(*names));
	int width = 4;

	for (size_t i = 0; i < r->n; i++) {
		int len;
		names[i] = tt_sanitize(r->names[i], tt_app_san());
		len = (int)strlen(names[i]);
		if (len > width)
			width = len > NAME_WIDTH_MAX ? NAME_WIDTH_MAX : len;
	}
	printf("%-*s  %-10s %-20s %10s %10s  %s\n", width, "NAME", "STATUS", "BILLING", "ITEMS", "SIZE",
	       "KEYS");
	for (size_t i = 0; i < r->n; i++) {
		print_row(width, names[i], r->tables[i]);
		free(names[i]);
	}
	free(names);
}

static json_t *key_json(const struct tt_ddb_table *t, const struct tt_ddb_key_schema *k)
{
	json_t *a = json_array();
	const char *attrs[2] = {k->hash, k->range};
	const char *kinds[2] = {"HASH", "RANGE"};

	for (int i = 0; i < 2; i++) {
		const char *type = tt_ddb_table_attr_type(t, attrs[i]);
		if (attrs[i])
			json_array_append_new(a, json_pack("{s:s, s:s, s:s?}", "AttributeName", attrs[i],
			                                   "KeyType", kinds[i], "AttributeType", type));
	}
	return a;
}

static json_t *indexes_json(const struct tt_ddb_table *t, const struct tt_ddb_index *x, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s?, s:o, s:s?, s:s?, s:I, s:I}", "IndexName",
		                                   x[i].name, "KeySchema", key_json(t, &x[i].key),
		                                   "ProjectionType", x[i].projection, "IndexStatus",
		                                   x[i].status, "ItemCount", (json_int_t)x[i].item_count,
		                                   "IndexSizeBytes", (json_int_t)x[i].size_bytes));
	return a;
}

static json_t *table_json(const char *name, const struct tt_ddb_table *t)
{
	if (!t)
		return json_pack("{s:s, s:s}", "TableName", name, "Error", "DescribeTable failed");
	return json_pack(
	    "{s:s, s:s?, s:s?, s:s, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:s?, s:s?, s:b}", "TableName",
	    t->name, "TableArn", t->arn, "TableStatus", t->status, "BillingMode", t->billing_mode,
	    "ReadCapacityUnits", (json_int_t)t->rcu, "WriteCapacityUnits", (json_int_t)t->wcu, "ItemCount",
	    (json_int_t)t->item_count, "TableSizeBytes", (json_int_t)t->size_bytes, "KeySchema",
	    key_json(t, &t->key), "GlobalSecondaryIndexes", indexes_json(t, t->gsis, t->ngsis),
	    "LocalSecondaryIndexes", indexes_json(t, t->lsis, t->nlsis), "LatestStreamArn", t->stream_arn,
	    "StreamViewType", t->stream_view, "DeletionProtectionEnabled", t->deletion_protection);
}

static void print_json(const struct tables_run *r)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < r->n; i++)
		json_array_append_new(arr, table_json(r->names[i], r->tables[i]));
	json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	putchar('\n');
	json_decref(arr);
}

static void warn_failures(const struct tables_run *r)
{
	size_t failures = r->describes.failures;
	char line[2048];
	char *safe;

	if (!failures)
		return;
	safe = tt_sanitize(tt_err_format(&r->describes.first_err, line, sizeof(line)), tt_app_san());
	fprintf(stderr, "tiertop: %zu table%s could not be described (\"?\"): %s\n", failures,
		failures == 1 ? "" : "s", safe);
	free(safe);
}

static void run_clear(struct tables_run *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->names[i]);
		tt_ddb_table_free(&r->tables[i]);
	}
	free(r->names);
	free(r->tables);
}

const struct tt_opts_spec tt_tables_spec = {"tables", NULL, 0, 0, NULL, 0, "To read a table's items: tiertop items TABLE. --json prints an array."};

int tt_cmd_tables(struct tt_app *app, int argc, char **argv)
{
	struct tables_run r = {0};
	struct tt_err err;
	int rc = 0;

	(void)argc;
	(void)argv;
	r.app = app;
	if (tt_app_connect(app, &err) || tt_ddb_list_tables(&app->aws, on_names, &r, &err))
		return tt_app_fail(&err);
	tt_http_run_until(app->http, &r.done);
	if (r.failed) {
		rc = tt_app_fail(&r.err);
	} else {
		if (app->opts.json)
			print_json(&r);
		else
			print_text(&r);
		warn_failures(&r);
		if (r.describes.failures)
			rc = (int)tt_err_exit_code(&r.describes.first_err);
	}
	run_clear(&r);
	return rc;
}
