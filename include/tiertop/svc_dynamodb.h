/* Amazon DynamoDB (awsJson1_0: POST /, X-Amz-Target DynamoDB_20120810.<Op>).
 *
 * Answers are parsed here into plain structs and text; nothing above this
 * layer sees a json_t. Items travel up already written as JSON (plain or
 * typed, see ddb_value.h), one item per line, so a caller can stream a whole
 * table one page (at most 1 MB of data) at a time.
 *
 * Every answer's x-amz-crc32 header, when present, is checked against the
 * body. The CRC covers the bytes as sent, i.e. the compressed bytes when the
 * answer is gzip-encoded (aws-sdk-go-v2 service/dynamodb/internal/
 * customizations); curl hands us decoded bytes, so DynamoDB requests ask for
 * Accept-Encoding: identity, as botocore does. A mismatch is retried twice,
 * then reported as TT_ERR_NETWORK.
 *
 * Ownership: input structs and the strings and values they point to are
 * read during the call only. Each call reports exactly once through its
 * callback when it returned 0, and never when it returned -1 (err filled).
 * What a callback receives is borrowed for the callback's duration, except
 * the struct tt_ddb_table of tt_ddb_describe_table, which is handed over. */
#ifndef TIERTOP_SVC_DYNAMODB_H
#define TIERTOP_SVC_DYNAMODB_H

#include <stdbool.h>
#include <stddef.h>

#include "tiertop/aws.h"
#include "tiertop/ddb_value.h"

struct tt_kv;

/* --- tables -------------------------------------------------------------- */

struct tt_ddb_key_schema {
	char *hash;                 /* partition key attribute */
	char *range;                /* sort key attribute, NULL when there is none */
};

struct tt_ddb_attr_def {
	char *name;
	char *type;                 /* "S", "N" or "B" */
};

struct tt_ddb_index {
	char *name;
	struct tt_ddb_key_schema key;
	char *projection;           /* "ALL", "KEYS_ONLY", "INCLUDE" */
	char *status;               /* GSIs: "ACTIVE", "CREATING"...; NULL for LSIs */
	long long rcu, wcu;         /* provisioned GSIs; 0 otherwise */
	long long item_count, size_bytes;
};

struct tt_ddb_table {
	char *name;
	char *arn;
	char *status;               /* "ACTIVE", "CREATING", "UPDATING", "DELETING"... */
	char *billing_mode;         /* "PROVISIONED" or "PAY_PER_REQUEST" */
	struct tt_ddb_key_schema key;
	struct tt_ddb_attr_def *attrs;
	size_t nattrs;
	long long rcu, wcu;         /* provisioned throughput; 0 on on-demand tables */
	long long item_count;       /* DynamoDB refreshes these about every 6 hours */
	long long size_bytes;
	double created;             /* epoch seconds; 0 when not given */
	char *stream_arn;           /* latest stream, NULL when streams are off */
	char *stream_view;          /* "NEW_AND_OLD_IMAGES"...; NULL when off */
	bool deletion_protection;
	struct tt_ddb_index *gsis;
	size_t ngsis;
	struct tt_ddb_index *lsis;
	size_t nlsis;
};

void tt_ddb_table_free(struct tt_ddb_table **t);
/* "S", "N" or "B" for a key attribute, from the attribute definitions; NULL
 * when the table does not define it. Borrowed from t. */
const char *tt_ddb_table_attr_type(const struct tt_ddb_table *t, const char *attr);

typedef void (*tt_ddb_table_fn)(void *ctx, struct tt_ddb_table *table, const struct tt_err *err);
/* The callback owns table (free it with tt_ddb_table_free); NULL on error. */
int tt_ddb_describe_table(const struct tt_aws *aws, const char *table, tt_ddb_table_fn done, void *ctx,
			  struct tt_err *err);

/* Every table name in the region, all ListTables pages, in DynamoDB's
 * (alphabetical) order. */
