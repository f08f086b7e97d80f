/* The multi-line text editor (editor.h).
 *
 * The text is one contiguous buffer and the cursor a byte offset into it:
 * a payload is at most a few MB, so a memmove per key and a scan per draw
 * cost less than a line structure would in code. Undo keeps the edits
 * (what was removed and inserted where), not copies of the text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tiertop/editor.h"
#include "tiertop/keys.h"
#include "tiertop/utf8.h"
#include "tiertop/xalloc.h"

#define UNDO_MAX 200

struct edit {
	size_t pos;
	char *del; /* the bytes removed at pos */
	size_t del_len;
	char *ins; /* the bytes put there instead */
	size_t ins_len;
	size_t cursor; /* before the edit */
};

struct tt_editor {
	char *text; /* NUL-terminated */
	size_t len, cap, limit;
	size_t cursor;
	size_t goal;  /* the column Up/Down aim for, in characters */
	size_t top;   /* first line shown */
	int left;     /* first display column shown */
	int page;     /* rows shown at the last draw */
	struct edit undo[UNDO_MAX];
	size_t nundo;
	bool typing;  /* the last edit was typed characters that the next may join */
	unsigned long version, checked; /* the check is cached per version */
	bool check_ok;
	int check_line, check_column;
	char check_msg[200];
};

struct tt_editor *tt_editor_new(size_t limit)
{
	struct tt_editor *e = tt_xcalloc(1, sizeof(*e));

	e->limit = limit;
	e->cap = 256;
	e->text = tt_xcalloc(1, e->cap);
	e->page = 10;
	e->checked = (unsigned long)-1;
	return e;
}

static void edit_clear(struct edit *ed)
{
	free(ed->del);
	free(ed->ins);
	memset(ed, 0, sizeof(*ed));
}

void tt_editor_free(struct tt_editor **ep)
{
	struct tt_editor *e = *ep;

	if (!e)
		return;
	for (size_t i = 0; i < e->nundo; i++)
		edit_clear(&e->undo[i]);
	free(e->text);
	free(e);
	*ep = NULL;
}

const char *tt_editor_text(const struct tt_editor *e, size_t *len)
{
	if (len)
		*len = e->len;
	return e->text;
}

size_t tt_editor_limit(const struct tt_editor *e)
{
	return e->limit;
}

/* --- the buffer ----------------------------------------------------------------------- */

/* Replaces [pos, pos+del) with ins[0..n); the caller checked the limit. */
static void splice(struct tt_editor *e, size_t pos, size_t del, const char *ins, size_t n)
{
	size_t len = e->len - del + n;

	if (len + 1 > e->cap) {
		while (len + 1 > e->cap)
			e->cap *= 2;
		e->text = tt_xrealloc(e->text, e->cap);
	}
	memmove(e->text + pos + n, e->text + pos + del, e->len - pos - del + 1);
	memcpy(e->text + pos, ins, n);
	e->len = len;
	e->version++;
}

static void push_undo(struct tt_editor *e, const struct edit *ed)
{
	if (e->nundo == UNDO_MAX) {
		edit_clear(&e->undo[0]);
		memmove(e->undo, e->undo + 1, (UNDO_MAX - 1) * sizeof(e->undo[0]));
		e->nundo--;
	}
	e->undo[e->nundo++] = *ed;
}

/* One edit, recorded for undo; typed characters join the previous edit
 * when it was typing just before the cursor. */
static enum tt_editor_result edit(struct tt_editor *e, size_t pos, size_t del, const char *ins, size_t n, bool typing)
{
	struct edit *last = e->nundo ? &e->undo[e->nundo - 1] : NULL;
	struct edit ed = {pos, NULL, del, NULL, n, e->cursor};

