/* AWS Lambda (restJson1, aws-wire.md section 3): listing and describing
 * functions, event source mappings, account limits, and Invoke.
 *
 * Calls submit requests and report once through their callback; when a call
 * returns -1 (bad endpoint settings, bad arguments) nothing was sent and the
 * callback does not run. Results passed to a callback belong to this module
 * and are freed when the callback returns: to keep one, move it out (copy the
 * struct, then zero the original), which is why they are not const.
 *
 * Strings in results are never NULL; a field the answer lacks is "". The
 * parse and helper functions are pure (no network) and exist separately so
 * that tests can feed them canned answers; functions returning char * hand
 * the string to the caller. */
#ifndef TIERTOP_SVC_LAMBDA_H
#define TIERTOP_SVC_LAMBDA_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "tiertop/aws.h"

struct tt_err;

/* Request payload limits (Lambda quotas): checked before anything is sent,
 * because Lambda would only refuse the upload after it was transferred. */
#define TT_LAMBDA_SYNC_PAYLOAD_MAX  ((size_t)6 * 1024 * 1024)
#define TT_LAMBDA_ASYNC_PAYLOAD_MAX ((size_t)1024 * 1024)

/* The longest a function can run, plus time for Lambda to start it and send
 * the answer: a synchronous Invoke must not time out before the function. */
#define TT_LAMBDA_MAX_TIMEOUT_S   900
#define TT_LAMBDA_INVOKE_MARGIN_S 60

struct tt_lambda_env {
	char *name;
	char *value;
};

/* A function's configuration (FunctionConfiguration). */
struct tt_lambda_function {
	char *name;
	char *arn;
	char *runtime; /* "" for container images */
	char *handler;
	char *role;
	char *description;
	char *last_modified; /* as AWS writes it: "2024-05-01T12:00:00.000+0000" */
	char *state;         /* "Active", "Pending", ...; ListFunctions leaves it "" */
	char *state_reason;
	char *last_update_status;
	char *package_type; /* "Zip" or "Image" */
	char *version;      /* "$LATEST" or a number */
	char *architecture; /* the first of Architectures: "x86_64", "arm64" */
	char *log_group;    /* LoggingConfig.LogGroup; "" means /aws/lambda/NAME */
	long memory_mb;     /* 0 when absent */
	long timeout_s;
	long ephemeral_mb;
	long long code_size;
	/* Environment.Variables. Values may be secrets (people do put keys
	 * there): never show or log them; the stack model only compares them
	 * with table names. Wiped when freed. */
	struct tt_lambda_env *env;
	size_t nenv;
};

struct tt_lambda_functions {
	struct tt_lambda_function *items;
	size_t n;
};

/* ListEventSourceMappings. */
struct tt_lambda_esm {
	char *uuid;
	char *event_source_arn;
	char *function_arn;
	char *state; /* "Enabled", "Disabled", "Creating", ... */
	char *last_processing_result;
	char *starting_position;
	long batch_size;
	time_t last_modified; /* 0 when absent */
};

struct tt_lambda_esms {
	struct tt_lambda_esm *items;
	size_t n;
};

enum tt_lambda_invocation {
	TT_LAMBDA_SYNC,    /* RequestResponse: wait for the result */
	TT_LAMBDA_ASYNC,   /* Event: queue it, 202 */
	TT_LAMBDA_DRY_RUN, /* DryRun: check parameters and permission, 204; nothing runs */
};

struct tt_lambda_invoke_in {
	const char *function;  /* name, name:alias, partial or full ARN */
	const char *qualifier; /* version or alias, or NULL */
	enum tt_lambda_invocation type;
	bool tail_log;       /* ask for the last 4 KB of log (synchronous only) */
	const char *payload; /* JSON, sent as is; NULL or empty sends nothing */
	size_t payload_len;
	long timeout_s; /* the function's timeout if known, else 0 (900 s) */
};

struct tt_lambda_invoke_out {
	long status;          /* 200, 202 or 204 */
	char *function_error; /* "" on success, else "Unhandled" or "Handled" */
	char *executed_version;
	char *request_id;
	char *payload; /* the function's answer as sent (NUL-terminated too) */
	size_t payload_len;
	char *log; /* the decoded X-Amz-Log-Result; "" when not asked for */
	size_t log_len;
	bool log_invalid; /* X-Amz-Log-Result was there but not base64 */
};

typedef void (*tt_lambda_functions_fn)(void *ctx, struct tt_lambda_functions *list, const struct tt_err *err);
typedef void (*tt_lambda_function_fn)(void *ctx, struct tt_lambda_function *fn, const struct tt_err *err);
typedef void (*tt_lambda_esms_fn)(void *ctx, struct tt_lambda_esms *list, const struct tt_err *err);
typedef void (*tt_lambda_invoke_fn)(void *ctx, struct tt_lambda_invoke_out *out, const struct tt_err *err);

/* Every function in the region (every page, Marker -> NextMarker). */
int tt_lambda_list_functions(const struct tt_aws *aws, tt_lambda_functions_fn done, void *ctx,
			     struct tt_err *err);
/* qualifier may be NULL. */
int tt_lambda_get_function_configuration(const struct tt_aws *aws, const char *function,
					 const char *qualifier, tt_lambda_function_fn done, void *ctx,
					 struct tt_err *err);
/* Every mapping, or a function's (function may be NULL). */
int tt_lambda_list_event_source_mappings(const struct tt_aws *aws, const char *function,
					 tt_lambda_esms_fn done, void *ctx, struct tt_err *err);

