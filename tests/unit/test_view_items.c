/* The item browser over a fake DynamoDB: pages read only as the cursor
 * nears the end, the bounded window, the query form's key conditions, the
 * local filter, the detail (plain and typed, a big number exact), marks and
 * the export to JSON Lines, the copy, and the replay hook with the keys.
 * Golden screens at 80x24 and 160x48, UTF-8 and ASCII (the view in rows
 * 1..h-2, as the console draws). */
#define _XOPEN_SOURCE 700

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "testutil.h"
#include "viewtest.h"
#include "tiertop/aws.h"
#include "tiertop/buf.h"
#include "tiertop/canvas.h"
#include "tiertop/help.h"
#include "tiertop/items.h"
#include "tiertop/keys.h"
#include "tiertop/sigv4.h"
#include "tiertop/utf8.h"
#include "tiertop/views.h"
#include "tiertop/xalloc.h"

/* --- the fake DynamoDB ------------------------------------------------------------------ */

struct fake {
	int scans, queries, describes;
	tt_ddb_page_fn page_done;
	void *page_ctx;
	tt_ddb_table_fn desc_done;
	void *desc_ctx;
	char start_key[256];
	char index[64], key_condition[256], names[256], values[512];
	long limit;
	char replay_table[64], replay_keys[4][256];
	size_t replay_n;
	int replays;
};

static struct fake F;

/* A request whose reader was freed (a new query, the view closed) is
 * answered as the engine would answer it, so the model frees its call. */
static void flush_pending(void)
{
	struct tt_err err;
	tt_ddb_page_fn done = F.page_done;

	if (!done)
		return;
	F.page_done = NULL;
	tt_err_set(&err, TT_ERR_NETWORK, "dropped by the test");
	done(F.page_ctx, NULL, &err);
}

static int fake_read(const struct tt_ddb_read *in, tt_ddb_page_fn done, void *ctx)
{
	flush_pending();
	F.page_done = done;
	F.page_ctx = ctx;
	F.limit = in->limit;
	snprintf(F.start_key, sizeof(F.start_key), "%s", in->start_key ? in->start_key : "");
	return 0;
}

static int fake_scan(void *io, const struct tt_ddb_read *in, tt_ddb_page_fn done, void *ctx, struct tt_err *err)
{
	(void)io, (void)err;
	F.scans++;
	return fake_read(in, done, ctx);
}

static int fake_query(void *io, const struct tt_ddb_read *in, tt_ddb_page_fn done, void *ctx, struct tt_err *err)
{
	char *v;

	(void)io, (void)err;
	F.queries++;
	snprintf(F.index, sizeof(F.index), "%s", in->index ? in->index : "");
	snprintf(F.key_condition, sizeof(F.key_condition), "%s", in->key_condition);
	F.names[0] = 0;
	for (size_t i = 0; i < in->nnames; i++)
		snprintf(F.names + strlen(F.names), sizeof(F.names) - strlen(F.names), "%s=%s ", in->names[i].key,
			 in->names[i].value);
	v = tt_ddb_item_text(in->values, TT_DDB_TYPED);
	snprintf(F.values, sizeof(F.values), "%s", v);
	free(v);
	return fake_read(in, done, ctx);
}

static int fake_describe(void *io, const char *table, tt_ddb_table_fn done, void *ctx, struct tt_err *err)
{
	(void)io, (void)err, (void)table;
	F.describes++;
	F.desc_done = done;
	F.desc_ctx = ctx;
	return 0;
}

static const struct tt_items_io IO = {.scan = fake_scan, .query = fake_query};

static void set_key(struct tt_ddb_key_schema *k, const char *hash, const char *range)
{
	k->hash = tt_xstrdup(hash);
	k->range = range ? tt_xstrdup(range) : NULL;
}

/* Feedback: feedbackId (S), createdAt (S); GSI ByStatus (status, createdAt),
 * GSI ByRating (rating N). Or Orders: orderId (N) alone. */
