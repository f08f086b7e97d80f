/* Writing the tree as JSON text. Our own writer rather than jansson's
 * because plain output must emit N values as number literals with their
 * exact text, which jansson can only do through double or long long. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddb_internal.h"
#include "tiertop/buf.h"
#include "tiertop/json_text.h"

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
		tt_json_string(out, v->str, v->len); /* not a number at all: keep the text */
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
		tt_json_string(out, m->names[i], strlen(m->names[i]));
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
		tt_json_string(out, v->str, v->len);
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
	tt_json_string(out, v->str, v->len);
}

static void write_typed(const struct tt_ddb_value *v, struct tt_buf *out)
{
	tt_buf_printf(out, "{\"%s\":", tt_ddb_type_name(v->type));
	switch (v->type) {
	case TT_DDB_S:
	case TT_DDB_N:
	case TT_DDB_B:
		tt_json_string(out, v->str, v->len);
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
