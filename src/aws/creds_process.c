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
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "creds_internal.h"
#include "tiertop/buf.h"
#include "tiertop/clock.h"
#include "tiertop/xalloc.h"

extern char **environ;

#define MAX_OUTPUT (64 * 1024)
#define MAX_ARGS 64

struct process_provider {
	struct provider base;
	struct chain_env env;
	char *profile;
	char *command;
	pid_t pid;
	int out_fd;
	int err_fd;
	struct tt_buf out;
	struct tt_buf errout;
};

/* Python's shlex.split (POSIX mode), which the AWS CLI uses: quotes group,
 * single quotes are literal, inside double quotes a backslash escapes only
 * '"' and '\\', outside quotes it escapes any character; a trailing
 * backslash, an unterminated quote or more than max-1 words is an error
 * (-1): a command cut short would run something else. */
int creds_split_command(const char *cmd, char **argv, int max);

static bool shlex_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int split_fail(struct tt_buf *word, char **argv, int argc)
{
	tt_buf_free(word);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	return -1;
}

int creds_split_command(const char *cmd, char **argv, int max)
{
	struct tt_buf word;
	int argc = 0;
	bool in_word = false;
	char quote = 0;

	tt_buf_init(&word, 0);
	for (const char *p = cmd;; p++) {
		char c = *p;
		if (!c && quote)
			return split_fail(&word, argv, argc);
		if (!c || (!quote && shlex_space(c))) {
			if (in_word && argc >= max - 1)
				return split_fail(&word, argv, argc);
			if (in_word)
				argv[argc++] = tt_xstrdup(word.data ? word.data : "");
			tt_buf_reset(&word);
			in_word = false;
			if (!c)
				break;
			continue;
		}
		in_word = true;
		if (quote == '\'') {
			if (c == '\'')
				quote = 0;
			else
				tt_buf_putc(&word, c);
		} else if (c == '\\') {
			if (!p[1])
				return split_fail(&word, argv, argc);
			if (quote && p[1] != '"' && p[1] != '\\')
				tt_buf_putc(&word, c);
			else
				tt_buf_putc(&word, *++p);
		} else if (quote == '"' && c == '"') {
			quote = 0;
		} else if (!quote && (c == '\'' || c == '"')) {
			quote = c;
		} else {
			tt_buf_putc(&word, c);
		}
	}
	tt_buf_free(&word);
	argv[argc] = NULL;
	return argc;
}

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
	const char *ak, *sk, *tok, *exp, *acct;
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
	ak = json_string_value(json_object_get(root, "AccessKeyId"));
	sk = json_string_value(json_object_get(root, "SecretAccessKey"));
	tok = json_string_value(json_object_get(root, "SessionToken"));
	exp = json_string_value(json_object_get(root, "Expiration"));
	acct = json_string_value(json_object_get(root, "AccountId"));
	if (!ak || !*ak || !sk || !*sk) {
		tt_err_set(err, TT_ERR_CONFIG, "output lacks AccessKeyId or SecretAccessKey");
		goto done;
	}
	if (exp && tt_time_parse_iso8601(exp, &c->expiration)) {
		tt_err_set(err, TT_ERR_CONFIG, "Expiration \"%.40s\" is not an ISO-8601 time", exp);
		goto done;
	}
	c->access_key_id = tt_xstrdup(ak);
	c->secret_access_key = tt_xstrdup(sk);
	c->session_token = tok && *tok ? tt_xstrdup(tok) : NULL;
	c->account_id = acct ? tt_xstrdup(acct) : NULL;
	rc = 0;
done:
	json_decref(root);
	return rc;
}

static void first_line(const struct tt_buf *b, char *out, size_t size)
{
	const char *s = b->data ? b->data : "";

	snprintf(out, size, "%.*s", (int)strcspn(s, "\r\n"), s);
}

static void finish_process(struct process_provider *pp)
{
	struct tt_creds c;
	struct tt_err err;
	int status = 0;
	char msg[512];

	waitpid(pp->pid, &status, 0);
	pp->pid = -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
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
	tt_buf_free_secret(&pp->out);
	tt_buf_free(&pp->errout);
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
	if (pp->out_fd < 0 && pp->err_fd < 0 && pp->pid > 0)
		finish_process(pp);
}

static int spawn(struct process_provider *pp, char **argv, struct tt_err *err)
{
	int out[2], errp[2], rc;
	posix_spawn_file_actions_t fa;

	if (pipe(out) || pipe(errp))
		return tt_err_set(err, TT_ERR_FAILURE, "pipe: %s", strerror(errno));
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
		pp->pid = -1;
		return tt_err_set(err, TT_ERR_CONFIG, "credential_process for profile %s: cannot run %s: %s",
				  pp->profile, argv[0], strerror(rc));
	}
	pp->out_fd = out[0];
	pp->err_fd = errp[0];
	fcntl(pp->out_fd, F_SETFL, O_NONBLOCK);
	fcntl(pp->err_fd, F_SETFL, O_NONBLOCK);
	tt_http_watch_fd(pp->env.http, pp->out_fd, on_output, pp);
	tt_http_watch_fd(pp->env.http, pp->err_fd, on_output, pp);
	return 0;
}

static void process_fetch(struct provider *p)
{
	struct process_provider *pp = (struct process_provider *)p;
	char *argv[MAX_ARGS];
	struct tt_err err;
	int argc = creds_split_command(pp->command, argv, MAX_ARGS);

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
	if (pp->pid > 0) {
		kill(pp->pid, SIGTERM);
		waitpid(pp->pid, NULL, 0);
	}
	tt_buf_free_secret(&pp->out);
	tt_buf_free(&pp->errout);
	chain_env_clear(&pp->env);
	free(pp->profile);
	free(pp->command);
	free(pp);
}

static const struct provider_ops process_ops = {process_fetch, process_free, true};

struct provider *provider_process_new(const struct chain_env *env, const char *profile,
				      const char *command, struct tt_err *err)
{
	struct process_provider *pp = tt_xcalloc(1, sizeof(*pp));

	(void)err;
	pp->base.ops = &process_ops;
	chain_env_copy(&pp->env, env);
	pp->profile = tt_xstrdup(profile);
	pp->command = tt_xstrdup(command);
	pp->pid = -1;
	pp->out_fd = pp->err_fd = -1;
	return &pp->base;
}
