/* The item reader (see items.h): pages of a Scan, Query, GetItem or
 * BatchGetItem, each fetched when the caller asks. */
#include <stdlib.h>
#include <string.h>

#include "tiertop/items.h"
#include "tiertop/sigv4.h"
#include "tiertop/xalloc.h"

/* A request in flight. It outlives a freed or cancelled reader: the answer
 * then finds r == NULL and is dropped (the aws layer has no cancel). */
struct call {
	struct tt_items *r;
	int seg;
};

/* One read: the whole Scan or Query, or one segment of a parallel Scan. */
struct seg {
	char *start_key; /* the next page's ExclusiveStartKey */
	struct call *call;
	bool done;
};

struct tt_items {
	/* the options, owned */
	enum tt_items_mode mode;
	char *table, *index, *key_condition, *filter, *projection;
	struct tt_kv *names;
	char **name_text;
	size_t nnames;
	struct tt_ddb_value *values, *key, **keys;
	size_t nkeys;
	long page_size;
	bool descending, consistent;
	enum tt_ddb_format format;

	struct tt_items_io io;
	struct tt_items_sink sink;
	void *ctx;

	struct seg *segs;
	int nsegs;
	long remaining;    /* items still wanted; -1 for all */
	size_t next_key;   /* BATCH_GET: the first key not asked for yet */
	bool cut;          /* a page was cut short at max_items */
	int status;        /* as tt_items_status */
	struct tt_err err;
	bool ended;        /* on_end was called, or the reader was cancelled */
	int depth;         /* sink callbacks running */
	bool freed;        /* tt_items_free ran inside a sink callback */
	struct tt_items_state state;
};

static char *dup_or_null(const char *s)
{
	return s ? tt_xstrdup(s) : NULL;
}

static void free_keys(struct tt_ddb_value **keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tt_ddb_value_free(&keys[i]);
	free(keys);
}

static void destroy(struct tt_items *r)
{
	for (int i = 0; i < r->nsegs; i++) {
		if (r->segs[i].call)
			r->segs[i].call->r = NULL;
		free(r->segs[i].start_key);
	}
	free(r->segs);
	free(r->table);
	free(r->index);
	free(r->key_condition);
	free(r->filter);
	free(r->projection);
	for (size_t i = 0; i < r->nnames * 2; i++)
		free(r->name_text[i]);
	free(r->name_text);
	free(r->names);
	tt_ddb_value_free(&r->values);
	tt_ddb_value_free(&r->key);
	free_keys(r->keys, r->nkeys);
	free(r);
}

static int check_opts(const struct tt_items_opts *o, struct tt_err *err)
{
	if (!o->table || !*o->table)
		return tt_err_set(err, TT_ERR_USAGE, "which table?");
	if (o->mode == TT_ITEMS_QUERY && !o->key_condition)
		return tt_err_set(err, TT_ERR_USAGE, "a Query needs a key condition");
	if (o->mode == TT_ITEMS_GET && !o->key)
		return tt_err_set(err, TT_ERR_USAGE, "GetItem needs a key");
	if (o->mode == TT_ITEMS_BATCH_GET && o->nkeys == 0)
		return tt_err_set(err, TT_ERR_USAGE, "no key to read");
	if (o->segments < 0 || o->segments > TT_ITEMS_MAX_SEGMENTS)
		return tt_err_set(err, TT_ERR_USAGE, "segments go from 1 to %d", TT_ITEMS_MAX_SEGMENTS);
	if (o->segments > 1 && (o->mode != TT_ITEMS_SCAN || o->start_key))
		return tt_err_set(err, TT_ERR_USAGE, "only a whole-table Scan reads in segments");
	if (o->max_items < 0 || o->page_size < 0)
		return tt_err_set(err, TT_ERR_USAGE, "a negative number of items");
	return 0;
}

static void copy_names(struct tt_items *r, const struct tt_kv *names, size_t n)
{
	r->nnames = n;
	r->names = tt_xcalloc(n + 1, sizeof(*r->names));
	r->name_text = tt_xcalloc(n * 2 + 1, sizeof(*r->name_text));
	for (size_t i = 0; i < n; i++) {
		r->name_text[2 * i] = tt_xstrdup(names[i].key);
		r->name_text[2 * i + 1] = tt_xstrdup(names[i].value);
		r->names[i] = (struct tt_kv){r->name_text[2 * i], r->name_text[2 * i + 1]};
	}
}

