/* The shared config and credentials files, read line by line the way
 * Python's RawConfigParser reads them for botocore (see profile.h for the
 * rules and the few places where we differ on purpose). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tiertop/buf.h"
#include "tiertop/err.h"
#include "tiertop/profile.h"
#include "tiertop/sanitize.h"
#include "tiertop/str.h"
#include "tiertop/strindex.h"
#include "tiertop/xalloc.h"

/* Config files are a few kilobytes; anything this big is a wrong path. */
#define MAX_FILE_SIZE ((size_t)16 << 20)
/* How much of a bad line an error message quotes. */
#define QUOTE_MAX 80

/* K_APP, K_TABLE and K_TIERTOP: tiertop's own file, read with the same rules. */
enum kind { K_NONE, K_PROFILE, K_SSO_SESSION, K_SERVICES, K_APP, K_TIERTOP, K_TABLE, K_COUNT };

struct sub {
	char *key;
	char *value;
	char *where;
};

struct entry {
	char *key;
	char *value;        /* NULL for a nested block */
	char *where;        /* "FILE:LINE" of the key line */
	struct sub *subs;
	size_t nsubs;
	struct entry *older;  /* the value a repeated key replaced, for tiertop's file */
};

struct section {
	char *header;
	char *where;        /* "FILE:LINE" of the first header line */
	enum kind kind;
	const char *name;   /* profile, session or services name; borrowed */
	char *name_buf;     /* owns name when it came from splitting the header */
	struct entry *entries;
	size_t n, cap;
	struct tt_strindex by_key;  /* key -> position in entries, once there are many */
};

struct ini {
	char *path;
	struct section **secs;  /* in order of first appearance */
	size_t n, cap;
	struct section *defaults;  /* [DEFAULT], NULL when absent */
	/* A file of 50,000 SSO profiles must not take seconds to read. */
	struct tt_strindex by_header;  /* header -> position in secs */
	struct tt_strindex by_name[K_COUNT];  /* per kind: name -> the last section naming it */
};

struct tt_awscfg {
	struct ini config;
	struct ini creds;
};

/* --- small helpers ----------------------------------------------------- */

static char *dup_trimmed(const char *s, size_t n)
{
	char *copy = tt_xstrndup(s, n);
	char *t = tt_str_trim(copy);
	char *out = tt_xstrdup(t);

	free(copy);
	return out;
}

