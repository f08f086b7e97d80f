/* The audit log (audit.h) as a list, newest first: what tiertop invoked
 * and replayed, with the outcome of each action. An intent without a
 * result is marked '!' as well as coloured, since its request may or may
 * not have reached AWS. Enter shows the records of the selected action
 * under the list, L opens its request's log lines, y copies the request
 * id, r reads the file again (also done when its size or mtime changes,
 * looked at no more than once a second). The only I/O is reading that
 * local file; a read error is shown in place. Every string of the file
 * (function names, errors) may come from anyone with the account and is
 * drawn through the canvas, which sanitizes it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "tiertop/audit.h"
#include "tiertop/keys.h"
#include "tiertop/svc_lambda.h"
#include "tiertop/tail.h"
#include "tiertop/view_logs.h"
#include "tiertop/views.h"
#include "tiertop/widgets.h"
#include "tiertop/xalloc.h"

struct audit_view {
	struct tt_view base;
	char *path;               /* NULL: no default path (the error says why) */
	struct tt_snapshot *snap; /* borrowed, may be NULL: the function's log group */
	struct tt_audit_entries entries;
	bool loaded;
	char error[600];          /* the last read's failure, "" when none */
	struct tt_table list;     /* row 0: the newest action */
	bool detail;
	bool wide;              /* the column set of the last draw */
	int64_t checked_ms;       /* the last look at the file's size and mtime */
	off_t size;
	struct timespec mtime;
	char cell[512];
	char status[700];
	char empty[600];
};

enum { A_NAV = 1, A_DETAIL = A_NAV + TT_NAV_COUNT, A_LOGS, A_RELOAD, A_COPY };

/* Row 0 is the newest action: "first" and "next" go back in time. */
static const struct tt_keybind binds[] = {
	TT_NAV_BINDS_AS(A_NAV, "previous (newer) action", "next (older) action", "previous page of actions",
			"next page of actions", "first (newest) action", "last (oldest) action"),
	{TT_KEY_ENTER, A_DETAIL, "show / hide the action's intent and result"},
	{'L', A_LOGS, "the log lines of its request id"},
	{'y', A_COPY, "copy its request id"},
	{'r', A_RELOAD, "read the audit log again"},
};

static const struct tt_keymap keymap = {"Audit log", binds, sizeof(binds) / sizeof(binds[0])};
const struct tt_keymap *const tt_keymap_audit = &keymap;

static struct audit_view *AV(struct tt_view *v)
{
	return (struct audit_view *)v;
}

static const char *str(json_t *rec, const char *name)
{
	const char *s = json_string_value(json_object_get(rec, name));

	return s ? s : "";
}

/* Row 0 is the newest: the file holds them oldest first. */
static const struct tt_audit_entry *entry_at(const struct audit_view *a, size_t row)
{
	if (row >= a->entries.n)
		return NULL;
	return &a->entries.items[a->entries.n - 1 - row];
}

static void update_status(struct audit_view *a)
{
	size_t open = 0;

	for (size_t i = 0; i < a->entries.n; i++)
		open += a->entries.items[i].result == NULL;
	snprintf(a->status, sizeof(a->status), "%zu action%s, %zu without result%s%zu bad line%s | %s", a->entries.n,
		 a->entries.n == 1 ? "" : "s", open, a->entries.bad_lines ? ", " : "",
		 a->entries.bad_lines, a->entries.bad_lines == 1 ? "" : "s", a->path ? a->path : "(no path)");
	if (!a->entries.bad_lines) /* drop the "0 bad lines" part */
		snprintf(a->status, sizeof(a->status), "%zu action%s, %zu without result | %s", a->entries.n,
			 a->entries.n == 1 ? "" : "s", open, a->path ? a->path : "(no path)");
	snprintf(a->empty, sizeof(a->empty), "no actions recorded yet (%s)", a->path ? a->path : "no path");
}

static bool file_stat(const struct audit_view *a, off_t *size, struct timespec *mtime)
{
	struct stat st;

	if (!a->path || stat(a->path, &st))
		return false;
	*size = st.st_size;
	*mtime = st.st_mtim;
	return true;
}

