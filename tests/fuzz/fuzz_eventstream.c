/* The eventstream decoder on arbitrary bytes. Property: how the bytes are
 * cut into chunks changes nothing; the same messages (count and payload
 * sizes) come out and the stream ends in the same state. The first input
 * byte chooses the chunk size. */
#include "fuzz.h"

#include "tiertop/err.h"
#include "tiertop/eventstream.h"

struct outcome {
	size_t messages;
	size_t payload_bytes;
	size_t headers;
	int last;      /* 0: wants more bytes, -1: corrupt */
	size_t pending;
};

static void look_at(const struct tt_es_message *m)
{
	for (size_t i = 0; i < m->nheaders; i++) {
		const struct tt_es_header *h = &m->headers[i];
		if (tt_es_message_header(m, h->name) == NULL)
			fuzz_fail("header %zu cannot be found by its own name", i);
		if ((h->type == TT_ES_STRING || h->type == TT_ES_BYTES) && h->data[h->len] != '\0')
			fuzz_fail("string header not NUL-terminated");
	}
	(void)tt_es_message_string(m, ":event-type");
	if (m->payload[m->payload_len] != '\0')
		fuzz_fail("payload not NUL-terminated");
}

/* Takes every message out; returns the last status. */
static int drain(struct tt_es_decoder *d, struct outcome *o)
{
	struct tt_es_message m;
	struct tt_err err;
	int rc;

	while ((rc = tt_es_decoder_next(d, &m, &err)) == 1) {
		o->messages++;
		o->payload_bytes += m.payload_len;
		o->headers += m.nheaders;
		look_at(&m);
		tt_es_message_clear(&m);
	}
	if (rc == -1) {
		struct tt_err again;
		if (tt_es_decoder_next(d, &m, &again) != -1)
			fuzz_fail("a failed decoder recovered");
		if (strcmp(again.message, err.message) != 0)
			fuzz_fail("a failed decoder changed its error");
	}
	return rc;
}

static void decode(const uint8_t *data, size_t size, size_t chunk, struct outcome *o)
{
	struct tt_es_decoder *d = tt_es_decoder_new();
	size_t off = 0;

	memset(o, 0, sizeof(*o));
	o->last = 0;
	while (off < size && o->last == 0) {
		size_t n = size - off < chunk ? size - off : chunk;
		tt_es_decoder_feed(d, data + off, n);
		off += n;
		o->last = drain(d, o);
	}
	o->pending = o->last == 0 ? tt_es_decoder_pending(d) : 0;
	tt_es_decoder_free(&d);
	if (d)
		fuzz_fail("tt_es_decoder_free left the pointer set");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct outcome whole, cut;
	size_t chunk;

	if (size == 0)
		return 0;
	chunk = 1 + data[0] % 64;
	data++;
	size--;
	decode(data, size, size ? size : 1, &whole);
	decode(data, size, chunk, &cut);
	if (whole.messages != cut.messages || whole.payload_bytes != cut.payload_bytes ||
	    whole.headers != cut.headers || whole.last != cut.last || whole.pending != cut.pending)
		fuzz_fail("chunks of %zu: %zu messages, status %d, %zu pending; whole: %zu, %d, %zu", chunk,
			  cut.messages, cut.last, cut.pending, whole.messages, whole.last, whole.pending);
	return 0;
}
