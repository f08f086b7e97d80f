/* The shared config and credentials files: syntax, sections, precedence,
 * errors with file and line, and the files themselves (missing, unreadable,
 * found through the environment). Expected values were checked against
 * botocore's configloader where botocore accepts the input. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "testutil.h"
#include "tiertop/buf.h"
#include "tiertop/err.h"
#include "tiertop/profile.h"
#include "tiertop/xalloc.h"

static char *dir;
static int file_no;

/* A fresh file under dir holding text; NULL text gives a path with no file. */
static char *new_file(const char *text)
{
	char *path = tt_xasprintf("%s/f%d", dir, ++file_no);

	if (text && tu_write_file(path, text) < 0)
		tap_ok(false, "write %s", path);
	return path;
}

static struct tt_awscfg *load(const char *config, const char *creds)
{
	char *cp = new_file(config), *kp = new_file(creds);
	struct tt_awscfg *cfg = NULL;
	struct tt_err err;

	tt_err_clear(&err);
	if (tt_awscfg_load_paths(&cfg, cp, kp, &err) < 0)
		printf("# unexpected error: %s\n", err.message);
	free(cp);
	free(kp);
	return cfg;
}

/* Loads config text that must fail; returns the message (static). */
static const char *load_error(const char *config, const char *creds, char **path_out)
{
	static struct tt_err err;
	char *cp = new_file(config), *kp = new_file(creds);
	struct tt_awscfg *cfg = NULL;
	int rc;

	tt_err_clear(&err);
	rc = tt_awscfg_load_paths(&cfg, cp, kp, &err);
	tap_ok(rc == -1 && cfg == NULL && err.kind == TT_ERR_CONFIG, "load fails with a config error");
	tt_awscfg_free(&cfg);
	if (path_out)
		*path_out = tt_xstrdup(config ? cp : kp);
	free(cp);
	free(kp);
	return err.message;
}

static void expect_error(const char *config, const char *want_fmt_line, unsigned line, const char *what)
{
	char *path = NULL;
	const char *msg = load_error(config, NULL, &path);
	char *want = tt_xasprintf("%s:%u: %s", path, line, want_fmt_line);

	tap_str_eq(msg, want, what);
	free(want);
	free(path);
}

static void test_basic_syntax(void)
{
	struct tt_awscfg *cfg = load("[default]\n"
				     "region = us-east-1\n"
				     "output=json\n"
				     "cli_pager: less\n"
				     "note = a # b ; c\n"
				     "url = http://x:80/a=b\n"
				     "a:b = c\n"
				     "empty =\n"
				     "\n"
				     "# a comment\n"
				     "; another\n"
				     "   # indented comment\n"
				     "[profile dev]\n"
				     "region=eu-west-1\n",
				     NULL);

	tap_str_eq(tt_awscfg_get(cfg, "default", "region"), "us-east-1", "key = value");
	tap_str_eq(tt_awscfg_get(cfg, "default", "output"), "json", "key=value");
	tap_str_eq(tt_awscfg_get(cfg, "default", "cli_pager"), "less", "key: value");
	tap_str_eq(tt_awscfg_get(cfg, "default", "note"), "a # b ; c", "no inline comments");
	tap_str_eq(tt_awscfg_get(cfg, "default", "url"), "http://x:80/a=b", "first delimiter splits (=)");
	tap_str_eq(tt_awscfg_get(cfg, "default", "a"), "b = c", "first delimiter splits (:)");
	tap_str_eq(tt_awscfg_get(cfg, "default", "empty"), "", "empty value");
	tap_ok(tt_awscfg_get(cfg, "default", "# a comment") == NULL, "comment is no key");
	tap_str_eq(tt_awscfg_get(cfg, "dev", "region"), "eu-west-1", "[profile dev]");
	tap_ok(tt_awscfg_get(cfg, "dev", "output") == NULL, "profiles do not share keys");
	tap_ok(tt_awscfg_get(cfg, "nosuch", "region") == NULL, "unknown profile");
	tt_awscfg_free(&cfg);
	tap_ok(cfg == NULL, "free NULLs the pointer");
}

