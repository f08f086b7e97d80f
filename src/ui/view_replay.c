/* Replaying stored items from the console (issue 8, "Replay"): the batch
 * job of replay_batch.h behind a view. The choices first (function,
 * template and route, sync or async, rate, stop on error), remembered per
 * table; d shows the exact payloads (a dry run: nothing sent); Enter asks
 * for the typed confirmation (the number of items or the function's name),
 * then a progress bar and a row per item as it ends; Enter on a row opens
 * that request's log lines; s (or Ctrl-C, which the console hands to this
 * view while a replay runs) stops between items.
 *
 * The function proposed is the remembered one, else the one the wiring
 * names (tt_replay_default_function: behind the API route that reaches the
 * table, else its stream consumer); f lists the application's functions
 * (how each reaches the table), F takes any name. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiertop/aws.h"
#include "tiertop/buf.h"
#include "tiertop/dialog.h"
#include "tiertop/json_text.h"
#include "tiertop/keys.h"
#include "tiertop/policy.h"
#include "tiertop/replay_batch.h"
#include "tiertop/stack.h"
#include "tiertop/view_logs.h"
#include "tiertop/views.h"
#include "tiertop/xalloc.h"

#define NOTE_MAX 300

enum prompt_kind { P_NONE, P_FUNCTION, P_RATE, P_FILE, P_CONFIRM };

struct replay_view {
	struct tt_view base;
	struct tt_snapshot *snap;
	char *table;
	char **keys;
	size_t nkeys;
	char crumb[200];
	struct tt_replay_io io;
	/* the choices */
	char function[128];
	struct tt_replay_template tpl;
	char tpl_file[256];
	struct tt_replay_routes routes; /* the application's, for the apigw templates */
	char route[128];                /* the route key chosen, "" before there is one */
	enum tt_lambda_invocation type;
	double rate;
	bool stop_on_error;
	/* the application's functions, to pick one (f) */
	bool picking;
	size_t pick;
	int pick_shown; /* functions shown at the last draw (a page) */
	/* a dialog: a choice typed, or the batch's question */
	struct tt_dialog *prompt;
	enum prompt_kind prompt_kind;
	/* the run */
	struct tt_replay_batch *batch;
	bool dry;
	size_t cursor, top;
	int rows_shown;
	char note[NOTE_MAX];
	struct tt_style note_st;
	char status_line[200];
};

enum {
	A_GO = 1,
	A_LOGS,
	A_DRY,
	A_FUNCTION_NEXT,
	A_FUNCTION_TYPE,
	A_TEMPLATE,
	A_TEMPLATE_FILE,
	A_ROUTE,
	A_TYPE,
	A_RATE,
	A_STOP_ON_ERROR,
	A_STOP,
	A_NAV, /* and the next TT_NAV_COUNT - 1: the rows, or the functions while picking */
};

static const struct tt_keybind binds[] = {
	{TT_KEY_ENTER, A_GO, "replay (typed confirmation); again after a replay, with what is chosen now"},
	{'L', A_LOGS, "the cursor row's request: its log lines"},
	{'l', A_LOGS, "the cursor row's request: its log lines"},
	{'d', A_DRY, "dry run: build and show the exact payloads, send nothing"},
	{'f', A_FUNCTION_NEXT, "pick the function from the application's (Enter uses it, Esc keeps)"},
	{'F', A_FUNCTION_TYPE, "type a function's name"},
	{'p', A_TEMPLATE, "template: raw, apigw, apigw2, stream, file"},
	{'@', A_TEMPLATE_FILE, "a template file ({{item}}, {{item_string}})"},
	{'r', A_ROUTE, "the API route of an apigw event (the application's routes)"},
	{'t', A_TYPE, "synchronous or asynchronous"},
	{'R', A_RATE, "rate limit (invocations per second; empty: unlimited)"},
	{'x', A_STOP_ON_ERROR, "stop at the first failure, or go on"},
	{'s', A_STOP, "stop between items (also Ctrl-C while a replay runs)"},
	TT_NAV_BINDS(A_NAV, "item", "items"),
};

static const struct tt_keymap keymap = {"Replay", binds, sizeof(binds) / sizeof(binds[0])};
const struct tt_keymap *const tt_keymap_replay = &keymap;

static struct replay_view *R(struct tt_view *v)
{
	return (struct replay_view *)v;
}

static void set_note(struct replay_view *rv, struct tt_style st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_note(struct replay_view *rv, struct tt_style st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rv->note, sizeof(rv->note), fmt, ap);
	va_end(ap);
	rv->note_st = st;
	rv->base.dirty = true;
}

