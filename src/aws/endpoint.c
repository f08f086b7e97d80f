/* Services, regions and endpoints (see endpoint.h for the order of sources).
 * The data here comes from botocore: partitions.json, args.py and the
 * services' endpoint-rule-set-1.json files. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "tiertop/endpoint.h"
#include "tiertop/err.h"
#include "tiertop/profile.h"
#include "tiertop/sanitize.h"
#include "tiertop/str.h"
#include "tiertop/xalloc.h"

#define REGION_MAX 64

struct svc_row {
	struct tt_service_info info;
	/* The rule sets of these services send FIPS requests in aws-us-gov to
	 * the plain host, whose endpoints are FIPS already (without dual-stack:
	 * FIPS and dual-stack together keep "-fips"). For CloudWatch and
	 * DynamoDB, botocore's endpoints.json (python3-botocore 1.29.27) says
	 * the same: the aws-us-gov "fips" variant of monitoring and dynamodb is
	 * "{service}.{region}.{dnsSuffix}". */
	bool gov_fips_plain;
};

static const struct svc_row services[TT_SVC_COUNT] = {
	[TT_SVC_STS] = { { TT_SVC_STS, "sts", "sts", "STS", "sts" }, true },
	[TT_SVC_CLOUDWATCH] = { { TT_SVC_CLOUDWATCH, "monitoring", "monitoring", "CLOUDWATCH",
				  "cloudwatch" }, true },
	[TT_SVC_LOGS] = { { TT_SVC_LOGS, "logs", "logs", "CLOUDWATCH_LOGS", "cloudwatch_logs" }, true },
	[TT_SVC_LAMBDA] = { { TT_SVC_LAMBDA, "lambda", "lambda", "LAMBDA", "lambda" }, false },
	[TT_SVC_APIGATEWAY] = { { TT_SVC_APIGATEWAY, "apigateway", "apigateway", "API_GATEWAY",
				  "api_gateway" }, false },
	[TT_SVC_APIGATEWAYV2] = { { TT_SVC_APIGATEWAYV2, "apigateway", "apigateway", "APIGATEWAYV2",
				    "apigatewayv2" }, false },
	[TT_SVC_DYNAMODB] = { { TT_SVC_DYNAMODB, "dynamodb", "dynamodb", "DYNAMODB", "dynamodb" }, true },
	[TT_SVC_TAGGING] = { { TT_SVC_TAGGING, "tagging", "tagging", "RESOURCE_GROUPS_TAGGING_API",
			       "resource_groups_tagging_api" }, false },
	[TT_SVC_CLOUDFORMATION] = { { TT_SVC_CLOUDFORMATION, "cloudformation", "cloudformation",
				      "CLOUDFORMATION", "cloudformation" }, true },
	[TT_SVC_SSO] = { { TT_SVC_SSO, "portal.sso", "awsssoportal", "SSO", "sso" }, true },
	[TT_SVC_SSO_OIDC] = { { TT_SVC_SSO_OIDC, "oidc", "sso-oauth", "SSO_OIDC", "sso_oidc" }, true },
};

struct partition {
	const char *id;
	const char *prefix;       /* region names that start with this */
	const char *dns_suffix;
	const char *dualstack_suffix; /* NULL: supportsDualStack is false */
};

/* partitions.json matches regions by regular expression; the prefixes say
 * the same for every region name tt_region_valid() accepts. "aws" last. */
static const struct partition partitions[] = {
	{ "aws-cn", "cn-", "amazonaws.com.cn", "api.amazonwebservices.com.cn" },
	{ "aws-us-gov", "us-gov-", "amazonaws.com", "api.aws" },
	{ "aws-iso", "us-iso-", "c2s.ic.gov", NULL },
	{ "aws-iso-b", "us-isob-", "sc2s.sgov.gov", NULL },
	{ "aws-iso-e", "eu-isoe-", "cloud.adc-e.uk", NULL },
	{ "aws-iso-f", "us-isof-", "csp.hci.ic.gov", NULL },
	{ "aws-eusc", "eusc-", "amazonaws.eu", NULL },
	{ "aws", "", "amazonaws.com", "api.aws" },
};

