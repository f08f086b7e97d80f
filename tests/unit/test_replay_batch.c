/* The batch replay job with a fake AWS and a test clock: one question for
 * the batch, the rate limiter, go on vs stop on the first failure, a stop
 * between items, a dry run that sends nothing, read-only refusal, the
 * result of each item, and an audit record around every send. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "tap.h"
#include "testutil.h"
#include "tiertop/audit.h"
#include "tiertop/policy.h"
#include "tiertop/replay_batch.h"
#include "tiertop/stack.h"
#include "tiertop/xalloc.h"

#define MAXI 32

/* The fake AWS: GetItem and Invoke are answered by the test (one at a
 * time: the batch never has two in flight); lookups at once. */
struct fake {
	int gets, invokes, identities, configs;
	bool config_missing;
	tt_ddb_item_fn item_done;
	void *item_ctx;
	tt_lambda_invoke_fn inv_done;
	void *inv_ctx;
	int64_t sent_at[MAXI]; /* the test clock at each Invoke */
	char payload[MAXI][512];
};

static struct fake F;
static int64_t NOW;

static int fake_get(void *io, const struct tt_ddb_get *in, tt_ddb_item_fn done, void *ctx, struct tt_err *err)
{
	(void)io;
	(void)in;
	(void)err;
	F.gets++;
	F.item_done = done;
	F.item_ctx = ctx;
	return 0;
}

static int fake_identity(void *io, tt_sts_identity_fn done, void *ctx, struct tt_err *err)
{
	struct tt_sts_identity id = {"111122223333", "arn:aws:iam::111122223333:user/ops", "AID"};

	(void)io;
	(void)err;
	F.identities++;
	done(ctx, &id, NULL);
	return 0;
}

static int fake_config(void *io, const char *function, const char *qualifier, tt_lambda_function_fn done,
		       void *ctx, struct tt_err *err)
{
	struct tt_lambda_function fn = {0};
	struct tt_err e;

	(void)io;
	(void)qualifier;
	(void)err;
	F.configs++;
	if (F.config_missing) {
		tt_err_set(&e, TT_ERR_AWS, "Function not found: %s", function);
		snprintf(e.code, sizeof(e.code), "ResourceNotFoundException");
		done(ctx, NULL, &e);
		return 0;
	}
	fn.name = tt_xstrdup(function);
	fn.arn = tt_xasprintf("arn:aws:lambda:eu-west-1:111122223333:function:%s", function);
	fn.version = tt_xstrdup("$LATEST");
	fn.state = tt_xstrdup("Active");
	fn.timeout_s = 3;
	done(ctx, &fn, NULL);
	tt_lambda_function_clear(&fn);
	return 0;
}

static int fake_invoke(void *io, const struct tt_lambda_invoke_in *in, tt_lambda_invoke_fn done, void *ctx,
		       struct tt_err *err)
{
	(void)io;
	(void)err;
	if (F.invokes < MAXI) {
		F.sent_at[F.invokes] = NOW;
		snprintf(F.payload[F.invokes], sizeof(F.payload[0]), "%.*s", (int)in->payload_len, in->payload);
	}
	F.invokes++;
	F.inv_done = done;
	F.inv_ctx = ctx;
	return 0;
}

/* What the sink saw. */
struct seen {
	int asked, done, items;
	size_t nitems_banner;
	char function_arn[128], template_text[128];
	enum tt_replay_item_status status[MAXI];
	char request_id[MAXI][64];
	char payload[MAXI][512];
	bool answer_at_once;
};

static void on_confirm(void *ctx, struct tt_replay_batch *b, const struct tt_replay_batch_banner *bn)
{
	struct seen *s = ctx;

	s->asked++;
	s->nitems_banner = bn->nitems;
	snprintf(s->function_arn, sizeof(s->function_arn), "%s", bn->function_arn);
	snprintf(s->template_text, sizeof(s->template_text), "%s", bn->template_text);
	if (s->answer_at_once)
		tt_replay_batch_confirm(b, true);
}

