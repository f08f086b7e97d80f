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

/* Standard mode: random * min(2^(attempt-1), 20) seconds, attempt counted
 * from 1 for the first retry; a server's Retry-After wins when given
 * (retry_after_ms >= 0), capped at 60 s so a bogus header cannot hang us. */
long tt_retry_delay_ms(int attempt, double random01, long retry_after_ms);

#endif
