/* Services, regions and endpoints: every source in its order, the ignore
 * switches, partitions, STS global endpoints, FIPS, and URL validation.
 * Default hosts were checked against botocore's endpoint rule sets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "testutil.h"
#include "tiertop/endpoint.h"
#include "tiertop/err.h"
#include "tiertop/profile.h"
#include "tiertop/xalloc.h"

extern char **environ;

static char *dir;
static char *config_path;

/* Nothing from the developer's shell may leak into the tests. */
static void clear_aws_env(void)
{
	for (;;) {
		char **e;
		char *name = NULL;

		for (e = environ; *e; e++) {
			if (strncmp(*e, "AWS_", 4) == 0) {
				name = tt_xstrndup(*e, strcspn(*e, "="));
				break;
			}
		}
		if (!name)
			return;
		unsetenv(name);
		free(name);
	}
}

static struct tt_awscfg *load(const char *config)
{
	struct tt_awscfg *cfg = NULL;
	struct tt_err err;

	free(config_path);
	config_path = tt_xasprintf("%s/config", dir);
	tu_write_file(config_path, config);
	if (tt_awscfg_load_paths(&cfg, config_path, NULL, &err) < 0)
		printf("# unexpected error: %s\n", err.message);
	return cfg;
}

/* Resolves and compares url, host, signing region and source in one go. */
static void expect_ep(const struct tt_awscfg *cfg, const char *profile, enum tt_service svc,
		      const char *region, const char *cli, const char *url, const char *signing,
		      const char *source, const char *what)
{
	struct tt_endpoint ep;
	struct tt_err err;
	char label[256];

	tt_err_clear(&err);
	if (!tap_ok(tt_endpoint_resolve(cfg, profile, svc, region, cli, &ep, &err) == 0, "%s: resolves", what)) {
		printf("# error: %s\n", err.message);
		return;
	}
	snprintf(label, sizeof(label), "%s: url", what);
	tap_str_eq(ep.url, url, label);
	if (signing) {
		snprintf(label, sizeof(label), "%s: signing region", what);
		tap_str_eq(ep.signing_region, signing, label);
	}
	if (source) {
		snprintf(label, sizeof(label), "%s: source", what);
		tap_str_eq(ep.source, source, label);
	}
	tt_endpoint_clear(&ep);
}

static void expect_ep_error(const struct tt_awscfg *cfg, const char *profile, enum tt_service svc,
			    const char *region, const char *cli, const char *message, const char *what)
{
	struct tt_endpoint ep;
	struct tt_err err;
	int rc;

	tt_err_clear(&err);
	rc = tt_endpoint_resolve(cfg, profile, svc, region, cli, &ep, &err);
	tap_ok(rc == -1 && err.kind == TT_ERR_CONFIG && ep.url == NULL, "%s: fails", what);
	tap_str_eq(err.message, message, what);
}

/* --- services ---------------------------------------------------------- */

static void test_service_table(void)
{
	static const struct {
		enum tt_service svc;
		const char *prefix, *signing, *env, *key;
	} want[] = {
		{ TT_SVC_STS, "sts", "sts", "STS", "sts" },
		{ TT_SVC_CLOUDWATCH, "monitoring", "monitoring", "CLOUDWATCH", "cloudwatch" },
		{ TT_SVC_LOGS, "logs", "logs", "CLOUDWATCH_LOGS", "cloudwatch_logs" },
		{ TT_SVC_LAMBDA, "lambda", "lambda", "LAMBDA", "lambda" },
		{ TT_SVC_APIGATEWAY, "apigateway", "apigateway", "API_GATEWAY", "api_gateway" },
		{ TT_SVC_APIGATEWAYV2, "apigateway", "apigateway", "APIGATEWAYV2", "apigatewayv2" },
		{ TT_SVC_DYNAMODB, "dynamodb", "dynamodb", "DYNAMODB", "dynamodb" },
		{ TT_SVC_TAGGING, "tagging", "tagging", "RESOURCE_GROUPS_TAGGING_API",
		  "resource_groups_tagging_api" },
		{ TT_SVC_CLOUDFORMATION, "cloudformation", "cloudformation", "CLOUDFORMATION", "cloudformation" },
		{ TT_SVC_SSO, "portal.sso", "awsssoportal", "SSO", "sso" },
		{ TT_SVC_SSO_OIDC, "oidc", "sso-oauth", "SSO_OIDC", "sso_oidc" },
	};

	tap_ok(sizeof(want) / sizeof(want[0]) == TT_SVC_COUNT, "every service is checked");
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct tt_service_info *info = tt_service_info(want[i].svc);
		bool same = info && info->id == want[i].svc && strcmp(info->endpoint_prefix, want[i].prefix) == 0 &&
			    strcmp(info->signing_name, want[i].signing) == 0 &&
			    strcmp(info->env_suffix, want[i].env) == 0 && strcmp(info->config_key, want[i].key) == 0;
		tap_ok(same, "service table row %s", want[i].key);
	}
	tap_ok(tt_service_info(TT_SVC_COUNT) == NULL, "out of range service");
}

