/* DynamoDB's answer parsers on arbitrary text: pages of items in both
 * output dialects, GetItem, ListTables, DescribeTable and BatchGetItem. The
 * first byte picks the parser and the dialect; the rest is the answer.
 * Property: a page's items are one line each. */
#include "fuzz.h"

#include <jansson.h>

#include "../../src/aws/ddb_internal.h"
#include "tiertop/err.h"

static void check_lines(const struct tt_ddb_page_buf *p)
{
	size_t lines = 0;

	for (size_t i = 0; i < p->items.len; i++)
		if (p->items.data[i] == '\n')
			lines++;
	if (lines != p->nitems)
		fuzz_fail("%zu items in %zu lines", p->nitems, lines);
}

static void page(const char *body, size_t len, enum tt_ddb_format fmt)
{
	struct tt_ddb_page_buf p;
	struct tt_err err;

	tt_ddb_page_buf_init(&p);
	if (tt_ddb_parse_page(body, len, fmt, &p, &err) == 0)
		check_lines(&p);
	tt_ddb_page_buf_clear(&p);
}

static void item(const char *body, size_t len, enum tt_ddb_format fmt)
{
	struct tt_err err;
	char *text = NULL;

	if (tt_ddb_parse_item(body, len, fmt, &text, &err) == 0 && text && strchr(text, '\n'))
		fuzz_fail("an item with a raw newline");
	free(text);
}

static void table_names(const char *body, size_t len, enum tt_ddb_format fmt)
{
	struct tt_err err;
	char **names = NULL, *last = NULL;
	size_t n = 0;

	(void)fmt;
	(void)tt_ddb_parse_table_names(body, len, &names, &n, &last, &err);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(last);
}

static void table(const char *body, size_t len, enum tt_ddb_format fmt)
{
	struct tt_ddb_table *t = NULL;
	struct tt_err err;

	(void)fmt;
	(void)tt_ddb_parse_table(body, len, &t, &err);
	tt_ddb_table_free(&t);
}

static void batch(const char *body, size_t len, enum tt_ddb_format fmt)
{
	struct tt_ddb_page_buf p;
	struct tt_err err;
	json_t *unprocessed = NULL;

	tt_ddb_page_buf_init(&p);
	if (tt_ddb_parse_batch(body, len, "Feedback", fmt, &p, &unprocessed, &err) == 0)
		check_lines(&p);
	json_decref(unprocessed);
	tt_ddb_page_buf_clear(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void (*const parsers[])(const char *, size_t, enum tt_ddb_format) = {
		page, item, table_names, table, batch,
	};
	size_t nparsers = sizeof(parsers) / sizeof(parsers[0]);

	if (size == 0)
		return 0;
	parsers[data[0] % nparsers]((const char *)data + 1, size - 1,
				    (data[0] / nparsers) % 2 ? TT_DDB_TYPED : TT_DDB_PLAIN);
	return 0;
}
