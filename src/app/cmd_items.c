/* tiertop items: a table's items as JSON Lines on stdout, one item a line.
 *
 * Scan by default, Query with --query, GetItem with --key, BatchGetItem
 * with --keys (items_keys.c). Pages stream
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
#include "tiertop/buf.h"
#include "tiertop/sanitize.h"
#include "tiertop/sigv4.h"
#include "tiertop/str.h"
#include "tiertop/svc_dynamodb.h"
#include "tiertop/utf8.h"
#include "tiertop/xalloc.h"

#define DEFAULT_LIMIT 25
/* Parallel Scan segments at most: all are read at once, each on its own
 * connection, which is plenty to fill a table's read capacity. */
#define MAX_SEGMENTS 64

struct items_args {
	const char *table, *key, *keys, *query, *values, *names, *index, *filter, *project, *start;
	long limit;         /* 0 = not given */
	long segments;      /* --segments: parallel Scan; 0 = not given */
	bool all, desc, typed, consistent;
};

struct items_input {
	struct tt_ddb_value *key, *values, *names_tree;
	struct tt_ddb_value **keys; /* --keys */
	size_t nkeys;
	struct tt_kv *names;
	size_t nnames;
};

/* One read: the whole Scan or Query, or one segment of a parallel Scan.
 * The segments' counts, failure and end are kept in the first one, the
 * lead (a single read is its own lead). */
struct items_run {
	struct tt_app *app;
	struct items_run *lead;
	const char *table;
	struct tt_ddb_read rd;
	bool query;
	long remaining;           /* items still wanted; -1 for all */
	char *start_key;          /* the next page's ExclusiveStartKey */
	bool done;                /* this read */
	/* lead only: */
	size_t printed, pages;
	int running;              /* reads not done yet */
	bool all_done, failed, more, progress_shown, tty;
	struct tt_err err;
};

/* --- the command line ---------------------------------------------------------- */

__attribute__((format(printf, 1, 2)))
static int usage_error(const char *fmt, ...)
{
	char msg[512];
	char *safe;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	safe = tt_sanitize(msg, 0);
	fprintf(stderr,
	        "tiertop: items: %s\n"
	        "usage: tiertop items TABLE [--key JSON | --keys FILE|-] [--query KEYCOND --values JSON\n"
	        "         [--names JSON] [--index NAME] [--desc]] [--filter EXPR] [--project EXPR]\n"
	        "         [--limit N | --all [--segments N]]\n"
	        "         [--start-key KEY] [--consistent] [--typed]\n",
	        safe);
	free(safe);
	return 2;
}

static const char **value_slot(struct items_args *a, const char *name)
{
	static const char *const names[] = {"--key",   "--keys",   "--query",	"--values", "--names",
					    "--index", "--filter", "--project", "--start",  "--start-key", NULL};
	const char **slots[] = {&a->key,   &a->keys,   &a->query,   &a->values, &a->names,
				&a->index, &a->filter, &a->project, &a->start, &a->start};

	for (size_t i = 0; names[i]; i++)
		if (strcmp(names[i], name) == 0)
			return slots[i];
	return NULL;
}

static bool *flag_slot(struct items_args *a, const char *name)
{
	if (strcmp(name, "--all") == 0)
		return &a->all;
	if (strcmp(name, "--desc") == 0)
		return &a->desc;
	if (strcmp(name, "--typed") == 0)
		return &a->typed;
	if (strcmp(name, "--consistent") == 0)
		return &a->consistent;
	return NULL;
}

