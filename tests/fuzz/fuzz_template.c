/* What the user types or edits: replay templates (--template @FILE) with
 * the events built around an item, routes (--route), and the config editor
 * that writes the replay choice into [table NAME] (tt_appcfg_set_table).
 *
 * The first byte picks the part (low bit) and holds flags; the rest is
 * split at NUL bytes.
 *  - template: TEMPLATE\0ITEM\0ROUTE\0REGION\0TABLE\0ACCOUNT. Properties: a
 *    template that loads builds, with any item that is JSON and holds
 *    nothing a JSON string cannot (no quote, backslash or control), into
 *    valid JSON; whatever builds is JSON; a route that parses prints a key
 *    that parses to itself; the apigw, apigw2 and stream events are JSON
 *    objects whose body is the item.
 *  - config: CONFIG\0TABLE\0FUNCTION\0TEMPLATE\0ROUTE (a flag bit per value
 *    makes it NULL, a missing part is NULL too). Properties: bad input is
 *    refused with TT_ERR_USAGE; a refusal leaves the file byte for byte; on
 *    a file the reader accepts, good input is written; what is written
 *    reads back with the table's values exactly and everything else as it
 *    was; no temporary file is left behind. */
#include "fuzz.h"

#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "tiertop/appcfg.h"
#include "tiertop/buf.h"
#include "tiertop/err.h"
#include "tiertop/replay.h"

#define MAX_PARTS 6

struct parts {
	const char *p[MAX_PARTS];
	size_t len[MAX_PARTS];
	size_t n;
};

/* Splits at NULs; each part but the last is NUL-terminated in data itself,
 * the last is copied (the caller frees last). */
static char *split(const uint8_t *data, size_t size, struct parts *ps)
{
	const char *s = (const char *)data, *end = s + size;
	char *last = NULL;

	ps->n = 0;
	while (ps->n < MAX_PARTS) {
		const char *nul = memchr(s, '\0', (size_t)(end - s));
		if (!nul || ps->n == MAX_PARTS - 1) {
			last = fuzz_str((const uint8_t *)s, (size_t)(end - s));
			ps->p[ps->n] = last;
			ps->len[ps->n++] = (size_t)(end - s);
			break;
		}
		ps->p[ps->n] = s;
		ps->len[ps->n++] = (size_t)(nul - s);
		s = nul + 1;
	}
	return last;
}

static const char *part(const struct parts *ps, size_t i, const char *dflt)
{
	return i < ps->n ? ps->p[i] : dflt;
}

static bool is_json(const char *s, size_t len)
{
	json_t *j = json_loadb(s, len, JSON_DECODE_ANY, NULL);

	json_decref(j);
	return j != NULL;
}

/* Could the item's text stand inside a JSON string as it is? */
static bool string_safe(const char *s)
{
	for (; *s; s++)
		if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20)
			return false;
	return true;
}

/* --- templates and events ----------------------------------------------------------- */

static void build_with(const struct tt_replay_template *t, const char *item)
{
	struct tt_buf out;
	struct tt_err err;
	int rc;

	tt_buf_init(&out, 0);
	memset(&err, 0, sizeof(err));
	rc = tt_replay_build_file(t, item, &out, &err);
	if (rc == 0 && !is_json(out.data ? out.data : "", out.len))
		fuzz_fail("the template built what is not JSON: \"%.*s\"", (int)out.len, out.data);
	if (rc == 0 && out.len != strlen(out.data ? out.data : ""))
		fuzz_fail("the built payload holds a NUL");
	if (rc != 0 && (err.kind != TT_ERR_USAGE || !err.message[0]))
		fuzz_fail("a payload that is not JSON failed with kind %d, \"%s\"", err.kind, err.message);
	if (rc != 0 && string_safe(item))
		fuzz_fail("a template that loaded does not build with item %s: %s", item, err.message);
	tt_buf_clear(&out);
}