static void reload(struct audit_view *a)
{
	struct tt_err err;

	tt_audit_entries_clear(&a->entries);
	a->error[0] = 0;
	if (a->path && tt_audit_load(a->path, 0, &a->entries, &err)) {
		memset(&a->entries, 0, sizeof(a->entries));
		tt_err_format(&err, a->error, sizeof(a->error));
	}
	if (!file_stat(a, &a->size, &a->mtime)) {
		a->size = -1;
		memset(&a->mtime, 0, sizeof(a->mtime));
	}
	a->loaded = true;
	tt_table_set_rows(&a->list, a->entries.n);
	update_status(a);
	a->base.dirty = true;
}

/* "200", "200 Unhandled: TypeError", "error: ...", "! no result (interrupted?)". */
static const char *outcome(struct audit_view *a, const struct tt_audit_entry *e)
{
	json_t *res = e->result, *err = json_object_get(res, "error");

	if (!res)
		snprintf(a->cell, sizeof(a->cell), "! no result (interrupted?)");
	else if (err)
		snprintf(a->cell, sizeof(a->cell), "error: %s%s%s%s", str(err, "message"), *str(err, "code") ? " (" : "",
			 str(err, "code"), *str(err, "code") ? ")" : "");
	else if (*str(res, "function_error"))
		snprintf(a->cell, sizeof(a->cell), "%lld %s%s%s",
			 (long long)json_integer_value(json_object_get(res, "status")), str(res, "function_error"),
			 *str(res, "error_type") ? ": " : "", str(res, "error_type"));
	else
		snprintf(a->cell, sizeof(a->cell), "%lld", (long long)json_integer_value(json_object_get(res, "status")));
	return a->cell;
}

enum { C_TIME, C_KIND, C_FUNCTION, C_TYPE, C_OUTCOME, C_REQUEST };

/* At 80 columns the kind and type give way: the function, the outcome and
 * the request id are what one looks for. The ids say which is which. */
static const struct tt_table_col wide_cols[] = {
	{"TIME (UTC)", 19, false}, {"KIND", 6, false},    {"FUNCTION", 0, false},
	{"TYPE", 15, false},       {"OUTCOME", 0, false}, {"REQUEST ID", 36, false},
};
static const int wide_ids[] = {C_TIME, C_KIND, C_FUNCTION, C_TYPE, C_OUTCOME, C_REQUEST};
static const struct tt_table_col narrow_cols[] = {
	{"TIME (UTC)", 19, false}, {"FUNCTION", 0, false}, {"OUTCOME", 0, false}, {"REQUEST ID", 0, false}};
static const int narrow_ids[] = {C_TIME, C_FUNCTION, C_OUTCOME, C_REQUEST};

#define WIDE_MIN 120

/* "2026-12-06 03:40:00": the milliseconds tell nothing here. */
static const char *short_time(struct audit_view *a, int64_t ms)
{
	char iso[25];

	tt_audit_time(ms, iso);
	iso[10] = ' ';
	iso[19] = 0;
	snprintf(a->cell, sizeof(a->cell), "%s", iso);
	return a->cell;
}

static const char *action_cell(void *ctx, size_t row, size_t col, struct tt_style *st)
{
	struct audit_view *a = ctx;
	const struct tt_audit_entry *e = entry_at(a, row);
	json_t *in;

	if (!e)
		return NULL;
	in = e->intent;
	if (!e->result || json_object_get(e->result, "error") || *str(e->result, "function_error"))
		*st = tt_style_warn();
	switch (a->wide ? wide_ids[col] : narrow_ids[col]) {
	case C_TIME: return short_time(a, e->time_ms);
	case C_KIND: return str(in, "action");
	case C_FUNCTION:
		if (!*str(in, "qualifier"))
			return str(in, "function");
		snprintf(a->cell, sizeof(a->cell), "%s (%s)", str(in, "function"), str(in, "qualifier"));
		return a->cell;
	case C_TYPE: return str(in, "invocation_type");
	case C_OUTCOME: return outcome(a, e);
	case C_REQUEST: return e->result ? str(e->result, "request_id") : "";
	default: return NULL;
	}
}

