#include <stdio.h>

#include "tiertop/keys.h"
#include "tiertop/utf8.h"

static const char *const special[] = {
    [TT_KEY_UP - TT_KEY_BASE] = "Up",
    [TT_KEY_DOWN - TT_KEY_BASE] = "Down",
    [TT_KEY_LEFT - TT_KEY_BASE] = "Left",
    [TT_KEY_RIGHT - TT_KEY_BASE] = "Right",
    [TT_KEY_PGUP - TT_KEY_BASE] = "PgUp",
    [TT_KEY_PGDN - TT_KEY_BASE] = "PgDn",
    [TT_KEY_HOME - TT_KEY_BASE] = "Home",
    [TT_KEY_END - TT_KEY_BASE] = "End",
    [TT_KEY_BACKSPACE - TT_KEY_BASE] = "Backspace",
    [TT_KEY_DELETE - TT_KEY_BASE] = "Delete",
    [TT_KEY_BTAB - TT_KEY_BASE] = "Shift-Tab",
    [TT_KEY_F1 - TT_KEY_BASE] = "F1",
    [TT_KEY_RESIZE - TT_KEY_BASE] = "Resize",
};

static const char *utf8_name(unsigned cp, char *buf)
{
	buf[tt_utf8_encode(cp, buf)] = '\0';
	return buf;
}

const char *tt_key_name(int key, char *buf)
{
	switch (key) {
	case TT_KEY_NONE:
		return "none";
	case TT_KEY_ENTER:
	case '\n':
		return "Enter";
	case TT_KEY_TAB:
		return "Tab";
	case TT_KEY_ESC:
		return "Esc";
	case ' ':
		return "Space";
	case 0x7F:
		return "Backspace";
	default:
		break;
	}
	if (key > TT_KEY_BASE && key <= TT_KEY_RESIZE && special[key - TT_KEY_BASE])
		return special[key - TT_KEY_BASE];
	if (key >= 0 && key < 0x20) {
		snprintf(buf, 16, "Ctrl-%c", key + '@');
		return buf;
	}
	if (key > 0x20 && key < 0x7F) {
		buf[0] = (char)key;
		buf[1] = '\0';
		return buf;
	}
	/* Surrogates and C1 controls are no keys anyone binds; shown by number
	 * so a help screen never carries them. */
	if (key >= 0xA0 && key < 0x110000 && !(key >= 0xD800 && key <= 0xDFFF))
		return utf8_name((unsigned)key, buf);
	snprintf(buf, 16, "key %d", key);
	return buf;
}