	if (e->len - del + n > e->limit)
		return TT_EDITOR_FULL;
	if (typing && e->typing && last && !last->del_len && last->pos + last->ins_len == pos && !del) {
		last->ins = tt_xrealloc(last->ins, last->ins_len + n);
		memcpy(last->ins + last->ins_len, ins, n);
		last->ins_len += n;
	} else {
		ed.del = tt_xmalloc(del ? del : 1);
		memcpy(ed.del, e->text + pos, del);
		ed.ins = tt_xmalloc(n ? n : 1);
		memcpy(ed.ins, ins, n);
		push_undo(e, &ed);
	}
	splice(e, pos, del, ins, n);
	e->cursor = pos + n;
	e->typing = typing;
	return TT_EDITOR_CHANGED;
}

void tt_editor_forget_undo(struct tt_editor *e)
{
	for (size_t i = 0; i < e->nundo; i++)
		edit_clear(&e->undo[i]);
	e->nundo = 0;
	e->typing = false;
}

bool tt_editor_undo(struct tt_editor *e)
{
	struct edit *ed;

	if (!e->nundo)
		return false;
	ed = &e->undo[--e->nundo];
	splice(e, ed->pos, ed->ins_len, ed->del, ed->del_len);
	e->cursor = ed->cursor <= e->len ? ed->cursor : e->len;
	edit_clear(ed);
	e->typing = false;
	return true;
}

enum tt_editor_result tt_editor_set_text(struct tt_editor *e, const char *text, size_t len)
{
	enum tt_editor_result r;

	e->cursor = 0;
	e->typing = false;
	r = edit(e, 0, e->len, text, len, false);
	e->cursor = 0;
	e->top = 0;
	e->left = 0;
	return r;
}

/* --- moving ------------------------------------------------------------------------------- */

static size_t line_start(const struct tt_editor *e, size_t pos)
{
	while (pos && e->text[pos - 1] != '\n')
		pos--;
	return pos;
}

static size_t line_end(const struct tt_editor *e, size_t pos)
{
	const char *nl = memchr(e->text + pos, '\n', e->len - pos);

	return nl ? (size_t)(nl - e->text) : e->len;
}

/* Bytes of the character at pos (an invalid byte counts as one). */
static size_t char_len(const struct tt_editor *e, size_t pos)
{
	uint32_t cp;
	size_t n = pos < e->len ? tt_utf8_next(e->text + pos, e->len - pos, &cp) : 0;

	return pos < e->len && !n ? 1 : n;
}

static size_t prev_char(const struct tt_editor *e, size_t pos)
{
	size_t p = pos;

	if (!p)
		return 0;
	/* Back over continuation bytes, at most three, to a character that
	 * decodes to exactly this length; else one byte. */
	while (p > 0 && pos - p < 4) {
		p--;
		if (((unsigned char)e->text[p] & 0xc0) != 0x80)
			break;
	}
	return char_len(e, p) == pos - p ? p : pos - 1;
}

static size_t chars_between(const struct tt_editor *e, size_t from, size_t to)
{
	size_t n = 0;

	while (from < to) {
		from += char_len(e, from);
		n++;
	}
	return n;
}

/* The byte offset of column col (in characters) on the line starting at ls. */
static size_t at_column(const struct tt_editor *e, size_t ls, size_t col)
{
	size_t le = line_end(e, ls), p = ls;

	while (col-- && p < le)
		p += char_len(e, p);
	return p;
}

static void move_lines(struct tt_editor *e, long delta)
{
	size_t ls = line_start(e, e->cursor);

	for (; delta < 0 && ls; delta++)
		ls = line_start(e, ls - 1);
	for (; delta > 0; delta--) {
		size_t le = line_end(e, ls);
		if (le == e->len)
			break;
		ls = le + 1;
	}
	e->cursor = at_column(e, ls, e->goal);
}

