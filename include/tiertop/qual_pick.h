/* The qualifier pick list of the invoke view (issue 8: "a qualifier
 * (version or alias, listed)"): a box over the screen that asks Lambda for
 * the function's versions and aliases, shows them as a table (an alias with
 * the version it points to, and the share it sends elsewhere), and hands
 * back the one chosen with Enter. Esc keeps the qualifier as it was.
 *
 * Ownership: tt_qual_pick_open returns a pick the caller frees with
 * tt_qual_pick_free, at any time: an answer still on its way is dropped
 * (it holds a small ticket the free unlinks, not the pick). function and
 * current are copied; io and dirty are borrowed and must outlive the pick.
 * tt_qual_pick_choice points into the pick. */
#ifndef TIERTOP_QUAL_PICK_H
#define TIERTOP_QUAL_PICK_H

#include <stdbool.h>

#include "tiertop/canvas.h"
#include "tiertop/svc_lambda.h"

struct tt_qual_pick;

/* tt_lambda_list_qualifiers's shape, with io in front of it (a fake in the
 * unit tests, the engine's tt_aws for the real thing). */
typedef int (*tt_qual_list_fn)(void *io, const char *function, tt_lambda_qualifiers_fn done, void *ctx,
			       struct tt_err *err);
/* The real one: io is a struct tt_aws. */
int tt_qual_list_aws(void *io, const char *function, tt_lambda_qualifiers_fn done, void *ctx, struct tt_err *err);

enum tt_qual_pick_result {
	TT_QUAL_PICK_OPEN,
	TT_QUAL_PICK_CHOSEN,    /* Enter on a row: tt_qual_pick_choice */
	TT_QUAL_PICK_CANCELLED, /* Esc */
};

/* Starts the listing at once; *dirty is set when its answer arrives.
 * current (the qualifier in use, "" for none) is selected when listed. */
struct tt_qual_pick *tt_qual_pick_open(const char *function, const char *current, tt_qual_list_fn list, void *io,
				       bool *dirty);
void tt_qual_pick_free(struct tt_qual_pick **p);
enum tt_qual_pick_result tt_qual_pick_key(struct tt_qual_pick *p, int key);
/* The qualifier chosen: "" for $LATEST (what sending without one means). */
const char *tt_qual_pick_choice(const struct tt_qual_pick *p);
void tt_qual_pick_draw(struct tt_qual_pick *p, struct tt_canvas *c);

#endif
