/* The batch replay job (see replay_batch.h): refuse, resolve once, ask
 * once, then one replay job per item, spaced by the rate limit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiertop/ddb_value.h"
#include "tiertop/policy.h"
#include "tiertop/replay_batch.h"
#include "tiertop/xalloc.h"

/* A lookup in flight; outlives a freed batch (the answer is then dropped). */
struct lookup_call {
	struct tt_replay_batch *b;
	struct lookup_call *next;
};

struct slot {
	enum tt_replay_item_status status;
	char *key;
	long http_status;
	char *function_error, *error_type, *error_message, *request_id;
	int64_t duration_ms;
	char *payload, *response;
	size_t payload_len, response_len;
};

struct tt_replay_batch {
	/* the options, owned */
	char *table, *user_agent, *function, *qualifier, *region, *endpoint, *account, *caller_arn, *what;
	struct tt_replay_template tpl;
	struct tt_replay_route route;
	bool has_route;
	double rate;
	int64_t interval_ms;
	bool stop_on_error, dry_run;
	struct tt_invoke_opts iopts;
	struct tt_replay_io io;
	struct tt_replay_batch_sink sink;
	void *ctx;

	enum tt_replay_batch_state state;
	struct lookup_call *calls;
	int pending;
	bool id_failed, fn_found, fn_failed;
	struct tt_err id_err, fn_err, err;
	struct tt_lambda_function fn;

	struct slot *items;
	size_t n, next, done, failed;
	struct tt_replay *cur;
	size_t cur_index;
	bool cur_ended;
	int64_t now_ms, wall_ms, last_start_ms;
	bool started_any, stopped;
};

const char *tt_replay_item_status_text(enum tt_replay_item_status s)
{
	switch (s) {
	case TT_ITEM_PENDING:
		return "pending";
	case TT_ITEM_RUNNING:
		return "running";
	case TT_ITEM_OK:
		return "ok";
	case TT_ITEM_FUNCTION_ERROR:
		return "function error";
	case TT_ITEM_FAILED:
		return "failed";
	case TT_ITEM_BUILT:
		return "dry run";
	case TT_ITEM_SKIPPED:
		return "skipped";
	}
	return "?";
}

static char *dup_or_null(const char *s)
{
	return s ? tt_xstrdup(s) : NULL;
}

static void finish(struct tt_replay_batch *b, enum tt_replay_batch_state state)
{
	b->state = state;
	/* The sink may free b: nothing of it is touched after. */
	if (b->sink.done)
		b->sink.done(b->ctx, b);
}

static void fail(struct tt_replay_batch *b, const struct tt_err *err)
{
	b->err = *err;
	finish(b, TT_BATCH_FAILED);
}

/* --- the items --------------------------------------------------------------------------- */

static void report(struct tt_replay_batch *b, size_t i)
{
	struct tt_replay_batch_result r;

	if (!b->sink.item)
		return;
	tt_replay_batch_result(b, i, &r);
	b->sink.item(b->ctx, b, i, &r);
}

static void take_invoke(struct slot *s, const struct tt_invoke *inv)
{
	const struct tt_invoke_result *res = inv ? tt_invoke_result(inv) : NULL;

	if (!res) {
		s->status = TT_ITEM_FAILED;
		s->error_message = tt_xstrdup(inv && tt_invoke_state(inv) == TT_INVOKE_DECLINED ? "declined" : "");
		return;
	}
	s->http_status = res->out->status;
	s->function_error = tt_xstrdup(res->out->function_error ? res->out->function_error : "");
	s->error_type = tt_xstrdup(res->error_type ? res->error_type : "");
	s->error_message = tt_xstrdup(res->error_message ? res->error_message : "");
	s->request_id = tt_xstrdup(res->out->request_id ? res->out->request_id : "");
	s->duration_ms = res->duration_ms;
	if (res->out->payload) {
		s->response = tt_xstrndup(res->out->payload, res->out->payload_len);
		s->response_len = res->out->payload_len;
	}
	s->status = *s->function_error ? TT_ITEM_FUNCTION_ERROR : TT_ITEM_OK;
}

/* The replay job of the item in flight ended: its outcome copied now, the
 * job freed later by pump (never inside its own callback). */
