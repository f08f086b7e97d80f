/* Log lines as CloudWatch hands them over (anyone who can write to a log
 * group writes them): what a line says (REPORT, level, request id, JSON
 * span), substring search, API Gateway access-log lines and their summary,
 * and the logs view's bounded scrollback fed with the input's lines.
 *
 * The first three bytes steer (flags, where a needle is cut from the line,
 * its length); the rest is the line, and its '\n'-separated parts are the
 * lines fed to a small tt_logbuf. Properties: every offset and length a
 * reader returns lies inside the line; tt_logbuf_match and tt_logbuf_find
 * give exactly what a naive search gives; an access line's fields are
 * NUL-terminated, its figures -1 or more, its summary a NUL-terminated
 * prefix of the full one at any size; the scrollback holds [first, end)
 * with what was added, within its line bound, and shows exactly the lines
 * its filter lets through. */
#include "fuzz.h"

#include <jansson.h>
#include <stdbool.h>

#include "tiertop/access_log.h"
#include "tiertop/logbuf.h"

#define MAX_FED 64

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static bool same_at(const char *hay, size_t at, const char *needle, size_t nlen, bool icase)
{
	for (size_t k = 0; k < nlen; k++) {
		int a = (unsigned char)hay[at + k], b = (unsigned char)needle[k];
		if (icase ? lower(a) != lower(b) : a != b)
			return false;
	}
	return true;
}

/* What tt_logbuf_match must answer, the slow way. */
static long naive_match(const char *hay, size_t len, size_t from, const char *needle, size_t nlen, bool icase)
{
	if (nlen == 0)
		return -1;
	for (size_t i = from; i + nlen <= len; i++)
		if (same_at(hay, i, needle, nlen, icase))
			return (long)i;
	return -1;
}

/* A copy of exactly n bytes, so that ASan sees any read past the end. */
static char *exact_copy(const char *s, size_t n)
{
	char *c = malloc(n ? n : 1);

	if (!c)
		abort();
	if (n)
		memcpy(c, s, n);
	return c;
}

static void check_match(const char *line, size_t len, unsigned flags, size_t at, size_t nlen)
{
	bool icase = flags & 1;
	size_t back = (flags >> 1) & 7, from;
	char *needle;
	long got, want;

	if (at > len)
		at = len;
	if (nlen > len - at)
		nlen = len - at;
	from = flags & 0x10 ? at + 1 : (at > back ? at - back : 0);
	needle = exact_copy(line + at, nlen);
	got = tt_logbuf_match(line, len, from, needle, nlen, icase);
	want = from > len ? -1 : naive_match(line, len, from, needle, nlen, icase);
	if (got != want)
		fuzz_fail("tt_logbuf_match(from %zu, needle at %zu len %zu, icase %d) = %ld, a naive search says %ld",
			  from, at, nlen, icase, got, want);
	if (nlen > 0 && from <= at && (got < 0 || (size_t)got > at))
		fuzz_fail("tt_logbuf_match missed the needle cut at %zu (got %ld)", at, got);
	free(needle);
}