static void lower_ascii(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static size_t indent_of(const char *line)
{
	size_t i = 0;

	while (line[i] && isspace((unsigned char)line[i]))
		i++;
	return i;
}

static char *where_of(const char *path, unsigned line)
{
	return tt_xasprintf("%s:%u", path, line);
}

/* --- the parsed tree -------------------------------------------------- */

/* Values may be secret keys from the credentials file: wipe them. */
static void entry_clear(struct entry *e)
{
	for (size_t i = 0; i < e->nsubs; i++) {
		free(e->subs[i].key);
		tt_free_secret(e->subs[i].value);
		free(e->subs[i].where);
	}
	free(e->subs);
	free(e->key);
	tt_free_secret(e->value);
	free(e->where);
	if (e->older) {
		entry_clear(e->older);
		free(e->older);
	}
}

static void section_free(struct section *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		entry_clear(&s->entries[i]);
	free(s->entries);
	tt_strindex_clear(&s->by_key);
	free(s->header);
	free(s->where);
	free(s->name_buf);
	free(s);
}

static void ini_clear(struct ini *ini)
{
	for (size_t i = 0; i < ini->n; i++)
		section_free(ini->secs[i]);
	free(ini->secs);
	section_free(ini->defaults);
	tt_strindex_clear(&ini->by_header);
	for (int k = 0; k < K_COUNT; k++)
		tt_strindex_clear(&ini->by_name[k]);
	free(ini->path);
}

static struct section *section_new(const char *header)
{
	struct section *s = tt_xcalloc(1, sizeof(*s));

	s->header = tt_xstrdup(header);
	return s;
}

/* A repeated header continues the same section, as configparser does when
 * not strict. */
static struct section *section_open(struct ini *ini, const char *header)
{
	if (strcmp(header, "DEFAULT") == 0) {
		if (!ini->defaults)
			ini->defaults = section_new(header);
		return ini->defaults;
	}
	size_t at = tt_strindex_get(&ini->by_header, header, strlen(header));

	if (at != TT_STRINDEX_NONE)
		return ini->secs[at];
	tt_strindex_put(&ini->by_header, header, strlen(header), ini->n);
	if (ini->n == ini->cap) {
		ini->cap = ini->cap ? ini->cap * 2 : 8;
		ini->secs = tt_xrealloc(ini->secs, ini->cap * sizeof(*ini->secs));
	}
	ini->secs[ini->n] = section_new(header);
	return ini->secs[ini->n++];
}

/* A profile holds a handful of keys: searching them costs less than an
 * index for each of 50,000 profiles would hold. */
#define INDEX_KEYS_FROM 16

static struct entry *find_entry(const struct section *s, const char *key)
{
	size_t at;

	if (s->n < INDEX_KEYS_FROM) {
		for (size_t i = 0; i < s->n; i++)
			if (strcmp(s->entries[i].key, key) == 0)
				return &s->entries[i];
		return NULL;
	}
	at = tt_strindex_get(&s->by_key, key, strlen(key));
	return at == TT_STRINDEX_NONE ? NULL : &s->entries[at];
}

/* Takes over e's strings; a later duplicate replaces the earlier value. */
static void section_put(struct section *s, struct entry *e)
{
	struct entry *old = find_entry(s, e->key);

	if (old) {
		e->older = tt_xmalloc(sizeof(*e->older));
		*e->older = *old;
		*old = *e;
		return;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 2;
		s->entries = tt_xrealloc(s->entries, s->cap * sizeof(*s->entries));
	}
	s->entries[s->n++] = *e;
	if (s->n == INDEX_KEYS_FROM)
		for (size_t i = 0; i < s->n; i++)
			tt_strindex_put(&s->by_key, s->entries[i].key, strlen(s->entries[i].key), i);
	else if (s->n > INDEX_KEYS_FROM)
		tt_strindex_put(&s->by_key, e->key, strlen(e->key), s->n - 1);
}

static struct sub *find_sub(const struct entry *e, const char *key)
{
	for (size_t i = 0; i < e->nsubs; i++)
		if (strcmp(e->subs[i].key, key) == 0)
			return &e->subs[i];
	return NULL;
}

static void entry_put_sub(struct entry *e, char *key, char *value, char *where)
{
	struct sub *old = find_sub(e, key);

	if (old) {
		free(old->key);
		tt_free_secret(old->value);
		free(old->where);
	} else {
		e->subs = tt_xrealloc(e->subs, (e->nsubs + 1) * sizeof(*e->subs));
		old = &e->subs[e->nsubs++];
	}
	old->key = key;
	old->value = value;
	old->where = where;
}

/* --- the line parser -------------------------------------------------- */

struct vline {
	char *text;
	unsigned line;
};

/* The key being read: its value may still grow by continuation lines. */
struct pending {
	char *key;
	unsigned line;
	struct vline *lines;
	size_t n, cap;
};

struct parser {
	struct ini *ini;
	bool quiet;             /* credentials file: never quote its lines */
	struct section *sect;   /* NULL before the first header */
	bool have_opt;
	struct pending opt;
	size_t indent;          /* indentation of the last key or header line */
	struct tt_err *err;
};

static void pending_add(struct pending *o, const char *text, unsigned line)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 4;
		o->lines = tt_xrealloc(o->lines, o->cap * sizeof(*o->lines));
	}
	o->lines[o->n].text = tt_xstrdup(text);
	o->lines[o->n].line = line;
	o->n++;
}

static void pending_clear(struct pending *o)
{
	for (size_t i = 0; i < o->n; i++)
		tt_free_secret(o->lines[i].text);
	free(o->key);
	o->key = NULL;
	o->n = 0;
}

static char *quote_line(const char *line)
{
	size_t n = strlen(line);
	char *cut = tt_xstrndup(line, n > QUOTE_MAX ? QUOTE_MAX : n);
	char *shown = tt_sanitize(cut, 0);
	char *out = tt_xasprintf("%s%s", shown, n > QUOTE_MAX ? "..." : "");

	free(shown);
	free(cut);
	return out;
}

