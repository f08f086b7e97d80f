/* Replay: the templates, the choice of a route among the application's,
 * the payload builders (REST and HTTP API events, a Streams record, a
 * template file), and the job with a fake AWS: GetItem, the banner, the
 * payload sent, a missing item, read-only mode and a free mid-flight. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "tap.h"
#include "tiertop/policy.h"
#include "tiertop/replay.h"
#include "tiertop/stack.h"
#include "tiertop/xalloc.h"

static const char ITEM[] = "{\"id\":\"fb-1\",\"score\":12345678901234567890.5,\"tags\":[\"a\"]}";
static const char ITEM_TYPED[] = "{\"id\":{\"S\":\"fb-1\"},\"score\":{\"N\":\"12345678901234567890.5\"}}";
static const char KEYS_TYPED[] = "{\"id\":{\"S\":\"fb-1\"}}";
static const char UUID[] = "0f8fad5b-d9cb-469f-a165-70867728950e";

static json_t *parse(const struct tt_buf *b)
{
	json_error_t e;
	json_t *v = json_loadb(b->data ? b->data : "", b->len, 0, &e);

	if (!v)
		printf("# not JSON: %s: %.*s\n", e.text, (int)b->len, b->data ? b->data : "");
	return v;
}

static const char *str_at(json_t *v, const char *path)
{
	char buf[256], *save, *tok;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && v; tok = strtok_r(NULL, ".", &save))
		v = json_is_array(v) ? json_array_get(v, (size_t)atoi(tok)) : json_object_get(v, tok);
	return json_string_value(v);
}

static json_t *at(json_t *v, const char *path)
{
	char buf[256], *save, *tok;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && v; tok = strtok_r(NULL, ".", &save))
		v = json_is_array(v) ? json_array_get(v, (size_t)atoi(tok)) : json_object_get(v, tok);
	return v;
}

/* --- templates ------------------------------------------------------------------------ */

static char *write_file(const char *text)
{
	char *path = tt_xstrdup("/tmp/tt_replay_tpl_XXXXXX");
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		tap_ok(false, "cannot write %s", path);
	if (fd >= 0)
		close(fd);
	return path;
}

static void test_templates(void)
{
	struct tt_replay_template t;
	struct tt_err err;
	char *good = write_file("{\n  \"body\": {{item_string}},\n  \"copy\": {{item}},\n  \"b\": \"{{ x }\"\n}\n");
	char *bad = write_file("{\n  \"body\": {{item_string}},\n  \"copy\": {{item}} oops\n}\n");
	char *none = write_file("{\"message\": \"nothing\"}");
	char *arg;
	struct tt_buf out;
	json_t *v;

	tap_ok(tt_replay_template_load(NULL, &t, &err) == 0 && t.kind == TT_REPLAY_RAW, "no template: raw");
	tap_ok(tt_replay_template_load("apigw", &t, &err) == 0 && t.kind == TT_REPLAY_APIGW_V1, "apigw: REST (1.0)");
	tap_ok(tt_replay_template_load("apigw2", &t, &err) == 0 && t.kind == TT_REPLAY_APIGW_V2, "apigw2: HTTP API");
	tap_ok(tt_replay_template_load("stream", &t, &err) == 0 && t.kind == TT_REPLAY_STREAM, "stream");
	tap_ok(tt_replay_template_load("proxy", &t, &err) == -1 && err.kind == TT_ERR_USAGE, "an unknown name: usage");
	tap_ok(tt_replay_item_format(TT_REPLAY_STREAM) == TT_DDB_TYPED &&
		   tt_replay_item_format(TT_REPLAY_RAW) == TT_DDB_PLAIN,
	       "the stream template reads the item typed, the others plain");

	arg = tt_xasprintf("@%s", bad);
	tap_ok(tt_replay_template_load(arg, &t, &err) == -1, "a broken template is refused");
	tap_ok(strstr(err.message, "(placeholders counted as values) is not valid JSON: line 3, column 23") != NULL,
	       "... with the line and column in the file (%s)", err.message);
	free(arg);
	arg = tt_xasprintf("@%s", none);
	tap_ok(tt_replay_template_load(arg, &t, &err) == -1 && strstr(err.message, "uses neither"),
	       "a template without a placeholder is refused");
	free(arg);
	tap_ok(tt_replay_template_load("@/nonexistent/tpl.json", &t, &err) == -1 && err.kind == TT_ERR_USAGE,
	       "a missing file: usage");

	arg = tt_xasprintf("@%s", good);
	tap_ok(tt_replay_template_load(arg, &t, &err) == 0 && t.kind == TT_REPLAY_FILE, "a good template loads");
	tt_buf_init(&out, 0);
	tap_ok(tt_replay_build_file(&t, ITEM, &out, &err) == 0, "the file template builds");
	v = parse(&out);
	tap_str_eq(str_at(v, "body"), ITEM, "... exactly the item's text");
	tap_str_eq(str_at(v, "copy.id"), "fb-1", "{{item}} is the item itself");
	tap_ok(strstr(out.data, "\"copy\": {\"id\":\"fb-1\",\"score\":12345678901234567890.5") != NULL,
	       "... its numbers as stored");
	tap_str_eq(str_at(v, "b"), "{{ x }", "other braces stay as they are");
	json_decref(v);
	tt_buf_clear(&out);
	tt_replay_template_clear(&t);
	free(arg);
	unlink(good);
	unlink(bad);
	unlink(none);
	free(good);
	free(bad);
	free(none);
}

