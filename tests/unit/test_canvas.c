/* The canvas: layout of untrusted text in cells (clipping, wide and
 * combining characters), the guarantee that no cell ever holds a control
 * character whatever the input, ASCII mode, the help screen (golden). */
#define _XOPEN_SOURCE 700

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tap.h"
#include "testutil.h"
#include "tiertop/canvas.h"
#include "tiertop/help.h"
#include "tiertop/keys.h"
#include "tiertop/view.h"

static const struct tt_style plain, bold = {0, 0, TT_ATTR_BOLD};

static bool dump_is(const struct tt_canvas *c, const char *want, const char *what)
{
	char *got = tt_canvas_text_dump(c);
	bool same = tap_str_eq(got, want, what);

	free(got);
	return same;
}

/* Every cell is a printable character of width 1, the left half of a wide
 * character followed by its right half (0), and nothing else. */
static const char *cells_bad(const struct tt_canvas *c)
{
	for (int y = 0; y < c->h; y++) {
		for (int x = 0; x < c->w; x++) {
			uint32_t ch = tt_canvas_at(c, x, y)->ch;
			int w = ch ? wcwidth((wchar_t)ch) : -2;
			if (ch == 0)
				return "a right half without its left half";
			if (ch < 0x20 || ch == 0x7F || (ch >= 0x80 && ch <= 0x9F))
				return "a control character";
			if (!c->utf8 && ch >= 0x80)
				return "non-ASCII in ASCII mode";
			if (w == 0)
				return "a zero-width character";
			for (int i = 0; i < TT_CELL_MARKS; i++) {
				uint32_t m = tt_canvas_at(c, x, y)->marks[i];
				if (m && (m < 0x300 || wcwidth((wchar_t)m) != 0))
					return "a mark that is no combining character";
				if (m >= 0x202A && m <= 0x202E)
					return "a bidi control as a mark";
			}
			if (w == 2) {
				const struct tt_cell *next = tt_canvas_at(c, x + 1, y);
				if (!next || next->ch != 0)
					return "a wide character without its right half";
				x++;
			}
		}
	}
	return NULL;
}

static void cells_ok(const struct tt_canvas *c, const char *what)
{
	const char *bad = cells_bad(c);

	if (!tap_ok(!bad, "%s: every cell safe", what))
		printf("# %s\n", bad);
}

static void test_basic(void)
{
	struct tt_canvas *c = tt_canvas_new(10, 3, true);

	tap_ok(c->w == 10 && c->h == 3, "new: size");
	dump_is(c, "\n\n\n", "new: blank, trailing spaces trimmed");
	tap_ok(tt_canvas_text(c, 1, 0, -1, "hello", plain) == 5, "text returns the columns used");
	tap_ok(tt_canvas_at(c, 1, 0)->ch == 'h' && tt_canvas_at(c, 0, 0)->ch == ' ', "text lands at x");
	tap_ok(tt_canvas_at(c, -1, 0) == NULL && tt_canvas_at(c, 10, 0) == NULL &&
	           tt_canvas_at(c, 0, 3) == NULL,
	       "at: NULL outside");
	dump_is(c, " hello\n\n\n", "dump");
	tt_canvas_clear(c);
	dump_is(c, "\n\n\n", "clear");
	tt_canvas_free(&c);
	tap_ok(c == NULL, "free NULLs the pointer");
	tt_canvas_free(&c);
}

static void test_clipping(void)
{
	struct tt_canvas *c = tt_canvas_new(8, 3, true);

	tap_ok(tt_canvas_text(c, 0, 0, 3, "abcdef", plain) == 3, "maxw clips");
	tap_ok(tt_canvas_text(c, 5, 1, -1, "abcdef", plain) == 3, "the right edge clips");
	tap_ok(tt_canvas_text(c, 6, 2, 10, "abcdef", plain) == 2, "maxw beyond the edge clips at the edge");
	dump_is(c, "abc\n     abc\n      ab\n", "clipped text");
	tap_ok(tt_canvas_text(c, 0, 3, -1, "x", plain) == 0 && tt_canvas_text(c, 0, -1, -1, "x", plain) == 0,
	       "rows outside draw nothing");
	tap_ok(tt_canvas_text(c, 0, 0, 0, "x", plain) == 0, "maxw 0 draws nothing");
	tt_canvas_clear(c);
	tt_canvas_text(c, -2, 0, -1, "abcd", plain);
	dump_is(c, "cd\n\n\n", "negative x: the part inside shows");
	tap_ok(tt_canvas_text(c, 0, 1, -1, NULL, plain) == 0, "NULL text draws nothing");
	tt_canvas_free(&c);
}

