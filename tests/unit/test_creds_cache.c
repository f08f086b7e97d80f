/* The credentials cache's timing: when it hands out what it has, when it
 * refreshes in the background, when a caller must wait, and how failures
 * are held. A fake provider stands in for STS, and "now" is passed in.
 * Then the MFA request of an assume-role profile: asked for without
 * waiting, answered later, cancelled, declined, orphaned by a free. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/aws/creds_internal.h"
#include "tap.h"
#include "testutil.h"
#include "tiertop/http.h"
#include "tiertop/profile.h"
#include "tiertop/xalloc.h"

#define T0 1800000000

struct fake {
	struct provider base;
	int fetches;
	bool answer_now;   /* complete inside fetch (like static keys) */
	bool refreshable;
	time_t next_expiry;
	int serial;
};

static void fake_answer(struct fake *f, bool ok)
{
	struct tt_creds c;
	struct tt_err err;
	char ak[32];

	if (!ok) {
		tt_err_set(&err, TT_ERR_CONFIG, "source unavailable");
		provider_done(&f->base, NULL, &err);
		return;
	}
	snprintf(ak, sizeof(ak), "ASIAFAKE%04d", ++f->serial);
	memset(&c, 0, sizeof(c));
	tt_creds_set(&c, ak, "secret", "token", f->next_expiry, NULL);
	provider_done(&f->base, &c, NULL);
	tt_creds_clear(&c);
}

static void fake_fetch(struct provider *p)
{
	struct fake *f = (struct fake *)p;

	f->fetches++;
	if (f->answer_now)
		fake_answer(f, true);
}

static void fake_free(struct provider *p)
{
	free(p);
}

static const struct provider_ops refreshable_ops = {fake_fetch, fake_free, true};
static const struct provider_ops fixed_ops = {fake_fetch, fake_free, false};

static struct tt_creds_cache *make(struct tt_http *http, struct fake **out, bool refreshable)
{
	struct fake *f = tt_xcalloc(1, sizeof(*f));

	f->base.ops = refreshable ? &refreshable_ops : &fixed_ops;
	f->refreshable = refreshable;
	*out = f;
	return creds_cache_wrap(http, &f->base, "fake");
}

static void hour_long_credentials(struct tt_http *http)
{
	struct fake *f;
	struct tt_creds_cache *c = make(http, &f, true);
	const struct tt_creds *got = NULL;
	struct tt_err err;

	f->next_expiry = T0 + 3600;
	tap_ok(tt_creds_cache_get(c, T0, &got, &err) == 1, "first get waits for a fetch");
	tap_ok(f->fetches == 1, "one fetch started");
	tap_ok(tt_creds_cache_get(c, T0, &got, &err) == 1 && f->fetches == 1,
	       "a second caller waits on the same fetch");
	fake_answer(f, true);
	tap_ok(tt_creds_cache_get(c, T0, &got, &err) == 0 && got && strcmp(got->access_key_id, "ASIAFAKE0001") == 0,
	       "after the fetch the credentials are handed out");
	tap_ok(tt_creds_cache_get(c, T0 + 2700 - 1, &got, &err) == 0 && f->fetches == 1,
	       "45 minutes on: still used, no refresh");
	f->next_expiry = T0 + 7200;
	tap_ok(tt_creds_cache_get(c, T0 + 2700 + 1, &got, &err) == 0 && f->fetches == 2,
	       "inside the last 15 minutes: old credentials handed out, refresh started");
	tap_ok(strcmp(got->access_key_id, "ASIAFAKE0001") == 0, "the old ones while refreshing");
	tap_ok(tt_creds_cache_get(c, T0 + 2700 + 2, &got, &err) == 0 && f->fetches == 2,
	       "no second background refresh while one runs");
	fake_answer(f, true);
	tap_ok(tt_creds_cache_get(c, T0 + 2700 + 3, &got, &err) == 0 &&
	       strcmp(got->access_key_id, "ASIAFAKE0002") == 0, "the refreshed credentials replace them");
	tt_creds_cache_free(&c);
}

