/* Lambda's read-only calls: listings and descriptions (svc_lambda.h). Each
 * call keeps a copy of struct tt_aws so the caller's may go out of scope. */
#include <stdlib.h>
#include <string.h>

#include "rest_internal.h"
#include "tiertop/err.h"
#include "tiertop/svc_lambda.h"
#include "tiertop/xalloc.h"

#define LAMBDA_FUNCTIONS "/2015-03-31/functions"
/* ListFunctions never returns more than 50, whatever MaxItems asks. */
#define FUNCTIONS_PAGE "50"
#define ESMS_PAGE      "100"

static void redact_values(json_t *o)
{
	const char *name;
	json_t *value;

	json_object_foreach(o, name, value) json_object_set_new(o, name, json_string("[redacted]"));
}

/* Below o, the values of every "Environment": {"Variables": {...}} and
 * GetFunction's "Code": {"Location": ...}, a presigned URL to the code. */
static void redact_for_log(json_t *o)
{
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_array(o))
		json_array_foreach(o, i, v) redact_for_log(v);
	if (!json_is_object(o))
		return;
	json_object_foreach(o, key, v)
	{
		json_t *vars = strcmp(key, "Environment") == 0 ? json_object_get(v, "Variables") : NULL;
		if (json_is_object(vars))
			redact_values(vars);
		else if (strcmp(key, "Code") == 0 && json_is_string(json_object_get(v, "Location")))
			json_object_set_new(v, "Location", json_string("[redacted]"));
		else
			redact_for_log(v);
	}
}

char *tt_lambda_log_view(const char *body, size_t len)
{
	json_t *root = json_loadb(body, len, 0, NULL);
	char *shown;

	if (!root)
		return NULL;
	redact_for_log(root);
	shown = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	return shown;
}

static struct tt_http_req *lambda_req(const struct tt_aws *aws, const char *path, const char *label,
				      struct tt_err *err)
{
	struct tt_http_req *req = tt_aws_req_new(aws, TT_SVC_LAMBDA, "GET", path, err);

	if (req) {
		tt_http_req_label(req, label);
		tt_http_req_log_filter(req, tt_lambda_log_view);
	}
	return req;
}

/* --- ListFunctions ------------------------------------------------------ */

struct functions_call {
	struct tt_aws aws;
	struct tt_lambda_functions list;
	tt_lambda_functions_fn done;
	void *ctx;
};

static struct tt_http_req *functions_req(void *ctx, const char *token, struct tt_err *err)
{
	struct functions_call *c = ctx;
	struct tt_http_req *req = lambda_req(&c->aws, LAMBDA_FUNCTIONS, "lambda ListFunctions", err);

	if (req) {
		tt_http_req_query(req, "MaxItems", FUNCTIONS_PAGE);
		if (token)
			tt_http_req_query(req, "Marker", token);
	}
	return req;
}

static int functions_page(void *ctx, const char *body, size_t len, char **next, struct tt_err *err)
{
	struct functions_call *c = ctx;

	return tt_lambda_parse_functions_page(body, len, &c->list, next, err);
}

static void functions_done(void *ctx, const struct tt_err *err)
{
	struct functions_call *c = ctx;

	c->done(c->ctx, err ? NULL : &c->list, err);
	tt_lambda_functions_clear(&c->list);
	free(c);
}

int tt_lambda_list_functions(const struct tt_aws *aws, tt_lambda_functions_fn done, void *ctx,
			     struct tt_err *err)
{
	struct functions_call *c = tt_xcalloc(1, sizeof(*c));

	c->aws = *aws;
	c->done = done;
	c->ctx = ctx;
	if (tt_rj_pages(aws->http, functions_req, functions_page, functions_done, c, err)) {
		free(c);
		return -1;
	}
	return 0;
}

/* --- GetFunctionConfiguration ------------------------------------------ */

struct function_call {
	tt_lambda_function_fn config_done;
	void *ctx;
	struct tt_lambda_function config;
};

static int function_answer(void *ctx, const char *body, size_t len, char **next, struct tt_err *err)
{
	struct function_call *c = ctx;

	(void)next;
	return tt_lambda_parse_function(body, len, &c->config, err);
}

static void function_done(void *ctx, const struct tt_err *err)
{
	struct function_call *c = ctx;

	c->config_done(c->ctx, err ? NULL : &c->config, err);
	tt_lambda_function_clear(&c->config);
	free(c);
}

static int get_function(const struct tt_aws *aws, const char *function, const char *qualifier,
			struct function_call *c, struct tt_err *err)
{
	char *path;
	struct tt_http_req *req;

	if (!function || !*function) {
		free(c);
		return tt_err_set(err, TT_ERR_USAGE, "no function name given");
	}
	path = tt_lambda_function_path(function, "/configuration");
	req = lambda_req(aws, path, "lambda GetFunctionConfiguration", err);
	free(path);
	if (!req) {
		free(c);
		return -1;
	}
	if (qualifier && *qualifier)
		tt_http_req_query(req, "Qualifier", qualifier);
	return tt_rj_call(aws->http, req, function_answer, function_done, c);
}

int tt_lambda_get_function_configuration(const struct tt_aws *aws, const char *function,
					 const char *qualifier, tt_lambda_function_fn done, void *ctx,
					 struct tt_err *err)
{
	struct function_call *c = tt_xcalloc(1, sizeof(*c));

	c->config_done = done;
	c->ctx = ctx;
	return get_function(aws, function, qualifier, c, err);
}

/* --- ListEventSourceMappings -------------------------------------------- */

struct esms_call {
	struct tt_aws aws;
	char *function;
	struct tt_lambda_esms list;
	tt_lambda_esms_fn done;
	void *ctx;
};

static struct tt_http_req *esms_req(void *ctx, const char *token, struct tt_err *err)
{
	struct esms_call *c = ctx;
	struct tt_http_req *req =
	    lambda_req(&c->aws, "/2015-03-31/event-source-mappings", "lambda ListEventSourceMappings", err);

	if (req) {
		tt_http_req_query(req, "MaxItems", ESMS_PAGE);
		if (c->function)
			tt_http_req_query(req, "FunctionName", c->function);
		if (token)
			tt_http_req_query(req, "Marker", token);
	}
	return req;
}

static int esms_page(void *ctx, const char *body, size_t len, char **next, struct tt_err *err)
{
	struct esms_call *c = ctx;

	return tt_lambda_parse_esms_page(body, len, &c->list, next, err);
}

static void esms_done(void *ctx, const struct tt_err *err)
{
	struct esms_call *c = ctx;

	c->done(c->ctx, err ? NULL : &c->list, err);
	tt_lambda_esms_clear(&c->list);
	free(c->function);
	free(c);
}

int tt_lambda_list_event_source_mappings(const struct tt_aws *aws, const char *function,
					 tt_lambda_esms_fn done, void *ctx, struct tt_err *err)
{
	struct esms_call *c = tt_xcalloc(1, sizeof(*c));

	c->aws = *aws;
	c->function = function && *function ? tt_xstrdup(function) : NULL;
	c->done = done;
	c->ctx = ctx;
	if (tt_rj_pages(aws->http, esms_req, esms_page, esms_done, c, err)) {
		free(c->function);
		free(c);
		return -1;
	}
	return 0;
}