static void test_wide(void)
{
	struct tt_canvas *c = tt_canvas_new(6, 4, true);

	tap_ok(tt_canvas_text(c, 0, 0, -1, "\xe6\xbc\xa2\xe5\xad\x97", plain) == 4, "CJK: two columns each");
	tap_ok(tt_canvas_at(c, 0, 0)->ch == 0x6F22 && tt_canvas_at(c, 1, 0)->ch == 0,
	       "a wide character's right half is 0");
	tap_ok(tt_canvas_text(c, 0, 1, -1, "\xf0\x9f\x98\x80!", plain) == 3, "emoji: two columns");
	tap_ok(tt_canvas_text(c, 0, 2, 3, "\xe6\xbc\xa2\xe5\xad\x97", plain) == 3, "maxw cuts a wide char");
	tap_ok(tt_canvas_at(c, 2, 2)->ch == ' ', "the wide char that does not fit becomes a space");
	tt_canvas_text(c, 4, 3, -1, "a\xe6\xbc\xa2\xe5\xad\x97", plain);
	tap_ok(tt_canvas_at(c, 5, 3)->ch == ' ', "at the grid edge as well");
	dump_is(c, "\xe6\xbc\xa2\xe5\xad\x97\n\xf0\x9f\x98\x80!\n\xe6\xbc\xa2\n    a\n",
	        "dump of wide characters");
	cells_ok(c, "wide");

	/* Overwriting half of a wide character blanks the other half. */
	tt_canvas_clear(c);
	tt_canvas_text(c, 0, 0, -1, "\xe6\xbc\xa2\xe5\xad\x97", plain);
	tt_canvas_text(c, 1, 0, 1, "x", plain);
	tt_canvas_text(c, 2, 1, -1, "\xe6\xbc\xa2", plain);
	tt_canvas_text(c, 2, 1, -1, "y", plain);
	dump_is(c, " x\xe5\xad\x97\n  y\n\n\n", "overwritten halves become spaces");
	cells_ok(c, "overwritten halves");
	tt_canvas_clear(c);
	tt_canvas_text(c, -1, 0, -1, "\xe6\xbc\xa2z", plain);
	dump_is(c, " z\n\n\n\n", "a wide char cut by the left edge is a space");
	cells_ok(c, "left edge");
	tap_ok(tt_canvas_text_width(c, "a\xe6\xbc\xa2\xf0\x9f\x98\x80") == 5, "text_width counts wide chars");
	tt_canvas_free(&c);
}

static void test_combining(void)
{
	struct tt_canvas *c = tt_canvas_new(10, 5, true);

	/* e + COMBINING ACUTE ACCENT, then a precomposed one. */
	tap_ok(tt_canvas_text(c, 0, 0, -1, "e\xcc\x81x\xc3\xa9", plain) == 3,
	       "combining marks take no column");
	tap_ok(tt_canvas_at(c, 0, 0)->ch == 'e' && tt_canvas_at(c, 0, 0)->marks[0] == 0x301 &&
	           tt_canvas_at(c, 1, 0)->ch == 'x' && tt_canvas_at(c, 1, 0)->marks[0] == 0,
	       "the mark rides on its base character's cell");
	tap_ok(tt_canvas_text_width(c, "a\xcc\x81\xcc\x82") == 1, "text_width agrees");
	tap_ok(tt_canvas_text(c, 0, 1, -1, "\xcc\x81\xcc\x81z", plain) == 1,
	       "marks with no base draw nothing");
	/* Vietnamese "ệ" decomposed: e, dot below, circumflex; then a third mark. */
	tt_canvas_text(c, 3, 1, -1, "e\xcc\xa3\xcc\x82\xcc\x81!", plain);
	tt_canvas_text(c, 0, 2, -1, "\xe6\xbc\xa2\xe3\x82\x99k", plain);
	tt_canvas_text(c, -1, 3, -1,
	               "a\xcc\x81"
	               "b\xcc\x82",
	               plain);
	dump_is(c, "e\xcc\x81x\xc3\xa9\nz  e\xcc\xa3\xcc\x82!\n\xe6\xbc\xa2\xe3\x82\x99k\nb\xcc\x82\n\n",
	        "marks: two per cell, on a wide character, none on a character cut off");
	tt_canvas_text(c, 3, 1, 1, "q", plain);
	tap_ok(tt_canvas_at(c, 3, 1)->marks[0] == 0, "drawing over a cell drops its marks");
	tt_canvas_fill(c, 0, 0, 1, 1, '-', plain);
	tap_ok(tt_canvas_at(c, 0, 0)->marks[0] == 0, "filling a cell drops its marks");
	/* A bidi control that escaped the sanitizer would still join no cell. */
	tt_canvas_clear(c);
	tt_canvas_text(c, 0, 4, -1,
	               "a\xe2\x80\xae"
	               "b",
	               plain);
	tap_ok(tt_canvas_at(c, 0, 4)->marks[0] == 0, "no bidi control rides on a cell");
	cells_ok(c, "combining");
	tt_canvas_free(&c);
}

