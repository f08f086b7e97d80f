/* tiertop whoami: STS GetCallerIdentity plus everything that decided where
 * the call went and with which credentials. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "app.h"
#include "tiertop/clock.h"
#include "tiertop/creds.h"
#include "tiertop/endpoint.h"
#include "tiertop/sanitize.h"
#include "tiertop/svc_sts.h"
#include "tiertop/xalloc.h"

struct whoami {
	bool done;
	struct tt_err err;
	bool failed;
	char *account, *arn, *user_id;
};

static void on_identity(void *ctx, const struct tt_sts_identity *id, const struct tt_err *err)
{
	struct whoami *w = ctx;

	w->done = true;
	if (err) {
		w->err = *err;
		w->failed = true;
		return;
	}
	w->account = tt_xstrdup(id->account);
	w->arn = tt_xstrdup(id->arn);
	w->user_id = tt_xstrdup(id->user_id ? id->user_id : "");
}

static void print_row(const char *label, const char *value)
{
	char *safe = tt_sanitize(value ? value : "", tt_app_san());

	printf("%-12s %s\n", label, safe);
	free(safe);
}

static void expiry_text(time_t exp, time_t now, char *out, size_t size)
{
	char iso[21];
	long left = (long)(exp - now);

	tt_time_iso8601(exp, iso);
	if (left > 0)
		snprintf(out, size, "%s (in %ldh%02ldm)", iso, left / 3600, (left % 3600) / 60);
	else
		snprintf(out, size, "%s (expired)", iso);
}

static void print_json(const struct tt_app *app, const struct whoami *w, const struct tt_endpoint *ep,
		       time_t expiration)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "Account", w->account, "Arn",
			      w->arn, "UserId", w->user_id, "Profile", app->profile, "Region", app->region,
			      "RegionSource", app->region_source, "Endpoint", ep->url, "EndpointSource",
			      ep->source, "CredentialSource", tt_creds_cache_describe(app->creds));

	if (expiration) {
		char iso[21];
		tt_time_iso8601(expiration, iso);
		json_object_set_new(o, "Expiration", json_string(iso));
	}
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	putchar('\n');
	json_decref(o);
}

static void print_text(const struct tt_app *app, const struct whoami *w, const struct tt_endpoint *ep,
		       time_t expiration)
{
	char line[512];

	print_row("Account", w->account);
	print_row("ARN", w->arn);
	print_row("UserId", w->user_id);
	print_row("Profile", app->profile);
	snprintf(line, sizeof(line), "%s (%s)", app->region, app->region_source);
	print_row("Region", line);
	snprintf(line, sizeof(line), "%s (%s)", ep->url, ep->source);
	print_row("Endpoint", line);
	print_row("Credentials", tt_creds_cache_describe(app->creds));
	if (expiration) {
		expiry_text(expiration, tt_http_now(app->http), line, sizeof(line));
		print_row("Expires", line);
	}
}

static time_t current_expiration(struct tt_app *app)
{
	const struct tt_creds *c = NULL;
	struct tt_err ignored;

	if (tt_creds_cache_get(app->creds, tt_http_now(app->http), &c, &ignored) == 0 && c)
		return c->expiration;
	return 0;
}

const struct tt_opts_spec tt_whoami_spec = {"whoami", NULL, 0, 0, NULL, 0, "--json prints one object."};

int tt_cmd_whoami(struct tt_app *app, int argc, char **argv)
{
	struct whoami w = {0};
	struct tt_endpoint ep = {0};
	struct tt_err err;
	int rc = 0;

	(void)argc;
	(void)argv;
	if (tt_app_connect(app, &err) ||
	    tt_endpoint_resolve(app->cfg, app->profile, TT_SVC_STS, app->region, app->opts.endpoint_url, &ep,
				&err) ||
	    tt_sts_get_caller_identity(&app->aws, on_identity, &w, &err))
		rc = tt_app_fail(&err);
	if (rc == 0) {
		tt_http_run_until(app->http, &w.done);
		if (w.failed) {
			rc = tt_app_fail(&w.err);
		} else if (app->opts.json) {
			print_json(app, &w, &ep, current_expiration(app));
		} else {
			print_text(app, &w, &ep, current_expiration(app));
		}
	}
	tt_endpoint_clear(&ep);
	free(w.account);
	free(w.arn);
	free(w.user_id);
	return rc;
}
