/* The invocation job with a fake AWS (invoke_fakes.h) and a test clock: the banner it asks
 * with, what a "no" and read-only mode send (nothing), a function error, a
 * network error, a missing function, and answers arriving after the job was
 * freed or cancelled. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invoke_fakes.h"
#include "tap.h"
#include "tiertop/invoke.h"
#include "tiertop/policy.h"

/* --- the fake's answers --------------------------------------------------------- */

static const char FN_JSON[] = "{\"FunctionName\":\"submit\",\"FunctionArn\":"
			      "\"arn:aws:lambda:us-east-1:111122223333:function:submit:live\","
			      "\"Version\":\"1\",\"Timeout\":30,\"State\":\"Active\"}";

static const struct fio_canned CANNED = {FN_JSON, "1", "req-1"};

/* --- the sink ------------------------------------------------------------------ */

struct seen {
	int asked, done;
	bool answer_now; /* answer inside the confirm callback, as a dialog that auto-confirms */
	bool free_in_done;
	struct tt_invoke **jobp;
	char account[64], caller[128], region[32], endpoint[128], function[128], qualifier[64], type[64];
	char source[64], row[64], lookup[256];
	size_t payload_len;
};

static void on_confirm(void *ctx, struct tt_invoke *job, const struct tt_invoke_banner *b)
{
	struct seen *s = ctx;

	s->asked++;
	snprintf(s->account, sizeof(s->account), "%s", b->account);
	snprintf(s->caller, sizeof(s->caller), "%s", b->caller_arn);
	snprintf(s->region, sizeof(s->region), "%s", b->region);
	snprintf(s->endpoint, sizeof(s->endpoint), "%s", b->endpoint);
	snprintf(s->function, sizeof(s->function), "%s", b->function_arn);
	snprintf(s->qualifier, sizeof(s->qualifier), "%s", b->qualifier);
	snprintf(s->type, sizeof(s->type), "%s", b->type_text);
	snprintf(s->source, sizeof(s->source), "%s", b->payload_source);
	snprintf(s->lookup, sizeof(s->lookup), "%s", b->lookup ? b->lookup : "");
	snprintf(s->row, sizeof(s->row), "%s=%s", b->nrows ? b->rows[0].label : "",
		 b->nrows ? b->rows[0].value : "");
	s->payload_len = b->payload_len;
	if (s->answer_now)
		tt_invoke_confirm(job, true);
}

static void on_done(void *ctx, struct tt_invoke *job)
{
	struct seen *s = ctx;

	(void)job;
	s->done++;
	if (s->free_in_done)
		tt_invoke_free(s->jobp);
}

static const struct tt_invoke_sink SINK = {on_confirm, on_done};

static const char PAYLOAD[] = "{\"hello\":1}";
static const struct tt_invoke_row ROWS[] = {{"table", "Feedback"}};

static struct tt_invoke *new_job(struct seen *s, const struct tt_policy *policy, enum tt_lambda_invocation type)
{
	struct tt_invoke_opts o = {
	    .function = "submit",
	    .qualifier = "live",
	    .type = type,
	    .log = type == TT_LAMBDA_SYNC,
	    .payload = PAYLOAD,
	    .payload_len = strlen(PAYLOAD),
	    .payload_source = "--payload",
	    .verb = "Invoke",
	    .rows = ROWS,
	    .nrows = 1,
	    .region = "us-east-1",
	    .endpoint = "http://127.0.0.1:4566 (--endpoint-url)",
	    .policy = policy,
	};
	struct tt_err err;
	struct tt_invoke *job;

	fio_reset(&CANNED);
	memset(s, 0, sizeof(*s));
	job = tt_invoke_new(&o, &fio_io, &SINK, s, &err);
	tap_ok(job != NULL, "the job is made");
	return job;
}

/* --- the tests ----------------------------------------------------------------- */