/* One "--name[=value]" at argv[*i]; advances *i past a separate value. */
static int parse_option(int argc, char **argv, int *i, struct items_args *a)
{
	char name[32];
	const char *arg = argv[*i], *eq = strchr(arg, '=');
	const char *value = eq ? eq + 1 : NULL, **slot;
	bool *flag;

	snprintf(name, sizeof(name), "%.*s", (int)(eq ? eq - arg : (long)strlen(arg)), arg);
	if ((flag = flag_slot(a, name))) {
		if (eq)
			return usage_error("%s takes no value", name);
		*flag = true;
		return 0;
	}
	if (!value && *i + 1 < argc)
		value = argv[++*i];
	if (strcmp(name, "--limit") == 0) {
		if (!value || tt_str_parse_long(value, 1, 1000000000L, &a->limit))
			return usage_error("--limit takes a number of items from 1 (got \"%s\")",
			                   value ? value : "");
		return 0;
	}
	if (strcmp(name, "--segments") == 0) {
		if (!value || tt_str_parse_long(value, 1, MAX_SEGMENTS, &a->segments))
			return usage_error("--segments takes a number from 1 to %d (got \"%s\")", MAX_SEGMENTS,
			                   value ? value : "");
		return 0;
	}
	if (!(slot = value_slot(a, name)))
		return usage_error("unknown option %s", arg);
	if (!value)
		return usage_error("%s needs a value", name);
	*slot = value;
	return 0;
}

static int check_combinations(const struct items_args *a)
{
	if (!a->table)
		return usage_error("which table?");
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
		     {"--filter", a->filter},	   {"--project", a->project}, {"--start", a->start}};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (texts[i].value && !tt_utf8_valid(texts[i].value, strlen(texts[i].value)))
			return usage_error("%s is not valid UTF-8", texts[i].name);
	return 0;
}

static int parse_args(int argc, char **argv, struct items_args *a)
{
	memset(a, 0, sizeof(*a));
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) == 0) {
			if (parse_option(argc, argv, &i, a))
				return 2;
		} else if (!a->table) {
			a->table = argv[i];
		} else {
			return usage_error("one table at a time (\"%s\" is one too many)", argv[i]);
		}
	}
	return check_combinations(a) ? 2 : check_utf8(a);
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
	if (a->start && parse_json_arg("--start", a->start, TT_DDB_TYPED, &start, err))
		return -1;
	tt_ddb_value_free(&start);
	return 0;
}

static void inputs_free(struct items_input *in)
{
	tt_ddb_value_free(&in->key);
	tt_items_keys_free(in->keys, in->nkeys);
	tt_ddb_value_free(&in->values);
	tt_ddb_value_free(&in->names_tree);
	free(in->names);
}

/* --- reading ---------------------------------------------------------------------- */

static void progress(struct items_run *r)
{
	r = r->lead;
	if (!r->tty)
		return;
	fprintf(stderr, "\r%zu items, page %zu...", r->printed, r->pages);
	fflush(stderr);
	r->progress_shown = true;
}

static void progress_clear(struct items_run *r)
{
	if (r->progress_shown)
		fprintf(stderr, "\r\033[K");
}

/* Writes the page's items, at most r->remaining of them. Returns how many
 * were held back. */
static size_t write_items(struct items_run *r, const struct tt_ddb_page *page)
{
	size_t len = page->items_len, n = page->nitems;

	if (r->remaining >= 0 && n > (size_t)r->remaining) {
		const char *p = page->items;
		for (long i = 0; i < r->remaining; i++)
			p = strchr(p, '\n') + 1;
		len = (size_t)(p - page->items);
		n = (size_t)r->remaining;
	}
	fwrite(page->items, 1, len, stdout);
	fflush(stdout);
	r->lead->printed += n;
	if (r->remaining >= 0)
		r->remaining -= (long)n;
	return page->nitems - n;
}

static void on_page(void *ctx, const struct tt_ddb_page *page, const struct tt_err *err);

static int request_page(struct items_run *r, struct tt_err *err)
{
	if (r->remaining > 0)
		r->rd.limit = r->remaining;
	if (r->query)
		return tt_ddb_query(&r->app->aws, &r->rd, on_page, r, err);
	return tt_ddb_scan(&r->app->aws, &r->rd, on_page, r, err);
}

/* Ends this read; the first failure of any segment is the one reported. */
static void stop(struct items_run *r, const struct tt_err *err)
{
	struct items_run *lead = r->lead;

	if (err && !lead->failed) {
		lead->err = *err;
		lead->failed = true;
	}
	if (r->done)
		return;
	r->done = true;
	lead->all_done = --lead->running == 0;
}

