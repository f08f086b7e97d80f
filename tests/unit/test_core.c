/* Core helpers: capped buffers, strings and URI escaping, time parsing and
 * formatting, the error struct. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "tiertop/buf.h"
#include "tiertop/clock.h"
#include "tiertop/err.h"
#include "tiertop/str.h"
#include "tiertop/strindex.h"
#include "tiertop/xalloc.h"

static bool buf_is(const struct tt_buf *b, const char *want)
{
	return b->data && b->len == strlen(want) && memcmp(b->data, want, b->len) == 0 &&
	       b->data[b->len] == '\0';
}

/* ---- buf ---------------------------------------------------------------- */

static void test_buf_growth(void)
{
	struct tt_buf b;
	bool all_ok = true, pattern_ok = true;

	tt_buf_init(&b, 0);
	tap_ok(b.data == NULL && b.len == 0 && b.limit == 0 && !b.truncated,
	       "buf: init leaves an empty, unlimited buffer");
	tap_ok(tt_buf_append(&b, "", 0) && b.data && b.data[0] == '\0' && b.len == 0,
	       "buf: appending nothing still gives a NUL-terminated string");
	tap_ok(tt_buf_puts(&b, "hello") && buf_is(&b, "hello"), "buf: puts");
	tap_ok(tt_buf_putc(&b, '!') && buf_is(&b, "hello!"), "buf: putc");
	tap_ok(tt_buf_append(&b, "\0x", 2) && b.len == 8 && b.data[6] == '\0' && b.data[7] == 'x' &&
		       b.data[8] == '\0',
	       "buf: append copies embedded NUL bytes and counts them");
	tt_buf_reset(&b);
	tap_ok(b.len == 0 && b.data && b.data[0] == '\0' && !b.truncated, "buf: reset empties");

	for (int i = 0; i < 1000; i++)
		all_ok &= tt_buf_append(&b, "0123456789", 10);
	for (size_t i = 0; i < 10000 && pattern_ok; i++)
		pattern_ok = b.data[i] == (char)('0' + i % 10);
	tap_ok(all_ok && b.len == 10000 && b.cap >= 10001 && b.data[10000] == '\0' && pattern_ok,
	       "buf: 1000 appends grow to 10000 bytes intact (len %zu cap %zu)", b.len, b.cap);
	tap_ok(!b.truncated, "buf: an unlimited buffer is never truncated");
	tt_buf_clear(&b);
	tap_ok(b.data == NULL && b.len == 0 && b.cap == 0, "buf: free releases and zeroes");
}

static void test_buf_printf(void)
{
	struct tt_buf b;
	char long_arg[301];
	char *want;

	tt_buf_init(&b, 0);
	tap_ok(tt_buf_printf(&b, "%d-%s-%c", 42, "x", 'y') && buf_is(&b, "42-x-y"),
	       "buf: printf formats");
	tap_ok(tt_buf_printf(&b, "+%05.1f", 3.14159) && buf_is(&b, "42-x-y+003.1"),
	       "buf: printf appends to what is there");
	tt_buf_reset(&b);

	memset(long_arg, 'a', 300);
	long_arg[300] = '\0';
	want = tt_xasprintf("[%s|%d]", long_arg, 7);
	tap_ok(tt_buf_printf(&b, "[%s|%d]", long_arg, 7) && buf_is(&b, want) && b.len == 304,
	       "buf: printf of 304 characters (beyond the 256-byte fast path)");
	free(want);
	tt_buf_reset(&b);

	/* 255 characters take the stack path, 256 the heap path. */
	long_arg[255] = '\0';
	tap_ok(tt_buf_printf(&b, "%s", long_arg) && b.len == 255 && b.data[254] == 'a' &&
		       b.data[255] == '\0',
	       "buf: printf of exactly 255 characters");
	tt_buf_reset(&b);
	long_arg[255] = 'a';
	long_arg[256] = '\0';
	tap_ok(tt_buf_printf(&b, "%s", long_arg) && b.len == 256 && b.data[255] == 'a' &&
		       b.data[256] == '\0',
	       "buf: printf of exactly 256 characters");
	tt_buf_clear(&b);
}

