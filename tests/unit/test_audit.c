/* The audit log in a temporary directory: the records and their fields,
 * the file's and directories' modes, a symlink refused, the default path;
 * and the invoke job around it with a fake AWS: the intent is on disk when
 * the Invoke leaves (the shared fake, invoke_fakes.h, checks), the result after, and every failure
 * path (log unwritable: nothing sent; Invoke failed or not submitted; the
 * job freed before the answer; a dry run, not recorded). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "invoke_fakes.h"
#include "tap.h"
#include "testutil.h"
#include "tiertop/audit.h"
#include "tiertop/invoke.h"
#include "tiertop/xalloc.h"

#define WALL_MS 1780000000123LL /* 2026-05-28T20:26:40.123Z */

static int64_t test_wall(void)
{
	return WALL_MS;
}

static char *dir;

static char *path_in(const char *rel)
{
	return tt_xasprintf("%s/%s", dir, rel);
}

/* Every line of path as JSON; n set. */
static json_t **records(const char *path, size_t *n)
{
	char *text = tu_read_file(path, NULL);
	json_t **out = NULL;

	*n = 0;
	for (char *line = text ? strtok(text, "\n") : NULL; line; line = strtok(NULL, "\n")) {
		out = tt_xrealloc(out, (*n + 1) * sizeof(*out));
		out[(*n)++] = json_loads(line, 0, NULL);
	}
	free(text);
	return out;
}

static void records_free(json_t **r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_decref(r[i]);
	free(r);
}

static const char *field(json_t *rec, const char *name)
{
	return json_string_value(json_object_get(rec, name));
}

/* --- the records ----------------------------------------------------------------- */

static void test_records(void)
{
	char *path = path_in("state/tiertop/audit.jsonl"), *tdir = path_in("state/tiertop");
	struct tt_audit log = {path, test_wall};
	struct tt_audit_intent in = {
	    .identity = "arn:aws:iam::111122223333:user/ops",
	    .account = "111122223333",
	    .region = "us-east-1",
	    .endpoint = "http://127.0.0.1:4566 (--endpoint-url)",
	    .function = "submit",
	    .qualifier = "live",
	    .invocation_type = "RequestResponse",
	    .payload = "abc",
	    .payload_len = 3,
	    .replay_table = "Feedback",
	    .replay_key = "{\"id\":\"f-1\"}",
	};
	struct tt_audit_result res = {.status = 200, .function_error = "Unhandled", .error_type = "SpamRejected",
				      .request_id = "req-1", .duration_ms = 42};
	char id[TT_AUDIT_ID_LEN];
	struct tt_err err;
	struct stat st;
	json_t **r;
	size_t n;

	tap_ok(tt_audit_intent(&log, &in, id, &err) == 0, "an intent is written, the directories made");
	tap_ok(strlen(id) == 32, "its id is 32 hex digits");
	tap_ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "the file is 0600");
	tap_ok(stat(tdir, &st) == 0 && (st.st_mode & 0777) == 0700, "a directory it made is 0700");
	tap_ok(tt_audit_result(&log, id, &res, &err) == 0, "its result is written");
	r = records(path, &n);
	tap_ok(n == 2 && r[0] && r[1], "two lines, each one JSON object");
	if (n == 2 && r[0] && r[1]) {
		tap_str_eq(field(r[0], "record"), "intent", "first the intent");
		tap_str_eq(field(r[0], "id"), id, "intent: the id");
		tap_str_eq(field(r[0], "time"), "2026-05-28T20:26:40.123Z", "intent: the time, UTC, to the ms");
		tap_str_eq(field(r[0], "action"), "replay", "intent: a replay (it has a source item)");
		tap_str_eq(field(r[0], "identity"), "arn:aws:iam::111122223333:user/ops", "intent: identity");
		tap_str_eq(field(r[0], "account"), "111122223333", "intent: account");
		tap_str_eq(field(r[0], "region"), "us-east-1", "intent: region");
		tap_str_eq(field(r[0], "endpoint"), "http://127.0.0.1:4566 (--endpoint-url)", "intent: endpoint");
		tap_str_eq(field(r[0], "function"), "submit", "intent: function");
		tap_str_eq(field(r[0], "qualifier"), "live", "intent: qualifier");
		tap_str_eq(field(r[0], "invocation_type"), "RequestResponse", "intent: invocation type");
		tap_ok(json_integer_value(json_object_get(r[0], "payload_size")) == 3, "intent: payload size");
		tap_str_eq(field(r[0], "payload_sha256"),
			   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
			   "intent: the payload's SHA-256");
		tap_str_eq(field(json_object_get(r[0], "replay"), "table"), "Feedback", "intent: the source table");
		tap_str_eq(field(json_object_get(json_object_get(r[0], "replay"), "key"), "id"), "f-1",
			   "intent: the source key, as an object");
		tap_str_eq(field(r[1], "record"), "result", "then the result");
		tap_str_eq(field(r[1], "id"), id, "result: the intent's id");
		tap_ok(json_integer_value(json_object_get(r[1], "status")) == 200, "result: status");
		tap_str_eq(field(r[1], "function_error"), "Unhandled", "result: function error");
		tap_str_eq(field(r[1], "error_type"), "SpamRejected", "result: its type");
		tap_str_eq(field(r[1], "request_id"), "req-1", "result: request id");
		tap_ok(json_integer_value(json_object_get(r[1], "duration_ms")) == 42, "result: duration");
	}
	records_free(r, n);
	free(path);
	free(tdir);
}

