/* The logs view: a tail model feeding a logbuf, drawn as a scrollback.
 *
 * Positions are the logbuf's sequence numbers, not row numbers, so a paused
 * view stays exactly where it is while lines keep arriving below it and old
 * ones drop off above. Message text is laid out one character at a time
 * (each one drawn through the canvas, which sanitizes it) so wrapping and
 * search highlights line up with what the sanitizer makes of hostile bytes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tiertop/buf.h"
#include "tiertop/canvas.h"
#include "tiertop/json_text.h"
#include "tiertop/keys.h"
#include "tiertop/logbuf.h"
#include "tiertop/utf8.h"
#include "tiertop/view_logs.h"
#include "tiertop/xalloc.h"

#define DEFAULT_SINCE_MS (15 * 60 * 1000)
#define SHORT_NAME_MAX 20
#define MAX_HIGHLIGHTS 64
#define PROMPT_MAX 1024
/* How long a passing remark ("caught up", "reading again") stays up;
 * warnings stay until something replaces them. */
#define INFO_NOTICE_MS 10000

enum action {
	A_UP = 1,
	A_DOWN,
	A_PGUP,
	A_PGDN,
	A_HOME,
	A_END,
	A_SEARCH,
	A_NEXT,
	A_PREV,
	A_PATTERN,
	A_REQUEST,
	A_FOLLOW,
	A_LIVE,
	A_RESTART,
	A_OLDER,
	A_WRAP,
	A_TIME,
	A_JSON,
	A_SAVE,
	A_COPY,
	A_BACK,
};

static const struct tt_keybind binds[] = {
	{TT_KEY_UP, A_UP, "scroll up (pauses)"},
	{'k', A_UP, "scroll up (pauses)"},
	{TT_KEY_DOWN, A_DOWN, "scroll down"},
	{'j', A_DOWN, "scroll down"},
	{TT_KEY_PGUP, A_PGUP, "page up"},
	{TT_KEY_CTRL('b'), A_PGUP, "page up"},
	{TT_KEY_PGDN, A_PGDN, "page down"},
	{TT_KEY_CTRL('f'), A_PGDN, "page down"},
	{' ', A_PGDN, "page down"},
	{TT_KEY_HOME, A_HOME, "oldest line"},
	{'g', A_HOME, "oldest line"},
	{TT_KEY_END, A_END, "newest line, follow"},
	{'G', A_END, "newest line, follow"},
	{'/', A_SEARCH, "search"},
	{'n', A_NEXT, "next match"},
	{'N', A_PREV, "previous match"},
	{'f', A_PATTERN, "server-side filter pattern"},
	{'r', A_REQUEST, "only this request id (again: all)"},
	{'F', A_FOLLOW, "follow / pause"},
	{'L', A_LIVE, "Live Tail on / off"},
	{'R', A_RESTART, "restart the tail"},
	{'b', A_OLDER, "read further back (1 h, 3 h, 12 h, 24 h)"},
	{'w', A_WRAP, "wrap long lines"},
	{'t', A_TIME, "local time / UTC"},
	{'J', A_JSON, "pretty JSON of the line"},
	{'s', A_SAVE, "save the lines to a file"},
	{'y', A_COPY, "copy the line"},
	{TT_KEY_ESC, A_BACK, "back"},
	{'q', A_BACK, "back"},
	{TT_KEY_BACKSPACE, A_BACK, "back"},
};

static const struct tt_keymap keymap = {"Logs", binds, sizeof(binds) / sizeof(binds[0])};
const struct tt_keymap *const tt_keymap_logs = &keymap;

enum prompt {
	P_NONE,
	P_SEARCH,
	P_PATTERN,
	P_SAVE,
	P_OVERWRITE, /* y/n: the file to save to exists */
};

enum notice_kind {
	N_INFO,
	N_WARN,
};

struct logs_view {
	struct tt_view base;
	struct tt_tail_io io;
	struct tt_tail *tail;
	char **groups;
	char **short_names;
	size_t ngroups;
	int short_w;
	char *title;
	char *pattern;
	bool live;
	int64_t since_ms;
	const char *back; /* how far back `b` asked to read ("1 h"), or NULL */
	struct tt_logbuf *buf;

	bool follow;
	uint64_t sel, top;  /* seqs: the selected line, the first one on screen */
	uint64_t pause_end; /* the logbuf's end when following stopped */
	int body_h;         /* as last drawn, for paging */
	bool wrap, utc, json;
	char *search;
	bool search_icase;

	enum prompt prompt;
	struct tt_buf input;
	char *save_path;    /* while P_OVERWRITE asks */

	char notice[600];
	enum notice_kind notice_kind;
	int64_t notice_ms; /* when it was set */
	int64_t now_ms;    /* the latest time the console passed in */
	char failure[1200];
	bool sampled;

	struct tt_canvas *measure; /* one row, to measure a character as the canvas will draw it */
	char crumb[160];
	char status[160];
};

static struct logs_view *L(struct tt_view *v)
{
	return (struct logs_view *)v;
}

static struct tt_style style(uint8_t fg, uint8_t attr)
{
	return (struct tt_style){fg, 0, attr};
}

