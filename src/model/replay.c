/* Replay: an item, a payload built from it, an invocation (see replay.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>
#include <openssl/rand.h>

#include "tiertop/ddb_value.h"
#include "tiertop/json_text.h"
#include "tiertop/policy.h"
#include "tiertop/replay.h"
#include "tiertop/stack.h"
#include "tiertop/xalloc.h"

#define PH_ITEM        TT_REPLAY_PH_ITEM
#define PH_ITEM_STRING TT_REPLAY_PH_ITEM_STRING

/* --- templates ---------------------------------------------------------------------- */

/* Replaces each placeholder with item (the JSON value) or item_string (the
 * same as a JSON string literal, quotes included). */
static void fill_template(const char *tpl, size_t len, const char *item, const char *item_string,
			  struct tt_buf *out)
{
	const char *p = tpl, *end = tpl + len;

	while (p < end) {
		const char *brace = memchr(p, '{', (size_t)(end - p));
		size_t left;

		if (!brace) {
			tt_buf_append(out, p, (size_t)(end - p));
			return;
		}
		tt_buf_append(out, p, (size_t)(brace - p));
		left = (size_t)(end - brace);
		if (left >= strlen(PH_ITEM) && memcmp(brace, PH_ITEM, strlen(PH_ITEM)) == 0) {
			tt_buf_puts(out, item);
			p = brace + strlen(PH_ITEM);
		} else if (left >= strlen(PH_ITEM_STRING) &&
			   memcmp(brace, PH_ITEM_STRING, strlen(PH_ITEM_STRING)) == 0) {
			tt_buf_puts(out, item_string);
			p = brace + strlen(PH_ITEM_STRING);
		} else {
			tt_buf_putc(out, '{');
			p = brace + 1;
		}
	}
}

static int check_json(const char *text, size_t len, const char *what, struct tt_err *err)
{
	json_error_t jerr;
	json_t *v = json_loadb(text, len, JSON_DECODE_ANY, &jerr);

	if (v) {
		json_decref(v);
		return 0;
	}
	return tt_err_set(err, TT_ERR_USAGE, "%s is not valid JSON: line %d, column %d: %s", what, jerr.line,
			  jerr.column, jerr.text);
}

static int read_template(struct tt_replay_template *t, struct tt_err *err)
{
	FILE *f = fopen(t->path, "rb");
	struct tt_buf b;
	int rc, saved_errno;

	if (!f)
		return tt_err_set(err, TT_ERR_USAGE, "cannot read the template %s: %s", t->path, strerror(errno));
	/* A template can only grow with the item: over the limit it is refused now. */
	tt_buf_init(&b, TT_LAMBDA_SYNC_PAYLOAD_MAX + 1);
	rc = tt_buf_read_stream(&b, f);
	saved_errno = errno;
	fclose(f);
	if (rc || b.truncated) {
		tt_buf_clear(&b);
		if (rc)
			return tt_err_set(err, TT_ERR_USAGE, "cannot read the template %s: %s", t->path,
					  strerror(saved_errno));
		return tt_err_set(err, TT_ERR_USAGE, "the template %s is more than Lambda's 6 MB payload limit",
				  t->path);
	}
	t->len = b.len;
	t->text = b.data ? tt_buf_steal(&b) : tt_xstrdup("");
	return 0;
}

/* Checks the template with stand-ins of the placeholders' own lengths ({}
 * and "" padded with spaces), so that a line and column in the message are
 * the line and column in the file, and a broken template is caught before
 * the item is fetched. */
static int check_template(const struct tt_replay_template *t, struct tt_err *err)
{
	char item[sizeof(PH_ITEM)], item_string[sizeof(PH_ITEM_STRING)];
	char *what;
	struct tt_buf b;
	int rc;

	if (!strstr(t->text, PH_ITEM) && !strstr(t->text, PH_ITEM_STRING))
		return tt_err_set(err, TT_ERR_USAGE,
				  "the template %s uses neither %s nor %s: it would not "
				  "replay the item",
				  t->path, PH_ITEM, PH_ITEM_STRING);
	snprintf(item, sizeof(item), "%-*s", (int)strlen(PH_ITEM), "{}");
	snprintf(item_string, sizeof(item_string), "%-*s", (int)strlen(PH_ITEM_STRING), "\"\"");
	tt_buf_init(&b, 0);
	fill_template(t->text, t->len, item, item_string, &b);
	what = tt_xasprintf("the template %s (placeholders counted as values)", t->path);
	rc = check_json(b.data ? b.data : "", b.len, what, err);
	free(what);
	tt_buf_clear(&b);
	return rc;
}