static void check_line(const char *line, size_t len)
{
	struct tt_lambda_report rep;
	size_t off, n;
	enum tt_log_level level = tt_logbuf_level_of(line, len);

	if (level != TT_LOG_OTHER && level != TT_LOG_WARN && level != TT_LOG_ERROR)
		fuzz_fail("tt_logbuf_level_of returned %d", (int)level);

	if (tt_logbuf_request_id_of(line, len, &off, &n)) {
		if (off > len || n > len - off)
			fuzz_fail("request id at %zu, %zu bytes, outside a %zu-byte line", off, n, len);
		if (n == 0 || n > 64)
			fuzz_fail("request id of %zu bytes (1 to 64 expected)", n);
	}

	if (tt_logbuf_json_span(line, len, &off, &n)) {
		json_t *j;
		if (off > len || n > len - off)
			fuzz_fail("JSON span at %zu, %zu bytes, outside a %zu-byte line", off, n, len);
		if (n < 2 || (line[off] != '{' && line[off] != '['))
			fuzz_fail("JSON span at %zu, %zu bytes, is not an object or array", off, n);
		for (size_t i = off + n; i < len; i++)
			if (!strchr(" \t\r\n", line[i]) || !line[i])
				fuzz_fail("JSON span ends at %zu, before byte 0x%02x", off + n, (unsigned char)line[i]);
		j = json_loadb(line + off, n, 0, NULL);
		if (!j)
			fuzz_fail("the JSON span at %zu, %zu bytes, does not parse", off, n);
		json_decref(j);
	}

	memset(&rep, 0x5a, sizeof(rep));
	if (tt_logbuf_parse_report(line, len, &rep) == 0) {
		size_t i = 0;
		if (!memchr(rep.request_id, '\0', sizeof(rep.request_id)))
			fuzz_fail("REPORT request id not NUL-terminated");
		if (rep.cold_start != (rep.init_ms > 0))
			fuzz_fail("cold_start %d with init %g ms", rep.cold_start, rep.init_ms);
		if (rep.memory_mb < 0 || rep.max_memory_mb < 0)
			fuzz_fail("REPORT memory %ld MB, max %ld MB", rep.memory_mb, rep.max_memory_mb);
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i < len && line[i] != '{') {
			/* The token after the label (a NUL in it ends the C string). */
			size_t idl = strlen(rep.request_id);
			if (len - i < 18 + idl || memcmp(line + i, "REPORT RequestId: ", 18) != 0 ||
			    memcmp(line + i + 18, rep.request_id, idl) != 0)
				fuzz_fail("REPORT request id \"%s\" is not the line's", rep.request_id);
		} else if (i == len) {
			fuzz_fail("a blank line read as a REPORT");
		}
	}
}

static void check_fields_terminated(const struct tt_access_line *l)
{
	if (!memchr(l->request_id, '\0', sizeof(l->request_id)) ||
	    !memchr(l->lambda_request_id, '\0', sizeof(l->lambda_request_id)) ||
	    !memchr(l->method, '\0', sizeof(l->method)) || !memchr(l->path, '\0', sizeof(l->path)))
		fuzz_fail("an access line field is not NUL-terminated");
}

/* Returns 0 and fills l when the line is an access line. */
static int check_access(const char *line, size_t len, unsigned flags, struct tt_access_line *l)
{
	char full[512], *small;
	size_t size = 1 + (flags >> 2) % 64, fl, sl, i = 0;
	int64_t ts = (int64_t)flags * 1000003 - 7;
	int rc = tt_access_log_parse(line, len, ts, l);

	check_fields_terminated(l);
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (rc == 0) {
		if (i == len || line[i] != '{')
			fuzz_fail("an access line that is not a JSON object was accepted");
		if (l->status < 0 && !l->lambda_request_id[0])
			fuzz_fail("an access line with neither a status nor an integration request id was accepted");
		if (l->timestamp_ms != ts)
			fuzz_fail("access line timestamp %lld, given %lld", (long long)l->timestamp_ms, (long long)ts);
	}
	if (l->status < -1 || l->latency_ms < -1 || l->integration_latency_ms < -1)
		fuzz_fail("access line status %d, latency %ld, integration latency %ld (-1 means absent)", l->status,
			  l->latency_ms, l->integration_latency_ms);

	memset(full, 'x', sizeof(full));
	tt_access_log_summary(l, full, sizeof(full));
	if (!memchr(full, '\0', sizeof(full)))
		fuzz_fail("summary not NUL-terminated in %zu bytes", sizeof(full));
	fl = strlen(full);
	if (fl == sizeof(full) - 1)
		fuzz_fail("summary filled all of 512 bytes: fixed-size fields cannot make that much");
	if (strncmp(full, l->method[0] ? l->method : "-", strlen(l->method[0] ? l->method : "-")) != 0)
		fuzz_fail("summary \"%s\" does not start with the method", full);
	small = malloc(size);
	if (!small)
		abort();
	memset(small, 'x', size);
	tt_access_log_summary(l, small, size);
	if (!memchr(small, '\0', size))
		fuzz_fail("summary not NUL-terminated in %zu bytes", size);
	sl = strlen(small);
	if (sl != (fl < size - 1 ? fl : size - 1) || memcmp(small, full, sl) != 0)
		fuzz_fail("summary in %zu bytes \"%s\" is not a prefix of \"%s\"", size, small, full);
	free(small);
	return rc;
}

