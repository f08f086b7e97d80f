/* The DynamoDB AttributeValue codec on arbitrary text, in each reader
 * (plain JSON, typed value, typed item, jansson's tree). Properties: what a
 * writer produces, the matching reader takes back, and writing that again
 * gives the same text (typed round-trips exactly; plain is a fixed point
 * after one pass). A canonical number is its own canonical form. */
#include "fuzz.h"

#include <jansson.h>

#include "tiertop/buf.h"
#include "tiertop/ddb_value.h"
#include "tiertop/err.h"

typedef int (*parse_fn)(const char *text, size_t len, struct tt_ddb_value **out, struct tt_err *err);

static int parse_plain_item(const char *text, size_t len, struct tt_ddb_value **out, struct tt_err *err)
{
	return tt_ddb_item_parse(text, len, TT_DDB_PLAIN, out, err);
}

static char *text_of(const struct tt_ddb_value *v, bool item, enum tt_ddb_format fmt)
{
	return item ? tt_ddb_item_text(v, fmt) : tt_ddb_value_text(v, fmt);
}

/* Parses text; when it is accepted, writes it in fmt, reads that back with
 * reparse (the reader of fmt) and checks that writing again changes
 * nothing. */
static void round_trip(const char *what, parse_fn parse, parse_fn reparse, bool item, enum tt_ddb_format fmt,
		       const char *text, size_t len)
{
	struct tt_ddb_value *v = NULL, *again = NULL;
	struct tt_err err;
	char *first, *second;

	if (parse(text, len, &v, &err) != 0) {
		if (v)
			fuzz_fail("%s: failed but returned a tree", what);
		return;
	}
	first = text_of(v, item, fmt);
	if (strchr(first, '\n'))
		fuzz_fail("%s: the writer put a raw newline in \"%s\"", what, first);
	if (reparse(first, strlen(first), &again, &err) != 0)
		fuzz_fail("%s: cannot read back its own output \"%s\": %s", what, first, err.message);
	second = text_of(again, item, fmt);
	if (strcmp(first, second) != 0)
		fuzz_fail("%s: \"%s\" came back as \"%s\"", what, first, second);
	free(first);
	free(second);
	tt_ddb_value_free(&again);
	tt_ddb_value_free(&v);
	if (v)
		fuzz_fail("tt_ddb_value_free left the pointer set");
}

/* jansson's tree in, tt_ddb_value_to_json out, and the tree again. */
static void from_json(const char *text, size_t len)
{
	json_t *doc = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	struct tt_ddb_value *v = NULL, *again = NULL;
	struct tt_err err;
	json_t *out;
	char *first, *second;

	if (!doc)
		return;
	if (tt_ddb_value_from_json(doc, &v, &err) == 0) {
		out = tt_ddb_value_to_json(v);
		if (tt_ddb_value_from_json(out, &again, &err) != 0)
			fuzz_fail("tt_ddb_value_to_json wrote what tt_ddb_value_from_json refuses: %s", err.message);
		first = tt_ddb_value_text(v, TT_DDB_TYPED);
		second = tt_ddb_value_text(again, TT_DDB_TYPED);
		if (strcmp(first, second) != 0)
			fuzz_fail("jansson round trip: \"%s\" came back as \"%s\"", first, second);
		free(first);
		free(second);
		json_decref(out);
		tt_ddb_value_free(&again);
		tt_ddb_value_free(&v);
	}
	if (tt_ddb_item_from_json(doc, &v, &err) == 0) {
		out = tt_ddb_item_to_json(v);
		json_decref(out);
		tt_ddb_value_free(&v);
	}
	json_decref(doc);
}

static void number(const char *text, size_t len)
{
	char *canon = tt_ddb_number_canonical(text, len);
	char *twice;

	if (!canon)
		return;
	twice = tt_ddb_number_canonical(canon, strlen(canon));
	if (!twice || strcmp(canon, twice) != 0)
		fuzz_fail("canonical number \"%s\" is not its own canonical form (\"%s\")", canon,
			  twice ? twice : "(null)");
	free(twice);
	free(canon);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	char *s = fuzz_str(data, size);

	round_trip("plain value", tt_ddb_value_parse_plain, tt_ddb_value_parse_plain, false, TT_DDB_PLAIN, text,
		   size);
	round_trip("plain value to typed", tt_ddb_value_parse_plain, tt_ddb_value_parse_typed, false, TT_DDB_TYPED,
		   text, size);
	round_trip("typed value", tt_ddb_value_parse_typed, tt_ddb_value_parse_typed, false, TT_DDB_TYPED, text,
		   size);
	round_trip("typed item", tt_ddb_item_parse_typed, tt_ddb_item_parse_typed, true, TT_DDB_TYPED, text, size);
	round_trip("plain item", parse_plain_item, parse_plain_item, true, TT_DDB_PLAIN, text, size);
	round_trip("typed item to plain", tt_ddb_item_parse_typed, parse_plain_item, true, TT_DDB_PLAIN, text,
		   size);
	from_json(text, size);
	number(text, size);
	(void)tt_ddb_json_number_ok(s);
	free(s);
	return 0;
}