static void answer_describe(bool orders)
{
	struct tt_ddb_table *t = tt_xcalloc(1, sizeof(*t));
	static const char *const defs[][2] = {
	    {"feedbackId", "S"}, {"createdAt", "S"}, {"status", "S"}, {"rating", "N"}};

	t->name = tt_xstrdup(orders ? "Orders" : "Feedback");
	t->status = tt_xstrdup("ACTIVE");
	t->billing_mode = tt_xstrdup("PAY_PER_REQUEST");
	if (orders) {
		set_key(&t->key, "orderId", NULL);
		t->attrs = tt_xcalloc(1, sizeof(*t->attrs));
		t->attrs[0] = (struct tt_ddb_attr_def){tt_xstrdup("orderId"), tt_xstrdup("N")};
		t->nattrs = 1;
	} else {
		set_key(&t->key, "feedbackId", "createdAt");
		t->attrs = tt_xcalloc(4, sizeof(*t->attrs));
		for (size_t i = 0; i < 4; i++)
			t->attrs[i] = (struct tt_ddb_attr_def){tt_xstrdup(defs[i][0]), tt_xstrdup(defs[i][1])};
		t->nattrs = 4;
		t->gsis = tt_xcalloc(2, sizeof(*t->gsis));
		t->gsis[0].name = tt_xstrdup("ByStatus");
		set_key(&t->gsis[0].key, "status", "createdAt");
		t->gsis[1].name = tt_xstrdup("ByRating");
		set_key(&t->gsis[1].key, "rating", NULL);
		t->ngsis = 2;
	}
	F.desc_done(F.desc_ctx, t, NULL);
}

/* Items fb-FIRST... of a feedback table, typed as DynamoDB sends them. */
static void answer_page(int first, int n, bool more)
{
	struct tt_buf b;
	char last[128];
	struct tt_ddb_page page = {0};
	tt_ddb_page_fn done = F.page_done;

	tt_buf_init(&b, 0);
	for (int i = first; i < first + n; i++)
		tt_buf_printf(&b,
			      "{\"feedbackId\":{\"S\":\"fb-%04d\"},\"createdAt\":{\"S\":\"2026-01-%02dT10:00:00Z\"},"
			      "\"rating\":{\"N\":\"%d\"},\"status\":{\"S\":\"%s\"},\"text\":{\"S\":\"%s\"}%s}\n",
			      i, 1 + i % 28, 1 + i % 5, i % 3 ? "new" : "read",
			      i == 3 ? "caf\xc3\xa9 \\u001b[31mred\\u001b[0m" : "great service",
			      i == 2 ? ",\"score\":{\"N\":\"12345678901234567890.123\"}" : "");
	snprintf(last, sizeof(last), "{\"feedbackId\":{\"S\":\"fb-%04d\"}}", first + n - 1);
	page.items = b.data;
	page.items_len = b.len;
	page.nitems = (size_t)n;
	page.scanned = n;
	page.last_key = more ? last : NULL;
	page.consumed = 0.5;
	F.page_done = NULL;
	done(F.page_ctx, &page, NULL);
	tt_buf_clear(&b);
}

/* --- the env ------------------------------------------------------------------------ */

static void env_replay(void *con, const char *table, const char *const *keys, size_t n)
{
	(void)con;
	F.replays++;
	snprintf(F.replay_table, sizeof(F.replay_table), "%s", table);
	F.replay_n = n;
	for (size_t i = 0; i < n && i < 4; i++)
		snprintf(F.replay_keys[i], sizeof(F.replay_keys[i]), "%s", keys[i]);
}

static struct tt_aws AWS = {.region = "us-east-1"};

static struct tt_view_env ENV = {.aws = &AWS, .utf8 = true, .color = true, VT_ENV_FAKES};

/* --- helpers ------------------------------------------------------------------------- */

static void keys(struct tt_view *v, const char *s)
{
	uint32_t cp;

	for (size_t i = 0, n; s[i]; i += n) {
		n = tt_utf8_next(s + i, strlen(s + i), &cp);
		v->ops->key(v, s[i] == '\n' ? TT_KEY_ENTER : (int)cp, 1000);
	}
}

static void key(struct tt_view *v, int k)
{
	v->ops->key(v, k, 1000);
}

static struct tt_view *new_view(long page_size, size_t max_items)
{
	struct tt_view_items_opts o = {.io = &IO, .describe = fake_describe, .page_size = page_size,
				       .max_items = max_items};

