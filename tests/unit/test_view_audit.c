/* The audit view over a log written by tt_audit_intent/tt_audit_result in
 * a temporary directory: a success, a function error, a failed invoke with
 * an escape sequence in its message and function name, and an intent
 * without result; golden screens at 80x24 and 160x48, Enter's detail, L
 * pushing a logs view, y copying the request id, an empty log and an
 * unreadable one. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tap.h"
#include "testutil.h"
#include "viewtest.h"
#include "tiertop/audit.h"
#include "tiertop/canvas.h"
#include "tiertop/err.h"
#include "tiertop/help.h"
#include "tiertop/keys.h"
#include "tiertop/views.h"

static struct tt_view_env env = {.utf8 = true, .color = true, VT_ENV_FAKES};

static int64_t clock_ms = 1796529600000LL; /* 2026-12-06T04:00:00Z */

static int64_t fake_wall(void)
{
	return clock_ms += 61000;
}

static void one(const struct tt_audit *a, const char *fn, const char *qual, const char *type,
		const struct tt_audit_result *r)
{
	struct tt_audit_intent in = {"arn:aws:iam::123456789012:user/ops", "123456789012", "eu-west-1", NULL, fn, NULL,
				     qual, type, "{}", 2, NULL, NULL};
	char id[TT_AUDIT_ID_LEN];
	struct tt_err err;

	tap_ok(tt_audit_intent(a, &in, id, &err) == 0, "intent written for %s", type);
	if (r)
		tap_ok(tt_audit_result(a, id, r, &err) == 0, "result written");
}

static void write_log(const char *path)
{
	struct tt_audit a = {path, fake_wall};
	struct tt_audit_result ok = {200, NULL, NULL, "11111111-2222-3333-4444-555555555555", 42, NULL};
	struct tt_audit_result ferr = {200, "Unhandled", "TypeError", "66666666-7777-8888-9999-000000000000", 7,
				       NULL};
	struct tt_err fail;
	struct tt_audit_result failed = {0, NULL, NULL, NULL, -1, &fail};

	tt_err_set(&fail, TT_ERR_AWS, "boom \x1b[2J\x1b]52;c;cHduZWQ=\x07 done");
	one(&a, "submit-feedback", NULL, "RequestResponse", &ok);
	one(&a, "submit-feedback", "live", "RequestResponse", &ferr);
	one(&a, "evil\x1b[31mfn", NULL, "Event", &failed);
	one(&a, "process-queue", NULL, "RequestResponse", NULL);
}

static bool screen_has(struct tt_view *v, int w, int h, const char *needle)
{
	char *text = vt_screen(v, w, h, true);
	bool found = strstr(text, needle) != NULL;

	if (!found)
		printf("# not on the screen: %s\n%s", needle, text);
	free(text);
	return found;
}

static void test_list(const char *dir)
{
	char path[512];
	struct tt_view *v;
	const char *st;

	snprintf(path, sizeof(path), "%s/audit.jsonl", dir);
	write_log(path);
	v = tt_view_audit_new(&env, NULL, path);
	vt_golden(v, "audit_80x24", 80, 24, true);
	vt_golden(v, "audit_160x48", 160, 48, true);
	tap_ok(screen_has(v, 160, 48, "! no result (interrupted?)"), "the intent without result is marked '!'");
	tap_ok(screen_has(v, 160, 48, "200 Unhandled: TypeError"), "a function error shows its type");
	tap_ok(screen_has(v, 160, 48, "error: boom"), "a failed invoke shows its error");
	st = v->ops->status(v);
	tap_ok(st && strstr(st, "4 actions, 1 without result") && strstr(st, path), "status: counts and path (%s)",
	       st ? st : "(null)");

	/* Row 0 is the newest: the interrupted one; the function error is row 2. */
	vt_log.message[0] = 0;
	v->ops->key(v, 'y', 0);
	tap_ok(vt_log.copied[0] == 0 && strstr(vt_log.message, "no request id"),
	       "y without a request id says so");
	v->ops->key(v, TT_KEY_DOWN, 0);
	v->ops->key(v, TT_KEY_DOWN, 0);
	v->ops->key(v, 'y', 0);
	tap_str_eq(vt_log.copied, "66666666-7777-8888-9999-000000000000", "y copies the request id");

	v->ops->key(v, TT_KEY_ENTER, 0);
	tap_ok(screen_has(v, 80, 48, "\"function_error\": \"Unhandled\"") &&
		       screen_has(v, 80, 48, "\"qualifier\": \"live\"") && screen_has(v, 80, 48, "INTENT"),
	       "Enter shows the intent and the result, pretty-printed");
	vt_golden(v, "audit_detail_80x48", 80, 48, true);

	vt_log.pushed[0] = 0;
	v->ops->key(v, 'L', 1796529600000LL);
	tap_str_eq(vt_log.pushed, "logs", "L pushes a logs view of the request");

	v->ops->key(v, TT_KEY_UP, 0);
	v->ops->key(v, TT_KEY_ENTER, 0); /* hides */
	v->ops->key(v, TT_KEY_ENTER, 0);
	tap_ok(screen_has(v, 160, 48, "RESULT"), "the failed invoke's detail has its result");
	vt_golden(v, "audit_detail_hostile_160x48", 160, 48, true);
	v->ops->free(v);
}

