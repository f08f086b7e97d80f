/* The credentials JSON that the container endpoint and IMDS answer
 * (AccessKeyId, SecretAccessKey, Token, Expiration) on arbitrary text.
 * Properties: success means both keys are there; failure says why and
 * leaves nothing allocated. */
#include "fuzz.h"

#include "../../src/aws/creds_internal.h"
#include "tiertop/creds.h"
#include "tiertop/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_creds c;
	struct tt_err err;

	if (creds_from_metadata_json((const char *)data, size, &c, &err) == 0) {
		if (!c.access_key_id || !c.secret_access_key)
			fuzz_fail("credentials without a key");
		tt_creds_clear(&c);
	} else {
		if (c.access_key_id || c.secret_access_key || c.session_token || c.account_id)
			fuzz_fail("a failed parse left strings behind");
		if (!err.message[0])
			fuzz_fail("a failed parse said nothing");
	}
	return 0;
}
