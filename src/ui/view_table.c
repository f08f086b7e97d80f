/* A table drill-down: key schema, indexes, item count and size (one
 * DescribeTable when opened, `r` asks again), the functions wired to it
 * (Enter opens one), and its capacity and throttling charts from the tier
 * screen's snapshot. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiertop/keys.h"
#include "tiertop/svc_dynamodb.h"
#include "tiertop/views.h"
#include "tiertop/xalloc.h"

/* The answer may come after the view is gone: the call holds this, and
 * the view only cuts the link. */
struct pending {
	struct table_view *view;
};

struct table_view {
	struct tt_view base;
	struct tt_snapshot *snap;
	char *name;
	char crumb[200];
	struct tt_ddb_table *desc;
	struct tt_err err;
	bool failed;
	struct pending *pending;
	bool started;
	size_t sel, top; /* the selected function, the first one shown */
};

/* The wired functions shown at most (the charts keep the rest). */
#define FUNCTION_ROWS 6

enum { A_NAV = 1, A_OPEN = A_NAV + TT_NAV_COUNT, A_DESCRIBE, A_ITEMS, A_COPY };

static const struct tt_keybind binds[] = {
	TT_NAV_BINDS(A_NAV, "function", "functions"),
	{TT_KEY_ENTER, A_OPEN, "open the function"},
	{'r', A_DESCRIBE, "describe the table again"},
	{'i', A_ITEMS, "browse the table's items"},
	{'y', A_COPY, "copy the table's name"},
};

static const struct tt_keymap keymap = {"Table", binds, sizeof(binds) / sizeof(binds[0])};
const struct tt_keymap *const tt_keymap_table = &keymap;

static void on_described(void *ctx, struct tt_ddb_table *table, const struct tt_err *err)
{
	struct pending *p = ctx;
	struct table_view *t = p->view;

	free(p);
	if (!t) {
		tt_ddb_table_free(&table);
		return;
	}
	t->pending = NULL;
	t->failed = err != NULL;
	if (err) {
		t->err = *err;
	} else {
		tt_ddb_table_free(&t->desc);
		t->desc = table;
	}
	t->base.dirty = true;
}

static void describe(struct table_view *t)
{
	struct pending *p;

	if (t->pending)
		return;
	p = tt_xcalloc(1, sizeof(*p));
	p->view = t;
	t->pending = p;
	if (tt_ddb_describe_table(t->base.env->aws, t->name, on_described, p, &t->err)) {
		free(p);
		t->pending = NULL;
		t->failed = true;
	}
}

/* The functions that read or write this table, from the wiring. */
static size_t wired_functions(const struct table_view *t, const char **out, size_t max)
{
	const struct tt_stack *st = tt_snapshot_stack(t->snap);
	size_t n = 0;

	for (size_t i = 0; st && i < st->nfunctions && n < max; i++)
		for (size_t k = 0; k < st->functions[i].ntables; k++)
			if (strcmp(st->functions[i].tables[k].table, t->name) == 0) {
				out[n++] = st->functions[i].name;
				break;
			}
	return n;
}

static void key_line(const char *label, const struct tt_ddb_key_schema *k, const struct tt_ddb_table *d, char *out,
		     size_t size)
{
	const char *ht = tt_ddb_table_attr_type(d, k->hash);
	const char *rt = k->range ? tt_ddb_table_attr_type(d, k->range) : NULL;

	snprintf(out, size, "%s %s (%s)%s%s%s%s%s", label, k->hash, ht ? ht : "?", k->range ? ", sort " : "",
		 k->range ? k->range : "", k->range ? " (" : "", k->range ? (rt ? rt : "?") : "", k->range ? ")" : "");
}

static int draw_desc(struct table_view *t, struct tt_canvas *c, int y)
{
	const struct tt_ddb_table *d = t->desc;
	char line[600], size[16], items[16];
	int row = y;

	if (!d) {
		tt_canvas_text(c, 0, row++, c->w, t->failed ? t->err.message : "describing...",
			       t->failed ? tt_style_warn() : tt_style_dim());
		return row - y;
	}
	tt_fmt_num((double)d->item_count, items);
	tt_fmt_num((double)d->size_bytes, size);
	snprintf(line, sizeof(line), "%s, %s, about %s items, %s bytes (DynamoDB updates these every ~6 h)",
		 d->status, d->billing_mode, items, size);
	tt_canvas_text(c, 0, row++, c->w, line, tt_style_plain());
	key_line("key: partition", &d->key, d, line, sizeof(line));
	tt_canvas_text(c, 0, row++, c->w, line, tt_style_plain());
	for (size_t i = 0; i < d->ngsis + d->nlsis; i++) {
		const struct tt_ddb_index *x = i < d->ngsis ? &d->gsis[i] : &d->lsis[i - d->ngsis];
		char label[200];
		snprintf(label, sizeof(label), "%s %s: partition", i < d->ngsis ? "GSI" : "LSI", x->name);
		key_line(label, &x->key, d, line, sizeof(line));
		tt_canvas_text(c, 0, row++, c->w, line, tt_style_plain());
	}
	snprintf(line, sizeof(line), "stream: %s", d->stream_view ? d->stream_view : "off");
	tt_canvas_text(c, 0, row++, c->w, line, tt_style_plain());
	return row - y;
}

