/* What every command-line verb shares: parsed global options and, once
 * tt_app_connect has run, the AWS configuration, engine and credentials.
 * The struct owns everything it points to; tt_app_clear releases it. */
#ifndef TIERTOP_APP_H
#define TIERTOP_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "opts.h"
#include "tiertop/aws.h"
#include "tiertop/creds.h"
#include "tiertop/err.h"

struct tt_appcfg;
struct tt_appcfg_app;
struct tt_awscfg;
struct tt_creds_cache;
struct tt_http;
struct tt_app_mfa;

struct tt_cli_opts {
	const char *profile;
	const char *region;
	const char *endpoint_url;
	const char *debug_log;
	const char *app;   /* --app NAME */
	const char *deadline;        /* --deadline SECONDS (one-shot verbs) */
	const char *read_timeout;    /* --cli-read-timeout SECONDS */
	const char *connect_timeout; /* --cli-connect-timeout SECONDS */
	bool read_only;
	bool json;
	bool no_color;
};

struct tt_app {
	struct tt_cli_opts opts;
	struct tt_opts args;                 /* the verb's options, when its table parsed them */
	struct tt_appcfg *appcfg;
	const struct tt_appcfg_app *app_def; /* in appcfg; NULL: no application configured */
	char *read_only_from;                /* what turned read-only mode on, or NULL */
	struct tt_awscfg *cfg;
	struct tt_http *http;
	struct tt_creds_cache *creds;
	char *region;
	char *region_source;
	const char *profile;
	struct tt_aws aws;
	struct tt_app_mfa *mfa;              /* MFA requests waiting for an answer */
	bool console;                        /* the verb owns the screen: no deadline, no notices */
};

/* A verb: argv[0] is the verb itself; options after it are the verb's.
 * With a spec, main parses them (usage errors and --help included) into
 * app->args before run; without one (verbs not converted yet) the verb
 * parses argv itself and args is the synopsis for --help. */
struct tt_verb {
	const char *name;
	const char *args;
	const char *summary;
	int (*run)(struct tt_app *app, int argc, char **argv);
	const struct tt_opts_spec *spec;
};

/* The option tables of the converted verbs. */
extern const struct tt_opts_spec tt_status_spec, tt_console_spec, tt_metrics_spec, tt_functions_spec,
	tt_apis_spec, tt_tables_spec, tt_whoami_spec;
extern const struct tt_opts_spec tt_items_spec;
extern const struct tt_opts_spec tt_invoke_spec, tt_replay_spec, tt_logs_spec, tt_audit_spec;

/* Reads tiertop's configuration file, picks the application (--app, else
 * the default one) and lets it fill in --profile and --region when they
 * were not given. Runs before anything else a verb does. */
int tt_app_configure(struct tt_app *app, struct tt_err *err);

/* Loads the AWS files, resolves profile, region and credentials source,
 * starts the engine. Fills app->aws for the svc_* modules. */
int tt_app_connect(struct tt_app *app, struct tt_err *err);
/* TT_ERR_CONFIG naming both files when cfg has no profile of that name. */
int tt_app_need_profile(const struct tt_awscfg *cfg, const char *profile, struct tt_err *err);
void tt_app_clear(struct tt_app *app);

/* Prints "tiertop: <message>" to stderr (sanitized) and returns the exit
 * code for err. */
int tt_app_fail(const struct tt_err *err);

/* --- acting, not only looking (invoke, replay) ----------------------------
 *
 * Everything that changes something goes through the same two gates: read-only
 * mode, checked before any network call, and a confirmation that shows where
 * the action lands (account, region, endpoint, target) before it happens. */

/* TT_ERR_FAILURE naming the source (--read-only, TIERTOP_READ_ONLY, or the
 * config file's line) when read-only mode is on; what is the refused action
 * ("invoke X"). An unreadable TIERTOP_READ_ONLY counts as on: a typo must not
 * turn a safety off. Any source that says on wins over one that says off. */
int tt_app_refuse_if_read_only(const struct tt_app *app, const char *what, struct tt_err *err);

/* Also before the network: the terminal to ask on, or TT_ERR_USAGE ("pass
 * --yes to <what> without asking") when there is none. With yes, *tty is
 * NULL and nothing is opened. stdin_busy: stdin carries input, so the
 * terminal must be behind stderr. The caller fcloses *tty. */
int tt_app_confirm_open(bool yes, bool stdin_busy, const char *what, FILE **tty, struct tt_err *err);

/* One "  label      value" line of the banner; value is sanitized when shown. */
struct tt_app_row {
	const char *label;
	const char *value;
};

/* What tt_app_confirm shows and asks. All borrowed from the caller. */
struct tt_app_action {
	const char *title;              /* first line: "Invoke, synchronous (RequestResponse):" */
	const char *account;            /* "111122223333 (caller ARN)" */
	const char *endpoint;           /* "URL (where the URL came from)" */
	const struct tt_app_row *rows;  /* the target and what is sent, after the endpoint */
	size_t nrows;
	const char *question;           /* "Invoke submit-feedback now?"; " [y/N] " is added */
	FILE *tty;                      /* from tt_app_confirm_open; NULL: show, don't ask */
};

/* Shows the banner on stderr (the region comes from app) and, with a tty,
 * asks on it. True when the action may go ahead: --yes, or y/yes typed. */
bool tt_app_confirm(const struct tt_app *app, const struct tt_app_action *a);

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
int tt_cmd_replay(struct tt_app *app, int argc, char **argv);
int tt_cmd_console(struct tt_app *app, int argc, char **argv);
int tt_cmd_audit(struct tt_app *app, int argc, char **argv);

/* True when the terminal's character set is UTF-8 (LC_CTYPE). */
bool tt_app_utf8(void);
/* Sanitizer flags for text from AWS or a file shown on this terminal:
 * TT_SAN_ASCII when it is not UTF-8, where the bytes of a UTF-8 character
 * could act as C1 controls (0x9B is CSI). */
unsigned tt_app_san(void);

/* MFA codes (creds.h). By default they are asked for on the controlling
 * terminal, without echo, between dispatches (the engine's idle hook), so
 * that no verb knows about them. A front end that owns the screen (the
 * console) takes them over: fn gets every request from then on, those
 * already waiting included, and answers each one (NULL fn hands them back
 * to the terminal). ctx is borrowed. */
void tt_app_mfa_answerer(struct tt_app *app, tt_creds_mfa_fn fn, void *ctx);

#endif