static void on_item(void *ctx, struct tt_replay_batch *b, size_t i, const struct tt_replay_batch_result *r)
{
	struct seen *s = ctx;

	(void)b;
	s->items++;
	if (i >= MAXI)
		return;
	s->status[i] = r->status;
	snprintf(s->request_id[i], sizeof(s->request_id[0]), "%s", r->request_id);
	if (r->payload)
		snprintf(s->payload[i], sizeof(s->payload[0]), "%.*s", (int)r->payload_len, r->payload);
}

static void on_done(void *ctx, struct tt_replay_batch *b)
{
	struct seen *s = ctx;

	(void)b;
	s->done++;
}

struct setup {
	size_t n;
	double rate;
	bool stop_on_error, dry_run;
	const struct tt_policy *policy;
	const struct tt_audit *audit;
	const char *account; /* NULL: asked */
};

static char KEYS[MAXI][64];
static const char *KEYP[MAXI];

static struct tt_replay_batch *new_batch(struct seen *s, const struct setup *su)
{
	static const struct tt_replay_template raw = {.kind = TT_REPLAY_RAW};
	struct tt_replay_io io = {fake_get, NULL, {fake_identity, fake_config, fake_invoke, NULL, su->audit}};
	struct tt_replay_batch_sink sink = {on_confirm, on_item, on_done};
	struct tt_replay_batch_opts o = {
	    .table = "Feedback",
	    .keys = KEYP,
	    .nkeys = su->n,
	    .tpl = &raw,
	    .user_agent = "ua",
	    .rate = su->rate,
	    .stop_on_error = su->stop_on_error,
	    .dry_run = su->dry_run,
	    .invoke = {.function = "submit-feedback", .region = "eu-west-1", .account = su->account,
		       .caller_arn = su->account ? "arn:aws:iam::111122223333:user/ops" : NULL,
		       .policy = su->policy},
	};
	struct tt_err err;
	struct tt_replay_batch *b;

	for (size_t i = 0; i < MAXI; i++) {
		snprintf(KEYS[i], sizeof(KEYS[i]), "{\"id\":\"fb-%zu\"}", i);
		KEYP[i] = KEYS[i];
	}
	memset(&F, 0, sizeof(F));
	memset(s, 0, sizeof(*s));
	NOW = 1000;
	b = tt_replay_batch_new(&o, &io, &sink, s, &err);
	if (!b)
		tap_ok(false, "the batch is made: %s", err.message);
	return b;
}

static void tick(struct tt_replay_batch *b)
{
	tt_replay_batch_clock(b, NOW, 1767323045678LL);
}

static void answer_item(void)
{
	char item[96];
	tt_ddb_item_fn done = F.item_done;

	F.item_done = NULL;
	snprintf(item, sizeof(item), "{\"id\":\"fb-%d\",\"n\":1}", F.gets - 1);
	done(F.item_ctx, item, NULL);
}

/* Frees the batch, then answers what it had in flight, as the engine
 * would (the call holders are freed by the late answer). */
static void free_batch(struct tt_replay_batch **b)
{
	struct tt_err err;
	tt_ddb_item_fn item = F.item_done;
	tt_lambda_invoke_fn inv = F.inv_done;

	tt_replay_batch_free(b);
	tt_err_set(&err, TT_ERR_NETWORK, "the console went away");
	F.item_done = NULL;
	F.inv_done = NULL;
	if (item)
		item(F.item_ctx, NULL, &err);
	if (inv)
		inv(F.inv_ctx, NULL, &err);
}

/* Lambda's answer to the Invoke in flight: ok, or a function error. */
static void answer_invoke(bool function_error)
{
	struct tt_lambda_invoke_out out = {0};
	tt_lambda_invoke_fn done = F.inv_done;

	F.inv_done = NULL;
	out.status = 200;
	out.function_error = tt_xstrdup(function_error ? "Unhandled" : "");
	out.request_id = tt_xasprintf("req-%d", F.invokes - 1);
	out.payload = tt_xstrdup(function_error ? "{\"errorType\":\"SpamRejected\",\"errorMessage\":\"no\"}" : "{}");
	out.payload_len = strlen(out.payload);
	out.log = tt_xstrdup("");
	done(F.inv_ctx, &out, NULL);
	tt_lambda_invoke_out_clear(&out);
}