static void test_error_result(void)
{
	char *path = path_in("err.jsonl");
	struct tt_audit log = {path, test_wall};
	struct tt_err failure, err;
	json_t **r;
	size_t n;

	tt_err_set(&failure, TT_ERR_NETWORK, "connection reset");
	tap_ok(tt_audit_result(&log, "abc", &(struct tt_audit_result){.error = &failure, .duration_ms = -1},
			       &err) == 0,
	       "an error result is written");
	r = records(path, &n);
	tap_ok(n == 1 && r[0], "one line");
	if (n == 1 && r[0]) {
		json_t *e = json_object_get(r[0], "error");
		tap_str_eq(field(e, "kind"), "network", "error: its kind");
		tap_str_eq(field(e, "message"), "connection reset", "error: its message");
		tap_ok(!json_object_get(r[0], "status") && !json_object_get(r[0], "duration_ms"),
		       "error: no status, no unknown duration");
	}
	records_free(r, n);
	free(path);
}

static void test_symlink_refused(void)
{
	char *path = path_in("link.jsonl"), *target = path_in("target");
	struct tt_audit log = {path, test_wall};
	struct tt_audit_intent in = {.function = "f", .payload = "{}", .payload_len = 2};
	char id[TT_AUDIT_ID_LEN], *text;
	struct tt_err err;

	tu_write_file(target, "");
	tap_ok(symlink(target, path) == 0, "a symlink where the log goes");
	tap_ok(tt_audit_intent(&log, &in, id, &err) == -1, "refused");
	tap_ok(err.kind == TT_ERR_FAILURE && strstr(err.message, "symbolic link"), "says it is a symbolic link");
	text = tu_read_file(target, NULL);
	tap_ok(text && !*text, "nothing written through it");
	free(text);
	free(path);
	free(target);
}

static void test_loose_file_tightened(void)
{
	char *path = path_in("loose.jsonl");
	struct tt_audit log = {path, test_wall};
	struct tt_audit_intent in = {.function = "f"};
	char id[TT_AUDIT_ID_LEN];
	struct tt_err err;
	struct stat st;

	tu_write_file(path, "");
	chmod(path, 0644);
	tap_ok(tt_audit_intent(&log, &in, id, &err) == 0, "an existing 0644 log is written");
	tap_ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "and made 0600");
	free(path);
}

static void test_default_path(void)
{
	struct tt_err err;
	char *p;

	setenv("XDG_STATE_HOME", "/x/state", 1);
	setenv("HOME", "/home/u", 1);
	p = tt_audit_default_path(&err);
	tap_str_eq(p, "/x/state/tiertop/audit.jsonl", "default: under XDG_STATE_HOME");
	free(p);
	setenv("XDG_STATE_HOME", "relative", 1);
	p = tt_audit_default_path(&err);
	tap_str_eq(p, "/home/u/.local/state/tiertop/audit.jsonl", "a relative XDG_STATE_HOME is ignored");
	free(p);
	unsetenv("XDG_STATE_HOME");
	unsetenv("HOME");
	p = tt_audit_default_path(&err);
	tap_ok(!p && err.kind == TT_ERR_CONFIG, "neither set: an error");
	free(p);
}

