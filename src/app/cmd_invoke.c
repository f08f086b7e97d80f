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
 * invoke failed" (4 AWS error, 5 network: the function may not have run). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "app.h"
#include "tiertop/endpoint.h"
#include "tiertop/json_text.h"
#include "tiertop/sanitize.h"
#include "tiertop/str.h"
#include "tiertop/svc_lambda.h"
#include "tiertop/svc_sts.h"
#include "tiertop/xalloc.h"

/* Not in enum tt_exit yet: only invoke (and later replay) can see it. */
#define EXIT_FUNCTION_ERROR 6

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

static const char *option_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (strcmp(argv[*i], name) != 0)
		return NULL;
	return *i + 1 < argc ? argv[++*i] : "";
}

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

	if ((v = option_value(argc, argv, i, "--payload")))
		o->payload_arg = v;
	else if ((v = option_value(argc, argv, i, "--qualifier")))
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

/* Where read-only mode comes from, or NULL. An unreadable TIERTOP_READ_ONLY
 * counts as on: a typo must not turn a safety off. */
static const char *read_only_source(const struct tt_app *app)
{
	const char *env = getenv("TIERTOP_READ_ONLY");

	if (app->opts.read_only)
		return "--read-only";
	if (!env || !*env || strcmp(env, "0") == 0 || strcasecmp(env, "false") == 0 ||
	    strcasecmp(env, "no") == 0 || strcasecmp(env, "off") == 0)
		return NULL;
	return "TIERTOP_READ_ONLY";
}

/* Reads at most max+1 bytes, so that an oversize payload is known without
 * reading all of it. */
static int read_stream(FILE *f, size_t max, struct tt_buf *out)
{
	char chunk[65536];
	size_t n;

	tt_buf_init(out, max + 1);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (!tt_buf_append(out, chunk, n))
			break;
	return ferror(f) ? -1 : 0;
}

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
	rc = read_stream(f, max, &b);
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

/* The terminal to ask on, when the user is at one: stdin is a terminal, or
 * stderr is when stdin carries the payload. NULL otherwise. */
