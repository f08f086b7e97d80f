/* The logs view's scrollback: a bounded ring of log lines, with what the
 * view needs to know about each (ERROR/WARN, the Lambda request id), local
 * search and a local filter. Pure data: no terminal, no clock.
 *
 * Lines are numbered by a sequence number that never changes (the first line
 * ever added is 0), so a position held by the view stays valid while older
 * lines are dropped; tt_logbuf_first() says where the ring begins now.
 * Memory is bounded twice: by a line count and by the bytes the lines take
 * (message, stream names and bookkeeping), the oldest going first either way.
 * A stream name is held once however many lines name it.
 *
 * "Shown" lines are the ones the local filter lets through (every line when
 * there is none), indexed 0 (the oldest shown) to tt_logbuf_shown_count()-1.
 *
 * Ownership: tt_logbuf_new returns an owned buffer (tt_logbuf_free). Lines
 * returned by tt_logbuf_get are borrowed until the next add, clear or free.
 * Strings passed in are copied. */
#ifndef TIERTOP_LOGBUF_H
#define TIERTOP_LOGBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TT_LOGBUF_DEFAULT_LINES 100000
#define TT_LOGBUF_DEFAULT_BYTES (64u * 1024 * 1024)

enum tt_log_level {
	TT_LOG_OTHER = 0,
	TT_LOG_WARN,
	TT_LOG_ERROR,
};

struct tt_logline {
	uint64_t seq;
	int64_t timestamp_ms;
	int64_t ingestion_ms;
	const char *message; /* NUL-terminated, but may hold NULs: use message_len */
	const char *stream;   /* held once per name by the buffer, shared by its lines */
	uint32_t message_len;
	uint32_t stream_id;   /* the buffer's own bookkeeping */
	uint32_t group;       /* index into the caller's group list */
	uint16_t rid_off;     /* the request id is message[rid_off .. rid_off+rid_len) */
	uint8_t rid_len;      /* 0: none */
	uint8_t level;        /* enum tt_log_level */
};

struct tt_logbuf;

/* max_lines 0 = TT_LOGBUF_DEFAULT_LINES, max_bytes 0 = TT_LOGBUF_DEFAULT_BYTES. */
struct tt_logbuf *tt_logbuf_new(size_t max_lines, size_t max_bytes);
void tt_logbuf_free(struct tt_logbuf **b);

/* Copies a line in, dropping the oldest ones when a bound is reached.
 * Returns its sequence number. */
uint64_t tt_logbuf_add(struct tt_logbuf *b, uint32_t group, const char *stream, int64_t timestamp_ms,
		       int64_t ingestion_ms, const char *message, size_t message_len);
/* Drops every line (a restarted tail). Sequence numbers go on increasing;
 * the dropped count is not changed (it counts what the bounds pushed out). */
void tt_logbuf_clear(struct tt_logbuf *b);

uint64_t tt_logbuf_first(const struct tt_logbuf *b); /* seq of the oldest line held */
uint64_t tt_logbuf_end(const struct tt_logbuf *b);   /* seq the next line will get */
size_t tt_logbuf_count(const struct tt_logbuf *b);
uint64_t tt_logbuf_dropped(const struct tt_logbuf *b); /* lines the bounds pushed out */
size_t tt_logbuf_bytes(const struct tt_logbuf *b);     /* what the lines take, bookkeeping included */
/* NULL when seq is not held (dropped, cleared, or not yet added). */
const struct tt_logline *tt_logbuf_get(const struct tt_logbuf *b, uint64_t seq);

/* --- local filter ---------------------------------------------------------------- */

/* Shows only the lines containing text (case-insensitively when icase; NULL
 * or "" = any) and, when request_id is not NULL or "", only that request's
 * lines. Both NULL: every line. Kept up to date as lines are added. */
void tt_logbuf_set_filter(struct tt_logbuf *b, const char *text, bool icase, const char *request_id);
const char *tt_logbuf_filter_text(const struct tt_logbuf *b);       /* NULL when none */
const char *tt_logbuf_filter_request_id(const struct tt_logbuf *b); /* NULL when none */
size_t tt_logbuf_shown_count(const struct tt_logbuf *b);
/* The seq of shown line i (i < tt_logbuf_shown_count). */
uint64_t tt_logbuf_shown_seq(const struct tt_logbuf *b, size_t i);
/* The index of the first shown line whose seq is >= seq (shown_count when
 * none is). */
size_t tt_logbuf_shown_index(const struct tt_logbuf *b, uint64_t seq);

/* --- search ----------------------------------------------------------------------- */

/* The next shown line after shown index `from` (dir > 0) or before it
 * (dir < 0) whose message contains needle, wrapping around the ends when
 * wrap (from itself is tried last). Returns its shown index, or -1. No
 * allocation; linear in the bytes looked at. */
long tt_logbuf_find(const struct tt_logbuf *b, size_t from, int dir, const char *needle, bool icase, bool wrap);
/* The first occurrence of needle (length nlen > 0) in hay at or after
 * offset `from`, or -1. */
long tt_logbuf_match(const char *hay, size_t len, size_t from, const char *needle, size_t nlen, bool icase);

/* --- what a line says ------------------------------------------------------------ */

enum tt_log_level tt_logbuf_level_of(const char *msg, size_t len);
/* Finds the Lambda request id in a line: START/END/REPORT RequestId: X,
 * the runtimes' "TIMESTAMP<tab>ID<tab>LEVEL<tab>..." and "TIMESTAMP ID Task
 * timed out", JSON "requestId":"X". true with *off and *len set (len <= 64). */
bool tt_logbuf_request_id_of(const char *msg, size_t len, size_t *off, size_t *rid_len);
/* The JSON object or array a line holds (the whole line, or what follows a
 * runtime's prefix), when it parses: true with its span. */
bool tt_logbuf_json_span(const char *msg, size_t len, size_t *off, size_t *json_len);

/* A Lambda REPORT line (text, or the JSON log format's platform.report). */
struct tt_lambda_report {
	char request_id[65];
	double duration_ms;
	double billed_ms;
	long memory_mb;
	long max_memory_mb;
	double init_ms;  /* > 0 on a cold start */
	bool cold_start;
	bool timeout;    /* Status: timeout */
};
/* 0 when msg is a REPORT line (out filled), else -1. */
int tt_logbuf_parse_report(const char *msg, size_t len, struct tt_lambda_report *out);

#endif
