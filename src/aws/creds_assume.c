/* Credentials from STS: AssumeRole (signed with a source profile's
 * credentials, optionally with MFA) and AssumeRoleWithWebIdentity.
 *
 * AssumeRole answers are kept in the AWS CLI's cache (~/.aws/cli/cache, same
 * file names and contents), so an MFA code typed for `aws` or for one
 * tiertop run serves the next ones until 15 minutes before expiry, as it
 * does for the CLI.
 *
 * The MFA code is asked for, not waited for (creds.h): the fetch hands a
 * request to the front end and ends when the front end answers it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

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
	char *cache_path;      /* AssumeRole only */
	char *loaded_key_id;   /* what the cache file gave last, not to be taken twice */
	struct tt_creds_mfa_request *mfa_pending; /* owned by the front end */
	bool mfa_refused;          /* the person gave no code ... */
	unsigned mfa_refused_at;   /* ... while mfa_epoch had this value */
};

/* Bumped by tt_creds_mfa_ask_again: a profile whose code was refused is
 * asked again only after the person says so, not at every retry. */
static unsigned mfa_epoch;

/* Points back at its provider while both live and it is unanswered; either
 * side going away clears the link, so neither ever sees the other freed. */
struct tt_creds_mfa_request {
	struct role_provider *role;
	char *profile;
	char *serial;
};

/* Cached credentials closer than this to expiry are not used (botocore's
 * window for assumed roles). */
#define CACHE_MIN_LEFT_S (15 * 60)

static char *opt_dup(const char *s)
{
	return s && *s ? tt_xstrdup(s) : NULL;
}

static void role_free(struct provider *p)
{
	struct role_provider *r = (struct role_provider *)p;

	if (r->mfa_pending)
		r->mfa_pending->role = NULL;
	tt_creds_cache_free(&r->source);
	chain_env_clear(&r->env);
	free(r->profile);
	free(r->role_arn);
	free(r->session_name);
	free(r->external_id);
	free(r->mfa_serial);
	free(r->token_file);
	free(r->cache_path);
	free(r->loaded_key_id);
	free(r);
}

/* --- the AWS CLI's assume-role cache -------------------------------------- */

/* The file name the CLI uses: the SHA-1 of AssumeRole's arguments as Python's
 * json.dumps(sort_keys=True) writes them, without a generated session name. */
