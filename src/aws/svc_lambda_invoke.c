/* Lambda Invoke and the helpers around it: payload limits, the function's
 * path and ARN, the tail log (svc_lambda.h). */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "tiertop/endpoint.h"
#include "tiertop/err.h"
#include "tiertop/str.h"
#include "tiertop/svc_lambda.h"
#include "tiertop/xalloc.h"

/* A synchronous answer is at most 6 MB; the margin covers an error body. */
#define INVOKE_ANSWER_LIMIT (TT_LAMBDA_SYNC_PAYLOAD_MAX + ((size_t)1 << 20))

static const char *type_header(enum tt_lambda_invocation type)
{
	switch (type) {
	case TT_LAMBDA_ASYNC:
		return "Event";
	case TT_LAMBDA_DRY_RUN:
		return "DryRun";
	default:
		return "RequestResponse";
	}
}

int tt_lambda_check_payload(enum tt_lambda_invocation type, size_t len, struct tt_err *err)
{
	size_t max = type == TT_LAMBDA_ASYNC ? TT_LAMBDA_ASYNC_PAYLOAD_MAX : TT_LAMBDA_SYNC_PAYLOAD_MAX;

	if (len <= max)
		return 0;
	return tt_err_set(err, TT_ERR_USAGE,
			  "the payload is %zu bytes, over Lambda's limit of %zu bytes (%s) for %s invoke; "
			  "nothing was sent",
			  len, max, type == TT_LAMBDA_ASYNC ? "1 MB" : "6 MB",
			  type == TT_LAMBDA_ASYNC ? "an asynchronous" : "a synchronous");
}

char *tt_lambda_function_path(const char *function, const char *suffix)
{
	char *label = tt_uri_encode(function, strlen(function), false);
	char *path = tt_xasprintf("/2015-03-31/functions/%s%s", label, suffix ? suffix : "");

	free(label);
	return path;
}

/* --- function references ------------------------------------------------ */

static bool valid_chars(const char *s, const char *extra)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr(extra, *s))
			return false;
	return true;
}

