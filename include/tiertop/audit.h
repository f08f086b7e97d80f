/* The audit log: every invoke and replay that is sent, from a verb or the
 * console, recorded in $XDG_STATE_HOME/tiertop/audit.jsonl (by default
 * ~/.local/state/tiertop/audit.jsonl) as JSON Lines.
 *
 * Two records per action, tied by an id: an intent, written and flushed to
 * disk (fsync) before the request is sent, so that an interruption at any
 * point (kill -9 included) leaves it on disk; then a result (status,
 * function error, request id, duration, or the error). An intent without a
 * result means the request may or may not have reached AWS.
 *
 * Dry runs (Lambda's DryRun type) are not recorded: nothing runs, read-only
 * mode allows them, and an unwritable log must not stop them. Read-only
 * refusals are not actions either.
 *
 * The directories are created 0700, the file 0600; the file is opened with
 * O_APPEND|O_NOFOLLOW, so a symlink in its place is refused. Each record is
 * one write(2) of a whole line.
 *
 * The invoke job (invoke.h) records through its io table: tt_invoke_io_aws
 * plugs in tt_audit_default(), a test its own log.
 *
 * Ownership: a struct tt_audit is the caller's (path and clock borrowed);
 * what tt_audit_load fills is the caller's, freed with tt_audit_entries_clear. */
#ifndef TIERTOP_AUDIT_H
#define TIERTOP_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tiertop/err.h"

struct json_t;

struct tt_audit {
	const char *path;         /* NULL: tt_audit_default_path() when a record is written */
	int64_t (*wall_ms)(void); /* the time written in records (ms since the epoch) */
};

#define TT_AUDIT_ID_LEN 33 /* 32 hex digits and the NUL */

/* The log of this process: the default path, the wall clock. Static. */
const struct tt_audit *tt_audit_default(void);

/* $XDG_STATE_HOME/tiertop/audit.jsonl (an absolute XDG_STATE_HOME only, as
 * the XDG spec says), else $HOME/.local/state/tiertop/audit.jsonl. The
 * caller frees. NULL with err (TT_ERR_CONFIG) when neither is set. */
char *tt_audit_default_path(struct tt_err *err);

/* What is about to be sent. Borrowed; NULL strings are written as null. */
struct tt_audit_intent {
	const char *identity; /* the caller's ARN */
	const char *account;
	const char *region;
	const char *endpoint;
	const char *function; /* as given: name, name:alias or ARN */
	const char *function_arn;
	const char *qualifier;
	const char *invocation_type; /* "RequestResponse", "Event" */
	const char *payload;
	size_t payload_len;
	const char *replay_table; /* a replay's source item, else NULL */
	const char *replay_key;   /* its key as plain JSON */
};

/* Appends the intent and fsyncs the file before returning; id (a new
 * random one) ties the result to it. -1 with err (TT_ERR_FAILURE, naming
 * the file) when the log cannot be written: the request must not be sent. */
int tt_audit_intent(const struct tt_audit *a, const struct tt_audit_intent *in, char id[TT_AUDIT_ID_LEN],
		    struct tt_err *err);

/* What came back. Borrowed. With error set, the other fields are ignored. */
struct tt_audit_result {
	long status;
	const char *function_error; /* "" or NULL: none */
	const char *error_type;     /* from the function's error document, or NULL */
	const char *request_id;
	int64_t duration_ms;        /* < 0: unknown */
	const struct tt_err *error; /* the invoke failed (the function may have run) */
};

/* Appends the result of the intent id (written, and fsynced). */
int tt_audit_result(const struct tt_audit *a, const char *id, const struct tt_audit_result *r, struct tt_err *err);

/* One action: its intent and its result (NULL: none was written, the
 * process was interrupted). Both owned by the entry. */
struct tt_audit_entry {
	struct json_t *intent;
	struct json_t *result;
	int64_t time_ms; /* the intent's time */
};

struct tt_audit_entries {
	struct tt_audit_entry *items; /* in the order the intents were written */
	size_t n;
	size_t bad_lines; /* lines that are not a record (a torn last line) */
};

/* Reads path, keeping the actions whose intent is at or after since_ms.
 * A missing file is no actions. -1 with err when it cannot be read. */
int tt_audit_load(const char *path, int64_t since_ms, struct tt_audit_entries *out, struct tt_err *err);
void tt_audit_entries_clear(struct tt_audit_entries *e);

/* "2026-12-06T03:40:00.123Z" into out[25]. */
void tt_audit_time(int64_t ms, char out[25]);

#endif
