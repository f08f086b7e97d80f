/* tiertop invoke FN: runs a Lambda function by hand, the one verb so far
 * that acts rather than looks.
 *
 * Everything that can be refused is refused before the network: read-only
 * mode, a bad function name, a payload that is not JSON or is over Lambda's
 * limit, and an unconfirmed run without a terminal. Then the account (STS)
 * and the function (GetFunctionConfiguration: it exists, its real ARN, its
 * timeout) are looked up, shown, confirmed, recorded in the audit log (the
 * job does that: nothing is sent when the record cannot be written), and
 * only then is it invoked.
 *
 * Exit status: 0 when the function ran and succeeded (or was queued, or the
 * dry run passed); 6 when it ran and reported an error (X-Amz-Function-
 * Error). The AWS CLI exits 0 then, which leaves scripts to parse the
 * answer; a distinct status lets them tell "the function said no" from "the
 * invoke failed" (4 AWS error, 5 network: the function may not have run).
 *
 * The logic is the invocation job's (model/invoke.c); this file parses,
 * answers the job's question on the terminal and prints. From the lookups
 * on, replay takes the same path (the front end in invoke_front.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "app.h"
#include "invoke_front.h"
#include "tiertop/clock.h"
#include "tiertop/endpoint.h"
#include "tiertop/http.h"
#include "tiertop/json_text.h"
#include "tiertop/payloads.h"
#include "tiertop/policy.h"
#include "tiertop/sanitize.h"
#include "tiertop/str.h"
#include "tiertop/svc_lambda.h"
#include "tiertop/xalloc.h"

struct invoke_opts {
	const char *function;
	const char *payload_arg; /* NULL, "-", "@FILE" or the JSON itself */
	const char *qualifier;
	enum tt_lambda_invocation type;
	bool log;
	bool yes;
	bool list_qualifiers;
};

struct payload {
	char *data;
	size_t len;
	char *source; /* "--payload", "standard input", "FILE" */
};

/* --- the command line --------------------------------------------------- */

static const struct tt_opt invoke_opts[] = {
	{"--payload", "JSON|@FILE|-|@last", 0,
	 "what to send: the JSON itself, @FILE, - for standard input, or @last: the last payload sent to this "
	 "function (default {})"},
	{"--qualifier", "Q", 0, "a version or alias of the function"},
	{"--async", NULL, 0, "asynchronous (Event): queued, the answer is 202"},
	{"--dry-run", NULL, 0, "DryRun: Lambda checks parameters and permission; nothing runs"},
	{"--log", NULL, 0, "show the tail of the function's log (synchronous only)"},
	{"--list-qualifiers", NULL, 0, "list the function's versions and aliases (what --qualifier takes); "
				       "invokes nothing"},
	{"--yes", NULL, 0, "don't ask (needed without a terminal)"},
	{"-y", NULL, 0, "same as --yes"},
};

const struct tt_opts_spec tt_invoke_spec = {
	"invoke", "FUNCTION", 1, 1, invoke_opts, sizeof(invoke_opts) / sizeof(invoke_opts[0]),
	"The target (account, region, endpoint, function) is shown and confirmed before anything is sent,\n"
	"and every invoke is recorded in the audit log first (tiertop audit). --json prints Lambda's answer as\n"
	"one document. Exit 6 when the function reports an error.",
};