static const char *kind_name(enum tt_replay_kind k)
{
	switch (k) {
	case TT_REPLAY_RAW: return "raw";
	case TT_REPLAY_APIGW_V1: return "apigw";
	case TT_REPLAY_APIGW_V2: return "apigw2";
	case TT_REPLAY_STREAM: return "stream";
	case TT_REPLAY_FILE: break;
	}
	return "file";
}

static const struct tt_stack *stack_of(const struct replay_view *rv)
{
	return rv->snap ? tt_snapshot_stack(rv->snap) : NULL;
}

static bool running(const struct replay_view *rv)
{
	return rv->batch && !tt_replay_batch_finished(rv->batch);
}

/* Confirmed and sending: what a stop applies to. */
static bool replaying(const struct replay_view *rv)
{
	return rv->batch && tt_replay_batch_state(rv->batch) == TT_BATCH_RUNNING;
}

/* --- the choices ------------------------------------------------------------------------------ */

/* The wiring's function once the discovery has answered, unless one is chosen. */
static void propose_function(struct replay_view *rv)
{
	const char *name;

	if (*rv->function || !(name = tt_replay_default_function(stack_of(rv), rv->table)))
		return;
	snprintf(rv->function, sizeof(rv->function), "%s", name);
	rv->base.dirty = true;
}

static void open_pick(struct replay_view *rv)
{
	const struct tt_stack *st = stack_of(rv);
	size_t i = 0;

	if (!st || !st->nfunctions) {
		set_note(rv, tt_style_warn(), "no function list yet (F: type a name)");
		return;
	}
	while (i < st->nfunctions && strcmp(st->functions[i].name, rv->function) != 0)
		i++;
	rv->pick = i < st->nfunctions ? i : 0;
	rv->picking = true;
}

static void pick_key(struct replay_view *rv, int key)
{
	const struct tt_stack *st = stack_of(rv);
	size_t n = st ? st->nfunctions : 0;
	int nav = tt_nav_of(tt_keymap_action(&keymap, key), A_NAV);

	if (key == TT_KEY_ESC || key == 'q' || !n) {
		rv->picking = false;
	} else if (nav >= 0) {
		rv->pick = tt_nav_move(nav, rv->pick, n, rv->pick_shown);
	} else if (key == TT_KEY_ENTER) {
		snprintf(rv->function, sizeof(rv->function), "%s", st->functions[rv->pick < n ? rv->pick : 0].name);
		rv->picking = false;
		rv->note[0] = '\0';
	}
}

/* How a function reaches the table, for the pick list: "env TABLE", "event source", or "". */
static const char *link_text(const struct tt_stack_function *fn, const char *table)
{
	for (size_t i = 0; i < fn->ntables; i++)
		if (fn->tables[i].table && strcmp(fn->tables[i].table, table) == 0)
			return fn->tables[i].via ? fn->tables[i].via : "";
	return "";
}

static void draw_pick(struct replay_view *rv, struct tt_canvas *c, int y, int h)
{
	const struct tt_stack *st = stack_of(rv);
	const char *wiring = tt_replay_default_function(st, rv->table);
	size_t n = st ? st->nfunctions : 0, top = 0;
	char line[400];

	if (h < 2)
		return;
	snprintf(line, sizeof(line), "FUNCTION for %s: Enter uses it, Esc keeps %s", rv->table,
		 *rv->function ? rv->function : "none");
	tt_canvas_text(c, 0, y, c->w, line, tt_style_header());
	if (h > 2) {
		/* Under the title: what the columns say. */
		snprintf(line, sizeof(line), "  %-28s %-8s %-8s %s", "FUNCTION", "", "", "HOW IT REACHES THE TABLE");
		tt_canvas_text(c, 0, ++y, c->w, line, tt_style_dim());
		h--;
	}
	rv->pick_shown = h - 1;
	if (rv->pick >= top + (size_t)(h - 1))
		top = rv->pick - (size_t)(h - 2);
	for (int i = 0; i + 1 < h && top + (size_t)i < n; i++) {
		const struct tt_stack_function *fn = &st->functions[top + (size_t)i];
		const char *via = link_text(fn, rv->table);
		bool sel = top + (size_t)i == rv->pick;
		snprintf(line, sizeof(line), "  %-28s %-8s %-8s %s", fn->name,
			 wiring && strcmp(wiring, fn->name) == 0 ? "wiring" : "",
			 strcmp(fn->name, rv->function) == 0 ? "chosen" : "", *via ? via : "-");
		tt_canvas_fill(c, 0, y + 1 + i, c->w, 1, ' ', sel ? tt_style_selected() : tt_style_plain());
		tt_canvas_text(c, 0, y + 1 + i, c->w, line, sel ? tt_style_selected() : tt_style_plain());
	}
}

/* The application's routes, and the chosen one kept if it is among them,
 * else the one tt_replay_route_pick proposes for the function. */
