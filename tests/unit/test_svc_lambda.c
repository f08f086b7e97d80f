/* Lambda client without the network: canned answers through the parsers,
 * function references and paths, payload limits, the tail log, the Invoke
 * answer, and the JSON re-indenting invoke uses on a terminal. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tiertop/buf.h"
#include "tiertop/err.h"
#include "tiertop/http.h"
#include "tiertop/json_text.h"
#include "tiertop/sigv4.h"
#include "tiertop/svc_lambda.h"

#define LEN(s) strlen(s)

static void test_paths(void)
{
	char *p = tt_lambda_function_path("submit-feedback", "/invocations");
	char *canon;

	tap_str_eq(p, "/2015-03-31/functions/submit-feedback/invocations", "a plain name goes in as is");
	free(p);
	p = tt_lambda_function_path("arn:aws:lambda:us-east-1:111122223333:function:submit-feedback:live",
				    "");
	tap_str_eq(p,
		   "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A111122223333%3Afunction%3A"
		   "submit-feedback%3Alive",
		   "an ARN's ':' is percent-encoded in the path label");
	canon = tt_sigv4_canonical_path(p, true);
	tap_ok(canon && strstr(canon, "arn%253Aaws%253Alambda") != NULL,
	       "and the signer encodes it again (%%253A) for the canonical request");
	free(canon);
	free(p);
	p = tt_lambda_function_path("fn:$LATEST", "/configuration");
	tap_str_eq(p, "/2015-03-31/functions/fn%3A%24LATEST/configuration", "$LATEST is escaped too");
	free(p);
	p = tt_lambda_function_path("a/b", "");
	tap_str_eq(p, "/2015-03-31/functions/a%2Fb", "a '/' cannot change the path");
	free(p);
}

static void test_payload_limits(void)
{
	struct tt_err err;

	tap_ok(tt_lambda_check_payload(TT_LAMBDA_SYNC, TT_LAMBDA_SYNC_PAYLOAD_MAX, &err) == 0,
	       "6 MB exactly is accepted for a synchronous invoke");
	tap_ok(tt_lambda_check_payload(TT_LAMBDA_SYNC, TT_LAMBDA_SYNC_PAYLOAD_MAX + 1, &err) == -1 &&
		   err.kind == TT_ERR_USAGE,
	       "one byte more is a usage error");
	tap_ok(strstr(err.message, "6291457 bytes") && strstr(err.message, "6291456") &&
		   strstr(err.message, "nothing was sent"),
	       "the message gives both sizes and says nothing was sent");
	tap_ok(tt_lambda_check_payload(TT_LAMBDA_ASYNC, TT_LAMBDA_ASYNC_PAYLOAD_MAX, &err) == 0,
	       "1 MB exactly is accepted for an asynchronous invoke");
	tap_ok(tt_lambda_check_payload(TT_LAMBDA_ASYNC, TT_LAMBDA_ASYNC_PAYLOAD_MAX + 1, &err) == -1 &&
		   strstr(err.message, "asynchronous"),
	       "one byte more is refused, naming the asynchronous limit");
	tap_ok(tt_lambda_check_payload(TT_LAMBDA_DRY_RUN, TT_LAMBDA_ASYNC_PAYLOAD_MAX * 2, &err) == 0,
	       "a dry run takes the synchronous limit");
	tap_ok(tt_lambda_check_payload(TT_LAMBDA_SYNC, 0, &err) == 0, "an empty payload is fine");
}

static bool ref_is(const char *in, const char *partition, const char *region, const char *account,
		   const char *name, const char *qualifier)
{
	struct tt_lambda_ref r;
	struct tt_err err;
	bool ok;

	if (tt_lambda_ref_parse(in, &r, &err)) {
		printf("# %s: %s\n", in, err.message);
		return false;
	}
	ok = strcmp(r.partition, partition) == 0 && strcmp(r.region, region) == 0 &&
	     strcmp(r.account, account) == 0 && strcmp(r.name, name) == 0 &&
	     strcmp(r.qualifier, qualifier) == 0;
	if (!ok)
		printf("# got %s|%s|%s|%s|%s\n", r.partition, r.region, r.account, r.name, r.qualifier);
	tt_lambda_ref_clear(&r);
	return ok;
}

static bool ref_bad(const char *in)
{
	struct tt_lambda_ref r;
	struct tt_err err;

	if (tt_lambda_ref_parse(in, &r, &err) == 0) {
		tt_lambda_ref_clear(&r);
		return false;
	}
	return err.kind == TT_ERR_USAGE && r.name == NULL;
}

static void test_refs(void)
{
	struct tt_lambda_ref r;
	struct tt_err err;
	char *arn;

	tap_ok(ref_is("submit-feedback", "", "", "", "submit-feedback", ""), "a name");
	tap_ok(ref_is("submit-feedback:live", "", "", "", "submit-feedback", "live"), "name:alias");
	tap_ok(ref_is("fn:$LATEST", "", "", "", "fn", "$LATEST"), "name:$LATEST");
	tap_ok(ref_is("111122223333:function:fn", "", "", "111122223333", "fn", ""), "a partial ARN");
	tap_ok(ref_is("111122223333:function:fn:7", "", "", "111122223333", "fn", "7"),
	       "a partial ARN, qualified");
	tap_ok(ref_is("arn:aws:lambda:eu-west-1:111122223333:function:fn", "aws", "eu-west-1", "111122223333",
		      "fn", ""),
	       "a full ARN");
	tap_ok(ref_is("arn:aws-cn:lambda:cn-north-1:111122223333:function:my_fn.v2:prod", "aws-cn",
		      "cn-north-1", "111122223333", "my_fn.v2", "prod"),
	       "a qualified ARN in another partition");
	tap_ok(ref_bad(""), "an empty reference is refused");
	tap_ok(ref_bad("arn:aws:s3:::bucket"), "an S3 ARN is refused");
	tap_ok(ref_bad("arn:aws:lambda:us-east-1:1234:function:fn"),
	       "an ARN with a short account is refused");
	tap_ok(ref_bad("arn:aws:lambda:us-east-1:111122223333:layer:fn"), "a layer ARN is refused");
	tap_ok(ref_bad("a:b:c"), "three parts that are not a partial ARN are refused");
	tap_ok(ref_bad("bad name"), "a space in a name is refused");
	tap_ok(ref_bad("fn:al ias"), "a space in a qualifier is refused");
	tap_ok(ref_bad("a:b:c:d:e:f:g:h:i"), "too many parts are refused");

	tt_lambda_ref_parse("submit-feedback:live", &r, &err);
	arn = tt_lambda_ref_arn(&r, "us-east-1", "111122223333");
	tap_str_eq(arn, "arn:aws:lambda:us-east-1:111122223333:function:submit-feedback",
		   "a name becomes an unqualified ARN in the caller's region and account");
	free(arn);
	tt_lambda_ref_clear(&r);
	tt_lambda_ref_parse("arn:aws:lambda:eu-west-1:444455556666:function:fn", &r, &err);
	arn = tt_lambda_ref_arn(&r, "us-east-1", "111122223333");
	tap_str_eq(arn, "arn:aws:lambda:eu-west-1:444455556666:function:fn",
		   "an ARN keeps its own region and account");
	free(arn);
	tt_lambda_ref_clear(&r);
	tt_lambda_ref_parse("fn", &r, &err);
	arn = tt_lambda_ref_arn(&r, "cn-northwest-1", "111122223333");
	tap_str_eq(arn, "arn:aws-cn:lambda:cn-northwest-1:111122223333:function:fn",
		   "the partition follows the region");
	free(arn);
	tt_lambda_ref_clear(&r);
}

static bool decodes(const char *b64, const char *want)
{
	char *out;
	size_t len;
	bool ok;

	if (tt_lambda_decode_log(b64, &out, &len))
		return false;
	ok = len == strlen(want) && memcmp(out, want, len) == 0 && out[len] == '\0';
	free(out);
	return ok;
}

static bool refuses(const char *b64)
{
	char *out = (char *)1;
	size_t len = 1;

	return tt_lambda_decode_log(b64, &out, &len) == -1 && out == NULL && len == 0;
}

static void test_log(void)
{
	tap_ok(decodes("aGVsbG8=", "hello"), "one '=' of padding");
	tap_ok(decodes("aGVsbA==", "hell"), "two '=' of padding");
	tap_ok(decodes("aGVs", "hel"), "no padding");
	tap_ok(decodes("", ""), "nothing");
	tap_ok(decodes("U1RBUlQgUmVxdWVzdElkOiAxCgkbWzMxbXJlZBtbMG0KRU5E",
		       "START RequestId: 1\n\t\x1b[31mred\x1b[0m\nEND"),
	       "a log with tabs and escape sequences comes out byte for byte (sanitizing is the caller's)");
	tap_ok(refuses("aGk"), "a length that is not a multiple of 4 is refused");
	tap_ok(refuses("a=Gk"), "'=' inside is refused (EVP_DecodeBlock would take it)");
	tap_ok(refuses("!!!!"), "characters outside the alphabet are refused");
	tap_ok(refuses("a==="), "three '=' are refused");
}

static const char page1[] =
    "{\"Functions\":[{\"FunctionName\":\"export-feedback\",\"FunctionArn\":"
    "\"arn:aws:lambda:us-east-1:111122223333:function:export-feedback\",\"Runtime\":\"python3.12\","
    "\"Role\":\"arn:aws:iam::111122223333:role/r\",\"Handler\":\"app.handler\",\"CodeSize\":31337,"
    "\"Description\":\"Exports\",\"Timeout\":60,\"MemorySize\":512,\"LastModified\":"
    "\"2026-11-01T09:30:00.000+0000\",\"Version\":\"$LATEST\",\"PackageType\":\"Zip\","
    "\"Architectures\":[\"arm64\"],\"EphemeralStorage\":{\"Size\":512},"
    "\"LoggingConfig\":{\"LogFormat\":\"Text\",\"LogGroup\":\"/custom/export\"}},"
    "{\"FunctionName\":\"img\",\"PackageType\":\"Image\",\"MemorySize\":128.0,\"Timeout\":3}],"
    "\"NextMarker\":\"page-2\"}";
static const char page2[] =
    "{\"Functions\":[{\"FunctionName\":\"worker-01\",\"Runtime\":\"nodejs20.x\",\"MemorySize\":256,"
    "\"Timeout\":30,\"State\":\"Active\"}],\"NextMarker\":null}";

static void test_functions_page(void)
{
	struct tt_lambda_functions list = {0};
	struct tt_err err;
	char *next = NULL;
	const struct tt_lambda_function *f;

	tap_ok(tt_lambda_parse_functions_page(page1, LEN(page1), &list, &next, &err) == 0 && list.n == 2,
	       "the first page has two functions");
	tap_str_eq(next, "page-2", "NextMarker is the next page's Marker");
	free(next);
	f = &list.items[0];
	tap_ok(strcmp(f->name, "export-feedback") == 0 && strcmp(f->runtime, "python3.12") == 0 &&
		   f->memory_mb == 512 && f->timeout_s == 60 && f->code_size == 31337 &&
		   f->ephemeral_mb == 512,
	       "name, runtime, memory, timeout, code and ephemeral sizes");
	tap_ok(strcmp(f->architecture, "arm64") == 0 && strcmp(f->log_group, "/custom/export") == 0 &&
		   strcmp(f->last_modified, "2026-11-01T09:30:00.000+0000") == 0,
	       "architecture, log group and LastModified as written");
	tap_ok(strcmp(f->state, "") == 0, "ListFunctions has no State: it is \"\"");
	f = &list.items[1];
	tap_ok(strcmp(f->runtime, "") == 0 && strcmp(f->package_type, "Image") == 0 && f->memory_mb == 128 &&
		   strcmp(f->arn, "") == 0,
	       "an image function: no runtime, absent fields are \"\", 128.0 reads as 128");
	tap_ok(tt_lambda_parse_functions_page(page2, LEN(page2), &list, &next, &err) == 0 && list.n == 3 &&
		   next == NULL,
	       "the second page appends; a null NextMarker ends the listing");
	tap_ok(strcmp(list.items[2].name, "worker-01") == 0 && strcmp(list.items[2].state, "Active") == 0 &&
		   strcmp(list.items[0].name, "export-feedback") == 0,
	       "items of both pages are there, in order");
	tt_lambda_functions_clear(&list);
	tap_ok(list.items == NULL && list.n == 0, "clearing empties the list");

	tap_ok(tt_lambda_parse_functions_page("{}", 2, &list, &next, &err) == 0 && list.n == 0 && !next,
	       "an answer without Functions is an empty page");
	tap_ok(tt_lambda_parse_functions_page("{\"Functions\":{}}", 16, &list, &next, &err) == -1 &&
		   err.kind == TT_ERR_AWS,
	       "Functions that is not a list is an AWS error");
	tap_ok(tt_lambda_parse_functions_page("{\"Functions\":[", 14, &list, &next, &err) == -1 &&
		   strstr(err.message, "malformed JSON") && strstr(err.message, "ListFunctions"),
	       "a truncated answer says which call answered malformed JSON");
	tap_ok(tt_lambda_parse_functions_page("[]", 2, &list, &next, &err) == -1,
	       "an array is not an answer");
	tt_lambda_functions_clear(&list);
}

static void test_function_config(void)
{
	static const char cfg[] =
	    "{\"FunctionName\":\"submit-feedback\",\"FunctionArn\":"
	    "\"arn:aws:lambda:us-east-1:111122223333:function:submit-feedback:live\","
	    "\"State\":\"Pending\",\"StateReason\":\"Creating ENIs\",\"LastUpdateStatus\":"
	    "\"InProgress\",\"Version\":\"1\",\"Timeout\":10}";
	struct tt_lambda_function fn;
	struct tt_err err;

	tap_ok(tt_lambda_parse_function(cfg, LEN(cfg), &fn, &err) == 0 && strcmp(fn.state, "Pending") == 0 &&
		   strcmp(fn.state_reason, "Creating ENIs") == 0 &&
		   strcmp(fn.last_update_status, "InProgress") == 0 && strcmp(fn.version, "1") == 0 &&
		   fn.timeout_s == 10,
	       "GetFunctionConfiguration: state, reason, update status, version, timeout");
	tt_lambda_function_clear(&fn);
}

static void test_esms(void)
{
	static const char esms[] =
	    "{\"EventSourceMappings\":[{\"UUID\":\"u-1\",\"EventSourceArn\":\"arn:aws:dynamodb:us-east-1:"
	    "111122223333:table/Feedback/stream/x\",\"FunctionArn\":\"arn:f\",\"State\":\"Enabled\","
	    "\"BatchSize\":100,\"LastModified\":1793525400.5,\"LastProcessingResult\":\"OK\","
	    "\"StartingPosition\":\"LATEST\"}],\"NextMarker\":\"m2\"}";
	struct tt_lambda_esms list = {0};
	struct tt_err err;
	char *next = NULL;

	tap_ok(tt_lambda_parse_esms_page(esms, LEN(esms), &list, &next, &err) == 0 && list.n == 1 &&
		   strcmp(list.items[0].uuid, "u-1") == 0 && strcmp(list.items[0].state, "Enabled") == 0 &&
		   list.items[0].batch_size == 100 && list.items[0].last_modified == 1793525400 &&
		   strcmp(list.items[0].starting_position, "LATEST") == 0,
	       "an event source mapping, LastModified in epoch seconds");
	tap_str_eq(next, "m2", "its NextMarker");
	free(next);
	tt_lambda_esms_clear(&list);
	/* Found by fuzzing (tests/fuzz/fuzz_lambda): a huge number was cast to
	 * time_t, which is undefined; it is no date. */
	{
		const char *huge = "{\"EventSourceMappings\":[{\"UUID\":\"u\",\"LastModified\":1e300}]}";
		tap_ok(tt_lambda_parse_esms_page(huge, LEN(huge), &list, &next, &err) == 0 && list.n == 1 &&
			       list.items[0].last_modified == 0,
		       "a LastModified beyond any date reads as none");
	}
	free(next);
	tt_lambda_esms_clear(&list);
}

