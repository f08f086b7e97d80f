/* One invocation of a Lambda function as a job: refused in read-only mode,
 * resolved (the function's configuration: it exists, its ARN and timeout;
 * the caller's identity for the banner), confirmed by a person, sent, and
 * its answer reported. The `invoke` and `replay` verbs and the console's
 * invoke dialog all run this job; only the front end differs.
 *
 * Shaped like the tail and snapshot models: an io table to AWS (a fake in
 * the unit tests), a sink for what the front end must do or show, `now`
 * passed in, driven by the caller's loop. The job never blocks and never
 * reads a terminal: when it needs a yes or no it calls sink->confirm with
 * everything the banner shows, and waits until the front end answers with
 * tt_invoke_confirm (at once, from a prompt, or from a dialog later).
 *
 *   tt_invoke_new -> tt_invoke_start: read-only? -> RESOLVING (GetFunction-
 *   Configuration, GetCallerIdentity unless the identity was given)
 *   -> CONFIRMING (sink->confirm) -> tt_invoke_confirm(yes) -> SENDING
 *   (the intent on disk in the audit log, then Invoke; its result recorded
 *   when the answer comes) -> DONE (sink->done); or FAILED / DECLINED at any step, with
 *   sink->done. tt_invoke_free at any point is safe: answers still on their
 *   way are dropped.
 *
 * The caller's loop calls tt_invoke_clock(job, now) before each
 * tt_http_dispatch; the duration reported is the difference of two such
 * `now`s (any millisecond clock: monotonic is best).
 *
 * Ownership: tt_invoke_new copies its options (payload included); the io
 * and sink contexts are borrowed and must outlive the job. Everything a
 * sink callback receives is borrowed for the call; what tt_invoke_result
 * and tt_invoke_error return belongs to the job. */
#ifndef TIERTOP_INVOKE_H
#define TIERTOP_INVOKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tiertop/err.h"
#include "tiertop/svc_lambda.h"
#include "tiertop/svc_sts.h"

struct tt_audit;
struct tt_invoke;
struct tt_policy;

/* A banner line after the payload ("table", "Feedback"): borrowed. */
struct tt_invoke_row {
	const char *label;
	const char *value;
};

struct tt_invoke_opts {
	const char *function;  /* as the user wrote it: name, name:alias or ARN */
	const char *qualifier; /* or NULL */
	enum tt_lambda_invocation type;
	bool log; /* ask for the tail of the log (synchronous only) */
	const char *payload; /* checked JSON within the limit for type; copied */
	size_t payload_len;
	const char *payload_source; /* banner: "<n> bytes from <payload_source>" */
	const char *what;           /* the action, for refusals: "invoke submit-feedback" */
	const char *verb;           /* banner title: "Invoke", "Replay" */
	const struct tt_invoke_row *rows; /* more banner rows after the payload */
	size_t nrows;
	const char *region;   /* where it lands, for the banner */
	const char *endpoint; /* "URL (where the URL came from)", for the banner */
	/* The caller's identity when the front end knows it already; NULL:
	 * the job asks STS (GetCallerIdentity). */
	const char *account;
	const char *caller_arn;
	const struct tt_policy *policy; /* read-only mode, or NULL (allowed); borrowed */
	/* A replay's source item, for the audit log; NULL for an invoke. */
	const char *replay_table;
	const char *replay_key; /* plain JSON */
};

enum tt_invoke_state {
	TT_INVOKE_NEW,
	TT_INVOKE_RESOLVING,
	TT_INVOKE_CONFIRMING, /* waiting for tt_invoke_confirm */
	TT_INVOKE_SENDING,
	TT_INVOKE_DONE,     /* the function answered (maybe with a function error) */
	TT_INVOKE_FAILED,   /* refused, lookup or Invoke failed: tt_invoke_error */
	TT_INVOKE_DECLINED, /* the person said no; nothing was sent */
	TT_INVOKE_CANCELLED,
};

/* What the confirmation shows. Every string is borrowed for the call and
 * comes partly from AWS: sanitize before showing. */
struct tt_invoke_banner {
	const char *verb;
	enum tt_lambda_invocation type;
	const char *type_text;    /* "synchronous (RequestResponse)" */
	const char *account;      /* "111122223333" */
	const char *caller_arn;
	const char *region;
	const char *endpoint;
	const char *function_arn; /* the function's own ARN when Lambda said, else built */
	const char *qualifier;    /* "live (version 1)", "none ($LATEST)" */
	const char *state;        /* the function's state when not Active, else NULL */
	const char *lookup;       /* why the function could not be looked up, else NULL */
	size_t payload_len;
	const char *payload_source;
	const struct tt_invoke_row *rows;
	size_t nrows;
};

