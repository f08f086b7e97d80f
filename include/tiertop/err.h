/* Errors: one struct filled by every fallible function.
 *
 * Contract: a fallible function returns 0 on success or -1 on failure and, on
 * failure, fills the caller's struct tt_err (which the caller owns; it holds no
 * heap memory, so there is nothing to free). The kind decides the exit code of
 * a command-line verb; the other fields are what the user sees. */
#ifndef TIERTOP_ERR_H
#define TIERTOP_ERR_H

enum tt_err_kind {
	TT_ERR_NONE = 0,
	TT_ERR_FAILURE,   /* generic failure: exit 1 */
	TT_ERR_USAGE,     /* bad command line: exit 2 */
	TT_ERR_CONFIG,    /* credentials or configuration: exit 3 */
	TT_ERR_AWS,       /* AWS answered with an error: exit 4 */
	TT_ERR_NETWORK,   /* could not talk to AWS at all: exit 5 */
};

enum tt_exit {
	TT_EXIT_OK = 0,
	TT_EXIT_FAILURE = 1,
	TT_EXIT_USAGE = 2,
	TT_EXIT_CONFIG = 3,
	TT_EXIT_AWS = 4,
	TT_EXIT_NETWORK = 5,
	/* Not an error kind: the call worked and the function said no (invoke,
	 * replay). Scripts can tell that from "the invoke failed" (4, 5). */
	TT_EXIT_FUNCTION = 6,
};

struct tt_err {
	enum tt_err_kind kind;
	long http_status;     /* 0 when no HTTP response was involved */
	char code[96];        /* AWS error code, e.g. "ThrottlingException" */
	char message[1024];
	char request_id[96];
};

void tt_err_clear(struct tt_err *err);

/* Sets kind and a printf-style message; keeps nothing else. Returns -1 so that
 * callers can write `return tt_err_set(...)`. */
int tt_err_set(struct tt_err *err, enum tt_err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefixes the existing message with context ("profile prod: ..."). */
void tt_err_prefix(struct tt_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Adds to the end of the message (after the service's own words), cut to fit. */
void tt_err_append(struct tt_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
enum tt_exit tt_err_exit_code(const struct tt_err *err);

/* One line for humans: "message (Code, HTTP 400, request id X)". Returned
 * pointer is into buf, which the caller provides. */
const char *tt_err_format(const struct tt_err *err, char *buf, size_t size);

#endif