static bool move_key(struct tt_editor *e, int key)
{
	bool vertical = false;

	switch (key) {
	case TT_KEY_LEFT: e->cursor = prev_char(e, e->cursor); break;
	case TT_KEY_RIGHT: e->cursor += char_len(e, e->cursor); break;
	case TT_KEY_HOME:
	case TT_KEY_CTRL('a'): e->cursor = line_start(e, e->cursor); break;
	case TT_KEY_END:
	case TT_KEY_CTRL('e'): e->cursor = line_end(e, e->cursor); break;
	case TT_KEY_UP: move_lines(e, -1), vertical = true; break;
	case TT_KEY_DOWN: move_lines(e, 1), vertical = true; break;
	case TT_KEY_PGUP: move_lines(e, -(long)(e->page > 1 ? e->page - 1 : 1)), vertical = true; break;
	case TT_KEY_PGDN: move_lines(e, e->page > 1 ? e->page - 1 : 1), vertical = true; break;
	default: return false;
	}
	if (!vertical)
		e->goal = chars_between(e, line_start(e, e->cursor), e->cursor);
	e->typing = false;
	return true;
}

void tt_editor_cursor(const struct tt_editor *e, size_t *line, size_t *column)
{
	size_t n = 1;

	for (size_t i = 0; i < e->cursor; i++)
		n += e->text[i] == '\n';
	*line = n;
	*column = chars_between(e, line_start(e, e->cursor), e->cursor) + 1;
}

void tt_editor_goto(struct tt_editor *e, size_t line, size_t column)
{
	size_t ls = 0;

	while (line > 1 && ls < e->len) {
		size_t le = line_end(e, ls);
		if (le == e->len)
			break;
		ls = le + 1;
		line--;
	}
	e->goal = column ? column - 1 : 0;
	e->cursor = at_column(e, ls, e->goal);
	e->typing = false;
}

/* --- editing ------------------------------------------------------------------------------ */

enum tt_editor_result tt_editor_key(struct tt_editor *e, int key)
{
	enum tt_editor_result r;
	char utf8[4];

	if (move_key(e, key))
		return TT_EDITOR_MOVED;
	if (key == TT_KEY_CTRL('_') || key == TT_KEY_CTRL('u'))
		return tt_editor_undo(e) ? TT_EDITOR_CHANGED : TT_EDITOR_MOVED;
	if (key == TT_KEY_ENTER || key == '\n')
		r = edit(e, e->cursor, 0, "\n", 1, false);
	else if (key == TT_KEY_TAB)
		r = edit(e, e->cursor, 0, "  ", 2, true);
	else if (key == TT_KEY_BACKSPACE || key == 0x7f || key == TT_KEY_CTRL('h')) {
		size_t p = prev_char(e, e->cursor);
		r = p < e->cursor ? edit(e, p, e->cursor - p, "", 0, false) : TT_EDITOR_MOVED;
	} else if (key == TT_KEY_DELETE) {
		size_t n = char_len(e, e->cursor);
		r = n ? edit(e, e->cursor, n, "", 0, false) : TT_EDITOR_MOVED;
	} else if (key >= ' ' && key < TT_KEY_BASE && key != 0x7f && !(key >= 0x80 && key < 0xa0))
		r = edit(e, e->cursor, 0, utf8, tt_utf8_encode((uint32_t)key, utf8), true);
	else
		return TT_EDITOR_IGNORED;
	if (r == TT_EDITOR_CHANGED)
		e->goal = chars_between(e, line_start(e, e->cursor), e->cursor);
	return r;
}

/* --- drawing ---------------------------------------------------------------------------------- */

/* Columns the character at pos takes once sanitized (a control character
 * shows as ^X, an invalid byte as \xNN). */
static int char_width(const struct tt_canvas *c, const struct tt_editor *e, size_t pos)
{
	char one[8];
	size_t n = char_len(e, pos);

	if (!e->text[pos])
		return 2; /* ^@ */
	memcpy(one, e->text + pos, n);
	one[n] = 0;
	return tt_canvas_text_width(c, one);
}

static int width_between(const struct tt_canvas *c, const struct tt_editor *e, size_t from, size_t to)
{
	int w = 0;

	while (from < to) {
		w += char_width(c, e, from);
		from += char_len(e, from);
	}
	return w;
}

