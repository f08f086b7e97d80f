/* The main screen: the application tier by tier, live.
 *
 * It owns the snapshot model and the poll scheduler that refreshes it: the
 * rows on screen are polled at the refresh interval, the others five times
 * less often, alarms every minute and discovery every five minutes, each
 * with its own back-off. A part that fails keeps its last good data; the
 * pane says how old it is and why. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiertop/keys.h"
#include "tiertop/sched.h"
#include "tiertop/views.h"
#include "tiertop/xalloc.h"

#define NPANES TT_TIER_COUNT
#define ALARMS_INTERVAL_MS 60000
#define DISCOVERY_INTERVAL_MS 300000

static const char *const part_keys[TT_SNAP_NPARTS] = {
	[TT_SNAP_DISCOVERY] = "snap:discovery",
	[TT_SNAP_METRICS] = "snap:metrics",
	[TT_SNAP_METRICS_HIDDEN] = "snap:metrics-hidden",
	[TT_SNAP_ALARMS] = "snap:alarms",
};

static const char *const part_apis[TT_SNAP_NPARTS] = {
	[TT_SNAP_DISCOVERY] = "lambda",
	[TT_SNAP_METRICS] = "cloudwatch",
	[TT_SNAP_METRICS_HIDDEN] = "cloudwatch",
	[TT_SNAP_ALARMS] = "cloudwatch-alarms",
};

struct column {
	const char *title;
	int width;
};

struct pane {
	enum tt_tier tier;
	struct column cols[5];
	size_t *rows; /* snapshot rows shown, after the filter */
	size_t n;
	size_t sel, top;
	int y, h;     /* where it was drawn last */
};

static bool pane_has(const struct pane *pane, enum tt_resource_kind kind)
{
	return tt_resource_tier(kind) == pane->tier;
}

struct tiers {
	struct tt_view base;
	struct tt_snapshot *snap;
	struct tt_sched *sched;
	struct pane panes[NPANES];
	int focus;
	long interval_ms;
	char *filter;         /* "/" filter of the focused pane, or NULL */
	bool *wired;          /* per snapshot row: wired to the selection */
	size_t nwired;
	char status[256];
	int64_t now_ms;
};

enum action {
	A_UP = 1, /* the TT_NAV_COUNT navigation actions, in enum tt_nav order */
	A_DOWN,
	A_PGUP,
	A_PGDN,
	A_HOME,
	A_END,
	A_NEXT_PANE,
	A_PREV_PANE,
	A_OPEN,
	A_LOGS,
	A_REFRESH,
	A_PAUSE,
	A_RANGE,
	A_COPY,
	A_CLEAR_FILTER,
	A_QUIT,
};

static const struct tt_keybind binds[] = {
	TT_NAV_BINDS(A_UP, "row", "rows"),
	{TT_KEY_TAB, A_NEXT_PANE, "next tier"},
	{TT_KEY_BTAB, A_PREV_PANE, "previous tier"},
	{TT_KEY_ENTER, A_OPEN, "open the API, function or table"},
	{'l', A_OPEN, "open the API, function or table"},
	{'L', A_LOGS, "the selected function's logs (follow)"},
	{'r', A_REFRESH, "refresh now"},
	{'p', A_PAUSE, "pause / resume polling"},
	{'t', A_RANGE, "next range (1h 3h 12h 24h 7d)"},
	{'y', A_COPY, "copy the selected name (OSC 52)"},
	{'c', A_CLEAR_FILTER, "clear the filter"},
	{'q', A_QUIT, "quit"},
};

_Static_assert(A_END == A_UP + TT_NAV_END, "the navigation actions follow enum tt_nav");

static const struct tt_keymap keymap = {"Tier screen", binds, sizeof(binds) / sizeof(binds[0])};
const struct tt_keymap *const tt_keymap_tiers = &keymap;

static void update_status(struct tiers *t);

static struct tiers *T(struct tt_view *v)
{
	return (struct tiers *)v;
}

/* --- ranges -------------------------------------------------------------------- */

static const struct {
	const char *name;
	long range_s, period_s;
} ranges[] = {
	{"1h", 3600, 60}, {"3h", 10800, 60}, {"12h", 43200, 300}, {"24h", 86400, 300}, {"7d", 604800, 3600},
};

static const char *range_name(long range_s)
{
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (ranges[i].range_s == range_s)
			return ranges[i].name;
	return "?";
}

/* --- panes ----------------------------------------------------------------------- */

