/* Remembered payloads: where they live (XDG_STATE_HOME, else
 * ~/.local/state), newest first, duplicates moved up, the last ten kept,
 * modes 0700/0600, names that cannot escape the directory, a damaged file. */
#define _XOPEN_SOURCE 700

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tap.h"
#include "testutil.h"
#include "tiertop/payloads.h"

static int mode_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (int)(st.st_mode & 0777);
}

static void paths(const char *dir)
{
	struct tt_err err;
	char *p, want[512];

	setenv("XDG_STATE_HOME", dir, 1);
	p = tt_payloads_path("spam-filter", &err);
	snprintf(want, sizeof(want), "%s/tiertop/payloads/spam-filter.json", dir);
	tap_str_eq(p, want, "under XDG_STATE_HOME");
	free(p);
	p = tt_payloads_path("../../etc/x:live", &err);
	snprintf(want, sizeof(want), "%s/tiertop/payloads/_._.._etc_x_live.json", dir);
	tap_str_eq(p, want, "a name cannot leave the directory");
	free(p);
	setenv("XDG_STATE_HOME", "relative", 1);
	setenv("HOME", "/home/someone", 1);
	p = tt_payloads_path("f", &err);
	tap_str_eq(p, "/home/someone/.local/state/tiertop/payloads/f.json", "a relative XDG_STATE_HOME is ignored");
	free(p);
	unsetenv("XDG_STATE_HOME");
	unsetenv("HOME");
	tap_ok(tt_payloads_path("f", &err) == NULL && err.kind == TT_ERR_CONFIG, "no HOME: an error, no path");
}

static void remember(const char *dir)
{
	struct tt_payloads p;
	struct tt_err err;
	char path[512], text[64], *last;

	setenv("XDG_STATE_HOME", dir, 1);
	tap_ok(tt_payloads_last("spam-filter") == NULL, "nothing remembered yet");
	tap_ok(tt_payloads_load("spam-filter", &p, &err) == 0 && p.n == 0, "no file: an empty list");
	tap_ok(tt_payloads_add("spam-filter", "{\"a\": 1}", 8, &err) == 0, "first payload written");
	snprintf(path, sizeof(path), "%s/tiertop/payloads/spam-filter.json", dir);
	tap_ok(mode_of(path) == 0600, "the file is 0600");
	snprintf(path, sizeof(path), "%s/tiertop/payloads", dir);
	tap_ok(mode_of(path) == 0700, "the directory is 0700");
	snprintf(path, sizeof(path), "%s/tiertop", dir);
	tap_ok(mode_of(path) == 0700, "its parent too");
	for (int i = 0; i < 12; i++) {
		snprintf(text, sizeof(text), "{\"n\": %d}", i);
		tt_payloads_add("spam-filter", text, strlen(text), &err);
	}
	tt_payloads_add("spam-filter", "{\"n\": 5}", 8, &err);
	tap_ok(tt_payloads_load("spam-filter", &p, &err) == 0 && p.n == 10, "the last ten are kept");
	tap_str_eq(p.n ? p.items[0] : NULL, "{\"n\": 5}", "a payload sent again comes first");
	tap_str_eq(p.n > 1 ? p.items[1] : NULL, "{\"n\": 11}", "then the newest");
	{
		int fives = 0;
		for (size_t i = 0; i < p.n; i++)
			fives += strcmp(p.items[i], "{\"n\": 5}") == 0;
		tap_ok(fives == 1, "and only once");
	}
	tt_payloads_clear(&p);
	last = tt_payloads_last("spam-filter");
	tap_str_eq(last, "{\"n\": 5}", "the last one");
	free(last);
	tap_ok(tt_payloads_last("other") == NULL, "per function");
}

static void big_and_damaged(const char *dir)
{
	struct tt_payloads p;
	struct tt_err err;
	char path[512], *big = calloc(1, TT_PAYLOADS_MAX_BYTES + 2);

	setenv("XDG_STATE_HOME", dir, 1);
	memset(big, 'x', TT_PAYLOADS_MAX_BYTES + 1);
	tap_ok(tt_payloads_add("big", big, TT_PAYLOADS_MAX_BYTES + 1, &err) == 1, "too big: not remembered");
	tap_ok(tt_payloads_last("big") == NULL, "and nothing written");
	free(big);
	snprintf(path, sizeof(path), "%s/tiertop/payloads/bad.json", dir);
	tu_write_file(path, "{not json");
	tap_ok(tt_payloads_load("bad", &p, &err) == -1 && strstr(err.message, "bad.json"),
	       "a damaged file: an error naming it");
	tap_ok(tt_payloads_add("bad", "1", 1, &err) == 0, "adding replaces a damaged file");
	tap_ok(tt_payloads_load("bad", &p, &err) == 0 && p.n == 1, "which is readable again");
	tt_payloads_clear(&p);
}

int main(void)
{
	char *dir = tu_mkdtemp();

	paths(dir);
	remember(dir);
	big_and_damaged(dir);
	free(dir);
	return tap_done();
}