static void draw_line(struct tt_editor *e, struct tt_canvas *c, int x, int y, int w, size_t ls)
{
	size_t le = line_end(e, ls), p = ls, n;
	int col = 0;
	struct tt_style plain = {0, 0, 0};

	while (p < le && col < e->left) {
		col += char_width(c, e, p);
		p += char_len(e, p);
	}
	if (p >= le || col - e->left >= w)
		return;
	/* Enough bytes for w columns whatever the characters are. */
	n = le - p < (size_t)w * 8 + 16 ? le - p : (size_t)w * 8 + 16;
	tt_canvas_textn(c, x + col - e->left, y, w - (col - e->left), e->text + p, n, plain);
}

static void scroll_to_cursor(struct tt_editor *e, const struct tt_canvas *c, int w, int h, size_t cur_line, int cur_col)
{
	if (cur_line < e->top)
		e->top = cur_line;
	if (cur_line >= e->top + (size_t)h)
		e->top = cur_line - (size_t)h + 1;
	(void)c;
	if (cur_col < e->left)
		e->left = cur_col > 8 ? cur_col - 8 : 0;
	if (cur_col >= e->left + w)
		e->left = cur_col - w + 1;
}

void tt_editor_draw(struct tt_editor *e, struct tt_canvas *c, int x, int y, int w, int h, bool focused)
{
	size_t line, column, lines = 1, ls = 0, ln;
	int gutter = 3, cur_col, tw;
	struct tt_style dim = {0, 0, TT_ATTR_DIM}, cursor = {0, 0, TT_ATTR_REVERSE};
	char num[32];

	if (w < 2 || h < 1)
		return;
	e->page = h;
	for (size_t i = 0; i < e->len; i++)
		lines += e->text[i] == '\n';
	if (snprintf(num, sizeof(num), "%zu", lines) > gutter)
		gutter = (int)strlen(num);
	tw = w - gutter - 1;
	if (tw < 1) {
		gutter = 0;
		tw = w;
	}
	tt_editor_cursor(e, &line, &column);
	cur_col = width_between(c, e, line_start(e, e->cursor), e->cursor);
	scroll_to_cursor(e, c, tw, h, line - 1, cur_col);
	for (ln = 0; ln < e->top && ls <= e->len; ln++)
		ls = line_end(e, ls) + 1;
	for (int row = 0; row < h && ls <= e->len; row++, ln++) {
		if (gutter) {
			snprintf(num, sizeof(num), "%*zu", gutter, ln + 1);
			tt_canvas_text(c, x, y + row, gutter, num, dim);
		}
		draw_line(e, c, x + w - tw, y + row, tw, ls);
		ls = line_end(e, ls) + 1;
	}
	if (focused && line - 1 >= e->top && line - 1 < e->top + (size_t)h)
		tt_canvas_restyle(c, x + w - tw + cur_col - e->left, y + (int)(line - 1 - e->top), 1, 1, cursor);
}

/* --- the JSON check -------------------------------------------------------------------------- */

bool tt_editor_check(struct tt_editor *e, char *msg, size_t size, int *line, int *column)
{
	if (e->checked != e->version) {
		json_error_t jerr;
		json_t *v = NULL;

		e->checked = e->version;
		e->check_line = e->check_column = 0;
		if (!e->len) {
			e->check_ok = false;
			snprintf(e->check_msg, sizeof(e->check_msg), "empty: type a JSON value ({} for none)");
		} else if ((v = json_loadb(e->text, e->len, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, &jerr))) {
			e->check_ok = true;
			snprintf(e->check_msg, sizeof(e->check_msg), "JSON ok, %zu bytes", e->len);
		} else {
			e->check_ok = false;
			e->check_line = jerr.line;
			e->check_column = jerr.column;
			snprintf(e->check_msg, sizeof(e->check_msg), "line %d, column %d: %.150s", jerr.line,
				 jerr.column, jerr.text);
		}
		json_decref(v);
	}
	if (msg && size)
		snprintf(msg, size, "%s", e->check_msg);
	if (line)
		*line = e->check_line;
	if (column)
		*column = e->check_column;
	return e->check_ok;
}
