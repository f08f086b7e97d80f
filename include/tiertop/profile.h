/* The AWS shared config and credentials files (~/.aws/config and
 * ~/.aws/credentials), read the way AWS CLI v2 reads them (botocore
 * configloader.py on top of Python's RawConfigParser), so that tiertop and
 * `aws` agree on what a profile says.
 *
 * What the reader does, and where it knowingly differs from botocore:
 * - "[section]" headers; the name is the text between the first '[' and the
 *   last ']' (anything after that ']' is ignored, as Python does), trimmed
 *   (botocore does not trim, so "[ default ]" is no profile there).
 * - "key = value", "key=value" or "key: value" (the first '=' or ':' splits);
 *   keys are folded to lower case, as RawConfigParser does; values are kept
 *   verbatim after trimming: "a # b" stays "a # b" (no inline comments).
 * - Lines whose first non-blank character is '#' or ';' are comments.
 * - A line indented deeper than its key line continues that key's value
 *   (joined with "\n"; blank lines inside are kept, trailing ones dropped).
 *   A key whose value starts empty and continues is a nested block
 *   ("s3 =" / "  addressing_style = path"); nested keys keep their case.
 * - A "[DEFAULT]" section lends its keys to every other section of the same
 *   file, as configparser does; it is no profile itself.
 * - A repeated key or section: the later one wins / they merge. botocore
 *   refuses such files (strict mode); we accept them.
 * - CR before LF is dropped; a UTF-8 byte order mark at the start is skipped
 *   (botocore would reject the file).
 * - Config file: "[default]" and "[profile NAME]" are profiles (NAME split
 *   like shlex, so [profile "my name"] works), "[sso-session NAME]" and
 *   "[services NAME]" are what they say, any other section is ignored. When
 *   two sections name the same profile ("[default]" and "[profile default]")
 *   the later one wins as a whole, as in botocore.
 * - Credentials file: every "[NAME]" is the profile NAME, literally; its keys
 *   override the same keys of that profile in the config file.
 * - A missing file (or one that is not a regular file, such as /dev/null) is
 *   empty. A file we cannot read (permissions, a directory) is an error: we
 *   would rather say so than silently run with other credentials.
 *
 * Errors are TT_ERR_CONFIG with "FILE:LINE: what is wrong". Lines of the
 * credentials file are never quoted in messages: they may hold secrets.
 *
 * Ownership: tt_awscfg_load*() hand the caller a struct tt_awscfg that owns
 * every string; release it with tt_awscfg_free(). Getters return borrowed
 * strings valid until then, and accept cfg == NULL (nothing configured). */
#ifndef TIERTOP_PROFILE_H
#define TIERTOP_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

struct tt_err;
struct tt_awscfg;

/* Reads $AWS_CONFIG_FILE (default ~/.aws/config) and
 * $AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials). A leading "~" or
 * "~user" is expanded. A variable set to "" means no file, as in botocore. */
int tt_awscfg_load(struct tt_awscfg **out, struct tt_err *err);
/* Same with explicit paths (used as given, no "~" expansion); NULL or ""
 * means no file. */
int tt_awscfg_load_paths(struct tt_awscfg **out, const char *config_path,
			 const char *credentials_path, struct tt_err *err);
/* tiertop's own config file, in the same syntax, as the config half: read
 * whatever kind of file PATH is (a pipe such as <(...) or /dev/stdin too),
 * since a file named on purpose and skipped would lose its read_only. */
int tt_awscfg_load_own(struct tt_awscfg **out, const char *path, struct tt_err *err);
void tt_awscfg_free(struct tt_awscfg **cfg);
/* "~" and "~user" expanded as Python's os.path.expanduser does it; other
 * paths copied. Caller frees. */
char *tt_awscfg_expand_home(const char *path);

/* The paths that were read ("" when none), for messages. */
const char *tt_awscfg_config_path(const struct tt_awscfg *cfg);
const char *tt_awscfg_credentials_path(const struct tt_awscfg *cfg);

