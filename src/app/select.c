/* Choosing the application (select.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "select.h"
#include "tiertop/appcfg.h"
#include "tiertop/xalloc.h"

static const struct {
	const char *flag;
	enum tt_select_kind kind;
} selector_flags[] = {
	{"--stack", TT_SELECT_STACK},	    {"--tag", TT_SELECT_TAG},	  {"--prefix", TT_SELECT_PREFIX},
	{"--function", TT_SELECT_FUNCTION}, {"--table", TT_SELECT_TABLE}, {"--api", TT_SELECT_API},
};

static void push(struct tt_selection *s, enum tt_select_kind kind, const char *value)
{
	s->sel = tt_xrealloc(s->sel, (s->n + 1) * sizeof(*s->sel));
	s->sel[s->n].kind = kind;
	s->sel[s->n].value = value;
	s->n++;
}

int tt_selection_add(struct tt_selection *s, const char *flag, const char *value, const char **msg)
{
	for (size_t k = 0; k < sizeof(selector_flags) / sizeof(selector_flags[0]); k++) {
		if (strcmp(flag, selector_flags[k].flag) != 0)
			continue;
		if (selector_flags[k].kind == TT_SELECT_TAG && (!strchr(value, '=') || *value == '=')) {
			*msg = "--tag takes KEY=VALUE";
			return -1;
		}
		push(s, selector_flags[k].kind, value);
		return 1;
	}
	return 0;
}

int tt_selection_from_opts(struct tt_selection *s, const struct tt_opts *o, const char **msg)
{
	for (size_t i = 0; i < o->ngiven; i++)
		if (tt_selection_add(s, o->given[i].opt->name, o->given[i].value, msg) < 0)
			return -1;
	return 0;
}

bool tt_selection_is_flag(const char *arg)
{
	for (size_t k = 0; k < sizeof(selector_flags) / sizeof(selector_flags[0]); k++)
		if (strcmp(arg, selector_flags[k].flag) == 0)
			return true;
	return false;
}

int tt_selection_finish(struct tt_selection *s, const struct tt_app *app, const char *verb)
{
	const struct tt_appcfg_app *def = app->app_def;

	if (s->n)
		return 0;
	/* Applications configured but none chosen: which one is the user's to
	 * say; the whole region would be a surprise. */
	if (!def && app->appcfg && app->appcfg->napps) {
		fprintf(stderr,
			"tiertop: %s: say which application: --app NAME with an [app NAME] section in %s "
			"(it has %zu; or set [tiertop] app), or --stack, --tag, --prefix, --function, --table, --api\n",
			verb, app->appcfg->path, app->appcfg->napps);
		return TT_EXIT_USAGE;
	}
	if (!def) {
		push(s, TT_SELECT_PREFIX, "");
		s->whole_region = true;
		return 0;
	}
	if (!def->nsel) {
		fprintf(stderr,
			"tiertop: %s: [app %s] in %s selects nothing: give it stacks, tags, prefixes, "
			"functions, tables or apis\n",
			verb, def->name, app->appcfg ? app->appcfg->path : "the config file");
		return TT_EXIT_CONFIG;
	}
	for (size_t i = 0; i < def->nsel; i++)
		push(s, def->sel[i].kind, def->sel[i].value);
	return 0;
}

void tt_selection_clear(struct tt_selection *s)
{
	free(s->sel);
	s->sel = NULL;
	s->n = 0;
}
