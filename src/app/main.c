/* tiertop's command line: global options (accepted anywhere, like the AWS
 * CLI's) and one table of verbs that also produces --help. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#ifdef HAVE_MALLOC_H
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "app.h"

static int cmd_version(struct tt_app *app, int argc, char **argv);
static int cmd_help(struct tt_app *app, int argc, char **argv);

static const struct tt_verb verbs[] = {
	{"console", NULL, "the full-screen console, tier by tier, live (also what tiertop does with no command); without a selector, the application of --app or the config file, else the whole region", tt_cmd_console, &tt_console_spec},
	{"whoami", NULL, "show the account, identity, region and endpoint in use, and where the credentials come from", tt_cmd_whoami, &tt_whoami_spec},
	{"status", NULL, "a one-shot snapshot of the application tier by tier, with metrics, alarms and wiring; selectors add up, and without any the application comes from --app or the config file, else the whole region; a part that fails is shown in place and exits 4", tt_cmd_status, &tt_status_spec},
	{"metrics", NULL, "key CloudWatch metrics of functions, tables and APIs as sparklines, in one GetMetricData call", tt_cmd_metrics, &tt_metrics_spec},
	{"functions", NULL, "list the Lambda functions: runtime, memory, timeout, last change; --state adds state and last update (one more call per function)", tt_cmd_functions, &tt_functions_spec},
	{"apis", NULL, "list REST, HTTP and WebSocket APIs, their stages, and the Lambda function behind each route", tt_cmd_apis, &tt_apis_spec},
	{"invoke", NULL, "invoke a function after showing the target and asking (--yes: don't ask), recorded in the audit log; exit 6 when the function reports an error", tt_cmd_invoke, &tt_invoke_spec},
	{"tables", NULL, "list the DynamoDB tables: status, billing, items, size, keys", tt_cmd_tables, &tt_tables_spec},
	{"items", NULL, "read a table's items (Scan, Query, GetItem or BatchGetItem) as JSON Lines, numbers exact", tt_cmd_items, &tt_items_spec},
	{"replay", NULL, "send a stored item through a function again (as itself, in an API Gateway event or a template), confirmed and recorded like invoke", tt_cmd_replay, &tt_replay_spec},
	{"logs", NULL, "print log events of functions or log groups in time order; --follow polls, --live uses Live Tail", tt_cmd_logs, &tt_logs_spec},
	{"audit", NULL, "what tiertop invoked and replayed, from the audit log: one line per action with its result", tt_cmd_audit, &tt_audit_spec},
	{"version", "", "print the version", cmd_version, NULL},
	{"help", "", "show this help", cmd_help, NULL},
};

struct global_opt {
	const char *name;
	bool takes_value;
	const char *help;
};

static const struct global_opt global_opts[] = {
	{"--profile", true, "use this profile from ~/.aws/config and ~/.aws/credentials"},
	{"--region", true, "AWS region (else AWS_REGION, AWS_DEFAULT_REGION, the profile)"},
	{"--app", true, "the application from tiertop's config file (else its default one)"},
	{"--endpoint-url", true, "send service requests to this URL (LocalStack, moto, the simulator)"},
	{"--debug-log", true, "write every request and response to FILE, secrets redacted"},
	{"--deadline", true, "give up on a request after SECONDS, retries included (default 120; not the console)"},
	{"--cli-read-timeout", true, "SECONDS a request may take to answer (default 60, 0: no limit)"},
	{"--cli-connect-timeout", true, "SECONDS to connect (default 10, 0: curl's own 300)"},
	{"--read-only", false, "refuse every action that changes anything (invoke, replay)"},
	{"--json", false, "print JSON instead of a table"},
	{"--no-color", false, "no colours (also when NO_COLOR is set)"},
	{"--version", false, "print the version and exit"},
	{"--help", false, "show this help and exit"},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: tiertop [options] COMMAND [args]\n\n"
		     "A terminal operations console for serverless applications on AWS.\n\n"
		     "Commands:\n");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		char *syn = verbs[i].spec ? tt_opts_synopsis(verbs[i].spec) : NULL;
		const char *args = syn ? syn : verbs[i].args;
		if (*args) {
			fprintf(out, "  %-10s", verbs[i].name);
			tt_opts_wrap(out, args, 12, 13);
		} else {
			fprintf(out, "  %s\n", verbs[i].name);
		}
		fprintf(out, "%13s", "");
		tt_opts_wrap(out, verbs[i].summary, 13, 13);
		free(syn);
	}
	fprintf(out, "\n  (tiertop COMMAND --help lists a command's options)\n");
	fprintf(out, "\nOptions:\n");
	for (size_t i = 0; i < sizeof(global_opts) / sizeof(global_opts[0]); i++) {
		fprintf(out, "  %-21s %-6s ", global_opts[i].name, global_opts[i].takes_value ? "VALUE" : "");
		tt_opts_wrap(out, global_opts[i].help, 31, 31);
	}
	fprintf(out, "\nExit status: 0 ok, 1 failure, 2 usage, 3 credentials or configuration,\n"
		     "4 AWS answered with an error, 5 network, 6 the function reported an error.\n");
}

static int cmd_version(struct tt_app *app, int argc, char **argv)
{
	printf("tiertop %s\n", PACKAGE_VERSION);
	return 0;
}

static int cmd_help(struct tt_app *app, int argc, char **argv)
{
	usage(stdout);
	return 0;
}

static int set_option(struct tt_cli_opts *o, const char *name, const char *value)
{
	if (strcmp(name, "--profile") == 0)
		o->profile = value;
	else if (strcmp(name, "--region") == 0)
		o->region = value;
	else if (strcmp(name, "--endpoint-url") == 0)
		o->endpoint_url = value;
	else if (strcmp(name, "--debug-log") == 0)
		o->debug_log = value;
	else if (strcmp(name, "--app") == 0)
		o->app = value;
	else if (strcmp(name, "--deadline") == 0)
		o->deadline = value;
	else if (strcmp(name, "--cli-read-timeout") == 0)
		o->read_timeout = value;
	else if (strcmp(name, "--cli-connect-timeout") == 0)
		o->connect_timeout = value;
	else if (strcmp(name, "--read-only") == 0)
		o->read_only = true;
	else if (strcmp(name, "--json") == 0)
		o->json = true;
	else if (strcmp(name, "--no-color") == 0)
		o->no_color = true;
	else
		return -1;
	return 0;
}

static const struct global_opt *find_global(const char *arg, size_t len)
{
	for (size_t i = 0; i < sizeof(global_opts) / sizeof(global_opts[0]); i++)
		if (strlen(global_opts[i].name) == len && strncmp(arg, global_opts[i].name, len) == 0)
			return &global_opts[i];
	return NULL;
}

/* Pulls global options out of argv wherever they are; what is left (the verb
 * and its own arguments) is compacted into rest. Returns -1 on a usage
 * error (message printed). */
