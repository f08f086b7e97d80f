/* Which application a verb or the console looks at: the selector options
 * (--stack, --tag, --prefix, --function, --table, --api; they add up),
 * else the configured application (--app or the config's default), else
 * the whole region (every API, function and table), so nothing refuses to
 * start for want of a selection.
 *
 * Ownership: the selection owns its array; the values are borrowed from
 * argv or the configuration, which outlive it. */
#ifndef TIERTOP_APP_SELECT_H
#define TIERTOP_APP_SELECT_H

#include <stdbool.h>
#include <stddef.h>

#include "opts.h"
#include "tiertop/stack.h"

struct tt_app;

struct tt_selection {
	struct tt_select *sel;
	size_t n;
	bool whole_region; /* nothing chosen: every resource of the region */
};

/* 1 when flag is a selector (value taken), 0 when it is not, -1 when its
 * value is wrong (msg says why). */
int tt_selection_add(struct tt_selection *s, const char *flag, const char *value, const char **msg);
/* True for --stack, --tag... (a selector flag, which takes a value). */
bool tt_selection_is_flag(const char *arg);
/* After the options: the configured application, or the whole region when
 * none is configured. Returns an exit code: 0, TT_EXIT_USAGE when several
 * applications are configured and none is chosen, TT_EXIT_CONFIG for an
 * [app] that selects nothing (with a message printed). */
int tt_selection_finish(struct tt_selection *s, const struct tt_app *app, const char *verb);
void tt_selection_clear(struct tt_selection *s);

/* The selector options, for the option tables of the verbs that take them. */
#define TT_SELECTION_OPTS                                                                                     \
	{"--stack", "NAME", TT_OPT_REPEAT, "a CloudFormation stack's resources (nested stacks followed)"},    \
	{"--tag", "KEY=VALUE", TT_OPT_REPEAT, "the resources with this tag"},                                 \
	{"--prefix", "PREFIX", TT_OPT_REPEAT, "the resources whose name starts so ('' = the whole region)"},  \
	{"--function", "NAME", TT_OPT_REPEAT, "a function"},                                                  \
	{"--table", "NAME", TT_OPT_REPEAT, "a table"},                                                        \
	{"--api", "ID|NAME", TT_OPT_REPEAT, "a REST or HTTP API"}

/* Every selector option given, in order. 0, or -1 with msg set (static). */
int tt_selection_from_opts(struct tt_selection *s, const struct tt_opts *o, const char **msg);

#endif
