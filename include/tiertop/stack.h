/* The application: its resources sorted into tiers, and the wiring between
 * them (API route -> function from integration URIs; function -> table from
 * event source mappings and from environment variables naming a table).
 * Selected by any mix of CloudFormation stacks, tags, name prefixes and
 * resources named one by one (the config file's [app] lists); what each
 * selects is added together. Filled in with one round of describe calls,
 * a few at a time per service (AWS's request quotas are account-wide and
 * discovery must not burst through them); a large application's event
 * source mappings are listed once for the whole region, not per function.
 *
 * Ownership: tt_stack_discover hands the callback a struct tt_stack that the
 * callback owns (free with tt_stack_free), or NULL with an error. A failure
 * to describe one resource does not sink the others: the resource stays,
 * with its error text in `problem`. A resource named one by one that does
 * not exist is kept too, with a problem that says so.
 *
 * The APIs' part of it is the one API Gateway crawl: tt_stack_crawl_apis
 * runs it alone for a whole region (`tiertop apis`), and both fill in what
 * API Gateway says of stages, methods and routes, not only what the console
 * draws. */
#ifndef TIERTOP_STACK_H
#define TIERTOP_STACK_H

#include <stdbool.h>
#include <stddef.h>

#include "tiertop/aws.h"

struct tt_apigw_integrations;
struct tt_apigw_resources;
struct tt_apigw_routes;
struct tt_apigw_stages;
struct tt_apigw_var;

enum tt_select_kind {
	TT_SELECT_STACK,    /* value: CloudFormation stack name */
	TT_SELECT_TAG,      /* value: "KEY=VALUE" */
	TT_SELECT_PREFIX,   /* value: name prefix ("" = everything in the region) */
	TT_SELECT_FUNCTION, /* value: a function name */
	TT_SELECT_TABLE,    /* value: a table name */
	TT_SELECT_API,      /* value: an API's id or name, REST or HTTP */
};

struct tt_select {
	enum tt_select_kind kind;
	const char *value;
};

/* How a function reaches a table. */
struct tt_stack_link {
	char *table;
	char *via;        /* "event source", or "env VARIABLE" */
};

struct tt_stack_route {
	char *route;      /* "POST /feedback" */
	char *function;   /* function name, or "" when not a Lambda */
};

/* What a route is besides its key and function, as API Gateway states it;
 * "" where the API's kind has none. */
struct tt_stack_route_info {
	char *path;               /* REST: the resource's path */
	char *method;             /* REST: the method's HTTP method */
	char *target;             /* HTTP: "integrations/ID" */
	char *authorization_type;
	char *integration_type;   /* "AWS_PROXY", "MOCK", ... */
	/* As written: a function chosen by stage variable is expanded per stage
	 * (tt_apigw_expand_stage_vars), which the route's function cannot be. */
	char *integration_uri;
};

/* What a stage is besides its name. */
struct tt_stack_stage {
	char *deployment_id;
	char *logging_level;       /* execution logging: "OFF", "ERROR", "INFO" or "" */
	bool detailed_metrics;
	bool auto_deploy;          /* HTTP APIs only */
	struct tt_apigw_var *vars; /* stage variables, sorted by name */
	size_t nvars;
};

struct tt_stack_api {
	bool http;        /* HTTP or WebSocket API (v2); else REST API (v1) */
	bool websocket;   /* v2 with ProtocolType WEBSOCKET: metrics of its own */
	char *id;
	char *name;
	char **stages;
	size_t nstages;
	/* Parallel to stages: where each stage sends its access logs (the
	 * destination ARN, "" when it has none). NULL when not known. */
	char **access_log_arns;
	/* Parallel to stages too; NULL when not known. */
	struct tt_stack_stage *stage_info;
	/* From the API lists; "" where the API's kind has none, NULL in a
	 * stack the crawl did not fill. */
	char *endpoint_type;  /* REST: "REGIONAL", "EDGE", "PRIVATE" */
	char *protocol_type;  /* HTTP: "HTTP" or "WEBSOCKET" */
	char *endpoint;       /* HTTP: "https://ID.execute-api.REGION.amazonaws.com" */
	struct tt_stack_route *routes;
	size_t nroutes;
	/* Parallel to routes; NULL when not known. */
	struct tt_stack_route_info *route_info;
	char *problem;    /* why a detail is missing, or NULL */
};

struct tt_stack_function {
	char *name;
	char *runtime;
	long timeout_s;
	long memory_mb;
	char *log_group;  /* LoggingConfig.LogGroup, else /aws/lambda/NAME; NULL when not described */
	struct tt_stack_link *tables; /* tables it reads from or writes to */
	size_t ntables;
	char *problem;
};

struct tt_stack_table {
	char *name;
	char *billing;    /* "PROVISIONED", "PAY_PER_REQUEST", or "" */
	long long rcu, wcu;
	long long items;
	char *problem;
};

struct tt_stack {
	char *selector;   /* how it was found, for display: "stack feedback-stack + tag team=a" */
	struct tt_stack_api *apis;
	size_t napis;
	struct tt_stack_function *functions;
	size_t nfunctions;
	struct tt_stack_table *tables;
	size_t ntables;
};

typedef void (*tt_stack_fn)(void *ctx, struct tt_stack *stack, const struct tt_err *err);

/* sel[0..n) is only read during the call. n == 0 is a usage error. */
int tt_stack_discover(const struct tt_aws *aws, const struct tt_select *sel, size_t n, tt_stack_fn done,
		      void *ctx, struct tt_err *err);
void tt_stack_free(struct tt_stack **stack);

/* Every REST, HTTP and WebSocket API of aws's region, described as
 * tt_stack_discover describes an application's, and nothing else. Unlike
 * there, the callback always gets the stack (its own to free) and err is
 * the first call that failed, or NULL: the other calls still run, so the
 * stack holds what they found. The callback runs once, before this returns
 * when no call could be sent. */
void tt_stack_crawl_apis(const struct tt_aws *aws, tt_stack_fn done, void *ctx);

/* The crawl's steps, exposed for tests: each adds one answer of API
 * Gateway's to api, copying what it keeps (the lists stay the caller's).
 * Routes are joined to their integrations by id. */
void tt_stack_api_add_stages(struct tt_stack_api *api, const struct tt_apigw_stages *list);
void tt_stack_api_add_resources(struct tt_stack_api *api, const struct tt_apigw_resources *list);
void tt_stack_api_add_routes(struct tt_stack_api *api, const struct tt_apigw_routes *routes,
			     const struct tt_apigw_integrations *integrations);

/* Pure helpers, exposed for tests: the function name in a Lambda ARN or
 * reference (qualifier dropped), and the table name in a DynamoDB table or
 * stream ARN. NULL when s is not one. Caller frees. */
char *tt_stack_function_name(const char *ref);
char *tt_stack_table_name(const char *arn);
/* The stack name in a CloudFormation stack ARN
 * ("arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/ID"), else a copy of
 * s (already a name). Caller frees. */
char *tt_stack_cfn_stack_name(const char *s);
/* The table an environment variable's value names, among the stack's
 * tables: the name itself or the table's ARN. Borrowed from st, or NULL. */
const char *tt_stack_env_table(const struct tt_stack *st, const char *value);
/* The index in st->functions of the function a mapping's FunctionArn (or
 * name, qualifier allowed) belongs to, among the functions described
 * without a problem; -1 when none. */
long tt_stack_mapping_function(const struct tt_stack *st, const char *function_arn);
/* "stack a + tag k=v + prefix p" for sel[0..n). Caller frees. */
char *tt_stack_describe_selection(const struct tt_select *sel, size_t n);

#endif
