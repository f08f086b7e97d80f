/* API Gateway's listings, v1 and v2 (svc_apigw.h). Every operation here is
 * a paginated GET, so one walker serves them all; what differs is the path,
 * the page parameters and which list the pages fill. */
#include <stdlib.h>
#include <string.h>

#include "rest_internal.h"
#include "tiertop/err.h"
#include "tiertop/str.h"
#include "tiertop/svc_apigw.h"
#include "tiertop/xalloc.h"

enum op { OP_REST_APIS, OP_RESOURCES, OP_REST_STAGES, OP_APIS, OP_HTTP_STAGES, OP_ROUTES, OP_INTEGRATIONS };

struct list_call {
	struct tt_aws aws;
	enum op op;
	char *path;
	void *ctx;
	union {
		tt_apigw_rest_apis_fn rest_apis;
		tt_apigw_resources_fn resources;
		tt_apigw_stages_fn stages;
		tt_apigw_apis_fn apis;
		tt_apigw_routes_fn routes;
		tt_apigw_integrations_fn integrations;
	} done;
	union {
		struct tt_apigw_rest_apis rest_apis;
		struct tt_apigw_resources resources;
		struct tt_apigw_stages stages;
		struct tt_apigw_apis apis;
		struct tt_apigw_routes routes;
		struct tt_apigw_integrations integrations;
	} list;
};

static const char *const labels[] = {
    [OP_REST_APIS] = "apigateway GetRestApis",          [OP_RESOURCES] = "apigateway GetResources",
    [OP_REST_STAGES] = "apigateway GetStages",          [OP_APIS] = "apigatewayv2 GetApis",
    [OP_HTTP_STAGES] = "apigatewayv2 GetStages",        [OP_ROUTES] = "apigatewayv2 GetRoutes",
    [OP_INTEGRATIONS] = "apigatewayv2 GetIntegrations",
};

static bool is_v1(enum op op)
{
	return op == OP_REST_APIS || op == OP_RESOURCES || op == OP_REST_STAGES;
}

static struct tt_http_req *page_req(void *ctx, const char *token, struct tt_err *err)
{
	struct list_call *c = ctx;
	bool v1 = is_v1(c->op);
	struct tt_http_req *req =
	    tt_aws_req_new(&c->aws, v1 ? TT_SVC_APIGATEWAY : TT_SVC_APIGATEWAYV2, "GET", c->path, err);

	if (!req)
		return NULL;
	tt_http_req_label(req, labels[c->op]);
	/* v1 answers HAL (application/hal+json, _embedded) unless asked for
	 * plain JSON; botocore always asks. */
	tt_http_req_header(req, "Accept", "application/json");
	if (c->op == OP_REST_APIS || c->op == OP_RESOURCES)
		tt_http_req_query(req, "limit", "500");
	if (c->op == OP_RESOURCES)
		tt_http_req_query(req, "embed", "methods");
	if (token)
		tt_http_req_query(req, v1 ? "position" : "nextToken", token);
	return req;
}

static int page_parse(void *ctx, const char *body, size_t len, char **next, struct tt_err *err)
{
	struct list_call *c = ctx;

	switch (c->op) {
	case OP_REST_APIS:
		return tt_apigw_parse_rest_apis_page(body, len, &c->list.rest_apis, next, err);
	case OP_RESOURCES:
		return tt_apigw_parse_resources_page(body, len, &c->list.resources, next, err);
	case OP_REST_STAGES:
	case OP_HTTP_STAGES:
		return tt_apigw_parse_stages_page(body, len, &c->list.stages, next, err);
	case OP_APIS:
		return tt_apigw_parse_apis_page(body, len, &c->list.apis, next, err);
	case OP_ROUTES:
		return tt_apigw_parse_routes_page(body, len, &c->list.routes, next, err);
	case OP_INTEGRATIONS:
		return tt_apigw_parse_integrations_page(body, len, &c->list.integrations, next, err);
	}
	return tt_err_set(err, TT_ERR_FAILURE, "unknown API Gateway operation");
}

