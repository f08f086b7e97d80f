/* Amazon API Gateway (restJson1, aws-wire.md section 4): REST APIs (v1:
 * APIs, stages, resources with their methods' integrations) and HTTP APIs
 * (v2: APIs, stages, routes, integrations), and finding the Lambda function
 * behind an integration.
 *
 * Calls submit requests (following every page) and report once through their
 * callback; when a call returns -1 nothing was sent and the callback does not
 * run. Results passed to a callback belong to this module and are freed when
 * the callback returns: to keep one, move it out (copy the struct, then zero
 * the original), which is why they are not const.
 *
 * Strings in results are never NULL; a field the answer lacks is "". The
 * parse functions and URI helpers are pure, for tests with canned answers;
 * functions returning char * hand the string to the caller. */
#ifndef TIERTOP_SVC_APIGW_H
#define TIERTOP_SVC_APIGW_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "tiertop/aws.h"

struct tt_err;

struct tt_apigw_var {
	char *name;
	char *value;
};

/* --- REST APIs (v1) ----------------------------------------------------- */

struct tt_apigw_rest_api {
	char *id;
	char *name;
	char *description;
	char *endpoint_type; /* the first of endpointConfiguration.types: "REGIONAL", "EDGE", "PRIVATE" */
	time_t created;
};

struct tt_apigw_rest_apis {
	struct tt_apigw_rest_api *items;
	size_t n;
};

struct tt_apigw_method {
	char *http_method;        /* "GET", "POST", "ANY", ... */
	char *authorization_type; /* "NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS" */
	char *integration_type;   /* "AWS_PROXY", "AWS", "HTTP", "HTTP_PROXY", "MOCK" or "" */
	char *integration_uri;
};

struct tt_apigw_resource {
	char *id;
	char *parent_id;
	char *path;                      /* "/feedback/{id}" */
	struct tt_apigw_method *methods; /* sorted by http_method */
	size_t nmethods;
};

struct tt_apigw_resources {
	struct tt_apigw_resource *items;
	size_t n;
};

/* --- HTTP APIs (v2) ----------------------------------------------------- */

struct tt_apigw_api {
	char *id;
	char *name;
	char *protocol_type; /* "HTTP" or "WEBSOCKET" */
	char *endpoint;
	char *description;
	time_t created;
};

struct tt_apigw_apis {
	struct tt_apigw_api *items;
	size_t n;
};

struct tt_apigw_route {
	char *id;
	char *route_key; /* "POST /feedback", "$default" */
	char *target;    /* "integrations/ID" or "" */
	char *authorization_type;
	bool api_key_required;
};

struct tt_apigw_routes {
	struct tt_apigw_route *items;
	size_t n;
};

struct tt_apigw_integration {
	char *id;
	char *type; /* "AWS_PROXY", "HTTP_PROXY", ... */
	char *uri;
	char *method;
	char *payload_format_version;
	long timeout_ms; /* 0 when absent */
};

struct tt_apigw_integrations {
	struct tt_apigw_integration *items;
	size_t n;
};

/* --- stages, both kinds ------------------------------------------------- */

struct tt_apigw_stage {
	char *name;
	char *deployment_id;
	char *description;
	char *logging_level;       /* execution logging: "OFF", "ERROR", "INFO" or "" */
	char *access_log_arn;      /* where access logs go (accessLogSettings.destinationArn), or "" */
	char *access_log_format;   /* their $context format, or "" */
	bool metrics_enabled;      /* detailed (per method / per route) metrics */
	bool auto_deploy;          /* HTTP APIs only */
	struct tt_apigw_var *vars; /* stage variables, sorted by name */
	size_t nvars;
	time_t created;
	time_t last_updated;
};

struct tt_apigw_stages {
	struct tt_apigw_stage *items;
	size_t n;
};

typedef void (*tt_apigw_rest_apis_fn)(void *ctx, struct tt_apigw_rest_apis *list, const struct tt_err *err);
typedef void (*tt_apigw_resources_fn)(void *ctx, struct tt_apigw_resources *list, const struct tt_err *err);
typedef void (*tt_apigw_apis_fn)(void *ctx, struct tt_apigw_apis *list, const struct tt_err *err);
typedef void (*tt_apigw_routes_fn)(void *ctx, struct tt_apigw_routes *list, const struct tt_err *err);
typedef void (*tt_apigw_integrations_fn)(void *ctx, struct tt_apigw_integrations *list,
					 const struct tt_err *err);
