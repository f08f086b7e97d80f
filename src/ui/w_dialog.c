/* The modal dialog (dialog.h). */
#include <stdlib.h>
#include <string.h>

#include "tiertop/dialog.h"
#include "tiertop/keys.h"
#include "tiertop/utf8.h"
#include "tiertop/xalloc.h"

#define MAX_LINES 8
#define INPUT_MAX 128
#define MARGIN 2          /* columns kept free around the box */
#define MIN_INNER 30      /* the box is at least this wide inside */

struct tt_dialog {
	char *title;
	char *lines[MAX_LINES];
	size_t nlines;
	char *label;
	char *hint;
	bool masked;
	char input[INPUT_MAX];
	size_t len;
};

struct tt_dialog *tt_dialog_new(const char *title, bool masked)
{
	struct tt_dialog *d = tt_xcalloc(1, sizeof(*d));

	d->title = tt_xstrdup(title ? title : "");
	d->masked = masked;
	d->label = tt_xstrdup("");
	d->hint = tt_xstrdup("Enter: OK   Esc: cancel");
	return d;
}

void tt_dialog_clear(struct tt_dialog *d)
{
	/* volatile: the wipe of a buffer about to be freed must not be
	 * optimised away. */
	volatile char *p = d->input;

	for (size_t i = 0; i < sizeof(d->input); i++)
		p[i] = 0;
	d->len = 0;
}

void tt_dialog_free(struct tt_dialog **dp)
{
	struct tt_dialog *d = *dp;

	if (!d)
		return;
	tt_dialog_clear(d);
	free(d->title);
	for (size_t i = 0; i < d->nlines; i++)
		free(d->lines[i]);
	free(d->label);
	free(d->hint);
	free(d);
	*dp = NULL;
}

void tt_dialog_add_line(struct tt_dialog *d, const char *text)
{
	if (d->nlines < MAX_LINES)
		d->lines[d->nlines++] = tt_xstrdup(text ? text : "");
}

void tt_dialog_set_prompt(struct tt_dialog *d, const char *label, const char *hint)
{
	free(d->label);
	free(d->hint);
	d->label = tt_xstrdup(label ? label : "");
	d->hint = tt_xstrdup(hint ? hint : "");
}

const char *tt_dialog_input(const struct tt_dialog *d)
{
	return d->input;
}

enum tt_dialog_result tt_dialog_key(struct tt_dialog *d, int key)
{
	char utf8[4];
	size_t n;

	if (key == TT_KEY_ESC)
		return TT_DIALOG_ESC;
	if (key == TT_KEY_ENTER || key == '\n')
		return TT_DIALOG_ENTER;
	if (key == TT_KEY_BACKSPACE || key == 0x7f || key == TT_KEY_CTRL('h')) {
		/* Back over a whole UTF-8 character. */
		while (d->len && (d->input[--d->len] & 0xc0) == 0x80)
			d->input[d->len] = 0;
		d->input[d->len] = 0;
	} else if (key == TT_KEY_CTRL('u')) {
		tt_dialog_clear(d);
	} else if (key >= ' ' && key < TT_KEY_BASE) {
		n = tt_utf8_encode((uint32_t)key, utf8);
		if (d->len + n < sizeof(d->input)) {
			memcpy(d->input + d->len, utf8, n);
			d->len += n;
		}
	}
	return TT_DIALOG_OPEN;
}

/* Characters (not bytes) typed: what a masked input shows as stars. */
static int typed_chars(const struct tt_dialog *d)
{
	int n = 0;

	for (size_t i = 0; i < d->len; i++)
		n += (d->input[i] & 0xc0) != 0x80;
	return n;
}

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

