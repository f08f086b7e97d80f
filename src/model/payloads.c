/* Recent payloads per function (payloads.h). */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "tiertop/payloads.h"
#include "tiertop/state.h"
#include "tiertop/xalloc.h"

char *tt_payloads_path(const char *function, struct tt_err *err)
{
	char *dir = tt_state_path("payloads", "payloads are not remembered", err), *name, *path;

	if (!dir)
		return NULL;
	name = tt_xstrdup(function);
	for (char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      *p == '_' || (*p == '.' && p != name)))
			*p = '_';
	path = tt_xasprintf("%s/%s.json", dir, name);
	free(dir);
	free(name);
	return path;
}

void tt_payloads_clear(struct tt_payloads *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->items[i]);
	free(p->items);
	p->items = NULL;
	p->n = 0;
}

int tt_payloads_load(const char *function, struct tt_payloads *out, struct tt_err *err)
{
	char *path = tt_payloads_path(function, err);
	json_error_t jerr;
	json_t *root;
	size_t i;
	json_t *v;

	memset(out, 0, sizeof(*out));
	if (!path)
		return -1;
	if (access(path, F_OK) != 0 && errno == ENOENT) {
		free(path);
		return 0;
	}
	root = json_load_file(path, 0, &jerr);
	if (!root || !json_is_array(root)) {
		tt_err_set(err, TT_ERR_FAILURE, "%s: %s", path, root ? "not a JSON array" : jerr.text);
		json_decref(root);
		free(path);
		return -1;
	}
	out->items = tt_xcalloc(json_array_size(root) + 1, sizeof(*out->items));
	json_array_foreach(root, i, v)
	{
		if (json_is_string(v) && out->n < TT_PAYLOADS_KEEP)
			out->items[out->n++] = tt_xstrndup(json_string_value(v), json_string_length(v));
	}
	json_decref(root);
	free(path);
	return 0;
}

int tt_payloads_add(const char *function, const char *payload, size_t len, struct tt_err *err)
{
	struct tt_payloads old;
	char *path, *text;
	json_t *arr;
	int rc;

	if (len > TT_PAYLOADS_MAX_BYTES)
		return 1;
	/* An unreadable file is replaced rather than blocking every send. */
	if (tt_payloads_load(function, &old, err))
		memset(&old, 0, sizeof(old));
	path = tt_payloads_path(function, err);
	if (!path) {
		tt_payloads_clear(&old);
		return -1;
	}
	arr = json_array();
	json_array_append_new(arr, json_stringn(payload, len));
	for (size_t i = 0; i < old.n && json_array_size(arr) < TT_PAYLOADS_KEEP; i++)
		if (strlen(old.items[i]) != len || memcmp(old.items[i], payload, len) != 0)
			json_array_append_new(arr, json_string(old.items[i]));
	tt_payloads_clear(&old);
	text = json_dumps(arr, JSON_INDENT(1));
	json_decref(arr);
	rc = text ? tt_state_make_parents(path, err) : tt_err_set(err, TT_ERR_FAILURE, "payload is not valid UTF-8");
	if (rc == 0)
		rc = tt_state_replace(path, text, strlen(text), err);
	free(text);
	free(path);
	return rc;
}

char *tt_payloads_last(const char *function)
{
	struct tt_payloads p;
	struct tt_err err;
	char *last = NULL;

	if (tt_payloads_load(function, &p, &err) == 0 && p.n) {
		last = p.items[0];
		p.items[0] = NULL;
	}
	tt_payloads_clear(&p);
	return last;
}