static int draw_functions(struct table_view *t, struct tt_canvas *c, int y)
{
	const char *fns[64];
	size_t n = wired_functions(t, fns, 64);
	char line[300];

	if (t->sel >= n)
		t->sel = n ? n - 1 : 0;
	/* The selection stays among the rows shown. */
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->sel >= t->top + FUNCTION_ROWS)
		t->top = t->sel - FUNCTION_ROWS + 1;
	if (t->top + FUNCTION_ROWS > n)
		t->top = n > FUNCTION_ROWS ? n - FUNCTION_ROWS : 0;
	if (n > FUNCTION_ROWS)
		snprintf(line, sizeof(line), "FUNCTIONS wired to it (%zu-%zu of %zu)", t->top + 1, t->top + FUNCTION_ROWS,
			 n);
	else
		snprintf(line, sizeof(line), "%s", n ? "FUNCTIONS wired to it" : "FUNCTIONS wired to it: none known");
	tt_canvas_text(c, 0, y, c->w, line, tt_style_header());
	for (size_t i = 0; t->top + i < n && i < FUNCTION_ROWS; i++) {
		snprintf(line, sizeof(line), "%s", fns[t->top + i]);
		tt_canvas_text(c, 2, y + 1 + (int)i, c->w - 2, line, tt_style_plain());
		if (t->top + i == t->sel)
			tt_canvas_restyle(c, 2, y + 1 + (int)i, c->w - 2, 1, tt_style_selected());
	}
	return 1 + (int)(n < FUNCTION_ROWS ? n : FUNCTION_ROWS);
}

static void table_draw(struct tt_view *v, struct tt_canvas *c, int y, int h)
{
	struct table_view *t = (struct table_view *)v;
	int used = draw_desc(t, c, y);

	used += draw_functions(t, c, y + used);
	tt_draw_metric_grid(c, y + used, h - used, t->snap, tt_snapshot_find(t->snap, TT_RES_TABLE, t->name, NULL),
			    h - used >= 20 ? 3 : 2);
}

static int table_key(struct tt_view *v, int key, int64_t now_ms)
{
	struct table_view *t = (struct table_view *)v;
	const char *fns[64];
	size_t n = wired_functions(t, fns, 64);
	int action = tt_keymap_action(&keymap, key);

	(void)now_ms;
	if (tt_nav_of(action, A_NAV) >= 0) {
		/* A page: the rows shown (FUNCTION_ROWS at most). */
		t->sel = tt_nav_move(tt_nav_of(action, A_NAV), t->sel, n, n < FUNCTION_ROWS ? (int)n : FUNCTION_ROWS);
		v->dirty = true;
		return TT_VIEW_HANDLED;
	}
	switch (action) {
	case A_OPEN:
		if (t->sel < n)
			v->env->push(v->env->con, tt_view_function_new(v->env, t->snap, fns[t->sel]));
		break;
	case A_DESCRIBE: describe(t); break;
	case A_ITEMS: v->env->push(v->env->con, tt_view_items_new(v->env, t->name, NULL)); break;
	case A_COPY: v->env->copy(v->env->con, t->name); break;
	default: return TT_VIEW_IGNORED;
	}
	v->dirty = true;
	return TT_VIEW_HANDLED;
}

/* The first tick describes the table: a view costs nothing until the
 * loop runs it. */
static void table_tick(struct tt_view *v, int64_t now_ms)
{
	struct table_view *t = (struct table_view *)v;

	(void)now_ms;
	if (!t->started) {
		t->started = true;
		describe(t);
	}
}

static const char *table_crumb(const struct tt_view *v)
{
	return ((const struct table_view *)v)->crumb;
}

static void table_free(struct tt_view *v)
{
	struct table_view *t = (struct table_view *)v;

	if (t->pending)
		t->pending->view = NULL;
	tt_ddb_table_free(&t->desc);
	free(t->name);
	free(t);
}

static const struct tt_view_ops ops = {
	.kind = "table",
	.crumb = table_crumb,
	.draw = table_draw,
	.key = table_key,
	.tick = table_tick,
	.free = table_free,
	.keymap = &keymap,
};

struct tt_view *tt_view_table_new(const struct tt_view_env *env, struct tt_snapshot *snap, const char *name)
{
	struct table_view *t = tt_xcalloc(1, sizeof(*t));

	t->base.ops = &ops;
	t->base.env = env;
	t->base.dirty = true;
	t->snap = snap;
	t->name = tt_xstrdup(name);
	snprintf(t->crumb, sizeof(t->crumb), "table %s", name);
	return &t->base;
}
