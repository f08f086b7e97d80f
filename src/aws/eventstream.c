/* The eventstream decoder (see eventstream.h). Bytes wait in one buffer
 * until a whole frame is there; the prelude is checked as soon as its 12
 * bytes arrive, so a hostile length is refused before anything is buffered
 * for it. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "tiertop/err.h"
#include "tiertop/eventstream.h"
#include "tiertop/xalloc.h"

struct tt_es_decoder {
	unsigned char *buf;
	size_t start; /* first unconsumed byte */
	size_t len;   /* bytes held, consumed ones included */
	size_t cap;
	uint64_t offset; /* stream offset of buf[start], for error messages */
	bool failed;
	struct tt_err error; /* what made it fail, repeated on every later call */
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const unsigned char *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static uint32_t crc_of(const unsigned char *p, size_t n)
{
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), p, (uInt)n);
}

struct tt_es_decoder *tt_es_decoder_new(void)
{
	return tt_xcalloc(1, sizeof(struct tt_es_decoder));
}

void tt_es_decoder_free(struct tt_es_decoder **dp)
{
	if (!*dp)
		return;
	free((*dp)->buf);
	free(*dp);
	*dp = NULL;
}

size_t tt_es_decoder_pending(const struct tt_es_decoder *d)
{
	return d->len - d->start;
}

void tt_es_decoder_feed(struct tt_es_decoder *d, const void *data, size_t len)
{
	if (d->failed || len == 0)
		return;
	/* Slide consumed bytes out before growing: the buffer then never holds
	 * much more than one frame plus one chunk. */
	if (d->start > 0 && d->len + len > d->cap) {
		memmove(d->buf, d->buf + d->start, d->len - d->start);
		d->len -= d->start;
		d->start = 0;
	}
	if (d->len + len > d->cap) {
		size_t cap = d->cap ? d->cap : 4096;
		while (cap < d->len + len)
			cap *= 2;
		d->buf = tt_xrealloc(d->buf, cap);
		d->cap = cap;
	}
	memcpy(d->buf + d->len, data, len);
	d->len += len;
}

static int fail(struct tt_es_decoder *d, struct tt_err *err, const char *what)
{
	d->failed = true;
	tt_err_set(&d->error, TT_ERR_AWS, "corrupted event stream frame at byte %llu: %s",
	           (unsigned long long)d->offset, what);
	*err = d->error;
	return -1;
}

/* Checks the 12-byte prelude; 0 or -1 with *why set. */
static int check_prelude(const unsigned char *p, char *why, size_t size)
{
	uint32_t total = be32(p), hlen = be32(p + 4), want = be32(p + 8), got = crc_of(p, 8);

	if (got != want) {
		snprintf(why, size, "prelude CRC mismatch (computed 0x%08x, frame says 0x%08x)", got, want);
		return -1;
	}
	if (total < TT_ES_MIN_TOTAL_LEN || total > TT_ES_MAX_TOTAL_LEN) {
		snprintf(why, size, "total length %u is outside %u..%u", total, TT_ES_MIN_TOTAL_LEN,
		         TT_ES_MAX_TOTAL_LEN);
		return -1;
	}
	if (hlen > total - TT_ES_MIN_TOTAL_LEN) {
		snprintf(why, size, "headers length %u does not fit in a %u-byte message", hlen, total);
		return -1;
	}
	if (hlen > TT_ES_MAX_HEADERS_LEN) {
		snprintf(why, size, "headers length %u is over the %u-byte limit", hlen,
		         TT_ES_MAX_HEADERS_LEN);
		return -1;
	}
	if (total - TT_ES_MIN_TOTAL_LEN - hlen > TT_ES_MAX_PAYLOAD_LEN) {
		snprintf(why, size, "payload length %u is over the %u-byte limit",
		         total - TT_ES_MIN_TOTAL_LEN - hlen, TT_ES_MAX_PAYLOAD_LEN);
		return -1;
	}
	return 0;
}

/* Size of a fixed-width value, or -1 for the variable and unknown types. */
static int fixed_size(unsigned type)
{
	static const int sizes[] = {0, 0, 1, 2, 4, 8, -1, -1, 8, 16};

	return type < sizeof(sizes) / sizeof(sizes[0]) ? sizes[type] : -1;
}

static int64_t signed_value(const unsigned char *p, int size)
{
	switch (size) {
	case 1:
		return (int8_t)p[0];
	case 2:
		return (int16_t)(uint16_t)(p[0] << 8 | p[1]);
	case 4:
		return (int32_t)be32(p);
	default:
		return (int64_t)be64(p);
	}
}

/* Reads one header at p (n bytes left in the header block) into h; returns
 * the bytes used or 0 with *why set. */
