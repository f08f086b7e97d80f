/* AWS error answers turned into struct tt_err, one shape per protocol. The
 * responses are built by hand, as the HTTP engine would hand them over. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tiertop/buf.h"
#include "tiertop/err.h"
#include "tiertop/http.h"
#include "tiertop/xalloc.h"

#define MAXH 8

/* headers: NULL-terminated list of name, value pairs. body may be NULL (no
 * body at all: the buffer never allocated). */
static void resp_make(struct tt_http_resp *r, long status, const char *body, const char *const *headers)
{
	memset(r, 0, sizeof(*r));
	r->status = status;
	r->headers = tt_xcalloc(MAXH, sizeof(*r->headers));
	for (size_t i = 0; headers && i < MAXH && headers[2 * i]; i++) {
		r->headers[i].name = tt_xstrdup(headers[2 * i]);
		r->headers[i].value = tt_xstrdup(headers[2 * i + 1]);
		r->nheaders++;
	}
	tt_buf_init(&r->body, 0);
	if (body)
		tt_buf_puts(&r->body, body);
	r->attempts = 1;
}

static void resp_free(struct tt_http_resp *r)
{
	for (size_t i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	tt_buf_clear(&r->body);
}

/* Parses and checks every field; want_message NULL means "any non-empty". */
static void check(const char *what, enum tt_proto proto, long status, const char *body,
		  const char *const *headers, enum tt_err_kind want_kind, const char *want_code,
		  const char *want_message, const char *want_request_id)
{
	struct tt_http_resp r;
	struct tt_err e;
	char line[512];

	resp_make(&r, status, body, headers);
	memset(&e, 0x5a, sizeof(e)); /* parse_error must clear what was there */
	tt_http_parse_error(proto, &r, &e);
	printf("# %s: %s\n", what, tt_err_format(&e, line, sizeof(line)));
	tap_ok(e.kind == want_kind, "%s: kind %d (got %d)", what, (int)want_kind, (int)e.kind);
	tap_ok(e.http_status == status, "%s: http_status %ld (got %ld)", what, status, e.http_status);
	snprintf(line, sizeof(line), "%s: code", what);
	tap_str_eq(e.code, want_code, line);
	snprintf(line, sizeof(line), "%s: message", what);
	if (want_message)
		tap_str_eq(e.message, want_message, line);
	else
		tap_ok(e.message[0] != '\0' && strlen(e.message) < sizeof(e.message), "%s (non-empty: \"%s\")",
		       line, e.message);
	snprintf(line, sizeof(line), "%s: request id", what);
	tap_str_eq(e.request_id, want_request_id ? want_request_id : "", line);
	resp_free(&r);
}

static const char *code_of(enum tt_proto proto, long status, const char *body,
			   const char *const *headers, struct tt_err *e)
{
	struct tt_http_resp r;

	resp_make(&r, status, body, headers);
	tt_http_parse_error(proto, &r, e);
	resp_free(&r);
	return e->code;
}

static void test_json(void)
{
	static const char *const rid[] = {"x-amzn-RequestId", "0c8e2f6a-1111-2222-3333-444455556666",
					  NULL};
	static const char *const rid_mixed_case[] = {"X-AMZN-REQUESTID", "upper-id", NULL};
	static const char *const rid_s3[] = {"x-amz-request-id", "s3-id", NULL};
	static const char *const rid_both[] = {"x-amz-request-id", "second", "x-amzn-RequestId",
					       "first", NULL};

	check("awsJson expired token", TT_PROTO_JSON, 400,
	      "{\"__type\":\"com.amazon.coral.service#ExpiredTokenException\","
	      "\"message\":\"The security token included in the request is expired\"}",
	      rid, TT_ERR_CONFIG, "ExpiredTokenException",
	      "The security token included in the request is expired",
	      "0c8e2f6a-1111-2222-3333-444455556666");
	check("awsJson capitalised Message", TT_PROTO_JSON, 400,
	      "{\"__type\":\"ResourceNotFoundException\",\"Message\":\"Requested resource not found: "
	      "Table: Feedback not found\"}",
	      NULL, TT_ERR_AWS, "ResourceNotFoundException",
	      "Requested resource not found: Table: Feedback not found", NULL);
	check("awsJson throttling", TT_PROTO_JSON, 400,
	      "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ThrottlingException\",\"message\":\"Rate of "
	      "requests exceeds the allowed throughput.\"}",
	      rid_mixed_case, TT_ERR_AWS, "ThrottlingException",
	      "Rate of requests exceeds the allowed throughput.", "upper-id");
	check("awsJson __type with namespace and URI", TT_PROTO_JSON, 400,
	      "{\"__type\":\"aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/"
	      "com.amazon.coral.validate/\"}",
	      NULL, TT_ERR_AWS, "FooError", "FooError", NULL);
	check("awsJson lower-case code field", TT_PROTO_JSON, 400,
	      "{\"code\":\"BadRequestException\",\"message\":\"nope\"}", rid_s3, TT_ERR_AWS,
	      "BadRequestException", "nope", "s3-id");
	check("awsJson errorMessage field", TT_PROTO_JSON, 502,
	      "{\"__type\":\"ServiceException\",\"errorMessage\":\"handler crashed\"}", NULL, TT_ERR_AWS,
	      "ServiceException", "handler crashed", NULL);
	check("awsJson code without message", TT_PROTO_JSON, 400, "{\"__type\":\"ValidationException\"}",
	      NULL, TT_ERR_AWS, "ValidationException", "ValidationException", NULL);
	check("x-amzn-RequestId preferred over x-amz-request-id", TT_PROTO_JSON, 400,
	      "{\"__type\":\"X\"}", rid_both, TT_ERR_AWS, "X", "X", "first");
	check("awsJson unrecognised client", TT_PROTO_JSON, 400,
	      "{\"__type\":\"UnrecognizedClientException\",\"message\":\"The security token included in "
	      "the request is invalid.\"}",
	      NULL, TT_ERR_CONFIG, "UnrecognizedClientException",
	      "The security token included in the request is invalid.", NULL);
}

static void test_rest_json(void)
{
	static const char *const errtype[] = {
		"x-amzn-ErrorType",
		"ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.lambda/",
		"x-amzn-RequestId", "lambda-req-7", NULL};
	static const char *const errtype_lower[] = {"x-amzn-errortype", "ConflictException", NULL};
	static const char *const errtype_ns[] = {
		"X-Amzn-Errortype",
		"aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/"
		"com.amazon.coral.validate/",
		NULL};
	static const char *const errtype_hash_in_uri[] = {
		"x-amzn-ErrorType", "FooError:http://internal.amazon.com/doc#section", NULL};
	static const char *const unauthorized[] = {"x-amzn-ErrorType", "UnauthorizedException", NULL};
	struct tt_err e;

	check("restJson x-amzn-ErrorType header", TT_PROTO_REST_JSON, 404,
	      "{\"Type\":\"User\",\"Message\":\"Function not found: "
	      "arn:aws:lambda:eu-west-1:123456789012:function:nope\"}",
	      errtype, TT_ERR_AWS, "ResourceNotFoundException",
	      "Function not found: arn:aws:lambda:eu-west-1:123456789012:function:nope", "lambda-req-7");
	check("restJson header wins over body __type", TT_PROTO_REST_JSON, 409,
	      "{\"__type\":\"SomethingElse\",\"message\":\"in use\"}", errtype_lower, TT_ERR_AWS,
	      "ConflictException", "in use", NULL);
	check("restJson header with namespace and URI", TT_PROTO_REST_JSON, 400, "{}", errtype_ns,
	      TT_ERR_AWS, "FooError", "FooError", NULL);
	check("restJson header only, empty body", TT_PROTO_REST_JSON, 404, "", errtype, TT_ERR_AWS,
	      "ResourceNotFoundException", "ResourceNotFoundException", "lambda-req-7");
	check("restJson UnauthorizedException is a credential error", TT_PROTO_REST_JSON, 401,
	      "{\"message\":\"Session token not found or invalid\"}", unauthorized, TT_ERR_CONFIG,
	      "UnauthorizedException", "Session token not found or invalid", NULL);

	code_of(TT_PROTO_REST_JSON, 400, "{}", errtype_hash_in_uri, &e);
	tap_ok(strcmp(e.code, "FooError") == 0,
		 "restJson \"FooError:http://internal.amazon.com/doc#section\" is FooError (got %s)",
		 e.code);
}

static void test_query_compatible(void)
{
	static const char *const qerr[] = {"x-amzn-query-error", "InvalidNextToken;Sender",
					   "x-amzn-RequestId", "cw-1", NULL};
	static const char *const qerr_nosemi[] = {"x-amzn-query-error", "ResourceNotFound", NULL};

	check("query-compatible x-amzn-query-error wins over __type", TT_PROTO_JSON, 400,
	      "{\"__type\":\"com.amazonaws.cloudwatch#InvalidNextTokenException\","
	      "\"message\":\"The service returned an error with Error Code InvalidNextToken\"}",
	      qerr, TT_ERR_AWS, "InvalidNextToken",
	      "The service returned an error with Error Code InvalidNextToken", "cw-1");
	check("query-compatible code without ;Sender", TT_PROTO_JSON, 404,
	      "{\"__type\":\"ResourceNotFoundException\"}", qerr_nosemi, TT_ERR_AWS,
	      "ResourceNotFound", "ResourceNotFound", NULL);
}

static void test_query(void)
{
	static const char *const rid_hdr[] = {"x-amzn-RequestId", "hdr-id", NULL};

	check("awsQuery throttling", TT_PROTO_QUERY, 400,
	      "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
	      "<Message>Rate exceeded</Message></Error><RequestId>abc</RequestId></ErrorResponse>",
	      NULL, TT_ERR_AWS, "Throttling", "Rate exceeded", "abc");
	check("awsQuery with namespace and white space", TT_PROTO_QUERY, 403,
	      "<?xml version=\"1.0\"?>\n"
	      "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
	      "  <Error>\n    <Type>Sender</Type>\n    <Code>InvalidClientTokenId</Code>\n"
	      "    <Message>The security token included in the request is invalid.</Message>\n"
	      "  </Error>\n  <RequestId>f2f9b5b4-0000-1111-2222-333344445555</RequestId>\n"
	      "</ErrorResponse>\n",
	      NULL, TT_ERR_CONFIG, "InvalidClientTokenId",
	      "The security token included in the request is invalid.",
	      "f2f9b5b4-0000-1111-2222-333344445555");
	check("awsQuery request id header wins over body", TT_PROTO_QUERY, 400,
	      "<ErrorResponse><Error><Code>ValidationError</Code><Message>bad</Message></Error>"
	      "<RequestId>body-id</RequestId></ErrorResponse>",
	      rid_hdr, TT_ERR_AWS, "ValidationError", "bad", "hdr-id");
	check("awsQuery entities in message", TT_PROTO_QUERY, 400,
	      "<ErrorResponse><Error><Code>ValidationError</Code><Message>1 validation error: "
	      "value &lt;x&gt; &amp; more</Message></Error></ErrorResponse>",
	      NULL, TT_ERR_AWS, "ValidationError", "1 validation error: value <x> & more", NULL);
}

static void test_fallbacks(void)
{
	static const char *const rid[] = {"x-amzn-RequestId", "r-503", NULL};
	struct tt_err e;
	char big_body[4096];
	size_t n;

	check("awsJson empty body", TT_PROTO_JSON, 503, "", rid, TT_ERR_AWS, "HTTP503", NULL, "r-503");
	check("awsJson no body at all", TT_PROTO_JSON, 500, NULL, NULL, TT_ERR_AWS, "HTTP500", NULL,
	      NULL);
	check("awsJson HTML body", TT_PROTO_JSON, 502, "<html><body>Bad Gateway</body></html>", NULL,
	      TT_ERR_AWS, "HTTP502", NULL, NULL);
	check("awsJson JSON that is not an object", TT_PROTO_JSON, 500, "[\"x\"]", NULL, TT_ERR_AWS,
	      "HTTP500", NULL, NULL);
	check("awsJson non-string __type", TT_PROTO_JSON, 400, "{\"__type\":42,\"message\":\"m\"}",
	      NULL, TT_ERR_AWS, "HTTP400", "m", NULL);
	check("restJson garbage", TT_PROTO_REST_JSON, 504, "upstream timed out", NULL, TT_ERR_AWS,
	      "HTTP504", NULL, NULL);
	check("awsQuery empty body", TT_PROTO_QUERY, 503, "", NULL, TT_ERR_AWS, "HTTP503", NULL, NULL);
	check("awsQuery garbage", TT_PROTO_QUERY, 500, "Internal Server Error", NULL, TT_ERR_AWS,
	      "HTTP500", NULL, NULL);
	check("awsQuery XML without Error", TT_PROTO_QUERY, 400, "<Other><x>1</x></Other>", NULL,
	      TT_ERR_AWS, "HTTP400", NULL, NULL);
	check("no protocol, empty body", TT_PROTO_NONE, 404, "", NULL, TT_ERR_AWS, "HTTP404", NULL,
	      NULL);

	/* Oversized fields are cut, not overflowed. */
	n = (size_t)snprintf(big_body, sizeof(big_body), "{\"__type\":\"");
	memset(big_body + n, 'C', 200);
	n += 200;
	n += (size_t)snprintf(big_body + n, sizeof(big_body) - n, "\",\"message\":\"");
	memset(big_body + n, 'm', 2000);
	n += 2000;
	snprintf(big_body + n, sizeof(big_body) - n, "\"}");
	code_of(TT_PROTO_JSON, 400, big_body, NULL, &e);
	tap_ok(strlen(e.code) == sizeof(e.code) - 1 && e.code[0] == 'C',
	       "a 200-character code is cut to %zu", sizeof(e.code) - 1);
	tap_ok(strlen(e.message) == sizeof(e.message) - 1 && e.message[0] == 'm',
	       "a 2000-character message is cut to %zu", sizeof(e.message) - 1);
}

int main(void)
{
	test_json();
	test_rest_json();
	test_query_compatible();
	test_query();
	test_fallbacks();
	return tap_done();
}