static int pick_route(struct replay_view *rv, struct tt_err *err)
{
	size_t index;

	tt_replay_routes_clear(&rv->routes);
	if (stack_of(rv))
		tt_replay_routes_from_stack(stack_of(rv), &rv->routes);
	if (tt_replay_route_pick(&rv->routes, *rv->route ? rv->route : NULL, rv->function, &index, err) &&
	    (!*rv->route || tt_replay_route_pick(&rv->routes, NULL, rv->function, &index, err)))
		return -1;
	snprintf(rv->route, sizeof(rv->route), "%s", rv->routes.items[index].key);
	return 0;
}

static void next_route(struct replay_view *rv)
{
	struct tt_err err;
	size_t i = 0;

	if (!tt_replay_needs_route(rv->tpl.kind)) {
		set_note(rv, tt_style_warn(), "a route goes with the apigw templates (p)");
		return;
	}
	if (pick_route(rv, &err)) {
		set_note(rv, tt_style_alarm(), "%.250s", err.message);
		return;
	}
	while (i < rv->routes.n && strcmp(rv->routes.items[i].key, rv->route) != 0)
		i++;
	snprintf(rv->route, sizeof(rv->route), "%s", rv->routes.items[(i + 1) % rv->routes.n].key);
}

static void next_template(struct replay_view *rv)
{
	static const enum tt_replay_kind order[] = {TT_REPLAY_RAW, TT_REPLAY_APIGW_V1, TT_REPLAY_APIGW_V2,
						    TT_REPLAY_STREAM};
	size_t i = 0;

	while (i < 4 && order[i] != rv->tpl.kind)
		i++;
	if (i == 3 && *rv->tpl_file) {
		/* The file chosen with @ takes its turn again. */
		struct tt_replay_template t;
		struct tt_err err;
		char *arg = tt_xasprintf("@%s", rv->tpl_file);
		if (tt_replay_template_load(arg, &t, &err) == 0) {
			tt_replay_template_clear(&rv->tpl);
			rv->tpl = t;
		} else {
			set_note(rv, tt_style_alarm(), "%.250s", err.message);
			rv->tpl.kind = TT_REPLAY_RAW;
		}
		free(arg);
		return;
	}
	tt_replay_template_clear(&rv->tpl);
	rv->tpl.kind = i >= 3 ? order[0] : order[i + 1];
}

static void set_template_arg(struct replay_view *rv, const char *arg)
{
	struct tt_replay_template t;
	struct tt_err err;

	if (tt_replay_template_load(arg, &t, &err)) {
		set_note(rv, tt_style_alarm(), "%.250s", err.message);
		return;
	}
	tt_replay_template_clear(&rv->tpl);
	rv->tpl = t;
	if (t.kind == TT_REPLAY_FILE)
		snprintf(rv->tpl_file, sizeof(rv->tpl_file), "%s", t.path);
}

static void remember(struct replay_view *rv)
{
	char *tpl = rv->tpl.kind == TT_REPLAY_FILE ? tt_xasprintf("@%s", rv->tpl_file)
						   : tt_xstrdup(kind_name(rv->tpl.kind));
	struct tt_replay_memo m = {rv->function, tpl, tt_replay_needs_route(rv->tpl.kind) ? rv->route : NULL};
	struct tt_err err;

	if (tt_replay_memo_save(rv->table, &m, &err))
		set_note(rv, tt_style_warn(), "replaying; the choice is not remembered: %.200s", err.message);
	free(tpl);
}

/* --- the batch ---------------------------------------------------------------------------------- */

static void on_confirm(void *ctx, struct tt_replay_batch *b, const struct tt_replay_batch_banner *bn)
{
	struct replay_view *rv = ctx;
	char line[600], title[200], hint[200];

	(void)b;
	tt_dialog_free(&rv->prompt);
	snprintf(title, sizeof(title), "Replay %zu items of %s?", bn->nitems, bn->table);
	rv->prompt = tt_dialog_new(title, false);
	rv->prompt_kind = P_CONFIRM;
	snprintf(line, sizeof(line), "account   %s", bn->account);
	tt_dialog_add_line(rv->prompt, line);
	snprintf(line, sizeof(line), "region    %s", bn->region);
	tt_dialog_add_line(rv->prompt, line);
	snprintf(line, sizeof(line), "endpoint  %s", bn->endpoint);
	tt_dialog_add_line(rv->prompt, line);
	snprintf(line, sizeof(line), "function  %s", bn->function_arn);
	tt_dialog_add_line(rv->prompt, line);
	snprintf(line, sizeof(line), "qualifier %s%s%s", bn->qualifier, bn->lookup ? "; lookup " : "",
		 bn->lookup ? bn->lookup : "");
	tt_dialog_add_line(rv->prompt, line);
	snprintf(line, sizeof(line), "template  %s", bn->template_text);
	tt_dialog_add_line(rv->prompt, line);
	snprintf(line, sizeof(line), "type      %s", bn->type_text);
	tt_dialog_add_line(rv->prompt, line);
	if (bn->rate > 0)
		snprintf(line, sizeof(line), "items     %zu, at most %g a second, %s", bn->nitems, bn->rate,
			 bn->stop_on_error ? "stop at the first failure" : "a failure does not stop the others");
	else
		snprintf(line, sizeof(line), "items     %zu, one at a time, %s", bn->nitems,
			 bn->stop_on_error ? "stop at the first failure" : "a failure does not stop the others");
	tt_dialog_add_line(rv->prompt, line);
	snprintf(hint, sizeof(hint), "type %zu or %s, Enter: replay   Esc: do not", bn->nitems, rv->function);
	tt_dialog_set_prompt(rv->prompt, "to go ahead:", hint);
	rv->base.dirty = true;
}