static void expired_must_wait(struct tt_http *http)
{
	struct fake *f;
	struct tt_creds_cache *c = make(http, &f, true);
	const struct tt_creds *got = NULL;
	struct tt_err err;

	f->next_expiry = T0 + 3600;
	f->answer_now = true;
	tap_ok(tt_creds_cache_get(c, T0, &got, &err) == 0, "a provider that answers at once: no wait");
	f->answer_now = false;
	tap_ok(tt_creds_cache_get(c, T0 + 3600 - 300, &got, &err) == 1,
	       "in the last 5 minutes of an hour: the caller waits for new credentials");
	fake_answer(f, false);
	tap_ok(tt_creds_cache_get(c, T0 + 3600 - 299, &got, &err) == -1 && strstr(err.message, "unavailable"),
	       "a failed fetch is reported");
	tap_ok(tt_creds_cache_get(c, T0 + 3600 - 297, &got, &err) == -1 && f->fetches == 2,
	       "and held for a few seconds without asking again");
	tap_ok(tt_creds_cache_get(c, T0 + 3600 - 290, &got, &err) == 1 && f->fetches == 3,
	       "then the next caller tries again");
	tt_creds_cache_free(&c);
}

static void short_lived(struct tt_http *http)
{
	struct fake *f;
	struct tt_creds_cache *c = make(http, &f, true);
	const struct tt_creds *got = NULL;
	struct tt_err err;

	f->next_expiry = T0 + 6;
	f->answer_now = true;
	tap_ok(tt_creds_cache_get(c, T0, &got, &err) == 0 && f->fetches == 1,
	       "6-second credentials are used");
	tap_ok(tt_creds_cache_get(c, T0 + 2, &got, &err) == 0 && f->fetches == 1,
	       "and not refetched on every call (windows scale with the lifetime)");
	f->next_expiry = T0 + 12;
	tap_ok(tt_creds_cache_get(c, T0 + 6, &got, &err) == 0 && f->fetches == 2 &&
	       strcmp(got->access_key_id, "ASIAFAKE0002") == 0, "expired ones are replaced");
	tt_creds_cache_free(&c);
}

static void invalidation(struct tt_http *http)
{
	struct fake *f, *g;
	struct tt_creds_cache *c = make(http, &f, true);
	struct tt_creds_cache *fixed = make(http, &g, false);
	const struct tt_creds *got = NULL;
	struct tt_err err;

	f->next_expiry = T0 + 3600;
	f->answer_now = true;
	tt_creds_cache_get(c, T0, &got, &err);
	tap_ok(tt_creds_cache_invalidate(c), "refreshable credentials can be invalidated");
	tt_creds_cache_get(c, T0 + 1, &got, &err);
	tap_ok(f->fetches == 2, "and the next get fetches again");
	g->answer_now = true;
	tt_creds_cache_get(fixed, T0, &got, &err);
	tap_ok(!tt_creds_cache_invalidate(fixed), "fixed keys say a retry cannot help");
	tap_ok(tt_creds_cache_get(fixed, T0 + 86400 * 365, &got, &err) == 0 && g->fetches == 1,
	       "keys without an expiry are never refetched");
	tt_creds_cache_free(&c);
	tt_creds_cache_free(&fixed);
}

static void answer_with(struct fake *f, const char *ak, const char *sk, const char *token, time_t expiry)
{
	struct tt_creds c;

	memset(&c, 0, sizeof(c));
	tt_creds_set(&c, ak, sk, token, expiry, NULL);
	f->fetches++;
	provider_done(&f->base, &c, NULL);
	tt_creds_clear(&c);
}

/* A source that hands out credentials already past their expiry used to be
 * asked again on every call (a helper run in a tight loop): refused once, the
 * failure held like any other. */
