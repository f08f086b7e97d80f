/* tiertop replay TABLE --key JSON --to FUNCTION: sends a stored DynamoDB
 * item through a Lambda function again, as itself or wrapped in the event
 * that would have carried it (an API Gateway proxy event for one of the
 * application's routes, a DynamoDB Streams record, or the user's own
 * template). The typical use: a record the function once rejected or
 * mishandled, replayed after a fix.
 *
 * Order matters, as for invoke: everything that can be refused is refused
 * before any request (read-only mode first, then the command line, the key,
 * the template file, a missing terminal), then, for an API Gateway event,
 * the application's routes are listed and one chosen (--route, else the
 * route to the function, else the first POST route), then the replay job
 * (model/replay.c) reads the item (GetItem), builds the payload and runs the
 * invocation job, whose question is answered and whose answer is printed by
 * invoke's own front end: lookups, the banner, y/N, Invoke, the answer on
 * stdout and exit 6 for a function error.
 *
 * A key that matches no item is an error (exit 4), unlike `items --key`:
 * there is nothing to replay, and carrying on with an empty payload would
 * invoke the function with something nobody asked for. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "invoke_front.h"
#include "replay_cli.h"
#include "select.h"
#include "tiertop/clock.h"
#include "tiertop/ddb_value.h"
#include "tiertop/http.h"
#include "tiertop/policy.h"
#include "tiertop/replay.h"
#include "tiertop/stack.h"
#include "tiertop/xalloc.h"

struct replay_opts {
	const char *table;
	const char *key;
	const char *function;
	const char *template_arg;
	const char *qualifier;
	const char *route; /* --route 'METHOD /path' */
	enum tt_lambda_invocation type;
	bool log;
	bool yes;
	/* the batch form: --keys */
	const char *keys;
	double rate;
	bool stop_on_error;
	bool dry_run; /* print the payloads, send nothing */
};

struct replay_input {
	struct tt_replay_template tpl;
	struct tt_replay_routes routes; /* the application's, for the apigw templates */
	size_t route;
	char **keys; /* --keys */
	size_t nkeys;
};

struct discovery {
	bool done;
	struct tt_stack *stack;
	struct tt_err err;
};

/* --- the command line --------------------------------------------------- */

static const struct tt_opt replay_opts[] = {
	{"--key", "JSON", 0, "the item's key attributes as plain JSON"},
	{"--keys", "FILE|-", 0, "many items: their keys as JSON Lines or a JSON array (- reads standard input)"},
	{"--to", "FUNCTION", 0, "the function to send it through (required)"},
	{"--template", "raw|apigw|apigw2|stream|@FILE", 0, "the payload: the item itself (raw, the default), an "
	 "API Gateway proxy event (REST or HTTP API), a DynamoDB Streams event, or a file with {{item}}"},
	{"--route", "'METHOD /path'", 0, "the API route of an apigw event (default: the function's)"},
	{"--qualifier", "Q", 0, "a version or alias of the function"},
	{"--async", NULL, 0, "asynchronous (Event): queued, the answer is 202"},
	{"--dry-run", NULL, 0, "read the items and print the payloads as JSON Lines, exactly as they would be "
	 "sent; nothing is sent (allowed in read-only mode)"},
	{"--check", NULL, 0, "one --key: Lambda's DryRun invocation type; Lambda checks parameters and "
	 "permission, nothing runs"},
	{"--rate", "N", 0, "with --keys: at most N invocations per second (default: one at a time, unlimited)"},
	{"--stop-on-error", NULL, 0, "with --keys: stop at the first item that fails (default: go on)"},
	{"--log", NULL, 0, "show the tail of the function's log (synchronous only)"},
	{"--yes", NULL, 0, "don't ask (needed without a terminal)"},
	{"-y", NULL, 0, "same as --yes"},
};

const struct tt_opts_spec tt_replay_spec = {
	"replay", "TABLE", 1, 1, replay_opts, sizeof(replay_opts) / sizeof(replay_opts[0]),
	"The item is read (GetItem), the payload built, the target shown and confirmed like invoke's, and the\n"
	"replay recorded in the audit log first (tiertop audit). Exit 6 when the function reports an error.\n"
	"With --keys, one typed confirmation for the whole batch (the number of items or the function's name),\n"
	"then one line per item (a JSON object with --json); Ctrl-C stops between items.",
};

static int parse_rate(const char *text, double *rate)
{
	char *end;

	errno = 0;
	*rate = strtod(text, &end);
	return errno || end == text || *end || !(*rate > 0 && *rate <= 1000) ? -1 : 0;
}

