/* Replaying many stored items of one table through one function, one at a
 * time, as a job: the `replay --keys` verb and the console's replay view
 * run it, only the front end differs.
 *
 *   tt_replay_batch_new -> tt_replay_batch_start: read-only? (refused before
 *   any request) -> RESOLVING (GetCallerIdentity unless the identity was
 *   given, GetFunctionConfiguration: a missing function ends it here) ->
 *   CONFIRMING (sink->confirm: ONE question for the whole batch, answered
 *   with tt_replay_batch_confirm) -> RUNNING: per item a replay job
 *   (replay.h: GetItem, payload, the invoke job, which writes the audit
 *   intent before sending), its own question answered yes by the batch,
 *   its result reported with sink->item -> DONE (sink->done).
 *
 * A dry run reads and builds every payload, hands each to sink->item and
 * sends nothing: no lookup, no question, allowed in read-only mode.
 *
 * One item is in flight at a time. The rate limit spaces the starts of two
 * items by at least 1000/rate ms of the caller's clock (a token bucket of
 * one token); tt_replay_batch_deadline says when the next may start, so
 * the loop sleeps until then. A failed item (the invoke failed, or the
 * function reported an error) does not stop the others unless stop_on_error.
 * tt_replay_batch_stop (Ctrl-C) lets the item in flight finish and starts
 * nothing new; tt_replay_batch_free cancels it (its answer is dropped; the
 * audit result is still written by the invoke job when it comes).
 *
 * The caller's loop calls tt_replay_batch_clock(b, now) after every
 * dispatch: items start there, never inside a callback.
 *
 * Ownership: tt_replay_batch_new copies its options and keys; the io and
 * sink contexts are borrowed and must outlive the job. What the sink
 * receives is borrowed for the call; tt_replay_batch_result's belongs to
 * the job. */
#ifndef TIERTOP_REPLAY_BATCH_H
#define TIERTOP_REPLAY_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tiertop/err.h"
#include "tiertop/replay.h"

struct tt_replay_batch;

struct tt_replay_batch_opts {
	const char *table;
	const char *const *keys; /* plain JSON objects of the key attributes */
	size_t nkeys;
	const struct tt_replay_template *tpl;
	const struct tt_replay_route *route; /* apigw templates */
	const char *user_agent;
	double rate;        /* invocations per second; <= 0: unlimited */
	bool stop_on_error; /* default: go on */
	bool dry_run;       /* build and report the payloads, send nothing */
	/* function, qualifier, type (sync or async), region, endpoint, account
	 * and caller_arn (NULL: asked once), policy, what. */
	struct tt_invoke_opts invoke;
};

enum tt_replay_batch_state {
	TT_BATCH_NEW,
	TT_BATCH_RESOLVING,
	TT_BATCH_CONFIRMING,
	TT_BATCH_RUNNING,
	TT_BATCH_DONE,     /* every item ran (or was skipped after a stop) */
	TT_BATCH_FAILED,   /* refused or the lookups failed: tt_replay_batch_error; nothing was sent */
	TT_BATCH_DECLINED, /* the person said no: nothing was sent */
};

enum tt_replay_item_status {
	TT_ITEM_PENDING,
	TT_ITEM_RUNNING,
	TT_ITEM_OK,             /* the function answered without error */
	TT_ITEM_FUNCTION_ERROR, /* it answered with a function error */
	TT_ITEM_FAILED,         /* the item, payload or Invoke failed */
	TT_ITEM_BUILT,          /* dry run: the payload is built, nothing sent */
	TT_ITEM_SKIPPED,        /* not started: stopped, or an earlier failure with stop_on_error */
};

struct tt_replay_batch_result {
	enum tt_replay_item_status status;
	const char *key;       /* plain JSON */
	long http_status;      /* 200, 202; 0 when nothing came back */
	const char *function_error; /* "" or "Unhandled" ... */
	const char *error_type;     /* the function's errorType, or "" */
	const char *error_message;  /* the function's errorMessage, or why it failed, or "" */
	const char *request_id;     /* "" when none */
	int64_t duration_ms;        /* -1 when not sent */
	const char *payload;        /* the payload built (sent or, dry run, not), or NULL */
	size_t payload_len;
	const char *response;       /* the function's answer, or NULL */
	size_t response_len;
};

/* What the one question shows. Borrowed for the call; partly from AWS:
 * sanitize before showing. */