	flush_pending();
	memset(&F, 0, sizeof(F));
	vt_env_reset();
	return tt_view_items_new(&ENV, "Feedback", &o);
}

/* Ticks and answers every page asked for, numbering on from *next. */
static void settle(struct tt_view *v, int *next, int per_page)
{
	for (int i = 0; i < 50; i++) {
		v->ops->tick(v, 1000);
		if (!F.page_done)
			return;
		answer_page(*next, per_page, true);
		*next += per_page;
	}
}

/* --- the tests ------------------------------------------------------------------------- */

static void paging(void)
{
	struct tt_view *v = new_view(10, 0);
	int next = 1;

	tap_ok(F.scans == 0 && F.describes == 0, "nothing is read before the first tick");
	v->ops->tick(v, 1000);
	tap_ok(F.describes == 1 && F.scans == 1 && F.limit == 10, "the first tick describes and scans one page");
	answer_describe(false);
	answer_page(next, 10, true);
	next += 10;
	vt_golden(v, "items_page1_80x24", 80, 24, true);
	settle(v, &next, 10);
	tap_ok(F.scans == 2, "a screen of 19 rows with 10 items: one more page (%d scans)", F.scans);
	tap_str_eq(F.start_key, "{\"feedbackId\":{\"S\":\"fb-0010\"}}", "page 2 starts after page 1");
	key(v, TT_KEY_DOWN);
	tap_ok(F.scans == 3, "the cursor a screen from the end: the next page is asked for (%d scans)", F.scans);
	settle(v, &next, 10);
	for (int i = 0; i < 9; i++)
		key(v, TT_KEY_DOWN);
	settle(v, &next, 10);
	tap_ok(F.scans == 3, "scrolling within what is loaded reads nothing (%d scans)", F.scans);
	key(v, TT_KEY_DOWN);
	tap_ok(F.scans == 4, "a row further: the next page (%d scans)", F.scans);
	settle(v, &next, 10);
	tap_ok(vt_on_screen(v, "4 pages, 40 items, 2.0 RCU, more below | scan", false), "the header: pages, items, capacity units");
	vt_golden(v, "items_scrolled_80x24", 80, 24, true);
	vt_golden(v, "items_scrolled_80x24_ascii", 80, 24, false);
	vt_golden(v, "items_scrolled_160x48", 160, 48, true);
	vt_golden(v, "items_scrolled_160x48_ascii", 160, 48, false);
	tap_ok(vt_on_screen(v, "caf\xc3\xa9 ^[[31mred", false), "an escape in an item is shown, not sent");
	key(v, TT_KEY_RIGHT);
	tap_ok(vt_on_screen(v, "< columns", true) || vt_on_screen(v, "\xe2\x97\x80 columns", true), "Right scrolls the columns");
	tap_ok(!vt_on_screen(v, "rating", true), "the first non-key column is gone");
	key(v, TT_KEY_LEFT);
	tap_ok(vt_on_screen(v, "rating", false), "Left brings it back");
	tap_ok(v->ops->key(v, TT_KEY_LEFT, 1000) == TT_VIEW_IGNORED, "Left at the first column is the console's");
	v->ops->free(v);
}

static void bounded(void)
{
	struct tt_view *v = new_view(10, 25);
	int next = 1;

	v->ops->tick(v, 1000);
	answer_describe(false);
	answer_page(next, 10, true);
	next += 10;
	settle(v, &next, 10);
		tap_ok(vt_on_screen(v, "items 6-30 (older dropped)", false), "only 25 held, and the header says which");
	tap_ok(!vt_on_screen(v, "fb-0005 ", true) && vt_on_screen(v, "fb-0006", false), "the oldest are the ones dropped");
	for (int i = 0; i < 30; i++)
		key(v, TT_KEY_DOWN);
	settle(v, &next, 10);
	tap_ok(vt_on_screen(v, "items 26-50 (older dropped)", false), "scrolling on keeps the window moving");
	v->ops->free(v);
}

