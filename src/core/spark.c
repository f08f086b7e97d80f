#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tiertop/buf.h"
#include "tiertop/spark.h"

static const char *const blocks[] = {"\u2581", "\u2582", "\u2583", "\u2584",
				     "\u2585", "\u2586", "\u2587", "\u2588"};
static const char ascii[] = "_.-~=+*#";

char *tt_spark(const double *values, size_t n, size_t width, bool utf8)
{
	struct tt_buf b;
	size_t first = width && n > width ? n - width : 0;
	double lo = INFINITY, hi = -INFINITY;

	tt_buf_init(&b, 0);
	tt_buf_puts(&b, "");
	for (size_t pad = n - first; width && pad < width; pad++)
		tt_buf_putc(&b, ' ');
	for (size_t i = first; i < n; i++) {
		if (isnan(values[i]))
			continue;
		lo = values[i] < lo ? values[i] : lo;
		hi = values[i] > hi ? values[i] : hi;
	}
	for (size_t i = first; i < n; i++) {
		int level = 0;
		if (isnan(values[i])) {
			tt_buf_putc(&b, ' ');
			continue;
		}
		if (hi > lo)
			level = (int)((values[i] - lo) / (hi - lo) * 7.0 + 0.5);
		if (utf8)
			tt_buf_puts(&b, blocks[level]);
		else
			tt_buf_putc(&b, ascii[level]);
	}
	return tt_buf_steal(&b);
}

void tt_figure_text(double v, char out[TT_FIGURE_MAX])
{
	double a = fabs(v);

	if (isnan(v) || isinf(v))
		snprintf(out, TT_FIGURE_MAX, "-");
	else if (a >= 1e15)
		snprintf(out, TT_FIGURE_MAX, "%.6g", v);
	else if (a >= 1000 || v == floor(v))
		snprintf(out, TT_FIGURE_MAX, "%.0f", v);
	else if (a >= 100)
		snprintf(out, TT_FIGURE_MAX, "%.1f", v);
	else if (a >= 0.01)
		snprintf(out, TT_FIGURE_MAX, "%.2f", v);
	else
		snprintf(out, TT_FIGURE_MAX, "%.2g", v);
}
