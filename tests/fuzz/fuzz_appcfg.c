/* tiertop's own config file on arbitrary bytes: loading either succeeds
 * with a configuration whose apps can be picked by name, or fails with a
 * message; never anything else. */
#include "fuzz.h"

#include "tiertop/appcfg.h"
#include "tiertop/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size);
	const struct tt_appcfg_app *app;
	struct tt_appcfg *cfg = NULL;
	struct tt_err err;

	if (tt_appcfg_load_path(&cfg, path, &err) != 0) {
		if (cfg)
			fuzz_fail("a failed load returned a configuration");
		if (!err.message[0])
			fuzz_fail("a failed load said nothing");
		return 0;
	}
	for (size_t i = 0; i < cfg->napps; i++) {
		if (tt_appcfg_pick(cfg, cfg->apps[i].name, &app, &err) != 0 || !app ||
		    strcmp(app->name, cfg->apps[i].name) != 0)
			fuzz_fail("app \"%s\" cannot be picked by its name", cfg->apps[i].name);
	}
	(void)tt_appcfg_pick(cfg, NULL, &app, &err);
	(void)tt_appcfg_pick(cfg, "no such app", &app, &err);
	tt_appcfg_free(&cfg);
	return 0;
}