static int parse_globals(int argc, char **argv, struct tt_cli_opts *o, char **rest, int *nrest,
			 bool *want_help, bool *want_version)
{
	*nrest = 0;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *eq = strchr(arg, '=');
		size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
		const struct global_opt *g = strncmp(arg, "--", 2) == 0 ? find_global(arg, len) : NULL;
		const char *value = NULL;

		if (!g) {
			rest[(*nrest)++] = argv[i];
			continue;
		}
		if (g->takes_value) {
			value = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
			if (!value || !*value) {
				fprintf(stderr, "tiertop: %s needs a value\n", g->name);
				return -1;
			}
		} else if (eq) {
			fprintf(stderr, "tiertop: %s takes no value\n", g->name);
			return -1;
		}
		if (strcmp(g->name, "--help") == 0)
			*want_help = true;
		else if (strcmp(g->name, "--version") == 0)
			*want_version = true;
		else
			set_option(o, g->name, value);
	}
	rest[*nrest] = NULL;
	return 0;
}

/* A closed standard descriptor is reused by the next open() (the debug log,
 * a payload file) and what was meant for it would land there. /dev/null
 * takes its place, opened the wrong way round so that using it fails
 * loudly: output to a closed stdout ends in "error writing output", input
 * from a closed stdin in a read error. */
static void occupy_closed_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int got;

		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		got = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
		if (got >= 0 && got != fd) {
			dup2(got, fd);
			close(got);
		}
	}
}

