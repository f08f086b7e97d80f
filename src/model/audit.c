/* The audit log (audit.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/rand.h>

#include "tiertop/audit.h"
#include "tiertop/buf.h"
#include "tiertop/clock.h"
#include "tiertop/sigv4.h"
#include "tiertop/str.h"
#include "tiertop/state.h"
#include "tiertop/xalloc.h"

/* The one place in the model that reads the clock: a record's time is
 * when it was written, which no caller's `now` says better. */
static int64_t real_wall_ms(void)
{
	return tt_clock_now_ms();
}

const struct tt_audit *tt_audit_default(void)
{
	static const struct tt_audit log = {NULL, real_wall_ms};

	return &log;
}

char *tt_audit_default_path(struct tt_err *err)
{
	return tt_state_path("audit.jsonl", "no place for the audit log", err);
}

void tt_audit_time(int64_t ms, char out[25])
{
	char iso[21];

	tt_time_iso8601((time_t)(ms / 1000), iso);
	/* "2026-12-06T03:40:00Z" -> "2026-12-06T03:40:00.123Z" */
	snprintf(out, 25, "%.19s.%03dZ", iso, (int)(ms % 1000 + 1000) % 1000);
}

/* --- writing ------------------------------------------------------------------ */

/* A new entry in a directory is durable only once the directory is. */
static void sync_parent(const char *path)
{
	char *dir = tt_xstrdup(path), *slash = strrchr(dir, '/');
	int fd;

	if (slash && slash != dir) {
		*slash = '\0';
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			(void)fsync(fd);
			close(fd);
		}
	}
	free(dir);
}

