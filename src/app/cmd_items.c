/* tiertop items: a table's items as JSON Lines on stdout, one item a line.
 *
 * Scan by default, Query with --query, GetItem with --key, BatchGetItem
 * with --keys (the key file is read by items_keys.c). The reading is the
 * item model's (tiertop/items.h); this verb parses, prints and asks for the
 * next page as soon as one is written. Pages stream
 * straight to stdout as they arrive, so --all holds one page (at most 1 MB
 * of data) in memory however large the table. Notes and progress go to
 * stderr, and only when it is a terminal: in a pipe stdout is the whole
 * story. A missing --key item prints nothing and exits 0, as the AWS CLI
 * does, with a note on stderr. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "items_keys.h"
#include "opts.h"
#include "tiertop/buf.h"
#include "tiertop/items.h"
#include "tiertop/sanitize.h"
#include "tiertop/sigv4.h"
#include "tiertop/str.h"
#include "tiertop/svc_dynamodb.h"
#include "tiertop/utf8.h"
#include "tiertop/xalloc.h"

#define DEFAULT_LIMIT 25

struct items_args {
	const char *table, *key, *keys, *query, *values, *names, *index, *filter, *project, *start;
	const char *start_opt; /* which of --start and --start-key gave start */
	long limit;            /* 0 = not given */
	long segments;         /* --segments: parallel Scan; 0 = not given */
	bool all, desc, typed, consistent;
};

struct items_input {
	struct tt_ddb_value *key, *values, *names_tree;
	struct tt_ddb_value **keys; /* --keys */
	size_t nkeys;
	struct tt_kv *names;
	size_t nnames;
};

/* --- the command line ---------------------------------------------------------- */

static const struct tt_opt items_opts[] = {
	{"--key", "JSON", 0, "one item by its key (GetItem)"},
	{"--keys", "FILE|-", 0, "the items of many keys, one key a line (BatchGetItem)"},
	{"--query", "KEYCOND", 0, "a Query with this key condition expression"},
	{"--values", "JSON", 0, "the expression attribute values ({\":v\": value})"},
	{"--names", "JSON", 0, "the expression attribute names ({\"#n\": \"name\"})"},
	{"--index", "NAME", 0, "read this index instead of the table"},
	{"--desc", NULL, 0, "a Query's items in descending sort-key order"},
	{"--filter", "EXPR", 0, "a filter expression"},
	{"--project", "EXPR", 0, "a projection expression: only these attributes"},
	{"--limit", "N", 0, "at most N items (default 25)"},
	{"--all", NULL, 0, "every item, page after page"},
	{"--segments", "N", 0, "with --all: a parallel Scan in N segments (1 to 64)"},
	{"--start-key", "KEY", 0, "go on after this LastEvaluatedKey (DynamoDB JSON)"},
	{"--start", "KEY", 0, "the same as --start-key"},
	{"--consistent", NULL, 0, "strongly consistent reads"},
	{"--typed", NULL, 0, "DynamoDB JSON ({\"S\": \"text\"}) for items, keys and values"},
};

const struct tt_opts_spec tt_items_spec = {
	"items", "TABLE", 1, 1, items_opts, sizeof(items_opts) / sizeof(items_opts[0]),
	"Items are JSON Lines on standard output, numbers exact: a Scan by default, a Query with --query,\n"
	"GetItem with --key, BatchGetItem with --keys. Without --limit or --all one page of 25 items is read."};

__attribute__((format(printf, 1, 2)))
static int usage_error(const char *fmt, ...)
{
	char msg[512];
	char *safe;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	safe = tt_sanitize(msg, 0);
	rc = tt_opts_usage_error(&tt_items_spec, safe);
	free(safe);
	return rc;
}

static int check_combinations(const struct items_args *a)
{
	if ((a->key || a->keys) &&
	    (a->query || a->filter || a->values || a->index || a->desc || a->limit || a->all || a->start))
		return usage_error("%s reads items by key: it goes with --project, --names, --consistent and "
				   "--typed only", a->key ? "--key" : "--keys");
	if (a->key && a->keys)
		return usage_error("--key or --keys, not both");
	if (a->limit && a->all)
		return usage_error("--limit and --all contradict each other");
	if (a->desc && !a->query)
		return usage_error("--desc orders a --query's results");
	if (a->segments && (!a->all || a->query || a->start))
		return usage_error("--segments splits a whole-table Scan: it needs --all, and goes with neither "
		                   "--query nor --start");
	return 0;
}

