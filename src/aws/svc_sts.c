#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiertop/err.h"
#include "tiertop/clock.h"
#include "tiertop/sigv4.h"
#include "tiertop/svc_sts.h"
#include "tiertop/xalloc.h"
#include "tiertop/xml.h"

#define STS_VERSION "2011-06-15"

struct sts_call {
	tt_sts_identity_fn identity_done;
	tt_sts_creds_fn creds_done;
	void *ctx;
	const char *action;
};

static int parse_answer(const struct tt_http_resp *resp, struct tt_xml_flat *x, struct tt_err *err)
{
	if (tt_xml_flat_parse(resp->body.data ? resp->body.data : "", resp->body.len, x, err)) {
		tt_err_prefix(err, "STS answered with malformed XML");
		return -1;
	}
	return 0;
}

static void identity_answer(void *ctx, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct sts_call *call = ctx;
	struct tt_xml_flat x;
	struct tt_err perr;
	struct tt_sts_identity id;

	if (err) {
		call->identity_done(call->ctx, NULL, err);
	} else if (parse_answer(resp, &x, &perr) == 0) {
		id.account = tt_xml_flat_get(&x, "GetCallerIdentityResult/Account");
		id.arn = tt_xml_flat_get(&x, "GetCallerIdentityResult/Arn");
		id.user_id = tt_xml_flat_get(&x, "GetCallerIdentityResult/UserId");
		if (id.account && id.arn) {
			call->identity_done(call->ctx, &id, NULL);
		} else {
			tt_err_set(&perr, TT_ERR_AWS, "STS GetCallerIdentity answer lacks Account or Arn");
			call->identity_done(call->ctx, NULL, &perr);
		}
		tt_xml_flat_clear(&x);
	} else {
		call->identity_done(call->ctx, NULL, &perr);
	}
	free(call);
}

/* Fills creds from <Credentials>; the strings are copied. */
static int read_credentials(const struct tt_xml_flat *x, struct tt_creds *c, struct tt_err *err)
{
	const char *ak = tt_xml_flat_get(x, "Credentials/AccessKeyId");
	const char *sk = tt_xml_flat_get(x, "Credentials/SecretAccessKey");
	const char *tok = tt_xml_flat_get(x, "Credentials/SessionToken");
	const char *exp = tt_xml_flat_get(x, "Credentials/Expiration");

	memset(c, 0, sizeof(*c));
	if (!ak || !*ak || !sk || !*sk || !tok || !*tok || !exp)
		return tt_err_set(err, TT_ERR_AWS, "STS answer lacks credentials");
	if (tt_time_parse_iso8601(exp, &c->expiration))
		return tt_err_set(err, TT_ERR_AWS, "STS answer has an unreadable Expiration \"%.40s\"", exp);
	c->access_key_id = tt_xstrdup(ak);
	c->secret_access_key = tt_xstrdup(sk);
	c->session_token = tt_xstrdup(tok);
	return 0;
}

static void creds_answer(void *ctx, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct sts_call *call = ctx;
	struct tt_xml_flat x;
	struct tt_err perr;
	struct tt_creds c;

	if (err) {
		call->creds_done(call->ctx, NULL, NULL, err);
	} else if (parse_answer(resp, &x, &perr) == 0) {
		if (read_credentials(&x, &c, &perr) == 0)
			call->creds_done(call->ctx, &c, tt_xml_flat_get(&x, "AssumedRoleUser/Arn"), NULL);
		else
			call->creds_done(call->ctx, NULL, NULL, &perr);
		tt_creds_clear(&c);
		tt_xml_flat_clear(&x);
	} else {
		call->creds_done(call->ctx, NULL, NULL, &perr);
	}
	free(call);
}

static int submit(const struct tt_aws *aws, const char *action, const struct tt_kv *params, size_t n,
		  bool sensitive, struct sts_call *call, tt_http_done_fn done, struct tt_err *err)
{
	char *body = tt_aws_query_body(action, STS_VERSION, params, n);
	char label[64];
	struct tt_http_req *req = tt_aws_req_new(aws, TT_SVC_STS, "POST", "/", err);

	if (!req) {
		tt_free_secret(body);
		free(call);
		return -1;
	}
	snprintf(label, sizeof(label), "sts %s", action);
	tt_http_req_label(req, label);
	tt_http_req_header(req, "Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
	tt_http_req_body(req, body, strlen(body));
	if (sensitive)
		tt_http_req_sensitive(req);
	tt_free_secret(body);
	call->action = action;
	return tt_http_submit(aws->http, req, done, call);
}

int tt_sts_get_caller_identity(const struct tt_aws *aws, tt_sts_identity_fn done, void *ctx,
			       struct tt_err *err)
{
	struct sts_call *call = tt_xcalloc(1, sizeof(*call));

	call->identity_done = done;
	call->ctx = ctx;
	return submit(aws, "GetCallerIdentity", NULL, 0, false, call, identity_answer, err);
}

int tt_sts_assume_role(const struct tt_aws *aws, const struct tt_sts_assume_role *in,
		       tt_sts_creds_fn done, void *ctx, struct tt_err *err)
{
	struct sts_call *call = tt_xcalloc(1, sizeof(*call));
	struct tt_kv p[6];
	size_t n = 0;
	char duration[24];

	p[n++] = (struct tt_kv){"RoleArn", in->role_arn};
	p[n++] = (struct tt_kv){"RoleSessionName", in->session_name};
	if (in->duration_seconds > 0) {
		snprintf(duration, sizeof(duration), "%ld", in->duration_seconds);
		p[n++] = (struct tt_kv){"DurationSeconds", duration};
	}
	if (in->external_id)
		p[n++] = (struct tt_kv){"ExternalId", in->external_id};
	if (in->mfa_serial && in->mfa_code) {
		p[n++] = (struct tt_kv){"SerialNumber", in->mfa_serial};
		p[n++] = (struct tt_kv){"TokenCode", in->mfa_code};
	}
	call->creds_done = done;
	call->ctx = ctx;
	return submit(aws, "AssumeRole", p, n, true, call, creds_answer, err);
}

int tt_sts_assume_role_web_identity(const struct tt_aws *aws, const char *role_arn,
				    const char *session_name, const char *token, long duration_seconds,
				    tt_sts_creds_fn done, void *ctx, struct tt_err *err)
{
	struct sts_call *call = tt_xcalloc(1, sizeof(*call));
	struct tt_kv p[4];
	size_t n = 0;
	char duration[24];

	p[n++] = (struct tt_kv){"RoleArn", role_arn};
	p[n++] = (struct tt_kv){"RoleSessionName", session_name};
	p[n++] = (struct tt_kv){"WebIdentityToken", token};
	if (duration_seconds > 0) {
		snprintf(duration, sizeof(duration), "%ld", duration_seconds);
		p[n++] = (struct tt_kv){"DurationSeconds", duration};
	}
	call->creds_done = done;
	call->ctx = ctx;
	return submit(aws, "AssumeRoleWithWebIdentity", p, n, true, call, creds_answer, err);
}