static void already_expired(struct tt_http *http)
{
	struct fake *f;
	struct tt_creds_cache *c = make(http, &f, true);
	const struct tt_creds *got = NULL;
	struct tt_err err;

	tap_ok(tt_creds_cache_get(c, T0, &got, &err) == 1, "expired: a fetch starts");
	answer_with(f, "ASIAOLD", "secret", "token", T0 - 60);
	tap_ok(tt_creds_cache_get(c, T0, &got, &err) == -1 && err.kind == TT_ERR_CONFIG,
	       "credentials expired when fetched are refused (a configuration error, exit 3)");
	tap_ok(strstr(err.message, "the refreshed credentials are already expired") != NULL,
	       "the message says they are already expired");
	tap_ok(strstr(err.message, "fake") != NULL, "and names the source");
	tap_ok(tt_creds_cache_get(c, T0 + 1, &got, &err) == -1 && f->fetches == 2,
	       "the failure is held: the source is not asked again at once");
	tap_ok(tt_creds_cache_get(c, T0 + 10, &got, &err) == 1, "after the hold the next caller tries again");
	answer_with(f, "ASIANOW", "secret", "token", T0 + 10);
	tap_ok(tt_creds_cache_get(c, T0 + 10, &got, &err) == -1, "expiring at the very second of the fetch: refused");
	tap_ok(tt_creds_cache_get(c, T0 + 20, &got, &err) == 1, "asked again later");
	answer_with(f, "ASIAGOOD", "secret", "token", T0 + 3600);
	tap_ok(tt_creds_cache_get(c, T0 + 20, &got, &err) == 0 && strcmp(got->access_key_id, "ASIAGOOD") == 0,
	       "and good credentials are then taken");
	tt_creds_cache_free(&c);
}

/* CR or LF in a key would become extra HTTP headers. */
static void control_characters(struct tt_http *http)
{
	static const struct {
		const char *ak, *sk, *token, *field;
	} bad[] = {
		{"AKID\r\nX-Evil: 1", "secret", NULL, "access key id"},
		{"AKID", "sec\nret", NULL, "secret access key"},
		{"AKID", "secret", "tok\ren", "session token"},
		{"AKID", "secret", "tok\ten", "session token"},
		{"AKID", "secret\x7f", NULL, "secret access key"},
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fake *f;
		struct tt_creds_cache *c = make(http, &f, false);
		const struct tt_creds *got = NULL;
		struct tt_err err;

		tt_creds_cache_get(c, T0, &got, &err);
		answer_with(f, bad[i].ak, bad[i].sk, bad[i].token, 0);
		tap_ok(tt_creds_cache_get(c, T0, &got, &err) == -1 && err.kind == TT_ERR_CONFIG,
		       "a control character in the %s: refused (exit 3)", bad[i].field);
		tap_ok(strstr(err.message, bad[i].field) && strstr(err.message, "fake"),
		       "the message names the %s and the source", bad[i].field);
		tap_ok(!strstr(err.message, "sec\nret") && !strstr(err.message, "tok\r") && !strstr(err.message, "Evil"),
		       "and never the value");
		tt_creds_cache_free(&c);
	}
}

/* --- MFA ------------------------------------------------------------------- */

#define MFA_SERIAL "arn:aws:iam::111122223333:mfa/ops"
#define MFA_ROLE "arn:aws:iam::111122223333:role/mfa-role"

struct front_end {
	int asked;
	char profile[32], serial[64];
	struct tt_creds_mfa_request *req; /* held, as a dialog would */
	const char *answer_at_once;       /* answer inside the callback */
	bool cancel_at_once;
};

static void on_mfa(void *ctx, const char *profile, const char *serial, struct tt_creds_mfa_request *req)
{
	struct front_end *f = ctx;

	f->asked++;
	snprintf(f->profile, sizeof(f->profile), "%s", profile);
	snprintf(f->serial, sizeof(f->serial), "%s", serial);
	if (f->answer_at_once || f->cancel_at_once)
		tt_creds_mfa_answer(req, f->answer_at_once);
	else
		f->req = req;
}

struct mfa_setup {
	struct tt_awscfg *cfg;
	struct tt_http *http;
	char *dir;
};

