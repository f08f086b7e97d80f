/* The AttributeValue tree, and the typed (wire) dialect through jansson.
 * Typed JSON carries numbers as strings, so jansson loses nothing here; only
 * plain JSON needs our own parser (ddb_plain.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ddb_internal.h"
#include "tiertop/err.h"
#include "tiertop/strindex.h"
#include "tiertop/xalloc.h"

static const char *const type_names[] = {
	[TT_DDB_S] = "S",   [TT_DDB_N] = "N",   [TT_DDB_B] = "B",   [TT_DDB_BOOL] = "BOOL",
	[TT_DDB_NULL] = "NULL", [TT_DDB_M] = "M", [TT_DDB_L] = "L", [TT_DDB_SS] = "SS",
	[TT_DDB_NS] = "NS", [TT_DDB_BS] = "BS",
};

#define NTYPES (sizeof(type_names) / sizeof(type_names[0]))

const char *tt_ddb_type_name(enum tt_ddb_type type)
{
	return (size_t)type < NTYPES ? type_names[type] : "?";
}

void tt_ddb_value_clear(struct tt_ddb_value *v)
{
	for (size_t i = 0; i < v->n; i++) {
		tt_ddb_value_clear(&v->kids[i]);
		if (v->names)
			free(v->names[i]);
	}
	free(v->kids);
	free(v->names);
	free(v->str);
	memset(v, 0, sizeof(*v));
}

void tt_ddb_value_free(struct tt_ddb_value **v)
{
	if (!*v)
		return;
	tt_ddb_value_clear(*v);
	free(*v);
	*v = NULL;
}

void tt_ddb_value_set_str(struct tt_ddb_value *v, const char *s, size_t len)
{
	free(v->str);
	v->str = tt_xmalloc(len + 1);
	memcpy(v->str, s, len);
	v->str[len] = '\0';
	v->len = len;
}

struct tt_ddb_value *tt_ddb_kid_add(struct tt_ddb_value *parent, const char *name, size_t name_len)
{
	struct tt_ddb_value *kid;

	/* Capacity doubles at every power of two, so it never needs storing. */
	if ((parent->n & (parent->n - 1)) == 0) {
		size_t cap = parent->n ? parent->n * 2 : 1;
		parent->kids = tt_xrealloc(parent->kids, cap * sizeof(*parent->kids));
		if (parent->type == TT_DDB_M)
			parent->names = tt_xrealloc(parent->names, cap * sizeof(*parent->names));
	}
	kid = &parent->kids[parent->n];
	memset(kid, 0, sizeof(*kid));
	if (parent->type == TT_DDB_M)
		parent->names[parent->n] = tt_xstrndup(name, name_len);
	parent->n++;
	return kid;
}

int tt_ddb_number_text_ok(const char *s, size_t len)
{
	size_t i = 0, digits = 0;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (digits == 0)
		return 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t exp = 0;
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			exp++;
		if (exp == 0)
			return 0;
	}
	return i == len;
}

/* Saturates: DynamoDB's exponents stay within +-130, so a bigger one only
 * has to stay big, not exact. The final exponent is clamped too, so that a
 * canonical form read again gives itself. */
#define CANON_EXP_LIMIT 1000000000LL

char *tt_ddb_number_canonical(const char *s, size_t len)
{
	struct tt_buf b;
	size_t i = 0, first, last;
	long long exp = 0, frac = 0;
	bool negative = false;
	char *digits;
	size_t nd = 0;

	if (!s || !tt_ddb_number_text_ok(s, len))
		return NULL;
	digits = tt_xmalloc(len + 1);
	if (s[i] == '+' || s[i] == '-')
		negative = s[i++] == '-';
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		digits[nd++] = s[i];
	if (i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, frac++)
			digits[nd++] = s[i];
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		bool exp_negative = false;
		i++;
		if (s[i] == '+' || s[i] == '-')
			exp_negative = s[i++] == '-';
		for (; i < len; i++)
			if (exp < CANON_EXP_LIMIT)
				exp = exp * 10 + (s[i] - '0');
		if (exp_negative)
			exp = -exp;
	}
	for (first = 0; first < nd && digits[first] == '0'; first++)
		continue;
	if (first == nd) {
		free(digits);
		return tt_xstrdup("0"); /* -0, 0.00, 0e5: all one zero */
	}
	for (last = nd; digits[last - 1] == '0'; last--)
		exp++;
	exp -= frac;
	if (exp > CANON_EXP_LIMIT)
		exp = CANON_EXP_LIMIT;
	else if (exp < -CANON_EXP_LIMIT)
		exp = -CANON_EXP_LIMIT;
	tt_buf_init(&b, 0);
	if (negative)
		tt_buf_putc(&b, '-');
	tt_buf_append(&b, digits + first, last - first);
	tt_buf_printf(&b, "e%lld", exp);
	free(digits);
	return tt_buf_steal(&b);
}