/* The Invoke failed on its way (the function may or may not have run). */
static void answer_invoke_error(void)
{
	tt_lambda_invoke_fn done = F.inv_done;
	struct tt_err err;

	F.inv_done = NULL;
	tt_err_set(&err, TT_ERR_NETWORK, "connection reset after the request was sent");
	done(F.inv_ctx, NULL, &err);
}

/* Runs the loop as a front end would: sleeps until the deadline (the test
 * clock jumps there), answers whatever is in flight. fail_at: the index
 * whose Invoke gets a function error (-1: none). Bounded. */
static void run(struct tt_replay_batch *b, int fail_at)
{
	for (int guard = 0; guard < 1000 && !tt_replay_batch_finished(b); guard++) {
		int64_t d = tt_replay_batch_deadline(b);

		if (d > NOW)
			NOW = d;
		tick(b);
		if (F.item_done)
			answer_item();
		else if (F.inv_done)
			answer_invoke(F.invokes - 1 == fail_at);
	}
}

static void test_rate(void)
{
	struct seen s;
	struct tt_replay_batch *b = new_batch(&s, &(struct setup){.n = 5, .rate = 4, .account = "111122223333"});
	bool spaced = true;

	s.answer_at_once = true;
	tt_replay_batch_start(b, NOW, 0);
	tap_ok(s.asked == 1 && s.nitems_banner == 5, "one question for the batch, naming 5 items");
	tap_ok(F.gets == 1, "the first item starts at once");
	run(b, -1);
	tap_ok(tt_replay_batch_state(b) == TT_BATCH_DONE && s.done == 1, "5 items: done, reported once");
	tap_ok(F.invokes == 5 && s.items == 5, "5 Invokes, 5 results");
	for (int i = 1; i < 5; i++)
		spaced = spaced && F.sent_at[i] - F.sent_at[i - 1] >= 250;
	tap_ok(spaced, "never two sends inside 1/R (250 ms at 4/s)");
	tap_ok(F.sent_at[4] - F.sent_at[0] == 1000, "5 items at 4/s: the last sent 4 ticks of 250 ms after the first");
	tap_ok(F.identities == 0 && F.configs == 1 + 5, "identity given: not asked; the function looked up once "
							"for the question and by each invoke job (%d)", F.configs);
	free_batch(&b);

	b = new_batch(&s, &(struct setup){.n = 3, .rate = 3, .account = "111122223333"});
	s.answer_at_once = true;
	tt_replay_batch_start(b, NOW, 0);
	answer_item();
	answer_invoke(false);
	tap_ok(tt_replay_batch_deadline(b) == 1000 + 334, "rate 3: the next start is due 334 ms later (rounded up)");
	NOW = 1000 + 333;
	tick(b);
	tap_ok(F.gets == 1, "... not a millisecond before");
	NOW = 1000 + 334;
	tick(b);
	tap_ok(F.gets == 2, "... and then it starts");
	tap_ok(tt_replay_batch_deadline(b) == -1, "while an item is in flight there is no deadline");
	free_batch(&b);

	b = new_batch(&s, &(struct setup){.n = 4, .account = "111122223333"});
	s.answer_at_once = true;
	tt_replay_batch_start(b, NOW, 0);
	run(b, -1);
	tap_ok(F.invokes == 4 && F.sent_at[3] == F.sent_at[0], "unlimited: all sent without waiting for the clock");
	free_batch(&b);
}

