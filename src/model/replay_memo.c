/* What the console's replay view proposes (the function the wiring names)
 * and remembers per table (replay_batch.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tiertop/appcfg.h"
#include "tiertop/replay_batch.h"
#include "tiertop/stack.h"
#include "tiertop/xalloc.h"

/* --- the default function ------------------------------------------------------------------- */

static const struct tt_stack_function *find_function(const struct tt_stack *st, const char *name)
{
	for (size_t i = 0; i < st->nfunctions; i++)
		if (st->functions[i].name && strcmp(st->functions[i].name, name) == 0)
			return &st->functions[i];
	return NULL;
}

/* How fn reaches table: its link, or NULL. */
static const struct tt_stack_link *link_to(const struct tt_stack_function *fn, const char *table)
{
	for (size_t i = 0; fn && i < fn->ntables; i++)
		if (fn->tables[i].table && strcmp(fn->tables[i].table, table) == 0)
			return &fn->tables[i];
	return NULL;
}

/* The function behind a route that reaches table; POST routes only when post. */
static const char *route_function(const struct tt_stack *st, const char *table, bool post)
{
	for (size_t a = 0; a < st->napis; a++)
		for (size_t r = 0; r < st->apis[a].nroutes; r++) {
			const struct tt_stack_route *route = &st->apis[a].routes[r];
			if (!route->function || !*route->function || (post && strncmp(route->route, "POST ", 5) != 0))
				continue;
			if (link_to(find_function(st, route->function), table))
				return route->function;
		}
	return NULL;
}

const char *tt_replay_default_function(const struct tt_stack *st, const char *table)
{
	const char *name;

	if (!st || !table)
		return NULL;
	if ((name = route_function(st, table, true)) || (name = route_function(st, table, false)))
		return name;
	for (size_t i = 0; i < st->nfunctions; i++) {
		const struct tt_stack_link *l = link_to(&st->functions[i], table);
		if (l && l->via && strcmp(l->via, "event source") == 0)
			return st->functions[i].name;
	}
	for (size_t i = 0; i < st->nfunctions; i++)
		if (link_to(&st->functions[i], table))
			return st->functions[i].name;
	return NULL;
}

/* --- the remembered choice --------------------------------------------------------------------- */

static const char *const memo_keys[] = {"replay_function", "replay_template", "replay_route"};

char *tt_replay_memo_path(struct tt_err *err)
{
	return tt_appcfg_path(err);
}

void tt_replay_memo_clear(struct tt_replay_memo *m)
{
	free(m->function);
	free(m->template_arg);
	free(m->route);
	memset(m, 0, sizeof(*m));
}

static char *dup_or_null(const char *s)
{
	return s ? tt_xstrdup(s) : NULL;
}

/* A pipe or FIFO holds no memo: saving refuses one (tt_appcfg_is_special). */
static bool special_file(void)
{
	struct tt_err ignored;
	char *path = tt_appcfg_path(&ignored);
	bool special = tt_appcfg_is_special(path);

	free(path);
	return special;
}

int tt_replay_memo_load(const char *table, struct tt_replay_memo *out, struct tt_err *err)
{
	struct tt_appcfg *cfg = NULL;
	const struct tt_appcfg_table *t;

	memset(out, 0, sizeof(*out));
	if (special_file())
		return 0;
	if (tt_appcfg_load(&cfg, err))
		return -1;
	if ((t = tt_appcfg_table(cfg, table))) {
		out->function = dup_or_null(t->replay_function);
		out->template_arg = dup_or_null(t->replay_template);
		out->route = dup_or_null(t->replay_route);
	}
	tt_appcfg_free(&cfg);
	return 0;
}

static const char *set_or_null(const char *v)
{
	return v && *v ? v : NULL;
}

int tt_replay_memo_save(const char *table, const struct tt_replay_memo *m, struct tt_err *err)
{
	const char *values[] = {set_or_null(m->function), set_or_null(m->template_arg), set_or_null(m->route)};
	char *path = tt_replay_memo_path(err);
	int rc;

	if (!path)
		return -1;
	rc = tt_appcfg_set_table(path, table, memo_keys, values, sizeof(memo_keys) / sizeof(memo_keys[0]), err);
	free(path);
	return rc;
}