/* --- the tail ---------------------------------------------------------------------------------- */

static void on_event(void *ctx, const struct tt_tail_event *ev)
{
	struct logs_view *v = ctx;

	tt_logbuf_add(v->buf, (uint32_t)ev->group, ev->stream, ev->timestamp_ms, ev->ingestion_ms, ev->message,
		      ev->message_len);
	v->base.dirty = true;
}

static void set_notice(struct logs_view *v, enum notice_kind kind, const char *text)
{
	snprintf(v->notice, sizeof(v->notice), "%s", text);
	v->notice_kind = kind;
	v->notice_ms = v->now_ms;
	v->base.dirty = true;
}

static void on_note(void *ctx, enum tt_tail_note note, const char *text)
{
	struct logs_view *v = ctx;

	switch (note) {
	case TT_TAIL_NOTE_BACKOFF:
	case TT_TAIL_NOTE_WARNING: set_notice(v, N_WARN, text); break;
	case TT_TAIL_NOTE_SAMPLED:
		/* The model notes every change, on and off. */
		v->sampled = !v->sampled;
		set_notice(v, v->sampled ? N_WARN : N_INFO, text);
		break;
	default: set_notice(v, N_INFO, text); break;
	}
}

static void start_tail(struct logs_view *v)
{
	static const struct tt_tail_sink sink = {on_event, on_note};
	struct tt_tail_opts o;

	memset(&o, 0, sizeof(o));
	o.groups = (const char *const *)v->groups;
	o.ngroups = v->ngroups;
	o.start_ms = v->since_ms;
	o.pattern = v->pattern;
	o.follow = true;
	o.live = v->live;
	v->tail = tt_tail_new(&o, &v->io, &sink, v);
	v->sampled = false;
	v->failure[0] = '\0';
}

/* A new pattern or mode: what the buffer holds no longer answers it. */
static void restart_tail(struct logs_view *v, const char *why)
{
	char text[sizeof(v->notice)];

	tt_tail_free(&v->tail);
	tt_logbuf_clear(v->buf);
	v->follow = true;
	start_tail(v);
	snprintf(text, sizeof(text), "%s: buffer cleared, reading again", why);
	set_notice(v, N_INFO, text);
}

/* How far back `b` reads, a step further each time: an incident that
 * began before the view was opened is a press or two away. */
static const struct {
	int64_t ms;
	const char *text;
} back_steps[] = {
    {60 * 60 * 1000LL, "1 h"},
    {3 * 60 * 60 * 1000LL, "3 h"},
    {12 * 60 * 60 * 1000LL, "12 h"},
    {24 * 60 * 60 * 1000LL, "24 h"},
};

static void read_further_back(struct logs_view *v)
{
	const size_t nsteps = sizeof(back_steps) / sizeof(back_steps[0]);
	int64_t reading = v->now_ms - v->since_ms;
	char why[64];
	size_t i = 0;

	while (i < nsteps && back_steps[i].ms <= reading)
		i++;
	if (i == nsteps) {
		snprintf(why, sizeof(why), "reading %s back already: the furthest b goes", back_steps[nsteps - 1].text);
		set_notice(v, N_INFO, why);
		return;
	}
	v->since_ms = v->now_ms - back_steps[i].ms;
	v->back = back_steps[i].text;
	snprintf(why, sizeof(why), "from %s back", v->back);
	restart_tail(v, why);
}

static void logs_clock(struct tt_view *vv, int64_t now_ms)
{
	L(vv)->now_ms = now_ms;
	if (L(vv)->tail)
		tt_tail_clock(L(vv)->tail, now_ms);
}

static void logs_tick(struct tt_view *vv, int64_t now_ms)
{
	struct logs_view *v = L(vv);
	struct tt_err err;

	v->now_ms = now_ms;
	if (v->notice[0] && v->notice_kind == N_INFO && now_ms - v->notice_ms >= INFO_NOTICE_MS) {
		v->notice[0] = '\0';
		vv->dirty = true;
	}
	if (!v->tail)
		return;
	tt_tail_tick(v->tail, now_ms);
	if (tt_tail_status(v->tail, &err) < 0 && !v->failure[0]) {
		/* The code first: the message is long and the row may be narrow. */
		snprintf(v->failure, sizeof(v->failure), "tail stopped%s%s%s: %s (R restarts)", err.code[0] ? " (" : "",
			 err.code, err.code[0] ? ")" : "", err.message);
		vv->dirty = true;
	}
}

static long logs_deadline(struct tt_view *vv, int64_t now_ms)
{
	struct logs_view *v = L(vv);
	long d = v->tail && !v->failure[0] ? tt_tail_next_deadline(v->tail, now_ms) : -1;

	if (v->notice[0] && v->notice_kind == N_INFO) {
		int64_t left = v->notice_ms + INFO_NOTICE_MS - now_ms;
		long e = left < 0 ? 0 : (long)left;
		if (d < 0 || e < d)
			d = e;
	}
	return d;
}

/* --- laying out a line ------------------------------------------------------------------------ */

struct highlights {
	size_t from[MAX_HIGHLIGHTS], to[MAX_HIGHLIGHTS];
	size_t n;
};

