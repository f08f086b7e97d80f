/* The item browser (issue 8, "Item browser"): a table's items as columns,
 * the key attributes first, then the attributes most common among what is
 * loaded; read page by page through the items model (items.h) only when
 * the cursor comes near the end of what is loaded, and never more than a
 * bounded window of items held: past it the oldest are dropped, and the
 * header says so.
 *
 * Query by key on the table or an index (a form of small dialogs), a local
 * filter on what is loaded, the detail of an item as plain or typed JSON
 * (numbers as their text, never a double), marks, an export to JSON Lines,
 * a copy through OSC 52 and the replay hook for the marked items' keys.
 *
 * Items are read as typed JSON and kept parsed: the typed form is what
 * DynamoDB sent (the detail's `t`), the plain one is written from it. */
#define _GNU_SOURCE /* strcasestr */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tiertop/buf.h"
#include "tiertop/dialog.h"
#include "tiertop/items.h"
#include "tiertop/items_query.h"
#include "tiertop/json_text.h"
#include "tiertop/keys.h"
#include "tiertop/sigv4.h"
#include "tiertop/views.h"
#include "tiertop/widgets.h"
#include "tiertop/xalloc.h"

#define DEFAULT_PAGE_SIZE 100
#define DEFAULT_MAX_ITEMS 5000
/* Attributes counted for the columns; the rest are only in the detail. */
#define MAX_ATTRS 256
#define COL_MAX 32
#define CELL_MAX_WIDTH 30
#define NOTE_MAX 300
#define HINT "Enter detail  q query  s scan  / filter  Space mark  x export  y copy  R replay"

struct item {
	struct tt_ddb_value *v; /* an M, as DynamoDB sent it */
	char *plain;            /* one line of plain JSON: the filter and the export read it */
	bool marked;
};

struct attr {
	char *name;
	size_t count; /* items of the window that have it */
	int width;    /* the widest cell seen, at most CELL_MAX_WIDTH */
};

/* The answer to DescribeTable may come after the view is gone. */
struct pending {
	struct items_view *view;
};

enum form_step { FORM_NONE, FORM_INDEX, FORM_PARTITION, FORM_SORT, FORM_EXPORT, FORM_OVERWRITE, FORM_FILTER };

struct items_view {
	struct tt_view base;
	char *table;
	char crumb[200];
	struct tt_items_io io;
	int (*describe)(void *io, const char *table, tt_ddb_table_fn done, void *ctx, struct tt_err *err);
	long page_size;
	size_t max_items;

	struct tt_ddb_table *desc;
	struct pending *pending;
	bool started;

	struct tt_items *reader;
	char what[400];         /* "scan" or the query, for the header */
	struct item *items;     /* the window: the oldest first */
	size_t nitems, cap;
	size_t dropped;         /* items dropped from the front since the read started */
	size_t *vis;            /* indexes into items that pass the filter */
	size_t nvis;
	char filter[256];
	struct attr attrs[MAX_ATTRS];
	size_t nattrs;
	size_t hscroll;         /* the first non-key column shown */
	struct tt_table tbl;
	struct tt_table_col cols[COL_MAX];
	const char *col_attr[COL_MAX]; /* the attribute of each column; NULL: the mark */
	size_t ncols;
	char *cell;             /* the last cell's text (the table's callback contract) */

	bool detail;            /* the detail of the selected item covers the list */
	bool typed;
	char **lines;
	size_t nlines, detail_top;
	int detail_page;

	enum form_step form;
	struct tt_dialog *dlg;
	const struct tt_ddb_index *q_index; /* NULL: the table */
	bool q_on_index;
	char q_part[256];
	char export_path[256];

	char note[NOTE_MAX];
	bool note_warn;
	char status[200];
};

enum {
	A_NAV = 1, /* and the next TT_NAV_COUNT - 1 */
	A_DETAIL = A_NAV + TT_NAV_COUNT,
	A_TYPED,
	A_QUERY,
	A_SCAN,
	A_FILTER,
	A_MARK,
	A_EXPORT,
	A_COPY,
	A_REPLAY,
	A_LEFT,
	A_RIGHT,
};

static const struct tt_keybind binds[] = {
	TT_NAV_BINDS_AS(A_NAV, "previous item", "next item; near the end the next page is read",
			"previous page of items", "next page of items", "first item", "last item loaded"),
	{TT_KEY_ENTER, A_DETAIL, "the item as JSON (Esc: back to the list)"},
	{'t', A_TYPED, "detail: plain JSON / typed DynamoDB JSON"},
	{TT_KEY_LEFT, A_LEFT, "columns: scroll left"},
	{TT_KEY_RIGHT, A_RIGHT, "columns: scroll right"},
	{'q', A_QUERY, "query by key on the table or an index"},
	{'s', A_SCAN, "scan the whole table again (drops the query)"},
	{'/', A_FILTER, "filter what is loaded (substring of the item's JSON; empty: all)"},
	{' ', A_MARK, "mark / unmark the item"},
	{'x', A_EXPORT, "export the marked items (or this one) as JSON Lines"},
	{'y', A_COPY, "copy the item as JSON (OSC 52)"},
	{'R', A_REPLAY, "replay the marked items (or this one)"},
};

