/* DynamoDB answers with items in them, turned into JSON Lines. An answer
 * that breaks the wire format is an AWS-side fault (TT_ERR_AWS), even where
 * the codec would call the same defect a usage error in user input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ddb_internal.h"
#include "tiertop/err.h"
#include "tiertop/xalloc.h"

json_t *tt_ddb_parse_answer(const char *body, size_t len, const char *op, struct tt_err *err)
{
	json_error_t je;
	json_t *root = json_loadb(body ? body : "", len, JSON_ALLOW_NUL, &je);

	if (!root) {
		tt_err_set(err, TT_ERR_AWS,
		           "DynamoDB %s answered with malformed JSON (line %d, column %d: %s)", op, je.line,
		           je.column, je.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		tt_err_set(err, TT_ERR_AWS, "DynamoDB %s answered with JSON that is not an object", op);
		return NULL;
	}
	return root;
}

/* The codec's verdict on a value AWS sent, re-labelled as AWS's fault. */
static int bad_value(struct tt_err *err, const char *where)
{
	err->kind = TT_ERR_AWS;
	tt_err_prefix(err, "DynamoDB sent an unreadable %s", where);
	return -1;
}

void tt_ddb_page_buf_init(struct tt_ddb_page_buf *p)
{
	memset(p, 0, sizeof(*p));
	p->consumed = -1;
	tt_buf_init(&p->items, 0);
	tt_buf_puts(&p->items, "");
}

void tt_ddb_page_buf_clear(struct tt_ddb_page_buf *p)
{
	tt_buf_clear(&p->items);
	free(p->last_key);
	memset(p, 0, sizeof(*p));
}

int tt_ddb_page_add_item(struct tt_ddb_page_buf *p, json_t *item, enum tt_ddb_format fmt, struct tt_err *err)
{
	struct tt_ddb_value *v = NULL;

	if (tt_ddb_item_from_json(item, &v, err))
		return bad_value(err, "item");
	tt_ddb_item_write(v, fmt, &p->items);
	tt_buf_putc(&p->items, '\n');
	p->nitems++;
	tt_ddb_value_free(&v);
	return 0;
}

static int add_items(struct tt_ddb_page_buf *out, json_t *items, enum tt_ddb_format fmt, struct tt_err *err)
{
	size_t i;
	json_t *item;

	if (items && !json_is_array(items))
		return tt_err_set(err, TT_ERR_AWS, "DynamoDB sent Items that are not a list");
	json_array_foreach(items, i, item)
		if (tt_ddb_page_add_item(out, item, fmt, err))
			return -1;
	return 0;
}

/* A key (LastEvaluatedKey) as typed JSON text, validated on the way. */
static int key_text(json_t *key, char **out, struct tt_err *err)
{
	struct tt_ddb_value *v = NULL;

	*out = NULL;
	if (!key || json_is_null(key))
		return 0;
	if (tt_ddb_item_from_json(key, &v, err))
		return bad_value(err, "LastEvaluatedKey");
	*out = tt_ddb_item_text(v, TT_DDB_TYPED);
	tt_ddb_value_free(&v);
	return 0;
}

/* ConsumedCapacity is one object for Scan and Query and a list (one per
 * table) for BatchGetItem; only table's units are added to *sum. */
static void add_capacity(json_t *cc, const char *table, double *sum)
{
	size_t i;
	json_t *one;

	if (json_is_object(cc)) {
		json_t *units = json_object_get(cc, "CapacityUnits");
		const char *name = json_string_value(json_object_get(cc, "TableName"));
		if (json_is_number(units) && (!table || !name || strcmp(name, table) == 0))
			*sum = (*sum < 0 ? 0 : *sum) + json_number_value(units);
		return;
	}
	json_array_foreach(cc, i, one)
		add_capacity(one, table, sum);
}

int tt_ddb_parse_page(const char *body, size_t len, enum tt_ddb_format fmt, struct tt_ddb_page_buf *out,
		      struct tt_err *err)
{
	json_t *root = tt_ddb_parse_answer(body, len, "Scan/Query", err);
	json_t *scanned;
	int rc = -1;

	if (!root)
		return -1;
	scanned = json_object_get(root, "ScannedCount");
	out->scanned = json_is_integer(scanned) ? (long)json_integer_value(scanned) : -1;
	add_capacity(json_object_get(root, "ConsumedCapacity"), NULL, &out->consumed);
	if (add_items(out, json_object_get(root, "Items"), fmt, err) == 0 &&
	    key_text(json_object_get(root, "LastEvaluatedKey"), &out->last_key, err) == 0)
		rc = 0;
	json_decref(root);
	return rc;
}

int tt_ddb_parse_item(const char *body, size_t len, enum tt_ddb_format fmt, char **item, struct tt_err *err)
{
	json_t *root = tt_ddb_parse_answer(body, len, "GetItem", err);
	json_t *j;
	struct tt_ddb_value *v = NULL;

	*item = NULL;
	if (!root)
		return -1;
	j = json_object_get(root, "Item");
	if (j && !json_is_null(j)) {
		if (tt_ddb_item_from_json(j, &v, err)) {
			json_decref(root);
			return bad_value(err, "item");
		}
		*item = tt_ddb_item_text(v, fmt);
		tt_ddb_value_free(&v);
	}
	json_decref(root);
	return 0;
}

int tt_ddb_parse_table_names(const char *body, size_t len, char ***names, size_t *n, char **last,
			     struct tt_err *err)
{
	json_t *root = tt_ddb_parse_answer(body, len, "ListTables", err);
	json_t *list, *name;
	const char *l;
	size_t i;

	*last = NULL;
	if (!root)
		return -1;
	list = json_object_get(root, "TableNames");
	if (list && !json_is_array(list)) {
		json_decref(root);
		return tt_err_set(err, TT_ERR_AWS, "DynamoDB ListTables sent TableNames that are not a list");
	}
	*names = tt_xrealloc(*names, (*n + json_array_size(list) + 1) * sizeof(**names));
	json_array_foreach(list, i, name)
		if (json_is_string(name))
			(*names)[(*n)++] = tt_xstrdup(json_string_value(name));
	l = json_string_value(json_object_get(root, "LastEvaluatedTableName"));
	if (l && *l)
		*last = tt_xstrdup(l);
	json_decref(root);
	return 0;
}

int tt_ddb_parse_batch(const char *body, size_t len, const char *table, enum tt_ddb_format fmt,
		       struct tt_ddb_page_buf *out, json_t **unprocessed, struct tt_err *err)
{
	json_t *root = tt_ddb_parse_answer(body, len, "BatchGetItem", err);
	json_t *keys;
	int rc;

	*unprocessed = NULL;
	if (!root)
		return -1;
	rc = add_items(out, json_object_get(json_object_get(root, "Responses"), table), fmt, err);
	add_capacity(json_object_get(root, "ConsumedCapacity"), table, &out->consumed);
	keys = json_object_get(json_object_get(json_object_get(root, "UnprocessedKeys"), table), "Keys");
	if (rc == 0 && keys && !json_is_array(keys))
		rc = tt_err_set(err, TT_ERR_AWS,
		                "DynamoDB BatchGetItem sent UnprocessedKeys that are not a list");
	if (rc == 0)
		*unprocessed = keys ? json_incref(keys) : json_array();
	json_decref(root);
	return rc;
}
