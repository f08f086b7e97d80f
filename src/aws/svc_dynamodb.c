/* DynamoDB: sending a call (awsJson1_0, CRC32 check, resubmission), and the
 * table operations and GetItem (tiertop never writes to a table). Scan, Query and BatchGetItem are
 * in ddb_read.c; answers are parsed in ddb_parse.c and ddb_table.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <zlib.h>

#include "ddb_internal.h"
#include "tiertop/err.h"
#include "tiertop/log.h"
#include "tiertop/xalloc.h"

/* botocore retries a bad CRC like a dropped connection: two more tries. */
#define CRC_TRIES 3

void tt_ddb_call_init(struct tt_ddb_call *call, const struct tt_aws *aws, const char *op, const char *table,
		      char *body, tt_ddb_answer_fn answer)
{
	call->aws = *aws;
	call->op = op;
	call->label =
	    table ? tt_xasprintf("dynamodb %s (table %s)", op, table) : tt_xasprintf("dynamodb %s", op);
	call->body = body;
	call->answer = answer;
}

void tt_ddb_call_free(struct tt_ddb_call **callp)
{
	struct tt_ddb_call *call = *callp;

	if (!call)
		return;
	free(call->label);
	free(call->body);
	free(call);
	*callp = NULL;
}

int tt_ddb_check_crc32(const struct tt_http_resp *resp, struct tt_err *err)
{
	const char *want_text = tt_http_resp_header(resp, "x-amz-crc32");
	const char *encoding = tt_http_resp_header(resp, "Content-Encoding");
	unsigned long want, got;
	char *end;

	if (!want_text)
		return 0;
	errno = 0;
	want = strtoul(want_text, &end, 10);
	got = crc32_z(0L, (const unsigned char *)resp->body.data, resp->body.len);
	if (errno == 0 && *want_text && !*end && want <= 0xFFFFFFFFul && want == got)
		return 0;
	if (encoding && *encoding && strcasecmp(encoding, "identity") != 0) {
		/* The CRC is of the compressed bytes, which curl did not keep. */
		tt_log_printf("dynamodb: x-amz-crc32 not checked: the answer was %s-encoded", encoding);
		return 0;
	}
	tt_err_set(err, TT_ERR_NETWORK,
		   "DynamoDB's answer was damaged in transit: its CRC32 is %lu, x-amz-crc32 says %.12s",
		   got, want_text);
	snprintf(err->code, sizeof(err->code), "CRC32Mismatch");
	err->http_status = resp->status;
	return -1;
}

static void on_answer(void *ctx, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct tt_ddb_call *call = ctx;
	struct tt_err crc;

	if (err) {
		call->answer(call, NULL, err);
		return;
	}
	if (tt_ddb_check_crc32(resp, &crc) == 0) {
		call->answer(call, resp, NULL);
		return;
	}
	tt_log_printf("%s: %s", call->label, crc.message);
	if (++call->crc_failures < CRC_TRIES && tt_ddb_call_submit(call, &crc) == 0)
		return;
	tt_err_prefix(&crc, "%s", call->label);
	call->answer(call, NULL, &crc);
}

int tt_ddb_call_submit(struct tt_ddb_call *call, struct tt_err *err)
{
	struct tt_http_req *req = tt_aws_req_new(&call->aws, TT_SVC_DYNAMODB, "POST", "/", err);
	char target[64];

	if (!req)
		return -1;
	snprintf(target, sizeof(target), "DynamoDB_20120810.%s", call->op);
	tt_http_req_label(req, call->label);
	tt_http_req_header(req, "Content-Type", "application/x-amz-json-1.0");
	tt_http_req_header(req, "X-Amz-Target", target);
	/* So that the bytes x-amz-crc32 covers are the bytes we get. */
	tt_http_req_header(req, "Accept-Encoding", "identity");
	tt_http_req_body(req, call->body, strlen(call->body));
	tt_http_req_delay(req, call->delay_ms);
	call->delay_ms = 0;
	return tt_http_submit(call->aws.http, req, on_answer, call);
}

/* Submits a new call, freeing it when it cannot be sent. */
static int start(struct tt_ddb_call *call, struct tt_err *err)
{
	if (!call->body || tt_ddb_call_submit(call, err)) {
		tt_ddb_call_free(&call);
		return -1;
	}
	return 0;
}

/* --- DescribeTable --------------------------------------------------------- */

