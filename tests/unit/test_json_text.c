/* JSON string literals written without jansson (json_text.h) and the UTF-8
 * decoder under them (utf8.h): whatever bytes go in, what comes out is valid
 * JSON that reads back as the input, with nothing a terminal would act on. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tap.h"
#include "tiertop/buf.h"
#include "tiertop/json_text.h"
#include "tiertop/utf8.h"

static void check(const char *what, bool ascii, const char *raw, size_t len, const char *want)
{
	struct tt_buf b;

	tt_buf_init(&b, 0);
	(ascii ? tt_json_string_ascii : tt_json_string)(&b, raw, len);
	tap_str_eq(b.data, want, what);
	tt_buf_clear(&b);
}

static void escapes(void)
{
	check("quotes and backslash", false, "a\"b\\c/d", 7, "\"a\\\"b\\\\c/d\"");
	check("newline, tab, CR", false, "a\nb\tc\rd", 7, "\"a\\nb\\tc\\rd\"");
	check("escape sequence", false, "\x1b[31mred\x1b]0;title\x07", 18,
	      "\"\\u001b[31mred\\u001b]0;title\\u0007\"");
	check("NUL and DEL", false, "a\0b\x7f", 4, "\"a\\u0000b\\u007f\"");
	check("C1 CSI", false, "a\xc2\x9b" "31m", 6, "\"a\\u009b31m\"");
	check("line and paragraph separators", false, "\xe2\x80\xa8\xe2\x80\xa9", 6, "\"\\u2028\\u2029\"");
	check("bidi override", false, "abc\xe2\x80\xae" "def", 9, "\"abc\\u202edef\"");
	check("non-ASCII text kept", false, "caf\xc3\xa9 \xf0\x9f\x98\x80", 10, "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");
	check("invalid UTF-8 becomes U+FFFD", false, "a\xff" "b\xc3", 4, "\"a\xef\xbf\xbd" "b\xef\xbf\xbd\"");

	check("ascii: plain text unchanged", true, "hello, world", 12, "\"hello, world\"");
	check("ascii: quotes, backslash, newline", true, "a\"b\\c\nd", 7, "\"a\\\"b\\\\c\\nd\"");
	check("ascii: escape sequence", true, "\x1b[2J\x07", 5, "\"\\u001b[2J\\u0007\"");
	check("ascii: two-byte character", true, "caf\xc3\xa9", 5, "\"caf\\u00e9\"");
	check("ascii: C1 CSI", true, "\xc2\x9b" "31m", 5, "\"\\u009b31m\"");
	check("ascii: astral character as a surrogate pair", true, "\xf0\x9f\x98\x80", 4, "\"\\ud83d\\ude00\"");
	check("ascii: invalid byte as U+FFFD", true, "a\xff" "b", 3, "\"a\\ufffdb\"");
	check("ascii: truncated sequence as U+FFFD, rest kept", true, "\xe2\x82" "x", 3, "\"\\ufffd\\ufffdx\"");
	check("ascii: NUL kept as an escape", true, "a\0b", 3, "\"a\\u0000b\"");
	check("ascii: empty", true, "", 0, "\"\"");
}

static void decoder(void)
{
	uint32_t cp = 0;

	tap_ok(tt_utf8_next("A", 1, &cp) == 1 && cp == 'A', "ASCII is one byte");
	tap_ok(tt_utf8_next("\xc3\xa9", 2, &cp) == 2 && cp == 0xE9, "U+00E9 is two bytes");
	tap_ok(tt_utf8_next("\xe2\x82\xac", 3, &cp) == 3 && cp == 0x20AC, "U+20AC is three bytes");
	tap_ok(tt_utf8_next("\xf0\x9f\x98\x80", 4, &cp) == 4 && cp == 0x1F600, "U+1F600 is four bytes");
	tap_ok(tt_utf8_next("\xc0\x8a", 2, &cp) == 0, "overlong newline refused");
	tap_ok(tt_utf8_next("\xed\xa0\x80", 3, &cp) == 0, "surrogate refused");
	tap_ok(tt_utf8_next("\xf4\x90\x80\x80", 4, &cp) == 0, "past U+10FFFF refused");
	tap_ok(tt_utf8_next("\xe2\x82\xac", 2, &cp) == 0, "sequence cut by the length refused");
	tap_ok(tt_utf8_next("\x80", 1, &cp) == 0, "lone continuation byte refused");
}

/* Random bytes, biased towards the interesting ones. */
static size_t random_text(char *out, size_t max, unsigned *seed)
{
	static const char *pieces[] = {"a", "\"", "\\", "\n", "\x1b", "\x7f", "\xc2\x9b", "\xc3\xa9",
	                               "\xe2\x80\xa8", "\xe2\x80\xae", "\xf0\x9f\x98\x80", "\xff", "\xe2\x82",
	                               "\0"};
	size_t n = 0, want = (size_t)(rand_r(seed) % (int)max);

	while (n < want) {
		const char *p = pieces[rand_r(seed) % (int)(sizeof(pieces) / sizeof(pieces[0]))];
		size_t len = *p ? strlen(p) : 1;
		if (rand_r(seed) % 3 == 0) {
			out[n++] = (char)(rand_r(seed) % 256);
			continue;
		}
		if (n + len > want)
			break;
		memcpy(out + n, p, len);
		n += len;
	}
	return n;
}