static void test_failures(void)
{
	struct seen s;
	struct tt_replay_batch *b = new_batch(&s, &(struct setup){.n = 4, .account = "111122223333"});
	size_t done, failed;
	struct tt_replay_batch_result r;

	s.answer_at_once = true;
	tt_replay_batch_start(b, NOW, 0);
	run(b, 1);
	tt_replay_batch_progress(b, &done, &failed);
	tap_ok(F.invokes == 4 && done == 4 && failed == 1,
	       "go on (default): a function error does not stop the others");
	tap_ok(s.status[0] == TT_ITEM_OK && s.status[1] == TT_ITEM_FUNCTION_ERROR && s.status[2] == TT_ITEM_OK,
	       "per item: ok, function error, ok");
	tap_str_eq(s.request_id[1], "req-1", "per item: the request id");
	tt_replay_batch_result(b, 1, &r);
	tap_ok(r.http_status == 200 && strcmp(r.function_error, "Unhandled") == 0 && r.duration_ms >= 0,
	       "per item: status, function error and duration kept");
	tap_str_eq(r.error_type, "SpamRejected", "per item: the function's error type");
	tap_str_eq(r.key, "{\"id\":\"fb-1\"}", "per item: its key");
	free_batch(&b);

	b = new_batch(&s, &(struct setup){.n = 4, .stop_on_error = true, .account = "111122223333"});
	s.answer_at_once = true;
	tt_replay_batch_start(b, NOW, 0);
	run(b, 1);
	tt_replay_batch_progress(b, &done, &failed);
	tap_ok(F.invokes == 2 && done == 2 && failed == 1, "stop on error: nothing after the first failure");
	tap_ok(s.status[2] == TT_ITEM_SKIPPED && s.status[3] == TT_ITEM_SKIPPED && s.items == 4,
	       "stop on error: the rest reported skipped");
	tap_ok(tt_replay_batch_state(b) == TT_BATCH_DONE && s.done == 1, "stop on error: the batch ends");
	free_batch(&b);

	/* A missing item fails that item only. */
	b = new_batch(&s, &(struct setup){.n = 2, .account = "111122223333"});
	s.answer_at_once = true;
	tt_replay_batch_start(b, NOW, 0);
	F.item_done(F.item_ctx, NULL, NULL);
	F.item_done = NULL;
	run(b, -1);
	tt_replay_batch_result(b, 0, &r);
	tap_ok(r.status == TT_ITEM_FAILED && strstr(r.error_message, "no item in Feedback") && F.invokes == 1,
	       "a missing item: that item failed (%s), the next sent", r.error_message);
	free_batch(&b);
}

static void test_stop_and_free(void)
{
	struct seen s;
	struct tt_replay_batch *b = new_batch(&s, &(struct setup){.n = 5, .rate = 10, .account = "111122223333"});

	s.answer_at_once = true;
	tt_replay_batch_start(b, NOW, 0);
	answer_item();
	tap_ok(F.invokes == 1 && F.inv_done, "item 0 in flight");
	tt_replay_batch_stop(b);
	tick(b);
	tap_ok(!tt_replay_batch_finished(b), "stopped: the item in flight is waited for");
	answer_invoke(false);
	NOW += 10000;
	tick(b);
	tap_ok(tt_replay_batch_finished(b) && F.gets == 1 && F.invokes == 1, "stopped: nothing new started");
	tap_ok(s.status[0] == TT_ITEM_OK && s.status[1] == TT_ITEM_SKIPPED && s.status[4] == TT_ITEM_SKIPPED,
	       "stopped: the one in flight finished, the others skipped");
	free_batch(&b);

	b = new_batch(&s, &(struct setup){.n = 3, .account = "111122223333"});
	s.answer_at_once = true;
	tt_replay_batch_start(b, NOW, 0);
	answer_item();
	tt_replay_batch_free(&b);
	answer_invoke(false);
	tap_ok(s.items == 0 && s.done == 0, "freed mid-Invoke: the answer is dropped, nothing reported");
}

