#include <string.h>

#include "tiertop/retry.h"

/* The union of the throttling codes botocore and the JS SDK v3 recognise. */
static const char *const throttle_codes[] = {
	"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
	"TooManyRequestsException", "ProvisionedThroughputExceededException",
	"TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
	"LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
	"EC2ThrottledException", NULL,
};

static const char *const transient_codes[] = {
	"RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure",
	"InternalServerError", "ServiceUnavailable", "ServiceUnavailableException", NULL,
};

static const char *const skew_codes[] = {
	"RequestTimeTooSkewed", "RequestInTheFuture", "InvalidSignatureException",
	"SignatureDoesNotMatch", "AuthFailure", NULL,
};

static const char *const expired_codes[] = {
	"ExpiredToken", "ExpiredTokenException", "RequestExpired", NULL,
};

static const char *const credential_codes[] = {
	"ExpiredToken", "ExpiredTokenException", "RequestExpired", "InvalidClientTokenId",
	"UnrecognizedClientException", "SignatureDoesNotMatch", "InvalidSignatureException",
	"IncompleteSignature", "IncompleteSignatureException", "MissingAuthenticationToken",
	"MissingAuthenticationTokenException", "UnauthorizedException", NULL,
};

static bool in_list(const char *code, const char *const *list)
{
	if (!code || !*code)
		return false;
	for (size_t i = 0; list[i]; i++)
		if (strcmp(code, list[i]) == 0)
			return true;
	return false;
}

bool tt_retry_is_throttle_code(const char *code)
{
	return in_list(code, throttle_codes);
}

bool tt_retry_is_credential_code(const char *code)
{
	return in_list(code, credential_codes);
}

enum tt_retry_class tt_retry_classify(long status, const char *code)
{
	if (status == 0)
		return TT_RETRY_TRANSIENT;
	if (status == 429 || in_list(code, throttle_codes))
		return TT_RETRY_THROTTLED;
	if (in_list(code, expired_codes))
		return TT_RETRY_EXPIRED_CREDS;
	if (in_list(code, skew_codes))
		return TT_RETRY_CLOCK_SKEW;
	if (in_list(code, transient_codes) || status == 500 || status == 502 || status == 503 ||
	    status == 504)
		return TT_RETRY_TRANSIENT;
	return TT_RETRY_NEVER;
}

long tt_retry_doubling_ms(long base_ms, long max_ms, unsigned failures)
{
	long d = base_ms;

	for (unsigned i = 1; i < failures && d < max_ms; i++)
		d *= 2;
	return d > max_ms ? max_ms : d;
}

long tt_retry_delay_ms(int attempt, double random01, long retry_after_ms)
{
	long ceiling = tt_retry_doubling_ms(1000, 20000, attempt > 0 ? (unsigned)attempt : 1);

	if (retry_after_ms >= 0)
		return retry_after_ms > 60000 ? 60000 : retry_after_ms;
	if (random01 < 0)
		random01 = 0;
	if (random01 > 1)
		random01 = 1;
	return (long)(random01 * (double)ceiling);
}

#define QUOTA_MAX 500
#define QUOTA_RETRY_COST 5
#define QUOTA_TIMEOUT_COST 10
#define QUOTA_SUCCESS_REFUND 1

void tt_retry_quota_init(struct tt_retry_quota *q)
{
	q->available = QUOTA_MAX;
}

int tt_retry_quota_acquire(struct tt_retry_quota *q, bool after_timeout)
{
	int cost = after_timeout ? QUOTA_TIMEOUT_COST : QUOTA_RETRY_COST;

	if (cost > q->available)
		return 0;
	q->available -= cost;
	return cost;
}

void tt_retry_quota_release(struct tt_retry_quota *q, int last_taken)
{
	q->available += last_taken > 0 ? last_taken : QUOTA_SUCCESS_REFUND;
	if (q->available > QUOTA_MAX)
		q->available = QUOTA_MAX;
}
