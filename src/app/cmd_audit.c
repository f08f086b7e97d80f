/* tiertop audit: what tiertop has invoked and replayed, from the audit log
 * (model/audit.c), one line per action: the intent joined with its result,
 * or "no result (interrupted?)" when the process never wrote one, so that
 * an action whose outcome is unknown is not mistaken for one that did not
 * happen. --json prints each action as one JSON object (the intent with its
 * "result", null when missing). Every string shown came from a file anyone
 * with the account could have influenced (function names, errors, keys)
 * and is sanitized. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app.h"
#include "tiertop/audit.h"
#include "tiertop/buf.h"
#include "tiertop/clock.h"
#include "tiertop/sanitize.h"
#include "tiertop/xalloc.h"

static const struct tt_opt audit_opts[] = {
	{"--since", "DURATION|ISO", 0, "only the actions since then: 30m, 2h, 7d ago, or a time such as "
	 "2026-01-31T08:00:00Z (default: all)"},
};

const struct tt_opts_spec tt_audit_spec = {
	"audit", NULL, 0, 0, audit_opts, sizeof(audit_opts) / sizeof(audit_opts[0]),
	"The log is $XDG_STATE_HOME/tiertop/audit.jsonl (default ~/.local/state/tiertop/audit.jsonl).\n"
	"--json prints one JSON object per action: the intent record with its \"result\" (null when missing).",
};

/* "2h" ago or an ISO-8601 time, in ms since the epoch. */
static int parse_since(const char *s, int64_t *out)
{
	long secs;
	time_t t;

	if (tt_duration_parse(s, &secs) == 0) {
		*out = tt_clock_now_ms() - (int64_t)secs * 1000;
		return 0;
	}
	if (tt_time_parse_iso8601(s, &t) == 0) {
		*out = (int64_t)t * 1000;
		return 0;
	}
	return -1;
}

static const char *str(json_t *rec, const char *name)
{
	const char *s = json_string_value(json_object_get(rec, name));

	return s ? s : "";
}

static void append_result(struct tt_buf *b, json_t *res)
{
	json_t *err = json_object_get(res, "error"), *ms = json_object_get(res, "duration_ms");

	if (!res) {
		tt_buf_puts(b, "no result (interrupted?)");
		return;
	}
	if (err) {
		tt_buf_printf(b, "failed: %s", str(err, "message"));
		if (*str(err, "code"))
			tt_buf_printf(b, " (%s)", str(err, "code"));
	} else {
		tt_buf_printf(b, "status %lld", (long long)json_integer_value(json_object_get(res, "status")));
		if (*str(res, "function_error"))
			tt_buf_printf(b, ", function error %s%s%s%s", str(res, "function_error"),
				      *str(res, "error_type") ? " (" : "", str(res, "error_type"),
				      *str(res, "error_type") ? ")" : "");
		if (*str(res, "request_id"))
			tt_buf_printf(b, ", request id %s", str(res, "request_id"));
	}
	if (json_is_integer(ms))
		tt_buf_printf(b, ", %lld ms", (long long)json_integer_value(ms));
}

/* TIME ACTION FUNCTION[ (QUALIFIER)] TYPE SIZE ACCOUNT REGION [from TABLE KEY] -> RESULT */
static void print_text(const struct tt_audit_entry *e)
{
	json_t *in = e->intent, *replay = json_object_get(in, "replay");
	struct tt_buf b;
	char *safe;

	tt_buf_init(&b, 0);
	tt_buf_printf(&b, "%s  %s  %s", str(in, "time"), str(in, "action"), str(in, "function"));
	if (*str(in, "qualifier"))
		tt_buf_printf(&b, " (%s)", str(in, "qualifier"));
	tt_buf_printf(&b, "  %s  %lld bytes  account %s  %s", str(in, "invocation_type"),
		      (long long)json_integer_value(json_object_get(in, "payload_size")),
		      *str(in, "account") ? str(in, "account") : "?", str(in, "region"));
	if (replay) {
		json_t *key = json_object_get(replay, "key");
		char *text = json_is_string(key) ? NULL : json_dumps(key, JSON_COMPACT | JSON_ENCODE_ANY);
		tt_buf_printf(&b, "  from %s %s", str(replay, "table"), text ? text : json_string_value(key));
		free(text);
	}
	tt_buf_puts(&b, "  -> ");
	append_result(&b, e->result);
	safe = tt_sanitize(b.data, tt_app_san());
	printf("%s\n", safe);
	free(safe);
	tt_buf_clear(&b);
}

/* ASCII-escaped JSON: no control byte or UTF-8 reaches the terminal raw. */
static void print_json(const struct tt_audit_entry *e)
{
	json_t *doc = json_deep_copy(e->intent);
	char *text;

	json_object_del(doc, "record");
	json_object_set(doc, "result", e->result ? e->result : json_null());
	text = json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII);
	printf("%s\n", text);
	free(text);
	json_decref(doc);
}

int tt_cmd_audit(struct tt_app *app, int argc, char **argv)
{
	const char *since = tt_opts_get(&app->args, "--since");
	struct tt_audit_entries entries;
	int64_t since_ms = 0;
	struct tt_err err;
	char *path, *safe;

	(void)argc;
	(void)argv;
	if (since && parse_since(since, &since_ms))
		return tt_opts_usage_error(&tt_audit_spec, "--since takes a duration such as 2h or a time such as "
							   "2026-01-31T08:00:00Z");
	if (!(path = tt_audit_default_path(&err)))
		return tt_app_fail(&err);
	if (tt_audit_load(path, since_ms, &entries, &err)) {
		free(path);
		return tt_app_fail(&err);
	}
	for (size_t i = 0; i < entries.n; i++) {
		if (app->opts.json)
			print_json(&entries.items[i]);
		else
			print_text(&entries.items[i]);
	}
	safe = tt_sanitize(path, tt_app_san());
	if (entries.bad_lines)
		fprintf(stderr, "tiertop: %zu line%s of %s %s not a record (skipped)\n", entries.bad_lines,
			entries.bad_lines == 1 ? "" : "s", safe, entries.bad_lines == 1 ? "is" : "are");
	if (!entries.n)
		fprintf(stderr, "(no actions recorded in %s%s)\n", safe, since ? " in that time" : "");
	free(safe);
	free(path);
	tt_audit_entries_clear(&entries);
	return 0;
}
