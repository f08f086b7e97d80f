/* wcwidth is an X/Open function. */
#define _XOPEN_SOURCE 700

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tiertop/buf.h"
#include "tiertop/canvas.h"
#include "tiertop/sanitize.h"
#include "tiertop/utf8.h"
#include "tiertop/xalloc.h"

static const struct tt_style plain;

struct tt_canvas *tt_canvas_new(int w, int h, bool utf8)
{
	struct tt_canvas *c = tt_xcalloc(1, sizeof(*c));

	c->utf8 = utf8;
	tt_canvas_resize(c, w, h);
	return c;
}

void tt_canvas_free(struct tt_canvas **c)
{
	if (!c || !*c)
		return;
	free((*c)->cells);
	free(*c);
	*c = NULL;
}

void tt_canvas_resize(struct tt_canvas *c, int w, int h)
{
	c->w = w > 0 ? w : 0;
	c->h = h > 0 ? h : 0;
	free(c->cells);
	/* One spare cell so a 0x0 canvas still has a valid pointer. */
	c->cells = tt_xcalloc((size_t)c->w * (size_t)c->h + 1, sizeof(*c->cells));
	tt_canvas_clear(c);
}

void tt_canvas_clear(struct tt_canvas *c)
{
	size_t n = (size_t)c->w * (size_t)c->h;

	for (size_t i = 0; i < n; i++)
		c->cells[i] = (struct tt_cell){' ', plain, {0}};
}

static struct tt_cell *cell(const struct tt_canvas *c, int x, int y)
{
	if (x < 0 || y < 0 || x >= c->w || y >= c->h)
		return NULL;
	return &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
}

const struct tt_cell *tt_canvas_at(const struct tt_canvas *c, int x, int y)
{
	return cell(c, x, y);
}

/* Overwriting one half of a wide character leaves the other half alone on
 * the screen: it becomes a space, so every cell stays drawable on its own. */
static void break_wide(struct tt_canvas *c, int x, int y)
{
	struct tt_cell *at = cell(c, x, y), *next = cell(c, x + 1, y), *prev = cell(c, x - 1, y);

	if (at->ch == 0 && prev)
		*prev = (struct tt_cell){' ', prev->style, {0}};
	if (at->ch != 0 && next && next->ch == 0)
		*next = (struct tt_cell){' ', next->style, {0}};
}

static void put(struct tt_canvas *c, int x, int y, uint32_t ch, struct tt_style st)
{
	struct tt_cell *at = cell(c, x, y);

	if (!at)
		return;
	break_wide(c, x, y);
	*at = (struct tt_cell){ch, st, {0}};
}

/* A character of cw (1 or 2) columns; both halves are freed before either
 * is written. A wide character cut by the left edge shows as a space. */
static void put_char(struct tt_canvas *c, int x, int y, uint32_t ch, int cw, struct tt_style st)
{
	if (cw == 1) {
		put(c, x, y, ch, st);
		return;
	}
	if (x == -1) {
		put(c, 0, y, ' ', st);
		return;
	}
	if (!cell(c, x, y) || !cell(c, x + 1, y)) {
		put(c, x, y, ' ', st);
		return;
	}
	break_wide(c, x, y);
	break_wide(c, x + 1, y);
	*cell(c, x, y) = (struct tt_cell){ch, st, {0}};
	*cell(c, x + 1, y) = (struct tt_cell){0, st, {0}};
}

/* Anything sanitized text cannot contain (controls) is refused here too,
 * in case a caller fills with one; in ASCII mode the box and block
 * characters views like get their nearest ASCII look. */
static uint32_t safe_char(const struct tt_canvas *c, uint32_t ch)
{
	if (ch < 0x20 || ch == 0x7F || (ch >= 0x80 && ch <= 0x9F) || (ch >= 0xD800 && ch <= 0xDFFF) ||
	    ch > 0x10FFFF)
		return '?';
	if (c->utf8 || ch < 0x80)
		return ch;
	if (ch == 0x2500 || ch == 0x2501)
		return '-';
	if (ch == 0x2502 || ch == 0x2503)
		return '|';
	if (ch >= 0x250C && ch <= 0x254B)
		return '+';
	if (ch >= 0x2580 && ch <= 0x259F)
		return '#';
	if (ch == 0x00B7 || ch == 0x2022)
		return '.';
	if (ch == 0x2026)
		return '~';
	return '?';
}