static void test_buf_limit(void)
{
	struct tt_buf b;
	char long_arg[301];
	char *p;

	tt_buf_init(&b, 8);
	tap_ok(b.limit == 8, "buf: limit recorded");
	tap_ok(tt_buf_puts(&b, "abcdef") && buf_is(&b, "abcdef") && !b.truncated,
	       "buf: append under the cap is whole");
	tap_ok(!tt_buf_puts(&b, "ghijk"), "buf: append over the cap returns false");
	tap_ok(buf_is(&b, "abcdefgh") && b.len == 8, "buf: the part that fits is kept (\"%s\")",
	       b.data ? b.data : "(null)");
	tap_ok(b.truncated, "buf: truncated flag set");
	tap_ok(b.data[8] == '\0', "buf: truncated data is NUL-terminated");
	tap_ok(!tt_buf_putc(&b, 'z') && b.len == 8 && b.data[8] == '\0',
	       "buf: putc on a full buffer is dropped");
	tap_ok(!tt_buf_printf(&b, "%d", 1) && buf_is(&b, "abcdefgh"),
	       "buf: printf on a full buffer is dropped");

	p = tt_buf_steal(&b);
	tap_ok(p && strcmp(p, "abcdefgh") == 0, "buf: steal hands over the bytes");
	tap_ok(b.data == NULL && b.len == 0 && b.cap == 0 && !b.truncated,
	       "buf: steal leaves the buffer empty and not truncated");
	tap_ok(b.limit == 8, "buf: steal keeps the limit");
	free(p);
	tap_ok(tt_buf_puts(&b, "12345678") && buf_is(&b, "12345678") && !b.truncated,
	       "buf: a stolen-from buffer can be reused up to its cap");
	tt_buf_clear(&b);
	tap_ok(b.limit == 8 && b.data == NULL, "buf: free keeps the limit");

	tt_buf_init(&b, 100);
	memset(long_arg, 'q', 300);
	long_arg[300] = '\0';
	tap_ok(!tt_buf_printf(&b, "%s", long_arg) && b.len == 100 && b.truncated &&
		       b.data[99] == 'q' && b.data[100] == '\0',
	       "buf: a long printf into a capped buffer is cut at the cap");
	tt_buf_reset(&b);
	tap_ok(!b.truncated && b.len == 0, "buf: reset clears the truncated flag");
	tt_buf_clear(&b);

	tt_buf_init(&b, 0);
	p = tt_buf_steal(&b);
	tap_ok(p && p[0] == '\0', "buf: stealing from an empty buffer gives \"\"");
	free(p);
}

/* /dev/zero never ends: only the cap can stop the read. */
static void test_buf_read_stream(void)
{
	struct tt_buf b;
	FILE *f = fopen("/dev/zero", "rb");
	int rc;

	tt_buf_init(&b, 100001);
	rc = f ? tt_buf_read_stream(&b, f) : -1;
	tap_ok(rc == 0 && b.truncated && b.len == 100001 && b.data[0] == '\0',
	       "buf: reading an endless stream stops at the cap, marked truncated (len %zu)", b.len);
	if (f)
		fclose(f);
	tt_buf_clear(&b);

	f = tmpfile();
	if (f) {
		fputs("line one\nline two\n", f);
		rewind(f);
	}
	tt_buf_init(&b, 0);
	tap_ok(f && tt_buf_read_stream(&b, f) == 0 && buf_is(&b, "line one\nline two\n") && !b.truncated,
	       "buf: a file is read whole without a cap");
	if (f)
		fclose(f);
	tt_buf_clear(&b);

	f = fopen(".", "rb");
	tt_buf_init(&b, 0);
	errno = 0;
	rc = f ? tt_buf_read_stream(&b, f) : 0;
	tap_ok(rc == -1 && errno == EISDIR, "buf: a read error is -1 with errno saying which (%s)", strerror(errno));
	if (f)
		fclose(f);
	tt_buf_clear(&b);
}

/* ---- strindex ----------------------------------------------------------- */