static void test_keys_and_duplicates(void)
{
	struct tt_awscfg *cfg = load("[default]\n"
				     "Region = us-east-1\n"
				     "output = json\n"
				     "output = text\n"
				     "[profile a]\n"
				     "x = 1\n"
				     "[profile a]\n"
				     "y = 2\n",
				     NULL);
	char *want;

	tap_str_eq(tt_awscfg_get(cfg, "default", "region"), "us-east-1",
		   "keys fold to lower case (RawConfigParser.optionxform)");
	tap_ok(tt_awscfg_get(cfg, "default", "Region") == NULL, "lookups are by the folded key");
	tap_str_eq(tt_awscfg_get(cfg, "default", "output"), "text", "later duplicate key wins");
	want = tt_xasprintf("%s:4", tt_awscfg_config_path(cfg));
	tap_str_eq(tt_awscfg_where(cfg, "default", "output"), want, "where names the winning line");
	free(want);
	tap_str_eq(tt_awscfg_get(cfg, "a", "x"), "1", "repeated header: first part kept");
	tap_str_eq(tt_awscfg_get(cfg, "a", "y"), "2", "repeated header: second part merged");
	tt_awscfg_free(&cfg);
}

static void test_section_names(void)
{
	struct tt_awscfg *cfg = load("[  profile   spaced  ]\nk = 1\n"
				     "[profile \"my name\"]\nk = 2\n"
				     "[foo]\nk = 3\n"
				     "[profile]\nk = 4\n"
				     "[profile a b]\nk = 5\n"
				     "[profile 'x]\nk = 6\n"
				     "[default] ; trailing text\nk = 7\n"
				     "[profilex y]\nk = 8\n"
				     "[sso-session corp]\nsso_region = eu-west-1\n"
				     "[services local]\ndynamodb =\n  endpoint_url = http://localhost:8000\n",
				     NULL);

	tap_str_eq(tt_awscfg_get(cfg, "spaced", "k"), "1", "spaces inside brackets and between words");
	tap_str_eq(tt_awscfg_get(cfg, "my name", "k"), "2", "quoted profile name (shlex)");
	tap_ok(!tt_awscfg_has_profile(cfg, "foo"), "[foo] in config is not a profile");
	tap_ok(!tt_awscfg_has_profile(cfg, "profile"), "[profile] alone is not a profile");
	tap_ok(!tt_awscfg_has_profile(cfg, "a") && !tt_awscfg_has_profile(cfg, "a b"),
	       "[profile a b] is not a profile");
	tap_ok(!tt_awscfg_has_profile(cfg, "x") && !tt_awscfg_has_profile(cfg, "'x"),
	       "unterminated quote: not a profile");
	tap_str_eq(tt_awscfg_get(cfg, "default", "k"), "7", "text after ']' ignored, as in Python");
	tap_str_eq(tt_awscfg_get(cfg, "y", "k"), "8", "[profilex y] is profile y, as in botocore");
	tap_ok(!tt_awscfg_has_profile(cfg, "corp"), "sso-session is not a profile");
	tap_ok(tt_awscfg_has_section(cfg, "sso-session", "corp"), "has sso-session section");
	tap_str_eq(tt_awscfg_section_get(cfg, "sso-session", "corp", "sso_region"), "eu-west-1",
		   "sso-session key");
	tap_ok(tt_awscfg_has_section(cfg, "services", "local"), "has services section");
	tap_ok(!tt_awscfg_has_section(cfg, "services", "corp"), "kinds do not mix");
	tap_ok(!tt_awscfg_has_section(cfg, "bogus", "local"), "unknown kind finds nothing");
	tap_ok(tt_awscfg_section_get(cfg, "sso-session", "nosuch", "sso_region") == NULL,
	       "unknown sso-session");
	tt_awscfg_free(&cfg);
}

/* Organisations generate a profile per account and role: tens of thousands.
 * Before the index, 50,000 of them took 6 s to read and a hostile file of
 * 16 MiB minutes; here it is the answers that are checked, at that scale. */