static void test_happy_path(void)
{
	struct seen s;
	struct tt_invoke *job = new_job(&s, NULL, TT_LAMBDA_SYNC);
	const struct tt_invoke_result *res;

	tt_invoke_start(job, 1000);
	tap_ok(fio_log.identity_calls == 1 && fio_log.config_calls == 1 && fio_log.invoke_calls == 0,
	       "start: the identity and the function are looked up, nothing invoked");
	tap_str_eq(fio_log.qualifier, "live", "start: the lookup names the qualifier");
	fio_answer_config();
	tap_ok(s.asked == 0, "one lookup answered: not asked yet");
	fio_answer_identity();
	tap_ok(s.asked == 1 && tt_invoke_state(job) == TT_INVOKE_CONFIRMING, "both answered: asked once");
	tap_str_eq(s.account, "111122223333", "banner: account");
	tap_str_eq(s.caller, "arn:aws:iam::111122223333:user/ops", "banner: caller");
	tap_str_eq(s.region, "us-east-1", "banner: region");
	tap_str_eq(s.endpoint, "http://127.0.0.1:4566 (--endpoint-url)", "banner: endpoint");
	tap_str_eq(s.function, "arn:aws:lambda:us-east-1:111122223333:function:submit", "banner: the function's ARN");
	tap_str_eq(s.qualifier, "live (version 1)", "banner: the qualifier and its version");
	tap_str_eq(s.type, "synchronous (RequestResponse)", "banner: the invocation type");
	tap_ok(s.payload_len == strlen(PAYLOAD), "banner: the payload size");
	tap_str_eq(s.source, "--payload", "banner: where the payload came from");
	tap_str_eq(s.row, "table=Feedback", "banner: the caller's rows");
	tap_ok(fio_log.invoke_calls == 0, "nothing sent before the answer");

	tt_invoke_clock(job, 5000);
	tt_invoke_confirm(job, true);
	tap_ok(fio_log.invoke_calls == 1 && tt_invoke_state(job) == TT_INVOKE_SENDING, "yes: the Invoke is sent");
	tap_str_eq(fio_log.payload, PAYLOAD, "the payload is sent as given");
	tap_ok(fio_log.timeout_s == 30, "the function's timeout bounds the call");
	tt_invoke_confirm(job, true);
	tap_ok(fio_log.invoke_calls == 1, "a second yes sends nothing more");
	tt_invoke_clock(job, 5250);
	fio_answer_invoke("", "{\"ok\":true}", "START RequestId: r\n");
	res = tt_invoke_result(job);
	tap_ok(s.done == 1 && res && tt_invoke_state(job) == TT_INVOKE_DONE, "done once, with a result");
	if (res) {
		tap_ok(res->out->status == 200, "result: status");
		tap_str_eq(res->out->request_id, "req-1", "result: request id");
		tap_str_eq(res->out->executed_version, "1", "result: executed version");
		tap_str_eq(res->out->payload, "{\"ok\":true}", "result: the payload");
		tap_str_eq(res->out->log, "START RequestId: r\n", "result: the tail log");
		tap_ok(res->duration_ms == 250, "result: the duration by the caller's clock (%lld)",
		       (long long)res->duration_ms);
		tap_ok(*res->error_type == '\0' && *res->out->function_error == '\0', "result: no function error");
	}
	tap_ok(tt_invoke_requests(job) == 3, "three requests in all");
	tt_invoke_free(&job);
	tap_ok(job == NULL, "free clears the pointer");
}

static void test_declined(void)
{
	struct seen s;
	struct tt_invoke *job = new_job(&s, NULL, TT_LAMBDA_SYNC);

	tt_invoke_start(job, 0);
	fio_answer_lookups();
	tt_invoke_confirm(job, false);
	tap_ok(tt_invoke_state(job) == TT_INVOKE_DECLINED && s.done == 1, "no: declined, done once");
	tap_ok(fio_log.invoke_calls == 0, "no: nothing sent");
	tt_invoke_confirm(job, true);
	tap_ok(fio_log.invoke_calls == 0, "a yes after the no sends nothing");
	tt_invoke_free(&job);
}

static void test_read_only(void)
{
	struct tt_policy p;
	struct seen s;
	struct tt_invoke *job;
	const struct tt_err *err;

	tt_policy_init(&p, false, "1", NULL, NULL);
	job = new_job(&s, &p, TT_LAMBDA_SYNC);
	tt_invoke_start(job, 0);
	err = tt_invoke_error(job);
	tap_ok(tt_invoke_state(job) == TT_INVOKE_FAILED && s.done == 1 && s.asked == 0, "read-only: failed, not asked");
	tap_ok(fio_log.identity_calls + fio_log.config_calls + fio_log.invoke_calls == 0 && tt_invoke_requests(job) == 0,
	       "read-only: no request at all");
	tap_str_eq(err ? err->message : NULL,
		   "read-only mode (TIERTOP_READ_ONLY): refusing to invoke submit; nothing was sent",
		   "read-only: the source named");
	tt_invoke_free(&job);

	job = new_job(&s, &p, TT_LAMBDA_DRY_RUN);
	tt_invoke_start(job, 0);
	tap_ok(tt_invoke_state(job) == TT_INVOKE_RESOLVING && fio_log.config_calls == 1,
	       "read-only: a dry run (nothing runs) is allowed");
	tt_invoke_free(&job);
	/* The lookups answer after the job is gone: dropped. */
	fio_answer_lookups();
	tap_ok(s.asked == 0 && s.done == 0, "answers after free are dropped");
	tt_policy_clear(&p);
}

/* A job confirmed inside the question, its lookups answered, then its
 * Invoke answered with a function error. The caller frees the job. */