static void query_form(void)
{
	struct tt_view *v = new_view(10, 0);
	int next = 1;

	key(v, 'q');
	tap_ok(vt_on_screen(v, "not known yet", false), "q before the description: says why not");
	v->ops->tick(v, 1000);
	answer_describe(false);
	answer_page(next, 10, true);
	key(v, 'q');
	tap_ok(vt_on_screen(v, "GSI ByStatus: status, createdAt", false), "the form lists the indexes");
	vt_golden(v, "items_query_80x24", 80, 24, true);
	keys(v, "\nfb-0007\n");
	tap_ok(vt_on_screen(v, "createdAt (S)", false), "then the sort key's condition");
	keys(v, "between 2026-01-01 and 2026-02-01\n");
	tap_ok(F.queries == 1 && !F.index[0], "a Query on the table");
	tap_str_eq(F.key_condition, "#pk = :pk AND #sk BETWEEN :sk AND :sk2", "between");
	tap_str_eq(F.names, "#pk=feedbackId #sk=createdAt ", "names");
	tap_str_eq(F.values,
		   "{\":pk\":{\"S\":\"fb-0007\"},\":sk\":{\"S\":\"2026-01-01\"},\":sk2\":{\"S\":\"2026-02-01\"}}",
		   "values typed as the key's type");
	answer_page(7, 1, false);
	tap_ok(vt_on_screen(v, "1 page, 1 item, 0.5 RCU, all read | query feedbackId = fb-0007, between", false),
	       "the header says the query and its end");

	keys(v, "qByStatus\nnew\nbegins_with 2026-01-1\n");
	tap_ok(F.queries == 2 && strcmp(F.index, "ByStatus") == 0, "a Query on a GSI");
	tap_str_eq(F.key_condition, "#pk = :pk AND begins_with(#sk, :sk)", "begins_with");
	keys(v, "qByRating\n4.50\n");
	tap_str_eq(F.values, "{\":pk\":{\"N\":\"4.50\"}}", "a number as typed, no sort key asked");
	tap_str_eq(F.key_condition, "#pk = :pk", "partition key alone");
	keys(v, "qByRating\nfour\n");
	tap_ok(F.queries == 3 && vt_on_screen(v, "not queried: rating is a number: four is not one", false),
	       "a bad number is refused");
	keys(v, "q\nfb-1\n>= x\n");
	tap_str_eq(F.key_condition, "#pk = :pk AND #sk >= :sk", ">=");
	keys(v, "q\nfb-1\nabout 3\n");
	tap_ok(F.queries == 4 && vt_on_screen(v, "not a sort key condition", false), "nonsense is refused");
	keys(v, "qNoSuch\n");
	tap_ok(vt_on_screen(v, "no index NoSuch", false), "an unknown index is refused");
	key(v, 's');
	tap_ok(F.scans == 2 && vt_on_screen(v, "0 pages, 0 items, reading... | scan", false), "s scans again");
	v->ops->free(v);
}

static void filter_detail(void)
{
	struct tt_view *v = new_view(10, 0);
	int next = 1;

	v->ops->tick(v, 1000);
	answer_describe(false);
	answer_page(next, 10, true);
	next += 10;
	settle(v, &next, 10);
	keys(v, "/GREAT\n");
	tap_ok(vt_on_screen(v, "30 items, 1.5 RCU, /GREAT: 29 shown", false), "the filter: a substring of the JSON, any case");
	settle(v, &next, 10);
	tap_ok(F.scans == 3, "a filter does not read on by itself");
	keys(v, "/\x15nothing at all\n");
	key(v, TT_KEY_DOWN);
	tap_ok(F.scans == 4 && vt_on_screen(v, "/nothing at all: 0 shown", false), "Down with nothing shown reads a page");
	answer_page(next, 10, true);
	next += 10;
	tap_ok(!vt_on_screen(v, "fb-0003", true), "what does not match is hidden");
	keys(v, "/\x15\n");
	tap_ok(vt_on_screen(v, "40 items", false) && vt_on_screen(v, "fb-0003", false), "an empty filter shows all");
	key(v, TT_KEY_DOWN);
	key(v, TT_KEY_ENTER);
	tap_ok(vt_on_screen(v, "\"score\": 12345678901234567890.123", false), "detail: plain JSON, the number exact");
	vt_golden(v, "items_detail_80x24", 80, 24, true);
	key(v, 't');
	tap_ok(vt_on_screen(v, "\"N\": \"12345678901234567890.123\"", false), "t: typed DynamoDB JSON");
	vt_golden(v, "items_detail_typed_80x24", 80, 24, true);
	key(v, 'y');
	tap_ok(strstr(vt_log.copied, "{\"feedbackId\":{\"S\":\"fb-0002\"}") == vt_log.copied,
	       "y in typed detail copies typed JSON");
	key(v, TT_KEY_ESC);
	tap_ok(vt_on_screen(v, "feedbackId createdAt", false), "Esc: back to the list");
	key(v, 'y');
	tap_ok(strstr(vt_log.copied, "\"score\":12345678901234567890.123") != NULL && vt_log.copied[1] == '"',
	       "y copies the plain item");
	v->ops->free(v);
}

