/* tiertop replay TABLE --key JSON --to FUNCTION: sends a stored DynamoDB
 * item through a Lambda function again, as itself or wrapped in the event
 * that would have carried it (an API Gateway proxy event, or the user's own
 * template). The typical use: a record the function once rejected or
 * mishandled, replayed after a fix.
 *
 * Order matters, as for invoke: everything that can be refused is refused
 * before any request (read-only mode first, then the command line, the key,
 * the template file, a missing terminal), then the item is read (GetItem), the
 * payload built and checked against Lambda's limits, and from there the path
 * is invoke's own (tt_invoke_send): lookups, the banner, y/N, Invoke, the
 * answer on stdout and exit 6 for a function error.
 *
 * A key that matches no item is an error (exit 4), unlike `items --key`:
 * there is nothing to replay, and carrying on with an empty payload would
 * invoke the function with something nobody asked for. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>
#include <openssl/rand.h>

#include "app.h"
#include "config.h"
#include "invoke.h"
#include "tiertop/buf.h"
#include "tiertop/ddb_value.h"
#include "tiertop/json_text.h"
#include "tiertop/svc_dynamodb.h"
#include "tiertop/svc_lambda.h"
#include "tiertop/xalloc.h"

#define PH_ITEM        "{{item}}"
#define PH_ITEM_STRING "{{item_string}}"

enum template_kind {
	TEMPLATE_RAW,   /* the item itself */
	TEMPLATE_APIGW, /* a REST API (v1) Lambda proxy event with the item as body */
	TEMPLATE_FILE,  /* the user's file with placeholders */
};

struct replay_opts {
	const char *table;
	const char *key;
	const char *function;
	const char *template_arg;
	const char *qualifier;
	enum tt_lambda_invocation type;
	bool log;
	bool yes;
};

struct replay_input {
	enum template_kind kind;
	char *template_path; /* TEMPLATE_FILE */
	char *template_text;
	size_t template_len;
	struct tt_ddb_value *key;
	char *key_text; /* the key as plain JSON, for messages and the banner */
};

struct item_run {
	bool done;
	bool failed;
	char *item; /* NULL: no such item */
	struct tt_err err;
};

/* --- the command line --------------------------------------------------- */

static int usage(const char *problem, const char *arg)
{
	if (problem)
		fprintf(stderr, "tiertop: replay: %s%s\n", problem, arg ? arg : "");
	fprintf(stderr, "usage: tiertop replay TABLE --key JSON --to FUNCTION [--template raw|apigw|@FILE]\n"
	                "         [--qualifier Q] [--async|--dry-run] [--log] [--yes] [--json]\n");
	return -1;
}

static int set_type(struct replay_opts *o, enum tt_lambda_invocation type)
{
	if (o->type != TT_LAMBDA_SYNC && o->type != type)
		return usage("--async and --dry-run exclude each other", NULL);
	o->type = type;
	return 0;
}

static const char **value_slot(int argc, char **argv, int *i, struct replay_opts *o, const char **v)
{
	static const char *const names[] = {"--key", "--to", "--template", "--qualifier"};
	const char **slots[] = {&o->key, &o->function, &o->template_arg, &o->qualifier};

	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if ((*v = tt_app_option_value(argc, argv, i, names[k])))
			return slots[k];
	return NULL;
}

static int parse_option(int argc, char **argv, int *i, struct replay_opts *o)
{
	const char *arg = argv[*i], *v;
	const char **slot = value_slot(argc, argv, i, o, &v);

	if (slot) {
		if (!*v)
			return usage("this option needs a value: ", arg);
		*slot = v;
	} else if (strcmp(arg, "--async") == 0) {
		return set_type(o, TT_LAMBDA_ASYNC);
	} else if (strcmp(arg, "--dry-run") == 0) {
		return set_type(o, TT_LAMBDA_DRY_RUN);
	} else if (strcmp(arg, "--log") == 0) {
		o->log = true;
	} else if (strcmp(arg, "--yes") == 0 || strcmp(arg, "-y") == 0) {
		o->yes = true;
	} else {
		return usage("unknown option ", arg);
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct replay_opts *o)
{
	bool options = true;

	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		if (options && strcmp(argv[i], "--") == 0)
			options = false;
		else if (options && argv[i][0] == '-' && argv[i][1]) {
			if (parse_option(argc, argv, &i, o))
				return -1;
		} else if (o->table)
			return usage("one table at a time; one too many: ", argv[i]);
		else
			o->table = argv[i];
	}
	if (!o->table || !o->key || !o->function)
		return usage(!o->table ? "which table?"
		             : !o->key ? "which item? (--key)"
		                       : "which function? (--to)",
		             NULL);
	if (o->log && o->type != TT_LAMBDA_SYNC)
		return usage(
		    "--log needs a synchronous invoke (Lambda returns no log for --async or --dry-run)",
		    NULL);
	return 0;
}

