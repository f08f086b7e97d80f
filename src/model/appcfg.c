/* tiertop's configuration file (appcfg.h): the AWS reader does the syntax,
 * this file gives the keys their meaning and refuses what it does not know. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tiertop/appcfg.h"
#include "tiertop/err.h"
#include "tiertop/profile.h"
#include "tiertop/str.h"
#include "tiertop/xalloc.h"

/* The keys of an [app] section that select resources, both spellings. */
static const struct {
	const char *plural, *singular;
	enum tt_select_kind kind;
} list_keys[] = {
	{"stacks", "stack", TT_SELECT_STACK},	       {"tags", "tag", TT_SELECT_TAG},
	{"prefixes", "prefix", TT_SELECT_PREFIX},      {"functions", "function", TT_SELECT_FUNCTION},
	{"tables", "table", TT_SELECT_TABLE},	       {"apis", "api", TT_SELECT_API},
};

static const char *const app_settings[] = {"profile", "region", "read_only"};

static char *config_path(void)
{
	const char *env = getenv("TIERTOP_CONFIG");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	char *path;

	if (env)
		return tt_awscfg_expand_home(env);
	if (xdg && *xdg)
		return tt_xasprintf("%s/tiertop/config", xdg);
	path = tt_awscfg_expand_home("~/.config/tiertop/config");
	return path;
}

static int parse_flag(const char *value, const char *where, const char *key, int *out, struct tt_err *err)
{
	int v = tt_str_parse_switch(value);

	if (v < 0)
		return tt_err_set(err, TT_ERR_CONFIG, "%s: %s takes true or false, not \"%s\"", where, key, value);
	*out = v;
	return 0;
}

/* read_only can only be turned on: a later "false" for the same key (a
 * repeated key or section) does not undo an earlier "true", and every value
 * must be a boolean. *where is the line that turned it on, else the last. */
static int read_only_flag(const struct tt_awscfg *aws, const char *kind, const char *name, int *out, char **where,
			  struct tt_err *err)
{
	const char **values, **wheres;
	size_t n = tt_awscfg_section_history(aws, kind, name, "read_only", &values, &wheres);
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		int v = -1;
		if (!values[i])
			continue;
		rc = parse_flag(values[i], wheres[i], "read_only", &v, err);
		if (rc == 0 && *out != 1) {
			*out = v;
			free(*where);
			*where = tt_xstrdup(wheres[i]);
		}
	}
	free(values);
	free(wheres);
	return rc;
}

static void add_select(struct tt_appcfg_app *app, enum tt_select_kind kind, const char *value)
{
	app->sel = tt_xrealloc(app->sel, (app->nsel + 1) * sizeof(*app->sel));
	app->values = tt_xrealloc(app->values, (app->nsel + 1) * sizeof(*app->values));
	app->values[app->nsel] = tt_xstrdup(value);
	app->sel[app->nsel].kind = kind;
	app->sel[app->nsel].value = app->values[app->nsel];
	app->nsel++;
}

/* Commas or lines between items; blanks around them do not count. */
static int add_list(struct tt_appcfg_app *app, enum tt_select_kind kind, const char *value, const char *where,
		    struct tt_err *err)
{
	char *copy = tt_xstrdup(value), *save = NULL;
	int rc = 0;

	for (char *item = strtok_r(copy, ",\n", &save); item && rc == 0; item = strtok_r(NULL, ",\n", &save)) {
		char *v = tt_str_trim(item);
		if (!*v)
			continue;
		if (kind == TT_SELECT_TAG && (!strchr(v, '=') || *v == '='))
			rc = tt_err_set(err, TT_ERR_CONFIG, "%s: a tag is KEY=VALUE, not \"%s\"", where, v);
		else
			add_select(app, kind, v);
	}
	free(copy);
	return rc;
}

static int list_kind(const char *key)
{
	for (size_t i = 0; i < sizeof(list_keys) / sizeof(list_keys[0]); i++)
		if (strcmp(key, list_keys[i].plural) == 0 || strcmp(key, list_keys[i].singular) == 0)
			return (int)list_keys[i].kind;
	return -1;
}

