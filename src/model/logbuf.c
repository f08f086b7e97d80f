#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiertop/logbuf.h"
#include "tiertop/xalloc.h"

/* What a line costs besides its text: the ring slot and the allocator's
 * header, so the byte bound is about real memory. */
#define LINE_OVERHEAD (sizeof(struct tt_logline) + 16)
#define RID_MAX 64

/* A stream name, held once however many lines name it (a Lambda stream
 * name is about 55 bytes, as long as a short message: issue 7 measured the
 * per-line copies), freed with the last line that uses it. */
struct stream_name {
	char *name;   /* NULL: a free slot */
	uint32_t refs;
	uint32_t hash;
};

struct tt_logbuf {
	size_t max_lines, max_bytes;
	struct tt_logline *ring;
	size_t alloc, head, count; /* head: slot of the oldest line */
	uint64_t first, next;      /* seq of the oldest line; of the next one */
	uint64_t dropped;
	size_t bytes;
	/* The local filter: the seqs it lets through, oldest first, from
	 * shown[fhead]. */
	char *ftext;
	bool ficase;
	char *frid;
	uint64_t *shown;
	size_t fhead, fn, falloc;
	/* Interned stream names: streams[] by id (free ids chained through
	 * sfree), and an open-addressing table of id + 1 (0: empty) with
	 * linear probing, so deleting needs no tombstones. */
	struct stream_name *streams;
	uint32_t nstreams, astreams, live_streams;
	uint32_t *sfree;
	uint32_t nfree;
	uint32_t *stab;
	uint32_t stab_size; /* a power of 2, or 0 */
};

struct tt_logbuf *tt_logbuf_new(size_t max_lines, size_t max_bytes)
{
	struct tt_logbuf *b = tt_xcalloc(1, sizeof(*b));

	b->max_lines = max_lines ? max_lines : TT_LOGBUF_DEFAULT_LINES;
	b->max_bytes = max_bytes ? max_bytes : TT_LOGBUF_DEFAULT_BYTES;
	return b;
}

static size_t line_cost(const struct tt_logline *l)
{
	return LINE_OVERHEAD + l->message_len + 1;
}

/* --- interned stream names --------------------------------------------------------- */

static size_t stream_cost(const char *name)
{
	return strlen(name) + 1 + 16;
}

