/* The eventstream decoder: frames built here by hand, fed whole, split at
 * every byte, corrupted and oversized; and the same frames decoded by
 * botocore's EventStreamBuffer (Debian python3-botocore) for comparison. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "tap.h"
#include "testutil.h"
#include "tiertop/buf.h"
#include "tiertop/err.h"
#include "tiertop/eventstream.h"
#include "tiertop/xalloc.h"

/* --- a minimal encoder, for the tests only ------------------------------- */

static void put_be(struct tt_buf *b, uint64_t v, int bytes)
{
	for (int i = bytes - 1; i >= 0; i--)
		tt_buf_putc(b, (char)((v >> (8 * i)) & 0xFF));
}

static void hdr_start(struct tt_buf *h, const char *name, enum tt_es_type type)
{
	put_be(h, strlen(name), 1);
	tt_buf_puts(h, name);
	put_be(h, (uint64_t)type, 1);
}

static void hdr_str(struct tt_buf *h, const char *name, const char *value)
{
	hdr_start(h, name, TT_ES_STRING);
	put_be(h, strlen(value), 2);
	tt_buf_puts(h, value);
}

static void hdr_int(struct tt_buf *h, const char *name, enum tt_es_type type, int64_t v)
{
	static const int size[] = {0, 0, 1, 2, 4, 8, 0, 0, 8};

	hdr_start(h, name, type);
	put_be(h, (uint64_t)v, size[type]);
}

static void hdr_raw(struct tt_buf *h, const char *name, enum tt_es_type type, const void *data, size_t len)
{
	hdr_start(h, name, type);
	if (type == TT_ES_BYTES)
		put_be(h, len, 2);
	tt_buf_append(h, data, len);
}

static uint32_t crc(const void *p, size_t n)
{
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), p, (uInt)n);
}

/* Appends one frame to out. */
static void frame(struct tt_buf *out, const struct tt_buf *h, const char *payload, size_t plen)
{
	size_t at = out->len, total = 16 + h->len + plen;

	put_be(out, total, 4);
	put_be(out, h->len, 4);
	put_be(out, crc(out->data + at, 8), 4);
	if (h->len)
		tt_buf_append(out, h->data, h->len);
	if (plen)
		tt_buf_append(out, payload, plen);
	put_be(out, crc(out->data + at, out->len - at), 4);
}

static void event_frame(struct tt_buf *out, const char *event_type, const char *payload)
{
	struct tt_buf h;

	tt_buf_init(&h, 0);
	hdr_str(&h, ":message-type", "event");
	hdr_str(&h, ":event-type", event_type);
	hdr_str(&h, ":content-type", "application/json");
	frame(out, &h, payload, strlen(payload));
	tt_buf_clear(&h);
}

/* Every header type once. */
static void all_types_frame(struct tt_buf *out)
{
	struct tt_buf h;
	const unsigned char uuid[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xff};
	const char bytes[] = {'a', 0, (char)0xfe};

	tt_buf_init(&h, 0);
	hdr_start(&h, "t", TT_ES_TRUE);
	hdr_start(&h, "f", TT_ES_FALSE);
	hdr_int(&h, "byte", TT_ES_BYTE, -2);
	hdr_int(&h, "short", TT_ES_SHORT, -300);
	hdr_int(&h, "int", TT_ES_INT, -70000);
	hdr_int(&h, "long", TT_ES_LONG, -5000000000LL);
	hdr_raw(&h, "bytes", TT_ES_BYTES, bytes, sizeof(bytes));
	hdr_str(&h, "string", "h\xc3\xa9llo");
	hdr_int(&h, "ts", TT_ES_TIMESTAMP, 1767225600123LL);
	hdr_raw(&h, "uuid", TT_ES_UUID, uuid, sizeof(uuid));
	frame(out, &h, "{\"x\":1}", 7);
	tt_buf_clear(&h);
}

/* --- decoding helpers ---------------------------------------------------- */

/* Feeds data in chunks of at most step bytes and collects every message as
 * one canonical line (also what the botocore script prints); returns the
 * number of messages, or -1 on a decode error (message in err). */
static int decode_all(const char *data, size_t len, size_t step, struct tt_buf *canon, struct tt_err *err);

