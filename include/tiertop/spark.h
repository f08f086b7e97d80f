/* Sparklines as text: one character per value, scaled between the series'
 * minimum and maximum. UTF-8 block elements when the terminal can show
 * them, an ASCII ramp otherwise. The caller owns the returned string.
 * And a figure in full for the one-shot commands' tables, into the
 * caller's buffer. */
#ifndef TIERTOP_SPARK_H
#define TIERTOP_SPARK_H

#include <stdbool.h>
#include <stddef.h>

/* Missing values (NaN) are drawn as a space. width > 0 keeps only the
 * last width values and pads on the left to exactly width cells, so the
 * newest value always sits in the last column and tables line up. */
char *tt_spark(const double *values, size_t n, size_t width, bool utf8);

/* A metric's value with every digit of its whole part and no exponent
 * (1234567 requests, not 1.23457e+06), and fewer decimals the larger it is:
 * "1234567", "601.6", "41.33", "0.0012"; "-" for none (NaN). */
#define TT_FIGURE_MAX 32
void tt_figure_text(double v, char out[TT_FIGURE_MAX]);

#endif