/* --- routes ---------------------------------------------------------------------------- */

static char K1[] = "GET /items/{id}", F1[] = "read-items", K2[] = "POST /items", F2[] = "write-items";
static char K2b[] = "GET /other";
static char K3[] = "POST /feedback", F3[] = "submit-feedback", K4[] = "ANY /admin/{proxy+}", F4[] = "admin";
static struct tt_stack_route R1[] = {{K1, F1}, {K2, F2}};
static struct tt_stack_route R2[] = {{K3, F3}, {K4, F4}};

static struct tt_stack make_stack(struct tt_stack_api *apis)
{
	apis[0] = (struct tt_stack_api){.routes = R1, .nroutes = 2};
	apis[1] = (struct tt_stack_api){.http = true, .routes = R2, .nroutes = 2};
	return (struct tt_stack){.apis = apis, .napis = 2};
}

static void test_routes(void)
{
	struct tt_stack_api apis[2];
	struct tt_stack st = make_stack(apis);
	struct tt_replay_routes routes;
	struct tt_replay_route r;
	struct tt_err err;
	size_t i = 99;

	tap_ok(tt_replay_route_parse("post /x", &r, &err) == 0, "a route parses");
	tap_str_eq(r.key, "POST /x", "... its method upper-cased");
	tt_replay_route_clear(&r);
	tap_ok(tt_replay_route_parse("$default", &r, &err) == 0 && strcmp(r.method, "ANY") == 0 &&
		   strcmp(r.path, "/") == 0,
	       "$default is any method on /");
	tt_replay_route_clear(&r);
	tap_ok(tt_replay_route_parse("/feedback", &r, &err) == -1 && err.kind == TT_ERR_USAGE,
	       "a route without a method is refused");
	tap_ok(tt_replay_route_parse("POST feedback", &r, &err) == -1, "a path must start with /");

	tt_replay_routes_from_stack(&st, &routes);
	tap_ok(routes.n == 4, "every route of every API (%zu)", routes.n);
	tap_ok(tt_replay_route_pick(&routes, NULL, "submit-feedback", &i, &err) == 0 && i == 2,
	       "default: the route to the target function");
	tap_ok(tt_replay_route_pick(&routes, NULL, "arn:aws:lambda:us-east-1:111122223333:function:read-items:live", &i, &err) ==
		       0 &&
		   i == 0,
	       "... named by ARN with a qualifier");
	tap_ok(tt_replay_route_pick(&routes, NULL, "other", &i, &err) == 0 && i == 1,
	       "default for a function no route leads to: the first POST route");
	tap_ok(tt_replay_route_pick(&routes, "post /feedback", "read-items", &i, &err) == 0 && i == 2,
	       "--route wins over the function's");
	tap_ok(tt_replay_route_pick(&routes, "PUT /feedback", NULL, &i, &err) == -1 && err.kind == TT_ERR_USAGE,
	       "a route the application lacks is refused");
	tap_ok(strstr(err.message, "no route PUT /feedback; the application's routes: GET /items/{id}, POST /items, "
				   "POST /feedback, ANY /admin/{proxy+}") != NULL,
	       "... naming the routes that exist (%s)", err.message);
	tt_replay_routes_clear(&routes);

	R1[1].route = K2b;
	st.napis = 1;
	tt_replay_routes_from_stack(&st, &routes);
	tap_ok(tt_replay_route_pick(&routes, NULL, "nobody", &i, &err) == -1 &&
		   strstr(err.message, "the application's routes: GET /items/{id}, GET /other"),
	       "no route to the function and no POST: an error naming the routes");
	tt_replay_routes_clear(&routes);
	R1[1].route = K2;
	st.napis = 0;
	tt_replay_routes_from_stack(&st, &routes);
	tap_ok(tt_replay_route_pick(&routes, NULL, "x", &i, &err) == -1 && strstr(err.message, "has no API routes"),
	       "no API at all: says so");
	tt_replay_routes_clear(&routes);
}