/* --- regions ----------------------------------------------------------- */

static void expect_region(const struct tt_awscfg *cfg, const char *profile, const char *cli,
			  const char *region, const char *source, const char *what)
{
	char *r = NULL, *s = NULL;
	struct tt_err err;
	char label[256];

	tt_err_clear(&err);
	if (!tap_ok(tt_region_resolve(cfg, profile, cli, &r, &s, &err) == 0, "%s: resolves", what))
		printf("# error: %s\n", err.message);
	snprintf(label, sizeof(label), "%s: region", what);
	tap_str_eq(r, region, label);
	snprintf(label, sizeof(label), "%s: source", what);
	tap_str_eq(s, source, label);
	free(r);
	free(s);
}

static void expect_region_error(const struct tt_awscfg *cfg, const char *profile, const char *cli,
				const char *message, const char *what)
{
	char *r = NULL, *s = NULL;
	struct tt_err err;
	int rc;

	tt_err_clear(&err);
	rc = tt_region_resolve(cfg, profile, cli, &r, &s, &err);
	tap_ok(rc == -1 && err.kind == TT_ERR_CONFIG && !r && !s, "%s: fails", what);
	tap_str_eq(err.message, message, what);
}

static void test_region(void)
{
	struct tt_awscfg *cfg = load("[default]\nregion = eu-west-1\n[profile bare]\n"
				     "[profile bad]\nregion = Eu-West-1\n[profile blank]\nregion =\n");
	char *src = tt_xasprintf("profile default (%s:2)", config_path);
	char *msg;

	clear_aws_env();
	expect_region(cfg, "default", NULL, "eu-west-1", src, "profile region");
	setenv("AWS_DEFAULT_REGION", "us-west-1", 1);
	expect_region(cfg, "default", NULL, "us-west-1", "AWS_DEFAULT_REGION", "AWS_DEFAULT_REGION over profile");
	setenv("AWS_REGION", "us-west-2", 1);
	expect_region(cfg, "default", NULL, "us-west-2", "AWS_REGION", "AWS_REGION over AWS_DEFAULT_REGION");
	expect_region(cfg, "default", "ap-south-1", "ap-south-1", "--region", "--region over everything");
	setenv("AWS_REGION", "", 1);
	expect_region(cfg, "default", NULL, "us-west-1", "AWS_DEFAULT_REGION", "empty AWS_REGION is unset");
	clear_aws_env();
	expect_region(cfg, NULL, NULL, "eu-west-1", src, "NULL profile means default");
	free(src);

	expect_region_error(cfg, "bare", NULL,
			    "no region configured: pass --region, set AWS_REGION, or add "
			    "\"region = ...\" to profile bare", "no region anywhere");
	expect_region_error(cfg, "blank", NULL,
			    "no region configured: pass --region, set AWS_REGION, or add "
			    "\"region = ...\" to profile blank", "empty profile region");
	expect_region_error(NULL, "default", NULL,
			    "no region configured: pass --region, set AWS_REGION, or add "
			    "\"region = ...\" to profile default", "no files at all");
	msg = tt_xasprintf("profile bad (%s:5): \"Eu-West-1\" is not a region name (lower-case "
			   "letters, digits and '-', like us-east-1)", config_path);
	expect_region_error(cfg, "bad", NULL, msg, "upper case in profile region");
	free(msg);
	expect_region_error(cfg, "default", "us east 1",
			    "--region: \"us east 1\" is not a region name (lower-case letters, digits and "
			    "'-', like us-east-1)", "space in --region");
	expect_region_error(cfg, "default", "",
			    "--region: \"\" is not a region name (lower-case letters, digits and "
			    "'-', like us-east-1)", "empty --region");
	setenv("AWS_REGION", "us-east-1\x1b]0;x", 1);
	expect_region_error(cfg, "default", NULL,
			    "AWS_REGION: \"us-east-1^[]0;x\" is not a region name (lower-case letters, "
			    "digits and '-', like us-east-1)", "escape sequence shown visibly");
	clear_aws_env();

	tap_ok(tt_region_valid("us-east-1") && tt_region_valid("local") && tt_region_valid("aws-global"),
	       "valid regions");
	tap_ok(!tt_region_valid("-us") && !tt_region_valid("us-") && !tt_region_valid("") &&
	       !tt_region_valid(NULL) && !tt_region_valid("us_east_1") && !tt_region_valid("us.east"),
	       "invalid regions");
	tap_ok(tt_region_valid("a234567890123456789012345678901234567890123456789012345678901234") &&
	       !tt_region_valid("a2345678901234567890123456789012345678901234567890123456789012345"),
	       "64 characters at most");
	tt_awscfg_free(&cfg);
}