/* The JSON of rec, indented, one canvas row per line, from row y; returns
 * the next free row. Control bytes in strings are escaped by jansson and,
 * whatever is left, sanitized by the canvas. */
static int draw_json(struct tt_canvas *c, int y, int end, const char *label, json_t *rec)
{
	json_t *shown = json_deep_copy(rec);
	char *text;
	const char *p;

	/* The id only ties the two records together; the label says which. */
	json_object_del(shown, "id");
	json_object_del(shown, "record");
	text = shown ? json_dumps(shown, JSON_INDENT(2) | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER) : NULL;
	json_decref(shown);
	p = text ? text : "null";

	if (y < end)
		tt_canvas_text(c, 0, y++, c->w, label, tt_style_header());
	while (*p && y < end) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		tt_canvas_textn(c, 2, y++, c->w - 2, p, len, tt_style_plain());
		p += len + (nl != NULL);
	}
	free(text);
	return y;
}

static void draw_detail(struct audit_view *a, struct tt_canvas *c, int y, int end)
{
	const struct tt_audit_entry *e = entry_at(a, a->list.sel);

	if (!e || y >= end)
		return;
	y = draw_json(c, y, end, "INTENT", e->intent);
	if (!e->result) {
		if (y < end)
			tt_canvas_text(c, 0, y, c->w, "RESULT: ! none written (interrupted?): the request may or may not have "
				       "reached AWS", tt_style_warn());
		return;
	}
	draw_json(c, y, end, "RESULT", e->result);
}

static void audit_draw(struct tt_view *v, struct tt_canvas *c, int y, int h)
{
	struct audit_view *a = AV(v);
	char title[160];
	int rows, body;

	if (h < 1)
		return;
	snprintf(title, sizeof(title), "AUDIT LOG: INVOKES AND REPLAYS (%zu)", a->entries.n);
	tt_canvas_text(c, 0, y, c->w, title, tt_style_header());
	if (h < 4)
		return;
	tt_canvas_text(c, 0, y + 1, c->w, "Enter details, L logs, y copy request id, r reload; Esc goes back",
		       tt_style_dim());
	body = y + 2;
	if (a->error[0]) {
		char line[700];
		snprintf(line, sizeof(line), "! cannot read the audit log: %s", a->error);
		tt_canvas_text(c, 0, body++, c->w, line, tt_style_warn());
	}
	rows = y + h - body;
	/* The records are long: the detail takes two thirds, the list keeps
	 * enough rows to move the selection. */
	if (a->detail && a->entries.n && rows > 9) {
		int list = (int)a->entries.n + 1 < rows / 3 ? (int)a->entries.n + 1 : rows / 3;
		rows = list < 3 ? 3 : list;
	}
	/* Not tt_table_init: that would lose the selection. */
	a->wide = c->w >= WIDE_MIN;
	a->list.cols = a->wide ? wide_cols : narrow_cols;
	a->list.ncols = a->wide ? sizeof(wide_cols) / sizeof(wide_cols[0]) : sizeof(narrow_cols) / sizeof(narrow_cols[0]);
	tt_table_set_rows(&a->list, a->entries.n);
	tt_table_draw(&a->list, c, 0, body, c->w, rows, action_cell, a, a->error[0] ? NULL : a->empty);
	if (a->detail && a->entries.n)
		draw_detail(a, c, body + rows, y + h);
}

