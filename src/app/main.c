/* tiertop's command line: global options (accepted anywhere, like the AWS
 * CLI's) and one table of verbs that also produces --help. */
#include "config.h"

#include <locale.h>
#ifdef HAVE_MALLOC_H
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

static int cmd_version(struct tt_app *app, int argc, char **argv);
static int cmd_help(struct tt_app *app, int argc, char **argv);

static const struct tt_verb verbs[] = {
	{"whoami", "[--json]", "show the account, identity, region and endpoint in use, and where the credentials come from", tt_cmd_whoami},
	{"status", "[--stack NAME] [--tag K=V] [--prefix P] [--function F] [--table T] [--api A] [--range 1h]", "a one-shot snapshot of the application tier by tier, with metrics, alarms and wiring; selectors add up, and without any the application comes from --app or the config file", tt_cmd_status},
	{"metrics", "RESOURCE... [--range 3h] [--period 60]", "key CloudWatch metrics of functions, tables and APIs as sparklines, in one GetMetricData call", tt_cmd_metrics},
	{"functions", "[--state] [--json]", "list the Lambda functions: runtime, memory, timeout, last change; --state adds state and last update (one more call per function)", tt_cmd_functions},
	{"apis", "[--json]", "list REST and HTTP APIs, their stages, and the Lambda function behind each route", tt_cmd_apis},
	{"invoke", "FUNCTION [--payload JSON|@FILE|-] [--async|--dry-run] [--qualifier Q] [--log] [--yes] [--json]", "invoke a function after showing the target and asking (--yes: don't ask); exit 6 when the function reports an error", tt_cmd_invoke},
	{"tables", "[--json]", "list the DynamoDB tables: status, billing, items, size, keys", tt_cmd_tables},
	{"items", "TABLE [--key JSON | --keys FILE|- | --query KEYCOND --values JSON] [--filter EXPR] [--limit N|--all] [--typed]", "read a table's items (Scan, Query, GetItem or BatchGetItem) as JSON Lines, numbers exact", tt_cmd_items},
	{"replay", "TABLE --key JSON --to FUNCTION [--template raw|apigw|@FILE] [--qualifier Q] [--async|--dry-run] [--log] [--yes] [--json]", "send a stored item through a function again (as itself, in an API Gateway event or a template), confirmed like invoke", tt_cmd_replay},
	{"logs", "FN|GROUP... [--since 10m|2h|ISO] [--until T] [--filter PATTERN] [--follow|--live] [--json]", "print log events of functions or log groups in time order; --follow polls, --live uses Live Tail", tt_cmd_logs},
	{"version", "", "print the version", cmd_version},
	{"help", "", "show this help", cmd_help},
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
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(out, "  %-8s %s\n  %-8s   %s\n", verbs[i].name, verbs[i].args, "", verbs[i].summary);
	fprintf(out, "\nOptions:\n");
	for (size_t i = 0; i < sizeof(global_opts) / sizeof(global_opts[0]); i++)
		fprintf(out, "  %-14s %-6s %s\n", global_opts[i].name, global_opts[i].takes_value ? "VALUE" : "",
			global_opts[i].help);
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
	const struct tt_verb *verb;

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
		return 2;
	}
	if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
		app.opts.no_color = true;
	if (version || help || nrest == 0) {
		if (version)
			cmd_version(&app, 0, NULL);
		else
			usage(help ? stdout : stderr);
		free(rest);
		return version || help ? 0 : 2;
	}
	verb = find_verb(rest[0]);
	if (!verb) {
		fprintf(stderr, "tiertop: unknown command \"%s\" (see tiertop --help)\n", rest[0]);
		free(rest);
		return 2;
	}
	if (verb->run == cmd_version || verb->run == cmd_help) {
		rc = verb->run(&app, nrest, rest);
	} else {
		struct tt_err err;
		rc = tt_app_configure(&app, &err) ? tt_app_fail(&err) : verb->run(&app, nrest, rest);
	}
	tt_app_free(&app);
	free(rest);
	return rc;
}