static void test_partitions(void)
{
	tap_str_eq(tt_region_partition("us-east-1"), "aws", "partition aws");
	tap_str_eq(tt_region_partition("cn-north-1"), "aws-cn", "partition aws-cn");
	tap_str_eq(tt_region_partition("us-gov-west-1"), "aws-us-gov", "partition aws-us-gov");
	tap_str_eq(tt_region_partition("us-iso-east-1"), "aws-iso", "partition aws-iso");
	tap_str_eq(tt_region_partition("us-isob-east-1"), "aws-iso-b", "partition aws-iso-b");
	tap_str_eq(tt_region_partition("aws-cn-global"), "aws-cn", "partition of aws-cn-global");
	tap_str_eq(tt_region_partition("xx-new-1"), "aws", "unknown regions are aws");

	expect_ep(NULL, "default", TT_SVC_LAMBDA, "us-east-1", NULL, "https://lambda.us-east-1.amazonaws.com",
		  "us-east-1", "default", "lambda us-east-1");
	expect_ep(NULL, "default", TT_SVC_CLOUDWATCH, "cn-north-1", NULL,
		  "https://monitoring.cn-north-1.amazonaws.com.cn", "cn-north-1", NULL, "cloudwatch China");
	expect_ep(NULL, "default", TT_SVC_LOGS, "us-gov-west-1", NULL, "https://logs.us-gov-west-1.amazonaws.com",
		  "us-gov-west-1", NULL, "logs GovCloud");
	expect_ep(NULL, "default", TT_SVC_LAMBDA, "us-iso-east-1", NULL, "https://lambda.us-iso-east-1.c2s.ic.gov",
		  NULL, NULL, "lambda ISO");
	expect_ep(NULL, "default", TT_SVC_TAGGING, "eusc-de-east-1", NULL,
		  "https://tagging.eusc-de-east-1.amazonaws.eu", NULL, NULL, "tagging EU sovereign cloud");
	expect_ep(NULL, "default", TT_SVC_SSO, "eu-central-1", NULL, "https://portal.sso.eu-central-1.amazonaws.com",
		  "eu-central-1", NULL, "sso portal");
	expect_ep(NULL, "default", TT_SVC_SSO_OIDC, "cn-north-1", NULL, "https://oidc.cn-north-1.amazonaws.com.cn",
		  NULL, NULL, "sso oidc China");
	expect_ep(NULL, "default", TT_SVC_APIGATEWAYV2, "eu-west-1", NULL,
		  "https://apigateway.eu-west-1.amazonaws.com", NULL, NULL, "apigatewayv2 shares the host");
	expect_ep(NULL, "default", TT_SVC_DYNAMODB, "local", NULL, "http://localhost:8000", "us-east-1", "default",
		  "DynamoDB region local");
}

static void test_default_fields(void)
{
	struct tt_endpoint ep;
	struct tt_err err;

	tap_ok(tt_endpoint_resolve(NULL, NULL, TT_SVC_DYNAMODB, "eu-west-1", NULL, &ep, &err) == 0,
	       "default endpoint resolves");
	tap_str_eq(ep.host, "dynamodb.eu-west-1.amazonaws.com", "default host");
	tap_str_eq(ep.base_path, "", "default base path");
	tap_ok(!ep.custom, "default is not custom");
	tt_endpoint_clear(&ep);
	tap_ok(ep.url == NULL && ep.host == NULL, "free zeroes the struct");
	tt_endpoint_clear(&ep);
	tap_ok(ep.url == NULL && ep.host == NULL && ep.base_path == NULL, "clearing twice leaves it zeroed");
}

/* --- STS and FIPS ------------------------------------------------------ */

