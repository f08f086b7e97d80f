/* Terminal sanitizing: whatever bytes come in, what goes out can neither
 * control the terminal nor hide invalid UTF-8. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tiertop/buf.h"
#include "tiertop/sanitize.h"

static void check(const char *in, size_t len, unsigned flags, const char *want, const char *what)
{
	struct tt_buf b;
	const char *got;

	tt_buf_init(&b, 0);
	tt_sanitize_append(&b, in, len, flags);
	got = b.data ? b.data : "";
	if (!tap_ok(b.len == strlen(want) && strcmp(got, want) == 0, "%s", what)) {
		printf("# want: ");
		for (const char *p = want; *p; p++)
			printf((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f ? "<%02x>" : "%c",
			       (unsigned char)*p);
		printf("\n# got:  ");
		for (size_t i = 0; i < b.len; i++)
			printf((unsigned char)b.data[i] < 0x20 || (unsigned char)b.data[i] >= 0x7f
				       ? "<%02x>"
				       : "%c",
			       (unsigned char)b.data[i]);
		printf("\n");
	}
	tt_buf_clear(&b);
}

#define CHECK(in, flags, want, what) check(in, sizeof(in) - 1, flags, want, what)

static void test_controls(void)
{
	char *s;

	CHECK("plain text 123", 0, "plain text 123", "printable ASCII unchanged");
	CHECK("", 0, "", "empty input");
	s = tt_sanitize("", 0);
	tap_ok(s && s[0] == '\0', "tt_sanitize of \"\" is an empty string, not NULL");
	free(s);
	CHECK("\x1b", 0, "^[", "ESC is ^[");
	CHECK("\x1b[2J", 0, "^[[2J", "CSI clear-screen shown visibly");
	CHECK("red \x1b[31mALERT\x1b[0m", 0, "red ^[[31mALERT^[[0m", "SGR colours shown visibly");
	CHECK("\x7f", 0, "^?", "DEL is ^?");
	CHECK("a\rb", 0, "a^Mb", "CR is ^M");
	CHECK("\x07\x08\x0c", 0, "^G^H^L", "BEL BS FF");
	CHECK("a\0b", 0, "a^@b", "NUL inside the given length is ^@");
	CHECK("\x1f", 0, "^_", "0x1f is ^_");
	CHECK("a\nb", 0, "a^Jb", "newline escaped by default");
	CHECK("a\nb", TT_SAN_KEEP_NEWLINE, "a\nb", "newline kept with KEEP_NEWLINE");
	CHECK("a\tb", 0, "a^Ib", "tab escaped by default");
	CHECK("a\tb", TT_SAN_KEEP_TAB, "a\tb", "tab kept with KEEP_TAB");
	CHECK("a\tb\n", TT_SAN_KEEP_NEWLINE, "a^Ib\n", "KEEP_NEWLINE does not keep tabs");
	CHECK("a\tb\n", TT_SAN_KEEP_TAB, "a\tb^J", "KEEP_TAB does not keep newlines");
	CHECK("a\r\n", TT_SAN_KEEP_NEWLINE | TT_SAN_KEEP_TAB, "a^M\n",
	      "CR of a CRLF still escaped when newlines are kept");

	CHECK("\xc2\x9b" "2J", 0, "<U+009B>2J", "C1 CSI (U+009B) escaped");
	CHECK("\xc2\x80\xc2\x9f", 0, "<U+0080><U+009F>", "C1 range ends escaped");
	CHECK("\xc2\xa0", 0, "\xc2\xa0", "U+00A0 (just past C1) kept");

	s = tt_sanitize("\x1b]0;pwned\x07", 0);
	tap_ok(s && strcmp(s, "^[]0;pwned^G") == 0, "OSC title sequence neutralised: \"%s\"", s ? s : "(null)");
	tap_ok(s && !strchr(s, 0x1b) && !strchr(s, 0x07), "OSC output has no raw ESC or BEL byte");
	free(s);
	s = tt_sanitize("\x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\", 0);
	tap_ok(s && strcmp(s, "^[]8;;http://evil/^[\\link^[]8;;^[\\") == 0 && !strchr(s, 0x1b),
	       "OSC 8 hyperlink neutralised: \"%s\"", s ? s : "(null)");
	free(s);
	s = tt_sanitize("\x1bP+q\x1b\\", 0);
	tap_ok(s && strcmp(s, "^[P+q^[\\") == 0, "DCS sequence neutralised: \"%s\"", s ? s : "(null)");
	free(s);
}

static void test_utf8(void)
{
	CHECK("\xff", 0, "\\xFF", "lone 0xff is \\xFF");
	CHECK("\x80", 0, "\\x80", "lone continuation byte");
	CHECK("\xe2\x82", 0, "\\xE2\\x82", "truncated 3-byte sequence at the end");
	CHECK("\xe2\x82" "A", 0, "\\xE2\\x82" "A", "truncated sequence followed by ASCII");
	CHECK("\xc0\xaf", 0, "\\xC0\\xAF", "overlong '/' (c0 af)");
	CHECK("\xc0\x80", 0, "\\xC0\\x80", "overlong NUL (c0 80)");
	CHECK("\xe0\x80\xaf", 0, "\\xE0\\x80\\xAF", "3-byte overlong");
	CHECK("\xc1\x9b", 0, "\\xC1\\x9B", "overlong ESC-ish c1 9b");
	CHECK("\xed\xa0\x80", 0, "\\xED\\xA0\\x80", "UTF-16 surrogate U+D800");
	CHECK("\xed\xbf\xbf", 0, "\\xED\\xBF\\xBF", "UTF-16 surrogate U+DFFF");
	CHECK("\xf4\x90\x80\x80", 0, "\\xF4\\x90\\x80\\x80", "beyond U+10FFFF");
	CHECK("\xf8\x88\x80\x80\x80", 0, "\\xF8\\x88\\x80\\x80\\x80", "5-byte form");

	CHECK("caf\xc3\xa9", 0, "caf\xc3\xa9", "e-acute kept");
	CHECK("\xe1\x88\xb4", 0, "\xe1\x88\xb4", "U+1234 kept");
	CHECK("\xf0\x9f\x98\x80", 0, "\xf0\x9f\x98\x80", "emoji U+1F600 kept");
	CHECK("\xef\xbf\xbd", 0, "\xef\xbf\xbd", "U+FFFD kept");
	CHECK("\xf4\x8f\xbf\xbf", 0, "\xf4\x8f\xbf\xbf", "U+10FFFF kept");
	CHECK("\xed\x9f\xbf", 0, "\xed\x9f\xbf", "U+D7FF (just below the surrogates) kept");

	CHECK("caf\xc3\xa9", TT_SAN_ASCII, "caf<U+00E9>", "ASCII: e-acute escaped");
	CHECK("\xe1\x88\xb4", TT_SAN_ASCII, "<U+1234>", "ASCII: U+1234 escaped");
	CHECK("\xf0\x9f\x98\x80", TT_SAN_ASCII, "<U+01F600>", "ASCII: emoji escaped");
	CHECK("ok\x1b\xff", TT_SAN_ASCII, "ok^[\\xFF", "ASCII: controls and invalid bytes as usual");
}

static void test_append(void)
{
	struct tt_buf b;

	tt_buf_init(&b, 0);
	tt_buf_puts(&b, "pre:");
	tt_sanitize_append(&b, "\x1bx", 2, 0);
	tap_ok(strcmp(b.data, "pre:^[x") == 0, "append keeps what the buffer had");
	tt_sanitize_append(&b, "yz\x1b", 2, 0);
	tap_ok(strcmp(b.data, "pre:^[xyz") == 0, "append reads only len bytes");
	tt_buf_clear(&b);

	tt_buf_init(&b, 5);
	tt_sanitize_append(&b, "\x1b\x1b\x1b", 3, 0);
	tap_ok(b.len == 5 && strcmp(b.data, "^[^[^") == 0 && b.truncated,
	       "a capped buffer is cut and marked truncated");
	tt_buf_clear(&b);
}

/* xorshift64*: the same sequence on every libc. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1du) >> 32);
}

/* Bytes biased towards the troublesome ones so that multi-byte sequences,
 * C1 encodings and escape sequences come up often. */
