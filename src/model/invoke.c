/* The invocation job (see invoke.h): refuse, resolve, confirm, send, report. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tiertop/audit.h"
#include "tiertop/invoke.h"
#include "tiertop/policy.h"
#include "tiertop/str.h"
#include "tiertop/utf8.h"
#include "tiertop/xalloc.h"

enum call_kind { CALL_IDENTITY, CALL_CONFIG, CALL_INVOKE };

/* A request in flight. It outlives a freed or cancelled job: the answer
 * then finds job == NULL and is dropped (the engine has no cancel for
 * these calls, and an Invoke already sent cannot be taken back anyway). */
struct call {
	struct tt_invoke *job;
	enum call_kind kind;
	struct call *next;
	/* An Invoke's audit record: its result is written even when the job
	 * is gone by the time the answer comes. */
	const struct tt_audit *audit; /* NULL: not recorded */
	char audit_id[TT_AUDIT_ID_LEN];
};

struct tt_invoke {
	/* the options, owned */
	char *function, *qualifier, *payload, *payload_source, *what, *verb, *region, *endpoint;
	char *replay_table, *replay_key;
	size_t payload_len;
	enum tt_lambda_invocation type;
	bool log;
	struct tt_invoke_row *rows; /* point into row_text */
	char **row_text;            /* labels and values, owned */
	size_t nrows;
	const struct tt_policy *policy;
	struct tt_invoke_io io;
	struct tt_invoke_sink sink;
	void *ctx;

	enum tt_invoke_state state;
	struct call *calls;
	int pending; /* lookups not answered yet */
	unsigned requests;
	int64_t now_ms, sent_ms;

	char *account, *caller_arn;
	bool id_failed;
	struct tt_err id_err;
	struct tt_lambda_function fn;
	bool fn_found, fn_failed;
	struct tt_err fn_err;

	struct tt_lambda_invoke_out out;
	char *error_type, *error_message;
	struct tt_invoke_result result;
	struct tt_err err;
};

static char *dup_or_null(const char *s)
{
	return s ? tt_xstrdup(s) : NULL;
}

/* --- calls in flight ------------------------------------------------------------ */

static struct call *call_new(struct tt_invoke *job, enum call_kind kind)
{
	struct call *c = tt_xcalloc(1, sizeof(*c));

	c->job = job;
	c->kind = kind;
	c->next = job->calls;
	job->calls = c;
	return c;
}

/* Unlinks and frees c; the job it belonged to, or NULL when it is gone. */
static struct tt_invoke *call_end(struct call *c)
{
	struct tt_invoke *job = c->job;

	for (struct call **p = job ? &job->calls : NULL; p && *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			break;
		}
	free(c);
	return job;
}

/* The submit failed: the callback will not run. */
static void call_drop(struct call *c)
{
	call_end(c);
}

static void detach_calls(struct tt_invoke *job)
{
	for (struct call *c = job->calls; c; c = c->next)
		c->job = NULL;
	job->calls = NULL;
}

/* --- ending --------------------------------------------------------------------- */

/* Last thing a path does: the sink may free the job. */
static void finish(struct tt_invoke *job, enum tt_invoke_state state)
{
	job->state = state;
	if (job->sink.done)
		job->sink.done(job->ctx, job);
}

static void fail(struct tt_invoke *job, const struct tt_err *err)
{
	job->err = *err;
	finish(job, TT_INVOKE_FAILED);
}

/* --- the banner ----------------------------------------------------------------- */

const char *tt_invoke_type_text(enum tt_lambda_invocation type)
{
	return type == TT_LAMBDA_ASYNC     ? "asynchronous (Event)"
	       : type == TT_LAMBDA_DRY_RUN ? "dry run (nothing runs)"
					   : "synchronous (RequestResponse)";
}

/* The function's own ARN when Lambda told us; else built from the name. */
static char *target_arn(const struct tt_invoke *job)
{
	struct tt_lambda_ref ref;
	struct tt_err ignored;
	char *arn;

	if (job->fn_found && tt_lambda_ref_parse(job->fn.arn, &ref, &ignored) == 0) {
		arn = tt_lambda_ref_arn(&ref, NULL, NULL);
		tt_lambda_ref_clear(&ref);
		return arn;
	}
	if (tt_lambda_ref_parse(job->function, &ref, &ignored))
		return tt_xstrdup(job->function);
	arn = tt_lambda_ref_arn(&ref, job->region, job->account);
	tt_lambda_ref_clear(&ref);
	return arn;
}

