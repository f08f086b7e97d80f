/* tiertop console: the full-screen view of the application.
 *
 * One thread, one loop (design.md): drain the keys curses has, handle the
 * signal flags the self-pipe carries, let the engine run callbacks, let the
 * views start what is due, draw once if anything changed, then wait on the
 * engine, the keyboard and the self-pipe until the next deadline. Nothing
 * here blocks: every AWS call goes through the engine. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "invoke_front.h" /* editor: the invoke view's policy and endpoint */
#include "console_mfa.h" /* MFA hook */
#include "select.h"
#include "tiertop/appcfg.h"
#include "tiertop/canvas.h"
#include "tiertop/complete.h"
#include "tiertop/clock.h"
#include "tiertop/endpoint.h"
#include "tiertop/help.h"
#include "tiertop/http.h"
#include "tiertop/policy.h" /* editor */
#include "tiertop/profile.h"
#include "tiertop/retry.h"
#include "tiertop/keys.h"
#include "tiertop/str.h"
#include "tiertop/svc_sts.h"
#include "tiertop/term.h"
#include "tiertop/view_logs.h"
#include "tiertop/views.h"
#include "tiertop/widgets.h"
#include "tiertop/utf8.h"
#include "tiertop/xalloc.h"

#define MAX_DEPTH 16
#define MESSAGE_MS 5000
/* The status line shows ages in seconds: redraw at least this often. */
#define CLOCK_MS 1000
/* After a failed GetCallerIdentity: the first wait, doubling to the most. */
#define IDENTITY_RETRY_MS 2000
#define IDENTITY_RETRY_MAX_MS 60000
/* How long a quitting console waits for answers already on their way. */
#define DRAIN_MS 3000

/* The caller identity's answer may come after the console is gone. */
struct identity_call {
	struct console *c;
};

struct console {
	struct tt_app *app;
	char account[64];   /* for the status line: "111122223333", "?" */
	struct identity_call *identity;
	int64_t identity_retry_ms; /* asked again then after a failure; 0 = no failure */
	unsigned identity_failures; /* in a row */
	struct tt_term *term;
	struct tt_canvas *canvas;
	struct tt_view_env env;
	struct tt_view *views[MAX_DEPTH];
	size_t depth;
	bool help;          /* the help screen covers the top view */
	int help_scroll;
	char message[256];
	int64_t message_until;
	char prompt;        /* ':' or '/' while typing one, else 0 */
	char input[256];
	size_t input_len;
	bool quit;
	bool dirty;
	int64_t drawn_ms;
	struct console_mfa *mfa; /* MFA hook: the dialog asking for a code */
	int argc;           /* the console's own arguments, for a restart */
	char **argv;
	/* apps: narrowing a whole-region console (:apps, view_apps.c) */
	bool whole_region;
	long interval_ms;           /* for the tier screen that replaces the first */
	struct tt_select *app_pick; /* picked in the applications view: applied after its key() */
	char **app_values;          /* what app_pick's values point at, owned */
	size_t napp_pick;
	/* editor: what the invoke view (view_invoke.c) is lent through env */
	struct tt_policy policy;
	char *lambda_endpoint;
};

/* --- signals as events ------------------------------------------------------------ */

static int sig_pipe[2] = {-1, -1};
static volatile sig_atomic_t sig_winch, sig_quit, sig_tstp;

static void on_signal(int sig)
{
	int saved = errno;
	char byte = 0;

	if (sig == SIGWINCH)
		sig_winch = 1;
	else if (sig == SIGTSTP)
		sig_tstp = 1;
	else
		sig_quit = sig;
	if (write(sig_pipe[1], &byte, 1) < 0) {
		/* The pipe is full: a wake-up is already pending. */
	}
	errno = saved;
}