static void find_highlights(const struct logs_view *v, const struct tt_logline *l, struct highlights *h)
{
	size_t nlen = v->search ? strlen(v->search) : 0;
	long at = 0;

	h->n = 0;
	if (!nlen)
		return;
	while (h->n < MAX_HIGHLIGHTS &&
	       (at = tt_logbuf_match(l->message, l->message_len, (size_t)at, v->search, nlen, v->search_icase)) >= 0) {
		h->from[h->n] = (size_t)at;
		h->to[h->n++] = (size_t)at + nlen;
		at += (long)nlen;
	}
}

static bool highlighted(const struct highlights *h, size_t i)
{
	for (size_t k = 0; k < h->n; k++)
		if (i >= h->from[k] && i < h->to[k])
			return true;
	return false;
}

/* The message without the line ending most runtimes leave on it. */
static size_t shown_len(const struct tt_logline *l)
{
	size_t n = l->message_len;

	while (n > 0 && (l->message[n - 1] == '\n' || l->message[n - 1] == '\r' || l->message[n - 1] == '\t'))
		n--;
	return n;
}

static int unit_width(struct logs_view *v, const char *p, size_t n)
{
	if (n == 1 && (unsigned char)p[0] >= 0x20 && (unsigned char)p[0] < 0x7f)
		return 1;
	tt_canvas_clear(v->measure);
	return tt_canvas_textn(v->measure, 0, 0, 16, p, n, (struct tt_style){0, 0, 0});
}

/* Lays out message bytes from `from` in columns [x, x + w) of row y, drawing
 * when c is not NULL. Returns where the row stopped (the length when the
 * rest fitted, past a newline when wrapping broke there). */
static size_t lay_row(struct logs_view *v, struct tt_canvas *c, int x, int y, int w, const struct tt_logline *l,
		      size_t from, const struct highlights *h, struct tt_style st)
{
	size_t len = shown_len(l), i = from;
	int col = 0;

	/* A row that wrapping started at a space starts after it. */
	if (from > 0 && v->wrap && i < len && l->message[i] == ' ' && l->message[i - 1] != '\n')
		i++;
	while (i < len) {
		const char *p = l->message + i;
		uint32_t cp;
		size_t n = tt_utf8_next(p, len - i, &cp);
		size_t dn;
		int cw;

		if (n == 0)
			n = 1; /* an invalid byte: the sanitizer shows it as \xNN */
		if (*p == '\n' && v->wrap)
			return i + 1;
		dn = n;
		if (*p == '\t') {
			p = " "; /* the runtimes' field separator reads best as a space */
			cw = 1;
		} else {
			cw = unit_width(v, p, n);
		}
		if (col + cw > w) {
			if (col == 0)
				i += n; /* wider than the row: skip it rather than loop */
			break;
		}
		if (c) {
			struct tt_style s = st;
			if (highlighted(h, i))
				s.attr |= TT_ATTR_REVERSE;
			tt_canvas_textn(c, x + col, y, cw, p, dn, s);
		}
		col += cw;
		i += n;
	}
	return i;
}

static int prefix_width(const struct logs_view *v)
{
	return 2 + 1 + 12 + 1 + (v->ngroups > 1 ? v->short_w + 1 : 0);
}

static int rows_of(struct logs_view *v, const struct tt_logline *l, int w, int max_rows)
{
	size_t len = shown_len(l), at = 0;
	int rows = 0;

	if (!v->wrap || w <= 0)
		return 1;
	do {
		at = lay_row(v, NULL, 0, 0, w, l, at, NULL, (struct tt_style){0, 0, 0});
		rows++;
	} while (at < len && rows < max_rows);
	return rows;
}

static void fmt_time(const struct logs_view *v, int64_t ms, char out[16])
{
	time_t s = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	struct tm tm;

	if (!(v->utc ? gmtime_r(&s, &tm) : localtime_r(&s, &tm))) {
		snprintf(out, 16, "??:??:??.???");
		return;
	}
	snprintf(out, 16, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms - (int64_t)s * 1000));
}

/* Draws line l from row y, at most max_rows rows; returns the rows used. */
static int draw_line(struct logs_view *v, struct tt_canvas *c, int y, int max_rows, const struct tt_logline *l,
		     bool selected)
{
	struct highlights h;
	struct tt_style st = style(0, 0);
	int px = prefix_width(v), w = c->w - px, rows = 0;
	size_t len = shown_len(l), at = 0;
	char when[16];

	find_highlights(v, l, &h);
	if (selected)
		tt_canvas_text(c, 0, y, 1, ">", style(0, TT_ATTR_BOLD));
	if (l->level == TT_LOG_ERROR) {
		tt_canvas_text(c, 1, y, 1, "E", style(TT_COLOR_RED, TT_ATTR_BOLD | TT_ATTR_REVERSE));
		st = style(TT_COLOR_RED, 0);
	} else if (l->level == TT_LOG_WARN) {
		tt_canvas_text(c, 1, y, 1, "W", style(TT_COLOR_YELLOW, TT_ATTR_BOLD | TT_ATTR_REVERSE));
		st = style(TT_COLOR_YELLOW, 0);
	}
	fmt_time(v, l->timestamp_ms, when);
	tt_canvas_text(c, 3, y, 12, when, style(0, TT_ATTR_DIM));
	if (v->ngroups > 1 && l->group < v->ngroups)
		tt_canvas_text_fit(c, 16, y, v->short_w, v->short_names[l->group], style(TT_COLOR_CYAN, 0), false);
	if (selected)
		st.attr |= TT_ATTR_BOLD;
	if (w <= 0)
		return 1;
	do {
		at = lay_row(v, c, px, y + rows, w, l, at, &h, st);
		rows++;
	} while (v->wrap && at < len && rows < max_rows);
	return rows;
}