/* Drawing reads long text a piece at a time: what lies across the pieces'
 * boundaries must come out as if read whole. */
static void test_long(void)
{
	struct tt_canvas *c = tt_canvas_new(12, 2, true);
	size_t big = 4 << 20;
	char *text = malloc(big + 1);

	for (int lead = 0; lead < 3; lead++) {
		size_t len = 0;
		char *got, what[64];
		memset(text, 'a', (size_t)lead);
		len = (size_t)lead;
		for (int i = 0; i < 700; i++) {
			memcpy(text + len, "\xcc\x81", 2);
			len += 2;
		}
		memcpy(text + len, "\xe6\xbc\xa2z", 4);
		len += 4;
		tt_canvas_clear(c);
		tap_ok(tt_canvas_textn(c, 0, 0, -1, text, len, plain) == lead + 3,
		       "%d + 700 marks + wide: columns", lead);
		got = tt_canvas_text_dump(c);
		snprintf(what, sizeof(what), "%d + 700 combining marks across pieces, then a wide char",
		         lead);
		tap_str_eq(got,
		           lead == 0   ? "\xe6\xbc\xa2z\n\n"
		           : lead == 1 ? "a\xcc\x81\xcc\x81\xe6\xbc\xa2z\n\n"
		                       : "aa\xcc\x81\xcc\x81\xe6\xbc\xa2z\n\n",
		           what);
		free(got);
	}
	for (size_t i = 0; i < big; i += 3)
		memcpy(text + i, "\xe6\xbc\xa2", big - i >= 3 ? 3 : big - i);
	text[big] = '\0';
	tt_canvas_clear(c);
	tap_ok(tt_canvas_text(c, 0, 1, -1, text, plain) == 12, "a 4 MiB line: the row is full");
	dump_is(c, "\n\xe6\xbc\xa2\xe6\xbc\xa2\xe6\xbc\xa2\xe6\xbc\xa2\xe6\xbc\xa2\xe6\xbc\xa2\n",
	        "a 4 MiB line: its start");
	free(text);
	tt_canvas_free(&c);
}

struct hostile {
	const char *in;
	size_t len;
	const char *want;
	const char *what;
};

#define H(s, want, what)                                                                                     \
	{                                                                                                    \
		s, sizeof(s) - 1, want, what                                                                 \
	}

