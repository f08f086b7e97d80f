/* tiertop's configuration file: keys, lists, booleans, choosing an app, and
 * the errors that must point at the line. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "testutil.h"
#include "tiertop/appcfg.h"
#include "tiertop/err.h"

static char *dir;

/* Loads text as a config file; NULL with err filled on failure. */
static struct tt_appcfg *load(const char *text, struct tt_err *err)
{
	char *path = malloc(strlen(dir) + 16);
	struct tt_appcfg *cfg = NULL;

	strcpy(path, dir);
	strcat(path, "/config");
	tu_write_file(path, text);
	if (tt_appcfg_load_path(&cfg, path, err))
		cfg = NULL;
	free(path);
	return cfg;
}

static void fails_with(const char *text, const char *want, const char *what)
{
	struct tt_err err;
	struct tt_appcfg *cfg = load(text, &err);

	tap_ok(!cfg && err.kind == TT_ERR_CONFIG && strstr(err.message, want), "%s (%s)", what,
	       cfg ? "loaded" : err.message);
	tt_appcfg_free(&cfg);
}

static void selectors(void)
{
	struct tt_err err;
	struct tt_appcfg *cfg = load("[app a]\n"
				     "stacks = s1, s2\n"
				     "tag = team=ops\n"
				     "prefixes = p-\n"
				     "  q-\n"
				     "functions = f\n"
				     "tables = , T ,\n"
				     "api = my api\n"
				     "profile = prod\n"
				     "region = eu-west-1\n",
				     &err);
	const struct tt_appcfg_app *a = cfg ? &cfg->apps[0] : NULL;
	static const struct {
		enum tt_select_kind kind;
		const char *value;
	} want[] = {{TT_SELECT_STACK, "s1"},  {TT_SELECT_STACK, "s2"},	 {TT_SELECT_TAG, "team=ops"},
		    {TT_SELECT_PREFIX, "p-"}, {TT_SELECT_PREFIX, "q-"},	 {TT_SELECT_FUNCTION, "f"},
		    {TT_SELECT_TABLE, "T"},   {TT_SELECT_API, "my api"}};
	bool same = a && a->nsel == sizeof(want) / sizeof(want[0]);

	for (size_t i = 0; same && i < a->nsel; i++)
		same = a->sel[i].kind == want[i].kind && strcmp(a->sel[i].value, want[i].value) == 0;
	tap_ok(same, "lists: commas, continuation lines, blanks skipped, singular keys, in file order");
	tap_str_eq(a ? a->profile : NULL, "prod", "the app's profile");
	tap_str_eq(a ? a->region : NULL, "eu-west-1", "the app's region");
	tap_ok(a && a->read_only == -1 && cfg->read_only == -1, "read_only unset is -1");
	tt_appcfg_free(&cfg);
}

static void flags(void)
{
	static const char *const on[] = {"true", "Yes", "ON", "1"}, *const off[] = {"false", "no", "Off", "0"};
	char text[64];
	struct tt_err err;

	for (size_t i = 0; i < 4; i++) {
		struct tt_appcfg *cfg;
		snprintf(text, sizeof(text), "[tiertop]\nread_only = %s\n", on[i]);
		cfg = load(text, &err);
		tap_ok(cfg && cfg->read_only == 1 && strstr(cfg->read_only_where, ":2"), "read_only = %s is on", on[i]);
		tt_appcfg_free(&cfg);
		snprintf(text, sizeof(text), "[app x]\nstacks = s\nread_only = %s\n", off[i]);
		cfg = load(text, &err);
		tap_ok(cfg && cfg->apps[0].read_only == 0, "read_only = %s is off", off[i]);
		tt_appcfg_free(&cfg);
	}
}