static void open_logs(struct audit_view *a, int64_t now_ms)
{
	const struct tt_view_env *env = a->base.env;
	const struct tt_audit_entry *e = entry_at(a, a->list.sel);
	const char *fn, *rid, *groups[1];
	struct tt_view_logs_opts opts;
	char title[300], *group;

	if (!e)
		return;
	rid = e->result ? str(e->result, "request_id") : "";
	fn = str(e->intent, "function");
	if (!*rid) {
		env->message(env->con, "no request id for that action");
		return;
	}
	if (a->snap) {
		env->push(env->con, tt_view_function_logs(env, a->snap, fn, rid));
		return;
	}
	/* No snapshot: the function's default log group. The logs start a
	 * little before the action, whenever it was. */
	group = tt_lambda_log_group_for(fn, NULL);
	groups[0] = group;
	memset(&opts, 0, sizeof(opts));
	tt_tail_io_aws(&opts.io, env->aws);
	opts.request_id = rid;
	opts.since_ms = e->time_ms - 60 * 1000;
	snprintf(title, sizeof(title), "logs %s %s", fn, rid);
	env->push(env->con, tt_view_logs_new(env, groups, 1, title, &opts, now_ms));
	free(group);
}

static int audit_key(struct tt_view *v, int key, int64_t now_ms)
{
	struct audit_view *a = AV(v);
	const struct tt_audit_entry *e;
	int action = tt_keymap_action(&keymap, key);

	tt_table_set_rows(&a->list, a->entries.n);
	if (tt_nav_of(action, A_NAV) >= 0) {
		tt_table_key(&a->list, tt_nav_key(tt_nav_of(action, A_NAV)));
		v->dirty = true;
		return TT_VIEW_HANDLED;
	}
	switch (action) {
	case A_DETAIL: a->detail = !a->detail; break;
	case A_LOGS: open_logs(a, now_ms); return TT_VIEW_HANDLED;
	case A_COPY:
		e = entry_at(a, a->list.sel);
		if (e && e->result && *str(e->result, "request_id"))
			v->env->copy(v->env->con, str(e->result, "request_id"));
		else
			v->env->message(v->env->con, "no request id for that action");
		break;
	case A_RELOAD: reload(a); break;
	default: return TT_VIEW_IGNORED;
	}
	v->dirty = true;
	return TT_VIEW_HANDLED;
}

/* Reads the file again when it changed: another tiertop, or this console's
 * own invokes, append to it. */
static void audit_tick(struct tt_view *v, int64_t now_ms)
{
	struct audit_view *a = AV(v);
	struct timespec mtime = {0, 0};
	off_t size = -1;

	if (!a->loaded) {
		reload(a);
		a->checked_ms = now_ms;
		return;
	}
	if (now_ms - a->checked_ms < 1000 && now_ms >= a->checked_ms)
		return;
	a->checked_ms = now_ms;
	file_stat(a, &size, &mtime);
	if (size != a->size || mtime.tv_sec != a->mtime.tv_sec || mtime.tv_nsec != a->mtime.tv_nsec)
		reload(a);
}

static long audit_deadline(struct tt_view *v, int64_t now_ms)
{
	struct audit_view *a = AV(v);
	int64_t left = a->checked_ms + 1000 - now_ms;

	return left < 0 ? 0 : (long)left;
}

static const char *audit_crumb(const struct tt_view *v)
{
	(void)v;
	return "audit";
}

static const char *audit_status(const struct tt_view *v)
{
	return ((const struct audit_view *)v)->status;
}

static void audit_free(struct tt_view *v)
{
	struct audit_view *a = AV(v);

	tt_audit_entries_clear(&a->entries);
	free(a->path);
	free(a);
}

static const struct tt_view_ops ops = {
	.kind = "audit",
	.crumb = audit_crumb,
	.draw = audit_draw,
	.key = audit_key,
	.tick = audit_tick,
	.deadline = audit_deadline,
	.status = audit_status,
	.free = audit_free,
	.keymap = &keymap,
};

struct tt_view *tt_view_audit_new(const struct tt_view_env *env, struct tt_snapshot *snap, const char *path)
{
	struct audit_view *a = tt_xcalloc(1, sizeof(*a));
	struct tt_err err;

	a->base.ops = &ops;
	a->base.env = env;
	a->base.dirty = true;
	a->snap = snap;
	tt_table_init(&a->list, narrow_cols, sizeof(narrow_cols) / sizeof(narrow_cols[0]));
	a->path = path ? tt_xstrdup(path) : tt_audit_default_path(&err);
	if (!a->path)
		tt_err_format(&err, a->error, sizeof(a->error));
	reload(a);
	return &a->base;
}
