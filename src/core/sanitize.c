#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiertop/buf.h"
#include "tiertop/sanitize.h"
#include "tiertop/utf8.h"

static void put_hex(struct tt_buf *out, unsigned char c)
{
	char tmp[8];

	snprintf(tmp, sizeof(tmp), "\\x%02X", c);
	tt_buf_puts(out, tmp);
}

/* C1 controls (U+0080..U+009F) act as escape introducers on some terminals
 * (CSI is U+009B), so they are shown like C0 controls. */
static bool is_c1(uint32_t cp)
{
	return cp >= 0x80 && cp <= 0x9F;
}

/* Characters that reorder or hide the text around them: bidi embeddings,
 * overrides and isolates (a name can read as another, "Trojan Source"), the
 * marks LRM, RLM and ALM, zero-width characters and the Unicode line and
 * paragraph separators. Shown by code point, like C1 controls. */
static bool is_invisible(uint32_t cp)
{
	return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
	       (cp >= 0x2060 && cp <= 0x2069 && cp != 0x2065) || cp == 0x061C || cp == 0xFEFF;
}

void tt_sanitize_append(struct tt_buf *out, const char *s, size_t len, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n, run = i;

		/* Printable ASCII, most of any log line, is copied in runs. */
		while (run < len && p[run] >= 0x20 && p[run] < 0x7F)
			run++;
		if (run > i) {
			tt_buf_append(out, p + i, run - i);
			i = run;
			continue;
		}
		n = tt_utf8_next(s + i, len - i, &cp);

		if (n == 0) {
			put_hex(out, p[i]);
			i++;
			continue;
		}
		if (cp == '\n' && (flags & TT_SAN_KEEP_NEWLINE)) {
			tt_buf_putc(out, '\n');
		} else if (cp == '\t' && (flags & TT_SAN_KEEP_TAB)) {
			tt_buf_putc(out, '\t');
		} else if (cp < 0x20 || cp == 0x7F) {
			tt_buf_putc(out, '^');
			tt_buf_putc(out, cp == 0x7F ? '?' : (char)(cp + '@'));
		} else if (is_c1(cp) || is_invisible(cp)) {
			char tmp[16];
			snprintf(tmp, sizeof(tmp), "<U+%04X>", (unsigned)cp);
			tt_buf_puts(out, tmp);
		} else if (cp >= 0x80 && (flags & TT_SAN_ASCII)) {
			char tmp[16];
			snprintf(tmp, sizeof(tmp), cp > 0xFFFF ? "<U+%06X>" : "<U+%04X>", (unsigned)cp);
			tt_buf_puts(out, tmp);
		} else {
			tt_buf_append(out, p + i, n);
		}
		i += n;
	}
}

char *tt_sanitize(const char *s, unsigned flags)
{
	struct tt_buf b;

	tt_buf_init(&b, 0);
	tt_sanitize_append(&b, s, strlen(s), flags);
	return tt_buf_steal(&b);
}