static void on_item(void *ctx, struct tt_replay_batch *b, size_t i, const struct tt_replay_batch_result *r)
{
	struct replay_view *rv = ctx;

	(void)b, (void)i, (void)r;
	rv->base.dirty = true;
}

static void on_done(void *ctx, struct tt_replay_batch *b)
{
	struct replay_view *rv = ctx;
	const struct tt_err *err = tt_replay_batch_error(b);
	size_t done, failed, n = tt_replay_batch_count(b);

	tt_replay_batch_progress(b, &done, &failed);
	if (err)
		set_note(rv, tt_style_alarm(), "%.290s", err->message);
	else if (tt_replay_batch_state(b) == TT_BATCH_DECLINED)
		set_note(rv, tt_style_warn(), "not replayed: nothing was sent");
	else if (rv->dry)
		set_note(rv, failed ? tt_style_warn() : tt_style_ok(), "dry run: %zu payloads built, nothing sent",
			 done - failed);
	else
		set_note(rv, failed ? tt_style_alarm() : tt_style_ok(), "replayed %zu of %zu, %zu failed%s", done, n,
			 failed, tt_replay_batch_stopped(b) && done < n ? " (stopped)" : "");
}

static const struct tt_replay_batch_sink sink = {on_confirm, on_item, on_done};

static void start(struct replay_view *rv, bool dry, int64_t now_ms)
{
	const struct tt_view_env *env = rv->base.env;
	struct tt_err err;
	struct tt_replay_route route;
	bool has_route = false;
	struct tt_replay_batch_opts o = {
	    .table = rv->table,
	    .keys = (const char *const *)rv->keys,
	    .nkeys = rv->nkeys,
	    .tpl = &rv->tpl,
	    .user_agent = "tiertop (console replay)",
	    .rate = rv->rate,
	    .stop_on_error = rv->stop_on_error,
	    .dry_run = dry,
	    .invoke = {.type = rv->type,
		       .region = env->aws ? env->aws->region : NULL,
		       .endpoint = env->endpoint,
		       .policy = env->policy},
	};

	if (running(rv)) {
		set_note(rv, tt_style_warn(), "a replay is running (s stops it)");
		return;
	}
	if (!dry && env->read_only) {
		set_note(rv, tt_style_alarm(), "read-only mode (%s): replay is disabled; nothing was sent",
			 env->policy && env->policy->source_text ? env->policy->source_text : "on");
		return;
	}
	propose_function(rv);
	if (!*rv->function) {
		set_note(rv, tt_style_warn(), "which function? (f: the application's, F: type a name)");
		return;
	}
	if (tt_replay_needs_route(rv->tpl.kind)) {
		if (pick_route(rv, &err)) {
			set_note(rv, tt_style_alarm(), "%.250s", err.message);
			return;
		}
		if (tt_replay_route_parse(rv->route, &route, &err)) {
			set_note(rv, tt_style_alarm(), "%.250s", err.message);
			return;
		}
		has_route = true;
		o.route = &route;
	}
	o.invoke.function = rv->function;
	tt_replay_batch_free(&rv->batch);
	rv->cursor = rv->top = 0;
	rv->dry = dry;
	rv->batch = tt_replay_batch_new(&o, &rv->io, &sink, rv, &err);
	if (has_route)
		tt_replay_route_clear(&route);
	if (!rv->batch) {
		set_note(rv, tt_style_alarm(), "%.250s", err.message);
		return;
	}
	set_note(rv, tt_style_dim(), dry ? "building the payloads..." : "looking up %s...", rv->function);
	tt_replay_batch_start(rv->batch, now_ms, env->now_ms(env->con));
}

