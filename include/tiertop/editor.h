/* A multi-line text editor drawn into a canvas (no curses): the console's
 * payload editor. UTF-8 aware (the cursor moves by characters, Backspace
 * removes a whole character), bounded (an edit that would pass the limit is
 * refused whole), with undo, a line-number gutter, a cursor and scrolling
 * both ways. Text that came from elsewhere ($EDITOR, a remembered payload)
 * is drawn through the canvas, so it is sanitized like everything else.
 *
 * Keys: characters insert; Enter a newline (no automatic indentation: text
 * pasted into the terminal arrives as keys and must stay as it was); Tab
 * two spaces; Backspace and Delete join lines at their
 * ends; arrows, Home/End (Ctrl-A/Ctrl-E), PgUp/PgDn move; Ctrl-_ or Ctrl-U
 * undo (Ctrl-Z is the terminal's suspend). Esc and the function keys are
 * not the editor's: the owner decides what they do.
 *
 * The JSON check (tt_editor_check) parses with jansson and says where the
 * first error is, as jansson counts (line and column from 1).
 *
 * Ownership: tt_editor_new returns an editor the caller frees with
 * tt_editor_free; tt_editor_set_text copies; tt_editor_text returns a
 * pointer into the editor (NUL-terminated), valid until the next edit. */
#ifndef TIERTOP_EDITOR_H
#define TIERTOP_EDITOR_H

#include <stdbool.h>
#include <stddef.h>

#include "tiertop/canvas.h"

struct tt_editor;

enum tt_editor_result {
	TT_EDITOR_IGNORED = 0, /* not an editing key */
	TT_EDITOR_MOVED,       /* the cursor moved (or nothing to do) */
	TT_EDITOR_CHANGED,     /* the text changed */
	TT_EDITOR_FULL,        /* refused: the text would pass the limit */
};

/* limit: the most bytes the text may hold. */
struct tt_editor *tt_editor_new(size_t limit);
void tt_editor_free(struct tt_editor **e);

/* Replaces the whole text (one undo step; the cursor goes to the start).
 * TT_EDITOR_FULL (and nothing changes) when len passes the limit. */
enum tt_editor_result tt_editor_set_text(struct tt_editor *e, const char *text, size_t len);
const char *tt_editor_text(const struct tt_editor *e, size_t *len);
size_t tt_editor_limit(const struct tt_editor *e);

enum tt_editor_result tt_editor_key(struct tt_editor *e, int key);
/* Undoes the last edit (typing a run of characters counts as one); false
 * when there is nothing to undo. */
bool tt_editor_undo(struct tt_editor *e);
/* Drops the undo history (a text loaded at the start is not an edit). */
void tt_editor_forget_undo(struct tt_editor *e);

/* The cursor as line and column, counted from 1 in characters. */
void tt_editor_cursor(const struct tt_editor *e, size_t *line, size_t *column);
/* Moves the cursor to line:column (from 1; clamped). */
void tt_editor_goto(struct tt_editor *e, size_t line, size_t column);

/* Draws the text in [x, x+w) x [y, y+h) with a line-number gutter,
 * scrolled so the cursor shows; the cursor is drawn only when focused. */
void tt_editor_draw(struct tt_editor *e, struct tt_canvas *c, int x, int y, int w, int h, bool focused);

/* Checks the text as JSON (any value; empty is an error). Writes "JSON ok,
 * 123 bytes" or "line 3, column 7: <jansson's message>" into msg and
 * returns whether it is valid; *line and *column (may be NULL) get the
 * error's place, 0 when valid. Cached until the text changes. */
bool tt_editor_check(struct tt_editor *e, char *msg, size_t size, int *line, int *column);

#endif