static void canon_header(struct tt_buf *out, const struct tt_es_header *h)
{
	tt_buf_printf(out, "%s=", h->name);
	switch (h->type) {
	case TT_ES_TRUE:
	case TT_ES_FALSE:
		tt_buf_puts(out, h->num ? "true" : "false");
		break;
	case TT_ES_STRING:
		tt_buf_printf(out, "str:%s", h->data);
		break;
	case TT_ES_BYTES:
	case TT_ES_UUID:
		tt_buf_puts(out, "hex:");
		for (size_t i = 0; i < h->len; i++)
			tt_buf_printf(out, "%02x", (unsigned char)h->data[i]);
		break;
	default:
		tt_buf_printf(out, "%lld", (long long)h->num);
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct tt_es_header *)a)->name, ((const struct tt_es_header *)b)->name);
}

static void canon_message(struct tt_buf *out, struct tt_es_message *m)
{
	if (m->nheaders > 1)
		qsort(m->headers, m->nheaders, sizeof(*m->headers), by_name);
	for (size_t i = 0; i < m->nheaders; i++) {
		canon_header(out, &m->headers[i]);
		tt_buf_putc(out, '|');
	}
	tt_buf_puts(out, "|");
	for (size_t i = 0; i < m->payload_len; i++)
		tt_buf_printf(out, "%02x", (unsigned char)m->payload[i]);
	tt_buf_putc(out, '\n');
}

static int decode_all(const char *data, size_t len, size_t step, struct tt_buf *canon, struct tt_err *err)
{
	struct tt_es_decoder *d = tt_es_decoder_new();
	struct tt_es_message m;
	int n = 0, rc = 0;

	for (size_t off = 0; off < len && rc >= 0; off += step) {
		tt_es_decoder_feed(d, data + off, len - off < step ? len - off : step);
		while ((rc = tt_es_decoder_next(d, &m, err)) == 1) {
			if (canon)
				canon_message(canon, &m);
			tt_es_message_clear(&m);
			n++;
		}
	}
	if (rc >= 0 && tt_es_decoder_pending(d))
		rc = tt_err_set(err, TT_ERR_AWS, "%zu bytes left over", tt_es_decoder_pending(d));
	tt_es_decoder_free(&d);
	return rc < 0 ? -1 : n;
}

/* --- the tests ----------------------------------------------------------- */

static void test_all_types(void)
{
	struct tt_buf s;
	struct tt_es_decoder *d = tt_es_decoder_new();
	struct tt_es_message m;
	struct tt_err err;
	const struct tt_es_header *h;

	tt_buf_init(&s, 0);
	all_types_frame(&s);
	tt_es_decoder_feed(d, s.data, s.len);
	tap_ok(tt_es_decoder_next(d, &m, &err) == 1, "a frame with every header type decodes");
	tap_ok(m.nheaders == 10, "ten headers");
	h = tt_es_message_header(&m, "t");
	tap_ok(h && h->type == TT_ES_TRUE && h->num == 1, "bool true");
	h = tt_es_message_header(&m, "f");
	tap_ok(h && h->type == TT_ES_FALSE && h->num == 0, "bool false");
	h = tt_es_message_header(&m, "byte");
	tap_ok(h && h->num == -2, "byte is signed");
	h = tt_es_message_header(&m, "short");
	tap_ok(h && h->num == -300, "short is signed");
	h = tt_es_message_header(&m, "int");
	tap_ok(h && h->num == -70000, "int is signed");
	h = tt_es_message_header(&m, "long");
	tap_ok(h && h->num == -5000000000LL, "long is signed 64-bit");
	h = tt_es_message_header(&m, "bytes");
	tap_ok(h && h->len == 3 && memcmp(h->data, "a\0\xfe", 3) == 0, "bytes keep NULs and high bytes");
	tap_str_eq(tt_es_message_string(&m, "string"), "h\xc3\xa9llo", "string header");
	tap_ok(tt_es_message_string(&m, "bytes") == NULL, "a BYTES header is not a string");
	h = tt_es_message_header(&m, "ts");
	tap_ok(h && h->type == TT_ES_TIMESTAMP && h->num == 1767225600123LL, "timestamp in ms");
	h = tt_es_message_header(&m, "uuid");
	tap_ok(h && h->len == 16 && (unsigned char)h->data[15] == 0xff, "uuid is 16 bytes");
	tap_ok(m.payload_len == 7 && strcmp(m.payload, "{\"x\":1}") == 0, "payload");
	tt_es_message_clear(&m);
	tap_ok(tt_es_decoder_next(d, &m, &err) == 0 && tt_es_decoder_pending(d) == 0, "buffer drained");
	tt_es_decoder_free(&d);
	tt_buf_clear(&s);
}

