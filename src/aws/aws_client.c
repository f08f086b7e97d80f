/* Turning "call service X" into a request: endpoint, protocol, signing. */
#include <stdlib.h>
#include <string.h>

#include "tiertop/aws.h"
#include "tiertop/err.h"
#include "tiertop/sigv4.h"
#include "tiertop/xalloc.h"

static enum tt_proto protocol_of(enum tt_service svc)
{
	switch (svc) {
	case TT_SVC_STS:
	case TT_SVC_CLOUDFORMATION:
		return TT_PROTO_QUERY;
	case TT_SVC_CLOUDWATCH:
	case TT_SVC_LOGS:
	case TT_SVC_DYNAMODB:
	case TT_SVC_TAGGING:
		return TT_PROTO_JSON;
	default:
		return TT_PROTO_REST_JSON;
	}
}

struct tt_http_req *tt_aws_req_new(const struct tt_aws *aws, enum tt_service svc, const char *method,
				   const char *path, struct tt_err *err)
{
	struct tt_endpoint ep;
	struct tt_http_req *req;
	char *base, *full_path;
	size_t base_len;

	if (tt_endpoint_resolve(aws->cfg, aws->profile, svc, aws->region, aws->cli_endpoint_url, &ep, err))
		return NULL;
	base_len = strlen(ep.url) - strlen(ep.base_path);
	base = tt_xstrndup(ep.url, base_len);
	full_path = tt_xasprintf("%s%s", ep.base_path, path);
	req = tt_http_req_new(method, base, full_path);
	tt_http_req_proto(req, protocol_of(svc));
	if (aws->creds)
		tt_http_req_sign(req, aws->creds, tt_service_info(svc)->signing_name, ep.signing_region);
	free(base);
	free(full_path);
	tt_endpoint_clear(&ep);
	return req;
}

char *tt_aws_query_body(const char *action, const char *version, const struct tt_kv *params, size_t n)
{
	struct tt_kv *all = tt_xcalloc(n + 2, sizeof(*all));
	char *body;

	all[0] = (struct tt_kv){"Action", action};
	all[1] = (struct tt_kv){"Version", version};
	if (n)
		memcpy(all + 2, params, n * sizeof(*params));
	/* The same encoding as a canonical query (%20, never '+'), which every
	 * awsQuery service accepts as form data. */
	body = tt_sigv4_query_string(all, n + 2);
	free(all);
	return body;
}