static void test_strindex(void)
{
	struct tt_strindex ix = {0};
	char key[32];
	bool all = true;

	tap_ok(tt_strindex_get(&ix, "a", 1) == TT_STRINDEX_NONE, "strindex: empty finds nothing");
	tap_ok(tt_strindex_put(&ix, "a", 1, 5) == TT_STRINDEX_NONE && tt_strindex_get(&ix, "a", 1) == 5,
	       "strindex: put a new key, then find it");
	tap_ok(tt_strindex_put(&ix, "a", 1, 9) == 5 && tt_strindex_get(&ix, "a", 1) == 9,
	       "strindex: put again replaces, and says what it had");
	tap_ok(!tt_strindex_add(&ix, "a", 1, 1) && tt_strindex_get(&ix, "a", 1) == 9,
	       "strindex: add leaves a key that is there alone");
	tap_ok(tt_strindex_add(&ix, "a\0b", 3, 2) && tt_strindex_get(&ix, "a\0b", 3) == 2 &&
		       tt_strindex_get(&ix, "a\0c", 3) == TT_STRINDEX_NONE && tt_strindex_get(&ix, "a", 1) == 9,
	       "strindex: keys are bytes, NUL included, compared by length too");
	tap_ok(tt_strindex_add(&ix, "", 0, 3) && tt_strindex_get(&ix, "", 0) == 3, "strindex: the empty key");
	/* Growth rehashes every key: each must still map to its own value. */
	for (size_t i = 0; i < 100000; i++) {
		int len = snprintf(key, sizeof(key), "key-%zu", i);
		tt_strindex_put(&ix, key, (size_t)len, i);
	}
	for (size_t i = 0; i < 100000 && all; i++) {
		int len = snprintf(key, sizeof(key), "key-%zu", i);
		all = tt_strindex_get(&ix, key, (size_t)len) == i;
	}
	tap_ok(all && ix.n == 100003 && tt_strindex_get(&ix, "a", 1) == 9,
	       "strindex: 100,000 keys after growing, each with its value (n %zu)", ix.n);
	tap_ok(tt_strindex_get(&ix, "key-100000", 10) == TT_STRINDEX_NONE, "strindex: and no other");
	tt_strindex_clear(&ix);
	tap_ok(ix.n == 0 && ix.cap == 0 && tt_strindex_get(&ix, "a", 1) == TT_STRINDEX_NONE,
	       "strindex: clear empties it, and it can be used again");
	tap_ok(tt_strindex_add(&ix, "b", 1, 1) && tt_strindex_get(&ix, "b", 1) == 1, "strindex: reused");
	tt_strindex_clear(&ix);
}

/* ---- str ---------------------------------------------------------------- */

