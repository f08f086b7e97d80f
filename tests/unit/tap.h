/* A tiny TAP producer for the unit tests: automake's tap-driver counts the
 * "ok"/"not ok" lines, so every check is one test case in the totals. */
#ifndef TIERTOP_TESTS_TAP_H
#define TIERTOP_TESTS_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int tap_count;
static int tap_failed;

__attribute__((format(printf, 2, 3), unused))
static bool tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", cond ? "ok" : "not ok", ++tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

__attribute__((unused))
static bool tap_str_eq(const char *got, const char *want, const char *what)
{
	bool same = got && want && strcmp(got, want) == 0;

	if (!tap_ok(same, "%s", what)) {
		printf("# want: %s\n# got:  %s\n", want ? want : "(null)", got ? got : "(null)");
	}
	return same;
}

__attribute__((unused))
static void tap_skip(const char *why)
{
	printf("ok %d # SKIP %s\n", ++tap_count, why);
}

__attribute__((unused))
static int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