int tt_replay_template_load(const char *arg, struct tt_replay_template *t, struct tt_err *err)
{
	static const struct {
		const char *name;
		enum tt_replay_kind kind;
	} named[] = {
	    {"raw", TT_REPLAY_RAW},
	    {"apigw", TT_REPLAY_APIGW_V1},
	    {"apigw2", TT_REPLAY_APIGW_V2},
	    {"stream", TT_REPLAY_STREAM},
	};

	memset(t, 0, sizeof(*t));
	if (!arg)
		return 0;
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (strcmp(arg, named[i].name) == 0) {
			t->kind = named[i].kind;
			return 0;
		}
	if (arg[0] != '@' || !arg[1])
		return tt_err_set(err, TT_ERR_USAGE,
				  "--template takes raw, apigw, apigw2, stream or @FILE (got \"%s\")", arg);
	t->kind = TT_REPLAY_FILE;
	t->path = tt_xstrdup(arg + 1);
	if (read_template(t, err) || check_template(t, err)) {
		tt_replay_template_clear(t);
		return -1;
	}
	return 0;
}

void tt_replay_template_clear(struct tt_replay_template *t)
{
	free(t->path);
	free(t->text);
	memset(t, 0, sizeof(*t));
}

bool tt_replay_needs_route(enum tt_replay_kind kind)
{
	return kind == TT_REPLAY_APIGW_V1 || kind == TT_REPLAY_APIGW_V2;
}

enum tt_ddb_format tt_replay_item_format(enum tt_replay_kind kind)
{
	return kind == TT_REPLAY_STREAM ? TT_DDB_TYPED : TT_DDB_PLAIN;
}

/* --- routes --------------------------------------------------------------------------- */

int tt_replay_route_parse(const char *text, struct tt_replay_route *r, struct tt_err *err)
{
	const char *sp = strchr(text, ' ');

	memset(r, 0, sizeof(*r));
	if (strcmp(text, "$default") == 0) {
		r->method = tt_xstrdup("ANY");
		r->path = tt_xstrdup("/");
	} else if (sp && sp > text && sp[1] == '/' && !strchr(sp + 1, ' ')) {
		r->method = tt_xasprintf("%.*s", (int)(sp - text), text);
		r->path = tt_xstrdup(sp + 1);
		for (char *m = r->method; *m; m++)
			if (*m >= 'a' && *m <= 'z')
				*m = (char)(*m - 'a' + 'A');
	} else {
		return tt_err_set(err, TT_ERR_USAGE, "a route is \"METHOD /path\" (\"POST /feedback\"), not \"%s\"",
				  text);
	}
	r->key = strcmp(text, "$default") == 0 ? tt_xstrdup(text) : tt_xasprintf("%s %s", r->method, r->path);
	r->function = tt_xstrdup("");
	return 0;
}

void tt_replay_route_clear(struct tt_replay_route *r)
{
	free(r->key);
	free(r->method);
	free(r->path);
	free(r->function);
	memset(r, 0, sizeof(*r));
}

static bool has_route(const struct tt_replay_routes *routes, const char *key)
{
	for (size_t i = 0; i < routes->n; i++)
		if (strcmp(routes->items[i].key, key) == 0)
			return true;
	return false;
}