/* Invoke. Checks the payload size (TT_ERR_USAGE) before anything is sent.
 * An Invoke may run the function even when the answer never arrives, so it
 * is retried only when AWS certainly did not run it: throttling (429, after
 * Retry-After), rejected credentials or clock skew, and connections that
 * never carried the request. A 5xx, a timeout or a dropped connection ends
 * the call with "not retried" in the message (see tt_http_req_not_idempotent).
 * A function error is not a failure of the call: err is NULL and
 * out->function_error says what happened. */
int tt_lambda_invoke(const struct tt_aws *aws, const struct tt_lambda_invoke_in *in, tt_lambda_invoke_fn done,
		     void *ctx, struct tt_err *err);

/* --- pure helpers (no network) ---------------------------------------- */

/* TT_ERR_USAGE with both sizes in the message when len is over the limit
 * for type. */
int tt_lambda_check_payload(enum tt_lambda_invocation type, size_t len, struct tt_err *err);

/* "/2015-03-31/functions/<function, percent-encoded>" followed by suffix
 * ("" or "/invocations"): every byte but A-Za-z0-9-_.~ is escaped, so the
 * ':' of an ARN or alias becomes %3A (the signer then encodes it again). */
char *tt_lambda_function_path(const char *function, const char *suffix);

/* A function reference split up. "name", "name:alias", "123456789012:function:
 * name[:q]" and "arn:PART:lambda:REGION:ACCOUNT:function:name[:q]" are
 * accepted; parts the reference lacks are "". */
struct tt_lambda_ref {
	char *partition;
	char *region;
	char *account;
	char *name;
	char *qualifier;
};
int tt_lambda_ref_parse(const char *function, struct tt_lambda_ref *out, struct tt_err *err);
void tt_lambda_ref_clear(struct tt_lambda_ref *ref);
/* The unqualified function ARN, filling the parts the reference lacks from
 * the arguments (partition from region when both are missing). */
char *tt_lambda_ref_arn(const struct tt_lambda_ref *ref, const char *region, const char *account);

/* The log group a function writes to: its LoggingConfig.LogGroup when set
 * (configured_log_group, may be NULL or ""), else /aws/lambda/NAME, NAME
 * taken from function_name (a name, name:alias or ARN). The caller frees. */
char *tt_lambda_log_group_for(const char *function_name, const char *configured_log_group);

/* Base64 (X-Amz-Log-Result) to bytes; *out is NUL-terminated and the
 * caller's. -1 when b64 is not base64. */
int tt_lambda_decode_log(const char *b64, char **out, size_t *len);

int tt_lambda_parse_functions_page(const char *json, size_t len, struct tt_lambda_functions *list,
				   char **next_marker, struct tt_err *err);
int tt_lambda_parse_function(const char *json, size_t len, struct tt_lambda_function *out,
			     struct tt_err *err);
int tt_lambda_parse_esms_page(const char *json, size_t len, struct tt_lambda_esms *list, char **next_marker,
			      struct tt_err *err);
/* The Invoke answer (status, headers, body) as a result; the body is copied. */
int tt_lambda_invoke_result(const struct tt_http_resp *resp, struct tt_lambda_invoke_out *out,
			    struct tt_err *err);

/* Each frees what the struct holds and zeroes it; the struct is the caller's. */
void tt_lambda_function_clear(struct tt_lambda_function *fn);
void tt_lambda_functions_clear(struct tt_lambda_functions *list);
void tt_lambda_esms_clear(struct tt_lambda_esms *list);
void tt_lambda_invoke_out_clear(struct tt_lambda_invoke_out *out);

/* --- qualifiers: versions and aliases (svc_lambda_qual.c) ---------------- */

/* One qualifier a function can be invoked with. */
struct tt_lambda_qualifier {
	char *name;          /* "$LATEST", "3", or the alias's name */
	char *version;       /* a version: itself; an alias: the version it points to */
	char *description;
	char *last_modified; /* versions only ("" for an alias) */
	char *extra_version; /* an alias that splits traffic: the other version, else "" */
	double extra_weight; /* the share of extra_version, 0..1 */
	bool alias;
};

/* Versions first, in Lambda's order ($LATEST, then by number), then the
 * aliases in Lambda's order (by name). */
struct tt_lambda_qualifiers {
	struct tt_lambda_qualifier *items;
	size_t n;
	size_t nversions;
};

typedef void (*tt_lambda_qualifiers_fn)(void *ctx, struct tt_lambda_qualifiers *list, const struct tt_err *err);

/* Every page of ListVersionsByFunction and of ListAliases (both at once);
 * done runs once, with the first failure if either failed. function is a
 * name or an ARN without a qualifier. */
int tt_lambda_list_qualifiers(const struct tt_aws *aws, const char *function, tt_lambda_qualifiers_fn done,
			      void *ctx, struct tt_err *err);
/* One page of each answer appended to list (versions to the versions, so
 * the two may come in any order); *next_marker as in the other pages. */
int tt_lambda_parse_versions_page(const char *json, size_t len, struct tt_lambda_qualifiers *list,
				  char **next_marker, struct tt_err *err);
int tt_lambda_parse_aliases_page(const char *json, size_t len, struct tt_lambda_qualifiers *list,
				 char **next_marker, struct tt_err *err);
void tt_lambda_qualifiers_clear(struct tt_lambda_qualifiers *list);

/* The debug log's view of a Lambda answer (a string the caller frees, or
 * NULL when it is not JSON): environment variable values and GetFunction's
 * Code.Location, a presigned download of the code, become "[redacted]". */
char *tt_lambda_log_view(const char *body, size_t len);

#endif
