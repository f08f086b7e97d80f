/* The credentials cache: one provider, the credentials it last gave, and
 * when to ask it again. */
#include <stdlib.h>
#include <string.h>

#include "creds_internal.h"
#include "tiertop/clock.h"
#include "tiertop/http.h"
#include "tiertop/xalloc.h"

/* After a failure, callers get the same error for a short while instead of
 * hammering the source; then the next request tries again. */
#define FAILURE_HOLD_S 5

enum cache_state { C_EMPTY, C_FETCHING, C_READY, C_FAILED };

struct tt_creds_cache {
	struct tt_http *http;
	struct provider *provider;
	char *description;
	char *shown;            /* description with where the last credentials came from */
	enum cache_state state;
	bool refreshing;        /* background refresh while READY */
	struct tt_creds creds;
	time_t fetched_at;
	struct tt_err last_err;
	time_t failed_at;
	time_t now;             /* the time of the call that started a fetch */
};

void tt_creds_clear(struct tt_creds *c)
{
	free(c->access_key_id);
	tt_free_secret(c->secret_access_key);
	tt_free_secret(c->session_token);
	free(c->account_id);
	memset(c, 0, sizeof(*c));
}

static char *dup_or_null(const char *s)
{
	return s ? tt_xstrdup(s) : NULL;
}

void tt_creds_set(struct tt_creds *dst, const char *access_key_id, const char *secret_access_key,
		  const char *session_token, time_t expiration, const char *account_id)
{
	dst->access_key_id = dup_or_null(access_key_id);
	dst->secret_access_key = dup_or_null(secret_access_key);
	dst->session_token = dup_or_null(session_token);
	dst->expiration = expiration;
	dst->account_id = dup_or_null(account_id);
}

void tt_creds_copy(struct tt_creds *dst, const struct tt_creds *src)
{
	tt_creds_set(dst, src->access_key_id, src->secret_access_key, src->session_token, src->expiration,
		     src->account_id);
}

struct tt_creds_cache *creds_cache_wrap(struct tt_http *http, struct provider *p, const char *description)
{
	struct tt_creds_cache *c = tt_xcalloc(1, sizeof(*c));

	c->http = http;
	c->provider = p;
	c->description = tt_xstrdup(description);
	p->owner = c;
	return c;
}

void tt_creds_cache_free(struct tt_creds_cache **cp)
{
	struct tt_creds_cache *c = *cp;

	if (!c)
		return;
	if (c->provider)
		c->provider->ops->free(c->provider);
	tt_creds_clear(&c->creds);
	free(c->description);
	free(c->shown);
	free(c);
	*cp = NULL;
}

const char *tt_creds_cache_describe(const struct tt_creds_cache *c)
{
	return c->shown ? c->shown : c->description;
}

static bool in_quotes(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0];
}

void tt_creds_cache_explain(const struct tt_creds_cache *c, struct tt_err *err)
{
	const struct tt_creds *k = c->state == C_READY ? &c->creds : NULL;
	const char *quoted = !k					 ? NULL
			     : in_quotes(k->access_key_id)	 ? "access key id"
			     : in_quotes(k->secret_access_key) ? "secret access key"
			     : in_quotes(k->session_token)	 ? "session token"
								 : NULL;

	tt_err_append(err, "; the credentials are from %s", tt_creds_cache_describe(c));
	if (quoted)
		tt_err_append(err, ", and their %s is in quotes, which are taken as part of it", quoted);
}

void provider_origin(struct provider *p, const char *note)
{
	struct tt_creds_cache *c = p->owner;

	free(c->shown);
	c->shown = note ? tt_xasprintf("%s (%s)", c->description, note) : NULL;
}

/* The keys and the token go into HTTP headers (Authorization,
 * X-Amz-Security-Token): a CR or LF there would start a header of the
 * source's choosing, and no real key contains a control character. */
bool creds_has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; s && *p; p++)
		if (*p < 0x20 || *p == 0x7F)
			return true;
	return false;
}

/* Every provider reports here, so this is the one check of what any source
 * (environment, files, process, container, IMDS, SSO, STS) handed over. The
 * message names the source and the field, never the value. */
