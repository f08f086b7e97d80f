/* A table's items, read page by page: Scan (optionally in parallel
 * segments), Query, GetItem, or BatchGetItem for a list of keys. The
 * `items` verb and the console's item browser both read through this.
 *
 * Pages are fetched on demand only: tt_items_more asks for the next page
 * (of every segment that is idle), and nothing more is requested until the
 * caller asks again. The verb asks again from its on_page callback and so
 * streams a whole table one page at a time; a browser asks when the user
 * scrolls near the end of what it has, so it never holds the whole table.
 *
 * Shaped like the tail and invoke models: an io table to AWS (a fake in the
 * unit tests), a sink for the pages, driven by the caller's loop, never
 * blocking and never reading the clock (nothing here needs the time: the
 * pause before UnprocessedKeys are sent again belongs to the aws layer).
 * tt_items_free at any point is safe: answers still on their way are
 * dropped and the sink is not called again.
 *
 * Ownership: tt_items_new copies the strings and names of its options and
 * takes over the values, key and keys (see struct tt_items_opts), also
 * when it fails. The io and sink contexts are borrowed and must outlive the
 * reader. A page passed to on_page is borrowed for the call; what
 * tt_items_state and tt_items_status return belongs to the reader. */
#ifndef TIERTOP_ITEMS_H
#define TIERTOP_ITEMS_H

#include <stdbool.h>
#include <stddef.h>

#include "tiertop/err.h"
#include "tiertop/svc_dynamodb.h"

struct tt_items;
struct tt_kv;

enum tt_items_mode {
	TT_ITEMS_SCAN,
	TT_ITEMS_QUERY,     /* needs key_condition */
	TT_ITEMS_GET,       /* needs key: one page of 0 or 1 item */
	TT_ITEMS_BATCH_GET, /* needs keys: pages of up to TT_ITEMS_KEYS_PER_CALL keys' items */
};

/* BatchGetItem's limit: keys per call, and so per page. */
#define TT_ITEMS_KEYS_PER_CALL 100
/* Parallel Scan segments at most. */
#define TT_ITEMS_MAX_SEGMENTS 64

struct tt_items_opts {
	enum tt_items_mode mode;
	const char *table;
	const char *index;         /* Scan and Query: IndexName, or NULL */
	const char *key_condition; /* Query */
	const char *filter;        /* Scan and Query */
	const char *projection;
	const struct tt_kv *names; /* "#n" -> attribute name; copied */
	size_t nnames;
	struct tt_ddb_value *values;  /* ":v" -> value (an M), or NULL: handed over */
	struct tt_ddb_value *key;     /* GET: handed over */
	struct tt_ddb_value **keys;   /* BATCH_GET: the array and each key handed over; repeats are dropped */
	size_t nkeys;
	const char *start_key;     /* resume after this LastEvaluatedKey (typed JSON), or NULL */
	long max_items;            /* Scan and Query: stop after this many items; 0 = all */
	long page_size;            /* Scan and Query: Limit per request (items evaluated); 0 = DynamoDB's
				    * 1 MB, or what max_items still wants when it is less */
	int segments;              /* Scan: > 1 reads that many segments at once */
	bool descending;           /* Query */
	bool consistent;
	enum tt_ddb_format format; /* how items are written */
};

struct tt_items_page {
	size_t number;          /* 1, 2, ... across all segments */
	int segment;            /* 0 unless a parallel Scan */
	const char *items;      /* JSON Lines, nitems lines each ending in '\n' */
	size_t items_len;
	size_t nitems;          /* at most what max_items still allowed */
	long scanned;           /* ScannedCount (Scan and Query) */
	double consumed;        /* capacity units (ReturnConsumedCapacity TOTAL); < 0: not known
				 * (GetItem, or an endpoint that did not say) */
	const char *last_key;   /* where this segment goes on (typed JSON); NULL: it is complete */
	size_t keys_asked;      /* BATCH_GET: keys this page asked for */
};

struct tt_items_sink {
	void (*on_page)(void *ctx, const struct tt_items_page *page);
	/* The read is over (complete, stopped at max_items, or failed: see
	 * tt_items_status), and nothing is in flight any more. Called once; the
	 * reader may be freed inside. May be NULL. */
	void (*on_end)(void *ctx);
};

/* How the reader talks to DynamoDB: tt_items_io_aws for the real thing.
 * Same contracts as svc_dynamodb.h. */
struct tt_items_io {
	int (*scan)(void *io, const struct tt_ddb_read *in, tt_ddb_page_fn done, void *ctx, struct tt_err *err);
	int (*query)(void *io, const struct tt_ddb_read *in, tt_ddb_page_fn done, void *ctx, struct tt_err *err);
	int (*get)(void *io, const struct tt_ddb_get *in, tt_ddb_item_fn done, void *ctx, struct tt_err *err);
	int (*batch_get)(void *io, const struct tt_ddb_batch_get *in, tt_ddb_page_fn done, void *ctx,
			 struct tt_err *err);
	void *io;
};
void tt_items_io_aws(struct tt_items_io *io, struct tt_aws *aws);

struct tt_items_state {
	size_t pages;
	size_t items;          /* delivered */
	size_t keys;           /* BATCH_GET: distinct keys (after repeats were dropped) */
	double consumed;       /* sum of the pages' capacity units; < 0 when none was reported */
	size_t in_flight;      /* requests not answered yet */
	/* The read stopped before the table's end: max_items was reached (or
	 * the reader has idle segments the caller has not asked for yet). */
	bool more;
	/* A single read's next ExclusiveStartKey: where a new reader would go on
	 * after the last item delivered (also after a failure: the key the
	 * failed page started from). NULL when complete, in a parallel Scan, or
	 * when a page had to be cut short (no key resumes exactly there). */
	const char *resume_key;
};

/* NULL with err (TT_ERR_USAGE) when the options do not make a read. */
struct tt_items *tt_items_new(const struct tt_items_opts *opts, const struct tt_items_io *io,
			      const struct tt_items_sink *sink, void *ctx, struct tt_err *err);
/* Drops what is in flight (the sink is not called again) and frees. */
void tt_items_free(struct tt_items **r);

/* Asks for the next page of every idle segment. Does nothing while a page
 * is in flight for them, after the end or after a failure. A request that
 * cannot be submitted fails the read (on_end may run inside). */
void tt_items_more(struct tt_items *r);
/* Stops: answers still on their way are dropped; on_end is not called. */
void tt_items_cancel(struct tt_items *r);

/* 1 while more pages may come (in flight, or waiting for tt_items_more);
 * 0 when complete or stopped at max_items; -1 on failure (err filled: the
 * first error of any segment; "DynamoDB sent the same LastEvaluatedKey
 * twice; stopping" when a page would start over). */
int tt_items_status(const struct tt_items *r, struct tt_err *err);
const struct tt_items_state *tt_items_state(struct tt_items *r);

#endif