static bool all_digits(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* Splits s at ':' into at most max parts (pointers into s, which is cut). */
static size_t split_colons(char *s, char **parts, size_t max)
{
	size_t n = 0;

	parts[n++] = s;
	for (char *p = s; *p; p++) {
		if (*p != ':')
			continue;
		if (n == max)
			return max + 1;
		*p = '\0';
		parts[n++] = p + 1;
	}
	return n;
}

/* Names and qualifiers as Lambda's FunctionName pattern allows them. */
static int set_name(struct tt_lambda_ref *ref, const char *name, const char *qualifier, const char *whole,
		    struct tt_err *err)
{
	if (!valid_chars(name, "-_.") || strlen(name) > 64)
		return tt_err_set(err, TT_ERR_USAGE, "\"%.200s\" is not a Lambda function name", whole);
	if (qualifier && (!valid_chars(qualifier, "-_$") || strlen(qualifier) > 128))
		return tt_err_set(err, TT_ERR_USAGE, "\"%.200s\" has an invalid version or alias", whole);
	ref->name = tt_xstrdup(name);
	ref->qualifier = tt_xstrdup(qualifier ? qualifier : "");
	return 0;
}

static int parse_parts(char **p, size_t n, const char *whole, struct tt_lambda_ref *ref, struct tt_err *err)
{
	if (strcmp(p[0], "arn") == 0) {
		if ((n != 7 && n != 8) || strcmp(p[2], "lambda") != 0 || strcmp(p[5], "function") != 0 ||
		    !*p[1] || !tt_region_valid(p[3]) || !all_digits(p[4], 12))
			return tt_err_set(err, TT_ERR_USAGE,
					  "\"%.200s\" is not a Lambda function ARN "
					  "(arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER])",
					  whole);
		ref->partition = tt_xstrdup(p[1]);
		ref->region = tt_xstrdup(p[3]);
		ref->account = tt_xstrdup(p[4]);
		return set_name(ref, p[6], n == 8 ? p[7] : NULL, whole, err);
	}
	if (n >= 3 && all_digits(p[0], 12) && strcmp(p[1], "function") == 0 && n <= 4) {
		ref->account = tt_xstrdup(p[0]);
		return set_name(ref, p[2], n == 4 ? p[3] : NULL, whole, err);
	}
	if (n <= 2)
		return set_name(ref, p[0], n == 2 ? p[1] : NULL, whole, err);
	return tt_err_set(err, TT_ERR_USAGE, "\"%.200s\" is not a function name, name:alias or function ARN",
			  whole);
}

int tt_lambda_ref_parse(const char *function, struct tt_lambda_ref *out, struct tt_err *err)
{
	char *copy = tt_xstrdup(function ? function : "");
	char *parts[8];
	size_t n = split_colons(copy, parts, 8);
	int rc;

	memset(out, 0, sizeof(*out));
	rc = n > 8 ? tt_err_set(err, TT_ERR_USAGE, "\"%.200s\" is not a Lambda function reference", function)
		   : parse_parts(parts, n, function ? function : "", out, err);
	free(copy);
	if (rc) {
		tt_lambda_ref_clear(out);
		return -1;
	}
	if (!out->partition)
		out->partition = tt_xstrdup("");
	if (!out->region)
		out->region = tt_xstrdup("");
	if (!out->account)
		out->account = tt_xstrdup("");
	return 0;
}

void tt_lambda_ref_clear(struct tt_lambda_ref *ref)
{
	free(ref->partition);
	free(ref->region);
	free(ref->account);
	free(ref->name);
	free(ref->qualifier);
	memset(ref, 0, sizeof(*ref));
}

char *tt_lambda_ref_arn(const struct tt_lambda_ref *ref, const char *region, const char *account)
{
	const char *r = *ref->region ? ref->region : (region ? region : "");
	const char *p = *ref->partition ? ref->partition : tt_region_partition(r);

	return tt_xasprintf("arn:%s:lambda:%s:%s:function:%s", p, r,
			    *ref->account ? ref->account : (account ? account : ""), ref->name);
}

/* --- the tail log ------------------------------------------------------- */

/* EVP_DecodeBlock accepts '=' in the middle and other oddities, so the
 * shape is checked first: the alphabet, then at most two '=' at the end. */
static bool base64_shape(const char *s, size_t n, size_t *pad)
{
	*pad = 0;
	if (n % 4)
		return false;
	while (*pad < 2 && *pad < n && s[n - 1 - *pad] == '=')
		(*pad)++;
	for (size_t i = 0; i < n - *pad; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '+' && s[i] != '/')
			return false;
	return true;
}

int tt_lambda_decode_log(const char *b64, char **out, size_t *len)
{
	size_t n = strlen(b64), pad;
	unsigned char *buf;
	int got = 0;

	*out = NULL;
	*len = 0;
	if (n > INT_MAX || !base64_shape(b64, n, &pad))
		return -1;
	buf = tt_xmalloc(n / 4 * 3 + 1);
	if (n)
		got = EVP_DecodeBlock(buf, (const unsigned char *)b64, (int)n);
	if (got < 0 || (size_t)got < pad) {
		free(buf);
		return -1;
	}
	*len = (size_t)got - pad;
	buf[*len] = '\0';
	*out = (char *)buf;
	return 0;
}

/* --- Invoke ------------------------------------------------------------- */

static char *header_copy(const struct tt_http_resp *resp, const char *name)
{
	const char *v = tt_http_resp_header(resp, name);

	return tt_xstrdup(v ? v : "");
}

int tt_lambda_invoke_result(const struct tt_http_resp *resp, struct tt_lambda_invoke_out *out,
			    struct tt_err *err)
{
	const char *log = tt_http_resp_header(resp, "X-Amz-Log-Result");

	memset(out, 0, sizeof(*out));
	out->status = resp->status;
	out->function_error = header_copy(resp, "X-Amz-Function-Error");
	out->executed_version = header_copy(resp, "X-Amz-Executed-Version");
	out->request_id = header_copy(resp, "x-amzn-RequestId");
	out->payload_len = resp->body.len;
	out->payload = tt_xmalloc(resp->body.len + 1);
	if (resp->body.len)
		memcpy(out->payload, resp->body.data, resp->body.len);
	out->payload[resp->body.len] = '\0';
	if (log && tt_lambda_decode_log(log, &out->log, &out->log_len))
		out->log_invalid = true;
	if (!out->log)
		out->log = tt_xstrdup("");
	return 0;
}

void tt_lambda_invoke_out_clear(struct tt_lambda_invoke_out *out)
{
	free(out->function_error);
	free(out->executed_version);
	free(out->request_id);
	free(out->payload);
	free(out->log);
	memset(out, 0, sizeof(*out));
}

struct invoke_call {
	tt_lambda_invoke_fn done;
	void *ctx;
};

static void invoke_answer(void *ctx, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct invoke_call *c = ctx;
	struct tt_lambda_invoke_out out;
	struct tt_err perr;

	if (err)
		c->done(c->ctx, NULL, err);
	else if (tt_lambda_invoke_result(resp, &out, &perr))
		c->done(c->ctx, NULL, &perr);
	else
		c->done(c->ctx, &out, NULL);
	if (!err)
		tt_lambda_invoke_out_clear(&out);
	free(c);
}

/* A synchronous call lasts as long as the function may run; the others are
 * answered as soon as Lambda has queued or checked them. */
static void invoke_timeouts(struct tt_http_req *req, const struct tt_lambda_invoke_in *in)
{
	long run_s = in->timeout_s > 0 && in->timeout_s < TT_LAMBDA_MAX_TIMEOUT_S ? in->timeout_s
										  : TT_LAMBDA_MAX_TIMEOUT_S;

	if (in->type == TT_LAMBDA_SYNC)
		tt_http_req_timeouts(req, 0, (run_s + TT_LAMBDA_INVOKE_MARGIN_S) * 1000L);
}

int tt_lambda_invoke(const struct tt_aws *aws, const struct tt_lambda_invoke_in *in, tt_lambda_invoke_fn done,
		     void *ctx, struct tt_err *err)
{
	struct invoke_call *c;
	struct tt_http_req *req;
	char *path;

	if (!in->function || !*in->function)
		return tt_err_set(err, TT_ERR_USAGE, "no function name given");
	if (tt_lambda_check_payload(in->type, in->payload ? in->payload_len : 0, err))
		return -1;
	path = tt_lambda_function_path(in->function, "/invocations");
	req = tt_aws_req_new(aws, TT_SVC_LAMBDA, "POST", path, err);
	free(path);
	if (!req)
		return -1;
	tt_http_req_label(req, "lambda Invoke");
	if (in->qualifier && *in->qualifier)
		tt_http_req_query(req, "Qualifier", in->qualifier);
	tt_http_req_header(req, "X-Amz-Invocation-Type", type_header(in->type));
	if (in->tail_log && in->type == TT_LAMBDA_SYNC)
		tt_http_req_header(req, "X-Amz-Log-Type", "Tail");
	/* curl would otherwise label the body as a form. */
	tt_http_req_header(req, "Content-Type", "application/json");
	tt_http_req_body(req, in->payload ? in->payload : "", in->payload ? in->payload_len : 0);
	tt_http_req_not_idempotent(req);
	tt_http_req_body_limit(req, INVOKE_ANSWER_LIMIT);
	invoke_timeouts(req, in);
	c = tt_xcalloc(1, sizeof(*c));
	c->done = done;
	c->ctx = ctx;
	return tt_http_submit(aws->http, req, invoke_answer, c);
}
