/* What the view tests share: a view drawn as the console draws it (rows
 * 1..h-2, between the breadcrumb and the status line) into a canvas of its
 * own, as text; a look for text on it; and the golden comparison. */
#ifndef TIERTOP_VIEWTEST_H
#define TIERTOP_VIEWTEST_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "testutil.h"
#include "tiertop/canvas.h"
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

#endif