/* --- scrolling ------------------------------------------------------------------------------------ */

/* The shown index of seq, clamped to what is shown now. */
static size_t index_of(const struct logs_view *v, uint64_t seq)
{
	size_t n = tt_logbuf_shown_count(v->buf), i = tt_logbuf_shown_index(v->buf, seq);

	return n == 0 ? 0 : (i >= n ? n - 1 : i);
}

static const struct tt_logline *shown_line(const struct logs_view *v, size_t i)
{
	return tt_logbuf_get(v->buf, tt_logbuf_shown_seq(v->buf, i));
}

static const struct tt_logline *selected_line(const struct logs_view *v)
{
	size_t n = tt_logbuf_shown_count(v->buf);

	if (n == 0)
		return NULL;
	return shown_line(v, v->follow ? n - 1 : index_of(v, v->sel));
}

static void pause_follow(struct logs_view *v)
{
	size_t n = tt_logbuf_shown_count(v->buf);

	if (!v->follow)
		return;
	v->follow = false;
	v->pause_end = tt_logbuf_end(v->buf);
	if (n)
		v->sel = tt_logbuf_shown_seq(v->buf, n - 1);
}

static size_t new_lines(const struct logs_view *v)
{
	if (v->follow)
		return 0;
	return tt_logbuf_shown_count(v->buf) - tt_logbuf_shown_index(v->buf, v->pause_end);
}

/* Moves the selection by delta lines (and the first line on screen with
 * it when page), pausing the follow. */
static void move(struct logs_view *v, long delta, bool page)
{
	size_t n = tt_logbuf_shown_count(v->buf), i, t;

	if (n == 0)
		return;
	pause_follow(v);
	i = index_of(v, v->sel);
	t = index_of(v, v->top);
	if (delta < 0) {
		i = (size_t)-delta > i ? 0 : i + (size_t)delta;
		if (page)
			t = (size_t)-delta > t ? 0 : t + (size_t)delta;
	} else {
		i = i + (size_t)delta >= n ? n - 1 : i + (size_t)delta;
		if (page)
			t = t + (size_t)delta >= n ? n - 1 : t + (size_t)delta;
	}
	v->sel = tt_logbuf_shown_seq(v->buf, i);
	v->top = tt_logbuf_shown_seq(v->buf, t);
}

/* Settles which shown line is first on screen for a body of h rows. */
static size_t place(struct logs_view *v, int w, int h)
{
	size_t n = tt_logbuf_shown_count(v->buf), top, sel;
	int used;

	if (n == 0)
		return 0;
	if (v->follow) {
		top = n - 1;
		used = rows_of(v, shown_line(v, top), w, h);
		while (top > 0) {
			int r = rows_of(v, shown_line(v, top - 1), w, h);
			if (used + r > h)
				break;
			used += r;
			top--;
		}
		v->sel = tt_logbuf_shown_seq(v->buf, n - 1);
	} else {
		sel = index_of(v, v->sel);
		top = index_of(v, v->top);
		if (sel < top)
			top = sel;
		/* Every line takes a row at least: no need to look further back. */
		if (sel - top > (size_t)h)
			top = sel - (size_t)h;
		for (;;) {
			used = 0;
			for (size_t i = top; i <= sel && used <= h; i++)
				used += rows_of(v, shown_line(v, i), w, h);
			if (used <= h || top == sel)
				break;
			top++;
		}
		v->sel = tt_logbuf_shown_seq(v->buf, sel);
	}
	v->top = tt_logbuf_shown_seq(v->buf, top);
	return top;
}

/* --- drawing ---------------------------------------------------------------------------------------- */

static void fmt_count(uint64_t n, char out[32])
{
	char raw[32];
	int len = snprintf(raw, sizeof(raw), "%llu", (unsigned long long)n), o = 0;

	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = raw[i];
	}
	out[o] = '\0';
}

/* Draws text at *x and moves *x past it and a space. */
static void put(struct tt_canvas *c, int *x, int y, const char *text, struct tt_style st)
{
	if (*x >= c->w)
		return;
	*x += tt_canvas_text(c, *x, y, -1, text, st);
	*x += 1;
}

