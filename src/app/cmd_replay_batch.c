/* tiertop replay TABLE --keys FILE|- (replay_cli.h): the key file, then the
 * batch job driven by the engine's loop, one typed confirmation for the
 * whole batch, a line (or a JSON object) per item on stdout as each ends,
 * progress on stderr when it is a terminal, and Ctrl-C stopping cleanly
 * between items (the item in flight finishes and is reported).
 *
 * Exit status: 0 when every item ran without error; 6 when a function
 * reported an error; 1 when an item failed otherwise (missing item, Invoke
 * failed) or the batch was stopped, declined or refused. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "config.h"
#include "invoke_front.h"
#include "replay_cli.h"
#include "tiertop/buf.h"
#include "tiertop/clock.h"
#include "tiertop/ddb_value.h"
#include "tiertop/http.h"
#include "tiertop/json_text.h"
#include "tiertop/policy.h"
#include "tiertop/replay_batch.h"
#include "tiertop/sanitize.h"
#include "tiertop/str.h"
#include "tiertop/xalloc.h"

/* More keys than anyone replays: past it the input is probably not keys. */
#define KEYS_MAX_BYTES ((size_t)64 << 20)

/* --- the keys ------------------------------------------------------------------------------- */

static void keys_add(char ***keys, size_t *n, size_t *cap, const struct tt_ddb_value *key)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*keys = tt_xrealloc(*keys, *cap * sizeof(**keys));
	}
	(*keys)[(*n)++] = tt_ddb_item_text(key, TT_DDB_PLAIN);
}

static int keys_from_array(const char *text, size_t len, const char *name, char ***keys, size_t *n,
			   struct tt_err *err)
{
	struct tt_ddb_value *all = NULL;
	size_t cap = 0;

	if (tt_ddb_value_parse_plain(text, len, &all, err)) {
		tt_err_prefix(err, "--keys: %s", name);
		return -1;
	}
	for (size_t i = 0; i < all->n; i++) {
		if (all->kids[i].type != TT_DDB_M || all->kids[i].n == 0) {
			tt_ddb_value_free(&all);
			return tt_err_set(err, TT_ERR_USAGE, "--keys: %s element %zu is not a key object", name, i + 1);
		}
		keys_add(keys, n, &cap, &all->kids[i]);
	}
	tt_ddb_value_free(&all);
	return 0;
}

static int keys_from_lines(char *text, const char *name, char ***keys, size_t *n, struct tt_err *err)
{
	size_t line = 0, cap = 0;

	for (char *p = text, *nl; p && *p; p = nl ? nl + 1 : NULL) {
		struct tt_ddb_value *key;

		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		line++;
		if (strspn(p, " \t\r") == strlen(p))
			continue;
		if (tt_ddb_item_parse(p, strlen(p), TT_DDB_PLAIN, &key, err)) {
			tt_err_prefix(err, "--keys: %s line %zu", name, line);
			return -1;
		}
		keys_add(keys, n, &cap, key);
		tt_ddb_value_free(&key);
	}
	return 0;
}

int tt_replay_keys_load(const char *source, char ***keys, size_t *n, struct tt_err *err)
{
	bool is_stdin = strcmp(source, "-") == 0;
	const char *name = is_stdin ? "standard input" : source;
	FILE *f = is_stdin ? stdin : fopen(source, "rb");
	struct tt_buf b;
	size_t lead;
	int rc, saved_errno;

	*keys = NULL;
	*n = 0;
	if (!f)
		return tt_err_set(err, TT_ERR_USAGE, "--keys: cannot read %s: %s", source, strerror(errno));
	tt_buf_init(&b, KEYS_MAX_BYTES + 1);
	rc = tt_buf_read_stream(&b, f);
	saved_errno = errno;
	if (!is_stdin)
		fclose(f);
	if (rc)
		rc = tt_err_set(err, TT_ERR_USAGE, "--keys: cannot read %s: %s", name, strerror(saved_errno));
	else if (b.truncated)
		rc = tt_err_set(err, TT_ERR_USAGE, "--keys: cannot read %s (over 64 MB)", name);
	else if (b.len && memchr(b.data, '\0', b.len))
		rc = tt_err_set(err, TT_ERR_USAGE, "--keys: %s is not text (it holds a NUL byte)", name);
	if (rc == 0) {
		tt_buf_putc(&b, '\0');
		lead = strspn(b.data, " \t\r\n");
		rc = b.data[lead] == '[' ? keys_from_array(b.data, b.len - 1, name, keys, n, err)
					 : keys_from_lines(b.data, name, keys, n, err);
	}
	if (rc == 0 && *n == 0)
		rc = tt_err_set(err, TT_ERR_USAGE, "--keys: no key in %s", name);
	tt_buf_clear(&b);
	if (rc) {
		tt_replay_keys_free(*keys, *n);
		*keys = NULL;
		*n = 0;
	}
	return rc;
}

