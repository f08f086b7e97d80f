#include <stdbool.h>

#include "tiertop/buf.h"
#include "tiertop/json_text.h"

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
