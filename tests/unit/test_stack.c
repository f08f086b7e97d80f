/* The stack model's pure parts: names out of ARNs and references, which
 * table an environment value names, how a selection is described, and what
 * the API crawl keeps of API Gateway's answers (all that `tiertop apis`
 * prints comes from there). */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tiertop/err.h"
#include "tiertop/stack.h"
#include "tiertop/svc_apigw.h"
#include "tiertop/xalloc.h"

static void fn(const char *ref, const char *want)
{
	char *got = tt_stack_function_name(ref);

	if (want)
		tap_str_eq(got, want, ref);
	else
		tap_ok(got == NULL, "not a function: %s", ref ? ref : "(null)");
	free(got);
}

static void table(const char *arn, const char *want)
{
	char *got = tt_stack_table_name(arn);

	if (want)
		tap_str_eq(got, want, arn);
	else
		tap_ok(got == NULL, "not a table: %s", arn ? arn : "(null)");
	free(got);
}

static void env_tables(void)
{
	char names[3][16] = {"Feedback", "FeedbackStats", "Gone"}, problem[] = "ResourceNotFoundException";
	struct tt_stack_table tables[] = {{.name = names[0]}, {.name = names[1]}, {.name = names[2], .problem = problem}};
	struct tt_stack st = {.tables = tables, .ntables = 3};
	const char *got;

	tap_str_eq(tt_stack_env_table(&st, "Feedback"), "Feedback", "a table's name");
	tap_str_eq(tt_stack_env_table(&st, "arn:aws:dynamodb:us-east-1:111122223333:table/FeedbackStats"),
		   "FeedbackStats", "a table's ARN");
	got = tt_stack_env_table(&st, "feedback");
	tap_ok(got == NULL, "names are case-sensitive");
	got = tt_stack_env_table(&st, "Feedback2");
	tap_ok(got == NULL, "a longer name is another table");
	got = tt_stack_env_table(&st, "Gone");
	tap_ok(got == NULL, "a table that could not be described links nothing");
	got = tt_stack_env_table(&st, "");
	tap_ok(got == NULL, "an empty value");
}

static void mapping_owner(void)
{
	char names[4][24] = {"worker-1", "worker-10", "(functions)", "gone"}, problem[] = "not found";
	struct tt_stack_function fns[] = {{.name = names[0]}, {.name = names[1]}, {.name = names[2], .problem = problem},
					  {.name = names[3], .problem = problem}};
	struct tt_stack st = {.functions = fns, .nfunctions = 4};

	tap_ok(tt_stack_mapping_function(&st, "arn:aws:lambda:eu-west-1:111122223333:function:worker-1") == 0,
	       "a mapping's FunctionArn names its function");
	tap_ok(tt_stack_mapping_function(&st, "arn:aws:lambda:eu-west-1:111122223333:function:worker-10:live") == 1,
	       "a qualified FunctionArn (alias) is its function's");
	tap_ok(tt_stack_mapping_function(&st, "worker-10") == 1, "a bare name");
	tap_ok(tt_stack_mapping_function(&st, "arn:aws:lambda:eu-west-1:111122223333:function:worker-100") == -1,
	       "another function of the region, a longer name");
	tap_ok(tt_stack_mapping_function(&st, "arn:aws:lambda:eu-west-1:111122223333:function:worker-") == -1,
	       "a shorter name");
	tap_ok(tt_stack_mapping_function(&st, "arn:aws:lambda:eu-west-1:111122223333:function:gone") == -1,
	       "a function that could not be described links nothing");
	tap_ok(tt_stack_mapping_function(&st, "") == -1, "an empty FunctionArn");
	tap_ok(tt_stack_mapping_function(&st, NULL) == -1, "no FunctionArn");
}

static void selection_text(void)
{
	struct tt_select sel[] = {{TT_SELECT_STACK, "s"}, {TT_SELECT_TAG, "k=v"}, {TT_SELECT_PREFIX, ""},
				  {TT_SELECT_FUNCTION, "f"}, {TT_SELECT_TABLE, "t"},  {TT_SELECT_API, "a"}};
	char *text = tt_stack_describe_selection(sel, 6);

	tap_str_eq(text, "stack s + tag k=v + whole region + function f + table t + api a", "selection text");
	free(text);
}

static void cfn_name(const char *s, const char *want)
{
	char *got = tt_stack_cfn_stack_name(s);

	tap_str_eq(got, want, s);
	free(got);
}

/* --- the API crawl's steps, on canned answers ------------------------------- */

#define FN_PATH "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
#define FN_ARN  "arn:aws:lambda:us-east-1:111122223333:function:"

static const char rest_stages[] =
    "{\"item\":[{\"stageName\":\"prod\",\"deploymentId\":\"d1\",\"methodSettings\":{\"*/*\":"
    "{\"metricsEnabled\":true,\"loggingLevel\":\"INFO\"}},\"variables\":{\"fn\":\"submit-feedback\","
    "\"alias\":\"live\"},\"accessLogSettings\":{\"destinationArn\":\"arn:aws:logs:x\"}},"
    "{\"stageName\":\"beta\",\"variables\":{\"fn\":\"submit-beta\"}}]}";