static void mfa_setup(struct mfa_setup *m)
{
	struct tt_http_config hc = {0};
	struct tt_err err;
	char *path;

	/* STS at a port where nothing listens: a request that reaches it
	 * fails at once, which is all these tests need to see. */
	m->dir = tu_mkdtemp();
	setenv("HOME", m->dir, 1);
	setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9", 1);
	path = tt_xasprintf("%s/config", m->dir);
	tu_write_file(path, "[profile mfa]\nrole_arn = " MFA_ROLE "\nsource_profile = keys\nmfa_serial = " MFA_SERIAL
			    "\n[profile keys]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n");
	if (tt_awscfg_load_paths(&m->cfg, path, NULL, &err))
		tap_ok(false, "config loads: %s", err.message);
	free(path);
	hc.max_attempts = 1;
	m->http = tt_http_new(&hc);
}

static void mfa_teardown(struct mfa_setup *m)
{
	tt_http_free(&m->http);
	tt_awscfg_free(&m->cfg);
	free(m->dir);
}

static struct tt_creds_cache *mfa_cache(struct mfa_setup *m, struct front_end *f)
{
	struct tt_creds_options o = {
		.cli_profile = "mfa", .region = "us-east-1", .request_mfa = f ? on_mfa : NULL, .mfa_ctx = f};
	struct tt_creds_cache *c = NULL;
	struct tt_err err;

	if (tt_creds_cache_new(&c, m->http, m->cfg, &o, &err))
		tap_ok(false, "cache for profile mfa: %s", err.message);
	return c;
}

static int get(struct tt_creds_cache *c, struct tt_err *err)
{
	const struct tt_creds *got = NULL;

	return tt_creds_cache_get(c, T0, &got, err);
}

static void mfa_answered(struct mfa_setup *m)
{
	struct front_end f = {0};
	struct tt_creds_cache *c = mfa_cache(m, &f);
	struct tt_err err;
	int rc = get(c, &err), rounds;

	tap_ok(rc == 1 && f.asked == 1 && f.req, "an MFA profile asks the front end and returns at once");
	tap_str_eq(f.profile, "mfa", "naming the profile");
	tap_str_eq(f.serial, MFA_SERIAL, "and the device");
	tap_ok(!tt_http_busy(m->http), "nothing goes to STS before the answer");
	tap_ok(get(c, &err) == 1 && f.asked == 1, "callers meanwhile wait, and nobody is asked twice");
	tap_ok(tt_creds_mfa_wanted(f.req), "the request is wanted while the cache lives");
	tap_str_eq(tt_creds_mfa_serial(f.req), MFA_SERIAL, "the request tells its device");
	tt_creds_mfa_answer(f.req, "123456");
	f.req = NULL;
	tap_ok(tt_http_busy(m->http), "the answer sends AssumeRole");
	for (rounds = 0; (rc = get(c, &err)) == 1 && rounds < 1000; rounds++) {
		tt_http_dispatch(m->http);
		tt_http_wait(m->http, NULL, 0, 100);
	}
	tap_ok(rc == -1 && strstr(err.message, "assuming " MFA_ROLE),
	       "which reached STS (here nothing listens: %s)", rc == -1 ? err.message : "still waiting");
	tt_creds_cache_free(&c);
}

static void mfa_cancelled(struct mfa_setup *m)
{
	static const char *const nothing[] = {NULL, ""};
	struct front_end f = {0};
	struct tt_creds_cache *c;
	struct tt_err err;

	for (size_t i = 0; i < 2; i++) {
		memset(&f, 0, sizeof(f));
		c = mfa_cache(m, &f);
		get(c, &err);
		tt_creds_mfa_answer(f.req, nothing[i]);
		tap_ok(get(c, &err) == -1 && err.kind == TT_ERR_CONFIG, "%s code: the fetch fails (exit 3)",
		       nothing[i] ? "an empty" : "no");
		tap_str_eq(err.message, "no MFA code given for profile mfa", "saying why");
		tap_ok(!tt_http_busy(m->http), "and STS is not called");
		/* The person decides when to be asked again (the console: r):
		 * retries fail without asking, and no hold delays the ask. */
		tap_ok(get(c, &err) == -1 && f.asked == 1, "retries fail at once without asking");
		tt_creds_mfa_ask_again();
		tap_ok(get(c, &err) == 1 && f.asked == 2 && f.req, "after ask_again the next get asks at once");
		tt_creds_mfa_answer(f.req, NULL);
		tt_creds_cache_free(&c);
	}
	memset(&f, 0, sizeof(f));
	c = mfa_cache(m, &f);
	get(c, &err);
	tt_creds_mfa_decline(f.req, "there is no terminal to ask on");
	tap_ok(get(c, &err) == -1 && err.kind == TT_ERR_CONFIG, "a front end that cannot ask declines");
	tap_str_eq(err.message, "profile mfa needs an MFA code for " MFA_SERIAL ", but there is no terminal to ask on",
		   "and the message says why");
	tt_creds_cache_free(&c);

	memset(&f, 0, sizeof(f));
	f.cancel_at_once = true;
	c = mfa_cache(m, &f);
	tap_ok(get(c, &err) == -1 && f.asked == 1, "answered inside the callback: the first get already fails");
	tt_creds_cache_free(&c);

	c = mfa_cache(m, NULL);
	tap_ok(get(c, &err) == -1 && strstr(err.message, "nothing here can ask"), "nobody to ask: fails at once");
	tt_creds_cache_free(&c);
}