/* Columns a sanitized character takes. Sanitized text holds no controls, so
 * what libc does not know (unassigned code points, -1) takes one column;
 * 0 is a combining mark. */
static int char_width(uint32_t ch)
{
	int w = wcwidth((wchar_t)ch);

	if (w < 0)
		return 1;
	return w > 2 ? 2 : w;
}

/* Clamps a rectangle to the grid; false when nothing is left. */
static bool clip(const struct tt_canvas *c, int *x, int *y, int *w, int *h)
{
	int x1 = *x + *w, y1 = *y + *h;

	if (*x < 0)
		*x = 0;
	if (*y < 0)
		*y = 0;
	if (x1 > c->w)
		x1 = c->w;
	if (y1 > c->h)
		y1 = c->h;
	*w = x1 - *x;
	*h = y1 - *y;
	return *w > 0 && *h > 0;
}

void tt_canvas_fill(struct tt_canvas *c, int x, int y, int w, int h, uint32_t ch, struct tt_style st)
{
	int cw;

	ch = safe_char(c, ch);
	cw = char_width(ch);
	if (cw == 0)
		ch = ' ', cw = 1;
	if (!clip(c, &x, &y, &w, &h))
		return;
	for (int row = y; row < y + h; row++) {
		int col = x;
		for (; col + cw <= x + w; col += cw)
			put_char(c, col, row, ch, cw, st);
		for (; col < x + w; col++)
			put(c, col, row, ' ', st);
	}
}

void tt_canvas_restyle(struct tt_canvas *c, int x, int y, int w, int h, struct tt_style st)
{
	if (!clip(c, &x, &y, &w, &h))
		return;
	for (int row = y; row < y + h; row++)
		for (int col = x; col < x + w; col++)
			cell(c, col, row)->style = st;
}

/* Walks the sanitized form of text: with a canvas it draws from (x, y) in
 * columns [x, limit), else it only measures. Returns the columns taken. */
struct layout {
	struct tt_canvas *c;
	int x, y, limit;
	struct tt_style st;
	struct tt_cell *base; /* the cell of the last character drawn, for its marks */
};

/* Bidi controls reorder the text around them. The sanitizer already shows
 * them as <U+XXXX>; should one get here all the same, it joins no cell. */
static bool is_bidi(uint32_t ch)
{
	return (ch >= 0x202A && ch <= 0x202E) || (ch >= 0x2066 && ch <= 0x2069) || ch == 0x200E ||
	       ch == 0x200F || ch == 0x061C;
}

static void add_mark(struct tt_cell *base, uint32_t ch)
{
	for (int i = 0; base && i < TT_CELL_MARKS; i++) {
		if (base->marks[i] == 0) {
			base->marks[i] = ch;
			return;
		}
	}
}

/* Lays out sanitized text, adding to *used; true once the drawing is full. */
static bool lay_out_sanitized(const struct tt_canvas *c, struct layout *lo, const struct tt_buf *san,
                              int *used)
{
	size_t i = 0;

	while (i < san->len) {
		uint32_t ch;
		size_t n = tt_utf8_next(san->data + i, san->len - i, &ch);
		int cw;

		if (n == 0) {
			/* The sanitizer only emits valid UTF-8; never trust that blindly. */
			ch = '?';
			n = 1;
		}
		i += n;
		ch = safe_char(c, ch);
		cw = char_width(ch);
		if (cw == 0) {
			if (lo && !is_bidi(ch))
				add_mark(lo->base, ch);
			continue;
		}
		if (lo) {
			int col = lo->x + *used;
			if (col + cw > lo->limit) {
				if (col < lo->limit) {
					put(lo->c, col, lo->y, ' ', lo->st);
					(*used)++;
				}
				return true;
			}
			put_char(lo->c, col, lo->y, ch, cw, lo->st);
			/* A character cut by the left edge carries no marks either. */
			lo->base =
			    col >= 0 && cell(lo->c, col, lo->y)->ch == ch ? cell(lo->c, col, lo->y) : NULL;
		}
		*used += cw;
	}
	return false;
}