void tt_replay_routes_from_stack(const struct tt_stack *st, struct tt_replay_routes *out)
{
	struct tt_err ignored;

	memset(out, 0, sizeof(*out));
	for (size_t a = 0; st && a < st->napis; a++)
		for (size_t i = 0; i < st->apis[a].nroutes; i++) {
			const struct tt_stack_route *sr = &st->apis[a].routes[i];
			struct tt_replay_route r;

			if (tt_replay_route_parse(sr->route, &r, &ignored))
				continue;
			if (has_route(out, r.key)) {
				tt_replay_route_clear(&r);
				continue;
			}
			free(r.function);
			r.function = tt_xstrdup(sr->function ? sr->function : "");
			out->items = tt_xrealloc(out->items, (out->n + 1) * sizeof(*out->items));
			out->items[out->n++] = r;
		}
}

void tt_replay_routes_clear(struct tt_replay_routes *routes)
{
	for (size_t i = 0; i < routes->n; i++)
		tt_replay_route_clear(&routes->items[i]);
	free(routes->items);
	memset(routes, 0, sizeof(*routes));
}

static int no_route(const struct tt_replay_routes *routes, const char *why, struct tt_err *err)
{
	struct tt_buf list;
	int rc;

	tt_buf_init(&list, 0);
	for (size_t i = 0; i < routes->n; i++)
		tt_buf_printf(&list, "%s%s", i ? ", " : "", routes->items[i].key);
	if (routes->n)
		rc = tt_err_set(err, TT_ERR_USAGE, "%s; the application's routes: %s (choose one with --route)", why,
				list.data);
	else
		rc = tt_err_set(err, TT_ERR_USAGE, "%s; the application has no API routes", why);
	tt_buf_clear(&list);
	return rc;
}

int tt_replay_route_pick(const struct tt_replay_routes *routes, const char *wanted, const char *function,
			 size_t *index, struct tt_err *err)
{
	struct tt_replay_route w;
	char *name = function ? tt_stack_function_name(function) : NULL;
	long by_fn = -1, by_fn_post = -1, post = -1;
	char *why;
	int rc;

	if (wanted) {
		if (tt_replay_route_parse(wanted, &w, err)) {
			free(name);
			return -1;
		}
		for (size_t i = 0; i < routes->n; i++)
			if (strcmp(routes->items[i].key, w.key) == 0) {
				*index = i;
				tt_replay_route_clear(&w);
				free(name);
				return 0;
			}
		why = tt_xasprintf("no route %s", w.key);
		rc = no_route(routes, why, err);
		free(why);
		tt_replay_route_clear(&w);
		free(name);
		return rc;
	}
	for (size_t i = 0; i < routes->n; i++) {
		const struct tt_replay_route *r = &routes->items[i];
		bool is_post = strcmp(r->method, "POST") == 0;

		if (name && strcmp(r->function, name) == 0) {
			if (by_fn < 0)
				by_fn = (long)i;
			if (is_post && by_fn_post < 0)
				by_fn_post = (long)i;
		}
		if (is_post && post < 0)
			post = (long)i;
	}
	free(name);
	rc = by_fn_post >= 0 ? (int)by_fn_post : by_fn >= 0 ? (int)by_fn : (int)post;
	if (rc < 0)
		return no_route(routes, "no route leads to the function and none takes POST", err);
	*index = (size_t)rc;
	return 0;
}

/* --- the builders ------------------------------------------------------------------------- */

/* The method the event carries: ANY routes take any; POST carries a body. */
static const char *event_method(const struct tt_replay_route *r)
{
	return strcmp(r->method, "ANY") == 0 ? "POST" : r->method;
}

/* The route's path with its parameters ({id}, {proxy+}) filled from the
 * item's string or integer attributes of the same name; params gets each
 * one filled (an object), or stays NULL. */
static char *fill_path(const char *path, const char *item, json_t **params)
{
	json_t *doc = json_loads(item, 0, NULL);
	struct tt_buf out;
	const char *p = path;

	*params = NULL;
	tt_buf_init(&out, 0);
	while (*p) {
		const char *open = strchr(p, '{'), *close = open ? strchr(open, '}') : NULL;
		char *name;
		json_t *v;

		if (!open || !close) {
			tt_buf_puts(&out, p);
			break;
		}
		tt_buf_append(&out, p, (size_t)(open - p));
		name = tt_xasprintf("%.*s", (int)(close - open - 1), open + 1);
		if (*name && name[strlen(name) - 1] == '+')
			name[strlen(name) - 1] = '\0';
		v = json_object_get(doc, name);
		if (json_is_string(v) || json_is_integer(v)) {
			char *text = json_is_string(v) ? tt_xstrdup(json_string_value(v))
						       : tt_xasprintf("%lld", (long long)json_integer_value(v));
			tt_buf_puts(&out, text);
			if (!*params)
				*params = json_object();
			json_object_set_new(*params, name, json_string(text));
			free(text);
		} else {
			tt_buf_append(&out, open, (size_t)(close - open + 1));
		}
		free(name);
		p = close + 1;
	}
	json_decref(doc);
	return out.data ? tt_buf_steal(&out) : tt_xstrdup("");
}

