/* IAM Identity Center (SSO): the token `aws sso login` cached, refreshed when
 * it nears expiry (sso-session profiles only), exchanged for role
 * credentials with GetRoleCredentials. tiertop never logs in itself; when the
 * session is over it says to run `aws sso login`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "creds_internal.h"
#include "tiertop/clock.h"
#include "tiertop/http.h"
#include "tiertop/profile.h"
#include "tiertop/str.h"
#include "tiertop/xalloc.h"

/* botocore refreshes a token with less than 15 minutes left. */
#define REFRESH_WINDOW_S (15 * 60)

struct sso_provider {
	struct provider base;
	struct chain_env env;
	char *profile;
	char *session;        /* sso-session name, NULL for legacy profiles */
	char *start_url;
	char *sso_region;
	char *account_id;
	char *role_name;
	char *cache_path;
	json_t *cache;        /* the cached token file's contents */
};

static void sso_free(struct provider *p)
{
	struct sso_provider *s = (struct sso_provider *)p;

	chain_env_clear(&s->env);
	free(s->profile);
	free(s->session);
	free(s->start_url);
	free(s->sso_region);
	free(s->account_id);
	free(s->role_name);
	free(s->cache_path);
	json_decref(s->cache);
	free(s);
}

static int login_hint(const struct sso_provider *s, struct tt_err *err, const char *what)
{
	return tt_err_set(err, TT_ERR_CONFIG, "%s for profile %s: run 'aws sso login --profile %s'", what,
			  s->profile, s->profile);
}

static void sso_fail(struct sso_provider *s, const struct tt_err *err)
{
	provider_done(&s->base, NULL, err);
}

/* --- the cached token ------------------------------------------------------ */

static int load_cache(struct sso_provider *s, struct tt_err *err)
{
	json_error_t jerr;

	json_decref(s->cache);
	s->cache = json_load_file(s->cache_path, 0, &jerr);
	if (!s->cache) {
		if (access(s->cache_path, F_OK) != 0)
			return login_hint(s, err, "no IAM Identity Center login is cached");
		return tt_err_set(err, TT_ERR_CONFIG, "%s: unreadable SSO token cache (%s)", s->cache_path,
				  jerr.text);
	}
	if (!json_string_value(json_object_get(s->cache, "accessToken")) ||
	    !json_string_value(json_object_get(s->cache, "expiresAt")))
		return tt_err_set(err, TT_ERR_CONFIG, "%s: SSO token cache lacks accessToken or expiresAt",
				  s->cache_path);
	return 0;
}

static time_t cache_time(const struct sso_provider *s, const char *key)
{
	const char *v = json_string_value(json_object_get(s->cache, key));
	time_t t = 0;

	if (v)
		tt_time_parse_iso8601(v, &t);
	return t;
}

static bool can_refresh(const struct sso_provider *s, time_t now)
{
	time_t reg = cache_time(s, "registrationExpiresAt");

	return s->session && json_string_value(json_object_get(s->cache, "refreshToken")) &&
	       json_string_value(json_object_get(s->cache, "clientId")) &&
	       json_string_value(json_object_get(s->cache, "clientSecret")) && (!reg || reg > now);
}

/* Rewritten the way the AWS CLI does: whole, atomically, 0600. */
static void save_cache(const struct sso_provider *s)
{
	creds_cache_save(s->cache_path, s->cache);
}

/* --- GetRoleCredentials ------------------------------------------------------ */

static int sso_req(struct sso_provider *s, enum tt_service svc, const char *method, const char *path,
		   struct tt_http_req **out, struct tt_err *err)
{
	struct tt_aws aws;

	chain_env_aws(&s->env, NULL, &aws);
	aws.region = s->sso_region;
	*out = tt_aws_req_new(&aws, svc, method, path, err);
	if (!*out)
		return -1;
	tt_http_req_sensitive(*out);
	return 0;
}

static void role_answer(void *ctx, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct sso_provider *s = ctx;
	json_t *root;
	struct tt_err e;
	struct tt_creds c = {0};

	if (err) {
		if (resp && resp->status == 401)
			login_hint(s, &e, "the IAM Identity Center session has expired");
		else
			e = *err;
		sso_fail(s, &e);
		return;
	}
	root = json_loadb(resp->body.data, resp->body.len, 0, NULL);
	if (creds_json_read(json_object_get(root, "roleCredentials"), &creds_json_sso, true, &c) != CREDS_JSON_OK) {
		tt_err_set(&e, TT_ERR_AWS, "IAM Identity Center answered without role credentials");
		sso_fail(s, &e);
	} else {
		free(c.account_id);
		c.account_id = s->account_id ? tt_xstrdup(s->account_id) : NULL;
		provider_done(&s->base, &c, NULL);
		tt_creds_clear(&c);
	}
	json_decref(root);
}

static void get_role_credentials(struct sso_provider *s)
{
	const char *token = json_string_value(json_object_get(s->cache, "accessToken"));
	struct tt_http_req *req;
	struct tt_err err;

	/* It is sent as a header: a CR or LF in the file would add headers. */
	if (creds_has_control(token)) {
		tt_err_set(&err, TT_ERR_CONFIG, "%s: the SSO access token contains a control character",
			   s->cache_path);
		sso_fail(s, &err);
		return;
	}
	if (sso_req(s, TT_SVC_SSO, "GET", "/federation/credentials", &req, &err)) {
		sso_fail(s, &err);
		return;
	}
	tt_http_req_label(req, "sso GetRoleCredentials");
	tt_http_req_query(req, "account_id", s->account_id);
	tt_http_req_query(req, "role_name", s->role_name);
	tt_http_req_header(req, "x-amz-sso_bearer_token", token);
	tt_http_submit(s->env.http, req, role_answer, s);
}

