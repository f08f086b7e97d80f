/* Replaying a stored DynamoDB item through a Lambda function: the item read
 * (GetItem), a payload built from it by a template, then the invocation
 * job of invoke.h (read-only refusal, lookups, confirmation, Invoke).
 *
 * Templates:
 *  - raw: the item itself, as plain JSON;
 *  - apigw / apigw2: an API Gateway Lambda proxy event, REST (payload
 *    format 1.0) or HTTP API (2.0), for one of the application's actual
 *    routes, with the item as the body;
 *  - stream: a DynamoDB Streams event, the item as an INSERT record's
 *    NewImage (typed), its key as Keys;
 *  - @FILE: the user's JSON with placeholders: {{item}} becomes the item,
 *    {{item_string}} the item as a JSON string literal (quotes included).
 * What only the real API or stream knows (accountId, apiId, domainName, a
 * stream ARN without the account) is left out rather than made up.
 *
 * The builders are pure (time and request id passed in) and exposed for the
 * tests. The job is shaped like the invoke job: io table, sink, `now`
 * passed in, cancellable (tt_replay_free at any point), never blocking.
 *
 * Ownership: structs filled here own their strings (free with their
 * _clear); tt_replay_new copies its options; the io and sink contexts are
 * borrowed and must outlive the job. */
#ifndef TIERTOP_REPLAY_H
#define TIERTOP_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tiertop/buf.h"
#include "tiertop/err.h"
#include "tiertop/invoke.h"
#include "tiertop/svc_dynamodb.h"

struct tt_stack;

#define TT_REPLAY_PH_ITEM        "{{item}}"
#define TT_REPLAY_PH_ITEM_STRING "{{item_string}}"

enum tt_replay_kind {
	TT_REPLAY_RAW,
	TT_REPLAY_APIGW_V1,
	TT_REPLAY_APIGW_V2,
	TT_REPLAY_STREAM,
	TT_REPLAY_FILE,
};

struct tt_replay_template {
	enum tt_replay_kind kind;
	char *path; /* TT_REPLAY_FILE: the file, and its text */
	char *text;
	size_t len;
};

/* --template: raw, apigw, apigw2, stream or @FILE (read and checked here:
 * JSON with the placeholders counted as values, so a line and column in a
 * message are the file's; at least one placeholder). NULL means raw.
 * TT_ERR_USAGE on anything wrong. */
int tt_replay_template_load(const char *arg, struct tt_replay_template *t, struct tt_err *err);
void tt_replay_template_clear(struct tt_replay_template *t);
/* True for the templates that need a route. */
bool tt_replay_needs_route(enum tt_replay_kind kind);

/* An API route: "POST /feedback" split, and the function behind it. */
struct tt_replay_route {
	char *key;      /* as the API names it: "POST /feedback", "$default" */
	char *method;   /* "POST"; "ANY" for ANY and $default */
	char *path;     /* "/feedback", "/items/{id}"; "/" for $default */
	char *function; /* function name, or "" */
};
struct tt_replay_routes {
	struct tt_replay_route *items;
	size_t n;
};

/* "METHOD /path" (or "$default") into r; TT_ERR_USAGE otherwise. */
int tt_replay_route_parse(const char *text, struct tt_replay_route *r, struct tt_err *err);
void tt_replay_route_clear(struct tt_replay_route *r);
/* Every route of every API of the stack, in order, duplicates dropped. */
void tt_replay_routes_from_stack(const struct tt_stack *st, struct tt_replay_routes *out);
void tt_replay_routes_clear(struct tt_replay_routes *routes);
/* The route to use: wanted ("POST /feedback") when given and among routes;
 * else the route whose function is function's (a POST one first), else the
 * first POST route. TT_ERR_USAGE naming the routes that exist otherwise.
 * *index is into routes. */
int tt_replay_route_pick(const struct tt_replay_routes *routes, const char *wanted, const char *function,
			 size_t *index, struct tt_err *err);

