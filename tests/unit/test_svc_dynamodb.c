/* DynamoDB at the wire: request bodies, canned answers parsed into structs
 * and JSON Lines, and the x-amz-crc32 check. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../../src/aws/ddb_internal.h"
#include "tap.h"
#include "tiertop/err.h"
#include "tiertop/http.h"
#include "tiertop/sigv4.h"
#include "tiertop/xalloc.h"

#define PAGE                                                                                                 \
	"{\"Items\":[{\"feedbackId\":{\"S\":\"fb-0001\"},\"createdAt\":{\"S\":\"2026-01-01T00:00:00Z\"},"    \
	"\"rating\":{\"N\":\"12345678901234567890123456789012345678\"},\"tags\":{\"SS\":[\"a\",\"b\"]},"     \
	"\"text\":{\"S\":\"line1\\nline2 \\u001b[31m\"}},"                                                   \
	"{\"feedbackId\":{\"S\":\"fb-0002\"},\"createdAt\":{\"S\":\"2026-01-02T00:00:00Z\"},"                \
	"\"blob\":{\"B\":\"AAEC\"},\"ok\":{\"BOOL\":false},\"none\":{\"NULL\":true}}],"                      \
	"\"Count\":2,\"ScannedCount\":7,"                                                                    \
	"\"ConsumedCapacity\":{\"TableName\":\"Feedback\",\"CapacityUnits\":1.5},"                        \
	"\"LastEvaluatedKey\":{\"feedbackId\":{\"S\":\"fb-0002\"},\"createdAt\":{\"S\":\"2026-01-02T00:00:"  \
	"00Z\"}}}"

static void page(void)
{
	struct tt_ddb_page_buf p;
	struct tt_err err;

	tt_ddb_page_buf_init(&p);
	tap_ok(tt_ddb_parse_page(PAGE, strlen(PAGE), TT_DDB_PLAIN, &p, &err) == 0, "page parses");
	tap_ok(p.nitems == 2 && p.scanned == 7, "page: 2 items, 7 scanned");
	tap_ok(p.consumed == 1.5, "page: ConsumedCapacity.CapacityUnits (%g)", p.consumed);
	tap_str_eq(p.items.data,
		   "{\"feedbackId\":\"fb-0001\",\"createdAt\":\"2026-01-01T00:00:00Z\","
		   "\"rating\":12345678901234567890123456789012345678,\"tags\":[\"a\",\"b\"],"
		   "\"text\":\"line1\\nline2 \\u001b[31m\"}\n"
		   "{\"feedbackId\":\"fb-0002\",\"createdAt\":\"2026-01-02T00:00:00Z\",\"blob\":\"AAEC\","
		   "\"ok\":false,\"none\":null}\n",
		   "page: plain JSON Lines, exact number, escaped text");
	tap_str_eq(p.last_key,
	           "{\"feedbackId\":{\"S\":\"fb-0002\"},\"createdAt\":{\"S\":\"2026-01-02T00:00:00Z\"}}",
	           "page: LastEvaluatedKey as typed JSON");
	tt_ddb_page_buf_clear(&p);

	tt_ddb_page_buf_init(&p);
	tap_ok(tt_ddb_parse_page(PAGE, strlen(PAGE), TT_DDB_TYPED, &p, &err) == 0, "typed page parses");
	tap_ok(strncmp(p.items.data, "{\"feedbackId\":{\"S\":\"fb-0001\"},", 30) == 0 &&
		       strstr(p.items.data, "\"tags\":{\"SS\":[\"a\",\"b\"]}") &&
		       strstr(p.items.data, "\"rating\":{\"N\":\"12345678901234567890123456789012345678\"}"),
	       "typed page: DynamoDB JSON lines");
	tt_ddb_page_buf_clear(&p);

	const char *empty = "{\"Items\":[],\"Count\":0,\"ScannedCount\":1000,"
			    "\"LastEvaluatedKey\":{\"feedbackId\":{\"S\":\"fb-1000\"}}}";
	tt_ddb_page_buf_init(&p);
	tap_ok(tt_ddb_parse_page(empty, strlen(empty), TT_DDB_PLAIN, &p, &err) == 0 && p.nitems == 0 &&
		       p.items.len == 0 && p.last_key && strstr(p.last_key, "fb-1000"),
	       "an empty page still carries its LastEvaluatedKey");
	tt_ddb_page_buf_clear(&p);

	const char *last = "{\"Count\":0,\"ScannedCount\":0}";
	tt_ddb_page_buf_init(&p);
	tap_ok(tt_ddb_parse_page(last, strlen(last), TT_DDB_PLAIN, &p, &err) == 0 && p.nitems == 0 &&
		       p.last_key == NULL,
	       "no Items and no LastEvaluatedKey: the last page");
	tt_ddb_page_buf_clear(&p);
}

static void page_error(const char *what, const char *body, const char *want)
{
	struct tt_ddb_page_buf p;
	struct tt_err err;

	tt_ddb_page_buf_init(&p);
	tap_ok(tt_ddb_parse_page(body, strlen(body), TT_DDB_PLAIN, &p, &err) == -1 && err.kind == TT_ERR_AWS,
	       "%s: an AWS error", what);
	if (!tap_ok(strstr(err.message, want) != NULL, "%s: message has \"%s\"", what, want))
		printf("# got: %s\n", err.message);
	tt_ddb_page_buf_clear(&p);
}

static void page_errors(void)
{
	page_error("truncated", "{\"Items\":[{\"a\":{\"S\":\"x\"}", "malformed JSON");
	page_error("not an object", "[]", "not an object");
	page_error("Items not a list", "{\"Items\":{}}", "Items that are not a list");
	page_error("bad AttributeValue", "{\"Items\":[{\"a\":{\"M\":{\"b\":{\"N\":5}}}}]}",
		   "unreadable item: attribute a.b: N must be a JSON string");
	page_error("bad LastEvaluatedKey", "{\"Items\":[],\"LastEvaluatedKey\":{\"k\":{\"X\":\"1\"}}}",
		   "unreadable LastEvaluatedKey");
}

static void get_item(void)
{
	char *item = NULL;
	struct tt_err err;
	const char *hit = "{\"Item\":{\"feedbackId\":{\"S\":\"fb-1\"},\"n\":{\"N\":\"-0.0010\"}}}";

	tap_ok(tt_ddb_parse_item(hit, strlen(hit), TT_DDB_PLAIN, &item, &err) == 0, "GetItem hit parses");
	tap_str_eq(item, "{\"feedbackId\":\"fb-1\",\"n\":-0.0010}", "GetItem hit: one plain line");
	free(item);
	tap_ok(tt_ddb_parse_item(hit, strlen(hit), TT_DDB_TYPED, &item, &err) == 0 &&
		       strcmp(item, "{\"feedbackId\":{\"S\":\"fb-1\"},\"n\":{\"N\":\"-0.0010\"}}") == 0,
	       "GetItem hit: typed line");
	free(item);
	tap_ok(tt_ddb_parse_item("{}", 2, TT_DDB_PLAIN, &item, &err) == 0 && item == NULL,
	       "GetItem miss: no Item, no error");
	tap_ok(tt_ddb_parse_item("{\"Item\":7}", 10, TT_DDB_PLAIN, &item, &err) == -1 &&
	           err.kind == TT_ERR_AWS,
	       "GetItem with a non-object Item is an AWS error");
}

static void table_names(void)
{
	char **names = NULL, *last = NULL;
	size_t n = 0;
	struct tt_err err;
	const char *p1 =
	    "{\"TableNames\":[\"Feedback\",\"FeedbackStats\"],\"LastEvaluatedTableName\":\"FeedbackStats\"}";
	const char *p2 = "{\"TableNames\":[\"Zeta\"]}";

	tap_ok(tt_ddb_parse_table_names(p1, strlen(p1), &names, &n, &last, &err) == 0 && n == 2 && last &&
		       strcmp(last, "FeedbackStats") == 0,
	       "ListTables page 1: two names and a next start");
	free(last);
	tap_ok(tt_ddb_parse_table_names(p2, strlen(p2), &names, &n, &last, &err) == 0 && n == 3 && !last,
	       "ListTables page 2 appends; no next start");
	tap_ok(strcmp(names[0], "Feedback") == 0 && strcmp(names[2], "Zeta") == 0,
	       "ListTables names in order");
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	names = NULL;
	n = 0;
	tap_ok(tt_ddb_parse_table_names("{\"TableNames\":3}", 16, &names, &n, &last, &err) == -1 &&
		       err.kind == TT_ERR_AWS,
	       "ListTables with a bad TableNames fails");
	free(names);
}

#define DESCRIBE                                                                                             \
	"{\"Table\":{\"TableName\":\"Feedback\",\"TableArn\":\"arn:aws:dynamodb:us-east-1:111122223333:"     \
	"table/"                                                                                             \
	"Feedback\",\"TableId\":\"x\",\"TableStatus\":\"ACTIVE\",\"CreationDateTime\":1767225600.5,"         \
	"\"KeySchema\":[{\"AttributeName\":\"createdAt\",\"KeyType\":\"RANGE\"},"                            \
	"{\"AttributeName\":\"feedbackId\",\"KeyType\":\"HASH\"}],"                                          \
	"\"AttributeDefinitions\":[{\"AttributeName\":\"feedbackId\",\"AttributeType\":\"S\"},"              \
	"{\"AttributeName\":\"createdAt\",\"AttributeType\":\"S\"},{\"AttributeName\":\"status\","           \
	"\"AttributeType\":\"S\"}],"                                                                         \
	"\"BillingModeSummary\":{\"BillingMode\":\"PAY_PER_REQUEST\"},"                                      \
	"\"ProvisionedThroughput\":{\"ReadCapacityUnits\":0,\"WriteCapacityUnits\":0,"                       \
	"\"NumberOfDecreasesToday\":0},"                                                                     \
	"\"ItemCount\":250,\"TableSizeBytes\":123456,"                                                       \
	"\"StreamSpecification\":{\"StreamEnabled\":true,\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"},"        \
	"\"LatestStreamArn\":\"arn:aws:dynamodb:us-east-1:111122223333:table/Feedback/stream/2026\","        \
	"\"DeletionProtectionEnabled\":true,"                                                                \
	"\"GlobalSecondaryIndexes\":[{\"IndexName\":\"ByStatus\",\"KeySchema\":[{\"AttributeName\":"         \
	"\"status\","                                                                                        \
	"\"KeyType\":\"HASH\"},{\"AttributeName\":\"createdAt\",\"KeyType\":\"RANGE\"}],"                    \
	"\"Projection\":{\"ProjectionType\":\"ALL\"},\"IndexStatus\":\"ACTIVE\","                            \
	"\"ProvisionedThroughput\":{\"ReadCapacityUnits\":5,\"WriteCapacityUnits\":3},"                      \
	"\"ItemCount\":250,\"IndexSizeBytes\":1000}],"                                                       \
	"\"LocalSecondaryIndexes\":[{\"IndexName\":\"ByRating\",\"KeySchema\":[{\"AttributeName\":"          \
	"\"feedbackId\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"rating\",\"KeyType\":\"RANGE\"}],"        \
	"\"Projection\":{\"ProjectionType\":\"KEYS_ONLY\"}}]}}"

static void describe(void)
{
	struct tt_ddb_table *t = NULL;
	struct tt_err err;

	if (!tap_ok(tt_ddb_parse_table(DESCRIBE, strlen(DESCRIBE), &t, &err) == 0, "DescribeTable parses"))
		return;
	tap_str_eq(t->name, "Feedback", "table name");
	tap_str_eq(t->arn, "arn:aws:dynamodb:us-east-1:111122223333:table/Feedback", "table ARN");
	tap_str_eq(t->status, "ACTIVE", "table status");
	tap_str_eq(t->billing_mode, "PAY_PER_REQUEST", "billing mode");
	tap_str_eq(t->key.hash, "feedbackId", "hash key (listed second)");
	tap_str_eq(t->key.range, "createdAt", "range key (listed first)");
	tap_str_eq(tt_ddb_table_attr_type(t, "feedbackId"), "S", "key attribute type");
	tap_ok(tt_ddb_table_attr_type(t, "nope") == NULL && t->nattrs == 3, "attribute definitions");
	tap_ok(t->rcu == 0 && t->wcu == 0, "on-demand: no provisioned capacity");
	tap_ok(t->item_count == 250 && t->size_bytes == 123456, "item count and size");
	tap_ok(t->created > 1767225600.4 && t->created < 1767225600.6, "creation time");
	tap_str_eq(t->stream_arn, "arn:aws:dynamodb:us-east-1:111122223333:table/Feedback/stream/2026",
	           "stream ARN");
	tap_str_eq(t->stream_view, "NEW_AND_OLD_IMAGES", "stream view");
	tap_ok(t->deletion_protection, "deletion protection");
	tap_ok(t->ngsis == 1 && t->nlsis == 1, "one GSI, one LSI");
	tap_str_eq(t->gsis[0].name, "ByStatus", "GSI name");
	tap_ok(strcmp(t->gsis[0].key.hash, "status") == 0 && strcmp(t->gsis[0].key.range, "createdAt") == 0,
	       "GSI keys");
	tap_ok(t->gsis[0].rcu == 5 && t->gsis[0].wcu == 3 && strcmp(t->gsis[0].status, "ACTIVE") == 0 &&
		       strcmp(t->gsis[0].projection, "ALL") == 0 && t->gsis[0].item_count == 250,
	       "GSI capacity, status, projection, count");
	tap_ok(strcmp(t->lsis[0].name, "ByRating") == 0 && strcmp(t->lsis[0].key.range, "rating") == 0 &&
		       t->lsis[0].status == NULL && strcmp(t->lsis[0].projection, "KEYS_ONLY") == 0,
	       "LSI name, keys, projection");
	tt_ddb_table_free(&t);
	tap_ok(t == NULL, "tt_ddb_table_free NULLs");

	const char *old = "{\"Table\":{\"TableName\":\"Old\",\"TableStatus\":\"ACTIVE\",\"KeySchema\":[{"
			  "\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],\"ProvisionedThroughput\":{"
			  "\"ReadCapacityUnits\":10,\"WriteCapacityUnits\":5},\"StreamSpecification\":{"
			  "\"StreamEnabled\":false},\"LatestStreamArn\":\"arn:old\"}}";
	tap_ok(tt_ddb_parse_table(old, strlen(old), &t, &err) == 0, "old provisioned table parses");
	tap_ok(strcmp(t->billing_mode, "PROVISIONED") == 0 && t->rcu == 10 && t->wcu == 5,
	       "no BillingModeSummary means PROVISIONED; RCU/WCU");
	tap_ok(t->key.range == NULL && t->stream_arn == NULL && t->ngsis == 0 && t->item_count == 0,
	       "hash-only key; disabled stream has no ARN; no indexes");
	tt_ddb_table_free(&t);
	/* Found by fuzzing (tests/fuzz/fuzz_dynamodb): a real too big for long
	 * long was cast anyway, which is undefined. */
	old = "{\"Table\":{\"TableName\":\"T\",\"ProvisionedThroughput\":{\"ReadCapacityUnits\":1e300},"
	      "\"ItemCount\":-1e300}}";
	tap_ok(tt_ddb_parse_table(old, strlen(old), &t, &err) == 0 && t->rcu == 0 && t->item_count == 0,
	       "numbers beyond long long read as 0");
	tt_ddb_table_free(&t);
	tap_ok(tt_ddb_parse_table("{\"Table\":{}}", 12, &t, &err) == -1 && t == NULL &&
	           err.kind == TT_ERR_AWS,
	       "DescribeTable without a name fails");
}

