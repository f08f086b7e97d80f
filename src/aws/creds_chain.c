/* Which provider answers for a profile: the AWS CLI's chain, in its order
 * (botocore create_credential_resolver): environment keys, assume role, web
 * identity, IAM Identity Center, keys in the credentials file,
 * credential_process, keys in the config file, container, EC2 metadata. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "creds_internal.h"
#include "tiertop/profile.h"
#include "tiertop/str.h"
#include "tiertop/xalloc.h"

#define MAX_ROLE_DEPTH 16

struct visit {
	const char *names[MAX_ROLE_DEPTH];
	size_t n;
};

struct resolved {
	struct provider *provider;
	char *description;
};

static const char *get(const struct chain_env *env, const char *profile, const char *key)
{
	const char *v = tt_awscfg_get(env->cfg, profile, key);

	return v && *v ? v : NULL;
}

static bool has_static_keys(const struct chain_env *env, const char *profile)
{
	return get(env, profile, "aws_access_key_id") || get(env, profile, "aws_secret_access_key");
}

static int static_keys(const struct chain_env *env, const char *profile, struct resolved *out,
		       struct tt_err *err)
{
	const char *ak = get(env, profile, "aws_access_key_id");
	const char *sk = get(env, profile, "aws_secret_access_key");
	const char *where = tt_awscfg_where(env->cfg, profile, ak ? "aws_access_key_id" : "aws_secret_access_key");

	if (!ak || !sk)
		return tt_err_set(err, TT_ERR_CONFIG, "profile %s has %s but no %s (%s)", profile,
				  ak ? "aws_access_key_id" : "aws_secret_access_key",
				  ak ? "aws_secret_access_key" : "aws_access_key_id", where ? where : "?");
	out->provider = provider_static_new(ak, sk, get(env, profile, "aws_session_token"), 0);
	out->description = tt_xasprintf("profile %s: static keys (%s)", profile, where ? where : "?");
	return 0;
}

static bool keys_in_credentials_file(const struct chain_env *env, const char *profile)
{
	const char *where = tt_awscfg_where(env->cfg, profile, "aws_access_key_id");
	const char *cred_file = tt_awscfg_credentials_path(env->cfg);

	return where && cred_file && tt_str_starts_with(where, cred_file) &&
	       where[strlen(cred_file)] == ':';
}

static int resolve_profile(const struct chain_env *env, const char *profile, struct visit *seen,
			   struct resolved *out, struct tt_err *err);

static int role_source(const struct chain_env *env, const char *profile, struct visit *seen,
		       struct resolved *src, struct tt_err *err)
{
	const char *source_profile = get(env, profile, "source_profile");
	const char *credential_source = get(env, profile, "credential_source");

	if (source_profile && credential_source)
		return tt_err_set(err, TT_ERR_CONFIG,
				  "profile %s has both source_profile and credential_source; keep one", profile);
	if (credential_source) {
		if (strcmp(credential_source, "Environment") == 0)
			src->provider = provider_env_new(err);
		else if (strcmp(credential_source, "Ec2InstanceMetadata") == 0)
			src->provider = provider_imds_new(env, err);
		else if (strcmp(credential_source, "EcsContainer") == 0)
			src->provider = provider_container_new(env, err);
		else
			return tt_err_set(err, TT_ERR_CONFIG,
					  "profile %s: credential_source \"%s\" is not one of Environment, "
					  "Ec2InstanceMetadata, EcsContainer", profile, credential_source);
		if (!src->provider)
			return -1;
		src->description = tt_xasprintf("credential_source %s", credential_source);
		return 0;
	}
	if (!source_profile)
		return tt_err_set(err, TT_ERR_CONFIG,
				  "profile %s has role_arn but neither source_profile nor credential_source",
				  profile);
	/* A profile may name itself as the source of the keys it holds. */
	if (strcmp(source_profile, profile) == 0 && has_static_keys(env, profile))
		return static_keys(env, profile, src, err);
	if (!tt_awscfg_has_profile(env->cfg, source_profile))
		return tt_err_set(err, TT_ERR_CONFIG, "profile %s: source_profile %s does not exist",
				  profile, source_profile);
	if (resolve_profile(env, source_profile, seen, src, err))
		return -1;
	if (!src->provider)
		return tt_err_set(err, TT_ERR_CONFIG,
				  "profile %s: source_profile %s has no credentials", profile, source_profile);
	return 0;
}

