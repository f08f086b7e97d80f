#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "tiertop/buf.h"
#include "tiertop/xalloc.h"

void tt_buf_init(struct tt_buf *b, size_t limit)
{
	memset(b, 0, sizeof(*b));
	b->limit = limit;
}

void tt_buf_clear(struct tt_buf *b)
{
	free(b->data);
	tt_buf_init(b, b->limit);
}

void tt_buf_clear_secret(struct tt_buf *b)
{
	if (b->data)
		OPENSSL_cleanse(b->data, b->cap);
	tt_buf_clear(b);
}

void tt_buf_reset(struct tt_buf *b)
{
	b->len = 0;
	b->truncated = false;
	if (b->data)
		b->data[0] = '\0';
}

static void reserve(struct tt_buf *b, size_t extra)
{
	size_t want = b->len + extra + 1;
	size_t cap = b->cap ? b->cap : 64;

	if (want <= b->cap)
		return;
	while (cap < want)
		cap *= 2;
	b->data = tt_xrealloc(b->data, cap);
	b->cap = cap;
}

void tt_buf_reserve(struct tt_buf *b, size_t extra)
{
	reserve(b, extra);
}

bool tt_buf_append(struct tt_buf *b, const void *data, size_t len)
{
	bool whole = true;

	if (b->limit && b->len + len > b->limit) {
		len = b->limit > b->len ? b->limit - b->len : 0;
		b->truncated = true;
		whole = false;
	}
	reserve(b, len);
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return whole;
}

bool tt_buf_puts(struct tt_buf *b, const char *s)
{
	return tt_buf_append(b, s, strlen(s));
}

bool tt_buf_putc(struct tt_buf *b, char c)
{
	return tt_buf_append(b, &c, 1);
}

bool tt_buf_printf(struct tt_buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	int n;
	bool ok;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return false;
	if ((size_t)n < sizeof(small))
		return tt_buf_append(b, small, (size_t)n);
	{
		char *big = tt_xmalloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		ok = tt_buf_append(b, big, (size_t)n);
		free(big);
	}
	return ok;
}

char *tt_buf_steal(struct tt_buf *b)
{
	char *p = b->data ? b->data : tt_xstrdup("");

	b->data = NULL;
	b->len = b->cap = 0;
	b->truncated = false;
	return p;
}

int tt_buf_read_stream(struct tt_buf *b, FILE *f)
{
	char chunk[65536];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (!tt_buf_append(b, chunk, n))
			return 0;
	return ferror(f) ? -1 : 0;
}