static char *cache_path_for(const struct role_provider *r, bool session_configured)
{
	json_t *args = json_object();
	char *text, *path;

	json_object_set_new(args, "RoleArn", json_string(r->role_arn));
	if (session_configured)
		json_object_set_new(args, "RoleSessionName", json_string(r->session_name));
	if (r->external_id)
		json_object_set_new(args, "ExternalId", json_string(r->external_id));
	if (r->mfa_serial)
		json_object_set_new(args, "SerialNumber", json_string(r->mfa_serial));
	if (r->duration)
		json_object_set_new(args, "DurationSeconds", json_integer(r->duration));
	text = json_dumps(args, JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	json_decref(args);
	path = text ? creds_cache_file(".aws/cli/cache", text) : NULL;
	free(text);
	return path;
}

/* Credentials from the cache file when they have long enough to live. A
 * file that is missing, unreadable or malformed is simply not used: the
 * CLI rewrites it on its next AssumeRole, and so do we. */
static bool cache_load(struct role_provider *r, time_t now, struct tt_creds *out)
{
	json_t *doc = r->cache_path ? json_load_file(r->cache_path, 0, NULL) : NULL;
	struct tt_creds c = {0};
	bool usable = creds_json_read(json_object_get(doc, "Credentials"), &creds_json_process, true, &c) ==
	                  CREDS_JSON_OK &&
	              c.expiration && c.expiration - now >= CACHE_MIN_LEFT_S &&
	              !(r->loaded_key_id && strcmp(r->loaded_key_id, c.access_key_id) == 0);

	json_decref(doc);
	if (!usable) {
		tt_creds_clear(&c);
		return false;
	}
	/* The cache's AccountId is not the role's account: leave it unknown. */
	free(c.account_id);
	c.account_id = NULL;
	free(r->loaded_key_id);
	r->loaded_key_id = tt_xstrdup(c.access_key_id);
	*out = c;
	return true;
}

/* The CLI's layout (the AssumeRole answer), with its "...UTC" time form. */
static void cache_store(const struct role_provider *r, const struct tt_creds *c, const char *arn)
{
	char when[32];
	struct tm tm;
	json_t *doc;

	if (!r->cache_path || !c->session_token || !c->expiration)
		return;
	gmtime_r(&c->expiration, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SUTC", &tm);
	doc = json_pack("{s:{s:s, s:s, s:s, s:s}}", "Credentials", "AccessKeyId", c->access_key_id,
	                "SecretAccessKey", c->secret_access_key, "SessionToken", c->session_token,
	                "Expiration", when);
	if (doc && arn)
		json_object_set_new(doc, "AssumedRoleUser", json_pack("{s:s}", "Arn", arn));
	if (doc)
		creds_cache_save(r->cache_path, doc);
	json_decref(doc);
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
	cache_store(r, c, arn);
	provider_origin(&r->base, NULL);
	provider_done(&r->base, c, NULL);
}

/* AssumeRole itself, with the MFA code when the profile has a device. */
static void assume_call(struct role_provider *r, const char *code)
{
	struct tt_sts_assume_role in = {r->role_arn, r->session_name, r->external_id, NULL, NULL, r->duration};
	struct tt_aws aws;
	struct tt_err err;

	if (code) {
		in.mfa_serial = r->mfa_serial;
		in.mfa_code = code;
	}
	chain_env_aws(&r->env, r->source, &aws);
	if (tt_sts_assume_role(&aws, &in, sts_answer, r, &err))
		provider_done(&r->base, NULL, &err);
}

static void ask_mfa(struct role_provider *r)
{
	struct tt_creds_mfa_request *req = tt_xcalloc(1, sizeof(*req));

	req->role = r;
	req->profile = tt_xstrdup(r->profile);
	req->serial = tt_xstrdup(r->mfa_serial);
	r->mfa_pending = req;
	if (!r->env.request_mfa)
		tt_creds_mfa_decline(req, "nothing here can ask for one");
	else
		r->env.request_mfa(r->env.mfa_ctx, req->profile, req->serial, req);
}

static void assume_fetch(struct provider *p)
{
	struct role_provider *r = (struct role_provider *)p;
	struct tt_creds cached;
	struct tt_err err;

	/* A fetch forced while the person is still typing (the credentials
	 * ran out meanwhile): the answer to come ends it too. */
	if (r->mfa_pending)
		return;
	if (r->mfa_refused && r->mfa_refused_at == mfa_epoch) {
		tt_err_set(&err, TT_ERR_CONFIG, "no MFA code given for profile %s", r->profile);
		provider_done(p, NULL, &err);
		provider_unhold(p);
		return;
	}
	r->mfa_refused = false;
	memset(&cached, 0, sizeof(cached));
	if (cache_load(r, (time_t)(tt_clock_now_ms() / 1000), &cached)) {
		provider_origin(p, "from the AWS CLI's cache, ~/.aws/cli/cache");
		provider_done(p, &cached, NULL);
		tt_creds_clear(&cached);
		return;
	}
	if (r->mfa_serial)
		ask_mfa(r);
	else
		assume_call(r, NULL);
}

/* Unlinks and frees the request; returns the provider still waiting for
 * it, or NULL when it is gone. */
static struct role_provider *mfa_request_end(struct tt_creds_mfa_request *req)
{
	struct role_provider *r = req->role;

	if (r)
		r->mfa_pending = NULL;
	free(req->profile);
	free(req->serial);
	free(req);
	return r;
}

void tt_creds_mfa_answer(struct tt_creds_mfa_request *req, const char *code)
{
	struct role_provider *r = mfa_request_end(req);
	struct tt_err err;

	if (!r)
		return;
	if (code && *code) {
		assume_call(r, code);
		return;
	}
	r->mfa_refused = true;
	r->mfa_refused_at = mfa_epoch;
	tt_err_set(&err, TT_ERR_CONFIG, "no MFA code given for profile %s", r->profile);
	provider_done(&r->base, NULL, &err);
	/* Not held as a broken source's failure is: the fetches that follow
	 * fail at once without asking, and the first one after
	 * tt_creds_mfa_ask_again asks, however soon. */
	provider_unhold(&r->base);
}

void tt_creds_mfa_ask_again(void)
{
	mfa_epoch++;
}

void tt_creds_mfa_decline(struct tt_creds_mfa_request *req, const char *why)
{
	struct role_provider *r = mfa_request_end(req);
	struct tt_err err;

	if (!r)
		return;
	tt_err_set(&err, TT_ERR_CONFIG, "profile %s needs an MFA code for %s, but %s", r->profile, r->mfa_serial,
		   why && *why ? why : "none was given");
	provider_done(&r->base, NULL, &err);
}

bool tt_creds_mfa_wanted(const struct tt_creds_mfa_request *req)
{
	return req->role != NULL;
}

const char *tt_creds_mfa_profile(const struct tt_creds_mfa_request *req)
{
	return req->profile;
}

const char *tt_creds_mfa_serial(const struct tt_creds_mfa_request *req)
{
	return req->serial;
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
	r->cache_path = cache_path_for(r, session && *session);
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