/* True when either file defines the profile. */
bool tt_awscfg_has_profile(const struct tt_awscfg *cfg, const char *name);
/* A profile's value, credentials file first, then config file. NULL when the
 * key is absent or holds a nested block (use tt_awscfg_nested_get). */
const char *tt_awscfg_get(const struct tt_awscfg *cfg, const char *profile, const char *key);
/* "FILE:LINE" of the value tt_awscfg_get would use (or of the nested block's
 * key line); NULL when absent. */
const char *tt_awscfg_where(const struct tt_awscfg *cfg, const char *profile, const char *key);

/* Sections by kind: "profile" (the merged view above), "sso-session" or
 * "services" (config file only); and for tiertop's own file, which has the
 * same syntax, "app" ([app NAME]) and "tiertop" ([tiertop], named
 * "tiertop"). Unknown kinds find nothing. */
bool tt_awscfg_has_section(const struct tt_awscfg *cfg, const char *kind, const char *name);
/* The names of the config file's sections of a kind, in file order, each
 * once. *names is the caller's to free (the array only; the strings are
 * borrowed from cfg). */
size_t tt_awscfg_section_names(const struct tt_awscfg *cfg, const char *kind, const char ***names);
/* The keys of the config file's (last) section of that kind and name, in
 * file order; [DEFAULT]'s are not included. Freed like names above. */
size_t tt_awscfg_section_keys(const struct tt_awscfg *cfg, const char *kind, const char *name,
			      const char ***keys);
const char *tt_awscfg_section_get(const struct tt_awscfg *cfg, const char *kind,
				  const char *name, const char *key);
const char *tt_awscfg_section_where(const struct tt_awscfg *cfg, const char *kind,
				    const char *name, const char *key);
/* A value inside a nested block, e.g. kind "services", name "local", key
 * "dynamodb", subkey "endpoint_url". NULL when absent or when key holds a
 * plain value. The _where variant gives "FILE:LINE" of the subkey's line. */
const char *tt_awscfg_nested_get(const struct tt_awscfg *cfg, const char *kind, const char *name,
				 const char *key, const char *subkey);
const char *tt_awscfg_nested_where(const struct tt_awscfg *cfg, const char *kind,
				   const char *name, const char *key, const char *subkey);

/* Every section header of the config file, in file order ("[DEFAULT]"
 * first when there is one), each once, for readers that refuse what they do
 * not know (tiertop's file). kind is "profile", "sso-session", "services",
 * "app", "tiertop" or NULL (a section of no kind, "[DEFAULT]" included);
 * name is NULL when kind is. *out is the caller's to free (the array only;
 * the strings are borrowed from cfg). */
struct tt_awscfg_header {
	const char *header;   /* the text between the brackets, trimmed */
	const char *where;    /* "FILE:LINE" of its first header line */
	const char *kind;
	const char *name;
};
size_t tt_awscfg_headers(const struct tt_awscfg *cfg, struct tt_awscfg_header **out);
/* Every value a key of a config-file section had, in file order (a repeated
 * key replaces the earlier value for the getters above; this keeps them all).
 * Values are NULL for nested blocks. Both arrays are the caller's to free;
 * the strings are borrowed. */
size_t tt_awscfg_section_history(const struct tt_awscfg *cfg, const char *kind, const char *name,
				 const char *key, const char ***values, const char ***wheres);

/* The profile to use: cli_profile (--profile) when not NULL, else
 * $AWS_PROFILE, else $AWS_DEFAULT_PROFILE, else "default". Empty variables
 * count as unset. We follow the other SDKs in reading AWS_PROFILE first;
 * botocore reads AWS_DEFAULT_PROFILE first, which only matters when both are
 * set and disagree. Borrowed: points into cli_profile, the environment or a
 * literal. */
const char *tt_awscfg_profile_name(const char *cli_profile);
/* True when the profile was chosen by flag or variable. A chosen profile that
 * does not exist is an error; a missing "default" is not. */
bool tt_awscfg_profile_explicit(const char *cli_profile);

#endif