/* Text that goes into the JSON request must be UTF-8: jansson would drop it
 * from the request without a word (a filter lost reads everything). The key
 * file and the JSON options are checked by their parsers too; the name of
 * the --keys file is never sent. */
static int check_utf8(const struct items_args *a)
{
	const struct {
		const char *name, *value;
	} texts[] = {{"the table name", a->table}, {"--key", a->key},	     {"--query", a->query},
		     {"--values", a->values},	   {"--names", a->names},    {"--index", a->index},
		     {"--filter", a->filter},	   {"--project", a->project}, {a->start_opt, a->start}};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (texts[i].value && !tt_utf8_valid(texts[i].value, strlen(texts[i].value)))
			return usage_error("%s is not valid UTF-8", texts[i].name);
	return 0;
}

static int parse_numbers(const struct tt_opts *o, struct items_args *a)
{
	const char *limit = tt_opts_get(o, "--limit"), *segments = tt_opts_get(o, "--segments");

	if (limit && tt_str_parse_long(limit, 1, 1000000000L, &a->limit))
		return usage_error("--limit takes a number of items from 1 (got \"%s\")", limit);
	if (segments && tt_str_parse_long(segments, 1, TT_ITEMS_MAX_SEGMENTS, &a->segments))
		return usage_error("--segments takes a number from 1 to %d (got \"%s\")", TT_ITEMS_MAX_SEGMENTS,
		                   segments);
	return 0;
}

static int parse_args(const struct tt_opts *o, struct items_args *a)
{
	memset(a, 0, sizeof(*a));
	a->table = o->operands[0];
	a->key = tt_opts_get(o, "--key");
	a->keys = tt_opts_get(o, "--keys");
	a->query = tt_opts_get(o, "--query");
	a->values = tt_opts_get(o, "--values");
	a->names = tt_opts_get(o, "--names");
	a->index = tt_opts_get(o, "--index");
	a->filter = tt_opts_get(o, "--filter");
	a->project = tt_opts_get(o, "--project");
	a->start = tt_opts_get(o, "--start-key");
	a->start_opt = "--start-key";
	if (tt_opts_has(o, "--start")) {
		if (a->start)
			return usage_error("--start and --start-key are one option: give it once");
		a->start = tt_opts_get(o, "--start");
		a->start_opt = "--start";
	}
	a->all = tt_opts_has(o, "--all");
	a->desc = tt_opts_has(o, "--desc");
	a->typed = tt_opts_has(o, "--typed");
	a->consistent = tt_opts_has(o, "--consistent");
	if (parse_numbers(o, a))
		return TT_EXIT_USAGE;
	return check_combinations(a) ? TT_EXIT_USAGE : check_utf8(a);
}

/* --- JSON arguments ------------------------------------------------------------- */

static int parse_json_arg(const char *opt, const char *text, enum tt_ddb_format fmt,
                          struct tt_ddb_value **out, struct tt_err *err)
{
	if (tt_ddb_item_parse(text, strlen(text), fmt, out, err) == 0)
		return 0;
	tt_err_prefix(err, "%s", opt);
	return -1;
}

/* --names: a plain object of strings ("#s": "status"). */
static int parse_names(const char *text, struct items_input *in, struct tt_err *err)
{
	struct tt_ddb_value *m;

	if (parse_json_arg("--names", text, TT_DDB_PLAIN, &in->names_tree, err))
		return -1;
	m = in->names_tree;
	in->names = tt_xcalloc(m->n + 1, sizeof(*in->names));
	for (size_t i = 0; i < m->n; i++) {
		if (m->kids[i].type != TT_DDB_S || memchr(m->kids[i].str, '\0', m->kids[i].len))
			return tt_err_set(err, TT_ERR_USAGE,
			                  "--names: \"%s\" must map to an attribute name (a string)",
			                  m->names[i]);
		in->names[i] = (struct tt_kv){m->names[i], m->kids[i].str};
	}
	in->nnames = m->n;
	return 0;
}

static int parse_inputs(const struct items_args *a, struct items_input *in, struct tt_err *err)
{
	enum tt_ddb_format fmt = a->typed ? TT_DDB_TYPED : TT_DDB_PLAIN;
	struct tt_ddb_value *start = NULL;

	if (a->key && parse_json_arg("--key", a->key, fmt, &in->key, err))
		return -1;
	if (a->keys && tt_items_keys_load(a->keys, fmt, &in->keys, &in->nkeys, err))
		return -1;
	if (a->values && parse_json_arg("--values", a->values, fmt, &in->values, err))
		return -1;
	if (a->names && parse_names(a->names, in, err))
		return -1;
	/* Checked now so that a bad --start is a usage error before any request. */
	if (a->start && parse_json_arg(a->start_opt, a->start, TT_DDB_TYPED, &start, err))
		return -1;
	tt_ddb_value_free(&start);
	return 0;
}