static char *qualifier_text(const struct tt_invoke *job)
{
	struct tt_lambda_ref ref;
	struct tt_err ignored;
	const char *qual = job->qualifier;
	char *text;

	if (tt_lambda_ref_parse(job->function, &ref, &ignored) == 0 && *ref.qualifier)
		qual = ref.qualifier;
	if (qual && *qual && job->fn_found && *job->fn.version)
		text = tt_xasprintf("%s (version %s)", qual, job->fn.version);
	else
		text = tt_xstrdup(qual && *qual ? qual : "none ($LATEST)");
	tt_lambda_ref_clear(&ref);
	return text;
}

static void ask(struct tt_invoke *job)
{
	char *arn = target_arn(job), *qual = qualifier_text(job);
	char *lookup = job->fn_failed ? tt_xasprintf("not checked (%s: %s)", job->fn_err.code, job->fn_err.message)
				      : NULL;
	struct tt_invoke_banner b = {
	    .verb = job->verb,
	    .type = job->type,
	    .type_text = tt_invoke_type_text(job->type),
	    .account = job->account ? job->account : "",
	    .caller_arn = job->caller_arn ? job->caller_arn : "",
	    .region = job->region ? job->region : "",
	    .endpoint = job->endpoint ? job->endpoint : "",
	    .function_arn = arn,
	    .qualifier = qual,
	    .state = job->fn_found && *job->fn.state && strcmp(job->fn.state, "Active") != 0 ? job->fn.state : NULL,
	    .lookup = lookup,
	    .payload_len = job->payload_len,
	    .payload_source = job->payload_source,
	    .rows = job->rows,
	    .nrows = job->nrows,
	};

	job->state = TT_INVOKE_CONFIRMING;
	/* Strings freed after the call: the sink copies what it keeps. The
	 * sink may answer (and so reach finish, which may free the job) inside
	 * the call, so nothing of job is touched after it. */
	if (job->sink.confirm)
		job->sink.confirm(job->ctx, job, &b);
	else
		tt_invoke_confirm(job, true);
	free(arn);
	free(qual);
	free(lookup);
}

/* --- resolving ------------------------------------------------------------------ */

/* A missing function ends it here; a lookup we may not make (no
 * lambda:GetFunctionConfiguration permission, say) only costs the details. */
static bool lookup_fatal(const struct tt_invoke *job)
{
	if (!job->fn_failed)
		return false;
	return job->fn_err.kind != TT_ERR_AWS || strcmp(job->fn_err.code, "ResourceNotFoundException") == 0;
}

static void resolved(struct tt_invoke *job)
{
	struct tt_err err;

	if (job->id_failed) {
		fail(job, &job->id_err);
		return;
	}
	if (lookup_fatal(job)) {
		err = job->fn_err;
		tt_err_prefix(&err, "nothing was invoked");
		fail(job, &err);
		return;
	}
	ask(job);
}

static void lookup_answered(struct tt_invoke *job)
{
	if (--job->pending == 0)
		resolved(job);
}

static void on_identity(void *ctx, const struct tt_sts_identity *id, const struct tt_err *err)
{
	struct tt_invoke *job = call_end(ctx);

	if (!job)
		return;
	if (err) {
		job->id_err = *err;
		job->id_failed = true;
	} else {
		job->account = tt_xstrdup(id->account ? id->account : "");
		job->caller_arn = tt_xstrdup(id->arn ? id->arn : "");
	}
	lookup_answered(job);
}

static void on_config(void *ctx, struct tt_lambda_function *fn, const struct tt_err *err)
{
	struct tt_invoke *job = call_end(ctx);

	if (!job)
		return;
	if (err) {
		job->fn_err = *err;
		job->fn_failed = true;
	} else {
		job->fn = *fn;
		memset(fn, 0, sizeof(*fn));
		job->fn_found = true;
	}
	lookup_answered(job);
}

