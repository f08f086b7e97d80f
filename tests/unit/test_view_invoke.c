/* The invoke view over a fake Lambda and STS: before sending, an invalid
 * payload refused with its line and column, the confirmation dialog with
 * every banner field, the answer (status, duration, response numbers as
 * sent, the log tail, hostile bytes sanitized), a function error, a "no",
 * read-only mode (nothing looked up, nothing sent, the source named), the
 * type and qualifier, $EDITOR, and the payload remembered for next time.
 * Golden screens at 80x24 (the view in rows 1..22, as the console draws). */
#define _XOPEN_SOURCE 700

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "invoke_fakes.h"
#include "tap.h"
#include "testutil.h"
#include "viewtest.h"
#include "tiertop/aws.h"
#include "tiertop/buf.h"
#include "tiertop/invoke.h"
#include "tiertop/keys.h"
#include "tiertop/payloads.h"
#include "tiertop/policy.h"
#include "tiertop/utf8.h"
#include "tiertop/views.h"

/* --- the fake AWS (invoke_fakes.h) ----------------------------------------------- */

static const struct fio_canned CANNED = {
    "{\"FunctionName\":\"spam-filter\",\"FunctionArn\":"
    "\"arn:aws:lambda:us-east-1:111122223333:function:spam-filter\","
    "\"Version\":\"$LATEST\",\"Timeout\":30,\"State\":\"Active\"}",
    "$LATEST", "8f0e6d1c-0000-4000-8000-000000000001"};

/* The mode of the file $EDITOR was given. */
static int editor_mode;

/* --- the env ------------------------------------------------------------------------ */

/* $EDITOR: checks the file's mode and writes a new payload. */
static int env_run_editor(void *con, const char *path)
{
	struct stat st;

	(void)con;
	editor_mode = stat(path, &st) ? -1 : (int)(st.st_mode & 0777);
	return tu_write_file(path, "{\"from\": \"editor\"}\n");
}

static struct tt_aws AWS = {.region = "us-east-1"};

static struct tt_view_env ENV = {.aws = &AWS, .utf8 = true, .color = true, VT_ENV_FAKES,
				 .endpoint = "http://127.0.0.1:4566 (--endpoint-url)"};

/* --- helpers ------------------------------------------------------------------------- */

static void keys(struct tt_view *v, const char *s, int64_t now)
{
	uint32_t cp;

	for (size_t i = 0, n; s[i]; i += n) {
		n = tt_utf8_next(s + i, strlen(s + i), &cp);
		v->ops->key(v, s[i] == '\n' ? TT_KEY_ENTER : (int)cp, now);
	}
}

static void key(struct tt_view *v, int k)
{
	v->ops->key(v, k, 1000);
}

/* Clears the editor (Ctrl-A, Delete over it) and types text. */
static void retype(struct tt_view *v, const char *text)
{
	for (int i = 0; i < 400; i++)
		key(v, TT_KEY_BACKSPACE);
	for (int i = 0; i < 400; i++)
		key(v, TT_KEY_DELETE);
	keys(v, text, 1000);
}

/* --- the tests ------------------------------------------------------------------------- */

/* The invocation's id in the log differs from the answer's header, as the
 * simulator has it: l must look for the log's. */
static const char LOG[] = "START RequestId: 8f0e6d1c Version: $LATEST\n"
			  "2026-01-01T00:00:00.000Z\t8f0e6d1c\tINFO\tscored \x1b[31mred\x1b[0m\n"
			  "END RequestId: 8f0e6d1c\n"
			  "REPORT RequestId: 8f0e6d1c\tDuration: 212.00 ms\tBilled Duration: 213 ms\n";