/* The answer of an invoke, the items of a scan: output that was lost (a
 * full disk, a closed stdout) must not pass for success. */
static int check_stdout(int rc)
{
	int failed, saved;

	errno = 0;
	failed = fflush(stdout) != 0 || ferror(stdout);
	saved = errno;
	if (fclose(stdout) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	if (!failed)
		return rc;
	fprintf(stderr, "tiertop: error writing output%s%s\n", saved ? ": " : "", saved ? strerror(saved) : "");
	return rc == 0 ? 1 : rc;
}

static const struct tt_verb *find_verb(const char *name);

/* "--bogus whoami": an option no one knows, before a command. */
static const char *verb_after_options(char **rest, int nrest)
{
	for (int i = 0; i < nrest; i++)
		if (rest[i][0] != '-' && find_verb(rest[i]))
			return rest[i];
	return NULL;
}

/* Parses the verb's options with its table (when it has one) and runs it. */
static int run_verb(struct tt_app *app, char **rest, int nrest, bool help)
{
	static char console_word[] = "console";
	const struct tt_verb *verb;
	struct tt_err err;
	char msg[256];

	/* No command, or only options: the console, with those options. */
	if (nrest == 0 || rest[0][0] == '-') {
		const char *named = verb_after_options(rest, nrest);
		if (named) {
			fprintf(stderr, "tiertop: unknown option %s (before %s; see tiertop --help)\n", rest[0], named);
			return TT_EXIT_USAGE;
		}
		if (help && nrest == 0) {
			usage(stdout);
			return 0;
		}
		memmove(rest + 1, rest, (size_t)nrest * sizeof(*rest));
		rest[0] = console_word;
		nrest++;
	}
	verb = find_verb(rest[0]);
	if (!verb) {
		fprintf(stderr, "tiertop: unknown command \"%s\" (see tiertop --help)\n", rest[0]);
		return TT_EXIT_USAGE;
	}
	if (help || verb->run == cmd_help) {
		if (verb->spec)
			tt_opts_help(verb->spec, stdout);
		else
			usage(stdout);
		return 0;
	}
	if (verb->spec && tt_opts_parse(verb->spec, nrest, rest, &app->args, msg, sizeof(msg)))
		return tt_opts_usage_error(verb->spec, msg);
	if (verb->spec && app->args.help) {
		tt_opts_help(verb->spec, stdout);
		return 0;
	}
	if (verb->run == cmd_version)
		return verb->run(app, nrest, rest);
	app->console = verb->run == tt_cmd_console; /* invoke: no deadline for the console */
	return tt_app_configure(app, &err) ? tt_app_fail(&err) : verb->run(app, nrest, rest);
}

static const struct tt_verb *find_verb(const char *name)
{
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(verbs[i].name, name) == 0)
			return &verbs[i];
	return NULL;
}

int main(int argc, char **argv)
{
	struct tt_app app;
	char **rest = calloc((size_t)argc + 1, sizeof(*rest));
	int nrest = 0, rc;
	bool help = false, version = false;

	occupy_closed_std_fds();
	memset(&app, 0, sizeof(app));
#if defined(HAVE_MALLOPT) && defined(M_MXFAST)
	/* A page of answers is a JSON tree of hundreds of thousands of small
	 * blocks, freed at once. In glibc's fastbins they are merged again on
	 * the next large allocation, which cost a quarter of the CPU of
	 * `items --all` and `logs` (bench/README.md); without fastbins they
	 * are merged as they are freed, and the thread cache still serves the
	 * small ones. */
	mallopt(M_MXFAST, 0);
#endif
	/* Only the character set: numbers must keep '.' for JSON output. */
	setlocale(LC_CTYPE, "");
	if (!rest || parse_globals(argc, argv, &app.opts, rest, &nrest, &help, &version)) {
		free(rest);
		return TT_EXIT_USAGE;
	}
	if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
		app.opts.no_color = true;
	if (version) {
		cmd_version(&app, 0, NULL);
		free(rest);
		return check_stdout(0);
	}
	/* Once, before any engine, as libcurl asks. */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = run_verb(&app, rest, nrest, help);
	tt_app_clear(&app);
	curl_global_cleanup();
	free(rest);
	return check_stdout(rc);
}
