#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "app.h"
#include "tiertop/buf.h"
#include "tiertop/appcfg.h"
#include "tiertop/creds.h"
#include "tiertop/endpoint.h"
#include "tiertop/http.h"
#include "tiertop/log.h"
#include "tiertop/profile.h"
#include "tiertop/sanitize.h"
#include "tiertop/str.h"
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
	if (app->app_def && app->opts.region && app->opts.region == app->app_def->region) {
		free(app->region_source);
		app->region_source = tt_xasprintf("[app %s]", app->app_def->name);
	}
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
	free(app->read_only_from);
	tt_appcfg_free(&app->appcfg);
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

/* Any value but an explicit "off" switches it on: a typo must not switch
 * the safety off. */
static bool env_read_only(void)
{
	const char *env = getenv("TIERTOP_READ_ONLY");

	return env && *env && tt_str_parse_switch(env) != 0;
}

static char *read_only_source(const struct tt_app *app)
{
	const struct tt_appcfg_app *def = app->app_def;

	if (app->opts.read_only)
		return tt_xstrdup("--read-only");
	if (env_read_only())
		return tt_xstrdup("TIERTOP_READ_ONLY");
	if (def && def->read_only == 1)
		return tt_xasprintf("[app %s] in %s", def->name, def->read_only_where);
	if (app->appcfg && app->appcfg->read_only == 1)
		return tt_xasprintf("[tiertop] in %s", app->appcfg->read_only_where);
	return NULL;
}

int tt_app_configure(struct tt_app *app, struct tt_err *err)
{
	if (tt_appcfg_load(&app->appcfg, err) ||
	    tt_appcfg_pick(app->appcfg, app->opts.app, &app->app_def, err))
		return -1;
	if (app->app_def && !app->opts.profile)
		app->opts.profile = app->app_def->profile;
	if (app->app_def && !app->opts.region)
		app->opts.region = app->app_def->region;
	app->read_only_from = read_only_source(app);
	return 0;
}

int tt_app_refuse_if_read_only(const struct tt_app *app, const char *what, struct tt_err *err)
{
	const char *ro = app->read_only_from;

	if (!ro)
		return 0;
	return tt_err_set(err, TT_ERR_FAILURE, "read-only mode (%s): refusing to %s; nothing was sent", ro,
			  what);
}

int tt_app_confirm_open(bool yes, bool stdin_busy, const char *what, FILE **tty, struct tt_err *err)
{
	*tty = NULL;
	if (yes)
		return 0;
	/* /dev/tty opens even under a pipe when there is a controlling terminal;
	 * isatty says whether a person is actually at this end. */
	if (isatty(stdin_busy ? STDERR_FILENO : STDIN_FILENO))
		*tty = fopen("/dev/tty", "r+");
	if (!*tty)
		return tt_err_set(err, TT_ERR_USAGE,
				  "no terminal to confirm on; pass --yes to %s without asking", what);
	return 0;
}

static void banner_row(const char *label, const char *value)
{
	char *safe = tt_sanitize(value ? value : "", 0);

	fprintf(stderr, "  %-10s %s\n", label, safe);
	free(safe);
}

bool tt_app_confirm(const struct tt_app *app, const struct tt_app_action *a)
{
	char answer[16], *line;
	const char *typed;

	fprintf(stderr, "%s\n", a->title);
	banner_row("account", a->account);
	line = tt_xasprintf("%s (%s)", app->region, app->region_source);
	banner_row("region", line);
	free(line);
	banner_row("endpoint", a->endpoint);
	for (size_t i = 0; i < a->nrows; i++)
		banner_row(a->rows[i].label, a->rows[i].value);
	if (!a->tty)
		return true;
	line = tt_sanitize(a->question, 0);
	fprintf(a->tty, "%s [y/N] ", line);
	fflush(a->tty);
	free(line);
	if (!fgets(answer, sizeof(answer), a->tty))
		return false;
	typed = tt_str_trim(answer);
	return strcasecmp(typed, "y") == 0 || strcasecmp(typed, "yes") == 0;
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

const char *tt_app_option_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (strcmp(argv[*i], name) != 0)
		return NULL;
	return *i + 1 < argc ? argv[++*i] : "";
}

int tt_app_read_stream(FILE *f, size_t max, struct tt_buf *out)
{
	char chunk[65536];
	size_t n;

	tt_buf_init(out, max + 1);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (!tt_buf_append(out, chunk, n))
			break;
	return ferror(f) ? -1 : 0;
}