static void test_question(void)
{
	struct seen s;
	struct tt_replay_batch *b = new_batch(&s, &(struct setup){.n = 12});

	tt_replay_batch_start(b, NOW, 0);
	tap_ok(F.identities == 1 && F.configs == 1 && s.asked == 1 && F.gets == 0,
	       "identity and function looked up, asked, nothing read before the answer");
	tap_str_eq(s.function_arn, "arn:aws:lambda:eu-west-1:111122223333:function:submit-feedback",
		   "banner: the function's ARN");
	tap_ok(strstr(s.template_text, "raw") != NULL, "banner: the template");
	tap_ok(tt_replay_batch_answer_ok(b, "12") && tt_replay_batch_answer_ok(b, " submit-feedback\n"),
	       "typed answers: the number of items or the function name");
	tap_ok(!tt_replay_batch_answer_ok(b, "y") && !tt_replay_batch_answer_ok(b, "1") &&
		   !tt_replay_batch_answer_ok(b, "submit"),
	       "anything else is not an answer");
	tt_replay_batch_confirm(b, false);
	tap_ok(tt_replay_batch_state(b) == TT_BATCH_DECLINED && s.done == 1 && F.gets == 0 && F.invokes == 0,
	       "no: declined, nothing read or sent");
	free_batch(&b);

	b = new_batch(&s, &(struct setup){.n = 2});
	F.config_missing = true;
	tt_replay_batch_start(b, NOW, 0);
	tap_ok(tt_replay_batch_state(b) == TT_BATCH_FAILED && s.asked == 0 && F.gets == 0,
	       "a missing function: failed before the question");
	tap_ok(strstr(tt_replay_batch_error(b)->message, "nothing was invoked") != NULL,
	       "... saying nothing was invoked");
	free_batch(&b);
}

static void test_dry_run_and_read_only(void)
{
	struct seen s;
	struct tt_policy ro;
	struct tt_replay_batch *b;

	tt_policy_init(&ro, true, NULL, NULL, NULL);
	b = new_batch(&s, &(struct setup){.n = 3, .dry_run = true, .policy = &ro, .rate = 1});
	tt_replay_batch_start(b, NOW, 0);
	run(b, -1);
	tap_ok(tt_replay_batch_state(b) == TT_BATCH_DONE && F.invokes == 0 && F.gets == 3,
	       "dry run: every item read, nothing sent (even in read-only mode)");
	tap_ok(s.asked == 0 && F.identities == 0 && F.configs == 0, "dry run: no question, no lookup");
	tap_ok(s.status[0] == TT_ITEM_BUILT && s.status[2] == TT_ITEM_BUILT, "dry run: each item built");
	tap_str_eq(s.payload[2], "{\"id\":\"fb-2\",\"n\":1}", "dry run: the exact payload handed to the sink");
	free_batch(&b);

	b = new_batch(&s, &(struct setup){.n = 3, .policy = &ro});
	tt_replay_batch_start(b, NOW, 0);
	tap_ok(tt_replay_batch_state(b) == TT_BATCH_FAILED && s.done == 1, "read-only: refused");
	tap_ok(F.gets == 0 && F.identities == 0 && F.configs == 0 && F.invokes == 0 && s.asked == 0,
	       "read-only: before any request or question");
	tap_ok(strstr(tt_replay_batch_error(b)->message, "refusing to replay 3 items of Feedback") != NULL,
	       "read-only: says what was refused (%s)", tt_replay_batch_error(b)->message);
	free_batch(&b);
	tt_policy_clear(&ro);
}

static int64_t fixed_wall(void)
{
	return 1767323045678LL;
}

