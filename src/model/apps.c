/* Finding a region's applications (see apps.h): ListStacks and one
 * GetTagValues per key, all at once, gathered into candidates. */
#include <stdlib.h>
#include <string.h>

#include "tiertop/apps.h"
#include "tiertop/xalloc.h"

/* Lower-case and capitalised spellings are different keys to AWS, and
 * people use both. */
const char *const tt_apps_tag_keys[] = {"app", "application", "App", "Application", "service", "project"};
const size_t tt_apps_ntag_keys = sizeof(tt_apps_tag_keys) / sizeof(tt_apps_tag_keys[0]);

#define NCALLS (1 + sizeof(tt_apps_tag_keys) / sizeof(tt_apps_tag_keys[0]))

/* One call in flight. It outlives a freed model: the answer then finds
 * model == NULL and is dropped (the engine has no cancel). */
struct call {
	struct tt_apps *model;
	size_t slot; /* 0: ListStacks; k + 1: the tag key k */
	struct call *next;
};

/* What one call brought. */
struct names {
	char **v;
	size_t n;
};

/* A candidate and the strings its public view points at. */
struct cand {
	struct tt_app_candidate pub;
	char *value, *label;
};

struct tt_apps {
	struct tt_apps_io io;
	struct tt_apps_sink sink;
	void *ctx;
	struct call *calls;
	size_t pending;
	bool finished;
	struct names got[NCALLS];
	bool failed[TT_APPS_NSOURCES];
	struct tt_err err[TT_APPS_NSOURCES];
	struct cand *cands;
	size_t ncands;
};

static void names_clear(struct names *n)
{
	for (size_t i = 0; i < n->n; i++)
		free(n->v[i]);
	free(n->v);
	memset(n, 0, sizeof(*n));
}

