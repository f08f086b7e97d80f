/* The applications model with a fake io: every call goes out at once, the
 * answers make sorted candidates, one source's failure keeps the other's,
 * freeing in flight drops the answers, an io that cannot send still ends. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tiertop/apps.h"

#define MAXCALLS 16

struct pending {
	const char *key; /* NULL: ListStacks */
	tt_name_list_fn done;
	void *ctx;
};

struct fake {
	struct pending calls[MAXCALLS];
	size_t n;
	bool refuse;     /* the io cannot send */
	int done;        /* sink calls */
	struct tt_apps *free_in_done;
};

static int fake_stacks(void *io, tt_name_list_fn done, void *ctx, struct tt_err *err)
{
	struct fake *f = io;

	if (f->refuse)
		return tt_err_set(err, TT_ERR_CONFIG, "no endpoint for cloudformation");
	f->calls[f->n++] = (struct pending){NULL, done, ctx};
	return 0;
}

static int fake_values(void *io, const char *key, tt_name_list_fn done, void *ctx, struct tt_err *err)
{
	struct fake *f = io;

	if (f->refuse)
		return tt_err_set(err, TT_ERR_CONFIG, "no endpoint for tagging");
	f->calls[f->n++] = (struct pending){key, done, ctx};
	return 0;
}

static void on_done(void *ctx)
{
	struct fake *f = ctx;

	f->done++;
	if (f->free_in_done)
		tt_apps_free(&f->free_in_done);
}

static struct tt_apps *new_model(struct fake *f)
{
	struct tt_apps_io io = {fake_stacks, fake_values, f};
	struct tt_apps_sink sink = {on_done};

	memset(f, 0, sizeof(*f));
	return tt_apps_new(&io, &sink, f);
}

/* Answers the call for key (NULL: ListStacks) with names, or with err. */
static void answer(struct fake *f, const char *key, const char *const *names, size_t n, const struct tt_err *err)
{
	for (size_t i = 0; i < f->n; i++) {
		struct pending p = f->calls[i];
		struct tt_name_list list = {names, n};
		if ((key == NULL) != (p.key == NULL) || (key && strcmp(key, p.key) != 0))
			continue;
		memmove(&f->calls[i], &f->calls[i + 1], (f->n - i - 1) * sizeof(f->calls[0]));
		f->n--;
		p.done(p.ctx, err ? NULL : &list, err);
		return;
	}
	tap_ok(0, "no call in flight for %s", key ? key : "ListStacks");
}

static void answer_rest_empty(struct fake *f)
{
	while (f->n)
		answer(f, f->calls[0].key, NULL, 0, NULL);
}

static void expect(const struct tt_apps *a, size_t i, enum tt_select_kind kind, const char *value, const char *label)
{
	const struct tt_app_candidate *c = tt_apps_get(a, i);

	if (!tap_ok(c != NULL, "candidate %zu exists", i))
		return;
	tap_ok(c->sel.kind == kind, "candidate %zu kind", i);
	tap_str_eq(c->sel.value, value, "candidate value");
	tap_str_eq(c->label, label, "candidate label");
	tap_ok(c->resources == -1, "resource count unknown");
}

static void test_all_at_once_sorted(void)
{
	struct fake f;
	struct tt_apps *a = new_model(&f);
	static const char *const stacks[] = {"workers-stack", "feedback-stack"};
	static const char *const app[] = {"workers", "feedback", "", "feedback"};
	static const char *const project[] = {"Atlas"};

	tap_ok(!tt_apps_busy(a) && !tt_apps_finished(a), "idle before start");
	tap_ok(tt_apps_start(a) == 0, "starts");
	tap_ok(f.n == 1 + tt_apps_ntag_keys, "every call goes out at once (%zu)", f.n);
	tap_ok(tt_apps_start(a) == 1, "a second start while busy does nothing");
	tap_ok(f.n == 1 + tt_apps_ntag_keys, "... and sends nothing");
	answer(&f, "project", project, 1, NULL);
	answer(&f, "app", app, 4, NULL);
	tap_ok(tt_apps_busy(a) && f.done == 0, "still busy with calls out");
	answer(&f, NULL, stacks, 2, NULL);
	answer_rest_empty(&f);
	tap_ok(f.done == 1, "the sink hears once");
	tap_ok(!tt_apps_busy(a) && tt_apps_finished(a), "finished");
	tap_ok(tt_apps_count(a) == 5, "stacks, then tag values without empties or repeats (%zu)", tt_apps_count(a));
	expect(a, 0, TT_SELECT_STACK, "feedback-stack", "stack feedback-stack");
	expect(a, 1, TT_SELECT_STACK, "workers-stack", "stack workers-stack");
	expect(a, 2, TT_SELECT_TAG, "app=feedback", "tag app=feedback");
	expect(a, 3, TT_SELECT_TAG, "app=workers", "tag app=workers");
	expect(a, 4, TT_SELECT_TAG, "project=Atlas", "tag project=Atlas");
	tap_ok(tt_apps_get(a, 5) == NULL, "nothing past the end");
	tap_ok(!tt_apps_error(a, TT_APPS_STACKS) && !tt_apps_error(a, TT_APPS_TAGS), "no errors");

	/* Again: the old candidates make way for the new answers. */
	tap_ok(tt_apps_start(a) == 0 && tt_apps_count(a) == 0, "a new search starts empty");
	answer_rest_empty(&f);
	tap_ok(f.done == 2 && tt_apps_count(a) == 0, "nothing found is an empty list");
	tt_apps_free(&a);
	tap_ok(a == NULL, "free clears the pointer");
}