static bool matches(const struct tiers *t, const struct tt_snap_row *r)
{
	return !t->filter || strstr(r->name, t->filter) || (r->stage && strstr(r->stage, t->filter));
}

static void rebuild_panes(struct tiers *t)
{
	size_t n = tt_snapshot_nrows(t->snap);

	for (int p = 0; p < NPANES; p++) {
		struct pane *pane = &t->panes[p];
		free(pane->rows);
		pane->rows = tt_xcalloc(n + 1, sizeof(size_t));
		pane->n = 0;
		for (size_t i = 0; i < n; i++) {
			const struct tt_snap_row *r = tt_snapshot_row(t->snap, i);
			if (pane_has(pane, r->kind) && (p != t->focus || matches(t, r)))
				pane->rows[pane->n++] = i;
		}
		if (pane->sel >= pane->n)
			pane->sel = pane->n ? pane->n - 1 : 0;
	}
}

static const struct tt_snap_row *selected_row(const struct tiers *t)
{
	const struct pane *p = &t->panes[t->focus];

	return p->n ? tt_snapshot_row(t->snap, p->rows[p->sel]) : NULL;
}

/* --- wiring: what the selection is connected to ---------------------------------------- */

static void mark_row(struct tiers *t, enum tt_resource_kind kind, const char *name)
{
	for (size_t i = 0; i < tt_snapshot_nrows(t->snap); i++) {
		const struct tt_snap_row *r = tt_snapshot_row(t->snap, i);
		bool same_kind = tt_resource_is_api(kind) ? tt_resource_is_api(r->kind) : r->kind == kind;
		if (same_kind && strcmp(r->name, name) == 0)
			t->wired[i] = true;
	}
}

static void mark_function_links(struct tiers *t, const struct tt_stack *st, const char *fn, bool tables, bool apis)
{
	for (size_t i = 0; tables && i < st->nfunctions; i++)
		if (strcmp(st->functions[i].name, fn) == 0)
			for (size_t k = 0; k < st->functions[i].ntables; k++)
				mark_row(t, TT_RES_TABLE, st->functions[i].tables[k].table);
	for (size_t a = 0; apis && a < st->napis; a++)
		for (size_t k = 0; k < st->apis[a].nroutes; k++)
			if (strcmp(st->apis[a].routes[k].function, fn) == 0)
				mark_row(t, TT_RES_REST_API, st->apis[a].name);
}

/* route -> function -> table, both ways from the selection. */
static void compute_wiring(struct tiers *t)
{
	const struct tt_stack *st = tt_snapshot_stack(t->snap);
	const struct tt_snap_row *sel = selected_row(t);

	free(t->wired);
	t->nwired = tt_snapshot_nrows(t->snap);
	t->wired = tt_xcalloc(t->nwired + 1, sizeof(bool));
	if (!st || !sel)
		return;
	if (sel->kind == TT_RES_FUNCTION) {
		mark_function_links(t, st, sel->name, true, true);
	} else if (sel->kind == TT_RES_TABLE) {
		for (size_t i = 0; i < st->nfunctions; i++)
			for (size_t k = 0; k < st->functions[i].ntables; k++)
				if (strcmp(st->functions[i].tables[k].table, sel->name) == 0) {
					mark_row(t, TT_RES_FUNCTION, st->functions[i].name);
					mark_function_links(t, st, st->functions[i].name, false, true);
				}
	} else {
		const struct tt_stack_api *a = &st->apis[sel->index];
		for (size_t k = 0; k < a->nroutes; k++)
			if (*a->routes[k].function) {
				mark_row(t, TT_RES_FUNCTION, a->routes[k].function);
				mark_function_links(t, st, a->routes[k].function, true, false);
			}
	}
}

/* --- figures per kind ----------------------------------------------------------------------- */

static double summary(const struct tt_snap_row *r, const char *key)
{
	const struct tt_snap_series *s = tt_snapshot_series(r, key);

	return s && s->present ? s->summary : NAN;
}

static double per_minute(const struct tiers *t, double sum)
{
	return sum / ((double)tt_snapshot_range(t->snap) / 60.0);
}

static double percent(double part, double whole)
{
	return whole > 0 ? part / whole * 100 : isnan(part) ? NAN : 0;
}