static void set_header(struct tt_http_header *h, const char *name, const char *value)
{
	h->name = (char *)(uintptr_t)name;
	h->value = (char *)(uintptr_t)value;
}

static void test_invoke_result(void)
{
	struct tt_http_header h[5];
	struct tt_http_resp resp;
	struct tt_lambda_invoke_out out;
	struct tt_err err;
	static const char body[] = "{\"errorType\":\"SpamRejected\",\"errorMessage\":\"buy now\"}";

	memset(&resp, 0, sizeof(resp));
	set_header(&h[0], "x-amz-function-error", "Unhandled");
	set_header(&h[1], "X-Amz-Executed-Version", "$LATEST");
	set_header(&h[2], "X-Amz-Log-Result", "U1RBUlQKRU5ECg==");
	set_header(&h[3], "x-amzn-RequestId", "req-1");
	resp.status = 200;
	resp.headers = h;
	resp.nheaders = 4;
	tt_buf_init(&resp.body, 0);
	tt_buf_puts(&resp.body, body);
	tap_ok(tt_lambda_invoke_result(&resp, &out, &err) == 0 && out.status == 200, "status 200");
	tap_ok(strcmp(out.function_error, "Unhandled") == 0, "X-Amz-Function-Error (any case)");
	tap_ok(strcmp(out.executed_version, "$LATEST") == 0 && strcmp(out.request_id, "req-1") == 0,
	       "executed version and request id");
	tap_ok(out.payload_len == strlen(body) && memcmp(out.payload, body, out.payload_len) == 0,
	       "the payload is the function's answer, byte for byte");
	tap_ok(out.log_len == 10 && strcmp(out.log, "START\nEND\n") == 0 && !out.log_invalid,
	       "the tail log is decoded");
	tt_lambda_invoke_out_clear(&out);

	set_header(&h[2], "X-Amz-Log-Result", "not base64!");
	tap_ok(tt_lambda_invoke_result(&resp, &out, &err) == 0 && out.log_invalid && out.log_len == 0 &&
		   strcmp(out.log, "") == 0,
	       "an undecodable log is flagged, not shown");
	tt_lambda_invoke_out_clear(&out);

	resp.status = 202;
	resp.nheaders = 0;
	tt_buf_reset(&resp.body);
	tap_ok(tt_lambda_invoke_result(&resp, &out, &err) == 0 && out.status == 202 &&
		   strcmp(out.function_error, "") == 0 && strcmp(out.executed_version, "") == 0 &&
		   out.payload_len == 0 && out.payload && out.payload[0] == '\0' && strcmp(out.log, "") == 0,
	       "an Event invoke (202, no headers, no body): empty strings, never NULL");
	tt_lambda_invoke_out_clear(&out);
	tt_buf_clear(&resp.body);
}

