/* A function drill-down: its configuration (one GetFunctionConfiguration;
 * environment variable names only, never values), what triggers it and the
 * tables it uses (the wiring), its metrics as charts, and its recent
 * invocations read from the REPORT lines of its log group (a tail model
 * following a filter pattern), cold starts, retries, memory near the size
 * and timeouts marked. Enter on an
 * invocation opens every log line of that request id; L opens the
 * function's logs, e its errors. When an API with access logging routes
 * to the function, its access-log group is followed too (one
 * FilterLogEvents per poll, as gently as the REPORT lines), and each
 * invocation shows the access-log line that led to it, matched on the
 * integration request id the line records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tiertop/access_log.h"
#include "tiertop/keys.h"
#include "tiertop/svc_apigw.h"
#include "tiertop/logbuf.h"
#include "tiertop/svc_lambda.h"
#include "tiertop/tail.h"
#include "tiertop/view_logs.h"
#include "tiertop/views.h"
#include "tiertop/xalloc.h"

#define MAX_INVOCATIONS 200
/* The REPORT follow is background work: poll it gently (FilterLogEvents
 * has a quota of 5 per second for the whole account and region). */
#define REPORT_POLL_MS 5000
#define REPORT_LOOKBACK_MS (60 * 60 * 1000)
/* Access lines kept for matching: the API may route to other functions,
 * whose lines share the group, so keep several times the invocations. */
#define MAX_ACCESS_LINES 1000
#define MAX_ACCESS_GROUPS 8
#define ERROR_PATTERN "?ERROR ?Error ?Exception ?\"Task timed out\""

struct pending {
	struct function_view *view;
};

struct invocation {
	int64_t time_ms;
	struct tt_lambda_report r;
	int retry; /* 0, or n for the nth REPORT of a request id seen before (an async retry) */
};

struct function_view {
	struct tt_view base;
	struct tt_snapshot *snap;
	char *name;
	char *log_group;
	char crumb[200];
	char status[128];
	struct tt_lambda_function config;
	bool have_config;
	struct tt_err config_err;
	bool config_failed;
	struct pending *pending;
	struct tt_tail *reports;
	struct invocation inv[MAX_INVOCATIONS]; /* ring, newest at inv[(head - 1) % MAX] */
	size_t ninv, head;
	size_t sel;
	int shown; /* invocation rows at the last draw (a page) */
	char tail_note[200];
	/* The access logs of the API stages that route here (none: no tail). */
	char *access_groups[MAX_ACCESS_GROUPS];
	size_t naccess_groups;
	struct tt_tail *access;
	struct tt_access_index *access_lines;
	char access_note[200];
};

enum { A_NAV = 1, A_OPEN = A_NAV + TT_NAV_COUNT, A_LOGS, A_ERRORS, A_LIVE, A_COPY, A_INVOKE };

static const struct tt_keybind binds[] = {
	TT_NAV_BINDS(A_NAV, "invocation", "invocations"),
	{TT_KEY_ENTER, A_OPEN, "every log line of the invocation"},
	{'L', A_LOGS, "the function's logs (follow)"},
	{'e', A_ERRORS, "the function's errors"},
	{'T', A_LIVE, "the function's logs with Live Tail"},
	{'y', A_COPY, "copy the invocation's request id"},
	{'i', A_INVOKE, "invoke the function (payload editor, asks to confirm)"}, /* editor: view_invoke.c */
};

static const struct tt_keymap keymap = {"Function", binds, sizeof(binds) / sizeof(binds[0])};
const struct tt_keymap *const tt_keymap_function = &keymap;

static struct function_view *F(struct tt_view *v)
{
	return (struct function_view *)v;
}

/* --- the configuration --------------------------------------------------------------- */

static void on_config(void *ctx, struct tt_lambda_function *fn, const struct tt_err *err)
{
	struct pending *p = ctx;
	struct function_view *f = p->view;

	free(p);
	if (!f)
		return;
	f->pending = NULL;
	if (err) {
		f->config_failed = true;
		f->config_err = *err;
	} else {
		/* Moved out, as svc_lambda.h says; values are never shown. */
		f->config = *fn;
		memset(fn, 0, sizeof(*fn));
		f->have_config = true;
	}
	f->base.dirty = true;
}

