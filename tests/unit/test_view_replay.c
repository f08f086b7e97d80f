/* The replay view over a fake DynamoDB, Lambda and STS: the choices, a dry
 * run showing the exact payloads and sending nothing, the typed
 * confirmation (a "y" is not enough), a row per item with its request id
 * and function error, hostile bytes from AWS sanitized, Enter on a row
 * opening its logs, the choice remembered per table, a stop between items
 * (Ctrl-C), and read-only mode (nothing looked up or sent). Golden screens
 * at 80x24 (the view in rows 1..22, as the console draws). */
#define _XOPEN_SOURCE 700

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "testutil.h"
#include "viewtest.h"
#include "tiertop/aws.h"
#include "tiertop/canvas.h"
#include "tiertop/help.h"
#include "tiertop/keys.h"
#include "tiertop/policy.h"
#include "tiertop/replay_batch.h"
#include "tiertop/snapshot.h"
#include "tiertop/stack.h"
#include "tiertop/views.h"
#include "tiertop/xalloc.h"

/* --- the fake AWS: reads and lookups answered at once, Invokes by the test --------------------- */

struct fake {
	int gets, identities, configs, invokes;
	tt_lambda_invoke_fn inv_done;
	void *inv_ctx;
	char payload[8][256];
};

static struct fake F;

static int fake_get(void *io, const struct tt_ddb_get *in, tt_ddb_item_fn done, void *ctx, struct tt_err *err)
{
	char item[128], *id;

	(void)io, (void)err;
	F.gets++;
	id = tt_xstrndup(in->key->kids[0].str, in->key->kids[0].len);
	snprintf(item, sizeof(item), "{\"feedbackId\":\"%s\",\"score\":12345678901234567890.5}", id);
	free(id);
	done(ctx, item, NULL);
	return 0;
}

static int fake_identity(void *io, tt_sts_identity_fn done, void *ctx, struct tt_err *err)
{
	struct tt_sts_identity id = {"111122223333", "arn:aws:iam::111122223333:user/ops", "AID"};

	(void)io, (void)err;
	F.identities++;
	done(ctx, &id, NULL);
	return 0;
}

static int fake_config(void *io, const char *function, const char *qualifier, tt_lambda_function_fn done,
		       void *ctx, struct tt_err *err)
{
	struct tt_lambda_function fn = {0};

	(void)io, (void)qualifier, (void)err;
	F.configs++;
	fn.name = tt_xstrdup(function);
	fn.arn = tt_xasprintf("arn:aws:lambda:us-east-1:111122223333:function:%s", function);
	fn.version = tt_xstrdup("$LATEST");
	fn.state = tt_xstrdup("Active");
	done(ctx, &fn, NULL);
	tt_lambda_function_clear(&fn);
	return 0;
}

static int fake_invoke(void *io, const struct tt_lambda_invoke_in *in, tt_lambda_invoke_fn done, void *ctx,
		       struct tt_err *err)
{
	(void)io, (void)err;
	if (F.invokes < 8)
		snprintf(F.payload[F.invokes], sizeof(F.payload[0]), "%.*s", (int)in->payload_len, in->payload);
	F.invokes++;
	F.inv_done = done;
	F.inv_ctx = ctx;
	return 0;
}

static const struct tt_replay_io IO = {fake_get, NULL, {fake_identity, fake_config, fake_invoke, NULL, NULL}};

static void answer_invoke(const char *request_id, const char *function_error, const char *payload)
{
	struct tt_lambda_invoke_out out = {
	    .status = 200,
	    .function_error = tt_xstrdup(function_error),
	    .executed_version = tt_xstrdup("$LATEST"),
	    .request_id = tt_xstrdup(request_id),
	    .payload = tt_xstrdup(payload),
	    .payload_len = strlen(payload),
	    .log = tt_xstrdup(""),
	};
	tt_lambda_invoke_fn done = F.inv_done;

	F.inv_done = NULL;
	done(F.inv_ctx, &out, NULL);
	tt_lambda_invoke_out_clear(&out);
}

