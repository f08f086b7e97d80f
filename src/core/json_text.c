#include <stdbool.h>
#include <stdint.h>

#include "tiertop/buf.h"
#include "tiertop/json_text.h"
#include "tiertop/utf8.h"

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void newline(struct tt_buf *out, int depth, int indent)
{
	tt_buf_putc(out, '\n');
	for (int i = 0; i < depth * indent; i++)
		tt_buf_putc(out, ' ');
}

/* Index of the first non-blank byte at or after i. */
static size_t skip_blank(const char *s, size_t len, size_t i)
{
	while (i < len && blank(s[i]))
		i++;
	return i;
}

void tt_json_compact(const char *s, size_t len, struct tt_buf *out)
{
	bool in_str = false, esc = false;

	for (size_t i = 0; i < len; i++) {
		char ch = s[i];

		if (esc)
			esc = false; /* the escaped character, a quote perhaps, stays inside */
		else if (in_str && ch == '\\')
			esc = true;
		else if (ch == '"')
			in_str = !in_str;
		else if (!in_str && blank(ch))
			continue;
		tt_buf_putc(out, ch);
	}
}

void tt_json_reindent(const char *s, size_t len, int indent, struct tt_buf *out)
{
	bool in_str = false, esc = false;
	int depth = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		size_t j;

		if (in_str) {
			tt_buf_putc(out, c);
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (blank(c))
			continue;
		switch (c) {
		case '"':
			in_str = true;
			tt_buf_putc(out, c);
			break;
		case '{':
		case '[':
			tt_buf_putc(out, c);
			j = skip_blank(s, len, i + 1);
			if (j < len && (s[j] == '}' || s[j] == ']')) {
				tt_buf_putc(out, s[j]);
				i = j;
			} else {
				newline(out, ++depth, indent);
			}
			break;
		case '}':
		case ']':
			newline(out, depth > 0 ? --depth : 0, indent);
			tt_buf_putc(out, c);
			break;
		case ',':
			tt_buf_putc(out, c);
			newline(out, depth, indent);
			break;
		case ':':
			tt_buf_puts(out, ": ");
			break;
		default:
			tt_buf_putc(out, c);
		}
	}
}

/* Code points that are valid JSON as they are but that a terminal, a
 * JavaScript parser or a reader's eye would take for something else. */
static bool must_escape(uint32_t c)
{
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029 ||
	       c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

static const char *short_escape(uint32_t c)
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\n':
		return "\\n";
	case '\t':
		return "\\t";
	case '\r':
		return "\\r";
	default:
		return NULL;
	}
}

/* \uXXXX, as a surrogate pair past the Basic Multilingual Plane. */
static void put_u_escape(struct tt_buf *out, uint32_t c)
{
	if (c > 0xFFFF) {
		c -= 0x10000;
		tt_buf_printf(out, "\\u%04x\\u%04x", (unsigned)(0xD800 + (c >> 10)), (unsigned)(0xDC00 + (c & 0x3FF)));
		return;
	}
	tt_buf_printf(out, "\\u%04x", (unsigned)c);
}

static void json_string(struct tt_buf *out, const char *s, size_t len, bool ascii)
{
	size_t i = 0, run = 0;

	tt_buf_putc(out, '"');
	while (i < len) {
		unsigned char b = (unsigned char)s[i];
		uint32_t c;
		size_t n;
		const char *esc;

		/* Printable ASCII other than '"' and '\\' is most of any text. */
		if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\') {
			i++;
			run++;
			continue;
		}
		n = tt_utf8_next(s + i, len - i, &c);
		esc = n ? short_escape(c) : NULL;
		if (n && !esc && !must_escape(c) && !(ascii && c >= 0x80)) {
			i += n;
			run += n;
			continue;
		}
		tt_buf_append(out, s + i - run, run);
		run = 0;
		if (n == 0)
			tt_buf_puts(out, ascii ? "\\ufffd" : "\xEF\xBF\xBD");
		else if (esc)
			tt_buf_puts(out, esc);
		else
			put_u_escape(out, c);
		i += n ? n : 1;
	}
	tt_buf_append(out, s + i - run, run);
	tt_buf_putc(out, '"');
}

void tt_json_string(struct tt_buf *out, const char *s, size_t len)
{
	json_string(out, s, len, false);
}

void tt_json_string_ascii(struct tt_buf *out, const char *s, size_t len)
{
	json_string(out, s, len, true);
}