static void put_json_value(struct tt_buf *out, json_t *v)
{
	char *text = v ? json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;

	tt_buf_puts(out, text ? text : "null");
	free(text);
}

static void put_string(struct tt_buf *out, const char *s)
{
	tt_json_string(out, s, strlen(s));
}

static void format_clf_time(int64_t now_ms, char *when, size_t size)
{
	time_t secs = (time_t)(now_ms / 1000);
	struct tm tm;

	gmtime_r(&secs, &tm);
	strftime(when, size, "%d/%b/%Y:%H:%M:%S +0000", &tm);
}

/* A REST API (payload format 1.0) Lambda proxy event, as API Gateway sends
 * it, with the item as the body. The stage is "replay", so a function that
 * logs its requestContext shows where the request came from. */
void tt_replay_build_apigw_v1(const struct tt_replay_event *ev, const char *item, struct tt_buf *out)
{
	const struct tt_replay_route *r = ev->route;
	const char *method = event_method(r);
	json_t *params;
	char *path = fill_path(r->path, item, &params);
	char *stage_path = tt_xasprintf("/replay%s", path);
	char when[40];

	format_clf_time(ev->now_ms, when, sizeof(when));
	tt_buf_puts(out, "{\"resource\":");
	put_string(out, r->path);
	tt_buf_puts(out, ",\"path\":");
	put_string(out, path);
	tt_buf_puts(out, ",\"httpMethod\":");
	put_string(out, method);
	tt_buf_puts(out, ",\"headers\":{\"Content-Type\":\"application/json\",\"User-Agent\":");
	put_string(out, ev->user_agent);
	tt_buf_puts(out, "},\"multiValueHeaders\":{\"Content-Type\":[\"application/json\"],\"User-Agent\":[");
	put_string(out, ev->user_agent);
	tt_buf_puts(out, "]},\"queryStringParameters\":null,\"multiValueQueryStringParameters\":null,"
			 "\"pathParameters\":");
	put_json_value(out, params);
	tt_buf_puts(out, ",\"stageVariables\":null,\"requestContext\":{\"resourcePath\":");
	put_string(out, r->path);
	tt_buf_puts(out, ",\"httpMethod\":");
	put_string(out, method);
	tt_buf_puts(out, ",\"path\":");
	put_string(out, stage_path);
	tt_buf_puts(out, ",\"stage\":\"replay\",\"protocol\":\"HTTP/1.1\",\"requestId\":");
	put_string(out, ev->request_id);
	tt_buf_printf(out, ",\"requestTime\":\"%s\",\"requestTimeEpoch\":%lld,", when, (long long)ev->now_ms);
	tt_buf_puts(out, "\"identity\":{\"sourceIp\":\"127.0.0.1\",\"userAgent\":");
	put_string(out, ev->user_agent);
	tt_buf_puts(out, "}},\"body\":");
	put_string(out, item);
	tt_buf_puts(out, ",\"isBase64Encoded\":false}");
	json_decref(params);
	free(stage_path);
	free(path);
}

/* An HTTP API (payload format 2.0) event: lower-case headers, routeKey,
 * rawPath, requestContext.http. The stage is $default, as most HTTP APIs. */
