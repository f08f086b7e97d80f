/* The invoke view's qualifier pick list (qual_pick.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiertop/aws.h"
#include "tiertop/keys.h"
#include "tiertop/qual_pick.h"
#include "tiertop/views.h"
#include "tiertop/widgets.h"
#include "tiertop/xalloc.h"

#define BOX_W_MAX 78
#define MESSAGE_MAX 300

/* What the listing's callback holds: freeing the pick only unlinks it. */
struct ticket {
	struct tt_qual_pick *pick;
};

struct tt_qual_pick {
	char *function;
	char *current;
	struct ticket *ticket; /* the listing in flight, or NULL */
	bool *dirty;
	struct tt_lambda_qualifiers list;
	bool loaded;
	char message[MESSAGE_MAX]; /* "asking Lambda..." or why the listing failed */
	bool failed;
	struct tt_table tbl;
	char cell[160];
	char title[160];
};

static const struct tt_table_col cols[] = {
	{"QUALIFIER", 18, false},
	{"KIND", 7, false},
	{"VERSION", 16, false},
	{"DESCRIPTION", 0, false},
};

int tt_qual_list_aws(void *io, const char *function, tt_lambda_qualifiers_fn done, void *ctx, struct tt_err *err)
{
	return tt_lambda_list_qualifiers(io, function, done, ctx, err);
}

/* The qualifier in use is selected; without one, $LATEST (the first row). */
static void select_current(struct tt_qual_pick *p)
{
	for (size_t i = 0; i < p->list.n; i++) {
		if (strcmp(p->list.items[i].name, *p->current ? p->current : "$LATEST") == 0) {
			p->tbl.sel = i;
			return;
		}
	}
}

static void on_list(void *ctx, struct tt_lambda_qualifiers *list, const struct tt_err *err)
{
	struct ticket *t = ctx;
	struct tt_qual_pick *p = t->pick;
	char buf[MESSAGE_MAX];

	free(t);
	if (!p)
		return;
	p->ticket = NULL;
	if (err) {
		snprintf(p->message, sizeof(p->message), "cannot list them: %s", tt_err_format(err, buf, sizeof(buf)));
		p->failed = true;
	} else {
		p->list = *list;
		memset(list, 0, sizeof(*list));
		p->loaded = true;
		tt_table_set_rows(&p->tbl, p->list.n);
		select_current(p);
	}
	*p->dirty = true;
}

struct tt_qual_pick *tt_qual_pick_open(const char *function, const char *current, tt_qual_list_fn list, void *io,
				       bool *dirty)
{
	struct tt_qual_pick *p = tt_xcalloc(1, sizeof(*p));
	struct tt_err err;

	p->function = tt_xstrdup(function);
	p->current = tt_xstrdup(current ? current : "");
	p->dirty = dirty;
	tt_table_init(&p->tbl, cols, sizeof(cols) / sizeof(cols[0]));
	snprintf(p->title, sizeof(p->title), "Qualifier for %s", function);
	snprintf(p->message, sizeof(p->message), "asking Lambda for the versions and aliases...");
	p->ticket = tt_xcalloc(1, sizeof(*p->ticket));
	p->ticket->pick = p;
	if (list(io, function, on_list, p->ticket, &err)) {
		/* Nothing was sent: the callback will not run. */
		free(p->ticket);
		p->ticket = NULL;
		snprintf(p->message, sizeof(p->message), "cannot list them: %.250s", err.message);
		p->failed = true;
	}
	return p;
}

void tt_qual_pick_free(struct tt_qual_pick **pp)
{
	struct tt_qual_pick *p = *pp;

	if (!p)
		return;
	if (p->ticket)
		p->ticket->pick = NULL;
	tt_lambda_qualifiers_clear(&p->list);
	free(p->function);
	free(p->current);
	free(p);
	*pp = NULL;
}