/* --- typed JSON (jansson) to the tree ------------------------------------ */

/* Where in the value an error is: "tags[2].name". Cut, never overflowed. */
struct path {
	char text[256];
	size_t len;
};

static void path_grew(struct path *p, int n)
{
	size_t room = sizeof(p->text) - p->len;

	if (n > 0)
		p->len += (size_t)n < room ? (size_t)n : room - 1;
}

static size_t path_push_name(struct path *p, const char *name)
{
	size_t before = p->len;

	path_grew(p, snprintf(p->text + p->len, sizeof(p->text) - p->len, before ? ".%s" : "%s", name));
	return before;
}

static size_t path_push_index(struct path *p, size_t index)
{
	size_t before = p->len;

	path_grew(p, snprintf(p->text + p->len, sizeof(p->text) - p->len, "[%zu]", index));
	return before;
}

static void path_pop(struct path *p, size_t before)
{
	p->len = before;
	p->text[before] = '\0';
}

static int type_error(const struct path *p, struct tt_err *err, const char *what)
{
	return tt_err_set(err, TT_ERR_USAGE, "%s%s: %s", p->len ? "attribute " : "",
			  p->len ? p->text : "value", what);
}

static int av_from_json(json_t *j, struct tt_ddb_value *v, struct path *p, int depth,
			struct tt_err *err);

static bool base64_ok(const char *s, size_t len)
{
	size_t pad = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (c == '=')
			pad++;
		else if (pad || !(alnum || c == '+' || c == '/'))
			return false;
	}
	return pad <= 2 && len % 4 == 0;
}

/* S, N or B from a JSON string. */
static int scalar_from_json(json_t *j, enum tt_ddb_type type, struct tt_ddb_value *v,
			    const struct path *p, struct tt_err *err)
{
	const char *s = json_string_value(j);
	size_t len = json_string_length(j);
	char msg[160];

	if (!s) {
		snprintf(msg, sizeof(msg), "%s must be a JSON string%s", tt_ddb_type_name(type),
		         type == TT_DDB_N ? " (DynamoDB JSON writes numbers as strings: {\"N\":\"42\"})"
		                          : "");
		return type_error(p, err, msg);
	}
	if (type == TT_DDB_N && !tt_ddb_number_text_ok(s, len))
		return type_error(p, err, "N is not a decimal number");
	if (type == TT_DDB_B && !base64_ok(s, len))
		return type_error(p, err, "B is not base64");
	v->type = type;
	tt_ddb_value_set_str(v, s, len);
	return 0;
}

static int map_from_json(json_t *j, struct tt_ddb_value *v, struct path *p, int depth,
			 struct tt_err *err)
{
	const char *name;
	json_t *kid;

	if (!json_is_object(j))
		return type_error(p, err, "M must be a JSON object");
	v->type = TT_DDB_M;
	json_object_foreach(j, name, kid) {
		size_t before = path_push_name(p, name);
		struct tt_ddb_value *k = tt_ddb_kid_add(v, name, strlen(name));
		int rc = av_from_json(kid, k, p, depth + 1, err);
		path_pop(p, before);
		if (rc)
			return -1;
	}
	return 0;
}

/* L holds AttributeValues; the sets hold bare strings of their element type. */
static int list_from_json(json_t *j, enum tt_ddb_type type, struct tt_ddb_value *v, struct path *p,
			  int depth, struct tt_err *err)
{
	static const enum tt_ddb_type element[] = {[TT_DDB_SS] = TT_DDB_S, [TT_DDB_NS] = TT_DDB_N,
						   [TT_DDB_BS] = TT_DDB_B};
	size_t i;
	json_t *kid;
	char msg[64];

	if (!json_is_array(j)) {
		snprintf(msg, sizeof(msg), "%s must be a JSON array", tt_ddb_type_name(type));
		return type_error(p, err, msg);
	}
	v->type = type;
	json_array_foreach(j, i, kid) {
		size_t before = path_push_index(p, i);
		struct tt_ddb_value *k = tt_ddb_kid_add(v, NULL, 0);
		int rc = type == TT_DDB_L ? av_from_json(kid, k, p, depth + 1, err)
					  : scalar_from_json(kid, element[type], k, p, err);
		path_pop(p, before);
		if (rc)
			return -1;
	}
	return 0;
}