void tt_replay_build_apigw_v2(const struct tt_replay_event *ev, const char *item, struct tt_buf *out)
{
	const struct tt_replay_route *r = ev->route;
	json_t *params;
	char *path = fill_path(r->path, item, &params);
	char when[40];

	format_clf_time(ev->now_ms, when, sizeof(when));
	tt_buf_puts(out, "{\"version\":\"2.0\",\"routeKey\":");
	put_string(out, r->key);
	tt_buf_puts(out, ",\"rawPath\":");
	put_string(out, path);
	tt_buf_puts(out, ",\"rawQueryString\":\"\",\"headers\":{\"content-type\":\"application/json\",\"user-agent\":");
	put_string(out, ev->user_agent);
	tt_buf_puts(out, "},");
	if (params) {
		tt_buf_puts(out, "\"pathParameters\":");
		put_json_value(out, params);
		tt_buf_puts(out, ",");
	}
	tt_buf_puts(out, "\"requestContext\":{\"http\":{\"method\":");
	put_string(out, event_method(r));
	tt_buf_puts(out, ",\"path\":");
	put_string(out, path);
	tt_buf_puts(out, ",\"protocol\":\"HTTP/1.1\",\"sourceIp\":\"127.0.0.1\",\"userAgent\":");
	put_string(out, ev->user_agent);
	tt_buf_puts(out, "},\"requestId\":");
	put_string(out, ev->request_id);
	tt_buf_puts(out, ",\"routeKey\":");
	put_string(out, r->key);
	tt_buf_printf(out, ",\"stage\":\"$default\",\"time\":\"%s\",\"timeEpoch\":%lld},", when,
		      (long long)ev->now_ms);
	tt_buf_puts(out, "\"body\":");
	put_string(out, item);
	tt_buf_puts(out, ",\"isBase64Encoded\":false}");
	json_decref(params);
	free(path);
}

/* One INSERT record as DynamoDB Streams hands it to Lambda (event source
 * mapping), NEW_AND_OLD_IMAGES: an INSERT has no OldImage. */
void tt_replay_build_stream(const struct tt_replay_event *ev, const char *item_typed, const char *keys_typed,
			    struct tt_buf *out)
{
	tt_buf_puts(out, "{\"Records\":[{\"eventID\":");
	put_string(out, ev->request_id);
	tt_buf_puts(out, ",\"eventName\":\"INSERT\",\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\","
			 "\"awsRegion\":");
	put_string(out, ev->region ? ev->region : "");
	tt_buf_printf(out, ",\"dynamodb\":{\"ApproximateCreationDateTime\":%lld,\"Keys\":",
		      (long long)(ev->now_ms / 1000));
	tt_buf_puts(out, keys_typed);
	tt_buf_puts(out, ",\"NewImage\":");
	tt_buf_puts(out, item_typed);
	/* A sequence number that grows with time, as real ones do. */
	tt_buf_printf(out, ",\"SequenceNumber\":\"%lld\",\"SizeBytes\":%zu,\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"}",
		      (long long)ev->now_ms * 1000, strlen(item_typed));
	if (ev->account && *ev->account && ev->table) {
		char *arn = tt_xasprintf("arn:aws:dynamodb:%s:%s:table/%s/stream/replay", ev->region ? ev->region : "",
					 ev->account, ev->table);
		tt_buf_puts(out, ",\"eventSourceARN\":");
		put_string(out, arn);
		free(arn);
	}
	tt_buf_puts(out, "}]}");
}

int tt_replay_build_file(const struct tt_replay_template *t, const char *item, struct tt_buf *out,
			 struct tt_err *err)
{
	struct tt_buf quoted;
	char *what;
	int rc;

	tt_buf_init(&quoted, 0);
	tt_json_string(&quoted, item, strlen(item));
	fill_template(t->text, t->len, item, quoted.data, out);
	tt_buf_clear(&quoted);
	what = tt_xasprintf("the payload from %s and the item", t->path);
	rc = check_json(out->data ? out->data : "", out->len, what, err);
	free(what);
	return rc;
}