static void on_item_done(void *ctx, struct tt_replay *job)
{
	struct tt_replay_batch *b = ctx;
	struct slot *s = &b->items[b->cur_index];
	const struct tt_err *err = tt_replay_error(job);
	const char *payload;
	size_t len = 0;

	b->cur_ended = true;
	if ((payload = tt_replay_payload(job, &len))) {
		s->payload = tt_xstrndup(payload, len);
		s->payload_len = len;
	}
	if (err) {
		s->status = TT_ITEM_FAILED;
		s->error_message = tt_xstrdup(err->message);
	} else if (b->dry_run) {
		s->status = TT_ITEM_BUILT;
	} else {
		take_invoke(s, tt_replay_invoke(job));
	}
	b->done++;
	if (s->status == TT_ITEM_FAILED || s->status == TT_ITEM_FUNCTION_ERROR) {
		b->failed++;
		if (b->stop_on_error)
			b->stopped = true;
	}
	report(b, b->cur_index);
}

static void start_item(struct tt_replay_batch *b)
{
	size_t i = b->next++;
	struct tt_replay_sink sink = {NULL, on_item_done}; /* NULL: its own question answered yes */
	struct tt_replay_opts o = {
	    .table = b->table,
	    .key = b->items[i].key,
	    .tpl = &b->tpl,
	    .route = b->has_route ? &b->route : NULL,
	    .user_agent = b->user_agent,
	    .build_only = b->dry_run,
	    .invoke = b->iopts,
	};
	struct tt_err err;

	o.invoke.account = b->account;
	o.invoke.caller_arn = b->caller_arn;
	b->items[i].status = TT_ITEM_RUNNING;
	b->cur_index = i;
	b->cur_ended = false;
	b->last_start_ms = b->now_ms;
	b->started_any = true;
	b->cur = tt_replay_new(&o, &b->io, &sink, b, &err);
	if (!b->cur) {
		b->cur_ended = true;
		b->items[i].status = TT_ITEM_FAILED;
		b->items[i].error_message = tt_xstrdup(err.message);
		b->done++;
		b->failed++;
		if (b->stop_on_error)
			b->stopped = true;
		report(b, i);
		return;
	}
	tt_replay_clock(b->cur, b->now_ms);
	tt_replay_start(b->cur, b->now_ms, b->wall_ms);
}

static bool due(const struct tt_replay_batch *b)
{
	return !b->started_any || b->dry_run || b->now_ms >= b->last_start_ms + b->interval_ms;
}

static void pump(struct tt_replay_batch *b)
{
	while (b->state == TT_BATCH_RUNNING) {
		if (b->cur && !b->cur_ended)
			return;
		tt_replay_free(&b->cur);
		if (b->stopped || b->next >= b->n) {
			for (; b->next < b->n; b->next++) {
				b->items[b->next].status = TT_ITEM_SKIPPED;
				report(b, b->next);
			}
			finish(b, TT_BATCH_DONE);
			return;
		}
		if (!due(b))
			return;
		start_item(b);
	}
}

/* --- resolving and the question ------------------------------------------------------------ */

static char *qualifier_text(const struct tt_replay_batch *b)
{
	const char *q = b->qualifier;

	if (q && *q && b->fn_found && b->fn.version && *b->fn.version)
		return tt_xasprintf("%s (version %s)", q, b->fn.version);
	return tt_xstrdup(q && *q ? q : "none ($LATEST)");
}

static char *template_text(const struct tt_replay_batch *b)
{
	const char *route = b->has_route ? b->route.key : "";

	switch (b->tpl.kind) {
	case TT_REPLAY_RAW:
		return tt_xstrdup("raw (the item as plain JSON)");
	case TT_REPLAY_APIGW_V1:
		return tt_xasprintf("apigw: an API Gateway REST proxy event (%s)", route);
	case TT_REPLAY_APIGW_V2:
		return tt_xasprintf("apigw2: an API Gateway HTTP API event (%s)", route);
	case TT_REPLAY_STREAM:
		return tt_xstrdup("stream: a DynamoDB Streams INSERT event");
	case TT_REPLAY_FILE:
		break;
	}
	return tt_xasprintf("the template %s", b->tpl.path ? b->tpl.path : "");
}

