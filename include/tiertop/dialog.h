/* A modal dialog drawn over whatever the screen shows: a centred box with a
 * title, lines of text, one input line and a hint ("Enter ... Esc ..."). It
 * takes every key while open; the owner asks it what the last key did.
 *
 * A masked dialog (an MFA code, a password) draws one '*' per character
 * typed and never the characters themselves. Its input is a secret: it is
 * wiped when cleared and when the dialog is freed.
 *
 * Ownership: tt_dialog_new returns a dialog the caller frees with
 * tt_dialog_free; it keeps copies of the title, the lines and the hint (all
 * untrusted text is fine: it is sanitized when drawn). tt_dialog_input
 * returns a pointer into the dialog, valid until the next key, clear or
 * free. */
#ifndef TIERTOP_DIALOG_H
#define TIERTOP_DIALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "tiertop/canvas.h"

struct tt_dialog;

enum tt_dialog_result {
	TT_DIALOG_OPEN,   /* the key edited the input, or was ignored */
	TT_DIALOG_ENTER,  /* Enter: the input is ready (tt_dialog_input) */
	TT_DIALOG_ESC,    /* Esc: cancelled */
};

struct tt_dialog *tt_dialog_new(const char *title, bool masked);
void tt_dialog_free(struct tt_dialog **d);
/* Adds a line of text under the title (at most 8 are kept). */
void tt_dialog_add_line(struct tt_dialog *d, const char *text);
/* The label before the input ("code") and the hint at the bottom. */
void tt_dialog_set_prompt(struct tt_dialog *d, const char *label, const char *hint);

/* Printable characters are appended (up to 127 bytes of UTF-8), Backspace
 * removes the last character, Ctrl-U clears. */
enum tt_dialog_result tt_dialog_key(struct tt_dialog *d, int key);
const char *tt_dialog_input(const struct tt_dialog *d);
/* Wipes the input. */
void tt_dialog_clear(struct tt_dialog *d);

/* Draws the box centred on the canvas (as large as the text needs, at most
 * the canvas less a margin; longer lines end with an ellipsis). */
void tt_dialog_draw(const struct tt_dialog *d, struct tt_canvas *c);

#endif