static void test_hostile(void)
{
	static const struct hostile cases[] = {
	    H("\x1b[31mred", "^[[31mred", "CSI colour shown as ^["),
	    H("\x1b]52;c;aGVsbG8=\x07", "^[]52;c;aGVsbG8=^G", "OSC 52 clipboard write shown"),
	    H("\x1b]0;title\x1b\\", "^[]0;title^[\\", "OSC title with ST shown"),
	    H("a\xc2\x9b"
	      "2Jb",
	      "a<U+009B>2Jb", "C1 CSI (U+009B) shown"),
	    H("a\x9b"
	      "2J",
	      "a\\x9B2J", "raw 0x9b byte shown as \\x9B"),
	    H("x\xe2\x80\xae"
	      "gpj.exe",
	      "x<U+202E>gpj.exe", "bidi override U+202E shown"),
	    H("\xff\xfe\xc0\xaf", "\\xFF\\xFE\\xC0\\xAF", "invalid UTF-8 and overlong '/' shown"),
	    H("a\0b", "a^@b", "NUL via textn shown"),
	    H("\r\n\t\b\x7f", "^M^J^I^H^?", "CR LF TAB BS DEL shown"),
	    H("\xed\xa0\x80", "\\xED\\xA0\\x80", "a UTF-8 surrogate shown as bytes"),
	};
	struct tt_canvas *c = tt_canvas_new(40, 1, true);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got, want[64];
		tt_canvas_clear(c);
		tt_canvas_textn(c, 0, 0, -1, cases[i].in, cases[i].len, plain);
		got = tt_canvas_text_dump(c);
		snprintf(want, sizeof(want), "%s\n", cases[i].want);
		tap_str_eq(got, want, cases[i].what);
		free(got);
		cells_ok(c, cases[i].what);
	}
	tt_canvas_free(&c);
}

/* Random bytes (biased towards escapes, UTF-8 lead bytes and wide
 * characters) at random places, both modes: the cells stay safe. */
static void test_random(void)
{
	static const char *const bits[] = {"\x1b",
	                                   "[",
	                                   "\x9b",
	                                   "\xc2\x9b",
	                                   "\xe6\xbc\xa2",
	                                   "\xf0\x9f\x98\x80",
	                                   "\xcc\x81",
	                                   "\xe2\x80\xae",
	                                   "\xe2\x80\x8b",
	                                   "\xff",
	                                   "\0",
	                                   "\n",
	                                   "a",
	                                   "\xe2",
	                                   "\xef\xbb\xbf",
	                                   "\x07"};
	const char *bad = NULL;
	unsigned seed = 7;

	for (int mode = 0; mode < 2 && !bad; mode++) {
		struct tt_canvas *c = tt_canvas_new(13, 5, mode == 0);
		for (int round = 0; round < 3000 && !bad; round++) {
			char text[64];
			size_t len = 0;
			int parts = rand_r(&seed) % 10;
			for (int p = 0; p < parts; p++) {
				const char *b = bits[rand_r(&seed) % (sizeof(bits) / sizeof(bits[0]))];
				size_t n = *b ? strlen(b) : 1;
				if (rand_r(&seed) % 4 == 0) {
					text[len++] = (char)(rand_r(&seed) % 256);
				} else {
					memcpy(text + len, b, n);
					len += n;
				}
			}
			tt_canvas_textn(c, rand_r(&seed) % 16 - 2, rand_r(&seed) % 6, rand_r(&seed) % 16 - 1,
			                text, len, plain);
			if (round % 7 == 0)
				tt_canvas_fill(c, rand_r(&seed) % 14 - 1, rand_r(&seed) % 5,
				               rand_r(&seed) % 5, rand_r(&seed) % 3,
				               round % 2 ? 0x6F22 : (uint32_t)(rand_r(&seed) % 0x300), plain);
			bad = cells_bad(c);
		}
		tt_canvas_free(&c);
	}
	if (!tap_ok(!bad, "random input in both modes: every cell safe"))
		printf("# %s\n", bad);
}

static void test_ascii(void)
{
	struct tt_canvas *c = tt_canvas_new(40, 3, false);

	tap_ok(tt_canvas_text(c, 0, 0, -1, "caf\xc3\xa9 \xe6\xbc\xa2", plain) == 20,
	       "ASCII mode: escaped width");
	tt_canvas_fill(c, 0, 1, 3, 1, 0x2500, plain);
	tt_canvas_fill(c, 3, 1, 2, 1, 0x2502, plain);
	tt_canvas_fill(c, 5, 1, 2, 1, 0x6F22, plain);
	tt_canvas_fill(c, 7, 1, 1, 1, 0x1b, plain);
	tt_canvas_fill(c, 8, 1, 1, 1, 0xD800, plain);
	tt_canvas_text_fit(c, 0, 2, 6, "abcdefgh", plain, false);
	dump_is(c, "caf<U+00E9> <U+6F22>\n---||????\nabcde~\n",
	        "ASCII mode: escapes, box characters, ellipsis");
	cells_ok(c, "ASCII mode");
	tt_canvas_free(&c);
}

