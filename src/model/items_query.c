/* The item browser's query by key: see tiertop/items_query.h. */
#define _GNU_SOURCE /* strcasestr */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tiertop/ddb_value.h"
#include "tiertop/err.h"
#include "tiertop/items_query.h"
#include "tiertop/utf8.h"
#include "tiertop/xalloc.h"

static bool base64_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n % 4)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=", s[i]))
			return false;
	return true;
}

/* text as an AttributeValue of the attribute's type, set in values as name. */
static int add_value(json_t *values, const char *name, const char *type, const char *text, const char *attr,
		     char *why, size_t size)
{
	char *canon;

	if (!*text) {
		snprintf(why, size, "%s: a key value cannot be empty", attr);
		return -1;
	}
	/* DynamoDB strings are UTF-8; jansson would refuse to hold the value
	 * and the condition would go out without it. */
	if (!tt_utf8_valid(text, strlen(text))) {
		snprintf(why, size, "%s: the value is not valid UTF-8", attr);
		return -1;
	}
	if (strcmp(type, "N") == 0) {
		canon = tt_ddb_number_canonical(text, strlen(text));
		if (!canon) {
			snprintf(why, size, "%s is a number: %.100s is not one", attr, text);
			return -1;
		}
		free(canon);
	} else if (strcmp(type, "B") == 0 && !base64_ok(text)) {
		snprintf(why, size, "%s is binary: type it as base64", attr);
		return -1;
	}
	json_object_set_new(values, name, json_pack("{ss}", type, text));
	return 0;
}

struct sort_cond {
	const char *op; /* "=", "<"..., "begins_with", "between" */
	char *a, *b;    /* owned */
};

/* "= V", "<= V", "begins_with V", "between A and B"; false when it is none. */
static bool parse_sort(const char *s, struct sort_cond *out)
{
	static const char *const ops[] = {"<=", ">=", "=", "<", ">", "begins_with", "between"};
	const char *rest = NULL;

	while (*s == ' ')
		s++;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]) && !rest; i++)
		if (strncmp(s, ops[i], strlen(ops[i])) == 0) {
			out->op = ops[i];
			rest = s + strlen(ops[i]);
		}
	if (!rest || (isalpha((unsigned char)out->op[0]) && *rest != ' '))
		return false;
	while (*rest == ' ')
		rest++;
	if (strcmp(out->op, "between") == 0) {
		const char *and = strcasestr(rest, " and ");
		if (!and)
			return false;
		out->a = tt_xstrndup(rest, (size_t)(and - rest));
		out->b = tt_xstrdup(and + 5);
	} else {
		out->a = tt_xstrdup(rest);
	}
	return true;
}

static char *sort_condition(const struct sort_cond *sc)
{
	if (strcmp(sc->op, "between") == 0)
		return tt_xstrdup("#pk = :pk AND #sk BETWEEN :sk AND :sk2");
	if (strcmp(sc->op, "begins_with") == 0)
		return tt_xstrdup("#pk = :pk AND begins_with(#sk, :sk)");
	return tt_xasprintf("#pk = :pk AND #sk %s :sk", sc->op);
}

static int add_sort(const struct tt_items_keyq_schema *k, const char *sort, json_t *values, struct tt_items_keyq *out,
		    char *why, size_t size)
{
	struct sort_cond sc = {0};
	int rc = -1;

	if (!k->range)
		snprintf(why, size, "there is no sort key to put a condition on");
	else if (!parse_sort(sort, &sc))
		snprintf(why, size, "not a sort key condition: %.150s", sort);
	else if (strcmp(sc.op, "begins_with") == 0 && strcmp(k->range_type, "N") == 0)
		snprintf(why, size, "begins_with needs a string or binary sort key");
	else if (add_value(values, ":sk", k->range_type, sc.a, k->range, why, size) == 0 &&
		 (!sc.b || add_value(values, ":sk2", k->range_type, sc.b, k->range, why, size) == 0)) {
		out->condition = sort_condition(&sc);
		out->names[1] = (struct tt_kv){"#sk", k->range};
		out->nnames = 2;
		rc = 0;
	}
	free(sc.a);
	free(sc.b);
	return rc;
}

int tt_items_keyq_build(const struct tt_items_keyq_schema *schema, const char *partition, const char *sort,
			struct tt_items_keyq *out, char *why, size_t size)
{
	json_t *values = json_object();
	struct tt_err err;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->names[0] = (struct tt_kv){"#pk", schema->hash};
	out->nnames = 1;
	if (add_value(values, ":pk", schema->hash_type, partition, schema->hash, why, size))
		goto done;
	if (sort && *sort) {
		if (add_sort(schema, sort, values, out, why, size))
			goto done;
	} else {
		out->condition = tt_xstrdup("#pk = :pk");
	}
	if (tt_ddb_item_from_json(values, &out->values, &err)) {
		snprintf(why, size, "%.190s", err.message);
		goto done;
	}
	rc = 0;
done:
	json_decref(values);
	if (rc)
		tt_items_keyq_clear(out);
	return rc;
}

void tt_items_keyq_clear(struct tt_items_keyq *q)
{
	free(q->condition);
	tt_ddb_value_free(&q->values);
	memset(q, 0, sizeof(*q));
}
