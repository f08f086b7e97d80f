/* tiertop invoke FN: runs a Lambda function by hand, the one verb so far
 * that acts rather than looks.
 *
 * Everything that can be refused is refused before the network: read-only
 * mode, a bad function name, a payload that is not JSON or is over Lambda's
 * limit, and an unconfirmed run without a terminal. Then the account (STS)
 * and the function (GetFunctionConfiguration: it exists, its real ARN, its
 * timeout) are looked up, shown, confirmed, and only then is it invoked.
 *
 * Exit status: 0 when the function ran and succeeded (or was queued, or the
 * dry run passed); 6 when it ran and reported an error (X-Amz-Function-
 * Error). The AWS CLI exits 0 then, which leaves scripts to parse the
 * answer; a distinct status lets them tell "the function said no" from "the
 * invoke failed" (4 AWS error, 5 network: the function may not have run).
 *
 * From the lookups on, replay takes the same path: tt_invoke_send. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "app.h"
#include "invoke.h"
#include "tiertop/endpoint.h"
#include "tiertop/json_text.h"
#include "tiertop/sanitize.h"
#include "tiertop/str.h"
#include "tiertop/svc_lambda.h"
#include "tiertop/svc_sts.h"
#include "tiertop/xalloc.h"

struct invoke_opts {
	const char *function;
	const char *payload_arg; /* NULL, "-", "@FILE" or the JSON itself */
	const char *qualifier;
	enum tt_lambda_invocation type;
	bool log;
	bool yes;
};

struct payload {
	char *data;
	size_t len;
	char *source; /* "--payload", "standard input", "FILE" */
};

struct invoke_run {
	int pending;
	bool done;
	char *account;
	char *caller_arn;
	bool id_failed;
	struct tt_err id_err;
	struct tt_lambda_function fn;
	bool fn_found;
	bool fn_failed;
	struct tt_err fn_err;
	struct tt_lambda_invoke_out out;
	bool invoke_failed;
	struct tt_err invoke_err;
};

/* --- the command line --------------------------------------------------- */

static int set_type(struct invoke_opts *o, enum tt_lambda_invocation type)
{
	if (o->type != TT_LAMBDA_SYNC && o->type != type) {
		fprintf(stderr, "tiertop: --async and --dry-run exclude each other\n");
		return -1;
	}
	o->type = type;
	return 0;
}

static int parse_option(int argc, char **argv, int *i, struct invoke_opts *o)
{
	const char *arg = argv[*i], *v;

	if ((v = tt_app_option_value(argc, argv, i, "--payload")))
		o->payload_arg = v;
	else if ((v = tt_app_option_value(argc, argv, i, "--qualifier")))
		o->qualifier = v;
	else if (strcmp(arg, "--async") == 0)
		return set_type(o, TT_LAMBDA_ASYNC);
	else if (strcmp(arg, "--dry-run") == 0)
		return set_type(o, TT_LAMBDA_DRY_RUN);
	else if (strcmp(arg, "--log") == 0)
		o->log = true;
	else if (strcmp(arg, "--yes") == 0 || strcmp(arg, "-y") == 0)
		o->yes = true;
	else {
		fprintf(stderr, "tiertop: invoke: unknown option %s\n", arg);
		return -1;
	}
	if (v && !*v) {
		fprintf(stderr, "tiertop: %.*s needs a value\n", (int)strcspn(arg, "="), arg);
		return -1;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct invoke_opts *o)
{
	bool options = true;

	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		if (options && strcmp(argv[i], "--") == 0) {
			options = false;
		} else if (options && argv[i][0] == '-' && argv[i][1]) {
			if (parse_option(argc, argv, &i, o))
				return -1;
		} else if (o->function) {
			fprintf(stderr, "tiertop: invoke takes one function (got \"%s\" too)\n", argv[i]);
			return -1;
		} else {
			o->function = argv[i];
		}
	}
	if (!o->function) {
		fprintf(stderr, "usage: tiertop invoke FUNCTION [--payload JSON|@FILE|-] [--async|--dry-run] "
				"[--qualifier Q] [--log] [--yes] [--json]\n");
		return -1;
	}
	if (o->log && o->type != TT_LAMBDA_SYNC) {
		fprintf(stderr,
			"tiertop: --log needs a synchronous invoke (Lambda returns no log for --async "
			"or --dry-run)\n");
		return -1;
	}
	return 0;
}

