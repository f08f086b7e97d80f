/* tiertop's own configuration file: which applications there are (what
 * selects each one's resources, in which account and region) and the
 * settings that hold everywhere (read-only mode). The file has the syntax of
 * ~/.aws/config and is read by the same reader:
 *
 *   [tiertop]
 *   # the application shown when none is named
 *   app = feedback
 *   # refuse invoke and replay everywhere
 *   read_only = true
 *
 *   [app feedback]
 *   stacks = feedback-stack
 *   tags = app=feedback
 *   prefixes = feedback-
 *   functions = legacy-export
 *   tables = AuditLog
 *   apis = feedback-api
 *   profile = prod
 *   region = eu-west-1
 *   read_only = true
 *
 * stacks: CloudFormation stacks; tags: KEY=VALUE resource tags; prefixes:
 * name prefixes; functions, tables, apis (id or name): resources named one
 * by one. profile and region apply when --profile and --region are not
 * given. As in ~/.aws/config, a '#' after a value is part of the value.
 *
 * A list takes commas, or goes on over indented continuation lines (the
 * first item on the key's line: "key =" alone starts a nested block); the
 * singular keys (stack, tag, ...) are the same lists. What the entries of an
 * app select is added together. Sections other than [tiertop] and
 * [app NAME], unknown keys and values that are not booleans are errors with
 * FILE:LINE: a typo must not quietly widen or narrow what an operator acts
 * on. read_only can only be turned on: a repeated key or section saying
 * false after true leaves it on.
 *
 * Where: $TIERTOP_CONFIG, else $XDG_CONFIG_HOME/tiertop/config, else
 * ~/.config/tiertop/config. A missing file is an empty configuration,
 * except when $TIERTOP_CONFIG names it (TT_ERR_CONFIG; "" means no file).
 *
 * Ownership: tt_appcfg_load* hand the caller a struct tt_appcfg that owns
 * everything it points to (the selectors' values included); release it with
 * tt_appcfg_free. tt_appcfg_pick returns a pointer into it. */
#ifndef TIERTOP_APPCFG_H
#define TIERTOP_APPCFG_H

#include <stddef.h>

#include "tiertop/stack.h"

struct tt_err;

struct tt_appcfg_app {
	char *name;
	struct tt_select *sel; /* values point into values[] */
	char **values;
	size_t nsel;
	char *profile;         /* NULL when the app does not say */
	char *region;
	int read_only;         /* -1 unset, 0 off, 1 on */
	char *read_only_where; /* "FILE:LINE", NULL when unset */
};

struct tt_appcfg {
	char *path;            /* the file read; "" when there was none */
	char *default_app;     /* [tiertop] app, NULL when unset */
	int read_only;         /* [tiertop] read_only: -1 unset, 0 off, 1 on */
	char *read_only_where;
	struct tt_appcfg_app *apps;
	size_t napps;
};

int tt_appcfg_load(struct tt_appcfg **out, struct tt_err *err);
/* path as given; NULL or "" means no file. */
int tt_appcfg_load_path(struct tt_appcfg **out, const char *path, struct tt_err *err);
void tt_appcfg_free(struct tt_appcfg **cfg);

/* The application to show: the one named (TT_ERR_CONFIG naming the file and
 * the apps it has when there is none of that name), else [tiertop] app,
 * else the only [app] section. *out is NULL when none of these applies. */
int tt_appcfg_pick(const struct tt_appcfg *cfg, const char *name, const struct tt_appcfg_app **out,
		   struct tt_err *err);

#endif
