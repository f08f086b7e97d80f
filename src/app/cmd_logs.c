/* tiertop logs FN|GROUP...: print log events of functions or log groups,
 * interleaved in time order; --follow keeps polling, --live uses Live Tail.
 * The tail model does the work; this file reads the command line, runs the
 * loop until the model is done or Ctrl-C, and prints events safely. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


#include "app.h"
#include "tiertop/buf.h"
#include "tiertop/clock.h"
#include "tiertop/json_text.h"
#include "tiertop/sanitize.h"
#include "tiertop/str.h"
#include "tiertop/svc_lambda.h"
#include "tiertop/tail.h"
#include "tiertop/utf8.h"
#include "tiertop/xalloc.h"

#define DEFAULT_SINCE_S 600
#define LIVE_MAX_GROUPS 10

struct logs_args {
	const char **groups; /* owned array of owned strings */
	size_t ngroups;
	const char **functions; /* names and ARNs of functions, whose group Lambda says (borrowed) */
	size_t nfunctions;
	const char *since, *until; /* as given, or NULL */
	int64_t since_ms, until_ms;
	const char *filter;
	bool follow, live;
};

struct logs_out {
	bool json;
	unsigned san; /* sanitizer flags for this terminal */
	bool notes;   /* stderr is a terminal: say what is going on */
	struct tt_buf line;
	size_t events; /* printed so far */
};

/* --- the command line ------------------------------------------------------------ */

/* "10m", "2h", "1h30m" ago, an ISO-8601 time, or a day (midnight UTC). A
 * duration counts back from now_ms: AWS's clock, as the engine knows it. */
static int parse_time(const char *s, int64_t now_ms, int64_t *out)
{
	long secs;
	time_t t;

	if (tt_duration_parse(s, &secs) == 0) {
		*out = now_ms - (int64_t)secs * 1000;
		return 0;
	}
	if (strlen(s) == 10 && s[4] == '-' && s[7] == '-') {
		char day[32];
		snprintf(day, sizeof(day), "%sT00:00:00Z", s);
		if (tt_time_parse_iso8601(day, &t) == 0 && t > 0) {
			*out = (int64_t)t * 1000;
			return 0;
		}
	}
	if (tt_time_parse_iso8601(s, &t) == 0 && t > 0) {
		*out = (int64_t)t * 1000;
		return 0;
	}
	return -1;
}

/* The console and describe-log-groups show a group's ARN with ":*" at the
 * end; the API wants it without. */
static char *group_name_of(const char *arg)
{
	size_t n = strlen(arg);

	if (tt_str_starts_with(arg, "arn:") && n > 2 && strcmp(arg + n - 2, ":*") == 0)
		return tt_xstrndup(arg, n - 2);
	return tt_xstrdup(arg);
}

/* A log group is a name starting with '/' or a logs ARN; anything else names
 * a function (a name, name:alias or Lambda ARN). */
static bool names_function(const char *arg)
{
	return arg[0] != '/' && !(tt_str_starts_with(arg, "arn:") && !strstr(arg, ":lambda:"));
}

/* Takes g. */
static void add_group(struct logs_args *a, char *g)
{
	for (size_t i = 0; i < a->ngroups; i++) {
		if (strcmp(a->groups[i], g) == 0) {
			free(g);
			return;
		}
	}
	a->groups = tt_xrealloc(a->groups, (a->ngroups + 1) * sizeof(*a->groups));
	a->groups[a->ngroups++] = g;
}

static void args_clear(struct logs_args *a)
{
	for (size_t i = 0; i < a->ngroups; i++)
		free((char *)(uintptr_t)a->groups[i]);
	free(a->groups);
	free(a->functions);
}

/* The command line is echoed back sanitized: it may hold pasted junk. */
__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
	char text[600];
	char *safe;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	safe = tt_sanitize(text, 0);
	fprintf(stderr, "tiertop: %s\n", safe);
	free(safe);
	return TT_EXIT_USAGE;
}

/* NULL (not given) is fine. */
static int read_time(const char *opt, const char *s, int64_t now, int64_t *out)
{
	if (s && parse_time(s, now, out))
		return usage_error("%s: cannot read \"%s\" (give 30s, 10m, 2h, 1d, 1h30m or a time such as "
		                   "2026-01-31T08:00:00Z)",
		                   opt, s);
	return 0;
}

/* jansson drops a string that is not UTF-8 from the request without a
 * word: the filter would silently match everything. */