static void send_and_answer(void)
{
	struct tt_view *v;
	char *last;

	static const struct tt_snapshot_io no_io;
	static const struct tt_snapshot_sink no_sink;
	/* Never refreshed: only for the log group of l. */
	struct tt_snapshot *snap = tt_snapshot_new(NULL, 0, 3600, 60, &no_io, &no_sink, NULL);

	fio_reset(&CANNED);
	vt_env_reset();
	v = tt_view_invoke_new(&ENV, snap, "spam-filter", &fio_io);
	tap_ok(vt_on_screen(v, "1 {}", false), "a function never invoked starts with {}");
	key(v, TT_KEY_CTRL('_'));
	tap_ok(vt_on_screen(v, "1 {}", false), "undo on a fresh view keeps it");
	retype(v, "{\"subject\": \"win\" \"n\": 1.10}");
	key(v, TT_KEY_CTRL('r'));
	tap_ok(fio_log.config_calls == 0 && fio_log.invoke_calls == 0, "invalid JSON: nothing looked up or sent");
	tap_ok(vt_on_screen(v, "not sent: line 1, column", false), "the refusal says the line and column");
	key(v, TT_KEY_LEFT);
	retype(v, "{\"subject\": \"win money\",\n \"n\": 1.10}");
	vt_golden(v, "invoke_before_80x24", 80, 24, true);

	v->ops->key(v, TT_KEY_CTRL('r'), 1000);
	tap_ok(fio_log.config_calls == 1 && fio_log.identity_calls == 1 && fio_log.invoke_calls == 0,
	       "sending looks up, sends nothing yet");
	fio_answer_lookups();
	vt_golden(v, "invoke_confirm_80x24", 80, 24, true);
	tap_ok(vt_on_screen(v, "111122223333", false) && vt_on_screen(v, "us-east-1", false) && vt_on_screen(v, "http://127.0.0.1:4566", false) &&
	       vt_on_screen(v, "function:spam-filter", false) && vt_on_screen(v, "RequestResponse", false) && vt_on_screen(v, "36 bytes", false),
	       "the dialog has account, region, endpoint, function, type and size");
	key(v, 'x');
	tap_ok(fio_log.invoke_calls == 0, "another key does not answer");
	key(v, 'y');
	tap_ok(fio_log.invoke_calls == 1, "y sends");
	tap_str_eq(fio_log.payload, "{\"subject\": \"win money\",\n \"n\": 1.10}", "the payload as typed");
	v->ops->clock(v, 1250);
	fio_answer_invoke("", "{\"spam\":true,\"score\":0.970,\"id\":12345678901234567890}", LOG);
	vt_golden(v, "invoke_result_80x24", 80, 24, true);
	tap_ok(vt_on_screen(v, "\"score\": 0.970", false) && vt_on_screen(v, "12345678901234567890", false), "numbers exactly as returned");
	tap_ok(vt_on_screen(v, "status 200, 250 ms", false), "status and duration");
	tap_ok(vt_on_screen(v, "request id 8f0e6d1c (l: its log lines)", false), "the request id the log lines carry");
	tap_ok(vt_on_screen(v, "^[[31mred", false), "escapes in the log are shown, not sent to the terminal");
	key(v, 'l');
	tap_ok(vt_log.npushed == 0, "l while editing is text");
	key(v, TT_KEY_ESC);
	key(v, 'l');
	tap_ok(vt_log.npushed == 1, "l out of the editor opens the request's logs");
	tap_ok(v->ops->key(v, TT_KEY_ESC, 1000) == TT_VIEW_IGNORED, "Esc out of the editor is the console's (back)");
	last = tt_payloads_last("spam-filter");
	tap_str_eq(last, "{\"subject\": \"win money\",\n \"n\": 1.10}", "the payload is remembered");
	free(last);
	v->ops->free(v);

	v = tt_view_invoke_new(&ENV, NULL, "spam-filter", &fio_io);
	tap_ok(vt_on_screen(v, "\"win money\"", false), "and the view starts with it next time");
	v->ops->free(v);
	tt_snapshot_free(&snap);
}

/* An array of 3000 numbers: 3002 lines re-indented. */
static void big_answer(void)
{
	struct tt_buf b;

	tt_buf_init(&b, 0);
	tt_buf_putc(&b, '[');
	for (int i = 0; i < 3000; i++)
		tt_buf_printf(&b, "%s%d", i ? "," : "", i);
	tt_buf_putc(&b, ']');
	fio_answer_invoke("", b.data, LOG);
	tt_buf_clear(&b);
}

static void function_error_and_no(void)
{
	struct tt_view *v;

	fio_reset(&CANNED);
	vt_env_reset();
	v = tt_view_invoke_new(&ENV, NULL, "spam-filter", &fio_io);
	key(v, TT_KEY_CTRL('r'));
	fio_answer_lookups();
	key(v, TT_KEY_ENTER);
	fio_answer_invoke("Unhandled", "{\"errorType\":\"TypeError\",\"errorMessage\":\"boom\"}", "");
	tap_ok(vt_on_screen(v, "function error (Unhandled): TypeError: boom", false), "a function error: type and message");
	tap_ok(vt_on_screen(v, "request id 8f0e6d1c-0000-4000-8000-000000000001", false), "no log tail: the answer's request id");

	key(v, TT_KEY_CTRL('r'));
	fio_answer_lookups();
	key(v, 'y');
	big_answer();
	key(v, TT_KEY_ESC);
	for (int i = 0; i < 3000; i++)
		key(v, TT_KEY_DOWN);
	tap_ok(vt_on_screen(v, "(the answer goes on: only its first lines are shown)", false), "a long answer is cut, and says so");
	tap_ok(vt_on_screen(v, "END RequestId: 8f0e6d1c", false), "the log tail still follows it, on the last page");
	key(v, 'i');

	key(v, TT_KEY_CTRL('r'));
	fio_answer_lookups();
	key(v, 'n');
	tap_ok(fio_log.invoke_calls == 2, "n sends nothing");
	tap_ok(vt_on_screen(v, "not sent: you said no", false), "and says so");
	key(v, TT_KEY_CTRL('r'));
	fio_answer_lookups();
	key(v, TT_KEY_ESC);
	tap_ok(fio_log.invoke_calls == 2 && vt_on_screen(v, "not sent", false), "Esc neither");
	v->ops->free(v);
}

