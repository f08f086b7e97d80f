/* The payload editor: typing, moving across lines and UTF-8 characters,
 * Backspace/Delete joining lines, undo (typing runs undone at once, a
 * whole-text replace), the size limit, the JSON check's line and column,
 * and what it draws (golden, 80x24: a short payload with the cursor, and a
 * long one scrolled both ways). */
#define _XOPEN_SOURCE 700

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "testutil.h"
#include "tiertop/canvas.h"
#include "tiertop/editor.h"
#include "tiertop/keys.h"
#include "tiertop/utf8.h"

static void type(struct tt_editor *e, const char *s)
{
	uint32_t cp;

	for (size_t i = 0, n; s[i]; i += n) {
		n = tt_utf8_next(s + i, strlen(s + i), &cp);
		tt_editor_key(e, s[i] == '\n' ? TT_KEY_ENTER : (int)cp);
	}
}

static void keys(struct tt_editor *e, int key, int times)
{
	while (times--)
		tt_editor_key(e, key);
}

static void editing(void)
{
	struct tt_editor *e = tt_editor_new(1000);
	size_t line, col;

	type(e, "{\"a\": 1,\n  \"b\": 2}");
	tap_str_eq(tt_editor_text(e, NULL), "{\"a\": 1,\n  \"b\": 2}", "typed text with a newline");
	tt_editor_cursor(e, &line, &col);
	tap_ok(line == 2 && col == 10, "cursor at line 2, column 10 (got %zu:%zu)", line, col);
	keys(e, TT_KEY_HOME, 1);
	keys(e, TT_KEY_BACKSPACE, 1);
	tap_str_eq(tt_editor_text(e, NULL), "{\"a\": 1,  \"b\": 2}", "Backspace at a line's start joins it");
	tt_editor_cursor(e, &line, &col);
	tap_ok(line == 1 && col == 9, "cursor where the lines met (got %zu:%zu)", line, col);
	keys(e, TT_KEY_ENTER, 1);
	keys(e, TT_KEY_LEFT, 1);
	keys(e, TT_KEY_DELETE, 1);
	tap_str_eq(tt_editor_text(e, NULL), "{\"a\": 1,  \"b\": 2}", "Delete at a line's end joins it");
	keys(e, TT_KEY_END, 1);
	type(e, "\n");
	type(e, "x");
	tap_str_eq(tt_editor_text(e, NULL), "{\"a\": 1,  \"b\": 2}\nx", "Enter at the end");
	tt_editor_free(&e);

	e = tt_editor_new(1000);
	type(e, "  [1,\n  2]");
	tap_str_eq(tt_editor_text(e, NULL), "  [1,\n  2]", "no automatic indentation: a paste stays as it was");
	tt_editor_free(&e);
}

static void moving(void)
{
	struct tt_editor *e = tt_editor_new(1000);
	size_t line, col;

	type(e, "h\xc3\xa9llo w\xc3\xb6rld\nab\nlonger line");
	keys(e, TT_KEY_UP, 2);
	tt_editor_cursor(e, &line, &col);
	tap_ok(line == 1 && col == 12, "Up twice keeps the column when it fits (got %zu:%zu)", line, col);
	keys(e, TT_KEY_DOWN, 1);
	tt_editor_cursor(e, &line, &col);
	tap_ok(line == 2 && col == 3, "a shorter line: its end (got %zu:%zu)", line, col);
	keys(e, TT_KEY_DOWN, 1);
	tt_editor_cursor(e, &line, &col);
	tap_ok(line == 3 && col == 12, "then back to the goal column (got %zu:%zu)", line, col);
	tt_editor_goto(e, 1, 3);
	keys(e, TT_KEY_BACKSPACE, 1);
	tap_ok(strncmp(tt_editor_text(e, NULL), "hllo", 4) == 0, "Backspace removes a whole 2-byte character");
	keys(e, TT_KEY_RIGHT, 5);
	keys(e, TT_KEY_DELETE, 1);
	tap_ok(strncmp(tt_editor_text(e, NULL), "hllo wrld", 9) == 0, "Delete too");
	keys(e, TT_KEY_LEFT, 100);
	tt_editor_cursor(e, &line, &col);
	tap_ok(line == 1 && col == 1, "Left stops at the start");
	keys(e, TT_KEY_PGDN, 1);
	tt_editor_cursor(e, &line, &col);
	tap_ok(line == 3, "PgDn goes down a page (here: the last line)");
	keys(e, TT_KEY_PGUP, 1);
	tt_editor_cursor(e, &line, &col);
	tap_ok(line == 1, "PgUp back up");
	tt_editor_free(&e);
}

