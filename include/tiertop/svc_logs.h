/* CloudWatch Logs (awsJson1_1, X-Amz-Target: Logs_20140328.<Op>).
 *
 * Every call submits one request and answers through its callback, once.
 * Answers are parsed here into plain structs: nothing above this module
 * sees JSON. Times are epoch milliseconds except where a name says _s.
 *
 * Ownership: inputs are borrowed for the duration of the call (the request
 * body is built before it returns). A page passed to a callback belongs to
 * this module and is freed when the callback returns; the callback may move
 * strings out of it (take the pointer and set the field to NULL). Parsers
 * fill a caller's struct that the caller releases with the matching
 * *_free(), which also zeroes it.
 *
 * Errors: a call returns -1 only when the request could not be built
 * (TT_ERR_CONFIG: bad endpoint settings); everything else, AWS errors
 * included, arrives in the callback. A malformed answer is TT_ERR_AWS. When
 * id is not NULL it receives the engine's id, for tt_http_cancel. */
#ifndef TIERTOP_SVC_LOGS_H
#define TIERTOP_SVC_LOGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tiertop/aws.h"

struct tt_err;

/* --- log groups ----------------------------------------------------------- */

struct tt_logs_group {
	char *name;
	char *arn; /* logGroupArn: no trailing ":*", what Live Tail wants */
	int64_t creation_ms;
	long retention_days; /* 0 = never expire */
	int64_t stored_bytes;
	char *group_class; /* "STANDARD", "INFREQUENT_ACCESS", ... or NULL */
};

struct tt_logs_group_page {
	struct tt_logs_group *groups;
	size_t n;
	char *next_token; /* NULL on the last page */
};

typedef void (*tt_logs_groups_fn)(void *ctx, struct tt_logs_group_page *page, const struct tt_err *err);

/* prefix and next_token may be NULL; limit 0 = the service default (50). */
int tt_logs_describe_groups(const struct tt_aws *aws, const char *prefix, const char *next_token, int limit,
                            tt_logs_groups_fn done, void *ctx, long *id, struct tt_err *err);

/* --- events ---------------------------------------------------------------- */

struct tt_logs_event {
	char *group; /* Live Tail: logGroupIdentifier; else NULL (the caller knows) */
	char *stream;
	char *message; /* may hold NULs (JSON "\u0000"): use message_len */
	size_t message_len;
	char *event_id; /* FilterLogEvents only; NULL elsewhere */
	int64_t timestamp_ms;
	int64_t ingestion_ms;
};

struct tt_logs_event_page {
	struct tt_logs_event *events;
	size_t n;
	char *next_token; /* FilterLogEvents: NULL when done; a page may be empty and still have one */
};

typedef void (*tt_logs_events_fn)(void *ctx, struct tt_logs_event_page *page, const struct tt_err *err);

struct tt_logs_filter {
	const char *group;          /* a name, or an ARN (sent as logGroupIdentifier) */
	const char *const *streams; /* logStreamNames, or NULL */
	size_t nstreams;
	const char *stream_prefix; /* logStreamNamePrefix, or NULL */
	int64_t start_ms;          /* 0 = unset */
	int64_t end_ms;            /* 0 = unset */
	const char *pattern;       /* filterPattern, or NULL */
	int limit;                 /* 0 = the service default (10,000) */
	const char *next_token;
};
int tt_logs_filter_events(const struct tt_aws *aws, const struct tt_logs_filter *in, tt_logs_events_fn done,
                          void *ctx, long *id, struct tt_err *err);
/* logs: the same call with its answer unparsed, for tt_logs_events_parser:
 * done gets the body (NUL-terminated, len bytes), which it owns, or NULL
 * with err. */
typedef void (*tt_logs_raw_fn)(void *ctx, char *json, size_t len, const struct tt_err *err);
int tt_logs_filter_events_raw(const struct tt_aws *aws, const struct tt_logs_filter *in, tt_logs_raw_fn done,
                              void *ctx, long *id, struct tt_err *err);

