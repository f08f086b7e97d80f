/* Private to the DynamoDB files (ddb_*.c, svc_dynamodb.c). */
#ifndef TIERTOP_DDB_INTERNAL_H
#define TIERTOP_DDB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "tiertop/aws.h"
#include "tiertop/buf.h"
#include "tiertop/ddb_value.h"
#include "tiertop/svc_dynamodb.h"

struct json_t;

/* Deeper than any item DynamoDB stores (32 levels), shallow enough that the
 * recursive parsers and writers cannot exhaust the stack. */
#define TT_DDB_MAX_DEPTH 64

/* Appends a zeroed kid to a container (M, L or set) and returns it; name
 * (len bytes, no NUL inside) is copied for an M. The pointer stays valid
 * until the next kid is added to the same parent. */
struct tt_ddb_value *tt_ddb_kid_add(struct tt_ddb_value *parent, const char *name, size_t name_len);
/* Frees what v holds, not v itself. */
void tt_ddb_value_clear(struct tt_ddb_value *v);
/* Sets str/len to a copy of s[0..len). */
void tt_ddb_value_set_str(struct tt_ddb_value *v, const char *s, size_t len);

/* Decimal text DynamoDB may accept or send: optional sign, digits with at
 * most one '.', an optional exponent. Wider than JSON ("+5", ".5", "05"). */
int tt_ddb_number_text_ok(const char *s, size_t len);

/* --- the service (svc_dynamodb.c, ddb_read.c, ddb_parse.c) --------------- */

/* One DynamoDB operation in flight. Operations embed it as their first
 * member and free the whole with tt_ddb_call_free. */
struct tt_ddb_call;
/* Runs once per answer: resp on success (CRC checked), err otherwise. It
 * must either resubmit the call or deliver a result and free the call. */
typedef void (*tt_ddb_answer_fn)(struct tt_ddb_call *call, const struct tt_http_resp *resp,
				 const struct tt_err *err);

struct tt_ddb_call {
	struct tt_aws aws;          /* a copy; what it points to is borrowed */
	const char *op;             /* "Scan" */
	char *label;                /* "dynamodb Scan (table T)" for logs and errors */
	char *body;                 /* the JSON request, kept for resubmission */
	int crc_failures;
	long delay_ms;              /* the next submit waits this long, then it is reset */
	tt_ddb_answer_fn answer;
};

/* BatchGetItem's wait before asking again for keys DynamoDB left
 * unprocessed, after that many rounds in a row without progress (0: none). */
long tt_ddb_batch_backoff_ms(int stalls);

/* Fills the common part; body is taken over. */
void tt_ddb_call_init(struct tt_ddb_call *call, const struct tt_aws *aws, const char *op, const char *table,
		      char *body, tt_ddb_answer_fn answer);
/* Sends call->body. On -1 nothing was sent and the caller still owns call. */
int tt_ddb_call_submit(struct tt_ddb_call *call, struct tt_err *err);
void tt_ddb_call_free(struct tt_ddb_call **call);

/* 0 when x-amz-crc32 is absent or matches the body; -1 (TT_ERR_NETWORK)
 * when it does not. */
int tt_ddb_check_crc32(const struct tt_http_resp *resp, struct tt_err *err);

/* Request bodies (compact JSON, the caller frees). -1 with TT_ERR_USAGE
 * when an input cannot be sent (not UTF-8, a bad start key). */
char *tt_ddb_read_body(const struct tt_ddb_read *in, bool query, struct tt_err *err);
char *tt_ddb_get_body(const struct tt_ddb_get *in, struct tt_err *err);
/* Sets o[key] = value as a JSON string; -1 when value is not UTF-8. */
int tt_ddb_set_string(struct json_t *o, const char *key, const char *value, struct tt_err *err);
/* ExpressionAttributeNames, ProjectionExpression and ConsistentRead, which
 * reads of every kind share. */
int tt_ddb_set_read_options(struct json_t *o, const char *projection, const struct tt_kv *names,
			    size_t nnames, bool consistent, struct tt_err *err);

/* A page being built: items as JSON Lines. */
struct tt_ddb_page_buf {
	struct tt_buf items;
	size_t nitems;
	long scanned;
	char *last_key;
	double consumed; /* ConsumedCapacity.CapacityUnits summed; < 0 when none came */
};
void tt_ddb_page_buf_init(struct tt_ddb_page_buf *p);
void tt_ddb_page_buf_clear(struct tt_ddb_page_buf *p);
/* Appends one item (a typed attribute map) as a line. */
int tt_ddb_page_add_item(struct tt_ddb_page_buf *p, struct json_t *item, enum tt_ddb_format fmt,
			 struct tt_err *err);

/* Answers to structs. Errors are TT_ERR_AWS: the answer was not what
 * DynamoDB sends. */
struct json_t *tt_ddb_parse_answer(const char *body, size_t len, const char *op, struct tt_err *err);
int tt_ddb_parse_page(const char *body, size_t len, enum tt_ddb_format fmt, struct tt_ddb_page_buf *out,
		      struct tt_err *err);
/* *item is NULL when the answer has no Item. */
int tt_ddb_parse_item(const char *body, size_t len, enum tt_ddb_format fmt, char **item, struct tt_err *err);
/* Appends names to *names (n of them); *last gets LastEvaluatedTableName or NULL. */
int tt_ddb_parse_table_names(const char *body, size_t len, char ***names, size_t *n, char **last,
			     struct tt_err *err);
int tt_ddb_parse_table(const char *body, size_t len, struct tt_ddb_table **out, struct tt_err *err);
/* BatchGetItem: table's found items go to out; *unprocessed gets the keys
 * to send again (a JSON array, possibly empty, the caller decrefs). */
int tt_ddb_parse_batch(const char *body, size_t len, const char *table, enum tt_ddb_format fmt,
		       struct tt_ddb_page_buf *out, struct json_t **unprocessed, struct tt_err *err);

#endif
