/* DynamoDB requests that read or write items: their bodies, and Scan, Query
 * and BatchGetItem. Bodies are built with jansson: typed values carry N as
 * strings, so nothing numeric goes through a double here. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ddb_internal.h"
#include "tiertop/err.h"
#include "tiertop/sigv4.h"
#include "tiertop/xalloc.h"

/* DynamoDB takes at most this many keys per BatchGetItem. */
#define BATCH_MAX 100
/* Rounds in a row that return nothing but unprocessed keys. */
#define BATCH_STALLS 8
#define BATCH_BACKOFF_BASE_MS 50
#define BATCH_BACKOFF_MAX_MS 2000

int tt_ddb_set_string(json_t *o, const char *key, const char *value, struct tt_err *err)
{
	json_t *s = json_string(value);

	if (!s)
		return tt_err_set(err, TT_ERR_USAGE, "%s is not valid UTF-8", key);
	json_object_set_new(o, key, s);
	return 0;
}

static int set_names(json_t *o, const struct tt_kv *names, size_t n, struct tt_err *err)
{
	json_t *m;

	if (n == 0)
		return 0;
	m = json_object();
	json_object_set_new(o, "ExpressionAttributeNames", m);
	for (size_t i = 0; i < n; i++)
		if (tt_ddb_set_string(m, names[i].key, names[i].value, err))
			return -1;
	return 0;
}

int tt_ddb_set_read_options(json_t *o, const char *projection, const struct tt_kv *names, size_t nnames,
			    bool consistent, struct tt_err *err)
{
	if (projection && tt_ddb_set_string(o, "ProjectionExpression", projection, err))
		return -1;
	if (consistent)
		json_object_set_new(o, "ConsistentRead", json_true());
	return set_names(o, names, nnames, err);
}

static void set_values(json_t *o, const char *key, const struct tt_ddb_value *values)
{
	if (values)
		json_object_set_new(o, key, tt_ddb_item_to_json(values));
}

/* ExclusiveStartKey from a previous page's typed LastEvaluatedKey. */
static int set_start_key(json_t *o, const char *text, struct tt_err *err)
{
	struct tt_ddb_value *key = NULL;

	if (!text)
		return 0;
	if (tt_ddb_item_parse_typed(text, strlen(text), &key, err)) {
		tt_err_prefix(err, "start key");
		return -1;
	}
	json_object_set_new(o, "ExclusiveStartKey", tt_ddb_item_to_json(key));
	tt_ddb_value_free(&key);
	return 0;
}

static int read_fields(json_t *o, const struct tt_ddb_read *in, bool query, struct tt_err *err)
{
	if (tt_ddb_set_string(o, "TableName", in->table, err) ||
	    (in->index && tt_ddb_set_string(o, "IndexName", in->index, err)) ||
	    (query && tt_ddb_set_string(o, "KeyConditionExpression",
	                                in->key_condition ? in->key_condition : "", err)) ||
	    (in->filter && tt_ddb_set_string(o, "FilterExpression", in->filter, err)) ||
	    tt_ddb_set_read_options(o, in->projection, in->names, in->nnames, in->consistent, err) ||
	    set_start_key(o, in->start_key, err))
		return -1;
	set_values(o, "ExpressionAttributeValues", in->values);
	/* Only the total: what the browser and --stats show. */
	json_object_set_new(o, "ReturnConsumedCapacity", json_string("TOTAL"));
	if (query && in->descending)
		json_object_set_new(o, "ScanIndexForward", json_false());
	if (in->limit > 0)
		json_object_set_new(o, "Limit", json_integer(in->limit));
	if (!query && in->total_segments > 0) {
		json_object_set_new(o, "Segment", json_integer(in->segment));
		json_object_set_new(o, "TotalSegments", json_integer(in->total_segments));
	}
	return 0;
}

char *tt_ddb_read_body(const struct tt_ddb_read *in, bool query, struct tt_err *err)
{
	json_t *o = json_object();
	char *body = read_fields(o, in, query, err) == 0 ? json_dumps(o, JSON_COMPACT) : NULL;

	json_decref(o);
	return body;
}