void tt_invoke_start(struct tt_invoke *job, int64_t now_ms)
{
	struct call *c;
	struct tt_err err;

	if (job->state != TT_INVOKE_NEW)
		return;
	job->now_ms = now_ms;
	tt_err_clear(&err);
	if (job->type != TT_LAMBDA_DRY_RUN && tt_policy_refuse(job->policy, job->what, &err)) {
		fail(job, &err);
		return;
	}
	job->state = TT_INVOKE_RESOLVING;
	/* One count held until both are submitted, so that an answer arriving
	 * at once cannot see the lookups as complete too early. */
	job->pending = 1;
	if (!job->account) {
		c = call_new(job, CALL_IDENTITY);
		job->pending++;
		job->requests++;
		if (job->io.identity(job->io.io, on_identity, c, &err)) {
			call_drop(c);
			job->requests--;
			fail(job, &err);
			return;
		}
	}
	c = call_new(job, CALL_CONFIG);
	job->pending++;
	job->requests++;
	if (job->io.config(job->io.io, job->function, job->qualifier, on_config, c, &err)) {
		call_drop(c);
		job->pending--;
		job->requests--;
		job->fn_failed = true;
		job->fn_err = err;
	}
	lookup_answered(job);
}

/* --- sending -------------------------------------------------------------------- */

/* The answer's first line, at most ERROR_EXCERPT_MAX bytes cut on a
 * character boundary: what stands for the message when the answer is not
 * Lambda's error document (an emulator that returns the function's raw
 * output, a custom runtime's own shape). */
enum { ERROR_EXCERPT_MAX = 200 };

static char *answer_excerpt(const char *payload, size_t len)
{
	size_t end = 0, step;
	uint32_t cp;

	while (end < len && payload[end] != '\n' && payload[end] != '\r') {
		step = tt_utf8_next(payload + end, len - end, &cp);
		if (end + (step ? step : 1) > ERROR_EXCERPT_MAX)
			break;
		end += step ? step : 1;
	}
	if (end == 0)
		return tt_xstrdup(len ? "(the answer starts with an empty line)" : "(empty answer)");
	return tt_xasprintf("%.*s%s", (int)end, payload, end < len ? "..." : "");
}

/* errorType and errorMessage from the error document Lambda sends as the
 * answer of a function error; an excerpt of the answer when it is not one. */
static void parse_function_error(struct tt_invoke *job)
{
	const char *payload = job->out.payload ? job->out.payload : "";
	json_t *doc = json_loadb(payload, job->out.payload_len, 0, NULL);
	const char *type = json_string_value(json_object_get(doc, "errorType"));
	const char *msg = json_string_value(json_object_get(doc, "errorMessage"));

	job->error_type = tt_xstrdup(type ? type : "");
	job->error_message = type || msg ? tt_xstrdup(msg ? msg : "") : answer_excerpt(payload, job->out.payload_len);
	json_decref(doc);
}

char *tt_invoke_error_text(const char *function_error, const char *type, const char *message)
{
	return tt_xasprintf("function error (%s): %s%s%s", function_error, type, *type && *message ? ": " : "",
			    message);
}

/* The result record. Its failure changes nothing: the request was sent
 * and its answer is what the person must see; the intent on disk already
 * says the action happened. */
static void record_result(struct call *c, const struct tt_invoke *job, const struct tt_lambda_invoke_out *out,
			  const struct tt_err *err)
{
	struct tt_audit_result r = {
	    .status = out ? out->status : 0,
	    .function_error = out ? out->function_error : NULL,
	    .error_type = job && out && *out->function_error ? job->error_type : NULL,
	    .request_id = out ? out->request_id : NULL,
	    .duration_ms = job ? job->now_ms - job->sent_ms : -1,
	    .error = err,
	};
	struct tt_err ignored;

	if (c->audit)
		(void)tt_audit_result(c->audit, c->audit_id, &r, &ignored);
}