/* "12/100" consumed per second against provisioned, "12/od" on demand. */
static void capacity(const struct tiers *t, const struct tt_snap_row *r, const char *used, const char *prov,
		     char out[40])
{
	const struct tt_stack *st = tt_snapshot_stack(t->snap);
	double per_s = summary(r, used) / (double)tt_snapshot_range(t->snap);
	double p = summary(r, prov);
	char a[16], b[16];

	tt_fmt_num(per_s, a);
	if (st && strcmp(st->tables[r->index].billing, "PAY_PER_REQUEST") == 0)
		snprintf(out, 40, "%s/od", a);
	else {
		tt_fmt_num(p, b);
		snprintf(out, 40, "%s/%s", a, b);
	}
}

static void figures(const struct tiers *t, const struct tt_snap_row *r, char out[5][40])
{
	const struct tt_stack *st = tt_snapshot_stack(t->snap);

	if (r->kind == TT_RES_FUNCTION) {
		double inv = summary(r, "invocations");
		char p99[16];
		tt_fmt_num(per_minute(t, inv), out[0]);
		tt_fmt_num(percent(summary(r, "errors"), inv), out[1]);
		tt_fmt_num(summary(r, "throttles"), out[2]);
		tt_fmt_num(summary(r, "p99") / 1000.0, p99);
		snprintf(out[3], 40, "%s/%lds", p99, st ? st->functions[r->index].timeout_s : 0L);
		tt_fmt_num(summary(r, "concurrency"), out[4]);
	} else if (r->kind == TT_RES_TABLE) {
		capacity(t, r, "rcu", "rcu_prov", out[0]);
		capacity(t, r, "wcu", "wcu_prov", out[1]);
		tt_fmt_num(summary(r, "read_thr") + summary(r, "write_thr"), out[2]);
		tt_fmt_num(summary(r, "get_ms"), out[3]);
		tt_fmt_num(summary(r, "put_ms"), out[4]);
	} else {
		double req = summary(r, "requests");
		tt_fmt_num(per_minute(t, req), out[0]);
		tt_fmt_num(percent(summary(r, "4xx"), req), out[1]);
		tt_fmt_num(percent(summary(r, "5xx"), req), out[2]);
		tt_fmt_num(summary(r, "latency"), out[3]);
		tt_fmt_num(summary(r, "integ"), out[4]);
	}
}

static const char *row_problem(const struct tiers *t, const struct tt_snap_row *r)
{
	const struct tt_stack *st = tt_snapshot_stack(t->snap);

	if (!st)
		return NULL;
	if (r->kind == TT_RES_FUNCTION)
		return st->functions[r->index].problem;
	if (r->kind == TT_RES_TABLE)
		return st->tables[r->index].problem;
	return st->apis[r->index].problem;
}

/* The health mark: a letter, so it reads without colour too. */
static char health(const struct tiers *t, const struct tt_snap_row *r, struct tt_style *st)
{
	double errors = r->kind == TT_RES_FUNCTION ? summary(r, "errors")
			: r->kind == TT_RES_TABLE  ? summary(r, "sys_err")
						   : summary(r, "5xx");
	double throttled = r->kind == TT_RES_FUNCTION ? summary(r, "throttles")
			   : r->kind == TT_RES_TABLE   ? summary(r, "read_thr") + summary(r, "write_thr")
						       : NAN;

	if (r->alarm == TT_ALARM_ALARM) {
		*st = tt_style_alarm();
		return '!';
	}
	if (errors > 0) {
		*st = tt_style_warn();
		return 'E';
	}
	if (throttled > 0) {
		*st = tt_style_warn();
		return 'T';
	}
	if (row_problem(t, r)) {
		*st = tt_style_warn();
		return '-';
	}
	*st = tt_style_ok();
	return r->alarm == TT_ALARM_INSUFFICIENT ? '?' : ' ';
}

/* --- drawing ---------------------------------------------------------------------------------- */

static int name_width(int w)
{
	int nw = w - 2 - 2 - 5 * 9 - 14;

	return nw < 12 ? 12 : nw > 48 ? 48 : nw;
}

static void draw_header(struct tiers *t, struct pane *pane, int p, struct tt_canvas *c, int y)
{
	char title[96];
	int nw = name_width(c->w), x, spark_w;
	struct tt_style hs = tt_style_header();

	if (p == t->focus)
		hs.attr |= TT_ATTR_UNDERLINE;
	snprintf(title, sizeof(title), "%s (%zu)%s%s", tt_tier_words(pane->tier)->heading, pane->n, p == t->focus && t->filter ? " /" : "",
		 p == t->focus && t->filter ? t->filter : "");
	tt_canvas_fill(c, 0, y, c->w, 1, ' ', hs);
	tt_canvas_text(c, 0, y, 2 + nw, title, hs);
	x = 2 + nw + 1;
	spark_w = c->w - x - 5 * 9;
	tt_canvas_text(c, x, y, spark_w, range_name(tt_snapshot_range(t->snap)), hs);
	x += spark_w > 0 ? spark_w : 0;
	for (int k = 0; k < 5; k++) {
		int tw = tt_canvas_text_width(c, pane->cols[k].title);
		tt_canvas_text(c, x + 9 - tw, y, 9, pane->cols[k].title, hs);
		x += 9;
	}
}

