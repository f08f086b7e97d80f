/* The item reader (tiertop/items.h) against a fake DynamoDB: pages only on
 * demand, the resume key, a repeated LastEvaluatedKey, max_items, parallel
 * segments, GetItem, BatchGetItem's dedupe and batches, failures, and
 * freeing the reader while a request is in flight. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tiertop/items.h"
#include "tiertop/sigv4.h"
#include "tiertop/xalloc.h"

/* --- the fake ----------------------------------------------------------------------- */

#define MAX_PENDING 8

enum kind { SCAN, QUERY, GET, BATCH };

struct pending {
	enum kind kind;
	tt_ddb_page_fn page_done;
	tt_ddb_item_fn item_done;
	void *ctx;
	char *start_key;
	long limit;
	int segment, total_segments;
	size_t nkeys;
	char *first_key; /* BATCH: the first key sent, typed JSON */
	bool distinct;   /* BATCH: no key sent twice */
};

static struct fake {
	struct pending p[MAX_PENDING];
	size_t n;
	unsigned requests;
	bool refuse; /* the next request cannot be submitted */
} F;

static struct pending *add(enum kind kind, void *ctx, struct tt_err *err)
{
	struct pending *p;

	if (F.refuse) {
		F.refuse = false;
		return tt_err_set(err, TT_ERR_NETWORK, "cannot submit"), NULL;
	}
	p = &F.p[F.n++];
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->ctx = ctx;
	F.requests++;
	return p;
}

static int fake_read(enum kind kind, const struct tt_ddb_read *in, tt_ddb_page_fn done, void *ctx,
		     struct tt_err *err)
{
	struct pending *p = add(kind, ctx, err);

	if (!p)
		return -1;
	p->page_done = done;
	p->start_key = in->start_key ? tt_xstrdup(in->start_key) : NULL;
	p->limit = in->limit;
	p->segment = in->segment;
	p->total_segments = in->total_segments;
	return 0;
}

static int fake_scan(void *io, const struct tt_ddb_read *in, tt_ddb_page_fn done, void *ctx, struct tt_err *err)
{
	(void)io;
	return fake_read(SCAN, in, done, ctx, err);
}

static int fake_query(void *io, const struct tt_ddb_read *in, tt_ddb_page_fn done, void *ctx, struct tt_err *err)
{
	(void)io;
	return fake_read(QUERY, in, done, ctx, err);
}

static int fake_get(void *io, const struct tt_ddb_get *in, tt_ddb_item_fn done, void *ctx, struct tt_err *err)
{
	struct pending *p = add(GET, ctx, err);

	(void)io;
	(void)in;
	if (!p)
		return -1;
	p->item_done = done;
	return 0;
}

static bool keys_distinct(const struct tt_ddb_value *const *keys, size_t n)
{
	bool ok = true;
	char **canon = tt_xcalloc(n, sizeof(*canon));
	size_t *len = tt_xcalloc(n, sizeof(*len));

	for (size_t i = 0; i < n; i++)
		canon[i] = tt_ddb_key_canonical(keys[i], &len[i]);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (len[i] == len[j] && memcmp(canon[i], canon[j], len[i]) == 0)
				ok = false;
	for (size_t i = 0; i < n; i++)
		free(canon[i]);
	free(canon);
	free(len);
	return ok;
}

static int fake_batch(void *io, const struct tt_ddb_batch_get *in, tt_ddb_page_fn done, void *ctx,
		      struct tt_err *err)
{
	struct pending *p = add(BATCH, ctx, err);

	(void)io;
	if (!p)
		return -1;
	p->page_done = done;
	p->nkeys = in->nkeys;
	p->first_key = tt_ddb_item_text(in->keys[0], TT_DDB_TYPED);
	p->distinct = keys_distinct(in->keys, in->nkeys);
	return 0;
}

static struct tt_items_io fake_io(void)
{
	struct tt_items_io io = {fake_scan, fake_query, fake_get, fake_batch, NULL};
	return io;
}

static void forget(struct pending *p)
{
	free(p->start_key);
	free(p->first_key);
}

