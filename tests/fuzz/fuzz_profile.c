/* The AWS config/credentials file reader on arbitrary bytes, read both as
 * a config file and as a credentials file, then every section, key and
 * nested key it reports is looked up again: whatever a listing names, a
 * lookup must find. */
#include "fuzz.h"

#include "tiertop/err.h"
#include "tiertop/profile.h"

static const char *const kinds[] = {"profile", "sso-session", "services", "app", "tiertop"};

static void walk_section(const struct tt_awscfg *cfg, const char *kind, const char *name)
{
	const char **keys = NULL;
	size_t nkeys = tt_awscfg_section_keys(cfg, kind, name, &keys);

	if (!tt_awscfg_has_section(cfg, kind, name))
		fuzz_fail("section [%s %s] is listed but not found", kind, name);
	for (size_t k = 0; k < nkeys; k++) {
		const char *value = tt_awscfg_section_get(cfg, kind, name, keys[k]);
		const char *where = tt_awscfg_section_where(cfg, kind, name, keys[k]);
		if (!where)
			fuzz_fail("key %s of [%s %s] is listed but has no place", keys[k], kind, name);
		if (!value) /* a nested block */
			(void)tt_awscfg_nested_get(cfg, kind, name, keys[k], keys[k]);
		(void)tt_awscfg_nested_where(cfg, kind, name, keys[k], "endpoint_url");
	}
	free(keys);
}

static void walk(const struct tt_awscfg *cfg)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const char **names = NULL;
		size_t n = tt_awscfg_section_names(cfg, kinds[i], &names);
		for (size_t j = 0; j < n; j++)
			walk_section(cfg, kinds[i], names[j]);
		free(names);
	}
	(void)tt_awscfg_get(cfg, "default", "region");
	(void)tt_awscfg_where(cfg, "default", "aws_access_key_id");
	(void)tt_awscfg_has_profile(cfg, "default");
	(void)tt_awscfg_config_path(cfg);
	(void)tt_awscfg_credentials_path(cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size);
	struct tt_awscfg *cfg = NULL;
	struct tt_err err;

	if (tt_awscfg_load_paths(&cfg, path, NULL, &err) == 0)
		walk(cfg);
	tt_awscfg_free(&cfg);
	if (tt_awscfg_load_paths(&cfg, NULL, path, &err) == 0) {
		walk(cfg);
		(void)tt_awscfg_get(cfg, "default", "aws_secret_access_key");
	}
	tt_awscfg_free(&cfg);
	return 0;
}