/* Takes over what the options hand over, whatever happens next. */
static struct tt_items *take_opts(const struct tt_items_opts *o)
{
	struct tt_items *r = tt_xcalloc(1, sizeof(*r));

	r->mode = o->mode;
	r->values = o->values;
	r->key = o->key;
	r->keys = o->keys;
	r->nkeys = o->nkeys;
	r->table = dup_or_null(o->table);
	r->index = dup_or_null(o->index);
	r->key_condition = dup_or_null(o->key_condition);
	r->filter = dup_or_null(o->filter);
	r->projection = dup_or_null(o->projection);
	copy_names(r, o->names, o->nnames);
	r->page_size = o->page_size;
	r->descending = o->descending;
	r->consistent = o->consistent;
	r->format = o->format;
	return r;
}

struct tt_items *tt_items_new(const struct tt_items_opts *opts, const struct tt_items_io *io,
			      const struct tt_items_sink *sink, void *ctx, struct tt_err *err)
{
	struct tt_items *r = take_opts(opts);

	if (check_opts(opts, err)) {
		destroy(r);
		return NULL;
	}
	r->io = *io;
	r->sink = *sink;
	r->ctx = ctx;
	r->status = 1;
	r->remaining = opts->max_items > 0 ? opts->max_items : -1;
	r->nsegs = opts->segments > 1 ? opts->segments : 1;
	r->segs = tt_xcalloc((size_t)r->nsegs, sizeof(*r->segs));
	r->segs[0].start_key = dup_or_null(opts->start_key);
	if (r->mode == TT_ITEMS_BATCH_GET)
		r->nkeys = tt_ddb_keys_dedupe(r->keys, r->nkeys);
	r->state.keys = r->nkeys;
	r->state.consumed = -1;
	return r;
}

void tt_items_free(struct tt_items **rp)
{
	struct tt_items *r = *rp;

	*rp = NULL;
	if (!r)
		return;
	if (r->depth > 0) {
		/* Inside a sink callback: the callback's caller frees on return. */
		tt_items_cancel(r);
		r->freed = true;
		return;
	}
	destroy(r);
}

void tt_items_cancel(struct tt_items *r)
{
	for (int i = 0; i < r->nsegs; i++) {
		if (r->segs[i].call) {
			r->segs[i].call->r = NULL;
			r->segs[i].call = NULL;
		}
	}
	r->state.in_flight = 0;
	r->ended = true;
}

/* --- the end ----------------------------------------------------------------------- */

/* Closes a sink callback; false when the reader was freed inside it (and is gone now). */
static bool after_callback(struct tt_items *r)
{
	if (--r->depth == 0 && r->freed) {
		destroy(r);
		return false;
	}
	return true;
}

static void maybe_end(struct tt_items *r)
{
	if (r->status == 1 || r->state.in_flight > 0 || r->ended)
		return;
	r->ended = true;
	if (!r->sink.on_end)
		return;
	r->depth++;
	r->sink.on_end(r->ctx);
	after_callback(r);
}

/* The first failure is the one reported; a read already over stays so. */
static void fail(struct tt_items *r, const struct tt_err *err)
{
	if (r->status != 1)
		return;
	r->err = *err;
	r->status = -1;
}

static bool all_done(const struct tt_items *r)
{
	for (int i = 0; i < r->nsegs; i++)
		if (!r->segs[i].done)
			return false;
	return true;
}

/* Delivers one page; false when the reader was freed inside. */
static bool deliver(struct tt_items *r, struct tt_items_page *page)
{
	page->number = ++r->state.pages;
	if (page->consumed >= 0)
		r->state.consumed = (r->state.consumed < 0 ? 0 : r->state.consumed) + page->consumed;
	r->state.items += page->nitems;
	r->depth++;
	r->sink.on_page(r->ctx, page);
	return after_callback(r);
}

/* --- Scan and Query -------------------------------------------------------------- */