static int syntax_error(struct parser *p, unsigned line, const char *what, const char *text)
{
	char *quoted;

	if (!text)
		return tt_err_set(p->err, TT_ERR_CONFIG, "%s:%u: %s", p->ini->path, line, what);
	if (p->quiet)
		return tt_err_set(p->err, TT_ERR_CONFIG,
				  "%s:%u: %s (line not shown: it may hold a secret)",
				  p->ini->path, line, what);
	quoted = quote_line(text);
	tt_err_set(p->err, TT_ERR_CONFIG, "%s:%u: %s, got \"%s\"", p->ini->path, line, what, quoted);
	free(quoted);
	return -1;
}

/* "key =" followed by indented "sub = value" lines (botocore's
 * _parse_nested: only '=' separates, sub keys keep their case). */
static int parse_nested(struct parser *p, struct entry *e)
{
	const struct pending *o = &p->opt;

	for (size_t i = 1; i < o->n; i++) {
		const char *text = o->lines[i].text;
		const char *eq = strchr(text, '=');
		char what[160];

		if (!*text)
			continue;
		if (!eq) {
			snprintf(what, sizeof(what), "expected \"key = value\" inside the block of \"%s\"",
				 e->key);
			return syntax_error(p, o->lines[i].line, what, text);
		}
		entry_put_sub(e, dup_trimmed(text, (size_t)(eq - text)), dup_trimmed(eq + 1, strlen(eq + 1)),
			      where_of(p->ini->path, o->lines[i].line));
	}
	return 0;
}

static char *join_lines(const struct pending *o)
{
	struct tt_buf b;

	tt_buf_init(&b, 0);
	for (size_t i = 0; i < o->n; i++) {
		if (i)
			tt_buf_putc(&b, '\n');
		tt_buf_puts(&b, o->lines[i].text);
	}
	return tt_buf_steal(&b);
}

/* The value is complete: store it, as a nested block when it started empty
 * and went on (Python joins the lines, drops trailing blank ones, and
 * botocore nests values that then start with a newline). */
static int finish_option(struct parser *p)
{
	struct pending *o = &p->opt;
	struct entry e = { 0 };
	int rc = 0;

	if (!p->have_opt)
		return 0;
	p->have_opt = false;
	while (o->n > 1 && !o->lines[o->n - 1].text[0])
		tt_free_secret(o->lines[--o->n].text);
	e.key = o->key;
	o->key = NULL;
	e.where = where_of(p->ini->path, o->line);
	if (o->n > 1 && !o->lines[0].text[0])
		rc = parse_nested(p, &e);
	else
		e.value = join_lines(o);
	pending_clear(o);
	if (rc < 0) {
		entry_clear(&e);
		return -1;
	}
	section_put(p->sect, &e);
	return 0;
}

/* Python's "\[(?P<header>.+)\]": from the first '[' to the last ']'. */
static int parse_header(struct parser *p, const char *value, unsigned line)
{
	const char *close = strrchr(value, ']');
	char *name;

	if (!close)
		return syntax_error(p, line, "unterminated section header (no \"]\")", value);
	name = dup_trimmed(value + 1, (size_t)(close - value - 1));
	if (!*name) {
		free(name);
		return syntax_error(p, line, "empty section name", value);
	}
	p->sect = section_open(p->ini, name);
	if (!p->sect->where)
		p->sect->where = where_of(p->ini->path, line);
	free(name);
	return 0;
}

/* "key = value" or "key: value": the first '=' or ':' splits. */
static int parse_option(struct parser *p, char *value, unsigned line)
{
	size_t k = strcspn(value, "=:");
	char *key;

	if (!value[k])
		return syntax_error(p, line, "expected \"key = value\" or \"[section]\"", value);
	key = dup_trimmed(value, k);
	if (!*key) {
		free(key);
		return syntax_error(p, line, "missing key before the \"=\"", value);
	}
	lower_ascii(key);
	p->opt.key = key;
	p->opt.line = line;
	pending_add(&p->opt, tt_str_trim(value + k + 1), line);
	p->have_opt = true;
	return 0;
}