static int refuse_bad(const struct tt_creds_cache *c, const struct tt_creds *got, struct tt_err *err)
{
	const char *field = creds_has_control(got->access_key_id)       ? "access key id"
			    : creds_has_control(got->secret_access_key) ? "secret access key"
			    : creds_has_control(got->session_token)     ? "session token"
								  : NULL;
	char iso[21];

	if (field)
		return tt_err_set(err, TT_ERR_CONFIG,
				  "%s: the %s contains a control character (CR, LF...); refusing the credentials",
				  c->description, field);
	/* Taking them would only get them fetched again at once, for ever. */
	if (got->expiration && got->expiration <= c->now) {
		tt_time_iso8601(got->expiration, iso);
		return tt_err_set(err, TT_ERR_CONFIG, "%s: the refreshed credentials are already expired (at %s)",
				  c->description, iso);
	}
	return 0;
}

void provider_done(struct provider *p, const struct tt_creds *got, const struct tt_err *err)
{
	struct tt_creds_cache *c = p->owner;
	struct tt_err refused;

	c->refreshing = false;
	if (got && refuse_bad(c, got, &refused)) {
		got = NULL;
		err = &refused;
	}
	if (got) {
		tt_creds_clear(&c->creds);
		tt_creds_copy(&c->creds, got);
		c->fetched_at = c->now;
		c->state = C_READY;
	} else if (c->state != C_READY || c->creds.expiration <= c->now) {
		/* A failed background refresh keeps still-valid credentials. */
		c->last_err = *err;
		c->failed_at = c->now;
		c->state = C_FAILED;
	}
	tt_http_wake(c->http);
}

void provider_unhold(struct provider *p)
{
	struct tt_creds_cache *c = p->owner;

	c->failed_at = c->now - FAILURE_HOLD_S;
}

/* Refresh windows scale with the credentials' lifetime so short-lived ones
 * (minutes) are not refreshed on every request: botocore's 15/10 minutes for
 * the usual hour, less for shorter. */
static long lifetime_of(const struct tt_creds_cache *c)
{
	long life = (long)(c->creds.expiration - c->fetched_at);

	return life > 0 ? life : 1;
}

static bool must_refresh(const struct tt_creds_cache *c, time_t now)
{
	long life = lifetime_of(c), window = life / 6 < 600 ? life / 6 : 600;

	if (!c->creds.expiration)
		return false;
	/* Just fetched: use them even if the source gave a short lifetime. */
	if (now - c->fetched_at < 1 && now < c->creds.expiration)
		return false;
	return now >= c->creds.expiration - window;
}

static bool should_refresh(const struct tt_creds_cache *c, time_t now)
{
	long life = lifetime_of(c), window = life / 4 < 900 ? life / 4 : 900;

	return c->creds.expiration && now >= c->creds.expiration - window;
}

static void start_fetch(struct tt_creds_cache *c, time_t now, bool background)
{
	c->now = now;
	if (background)
		c->refreshing = true;
	else
		c->state = C_FETCHING;
	c->provider->ops->fetch(c->provider);
}

int tt_creds_cache_get(struct tt_creds_cache *c, time_t now, const struct tt_creds **out, struct tt_err *err)
{
	if (c->state == C_FAILED && now - c->failed_at < FAILURE_HOLD_S) {
		*err = c->last_err;
		return -1;
	}
	if (c->state == C_READY && must_refresh(c, now))
		c->state = C_EMPTY;
	if (c->state == C_EMPTY || c->state == C_FAILED)
		start_fetch(c, now, false);
	else if (c->state == C_READY && !c->refreshing && c->provider->ops->refreshable &&
		 should_refresh(c, now))
		start_fetch(c, now, true);
	switch (c->state) {
	case C_READY:
		*out = &c->creds;
		return 0;
	case C_FAILED:
		*err = c->last_err;
		return -1;
	default:
		return 1;
	}
}

bool tt_creds_cache_invalidate(struct tt_creds_cache *c)
{
	if (!c->provider->ops->refreshable)
		return false;
	if (c->state == C_READY)
		c->state = C_EMPTY;
	return true;
}