static int parse_args(const struct tt_opts *a, struct replay_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->table = a->operands[0];
	o->key = tt_opts_get(a, "--key");
	o->function = tt_opts_get(a, "--to");
	o->template_arg = tt_opts_get(a, "--template");
	o->qualifier = tt_opts_get(a, "--qualifier");
	o->route = tt_opts_get(a, "--route");
	o->log = tt_opts_has(a, "--log");
	o->yes = tt_opts_has(a, "--yes") || tt_opts_has(a, "-y");
	o->keys = tt_opts_get(a, "--keys");
	o->stop_on_error = tt_opts_has(a, "--stop-on-error");
	if (o->key && o->keys)
		return tt_opts_usage_error(&tt_replay_spec, "--key and --keys exclude each other");
	if ((!o->key && !o->keys) || !o->function)
		return tt_opts_usage_error(&tt_replay_spec,
					   !o->function ? "which function? (--to)" : "which item? (--key or --keys)");
	if (!o->keys && (tt_opts_has(a, "--rate") || o->stop_on_error))
		return tt_opts_usage_error(&tt_replay_spec, "--rate and --stop-on-error go with --keys");
	if (tt_opts_has(a, "--rate") && parse_rate(tt_opts_get(a, "--rate"), &o->rate))
		return tt_opts_usage_error(&tt_replay_spec,
					   "--rate takes invocations per second, over 0 and up to 1000");
	if (o->keys && o->log)
		return tt_opts_usage_error(&tt_replay_spec, "--log goes with a single --key");
	o->dry_run = tt_opts_has(a, "--dry-run");
	if (o->dry_run && (tt_opts_has(a, "--check") || tt_opts_has(a, "--async") || o->log))
		return tt_opts_usage_error(&tt_replay_spec, "--dry-run sends nothing: it goes without --check, "
							   "--async and --log");
	if (tt_opts_has(a, "--async") && tt_opts_has(a, "--check"))
		return tt_opts_usage_error(&tt_replay_spec, "--async and --check exclude each other");
	if (o->keys && tt_opts_has(a, "--check"))
		return tt_opts_usage_error(&tt_replay_spec, "--check goes with a single --key");
	o->type = tt_opts_has(a, "--async") ? TT_LAMBDA_ASYNC
		  : tt_opts_has(a, "--check") ? TT_LAMBDA_DRY_RUN
					       : TT_LAMBDA_SYNC;
	if (o->log && o->type != TT_LAMBDA_SYNC)
		return tt_opts_usage_error(&tt_replay_spec, "--log needs a synchronous invoke (Lambda returns no "
							   "log for --async or --check)");
	return 0;
}

/* --- refused before the network ------------------------------------------- */

/* Everything that can be refused without the network, read-only first. */
static int refuse_early(struct tt_app *app, const struct replay_opts *o, struct replay_input *in, FILE **tty,
                        struct tt_err *err)
{
	char *what = o->keys ? tt_xasprintf("replay items of %s into %s", o->table, o->function)
			     : tt_xasprintf("replay an item of %s into %s", o->table, o->function);
	struct tt_ddb_value *key = NULL;
	struct tt_replay_route route;
	int rc = -1;

	if (o->type != TT_LAMBDA_DRY_RUN && !o->dry_run && tt_app_refuse_if_read_only(app, what, err))
		goto out;
	if (tt_invoke_check_target(o->function, o->qualifier, err))
		goto out;
	if (o->keys && tt_replay_keys_load(o->keys, &in->keys, &in->nkeys, err))
		goto out;
	if (o->key && tt_ddb_item_parse(o->key, strlen(o->key), TT_DDB_PLAIN, &key, err)) {
		tt_err_prefix(err, "--key");
		goto out;
	}
	if (tt_replay_template_load(o->template_arg, &in->tpl, err))
		goto out;
	if (o->route && !tt_replay_needs_route(in->tpl.kind)) {
		tt_err_set(err, TT_ERR_USAGE, "--route goes with --template apigw or apigw2");
		goto out;
	}
	if (o->route) {
		if (tt_replay_route_parse(o->route, &route, err))
			goto out;
		tt_replay_route_clear(&route);
	}
	/* A dry run sends nothing: nothing to confirm. One key is a batch of one. */
	if (o->dry_run && o->key) {
		in->keys = tt_xcalloc(1, sizeof(*in->keys));
		in->keys[0] = tt_xstrdup(o->key);
		in->nkeys = 1;
	}
	if (o->dry_run)
		rc = 0;
	else
		rc = tt_app_confirm_open(o->yes, o->keys && strcmp(o->keys, "-") == 0, what, tty, err);
out:
	tt_ddb_value_free(&key);
	free(what);
	return rc;
}

/* --- the application's routes ------------------------------------------------ */

static void on_stack(void *ctx, struct tt_stack *stack, const struct tt_err *err)
{
	struct discovery *d = ctx;

	if (err)
		d->err = *err;
	d->stack = stack;
	d->done = true;
}

/* The routes of the application (as status and the console choose it: the
 * configured one, else the whole region), and the one the event is for. */
static int pick_route(struct tt_app *app, const struct replay_opts *o, struct replay_input *in,
                      struct tt_err *err)
{
	struct tt_selection sel = {0};
	struct discovery d = {0};
	int rc;