static void ask(struct tt_replay_batch *b)
{
	char *qual = qualifier_text(b), *tpl = template_text(b);
	char *lookup = b->fn_failed ? tt_xasprintf("not checked (%s: %s)", b->fn_err.code, b->fn_err.message) : NULL;
	struct tt_replay_batch_banner banner = {
	    .type_text = tt_invoke_type_text(b->iopts.type),
	    .account = b->account ? b->account : "",
	    .caller_arn = b->caller_arn ? b->caller_arn : "",
	    .region = b->region ? b->region : "",
	    .endpoint = b->endpoint ? b->endpoint : "",
	    .function_arn = b->fn_found && b->fn.arn ? b->fn.arn : b->function,
	    .qualifier = qual,
	    .lookup = lookup,
	    .table = b->table,
	    .template_text = tpl,
	    .nitems = b->n,
	    .rate = b->rate,
	    .stop_on_error = b->stop_on_error,
	};

	b->state = TT_BATCH_CONFIRMING;
	if (b->sink.confirm)
		b->sink.confirm(b->ctx, b, &banner);
	else
		tt_replay_batch_confirm(b, true);
	free(qual);
	free(tpl);
	free(lookup);
}

/* As the invoke job: a missing function ends it; a lookup we may not make
 * only costs the details. */
static void resolved(struct tt_replay_batch *b)
{
	struct tt_err err;

	if (b->id_failed) {
		err = b->id_err;
		tt_err_prefix(&err, "nothing was invoked");
		fail(b, &err);
		return;
	}
	if (b->fn_failed &&
	    (b->fn_err.kind != TT_ERR_AWS || strcmp(b->fn_err.code, "ResourceNotFoundException") == 0)) {
		err = b->fn_err;
		tt_err_prefix(&err, "nothing was invoked");
		fail(b, &err);
		return;
	}
	ask(b);
}

static struct tt_replay_batch *call_end(struct lookup_call *c)
{
	struct tt_replay_batch *b = c->b;
	struct lookup_call **p;

	if (b)
		for (p = &b->calls; *p; p = &(*p)->next)
			if (*p == c) {
				*p = c->next;
				break;
			}
	free(c);
	return b;
}

static struct lookup_call *call_new(struct tt_replay_batch *b)
{
	struct lookup_call *c = tt_xcalloc(1, sizeof(*c));

	c->b = b;
	c->next = b->calls;
	b->calls = c;
	return c;
}

static void lookup_answered(struct tt_replay_batch *b)
{
	if (--b->pending == 0)
		resolved(b);
}

static void on_identity(void *ctx, const struct tt_sts_identity *id, const struct tt_err *err)
{
	struct tt_replay_batch *b = call_end(ctx);

	if (!b)
		return;
	if (err) {
		b->id_err = *err;
		b->id_failed = true;
	} else {
		b->account = tt_xstrdup(id->account ? id->account : "");
		b->caller_arn = tt_xstrdup(id->arn ? id->arn : "");
	}
	lookup_answered(b);
}

static void on_config(void *ctx, struct tt_lambda_function *fn, const struct tt_err *err)
{
	struct tt_replay_batch *b = call_end(ctx);

	if (!b)
		return;
	if (err) {
		b->fn_err = *err;
		b->fn_failed = true;
	} else {
		b->fn = *fn;
		memset(fn, 0, sizeof(*fn));
		b->fn_found = true;
	}
	lookup_answered(b);
}

static void resolve(struct tt_replay_batch *b)
{
	struct lookup_call *c;
	struct tt_err err;

	b->state = TT_BATCH_RESOLVING;
	/* One count held until both are submitted (an answer may come at once). */
	b->pending = 1;
	if (!b->account) {
		c = call_new(b);
		b->pending++;
		if (b->io.invoke.identity(b->io.invoke.io, on_identity, c, &err)) {
			call_end(c);
			tt_err_prefix(&err, "nothing was invoked");
			fail(b, &err);
			return;
		}
	}
	c = call_new(b);
	b->pending++;
	if (b->io.invoke.config(b->io.invoke.io, b->function, b->qualifier, on_config, c, &err)) {
		call_end(c);
		b->pending--;
		b->fn_failed = true;
		b->fn_err = err;
	}
	lookup_answered(b);
}

