/* What the view tests share: a view drawn as the console draws it (rows
 * 1..h-2, between the breadcrumb and the status line) into a canvas of its
 * own, as text; a look for text on it; the golden comparison; and a fake
 * console behind struct tt_view_env that records what a view asked of it. */
#ifndef TIERTOP_VIEWTEST_H
#define TIERTOP_VIEWTEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "testutil.h"
#include "tiertop/canvas.h"
#include "tiertop/help.h"
#include "tiertop/view.h"

/* The screen as text (caller frees). */
static inline char *vt_screen(struct tt_view *v, int w, int h, bool utf8)
{
	struct tt_canvas *c = tt_canvas_new(w, h, utf8);
	char *text;

	v->ops->draw(v, c, 1, h - 2);
	text = tt_canvas_text_dump(c);
	tt_canvas_free(&c);
	return text;
}

/* Whether needle is on an 80x24 UTF-8 screen; when not, the screen is
 * printed as a TAP comment (quiet: not printed). */
static inline bool vt_on_screen(struct tt_view *v, const char *needle, bool quiet)
{
	char *text = vt_screen(v, 80, 24, true);
	bool found = strstr(text, needle) != NULL;

	if (!found && !quiet)
		printf("# not on the screen: %s\n%s", needle, text);
	free(text);
	return found;
}

/* Two checks: the screen matches tests/golden/NAME.txt, and no escape
 * character reached it. */
static inline void vt_golden(struct tt_view *v, const char *name, int w, int h, bool utf8)
{
	char *text = vt_screen(v, w, h, utf8);

	tap_ok(tt_golden_check(name, text), "%s matches tests/golden/%s.txt", name, name);
	tap_ok(!strchr(text, 0x1b), "%s: no escape character reaches the screen", name);
	free(text);
}

/* The fake console. The callbacks get only con, which the tests leave
 * NULL, so what they record goes to one instance per test program: a test
 * clears it with vt_env_reset wherever it clears its own fakes. */
struct viewtest_env_log {
	int npushed;       /* views pushed, NULL ones included */
	char pushed[64];   /* the last one's kind... */
	char crumb[128];   /* ...and breadcrumb, read before it is freed */
	char message[512]; /* the last status-line message */
	char copied[1024]; /* the last OSC 52 copy */
};

static struct viewtest_env_log vt_log;

/* What env->now_ms answers: fixed, so that nothing a view works out from
 * it differs between runs. 2026-01-01T00:00:00Z unless a test sets its own. */
static int64_t vt_clock_ms = 1767225600000LL;

static inline void vt_env_reset(void)
{
	memset(&vt_log, 0, sizeof(vt_log));
}

/* The pushed view is freed at once: the tests check what was opened, not
 * drive it, and nothing is left for them to free. */
static inline void vt_env_push(void *con, struct tt_view *v)
{
	(void)con;
	vt_log.npushed++;
	if (!v)
		return;
	snprintf(vt_log.pushed, sizeof(vt_log.pushed), "%s", v->ops->kind);
	snprintf(vt_log.crumb, sizeof(vt_log.crumb), "%s", v->ops->crumb(v));
	v->ops->free(v);
}

static inline void vt_env_message(void *con, const char *text)
{
	(void)con;
	snprintf(vt_log.message, sizeof(vt_log.message), "%s", text);
}

static inline void vt_env_copy(void *con, const char *text)
{
	(void)con;
	snprintf(vt_log.copied, sizeof(vt_log.copied), "%s", text);
}

static inline int64_t vt_env_now(void *con)
{
	(void)con;
	return vt_clock_ms;
}

/* The console's part of a struct tt_view_env initializer, so that a
 * static env stays one initializer with the test's own fields. */
#define VT_ENV_FAKES .push = vt_env_push, .message = vt_env_message, .copy = vt_env_copy, .now_ms = vt_env_now

/* --- the list-navigation keys' help, shared by the list views' tests ------------------ */

/* Whether the `?` help of v's keymap has an entry for keys (as the help
 * names them, "Home, g") whose text begins with text. */
static inline bool vt_help_has(const struct tt_view *v, const char *keys, const char *text)
{
	const struct tt_keymap *maps[1] = {v->ops->keymap};
	struct tt_canvas *c = tt_canvas_new(200, 60, true);
	char *dump, *p;
	bool found = false;

	tt_keymap_help_draw(maps, 1, c, 0, 60, 0);
	dump = tt_canvas_text_dump(c);
	for (p = dump; !found && (p = strstr(p, keys)) != NULL; p += strlen(keys)) {
		const char *q = p + strlen(keys);
		while (*q == ' ')
			q++;
		found = (p == dump || p[-1] == ' ' || p[-1] == '\n') && q - p - (long)strlen(keys) >= 2 &&
			strncmp(q, text, strlen(text)) == 0;
	}
	if (!found)
		printf("# no help entry \"%s  %s...\":\n%s", keys, text, dump);
	free(dump);
	tt_canvas_free(&c);
	return found;
}

/* The six entries every list view's help has, in the order of keys[]. */
static inline void vt_check_nav_help(const struct tt_view *v, const char *const text[6])
{
	static const char *const keys[6] = {"Up, k", "Down, j", "PgUp", "PgDn", "Home, g", "End, G"};

	for (size_t i = 0; i < 6; i++)
		tap_ok(vt_help_has(v, keys[i], text[i]), "help (%s): %s  %s", v->ops->kind, keys[i], text[i]);
}

#endif