static unsigned char random_byte(void)
{
	static const unsigned char hot[] = {0x1b, 0x07, 0x9b, 0x0a, 0x09, 0x0d, 0x7f, 0x00, '[',
					    ']', 0xc2, 0xc0, 0xed, 0xf4, 0xf0, 0xe2, 0x80, 0xbf};
	uint32_t r = rng();

	switch (r % 4) {
	case 0: return hot[(r >> 8) % sizeof(hot)];
	case 1: return (unsigned char)(0x80 + ((r >> 8) % 0x40)); /* continuation */
	case 2: return (unsigned char)(0x20 + ((r >> 8) % 0x5f)); /* printable */
	default: return (unsigned char)(r >> 8);
	}
}

/* Length of a valid UTF-8 sequence at s, 0 when invalid (independent of the
 * code under test). */
static size_t valid_utf8(const unsigned char *s, size_t avail)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return avail >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		unsigned lo = s[0] == 0xe0 ? 0xa0 : 0x80, hi = s[0] == 0xed ? 0x9f : 0xbf;
		return avail >= 3 && s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		unsigned lo = s[0] == 0xf0 ? 0x90 : 0x80, hi = s[0] == 0xf4 ? 0x8f : 0xbf;
		return avail >= 4 && s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 &&
				       (s[3] & 0xc0) == 0x80
			       ? 4
			       : 0;
	}
	return 0;
}

static void dump(const char *label, const unsigned char *s, size_t n)
{
	printf("# %s:", label);
	for (size_t i = 0; i < n; i++)
		printf(" %02x", s[i]);
	printf("\n");
}