void tt_replay_keys_free(char **keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
}

/* --- Ctrl-C ------------------------------------------------------------------------------- */

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* The first Ctrl-C stops between items; a second one kills as usual. */
static void signals_on(struct sigaction *old)
{
	struct sigaction sa;

	stop_requested = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND; /* no SA_RESTART: the wait returns at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, old);
}

/* --- the front end ---------------------------------------------------------------------------- */

struct front {
	struct tt_app *app;
	const struct tt_replay_cli *c;
	bool asked, progress_shown, json;
	unsigned san;
	/* the banner, copied when the job asks */
	char *title, *account, *endpoint, *question;
	struct tt_app_row rows[8];
	char *row_text[8];
	size_t nrows;
	size_t ok, function_errors, failed, skipped;
};

static void add_row(struct front *f, const char *label, char *value)
{
	f->rows[f->nrows].label = label;
	f->rows[f->nrows].value = value;
	f->row_text[f->nrows++] = value;
}

static void banner_clear(struct front *f)
{
	free(f->title);
	free(f->account);
	free(f->endpoint);
	free(f->question);
	f->title = f->account = f->endpoint = f->question = NULL;
	for (size_t i = 0; i < f->nrows; i++)
		free(f->row_text[i]);
	f->nrows = 0;
}

static void on_confirm(void *ctx, struct tt_replay_batch *b, const struct tt_replay_batch_banner *bn)
{
	struct front *f = ctx;

	(void)b;
	banner_clear(f);
	f->title = tt_xasprintf("Replay, %s:", bn->type_text);
	f->account = tt_xasprintf("%s (%s)", bn->account, bn->caller_arn);
	f->endpoint = tt_xstrdup(bn->endpoint);
	add_row(f, "function", tt_xstrdup(bn->function_arn));
	add_row(f, "qualifier", tt_xstrdup(bn->qualifier));
	if (bn->lookup)
		add_row(f, "lookup", tt_xstrdup(bn->lookup));
	add_row(f, "table", tt_xstrdup(bn->table));
	add_row(f, "template", tt_xstrdup(bn->template_text));
	add_row(f, "items", tt_xasprintf("%zu", bn->nitems));
	add_row(f, "rate", bn->rate > 0 ? tt_xasprintf("%g invocations per second", bn->rate)
					 : tt_xstrdup("unlimited (one at a time)"));
	add_row(f, "on error", tt_xstrdup(bn->stop_on_error ? "stop" : "go on"));
	f->question = tt_xasprintf("Replay %zu items into %s? Type %zu (the number of items) or %s to go ahead: ",
				   bn->nitems, f->c->function, bn->nitems, f->c->function);
	f->asked = true;
}

/* Outside the dispatch: the banner on stderr, the typed answer on the tty. */
static void answer(struct front *f, struct tt_replay_batch *b)
{
	struct tt_app_action a = {f->title, f->account, f->endpoint, f->rows, f->nrows, NULL, NULL};
	char line[256];
	char *q;
	bool yes = true;

	f->asked = false;
	tt_app_confirm(f->app, &a);
	if (f->c->tty) {
		q = tt_sanitize(f->question, f->san);
		fputs(q, f->c->tty);
		fflush(f->c->tty);
		free(q);
		yes = fgets(line, sizeof(line), f->c->tty) && tt_replay_batch_answer_ok(b, line);
	}
	banner_clear(f);
	tt_replay_batch_confirm(b, yes);
}

/* JSON keeps C1 controls as raw UTF-8: on a terminal they are sanitized too. */
static void write_out(const struct tt_buf *out, unsigned san)
{
	struct tt_buf safe;

	if (!isatty(STDOUT_FILENO)) {
		fwrite(out->data, 1, out->len, stdout);
		return;
	}
	tt_buf_init(&safe, 0);
	tt_sanitize_append(&safe, out->data, out->len, san | TT_SAN_KEEP_NEWLINE);
	fwrite(safe.data, 1, safe.len, stdout);
	tt_buf_clear(&safe);
}

static void json_field_str(struct tt_buf *out, const char *name, const char *value)
{
	tt_buf_printf(out, ",\"%s\":", name);
	if (value && *value)
		tt_json_string(out, value, strlen(value));
	else
		tt_buf_puts(out, "null");
}

static void print_json(const struct tt_replay_batch_result *r, unsigned san)
{
	struct tt_buf out;
	json_t *parsed = NULL;

	tt_buf_init(&out, 0);
	tt_buf_puts(&out, "{\"key\":");
	tt_buf_puts(&out, r->key);
	tt_buf_puts(&out, ",\"status\":");
	tt_json_string(&out, tt_replay_item_status_text(r->status), strlen(tt_replay_item_status_text(r->status)));
	if (r->http_status)
		tt_buf_printf(&out, ",\"StatusCode\":%ld", r->http_status);
	json_field_str(&out, "FunctionError", r->function_error);
	json_field_str(&out, "errorType", r->error_type);
	json_field_str(&out, "errorMessage", r->error_message);
	json_field_str(&out, "RequestId", r->request_id);
	if (r->duration_ms >= 0)
		tt_buf_printf(&out, ",\"duration_ms\":%lld", (long long)r->duration_ms);
	if (r->response) {
		/* As the function returned it, numbers exact; a string when it is not JSON. */
		parsed = json_loadb(r->response, r->response_len, JSON_DECODE_ANY, NULL);
		tt_buf_puts(&out, ",\"Payload\":");
		if (parsed)
			tt_json_compact(r->response, r->response_len, &out);
		else
			tt_json_string(&out, r->response, r->response_len);
		json_decref(parsed);
	}
	tt_buf_puts(&out, "}\n");
	write_out(&out, san);
	tt_buf_clear(&out);
}

static void print_text(const struct front *f, size_t i, const struct tt_replay_batch_result *r)
{
	struct tt_buf line;
	char *safe;

	tt_buf_init(&line, 0);
	tt_buf_printf(&line, "%zu\t%s\t%s", i + 1, tt_replay_item_status_text(r->status), r->key);
	if (r->http_status)
		tt_buf_printf(&line, "\tstatus %ld", r->http_status);
	if (*r->request_id)
		tt_buf_printf(&line, "\trequest %s", r->request_id);
	if (r->duration_ms >= 0)
		tt_buf_printf(&line, "\t%lld ms", (long long)r->duration_ms);
	if (r->status == TT_ITEM_FUNCTION_ERROR) {
		char *text = tt_invoke_error_text(r->function_error, r->error_type, r->error_message);

		tt_buf_printf(&line, "\t%s", text);
		free(text);
	} else if (r->status == TT_ITEM_FAILED)
		tt_buf_printf(&line, "\t%s", r->error_message);
	tt_buf_putc(&line, '\0');
	/* Keys, ids and messages come from files and AWS: sanitized, tabs kept. */
	safe = tt_sanitize(line.data, f->san | TT_SAN_KEEP_TAB);
	printf("%s\n", safe);
	free(safe);
	tt_buf_clear(&line);
}

static void print_payload(const struct tt_replay_batch_result *r, unsigned san)
{
	struct tt_buf out;

	tt_buf_init(&out, 0);
	tt_json_compact(r->payload ? r->payload : "", r->payload ? r->payload_len : 0, &out);
	tt_buf_putc(&out, '\n');
	write_out(&out, san);
	tt_buf_clear(&out);
}

static void progress(struct front *f, struct tt_replay_batch *b, bool end)
{
	size_t done, failed;

	if (!isatty(STDERR_FILENO))
		return;
	tt_replay_batch_progress(b, &done, &failed);
	if (end) {
		if (f->progress_shown)
			fputs("\r\033[K", stderr);
	} else {
		fprintf(stderr, "\r\033[Ktiertop: replay: %zu/%zu done, %zu failed", done, tt_replay_batch_count(b),
			failed);
		f->progress_shown = true;
	}
	fflush(stderr);
}

static void on_item(void *ctx, struct tt_replay_batch *b, size_t i, const struct tt_replay_batch_result *r)
{
	struct front *f = ctx;

	progress(f, b, true);
	switch (r->status) {
	case TT_ITEM_OK:
		f->ok++;
		break;
	case TT_ITEM_FUNCTION_ERROR:
		f->function_errors++;
		break;
	case TT_ITEM_SKIPPED:
		f->skipped++;
		break;
	default:
		if (r->status == TT_ITEM_FAILED)
			f->failed++;
		break;
	}
	if (f->c->dry_run && r->status == TT_ITEM_BUILT)
		print_payload(r, f->san);
	else if (f->json)
		print_json(r, f->san);
	else
		print_text(f, i, r);
	fflush(stdout);
	progress(f, b, false);
}

static int outcome(struct front *f, struct tt_replay_batch *b)
{
	const struct tt_err *err = tt_replay_batch_error(b);
	size_t n = tt_replay_batch_count(b);

	progress(f, b, true);
	if (err)
		return tt_app_fail(err);
	if (tt_replay_batch_state(b) == TT_BATCH_DECLINED) {
		fprintf(stderr, "tiertop: not replayed; nothing was invoked\n");
		return TT_EXIT_FAILURE;
	}
	if (f->c->dry_run) {
		fprintf(stderr, "tiertop: dry run: %zu payload%s built, nothing sent%s\n", n - f->failed - f->skipped,
			n - f->failed - f->skipped == 1 ? "" : "s", f->failed ? " (some items failed)" : "");
		return f->failed || f->skipped ? TT_EXIT_FAILURE : 0;
	}
	fprintf(stderr, "tiertop: replayed %zu of %zu items: %zu ok, %zu function error%s, %zu failed, %zu skipped%s\n",
		n - f->skipped, n, f->ok, f->function_errors, f->function_errors == 1 ? "" : "s", f->failed, f->skipped,
		stop_requested ? " (stopped by Ctrl-C)" : "");
	if (f->failed || stop_requested)
		return TT_EXIT_FAILURE;
	return f->function_errors ? TT_EXIT_FUNCTION : 0;
}

static long wait_ms(const struct tt_replay_batch *b, int64_t now)
{
	int64_t d = tt_replay_batch_deadline(b);

	if (d < 0 || d - now > 1000)
		return 1000;
	return d > now ? (long)(d - now) : 0;
}

static int drive(struct front *f, struct tt_replay_batch *b)
{
	struct sigaction old;
	int rc;

	signals_on(&old);
	tt_replay_batch_start(b, tt_clock_mono_ms(), tt_clock_now_ms());
	for (;;) {
		if (stop_requested && !tt_replay_batch_stopped(b))
			tt_replay_batch_stop(b);
		tt_replay_batch_clock(b, tt_clock_mono_ms(), tt_clock_now_ms());
		tt_http_dispatch(f->app->http);
		if (f->asked) {
			answer(f, b);
			continue;
		}
		if (tt_replay_batch_finished(b))
			break;
		/* An item due now starts at the top, and its requests go out in
		 * the dispatch that follows rather than after a wait. */
		if (wait_ms(b, tt_clock_mono_ms()) == 0)
			continue;
		tt_http_wait(f->app->http, NULL, 0, wait_ms(b, tt_clock_mono_ms()));
	}
	rc = outcome(f, b);
	sigaction(SIGINT, &old, NULL);
	return rc;
}

int tt_replay_batch_cli(struct tt_app *app, const struct tt_replay_cli *c)
{
	struct front f = {.app = app, .c = c, .json = app->opts.json, .san = tt_app_san()};
	struct tt_replay_batch_sink sink = {on_confirm, on_item, NULL};
	struct tt_policy policy;
	struct tt_replay_io io;
	struct tt_replay_batch *b;
	struct tt_err err;
	char *endpoint = tt_invoke_front_endpoint(app, &err);
	struct tt_replay_batch_opts o = {
	    .table = c->table,
	    .keys = (const char *const *)c->keys,
	    .nkeys = c->nkeys,
	    .tpl = c->tpl,
	    .route = c->route,
	    .user_agent = "tiertop/" PACKAGE_VERSION " (replay)",
	    .rate = c->rate,
	    .stop_on_error = c->stop_on_error,
	    .dry_run = c->dry_run,
	    .invoke = {.function = c->function,
		       .qualifier = c->qualifier,
		       .type = c->type,
		       .region = app->region,
		       .endpoint = endpoint,
		       .policy = &policy},
	};
	int rc;

	tt_invoke_front_policy(app, &policy);
	tt_replay_io_aws(&io, &app->aws);
	if (!endpoint || !(b = tt_replay_batch_new(&o, &io, &sink, &f, &err))) {
		rc = tt_app_fail(&err);
	} else {
		rc = drive(&f, b);
		tt_replay_batch_free(&b);
	}
	banner_clear(&f);
	tt_policy_clear(&policy);
	free(endpoint);
	return rc;
}