#define MANY 30000
static void test_many_sections(void)
{
	struct tt_buf text;
	struct tt_awscfg *cfg;
	const char **names = NULL;
	size_t n;
	char key[32];
	bool all = true;

	tt_buf_init(&text, 0);
	for (int i = 0; i < MANY; i++)
		tt_buf_printf(&text, "[profile acct%d]\nsso_account_id = %012d\nregion = us-east-1\n", i, i);
	/* The same name under another spelling of the header: the later wins. */
	tt_buf_puts(&text, "[profile   acct7]\nregion = eu-west-3\n");
	tt_buf_puts(&text, "[profile big]\n");
	for (int i = 0; i < MANY; i++)
		tt_buf_printf(&text, "k%d = %d\n", i, i);
	tt_buf_puts(&text, "k17 = again\n");
	cfg = load(text.data, NULL);
	tt_buf_clear(&text);

	for (int i = 0; i < MANY && all; i += 997) {
		char want[16];
		snprintf(key, sizeof(key), "acct%d", i);
		snprintf(want, sizeof(want), "%012d", i);
		all = tt_awscfg_has_profile(cfg, key) && tt_awscfg_get(cfg, key, "sso_account_id") &&
		      strcmp(tt_awscfg_get(cfg, key, "sso_account_id"), want) == 0;
	}
	tap_ok(all, "%d profiles: each found with its own keys", MANY);
	tap_ok(!tt_awscfg_has_profile(cfg, "acct30000") && !tt_awscfg_has_profile(cfg, "acct"),
	       "... and a name that is not there is not found");
	tap_str_eq(tt_awscfg_get(cfg, "acct7", "region"), "eu-west-3",
		   "a later header naming the same profile wins (\"[profile   acct7]\")");
	tap_ok(tt_awscfg_get(cfg, "acct7", "sso_account_id") == NULL,
	       "... whole: the earlier section's keys are not mixed in, as in botocore");
	n = tt_awscfg_section_names(cfg, "profile", &names);
	tap_ok(n == MANY + 1 && strcmp(names[0], "acct0") == 0 && strcmp(names[MANY - 1], "acct29999") == 0 &&
		       strcmp(names[MANY], "big") == 0,
	       "section names: each once, in the order they first appear (%zu)", n);
	free(names);
	tap_str_eq(tt_awscfg_get(cfg, "big", "k29999"), "29999", "a section of 30,000 keys: the last found");
	tap_str_eq(tt_awscfg_get(cfg, "big", "k0"), "0", "... the first found");
	tap_str_eq(tt_awscfg_get(cfg, "big", "k17"), "again", "... a later duplicate key wins");
	tt_awscfg_free(&cfg);
}

static void test_default_sections(void)
{
	struct tt_awscfg *cfg = load("[default]\nregion = a\noutput = json\n"
				     "[profile default]\nregion = b\n",
				     NULL);

	tap_str_eq(tt_awscfg_get(cfg, "default", "region"), "b", "[profile default] after [default] wins");
	tap_ok(tt_awscfg_get(cfg, "default", "output") == NULL,
	       "...as a whole, like botocore's profile map");
	tt_awscfg_free(&cfg);

	cfg = load("[profile default]\nregion = b\n[default]\nregion = a\n", NULL);
	tap_str_eq(tt_awscfg_get(cfg, "default", "region"), "a", "[default] after [profile default] wins");
	tt_awscfg_free(&cfg);

	cfg = load("[DEFAULT]\nregion = d\noutput = json\n[profile p]\nregion = p\n[profile q]\n",
		   "[DEFAULT]\nx = from-creds-default\n[c]\n");
	tap_str_eq(tt_awscfg_get(cfg, "p", "region"), "p", "own key over [DEFAULT]");
	tap_str_eq(tt_awscfg_get(cfg, "p", "output"), "json", "[DEFAULT] lends keys (config)");
	tap_str_eq(tt_awscfg_get(cfg, "q", "region"), "d", "[DEFAULT] lends keys to empty section");
	tap_str_eq(tt_awscfg_get(cfg, "c", "x"), "from-creds-default", "[DEFAULT] lends keys (credentials)");
	tap_ok(tt_awscfg_get(cfg, "p", "x") == NULL, "credentials [DEFAULT] only reaches its own file");
	tap_ok(!tt_awscfg_has_profile(cfg, "DEFAULT"), "[DEFAULT] is no profile");
	tap_ok(tt_awscfg_get(cfg, "nosuch", "region") == NULL, "[DEFAULT] does not create profiles");
	tt_awscfg_free(&cfg);
}

