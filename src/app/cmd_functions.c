/* tiertop functions: every Lambda function in the region with its runtime,
 * memory, timeout, last change and state.
 *
 * ListFunctions does not report State (AWS documents it as one of the
 * fields it leaves out), so each function whose listing lacks it is looked
 * up with GetFunctionConfiguration, a few at a time so that a large account
 * does not trip the control plane's rate limit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app.h"
#include "tiertop/clock.h"
#include "tiertop/sanitize.h"
#include "tiertop/svc_lambda.h"
#include "tiertop/xalloc.h"

#define LOOKUPS_IN_FLIGHT 8
#define NAME_WIDTH_MAX    48

struct functions_run {
	struct tt_app *app;
	struct tt_lambda_functions list;
	bool done;
	bool failed;
	struct tt_err err;
	size_t next; /* next function to look at for a state */
	int in_flight;
	size_t state_failures;
	struct tt_err state_err;
};

struct lookup {
	struct functions_run *run;
	size_t i;
};

static void pump(struct functions_run *r);

static void on_config(void *ctx, struct tt_lambda_function *fn, const struct tt_err *err)
{
	struct lookup *l = ctx;
	struct functions_run *r = l->run;
	struct tt_lambda_function *mine = &r->list.items[l->i];

	if (err) {
		if (r->state_failures++ == 0)
			r->state_err = *err;
	} else {
		free(mine->state);
		mine->state = fn->state;
		fn->state = NULL;
	}
	free(l);
	r->in_flight--;
	pump(r);
}

static void pump(struct functions_run *r)
{
	struct tt_err err;

	while (r->in_flight < LOOKUPS_IN_FLIGHT && r->next < r->list.n) {
		struct lookup *l;
		size_t i = r->next++;
		if (*r->list.items[i].state)
			continue;
		l = tt_xcalloc(1, sizeof(*l));
		l->run = r;
		l->i = i;
		if (tt_lambda_get_function_configuration(&r->app->aws, r->list.items[i].name, NULL, on_config,
							 l, &err)) {
			free(l);
			if (r->state_failures++ == 0)
				r->state_err = err;
			continue;
		}
		r->in_flight++;
	}
	if (r->in_flight == 0 && r->next >= r->list.n)
		r->done = true;
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
	pump(r);
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

static void print_json(const struct tt_lambda_functions *list)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < list->n; i++) {
		const struct tt_lambda_function *f = &list->items[i];
		json_array_append_new(
		    arr, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s}", "FunctionName",
				   f->name, "FunctionArn", f->arn, "Runtime", f->runtime, "PackageType",
				   f->package_type, "MemorySize", (json_int_t)f->memory_mb, "Timeout",
				   (json_int_t)f->timeout_s, "LastModified", f->last_modified, "State",
				   f->state, "Architecture", f->architecture, "Description", f->description));
	}
	json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	putchar('\n');
	json_decref(arr);
}

static void print_table(const struct tt_lambda_functions *list)
{
	char **names = tt_xcalloc(list->n + 1, sizeof(*names));
	int width = 4;

	for (size_t i = 0; i < list->n; i++) {
		int len;
		names[i] = tt_sanitize(list->items[i].name, 0);
		len = (int)strlen(names[i]);
		if (len > width)
			width = len > NAME_WIDTH_MAX ? NAME_WIDTH_MAX : len;
	}
	printf("%-*s  %-14s %7s %8s  %-20s  %s\n", width, "NAME", "RUNTIME", "MEMORY", "TIMEOUT",
	       "LAST MODIFIED", "STATE");
	for (size_t i = 0; i < list->n; i++) {
		const struct tt_lambda_function *f = &list->items[i];
		char modified[64];
		char *runtime = tt_sanitize(*f->runtime ? f->runtime : "(image)", 0);
		char *state = tt_sanitize(*f->state ? f->state : "?", 0);
		char *mod;

		modified_text(f->last_modified, modified);
		mod = tt_sanitize(modified, 0);
		printf("%-*s  %-14s %4ld MB %6ld s  %-20s  %s\n", width, names[i], runtime, f->memory_mb,
		       f->timeout_s, mod, state);
		free(runtime);
		free(state);
		free(mod);
		free(names[i]);
	}
	free(names);
}

static void warn_states(const struct functions_run *r)
{
	char line[2048];
	char *safe;

	if (!r->state_failures)
		return;
	safe = tt_sanitize(tt_err_format(&r->state_err, line, sizeof(line)), 0);
	fprintf(stderr, "tiertop: the state of %zu function%s is unknown (\"?\"): %s\n", r->state_failures,
		r->state_failures == 1 ? "" : "s", safe);
	free(safe);
}

int tt_cmd_functions(struct tt_app *app, int argc, char **argv)
{
	struct functions_run r = {0};
	struct tt_err err;
	int rc = 0;

	if (argc > 1) {
		fprintf(stderr, "tiertop: functions takes no arguments (did you mean: tiertop invoke %s?)\n",
			argv[1]);
		return 2;
	}
	r.app = app;
	if (tt_app_connect(app, &err) || tt_lambda_list_functions(&app->aws, on_list, &r, &err))
		return tt_app_fail(&err);
	tt_http_run_until(app->http, &r.done);
	if (r.failed) {
		rc = tt_app_fail(&r.err);
	} else {
		if (app->opts.json)
			print_json(&r.list);
		else
			print_table(&r.list);
		warn_states(&r);
	}
	tt_lambda_functions_clear(&r.list);
	return rc;
}