/* The event is a JSON object whose "body" (when want_body) is the item. */
static void check_event(const char *what, const struct tt_buf *out, const char *item, bool want_body)
{
	json_t *doc = json_loadb(out->data ? out->data : "", out->len, 0, NULL);
	const char *body;

	if (!json_is_object(doc))
		fuzz_fail("the %s event is not a JSON object: \"%.*s\"", what, (int)out->len, out->data);
	if (want_body) {
		body = json_string_value(json_object_get(doc, "body"));
		if (!body || strcmp(body, item) != 0)
			fuzz_fail("the %s event's body is \"%s\", not the item \"%s\"", what, body ? body : "(none)",
				  item);
	}
	json_decref(doc);
}

static void check_route(const char *text, const char *item, const struct parts *ps)
{
	struct tt_replay_route r, again;
	struct tt_replay_event ev;
	struct tt_err err;
	struct tt_buf out;
	json_t *typed;

	if (tt_replay_route_parse(text, &r, &err) != 0) {
		if (err.kind != TT_ERR_USAGE)
			fuzz_fail("a bad route failed with kind %d", err.kind);
		tt_replay_route_clear(&r);
		return;
	}
	if (!r.key || !r.method || !r.path || !r.function || !*r.method || r.path[0] != '/')
		fuzz_fail("route \"%s\": method \"%s\", path \"%s\"", text, r.method ? r.method : "(null)",
			  r.path ? r.path : "(null)");
	for (const char *m = r.method; *m; m++)
		if (*m >= 'a' && *m <= 'z')
			fuzz_fail("route \"%s\": method \"%s\" is not upper case", text, r.method);
	if (strcmp(r.key, "$default") != 0 &&
	    (strncmp(r.key, r.method, strlen(r.method)) != 0 || r.key[strlen(r.method)] != ' ' ||
	     strcmp(r.key + strlen(r.method) + 1, r.path) != 0))
		fuzz_fail("route \"%s\": key \"%s\" is not \"%s %s\"", text, r.key, r.method, r.path);
	if (tt_replay_route_parse(r.key, &again, &err) != 0 || strcmp(again.key, r.key) != 0 ||
	    strcmp(again.method, r.method) != 0 || strcmp(again.path, r.path) != 0)
		fuzz_fail("route key \"%s\" does not parse to itself", r.key);
	tt_replay_route_clear(&again);

	memset(&ev, 0, sizeof(ev));
	ev.route = &r;
	ev.now_ms = 1714644903123;
	ev.request_id = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef";
	ev.user_agent = "tiertop/0.1 (replay)";
	ev.region = part(ps, 3, NULL);
	ev.table = part(ps, 4, NULL);
	ev.account = part(ps, 5, NULL);

	tt_buf_init(&out, 0);
	tt_replay_build_apigw_v1(&ev, item, &out);
	check_event("apigw", &out, item, true);
	tt_buf_clear(&out);
	tt_replay_build_apigw_v2(&ev, item, &out);
	check_event("apigw2", &out, item, true);
	tt_buf_clear(&out);
	/* The stream event takes typed JSON as it is: any JSON will do here. */
	typed = json_loads(item, JSON_DECODE_ANY, NULL);
	if (typed) {
		tt_replay_build_stream(&ev, item, item, &out);
		check_event("stream", &out, item, false);
		tt_buf_clear(&out);
		json_decref(typed);
	}
	tt_replay_route_clear(&r);
}

