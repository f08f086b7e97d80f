#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "tiertop/creds.h"
#include "tiertop/endpoint.h"
#include "tiertop/http.h"
#include "tiertop/log.h"
#include "tiertop/profile.h"
#include "tiertop/sanitize.h"
#include "tiertop/xalloc.h"

int tt_app_connect(struct tt_app *app, struct tt_err *err)
{
	struct tt_http_config hc;
	struct tt_creds_options co;

	if (app->opts.debug_log && tt_log_open(app->opts.debug_log, err))
		return -1;
	if (tt_awscfg_load(&app->cfg, err))
		return -1;
	app->profile = tt_awscfg_profile_name(app->opts.profile);
	if (tt_awscfg_profile_explicit(app->opts.profile) && !tt_awscfg_has_profile(app->cfg, app->profile))
		return tt_err_set(err, TT_ERR_CONFIG, "profile %s not found in %s or %s", app->profile,
				  *tt_awscfg_config_path(app->cfg) ? tt_awscfg_config_path(app->cfg) : "~/.aws/config",
				  *tt_awscfg_credentials_path(app->cfg) ? tt_awscfg_credentials_path(app->cfg)
									 : "~/.aws/credentials");
	if (tt_region_resolve(app->cfg, app->profile, app->opts.region, &app->region, &app->region_source, err))
		return -1;
	if (tt_http_config_load(&hc, app->cfg, app->profile, err))
		return -1;
	app->http = tt_http_new(&hc);
	memset(&co, 0, sizeof(co));
	co.cli_profile = app->opts.profile;
	co.region = app->region;
	co.cli_endpoint_url = app->opts.endpoint_url;
	co.prompt_mfa = tt_app_prompt_mfa;
	if (tt_creds_cache_new(&app->creds, app->http, app->cfg, &co, err))
		return -1;
	app->aws.http = app->http;
	app->aws.cfg = app->cfg;
	app->aws.profile = app->profile;
	app->aws.region = app->region;
	app->aws.cli_endpoint_url = app->opts.endpoint_url;
	app->aws.creds = app->creds;
	return 0;
}

void tt_app_free(struct tt_app *app)
{
	tt_creds_cache_free(&app->creds);
	tt_http_free(&app->http);
	tt_awscfg_free(&app->cfg);
	free(app->region);
	free(app->region_source);
	tt_log_close();
}

int tt_app_fail(const struct tt_err *err)
{
	char line[2048];
	char *safe = tt_sanitize(tt_err_format(err, line, sizeof(line)), 0);

	fprintf(stderr, "tiertop: %s\n", safe);
	free(safe);
	return (int)tt_err_exit_code(err);
}

char *tt_app_prompt_mfa(const char *serial, void *ctx)
{
	FILE *tty = fopen("/dev/tty", "r+");
	char line[64];
	char *safe;

	(void)ctx;
	if (!tty)
		return NULL;
	safe = tt_sanitize(serial, 0);
	fprintf(tty, "MFA code for %s: ", safe);
	fflush(tty);
	free(safe);
	if (!fgets(line, sizeof(line), tty)) {
		fclose(tty);
		return NULL;
	}
	fclose(tty);
	line[strcspn(line, "\r\n")] = '\0';
	return tt_xstrdup(line);
}

bool tt_app_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}