static void picking(void)
{
	struct tt_err err;
	const struct tt_appcfg_app *a;
	struct tt_appcfg *cfg = load("[app one]\nstacks = s\n", &err);

	tap_ok(cfg && tt_appcfg_pick(cfg, NULL, &a, &err) == 0 && a && strcmp(a->name, "one") == 0,
	       "the only app is picked");
	tt_appcfg_free(&cfg);
	cfg = load("[app one]\nstacks = s\n[app two]\nstacks = t\n", &err);
	tap_ok(cfg && tt_appcfg_pick(cfg, NULL, &a, &err) == 0 && !a, "two apps, no default: none");
	tap_ok(cfg && tt_appcfg_pick(cfg, "two", &a, &err) == 0 && a && strcmp(a->name, "two") == 0,
	       "a named app");
	tap_ok(cfg && tt_appcfg_pick(cfg, "three", &a, &err) == -1 && strstr(err.message, "(there: one, two)"),
	       "an unknown name lists the apps");
	tt_appcfg_free(&cfg);
	cfg = load("[tiertop]\napp = two\n[app one]\nstacks = s\n[app two]\nstacks = t\n", &err);
	tap_ok(cfg && tt_appcfg_pick(cfg, NULL, &a, &err) == 0 && a && strcmp(a->name, "two") == 0,
	       "[tiertop] app is the default");
	tt_appcfg_free(&cfg);
	cfg = load("", &err);
	tap_ok(cfg && cfg->napps == 0 && tt_appcfg_pick(cfg, NULL, &a, &err) == 0 && !a, "an empty file");
	tt_appcfg_free(&cfg);
	tap_ok(tt_appcfg_load_path(&cfg, NULL, &err) == 0 && cfg && *cfg->path == '\0', "no file at all");
	tt_appcfg_free(&cfg);
}

/* A typo must not lose read_only = true, and nothing later in the file turns it off. */
static void strictness(void)
{
	struct tt_err err;
	struct tt_appcfg *cfg;

	fails_with("[Tiertop]\nread_only = true\n", "config:1: unknown section [Tiertop]", "[Tiertop] is refused");
	fails_with("[app a]\nstacks = s\n[tier top]\nread_only = true\n", "config:3: unknown section [tier top]",
		   "[tier top] is refused, with its line");
	fails_with("[app]\nread_only = true\n", "config:1: unknown section [app]", "[app] without a name");
	fails_with("[apps a]\nstacks = s\n", "config:1: unknown section [apps a]", "[apps NAME] is no app");
	fails_with("[app a b]\nstacks = s\n", "config:1: unknown section [app a b]", "[app] with two names");
	fails_with("[profile p]\nregion = x\n", "config:1: unknown section [profile p]",
		   "an AWS section in tiertop's file");
	fails_with("[DEFAULT]\nread_only = true\n[app a]\nstacks = s\n", "config:1: unknown section [DEFAULT]",
		   "[DEFAULT] is refused");
	cfg = load("[tiertop]\nread_only = true\nread_only = false\n", &err);
	tap_ok(cfg && cfg->read_only == 1 && strstr(cfg->read_only_where, "config:2"),
	       "[tiertop] read_only = false after true stays on, from the line that set it");
	tt_appcfg_free(&cfg);
	cfg = load("[tiertop]\nread_only = true\n[app a]\nstacks = s\n[tiertop]\nread_only = off\n", &err);
	tap_ok(cfg && cfg->read_only == 1, "a repeated [tiertop] section does not turn read_only off");
	tt_appcfg_free(&cfg);
	cfg = load("[app a]\nstacks = s\nread_only = yes\nread_only = no\n", &err);
	tap_ok(cfg && cfg->apps[0].read_only == 1 && strstr(cfg->apps[0].read_only_where, "config:3"),
	       "[app] read_only = no after yes stays on");
	tt_appcfg_free(&cfg);
	cfg = load("[tiertop]\nread_only = false\nread_only = true\n", &err);
	tap_ok(cfg && cfg->read_only == 1 && strstr(cfg->read_only_where, "config:3"), "false then true is on");
	tt_appcfg_free(&cfg);
	fails_with("[tiertop]\nread_only = maybe\nread_only = true\n", "config:2: read_only takes true or false",
		   "every read_only is checked, not only the last");
}

