#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tiertop/err.h"

void tt_err_clear(struct tt_err *err)
{
	memset(err, 0, sizeof(*err));
}

int tt_err_set(struct tt_err *err, enum tt_err_kind kind, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	tt_err_clear(err);
	err->kind = kind;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}

/* Appends as much of s as fits; returns the new length. */
static size_t append_cut(char *dst, size_t len, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (n > cap - len)
		n = cap - len;
	memcpy(dst + len, s, n);
	return len + n;
}

void tt_err_prefix(struct tt_err *err, const char *fmt, ...)
{
	char prefix[256];
	char joined[sizeof(err->message)];
	size_t len = 0, cap = sizeof(joined) - 1;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	len = append_cut(joined, len, cap, prefix);
	len = append_cut(joined, len, cap, ": ");
	len = append_cut(joined, len, cap, err->message);
	joined[len] = '\0';
	memcpy(err->message, joined, len + 1);
}

void tt_err_append(struct tt_err *err, const char *fmt, ...)
{
	char more[512];
	size_t len = strlen(err->message);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(more, sizeof(more), fmt, ap);
	va_end(ap);
	len = append_cut(err->message, len, sizeof(err->message) - 1, more);
	err->message[len] = '\0';
}

enum tt_exit tt_err_exit_code(const struct tt_err *err)
{
	switch (err->kind) {
	case TT_ERR_NONE: return TT_EXIT_OK;
	case TT_ERR_USAGE: return TT_EXIT_USAGE;
	case TT_ERR_CONFIG: return TT_EXIT_CONFIG;
	case TT_ERR_AWS: return TT_EXIT_AWS;
	case TT_ERR_NETWORK: return TT_EXIT_NETWORK;
	case TT_ERR_FAILURE: break;
	}
	return TT_EXIT_FAILURE;
}

const char *tt_err_format(const struct tt_err *err, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s", err->message[0] ? err->message : "unknown error");

	if (n < 0 || (size_t)n >= size)
		return buf;
	if (err->code[0] || err->http_status || err->request_id[0]) {
		const char *sep = "";
		n += snprintf(buf + n, size - (size_t)n, " (");
		/* "HTTP503" stands in for a missing code; the status says it. */
		bool code_is_status = err->http_status && strncmp(err->code, "HTTP", 4) == 0;
		if (err->code[0] && !code_is_status && (size_t)n < size) {
			n += snprintf(buf + n, size - (size_t)n, "%s", err->code);
			sep = ", ";
		}
		if (err->http_status && (size_t)n < size) {
			n += snprintf(buf + n, size - (size_t)n, "%sHTTP %ld", sep, err->http_status);
			sep = ", ";
		}
		if (err->request_id[0] && (size_t)n < size)
			n += snprintf(buf + n, size - (size_t)n, "%srequest id %s", sep, err->request_id);
		if ((size_t)n < size)
			snprintf(buf + n, size - (size_t)n, ")");
	}
	return buf;
}