static void on_invoked(void *ctx, struct tt_lambda_invoke_out *out, const struct tt_err *err)
{
	struct call *c = ctx;
	struct tt_invoke *job = c->job;

	if (!job || err) {
		record_result(c, job, err ? NULL : out, err);
		call_end(c);
		if (job)
			fail(job, err);
		return;
	}
	job->out = *out;
	memset(out, 0, sizeof(*out));
	if (*job->out.function_error)
		parse_function_error(job);
	record_result(c, job, &job->out, NULL);
	call_end(c);
	job->result = (struct tt_invoke_result){
	    .out = &job->out,
	    .error_type = job->error_type ? job->error_type : "",
	    .error_message = job->error_message ? job->error_message : "",
	    .duration_ms = job->now_ms - job->sent_ms,
	    .timeout_s = job->fn_found ? job->fn.timeout_s : 0,
	};
	finish(job, TT_INVOKE_DONE);
}

static const char *wire_type(enum tt_lambda_invocation type)
{
	return type == TT_LAMBDA_ASYNC ? "Event" : type == TT_LAMBDA_DRY_RUN ? "DryRun" : "RequestResponse";
}

/* The intent, on disk before the Invoke leaves (audit.h); dry runs are not
 * actions. -1 with err: nothing may be sent. */
static int record_intent(struct tt_invoke *job, struct call *c, struct tt_err *err)
{
	char *arn;
	int rc;

	if (!job->io.audit || job->type == TT_LAMBDA_DRY_RUN)
		return 0;
	arn = target_arn(job);
	rc = tt_audit_intent(job->io.audit,
			     &(struct tt_audit_intent){
				 .identity = job->caller_arn,
				 .account = job->account,
				 .region = job->region,
				 .endpoint = job->endpoint,
				 .function = job->function,
				 .function_arn = arn,
				 .qualifier = job->qualifier,
				 .invocation_type = wire_type(job->type),
				 .payload = job->payload,
				 .payload_len = job->payload_len,
				 .replay_table = job->replay_table,
				 .replay_key = job->replay_key,
			     },
			     c->audit_id, err);
	free(arn);
	if (rc) {
		tt_err_prefix(err, "nothing was invoked");
		return -1;
	}
	c->audit = job->io.audit;
	return 0;
}

void tt_invoke_confirm(struct tt_invoke *job, bool yes)
{
	struct tt_lambda_invoke_in in = {
	    .function = job->function,
	    .qualifier = job->qualifier,
	    .type = job->type,
	    .tail_log = job->log,
	    .payload = job->payload,
	    .payload_len = job->payload_len,
	    .timeout_s = job->fn_found ? job->fn.timeout_s : 0,
	};
	struct call *c;
	struct tt_err err;

	if (job->state != TT_INVOKE_CONFIRMING)
		return;
	if (!yes) {
		finish(job, TT_INVOKE_DECLINED);
		return;
	}
	job->state = TT_INVOKE_SENDING;
	job->sent_ms = job->now_ms;
	c = call_new(job, CALL_INVOKE);
	tt_err_clear(&err);
	if (record_intent(job, c, &err)) {
		call_drop(c);
		fail(job, &err);
		return;
	}
	/* Counted first: an answer could end the job (and the sink free it)
	 * before the call returns. */
	job->requests++;
	if (job->io.invoke(job->io.io, &in, on_invoked, c, &err)) {
		record_result(c, job, NULL, &err);
		call_drop(c);
		job->requests--;
		fail(job, &err);
	}
}

/* --- the job -------------------------------------------------------------------- */

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

