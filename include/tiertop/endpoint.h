/* Services, regions and endpoints: which host a request goes to, and which
 * region and name it is signed with.
 *
 * Resolution follows botocore (configprovider.py ConfiguredEndpointProvider,
 * args.py, and each service's endpoint-rule-set-1.json) so that a setup that
 * works for `aws` works here, with one SDK-wide change: AWS_REGION is read
 * before AWS_DEFAULT_REGION (botocore reads only the latter).
 *
 * Ownership: tt_service_info() returns a pointer into a static table. The
 * strings of struct tt_endpoint are owned by it; release them with
 * tt_endpoint_clear(). tt_region_resolve() hands both strings to the caller.
 * Errors are TT_ERR_CONFIG and name where the bad setting came from. */
#ifndef TIERTOP_ENDPOINT_H
#define TIERTOP_ENDPOINT_H

#include <stdbool.h>

struct tt_err;
struct tt_awscfg;

enum tt_service {
	TT_SVC_STS,
	TT_SVC_CLOUDWATCH,
	TT_SVC_LOGS,
	TT_SVC_LAMBDA,
	TT_SVC_APIGATEWAY,
	TT_SVC_APIGATEWAYV2,
	TT_SVC_DYNAMODB,
	TT_SVC_TAGGING,
	TT_SVC_CLOUDFORMATION,
	TT_SVC_SSO,
	TT_SVC_SSO_OIDC,
	TT_SVC_COUNT
};

struct tt_service_info {
	enum tt_service id;
	const char *endpoint_prefix;  /* first host label(s): "monitoring", "portal.sso" */
	const char *signing_name;     /* SigV4 service name: "monitoring", "awsssoportal" */
	const char *env_suffix;       /* AWS_ENDPOINT_URL_<env_suffix> */
	const char *config_key;       /* key of a [services NAME] section: "cloudwatch_logs" */
};

/* NULL for a value outside the enum. */
const struct tt_service_info *tt_service_info(enum tt_service svc);

/* Lower-case letters, digits and '-', 1..64 characters, starting and ending
 * with a letter or digit: what can safely become a host label and a
 * credential scope. */
bool tt_region_valid(const char *region);
/* The partition a region belongs to: "aws", "aws-cn", "aws-us-gov", ... (for
 * ARNs and host names). A static string. */
const char *tt_region_partition(const char *region);

/* The region to use: cli_region (--region) when not NULL, else $AWS_REGION,
 * else $AWS_DEFAULT_REGION, else the profile's "region" (empty values count
 * as unset). On success *region and *source are the caller's to free;
 * *source says where the region came from: "--region", "AWS_REGION",
 * "AWS_DEFAULT_REGION" or "profile NAME (FILE:LINE)". profile is the
 * selected profile name (NULL means "default"); cfg may be NULL. */
int tt_region_resolve(const struct tt_awscfg *cfg, const char *profile, const char *cli_region,
		      char **region, char **source, struct tt_err *err);

struct tt_endpoint {
	char *url;            /* "scheme://host[:port][/base-path]", no trailing slash */
	char *host;           /* host[:port] as for the Host header: lower case, the
			       * port only when it is not the scheme's default */
	char *base_path;      /* "" or "/base": request paths go after it */
	char *signing_region; /* the region for the SigV4 scope */
	char *source;         /* "--endpoint-url", "AWS_ENDPOINT_URL_STS",
			       * "AWS_ENDPOINT_URL", "services NAME (FILE:LINE)",
			       * "profile NAME (FILE:LINE)" or "default" */
	bool custom;          /* true unless source is "default" */
};

/* The endpoint for svc in region (already validated, e.g. by
 * tt_region_resolve; for SSO and SSO-OIDC pass the sso_region). Order:
 *   1. cli_endpoint_url (--endpoint-url), when not NULL;
 *   unless $AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (or, when that is unset, the
 *   profile's ignore_configured_endpoint_urls) is "true":
 *   2. $AWS_ENDPOINT_URL_<SVC>   3. $AWS_ENDPOINT_URL
 *   4. the profile's "services = NAME" section: "<key> =" / "  endpoint_url = ..."
 *   5. the profile's endpoint_url;
 *   6. the default: https://<prefix>[-fips].<region>.<partition dns suffix>,
 *      honouring use_fips_endpoint, use_dualstack_endpoint (the partition's
 *      dual-stack suffix, "api.aws"; an error in partitions without one, as
 *      the rule sets have it) and, for STS, sts_regional_endpoints.
 * Custom URLs sign with region; FIPS and dual-stack are ignored for them.
 * On failure *out is left empty (safe to free). */
int tt_endpoint_resolve(const struct tt_awscfg *cfg, const char *profile, enum tt_service svc,
			const char *region, const char *cli_endpoint_url, struct tt_endpoint *out,
			struct tt_err *err);
/* Frees the strings and zeroes *ep; the struct itself is the caller's. */
void tt_endpoint_clear(struct tt_endpoint *ep);

#endif