static bool reindents(const char *in, const char *want)
{
	struct tt_buf b;
	bool ok;

	tt_buf_init(&b, 0);
	tt_buf_puts(&b, "");
	tt_json_reindent(in, strlen(in), 2, &b);
	ok = strcmp(b.data, want) == 0;
	if (!ok)
		printf("# got:\n%s\n", b.data);
	tt_buf_clear(&b);
	return ok;
}

static void test_reindent(void)
{
	tap_ok(reindents("{\"a\":[1,2.10,{}],\"b\" : \"x,{y}:\\\"[z]\",\"c\":[ ]}",
			 "{\n  \"a\": [\n    1,\n    2.10,\n    {}\n  ],\n  \"b\": \"x,{y}:\\\"[z]\",\n  "
			 "\"c\": []\n}"),
	       "objects and arrays are indented; strings (with escapes) and numbers are kept as written");
	tap_ok(reindents("  \"just a string\" ", "\"just a string\""), "a bare string");
	tap_ok(reindents("42", "42"), "a bare number");
	tap_ok(reindents("{\"s\":\"a\\\\\",\"t\":1}", "{\n  \"s\": \"a\\\\\",\n  \"t\": 1\n}"),
	       "an escaped backslash before the closing quote ends the string");
}

static void test_log_view(void)
{
	const char *body = "{\"Configuration\":{\"FunctionName\":\"f\",\"Environment\":{\"Variables\":"
	                   "{\"API_KEY\":\"s3cr3t\",\"TABLE\":\"Feedback\"}}},"
	                   "\"Code\":{\"RepositoryType\":\"S3\",\"Location\":\"https://x/?X-Amz-Signature=abc\"}}";
	char *shown = tt_lambda_log_view(body, strlen(body));

	tap_ok(shown && !strstr(shown, "s3cr3t") && !strstr(shown, "Feedback") &&
	           strstr(shown, "\"API_KEY\":\"[redacted]\""),
	       "log view: every environment value redacted, the names kept");
	tap_ok(shown && !strstr(shown, "X-Amz-Signature") && strstr(shown, "\"Location\":\"[redacted]\"") &&
	           strstr(shown, "\"FunctionName\":\"f\""),
	       "log view: the code's presigned URL redacted, the rest kept");
	free(shown);
	tap_ok(tt_lambda_log_view("not json", 8) == NULL, "log view: not JSON, nothing to show");
}

