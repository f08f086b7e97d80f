/* What the console's replay view proposes (the function the wiring names)
 * and remembers per table (replay_batch.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "tiertop/replay_batch.h"
#include "tiertop/stack.h"
#include "tiertop/state.h"
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

char *tt_replay_memo_path(struct tt_err *err)
{
	return tt_state_path("replay.json", "the replay choice is not remembered", err);
}

void tt_replay_memo_clear(struct tt_replay_memo *m)
{
	free(m->function);
	free(m->template_arg);
	free(m->route);
	memset(m, 0, sizeof(*m));
}

/* The whole file as an object; an empty one when there is no file. */
static json_t *load_all(const char *path, struct tt_err *err)
{
	json_error_t jerr;
	json_t *root;

	if (access(path, F_OK) != 0 && errno == ENOENT)
		return json_object();
	root = json_load_file(path, 0, &jerr);
	if (!root || !json_is_object(root)) {
		json_decref(root);
		tt_err_set(err, TT_ERR_CONFIG, "%s is not a JSON object%s%s", path, root ? "" : ": ",
			   root ? "" : jerr.text);
		return NULL;
	}
	return root;
}

static char *str_member(json_t *o, const char *name)
{
	const char *s = json_string_value(json_object_get(o, name));

	return s && *s ? tt_xstrdup(s) : NULL;
}

int tt_replay_memo_load(const char *table, struct tt_replay_memo *out, struct tt_err *err)
{
	char *path = tt_replay_memo_path(err);
	json_t *root, *entry;

	memset(out, 0, sizeof(*out));
	if (!path)
		return -1;
	root = load_all(path, err);
	free(path);
	if (!root)
		return -1;
	entry = json_object_get(root, table);
	if (json_is_object(entry)) {
		out->function = str_member(entry, "function");
		out->template_arg = str_member(entry, "template");
		out->route = str_member(entry, "route");
	}
	json_decref(root);
	return 0;
}

static void set_or_drop(json_t *o, const char *name, const char *value)
{
	if (value && *value)
		json_object_set_new(o, name, json_string(value));
}

int tt_replay_memo_save(const char *table, const struct tt_replay_memo *m, struct tt_err *err)
{
	char *path = tt_replay_memo_path(err), *text;
	json_t *root, *entry;
	int rc;

	if (!path)
		return -1;
	if (tt_state_make_parents(path, err) || !(root = load_all(path, err))) {
		free(path);
		return -1;
	}
	entry = json_object();
	set_or_drop(entry, "function", m->function);
	set_or_drop(entry, "template", m->template_arg);
	set_or_drop(entry, "route", m->route);
	json_object_set_new(root, table, entry);
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	rc = tt_state_replace(path, text, strlen(text), err);
	free(text);
	json_decref(root);
	free(path);
	return rc;
}
