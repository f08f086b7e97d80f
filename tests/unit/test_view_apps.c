/* The applications view with a fake io behind the model: what it shows
 * while searching, the list with an error in place (golden, 80x24), keys,
 * scrolling, and Enter handing the selection to the console. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "testutil.h"
#include "viewtest.h"
#include "tiertop/apps.h"
#include "tiertop/canvas.h"
#include "tiertop/help.h"
#include "tiertop/keys.h"
#include "tiertop/views.h"

#define MAXCALLS 16

struct pending {
	const char *key;
	tt_name_list_fn done;
	void *ctx;
};

static struct {
	struct pending calls[MAXCALLS];
	size_t n;
	int picks;
	enum tt_select_kind kind;
	char value[128];
	size_t nsel;
} F;

static int fake_stacks(void *io, tt_name_list_fn done, void *ctx, struct tt_err *err)
{
	(void)io, (void)err;
	F.calls[F.n++] = (struct pending){NULL, done, ctx};
	return 0;
}

static int fake_values(void *io, const char *key, tt_name_list_fn done, void *ctx, struct tt_err *err)
{
	(void)io, (void)err;
	F.calls[F.n++] = (struct pending){key, done, ctx};
	return 0;
}

static const struct tt_apps_io fake_io = {fake_stacks, fake_values, NULL};

static void env_open_app(void *con, const struct tt_select *sel, size_t n)
{
	(void)con;
	F.picks++;
	F.nsel = n;
	F.kind = sel[0].kind;
	snprintf(F.value, sizeof(F.value), "%s", sel[0].value);
}

static struct tt_view_env env = {.utf8 = true, .color = true, VT_ENV_FAKES, .open_app = env_open_app};

/* Answers every call in flight: stacks with nstacks names, the key app
 * with two values, service with an access error, the others with nothing. */
static void answer_all(size_t nstacks)
{
	static char names[64][32];
	const char *stacks[64];
	static const char *const app[] = {"workers", "feedback"};
	struct tt_err denied;

	tt_err_set(&denied, TT_ERR_AWS, "User is not authorized to perform: tag:GetTagValues");
	snprintf(denied.code, sizeof(denied.code), "AccessDeniedException");
	denied.http_status = 400;
	for (size_t i = 0; i < nstacks && i < 64; i++) {
		snprintf(names[i], sizeof(names[i]), i == 0 ? "feedback-stack" : "stack-%02zu", i);
		stacks[i] = names[i];
	}
	while (F.n) {
		struct pending p = F.calls[--F.n];
		struct tt_name_list list = {NULL, 0};
		if (!p.key) {
			list = (struct tt_name_list){stacks, nstacks};
		} else if (strcmp(p.key, "app") == 0) {
			list = (struct tt_name_list){app, 2};
		} else if (strcmp(p.key, "service") == 0) {
			p.done(p.ctx, NULL, &denied);
			continue;
		}
		p.done(p.ctx, &list, NULL);
	}
}

static char *screen(struct tt_view *v, int w, int h)
{
	struct tt_canvas *c = tt_canvas_new(w, h, true);
	char *text;

	v->ops->draw(v, c, 0, h);
	text = tt_canvas_text_dump(c);
	tt_canvas_free(&c);
	return text;
}

static bool screen_has(struct tt_view *v, const char *needle)
{
	char *text = screen(v, 80, 22);
	bool found = strstr(text, needle) != NULL;

	if (!found)
		printf("# screen:\n%s", text);
	free(text);
	return found;
}

static void golden(struct tt_view *v, const char *name)
{
	char *text = screen(v, 80, 24);

	tap_ok(tt_golden_check(name, text), "golden %s", name);
	free(text);
}

static void test_list_and_pick(void)
{
	struct tt_view *v;
	int64_t now = vt_clock_ms;

	memset(&F, 0, sizeof(F));
	vt_env_reset();
	v = tt_view_apps_new(&env, &fake_io);
	tap_ok(strcmp(v->ops->crumb(v), "applications") == 0, "the breadcrumb");
	tap_ok(F.n == 0, "nothing asked before the loop runs the view");
	v->ops->tick(v, now);
	tap_ok(F.n == 1 + tt_apps_ntag_keys, "the first tick asks everything at once (%zu calls)", F.n);
	tap_ok(screen_has(v, "finding applications..."), "while searching it says so");
	tap_ok(strcmp(v->ops->status(v), "finding applications...") == 0, "... in the status line too");
	golden(v, "apps_loading_80x24");
	answer_all(2);
	tap_ok(v->dirty, "the answers mark the view for drawing");
	golden(v, "apps_80x24");
	tap_ok(strcmp(v->ops->status(v), "4 applications found") == 0, "status counts: %s", v->ops->status(v));
	tap_ok(v->ops->key(v, 'j', now) == TT_VIEW_HANDLED, "j moves down");
	tap_ok(v->ops->key(v, TT_KEY_ENTER, now) == TT_VIEW_HANDLED, "Enter picks");
	tap_ok(F.picks == 1 && F.nsel == 1 && F.kind == TT_SELECT_STACK && strcmp(F.value, "stack-01") == 0,
	       "... the selected stack goes to the console (%s)", F.value);
	v->ops->key(v, 'G', now);
	v->ops->key(v, TT_KEY_ENTER, now);
	tap_ok(F.picks == 2 && F.kind == TT_SELECT_TAG && strcmp(F.value, "app=workers") == 0,
	       "G then Enter: the last, a tag, as KEY=VALUE (%s)", F.value);
	tap_ok(v->ops->key(v, TT_KEY_ESC, now) == TT_VIEW_IGNORED, "Esc is the console's (back)");
	tap_ok(v->ops->key(v, 'r', now) == TT_VIEW_HANDLED && F.n == 1 + tt_apps_ntag_keys, "r searches again");
	tap_ok(screen_has(v, "finding applications..."), "... and says so");
	v->ops->key(v, TT_KEY_ENTER, now);
	tap_ok(F.picks == 2 && strcmp(vt_log.message, "still finding applications") == 0,
	       "Enter while searching: %s", vt_log.message);
	v->ops->free(v); /* calls still in flight: their answers are dropped */
	answer_all(1);
	tap_ok(F.picks == 2, "answers after the view is gone change nothing");
}

