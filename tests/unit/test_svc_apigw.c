/* API Gateway client without the network: canned v1 and v2 answers through
 * the parsers, and the Lambda function behind integration URIs. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tiertop/err.h"
#include "tiertop/svc_apigw.h"

#define LEN(s) strlen(s)

static bool function_is(const char *uri, const char *want)
{
	char *got = tt_apigw_lambda_function(uri);
	bool ok = want ? got && strcmp(got, want) == 0 : got == NULL;

	if (!ok)
		printf("# %s -> %s\n", uri ? uri : "(null)", got ? got : "(null)");
	free(got);
	return ok;
}

static void test_lambda_function(void)
{
	tap_ok(function_is("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
			   "arn:aws:lambda:us-east-1:111122223333:function:submit-feedback/invocations",
			   "arn:aws:lambda:us-east-1:111122223333:function:submit-feedback"),
	       "the API Gateway service path (v1 AWS_PROXY)");
	tap_ok(function_is("arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
			   "arn:aws:lambda:eu-west-1:111122223333:function:submit-feedback:live/invocations",
			   "arn:aws:lambda:eu-west-1:111122223333:function:submit-feedback:live"),
	       "an alias stays on the ARN");
	tap_ok(function_is("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
			   "arn:aws:lambda:us-east-1:111122223333:function:${stageVariables.fn}/invocations",
			   "arn:aws:lambda:us-east-1:111122223333:function:${stageVariables.fn}"),
	       "a stage variable is kept for the caller to expand");
	tap_ok(function_is("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
			   "${stageVariables.lambdaArn}/invocations",
			   "${stageVariables.lambdaArn}"),
	       "a whole ARN from a stage variable");
	tap_ok(function_is("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
			   "arn%3Aaws%3Alambda%3Aus-east-1%3A111122223333%3Afunction%3Afn/invocations",
			   "arn:aws:lambda:us-east-1:111122223333:function:fn"),
	       "percent escapes are decoded");
	tap_ok(function_is("arn:aws:lambda:us-east-1:111122223333:function:submit-feedback",
			   "arn:aws:lambda:us-east-1:111122223333:function:submit-feedback"),
	       "a bare function ARN (v2 AWS_PROXY)");
	tap_ok(function_is("arn:aws:lambda:us-east-1:111122223333:function:fn:prod",
			   "arn:aws:lambda:us-east-1:111122223333:function:fn:prod"),
	       "a bare qualified function ARN");
	tap_ok(function_is("arn:aws-us-gov:apigateway:us-gov-west-1:lambda:path/2015-03-31/functions/"
			   "arn:aws-us-gov:lambda:us-gov-west-1:111122223333:function:fn/invocations",
			   "arn:aws-us-gov:lambda:us-gov-west-1:111122223333:function:fn"),
	       "another partition");
	tap_ok(function_is("https://example.com/backend", NULL), "an HTTP integration is not a function");
	tap_ok(function_is("arn:aws:apigateway:us-east-1:dynamodb:action/PutItem", NULL),
	       "an AWS service integration is not a function");
	tap_ok(
	    function_is("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions//invocations", NULL),
	    "an empty function is none");
	tap_ok(function_is("", NULL) && function_is(NULL, NULL), "no URI, no function");
}

static void test_stage_vars(void)
{
	char fn[] = "fn", fn_v[] = "submit-feedback", alias[] = "alias", alias_v[] = "live";
	struct tt_apigw_var vars[] = {{fn, fn_v}, {alias, alias_v}};
	char *s;

	s = tt_apigw_expand_stage_vars(
	    "arn:aws:lambda:r:1:function:${stageVariables.fn}:${stageVariables.alias}", vars, 2);
	tap_str_eq(s, "arn:aws:lambda:r:1:function:submit-feedback:live", "every stage variable is replaced");
	free(s);
	s = tt_apigw_expand_stage_vars("x${stageVariables.nope}y${stageVariables.fn}", vars, 2);
	tap_str_eq(s, "x${stageVariables.nope}ysubmit-feedback", "an undefined one is left as it is");
	free(s);
	s = tt_apigw_expand_stage_vars("x${stageVariables.fn", vars, 2);
	tap_str_eq(s, "x${stageVariables.fn", "an unterminated one is left as it is");
	free(s);
	tap_ok(tt_apigw_has_stage_vars("a${stageVariables.b}") &&
		   !tt_apigw_has_stage_vars("arn:aws:lambda") && !tt_apigw_has_stage_vars(NULL),
	       "stage variables are detected");
	tap_str_eq(tt_apigw_route_integration("integrations/abc123"), "abc123",
		   "a route target's integration id");
	tap_ok(tt_apigw_route_integration("integrations/") == NULL &&
		   tt_apigw_route_integration("") == NULL && tt_apigw_route_integration(NULL) == NULL,
	       "no integration id in an empty target");
}

static void test_rest(void)
{
	static const char apis1[] =
	    "{\"item\":[{\"id\":\"a1b2c3d4e5\",\"name\":\"feedback-api\",\"createdDate\":"
	    "1793525400,\"endpointConfiguration\":{\"types\":[\"REGIONAL\"]}}],"
	    "\"position\":\"p2\"}";
	static const char apis2[] = "{\"item\":[{\"id\":\"zz\",\"name\":\"other\"}]}";
	static const char resources[] =
	    "{\"item\":[{\"id\":\"r0\",\"path\":\"/\"},{\"id\":\"r1\",\"parentId\":\"r0\",\"pathPart\":"
	    "\"feedback\",\"path\":\"/feedback\",\"resourceMethods\":{\"POST\":{\"httpMethod\":\"POST\","
	    "\"authorizationType\":\"NONE\",\"methodIntegration\":{\"type\":\"AWS_PROXY\",\"httpMethod\":"
	    "\"POST\",\"uri\":\"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:"
	    "lambda:us-east-1:111122223333:function:submit-feedback/invocations\"}},\"GET\":{\"httpMethod\":"
	    "\"GET\",\"authorizationType\":\"AWS_IAM\",\"methodIntegration\":{\"type\":\"MOCK\"}},"
	    "\"OPTIONS\":{}}}]}";
	static const char stages[] =
	    "{\"item\":[{\"stageName\":\"prod\",\"deploymentId\":\"d1\",\"methodSettings\":{\"*/*\":"
	    "{\"metricsEnabled\":true,\"loggingLevel\":\"INFO\"}},\"variables\":{\"fn\":\"submit-feedback\","
	    "\"alias\":\"live\"},\"accessLogSettings\":{\"destinationArn\":\"arn:aws:logs:x\",\"format\":"
	    "\"{\\\"requestId\\\":\\\"$context.requestId\\\"}\"},"
	    "\"createdDate\":1793525400,\"lastUpdatedDate\":1793525401}]}";
	struct tt_apigw_rest_apis list = {0};
	struct tt_apigw_resources res = {0};
	struct tt_apigw_stages st = {0};
	struct tt_err err;
	char *next = NULL;
	const struct tt_apigw_resource *r;

	tap_ok(
	    tt_apigw_parse_rest_apis_page(apis1, LEN(apis1), &list, &next, &err) == 0 && list.n == 1 &&
		strcmp(list.items[0].name, "feedback-api") == 0 &&
		strcmp(list.items[0].endpoint_type, "REGIONAL") == 0 && list.items[0].created == 1793525400,
	    "GetRestApis reads \"item\" (not \"items\"): name, endpoint type, createdDate in epoch seconds");
	tap_str_eq(next, "p2", "position is the next page");
	free(next);
	tap_ok(tt_apigw_parse_rest_apis_page(apis2, LEN(apis2), &list, &next, &err) == 0 && list.n == 2 &&
		   next == NULL && strcmp(list.items[1].id, "zz") == 0,
	       "the last page appends and has no position");
	tt_apigw_rest_apis_clear(&list);

	tap_ok(tt_apigw_parse_resources_page(resources, LEN(resources), &res, &next, &err) == 0 && res.n == 2,
	       "GetResources: two resources");
	r = &res.items[1];
	tap_ok(strcmp(r->path, "/feedback") == 0 && strcmp(r->parent_id, "r0") == 0 && r->nmethods == 3,
	       "a resource's path, parent and methods");
	tap_ok(strcmp(r->methods[0].http_method, "GET") == 0 &&
		   strcmp(r->methods[1].http_method, "OPTIONS") == 0 &&
		   strcmp(r->methods[2].http_method, "POST") == 0,
	       "methods are sorted");
	tap_ok(strcmp(r->methods[2].integration_type, "AWS_PROXY") == 0 &&
		   strstr(r->methods[2].integration_uri, "function:submit-feedback/invocations") &&
		   strcmp(r->methods[2].authorization_type, "NONE") == 0,
	       "the embedded integration's type and uri");
	tap_ok(strcmp(r->methods[1].integration_type, "") == 0 &&
		   strcmp(r->methods[1].integration_uri, "") == 0,
	       "a method without embedded details has empty fields");
	tap_ok(res.items[0].nmethods == 0, "a resource without methods");
	tt_apigw_resources_clear(&res);

	tap_ok(tt_apigw_parse_stages_page(stages, LEN(stages), &st, &next, &err) == 0 && st.n == 1,
	       "GetStages (v1)");
	tap_ok(strcmp(st.items[0].name, "prod") == 0 && st.items[0].metrics_enabled &&
		   strcmp(st.items[0].logging_level, "INFO") == 0 &&
		   strcmp(st.items[0].access_log_arn, "arn:aws:logs:x") == 0 &&
		   strcmp(st.items[0].access_log_format, "{\"requestId\":\"$context.requestId\"}") == 0 &&
		   st.items[0].last_updated == 1793525401,
	       "stage name, */* method settings, access logs, dates");
	tap_ok(st.items[0].nvars == 2 && strcmp(st.items[0].vars[0].name, "alias") == 0 &&
		   strcmp(st.items[0].vars[1].value, "submit-feedback") == 0,
	       "stage variables, sorted by name");
	tt_apigw_stages_clear(&st);
	tap_ok(tt_apigw_parse_stages_page("{\"item\":5}", 10, &st, &next, &err) == -1 &&
		   err.kind == TT_ERR_AWS,
	       "an item that is not a list is an error");
	tap_ok(tt_apigw_parse_stages_page("{\"_embedded\":{}}", 16, &st, &next, &err) == 0 && st.n == 0,
	       "a HAL answer (no Accept header) reads as empty rather than crashing");
	tt_apigw_stages_clear(&st);
}