static const struct tt_keymap keymap = {"Items", binds, sizeof(binds) / sizeof(binds[0])};
const struct tt_keymap *const tt_keymap_items = &keymap;

static struct items_view *IV(struct tt_view *v)
{
	return (struct items_view *)v;
}

static void set_note(struct items_view *iv, bool warn, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void set_note(struct items_view *iv, bool warn, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(iv->note, sizeof(iv->note), fmt, ap);
	va_end(ap);
	iv->note_warn = warn;
	iv->base.dirty = true;
}

/* --- the window of items ----------------------------------------------------------------- */

static void item_clear(struct item *it)
{
	tt_ddb_value_free(&it->v);
	free(it->plain);
}

static const struct tt_ddb_value *attr_of(const struct tt_ddb_value *item, const char *name)
{
	for (size_t i = 0; item && i < item->n; i++)
		if (strcmp(item->names[i], name) == 0)
			return &item->kids[i];
	return NULL;
}

/* What a cell shows: a string or number as its text, anything else as
 * plain JSON. The caller frees. */
static char *cell_text(const struct tt_ddb_value *v)
{
	if (v->type == TT_DDB_S || v->type == TT_DDB_N)
		return tt_xstrndup(v->str, v->len);
	return tt_ddb_value_text(v, TT_DDB_PLAIN);
}

static struct attr *attr_find(struct items_view *iv, const char *name, bool add)
{
	for (size_t i = 0; i < iv->nattrs; i++)
		if (strcmp(iv->attrs[i].name, name) == 0)
			return &iv->attrs[i];
	if (!add || iv->nattrs == MAX_ATTRS)
		return NULL;
	iv->attrs[iv->nattrs] = (struct attr){tt_xstrdup(name), 0, (int)strlen(name)};
	return &iv->attrs[iv->nattrs++];
}

static void count_attrs(struct items_view *iv, const struct tt_ddb_value *item, int delta)
{
	for (size_t i = 0; i < item->n; i++) {
		struct attr *a = attr_find(iv, item->names[i], delta > 0);
		if (!a)
			continue;
		a->count = delta > 0 ? a->count + 1 : a->count - 1;
		if (delta > 0 && a->width < CELL_MAX_WIDTH) {
			char *text = cell_text(&item->kids[i]);
			size_t len = strlen(text);
			if ((int)len > a->width)
				a->width = len > CELL_MAX_WIDTH ? CELL_MAX_WIDTH : (int)len;
			free(text);
		}
	}
}

static void attrs_clear(struct items_view *iv)
{
	for (size_t i = 0; i < iv->nattrs; i++)
		free(iv->attrs[i].name);
	iv->nattrs = 0;
	iv->hscroll = 0;
}

static bool passes(const struct items_view *iv, const struct item *it)
{
	return !iv->filter[0] || strcasestr(it->plain, iv->filter) != NULL;
}

/* The rows shown, with the selection on the first item at or after the
 * item `from` (an index into items), so a filter or a drop keeps the
 * cursor where it was as well as it can. */
static void rebuild_vis(struct items_view *iv, size_t from)
{
	size_t sel = (size_t)-1;

	iv->vis = tt_xrealloc(iv->vis, (iv->nitems ? iv->nitems : 1) * sizeof(*iv->vis));
	iv->nvis = 0;
	for (size_t i = 0; i < iv->nitems; i++)
		if (passes(iv, &iv->items[i])) {
			if (sel == (size_t)-1 && i >= from)
				sel = iv->nvis;
			iv->vis[iv->nvis++] = i;
		}
	tt_table_set_rows(&iv->tbl, iv->nvis);
	iv->tbl.sel = sel < iv->nvis ? sel : iv->nvis ? iv->nvis - 1 : 0;
	iv->base.dirty = true;
}

static size_t selected_item(const struct items_view *iv)
{
	return iv->nvis && iv->tbl.sel < iv->nvis ? iv->vis[iv->tbl.sel] : 0;
}

static void refilter(struct items_view *iv)
{
	rebuild_vis(iv, selected_item(iv));
}

/* Keeps the window bounded: the oldest items go first. */
static void drop_oldest(struct items_view *iv)
{
	size_t n, sel_item = selected_item(iv);

	if (iv->nitems <= iv->max_items)
		return;
	n = iv->nitems - iv->max_items;
	for (size_t i = 0; i < n; i++) {
		count_attrs(iv, iv->items[i].v, -1);
		item_clear(&iv->items[i]);
	}
	memmove(iv->items, iv->items + n, (iv->nitems - n) * sizeof(*iv->items));
	iv->nitems -= n;
	iv->dropped += n;
	/* The selection keeps its item, or goes to the oldest left. */
	rebuild_vis(iv, sel_item > n ? sel_item - n : 0);
}

static void add_item(struct items_view *iv, const char *line, size_t len)
{
	struct tt_ddb_value *v = NULL;
	struct tt_err err;

	if (tt_ddb_item_parse_typed(line, len, &v, &err)) {
		set_note(iv, true, "an item could not be read: %s", err.message);
		return;
	}
	if (iv->nitems == iv->cap) {
		iv->cap = iv->cap ? iv->cap * 2 : 256;
		iv->items = tt_xrealloc(iv->items, iv->cap * sizeof(*iv->items));
	}
	iv->items[iv->nitems++] = (struct item){v, tt_ddb_item_text(v, TT_DDB_PLAIN), false};
	count_attrs(iv, v, 1);
}

static void on_page(void *ctx, const struct tt_items_page *page)
{
	struct items_view *iv = ctx;
	const char *p = page->items, *end = page->items + page->items_len;
	size_t before = iv->nitems;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n)
			add_item(iv, p, n);
		p += n + 1;
	}
	iv->vis = tt_xrealloc(iv->vis, (iv->nitems ? iv->nitems : 1) * sizeof(*iv->vis));
	for (size_t i = before; i < iv->nitems; i++)
		if (passes(iv, &iv->items[i]))
			iv->vis[iv->nvis++] = i;
	tt_table_set_rows(&iv->tbl, iv->nvis);
	drop_oldest(iv);
	snprintf(iv->status, sizeof(iv->status), "%zu pages, %zu items held", tt_items_state(iv->reader)->pages,
		 iv->nitems);
	iv->base.dirty = true;
}

