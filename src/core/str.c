#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tiertop/buf.h"
#include "tiertop/str.h"
#include "tiertop/xalloc.h"

bool tt_str_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool tt_str_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

bool tt_str_ieq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

char *tt_str_trim(char *s)
{
	char *end;

	while (*s && isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
}

int tt_str_parse_bool(const char *s)
{
	if (strcasecmp(s, "true") == 0)
		return 1;
	if (strcasecmp(s, "false") == 0)
		return 0;
	return -1;
}

int tt_str_parse_switch(const char *s)
{
	static const char *const on[] = {"true", "yes", "on", "1"}, *const off[] = {"false", "no", "off", "0"};

	for (size_t i = 0; i < sizeof(on) / sizeof(on[0]); i++) {
		if (strcasecmp(s, on[i]) == 0)
			return 1;
		if (strcasecmp(s, off[i]) == 0)
			return 0;
	}
	return -1;
}

int tt_str_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

void tt_hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static bool unreserved(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

char *tt_uri_encode(const char *s, size_t len, bool keep_slash)
{
	static const char digits[] = "0123456789ABCDEF";
	char *out = tt_xmalloc(len * 3 + 1);
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (unreserved(c) || (keep_slash && c == '/')) {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = digits[c >> 4];
			out[o++] = digits[c & 15];
		}
	}
	out[o] = '\0';
	return out;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

size_t tt_uri_decode(const char *s, size_t len, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return o;
}

/* --- shlex ------------------------------------------------------------------- */

static bool shlex_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int split_fail(struct tt_buf *word, char **argv, int argc)
{
	tt_buf_clear(word);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	return -1;
}

int tt_shlex_split(const char *cmd, char **argv, int max)
{
	struct tt_buf word;
	int argc = 0;
	bool in_word = false;
	char quote = 0;

	tt_buf_init(&word, 0);
	for (const char *p = cmd;; p++) {
		char c = *p;
		if (!c && quote)
			return split_fail(&word, argv, argc);
		if (!c || (!quote && shlex_space(c))) {
			if (in_word && argc >= max - 1)
				return split_fail(&word, argv, argc);
			if (in_word)
				argv[argc++] = tt_xstrdup(word.data ? word.data : "");
			tt_buf_reset(&word);
			in_word = false;
			if (!c)
				break;
			continue;
		}
		in_word = true;
		if (quote == '\'') {
			if (c == '\'')
				quote = 0;
			else
				tt_buf_putc(&word, c);
		} else if (c == '\\') {
			if (!p[1])
				return split_fail(&word, argv, argc);
			if (quote && p[1] != '"' && p[1] != '\\')
				tt_buf_putc(&word, c);
			else
				tt_buf_putc(&word, *++p);
		} else if (quote == '"' && c == '"') {
			quote = 0;
		} else if (!quote && (c == '\'' || c == '"')) {
			quote = c;
		} else {
			tt_buf_putc(&word, c);
		}
	}
	tt_buf_clear(&word);
	argv[argc] = NULL;
	return argc;
}
