/* Plain JSON from the user (--key, --values) straight into the tree. Our
 * own parser because jansson turns 12345678901234567890.123 into a double
 * before we could see its digits; here every number keeps its lexeme.
 * Errors point at a line and a column (in characters, from 1). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddb_internal.h"
#include "tiertop/buf.h"
#include "tiertop/err.h"
#include "tiertop/utf8.h"
#include "tiertop/xalloc.h"

struct lexer {
	const char *s;
	size_t len;
	size_t pos;
	struct tt_err *err;
};

static void line_and_column(const struct lexer *x, size_t at, int *line, int *column)
{
	*line = 1;
	*column = 1;
	for (size_t i = 0; i < at && i < x->len; i++) {
		unsigned char c = (unsigned char)x->s[i];
		if (c == '\n') {
			(*line)++;
			*column = 1;
		} else if ((c & 0xC0) != 0x80) {
			(*column)++; /* count characters, not UTF-8 continuation bytes */
		}
	}
}

__attribute__((format(printf, 3, 4)))
static int fail_at(struct lexer *x, size_t at, const char *fmt, ...)
{
	char what[200];
	int line, column;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	line_and_column(x, at, &line, &column);
	return tt_err_set(x->err, TT_ERR_USAGE, "line %d, column %d: %s", line, column, what);
}

/* "unexpected 'x'" or "unexpected end of input", for the current position. */
static int unexpected(struct lexer *x, const char *wanted)
{
	unsigned char c;

	if (x->pos >= x->len)
		return fail_at(x, x->pos, "%s, found the end of the input", wanted);
	c = (unsigned char)x->s[x->pos];
	if (c > 0x20 && c < 0x7F)
		return fail_at(x, x->pos, "%s, found '%c'", wanted, c);
	return fail_at(x, x->pos, "%s, found byte 0x%02x", wanted, c);
}

static void skip_space(struct lexer *x)
{
	while (x->pos < x->len && strchr(" \t\r\n", x->s[x->pos]) && x->s[x->pos])
		x->pos++;
}

static int peek(const struct lexer *x)
{
	return x->pos < x->len ? (unsigned char)x->s[x->pos] : -1;
}

static int hex4(struct lexer *x, uint32_t *out)
{
	*out = 0;
	for (int i = 0; i < 4; i++) {
		int c = peek(x), d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return unexpected(x, "expected 4 hex digits after \\u");
		*out = (*out << 4) | (uint32_t)d;
		x->pos++;
	}
	return 0;
}

/* Surrogates never get here: unicode_escape joins or refuses them. */
static void put_utf8(struct tt_buf *out, uint32_t c)
{
	char b[4];

	tt_buf_append(out, b, tt_utf8_encode(c, b));
}

/* After "\u": one code point, joining a surrogate pair. */
static int unicode_escape(struct lexer *x, struct tt_buf *out)
{
	size_t start = x->pos - 2;
	uint32_t hi, lo;

	if (hex4(x, &hi))
		return -1;
	if (hi >= 0xDC00 && hi <= 0xDFFF)
		return fail_at(x, start, "a lone low surrogate \\u%04x is not a character", (unsigned)hi);
	if (hi >= 0xD800 && hi <= 0xDBFF) {
		if (x->pos + 1 >= x->len || x->s[x->pos] != '\\' || x->s[x->pos + 1] != 'u')
			return fail_at(x, start, "a high surrogate \\u%04x must be followed by a low one",
				       (unsigned)hi);
		x->pos += 2;
		if (hex4(x, &lo))
			return -1;
		if (lo < 0xDC00 || lo > 0xDFFF)
			return fail_at(x, start, "a high surrogate \\u%04x must be followed by a low one",
				       (unsigned)hi);
		hi = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
	}
	put_utf8(out, hi);
	return 0;
}

static int escape(struct lexer *x, struct tt_buf *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	int c = peek(x);
	const char *p = c > 0 ? strchr(from, c) : NULL;

	if (c == 'u') {
		x->pos++;
		return unicode_escape(x, out);
	}
	if (!p) {
		x->pos--;
		return unexpected(x, "expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
	}
	tt_buf_putc(out, to[p - from]);
	x->pos++;
	return 0;
}

/* At the opening quote; decodes into out. */
static int string(struct lexer *x, struct tt_buf *out)
{
	size_t start = x->pos++;

	for (;;) {
		uint32_t cp;
		size_t n;
		int c = peek(x);

		if (c < 0)
			return fail_at(x, start, "this string is never closed");
		if (c == '"') {
			x->pos++;
			return 0;
		}
		if (c == '\\') {
			x->pos++;
			if (escape(x, out))
				return -1;
			continue;
		}
		if (c < 0x20)
			return fail_at(x, x->pos,
			               "control character 0x%02x inside a string (write it as \\u%04x)",
			               (unsigned)c, (unsigned)c);
		n = tt_utf8_next(x->s + x->pos, x->len - x->pos, &cp);
		if (n == 0)
			return fail_at(x, x->pos, "invalid UTF-8 (byte 0x%02x)", (unsigned)c);
		tt_buf_append(out, x->s + x->pos, n);
		x->pos += n;
	}
}

static size_t skip_digits(struct lexer *x)
{
	size_t n = 0;

	while (peek(x) >= '0' && peek(x) <= '9')
		x->pos++, n++;
	return n;
}

/* JSON's number grammar, keeping the lexeme as N text. */
static int number(struct lexer *x, struct tt_ddb_value *v)
{
	size_t start = x->pos, int_start;

	if (peek(x) == '-')
		x->pos++;
	int_start = x->pos;
	if (skip_digits(x) == 0)
		return unexpected(x, "expected a digit");
	if (x->s[int_start] == '0' && x->pos - int_start > 1)
		return fail_at(x, int_start, "a number cannot start with 0 (leading zeros are not JSON)");
	if (peek(x) == '.') {
		x->pos++;
		if (skip_digits(x) == 0)
			return unexpected(x, "expected a digit after '.'");
	}
	if (peek(x) == 'e' || peek(x) == 'E') {
		x->pos++;
		if (peek(x) == '+' || peek(x) == '-')
			x->pos++;
		if (skip_digits(x) == 0)
			return unexpected(x, "expected a digit in the exponent");
	}
	v->type = TT_DDB_N;
	tt_ddb_value_set_str(v, x->s + start, x->pos - start);
	return 0;
}

static int literal(struct lexer *x, struct tt_ddb_value *v)
{
	static const struct {
		const char *word;
		enum tt_ddb_type type;
		bool value;
	} words[] = {
	    {"true", TT_DDB_BOOL, true}, {"false", TT_DDB_BOOL, false}, {"null", TT_DDB_NULL, false}};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i].word);
		if (x->len - x->pos >= n && memcmp(x->s + x->pos, words[i].word, n) == 0) {
			int after = x->pos + n < x->len ? (unsigned char)x->s[x->pos + n] : ' ';
			if ((after >= 'a' && after <= 'z') || (after >= 'A' && after <= 'Z') ||
			    (after >= '0' && after <= '9') || after == '_')
				break;
			v->type = words[i].type;
			v->boolean = words[i].value;
			x->pos += n;
			return 0;
		}
	}
	return unexpected(x, "expected a JSON value (a string, number, object, array, true, false or null)");
}