static void test_credentials_file(void)
{
	struct tt_awscfg *cfg = load("[default]\nregion = us-east-1\naws_access_key_id = CONFIGKEY\n"
				     "[profile dev]\nregion = eu-west-1\n"
				     "[x]\nregion = nope\n",
				     "[default]\naws_access_key_id = CREDKEY\n"
				     "aws_secret_access_key = SECRET\n"
				     "[dev]\nregion = ap-south-1\n"
				     "[profile y]\nk = 1\n"
				     "[only-creds]\nk = 2\n");
	char *want;

	tap_str_eq(tt_awscfg_get(cfg, "default", "aws_access_key_id"), "CREDKEY",
		   "credentials file overrides config");
	tap_str_eq(tt_awscfg_get(cfg, "default", "region"), "us-east-1", "config keys still visible");
	tap_str_eq(tt_awscfg_get(cfg, "dev", "region"), "ap-south-1", "[dev] in credentials is profile dev");
	want = tt_xasprintf("%s:5", tt_awscfg_credentials_path(cfg));
	tap_str_eq(tt_awscfg_where(cfg, "dev", "region"), want, "where points into the credentials file");
	free(want);
	want = tt_xasprintf("%s:2", tt_awscfg_config_path(cfg));
	tap_str_eq(tt_awscfg_where(cfg, "default", "region"), want, "where points into the config file");
	free(want);
	tap_ok(tt_awscfg_where(cfg, "default", "nosuch") == NULL, "where of a missing key");
	tap_ok(!tt_awscfg_has_profile(cfg, "x"), "[x] in config is not a profile");
	tap_ok(tt_awscfg_has_profile(cfg, "profile y") && !tt_awscfg_has_profile(cfg, "y"),
	       "[profile y] in credentials is the profile \"profile y\"");
	tap_ok(tt_awscfg_has_profile(cfg, "only-creds"), "profile only in credentials");
	tap_ok(tt_awscfg_has_profile(cfg, "dev") && tt_awscfg_has_profile(cfg, "default"),
	       "profiles in both files");
	tt_awscfg_free(&cfg);
}

static void test_nested(void)
{
	struct tt_awscfg *cfg = load("[profile p]\n"
				     "services = local\n"
				     "s3 =\n"
				     "  addressing_style = path\n"
				     "  Signature_Version=s3v4\n"
				     "\n"
				     "  max_concurrent_requests = 10 = ten\n"
				     "region = us-east-1\n"
				     "[services local]\n"
				     "dynamodb =\n"
				     "  endpoint_url = http://localhost:8000\n"
				     "sts =\n"
				     "\t# a comment inside the block\n"
				     "\tendpoint_url = http://localhost:4566\n"
				     "plain = value\n",
				     "[p]\nsts =\n  endpoint_url = http://creds\n");
	char *want;

	tap_str_eq(tt_awscfg_nested_get(cfg, "profile", "p", "s3", "addressing_style"), "path",
		   "nested block in a profile");
	tap_str_eq(tt_awscfg_nested_get(cfg, "profile", "p", "s3", "Signature_Version"), "s3v4",
		   "nested keys keep their case");
	tap_str_eq(tt_awscfg_nested_get(cfg, "profile", "p", "s3", "max_concurrent_requests"), "10 = ten",
		   "nested values split at the first '='");
	tap_ok(tt_awscfg_get(cfg, "p", "s3") == NULL, "get on a nested block is NULL");
	want = tt_xasprintf("%s:3", tt_awscfg_config_path(cfg));
	tap_str_eq(tt_awscfg_where(cfg, "p", "s3"), want, "where of a nested block");
	free(want);
	tap_str_eq(tt_awscfg_get(cfg, "p", "region"), "us-east-1", "key after a nested block");
	tap_str_eq(tt_awscfg_nested_get(cfg, "services", "local", "dynamodb", "endpoint_url"),
		   "http://localhost:8000", "services block");
	tap_str_eq(tt_awscfg_nested_get(cfg, "services", "local", "sts", "endpoint_url"),
		   "http://localhost:4566", "tab-indented block with a comment inside");
	want = tt_xasprintf("%s:14", tt_awscfg_config_path(cfg));
	tap_str_eq(tt_awscfg_nested_where(cfg, "services", "local", "sts", "endpoint_url"), want,
		   "nested_where names the sub key's line");
	free(want);
	tap_ok(tt_awscfg_nested_get(cfg, "services", "local", "plain", "endpoint_url") == NULL,
	       "nested_get on a plain value");
	tap_ok(tt_awscfg_nested_get(cfg, "services", "local", "lambda", "endpoint_url") == NULL,
	       "nested_get on a missing key");
	tap_str_eq(tt_awscfg_nested_get(cfg, "profile", "p", "sts", "endpoint_url"), "http://creds",
		   "nested block in the credentials file");
	tt_awscfg_free(&cfg);
}