static void confirm_key(struct replay_view *rv, int key)
{
	enum tt_dialog_result r = tt_dialog_key(rv->prompt, key);
	struct tt_replay_batch *b = rv->batch;

	if (r == TT_DIALOG_OPEN)
		return;
	if (r == TT_DIALOG_ENTER && !tt_replay_batch_answer_ok(b, tt_dialog_input(rv->prompt))) {
		tt_dialog_clear(rv->prompt);
		set_note(rv, tt_style_warn(), "type %zu or %s to replay (Esc: do not)", tt_replay_batch_count(b),
			 rv->function);
		return;
	}
	tt_dialog_free(&rv->prompt);
	rv->prompt_kind = P_NONE;
	if (r == TT_DIALOG_ENTER) {
		set_note(rv, tt_style_dim(), "replaying...");
		remember(rv);
	}
	/* A no ends the batch at once: on_done runs inside. */
	tt_replay_batch_confirm(b, r == TT_DIALOG_ENTER);
}

/* --- the items' rows ------------------------------------------------------------------------------ */

static size_t nrows(const struct replay_view *rv)
{
	return rv->batch ? tt_replay_batch_count(rv->batch) : rv->nkeys;
}

static struct tt_style status_style(enum tt_replay_item_status s)
{
	switch (s) {
	case TT_ITEM_OK:
	case TT_ITEM_BUILT: return tt_style_ok();
	case TT_ITEM_FUNCTION_ERROR:
	case TT_ITEM_FAILED: return tt_style_alarm();
	case TT_ITEM_RUNNING: return tt_style_warn();
	default: return tt_style_dim();
	}
}

static void draw_row(struct replay_view *rv, struct tt_canvas *c, int y, size_t i)
{
	struct tt_replay_batch_result r = {.status = TT_ITEM_PENDING, .key = rv->keys[i], .function_error = "",
					   .error_type = "", .error_message = "", .request_id = "", .duration_ms = -1};
	struct tt_buf line;
	bool sel = i == rv->cursor;
	struct tt_style st = sel ? tt_style_selected() : tt_style_plain();

	if (rv->batch)
		tt_replay_batch_result(rv->batch, i, &r);
	tt_buf_init(&line, 0);
	tt_buf_printf(&line, "%3zu ", i + 1);
	tt_canvas_fill(c, 0, y, c->w, 1, ' ', st);
	tt_canvas_text(c, 0, y, 4, line.data, st);
	tt_canvas_text(c, 4, y, 15, tt_replay_item_status_text(r.status), sel ? st : status_style(r.status));
	line.len = 0;
	if (r.status == TT_ITEM_BUILT && r.payload) {
		tt_json_compact(r.payload, r.payload_len, &line);
	} else {
		tt_buf_puts(&line, r.key);
		if (*r.request_id)
			tt_buf_printf(&line, "  %s", r.request_id);
		if (r.duration_ms >= 0)
			tt_buf_printf(&line, "  %lld ms", (long long)r.duration_ms);
		if (r.status == TT_ITEM_FUNCTION_ERROR)
			tt_buf_printf(&line, "  %s%s%s", r.error_type, *r.error_type && *r.error_message ? ": " : "",
				      r.error_message);
		else if (r.status == TT_ITEM_FAILED)
			tt_buf_printf(&line, "  %s", r.error_message);
	}
	tt_buf_putc(&line, '\0');
	tt_canvas_text(c, 19, y, c->w - 19, line.data, st);
	tt_buf_clear(&line);
}

/* The cursor row's payload (a dry run) re-indented, or its error, under the rows. */
static void draw_detail(struct replay_view *rv, struct tt_canvas *c, int y, int h)
{
	struct tt_replay_batch_result r;
	struct tt_buf b;
	const char *p, *end;
	int row = y;

	if (!rv->batch || h < 2 || rv->cursor >= nrows(rv))
		return;
	tt_replay_batch_result(rv->batch, rv->cursor, &r);
	if (!r.payload || r.status != TT_ITEM_BUILT)
		return;
	tt_canvas_fill(c, 0, row, c->w, 1, c->utf8 ? 0x2500 : '-', tt_style_dim());
	tt_canvas_text(c, 2, row++, c->w - 2, " PAYLOAD (exactly as it would be sent) ", tt_style_header());
	tt_buf_init(&b, 0);
	tt_json_reindent(r.payload, r.payload_len, 2, &b);
	tt_buf_putc(&b, '\0');
	for (p = b.data; *p && row < y + h; p = *end ? end + 1 : end) {
		end = strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		tt_canvas_textn(c, 0, row++, c->w, p, (size_t)(end - p), tt_style_plain());
	}
	tt_buf_clear(&b);
}