char *tt_ddb_get_body(const struct tt_ddb_get *in, struct tt_err *err)
{
	json_t *o = json_object();
	char *body = NULL;

	if (tt_ddb_set_string(o, "TableName", in->table, err) == 0 &&
	    tt_ddb_set_read_options(o, in->projection, in->names, in->nnames, in->consistent, err) == 0) {
		json_object_set_new(o, "Key", tt_ddb_item_to_json(in->key));
		body = json_dumps(o, JSON_COMPACT);
	}
	json_decref(o);
	return body;
}

/* --- Scan and Query ---------------------------------------------------------- */

struct read_call {
	struct tt_ddb_call base;
	tt_ddb_page_fn done;
	void *ctx;
	enum tt_ddb_format format;
};

static void read_answer(struct tt_ddb_call *c, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct read_call *call = (struct read_call *)c;
	struct tt_ddb_page_buf buf;
	struct tt_err perr;

	tt_ddb_page_buf_init(&buf);
	if (err) {
		call->done(call->ctx, NULL, err);
	} else if (tt_ddb_parse_page(resp->body.data, resp->body.len, call->format, &buf, &perr)) {
		call->done(call->ctx, NULL, &perr);
	} else {
		struct tt_ddb_page page = {buf.items.data, buf.items.len, buf.nitems, buf.scanned,
		                           buf.last_key, buf.consumed};
		call->done(call->ctx, &page, NULL);
	}
	tt_ddb_page_buf_clear(&buf);
	tt_ddb_call_free(&c);
}

static int read_start(const struct tt_aws *aws, const struct tt_ddb_read *in, bool query, tt_ddb_page_fn done,
		      void *ctx, struct tt_err *err)
{
	struct read_call *call = tt_xcalloc(1, sizeof(*call));

	tt_ddb_call_init(&call->base, aws, query ? "Query" : "Scan", in->table,
	                 tt_ddb_read_body(in, query, err), read_answer);
	call->done = done;
	call->ctx = ctx;
	call->format = in->format;
	if (!call->base.body || tt_ddb_call_submit(&call->base, err)) {
		tt_ddb_call_free(&(struct tt_ddb_call *){&call->base});
		return -1;
	}
	return 0;
}

int tt_ddb_scan(const struct tt_aws *aws, const struct tt_ddb_read *in, tt_ddb_page_fn done, void *ctx,
		struct tt_err *err)
{
	return read_start(aws, in, false, done, ctx, err);
}

int tt_ddb_query(const struct tt_aws *aws, const struct tt_ddb_read *in, tt_ddb_page_fn done, void *ctx,
		 struct tt_err *err)
{
	if (!in->key_condition || !*in->key_condition)
		return tt_err_set(err, TT_ERR_USAGE, "a Query needs a key condition expression");
	return read_start(aws, in, true, done, ctx, err);
}

/* --- BatchGetItem ------------------------------------------------------------ */

struct batch_call {
	struct tt_ddb_call base;
	tt_ddb_page_fn done;
	void *ctx;
	enum tt_ddb_format format;
	char *table;
	json_t *request;    /* {"RequestItems":{table:{"Keys":[]...}}} minus the keys */
	json_t *pending;    /* keys not sent yet or sent back unprocessed, from next on */
	size_t next;        /* taken from the front by moving this, not by removing: linear */
	struct tt_ddb_page_buf found;
	size_t sent;        /* keys in the request in flight */
	int stalls;
};

static void batch_free(struct batch_call *call)
{
	tt_ddb_page_buf_clear(&call->found);
	json_decref(call->request);
	json_decref(call->pending);
	free(call->table);
	tt_ddb_call_free(&(struct tt_ddb_call *){&call->base});
}

static void batch_finish(struct batch_call *call, const struct tt_err *err)
{
	struct tt_ddb_page page = {call->found.items.data ? call->found.items.data : "",
	                           call->found.items.len, call->found.nitems, 0, NULL, call->found.consumed};

	call->done(call->ctx, err ? NULL : &page, err);
	batch_free(call);
}