static size_t read_header(const unsigned char *p, size_t n, struct tt_es_header *h, char *why, size_t size)
{
	size_t name_len, used, vlen;
	unsigned type;
	int fixed;

	name_len = n ? p[0] : 0;
	if (n < 1 + name_len + 1) {
		snprintf(why, size, "a header runs past the end of the header block");
		return 0;
	}
	type = p[1 + name_len];
	used = 2 + name_len;
	fixed = fixed_size(type);
	if (type == TT_ES_BYTES || type == TT_ES_STRING) {
		if (n < used + 2) {
			snprintf(why, size, "a header value runs past the end of the header block");
			return 0;
		}
		vlen = (size_t)(p[used] << 8 | p[used + 1]);
		used += 2;
	} else if (fixed < 0) {
		snprintf(why, size, "header has unknown value type %u", type);
		return 0;
	} else {
		vlen = (size_t)fixed;
	}
	if (n < used + vlen) {
		snprintf(why, size, "a header value runs past the end of the header block");
		return 0;
	}
	h->name = tt_xstrndup((const char *)p + 1, name_len);
	h->type = (enum tt_es_type)type;
	if (type == TT_ES_TRUE || type == TT_ES_FALSE) {
		h->num = type == TT_ES_TRUE;
	} else if (fixed > 0 && type != TT_ES_UUID) {
		h->num = signed_value(p + used, fixed);
	} else {
		h->data = tt_xmalloc(vlen + 1);
		memcpy(h->data, p + used, vlen);
		h->data[vlen] = '\0';
		h->len = vlen;
	}
	return used + vlen;
}

static int by_name(const void *a, const void *b)
{
	const struct tt_es_header *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* Sorting finds duplicates in n log n: a frame may carry tens of thousands
 * of tiny headers, and a quadratic scan would be a cheap way to stall us. */
static const char *duplicate_name(const struct tt_es_message *m)
{
	const struct tt_es_header **v;
	const char *dup = NULL;

	if (m->nheaders < 2)
		return NULL;
	v = tt_xcalloc(m->nheaders, sizeof(*v));
	for (size_t i = 0; i < m->nheaders; i++)
		v[i] = &m->headers[i];
	qsort(v, m->nheaders, sizeof(*v), by_name);
	for (size_t i = 1; i < m->nheaders && !dup; i++)
		if (strcmp(v[i - 1]->name, v[i]->name) == 0)
			dup = v[i]->name;
	free(v);
	return dup;
}

static int read_headers(const unsigned char *p, size_t n, struct tt_es_message *m, char *why, size_t size)
{
	size_t cap = 0, off = 0, used;
	const char *dup;

	while (off < n) {
		if (m->nheaders == cap) {
			cap = cap ? cap * 2 : 8;
			m->headers = tt_xrealloc(m->headers, cap * sizeof(*m->headers));
		}
		memset(&m->headers[m->nheaders], 0, sizeof(*m->headers));
		used = read_header(p + off, n - off, &m->headers[m->nheaders], why, size);
		if (used == 0)
			return -1;
		m->nheaders++;
		off += used;
	}
	dup = duplicate_name(m);
	if (dup) {
		snprintf(why, size, "duplicate header \"%.64s\"", dup);
		return -1;
	}
	return 0;
}

int tt_es_decoder_next(struct tt_es_decoder *d, struct tt_es_message *out, struct tt_err *err)
{
	const unsigned char *p = d->buf + d->start;
	size_t avail = d->len - d->start;
	uint32_t total, hlen, want, got;
	char why[160];

	memset(out, 0, sizeof(*out));
	if (d->failed) {
		*err = d->error;
		return -1;
	}
	if (avail < TT_ES_PRELUDE_LEN)
		return 0;
	if (check_prelude(p, why, sizeof(why)))
		return fail(d, err, why);
	total = be32(p);
	hlen = be32(p + 4);
	if (avail < total)
		return 0;
	want = be32(p + total - 4);
	got = crc_of(p, total - 4);
	if (got != want) {
		snprintf(why, sizeof(why), "message CRC mismatch (computed 0x%08x, frame says 0x%08x)", got,
		         want);
		return fail(d, err, why);
	}
	if (read_headers(p + TT_ES_PRELUDE_LEN, hlen, out, why, sizeof(why))) {
		tt_es_message_clear(out);
		return fail(d, err, why);
	}
	out->payload_len = total - TT_ES_MIN_TOTAL_LEN - hlen;
	out->payload = tt_xmalloc(out->payload_len + 1);
	memcpy(out->payload, p + TT_ES_PRELUDE_LEN + hlen, out->payload_len);
	out->payload[out->payload_len] = '\0';
	d->start += total;
	d->offset += total;
	if (d->start == d->len)
		d->start = d->len = 0;
	return 1;
}

const struct tt_es_header *tt_es_message_header(const struct tt_es_message *m, const char *name)
{
	for (size_t i = 0; i < m->nheaders; i++)
		if (strcmp(m->headers[i].name, name) == 0)
			return &m->headers[i];
	return NULL;
}

const char *tt_es_message_string(const struct tt_es_message *m, const char *name)
{
	const struct tt_es_header *h = tt_es_message_header(m, name);

	return h && h->type == TT_ES_STRING ? h->data : NULL;
}

void tt_es_message_clear(struct tt_es_message *m)
{
	for (size_t i = 0; i < m->nheaders; i++) {
		free(m->headers[i].name);
		free(m->headers[i].data);
	}
	free(m->headers);
	free(m->payload);
	memset(m, 0, sizeof(*m));
}
