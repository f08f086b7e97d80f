/* The applications of the region (apps.h) as a list to narrow a
 * whole-region console to one of them: Enter hands the selected one to the
 * console (env->open_app), r searches again. Errors are shown in place,
 * under what the other source found. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiertop/apps.h"
#include "tiertop/keys.h"
#include "tiertop/views.h"
#include "tiertop/widgets.h"
#include "tiertop/xalloc.h"

struct apps_view {
	struct tt_view base;
	struct tt_apps_io io;
	struct tt_apps *apps;
	bool started;
	struct tt_table list; /* rows: the candidates */
	char status[96];
};

enum { A_NAV = 1, A_PICK = A_NAV + TT_NAV_COUNT, A_AGAIN };

static const struct tt_keybind binds[] = {
	TT_NAV_BINDS(A_NAV, "application", "applications"),
	{TT_KEY_ENTER, A_PICK, "narrow the console to it"},
	{'r', A_AGAIN, "search again"},
};

static const struct tt_keymap keymap = {"Applications", binds, sizeof(binds) / sizeof(binds[0])};
const struct tt_keymap *const tt_keymap_apps = &keymap;

static struct apps_view *A(struct tt_view *v)
{
	return (struct apps_view *)v;
}

static void update_status(struct apps_view *a)
{
	if (!tt_apps_finished(a->apps) || tt_apps_busy(a->apps))
		snprintf(a->status, sizeof(a->status), "finding applications...");
	else
		snprintf(a->status, sizeof(a->status), "%zu application%s found", tt_apps_count(a->apps),
			 tt_apps_count(a->apps) == 1 ? "" : "s");
}

static void on_done(void *ctx)
{
	struct apps_view *a = ctx;

	tt_table_set_rows(&a->list, tt_apps_count(a->apps));
	update_status(a);
	a->base.dirty = true;
}

static void search(struct apps_view *a)
{
	a->list.sel = a->list.top = 0;
	tt_apps_start(a->apps);
	tt_table_set_rows(&a->list, tt_apps_count(a->apps));
	update_status(a);
	a->base.dirty = true;
}

static const char *const source_names[TT_APPS_NSOURCES] = {"stacks", "tags"};

static size_t nerrors(const struct apps_view *a)
{
	size_t n = 0;

	for (int src = 0; src < TT_APPS_NSOURCES; src++)
		n += tt_apps_error(a->apps, src) != NULL;
	return n;
}

/* "! stacks unavailable: ..." lines from row y. */
static void draw_errors(struct apps_view *a, struct tt_canvas *c, int y)
{
	for (int src = 0; src < TT_APPS_NSOURCES; src++) {
		const struct tt_err *err = tt_apps_error(a->apps, src);
		char buf[1200], line[1300];
		if (!err)
			continue;
		snprintf(line, sizeof(line), "! %s unavailable: %s", source_names[src], tt_err_format(err, buf, sizeof(buf)));
		tt_canvas_text(c, 0, y++, c->w, line, tt_style_warn());
	}
}

static const char *candidate_cell(void *ctx, size_t row, size_t col, struct tt_style *st)
{
	const struct tt_app_candidate *cand = tt_apps_get(ctx, row);

	(void)col;
	(void)st;
	return cand ? cand->label : NULL;
}

static const struct tt_table_col columns[] = {{"APPLICATION", 0, false}};