static void fake_reset(void)
{
	for (size_t i = 0; i < F.n; i++)
		forget(&F.p[i]);
	memset(&F, 0, sizeof(F));
}

/* Takes the i-th pending request off the list (the answer may add more). */
static struct pending take(size_t i)
{
	struct pending p = F.p[i];

	memmove(&F.p[i], &F.p[i + 1], (F.n - i - 1) * sizeof(F.p[0]));
	F.n--;
	return p;
}

/* Answers the i-th pending read with nitems items numbered from first. */
static void answer_page(size_t i, int first, size_t nitems, const char *last_key)
{
	struct pending p = take(i);
	char items[4096] = "";
	struct tt_ddb_page page = {0};

	for (size_t k = 0; k < nitems; k++)
		snprintf(items + strlen(items), sizeof(items) - strlen(items), "{\"id\":%d}\n", first + (int)k);
	page.items = items;
	page.items_len = strlen(items);
	page.nitems = nitems;
	page.scanned = (long)nitems;
	page.last_key = last_key;
	page.consumed = 0.5 * (double)nitems;
	p.page_done(p.ctx, &page, NULL);
	forget(&p);
}

static void answer_error(size_t i, enum tt_err_kind kind, const char *code)
{
	struct pending p = take(i);
	struct tt_err err;

	tt_err_set(&err, kind, "it broke");
	snprintf(err.code, sizeof(err.code), "%s", code);
	if (p.kind == GET)
		p.item_done(p.ctx, NULL, &err);
	else
		p.page_done(p.ctx, NULL, &err);
	forget(&p);
}

static void answer_item(size_t i, const char *item)
{
	struct pending p = take(i);

	p.item_done(p.ctx, item, NULL);
	forget(&p);
}

/* --- the sink ------------------------------------------------------------------------ */

struct seen {
	struct tt_items *r;
	unsigned pages, ends;
	size_t items;
	char text[8192];
	char last_key[256];
	bool last_key_null;
	size_t number, keys_asked;
	bool auto_more;  /* ask for the next page at once, as the verb does */
	bool free_in_page;
};

static void on_page(void *ctx, const struct tt_items_page *page)
{
	struct seen *s = ctx;

	s->pages++;
	s->items += page->nitems;
	s->number = page->number;
	s->keys_asked = page->keys_asked;
	snprintf(s->text + strlen(s->text), sizeof(s->text) - strlen(s->text), "%.*s", (int)page->items_len,
		 page->items);
	s->last_key_null = !page->last_key;
	snprintf(s->last_key, sizeof(s->last_key), "%s", page->last_key ? page->last_key : "");
	if (s->free_in_page)
		tt_items_free(&s->r);
	else if (s->auto_more)
		tt_items_more(s->r);
}

static void on_end(void *ctx)
{
	struct seen *s = ctx;

	s->ends++;
}

static const struct tt_items_sink SINK = {on_page, on_end};

static struct tt_items *new_reader(struct seen *s, struct tt_items_opts *o)
{
	struct tt_items_io io = fake_io();
	struct tt_err err;

	fake_reset();
	memset(s, 0, sizeof(*s));
	if (!o->table)
		o->table = "Feedback";
	s->r = tt_items_new(o, &io, &SINK, s, &err);
	if (!s->r)
		printf("# tt_items_new: %s\n", err.message);
	return s->r;
}

/* --- the tests ----------------------------------------------------------------------- */

