#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiertop/canvas.h"
#include "tiertop/help.h"
#include "tiertop/keys.h"
#include "tiertop/view.h"
#include "tiertop/xalloc.h"

int tt_keymap_action(const struct tt_keymap *m, int key)
{
	if (!m)
		return 0;
	if (key == '\n')
		key = TT_KEY_ENTER;
	for (size_t i = 0; i < m->n; i++)
		if (m->binds[i].key == key)
			return m->binds[i].action;
	return 0;
}

#define INDENT  2
#define GAP     2
#define KEY_GAP 2

struct entry {
	char keys[64];
	const char *help;
};

/* One entry per run of bindings of the same action. Caller frees. */
static struct entry *entries_of(const struct tt_keymap *m, size_t *count)
{
	struct entry *e = tt_xcalloc(m->n + 1, sizeof(*e));
	size_t n = 0;

	for (size_t i = 0; i < m->n; i++) {
		char buf[16];
		const char *name = tt_key_name(m->binds[i].key, buf);
		struct entry *cur;

		if (n > 0 && m->binds[i].action == m->binds[i - 1].action) {
			cur = &e[n - 1];
			size_t len = strlen(cur->keys);
			snprintf(cur->keys + len, sizeof(cur->keys) - len, ", %s", name);
			continue;
		}
		cur = &e[n++];
		snprintf(cur->keys, sizeof(cur->keys), "%s", name);
		cur->help = m->binds[i].help ? m->binds[i].help : "";
	}
	*count = n;
	return e;
}

struct help_layout {
	int keyw; /* the widest key label */
	int colw; /* an entry with its gap */
	int ncols;
};

static struct help_layout measure(const struct tt_keymap *const *maps, size_t n, const struct tt_canvas *c)
{
	struct help_layout l = {0, 0, 1};
	int helpw = 0;

	for (size_t i = 0; i < n; i++) {
		size_t count;
		struct entry *e = entries_of(maps[i], &count);
		for (size_t j = 0; j < count; j++) {
			int kw = tt_canvas_text_width(c, e[j].keys), hw = tt_canvas_text_width(c, e[j].help);
			l.keyw = kw > l.keyw ? kw : l.keyw;
			helpw = hw > helpw ? hw : helpw;
		}
		free(e);
	}
	l.colw = l.keyw + KEY_GAP + helpw + GAP;
	if (l.colw > 0 && c->w - INDENT + GAP >= l.colw)
		l.ncols = (c->w - INDENT + GAP) / l.colw;
	return l;
}

static int rows_of(size_t count, int ncols)
{
	return (int)((count + (size_t)ncols - 1) / (size_t)ncols);
}

/* Walks every line of the help; draws those in view when c is writable. */
static int walk(const struct tt_keymap *const *maps, size_t n, struct tt_canvas *draw,
                const struct tt_canvas *c, int y, int h, int scroll)
{
	static const struct tt_style title = {0, 0, TT_ATTR_BOLD}, key = {TT_COLOR_CYAN, 0, 0},
	                             text = {0, 0, 0};
	struct help_layout l = measure(maps, n, c);
	int line = 0;

	for (size_t i = 0; i < n; i++) {
		size_t count;
		struct entry *e = entries_of(maps[i], &count);
		int rows = rows_of(count, l.ncols);

		if (i > 0)
			line++;
		if (draw && line >= scroll && line - scroll < h)
			tt_canvas_text(draw, 0, y + line - scroll, -1, maps[i]->title, title);
		line++;
		for (int r = 0; r < rows; r++, line++) {
			int row = y + line - scroll;
			if (!draw || line < scroll || line - scroll >= h)
				continue;
			for (int col = 0; col < l.ncols; col++) {
				size_t k = (size_t)col * (size_t)rows + (size_t)r;
				int x = INDENT + col * l.colw, room = c->w - x;
				if (k >= count || room <= 0)
					break;
				if (room > l.colw - GAP)
					room = l.colw - GAP;
				tt_canvas_text_fit(draw, x, row, room < l.keyw ? room : l.keyw, e[k].keys,
				                   key, false);
				if (room > l.keyw + KEY_GAP)
					tt_canvas_text_fit(draw, x + l.keyw + KEY_GAP, row,
					                   room - l.keyw - KEY_GAP, e[k].help, text, false);
			}
		}
		free(e);
	}
	return line;
}

void tt_keymap_help_draw(const struct tt_keymap *const *maps, size_t n, struct tt_canvas *c, int y, int h,
                         int scroll)
{
	static const struct tt_style plain;

	if (h <= 0)
		return;
	tt_canvas_fill(c, 0, y, c->w, h, ' ', plain);
	walk(maps, n, c, c, y, h, scroll < 0 ? 0 : scroll);
}

int tt_keymap_help_lines(const struct tt_keymap *const *maps, size_t n, const struct tt_canvas *c)
{
	return walk(maps, n, NULL, c, 0, 0, 0);
}