static void test_fill_restyle_resize(void)
{
	struct tt_canvas *c = tt_canvas_new(6, 3, true);
	struct tt_style sel = {TT_COLOR_WHITE, TT_COLOR_BLUE, TT_ATTR_REVERSE};

	tt_canvas_fill(c, 1, 1, 3, 5, '#', bold);
	dump_is(c, "\n ###\n ###\n", "fill clipped to the grid");
	tt_canvas_fill(c, -3, 0, 100, 1, 0x2500, plain);
	dump_is(c, "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\n ###\n ###\n",
	        "fill a whole row past both edges");
	tt_canvas_fill(c, 0, 2, 5, 1, 0x6F22, plain);
	dump_is(c,
	        "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\n ###\n"
	        "\xe6\xbc\xa2\xe6\xbc\xa2\n",
	        "fill with a wide character: an odd last column is a space");
	cells_ok(c, "fill");
	tt_canvas_fill(c, 5, 0, 1, 1, 0xDC00, plain);
	tt_canvas_fill(c, 4, 0, 1, 1, 0x9B, plain);
	tap_ok(tt_canvas_at(c, 5, 0)->ch == '?' && tt_canvas_at(c, 4, 0)->ch == '?',
	       "fill refuses a surrogate and a C1 control");
	tt_canvas_restyle(c, 2, 1, 10, 1, sel);
	tap_ok(tt_canvas_at(c, 2, 1)->ch == '#' && tt_canvas_at(c, 2, 1)->style.attr == TT_ATTR_REVERSE &&
	           tt_canvas_at(c, 5, 1)->style.bg == TT_COLOR_BLUE &&
	           tt_canvas_at(c, 1, 1)->style.attr == TT_ATTR_BOLD,
	       "restyle keeps characters and changes only the rectangle");
	tt_canvas_resize(c, 4, 2);
	tap_ok(c->w == 4 && c->h == 2 && tt_canvas_at(c, 3, 1) && !tt_canvas_at(c, 4, 0), "resize: new size");
	dump_is(c, "\n\n", "resize clears");
	tt_canvas_resize(c, 0, 0);
	tap_ok(tt_canvas_text(c, 0, 0, -1, "x", plain) == 0, "a 0x0 canvas draws nothing");
	dump_is(c, "", "a 0x0 canvas dumps nothing");
	tt_canvas_free(&c);
}

static void test_fit(void)
{
	struct tt_canvas *c = tt_canvas_new(12, 3, true);

	tt_canvas_text(c, 0, 0, -1, "xxxxxxxxxxxx", plain);
	tt_canvas_text_fit(c, 2, 0, 5, "ab", plain, true);
	tt_canvas_text_fit(c, 0, 1, 5, "abcdefg", plain, false);
	tt_canvas_text_fit(c, 0, 2, 4, "\xe6\xbc\xa2\xe5\xad\x97x", plain, false);
	dump_is(c, "xx   abxxxxx\nabcd\xe2\x80\xa6\n\xe6\xbc\xa2 \xe2\x80\xa6\n",
	        "fit: right aligned, cut with an ellipsis, wide cut");
	cells_ok(c, "fit");
	tt_canvas_free(&c);
}

enum { A_QUIT = 1, A_HELP, A_BACK, A_UP, A_DOWN, A_PGUP, A_PGDN, A_TOP, A_END, A_REFRESH, A_REDRAW, A_COPY };

static const struct tt_keybind global_binds[] = {
    {'q', A_QUIT, "quit"},
    {'?', A_HELP, "this help"},
    {TT_KEY_F1, A_HELP, "this help"},
    {TT_KEY_ESC, A_BACK, "back to the previous view"},
    {TT_KEY_UP, A_UP, "move up"},
    {'k', A_UP, "move up"},
    {TT_KEY_DOWN, A_DOWN, "move down"},
    {'j', A_DOWN, "move down"},
    {TT_KEY_PGUP, A_PGUP, "page up"},
    {TT_KEY_PGDN, A_PGDN, "page down"},
    {TT_KEY_HOME, A_TOP, "first row"},
    {TT_KEY_END, A_END, "last row"},
    {'r', A_REFRESH, "refresh now"},
    {TT_KEY_CTRL('L'), A_REDRAW, "redraw the screen"},
    {'y', A_COPY, "copy the selection (OSC 52)"},
};
static const struct tt_keymap global_map = {"Everywhere", global_binds,
                                            sizeof(global_binds) / sizeof(global_binds[0])};