	if (tt_selection_finish(&sel, app, "replay")) {
		tt_selection_clear(&sel);
		return tt_err_set(err, TT_ERR_USAGE, "choose the application (--app) whose routes the event is for");
	}
	rc = tt_stack_discover(&app->aws, sel.sel, sel.n, on_stack, &d, err);
	tt_selection_clear(&sel);
	if (rc)
		return -1;
	tt_http_run_until(app->http, &d.done);
	if (!d.stack) {
		*err = d.err;
		tt_err_prefix(err, "cannot list the application's API routes; nothing was invoked");
		return -1;
	}
	tt_replay_routes_from_stack(d.stack, &in->routes);
	tt_stack_free(&d.stack);
	if (tt_replay_route_pick(&in->routes, o->route, o->function, &in->route, err)) {
		tt_err_prefix(err, "nothing was invoked");
		return -1;
	}
	return 0;
}

/* --- driving the replay job -------------------------------------------------- */

static bool job_finished(const void *job)
{
	return tt_replay_finished(job);
}

static void job_clock(void *job, int64_t now_ms)
{
	tt_replay_clock(job, now_ms);
}

static void job_confirm(void *job, bool yes)
{
	tt_replay_confirm(job, yes);
}

static const struct tt_invoke *job_invocation(const void *job)
{
	return tt_replay_invoke(job);
}

static const struct tt_err *job_error(const void *job)
{
	return tt_replay_error(job);
}

static void on_confirm(void *ctx, struct tt_replay *job, const struct tt_invoke_banner *b)
{
	(void)job;
	tt_invoke_front_ask(ctx, b);
}

static int replay_send(struct tt_app *app, const struct replay_opts *o, const struct replay_input *in, FILE *tty)
{
	char *question = tt_xasprintf("Replay the item into %s now?", o->function);
	struct tt_invoke_front f = {.app = app,
	                            .question = question,
	                            .declined = "not replayed; nothing was invoked",
	                            .tty = tty,
	                            .log = o->log,
	                            .type = o->type};
	struct tt_replay_sink sink = {on_confirm, NULL};
	struct tt_policy policy;
	struct tt_replay_io io;
	struct tt_replay *job;
	struct tt_err err;
	char *endpoint = tt_invoke_front_endpoint(app, &err);
	struct tt_replay_opts ro = {
	    .table = o->table,
	    .key = o->key,
	    .tpl = &in->tpl,
	    .route = tt_replay_needs_route(in->tpl.kind) ? &in->routes.items[in->route] : NULL,
	    .user_agent = "tiertop/" PACKAGE_VERSION " (replay)",
	    .invoke =
	        {
	            .function = o->function,
	            .qualifier = o->qualifier,
	            .type = o->type,
	            .log = o->log,
	            .region = app->region,
	            .endpoint = endpoint,
	            .policy = &policy,
	        },
	};
	int rc;

	tt_invoke_front_policy(app, &policy);
	tt_replay_io_aws(&io, &app->aws);
	if (!endpoint || !(job = tt_replay_new(&ro, &io, &sink, &f, &err))) {
		rc = tt_app_fail(&err);
	} else {
		tt_replay_start(job, tt_invoke_front_now(), tt_clock_now_ms());
		rc = tt_invoke_front_drive(&f, &(struct tt_invoke_driver){job, job_finished, job_clock, job_confirm,
		                                                          job_invocation, job_error});
		tt_replay_free(&job);
	}
	tt_invoke_front_clear(&f);
	tt_policy_clear(&policy);
	free(endpoint);
	free(question);
	return rc;
}

static int replay_batch(struct tt_app *app, const struct replay_opts *o, const struct replay_input *in, FILE *tty)
{
	struct tt_replay_cli c = {
	    .table = o->table,
	    .function = o->function,
	    .qualifier = o->qualifier,
	    .type = o->type,
	    .dry_run = o->dry_run,
	    .stop_on_error = o->stop_on_error,
	    .rate = o->rate,
	    .tpl = &in->tpl,
	    .route = tt_replay_needs_route(in->tpl.kind) ? &in->routes.items[in->route] : NULL,
	    .keys = in->keys,
	    .nkeys = in->nkeys,
	    .tty = tty,
	};

	return tt_replay_batch_cli(app, &c);
}

/* --- the verb ----------------------------------------------------------- */

int tt_cmd_replay(struct tt_app *app, int argc, char **argv)
{
	struct replay_opts o;
	struct replay_input in = {0};
	struct tt_err err;
	FILE *tty = NULL;
	int rc;

	(void)argc;
	(void)argv;
	if (parse_args(&app->args, &o))
		return TT_EXIT_USAGE;
	if (refuse_early(app, &o, &in, &tty, &err) || tt_app_connect(app, &err) ||
	    (tt_replay_needs_route(in.tpl.kind) && pick_route(app, &o, &in, &err)))
		rc = tt_app_fail(&err);
	else if (o.keys || o.dry_run)
		rc = replay_batch(app, &o, &in, tty);
	else
		rc = replay_send(app, &o, &in, tty);
	if (tty)
		fclose(tty);
	tt_replay_template_clear(&in.tpl);
	tt_replay_routes_clear(&in.routes);
	tt_replay_keys_free(in.keys, in.nkeys);
	return rc;
}
