/* Keys as the ui layer sees them: plain characters are their code point
 * (Ctrl-X is 0x18, Esc 0x1b, Enter '\r' or '\n' both reported as
 * TT_KEY_ENTER), special keys are values above the Unicode range. The
 * terminal layer translates whatever curses reports into these, so views
 * never include curses. */
#ifndef TIERTOP_KEYS_H
#define TIERTOP_KEYS_H

enum tt_key {
	TT_KEY_NONE = -1,
	TT_KEY_ESC = 0x1b,
	TT_KEY_TAB = '\t',
	TT_KEY_ENTER = '\r',
	TT_KEY_BASE = 0x110000,
	TT_KEY_UP,
	TT_KEY_DOWN,
	TT_KEY_LEFT,
	TT_KEY_RIGHT,
	TT_KEY_PGUP,
	TT_KEY_PGDN,
	TT_KEY_HOME,
	TT_KEY_END,
	TT_KEY_BACKSPACE,
	TT_KEY_DELETE,
	TT_KEY_BTAB,      /* Shift-Tab */
	TT_KEY_F1,
	TT_KEY_RESIZE,    /* the terminal changed size */
};

#define TT_KEY_CTRL(c) ((c) & 0x1f)

/* "Up", "PgDn", "Ctrl-L", "Enter", "q", for help screens. Returns a pointer
 * to static storage or into buf (at least 16 bytes). */
const char *tt_key_name(int key, char *buf);

#endif