static void report(struct list_call *c, const struct tt_err *err)
{
	bool ok = err == NULL;

	switch (c->op) {
	case OP_REST_APIS:
		c->done.rest_apis(c->ctx, ok ? &c->list.rest_apis : NULL, err);
		tt_apigw_rest_apis_clear(&c->list.rest_apis);
		break;
	case OP_RESOURCES:
		c->done.resources(c->ctx, ok ? &c->list.resources : NULL, err);
		tt_apigw_resources_clear(&c->list.resources);
		break;
	case OP_REST_STAGES:
	case OP_HTTP_STAGES:
		c->done.stages(c->ctx, ok ? &c->list.stages : NULL, err);
		tt_apigw_stages_clear(&c->list.stages);
		break;
	case OP_APIS:
		c->done.apis(c->ctx, ok ? &c->list.apis : NULL, err);
		tt_apigw_apis_clear(&c->list.apis);
		break;
	case OP_ROUTES:
		c->done.routes(c->ctx, ok ? &c->list.routes : NULL, err);
		tt_apigw_routes_clear(&c->list.routes);
		break;
	case OP_INTEGRATIONS:
		c->done.integrations(c->ctx, ok ? &c->list.integrations : NULL, err);
		tt_apigw_integrations_clear(&c->list.integrations);
		break;
	}
}

static void page_done(void *ctx, const struct tt_err *err)
{
	struct list_call *c = ctx;

	report(c, err);
	free(c->path);
	free(c);
}

/* The path is prefix, the API id (percent-encoded) and suffix. */
static struct list_call *call_new(const struct tt_aws *aws, enum op op, const char *prefix, const char *id,
				  const char *suffix, void *ctx)
{
	struct list_call *c = tt_xcalloc(1, sizeof(*c));
	char *label = tt_uri_encode(id, strlen(id), false);

	c->aws = *aws;
	c->op = op;
	c->ctx = ctx;
	c->path = tt_xasprintf("%s%s%s", prefix, label, suffix);
	free(label);
	return c;
}

static int start(struct list_call *c, struct tt_err *err)
{
	if (tt_rj_pages(c->aws.http, page_req, page_parse, page_done, c, err) == 0)
		return 0;
	free(c->path);
	free(c);
	return -1;
}

static int need_id(const char *id, struct tt_err *err)
{
	if (id && *id)
		return 0;
	return tt_err_set(err, TT_ERR_USAGE, "no API id given");
}

int tt_apigw_get_rest_apis(const struct tt_aws *aws, tt_apigw_rest_apis_fn done, void *ctx,
			   struct tt_err *err)
{
	struct list_call *c = call_new(aws, OP_REST_APIS, "/restapis", "", "", ctx);

	c->done.rest_apis = done;
	return start(c, err);
}

int tt_apigw_get_rest_stages(const struct tt_aws *aws, const char *rest_api_id, tt_apigw_stages_fn done,
			     void *ctx, struct tt_err *err)
{
	struct list_call *c;

	if (need_id(rest_api_id, err))
		return -1;
	c = call_new(aws, OP_REST_STAGES, "/restapis/", rest_api_id, "/stages", ctx);
	c->done.stages = done;
	return start(c, err);
}

int tt_apigw_get_resources(const struct tt_aws *aws, const char *rest_api_id, tt_apigw_resources_fn done,
			   void *ctx, struct tt_err *err)
{
	struct list_call *c;

	if (need_id(rest_api_id, err))
		return -1;
	c = call_new(aws, OP_RESOURCES, "/restapis/", rest_api_id, "/resources", ctx);
	c->done.resources = done;
	return start(c, err);
}

int tt_apigw_get_apis(const struct tt_aws *aws, tt_apigw_apis_fn done, void *ctx, struct tt_err *err)
{
	struct list_call *c = call_new(aws, OP_APIS, "/v2/apis", "", "", ctx);

	c->done.apis = done;
	return start(c, err);
}

int tt_apigw_get_http_stages(const struct tt_aws *aws, const char *api_id, tt_apigw_stages_fn done, void *ctx,
			     struct tt_err *err)
{
	struct list_call *c;

	if (need_id(api_id, err))
		return -1;
	c = call_new(aws, OP_HTTP_STAGES, "/v2/apis/", api_id, "/stages", ctx);
	c->done.stages = done;
	return start(c, err);
}

int tt_apigw_get_routes(const struct tt_aws *aws, const char *api_id, tt_apigw_routes_fn done, void *ctx,
			struct tt_err *err)
{
	struct list_call *c;

	if (need_id(api_id, err))
		return -1;
	c = call_new(aws, OP_ROUTES, "/v2/apis/", api_id, "/routes", ctx);
	c->done.routes = done;
	return start(c, err);
}

int tt_apigw_get_integrations(const struct tt_aws *aws, const char *api_id, tt_apigw_integrations_fn done,
			      void *ctx, struct tt_err *err)
{
	struct list_call *c;

	if (need_id(api_id, err))
		return -1;
	c = call_new(aws, OP_INTEGRATIONS, "/v2/apis/", api_id, "/integrations", ctx);
	c->done.integrations = done;
	return start(c, err);
}