static void test_empty_and_unreadable(const char *dir)
{
	char path[512];
	struct tt_view *v;

	snprintf(path, sizeof(path), "%s/none.jsonl", dir);
	v = tt_view_audit_new(&env, NULL, path);
	tap_ok(screen_has(v, 160, 24, "no actions recorded yet (") && screen_has(v, 160, 24, "none.jsonl"),
	       "an absent log: no actions recorded yet (PATH)");
	v->ops->free(v);

	snprintf(path, sizeof(path), "%s/adir", dir);
	mkdir(path, 0700);
	v = tt_view_audit_new(&env, NULL, path);
	tap_ok(screen_has(v, 160, 24, "! cannot read the audit log"), "an unreadable log is shown in the view");
	v->ops->free(v);
}

/* --- the list-navigation keys ------------------------------------------------------------ */


/* PgUp/PgDn/Home/End/g/G, seen in the table's position ("19/40"): 40
 * actions, 19 shown under the header at 80x24 (a page moves 18), clamped
 * at both ends; row 1 is the newest. */
static void test_nav_keys(const char *dir)
{
	static const char *const help[6] = {"previous (newer) action", "next (older) action",
					    "previous page of actions", "next page of actions",
					    "first (newest) action",   "last (oldest) action"};
	static const struct {
		int key;
		const char *pos;
	} steps[] = {
	    {TT_KEY_PGDN, " 19/40"}, {TT_KEY_PGDN, " 37/40"}, {TT_KEY_PGDN, " 40/40"}, {TT_KEY_PGUP, " 22/40"},
	    {TT_KEY_HOME, " 1/40"},  {TT_KEY_PGUP, " 1/40"},  {TT_KEY_END, " 40/40"}, {'k', " 39/40"},
	    {'g', " 1/40"},          {'j', " 2/40"},          {'G', " 40/40"},        {TT_KEY_DOWN, " 40/40"},
	};
	char path[512], name[16];
	struct tt_audit a = {path, fake_wall};
	struct tt_audit_intent in = {"arn:aws:iam::123456789012:user/ops", "123456789012", "eu-west-1", NULL,
				     "submit-feedback", NULL, NULL, "Event", "{}", 2, NULL, NULL};
	char id[TT_AUDIT_ID_LEN];
	struct tt_err err;
	struct tt_view *v;
	int written = 0;

	snprintf(path, sizeof(path), "%s/long.jsonl", dir);
	for (int i = 0; i < 40; i++)
		written += tt_audit_intent(&a, &in, id, &err) == 0;
	tap_ok(written == 40, "40 intents written");
	v = tt_view_audit_new(&env, NULL, path);
	tap_ok(screen_has(v, 80, 24, " 1/40"), "40 actions, the newest selected");
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		int r = v->ops->key(v, steps[i].key, 0);
		tap_ok(r == TT_VIEW_HANDLED && screen_has(v, 80, 24, steps[i].pos), "%s: the selection at%s",
		       tt_key_name(steps[i].key, name), steps[i].pos);
	}
	vt_check_nav_help(v, help);
	v->ops->free(v);
}

int main(void)
{
	char *dir;

	setlocale(LC_ALL, "C.UTF-8");
	setenv("TZ", "UTC", 1);
	vt_clock_ms = 1796529600000LL;
	dir = tu_mkdtemp();
	test_list(dir);
	test_empty_and_unreadable(dir);
	test_nav_keys(dir);
	free(dir);
	return tap_done();
}