static void group_is(const char *fn, const char *configured, const char *want)
{
	char *got = tt_lambda_log_group_for(fn, configured);

	tap_str_eq(got, want, want);
	free(got);
}

/* LoggingConfig.LogGroup wins; else Lambda's default group of the function. */
static void test_log_group_for(void)
{
	group_is("export-feedback", "/custom/export", "/custom/export");
	group_is("export-feedback", "", "/aws/lambda/export-feedback");
	group_is("export-feedback", NULL, "/aws/lambda/export-feedback");
	group_is("arn:aws:lambda:eu-west-1:123456789012:function:export-feedback:live", NULL,
	         "/aws/lambda/export-feedback");
	group_is("export-feedback:3", "", "/aws/lambda/export-feedback");
}

/* Versions and aliases arrive in any order (two walks at once); the list
 * keeps versions first. */
static void test_qualifiers(void)
{
	static const char aliases1[] =
	    "{\"Aliases\":[{\"AliasArn\":\"arn:aws:lambda:us-east-1:1:function:f:canary\",\"Name\":\"canary\","
	    "\"FunctionVersion\":\"2\",\"Description\":\"10% to 3\",\"RoutingConfig\":{\"AdditionalVersionWeights\":"
	    "{\"3\":0.1}}}],\"NextMarker\":\"a2\"}";
	static const char aliases2[] = "{\"Aliases\":[{\"Name\":\"live\",\"FunctionVersion\":\"1\"}]}";
	static const char versions[] =
	    "{\"Versions\":[{\"FunctionName\":\"f\",\"Version\":\"$LATEST\","
	    "\"LastModified\":\"2026-12-01T10:00:00.000+0000\","
	    "\"Environment\":{\"Variables\":{\"K\":\"secret\"}}},{\"Version\":\"1\",\"Description\":\"first\"}],"
	    "\"NextMarker\":null}";
	struct tt_lambda_qualifiers list = {0};
	struct tt_err err;
	char *next = NULL;
	const struct tt_lambda_qualifier *q;

	tap_ok(tt_lambda_parse_aliases_page(aliases1, LEN(aliases1), &list, &next, &err) == 0 && list.n == 1 &&
		   list.nversions == 0 && next && strcmp(next, "a2") == 0,
	       "ListAliases: a page and its NextMarker");
	free(next);
	tap_ok(tt_lambda_parse_versions_page(versions, LEN(versions), &list, &next, &err) == 0 && list.n == 3 &&
		   list.nversions == 2 && !next,
	       "ListVersionsByFunction: a null NextMarker ends the walk");
	tap_ok(tt_lambda_parse_aliases_page(aliases2, LEN(aliases2), &list, &next, &err) == 0 && list.n == 4 && !next,
	       "ListAliases: the last page");
	q = list.items;
	tap_ok(list.n == 4 && !q[0].alias && strcmp(q[0].name, "$LATEST") == 0 &&
		   strcmp(q[0].last_modified, "2026-12-01T10:00:00.000+0000") == 0 && strcmp(q[1].name, "1") == 0 &&
		   strcmp(q[1].version, "1") == 0 && strcmp(q[1].description, "first") == 0,
	       "versions first, in the order given, whenever they arrived");
	tap_ok(q[2].alias && strcmp(q[2].name, "canary") == 0 && strcmp(q[2].version, "2") == 0 &&
		   strcmp(q[2].extra_version, "3") == 0 && q[2].extra_weight > 0.09 && q[2].extra_weight < 0.11,
	       "an alias: its version and the routing to another");
	tap_ok(q[3].alias && strcmp(q[3].name, "live") == 0 && strcmp(q[3].extra_version, "") == 0 &&
		   strcmp(q[3].description, "") == 0,
	       "an alias without routing or description: \"\", never NULL");
	tt_lambda_qualifiers_clear(&list);
	tap_ok(!list.items && !list.n && !list.nversions, "clearing empties the list");
	tap_ok(tt_lambda_parse_versions_page("{\"Versions\":{}}", 15, &list, &next, &err) == -1 &&
		   strstr(err.message, "ListVersionsByFunction") && strstr(err.message, "not a list"),
	       "Versions that is not a list: an error naming the call");
	tap_ok(tt_lambda_parse_aliases_page("{\"Aliases\":[", 12, &list, &next, &err) == -1 &&
		   strstr(err.message, "ListAliases"),
	       "malformed JSON: an error naming the call");
	tap_ok(tt_lambda_parse_aliases_page("{}", 2, &list, &next, &err) == 0 && list.n == 0 && !next,
	       "no Aliases member: an empty page");
	tt_lambda_qualifiers_clear(&list);
}

int main(void)
{
	test_log_view();
	test_paths();
	test_payload_limits();
	test_refs();
	test_log();
	test_functions_page();
	test_function_config();
	test_esms();
	test_invoke_result();
	test_reindent();
	test_log_group_for();
	test_qualifiers();
	return tap_done();
}
