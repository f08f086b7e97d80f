/* credential_process: run a command (split like a POSIX shell would, but not
 * run through one) and read credentials from its JSON output. The child's
 * output is read from the event loop, so a slow helper never freezes the
 * screen. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "creds_internal.h"
#include "tiertop/buf.h"
#include "tiertop/clock.h"
#include "tiertop/str.h"
#include "tiertop/xalloc.h"

extern char **environ;

#define MAX_OUTPUT (64 * 1024)
#define MAX_ARGS 64

/* How long a helper may run (TIERTOP_CREDENTIAL_PROCESS_TIMEOUT overrides
 * it), how long SIGTERM has before SIGKILL, and how often an exited-or-not
 * child is looked at once its output is closed. */
#define DEFAULT_TIMEOUT_MS 60000
#define KILL_GRACE_MS 2000
#define REAP_POLL_MS 20

enum process_stage { P_IDLE, P_RUNNING, P_TERMINATING, P_KILLED };

struct process_provider {
	struct provider base;
	struct chain_env env;
	char *profile;
	char *command;
	pid_t pid;
	int status;             /* from waitpid once pid is -1 */
	int out_fd;
	int err_fd;
	int timer_fd;           /* the limit, the grace period and reaping */
	enum process_stage stage;
	int64_t deadline;       /* monotonic ms: the limit, then the grace period's end */
	int64_t timeout_ms;
	bool timed_out;
	bool killed;            /* at the limit the child was still running */
	struct tt_buf out;
	struct tt_buf errout;
};

static void close_fd(struct tt_http *http, int *fd)
{
	if (*fd >= 0) {
		tt_http_unwatch_fd(http, *fd);
		close(*fd);
		*fd = -1;
	}
}

static int parse_output(struct process_provider *pp, struct tt_creds *c, struct tt_err *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(pp->out.data ? pp->out.data : "", pp->out.len, 0, &jerr);
	json_t *version;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	if (!json_is_object(root)) {
		tt_err_set(err, TT_ERR_CONFIG, "output is not JSON (line %d: %s)", jerr.line, jerr.text);
		goto done;
	}
	version = json_object_get(root, "Version");
	if (!json_is_integer(version) || json_integer_value(version) != 1) {
		tt_err_set(err, TT_ERR_CONFIG, "output must have \"Version\": 1");
		goto done;
	}
	switch (creds_json_read(root, &creds_json_process, false, c)) {
	case CREDS_JSON_INCOMPLETE:
		tt_err_set(err, TT_ERR_CONFIG, "output lacks AccessKeyId or SecretAccessKey");
		break;
	case CREDS_JSON_BAD_EXPIRATION:
		tt_err_set(err, TT_ERR_CONFIG, "Expiration \"%.40s\" is not an ISO-8601 time",
			   json_is_string(json_object_get(root, "Expiration"))
			       ? json_string_value(json_object_get(root, "Expiration"))
			       : "(not a string)");
		break;
	case CREDS_JSON_OK:
		rc = 0;
	}
done:
	json_decref(root);
	return rc;
}

static void first_line(const struct tt_buf *b, char *out, size_t size)
{
	const char *s = b->data ? b->data : "";

	snprintf(out, size, "%.*s", (int)strcspn(s, "\r\n"), s);
}

static void report_exit(struct process_provider *pp)
{
	struct tt_creds c;
	struct tt_err err;
	int status = pp->status;
	char msg[512];

	if (pp->timed_out) {
		tt_err_set(&err, TT_ERR_CONFIG,
			   "credential_process for profile %s did not finish within %g s (%s); set "
			   "TIERTOP_CREDENTIAL_PROCESS_TIMEOUT for a longer limit",
			   pp->profile, pp->timeout_ms / 1000.0,
			   pp->killed ? "still running, stopped" : "its output was still open, given up");
		provider_done(&pp->base, NULL, &err);
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		first_line(&pp->errout, msg, sizeof(msg));
		tt_err_set(&err, TT_ERR_CONFIG, "credential_process for profile %s failed (%s %d)%s%s",
			   pp->profile, WIFEXITED(status) ? "exit status" : "signal",
			   WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), *msg ? ": " : "", msg);
		provider_done(&pp->base, NULL, &err);
	} else if (pp->out.truncated) {
		tt_err_set(&err, TT_ERR_CONFIG, "credential_process for profile %s printed more than %d bytes",
			   pp->profile, MAX_OUTPUT);
		provider_done(&pp->base, NULL, &err);
	} else if (parse_output(pp, &c, &err)) {
		tt_err_prefix(&err, "credential_process for profile %s", pp->profile);
		provider_done(&pp->base, NULL, &err);
	} else {
		provider_done(&pp->base, &c, NULL);
		tt_creds_clear(&c);
	}
}