static void fetch_config(struct function_view *f)
{
	struct pending *p = tt_xcalloc(1, sizeof(*p));

	p->view = f;
	f->pending = p;
	if (tt_lambda_get_function_configuration(f->base.env->aws, f->name, NULL, on_config, p, &f->config_err)) {
		free(p);
		f->pending = NULL;
		f->config_failed = true;
	}
}

/* --- recent invocations ------------------------------------------------------------------ */

/* Lambda retries an asynchronous invocation under the same request id:
 * one REPORT line more for the id each time. */
static int retry_of(const struct function_view *f, const struct invocation *in)
{
	int retry = 0;

	for (size_t i = 0; i < f->ninv; i++) {
		const struct invocation *old = &f->inv[i];
		if (old != in && strcmp(old->r.request_id, in->r.request_id) == 0 && old->retry + 1 > retry)
			retry = old->retry + 1;
	}
	return retry;
}

static void on_report(void *ctx, const struct tt_tail_event *ev)
{
	struct function_view *f = ctx;
	struct invocation *in = &f->inv[f->head];

	if (tt_logbuf_parse_report(ev->message, ev->message_len, &in->r))
		return;
	in->time_ms = ev->timestamp_ms;
	in->retry = in->r.request_id[0] ? retry_of(f, in) : 0;
	f->head = (f->head + 1) % MAX_INVOCATIONS;
	if (f->ninv < MAX_INVOCATIONS)
		f->ninv++;
	f->base.dirty = true;
}

static void on_note(void *ctx, enum tt_tail_note note, const char *text)
{
	struct function_view *f = ctx;

	if (note == TT_TAIL_NOTE_BACKOFF || note == TT_TAIL_NOTE_WARNING)
		snprintf(f->tail_note, sizeof(f->tail_note), "%s", text ? text : "retrying");
	else if (note == TT_TAIL_NOTE_RECOVERED)
		f->tail_note[0] = 0;
	f->base.dirty = true;
}

static void start_reports(struct function_view *f, int64_t now_ms)
{
	struct tt_tail_io io;
	const char *groups[1] = {f->log_group};
	struct tt_tail_opts opts = {groups, 1, now_ms - REPORT_LOOKBACK_MS, 0, "\"REPORT RequestId\"", true, false,
				    REPORT_POLL_MS, 0, 0, -1};
	static const struct tt_tail_sink sink = {on_report, on_note};

	tt_tail_io_aws(&io, f->base.env->aws);
	f->reports = tt_tail_new(&opts, &io, &sink, f);
}

/* --- access-log lines of the API stages that route here -------------------------------------- */

static void add_access_group(struct function_view *f, const char *arn)
{
	char *group = tt_apigw_access_log_group(arn);

	for (size_t i = 0; group && i < f->naccess_groups; i++)
		if (strcmp(f->access_groups[i], group) == 0) {
			free(group);
			return;
		}
	if (group && f->naccess_groups < MAX_ACCESS_GROUPS)
		f->access_groups[f->naccess_groups++] = group;
	else
		free(group);
}

/* Every stage (with CloudWatch access logs) of every API with a route to
 * this function: an invocation may have come through any of them. */
static void find_access_groups(struct function_view *f)
{
	const struct tt_stack *st = tt_snapshot_stack(f->snap);

	for (size_t a = 0; st && a < st->napis; a++) {
		const struct tt_stack_api *api = &st->apis[a];
		bool routes_here = false;

		for (size_t k = 0; k < api->nroutes && !routes_here; k++)
			routes_here = strcmp(api->routes[k].function, f->name) == 0;
		for (size_t k = 0; routes_here && api->access_log_arns && k < api->nstages; k++)
			add_access_group(f, api->access_log_arns[k]);
	}
}

static void on_access(void *ctx, const struct tt_tail_event *ev)
{
	struct function_view *f = ctx;
	struct tt_access_line line;

	if (tt_access_log_parse(ev->message, ev->message_len, ev->timestamp_ms, &line) == 0 &&
	    line.lambda_request_id[0]) {
		tt_access_index_add(f->access_lines, &line);
		f->base.dirty = true;
	}
}