static int parse_line(struct parser *p, char *line, unsigned lineno)
{
	size_t indent = indent_of(line);
	char *value = tt_str_trim(line);

	if (!*value) {
		/* Python keeps blank lines inside a value; trailing ones go later. */
		if (p->have_opt)
			pending_add(&p->opt, "", lineno);
		return 0;
	}
	if (*value == '#' || *value == ';')
		return 0;
	if (p->have_opt && indent > p->indent) {
		pending_add(&p->opt, value, lineno);
		return 0;
	}
	if (finish_option(p) < 0)
		return -1;
	p->indent = indent;
	if (*value == '[')
		return parse_header(p, value, lineno);
	if (!p->sect)
		return syntax_error(p, lineno, "expected a \"[section]\" header before the first key", value);
	return parse_option(p, value, lineno);
}

static int parse_text(struct parser *p, char *text, size_t len)
{
	char *line = text, *end = text + len;
	unsigned lineno = 0;

	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		line += 3;
	while (line < end) {
		char *stop = memchr(line, '\n', (size_t)(end - line));

		if (!stop)
			stop = end;
		lineno++;
		if (memchr(line, '\0', (size_t)(stop - line)))
			return syntax_error(p, lineno, "NUL byte in the line", NULL);
		*stop = '\0';
		if (stop > line && stop[-1] == '\r')
			stop[-1] = '\0';
		if (parse_line(p, line, lineno) < 0)
			return -1;
		line = stop + 1;
	}
	return finish_option(p);
}

/* --- section names ----------------------------------------------------- */

/* "[profile x]" (and, botocore being botocore, "[profilex y]"): any header
 * that starts with prefix and splits into exactly two words. */
static bool split_kind(struct section *s, const char *prefix)
{
	char *words[4] = {NULL};
	int n;

	if (!tt_str_starts_with(s->header, prefix))
		return false;
	/* Room for three words: a third is enough to know it is not two. */
	n = tt_shlex_split(s->header, words, 4);
	if (n == 2) {
		s->name_buf = words[1];
		s->name = s->name_buf;
		words[1] = NULL;
	}
	for (int i = 0; i < n; i++)
		free(words[i]);
	return true;
}

/* build_profile_map(): the order of the tests is botocore's; a header that
 * starts with "profile" but does not split in two is nothing at all. */
static void classify_config_section(struct section *s)
{
	static const struct {
		const char *prefix;
		enum kind kind;
	} kinds[] = {
		{ "profile", K_PROFILE },
		{ "sso-session", K_SSO_SESSION },
		{ "services", K_SERVICES },
		{ "app", K_APP },
		{ "table", K_TABLE },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (split_kind(s, kinds[i].prefix)) {
			s->kind = s->name ? kinds[i].kind : K_NONE;
			return;
		}
	}
	if (strcmp(s->header, "default") == 0) {
		s->kind = K_PROFILE;
		s->name = s->header;
	} else if (strcmp(s->header, "tiertop") == 0) {
		s->kind = K_TIERTOP;
		s->name = s->header;
	}
}

static void classify(struct ini *ini, bool credentials)
{
	for (size_t i = 0; i < ini->n; i++) {
		struct section *s = ini->secs[i];

		if (credentials) {
			s->kind = K_PROFILE;
			s->name = s->header;
		} else {
			classify_config_section(s);
		}
		if (s->kind == K_NONE)
			continue;
		/* Later sections replace earlier ones: the last one naming it wins. */
		tt_strindex_put(&ini->by_name[s->kind], s->name, strlen(s->name), i);
	}
}

/* --- files ------------------------------------------------------------- */

static int slurp(const char *path, struct tt_buf *out, struct tt_err *err)
{
	char chunk[8192];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return tt_err_set(err, TT_ERR_CONFIG, "cannot read %s: %s", path, strerror(errno));
	for (;;) {
		ssize_t got = read(fd, chunk, sizeof(chunk));

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = tt_err_set(err, TT_ERR_CONFIG, "cannot read %s: %s", path, strerror(errno));
			break;
		}
		if (got == 0)
			break;
		if (!tt_buf_append(out, chunk, (size_t)got)) {
			rc = tt_err_set(err, TT_ERR_CONFIG, "%s is larger than %zu MiB: not a config file",
					path, MAX_FILE_SIZE >> 20);
			break;
		}
	}
	close(fd);
	return rc;
}