static void draw_header(struct logs_view *v, struct tt_canvas *c, int y)
{
	char n[32], d[32], text[256];
	int x = 0;

	tt_canvas_fill(c, 0, y, c->w, 1, ' ', style(0, TT_ATTR_REVERSE));
	put(c, &x, y, v->title, style(0, TT_ATTR_REVERSE | TT_ATTR_BOLD));
	if (!v->follow)
		put(c, &x, y, "[PAUSED]", style(TT_COLOR_YELLOW, TT_ATTR_BOLD));
	else if (v->live)
		put(c, &x, y, "[LIVE]", style(TT_COLOR_GREEN, TT_ATTR_BOLD));
	else
		put(c, &x, y, "[FOLLOW]", style(TT_COLOR_GREEN, TT_ATTR_BOLD));
	if (v->live && !v->follow)
		put(c, &x, y, "[live]", style(0, TT_ATTR_REVERSE));
	if (v->sampled)
		put(c, &x, y, "[SAMPLED]", style(TT_COLOR_YELLOW, TT_ATTR_BOLD));
	if (v->failure[0])
		put(c, &x, y, "[FAILED]", style(TT_COLOR_RED, TT_ATTR_BOLD));
	fmt_count(tt_logbuf_count(v->buf), n);
	if (tt_logbuf_shown_count(v->buf) != tt_logbuf_count(v->buf)) {
		fmt_count(tt_logbuf_shown_count(v->buf), d);
		snprintf(text, sizeof(text), "%s of %s line%s", d, n, tt_logbuf_count(v->buf) == 1 ? "" : "s");
	} else {
		snprintf(text, sizeof(text), "%s line%s", n, tt_logbuf_count(v->buf) == 1 ? "" : "s");
	}
	put(c, &x, y, text, style(0, TT_ATTR_REVERSE));
	if (tt_logbuf_dropped(v->buf)) {
		fmt_count(tt_logbuf_dropped(v->buf), d);
		snprintf(text, sizeof(text), "(%s older dropped)", d);
		put(c, &x, y, text, style(0, TT_ATTR_REVERSE));
	}
	if (x + 6 <= c->w)
		tt_canvas_text(c, c->w - 5, y, 5, v->utc ? "  UTC" : "local", style(0, TT_ATTR_REVERSE));
}

static void draw_filters(struct logs_view *v, struct tt_canvas *c, int y)
{
	struct tt_buf b;
	int x = 0;

	tt_buf_init(&b, 0);
	for (size_t i = 0; i < v->ngroups; i++)
		tt_buf_printf(&b, "%s%s", i ? ", " : "", v->groups[i]);
	put(c, &x, y, b.data, style(TT_COLOR_CYAN, 0));
	if (v->back) {
		tt_buf_reset(&b);
		tt_buf_printf(&b, "from %s back", v->back);
		put(c, &x, y, b.data, style(0, TT_ATTR_BOLD));
	}
	if (v->pattern) {
		tt_buf_reset(&b);
		tt_buf_printf(&b, "pattern \"%s\"", v->pattern);
		put(c, &x, y, b.data, style(0, TT_ATTR_BOLD));
	}
	if (tt_logbuf_filter_request_id(v->buf)) {
		tt_buf_reset(&b);
		tt_buf_printf(&b, "request %s", tt_logbuf_filter_request_id(v->buf));
		put(c, &x, y, b.data, style(0, TT_ATTR_BOLD));
	}
	if (v->search) {
		tt_buf_reset(&b);
		tt_buf_printf(&b, "search \"%s\"", v->search);
		put(c, &x, y, b.data, style(0, 0));
	}
	tt_buf_clear(&b);
}

static void draw_json(struct logs_view *v, struct tt_canvas *c, int y, int h)
{
	const struct tt_logline *l = selected_line(v);
	struct tt_buf b;
	size_t off, len;
	int row = 0;

	tt_canvas_fill(c, 0, y, c->w, 1, 0x2500, style(0, TT_ATTR_DIM));
	tt_canvas_text(c, 2, y, -1, " JSON (J closes) ", style(0, TT_ATTR_BOLD));
	if (!l || !tt_logbuf_json_span(l->message, l->message_len, &off, &len)) {
		tt_canvas_text(c, 2, y + 1, -1, "(the selected line is not JSON)", style(0, TT_ATTR_DIM));
		return;
	}
	tt_buf_init(&b, 0);
	tt_json_reindent(l->message + off, len, 2, &b);
	for (const char *p = b.data; *p && row < h - 1; row++) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (row == h - 2 && e) {
			tt_canvas_text(c, 0, y + 1 + row, -1, "...", style(0, TT_ATTR_DIM));
			break;
		}
		tt_canvas_textn(c, 0, y + 1 + row, -1, p, n, style(0, 0));
		p += n + (e ? 1 : 0);
	}
	tt_buf_clear(&b);
}