static void test_continuation(void)
{
	struct tt_awscfg *cfg = load("[default]\n"
				     "multi = a\n"
				     "  b\n"
				     "      c\n"
				     "gap = x\n"
				     "\n"
				     "  y\n"
				     "\n"
				     "\n"
				     "commented = 1\n"
				     "# not part of it\n"
				     "  2\n"
				     "[profile i]\n"
				     "  indented = first\n"
				     "  second = 2\n"
				     "  third = 3\n"
				     "    more\n"
				     "looks = like\n"
				     "  [profile z]\n",
				     NULL);

	tap_str_eq(tt_awscfg_get(cfg, "default", "multi"), "a\nb\nc", "continuation lines joined with \\n");
	tap_str_eq(tt_awscfg_get(cfg, "default", "gap"), "x\n\ny",
		   "blank line inside a value kept, trailing ones dropped");
	tap_str_eq(tt_awscfg_get(cfg, "default", "commented"), "1\n2", "comment lines skipped inside a value");
	tap_str_eq(tt_awscfg_get(cfg, "i", "indented"), "first",
		   "indented key line starts a key (same indent is no continuation)");
	tap_str_eq(tt_awscfg_get(cfg, "i", "second"), "2", "second indented key");
	tap_str_eq(tt_awscfg_get(cfg, "i", "third"), "3\nmore", "deeper than its key continues");
	tap_str_eq(tt_awscfg_get(cfg, "i", "looks"), "like\n[profile z]",
		   "an indented header is a continuation, as in Python");
	tap_ok(!tt_awscfg_has_profile(cfg, "z"), "...so it is no profile");
	tt_awscfg_free(&cfg);
}

static void test_line_endings(void)
{
	struct tt_awscfg *cfg = load("\xEF\xBB\xBF[default]\r\nregion = us-west-2\r\n"
				     "multi = a\r\n  b\r\n[profile crlf]\r\nk = v\r\n",
				     "[default]\r\naws_access_key_id = AKID\r\n");

	tap_str_eq(tt_awscfg_get(cfg, "default", "region"), "us-west-2", "BOM and CRLF");
	tap_str_eq(tt_awscfg_get(cfg, "default", "multi"), "a\nb", "CRLF continuation");
	tap_str_eq(tt_awscfg_get(cfg, "crlf", "k"), "v", "CRLF header");
	tap_str_eq(tt_awscfg_get(cfg, "default", "aws_access_key_id"), "AKID", "CRLF credentials");
	tt_awscfg_free(&cfg);

	cfg = load("[default]\nregion = eu-north-1", NULL);
	tap_str_eq(tt_awscfg_get(cfg, "default", "region"), "eu-north-1", "no newline at end of file");
	tt_awscfg_free(&cfg);
}

static void test_syntax_errors(void)
{
	char *path = NULL;
	const char *msg;
	char *want;

	expect_error("[default]\nregion = x\n\n# c\n\n\ngarbage\n",
		     "expected \"key = value\" or \"[section]\", got \"garbage\"", 7, "garbage line");
	expect_error("# comment\nregion = us-east-1\n[default]\n",
		     "expected a \"[section]\" header before the first key, got \"region = us-east-1\"", 2,
		     "key before any section");
	expect_error("[default]\n[profile x\nk = v\n",
		     "unterminated section header (no \"]\"), got \"[profile x\"", 2, "unterminated [");
	expect_error("[]\n", "empty section name, got \"[]\"", 1, "empty section []");
	expect_error("[default]\n[   ]\n", "empty section name, got \"[   ]\"", 2, "blank section name");
	expect_error("[default]\n = value\n", "missing key before the \"=\", got \"= value\"", 2, "missing key");
	expect_error("[services s]\nsts =\n  endpoint_url = x\n  oops\n",
		     "expected \"key = value\" inside the block of \"sts\", got \"oops\"", 4,
		     "bad line in a nested block");
	expect_error("[default]\nk = v\n\x1b[31mred\n",
		     "expected \"key = value\" or \"[section]\", got \"^[[31mred\"", 3,
		     "control characters in quoted line are made visible");

	msg = load_error(NULL, "[default]\nwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", &path);
	want = tt_xasprintf("%s:2: expected \"key = value\" or \"[section]\" "
			    "(line not shown: it may hold a secret)", path);
	tap_str_eq(msg, want, "credentials file lines are never quoted");
	tap_ok(strstr(msg, "EXAMPLEKEY") == NULL, "no secret in the message");
	free(want);
	free(path);
}

