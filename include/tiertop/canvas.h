/* The console's off-screen picture: a grid of cells that views draw into
 * and that the terminal layer copies to the screen, only where it changed.
 * Nothing here knows about curses, so views render in unit tests and are
 * compared with golden text.
 *
 * Safety: every string drawn goes through the sanitizer on the way in
 * (control characters, escape sequences, bidi and zero-width characters are
 * shown visibly; invalid UTF-8 as \xNN), so no cell can ever hold a control
 * character, whatever AWS sent. In ASCII mode (not a UTF-8 terminal, or
 * --ascii) every non-ASCII character is drawn escaped as well, and
 * tt_canvas_fill maps box and block characters to ASCII ('-', '|', '+',
 * '#'). Widths come from libc's wcwidth, so the program must have called
 * setlocale (the library never does).
 *
 * Ownership: tt_canvas_new returns an owned canvas (tt_canvas_free).
 * tt_canvas_at returns a pointer into the canvas, valid until the next
 * resize. tt_canvas_text_dump returns a string the caller frees. */
#ifndef TIERTOP_CANVAS_H
#define TIERTOP_CANVAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tt_color {
	TT_COLOR_DEFAULT = 0,
	TT_COLOR_BLACK,
	TT_COLOR_RED,
	TT_COLOR_GREEN,
	TT_COLOR_YELLOW,
	TT_COLOR_BLUE,
	TT_COLOR_MAGENTA,
	TT_COLOR_CYAN,
	TT_COLOR_WHITE,
};

enum tt_attr {
	TT_ATTR_BOLD = 1 << 0,
	TT_ATTR_REVERSE = 1 << 1,
	TT_ATTR_UNDERLINE = 1 << 2,
	TT_ATTR_DIM = 1 << 3,
};

struct tt_style {
	uint8_t fg, bg;   /* enum tt_color */
	uint8_t attr;     /* enum tt_attr bits */
};

#define TT_CELL_MARKS 2

struct tt_cell {
	uint32_t ch;      /* Unicode code point; 0 = right half of a wide character */
	struct tt_style style;
	/* Combining marks drawn on ch ("e" + U+0301), 0 where unused; marks
	 * past TT_CELL_MARKS are left out. */
	uint32_t marks[TT_CELL_MARKS];
};

struct tt_canvas {
	int w, h;
	bool utf8;        /* may draw non-ASCII characters */
	struct tt_cell *cells; /* h rows of w cells */
};

struct tt_canvas *tt_canvas_new(int w, int h, bool utf8);
void tt_canvas_free(struct tt_canvas **c);
/* Resizes and clears. */
void tt_canvas_resize(struct tt_canvas *c, int w, int h);
/* Every cell a space in the default style. */
void tt_canvas_clear(struct tt_canvas *c);
/* NULL outside the grid. */
const struct tt_cell *tt_canvas_at(const struct tt_canvas *c, int x, int y);

/* A rectangle of one character (clipped to the grid). */
void tt_canvas_fill(struct tt_canvas *c, int x, int y, int w, int h, uint32_t ch, struct tt_style st);
/* Sets the style of a rectangle, keeping its characters (selection bars). */
void tt_canvas_restyle(struct tt_canvas *c, int x, int y, int w, int h, struct tt_style st);
/* Draws untrusted UTF-8 text at (x, y), sanitized, in at most maxw columns
 * (maxw < 0: up to the right edge; clipped to the grid too; a wide
 * character that does not fit is not drawn half: a space takes its place).
 * Combining marks join their base character's cell (a mark with no base
 * drawn before it in the same call is left out). Returns the columns used. */
int tt_canvas_text(struct tt_canvas *c, int x, int y, int maxw, const char *text, struct tt_style st);
/* The same for text[0..len), which may hold NULs (shown as ^@). */
int tt_canvas_textn(struct tt_canvas *c, int x, int y, int maxw, const char *text, size_t len,
		    struct tt_style st);
/* Columns the sanitized text would take (for alignment and truncation). */
int tt_canvas_text_width(const struct tt_canvas *c, const char *text);

/* Draws text in exactly w columns (the rest filled with spaces in st), left
 * or right aligned; text too long is cut and ends with an ellipsis ("~" in
 * ASCII mode). Returns w (0 when w <= 0). */
int tt_canvas_text_fit(struct tt_canvas *c, int x, int y, int w, const char *text, struct tt_style st,
		       bool right);

/* One line per row, trailing spaces trimmed, '\n' after each: what golden
 * files hold. Styles are not included. Caller frees. */
char *tt_canvas_text_dump(const struct tt_canvas *c);

#endif