/* --- the scrollback ------------------------------------------------------------------ */

struct fed {
	const char *msg;
	size_t len;
	char stream[16];
	uint32_t group;
	int64_t ts;
};

struct model {
	struct fed lines[MAX_FED];
	size_t added, cleared;
	size_t max_lines;
	const char *ftext; /* as set; NULL or "" means none */
	bool ficase;
	char frid[65];
};

static bool rid_of(const char *msg, size_t len, size_t *off, size_t *n)
{
	return tt_logbuf_request_id_of(msg, len, off, n) && *off <= UINT16_MAX;
}

static bool model_passes(const struct model *m, const struct fed *f)
{
	size_t off, n;

	if (m->frid[0]) {
		if (!rid_of(f->msg, f->len, &off, &n) || n != strlen(m->frid) || memcmp(f->msg + off, m->frid, n) != 0)
			return false;
	}
	if (m->ftext && *m->ftext && naive_match(f->msg, f->len, 0, m->ftext, strlen(m->ftext), m->ficase) < 0)
		return false;
	return true;
}

/* The reference for tt_logbuf_find when from < n, as the header words it. */
static long model_find(const struct tt_logbuf *b, size_t from, int dir, const char *needle, bool icase, bool wrap)
{
	size_t n = tt_logbuf_shown_count(b), nlen = strlen(needle);

	if (nlen == 0)
		return -1;
	for (size_t step = 1; step <= n; step++) {
		long i = dir > 0 ? (long)from + (long)step : (long)from - (long)step;
		const struct tt_logline *l;
		if (!wrap && (i < 0 || i >= (long)n))
			return -1;
		i = ((i % (long)n) + (long)n) % (long)n;
		l = tt_logbuf_get(b, tt_logbuf_shown_seq(b, (size_t)i));
		if (l && naive_match(l->message, l->message_len, 0, needle, nlen, icase) >= 0)
			return i;
	}
	return -1;
}