static void on_access_note(void *ctx, enum tt_tail_note note, const char *text)
{
	struct function_view *f = ctx;

	if (note == TT_TAIL_NOTE_BACKOFF || note == TT_TAIL_NOTE_WARNING)
		snprintf(f->access_note, sizeof(f->access_note), "%s", text ? text : "retrying");
	else if (note == TT_TAIL_NOTE_RECOVERED)
		f->access_note[0] = 0;
	f->base.dirty = true;
}

/* Over the same window and at the same pace as the REPORT lines: one
 * FilterLogEvents a poll, no sweeps for late lines (late_ms -1). */
static void start_access(struct function_view *f, int64_t now_ms)
{
	struct tt_tail_io io;
	struct tt_tail_opts opts = {(const char *const *)f->access_groups, f->naccess_groups,
				    now_ms - REPORT_LOOKBACK_MS, 0, NULL, true, false, REPORT_POLL_MS, 0, 0, -1};
	static const struct tt_tail_sink sink = {on_access, on_access_note};

	find_access_groups(f);
	if (!f->naccess_groups)
		return;
	opts.ngroups = f->naccess_groups;
	f->access_lines = tt_access_index_new(MAX_ACCESS_LINES);
	tt_tail_io_aws(&io, f->base.env->aws);
	f->access = tt_tail_new(&opts, &io, &sink, f);
}

static const struct tt_access_line *access_of(const struct function_view *f, const struct invocation *in)
{
	return f->access_lines ? tt_access_index_find(f->access_lines, in->r.request_id) : NULL;
}

/* i = 0 is the newest. */
static const struct invocation *invocation(const struct function_view *f, size_t i)
{
	return i < f->ninv ? &f->inv[(f->head + MAX_INVOCATIONS - 1 - i) % MAX_INVOCATIONS] : NULL;
}

/* --- drawing ----------------------------------------------------------------------------------- */

static const struct tt_stack_function *stack_function(const struct function_view *f)
{
	const struct tt_stack *st = tt_snapshot_stack(f->snap);

	for (size_t i = 0; st && i < st->nfunctions; i++)
		if (strcmp(st->functions[i].name, f->name) == 0)
			return &st->functions[i];
	return NULL;
}

static void config_line(const struct function_view *f, char *out, size_t size)
{
	const struct tt_lambda_function *c = &f->config;
	const struct tt_stack_function *sf = stack_function(f);

	if (f->have_config)
		snprintf(out, size, "%s %s, %ld MB, timeout %ld s, %s, modified %s", *c->runtime ? c->runtime : "image",
			 c->architecture, c->memory_mb, c->timeout_s, *c->state ? c->state : "state ?",
			 c->last_modified);
	else if (sf)
		snprintf(out, size, "%s, %ld MB, timeout %ld s%s", sf->runtime, sf->memory_mb, sf->timeout_s,
			 f->config_failed ? "" : " (describing...)");
	else
		snprintf(out, size, "(not in the snapshot)");
}

static void env_line(const struct function_view *f, char *out, size_t size)
{
	int n = snprintf(out, size, "environment:");

	if (!f->have_config) {
		snprintf(out + n, size - (size_t)n, " %.900s", f->config_failed ? f->config_err.message : "...");
		return;
	}
	for (size_t i = 0; i < f->config.nenv && n > 0 && (size_t)n < size; i++)
		n += snprintf(out + n, size - (size_t)n, "%s%s", i ? ", " : " ", f->config.env[i].name);
	if (!f->config.nenv)
		snprintf(out + n, size - (size_t)n, " (none)");
}

/* "POST /feedback (feedback-api) -> fn -> Feedback (env TABLE_NAME)" */
static void wiring_line(const struct function_view *f, char *out, size_t size)
{
	const struct tt_stack *st = tt_snapshot_stack(f->snap);
	const struct tt_stack_function *sf = stack_function(f);
	int n = snprintf(out, size, "triggers:");
	bool any = false;

	for (size_t a = 0; st && a < st->napis; a++)
		for (size_t k = 0; k < st->apis[a].nroutes && n > 0 && (size_t)n < size; k++)
			if (strcmp(st->apis[a].routes[k].function, f->name) == 0) {
				n += snprintf(out + n, size - (size_t)n, " %s (%s)", st->apis[a].routes[k].route,
					      st->apis[a].name);
				any = true;
			}
	for (size_t k = 0; sf && k < sf->ntables && n > 0 && (size_t)n < size; k++)
		if (strcmp(sf->tables[k].via, "event source") == 0) {
			n += snprintf(out + n, size - (size_t)n, " stream of %s", sf->tables[k].table);
			any = true;
		}
	if (!any && n > 0 && (size_t)n < size)
		n += snprintf(out + n, size - (size_t)n, " (none known)");
	if (n > 0 && (size_t)n < size)
		n += snprintf(out + n, size - (size_t)n, " | tables:");
	any = false;
	for (size_t k = 0; sf && k < sf->ntables && n > 0 && (size_t)n < size; k++)
		if (strcmp(sf->tables[k].via, "event source") != 0) {
			n += snprintf(out + n, size - (size_t)n, " %s (%s)", sf->tables[k].table, sf->tables[k].via);
			any = true;
		}
	if (!any && n > 0 && (size_t)n < size)
		snprintf(out + n, size - (size_t)n, " (none known)");
}

