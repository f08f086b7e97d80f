/* API Gateway's answer parsers (v1 and v2) and URI helpers on arbitrary
 * text. The first byte picks the parser; the rest is the answer. */
#include "fuzz.h"

#include "tiertop/err.h"
#include "tiertop/svc_apigw.h"

#define PAGE(fn_name, type, parse, clear)                                                                           \
	static void fn_name(const char *body, size_t len)                                                           \
	{                                                                                                           \
		type list;                                                                                          \
		struct tt_err err;                                                                                  \
		char *next = NULL;                                                                                  \
		memset(&list, 0, sizeof(list));                                                                     \
		if (parse(body, len, &list, &next, &err) == 0) {                                                    \
			free(next);                                                                                 \
			(void)parse(body, len, &list, &next, &err);                                                 \
		}                                                                                                   \
		free(next);                                                                                         \
		clear(&list);                                                                                       \
	}

PAGE(rest_apis, struct tt_apigw_rest_apis, tt_apigw_parse_rest_apis_page, tt_apigw_rest_apis_clear)
PAGE(resources, struct tt_apigw_resources, tt_apigw_parse_resources_page, tt_apigw_resources_clear)
PAGE(stages, struct tt_apigw_stages, tt_apigw_parse_stages_page, tt_apigw_stages_clear)
PAGE(apis, struct tt_apigw_apis, tt_apigw_parse_apis_page, tt_apigw_apis_clear)
PAGE(routes, struct tt_apigw_routes, tt_apigw_parse_routes_page, tt_apigw_routes_clear)
PAGE(integrations, struct tt_apigw_integrations, tt_apigw_parse_integrations_page, tt_apigw_integrations_clear)

/* Integration URIs and route targets as AWS sends them, and stage
 * variables substituted into them. */
static void helpers(const char *body, size_t len)
{
	char *s = fuzz_str((const uint8_t *)body, len);
	char fn_name[] = "fn", fn_value[] = "${stageVariables.fn}", alias_name[] = "alias", alias_value[] = "live";
	struct tt_apigw_var vars[2] = {{fn_name, fn_value}, {alias_name, alias_value}};
	char *fn, *expanded;

	fn = tt_apigw_lambda_function(s);
	free(fn);
	expanded = tt_apigw_expand_stage_vars(s, vars, 2);
	(void)tt_apigw_has_stage_vars(expanded);
	free(expanded);
	(void)tt_apigw_route_integration(s);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void (*const parsers[])(const char *, size_t) = {
		rest_apis, resources, stages, apis, routes, integrations, helpers,
	};

	if (size == 0)
		return 0;
	parsers[data[0] % (sizeof(parsers) / sizeof(parsers[0]))]((const char *)data + 1, size - 1);
	return 0;
}
