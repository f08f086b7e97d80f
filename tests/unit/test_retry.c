/* Retry classification and back-off delays. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tiertop/retry.h"

static const char *class_name(enum tt_retry_class c)
{
	switch (c) {
	case TT_RETRY_NEVER: return "NEVER";
	case TT_RETRY_THROTTLED: return "THROTTLED";
	case TT_RETRY_TRANSIENT: return "TRANSIENT";
	case TT_RETRY_CLOCK_SKEW: return "CLOCK_SKEW";
	case TT_RETRY_EXPIRED_CREDS: return "EXPIRED_CREDS";
	}
	return "?";
}

static void check_class(long status, const char *code, enum tt_retry_class want)
{
	enum tt_retry_class got = tt_retry_classify(status, code);

	tap_ok(got == want, "classify(%ld, %s) = %s (got %s)", status, code ? code : "NULL",
	       class_name(want), class_name(got));
}

static void test_classify(void)
{
	static const char *const throttles[] = {
		"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
		"TooManyRequestsException", "ProvisionedThroughputExceededException",
		"TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
		"LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
		"EC2ThrottledException",
	};
	static const char *const transients[] = {
		"RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure",
		"InternalServerError", "ServiceUnavailable", "ServiceUnavailableException",
	};
	static const char *const skews[] = {
		"RequestTimeTooSkewed", "RequestInTheFuture", "InvalidSignatureException",
		"SignatureDoesNotMatch", "AuthFailure",
	};
	static const char *const expired[] = {"ExpiredToken", "ExpiredTokenException", "RequestExpired"};

	for (size_t i = 0; i < sizeof(throttles) / sizeof(*throttles); i++) {
		check_class(400, throttles[i], TT_RETRY_THROTTLED);
		tap_ok(tt_retry_is_throttle_code(throttles[i]), "is_throttle_code(%s)", throttles[i]);
	}
	check_class(429, "", TT_RETRY_THROTTLED);
	check_class(429, NULL, TT_RETRY_THROTTLED);
	check_class(429, "SomethingElse", TT_RETRY_THROTTLED);
	check_class(503, "SlowDown", TT_RETRY_THROTTLED);
	check_class(500, NULL, TT_RETRY_TRANSIENT);
	check_class(502, NULL, TT_RETRY_TRANSIENT);
	check_class(503, "", TT_RETRY_TRANSIENT);
	check_class(504, "GatewayTimeout", TT_RETRY_TRANSIENT);
	check_class(501, NULL, TT_RETRY_NEVER);
	check_class(505, NULL, TT_RETRY_NEVER);
	for (size_t i = 0; i < sizeof(transients) / sizeof(*transients); i++)
		check_class(400, transients[i], TT_RETRY_TRANSIENT);
	for (size_t i = 0; i < sizeof(skews) / sizeof(*skews); i++)
		check_class(403, skews[i], TT_RETRY_CLOCK_SKEW);
	for (size_t i = 0; i < sizeof(expired) / sizeof(*expired); i++)
		check_class(400, expired[i], TT_RETRY_EXPIRED_CREDS);

	check_class(400, "ValidationException", TT_RETRY_NEVER);
	check_class(400, "SomethingUnknown", TT_RETRY_NEVER);
	check_class(400, NULL, TT_RETRY_NEVER);
	check_class(400, "", TT_RETRY_NEVER);
	check_class(403, "AccessDeniedException", TT_RETRY_NEVER);
	check_class(404, "ResourceNotFoundException", TT_RETRY_NEVER);
	check_class(400, "throttling", TT_RETRY_NEVER);
	check_class(400, "ThrottlingExceptionX", TT_RETRY_NEVER);
	check_class(200, NULL, TT_RETRY_NEVER);
	check_class(0, NULL, TT_RETRY_TRANSIENT);
	check_class(0, "AccessDeniedException", TT_RETRY_TRANSIENT);

	tap_ok(!tt_retry_is_throttle_code(NULL) && !tt_retry_is_throttle_code("") &&
		       !tt_retry_is_throttle_code("InternalError"),
	       "is_throttle_code false for NULL, empty and non-throttle codes");
}

static void test_credential_codes(void)
{
	static const char *const yes[] = {
		"ExpiredToken", "ExpiredTokenException", "RequestExpired", "InvalidClientTokenId",
		"UnrecognizedClientException", "SignatureDoesNotMatch", "InvalidSignatureException",
		"IncompleteSignature", "IncompleteSignatureException", "MissingAuthenticationToken",
		"MissingAuthenticationTokenException", "UnauthorizedException",
	};
	static const char *const no[] = {
		"AccessDenied", "AccessDeniedException", "Throttling", "ValidationException",
		"RequestTimeTooSkewed", "", "expiredtoken",
	};

	for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++)
		tap_ok(tt_retry_is_credential_code(yes[i]), "credential code: %s", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(*no); i++)
		tap_ok(!tt_retry_is_credential_code(no[i]), "not a credential code: \"%s\"", no[i]);
	tap_ok(!tt_retry_is_credential_code(NULL), "not a credential code: NULL");
}

/* The scheduler, the tail and the console's identity share it. */
static void test_doubling(void)
{
	tap_ok(tt_retry_doubling_ms(2000, 60000, 1) == 2000, "doubling: the first failure waits the base");
	tap_ok(tt_retry_doubling_ms(2000, 60000, 3) == 8000, "doubling: the third, twice doubled");
	tap_ok(tt_retry_doubling_ms(2000, 60000, 6) == 60000, "doubling: 64 s capped at 60 s");
	tap_ok(tt_retry_doubling_ms(2000, 60000, 4000000000u) == 60000, "doubling: a huge count stays capped");
	tap_ok(tt_retry_doubling_ms(2000, 60000, 0) == 2000, "doubling: no failure counts as one");
}