static struct tt_invoke *function_error_job(struct seen *s, const char *kind, const char *payload)
{
	struct tt_invoke *job = new_job(s, NULL, TT_LAMBDA_SYNC);

	s->answer_now = true;
	tt_invoke_start(job, 0);
	fio_answer_lookups();
	tap_ok(s->asked == 1 && fio_log.invoke_calls == 1, "a yes given inside the question sends at once");
	fio_answer_invoke(kind, payload, "");
	return job;
}

static void test_function_error(void)
{
	struct seen s;
	struct tt_invoke *job =
	    function_error_job(&s, "Unhandled", "{\"errorType\":\"SpamRejected\",\"errorMessage\":\"no spam\"}");
	const struct tt_invoke_result *res = tt_invoke_result(job);

	tap_ok(res && tt_invoke_state(job) == TT_INVOKE_DONE, "a function error is an answer, not a failure");
	if (res) {
		tap_str_eq(res->out->function_error, "Unhandled", "function error: the kind");
		tap_str_eq(res->error_type, "SpamRejected", "function error: errorType");
		tap_str_eq(res->error_message, "no spam", "function error: errorMessage");
	}
	tt_invoke_free(&job);
}

/* "errorType|errorMessage" of a Handled function error answered with
 * payload. */
static const char *error_message_for(const char *payload)
{
	static char got[512];
	struct seen s;
	struct tt_invoke *job = function_error_job(&s, "Handled", payload);
	const struct tt_invoke_result *res = tt_invoke_result(job);

	snprintf(got, sizeof(got), "%s|%s", res ? res->error_type : "(no result)", res ? res->error_message : "");
	tt_invoke_free(&job);
	return got;
}

/* An answer that is not Lambda's error document: its first line stands for
 * the message. */
static void test_function_error_not_a_document(void)
{
	char *long_line = tt_xasprintf("%0300d", 7);
	char *want = tt_xasprintf("|%.200s...", long_line);
	char *text;

	tap_str_eq(error_message_for("Traceback (most recent call last):\n  File x"),
		   "|Traceback (most recent call last):...", "raw text: its first line stands for the message");
	tap_str_eq(error_message_for("\"just a string\""), "|\"just a string\"", "a JSON string: shown as sent, whole");
	tap_str_eq(error_message_for("{\"errorMessage\":\"only a message\"}"), "|only a message",
		   "a document with only errorMessage keeps it");
	tap_str_eq(error_message_for(""), "|(empty answer)", "an empty answer says so");
	tap_str_eq(error_message_for(long_line), want, "a long line is cut at 200 bytes");
	free(long_line);
	/* 199 bytes then a two-byte "é" that would end at byte 201. */
	long_line = tt_xasprintf("%0199d\xc3\xa9tail", 7);
	free(want);
	want = tt_xasprintf("|%.199s...", long_line);
	tap_str_eq(error_message_for(long_line), want, "... on a character boundary");
	text = tt_invoke_error_text("Handled", "", "boom");
	tap_str_eq(text, "function error (Handled): boom", "no type: no empty separator");
	free(text);
	text = tt_invoke_error_text("Unhandled", "SpamRejected", "no spam");
	tap_str_eq(text, "function error (Unhandled): SpamRejected: no spam", "type and message");
	free(text);
	free(long_line);
	free(want);
}

static void test_network_error(void)
{
	struct seen s;
	struct tt_invoke *job = new_job(&s, NULL, TT_LAMBDA_SYNC);
	struct tt_err err;
	const struct tt_err *got;

	tt_invoke_start(job, 0);
	fio_answer_lookups();
	tt_invoke_confirm(job, true);
	tt_err_set(&err, TT_ERR_NETWORK, "connection reset; not retried");
	fio_answer_invoke_error(&err);
	got = tt_invoke_error(job);
	tap_ok(tt_invoke_state(job) == TT_INVOKE_FAILED && s.done == 1 && got && got->kind == TT_ERR_NETWORK,
	       "a network error fails the job");
	tap_ok(tt_invoke_result(job) == NULL, "... with no result");
	tt_invoke_free(&job);

	job = new_job(&s, NULL, TT_LAMBDA_SYNC);
	fio_log.refuse_invoke = true;
	tt_invoke_start(job, 0);
	fio_answer_lookups();
	tt_invoke_confirm(job, true);
	tap_ok(tt_invoke_state(job) == TT_INVOKE_FAILED && s.done == 1 && tt_invoke_requests(job) == 2,
	       "an Invoke that cannot be submitted fails the job, not counted");
	tt_invoke_free(&job);
}

