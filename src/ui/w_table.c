#include <stdio.h>
#include <string.h>

#include "tiertop/keys.h"
#include "tiertop/widgets.h"

void tt_table_init(struct tt_table *t, const struct tt_table_col *cols, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->cols = cols;
	t->ncols = ncols;
}

void tt_table_set_rows(struct tt_table *t, size_t rows)
{
	t->rows = rows;
	if (t->sel >= rows)
		t->sel = rows ? rows - 1 : 0;
}

void tt_table_move(struct tt_table *t, long delta)
{
	if (t->rows == 0)
		return;
	if (delta < 0 && (size_t)-delta > t->sel)
		t->sel = 0;
	else if (delta > 0 && (size_t)delta >= t->rows - t->sel)
		t->sel = t->rows - 1;
	else
		t->sel = (size_t)((long)t->sel + delta);
}

bool tt_table_key(struct tt_table *t, int key)
{
	long page = t->page > 1 ? t->page - 1 : 1;

	switch (key) {
	case TT_KEY_UP:
	case 'k':
		tt_table_move(t, -1);
		return true;
	case TT_KEY_DOWN:
	case 'j':
		tt_table_move(t, 1);
		return true;
	case TT_KEY_PGUP:
		tt_table_move(t, -page);
		return true;
	case TT_KEY_PGDN:
		tt_table_move(t, page);
		return true;
	case TT_KEY_HOME:
		t->sel = 0;
		return true;
	case TT_KEY_END:
		t->sel = t->rows ? t->rows - 1 : 0;
		return true;
	default:
		return false;
	}
}

/* The first row shown keeps the selection in view and the page full. */
static void scroll_to_selection(struct tt_table *t, int body)
{
	size_t page = body > 0 ? (size_t)body : 1;

	tt_table_set_rows(t, t->rows);
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->sel >= t->top + page)
		t->top = t->sel - page + 1;
	if (t->top + page > t->rows)
		t->top = t->rows > page ? t->rows - page : 0;
}

#define MAX_COLS 32

static size_t ncols_of(const struct tt_table *t)
{
	return t->ncols < MAX_COLS ? t->ncols : MAX_COLS;
}

/* Widths of the columns in w: fixed ones as asked, the flexible ones share
 * what is left after one space between columns. */
static void column_widths(const struct tt_table *t, int w, int *out)
{
	int fixed = 0, flex = 0, rest;

	for (size_t i = 0; i < ncols_of(t); i++) {
		if (t->cols[i].width > 0)
			fixed += t->cols[i].width;
		else
			flex++;
	}
	rest = w - fixed - (int)(ncols_of(t) > 0 ? ncols_of(t) - 1 : 0);
	for (size_t i = 0; i < ncols_of(t); i++) {
		if (t->cols[i].width > 0) {
			out[i] = t->cols[i].width;
		} else {
			int share = rest > 0 ? rest / flex : 0;
			out[i] = share;
			rest -= share;
			flex--;
		}
	}
}

/* Column i's start and visible width in [x, x+w); false past the edge. */
static bool col_span(const struct tt_table *t, const int *widths, size_t i, int x, int w, int *cx, int *cw)
{
	int at = x;

	for (size_t k = 0; k < i; k++)
		at += widths[k] + 1;
	if (i >= ncols_of(t) || at >= x + w)
		return false;
	*cx = at;
	*cw = at + widths[i] > x + w ? x + w - at : widths[i];
	return true;
}

/* The position goes where it hides nothing: the free end of the first
 * flexible column's header (names are short, such columns wide), else the
 * right end of the header. */
static void draw_position(const struct tt_table *t, struct tt_canvas *c, int x, int y, int w,
                          const int *widths, struct tt_style st)
{
	char pos[48];
	int pw, cx, cw;

	snprintf(pos, sizeof(pos), "%zu/%zu", t->rows ? t->sel + 1 : 0, t->rows);
	pw = (int)strlen(pos);
	for (size_t i = 0; i < ncols_of(t); i++) {
		if (t->cols[i].width > 0 || !col_span(t, widths, i, x, w, &cx, &cw))
			continue;
		if (tt_canvas_text_width(c, t->cols[i].name) + 1 + pw <= cw) {
			tt_canvas_text(c, cx + cw - pw, y, pw, pos, st);
			return;
		}
		break;
	}
	if (pw < w)
		tt_canvas_text_fit(c, x + w - pw - 1, y, pw + 1, pos, st, true);
}

static void draw_header(const struct tt_table *t, struct tt_canvas *c, int x, int y, int w, const int *widths)
{
	const struct tt_style head = {0, 0, TT_ATTR_BOLD};
	int cx, cw;

	tt_canvas_fill(c, x, y, w, 1, ' ', head);
	for (size_t i = 0; col_span(t, widths, i, x, w, &cx, &cw); i++)
		tt_canvas_text_fit(c, cx, y, cw, t->cols[i].name, head, t->cols[i].right);
	draw_position(t, c, x, y, w, widths, head);
}

/* Each cell is drawn as soon as the callback returns it, so the callback
 * may reuse one buffer. */
static void draw_row(const struct tt_table *t, struct tt_canvas *c, int x, int y, int w, const int *widths,
                     size_t r, tt_table_cell_fn cell, void *ctx)
{
	struct tt_style row = {0, 0, r == t->sel ? TT_ATTR_REVERSE : 0};
	int cx, cw;

	tt_canvas_fill(c, x, y, w, 1, ' ', row);
	for (size_t i = 0; col_span(t, widths, i, x, w, &cx, &cw); i++) {
		struct tt_style st = {0, 0, 0};
		const char *text = cell ? cell(ctx, r, i, &st) : NULL;
		st.attr |= row.attr;
		tt_canvas_text_fit(c, cx, y, cw, text ? text : "", st, t->cols[i].right);
	}
}

void tt_table_draw(struct tt_table *t, struct tt_canvas *c, int x, int y, int w, int h, tt_table_cell_fn cell,
                   void *ctx, const char *empty_text)
{
	static const struct tt_style plain, dim = {0, 0, TT_ATTR_DIM};
	int widths[MAX_COLS];

	if (w <= 0 || h <= 0)
		return;
	column_widths(t, w, widths);
	t->page = h - 1;
	scroll_to_selection(t, h - 1);
	draw_header(t, c, x, y, w, widths);
	for (int i = 0; i < h - 1; i++) {
		size_t r = t->top + (size_t)i;
		if (r < t->rows)
			draw_row(t, c, x, y + 1 + i, w, widths, r, cell, ctx);
		else
			tt_canvas_fill(c, x, y + 1 + i, w, 1, ' ', plain);
	}
	if (t->rows == 0 && empty_text && h > 1)
		tt_canvas_text(c, x + 1, y + 1, w - 1, empty_text, dim);
}
