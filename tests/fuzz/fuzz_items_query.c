/* The item browser's query by key (model/items_query.c) on arbitrary typed
 * text. The first byte picks the key types (S, N or B; a sort key or none),
 * the rest is the partition value, then after a newline the sort condition.
 * Properties: a refusal says why and leaves nothing behind; an accepted
 * query's condition starts with the partition, names #sk exactly when there
 * is a sort condition, and its values are the typed text, whole. */
#include "fuzz.h"

#include <jansson.h>

#include "tiertop/ddb_value.h"
#include "tiertop/items_query.h"

static const char *const types[] = {"S", "N", "B"};

/* values[name] as {"T": "text"}: its text, or NULL. */
static const char *typed_text(json_t *values, const char *name, const char *type)
{
	return json_string_value(json_object_get(json_object_get(values, name), type));
}

static void check_accepted(const struct tt_items_keyq_schema *k, const char *part, const char *sort,
			   const struct tt_items_keyq *q)
{
	char *text = tt_ddb_item_text(q->values, TT_DDB_TYPED);
	json_t *values = text ? json_loads(text, 0, NULL) : NULL;
	const char *pk = values ? typed_text(values, ":pk", k->hash_type) : NULL;
	bool has_sort = sort && *sort;

	if (!q->condition || strncmp(q->condition, "#pk = :pk", 9) != 0)
		fuzz_fail("condition \"%s\"", q->condition ? q->condition : "(null)");
	if (!pk || strcmp(pk, part) != 0)
		fuzz_fail("partition \"%s\" became \"%s\"", part, pk ? pk : "(none)");
	if (has_sort != (q->nnames == 2) || has_sort != (strstr(q->condition, "#sk") != NULL))
		fuzz_fail("sort \"%s\": %zu names, condition \"%s\"", sort ? sort : "", q->nnames, q->condition);
	if (has_sort && !typed_text(values, ":sk", k->range_type))
		fuzz_fail("no :sk of type %s in %s", k->range_type, text);
	if ((strstr(q->condition, "BETWEEN") != NULL) != (typed_text(values, ":sk2", k->range_type) != NULL))
		fuzz_fail("BETWEEN and :sk2 disagree: %s, %s", q->condition, text);
	if (strcmp(k->hash_type, "N") == 0) {
		char *canon = tt_ddb_number_canonical(part, strlen(part));
		if (!canon)
			fuzz_fail("\"%s\" accepted as a number", part);
		free(canon);
	}
	json_decref(values);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_items_keyq_schema k = {"pk", "S", "sk", "S"};
	struct tt_items_keyq q;
	char *text, *sort, why[200] = "";

	if (size < 1)
		return 0;
	k.hash_type = types[data[0] % 3];
	k.range_type = types[(data[0] / 3) % 3];
	if ((data[0] / 9) % 2)
		k.range = k.range_type = NULL;
	text = fuzz_str(data + 1, size - 1);
	sort = strchr(text, '\n');
	if (sort)
		*sort++ = '\0';
	if (tt_items_keyq_build(&k, text, sort, &q, why, sizeof(why)) == 0) {
		check_accepted(&k, text, sort, &q);
		tt_items_keyq_clear(&q);
	} else if (!why[0] || q.condition || q.values || q.nnames) {
		fuzz_fail("a refusal without a reason, or with something left behind (\"%s\")", why);
	}
	free(text);
	return 0;
}