static void live_tail_stream(struct tt_buf *s)
{
	struct tt_buf h;

	event_frame(s, "initial-response", "{}");
	event_frame(s, "sessionStart", "{\"requestId\":\"r1\",\"sessionId\":\"s1\"}");
	event_frame(s, "sessionUpdate",
	            "{\"sessionMetadata\":{\"sampled\":false},\"sessionResults\":[{\"logStreamName\":\"a\","
	            "\"message\":\"hi\\n\",\"timestamp\":1767225600123,\"ingestionTime\":1767225600456}]}");
	tt_buf_init(&h, 0);
	frame(s, &h, "", 0); /* the smallest frame: no headers, no payload */
	hdr_str(&h, ":message-type", "exception");
	hdr_str(&h, ":exception-type", "SessionTimeoutException");
	frame(s, &h, "{\"message\":\"3 h\"}", 17);
	tt_buf_clear(&h);
}

static void test_splits(void)
{
	struct tt_buf s, want, got;
	struct tt_err err;
	bool all_same = true;
	int n;

	tt_buf_init(&s, 0);
	tt_buf_init(&want, 0);
	live_tail_stream(&s);
	all_types_frame(&s);
	n = decode_all(s.data, s.len, s.len, &want, &err);
	tap_ok(n == 6, "six frames in one chunk give six messages (%d)", n);
	for (size_t step = 1; step <= 16; step++) {
		tt_buf_init(&got, 0);
		if (decode_all(s.data, s.len, step, &got, &err) != 6 || strcmp(got.data, want.data) != 0)
			all_same = false;
		tt_buf_clear(&got);
	}
	tap_ok(all_same, "chunks of 1..16 bytes decode the same");
	all_same = true;
	for (size_t cut = 1; cut < s.len; cut++) {
		struct tt_es_decoder *d = tt_es_decoder_new();
		struct tt_es_message m;
		int count = 0, rc;

		tt_buf_init(&got, 0);
		tt_es_decoder_feed(d, s.data, cut);
		while ((rc = tt_es_decoder_next(d, &m, &err)) == 1) {
			canon_message(&got, &m);
			tt_es_message_clear(&m);
			count++;
		}
		tt_es_decoder_feed(d, s.data + cut, s.len - cut);
		while (rc >= 0 && (rc = tt_es_decoder_next(d, &m, &err)) == 1) {
			canon_message(&got, &m);
			tt_es_message_clear(&m);
			count++;
		}
		if (rc < 0 || count != 6 || strcmp(got.data, want.data) != 0 || tt_es_decoder_pending(d))
			all_same = false;
		tt_buf_clear(&got);
		tt_es_decoder_free(&d);
	}
	tap_ok(all_same, "split into two at every one of %zu byte positions: same messages", s.len);
	tt_buf_clear(&s);
	tt_buf_clear(&want);
}

static void test_partial(void)
{
	struct tt_buf s;
	struct tt_es_decoder *d = tt_es_decoder_new();
	struct tt_es_message m;
	struct tt_err err;

	tt_buf_init(&s, 0);
	event_frame(&s, "sessionStart", "{}");
	tt_es_decoder_feed(d, s.data, s.len - 1);
	tap_ok(tt_es_decoder_next(d, &m, &err) == 0, "one byte short: no message yet");
	tap_ok(tt_es_decoder_pending(d) == s.len - 1, "pending reports the partial frame");
	tt_es_decoder_free(&d);
	tt_buf_clear(&s);
}

/* Decodes s and expects an error whose message holds want. */
static void expect_error(const struct tt_buf *s, size_t step, const char *want, const char *what)
{
	struct tt_err err;

	tt_err_clear(&err);
	if (!tap_ok(decode_all(s->data, s->len, step, NULL, &err) < 0 && strstr(err.message, want), "%s",
	            what))
		printf("# want \"%s\", got \"%s\"\n", want, err.message);
}