static void marks_export_replay(const char *dir)
{
	struct tt_view *v = new_view(10, 0);
	struct tt_view_env env = ENV;
	char path[512], link[512], typed[600], *text;
	int next = 1;
	struct stat st;

	v->ops->tick(v, 1000);
	answer_describe(false);
	answer_page(next, 10, true);
	key(v, 'R');
	tap_ok(vt_on_screen(v, "replay is not available here", false), "no replay hook: says so");
	key(v, ' ');
	key(v, TT_KEY_DOWN);
	key(v, ' ');
	tap_ok(vt_on_screen(v, "2 marked", false), "Space marks, the header counts");
	key(v, 'x');
	tap_ok(vt_on_screen(v, "./Feedback-items.jsonl", false), "the export proposes ./TABLE-items.jsonl");
	vt_golden(v, "items_export_80x24", 80, 24, true);
	snprintf(path, sizeof(path), "%s/out.jsonl", dir);
	snprintf(typed, sizeof(typed), "\x15%s\n", path);
	keys(v, typed);
	text = tu_read_file(path, NULL);
	tap_ok(text && strncmp(text, "{\"feedbackId\":\"fb-0001\"", 23) == 0 &&
		       strstr(text, "}\n{\"feedbackId\":\"fb-0003\"") && strstr(text, "\"rating\":2,") &&
		       text[strlen(text) - 1] == '\n' && !strstr(text, "fb-0002"),
	       "the marked items as JSON Lines, plain, numbers as numbers");
	if (stat(path, &st))
		st.st_mode = 0;
	tap_ok((st.st_mode & 0777) == 0600, "mode 0600, whatever the umask (%o)", (unsigned)(st.st_mode & 0777));
	free(text);
	key(v, 'x');
	keys(v, typed);
	tap_ok(vt_on_screen(v, "overwrite it?", false), "an existing file: asks first");
	key(v, 'n');
	tap_ok(vt_on_screen(v, "not exported", false), "n: not written");
	key(v, ' ');
	key(v, 'x');
	keys(v, typed);
	key(v, 'y');
	text = tu_read_file(path, NULL);
	tap_ok(text && strstr(text, "fb-0004") && vt_on_screen(v, "exported 3 items", false), "y: overwritten with 3 items");
	free(text);
	/* A symlink planted where the export goes is never followed, even after a yes. */
	snprintf(link, sizeof(link), "%s/link.jsonl", dir);
	tap_ok(symlink(path, link) == 0, "a symlink to the export");
	snprintf(typed, sizeof(typed), "\x15%s\n", link);
	key(v, 'x');
	keys(v, typed);
	key(v, 'y');
	text = tu_read_file(path, NULL);
	tap_ok(vt_on_screen(v, "not exported", false) && text && strstr(text, "fb-0004"),
	       "y onto a symlink: refused, its target untouched");
	free(text);
	remove(link);
	v->ops->free(v);

	env.open_replay = env_replay;
	flush_pending();
	memset(&F, 0, sizeof(F));
	vt_env_reset();
	{
		struct tt_view_items_opts o = {.io = &IO, .describe = fake_describe};
		v = tt_view_items_new(&env, "Feedback", &o);
	}
	v->ops->tick(v, 1000);
	answer_describe(false);
	answer_page(1, 10, true);
	key(v, TT_KEY_DOWN);
	key(v, 'R');
	tap_ok(F.replays == 1 && F.replay_n == 1 && strcmp(F.replay_table, "Feedback") == 0,
	       "R without marks: the current item");
	tap_str_eq(F.replay_keys[0], "{\"feedbackId\":\"fb-0002\",\"createdAt\":\"2026-01-03T10:00:00Z\"}",
		   "its key attributes only");
	key(v, ' ');
	key(v, ' ');
	key(v, 'R');
	tap_ok(F.replays == 2 && F.replay_n == 2 && strstr(F.replay_keys[1], "fb-0003"), "R: the marked items' keys");
	v->ops->free(v);
}

