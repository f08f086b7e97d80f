#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>

#include "app.h"
#include "tiertop/buf.h"
#include "tiertop/appcfg.h"
#include "tiertop/creds.h"
#include "tiertop/endpoint.h"
#include "tiertop/http.h"
#include "tiertop/log.h"
#include "tiertop/policy.h"
#include "tiertop/profile.h"
#include "tiertop/sanitize.h"
#include "tiertop/str.h"
#include "tiertop/xalloc.h"

/* --- MFA codes ------------------------------------------------------------ */

#define MFA_QUEUE 8

struct tt_app_mfa {
	tt_creds_mfa_fn answerer;   /* NULL: the terminal */
	void *answerer_ctx;
	struct tt_creds_mfa_request *queue[MFA_QUEUE]; /* for the terminal, oldest first */
	size_t n;
};

static void request_mfa(void *ctx, const char *profile, const char *serial, struct tt_creds_mfa_request *req)
{
	struct tt_app *app = ctx;
	struct tt_app_mfa *m = app->mfa;

	if (m->answerer)
		m->answerer(m->answerer_ctx, profile, serial, req);
	else if (m->n == MFA_QUEUE)
		tt_creds_mfa_decline(req, "too many requests are waiting for one");
	else
		m->queue[m->n++] = req;
}

static struct tt_creds_mfa_request *mfa_next(struct tt_app_mfa *m)
{
	struct tt_creds_mfa_request *req = m->queue[0];

	memmove(m->queue, m->queue + 1, (m->n - 1) * sizeof(m->queue[0]));
	m->n--;
	return req;
}

void tt_app_mfa_answerer(struct tt_app *app, tt_creds_mfa_fn fn, void *ctx)
{
	struct tt_app_mfa *m = app->mfa;

	if (!m)
		return;
	m->answerer = fn;
	m->answerer_ctx = ctx;
	while (fn && m->n) {
		struct tt_creds_mfa_request *req = mfa_next(m);
		fn(ctx, tt_creds_mfa_profile(req), tt_creds_mfa_serial(req), req);
	}
}

static int prompt_mfa(const char *serial, char *code, size_t size);

/* The engine's idle hook: between dispatches, never inside one. */
static void answer_on_terminal(void *ctx)
{
	struct tt_app_mfa *m = ((struct tt_app *)ctx)->mfa;

	while (!m->answerer && m->n) {
		struct tt_creds_mfa_request *req = mfa_next(m);
		char *code = tt_xcalloc(1, 64);
		if (!tt_creds_mfa_wanted(req))
			tt_creds_mfa_answer(req, NULL);
		else if (prompt_mfa(tt_creds_mfa_serial(req), code, 64) < 0)
			tt_creds_mfa_decline(req, "there is no terminal to ask on");
		else
			tt_creds_mfa_answer(req, code);
		tt_free_secret(code);
	}
}

/* Whatever is still waiting gets no code; after the credentials cache is
 * gone this only frees the requests. */
static void mfa_free(struct tt_app_mfa **mp)
{
	struct tt_app_mfa *m = *mp;

	while (m && m->n)
		tt_creds_mfa_answer(mfa_next(m), NULL);
	free(m);
	*mp = NULL;
}

/* --- deadlines and "waiting for" (one-shot verbs) ---------------------------
 *
 * 120 s by default: twice the read timeout, so one slow but healthy answer
 * (a big page, a busy GetMetricData) and a quick retry still fit, while a
 * stalled network no longer costs 3 x 60 s plus back-off, and a Retry-After
 * longer than what is left is not waited for. Per request rather than for
 * the whole verb, so that `items --all` over thousands of pages or `logs
 * --follow` are not cut off while they make progress. */
#define DEADLINE_DEFAULT_S 120
#define WAITING_AFTER_MS 3000
#define WAITING_EVERY_MS 3000

static int seconds_option(const char *name, const char *v, long *ms, struct tt_err *err)
{
	long n;

	if (tt_str_parse_long(v, 0, 86400, &n))
		return tt_err_set(err, TT_ERR_USAGE, "%s \"%s\" must be a whole number of seconds from 0 to 86400",
				  name, v);
	*ms = n * 1000;
	return 0;
}

/* A deadline someone chose also cuts a synchronous Invoke short; the
 * default yields to the function's own timeout (plus a minute). */
static int timeouts(const struct tt_app *app, struct tt_http_config *hc, long *deadline_ms, bool *strict,
		    struct tt_err *err)
{
	const char *env = getenv("TIERTOP_DEADLINE");