static void template_part(const struct parts *ps)
{
	static const char fallback[] = "{\"id\":\"a-1\",\"n\":3,\"tags\":[\"x\",\"y\"],\"m\":{\"k\":null}}";
	struct tt_replay_template t;
	struct tt_err err;
	const char *path = fuzz_file((const uint8_t *)ps->p[0], ps->len[0]);
	const char *item = part(ps, 1, fallback);
	char *arg = malloc(strlen(path) + 2);

	if (!arg)
		abort();
	if (!is_json(item, strlen(item)))
		item = fallback;
	arg[0] = '@';
	strcpy(arg + 1, path);
	memset(&err, 0, sizeof(err));
	if (tt_replay_template_load(arg, &t, &err) != 0) {
		if (err.kind != TT_ERR_USAGE || !err.message[0])
			fuzz_fail("a bad template failed with kind %d, \"%s\"", err.kind, err.message);
		if (t.text || t.path)
			fuzz_fail("a refused template kept its text");
	} else {
		if (t.kind != TT_REPLAY_FILE || t.len != ps->len[0] || memcmp(t.text, ps->p[0], t.len) != 0 ||
		    t.text[t.len])
			fuzz_fail("the loaded template is not the file's text");
		if (!strstr(t.text, TT_REPLAY_PH_ITEM) && !strstr(t.text, TT_REPLAY_PH_ITEM_STRING))
			fuzz_fail("a template without a placeholder loaded");
		build_with(&t, item);
		build_with(&t, "{}");
		build_with(&t, fallback);
		tt_replay_template_clear(&t);
	}
	free(arg);
	check_route(part(ps, 2, "POST /items/{id}"), item, ps);
}

/* --- the config editor ------------------------------------------------------------------ */

static const char *const memo_keys[] = {"replay_function", "replay_template", "replay_route"};

static char cfg_dir[64], cfg_path[96];

static void cleanup_dir(void)
{
	unlink(cfg_path);
	rmdir(cfg_dir);
}

static void make_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	if (cfg_dir[0])
		return;
	snprintf(cfg_dir, sizeof(cfg_dir), "%.40s/ttfuzz-cfg.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(cfg_dir))
		abort();
	snprintf(cfg_path, sizeof(cfg_path), "%s/config", cfg_dir);
	atexit(cleanup_dir);
}

static void write_file(const char *text, size_t len)
{
	FILE *f = fopen(cfg_path, "wb");

	if (!f || (len && fwrite(text, 1, len, f) != len) || fclose(f) != 0)
		abort();
}

static char *read_file(size_t *len)
{
	FILE *f = fopen(cfg_path, "rb");
	char *text = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    !(text = malloc((size_t)n + 1)) || fread(text, 1, (size_t)n, f) != (size_t)n)
		abort();
	fclose(f);
	text[n] = '\0';
	*len = (size_t)n;
	return text;
}

/* The editor's contract: table names of [A-Za-z0-9_.-], values on one
 * line without blanks at either end (and not empty). */
static bool input_ok(const char *table, const char *const *values)
{
	if (!*table)
		return false;
	for (const char *p = table; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_.-", *p))
			return false;
	for (size_t i = 0; i < 3; i++) {
		const char *v = values[i];
		size_t n = v ? strlen(v) : 0;
		if (v && (!n || strpbrk(v, "\r\n") || isspace((unsigned char)v[0]) || isspace((unsigned char)v[n - 1])))
			return false;
	}
	return true;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool same_app(const struct tt_appcfg_app *a, const struct tt_appcfg_app *b)
{
	if (strcmp(a->name, b->name) != 0 || a->nsel != b->nsel || !same_str(a->profile, b->profile) ||
	    !same_str(a->region, b->region) || a->read_only != b->read_only)
		return false;
	for (size_t i = 0; i < a->nsel; i++)
		if (a->sel[i].kind != b->sel[i].kind || strcmp(a->values[i], b->values[i]) != 0)
			return false;
	return true;
}

/* Everything but [table name] reads the same. */
static void check_rest(const struct tt_appcfg *old, const struct tt_appcfg *now, const char *table)
{
	const struct tt_appcfg_table *t;

	if (!same_str(old->default_app, now->default_app) || old->read_only != now->read_only)
		fuzz_fail("[tiertop] changed when [table %s] was written", table);
	if (old->napps != now->napps)
		fuzz_fail("%zu apps became %zu when [table %s] was written", old->napps, now->napps, table);
	for (size_t i = 0; i < old->napps; i++)
		if (!same_app(&old->apps[i], &now->apps[i]))
			fuzz_fail("[app %s] changed when [table %s] was written", old->apps[i].name, table);
	if (now->ntables != old->ntables + (tt_appcfg_table(old, table) ? 0 : 1))
		fuzz_fail("%zu tables became %zu when [table %s] was written", old->ntables, now->ntables, table);
	for (size_t i = 0; i < old->ntables; i++) {
		const struct tt_appcfg_table *o = &old->tables[i];
		if (strcmp(o->name, table) == 0)
			continue;
		t = tt_appcfg_table(now, o->name);
		if (!t || !same_str(o->replay_function, t->replay_function) ||
		    !same_str(o->replay_template, t->replay_template) || !same_str(o->replay_route, t->replay_route))
			fuzz_fail("[table %s] changed when [table %s] was written", o->name, table);
	}
}

static void check_no_leftovers(void)
{
	DIR *d = opendir(cfg_dir);
	struct dirent *e;

	if (!d)
		abort();
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "config"))
			fuzz_fail("the editor left %s behind", e->d_name);
	closedir(d);
}