/* Memory used from this share of the size on is flagged: the next larger
 * payload may be killed for memory (Runtime.OutOfMemory). */
#define MEMORY_NEAR_LIMIT 0.9

static bool near_memory_limit(const struct tt_lambda_report *r)
{
	return r->memory_mb > 0 && (double)r->max_memory_mb >= MEMORY_NEAR_LIMIT * (double)r->memory_mb;
}

static void invocation_line(const struct invocation *in, char *out, size_t size)
{
	time_t t = (time_t)(in->time_ms / 1000);
	struct tm tm;
	char when[16], mem[24] = "", retry[24] = "";

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	if (near_memory_limit(&in->r))
		snprintf(mem, sizeof(mem), "MEM %.0f%% ", 100.0 * (double)in->r.max_memory_mb / (double)in->r.memory_mb);
	if (in->retry)
		snprintf(retry, sizeof(retry), "retry %d ", in->retry);
	snprintf(out, size, "%s  %-36s %9.1f %7.0f %4ld/%-4ld %s%s%s%s", when, in->r.request_id, in->r.duration_ms,
		 in->r.billed_ms, in->r.max_memory_mb, in->r.memory_mb, in->r.cold_start ? "cold " : "", retry, mem,
		 in->r.timeout ? "TIMEOUT" : "");
}

/* What the selected invocation's access-log line says, on the list's last row. */
static void draw_access_detail(const struct function_view *f, struct tt_canvas *c, int y)
{
	const struct invocation *in = invocation(f, f->sel);
	const struct tt_access_line *al = in ? access_of(f, in) : NULL;
	char line[512], summary[300];
	struct tt_err err;

	if (tt_tail_status(f->access, &err) < 0 || f->access_note[0]) {
		snprintf(line, sizeof(line), "access log: %.400s", f->access_note[0] ? f->access_note : err.message);
		tt_canvas_text(c, 0, y, c->w, line, tt_style_warn());
		return;
	}
	if (!in)
		return;
	if (al) {
		tt_access_log_summary(al, summary, sizeof(summary));
		snprintf(line, sizeof(line), "via API Gateway: %s, request %s", summary, al->request_id);
	} else {
		snprintf(line, sizeof(line), "via API Gateway: no access-log line for this request (%s)",
			 f->access_groups[0]);
	}
	tt_canvas_text(c, 0, y, c->w, line, al ? tt_style_plain() : tt_style_dim());
}

