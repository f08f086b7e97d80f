/* Read-only mode from its four sources (see policy.h). */
#include <stdlib.h>

#include "tiertop/appcfg.h"
#include "tiertop/policy.h"
#include "tiertop/str.h"
#include "tiertop/xalloc.h"

/* Set but not an explicit off: on. A typo must not switch the safety off. */
static bool env_on(const char *env)
{
	return env && *env && tt_str_parse_switch(env) != 0;
}

void tt_policy_init(struct tt_policy *p, bool flag, const char *env, const struct tt_appcfg *cfg,
		    const struct tt_appcfg_app *app)
{
	p->read_only = true;
	p->source_text = NULL;
	if (flag) {
		p->source = TT_POLICY_FLAG;
		p->source_text = tt_xstrdup("--read-only");
	} else if (env_on(env)) {
		p->source = TT_POLICY_ENV;
		p->source_text = tt_xstrdup("TIERTOP_READ_ONLY");
	} else if (app && app->read_only == 1) {
		p->source = TT_POLICY_APP;
		p->source_text = tt_xasprintf("[app %s] in %s", app->name,
					      app->read_only_where ? app->read_only_where : "the config file");
	} else if (cfg && cfg->read_only == 1) {
		p->source = TT_POLICY_CONFIG;
		p->source_text = tt_xasprintf("[tiertop] in %s",
					      cfg->read_only_where ? cfg->read_only_where : "the config file");
	} else {
		p->read_only = false;
		p->source = TT_POLICY_OFF;
	}
}

void tt_policy_clear(struct tt_policy *p)
{
	free(p->source_text);
	p->source_text = NULL;
	p->read_only = false;
	p->source = TT_POLICY_OFF;
}

int tt_policy_refuse(const struct tt_policy *p, const char *what, struct tt_err *err)
{
	if (!p || !p->read_only)
		return 0;
	return tt_err_set(err, TT_ERR_FAILURE, "read-only mode (%s): refusing to %s; nothing was sent",
			  p->source_text ? p->source_text : "on", what);
}
