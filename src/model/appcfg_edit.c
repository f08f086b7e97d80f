#define _XOPEN_SOURCE 700 /* realpath */
/* Writing the replay choice into tiertop's config file (appcfg.h). The file
 * is the user's: only the lines of the keys set change, comments, order and
 * spacing of everything else stay as they were. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tiertop/appcfg.h"
#include "tiertop/buf.h"
#include "tiertop/err.h"
#include "tiertop/state.h"
#include "tiertop/str.h"
#include "tiertop/xalloc.h"

struct edit {
	const char *table;
	const char *const *keys;
	const char *const *values;
	size_t n;
};

/* DynamoDB names are [A-Za-z0-9_.-]; anything a header could misread
 * (brackets, blanks, quotes the reader's shlex would take) is refused. */
static bool header_safe(const char *name)
{
	if (!*name)
		return false;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_.-", *p))
			return false;
	return true;
}

/* The reader trims values and ends them at a line break. */
static bool value_safe(const char *v)
{
	size_t n = v ? strlen(v) : 0;

	return !v || (n && !strpbrk(v, "\r\n") && !isspace((unsigned char)v[0]) &&
		      !isspace((unsigned char)v[n - 1]));
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* Where the reader's shlex splits words. */
static bool shlex_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Is [line, end) the header of [table NAME]? As the reader takes it: the
 * text between '[' and the last ']' trimmed of isspace(), "table", then
 * what its shlex splits words at, then the name. */
static bool is_our_header(const char *line, const char *end, const char *table)
{
	const char *p = skip_blanks(line, end), *close = end;
	size_t n = strlen(table);

	while (close > p && close[-1] != ']')
		close--;
	if (p == end || *p != '[' || close == p)
		return false;
	close--; /* the last ']', as the reader takes it */
	for (p++; p < close && isspace((unsigned char)*p); p++)
		;
	if ((size_t)(close - p) < 6 || memcmp(p, "table", 5) != 0 || !shlex_blank(p[5]))
		return false;
	for (p += 5; p < close && shlex_blank(*p); p++)
		;
	while (close > p && isspace((unsigned char)close[-1]))
		close--;
	return (size_t)(close - p) == n && memcmp(p, table, n) == 0;
}

/* The reader's indentation of a line: its leading isspace() characters. */
static size_t indent_of(const char *line, const char *end)
{
	const char *p = line;

	while (p < end && isspace((unsigned char)*p))
		p++;
	return (size_t)(p - line);
}

/* The key a "key = value" line sets, [line, end) starting at the key (the
 * reader's parse_option: the first '=' or ':' splits, blanks trimmed, lower
 * case), or false. */
static bool line_key(const char *line, const char *end, char *key, size_t size)
{
	const char *stop = line;
	size_t len;

	while (stop < end && *stop != '=' && *stop != ':')
		stop++;
	if (stop == end)
		return false;
	while (stop > line && isspace((unsigned char)stop[-1]))
		stop--;
	len = (size_t)(stop - line);
	if (len == 0 || len >= size)
		return false;
	for (size_t i = 0; i < len; i++)
		key[i] = (char)tolower((unsigned char)line[i]);
	key[len] = '\0';
	return true;
}

static bool edited_key(const struct edit *e, const char *key)
{
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(e->keys[i], key) == 0)
			return true;
	return false;
}

/* The new lines, indented by indent[0..ilen). */
static void put_keys(struct tt_buf *out, const struct edit *e, const char *indent, size_t ilen)
{
	for (size_t i = 0; i < e->n; i++)
		if (e->values[i])
			tt_buf_printf(out, "%.*s%s = %s\n", (int)ilen, indent, e->keys[i], e->values[i]);
}

/* The old text with the section's keys replaced (the first such section
 * gets the new lines right under its header; in any later one the old
 * lines just go) or the section appended. Lines are told apart as the
 * reader (profile.c's parse_line) does: blank and comment lines are
 * skipped, a line indented deeper than the last key line continues that
 * key's value, any other line is a header or a key, however indented. The
 * new lines take the indentation of the section's next line, so that this
 * line does not become part of their value. */
static void rewrite(const char *text, size_t len, const struct edit *e, struct tt_buf *out)
{
	const char *p = text, *end = text + len;
	bool in_ours = false, placed = false, placing = false, dropping = false, have_key = false;
	size_t key_indent = 0;
	struct tt_buf held; /* the lines after our header, until the new lines go in */
	char key[64];

	tt_buf_init(&held, 0);
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) { /* the reader skips a BOM */
		tt_buf_append(out, p, 3);
		p += 3;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end, *next = nl ? nl + 1 : end;
		size_t indent = indent_of(p, stop);
		const char *content = p + indent;

		if (content < stop && *content != '#' && *content != ';') {
			if (have_key && indent > key_indent) {
				if (dropping) {
					p = next; /* a continuation line of a key being replaced */
					continue;
				}
			} else {
				key_indent = indent;
				have_key = *content != '[';
				if (!have_key) {
					in_ours = is_our_header(content, stop, e->table);
					dropping = false;
				} else {
					dropping = in_ours && line_key(content, stop, key, sizeof(key)) && edited_key(e, key);
					if (dropping) {
						p = next;
						continue;
					}
				}
				if (placing) {
					put_keys(out, e, p, indent);
					if (held.len)
						tt_buf_append(out, held.data, held.len);
					placing = false;
					placed = true;
				}
			}
		}
		tt_buf_append(placing ? &held : out, p, (size_t)(stop - p));
		tt_buf_append(placing ? &held : out, "\n", 1);
		if (in_ours && !placed && !placing && !have_key && content < stop && *content == '[') {
			placing = true;
			tt_buf_reset(&held);
		}
		p = next;
	}
	if (placing) {
		put_keys(out, e, "", 0);
		if (held.len)
			tt_buf_append(out, held.data, held.len);
		placed = true;
	}
	tt_buf_clear(&held);
	if (!placed) {
		if (out->len && !(out->len >= 2 && out->data[out->len - 2] == '\n'))
			tt_buf_append(out, "\n", 1);
		tt_buf_printf(out, "[table %s]\n", e->table);
		put_keys(out, e, "", 0);
	}
}

