/* The credentials cache's timing: when it hands out what it has, when it
 * refreshes in the background, when a caller must wait, and how failures
 * are held. A fake provider stands in for STS, and "now" is passed in. */
#include <stdlib.h>
#include <string.h>

#include "../../src/aws/creds_internal.h"
#include "tap.h"
#include "tiertop/http.h"
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

int main(void)
{
	struct tt_http_config cfg = {0};
	struct tt_http *http = tt_http_new(&cfg);

	hour_long_credentials(http);
	expired_must_wait(http);
	short_lived(http);
	invalidation(http);
	tt_http_free(&http);
	return tap_done();
}