static void test_property(void)
{
	enum { RUNS = 10000 };
	int bad_ctl = 0, bad_c1 = 0, bad_utf8 = 0, bad_ascii = 0, bad_idem = 0, bad_size = 0;
	bool shown = false;

	for (int run = 0; run < RUNS; run++) {
		unsigned char in[96];
		size_t len = rng() % sizeof(in);
		unsigned flags = rng() % 8;
		struct tt_buf out, again;
		const unsigned char *o;
		bool ctl = false, c1 = false, utf8 = false, ascii = false;

		for (size_t i = 0; i < len; i++)
			in[i] = random_byte();
		tt_buf_init(&out, 0);
		tt_sanitize_append(&out, (const char *)in, len, flags);
		o = (const unsigned char *)(out.data ? out.data : "");
		for (size_t i = 0; i < out.len; i++) {
			unsigned char c = o[i];
			if ((c < 0x20 && !(c == '\n' && (flags & TT_SAN_KEEP_NEWLINE)) &&
			     !(c == '\t' && (flags & TT_SAN_KEEP_TAB))) ||
			    c == 0x7f)
				ctl = true;
			if (c == 0xc2 && i + 1 < out.len && o[i + 1] >= 0x80 && o[i + 1] <= 0x9f)
				c1 = true;
			if (c >= 0x80 && (flags & TT_SAN_ASCII))
				ascii = true;
		}
		for (size_t i = 0; i < out.len;) {
			size_t n = valid_utf8(o + i, out.len - i);
			if (!n) {
				utf8 = true;
				break;
			}
			i += n;
		}
		tt_buf_init(&again, 0);
		tt_sanitize_append(&again, (const char *)o, out.len, flags);
		bad_idem += again.len != out.len || memcmp(again.data ? again.data : "", o, out.len);
		bad_size += out.len > 4 * len;
		bad_ctl += ctl;
		bad_c1 += c1;
		bad_utf8 += utf8;
		bad_ascii += ascii;
		if ((ctl || c1 || utf8 || ascii) && !shown) {
			shown = true;
			printf("# first failure, flags %u\n", flags);
			dump("input", in, len);
			dump("output", o, out.len);
		}
		tt_buf_clear(&again);
		tt_buf_clear(&out);
	}
	tap_ok(bad_ctl == 0, "random: no C0 control or DEL byte in %d outputs (%d bad)", RUNS, bad_ctl);
	tap_ok(bad_c1 == 0, "random: no raw C2 80..9F (C1) pair (%d bad)", bad_c1);
	tap_ok(bad_utf8 == 0, "random: output is always valid UTF-8 (%d bad)", bad_utf8);
	tap_ok(bad_ascii == 0, "random: TT_SAN_ASCII output is pure ASCII (%d bad)", bad_ascii);
	tap_ok(bad_idem == 0, "random: sanitizing twice changes nothing (%d bad)", bad_idem);
	tap_ok(bad_size == 0, "random: output at most 4 bytes per input byte (%d bad)", bad_size);
}

/* Characters that reorder or hide text: a name can look like another
 * ("exe.txt" spelled with U+202E), or carry a hidden payload. They are shown
 * as <U+XXXX>, in the style of C1 controls. */
static void test_invisible(void)
{
	static const struct {
		const char *in, *want, *what;
	} cases[] = {
		{"a\xe2\x80\xae" "b", "a<U+202E>b", "RLO U+202E shown"},
		{"\xe2\x80\xaa", "<U+202A>", "LRE U+202A shown"},
		{"\xe2\x80\xac", "<U+202C>", "PDF U+202C shown"},
		{"\xe2\x81\xa6", "<U+2066>", "LRI U+2066 shown"},
		{"\xe2\x81\xa9", "<U+2069>", "PDI U+2069 shown"},
		{"\xe2\x80\x8b", "<U+200B>", "zero width space U+200B shown"},
		{"\xe2\x80\x8d", "<U+200D>", "zero width joiner U+200D shown"},
		{"\xe2\x81\xa0", "<U+2060>", "word joiner U+2060 shown"},
		{"\xef\xbb\xbf", "<U+FEFF>", "BOM / ZWNBSP U+FEFF shown"},
		{"\xe2\x80\xa8", "<U+2028>", "line separator U+2028 shown"},
		{"\xe2\x80\xa9", "<U+2029>", "paragraph separator U+2029 shown"},
		{"\xe2\x80\x8e", "<U+200E>", "LRM U+200E shown"},
		{"\xe2\x80\x8f", "<U+200F>", "RLM U+200F shown"},
		{"\xd8\x9c", "<U+061C>", "Arabic letter mark U+061C shown"},
		{"\xe2\x80\x8a", "\xe2\x80\x8a", "hair space U+200A is visible text, kept"},
		{"\xe2\x80\xaf", "\xe2\x80\xaf", "narrow no-break space U+202F kept"},
		{"\xc3\xa9" "t\xc3\xa9", "\xc3\xa9" "t\xc3\xa9", "ordinary accented letters kept"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check(cases[i].in, strlen(cases[i].in), 0, cases[i].want, cases[i].what);
	CHECK("x\xe2\x80\xae" "y", TT_SAN_ASCII, "x<U+202E>y", "the same form with TT_SAN_ASCII");
}

int main(void)
{
	test_controls();
	test_utf8();
	test_invisible();
	test_append();
	test_property();
	return tap_done();
}