static int value(struct lexer *x, struct tt_ddb_value *v, int depth);

static bool name_taken(const struct tt_ddb_value *m, const char *name, size_t len)
{
	for (size_t i = 0; i < m->n; i++)
		if (strlen(m->names[i]) == len && memcmp(m->names[i], name, len) == 0)
			return true;
	return false;
}

/* After a member's name: the colon and the value. */
static int member_value(struct lexer *x, struct tt_ddb_value *m, const struct tt_buf *name, size_t at,
			int depth)
{
	if (memchr(name->data, '\0', name->len))
		return fail_at(x, at, "a name cannot contain \\u0000");
	if (name_taken(m, name->data, name->len))
		return fail_at(x, at, "\"%.60s\" appears twice in this object", name->data);
	skip_space(x);
	if (peek(x) != ':')
		return unexpected(x, "expected ':' after the name");
	x->pos++;
	skip_space(x);
	return value(x, tt_ddb_kid_add(m, name->data, name->len), depth + 1);
}

static int member(struct lexer *x, struct tt_ddb_value *m, int depth)
{
	struct tt_buf name;
	size_t at = x->pos;
	int rc;

	if (peek(x) != '"')
		return unexpected(x, "expected a name in double quotes");
	tt_buf_init(&name, 0);
	tt_buf_puts(&name, "");
	rc = string(x, &name);
	if (rc == 0)
		rc = member_value(x, m, &name, at, depth);
	tt_buf_clear(&name);
	return rc;
}

static int object(struct lexer *x, struct tt_ddb_value *v, int depth)
{
	v->type = TT_DDB_M;
	x->pos++;
	skip_space(x);
	if (peek(x) == '}') {
		x->pos++;
		return 0;
	}
	for (;;) {
		if (member(x, v, depth))
			return -1;
		skip_space(x);
		if (peek(x) == '}') {
			x->pos++;
			return 0;
		}
		if (peek(x) != ',')
			return unexpected(x, "expected ',' or '}' after an object member");
		x->pos++;
		skip_space(x);
	}
}

static int array(struct lexer *x, struct tt_ddb_value *v, int depth)
{
	v->type = TT_DDB_L;
	x->pos++;
	skip_space(x);
	if (peek(x) == ']') {
		x->pos++;
		return 0;
	}
	for (;;) {
		if (value(x, tt_ddb_kid_add(v, NULL, 0), depth + 1))
			return -1;
		skip_space(x);
		if (peek(x) == ']') {
			x->pos++;
			return 0;
		}
		if (peek(x) != ',')
			return unexpected(x, "expected ',' or ']' after an array element");
		x->pos++;
		skip_space(x);
	}
}

static int value(struct lexer *x, struct tt_ddb_value *v, int depth)
{
	int c = peek(x);

	if (depth > TT_DDB_MAX_DEPTH)
		return fail_at(x, x->pos, "nested more than %d levels deep", TT_DDB_MAX_DEPTH);
	if (c == '{')
		return object(x, v, depth);
	if (c == '[')
		return array(x, v, depth);
	if (c == '-' || (c >= '0' && c <= '9'))
		return number(x, v);
	if (c == '"') {
		struct tt_buf s;
		int rc;
		tt_buf_init(&s, 0);
		tt_buf_puts(&s, "");
		rc = string(x, &s);
		v->type = TT_DDB_S;
		v->len = s.len;
		v->str = tt_buf_steal(&s);
		return rc;
	}
	return literal(x, v);
}

int tt_ddb_value_parse_plain(const char *text, size_t len, struct tt_ddb_value **out, struct tt_err *err)
{
	struct lexer x = {text, len, 0, err};
	struct tt_ddb_value *v = tt_xcalloc(1, sizeof(*v));
	int rc;

	skip_space(&x);
	rc = value(&x, v, 0);
	if (rc == 0) {
		skip_space(&x);
		if (x.pos < x.len)
			rc = unexpected(&x, "expected nothing after the JSON value");
	}
	if (rc)
		tt_ddb_value_free(&v);
	*out = v;
	return rc;
}