static const char *spark_key(const struct tt_snap_row *r)
{
	return r->kind == TT_RES_FUNCTION ? "invocations" : r->kind == TT_RES_TABLE ? "wcu" : "requests";
}

static void draw_row(struct tiers *t, const struct tt_snap_row *r, size_t idx, bool selected, struct tt_canvas *c,
		     int y)
{
	char label[256], figs[5][40];
	struct tt_style mark_st, st = r->alarm == TT_ALARM_ALARM ? tt_style_alarm() : tt_style_plain();
	int nw = name_width(c->w), x, spark_w = c->w - (2 + nw + 1) - 5 * 9 - 1;
	char mark = health(t, r, &mark_st);
	const struct tt_snap_series *sp = tt_snapshot_series(r, spark_key(r));

	if (idx < t->nwired && t->wired[idx])
		st.attr |= TT_ATTR_UNDERLINE;
	tt_canvas_fill(c, 0, y, 1, 1, (uint32_t)mark, mark_st);
	if (idx < t->nwired && t->wired[idx])
		tt_canvas_fill(c, 1, y, 1, 1, c->utf8 ? 0x00bb : '>', tt_style_header());
	snprintf(label, sizeof(label), "%s%s%s", r->name, r->stage ? "/" : "", r->stage ? r->stage : "");
	tt_canvas_text_fit(c, 2, y, nw, label, st, false);
	x = 2 + nw + 1;
	if (spark_w > 0 && sp)
		tt_draw_spark(c, x, y, spark_w, sp->values, sp->n, tt_style_ok());
	x += spark_w > 0 ? spark_w + 1 : 1;
	figures(t, r, figs);
	for (int k = 0; k < 5; k++) {
		int fw = tt_canvas_text_width(c, figs[k]);
		tt_canvas_text(c, x + 8 - fw, y, 8, figs[k], st);
		x += 9;
	}
	if (selected)
		tt_canvas_restyle(c, 2, y, c->w - 2, 1, tt_style_selected());
}

static void keep_visible(struct pane *p, int rows)
{
	if (rows <= 0)
		return;
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + (size_t)rows)
		p->top = p->sel - (size_t)rows + 1;
}

static const char *empty_pane_text(const struct tiers *t, int p)
{
	if (tt_snapshot_stack(t->snap))
		return t->filter && p == t->focus ? "(nothing matches the filter)" : "(none)";
	return tt_snapshot_state(t->snap, TT_SNAP_DISCOVERY)->failed ? "(not discovered: retrying)" : "discovering...";
}

static void draw_pane(struct tiers *t, int p, struct tt_canvas *c, int y, int h)
{
	struct pane *pane = &t->panes[p];
	int rows = h - 1;

	pane->y = y;
	pane->h = h;
	draw_header(t, pane, p, c, y);
	keep_visible(pane, rows);
	for (int i = 0; i < rows && pane->top + (size_t)i < pane->n; i++) {
		size_t idx = pane->rows[pane->top + (size_t)i];
		draw_row(t, tt_snapshot_row(t->snap, idx), idx, p == t->focus && pane->top + (size_t)i == pane->sel, c,
			 y + 1 + i);
	}
	if (!pane->n && rows > 0)
		tt_canvas_text(c, 2, y + 1, c->w - 2, empty_pane_text(t, p), tt_style_dim());
}

/* Heights: every pane gets what it needs when it fits; otherwise the
 * focused pane gets the most and the others at least a header and 2 rows. */
static void pane_heights(const struct tiers *t, int h, int out[NPANES])
{
	int need[NPANES], total = 0, min = 3;

	for (int p = 0; p < NPANES; p++) {
		need[p] = 1 + (int)(t->panes[p].n ? t->panes[p].n : 1);
		total += need[p];
	}
	if (total <= h) {
		for (int p = 0; p < NPANES; p++)
			out[p] = need[p];
		out[NPANES - 1] += h - total;
		return;
	}
	for (int p = 0; p < NPANES; p++)
		out[p] = need[p] < min ? need[p] : min;
	int left = h - out[0] - out[1] - out[2];
	/* The focused pane first, then the others in order. */
	for (int i = 0; i < NPANES && left > 0; i++) {
		int p = (t->focus + i) % NPANES;
		int more = need[p] - out[p];
		if (more > left)
			more = left;
		out[p] += more;
		left -= more;
	}
}