static const char rest_resources[] =
    "{\"item\":[{\"id\":\"r0\",\"path\":\"/\"},{\"id\":\"r1\",\"path\":\"/feedback\","
    "\"resourceMethods\":{\"POST\":{\"httpMethod\":\"POST\",\"authorizationType\":\"AWS_IAM\","
    "\"methodIntegration\":{\"type\":\"AWS_PROXY\",\"uri\":\"" FN_PATH FN_ARN
    "${stageVariables.fn}/invocations\"}},\"GET\":{\"httpMethod\":\"GET\",\"authorizationType\":"
    "\"NONE\",\"methodIntegration\":{\"type\":\"MOCK\"}}}}]}";
static const char http_routes[] =
    "{\"items\":[{\"routeId\":\"a\",\"routeKey\":\"POST /feedback\",\"target\":\"integrations/i1\","
    "\"authorizationType\":\"JWT\"},{\"routeId\":\"b\",\"routeKey\":\"$default\","
    "\"target\":\"integrations/i2\"},{\"routeId\":\"c\",\"routeKey\":\"GET /gone\","
    "\"target\":\"integrations/nope\"}]}";
static const char http_integrations[] =
    "{\"items\":[{\"integrationId\":\"i2\",\"integrationType\":\"HTTP_PROXY\",\"integrationUri\":"
    "\"https://backend.example\"},{\"integrationId\":\"i1\",\"integrationType\":\"AWS_PROXY\","
    "\"integrationUri\":\"" FN_ARN "submit-feedback:live\"}]}";

/* Route i of api, with what the crawl keeps of it besides its key. */
static bool route_is(const struct tt_stack_api *api, size_t i, const char *route, const char *function,
		     const char *path, const char *method, const char *target, const char *auth, const char *type)
{
	const struct tt_stack_route *r = &api->routes[i];
	const struct tt_stack_route_info *in = api->route_info ? &api->route_info[i] : NULL;
	bool ok = in && strcmp(r->route, route) == 0 && strcmp(r->function, function) == 0 &&
		  strcmp(in->path, path) == 0 && strcmp(in->method, method) == 0 &&
		  strcmp(in->target, target) == 0 && strcmp(in->authorization_type, auth) == 0 &&
		  strcmp(in->integration_type, type) == 0;

	if (!ok && in)
		printf("# %s: function %s, path %s, method %s, target %s, auth %s, type %s\n", r->route,
		       r->function, in->path, in->method, in->target, in->authorization_type,
		       in->integration_type);
	return ok;
}

static void crawl_rest_stages(struct tt_stack_api *api)
{
	struct tt_apigw_stages list = {0};
	struct tt_err err;
	char *next = NULL;
	const struct tt_stack_stage *s;

	tap_ok(tt_apigw_parse_stages_page(rest_stages, strlen(rest_stages), &list, &next, &err) == 0,
	       "canned GetStages parses");
	tt_stack_api_add_stages(api, &list);
	tt_apigw_stages_clear(&list);
	tap_ok(api->nstages == 2 && strcmp(api->stages[0], "prod") == 0 &&
	           strcmp(api->stages[1], "beta") == 0,
	       "stages: names, in API Gateway's order");
	tap_str_eq(api->access_log_arns[0], "arn:aws:logs:x", "stages: where access logs go");
	s = &api->stage_info[0];
	tap_ok(strcmp(s->deployment_id, "d1") == 0 && s->detailed_metrics &&
	           strcmp(s->logging_level, "INFO") == 0 && !s->auto_deploy,
	       "stages: deployment, detailed metrics, logging level");
	tap_ok(s->nvars == 2 && strcmp(s->vars[0].name, "alias") == 0 &&
	           strcmp(s->vars[0].value, "live") == 0 && strcmp(s->vars[1].name, "fn") == 0 &&
	           strcmp(s->vars[1].value, "submit-feedback") == 0,
	       "stages: stage variables, by name, kept after the answer is gone");
	s = &api->stage_info[1];
	tap_ok(strcmp(s->deployment_id, "") == 0 && !s->detailed_metrics && s->nvars == 1 &&
	           strcmp(s->vars[0].value, "submit-beta") == 0,
	       "stages: each stage its own variables");
}

