/* The metric verbs' --range and --period (opts.h). */
#include <stdio.h>

#include "opts.h"
#include "tiertop/clock.h"
#include "tiertop/snapshot.h"
#include "tiertop/str.h"

int tt_opts_range_period(const struct tt_opts *o, long default_range_s, long *range_s, long *period_s, char *why,
			 size_t whylen)
{
	const char *range = tt_opts_get(o, "--range"), *period = tt_opts_get(o, "--period");
	char range_text[TT_DURATION_TEXT], period_text[TT_DURATION_TEXT];

	*range_s = default_range_s;
	if (range && tt_duration_parse(range, range_s)) {
		snprintf(why, whylen, "--range takes a duration such as 30m, 3h or 2d");
		return -1;
	}
	/* A point covers a minute at the finest: a shorter range would chart a
	 * whole minute under a header naming seconds. */
	if (*range_s < 60) {
		snprintf(why, whylen, "--range is at least a minute (1m): CloudWatch keeps a point per minute");
		return -1;
	}
	*period_s = tt_snapshot_period_for_range(*range_s);
	if (period && (tt_str_parse_long(period, 60, 86400, period_s) || *period_s % 60)) {
		snprintf(why, whylen, "--period takes seconds, a multiple of 60");
		return -1;
	}
	if (*period_s > *range_s) {
		tt_duration_text(*range_s, range_text);
		tt_duration_text(*period_s, period_text);
		snprintf(why, whylen, "--range %s is shorter than one period (%s): shorten --period or widen --range",
			 range_text, period_text);
		return -1;
	}
	if (!*period_s || *range_s / *period_s > TT_CW_MAX_POINTS) {
		snprintf(why, whylen, "at most 1,440 points per metric: raise --period or shorten --range");
		return -1;
	}
	return 0;
}
