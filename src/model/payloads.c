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
#include "tiertop/xalloc.h"

static char *state_dir(struct tt_err *err)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	/* The spec says a relative XDG_STATE_HOME is invalid and ignored. */
	if (xdg && xdg[0] == '/')
		return tt_xasprintf("%s/tiertop/payloads", xdg);
	if (home && *home)
		return tt_xasprintf("%s/.local/state/tiertop/payloads", home);
	tt_err_set(err, TT_ERR_CONFIG, "neither XDG_STATE_HOME nor HOME is set: payloads are not remembered");
	return NULL;
}

char *tt_payloads_path(const char *function, struct tt_err *err)
{
	char *dir = state_dir(err), *name, *path;

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

/* mkdir -p of path's directory, each missing level 0700. */
static int make_dirs(const char *path, struct tt_err *err)
{
	char *dir = tt_xstrdup(path), *slash = strrchr(dir, '/');
	int rc = 0;

	if (slash)
		*slash = 0;
	for (char *p = dir + 1; rc == 0; p++) {
		bool end = *p == 0;
		if (*p != '/' && !end)
			continue;
		*p = 0;
		if (mkdir(dir, 0700) && errno != EEXIST)
			rc = tt_err_set(err, TT_ERR_FAILURE, "cannot create %s: %s", dir, strerror(errno));
		if (end)
			break;
		*p = '/';
	}
	free(dir);
	return rc;
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

static int write_file(const char *path, const char *text, struct tt_err *err)
{
	char *tmp = tt_xasprintf("%s.tmp.%ld", path, (long)getpid());
	size_t len = strlen(text), off = 0;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600), rc = 0;

	if (fd < 0) {
		rc = tt_err_set(err, TT_ERR_FAILURE, "cannot write %s: %s", tmp, strerror(errno));
		free(tmp);
		return rc;
	}
	while (off < len && rc == 0) {
		ssize_t n = write(fd, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			rc = tt_err_set(err, TT_ERR_FAILURE, "cannot write %s: %s", tmp, strerror(errno));
		else
			off += (size_t)n;
	}
	/* An umask or an older file must not leave it readable by others. */
	if (fchmod(fd, 0600) && rc == 0)
		rc = tt_err_set(err, TT_ERR_FAILURE, "cannot chmod %s: %s", tmp, strerror(errno));
	if (close(fd) && rc == 0)
		rc = tt_err_set(err, TT_ERR_FAILURE, "cannot write %s: %s", tmp, strerror(errno));
	if (rc == 0 && rename(tmp, path))
		rc = tt_err_set(err, TT_ERR_FAILURE, "cannot rename %s: %s", tmp, strerror(errno));
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
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
	rc = text ? make_dirs(path, err) : tt_err_set(err, TT_ERR_FAILURE, "payload is not valid UTF-8");
	if (rc == 0)
		rc = write_file(path, text, err);
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