static void check_buf(const struct tt_logbuf *b, const struct model *m, const char *needle, bool search)
{
	uint64_t first = tt_logbuf_first(b), end = tt_logbuf_end(b);
	size_t count = tt_logbuf_count(b), shown = tt_logbuf_shown_count(b), passing = 0, k = 0;
	const char *ft = tt_logbuf_filter_text(b), *fr = tt_logbuf_filter_request_id(b);

	if (end != m->added)
		fuzz_fail("end %llu after %zu lines added", (unsigned long long)end, m->added);
	if (count > m->max_lines)
		fuzz_fail("%zu lines held, bound %zu", count, m->max_lines);
	if (first > end || first + count != end)
		fuzz_fail("first %llu, count %zu, end %llu", (unsigned long long)first, count, (unsigned long long)end);
	if (tt_logbuf_dropped(b) + count + m->cleared != m->added)
		fuzz_fail("dropped %llu + held %zu + cleared %zu != added %zu",
			  (unsigned long long)tt_logbuf_dropped(b), count, m->cleared, m->added);
	if ((first > 0 && tt_logbuf_get(b, first - 1)) || tt_logbuf_get(b, end))
		fuzz_fail("a seq outside [first, end) is held");
	if (shown > count)
		fuzz_fail("shown %zu > count %zu", shown, count);
	if ((m->ftext && *m->ftext) ? !ft || strcmp(ft, m->ftext) != 0 : ft != NULL)
		fuzz_fail("filter text \"%s\" reads back as \"%s\"", m->ftext ? m->ftext : "(null)", ft ? ft : "(null)");
	if (m->frid[0] ? !fr || strcmp(fr, m->frid) != 0 : fr != NULL)
		fuzz_fail("filter request id \"%s\" reads back as \"%s\"", m->frid, fr ? fr : "(null)");

	for (uint64_t s = first; s < end; s++) {
		const struct tt_logline *l = tt_logbuf_get(b, s);
		const struct fed *f = &m->lines[s];
		size_t off, n;
		bool pass;

		if (!l || l->seq != s)
			fuzz_fail("seq %llu in [first, end) not held", (unsigned long long)s);
		if (l->message_len != f->len || memcmp(l->message, f->msg, f->len) != 0 || l->message[f->len])
			fuzz_fail("seq %llu does not hold the message added", (unsigned long long)s);
		if (!l->stream || strcmp(l->stream, f->stream) != 0)
			fuzz_fail("seq %llu has stream \"%s\", added with \"%s\"", (unsigned long long)s,
				  l->stream ? l->stream : "(null)", f->stream);
		if (l->group != f->group || l->timestamp_ms != f->ts || l->ingestion_ms != f->ts + 1)
			fuzz_fail("seq %llu: group or times changed", (unsigned long long)s);
		if (l->level != (uint8_t)tt_logbuf_level_of(f->msg, f->len))
			fuzz_fail("seq %llu: level %d", (unsigned long long)s, l->level);
		if (rid_of(f->msg, f->len, &off, &n) ? l->rid_off != off || l->rid_len != n : l->rid_len != 0)
			fuzz_fail("seq %llu: request id at %u, %u bytes", (unsigned long long)s, l->rid_off, l->rid_len);
		pass = model_passes(m, f);
		if (pass) {
			if (k >= shown || tt_logbuf_shown_seq(b, k) != s)
				fuzz_fail("seq %llu passes the filter but is not shown %zu-th", (unsigned long long)s, k);
			if (tt_logbuf_shown_index(b, s) != k)
				fuzz_fail("shown index of seq %llu is %zu, not %zu", (unsigned long long)s,
					  tt_logbuf_shown_index(b, s), k);
			k++;
			passing++;
		} else if (k < shown && tt_logbuf_shown_seq(b, k) == s) {
			fuzz_fail("seq %llu is shown but does not pass the filter", (unsigned long long)s);
		}
	}
	if (passing != shown)
		fuzz_fail("%zu lines pass the filter, %zu shown", passing, shown);
	if (tt_logbuf_shown_index(b, end) != shown || tt_logbuf_shown_index(b, 0) != 0)
		fuzz_fail("shown index past the end or before the start");

	for (int dir = search ? -1 : 2; dir <= 1; dir += 2) {
		for (int wrap = 0; wrap < 2; wrap++) {
			size_t froms[] = {0, shown / 2, shown ? shown - 1 : 0, shown, shown + 3};
			for (size_t i = 0; i < sizeof(froms) / sizeof(froms[0]); i++) {
				long got = tt_logbuf_find(b, froms[i], dir, needle, m->ficase, wrap);
				const struct tt_logline *l;
				if (got < -1 || got >= (long)shown)
					fuzz_fail("find returned %ld with %zu shown", got, shown);
				if (got >= 0) {
					l = tt_logbuf_get(b, tt_logbuf_shown_seq(b, (size_t)got));
					if (!l || naive_match(l->message, l->message_len, 0, needle, strlen(needle),
							      m->ficase) < 0)
						fuzz_fail("find returned shown line %ld, which lacks the needle", got);
				}
				if (froms[i] < shown &&
				    got != model_find(b, froms[i], dir, needle, m->ficase, wrap))
					fuzz_fail("find(from %zu, dir %d, wrap %d) = %ld, expected %ld", froms[i], dir,
						  wrap, got, model_find(b, froms[i], dir, needle, m->ficase, wrap));
			}
		}
	}
}

static void set_filter(struct tt_logbuf *b, struct model *m, const char *text, const char *rid)
{
	m->ftext = text;
	snprintf(m->frid, sizeof(m->frid), "%s", rid ? rid : "");
	tt_logbuf_set_filter(b, text, m->ficase, rid);
}