int tt_replay_build(const struct tt_replay_template *t, const struct tt_replay_event *ev, const char *item,
		    const char *keys_typed, struct tt_buf *out, char **source, struct tt_err *err)
{
	switch (t->kind) {
	case TT_REPLAY_RAW:
		tt_buf_puts(out, item);
		*source = tt_xstrdup("the item as plain JSON");
		return 0;
	case TT_REPLAY_APIGW_V1:
		tt_replay_build_apigw_v1(ev, item, out);
		*source = tt_xasprintf("an API Gateway proxy event (%s) around the item", ev->route->key);
		return 0;
	case TT_REPLAY_APIGW_V2:
		tt_replay_build_apigw_v2(ev, item, out);
		*source = tt_xasprintf("an HTTP API (2.0) proxy event (%s) around the item", ev->route->key);
		return 0;
	case TT_REPLAY_STREAM:
		tt_replay_build_stream(ev, item, keys_typed, out);
		*source = tt_xstrdup("a DynamoDB Streams event (the item as an INSERT's NewImage)");
		return 0;
	case TT_REPLAY_FILE:
		break;
	}
	*source = tt_xasprintf("the template %s", t->path);
	return tt_replay_build_file(t, item, out, err);
}

/* --- the job ------------------------------------------------------------------------------- */

enum replay_state { R_NEW, R_READING, R_INVOKING, R_ENDED };

/* The GetItem in flight; outlives a freed job (see invoke.c). */
struct item_call {
	struct tt_replay *job;
};

struct tt_replay {
	char *table, *key_plain, *key_typed, *user_agent, *what, *function, *qualifier, *region, *endpoint;
	char *account, *caller_arn;
	struct tt_ddb_value *key;
	struct tt_replay_template tpl;
	struct tt_replay_route route;
	bool has_route;
	bool build_only;
	struct tt_invoke_opts iopts; /* strings point into the fields above */
	struct tt_replay_io io;
	struct tt_replay_sink sink;
	void *ctx;

	enum replay_state state;
	struct item_call *call;
	unsigned requests;
	int64_t now_ms, wall_ms;
	struct tt_buf payload;
	bool built;
	struct tt_invoke *inv;
	bool failed;
	struct tt_err err;
};

static void replay_end(struct tt_replay *job)
{
	job->state = R_ENDED;
	if (job->sink.done)
		job->sink.done(job->ctx, job);
}

static void replay_fail(struct tt_replay *job, const struct tt_err *err)
{
	job->failed = true;
	job->err = *err;
	replay_end(job);
}

static void on_inv_confirm(void *ctx, struct tt_invoke *inv, const struct tt_invoke_banner *banner)
{
	struct tt_replay *job = ctx;

	(void)inv;
	if (job->sink.confirm)
		job->sink.confirm(job->ctx, job, banner);
	else
		tt_invoke_confirm(inv, true);
}

static void on_inv_done(void *ctx, struct tt_invoke *inv)
{
	struct tt_replay *job = ctx;

	(void)inv;
	replay_end(job);
}

/* A version 4 UUID, as API Gateway's requestId looks. */
static void make_uuid(char out[37])
{
	unsigned char r[16] = {0};
	size_t n = 0;

	/* Only an id in a test event: should the generator fail, zeros do. */
	(void)RAND_bytes(r, sizeof(r));
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	for (size_t i = 0; i < sizeof(r); i++)
		n += (size_t)snprintf(out + n, 37 - n, "%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "",
				      r[i]);
}

static void send_payload(struct tt_replay *job, const char *source)
{
	const struct tt_invoke_row rows[] = {{"table", job->table}, {"key", job->key_plain}};
	struct tt_invoke_opts o = job->iopts;
	struct tt_invoke_sink sink = {on_inv_confirm, on_inv_done};
	struct tt_err err;

	o.payload = job->payload.data ? job->payload.data : "";
	o.payload_len = job->payload.len;
	o.payload_source = source;
	o.rows = rows;
	o.nrows = sizeof(rows) / sizeof(rows[0]);
	o.replay_table = job->table;
	o.replay_key = job->key_plain;
	job->inv = tt_invoke_new(&o, &job->io.invoke, &sink, job, &err);
	if (!job->inv) {
		replay_fail(job, &err);
		return;
	}
	job->state = R_INVOKING;
	/* The read-only check was made before GetItem; the policy is checked
	 * again inside, which costs nothing. */
	tt_invoke_clock(job->inv, job->now_ms);
	tt_invoke_start(job->inv, job->now_ms);
}