static void test_load(void)
{
	char *path = path_in("load.jsonl");
	struct tt_audit_entries e;
	struct tt_err err;

	tu_write_file(path,
		      "{\"id\":\"a\",\"time\":\"2026-01-01T00:00:00.000Z\",\"record\":\"intent\",\"function\":\"old\"}\n"
		      "{\"id\":\"b\",\"time\":\"2026-01-02T00:00:00.500Z\",\"record\":\"intent\",\"function\":\"f1\"}\n"
		      "{\"id\":\"c\",\"time\":\"2026-01-02T00:00:01.000Z\",\"record\":\"intent\",\"function\":\"f2\"}\n"
		      "{\"id\":\"b\",\"time\":\"2026-01-02T00:00:02.000Z\",\"record\":\"result\",\"status\":200}\n"
		      "{\"id\":\"d\",\"time\":\"2026-01-02T0");
	tap_ok(tt_audit_load(path, 1767312000000LL, &e, &err) == 0, "load since 2026-01-02");
	tap_ok(e.n == 2, "the older action is left out (%zu)", e.n);
	if (e.n == 2) {
		tap_str_eq(field(e.items[0].intent, "function"), "f1", "in the order written");
		tap_ok(e.items[0].result && json_integer_value(json_object_get(e.items[0].result, "status")) == 200,
		       "the result joined to its intent");
		tap_ok(e.items[1].result == NULL, "an intent without a result has none");
		tap_ok(e.items[0].time_ms == 1767312000500LL, "the intent's time, ms");
	}
	tap_ok(e.bad_lines == 1, "a torn last line is counted, not fatal");
	tt_audit_entries_clear(&e);
	free(path);
	path = path_in("none.jsonl");
	tap_ok(tt_audit_load(path, 0, &e, &err) == 0 && e.n == 0, "no file: no actions");
	free(path);
}

/* --- the invoke job around it ------------------------------------------------------ */

static const struct fio_canned canned = {
    "{\"FunctionName\":\"submit\",\"FunctionArn\":\"arn:aws:lambda:us-east-1:111122223333:function:submit\","
    "\"Timeout\":3}",
    "1", "req-7"};

static void answer(void)
{
	fio_answer_invoke("", "{}", "");
}

static struct tt_audit job_log;

static struct tt_invoke *new_job(const char *log_path, enum tt_lambda_invocation type)
{
	struct tt_invoke_io io = {.config = fio_config, .invoke = fio_invoke, .audit = &job_log};
	struct tt_invoke_opts o = {
	    .function = "submit",
	    .type = type,
	    .payload = "{}",
	    .payload_len = 2,
	    .region = "us-east-1",
	    .endpoint = "http://sim (--endpoint-url)",
	    .account = "111122223333",
	    .caller_arn = "arn:aws:iam::111122223333:user/ops",
	};
	struct tt_err err;
	struct tt_invoke *job;

	fio_reset(&canned);
	fio_log.audit_path = log_path;
	job_log = (struct tt_audit){log_path, test_wall};
	job = tt_invoke_new(&o, &io, NULL, NULL, &err);
	tt_invoke_start(job, 100); /* no sink: confirmed once the function is known */
	fio_answer_config();
	return job;
}

static void test_job_intent_before_send(void)
{
	char *path = path_in("job.jsonl");
	struct tt_invoke *job = new_job(path, TT_LAMBDA_SYNC);
	json_t **r;
	size_t n;

	tap_ok(fio_log.invoke_calls == 1, "job: the Invoke is sent");
	tap_ok(fio_log.intent_there, "job: the intent was in the file when it left");
	tap_ok(!fio_log.result_there, "job: and no result yet");
	tt_invoke_clock(job, 350);
	answer();
	tap_ok(tt_invoke_state(job) == TT_INVOKE_DONE, "job: done");
	r = records(path, &n);
	tap_ok(n == 2 && r[1], "job: then the result");
	if (n == 2 && r[0] && r[1]) {
		tap_str_eq(field(r[1], "id"), field(r[0], "id"), "job: the result names the intent");
		tap_str_eq(field(r[1], "request_id"), "req-7", "job: the request id");
		tap_ok(json_integer_value(json_object_get(r[1], "duration_ms")) == 250, "job: the duration");
		tap_str_eq(field(r[0], "action"), "invoke", "job: an invoke");
		tap_str_eq(field(r[0], "identity"), "arn:aws:iam::111122223333:user/ops", "job: the identity");
		tap_str_eq(field(r[0], "function_arn"), "arn:aws:lambda:us-east-1:111122223333:function:submit",
			   "job: the function's ARN");
	}
	records_free(r, n);
	tt_invoke_free(&job);
	free(path);
}