/* Leaves out empty when there is nothing to read. For AWS's files botocore
 * skips whatever is not a regular file (os.path.isfile), so /dev/null means
 * "no file"; ANY_KIND reads a pipe or device too (tiertop's own file, where a
 * skipped <(...) would lose its read_only). A directory or an unreadable
 * file is an error here instead of a silent skip. */
static int read_file(const char *path, bool any_kind, struct tt_buf *out, bool *found,
		     struct tt_err *err)
{
	struct stat st;

	*found = false;
	if (!path || !*path)
		return 0;
	if (stat(path, &st) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		return tt_err_set(err, TT_ERR_CONFIG, "cannot read %s: %s", path, strerror(errno));
	}
	if (S_ISDIR(st.st_mode))
		return tt_err_set(err, TT_ERR_CONFIG, "cannot read %s: %s", path, strerror(EISDIR));
	if (!S_ISREG(st.st_mode) && !any_kind)
		return 0;
	*found = true;
	return slurp(path, out, err);
}

enum file_role { AWS_CONFIG, AWS_CREDENTIALS, OWN_CONFIG };

static int load_ini(struct ini *ini, const char *path, enum file_role role, struct tt_err *err)
{
	bool credentials = role == AWS_CREDENTIALS;
	struct tt_buf text;
	struct parser p = { .ini = ini, .quiet = credentials, .err = err };
	bool found;
	int rc;

	ini->path = tt_xstrdup(path ? path : "");
	tt_buf_init(&text, MAX_FILE_SIZE);
	rc = read_file(ini->path, role == OWN_CONFIG, &text, &found, err);
	if (rc == 0 && found && text.len)
		rc = parse_text(&p, text.data, text.len);
	pending_clear(&p.opt);
	free(p.opt.lines);
	/* The credentials file may hold secrets: wipe our copy of its bytes. */
	if (credentials)
		tt_buf_clear_secret(&text);
	else
		tt_buf_clear(&text);
	if (rc == 0)
		classify(ini, credentials);
	return rc;
}

char *tt_awscfg_expand_home(const char *path)
{
	const char *rest, *home = NULL;
	struct passwd *pw = NULL;
	char *user, *dir, *out;
	size_t n;

	if (path[0] != '~')
		return tt_xstrdup(path);
	rest = path + 1 + strcspn(path + 1, "/");
	if (rest == path + 1) {
		home = getenv("HOME");
		if (!home || !*home)
			pw = getpwuid(getuid());
	} else {
		user = tt_xstrndup(path + 1, (size_t)(rest - path - 1));
		pw = getpwnam(user);
		free(user);
	}
	if (pw)
		home = pw->pw_dir;
	if (!home)
		return tt_xstrdup(path);
	dir = tt_xstrdup(home);
	for (n = strlen(dir); n > 0 && dir[n - 1] == '/'; n--)
		dir[n - 1] = '\0';
	out = tt_xasprintf("%s%s", dir, *dir || *rest ? rest : "/");
	free(dir);
	return out;
}

static char *env_path(const char *var, const char *fallback)
{
	const char *v = getenv(var);

	return tt_awscfg_expand_home(v ? v : fallback);
}

static int load_files(struct tt_awscfg **out, const char *config_path, enum file_role config_role,
		      const char *credentials_path, struct tt_err *err)
{
	struct tt_awscfg *cfg = tt_xcalloc(1, sizeof(*cfg));

	*out = NULL;
	if (load_ini(&cfg->config, config_path, config_role, err) < 0 ||
	    load_ini(&cfg->creds, credentials_path, AWS_CREDENTIALS, err) < 0) {
		tt_awscfg_free(&cfg);
		return -1;
	}
	*out = cfg;
	return 0;
}

int tt_awscfg_load_paths(struct tt_awscfg **out, const char *config_path,
			 const char *credentials_path, struct tt_err *err)
{
	return load_files(out, config_path, AWS_CONFIG, credentials_path, err);
}

int tt_awscfg_load_own(struct tt_awscfg **out, const char *path, struct tt_err *err)
{
	return load_files(out, path, OWN_CONFIG, NULL, err);
}

