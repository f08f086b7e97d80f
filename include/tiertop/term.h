/* The terminal: the only module that includes curses. It starts and stops
 * full-screen mode, reads keys without blocking, and copies a canvas to the
 * screen, writing only the cells that changed since the last blit (so an
 * idle console over SSH writes almost nothing).
 *
 * Restoring the terminal: tt_term_end is safe to call more than once and
 * from any exit path (quit, SIGTERM/SIGHUP handled by the loop, a fatal
 * error); tt_term_suspend/resume wrap Ctrl-Z.
 *
 * Ownership: tt_term_start returns an owned handle (tt_term_end frees it and
 * NULLs the pointer). The canvas passed to tt_term_blit is borrowed. */
#ifndef TIERTOP_TERM_H
#define TIERTOP_TERM_H

#include <stdbool.h>
#include <stddef.h>

struct tt_canvas;
struct tt_term;

struct tt_term_opts {
	bool no_color;    /* NO_COLOR, --no-color, or a terminal without colours */
	bool ascii;       /* --ascii: draw only ASCII even on a UTF-8 terminal */
};

/* NULL with a message in errbuf when stdin/stdout is not a terminal or
 * TERM is unusable. */
struct tt_term *tt_term_start(const struct tt_term_opts *opts, char *errbuf, size_t errlen);
void tt_term_end(struct tt_term **t);
/* What the user should be told about the terminal (TERM unknown here, so
 * drawn as xterm), or NULL. Owned by the terminal. */
const char *tt_term_note(const struct tt_term *t);

/* The size now (after a resize, call tt_term_resized first). */
void tt_term_size(const struct tt_term *t, int *w, int *h);
/* True when the terminal can show UTF-8 and --ascii was not given. */
bool tt_term_utf8(const struct tt_term *t);
/* Call after SIGWINCH: asks the tty for its size and resizes curses (which
 * may then report one TT_KEY_RESIZE more: handling it again is harmless).
 * The next blit repaints everything. */
void tt_term_resized(struct tt_term *t);

/* One key already typed, or TT_KEY_NONE when none is waiting. Never
 * blocks. Keys the ui does not know (other function keys, mouse) are
 * skipped. */
int tt_term_key(struct tt_term *t);
/* The file descriptor to wait on for keys. */
int tt_term_fd(const struct tt_term *t);

/* Copies the canvas to the screen: only changed cells are written; a
 * canvas of another size than the last one repaints everything. */
void tt_term_blit(struct tt_term *t, const struct tt_canvas *c);
/* Forgets what the screen holds, so the next blit repaints (Ctrl-L). */
void tt_term_invalidate(struct tt_term *t);

/* Ctrl-Z: suspend leaves full-screen mode (the caller then stops the
 * process, e.g. raise(SIGSTOP)); resume, after SIGCONT, re-enters it, reads
 * the size again (it may have changed meanwhile) and makes the next blit
 * repaint everything. */
void tt_term_suspend(struct tt_term *t);
void tt_term_resume(struct tt_term *t);

/* Copies text to the system clipboard with OSC 52 (works over SSH in
 * terminals that allow it). The text is base64-encoded, so it cannot
 * inject anything. Inside tmux or GNU screen (TERM screen* or tmux*, with
 * TMUX or STY set) the sequence goes through the multiplexer's DCS
 * passthrough (tmux needs `set -g allow-passthrough on` from 3.3, or
 * `set-clipboard on`, which handles OSC 52 itself). At most TT_OSC52_MAX
 * bytes are copied: terminals refuse longer sequences. */
void tt_term_osc52(struct tt_term *t, const char *text);

/* The pure halves of tt_term_osc52, for tests (no curses involved). */
#define TT_OSC52_MAX 74994
enum tt_osc52_wrap {
	TT_OSC52_NONE,
	TT_OSC52_TMUX,
	TT_OSC52_SCREEN,
};
/* From the values of TERM, TMUX and STY (each may be NULL). */
enum tt_osc52_wrap tt_term_osc52_wrap(const char *term, const char *tmux, const char *sty);
/* The bytes to write for text[0..len); caller frees. */
char *tt_term_osc52_sequence(const char *text, size_t len, enum tt_osc52_wrap wrap);

#endif