static void cands_clear(struct tt_apps *a)
{
	for (size_t i = 0; i < a->ncands; i++) {
		free(a->cands[i].value);
		free(a->cands[i].label);
	}
	free(a->cands);
	a->cands = NULL;
	a->ncands = 0;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static void add_cand(struct tt_apps *a, enum tt_select_kind kind, char *value, char *label)
{
	a->cands = tt_xrealloc(a->cands, (a->ncands + 1) * sizeof(*a->cands));
	a->cands[a->ncands++] = (struct cand){{{kind, value}, label, -1}, value, label};
}

/* Sorted, repeats dropped (pages may overlap), empties skipped (a tag
 * with no value names no application). */
static void add_slot(struct tt_apps *a, size_t slot)
{
	struct names *n = &a->got[slot];

	if (n->n > 1)
		qsort(n->v, n->n, sizeof(*n->v), cmp_str);
	for (size_t i = 0; i < n->n; i++) {
		if (!*n->v[i] || (i && strcmp(n->v[i], n->v[i - 1]) == 0))
			continue;
		if (slot == 0) {
			add_cand(a, TT_SELECT_STACK, tt_xstrdup(n->v[i]), tt_xasprintf("stack %s", n->v[i]));
		} else {
			const char *key = tt_apps_tag_keys[slot - 1];
			add_cand(a, TT_SELECT_TAG, tt_xasprintf("%s=%s", key, n->v[i]),
				 tt_xasprintf("tag %s=%s", key, n->v[i]));
		}
	}
}

/* Last thing a path does: the sink may free the model. */
static void finish(struct tt_apps *a)
{
	for (size_t s = 0; s < NCALLS; s++)
		add_slot(a, s);
	a->finished = true;
	if (a->sink.done)
		a->sink.done(a->ctx);
}

static void record(struct tt_apps *a, size_t slot, const struct tt_name_list *list, const struct tt_err *err)
{
	enum tt_apps_source src = slot == 0 ? TT_APPS_STACKS : TT_APPS_TAGS;
	struct names *n = &a->got[slot];

	if (err) {
		if (!a->failed[src]) {
			a->failed[src] = true;
			a->err[src] = *err;
			/* AWS's own message may not say which of the calls it answers. */
			if (slot > 0)
				tt_err_prefix(&a->err[src], "tag key %s", tt_apps_tag_keys[slot - 1]);
		}
		return;
	}
	for (size_t i = 0; list && i < list->n; i++) {
		n->v = tt_xrealloc(n->v, (n->n + 1) * sizeof(*n->v));
		n->v[n->n++] = tt_xstrdup(list->names[i]);
	}
}

static void on_answer(void *ctx, const struct tt_name_list *list, const struct tt_err *err)
{
	struct call *c = ctx;
	struct tt_apps *a = c->model;
	size_t slot = c->slot;

	if (a)
		for (struct call **p = &a->calls; *p; p = &(*p)->next)
			if (*p == c) {
				*p = c->next;
				break;
			}
	free(c);
	if (!a)
		return;
	record(a, slot, list, err);
	if (--a->pending == 0)
		finish(a);
}

static void launch(struct tt_apps *a, size_t slot)
{
	struct call *c = tt_xcalloc(1, sizeof(*c));
	struct tt_err err;
	int rc;

	c->model = a;
	c->slot = slot;
	c->next = a->calls;
	a->calls = c;
	tt_err_clear(&err);
	rc = slot == 0 ? a->io.list_stacks(a->io.io, on_answer, c, &err)
		       : a->io.tag_values(a->io.io, tt_apps_tag_keys[slot - 1], on_answer, c, &err);
	/* Not sent: the callback will not run, so answer in its place. */
	if (rc)
		on_answer(c, NULL, &err);
}

int tt_apps_start(struct tt_apps *a)
{
	if (a->pending)
		return 1;
	cands_clear(a);
	for (size_t s = 0; s < NCALLS; s++)
		names_clear(&a->got[s]);
	memset(a->failed, 0, sizeof(a->failed));
	/* Counted before any goes out: an io may answer inside the call. */
	a->pending = NCALLS;
	for (size_t s = 0; s < NCALLS; s++)
		launch(a, s);
	return 0;
}

struct tt_apps *tt_apps_new(const struct tt_apps_io *io, const struct tt_apps_sink *sink, void *ctx)
{
	struct tt_apps *a = tt_xcalloc(1, sizeof(*a));

	a->io = *io;
	if (sink)
		a->sink = *sink;
	a->ctx = ctx;
	return a;
}

void tt_apps_free(struct tt_apps **ap)
{
	struct tt_apps *a = *ap;

	if (!a)
		return;
	for (struct call *c = a->calls; c; c = c->next)
		c->model = NULL;
	cands_clear(a);
	for (size_t s = 0; s < NCALLS; s++)
		names_clear(&a->got[s]);
	free(a);
	*ap = NULL;
}

bool tt_apps_busy(const struct tt_apps *a)
{
	return a->pending > 0;
}

bool tt_apps_finished(const struct tt_apps *a)
{
	return a->finished;
}

size_t tt_apps_count(const struct tt_apps *a)
{
	return a->ncands;
}

const struct tt_app_candidate *tt_apps_get(const struct tt_apps *a, size_t i)
{
	return i < a->ncands ? &a->cands[i].pub : NULL;
}

const struct tt_err *tt_apps_error(const struct tt_apps *a, enum tt_apps_source src)
{
	return src < TT_APPS_NSOURCES && a->failed[src] ? &a->err[src] : NULL;
}

/* --- the io table that asks AWS -------------------------------------------------- */

static int aws_list_stacks(void *io, tt_name_list_fn done, void *ctx, struct tt_err *err)
{
	return tt_cfn_list_stacks(io, done, ctx, err);
}

static int aws_tag_values(void *io, const char *key, tt_name_list_fn done, void *ctx, struct tt_err *err)
{
	return tt_tagging_get_values(io, key, done, ctx, err);
}

void tt_apps_io_aws(struct tt_apps_io *io, struct tt_aws *aws)
{
	io->list_stacks = aws_list_stacks;
	io->tag_values = aws_tag_values;
	io->io = aws;
}
