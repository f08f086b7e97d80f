#define _GNU_SOURCE /* timegm */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "tiertop/clock.h"

int64_t tt_clock_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t tt_clock_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The fixed-width forms hold the years 0000-9999, and times from AWS can be
 * anything: others are clamped to the nearest end (strftime would write a
 * short year, or past 9999 leave the buffer undefined). The fields come out
 * as year, month, day, hour, minute, second, each within its width. */
static void utc_fields(time_t t, unsigned f[6])
{
	const time_t first = -62167219200; /* 0000-01-01T00:00:00Z */
	const time_t last = 253402300799;  /* 9999-12-31T23:59:59Z */
	struct tm tm;

	t = t < first ? first : t > last ? last : t;
	gmtime_r(&t, &tm);
	f[0] = (unsigned)(tm.tm_year + 1900) % 10000u;
	f[1] = (unsigned)(tm.tm_mon + 1) % 100u;
	f[2] = (unsigned)tm.tm_mday % 100u;
	f[3] = (unsigned)tm.tm_hour % 100u;
	f[4] = (unsigned)tm.tm_min % 100u;
	f[5] = (unsigned)tm.tm_sec % 100u;
}

void tt_time_amz(time_t t, char out[17])
{
	unsigned f[6];

	utc_fields(t, f);
	snprintf(out, 17, "%04u%02u%02uT%02u%02u%02uZ", f[0], f[1], f[2], f[3], f[4], f[5]);
}

void tt_time_iso8601(time_t t, char out[21])
{
	unsigned f[6];

	utc_fields(t, f);
	snprintf(out, 21, "%04u-%02u-%02uT%02u:%02u:%02uZ", f[0], f[1], f[2], f[3], f[4], f[5]);
}

static int digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int expect(const char **p, char c)
{
	if (**p != c)
		return -1;
	(*p)++;
	return 0;
}

static int days_in_month(int year, int mon)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return mon == 1 && leap ? 29 : days[mon];
}

/* timegm() would quietly turn February 30 into March 2. */
static int valid_tm(const struct tm *tm)
{
	return tm->tm_mon >= 0 && tm->tm_mon < 12 && tm->tm_mday >= 1 &&
	       tm->tm_mday <= days_in_month(tm->tm_year + 1900, tm->tm_mon) && tm->tm_hour >= 0 &&
	       tm->tm_hour < 24 && tm->tm_min >= 0 && tm->tm_min < 60 && tm->tm_sec >= 0 && tm->tm_sec <= 60;
}

/* Timezone suffix: Z, UTC, +HH:MM, +HHMM, -HH:MM. Returns offset seconds. */
static int parse_zone(const char *p, long *offset)
{
	int hh, mm;
	int sign;

	if (strcmp(p, "Z") == 0 || strcmp(p, "UTC") == 0 || strcmp(p, "") == 0) {
		*offset = 0;
		return 0;
	}
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p == '-' ? -1 : 1;
	p++;
	if (digits(&p, 2, &hh))
		return -1;
	if (*p == ':')
		p++;
	if (digits(&p, 2, &mm) || *p)
		return -1;
	*offset = sign * (hh * 3600L + mm * 60L);
	return 0;
}

int tt_time_parse_iso8601(const char *s, time_t *out)
{
	struct tm tm;
	const char *p = s;
	long offset;
	int year, mon;

	memset(&tm, 0, sizeof(tm));
	if (digits(&p, 4, &year) || expect(&p, '-') || digits(&p, 2, &mon) || expect(&p, '-') ||
	    digits(&p, 2, &tm.tm_mday) || (*p != 'T' && *p != 't' && *p != ' '))
		return -1;
	p++;
	if (digits(&p, 2, &tm.tm_hour) || expect(&p, ':') || digits(&p, 2, &tm.tm_min) ||
	    expect(&p, ':') || digits(&p, 2, &tm.tm_sec))
		return -1;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (parse_zone(p, &offset))
		return -1;
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	if (!valid_tm(&tm))
		return -1;
	*out = timegm(&tm) - offset;
	return 0;
}

int tt_time_parse_amz(const char *s, time_t *out)
{
	struct tm tm;
	const char *p = s;
	int year, mon;

	memset(&tm, 0, sizeof(tm));
	if (strlen(s) != 16 || digits(&p, 4, &year) || digits(&p, 2, &mon) ||
	    digits(&p, 2, &tm.tm_mday) || expect(&p, 'T') || digits(&p, 2, &tm.tm_hour) ||
	    digits(&p, 2, &tm.tm_min) || digits(&p, 2, &tm.tm_sec) || expect(&p, 'Z'))
		return -1;
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	if (!valid_tm(&tm))
		return -1;
	*out = timegm(&tm);
	return 0;
}

int tt_time_parse_http_date(const char *s, time_t *out)
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	char wday[4], mon[4], zone[4];
	struct tm tm;
	int n = 0, year;

	memset(&tm, 0, sizeof(tm));
	/* %d takes any int: the year is checked before it can overflow. */
	if (sscanf(s, "%3s, %d %3s %d %d:%d:%d %3s%n", wday, &tm.tm_mday, mon, &year,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, zone, &n) != 8 || strcmp(zone, "GMT") != 0 ||
	    year < 1 || year > 9999)
		return -1;
	tm.tm_mon = -1;
	for (int i = 0; i < 12; i++)
		if (strcasecmp(mon, months[i]) == 0)
			tm.tm_mon = i;
	tm.tm_year = year - 1900;
	if (!valid_tm(&tm))
		return -1;
	*out = timegm(&tm);
	return 0;
}

static long unit_seconds(char u)
{
	switch (u) {
	case 's': return 1;
	case 'm': return 60;
	case 'h': return 3600;
	case 'd': return 86400;
	case 'w': return 7 * 86400;
	default: return 0;
	}
}

int tt_duration_parse(const char *s, long *seconds)
{
	long total = 0;

	if (!s || !*s)
		return -1;
	while (*s) {
		long n = 0, unit;
		if (!isdigit((unsigned char)*s))
			return -1;
		while (isdigit((unsigned char)*s)) {
			if (n > 100000000L)
				return -1;
			n = n * 10 + (*s++ - '0');
		}
		unit = unit_seconds(*s);
		if (!unit)
			return -1;
		s++;
		if (n > (1L << 40) / unit)
			return -1;
		total += n * unit;
	}
	if (total <= 0)
		return -1;
	*seconds = total;
	return 0;
}

void tt_duration_text(long seconds, char out[TT_DURATION_TEXT])
{
	static const struct { long s; char unit; } units[] = {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
	size_t used = 0;

	out[0] = '\0';
	if (seconds <= 0) {
		snprintf(out, TT_DURATION_TEXT, "0s");
		return;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		long n = seconds / units[i].s;
		if (!n)
			continue;
		seconds -= n * units[i].s;
		used += (size_t)snprintf(out + used, TT_DURATION_TEXT - used, "%ld%c", n, units[i].unit);
	}
}