static void on_end(void *ctx)
{
	struct items_view *iv = ctx;
	struct tt_err err;

	if (tt_items_status(iv->reader, &err) < 0)
		set_note(iv, true, "%s", err.message);
	iv->base.dirty = true;
}

static void items_clear(struct items_view *iv)
{
	for (size_t i = 0; i < iv->nitems; i++)
		item_clear(&iv->items[i]);
	iv->nitems = 0;
	iv->nvis = 0;
	iv->dropped = 0;
	attrs_clear(iv);
	tt_table_set_rows(&iv->tbl, 0);
	iv->tbl.sel = iv->tbl.top = 0;
}

static bool reading(struct items_view *iv)
{
	return iv->reader && tt_items_status(iv->reader, NULL) == 1;
}

/* Asks for the next page when the cursor is within a screen of the end of
 * what is loaded: scrolling reads the table, nothing else does. */
static void maybe_more(struct items_view *iv)
{
	size_t screen = iv->tbl.page > 0 ? (size_t)iv->tbl.page : 20;

	if (!reading(iv) || tt_items_state(iv->reader)->in_flight)
		return;
	if (iv->nvis <= iv->tbl.sel + screen)
		tt_items_more(iv->reader);
}

/* Starts a read (the options' values are handed over, as tt_items_new does). */
static void start_read(struct items_view *iv, struct tt_items_opts *o)
{
	static const struct tt_items_sink sink = {on_page, on_end};
	struct tt_err err;

	tt_items_free(&iv->reader);
	items_clear(iv);
	iv->note[0] = 0;
	o->table = iv->table;
	o->page_size = iv->page_size;
	o->format = TT_DDB_TYPED;
	iv->reader = tt_items_new(o, &iv->io, &sink, iv, &err);
	if (!iv->reader)
		set_note(iv, true, "%s", err.message);
	else
		tt_items_more(iv->reader);
	iv->base.dirty = true;
}

static void start_scan(struct items_view *iv)
{
	struct tt_items_opts o = {.mode = TT_ITEMS_SCAN};

	snprintf(iv->what, sizeof(iv->what), "scan");
	start_read(iv, &o);
}

/* --- the table's description ----------------------------------------------------------------- */

static void on_described(void *ctx, struct tt_ddb_table *table, const struct tt_err *err)
{
	struct pending *p = ctx;
	struct items_view *iv = p->view;

	free(p);
	if (!iv) {
		tt_ddb_table_free(&table);
		return;
	}
	iv->pending = NULL;
	if (err)
		set_note(iv, true, "DescribeTable: %s (no key columns, no query)", err->message);
	else
		iv->desc = table;
	iv->base.dirty = true;
}

static void describe(struct items_view *iv)
{
	struct pending *p = tt_xcalloc(1, sizeof(*p));
	struct tt_err err;

	p->view = iv;
	iv->pending = p;
	if (iv->describe(iv->io.io, iv->table, on_described, p, &err)) {
		free(p);
		iv->pending = NULL;
		set_note(iv, true, "DescribeTable: %s", err.message);
	}
}

static int aws_describe(void *io, const char *table, tt_ddb_table_fn done, void *ctx, struct tt_err *err)
{
	return tt_ddb_describe_table(io, table, done, ctx, err);
}

/* --- columns ------------------------------------------------------------------------------- */

static bool is_key(const struct items_view *iv, const char *name)
{
	return iv->desc && (strcmp(iv->desc->key.hash, name) == 0 ||
			    (iv->desc->key.range && strcmp(iv->desc->key.range, name) == 0));
}