/* --- the builders ---------------------------------------------------------------------- */

static struct tt_replay_event event(const struct tt_replay_route *r)
{
	/* 2026-01-02T03:04:05.678Z */
	return (struct tt_replay_event){.route = r, .now_ms = 1767323045678LL, .request_id = UUID,
					.user_agent = "tiertop/test (replay)", .region = "eu-west-1",
					.table = "Feedback", .account = "111122223333"};
}

static void test_apigw(void)
{
	struct tt_replay_route r;
	struct tt_replay_event ev;
	struct tt_buf out;
	struct tt_err err;
	json_t *v;

	tt_replay_route_parse("POST /feedback", &r, &err);
	ev = event(&r);
	tt_buf_init(&out, 0);
	tt_replay_build_apigw_v1(&ev, ITEM, &out);
	v = parse(&out);
	tap_ok(v != NULL, "v1: JSON");
	tap_str_eq(str_at(v, "httpMethod"), "POST", "v1: httpMethod from the route");
	tap_str_eq(str_at(v, "resource"), "/feedback", "v1: resource");
	tap_str_eq(str_at(v, "path"), "/feedback", "v1: path");
	tap_str_eq(str_at(v, "requestContext.resourcePath"), "/feedback", "v1: requestContext.resourcePath");
	tap_str_eq(str_at(v, "requestContext.path"), "/replay/feedback", "v1: the stage's path");
	tap_str_eq(str_at(v, "requestContext.requestId"), UUID, "v1: the request id given");
	tap_str_eq(str_at(v, "requestContext.requestTime"), "02/Jan/2026:03:04:05 +0000", "v1: the time given");
	tap_ok(json_integer_value(at(v, "requestContext.requestTimeEpoch")) == 1767323045678LL, "v1: epoch in ms");
	tap_str_eq(str_at(v, "headers.Content-Type"), "application/json", "v1: a JSON body");
	tap_str_eq(str_at(v, "body"), ITEM, "v1: the body is the item's exact text");
	tap_ok(json_is_false(at(v, "isBase64Encoded")) && json_is_null(at(v, "pathParameters")),
	       "v1: not base64, no path parameters");
	json_decref(v);
	tt_buf_reset(&out);

	tt_replay_build_apigw_v2(&ev, ITEM, &out);
	v = parse(&out);
	tap_str_eq(str_at(v, "version"), "2.0", "v2: version 2.0");
	tap_str_eq(str_at(v, "routeKey"), "POST /feedback", "v2: routeKey");
	tap_str_eq(str_at(v, "rawPath"), "/feedback", "v2: rawPath");
	tap_str_eq(str_at(v, "requestContext.http.method"), "POST", "v2: requestContext.http.method");
	tap_str_eq(str_at(v, "requestContext.routeKey"), "POST /feedback", "v2: requestContext.routeKey");
	tap_str_eq(str_at(v, "headers.content-type"), "application/json", "v2: lower-case headers");
	tap_str_eq(str_at(v, "body"), ITEM, "v2: the body is the item's exact text");
	tap_ok(at(v, "httpMethod") == NULL, "v2: no v1 fields");
	json_decref(v);
	tt_buf_clear(&out);
	tt_replay_route_clear(&r);

	/* A route with parameters takes them from the item's attributes. */
	tt_replay_route_parse("GET /items/{id}/{missing}", &r, &err);
	ev = event(&r);
	tt_buf_init(&out, 0);
	tt_replay_build_apigw_v1(&ev, ITEM, &out);
	v = parse(&out);
	tap_str_eq(str_at(v, "resource"), "/items/{id}/{missing}", "params: resource is the route's");
	tap_str_eq(str_at(v, "path"), "/items/fb-1/{missing}", "params: path filled from the item where it can be");
	tap_str_eq(str_at(v, "pathParameters.id"), "fb-1", "params: pathParameters");
	tap_str_eq(str_at(v, "httpMethod"), "GET", "params: the route's method");
	json_decref(v);
	tt_buf_clear(&out);
	tt_replay_route_clear(&r);

	tt_replay_route_parse("ANY /admin/{proxy+}", &r, &err);
	ev = event(&r);
	tt_buf_init(&out, 0);
	tt_replay_build_apigw_v2(&ev, ITEM, &out);
	v = parse(&out);
	tap_str_eq(str_at(v, "requestContext.http.method"), "POST", "ANY: sent as POST (it carries a body)");
	tap_str_eq(str_at(v, "routeKey"), "ANY /admin/{proxy+}", "ANY: the routeKey as the API has it");
	json_decref(v);
	tt_buf_clear(&out);
	tt_replay_route_clear(&r);
}