static void draw_alarm_strip(struct tiers *t, struct tt_canvas *c, int y)
{
	size_t n;
	const struct tt_snap_alarm *a = tt_snapshot_alarms(t->snap, &n);
	const struct tt_snap_state *st = tt_snapshot_state(t->snap, TT_SNAP_ALARMS);
	char buf[1200];
	int x = 0;

	if (st->failed && !st->ever_ok) {
		snprintf(buf, sizeof(buf), "alarms unavailable: %s", st->err.message);
		tt_canvas_text(c, 0, y, c->w, buf, tt_style_warn());
		return;
	}
	if (!n) {
		tt_canvas_text(c, 0, y, c->w, st->ever_ok ? "no alarm firing" : "alarms: loading...", tt_style_dim());
		return;
	}
	snprintf(buf, sizeof(buf), "%zu ALARM%s:", n, n == 1 ? "" : "S");
	x += tt_canvas_text(c, x, y, c->w - x, buf, tt_style_alarm());
	for (size_t i = 0; i < n && x < c->w; i++) {
		char age[16];
		tt_fmt_age(t->now_ms, (int64_t)a[i].since * 1000, age);
		snprintf(buf, sizeof(buf), " %s (%s)", a[i].name, a[i].since ? age : "?");
		x += tt_canvas_text(c, x, y, c->w - x, buf, tt_style_alarm());
	}
}

/* A failing part is said where its data is: on the first row of the view. */
static void draw_problems(struct tiers *t, struct tt_canvas *c, int y)
{
	const struct tt_snap_state *m = tt_snapshot_state(t->snap, TT_SNAP_METRICS);
	const struct tt_snap_state *d = tt_snapshot_state(t->snap, TT_SNAP_DISCOVERY);
	char buf[1400], age[16];

	if (d->failed) {
		tt_fmt_age(t->now_ms, d->last_try_ms, age);
		snprintf(buf, sizeof(buf), "discovery failed %s ago: %s", age, d->err.message);
	} else if (m->failed) {
		tt_fmt_age(t->now_ms, m->last_ok_ms, age);
		snprintf(buf, sizeof(buf), "metrics %s (%s): %s", m->ever_ok ? "stale" : "unavailable",
			 m->ever_ok ? age : "never loaded", m->err.message);
	} else {
		return;
	}
	tt_canvas_fill(c, 0, y, c->w, 1, ' ', tt_style_warn());
	tt_canvas_text(c, 0, y, c->w, buf, tt_style_warn());
}

static void tiers_draw(struct tt_view *v, struct tt_canvas *c, int y, int h)
{
	struct tiers *t = T(v);
	int heights[NPANES], py;

	update_status(t);
	if (h < 2)
		return;
	draw_alarm_strip(t, c, y);
	py = y + 1;
	h -= 1;
	if (tt_snapshot_state(t->snap, TT_SNAP_METRICS)->failed ||
	    tt_snapshot_state(t->snap, TT_SNAP_DISCOVERY)->failed) {
		draw_problems(t, c, py);
		py++;
		h--;
	}
	pane_heights(t, h, heights);
	for (int p = 0; p < NPANES; p++) {
		draw_pane(t, p, c, py, heights[p]);
		py += heights[p];
	}
}

/* --- polling ------------------------------------------------------------------------------------ */

static void mark_visibility(struct tiers *t)
{
	size_t n = tt_snapshot_nrows(t->snap);

	for (size_t i = 0; i < n; i++)
		tt_snapshot_set_visible(t->snap, i, false);
	for (int p = 0; p < NPANES; p++) {
		struct pane *pane = &t->panes[p];
		size_t rows = pane->h > 1 ? (size_t)pane->h - 1 : 8;
		for (size_t i = pane->top; i < pane->n && i < pane->top + rows; i++)
			tt_snapshot_set_visible(t->snap, pane->rows[i], true);
	}
}

static enum tt_sched_result outcome(const struct tt_snap_state *st)
{
	return !st->failed ? TT_SCHED_OK : st->throttled ? TT_SCHED_THROTTLED : TT_SCHED_FAILED;
}