static void test_delay(void)
{
	static const long want[] = {1000, 2000, 4000, 8000, 16000, 20000, 20000, 20000};

	for (int a = 1; a <= 8; a++)
		tap_ok(tt_retry_delay_ms(a, 1.0, -1) == want[a - 1], "delay: attempt %d, random 1 = %ld (got %ld)",
		       a, want[a - 1], tt_retry_delay_ms(a, 1.0, -1));
	tap_ok(tt_retry_delay_ms(40, 1.0, -1) == 20000, "delay: attempt 40 still capped at 20 s");
	tap_ok(tt_retry_delay_ms(1000000, 1.0, -1) == 20000, "delay: huge attempt capped");
	for (int a = 1; a <= 6; a++)
		tap_ok(tt_retry_delay_ms(a, 0.0, -1) == 0, "delay: attempt %d, random 0 = 0", a);
	tap_ok(tt_retry_delay_ms(3, 0.5, -1) == 2000, "delay: attempt 3, random 0.5 = 2000");
	tap_ok(tt_retry_delay_ms(6, 0.25, -1) == 5000, "delay: attempt 6, random 0.25 = 5000");
	tap_ok(tt_retry_delay_ms(2, -3.0, -1) == 0, "delay: negative random clamped to 0");
	tap_ok(tt_retry_delay_ms(2, 7.0, -1) == 2000, "delay: random above 1 clamped to 1");

	tap_ok(tt_retry_delay_ms(1, 1.0, 0) == 0, "delay: Retry-After 0 means now");
	tap_ok(tt_retry_delay_ms(1, 1.0, 3000) == 3000, "delay: Retry-After 3 s wins over back-off");
	tap_ok(tt_retry_delay_ms(6, 0.0, 45000) == 45000, "delay: Retry-After wins over random 0");
	tap_ok(tt_retry_delay_ms(1, 1.0, 60000) == 60000, "delay: Retry-After of 60 s kept");
	tap_ok(tt_retry_delay_ms(1, 1.0, 60001) == 60000, "delay: Retry-After capped at 60 s");
	tap_ok(tt_retry_delay_ms(1, 1.0, 3600000) == 60000, "delay: Retry-After of an hour capped");
}

/* The SDKs' numbers: 100 retries from a full quota, 50 after timeouts;
 * successes refill it; it never goes past 500. */
static void quota(void)
{
	struct tt_retry_quota q;
	int retries = 0, taken = 0;

	tt_retry_quota_init(&q);
	while (tt_retry_quota_acquire(&q, false))
		retries++;
	tap_ok(retries == 100 && q.available == 0, "a full quota pays for 100 retries (%d)", retries);
	tap_ok(tt_retry_quota_acquire(&q, false) == 0, "then none");
	tt_retry_quota_release(&q, 0);
	tap_ok(q.available == 1, "a success without retries gives 1 back");
	tt_retry_quota_release(&q, 10);
	tap_ok(q.available == 11, "one after a timeout retry gives back the 10 it took");
	tap_ok(tt_retry_quota_acquire(&q, true) == 10 && tt_retry_quota_acquire(&q, false) == 0,
	       "a timeout retry costs 10, and 1 token left pays for nothing");
	tt_retry_quota_init(&q);
	for (int i = 0; i < 1000; i++)
		tt_retry_quota_release(&q, 5);
	tap_ok(q.available == 500, "never more than 500");
	while ((taken = tt_retry_quota_acquire(&q, true)) != 0)
		retries++;
	tap_ok(retries == 150, "50 timeout retries from a full quota (%d)", retries - 100);
}

int main(void)
{
	quota();
	test_classify();
	test_credential_codes();
	test_doubling();
	test_delay();
	return tap_done();
}