static void test_corruption(void)
{
	struct tt_buf s;
	struct tt_es_decoder *d;
	struct tt_es_message m;
	struct tt_err err;
	size_t second;

	tt_buf_init(&s, 0);
	event_frame(&s, "sessionStart", "{}");
	second = s.len;
	event_frame(&s, "sessionUpdate", "{\"sessionResults\":[]}");
	s.data[s.len - 6] ^= 0x01; /* a payload bit of the second frame */
	expect_error(&s, s.len, "message CRC mismatch", "flipped payload bit: message CRC mismatch");
	expect_error(&s, 7, "message CRC mismatch", "same in 7-byte chunks");
	expect_error(&s, s.len, "at byte ", "the error gives the stream offset");
	{
		char where[32];
		snprintf(where, sizeof(where), "at byte %zu:", second);
		expect_error(&s, 3, where, "the offset is the bad frame's");
	}

	tt_buf_reset(&s);
	event_frame(&s, "sessionStart", "{}");
	s.data[10] ^= 0x80; /* the prelude CRC itself */
	expect_error(&s, s.len, "prelude CRC mismatch", "bad prelude CRC");
	tt_buf_reset(&s);
	event_frame(&s, "sessionStart", "{}");
	s.data[3] ^= 0x04; /* total length: the prelude CRC catches it */
	expect_error(&s, s.len, "prelude CRC mismatch", "length bit flip caught by the prelude CRC");

	/* Sticky: nothing after a bad frame comes out, even good frames. */
	tt_buf_reset(&s);
	event_frame(&s, "a", "{}");
	s.data[s.len - 1] ^= 1;
	event_frame(&s, "b", "{}");
	d = tt_es_decoder_new();
	tt_es_decoder_feed(d, s.data, s.len);
	tap_ok(tt_es_decoder_next(d, &m, &err) == -1, "bad message CRC fails");
	tt_es_decoder_feed(d, s.data, s.len);
	tap_ok(tt_es_decoder_next(d, &m, &err) == -1 && strstr(err.message, "message CRC"),
	       "and keeps failing with the same error");
	tt_es_decoder_free(&d);
	tt_buf_clear(&s);
}

/* A prelude with a correct CRC but the given lengths (and nothing else). */
static void prelude_only(struct tt_buf *s, uint32_t total, uint32_t hlen)
{
	tt_buf_reset(s);
	put_be(s, total, 4);
	put_be(s, hlen, 4);
	put_be(s, crc(s->data, 8), 4);
}

static void test_limits(void)
{
	struct tt_buf s, h;

	tt_buf_init(&s, 0);
	prelude_only(&s, 0xFFFFFFFFu, 0);
	expect_error(&s, s.len, "total length 4294967295 is outside",
	             "4 GiB total refused from the prelude alone");
	prelude_only(&s, 15, 0);
	expect_error(&s, s.len, "total length 15 is outside", "total below 16 refused");
	prelude_only(&s, 100, 85);
	expect_error(&s, s.len, "headers length 85 does not fit", "headers longer than the message refused");
	prelude_only(&s, 16 + 200000, 200000);
	expect_error(&s, s.len, "headers length 200000 is over the 131072-byte limit",
	             "headers over 128 KiB");
	prelude_only(&s, 16 + TT_ES_MAX_PAYLOAD_LEN + 1, 0);
	expect_error(&s, s.len, "payload length 25165825 is over", "payload over 24 MiB");
	prelude_only(&s, TT_ES_MAX_TOTAL_LEN + 1, TT_ES_MAX_HEADERS_LEN);
	expect_error(&s, s.len, "outside", "total over the sum of the limits");

	/* Exactly at the limit is fine (a large but legal payload). */
	{
		size_t plen = 1u << 20;
		char *big = tt_xmalloc(plen);
		struct tt_err err;

		memset(big, 'x', plen);
		tt_buf_init(&h, 0);
		tt_buf_reset(&s);
		frame(&s, &h, big, plen);
		tap_ok(decode_all(s.data, s.len, 65536, NULL, &err) == 1, "a 1 MiB payload in 64 KiB chunks");
		free(big);
		tt_buf_clear(&h);
	}

	/* Malformed header blocks, with correct CRCs. */
	tt_buf_init(&h, 0);
	hdr_str(&h, ":message-type", "event");
	h.len -= 2; /* the value runs past the block */
	tt_buf_reset(&s);
	frame(&s, &h, "", 0);
	expect_error(&s, s.len, "runs past the end", "header value longer than the header block");
	tt_buf_reset(&h);
	hdr_start(&h, "x", (enum tt_es_type)10);
	tt_buf_reset(&s);
	frame(&s, &h, "", 0);
	expect_error(&s, s.len, "unknown value type 10", "unknown header type");
	tt_buf_reset(&h);
	hdr_str(&h, "dup", "a");
	hdr_int(&h, "dup", TT_ES_INT, 1);
	tt_buf_reset(&s);
	frame(&s, &h, "", 0);
	expect_error(&s, s.len, "duplicate header \"dup\"", "duplicate header names");
	tt_buf_reset(&h);
	put_be(&h, 5, 1);
	tt_buf_puts(&h, "ab");
	tt_buf_reset(&s);
	frame(&s, &h, "", 0);
	expect_error(&s, s.len, "runs past the end", "header name longer than the block");
	tt_buf_clear(&h);
	tt_buf_clear(&s);
}