static bool rows_without_data(const struct tiers *t)
{
	for (size_t i = 0; i < tt_snapshot_nrows(t->snap); i++) {
		const struct tt_snap_row *r = tt_snapshot_row(t->snap, i);
		if (r->dim_value && r->nseries && !r->series[0].present)
			return true;
	}
	return false;
}

static void on_changed(void *ctx, enum tt_snap_part part)
{
	struct tiers *t = ctx;

	tt_sched_done(t->sched, part_keys[part], outcome(tt_snapshot_state(t->snap, part)), t->now_ms);
	if (part == TT_SNAP_DISCOVERY) {
		rebuild_panes(t);
		compute_wiring(t);
		/* Rows without data (the first discovery, new resources) are asked
		 * for now rather than at the next interval; a rediscovery that
		 * found nothing new asks for nothing more. */
		if (rows_without_data(t)) {
			tt_sched_due_now(t->sched, part_keys[TT_SNAP_METRICS], t->now_ms);
			tt_sched_due_now(t->sched, part_keys[TT_SNAP_METRICS_HIDDEN], t->now_ms);
		}
		if (!tt_snapshot_state(t->snap, TT_SNAP_ALARMS)->ever_ok)
			tt_sched_due_now(t->sched, part_keys[TT_SNAP_ALARMS], t->now_ms);
	}
	t->base.dirty = true;
}

static void run_due(struct tiers *t, int64_t now)
{
	const char *key;

	while ((key = tt_sched_next(t->sched, now))) {
		for (int p = 0; p < TT_SNAP_NPARTS; p++) {
			if (strcmp(key, part_keys[p]) != 0)
				continue;
			if (p == TT_SNAP_METRICS || p == TT_SNAP_METRICS_HIDDEN)
				mark_visibility(t);
			int rc = tt_snapshot_start(t->snap, (enum tt_snap_part)p, now);
			/* Nothing to do, or refused before sending: try again later. */
			if (rc != 0)
				tt_sched_done(t->sched, key, rc < 0 ? TT_SCHED_FAILED : TT_SCHED_OK, now);
			if (rc < 0)
				t->base.dirty = true;
		}
	}
}

static void tiers_clock(struct tt_view *v, int64_t now_ms)
{
	T(v)->now_ms = now_ms;
}

static void tiers_tick(struct tt_view *v, int64_t now_ms)
{
	struct tiers *t = T(v);

	t->now_ms = now_ms;
	run_due(t, now_ms);
	update_status(t);
}

static long tiers_deadline(struct tt_view *v, int64_t now_ms)
{
	return tt_sched_next_deadline(T(v)->sched, now_ms);
}

/* --- keys ----------------------------------------------------------------------------------------- */

static void move(struct tiers *t, long delta)
{
	struct pane *p = &t->panes[t->focus];
	long sel = (long)p->sel + delta;

	if (!p->n)
		return;
	if (sel < 0)
		sel = 0;
	if (sel >= (long)p->n)
		sel = (long)p->n - 1;
	p->sel = (size_t)sel;
	compute_wiring(t);
}

static void open_selected(struct tiers *t)
{
	const struct tt_snap_row *r = selected_row(t);
	const struct tt_view_env *env = t->base.env;
	struct tt_view *next;

	if (!r)
		return;
	if (r->kind == TT_RES_FUNCTION)
		next = tt_view_function_new(env, t->snap, r->name);
	else if (r->kind == TT_RES_TABLE)
		next = tt_view_table_new(env, t->snap, r->name);
	else
		next = tt_view_api_new(env, t->snap, r->name, r->stage);
	env->push(env->con, next);
}

/* In an incident the logs are often the first thing wanted: straight from
 * the row, without a stop at the function's view. */
static void follow_logs(struct tiers *t)
{
	const struct tt_snap_row *r = selected_row(t);
	const struct tt_view_env *env = t->base.env;

	if (r && r->kind == TT_RES_FUNCTION)
		env->push(env->con, tt_view_function_logs(env, t->snap, r->name, NULL));
	else
		env->message(env->con, "L follows a function's logs: select a function first");
}

static void next_range(struct tiers *t)
{
	size_t n = sizeof(ranges) / sizeof(ranges[0]), i;

	for (i = 0; i < n && ranges[i].range_s != tt_snapshot_range(t->snap); i++)
		;
	i = (i + 1) % n;
	tt_view_tiers_set_range(&t->base, ranges[i].name, &(const char *){NULL});
}