/* --- the template, checked before the network ---------------------------- */

static int read_template(struct replay_input *in, struct tt_err *err)
{
	FILE *f = fopen(in->template_path, "rb");
	struct tt_buf b;
	bool bad;

	if (!f)
		return tt_err_set(err, TT_ERR_USAGE, "cannot read the template %s", in->template_path);
	/* A template can only grow with the item: over the limit it is refused now. */
	bad = tt_app_read_stream(f, TT_LAMBDA_SYNC_PAYLOAD_MAX, &b) != 0;
	fclose(f);
	if (bad || b.truncated) {
		tt_buf_free(&b);
		return tt_err_set(err, TT_ERR_USAGE,
		                  bad ? "cannot read the template %s"
		                      : "the template %s is more than Lambda's 6 MB payload limit",
		                  in->template_path);
	}
	in->template_len = b.len;
	in->template_text = tt_buf_steal(&b);
	return 0;
}

/* Replaces each placeholder with item (the JSON value) or item_string (the
 * same as a JSON string literal, quotes included). */
static void fill_template(const char *tpl, size_t len, const char *item, const char *item_string,
                          struct tt_buf *out)
{
	const char *p = tpl, *end = tpl + len;

	while (p < end) {
		const char *brace = memchr(p, '{', (size_t)(end - p));
		size_t left;

		if (!brace) {
			tt_buf_append(out, p, (size_t)(end - p));
			return;
		}
		tt_buf_append(out, p, (size_t)(brace - p));
		left = (size_t)(end - brace);
		if (left >= strlen(PH_ITEM) && memcmp(brace, PH_ITEM, strlen(PH_ITEM)) == 0) {
			tt_buf_puts(out, item);
			p = brace + strlen(PH_ITEM);
		} else if (left >= strlen(PH_ITEM_STRING) &&
		           memcmp(brace, PH_ITEM_STRING, strlen(PH_ITEM_STRING)) == 0) {
			tt_buf_puts(out, item_string);
			p = brace + strlen(PH_ITEM_STRING);
		} else {
			tt_buf_putc(out, '{');
			p = brace + 1;
		}
	}
}

static int check_json(const char *text, size_t len, const char *what, struct tt_err *err)
{
	json_error_t jerr;
	json_t *v = json_loadb(text, len, JSON_DECODE_ANY, &jerr);

	if (v) {
		json_decref(v);
		return 0;
	}
	return tt_err_set(err, TT_ERR_USAGE, "%s is not valid JSON: line %d, column %d: %s", what, jerr.line,
	                  jerr.column, jerr.text);
}

/* Checks the template with stand-ins of the placeholders' own lengths ({}
 * and "" padded with spaces), so that a line and column in the message are
 * the line and column in the file, and a broken template is caught before
 * the item is fetched. */
static int check_template(const struct replay_input *in, struct tt_err *err)
{
	char item[sizeof(PH_ITEM)], item_string[sizeof(PH_ITEM_STRING)];
	char *what;
	struct tt_buf b;
	int rc;

	if (!strstr(in->template_text, PH_ITEM) && !strstr(in->template_text, PH_ITEM_STRING))
		return tt_err_set(err, TT_ERR_USAGE,
		                  "the template %s uses neither %s nor %s: it would not "
		                  "replay the item",
		                  in->template_path, PH_ITEM, PH_ITEM_STRING);
	snprintf(item, sizeof(item), "%-*s", (int)strlen(PH_ITEM), "{}");
	snprintf(item_string, sizeof(item_string), "%-*s", (int)strlen(PH_ITEM_STRING), "\"\"");
	tt_buf_init(&b, 0);
	fill_template(in->template_text, in->template_len, item, item_string, &b);
	what = tt_xasprintf("the template %s (placeholders counted as values)", in->template_path);
	rc = check_json(b.data ? b.data : "", b.len, what, err);
	free(what);
	tt_buf_free(&b);
	return rc;
}