typedef void (*tt_apigw_stages_fn)(void *ctx, struct tt_apigw_stages *list, const struct tt_err *err);

/* REST APIs: GetRestApis (position), GetStages, GetResources with
 * embed=methods so that each method comes with its integration. */
int tt_apigw_get_rest_apis(const struct tt_aws *aws, tt_apigw_rest_apis_fn done, void *ctx,
			   struct tt_err *err);
int tt_apigw_get_rest_stages(const struct tt_aws *aws, const char *rest_api_id, tt_apigw_stages_fn done,
			     void *ctx, struct tt_err *err);
int tt_apigw_get_resources(const struct tt_aws *aws, const char *rest_api_id, tt_apigw_resources_fn done,
			   void *ctx, struct tt_err *err);

/* HTTP APIs: GetApis, GetStages, GetRoutes, GetIntegrations (nextToken). */
int tt_apigw_get_apis(const struct tt_aws *aws, tt_apigw_apis_fn done, void *ctx, struct tt_err *err);
int tt_apigw_get_http_stages(const struct tt_aws *aws, const char *api_id, tt_apigw_stages_fn done, void *ctx,
			     struct tt_err *err);
int tt_apigw_get_routes(const struct tt_aws *aws, const char *api_id, tt_apigw_routes_fn done, void *ctx,
			struct tt_err *err);
int tt_apigw_get_integrations(const struct tt_aws *aws, const char *api_id, tt_apigw_integrations_fn done,
			      void *ctx, struct tt_err *err);

/* --- pure helpers (no network) ---------------------------------------- */

/* The Lambda function an integration URI invokes, or NULL when it is not a
 * Lambda integration. Understands the API Gateway service path
 * ("arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION/
 * invocations", v1 and v2) and a bare function ARN (v2). FUNCTION is
 * returned as written, qualifier ("...:function:NAME:alias") and stage
 * variables ("${stageVariables.fn}") included; percent escapes are decoded. */
char *tt_apigw_lambda_function(const char *uri);

/* s with every ${stageVariables.NAME} replaced by the stage's value; names
 * the stage does not define are left as they are (a caller can tell from
 * tt_apigw_has_stage_vars). */
char *tt_apigw_expand_stage_vars(const char *s, const struct tt_apigw_var *vars, size_t nvars);
bool tt_apigw_has_stage_vars(const char *s);

/* The CloudWatch Logs group an access-log destination ARN names
 * ("arn:aws:logs:REGION:ACCOUNT:log-group:NAME", with or without a
 * trailing ":*"), or NULL when it is not a log group (a Firehose stream,
 * "", malformed). Caller frees. */
char *tt_apigw_access_log_group(const char *arn);

/* The integration id of a v2 route target "integrations/ID", or NULL.
 * Borrowed: points into target. */
const char *tt_apigw_route_integration(const char *target);

int tt_apigw_parse_rest_apis_page(const char *json, size_t len, struct tt_apigw_rest_apis *list, char **next,
				  struct tt_err *err);
int tt_apigw_parse_resources_page(const char *json, size_t len, struct tt_apigw_resources *list, char **next,
				  struct tt_err *err);
/* Both kinds: v1 answers use "item" and "variables", v2 "items" and
 * "stageVariables". */
int tt_apigw_parse_stages_page(const char *json, size_t len, struct tt_apigw_stages *list, char **next,
			       struct tt_err *err);
int tt_apigw_parse_apis_page(const char *json, size_t len, struct tt_apigw_apis *list, char **next,
			     struct tt_err *err);
int tt_apigw_parse_routes_page(const char *json, size_t len, struct tt_apigw_routes *list, char **next,
			       struct tt_err *err);
int tt_apigw_parse_integrations_page(const char *json, size_t len, struct tt_apigw_integrations *list,
				     char **next, struct tt_err *err);

/* Each frees what the struct holds and zeroes it; the struct is the caller's. */
void tt_apigw_rest_api_clear(struct tt_apigw_rest_api *api);
void tt_apigw_api_clear(struct tt_apigw_api *api);
void tt_apigw_rest_apis_clear(struct tt_apigw_rest_apis *list);
void tt_apigw_resources_clear(struct tt_apigw_resources *list);
void tt_apigw_apis_clear(struct tt_apigw_apis *list);
void tt_apigw_routes_clear(struct tt_apigw_routes *list);
void tt_apigw_integrations_clear(struct tt_apigw_integrations *list);
void tt_apigw_stages_clear(struct tt_apigw_stages *list);

#endif