static void build_and_send(struct tt_replay *job, const char *item)
{
	char uuid[37];
	struct tt_replay_event ev = {
	    .route = job->has_route ? &job->route : NULL,
	    .now_ms = job->wall_ms,
	    .request_id = uuid,
	    .user_agent = job->user_agent,
	    .region = job->region,
	    .table = job->table,
	    .account = job->account,
	};
	char *source = NULL;
	struct tt_err err;

	make_uuid(uuid);
	if (tt_replay_build(&job->tpl, &ev, item, job->key_typed, &job->payload, &source, &err)) {
		free(source);
		replay_fail(job, &err);
		return;
	}
	job->built = true;
	if (job->build_only)
		replay_end(job);
	else
		send_payload(job, source);
	free(source);
}

static void on_item(void *ctx, const char *item, const struct tt_err *err)
{
	struct item_call *c = ctx;
	struct tt_replay *job = c->job;
	struct tt_err e;

	free(c);
	if (!job)
		return;
	job->call = NULL;
	if (err) {
		e = *err;
		if (strcmp(e.code, "ResourceNotFoundException") == 0)
			tt_err_prefix(&e, "no active table named %s in %s", job->table, job->region ? job->region : "");
		tt_err_prefix(&e, "nothing was invoked");
		replay_fail(job, &e);
		return;
	}
	if (!item) {
		tt_err_set(&e, TT_ERR_AWS, "no item in %s has the key %s; nothing was invoked", job->table,
			   job->key_plain);
		replay_fail(job, &e);
		return;
	}
	build_and_send(job, item);
}

void tt_replay_start(struct tt_replay *job, int64_t now_ms, int64_t wall_ms)
{
	struct tt_ddb_get g = {.table = job->table, .key = job->key, .format = tt_replay_item_format(job->tpl.kind)};
	struct tt_err err;

	if (job->state != R_NEW)
		return;
	job->now_ms = now_ms;
	job->wall_ms = wall_ms;
	tt_err_clear(&err);
	if (job->iopts.type != TT_LAMBDA_DRY_RUN && !job->build_only &&
	    tt_policy_refuse(job->iopts.policy, job->what, &err)) {
		replay_fail(job, &err);
		return;
	}
	job->state = R_READING;
	job->call = tt_xcalloc(1, sizeof(*job->call));
	job->call->job = job;
	job->requests++;
	if (job->io.get_item(job->io.io, &g, on_item, job->call, &err)) {
		free(job->call);
		job->call = NULL;
		job->requests--;
		replay_fail(job, &err);
	}
}

static char *dup_or_null(const char *s)
{
	return s ? tt_xstrdup(s) : NULL;
}

static int copy_template(struct tt_replay_template *dst, const struct tt_replay_template *src)
{
	memset(dst, 0, sizeof(*dst));
	if (!src)
		return 0;
	dst->kind = src->kind;
	dst->path = dup_or_null(src->path);
	dst->len = src->len;
	if (src->text) {
		dst->text = tt_xmalloc(src->len + 1);
		memcpy(dst->text, src->text, src->len);
		dst->text[src->len] = '\0';
	}
	return 0;
}