static void test_audit(void)
{
	char dir[] = "/tmp/tt_batch_audit_XXXXXX";
	char *path;
	struct tt_audit audit;
	struct tt_audit_entries e = {0};
	struct tt_err err;
	struct seen s;
	struct tt_replay_batch *b;
	int intents_before_send = 0;

	if (!mkdtemp(dir)) {
		tap_ok(false, "mkdtemp");
		return;
	}
	path = tt_xasprintf("%s/audit.jsonl", dir);
	audit = (struct tt_audit){path, fixed_wall};
	b = new_batch(&s, &(struct setup){.n = 3, .account = "111122223333", .audit = &audit});
	s.answer_at_once = true;
	tt_replay_batch_start(b, NOW, 0);
	for (int guard = 0; guard < 100 && !tt_replay_batch_finished(b); guard++) {
		tick(b);
		if (F.item_done) {
			answer_item();
		} else if (F.inv_done) {
			/* The intent must be on disk while the Invoke is in flight. */
			tt_audit_load(path, 0, &e, &err);
			intents_before_send += e.n == (size_t)F.invokes && !e.items[e.n - 1].result;
			tt_audit_entries_clear(&e);
			if (F.invokes == 3)
				answer_invoke_error(); /* the third never answers */
			else
				answer_invoke(F.invokes == 2); /* the second fails */
		}
	}
	tap_ok(intents_before_send == 3, "each intent on disk before its answer");
	tap_ok(tt_audit_load(path, 0, &e, &err) == 0 && e.n == 3, "three actions recorded");
	for (size_t i = 0; i < e.n; i++) {
		json_t *rep = json_object_get(e.items[i].intent, "replay");
		char want[64];

		snprintf(want, sizeof(want), "fb-%zu", i);
		tap_ok(e.items[i].result != NULL, "action %zu: a result", i);
		tap_str_eq(json_string_value(json_object_get(json_object_get(rep, "key"), "id")), want,
			   "action: the replayed key");
	}
	if (e.n == 3) {
		tap_str_eq(json_string_value(json_object_get(e.items[1].result, "function_error")), "Unhandled",
			   "a function error recorded");
		tap_str_eq(json_string_value(json_object_get(json_object_get(e.items[2].result, "error"), "message")),
			   "connection reset after the request was sent", "an Invoke that failed recorded with its error");
	}
	tap_ok(s.status[2] == TT_ITEM_FAILED, "... and that item failed");
	tt_audit_entries_clear(&e);
	free_batch(&b);
	unlink(path);
	rmdir(dir);
	free(path);
}

static void test_refusals(void)
{
	struct tt_replay_io io = {fake_get, NULL, {fake_identity, fake_config, fake_invoke, NULL, NULL}};
	const char *bad[] = {"{\"id\":\"a\"}", "[1]"};
	struct tt_replay_batch_opts o = {.table = "T", .keys = bad, .nkeys = 2, .invoke = {.function = "f"}};
	struct tt_err err;

	tap_ok(tt_replay_batch_new(&o, &io, NULL, NULL, &err) == NULL && strstr(err.message, "key 2"),
	       "a key that is not an object is refused, by number (%s)", err.message);
	o.nkeys = 0;
	tap_ok(tt_replay_batch_new(&o, &io, NULL, NULL, &err) == NULL && err.kind == TT_ERR_USAGE, "no keys: refused");
}

static void test_default_function(void)
{
	static char feedback[] = "Feedback", other[] = "Other", env[] = "env TABLE", es[] = "event source";
	static char submit[] = "submit-feedback", reader[] = "read-feedback", exporter[] = "export-feedback";
	static char post[] = "POST /feedback", get[] = "GET /feedback/{id}";
	struct tt_stack_link to_fb_env = {feedback, env}, to_fb_es = {feedback, es}, to_other = {other, env};
	struct tt_stack_function fns[] = {{.name = exporter, .tables = &to_fb_es, .ntables = 1},
					  {.name = reader, .tables = &to_fb_env, .ntables = 1},
					  {.name = submit, .tables = &to_fb_env, .ntables = 1}};
	struct tt_stack_route routes[] = {{get, reader}, {post, submit}};
	struct tt_stack_api api = {.routes = routes, .nroutes = 2};
	struct tt_stack st = {.apis = &api, .napis = 1, .functions = fns, .nfunctions = 3};

	tap_str_eq(tt_replay_default_function(&st, "Feedback"), "submit-feedback",
		   "default: the function behind the POST route that reaches the table");
	api.nroutes = 1;
	tap_str_eq(tt_replay_default_function(&st, "Feedback"), "read-feedback", "else behind any route");
	api.nroutes = 0;
	tap_str_eq(tt_replay_default_function(&st, "Feedback"), "export-feedback", "else the stream consumer");
	fns[0].tables = &to_other;
	tap_str_eq(tt_replay_default_function(&st, "Feedback"), "read-feedback", "else any function that reaches it");
	tap_ok(tt_replay_default_function(&st, "Nope") == NULL && tt_replay_default_function(NULL, "Feedback") == NULL,
	       "none: NULL");
}