void tt_replay_batch_start(struct tt_replay_batch *b, int64_t now_ms, int64_t wall_ms)
{
	struct tt_err err;

	if (b->state != TT_BATCH_NEW)
		return;
	b->now_ms = now_ms;
	b->wall_ms = wall_ms;
	tt_err_clear(&err);
	if (!b->dry_run && tt_policy_refuse(b->iopts.policy, b->what, &err)) {
		fail(b, &err);
		return;
	}
	if (b->dry_run) {
		b->state = TT_BATCH_RUNNING;
		pump(b);
		return;
	}
	resolve(b);
}

void tt_replay_batch_confirm(struct tt_replay_batch *b, bool yes)
{
	if (b->state != TT_BATCH_CONFIRMING)
		return;
	if (!yes) {
		finish(b, TT_BATCH_DECLINED);
		return;
	}
	b->state = TT_BATCH_RUNNING;
	pump(b);
}

bool tt_replay_batch_answer_ok(const struct tt_replay_batch *b, const char *typed)
{
	char count[32];
	size_t len;

	while (*typed == ' ' || *typed == '\t')
		typed++;
	len = strlen(typed);
	while (len && strchr(" \t\r\n", typed[len - 1]))
		len--;
	snprintf(count, sizeof(count), "%zu", b->n);
	return (len == strlen(count) && memcmp(typed, count, len) == 0) ||
	       (len == strlen(b->function) && memcmp(typed, b->function, len) == 0);
}

void tt_replay_batch_clock(struct tt_replay_batch *b, int64_t now_ms, int64_t wall_ms)
{
	b->now_ms = now_ms;
	b->wall_ms = wall_ms;
	if (b->cur && !b->cur_ended)
		tt_replay_clock(b->cur, now_ms);
	pump(b);
}

int64_t tt_replay_batch_deadline(const struct tt_replay_batch *b)
{
	if (b->state != TT_BATCH_RUNNING || (b->cur && !b->cur_ended))
		return -1;
	if (b->stopped || b->next >= b->n || due(b))
		return b->now_ms;
	return b->last_start_ms + b->interval_ms;
}

void tt_replay_batch_stop(struct tt_replay_batch *b)
{
	b->stopped = true;
}

/* --- making and freeing ------------------------------------------------------------------- */

static int check_keys(const struct tt_replay_batch_opts *o, struct tt_err *err)
{
	struct tt_ddb_value *key = NULL;

	if (!o->nkeys)
		return tt_err_set(err, TT_ERR_USAGE, "no items to replay");
	for (size_t i = 0; i < o->nkeys; i++) {
		if (tt_ddb_item_parse(o->keys[i], strlen(o->keys[i]), TT_DDB_PLAIN, &key, err)) {
			tt_err_prefix(err, "key %zu", i + 1);
			return -1;
		}
		tt_ddb_value_free(&key);
	}
	return 0;
}

static void copy_template(struct tt_replay_template *dst, const struct tt_replay_template *src)
{
	memset(dst, 0, sizeof(*dst));
	if (!src)
		return;
	dst->kind = src->kind;
	dst->path = dup_or_null(src->path);
	dst->len = src->len;
	if (src->text)
		dst->text = tt_xstrndup(src->text, src->len);
}

/* Rounded up: two starts are never closer than 1/rate. */
static int64_t interval_ms(double rate)
{
	int64_t ms;

	if (rate <= 0)
		return 0;
	ms = (int64_t)(1000.0 / rate);
	return (double)ms * rate < 1000.0 ? ms + 1 : ms;
}