static int parse_args(const struct tt_opts *a, struct invoke_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->function = a->operands[0];
	o->payload_arg = tt_opts_get(a, "--payload");
	o->qualifier = tt_opts_get(a, "--qualifier");
	o->log = tt_opts_has(a, "--log");
	o->yes = tt_opts_has(a, "--yes") || tt_opts_has(a, "-y");
	o->list_qualifiers = tt_opts_has(a, "--list-qualifiers");
	if (o->list_qualifiers && (o->payload_arg || o->qualifier || o->log || tt_opts_has(a, "--async") ||
				   tt_opts_has(a, "--dry-run")))
		return tt_opts_usage_error(&tt_invoke_spec, "--list-qualifiers invokes nothing: it takes no "
							    "--payload, --qualifier, --async, --dry-run or --log");
	if (tt_opts_has(a, "--async") && tt_opts_has(a, "--dry-run"))
		return tt_opts_usage_error(&tt_invoke_spec, "--async and --dry-run exclude each other");
	o->type = tt_opts_has(a, "--async") ? TT_LAMBDA_ASYNC
		  : tt_opts_has(a, "--dry-run") ? TT_LAMBDA_DRY_RUN
						 : TT_LAMBDA_SYNC;
	if (o->log && o->type != TT_LAMBDA_SYNC)
		return tt_opts_usage_error(&tt_invoke_spec, "--log needs a synchronous invoke (Lambda returns no "
							   "log for --async or --dry-run)");
	return 0;
}

/* --- refusals before the network ---------------------------------------- */

static int read_payload_file(const char *path, size_t max, struct payload *p, struct tt_err *err)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct tt_buf b;
	struct stat st;
	int rc, saved_errno;

	if (!f)
		return tt_err_set(err, TT_ERR_USAGE, "cannot read the payload file %s: %s", path,
				  strerror(errno));
	if (f != stdin && fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size > max) {
		fclose(f);
		p->len = (size_t)st.st_size;
		return 1;
	}
	tt_buf_init(&b, max + 1);
	rc = tt_buf_read_stream(&b, f);
	saved_errno = errno;
	if (f != stdin)
		fclose(f);
	if (rc) {
		tt_buf_clear(&b);
		return tt_err_set(err, TT_ERR_USAGE, "cannot read the payload from %s: %s", p->source,
				  strerror(saved_errno));
	}
	rc = b.truncated ? 1 : 0;
	p->len = b.len;
	p->data = tt_buf_steal(&b);
	return rc;
}

static int check_json(const struct payload *p, struct tt_err *err)
{
	json_error_t jerr;
	json_t *v = json_loadb(p->data, p->len, JSON_DECODE_ANY, &jerr);

	if (v) {
		json_decref(v);
		return 0;
	}
	return tt_err_set(err, TT_ERR_USAGE, "the payload (%s) is not valid JSON: line %d, column %d: %s",
			  p->source, jerr.line, jerr.column, jerr.text);
}

/* Payloads are remembered by function name, whichever way it was written
 * (name, name:alias, ARN), so the verb and the console share them. */
static char *payload_key(const char *function)
{
	struct tt_lambda_ref ref;
	struct tt_err err;
	char *key;

	if (tt_lambda_ref_parse(function, &ref, &err))
		return tt_xstrdup(function);
	key = tt_xstrdup(*ref.name ? ref.name : function);
	tt_lambda_ref_clear(&ref);
	return key;
}

/* @last: a file really named "last" is still reachable as @./last. */
static int load_last_payload(const struct invoke_opts *o, struct payload *p, struct tt_err *err)
{
	char *key = payload_key(o->function);
	struct tt_payloads list;
	int rc = tt_payloads_load(key, &list, err);

	if (rc == 0 && !list.n)
		rc = tt_err_set(err, TT_ERR_USAGE,
				"no payload remembered for %s; send one first with --payload JSON|@FILE|- (a file "
				"named last is @./last)",
				key);
	if (rc == 0) {
		p->data = list.items[0];
		list.items[0] = NULL;
		p->len = strlen(p->data);
		p->source = tt_xasprintf("the last payload sent to %s", key);
	}
	tt_payloads_clear(&list);
	free(key);
	return rc;
}

/* After a send that Lambda answered, as the console does. Not remembering
 * is worth a warning, not a failure: the function ran. */
static void remember_payload(const struct invoke_opts *o, const struct payload *p)
{
	char *key = payload_key(o->function), *safe;
	struct tt_err err;

	if (tt_payloads_add(key, p->data, p->len, &err) < 0) {
		safe = tt_sanitize(err.message, tt_app_san());
		fprintf(stderr, "tiertop: warning: the payload was not remembered: %s\n", safe);
		free(safe);
	}
	free(key);
}