static void test_one_source_fails(void)
{
	struct fake f;
	struct tt_apps *a = new_model(&f);
	static const char *const app[] = {"feedback"};
	struct tt_err denied, throttled;

	tt_err_set(&denied, TT_ERR_AWS, "not authorized to perform: cloudformation:ListStacks");
	tt_err_set(&throttled, TT_ERR_AWS, "Rate exceeded");
	tt_apps_start(a);
	answer(&f, NULL, NULL, 0, &denied);
	answer(&f, "app", app, 1, NULL);
	answer_rest_empty(&f);
	tap_ok(f.done == 1 && tt_apps_count(a) == 1, "the tags' candidates survive the stacks' failure");
	expect(a, 0, TT_SELECT_TAG, "app=feedback", "tag app=feedback");
	tap_ok(tt_apps_error(a, TT_APPS_STACKS) && strstr(tt_apps_error(a, TT_APPS_STACKS)->message, "ListStacks"),
	       "the stacks' error is kept");
	tap_ok(tt_apps_error(a, TT_APPS_TAGS) == NULL, "the tags did not fail");

	tt_apps_start(a);
	tap_ok(tt_apps_error(a, TT_APPS_STACKS) == NULL, "a new search forgets the old error");
	static const char *const stacks[] = {"feedback-stack"};
	answer(&f, NULL, stacks, 1, NULL);
	answer(&f, "App", NULL, 0, &throttled);
	answer(&f, "service", NULL, 0, &denied);
	answer_rest_empty(&f);
	tap_ok(tt_apps_count(a) == 1, "the stacks' candidates survive the tags' failure");
	tap_ok(tt_apps_error(a, TT_APPS_TAGS) != NULL, "the tags' error is kept");
	if (tt_apps_error(a, TT_APPS_TAGS))
		tap_str_eq(tt_apps_error(a, TT_APPS_TAGS)->message, "tag key App: Rate exceeded",
			   "the first failure, naming its key");
	tt_apps_free(&a);
}

static void test_free_in_flight(void)
{
	struct fake f;
	struct tt_apps *a = new_model(&f);
	static const char *const stacks[] = {"feedback-stack"};

	tt_apps_start(a);
	answer(&f, NULL, stacks, 1, NULL);
	tt_apps_free(&a);
	answer_rest_empty(&f);
	tap_ok(f.done == 0, "answers after free are dropped, the sink is not called");
}

static void test_free_in_sink(void)
{
	struct fake f;
	struct tt_apps *a = new_model(&f);

	tt_apps_start(a);
	f.free_in_done = a;
	answer_rest_empty(&f);
	tap_ok(f.done == 1 && f.free_in_done == NULL, "the sink may free the model");
}

static void test_cannot_send(void)
{
	struct fake f;
	struct tt_apps *a = new_model(&f);

	f.refuse = true;
	tap_ok(tt_apps_start(a) == 0, "start returns");
	tap_ok(f.done == 1 && !tt_apps_busy(a) && tt_apps_finished(a), "nothing sent: finished at once");
	tap_ok(tt_apps_error(a, TT_APPS_STACKS) && tt_apps_error(a, TT_APPS_TAGS), "both sources say why");
	if (tt_apps_error(a, TT_APPS_TAGS))
		tap_str_eq(tt_apps_error(a, TT_APPS_TAGS)->message, "tag key app: no endpoint for tagging", "tags' error");
	tt_apps_free(&a);
}

int main(void)
{
	test_all_at_once_sorted();
	test_one_source_fails();
	test_free_in_flight();
	test_free_in_sink();
	test_cannot_send();
	return tap_done();
}