struct tt_replay *tt_replay_new(const struct tt_replay_opts *o, const struct tt_replay_io *io,
				const struct tt_replay_sink *sink, void *ctx, struct tt_err *err)
{
	const struct tt_invoke_opts *io_opts = &o->invoke;
	struct tt_replay *job;
	struct tt_ddb_value *key = NULL;

	if (tt_invoke_check_target(io_opts->function, io_opts->qualifier, err))
		return NULL;
	if (tt_ddb_item_parse(o->key, strlen(o->key), TT_DDB_PLAIN, &key, err)) {
		tt_err_prefix(err, "--key");
		return NULL;
	}
	if (o->tpl && tt_replay_needs_route(o->tpl->kind) && !o->route) {
		tt_ddb_value_free(&key);
		tt_err_set(err, TT_ERR_USAGE, "an API Gateway event needs a route");
		return NULL;
	}
	job = tt_xcalloc(1, sizeof(*job));
	job->key = key;
	job->key_plain = tt_ddb_item_text(key, TT_DDB_PLAIN);
	job->key_typed = tt_ddb_item_text(key, TT_DDB_TYPED);
	job->table = tt_xstrdup(o->table);
	job->user_agent = tt_xstrdup(o->user_agent ? o->user_agent : "tiertop (replay)");
	job->function = tt_xstrdup(io_opts->function);
	job->qualifier = dup_or_null(io_opts->qualifier);
	job->region = dup_or_null(io_opts->region);
	job->endpoint = dup_or_null(io_opts->endpoint);
	job->account = dup_or_null(io_opts->account);
	job->caller_arn = dup_or_null(io_opts->caller_arn);
	job->what = io_opts->what ? tt_xstrdup(io_opts->what)
				  : tt_xasprintf("replay an item of %s into %s", o->table, io_opts->function);
	copy_template(&job->tpl, o->tpl);
	if (o->route) {
		job->route.key = tt_xstrdup(o->route->key);
		job->route.method = tt_xstrdup(o->route->method);
		job->route.path = tt_xstrdup(o->route->path);
		job->route.function = tt_xstrdup(o->route->function ? o->route->function : "");
		job->has_route = true;
	}
	job->build_only = o->build_only;
	job->iopts = *io_opts;
	job->iopts.function = job->function;
	job->iopts.qualifier = job->qualifier;
	job->iopts.region = job->region;
	job->iopts.endpoint = job->endpoint;
	job->iopts.account = job->account;
	job->iopts.caller_arn = job->caller_arn;
	job->iopts.what = job->what;
	job->iopts.verb = "Replay";
	job->io = *io;
	if (sink)
		job->sink = *sink;
	job->ctx = ctx;
	tt_buf_init(&job->payload, 0);
	return job;
}

void tt_replay_free(struct tt_replay **jp)
{
	struct tt_replay *job = *jp;

	if (!job)
		return;
	if (job->call)
		job->call->job = NULL;
	tt_invoke_free(&job->inv);
	free(job->table);
	free(job->key_plain);
	free(job->key_typed);
	free(job->user_agent);
	free(job->what);
	free(job->function);
	free(job->qualifier);
	free(job->region);
	free(job->endpoint);
	free(job->account);
	free(job->caller_arn);
	tt_ddb_value_free(&job->key);
	tt_replay_template_clear(&job->tpl);
	if (job->has_route)
		tt_replay_route_clear(&job->route);
	tt_buf_clear(&job->payload);
	free(job);
	*jp = NULL;
}

void tt_replay_confirm(struct tt_replay *job, bool yes)
{
	if (job->inv)
		tt_invoke_confirm(job->inv, yes);
}

void tt_replay_clock(struct tt_replay *job, int64_t now_ms)
{
	job->now_ms = now_ms;
	if (job->inv)
		tt_invoke_clock(job->inv, now_ms);
}

bool tt_replay_finished(const struct tt_replay *job)
{
	return job->state == R_ENDED;
}

const struct tt_err *tt_replay_error(const struct tt_replay *job)
{
	if (job->failed)
		return &job->err;
	return job->inv ? tt_invoke_error(job->inv) : NULL;
}

const struct tt_invoke *tt_replay_invoke(const struct tt_replay *job)
{
	return job->inv;
}

const char *tt_replay_payload(const struct tt_replay *job, size_t *len)
{
	if (!job->built)
		return NULL;
	*len = job->payload.len;
	return job->payload.data ? job->payload.data : "";
}

unsigned tt_replay_requests(const struct tt_replay *job)
{
	return job->requests + (job->inv ? tt_invoke_requests(job->inv) : 0);
}

/* --- the real io ----------------------------------------------------------------------------- */

static int aws_get_item(void *io, const struct tt_ddb_get *in, tt_ddb_item_fn done, void *ctx, struct tt_err *err)
{
	return tt_ddb_get_item(io, in, done, ctx, err);
}

void tt_replay_io_aws(struct tt_replay_io *io, struct tt_aws *aws)
{
	io->get_item = aws_get_item;
	io->io = aws;
	tt_invoke_io_aws(&io->invoke, aws);
}