static void test_memo(void)
{
	char *dir = tu_mkdtemp(), *path, *text;
	static char f1[] = "submit-feedback", t1[] = "apigw", r1[] = "POST /feedback", f2[] = "export-feedback",
		    t2[] = "stream";
	struct tt_replay_memo m = {0}, a = {f1, t1, r1}, b = {f2, t2, NULL};
	struct tt_err err;
	struct stat st;

	text = tt_xasprintf("%s/tiertop/config", dir);
	setenv("TIERTOP_CONFIG", text, 1);
	free(text);
	path = tt_replay_memo_path(&err);
	tu_write_file(path, "[tiertop]\nread_only = false\n");
	unlink(path);
	tap_ok(tt_replay_memo_load("Feedback", &m, &err) == -1 && strstr(err.message, "does not exist"),
	       "TIERTOP_CONFIG naming no file: an error, as everywhere");
	setenv("XDG_CONFIG_HOME", dir, 1);
	unsetenv("TIERTOP_CONFIG");
	tap_ok(tt_replay_memo_load("Feedback", &m, &err) == 0 && !m.function, "no file: nothing remembered");
	tap_ok(tt_replay_memo_save("Feedback", &a, &err) == 0, "saved");
	tap_ok(tt_replay_memo_save("Orders", &b, &err) == 0, "another table saved");
	tap_ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "a new config file is 0600");
	text = tu_read_file(path, NULL);
	tap_ok(text && strstr(text, "[table Feedback]\nreplay_function = submit-feedback\nreplay_template = apigw\n"
				    "replay_route = POST /feedback\n") &&
		       strstr(text, "[table Orders]\nreplay_function = export-feedback\nreplay_template = stream\n"),
	       "each table has its section in the config file");
	free(text);
	tap_ok(tt_replay_memo_load("Feedback", &m, &err) == 0, "loaded");
	tap_str_eq(m.function, "submit-feedback", "the function remembered per table");
	tap_str_eq(m.template_arg, "apigw", "... the template");
	tap_str_eq(m.route, "POST /feedback", "... the route");
	tt_replay_memo_clear(&m);
	tap_ok(tt_replay_memo_load("Orders", &m, &err) == 0 && m.function &&
		   strcmp(m.function, "export-feedback") == 0 && !m.route,
	       "the other table kept its own");
	tt_replay_memo_clear(&m);
	tu_write_file(path, "[table Feedback]\nreplay_fnction = x\n");
	tap_ok(tt_replay_memo_load("Feedback", &m, &err) == -1 && strstr(err.message, "unknown key"),
	       "a broken file: an error, not a guess");
	/* Before: the FIFO was opened again, waiting for a writer for ever. */
	unlink(path);
	tap_ok(mkfifo(path, 0600) == 0 && tt_replay_memo_load("Feedback", &m, &err) == 0 && !m.function,
	       "a FIFO (TIERTOP_CONFIG read once at start): nothing remembered, no wait");
	unlink(path);
	text = tt_xasprintf("rm -rf '%s'", dir);
	if (system(text) != 0)
		printf("# could not remove %s\n", dir);
	free(text);
	free(path);
	free(dir);
	unsetenv("XDG_CONFIG_HOME");
}

int main(void)
{
	test_default_function();
	test_memo();
	test_rate();
	test_failures();
	test_stop_and_free();
	test_question();
	test_dry_run_and_read_only();
	test_audit();
	test_refusals();
	return tap_done();
}