static void test_on_demand(void)
{
	struct tt_items_opts o = {.mode = TT_ITEMS_SCAN, .page_size = 10};
	struct seen s;
	struct tt_items *r = new_reader(&s, &o);

	tap_ok(F.requests == 0, "on demand: nothing asked before tt_items_more");
	tt_items_more(r);
	tap_ok(F.n == 1 && F.p[0].kind == SCAN && !F.p[0].start_key && F.p[0].limit == 10,
	       "on demand: the first page, from the start, Limit = page_size");
	tt_items_more(r);
	tap_ok(F.n == 1, "on demand: asking again while a page is in flight asks nothing more");
	tap_ok(tt_items_status(r, NULL) == 1 && tt_items_state(r)->in_flight == 1, "on demand: running, 1 in flight");
	answer_page(0, 1, 10, "{\"id\":{\"N\":\"10\"}}");
	tap_ok(s.pages == 1 && s.number == 1 && s.items == 10, "on demand: page 1 delivered with its 10 items");
	tap_str_eq(s.last_key, "{\"id\":{\"N\":\"10\"}}", "on demand: the page says where it goes on");
	tap_ok(F.n == 0 && F.requests == 1, "on demand: no second page until asked");
	tap_ok(tt_items_status(r, NULL) == 1 && tt_items_state(r)->more, "on demand: still running, more to come");
	tt_items_more(r);
	tap_ok(F.n == 1 && F.p[0].start_key && strcmp(F.p[0].start_key, "{\"id\":{\"N\":\"10\"}}") == 0,
	       "on demand: page 2 starts after page 1's LastEvaluatedKey");
	answer_page(0, 11, 3, NULL);
	tap_ok(s.pages == 2 && s.number == 2 && s.last_key_null, "on demand: the last page has no key");
	tap_ok(tt_items_state(r)->consumed == 6.5, "on demand: the pages' capacity units add up (%g)",
	       tt_items_state(r)->consumed);
	tap_ok(s.ends == 1 && tt_items_status(r, NULL) == 0, "on demand: complete, on_end once");
	tap_ok(!tt_items_state(r)->more && !tt_items_state(r)->resume_key, "on demand: nothing more, no resume key");
	tt_items_more(r);
	tap_ok(F.requests == 2 && s.ends == 1, "on demand: asking after the end does nothing");
	tt_items_free(&r);
}

static void test_streaming(void)
{
	struct tt_items_opts o = {.mode = TT_ITEMS_QUERY, .key_condition = "pk = :p"};
	struct seen s;
	struct tt_items *r = new_reader(&s, &o);

	s.auto_more = true;
	tt_items_more(r);
	answer_page(0, 1, 2, "{\"k\":{\"S\":\"a\"}}");
	tap_ok(F.n == 1 && F.p[0].kind == QUERY, "streaming: asking from on_page sends the next Query at once");
	answer_page(0, 3, 2, "{\"k\":{\"S\":\"b\"}}");
	answer_page(0, 5, 0, "{\"k\":{\"S\":\"c\"}}"); /* a filtered-out page: keep going */
	answer_page(0, 5, 1, NULL);
	tap_ok(s.pages == 4 && s.items == 5 && s.ends == 1 && tt_items_status(r, NULL) == 0,
	       "streaming: four pages, an empty one included, then the end");
	tap_str_eq(s.text, "{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n{\"id\":4}\n{\"id\":5}\n", "streaming: every item in order");
	tt_items_free(&r);
}

static void test_max_items_and_resume(void)
{
	struct tt_items_opts o = {.mode = TT_ITEMS_SCAN, .max_items = 3, .start_key = "{\"id\":{\"N\":\"0\"}}"};
	struct seen s;
	struct tt_items *r = new_reader(&s, &o);

	s.auto_more = true;
	tt_items_more(r);
	tap_ok(F.n == 1 && F.p[0].start_key && strcmp(F.p[0].start_key, "{\"id\":{\"N\":\"0\"}}") == 0 &&
	       F.p[0].limit == 3, "resume: the first request starts at the given key, Limit = max_items");
	answer_page(0, 1, 2, "{\"id\":{\"N\":\"2\"}}");
	tap_ok(F.n == 1 && F.p[0].limit == 1, "max_items: the next page asks only for what is still wanted");
	answer_page(0, 3, 1, "{\"id\":{\"N\":\"3\"}}");
	tap_ok(s.items == 3 && s.ends == 1 && F.n == 0 && tt_items_status(r, NULL) == 0,
	       "max_items: stops at 3 items without asking again");
	tap_ok(tt_items_state(r)->more, "max_items: says more may follow");
	tap_str_eq(tt_items_state(r)->resume_key, "{\"id\":{\"N\":\"3\"}}", "max_items: the key to go on from");
	tt_items_free(&r);

	o = (struct tt_items_opts){.mode = TT_ITEMS_SCAN, .max_items = 2};
	r = new_reader(&s, &o);
	tt_items_more(r);
	answer_page(0, 1, 3, "{\"id\":{\"N\":\"3\"}}"); /* an endpoint that ignores Limit */
	tap_ok(s.items == 2 && strcmp(s.text, "{\"id\":1}\n{\"id\":2}\n") == 0, "a page over max_items is cut");
	tap_ok(tt_items_state(r)->more && !tt_items_state(r)->resume_key && s.last_key_null,
	       "... more may follow, but no key resumes exactly there");
	tt_items_free(&r);
}