/* Most common first, then by name, so the order is stable between pages. */
static int by_count(const void *a, const void *b)
{
	const struct attr *x = *(const struct attr *const *)a, *y = *(const struct attr *const *)b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void add_col(struct items_view *iv, const char *name, int width)
{
	if (iv->ncols == COL_MAX)
		return;
	iv->col_attr[iv->ncols] = name;
	iv->cols[iv->ncols++] = (struct tt_table_col){name ? name : "", width, false};
}

/* The mark, the key attributes, then the others from the horizontal
 * scroll on; the last column takes what is left. */
static void build_cols(struct items_view *iv, int w)
{
	const struct attr *others[MAX_ATTRS];
	size_t nothers = 0;
	int used = 2;

	iv->ncols = 0;
	add_col(iv, NULL, 1);
	if (iv->desc) {
		const char *keys[2] = {iv->desc->key.hash, iv->desc->key.range};
		for (int k = 0; k < 2 && keys[k]; k++) {
			const struct attr *a = attr_find(iv, keys[k], false);
			int width = a ? a->width : (int)strlen(keys[k]);
			add_col(iv, keys[k], width);
			used += width + 1;
		}
	}
	for (size_t i = 0; i < iv->nattrs; i++)
		if (iv->attrs[i].count && !is_key(iv, iv->attrs[i].name))
			others[nothers++] = &iv->attrs[i];
	qsort(others, nothers, sizeof(others[0]), by_count);
	if (iv->hscroll >= nothers)
		iv->hscroll = nothers ? nothers - 1 : 0;
	for (size_t i = iv->hscroll; i < nothers && used < w; i++) {
		add_col(iv, others[i]->name, others[i]->width);
		used += others[i]->width + 1;
	}
	if (used <= w && iv->ncols > 1)
		iv->cols[iv->ncols - 1].width = 0;
}

static const char *cell_cb(void *ctx, size_t row, size_t col, struct tt_style *st)
{
	struct items_view *iv = ctx;
	const struct item *it = &iv->items[iv->vis[row]];
	const struct tt_ddb_value *v;

	free(iv->cell);
	iv->cell = NULL;
	if (!iv->col_attr[col])
		return it->marked ? "*" : NULL;
	v = attr_of(it->v, iv->col_attr[col]);
	if (!v)
		return NULL;
	if (v->type == TT_DDB_N)
		st->fg = TT_COLOR_CYAN;
	iv->cell = cell_text(v);
	return iv->cell;
}

/* --- drawing ------------------------------------------------------------------------------- */

static size_t marked_count(const struct items_view *iv)
{
	size_t n = 0;

	for (size_t i = 0; i < iv->nitems; i++)
		n += iv->items[i].marked;
	return n;
}

static void header_text(struct items_view *iv, char *out, size_t size)
{
	const struct tt_items_state *s = iv->reader ? tt_items_state(iv->reader) : NULL;
	struct tt_buf b;
	size_t marked = marked_count(iv);

	tt_buf_init(&b, 0);
	tt_buf_printf(&b, "%zu page%s, ", s ? s->pages : 0, s && s->pages == 1 ? "" : "s");
	if (iv->dropped)
		tt_buf_printf(&b, "items %zu-%zu (older dropped)", iv->dropped + 1, iv->dropped + iv->nitems);
	else
		tt_buf_printf(&b, "%zu item%s", iv->nitems, iv->nitems == 1 ? "" : "s");
	if (s && s->consumed >= 0)
		tt_buf_printf(&b, ", %.1f RCU", s->consumed);
	if (iv->filter[0])
		tt_buf_printf(&b, ", /%s: %zu shown", iv->filter, iv->nvis);
	if (marked)
		tt_buf_printf(&b, ", %zu marked", marked);
	if (s && s->in_flight)
		tt_buf_puts(&b, ", reading...");
	else if (reading(iv))
		tt_buf_puts(&b, ", more below");
	else if (iv->reader && tt_items_status(iv->reader, NULL) == 0)
		tt_buf_puts(&b, ", all read");
	/* What was asked goes last: the counts must stay readable at 80 columns. */
	tt_buf_printf(&b, " | %s", iv->what);
	snprintf(out, size, "%s", b.data);
	tt_buf_clear(&b);
}

static void draw_detail(struct items_view *iv, struct tt_canvas *c, int y, int h)
{
	char line[200];

	snprintf(line, sizeof(line), "item %zu/%zu as %s (t: %s, y: copy, Esc: back)", iv->tbl.sel + 1, iv->nvis,
		 iv->typed ? "typed DynamoDB JSON" : "plain JSON", iv->typed ? "plain" : "typed");
	tt_canvas_text(c, 0, y, c->w, line, tt_style_header());
	iv->detail_page = h - 1;
	if (iv->detail_top + (size_t)iv->detail_page > iv->nlines)
		iv->detail_top = iv->nlines > (size_t)iv->detail_page ? iv->nlines - (size_t)iv->detail_page : 0;
	for (int i = 0; i < h - 1 && iv->detail_top + (size_t)i < iv->nlines; i++)
		tt_canvas_text(c, 0, y + 1 + i, c->w, iv->lines[iv->detail_top + (size_t)i], tt_style_plain());
}

static void items_draw(struct tt_view *v, struct tt_canvas *c, int y, int h)
{
	struct items_view *iv = IV(v);
	char head[600];

	if (iv->detail) {
		draw_detail(iv, c, y, h);
	} else {
		header_text(iv, head, sizeof(head));
		tt_canvas_text(c, 0, y, c->w, head, tt_style_header());
		if (iv->note[0])
			tt_canvas_text(c, 0, y + 1, c->w, iv->note, iv->note_warn ? tt_style_warn() : tt_style_dim());
		else
			tt_canvas_text(c, 0, y + 1, c->w, HINT, tt_style_dim());
		build_cols(iv, c->w);
		if (iv->hscroll && c->w > 12)
			tt_canvas_text(c, c->w - 12, y + 1, 12, c->utf8 ? "  \xe2\x97\x80 columns" : "  < columns",
				       tt_style_dim());
		iv->tbl.cols = iv->cols;
		iv->tbl.ncols = iv->ncols;
		tt_table_draw(&iv->tbl, c, 0, y + 2, c->w, h - 2, cell_cb, iv,
			      iv->filter[0] && iv->nitems ? "nothing loaded matches the filter (Down reads on)"
			      : reading(iv)                ? "reading..."
							   : "no items");
		free(iv->cell);
		iv->cell = NULL;
	}
	if (iv->dlg)
		tt_dialog_draw(iv->dlg, c);
}

/* --- the detail ------------------------------------------------------------------------------ */

static void lines_clear(struct items_view *iv)
{
	for (size_t i = 0; i < iv->nlines; i++)
		free(iv->lines[i]);
	free(iv->lines);
	iv->lines = NULL;
	iv->nlines = 0;
}

static struct item *current(struct items_view *iv)
{
	return iv->nvis && iv->tbl.sel < iv->nvis ? &iv->items[iv->vis[iv->tbl.sel]] : NULL;
}

/* Re-indented byte for byte, so numbers keep their text. */
static void detail_fill(struct items_view *iv)
{
	struct item *it = current(iv);
	char *text;
	struct tt_buf b;
	const char *p;

	lines_clear(iv);
	iv->detail_top = 0;
	if (!it)
		return;
	text = iv->typed ? tt_ddb_item_text(it->v, TT_DDB_TYPED) : tt_xstrdup(it->plain);
	tt_buf_init(&b, 0);
	tt_json_reindent(text, strlen(text), 2, &b);
	free(text);
	for (p = b.data; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		iv->lines = tt_xrealloc(iv->lines, (iv->nlines + 1) * sizeof(*iv->lines));
		iv->lines[iv->nlines++] = tt_xstrndup(p, n);
		p += n + (nl ? 1 : 0);
	}
	tt_buf_clear(&b);
}

/* --- query form ------------------------------------------------------------------------------ */

static void open_dialog(struct items_view *iv, enum form_step step, const char *title, const char *prompt,
			const char *hint)
{
	tt_dialog_free(&iv->dlg);
	iv->dlg = tt_dialog_new(title, false);
	tt_dialog_set_prompt(iv->dlg, prompt, hint);
	iv->form = step;
	iv->base.dirty = true;
}

static void close_form(struct items_view *iv)
{
	tt_dialog_free(&iv->dlg);
	iv->form = FORM_NONE;
	iv->base.dirty = true;
}

static const struct tt_ddb_key_schema *form_key(const struct items_view *iv)
{
	return iv->q_index ? &iv->q_index->key : &iv->desc->key;
}

static const char *attr_type(const struct items_view *iv, const char *attr)
{
	const char *t = tt_ddb_table_attr_type(iv->desc, attr);

	return t ? t : "S";
}

static void ask_partition(struct items_view *iv)
{
	const struct tt_ddb_key_schema *k = form_key(iv);
	char title[300], prompt[200];

	snprintf(title, sizeof(title), "query %s%s%s", iv->table, iv->q_index ? " index " : "",
		 iv->q_index ? iv->q_index->name : "");
	snprintf(prompt, sizeof(prompt), "%s (%s) =", k->hash, attr_type(iv, k->hash));
	open_dialog(iv, FORM_PARTITION, title, prompt, "Enter: next  Esc: cancel");
	tt_dialog_add_line(iv->dlg, "the partition key's value, as text (B: base64)");
}

static void ask_sort(struct items_view *iv)
{
	const struct tt_ddb_key_schema *k = form_key(iv);
	char title[300], prompt[200];

	snprintf(title, sizeof(title), "query %s: %s = %s", iv->table, k->hash, iv->q_part);
	snprintf(prompt, sizeof(prompt), "%s (%s)", k->range, attr_type(iv, k->range));
	open_dialog(iv, FORM_SORT, title, prompt, "Enter: query  Esc: cancel");
	tt_dialog_add_line(iv->dlg, "a sort key condition, or nothing for every item:");
	tt_dialog_add_line(iv->dlg, "= V   < V   <= V   > V   >= V   begins_with V   between A and B");
}

static void start_form(struct items_view *iv)
{
	char line[300];

	if (!iv->desc) {
		set_note(iv, true, "the table's key schema is not known yet: no query");
		return;
	}
	iv->q_index = NULL;
	if (iv->desc->ngsis + iv->desc->nlsis == 0) {
		ask_partition(iv);
		return;
	}
	open_dialog(iv, FORM_INDEX, "query on", "index", "Enter: the table (empty) or that index  Esc: cancel");
	snprintf(line, sizeof(line), "(empty) the table: %s%s%s", iv->desc->key.hash, iv->desc->key.range ? ", " : "",
		 iv->desc->key.range ? iv->desc->key.range : "");
	tt_dialog_add_line(iv->dlg, line);
	for (size_t i = 0; i < iv->desc->ngsis + iv->desc->nlsis && i < 7; i++) {
		const struct tt_ddb_index *x =
		    i < iv->desc->ngsis ? &iv->desc->gsis[i] : &iv->desc->lsis[i - iv->desc->ngsis];
		snprintf(line, sizeof(line), "%s %s: %s%s%s", i < iv->desc->ngsis ? "GSI" : "LSI", x->name, x->key.hash,
			 x->key.range ? ", " : "", x->key.range ? x->key.range : "");
		tt_dialog_add_line(iv->dlg, line);
	}
}

static bool pick_index(struct items_view *iv, const char *name)
{
	if (!*name)
		return true;
	for (size_t i = 0; i < iv->desc->ngsis + iv->desc->nlsis; i++) {
		const struct tt_ddb_index *x =
		    i < iv->desc->ngsis ? &iv->desc->gsis[i] : &iv->desc->lsis[i - iv->desc->ngsis];
		if (strcmp(x->name, name) == 0) {
			iv->q_index = x;
			return true;
		}
	}
	return false;
}

/* Builds the key condition (#pk = :pk [AND the sort condition]) and runs it. */
static void run_query(struct items_view *iv, const char *sort)
{
	const struct tt_ddb_key_schema *k = form_key(iv);
	const struct tt_items_keyq_schema schema = {k->hash, attr_type(iv, k->hash), k->range,
						     k->range ? attr_type(iv, k->range) : NULL};
	struct tt_items_keyq q;
	struct tt_items_opts o = {.mode = TT_ITEMS_QUERY};
	char why[200];

	close_form(iv);
	if (tt_items_keyq_build(&schema, iv->q_part, sort, &q, why, sizeof(why))) {
		set_note(iv, true, "not queried: %s", why);
		return;
	}
	o.key_condition = q.condition;
	o.names = q.names;
	o.nnames = q.nnames;
	o.values = q.values; /* handed over */
	q.values = NULL;
	o.index = iv->q_index ? iv->q_index->name : NULL;
	snprintf(iv->what, sizeof(iv->what), "query%s%s %s = %s%s%s", o.index ? " " : "", o.index ? o.index : "",
		 k->hash, iv->q_part, sort && *sort ? ", " : "", sort && *sort ? sort : "");
	start_read(iv, &o);
	tt_items_keyq_clear(&q);
}

/* --- export, copy, replay ------------------------------------------------------------------- */

/* The marked items, or the selected one when none is. Caller frees the array. */
static struct item **chosen(struct items_view *iv, size_t *n)
{
	struct item **out = tt_xcalloc(iv->nitems + 1, sizeof(*out));
	struct item *cur = current(iv);

	*n = 0;
	for (size_t i = 0; i < iv->nitems; i++)
		if (iv->items[i].marked)
			out[(*n)++] = &iv->items[i];
	if (!*n && cur)
		out[(*n)++] = cur;
	return out;
}

static void start_export(struct items_view *iv)
{
	size_t n;
	struct item **its = chosen(iv, &n);
	char title[200], def[300];

	free(its);
	if (!n) {
		set_note(iv, true, "nothing to export");
		return;
	}
	snprintf(title, sizeof(title), "export %zu item%s as JSON Lines", n, n == 1 ? "" : "s");
	open_dialog(iv, FORM_EXPORT, title, "file", "Enter: write  Esc: cancel");
	snprintf(def, sizeof(def), "./%s-items.jsonl", iv->table);
	for (const char *p = def; *p; p++)
		tt_dialog_key(iv->dlg, (unsigned char)*p);
}

/* 0600 as the logs view's save and the debug log: items are the data
 * people come to a table for (names, emails, feedback). */
static void write_export(struct items_view *iv, const char *path, bool overwrite)
{
	size_t n;
	struct item **its = chosen(iv, &n);
	int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL), 0600);
	struct tt_buf b;
	bool ok;

	if (fd < 0 && errno == EEXIST && !overwrite) {
		free(its);
		snprintf(iv->export_path, sizeof(iv->export_path), "%s", path);
		open_dialog(iv, FORM_OVERWRITE, "the file exists", "overwrite it? (y/n)", "y: overwrite  n, Esc: no");
		tt_dialog_add_line(iv->dlg, path);
		return;
	}
	close_form(iv);
	if (fd < 0) {
		free(its);
		set_note(iv, true, "not exported: %s: %s", path, strerror(errno));
		return;
	}
	tt_buf_init(&b, 0);
	for (size_t i = 0; i < n; i++) {
		tt_buf_puts(&b, its[i]->plain);
		tt_buf_putc(&b, '\n');
	}
	ok = write(fd, b.data, b.len) == (ssize_t)b.len;
	ok = close(fd) == 0 && ok;
	if (ok)
		set_note(iv, false, "exported %zu item%s to %s", n, n == 1 ? "" : "s", path);
	else
		set_note(iv, true, "not exported: %s: %s", path, strerror(errno));
	tt_buf_clear(&b);
	free(its);
}