static void missing_file(void)
{
	struct tt_err err;
	struct tt_appcfg *cfg = NULL;
	char *path = malloc(strlen(dir) + 16);

	strcpy(path, dir);
	strcat(path, "/nosuch");
	setenv("TIERTOP_CONFIG", path, 1);
	tap_ok(tt_appcfg_load(&cfg, &err) == -1 && !cfg && err.kind == TT_ERR_CONFIG && strstr(err.message, path) &&
		       strstr(err.message, "TIERTOP_CONFIG"),
	       "TIERTOP_CONFIG naming a missing file is an error (%s)", err.message);
	tt_appcfg_free(&cfg);
	setenv("TIERTOP_CONFIG", "", 1);
	tap_ok(tt_appcfg_load(&cfg, &err) == 0 && cfg && *cfg->path == '\0', "TIERTOP_CONFIG=\"\" means no file");
	tt_appcfg_free(&cfg);
	unsetenv("TIERTOP_CONFIG");
	free(path);
}

static void table_sections(void)
{
	struct tt_err err;
	struct tt_appcfg *cfg = load("[table Feedback]\nreplay_function = submit-feedback\nreplay_template = apigw\n"
				     "replay_route = POST /feedback\n[table Orders]\nreplay_function = orders-fn\n",
				     &err);
	const struct tt_appcfg_table *t = tt_appcfg_table(cfg, "Feedback"), *o = tt_appcfg_table(cfg, "Orders");

	tap_ok(t && strcmp(t->replay_function, "submit-feedback") == 0 && strcmp(t->replay_template, "apigw") == 0 &&
		       strcmp(t->replay_route, "POST /feedback") == 0,
	       "[table NAME] gives the replay choice");
	tap_ok(o && strcmp(o->replay_function, "orders-fn") == 0 && !o->replay_template && !o->replay_route,
	       "keys a section does not set are NULL");
	tap_ok(!tt_appcfg_table(cfg, "Other"), "no section: NULL");
	tt_appcfg_free(&cfg);
	fails_with("[table T]\nreplay_fn = x\n", "config:2: unknown key \"replay_fn\" in [table T]",
		   "an unknown [table] key, with its line");
	fails_with("[table T]\nreplay_function =\n", "config:2: replay_function is empty", "an empty replay key");
	fails_with("[tables T]\nreplay_function = x\n", "config:1: unknown section [tables T]", "[tables NAME] is no table");
	fails_with("[table]\nreplay_function = x\n", "config:1: unknown section [table]", "[table] without a name");
}

static char *cfg_path(const char *name)
{
	char *path = malloc(strlen(dir) + strlen(name) + 2);

	strcpy(path, dir);
	strcat(path, "/");
	strcat(path, name);
	return path;
}

static const char *const memo_keys[] = {"replay_function", "replay_template", "replay_route"};

static int set3(const char *path, const char *table, const char *f, const char *t, const char *r, struct tt_err *err)
{
	const char *values[] = {f, t, r};

	return tt_appcfg_set_table(path, table, memo_keys, values, 3, err);
}

/* The user's file: only the table's keys change. */
static void editing_keeps_the_rest(void)
{
	char *path = cfg_path("edited"), *text;
	struct tt_err err;
	struct stat st;

	tu_write_file(path, "# mine\n[tiertop]\nread_only = true\n# stays\n\n[table Feedback]\n"
			    "; note kept\nreplay_function = old-fn\nreplay_route =\n  POST /old\n"
			    "[app a]\nstacks = s\n");
	chmod(path, 0640);
	tap_ok(set3(path, "Feedback", "new-fn", "apigw", NULL, &err) == 0, "an existing section is edited (%s)",
	       err.message);
	text = tu_read_file(path, NULL);
	tap_ok(text && strcmp(text, "# mine\n[tiertop]\nread_only = true\n# stays\n\n[table Feedback]\n"
				    "replay_function = new-fn\nreplay_template = apigw\n; note kept\n"
				    "[app a]\nstacks = s\n") == 0,
	       "comments, blanks and other sections kept; old keys and their continuation lines replaced");
	free(text);
	tap_ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0640, "the file's mode is kept");

	tap_ok(set3(path, "Orders", "orders-fn", "stream", NULL, &err) == 0, "a new section");
	text = tu_read_file(path, NULL);
	tap_ok(text && strstr(text, "stacks = s\n\n[table Orders]\nreplay_function = orders-fn\n"
				    "replay_template = stream\n") && strstr(text, "replay_function = new-fn"),
	       "appended after a blank line, the other table untouched");
	free(text);
	free(path);
}