/* --- the env ------------------------------------------------------------------------------------ */

static struct tt_aws AWS = {.region = "us-east-1"};

static struct tt_view_env ENV = {.aws = &AWS, .utf8 = true, .color = true, VT_ENV_FAKES,
				 .endpoint = "http://127.0.0.1:4566 (--endpoint-url)"};

static const char *KEYS[] = {"{\"feedbackId\":\"fb-1\"}", "{\"feedbackId\":\"fb-2\"}", "{\"feedbackId\":\"fb-3\"}"};

/* --- helpers ------------------------------------------------------------------------------------- */

static int64_t NOW = 1000;

static void keys(struct tt_view *v, const char *s)
{
	for (size_t i = 0; s[i]; i++)
		v->ops->key(v, s[i] == '\n' ? TT_KEY_ENTER : (unsigned char)s[i], NOW);
}

static void tick(struct tt_view *v)
{
	v->ops->clock(v, NOW);
	v->ops->tick(v, NOW);
}

/* --- the tests ---------------------------------------------------------------------------------- */

static void test_dry_run_and_replay(void)
{
	struct tt_view *v;
	char *path, *memo;
	struct tt_err err;

	memset(&F, 0, sizeof(F));
	vt_env_reset();
	v = tt_view_replay_new(&ENV, NULL, "Feedback", KEYS, 2, &IO);
	tap_ok(vt_on_screen(v, "function ? (f, F)", false), "no wiring known, nothing remembered: the function is asked for");
	keys(v, "\n");
	tap_ok(F.gets == 0 && vt_on_screen(v, "which function?", false), "Enter without a function: says so, sends nothing");
	keys(v, "F");
	keys(v, "submit-feedback\n");
	tap_ok(vt_on_screen(v, "function submit-feedback (f, F)", false), "F: a function typed");
	vt_golden(v, "replay_choices_80x24", 80, 24, true);

	keys(v, "d");
	tick(v);
	tap_ok(F.gets == 2 && F.invokes == 0 && F.identities == 0 && F.configs == 0,
	       "d: both items read, nothing looked up or sent");
	tap_ok(vt_on_screen(v, "dry run: 2 payloads built, nothing sent", false), "d: says nothing was sent");
	tap_ok(vt_on_screen(v, "\"score\": 12345678901234567890.5", false), "d: the payload shown exactly, numbers as stored");
	vt_golden(v, "replay_dry_80x24", 80, 24, true);

	keys(v, "p");
	tap_ok(vt_on_screen(v, "template apigw (p, @)   route (the function's) (r)", false), "p: an API Gateway event, with a route");
	keys(v, "d");
	tick(v);
	tap_ok(F.gets == 2 && vt_on_screen(v, "no route leads to the function", false),
	       "apigw without the application's routes: nothing read, said so");

	keys(v, "ppp"); /* apigw2, stream, raw */
	keys(v, "x");
	keys(v, "\n");
	tap_ok(F.identities == 1 && F.configs == 1 && F.gets == 2, "Enter: looked up once, nothing read yet");
	vt_golden(v, "replay_confirm_80x24", 80, 24, true);
	keys(v, "y\n");
	tap_ok(F.gets == 2 && F.invokes == 0 && vt_on_screen(v, "type 2 or submit-feedback", false),
	       "a y is not the typed answer: nothing sent, asked again");
	keys(v, "2\n");
	tap_ok(F.invokes == 1, "the number of items typed: the first item sent");
	tap_str_eq(F.payload[0], "{\"feedbackId\":\"fb-1\",\"score\":12345678901234567890.5}", "raw: the item itself");
	answer_invoke("req-1", "", "{\"statusCode\":201}");
	tick(v);
	tap_ok(F.invokes == 2, "the next item after the first answered");
	answer_invoke("req-2\x1b[31m", "Unhandled", "{\"errorType\":\"SpamRejected\",\"errorMessage\":\"spam\"}");
	tick(v);
	tap_ok(vt_on_screen(v, "replayed 2 of 2, 1 failed", false), "done: the summary");
	vt_golden(v, "replay_done_80x24", 80, 24, true);

	path = tt_replay_memo_path(&err);
	memo = path ? tu_read_file(path, NULL) : NULL;
	tap_ok(memo && strstr(memo, "[table Feedback]\nreplay_function = submit-feedback\nreplay_template = raw\n"),
	       "the choice remembered for the table, in the config file");
	free(memo);
	free(path);

	keys(v, "L");
	tap_ok(vt_log.npushed == 1, "L on a replayed row: its request's log lines");
	v->ops->free(v);

	/* Opened again: the remembered function is proposed. */
	v = tt_view_replay_new(&ENV, NULL, "Feedback", KEYS, 1, &IO);
	tap_ok(vt_on_screen(v, "function submit-feedback (f, F)", false), "the remembered function comes back for the table");
	v->ops->free(v);
}