static void test_repeated_key(void)
{
	struct tt_items_opts o = {.mode = TT_ITEMS_SCAN};
	struct seen s;
	struct tt_err err;
	struct tt_items *r = new_reader(&s, &o);

	s.auto_more = true;
	tt_items_more(r);
	answer_page(0, 1, 1, "{\"id\":{\"N\":\"1\"}}");
	answer_page(0, 2, 1, "{\"id\":{\"N\":\"1\"}}");
	tap_ok(s.pages == 2 && F.n == 0, "repeated key: the page is delivered, and nothing more is asked");
	tap_ok(tt_items_status(r, &err) == -1 && strstr(err.message, "same LastEvaluatedKey twice") != NULL,
	       "repeated key: fails, saying so");
	tap_ok(s.ends == 1, "repeated key: on_end once");
	tap_str_eq(tt_items_state(r)->resume_key, "{\"id\":{\"N\":\"1\"}}", "repeated key: the key it stopped at");
	tt_items_free(&r);
}

static void test_failure(void)
{
	struct tt_items_opts o = {.mode = TT_ITEMS_SCAN};
	struct seen s;
	struct tt_err err;
	struct tt_items *r = new_reader(&s, &o);

	s.auto_more = true;
	tt_items_more(r);
	answer_page(0, 1, 2, "{\"id\":{\"N\":\"2\"}}");
	answer_error(0, TT_ERR_AWS, "ProvisionedThroughputExceededException");
	tap_ok(tt_items_status(r, &err) == -1 && err.kind == TT_ERR_AWS &&
	       strcmp(err.code, "ProvisionedThroughputExceededException") == 0, "failure: the error as the io gave it");
	tap_str_eq(tt_items_state(r)->resume_key, "{\"id\":{\"N\":\"2\"}}",
		   "failure: the resume key is where the failed page started");
	tap_ok(s.ends == 1 && s.items == 2, "failure: on_end once, the items before it kept");
	tt_items_free(&r);

	r = new_reader(&s, &o);
	F.refuse = true;
	tt_items_more(r);
	tap_ok(tt_items_status(r, &err) == -1 && err.kind == TT_ERR_NETWORK && s.ends == 1,
	       "failure: a request that cannot be submitted ends the read");
	tt_items_free(&r);
}

static void test_segments(void)
{
	struct tt_items_opts o = {.mode = TT_ITEMS_SCAN, .segments = 3};
	struct seen s;
	struct tt_err err;
	struct tt_items *r = new_reader(&s, &o);

	s.auto_more = true;
	tt_items_more(r);
	tap_ok(F.n == 3 && F.p[0].segment == 0 && F.p[2].segment == 2 && F.p[1].total_segments == 3,
	       "segments: one request per segment, at once");
	answer_page(1, 1, 2, "{\"id\":{\"N\":\"2\"}}");
	tap_ok(F.n == 3 && F.p[2].segment == 1 && F.p[2].start_key, "segments: a segment goes on from its own key");
	answer_page(0, 3, 1, NULL);
	tap_ok(tt_items_status(r, NULL) == 1 && !tt_items_state(r)->resume_key,
	       "segments: one done, the others go on; no single resume key");
	answer_error(0, TT_ERR_NETWORK, "");
	tap_ok(tt_items_status(r, &err) == -1 && s.ends == 0, "segments: a failure waits for the others' answers");
	answer_page(0, 10, 5, "{\"id\":{\"N\":\"14\"}}");
	tap_ok(s.items == 3 && s.ends == 1 && F.n == 0, "segments: ... which are dropped; then on_end, once");
	tt_items_free(&r);

	o = (struct tt_items_opts){.mode = TT_ITEMS_SCAN, .segments = 2, .max_items = 3};
	r = new_reader(&s, &o);
	tt_items_more(r);
	answer_page(0, 1, 3, "{\"id\":{\"N\":\"3\"}}");
	tap_ok(tt_items_status(r, NULL) == 0 && s.ends == 0, "segments: max_items reached; on_end waits for the other");
	answer_error(0, TT_ERR_NETWORK, "");
	tap_ok(tt_items_status(r, NULL) == 0 && s.ends == 1, "segments: a late failure does not undo a complete read");
	tt_items_free(&r);

	o = (struct tt_items_opts){.mode = TT_ITEMS_QUERY, .key_condition = "k = :k", .segments = 2};
	r = new_reader(&s, &o);
	tap_ok(!r, "segments: only a Scan reads in segments");
}