static int tiers_key(struct tt_view *v, int key, int64_t now_ms)
{
	struct tiers *t = T(v);
	int page = t->panes[t->focus].h > 2 ? t->panes[t->focus].h - 2 : 1;

	switch (tt_keymap_action(&keymap, key)) {
	case A_UP: move(t, -1); break;
	case A_DOWN: move(t, 1); break;
	case A_PGUP: move(t, -page); break;
	case A_PGDN: move(t, page); break;
	case A_HOME: move(t, -(long)t->panes[t->focus].n); break;
	case A_END: move(t, (long)t->panes[t->focus].n); break;
	case A_NEXT_PANE:
	case A_PREV_PANE:
		free(t->filter);
		t->filter = NULL;
		t->focus = (t->focus + (key == TT_KEY_TAB ? 1 : NPANES - 1)) % NPANES;
		rebuild_panes(t);
		compute_wiring(t);
		break;
	case A_OPEN: open_selected(t); break;
	case A_LOGS: follow_logs(t); break;
	case A_REFRESH:
		tt_view_tiers_refresh(v, now_ms);
		v->env->message(v->env->con, "refreshing");
		break;
	case A_PAUSE:
		tt_sched_pause(t->sched, !tt_sched_paused(t->sched));
		v->env->message(v->env->con, tt_sched_paused(t->sched) ? "polling paused (p resumes)" : "polling resumed");
		break;
	case A_RANGE: next_range(t); break;
	case A_COPY:
		if (selected_row(t))
			v->env->copy(v->env->con, selected_row(t)->name);
		break;
	case A_CLEAR_FILTER:
		free(t->filter);
		t->filter = NULL;
		rebuild_panes(t);
		break;
	case A_QUIT: return TT_VIEW_QUIT;
	default: return TT_VIEW_IGNORED;
	}
	v->dirty = true;
	return TT_VIEW_HANDLED;
}

/* --- status line ----------------------------------------------------------------------------------- */

/* Kept up to date by tick and draw, so that status() can stay const. */
static void update_status(struct tiers *t)
{
	const struct tt_snap_state *m = tt_snapshot_state(t->snap, TT_SNAP_METRICS);
	const struct tt_snapshot_stats *stats = tt_snapshot_stats(t->snap);
	char age[16];
	double per_hour = 0;
	size_t metrics = 0;

	for (size_t i = 0; i < tt_snapshot_nrows(t->snap); i++)
		metrics += tt_snapshot_row(t->snap, i)->dim_value ? tt_snapshot_row(t->snap, i)->nseries : 0;
	/* What an hour of this screen costs: every metric once per interval. */
	per_hour = (double)metrics * TT_CW_PRICE_PER_METRIC * (3600000.0 / (double)t->interval_ms);
	if (m->ever_ok)
		tt_fmt_age(t->now_ms, m->last_ok_ms, age);
	else
		snprintf(age, sizeof(age), "-");
	/* Why data is late comes before what it costs: a narrow terminal cuts
	 * the end of this line first. */
	snprintf(t->status, sizeof(t->status), "data %s old | %s%s%s%s | %lu calls, %lu metrics, ~$%.3f/h", age,
		 tt_snapshot_busy(t->snap) ? "polling" : "idle", tt_sched_paused(t->sched) ? " PAUSED" : "",
		 tt_sched_backing_off(t->sched) ? ", backing off" : "",
		 tt_sched_starved(t->sched, NULL) ? ", budget short: polling slower" : "",
		 stats->metric_calls + stats->alarm_calls + stats->discoveries, stats->metrics_requested, per_hour);
}

static const char *tiers_status(const struct tt_view *v)
{
	return ((const struct tiers *)v)->status;
}

static const char *tiers_crumb(const struct tt_view *v)
{
	const struct tt_stack *st = tt_snapshot_stack(((const struct tiers *)v)->snap);

	return st ? st->selector : "tiers";
}

static void tiers_free(struct tt_view *v)
{
	struct tiers *t = T(v);

	tt_snapshot_free(&t->snap);
	tt_sched_free(&t->sched);
	for (int p = 0; p < NPANES; p++)
		free(t->panes[p].rows);
	free(t->filter);
	free(t->wired);
	free(t);
}

static const struct tt_view_ops ops = {
	.kind = "tiers",
	.crumb = tiers_crumb,
	.draw = tiers_draw,
	.key = tiers_key,
	.clock = tiers_clock,
	.tick = tiers_tick,
	.deadline = tiers_deadline,
	.status = tiers_status,
	.free = tiers_free,
	.keymap = &keymap,
};