int tt_awscfg_load(struct tt_awscfg **out, struct tt_err *err)
{
	char *config = env_path("AWS_CONFIG_FILE", "~/.aws/config");
	char *creds = env_path("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials");
	int rc = tt_awscfg_load_paths(out, config, creds, err);

	free(config);
	free(creds);
	return rc;
}

void tt_awscfg_free(struct tt_awscfg **cfg)
{
	if (!cfg || !*cfg)
		return;
	ini_clear(&(*cfg)->config);
	ini_clear(&(*cfg)->creds);
	free(*cfg);
	*cfg = NULL;
}

const char *tt_awscfg_config_path(const struct tt_awscfg *cfg)
{
	return cfg && cfg->config.path ? cfg->config.path : "";
}

const char *tt_awscfg_credentials_path(const struct tt_awscfg *cfg)
{
	return cfg && cfg->creds.path ? cfg->creds.path : "";
}

/* --- lookups ----------------------------------------------------------- */

static enum kind kind_of(const char *kind)
{
	if (!kind)
		return K_NONE;
	if (strcmp(kind, "profile") == 0)
		return K_PROFILE;
	if (strcmp(kind, "sso-session") == 0)
		return K_SSO_SESSION;
	if (strcmp(kind, "services") == 0)
		return K_SERVICES;
	if (strcmp(kind, "app") == 0)
		return K_APP;
	if (strcmp(kind, "tiertop") == 0)
		return K_TIERTOP;
	if (strcmp(kind, "table") == 0)
		return K_TABLE;
	return K_NONE;
}

/* The last section naming it wins, as later keys of botocore's dict do. */
static const struct section *find_section(const struct ini *ini, enum kind kind, const char *name)
{
	size_t at = tt_strindex_get(&ini->by_name[kind], name, strlen(name));

	return at == TT_STRINDEX_NONE ? NULL : ini->secs[at];
}

/* A section's own key, else the file's [DEFAULT] one. */
static const struct entry *section_entry(const struct ini *ini, const struct section *s, const char *key)
{
	const struct entry *e;

	if (!s)
		return NULL;
	e = find_entry(s, key);
	if (!e && ini->defaults)
		e = find_entry(ini->defaults, key);
	return e;
}

/* Profiles: the credentials file's keys (its [DEFAULT] included) override
 * the config file's, as session.full_config's dict.update() does. */
static const struct entry *lookup(const struct tt_awscfg *cfg, const char *kind, const char *name,
				  const char *key)
{
	enum kind k = kind_of(kind);
	const struct entry *e = NULL;

	if (!cfg || !name || !key || k == K_NONE)
		return NULL;
	if (k == K_PROFILE)
		e = section_entry(&cfg->creds, find_section(&cfg->creds, k, name), key);
	if (!e)
		e = section_entry(&cfg->config, find_section(&cfg->config, k, name), key);
	return e;
}

static const struct sub *lookup_sub(const struct tt_awscfg *cfg, const char *kind, const char *name,
				    const char *key, const char *subkey)
{
	const struct entry *e = lookup(cfg, kind, name, key);

	return e && subkey ? find_sub(e, subkey) : NULL;
}

bool tt_awscfg_has_section(const struct tt_awscfg *cfg, const char *kind, const char *name)
{
	enum kind k = kind_of(kind);

	if (!cfg || !name || k == K_NONE)
		return false;
	if (k == K_PROFILE && find_section(&cfg->creds, k, name))
		return true;
	return find_section(&cfg->config, k, name) != NULL;
}

size_t tt_awscfg_section_names(const struct tt_awscfg *cfg, const char *kind, const char ***names)
{
	enum kind k = kind_of(kind);
	struct tt_strindex seen = {0};
	size_t n = 0;

	*names = tt_xcalloc(cfg ? cfg->config.n + 1 : 1, sizeof(**names));
	for (size_t i = 0; cfg && k != K_NONE && i < cfg->config.n; i++) {
		const struct section *s = cfg->config.secs[i];
		if (s->kind == k && tt_strindex_add(&seen, s->name, strlen(s->name), n))
			(*names)[n++] = s->name;
	}
	tt_strindex_clear(&seen);
	return n;
}

