/* DynamoDB AttributeValues: one tree, two JSON dialects.
 *
 *   typed  (DynamoDB JSON, the wire):  {"id":{"S":"fb-1"},"n":{"N":"1.50"},"tags":{"SS":["a"]}}
 *   plain  (what people write):        {"id":"fb-1","n":1.50,"tags":["a"]}
 *
 * Numbers are decimal text from end to end and never pass through double:
 * the plain parser keeps each number's lexeme, and the writers emit N values
 * as their original text ("1.50" stays 1.50, 38 digits stay 38 digits).
 *
 * Plain JSON cannot say everything DynamoDB can, so the plain writer makes
 * two choices: sets (SS, NS, BS) become arrays, and binary (B, BS) becomes
 * base64 strings. Reading plain JSON back therefore yields L and S where the
 * table had sets and binary; the typed dialect round-trips exactly.
 *
 * Both writers escape '"', '\', the C0 and C1 control characters, DEL,
 * U+2028/U+2029 and the bidirectional controls as \uXXXX, so an item line is
 * one line of JSON with nothing in it a terminal would act on.
 *
 * Ownership: parse functions hand the caller a tree freed with
 * tt_ddb_value_free; writers append to the caller's buffer; tt_ddb_*_text
 * return a string the caller frees. Errors are TT_ERR_USAGE for input from
 * the user (with "line L, column C" for syntax errors, an attribute path for
 * type errors); the service layer re-labels them when the input came from
 * AWS. */
#ifndef TIERTOP_DDB_VALUE_H
#define TIERTOP_DDB_VALUE_H

#include <stdbool.h>
#include <stddef.h>

struct tt_buf;
struct tt_err;
struct json_t;

enum tt_ddb_type {
	TT_DDB_S,
	TT_DDB_N,
	TT_DDB_B,
	TT_DDB_BOOL,
	TT_DDB_NULL,
	TT_DDB_M,
	TT_DDB_L,
	TT_DDB_SS,
	TT_DDB_NS,
	TT_DDB_BS,
};

enum tt_ddb_format {
	TT_DDB_PLAIN,
	TT_DDB_TYPED,
};

struct tt_ddb_value {
	enum tt_ddb_type type;
	char *str;                  /* S (may hold NUL bytes), N (decimal text), B (base64) */
	size_t len;                 /* bytes in str, not counting the terminating NUL */
	bool boolean;               /* BOOL */
	struct tt_ddb_value *kids;  /* M, L; sets hold S, N or B kids */
	char **names;               /* M: the name of each kid */
	size_t n;                   /* number of kids */
};

/* "S", "N", ..., "BS": the wire name of a type. */
const char *tt_ddb_type_name(enum tt_ddb_type type);

void tt_ddb_value_free(struct tt_ddb_value **v);

/* Plain JSON text (any JSON value) to a tree: strings become S, numbers N
 * (their exact lexeme), true/false BOOL, null NULL, objects M, arrays L. */
int tt_ddb_value_parse_plain(const char *text, size_t len, struct tt_ddb_value **out, struct tt_err *err);

/* One typed AttributeValue ({"S":"x"}) as text. */
int tt_ddb_value_parse_typed(const char *text, size_t len, struct tt_ddb_value **out, struct tt_err *err);
/* A typed item or key ({"id":{"S":"x"}}): the result is an M. */
int tt_ddb_item_parse_typed(const char *text, size_t len, struct tt_ddb_value **out, struct tt_err *err);
/* An item in either dialect; it must be a JSON object (an M). */
int tt_ddb_item_parse(const char *text, size_t len, enum tt_ddb_format fmt, struct tt_ddb_value **out,
		      struct tt_err *err);

/* For the service layer, which reads answers with jansson: a typed
 * AttributeValue, or with _item an attribute map, from a parsed document.
 * The json_t stays the caller's. */
int tt_ddb_value_from_json(struct json_t *av, struct tt_ddb_value **out, struct tt_err *err);
int tt_ddb_item_from_json(struct json_t *map, struct tt_ddb_value **out, struct tt_err *err);
/* The typed wire form as a new jansson value (the caller decrefs): N stays a
 * string, so nothing is lost. For an item (an M) _item gives the bare map. */
struct json_t *tt_ddb_value_to_json(const struct tt_ddb_value *v);
struct json_t *tt_ddb_item_to_json(const struct tt_ddb_value *item);

/* Compact one-line JSON of a value, appended to out. */
void tt_ddb_value_write(const struct tt_ddb_value *v, enum tt_ddb_format fmt, struct tt_buf *out);
/* An item (an M): the plain form is the same object; the typed form is the
 * bare attribute map, without the {"M": ...} wrapper. */
void tt_ddb_item_write(const struct tt_ddb_value *item, enum tt_ddb_format fmt, struct tt_buf *out);
char *tt_ddb_value_text(const struct tt_ddb_value *v, enum tt_ddb_format fmt);
char *tt_ddb_item_text(const struct tt_ddb_value *item, enum tt_ddb_format fmt);

/* A number's one spelling, for comparing numbers by value as DynamoDB does
 * ("1", "1.0", "01", "1e0" and "+10e-1" are one number): DIGITSeEXP with no
 * leading or trailing zero in DIGITS, an optional '-', and "0" for every
 * zero. Exact decimal arithmetic on the text, never a double. NULL when s
 * is not a number; otherwise the caller frees the result. */
char *tt_ddb_number_canonical(const char *s, size_t len);

/* A value's identity as DynamoDB sees it, as bytes (*len of them; the
 * caller frees): equal for equal values whatever the spelling of their
 * numbers or the order of their map's attributes. */
char *tt_ddb_key_canonical(const struct tt_ddb_value *key, size_t *len);
/* Removes (and frees) every key equal to an earlier one, keeping the order
 * of the rest; returns how many are left. Linear in the number of keys. */
size_t tt_ddb_keys_dedupe(struct tt_ddb_value **keys, size_t n);

/* Whether text is a JSON number exactly as written (RFC 8259 grammar). */
bool tt_ddb_json_number_ok(const char *text);

#endif