static void draw_bottom(struct logs_view *v, struct tt_canvas *c, int y)
{
	static const char *const labels[] = {[P_SEARCH] = "/", [P_PATTERN] = "filter pattern: ",
					     [P_SAVE] = "save to: "};
	char text[128];
	size_t n;
	int x = 0;

	if (v->prompt == P_OVERWRITE) {
		snprintf(text, sizeof(text), "%.90s exists: overwrite it? (y/n)", v->save_path);
		tt_canvas_text(c, 0, y, -1, text, style(TT_COLOR_YELLOW, TT_ATTR_BOLD));
		return;
	}
	if (v->prompt != P_NONE) {
		x += tt_canvas_text(c, 0, y, -1, labels[v->prompt], style(0, TT_ATTR_BOLD));
		x += tt_canvas_text(c, x, y, -1, v->input.data, style(0, 0));
		tt_canvas_text(c, x, y, 1, "_", style(0, TT_ATTR_REVERSE));
		return;
	}
	n = new_lines(v);
	if (n) {
		char cnt[32];
		fmt_count(n, cnt);
		snprintf(text, sizeof(text), "-- %s new line%s: G follows --", cnt, n == 1 ? "" : "s");
		tt_canvas_text(c, 0, y, -1, text, style(TT_COLOR_YELLOW, TT_ATTR_REVERSE | TT_ATTR_BOLD));
		return;
	}
	tt_canvas_text(c, 0, y, -1,
		       "F follow/pause  / search  n/N next  f pattern  r request  J json  w wrap  t UTC  s save  ? help",
		       style(0, TT_ATTR_DIM));
}

static void logs_draw(struct tt_view *vv, struct tt_canvas *c, int y, int h)
{
	struct logs_view *v = L(vv);
	int body_y, body_h, json_h = 0, row = 0, px = prefix_width(v);
	size_t n = tt_logbuf_shown_count(v->buf), i;
	const struct tt_logline *sel;

	tt_canvas_fill(c, 0, y, c->w, h, ' ', style(0, 0));
	if (h < 3)
		return;
	if (!v->measure || v->measure->utf8 != c->utf8) {
		tt_canvas_free(&v->measure);
		v->measure = tt_canvas_new(16, 1, c->utf8);
	}
	draw_header(v, c, y);
	draw_filters(v, c, y + 1);
	body_y = y + 2;
	body_h = h - 3;
	if (v->failure[0] || v->notice[0]) {
		if (v->failure[0])
			tt_canvas_text(c, 0, body_y, -1, v->failure, style(TT_COLOR_RED, TT_ATTR_BOLD));
		else
			tt_canvas_text(c, 0, body_y, -1, v->notice,
				       v->notice_kind == N_WARN ? style(TT_COLOR_YELLOW, TT_ATTR_BOLD)
								: style(0, TT_ATTR_DIM));
		body_y++;
		body_h--;
	}
	if (v->json && body_h >= 6) {
		json_h = body_h / 2;
		body_h -= json_h;
	}
	v->body_h = body_h > 0 ? body_h : 1;
	draw_bottom(v, c, y + h - 1);
	if (body_h <= 0)
		return;
	if (n == 0) {
		tt_canvas_text(c, 2, body_y, -1,
			       v->failure[0] ? "(no lines)" : "(waiting for log events)", style(0, TT_ATTR_DIM));
	} else {
		sel = selected_line(v);
		for (i = place(v, c->w - px, body_h); i < n && row < body_h; i++) {
			const struct tt_logline *l = shown_line(v, i);
			row += draw_line(v, c, body_y + row, body_h - row, l, !v->follow && l == sel);
		}
	}
	if (json_h)
		draw_json(v, c, body_y + body_h, json_h);
}

/* --- keys ---------------------------------------------------------------------------------------- */

static void search(struct logs_view *v, int dir)
{
	size_t n = tt_logbuf_shown_count(v->buf), from;
	long at;
	char text[sizeof(v->notice)];

	if (!v->search) {
		set_notice(v, N_INFO, "no search yet: / searches");
		return;
	}
	if (n == 0)
		return;
	/* While following, the newest match is the one that matters during an
	 * incident: look up from the end. Else from the selected line. */
	from = v->follow ? n : index_of(v, v->sel);
	at = tt_logbuf_find(v->buf, from, v->follow ? -1 : dir, v->search, v->search_icase, true);
	if (at < 0) {
		snprintf(text, sizeof(text), "not found: %s", v->search);
		set_notice(v, N_WARN, text);
		return;
	}
	pause_follow(v);
	v->sel = tt_logbuf_shown_seq(v->buf, (size_t)at);
}

static bool has_upper(const char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			return true;
	return false;
}

/* An existing file is only replaced after a yes (P_OVERWRITE). */
static void save(struct logs_view *v, const char *path, bool overwrite)
{
	size_t n = tt_logbuf_shown_count(v->buf), saved = 0;
	char text[PROMPT_MAX + 128];
	int fd = open(path, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL), 0600);
	bool ok = fd >= 0;

	if (fd < 0 && errno == EEXIST && !overwrite) {
		free(v->save_path);
		v->save_path = tt_xstrdup(path);
		v->prompt = P_OVERWRITE;
		return;
	}

	for (size_t i = 0; ok && i < n; i++) {
		const struct tt_logline *l = shown_line(v, i);
		struct tt_buf b;
		tt_buf_init(&b, 0);
		tt_buf_append(&b, l->message, l->message_len);
		if (!l->message_len || l->message[l->message_len - 1] != '\n')
			tt_buf_putc(&b, '\n');
		for (size_t off = 0; ok && off < b.len;) {
			ssize_t w = write(fd, b.data + off, b.len - off);
			if (w < 0 && errno == EINTR)
				continue;
			ok = w > 0;
			off += ok ? (size_t)w : 0;
		}
		tt_buf_clear(&b);
		saved += ok;
	}
	if (fd >= 0 && close(fd) != 0)
		ok = false;
	if (ok)
		snprintf(text, sizeof(text), "saved %zu lines to %s", saved, path);
	else
		snprintf(text, sizeof(text), "could not save to %s: %s", path, strerror(errno));
	v->base.env->message(v->base.env->con, text);
}