static void batch(void)
{
	struct tt_ddb_page_buf p;
	json_t *again = NULL;
	struct tt_err err;
	const char *body =
	    "{\"Responses\":{\"Feedback\":[{\"feedbackId\":{\"S\":\"fb-1\"}},{\"feedbackId\":{\"S\":"
	    "\"fb-2\"}}],\"Other\":[{\"x\":{\"S\":\"no\"}}]},\"UnprocessedKeys\":{\"Feedback\":{"
	    "\"Keys\":[{\"feedbackId\":{\"S\":\"fb-3\"}}]}},"
	    "\"ConsumedCapacity\":[{\"TableName\":\"Other\",\"CapacityUnits\":4},"
	    "{\"TableName\":\"Feedback\",\"CapacityUnits\":0.5}]}";

	tt_ddb_page_buf_init(&p);
	tap_ok(tt_ddb_parse_batch(body, strlen(body), "Feedback", TT_DDB_PLAIN, &p, &again, &err) == 0,
	       "BatchGetItem answer parses");
	tap_str_eq(p.items.data, "{\"feedbackId\":\"fb-1\"}\n{\"feedbackId\":\"fb-2\"}\n",
		   "BatchGetItem: the table's items only");
	tap_ok(p.consumed == 0.5, "BatchGetItem: the table's ConsumedCapacity from the list (%g)", p.consumed);
	tap_ok(json_array_size(again) == 1 &&
		       strcmp(json_string_value(json_object_get(json_object_get(json_array_get(again, 0),
										 "feedbackId"),
								"S")),
			      "fb-3") == 0,
	       "BatchGetItem: unprocessed keys handed back");
	json_decref(again);
	tap_ok(tt_ddb_parse_batch("{}", 2, "Feedback", TT_DDB_PLAIN, &p, &again, &err) == 0 &&
		       json_array_size(again) == 0 && p.nitems == 2,
	       "BatchGetItem: nothing found, nothing unprocessed");
	json_decref(again);
	tt_ddb_page_buf_clear(&p);
}