static int assume_role(const struct chain_env *env, const char *profile, struct visit *seen,
		       struct resolved *out, struct tt_err *err)
{
	struct resolved src = {0};
	const char *token_file = get(env, profile, "web_identity_token_file");
	const char *role = get(env, profile, "role_arn");

	if (token_file) {
		out->provider = provider_web_identity_new(env, role, token_file,
							  get(env, profile, "role_session_name"), err);
		out->description = tt_xasprintf("profile %s: web identity %s", profile, role);
		return out->provider ? 0 : -1;
	}
	/* The profile's own settings are checked before its source's. */
	out->provider = provider_assume_role_new(env, profile, err);
	if (!out->provider)
		return -1;
	if (role_source(env, profile, seen, &src, err)) {
		out->provider->ops->free(out->provider);
		out->provider = NULL;
		return -1;
	}
	provider_assume_role_set_source(out->provider,
					creds_cache_wrap(env->http, src.provider, src.description));
	out->description = tt_xasprintf("profile %s: assume-role %s via %s", profile, role, src.description);
	free(src.description);
	return 0;
}

static int enter(struct visit *seen, const char *profile, struct tt_err *err)
{
	char chain[512] = "";

	for (size_t i = 0; i < seen->n; i++) {
		if (strcmp(seen->names[i], profile) != 0)
			continue;
		for (size_t j = i; j < seen->n; j++)
			snprintf(chain + strlen(chain), sizeof(chain) - strlen(chain), "%s -> ", seen->names[j]);
		return tt_err_set(err, TT_ERR_CONFIG, "role loop in source_profile: %s%s", chain, profile);
	}
	if (seen->n >= MAX_ROLE_DEPTH)
		return tt_err_set(err, TT_ERR_CONFIG, "source_profile chain deeper than %d at profile %s",
				  MAX_ROLE_DEPTH, profile);
	seen->names[seen->n++] = profile;
	return 0;
}

/* Leaves out->provider NULL (and returns 0) when the profile simply has no
 * credentials, so the chain goes on. */
static int resolve_profile(const struct chain_env *env, const char *profile, struct visit *seen,
			   struct resolved *out, struct tt_err *err)
{
	const char *process = get(env, profile, "credential_process");

	if (enter(seen, profile, err))
		return -1;
	if (get(env, profile, "role_arn"))
		return assume_role(env, profile, seen, out, err);
	if (get(env, profile, "sso_session") || get(env, profile, "sso_start_url")) {
		out->provider = provider_sso_new(env, profile, &out->description, err);
		return out->provider ? 0 : -1;
	}
	if (has_static_keys(env, profile) && (keys_in_credentials_file(env, profile) || !process))
		return static_keys(env, profile, out, err);
	if (process) {
		out->provider = provider_process_new(env, profile, process, err);
		out->description = tt_xasprintf("profile %s: credential_process", profile);
		return out->provider ? 0 : -1;
	}
	return 0;
}

static bool env_keys_present(void)
{
	const char *ak = getenv("AWS_ACCESS_KEY_ID");

	return ak && *ak;
}

static int env_web_identity(const struct chain_env *env, struct resolved *out, struct tt_err *err)
{
	const char *file = getenv("AWS_WEB_IDENTITY_TOKEN_FILE");
	const char *role = getenv("AWS_ROLE_ARN");

	if (!file || !*file || !role || !*role)
		return 0;
	out->provider = provider_web_identity_new(env, role, file, getenv("AWS_ROLE_SESSION_NAME"), err);
	out->description = tt_xasprintf("web identity %s (AWS_WEB_IDENTITY_TOKEN_FILE)", role);
	return out->provider ? 0 : -1;
}

static int machine_sources(const struct chain_env *env, struct resolved *out, struct tt_err *err)
{
	if (provider_container_configured()) {
		out->provider = provider_container_new(env, err);
		out->description = tt_xstrdup("container credentials endpoint");
		return out->provider ? 0 : -1;
	}
	if (!provider_imds_disabled()) {
		out->provider = provider_imds_new(env, err);
		out->description = tt_xstrdup("EC2 instance metadata (IMDS)");
		return out->provider ? 0 : -1;
	}
	return 0;
}

static int resolve_chain(const struct chain_env *env, const char *cli_profile, struct resolved *out,
			 struct tt_err *err)
{
	struct visit seen = {0};

