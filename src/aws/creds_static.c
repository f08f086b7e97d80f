/* Fixed keys: from the environment or a profile. */
#include <stdlib.h>
#include <string.h>

#include "creds_internal.h"
#include "tiertop/clock.h"
#include "tiertop/xalloc.h"

struct static_provider {
	struct provider base;
	struct tt_creds creds;
};

static void static_fetch(struct provider *p)
{
	provider_done(p, &((struct static_provider *)p)->creds, NULL);
}

static void static_free(struct provider *p)
{
	tt_creds_clear(&((struct static_provider *)p)->creds);
	free(p);
}

static const struct provider_ops static_ops = {static_fetch, static_free, false};

struct provider *provider_static_new(const char *ak, const char *sk, const char *token, time_t expiration)
{
	struct static_provider *s = tt_xcalloc(1, sizeof(*s));

	s->base.ops = &static_ops;
	tt_creds_set(&s->creds, ak, sk, token, expiration, NULL);
	return &s->base;
}

static const char *env_nonempty(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

struct provider *provider_env_new(struct tt_err *err)
{
	const char *ak = env_nonempty("AWS_ACCESS_KEY_ID");
	const char *sk = env_nonempty("AWS_SECRET_ACCESS_KEY");
	const char *token = env_nonempty("AWS_SESSION_TOKEN");
	const char *exp = env_nonempty("AWS_CREDENTIAL_EXPIRATION");
	time_t expiration = 0;

	if (!token)
		token = env_nonempty("AWS_SECURITY_TOKEN");
	if (!ak && !sk)
		return tt_err_set(err, TT_ERR_CONFIG,
				  "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"), NULL;
	if (!ak || !sk)
		return tt_err_set(err, TT_ERR_CONFIG, "%s is set but %s is not",
				  ak ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
				  ak ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID"), NULL;
	if (exp && tt_time_parse_iso8601(exp, &expiration))
		return tt_err_set(err, TT_ERR_CONFIG,
				  "AWS_CREDENTIAL_EXPIRATION \"%.40s\" is not an ISO-8601 time", exp), NULL;
	return provider_static_new(ak, sk, token, expiration);
}
