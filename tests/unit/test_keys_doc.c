/* docs/keys.md describes every key of every view: each key a view binds
 * (what its `?` help lists) is named in that view's section of the file,
 * or, for the keys every list shares, in the "Lists" section. A key added
 * to a view without its line in the docs fails here. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "testutil.h"
#include "tiertop/keys.h"
#include "tiertop/view.h"
#include "tiertop/views.h"
#include "tiertop/xalloc.h"

/* The text of "## heading" up to the next "## ", or NULL. Caller frees. */
static char *section(const char *doc, const char *heading)
{
	char *title = tt_xasprintf("\n## %s\n", heading), *end;
	const char *at = strstr(doc, title);
	char *text = NULL;

	if (at) {
		at += strlen(title);
		end = strstr(at, "\n## ");
		text = tt_xstrndup(at, end ? (size_t)(end - at) : strlen(at));
	}
	free(title);
	return text;
}

/* How keys.md writes a key: `c` for a character, the name (Enter, PgUp,
 * Ctrl-R) otherwise. */
static bool names_key(const char *text, int key)
{
	char buf[16], quoted[24];
	const char *name = tt_key_name(key, buf);

	if (strlen(name) == 1) {
		snprintf(quoted, sizeof(quoted), "`%s`", name);
		return strstr(text, quoted) != NULL;
	}
	return strstr(text, name) != NULL;
}

static bool list_key(int key)
{
	static const int keys[] = {TT_KEY_UP, TT_KEY_DOWN, TT_KEY_PGUP, TT_KEY_PGDN, TT_KEY_HOME, TT_KEY_END,
				   'k',       'j',         'g',         'G'};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i] == key)
			return true;
	return false;
}

static void check_view(const char *doc, const char *lists, const struct tt_keymap *map, const char *heading)
{
	char *text = section(doc, heading), buf[16];
	size_t missing = 0;

	tap_ok(text != NULL, "keys.md has a section \"%s\"", heading);
	for (size_t i = 0; text && i < map->n; i++) {
		const struct tt_keybind *b = &map->binds[i];
		if (names_key(text, b->key) || (list_key(b->key) && names_key(lists, b->key)))
			continue;
		printf("# %s: %s (%s) is not in keys.md\n", heading, tt_key_name(b->key, buf), b->help);
		missing++;
	}
	tap_ok(text && missing == 0, "%s: every key of the view is documented (%zu missing)", heading, missing);
	free(text);
}

int main(void)
{
	const char *top = getenv("top_srcdir");
	char *path = tt_xasprintf("%s/docs/keys.md", top ? top : ".");
	char *doc = tu_read_file(path, NULL), *lists = doc ? section(doc, "Lists") : NULL;
	const struct {
		const struct tt_keymap *const *map;
		const char *heading;
	} views[] = {
	    {&tt_keymap_tiers, "The tier screen"}, {&tt_keymap_function, "A function"},
	    {&tt_keymap_invoke, "Invoking a function"}, {&tt_keymap_replay, "Replaying items"},
	    {&tt_keymap_api, "An API"}, {&tt_keymap_table, "A table"}, {&tt_keymap_items, "Items"},
	    {&tt_keymap_apps, "Applications"}, {&tt_keymap_audit, "Audit log"}, {&tt_keymap_logs, "Logs"},
	};

	tap_ok(doc && lists, "docs/keys.md read, with its Lists section (%s)", path);
	for (size_t i = 0; doc && lists && i < sizeof(views) / sizeof(views[0]); i++)
		check_view(doc, lists, *views[i].map, views[i].heading);
	free(lists);
	free(doc);
	free(path);
	return tap_done();
}