static void read_only(void)
{
	struct tt_view_env env = ENV;
	struct tt_policy policy;
	struct tt_view *v;

	fio_reset(&CANNED);
	vt_env_reset();
	tt_policy_init(&policy, true, NULL, NULL, NULL);
	env.read_only = true;
	env.policy = &policy;
	v = tt_view_invoke_new(&env, NULL, "spam-filter", &fio_io);
	key(v, TT_KEY_CTRL('r'));
	tap_ok(fio_log.config_calls == 0 && fio_log.identity_calls == 0 && fio_log.invoke_calls == 0, "read-only: no call at all");
	vt_golden(v, "invoke_readonly_80x24", 80, 24, true);
	tap_ok(vt_on_screen(v, "read-only mode (--read-only)", false), "the source is named");
	v->ops->free(v);
	tt_policy_clear(&policy);

	env.policy = NULL;
	v = tt_view_invoke_new(&env, NULL, "spam-filter", &fio_io);
	key(v, TT_KEY_CTRL('r'));
	tap_ok(fio_log.config_calls == 0 && vt_on_screen(v, "read-only mode: refusing to invoke spam-filter", false),
	       "without a policy the view refuses by itself");
	v->ops->free(v);
}

static void type_qualifier_editor(void)
{
	struct tt_view_env env = ENV;
	struct tt_view *v;

	fio_reset(&CANNED);
	vt_env_reset();
	editor_mode = 0;
	env.run_editor = env_run_editor;
	v = tt_view_invoke_new(&env, NULL, "spam-filter", &fio_io);
	key(v, TT_KEY_ESC);
	key(v, 't');
	tap_ok(vt_on_screen(v, "type Event", false), "t: Event");
	key(v, 'a');
	keys(v, "live\n", 1000);
	tap_ok(vt_on_screen(v, "qualifier live", false), "a: a qualifier typed in a prompt");
	key(v, 'e');
	tap_ok(editor_mode == 0600, "$EDITOR gets a 0600 file (mode %o)", (unsigned)editor_mode);
	tap_ok(vt_on_screen(v, "1 {\"from\": \"editor\"}", false), "what it wrote is the payload (final newline dropped)");
	key(v, 's');
	fio_answer_lookups();
	key(v, 'y');
	tap_ok(fio_log.invoke_calls == 1 && fio_log.type == TT_LAMBDA_ASYNC && strcmp(fio_log.qualifier, "live") == 0,
	       "sent as Event to live");
	tap_str_eq(fio_log.payload, "{\"from\": \"editor\"}", "with the editor's payload");
	key(v, TT_KEY_CTRL('_'));
	tap_ok(vt_on_screen(v, "1 {\"subject\": \"win money\",", false),
	       "undo (command mode too) brings back what was there before $EDITOR");
	v->ops->free(v);
	/* The Event invoke is still in flight: its answer, coming after the
	 * view is gone, frees what the call held. */
	fio_answer_invoke("", "", "");
}

/* --- the qualifier pick list (Q) ------------------------------------------------------ */

static struct {
	int calls;
	char function[64];
	tt_lambda_qualifiers_fn done;
	void *ctx;
	bool refuse;
} L;

static int fake_list(void *io, const char *function, tt_lambda_qualifiers_fn done, void *ctx, struct tt_err *err)
{
	(void)io;
	L.calls++;
	snprintf(L.function, sizeof(L.function), "%s", function);
	if (L.refuse)
		return tt_err_set(err, TT_ERR_CONFIG, "no endpoint for lambda");
	L.done = done;
	L.ctx = ctx;
	return 0;
}