static int type_of_key(const char *key, enum tt_ddb_type *type)
{
	for (size_t i = 0; i < NTYPES; i++) {
		if (strcmp(type_names[i], key) == 0) {
			*type = (enum tt_ddb_type)i;
			return 0;
		}
	}
	return -1;
}

static int av_from_json(json_t *j, struct tt_ddb_value *v, struct path *p, int depth,
			struct tt_err *err)
{
	enum tt_ddb_type type;
	const char *key;
	json_t *inner;
	char msg[160];

	if (depth > TT_DDB_MAX_DEPTH)
		return type_error(p, err, "nested too deeply");
	if (!json_is_object(j) || json_object_size(j) != 1)
		return type_error(p, err, "an AttributeValue is an object with exactly one type key, "
					  "like {\"S\":\"text\"} or {\"N\":\"42\"}");
	key = json_object_iter_key(json_object_iter(j));
	inner = json_object_iter_value(json_object_iter(j));
	if (type_of_key(key, &type)) {
		snprintf(msg, sizeof(msg), "unknown AttributeValue type \"%.20s\"", key);
		return type_error(p, err, msg);
	}
	switch (type) {
	case TT_DDB_S:
	case TT_DDB_N:
	case TT_DDB_B:
		return scalar_from_json(inner, type, v, p, err);
	case TT_DDB_BOOL:
		if (!json_is_boolean(inner))
			return type_error(p, err, "BOOL must be true or false");
		v->type = type;
		v->boolean = json_is_true(inner);
		return 0;
	case TT_DDB_NULL:
		if (!json_is_true(inner))
			return type_error(p, err, "NULL must be true");
		v->type = type;
		return 0;
	case TT_DDB_M:
		return map_from_json(inner, v, p, depth, err);
	default:
		return list_from_json(inner, type, v, p, depth, err);
	}
}

int tt_ddb_value_from_json(struct json_t *av, struct tt_ddb_value **out, struct tt_err *err)
{
	struct tt_ddb_value *v = tt_xcalloc(1, sizeof(*v));
	struct path p = {{0}, 0};

	if (av_from_json(av, v, &p, 0, err)) {
		tt_ddb_value_free(&v);
		return -1;
	}
	*out = v;
	return 0;
}

int tt_ddb_item_from_json(struct json_t *map, struct tt_ddb_value **out, struct tt_err *err)
{
	struct tt_ddb_value *v = tt_xcalloc(1, sizeof(*v));
	struct path p = {{0}, 0};

	if (!json_is_object(map)) {
		tt_ddb_value_free(&v);
		return tt_err_set(err, TT_ERR_USAGE, "an item must be a JSON object of attributes");
	}
	if (map_from_json(map, v, &p, 0, err)) {
		tt_ddb_value_free(&v);
		return -1;
	}
	*out = v;
	return 0;
}

static json_t *load(const char *text, size_t len, struct tt_err *err)
{
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_ALLOW_NUL, &je);

	if (!root)
		tt_err_set(err, TT_ERR_USAGE, "line %d, column %d: %s", je.line, je.column, je.text);
	return root;
}

int tt_ddb_value_parse_typed(const char *text, size_t len, struct tt_ddb_value **out, struct tt_err *err)
{
	json_t *root = load(text, len, err);
	int rc = root ? tt_ddb_value_from_json(root, out, err) : -1;

	json_decref(root);
	return rc;
}

int tt_ddb_item_parse_typed(const char *text, size_t len, struct tt_ddb_value **out, struct tt_err *err)
{
	json_t *root = load(text, len, err);
	int rc = root ? tt_ddb_item_from_json(root, out, err) : -1;

	json_decref(root);
	return rc;
}

int tt_ddb_item_parse(const char *text, size_t len, enum tt_ddb_format fmt, struct tt_ddb_value **out,
		      struct tt_err *err)
{
	if (fmt == TT_DDB_TYPED)
		return tt_ddb_item_parse_typed(text, len, out, err);
	if (tt_ddb_value_parse_plain(text, len, out, err))
		return -1;
	if ((*out)->type != TT_DDB_M) {
		tt_ddb_value_free(out);
		return tt_err_set(err, TT_ERR_USAGE,
		                  "expected a JSON object of attributes, like {\"id\":\"x\"}");
	}
	return 0;
}