static bool utf8_ok(const char *s)
{
	return tt_utf8_valid(s, strlen(s));
}

static int add_name(struct logs_args *a, const char *arg)
{
	if (!utf8_ok(arg))
		return usage_error("logs: the name \"%s\" is not valid UTF-8", arg);
	if (names_function(arg)) {
		a->functions = tt_xrealloc(a->functions, (a->nfunctions + 1) * sizeof(*a->functions));
		a->functions[a->nfunctions++] = arg;
	} else {
		add_group(a, group_name_of(arg));
	}
	return 0;
}

static const struct tt_opt logs_opts[] = {
	{"--since", "DURATION|ISO", 0, "from when: 30s, 10m, 2h, 1d, 1h30m ago, or a time such as 2026-01-31T08:00:00Z "
	 "(default 10m)"},
	{"--until", "DURATION|ISO", 0, "up to when (not with --follow or --live)"},
	{"--filter", "PATTERN", 0, "a CloudWatch Logs filter pattern"},
	{"--follow", NULL, 0, "keep printing new events (polling FilterLogEvents) until Ctrl-C"},
	{"-f", NULL, 0, "same as --follow"},
	{"--live", NULL, 0, "follow with Live Tail (StartLiveTail) instead of polling, at most 10 groups"},
};

const struct tt_opts_spec tt_logs_spec = {
	"logs", "FN|GROUP...", 1, (size_t)-1, logs_opts, sizeof(logs_opts) / sizeof(logs_opts[0]),
	"A function's name or ARN reads the log group Lambda names for it; anything else is a log group\n"
	"(an ARN ending in :* too). Events of all the groups are printed in time order; --json prints JSON Lines.",
};

/* What can be checked before any request; the times are checked later,
 * against AWS's clock (check_times). */
static int parse_args(const struct tt_opts *o, struct logs_args *a)
{
	int rc;

	a->since = tt_opts_get(o, "--since");
	a->until = tt_opts_get(o, "--until");
	a->filter = tt_opts_get(o, "--filter");
	a->follow = tt_opts_has(o, "--follow") || tt_opts_has(o, "-f");
	a->live = tt_opts_has(o, "--live");
	for (size_t i = 0; i < o->noperands; i++)
		if (o->operands[i][0] && (rc = add_name(a, o->operands[i])) != 0)
			return rc;
	if (a->ngroups + a->nfunctions == 0)
		return usage_error("logs: name at least one function or log group");
	/* Only the form here; the values need AWS's clock (check_times). */
	if ((rc = read_time("--since", a->since, 0, &a->since_ms)) != 0 ||
	    (rc = read_time("--until", a->until, 0, &a->until_ms)) != 0)
		return rc;
	if (a->filter && !utf8_ok(a->filter))
		return usage_error("--filter: the pattern \"%s\" is not valid UTF-8", a->filter);
	/* --live is a way of following: with --follow it means the same. */
	if (a->until && (a->follow || a->live))
		return usage_error("--until cannot be used with %s: following has no end",
		                   a->live ? "--live" : "--follow");
	if (a->live && a->ngroups + a->nfunctions > LIVE_MAX_GROUPS)
		return usage_error("--live follows at most %d log groups", LIVE_MAX_GROUPS);
	return 0;
}

static int check_times(struct logs_args *a, int64_t now)
{
	int rc;

	a->since_ms = now - DEFAULT_SINCE_S * 1000;
	a->until_ms = 0;
	if ((rc = read_time("--since", a->since, now, &a->since_ms)) != 0 ||
	    (rc = read_time("--until", a->until, now, &a->until_ms)) != 0)
		return rc;
	/* Nothing can be logged in the future: a follow would wait for ever. */
	if (a->since_ms > now)
		return usage_error("--since %s is in the future", a->since);
	if (a->until && a->until_ms <= a->since_ms)
		return usage_error("--until %s is not after --since", a->until);
	return 0;
}

/* --- which log group a function writes to ------------------------------------------ */

struct group_lookup {
	const char *function;
	char *group;
	int *pending;
	bool *all_done;
};

static void on_function(void *ctx, struct tt_lambda_function *fn, const struct tt_err *err)
{
	struct group_lookup *l = ctx;
	char *safe;

	if (err && strcmp(err->code, "ResourceNotFoundException") != 0) {
		/* Reading logs needs no Lambda permission: the default group may do. */
		safe = tt_sanitize(err->code[0] ? err->code : err->message, 0);
		fprintf(stderr, "tiertop: warning: cannot read the logging configuration of a function (%s); "
		                "reading its default log group\n", safe);
		free(safe);
	}
	l->group = tt_lambda_log_group_for(l->function, fn ? fn->log_group : NULL);
	if (--*l->pending == 0)
		*l->all_done = true;
}