static void test_stop(void)
{
	struct tt_view *v;

	memset(&F, 0, sizeof(F));
	vt_env_reset();
	v = tt_view_replay_new(&ENV, NULL, "Feedback", KEYS, 3, &IO);
	keys(v, "\n");
	tap_ok(v->ops->key(v, TT_KEY_CTRL('c'), NOW) == TT_VIEW_IGNORED,
	       "Ctrl-C at the question: the console's (it quits; nothing was sent)");
	keys(v, "3\n");
	tap_ok(F.invokes == 1, "three items: the first sent");
	tap_ok(v->ops->key(v, TT_KEY_CTRL('c'), NOW) == TT_VIEW_HANDLED, "Ctrl-C while running: the view's");
	tick(v);
	tap_ok(F.invokes == 1 && vt_on_screen(v, "stopping", false), "stopping: nothing new while the first is in flight");
	answer_invoke("req-1", "", "{}");
	tick(v);
	tap_ok(F.invokes == 1 && vt_on_screen(v, "replayed 1 of 3, 0 failed (stopped)", false), "stopped: the others never sent");
	tap_ok(vt_on_screen(v, "skipped", false), "... and shown skipped");
	tap_ok(v->ops->key(v, TT_KEY_CTRL('c'), NOW) == TT_VIEW_IGNORED, "Ctrl-C when nothing runs: the console's");
	v->ops->free(v);

	memset(&F, 0, sizeof(F));
	vt_env_reset();
	v = tt_view_replay_new(&ENV, NULL, "Feedback", KEYS, 2, &IO);
	keys(v, "\n2\n");
	v->ops->free(v);
	answer_invoke("req-late", "", "{}");
	tap_ok(F.invokes == 1, "closed mid-replay: the answer still on its way is dropped safely");
}

/* --- the list-navigation keys ------------------------------------------------------------ */


/* PgUp/PgDn/Home/End/g/G over the rows of a dry run of 40 items, seen in
 * the detail under the rows (the cursor row's payload, re-indented): 8
 * rows shown at 80x24 (a page moves 7), clamped at both ends. */
