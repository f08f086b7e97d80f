/* Invoking a function from the console (issue 8, "Invoke"): a payload
 * editor, the invocation type and an optional qualifier; sending runs the
 * invoke job (invoke.h), whose confirmation is a dialog with every banner
 * field, and the answer is shown under the editor: status, function error,
 * duration, the response re-indented byte for byte (json_text.h) and the
 * decoded tail of the log; l opens that request id's log lines.
 *
 * Two modes, so typing never collides with commands: the editor has the
 * keys (every character is text; Ctrl-R sends, Esc leaves), or the view
 * has them (s send, t type, a qualifier, e $EDITOR, l logs, Enter or i
 * back to the editor, Esc back out of the view). */
#define _GNU_SOURCE /* mkstemps */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "tiertop/aws.h"
#include "tiertop/buf.h"
#include "tiertop/dialog.h"
#include "tiertop/editor.h"
#include "tiertop/invoke.h"
#include "tiertop/json_text.h"
#include "tiertop/keys.h"
#include "tiertop/payloads.h"
#include "tiertop/policy.h"
#include "tiertop/qual_pick.h"
#include "tiertop/state.h"
#include "tiertop/view_logs.h"
#include "tiertop/views.h"
#include "tiertop/xalloc.h"

#define NOTE_MAX 300
/* Lines kept of a response (re-indented, a big answer is long) and of anything else. */
#define RESPONSE_LINES_MAX 2000
#define SECTION_LINES_MAX 200

struct result_line {
	char *text;
	struct tt_style st;
};

struct invoke_view {
	struct tt_view base;
	struct tt_snapshot *snap;
	char *name;
	char crumb[200];
	struct tt_invoke_io io;
	struct tt_editor *ed;
	bool editing;              /* the editor has the keys */
	enum tt_lambda_invocation type;
	char qualifier[128];
	struct tt_dialog *qual_prompt; /* typing the qualifier */
	struct tt_qual_pick *pick;     /* choosing it from the versions and aliases */
	tt_qual_list_fn qual_list;
	void *qual_io;
	struct tt_invoke *job;
	struct tt_dialog *confirm;     /* the job is waiting for a yes or no */
	char *sent;                    /* the payload of the job, remembered once it ran */
	size_t sent_len;
	char note[NOTE_MAX];           /* why nothing was sent, or what happened */
	struct tt_style note_st;
	bool note_is_check;            /* the note is a refusal of the JSON */
	char request_id[128];
	struct result_line *lines;     /* the answer, drawn under the editor */
	size_t nlines;
	size_t result_top;
	size_t line_cap;               /* where the section being added is cut */
	int result_page;
	int64_t sent_ms;               /* when the last job started, by the console's clock */
};

enum {
	A_SEND = 1,
	A_EDIT,
	A_COMMANDS,
	A_TYPE,
	A_QUALIFIER,
	A_PICK,
	A_EXTERNAL,
	A_LOGS,
	A_UNDO,
	A_UP,
	A_DOWN,
	A_PGUP,
	A_PGDN,
};

static const struct tt_keybind binds[] = {
	{TT_KEY_CTRL('r'), A_SEND, "send (in the editor too; Ctrl-S would freeze the terminal)"},
	{'s', A_SEND, "send (asks to confirm)"},
	{TT_KEY_ESC, A_COMMANDS, "leave the editor (then Esc again: back)"},
	{TT_KEY_ENTER, A_EDIT, "back into the editor"},
	{'i', A_EDIT, "back into the editor"},
	{'t', A_TYPE, "type: RequestResponse or Event"},
	{'a', A_QUALIFIER, "qualifier (version or alias; empty: $LATEST)"},
	{'Q', A_PICK, "pick the qualifier from the function's versions and aliases"},
	{'e', A_EXTERNAL, "edit the payload in $EDITOR"},
	{'l', A_LOGS, "the log lines of the request just sent"},
	{TT_KEY_CTRL('_'), A_UNDO, "undo in the editor (also Ctrl-U; Ctrl-Z suspends)"},
	{TT_KEY_UP, A_UP, "scroll the answer (when not editing)"},
	{TT_KEY_DOWN, A_DOWN, "scroll the answer (when not editing)"},
	{TT_KEY_PGUP, A_PGUP, "a page of the answer"},
	{TT_KEY_PGDN, A_PGDN, "a page of the answer"},
};