static void test_http(void)
{
	static const char apis[] =
	    "{\"items\":[{\"apiId\":\"h1\",\"name\":\"feedback-http\",\"protocolType\":"
	    "\"HTTP\",\"apiEndpoint\":\"https://h1.execute-api.us-east-1.amazonaws.com\","
	    "\"createdDate\":\"2026-11-01T09:30:00Z\"}],\"nextToken\":\"t2\"}";
	static const char stages[] =
	    "{\"items\":[{\"stageName\":\"$default\",\"autoDeploy\":true,"
	    "\"defaultRouteSettings\":{\"detailedMetricsEnabled\":false,\"loggingLevel\":"
	    "\"OFF\"},\"stageVariables\":{\"fn\":\"x\"},\"createdDate\":"
	    "\"2026-11-01T09:30:00.123Z\"},{\"stageName\":\"live\",\"accessLogSettings\":{\"destinationArn\":"
	    "\"arn:aws:logs:us-east-1:111122223333:log-group:/aws/apigw/http-access\",\"format\":"
	    "\"$context.requestId $context.integration.requestId\"}}]}";
	static const char routes[] =
	    "{\"items\":[{\"routeId\":\"rt1\",\"routeKey\":\"POST /feedback\","
	    "\"target\":\"integrations/i1\",\"authorizationType\":\"NONE\","
	    "\"apiKeyRequired\":false},{\"routeId\":\"rt2\",\"routeKey\":\"$default\"}]}";
	static const char integs[] =
	    "{\"items\":[{\"integrationId\":\"i1\",\"integrationType\":\"AWS_PROXY\","
	    "\"integrationUri\":\"arn:aws:lambda:us-east-1:111122223333:function:"
	    "submit-feedback\",\"payloadFormatVersion\":\"2.0\",\"timeoutInMillis\":30000}]}";
	struct tt_apigw_apis a = {0};
	struct tt_apigw_stages st = {0};
	struct tt_apigw_routes rt = {0};
	struct tt_apigw_integrations in = {0};
	struct tt_err err;
	char *next = NULL;

	tap_ok(tt_apigw_parse_apis_page(apis, LEN(apis), &a, &next, &err) == 0 && a.n == 1 &&
		   strcmp(a.items[0].id, "h1") == 0 && strcmp(a.items[0].protocol_type, "HTTP") == 0 &&
		   a.items[0].created == 1793525400 && strstr(a.items[0].endpoint, "execute-api"),
	       "GetApis reads \"items\": id, protocol, endpoint, ISO-8601 createdDate");
	tap_str_eq(next, "t2", "nextToken is the next page");
	free(next);
	tt_apigw_apis_clear(&a);
	tap_ok(tt_apigw_parse_stages_page(stages, LEN(stages), &st, &next, &err) == 0 && st.n == 2 &&
		   st.items[0].auto_deploy && !st.items[0].metrics_enabled &&
		   strcmp(st.items[0].logging_level, "OFF") == 0 && st.items[0].nvars == 1 &&
		   st.items[0].created == 1793525400 && next == NULL,
	       "GetStages (v2): auto-deploy, default route settings, stageVariables");
	tap_ok(strcmp(st.items[0].access_log_arn, "") == 0 && strcmp(st.items[0].access_log_format, "") == 0,
	       "GetStages (v2): a stage without access logging has empty settings");
	tap_str_eq(st.items[1].access_log_arn, "arn:aws:logs:us-east-1:111122223333:log-group:/aws/apigw/http-access",
		   "GetStages (v2): accessLogSettings.destinationArn");
	tap_str_eq(st.items[1].access_log_format, "$context.requestId $context.integration.requestId",
		   "GetStages (v2): accessLogSettings.format");
	tt_apigw_stages_clear(&st);
	tap_ok(tt_apigw_parse_routes_page(routes, LEN(routes), &rt, &next, &err) == 0 && rt.n == 2 &&
		   strcmp(rt.items[0].route_key, "POST /feedback") == 0 &&
		   strcmp(rt.items[0].target, "integrations/i1") == 0 && strcmp(rt.items[1].target, "") == 0,
	       "GetRoutes: keys and targets");
	tt_apigw_routes_clear(&rt);
	tap_ok(tt_apigw_parse_integrations_page(integs, LEN(integs), &in, &next, &err) == 0 && in.n == 1 &&
		   strcmp(in.items[0].type, "AWS_PROXY") == 0 && in.items[0].timeout_ms == 30000 &&
		   strcmp(in.items[0].payload_format_version, "2.0") == 0,
	       "GetIntegrations: type, uri, payload format, timeout");
	tt_apigw_integrations_clear(&in);
	tap_ok(tt_apigw_parse_routes_page("nope", 4, &rt, &next, &err) == -1 &&
		   strstr(err.message, "apigatewayv2 GetRoutes"),
	       "malformed JSON names the call");
}