/* --- refusals before the network ---------------------------------------- */

static int read_payload_file(const char *path, size_t max, struct payload *p, struct tt_err *err)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct tt_buf b;
	struct stat st;
	int rc;

	if (!f)
		return tt_err_set(err, TT_ERR_USAGE, "cannot read the payload file %s: %s", path,
				  strerror(errno));
	if (f != stdin && fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size > max) {
		fclose(f);
		p->len = (size_t)st.st_size;
		return 1;
	}
	rc = tt_app_read_stream(f, max, &b);
	if (f != stdin)
		fclose(f);
	if (rc) {
		tt_buf_free(&b);
		return tt_err_set(err, TT_ERR_USAGE, "cannot read the payload from %s", p->source);
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

/* Fills p from --payload; the size is checked before the JSON, so a huge
 * file is not parsed only to be refused. */
static int load_payload(const struct invoke_opts *o, struct payload *p, struct tt_err *err)
{
	const char *arg = o->payload_arg ? o->payload_arg : "{}";
	int rc = 0;

	memset(p, 0, sizeof(*p));
	if (strcmp(arg, "-") == 0 || arg[0] == '@') {
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

static void payload_free(struct payload *p)
{
	free(p->data);
	free(p->source);
}

/* --- looking before acting ---------------------------------------------- */

static void on_identity(void *ctx, const struct tt_sts_identity *id, const struct tt_err *err)
{
	struct invoke_run *r = ctx;

	if (err) {
		r->id_err = *err;
		r->id_failed = true;
	} else {
		r->account = tt_xstrdup(id->account);
		r->caller_arn = tt_xstrdup(id->arn);
	}
	r->done = --r->pending == 0;
}

static void on_config(void *ctx, struct tt_lambda_function *fn, const struct tt_err *err)
{
	struct invoke_run *r = ctx;

	if (err) {
		r->fn_err = *err;
		r->fn_failed = true;
	} else {
		r->fn = *fn;
		memset(fn, 0, sizeof(*fn));
		r->fn_found = true;
	}
	r->done = --r->pending == 0;
}

/* A missing function ends it here; a lookup we may not make (no
 * lambda:GetFunctionConfiguration permission, say) only costs the details. */
static bool lookup_fatal(const struct invoke_run *r)
{
	if (!r->fn_failed)
		return false;
	return r->fn_err.kind != TT_ERR_AWS || strcmp(r->fn_err.code, "ResourceNotFoundException") == 0;
}

static int look_up(struct tt_app *app, const struct tt_invoke_req *q, struct invoke_run *r,
		   struct tt_err *err)
{
	if (tt_sts_get_caller_identity(&app->aws, on_identity, r, err))
		return -1;
	r->pending++;
	if (tt_lambda_get_function_configuration(&app->aws, q->function, q->qualifier, on_config, r, err)) {
		r->fn_failed = true;
		r->fn_err = *err;
	} else {
		r->pending++;
	}
	tt_http_run_until(app->http, &r->done);
	if (r->id_failed) {
		*err = r->id_err;
		return -1;
	}
	if (lookup_fatal(r)) {
		*err = r->fn_err;
		tt_err_prefix(err, "nothing was invoked");
		return -1;
	}
	return 0;
}

static const char *type_text(enum tt_lambda_invocation type)
{
	return type == TT_LAMBDA_ASYNC     ? "asynchronous (Event)"
	       : type == TT_LAMBDA_DRY_RUN ? "dry run (nothing runs)"
					   : "synchronous (RequestResponse)";
}

/* The function's own ARN when Lambda told us; else built from the name. */
static char *target_arn(const struct tt_app *app, const struct tt_lambda_ref *ref, const struct invoke_run *r)
{
	struct tt_lambda_ref real;
	struct tt_err ignored;
	char *arn;

	if (r->fn_found && tt_lambda_ref_parse(r->fn.arn, &real, &ignored) == 0) {
		arn = tt_lambda_ref_arn(&real, NULL, NULL);
		tt_lambda_ref_clear(&real);
		return arn;
	}
	return tt_lambda_ref_arn(ref, app->region, r->account);
}

static char *qualifier_text(const struct tt_invoke_req *q, const struct tt_lambda_ref *ref,
			    const struct invoke_run *r)
{
	const char *qual = *ref->qualifier ? ref->qualifier : q->qualifier;

	if (qual && *qual && r->fn_found && *r->fn.version)
		return tt_xasprintf("%s (version %s)", qual, r->fn.version);
	return tt_xstrdup(qual && *qual ? qual : "none ($LATEST)");
}

#define BANNER_ROWS 16

/* Shows account, region, endpoint, the function and the payload, then the
 * caller's rows; asks when there is a terminal. */
static bool show_and_ask(const struct tt_app *app, const struct tt_invoke_req *q,
			 const struct tt_lambda_ref *ref, const struct invoke_run *r,
			 const struct tt_endpoint *ep)
{
	struct tt_app_row rows[BANNER_ROWS];
	size_t n = 0;
	char *title = tt_xasprintf("%s, %s:", q->verb, type_text(q->type));
	char *account = tt_xasprintf("%s (%s)", r->account, r->caller_arn);
	char *endpoint = tt_xasprintf("%s (%s)", ep->url, ep->source);
	char *arn = target_arn(app, ref, r);
	char *qual = qualifier_text(q, ref, r);
	char *lookup = r->fn_failed ? tt_xasprintf("not checked (%s: %s)", r->fn_err.code, r->fn_err.message)
				    : NULL;
	char *payload = tt_xasprintf("%zu bytes from %s", q->payload_len, q->payload_source);
	struct tt_app_action a = {title, account, endpoint, rows, 0, q->question, q->tty};
	bool go;

	rows[n++] = (struct tt_app_row){"function", arn};
	rows[n++] = (struct tt_app_row){"qualifier", qual};
	if (r->fn_found && *r->fn.state && strcmp(r->fn.state, "Active") != 0)
		rows[n++] = (struct tt_app_row){"state", r->fn.state};
	if (lookup)
		rows[n++] = (struct tt_app_row){"lookup", lookup};
	rows[n++] = (struct tt_app_row){"payload", payload};
	for (size_t i = 0; i < q->nrows && n < BANNER_ROWS; i++)
		rows[n++] = q->rows[i];
	a.nrows = n;
	go = tt_app_confirm(app, &a);
	free(title);
	free(account);
	free(endpoint);
	free(arn);
	free(qual);
	free(lookup);
	free(payload);
	return go;
}

/* --- the answer --------------------------------------------------------- */

static void on_invoked(void *ctx, struct tt_lambda_invoke_out *out, const struct tt_err *err)
{
	struct invoke_run *r = ctx;

	if (err) {
		r->invoke_err = *err;
		r->invoke_failed = true;
	} else {
		r->out = *out;
		memset(out, 0, sizeof(*out));
	}
	r->done = true;
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
	tt_buf_free(&pretty);
	tt_buf_free(&safe);
}

static void print_status(enum tt_lambda_invocation type, const struct tt_lambda_invoke_out *out)
{
	char *ver = tt_sanitize(out->executed_version, 0);

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
static void print_function_error(const struct tt_lambda_invoke_out *out)
{
	json_t *doc = json_loadb(out->payload, out->payload_len, 0, NULL);
	const char *type = json_string_value(json_object_get(doc, "errorType"));
	const char *msg = json_string_value(json_object_get(doc, "errorMessage"));
	char *line = tt_xasprintf("function error (%s): %s%s%s", out->function_error, type ? type : "",
				  type && msg ? ": " : "", msg ? msg : "");
	char *safe = tt_sanitize(line, 0);

	fprintf(stderr, "tiertop: %s\n", safe);
	free(safe);
	free(line);
	json_decref(doc);
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
	tt_buf_free(&safe);
}

/* The answer's JSON goes in as the function wrote it: through jansson a
 * 0.169 would come out as 0.16900000000000001. On a terminal the whole
 * document is sanitized, since the function's strings may hold C1 controls. */
static void print_json(const struct tt_invoke_req *q, const struct tt_lambda_invoke_out *out, unsigned san)
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
	if (q->log && !out->log_invalid)
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
		tt_buf_free(&safe);
	} else {
		fwrite(all.data, 1, all.len, stdout);
	}
	tt_buf_free(&all);
	free(text);
	json_decref(parsed);
	json_decref(doc);
}

static int report(struct tt_app *app, const struct tt_invoke_req *q, const struct invoke_run *r)
{
	unsigned san = tt_app_utf8() ? 0 : TT_SAN_ASCII;

	if (r->invoke_failed)
		return tt_app_fail(&r->invoke_err);
	if (app->opts.json) {
		print_json(q, &r->out, san);
	} else {
		print_status(q->type, &r->out);
		print_payload(&r->out, san);
		if (q->log)
			print_log(&r->out, san);
	}
	if (!*r->out.function_error)
		return 0;
	print_function_error(&r->out);
	return TT_EXIT_FUNCTION;
}

/* --- the shared path ------------------------------------------------------ */

int tt_invoke_check_target(const char *function, const char *qualifier, struct tt_err *err)
{
	struct tt_lambda_ref ref;
	int rc = 0;

	if (tt_lambda_ref_parse(function, &ref, err))
		return -1;
	if (*ref.qualifier && qualifier && strcmp(ref.qualifier, qualifier) != 0)
		rc = tt_err_set(err, TT_ERR_USAGE, "%s names qualifier %s but --qualifier says %s", function,
				ref.qualifier, qualifier);
	tt_lambda_ref_clear(&ref);
	return rc;
}

static int run_invoke(struct tt_app *app, const struct tt_invoke_req *q, struct invoke_run *r,
		      struct tt_err *err)
{
	struct tt_lambda_invoke_in in = {
	    .function = q->function,
	    .qualifier = q->qualifier,
	    .type = q->type,
	    .tail_log = q->log,
	    .payload = q->payload,
	    .payload_len = q->payload_len,
	    .timeout_s = r->fn_found ? r->fn.timeout_s : 0,
	};

	r->done = false;
	if (tt_lambda_invoke(&app->aws, &in, on_invoked, r, err))
		return -1;
	tt_http_run_until(app->http, &r->done);
	return 0;
}

int tt_invoke_send(struct tt_app *app, const struct tt_invoke_req *q)
{
	struct tt_lambda_ref ref = {0};
	struct invoke_run r = {0};
	struct tt_endpoint ep = {0};
	struct tt_err err;
	int rc;

	if (tt_lambda_ref_parse(q->function, &ref, &err) ||
	    tt_endpoint_resolve(app->cfg, app->profile, TT_SVC_LAMBDA, app->region, app->opts.endpoint_url,
				&ep, &err) ||
	    look_up(app, q, &r, &err)) {
		rc = tt_app_fail(&err);
	} else if (!show_and_ask(app, q, &ref, &r, &ep)) {
		fprintf(stderr, "tiertop: %s\n", q->declined);
		rc = TT_EXIT_FAILURE;
	} else if (run_invoke(app, q, &r, &err)) {
		rc = tt_app_fail(&err);
	} else {
		rc = report(app, q, &r);
	}
	tt_endpoint_free(&ep);
	tt_lambda_ref_clear(&ref);
	free(r.account);
	free(r.caller_arn);
	tt_lambda_function_clear(&r.fn);
	tt_lambda_invoke_out_clear(&r.out);
	return rc;
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

int tt_cmd_invoke(struct tt_app *app, int argc, char **argv)
{
	struct invoke_opts o;
	struct payload p = {0};
	struct tt_err err;
	FILE *tty = NULL;
	char *question;
	int rc;

	if (parse_args(argc, argv, &o))
		return 2;
	if (refuse_early(app, &o, &p, &tty, &err) || tt_app_connect(app, &err)) {
		rc = tt_app_fail(&err);
	} else {
		question = tt_xasprintf("Invoke %s now?", o.function);
		rc = tt_invoke_send(app, &(struct tt_invoke_req){
						 .function = o.function,
						 .qualifier = o.qualifier,
						 .type = o.type,
						 .log = o.log,
						 .payload = p.data,
						 .payload_len = p.len,
						 .payload_source = p.source,
						 .verb = "Invoke",
						 .question = question,
						 .declined = "not invoked",
						 .tty = tty,
					 });
		free(question);
	}
	if (tty)
		fclose(tty);
	payload_free(&p);
	return rc;
}
