/* Making remote text safe for a terminal. Everything that came from AWS
 * (names, log lines, error messages) goes through here before it is shown:
 * control characters and escape sequences become visible caret notation
 * ("^[", "^M"), invalid UTF-8 becomes "\xNN", and C1 controls and the
 * characters that reorder or hide text (bidi controls, zero-width characters,
 * U+2028/2029) become "<U+202E>", so a log line can never move the cursor,
 * change colours, set the window title or pass for other text. */
#ifndef TIERTOP_SANITIZE_H
#define TIERTOP_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>

struct tt_buf;

enum tt_sanitize_flags {
	TT_SAN_KEEP_NEWLINE = 1 << 0, /* keep '\n' (multi-line text); else "^J" */
	TT_SAN_KEEP_TAB = 1 << 1,     /* keep '\t'; else "^I" */
	TT_SAN_ASCII = 1 << 2,        /* non-UTF-8 terminal: escape all non-ASCII */
};

/* Appends the sanitized form of s[0..len) to out. */
void tt_sanitize_append(struct tt_buf *out, const char *s, size_t len, unsigned flags);
/* Returns a newly allocated sanitized copy; caller frees. */
char *tt_sanitize(const char *s, unsigned flags);

#endif