static void test_nav_keys(void)
{
	static const char *const help[6] = {"previous item", "next item", "previous page of items", "next page of items",
					    "first item", "last item"};
	static const struct {
		int key;
		const char *id;
	} steps[] = {
	    {TT_KEY_PGDN, "fb-08"}, {TT_KEY_PGDN, "fb-15"}, {TT_KEY_END, "fb-40"},  {TT_KEY_PGUP, "fb-33"},
	    {TT_KEY_HOME, "fb-01"}, {TT_KEY_PGUP, "fb-01"}, {'G', "fb-40"},         {'k', "fb-39"},
	    {'g', "fb-01"},         {'j', "fb-02"},         {TT_KEY_END, "fb-40"},  {TT_KEY_DOWN, "fb-40"},
	    {TT_KEY_PGDN, "fb-40"}, {TT_KEY_UP, "fb-39"},
	};
	char *keys40[40], name[16], want[64];
	struct tt_view *v;

	memset(&F, 0, sizeof(F));
	vt_env_reset();
	for (int i = 0; i < 40; i++)
		keys40[i] = tt_xasprintf("{\"feedbackId\":\"fb-%02d\"}", i + 1);
	v = tt_view_replay_new(&ENV, NULL, "Feedback", (const char *const *)keys40, 40, &IO);
	keys(v, "Fsubmit-feedback\n");
	keys(v, "d");
	tick(v);
	tap_ok(F.gets == 40 && vt_on_screen(v, "\"feedbackId\": \"fb-01\"", false) &&
		       vt_on_screen(v, "{\"feedbackId\":\"fb-08\"", false) &&
		       !vt_on_screen(v, "{\"feedbackId\":\"fb-09\"", true),
	       "a dry run of 40 items: 8 rows shown, the first one's payload under them");
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		int r = v->ops->key(v, steps[i].key, NOW);
		snprintf(want, sizeof(want), "\"feedbackId\": \"%s\"", steps[i].id);
		tap_ok(r == TT_VIEW_HANDLED && vt_on_screen(v, want, false), "%s: the cursor on %s",
		       tt_key_name(steps[i].key, name), steps[i].id);
	}
	vt_check_nav_help(v, help);
	v->ops->free(v);
	for (int i = 0; i < 40; i++)
		free(keys40[i]);
}

static void test_read_only(void)
{
	struct tt_policy ro;
	struct tt_view_env env = ENV;
	struct tt_view *v;

	memset(&F, 0, sizeof(F));
	vt_env_reset();
	tt_policy_init(&ro, true, NULL, NULL, NULL);
	env.read_only = true;
	env.policy = &ro;
	v = tt_view_replay_new(&env, NULL, "Feedback", KEYS, 2, &IO);
	tap_ok(vt_on_screen(v, "read-only mode (--read-only): replay is disabled", false), "read-only: the view says so");
	keys(v, "\n");
	tap_ok(F.gets == 0 && F.identities == 0 && F.configs == 0 && F.invokes == 0,
	       "read-only: Enter looks nothing up and sends nothing");
	vt_golden(v, "replay_readonly_80x24", 80, 24, true);
	keys(v, "d");
	tap_ok(F.gets == 2 && F.invokes == 0, "read-only: a dry run still shows the payloads");
	v->ops->free(v);
	tt_policy_clear(&ro);
}

/* --- the wiring: a snapshot whose discovery finds the application ------------------------------ */

static void link(struct tt_stack_function *fn, const char *table, const char *via)
{
	fn->ntables = 1;
	fn->tables = tt_xcalloc(1, sizeof(*fn->tables));
	fn->tables[0].table = tt_xstrdup(table);
	fn->tables[0].via = tt_xstrdup(via);
}

static int fake_discover(void *io, const struct tt_select *sel, size_t n, tt_stack_fn done, void *ctx,
			 struct tt_err *err)
{
	static const char *const names[] = {"export-feedback", "spam-filter", "submit-feedback"};
	struct tt_stack *st = tt_xcalloc(1, sizeof(*st));

	(void)io, (void)sel, (void)n, (void)err;
	st->selector = tt_xstrdup("stack feedback-stack");
	st->napis = 1;
	st->apis = tt_xcalloc(1, sizeof(*st->apis));
	st->apis[0].id = tt_xstrdup("a1b2c3");
	st->apis[0].name = tt_xstrdup("feedback-api");
	st->apis[0].nroutes = 2;
	st->apis[0].routes = tt_xcalloc(2, sizeof(*st->apis[0].routes));
	st->apis[0].routes[0].route = tt_xstrdup("GET /feedback/{id}");
	st->apis[0].routes[0].function = tt_xstrdup("spam-filter");
	st->apis[0].routes[1].route = tt_xstrdup("POST /feedback");
	st->apis[0].routes[1].function = tt_xstrdup("submit-feedback");
	st->nfunctions = 3;
	st->functions = tt_xcalloc(3, sizeof(*st->functions));
	for (size_t i = 0; i < 3; i++) {
		st->functions[i].name = tt_xstrdup(names[i]);
		st->functions[i].runtime = tt_xstrdup("python3.12");
	}
	link(&st->functions[0], "Feedback", "event source");
	link(&st->functions[2], "Feedback", "env TABLE_NAME");
	st->ntables = 1;
	st->tables = tt_xcalloc(1, sizeof(*st->tables));
	st->tables[0].name = tt_xstrdup("Feedback");
	st->tables[0].billing = tt_xstrdup("PAY_PER_REQUEST");
	done(ctx, st, NULL);
	return 0;
}