static void copy_item(struct items_view *iv)
{
	struct item *it = current(iv);
	char *typed;

	if (!it)
		return;
	if (iv->detail && iv->typed) {
		typed = tt_ddb_item_text(it->v, TT_DDB_TYPED);
		iv->base.env->copy(iv->base.env->con, typed);
		free(typed);
	} else {
		iv->base.env->copy(iv->base.env->con, it->plain);
	}
	set_note(iv, false, "copied the item (%s JSON)", iv->detail && iv->typed ? "typed" : "plain");
}

/* The key attributes of an item, as a plain JSON object (numbers as their
 * text). NULL when the item lacks one. */
static char *key_of(const struct items_view *iv, const struct item *it)
{
	const char *names[2] = {iv->desc->key.hash, iv->desc->key.range};
	struct tt_ddb_value key = {.type = TT_DDB_M};
	struct tt_ddb_value kids[2];
	char *knames[2], *text = NULL;

	for (int k = 0; k < 2 && names[k]; k++) {
		const struct tt_ddb_value *v = attr_of(it->v, names[k]);
		if (!v)
			goto out;
		kids[key.n] = *v;
		knames[key.n++] = tt_xstrdup(names[k]);
	}
	key.kids = kids;
	key.names = knames;
	text = tt_ddb_item_text(&key, TT_DDB_PLAIN);
out:
	for (size_t k = 0; k < key.n; k++)
		free(knames[k]);
	return text;
}