struct describe_call {
	struct tt_ddb_call base;
	tt_ddb_table_fn done;
	void *ctx;
};

static void describe_answer(struct tt_ddb_call *c, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct describe_call *call = (struct describe_call *)c;
	struct tt_ddb_table *t = NULL;
	struct tt_err perr;

	if (err)
		call->done(call->ctx, NULL, err);
	else if (tt_ddb_parse_table(resp->body.data, resp->body.len, &t, &perr))
		call->done(call->ctx, NULL, &perr);
	else
		call->done(call->ctx, t, NULL);
	tt_ddb_call_free(&c);
}

static char *table_body(const char *table, struct tt_err *err)
{
	json_t *o = json_object();
	char *body = NULL;

	if (tt_ddb_set_string(o, "TableName", table, err) == 0)
		body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return body;
}

int tt_ddb_describe_table(const struct tt_aws *aws, const char *table, tt_ddb_table_fn done, void *ctx,
			  struct tt_err *err)
{
	struct describe_call *call = tt_xcalloc(1, sizeof(*call));

	tt_ddb_call_init(&call->base, aws, "DescribeTable", table, table_body(table, err), describe_answer);
	call->done = done;
	call->ctx = ctx;
	return start(&call->base, err);
}

/* --- ListTables ------------------------------------------------------------- */

struct list_call {
	struct tt_ddb_call base;
	tt_ddb_names_fn done;
	void *ctx;
	char **names;
	size_t n;
};

static void list_finish(struct list_call *call, const struct tt_err *err)
{
	call->done(call->ctx, err ? NULL : (const char *const *)call->names, err ? 0 : call->n, err);
	for (size_t i = 0; i < call->n; i++)
		free(call->names[i]);
	free(call->names);
	tt_ddb_call_free(&(struct tt_ddb_call *){&call->base});
}

static char *list_body(const char *start_name, struct tt_err *err)
{
	json_t *o = json_object();
	char *body = NULL;

	if (!start_name || tt_ddb_set_string(o, "ExclusiveStartTableName", start_name, err) == 0)
		body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return body;
}

static void list_answer(struct tt_ddb_call *c, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct list_call *call = (struct list_call *)c;
	struct tt_err perr;
	char *last = NULL;

	if (err) {
		list_finish(call, err);
		return;
	}
	if (tt_ddb_parse_table_names(resp->body.data, resp->body.len, &call->names, &call->n, &last, &perr)) {
		list_finish(call, &perr);
		return;
	}
	if (!last) {
		list_finish(call, NULL);
		return;
	}
	free(c->body);
	c->body = list_body(last, &perr);
	c->crc_failures = 0;
	free(last);
	if (!c->body || tt_ddb_call_submit(c, &perr))
		list_finish(call, &perr);
}

int tt_ddb_list_tables(const struct tt_aws *aws, tt_ddb_names_fn done, void *ctx, struct tt_err *err)
{
	struct list_call *call = tt_xcalloc(1, sizeof(*call));

	tt_ddb_call_init(&call->base, aws, "ListTables", NULL, list_body(NULL, err), list_answer);
	call->done = done;
	call->ctx = ctx;
	return start(&call->base, err);
}

/* --- GetItem ------------------------------------------------------------------ */

struct get_call {
	struct tt_ddb_call base;
	tt_ddb_item_fn done;
	void *ctx;
	enum tt_ddb_format format;
};

static void get_answer(struct tt_ddb_call *c, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct get_call *call = (struct get_call *)c;
	struct tt_err perr;
	char *item = NULL;

	if (err)
		call->done(call->ctx, NULL, err);
	else if (tt_ddb_parse_item(resp->body.data, resp->body.len, call->format, &item, &perr))
		call->done(call->ctx, NULL, &perr);
	else
		call->done(call->ctx, item, NULL);
	free(item);
	tt_ddb_call_free(&c);
}

int tt_ddb_get_item(const struct tt_aws *aws, const struct tt_ddb_get *in, tt_ddb_item_fn done, void *ctx,
		    struct tt_err *err)
{
	struct get_call *call = tt_xcalloc(1, sizeof(*call));

	tt_ddb_call_init(&call->base, aws, "GetItem", in->table, tt_ddb_get_body(in, err), get_answer);
	call->done = done;
	call->ctx = ctx;
	call->format = in->format;
	return start(&call->base, err);
}