static void inputs_clear(struct items_input *in)
{
	tt_ddb_value_free(&in->key);
	tt_items_keys_free(in->keys, in->nkeys);
	tt_ddb_value_free(&in->values);
	tt_ddb_value_free(&in->names_tree);
	free(in->names);
}

/* --- reading ---------------------------------------------------------------------- */

/* The verb's side of the reader: pages stream to stdout as they come, and
 * the next is asked for at once. */
struct items_run {
	struct tt_items *reader;
	bool ended, tty, progress_shown, write_failed;
	size_t printed;
};

static void progress(struct items_run *run, size_t pages)
{
	if (!run->tty)
		return;
	fprintf(stderr, "\r%zu items, page %zu...", run->printed, pages);
	fflush(stderr);
	run->progress_shown = true;
}

static void progress_clear(struct items_run *run)
{
	if (run->progress_shown)
		fprintf(stderr, "\r\033[K");
}

/* Each page is written whole, so a parallel Scan's lines never mix (the
 * order of a Scan is no order). */
static void on_page(void *ctx, const struct tt_items_page *page)
{
	struct items_run *run = ctx;

	fwrite(page->items, 1, page->items_len, stdout);
	fflush(stdout);
	run->printed += page->nitems;
	if (ferror(stdout)) {
		run->write_failed = true;
		tt_items_cancel(run->reader);
		run->ended = true;
		return;
	}
	tt_items_more(run->reader);
	/* Only while another page is on its way: the last one needs no "page n...". */
	if (tt_items_state(run->reader)->in_flight > 0)
		progress(run, page->number);
}

static void on_end(void *ctx)
{
	struct items_run *run = ctx;

	run->ended = true;
}

/* The key, quoted for a POSIX shell. */
static char *shell_quote(const char *s)
{
	struct tt_buf b;

	tt_buf_init(&b, 0);
	tt_buf_putc(&b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			tt_buf_puts(&b, "'\\''");
		else
			tt_buf_putc(&b, *s);
	}
	tt_buf_putc(&b, '\'');
	return tt_buf_steal(&b);
}

/* In a pipe the default page must not pass for the whole table: one line
 * on stderr says so (an explicit --limit asked for what it got). */
static void note_more(const struct items_run *run, const struct tt_items_state *st, bool default_limit)
{
	char *quoted, *safe;

	if (!st->more)
		return;
	if (!run->tty) {
		if (default_limit)
			fprintf(stderr, "tiertop: %zu items shown; --limit N or --all for more\n", run->printed);
		return;
	}
	fprintf(stderr,
	        "tiertop: showing %zu item%s; more may follow. --all reads every item, --limit N more",
	        run->printed, run->printed == 1 ? "" : "s");
	if (!st->resume_key) {
		fprintf(stderr, ".\n");
		return;
	}
	quoted = shell_quote(st->resume_key);
	safe = tt_sanitize(quoted, 0);
	fprintf(stderr, ", and this continues after the last one:\n  --start-key %s\n", safe);
	free(safe);
	free(quoted);
}

/* A read that fails half-way through a table must not have to start over:
 * the key the failed page started from is where to go on. */
static void note_resume(const struct items_run *run, const struct tt_items_state *st, const struct tt_err *err,
			bool parallel)
{
	char *quoted, *safe;

	/* Output that could not be written is not "written before": only a
	 * failure of the service leaves a place to go on from. */
	if (run->printed == 0 || (err->kind != TT_ERR_AWS && err->kind != TT_ERR_NETWORK))
		return;
	if (parallel) {
		fprintf(stderr, "tiertop: %zu items were written before the failure; a parallel Scan cannot "
		                "be resumed: run it again, or without --segments\n", run->printed);
		return;
	}
	if (!st->resume_key)
		return;
	quoted = shell_quote(st->resume_key);
	safe = tt_sanitize(quoted, 0);
	fprintf(stderr, "tiertop: %zu items were written before the failure; to go on after the last one:\n"
	                "  --start-key %s\n", run->printed, safe);
	free(safe);
	free(quoted);
}