static void test_access_log_group(void)
{
	static const struct {
		const char *arn, *group;
	} cases[] = {
	    {"arn:aws:logs:us-east-1:111122223333:log-group:/aws/apigateway/feedback-api-access",
	     "/aws/apigateway/feedback-api-access"},
	    {"arn:aws:logs:us-east-1:111122223333:log-group:access-logs:*", "access-logs"},
	    {"arn:aws-cn:logs:cn-north-1:111122223333:log-group:a.b#c", "a.b#c"},
	    {"arn:aws:firehose:us-east-1:111122223333:deliverystream/amazon-apigateway-x", NULL},
	    {"arn:aws:logs:us-east-1:111122223333:destination:x", NULL},
	    {"arn:aws:logs:us-east-1:111122223333:log-group:", NULL},
	    {"arn:aws:logs:x", NULL},
	    {"", NULL},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *g = tt_apigw_access_log_group(cases[i].arn);
		tap_ok(cases[i].group ? g && strcmp(g, cases[i].group) == 0 : g == NULL, "access log group of %s",
		       cases[i].arn);
		free(g);
	}
	tap_ok(tt_apigw_access_log_group(NULL) == NULL, "no ARN, no group");
}

int main(void)
{
	test_access_log_group();
	test_lambda_function();
	test_stage_vars();
	test_rest();
	test_http();
	return tap_done();
}