static void replay(struct items_view *iv)
{
	const struct tt_view_env *env = iv->base.env;
	size_t n, nk = 0;
	struct item **its;
	char **keys;

	if (!env->open_replay) {
		set_note(iv, true, "replay is not available here");
		return;
	}
	if (!iv->desc) {
		set_note(iv, true, "the table's key schema is not known yet: no replay");
		return;
	}
	its = chosen(iv, &n);
	keys = tt_xcalloc(n + 1, sizeof(*keys));
	for (size_t i = 0; i < n; i++)
		if ((keys[nk] = key_of(iv, its[i])))
			nk++;
	if (nk)
		env->open_replay(env->con, iv->table, (const char *const *)keys, nk);
	else
		set_note(iv, true, "nothing to replay");
	for (size_t i = 0; i < nk; i++)
		free(keys[i]);
	free(keys);
	free(its);
}

/* --- keys ---------------------------------------------------------------------------------- */

static void form_enter(struct items_view *iv)
{
	char input[256];

	snprintf(input, sizeof(input), "%s", tt_dialog_input(iv->dlg));
	switch (iv->form) {
	case FORM_FILTER:
		snprintf(iv->filter, sizeof(iv->filter), "%s", input);
		close_form(iv);
		refilter(iv);
		break;
	case FORM_INDEX:
		if (!pick_index(iv, input)) {
			close_form(iv);
			set_note(iv, true, "no index %s on %s", input, iv->table);
		} else {
			ask_partition(iv);
		}
		break;
	case FORM_PARTITION:
		snprintf(iv->q_part, sizeof(iv->q_part), "%s", input);
		if (form_key(iv)->range)
			ask_sort(iv);
		else
			run_query(iv, NULL);
		break;
	case FORM_SORT: run_query(iv, input); break;
	case FORM_EXPORT:
		if (*input)
			write_export(iv, input, false);
		break;
	default: break;
	}
}