static void draw_progress(struct replay_view *rv, struct tt_canvas *c, int y)
{
	size_t done, failed, n;
	int bar = c->w > 60 ? 30 : 10, fill;
	char text[120];

	if (!rv->batch || tt_replay_batch_state(rv->batch) < TT_BATCH_RUNNING ||
	    tt_replay_batch_state(rv->batch) > TT_BATCH_DONE)
		return;
	tt_replay_batch_progress(rv->batch, &done, &failed);
	n = tt_replay_batch_count(rv->batch);
	fill = n ? (int)((size_t)bar * done / n) : 0;
	tt_canvas_fill(c, 0, y, fill, 1, c->utf8 ? 0x2588 : '#', failed ? tt_style_alarm() : tt_style_ok());
	tt_canvas_fill(c, fill, y, bar - fill, 1, c->utf8 ? 0x2591 : '.', tt_style_dim());
	snprintf(text, sizeof(text), "%zu/%zu done, %zu failed%s", done, n, failed,
		 running(rv) ? (tt_replay_batch_stopped(rv->batch) ? ", stopping" : "") : "");
	tt_canvas_text(c, bar + 1, y, c->w - bar - 1, text, tt_style_plain());
}

static void replay_draw(struct tt_view *v, struct tt_canvas *c, int y, int h)
{
	struct replay_view *rv = R(v);
	char line[768], rate[48];
	int row = y, list_h, detail_h;
	size_t n = nrows(rv);

	if (h < 9)
		return;
	propose_function(rv);
	snprintf(line, sizeof(line), "REPLAY %zu item%s of %s", rv->nkeys, rv->nkeys == 1 ? "" : "s", rv->table);
	tt_canvas_text(c, 0, row++, c->w, line, tt_style_header());
	snprintf(line, sizeof(line), "function %s (f, F)", *rv->function ? rv->function : "?");
	tt_canvas_text(c, 0, row++, c->w, line, tt_style_plain());
	snprintf(line, sizeof(line), "template %s%s%s (p, @)%s%s%s", kind_name(rv->tpl.kind),
		 rv->tpl.kind == TT_REPLAY_FILE ? " " : "", rv->tpl.kind == TT_REPLAY_FILE ? rv->tpl_file : "",
		 tt_replay_needs_route(rv->tpl.kind) ? "   route " : "",
		 tt_replay_needs_route(rv->tpl.kind) ? (*rv->route ? rv->route : "(the function's)") : "",
		 tt_replay_needs_route(rv->tpl.kind) ? " (r)" : "");
	tt_canvas_text(c, 0, row++, c->w, line, tt_style_plain());
	if (rv->rate > 0)
		snprintf(rate, sizeof(rate), "%g a second", rv->rate);
	else
		snprintf(rate, sizeof(rate), "unlimited");
	snprintf(line, sizeof(line), "type %s (t)   rate %s (R)   on error %s (x)",
		 rv->type == TT_LAMBDA_ASYNC ? "Event" : "RequestResponse", rate, rv->stop_on_error ? "stop" : "go on");
	tt_canvas_text(c, 0, row++, c->w, line, tt_style_plain());
	draw_progress(rv, c, row++);
	if (*rv->note)
		tt_canvas_text(c, 0, row, c->w, rv->note, rv->note_st);
	row++;
	detail_h = rv->batch && rv->dry ? (y + h - row) / 2 : 0;
	list_h = y + h - row - detail_h;
	rv->rows_shown = list_h;
	if (rv->cursor < rv->top)
		rv->top = rv->cursor;
	if (list_h > 0 && rv->cursor >= rv->top + (size_t)list_h)
		rv->top = rv->cursor - (size_t)list_h + 1;
	if (rv->picking) {
		draw_pick(rv, c, row, y + h - row);
	} else {
		for (int i = 0; i < list_h && rv->top + (size_t)i < n; i++)
			draw_row(rv, c, row + i, rv->top + (size_t)i);
		draw_detail(rv, c, row + list_h, detail_h);
	}
	if (rv->prompt)
		tt_dialog_draw(rv->prompt, c);
}

/* --- keys ---------------------------------------------------------------------------------------- */

static void open_prompt(struct replay_view *rv, enum prompt_kind kind, const char *title, const char *line,
			const char *label, const char *initial)
{
	tt_dialog_free(&rv->prompt);
	rv->prompt = tt_dialog_new(title, false);
	rv->prompt_kind = kind;
	tt_dialog_add_line(rv->prompt, line);
	tt_dialog_set_prompt(rv->prompt, label, "Enter: set   Esc: keep");
	for (const char *p = initial; p && *p; p++)
		tt_dialog_key(rv->prompt, (unsigned char)*p);
}

