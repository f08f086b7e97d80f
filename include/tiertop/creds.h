/* AWS credentials: the provider chain the AWS CLI uses, and a per-profile
 * cache that refreshes before expiry without blocking the event loop.
 *
 * Ownership: struct tt_creds owns its strings (tt_creds_clear wipes and frees
 * them). A struct tt_creds_cache is owned by whoever created it
 * (tt_creds_cache_new) and freed with tt_creds_cache_free; credentials it
 * hands out through tt_creds_cache_get are borrowed and stay valid only until
 * the next call into the cache or the event loop, so copy what you keep. */
#ifndef TIERTOP_CREDS_H
#define TIERTOP_CREDS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct tt_err;
struct tt_http;
struct tt_awscfg;

struct tt_creds {
	char *access_key_id;
	char *secret_access_key;
	char *session_token;   /* NULL for long-term keys */
	time_t expiration;     /* 0 = does not expire */
	char *account_id;      /* when the source tells us; else NULL */
};

void tt_creds_clear(struct tt_creds *c);
void tt_creds_copy(struct tt_creds *dst, const struct tt_creds *src);
/* Fills dst with copies of the given strings (token and account may be NULL). */
void tt_creds_set(struct tt_creds *dst, const char *access_key_id, const char *secret_access_key,
		  const char *session_token, time_t expiration, const char *account_id);

/* --- MFA codes: asked for, answered later ---------------------------------
 *
 * An assume-role profile with mfa_serial needs a code typed by a person.
 * The provider never waits for it: its fetch calls request_mfa, which must
 * return at once, and stays under way (tt_creds_cache_get returns 1) until
 * the front end answers from its own loop, outside tt_http_dispatch: the
 * command line between dispatches (tt_http_set_idle), the console in a
 * dialog.
 *
 * Ownership: the request belongs to the front end from the moment
 * request_mfa is called, and it must call tt_creds_mfa_answer or
 * tt_creds_mfa_decline exactly once, which frees it (it may do so inside
 * request_mfa). profile and serial are borrowed from the request: valid until
 * then. If the credentials cache is freed first, the request stays valid
 * but orphaned (tt_creds_mfa_wanted is false): answering it only frees it. */
struct tt_creds_mfa_request;
typedef void (*tt_creds_mfa_fn)(void *ctx, const char *profile, const char *serial,
				struct tt_creds_mfa_request *req);
/* Goes on with code (the request is freed; code is not kept). NULL or ""
 * means the person gave none: the fetch fails with TT_ERR_CONFIG "no MFA
 * code given for profile X", and so does every later fetch for that
 * profile, without asking, until tt_creds_mfa_ask_again. */
void tt_creds_mfa_answer(struct tt_creds_mfa_request *req, const char *code);
/* The person wants to be asked again (the console's refresh key): the next
 * fetch of every profile refused so far asks for a code again. */
void tt_creds_mfa_ask_again(void);
/* Nobody can answer: the fetch fails with TT_ERR_CONFIG "profile X needs an
 * MFA code for SERIAL, but WHY". Frees the request. */
void tt_creds_mfa_decline(struct tt_creds_mfa_request *req, const char *why);
/* False once the cache that asked is gone: the answer would go nowhere. */
bool tt_creds_mfa_wanted(const struct tt_creds_mfa_request *req);
const char *tt_creds_mfa_profile(const struct tt_creds_mfa_request *req);
const char *tt_creds_mfa_serial(const struct tt_creds_mfa_request *req);

/* Options from the command line that shape the chain. */
struct tt_creds_options {
	const char *cli_profile;   /* --profile, or NULL */
	const char *cli_profile_from; /* what chose it when not --profile ("[app NAME]"), for messages */
	const char *region;        /* resolved region, for STS */
	const char *cli_endpoint_url; /* --endpoint-url (applies to STS too) */
	/* Asks the front end for an MFA code (see above); NULL = nobody can
	 * answer, and a profile with mfa_serial fails to fetch. */
	tt_creds_mfa_fn request_mfa;
	void *mfa_ctx;
};

struct tt_creds_cache;

/* Resolves which provider the chain will use (no network yet) and returns a
 * cache for it. Fails with TT_ERR_CONFIG on configuration errors: unknown
 * profile, role loops, missing source_profile, malformed settings. */
int tt_creds_cache_new(struct tt_creds_cache **out, struct tt_http *http,
		       const struct tt_awscfg *cfg, const struct tt_creds_options *opts,
		       struct tt_err *err);
void tt_creds_cache_free(struct tt_creds_cache **cache);

/* Where the credentials come from, for `tiertop whoami`, e.g.
 * "profile prod: assume-role arn:... via sso-session corp". Borrowed. */
const char *tt_creds_cache_describe(const struct tt_creds_cache *cache);
/* For an answer that refused these credentials (SignatureDoesNotMatch...):
 * adds to ERR where they came from and, when a value is in quotes (taken
 * as part of the key, as botocore takes it), says so. Never the values. */
void tt_creds_cache_explain(const struct tt_creds_cache *cache, struct tt_err *err);

/* Returns 0 with *out set when usable credentials are at hand (a refresh may
 * have been started in the background if they expire soon); 1 when a fetch
 * is under way: the cache wakes the HTTP engine (tt_http_wake) when it ends;
 * -1 when the last fetch failed (err filled; the next call tries again).
 * Credentials a source hands over already expired, or with a control
 * character in a key, secret or token (it would end up in an HTTP header),
 * count as a failed fetch (TT_ERR_CONFIG, naming the source, not the value). */
int tt_creds_cache_get(struct tt_creds_cache *cache, time_t now, const struct tt_creds **out,
		       struct tt_err *err);
/* AWS said the credentials are expired or invalid: drop them so the next get
 * fetches new ones. Returns false when the source cannot produce new ones
 * (static keys), so retrying is pointless. */
bool tt_creds_cache_invalidate(struct tt_creds_cache *cache);

#endif