static void test_str(void)
{
	char s1[] = "  hi there \t\r\n";
	char s2[] = "   ";
	char s3[] = "";
	char s4[] = "x";
	char s5[] = "\tkey = value";
	long v;
	char hex[7];
	static const unsigned char bytes[] = {0x00, 0xab, 0xff};

	tap_str_eq(tt_str_trim(s1), "hi there", "str: trim both ends");
	tap_str_eq(tt_str_trim(s2), "", "str: trim all white space");
	tap_str_eq(tt_str_trim(s3), "", "str: trim empty");
	tap_str_eq(tt_str_trim(s4), "x", "str: trim nothing to trim");
	tap_str_eq(tt_str_trim(s5), "key = value", "str: trim keeps inner spaces");

	tap_ok(tt_str_starts_with("foobar", "foo"), "str: starts_with true");
	tap_ok(!tt_str_starts_with("foo", "foobar"), "str: starts_with longer prefix false");
	tap_ok(!tt_str_starts_with("foobar", "oo"), "str: starts_with elsewhere false");
	tap_ok(tt_str_starts_with("foo", ""), "str: starts_with empty prefix true");
	tap_ok(tt_str_ends_with("foobar", "bar"), "str: ends_with true");
	tap_ok(!tt_str_ends_with("bar", "foobar"), "str: ends_with longer suffix false");
	tap_ok(!tt_str_ends_with("foobar", "baz"), "str: ends_with different false");
	tap_ok(tt_str_ends_with("foobar", ""), "str: ends_with empty suffix true");
	tap_ok(tt_str_ieq("Region", "rEGION") && !tt_str_ieq("region", "regions"), "str: ieq");

	tap_ok(tt_str_parse_bool("TRUE") == 1, "str: parse_bool TRUE");
	tap_ok(tt_str_parse_bool("true") == 1, "str: parse_bool true");
	tap_ok(tt_str_parse_bool("false") == 0, "str: parse_bool false");
	tap_ok(tt_str_parse_switch("Yes") == 1 && tt_str_parse_switch("on") == 1 && tt_str_parse_switch("1") == 1,
	       "str: parse_switch yes, on, 1");
	tap_ok(tt_str_parse_switch("NO") == 0 && tt_str_parse_switch("off") == 0 && tt_str_parse_switch("0") == 0,
	       "str: parse_switch no, off, 0");
	tap_ok(tt_str_parse_switch("2") == -1 && tt_str_parse_switch("") == -1, "str: parse_switch refuses 2 and \"\"");
	tap_ok(tt_str_parse_bool("False") == 0, "str: parse_bool False");
	tap_ok(tt_str_parse_bool("yes") == -1, "str: parse_bool yes is not a boolean");
	tap_ok(tt_str_parse_bool("1") == -1, "str: parse_bool 1 is not a boolean");
	tap_ok(tt_str_parse_bool("") == -1, "str: parse_bool empty");
	tap_ok(tt_str_parse_bool("truex") == -1, "str: parse_bool trailing junk");

	v = 777;
	tap_ok(tt_str_parse_long("42", 0, 100, &v) == 0 && v == 42, "str: parse_long 42");
	tap_ok(tt_str_parse_long("-5", -10, 10, &v) == 0 && v == -5, "str: parse_long negative");
	tap_ok(tt_str_parse_long("0", 0, 100, &v) == 0 && v == 0, "str: parse_long lower bound");
	tap_ok(tt_str_parse_long("100", 0, 100, &v) == 0 && v == 100, "str: parse_long upper bound");
	v = 777;
	tap_ok(tt_str_parse_long("101", 0, 100, &v) == -1 && v == 777,
	       "str: parse_long above max fails and leaves out alone");
	tap_ok(tt_str_parse_long("-1", 0, 100, &v) == -1 && v == 777, "str: parse_long below min");
	tap_ok(tt_str_parse_long("12abc", 0, 100, &v) == -1, "str: parse_long trailing junk");
	tap_ok(tt_str_parse_long("abc", 0, 100, &v) == -1, "str: parse_long not a number");
	tap_ok(tt_str_parse_long("", 0, 100, &v) == -1, "str: parse_long empty");
	tap_ok(tt_str_parse_long(" 5", 0, 100, &v) == -1, "str: parse_long leading space");
	tap_ok(tt_str_parse_long("5 ", 0, 100, &v) == -1, "str: parse_long trailing space");
	tap_ok(tt_str_parse_long("99999999999999999999", 0, 100, &v) == -1 && v == 777,
	       "str: parse_long overflow");
	tap_ok(tt_str_parse_long("3600000", 0, 3600000, &v) == 0 && v == 3600000,
	       "str: parse_long large in range");

	tt_hex_encode(bytes, 3, hex);
	tap_str_eq(hex, "00abff", "str: hex_encode lower case");
}

static void check_encode(const char *in, size_t len, bool keep_slash, const char *want,
			 const char *what)
{
	char *got = tt_uri_encode(in, len, keep_slash);

	tap_str_eq(got, want, what);
	free(got);
}

static void check_decode(const char *in, const char *want, size_t want_len, const char *what)
{
	size_t len = strlen(in);
	char *out = tt_xmalloc(len + 1);
	size_t n = tt_uri_decode(in, len, out);

	if (!tap_ok(n == want_len && memcmp(out, want, want_len) == 0 && out[n] == '\0', "%s",
		    what))
		printf("# input \"%s\": got %zu bytes \"%s\"\n", in, n, out);
	free(out);
}