static void test_lookups(void)
{
	struct seen s;
	struct tt_invoke *job = new_job(&s, NULL, TT_LAMBDA_SYNC);
	const struct tt_err *err;

	tt_invoke_start(job, 0);
	fio_answer_identity();
	fio_answer_config_error("ResourceNotFoundException", "Function not found: submit");
	err = tt_invoke_error(job);
	tap_ok(tt_invoke_state(job) == TT_INVOKE_FAILED && s.asked == 0 && fio_log.invoke_calls == 0,
	       "a missing function: failed, not asked, nothing invoked");
	tap_str_eq(err ? err->message : NULL, "nothing was invoked: Function not found: submit",
		   "a missing function: says nothing was invoked");
	tt_invoke_free(&job);

	job = new_job(&s, NULL, TT_LAMBDA_SYNC);
	tt_invoke_start(job, 0);
	fio_answer_config_error("AccessDeniedException", "not allowed");
	fio_answer_identity();
	tap_ok(s.asked == 1, "a lookup we may not make: still asked");
	tap_str_eq(s.lookup, "not checked (AccessDeniedException: not allowed)", "... the banner says why");
	tap_str_eq(s.function, "arn:aws:lambda:us-east-1:111122223333:function:submit",
		   "... and the ARN is built from the name and the identity");
	tap_str_eq(s.qualifier, "live", "... the qualifier without a version");
	tt_invoke_free(&job);
}

static void test_identity_given(void)
{
	struct tt_invoke_opts o = {.function = "submit", .payload = "{}", .payload_len = 2, .region = "eu-west-1",
				   .account = "999988887777", .caller_arn = "arn:aws:iam::999988887777:role/x"};
	struct seen s;
	struct tt_err err;
	struct tt_invoke *job;

	fio_reset(&CANNED);
	memset(&s, 0, sizeof(s));
	job = tt_invoke_new(&o, &fio_io, &SINK, &s, &err);
	tt_invoke_start(job, 0);
	tap_ok(fio_log.identity_calls == 0 && fio_log.config_calls == 1, "an identity given: STS is not asked");
	fio_answer_config_error("AccessDeniedException", "no");
	tap_ok(s.asked == 1, "asked after the one lookup");
	tap_str_eq(s.account, "999988887777", "the given account is shown");
	tap_str_eq(s.qualifier, "none ($LATEST)", "no qualifier: $LATEST");
	tt_invoke_free(&job);
}

static void test_cancel(void)
{
	struct seen s;
	struct tt_invoke *job = new_job(&s, NULL, TT_LAMBDA_SYNC);

	tt_invoke_start(job, 0);
	fio_answer_lookups();
	tt_invoke_confirm(job, true);
	tt_invoke_free(&job);
	fio_answer_invoke("", "{}", "");
	tap_ok(s.done == 0, "freed while the Invoke is in flight: the answer is dropped");

	job = new_job(&s, NULL, TT_LAMBDA_SYNC);
	tt_invoke_start(job, 0);
	fio_answer_lookups();
	tt_invoke_confirm(job, true);
	tt_invoke_cancel(job);
	fio_answer_invoke("", "{}", "");
	tap_ok(tt_invoke_state(job) == TT_INVOKE_CANCELLED && s.done == 0 && tt_invoke_finished(job),
	       "cancelled: the answer is dropped, the job stays readable");
	tt_invoke_free(&job);

	job = new_job(&s, NULL, TT_LAMBDA_SYNC);
	s.free_in_done = true;
	s.jobp = &job;
	tt_invoke_start(job, 0);
	fio_answer_lookups();
	tt_invoke_confirm(job, false);
	tap_ok(job == NULL && s.done == 1, "the sink may free the job when it is told it ended");
}

static void test_bad_options(void)
{
	struct tt_invoke_opts o = {.function = "not a name!", .payload = "{}", .payload_len = 2};
	struct tt_err err;

	tap_ok(tt_invoke_new(&o, &fio_io, &SINK, NULL, &err) == NULL && err.kind == TT_ERR_USAGE,
	       "a bad function name is refused when the job is made");
	o.function = "submit:live";
	o.qualifier = "blue";
	tap_ok(tt_invoke_new(&o, &fio_io, &SINK, NULL, &err) == NULL && strstr(err.message, "--qualifier says blue"),
	       "a qualifier that contradicts the name is refused");
	o.qualifier = NULL;
	o.type = TT_LAMBDA_ASYNC;
	o.payload_len = TT_LAMBDA_ASYNC_PAYLOAD_MAX + 1;
	tap_ok(tt_invoke_new(&o, &fio_io, &SINK, NULL, &err) == NULL && err.kind == TT_ERR_USAGE,
	       "a payload over the async limit is refused");
}

int main(void)
{
	test_happy_path();
	test_declined();
	test_read_only();
	test_function_error();
	test_function_error_not_a_document();
	test_network_error();
	test_lookups();
	test_identity_given();
	test_cancel();
	test_bad_options();
	return tap_done();
}