static const struct tt_keymap keymap = {"Invoke (editing: keys are text but Ctrl-R, Esc, Ctrl-_)", binds,
					sizeof(binds) / sizeof(binds[0])};
const struct tt_keymap *const tt_keymap_invoke = &keymap;

static struct invoke_view *I(struct tt_view *v)
{
	return (struct invoke_view *)v;
}

static void set_note(struct invoke_view *iv, struct tt_style st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_note(struct invoke_view *iv, struct tt_style st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(iv->note, sizeof(iv->note), fmt, ap);
	va_end(ap);
	iv->note_st = st;
	iv->note_is_check = false;
	iv->base.dirty = true;
}

/* --- the answer as lines -------------------------------------------------------------- */

static void lines_clear(struct invoke_view *iv)
{
	for (size_t i = 0; i < iv->nlines; i++)
		free(iv->lines[i].text);
	free(iv->lines);
	iv->lines = NULL;
	iv->nlines = 0;
	iv->result_top = 0;
}

static void add_line(struct invoke_view *iv, const char *s, size_t len, struct tt_style st)
{
	char *text;

	if (iv->nlines > iv->line_cap)
		return;
	if (iv->nlines == iv->line_cap) {
		s = "(the answer goes on: only its first lines are shown)";
		len = strlen(s);
		st = tt_style_warn();
	}
	if (iv->nlines % 64 == 0)
		iv->lines = tt_xrealloc(iv->lines, (iv->nlines + 64) * sizeof(*iv->lines));
	text = tt_xstrndup(s, len);
	/* Log lines are tab-separated; a tab would be drawn as ^I. */
	for (char *p = text; *p; p++)
		if (*p == '\t')
			*p = ' ';
	iv->lines[iv->nlines++] = (struct result_line){text, st};
}

static void add_text(struct invoke_view *iv, const char *s, size_t len, struct tt_style st)
{
	while (len) {
		const char *nl = memchr(s, '\n', len);
		size_t n = nl ? (size_t)(nl - s) : len;
		add_line(iv, s, n, st);
		s += n + (nl ? 1 : 0);
		len -= n + (nl ? 1 : 0);
	}
}

static void add_response(struct invoke_view *iv, const struct tt_lambda_invoke_out *out)
{
	json_error_t jerr;
	/* Only to know it is JSON: integers of any size must not make it "invalid". */
	json_t *v = out->payload_len
			? json_loadb(out->payload, out->payload_len, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, &jerr)
			: NULL;
	struct tt_buf b;

	iv->line_cap = iv->nlines + RESPONSE_LINES_MAX;
	if (!out->payload_len) {
		add_line(iv, "(no response body)", 18, tt_style_dim());
		return;
	}
	if (!v) {
		/* Not JSON: shown as it came. */
		add_text(iv, out->payload, out->payload_len, tt_style_plain());
		return;
	}
	json_decref(v);
	tt_buf_init(&b, 0);
	tt_json_reindent(out->payload, out->payload_len, 2, &b);
	add_text(iv, b.data, b.len, tt_style_plain());
	tt_buf_clear(&b);
}

/* The invocation's request id, what its log lines carry: from the log
 * tail's START or REPORT line when there is one, else the answer's
 * x-amzn-RequestId (the same on AWS; not every emulator agrees). */
static void invocation_id(const struct tt_lambda_invoke_out *out, char *id, size_t size)
{
	static const char *const marks[] = {"START RequestId: ", "REPORT RequestId: "};
	const char *log = out->log && !out->log_invalid ? out->log : "";

	for (size_t i = 0; i < 2; i++) {
		const char *p = strstr(log, marks[i]);
		if (p) {
			p += strlen(marks[i]);
			snprintf(id, size, "%.*s", (int)strcspn(p, " \t\r\n"), p);
			if (*id)
				return;
		}
	}
	snprintf(id, size, "%s", out->request_id ? out->request_id : "");
}

static void build_result(struct invoke_view *iv)
{
	const struct tt_invoke_result *r = tt_invoke_result(iv->job);
	const struct tt_lambda_invoke_out *out = r->out;
	char head[400];

	lines_clear(iv);
	iv->line_cap = SECTION_LINES_MAX;
	invocation_id(out, iv->request_id, sizeof(iv->request_id));
	snprintf(head, sizeof(head), "status %ld, %lld ms%s%s", out->status, (long long)r->duration_ms,
		 out->executed_version && *out->executed_version ? ", version " : "",
		 out->executed_version ? out->executed_version : "");
	add_line(iv, head, strlen(head), *out->function_error ? tt_style_alarm() : tt_style_ok());
	if (*iv->request_id) {
		snprintf(head, sizeof(head), "request id %s (l: its log lines)", iv->request_id);
		add_line(iv, head, strlen(head), tt_style_plain());
	}
	if (*out->function_error) {
		char *text = tt_invoke_error_text(out->function_error, r->error_type, r->error_message);

		add_line(iv, text, strlen(text), tt_style_alarm());
		free(text);
	}
	if (r->timeout_s && r->duration_ms >= r->timeout_s * 1000) {
		snprintf(head, sizeof(head), "the function's timeout is %ld s", r->timeout_s);
		add_line(iv, head, strlen(head), tt_style_warn());
	}
	add_line(iv, "RESPONSE", 8, tt_style_header());
	add_response(iv, out);
	iv->line_cap = iv->nlines + SECTION_LINES_MAX;
	if (out->log_len || out->log_invalid) {
		add_line(iv, "LOG (the tail Lambda returned)", 30, tt_style_header());
		if (out->log_invalid)
			add_line(iv, "(the log tail was not base64)", 29, tt_style_warn());
		else
			add_text(iv, out->log, out->log_len, tt_style_dim());
	}
}

/* --- the job ------------------------------------------------------------------------------- */

static void on_confirm(void *ctx, struct tt_invoke *job, const struct tt_invoke_banner *b)
{
	struct invoke_view *iv = ctx;
	char line[600], title[200];

	(void)job;
	tt_dialog_free(&iv->confirm);
	snprintf(title, sizeof(title), "%s %s?", b->verb ? b->verb : "Invoke", iv->name);
	iv->confirm = tt_dialog_new(title, false);
	snprintf(line, sizeof(line), "account   %s", b->account ? b->account : "?");
	tt_dialog_add_line(iv->confirm, line);
	snprintf(line, sizeof(line), "region    %s", b->region ? b->region : "?");
	tt_dialog_add_line(iv->confirm, line);
	snprintf(line, sizeof(line), "endpoint  %s", b->endpoint ? b->endpoint : "?");
	tt_dialog_add_line(iv->confirm, line);
	snprintf(line, sizeof(line), "function  %s%s%s", b->function_arn ? b->function_arn : iv->name,
		 b->state ? ", state " : "", b->state ? b->state : "");
	tt_dialog_add_line(iv->confirm, line);
	snprintf(line, sizeof(line), "qualifier %s", b->qualifier ? b->qualifier : "");
	tt_dialog_add_line(iv->confirm, line);
	snprintf(line, sizeof(line), "type      %s", b->type_text ? b->type_text : "");
	tt_dialog_add_line(iv->confirm, line);
	snprintf(line, sizeof(line), "payload   %zu bytes", b->payload_len);
	tt_dialog_add_line(iv->confirm, line);
	if (b->lookup) {
		snprintf(line, sizeof(line), "lookup    %s", b->lookup);
		tt_dialog_add_line(iv->confirm, line);
	}
	tt_dialog_set_prompt(iv->confirm, "invoke?", "y or Enter: invoke   n or Esc: do not");
	iv->base.dirty = true;
}

static void on_done(void *ctx, struct tt_invoke *job)
{
	struct invoke_view *iv = ctx;
	const struct tt_err *err;
	struct tt_err perr;
	char buf[1200];

	tt_dialog_free(&iv->confirm);
	lines_clear(iv);
	switch (tt_invoke_state(job)) {
	case TT_INVOKE_DONE:
		build_result(iv);
		set_note(iv, tt_style_ok(), "sent");
		if (iv->sent && tt_payloads_add(iv->name, iv->sent, iv->sent_len, &perr) < 0)
			set_note(iv, tt_style_warn(), "sent; not remembered: %.200s", perr.message);
		break;
	case TT_INVOKE_DECLINED: set_note(iv, tt_style_warn(), "not sent: you said no"); break;
	default:
		err = tt_invoke_error(job);
		set_note(iv, tt_style_alarm(), "%.290s", err ? tt_err_format(err, buf, sizeof(buf)) : "failed");
		break;
	}
	iv->base.dirty = true;
}

static const struct tt_invoke_sink sink = {on_confirm, on_done};

/* A one-line message for an invalid payload, and the cursor put where the
 * error is. */
static bool payload_ok(struct invoke_view *iv)
{
	char msg[200];
	int line, column;

	if (tt_editor_check(iv->ed, msg, sizeof(msg), &line, &column))
		return true;
	set_note(iv, tt_style_alarm(), "not sent: %s", msg);
	iv->note_is_check = true;
	if (line > 0)
		tt_editor_goto(iv->ed, (size_t)line, (size_t)(column > 0 ? column : 1));
	return false;
}

static void send_payload(struct invoke_view *iv, int64_t now_ms)
{
	const struct tt_view_env *env = iv->base.env;
	struct tt_invoke_opts o;
	struct tt_err err;
	char what[300];
	size_t len;
	const char *text = tt_editor_text(iv->ed, &len);

	if (iv->job && !tt_invoke_finished(iv->job)) {
		set_note(iv, tt_style_warn(), "an invoke is already on its way");
		return;
	}
	if (!payload_ok(iv))
		return;
	snprintf(what, sizeof(what), "invoke %s", iv->name);
	if (env->read_only && !env->policy) {
		/* No policy to name the source: refuse here, as the job would. */
		set_note(iv, tt_style_alarm(), "read-only mode: refusing to %s; nothing was sent", what);
		return;
	}
	tt_invoke_free(&iv->job);
	free(iv->sent);
	iv->sent = tt_xstrndup(text, len);
	iv->sent_len = len;
	memset(&o, 0, sizeof(o));
	o.function = iv->name;
	o.qualifier = *iv->qualifier ? iv->qualifier : NULL;
	o.type = iv->type;
	o.log = iv->type == TT_LAMBDA_SYNC;
	o.payload = iv->sent;
	o.payload_len = len;
	o.payload_source = "the console's editor";
	o.what = what;
	o.verb = "Invoke";
	o.region = env->aws ? env->aws->region : NULL;
	o.endpoint = env->endpoint;
	o.policy = env->policy;
	lines_clear(iv);
	iv->job = tt_invoke_new(&o, &iv->io, &sink, iv, &err);
	if (!iv->job) {
		set_note(iv, tt_style_alarm(), "not sent: %.250s", err.message);
		return;
	}
	set_note(iv, tt_style_dim(), "looking up %s...", iv->name);
	iv->sent_ms = now_ms;
	tt_invoke_clock(iv->job, now_ms);
	tt_invoke_start(iv->job, now_ms);
}

static void confirm_key(struct invoke_view *iv, int key)
{
	bool yes = key == 'y' || key == 'Y' || key == TT_KEY_ENTER;
	bool no = key == 'n' || key == 'N' || key == TT_KEY_ESC;

	if (!yes && !no)
		return;
	tt_dialog_free(&iv->confirm);
	if (yes)
		set_note(iv, tt_style_dim(), "invoking %s...", iv->name);
	/* May end the job at once (a no): on_done runs inside. */
	tt_invoke_confirm(iv->job, yes);
}

/* --- $EDITOR ------------------------------------------------------------------------------- */

static void external_editor(struct invoke_view *iv)
{
	const struct tt_view_env *env = iv->base.env;
	const char *tmp = getenv("TMPDIR");
	char path[512];
	size_t len;
	const char *cur = tt_editor_text(iv->ed, &len);
	int fd, rc;
	FILE *f;

	if (!env->run_editor) {
		set_note(iv, tt_style_warn(), "no external editor here");
		return;
	}
	snprintf(path, sizeof(path), "%s/tiertop-payload-XXXXXX.json", tmp && *tmp ? tmp : "/tmp");
	/* mkstemps makes it 0600: a payload may hold test data. */
	fd = mkstemps(path, 5);
	if (fd < 0) {
		set_note(iv, tt_style_alarm(), "cannot make a temporary file: %s", strerror(errno));
		return;
	}
	rc = tt_write_all(fd, cur, len);
	close(fd);
	if (rc == 0)
		rc = env->run_editor(env->con, path);
	f = rc == 0 ? fopen(path, "rb") : NULL;
	if (f) {
		struct tt_buf b;
		int read_rc;

		tt_buf_init(&b, tt_editor_limit(iv->ed) + 1);
		read_rc = tt_buf_read_stream(&b, f) ? errno : 0;
		fclose(f);
		if (read_rc)
			set_note(iv, tt_style_alarm(), "cannot read the edited file back (%s): kept the payload as it was",
				 strerror(read_rc));
		else if (b.truncated || b.len > tt_editor_limit(iv->ed))
			set_note(iv, tt_style_alarm(), "the file is over %zu bytes: kept the payload as it was",
				 tt_editor_limit(iv->ed));
		else {
			/* Editors add a final newline; JSON does not need it. */
			len = b.len;
			while (len && (b.data[len - 1] == '\n' || b.data[len - 1] == '\r'))
				len--;
			tt_editor_set_text(iv->ed, b.data, len);
			set_note(iv, tt_style_dim(), "payload from $EDITOR (Ctrl-_ in the editor undoes it)");
		}
		tt_buf_clear(&b);
	} else if (rc == 0) {
		set_note(iv, tt_style_alarm(), "cannot read the edited file back (%s): kept the payload as it was",
			 strerror(errno));
	} else {
		set_note(iv, tt_style_alarm(), "the editor failed (exit %d): kept the payload as it was", rc);
	}
	unlink(path);
}

/* The log lines of the request just sent. Not tt_view_function_logs: that
 * backfills the last hour of the group to find an invocation from the
 * function's list, where this one is minutes old and its id known, so the
 * server filters by it (a minute of margin for clock skew). */
static struct tt_view *request_logs(struct invoke_view *iv, int64_t now_ms)
{
	const struct tt_view_env *env = iv->base.env;
	struct tt_view_logs_opts opts;
	char *group = iv->snap ? tt_function_log_group(iv->snap, iv->name) : tt_lambda_log_group_for(iv->name, NULL);
	const char *groups[1] = {group};
	char title[300], pattern[160];
	struct tt_view *lv;

	memset(&opts, 0, sizeof(opts));
	tt_tail_io_aws(&opts.io, env->aws);
	snprintf(pattern, sizeof(pattern), "\"%s\"", iv->request_id);
	opts.pattern = pattern;
	opts.request_id = iv->request_id;
	opts.since_ms = iv->sent_ms - 60 * 1000;
	snprintf(title, sizeof(title), "logs %s %s", iv->name, iv->request_id);
	lv = tt_view_logs_new(env, groups, 1, title, &opts, now_ms);
	free(group);
	return lv;
}

/* --- keys ------------------------------------------------------------------------------------ */

static void qualifier_key(struct invoke_view *iv, int key)
{
	enum tt_dialog_result r = tt_dialog_key(iv->qual_prompt, key);

	if (r == TT_DIALOG_ENTER)
		snprintf(iv->qualifier, sizeof(iv->qualifier), "%s", tt_dialog_input(iv->qual_prompt));
	if (r != TT_DIALOG_OPEN)
		tt_dialog_free(&iv->qual_prompt);
}

static void pick_key(struct invoke_view *iv, int key)
{
	enum tt_qual_pick_result r = tt_qual_pick_key(iv->pick, key);

	if (r == TT_QUAL_PICK_CHOSEN)
		snprintf(iv->qualifier, sizeof(iv->qualifier), "%s", tt_qual_pick_choice(iv->pick));
	if (r != TT_QUAL_PICK_OPEN)
		tt_qual_pick_free(&iv->pick);
}

static int editor_mode_key(struct invoke_view *iv, int key, int64_t now_ms)
{
	enum tt_editor_result r;

	if (key == TT_KEY_CTRL('r')) {
		send_payload(iv, now_ms);
		return TT_VIEW_HANDLED;
	}
	if (key == TT_KEY_ESC) {
		iv->editing = false;
		return TT_VIEW_HANDLED;
	}
	r = tt_editor_key(iv->ed, key);
	if (r == TT_EDITOR_CHANGED && iv->note_is_check)
		iv->note[0] = 0; /* it was about the text as it was */
	if (r == TT_EDITOR_FULL)
		set_note(iv, tt_style_warn(), "the payload is at its limit (%zu bytes)", tt_editor_limit(iv->ed));
	/* What the editor leaves (F1, Ctrl-L) is the console's: none of those
	 * quits or pops the view, as q, h or Backspace would. */
	return r == TT_EDITOR_IGNORED ? TT_VIEW_IGNORED : TT_VIEW_HANDLED;
}

/* The answer scrolls until its last line is at the bottom. */
static size_t clamp_top(const struct invoke_view *iv, size_t top)
{
	size_t page = iv->result_page > 0 ? (size_t)iv->result_page : 1;
	size_t max = iv->nlines > page ? iv->nlines - page : 0;

	return top < max ? top : max;
}

static int invoke_key(struct tt_view *v, int key, int64_t now_ms)
{
	struct invoke_view *iv = I(v);
	long page = iv->result_page > 1 ? iv->result_page - 1 : 1;

	v->dirty = true;
	if (iv->confirm) {
		confirm_key(iv, key);
		return TT_VIEW_HANDLED;
	}
	if (iv->qual_prompt) {
		qualifier_key(iv, key);
		return TT_VIEW_HANDLED;
	}
	if (iv->pick) {
		pick_key(iv, key);
		return TT_VIEW_HANDLED;
	}
	if (iv->editing)
		return editor_mode_key(iv, key, now_ms);
	switch (tt_keymap_action(&keymap, key)) {
	case A_SEND: send_payload(iv, now_ms); break;
	case A_EDIT: iv->editing = true; break;
	case A_TYPE: iv->type = iv->type == TT_LAMBDA_SYNC ? TT_LAMBDA_ASYNC : TT_LAMBDA_SYNC; break;
	case A_QUALIFIER:
		iv->qual_prompt = tt_dialog_new("Qualifier", false);
		tt_dialog_add_line(iv->qual_prompt, "a version (3) or an alias (live); empty: $LATEST");
		tt_dialog_set_prompt(iv->qual_prompt, "qualifier:", "Enter: set   Esc: keep");
		for (const char *p = iv->qualifier; *p; p++)
			tt_dialog_key(iv->qual_prompt, (unsigned char)*p);
		break;
	case A_PICK:
		iv->pick = tt_qual_pick_open(iv->name, iv->qualifier, iv->qual_list, iv->qual_io, &iv->base.dirty);
		break;
	case A_EXTERNAL: external_editor(iv); break;
	case A_LOGS:
		if (*iv->request_id)
			v->env->push(v->env->con, request_logs(iv, now_ms));
		else
			set_note(iv, tt_style_warn(), "no request sent yet");
		break;
	case A_UNDO: tt_editor_undo(iv->ed); break;
	case A_UP: iv->result_top -= iv->result_top ? 1 : 0; break;
	case A_DOWN: iv->result_top = clamp_top(iv, iv->result_top + 1); break;
	case A_PGUP: iv->result_top = iv->result_top > (size_t)page ? iv->result_top - (size_t)page : 0; break;
	case A_PGDN: iv->result_top = clamp_top(iv, iv->result_top + (size_t)page); break;
	default: return TT_VIEW_IGNORED;
	}
	return TT_VIEW_HANDLED;
}

/* --- drawing ---------------------------------------------------------------------------------- */

static void draw_header(struct invoke_view *iv, struct tt_canvas *c, int y)
{
	char line[400];

	snprintf(line, sizeof(line), "INVOKE %s   type %s (t)   qualifier %s (a)", iv->name,
		 iv->type == TT_LAMBDA_SYNC ? "RequestResponse" : "Event",
		 *iv->qualifier ? iv->qualifier : "none, $LATEST");
	tt_canvas_text(c, 0, y, c->w, line, tt_style_header());
}

static void draw_result(struct invoke_view *iv, struct tt_canvas *c, int y, int h)
{
	iv->result_page = h;
	for (int i = 0; i < h && iv->result_top + (size_t)i < iv->nlines; i++) {
		const struct result_line *l = &iv->lines[iv->result_top + (size_t)i];
		tt_canvas_text(c, 0, y + i, c->w, l->text, l->st);
	}
}

static void invoke_draw(struct tt_view *v, struct tt_canvas *c, int y, int h)
{
	struct invoke_view *iv = I(v);
	char msg[200];
	bool ok;
	int ed_h, row = y;

	if (h < 4)
		return;
	draw_header(iv, c, row++);
	/* With an answer the editor keeps a third of the rows. */
	ed_h = iv->nlines ? (h - 3) / 3 : h - 3;
	if (ed_h < 1)
		ed_h = 1;
	tt_editor_draw(iv->ed, c, 0, row, c->w, ed_h, iv->editing && !iv->confirm && !iv->qual_prompt && !iv->pick);
	row += ed_h;
	ok = tt_editor_check(iv->ed, msg, sizeof(msg), NULL, NULL);
	tt_canvas_fill(c, 0, row, c->w, 1, c->utf8 ? 0x2500 : '-', tt_style_dim());
	tt_canvas_text(c, 2, row++, c->w - 2, msg, ok ? tt_style_ok() : tt_style_alarm());
	if (*iv->note)
		tt_canvas_text(c, 0, row, c->w, iv->note, iv->note_st);
	row++;
	draw_result(iv, c, row, y + h - row);
	if (iv->qual_prompt)
		tt_dialog_draw(iv->qual_prompt, c);
	if (iv->pick)
		tt_qual_pick_draw(iv->pick, c);
	if (iv->confirm)
		tt_dialog_draw(iv->confirm, c);
}

/* --- the rest of the contract -------------------------------------------------------------------- */

static void invoke_clock(struct tt_view *v, int64_t now_ms)
{
	if (I(v)->job)
		tt_invoke_clock(I(v)->job, now_ms);
}

static const char *invoke_crumb(const struct tt_view *v)
{
	return ((const struct invoke_view *)v)->crumb;
}

static const char *invoke_status(const struct tt_view *v)
{
	const struct invoke_view *iv = (const struct invoke_view *)v;

	if (iv->confirm)
		return "y or Enter: invoke, n or Esc: do not";
	if (iv->pick)
		return "Up/Down choose, Enter use it, Esc keep the qualifier";
	if (iv->editing)
		return "editing: Ctrl-R send, Esc commands, Ctrl-_ undo";
	return "s send, i edit, e $EDITOR, t type, a qualifier, Q pick one, l logs";
}

static void invoke_free(struct tt_view *v)
{
	struct invoke_view *iv = I(v);

	tt_invoke_free(&iv->job);
	tt_dialog_free(&iv->confirm);
	tt_dialog_free(&iv->qual_prompt);
	tt_qual_pick_free(&iv->pick);
	tt_editor_free(&iv->ed);
	lines_clear(iv);
	free(iv->sent);
	free(iv->name);
	free(iv);
}

static const struct tt_view_ops ops = {
	.kind = "invoke",
	.crumb = invoke_crumb,
	.draw = invoke_draw,
	.key = invoke_key,
	.clock = invoke_clock,
	.status = invoke_status,
	.free = invoke_free,
	.keymap = &keymap,
};

struct tt_view *tt_view_invoke_new(const struct tt_view_env *env, struct tt_snapshot *snap, const char *name,
				   const struct tt_invoke_io *io)
{
	struct invoke_view *iv = tt_xcalloc(1, sizeof(*iv));
	char *last = tt_payloads_last(name);

	iv->base.ops = &ops;
	iv->base.env = env;
	iv->base.dirty = true;
	iv->snap = snap;
	iv->name = tt_xstrdup(name);
	snprintf(iv->crumb, sizeof(iv->crumb), "invoke %s", name);
	if (io)
		iv->io = *io;
	else
		tt_invoke_io_aws(&iv->io, env->aws);
	iv->qual_list = tt_qual_list_aws;
	iv->qual_io = env->aws;
	iv->ed = tt_editor_new(TT_LAMBDA_SYNC_PAYLOAD_MAX);
	if (!last || tt_editor_set_text(iv->ed, last, strlen(last)) != TT_EDITOR_CHANGED)
		tt_editor_set_text(iv->ed, "{}", 2);
	tt_editor_forget_undo(iv->ed); /* undo must not empty a fresh view */
	free(last);
	iv->editing = true;
	iv->type = TT_LAMBDA_SYNC;
	if (env->read_only)
		set_note(iv, tt_style_warn(), "read-only mode (%s): sending is refused",
			 env->policy && env->policy->source_text ? env->policy->source_text : "on");
	return &iv->base;
}

void tt_view_invoke_set_qualifier_list(struct tt_view *v, tt_qual_list_fn list, void *io)
{
	I(v)->qual_list = list;
	I(v)->qual_io = io;
}