/* A number key travels as its text. */
static void number_key(void)
{
	struct tt_view_env env = ENV;
	struct tt_view_items_opts o = {.io = &IO, .describe = fake_describe};
	struct tt_view *v;
	const char *item = "{\"orderId\":{\"N\":\"123456789012345678901234567890\"},\"total\":{\"N\":\"1.10\"}}\n";
	struct tt_ddb_page page = {.items = item, .items_len = strlen(item), .nitems = 1, .consumed = -1};

	flush_pending();
	memset(&F, 0, sizeof(F));
	vt_env_reset();
	env.open_replay = env_replay;
	v = tt_view_items_new(&env, "Orders", &o);
	v->ops->tick(v, 1000);
	answer_describe(true);
	{
		tt_ddb_page_fn done = F.page_done;
		F.page_done = NULL;
		done(F.page_ctx, &page, NULL);
	}
	key(v, 'R');
	tap_str_eq(F.replay_keys[0], "{\"orderId\":123456789012345678901234567890}", "a number key exact");
	tap_ok(vt_on_screen(v, "1 page, 1 item, all read | scan", false), "no capacity reported: none shown");
	v->ops->free(v);
}

/* --- the list-navigation keys ------------------------------------------------------------ */


/* PgUp/PgDn/Home/End/g/G, seen in the table's position ("19/40"): 40
 * items all read, 19 shown at 80x24 (a page moves 18), clamped at both
 * ends; then G with more to read asks for the next page. */
static void nav_keys(void)
{
	static const char *const help[6] = {"previous item", "next item; near the end the next page is read",
					    "previous page of items", "next page of items", "first item",
					    "last item loaded"};
	static const struct {
		int key;
		const char *pos;
	} steps[] = {
	    {TT_KEY_PGDN, " 19/40"}, {TT_KEY_PGDN, " 37/40"}, {TT_KEY_PGDN, " 40/40"}, {TT_KEY_PGUP, " 22/40"},
	    {TT_KEY_HOME, " 1/40"},  {TT_KEY_PGUP, " 1/40"},  {TT_KEY_END, " 40/40"}, {'k', " 39/40"},
	    {'g', " 1/40"},          {'j', " 2/40"},          {'G', " 40/40"},        {TT_KEY_DOWN, " 40/40"},
	};
	struct tt_view *v = new_view(50, 0);
	int next = 1;
	char name[16];

	v->ops->tick(v, 1000);
	answer_describe(false);
	answer_page(1, 40, false);
	tap_ok(vt_on_screen(v, " 1/40", false), "40 items, the first selected");
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		int r = v->ops->key(v, steps[i].key, 1000);
		tap_ok(r == TT_VIEW_HANDLED && vt_on_screen(v, steps[i].pos, false), "%s: the selection at%s",
		       tt_key_name(steps[i].key, name), steps[i].pos);
	}
	vt_check_nav_help(v, help);
	v->ops->free(v);

	v = new_view(10, 0);
	v->ops->tick(v, 1000);
	answer_describe(false);
	answer_page(next, 10, true);
	next += 10;
	vt_on_screen(v, "", true); /* drawn: the table knows its page */
	settle(v, &next, 10);
	tap_ok(F.scans == 2 && vt_on_screen(v, " 1/20", false), "20 items read, more below");
	key(v, 'G');
	tap_ok(F.scans == 3 && vt_on_screen(v, " 20/20", false), "G: the last loaded, and the next page is asked for (%d scans)",
	       F.scans);
	settle(v, &next, 10);
	v->ops->free(v);
}

int main(void)
{
	char *dir = tu_mkdtemp();

	setlocale(LC_CTYPE, "C.UTF-8");
	paging();
	bounded();
	query_form();
	filter_detail();
	marks_export_replay(dir);
	number_key();
	nav_keys();
	flush_pending();
	free(dir);
	return tap_done();
}