static void apps_draw(struct tt_view *v, struct tt_canvas *c, int y, int h)
{
	struct apps_view *a = A(v);
	bool loading = !tt_apps_finished(a->apps) || tt_apps_busy(a->apps);
	size_t n = tt_apps_count(a->apps), ne = nerrors(a);
	char title[160];
	int used;

	if (h < 1)
		return;
	snprintf(title, sizeof(title), "APPLICATIONS IN THE REGION (%zu)", n);
	tt_canvas_text(c, 0, y, c->w, title, tt_style_header());
	if (h < 4)
		return;
	tt_canvas_text(c, 0, y + 1, c->w, "Enter narrows the console to the selected one; r searches again; Esc goes back",
		       tt_style_dim());
	if (loading) {
		tt_canvas_text(c, 0, y + 3, c->w, "finding applications...", tt_style_dim());
		return;
	}
	if (!n) {
		tt_canvas_text(c, 0, y + 3, c->w,
			       "no applications found: no live CloudFormation stack, no app, application, App, Application, "
			       "service or project tag",
			       tt_style_dim());
		used = 1;
	} else {
		/* The errors keep their rows under the list, so that a long list
		 * cannot push them off the screen. */
		int rows = h - 3 - (ne ? (int)ne + 1 : 0);
		tt_table_set_rows(&a->list, n);
		tt_table_draw(&a->list, c, 0, y + 3, c->w, rows, candidate_cell, a->apps, NULL);
		used = rows < (int)n + 1 ? rows : (int)n + 1;
	}
	if (ne)
		draw_errors(a, c, y + 3 + used + 1);
}

static int apps_key(struct tt_view *v, int key, int64_t now_ms)
{
	struct apps_view *a = A(v);
	size_t n = tt_apps_count(a->apps);
	const struct tt_app_candidate *pick;
	int action = tt_keymap_action(&keymap, key);

	(void)now_ms;
	tt_table_set_rows(&a->list, n);
	if (tt_nav_of(action, A_NAV) >= 0) {
		tt_table_key(&a->list, tt_nav_key(tt_nav_of(action, A_NAV)));
		v->dirty = true;
		return TT_VIEW_HANDLED;
	}
	switch (action) {
	case A_PICK:
		pick = tt_apps_get(a->apps, a->list.sel);
		if (!pick)
			v->env->message(v->env->con, tt_apps_busy(a->apps) ? "still finding applications" : "nothing to pick");
		else if (!v->env->open_app)
			v->env->message(v->env->con, "cannot narrow here: start tiertop with --stack or --tag");
		else
			v->env->open_app(v->env->con, &pick->sel, 1);
		/* Nothing of the view is touched after open_app: the console
		 * frees it once this returns. */
		return TT_VIEW_HANDLED;
	case A_AGAIN:
		if (!tt_apps_busy(a->apps))
			search(a);
		break;
	default: return TT_VIEW_IGNORED;
	}
	v->dirty = true;
	return TT_VIEW_HANDLED;
}

/* The first tick searches: a view costs nothing until the loop runs it. */
static void apps_tick(struct tt_view *v, int64_t now_ms)
{
	struct apps_view *a = A(v);

	(void)now_ms;
	if (!a->started) {
		a->started = true;
		search(a);
	}
}

static const char *apps_crumb(const struct tt_view *v)
{
	(void)v;
	return "applications";
}

static const char *apps_status(const struct tt_view *v)
{
	return ((const struct apps_view *)v)->status;
}

static void apps_free(struct tt_view *v)
{
	struct apps_view *a = A(v);

	tt_apps_free(&a->apps);
	free(a);
}

static const struct tt_view_ops ops = {
	.kind = "apps",
	.crumb = apps_crumb,
	.draw = apps_draw,
	.key = apps_key,
	.tick = apps_tick,
	.status = apps_status,
	.free = apps_free,
	.keymap = &keymap,
};

struct tt_view *tt_view_apps_new(const struct tt_view_env *env, const struct tt_apps_io *io)
{
	struct apps_view *a = tt_xcalloc(1, sizeof(*a));
	struct tt_apps_sink sink = {on_done};

	a->base.ops = &ops;
	a->base.env = env;
	a->base.dirty = true;
	tt_table_init(&a->list, columns, 1);
	if (io)
		a->io = *io;
	else
		tt_apps_io_aws(&a->io, env->aws);
	a->apps = tt_apps_new(&a->io, &sink, a);
	update_status(a);
	return &a->base;
}