struct tt_invoke *tt_invoke_new(const struct tt_invoke_opts *o, const struct tt_invoke_io *io,
				const struct tt_invoke_sink *sink, void *ctx, struct tt_err *err)
{
	struct tt_invoke *job;

	if (tt_invoke_check_target(o->function, o->qualifier, err) ||
	    tt_lambda_check_payload(o->type, o->payload_len, err))
		return NULL;
	job = tt_xcalloc(1, sizeof(*job));
	job->function = tt_xstrdup(o->function);
	job->qualifier = dup_or_null(o->qualifier);
	job->payload = tt_xmalloc(o->payload_len + 1);
	if (o->payload_len)
		memcpy(job->payload, o->payload, o->payload_len);
	job->payload[o->payload_len] = '\0';
	job->payload_len = o->payload_len;
	job->payload_source = tt_xstrdup(o->payload_source ? o->payload_source : "the caller");
	job->what = o->what ? tt_xstrdup(o->what) : tt_xasprintf("invoke %s", o->function);
	job->verb = tt_xstrdup(o->verb ? o->verb : "Invoke");
	job->region = dup_or_null(o->region);
	job->endpoint = dup_or_null(o->endpoint);
	job->replay_table = dup_or_null(o->replay_table);
	job->replay_key = dup_or_null(o->replay_key);
	job->account = dup_or_null(o->account);
	job->caller_arn = o->account ? tt_xstrdup(o->caller_arn ? o->caller_arn : "") : NULL;
	job->type = o->type;
	job->log = o->log;
	job->policy = o->policy;
	if (o->nrows) {
		job->rows = tt_xcalloc(o->nrows, sizeof(*job->rows));
		job->row_text = tt_xcalloc(2 * o->nrows, sizeof(char *));
		for (size_t i = 0; i < o->nrows; i++) {
			job->row_text[2 * i] = tt_xstrdup(o->rows[i].label ? o->rows[i].label : "");
			job->row_text[2 * i + 1] = tt_xstrdup(o->rows[i].value ? o->rows[i].value : "");
			job->rows[i].label = job->row_text[2 * i];
			job->rows[i].value = job->row_text[2 * i + 1];
		}
		job->nrows = o->nrows;
	}
	job->io = *io;
	if (sink)
		job->sink = *sink;
	job->ctx = ctx;
	return job;
}

void tt_invoke_free(struct tt_invoke **jp)
{
	struct tt_invoke *job = *jp;

	if (!job)
		return;
	detach_calls(job);
	free(job->function);
	free(job->qualifier);
	free(job->payload);
	free(job->payload_source);
	free(job->what);
	free(job->verb);
	free(job->region);
	free(job->endpoint);
	free(job->replay_table);
	free(job->replay_key);
	for (size_t i = 0; i < 2 * job->nrows; i++)
		free(job->row_text[i]);
	free(job->row_text);
	free(job->rows);
	free(job->account);
	free(job->caller_arn);
	tt_lambda_function_clear(&job->fn);
	tt_lambda_invoke_out_clear(&job->out);
	free(job->error_type);
	free(job->error_message);
	free(job);
	*jp = NULL;
}

void tt_invoke_cancel(struct tt_invoke *job)
{
	if (tt_invoke_finished(job))
		return;
	detach_calls(job);
	job->state = TT_INVOKE_CANCELLED;
}

void tt_invoke_clock(struct tt_invoke *job, int64_t now_ms)
{
	job->now_ms = now_ms;
}

enum tt_invoke_state tt_invoke_state(const struct tt_invoke *job)
{
	return job->state;
}

bool tt_invoke_finished(const struct tt_invoke *job)
{
	return job->state == TT_INVOKE_DONE || job->state == TT_INVOKE_FAILED ||
	       job->state == TT_INVOKE_DECLINED || job->state == TT_INVOKE_CANCELLED;
}

const struct tt_err *tt_invoke_error(const struct tt_invoke *job)
{
	return job->state == TT_INVOKE_FAILED ? &job->err : NULL;
}

const struct tt_invoke_result *tt_invoke_result(const struct tt_invoke *job)
{
	return job->state == TT_INVOKE_DONE ? &job->result : NULL;
}

unsigned tt_invoke_requests(const struct tt_invoke *job)
{
	return job->requests;
}

/* --- the real io ---------------------------------------------------------------- */

static int aws_identity(void *io, tt_sts_identity_fn done, void *ctx, struct tt_err *err)
{
	return tt_sts_get_caller_identity(io, done, ctx, err);
}

static int aws_config(void *io, const char *function, const char *qualifier, tt_lambda_function_fn done,
		      void *ctx, struct tt_err *err)
{
	return tt_lambda_get_function_configuration(io, function, qualifier, done, ctx, err);
}

static int aws_invoke(void *io, const struct tt_lambda_invoke_in *in, tt_lambda_invoke_fn done, void *ctx,
		      struct tt_err *err)
{
	return tt_lambda_invoke(io, in, done, ctx, err);
}

void tt_invoke_io_aws(struct tt_invoke_io *io, struct tt_aws *aws)
{
	io->identity = aws_identity;
	io->config = aws_config;
	io->invoke = aws_invoke;
	io->io = aws;
	io->audit = tt_audit_default();
}
