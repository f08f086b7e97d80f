/* Widgets every view uses, drawn into a canvas (no curses).
 *
 * The table: a scrolling list of rows in columns, with a selected row drawn
 * in reverse, the scroll offset kept so the selection stays visible, and
 * the position ("12/240") at the right end of the header. The table does
 * not hold the rows: the view keeps its data and lends a callback that
 * returns a cell's text.
 *
 * The status line: segments aligned left or right; when they do not fit,
 * the ones of lowest priority go first and the last one left is cut with an
 * ellipsis, so a line made for 160 columns still reads at 80.
 *
 * Ownership: struct tt_table is the caller's (a member of the view, no
 * allocation: nothing to free). Columns, segments and their strings are
 * borrowed for the duration of a call; the strings a cell callback returns
 * must live until the callback is called again. */
#ifndef TIERTOP_WIDGETS_H
#define TIERTOP_WIDGETS_H

#include <stdbool.h>
#include <stddef.h>

#include "tiertop/canvas.h"

/* At most 32 columns are drawn. */
struct tt_table_col {
	const char *name;
	int width;  /* columns; 0 = what the others leave (shared evenly among such columns) */
	bool right; /* right-aligned (numbers) */
};

/* A cell's text (NULL: empty), drawn sanitized; *st may be changed to style
 * it (it starts as the row's style; the selection's reverse is added after). */
typedef const char *(*tt_table_cell_fn)(void *ctx, size_t row, size_t col, struct tt_style *st);

struct tt_table {
	const struct tt_table_col *cols; /* borrowed */
	size_t ncols;
	size_t rows; /* how many rows there are; the caller keeps it current */
	size_t sel;  /* the selected row */
	size_t top;  /* the first row shown */
	int page;    /* rows shown at the last draw (for PgUp/PgDn) */
};

/* Sets columns and clears the position. */
void tt_table_init(struct tt_table *t, const struct tt_table_col *cols, size_t ncols);
/* Sets the number of rows, keeping the selection inside. */
void tt_table_set_rows(struct tt_table *t, size_t rows);
/* Moves the selection by delta rows (clamped). */
void tt_table_move(struct tt_table *t, long delta);
/* Up/Down/PgUp/PgDn/Home/End (and k/j): true when the key moved or was
 * one of those. */
bool tt_table_key(struct tt_table *t, int key);
/* Draws the header (bold, with the position at the right) in row y and the
 * rows in [y+1, y+h), in columns [x, x+w). The scroll offset is adjusted so
 * the selection is visible. With no rows, empty_text (may be NULL) is shown
 * in the first body row. */
void tt_table_draw(struct tt_table *t, struct tt_canvas *c, int x, int y, int w, int h, tt_table_cell_fn cell,
                   void *ctx, const char *empty_text);

struct tt_status_seg {
	const char *text; /* sanitized when drawn; NULL or "" = skipped */
	struct tt_style st;
	bool right;   /* aligned to the right end */
	int priority; /* higher stays longer when the line is too narrow */
};

/* Draws the segments in row y, the whole width, on a line of style base;
 * segments on one side are set apart by " | ". */
void tt_status_draw(struct tt_canvas *c, int y, const struct tt_status_seg *segs, size_t n,
                    struct tt_style base);

#endif