/* --- parsers (exposed for tests and fuzzing) ------------------------------- */

int tt_logs_parse_groups(const char *json, size_t len, struct tt_logs_group_page *out, struct tt_err *err);
/* FilterLogEvents answers (and Live Tail's sessionResults). */
int tt_logs_parse_events(const char *json, size_t len, struct tt_logs_event_page *out, struct tt_err *err);

/* logs: the same parse a slice at a time (logs_slice.c), so that a 1 MB
 * page does not hold a caller's loop: new takes json (len bytes, freed with
 * the parser); each step reads at most max_events more events and returns
 * 1 when more remain, 0 when the page is read (take moves it out: the
 * same page tt_logs_parse_events gives), -1 with err when it is malformed
 * (every later step fails too). */
struct tt_logs_events_parser;
struct tt_logs_events_parser *tt_logs_events_parser_new(char *json, size_t len);
int tt_logs_events_parser_step(struct tt_logs_events_parser *p, size_t max_events, struct tt_err *err);
void tt_logs_events_parser_take(struct tt_logs_events_parser *p, struct tt_logs_event_page *out);
void tt_logs_events_parser_free(struct tt_logs_events_parser **p);

void tt_logs_group_page_clear(struct tt_logs_group_page *p);
void tt_logs_event_page_clear(struct tt_logs_event_page *p);
void tt_logs_event_clear(struct tt_logs_event *e);

/* --- Live Tail ------------------------------------------------------------- */

/* A Live Tail session: StartLiveTail's answer is an eventstream read as it
 * arrives (aws-wire.md 2.1). On real AWS the host is stream-logs.REGION...;
 * a custom endpoint (simulator, LocalStack) is used as it is. */
struct tt_logs_live_in {
	const char *const *group_arns; /* 1..10 logGroupArn values (no trailing ":*") */
	size_t ngroups;
	const char *const *streams; /* logStreamNames (one group only), or NULL */
	size_t nstreams;
	const char *const *stream_prefixes;
	size_t nprefixes;
	const char *pattern; /* logEventFilterPattern, or NULL */
};

struct tt_logs_live_start {
	const char *request_id;
	const char *session_id;
};

struct tt_logs_live_update {
	struct tt_logs_event *events; /* group = the logGroupIdentifier AWS sent */
	size_t n;
	bool sampled; /* over 500 events/s: AWS sent a sample */
};

/* The callbacks run from tt_http_dispatch. Their arguments are borrowed
 * (on_update may move strings out of events, as with pages). on_end runs
 * once, last: err is NULL when AWS closed the stream cleanly, else why it
 * ended: an AWS error before the stream began, an exception or error
 * message in the stream (code SessionTimeoutException,
 * SessionStreamingException, or the :error-code), a corrupted frame, or the
 * network. */
struct tt_logs_live_handlers {
	void (*on_start)(void *ctx, const struct tt_logs_live_start *start);
	void (*on_update)(void *ctx, struct tt_logs_live_update *update);
	void (*on_end)(void *ctx, const struct tt_err *err);
};

struct tt_logs_live;

/* Starts a session; the caller owns the result and frees it with
 * tt_logs_live_free, which ends the session if it is still open (on_end
 * then does not run). Freeing is allowed from any of the callbacks, and
 * must happen before the engine is freed. */
struct tt_logs_live *tt_logs_live_start(const struct tt_aws *aws, const struct tt_logs_live_in *in,
                                        const struct tt_logs_live_handlers *handlers, void *ctx,
                                        struct tt_err *err);
void tt_logs_live_free(struct tt_logs_live **live);

/* Feeds raw stream bytes as the engine would: for tests of the message
 * handling without a network. len 0 marks the end of the stream. Returns
 * false once the session has ended (on_end has run). */
bool tt_logs_live_feed(struct tt_logs_live *live, const char *data, size_t len);
/* A session that is not connected to anything, for tt_logs_live_feed. */
struct tt_logs_live *tt_logs_live_new_detached(const struct tt_logs_live_handlers *handlers, void *ctx);

#endif
