/* credential_process command splitting: it must split the way botocore does,
 * that is like Python's shlex.split in POSIX mode. Hand-written cases first,
 * then the same inputs cross-checked against Debian's Python. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "tap.h"
#include "tiertop/buf.h"
#include "tiertop/str.h"

/* Defined in src/aws/creds_process.c; not in a public header. */

#define MAXW 64
#ifndef PYTHON
#define PYTHON "/usr/bin/python3"
#endif

static void free_words(char **argv, int n)
{
	for (int i = 0; i < n; i++)
		free(argv[i]);
}

/* Printable form of a word list for diagnostics. */
static void show(const char *label, char *const *w, int n)
{
	printf("# %s (%d):", label, n);
	for (int i = 0; i < n; i++)
		printf(" [%s]", w[i]);
	printf("\n");
}

/* want: NULL-terminated expected words, or NULL for "-1 expected". */
static bool split_matches(const char *cmd, const char *const *want)
{
	char *argv[MAXW];
	int n = tt_shlex_split(cmd, argv, MAXW);
	int nwant = 0;
	bool same;

	if (!want) {
		if (n >= 0)
			free_words(argv, n);
		return n == -1;
	}
	while (want[nwant])
		nwant++;
	same = n == nwant && argv[n] == NULL;
	for (int i = 0; same && i < n; i++)
		same = strcmp(argv[i], want[i]) == 0;
	if (!same && n >= 0) {
		show("got", argv, n);
		printf("# want (%d):", nwant);
		for (int i = 0; i < nwant; i++)
			printf(" [%s]", want[i]);
		printf("\n");
	}
	if (n > 0)
		free_words(argv, n);
	return same;
}

#define W(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NONE ((const char *const[]){NULL})

static void test_hand(void)
{
	char *argv[MAXW];
	int n;

	tap_ok(split_matches("aws-vault export --format=json prod",
			     W("aws-vault", "export", "--format=json", "prod")),
	       "plain words");
	tap_ok(split_matches("  a    b\t\tc  ", W("a", "b", "c")), "runs of spaces and tabs");
	tap_ok(split_matches("a\nb", W("a", "b")), "newline separates words");
	tap_ok(split_matches("a \\\nb", W("a", "\nb")), "backslash-newline is a literal newline");
	tap_ok(split_matches("", NONE), "empty command has no words");
	tap_ok(split_matches("   ", NONE), "blank command has no words");
	tap_ok(split_matches("'a \"b\" \\c $d'", W("a \"b\" \\c $d")),
	       "single quotes are literal (no escapes inside)");
	tap_ok(split_matches("'a\\'", W("a\\")), "backslash before the closing single quote is literal");
	tap_ok(split_matches("\"say \\\"hi\\\" now\"", W("say \"hi\" now")),
	       "double quotes with \\\" escapes");
	tap_ok(split_matches("\"c:\\\\dir\"", W("c:\\dir")), "double quotes with \\\\ escape");
	tap_ok(split_matches("\"keep \\n and \\t\"", W("keep \\n and \\t")),
	       "other backslashes inside double quotes are kept");
	tap_ok(split_matches("\"it's\"", W("it's")), "single quote inside double quotes");
	tap_ok(split_matches("a\\ b c", W("a b", "c")), "backslash-escaped space outside quotes");
	tap_ok(split_matches("\\'x\\'", W("'x'")), "backslash-escaped quotes outside quotes");
	tap_ok(split_matches("a\\\\b", W("a\\b")), "backslash-escaped backslash outside quotes");
	tap_ok(split_matches("a'b c'd", W("ab cd")), "adjacent quoted parts form one word");
	tap_ok(split_matches("x\"y z\"'w v'", W("xy zw v")), "mixed adjacent quotes");
	tap_ok(split_matches("''", W("")), "'' is an empty word");
	tap_ok(split_matches("\"\"", W("")), "\"\" is an empty word");
	tap_ok(split_matches("a '' b", W("a", "", "b")), "empty word between words");
	tap_ok(split_matches("'unterminated", NULL), "unterminated single quote is -1");
	tap_ok(split_matches("\"unterminated", NULL), "unterminated double quote is -1");
	tap_ok(split_matches("ok fine 'then open", NULL), "unterminated quote after words is -1");
	tap_ok(split_matches("\"open \\\"", NULL), "escaped quote does not close");

	/* The caller's array holds max entries including the NULL; a command
	 * with more words is refused rather than run cut short. */
	n = tt_shlex_split("a b c", argv, 4);
	tap_ok(n == 3 && argv[3] == NULL && strcmp(argv[2], "c") == 0, "max 4: three words fit (%d)", n);
	if (n > 0)
		free_words(argv, n);
	n = tt_shlex_split("a b c d e f", argv, 4);
	tap_ok(n == -1, "max 4: six words are refused, not cut (%d)", n);
}

/* Runs python3 -c SCRIPT cmd; fills *out with its stdout. Returns the exit
 * status, or -1 when it could not run. */
