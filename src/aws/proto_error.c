/* AWS error answers, one shape per protocol (aws-wire.md 0.3). */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "tiertop/err.h"
#include "tiertop/http.h"
#include "tiertop/retry.h"
#include "tiertop/xml.h"

static void copy_field(char *dst, size_t size, const char *src)
{
	if (src)
		snprintf(dst, size, "%s", src);
}

/* "com.amazon.coral.service#ExpiredTokenException:http://..." -> the bare
 * code: cut at the first ':' (what follows is a URI that may hold '#'),
 * then keep what follows the last '#', as botocore and Smithy do. */
static void set_code(struct tt_err *err, const char *raw)
{
	const char *colon, *start;
	size_t n;

	if (!raw || !*raw)
		return;
	colon = strchr(raw, ':');
	n = colon ? (size_t)(colon - raw) : strlen(raw);
	start = raw;
	for (size_t i = 0; i < n; i++)
		if (raw[i] == '#')
			start = raw + i + 1;
	n -= (size_t)(start - raw);
	if (n >= sizeof(err->code))
		n = sizeof(err->code) - 1;
	memcpy(err->code, start, n);
	err->code[n] = '\0';
}

static void parse_json_error(const struct tt_http_resp *resp, struct tt_err *err)
{
	json_t *root = json_loadb(resp->body.data ? resp->body.data : "", resp->body.len, 0, NULL);
	const char *msg;

	if (!json_is_object(root)) {
		json_decref(root);
		return;
	}
	if (!err->code[0]) {
		set_code(err, json_string_value(json_object_get(root, "__type")));
		if (!err->code[0])
			set_code(err, json_string_value(json_object_get(root, "code")));
		if (!err->code[0])
			set_code(err, json_string_value(json_object_get(root, "Code")));
	}
	msg = json_string_value(json_object_get(root, "message"));
	if (!msg)
		msg = json_string_value(json_object_get(root, "Message"));
	if (!msg)
		msg = json_string_value(json_object_get(root, "errorMessage"));
	copy_field(err->message, sizeof(err->message), msg);
	json_decref(root);
}

static void parse_query_error(const struct tt_http_resp *resp, struct tt_err *err)
{
	struct tt_xml_flat x;
	struct tt_err ignored;

	if (tt_xml_flat_parse(resp->body.data ? resp->body.data : "", resp->body.len, &x, &ignored))
		return;
	set_code(err, tt_xml_flat_get(&x, "Error/Code"));
	copy_field(err->message, sizeof(err->message), tt_xml_flat_get(&x, "Error/Message"));
	if (!err->request_id[0])
		copy_field(err->request_id, sizeof(err->request_id), tt_xml_flat_get(&x, "RequestId"));
	tt_xml_flat_clear(&x);
}

static void request_id_from_headers(const struct tt_http_resp *resp, struct tt_err *err)
{
	const char *id = tt_http_resp_header(resp, "x-amzn-RequestId");

	if (!id)
		id = tt_http_resp_header(resp, "x-amz-request-id");
	copy_field(err->request_id, sizeof(err->request_id), id);
}

void tt_http_parse_error(enum tt_proto proto, const struct tt_http_resp *resp, struct tt_err *err)
{
	const char *query_error;

	tt_err_clear(err);
	err->kind = TT_ERR_AWS;
	err->http_status = resp->status;
	request_id_from_headers(resp, err);
	/* CloudWatch in JSON mode gives the legacy query code here; prefer it. */
	query_error = tt_http_resp_header(resp, "x-amzn-query-error");
	if (query_error) {
		char code[96];
		snprintf(code, sizeof(code), "%s", query_error);
		code[strcspn(code, ";")] = '\0';
		set_code(err, code);
	}
	if (!err->code[0])
		set_code(err, tt_http_resp_header(resp, "x-amzn-ErrorType"));
	if (proto == TT_PROTO_QUERY)
		parse_query_error(resp, err);
	else
		parse_json_error(resp, err);
	if (!err->message[0] && err->code[0])
		snprintf(err->message, sizeof(err->message), "%s", err->code);
	else if (!err->message[0])
		snprintf(err->message, sizeof(err->message), "the service answered HTTP %ld without an error code",
			 resp->status);
	/* Callers match on a code; without one the status stands in. */
	if (!err->code[0])
		snprintf(err->code, sizeof(err->code), "HTTP%ld", resp->status);
	if (tt_retry_is_credential_code(err->code))
		err->kind = TT_ERR_CONFIG;
}
