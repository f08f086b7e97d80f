/* Time: the clock is read only through tt_clock_now_ms/tt_clock_mono_ms
 * (nothing else calls time(), gettimeofday or clock_gettime), and only at
 * the edges: the engine (retry deadlines, signing time, skew), the
 * credential providers (expiry, cache files, a helper's time limit) and the
 * front ends' loops (src/app). The models (src/model) and views (src/ui)
 * never read it: they get `now` passed in, so their tests run on a test
 * clock. All times are UTC. Nothing here allocates: text goes into the
 * caller's fixed-size buffers. */
#ifndef TIERTOP_CLOCK_H
#define TIERTOP_CLOCK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

int64_t tt_clock_now_ms(void);      /* wall clock, ms since the epoch */
int64_t tt_clock_mono_ms(void);     /* monotonic, for deadlines */

/* "20150830T123600Z" into out[17]. Both formatters clamp times outside the
 * years 0000-9999 to the nearest end. */
void tt_time_amz(time_t t, char out[17]);
/* "2015-08-30T12:36:00Z" into out[21]. */
void tt_time_iso8601(time_t t, char out[21]);

/* Parses the ISO-8601 forms AWS and its tools write: "2026-01-01T00:00:00Z",
 * with fractional seconds, with "+00:00"/"+0000" offsets, and the old CLI's
 * "2021-12-07T01:19:12UTC". Returns 0 and the epoch seconds, or -1. */
int tt_time_parse_iso8601(const char *s, time_t *out);
/* Parses an HTTP Date header (RFC 1123, "Sun, 06 Nov 1994 08:49:37 GMT"). */
int tt_time_parse_http_date(const char *s, time_t *out);
/* Parses "20150830T123600Z". */
int tt_time_parse_amz(const char *s, time_t *out);

/* "90s", "10m", "3h", "2d", "1w" and sums like "1h30m" into seconds.
 * Returns 0, or -1 for anything else (including 0 and overflow). */
int tt_duration_parse(const char *s, long *seconds);
/* The inverse, for people: 1800 -> "30m", 5400 -> "1h30m", 8640000 ->
 * "100d" (days, hours, minutes and seconds, the zero ones left out), into
 * out[TT_DURATION_TEXT]. 0 and less give "0s". */
#define TT_DURATION_TEXT 32
void tt_duration_text(long seconds, char out[TT_DURATION_TEXT]);

#endif