/* Fills p from --payload; the size is checked before the JSON, so a huge
 * file is not parsed only to be refused. */
static int load_payload(const struct invoke_opts *o, struct payload *p, struct tt_err *err)
{
	const char *arg = o->payload_arg ? o->payload_arg : "{}";
	int rc = 0;

	memset(p, 0, sizeof(*p));
	if (strcmp(arg, "@last") == 0) {
		if (load_last_payload(o, p, err))
			return -1;
	} else if (strcmp(arg, "-") == 0 || arg[0] == '@') {
		p->source = tt_xstrdup(arg[0] == '@' ? arg + 1 : "standard input");
		rc = read_payload_file(arg[0] == '@' ? arg + 1 : "-", TT_LAMBDA_SYNC_PAYLOAD_MAX, p, err);
		if (rc < 0)
			return -1;
	} else {
		p->source = tt_xstrdup(o->payload_arg ? "--payload" : "the default {}");
		p->data = tt_xstrdup(arg);
		p->len = strlen(arg);
	}
	if (rc > 0 && !p->data)
		return tt_lambda_check_payload(o->type, p->len, err);
	if (rc > 0)
		return tt_err_set(err, TT_ERR_USAGE,
				  "the payload from %s is more than %zu bytes, Lambda's limit "
				  "for a synchronous invoke; nothing was sent",
				  p->source, TT_LAMBDA_SYNC_PAYLOAD_MAX);
	if (tt_lambda_check_payload(o->type, p->len, err))
		return -1;
	return check_json(p, err);
}

static void payload_clear(struct payload *p)
{
	free(p->data);
	free(p->source);
}

/* Raw bytes for a pipe or a file; for a terminal, indented if it is JSON and
 * sanitized either way (the function's answer is not ours to trust). */
static void print_payload(const struct tt_lambda_invoke_out *out, unsigned san)
{
	json_t *v;
	struct tt_buf pretty, safe;

	if (!isatty(STDOUT_FILENO)) {
		fwrite(out->payload, 1, out->payload_len, stdout);
		return;
	}
	if (!out->payload_len)
		return;
	tt_buf_init(&pretty, 0);
	tt_buf_init(&safe, 0);
	v = json_loadb(out->payload, out->payload_len, JSON_DECODE_ANY, NULL);
	if (v)
		tt_json_reindent(out->payload, out->payload_len, 2, &pretty);
	else
		tt_buf_append(&pretty, out->payload, out->payload_len);
	json_decref(v);
	tt_sanitize_append(&safe, pretty.data ? pretty.data : "", pretty.len,
			   san | TT_SAN_KEEP_NEWLINE | TT_SAN_KEEP_TAB);
	fwrite(safe.data, 1, safe.len, stdout);
	if (!safe.len || safe.data[safe.len - 1] != '\n')
		putchar('\n');
	tt_buf_clear(&pretty);
	tt_buf_clear(&safe);
}

static void print_status(enum tt_lambda_invocation type, const struct tt_lambda_invoke_out *out)
{
	char *ver = tt_sanitize(out->executed_version, tt_app_san());

	if (type == TT_LAMBDA_ASYNC)
		fprintf(stderr, "status %ld: queued; the function runs asynchronously\n", out->status);
	else if (type == TT_LAMBDA_DRY_RUN)
		fprintf(stderr,
			"status %ld: dry run passed (parameters and permission are valid); nothing ran\n",
			out->status);
	else
		fprintf(stderr, "status %ld, executed version %s, %zu-byte answer\n", out->status,
			*ver ? ver : "(not reported)", out->payload_len);
	free(ver);
}

/* "function error (Unhandled): SpamRejected: message", from the error
 * document Lambda sends as the answer. */
static void print_function_error(const struct tt_invoke_result *res)
{
	char *line = tt_invoke_error_text(res->out->function_error, res->error_type, res->error_message);
	char *safe = tt_sanitize(line, tt_app_san());

	fprintf(stderr, "tiertop: %s\n", safe);
	free(safe);
	free(line);
}