static void test_stream(void)
{
	struct tt_replay_event ev = event(NULL);
	struct tt_buf out;
	json_t *v, *image, *want;

	tt_buf_init(&out, 0);
	tt_replay_build_stream(&ev, ITEM_TYPED, KEYS_TYPED, &out);
	v = parse(&out);
	tap_ok(json_array_size(at(v, "Records")) == 1, "stream: one record");
	tap_str_eq(str_at(v, "Records.0.eventName"), "INSERT", "stream: an INSERT");
	tap_str_eq(str_at(v, "Records.0.eventSource"), "aws:dynamodb", "stream: from DynamoDB");
	tap_str_eq(str_at(v, "Records.0.awsRegion"), "eu-west-1", "stream: the region");
	tap_str_eq(str_at(v, "Records.0.dynamodb.NewImage.score.N"), "12345678901234567890.5",
		   "stream: NewImage typed, the number as a string");
	image = at(v, "Records.0.dynamodb.NewImage");
	want = json_loads(ITEM_TYPED, 0, NULL);
	tap_ok(image && json_equal(image, want), "stream: NewImage is the typed item");
	json_decref(want);
	want = json_loads(KEYS_TYPED, 0, NULL);
	tap_ok(json_equal(at(v, "Records.0.dynamodb.Keys"), want), "stream: Keys is the typed key");
	json_decref(want);
	tap_ok(at(v, "Records.0.dynamodb.OldImage") == NULL, "stream: an INSERT has no OldImage");
	tap_ok(json_integer_value(at(v, "Records.0.dynamodb.ApproximateCreationDateTime")) == 1767323045LL,
	       "stream: creation time in seconds");
	tap_str_eq(str_at(v, "Records.0.eventSourceARN"),
		   "arn:aws:dynamodb:eu-west-1:111122223333:table/Feedback/stream/replay", "stream: the source ARN");
	tap_ok(strstr(out.data, "\"N\":\"12345678901234567890.5\"") != NULL, "stream: the item's text kept");
	json_decref(v);
	tt_buf_reset(&out);
	ev.account = NULL;
	tt_replay_build_stream(&ev, ITEM_TYPED, KEYS_TYPED, &out);
	v = parse(&out);
	tap_ok(v && at(v, "Records.0.eventSourceARN") == NULL, "stream: no account, no made-up ARN");
	json_decref(v);
	tt_buf_clear(&out);
}