static void set_rate(struct replay_view *rv, const char *text)
{
	char *end;
	double r;

	if (!*text) {
		rv->rate = 0;
		return;
	}
	r = strtod(text, &end);
	if (*end || !(r > 0 && r <= 1000))
		set_note(rv, tt_style_warn(), "a rate is a number of invocations per second, over 0 and up to 1000");
	else
		rv->rate = r;
}

static void prompt_key(struct replay_view *rv, int key)
{
	enum tt_dialog_result r;
	char *input;

	if (rv->prompt_kind == P_CONFIRM) {
		confirm_key(rv, key);
		return;
	}
	r = tt_dialog_key(rv->prompt, key);
	if (r == TT_DIALOG_OPEN)
		return;
	input = tt_xstrdup(tt_dialog_input(rv->prompt));
	tt_dialog_free(&rv->prompt);
	if (r == TT_DIALOG_ENTER) {
		if (rv->prompt_kind == P_FUNCTION && *input) {
			snprintf(rv->function, sizeof(rv->function), "%s", input);
			rv->note[0] = '\0';
		}
		else if (rv->prompt_kind == P_RATE)
			set_rate(rv, input);
		else if (rv->prompt_kind == P_FILE && *input) {
			char *arg = tt_xasprintf("@%s", input);
			set_template_arg(rv, arg);
			free(arg);
		}
	}
	rv->prompt_kind = P_NONE;
	free(input);
}

/* The log lines of the cursor row's request. */
static void open_logs(struct replay_view *rv, int64_t now_ms)
{
	const struct tt_view_env *env = rv->base.env;
	struct tt_replay_batch_result r;
	struct tt_view_logs_opts opts;
	char title[300], *group;
	const char *groups[1];

	tt_replay_batch_result(rv->batch, rv->cursor, &r);
	if (rv->snap) {
		env->push(env->con, tt_view_function_logs(env, rv->snap, rv->function, r.request_id));
		return;
	}
	/* No snapshot (a test): the function's default log group. */
	group = tt_lambda_log_group_for(rv->function, NULL);
	groups[0] = group;
	memset(&opts, 0, sizeof(opts));
	tt_tail_io_aws(&opts.io, env->aws);
	opts.request_id = r.request_id;
	opts.since_ms = now_ms - 15 * 60 * 1000;
	snprintf(title, sizeof(title), "logs %s %s", rv->function, r.request_id);
	env->push(env->con, tt_view_logs_new(env, groups, 1, title, &opts, now_ms));
	free(group);
}

static bool row_has_request(const struct replay_view *rv)
{
	struct tt_replay_batch_result r;

	if (!rv->batch || rv->dry || rv->cursor >= nrows(rv))
		return false;
	tt_replay_batch_result(rv->batch, rv->cursor, &r);
	return *r.request_id != 0;
}

static int replay_key(struct tt_view *v, int key, int64_t now_ms)
{
	struct replay_view *rv = R(v);
	int action;

	/* Ctrl-C: the console hands it over; only a replay that is sending
	 * keeps it from quitting. */
	if (key == TT_KEY_CTRL('c')) {
		if (!replaying(rv))
			return TT_VIEW_IGNORED;
		tt_replay_batch_stop(rv->batch);
		set_note(rv, tt_style_warn(), "stopping: the item in flight finishes, nothing new starts");
		return TT_VIEW_HANDLED;
	}
	if (rv->prompt) {
		v->dirty = true;
		prompt_key(rv, key);
		return TT_VIEW_HANDLED;
	}
	if (rv->picking) {
		v->dirty = true;
		pick_key(rv, key);
		return TT_VIEW_HANDLED;
	}
	v->dirty = true;
	action = tt_keymap_action(&keymap, key);
	if (tt_nav_of(action, A_NAV) >= 0) {
		if (nrows(rv))
			rv->cursor = tt_nav_move(tt_nav_of(action, A_NAV), rv->cursor, nrows(rv), rv->rows_shown);
		return TT_VIEW_HANDLED;
	}
	switch (action) {
	case A_GO: start(rv, false, now_ms); break;
	case A_LOGS:
		if (row_has_request(rv))
			open_logs(rv, now_ms);
		else
			set_note(rv, tt_style_warn(), "no request on this row yet: replay it first (Enter)");
		break;
	case A_DRY: start(rv, true, now_ms); break;
	case A_FUNCTION_NEXT: open_pick(rv); break;
	case A_FUNCTION_TYPE:
		open_prompt(rv, P_FUNCTION, "Function", "the function to replay the items through (name or ARN)",
			    "function:", rv->function);
		break;
	case A_TEMPLATE: next_template(rv); break;
	case A_TEMPLATE_FILE:
		open_prompt(rv, P_FILE, "Template file",
			    "JSON with {{item}} (the item) or {{item_string}} (the item as a string)", "file:",
			    rv->tpl_file);
		break;
	case A_ROUTE: next_route(rv); break;
	case A_TYPE: rv->type = rv->type == TT_LAMBDA_SYNC ? TT_LAMBDA_ASYNC : TT_LAMBDA_SYNC; break;
	case A_RATE:
		open_prompt(rv, P_RATE, "Rate", "invocations per second at most; empty: unlimited", "rate:", "");
		break;
	case A_STOP_ON_ERROR: rv->stop_on_error = !rv->stop_on_error; break;
	case A_STOP:
		if (replaying(rv)) {
			tt_replay_batch_stop(rv->batch);
			set_note(rv, tt_style_warn(), "stopping: the item in flight finishes, nothing new starts");
		} else {
			set_note(rv, tt_style_dim(), "nothing is running");
		}
		break;
	default: return TT_VIEW_IGNORED;
	}
	return TT_VIEW_HANDLED;
}

