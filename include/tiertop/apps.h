/* The applications of a region, for when nothing is chosen: the root
 * CloudFormation stacks that exist (ListStacks) and the values of a few
 * app-like tag keys (GetTagValues for each of tt_apps_tag_keys), each a
 * candidate selection the console offers and `status` prints.
 *
 * Shaped like the tail and snapshot models: an io table to AWS (a fake in
 * tests), a sink told when every answer is in, cancellable (tt_apps_free
 * while calls are in flight is safe: their answers are dropped), never
 * blocking. All the calls go out at once. A source that fails does not
 * sink the other: its candidates are still listed and its error is kept
 * (tt_apps_error).
 *
 * Ownership: the io and sink contexts are borrowed and must outlive the
 * model. Candidates, their strings and the errors belong to the model and
 * stay valid until the next tt_apps_start or tt_apps_free. */
#ifndef TIERTOP_APPS_H
#define TIERTOP_APPS_H

#include <stdbool.h>
#include <stddef.h>

#include "tiertop/err.h"
#include "tiertop/stack.h"
#include "tiertop/svc_discovery.h"

/* The tag keys asked about, in the order their candidates are listed. */
extern const char *const tt_apps_tag_keys[];
extern const size_t tt_apps_ntag_keys;

enum tt_apps_source {
	TT_APPS_STACKS,
	TT_APPS_TAGS,
	TT_APPS_NSOURCES,
};

struct tt_app_candidate {
	struct tt_select sel; /* TT_SELECT_STACK "name", or TT_SELECT_TAG "key=value" */
	const char *label;    /* "stack feedback-stack", "tag app=feedback" */
	long resources;       /* how many resources, -1 when not known (neither
			       * listing says, and counting costs a call each) */
};

struct tt_apps_io {
	int (*list_stacks)(void *io, tt_name_list_fn done, void *ctx, struct tt_err *err);
	int (*tag_values)(void *io, const char *key, tt_name_list_fn done, void *ctx, struct tt_err *err);
	void *io;
};
/* The io table that asks AWS (aws is borrowed). */
void tt_apps_io_aws(struct tt_apps_io *io, struct tt_aws *aws);

struct tt_apps_sink {
	/* Every call answered: the candidates and errors are final. The model
	 * may be freed inside. */
	void (*done)(void *ctx);
};

struct tt_apps;

struct tt_apps *tt_apps_new(const struct tt_apps_io *io, const struct tt_apps_sink *sink, void *ctx);
void tt_apps_free(struct tt_apps **a);

/* Sends every call (again: a new search drops the old candidates). 0
 * started, 1 already busy. The sink may be called before it returns (an
 * io that answers at once, or that cannot send anything). */
int tt_apps_start(struct tt_apps *a);
bool tt_apps_busy(const struct tt_apps *a);
/* Answered at least once. */
bool tt_apps_finished(const struct tt_apps *a);

/* Stacks by name, then tags by key (in tt_apps_tag_keys order) and value. */
size_t tt_apps_count(const struct tt_apps *a);
const struct tt_app_candidate *tt_apps_get(const struct tt_apps *a, size_t i);
/* Why a source failed (for tags: the first key that failed), or NULL. */
const struct tt_err *tt_apps_error(const struct tt_apps *a, enum tt_apps_source src);

#endif