static int parse_template(const char *arg, struct replay_input *in, struct tt_err *err)
{
	if (!arg || strcmp(arg, "raw") == 0) {
		in->kind = TEMPLATE_RAW;
		return 0;
	}
	if (strcmp(arg, "apigw") == 0) {
		in->kind = TEMPLATE_APIGW;
		return 0;
	}
	if (arg[0] != '@' || !arg[1])
		return tt_err_set(err, TT_ERR_USAGE, "--template takes raw, apigw or @FILE (got \"%s\")",
		                  arg);
	in->kind = TEMPLATE_FILE;
	in->template_path = tt_xstrdup(arg + 1);
	if (read_template(in, err))
		return -1;
	return check_template(in, err);
}

static void input_free(struct replay_input *in)
{
	free(in->template_path);
	free(in->template_text);
	tt_ddb_value_free(&in->key);
	free(in->key_text);
}

/* --- reading the item ------------------------------------------------------ */

static void on_item(void *ctx, const char *item, const struct tt_err *err)
{
	struct item_run *r = ctx;

	if (err) {
		r->err = *err;
		r->failed = true;
	} else if (item) {
		r->item = tt_xstrdup(item);
	}
	r->done = true;
}

/* The item as plain JSON (numbers exactly as stored); the caller frees it. */
static char *get_item(struct tt_app *app, const struct replay_opts *o, const struct replay_input *in,
                      struct tt_err *err)
{
	struct tt_ddb_get g = {.table = o->table, .key = in->key, .format = TT_DDB_PLAIN};
	struct item_run r = {0};

	if (tt_ddb_get_item(&app->aws, &g, on_item, &r, err))
		return NULL;
	tt_http_run_until(app->http, &r.done);
	if (r.failed) {
		*err = r.err;
		if (strcmp(err->code, "ResourceNotFoundException") == 0)
			tt_err_prefix(err, "no table named %s in %s", o->table, app->region);
		tt_err_prefix(err, "nothing was invoked");
		return NULL;
	}
	if (!r.item)
		tt_err_set(err, TT_ERR_AWS, "no item in %s has the key %s; nothing was invoked", o->table,
		           in->key_text);
	return r.item;
}

/* --- the payload ------------------------------------------------------------ */