static void test_job_log_unwritable(void)
{
	char *blocker = path_in("blocker"), *path = path_in("blocker/tiertop/audit.jsonl");
	struct tt_invoke *job;
	const struct tt_err *e;

	tu_write_file(blocker, "a file where a directory should be");
	job = new_job(path, TT_LAMBDA_SYNC);
	e = tt_invoke_error(job);
	tap_ok(fio_log.invoke_calls == 0, "unwritable log: nothing sent");
	tap_ok(tt_invoke_state(job) == TT_INVOKE_FAILED && e && e->kind == TT_ERR_FAILURE,
	       "unwritable log: the job fails (exit 1)");
	tap_ok(e && strstr(e->message, "nothing was invoked") && strstr(e->message, "blocker"),
	       "unwritable log: says nothing was invoked and names the path");
	tt_invoke_free(&job);
	free(blocker);
	free(path);
}

static void test_job_failures(void)
{
	char *path = path_in("fail.jsonl");
	struct tt_invoke *job = new_job(path, TT_LAMBDA_SYNC);
	struct tt_err net;
	json_t **r;
	size_t n;

	tt_err_set(&net, TT_ERR_NETWORK, "connection reset");
	fio_answer_invoke_error(&net);
	tap_ok(tt_invoke_state(job) == TT_INVOKE_FAILED, "Invoke failed: the job fails");
	tt_invoke_free(&job);
	r = records(path, &n);
	tap_ok(n == 2 && r[1] && json_object_get(r[1], "error"), "Invoke failed: the error is the result");
	records_free(r, n);
	free(path);

	path = path_in("refused.jsonl");
	fio_reset(&canned);
	job_log = (struct tt_audit){path, test_wall};
	fio_log.refuse_invoke = true;
	{
		struct tt_invoke_io io = {.config = fio_config, .invoke = fio_invoke, .audit = &job_log};
		struct tt_invoke_opts o = {.function = "submit", .payload = "{}", .payload_len = 2, .account = "1"};
		struct tt_err err;
		job = tt_invoke_new(&o, &io, NULL, NULL, &err);
		tt_invoke_start(job, 0);
		fio_answer_config();
	}
	r = records(path, &n);
	tap_ok(n == 2 && r[1] && json_object_get(r[1], "error"),
	       "Invoke not submitted: the intent is closed by an error result");
	records_free(r, n);
	tt_invoke_free(&job);
	free(path);

	path = path_in("freed.jsonl");
	job = new_job(path, TT_LAMBDA_ASYNC);
	tt_invoke_free(&job);
	answer();
	r = records(path, &n);
	tap_ok(n == 2 && r[1] && json_integer_value(json_object_get(r[1], "status")) == 200,
	       "job freed before the answer: the result is still recorded");
	tap_ok(n == 2 && r[0] && !strcmp(field(r[0], "invocation_type"), "Event"), "the type is Lambda's name");
	records_free(r, n);
	free(path);

	/* The result cannot be written (the log replaced by a symlink while the
	 * Invoke is out): the answer is still the job's, the intent stays. */
	path = path_in("swapped.jsonl");
	job = new_job(path, TT_LAMBDA_SYNC);
	{
		char *moved = path_in("swapped.old");
		rename(path, moved);
		symlink(moved, path);
		answer();
		tap_ok(tt_invoke_state(job) == TT_INVOKE_DONE, "result not writable: the job is still done");
		unlink(path);
		rename(moved, path);
		free(moved);
	}
	r = records(path, &n);
	tap_ok(n == 1 && r[0] && !strcmp(field(r[0], "record"), "intent"), "result not writable: the intent stays alone");
	records_free(r, n);
	tt_invoke_free(&job);
	free(path);

	path = path_in("dry.jsonl");
	job = new_job(path, TT_LAMBDA_DRY_RUN);
	tap_ok(fio_log.invoke_calls == 1 && access(path, F_OK) != 0, "a dry run is sent and not recorded");
	answer();
	tt_invoke_free(&job);
	free(path);
}

int main(void)
{
	dir = tu_mkdtemp();
	umask(022);
	test_records();
	test_error_result();
	test_symlink_refused();
	test_loose_file_tightened();
	test_load();
	test_job_intent_before_send();
	test_job_log_unwritable();
	test_job_failures();
	test_default_path();
	free(dir);
	return tap_done();
}