/* Never blocks: true once the child has been collected (status kept). When
 * something else collected it (ECHILD), its output decides. */
static bool reap(struct process_provider *pp)
{
	pid_t got;

	if (pp->pid <= 0)
		return true;
	got = waitpid(pp->pid, &pp->status, WNOHANG);
	if (got < 0 && errno == ECHILD)
		pp->status = 0;
	if (got == pp->pid || (got < 0 && errno == ECHILD))
		pp->pid = -1;
	return pp->pid <= 0;
}

static void arm_timer(struct process_provider *pp, int64_t ms)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	if (ms < 1)
		ms = 1; /* 0 would disarm it */
	its.it_value.tv_sec = (time_t)(ms / 1000);
	its.it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
	timerfd_settime(pp->timer_fd, 0, &its, NULL);
}

static void finish_process(struct process_provider *pp)
{
	close_fd(pp->env.http, &pp->out_fd);
	close_fd(pp->env.http, &pp->err_fd);
	close_fd(pp->env.http, &pp->timer_fd);
	pp->stage = P_IDLE;
	report_exit(pp);
	tt_buf_clear_secret(&pp->out);
	tt_buf_clear(&pp->errout);
}

/* While the output is open, the output itself wakes the loop: only the
 * limit needs a tick. Otherwise the child is looked at every REAP_POLL_MS,
 * and the limit or the grace period's end still gets its own tick. */
static int64_t next_tick(const struct process_provider *pp, int64_t now)
{
	int64_t until = pp->deadline - now;

	if (pp->stage == P_RUNNING && (pp->out_fd >= 0 || pp->err_fd >= 0))
		return until;
	if (pp->stage == P_KILLED || until > REAP_POLL_MS)
		return REAP_POLL_MS;
	return until;
}

/* The time limit, then SIGTERM, then SIGKILL after a grace period; the child
 * is collected with WNOHANG on later ticks of this timer, so the event loop
 * never waits for it. A helper whose own child keeps the output open ends
 * here too: its output is then given up at the limit. */
static void on_timer(void *ctx, int fd)
{
	struct process_provider *pp = ctx;
	uint64_t expirations;
	int64_t now = tt_clock_mono_ms();
	bool reaped = reap(pp);

	/* Read so that the timer stops being readable; the count is unused. */
	if (read(fd, &expirations, sizeof(expirations)) < 0)
		expirations = 0;
	if (reaped && (pp->timed_out || (pp->out_fd < 0 && pp->err_fd < 0))) {
		finish_process(pp);
		return;
	}
	if (pp->stage == P_RUNNING && now >= pp->deadline) {
		pp->timed_out = true;
		close_fd(pp->env.http, &pp->out_fd);
		close_fd(pp->env.http, &pp->err_fd);
		if (reaped) {
			finish_process(pp);
			return;
		}
		kill(pp->pid, SIGTERM);
		pp->killed = true;
		pp->stage = P_TERMINATING;
		pp->deadline = now + KILL_GRACE_MS;
	} else if (pp->stage == P_TERMINATING && now >= pp->deadline) {
		kill(pp->pid, SIGKILL);
		pp->stage = P_KILLED;
	}
	arm_timer(pp, next_tick(pp, now));
}

static void drain(struct process_provider *pp, int *fd, struct tt_buf *into)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(*fd, buf, sizeof(buf))) > 0)
		tt_buf_append(into, buf, (size_t)n);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		close_fd(pp->env.http, fd);
}

static void on_output(void *ctx, int fd)
{
	struct process_provider *pp = ctx;

	if (fd == pp->out_fd)
		drain(pp, &pp->out_fd, &pp->out);
	else if (fd == pp->err_fd)
		drain(pp, &pp->err_fd, &pp->errout);
	if (pp->out_fd >= 0 || pp->err_fd >= 0)
		return;
	/* Output closed: the child is usually gone by now; if not, the timer
	 * looks again shortly (and still enforces the limit). */
	if (reap(pp))
		finish_process(pp);
	else
		arm_timer(pp, REAP_POLL_MS);
}

