/* The table and the status line, drawn into canvases and compared with
 * golden text (tests/golden/widget_*.txt). */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "testutil.h"
#include "tiertop/keys.h"
#include "tiertop/widgets.h"

static const struct tt_style plain;

static const struct tt_table_col fn_cols[] = {
    {"FUNCTION", 0, false},
    {"STATE", 8, false},
    {"DUR MS", 7, true},
};

static const char *fn_cell(void *ctx, size_t row, size_t col, struct tt_style *st)
{
	static char buf[64];

	(void)ctx;
	switch (col) {
	case 0:
		if (row == 3)
			return "evil\x1b]0;title\x07-fn";
		snprintf(buf, sizeof(buf), "feedback-fn-%02zu", row);
		return buf;
	case 1:
		if (row % 5 == 4) {
			st->fg = TT_COLOR_RED;
			return "Failed";
		}
		return "Active";
	default:
		snprintf(buf, sizeof(buf), "%zu", row * 137 % 100000);
		return buf;
	}
}

static void golden(const struct tt_canvas *c, const char *name)
{
	char *got = tt_canvas_text_dump(c);

	tap_ok(tt_golden_check(name, got), "%s matches tests/golden/%s.txt", name, name);
	free(got);
}

static bool row_reverse(const struct tt_canvas *c, int y, bool want)
{
	for (int x = 0; x < c->w; x++)
		if (((tt_canvas_at(c, x, y)->style.attr & TT_ATTR_REVERSE) != 0) != want)
			return false;
	return true;
}

static void test_table(void)
{
	struct tt_canvas *c = tt_canvas_new(40, 7, true);
	struct tt_table t;

	tt_table_init(&t, fn_cols, 3);
	tt_table_set_rows(&t, 20);
	tt_table_draw(&t, c, 0, 1, 40, 6, fn_cell, NULL, NULL);
	golden(c, "widget_table_top");
	tap_ok(row_reverse(c, 2, true) && row_reverse(c, 3, false),
	       "the selected row is reverse, the whole width");
	tap_ok(tt_canvas_at(c, 27, 6)->style.fg == TT_COLOR_RED, "a cell's own style is kept");

	tap_ok(tt_table_key(&t, TT_KEY_DOWN) && tt_table_key(&t, 'j') && t.sel == 2, "Down and j move down");
	tap_ok(!tt_table_key(&t, 'x') && t.sel == 2, "other keys are not the table's");
	tt_table_move(&t, 7);
	tt_table_draw(&t, c, 0, 1, 40, 6, fn_cell, NULL, NULL);
	tap_ok(t.sel == 9 && t.top == 5, "the view follows the selection down (top %zu)", t.top);
	golden(c, "widget_table_middle");
	tap_ok(row_reverse(c, 6, true), "the selection is on the last row shown");

	tt_table_key(&t, TT_KEY_END);
	tt_table_draw(&t, c, 0, 1, 40, 6, fn_cell, NULL, NULL);
	tap_ok(t.sel == 19 && t.top == 15, "End: last row, page full");
	golden(c, "widget_table_end");
	tt_table_key(&t, TT_KEY_PGUP);
	tap_ok(t.sel == 15, "PgUp moves a page less one row (%zu)", t.sel);
	tt_table_key(&t, TT_KEY_HOME);
	tt_table_draw(&t, c, 0, 1, 40, 6, fn_cell, NULL, NULL);
	tap_ok(t.sel == 0 && t.top == 0, "Home: back to the top");
	tt_table_key(&t, TT_KEY_PGDN);
	tap_ok(t.sel == 4, "PgDn moves a page less one row (%zu)", t.sel);
	tt_table_move(&t, -100);
	tap_ok(t.sel == 0, "moving past the top stops at 0");
	tt_table_move(&t, 100);
	tap_ok(t.sel == 19, "moving past the end stops at the last row");
	tt_table_set_rows(&t, 3);
	tap_ok(t.sel == 2, "fewer rows keep the selection inside");
	tt_table_draw(&t, c, 0, 1, 40, 6, fn_cell, NULL, NULL);
	tap_ok(t.top == 0, "fewer rows than the page: from the top");

	tt_canvas_clear(c);
	tt_table_set_rows(&t, 0);
	tt_table_key(&t, TT_KEY_DOWN);
	tt_table_draw(&t, c, 0, 1, 40, 6, fn_cell, NULL, "no functions (yet)");
	tap_ok(t.sel == 0, "an empty table selects nothing");
	golden(c, "widget_table_empty");

	tt_canvas_resize(c, 20, 4);
	tt_table_set_rows(&t, 20);
	tt_table_draw(&t, c, 0, 0, 20, 4, fn_cell, NULL, NULL);
	golden(c, "widget_table_narrow");
	tt_canvas_free(&c);
}

static void status_golden(int w, const char *name)
{
	static const struct tt_status_seg segs[] = {
	    {"prod eu-west-1", {TT_COLOR_CYAN, 0, 0}, false, 5},
	    {"fn submit-feedback > logs", {0, 0, 0}, false, 3},
	    {"following 2 groups, 1,234 lines", {0, 0, 0}, false, 1},
	    {"throttled: retrying in 4s \x1b[5m", {TT_COLOR_YELLOW, 0, 0}, true, 2},
	    {"? help", {0, 0, TT_ATTR_BOLD}, true, 4},
	};
	struct tt_canvas *c = tt_canvas_new(w, 1, true);
	const struct tt_style bar = {0, TT_COLOR_BLUE, 0};

	tt_status_draw(c, 0, segs, sizeof(segs) / sizeof(segs[0]), bar);
	golden(c, name);
	tap_ok(tt_canvas_at(c, w - 1, 0)->ch == 'p' || w < 10, "%s: the last right segment ends the line",
	       name);
	tap_ok(tt_canvas_at(c, w / 2, 0)->style.bg == TT_COLOR_BLUE || tt_canvas_at(c, w / 2, 0)->ch != ' ',
	       "%s: the bar's style fills the line", name);
	tt_canvas_free(&c);
}

static void test_status(void)
{
	static const struct tt_status_seg one[] = {
	    {"a very long error message that does not fit", {0}, false, 1}};
	struct tt_canvas *c = tt_canvas_new(20, 1, true);
	char *got;

	status_golden(160, "widget_status_160");
	status_golden(80, "widget_status_80");
	status_golden(40, "widget_status_40");
	tt_status_draw(c, 0, one, 1, plain);
	got = tt_canvas_text_dump(c);
	tap_str_eq(got, "a very long error m\xe2\x80\xa6\n", "a single segment is cut with an ellipsis");
	free(got);
	tt_status_draw(c, 0, NULL, 0, plain);
	got = tt_canvas_text_dump(c);
	tap_str_eq(got, "\n", "no segments: an empty line");
	free(got);
	tt_canvas_free(&c);
}

int main(void)
{
	if (!setlocale(LC_CTYPE, "C.UTF-8")) {
		tap_skip("no C.UTF-8 locale");
		return tap_done();
	}
	test_table();
	test_status();
	return tap_done();
}