static void prompt_done(struct logs_view *v, int64_t now_ms)
{
	const char *in = v->input.data;
	char why[PROMPT_MAX + 64];

	enum prompt p = v->prompt;

	(void)now_ms;
	v->prompt = P_NONE; /* a save may ask again (P_OVERWRITE) */
	switch (p) {
	case P_SEARCH:
		free(v->search);
	free(v->save_path);
		v->search = *in ? tt_xstrdup(in) : NULL;
		v->search_icase = !has_upper(in);
		if (v->search)
			search(v, 1);
		break;
	case P_PATTERN:
		if (strcmp(in, v->pattern ? v->pattern : "") == 0)
			break;
		free(v->pattern);
		v->pattern = *in ? tt_xstrdup(in) : NULL;
		if (v->pattern)
			snprintf(why, sizeof(why), "filter pattern \"%s\"", v->pattern);
		else
			snprintf(why, sizeof(why), "no filter pattern");
		restart_tail(v, why);
		break;
	case P_SAVE:
		if (in[0] == '~' && in[1] == '/' && getenv("HOME")) {
			char *path = tt_xasprintf("%s%s", getenv("HOME"), in + 1);
			save(v, path, false);
			free(path);
		} else if (*in) {
			save(v, in, false);
		}
		break;
	case P_OVERWRITE:
	case P_NONE: break;
	}
}

static int overwrite_key(struct logs_view *v, int key)
{
	char text[PROMPT_MAX + 64];

	v->prompt = P_NONE;
	if (key == 'y' || key == 'Y') {
		save(v, v->save_path, true);
	} else {
		snprintf(text, sizeof(text), "not saved: %s exists", v->save_path);
		v->base.env->message(v->base.env->con, text);
	}
	free(v->save_path);
	v->save_path = NULL;
	v->base.dirty = true;
	return TT_VIEW_HANDLED;
}

static int prompt_key(struct logs_view *v, int key, int64_t now_ms)
{
	if (v->prompt == P_OVERWRITE)
		return overwrite_key(v, key);
	if (key == TT_KEY_ESC) {
		v->prompt = P_NONE;
	} else if (key == TT_KEY_ENTER || key == '\n') {
		prompt_done(v, now_ms);
	} else if (key == TT_KEY_BACKSPACE || key == 0x7f || key == 0x08) {
		/* Back over one whole UTF-8 character. */
		while (v->input.len > 0 && ((unsigned char)v->input.data[--v->input.len] & 0xC0) == 0x80)
			;
		v->input.data[v->input.len] = '\0';
	} else if (key == TT_KEY_CTRL('u')) {
		tt_buf_reset(&v->input);
		tt_buf_puts(&v->input, "");
	} else if (key >= 0x20 && key < TT_KEY_BASE && key != 0x7f && !(key >= 0x80 && key < 0xA0) &&
		   v->input.len < PROMPT_MAX) {
		char u[4];
		tt_buf_append(&v->input, u, tt_utf8_encode((uint32_t)key, u));
	}
	v->base.dirty = true;
	return TT_VIEW_HANDLED;
}

static void open_prompt(struct logs_view *v, enum prompt p, const char *initial)
{
	v->prompt = p;
	tt_buf_reset(&v->input);
	tt_buf_puts(&v->input, initial ? initial : "");
}

static void toggle_request(struct logs_view *v)
{
	const struct tt_logline *l = selected_line(v);
	char rid[80];

	if (tt_logbuf_filter_request_id(v->buf)) {
		tt_logbuf_set_filter(v->buf, NULL, false, NULL);
		return;
	}
	if (!l || !l->rid_len) {
		set_notice(v, N_INFO, "the selected line has no request id");
		return;
	}
	snprintf(rid, sizeof(rid), "%.*s", (int)l->rid_len, l->message + l->rid_off);
	tt_logbuf_set_filter(v->buf, NULL, false, rid);
}