enum { L_FOLLOW = 1, L_FILTER, L_WRAP, L_ENTER, L_BTAB };

static const struct tt_keybind logs_binds[] = {
    {'f', L_FOLLOW, "follow / pause"},       {'/', L_FILTER, "filter (CloudWatch pattern)"},
    {'w', L_WRAP, "wrap long lines"},        {TT_KEY_ENTER, L_ENTER, "open the event"},
    {TT_KEY_BTAB, L_BTAB, "previous group"},
};
static const struct tt_keymap logs_map = {"Logs", logs_binds, sizeof(logs_binds) / sizeof(logs_binds[0])};

static void test_keymap(void)
{
	char buf[16];

	tap_ok(tt_keymap_action(&global_map, 'j') == A_DOWN &&
	           tt_keymap_action(&global_map, TT_KEY_DOWN) == A_DOWN,
	       "keymap: both keys of an action");
	tap_ok(tt_keymap_action(&global_map, 'x') == 0 && tt_keymap_action(NULL, 'q') == 0,
	       "keymap: unbound is 0");
	tap_ok(tt_keymap_action(&logs_map, '\n') == L_ENTER, "keymap: '\\n' is Enter");
	tap_str_eq(tt_key_name(TT_KEY_PGDN, buf), "PgDn", "key name PgDn");
	tap_str_eq(tt_key_name(TT_KEY_CTRL('L'), buf), "Ctrl-L", "key name Ctrl-L");
	tap_str_eq(tt_key_name(TT_KEY_ENTER, buf), "Enter", "key name Enter");
	tap_str_eq(tt_key_name('q', buf), "q", "key name q");
	tap_str_eq(tt_key_name(' ', buf), "Space", "key name Space");
	tap_str_eq(tt_key_name(TT_KEY_BTAB, buf), "Shift-Tab", "key name Shift-Tab");
	tap_str_eq(tt_key_name(0xE9, buf), "\xc3\xa9", "key name of a non-ASCII character");
	tap_str_eq(tt_key_name(0x9B, buf), "key 155", "key name of a C1 control is a number");
}

static void help_golden(int w, int h, int scroll, const char *name)
{
	const struct tt_keymap *maps[] = {&global_map, &logs_map};
	struct tt_canvas *c = tt_canvas_new(w, h, true);
	char *got;

	tt_keymap_help_draw(maps, 2, c, 1, h - 1, scroll);
	got = tt_canvas_text_dump(c);
	tap_ok(tt_golden_check(name, got), "help screen %dx%d scroll %d matches tests/golden/%s.txt", w, h,
	       scroll, name);
	free(got);
	cells_ok(c, name);
	tt_canvas_free(&c);
}

static void test_help(void)
{
	const struct tt_keymap *maps[] = {&global_map, &logs_map};
	struct tt_canvas *c = tt_canvas_new(80, 24, true);
	int lines = tt_keymap_help_lines(maps, 2, c);

	help_golden(80, 24, 0, "help_80x24");
	help_golden(160, 48, 0, "help_160x48");
	help_golden(30, 6, 2, "help_30x6_scrolled");
	tt_canvas_resize(c, 160, 48);
	tap_ok(lines > tt_keymap_help_lines(maps, 2, c), "help: fewer lines when wider (%d at 80)", lines);
	tt_canvas_free(&c);
}

int main(void)
{
	if (!setlocale(LC_CTYPE, "C.UTF-8")) {
		tap_skip("no C.UTF-8 locale");
		return tap_done();
	}
	test_basic();
	test_clipping();
	test_wide();
	test_combining();
	test_hostile();
	test_long();
	test_random();
	test_ascii();
	test_fill_restyle_resize();
	test_fit();
	test_keymap();
	test_help();
	return tap_done();
}