static void test_sts(void)
{
	struct tt_awscfg *cfg = load("[profile legacy]\nsts_regional_endpoints = legacy\n"
				     "[profile weird]\nsts_regional_endpoints = Legacy\n");
	char *msg;

	clear_aws_env();
	expect_ep(NULL, "default", TT_SVC_STS, "us-east-1", NULL, "https://sts.us-east-1.amazonaws.com",
		  "us-east-1", NULL, "STS regional by default");
	expect_ep(NULL, "default", TT_SVC_STS, "aws-global", NULL, "https://sts.amazonaws.com", "us-east-1",
		  NULL, "STS aws-global");
	setenv("AWS_STS_REGIONAL_ENDPOINTS", "legacy", 1);
	expect_ep(NULL, "default", TT_SVC_STS, "us-east-1", NULL, "https://sts.amazonaws.com", "us-east-1",
		  "default", "STS legacy us-east-1");
	expect_ep(NULL, "default", TT_SVC_STS, "eu-west-3", NULL, "https://sts.amazonaws.com", "us-east-1",
		  NULL, "STS legacy eu-west-3");
	expect_ep(NULL, "default", TT_SVC_STS, "ap-northeast-2", NULL, "https://sts.ap-northeast-2.amazonaws.com",
		  "ap-northeast-2", NULL, "STS legacy: ap-northeast-2 is not a legacy global region");
	expect_ep(NULL, "default", TT_SVC_STS, "af-south-1", NULL, "https://sts.af-south-1.amazonaws.com",
		  "af-south-1", NULL, "STS legacy: newer regions stay regional");
	expect_ep(NULL, "default", TT_SVC_LAMBDA, "us-east-1", NULL, "https://lambda.us-east-1.amazonaws.com",
		  NULL, NULL, "legacy only affects STS");
	setenv("AWS_USE_FIPS_ENDPOINT", "true", 1);
	expect_ep(NULL, "default", TT_SVC_STS, "us-east-1", NULL, "https://sts-fips.us-east-1.amazonaws.com",
		  "us-east-1", NULL, "STS legacy + FIPS is regional FIPS");
	unsetenv("AWS_USE_FIPS_ENDPOINT");
	setenv("AWS_STS_REGIONAL_ENDPOINTS", "regional", 1);
	expect_ep(cfg, "legacy", TT_SVC_STS, "us-east-1", NULL, "https://sts.us-east-1.amazonaws.com", NULL, NULL,
		  "AWS_STS_REGIONAL_ENDPOINTS over the profile");
	setenv("AWS_STS_REGIONAL_ENDPOINTS", "", 1);
	expect_ep(cfg, "legacy", TT_SVC_STS, "us-east-1", NULL, "https://sts.us-east-1.amazonaws.com", NULL, NULL,
		  "empty AWS_STS_REGIONAL_ENDPOINTS means regional");
	unsetenv("AWS_STS_REGIONAL_ENDPOINTS");
	expect_ep(cfg, "legacy", TT_SVC_STS, "us-west-2", NULL, "https://sts.amazonaws.com", "us-east-1", NULL,
		  "profile sts_regional_endpoints = legacy");
	msg = tt_xasprintf("profile weird (%s:4): sts_regional_endpoints must be \"legacy\" or "
			   "\"regional\", not \"Legacy\"", config_path);
	expect_ep_error(cfg, "weird", TT_SVC_STS, "us-east-1", NULL, msg, "bad sts_regional_endpoints");
	free(msg);
	setenv("AWS_STS_REGIONAL_ENDPOINTS", "global", 1);
	expect_ep_error(NULL, "default", TT_SVC_STS, "us-east-1", NULL,
			"AWS_STS_REGIONAL_ENDPOINTS: sts_regional_endpoints must be \"legacy\" or "
			"\"regional\", not \"global\"", "bad AWS_STS_REGIONAL_ENDPOINTS");
	clear_aws_env();
	tt_awscfg_free(&cfg);
}

static void test_fips(void)
{
	struct tt_awscfg *cfg = load("[profile f]\nuse_fips_endpoint = true\n");

	clear_aws_env();
	expect_ep(cfg, "f", TT_SVC_LAMBDA, "us-east-1", NULL, "https://lambda-fips.us-east-1.amazonaws.com",
		  "us-east-1", "default", "profile use_fips_endpoint");
	setenv("AWS_USE_FIPS_ENDPOINT", "false", 1);
	expect_ep(cfg, "f", TT_SVC_LAMBDA, "us-east-1", NULL, "https://lambda.us-east-1.amazonaws.com", NULL,
		  NULL, "AWS_USE_FIPS_ENDPOINT=false over the profile");
	setenv("AWS_USE_FIPS_ENDPOINT", "TRUE", 1);
	expect_ep(NULL, "default", TT_SVC_CLOUDWATCH, "us-east-2", NULL,
		  "https://monitoring-fips.us-east-2.amazonaws.com", NULL, NULL, "FIPS any case");
	expect_ep(NULL, "default", TT_SVC_SSO, "us-east-1", NULL, "https://portal.sso-fips.us-east-1.amazonaws.com",
		  NULL, NULL, "FIPS sso portal");
	expect_ep(NULL, "default", TT_SVC_LAMBDA, "us-gov-east-1", NULL,
		  "https://lambda-fips.us-gov-east-1.amazonaws.com", NULL, NULL, "FIPS lambda GovCloud");
	expect_ep(NULL, "default", TT_SVC_STS, "us-gov-west-1", NULL, "https://sts.us-gov-west-1.amazonaws.com",
		  NULL, NULL, "FIPS STS GovCloud uses the plain host");
	expect_ep(NULL, "default", TT_SVC_LOGS, "us-gov-east-1", NULL, "https://logs.us-gov-east-1.amazonaws.com",
		  NULL, NULL, "FIPS logs GovCloud uses the plain host");
	expect_ep(NULL, "default", TT_SVC_CLOUDFORMATION, "us-gov-east-1", NULL,
		  "https://cloudformation.us-gov-east-1.amazonaws.com", NULL, NULL,
		  "FIPS CloudFormation GovCloud uses the plain host");
	expect_ep(NULL, "default", TT_SVC_SSO_OIDC, "us-gov-west-1", NULL, "https://oidc.us-gov-west-1.amazonaws.com",
		  NULL, NULL, "FIPS OIDC GovCloud uses the plain host");
	expect_ep(NULL, "default", TT_SVC_APIGATEWAYV2, "cn-north-1", NULL,
		  "https://apigateway-fips.cn-north-1.amazonaws.com.cn", NULL, NULL, "FIPS China");
	expect_ep(NULL, "default", TT_SVC_LAMBDA, "us-east-1", "http://localhost:4566", "http://localhost:4566",
		  "us-east-1", "--endpoint-url", "FIPS is ignored for a custom endpoint");
	expect_ep_error(NULL, "default", TT_SVC_DYNAMODB, "local", NULL,
			"use_fips_endpoint is set, but DynamoDB region \"local\" has no FIPS endpoint",
			"FIPS and DynamoDB local");
	setenv("AWS_USE_FIPS_ENDPOINT", "yes", 1);
	expect_ep(NULL, "default", TT_SVC_LAMBDA, "us-east-1", NULL, "https://lambda.us-east-1.amazonaws.com",
		  NULL, NULL, "only \"true\" is true");
	clear_aws_env();
	tt_awscfg_free(&cfg);
}

