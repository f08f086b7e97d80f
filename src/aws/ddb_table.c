/* DescribeTable's answer as a struct tt_ddb_table. Missing fields stay
 * zero or NULL: DynamoDB leaves out what does not apply (no billing mode
 * summary on tables created before on-demand existed, no stream ARN when
 * streams are off). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ddb_internal.h"
#include "tiertop/err.h"
#include "tiertop/xalloc.h"

static char *dup_string(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? tt_xstrdup(s) : NULL;
}

static long long number(json_t *o, const char *key)
{
	json_t *j = json_object_get(o, key);

	/* Out of long long's range the cast is undefined: 0, as when absent. */
	return json_is_number(j) && json_number_value(j) > -9e18 && json_number_value(j) < 9e18
		       ? (long long)json_number_value(j)
		       : 0;
}

static long long integer(json_t *o, const char *key)
{
	json_t *j = json_object_get(o, key);

	return json_is_integer(j) ? json_integer_value(j) : number(o, key);
}

static void key_schema(json_t *list, struct tt_ddb_key_schema *key)
{
	size_t i;
	json_t *e;

	json_array_foreach(list, i, e) {
		const char *type = json_string_value(json_object_get(e, "KeyType"));
		char **slot = type && strcmp(type, "RANGE") == 0 ? &key->range : &key->hash;
		if (!*slot)
			*slot = dup_string(e, "AttributeName");
	}
}

static void throughput(json_t *o, long long *rcu, long long *wcu)
{
	json_t *pt = json_object_get(o, "ProvisionedThroughput");

	*rcu = integer(pt, "ReadCapacityUnits");
	*wcu = integer(pt, "WriteCapacityUnits");
}

static void indexes(json_t *list, struct tt_ddb_index **out, size_t *n, bool global)
{
	size_t i;
	json_t *e;

	*out = tt_xcalloc(json_array_size(list) + 1, sizeof(**out));
	json_array_foreach(list, i, e) {
		struct tt_ddb_index *x = &(*out)[(*n)++];
		x->name = dup_string(e, "IndexName");
		key_schema(json_object_get(e, "KeySchema"), &x->key);
		x->projection = dup_string(json_object_get(e, "Projection"), "ProjectionType");
		if (global) {
			x->status = dup_string(e, "IndexStatus");
			throughput(e, &x->rcu, &x->wcu);
		}
		x->item_count = integer(e, "ItemCount");
		x->size_bytes = integer(e, "IndexSizeBytes");
	}
}

static void attr_defs(json_t *list, struct tt_ddb_table *t)
{
	size_t i;
	json_t *e;

	t->attrs = tt_xcalloc(json_array_size(list) + 1, sizeof(*t->attrs));
	json_array_foreach(list, i, e) {
		const char *name = json_string_value(json_object_get(e, "AttributeName"));
		const char *type = json_string_value(json_object_get(e, "AttributeType"));
		if (!name || !type)
			continue;
		t->attrs[t->nattrs].name = tt_xstrdup(name);
		t->attrs[t->nattrs].type = tt_xstrdup(type);
		t->nattrs++;
	}
}

static void fill(json_t *o, struct tt_ddb_table *t)
{
	json_t *stream = json_object_get(o, "StreamSpecification");
	json_t *billing = json_object_get(o, "BillingModeSummary");

	t->name = dup_string(o, "TableName");
	t->arn = dup_string(o, "TableArn");
	t->status = dup_string(o, "TableStatus");
	t->billing_mode = dup_string(billing, "BillingMode");
	if (!t->billing_mode)
		t->billing_mode = tt_xstrdup("PROVISIONED");
	key_schema(json_object_get(o, "KeySchema"), &t->key);
	attr_defs(json_object_get(o, "AttributeDefinitions"), t);
	throughput(o, &t->rcu, &t->wcu);
	t->item_count = integer(o, "ItemCount");
	t->size_bytes = integer(o, "TableSizeBytes");
	t->created = json_number_value(json_object_get(o, "CreationDateTime"));
	if (json_is_true(json_object_get(stream, "StreamEnabled"))) {
		t->stream_arn = dup_string(o, "LatestStreamArn");
		t->stream_view = dup_string(stream, "StreamViewType");
	}
	t->deletion_protection = json_is_true(json_object_get(o, "DeletionProtectionEnabled"));
	indexes(json_object_get(o, "GlobalSecondaryIndexes"), &t->gsis, &t->ngsis, true);
	indexes(json_object_get(o, "LocalSecondaryIndexes"), &t->lsis, &t->nlsis, false);
}

int tt_ddb_parse_table(const char *body, size_t len, struct tt_ddb_table **out, struct tt_err *err)
{
	json_t *root = tt_ddb_parse_answer(body, len, "DescribeTable", err);
	json_t *o;

	*out = NULL;
	if (!root)
		return -1;
	o = json_object_get(root, "Table");
	if (!json_is_object(o) || !json_is_string(json_object_get(o, "TableName"))) {
		json_decref(root);
		return tt_err_set(err, TT_ERR_AWS, "DynamoDB DescribeTable answer lacks Table.TableName");
	}
	*out = tt_xcalloc(1, sizeof(**out));
	fill(o, *out);
	json_decref(root);
	return 0;
}

static void free_key(struct tt_ddb_key_schema *k)
{
	free(k->hash);
	free(k->range);
}

static void free_indexes(struct tt_ddb_index *x, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(x[i].name);
		free_key(&x[i].key);
		free(x[i].projection);
		free(x[i].status);
	}
	free(x);
}

void tt_ddb_table_free(struct tt_ddb_table **tp)
{
	struct tt_ddb_table *t = *tp;

	if (!t)
		return;
	free(t->name);
	free(t->arn);
	free(t->status);
	free(t->billing_mode);
	free_key(&t->key);
	for (size_t i = 0; i < t->nattrs; i++) {
		free(t->attrs[i].name);
		free(t->attrs[i].type);
	}
	free(t->attrs);
	free(t->stream_arn);
	free(t->stream_view);
	free_indexes(t->gsis, t->ngsis);
	free_indexes(t->lsis, t->nlsis);
	free(t);
	*tp = NULL;
}

const char *tt_ddb_table_attr_type(const struct tt_ddb_table *t, const char *attr)
{
	for (size_t i = 0; attr && i < t->nattrs; i++)
		if (strcmp(t->attrs[i].name, attr) == 0)
			return t->attrs[i].type;
	return NULL;
}
