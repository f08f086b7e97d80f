#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiertop/buf.h"
#include "tiertop/sanitize.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. Overlong
 * forms and surrogates are invalid: they are a classic way to smuggle control
 * characters past naive filters. */
static size_t utf8_len(const unsigned char *s, size_t avail, unsigned *cp)
{
	size_t n;
	unsigned c = s[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		n = 2, *cp = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3, *cp = c & 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4, *cp = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3F);
	}
	if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
		return 0;
	return n;
}

static void put_hex(struct tt_buf *out, unsigned char c)
{
	char tmp[8];

	snprintf(tmp, sizeof(tmp), "\\x%02X", c);
	tt_buf_puts(out, tmp);
}

/* C1 controls (U+0080..U+009F) act as escape introducers on some terminals
 * (CSI is U+009B), so they are shown like C0 controls. */
static bool is_c1(unsigned cp)
{
	return cp >= 0x80 && cp <= 0x9F;
}

void tt_sanitize_append(struct tt_buf *out, const char *s, size_t len, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned cp;
		size_t n = utf8_len(p + i, len - i, &cp);

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
		} else if (is_c1(cp)) {
			char tmp[12];
			snprintf(tmp, sizeof(tmp), "<U+%04X>", cp);
			tt_buf_puts(out, tmp);
		} else if (cp >= 0x80 && (flags & TT_SAN_ASCII)) {
			char tmp[16];
			snprintf(tmp, sizeof(tmp), cp > 0xFFFF ? "<U+%06X>" : "<U+%04X>", cp);
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