/* Many tiny headers: the duplicate check must stay fast. */
static void test_many_headers(void)
{
	struct tt_buf h, s;
	struct tt_err err;
	char name[16];

	tt_buf_init(&h, 0);
	tt_buf_init(&s, 0);
	for (int i = 0; h.len + 8 < TT_ES_MAX_HEADERS_LEN; i++) {
		snprintf(name, sizeof(name), "%05x", i);
		hdr_start(&h, name, TT_ES_TRUE);
	}
	frame(&s, &h, "", 0);
	tap_ok(decode_all(s.data, s.len, s.len, NULL, &err) == 1, "%zu bytes of distinct headers decode",
	       h.len);
	tt_buf_clear(&h);
	tt_buf_clear(&s);
}

/* --- botocore ------------------------------------------------------------ */

static const char botocore_script[] =
    "import sys\n"
    "from botocore.eventstream import EventStreamBuffer\n"
    "def canon(v):\n"
    "    if isinstance(v, bool): return 'true' if v else 'false'\n"
    "    if isinstance(v, int): return str(v)\n"
    "    if isinstance(v, str): return 'str:' + v\n"
    "    return 'hex:' + bytes(v).hex()\n"
    "buf = EventStreamBuffer()\n"
    "buf.add_data(open(sys.argv[1], 'rb').read())\n"
    "out = []\n"
    "try:\n"
    "    for m in buf:\n"
    "        hs = ''.join('%s=%s|' % (k, canon(m.headers[k])) for k in sorted(m.headers))\n"
    "        out.append(hs + '|' + m.payload.hex() + '\\n')\n"
    "except Exception as e:\n"
    "    out.append('ERR ' + type(e).__name__ + '\\n')\n"
    "sys.stdout.buffer.write(''.join(out).encode('utf-8'))\n";

/* Runs botocore over the bytes; returns its output (caller frees) or NULL. */
static char *botocore_decode(const struct tt_buf *s, const char *dir)
{
	char path[512], script[512], cmd[1100];
	FILE *f, *p;
	struct tt_buf out;
	char chunk[4096];
	size_t n;

	snprintf(path, sizeof(path), "%s/frames.bin", dir);
	snprintf(script, sizeof(script), "%s/decode.py", dir);
	if (tu_write_file(script, botocore_script) || !(f = fopen(path, "wb")))
		return NULL;
	fwrite(s->data, 1, s->len, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 '%s' '%s'", script, path);
	if (!(p = popen(cmd, "r")))
		return NULL;
	tt_buf_init(&out, 0);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		tt_buf_append(&out, chunk, n);
	if (pclose(p) != 0) {
		tt_buf_clear(&out);
		return NULL;
	}
	return tt_buf_steal(&out);
}

static void test_botocore(void)
{
	struct tt_buf s, mine;
	struct tt_err err;
	char *dir, *theirs;

	if (system("/usr/bin/python3 -c 'import botocore.eventstream' 2>/dev/null") != 0) {
		tap_skip("botocore is not installed (Debian python3-botocore)");
		tap_skip("botocore is not installed");
		tap_skip("botocore is not installed");
		return;
	}
	dir = tu_mkdtemp();
	tt_buf_init(&s, 0);
	tt_buf_init(&mine, 0);
	live_tail_stream(&s);
	all_types_frame(&s);
	decode_all(s.data, s.len, 5, &mine, &err);
	theirs = botocore_decode(&s, dir);
	if (!tap_str_eq(mine.data, theirs,
	                "botocore decodes our hand-built frames to the same headers and payloads"))
		printf("# (see the lines above)\n");
	free(theirs);

	s.data[s.len - 30] ^= 0x10;
	theirs = botocore_decode(&s, dir);
	tap_ok(theirs && strstr(theirs, "ERR ChecksumMismatch") &&
	           decode_all(s.data, s.len, 5, NULL, &err) < 0,
	       "botocore and we both reject a corrupted frame");
	free(theirs);

	prelude_only(&s, 16 + 200000, 200000);
	theirs = botocore_decode(&s, dir);
	tap_ok(theirs && strstr(theirs, "ERR InvalidHeadersLength") &&
	           decode_all(s.data, s.len, 5, NULL, &err) < 0,
	       "botocore and we both refuse headers over 128 KiB");
	free(theirs);
	tt_buf_clear(&s);
	tt_buf_clear(&mine);
	{
		char cmd[600];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
	}
	free(dir);
}

int main(void)
{
	test_all_types();
	test_splits();
	test_partial();
	test_corruption();
	test_limits();
	test_many_headers();
	test_botocore();
	return tap_done();
}