enum tt_qual_pick_result tt_qual_pick_key(struct tt_qual_pick *p, int key)
{
	if (key == TT_KEY_ESC || key == 'q')
		return TT_QUAL_PICK_CANCELLED;
	if (key == TT_KEY_ENTER && p->loaded && p->list.n)
		return TT_QUAL_PICK_CHOSEN;
	if (p->loaded)
		tt_table_key(&p->tbl, key);
	return TT_QUAL_PICK_OPEN;
}

const char *tt_qual_pick_choice(const struct tt_qual_pick *p)
{
	const char *name;

	if (!p->loaded || p->tbl.sel >= p->list.n)
		return p->current;
	name = p->list.items[p->tbl.sel].name;
	return strcmp(name, "$LATEST") == 0 ? "" : name;
}

/* "1", or "2, 10% to 3" for an alias that splits traffic. */
static const char *cell(void *ctx, size_t row, size_t col, struct tt_style *st)
{
	struct tt_qual_pick *p = ctx;
	const struct tt_lambda_qualifier *q = &p->list.items[row];

	switch (col) {
	case 0: return q->name;
	case 1: return q->alias ? "alias" : "version";
	case 2:
		if (!q->alias || !*q->extra_version)
			return q->version;
		snprintf(p->cell, sizeof(p->cell), "%s, %g%% to %s", q->version, q->extra_weight * 100.0,
			 q->extra_version);
		return p->cell;
	default:
		if (!q->alias && !*q->description && *q->last_modified) {
			*st = tt_style_dim();
			snprintf(p->cell, sizeof(p->cell), "modified %.10s", q->last_modified);
			return p->cell;
		}
		return q->description;
	}
}

static void draw_frame(struct tt_canvas *c, int x, int y, int w, int h, const char *title)
{
	struct tt_style plain = tt_style_plain(), bold = tt_style_header();
	int tw;

	tt_canvas_fill(c, x, y, w, h, ' ', plain);
	tt_canvas_fill(c, x, y, w, 1, 0x2500, plain);
	tt_canvas_fill(c, x, y + h - 1, w, 1, 0x2500, plain);
	tt_canvas_fill(c, x, y, 1, h, 0x2502, plain);
	tt_canvas_fill(c, x + w - 1, y, 1, h, 0x2502, plain);
	tt_canvas_fill(c, x, y, 1, 1, 0x250C, plain);
	tt_canvas_fill(c, x + w - 1, y, 1, 1, 0x2510, plain);
	tt_canvas_fill(c, x, y + h - 1, 1, 1, 0x2514, plain);
	tt_canvas_fill(c, x + w - 1, y + h - 1, 1, 1, 0x2518, plain);
	tw = tt_canvas_text_width(c, title);
	if (w > 8) {
		tw = tt_canvas_text_fit(c, x + 3, y, tw < w - 8 ? tw : w - 8, title, bold, false);
		tt_canvas_fill(c, x + 2, y, 1, 1, ' ', plain);
		tt_canvas_fill(c, x + 3 + tw, y, 1, 1, ' ', plain);
	}
}

void tt_qual_pick_draw(struct tt_qual_pick *p, struct tt_canvas *c)
{
	int rows = p->loaded && p->list.n ? (int)p->list.n : 1;
	int w = c->w - 4 < BOX_W_MAX ? c->w - 4 : BOX_W_MAX, h = rows + 5, x, y;

	if (h > c->h - 2)
		h = c->h - 2;
	if (w < 20 || h < 5)
		return;
	x = (c->w - w) / 2;
	y = (c->h - h) / 2;
	draw_frame(c, x, y, w, h, p->title);
	if (p->loaded)
		tt_table_draw(&p->tbl, c, x + 2, y + 1, w - 4, h - 3, cell, p, "(no versions)");
	else
		tt_canvas_text_fit(c, x + 2, y + 2, w - 4, p->message, p->failed ? tt_style_alarm() : tt_style_dim(),
				   false);
	tt_canvas_text_fit(c, x + 2, y + h - 2, w - 4,
			   p->loaded && p->list.n ? "Enter: use it   Esc: keep the qualifier as it was" : "Esc: close",
			   tt_style_dim(), false);
}
