/* Drawing helpers the views share: figures, ages, charts, styles. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "tiertop/spark.h"
#include "tiertop/views.h"

void tt_fmt_num(double v, char out[16])
{
	double a = fabs(v);

	if (isnan(v) || isinf(v))
		snprintf(out, 16, "-");
	else if (a >= 1e9)
		snprintf(out, 16, "%.1fG", v / 1e9);
	else if (a >= 1e6)
		snprintf(out, 16, "%.1fM", v / 1e6);
	else if (a >= 1e4)
		snprintf(out, 16, "%.1fk", v / 1e3);
	else if (a >= 100 || v == floor(v))
		snprintf(out, 16, "%.0f", v);
	else if (a >= 10)
		snprintf(out, 16, "%.1f", v);
	else
		snprintf(out, 16, "%.2f", v);
}

void tt_fmt_age(int64_t now_ms, int64_t then_ms, char out[16])
{
	int64_t s = (now_ms - then_ms) / 1000;

	if (s < 0)
		s = 0;
	if (s < 120)
		snprintf(out, 16, "%llds", (long long)s);
	else if (s < 7200)
		snprintf(out, 16, "%lldm", (long long)(s / 60));
	else if (s < 172800)
		snprintf(out, 16, "%lldh", (long long)(s / 3600));
	else
		snprintf(out, 16, "%lldd", (long long)(s / 86400));
}

void tt_draw_spark(struct tt_canvas *c, int x, int y, int w, const double *values, size_t n, struct tt_style st)
{
	char *s;

	if (w <= 0)
		return;
	s = tt_spark(values, n, (size_t)w, c->utf8);
	tt_canvas_text(c, x, y, w, s, st);
	free(s);
}

/* Eighths of a cell, bottom up: U+2581..U+2588. */
static uint32_t block(int eighths)
{
	return eighths <= 0 ? ' ' : eighths >= 8 ? 0x2588 : 0x2580 + (uint32_t)eighths;
}

void tt_draw_chart(struct tt_canvas *c, int x, int y, int w, int h, const double *values, size_t n,
		   struct tt_style st)
{
	double lo = INFINITY, hi = -INFINITY;
	size_t first = n > (size_t)w ? n - (size_t)w : 0;
	int pad = (int)(w - (int)(n - first));

	if (w <= 0 || h <= 0)
		return;
	for (size_t i = first; i < n; i++)
		if (!isnan(values[i])) {
			lo = fmin(lo, values[i]);
			hi = fmax(hi, values[i]);
		}
	/* A flat series sits on the baseline instead of filling the chart. */
	if (lo > 0 && lo == hi)
		lo = 0;
	for (size_t i = first; i < n; i++) {
		int col = x + pad + (int)(i - first), level;
		if (isnan(values[i]) || !(hi > lo))
			level = isnan(values[i]) || hi == -INFINITY ? 0 : 1;
		else
			level = 1 + (int)lround((values[i] - lo) / (hi - lo) * (h * 8 - 1));
		for (int r = 0; r < h; r++) {
			int cell = level - (h - 1 - r) * 8;
			uint32_t ch = c->utf8 ? block(cell) : cell >= 4 ? '#' : cell > 0 ? '.' : ' ';
			tt_canvas_fill(c, col, y + r, 1, 1, ch, st);
		}
	}
}

struct tt_style tt_style_plain(void)
{
	return (struct tt_style){0, 0, 0};
}

struct tt_style tt_style_header(void)
{
	return (struct tt_style){TT_COLOR_CYAN, 0, TT_ATTR_BOLD};
}

struct tt_style tt_style_selected(void)
{
	return (struct tt_style){0, 0, TT_ATTR_REVERSE};
}

struct tt_style tt_style_alarm(void)
{
	return (struct tt_style){TT_COLOR_RED, 0, TT_ATTR_BOLD};
}

struct tt_style tt_style_warn(void)
{
	return (struct tt_style){TT_COLOR_YELLOW, 0, TT_ATTR_BOLD};
}

struct tt_style tt_style_dim(void)
{
	return (struct tt_style){0, 0, TT_ATTR_DIM};
}

struct tt_style tt_style_ok(void)
{
	return (struct tt_style){TT_COLOR_GREEN, 0, 0};
}

/* What stands in a chart's place: "(loading)" for ever would hide that the
 * metrics cannot be read (an endpoint without CloudWatch, a denied call). */
static const char *no_chart(const struct tt_snapshot *snap, const struct tt_snap_series *s, char *buf, size_t n)
{
	const struct tt_snap_state *m = tt_snapshot_state(snap, TT_SNAP_METRICS);

	if (s->present)
		return "(no data points)";
	if (!m->failed)
		return "(loading)";
	snprintf(buf, n, "(unavailable: %.290s)", m->err.message); /* a chart is narrower */
	return buf;
}

/* "Duration p99 38.6ms": the metric as CloudWatch names it, so it can be
 * looked up, then the operation, statistic and figure. When the column is too
 * narrow the metric name is cut, never the operation or the figure. */
static void chart_title(struct tt_canvas *c, int x, int y, int w, const struct tt_metric_def *d,
			const struct tt_snap_series *s)
{
	char fig[16], tail[96];
	bool known = s->present && !isnan(s->summary);
	int tail_w, name_w;

	tt_fmt_num(known ? s->summary : NAN, fig);
	snprintf(tail, sizeof(tail), "%s%s %s %s%s", d->op ? " " : "", d->op ? d->op : "", d->stat, fig,
		 known ? d->unit : "");
	tail_w = tt_canvas_text_width(c, tail);
	name_w = tt_canvas_text_width(c, d->metric);
	if (name_w + tail_w > w)
		name_w = w - tail_w > 1 ? w - tail_w : 1;
	tt_canvas_text_fit(c, x, y, name_w, d->metric, tt_style_header(), false);
	tt_canvas_text(c, x + name_w, y, w - name_w, tail, tt_style_header());
}

int tt_draw_metric_grid(struct tt_canvas *c, int y, int h, const struct tt_snapshot *snap, long row, int chart_h)
{
	const struct tt_snap_row *r = row >= 0 ? tt_snapshot_row(snap, (size_t)row) : NULL;
	const struct tt_metric_set *set;
	int cols, col_w, used = 0;

	if (!r || h <= 0)
		return 0;
	set = tt_catalog_for(r->kind);
	cols = c->w >= 120 ? 3 : 2;
	col_w = c->w / cols;
	for (size_t k = 0; k < r->nseries && k < set->n; k++) {
		const struct tt_snap_series *s = &r->series[k];
		const struct tt_metric_def *d = &set->defs[k];
		int gx = (int)(k % (size_t)cols) * col_w, gy = y + (int)(k / (size_t)cols) * (chart_h + 1);
		char why[320] = "";
		if (gy + chart_h + 1 > y + h)
			break;
		chart_title(c, gx, gy, col_w - 1, d, s);
		if (s->present && s->n)
			tt_draw_chart(c, gx, gy + 1, col_w - 2, chart_h, s->values, s->n, tt_style_ok());
		else
			tt_canvas_text(c, gx, gy + 1, col_w - 1, no_chart(snap, s, why, sizeof(why)),
				       why[0] ? tt_style_warn() : tt_style_dim());
		used = gy + chart_h + 1 - y;
	}
	return used;
}
