/* AWS error answers of every protocol. Input: one byte for the protocol,
 * one for the HTTP status, then "Name: value" header lines, a blank line
 * and the body (no blank line: all body). Properties: the error always has
 * a code and a message, both NUL-terminated inside their fields. */
#include "fuzz.h"

#include "tiertop/buf.h"
#include "tiertop/err.h"
#include "tiertop/http.h"

static const enum tt_proto protos[] = {TT_PROTO_NONE, TT_PROTO_QUERY, TT_PROTO_JSON, TT_PROTO_REST_JSON};

static void add_header(struct tt_http_resp *resp, const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len);
	struct tt_http_header *h;
	size_t vstart;

	if (!colon)
		return;
	resp->headers = realloc(resp->headers, (resp->nheaders + 1) * sizeof(*resp->headers));
	if (!resp->headers)
		abort();
	h = &resp->headers[resp->nheaders++];
	h->name = fuzz_str((const uint8_t *)line, (size_t)(colon - line));
	vstart = (size_t)(colon - line) + 1;
	while (vstart < len && line[vstart] == ' ')
		vstart++;
	h->value = fuzz_str((const uint8_t *)line + vstart, len - vstart);
}

static void add_headers(struct tt_http_resp *resp, const char *text, size_t len)
{
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i == len || text[i] == '\n') {
			add_header(resp, text + start, i - start);
			start = i + 1;
		}
	}
}

static const char *find_blank_line(const char *s, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++)
		if (s[i] == '\n' && s[i + 1] == '\n')
			return s + i;
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = {400, 403, 404, 429, 500, 502, 503, 200, 0, 999};
	struct tt_http_resp resp;
	struct tt_err err;
	const char *rest, *blank, *body;
	size_t rest_len, body_len;

	if (size < 2)
		return 0;
	memset(&resp, 0, sizeof(resp));
	resp.status = statuses[data[1] % (sizeof(statuses) / sizeof(statuses[0]))];
	rest = (const char *)data + 2;
	rest_len = size - 2;
	blank = find_blank_line(rest, rest_len);
	body = blank ? blank + 2 : rest;
	body_len = rest_len - (size_t)(body - rest);
	if (blank)
		add_headers(&resp, rest, (size_t)(blank - rest));
	tt_buf_init(&resp.body, 0);
	tt_buf_append(&resp.body, body, body_len);

	tt_http_parse_error(protos[data[0] % 4], &resp, &err);
	if (strnlen(err.code, sizeof(err.code)) == sizeof(err.code) ||
	    strnlen(err.message, sizeof(err.message)) == sizeof(err.message) ||
	    strnlen(err.request_id, sizeof(err.request_id)) == sizeof(err.request_id))
		fuzz_fail("a field of the error is not NUL-terminated");
	if (!err.code[0] || !err.message[0])
		fuzz_fail("an error without a code or a message");
	if (err.kind != TT_ERR_AWS && err.kind != TT_ERR_CONFIG)
		fuzz_fail("an error answer of kind %d", (int)err.kind);

	for (size_t i = 0; i < resp.nheaders; i++) {
		free(resp.headers[i].name);
		free(resp.headers[i].value);
	}
	free(resp.headers);
	tt_buf_clear(&resp.body);
	return 0;
}