static int signals_start(void)
{
	struct sigaction sa;
	static const int sigs[] = {SIGWINCH, SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP};

	if (pipe(sig_pipe))
		return -1;
	for (int i = 0; i < 2; i++) {
		fcntl(sig_pipe[i], F_SETFL, fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	return 0;
}

static void signals_drain(void)
{
	char buf[64];

	while (read(sig_pipe[0], buf, sizeof(buf)) > 0)
		;
}

static void signals_stop(void)
{
	signal(SIGWINCH, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	for (int i = 0; i < 2; i++)
		if (sig_pipe[i] >= 0)
			close(sig_pipe[i]);
}

/* --- the view stack ------------------------------------------------------------------ */

static struct tt_view *top(struct console *c)
{
	return c->views[c->depth - 1];
}

static void push(void *con, struct tt_view *v)
{
	struct console *c = con;

	if (!v)
		return;
	if (c->depth == MAX_DEPTH) {
		v->ops->free(v);
		snprintf(c->message, sizeof(c->message), "too deep: go back first (Esc)");
		return;
	}
	c->views[c->depth++] = v;
	c->dirty = true;
}

static void pop(struct console *c)
{
	/* The tier screen stays: Esc on it does nothing, q quits. */
	if (c->depth <= 1)
		return;
	c->depth--;
	c->views[c->depth]->ops->free(c->views[c->depth]);
	c->dirty = true;
}

/* --- apps: narrowing a whole-region console ------------------------------------------ */

static void apps_pick_clear(struct console *c)
{
	for (size_t i = 0; i < c->napp_pick; i++)
		free(c->app_values[i]);
	free(c->app_values);
	free(c->app_pick);
	c->app_values = NULL;
	c->app_pick = NULL;
	c->napp_pick = 0;
}

/* env->open_app: only noted here, because the caller is the top view,
 * which the change frees. */
static void apps_open(void *con, const struct tt_select *sel, size_t n)
{
	struct console *c = con;

	apps_pick_clear(c);
	c->app_pick = tt_xcalloc(n + 1, sizeof(*c->app_pick));
	c->app_values = tt_xcalloc(n + 1, sizeof(*c->app_values));
	for (size_t i = 0; i < n; i++) {
		c->app_values[i] = tt_xstrdup(sel[i].value);
		c->app_pick[i] = (struct tt_select){sel[i].kind, c->app_values[i]};
	}
	c->napp_pick = n;
}

/* A new tier screen for the pick, with the old one's range and period;
 * every view goes. */
static void apps_apply_pick(struct console *c)
{
	struct tt_snapshot *old;
	struct tt_view_tiers_opts vopts;
	struct tt_view *tiers;

	if (!c->app_pick)
		return;
	old = tt_view_tiers_snapshot(c->views[0]);
	vopts = (struct tt_view_tiers_opts){.sel = c->app_pick, .nsel = c->napp_pick, .range_s = tt_snapshot_range(old),
					    .period_s = tt_snapshot_period(old), .interval_ms = c->interval_ms};
	tiers = tt_view_tiers_new(&c->env, &vopts);
	while (c->depth) {
		struct tt_view *v = c->views[--c->depth];
		v->ops->free(v);
	}
	c->views[c->depth++] = tiers;
	apps_pick_clear(c);
	c->whole_region = false;
	c->help = false;
	c->dirty = true;
}

static int64_t now_ms(const struct console *c)
{
	/* AWS's clock: ours corrected by the skew the engine learned. */
	return tt_clock_now_ms() + tt_http_clock_skew(c->app->http) * 1000LL;
}

static int64_t env_now_ms(void *con)
{
	return now_ms(con);
}

static void message(void *con, const char *text)
{
	struct console *c = con;

	snprintf(c->message, sizeof(c->message), "%.*s", (int)sizeof(c->message) - 1, text);
	c->message_until = now_ms(c) + MESSAGE_MS;
	c->dirty = true;
}

static void copy(void *con, const char *text)
{
	struct console *c = con;

	tt_term_osc52(c->term, text);
	message(con, "copied (OSC 52)");
}

/* editor: env->run_editor. $VISUAL, else $EDITOR, else vi, through the
 * shell (the variable may hold arguments); the loop waits meanwhile. */
static int run_editor(void *con, const char *path)
{
	struct console *c = con;
	const char *ed = getenv("VISUAL");
	char *cmd;
	int rc;

	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	if (strchr(path, '\''))
		return -1;
	cmd = tt_xasprintf("%s '%s'", ed, path);
	tt_term_suspend(c->term);
	rc = system(cmd);
	tt_term_resume(c->term);
	free(cmd);
	c->dirty = true;
	return rc == 0 ? 0 : rc < 0 || !WIFEXITED(rc) ? -1 : WEXITSTATUS(rc);
}

/* replay: env->open_replay, for the item browser's marks and :replay. */
static void open_replay(void *con, const char *table, const char *const *keys, size_t n)
{
	struct console *c = con;

	push(c, tt_view_replay_new(&c->env, tt_view_tiers_snapshot(c->views[0]), table, keys, n, NULL));
}

/* editor: what the invoke view borrows through env, decided as the invoke
 * verb decides it. Without an endpoint the confirmation shows "?". */
static void lend_invoke(struct console *c)
{
	struct tt_err err;

	tt_invoke_front_policy(c->app, &c->policy);
	c->lambda_endpoint = tt_invoke_front_endpoint(c->app, &err);
	c->env.policy = &c->policy;
	c->env.endpoint = c->lambda_endpoint;
	c->env.run_editor = run_editor;
	c->env.open_replay = open_replay; /* replay */
}

/* --- who we are (the status line names the account) ------------------------------------ */

/* An endpoint down at start must not leave "account ?" for the whole
 * session: ask again, 2 s after the first failure doubling to a minute. */
static void retry_identity_later(struct console *c)
{
	c->identity_failures++;
	c->identity_retry_ms =
	    now_ms(c) + tt_retry_doubling_ms(IDENTITY_RETRY_MS, IDENTITY_RETRY_MAX_MS, c->identity_failures);
	snprintf(c->account, sizeof(c->account), "account ?");
}

static void on_identity(void *ctx, const struct tt_sts_identity *id, const struct tt_err *err)
{
	struct identity_call *call = ctx;
	struct console *c = call->c;

	free(call);
	if (!c)
		return;
	c->identity = NULL;
	c->dirty = true;
	if (err) {
		retry_identity_later(c);
		return;
	}
	snprintf(c->account, sizeof(c->account), "%s", id->account);
	c->identity_retry_ms = 0;
	c->identity_failures = 0;
}

static void ask_identity(struct console *c)
{
	struct tt_err err;

	c->identity = tt_xcalloc(1, sizeof(*c->identity));
	c->identity->c = c;
	snprintf(c->account, sizeof(c->account), "account ...");
	if (tt_sts_get_caller_identity(&c->app->aws, on_identity, c->identity, &err)) {
		free(c->identity);
		c->identity = NULL;
		retry_identity_later(c);
	}
}

static void retry_identity_if_due(struct console *c, int64_t now)
{
	if (c->identity_retry_ms && !c->identity && now >= c->identity_retry_ms) {
		c->identity_retry_ms = 0;
		ask_identity(c);
	}
}

/* --- commands (":") --------------------------------------------------------------------- */

/* ":logs NAME...": functions' logs (each function's own log group) or log
 * groups ("/..." or an ARN), several interleaved in time order. */
static void cmd_logs(struct console *c, char *arg)
{
	struct tt_snapshot *snap = tt_view_tiers_snapshot(c->views[0]);
	struct tt_view_logs_opts opts;
	char *words[16], *save = NULL, title[300];
	size_t n = 0;

	/* The title is what the user typed, before the words are resolved. */
	snprintf(title, sizeof(title), "logs %.250s", arg);
	for (char *w = strtok_r(arg, " ", &save); w && n < 16; w = strtok_r(NULL, " ", &save))
		words[n++] = w[0] == '/' || strncmp(w, "arn:", 4) == 0 ? tt_xstrdup(w) : tt_function_log_group(snap, w);
	if (!n) {
		message(c, ":logs FUNCTION... or :logs /log/group...");
		return;
	}
	memset(&opts, 0, sizeof(opts));
	tt_tail_io_aws(&opts.io, &c->app->aws);
	push(c, tt_view_logs_new(&c->env, (const char *const *)words, n, title, &opts, now_ms(c)));
	for (size_t i = 0; i < n; i++)
		free(words[i]);
}

/* browser: ":items TABLE [PAGE_SIZE]": the item browser (view_items.c); a
 * smaller page size shows the paging on a small table. */
static void cmd_items(struct console *c, char *arg)
{
	struct tt_view_items_opts opts = {0};
	char *save = NULL, *table = arg ? strtok_r(arg, " ", &save) : NULL, *size = strtok_r(NULL, " ", &save);

	if (!table || (size && tt_str_parse_long(size, 1, 1000, &opts.page_size))) {
		message(c, ":items TABLE [PAGE_SIZE (1 to 1000)]");
		return;
	}
	push(c, tt_view_items_new(&c->env, table, &opts));
}

/* replay: the '}' that closes the JSON object at start, or NULL. */
static const char *object_end(const char *start)
{
	bool in_str = false, esc = false;
	int depth = 0;

	for (const char *p = start; *p; p++) {
		if (in_str) {
			if (esc)
				esc = false;
			else if (*p == '\\')
				esc = true;
			else if (*p == '"')
				in_str = false;
		} else if (*p == '"') {
			in_str = true;
		} else if (*p == '{') {
			depth++;
		} else if (*p == '}' && --depth == 0) {
			return p;
		}
	}
	return NULL;
}

/* replay: ":replay TABLE KEYJSON...": the replay view for those keys (plain
 * JSON objects one after the other, spaces inside them allowed). */
static void cmd_replay(struct console *c, char *arg)
{
	char *save = NULL, *table = arg ? strtok_r(arg, " ", &save) : NULL;
	const char *p = save, *end;
	char *keys[64];
	size_t n = 0;

	while (p && n < 64) {
		p += strspn(p, " ");
		if (*p != '{' || !(end = object_end(p)))
			break;
		keys[n++] = tt_xstrndup(p, (size_t)(end - p + 1));
		p = end + 1;
	}
	if (!table || !n || (p && *p))
		message(c, ":replay TABLE {\"key\":\"value\"}...");
	else
		open_replay(c, table, (const char *const *)keys, n);
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
}

static void cmd_focus(struct console *c, const char *tier)
{
	while (c->depth > 1)
		pop(c);
	tt_view_tiers_focus(c->views[0], tier);
}

/* What a restart passes for flag (--profile, --region or --app), NULL for
 * nothing. A profile or region that came from the current [app] section is
 * not carried over to another application: the new one brings its own. */
static const char *restart_value(const struct console *c, const char *flag, const char *opt, const char *value)
{
	const struct tt_cli_opts *o = &c->app->opts;
	const struct tt_appcfg_app *def = c->app->app_def;
	bool new_app = strcmp(opt, "--app") == 0;

	if (strcmp(flag, opt) == 0)
		return value;
	if (strcmp(flag, "--profile") == 0)
		return new_app && def && o->profile == def->profile ? NULL : o->profile;
	if (strcmp(flag, "--region") == 0)
		return new_app && def && o->region == def->region ? NULL : o->region;
	return o->app;
}

/* The checks start-up would make, made before leaving: a mistyped profile,
 * region or application must not end the session. */
static int check_restart(const struct console *c, const char *opt, const char *value, struct tt_err *err)
{
	const char *profile = restart_value(c, "--profile", opt, value);
	const char *region = restart_value(c, "--region", opt, value);
	const struct tt_appcfg_app *def = NULL;
	char *resolved = NULL, *source = NULL;
	int rc;

	if (strcmp(opt, "--app") == 0) {
		if (tt_appcfg_pick(c->app->appcfg, value, &def, err))
			return -1;
		profile = profile ? profile : def ? def->profile : NULL;
		region = region ? region : def ? def->region : NULL;
	}
	if (profile && tt_app_need_profile(c->app->cfg, profile, err))
		return -1;
	rc = tt_region_resolve(c->app->cfg, tt_awscfg_profile_name(profile), region, &resolved, &source, err);
	free(resolved);
	free(source);
	return rc;
}

/* ":region R", ":profile P", ":app A": another account or region is another
 * engine, credentials and snapshot: start afresh, as tiertop itself would
 * with those options (the terminal is handed over in between). */
static void restart_with(struct console *c, const char *opt, const char *value)
{
	const struct tt_cli_opts *o = &c->app->opts;
	char *args[96];
	size_t n = 0;
	static char exe[] = "tiertop", console_word[] = "console", ro[] = "--read-only", nc[] = "--no-color";

#define ARG(flag, v)                                                  \
	do {                                                          \
		if (v) {                                              \
			args[n++] = tt_xstrdup(flag);                 \
			args[n++] = tt_xstrdup(v);                    \
		}                                                     \
	} while (0)
	args[n++] = exe;
	ARG("--profile", restart_value(c, "--profile", opt, value));
	ARG("--region", restart_value(c, "--region", opt, value));
	ARG("--app", restart_value(c, "--app", opt, value));
	ARG("--endpoint-url", o->endpoint_url);
	ARG("--debug-log", o->debug_log);
#undef ARG
	if (o->read_only)
		args[n++] = ro;
	if (o->no_color)
		args[n++] = nc;
	args[n++] = console_word;
	for (int i = 1; i < c->argc && n < 94; i++) {
		/* A new application replaces the selectors given on the command
		 * line (each is a flag and its value). */
		if (strcmp(opt, "--app") == 0 && tt_selection_is_flag(c->argv[i])) {
			i++;
			continue;
		}
		args[n++] = c->argv[i];
	}
	args[n] = NULL;
	tt_term_end(&c->term);
	execv("/proc/self/exe", args);
	/* Still here: say so on a fresh screen. */
	fprintf(stderr, "tiertop: could not restart for %s %s: %s\n", opt, value, strerror(errno));
	exit(TT_EXIT_FAILURE);
}

struct command {
	const char *name;
	const char *args;
	const char *help;
};

static const struct command commands[] = {
	{"functions", "", "the logic tier"},
	{"tables", "", "the data tier"},
	{"apis", "", "the presentation tier"},
	{"logs", "NAME...", "follow functions' or log groups' logs"},
	{"range", "1h|3h|12h|24h|7d", "the metrics' range"},
	{"interval", "SECONDS", "how often what is on screen refreshes"},
	{"refresh", "", "refresh now"},
	{"apps", "", "the region's applications, to narrow to one"}, /* apps */
	{"audit", "", "the invokes and replays recorded in the audit log"}, /* audit */
	{"invoke", "FUNCTION", "invoke a function: payload editor, confirmation, answer"}, /* editor */
	{"items", "TABLE [PAGE_SIZE]", "browse a table's items, page by page"}, /* browser */
	{"replay", "TABLE KEYJSON...", "replay items through a function (dry run, confirmation, logs)"}, /* replay */
	{"region", "REGION", "start again in another region"},
	{"profile", "PROFILE", "start again with another profile"},
	{"app", "NAME", "start again on another application of the config file"},
	{"help", "", "the keys"},
	{"quit", "", "quit"},
};

static void run_command(struct console *c, char *line)
{
	char *arg = strchr(line, ' ');
	const char *msg = NULL;
	long secs;

	if (arg) {
		*arg++ = 0;
		while (*arg == ' ')
			arg++;
	}
	if (!*line)
		return;
	if (strcmp(line, "q") == 0 || strcmp(line, "quit") == 0)
		c->quit = true;
	else if (strcmp(line, "functions") == 0 || strcmp(line, "tables") == 0 || strcmp(line, "apis") == 0)
		cmd_focus(c, line);
	else if (strcmp(line, "logs") == 0)
		cmd_logs(c, arg ? arg : line + strlen(line));
	else if (strcmp(line, "range") == 0) {
		if (!arg || tt_view_tiers_set_range(c->views[0], arg, &msg))
			message(c, msg ? msg : "ranges: 1h 3h 12h 24h 7d");
	} else if (strcmp(line, "interval") == 0) {
		if (!arg || tt_str_parse_long(arg, 5, 3600, &secs))
			message(c, ":interval SECONDS (5 to 3600)");
		else {
			tt_view_tiers_set_interval(c->views[0], secs * 1000, now_ms(c));
			c->interval_ms = secs * 1000; /* apps: kept for a narrowed tier screen */
		}
	} else if (strcmp(line, "refresh") == 0)
		tt_view_tiers_refresh(c->views[0], now_ms(c));
	else if (strcmp(line, "apps") == 0) /* apps */
		push(c, tt_view_apps_new(&c->env, NULL));
	else if (strcmp(line, "audit") == 0) /* audit: view_audit.c */
		push(c, tt_view_audit_new(&c->env, tt_view_tiers_snapshot(c->views[0]), NULL));
	else if (strcmp(line, "items") == 0) /* browser: view_items.c */
		cmd_items(c, arg);
	else if (strcmp(line, "replay") == 0) /* replay: view_replay.c */
		cmd_replay(c, arg);
	else if (strcmp(line, "invoke") == 0) { /* editor: view_invoke.c */
		if (arg && *arg)
			push(c, tt_view_invoke_new(&c->env, tt_view_tiers_snapshot(c->views[0]), arg, NULL));
		else
			message(c, ":invoke FUNCTION");
	}
	else if (strcmp(line, "region") == 0 || strcmp(line, "profile") == 0 || strcmp(line, "app") == 0) {
		const char *flag = line[0] == 'r' ? "--region" : line[0] == 'p' ? "--profile" : "--app";
		struct tt_err err;
		char why[sizeof(err.message) + 64];
		if (arg && *arg && check_restart(c, flag, arg, &err) == 0) {
			restart_with(c, flag, arg);
		} else if (arg && *arg) {
			snprintf(why, sizeof(why), "staying here: %s", err.message);
			message(c, why);
		} else
			message(c, ":region REGION, :profile PROFILE or :app NAME");
	} else if (strcmp(line, "help") == 0)
		c->help = true;
	else {
		char buf[200];
		snprintf(buf, sizeof(buf), "unknown command :%.150s (try : then Tab)", line);
		message(c, buf);
	}
}

/* What the first argument of a command can be, from what the console knows:
 * the application's functions and tables, the profiles of the AWS config,
 * the applications of tiertop's config, the ranges. *cands is the caller's
 * to free (the array; the strings are borrowed). */
static size_t arg_candidates(const struct console *c, const char *cmd, const char ***cands)
{
	static const char *const ranges[] = {"1h", "3h", "12h", "24h", "7d"};
	const struct tt_snapshot *snap = tt_view_tiers_snapshot(c->views[0]);
	const struct tt_stack *st = snap ? tt_snapshot_stack(snap) : NULL;
	size_t n = 0;

	*cands = NULL;
	if ((strcmp(cmd, "logs") == 0 || strcmp(cmd, "invoke") == 0) && st) {
		*cands = tt_xcalloc(st->nfunctions + 1, sizeof(**cands));
		for (size_t i = 0; i < st->nfunctions; i++)
			(*cands)[n++] = st->functions[i].name;
	} else if ((strcmp(cmd, "items") == 0 || strcmp(cmd, "replay") == 0) && st) {
		*cands = tt_xcalloc(st->ntables + 1, sizeof(**cands));
		for (size_t i = 0; i < st->ntables; i++)
			(*cands)[n++] = st->tables[i].name;
	} else if (strcmp(cmd, "app") == 0 && c->app->appcfg) {
		*cands = tt_xcalloc(c->app->appcfg->napps + 1, sizeof(**cands));
		for (size_t i = 0; i < c->app->appcfg->napps; i++)
			(*cands)[n++] = c->app->appcfg->apps[i].name;
	} else if (strcmp(cmd, "profile") == 0 && c->app->cfg) {
		n = tt_awscfg_section_names(c->app->cfg, "profile", cands);
	} else if (strcmp(cmd, "range") == 0) {
		*cands = tt_xcalloc(5, sizeof(**cands));
		for (; n < 5; n++)
			(*cands)[n] = ranges[n];
	}
	return n;
}

/* Tab after a command word: completes its first argument, or lists the
 * candidates when several fit. */
static void complete_arg(struct console *c)
{
	char *space = memchr(c->input, ' ', c->input_len), cmd[32], common[sizeof(c->input)], buf[240];
	const char **cands;
	const char *word = space + 1;
	size_t n, matches;

	c->input[c->input_len] = 0;
	if (strchr(word, ' ') || (size_t)(space - c->input) >= sizeof(cmd))
		return;
	snprintf(cmd, sizeof(cmd), "%.*s", (int)(space - c->input), c->input);
	n = arg_candidates(c, cmd, &cands);
	matches = tt_complete(word, cands, n, common, sizeof(c->input) - (size_t)(word - c->input) - 1);
	if (matches) {
		c->input_len = (size_t)(word - c->input) + (size_t)snprintf(c->input + (word - c->input),
									  sizeof(c->input) - (size_t)(word - c->input),
									  "%s%s", common, matches == 1 ? " " : "");
	}
	if (matches == 1) {
		message(c, ""); /* what an earlier Tab listed is stale */
	} else if (matches > 1) {
		int used = snprintf(buf, sizeof(buf), "%zu fit:", matches);
		for (size_t i = 0; i < n && used > 0 && (size_t)used < sizeof(buf); i++)
			if (strncmp(cands[i], common, strlen(common)) == 0)
				used += snprintf(buf + used, sizeof(buf) - (size_t)used, " %s", cands[i]);
		message(c, buf);
	} else if (!matches && n) {
		snprintf(buf, sizeof(buf), "nothing starts with \"%.100s\"", word);
		message(c, buf);
	}
	free(cands);
}

/* Tab: completes the command word from the table, or its argument. */
static void complete(struct console *c)
{
	const struct command *match = NULL;
	int count = 0;

	if (c->prompt != ':')
		return;
	if (memchr(c->input, ' ', c->input_len)) {
		complete_arg(c);
		return;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strncmp(commands[i].name, c->input, c->input_len) == 0) {
			match = &commands[i];
			count++;
		}
	if (count == 1) {
		char buf[200];
		c->input_len = (size_t)snprintf(c->input, sizeof(c->input), "%s ", match->name);
		snprintf(buf, sizeof(buf), ":%s %s: %s", match->name, match->args, match->help);
		message(c, buf);
	} else if (count > 1) {
		char buf[200] = "";
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			if (strncmp(commands[i].name, c->input, c->input_len) == 0)
				snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ":%s ", commands[i].name);
		message(c, buf);
	}
}

static void prompt_key(struct console *c, int key)
{
	if (key == TT_KEY_ESC) {
		c->prompt = 0;
	} else if (key == TT_KEY_ENTER) {
		c->input[c->input_len] = 0;
		if (c->prompt == ':')
			run_command(c, c->input);
		else
			tt_view_tiers_filter(c->views[0], c->input);
		c->prompt = 0;
	} else if (key == TT_KEY_BACKSPACE) {
		/* Back over a whole UTF-8 character. */
		while (c->input_len && (c->input[--c->input_len] & 0xc0) == 0x80)
			;
	} else if (key == TT_KEY_TAB) {
		complete(c);
	} else if (key >= ' ' && key < TT_KEY_BASE && key != 0x7f) {
		char utf8[4];
		size_t n = tt_utf8_encode((uint32_t)key, utf8);
		if (c->input_len + n < sizeof(c->input) - 1) {
			memcpy(c->input + c->input_len, utf8, n);
			c->input_len += n;
		}
	}
	if (c->prompt == '/' && key != TT_KEY_ENTER && key != TT_KEY_ESC) {
		/* The filter narrows as you type, like k9s. */
		c->input[c->input_len] = 0;
		tt_view_tiers_filter(c->views[0], c->input);
	}
	c->dirty = true;
}

/* --- keys ---------------------------------------------------------------------------------- */

enum console_action { C_HELP = 1, C_COMMAND, C_FILTER, C_BACK, C_REDRAW, C_QUIT };

static const struct tt_keybind console_binds[] = {
	{'?', C_HELP, "help (this screen)"},
	{TT_KEY_F1, C_HELP, "help (this screen)"},
	{':', C_COMMAND, "command: functions tables apis logs NAME range R refresh apps quit"},
	{'/', C_FILTER, "filter the tier's list as you type (Enter keeps it, c clears)"},
	{TT_KEY_ESC, C_BACK, "back"},
	{TT_KEY_BACKSPACE, C_BACK, "back"},
	{'h', C_BACK, "back"},
	{TT_KEY_LEFT, C_BACK, "back"},
	{TT_KEY_CTRL('l'), C_REDRAW, "redraw the screen"},
	{'q', C_QUIT, "quit (from the tier screen; elsewhere back)"},
};

static const struct tt_keymap console_keymap = {"Everywhere", console_binds,
						sizeof(console_binds) / sizeof(console_binds[0])};

static void help_key(struct console *c, int key)
{
	const struct tt_keymap *maps[2] = {top(c)->ops->keymap, &console_keymap};
	/* Scrolling stops where the last line of help reaches the bottom. */
	int last = tt_keymap_help_lines(maps, 2, c->canvas) - (c->canvas->h - 2);

	if ((key == TT_KEY_DOWN || key == 'j') && c->help_scroll < last)
		c->help_scroll++;
	else if ((key == TT_KEY_UP || key == 'k') && c->help_scroll > 0)
		c->help_scroll--;
	else
		c->help = false;
	c->dirty = true;
}

static void console_key(struct console *c, int key)
{
	switch (tt_keymap_action(&console_keymap, key)) {
	case C_HELP:
		c->help = true;
		c->help_scroll = 0;
		break;
	case C_COMMAND:
	case C_FILTER:
		c->prompt = (char)key;
		c->input_len = 0;
		if (key == '/')
			tt_view_tiers_filter(c->views[0], NULL);
		break;
	case C_BACK: pop(c); break;
	case C_REDRAW: tt_term_invalidate(c->term); break;
	case C_QUIT:
		if (c->depth > 1)
			pop(c);
		else
			c->quit = true;
		break;
	default: return;
	}
	c->dirty = true;
}

static void handle_key(struct console *c, int key)
{
	int r;

	if (key == TT_KEY_RESIZE) {
		sig_winch = 1;
		return;
	}
	if (console_mfa_key(c->mfa, key, !c->prompt && !c->help)) /* MFA hook: an open dialog takes every key */
		return;
	if (c->prompt) {
		prompt_key(c, key);
		return;
	}
	if (c->help) {
		help_key(c, key);
		return;
	}
	/* A view's own keys first ('/' searches in a log view); what it
	 * leaves is the console's ('/' then filters the tier screen). */
	r = top(c)->ops->key(top(c), key, now_ms(c));
	if (r == TT_VIEW_BACK)
		pop(c);
	else if (r == TT_VIEW_QUIT)
		c->quit = true;
	else if (r == TT_VIEW_IGNORED)
		console_key(c, key);
	apps_apply_pick(c); /* apps: a pick in the applications view */
}

/* --- drawing ---------------------------------------------------------------------------------- */

static void draw_breadcrumb(struct console *c)
{
	struct tt_canvas *cv = c->canvas;
	struct tt_style st = tt_style_selected();
	char buf[512];
	int x;

	tt_canvas_fill(cv, 0, 0, cv->w, 1, ' ', st);
	x = tt_canvas_text(cv, 0, 0, cv->w, "tiertop ", st);
	for (size_t i = 0; i < c->depth && x < cv->w; i++) {
		snprintf(buf, sizeof(buf), "%s%s", i ? (cv->utf8 ? " \xe2\x80\xba " : " > ") : "",
			 c->views[i]->ops->crumb(c->views[i]));
		x += tt_canvas_text(cv, x, 0, cv->w - x, buf, st);
	}
	if (c->help && x < cv->w)
		tt_canvas_text(cv, x, 0, cv->w - x, cv->utf8 ? " \xe2\x80\xba help" : " > help", st);
}

/* The prompt replaces the status line while something is typed. */
static void draw_prompt(struct console *c, int64_t now)
{
	struct tt_canvas *cv = c->canvas;
	int y = cv->h - 1, used;
	char line[300];

	tt_canvas_fill(cv, 0, y, cv->w, 1, ' ', tt_style_selected());
	snprintf(line, sizeof(line), "%c%.*s", c->prompt, (int)c->input_len, c->input);
	used = tt_canvas_text(cv, 0, y, cv->w, line, tt_style_plain());
	tt_canvas_fill(cv, used, y, 1, 1, ' ', tt_style_selected());
	/* What Tab found is said beside what is typed. */
	if (c->message[0] && now < c->message_until && used + 3 < cv->w)
		tt_canvas_text(cv, used + 3, y, cv->w - used - 3, c->message, tt_style_dim());
}

/* At 80 columns not everything fits: the priorities say what goes first
 * (the polling detail, then the hint), so read-only mode, the region and
 * the account stay readable on any terminal. */
static void draw_status(struct console *c, int64_t now)
{
	struct tt_style bar = tt_style_selected();
	struct tt_style ro = {TT_COLOR_WHITE, TT_COLOR_RED, TT_ATTR_BOLD};
	const char *root = c->views[0]->ops->status ? c->views[0]->ops->status(c->views[0]) : NULL;
	const char *mine = c->depth > 1 && top(c)->ops->status ? top(c)->ops->status(top(c)) : NULL;
	char who[200], flight[32] = "";
	bool message = c->message[0] && now < c->message_until;
	size_t in_flight = tt_http_in_flight(c->app->http);

	if (c->prompt) {
		draw_prompt(c, now);
		return;
	}
	snprintf(who, sizeof(who), "%s%s", c->app->profile ? c->app->profile : "default",
		 c->app->opts.endpoint_url ? " @endpoint" : "");
	if (in_flight)
		snprintf(flight, sizeof(flight), "%zu in flight", in_flight);
	struct tt_status_seg segs[] = {
		{c->env.read_only ? "READ-ONLY" : NULL, ro, false, 100},
		{who, bar, false, 60},
		{c->account, bar, false, 65},
		{c->app->region, bar, false, 70},
		{c->whole_region ? "whole region: :apps to narrow" : NULL, bar, false, 40}, /* apps */
		{root, bar, false, 30},
		{mine, bar, false, 50},
		{flight, bar, false, 20},
		{"? help", bar, true, 80},
	};

	/* A message stands in for everything but the read-only badge and help. */
	if (message) {
		segs[1] = (struct tt_status_seg){c->message, tt_style_warn(), false, 90};
		for (size_t i = 2; i < 8; i++)
			segs[i].text = NULL;
	}
	tt_status_draw(c->canvas, c->canvas->h - 1, segs, sizeof(segs) / sizeof(segs[0]), bar);
}

static void render(struct console *c, int64_t now)
{
	int w, h;
	const struct tt_keymap *maps[2];

	tt_term_size(c->term, &w, &h);
	if (w != c->canvas->w || h != c->canvas->h)
		tt_canvas_resize(c->canvas, w, h);
	tt_canvas_clear(c->canvas);
	draw_breadcrumb(c);
	if (h > 2) {
		if (c->help) {
			maps[0] = top(c)->ops->keymap;
			maps[1] = &console_keymap;
			tt_keymap_help_draw(maps, 2, c->canvas, 1, h - 2, c->help_scroll);
		} else {
			top(c)->ops->draw(top(c), c->canvas, 1, h - 2);
		}
	}
	draw_status(c, now);
	console_mfa_draw(c->mfa, c->canvas); /* MFA hook: the dialog over everything */
	tt_term_blit(c->term, c->canvas);
	for (size_t i = 0; i < c->depth; i++)
		c->views[i]->dirty = false;
	c->dirty = false;
	c->drawn_ms = now;
}

/* --- the loop --------------------------------------------------------------------------------- */

static void handle_signals(struct console *c)
{
	signals_drain();
	if (sig_winch) {
		sig_winch = 0;
		tt_term_resized(c->term);
		c->dirty = true;
	}
	if (sig_tstp) {
		sig_tstp = 0;
		tt_term_suspend(c->term);
		signal(SIGTSTP, SIG_DFL);
		raise(SIGTSTP);
		/* ... stopped here until fg ... */
		signal(SIGTSTP, on_signal);
		tt_term_resume(c->term);
		c->dirty = true;
	}
	/* replay: Ctrl-C stops a running replay between items instead of quitting. */
	if (sig_quit == SIGINT && strcmp(top(c)->ops->kind, "replay") == 0 &&
	    top(c)->ops->key(top(c), TT_KEY_CTRL('c'), now_ms(c)) == TT_VIEW_HANDLED) {
		sig_quit = 0;
		c->dirty = true;
	}
	if (sig_quit)
		c->quit = true;
}

/* A terminal that went away without a SIGHUP (the pty closed under us)
 * reads as "readable" for ever while curses sees no key: without this the
 * loop would spin at a full core. */
static bool terminal_gone(int fd)
{
	struct pollfd p = {fd, POLLIN, 0};

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

static long next_wait(struct console *c, int64_t now)
{
	long wait = CLOCK_MS;

	for (size_t i = 0; i < c->depth; i++) {
		long d = c->views[i]->ops->deadline ? c->views[i]->ops->deadline(c->views[i], now) : -1;
		if (d >= 0 && d < wait)
			wait = d;
	}
	if (c->message[0] && c->message_until > now && c->message_until - now < wait)
		wait = (long)(c->message_until - now);
	if (c->identity_retry_ms && c->identity_retry_ms - now < wait)
		wait = c->identity_retry_ms > now ? (long)(c->identity_retry_ms - now) : 0;
	return wait;
}

static void run_loop(struct console *c)
{
	struct tt_http_fd fds[2];

	while (!c->quit) {
		int64_t now;
		int key;
		while ((key = tt_term_key(c->term)) != TT_KEY_NONE && !c->quit)
			handle_key(c, key);
		handle_signals(c);
		if (c->quit)
			break;
		now = now_ms(c);
		for (size_t i = 0; i < c->depth; i++)
			if (c->views[i]->ops->clock)
				c->views[i]->ops->clock(c->views[i], now);
		tt_http_dispatch(c->app->http);
		now = now_ms(c);
		for (size_t i = 0; i < c->depth; i++)
			if (c->views[i]->ops->tick)
				c->views[i]->ops->tick(c->views[i], now);
		retry_identity_if_due(c, now);
		if (c->dirty || top(c)->dirty || c->views[0]->dirty || now - c->drawn_ms >= CLOCK_MS)
			render(c, now);
		fds[0] = (struct tt_http_fd){tt_term_fd(c->term), false};
		fds[1] = (struct tt_http_fd){sig_pipe[0], false};
		tt_http_wait(c->app->http, fds, 2, next_wait(c, now));
		if (fds[0].readable && terminal_gone(fds[0].fd))
			c->quit = true;
	}
}

/* The views are gone; what they had in flight answers into records that
 * free themselves. Give those answers a moment (the screen is already
 * restored: an invoke's result still reaches the audit log), then end the
 * rest, a request stalled or waiting out a throttling back-off included,
 * so that their records are freed too rather than left behind. */
static void drain(struct console *c)
{
	int64_t until = tt_clock_mono_ms() + DRAIN_MS;

	tt_term_end(&c->term);
	while (tt_http_busy(c->app->http) && tt_clock_mono_ms() < until) {
		tt_http_dispatch(c->app->http);
		tt_http_wait(c->app->http, NULL, 0, 100);
	}
	tt_http_cancel_all(c->app->http);
}

/* --- the verb ------------------------------------------------------------------------------------ */

static const struct tt_opt console_opts[] = {
	TT_SELECTION_OPTS,
	{"--range", "1h|3h|12h|24h|7d", 0, "the metrics' range (default 1h)"},
	{"--interval", "SECONDS", 0, "how often what is on screen refreshes, 5 to 3600 (default 60)"},
	{"--ascii", NULL, 0, "draw only ASCII, even on a UTF-8 terminal"},
};

const struct tt_opts_spec tt_console_spec = {
	"console", NULL, 0, 0, console_opts, sizeof(console_opts) / sizeof(console_opts[0]),
	"Selectors add up; without any, the application of --app or the config file, else the whole region.\n"
	"In the console, ? lists the keys of the view you are in and q quits (docs/keys.md).",
};

struct console_args {
	struct tt_selection sel;
	const char *range;
	long interval_s;
	bool ascii;
};

static int parse_args(struct tt_app *app, const struct tt_opts *o, struct console_args *a)
{
	const char *interval = tt_opts_get(o, "--interval"), *msg = NULL;

	a->range = tt_opts_has(o, "--range") ? tt_opts_get(o, "--range") : "1h";
	a->interval_s = 60;
	a->ascii = tt_opts_has(o, "--ascii");
	if (tt_selection_from_opts(&a->sel, o, &msg))
		return tt_opts_usage_error(&tt_console_spec, msg);
	if (interval && tt_str_parse_long(interval, 5, 3600, &a->interval_s))
		return tt_opts_usage_error(&tt_console_spec, "--interval takes seconds, 5 to 3600");
	if (!strstr(" 1h 3h 12h 24h 7d ", a->range) || strchr(a->range, ' ') || !*a->range)
		return tt_opts_usage_error(&tt_console_spec, "--range takes 1h, 3h, 12h, 24h or 7d");
	return tt_selection_finish(&a->sel, app, "console");
}

static int start_console(struct console *c, const struct console_args *a)
{
	struct tt_term_opts topts = {c->app->opts.no_color, a->ascii};
	struct tt_view_tiers_opts vopts = {.sel = a->sel.sel, .nsel = a->sel.n, .range_s = 3600, .period_s = 60,
					   .interval_ms = a->interval_s * 1000};
	char errbuf[256];
	const char *msg = NULL;
	int w, h;

	c->term = tt_term_start(&topts, errbuf, sizeof(errbuf));
	if (!c->term) {
		fprintf(stderr, "tiertop: %s\n", errbuf);
		return TT_EXIT_USAGE;
	}
	tt_term_size(c->term, &w, &h);
	c->canvas = tt_canvas_new(w, h, tt_term_utf8(c->term));
	c->env = (struct tt_view_env){&c->app->aws, tt_term_utf8(c->term), !topts.no_color,
				      c->app->read_only_from != NULL, c, push, message, copy, env_now_ms, apps_open,
				      NULL, NULL, NULL, NULL}; /* editor, replay: set below */
	lend_invoke(c); /* editor */
	c->whole_region = a->sel.whole_region; /* apps */
	c->interval_ms = a->interval_s * 1000;
	c->mfa = console_mfa_start(c->app, c, message, &c->dirty); /* MFA hook: codes asked in a dialog */
	push(c, tt_view_tiers_new(&c->env, &vopts));
	ask_identity(c);
	if (tt_term_note(c->term))
		message(c, tt_term_note(c->term));
	if (tt_view_tiers_set_range(c->views[0], a->range, &msg))
		message(c, msg);
	return 0;
}

int tt_cmd_console(struct tt_app *app, int argc, char **argv)
{
	struct console c;
	struct console_args a;
	struct tt_err err;
	int rc;

	memset(&c, 0, sizeof(c));
	memset(&a, 0, sizeof(a));
	c.app = app;
	c.argc = argc;
	c.argv = argv;
	rc = parse_args(app, &app->args, &a);
	if (rc == 0 && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fprintf(stderr, "tiertop: the console needs a terminal; for scripts use a command "
				"(tiertop status, logs, items...: see tiertop --help)\n");
		rc = TT_EXIT_USAGE;
	}
	if (rc == 0 && tt_app_connect(app, &err))
		rc = tt_app_fail(&err);
	if (rc == 0 && signals_start())
		rc = TT_EXIT_FAILURE;
	if (rc == 0)
		rc = start_console(&c, &a);
	if (rc == 0) {
		run_loop(&c);
		while (c.depth) {
			struct tt_view *v = c.views[--c.depth];
			v->ops->free(v);
		}
	}
	if (c.identity)
		c.identity->c = NULL;
	if (rc == 0)
		drain(&c);
	console_mfa_free(&c.mfa); /* MFA hook */
	tt_policy_clear(&c.policy); /* editor */
	free(c.lambda_endpoint);    /* editor */
	tt_term_end(&c.term);
	tt_canvas_free(&c.canvas);
	signals_stop();
	tt_selection_clear(&a.sel);
	if (rc == 0 && sig_quit && sig_quit != SIGINT)
		rc = 128 + sig_quit;
	return rc;
}
