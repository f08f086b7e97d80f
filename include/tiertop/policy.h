/* Read-only mode: whether tiertop may act (invoke, replay), decided once
 * from every source that can turn it on, and why.
 *
 * Sources, in the order they are named: the --read-only flag, the
 * TIERTOP_READ_ONLY variable, the application's read_only in the config
 * file, then [tiertop] read_only. Any source that says on wins over one
 * that says off: a safety is never switched off by a later setting. A
 * TIERTOP_READ_ONLY that is set but is neither on nor off ("ture") counts
 * as on, for the same reason. The first source that is on is the one named.
 *
 * Pure: the caller passes the environment's value in, so tests and the
 * console decide with the same code as the verbs.
 *
 * Ownership: a policy owns its source text; tt_policy_clear frees it. */
#ifndef TIERTOP_POLICY_H
#define TIERTOP_POLICY_H

#include <stdbool.h>

#include "tiertop/err.h"

struct tt_appcfg;
struct tt_appcfg_app;

enum tt_policy_source {
	TT_POLICY_OFF = 0,
	TT_POLICY_FLAG,       /* --read-only */
	TT_POLICY_ENV,        /* TIERTOP_READ_ONLY */
	TT_POLICY_APP,        /* [app NAME] read_only */
	TT_POLICY_CONFIG,     /* [tiertop] read_only */
};

struct tt_policy {
	bool read_only;
	enum tt_policy_source source;
	char *source_text; /* "--read-only", "TIERTOP_READ_ONLY", "[app a] in FILE:LINE"; NULL when off */
};

/* env: the value of TIERTOP_READ_ONLY, or NULL when unset; cfg and app may
 * be NULL. */
void tt_policy_init(struct tt_policy *p, bool flag, const char *env, const struct tt_appcfg *cfg,
		    const struct tt_appcfg_app *app);
void tt_policy_clear(struct tt_policy *p);

/* 0 when acting is allowed; else TT_ERR_FAILURE "read-only mode (SOURCE):
 * refusing to WHAT; nothing was sent". what: "invoke submit-feedback". */
int tt_policy_refuse(const struct tt_policy *p, const char *what, struct tt_err *err);

#endif