/* --- token refresh (SSO OIDC CreateToken) ------------------------------------ */

static void refresh_answer(void *ctx, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct sso_provider *s = ctx;
	time_t now = tt_http_now(s->env.http);
	json_t *root = err ? NULL : json_loadb(resp->body.data, resp->body.len, 0, NULL);
	const char *token = json_string_value(json_object_get(root, "accessToken"));
	json_int_t expires_in = json_integer_value(json_object_get(root, "expiresIn"));
	const char *refresh = json_string_value(json_object_get(root, "refreshToken"));
	char iso[21];
	struct tt_err e;

	/* A year is longer than any token lives; more would only overflow. */
	if (expires_in > 366 * 86400)
		expires_in = 366 * 86400;
	if (token && expires_in > 0) {
		tt_time_iso8601(now + (time_t)expires_in, iso);
		json_object_set_new(s->cache, "accessToken", json_string(token));
		json_object_set_new(s->cache, "expiresAt", json_string(iso));
		if (refresh)
			json_object_set_new(s->cache, "refreshToken", json_string(refresh));
		save_cache(s);
	}
	json_decref(root);
	/* A failed refresh is fine while the old token still works. */
	if (!token && cache_time(s, "expiresAt") <= now) {
		login_hint(s, &e, "the IAM Identity Center session has expired and could not be refreshed");
		sso_fail(s, &e);
		return;
	}
	get_role_credentials(s);
}

static void refresh_token(struct sso_provider *s)
{
	struct tt_http_req *req;
	struct tt_err err;
	json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "grantType", "refresh_token", "clientId",
				 json_string_value(json_object_get(s->cache, "clientId")), "clientSecret",
				 json_string_value(json_object_get(s->cache, "clientSecret")), "refreshToken",
				 json_string_value(json_object_get(s->cache, "refreshToken")));
	char *text = json_dumps(body, JSON_COMPACT);

	json_decref(body);
	if (sso_req(s, TT_SVC_SSO_OIDC, "POST", "/token", &req, &err)) {
		tt_free_secret(text);
		sso_fail(s, &err);
		return;
	}
	tt_http_req_label(req, "sso-oidc CreateToken");
	tt_http_req_header(req, "Content-Type", "application/json");
	tt_http_req_body(req, text, strlen(text));
	tt_free_secret(text);
	tt_http_submit(s->env.http, req, refresh_answer, s);
}

static void sso_fetch(struct provider *p)
{
	struct sso_provider *s = (struct sso_provider *)p;
	time_t now = tt_http_now(s->env.http);
	struct tt_err err;
	time_t expires;

	if (load_cache(s, &err)) {
		sso_fail(s, &err);
		return;
	}
	expires = cache_time(s, "expiresAt");
	if (!expires) {
		tt_err_set(&err, TT_ERR_CONFIG, "%s: expiresAt is not a time tiertop can read", s->cache_path);
		sso_fail(s, &err);
	} else if (expires - now < REFRESH_WINDOW_S && can_refresh(s, now)) {
		refresh_token(s);
	} else if (expires <= now) {
		login_hint(s, &err, "the IAM Identity Center session has expired");
		sso_fail(s, &err);
	} else {
		get_role_credentials(s);
	}
}

static const struct provider_ops sso_ops = {sso_fetch, sso_free, true};

/* --- configuration ----------------------------------------------------------- */

static const char *need(const struct tt_awscfg *cfg, const char *kind, const char *name,
			const char *key, struct tt_err *err, const char *what)
{
	const char *v = strcmp(kind, "profile") == 0 ? tt_awscfg_get(cfg, name, key)
						     : tt_awscfg_section_get(cfg, kind, name, key);

	if (!v || !*v)
		tt_err_set(err, TT_ERR_CONFIG, "%s %s has no %s", what, name, key);
	return v && *v ? v : NULL;
}

struct provider *provider_sso_new(const struct chain_env *env, const char *profile, char **describe,
				  struct tt_err *err)
{
	const struct tt_awscfg *cfg = env->cfg;
	const char *session = tt_awscfg_get(cfg, profile, "sso_session");
	const char *kind = session ? "sso-session" : "profile";
	const char *where = session ? session : profile;
	const char *url, *region, *account, *role;
	struct sso_provider *s;

	if (session && !tt_awscfg_has_section(cfg, "sso-session", session))
		return tt_err_set(err, TT_ERR_CONFIG, "profile %s: [sso-session %s] does not exist", profile,
				  session), NULL;
	if (!(url = need(cfg, kind, where, "sso_start_url", err, session ? "sso-session" : "profile")) ||
	    !(region = need(cfg, kind, where, "sso_region", err, session ? "sso-session" : "profile")) ||
	    !(account = need(cfg, "profile", profile, "sso_account_id", err, "profile")) ||
	    !(role = need(cfg, "profile", profile, "sso_role_name", err, "profile")))
		return NULL;
	s = tt_xcalloc(1, sizeof(*s));
	s->base.ops = &sso_ops;
	chain_env_copy(&s->env, env);
	s->profile = tt_xstrdup(profile);
	s->session = session ? tt_xstrdup(session) : NULL;
	s->start_url = tt_xstrdup(url);
	s->sso_region = tt_xstrdup(region);
	s->account_id = tt_xstrdup(account);
	s->role_name = tt_xstrdup(role);
	s->cache_path = creds_cache_file(".aws/sso/cache", session ? session : url);
	*describe = session ? tt_xasprintf("profile %s: sso-session %s (account %s, role %s)", profile,
					   session, account, role)
			    : tt_xasprintf("profile %s: IAM Identity Center %s (account %s, role %s)",
					   profile, url, account, role);
	return &s->base;
}