struct tt_replay_batch *tt_replay_batch_new(const struct tt_replay_batch_opts *o, const struct tt_replay_io *io,
					    const struct tt_replay_batch_sink *sink, void *ctx, struct tt_err *err)
{
	const struct tt_invoke_opts *io_opts = &o->invoke;
	struct tt_replay_batch *b;

	if (tt_invoke_check_target(io_opts->function, io_opts->qualifier, err) || check_keys(o, err))
		return NULL;
	if (o->tpl && tt_replay_needs_route(o->tpl->kind) && !o->route)
		return tt_err_set(err, TT_ERR_USAGE, "an API Gateway event needs a route"), NULL;
	b = tt_xcalloc(1, sizeof(*b));
	b->table = tt_xstrdup(o->table);
	b->user_agent = dup_or_null(o->user_agent);
	b->function = tt_xstrdup(io_opts->function);
	b->qualifier = dup_or_null(io_opts->qualifier);
	b->region = dup_or_null(io_opts->region);
	b->endpoint = dup_or_null(io_opts->endpoint);
	b->account = dup_or_null(io_opts->account);
	b->caller_arn = dup_or_null(io_opts->caller_arn);
	b->what = io_opts->what ? tt_xstrdup(io_opts->what)
				: tt_xasprintf("replay %zu item%s of %s into %s", o->nkeys, o->nkeys == 1 ? "" : "s",
					       o->table, io_opts->function);
	copy_template(&b->tpl, o->tpl);
	if (o->route) {
		b->route.key = tt_xstrdup(o->route->key);
		b->route.method = tt_xstrdup(o->route->method);
		b->route.path = tt_xstrdup(o->route->path);
		b->route.function = tt_xstrdup(o->route->function ? o->route->function : "");
		b->has_route = true;
	}
	b->rate = o->rate;
	b->interval_ms = interval_ms(o->rate);
	b->stop_on_error = o->stop_on_error;
	b->dry_run = o->dry_run;
	b->iopts = *io_opts;
	b->iopts.function = b->function;
	b->iopts.qualifier = b->qualifier;
	b->iopts.region = b->region;
	b->iopts.endpoint = b->endpoint;
	b->iopts.what = b->what;
	b->iopts.rows = NULL;
	b->iopts.nrows = 0;
	b->io = *io;
	if (sink)
		b->sink = *sink;
	b->ctx = ctx;
	b->n = o->nkeys;
	b->items = tt_xcalloc(b->n, sizeof(*b->items));
	for (size_t i = 0; i < b->n; i++) {
		b->items[i].key = tt_xstrdup(o->keys[i]);
		b->items[i].duration_ms = -1;
	}
	return b;
}

static void slot_clear(struct slot *s)
{
	free(s->key);
	free(s->function_error);
	free(s->error_type);
	free(s->error_message);
	free(s->request_id);
	free(s->payload);
	free(s->response);
}

void tt_replay_batch_free(struct tt_replay_batch **bp)
{
	struct tt_replay_batch *b = *bp;

	if (!b)
		return;
	for (struct lookup_call *c = b->calls; c; c = c->next)
		c->b = NULL;
	tt_replay_free(&b->cur);
	for (size_t i = 0; i < b->n; i++)
		slot_clear(&b->items[i]);
	free(b->items);
	free(b->table);
	free(b->user_agent);
	free(b->function);
	free(b->qualifier);
	free(b->region);
	free(b->endpoint);
	free(b->account);
	free(b->caller_arn);
	free(b->what);
	tt_replay_template_clear(&b->tpl);
	if (b->has_route)
		tt_replay_route_clear(&b->route);
	if (b->fn_found)
		tt_lambda_function_clear(&b->fn);
	free(b);
	*bp = NULL;
}

/* --- what it says --------------------------------------------------------------------------- */

enum tt_replay_batch_state tt_replay_batch_state(const struct tt_replay_batch *b)
{
	return b->state;
}

bool tt_replay_batch_finished(const struct tt_replay_batch *b)
{
	return b->state == TT_BATCH_DONE || b->state == TT_BATCH_FAILED || b->state == TT_BATCH_DECLINED;
}

const struct tt_err *tt_replay_batch_error(const struct tt_replay_batch *b)
{
	return b->state == TT_BATCH_FAILED ? &b->err : NULL;
}

size_t tt_replay_batch_count(const struct tt_replay_batch *b)
{
	return b->n;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

void tt_replay_batch_result(const struct tt_replay_batch *b, size_t i, struct tt_replay_batch_result *r)
{
	const struct slot *s = &b->items[i];

	*r = (struct tt_replay_batch_result){
	    .status = s->status,
	    .key = s->key,
	    .http_status = s->http_status,
	    .function_error = or_empty(s->function_error),
	    .error_type = or_empty(s->error_type),
	    .error_message = or_empty(s->error_message),
	    .request_id = or_empty(s->request_id),
	    .duration_ms = s->duration_ms,
	    .payload = s->payload,
	    .payload_len = s->payload_len,
	    .response = s->response,
	    .response_len = s->response_len,
	};
}

void tt_replay_batch_progress(const struct tt_replay_batch *b, size_t *done, size_t *failed)
{
	*done = b->done;
	*failed = b->failed;
}

bool tt_replay_batch_stopped(const struct tt_replay_batch *b)
{
	return b->stopped;
}