struct tt_replay_batch_banner {
	const char *type_text; /* "synchronous (RequestResponse)" */
	const char *account;
	const char *caller_arn;
	const char *region;
	const char *endpoint;
	const char *function_arn;
	const char *qualifier; /* "live (version 1)", "none ($LATEST)" */
	const char *lookup;    /* why the function could not be looked up, else NULL */
	const char *table;
	const char *template_text; /* "raw", "apigw (POST /feedback)", "stream", "@FILE" */
	size_t nitems;
	double rate; /* <= 0: unlimited */
	bool stop_on_error;
};

struct tt_replay_batch_sink {
	/* Ask once; answer with tt_replay_batch_confirm, now or later. */
	void (*confirm)(void *ctx, struct tt_replay_batch *b, const struct tt_replay_batch_banner *banner);
	/* Item index ended (any status but PENDING/RUNNING; skipped ones too). */
	void (*item)(void *ctx, struct tt_replay_batch *b, size_t index, const struct tt_replay_batch_result *r);
	/* The batch ended; called once. The job may be freed inside. */
	void (*done)(void *ctx, struct tt_replay_batch *b);
};

/* NULL with TT_ERR_USAGE: no keys, a key that is not a JSON object, a bad
 * function reference, an apigw template without a route. */
struct tt_replay_batch *tt_replay_batch_new(const struct tt_replay_batch_opts *opts, const struct tt_replay_io *io,
					    const struct tt_replay_batch_sink *sink, void *ctx, struct tt_err *err);
void tt_replay_batch_free(struct tt_replay_batch **b);

/* now_ms: the loop's clock (rate, durations); wall_ms: for the events. */
void tt_replay_batch_start(struct tt_replay_batch *b, int64_t now_ms, int64_t wall_ms);
/* The answer to sink->confirm; ignored in any other state. */
void tt_replay_batch_confirm(struct tt_replay_batch *b, bool yes);
/* The typed answer a front end accepts: the number of items or the
 * function's name (as given), surrounding blanks ignored. */
bool tt_replay_batch_answer_ok(const struct tt_replay_batch *b, const char *typed);
/* The loop's time: starts the next item when it is due. */
void tt_replay_batch_clock(struct tt_replay_batch *b, int64_t now_ms, int64_t wall_ms);
/* When the next item may start (the loop sleeps until then); -1 when
 * nothing is due: waiting for an answer, or finished. */
int64_t tt_replay_batch_deadline(const struct tt_replay_batch *b);
/* Nothing new starts; the item in flight finishes. */
void tt_replay_batch_stop(struct tt_replay_batch *b);

enum tt_replay_batch_state tt_replay_batch_state(const struct tt_replay_batch *b);
bool tt_replay_batch_finished(const struct tt_replay_batch *b);
const struct tt_err *tt_replay_batch_error(const struct tt_replay_batch *b);
size_t tt_replay_batch_count(const struct tt_replay_batch *b);
/* Item i's result so far. */
void tt_replay_batch_result(const struct tt_replay_batch *b, size_t i, struct tt_replay_batch_result *out);
/* Progress: items ended (skipped ones not counted), of those failed
 * (FAILED or FUNCTION_ERROR). */
void tt_replay_batch_progress(const struct tt_replay_batch *b, size_t *done, size_t *failed);
bool tt_replay_batch_stopped(const struct tt_replay_batch *b);

const char *tt_replay_item_status_text(enum tt_replay_item_status s);

/* --- what the console remembers and proposes (replay_memo.c) ---------------- */

struct tt_stack;

/* The function the wiring says handles table's records: the function
 * behind an API route that reaches the table (a POST route first), else
 * the table's stream consumer (an event source), else any function that
 * reaches it; NULL when none does. Borrowed from st. */
const char *tt_replay_default_function(const struct tt_stack *st, const char *table);

/* The console's choice for a table, remembered in tiertop's config file
 * (appcfg.h) as its [table NAME] section: replay_function, replay_template,
 * replay_route. The file is edited in place, every other line kept; a
 * user may write or change the section by hand. Owned strings, NULL when
 * absent; clear with tt_replay_memo_clear. */
struct tt_replay_memo {
	char *function;
	char *template_arg; /* as --template takes it: raw, apigw, apigw2, stream, @FILE */
	char *route;        /* "POST /feedback", or NULL */
};
/* 0 with what is remembered (all NULL when nothing is), -1 with err when
 * the config file cannot be read or is not valid. */
int tt_replay_memo_load(const char *table, struct tt_replay_memo *out, struct tt_err *err);
/* Sets table's section (a NULL member removes its key), keeping the rest. */
int tt_replay_memo_save(const char *table, const struct tt_replay_memo *m, struct tt_err *err);
void tt_replay_memo_clear(struct tt_replay_memo *m);
/* The config file, or NULL with err when TIERTOP_CONFIG is "". */
char *tt_replay_memo_path(struct tt_err *err);

#endif
