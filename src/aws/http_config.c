/* Retry and TLS settings, from the environment first, then the profile, as
 * the AWS CLI reads them. */
#include <stdlib.h>
#include <string.h>

#include "tiertop/err.h"
#include "tiertop/http.h"
#include "tiertop/profile.h"
#include "tiertop/str.h"

static const char *setting(const struct tt_awscfg *cfg, const char *profile, const char *env,
			   const char *key, const char **source)
{
	const char *v = getenv(env);

	if (v && *v) {
		*source = env;
		return v;
	}
	*source = key;
	v = tt_awscfg_get(cfg, profile, key);
	return v && *v ? v : NULL;
}

int tt_http_config_load(struct tt_http_config *out, const struct tt_awscfg *cfg, const char *profile,
			struct tt_err *err)
{
	const char *src, *v;
	long n;

	memset(out, 0, sizeof(*out));
	out->max_attempts = 3;
	out->retry_mode = TT_RETRY_STANDARD;
	v = setting(cfg, profile, "AWS_MAX_ATTEMPTS", "max_attempts", &src);
	if (v) {
		if (tt_str_parse_long(v, 1, 50, &n))
			return tt_err_set(err, TT_ERR_CONFIG, "%s \"%s\" must be a whole number from 1 to 50",
					  src, v);
		out->max_attempts = (int)n;
	}
	v = setting(cfg, profile, "AWS_RETRY_MODE", "retry_mode", &src);
	if (v) {
		if (strcmp(v, "standard") == 0)
			out->retry_mode = TT_RETRY_STANDARD;
		else if (strcmp(v, "legacy") == 0)
			out->retry_mode = TT_RETRY_LEGACY;
		else if (strcmp(v, "adaptive") == 0)
			out->retry_mode = TT_RETRY_ADAPTIVE;
		else
			return tt_err_set(err, TT_ERR_CONFIG,
					  "%s \"%s\" must be standard, legacy or adaptive", src, v);
	}
	out->ca_bundle = setting(cfg, profile, "AWS_CA_BUNDLE", "ca_bundle", &src);
	if (out->ca_bundle && strcmp(src, "ca_bundle") == 0)
		out->ca_bundle_where = tt_awscfg_where(cfg, profile, "ca_bundle");
	return 0;
}