static void test_uri(void)
{
	const char *unres = "ABCXYZabcxyz0189-_.~";
	char all[256], *enc, *dec;
	size_t n;
	bool only_safe = true;

	check_encode(unres, strlen(unres), false, unres, "uri: unreserved characters kept");
	check_encode("a b", 3, false, "a%20b", "uri: space is %20 (not +)");
	check_encode("a/b", 3, false, "a%2Fb", "uri: slash escaped by default");
	check_encode("a/b", 3, true, "a/b", "uri: slash kept with keep_slash");
	check_encode("a b/c d", 7, true, "a%20b/c%20d", "uri: keep_slash escapes the rest");
	check_encode("\xc3\xa9", 2, false, "%C3%A9", "uri: UTF-8 e-acute in upper-case hex");
	check_encode("\xe2\x82\xac", 3, false, "%E2%82%AC", "uri: UTF-8 euro sign");
	check_encode("+*=&%", 5, false, "%2B%2A%3D%26%25", "uri: + * = & % escaped");
	check_encode("a\0b", 3, false, "a%00b", "uri: explicit length covers NUL bytes");
	check_encode("", 0, false, "", "uri: empty");

	check_decode("a%20b", "a b", 3, "uri: decode %20");
	check_decode("%2f%2F", "//", 2, "uri: decode lower and upper hex");
	check_decode("%e2%82%ac", "\xe2\x82\xac", 3, "uri: decode UTF-8 bytes");
	check_decode("%41", "A", 1, "uri: decode escape that ends the input");
	check_decode("%G1", "%G1", 3, "uri: malformed %G1 kept as is");
	check_decode("%1G", "%1G", 3, "uri: malformed %1G kept as is");
	check_decode("abc%4", "abc%4", 5, "uri: truncated trailing %4 kept");
	check_decode("100%", "100%", 4, "uri: trailing % kept");
	check_decode("a%00b", "a\0b", 3, "uri: decode %00 to a NUL byte");
	check_decode("%%41", "%A", 2, "uri: %% then %41");

	for (int i = 0; i < 256; i++)
		all[i] = (char)i;
	enc = tt_uri_encode(all, 256, false);
	for (const char *p = enc; *p; p++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~%", *p))
			only_safe = false;
	tap_ok(only_safe && strlen(enc) == 66 + 190 * 3,
	       "uri: all 256 bytes encode to unreserved characters and escapes (%zu chars)",
	       strlen(enc));
	dec = tt_xmalloc(strlen(enc) + 1);
	n = tt_uri_decode(enc, strlen(enc), dec);
	tap_ok(n == 256 && memcmp(dec, all, 256) == 0, "uri: decode(encode(all bytes)) round trip");
	free(enc);
	free(dec);
}

/* ---- clock -------------------------------------------------------------- */

static void check_iso(const char *s, time_t want, const char *what)
{
	time_t t = -12345;
	int rc = tt_time_parse_iso8601(s, &t);

	if (!tap_ok(rc == 0 && t == want, "iso8601: %s (%s)", what, s))
		printf("# rc %d, got %lld, want %lld\n", rc, (long long)t, (long long)want);
}

static void check_iso_bad(const char *s, const char *what)
{
	time_t t = -12345;
	int rc = tt_time_parse_iso8601(s, &t);

	tap_ok(rc == -1 && t == -12345, "iso8601: rejects %s (\"%s\")", what, s);
}

static void test_clock(void)
{
	static const time_t samples[] = {0, 951782400, 1440938160, 1767225600, 4102444799};
	char amz[17], iso[21];
	time_t t;
	int rc;
	int64_t m1, m2;

	check_iso("2026-01-01T00:00:00Z", 1767225600, "UTC Z");
	check_iso("2026-01-01T00:00:00.123Z", 1767225600, "milliseconds");
	check_iso("2026-01-01T00:00:00.123456789Z", 1767225600, "nanoseconds");
	check_iso("2026-01-01T00:00:00+00:00", 1767225600, "+00:00");
	check_iso("2026-01-01T00:00:00+0000", 1767225600, "+0000");
	check_iso("2026-01-01T00:00:00-05:00", 1767243600, "-05:00 is 05:00Z");
	check_iso("2026-01-01T00:00:00-0500", 1767243600, "-0500 is 05:00Z");
	check_iso("2026-01-01T00:00:00+05:30", 1767205800, "+05:30 is the day before 18:30Z");
	check_iso("2026-01-01T00:00:00.5+01:00", 1767225600 - 3600, "fraction and offset");
	check_iso("2021-12-07T01:19:12UTC", 1638839952, "old CLI UTC suffix");
	check_iso("2000-02-29T00:00:00Z", 951782400, "leap day");
	check_iso_bad("2026-13-01T00:00:00Z", "month 13");
	check_iso_bad("2026-00-10T00:00:00Z", "month 0");
	check_iso_bad("2026-01-32T00:00:00Z", "day 32");
	check_iso_bad("2026-01-00T00:00:00Z", "day 0");
	check_iso_bad("2026-01-01T24:00:00Z", "hour 24");
	check_iso_bad("2026-01-01T00:60:00Z", "minute 60");
	check_iso_bad("garbage", "garbage");
	check_iso_bad("", "empty");
	check_iso_bad("2026-01-0100:00:00Z", "missing T");
	check_iso_bad("2026-01-01", "date only");
	check_iso_bad("2026-01-01T00:00Z", "missing seconds");
	check_iso_bad("2026-01-01T00:00:00.Z", "empty fraction");
	check_iso_bad("2026-01-01T00:00:00+5", "short offset");
	check_iso_bad("2026-01-01T00:00:00+05:00x", "junk after offset");
	check_iso_bad("2026-01-01T00:00:00Zjunk", "junk after Z");
	check_iso_bad("2026-01-01T00:00:00GMT", "unknown zone name");
	check_iso_bad("26-01-01T00:00:00Z", "two-digit year");
	t = -12345;
	rc = tt_time_parse_iso8601("2026-02-30T00:00:00Z", &t);
	tap_ok(rc == -1, "iso8601: rejects February 30 (got rc %d, %lld)", rc, (long long)t);

	t = -1;
	rc = tt_time_parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", &t);
	tap_ok(rc == 0 && t == 784111777,
	       "http date: Sun, 06 Nov 1994 08:49:37 GMT is 784111777 (got rc %d, %lld)", rc,
	       (long long)t);
	t = -1;
	rc = tt_time_parse_http_date("Thu, 01 Jan 2026 00:00:00 GMT", &t);
	tap_ok(rc == 0 && t == 1767225600,
	       "http date: Thu, 01 Jan 2026 00:00:00 GMT is 1767225600 (got rc %d, %lld)", rc,
	       (long long)t);
	t = -1;
	tap_ok(tt_time_parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT", &t) == -1 && t == -1,
	       "http date: unknown month rejected");
	tap_ok(tt_time_parse_http_date("Sun, 06 Nov 1994 08:49:37 PST", &t) == -1 && t == -1,
	       "http date: non-GMT zone rejected");
	tap_ok(tt_time_parse_http_date("yesterday", &t) == -1 && t == -1,
	       "http date: garbage rejected");
	/* Found by fuzzing (tests/fuzz/fuzz_clock): the year overflowed int on
	 * its way into struct tm, and negative fields were normalised away. */
	tap_ok(tt_time_parse_http_date("Sun, 06 Nov -2147483648 08:49:37 GMT", &t) == -1 && t == -1,
	       "http date: a year outside 1..9999 rejected");
	tap_ok(tt_time_parse_http_date("Sun, 06 Nov 1994 08:-1:37 GMT", &t) == -1 && t == -1,
	       "http date: a negative minute rejected");

	t = -1;
	rc = tt_time_parse_amz("20150830T123600Z", &t);
	tap_ok(rc == 0 && t == 1440938160, "amz: 20150830T123600Z is 1440938160 (got rc %d, %lld)",
	       rc, (long long)t);
	t = -1;
	tap_ok(tt_time_parse_amz("20150830T123600", &t) == -1 && t == -1, "amz: missing Z rejected");
	tap_ok(tt_time_parse_amz("20150830T123600Z0", &t) == -1, "amz: too long rejected");
	tap_ok(tt_time_parse_amz("2015-08-30T12:36:00Z", &t) == -1, "amz: ISO form rejected");
	tap_ok(tt_time_parse_amz("20151330T123600Z", &t) == -1, "amz: month 13 rejected");
	tap_ok(tt_time_parse_amz("20150830T126000Z", &t) == -1, "amz: minute 60 rejected");
	tap_ok(tt_time_parse_amz("2015083OT123600Z", &t) == -1, "amz: letter in digits rejected");

	tt_time_amz(1440938160, amz);
	tap_str_eq(amz, "20150830T123600Z", "format: amz");
	tt_time_iso8601(1440938160, iso);
	tap_str_eq(iso, "2015-08-30T12:36:00Z", "format: iso8601");
	tt_time_iso8601(0, iso);
	tap_str_eq(iso, "1970-01-01T00:00:00Z", "format: iso8601 epoch");
	tt_time_amz(4102444799, amz);
	tap_str_eq(amz, "20991231T235959Z", "format: amz end of 2099");
	/* Found by fuzzing (tests/fuzz/fuzz_clock): times from AWS can be any
	 * year, and strftime wrote "262-..." or, past 9999, nothing defined. */
	tt_time_iso8601(-53872957800, iso);
	tap_str_eq(iso, "0262-11-01T09:30:00Z", "format: iso8601 pads a year before 1000");
	tt_time_amz(-53872957800, amz);
	tap_str_eq(amz, "02621101T093000Z", "format: amz pads a year before 1000");
	tt_time_iso8601(253402300799 + 86340, iso);
	tap_str_eq(iso, "9999-12-31T23:59:59Z", "format: iso8601 clamps past 9999 (9999-12-31T23:59:59-23:59)");
	memset(iso, 'x', sizeof(iso));
	tt_time_iso8601((time_t)INT64_MAX, iso);
	tap_str_eq(iso, "9999-12-31T23:59:59Z", "format: iso8601 clamps a time gmtime cannot convert");
	memset(amz, 'x', sizeof(amz));
	tt_time_amz((time_t)INT64_MIN, amz);
	tap_str_eq(amz, "00000101T000000Z", "format: amz clamps before year 0");
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		time_t a = -1, b = -1;
		tt_time_amz(samples[i], amz);
		tt_time_iso8601(samples[i], iso);
		tap_ok(tt_time_parse_amz(amz, &a) == 0 && a == samples[i] &&
			       tt_time_parse_iso8601(iso, &b) == 0 && b == samples[i],
		       "round trip %lld: %s / %s", (long long)samples[i], amz, iso);
	}

	m1 = tt_clock_mono_ms();
	m2 = tt_clock_mono_ms();
	tap_ok(m2 >= m1, "clock: monotonic does not go back");
	tap_ok(tt_clock_now_ms() > INT64_C(1700000000000), "clock: wall clock is after 2023");
}