/* botocore's endpoints.json (Debian python3-botocore 1.29.27) lists the FIPS
 * variant of monitoring and dynamodb in aws-us-gov as the plain host
 * ("monitoring.{region}.{dnsSuffix}", tags ["fips"]), and both services'
 * endpoint-rule-set-1.json send UseFIPS in aws-us-gov there. */
static void test_gov_fips(void)
{
	struct tt_awscfg *cfg = load("[profile f]\nuse_fips_endpoint = true\n");

	clear_aws_env();
	expect_ep(cfg, "f", TT_SVC_CLOUDWATCH, "us-gov-west-1", NULL, "https://monitoring.us-gov-west-1.amazonaws.com",
		  "us-gov-west-1", "default", "FIPS CloudWatch GovCloud uses the plain host");
	expect_ep(cfg, "f", TT_SVC_DYNAMODB, "us-gov-west-1", NULL, "https://dynamodb.us-gov-west-1.amazonaws.com",
		  "us-gov-west-1", "default", "FIPS DynamoDB GovCloud uses the plain host");
	expect_ep(cfg, "f", TT_SVC_DYNAMODB, "us-gov-east-1", NULL, "https://dynamodb.us-gov-east-1.amazonaws.com",
		  NULL, NULL, "FIPS DynamoDB us-gov-east-1 too");
	expect_ep(cfg, "f", TT_SVC_DYNAMODB, "us-east-1", NULL, "https://dynamodb-fips.us-east-1.amazonaws.com",
		  NULL, NULL, "FIPS DynamoDB elsewhere has -fips");
	expect_ep(cfg, "f", TT_SVC_CLOUDWATCH, "cn-north-1", NULL,
		  "https://monitoring-fips.cn-north-1.amazonaws.com.cn", NULL, NULL, "FIPS CloudWatch China has -fips");
	tt_awscfg_free(&cfg);
}

/* The rule sets build "<prefix>[-fips].<region>.<dualStackDnsSuffix>" for
 * every service when UseDualStack is set, and fail for partitions whose
 * partitions.json entry has supportsDualStack false (the ISO ones). */