static void draw_invocations(struct function_view *f, struct tt_canvas *c, int y, int h)
{
	char line[512], summary[300];

	if (h < 2)
		return;
	snprintf(line, sizeof(line), "RECENT INVOCATIONS (UTC; %s)%s%s", f->log_group, f->tail_note[0] ? ": " : "",
		 f->tail_note);
	tt_canvas_text(c, 0, y, c->w, line, f->tail_note[0] ? tt_style_warn() : tt_style_header());
	tt_canvas_text(c, 0, y + 1, c->w, "time      request id                            duration  billed  mem/size", tt_style_dim());
	if (!f->ninv)
		tt_canvas_text(c, 2, y + 2, c->w - 2, "(no REPORT line in the last hour yet)", tt_style_dim());
	if (f->sel >= f->ninv)
		f->sel = f->ninv ? f->ninv - 1 : 0;
	if (f->access && h >= 5) {
		draw_access_detail(f, c, y + h - 1);
		h--;
	}
	f->shown = h - 2;
	size_t top = f->sel >= (size_t)(h - 2) ? f->sel - (size_t)(h - 3) : 0;
	for (int i = 0; i + 2 < h && top + (size_t)i < f->ninv; i++) {
		const struct invocation *in = invocation(f, top + (size_t)i);
		struct tt_style st = in->r.timeout		 ? tt_style_alarm()
				     : near_memory_limit(&in->r) ? tt_style_warn()
								 : tt_style_plain();
		const struct tt_access_line *al = access_of(f, in);
		invocation_line(in, line, sizeof(line));
		/* Wide enough, every row shows its request's access line too. */
		if (al && c->w >= 120) {
			size_t n = strlen(line);
			tt_access_log_summary(al, summary, sizeof(summary));
			snprintf(line + n, sizeof(line) - n, "%*s%s", n < 98 ? (int)(98 - n) : 1, "", summary);
		}
		tt_canvas_text(c, 0, y + 2 + i, c->w, line, st);
		if (top + (size_t)i == f->sel)
			tt_canvas_restyle(c, 0, y + 2 + i, c->w, 1, tt_style_selected());
	}
}

static void function_draw(struct tt_view *v, struct tt_canvas *c, int y, int h)
{
	struct function_view *f = F(v);
	char line[1024];
	int row = y, chart_h = h >= 40 ? 3 : 2, grid;

	config_line(f, line, sizeof(line));
	tt_canvas_text(c, 0, row++, c->w, line, tt_style_plain());
	env_line(f, line, sizeof(line));
	tt_canvas_text(c, 0, row++, c->w, line, tt_style_plain());
	wiring_line(f, line, sizeof(line));
	tt_canvas_text(c, 0, row++, c->w, line, tt_style_plain());
	/* Charts take half of what is left; invocations the rest. */
	grid = tt_draw_metric_grid(c, row, (h - 3) / 2 + 1, f->snap,
				   tt_snapshot_find(f->snap, TT_RES_FUNCTION, f->name, NULL), chart_h);
	row += grid;
	draw_invocations(f, c, row, y + h - row);
}

/* --- driving the tail ---------------------------------------------------------------------------- */

static void function_clock(struct tt_view *v, int64_t now_ms)
{
	if (F(v)->reports)
		tt_tail_clock(F(v)->reports, now_ms);
	if (F(v)->access)
		tt_tail_clock(F(v)->access, now_ms);
}

/* The first tick starts the calls: a view costs nothing until the loop
 * runs it. */
static void function_tick(struct tt_view *v, int64_t now_ms)
{
	struct function_view *f = F(v);
	struct tt_err err;

	if (!f->reports) {
		fetch_config(f);
		start_reports(f, now_ms);
		start_access(f, now_ms);
	}
	tt_tail_tick(f->reports, now_ms);
	if (f->access)
		tt_tail_tick(f->access, now_ms);
	if (tt_tail_status(f->reports, &err) < 0 && !f->tail_note[0]) {
		snprintf(f->tail_note, sizeof(f->tail_note), "%.190s", err.message);
		v->dirty = true;
	}
}

static long function_deadline(struct tt_view *v, int64_t now_ms)
{
	struct function_view *f = F(v);
	long d, a;

	if (!f->reports)
		return 0;
	d = tt_tail_next_deadline(f->reports, now_ms);
	a = f->access ? tt_tail_next_deadline(f->access, now_ms) : -1;
	return a >= 0 && (d < 0 || a < d) ? a : d;
}

/* --- keys ------------------------------------------------------------------------------------------ */

static int function_key(struct tt_view *v, int key, int64_t now_ms)
{
	struct function_view *f = F(v);
	const struct invocation *in = invocation(f, f->sel);
	int action = tt_keymap_action(&keymap, key);

	(void)now_ms;
	if (tt_nav_of(action, A_NAV) >= 0) {
		f->sel = tt_nav_move(tt_nav_of(action, A_NAV), f->sel, f->ninv, f->shown);
		v->dirty = true;
		return TT_VIEW_HANDLED;
	}
	switch (action) {
	case A_OPEN:
		if (in)
			v->env->push(v->env->con, tt_view_function_logs(v->env, f->snap, f->name, in->r.request_id));
		break;
	case A_LOGS: v->env->push(v->env->con, tt_view_function_logs(v->env, f->snap, f->name, NULL)); break;
	case A_ERRORS: v->env->push(v->env->con, tt_view_function_errors(v->env, f->snap, f->name)); break;
	case A_LIVE: v->env->push(v->env->con, tt_view_function_live(v->env, f->snap, f->name)); break;
	case A_COPY:
		if (in)
			v->env->copy(v->env->con, in->r.request_id);
		break;
	case A_INVOKE: v->env->push(v->env->con, tt_view_invoke_new(v->env, f->snap, f->name, NULL)); break; /* editor */
	default: return TT_VIEW_IGNORED;
	}
	v->dirty = true;
	return TT_VIEW_HANDLED;
}

