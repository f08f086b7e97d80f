/* tiertop functions [--state]: every Lambda function in the region with its
 * runtime, memory, timeout and last change, which is what ListFunctions
 * returns (one call per 50 functions).
 *
 * ListFunctions leaves out State and LastUpdateStatus (AWS documents them
 * as fields it omits). Only --state asks for them: one
 * GetFunctionConfiguration per function, a few at a time so that a large
 * account does not trip the control plane's rate limit. That is 60 calls
 * for 60 functions where the listing took 2, so it is not the default. A
 * state that cannot be read shows as "?" (null with --json) and the table is
 * still printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app.h"
#include "tiertop/clock.h"
#include "tiertop/fanout.h"
#include "tiertop/sanitize.h"
#include "tiertop/svc_lambda.h"
#include "tiertop/xalloc.h"

#define LOOKUPS_IN_FLIGHT 8
#define NAME_WIDTH_MAX    48

struct functions_run {
	struct tt_app *app;
	bool want_state;
	struct tt_lambda_functions list;
	bool done;
	bool failed;
	struct tt_err err;
	struct tt_fanout lookups; /* --state only */
};

struct lookup {
	struct functions_run *run;
	size_t i;
};

static void take(char **mine, char **theirs)
{
	free(*mine);
	*mine = *theirs;
	*theirs = NULL;
}

static void on_config(void *ctx, struct tt_lambda_function *fn, const struct tt_err *err)
{
	struct lookup *l = ctx;
	struct functions_run *r = l->run;
	struct tt_lambda_function *mine = &r->list.items[l->i];

	if (err) {
		tt_fanout_fail(&r->lookups, err);
	} else {
		take(&mine->state, &fn->state);
		take(&mine->last_update_status, &fn->last_update_status);
	}
	free(l);
	r->done = tt_fanout_done(&r->lookups);
}

/* An endpoint whose listing already carries both fields (some emulators
 * send the full configuration) is not asked again. */
static bool start_lookup(void *ctx, size_t i)
{
	struct functions_run *r = ctx;
	const struct tt_lambda_function *f = &r->list.items[i];
	struct lookup *l;
	struct tt_err err;

	if (*f->state && *f->last_update_status)
		return false;
	l = tt_xcalloc(1, sizeof(*l));
	l->run = r;
	l->i = i;
	if (tt_lambda_get_function_configuration(&r->app->aws, f->name, NULL, on_config, l, &err) == 0)
		return true;
	free(l);
	tt_fanout_fail(&r->lookups, &err);
	return false;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct tt_lambda_function *)a)->name,
	              ((const struct tt_lambda_function *)b)->name);
}

static void on_list(void *ctx, struct tt_lambda_functions *list, const struct tt_err *err)
{
	struct functions_run *r = ctx;

	if (err) {
		r->err = *err;
		r->failed = r->done = true;
		return;
	}
	r->list = *list;
	memset(list, 0, sizeof(*list));
	qsort(r->list.items, r->list.n, sizeof(*r->list.items), by_name);
	if (!r->want_state) {
		r->done = true;
		return;
	}
	tt_fanout_init(&r->lookups, r->list.n, LOOKUPS_IN_FLIGHT, start_lookup, r);
	r->done = tt_fanout_pump(&r->lookups);
}

/* "2024-05-01T12:00:00.000+0000" as "2024-05-01T12:00:00Z"; as written when
 * it does not parse. */
static void modified_text(const char *aws, char out[64])
{
	time_t t;

	if (tt_time_parse_iso8601(aws, &t) == 0)
		tt_time_iso8601(t, out);
	else
		snprintf(out, 64, "%s", aws);
}

/* Asked for but unreadable is null: "" would pass for an answer. */
static json_t *known_or_null(const char *s)
{
	return *s ? json_string(s) : json_null();
}