typedef void (*tt_ddb_names_fn)(void *ctx, const char *const *names, size_t n, const struct tt_err *err);
int tt_ddb_list_tables(const struct tt_aws *aws, tt_ddb_names_fn done, void *ctx, struct tt_err *err);

/* --- reading items --------------------------------------------------------- */

struct tt_ddb_read {
	const char *table;
	const char *index;              /* IndexName, or NULL for the table */
	const char *key_condition;      /* KeyConditionExpression: Query only, required there */
	const char *filter;             /* FilterExpression */
	const char *projection;         /* ProjectionExpression */
	const struct tt_kv *names;      /* ExpressionAttributeNames: "#n" -> name */
	size_t nnames;
	const struct tt_ddb_value *values; /* ExpressionAttributeValues: an M of ":v" -> value */
	const char *start_key;          /* ExclusiveStartKey: a page's last_key (typed JSON) */
	long limit;                     /* Limit (items evaluated, before the filter); 0 = none */
	bool descending;                /* Query: ScanIndexForward = false */
	bool consistent;                /* ConsistentRead */
	int segment, total_segments;    /* parallel Scan when total_segments > 0 */
	enum tt_ddb_format format;      /* how items are written */
};

/* One page. A page may hold no item and still have a last_key (the filter
 * dropped everything, or the 1 MB of data read were all filtered): keep
 * going until last_key is NULL. */
struct tt_ddb_page {
	const char *items;              /* JSON Lines: nitems lines, each ending in '\n'; an item
					 * never holds a raw newline, control characters are escaped */
	size_t items_len;
	size_t nitems;
	long scanned;                   /* ScannedCount: items read before the filter */
	const char *last_key;           /* LastEvaluatedKey as typed JSON, NULL after the last page */
	double consumed;                /* ConsumedCapacity.CapacityUnits (every request asks for
					 * TOTAL; BatchGetItem: summed over its rounds); < 0 when
					 * DynamoDB did not say */
};

typedef void (*tt_ddb_page_fn)(void *ctx, const struct tt_ddb_page *page, const struct tt_err *err);

int tt_ddb_scan(const struct tt_aws *aws, const struct tt_ddb_read *in, tt_ddb_page_fn done, void *ctx,
		struct tt_err *err);
int tt_ddb_query(const struct tt_aws *aws, const struct tt_ddb_read *in, tt_ddb_page_fn done, void *ctx,
		 struct tt_err *err);

struct tt_ddb_get {
	const char *table;
	const struct tt_ddb_value *key;  /* an M with the key attributes */
	const char *projection;
	const struct tt_kv *names;
	size_t nnames;
	bool consistent;
	enum tt_ddb_format format;
};

/* item is one line of JSON without the newline, or NULL (with err NULL)
 * when the table has no item with that key. */
typedef void (*tt_ddb_item_fn)(void *ctx, const char *item, const struct tt_err *err);
int tt_ddb_get_item(const struct tt_aws *aws, const struct tt_ddb_get *in, tt_ddb_item_fn done, void *ctx,
		    struct tt_err *err);

/* Any number of distinct keys of one table (DynamoDB refuses a batch that
 * holds a key twice): sent 100 at a time; UnprocessedKeys are sent again
 * after a pause of 50 ms that doubles with each round in a row that made no
 * progress (at most 2 s), and after 8 such rounds the call fails. The
 * callback runs once, with every found item in one page (in no particular
 * order; last_key NULL); keys that match no item are left out. */
struct tt_ddb_batch_get {
	const char *table;
	const struct tt_ddb_value *const *keys;
	size_t nkeys;
	const char *projection;
	const struct tt_kv *names;
	size_t nnames;
	bool consistent;
	enum tt_ddb_format format;
};
int tt_ddb_batch_get(const struct tt_aws *aws, const struct tt_ddb_batch_get *in, tt_ddb_page_fn done,
		     void *ctx, struct tt_err *err);

#endif