static void check_scrollback(const char *line, size_t len, unsigned flags, const char *needle)
{
	static const size_t byte_bounds[] = {0, 80, 150, 300, 600, 1200, 5000, 100000};
	struct model *m = calloc(1, sizeof(*m));
	struct tt_logbuf *b;
	struct tt_access_index *ix = tt_access_index_new(1 + (flags >> 5) % 4);
	const char *p = line, *end = line + len;
	char rid[65] = "";

	if (!m)
		abort();
	m->max_lines = 1 + (flags & 7);
	m->ficase = flags & 0x40;
	b = tt_logbuf_new(m->max_lines, byte_bounds[(flags >> 3) & 7]);
	if (flags & 0x80)
		set_filter(b, m, needle, NULL);
	while (p <= end && m->added < MAX_FED) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p), off, rlen;
		struct fed *f = &m->lines[m->added];
		struct tt_access_line al;
		uint64_t seq;

		if (n == 0 && nl && (flags & 0x20)) {
			/* An empty line restarts the tail. */
			m->cleared += tt_logbuf_count(b);
			tt_logbuf_clear(b);
		} else {
			f->msg = p;
			f->len = n;
			snprintf(f->stream, sizeof(f->stream), "stream-%u", n ? (unsigned char)p[0] % 5 : 9u);
			f->group = (uint32_t)(n % 3);
			f->ts = (int64_t)m->added * 1000;
			seq = tt_logbuf_add(b, f->group, f->stream, f->ts, f->ts + 1, p, n);
			if (seq != m->added)
				fuzz_fail("add returned seq %llu for line %zu", (unsigned long long)seq, m->added);
			m->added++;
			if (!tt_logbuf_get(b, seq))
				fuzz_fail("the line just added is not held");
			if (!rid[0] && rid_of(p, n, &off, &rlen))
				snprintf(rid, sizeof(rid), "%.*s", (int)rlen, p + off);
			check_buf(b, m, needle, false);

			if (check_access(p, n, flags, &al) == 0) {
				const struct tt_access_line *found;
				tt_access_index_add(ix, &al);
				found = tt_access_index_find(ix, al.lambda_request_id);
				if (al.lambda_request_id[0] ? !found || memcmp(found, &al, sizeof(al)) != 0 : found != NULL)
					fuzz_fail("the access line just indexed under \"%s\" is not found as it was",
						  al.lambda_request_id);
			}
			if (tt_access_index_count(ix) > 1 + (flags >> 5) % 4)
				fuzz_fail("access index over its bound");
		}
		if (m->added == 3 && rid[0])
			set_filter(b, m, (flags & 0x100) ? needle : NULL, rid);
		if (!nl)
			break;
		p = nl + 1;
	}
	check_buf(b, m, needle, true);
	set_filter(b, m, needle, NULL);
	check_buf(b, m, needle, true);
	set_filter(b, m, NULL, NULL);
	check_buf(b, m, needle, true);
	tt_logbuf_free(&b);
	if (b)
		fuzz_fail("tt_logbuf_free left the pointer set");
	tt_access_index_free(&ix);
	free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *line = (const char *)data + 3;
	size_t len, at, nlen;
	unsigned flags;
	struct tt_access_line al;
	char *needle;

	if (size < 3)
		return 0;
	len = size - 3;
	flags = data[0] | (unsigned)(data[1] & 0x80) << 1;
	at = len ? (data[1] & 0x7f) * len / 128 : 0;
	nlen = data[2] % 24;
	check_match(line, len, flags, at, nlen);
	check_line(line, len);
	(void)check_access(line, len, flags, &al);

	/* The search and filter text: a C string cut from the line. */
	if (nlen > len - at)
		nlen = len - at;
	needle = fuzz_str((const uint8_t *)line + at, nlen);
	check_scrollback(line, len, flags, needle);
	free(needle);
	return 0;
}