static void test_scroll_keeps_errors(void)
{
	struct tt_view *v;
	int64_t now = vt_clock_ms;

	memset(&F, 0, sizeof(F));
	vt_env_reset();
	v = tt_view_apps_new(&env, &fake_io);
	v->ops->tick(v, now);
	answer_all(40);
	for (int i = 0; i < 30; i++)
		v->ops->key(v, 'j', now);
	tap_ok(screen_has(v, "stack-30"), "the selection stays on screen");
	tap_ok(screen_has(v, "! tags unavailable: tag key service: User is not authorized"),
	       "the error stays in view under a long list");
	v->ops->key(v, 'g', now);
	tap_ok(screen_has(v, "stack feedback-stack"), "g goes back to the top");
	v->ops->free(v);
}

/* --- the list-navigation keys ------------------------------------------------------------ */


/* PgUp/PgDn/Home/End/g/G move the selection, seen in the table's position
 * ("16/42"): 42 rows, 16 shown under the header at 80x22 (a page moves 15,
 * keeping a row of the last page in view), clamped at both ends. */
static void test_nav_keys(void)
{
	static const char *const help[6] = {"previous application", "next application", "previous page of applications",
					    "next page of applications", "first application", "last application"};
	static const struct {
		int key;
		const char *pos;
	} steps[] = {
	    {TT_KEY_PGDN, " 16/42"}, {TT_KEY_PGDN, " 31/42"}, {TT_KEY_PGDN, " 42/42"}, {TT_KEY_PGUP, " 27/42"},
	    {TT_KEY_HOME, " 1/42"},  {TT_KEY_PGUP, " 1/42"},  {TT_KEY_END, " 42/42"}, {'k', " 41/42"},
	    {'g', " 1/42"},          {'j', " 2/42"},          {'G', " 42/42"},        {TT_KEY_DOWN, " 42/42"},
	};
	struct tt_view *v;
	char name[16];

	memset(&F, 0, sizeof(F));
	vt_env_reset();
	v = tt_view_apps_new(&env, &fake_io);
	v->ops->tick(v, vt_clock_ms);
	answer_all(40);
	tap_ok(screen_has(v, " 1/42"), "42 applications, the first selected");
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		int r = v->ops->key(v, steps[i].key, vt_clock_ms);
		tap_ok(r == TT_VIEW_HANDLED && screen_has(v, steps[i].pos), "%s: the selection at%s",
		       tt_key_name(steps[i].key, name), steps[i].pos);
	}
	vt_check_nav_help(v, help);
	v->ops->free(v);
}

static void test_nothing_found(void)
{
	struct tt_view *v;
	struct tt_view_env bare = env;

	memset(&F, 0, sizeof(F));
	vt_env_reset();
	bare.open_app = NULL;
	v = tt_view_apps_new(&bare, &fake_io);
	v->ops->tick(v, vt_clock_ms);
	while (F.n) {
		struct pending p = F.calls[--F.n];
		struct tt_name_list none = {NULL, 0};
		p.done(p.ctx, &none, NULL);
	}
	tap_ok(screen_has(v, "no applications found"), "nothing found says so");
	v->ops->key(v, TT_KEY_ENTER, vt_clock_ms);
	tap_ok(strcmp(vt_log.message, "nothing to pick") == 0, "Enter on nothing: %s", vt_log.message);
	v->ops->free(v);
}

static void test_hostile_name_inert(void)
{
	struct tt_view *v;
	static const char *const hostile[] = {"evil\x1b]52;c;aGk=\x07stack"};
	char *text;

	memset(&F, 0, sizeof(F));
	vt_env_reset();
	v = tt_view_apps_new(&env, &fake_io);
	v->ops->tick(v, vt_clock_ms);
	while (F.n) {
		struct pending p = F.calls[--F.n];
		struct tt_name_list list = {hostile, p.key ? 0 : 1};
		p.done(p.ctx, &list, NULL);
	}
	text = screen(v, 80, 24);
	tap_ok(!strchr(text, '\x1b') && !strchr(text, '\x07'), "a hostile stack name is drawn inert");
	tap_ok(strstr(text, "stack evil") != NULL, "... and still shown");
	free(text);
	v->ops->free(v);
}

int main(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	test_list_and_pick();
	test_scroll_keeps_errors();
	test_nav_keys();
	test_nothing_found();
	test_hostile_name_inert();
	return tap_done();
}