/* What an event holds besides the item. Borrowed. */
struct tt_replay_event {
	const struct tt_replay_route *route; /* apigw, apigw2 */
	int64_t now_ms;                      /* wall clock, for the event's times */
	const char *request_id;              /* a UUID */
	const char *user_agent;
	const char *region;  /* stream */
	const char *table;   /* stream */
	const char *account; /* stream; NULL: no eventSourceARN */
};

/* The pure builders: item is plain JSON, item_typed and keys_typed the
 * typed attribute maps. out is appended to. */
void tt_replay_build_apigw_v1(const struct tt_replay_event *ev, const char *item, struct tt_buf *out);
void tt_replay_build_apigw_v2(const struct tt_replay_event *ev, const char *item, struct tt_buf *out);
void tt_replay_build_stream(const struct tt_replay_event *ev, const char *item_typed, const char *keys_typed,
			    struct tt_buf *out);
/* TT_ERR_USAGE when the result is not JSON. */
int tt_replay_build_file(const struct tt_replay_template *t, const char *item, struct tt_buf *out,
			 struct tt_err *err);
/* Dispatches on t->kind; item is plain or typed as tt_replay_item_format
 * says. *source (caller frees) names the payload for the banner. */
int tt_replay_build(const struct tt_replay_template *t, const struct tt_replay_event *ev, const char *item,
		    const char *keys_typed, struct tt_buf *out, char **source, struct tt_err *err);
/* How GetItem must return the item for this template. */
enum tt_ddb_format tt_replay_item_format(enum tt_replay_kind kind);

/* --- the job ------------------------------------------------------------------ */

struct tt_replay;

struct tt_replay_opts {
	const char *table;
	const char *key; /* plain JSON of the key attributes */
	const struct tt_replay_template *tpl;
	const struct tt_replay_route *route; /* for apigw templates (copied) */
	const char *user_agent;
	/* Read the item and build the payload, then end (DONE, no invocation,
	 * no lookup, no question): a batch's dry run. */
	bool build_only;
	/* function, qualifier, type, log, region, endpoint, identity, policy,
	 * what, verb; payload, payload_source and rows are the job's. */
	struct tt_invoke_opts invoke;
};

struct tt_replay_io {
	int (*get_item)(void *io, const struct tt_ddb_get *in, tt_ddb_item_fn done, void *ctx, struct tt_err *err);
	void *io;
	struct tt_invoke_io invoke;
};
void tt_replay_io_aws(struct tt_replay_io *io, struct tt_aws *aws);

struct tt_replay_sink {
	/* As tt_invoke_sink.confirm: answer with tt_replay_confirm. */
	void (*confirm)(void *ctx, struct tt_replay *job, const struct tt_invoke_banner *banner);
	/* Ended: tt_replay_error or the invoke job's result. May free the job. */
	void (*done)(void *ctx, struct tt_replay *job);
};

/* NULL with TT_ERR_USAGE when the key is not a JSON object, the function
 * reference is bad or an apigw template has no route. */
struct tt_replay *tt_replay_new(const struct tt_replay_opts *opts, const struct tt_replay_io *io,
				const struct tt_replay_sink *sink, void *ctx, struct tt_err *err);
void tt_replay_free(struct tt_replay **job);
/* Read-only check, then GetItem. now_ms is the loop's clock (as for
 * tt_replay_clock, durations); wall_ms the wall clock written into events. */
void tt_replay_start(struct tt_replay *job, int64_t now_ms, int64_t wall_ms);
void tt_replay_confirm(struct tt_replay *job, bool yes);
void tt_replay_clock(struct tt_replay *job, int64_t now_ms);
bool tt_replay_finished(const struct tt_replay *job);
/* Why it failed (item, payload or invoke), or NULL. */
const struct tt_err *tt_replay_error(const struct tt_replay *job);
/* The invocation once the payload is built (its state and result), or NULL. */
const struct tt_invoke *tt_replay_invoke(const struct tt_replay *job);
/* The payload sent (or about to be), NULL before it is built. */
const char *tt_replay_payload(const struct tt_replay *job, size_t *len);
/* Requests submitted: GetItem and the invoke job's. */
unsigned tt_replay_requests(const struct tt_replay *job);

#endif