static void test_get(void)
{
	struct tt_items_opts o = {.mode = TT_ITEMS_GET};
	struct seen s;
	struct tt_err err;
	struct tt_items *r;

	tt_ddb_item_parse("{\"id\":1}", 8, TT_DDB_PLAIN, &o.key, &err);
	r = new_reader(&s, &o);
	tt_items_more(r);
	tap_ok(F.n == 1 && F.p[0].kind == GET, "get: one GetItem");
	answer_item(0, "{\"id\":1,\"a\":\"b\"}");
	tap_ok(s.pages == 1 && s.items == 1 && strcmp(s.text, "{\"id\":1,\"a\":\"b\"}\n") == 0 && s.ends == 1 &&
	       tt_items_status(r, NULL) == 0, "get: the item as one line, then the end");
	tt_items_free(&r);

	tt_ddb_item_parse("{\"id\":2}", 8, TT_DDB_PLAIN, &o.key, &err);
	r = new_reader(&s, &o);
	tt_items_more(r);
	answer_item(0, NULL);
	tap_ok(s.pages == 1 && s.items == 0 && s.ends == 1 && tt_items_status(r, NULL) == 0,
	       "get: no such item is an empty page, not an error");
	tt_items_free(&r);
}

/* 231 lines, of which 205 distinct keys: every eighth key again, spelt
 * differently (1 and 1.0 are one number). */
static struct tt_ddb_value **make_keys(size_t *n)
{
	struct tt_ddb_value **keys = tt_xcalloc(300, sizeof(*keys));
	struct tt_err err;
	char text[64];

	*n = 0;
	for (int i = 0; i < 205; i++) {
		snprintf(text, sizeof(text), "{\"id\":%d}", i);
		tt_ddb_item_parse(text, strlen(text), TT_DDB_PLAIN, &keys[(*n)++], &err);
		if (i % 8 == 0) {
			snprintf(text, sizeof(text), "{\"id\":%d.0}", i);
			tt_ddb_item_parse(text, strlen(text), TT_DDB_PLAIN, &keys[(*n)++], &err);
		}
	}
	return keys;
}