static int logs_key(struct tt_view *vv, int key, int64_t now_ms)
{
	struct logs_view *v = L(vv);
	const struct tt_logline *l;

	v->now_ms = now_ms;
	if (v->prompt != P_NONE)
		return prompt_key(v, key, now_ms);
	switch (tt_keymap_action(&keymap, key)) {
	case A_UP: move(v, -1, false); break;
	case A_DOWN:
		if (!v->follow && index_of(v, v->sel) + 1 >= tt_logbuf_shown_count(v->buf))
			v->follow = true; /* down at the newest line: follow again */
		else if (!v->follow)
			move(v, 1, false);
		break;
	case A_PGUP: move(v, -(long)v->body_h, true); break;
	case A_PGDN:
		if (!v->follow)
			move(v, v->body_h, true);
		break;
	case A_HOME:
		pause_follow(v);
		v->sel = v->top = tt_logbuf_first(v->buf);
		break;
	case A_END: v->follow = true; break;
	case A_SEARCH: open_prompt(v, P_SEARCH, NULL); break;
	case A_NEXT: search(v, 1); break;
	case A_PREV: search(v, -1); break;
	case A_PATTERN: open_prompt(v, P_PATTERN, v->pattern); break;
	case A_REQUEST: toggle_request(v); break;
	case A_FOLLOW:
		if (v->follow)
			pause_follow(v);
		else
			v->follow = true;
		break;
	case A_LIVE:
		v->live = !v->live;
		restart_tail(v, v->live ? "Live Tail on" : "Live Tail off");
		break;
	case A_RESTART: restart_tail(v, "restarted"); break;
	case A_OLDER: read_further_back(v); break;
	case A_WRAP: v->wrap = !v->wrap; break;
	case A_TIME: v->utc = !v->utc; break;
	case A_JSON: v->json = !v->json; break;
	case A_SAVE: open_prompt(v, P_SAVE, NULL); break;
	case A_COPY:
		l = selected_line(v);
		if (l) {
			char *text = tt_xstrndup(l->message, shown_len(l));
			v->base.env->copy(v->base.env->con, text);
			free(text);
		}
		break;
	case A_BACK: return TT_VIEW_BACK;
	default: return TT_VIEW_IGNORED;
	}
	vv->dirty = true;
	return TT_VIEW_HANDLED;
}

/* --- the rest ------------------------------------------------------------------------------------ */

static const char *logs_crumb(const struct tt_view *vv)
{
	return ((const struct logs_view *)vv)->crumb;
}

static const char *logs_status(const struct tt_view *vv)
{
	struct logs_view *v = (struct logs_view *)(uintptr_t)vv;
	char n[32];

	fmt_count(tt_logbuf_count(v->buf), n);
	snprintf(v->status, sizeof(v->status), "%s %zu group%s, %s lines", v->follow ? "following" : "paused on",
		 v->ngroups, v->ngroups == 1 ? "" : "s", n);
	return v->status;
}

static void logs_free(struct tt_view *vv)
{
	struct logs_view *v = L(vv);

	if (!v)
		return;
	tt_tail_free(&v->tail);
	tt_logbuf_free(&v->buf);
	tt_canvas_free(&v->measure);
	for (size_t i = 0; i < v->ngroups; i++) {
		free(v->groups[i]);
		free(v->short_names[i]);
	}
	free(v->groups);
	free(v->short_names);
	free(v->title);
	free(v->pattern);
	free(v->search);
	tt_buf_clear(&v->input);
	free(v);
}

static const struct tt_view_ops logs_ops = {
	.kind = "logs",
	.crumb = logs_crumb,
	.draw = logs_draw,
	.key = logs_key,
	.clock = logs_clock,
	.tick = logs_tick,
	.deadline = logs_deadline,
	.status = logs_status,
	.free = logs_free,
	.keymap = &keymap,
};

/* "/aws/lambda/submit" -> "submit": enough to tell interleaved groups apart. */
static char *short_name(const char *group)
{
	const char *s = strrchr(group, '/');

	s = s && s[1] ? s + 1 : group;
	return tt_xstrndup(s, strlen(s) > SHORT_NAME_MAX ? SHORT_NAME_MAX : strlen(s));
}

struct tt_view *tt_view_logs_new(const struct tt_view_env *env, const char *const *groups, size_t ngroups,
				 const char *title, const struct tt_view_logs_opts *opts, int64_t now_ms)
{
	struct logs_view *v = tt_xcalloc(1, sizeof(*v));

	v->base.ops = &logs_ops;
	v->base.env = env;
	v->base.dirty = true;
	v->io = opts->io;
	v->ngroups = ngroups;
	v->groups = tt_xcalloc(ngroups + 1, sizeof(*v->groups));
	v->short_names = tt_xcalloc(ngroups + 1, sizeof(*v->short_names));
	for (size_t i = 0; i < ngroups; i++) {
		v->groups[i] = tt_xstrdup(groups[i]);
		v->short_names[i] = short_name(groups[i]);
		if ((int)strlen(v->short_names[i]) > v->short_w)
			v->short_w = (int)strlen(v->short_names[i]);
	}
	v->title = tt_xstrdup(title ? title : ngroups ? groups[0] : "logs");
	snprintf(v->crumb, sizeof(v->crumb), "%s", v->title);
	v->pattern = opts->pattern && *opts->pattern ? tt_xstrdup(opts->pattern) : NULL;
	v->live = opts->live;
	v->since_ms = opts->since_ms ? opts->since_ms : now_ms - DEFAULT_SINCE_MS;
	v->now_ms = now_ms;
	v->buf = tt_logbuf_new(opts->max_lines, 0);
	if (opts->request_id && *opts->request_id)
		tt_logbuf_set_filter(v->buf, NULL, false, opts->request_id);
	v->follow = true;
	tt_buf_init(&v->input, PROMPT_MAX + 8);
	tt_buf_puts(&v->input, "");
	start_tail(v);
	return &v->base;
}