static void test_nul_byte(void)
{
	char *path = new_file(NULL);
	FILE *f = fopen(path, "wb");
	struct tt_awscfg *cfg = NULL;
	struct tt_err err;
	char *want;

	fwrite("[default]\nk = a\0b\n", 1, 18, f);
	fclose(f);
	tt_err_clear(&err);
	tap_ok(tt_awscfg_load_paths(&cfg, path, NULL, &err) == -1, "NUL byte rejected");
	want = tt_xasprintf("%s:2: NUL byte in the line", path);
	tap_str_eq(err.message, want, "NUL byte message");
	free(want);
	free(path);
}

static void test_files(void)
{
	struct tt_awscfg *cfg = NULL;
	struct tt_err err;
	char *sub = tt_xasprintf("%s/adir", dir);
	char *secret = new_file("[default]\nk = v\n");
	char *want;

	tt_err_clear(&err);
	cfg = load(NULL, NULL);
	tap_ok(cfg != NULL, "missing files are fine");
	tap_ok(!tt_awscfg_has_profile(cfg, "default"), "...and empty");
	tt_awscfg_free(&cfg);

	tap_ok(tt_awscfg_load_paths(&cfg, NULL, "", &err) == 0, "NULL and empty paths mean no file");
	tap_str_eq(tt_awscfg_config_path(cfg), "", "config path of no file");
	tt_awscfg_free(&cfg);

	tap_ok(tt_awscfg_load_paths(&cfg, "/dev/null", "/dev/null", &err) == 0,
	       "/dev/null is no file (botocore: os.path.isfile)");
	tt_awscfg_free(&cfg);

	mkdir(sub, 0700);
	tap_ok(tt_awscfg_load_paths(&cfg, sub, NULL, &err) == -1 && err.kind == TT_ERR_CONFIG,
	       "a directory is an error");
	want = tt_xasprintf("cannot read %s: Is a directory", sub);
	tap_str_eq(err.message, want, "directory error names file and reason");
	free(want);
	tap_ok(cfg == NULL, "no object on failure");

	tt_err_clear(&err);
	tap_ok(tt_awscfg_load_paths(&cfg, NULL, sub, &err) == -1, "directory as credentials file");
	tt_awscfg_free(&cfg);

	chmod(secret, 0);
	if (geteuid() == 0) {
		tap_skip("running as root: chmod 000 does not stop reading");
		tap_skip("running as root");
	} else {
		tt_err_clear(&err);
		tap_ok(tt_awscfg_load_paths(&cfg, secret, NULL, &err) == -1, "unreadable file is an error");
		want = tt_xasprintf("cannot read %s: Permission denied", secret);
		tap_str_eq(err.message, want, "permission error names file and reason");
		free(want);
	}
	tt_awscfg_free(&cfg);
	free(secret);
	free(sub);
}