/* The console may quit (and the app free the cache) while its dialog still
 * holds the request: run under valgrind, this is where a use after free
 * would show. */
static void mfa_freed_while_pending(struct mfa_setup *m)
{
	struct front_end f = {0};
	struct tt_creds_cache *c = mfa_cache(m, &f);
	struct tt_err err;

	get(c, &err);
	tt_creds_cache_free(&c);
	tap_ok(f.req && !tt_creds_mfa_wanted(f.req), "the cache freed: the request is no longer wanted");
	tap_str_eq(tt_creds_mfa_profile(f.req), "mfa", "but still readable");
	tt_creds_mfa_answer(f.req, "123456");
	tap_ok(!tt_http_busy(m->http), "answering it frees it and sends nothing");

	memset(&f, 0, sizeof(f));
	c = mfa_cache(m, &f);
	get(c, &err);
	tt_creds_cache_free(&c);
	tt_creds_mfa_decline(f.req, "gone");
	tap_ok(!tt_http_busy(m->http), "declining an orphan frees it and sends nothing");
}

/* The cache file holds secrets: its temporary file is created afresh, never
 * opened through a symlink planted where it will be written. */
static void cache_file_never_through_symlink(void)
{
	char *dir = tu_mkdtemp(), path[512], tmp[560], target[512], *text;
	json_t *doc = json_pack("{s:s}", "AccessKeyId", "ASIACACHED");
	struct stat st;

	snprintf(target, sizeof(target), "%s/target", dir);
	snprintf(path, sizeof(path), "%s/cache/role.json", dir);
	snprintf(tmp, sizeof(tmp), "%s.tiertop-%d", path, (int)getpid());
	tu_write_file(target, "not yours\n");
	tap_ok(creds_cache_save(path, doc) == 0, "a cache file is written (its folder made)");
	remove(path);
	tap_ok(symlink(target, tmp) == 0, "a symlink planted at the temporary name");
	tap_ok(creds_cache_save(path, doc) == 0, "saved again");
	text = tu_read_file(target, NULL);
	tap_ok(text && strcmp(text, "not yours\n") == 0, "the symlink's target is untouched");
	free(text);
	text = tu_read_file(path, NULL);
	tap_ok(lstat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0600 && text &&
		       strstr(text, "ASIACACHED"),
	       "the cache is a regular 0600 file with the credentials");
	free(text);
	remove(tmp);
	remove(path);
	remove(target);
	snprintf(path, sizeof(path), "%s/cache", dir);
	remove(path);
	remove(dir);
	free(dir);
	json_decref(doc);
}

int main(void)
{
	struct tt_http_config cfg = {0};
	struct tt_http *http = tt_http_new(&cfg);
	struct mfa_setup m;

	hour_long_credentials(http);
	expired_must_wait(http);
	short_lived(http);
	invalidation(http);
	already_expired(http);
	control_characters(http);
	tt_http_free(&http);
	cache_file_never_through_symlink();
	mfa_setup(&m);
	mfa_answered(&m);
	mfa_cancelled(&m);
	mfa_freed_while_pending(&m);
	mfa_teardown(&m);
	return tap_done();
}