static void form_key_in(struct items_view *iv, int key)
{
	if (iv->form == FORM_OVERWRITE) {
		if (key == 'y')
			write_export(iv, iv->export_path, true);
		else if (key == 'n' || key == TT_KEY_ESC) {
			close_form(iv);
			set_note(iv, false, "not exported: %s exists", iv->export_path);
		}
		return;
	}
	switch (tt_dialog_key(iv->dlg, key)) {
	case TT_DIALOG_ENTER: form_enter(iv); break;
	case TT_DIALOG_ESC: close_form(iv); break;
	default: break;
	}
	iv->base.dirty = true;
}

static int detail_key(struct items_view *iv, int key)
{
	switch (key) {
	case TT_KEY_ESC:
	case TT_KEY_ENTER:
	case TT_KEY_LEFT:
	case 'h':
	case 'q': iv->detail = false; break;
	case 't':
		iv->typed = !iv->typed;
		detail_fill(iv);
		break;
	case 'y': copy_item(iv); break;
	case TT_KEY_UP:
	case 'k':
		if (iv->detail_top)
			iv->detail_top--;
		break;
	case TT_KEY_DOWN:
	case 'j': iv->detail_top++; break;
	case TT_KEY_PGUP:
		iv->detail_top -= iv->detail_top > (size_t)iv->detail_page ? (size_t)iv->detail_page : iv->detail_top;
		break;
	case TT_KEY_PGDN: iv->detail_top += (size_t)(iv->detail_page > 0 ? iv->detail_page : 1); break;
	default: return TT_VIEW_IGNORED;
	}
	iv->base.dirty = true;
	return TT_VIEW_HANDLED;
}