static uint32_t hash_name(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void stab_grow(struct tt_logbuf *b)
{
	uint32_t n = b->stab_size ? b->stab_size * 2 : 64;

	free(b->stab);
	b->stab = tt_xcalloc(n, sizeof(*b->stab));
	b->stab_size = n;
	for (uint32_t id = 0; id < b->nstreams; id++) {
		uint32_t i;
		if (!b->streams[id].name)
			continue;
		for (i = b->streams[id].hash & (n - 1); b->stab[i]; i = (i + 1) & (n - 1))
			;
		b->stab[i] = id + 1;
	}
}

static uint32_t new_stream_id(struct tt_logbuf *b)
{
	if (b->nfree)
		return b->sfree[--b->nfree];
	if (b->nstreams == b->astreams) {
		b->astreams = b->astreams ? b->astreams * 2 : 16;
		b->streams = tt_xrealloc(b->streams, b->astreams * sizeof(*b->streams));
		b->sfree = tt_xrealloc(b->sfree, b->astreams * sizeof(*b->sfree));
	}
	return b->nstreams++;
}

/* The id of name, its count of lines raised by one. */
static uint32_t intern_stream(struct tt_logbuf *b, const char *name)
{
	uint32_t h = hash_name(name), i, id;

	if ((b->live_streams + 1) * 2 > b->stab_size)
		stab_grow(b);
	for (i = h & (b->stab_size - 1); b->stab[i]; i = (i + 1) & (b->stab_size - 1)) {
		struct stream_name *e = &b->streams[b->stab[i] - 1];
		if (e->hash == h && strcmp(e->name, name) == 0) {
			e->refs++;
			return b->stab[i] - 1;
		}
	}
	id = new_stream_id(b);
	b->streams[id].name = tt_xstrdup(name);
	b->streams[id].refs = 1;
	b->streams[id].hash = h;
	b->stab[i] = id + 1;
	b->live_streams++;
	b->bytes += stream_cost(name);
	return id;
}

/* Empties table slot i, moving later entries of its probe run back into
 * the hole when their home slot lies at or before it. */
static void stab_delete(struct tt_logbuf *b, uint32_t i)
{
	uint32_t mask = b->stab_size - 1, j = i;

	for (;;) {
		uint32_t home;
		j = (j + 1) & mask;
		if (!b->stab[j])
			break;
		home = b->streams[b->stab[j] - 1].hash & mask;
		/* Stays when home lies cyclically in (i, j]. */
		if (i <= j ? (home > i && home <= j) : (home > i || home <= j))
			continue;
		b->stab[i] = b->stab[j];
		i = j;
	}
	b->stab[i] = 0;
}

static void release_stream(struct tt_logbuf *b, uint32_t id)
{
	struct stream_name *e = &b->streams[id];
	uint32_t i;

	if (--e->refs)
		return;
	for (i = e->hash & (b->stab_size - 1); b->stab[i] != id + 1; i = (i + 1) & (b->stab_size - 1))
		;
	stab_delete(b, i);
	b->bytes -= stream_cost(e->name);
	free(e->name);
	e->name = NULL;
	b->sfree[b->nfree++] = id;
	b->live_streams--;
}

static struct tt_logline *slot(const struct tt_logbuf *b, size_t i)
{
	return &b->ring[(b->head + i) % b->alloc];
}

static void drop_oldest(struct tt_logbuf *b)
{
	struct tt_logline *l = slot(b, 0);

	b->bytes -= line_cost(l);
	free((void *)(uintptr_t)l->message); /* the line owns it; const for readers */
	release_stream(b, l->stream_id);
	memset(l, 0, sizeof(*l));
	b->head = (b->head + 1) % b->alloc;
	b->count--;
	b->first++;
	while (b->fhead < b->fn && b->shown[b->fhead] < b->first)
		b->fhead++;
}

void tt_logbuf_clear(struct tt_logbuf *b)
{
	while (b->count)
		drop_oldest(b);
	b->first = b->next;
	b->fhead = b->fn = 0;
}

void tt_logbuf_free(struct tt_logbuf **pb)
{
	struct tt_logbuf *b = *pb;

	if (!b)
		return;
	tt_logbuf_clear(b);
	free(b->ring);
	free(b->shown);
	free(b->streams);
	free(b->sfree);
	free(b->stab);
	free(b->ftext);
	free(b->frid);
	free(b);
	*pb = NULL;
}

static void grow_ring(struct tt_logbuf *b)
{
	size_t n = b->alloc ? b->alloc * 2 : 1024;
	struct tt_logline *r;

	if (n > b->max_lines)
		n = b->max_lines;
	r = tt_xcalloc(n, sizeof(*r));
	for (size_t i = 0; i < b->count; i++)
		r[i] = *slot(b, i);
	free(b->ring);
	b->ring = r;
	b->alloc = n;
	b->head = 0;
}

static bool passes(const struct tt_logbuf *b, const struct tt_logline *l)
{
	if (b->frid) {
		size_t n = strlen(b->frid);
		if (l->rid_len != n || memcmp(l->message + l->rid_off, b->frid, n) != 0)
			return false;
	}
	if (b->ftext && tt_logbuf_match(l->message, l->message_len, 0, b->ftext, strlen(b->ftext), b->ficase) < 0)
		return false;
	return true;
}

static void shown_push(struct tt_logbuf *b, uint64_t seq)
{
	if (b->fhead > 0 && b->fhead >= b->fn / 2) {
		memmove(b->shown, b->shown + b->fhead, (b->fn - b->fhead) * sizeof(*b->shown));
		b->fn -= b->fhead;
		b->fhead = 0;
	}
	if (b->fn == b->falloc) {
		b->falloc = b->falloc ? b->falloc * 2 : 256;
		b->shown = tt_xrealloc(b->shown, b->falloc * sizeof(*b->shown));
	}
	b->shown[b->fn++] = seq;
}

uint64_t tt_logbuf_add(struct tt_logbuf *b, uint32_t group, const char *stream, int64_t timestamp_ms,
		       int64_t ingestion_ms, const char *message, size_t message_len)
{
	struct tt_logline l;
	size_t off, rlen;
	char *mem;

	if (!stream)
		stream = "";
	if (!message)
		message_len = 0;
	if (message_len > UINT32_MAX - 1)
		message_len = UINT32_MAX - 1;
	mem = tt_xmalloc(message_len + 1);
	if (message_len)
		memcpy(mem, message, message_len);
	mem[message_len] = '\0';

	memset(&l, 0, sizeof(l));
	l.seq = b->next++;
	l.timestamp_ms = timestamp_ms;
	l.ingestion_ms = ingestion_ms;
	l.message = mem;
	l.message_len = (uint32_t)message_len;
	l.stream_id = intern_stream(b, stream);
	l.stream = b->streams[l.stream_id].name;
	l.group = group;
	l.level = (uint8_t)tt_logbuf_level_of(mem, message_len);
	if (tt_logbuf_request_id_of(mem, message_len, &off, &rlen) && off <= UINT16_MAX) {
		l.rid_off = (uint16_t)off;
		l.rid_len = (uint8_t)rlen;
	}

	/* The newest line stays even when it alone is over the byte bound. */
	while (b->count && (b->count >= b->max_lines || b->bytes + line_cost(&l) > b->max_bytes)) {
		drop_oldest(b);
		b->dropped++;
	}
	if (b->count == b->alloc)
		grow_ring(b);
	if (b->count == 0)
		b->first = l.seq;
	*slot(b, b->count) = l;
	b->count++;
	b->bytes += line_cost(&l);
	if (passes(b, &l))
		shown_push(b, l.seq);
	return l.seq;
}

uint64_t tt_logbuf_first(const struct tt_logbuf *b)
{
	return b->first;
}

uint64_t tt_logbuf_end(const struct tt_logbuf *b)
{
	return b->next;
}

size_t tt_logbuf_count(const struct tt_logbuf *b)
{
	return b->count;
}

uint64_t tt_logbuf_dropped(const struct tt_logbuf *b)
{
	return b->dropped;
}

size_t tt_logbuf_bytes(const struct tt_logbuf *b)
{
	return b->bytes + (b->alloc - b->count) * sizeof(struct tt_logline) + b->falloc * sizeof(uint64_t) +
	       b->astreams * (sizeof(*b->streams) + sizeof(*b->sfree)) + b->stab_size * sizeof(*b->stab) +
	       sizeof(*b);
}

const struct tt_logline *tt_logbuf_get(const struct tt_logbuf *b, uint64_t seq)
{
	if (seq < b->first || seq >= b->first + b->count)
		return NULL;
	return slot(b, (size_t)(seq - b->first));
}

/* --- local filter ---------------------------------------------------------------- */

static char *nonempty_dup(const char *s)
{
	return s && *s ? tt_xstrdup(s) : NULL;
}

void tt_logbuf_set_filter(struct tt_logbuf *b, const char *text, bool icase, const char *request_id)
{
	char *t = nonempty_dup(text), *r = nonempty_dup(request_id);

	free(b->ftext);
	free(b->frid);
	b->ftext = t;
	b->frid = r;
	b->ficase = icase;
	b->fhead = b->fn = 0;
	for (size_t i = 0; i < b->count; i++) {
		const struct tt_logline *l = slot(b, i);
		if (passes(b, l))
			shown_push(b, l->seq);
	}
}

const char *tt_logbuf_filter_text(const struct tt_logbuf *b)
{
	return b->ftext;
}

const char *tt_logbuf_filter_request_id(const struct tt_logbuf *b)
{
	return b->frid;
}

static bool filtered(const struct tt_logbuf *b)
{
	return b->ftext || b->frid;
}

size_t tt_logbuf_shown_count(const struct tt_logbuf *b)
{
	return filtered(b) ? b->fn - b->fhead : b->count;
}

uint64_t tt_logbuf_shown_seq(const struct tt_logbuf *b, size_t i)
{
	return filtered(b) ? b->shown[b->fhead + i] : b->first + i;
}

size_t tt_logbuf_shown_index(const struct tt_logbuf *b, uint64_t seq)
{
	size_t lo = 0, hi = tt_logbuf_shown_count(b);

	if (!filtered(b))
		return seq <= b->first ? 0 : (seq - b->first > b->count ? b->count : (size_t)(seq - b->first));
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (b->shown[b->fhead + mid] < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* --- search ----------------------------------------------------------------------- */

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

long tt_logbuf_match(const char *hay, size_t len, size_t from, const char *needle, size_t nlen, bool icase)
{
	if (nlen == 0 || from > len || len - from < nlen)
		return -1;
	if (!icase) {
		const char *p = memmem(hay + from, len - from, needle, nlen);
		return p ? (long)(p - hay) : -1;
	}
	int n0 = lower((unsigned char)needle[0]);
	for (size_t i = from; i + nlen <= len; i++) {
		size_t k;
		if (lower((unsigned char)hay[i]) != n0)
			continue;
		for (k = 1; k < nlen; k++)
			if (lower((unsigned char)hay[i + k]) != lower((unsigned char)needle[k]))
				break;
		if (k == nlen)
			return (long)i;
	}
	return -1;
}

long tt_logbuf_find(const struct tt_logbuf *b, size_t from, int dir, const char *needle, bool icase, bool wrap)
{
	size_t n = tt_logbuf_shown_count(b), nlen = needle ? strlen(needle) : 0;

	if (n == 0 || nlen == 0)
		return -1;
	if (from >= n)
		from = dir > 0 ? n - 1 : n;
	for (size_t step = 1; step <= n; step++) {
		size_t i;
		if (dir > 0) {
			if (!wrap && from + step >= n)
				break;
			i = (from + step) % n;
		} else {
			if (!wrap && step > from)
				break;
			i = (from + n - step % n) % n;
		}
		const struct tt_logline *l = tt_logbuf_get(b, tt_logbuf_shown_seq(b, i));
		if (l && tt_logbuf_match(l->message, l->message_len, 0, needle, nlen, icase) >= 0)
			return (long)i;
	}
	return -1;
}

/* --- what a line says ------------------------------------------------------------ */

static bool is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* w (upper case, as loggers write levels) as a word of its own. */
static bool has_word(const char *m, size_t len, const char *w)
{
	size_t wl = strlen(w);
	long at = 0;

	while ((at = tt_logbuf_match(m, len, (size_t)at, w, wl, false)) >= 0) {
		size_t end = (size_t)at + wl;
		if ((at == 0 || !is_word_char(m[at - 1])) && (end == len || !is_word_char(m[end])))
			return true;
		at++;
	}
	return false;
}

static size_t skip_ws(const char *m, size_t len, size_t i)
{
	while (i < len && (m[i] == ' ' || m[i] == '\t'))
		i++;
	return i;
}

/* The string value of a JSON key found by name (case-insensitive, quotes
 * included in key), without parsing the document: good enough to classify
 * a line. */
static bool json_value(const char *m, size_t len, const char *key, size_t *voff, size_t *vlen)
{
	size_t kl = strlen(key);
	long at = 0;

	while ((at = tt_logbuf_match(m, len, (size_t)at, key, kl, true)) >= 0) {
		size_t i = skip_ws(m, len, (size_t)at + kl), start;
		at++;
		if (i >= len || m[i] != ':')
			continue;
		i = skip_ws(m, len, i + 1);
		if (i >= len || m[i] != '"')
			continue;
		start = ++i;
		while (i < len && m[i] != '"' && m[i] != '\\')
			i++;
		if (i >= len || m[i] != '"')
			continue;
		*voff = start;
		*vlen = i - start;
		return true;
	}
	return false;
}

static bool value_is(const char *m, size_t off, size_t len, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == len && tt_logbuf_match(m + off, len, 0, *words, len, true) == 0)
			return true;
	return false;
}

enum tt_log_level tt_logbuf_level_of(const char *m, size_t len)
{
	static const char *const json_keys[] = {"\"level\"", "\"levelname\"", "\"severity\"", "\"log.level\"",
						NULL};
	static const char *const errors[] = {"error", "err", "fatal", "critical", "crit", "emerg", "alert", NULL};
	static const char *const warns[] = {"warn", "warning", NULL};
	size_t voff, vlen;

	for (const char *const *k = json_keys; *k; k++) {
		if (!json_value(m, len, *k, &voff, &vlen))
			continue;
		if (value_is(m, voff, vlen, errors))
			return TT_LOG_ERROR;
		if (value_is(m, voff, vlen, warns))
			return TT_LOG_WARN;
		return TT_LOG_OTHER;
	}
	if (has_word(m, len, "ERROR") || has_word(m, len, "FATAL") || has_word(m, len, "CRITICAL") ||
	    tt_logbuf_match(m, len, 0, "Task timed out", 14, false) >= 0 ||
	    tt_logbuf_match(m, len, 0, "Runtime exited with error", 25, false) >= 0)
		return TT_LOG_ERROR;
	if (has_word(m, len, "WARN") || has_word(m, len, "WARNING"))
		return TT_LOG_WARN;
	return TT_LOG_OTHER;
}

static bool is_uuid(const char *s, size_t len)
{
	if (len != 36)
		return false;
	for (size_t i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

static size_t token_end(const char *m, size_t len, size_t i)
{
	while (i < len && m[i] != ' ' && m[i] != '\t' && m[i] != '\n' && m[i] != '\r')
		i++;
	return i;
}

bool tt_logbuf_request_id_of(const char *m, size_t len, size_t *off, size_t *rid_len)
{
	static const char *const rid_keys[] = {"\"requestId\"", "\"AWSRequestId\"", "\"request_id\"", NULL};
	size_t i = skip_ws(m, len, 0), voff, vlen;
	long at;

	/* START / END / REPORT RequestId: X */
	at = tt_logbuf_match(m, len < i + 24 ? len : i + 24, i, "RequestId: ", 11, false);
	if (at >= 0) {
		size_t s = (size_t)at + 11, e = token_end(m, len, s);
		if (e > s && e - s <= RID_MAX) {
			*off = s;
			*rid_len = e - s;
			return true;
		}
	}
	/* Runtime lines: "TS\tID\tLEVEL\t...", "[LEVEL]\tTS\tID\t...", "TS ID Task timed out". */
	for (int tok = 0; tok < 3 && i < len; tok++) {
		size_t e = token_end(m, len, i);
		if (is_uuid(m + i, e - i)) {
			*off = i;
			*rid_len = e - i;
			return true;
		}
		i = skip_ws(m, len, e);
	}
	for (const char *const *k = rid_keys; *k; k++) {
		if (json_value(m, len, *k, &voff, &vlen) && vlen > 0 && vlen <= RID_MAX) {
			*off = voff;
			*rid_len = vlen;
			return true;
		}
	}
	return false;
}

static bool parses(const char *s, size_t len)
{
	json_error_t e;
	json_t *j = json_loadb(s, len, 0, &e);

	if (!j)
		return false;
	json_decref(j);
	return true;
}

bool tt_logbuf_json_span(const char *m, size_t len, size_t *off, size_t *json_len)
{
	const char *opens = "{[", *closes = "}]";

	while (len > 0 && (m[len - 1] == '\n' || m[len - 1] == '\r' || m[len - 1] == ' ' || m[len - 1] == '\t'))
		len--;
	for (int k = 0; k < 2; k++) {
		const char *o = memchr(m, opens[k], len);
		if (!o || m[len - 1] != closes[k])
			continue;
		size_t s = (size_t)(o - m);
		if (parses(m + s, len - s)) {
			*off = s;
			*json_len = len - s;
			return true;
		}
	}
	return false;
}

/* --- REPORT lines -------------------------------------------------------------- */

static double field_num(const char *f, size_t flen, const char *label)
{
	size_t ll = strlen(label);
	char tmp[32];
	size_t n;

	if (flen <= ll || memcmp(f, label, ll) != 0)
		return -1;
	n = flen - ll < sizeof(tmp) - 1 ? flen - ll : sizeof(tmp) - 1;
	memcpy(tmp, f + ll, n);
	tmp[n] = '\0';
	return strtod(tmp, NULL);
}

/* Megabytes as a long; a number out of any real range (the line is a log
 * line: anyone can write one) reads as 0 instead of overflowing. */
static long mb_of(double v)
{
	return v >= 0 && v <= 1e9 ? (long)v : 0;
}

static void report_field(const char *f, size_t flen, struct tt_lambda_report *out)
{
	double v;

	if ((v = field_num(f, flen, "Duration: ")) >= 0)
		out->duration_ms = v;
	else if ((v = field_num(f, flen, "Billed Duration: ")) >= 0)
		out->billed_ms = v;
	else if ((v = field_num(f, flen, "Memory Size: ")) >= 0)
		out->memory_mb = mb_of(v);
	else if ((v = field_num(f, flen, "Max Memory Used: ")) >= 0)
		out->max_memory_mb = mb_of(v);
	else if ((v = field_num(f, flen, "Init Duration: ")) >= 0)
		out->init_ms = v;
	else if (flen >= 8 && memcmp(f, "Status: ", 8) == 0)
		out->timeout = tt_logbuf_match(f, flen, 8, "timeout", 7, true) >= 0;
}

static double json_num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : 0;
}

static int parse_report_json(const char *m, size_t len, struct tt_lambda_report *out)
{
	json_t *root = json_loadb(m, len, 0, NULL), *rec, *metrics;
	const char *type, *rid, *status;
	int rc = -1;

	if (!root)
		return -1;
	type = json_string_value(json_object_get(root, "type"));
	rec = json_object_get(root, "record");
	rid = json_string_value(json_object_get(rec, "requestId"));
	if (type && strcmp(type, "platform.report") == 0 && rid && strlen(rid) <= RID_MAX) {
		snprintf(out->request_id, sizeof(out->request_id), "%s", rid);
		metrics = json_object_get(rec, "metrics");
		out->duration_ms = json_num(metrics, "durationMs");
		out->billed_ms = json_num(metrics, "billedDurationMs");
		out->memory_mb = mb_of(json_num(metrics, "memorySizeMB"));
		out->max_memory_mb = mb_of(json_num(metrics, "maxMemoryUsedMB"));
		out->init_ms = json_num(metrics, "initDurationMs");
		status = json_string_value(json_object_get(rec, "status"));
		out->timeout = status && strcmp(status, "timeout") == 0;
		rc = 0;
	}
	json_decref(root);
	return rc;
}

int tt_logbuf_parse_report(const char *m, size_t len, struct tt_lambda_report *out)
{
	size_t i = skip_ws(m, len, 0), e;

	memset(out, 0, sizeof(*out));
	if (i < len && m[i] == '{') {
		if (parse_report_json(m + i, len - i, out) < 0)
			return -1;
	} else {
		if (len - i < 18 || memcmp(m + i, "REPORT RequestId: ", 18) != 0)
			return -1;
		i += 18;
		e = token_end(m, len, i);
		if (e == i || e - i > RID_MAX)
			return -1;
		memcpy(out->request_id, m + i, e - i);
		out->request_id[e - i] = '\0';
		/* Fields are tab-separated ("Label: value unit"). */
		while (e < len) {
			size_t s = e + 1, f;
			for (f = s; f < len && m[f] != '\t' && m[f] != '\n'; f++)
				;
			s = skip_ws(m, f, s);
			if (f > s)
				report_field(m + s, f - s, out);
			e = f;
		}
	}
	out->cold_start = out->init_ms > 0;
	return 0;
}