/* LoggingConfig.LogGroup, else /aws/lambda/NAME, for every function named:
 * all asked at once. A function Lambda does not know keeps the default, so
 * that the error names the group that was read. */
static void resolve_functions(struct tt_app *app, struct logs_args *a)
{
	struct group_lookup *l;
	int pending = 0;
	bool all_done = false;

	if (a->nfunctions == 0)
		return;
	l = tt_xcalloc(a->nfunctions, sizeof(*l));
	for (size_t i = 0; i < a->nfunctions; i++) {
		struct tt_err err;
		l[i].function = a->functions[i];
		l[i].pending = &pending;
		l[i].all_done = &all_done;
		pending++;
		if (tt_lambda_get_function_configuration(&app->aws, a->functions[i], NULL, on_function, &l[i],
		                                         &err)) {
			l[i].group = tt_lambda_log_group_for(a->functions[i], NULL);
			pending--;
		}
	}
	if (pending > 0)
		tt_http_run_until(app->http, &all_done);
	for (size_t i = 0; i < a->nfunctions; i++)
		add_group(a, l[i].group);
	free(l);
}

/* --- printing ------------------------------------------------------------------------ */

/* Called for every event printed: the date part is formatted once per
 * second, which on a long read saves most of the formatting. */
static void iso_ms(int64_t ms, char out[64])
{
	static int64_t cached = INT64_MIN;
	static char head[40];
	static size_t head_len;
	int64_t s = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
	int milli = (int)(ms - s * 1000);

	if (s != cached) {
		time_t t = (time_t)s;
		struct tm tm;
		gmtime_r(&t, &tm);
		head_len = (size_t)snprintf(head, sizeof(head), "%04d-%02d-%02dT%02d:%02d:%02d",
		                            tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		                            tm.tm_sec);
		cached = s;
	}
	memcpy(out, head, head_len);
	out[head_len] = '.';
	out[head_len + 1] = (char)('0' + milli / 100);
	out[head_len + 2] = (char)('0' + milli / 10 % 10);
	out[head_len + 3] = (char)('0' + milli % 10);
	out[head_len + 4] = 'Z';
	out[head_len + 5] = '\0';
}

/* One line per event; a multi-line message goes on indented lines below,
 * whichever of \n, \r\n or a lone \r (Lambda runtimes use it to keep a
 * stack trace in one event) separates them. A bare \r must never reach the
 * terminal: it would let a line overwrite what is printed before it. */
static void append_message(struct tt_buf *b, const char *m, size_t len, unsigned san)
{
	size_t start = 0;

	while (len > 0 && (m[len - 1] == '\n' || m[len - 1] == '\r'))
		len--;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && m[i] != '\n' && m[i] != '\r')
			continue;
		if (start > 0)
			tt_buf_puts(b, "\n    ");
		tt_sanitize_append(b, m + start, i - start, san);
		if (i < len && m[i] == '\r' && i + 1 < len && m[i + 1] == '\n')
			i++;
		start = i + 1;
	}
}

static void print_text(struct logs_out *o, const struct tt_tail_event *ev)
{
	char when[64];

	iso_ms(ev->timestamp_ms, when);
	tt_buf_reset(&o->line);
	tt_buf_puts(&o->line, when);
	tt_buf_putc(&o->line, ' ');
	tt_sanitize_append(&o->line, ev->group_name, strlen(ev->group_name), o->san);
	tt_buf_putc(&o->line, '/');
	tt_sanitize_append(&o->line, ev->stream, strlen(ev->stream), o->san);
	/* Shown after later lines: say why it is out of order. */
	tt_buf_puts(&o->line, ev->late ? " [late] " : " ");
	append_message(&o->line, ev->message, ev->message_len, o->san);
	tt_buf_putc(&o->line, '\n');
	fwrite(o->line.data, 1, o->line.len, stdout);
}