static json_t *function_json(const struct tt_lambda_function *f, bool with_state)
{
	json_t *o =
	    json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s}", "FunctionName", f->name, "FunctionArn",
	              f->arn, "Runtime", f->runtime, "PackageType", f->package_type, "MemorySize",
	              (json_int_t)f->memory_mb, "Timeout", (json_int_t)f->timeout_s, "LastModified",
	              f->last_modified, "Architecture", f->architecture, "Description", f->description);

	if (with_state) {
		json_object_set_new(o, "State", known_or_null(f->state));
		json_object_set_new(o, "LastUpdateStatus", known_or_null(f->last_update_status));
	}
	return o;
}

static void print_json(const struct tt_lambda_functions *list, bool with_state)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < list->n; i++)
		json_array_append_new(arr, function_json(&list->items[i], with_state));
	json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	putchar('\n');
	json_decref(arr);
}

static void print_row(int width, const char *name, const struct tt_lambda_function *f, bool with_state)
{
	char modified[64];
	char *runtime = tt_sanitize(*f->runtime ? f->runtime : "(image)", tt_app_san());
	char *mod;

	modified_text(f->last_modified, modified);
	mod = tt_sanitize(modified, tt_app_san());
	printf("%-*s  %-14s %4ld MB %6ld s  ", width, name, runtime, f->memory_mb, f->timeout_s);
	if (with_state) {
		char *state = tt_sanitize(*f->state ? f->state : "?", tt_app_san());
		char *update = tt_sanitize(*f->last_update_status ? f->last_update_status : "?", tt_app_san());
		printf("%-20s  %-8s  %s\n", mod, state, update);
		free(state);
		free(update);
	} else {
		printf("%s\n", mod);
	}
	free(runtime);
	free(mod);
}

static void print_table(const struct tt_lambda_functions *list, bool with_state)
{
	char **names = tt_xcalloc(list->n + 1, sizeof(*names));
	int width = 4;

	for (size_t i = 0; i < list->n; i++) {
		int len;
		names[i] = tt_sanitize(list->items[i].name, tt_app_san());
		len = (int)strlen(names[i]);
		if (len > width)
			width = len > NAME_WIDTH_MAX ? NAME_WIDTH_MAX : len;
	}
	printf("%-*s  %-14s %7s %8s  ", width, "NAME", "RUNTIME", "MEMORY", "TIMEOUT");
	if (with_state)
		printf("%-20s  %-8s  %s\n", "LAST MODIFIED", "STATE", "UPDATE");
	else
		printf("%s\n", "LAST MODIFIED");
	for (size_t i = 0; i < list->n; i++) {
		print_row(width, names[i], &list->items[i], with_state);
		free(names[i]);
	}
	free(names);
}

static void warn_states(const struct functions_run *r)
{
	size_t failures = r->lookups.failures;
	char line[2048];
	char *safe;

	if (!failures)
		return;
	safe = tt_sanitize(tt_err_format(&r->lookups.first_err, line, sizeof(line)), tt_app_san());
	fprintf(stderr, "tiertop: the state of %zu function%s is unknown (\"?\"): %s\n", failures,
	        failures == 1 ? "" : "s", safe);
	free(safe);
}

static const struct tt_opt functions_opts[] = {
	{"--state", NULL, 0, "add each function's state and last update (one more call per function)"},
};

const struct tt_opts_spec tt_functions_spec = {
	"functions", NULL, 0, 0, functions_opts, 1,
	"To invoke one: tiertop invoke NAME. --json prints an array.",
};

int tt_cmd_functions(struct tt_app *app, int argc, char **argv)
{
	struct functions_run r = {0};
	struct tt_err err;
	int rc = 0;

	(void)argc;
	(void)argv;
	r.want_state = tt_opts_has(&app->args, "--state");
	r.app = app;
	if (tt_app_connect(app, &err) || tt_lambda_list_functions(&app->aws, on_list, &r, &err))
		return tt_app_fail(&err);
	tt_http_run_until(app->http, &r.done);
	if (r.failed) {
		rc = tt_app_fail(&r.err);
	} else {
		if (app->opts.json)
			print_json(&r.list, r.want_state);
		else
			print_table(&r.list, r.want_state);
		warn_states(&r);
	}
	tt_lambda_functions_clear(&r.list);
	return rc;
}