/* A version 4 UUID, as API Gateway's requestId looks. */
static void put_uuid(struct tt_buf *out)
{
	unsigned char r[16] = {0};

	/* Only an id in a test event: should the generator fail, zeros do. */
	(void)RAND_bytes(r, sizeof(r));
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	tt_buf_putc(out, '"');
	for (size_t i = 0; i < sizeof(r); i++)
		tt_buf_printf(out, "%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "", r[i]);
	tt_buf_putc(out, '"');
}

/* A REST API (payload format 1.0) Lambda proxy event for POST /feedback, as
 * API Gateway sends it, with the item as the body. What only a real API
 * knows (accountId, apiId, domainName, resourceId, extendedRequestId) is
 * left out rather than made up; the stage is "replay", so a function that
 * logs its requestContext shows where the request came from. */
static void build_apigw(const char *item, struct tt_buf *out)
{
	struct timespec now;
	struct tm tm;
	char when[40];
	const char *ua = "tiertop/" PACKAGE_VERSION " (replay)";

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(when, sizeof(when), "%d/%b/%Y:%H:%M:%S +0000", &tm);
	tt_buf_puts(out, "{\"resource\":\"/feedback\",\"path\":\"/feedback\",\"httpMethod\":\"POST\",");
	tt_buf_printf(out, "\"headers\":{\"Content-Type\":\"application/json\",\"User-Agent\":\"%s\"},", ua);
	tt_buf_printf(
	    out, "\"multiValueHeaders\":{\"Content-Type\":[\"application/json\"],\"User-Agent\":[\"%s\"]},",
	    ua);
	tt_buf_puts(out, "\"queryStringParameters\":null,\"multiValueQueryStringParameters\":null,"
	                 "\"pathParameters\":null,\"stageVariables\":null,");
	tt_buf_puts(
	    out,
	    "\"requestContext\":{\"resourcePath\":\"/feedback\",\"httpMethod\":\"POST\","
	    "\"path\":\"/replay/feedback\",\"stage\":\"replay\",\"protocol\":\"HTTP/1.1\",\"requestId\":");
	put_uuid(out);
	tt_buf_printf(out, ",\"requestTime\":\"%s\",\"requestTimeEpoch\":%lld,", when,
	              (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000);
	tt_buf_printf(out, "\"identity\":{\"sourceIp\":\"127.0.0.1\",\"userAgent\":\"%s\"}},", ua);
	tt_buf_puts(out, "\"body\":");
	tt_json_string(out, item, strlen(item));
	tt_buf_puts(out, ",\"isBase64Encoded\":false}");
}

/* The payload for the item; *source says where it came from, for the banner. */
static int build_payload(const struct replay_input *in, const char *item, struct tt_buf *out, char **source,
                         struct tt_err *err)
{
	struct tt_buf quoted;
	char *what;
	int rc;

	if (in->kind == TEMPLATE_RAW) {
		tt_buf_puts(out, item);
		*source = tt_xstrdup("the item as plain JSON");
		return 0;
	}
	if (in->kind == TEMPLATE_APIGW) {
		build_apigw(item, out);
		*source = tt_xstrdup("an API Gateway proxy event (POST /feedback) around the item");
		return 0;
	}
	tt_buf_init(&quoted, 0);
	tt_json_string(&quoted, item, strlen(item));
	fill_template(in->template_text, in->template_len, item, quoted.data, out);
	tt_buf_free(&quoted);
	*source = tt_xasprintf("the template %s", in->template_path);
	what = tt_xasprintf("the payload from %s and the item", in->template_path);
	rc = check_json(out->data ? out->data : "", out->len, what, err);
	free(what);
	return rc;
}

/* --- the verb ----------------------------------------------------------- */

/* Everything that can be refused without the network, read-only first. */
static int refuse_early(struct tt_app *app, const struct replay_opts *o, struct replay_input *in, FILE **tty,
                        struct tt_err *err)
{
	char *what = tt_xasprintf("replay an item of %s into %s", o->table, o->function);
	int rc = -1;

	if (o->type != TT_LAMBDA_DRY_RUN && tt_app_refuse_if_read_only(app, what, err))
		goto out;
	if (tt_invoke_check_target(o->function, o->qualifier, err))
		goto out;
	if (tt_ddb_item_parse(o->key, strlen(o->key), TT_DDB_PLAIN, &in->key, err)) {
		tt_err_prefix(err, "--key");
		goto out;
	}
	in->key_text = tt_ddb_item_text(in->key, TT_DDB_PLAIN);
	if (parse_template(o->template_arg, in, err))
		goto out;
	rc = tt_app_confirm_open(o->yes, false, what, tty, err);
out:
	free(what);
	return rc;
}

static int replay_send(struct tt_app *app, const struct replay_opts *o, const struct replay_input *in,
                       const struct tt_buf *payload, const char *source, FILE *tty)
{
	const struct tt_app_row rows[] = {{"table", o->table}, {"key", in->key_text}};
	char *question = tt_xasprintf("Replay the item into %s now?", o->function);
	int rc = tt_invoke_send(app, &(struct tt_invoke_req){
	                                 .function = o->function,
	                                 .qualifier = o->qualifier,
	                                 .type = o->type,
	                                 .log = o->log,
	                                 .payload = payload->data,
	                                 .payload_len = payload->len,
	                                 .payload_source = source,
	                                 .verb = "Replay",
	                                 .rows = rows,
	                                 .nrows = sizeof(rows) / sizeof(rows[0]),
	                                 .question = question,
	                                 .declined = "not replayed; nothing was invoked",
	                                 .tty = tty,
	                             });

	free(question);
	return rc;
}

int tt_cmd_replay(struct tt_app *app, int argc, char **argv)
{
	struct replay_opts o;
	struct replay_input in = {0};
	struct tt_buf payload;
	struct tt_err err;
	FILE *tty = NULL;
	char *item = NULL, *source = NULL;
	int rc;

	if (parse_args(argc, argv, &o))
		return TT_EXIT_USAGE;
	tt_buf_init(&payload, 0);
	if (refuse_early(app, &o, &in, &tty, &err) || tt_app_connect(app, &err) ||
	    !(item = get_item(app, &o, &in, &err)) || build_payload(&in, item, &payload, &source, &err) ||
	    tt_lambda_check_payload(o.type, payload.len, &err))
		rc = tt_app_fail(&err);
	else
		rc = replay_send(app, &o, &in, &payload, source, tty);
	if (tty)
		fclose(tty);
	tt_buf_free(&payload);
	free(item);
	free(source);
	input_free(&in);
	return rc;
}