static void test_dualstack(void)
{
	struct tt_awscfg *cfg = load("[profile d]\nuse_dualstack_endpoint = true\n"
				     "[profile df]\nuse_dualstack_endpoint = true\nuse_fips_endpoint = true\n");

	clear_aws_env();
	expect_ep(cfg, "d", TT_SVC_LAMBDA, "us-east-1", NULL, "https://lambda.us-east-1.api.aws", "us-east-1",
		  "default", "profile use_dualstack_endpoint");
	expect_ep(cfg, "d", TT_SVC_CLOUDWATCH, "eu-west-1", NULL, "https://monitoring.eu-west-1.api.aws", NULL, NULL,
		  "dualstack CloudWatch");
	expect_ep(cfg, "d", TT_SVC_LAMBDA, "cn-north-1", NULL, "https://lambda.cn-north-1.api.amazonwebservices.com.cn",
		  NULL, NULL, "dualstack China");
	expect_ep(cfg, "df", TT_SVC_DYNAMODB, "us-east-1", NULL, "https://dynamodb-fips.us-east-1.api.aws", NULL,
		  NULL, "dualstack and FIPS");
	expect_ep(cfg, "df", TT_SVC_CLOUDWATCH, "us-gov-west-1", NULL, "https://monitoring-fips.us-gov-west-1.api.aws",
		  NULL, NULL, "dualstack and FIPS in GovCloud keep -fips");
	expect_ep(cfg, "d", TT_SVC_LAMBDA, "us-east-1", "http://localhost:4566", "http://localhost:4566", NULL,
		  "--endpoint-url", "dualstack is ignored for a custom endpoint");
	expect_ep_error(cfg, "d", TT_SVC_LAMBDA, "us-iso-east-1", NULL,
			"use_dualstack_endpoint is set, but partition aws-iso (region us-iso-east-1) has no "
			"dual-stack endpoints",
			"dualstack in a partition without it");
	expect_ep_error(cfg, "d", TT_SVC_DYNAMODB, "local", NULL,
			"use_dualstack_endpoint is set, but DynamoDB region \"local\" has no dual-stack endpoint",
			"dualstack and DynamoDB local");
	setenv("AWS_USE_DUALSTACK_ENDPOINT", "true", 1);
	expect_ep(NULL, "default", TT_SVC_CLOUDFORMATION, "us-west-2", NULL,
		  "https://cloudformation.us-west-2.api.aws", NULL, NULL, "AWS_USE_DUALSTACK_ENDPOINT");
	expect_ep(NULL, "default", TT_SVC_STS, "eu-west-1", NULL, "https://sts.eu-west-1.api.aws", "eu-west-1", NULL,
		  "dualstack STS");
	setenv("AWS_USE_DUALSTACK_ENDPOINT", "false", 1);
	expect_ep(cfg, "d", TT_SVC_LAMBDA, "us-east-1", NULL, "https://lambda.us-east-1.amazonaws.com", NULL, NULL,
		  "AWS_USE_DUALSTACK_ENDPOINT=false over the profile");
	clear_aws_env();
	tt_awscfg_free(&cfg);
}

/* --- configured endpoints --------------------------------------------- */

static const char precedence_config[] =
	"[default]\n"
	"services = local\n"
	"endpoint_url = http://profile-global:1\n"
	"[profile noservices]\n"
	"endpoint_url = http://profile-only:2\n"
	"[profile missing]\n"
	"services = nosuch\n"
	"[profile ignoring]\n"
	"services = local\n"
	"ignore_configured_endpoint_urls = true\n"
	"[services local]\n"
	"sts =\n"
	"  endpoint_url = http://services-sts:3\n"
	"cloudwatch_logs =\n"
	"  endpoint_url = http://services-logs:4/base/\n";

static void test_precedence(void)
{
	struct tt_awscfg *cfg = load(precedence_config);
	char *svc_src = tt_xasprintf("services local (%s:13)", config_path);
	char *prof_src = tt_xasprintf("profile default (%s:3)", config_path);
	char *msg;

	clear_aws_env();
	expect_ep(cfg, "default", TT_SVC_STS, "us-east-1", NULL, "http://services-sts:3", "us-east-1", svc_src,
		  "services section");
	expect_ep(cfg, "default", TT_SVC_LAMBDA, "us-east-1", NULL, "http://profile-global:1", NULL, prof_src,
		  "no services entry: profile endpoint_url");
	free(svc_src);
	svc_src = tt_xasprintf("services local (%s:15)", config_path);
	expect_ep(cfg, "default", TT_SVC_LOGS, "us-east-1", NULL, "http://services-logs:4/base", NULL, svc_src,
		  "services entry with a base path");
	setenv("AWS_ENDPOINT_URL", "http://env-global:5", 1);
	expect_ep(cfg, "default", TT_SVC_STS, "us-east-1", NULL, "http://env-global:5", NULL, "AWS_ENDPOINT_URL",
		  "AWS_ENDPOINT_URL over the config file");
	setenv("AWS_ENDPOINT_URL_STS", "http://env-sts:6", 1);
	expect_ep(cfg, "default", TT_SVC_STS, "us-east-1", NULL, "http://env-sts:6", NULL, "AWS_ENDPOINT_URL_STS",
		  "AWS_ENDPOINT_URL_STS over AWS_ENDPOINT_URL");
	expect_ep(cfg, "default", TT_SVC_LAMBDA, "us-east-1", NULL, "http://env-global:5", NULL,
		  "AWS_ENDPOINT_URL", "a service variable only affects its service");
	expect_ep(cfg, "default", TT_SVC_STS, "us-east-1", "http://cli:7", "http://cli:7", "us-east-1",
		  "--endpoint-url", "--endpoint-url over everything");
	setenv("AWS_ENDPOINT_URL_STS", "", 1);
	expect_ep(cfg, "default", TT_SVC_STS, "us-east-1", NULL, "http://env-global:5", NULL, "AWS_ENDPOINT_URL",
		  "empty AWS_ENDPOINT_URL_STS is skipped");
	setenv("AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API", "http://tagging:8", 1);
	expect_ep(cfg, "default", TT_SVC_TAGGING, "us-east-1", NULL, "http://tagging:8", NULL,
		  "AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API", "tagging variable name");
	clear_aws_env();

	expect_ep(cfg, "noservices", TT_SVC_STS, "eu-west-1", NULL, "http://profile-only:2", "eu-west-1", NULL,
		  "profile endpoint_url without services");
	msg = tt_xasprintf("profile missing (%s:7): there is no [services nosuch] section for "
			   "\"services = nosuch\"", config_path);
	expect_ep_error(cfg, "missing", TT_SVC_STS, "us-east-1", NULL, msg, "services section that does not exist");
	free(msg);
	setenv("AWS_ENDPOINT_URL", "http://env-global:5", 1);
	expect_ep(cfg, "missing", TT_SVC_STS, "us-east-1", NULL, "http://env-global:5", NULL, NULL,
		  "missing services section unused when a variable wins (as botocore)");
	clear_aws_env();
	expect_ep(cfg, "nosuchprofile", TT_SVC_STS, "us-east-1", NULL, "https://sts.us-east-1.amazonaws.com",
		  NULL, "default", "unknown profile: default endpoint");
	free(svc_src);
	free(prof_src);
	tt_awscfg_free(&cfg);
}