struct tt_invoke_result {
	const struct tt_lambda_invoke_out *out; /* status, headers, payload, decoded log */
	const char *error_type;    /* from the answer when out->function_error is set, else "" */
	/* Idem; when the answer is not Lambda's error document (no errorType,
	 * no errorMessage), the start of its first line. */
	const char *error_message;
	int64_t duration_ms;       /* from the Invoke sent to its answer, by the caller's clock */
	long timeout_s;            /* the function's timeout, 0 when unknown */
};

struct tt_invoke_sink {
	/* Show the banner and ask; answer with tt_invoke_confirm, now or later. */
	void (*confirm)(void *ctx, struct tt_invoke *job, const struct tt_invoke_banner *banner);
	/* The job ended (DONE, FAILED or DECLINED): called once. The job may be
	 * freed inside. It runs from the engine's dispatch, or from
	 * tt_invoke_start or tt_invoke_confirm when the job ends without an
	 * answer to wait for (refused, declined, a request that could not be
	 * submitted). */
	void (*done)(void *ctx, struct tt_invoke *job);
};

/* How the job talks to AWS: tt_invoke_io_aws for the real thing. Same
 * contracts as svc_sts.h and svc_lambda.h. */
struct tt_invoke_io {
	int (*identity)(void *io, tt_sts_identity_fn done, void *ctx, struct tt_err *err);
	int (*config)(void *io, const char *function, const char *qualifier, tt_lambda_function_fn done,
		      void *ctx, struct tt_err *err);
	int (*invoke)(void *io, const struct tt_lambda_invoke_in *in, tt_lambda_invoke_fn done, void *ctx,
		      struct tt_err *err);
	void *io;
	/* Where the Invoke is recorded (audit.h) before it is sent: an intent
	 * that must be on disk first, or nothing is sent (FAILED), then its
	 * result. Dry runs are not recorded. NULL: not recorded (fakes). */
	const struct tt_audit *audit;
};
/* The real io, recording in tt_audit_default(). */
void tt_invoke_io_aws(struct tt_invoke_io *io, struct tt_aws *aws);

/* Before any network: the reference parses and its qualifier does not
 * contradict qualifier. TT_ERR_USAGE otherwise. */
int tt_invoke_check_target(const char *function, const char *qualifier, struct tt_err *err);

/* NULL with err (TT_ERR_USAGE) when the options are wrong: a bad function
 * reference, a payload over the limit for its type. */
struct tt_invoke *tt_invoke_new(const struct tt_invoke_opts *opts, const struct tt_invoke_io *io,
				const struct tt_invoke_sink *sink, void *ctx, struct tt_err *err);
/* Cancels what is in flight (answers are dropped, the sink is not called)
 * and frees. */
void tt_invoke_free(struct tt_invoke **job);

/* Checks the read-only policy (a dry run is allowed: nothing runs), then
 * starts the lookups. */
void tt_invoke_start(struct tt_invoke *job, int64_t now_ms);
/* The answer to sink->confirm; ignored in any other state. */
void tt_invoke_confirm(struct tt_invoke *job, bool yes);
/* Stops the job where it is: answers are dropped, the sink is not called. */
void tt_invoke_cancel(struct tt_invoke *job);
/* The caller's time, set before each tt_http_dispatch. */
void tt_invoke_clock(struct tt_invoke *job, int64_t now_ms);

enum tt_invoke_state tt_invoke_state(const struct tt_invoke *job);
/* True once DONE, FAILED, DECLINED or CANCELLED. */
bool tt_invoke_finished(const struct tt_invoke *job);
/* FAILED: why (the message says whether anything was sent); else NULL. */
const struct tt_err *tt_invoke_error(const struct tt_invoke *job);
/* DONE: the answer; else NULL. */
const struct tt_invoke_result *tt_invoke_result(const struct tt_invoke *job);
/* Requests submitted so far, Invoke included (for tests and the status line). */
unsigned tt_invoke_requests(const struct tt_invoke *job);

/* "synchronous (RequestResponse)", "asynchronous (Event)", "dry run (nothing runs)". */
const char *tt_invoke_type_text(enum tt_lambda_invocation type);
/* "function error (Unhandled): SpamRejected: message", the ": " only where
 * both parts are there. Not sanitized; the caller frees it. */
char *tt_invoke_error_text(const char *function_error, const char *type, const char *message);

#endif