static void on_page(void *ctx, const struct tt_ddb_page *page, const struct tt_err *err)
{
	struct items_run *r = ctx;
	struct tt_err e;
	size_t held;

	if (err || r->lead->failed) {
		stop(r, err); /* another segment failed: this one stops too */
		return;
	}
	r->lead->pages++;
	held = write_items(r, page);
	if (ferror(stdout)) {
		tt_err_set(&e, TT_ERR_FAILURE, "cannot write the items to standard output");
		stop(r, &e);
		return;
	}
	if (held > 0) {
		/* Limit stops DynamoDB at r->remaining: only a misbehaving endpoint
		 * sends more, and then no key resumes exactly after what we wrote. */
		r->lead->more = true;
		free(r->start_key);
		r->rd.start_key = r->start_key = NULL;
		stop(r, NULL);
		return;
	}
	if (page->last_key && r->start_key && strcmp(page->last_key, r->start_key) == 0) {
		tt_err_set(&e, TT_ERR_AWS, "DynamoDB sent the same LastEvaluatedKey twice; stopping");
		stop(r, &e);
		return;
	}
	free(r->start_key);
	r->start_key = page->last_key ? tt_xstrdup(page->last_key) : NULL;
	r->rd.start_key = r->start_key;
	if (!r->start_key || r->remaining == 0) {
		r->lead->more = r->start_key != NULL;
		stop(r, NULL);
		return;
	}
	progress(r);
	if (request_page(r, &e))
		stop(r, &e);
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
static void note_more(const struct items_run *r, bool default_limit)
{
	char *quoted, *safe;

	if (!r->more)
		return;
	if (!r->tty) {
		if (default_limit)
			fprintf(stderr, "tiertop: %zu items shown; --limit N or --all for more\n", r->printed);
		return;
	}
	fprintf(stderr,
	        "tiertop: showing %zu item%s; more may follow. --all reads every item, --limit N more",
	        r->printed, r->printed == 1 ? "" : "s");
	if (!r->start_key) {
		fprintf(stderr, ".\n");
		return;
	}
	quoted = shell_quote(r->start_key);
	safe = tt_sanitize(quoted, 0);
	fprintf(stderr, ", and this continues after the last one:\n  --start-key %s\n", safe);
	free(safe);
	free(quoted);
}

/* A read that fails half-way through a table must not have to start over:
 * the key the failed page started from is where to go on. */
static void note_resume(const struct items_run *lead, long nreads)
{
	char *quoted, *safe;

	/* Output that could not be written is not "written before": only a
	 * failure of the service leaves a place to go on from. */
	if (lead->printed == 0 || (lead->err.kind != TT_ERR_AWS && lead->err.kind != TT_ERR_NETWORK))
		return;
	if (nreads > 1) {
		fprintf(stderr, "tiertop: %zu items were written before the failure; a parallel Scan cannot "
		                "be resumed: run it again, or without --segments\n", lead->printed);
		return;
	}
	if (!lead->start_key)
		return;
	quoted = shell_quote(lead->start_key);
	safe = tt_sanitize(quoted, 0);
	fprintf(stderr, "tiertop: %zu items were written before the failure; to go on after the last one:\n"
	                "  --start-key %s\n", lead->printed, safe);
	free(safe);
	free(quoted);
}

static void fill_read(struct items_run *r, const struct items_args *a, const struct items_input *in)
{
	r->table = a->table;
	r->query = a->query != NULL;
	r->remaining = a->all ? -1 : (a->limit ? a->limit : DEFAULT_LIMIT);
	r->start_key = a->start ? tt_xstrdup(a->start) : NULL;
	r->rd.table = a->table;
	r->rd.index = a->index;
	r->rd.key_condition = a->query;
	r->rd.filter = a->filter;
	r->rd.projection = a->project;
	r->rd.names = in->names;
	r->rd.nnames = in->nnames;
	r->rd.values = in->values;
	r->rd.start_key = r->start_key;
	r->rd.descending = a->desc;
	r->rd.consistent = a->consistent;
	r->rd.format = a->typed ? TT_DDB_TYPED : TT_DDB_PLAIN;
}

static void runs_free(struct items_run *runs, long n)
{
	for (long i = 0; i < n; i++)
		free(runs[i].start_key);
	free(runs);
}

/* Every segment is asked for at once; their pages are written as they come,
 * each page whole, so lines never mix (the order of a Scan is no order). */
static int read_pages(struct tt_app *app, const struct items_args *a, const struct items_input *in,
		      struct tt_err *err)
{
	long n = a->segments > 1 ? a->segments : 1;
	struct items_run *runs = tt_xcalloc((size_t)n, sizeof(*runs)), *lead = &runs[0];
	int rc = 0;

	lead->tty = isatty(STDERR_FILENO);
	lead->running = (int)n;
	for (long i = 0; i < n; i++) {
		struct items_run *r = &runs[i];
		struct tt_err e;
		r->app = app;
		r->lead = lead;
		fill_read(r, a, in);
		if (n > 1) {
			r->rd.segment = (int)i;
			r->rd.total_segments = (int)n;
		}
		if (request_page(r, &e))
			stop(r, &e);
	}
	if (!lead->all_done)
		tt_http_run_until(app->http, &lead->all_done);
	progress_clear(lead);
	if (lead->failed) {
		*err = lead->err;
		note_resume(lead, n);
		rc = -1;
	} else {
		note_more(lead, !a->all && !a->limit);
	}
	runs_free(runs, n);
	return rc;
}

/* --- GetItem ----------------------------------------------------------------------- */

struct get_run {
	bool done, failed, found;
	struct tt_err err;
};

static void on_item(void *ctx, const char *item, const struct tt_err *err)
{
	struct get_run *g = ctx;

	g->done = true;
	if (err) {
		g->err = *err;
		g->failed = true;
	} else if (item) {
		g->found = true;
		printf("%s\n", item);
	}
}

static int get_one(struct tt_app *app, const struct items_args *a, const struct items_input *in,
		   struct tt_err *err)
{
	struct tt_ddb_get g = {a->table, in->key, a->project, in->names, in->nnames, a->consistent,
			       a->typed ? TT_DDB_TYPED : TT_DDB_PLAIN};
	struct get_run run = {0};
	char *table;

	if (tt_ddb_get_item(&app->aws, &g, on_item, &run, err))
		return -1;
	tt_http_run_until(app->http, &run.done);
	if (run.failed) {
		*err = run.err;
		return -1;
	}
	if (!run.found) {
		table = tt_sanitize(a->table, 0);
		fprintf(stderr, "tiertop: no item in %s has that key\n", table);
		free(table);
	}
	return 0;
}

static int get_many(struct tt_app *app, const struct items_args *a, const struct items_input *in,
		    struct tt_err *err)
{
	struct tt_ddb_batch_get b = {a->table,	   (const struct tt_ddb_value *const *)in->keys,
				     in->nkeys,	   a->project,
				     in->names,	   in->nnames,
				     a->consistent, a->typed ? TT_DDB_TYPED : TT_DDB_PLAIN};

	return tt_items_keys_fetch(app, &b, err);
}

static int read_items(struct tt_app *app, const struct items_args *a, const struct items_input *in,
		      struct tt_err *err)
{
	if (a->key)
		return get_one(app, a, in, err);
	if (a->keys)
		return get_many(app, a, in, err);
	return read_pages(app, a, in, err);
}

/* "Requested resource not found" names nothing: say which table, where. */
static void explain_not_found(const struct tt_app *app, const char *table, struct tt_err *err)
{
	if (strcmp(err->code, "ResourceNotFoundException") == 0)
		tt_err_prefix(err, "no table named %s in %s", table, app->region);
}

int tt_cmd_items(struct tt_app *app, int argc, char **argv)
{
	struct items_args a;
	struct items_input in;
	struct tt_err err;
	int rc = parse_args(argc, argv, &a);

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
	inputs_free(&in);
	return rc;
}