/* The file a symlink names (created or replaced there, not over the link). */
static char *real_target(const char *path, struct tt_err *err)
{
	struct stat st;
	char *real;

	if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
		return tt_xstrdup(path);
	if (!(real = realpath(path, NULL)))
		tt_err_set(err, TT_ERR_FAILURE, "%s is a symbolic link to nothing that exists (%s)", path,
			   strerror(errno));
	return real;
}

static int refuse_special(const char *path, struct tt_err *err)
{
	if (!tt_appcfg_is_special(path))
		return 0;
	return tt_err_set(err, TT_ERR_FAILURE, "%s is not a regular file: it is left as it is", path);
}

static int read_text(const char *path, struct tt_buf *text, mode_t *mode, struct tt_err *err)
{
	FILE *f = fopen(path, "r");
	struct stat st;

	*mode = 0600;
	if (!f)
		return errno == ENOENT ? 0 : tt_err_set(err, TT_ERR_FAILURE, "cannot read %s: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) == 0)
		*mode = st.st_mode & 07777;
	if (tt_buf_read_stream(text, f)) {
		int saved_errno = errno;

		fclose(f);
		return tt_err_set(err, TT_ERR_FAILURE, "cannot read %s: %s", path, strerror(saved_errno));
	}
	fclose(f);
	return 0;
}

/* tmp holds the new text: it must read back as a configuration. */
static int check_readable(const char *tmp, const char *path, struct tt_err *err)
{
	struct tt_appcfg *cfg = NULL;
	struct tt_err perr;

	if (tt_appcfg_load_path(&cfg, tmp, &perr) == 0) {
		tt_appcfg_free(&cfg);
		return 0;
	}
	return tt_err_set(err, TT_ERR_CONFIG, "%s left unchanged: with the change it would not read back (%s)", path,
			  perr.message);
}

static int replace_file(const char *path, const struct tt_buf *text, mode_t mode, struct tt_err *err)
{
	char *dir_copy = tt_xstrdup(path);
	char *tmp = tt_xasprintf("%s/.tiertop-config.XXXXXX", dirname(dir_copy));
	int fd = mkstemp(tmp), rc = 0;

	free(dir_copy);
	if (fd < 0) {
		rc = tt_err_set(err, TT_ERR_FAILURE, "cannot write next to %s: %s", path, strerror(errno));
		free(tmp);
		return rc;
	}
	if (tt_write_all(fd, text->data, text->len) || fchmod(fd, mode) || fsync(fd))
		rc = tt_err_set(err, TT_ERR_FAILURE, "cannot write %s: %s", tmp, strerror(errno));
	if (close(fd) && rc == 0)
		rc = tt_err_set(err, TT_ERR_FAILURE, "cannot write %s: %s", tmp, strerror(errno));
	if (rc == 0)
		rc = check_readable(tmp, path, err);
	if (rc == 0 && rename(tmp, path))
		rc = tt_err_set(err, TT_ERR_FAILURE, "cannot replace %s: %s", path, strerror(errno));
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}

static int refuse_bad_input(const struct edit *e, struct tt_err *err)
{
	if (!header_safe(e->table))
		return tt_err_set(err, TT_ERR_USAGE, "a table name of letters, digits, '_', '.' and '-' only, not \"%.100s\"",
				  e->table);
	for (size_t i = 0; i < e->n; i++)
		if (!value_safe(e->values[i]))
			return tt_err_set(err, TT_ERR_USAGE,
					  "%s: a value on one line, without blanks at either end, not \"%.100s\"",
					  e->keys[i], e->values[i]);
	return 0;
}

int tt_appcfg_set_table(const char *path, const char *table, const char *const *keys, const char *const *values,
			size_t n, struct tt_err *err)
{
	struct edit e = {table, keys, values, n};
	struct tt_buf old, out;
	char *target;
	mode_t mode;
	int rc;

	if (refuse_bad_input(&e, err) || !(target = real_target(path, err)))
		return -1;
	tt_buf_init(&old, 0);
	tt_buf_init(&out, 0);
	rc = refuse_special(target, err);
	if (rc == 0)
		rc = tt_state_make_parents(target, err);
	if (rc == 0)
		rc = read_text(target, &old, &mode, err);
	if (rc == 0) {
		rewrite(old.data ? old.data : "", old.len, &e, &out);
		rc = replace_file(target, &out, mode, err);
	}
	tt_buf_clear(&old);
	tt_buf_clear(&out);
	free(target);
	return rc;
}