static void config_part(const struct parts *ps, unsigned flags)
{
	const char *table = part(ps, 1, "Feedback");
	const char *values[3];
	struct tt_appcfg *old = NULL, *now = NULL;
	const struct tt_appcfg_table *t;
	struct tt_err err, lerr;
	struct stat st_before, st_after;
	bool old_ok, missing = ps->len[0] == 0 && (flags & 8);
	char *after;
	size_t after_len = 0;
	int rc;

	for (size_t i = 0; i < 3; i++)
		values[i] = flags & (1u << i) ? NULL : part(ps, 2 + i, NULL);
	make_dir();
	if (missing)
		unlink(cfg_path);
	else
		write_file(ps->p[0], ps->len[0]);
	old_ok = tt_appcfg_load_path(&old, missing ? NULL : cfg_path, &lerr) == 0;
	if (!missing && stat(cfg_path, &st_before) != 0)
		abort();

	memset(&err, 0, sizeof(err));
	rc = tt_appcfg_set_table(cfg_path, table, memo_keys, values, 3, &err);
	check_no_leftovers();
	after = read_file(&after_len);
	if (rc != 0) {
		if (!err.message[0])
			fuzz_fail("a refused edit said nothing");
		if (missing ? after != NULL : !after || after_len != ps->len[0] || memcmp(after, ps->p[0], after_len))
			fuzz_fail("a refused edit (%s) changed the file", err.message);
		if (input_ok(table, values) && old_ok)
			fuzz_fail("a good edit of a good file was refused: %s", err.message);
		if (!input_ok(table, values) && err.kind != TT_ERR_USAGE)
			fuzz_fail("bad input refused with kind %d: %s", err.kind, err.message);
	} else {
		if (!input_ok(table, values))
			fuzz_fail("bad input was written (table \"%s\")", table);
		if (!after)
			fuzz_fail("the edited file is missing");
		if (tt_appcfg_load_path(&now, cfg_path, &lerr) != 0)
			fuzz_fail("the edited file does not read back: %s", lerr.message);
		t = tt_appcfg_table(now, table);
		if (!t)
			fuzz_fail("[table %s] is not in the edited file", table);
		if (!same_str(t->replay_function, values[0]) || !same_str(t->replay_template, values[1]) ||
		    !same_str(t->replay_route, values[2]))
			fuzz_fail("[table %s] reads back as (%s, %s, %s), written (%s, %s, %s)", table,
				  t->replay_function ? t->replay_function : "null",
				  t->replay_template ? t->replay_template : "null",
				  t->replay_route ? t->replay_route : "null", values[0] ? values[0] : "null",
				  values[1] ? values[1] : "null", values[2] ? values[2] : "null");
		if (old_ok)
			check_rest(old, now, table);
		if (!missing && (stat(cfg_path, &st_after) != 0 || (st_after.st_mode & 07777) != (st_before.st_mode & 07777)))
			fuzz_fail("the edit changed the file's mode");
		tt_appcfg_free(&now);
	}
	free(after);
	tt_appcfg_free(&old);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parts ps;
	char *last;

	if (size == 0)
		return 0;
	last = split(data + 1, size - 1, &ps);
	if (data[0] & 1)
		config_part(&ps, data[0] >> 1);
	else
		template_part(&ps);
	free(last);
	return 0;
}