static void editing_refusals(void)
{
	char *path = cfg_path("refused"), *text, *link = cfg_path("link"), *target = cfg_path("target");
	struct tt_err err;
	struct tt_appcfg *cfg = NULL;
	const char *same = "[tiertop]\nread_only = true\n";

	tu_write_file(path, same);
	tap_ok(set3(path, "Feedback", "fn\n[tiertop]", NULL, NULL, &err) == -1 && err.kind == TT_ERR_USAGE,
	       "a value with a line break is refused (it would inject a section)");
	tap_ok(set3(path, "a]\n[tiertop", "fn", NULL, NULL, &err) == -1 && err.kind == TT_ERR_USAGE,
	       "a table name a header cannot hold is refused");
	tu_write_file(path, "[tiertop]\nbogus = 1\n");
	tap_ok(set3(path, "Feedback", "fn", NULL, NULL, &err) == -1 && err.kind == TT_ERR_CONFIG &&
		       strstr(err.message, "left unchanged"),
	       "a file that does not read back is left as it was (%s)", err.message);
	text = tu_read_file(path, NULL);
	tap_ok(text && strcmp(text, "[tiertop]\nbogus = 1\n") == 0, "... byte for byte");
	free(text);

	tu_write_file(target, same);
	tap_ok(symlink(target, link) == 0 && set3(link, "T", "fn", NULL, NULL, &err) == 0, "through a symlink");
	text = tu_read_file(target, NULL);
	tap_ok(text && strstr(text, "[table T]\nreplay_function = fn\n"), "the link's target is edited");
	free(text);
	{
		struct stat st;
		tap_ok(lstat(link, &st) == 0 && S_ISLNK(st.st_mode), "the link stays a link");
	}
	tap_ok(tt_appcfg_load_path(&cfg, link, &err) == 0 && tt_appcfg_table(cfg, "T"), "and reads back");
	tt_appcfg_free(&cfg);

	/* Before: opening the FIFO waited for a writer for ever. */
	unlink(path);
	{
		struct stat st;
		tap_ok(mkfifo(path, 0600) == 0 && set3(path, "T", "fn", NULL, NULL, &err) == -1 &&
			       strstr(err.message, "not a regular file"),
		       "a pipe is not replaced, and not waited on (%s)", err.message);
		tap_ok(lstat(path, &st) == 0 && S_ISFIFO(st.st_mode), "... it stays a pipe");
	}
	free(path);
	free(link);
	free(target);
}

/* The reader takes an indented line after a header for a key, and a line
 * indented deeper than the key before it for that key's value: the editor
 * must tell lines apart the same way (found by fuzz_template). */