/* --- the job ---------------------------------------------------------------------------- */

struct fake {
	int get_calls, invoke_calls, lookups;
	char table[64];
	enum tt_ddb_format format;
	tt_ddb_item_fn item_done;
	void *item_ctx;
	tt_lambda_invoke_fn inv_done;
	void *inv_ctx;
	char payload[4096];
};

static struct fake F;

static int fake_get(void *io, const struct tt_ddb_get *in, tt_ddb_item_fn done, void *ctx, struct tt_err *err)
{
	(void)io;
	(void)err;
	F.get_calls++;
	snprintf(F.table, sizeof(F.table), "%s", in->table);
	F.format = in->format;
	F.item_done = done;
	F.item_ctx = ctx;
	return 0;
}

static int fake_config(void *io, const char *function, const char *qualifier, tt_lambda_function_fn done,
		       void *ctx, struct tt_err *err)
{
	struct tt_err e;

	(void)io;
	(void)function;
	(void)qualifier;
	(void)err;
	F.lookups++;
	/* Answered at once, as a cache could: the job must cope. */
	tt_err_set(&e, TT_ERR_AWS, "not allowed");
	snprintf(e.code, sizeof(e.code), "AccessDeniedException");
	done(ctx, NULL, &e);
	return 0;
}

static int fake_invoke(void *io, const struct tt_lambda_invoke_in *in, tt_lambda_invoke_fn done, void *ctx,
		       struct tt_err *err)
{
	(void)io;
	(void)err;
	F.invoke_calls++;
	snprintf(F.payload, sizeof(F.payload), "%.*s", (int)in->payload_len, in->payload);
	F.inv_done = done;
	F.inv_ctx = ctx;
	return 0;
}

struct seen {
	int asked, done;
	char rows[256], source[128];
};

static void on_confirm(void *ctx, struct tt_replay *job, const struct tt_invoke_banner *b)
{
	struct seen *s = ctx;
	size_t n = 0;

	(void)job;
	s->asked++;
	for (size_t i = 0; i < b->nrows; i++)
		n += (size_t)snprintf(s->rows + n, sizeof(s->rows) - n, "%s=%s;", b->rows[i].label, b->rows[i].value);
	snprintf(s->source, sizeof(s->source), "%s", b->payload_source);
}

static void on_done(void *ctx, struct tt_replay *job)
{
	struct seen *s = ctx;

	(void)job;
	s->done++;
}

static struct tt_replay *new_job(struct seen *s, const struct tt_replay_template *tpl,
				 const struct tt_replay_route *route, const struct tt_policy *policy)
{
	struct tt_replay_io io = {fake_get, NULL, {NULL, fake_config, fake_invoke, NULL, NULL}};
	struct tt_replay_sink sink = {on_confirm, on_done};
	struct tt_replay_opts o = {
	    .table = "Feedback",
	    .key = "{\"id\":\"fb-1\"}",
	    .tpl = tpl,
	    .route = route,
	    .user_agent = "ua",
	    .invoke = {.function = "submit-feedback", .region = "eu-west-1", .account = "111122223333",
		       .policy = policy},
	};
	struct tt_err err;
	struct tt_replay *job;

	memset(&F, 0, sizeof(F));
	memset(s, 0, sizeof(*s));
	job = tt_replay_new(&o, &io, &sink, s, &err);
	tap_ok(job != NULL, "the replay job is made");
	return job;
}