static void put_int(struct tt_buf *b, int64_t v)
{
	char digits[24];
	size_t n = sizeof(digits);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do {
		digits[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		digits[--n] = '-';
	tt_buf_append(b, digits + n, sizeof(digits) - n);
}

/* ',"name":' and the value as a JSON string. */
static void json_member(struct tt_buf *b, const char *name, const char *value, size_t len)
{
	tt_buf_puts(b, name);
	tt_json_string_ascii(b, value, len);
}

/* Written straight into the line buffer, without building a jansson tree
 * per event: on a 100,000-event read that tree was most of the CPU. The
 * string writer escapes every control character and all that is not ASCII,
 * so a line is one line of JSON that any terminal shows as it is. */
static void print_json(struct logs_out *o, const struct tt_tail_event *ev)
{
	char when[64];
	struct tt_buf *b = &o->line;

	iso_ms(ev->timestamp_ms, when);
	tt_buf_reset(b);
	tt_buf_puts(b, "{\"timestamp\":");
	put_int(b, ev->timestamp_ms);
	tt_buf_puts(b, ",\"time\":\"");
	tt_buf_puts(b, when);
	tt_buf_putc(b, '"');
	json_member(b, ",\"logGroupName\":", ev->group_name, strlen(ev->group_name));
	json_member(b, ",\"logStreamName\":", ev->stream, strlen(ev->stream));
	json_member(b, ",\"message\":", ev->message, ev->message_len);
	if (ev->event_id)
		json_member(b, ",\"eventId\":", ev->event_id, strlen(ev->event_id));
	if (ev->ingestion_ms) {
		tt_buf_puts(b, ",\"ingestionTime\":");
		put_int(b, ev->ingestion_ms);
	}
	if (ev->live)
		tt_buf_puts(b, ",\"live\":true");
	if (ev->sampled)
		tt_buf_puts(b, ",\"sampled\":true");
	if (ev->late)
		tt_buf_puts(b, ",\"late\":true");
	tt_buf_puts(b, "}\n");
	fwrite(b->data, 1, b->len, stdout);
}

static void on_event(void *ctx, const struct tt_tail_event *ev)
{
	struct logs_out *o = ctx;

	o->events++;
	if (o->json)
		print_json(o, ev);
	else
		print_text(o, ev);
}

static void on_note(void *ctx, enum tt_tail_note note, const char *text)
{
	struct logs_out *o = ctx;
	char *safe;

	if (note != TT_TAIL_NOTE_WARNING && !o->notes)
		return;
	safe = tt_sanitize(text, 0);
	fprintf(stderr, "tiertop: %s%s\n", note == TT_TAIL_NOTE_WARNING ? "warning: " : "", safe);
	free(safe);
}

/* --- the loop ------------------------------------------------------------------------ */

static volatile sig_atomic_t stop_requested;
static int wake_fd = -1;

static void on_signal(int sig)
{
	int saved = errno;
	char c = 1;

	(void)sig;
	stop_requested = 1;
	if (wake_fd >= 0 && write(wake_fd, &c, 1) < 0) {
		/* The flag alone still stops the loop within a second. */
	}
	errno = saved;
}

struct signal_setup {
	int pipe[2];
	struct sigaction old_int, old_term;
};

static void signals_on(struct signal_setup *s)
{
	struct sigaction sa;

	if (pipe(s->pipe) == 0) {
		fcntl(s->pipe[0], F_SETFL, O_NONBLOCK);
		fcntl(s->pipe[1], F_SETFL, O_NONBLOCK);
		wake_fd = s->pipe[1];
	} else {
		s->pipe[0] = s->pipe[1] = -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &s->old_int);
	sigaction(SIGTERM, &sa, &s->old_term);
}

static void signals_off(struct signal_setup *s)
{
	sigaction(SIGINT, &s->old_int, NULL);
	sigaction(SIGTERM, &s->old_term, NULL);
	wake_fd = -1;
	if (s->pipe[0] >= 0) {
		close(s->pipe[0]);
		close(s->pipe[1]);
	}
}

static int64_t aws_now(const struct tt_app *app)
{
	return tt_clock_now_ms() + (int64_t)tt_http_clock_skew(app->http) * 1000;
}

/* Runs until the tail is done, fails, or Ctrl-C. */
static int run(struct tt_app *app, struct tt_tail *tail, struct signal_setup *sig)
{
	struct tt_err err;
	struct tt_http_fd fd = {sig->pipe[0], false};
	char drain[64];
	int status;

	for (;;) {
		int64_t now;
		long wait;
		tt_tail_clock(tail, aws_now(app));
		tt_http_dispatch(app->http);
		now = aws_now(app);
		tt_tail_tick(tail, now);
		status = tt_tail_status(tail, &err);
		if (status <= 0 || stop_requested)
			break;
		/* A reader that went away (`| head` with SIGPIPE ignored) must end
		 * a follow, not leave it writing into a closed pipe for ever. */
		if (fflush(stdout) != 0 || ferror(stdout)) {
			tt_err_set(&err, TT_ERR_FAILURE, "cannot write to standard output: %s", strerror(errno));
			return tt_app_fail(&err);
		}
		wait = tt_tail_next_deadline(tail, now);
		if (wait < 0 || wait > 1000)
			wait = 1000;
		tt_http_wait(app->http, sig->pipe[0] >= 0 ? &fd : NULL, sig->pipe[0] >= 0 ? 1 : 0, wait);
		while (sig->pipe[0] >= 0 && read(sig->pipe[0], drain, sizeof(drain)) > 0)
			continue;
	}
	if (status < 0)
		return tt_app_fail(&err);
	/* Ctrl-C: what the window still holds is shown, then a clean exit. */
	tt_tail_flush(tail);
	return TT_EXIT_OK;
}

static void say_start(const struct logs_out *o, const struct logs_args *a)
{
	char when[64];

	if (!o->notes)
		return;
	iso_ms(a->since_ms, when);
	fprintf(stderr, "tiertop: %s %zu log group%s since %s%s\n", a->live ? "live-tailing" : "reading",
	        a->ngroups, a->ngroups == 1 ? "" : "s", when,
	        a->follow || a->live ? " (Ctrl-C to stop)" : "");
}

/* A quiet function's window is often empty: on a terminal, say so rather
 * than leave a bare prompt, and how to look further back. */
static void say_nothing_found(const struct logs_out *o, const struct logs_args *a)
{
	if (!o->notes || o->events || a->follow || a->live)
		return;
	if (a->since)
		fprintf(stderr, "tiertop: no events%s in that window\n", a->filter ? " matching the filter" : "");
	else
		fprintf(stderr, "tiertop: no events%s in that window (the last %d minutes; --since 1h or 1d reads "
		        "further back)\n", a->filter ? " matching the filter" : "", DEFAULT_SINCE_S / 60);
}

int tt_cmd_logs(struct tt_app *app, int argc, char **argv)
{
	struct logs_args a;
	struct logs_out out;
	struct tt_tail_opts opts;
	struct tt_tail_io io;
	struct tt_tail_sink sink = {on_event, on_note};
	struct tt_tail *tail;
	struct signal_setup sig;
	struct tt_err err;
	int rc;

	(void)argc;
	(void)argv;
	memset(&a, 0, sizeof(a));
	if ((rc = parse_args(&app->args, &a)) != 0) {
		args_clear(&a);
		return rc;
	}
	if (tt_app_connect(app, &err)) {
		args_clear(&a);
		return tt_app_fail(&err);
	}
	resolve_functions(app, &a);
	/* After the Lambda calls: a skewed clock has been noticed by then. */
	if ((rc = check_times(&a, aws_now(app))) != 0) {
		args_clear(&a);
		return rc;
	}
	/* Fully buffered, and flushed whenever the loop is about to wait: a
	 * follow into `| grep` still sees each event as soon as it arrives,
	 * while a long read is not one write(2) per line. */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	memset(&out, 0, sizeof(out));
	out.json = app->opts.json;
	out.san = TT_SAN_KEEP_TAB | (tt_app_utf8() ? 0 : TT_SAN_ASCII);
	out.notes = isatty(STDERR_FILENO);
	tt_buf_init(&out.line, 0);
	memset(&opts, 0, sizeof(opts));
	opts.groups = a.groups;
	opts.ngroups = a.ngroups;
	opts.start_ms = a.since_ms;
	opts.end_ms = a.until_ms;
	opts.pattern = a.filter;
	opts.follow = a.follow;
	opts.live = a.live;
	tt_tail_io_aws(&io, &app->aws);
	tail = tt_tail_new(&opts, &io, &sink, &out);
	say_start(&out, &a);
	stop_requested = 0;
	signals_on(&sig);
	rc = run(app, tail, &sig);
	signals_off(&sig);
	if (rc == TT_EXIT_OK)
		say_nothing_found(&out, &a);
	tt_tail_free(&tail);
	tt_buf_clear(&out.line);
	args_clear(&a);
	fflush(stdout);
	return rc;
}
