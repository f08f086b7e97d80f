/* Sparklines as text: one character per value, scaled between the series'
 * minimum and maximum. UTF-8 block elements when the terminal can show
 * them, an ASCII ramp otherwise. The caller owns the returned string. */
#ifndef TIERTOP_SPARK_H
#define TIERTOP_SPARK_H

#include <stdbool.h>
#include <stddef.h>

/* Missing values (NaN) are drawn as a space. width > 0 keeps only the
 * last width values and pads on the left to exactly width cells, so the
 * newest value always sits in the last column and tables line up. */
char *tt_spark(const double *values, size_t n, size_t width, bool utf8);

#endif
