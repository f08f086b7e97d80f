/* Which AWS failures are worth another try, and how long to wait first.
 * Pure functions (the random number is a parameter) so tests can pin them. */
#ifndef TIERTOP_RETRY_H
#define TIERTOP_RETRY_H

#include <stdbool.h>

enum tt_retry_class {
	TT_RETRY_NEVER,          /* validation, access, not found...: retrying cannot help */
	TT_RETRY_THROTTLED,      /* slow down and try again */
	TT_RETRY_TRANSIENT,      /* 5xx, timeouts, dropped connections */
	TT_RETRY_CLOCK_SKEW,     /* maybe our clock: correct from Date and re-sign */
	TT_RETRY_EXPIRED_CREDS,  /* fetch fresh credentials and re-sign */
};

/* status 0 means no HTTP answer (connection error, timeout). */
enum tt_retry_class tt_retry_classify(long status, const char *code);
bool tt_retry_is_throttle_code(const char *code);
/* Credential errors that the user must fix (exit code 3 rather than 4). */
bool tt_retry_is_credential_code(const char *code);

/* The wait after `failures` failures in a row (1 or more): base, doubled
 * for each failure after the first, at most max. Callers add their own
 * jitter. */
long tt_retry_doubling_ms(long base_ms, long max_ms, unsigned failures);

/* Standard mode: random * min(2^(attempt-1), 20) seconds, attempt counted
 * from 1 for the first retry; a server's Retry-After wins when given
 * (retry_after_ms >= 0), capped at 60 s so a bogus header cannot hang us. */
long tt_retry_delay_ms(int attempt, double random01, long retry_after_ms);

/* Standard mode's retry quota, as the AWS SDKs keep it: a retry costs 5 of
 * 500 tokens (10 after a timeout), a success that needed no retry gives 1
 * back, and one that did gives back what its last retry took. When the
 * tokens run out, failures are returned at once: during an outage the
 * program stops multiplying its own load. */
struct tt_retry_quota {
	int available;
};

void tt_retry_quota_init(struct tt_retry_quota *q);
/* Takes a retry's cost; returns it (5 or 10), or 0 when the quota is spent. */
int tt_retry_quota_acquire(struct tt_retry_quota *q, bool after_timeout);
/* A success: last_taken is what its last retry took, 0 if it needed none. */
void tt_retry_quota_release(struct tt_retry_quota *q, int last_taken);

#endif
