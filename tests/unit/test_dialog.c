/* The modal dialog: layout over a busy screen (golden, 80x24, UTF-8 and
 * ASCII), a masked input that never shows what is typed, editing keys,
 * Enter and Esc, hostile text and a canvas too small for it. */
#define _XOPEN_SOURCE 700

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "testutil.h"
#include "tiertop/canvas.h"
#include "tiertop/dialog.h"
#include "tiertop/keys.h"

static void background(struct tt_canvas *c)
{
	const struct tt_style plain = {0, 0, 0};

	for (int y = 0; y < c->h; y++)
		tt_canvas_fill(c, 0, y, c->w, 1, y % 2 ? '.' : '#', plain);
}

static struct tt_dialog *mfa_dialog(const char *serial)
{
	struct tt_dialog *d = tt_dialog_new("MFA code needed", true);

	tt_dialog_add_line(d, "profile mfa assumes a role with MFA");
	tt_dialog_add_line(d, serial);
	tt_dialog_set_prompt(d, "code:", "Enter: send   Esc: cancel");
	return d;
}

static void type(struct tt_dialog *d, const char *keys)
{
	for (const char *k = keys; *k; k++)
		tap_ok(tt_dialog_key(d, (unsigned char)*k) == TT_DIALOG_OPEN, "'%c' edits", *k);
}

static char *draw(const struct tt_dialog *d, int w, int h, bool utf8)
{
	struct tt_canvas *c = tt_canvas_new(w, h, utf8);
	char *text;

	background(c);
	tt_dialog_draw(d, c);
	text = tt_canvas_text_dump(c);
	tt_canvas_free(&c);
	return text;
}

static void golden(void)
{
	struct tt_dialog *d = mfa_dialog("device arn:aws:iam::111122223333:mfa/ops");
	char *text;

	type(d, "1234");
	text = draw(d, 80, 24, true);
	tap_ok(tt_golden_check("dialog_mfa_80x24", text), "the dialog at 80x24 (UTF-8)");
	tap_ok(!strstr(text, "1234"), "the code typed is not on the screen");
	tap_ok(strstr(text, "code: ****") != NULL, "a star for each character instead");
	free(text);
	text = draw(d, 80, 24, false);
	tap_ok(tt_golden_check("dialog_mfa_80x24_ascii", text), "the dialog at 80x24 (ASCII)");
	free(text);
	tt_dialog_free(&d);
}

static void editing(void)
{
	struct tt_dialog *d = mfa_dialog("x");

	type(d, "12x");
	tap_ok(tt_dialog_key(d, TT_KEY_BACKSPACE) == TT_DIALOG_OPEN, "Backspace edits");
	tap_str_eq(tt_dialog_input(d), "12", "Backspace removes the last character");
	tt_dialog_key(d, 0xe9); /* a two-byte character */
	tt_dialog_key(d, TT_KEY_BACKSPACE);
	tap_str_eq(tt_dialog_input(d), "12", "and a whole UTF-8 character");
	tt_dialog_key(d, TT_KEY_CTRL('u'));
	tap_str_eq(tt_dialog_input(d), "", "Ctrl-U clears");
	tt_dialog_key(d, TT_KEY_BACKSPACE);
	tap_str_eq(tt_dialog_input(d), "", "Backspace on nothing is harmless");
	tap_ok(tt_dialog_key(d, TT_KEY_UP) == TT_DIALOG_OPEN && !*tt_dialog_input(d), "special keys add nothing");
	type(d, "654321");
	tap_ok(tt_dialog_key(d, TT_KEY_ENTER) == TT_DIALOG_ENTER, "Enter ends it");
	tap_str_eq(tt_dialog_input(d), "654321", "with what was typed");
	tap_ok(tt_dialog_key(d, TT_KEY_ESC) == TT_DIALOG_ESC, "Esc cancels");
	tt_dialog_clear(d);
	tap_str_eq(tt_dialog_input(d), "", "clear wipes the input");
	for (int i = 0; i < 300; i++)
		tt_dialog_key(d, '9');
	tap_ok(strlen(tt_dialog_input(d)) < 128, "the input is bounded");
	tt_dialog_free(&d);
	tap_ok(d == NULL, "free clears the pointer");
}

static void hostile_and_small(void)
{
	struct tt_dialog *d = mfa_dialog("arn:aws:iam::1:mfa/\x1b[2Jevil\x9b" "31m");
	struct tt_canvas *c;
	char *text;

	text = draw(d, 80, 24, true);
	tap_ok(!strchr(text, '\x1b') && strstr(text, "^[[2Jevil"), "escape sequences from the file are shown, not run");
	free(text);
	for (int w = 1; w <= 40; w += 13) {
		for (int h = 1; h <= 12; h += 5) {
			c = tt_canvas_new(w, h, true);
			tt_dialog_draw(d, c);
			text = tt_canvas_text_dump(c);
			tap_ok(text != NULL, "draws at %dx%d without going out of the canvas", w, h);
			free(text);
			tt_canvas_free(&c);
		}
	}
	tt_dialog_free(&d);
	d = tt_dialog_new("a plain one", false);
	type(d, "visible");
	text = draw(d, 80, 24, true);
	tap_ok(strstr(text, "visible") != NULL, "an unmasked dialog shows its input");
	free(text);
	tt_dialog_free(&d);
}

int main(void)
{
	if (!setlocale(LC_CTYPE, "C.UTF-8")) {
		tap_skip("no C.UTF-8 locale");
		return tap_done();
	}
	golden();
	editing();
	hostile_and_small();
	return tap_done();
}