static void test_ignore(void)
{
	struct tt_awscfg *cfg = load(precedence_config);

	clear_aws_env();
	setenv("AWS_ENDPOINT_URL_STS", "http://env-sts:6", 1);
	setenv("AWS_ENDPOINT_URL", "http://env-global:5", 1);
	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
	expect_ep(cfg, "default", TT_SVC_STS, "us-east-1", NULL, "https://sts.us-east-1.amazonaws.com", NULL,
		  "default", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ignores variables and files");
	expect_ep(cfg, "default", TT_SVC_STS, "us-east-1", "http://cli:7", "http://cli:7", NULL, "--endpoint-url",
		  "--endpoint-url is never ignored");
	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "True", 1);
	expect_ep(cfg, "default", TT_SVC_LOGS, "us-east-1", NULL, "https://logs.us-east-1.amazonaws.com", NULL,
		  NULL, "ignore flag in any case");
	unsetenv("AWS_ENDPOINT_URL_STS");
	unsetenv("AWS_ENDPOINT_URL");
	unsetenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	expect_ep(cfg, "ignoring", TT_SVC_STS, "us-east-1", NULL, "https://sts.us-east-1.amazonaws.com", NULL,
		  "default", "profile ignore_configured_endpoint_urls");
	setenv("AWS_ENDPOINT_URL_STS", "http://env-sts:6", 1);
	expect_ep(cfg, "ignoring", TT_SVC_STS, "us-east-1", NULL, "https://sts.us-east-1.amazonaws.com", NULL,
		  "default", "profile ignore flag also ignores variables");
	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false", 1);
	expect_ep(cfg, "ignoring", TT_SVC_STS, "us-east-1", NULL, "http://env-sts:6", NULL, NULL,
		  "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false over the profile");
	clear_aws_env();
	tt_awscfg_free(&cfg);
}

/* --- URL shapes -------------------------------------------------------- */

static void expect_custom(const char *text, const char *url, const char *host, const char *base,
			  const char *what)
{
	struct tt_endpoint ep;
	struct tt_err err;
	char label[256];

	tt_err_clear(&err);
	if (!tap_ok(tt_endpoint_resolve(NULL, "default", TT_SVC_DYNAMODB, "eu-west-1", text, &ep, &err) == 0,
		    "%s: resolves", what)) {
		printf("# error: %s\n", err.message);
		return;
	}
	snprintf(label, sizeof(label), "%s: url", what);
	tap_str_eq(ep.url, url, label);
	snprintf(label, sizeof(label), "%s: host", what);
	tap_str_eq(ep.host, host, label);
	snprintf(label, sizeof(label), "%s: base path", what);
	tap_str_eq(ep.base_path, base, label);
	tap_ok(ep.custom && strcmp(ep.signing_region, "eu-west-1") == 0, "%s: custom, signed for the region",
	       what);
	tt_endpoint_clear(&ep);
}