/* --- the tree to typed JSON (jansson), for request bodies --------------- */

json_t *tt_ddb_item_to_json(const struct tt_ddb_value *item)
{
	json_t *o = json_object();

	for (size_t i = 0; i < item->n; i++)
		json_object_set_new(o, item->names[i], tt_ddb_value_to_json(&item->kids[i]));
	return o;
}

json_t *tt_ddb_value_to_json(const struct tt_ddb_value *v)
{
	json_t *inner;

	switch (v->type) {
	case TT_DDB_S:
	case TT_DDB_N:
	case TT_DDB_B:
		inner = json_stringn(v->str, v->len);
		break;
	case TT_DDB_BOOL:
		inner = json_boolean(v->boolean);
		break;
	case TT_DDB_NULL:
		inner = json_true();
		break;
	case TT_DDB_M:
		inner = tt_ddb_item_to_json(v);
		break;
	default:
		inner = json_array();
		for (size_t i = 0; i < v->n; i++)
			json_array_append_new(inner, v->type == TT_DDB_L
			                                 ? tt_ddb_value_to_json(&v->kids[i])
			                                 : json_stringn(v->kids[i].str, v->kids[i].len));
		break;
	}
	return json_pack("{so}", tt_ddb_type_name(v->type), inner);
}

/* --- keys compared as DynamoDB compares them -------------------------------- */


/* qsort_r is not portable: a small insertion sort does, keys have one or two
 * attributes (and no map that anyone types has many). */
static void sort_names(size_t *order, size_t n, char *const *names)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(names[order[j - 1]], names[order[j]]) > 0; j--) {
			size_t tmp = order[j];
			order[j] = order[j - 1];
			order[j - 1] = tmp;
		}
}

/* Length-prefixed, so that no two different values share an encoding. */
static void canon_bytes(struct tt_buf *b, const char *s, size_t len)
{
	tt_buf_printf(b, "%zu:", len);
	tt_buf_append(b, s, len);
}

static void canon_value(struct tt_buf *b, const struct tt_ddb_value *v)
{
	char *num;
	size_t *order;

	tt_buf_puts(b, tt_ddb_type_name(v->type));
	switch (v->type) {
	case TT_DDB_N:
		num = tt_ddb_number_canonical(v->str, v->len);
		if (num)
			canon_bytes(b, num, strlen(num));
		else
			canon_bytes(b, v->str, v->len);
		free(num);
		break;
	case TT_DDB_S:
	case TT_DDB_B:
		canon_bytes(b, v->str, v->len);
		break;
	case TT_DDB_BOOL:
		tt_buf_putc(b, v->boolean ? '1' : '0');
		break;
	case TT_DDB_NULL:
		break;
	case TT_DDB_M:
		order = tt_xcalloc(v->n ? v->n : 1, sizeof(*order));
		for (size_t i = 0; i < v->n; i++)
			order[i] = i;
		sort_names(order, v->n, v->names);
		tt_buf_printf(b, "%zu{", v->n);
		for (size_t i = 0; i < v->n; i++) {
			canon_bytes(b, v->names[order[i]], strlen(v->names[order[i]]));
			canon_value(b, &v->kids[order[i]]);
		}
		free(order);
		break;
	default: /* L and the sets, in their order */
		tt_buf_printf(b, "%zu[", v->n);
		for (size_t i = 0; i < v->n; i++)
			canon_value(b, &v->kids[i]);
		break;
	}
}

char *tt_ddb_key_canonical(const struct tt_ddb_value *key, size_t *len)
{
	struct tt_buf b;

	tt_buf_init(&b, 0);
	canon_value(&b, key);
	*len = b.len;
	return tt_buf_steal(&b);
}

size_t tt_ddb_keys_dedupe(struct tt_ddb_value **keys, size_t n)
{
	struct tt_strindex seen = {0};
	size_t kept = 0;

	for (size_t i = 0; i < n; i++) {
		size_t len;
		char *text = tt_ddb_key_canonical(keys[i], &len);
		if (tt_strindex_add(&seen, text, len, i))
			keys[kept++] = keys[i];
		else
			tt_ddb_value_free(&keys[i]);
		free(text);
	}
	tt_strindex_clear(&seen);
	for (size_t i = kept; i < n; i++)
		keys[i] = NULL;
	return kept;
}