static void test_wiring(void)
{
	struct tt_select sel = {TT_SELECT_STACK, "feedback-stack"};
	struct tt_snapshot_io sio = {.discover = fake_discover};
	struct tt_snapshot *snap = tt_snapshot_new(&sel, 1, 3600, 60, &sio, NULL, NULL);
	struct tt_view *v;

	memset(&F, 0, sizeof(F));
	vt_env_reset();
	tt_snapshot_start(snap, TT_SNAP_DISCOVERY, vt_clock_ms);
	tap_ok(tt_snapshot_stack(snap) != NULL, "(the fake discovery answered)");
	v = tt_view_replay_new(&ENV, snap, "Feedback", KEYS, 2, &IO);
	tap_ok(vt_on_screen(v, "function submit-feedback (f, F)", false),
	       "nothing remembered: the function behind the POST route that reaches the table");
	keys(v, "f");
	vt_golden(v, "replay_pick_80x24", 80, 24, true);
	keys(v, "k\n");
	tap_ok(vt_on_screen(v, "function spam-filter (f, F)", false), "f: picked from the application's functions");
	keys(v, "f");
	keys(v, "kk");
	v->ops->key(v, TT_KEY_ESC, NOW);
	tap_ok(vt_on_screen(v, "function spam-filter (f, F)", false), "Esc keeps the function there was");
	keys(v, "p");
	keys(v, "d");
	tap_ok(vt_on_screen(v, "route GET /feedback/{id} (r)", false), "apigw: the route to the chosen function");
	tap_ok(vt_on_screen(v, "\"httpMethod\": \"GET\"", false), "... its event in the dry run");
	keys(v, "r");
	tap_ok(vt_on_screen(v, "route POST /feedback (r)", false), "r: the next of the application's routes");
	keys(v, "fG\n");
	tap_ok(vt_on_screen(v, "function submit-feedback (f, F)", false), "the pick list: G goes to the last function");
	keys(v, "fg\n");
	tap_ok(vt_on_screen(v, "function export-feedback (f, F)", false), "... g to the first");
	keys(v, "f");
	v->ops->key(v, TT_KEY_END, NOW);
	v->ops->key(v, TT_KEY_HOME, NOW);
	v->ops->key(v, TT_KEY_PGDN, NOW);
	keys(v, "\n");
	tap_ok(vt_on_screen(v, "function submit-feedback (f, F)", false), "... End, Home, then PgDn: clamped at the last");
	keys(v, "f");
	v->ops->key(v, TT_KEY_PGUP, NOW);
	keys(v, "\n");
	tap_ok(vt_on_screen(v, "function export-feedback (f, F)", false), "... PgUp: clamped at the first");
	v->ops->free(v);
	tt_snapshot_free(&snap);
}

int main(void)
{
	char *dir = tu_mkdtemp(), *cmd;

	setenv("XDG_STATE_HOME", dir, 1);
	setenv("XDG_CONFIG_HOME", dir, 1);
	unsetenv("TIERTOP_CONFIG");
	test_dry_run_and_replay();
	test_stop();
	test_nav_keys();
	test_read_only();
	unsetenv("XDG_STATE_HOME"); /* nothing remembered for the wiring's test */
	setenv("HOME", dir, 1);
	{
		char *config = tt_xasprintf("%s/tiertop/config", dir);
		remove(config); /* nothing remembered for the wiring's test */
		free(config);
	}
	test_wiring();
	cmd = tt_xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	free(cmd);
	free(dir);
	return tap_done();
}