static bool is_app_setting(const char *key)
{
	for (size_t i = 0; i < sizeof(app_settings) / sizeof(app_settings[0]); i++)
		if (strcmp(key, app_settings[i]) == 0)
			return true;
	return false;
}

static int unknown_key(const struct tt_awscfg *aws, const char *kind, const char *name, const char *key,
		       const char *known, struct tt_err *err)
{
	bool named = strcmp(kind, "tiertop") != 0;

	return tt_err_set(err, TT_ERR_CONFIG, "%s: unknown key \"%s\" in [%s%s%s] (known: %s)",
			  tt_awscfg_section_where(aws, kind, name, key), key, kind, named ? " " : "",
			  named ? name : "", known);
}

static int read_setting(const struct tt_awscfg *aws, const char *name, const char *key, struct tt_appcfg_app *app,
			struct tt_err *err)
{
	const char *value = tt_awscfg_section_get(aws, "app", name, key);
	const char *where = tt_awscfg_section_where(aws, "app", name, key);

	if (!value)
		return 0;
	if (strcmp(key, "read_only") == 0)
		return read_only_flag(aws, "app", name, &app->read_only, &app->read_only_where, err);
	if (!*value)
		return tt_err_set(err, TT_ERR_CONFIG, "%s: %s is empty", where, key);
	if (strcmp(key, "profile") == 0) {
		free(app->profile);
		app->profile = tt_xstrdup(value);
	} else {
		free(app->region);
		app->region = tt_xstrdup(value);
	}
	return 0;
}

static int read_app(const struct tt_awscfg *aws, const char *name, struct tt_appcfg_app *app, struct tt_err *err)
{
	const char **keys;
	size_t n = tt_awscfg_section_keys(aws, "app", name, &keys);
	int rc = 0;

	app->name = tt_xstrdup(name);
	app->read_only = -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		int kind = list_kind(keys[i]);
		const char *value = tt_awscfg_section_get(aws, "app", name, keys[i]);
		if (kind >= 0 && value)
			rc = add_list(app, (enum tt_select_kind)kind, value,
				      tt_awscfg_section_where(aws, "app", name, keys[i]), err);
		else if (is_app_setting(keys[i]))
			rc = read_setting(aws, name, keys[i], app, err);
		else
			rc = unknown_key(aws, "app", name, keys[i],
					 "stacks tags prefixes functions tables apis profile region read_only", err);
	}
	free(keys);
	return rc;
}

static int read_global(const struct tt_awscfg *aws, struct tt_appcfg *cfg, struct tt_err *err)
{
	const char **keys;
	size_t n = tt_awscfg_section_keys(aws, "tiertop", "tiertop", &keys);
	int rc = 0;

	cfg->read_only = -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *value = tt_awscfg_section_get(aws, "tiertop", "tiertop", keys[i]);
		if (strcmp(keys[i], "app") == 0 && value && *value) {
			free(cfg->default_app);
			cfg->default_app = tt_xstrdup(value);
		} else if (strcmp(keys[i], "read_only") == 0 && value) {
			rc = read_only_flag(aws, "tiertop", "tiertop", &cfg->read_only, &cfg->read_only_where, err);
		} else {
			rc = unknown_key(aws, "tiertop", "tiertop", keys[i], "app read_only", err);
		}
	}
	free(keys);
	return rc;
}

/* [table NAME]: the replay choice, each key at most a non-empty string. */
static int read_table(const struct tt_awscfg *aws, const char *name, struct tt_appcfg_table *t,
		      struct tt_err *err)
{
	const char **keys;
	size_t n = tt_awscfg_section_keys(aws, "table", name, &keys);
	int rc = 0;

