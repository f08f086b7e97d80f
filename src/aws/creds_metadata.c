/* Credentials from the machine: the ECS/EKS container endpoint and EC2
 * instance metadata (IMDSv2, falling back to v1 as the AWS CLI does). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <jansson.h>

#include "creds_internal.h"
#include "tiertop/clock.h"
#include "tiertop/log.h"
#include "tiertop/str.h"
#include "tiertop/xalloc.h"

static const char *env_value(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

int creds_from_metadata_json(const char *body, size_t len, struct tt_creds *out, struct tt_err *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(body, len, 0, &jerr);
	const char *code;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(root)) {
		tt_err_set(err, TT_ERR_CONFIG, "credentials answer is not a JSON object (%s)", jerr.text);
		goto done;
	}
	code = json_string_value(json_object_get(root, "Code"));
	if (code && strcmp(code, "Success") != 0) {
		tt_err_set(err, TT_ERR_CONFIG, "credentials endpoint says Code=%.60s", code);
		goto done;
	}
	switch (creds_json_read(root, &creds_json_metadata, false, out)) {
	case CREDS_JSON_INCOMPLETE:
		tt_err_set(err, TT_ERR_CONFIG, "credentials answer lacks AccessKeyId or SecretAccessKey");
		break;
	case CREDS_JSON_BAD_EXPIRATION:
		tt_err_set(err, TT_ERR_CONFIG, "credentials answer has an unreadable Expiration");
		break;
	case CREDS_JSON_OK:
		rc = 0;
	}
done:
	json_decref(root);
	return rc;
}

/* Splits "scheme://authority/path?q" into base and path (path keeps the
 * query: these requests are not signed). */
static void split_url(const char *url, char **base, char **path)
{
	const char *auth = strstr(url, "://");
	const char *slash = auth ? strchr(auth + 3, '/') : NULL;

	if (!slash) {
		*base = tt_xstrdup(url);
		*path = tt_xstrdup("/");
		return;
	}
	*base = tt_xstrndup(url, (size_t)(slash - url));
	*path = tt_xstrdup(slash);
}

/* --- container ---------------------------------------------------------- */

struct container_provider {
	struct provider base;
	struct chain_env env;
	char *url;
};

bool provider_container_configured(void)
{
	return env_value("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") ||
	       env_value("AWS_CONTAINER_CREDENTIALS_FULL_URI");
}

static bool allowed_full_uri(const char *url)
{
	static const char *const hosts[] = {"127.0.0.1", "localhost", "[::1]", "169.254.170.2",
					    "169.254.170.23", "[fd00:ec2::23]", NULL};
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	bool ok = false;

	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		ok = strcmp(scheme, "https") == 0 || tt_str_starts_with(host, "127.");
		for (size_t i = 0; hosts[i] && !ok; i++)
			ok = strcasecmp(host, hosts[i]) == 0;
	}
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