static void answer_item(const char *item)
{
	F.item_done(F.item_ctx, item, NULL);
}

/* The engine always answers in the end; for a freed job the answer is dropped. */
static void answer_invoke_late(void)
{
	struct tt_lambda_invoke_out out = {0};

	out.function_error = tt_xstrdup("");
	F.inv_done(F.inv_ctx, &out, NULL);
	tt_lambda_invoke_out_clear(&out);
}

static void test_job(void)
{
	struct tt_replay_template raw = {.kind = TT_REPLAY_RAW}, stream = {.kind = TT_REPLAY_STREAM};
	struct tt_replay_template apigw = {.kind = TT_REPLAY_APIGW_V1};
	struct tt_replay_route route;
	struct tt_policy ro;
	struct tt_err err;
	struct seen s;
	struct tt_replay *job = new_job(&s, &raw, NULL, NULL);
	const struct tt_err *e;
	json_t *v;

	tt_replay_start(job, 10, 1767323045678LL);
	tap_ok(F.get_calls == 1 && F.lookups == 0 && F.invoke_calls == 0, "start: GetItem first, nothing else");
	tap_str_eq(F.table, "Feedback", "GetItem: the table");
	tap_ok(F.format == TT_DDB_PLAIN, "GetItem: plain for raw");
	answer_item(ITEM);
	tap_ok(s.asked == 1 && F.lookups == 1 && F.invoke_calls == 0, "the item read: looked up and asked");
	tap_str_eq(s.rows, "table=Feedback;key={\"id\":\"fb-1\"};", "banner: the source table and key");
	tap_str_eq(s.source, "the item as plain JSON", "banner: the payload's source");
	tt_replay_confirm(job, true);
	tap_ok(F.invoke_calls == 1, "yes: invoked");
	tap_str_eq(F.payload, ITEM, "raw: the payload is the item, exactly");
	tap_ok(tt_replay_requests(job) == 3, "requests: GetItem, lookup, Invoke");
	tt_replay_free(&job);
	tap_ok(F.inv_done != NULL, "(the Invoke is still on its way)");
	{
		struct tt_lambda_invoke_out out = {0};

		out.function_error = tt_xstrdup("");
		F.inv_done(F.inv_ctx, &out, NULL);
		tt_lambda_invoke_out_clear(&out);
	}
	tap_ok(s.done == 0, "freed mid-Invoke: the answer is dropped");

	job = new_job(&s, &raw, NULL, NULL);
	tt_replay_start(job, 0, 0);
	answer_item(ITEM);
	tt_replay_confirm(job, false);
	tap_ok(s.done == 1 && F.invoke_calls == 0 && tt_replay_finished(job), "no: nothing sent, done");
	tap_ok(tt_invoke_state(tt_replay_invoke(job)) == TT_INVOKE_DECLINED, "no: the invocation says declined");
	tt_replay_free(&job);

	job = new_job(&s, &stream, NULL, NULL);
	tt_replay_start(job, 0, 1767323045678LL);
	tap_ok(F.format == TT_DDB_TYPED, "stream: GetItem typed");
	answer_item(ITEM_TYPED);
	tt_replay_confirm(job, true);
	v = json_loads(F.payload, 0, NULL);
	tap_str_eq(str_at(v, "Records.0.dynamodb.Keys.id.S"), "fb-1", "stream job: Keys from --key, typed");
	tap_str_eq(str_at(v, "Records.0.dynamodb.NewImage.score.N"), "12345678901234567890.5",
		   "stream job: NewImage is the typed item");
	json_decref(v);
	tt_replay_free(&job);
	answer_invoke_late();

	tt_replay_route_parse("PUT /fb/{id}", &route, &err);
	job = new_job(&s, &apigw, &route, NULL);
	tt_replay_route_clear(&route); /* the job keeps its copy */
	tt_replay_start(job, 0, 0);
	answer_item(ITEM);
	tap_ok(strstr(s.source, "(PUT /fb/{id})") != NULL, "apigw job: the banner names the route (%s)", s.source);
	tt_replay_confirm(job, true);
	v = json_loads(F.payload, 0, NULL);
	tap_str_eq(str_at(v, "httpMethod"), "PUT", "apigw job: the route's method");
	tap_str_eq(str_at(v, "path"), "/fb/fb-1", "apigw job: the route's path");
	tap_ok(str_at(v, "requestContext.requestId") && strlen(str_at(v, "requestContext.requestId")) == 36,
	       "apigw job: a UUID request id");
	json_decref(v);
	tt_replay_free(&job);
	answer_invoke_late();

	job = new_job(&s, &raw, NULL, NULL);
	tt_replay_start(job, 0, 0);
	answer_item(NULL);
	e = tt_replay_error(job);
	tap_ok(s.done == 1 && F.lookups == 0 && F.invoke_calls == 0 && e && e->kind == TT_ERR_AWS,
	       "a missing item: failed, nothing looked up or invoked");
	tap_str_eq(e ? e->message : NULL, "no item in Feedback has the key {\"id\":\"fb-1\"}; nothing was invoked",
		   "a missing item: names the table and key");
	tt_replay_free(&job);

	job = new_job(&s, &raw, NULL, NULL);
	tt_replay_start(job, 0, 0);
	tt_err_set(&err, TT_ERR_AWS, "Requested resource not found");
	snprintf(err.code, sizeof(err.code), "ResourceNotFoundException");
	F.item_done(F.item_ctx, NULL, &err);
	e = tt_replay_error(job);
	tap_str_eq(e ? e->message : NULL,
		   "nothing was invoked: no active table named Feedback in eu-west-1: Requested resource not found",
		   "a missing table: named");
	tt_replay_free(&job);

	tt_policy_init(&ro, true, NULL, NULL, NULL);
	job = new_job(&s, &raw, NULL, &ro);
	tt_replay_start(job, 0, 0);
	e = tt_replay_error(job);
	tap_ok(F.get_calls == 0 && s.done == 1 && e, "read-only: not even GetItem");
	tap_str_eq(e ? e->message : NULL,
		   "read-only mode (--read-only): refusing to replay an item of Feedback into submit-feedback; "
		   "nothing was sent",
		   "read-only: the source named");
	tt_replay_free(&job);
	tt_policy_clear(&ro);

	job = new_job(&s, &raw, NULL, NULL);
	tt_replay_start(job, 0, 0);
	tt_replay_free(&job);
	answer_item(ITEM);
	tap_ok(s.asked == 0 && s.done == 0 && F.lookups == 0, "freed during GetItem: the item is dropped");
}

static void test_job_refusals(void)
{
	struct tt_replay_template apigw = {.kind = TT_REPLAY_APIGW_V2};
	struct tt_replay_io io = {fake_get, NULL, {NULL, fake_config, fake_invoke, NULL, NULL}};
	struct tt_replay_opts o = {.table = "T", .key = "[1]", .invoke = {.function = "f"}};
	struct tt_err err;

	tap_ok(tt_replay_new(&o, &io, NULL, NULL, &err) == NULL && strstr(err.message, "--key"),
	       "a key that is not an object is refused");
	o.key = "{\"id\":\"x\"}";
	o.tpl = &apigw;
	tap_ok(tt_replay_new(&o, &io, NULL, NULL, &err) == NULL && strstr(err.message, "needs a route"),
	       "an API Gateway event without a route is refused");
}

int main(void)
{
	test_templates();
	test_routes();
	test_apigw();
	test_stream();
	test_job();
	test_job_refusals();
	return tap_done();
}