/* Hands the parsed values, key and keys over to the reader's options. */
static void fill_opts(const struct items_args *a, struct items_input *in, struct tt_items_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->mode = a->key ? TT_ITEMS_GET : a->keys ? TT_ITEMS_BATCH_GET : a->query ? TT_ITEMS_QUERY : TT_ITEMS_SCAN;
	o->table = a->table;
	o->index = a->index;
	o->key_condition = a->query;
	o->filter = a->filter;
	o->projection = a->project;
	o->names = in->names;
	o->nnames = in->nnames;
	o->values = in->values;
	o->key = in->key;
	o->keys = in->keys;
	o->nkeys = in->nkeys;
	in->values = in->key = NULL;
	in->keys = NULL;
	in->nkeys = 0;
	o->start_key = a->start;
	o->max_items = a->all ? 0 : (a->limit ? a->limit : DEFAULT_LIMIT);
	o->segments = a->segments > 1 ? (int)a->segments : 0;
	o->descending = a->desc;
	o->consistent = a->consistent;
	o->format = a->typed ? TT_DDB_TYPED : TT_DDB_PLAIN;
}

/* What the reader ended with, said on stderr as the verb always has. */
static int finish(const struct items_args *a, struct items_run *run, struct tt_err *err)
{
	const struct tt_items_state *st = tt_items_state(run->reader);
	char *table;

	progress_clear(run);
	if (run->write_failed)
		return tt_err_set(err, TT_ERR_FAILURE, "cannot write the items to standard output");
	if (tt_items_status(run->reader, err) < 0) {
		if (!a->key && !a->keys)
			note_resume(run, st, err, a->segments > 1);
		return -1;
	}
	if (a->key && run->printed == 0) {
		table = tt_sanitize(a->table, 0);
		fprintf(stderr, "tiertop: no item in %s has that key\n", table);
		free(table);
	} else if (a->keys && run->printed < st->keys) {
		table = tt_sanitize(a->table, 0);
		fprintf(stderr, "tiertop: %zu of %zu keys matched no item in %s\n", st->keys - run->printed, st->keys,
			table);
		free(table);
	} else if (!a->key && !a->keys) {
		note_more(run, st, !a->all && !a->limit);
	}
	return 0;
}

static int read_items(struct tt_app *app, const struct items_args *a, struct items_input *in, struct tt_err *err)
{
	static const struct tt_items_sink sink = {on_page, on_end};
	struct items_run run = {0};
	struct tt_items_opts o;
	struct tt_items_io io;
	bool batch_note;
	int rc;

	fill_opts(a, in, &o);
	tt_items_io_aws(&io, &app->aws);
	run.tty = isatty(STDERR_FILENO);
	run.reader = tt_items_new(&o, &io, &sink, &run, err);
	if (!run.reader)
		return -1;
	batch_note = run.tty && a->keys && tt_items_state(run.reader)->keys > TT_ITEMS_KEYS_PER_CALL;
	if (batch_note) {
		fprintf(stderr, "tiertop: asking for %zu keys, %d a call...", tt_items_state(run.reader)->keys,
			TT_ITEMS_KEYS_PER_CALL);
		fflush(stderr);
		run.progress_shown = true;
	}
	tt_items_more(run.reader);
	if (!run.ended)
		tt_http_run_until(app->http, &run.ended);
	rc = finish(a, &run, err);
	tt_items_free(&run.reader);
	return rc;
}

/* "Requested resource not found" names nothing: say which table, where. DynamoDB
 * answers so for a table still being created too, hence "active". */
static void explain_not_found(const struct tt_app *app, const char *table, struct tt_err *err)
{
	if (strcmp(err->code, "ResourceNotFoundException") == 0)
		tt_err_prefix(err, "no active table named %s in %s", table, app->region);
}

int tt_cmd_items(struct tt_app *app, int argc, char **argv)
{
	struct items_args a;
	struct items_input in;
	struct tt_err err;
	int rc = parse_args(&app->args, &a);

	(void)argc;
	(void)argv;
	if (rc)
		return rc;
	memset(&in, 0, sizeof(in));
	if (parse_inputs(&a, &in, &err) || tt_app_connect(app, &err)) {
		rc = tt_app_fail(&err);
	} else if (read_items(app, &a, &in, &err) != 0) {
		explain_not_found(app, a.table, &err);
		rc = tt_app_fail(&err);
	}
	if (rc == 0 && fflush(stdout) != 0) {
		fprintf(stderr, "tiertop: cannot write the items to standard output\n");
		rc = 1;
	}
	inputs_clear(&in);
	return rc;
}