	*deadline_ms = DEADLINE_DEFAULT_S * 1000L;
	*strict = app->opts.deadline || (env && *env);
	if (app->opts.deadline) {
		if (seconds_option("--deadline", app->opts.deadline, deadline_ms, err))
			return -1;
	} else if (env && *env && seconds_option("TIERTOP_DEADLINE", env, deadline_ms, err)) {
		err->kind = TT_ERR_CONFIG;
		return -1;
	}
	/* 0 means "no limit", as in the AWS CLI; to the engine that is negative. */
	if (app->opts.read_timeout &&
	    seconds_option("--cli-read-timeout", app->opts.read_timeout, &hc->timeout_ms, err))
		return -1;
	if (app->opts.read_timeout && !hc->timeout_ms)
		hc->timeout_ms = -1;
	if (app->opts.connect_timeout &&
	    seconds_option("--cli-connect-timeout", app->opts.connect_timeout, &hc->connect_timeout_ms, err))
		return -1;
	if (app->opts.connect_timeout && !hc->connect_timeout_ms)
		hc->connect_timeout_ms = -1;
	return 0;
}

/* One line on a terminal, rewritten in place ("\r", erase to the end);
 * erased before anything else is printed. */
static void show_waiting(void *ctx, const char *label, const char *host, long waited_s)
{
	char *line, *safe;

	(void)ctx;
	if (!label) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		return;
	}
	line = tt_xasprintf("waiting for %s at %s (%lds)...", label, host, waited_s);
	safe = tt_sanitize(line, tt_app_san());
	fprintf(stderr, "\r%s\033[K", safe);
	fflush(stderr);
	free(safe);
	free(line);
}

static void one_shot_limits(struct tt_app *app, long deadline_ms, bool strict)
{
	if (app->console)
		return;
	tt_http_set_deadline(app->http, deadline_ms, strict);
	if (isatty(STDERR_FILENO))
		tt_http_set_waiting(app->http, WAITING_AFTER_MS, WAITING_EVERY_MS, show_waiting, app);
}

int tt_app_need_profile(const struct tt_awscfg *cfg, const char *profile, struct tt_err *err)
{
	if (tt_awscfg_has_profile(cfg, profile))
		return 0;
	return tt_err_set(err, TT_ERR_CONFIG, "profile %s not found in %s or %s", profile,
			  *tt_awscfg_config_path(cfg) ? tt_awscfg_config_path(cfg) : "~/.aws/config",
			  *tt_awscfg_credentials_path(cfg) ? tt_awscfg_credentials_path(cfg) : "~/.aws/credentials");
}

/* "[app NAME]" when the application's entry in tiertop's config chose this
 * setting (owned), else NULL: messages name it as the source. */
static char *chosen_by_app(const struct tt_app *app, const char *setting, const char *from_app)
{
	return app->app_def && setting && setting == from_app ? tt_xasprintf("[app %s]", app->app_def->name) : NULL;
}

int tt_app_connect(struct tt_app *app, struct tt_err *err)
{
	long deadline_ms;
	bool strict;
	struct tt_http_config hc;
	struct tt_creds_options co;
	char *label;
	int rc;

	if (app->opts.debug_log && tt_log_open(app->opts.debug_log, err))
		return -1;
	if (tt_awscfg_load(&app->cfg, err))
		return -1;
	app->profile = tt_awscfg_profile_name(app->opts.profile);
	if (tt_awscfg_profile_explicit(app->opts.profile) && tt_app_need_profile(app->cfg, app->profile, err))
		return -1;
	if (tt_region_resolve(app->cfg, app->profile, app->opts.region, &app->region, &app->region_source, err))
		return -1;
	if ((label = chosen_by_app(app, app->opts.region, app->app_def ? app->app_def->region : NULL))) {
		free(app->region_source);
		app->region_source = label;
	}
	if (tt_http_config_load(&hc, app->cfg, app->profile, err) || timeouts(app, &hc, &deadline_ms, &strict, err))
		return -1;
	app->http = tt_http_new(&hc);
	one_shot_limits(app, deadline_ms, strict);
	memset(&co, 0, sizeof(co));
	co.cli_profile = app->opts.profile;
	co.cli_profile_from = label = chosen_by_app(app, app->opts.profile, app->app_def ? app->app_def->profile : NULL);
	co.region = app->region;
	co.cli_endpoint_url = app->opts.endpoint_url;
	co.request_mfa = request_mfa;
	co.mfa_ctx = app;
	if (!app->mfa)
		app->mfa = tt_xcalloc(1, sizeof(*app->mfa));
	tt_http_set_idle(app->http, answer_on_terminal, app);
	rc = tt_creds_cache_new(&app->creds, app->http, app->cfg, &co, err);
	free(label);
	if (rc)
		return -1;
	app->aws.http = app->http;
	app->aws.cfg = app->cfg;
	app->aws.profile = app->profile;
	app->aws.region = app->region;
	app->aws.cli_endpoint_url = app->opts.endpoint_url;
	app->aws.creds = app->creds;
	return 0;
}

void tt_app_clear(struct tt_app *app)
{
	tt_creds_cache_free(&app->creds);
	mfa_free(&app->mfa);
	tt_http_free(&app->http);
	tt_awscfg_free(&app->cfg);
	free(app->region);
	free(app->region_source);
	free(app->read_only_from);
	tt_appcfg_free(&app->appcfg);
	tt_opts_clear(&app->args);
	tt_log_close();
}

int tt_app_fail(const struct tt_err *err)
{
	char line[2048];
	char *safe = tt_sanitize(tt_err_format(err, line, sizeof(line)), tt_app_san());

	fprintf(stderr, "tiertop: %s\n", safe);
	free(safe);
	return (int)tt_err_exit_code(err);
}

