/* The item browser's query by key (model/items_query.c): what a person
 * types becomes a KeyConditionExpression, names and typed values, or a
 * sentence saying why not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tiertop/ddb_value.h"
#include "tiertop/items_query.h"

static const struct tt_items_keyq_schema by_day = {"day", "S", "seq", "N"};
static const struct tt_items_keyq_schema by_blob = {"id", "B", "name", "S"};
static const struct tt_items_keyq_schema hash_only = {"id", "N", NULL, NULL};

/* Builds and checks the condition and the typed values (JSON text). */
static void built(const struct tt_items_keyq_schema *k, const char *part, const char *sort, const char *cond,
		  const char *values, const char *what)
{
	struct tt_items_keyq q;
	char why[200] = "";
	char *text = NULL;
	int rc = tt_items_keyq_build(k, part, sort, &q, why, sizeof(why));

	if (rc == 0)
		text = tt_ddb_item_text(q.values, TT_DDB_TYPED);
	tap_ok(rc == 0 && strcmp(q.condition, cond) == 0 && text && strcmp(text, values) == 0, "%s: %s %s", what,
	       rc ? why : q.condition, text ? text : "");
	tap_ok(rc == 0 && q.nnames == (sort && *sort ? 2u : 1u) && strcmp(q.names[0].key, "#pk") == 0 &&
		       strcmp(q.names[0].value, k->hash) == 0 &&
		       (q.nnames == 1 || (strcmp(q.names[1].key, "#sk") == 0 && strcmp(q.names[1].value, k->range) == 0)),
	       "%s: the names", what);
	free(text);
	if (rc == 0)
		tt_items_keyq_clear(&q);
}

static void refused(const struct tt_items_keyq_schema *k, const char *part, const char *sort, const char *want,
		    const char *what)
{
	struct tt_items_keyq q;
	char why[200] = "";
	int rc = tt_items_keyq_build(k, part, sort, &q, why, sizeof(why));

	tap_ok(rc == -1 && strstr(why, want) && !q.condition && !q.values, "%s: refused (%s)", what, why);
	if (rc == 0)
		tt_items_keyq_clear(&q);
}

static void test_conditions(void)
{
	built(&by_day, "2026-12-06", NULL, "#pk = :pk", "{\":pk\":{\"S\":\"2026-12-06\"}}", "partition only");
	built(&by_day, "2026-12-06", "", "#pk = :pk", "{\":pk\":{\"S\":\"2026-12-06\"}}", "an empty sort condition");
	built(&by_day, "d", "= 7", "#pk = :pk AND #sk = :sk", "{\":pk\":{\"S\":\"d\"},\":sk\":{\"N\":\"7\"}}", "=");
	built(&by_day, "d", "<= 7", "#pk = :pk AND #sk <= :sk", "{\":pk\":{\"S\":\"d\"},\":sk\":{\"N\":\"7\"}}", "<=");
	built(&by_day, "d", ">=1e3", "#pk = :pk AND #sk >= :sk", "{\":pk\":{\"S\":\"d\"},\":sk\":{\"N\":\"1e3\"}}",
	      ">= without a space, a number with an exponent");
	built(&by_day, "d", "  < -2.5", "#pk = :pk AND #sk < :sk", "{\":pk\":{\"S\":\"d\"},\":sk\":{\"N\":\"-2.5\"}}",
	      "leading spaces");
	built(&by_day, "d", "between 1 and 9", "#pk = :pk AND #sk BETWEEN :sk AND :sk2",
	      "{\":pk\":{\"S\":\"d\"},\":sk\":{\"N\":\"1\"},\":sk2\":{\"N\":\"9\"}}", "between");
	built(&by_blob, "AAEC", "begins_with ab", "#pk = :pk AND begins_with(#sk, :sk)",
	      "{\":pk\":{\"B\":\"AAEC\"},\":sk\":{\"S\":\"ab\"}}", "begins_with on a string, a binary partition");
	built(&hash_only, "10.50", NULL, "#pk = :pk", "{\":pk\":{\"N\":\"10.50\"}}", "a number partition as typed");
}

/* A sort key may be 1,024 bytes: nothing typed is cut. */
static void test_long_values(void)
{
	char sort[700], want[900];
	const struct tt_items_keyq_schema k = {"day", "S", "name", "S"};

	memset(sort, 'x', sizeof(sort));
	memcpy(sort, "= ", 2);
	sort[sizeof(sort) - 1] = '\0';
	snprintf(want, sizeof(want), "{\":pk\":{\"S\":\"d\"},\":sk\":{\"S\":\"%s\"}}", sort + 2);
	built(&k, "d", sort, "#pk = :pk AND #sk = :sk", want, "a 697-character sort value, whole");
}

static void test_refusals(void)
{
	refused(&by_day, "", NULL, "day: a key value cannot be empty", "an empty partition");
	refused(&hash_only, "ten", NULL, "id is a number: ten is not one", "a word for a number key");
	refused(&by_blob, "not base64!", NULL, "id is binary: type it as base64", "binary not in base64");
	refused(&by_day, "d", "~ 3", "not a sort key condition: ~ 3", "an unknown operator");
	refused(&by_day, "d", "begins_with1", "not a sort key condition", "a word operator run into its value");
	refused(&by_day, "d", "between 1", "not a sort key condition", "between without and");
	refused(&by_day, "d", "begins_with 1", "begins_with needs a string or binary sort key", "begins_with on a number");
	refused(&by_day, "d", "= x", "seq is a number: x is not one", "a sort value of the wrong type");
	refused(&by_day, "d", "between 1 and y", "seq is a number: y is not one", "between's second value checked too");
	refused(&by_day, "d", "= ", "seq: a key value cannot be empty", "an empty sort value");
	refused(&hash_only, "1", "= 2", "there is no sort key", "a condition on a table without a sort key");
	refused(&by_day, "\xff", NULL, "day: the value is not valid UTF-8", "a partition value that is not UTF-8");
	refused(&by_day, "d", "= \xc3", "seq: the value is not valid UTF-8", "... nor a sort value (found by fuzz_items_query)");
}

int main(void)
{
	test_conditions();
	test_long_values();
	test_refusals();
	return tap_done();
}