/* Drawing takes the text a piece at a time and stops when the columns are
 * full, so a 256 KiB log line costs what its first screenful costs. Pieces
 * end on a character boundary (a cut sequence would show as \xNN). */
#define PIECE 512

static size_t piece_end(const char *text, size_t from, size_t len)
{
	size_t end = from + PIECE < len ? from + PIECE : len;

	for (int back = 0;
	     back < 3 && end < len && end > from + 1 && ((unsigned char)text[end] & 0xC0) == 0x80; back++)
		end--;
	return end;
}

static int lay_out(const struct tt_canvas *measure, struct layout *lo, const char *text, size_t len)
{
	const struct tt_canvas *c = lo ? lo->c : measure;
	unsigned flags = c->utf8 ? 0 : TT_SAN_ASCII;
	struct tt_buf san;
	size_t at = 0;
	int used = 0;
	bool full = false;

	tt_buf_init(&san, 0);
	while (at < len && !full) {
		size_t end = lo ? piece_end(text, at, len) : len;
		tt_buf_reset(&san);
		tt_sanitize_append(&san, text + at, end - at, flags);
		full = lay_out_sanitized(c, lo, &san, &used);
		at = end;
	}
	tt_buf_clear(&san);
	return used;
}

int tt_canvas_textn(struct tt_canvas *c, int x, int y, int maxw, const char *text, size_t len,
                    struct tt_style st)
{
	struct layout lo = {c, x, y, c->w, st, NULL};

	if (!text || y < 0 || y >= c->h || x >= c->w || maxw == 0)
		return 0;
	if (maxw > 0 && x + maxw < lo.limit)
		lo.limit = x + maxw;
	return lay_out(NULL, &lo, text, len);
}

int tt_canvas_text(struct tt_canvas *c, int x, int y, int maxw, const char *text, struct tt_style st)
{
	return text ? tt_canvas_textn(c, x, y, maxw, text, strlen(text), st) : 0;
}

int tt_canvas_text_width(const struct tt_canvas *c, const char *text)
{
	return text ? lay_out(c, NULL, text, strlen(text)) : 0;
}

int tt_canvas_text_fit(struct tt_canvas *c, int x, int y, int w, const char *text, struct tt_style st,
                       bool right)
{
	int tw, mark;

	if (w <= 0)
		return 0;
	tt_canvas_fill(c, x, y, w, 1, ' ', st);
	tw = tt_canvas_text_width(c, text);
	if (tw <= w) {
		tt_canvas_text(c, right ? x + w - tw : x, y, w, text, st);
		return w;
	}
	/* Cut: the last column says so. */
	mark = c->utf8 ? 0x2026 : '~';
	tt_canvas_text(c, x, y, w - 1, text, st);
	put(c, x + w - 1, y, (uint32_t)mark, st);
	return w;
}

static void put_utf8(struct tt_buf *b, uint32_t ch)
{
	char out[4];
	size_t n = tt_utf8_encode(ch, out);

	if (n)
		tt_buf_append(b, out, n);
	else
		tt_buf_puts(b, "\xEF\xBF\xBD"); /* U+FFFD: a cell never holds a surrogate, but never write one */
}

char *tt_canvas_text_dump(const struct tt_canvas *c)
{
	struct tt_buf b;

	tt_buf_init(&b, 0);
	tt_buf_puts(&b, "");
	for (int y = 0; y < c->h; y++) {
		size_t start = b.len;
		for (int x = 0; x < c->w; x++) {
			const struct tt_cell *at = cell(c, x, y);
			if (at->ch == 0)
				continue;
			put_utf8(&b, at->ch);
			for (int i = 0; i < TT_CELL_MARKS && at->marks[i]; i++)
				put_utf8(&b, at->marks[i]);
		}
		while (b.len > start && b.data[b.len - 1] == ' ')
			b.len--;
		b.data[b.len] = '\0';
		tt_buf_putc(&b, '\n');
	}
	return tt_buf_steal(&b);
}
