/* An AWS call site: the engine, the credentials and the settings that decide
 * where a service's requests go. Every svc_* module takes one of these.
 *
 * Ownership: struct tt_aws only borrows; whoever fills it keeps the engine,
 * configuration, strings and credentials cache alive while requests run.
 * creds == NULL makes unsigned requests (SSO portal, web identity). */
#ifndef TIERTOP_AWS_H
#define TIERTOP_AWS_H

#include <stddef.h>

#include "tiertop/endpoint.h"
#include "tiertop/http.h"

struct tt_awscfg;
struct tt_creds_cache;
struct tt_err;
struct tt_kv;

struct tt_aws {
	struct tt_http *http;
	const struct tt_awscfg *cfg;
	const char *profile;
	const char *region;
	const char *cli_endpoint_url;
	struct tt_creds_cache *creds;
};

/* A request to svc with the endpoint resolved (base path included), the
 * protocol set and signing configured. Caller owns the result until it is
 * submitted. Fails with TT_ERR_CONFIG when the endpoint settings are bad. */
struct tt_http_req *tt_aws_req_new(const struct tt_aws *aws, enum tt_service svc, const char *method,
				   const char *path, struct tt_err *err);

/* awsQuery body: "Action=A&Version=V&k=v..." with form encoding. Caller frees. */
char *tt_aws_query_body(const char *action, const char *version, const struct tt_kv *params,
			size_t n);

#endif