	/* As in the AWS CLI, --profile wins over keys in the environment, but
	 * AWS_PROFILE does not. */
	if (!cli_profile && env_keys_present()) {
		out->provider = provider_env_new(err);
		out->description = tt_xstrdup("environment variables (AWS_ACCESS_KEY_ID)");
		return out->provider ? 0 : -1;
	}
	if (tt_awscfg_has_profile(env->cfg, env->profile)) {
		if (get(env, env->profile, "role_arn"))
			return resolve_profile(env, env->profile, &seen, out, err);
	}
	if (env_web_identity(env, out, err) || out->provider)
		return out->provider ? 0 : -1;
	if (tt_awscfg_has_profile(env->cfg, env->profile) &&
	    resolve_profile(env, env->profile, &seen, out, err))
		return -1;
	if (out->provider)
		return 0;
	return machine_sources(env, out, err);
}

static void chain_env_fill(struct chain_env *env, struct tt_http *http, const struct tt_awscfg *cfg,
			   const struct tt_creds_options *opts)
{
	memset(env, 0, sizeof(*env));
	env->http = http;
	env->cfg = cfg;
	env->profile = tt_xstrdup(tt_awscfg_profile_name(opts->cli_profile));
	env->region = opts->region ? tt_xstrdup(opts->region) : NULL;
	/* As in the AWS CLI, --endpoint-url is for the service calls, not for
	 * the credential sources (STS for roles, SSO, metadata). */
	env->cli_endpoint_url = NULL;
	env->request_mfa = opts->request_mfa;
	env->mfa_ctx = opts->mfa_ctx;
	if (opts->cli_profile && env_keys_present())
		env->env_keys_unused =
			opts->cli_profile_from
				? tt_xasprintf("AWS_ACCESS_KEY_ID is set, but %s's profile sets it aside (as "
					       "--profile does in the AWS CLI)", opts->cli_profile_from)
				: tt_xstrdup("AWS_ACCESS_KEY_ID is set, but --profile sets it aside (as in the AWS CLI)");
}

void chain_env_clear(struct chain_env *env)
{
	free(env->profile);
	free(env->region);
	free(env->cli_endpoint_url);
	free(env->env_keys_unused);
	memset(env, 0, sizeof(*env));
}

void chain_env_copy(struct chain_env *dst, const struct chain_env *src)
{
	*dst = *src;
	dst->profile = tt_xstrdup(src->profile);
	dst->region = src->region ? tt_xstrdup(src->region) : NULL;
	dst->cli_endpoint_url = src->cli_endpoint_url ? tt_xstrdup(src->cli_endpoint_url) : NULL;
	dst->env_keys_unused = src->env_keys_unused ? tt_xstrdup(src->env_keys_unused) : NULL;
}

void chain_env_aws(const struct chain_env *env, struct tt_creds_cache *signer, struct tt_aws *out)
{
	memset(out, 0, sizeof(*out));
	out->http = env->http;
	out->cfg = env->cfg;
	out->profile = env->profile;
	out->region = env->region;
	out->cli_endpoint_url = env->cli_endpoint_url;
	out->creds = signer;
}

int tt_creds_cache_new(struct tt_creds_cache **out, struct tt_http *http, const struct tt_awscfg *cfg,
		       const struct tt_creds_options *opts, struct tt_err *err)
{
	struct chain_env env;
	struct resolved r = {0};
	int rc = -1;

	*out = NULL;
	chain_env_fill(&env, http, cfg, opts);
	if (tt_awscfg_profile_explicit(opts->cli_profile) && !tt_awscfg_has_profile(cfg, env.profile)) {
		tt_err_set(err, TT_ERR_CONFIG, "profile %s not found in %s or %s", env.profile,
			   tt_awscfg_config_path(cfg), tt_awscfg_credentials_path(cfg));
	} else if (resolve_chain(&env, opts->cli_profile, &r, err) == 0) {
		if (r.provider) {
			*out = creds_cache_wrap(http, r.provider, r.description);
			rc = 0;
		} else if (env.env_keys_unused) {
			tt_err_set(err, TT_ERR_CONFIG,
				   "no credentials found for profile %s: %s; add keys or a role to the profile, "
				   "or run 'aws sso login --profile %s'", env.profile, env.env_keys_unused,
				   env.profile);
		} else {
			tt_err_set(err, TT_ERR_CONFIG,
				   "no credentials found for profile %s: set AWS_ACCESS_KEY_ID and "
				   "AWS_SECRET_ACCESS_KEY, add keys or a role to the profile, or run "
				   "'aws sso login --profile %s'", env.profile, env.profile);
		}
	}
	free(r.description);
	chain_env_clear(&env);
	return rc;
}