static void test_load_env(void)
{
	char *aws = tt_xasprintf("%s/home/.aws", dir);
	char *home = tt_xasprintf("%s/home", dir);
	char *p;
	struct tt_awscfg *cfg = NULL;
	struct tt_err err;

	mkdir(home, 0700);
	mkdir(aws, 0700);
	p = tt_xasprintf("%s/config", aws);
	tu_write_file(p, "[default]\nregion = from-home\n");
	free(p);
	p = tt_xasprintf("%s/credentials", aws);
	tu_write_file(p, "[default]\naws_access_key_id = HOMEKEY\n");
	free(p);
	p = tt_xasprintf("%s/other", home);
	tu_write_file(p, "[default]\nregion = from-other\n");
	free(p);

	setenv("HOME", home, 1);
	unsetenv("AWS_CONFIG_FILE");
	unsetenv("AWS_SHARED_CREDENTIALS_FILE");
	tt_err_clear(&err);
	tap_ok(tt_awscfg_load(&cfg, &err) == 0, "load from the default paths");
	tap_str_eq(tt_awscfg_get(cfg, "default", "region"), "from-home", "~/.aws/config");
	tap_str_eq(tt_awscfg_get(cfg, "default", "aws_access_key_id"), "HOMEKEY", "~/.aws/credentials");
	p = tt_xasprintf("%s/config", aws);
	tap_str_eq(tt_awscfg_config_path(cfg), p, "config path expanded");
	free(p);
	tt_awscfg_free(&cfg);

	setenv("AWS_CONFIG_FILE", "~/other", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "", 1);
	tap_ok(tt_awscfg_load(&cfg, &err) == 0, "load from the variables");
	tap_str_eq(tt_awscfg_get(cfg, "default", "region"), "from-other", "AWS_CONFIG_FILE with ~");
	tap_ok(tt_awscfg_get(cfg, "default", "aws_access_key_id") == NULL,
	       "AWS_SHARED_CREDENTIALS_FILE=\"\" means no file");
	tt_awscfg_free(&cfg);

	setenv("AWS_CONFIG_FILE", aws, 1);
	tap_ok(tt_awscfg_load(&cfg, &err) == -1 && strstr(err.message, aws),
	       "AWS_CONFIG_FILE naming a directory fails");
	unsetenv("AWS_CONFIG_FILE");
	unsetenv("AWS_SHARED_CREDENTIALS_FILE");
	free(aws);
	free(home);
}

static void test_profile_selection(void)
{
	unsetenv("AWS_PROFILE");
	unsetenv("AWS_DEFAULT_PROFILE");
	tap_str_eq(tt_awscfg_profile_name(NULL), "default", "no selection: default");
	tap_ok(!tt_awscfg_profile_explicit(NULL), "default is not explicit");
	setenv("AWS_DEFAULT_PROFILE", "d", 1);
	tap_str_eq(tt_awscfg_profile_name(NULL), "d", "AWS_DEFAULT_PROFILE");
	tap_ok(tt_awscfg_profile_explicit(NULL), "AWS_DEFAULT_PROFILE is explicit");
	setenv("AWS_PROFILE", "p", 1);
	tap_str_eq(tt_awscfg_profile_name(NULL), "p", "AWS_PROFILE before AWS_DEFAULT_PROFILE");
	tap_str_eq(tt_awscfg_profile_name("cli"), "cli", "--profile first");
	tap_ok(tt_awscfg_profile_explicit("cli"), "--profile is explicit");
	setenv("AWS_PROFILE", "", 1);
	tap_str_eq(tt_awscfg_profile_name(NULL), "d", "empty AWS_PROFILE counts as unset");
	unsetenv("AWS_DEFAULT_PROFILE");
	tap_ok(!tt_awscfg_profile_explicit(NULL), "empty variables are not explicit");
	tap_str_eq(tt_awscfg_profile_name("default"), "default", "--profile default");
	tap_ok(tt_awscfg_profile_explicit("default"), "--profile default is explicit");
	unsetenv("AWS_PROFILE");
}

static void test_null_cfg(void)
{
	tap_ok(!tt_awscfg_has_profile(NULL, "default"), "NULL cfg has no profile");
	tap_ok(tt_awscfg_get(NULL, "default", "region") == NULL, "NULL cfg get");
	tap_ok(tt_awscfg_nested_get(NULL, "services", "x", "y", "z") == NULL, "NULL cfg nested_get");
	tap_str_eq(tt_awscfg_config_path(NULL), "", "NULL cfg path");
	tt_awscfg_free(NULL); /* a crash here fails the whole program */
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

int main(void)
{
	dir = tu_mkdtemp();
	if (!dir) {
		printf("Bail out! cannot make a temporary directory\n");
		return 1;
	}
	test_basic_syntax();
	test_keys_and_duplicates();
	test_section_names();
	test_many_sections();
	test_default_sections();
	test_credentials_file();
	test_nested();
	test_continuation();
	test_line_endings();
	test_syntax_errors();
	test_nul_byte();
	test_files();
	test_load_env();
	test_profile_selection();
	test_null_cfg();
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
	return tap_done();
}