static void crawl_rest_resources(struct tt_stack_api *api)
{
	struct tt_apigw_resources list = {0};
	struct tt_err err;
	char *next = NULL;
	char *by_stage;

	tap_ok(tt_apigw_parse_resources_page(rest_resources, strlen(rest_resources), &list, &next, &err) == 0,
	       "canned GetResources parses");
	tt_stack_api_add_resources(api, &list);
	tt_apigw_resources_clear(&list);
	tap_ok(api->nroutes == 2, "resources: one route a method, none for a resource without methods");
	tap_ok(route_is(api, 0, "GET /feedback", "", "/feedback", "GET", "", "NONE", "MOCK") &&
	           strcmp(api->route_info[0].integration_uri, "") == 0,
	       "resources: a MOCK method: path, method, authorization, integration type, no URI");
	tap_ok(
	    route_is(api, 1, "POST /feedback", "", "/feedback", "POST", "", "AWS_IAM", "AWS_PROXY"),
	    "resources: a Lambda method (the function chosen per stage: none of its own)");
	tap_str_eq(api->route_info[1].integration_uri, FN_PATH FN_ARN "${stageVariables.fn}/invocations",
	           "resources: the integration URI as written, stage variable and all");
	by_stage = tt_apigw_expand_stage_vars(api->route_info[1].integration_uri, api->stage_info[1].vars,
	                                      api->stage_info[1].nvars);
	tap_str_eq(by_stage, FN_PATH FN_ARN "submit-beta/invocations",
	           "resources: the crawl gives what it takes to name each stage's function");
	free(by_stage);
}

static void crawl_http_routes(struct tt_stack_api *api)
{
	struct tt_apigw_routes routes = {0};
	struct tt_apigw_integrations integrations = {0};
	struct tt_err err;
	char *next = NULL;

	tap_ok(tt_apigw_parse_routes_page(http_routes, strlen(http_routes), &routes, &next, &err) == 0 &&
	           tt_apigw_parse_integrations_page(http_integrations, strlen(http_integrations),
	                                            &integrations, &next, &err) == 0,
	       "canned GetRoutes and GetIntegrations parse");
	tt_stack_api_add_routes(api, &routes, &integrations);
	tt_apigw_routes_clear(&routes);
	tt_apigw_integrations_clear(&integrations);
	tap_ok(api->nroutes == 3, "routes: all of them, in API Gateway's order");
	tap_ok(route_is(api, 0, "POST /feedback", "submit-feedback", "", "", "integrations/i1",
	                "JWT", "AWS_PROXY"),
	       "routes: joined to their integration by id, whatever the order");
	tap_str_eq(api->route_info[0].integration_uri, FN_ARN "submit-feedback:live",
	           "routes: the integration's URI");
	tap_ok(route_is(api, 1, "$default", "", "", "", "integrations/i2", "", "HTTP_PROXY") &&
	           strcmp(api->route_info[1].integration_uri, "https://backend.example") == 0,
	       "routes: an HTTP integration, no function");
	tap_ok(route_is(api, 2, "GET /gone", "", "", "", "integrations/nope", "", "") &&
	           strcmp(api->route_info[2].integration_uri, "") == 0,
	       "routes: a target no integration has: empty, not missing");
}

static void api_crawl_steps(void)
{
	struct tt_stack *st = tt_xcalloc(1, sizeof(*st));

	st->napis = 2;
	st->apis = tt_xcalloc(2, sizeof(*st->apis));
	st->apis[1].http = true;
	crawl_rest_stages(&st->apis[0]);
	crawl_rest_resources(&st->apis[0]);
	crawl_http_routes(&st->apis[1]);
	tt_stack_free(&st);
	tap_ok(st == NULL, "a crawled stack frees whole");
}

int main(void)
{
	cfn_name("arn:aws:cloudformation:eu-west-1:111122223333:stack/platform-FeedbackApp-1AB2/0f1e2d3c-aaaa-bbbb",
		 "platform-FeedbackApp-1AB2");
	cfn_name("arn:aws-us-gov:cloudformation:us-gov-west-1:111122223333:stack/s/id", "s");
	cfn_name("feedback-stack", "feedback-stack");
	cfn_name("arn:aws:lambda:eu-west-1:111122223333:function:stack/x",
		 "arn:aws:lambda:eu-west-1:111122223333:function:stack/x");
	env_tables();
	mapping_owner();
	selection_text();
	api_crawl_steps();
	fn("submit-feedback", "submit-feedback");
	fn("submit-feedback:live", "submit-feedback");
	fn("arn:aws:lambda:eu-west-1:111122223333:function:submit-feedback", "submit-feedback");
	fn("arn:aws:lambda:eu-west-1:111122223333:function:submit-feedback:3", "submit-feedback");
	fn("arn:aws-cn:lambda:cn-north-1:111122223333:function:f", "f");
	fn("111122223333:function:f", "f");
	fn("", NULL);
	fn(NULL, NULL);
	table("arn:aws:dynamodb:us-east-1:111122223333:table/Feedback", "Feedback");
	table("arn:aws:dynamodb:us-east-1:111122223333:table/Feedback/stream/2026-01-01T00:00:00.000", "Feedback");
	table("arn:aws:dynamodb:us-east-1:111122223333:table/Feedback/index/ByStatus", "Feedback");
	table("arn:aws:kinesis:us-east-1:111122223333:stream/table/x", NULL);
	table("arn:aws:sqs:us-east-1:111122223333:queue", NULL);
	table("Feedback", NULL);
	table(NULL, NULL);
	return tap_done();
}
