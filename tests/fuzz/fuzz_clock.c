/* The time and duration parsers on arbitrary text, and the formatters on
 * any time. Properties: a duration is positive; the formatters always write
 * their full fixed width; a time that parses formats back to text that
 * parses to the same instant. */
#include "fuzz.h"

#include <time.h>

#include "tiertop/clock.h"

/* Years 0000..9999: the range the formatters write without clamping. */
static int formattable(time_t t)
{
	return t >= -62167219200LL && t <= 253402300799LL;
}

static void format_any(time_t t)
{
	char iso[21], amz[17];

	memset(iso, 'x', sizeof(iso));
	memset(amz, 'x', sizeof(amz));
	tt_time_iso8601(t, iso);
	tt_time_amz(t, amz);
	if (strnlen(iso, sizeof(iso)) != 20 || strnlen(amz, sizeof(amz)) != 16)
		fuzz_fail("%lld formats as \"%.21s\" / \"%.17s\"", (long long)t, iso, amz);
}

static void iso_again(const char *what, const char *s, time_t t)
{
	char iso[21], amz[17];
	time_t back;

	format_any(t);
	if (!formattable(t))
		return;
	tt_time_iso8601(t, iso);
	if (tt_time_parse_iso8601(iso, &back) != 0 || back != t)
		fuzz_fail("%s \"%s\": %lld formats as \"%s\", which does not read back", what, s, (long long)t, iso);
	tt_time_amz(t, amz);
	if (tt_time_parse_amz(amz, &back) != 0 || back != t)
		fuzz_fail("%s \"%s\": %lld formats as \"%s\", which does not read back", what, s, (long long)t, amz);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	long seconds;
	time_t t;

	if (size >= sizeof(t)) {
		memcpy(&t, data, sizeof(t));
		format_any(t);
	}
	if (tt_duration_parse(s, &seconds) == 0 && seconds <= 0)
		fuzz_fail("duration \"%s\" is %ld s", s, seconds);
	if (tt_time_parse_iso8601(s, &t) == 0)
		iso_again("ISO-8601", s, t);
	if (tt_time_parse_amz(s, &t) == 0)
		iso_again("amz date", s, t);
	if (tt_time_parse_http_date(s, &t) == 0)
		iso_again("HTTP date", s, t);
	free(s);
	return 0;
}