	t->name = tt_xstrdup(name);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *value = tt_awscfg_section_get(aws, "table", name, keys[i]);
		char **slot = strcmp(keys[i], "replay_function") == 0   ? &t->replay_function
			      : strcmp(keys[i], "replay_template") == 0 ? &t->replay_template
			      : strcmp(keys[i], "replay_route") == 0    ? &t->replay_route
									: NULL;
		if (!slot)
			rc = unknown_key(aws, "table", name, keys[i], "replay_function replay_template replay_route",
					 err);
		else if (!value || !*value)
			rc = tt_err_set(err, TT_ERR_CONFIG, "%s: %s is empty",
					tt_awscfg_section_where(aws, "table", name, keys[i]), keys[i]);
		else {
			free(*slot);
			*slot = tt_xstrdup(value);
		}
	}
	free(keys);
	return rc;
}

/* [tiertop], [app NAME] and [table NAME] only: a misspelt header ([Tiertop], [tier top],
 * [app]) would otherwise drop its keys, read_only = true among them. The
 * reader takes "[apps x]" for an app as botocore takes "[profilex y]" for a
 * profile: here the word must be "app" itself. */
static bool known_section(const struct tt_awscfg_header *h)
{
	if (!h->kind)
		return false;
	if (strcmp(h->kind, "tiertop") == 0)
		return true;
	if (strcmp(h->kind, "app") == 0)
		return strncmp(h->header, "app", 3) == 0 && isspace((unsigned char)h->header[3]);
	return strcmp(h->kind, "table") == 0 && strncmp(h->header, "table", 5) == 0 &&
	       isspace((unsigned char)h->header[5]);
}

static int check_sections(const struct tt_awscfg *aws, struct tt_err *err)
{
	struct tt_awscfg_header *headers;
	size_t n = tt_awscfg_headers(aws, &headers);
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++)
		if (!known_section(&headers[i]))
			rc = tt_err_set(err, TT_ERR_CONFIG, "%s: unknown section [%s] (known: [tiertop], [app NAME], [table NAME])",
					headers[i].where, headers[i].header);
	free(headers);
	return rc;
}

static int read_all(const struct tt_awscfg *aws, struct tt_appcfg *cfg, struct tt_err *err)
{
	const char **names;
	int rc = check_sections(aws, err);

	if (rc == 0)
		rc = read_global(aws, cfg, err);

	cfg->napps = tt_awscfg_section_names(aws, "app", &names);
	cfg->apps = tt_xcalloc(cfg->napps + 1, sizeof(*cfg->apps));
	for (size_t i = 0; i < cfg->napps && rc == 0; i++)
		rc = read_app(aws, names[i], &cfg->apps[i], err);
	free(names);
	cfg->ntables = tt_awscfg_section_names(aws, "table", &names);
	cfg->tables = tt_xcalloc(cfg->ntables + 1, sizeof(*cfg->tables));
	for (size_t i = 0; i < cfg->ntables && rc == 0; i++)
		rc = read_table(aws, names[i], &cfg->tables[i], err);
	free(names);
	if (rc == 0 && cfg->default_app && !tt_awscfg_has_section(aws, "app", cfg->default_app))
		rc = tt_err_set(err, TT_ERR_CONFIG, "%s: app = %s, but there is no [app %s] section",
				tt_awscfg_section_where(aws, "tiertop", "tiertop", "app"), cfg->default_app,
				cfg->default_app);
	return rc;
}

int tt_appcfg_load_path(struct tt_appcfg **out, const char *path, struct tt_err *err)
{
	struct tt_awscfg *aws = NULL;
	struct tt_appcfg *cfg;

	*out = NULL;
	if (tt_awscfg_load_own(&aws, path, err))
		return -1;
	cfg = tt_xcalloc(1, sizeof(*cfg));
	cfg->path = tt_xstrdup(tt_awscfg_config_path(aws));
	if (read_all(aws, cfg, err)) {
		tt_awscfg_free(&aws);
		tt_appcfg_free(&cfg);
		return -1;
	}
	tt_awscfg_free(&aws);
	*out = cfg;
	return 0;
}