static void resp_init(struct tt_http_resp *r, const char *body, const char *crc, const char *encoding)
{
	memset(r, 0, sizeof(*r));
	r->status = 200;
	r->headers = tt_xcalloc(2, sizeof(*r->headers));
	if (crc) {
		r->headers[r->nheaders].name = tt_xstrdup("X-Amz-Crc32");
		r->headers[r->nheaders++].value = tt_xstrdup(crc);
	}
	if (encoding) {
		r->headers[r->nheaders].name = tt_xstrdup("Content-Encoding");
		r->headers[r->nheaders++].value = tt_xstrdup(encoding);
	}
	tt_buf_init(&r->body, 0);
	tt_buf_puts(&r->body, body);
}

static void resp_free(struct tt_http_resp *r)
{
	for (size_t i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	tt_buf_clear(&r->body);
}

static int crc_check(const char *body, const char *crc, const char *encoding, struct tt_err *err)
{
	struct tt_http_resp r;
	int rc;

	resp_init(&r, body, crc, encoding);
	rc = tt_ddb_check_crc32(&r, err);
	resp_free(&r);
	return rc;
}

static void crc(void)
{
	const char *body = "{\"Items\":[],\"Count\":0,\"ScannedCount\":0}";
	struct tt_err err;

	tap_ok(crc_check("{}", "2745614147", NULL, &err) == 0, "CRC32 of {} matches");
	tap_ok(crc_check(body, "583912891", NULL, &err) == 0, "CRC32 of a page matches");
	tap_ok(crc_check(body, NULL, NULL, &err) == 0, "no x-amz-crc32: nothing to check");
	tap_ok(crc_check(body, "583912892", NULL, &err) == -1 && err.kind == TT_ERR_NETWORK &&
		       strcmp(err.code, "CRC32Mismatch") == 0 && strstr(err.message, "583912891"),
	       "a wrong CRC32 is a network error naming both values");
	tap_ok(crc_check(body, "58391289x", NULL, &err) == -1, "an unreadable x-amz-crc32 fails the check");
	tap_ok(crc_check(body, "99999999999", NULL, &err) == -1,
	       "an out-of-range x-amz-crc32 fails the check");
	tap_ok(crc_check(body, "583912891", "identity", &err) == 0,
	       "identity encoding: checked and matching");
	tap_ok(crc_check(body, "1", "identity", &err) == -1, "identity encoding: mismatch caught");
	tap_ok(crc_check(body, "1", "gzip", &err) == 0,
	       "gzip: the CRC covers the compressed bytes curl did not keep, so it is not held against us");
}

static json_t *body_json(char *body)
{
	json_t *j = body ? json_loads(body, 0, NULL) : NULL;

	free(body);
	return j;
}

static const char *str_at(json_t *o, const char *path)
{
	char key[64];
	const char *dot;

	while ((dot = strchr(path, '.'))) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		o = json_object_get(o, key);
		path = dot + 1;
	}
	return json_string_value(json_object_get(o, path));
}