/* --- the rest of the contract -------------------------------------------------------------------- */

static void replay_clock(struct tt_view *v, int64_t now_ms)
{
	struct replay_view *rv = R(v);

	if (running(rv))
		tt_replay_batch_clock(rv->batch, now_ms, v->env->now_ms(v->env->con));
}

static long replay_deadline(struct tt_view *v, int64_t now_ms)
{
	struct replay_view *rv = R(v);
	int64_t d;

	if (!running(rv) || (d = tt_replay_batch_deadline(rv->batch)) < 0)
		return -1;
	return d > now_ms ? (long)(d - now_ms) : 0;
}

static const char *replay_crumb(const struct tt_view *v)
{
	return ((const struct replay_view *)v)->crumb;
}

static const char *replay_status(const struct tt_view *v)
{
	const struct replay_view *rv = (const struct replay_view *)v;

	if (rv->prompt_kind == P_CONFIRM)
		return "type the number of items or the function's name, Enter: replay, Esc: do not";
	if (running(rv))
		return "s or Ctrl-C: stop between items";
	if (v->env->read_only)
		return "read-only: replay disabled; d shows the payloads";
	return "Enter replay, d dry run, L logs, f/F function, p/@ template, r route, t type, R rate, x on error";
}

static void replay_free(struct tt_view *v)
{
	struct replay_view *rv = R(v);

	tt_replay_batch_free(&rv->batch);
	tt_dialog_free(&rv->prompt);
	tt_replay_template_clear(&rv->tpl);
	tt_replay_routes_clear(&rv->routes);
	for (size_t i = 0; i < rv->nkeys; i++)
		free(rv->keys[i]);
	free(rv->keys);
	free(rv->table);
	free(rv);
}

static const struct tt_view_ops ops = {
	.kind = "replay",
	.crumb = replay_crumb,
	.draw = replay_draw,
	.key = replay_key,
	.clock = replay_clock,
	.tick = replay_clock,
	.deadline = replay_deadline,
	.status = replay_status,
	.free = replay_free,
	.keymap = &keymap,
};

static void apply_memo(struct replay_view *rv)
{
	struct tt_replay_memo m;
	struct tt_err err;

	if (tt_replay_memo_load(rv->table, &m, &err)) {
		set_note(rv, tt_style_warn(), "%.250s", err.message);
		return;
	}
	if (m.function)
		snprintf(rv->function, sizeof(rv->function), "%s", m.function);
	if (m.template_arg)
		set_template_arg(rv, m.template_arg);
	if (m.route)
		snprintf(rv->route, sizeof(rv->route), "%s", m.route);
	tt_replay_memo_clear(&m);
}

struct tt_view *tt_view_replay_new(const struct tt_view_env *env, struct tt_snapshot *snap, const char *table,
				   const char *const *keys, size_t n, const struct tt_replay_io *io)
{
	struct replay_view *rv = tt_xcalloc(1, sizeof(*rv));

	rv->base.ops = &ops;
	rv->base.env = env;
	rv->base.dirty = true;
	rv->snap = snap;
	rv->table = tt_xstrdup(table);
	rv->nkeys = n;
	rv->keys = tt_xcalloc(n ? n : 1, sizeof(*rv->keys));
	for (size_t i = 0; i < n; i++)
		rv->keys[i] = tt_xstrdup(keys[i]);
	snprintf(rv->crumb, sizeof(rv->crumb), "replay %s", table);
	if (io)
		rv->io = *io;
	else
		tt_replay_io_aws(&rv->io, env->aws);
	rv->type = TT_LAMBDA_SYNC;
	rv->tpl.kind = TT_REPLAY_RAW;
	apply_memo(rv);
	propose_function(rv);
	if (env->read_only)
		set_note(rv, tt_style_warn(), "read-only mode (%s): replay is disabled; d still shows the payloads",
			 env->policy && env->policy->source_text ? env->policy->source_text : "on");
	return &rv->base;
}