static int spawn(struct process_provider *pp, char **argv, struct tt_err *err)
{
	int out[2], errp[2], rc;
	posix_spawn_file_actions_t fa;

	pp->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (pp->timer_fd < 0)
		return tt_err_set(err, TT_ERR_FAILURE, "timerfd: %s", strerror(errno));
	if (pipe(out) || pipe(errp)) {
		close_fd(pp->env.http, &pp->timer_fd);
		return tt_err_set(err, TT_ERR_FAILURE, "pipe: %s", strerror(errno));
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
	posix_spawn_file_actions_addclose(&fa, out[0]);
	posix_spawn_file_actions_addclose(&fa, errp[0]);
	rc = posix_spawnp(&pp->pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(out[1]);
	close(errp[1]);
	if (rc) {
		close(out[0]);
		close(errp[0]);
		close_fd(pp->env.http, &pp->timer_fd);
		pp->pid = -1;
		return tt_err_set(err, TT_ERR_CONFIG, "credential_process for profile %s: cannot run %s: %s",
				  pp->profile, argv[0], strerror(rc));
	}
	pp->out_fd = out[0];
	pp->err_fd = errp[0];
	fcntl(pp->out_fd, F_SETFL, O_NONBLOCK);
	fcntl(pp->err_fd, F_SETFL, O_NONBLOCK);
	fcntl(pp->out_fd, F_SETFD, FD_CLOEXEC);
	fcntl(pp->err_fd, F_SETFD, FD_CLOEXEC);
	pp->stage = P_RUNNING;
	pp->timed_out = pp->killed = false;
	pp->deadline = tt_clock_mono_ms() + pp->timeout_ms;
	arm_timer(pp, pp->timeout_ms);
	tt_http_watch_fd(pp->env.http, pp->timer_fd, on_timer, pp);
	tt_http_watch_fd(pp->env.http, pp->out_fd, on_output, pp);
	tt_http_watch_fd(pp->env.http, pp->err_fd, on_output, pp);
	return 0;
}

static void process_fetch(struct provider *p)
{
	struct process_provider *pp = (struct process_provider *)p;
	char *argv[MAX_ARGS];
	struct tt_err err;
	int argc = tt_shlex_split(pp->command, argv, MAX_ARGS);

	if (argc <= 0) {
		tt_err_set(&err, TT_ERR_CONFIG, "profile %s: credential_process %s", pp->profile,
			   argc < 0 ? "cannot be split (an unterminated quote, a trailing backslash or "
					   "more than 63 words)" : "is empty");
		provider_done(p, NULL, &err);
		return;
	}
	tt_buf_init(&pp->out, MAX_OUTPUT);
	tt_buf_init(&pp->errout, 4096);
	if (spawn(pp, argv, &err))
		provider_done(p, NULL, &err);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
}

static void process_free(struct provider *p)
{
	struct process_provider *pp = (struct process_provider *)p;

	close_fd(pp->env.http, &pp->out_fd);
	close_fd(pp->env.http, &pp->err_fd);
	close_fd(pp->env.http, &pp->timer_fd);
	/* Leaving (or dropping the cache) mid-fetch: no loop is left to wait
	 * in, and blocking here could hang the exit, so the child is killed
	 * and collected only if it is already gone. */
	if (pp->pid > 0) {
		kill(pp->pid, SIGKILL);
		reap(pp);
	}
	tt_buf_clear_secret(&pp->out);
	tt_buf_clear(&pp->errout);
	chain_env_clear(&pp->env);
	free(pp->profile);
	free(pp->command);
	free(pp);
}

/* Seconds, fractions allowed (tests use short limits). */
static int parse_timeout(int64_t *ms, struct tt_err *err)
{
	const char *env = getenv("TIERTOP_CREDENTIAL_PROCESS_TIMEOUT");
	char *end = NULL;
	double s;

	*ms = DEFAULT_TIMEOUT_MS;
	if (!env || !*env)
		return 0;
	s = strtod(env, &end);
	if (*end || !(s > 0) || s > 86400)
		return tt_err_set(err, TT_ERR_CONFIG,
				  "TIERTOP_CREDENTIAL_PROCESS_TIMEOUT \"%.40s\" is not a number of seconds (0 < s <= 86400)",
				  env);
	*ms = (int64_t)(s * 1000 + 0.5);
	if (*ms < 1)
		*ms = 1;
	return 0;
}

static const struct provider_ops process_ops = {process_fetch, process_free, true};

struct provider *provider_process_new(const struct chain_env *env, const char *profile,
				      const char *command, struct tt_err *err)
{
	struct process_provider *pp = tt_xcalloc(1, sizeof(*pp));

	pp->base.ops = &process_ops;
	chain_env_copy(&pp->env, env);
	pp->profile = tt_xstrdup(profile);
	pp->command = tt_xstrdup(command);
	pp->pid = -1;
	pp->out_fd = pp->err_fd = pp->timer_fd = -1;
	if (parse_timeout(&pp->timeout_ms, err)) {
		process_free(&pp->base);
		return NULL;
	}
	return &pp->base;
}