static void answer_list(void)
{
	static const char versions[] =
	    "{\"Versions\":[{\"Version\":\"$LATEST\",\"LastModified\":\"2026-12-01T10:00:00.000+0000\"},"
	    "{\"Version\":\"1\",\"Description\":\"first\"},{\"Version\":\"2\",\"Description\":\"\\u001b[31mred\"}]}";
	static const char aliases[] =
	    "{\"Aliases\":[{\"Name\":\"canary\",\"FunctionVersion\":\"2\",\"RoutingConfig\":"
	    "{\"AdditionalVersionWeights\":{\"1\":0.25}}},{\"Name\":\"live\",\"FunctionVersion\":\"1\","
	    "\"Description\":\"What the API calls\"}]}";
	struct tt_lambda_qualifiers list = {0};
	struct tt_err err;
	char *next;

	tt_lambda_parse_versions_page(versions, strlen(versions), &list, &next, &err);
	tt_lambda_parse_aliases_page(aliases, strlen(aliases), &list, &next, &err);
	L.done(L.ctx, &list, NULL);
	tt_lambda_qualifiers_clear(&list);
	L.done = NULL;
}

static void pick_qualifier(void)
{
	struct tt_view *v;
	struct tt_err err;

	fio_reset(&CANNED);
	vt_env_reset();
	memset(&L, 0, sizeof(L));
	v = tt_view_invoke_new(&ENV, NULL, "submit-feedback", &fio_io);
	tt_view_invoke_set_qualifier_list(v, fake_list, NULL);
	key(v, 'Q');
	tap_ok(L.calls == 0 && vt_on_screen(v, "1 Q{}", false), "Q in the editor is text");
	key(v, TT_KEY_CTRL('_'));
	key(v, TT_KEY_ESC);
	key(v, 'Q');
	tap_ok(L.calls == 1 && strcmp(L.function, "submit-feedback") == 0, "Q lists the function's qualifiers");
	tap_ok(vt_on_screen(v, "asking Lambda for the versions and aliases", false), "and says so while it waits");
	v->dirty = false;
	answer_list();
	tap_ok(v->dirty, "the answer makes the view draw again");
	vt_golden(v, "invoke_qualifiers_80x24", 80, 24, true);
	tap_ok(vt_on_screen(v, "canary  ", false) && vt_on_screen(v, "2, 25% to 1", false) && vt_on_screen(v, "What the API calls", false),
	       "an alias: the version it points to, the share it sends elsewhere, its description");
	key(v, TT_KEY_DOWN);
	key(v, TT_KEY_DOWN);
	key(v, TT_KEY_DOWN);
	key(v, TT_KEY_DOWN);
	key(v, TT_KEY_ENTER);
	tap_ok(vt_on_screen(v, "qualifier live (a)", false), "Enter uses the selected one");
	key(v, 'Q');
	answer_list();
	key(v, TT_KEY_UP);
	key(v, TT_KEY_ESC);
	tap_ok(vt_on_screen(v, "qualifier live (a)", false), "Esc keeps the qualifier (the current one was selected)");
	key(v, 'Q');
	answer_list();
	key(v, TT_KEY_HOME);
	key(v, TT_KEY_ENTER);
	tap_ok(vt_on_screen(v, "qualifier none, $LATEST (a)", false), "$LATEST means no qualifier");
	key(v, 'Q');
	answer_list();
	key(v, TT_KEY_DOWN);
	key(v, TT_KEY_ENTER);
	key(v, 's');
	fio_answer_lookups();
	key(v, 'y');
	tap_ok(fio_log.invoke_calls == 1 && strcmp(fio_log.qualifier, "1") == 0, "the pick is what is sent");

	L.refuse = true;
	key(v, 'Q');
	tap_ok(vt_on_screen(v, "cannot list them: no endpoint for lambda", false), "a listing that cannot start says why");
	key(v, TT_KEY_ENTER);
	tap_ok(vt_on_screen(v, "Esc: close", false), "Enter on nothing chooses nothing");
	key(v, TT_KEY_ESC);
	L.refuse = false;
	key(v, 'Q');
	v->ops->free(v);
	tap_ok(L.done != NULL, "the view went away with the listing in flight");
	vt_env_reset();
	answer_list();
	tap_ok(vt_log.npushed == 0 && !vt_log.message[0], "its late answer is dropped: nothing opened, nothing said");
	(void)err;
}

int main(void)
{
	char *dir = tu_mkdtemp();

	setlocale(LC_CTYPE, "C.UTF-8");
	setenv("XDG_STATE_HOME", dir, 1);
	send_and_answer();
	function_error_and_no();
	read_only();
	type_qualifier_editor();
	pick_qualifier();
	free(dir);
	return tap_done();
}
