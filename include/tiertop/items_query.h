/* A query by key as a person types it, turned into what DynamoDB's Query
 * takes: the partition key's value, and optionally a condition on the sort
 * key ("= V", "< V", "<= V", "> V", ">= V", "begins_with V", "between A and
 * B"), each value typed as the key attribute is (S, N or B). The item
 * browser's query form builds its request here; nothing is sent.
 *
 * Ownership: tt_items_keyq_build fills a struct the caller owns and clears
 * with tt_items_keyq_clear: the condition and the values are its own; the
 * names point into the attribute names given, which must outlive it. */
#ifndef TIERTOP_ITEMS_QUERY_H
#define TIERTOP_ITEMS_QUERY_H

#include <stddef.h>

#include "tiertop/sigv4.h" /* struct tt_kv */

struct tt_ddb_value;

/* The key attributes: names and their types ("S", "N", "B"); range NULL
 * when the table or index has no sort key. */
struct tt_items_keyq_schema {
	const char *hash, *hash_type;
	const char *range, *range_type;
};

struct tt_items_keyq {
	char *condition;             /* "#pk = :pk AND #sk BETWEEN :sk AND :sk2" */
	struct tt_kv names[2];       /* #pk, then #sk when there is a sort condition */
	size_t nnames;
	struct tt_ddb_value *values; /* :pk, :sk, :sk2 (an M) */
};

/* 0, or -1 with why (a sentence for the user: an empty or mistyped value, a
 * condition that is none of the above, begins_with on a number) and *out
 * left empty. sort NULL or "" = the partition only. Values are taken whole,
 * however long. */
int tt_items_keyq_build(const struct tt_items_keyq_schema *schema, const char *partition, const char *sort,
			struct tt_items_keyq *out, char *why, size_t size);
void tt_items_keyq_clear(struct tt_items_keyq *q);

#endif