static FILE *confirmation_tty(const struct invoke_opts *o)
{
	bool payload_on_stdin = o->payload_arg && strcmp(o->payload_arg, "-") == 0;

	if (!isatty(payload_on_stdin ? STDERR_FILENO : STDIN_FILENO))
		return NULL;
	return fopen("/dev/tty", "r+");
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

static int look_up(struct tt_app *app, const struct invoke_opts *o, struct invoke_run *r, struct tt_err *err)
{
	if (tt_sts_get_caller_identity(&app->aws, on_identity, r, err))
		return -1;
	r->pending++;
	if (tt_lambda_get_function_configuration(&app->aws, o->function, o->qualifier, on_config, r, err)) {
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

static void row(const char *label, const char *value)
{
	char *safe = tt_sanitize(value, 0);

	fprintf(stderr, "  %-10s %s\n", label, safe);
	free(safe);
}

static const char *type_text(enum tt_lambda_invocation type)
{
	return type == TT_LAMBDA_ASYNC     ? "asynchronous (Event)"
	       : type == TT_LAMBDA_DRY_RUN ? "dry run (nothing runs)"
					   : "synchronous (RequestResponse)";
}

static void print_target(const struct tt_app *app, const struct invoke_opts *o,
			 const struct tt_lambda_ref *ref, const struct invoke_run *r, const struct payload *p,
			 const struct tt_endpoint *ep)
{
	struct tt_lambda_ref real;
	struct tt_err ignored;
	const char *q = *ref->qualifier ? ref->qualifier : o->qualifier;
	char *arn, *line;

	/* The function's own ARN when Lambda told us; else built from the name. */
	if (r->fn_found && tt_lambda_ref_parse(r->fn.arn, &real, &ignored) == 0) {
		arn = tt_lambda_ref_arn(&real, NULL, NULL);
		tt_lambda_ref_clear(&real);
	} else {
		arn = tt_lambda_ref_arn(ref, app->region, r->account);
	}
	fprintf(stderr, "Invoke, %s:\n", type_text(o->type));
	line = tt_xasprintf("%s (%s)", r->account, r->caller_arn);
	row("account", line);
	free(line);
	line = tt_xasprintf("%s (%s)", app->region, app->region_source);
	row("region", line);
	free(line);
	line = tt_xasprintf("%s (%s)", ep->url, ep->source);
	row("endpoint", line);
	free(line);
	row("function", arn);
	if (q && *q && r->fn_found && *r->fn.version)
		line = tt_xasprintf("%s (version %s)", q, r->fn.version);
	else
		line = tt_xstrdup(q && *q ? q : "none ($LATEST)");
	row("qualifier", line);
	free(line);
	if (r->fn_found && *r->fn.state && strcmp(r->fn.state, "Active") != 0)
		row("state", r->fn.state);
	if (r->fn_failed) {
		line = tt_xasprintf("not checked (%s: %s)", r->fn_err.code, r->fn_err.message);
		row("lookup", line);
		free(line);
	}
	line = tt_xasprintf("%zu bytes from %s", p->len, p->source);
	row("payload", line);
	free(line);
	free(arn);
}

static bool confirmed(FILE *tty, const char *function)
{
	char answer[16];
	char *safe = tt_sanitize(function, 0);
	const char *a;

	fprintf(tty, "Invoke %s now? [y/N] ", safe);
	fflush(tty);
	free(safe);
	if (!fgets(answer, sizeof(answer), tty))
		return false;
	a = tt_str_trim(answer);
	return strcasecmp(a, "y") == 0 || strcasecmp(a, "yes") == 0;
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

static void print_status(const struct invoke_opts *o, const struct tt_lambda_invoke_out *out)
{
	char *ver = tt_sanitize(out->executed_version, 0);

	if (o->type == TT_LAMBDA_ASYNC)
		fprintf(stderr, "status %ld: queued; the function runs asynchronously\n", out->status);
	else if (o->type == TT_LAMBDA_DRY_RUN)
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
static void print_json(const struct invoke_opts *o, const struct tt_lambda_invoke_out *out, unsigned san)
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
	if (o->log && !out->log_invalid)
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

static int report(struct tt_app *app, const struct invoke_opts *o, const struct invoke_run *r)
{
	unsigned san = tt_app_utf8() ? 0 : TT_SAN_ASCII;

	if (r->invoke_failed)
		return tt_app_fail(&r->invoke_err);
	if (app->opts.json) {
		print_json(o, &r->out, san);
	} else {
		print_status(o, &r->out);
		print_payload(&r->out, san);
		if (o->log)
			print_log(&r->out, san);
	}
	if (!*r->out.function_error)
		return 0;
	print_function_error(&r->out);
	return EXIT_FUNCTION_ERROR;
}

/* --- the verb ----------------------------------------------------------- */

static int refuse_early(struct tt_app *app, const struct invoke_opts *o, struct tt_lambda_ref *ref,
			struct payload *p, FILE **tty, struct tt_err *err)
{
	const char *ro = read_only_source(app);

	if (ro && o->type != TT_LAMBDA_DRY_RUN)
		return tt_err_set(err, TT_ERR_FAILURE,
				  "read-only mode (%s): refusing to invoke %s; nothing was sent", ro,
				  o->function);
	if (tt_lambda_ref_parse(o->function, ref, err))
		return -1;
	if (*ref->qualifier && o->qualifier && strcmp(ref->qualifier, o->qualifier) != 0)
		return tt_err_set(err, TT_ERR_USAGE, "%s names qualifier %s but --qualifier says %s",
				  o->function, ref->qualifier, o->qualifier);
	if (load_payload(o, p, err))
		return -1;
	*tty = o->yes ? NULL : confirmation_tty(o);
	if (!o->yes && !*tty)
		return tt_err_set(err, TT_ERR_USAGE,
				  "no terminal to confirm the invoke on; pass --yes to invoke "
				  "%s without asking",
				  o->function);
	return 0;
}

static int prepare(struct tt_app *app, const struct invoke_opts *o, struct invoke_run *r,
		   struct tt_endpoint *ep, struct tt_err *err)
{
	if (tt_app_connect(app, err))
		return -1;
	if (tt_endpoint_resolve(app->cfg, app->profile, TT_SVC_LAMBDA, app->region, app->opts.endpoint_url,
				ep, err))
		return -1;
	return look_up(app, o, r, err);
}

static int run_invoke(struct tt_app *app, const struct invoke_opts *o, const struct payload *p,
		      struct invoke_run *r, struct tt_err *err)
{
	struct tt_lambda_invoke_in in = {
	    .function = o->function,
	    .qualifier = o->qualifier,
	    .type = o->type,
	    .tail_log = o->log,
	    .payload = p->data,
	    .payload_len = p->len,
	    .timeout_s = r->fn_found ? r->fn.timeout_s : 0,
	};

	r->done = false;
	if (tt_lambda_invoke(&app->aws, &in, on_invoked, r, err))
		return -1;
	tt_http_run_until(app->http, &r->done);
	return 0;
}

int tt_cmd_invoke(struct tt_app *app, int argc, char **argv)
{
	struct invoke_opts o;
	struct tt_lambda_ref ref = {0};
	struct payload p = {0};
	struct invoke_run r = {0};
	struct tt_endpoint ep = {0};
	struct tt_err err;
	FILE *tty = NULL;
	int rc;

	if (parse_args(argc, argv, &o))
		return 2;
	if (refuse_early(app, &o, &ref, &p, &tty, &err) || prepare(app, &o, &r, &ep, &err)) {
		rc = tt_app_fail(&err);
	} else {
		print_target(app, &o, &ref, &r, &p, &ep);
		if (tty && !confirmed(tty, o.function)) {
			fprintf(stderr, "tiertop: not invoked\n");
			rc = 1;
		} else if (run_invoke(app, &o, &p, &r, &err)) {
			rc = tt_app_fail(&err);
		} else {
			rc = report(app, &o, &r);
		}
	}
	if (tty)
		fclose(tty);
	tt_endpoint_free(&ep);
	tt_lambda_ref_clear(&ref);
	payload_free(&p);
	free(r.account);
	free(r.caller_arn);
	tt_lambda_function_clear(&r.fn);
	tt_lambda_invoke_out_clear(&r.out);
	return rc;
}
