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
 *   [table Feedback]
 *   # what the console's replay proposes for this table's items
 *   replay_function = submit-feedback
 *   replay_template = apigw
 *   replay_route = POST /feedback
 *
 * stacks: CloudFormation stacks; tags: KEY=VALUE resource tags; prefixes:
 * name prefixes; functions, tables, apis (id or name): resources named one
 * by one. profile and region apply when --profile and --region are not
 * given. As in ~/.aws/config, a '#' after a value is part of the value.
 *
 * A list takes commas, or goes on over indented continuation lines (the
 * first item on the key's line: "key =" alone starts a nested block); the
 * singular keys (stack, tag, ...) are the same lists. What the entries of an
 * app select is added together. [table NAME] holds the replay view's choice
 * for a table's items (function, template as --template takes it, route),
 * written there by the console when a replay is sent (tt_appcfg_set_table)
 * and editable by hand. Sections other than [tiertop], [app NAME] and
 * [table NAME], unknown keys and values that are not booleans are errors with
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
 * tt_appcfg_free. tt_appcfg_pick and tt_appcfg_table return pointers into
 * it; tt_appcfg_path returns a string the caller frees. */
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

/* [table NAME]: the replay choice; NULL members are unset. */
struct tt_appcfg_table {
	char *name;
	char *replay_function;
	char *replay_template;
	char *replay_route;
};

struct tt_appcfg {
	char *path;            /* the file read; "" when there was none */
	char *default_app;     /* [tiertop] app, NULL when unset */
	int read_only;         /* [tiertop] read_only: -1 unset, 0 off, 1 on */
	char *read_only_where;
	struct tt_appcfg_app *apps;
	size_t napps;
	struct tt_appcfg_table *tables;
	size_t ntables;
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

/* The [table NAME] section, or NULL. */
const struct tt_appcfg_table *tt_appcfg_table(const struct tt_appcfg *cfg, const char *name);

/* The file tt_appcfg_load reads (which need not exist); NULL with
 * TT_ERR_CONFIG when TIERTOP_CONFIG is "" (no file at all). */
char *tt_appcfg_path(struct tt_err *err);
/* True when path exists and is not a regular file (a pipe such as
 * TIERTOP_CONFIG=<(...), a FIFO, a device): read once at start, it can be
 * neither read again nor replaced, and opening a FIFO again would wait for
 * a writer in the console's loop. */
bool tt_appcfg_is_special(const char *path);

/* Rewrites the config file at path with the keys of [table NAME] set to
 * values (NULL: the key is removed), every other line kept as it was: the
 * section is added at the end when there is none, the file and its
 * directory created when missing. The new text must read back as a valid
 * configuration before it replaces the file (through a temporary file in
 * the same directory, renamed, so a crash never leaves half a file; a
 * symlink is followed to the file it names, the mode kept). Values with a
 * line break, and table names a header cannot hold, are refused
 * (TT_ERR_USAGE). */
int tt_appcfg_set_table(const char *path, const char *table, const char *const *keys,
			const char *const *values, size_t n, struct tt_err *err);

#endif
