/* The terminal sanitizer on arbitrary bytes with every combination of
 * flags. Properties, checked by a UTF-8 decoder of its own rather than the
 * one the sanitizer uses (fuzz.h): the output is valid UTF-8 (ASCII with
 * TT_SAN_ASCII); has no C0 control but the kept '\n' and '\t', no DEL, no C1
 * control and none of the characters that reorder or hide text; and
 * sanitizing it again changes nothing. */
#include "fuzz.h"

#include <stdbool.h>

#include "tiertop/buf.h"
#include "tiertop/sanitize.h"

static bool hides_text(uint32_t cp)
{
	return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
	       (cp >= 0x2060 && cp <= 0x2069 && cp != 0x2065) || cp == 0x061C || cp == 0xFEFF;
}

static void check(const char *out, size_t len, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)out;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = fuzz_utf8_next(p + i, len - i, &cp);
		if (n == 0)
			fuzz_fail("flags %u: invalid UTF-8 at output byte %zu (0x%02X)", flags, i, p[i]);
		if (cp < 0x20 && !(cp == '\n' && (flags & TT_SAN_KEEP_NEWLINE)) &&
		    !(cp == '\t' && (flags & TT_SAN_KEEP_TAB)))
			fuzz_fail("flags %u: control 0x%02X at output byte %zu", flags, (unsigned)cp, i);
		if (cp == 0x7F)
			fuzz_fail("flags %u: DEL at output byte %zu", flags, i);
		if (cp >= 0x80 && cp <= 0x9F)
			fuzz_fail("flags %u: C1 control U+%04X at output byte %zu", flags, (unsigned)cp, i);
		if (hides_text(cp))
			fuzz_fail("flags %u: U+%04X (reorders or hides text) at output byte %zu", flags, (unsigned)cp, i);
		if (cp >= 0x80 && (flags & TT_SAN_ASCII))
			fuzz_fail("flags %u: non-ASCII U+%04X in ASCII mode", flags, (unsigned)cp);
		i += n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (unsigned flags = 0; flags < 8; flags++) {
		struct tt_buf once, twice;

		tt_buf_init(&once, 0);
		tt_buf_init(&twice, 0);
		tt_sanitize_append(&once, (const char *)data, size, flags);
		check(once.data ? once.data : "", once.len, flags);
		tt_sanitize_append(&twice, once.data ? once.data : "", once.len, flags);
		if (twice.len != once.len || (once.len && memcmp(once.data, twice.data, once.len) != 0))
			fuzz_fail("flags %u: sanitizing the output again changed it", flags);
		tt_buf_clear(&once);
		tt_buf_clear(&twice);
	}
	{
		/* The C-string form stops at the first NUL and says the same. */
		char *s = fuzz_str(data, size);
		char *out = tt_sanitize(s, TT_SAN_KEEP_NEWLINE);
		struct tt_buf b;

		tt_buf_init(&b, 0);
		tt_sanitize_append(&b, s, strlen(s), TT_SAN_KEEP_NEWLINE);
		if (strcmp(out, b.data ? b.data : "") != 0)
			fuzz_fail("tt_sanitize and tt_sanitize_append disagree");
		tt_buf_clear(&b);
		free(out);
		free(s);
	}
	return 0;
}