static const struct pane pane_defs[NPANES] = {
	{TT_TIER_PRESENTATION,
	 {{"req/min", 9}, {"4xx%", 9}, {"5xx%", 9}, {"p99ms", 9}, {"integ", 9}}, NULL, 0, 0, 0, 0, 0},
	{TT_TIER_LOGIC,
	 {{"inv/min", 9}, {"err%", 9}, {"thr", 9}, {"p99/tmo", 9}, {"conc", 9}}, NULL, 0, 0, 0, 0, 0},
	{TT_TIER_DATA,
	 {{"read/s", 9}, {"write/s", 9}, {"thr", 9}, {"get ms", 9}, {"put ms", 9}}, NULL, 0, 0, 0, 0, 0},
};

struct tt_view *tt_view_tiers_new(const struct tt_view_env *env, const struct tt_view_tiers_opts *opts)
{
	struct tiers *t = tt_xcalloc(1, sizeof(*t));
	struct tt_snapshot_io io;
	struct tt_snapshot_sink sink = {on_changed};

	t->base.ops = &ops;
	t->base.env = env;
	t->base.dirty = true;
	t->interval_ms = opts->interval_ms > 0 ? opts->interval_ms : 60000;
	memcpy(t->panes, pane_defs, sizeof(pane_defs));
	t->focus = 1;
	if (opts->io)
		io = *opts->io;
	else
		tt_snapshot_io_aws(&io, env->aws);
	t->snap = tt_snapshot_new(opts->sel, opts->nsel, opts->range_s > 0 ? opts->range_s : 3600,
				  opts->period_s > 0 ? opts->period_s : 60, &io, &sink, t);
	t->sched = tt_sched_new(0x7469657274u);
	tt_sched_default_budgets(t->sched);
	for (int p = 0; p < TT_SNAP_NPARTS; p++) {
		long every = p == TT_SNAP_DISCOVERY ? DISCOVERY_INTERVAL_MS
			     : p == TT_SNAP_ALARMS  ? ALARMS_INTERVAL_MS
						    : t->interval_ms;
		tt_sched_add(t->sched, part_keys[p], part_apis[p], every, 0);
	}
	tt_sched_set_visibility(t->sched, part_keys[TT_SNAP_METRICS_HIDDEN], TT_SCHED_HIDDEN, 0);
	rebuild_panes(t);
	compute_wiring(t);
	return &t->base;
}

struct tt_snapshot *tt_view_tiers_snapshot(struct tt_view *v)
{
	return T(v)->snap;
}

int tt_view_tiers_set_range(struct tt_view *v, const char *range, const char **msg)
{
	struct tiers *t = T(v);

	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		if (strcmp(ranges[i].name, range) != 0)
			continue;
		tt_snapshot_set_range(t->snap, ranges[i].range_s, ranges[i].period_s);
		tt_sched_due_now(t->sched, part_keys[TT_SNAP_METRICS], t->now_ms);
		tt_sched_due_now(t->sched, part_keys[TT_SNAP_METRICS_HIDDEN], t->now_ms);
		v->dirty = true;
		return 0;
	}
	*msg = "ranges: 1h 3h 12h 24h 7d";
	return -1;
}

int tt_view_tiers_focus(struct tt_view *v, const char *tier)
{
	struct tiers *t = T(v);
	enum tt_tier named = tt_tier_named(tier);

	for (int p = 0; p < NPANES; p++)
		if (t->panes[p].tier == named) {
			t->focus = p;
			rebuild_panes(t);
			compute_wiring(t);
			v->dirty = true;
			return 0;
		}
	return -1;
}

void tt_view_tiers_filter(struct tt_view *v, const char *text)
{
	struct tiers *t = T(v);

	free(t->filter);
	t->filter = text && *text ? tt_xstrdup(text) : NULL;
	t->panes[t->focus].sel = 0;
	t->panes[t->focus].top = 0;
	rebuild_panes(t);
	compute_wiring(t);
	v->dirty = true;
}

void tt_view_tiers_set_interval(struct tt_view *v, long interval_ms, int64_t now_ms)
{
	struct tiers *t = T(v);

	t->interval_ms = interval_ms;
	tt_sched_set_interval(t->sched, part_keys[TT_SNAP_METRICS], interval_ms);
	tt_sched_set_interval(t->sched, part_keys[TT_SNAP_METRICS_HIDDEN], interval_ms);
	tt_sched_due_now(t->sched, part_keys[TT_SNAP_METRICS], now_ms);
	v->dirty = true;
}

void tt_view_tiers_refresh(struct tt_view *v, int64_t now_ms)
{
	tt_sched_due_now(T(v)->sched, NULL, now_ms);
}