static void undo_and_limit(void)
{
	struct tt_editor *e = tt_editor_new(10);

	type(e, "abc");
	keys(e, TT_KEY_LEFT, 1);
	type(e, "XY");
	tap_str_eq(tt_editor_text(e, NULL), "abXYc", "typing in the middle");
	tap_ok(tt_editor_key(e, TT_KEY_CTRL('_')) == TT_EDITOR_CHANGED, "Ctrl-_ undoes");
	tap_str_eq(tt_editor_text(e, NULL), "abc", "the run XY at once");
	tt_editor_key(e, TT_KEY_CTRL('u'));
	tap_str_eq(tt_editor_text(e, NULL), "", "Ctrl-U undoes too: the run abc");
	tap_ok(tt_editor_key(e, TT_KEY_CTRL('u')) == TT_EDITOR_MOVED, "nothing left to undo");
	type(e, "0123456789");
	tap_ok(tt_editor_key(e, 'x') == TT_EDITOR_FULL, "the 11th byte is refused");
	tap_ok(tt_editor_key(e, 0xe9) == TT_EDITOR_FULL, "a 2-byte character too");
	tap_ok(tt_editor_set_text(e, "01234567890", 11) == TT_EDITOR_FULL, "so is a text over the limit");
	tap_str_eq(tt_editor_text(e, NULL), "0123456789", "which left the text alone");
	tap_ok(tt_editor_set_text(e, "{}", 2) == TT_EDITOR_CHANGED, "a new text");
	tt_editor_undo(e);
	tap_str_eq(tt_editor_text(e, NULL), "0123456789", "undoes as one step");
	tt_editor_forget_undo(e);
	tap_ok(!tt_editor_undo(e), "a forgotten history has nothing to undo");
	tap_ok(tt_editor_key(e, TT_KEY_ESC) == TT_EDITOR_IGNORED, "Esc is not the editor's");
	tap_ok(tt_editor_key(e, TT_KEY_F1) == TT_EDITOR_IGNORED, "nor F1");
	tap_ok(tt_editor_key(e, 0x1b) == TT_EDITOR_IGNORED && tt_editor_key(e, 0x85) == TT_EDITOR_IGNORED,
	       "control characters are not inserted");
	tt_editor_free(&e);
}

static void json_check(void)
{
	struct tt_editor *e = tt_editor_new(1000);
	char msg[200];
	int line, col;

	tap_ok(!tt_editor_check(e, msg, sizeof(msg), NULL, NULL), "empty is not valid");
	tap_str_eq(msg, "empty: type a JSON value ({} for none)", "and says what to do");
	type(e, "{\n  \"a\": 1,\n  \"b\" 2\n}");
	tap_ok(!tt_editor_check(e, msg, sizeof(msg), &line, &col), "a missing colon");
	tap_ok(line == 3 && col == 7, "found at line 3, column 7 (got %d:%d)", line, col);
	tap_ok(strcmp(msg, "line 3, column 7: ':' expected near '2'") == 0, "said so: %s", msg);
	tt_editor_goto(e, 3, 6);
	type(e, ":");
	tap_ok(tt_editor_check(e, msg, sizeof(msg), &line, &col) && line == 0, "fixed");
	tap_str_eq(msg, "JSON ok, 22 bytes", "ok with its size");
	tt_editor_set_text(e, "\"just a string\"", 15);
	tap_ok(tt_editor_check(e, NULL, 0, NULL, NULL), "any JSON value is a payload");
	tt_editor_set_text(e, "[12345678901234567890123]", 25);
	tap_ok(tt_editor_check(e, NULL, 0, NULL, NULL), "an integer of any size is valid JSON");
	tt_editor_set_text(e, "{} x", 4);
	tap_ok(!tt_editor_check(e, msg, sizeof(msg), NULL, NULL), "text after the value is an error: %s", msg);
	tt_editor_free(&e);
}

static char *draw(struct tt_editor *e, bool focused)
{
	struct tt_canvas *c = tt_canvas_new(80, 24, true);
	char msg[200], *text;

	tt_editor_draw(e, c, 0, 0, 80, 22, focused);
	tt_editor_check(e, msg, sizeof(msg), NULL, NULL);
	tt_canvas_text(c, 0, 23, 80, msg, (struct tt_style){0, 0, 0});
	text = tt_canvas_text_dump(c);
	tt_canvas_free(&c);
	return text;
}

static bool cursor_at(struct tt_editor *e, int x, int y)
{
	struct tt_canvas *c = tt_canvas_new(80, 24, true);
	const struct tt_cell *cell;
	bool ok;

	tt_editor_draw(e, c, 0, 0, 80, 22, true);
	cell = tt_canvas_at(c, x, y);
	ok = cell && (cell->style.attr & TT_ATTR_REVERSE);
	tt_canvas_free(&c);
	return ok;
}

static void drawing(void)
{
	struct tt_editor *e = tt_editor_new(1 << 20);
	char *text, line[200];

	/* As $EDITOR or a remembered payload would bring it: an escape too. */
	const char *hostile = "{\n  \"subject\": \"h\xc3\xa9llo\",\n  \"body\": \"spam \x1b[31m\"\n";
	tt_editor_set_text(e, hostile, strlen(hostile));
	keys(e, TT_KEY_DOWN, 3);
	type(e, "}");
	text = draw(e, true);
	tap_ok(tt_golden_check("editor_short_80x24", text), "a short payload");
	tap_ok(!strchr(text, 0x1b), "an escape typed in shows as ^[, never raw");
	free(text);
	tap_ok(cursor_at(e, 5, 3), "the cursor after the last }");
	tt_editor_goto(e, 2, 3);
	tap_ok(cursor_at(e, 6, 1), "and where it was moved");

	tt_editor_set_text(e, "", 0);
	for (int i = 1; i <= 40; i++) {
		snprintf(line, sizeof(line), "%s\"key%02d\": \"%0*d\"", i == 1 ? "{" : ",\n", i, i == 30 ? 120 : 4, i);
		type(e, line);
	}
	type(e, "\n}");
	tt_editor_goto(e, 30, 100);
	text = draw(e, true);
	tap_ok(tt_golden_check("editor_scrolled_80x24", text), "a long payload scrolled to line 30, column 100");
	free(text);
	tap_ok(cursor_at(e, 79, 21), "the cursor at the bottom right, where scrolling put it");
	tt_editor_free(&e);
}

int main(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	editing();
	moving();
	undo_and_limit();
	json_check();
	drawing();
	return tap_done();
}