/* ---- err ---------------------------------------------------------------- */

static void check_format(const struct tt_err *e, const char *want, const char *what)
{
	char buf[256];
	const char *got = tt_err_format(e, buf, sizeof(buf));

	tap_ok(got == buf, "err: format returns the caller's buffer (%s)", what);
	tap_str_eq(got, want, what);
}

static void test_err(void)
{
	struct tt_err e;
	char big[2000], small[8];
	static const struct {
		enum tt_err_kind kind;
		enum tt_exit exit;
		int num;
	} kinds[] = {
		{TT_ERR_NONE, TT_EXIT_OK, 0},         {TT_ERR_FAILURE, TT_EXIT_FAILURE, 1},
		{TT_ERR_USAGE, TT_EXIT_USAGE, 2},     {TT_ERR_CONFIG, TT_EXIT_CONFIG, 3},
		{TT_ERR_AWS, TT_EXIT_AWS, 4},         {TT_ERR_NETWORK, TT_EXIT_NETWORK, 5},
	};

	memset(&e, 0, sizeof(e));
	e.http_status = 400;
	snprintf(e.code, sizeof(e.code), "Old");
	snprintf(e.request_id, sizeof(e.request_id), "old-id");
	tap_ok(tt_err_set(&e, TT_ERR_USAGE, "bad %s %d", "flag", 42) == -1, "err: set returns -1");
	tap_ok(e.kind == TT_ERR_USAGE, "err: set stores the kind");
	tap_str_eq(e.message, "bad flag 42", "err: set formats the message");
	tap_ok(e.code[0] == '\0' && e.http_status == 0 && e.request_id[0] == '\0',
	       "err: set clears code, status and request id");
	tap_ok(tt_err_set(NULL, TT_ERR_FAILURE, "x") == -1, "err: set with NULL err returns -1");

	memset(big, 'm', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	tt_err_set(&e, TT_ERR_FAILURE, "%s", big);
	tap_ok(strlen(e.message) == sizeof(e.message) - 1, "err: long message cut to %zu bytes",
	       sizeof(e.message) - 1);

	tt_err_set(&e, TT_ERR_CONFIG, "no credentials");
	tt_err_prefix(&e, "profile %s", "prod");
	tap_str_eq(e.message, "profile prod: no credentials", "err: prefix");
	tt_err_prefix(&e, "whoami");
	tap_str_eq(e.message, "whoami: profile prod: no credentials", "err: prefix twice");
	tap_ok(e.kind == TT_ERR_CONFIG, "err: prefix keeps the kind");
	tt_err_append(&e, "; from %s", "env");
	tap_str_eq(e.message, "whoami: profile prod: no credentials; from env", "err: append");
	tt_err_set(&e, TT_ERR_AWS, "%s", big);
	tt_err_append(&e, "; more");
	tap_ok(strlen(e.message) == sizeof(e.message) - 1 && e.kind == TT_ERR_AWS,
	       "err: append to a full message stays cut at %zu bytes", sizeof(e.message) - 1);

	tt_err_clear(&e);
	tap_ok(e.kind == TT_ERR_NONE && e.message[0] == '\0' && e.code[0] == '\0',
	       "err: clear empties");
	check_format(&e, "unknown error", "err: format of an empty error");
	tt_err_set(&e, TT_ERR_AWS, "Rate exceeded");
	check_format(&e, "Rate exceeded", "err: format message only");
	snprintf(e.code, sizeof(e.code), "Throttling");
	check_format(&e, "Rate exceeded (Throttling)", "err: format with code");
	e.http_status = 400;
	check_format(&e, "Rate exceeded (Throttling, HTTP 400)", "err: format with code and status");
	snprintf(e.request_id, sizeof(e.request_id), "abc-123");
	check_format(&e, "Rate exceeded (Throttling, HTTP 400, request id abc-123)",
		     "err: format with code, status and request id");
	e.code[0] = '\0';
	check_format(&e, "Rate exceeded (HTTP 400, request id abc-123)",
		     "err: format with status and request id");
	e.http_status = 0;
	check_format(&e, "Rate exceeded (request id abc-123)", "err: format with request id only");
	e.request_id[0] = '\0';
	e.http_status = 503;
	check_format(&e, "Rate exceeded (HTTP 503)", "err: format with status only");
	snprintf(e.code, sizeof(e.code), "Throttling");
	snprintf(e.request_id, sizeof(e.request_id), "r1");
	e.http_status = 0;
	check_format(&e, "Rate exceeded (Throttling, request id r1)",
		     "err: format with code and request id");

	tt_err_set(&e, TT_ERR_AWS, "boom");
	snprintf(e.code, sizeof(e.code), "Throttling");
	e.http_status = 400;
	tap_ok(tt_err_format(&e, small, sizeof(small)) == small && strcmp(small, "boom (T") == 0,
	       "err: format into 8 bytes is cut and terminated (\"%s\")", small);

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		e.kind = kinds[i].kind;
		tap_ok(tt_err_exit_code(&e) == kinds[i].exit && (int)tt_err_exit_code(&e) == kinds[i].num,
		       "err: kind %d exits %d", (int)kinds[i].kind, kinds[i].num);
	}
}

int main(void)
{
	test_buf_growth();
	test_buf_printf();
	test_buf_limit();
	test_buf_read_stream();
	test_strindex();
	test_str();
	test_uri();
	test_clock();
	test_err();
	return tap_done();
}
