/* Writing the tree as JSON text. Our own writer rather than jansson's
 * because plain output must emit N values as number literals with their
 * exact text, which jansson can only do through double or long long. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddb_internal.h"
#include "tiertop/buf.h"

size_t tt_ddb_utf8_next(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t need;
	uint32_t c, min;

	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if ((u[0] & 0xE0) == 0xC0)
		need = 2, c = u[0] & 0x1F, min = 0x80;
	else if ((u[0] & 0xF0) == 0xE0)
		need = 3, c = u[0] & 0x0F, min = 0x800;
	else if ((u[0] & 0xF8) == 0xF0)
		need = 4, c = u[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return need;
}

/* Code points that are valid JSON as they are but that a terminal, a
 * JavaScript parser or a reader's eye would take for something else. */
static bool must_escape(uint32_t c)
{
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029 ||
	       c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

void tt_ddb_json_string(struct tt_buf *out, const char *s, size_t len)
{
	size_t i = 0, run = 0;

	tt_buf_putc(out, '"');
	while (i < len) {
		uint32_t c;
		size_t n = tt_ddb_utf8_next(s + i, len - i, &c);
		const char *esc = NULL;

		if (n == 0) {
			n = 1;
			c = 0xFFFD;
		} else if (c == '"') {
			esc = "\\\"";
		} else if (c == '\\') {
			esc = "\\\\";
		} else if (c == '\n') {
			esc = "\\n";
		} else if (c == '\t') {
			esc = "\\t";
		} else if (c == '\r') {
			esc = "\\r";
		} else if (!must_escape(c)) {
			i += n;
			run += n;
			continue;
		}
		tt_buf_append(out, s + i - run, run);
		run = 0;
		if (esc)
			tt_buf_puts(out, esc);
		else if (c == 0xFFFD)
			tt_buf_puts(out, "\xEF\xBF\xBD");
		else
			tt_buf_printf(out, "\\u%04x", (unsigned)c);
		i += n;
	}
	tt_buf_append(out, s + i - run, run);
	tt_buf_putc(out, '"');
}

static size_t digits(const char *s)
{
	size_t n = 0;

	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

bool tt_ddb_json_number_ok(const char *s)
{
	size_t n;

	if (*s == '-')
		s++;
	n = digits(s);
	if (n == 0 || (n > 1 && s[0] == '0'))
		return false;
	s += n;
	if (*s == '.') {
		n = digits(++s);
		if (n == 0)
			return false;
		s += n;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		n = digits(s);
		if (n == 0)
			return false;
		s += n;
	}
	return *s == '\0';
}

/* Rewrites decimal text DynamoDB accepts but JSON does not ("+5", ".5",
 * "5.", "007") without changing its value. False when it cannot. */
static bool json_number_from(const char *s, struct tt_buf *out)
{
	size_t n, total, before = out->len;

	if (*s == '+' || *s == '-')
		if (*s++ == '-')
			tt_buf_putc(out, '-');
	total = n = digits(s);
	while (n > 1 && *s == '0')
		s++, n--;
	if (n)
		tt_buf_append(out, s, n);
	else
		tt_buf_putc(out, '0');
	s += n;
	if (*s == '.') {
		total += n = digits(++s);
		if (n)
			tt_buf_putc(out, '.');
		tt_buf_append(out, s, n);
		s += n;
	}
	if (*s == 'e' || *s == 'E') {
		n = strlen(s);
		tt_buf_append(out, s, n);
		s += n;
	}
	if (total && *s == '\0' && tt_ddb_json_number_ok(out->data + before))
		return true;
	out->len = before;
	out->data[before] = '\0';
	return false;
}

static void write_number(const struct tt_ddb_value *v, struct tt_buf *out)
{
	if (tt_ddb_json_number_ok(v->str))
		tt_buf_append(out, v->str, v->len);
	else if (!json_number_from(v->str, out))
		tt_ddb_json_string(out, v->str, v->len); /* not a number at all: keep the text */
}

static void write_plain(const struct tt_ddb_value *v, struct tt_buf *out);
static void write_typed(const struct tt_ddb_value *v, struct tt_buf *out);

static void write_members(const struct tt_ddb_value *m, struct tt_buf *out,
			  void (*write)(const struct tt_ddb_value *, struct tt_buf *))
{
	tt_buf_putc(out, '{');
	for (size_t i = 0; i < m->n; i++) {
		if (i)
			tt_buf_putc(out, ',');
		tt_ddb_json_string(out, m->names[i], strlen(m->names[i]));
		tt_buf_putc(out, ':');
		write(&m->kids[i], out);
	}
	tt_buf_putc(out, '}');
}

static void write_elements(const struct tt_ddb_value *l, struct tt_buf *out,
			   void (*write)(const struct tt_ddb_value *, struct tt_buf *))
{
	tt_buf_putc(out, '[');
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			tt_buf_putc(out, ',');
		write(&l->kids[i], out);
	}
	tt_buf_putc(out, ']');
}

static void write_plain(const struct tt_ddb_value *v, struct tt_buf *out)
{
	switch (v->type) {
	case TT_DDB_S:
	case TT_DDB_B:
		tt_ddb_json_string(out, v->str, v->len);
		break;
	case TT_DDB_N:
		write_number(v, out);
		break;
	case TT_DDB_BOOL:
		tt_buf_puts(out, v->boolean ? "true" : "false");
		break;
	case TT_DDB_NULL:
		tt_buf_puts(out, "null");
		break;
	case TT_DDB_M:
		write_members(v, out, write_plain);
		break;
	default: /* L and the sets, which plain JSON can only show as arrays */
		write_elements(v, out, write_plain);
		break;
	}
}

/* A set's element inside a typed set: the bare string. */
static void write_set_element(const struct tt_ddb_value *v, struct tt_buf *out)
{
	tt_ddb_json_string(out, v->str, v->len);
}

static void write_typed(const struct tt_ddb_value *v, struct tt_buf *out)
{
	tt_buf_printf(out, "{\"%s\":", tt_ddb_type_name(v->type));
	switch (v->type) {
	case TT_DDB_S:
	case TT_DDB_N:
	case TT_DDB_B:
		tt_ddb_json_string(out, v->str, v->len);
		break;
	case TT_DDB_BOOL:
		tt_buf_puts(out, v->boolean ? "true" : "false");
		break;
	case TT_DDB_NULL:
		tt_buf_puts(out, "true");
		break;
	case TT_DDB_M:
		write_members(v, out, write_typed);
		break;
	case TT_DDB_L:
		write_elements(v, out, write_typed);
		break;
	default:
		write_elements(v, out, write_set_element);
		break;
	}
	tt_buf_putc(out, '}');
}

void tt_ddb_value_write(const struct tt_ddb_value *v, enum tt_ddb_format fmt, struct tt_buf *out)
{
	if (fmt == TT_DDB_TYPED)
		write_typed(v, out);
	else
		write_plain(v, out);
}

void tt_ddb_item_write(const struct tt_ddb_value *item, enum tt_ddb_format fmt, struct tt_buf *out)
{
	if (item->type != TT_DDB_M)
		tt_ddb_value_write(item, fmt, out);
	else
		write_members(item, out, fmt == TT_DDB_TYPED ? write_typed : write_plain);
}

char *tt_ddb_value_text(const struct tt_ddb_value *v, enum tt_ddb_format fmt)
{
	struct tt_buf b;

	tt_buf_init(&b, 0);
	tt_ddb_value_write(v, fmt, &b);
	return tt_buf_steal(&b);
}

char *tt_ddb_item_text(const struct tt_ddb_value *item, enum tt_ddb_format fmt)
{
	struct tt_buf b;

	tt_buf_init(&b, 0);
	tt_ddb_item_write(item, fmt, &b);
	return tt_buf_steal(&b);
}