static int open_log(const char *path, bool *created, struct tt_err *err)
{
	struct stat st;
	int fd;

	if (tt_state_make_parents(path, err))
		return -1;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == ELOOP)
			tt_err_set(err, TT_ERR_FAILURE, "the audit log %s is a symbolic link; refused", path);
		else
			tt_err_set(err, TT_ERR_FAILURE, "cannot open the audit log %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		tt_err_set(err, TT_ERR_FAILURE, "the audit log %s is not a regular file; refused", path);
		close(fd);
		return -1;
	}
	/* A log made looser by hand is made private again: it names accounts,
	 * functions and item keys. */
	if ((st.st_mode & 077) && fchmod(fd, 0600) != 0) {
		tt_err_set(err, TT_ERR_FAILURE, "cannot make the audit log %s private: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	*created = st.st_size == 0;
	return fd;
}

/* One write of the whole line, then fsync: a record is on disk when this
 * returns 0. */
static int append_record(const struct tt_audit *a, json_t *rec, struct tt_err *err)
{
	char *path = a->path ? tt_xstrdup(a->path) : tt_audit_default_path(err);
	char *line = NULL;
	size_t len, off = 0;
	bool created = false;
	int fd = -1, rc = -1;

	if (!path)
		return -1;
	line = json_dumps(rec, JSON_COMPACT | JSON_ENSURE_ASCII);
	len = strlen(line);
	line = tt_xrealloc(line, len + 2);
	line[len++] = '\n';
	line[len] = '\0';
	if ((fd = open_log(path, &created, err)) < 0)
		goto out;
	while (off < len) {
		ssize_t n = write(fd, line + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			tt_err_set(err, TT_ERR_FAILURE, "cannot write the audit log %s: %s", path,
				   n < 0 ? strerror(errno) : "short write");
			goto out;
		}
		off += (size_t)n;
	}
	if (fsync(fd) != 0) {
		tt_err_set(err, TT_ERR_FAILURE, "cannot flush the audit log %s to disk: %s", path, strerror(errno));
		goto out;
	}
	if (created)
		sync_parent(path);
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(line);
	free(path);
	return rc;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *record_new(const struct tt_audit *a, const char *id, const char *kind)
{
	char when[25];

	tt_audit_time(a->wall_ms ? a->wall_ms() : 0, when);
	return json_pack("{s:s, s:s, s:s}", "id", id, "time", when, "record", kind);
}

static void new_id(char id[TT_AUDIT_ID_LEN])
{
	unsigned char r[16];

	/* Should the generator fail, the pid and clock still tell actions apart. */
	if (RAND_bytes(r, sizeof(r)) != 1) {
		snprintf(id, TT_AUDIT_ID_LEN, "%08lx%024llx", (unsigned long)getpid(),
			 (unsigned long long)tt_clock_now_ms());
		return;
	}
	for (size_t i = 0; i < sizeof(r); i++)
		snprintf(id + 2 * i, 3, "%02x", r[i]);
}

int tt_audit_intent(const struct tt_audit *a, const struct tt_audit_intent *in, char id[TT_AUDIT_ID_LEN],
		    struct tt_err *err)
{
	char sha[65];
	json_t *rec, *replay, *key;
	int rc;

	new_id(id);
	tt_sha256_hex(in->payload ? in->payload : "", in->payload_len, sha);
	rec = record_new(a, id, "intent");
	json_object_set_new(rec, "action", json_string(in->replay_table ? "replay" : "invoke"));
	json_object_set_new(rec, "identity", str_or_null(in->identity));
	json_object_set_new(rec, "account", str_or_null(in->account));
	json_object_set_new(rec, "region", str_or_null(in->region));
	json_object_set_new(rec, "endpoint", str_or_null(in->endpoint));
	json_object_set_new(rec, "function", str_or_null(in->function));
	json_object_set_new(rec, "function_arn", str_or_null(in->function_arn));
	json_object_set_new(rec, "qualifier", str_or_null(in->qualifier));
	json_object_set_new(rec, "invocation_type", str_or_null(in->invocation_type));
	json_object_set_new(rec, "payload_size", json_integer((json_int_t)in->payload_len));
	json_object_set_new(rec, "payload_sha256", json_string(sha));
	if (in->replay_table) {
		/* The key as the object it is; kept as text should it not parse. */
		key = in->replay_key ? json_loads(in->replay_key, JSON_DECODE_ANY, NULL) : NULL;
		if (!key)
			key = str_or_null(in->replay_key);
		replay = json_pack("{s:s, s:o}", "table", in->replay_table, "key", key);
		json_object_set_new(rec, "replay", replay);
	}
	rc = append_record(a, rec, err);
	json_decref(rec);
	return rc;
}

static const char *kind_name(enum tt_err_kind kind)
{
	switch (kind) {
	case TT_ERR_USAGE:
		return "usage";
	case TT_ERR_CONFIG:
		return "config";
	case TT_ERR_AWS:
		return "aws";
	case TT_ERR_NETWORK:
		return "network";
	default:
		return "failure";
	}
}

int tt_audit_result(const struct tt_audit *a, const char *id, const struct tt_audit_result *r, struct tt_err *err)
{
	json_t *rec = record_new(a, id, "result");
	int rc;

	if (r->error) {
		json_t *e = json_pack("{s:s, s:s}", "kind", kind_name(r->error->kind), "message", r->error->message);
		if (*r->error->code)
			json_object_set_new(e, "code", json_string(r->error->code));
		if (r->error->http_status)
			json_object_set_new(e, "http_status", json_integer(r->error->http_status));
		if (*r->error->request_id)
			json_object_set_new(e, "request_id", json_string(r->error->request_id));
		json_object_set_new(rec, "error", e);
	} else {
		json_object_set_new(rec, "status", json_integer(r->status));
		json_object_set_new(rec, "function_error",
				    r->function_error && *r->function_error ? json_string(r->function_error)
									    : json_null());
		if (r->error_type && *r->error_type)
			json_object_set_new(rec, "error_type", json_string(r->error_type));
		json_object_set_new(rec, "request_id", str_or_null(r->request_id));
	}
	if (r->duration_ms >= 0)
		json_object_set_new(rec, "duration_ms", json_integer(r->duration_ms));
	rc = append_record(a, rec, err);
	json_decref(rec);
	return rc;
}

/* --- reading ------------------------------------------------------------------ */

static struct tt_audit_entry *find_entry(struct tt_audit_entries *e, const char *id)
{
	/* From the end: a result follows its intent closely. */
	for (size_t i = e->n; i-- > 0;)
		if (strcmp(json_string_value(json_object_get(e->items[i].intent, "id")), id) == 0)
			return &e->items[i];
	return NULL;
}

static int64_t record_ms(json_t *rec)
{
	const char *when = json_string_value(json_object_get(rec, "time"));
	const char *dot = when ? strchr(when, '.') : NULL;
	time_t t;

	if (!when || tt_time_parse_iso8601(when, &t))
		return 0;
	return (int64_t)t * 1000 + (dot ? atoi(dot + 1) % 1000 : 0);
}

static void take_line(struct tt_audit_entries *e, const char *line, size_t len, int64_t since_ms)
{
	json_t *rec = json_loadb(line, len, 0, NULL);
	const char *id = json_string_value(json_object_get(rec, "id"));
	const char *kind = json_string_value(json_object_get(rec, "record"));
	struct tt_audit_entry *entry;

	if (!id || !kind) {
		e->bad_lines++;
	} else if (strcmp(kind, "intent") == 0) {
		int64_t ms = record_ms(rec);
		if (ms >= since_ms) {
			e->items = tt_xrealloc(e->items, (e->n + 1) * sizeof(*e->items));
			e->items[e->n++] = (struct tt_audit_entry){rec, NULL, ms};
			return;
		}
	} else if (strcmp(kind, "result") == 0 && (entry = find_entry(e, id)) && !entry->result) {
		entry->result = rec;
		return;
	}
	json_decref(rec);
}

int tt_audit_load(const char *path, int64_t since_ms, struct tt_audit_entries *out, struct tt_err *err)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	memset(out, 0, sizeof(*out));
	f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		return tt_err_set(err, TT_ERR_FAILURE, "cannot read the audit log %s: %s", path, strerror(errno));
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		size_t len = (size_t)n;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		if (len)
			take_line(out, line, len, since_ms);
	}
	free(line);
	if (ferror(f)) {
		fclose(f);
		tt_audit_entries_clear(out);
		return tt_err_set(err, TT_ERR_FAILURE, "cannot read the audit log %s", path);
	}
	fclose(f);
	return 0;
}

void tt_audit_entries_clear(struct tt_audit_entries *e)
{
	for (size_t i = 0; i < e->n; i++) {
		json_decref(e->items[i].intent);
		json_decref(e->items[i].result);
	}
	free(e->items);
	memset(e, 0, sizeof(*e));
}