size_t tt_awscfg_section_keys(const struct tt_awscfg *cfg, const char *kind, const char *name,
			      const char ***keys)
{
	const struct section *s = cfg && name ? find_section(&cfg->config, kind_of(kind), name) : NULL;
	size_t n = 0;

	*keys = tt_xcalloc(s ? s->n + 1 : 1, sizeof(**keys));
	for (size_t i = 0; s && i < s->n; i++)
		(*keys)[n++] = s->entries[i].key;
	return n;
}

bool tt_awscfg_has_profile(const struct tt_awscfg *cfg, const char *name)
{
	return tt_awscfg_has_section(cfg, "profile", name);
}

const char *tt_awscfg_section_get(const struct tt_awscfg *cfg, const char *kind,
				  const char *name, const char *key)
{
	const struct entry *e = lookup(cfg, kind, name, key);

	return e ? e->value : NULL;
}

const char *tt_awscfg_section_where(const struct tt_awscfg *cfg, const char *kind,
				    const char *name, const char *key)
{
	const struct entry *e = lookup(cfg, kind, name, key);

	return e ? e->where : NULL;
}

const char *tt_awscfg_get(const struct tt_awscfg *cfg, const char *profile, const char *key)
{
	return tt_awscfg_section_get(cfg, "profile", profile, key);
}

const char *tt_awscfg_where(const struct tt_awscfg *cfg, const char *profile, const char *key)
{
	return tt_awscfg_section_where(cfg, "profile", profile, key);
}

const char *tt_awscfg_nested_get(const struct tt_awscfg *cfg, const char *kind, const char *name,
				 const char *key, const char *subkey)
{
	const struct sub *s = lookup_sub(cfg, kind, name, key, subkey);

	return s ? s->value : NULL;
}

const char *tt_awscfg_nested_where(const struct tt_awscfg *cfg, const char *kind,
				   const char *name, const char *key, const char *subkey)
{
	const struct sub *s = lookup_sub(cfg, kind, name, key, subkey);

	return s ? s->where : NULL;
}

/* --- which profile ----------------------------------------------------- */

static const char *env_nonempty(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

const char *tt_awscfg_profile_name(const char *cli_profile)
{
	const char *v;

	if (cli_profile)
		return cli_profile;
	v = env_nonempty("AWS_PROFILE");
	if (!v)
		v = env_nonempty("AWS_DEFAULT_PROFILE");
	return v ? v : "default";
}

bool tt_awscfg_profile_explicit(const char *cli_profile)
{
	return cli_profile || env_nonempty("AWS_PROFILE") || env_nonempty("AWS_DEFAULT_PROFILE");
}

static const char *kind_name(enum kind k)
{
	static const char *const names[] = { NULL, "profile", "sso-session", "services", "app", "tiertop", "table" };

	return names[k];
}

size_t tt_awscfg_headers(const struct tt_awscfg *cfg, struct tt_awscfg_header **out)
{
	const struct ini *ini = cfg ? &cfg->config : NULL;
	size_t n = 0;

	*out = tt_xcalloc(ini ? ini->n + 2 : 1, sizeof(**out));
	if (ini && ini->defaults)
		(*out)[n++] = (struct tt_awscfg_header){ ini->defaults->header, ini->defaults->where, NULL, NULL };
	for (size_t i = 0; ini && i < ini->n; i++) {
		const struct section *s = ini->secs[i];
		(*out)[n++] = (struct tt_awscfg_header){ s->header, s->where, kind_name(s->kind),
							  s->kind == K_NONE ? NULL : s->name };
	}
	return n;
}

size_t tt_awscfg_section_history(const struct tt_awscfg *cfg, const char *kind, const char *name,
				 const char *key, const char ***values, const char ***wheres)
{
	const struct section *s = cfg && name && key ? find_section(&cfg->config, kind_of(kind), name) : NULL;
	const struct entry *last = s ? find_entry(s, key) : NULL;
	size_t n = 0;

	size_t i;

	for (const struct entry *e = last; e; e = e->older)
		n++;
	*values = tt_xcalloc(n + 1, sizeof(**values));
	*wheres = tt_xcalloc(n + 1, sizeof(**wheres));
	/* The chain runs from the latest value back. */
	i = n;
	for (const struct entry *e = last; e; e = e->older) {
		i--;
		(*values)[i] = e->value;
		(*wheres)[i] = e->where;
	}
	return n;
}
