/* --keys (items_keys.h): the key file. Reading the items is the item
 * model's (tiertop/items.h), which also drops repeated keys. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "items_keys.h"
#include "tiertop/buf.h"
#include "tiertop/xalloc.h"

static int read_source(const char *source, struct tt_buf *b, struct tt_err *err)
{
	FILE *f = strcmp(source, "-") == 0 ? stdin : fopen(source, "rb");
	int rc, saved_errno;

	tt_buf_init(b, TT_ITEMS_KEYS_MAX_BYTES + 1);
	if (!f)
		return tt_err_set(err, TT_ERR_USAGE, "--keys: cannot read %s: %s", source, strerror(errno));
	rc = tt_buf_read_stream(b, f);
	saved_errno = errno;
	if (f != stdin)
		fclose(f);
	if (rc)
		return tt_err_set(err, TT_ERR_USAGE, "--keys: cannot read %s: %s", source, strerror(saved_errno));
	if (b->truncated)
		return tt_err_set(err, TT_ERR_USAGE, "--keys: %s is over %zu MB; split it", source,
				  TT_ITEMS_KEYS_MAX_BYTES >> 20);
	return 0;
}

/* Reading a big key file takes a while: say how far it got, on a terminal. */
#define PROGRESS_EVERY 10000

static void progress(bool tty, size_t lines, bool done)
{
	if (!tty)
		return;
	if (done)
		fprintf(stderr, "\r\033[K");
	else
		fprintf(stderr, "\rtiertop: reading keys: %zu lines...", lines);
	fflush(stderr);
}

/* One key a line; blank lines do not count. Repeats are kept: the model
 * drops them (DynamoDB refuses a batch that holds a key twice). */
static int parse_lines(char *text, const char *source, enum tt_ddb_format fmt, struct tt_ddb_value ***keys,
		       size_t *n, struct tt_err *err)
{
	size_t line = 0, cap = 0;
	bool tty = isatty(STDERR_FILENO), shown = false;

	for (char *p = text, *nl; p && *p; p = nl ? nl + 1 : NULL) {
		struct tt_ddb_value *key;
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (++line % PROGRESS_EVERY == 0) {
			progress(tty, line, false);
			shown = true;
		}
		if (strspn(p, " \t\r") == strlen(p))
			continue;
		if (tt_ddb_item_parse(p, strlen(p), fmt, &key, err)) {
			if (shown)
				progress(tty, line, true);
			tt_err_prefix(err, "--keys: %s line %zu", strcmp(source, "-") ? source : "standard input",
				      line);
			return -1;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*keys = tt_xrealloc(*keys, cap * sizeof(**keys));
		}
		(*keys)[(*n)++] = key;
	}
	if (shown)
		progress(tty, line, true);
	if (*n == 0)
		return tt_err_set(err, TT_ERR_USAGE, "--keys: no key in %s", source);
	return 0;
}

int tt_items_keys_load(const char *source, enum tt_ddb_format fmt, struct tt_ddb_value ***keys, size_t *n,
		       struct tt_err *err)
{
	struct tt_buf b;
	int rc;

	*keys = NULL;
	*n = 0;
	rc = read_source(source, &b, err);
	if (rc == 0 && memchr(b.data, '\0', b.len))
		rc = tt_err_set(err, TT_ERR_USAGE, "--keys: %s is not text (it holds a NUL byte)", source);
	if (rc == 0)
		rc = parse_lines(b.data, source, fmt, keys, n, err);
	tt_buf_clear(&b);
	if (rc) {
		tt_items_keys_free(*keys, *n);
		*keys = NULL;
		*n = 0;
	}
	return rc;
}

void tt_items_keys_free(struct tt_ddb_value **keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tt_ddb_value_free(&keys[i]);
	free(keys);
}