/* The sources and their order are the policy's (model/policy.c); the
 * verbs keep only the text naming the source that turned it on. */
static char *read_only_source(const struct tt_app *app)
{
	struct tt_policy p;
	char *from;

	tt_policy_init(&p, app->opts.read_only, getenv("TIERTOP_READ_ONLY"), app->appcfg, app->app_def);
	from = p.source_text;
	p.source_text = NULL;
	tt_policy_clear(&p);
	return from;
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
	/* app keeps only the text naming the source: all a refusal needs. */
	struct tt_policy p = {app->read_only_from != NULL, TT_POLICY_OFF, app->read_only_from};

	return tt_policy_refuse(&p, what, err);
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

unsigned tt_app_san(void)
{
	return tt_app_utf8() ? 0 : TT_SAN_ASCII;
}

static void banner_row(FILE *to, const char *label, const char *value)
{
	char *safe = tt_sanitize(value ? value : "", tt_app_san());

	fprintf(to, "  %-10s %s\n", label, safe);
	free(safe);
}

bool tt_app_confirm(const struct tt_app *app, const struct tt_app_action *a)
{
	/* When asking, the banner goes where the question goes: with stderr
	 * redirected the user would otherwise answer a bare "[y/N]". */
	FILE *to = a->tty ? a->tty : stderr;
	char answer[16], *line;
	const char *typed;

	fprintf(to, "%s\n", a->title);
	banner_row(to, "account", a->account);
	line = tt_xasprintf("%s (%s)", app->region, app->region_source);
	banner_row(to, "region", line);
	free(line);
	banner_row(to, "endpoint", a->endpoint);
	for (size_t i = 0; i < a->nrows; i++)
		banner_row(to, a->rows[i].label, a->rows[i].value);
	if (!a->tty)
		return true;
	line = tt_sanitize(a->question, tt_app_san());
	fprintf(a->tty, "%s [y/N] ", line);
	fflush(a->tty);
	free(line);
	if (!fgets(answer, sizeof(answer), a->tty))
		return false;
	typed = tt_str_trim(answer);
	return strcasecmp(typed, "y") == 0 || strcasecmp(typed, "yes") == 0;
}

/* The terminal whose echo the MFA prompt turned off, and how it was, so
 * that a signal arriving mid-prompt can put it back before it acts. */
static volatile sig_atomic_t echo_fd = -1;
static struct termios echo_saved;
static const int echo_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP};
#define N_ECHO_SIGNALS (sizeof(echo_signals) / sizeof(echo_signals[0]))

static void restore_echo(void)
{
	if (echo_fd >= 0)
		tcsetattr(echo_fd, TCSAFLUSH, &echo_saved);
}

/* Restores the terminal, then lets the signal do what it would have done
 * (only async-signal-safe calls). A stop (Ctrl-Z) leaves echo on: the
 * prompt is read without echo again only if it is asked again. */
static void on_echo_signal(int sig)
{
	int saved_errno = errno;

	restore_echo();
	echo_fd = -1;
	signal(sig, SIG_DFL);
	raise(sig);
	errno = saved_errno;
}

/* Reads one line from fd, without the newline; -1 on EOF or error. */
static int read_line(int fd, char *line, size_t size)
{
	size_t n = 0;
	char c;

	for (;;) {
		ssize_t got = read(fd, &c, 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return n ? 0 : -1;
		if (c == '\n' || c == '\r')
			break;
		if (n + 1 < size)
			line[n++] = c;
	}
	line[n] = '\0';
	return 0;
}

static void write_all(int fd, const char *s)
{
	size_t len = strlen(s);

	while (len) {
		ssize_t n = write(fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

/* The code is a secret for a few seconds: it is not echoed (nor left in a
 * terminal's scrollback or a screen recording). Fills code ("" at end of
 * input); -1 when there is no terminal. */
static int prompt_mfa(const char *serial, char *code, size_t size)
{
	struct sigaction sa, old[N_ECHO_SIGNALS];
	struct termios quiet;
	char *safe, *prompt;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	int rc;

	code[0] = '\0';
	if (fd < 0)
		return -1;
	safe = tt_sanitize(serial, tt_app_san());
	prompt = tt_xasprintf("MFA code for %s: ", safe);
	free(safe);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_echo_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < N_ECHO_SIGNALS; i++)
		sigaction(echo_signals[i], &sa, &old[i]);
	if (tcgetattr(fd, &echo_saved) == 0) {
		quiet = echo_saved;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK);
		quiet.c_lflag |= ECHONL;
		echo_fd = fd;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	write_all(fd, prompt);
	rc = read_line(fd, code, size);
	restore_echo();
	echo_fd = -1;
	for (size_t i = 0; i < N_ECHO_SIGNALS; i++)
		sigaction(echo_signals[i], &old[i], NULL);
	close(fd);
	free(prompt);
	if (rc)
		code[0] = '\0';
	return 0;
}

bool tt_app_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