static void fill_read(const struct tt_items *r, int i, struct tt_ddb_read *rd)
{
	memset(rd, 0, sizeof(*rd));
	rd->table = r->table;
	rd->index = r->index;
	rd->key_condition = r->mode == TT_ITEMS_QUERY ? r->key_condition : NULL;
	rd->filter = r->filter;
	rd->projection = r->projection;
	rd->names = r->names;
	rd->nnames = r->nnames;
	rd->values = r->values;
	rd->start_key = r->segs[i].start_key;
	rd->limit = r->page_size;
	if (r->remaining > 0 && (rd->limit == 0 || r->remaining < rd->limit))
		rd->limit = r->remaining;
	rd->descending = r->descending;
	rd->consistent = r->consistent;
	if (r->nsegs > 1) {
		rd->segment = i;
		rd->total_segments = r->nsegs;
	}
	rd->format = r->format;
}

/* Cuts the page to what max_items still allows; true when it had more. */
static bool cut_page(const struct tt_items *r, struct tt_items_page *p)
{
	const char *end = p->items;

	if (r->remaining < 0 || p->nitems <= (size_t)r->remaining)
		return false;
	for (long i = 0; i < r->remaining; i++)
		end = strchr(end, '\n') + 1;
	p->items_len = (size_t)(end - p->items);
	p->nitems = (size_t)r->remaining;
	return true;
}

/* The call's answer has come: the segment it was for, or NULL when the
 * reader is gone or has stopped. */
static struct seg *answered(struct call *call, struct tt_items **rp)
{
	struct tt_items *r = call->r;
	int i = call->seg;

	free(call);
	*rp = r;
	if (!r)
		return NULL;
	r->segs[i].call = NULL;
	r->state.in_flight--;
	return &r->segs[i];
}

/* After a page: is the read over? */
static void settle(struct tt_items *r, bool repeated)
{
	struct tt_err e;

	if (repeated) {
		tt_err_set(&e, TT_ERR_AWS, "DynamoDB sent the same LastEvaluatedKey twice; stopping");
		fail(r, &e);
	} else if (r->status == 1 && (r->remaining == 0 || r->cut || all_done(r))) {
		r->status = 0;
	}
	maybe_end(r);
}

static void on_read(void *ctx, const struct tt_ddb_page *page, const struct tt_err *err)
{
	struct tt_items *r;
	struct seg *s = answered(ctx, &r);
	struct tt_items_page p = {0};
	bool repeated;

	if (!s)
		return;
	if (err || r->status != 1) {
		if (err)
			fail(r, err);
		maybe_end(r); /* another segment failed, or max_items was reached: dropped */
		return;
	}
	p.segment = (int)(s - r->segs);
	p.items = page->items;
	p.items_len = page->items_len;
	p.nitems = page->nitems;
	p.scanned = page->scanned;
	p.consumed = page->consumed;
	repeated = page->last_key && s->start_key && strcmp(page->last_key, s->start_key) == 0;
	if (cut_page(r, &p)) {
		/* Limit stops DynamoDB at what was asked for: only a misbehaving
		 * endpoint sends more, and then no key resumes exactly there. */
		r->cut = true;
		s->done = true;
		free(s->start_key);
		s->start_key = NULL;
	} else if (repeated) {
		s->done = true;
		p.last_key = page->last_key;
	} else {
		free(s->start_key);
		s->start_key = dup_or_null(page->last_key);
		s->done = !s->start_key;
		p.last_key = s->start_key;
	}
	if (r->remaining > 0)
		r->remaining -= (long)p.nitems;
	if (deliver(r, &p))
		settle(r, repeated);
}

/* --- GetItem and BatchGetItem ---------------------------------------------------- */

static void on_item(void *ctx, const char *item, const struct tt_err *err)
{
	struct tt_items *r;
	struct seg *s = answered(ctx, &r);
	struct tt_items_page p = {0};
	char *line = NULL;

	if (!s)
		return;
	if (err || r->status != 1) {
		if (err)
			fail(r, err);
		maybe_end(r);
		return;
	}
	s->done = true;
	if (item) {
		size_t len = strlen(item);
		line = tt_xmalloc(len + 2);
		memcpy(line, item, len);
		memcpy(line + len, "\n", 2);
		p.items = line;
		p.items_len = len + 1;
		p.nitems = 1;
	} else {
		p.items = "";
	}
	p.keys_asked = 1;
	p.consumed = -1; /* GetItem does not ask for it */
	if (deliver(r, &p))
		settle(r, false);
	free(line);
}

