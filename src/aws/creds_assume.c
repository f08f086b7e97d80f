/* Credentials from STS: AssumeRole (signed with a source profile's
 * credentials, optionally with MFA) and AssumeRoleWithWebIdentity. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "creds_internal.h"
#include "tiertop/clock.h"
#include "tiertop/profile.h"
#include "tiertop/str.h"
#include "tiertop/svc_sts.h"
#include "tiertop/xalloc.h"

#define MAX_TOKEN_FILE (64 * 1024)

struct role_provider {
	struct provider base;
	struct chain_env env;
	struct tt_creds_cache *source;   /* NULL for web identity */
	char *profile;
	char *role_arn;
	char *session_name;
	char *external_id;
	char *mfa_serial;
	char *token_file;
	long duration;
};

static char *opt_dup(const char *s)
{
	return s && *s ? tt_xstrdup(s) : NULL;
}

static void role_free(struct provider *p)
{
	struct role_provider *r = (struct role_provider *)p;

	tt_creds_cache_free(&r->source);
	chain_env_clear(&r->env);
	free(r->profile);
	free(r->role_arn);
	free(r->session_name);
	free(r->external_id);
	free(r->mfa_serial);
	free(r->token_file);
	free(r);
}

static void sts_answer(void *ctx, const struct tt_creds *c, const char *arn, const struct tt_err *err)
{
	struct role_provider *r = ctx;
	struct tt_err e;

	if (err) {
		e = *err;
		tt_err_prefix(&e, "assuming %s", r->role_arn);
		provider_done(&r->base, NULL, &e);
		return;
	}
	provider_done(&r->base, c, NULL);
}

static void assume_fetch(struct provider *p)
{
	struct role_provider *r = (struct role_provider *)p;
	struct tt_sts_assume_role in = {r->role_arn, r->session_name, r->external_id, NULL, NULL, r->duration};
	struct tt_aws aws;
	struct tt_err err;
	char *code = NULL;

	if (r->mfa_serial) {
		code = r->env.prompt_mfa ? r->env.prompt_mfa(r->mfa_serial, r->env.prompt_ctx) : NULL;
		if (!code) {
			tt_err_set(&err, TT_ERR_CONFIG,
				   "profile %s needs an MFA code for %s, but there is no terminal to ask on",
				   r->profile, r->mfa_serial);
			provider_done(p, NULL, &err);
			return;
		}
		in.mfa_serial = r->mfa_serial;
		in.mfa_code = code;
	}
	chain_env_aws(&r->env, r->source, &aws);
	if (tt_sts_assume_role(&aws, &in, sts_answer, r, &err))
		provider_done(p, NULL, &err);
	tt_free_secret(code);
}

static const struct provider_ops assume_ops = {assume_fetch, role_free, true};

static int parse_duration(const char *profile, const char *text, long *out, struct tt_err *err)
{
	if (!text) {
		*out = 0;
		return 0;
	}
	if (tt_str_parse_long(text, 900, 43200, out))
		return tt_err_set(err, TT_ERR_CONFIG,
				  "profile %s: duration_seconds \"%s\" must be a number from 900 to 43200",
				  profile, text);
	return 0;
}

static char *default_session_name(void)
{
	return tt_xasprintf("tiertop-%lld", (long long)(tt_clock_now_ms() / 1000));
}

struct provider *provider_assume_role_new(const struct chain_env *env, const char *profile,
					  struct tt_err *err)
{
	struct role_provider *r = tt_xcalloc(1, sizeof(*r));
	const struct tt_awscfg *cfg = env->cfg;
	const char *session = tt_awscfg_get(cfg, profile, "role_session_name");

	r->base.ops = &assume_ops;
	chain_env_copy(&r->env, env);
	r->profile = tt_xstrdup(profile);
	r->role_arn = tt_xstrdup(tt_awscfg_get(cfg, profile, "role_arn"));
	r->session_name = session && *session ? tt_xstrdup(session) : default_session_name();
	r->external_id = opt_dup(tt_awscfg_get(cfg, profile, "external_id"));
	r->mfa_serial = opt_dup(tt_awscfg_get(cfg, profile, "mfa_serial"));
	if (parse_duration(profile, tt_awscfg_get(cfg, profile, "duration_seconds"), &r->duration, err)) {
		role_free(&r->base);
		return NULL;
	}
	return &r->base;
}

void provider_assume_role_set_source(struct provider *p, struct tt_creds_cache *source)
{
	((struct role_provider *)p)->source = source;
}

/* --- web identity ------------------------------------------------------- */

static char *read_token(const char *path, struct tt_err *err)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f)
		return tt_err_set(err, TT_ERR_CONFIG, "cannot read web identity token file %s: %s", path,
				  strerror(errno)), NULL;
	buf = tt_xmalloc(MAX_TOKEN_FILE + 1);
	n = fread(buf, 1, MAX_TOKEN_FILE, f);
	fclose(f);
	buf[n] = '\0';
	/* Tokens are written with a trailing newline by some tools. */
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	if (!n) {
		tt_free_secret(buf);
		return tt_err_set(err, TT_ERR_CONFIG, "web identity token file %s is empty", path), NULL;
	}
	return buf;
}

static void web_fetch(struct provider *p)
{
	struct role_provider *r = (struct role_provider *)p;
	struct tt_aws aws;
	struct tt_err err;
	char *token = read_token(r->token_file, &err);

	if (!token) {
		provider_done(p, NULL, &err);
		return;
	}
	chain_env_aws(&r->env, NULL, &aws);
	if (tt_sts_assume_role_web_identity(&aws, r->role_arn, r->session_name, token, r->duration,
					    sts_answer, r, &err))
		provider_done(p, NULL, &err);
	tt_free_secret(token);
}

static const struct provider_ops web_ops = {web_fetch, role_free, true};

struct provider *provider_web_identity_new(const struct chain_env *env, const char *role_arn,
					   const char *token_file, const char *session_name,
					   struct tt_err *err)
{
	struct role_provider *r = tt_xcalloc(1, sizeof(*r));

	if (!role_arn || !*role_arn) {
		free(r);
		return tt_err_set(err, TT_ERR_CONFIG, "web identity needs a role ARN (role_arn or AWS_ROLE_ARN)"),
		       NULL;
	}
	r->base.ops = &web_ops;
	chain_env_copy(&r->env, env);
	r->profile = tt_xstrdup(env->profile);
	r->role_arn = tt_xstrdup(role_arn);
	r->token_file = tt_xstrdup(token_file);
	r->session_name = session_name && *session_name ? tt_xstrdup(session_name) : default_session_name();
	return &r->base;
}