/* botocore args.py LEGACY_GLOBAL_STS_REGIONS (the same list as the STS rule
 * set): with sts_regional_endpoints = legacy these go to sts.amazonaws.com.
 * ap-northeast-2 and ap-northeast-3 are not on it. */
static const char *const legacy_sts_regions[] = {
	"ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "aws-global",
	"ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3",
	"sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2", NULL,
};

const struct tt_service_info *tt_service_info(enum tt_service svc)
{
	if ((unsigned)svc >= TT_SVC_COUNT)
		return NULL;
	return &services[svc].info;
}

/* --- regions ----------------------------------------------------------- */

bool tt_region_valid(const char *region)
{
	size_t n = region ? strlen(region) : 0;

	if (n == 0 || n > REGION_MAX)
		return false;
	if (region[0] == '-' || region[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = region[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
	}
	return true;
}

/* "aws-cn-global" and friends belong to their partition too. */
static const struct partition *partition_of(const char *region)
{
	size_t count = sizeof(partitions) / sizeof(partitions[0]);

	for (size_t i = 0; i + 1 < count; i++) {
		size_t n = strlen(partitions[i].id);
		if (tt_str_starts_with(region, partitions[i].prefix) ||
		    (strncmp(region, partitions[i].id, n) == 0 && strcmp(region + n, "-global") == 0))
			return &partitions[i];
	}
	return &partitions[count - 1];
}

const char *tt_region_partition(const char *region)
{
	return partition_of(region ? region : "")->id;
}

static const char *env_nonempty(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

/* Borrowed value and an owned description of where it came from. */
static const char *find_region(const struct tt_awscfg *cfg, const char *profile,
			       const char *cli_region, char **source)
{
	const char *v;

	*source = NULL;
	if (cli_region) {
		*source = tt_xstrdup("--region");
		return cli_region;
	}
	if ((v = env_nonempty("AWS_REGION"))) {
		*source = tt_xstrdup("AWS_REGION");
		return v;
	}
	if ((v = env_nonempty("AWS_DEFAULT_REGION"))) {
		*source = tt_xstrdup("AWS_DEFAULT_REGION");
		return v;
	}
	v = tt_awscfg_get(cfg, profile, "region");
	if (!v || !*v)
		return NULL;
	*source = tt_xasprintf("profile %s (%s)", profile, tt_awscfg_where(cfg, profile, "region"));
	return v;
}

int tt_region_resolve(const struct tt_awscfg *cfg, const char *profile, const char *cli_region,
		      char **region, char **source, struct tt_err *err)
{
	const char *value;
	char *src, *shown;

	*region = NULL;
	*source = NULL;
	if (!profile)
		profile = "default";
	value = find_region(cfg, profile, cli_region, &src);
	if (!value)
		return tt_err_set(err, TT_ERR_CONFIG,
				  "no region configured: pass --region, set AWS_REGION, or add "
				  "\"region = ...\" to profile %s", profile);
	if (!tt_region_valid(value)) {
		shown = tt_sanitize(value, 0);
		tt_err_set(err, TT_ERR_CONFIG,
			   "%s: \"%s\" is not a region name (lower-case letters, digits and '-', "
			   "like us-east-1)", src, shown);
		free(shown);
		free(src);
		return -1;
	}
	*region = tt_xstrdup(value);
	*source = src;
	return 0;
}

/* --- settings ---------------------------------------------------------- */

/* botocore's chain for a boolean setting: the variable when it is set (even
 * to ""), else the profile's key; only "true", in any case, is true. */
static bool bool_setting(const struct tt_awscfg *cfg, const char *profile, const char *env,
			 const char *key)
{
	const char *v = getenv(env);

	if (!v)
		v = tt_awscfg_get(cfg, profile, key);
	return v && tt_str_parse_bool(v) == 1;
}

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* 1 when sts_regional_endpoints = legacy sends this region's STS calls to
 * the global endpoint, 0 when not, -1 for a value botocore also rejects. */
static int sts_legacy_global(const struct tt_awscfg *cfg, const char *profile, const char *region,
			     struct tt_err *err)
{
	const char *mode = getenv("AWS_STS_REGIONAL_ENDPOINTS");
	char *where;

	/* A set variable wins even when empty (and then means "regional"). */
	if (!mode)
		mode = tt_awscfg_get(cfg, profile, "sts_regional_endpoints");
	if (!mode || !*mode)
		return 0;
	if (getenv("AWS_STS_REGIONAL_ENDPOINTS"))
		where = tt_xstrdup("AWS_STS_REGIONAL_ENDPOINTS");
	else
		where = tt_xasprintf("profile %s (%s)", profile,
				     tt_awscfg_where(cfg, profile, "sts_regional_endpoints"));
	if (strcmp(mode, "legacy") != 0 && strcmp(mode, "regional") != 0) {
		char *shown = tt_sanitize(mode, 0);
		tt_err_set(err, TT_ERR_CONFIG,
			   "%s: sts_regional_endpoints must be \"legacy\" or \"regional\", not \"%s\"",
			   where, shown);
		free(shown);
		free(where);
		return -1;
	}
	free(where);
	return strcmp(mode, "legacy") == 0 && in_list(region, legacy_sts_regions);
}

/* --- configured URLs --------------------------------------------------- */

struct found_url {
	const char *url;  /* borrowed */
	char *source;     /* owned */
};

static bool take(struct found_url *f, const char *url, char *source)
{
	if (!url || !*url) {
		free(source);
		return false;
	}
	f->url = url;
	f->source = source;
	return true;
}

/* Step 4: the profile names a [services NAME] section; a name with no such
 * section is an error, as in botocore. */
static int services_url(const struct tt_awscfg *cfg, const char *profile,
			const struct tt_service_info *info, struct found_url *f, struct tt_err *err)
{
	const char *name = tt_awscfg_get(cfg, profile, "services");
	const char *url;

	if (!name)
		return 0;
	if (!tt_awscfg_has_section(cfg, "services", name)) {
		char *shown = tt_sanitize(name, 0);
		tt_err_set(err, TT_ERR_CONFIG,
			   "profile %s (%s): there is no [services %s] section for \"services = %s\"",
			   profile, tt_awscfg_where(cfg, profile, "services"), shown, shown);
		free(shown);
		return -1;
	}
	url = tt_awscfg_nested_get(cfg, "services", name, info->config_key, "endpoint_url");
	if (url && *url)
		take(f, url, tt_xasprintf("services %s (%s)", name,
					  tt_awscfg_nested_where(cfg, "services", name, info->config_key,
								 "endpoint_url")));
	return 0;
}

static int configured_url(const struct tt_awscfg *cfg, const char *profile,
			  const struct tt_service_info *info, const char *cli_url,
			  struct found_url *f, struct tt_err *err)
{
	const char *url;
	char *var;
	bool found;

	if (cli_url) {
		f->url = cli_url;
		f->source = tt_xstrdup("--endpoint-url");
		return 0;
	}
	if (bool_setting(cfg, profile, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
			 "ignore_configured_endpoint_urls"))
		return 0;
	var = tt_xasprintf("AWS_ENDPOINT_URL_%s", info->env_suffix);
	found = take(f, getenv(var), tt_xstrdup(var));
	free(var);
	if (found || take(f, getenv("AWS_ENDPOINT_URL"), tt_xstrdup("AWS_ENDPOINT_URL")))
		return 0;
	if (services_url(cfg, profile, info, f, err) < 0)
		return -1;
	if (f->url)
		return 0;
	url = tt_awscfg_get(cfg, profile, "endpoint_url");
	if (url && *url)
		take(f, url, tt_xasprintf("profile %s (%s)", profile,
					  tt_awscfg_where(cfg, profile, "endpoint_url")));
	return 0;
}

/* --- building endpoints ----------------------------------------------- */

static void set_endpoint(struct tt_endpoint *out, const char *scheme, const char *host,
			 const char *base_path, const char *signing_region, const char *source)
{
	out->url = tt_xasprintf("%s://%s%s", scheme, host, base_path);
	out->host = tt_xstrdup(host);
	out->base_path = tt_xstrdup(base_path);
	out->signing_region = tt_xstrdup(signing_region);
	out->source = tt_xstrdup(source);
	out->custom = strcmp(source, "default") != 0;
}

static int url_error(const char *source, const char *text, const char *what, struct tt_err *err)
{
	char *shown = tt_sanitize(text, 0);

	tt_err_set(err, TT_ERR_CONFIG, "%s: \"%s\" %s", source, shown, what);
	free(shown);
	return -1;
}

/* curl accepts "http:/h" and "http:///h" as "http://h"; an endpoint setting
 * that looks like that is more likely a typo than a wish. */
static bool has_authority(const char *text, const char *scheme)
{
	size_t n = strlen(scheme);

	return strncasecmp(text, scheme, n) == 0 && strncmp(text + n, "://", 3) == 0 &&
	       text[n + 3] != '/';
}

static bool part_present(CURLU *u, CURLUPart part)
{
	char *v = NULL;
	bool present = curl_url_get(u, part, &v, 0) == CURLUE_OK;

	curl_free(v);
	return present;
}

/* Anything that would not survive as "scheme://host[:port]/base-path". */
static const char *url_problem(CURLU *u, const char *text, const char *scheme)
{
	if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)
		return "is not an http(s) URL";
	if (!has_authority(text, scheme))
		return "is not a URL of the form scheme://host[:port][/path]";
	if (part_present(u, CURLUPART_USER))
		return "must not contain a user name or password";
	if (part_present(u, CURLUPART_QUERY) || part_present(u, CURLUPART_FRAGMENT))
		return "must not contain a query or a fragment";
	return NULL;
}

static char *host_header(const char *scheme, const char *host, const char *port)
{
	long p = port ? strtol(port, NULL, 10) : 0;
	long dflt = strcmp(scheme, "https") == 0 ? 443 : 80;
	char *out = p && p != dflt ? tt_xasprintf("%s:%ld", host, p) : tt_xstrdup(host);

	for (char *c = out; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return out;
}

/* "/" and "/base/" become "" and "/base". */
static char *base_path_of(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	while (n > 0 && path[n - 1] == '/')
		n--;
	return tt_xstrndup(path ? path : "", n);
}

static int fill_custom(CURLU *u, const char *text, const char *source, const char *region,
		       struct tt_endpoint *out, struct tt_err *err)
{
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *hdr, *base;
	const char *problem;
	int rc = -1;

	curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
	problem = scheme ? url_problem(u, text, scheme) : "is not an http(s) URL";
	if (!problem && curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		problem = "has no host";
	if (!problem && curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK &&
	    strtol(port, NULL, 10) == 0)
		problem = "has port 0";
	if (problem) {
		url_error(source, text, problem, err);
	} else {
		curl_url_get(u, CURLUPART_PATH, &path, 0);
		hdr = host_header(scheme, host, port);
		base = base_path_of(path);
		set_endpoint(out, scheme, hdr, base, region, source);
		free(hdr);
		free(base);
		rc = 0;
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	return rc;
}

static int custom_endpoint(const char *text, const char *source, const char *region,
			   struct tt_endpoint *out, struct tt_err *err)
{
	CURLU *u = curl_url();
	CURLUcode uc;
	int rc;

	if (!u)
		return tt_err_set(err, TT_ERR_FAILURE, "out of memory parsing a URL");
	uc = curl_url_set(u, CURLUPART_URL, text, 0);
	if (uc == CURLUE_UNSUPPORTED_SCHEME || uc == CURLUE_BAD_SCHEME) {
		rc = url_error(source, text, "is not an http(s) URL", err);
	} else if (uc != CURLUE_OK) {
		char what[160];
		snprintf(what, sizeof(what), "is not a valid URL (%s)", curl_url_strerror(uc));
		rc = url_error(source, text, what, err);
	} else {
		rc = fill_custom(u, text, source, region, out, err);
	}
	curl_url_cleanup(u);
	return rc;
}

/* --- default endpoints ------------------------------------------------- */

static int default_endpoint(const struct tt_awscfg *cfg, const char *profile,
			    const struct svc_row *row, const char *region,
			    struct tt_endpoint *out, struct tt_err *err)
{
	bool fips = bool_setting(cfg, profile, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint");
	bool dualstack = bool_setting(cfg, profile, "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint");
	const struct partition *part = partition_of(region);
	const char *signing = region;
	const char *dns_suffix = part->dns_suffix;
	const char *suffix = "";
	char *host;
	int global = 0;

	if (row->info.id == TT_SVC_DYNAMODB && strcmp(region, "local") == 0) {
		/* DynamoDB Local, as the DynamoDB rule set spells it. */
		if (fips)
			return tt_err_set(err, TT_ERR_CONFIG,
					  "use_fips_endpoint is set, but DynamoDB region \"local\" "
					  "has no FIPS endpoint");
		if (dualstack)
			return tt_err_set(err, TT_ERR_CONFIG,
					  "use_dualstack_endpoint is set, but DynamoDB region \"local\" "
					  "has no dual-stack endpoint");
		set_endpoint(out, "http", "localhost:8000", "", "us-east-1", "default");
		return 0;
	}
	if (row->info.id == TT_SVC_STS) {
		global = sts_legacy_global(cfg, profile, region, err);
		if (global < 0)
			return -1;
		/* The pseudo-region aws-global is the global endpoint in any mode. */
		if (strcmp(region, "aws-global") == 0) {
			global = 1;
			signing = "us-east-1";
		}
	}
	if (dualstack && !part->dualstack_suffix)
		return tt_err_set(err, TT_ERR_CONFIG,
				  "use_dualstack_endpoint is set, but partition %s (region %s) has no dual-stack "
				  "endpoints", part->id, region);
	if (dualstack)
		dns_suffix = part->dualstack_suffix;
	if (global && !fips && !dualstack) {
		set_endpoint(out, "https", "sts.amazonaws.com", "", "us-east-1", "default");
		return 0;
	}
	if (fips && !(row->gov_fips_plain && !dualstack && strcmp(part->id, "aws-us-gov") == 0))
		suffix = "-fips";
	host = tt_xasprintf("%s%s.%s.%s", row->info.endpoint_prefix, suffix, region, dns_suffix);
	set_endpoint(out, "https", host, "", signing, "default");
	free(host);
	return 0;
}

int tt_endpoint_resolve(const struct tt_awscfg *cfg, const char *profile, enum tt_service svc,
			const char *region, const char *cli_endpoint_url, struct tt_endpoint *out,
			struct tt_err *err)
{
	struct found_url f = { NULL, NULL };
	int rc;

	memset(out, 0, sizeof(*out));
	if ((unsigned)svc >= TT_SVC_COUNT)
		return tt_err_set(err, TT_ERR_FAILURE, "unknown service %d", (int)svc);
	if (!tt_region_valid(region))
		return tt_err_set(err, TT_ERR_CONFIG, "no valid region for the %s endpoint",
				  services[svc].info.config_key);
	if (!profile)
		profile = "default";
	rc = configured_url(cfg, profile, &services[svc].info, cli_endpoint_url, &f, err);
	if (rc == 0 && f.url)
		rc = custom_endpoint(f.url, f.source, region, out, err);
	else if (rc == 0)
		rc = default_endpoint(cfg, profile, &services[svc], region, out, err);
	free(f.source);
	if (rc < 0)
		tt_endpoint_clear(out);
	return rc;
}

void tt_endpoint_clear(struct tt_endpoint *ep)
{
	if (!ep)
		return;
	free(ep->url);
	free(ep->host);
	free(ep->base_path);
	free(ep->signing_region);
	free(ep->source);
	memset(ep, 0, sizeof(*ep));
}
