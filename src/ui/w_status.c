#include <stdlib.h>

#include "tiertop/widgets.h"
#include "tiertop/xalloc.h"

/* Segments on one side are set apart by " | ", as the console always wrote
 * its status line. */
#define SEG_GAP 3
#define MIN_CUT 4 /* a segment cut to fewer columns than this is dropped instead */

/* Width of what is shown: every kept segment and the gaps between them. */
static int total_width(const int *widths, size_t n)
{
	int total = 0, kept = 0;

	for (size_t i = 0; i < n; i++) {
		if (widths[i] > 0) {
			total += widths[i];
			kept++;
		}
	}
	return total + (kept > 1 ? (kept - 1) * SEG_GAP : 0);
}

/* The kept segment of lowest priority (the later one among equals), or -1. */
static long lowest(const struct tt_status_seg *segs, const int *widths, size_t n)
{
	long low = -1;

	for (size_t i = 0; i < n; i++)
		if (widths[i] > 0 && (low < 0 || segs[i].priority <= segs[low].priority))
			low = (long)i;
	return low;
}

/* Fits the segments in w columns: the least important is cut when enough of
 * it stays readable, else dropped, until the line fits. */
static void fit(const struct tt_status_seg *segs, int *widths, size_t n, int w)
{
	int over;

	while ((over = total_width(widths, n) - w) > 0) {
		long low = lowest(segs, widths, n);
		size_t kept = 0;
		for (size_t i = 0; i < n; i++)
			kept += widths[i] > 0;
		if (low < 0)
			return;
		if (widths[low] - over >= MIN_CUT || kept == 1)
			widths[low] = widths[low] - over > 0 ? widths[low] - over : 0;
		else
			widths[low] = 0;
	}
}

/* One side's kept segments from column x, separated by " | ". */
static void draw_side(struct tt_canvas *c, int y, int x, const struct tt_status_seg *segs, const int *widths,
		      size_t n, bool right, struct tt_style base)
{
	bool first = true;

	for (size_t i = 0; i < n; i++) {
		if (widths[i] <= 0 || segs[i].right != right)
			continue;
		if (!first) {
			tt_canvas_text(c, x + 1, y, 1, "|", base);
			x += SEG_GAP;
		}
		tt_canvas_text_fit(c, x, y, widths[i], segs[i].text, segs[i].st, false);
		x += widths[i];
		first = false;
	}
}

void tt_status_draw(struct tt_canvas *c, int y, const struct tt_status_seg *segs, size_t n,
                    struct tt_style base)
{
	int *widths = tt_xcalloc(n + 1, sizeof(*widths));
	int right = 0;

	tt_canvas_fill(c, 0, y, c->w, 1, ' ', base);
	for (size_t i = 0; i < n; i++)
		widths[i] = segs[i].text ? tt_canvas_text_width(c, segs[i].text) : 0;
	fit(segs, widths, n, c->w);
	for (size_t i = 0; i < n; i++) {
		if (widths[i] <= 0 || !segs[i].right)
			continue;
		right += (right ? SEG_GAP : 0) + widths[i];
	}
	draw_side(c, y, 0, segs, widths, n, false, base);
	draw_side(c, y, c->w - right, segs, widths, n, true, base);
	free(widths);
}