static const char *function_crumb(const struct tt_view *v)
{
	return ((const struct function_view *)v)->crumb;
}

static const char *function_status(const struct tt_view *v)
{
	const struct function_view *f = (const struct function_view *)v;

	return f->ninv ? "Enter: the invocation's logs" : NULL;
}

static void function_free(struct tt_view *v)
{
	struct function_view *f = F(v);

	if (f->pending)
		f->pending->view = NULL;
	tt_tail_free(&f->reports);
	tt_tail_free(&f->access);
	tt_access_index_free(&f->access_lines);
	for (size_t i = 0; i < f->naccess_groups; i++)
		free(f->access_groups[i]);
	tt_lambda_function_clear(&f->config);
	free(f->name);
	free(f->log_group);
	free(f);
}

static const struct tt_view_ops ops = {
	.kind = "function",
	.crumb = function_crumb,
	.draw = function_draw,
	.key = function_key,
	.clock = function_clock,
	.tick = function_tick,
	.deadline = function_deadline,
	.status = function_status,
	.free = function_free,
	.keymap = &keymap,
};

char *tt_function_log_group(const struct tt_snapshot *snap, const char *name)
{
	const struct tt_stack *st = tt_snapshot_stack(snap);

	for (size_t i = 0; st && i < st->nfunctions; i++)
		if (strcmp(st->functions[i].name, name) == 0 && st->functions[i].log_group)
			return tt_xstrdup(st->functions[i].log_group);
	return tt_lambda_log_group_for(name, NULL);
}

struct tt_view *tt_view_function_new(const struct tt_view_env *env, struct tt_snapshot *snap, const char *name)
{
	struct function_view *f = tt_xcalloc(1, sizeof(*f));

	f->base.ops = &ops;
	f->base.env = env;
	f->base.dirty = true;
	f->snap = snap;
	f->name = tt_xstrdup(name);
	f->log_group = tt_function_log_group(snap, name);
	snprintf(f->crumb, sizeof(f->crumb), "fn %s", name);
	return &f->base;
}

/* --- the logs views a function opens ------------------------------------------------------------------ */

static struct tt_view *function_logs(const struct tt_view_env *env, struct tt_snapshot *snap, const char *name,
				     const char *request_id, const char *pattern, bool live)
{
	struct tt_view_logs_opts opts;
	char *group = tt_function_log_group(snap, name), title[200];
	const char *groups[1] = {group};
	struct tt_view *v;

	memset(&opts, 0, sizeof(opts));
	tt_tail_io_aws(&opts.io, env->aws);
	opts.request_id = request_id;
	/* An invocation from the list can be up to the list's look-back old. */
	if (request_id)
		opts.since_ms = env->now_ms(env->con) - REPORT_LOOKBACK_MS;
	opts.pattern = pattern;
	opts.live = live;
	snprintf(title, sizeof(title), "logs %s%s%s", name, request_id ? " " : "", request_id ? request_id : "");
	v = tt_view_logs_new(env, groups, 1, title, &opts, env->now_ms(env->con));
	free(group);
	return v;
}

struct tt_view *tt_view_function_logs(const struct tt_view_env *env, struct tt_snapshot *snap, const char *name,
				      const char *request_id)
{
	return function_logs(env, snap, name, request_id, NULL, false);
}

struct tt_view *tt_view_function_errors(const struct tt_view_env *env, struct tt_snapshot *snap, const char *name)
{
	return function_logs(env, snap, name, NULL, ERROR_PATTERN, false);
}

struct tt_view *tt_view_function_live(const struct tt_view_env *env, struct tt_snapshot *snap, const char *name)
{
	return function_logs(env, snap, name, NULL, NULL, true);
}