static void request_bodies(void)
{
	struct tt_ddb_value *values = NULL, *key = NULL;
	struct tt_kv names[] = {{"#s", "status"}};
	struct tt_err err;
	struct tt_ddb_read rd;
	json_t *j;
	const char *vals = "{\":s\":\"new\",\":n\":12345678901234567890.123}";

	tt_ddb_value_parse_plain(vals, strlen(vals), &values, &err);
	memset(&rd, 0, sizeof(rd));
	rd.table = "Feedback";
	rd.index = "ByStatus";
	rd.key_condition = "#s = :s";
	rd.filter = "rating > :n";
	rd.projection = "feedbackId, #s";
	rd.names = names;
	rd.nnames = 1;
	rd.values = values;
	rd.start_key = "{\"feedbackId\":{\"S\":\"fb-9\"},\"createdAt\":{\"S\":\"2026\"}}";
	rd.limit = 25;
	rd.descending = true;
	j = body_json(tt_ddb_read_body(&rd, true, &err));
	tap_ok(j != NULL, "Query body is JSON");
	tap_ok(strcmp(str_at(j, "TableName"), "Feedback") == 0 &&
	           strcmp(str_at(j, "IndexName"), "ByStatus") == 0 &&
	           strcmp(str_at(j, "KeyConditionExpression"), "#s = :s") == 0 &&
	           strcmp(str_at(j, "FilterExpression"), "rating > :n") == 0 &&
	           strcmp(str_at(j, "ProjectionExpression"), "feedbackId, #s") == 0,
	       "Query body: table, index, expressions");
	tap_str_eq(str_at(j, "ExpressionAttributeNames.#s"), "status", "Query body: names");
	tap_str_eq(str_at(j, "ExpressionAttributeValues.:n.N"), "12345678901234567890.123",
		   "Query body: the big number travels as its text");
	tap_str_eq(str_at(j, "ExclusiveStartKey.feedbackId.S"), "fb-9", "Query body: ExclusiveStartKey");
	tap_ok(json_integer_value(json_object_get(j, "Limit")) == 25 &&
	           json_is_false(json_object_get(j, "ScanIndexForward")) && !json_object_get(j, "Segment"),
	       "Query body: Limit, ScanIndexForward false, no Segment");
	json_decref(j);

	memset(&rd, 0, sizeof(rd));
	rd.table = "Feedback";
	rd.segment = 1;
	rd.total_segments = 4;
	rd.consistent = true;
	rd.key_condition = "ignored for a Scan";
	j = body_json(tt_ddb_read_body(&rd, false, &err));
	tap_str_eq(str_at(j, "ReturnConsumedCapacity"), "TOTAL", "Scan body: asks for the consumed capacity");
	tap_ok(json_object_size(j) == 5 && json_integer_value(json_object_get(j, "Segment")) == 1 &&
		       json_integer_value(json_object_get(j, "TotalSegments")) == 4 &&
		       json_is_true(json_object_get(j, "ConsistentRead")),
	       "Scan body: only table, segments, ConsistentRead and ReturnConsumedCapacity");
	json_decref(j);

	rd.start_key = "{\"k\":{\"S\":";
	tap_ok(tt_ddb_read_body(&rd, false, &err) == NULL && err.kind == TT_ERR_USAGE &&
		       strstr(err.message, "start key: line 1"),
	       "a broken start key is a usage error with its position");
	rd.start_key = NULL;
	rd.table = "bad\xff";
	tap_ok(tt_ddb_read_body(&rd, false, &err) == NULL &&
	           strstr(err.message, "TableName is not valid UTF-8"),
	       "a table name that is not UTF-8 is refused");

	tt_ddb_value_parse_plain("{\"feedbackId\":\"fb-1\",\"createdAt\":\"x\"}", 37, &key, &err);
	struct tt_ddb_get g = {"Feedback", key, "a, #s", names, 1, true, TT_DDB_PLAIN};
	j = body_json(tt_ddb_get_body(&g, &err));
	tap_ok(strcmp(str_at(j, "Key.feedbackId.S"), "fb-1") == 0 &&
	           strcmp(str_at(j, "ProjectionExpression"), "a, #s") == 0 &&
	           json_is_true(json_object_get(j, "ConsistentRead")) &&
	           strcmp(str_at(j, "ExpressionAttributeNames.#s"), "status") == 0,
	       "GetItem body");
	json_decref(j);

	tt_ddb_value_free(&values);
	tt_ddb_value_free(&key);
}

int main(void)
{
	page();
	page_errors();
	get_item();
	table_names();
	describe();
	batch();
	crc();
	request_bodies();
	return tap_done();
}