static int items_key(struct tt_view *v, int key, int64_t now_ms)
{
	struct items_view *iv = IV(v);
	struct item *it;
	int action;

	(void)now_ms;
	if (iv->dlg) {
		form_key_in(iv, key);
		return TT_VIEW_HANDLED;
	}
	if (iv->detail)
		return detail_key(iv, key);
	action = tt_keymap_action(&keymap, key);
	if (tt_nav_of(action, A_NAV) >= 0) {
		tt_table_key(&iv->tbl, tt_nav_key(tt_nav_of(action, A_NAV)));
		maybe_more(iv);
		v->dirty = true;
		return TT_VIEW_HANDLED;
	}
	switch (action) {
	case A_DETAIL:
		if (!current(iv))
			return TT_VIEW_HANDLED;
		iv->detail = true;
		detail_fill(iv);
		break;
	case A_TYPED: iv->typed = !iv->typed; break;
	case A_QUERY: start_form(iv); break;
	case A_SCAN: start_scan(iv); break;
	case A_FILTER:
		open_dialog(iv, FORM_FILTER, "filter what is loaded", "/", "Enter: filter (empty: all)  Esc: cancel");
		for (const char *p = iv->filter; *p; p++)
			tt_dialog_key(iv->dlg, (unsigned char)*p);
		break;
	case A_MARK:
		if ((it = current(iv))) {
			it->marked = !it->marked;
			tt_table_move(&iv->tbl, 1);
			maybe_more(iv);
		}
		break;
	case A_EXPORT: start_export(iv); break;
	case A_COPY: copy_item(iv); break;
	case A_REPLAY: replay(iv); break;
	case A_LEFT:
		if (!iv->hscroll)
			return TT_VIEW_IGNORED; /* Left at the first column is the console's "back" */
		iv->hscroll--;
		break;
	case A_RIGHT: iv->hscroll++; break;
	default: return TT_VIEW_IGNORED;
	}
	v->dirty = true;
	return TT_VIEW_HANDLED;
}

/* The first tick describes the table and reads the first page. */
static void items_tick(struct tt_view *v, int64_t now_ms)
{
	struct items_view *iv = IV(v);

	(void)now_ms;
	if (!iv->started) {
		iv->started = true;
		describe(iv);
		start_scan(iv);
	}
	/* A filter that matches little would otherwise read the whole table
	 * by itself: with one, only the keys read on. */
	if (!iv->filter[0])
		maybe_more(iv);
}

static const char *items_crumb(const struct tt_view *v)
{
	return ((const struct items_view *)v)->crumb;
}

static const char *items_status(const struct tt_view *v)
{
	const struct items_view *iv = (const struct items_view *)v;

	return iv->status[0] ? iv->status : NULL;
}

static void items_free(struct tt_view *v)
{
	struct items_view *iv = IV(v);

	if (iv->pending)
		iv->pending->view = NULL;
	tt_items_free(&iv->reader);
	items_clear(iv);
	free(iv->items);
	free(iv->vis);
	free(iv->cell);
	lines_clear(iv);
	tt_dialog_free(&iv->dlg);
	tt_ddb_table_free(&iv->desc);
	free(iv->table);
	free(iv);
}

static const struct tt_view_ops ops = {
	.kind = "items",
	.crumb = items_crumb,
	.draw = items_draw,
	.key = items_key,
	.tick = items_tick,
	.status = items_status,
	.free = items_free,
	.keymap = &keymap,
};

struct tt_view *tt_view_items_new(const struct tt_view_env *env, const char *table,
				  const struct tt_view_items_opts *opts)
{
	struct items_view *iv = tt_xcalloc(1, sizeof(*iv));

	iv->base.ops = &ops;
	iv->base.env = env;
	iv->base.dirty = true;
	iv->table = tt_xstrdup(table);
	snprintf(iv->crumb, sizeof(iv->crumb), "items %s", table);
	if (opts && opts->io) {
		iv->io = *opts->io;
		iv->describe = opts->describe;
	} else {
		tt_items_io_aws(&iv->io, env->aws);
		iv->describe = aws_describe;
	}
	iv->page_size = opts && opts->page_size > 0 ? opts->page_size : DEFAULT_PAGE_SIZE;
	iv->max_items = opts && opts->max_items > 0 ? opts->max_items : DEFAULT_MAX_ITEMS;
	snprintf(iv->what, sizeof(iv->what), "scan");
	return &iv->base;
}