static char *container_auth(struct tt_err *err)
{
	const char *file = env_value("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *value = env_value("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	char *token = NULL;

	if (file) {
		FILE *f = fopen(file, "rb");
		char buf[8192];
		size_t n;
		if (!f)
			return tt_err_set(err, TT_ERR_CONFIG, "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %s: %s",
					  file, strerror(errno)), NULL;
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		token = tt_xstrdup(buf);
	} else if (value) {
		token = tt_xstrdup(value);
	} else {
		return tt_xstrdup("");
	}
	if (strpbrk(token, "\r\n")) {
		tt_free_secret(token);
		return tt_err_set(err, TT_ERR_CONFIG, "the container authorization token contains a line break"), NULL;
	}
	return token;
}

static void container_answer(void *ctx, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct container_provider *c = ctx;
	struct tt_creds creds;
	struct tt_err e;

	if (err) {
		e = *err;
		e.kind = TT_ERR_CONFIG;
		tt_err_prefix(&e, "container credentials");
		provider_done(&c->base, NULL, &e);
	} else if (creds_from_metadata_json(resp->body.data ? resp->body.data : "", resp->body.len,
					    &creds, &e) == 0) {
		provider_done(&c->base, &creds, NULL);
		tt_creds_clear(&creds);
	} else {
		tt_err_prefix(&e, "container credentials at %s", c->url);
		provider_done(&c->base, NULL, &e);
	}
}

static void container_fetch(struct provider *p)
{
	struct container_provider *c = (struct container_provider *)p;
	struct tt_http_req *req;
	struct tt_err err;
	char *base, *path, *auth = container_auth(&err);

	if (!auth) {
		provider_done(p, NULL, &err);
		return;
	}
	split_url(c->url, &base, &path);
	req = tt_http_req_new("GET", base, path);
	tt_http_req_label(req, "container credentials");
	tt_http_req_header(req, "Accept", "application/json");
	if (*auth)
		tt_http_req_header(req, "Authorization", auth);
	tt_http_req_timeouts(req, 2000, 2000);
	tt_http_req_attempts(req, 3);
	tt_http_req_sensitive(req);
	tt_http_req_no_proxy(req);
	tt_http_req_body_limit(req, 1 << 16);
	tt_http_submit(c->env.http, req, container_answer, c);
	tt_free_secret(auth);
	free(base);
	free(path);
}

static void container_free(struct provider *p)
{
	struct container_provider *c = (struct container_provider *)p;

	chain_env_clear(&c->env);
	free(c->url);
	free(c);
}

static const struct provider_ops container_ops = {container_fetch, container_free, true};

struct provider *provider_container_new(const struct chain_env *env, struct tt_err *err)
{
	const char *rel = env_value("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = env_value("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	struct container_provider *c;

	if (!rel && !full)
		return tt_err_set(err, TT_ERR_CONFIG,
				  "no container credentials endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI "
				  "or AWS_CONTAINER_CREDENTIALS_FULL_URI)"), NULL;
	if (!rel && !allowed_full_uri(full))
		return tt_err_set(err, TT_ERR_CONFIG,
				  "AWS_CONTAINER_CREDENTIALS_FULL_URI %s must be https or a loopback or "
				  "container metadata address", full), NULL;
	c = tt_xcalloc(1, sizeof(*c));
	c->base.ops = &container_ops;
	chain_env_copy(&c->env, env);
	c->url = rel ? tt_xasprintf("http://169.254.170.2%s", rel) : tt_xstrdup(full);
	return &c->base;
}

/* --- EC2 instance metadata ------------------------------------------------ */

enum imds_step { IMDS_TOKEN, IMDS_ROLE, IMDS_CREDS };

struct imds_provider {
	struct provider base;
	struct chain_env env;
	char *endpoint;
	char *token;       /* session token for IMDSv2; NULL when using v1 */
	char *role;
	long timeout_ms;
	int attempts;
	enum imds_step step;
	bool token_unreachable; /* the token call got no answer at all */
};

bool provider_imds_disabled(void)
{
	const char *v = env_value("AWS_EC2_METADATA_DISABLED");

	return v && strcasecmp(v, "true") == 0;
}

static void imds_next(struct imds_provider *m);

static void imds_fail(struct imds_provider *m, const struct tt_err *err, const char *what)
{
	struct tt_err e = *err;

	/* Off EC2 nothing answers: that is the end of the chain, not an IMDS
	 * problem, so say what the user can do. */
	if ((m->step == IMDS_TOKEN || (m->step == IMDS_ROLE && m->token_unreachable)) &&
	    err->kind == TT_ERR_NETWORK) {
		tt_err_set(&e, TT_ERR_CONFIG,
			   "no credentials found for profile %s: none in the environment or the AWS files, "
			   "and no EC2 instance metadata service answered at %s", m->env.profile, m->endpoint);
		if (m->env.env_keys_unused)
			tt_err_append(&e, "; %s", m->env.env_keys_unused);
	} else {
		e.kind = TT_ERR_CONFIG;
		tt_err_prefix(&e, "EC2 instance metadata (%s)", what);
	}
	provider_done(&m->base, NULL, &e);
}

static void imds_answer(void *ctx, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct imds_provider *m = ctx;
	struct tt_creds creds;
	struct tt_err e;
	const char *v1_off = env_value("AWS_EC2_METADATA_V1_DISABLED");

	switch (m->step) {
	case IMDS_TOKEN:
		/* Without a token, go on with IMDSv1 (unless that is disabled), as
		 * botocore's _fetch_metadata_token does: old or restricted services
		 * refuse the call (403, 404, 405), a container on EC2 behind a hop
		 * limit of 1 never sees the answer (a timeout), a failing service
		 * answers 5xx. Only a 400 (our request is wrong) ends it here. */
		if (err && ((resp && resp->status == 400) || (v1_off && strcasecmp(v1_off, "true") == 0))) {
			imds_fail(m, err, "token");
			return;
		}
		if (err)
			tt_log_printf("EC2 instance metadata: no IMDSv2 token (%s); trying IMDSv1", err->message);
		m->token_unreachable = err && !resp;
		free(m->token);
		m->token = err || !resp->body.len ? NULL : tt_xstrndup(resp->body.data, resp->body.len);
		m->step = IMDS_ROLE;
		break;
	case IMDS_ROLE:
		if (err) {
			imds_fail(m, err, "role name");
			return;
		}
		free(m->role);
		m->role = tt_xstrndup(resp->body.data ? resp->body.data : "",
				      resp->body.data ? strcspn(resp->body.data, "\r\n") : 0);
		if (!*m->role || strchr(m->role, '/')) {
			tt_err_set(&e, TT_ERR_CONFIG, "no IAM role is attached to this instance");
			imds_fail(m, &e, "role name");
			return;
		}
		m->step = IMDS_CREDS;
		break;
	case IMDS_CREDS:
		if (err) {
			imds_fail(m, err, "credentials");
		} else if (creds_from_metadata_json(resp->body.data ? resp->body.data : "", resp->body.len,
						    &creds, &e) == 0) {
			provider_done(&m->base, &creds, NULL);
			tt_creds_clear(&creds);
		} else {
			imds_fail(m, &e, "credentials");
		}
		return;
	}
	imds_next(m);
}

static void imds_next(struct imds_provider *m)
{
	struct tt_http_req *req;
	char *path = NULL;

	if (m->step == IMDS_TOKEN) {
		req = tt_http_req_new("PUT", m->endpoint, "/latest/api/token");
		tt_http_req_header(req, "x-aws-ec2-metadata-token-ttl-seconds", "21600");
	} else {
		path = tt_xasprintf("/latest/meta-data/iam/security-credentials/%s",
				    m->step == IMDS_CREDS ? m->role : "");
		req = tt_http_req_new("GET", m->endpoint, path);
		if (m->token)
			tt_http_req_header(req, "x-aws-ec2-metadata-token", m->token);
		if (m->step == IMDS_CREDS)
			tt_http_req_sensitive(req);
	}
	tt_http_req_label(req, "EC2 instance metadata");
	tt_http_req_timeouts(req, m->timeout_ms, m->timeout_ms);
	tt_http_req_attempts(req, m->attempts);
	tt_http_req_no_proxy(req);
	tt_http_req_body_limit(req, 1 << 16);
	tt_http_submit(m->env.http, req, imds_answer, m);
	free(path);
}

static void imds_fetch(struct provider *p)
{
	struct imds_provider *m = (struct imds_provider *)p;

	m->step = IMDS_TOKEN;
	imds_next(m);
}

static void imds_free(struct provider *p)
{
	struct imds_provider *m = (struct imds_provider *)p;

	chain_env_clear(&m->env);
	free(m->endpoint);
	tt_free_secret(m->token);
	free(m->role);
	free(m);
}

static const struct provider_ops imds_ops = {imds_fetch, imds_free, true};

struct provider *provider_imds_new(const struct chain_env *env, struct tt_err *err)
{
	struct imds_provider *m = tt_xcalloc(1, sizeof(*m));
	const char *endpoint = env_value("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	const char *mode = env_value("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
	const char *timeout = env_value("AWS_METADATA_SERVICE_TIMEOUT");
	const char *attempts = env_value("AWS_METADATA_SERVICE_NUM_ATTEMPTS");
	long v;

	m->base.ops = &imds_ops;
	chain_env_copy(&m->env, env);
	if (endpoint)
		m->endpoint = tt_xstrndup(endpoint, strlen(endpoint) - (tt_str_ends_with(endpoint, "/") ? 1 : 0));
	else if (mode && strcasecmp(mode, "IPv6") == 0)
		m->endpoint = tt_xstrdup("http://[fd00:ec2::254]");
	else
		m->endpoint = tt_xstrdup("http://169.254.169.254");
	/* One short try by default so that starting off EC2 is not slowed. */
	m->timeout_ms = timeout && tt_str_parse_long(timeout, 1, 3600, &v) == 0 ? v * 1000 : 1000;
	m->attempts = attempts && tt_str_parse_long(attempts, 1, 10, &v) == 0 ? (int)v : 1;
	(void)err;
	return &m->base;
}