static size_t batch_size(const struct tt_items *r)
{
	size_t left = r->nkeys - r->next_key;

	return left < TT_ITEMS_KEYS_PER_CALL ? left : TT_ITEMS_KEYS_PER_CALL;
}

static void on_batch(void *ctx, const struct tt_ddb_page *page, const struct tt_err *err)
{
	struct tt_items *r;
	struct seg *s = answered(ctx, &r);
	struct tt_items_page p = {0};

	if (!s)
		return;
	if (err || r->status != 1) {
		if (err)
			fail(r, err);
		maybe_end(r);
		return;
	}
	p.keys_asked = batch_size(r);
	r->next_key += p.keys_asked;
	s->done = r->next_key == r->nkeys;
	p.items = page->items;
	p.items_len = page->items_len;
	p.nitems = page->nitems;
	p.consumed = page->consumed;
	if (deliver(r, &p))
		settle(r, false);
}

/* --- asking ------------------------------------------------------------------------- */

static int submit(struct tt_items *r, int i, struct call *call, struct tt_err *err)
{
	struct tt_ddb_read rd;

	switch (r->mode) {
	case TT_ITEMS_SCAN:
		fill_read(r, i, &rd);
		return r->io.scan(r->io.io, &rd, on_read, call, err);
	case TT_ITEMS_QUERY:
		fill_read(r, i, &rd);
		return r->io.query(r->io.io, &rd, on_read, call, err);
	case TT_ITEMS_GET: {
		struct tt_ddb_get g = {r->table, r->key,	     r->projection, r->names,
				       r->nnames, r->consistent, r->format};
		return r->io.get(r->io.io, &g, on_item, call, err);
	}
	case TT_ITEMS_BATCH_GET: {
		struct tt_ddb_batch_get b = {r->table,	      (const struct tt_ddb_value *const *)r->keys + r->next_key,
					     batch_size(r),   r->projection,
					     r->names,	      r->nnames,
					     r->consistent,   r->format};
		return r->io.batch_get(r->io.io, &b, on_batch, call, err);
	}
	}
	return tt_err_set(err, TT_ERR_FAILURE, "unknown read");
}

void tt_items_more(struct tt_items *r)
{
	if (r->status != 1 || r->remaining == 0 || r->ended)
		return;
	for (int i = 0; i < r->nsegs && r->status == 1; i++) {
		struct seg *s = &r->segs[i];
		struct call *call;
		struct tt_err err;

		if (s->done || s->call)
			continue;
		call = tt_xcalloc(1, sizeof(*call));
		call->r = r;
		call->seg = i;
		if (submit(r, i, call, &err)) {
			free(call);
			fail(r, &err);
			break;
		}
		s->call = call;
		r->state.in_flight++;
	}
	maybe_end(r);
}

/* --- what it has -------------------------------------------------------------------- */

int tt_items_status(const struct tt_items *r, struct tt_err *err)
{
	if (r->status == -1 && err)
		*err = r->err;
	return r->status;
}

const struct tt_items_state *tt_items_state(struct tt_items *r)
{
	r->state.more = r->cut || (r->status != -1 && !all_done(r));
	r->state.resume_key = r->nsegs == 1 && !r->cut ? r->segs[0].start_key : NULL;
	return &r->state;
}

/* --- the real thing ------------------------------------------------------------------ */

static int aws_scan(void *io, const struct tt_ddb_read *in, tt_ddb_page_fn done, void *ctx, struct tt_err *err)
{
	return tt_ddb_scan(io, in, done, ctx, err);
}

static int aws_query(void *io, const struct tt_ddb_read *in, tt_ddb_page_fn done, void *ctx, struct tt_err *err)
{
	return tt_ddb_query(io, in, done, ctx, err);
}

static int aws_get(void *io, const struct tt_ddb_get *in, tt_ddb_item_fn done, void *ctx, struct tt_err *err)
{
	return tt_ddb_get_item(io, in, done, ctx, err);
}

static int aws_batch_get(void *io, const struct tt_ddb_batch_get *in, tt_ddb_page_fn done, void *ctx,
			 struct tt_err *err)
{
	return tt_ddb_batch_get(io, in, done, ctx, err);
}

void tt_items_io_aws(struct tt_items_io *io, struct tt_aws *aws)
{
	io->scan = aws_scan;
	io->query = aws_query;
	io->get = aws_get;
	io->batch_get = aws_batch_get;
	io->io = aws;
}
