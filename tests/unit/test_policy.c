/* The read-only policy: each source alone, any "on" winning over "off",
 * an unreadable TIERTOP_READ_ONLY counting as on, the source named, and
 * the refusal's message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tiertop/appcfg.h"
#include "tiertop/policy.h"

static char NAME[] = "shop", WHERE_CFG[] = "/etc/t.cfg:2", WHERE_APP[] = "/etc/t.cfg:7";

static struct tt_appcfg cfg(int read_only, char *where)
{
	return (struct tt_appcfg){.read_only = read_only, .read_only_where = where};
}

static struct tt_appcfg_app app(int read_only, char *where)
{
	return (struct tt_appcfg_app){.name = NAME, .read_only = read_only, .read_only_where = where};
}

static void check(const char *what, bool flag, const char *env, const struct tt_appcfg *c,
		  const struct tt_appcfg_app *a, bool want_on, enum tt_policy_source want_src, const char *want_text)
{
	struct tt_policy p;

	tt_policy_init(&p, flag, env, c, a);
	tap_ok(p.read_only == want_on && p.source == want_src, "%s: %s, source %d", what, want_on ? "on" : "off",
	       (int)want_src);
	if (want_text)
		tap_str_eq(p.source_text, want_text, what);
	else
		tap_ok(p.source_text == NULL, "%s: no source named", what);
	tt_policy_clear(&p);
}

int main(void)
{
	struct tt_appcfg off = cfg(0, WHERE_CFG), on = cfg(1, WHERE_CFG), unset = cfg(-1, NULL);
	struct tt_appcfg_app a_on = app(1, WHERE_APP), a_off = app(0, WHERE_APP);
	struct tt_policy p;
	struct tt_err err;

	check("nothing set", false, NULL, NULL, NULL, false, TT_POLICY_OFF, NULL);
	check("everything off", false, "0", &off, &a_off, false, TT_POLICY_OFF, NULL);
	check("empty variable is unset", false, "", &unset, NULL, false, TT_POLICY_OFF, NULL);
	check("flag", true, NULL, NULL, NULL, true, TT_POLICY_FLAG, "--read-only");
	check("env on", false, "yes", NULL, NULL, true, TT_POLICY_ENV, "TIERTOP_READ_ONLY");
	check("env unreadable counts as on", false, "ture", &off, NULL, true, TT_POLICY_ENV, "TIERTOP_READ_ONLY");
	check("env off", false, "off", NULL, NULL, false, TT_POLICY_OFF, NULL);
	check("app on", false, NULL, &off, &a_on, true, TT_POLICY_APP, "[app shop] in /etc/t.cfg:7");
	check("config on", false, NULL, &on, &a_off, true, TT_POLICY_CONFIG, "[tiertop] in /etc/t.cfg:2");
	check("env off does not switch the config off", false, "false", &on, NULL, true, TT_POLICY_CONFIG,
	      "[tiertop] in /etc/t.cfg:2");
	check("app off does not switch the config off", false, NULL, &on, &a_off, true, TT_POLICY_CONFIG,
	      "[tiertop] in /etc/t.cfg:2");
	check("the flag is named first", true, "1", &on, &a_on, true, TT_POLICY_FLAG, "--read-only");
	check("then the variable", false, "1", &on, &a_on, true, TT_POLICY_ENV, "TIERTOP_READ_ONLY");

	tt_policy_init(&p, false, "1", NULL, NULL);
	tap_ok(tt_policy_refuse(&p, "invoke f", &err) == -1 && err.kind == TT_ERR_FAILURE, "refuse: fails");
	tap_str_eq(err.message, "read-only mode (TIERTOP_READ_ONLY): refusing to invoke f; nothing was sent",
		   "refuse: names the source and the action");
	tt_policy_clear(&p);
	tt_policy_init(&p, false, NULL, NULL, NULL);
	tap_ok(tt_policy_refuse(&p, "invoke f", &err) == 0, "off: allowed");
	tap_ok(tt_policy_refuse(NULL, "invoke f", &err) == 0, "no policy: allowed");
	tt_policy_clear(&p);
	return tap_done();
}