/* Keys come back unprocessed when the table is out of capacity: asking again
 * at once would only be refused again (AWS says to back off). Rounds that
 * made progress wait the least; the wait doubles with each that made none. */
long tt_ddb_batch_backoff_ms(int stalls)
{
	long d = BATCH_BACKOFF_BASE_MS;

	for (int i = 0; i < stalls && d < BATCH_BACKOFF_MAX_MS; i++)
		d *= 2;
	return d < BATCH_BACKOFF_MAX_MS ? d : BATCH_BACKOFF_MAX_MS;
}

/* Moves up to BATCH_MAX pending keys into the next request's body. */
static void batch_next_body(struct batch_call *call)
{
	json_t *spec = json_object_get(json_object_get(call->request, "RequestItems"), call->table);
	json_t *keys = json_array();

	while (json_array_size(keys) < BATCH_MAX && call->next < json_array_size(call->pending))
		json_array_append(keys, json_array_get(call->pending, call->next++));
	call->sent = json_array_size(keys);
	json_object_set_new(spec, "Keys", keys);
	free(call->base.body);
	call->base.body = json_dumps(call->request, JSON_COMPACT);
	call->base.crc_failures = 0;
}

static void batch_answer(struct tt_ddb_call *c, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct batch_call *call = (struct batch_call *)c;
	json_t *again = NULL;
	struct tt_err perr;
	bool held_back;

	if (err) {
		batch_finish(call, err);
		return;
	}
	if (tt_ddb_parse_batch(resp->body.data, resp->body.len, call->table, call->format, &call->found,
	                       &again, &perr)) {
		batch_finish(call, &perr);
		return;
	}
	/* A round counts as stalled when DynamoDB processed none of its keys. */
	call->stalls = json_array_size(again) >= call->sent ? call->stalls + 1 : 0;
	held_back = json_array_size(again) > 0;
	json_array_extend(call->pending, again);
	json_decref(again);
	if (call->next == json_array_size(call->pending)) {
		batch_finish(call, NULL);
	} else if (call->stalls >= BATCH_STALLS) {
		tt_err_set(&perr, TT_ERR_AWS, "%s: %zu keys still unprocessed after %d tries", c->label,
			   json_array_size(call->pending) - call->next, BATCH_STALLS);
		batch_finish(call, &perr);
	} else {
		batch_next_body(call);
		c->delay_ms = held_back ? tt_ddb_batch_backoff_ms(call->stalls) : 0;
		if (tt_ddb_call_submit(c, &perr))
			batch_finish(call, &perr);
	}
}

static int batch_request(struct batch_call *call, const struct tt_ddb_batch_get *in, struct tt_err *err)
{
	json_t *spec = json_object(), *items = json_object();

	call->request = json_pack("{sos:s}", "RequestItems", items, "ReturnConsumedCapacity", "TOTAL");
	call->pending = json_array();
	if (json_object_set_new(items, in->table, spec))
		return tt_err_set(err, TT_ERR_USAGE, "TableName is not valid UTF-8");
	for (size_t i = 0; i < in->nkeys; i++)
		json_array_append_new(call->pending, tt_ddb_item_to_json(in->keys[i]));
	return tt_ddb_set_read_options(spec, in->projection, in->names, in->nnames, in->consistent, err);
}

int tt_ddb_batch_get(const struct tt_aws *aws, const struct tt_ddb_batch_get *in, tt_ddb_page_fn done,
		     void *ctx, struct tt_err *err)
{
	struct batch_call *call;

	if (in->nkeys == 0)
		return tt_err_set(err, TT_ERR_USAGE, "BatchGetItem needs at least one key");
	call = tt_xcalloc(1, sizeof(*call));
	tt_ddb_call_init(&call->base, aws, "BatchGetItem", in->table, NULL, batch_answer);
	call->done = done;
	call->ctx = ctx;
	call->format = in->format;
	call->table = tt_xstrdup(in->table);
	tt_ddb_page_buf_init(&call->found);
	if (batch_request(call, in, err) == 0) {
		batch_next_body(call);
		if (tt_ddb_call_submit(&call->base, err) == 0)
			return 0;
	}
	batch_free(call);
	return -1;
}
