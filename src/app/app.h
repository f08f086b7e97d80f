/* What every command-line verb shares: parsed global options and, once
 * tt_app_connect has run, the AWS configuration, engine and credentials.
 * The struct owns everything it points to; tt_app_free releases it. */
#ifndef TIERTOP_APP_H
#define TIERTOP_APP_H

#include <stdbool.h>

#include "tiertop/aws.h"
#include "tiertop/err.h"

struct tt_awscfg;
struct tt_creds_cache;
struct tt_http;

struct tt_cli_opts {
	const char *profile;
	const char *region;
	const char *endpoint_url;
	const char *debug_log;
	bool read_only;
	bool json;
	bool no_color;
};

struct tt_app {
	struct tt_cli_opts opts;
	struct tt_awscfg *cfg;
	struct tt_http *http;
	struct tt_creds_cache *creds;
	char *region;
	char *region_source;
	const char *profile;
	struct tt_aws aws;
};

/* A verb: argv[0] is the verb itself; options after it are the verb's. */
struct tt_verb {
	const char *name;
	const char *args;
	const char *summary;
	int (*run)(struct tt_app *app, int argc, char **argv);
};

/* Loads the AWS files, resolves profile, region and credentials source,
 * starts the engine. Fills app->aws for the svc_* modules. */
int tt_app_connect(struct tt_app *app, struct tt_err *err);
void tt_app_free(struct tt_app *app);

/* Prints "tiertop: <message>" to stderr (sanitized) and returns the exit
 * code for err. */
int tt_app_fail(const struct tt_err *err);

/* Verbs. */
int tt_cmd_whoami(struct tt_app *app, int argc, char **argv);
int tt_cmd_logs(struct tt_app *app, int argc, char **argv);
int tt_cmd_tables(struct tt_app *app, int argc, char **argv);
int tt_cmd_items(struct tt_app *app, int argc, char **argv);
int tt_cmd_functions(struct tt_app *app, int argc, char **argv);
int tt_cmd_apis(struct tt_app *app, int argc, char **argv);
int tt_cmd_invoke(struct tt_app *app, int argc, char **argv);
int tt_cmd_metrics(struct tt_app *app, int argc, char **argv);
int tt_cmd_status(struct tt_app *app, int argc, char **argv);

/* True when the terminal's character set is UTF-8 (LC_CTYPE). */
bool tt_app_utf8(void);

/* Asks on the controlling terminal; NULL when there is none. */
char *tt_app_prompt_mfa(const char *serial, void *ctx);

#endif