static void test_urls(void)
{
	clear_aws_env();
	expect_custom("http://localhost:4566", "http://localhost:4566", "localhost:4566", "", "port kept");
	expect_custom("HTTP://LocalHost:4566/", "http://localhost:4566", "localhost:4566", "",
		      "scheme and host lower-cased, trailing slash dropped");
	expect_custom("https://db.example.com:443/", "https://db.example.com", "db.example.com", "",
		      "https default port dropped");
	expect_custom("http://db.example.com:80", "http://db.example.com", "db.example.com", "",
		      "http default port dropped");
	expect_custom("https://db.example.com:80", "https://db.example.com:80", "db.example.com:80", "",
		      "port 80 kept for https");
	expect_custom("https://gw.example.com/stage/aws/", "https://gw.example.com/stage/aws",
		      "gw.example.com", "/stage/aws", "base path");
	expect_custom("http://[::1]:8000/x", "http://[::1]:8000/x", "[::1]:8000", "/x", "IPv6 literal");
	expect_custom("http://127.0.0.1:9000", "http://127.0.0.1:9000", "127.0.0.1:9000", "", "IPv4 literal");

	setenv("AWS_ENDPOINT_URL_STS", "ftp://x", 1);
	expect_ep_error(NULL, "default", TT_SVC_STS, "us-east-1", NULL,
			"AWS_ENDPOINT_URL_STS: \"ftp://x\" is not an http(s) URL", "ftp scheme");
	clear_aws_env();
	expect_ep_error(NULL, "default", TT_SVC_STS, "us-east-1", "localhost:4566",
			"--endpoint-url: \"localhost:4566\" is not an http(s) URL", "no scheme");
	expect_ep_error(NULL, "default", TT_SVC_STS, "us-east-1", "//localhost:4566",
			"--endpoint-url: \"//localhost:4566\" is not an http(s) URL", "scheme-relative");
	expect_ep_error(NULL, "default", TT_SVC_STS, "us-east-1", "",
			"--endpoint-url: \"\" is not an http(s) URL", "empty --endpoint-url");
	expect_ep_error(NULL, "default", TT_SVC_STS, "us-east-1", "http://",
			"--endpoint-url: \"http://\" is not a valid URL (No host part in the URL)", "no host");
	expect_ep_error(NULL, "default", TT_SVC_STS, "us-east-1", "http:///x",
			"--endpoint-url: \"http:///x\" is not a URL of the form scheme://host[:port][/path]",
			"three slashes");
	expect_ep_error(NULL, "default", TT_SVC_STS, "us-east-1", "http:/x",
			"--endpoint-url: \"http:/x\" is not a URL of the form scheme://host[:port][/path]",
			"one slash");
	expect_ep_error(NULL, "default", TT_SVC_STS, "us-east-1", "http://u:p@h",
			"--endpoint-url: \"http://u:p@h\" must not contain a user name or password", "user info");
	expect_ep_error(NULL, "default", TT_SVC_STS, "us-east-1", "http://h/?a=b",
			"--endpoint-url: \"http://h/?a=b\" must not contain a query or a fragment", "query");
	expect_ep_error(NULL, "default", TT_SVC_STS, "us-east-1", "http://h/#f",
			"--endpoint-url: \"http://h/#f\" must not contain a query or a fragment", "fragment");
	expect_ep_error(NULL, "default", TT_SVC_STS, "us-east-1", "http://h:0",
			"--endpoint-url: \"http://h:0\" has port 0", "port 0");
	expect_ep_error(NULL, "default", TT_SVC_STS, "us-east-1", "http://h:70000",
			"--endpoint-url: \"http://h:70000\" is not a valid URL (Port number was not a decimal "
			"number between 0 and 65535)", "port out of range");
	expect_ep_error(NULL, "default", TT_SVC_STS, "us-east-1", "http://h h",
			"--endpoint-url: \"http://h h\" is not a valid URL (Bad hostname)", "space in host");
	expect_ep_error(NULL, "default", TT_SVC_STS, "us-east-1", "http://h\x1b[2J",
			"--endpoint-url: \"http://h^[[2J\" is not a valid URL (Bad hostname)",
			"escape sequence shown visibly");
}

static void test_bad_configured_urls(void)
{
	struct tt_awscfg *cfg = load("[default]\nservices = s\nendpoint_url = gopher://x\n"
				     "[services s]\nsts =\n  endpoint_url = localhost\n");
	char *msg;

	clear_aws_env();
	msg = tt_xasprintf("services s (%s:6): \"localhost\" is not an http(s) URL", config_path);
	expect_ep_error(cfg, "default", TT_SVC_STS, "us-east-1", NULL, msg, "bad URL in a services section");
	free(msg);
	msg = tt_xasprintf("profile default (%s:3): \"gopher://x\" is not an http(s) URL", config_path);
	expect_ep_error(cfg, "default", TT_SVC_LAMBDA, "us-east-1", NULL, msg, "bad profile endpoint_url");
	free(msg);
	expect_ep_error(cfg, "default", TT_SVC_LAMBDA, "Bad Region", NULL,
			"no valid region for the lambda endpoint", "endpoint needs a valid region");
	expect_ep_error(cfg, "default", TT_SVC_LAMBDA, NULL, NULL,
			"no valid region for the lambda endpoint", "endpoint needs a region");
	tt_awscfg_free(&cfg);
}

int main(void)
{
	dir = tu_mkdtemp();
	if (!dir) {
		printf("Bail out! cannot make a temporary directory\n");
		return 1;
	}
	clear_aws_env();
	test_service_table();
	test_region();
	test_partitions();
	test_default_fields();
	test_sts();
	test_fips();
	test_gov_fips();
	test_dualstack();
	test_precedence();
	test_ignore();
	test_urls();
	test_bad_configured_urls();
	unlink(config_path);
	rmdir(dir);
	free(config_path);
	free(dir);
	return tap_done();
}