/* Inner width: what the text needs, within the canvas. */
static int inner_width(const struct tt_dialog *d, const struct tt_canvas *c)
{
	int want = MIN_INNER;

	want = max_int(want, tt_canvas_text_width(c, d->title) + 4);
	for (size_t i = 0; i < d->nlines; i++)
		want = max_int(want, tt_canvas_text_width(c, d->lines[i]));
	want = max_int(want, tt_canvas_text_width(c, d->hint));
	want += 2; /* a space each side */
	return want < c->w - 2 * MARGIN - 2 ? want : c->w - 2 * MARGIN - 2;
}

static void draw_frame(const struct tt_dialog *d, struct tt_canvas *c, int x, int y, int w, int h)
{
	struct tt_style frame = {0, 0, 0}, title = {0, 0, TT_ATTR_BOLD};

	tt_canvas_fill(c, x, y, w, h, ' ', frame);
	tt_canvas_fill(c, x, y, w, 1, 0x2500, frame);
	tt_canvas_fill(c, x, y + h - 1, w, 1, 0x2500, frame);
	tt_canvas_fill(c, x, y, 1, h, 0x2502, frame);
	tt_canvas_fill(c, x + w - 1, y, 1, h, 0x2502, frame);
	tt_canvas_fill(c, x, y, 1, 1, 0x250C, frame);
	tt_canvas_fill(c, x + w - 1, y, 1, 1, 0x2510, frame);
	tt_canvas_fill(c, x, y + h - 1, 1, 1, 0x2514, frame);
	tt_canvas_fill(c, x + w - 1, y + h - 1, 1, 1, 0x2518, frame);
	if (*d->title && w > 6) {
		int tw = tt_canvas_text_fit(c, x + 3, y, w - 6 < tt_canvas_text_width(c, d->title)
						 ? w - 6 : tt_canvas_text_width(c, d->title), d->title, title, false);
		tt_canvas_fill(c, x + 2, y, 1, 1, ' ', frame);
		tt_canvas_fill(c, x + 3 + tw, y, 1, 1, ' ', frame);
	}
}

static void draw_input(const struct tt_dialog *d, struct tt_canvas *c, int x, int y, int w)
{
	struct tt_style plain = {0, 0, 0}, field = {0, 0, TT_ATTR_UNDERLINE}, cursor = {0, 0, TT_ATTR_REVERSE};
	int used = 0, stars = typed_chars(d);

	if (*d->label)
		used = tt_canvas_text(c, x, y, w, d->label, plain) + 1;
	if (used >= w)
		return;
	tt_canvas_fill(c, x + used, y, w - used, 1, ' ', field);
	if (d->masked) {
		/* A star per character, never the character; past the field's
		 * width the count no longer shows (nor needs to). */
		int shown = stars < w - used - 1 ? stars : w - used - 1;
		tt_canvas_fill(c, x + used, y, shown, 1, '*', field);
		used += shown;
	} else {
		used += tt_canvas_text(c, x + used, y, w - used - 1, d->input, field);
	}
	if (used < w)
		tt_canvas_fill(c, x + used, y, 1, 1, ' ', cursor);
}

void tt_dialog_draw(const struct tt_dialog *d, struct tt_canvas *c)
{
	int inner = inner_width(d, c), w = inner + 2;
	int h = (int)d->nlines + 7, x, y, row;
	struct tt_style plain = {0, 0, 0}, dim = {0, 0, TT_ATTR_DIM};

	if (inner < 4 || c->h < 3)
		return;
	if (h > c->h)
		h = c->h;
	x = (c->w - w) / 2;
	y = (c->h - h) / 2;
	draw_frame(d, c, x, y, w, h);
	row = y + 2;
	for (size_t i = 0; i < d->nlines && row < y + h - 5; i++, row++)
		tt_canvas_text_fit(c, x + 2, row, inner - 2, d->lines[i], plain, false);
	row = y + h - 4;
	if (row > y)
		draw_input(d, c, x + 2, row, inner - 2);
	row = y + h - 2;
	if (row > y + 1 && *d->hint)
		tt_canvas_text_fit(c, x + 2, row, inner - 2, d->hint, dim, false);
}