static bool valid_utf8(const char *s, size_t len)
{
	uint32_t cp;

	for (size_t i = 0, n; i < len; i += n)
		if ((n = tt_utf8_next(s + i, len - i, &cp)) == 0)
			return false;
	return true;
}

static bool terminal_safe(const char *s, size_t len, bool ascii)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7F || (ascii && c >= 0x80))
			return false;
	}
	return true;
}

/* Each literal parses, is one safe line, and reads back as the input when
 * the input was valid UTF-8. */
static void property(void)
{
	unsigned seed = 20261127;
	int bad_parse = 0, bad_line = 0, bad_round_trip = 0, valid_inputs = 0;
	char text[64];

	for (int round = 0; round < 4000; round++) {
		size_t len = random_text(text, sizeof(text), &seed);
		for (int ascii = 0; ascii < 2; ascii++) {
			struct tt_buf b;
			json_t *v;
			tt_buf_init(&b, 0);
			(ascii ? tt_json_string_ascii : tt_json_string)(&b, text, len);
			v = json_loadb(b.data, b.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
			bad_parse += !json_is_string(v);
			bad_line += !terminal_safe(b.data, b.len, ascii);
			if (v && valid_utf8(text, len)) {
				valid_inputs += !ascii;
				bad_round_trip += json_string_length(v) != len || memcmp(json_string_value(v), text, len) != 0;
			}
			json_decref(v);
			tt_buf_clear(&b);
		}
	}
	tap_ok(bad_parse == 0, "4,000 random texts, both writers: every literal is valid JSON (%d not)", bad_parse);
	tap_ok(bad_line == 0, "and one line with no control byte, ASCII only when asked (%d not)", bad_line);
	tap_ok(valid_inputs > 100 && bad_round_trip == 0,
	       "valid UTF-8 inputs (%d) read back byte for byte (%d did not)", valid_inputs, bad_round_trip);
}

/* One line, strings untouched: escaped quotes and backslashes inside a
 * string (an API Gateway body holding JSON) do not end it. */
static void compacting(void)
{
	static const struct {
		const char *in, *want, *what;
	} cases[] = {
		{"{ \"a\" : [ 1 , 2.50 ] }", "{\"a\":[1,2.50]}", "blanks between tokens go, numbers stay as written"},
		{"{\"body\": \"{\\\"m\\\": \\\"a b\\\"}\"}", "{\"body\":\"{\\\"m\\\": \\\"a b\\\"}\"}",
		 "blanks after an escaped quote stay inside the string"},
		{"[\"a\\\\\", \"b c\"]", "[\"a\\\\\",\"b c\"]", "an escaped backslash before the closing quote"},
		{"{\n\t\"k\":\r\n \"x\\ty\"\n}", "{\"k\":\"x\\ty\"}", "newlines, tabs, CR between tokens"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tt_buf b;
		tt_buf_init(&b, 0);
		tt_json_compact(cases[i].in, strlen(cases[i].in), &b);
		tap_str_eq(b.data ? b.data : "", cases[i].want, cases[i].what);
		tt_buf_clear(&b);
	}
}

/* Encoding what a key gave, and reading it back. */
static void test_utf8_encode(void)
{
	static const uint32_t cps[] = {0x41, 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0x20ac, 0xfffd, 0x10000, 0x1f600, 0x10ffff};
	char out[4];
	uint32_t back;
	int good = 0;

	for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		size_t n = tt_utf8_encode(cps[i], out);
		if (n && tt_utf8_next(out, n, &back) == n && back == cps[i])
			good++;
	}
	tap_ok(good == (int)(sizeof(cps) / sizeof(cps[0])), "encode: every length reads back (%d)", good);
	tap_ok(tt_utf8_encode(0xd800, out) == 0 && tt_utf8_encode(0xdfff, out) == 0, "encode: no surrogates");
	tap_ok(tt_utf8_encode(0x110000, out) == 0, "encode: nothing past U+10FFFF");
}

int main(void)
{
	compacting();
	test_utf8_encode();
	escapes();
	decoder();
	property();
	return tap_done();
}