static int run_python(const char *cmd, struct tt_buf *out)
{
	static const char script[] =
		"import shlex,sys,json; print(json.dumps(shlex.split(sys.argv[1])))";
	int fds[2], status;
	pid_t pid;
	char chunk[4096];
	ssize_t got;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		char *const args[] = {(char[]){"python3"}, (char[]){"-c"}, (char *)(uintptr_t)script,
				      (char *)(uintptr_t)cmd, NULL};
		close(fds[0]);
		dup2(fds[1], 1);
		close(fds[1]);
		if (!freopen("/dev/null", "w", stderr))
			_exit(126);
		execv(PYTHON, args);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		got = read(fds[0], chunk, sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		tt_buf_append(out, chunk, (size_t)got);
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The command with control characters spelled out, for one-line TAP
 * descriptions. */
static const char *visible(const char *cmd, char *out, size_t size)
{
	size_t o = 0;

	for (const char *p = cmd; *p && o + 3 < size; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t') {
			out[o++] = '\\';
			out[o++] = *p == '\n' ? 'n' : *p == '\r' ? 'r' : 't';
		} else {
			out[o++] = *p;
		}
	}
	out[o] = '\0';
	return out;
}

struct xcase {
	const char *cmd;
};

static void cross_check(const struct xcase *c)
{
	struct tt_buf out;
	char *argv[MAXW];
	int n = tt_shlex_split(c->cmd, argv, MAXW);
	int py;
	bool same;
	json_t *words = NULL;
	char vis[256];

	visible(c->cmd, vis, sizeof(vis));
	tt_buf_init(&out, 1 << 16);
	py = run_python(c->cmd, &out);
	if (py == 0) {
		json_error_t jerr;
		words = json_loads(out.data ? out.data : "", 0, &jerr);
		if (!json_is_array(words)) {
			tap_ok(false, "python output for [%s] is a JSON list: %s", vis,
			       out.data ? out.data : "");
			goto done;
		}
		same = n >= 0 && (size_t)n == json_array_size(words);
		for (int i = 0; same && i < n; i++) {
			const char *w = json_string_value(json_array_get(words, (size_t)i));
			same = w && strcmp(w, argv[i]) == 0;
		}
	} else if (py == 1) {
		same = n == -1; /* shlex raised ValueError */
	} else {
		tap_ok(false, "python ran for [%s] (status %d)", vis, py);
		goto done;
	}
	tap_ok(same, "shlex agrees on [%s]", vis);
	if (!same) {
		if (n >= 0)
			show("tiertop", argv, n);
		else
			printf("# tiertop: -1\n");
		printf("# shlex: %s", py == 0 ? out.data : "ValueError\n");
	}
done:
	if (n > 0)
		free_words(argv, n);
	json_decref(words);
	tt_buf_clear(&out);
}

static void test_cross(void)
{
	static const struct xcase cases[] = {
		{"aws-vault export --format=json prod"},
		{"/usr/local/bin/creds-helper"},
		{"  leading and trailing  "},
		{"multiple    spaces\tand\ttabs"},
		{"'single quoted arg'"},
		{"\"double quoted arg\""},
		{"'it''s'"},
		{"\"it's\""},
		{"'say \"hi\"'"},
		{"\"a \\\"quoted\\\" word\""},
		{"\"back\\\\slash\""},
		{"\"keep \\n and \\t\""},
		{"'no \\escapes\\ here'"},
		{"a\\ b c"},
		{"a\\\\b"},
		{"\\'quoted\\'"},
		{"\\\"x\\\""},
		{"a'b c'd"},
		{"x\"y z\"'w v'"},
		{"''"},
		{"a '' b"},
		{"\"\""},
		{"'' ''"},
		{"'unterminated"},
		{"\"unterminated"},
		{"ok 'then open"},
		{"\"open \\\""},
		{""},
		{"   "},
		{"/opt/bin/get-creds --profile \"my profile\" --role 'arn:aws:iam::123456789012:role/x y'"},
		{"python3 -c 'import json; print(json.dumps({\"Version\": 1}))'"},
		{"a#b #c"},
		{"caf\xc3\xa9 \xc3\xbc \xe6\x97\xa5\xe6\x9c\xac"},
		{"--opt=\"v1 v2\""},
		{"a\nb"},
		{"a\\\nb"},
		{"\\\\server\\\\share"},
		{"\"$VAR\" '$VAR' $VAR"},
		{"'a\\'"},
		{"x\\y"},
		{"sh -c \"echo \\$HOME\""},
		{"\"tick \\` \""},
		{"abc\\"},
		{"a\rb"},
	};

	if (access(PYTHON, X_OK) != 0) {
		tap_skip("shlex cross-check: " PYTHON " is missing");
		return;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cross_check(&cases[i]);
}

int main(void)
{
	test_hand();
	test_cross();
	return tap_done();
}