static void test_batch(void)
{
	struct tt_items_opts o = {.mode = TT_ITEMS_BATCH_GET};
	struct seen s;
	struct tt_err err;
	struct tt_items *r;

	o.keys = make_keys(&o.nkeys);
	tap_ok(o.nkeys == 231, "batch: 231 key lines");
	r = new_reader(&s, &o);
	tap_ok(tt_items_state(r)->keys == 205, "batch: repeats dropped, 205 distinct keys");
	tt_items_more(r);
	tap_ok(F.n == 1 && F.p[0].kind == BATCH && F.p[0].nkeys == 100 && F.p[0].distinct,
	       "batch: the first 100 distinct keys in one call");
	tap_str_eq(F.p[0].first_key, "{\"id\":{\"N\":\"0\"}}", "batch: in the order given");
	answer_page(0, 0, 98, NULL);
	tap_ok(s.pages == 1 && s.keys_asked == 100 && s.items == 98 && F.n == 0,
	       "batch: a page per call, and nothing more until asked");
	tt_items_more(r);
	tap_ok(F.n == 1 && F.p[0].nkeys == 100 && F.p[0].distinct, "batch: the next 100");
	tap_str_eq(F.p[0].first_key, "{\"id\":{\"N\":\"100\"}}", "batch: starting where the first call ended");
	answer_page(0, 100, 100, NULL);
	tt_items_more(r);
	tap_ok(F.n == 1 && F.p[0].nkeys == 5, "batch: the last 5");
	answer_page(0, 200, 5, NULL);
	tap_ok(s.ends == 1 && tt_items_status(r, NULL) == 0 && s.items == 203 && tt_items_state(r)->items == 203,
	       "batch: complete, 203 of 205 keys found");
	tt_items_free(&r);

	/* The aws layer sends UnprocessedKeys again with a growing pause and
	 * gives up after 8 rounds without progress: that failure ends the read. */
	o = (struct tt_items_opts){.mode = TT_ITEMS_BATCH_GET};
	o.keys = make_keys(&o.nkeys);
	r = new_reader(&s, &o);
	s.auto_more = true;
	tt_items_more(r);
	answer_page(0, 0, 100, NULL);
	answer_error(0, TT_ERR_AWS, "ProvisionedThroughputExceededException");
	tap_ok(tt_items_status(r, &err) == -1 && err.kind == TT_ERR_AWS && s.ends == 1 && F.n == 0,
	       "batch: unprocessed keys given up on: the read fails, nothing more asked");
	tt_items_free(&r);
}

static void test_cancel(void)
{
	struct tt_items_opts o = {.mode = TT_ITEMS_SCAN, .segments = 2};
	struct seen s;
	struct tt_items *r = new_reader(&s, &o);

	tt_items_more(r);
	tt_items_free(&r);
	answer_page(0, 1, 2, "{\"id\":{\"N\":\"2\"}}");
	answer_error(0, TT_ERR_NETWORK, "");
	tap_ok(s.pages == 0 && s.ends == 0 && F.n == 0, "free in flight: the answers are dropped, the sink not called");

	o = (struct tt_items_opts){.mode = TT_ITEMS_SCAN};
	r = new_reader(&s, &o);
	tt_items_more(r);
	tt_items_cancel(r);
	answer_page(0, 1, 2, "{\"id\":{\"N\":\"2\"}}");
	tt_items_more(r);
	tap_ok(s.pages == 0 && s.ends == 0 && F.requests == 1, "cancel: the answer is dropped, nothing more asked");
	tt_items_free(&r);

	o = (struct tt_items_opts){.mode = TT_ITEMS_SCAN, .segments = 2};
	r = new_reader(&s, &o);
	s.free_in_page = true;
	tt_items_more(r);
	answer_page(0, 1, 2, "{\"id\":{\"N\":\"2\"}}");
	tap_ok(s.pages == 1 && !s.r && s.ends == 0, "free inside on_page: safe, no on_end");
	answer_page(0, 3, 2, NULL);
	tap_ok(s.pages == 1, "free inside on_page: the other segment's answer is dropped");
}

static void test_bad_options(void)
{
	struct tt_items_opts o = {.mode = TT_ITEMS_QUERY};
	struct seen s;

	tap_ok(!new_reader(&s, &o), "a Query without a key condition is refused");
	o = (struct tt_items_opts){.mode = TT_ITEMS_GET};
	tap_ok(!new_reader(&s, &o), "GetItem without a key is refused");
	o = (struct tt_items_opts){.mode = TT_ITEMS_SCAN, .segments = TT_ITEMS_MAX_SEGMENTS + 1};
	tap_ok(!new_reader(&s, &o), "too many segments are refused");
}

int main(void)
{
	test_on_demand();
	test_streaming();
	test_max_items_and_resume();
	test_repeated_key();
	test_failure();
	test_segments();
	test_get();
	test_batch();
	test_cancel();
	test_bad_options();
	fake_reset();
	return tap_done();
}