static void editing_indented_keys(void)
{
	char *path = cfg_path("indented"), *text;
	struct tt_err err;
	struct tt_appcfg *cfg = NULL;
	const struct tt_appcfg_table *t = NULL;

	tu_write_file(path, "[table Feedback]\n  replay_template = raw\n  replay_function = old\n\n"
			    "  [app a]\n  stacks = s\n");
	err.message[0] = '\0';
	tap_ok(set3(path, "Feedback", "new", NULL, "POST /x", &err) == 0, "indented keys: edited (%s)", err.message);
	text = tu_read_file(path, NULL);
	tap_ok(text && strcmp(text, "[table Feedback]\n  replay_function = new\n  replay_route = POST /x\n\n"
				    "  [app a]\n  stacks = s\n") == 0,
	       "the old indented keys replaced, the new lines indented as the next line (got \"%s\")", text);
	free(text);
	if (tt_appcfg_load_path(&cfg, path, &err) == 0)
		t = tt_appcfg_table(cfg, "Feedback");
	tap_ok(t && t->replay_function && strcmp(t->replay_function, "new") == 0 && !t->replay_template &&
		       t->replay_route && strcmp(t->replay_route, "POST /x") == 0,
	       "and they read back as written");
	tt_appcfg_free(&cfg);

	tu_write_file(path, "[table Feedback]\nreplay_route = POST /a\n\n  /b\n[app a]\nstacks = s\n");
	t = NULL;
	if (set3(path, "Feedback", "fn", NULL, "POST /x", &err) == 0 && tt_appcfg_load_path(&cfg, path, &err) == 0)
		t = tt_appcfg_table(cfg, "Feedback");
	tap_ok(t && t->replay_route && strcmp(t->replay_route, "POST /x") == 0,
	       "a continuation line after a blank one goes with its key (route \"%s\")",
	       t && t->replay_route ? t->replay_route : "(none)");
	tt_appcfg_free(&cfg);

	/* The reader trims a header's name of any isspace(). */
	tu_write_file(path, "[table Feedback\v]\nreplay_function = old\n");
	t = NULL;
	if (set3(path, "Feedback", NULL, "raw", NULL, &err) == 0 && tt_appcfg_load_path(&cfg, path, &err) == 0)
		t = tt_appcfg_table(cfg, "Feedback");
	tap_ok(t && !t->replay_function && t->replay_template && strcmp(t->replay_template, "raw") == 0,
	       "a header with a vertical tab before its ']' is the table's (function \"%s\")",
	       t && t->replay_function ? t->replay_function : "(none)");
	tt_appcfg_free(&cfg);
	free(path);
}

static void editing_creates(void)
{
	char *path = cfg_path("new/dir/config"), *text;
	struct tt_err err;

	tap_ok(set3(path, "Feedback", "fn", "raw", NULL, &err) == 0, "a missing file and directory are created (%s)",
	       err.message);
	text = tu_read_file(path, NULL);
	tap_ok(text && strcmp(text, "[table Feedback]\nreplay_function = fn\nreplay_template = raw\n") == 0,
	       "holding just the section");
	free(text);
	setenv("TIERTOP_CONFIG", "", 1);
	text = tt_appcfg_path(&err);
	tap_ok(!text && err.kind == TT_ERR_CONFIG, "TIERTOP_CONFIG=\"\": no file to remember anything in");
	unsetenv("TIERTOP_CONFIG");
	free(path);
}

int main(void)
{
	dir = tu_mkdtemp();
	selectors();
	flags();
	picking();
	strictness();
	missing_file();
	table_sections();
	editing_keeps_the_rest();
	editing_refusals();
	editing_indented_keys();
	editing_creates();
	fails_with("[app a]\nstacks = s\nstack_name = x\n", "config:3: unknown key \"stack_name\" in [app a]",
		   "an unknown app key, with its line");
	fails_with("[tiertop]\ncolor = no\n", "config:2: unknown key \"color\" in [tiertop]",
		   "an unknown [tiertop] key");
	fails_with("[tiertop]\nread_only = sure\n", "config:2: read_only takes true or false, not \"sure\"",
		   "a read_only that is not a boolean");
	fails_with("[app a]\ntags = a=b, novalue\n", "config:2: a tag is KEY=VALUE, not \"novalue\"",
		   "a tag without '='");
	fails_with("[app a]\ntags = =v\n", "a tag is KEY=VALUE", "a tag without a key");
	fails_with("[app a]\nregion =\n", "config:2: region is empty", "an empty region");
	fails_with("[tiertop]\napp = b\n[app a]\nstacks = s\n", "no [app b] section", "a default that is not there");
	fails_with("[app a\n", "config:1", "a broken header, with its line");
	return tap_done();
}