static void print_log(const struct tt_lambda_invoke_out *out, unsigned san)
{
	struct tt_buf safe;

	if (out->log_invalid) {
		fprintf(stderr, "tiertop: the log (X-Amz-Log-Result) is not base64; not shown\n");
		return;
	}
	if (!out->log_len) {
		fprintf(stderr, "(Lambda returned no log)\n");
		return;
	}
	tt_buf_init(&safe, 0);
	tt_sanitize_append(&safe, out->log, out->log_len, san | TT_SAN_KEEP_NEWLINE | TT_SAN_KEEP_TAB);
	fprintf(stderr, "--- log (the last 4 KB) ---\n%s%s--- end of log ---\n", safe.data ? safe.data : "",
		safe.len && safe.data[safe.len - 1] == '\n' ? "" : "\n");
	tt_buf_clear(&safe);
}

/* The answer's JSON goes in as the function wrote it: through jansson a
 * 0.169 would come out as 0.16900000000000001. On a terminal the whole
 * document is sanitized, since the function's strings may hold C1 controls. */
static void print_json(bool log, const struct tt_lambda_invoke_out *out, unsigned san)
{
	json_t *doc = json_pack("{s:I, s:s, s:s}", "StatusCode", (json_int_t)out->status, "ExecutedVersion",
				out->executed_version, "RequestId", out->request_id);
	json_t *parsed = json_loadb(out->payload, out->payload_len, JSON_DECODE_ANY, NULL);
	const char *raw = out->payload;
	size_t raw_len = out->payload_len;
	struct tt_buf all, safe;
	char *text;
	size_t n;

	if (*out->function_error)
		json_object_set_new(doc, "FunctionError", json_string(out->function_error));
	if (log && !out->log_invalid)
		json_object_set_new(doc, "Log", json_stringn(out->log, out->log_len));
	if (!parsed && out->payload_len)
		json_object_set_new(doc, "Payload", json_stringn(out->payload, out->payload_len));
	text = json_dumps(doc, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	n = strlen(text);
	while (n && text[n - 1] != '}')
		n--;
	if (parsed) {
		while (raw_len && strchr(" \t\r\n", raw[0]))
			raw++, raw_len--;
		while (raw_len && strchr(" \t\r\n", raw[raw_len - 1]))
			raw_len--;
		tt_buf_init(&all, 0);
		tt_buf_append(&all, text, n > 2 ? n - 2 : 0);
		tt_buf_puts(&all, ",\n  \"Payload\": ");
		tt_buf_append(&all, raw, raw_len);
		tt_buf_puts(&all, "\n}\n");
	} else {
		tt_buf_init(&all, 0);
		tt_buf_printf(&all, "%s\n", text);
	}
	if (isatty(STDOUT_FILENO)) {
		tt_buf_init(&safe, 0);
		tt_sanitize_append(&safe, all.data, all.len, san | TT_SAN_KEEP_NEWLINE);
		fwrite(safe.data, 1, safe.len, stdout);
		tt_buf_clear(&safe);
	} else {
		fwrite(all.data, 1, all.len, stdout);
	}
	tt_buf_clear(&all);
	free(text);
	json_decref(parsed);
	json_decref(doc);
}

/* --- the front end shared with replay (invoke_front.h) -------------------- */

static char *keep(struct tt_invoke_front *f, size_t slot, char *text)
{
	free(f->row_text[slot]);
	f->row_text[slot] = text;
	return text;
}

static void add_row(struct tt_invoke_front *f, const char *label, const char *value)
{
	size_t n = f->nrows;

	if (n >= TT_INVOKE_FRONT_ROWS)
		return;
	f->rows[n].label = keep(f, 2 * n, tt_xstrdup(label));
	f->rows[n].value = keep(f, 2 * n + 1, tt_xstrdup(value ? value : ""));
	f->nrows++;
}

void tt_invoke_front_ask(struct tt_invoke_front *f, const struct tt_invoke_banner *b)
{
	char *payload = tt_xasprintf("%zu bytes from %s", b->payload_len, b->payload_source);
	char *lookup = b->lookup ? tt_xstrdup(b->lookup) : NULL;

	tt_invoke_front_clear(f);
	f->title = tt_xasprintf("%s, %s:", b->verb, b->type_text);
	f->account = tt_xasprintf("%s (%s)", b->account, b->caller_arn);
	f->endpoint = tt_xstrdup(b->endpoint);
	add_row(f, "function", b->function_arn);
	add_row(f, "qualifier", b->qualifier);
	if (b->state)
		add_row(f, "state", b->state);
	if (lookup)
		add_row(f, "lookup", lookup);
	add_row(f, "payload", payload);
	for (size_t i = 0; i < b->nrows; i++)
		add_row(f, b->rows[i].label, b->rows[i].value);
	free(payload);
	free(lookup);
	f->asked = true;
}

void tt_invoke_front_clear(struct tt_invoke_front *f)
{
	free(f->title);
	free(f->account);
	free(f->endpoint);
	f->title = f->account = f->endpoint = NULL;
	for (size_t i = 0; i < 2 * TT_INVOKE_FRONT_ROWS; i++) {
		free(f->row_text[i]);
		f->row_text[i] = NULL;
	}
	f->nrows = 0;
	f->asked = false;
}

void tt_invoke_front_policy(const struct tt_app *app, struct tt_policy *p)
{
	tt_policy_init(p, app->opts.read_only, getenv("TIERTOP_READ_ONLY"), app->appcfg, app->app_def);
}

int64_t tt_invoke_front_now(void)
{
	return tt_clock_mono_ms();
}

char *tt_invoke_front_endpoint(const struct tt_app *app, struct tt_err *err)
{
	struct tt_endpoint ep = {0};
	char *text;

	if (tt_endpoint_resolve(app->cfg, app->profile, TT_SVC_LAMBDA, app->region, app->opts.endpoint_url, &ep,
				err))
		return NULL;
	text = tt_xasprintf("%s (%s)", ep.url, ep.source);
	tt_endpoint_clear(&ep);
	return text;
}

/* Shown, then asked on the terminal: after the dispatch that brought the
 * job to its question has returned, never inside it. */
static void answer(struct tt_invoke_front *f, const struct tt_invoke_driver *d)
{
	struct tt_app_action a = {f->title, f->account, f->endpoint, f->rows, f->nrows, f->question, f->tty};
	bool yes = tt_app_confirm(f->app, &a);

	tt_invoke_front_clear(f);
	d->confirm(d->job, yes);
}

static int report(struct tt_invoke_front *f, const struct tt_invoke *inv)
{
	const struct tt_invoke_result *res = tt_invoke_result(inv);
	unsigned san = tt_app_san();

	if (f->app->opts.json) {
		print_json(f->log, res->out, san);
	} else {
		print_status(f->type, res->out);
		print_payload(res->out, san);
		if (f->log)
			print_log(res->out, san);
	}
	if (!*res->out->function_error)
		return 0;
	print_function_error(res);
	return TT_EXIT_FUNCTION;
}

int tt_invoke_front_drive(struct tt_invoke_front *f, const struct tt_invoke_driver *d)
{
	const struct tt_invoke *inv;
	const struct tt_err *err;

	for (;;) {
		d->clock(d->job, tt_invoke_front_now());
		tt_http_dispatch(f->app->http);
		if (f->asked) {
			/* A yes submits the Invoke: dispatch again before waiting. */
			answer(f, d);
			continue;
		}
		if (d->finished(d->job))
			break;
		tt_http_wait(f->app->http, NULL, 0, 1000);
	}
	inv = d->invocation(d->job);
	if ((err = d->error(d->job)))
		return tt_app_fail(err);
	if (inv && tt_invoke_state(inv) == TT_INVOKE_DECLINED) {
		fprintf(stderr, "tiertop: %s\n", f->declined);
		return TT_EXIT_FAILURE;
	}
	if (!inv || !tt_invoke_result(inv))
		return TT_EXIT_FAILURE;
	return report(f, inv);
}

/* --- driving the invoke job ----------------------------------------------- */

static bool job_finished(const void *job)
{
	return tt_invoke_finished(job);
}

static void job_clock(void *job, int64_t now_ms)
{
	tt_invoke_clock(job, now_ms);
}

static void job_confirm(void *job, bool yes)
{
	tt_invoke_confirm(job, yes);
}

static const struct tt_invoke *job_invocation(const void *job)
{
	return job;
}

static const struct tt_err *job_error(const void *job)
{
	return tt_invoke_error(job);
}

static void on_confirm(void *ctx, struct tt_invoke *job, const struct tt_invoke_banner *b)
{
	(void)job;
	tt_invoke_front_ask(ctx, b);
}

/* --- the verb ----------------------------------------------------------- */

/* Everything that can be refused without the network, read-only first. */
static int refuse_early(struct tt_app *app, const struct invoke_opts *o, struct payload *p, FILE **tty,
			struct tt_err *err)
{
	char *what = tt_xasprintf("invoke %s", o->function);
	bool stdin_busy = o->payload_arg && strcmp(o->payload_arg, "-") == 0;
	int rc = -1;

	if (o->type != TT_LAMBDA_DRY_RUN && tt_app_refuse_if_read_only(app, what, err))
		goto out;
	if (tt_invoke_check_target(o->function, o->qualifier, err) || load_payload(o, p, err))
		goto out;
	rc = tt_app_confirm_open(o->yes, stdin_busy, what, tty, err);
out:
	free(what);
	return rc;
}

static int send(struct tt_app *app, const struct invoke_opts *o, const struct payload *p, FILE *tty)
{
	struct tt_invoke_front f = {.app = app, .declined = "not invoked", .tty = tty, .log = o->log, .type = o->type};
	struct tt_invoke_sink sink = {on_confirm, NULL};
	struct tt_policy policy;
	struct tt_invoke_io io;
	struct tt_invoke *job;
	struct tt_err err;
	char *what = tt_xasprintf("invoke %s", o->function);
	char *question = tt_xasprintf("Invoke %s now?", o->function);
	char *endpoint = tt_invoke_front_endpoint(app, &err);
	struct tt_invoke_opts jo = {
	    .function = o->function,
	    .qualifier = o->qualifier,
	    .type = o->type,
	    .log = o->log,
	    .payload = p->data,
	    .payload_len = p->len,
	    .payload_source = p->source,
	    .what = what,
	    .verb = "Invoke",
	    .region = app->region,
	    .endpoint = endpoint,
	    .policy = &policy,
	};
	int rc;

	f.question = question;
	tt_invoke_front_policy(app, &policy);
	tt_invoke_io_aws(&io, &app->aws);
	if (!endpoint || !(job = tt_invoke_new(&jo, &io, &sink, &f, &err))) {
		rc = tt_app_fail(&err);
	} else {
		tt_invoke_start(job, tt_invoke_front_now());
		rc = tt_invoke_front_drive(&f, &(struct tt_invoke_driver){job, job_finished, job_clock, job_confirm,
									  job_invocation, job_error});
		if (tt_invoke_state(job) == TT_INVOKE_DONE)
			remember_payload(o, p);
		tt_invoke_free(&job);
	}
	tt_invoke_front_clear(&f);
	tt_policy_clear(&policy);
	free(endpoint);
	free(question);
	free(what);
	return rc;
}

int tt_cmd_invoke(struct tt_app *app, int argc, char **argv)
{
	struct invoke_opts o;
	struct payload p = {0};
	struct tt_err err;
	FILE *tty = NULL;
	int rc;

	(void)argc;
	(void)argv;
	if (parse_args(&app->args, &o))
		return TT_EXIT_USAGE;
	if (o.list_qualifiers)
		return tt_invoke_list_qualifiers(app, o.function);
	if (refuse_early(app, &o, &p, &tty, &err) || tt_app_connect(app, &err))
		rc = tt_app_fail(&err);
	else
		rc = send(app, &o, &p, tty);
	if (tty)
		fclose(tty);
	payload_clear(&p);
	return rc;
}
