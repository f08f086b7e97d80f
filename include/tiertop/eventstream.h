/* application/vnd.amazon.eventstream: the binary framing of AWS streaming
 * answers (Live Tail). An incremental decoder: feed it whatever the network
 * delivered, in chunks split anywhere, and take complete messages out.
 *
 *   total_len u32 | headers_len u32 | prelude_crc u32 | headers | payload | message_crc u32
 *
 * All integers big-endian; both CRCs are zlib's crc32, the prelude CRC over
 * the first 8 bytes, the message CRC over everything before it.
 *
 * Ownership: tt_es_decoder_new returns a decoder the caller frees with
 * tt_es_decoder_free. A message filled by tt_es_decoder_next belongs to the
 * caller until tt_es_message_clear. Header lookups return borrowed pointers
 * into the message.
 *
 * Errors: a corrupt or oversized frame is TT_ERR_AWS with a message that
 * says what was wrong and at which stream offset. The decoder then stays
 * failed: once the framing is lost nothing after it can be trusted. */
#ifndef TIERTOP_EVENTSTREAM_H
#define TIERTOP_EVENTSTREAM_H

#include <stddef.h>
#include <stdint.h>

struct tt_err;

/* botocore's limits (eventstream.py); the total adds prelude and CRCs. */
#define TT_ES_MAX_HEADERS_LEN (128u * 1024u)
#define TT_ES_MAX_PAYLOAD_LEN (24u * 1024u * 1024u)
#define TT_ES_PRELUDE_LEN     12u
#define TT_ES_MIN_TOTAL_LEN   16u
#define TT_ES_MAX_TOTAL_LEN   (TT_ES_MIN_TOTAL_LEN + TT_ES_MAX_HEADERS_LEN + TT_ES_MAX_PAYLOAD_LEN)

/* The wire codes of header value types. */
enum tt_es_type {
	TT_ES_TRUE = 0,
	TT_ES_FALSE = 1,
	TT_ES_BYTE = 2,
	TT_ES_SHORT = 3,
	TT_ES_INT = 4,
	TT_ES_LONG = 5,
	TT_ES_BYTES = 6,
	TT_ES_STRING = 7,
	TT_ES_TIMESTAMP = 8,
	TT_ES_UUID = 9,
};

struct tt_es_header {
	char *name; /* NUL-terminated */
	enum tt_es_type type;
	int64_t num; /* TRUE/FALSE as 1/0, the integers, TIMESTAMP in ms */
	char *data;  /* BYTES, STRING (NUL-terminated; may hold NULs, see len), UUID (16 bytes) */
	size_t len;
};

struct tt_es_message {
	struct tt_es_header *headers;
	size_t nheaders;
	char *payload; /* NUL-terminated for convenience; payload_len counts the bytes */
	size_t payload_len;
};

const struct tt_es_header *tt_es_message_header(const struct tt_es_message *m, const char *name);
/* The value of a STRING header, or NULL when absent or of another type. */
const char *tt_es_message_string(const struct tt_es_message *m, const char *name);
void tt_es_message_clear(struct tt_es_message *m);

struct tt_es_decoder;

struct tt_es_decoder *tt_es_decoder_new(void);
void tt_es_decoder_free(struct tt_es_decoder **d);
/* Buffers a chunk. Call tt_es_decoder_next until it returns 0 after each
 * feed, or the buffer keeps growing. */
void tt_es_decoder_feed(struct tt_es_decoder *d, const void *data, size_t len);
/* 1: *out holds the next message; 0: more bytes are needed; -1: the stream
 * is corrupt (err filled, and every later call fails the same way). */
int tt_es_decoder_next(struct tt_es_decoder *d, struct tt_es_message *out, struct tt_err *err);
/* Bytes buffered that are not yet a whole message: non-zero when a stream
 * ends here, it ended in the middle of a frame. */
size_t tt_es_decoder_pending(const struct tt_es_decoder *d);

#endif