int tt_appcfg_load(struct tt_appcfg **out, struct tt_err *err)
{
	const char *env = getenv("TIERTOP_CONFIG");
	char *path = config_path();
	struct stat st;
	int rc;

	/* A file named on purpose that is not there is a mistake (a typo in the
	 * path would silently drop its read_only); the default may be absent. */
	if (env && *env && stat(path, &st) != 0 && errno == ENOENT) {
		*out = NULL;
		rc = tt_err_set(err, TT_ERR_CONFIG, "TIERTOP_CONFIG names %s, which does not exist", path);
		free(path);
		return rc;
	}
	rc = tt_appcfg_load_path(out, path, err);

	free(path);
	return rc;
}

static char *app_names(const struct tt_appcfg *cfg)
{
	size_t len = 1;
	char *list;

	for (size_t i = 0; i < cfg->napps; i++)
		len += strlen(cfg->apps[i].name) + 2;
	list = tt_xcalloc(1, len);
	for (size_t i = 0; i < cfg->napps; i++) {
		if (i)
			strcat(list, ", ");
		strcat(list, cfg->apps[i].name);
	}
	return list;
}

static const struct tt_appcfg_app *find_app(const struct tt_appcfg *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->napps; i++)
		if (strcmp(cfg->apps[i].name, name) == 0)
			return &cfg->apps[i];
	return NULL;
}

int tt_appcfg_pick(const struct tt_appcfg *cfg, const char *name, const struct tt_appcfg_app **out,
		   struct tt_err *err)
{
	char *known;

	*out = NULL;
	if (!name) {
		if (cfg->default_app)
			*out = find_app(cfg, cfg->default_app);
		else if (cfg->napps == 1)
			*out = &cfg->apps[0];
		return 0;
	}
	if ((*out = find_app(cfg, name)))
		return 0;
	if (!cfg->napps)
		return tt_err_set(err, TT_ERR_CONFIG, "no application \"%s\": %s has no [app] sections", name,
				  *cfg->path ? cfg->path : "the configuration file (none found)");
	known = app_names(cfg);
	tt_err_set(err, TT_ERR_CONFIG, "no application \"%s\" in %s (there: %s)", name, cfg->path, known);
	free(known);
	return -1;
}

void tt_appcfg_free(struct tt_appcfg **cfgp)
{
	struct tt_appcfg *cfg = *cfgp;

	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->napps; i++) {
		struct tt_appcfg_app *a = &cfg->apps[i];
		for (size_t k = 0; k < a->nsel; k++)
			free(a->values[k]);
		free(a->values);
		free(a->sel);
		free(a->name);
		free(a->profile);
		free(a->region);
		free(a->read_only_where);
	}
	free(cfg->apps);
	for (size_t i = 0; i < cfg->ntables; i++) {
		free(cfg->tables[i].name);
		free(cfg->tables[i].replay_function);
		free(cfg->tables[i].replay_template);
		free(cfg->tables[i].replay_route);
	}
	free(cfg->tables);
	free(cfg->path);
	free(cfg->default_app);
	free(cfg->read_only_where);
	free(cfg);
	*cfgp = NULL;
}

const struct tt_appcfg_table *tt_appcfg_table(const struct tt_appcfg *cfg, const char *name)
{
	for (size_t i = 0; cfg && name && i < cfg->ntables; i++)
		if (strcmp(cfg->tables[i].name, name) == 0)
			return &cfg->tables[i];
	return NULL;
}

bool tt_appcfg_is_special(const char *path)
{
	struct stat st;

	return path && stat(path, &st) == 0 && !S_ISREG(st.st_mode);
}

char *tt_appcfg_path(struct tt_err *err)
{
	const char *env = getenv("TIERTOP_CONFIG");

	if (env && !*env) {
		tt_err_set(err, TT_ERR_CONFIG, "TIERTOP_CONFIG is empty: there is no configuration file");
		return NULL;
	}
	return config_path();
}
