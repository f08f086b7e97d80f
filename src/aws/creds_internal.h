/* Private to the credential providers (src/aws/creds_*.c). */
#ifndef TIERTOP_CREDS_INTERNAL_H
#define TIERTOP_CREDS_INTERNAL_H

#include "tiertop/aws.h"
#include "tiertop/creds.h"
#include "tiertop/err.h"

struct provider;

struct provider_ops {
	/* Starts a fetch that ends, now or later, in provider_done(). */
	void (*fetch)(struct provider *p);
	void (*free)(struct provider *p);
	/* false for fixed keys: fetching again gives the same answer. */
	bool refreshable;
};

struct provider {
	const struct provider_ops *ops;
	struct tt_creds_cache *owner;
};

/* What every provider may need to reach AWS. Strings are owned copies. */
struct chain_env {
	struct tt_http *http;
	const struct tt_awscfg *cfg;
	char *profile;            /* the selected profile */
	char *region;
	char *cli_endpoint_url;
	tt_creds_mfa_fn request_mfa;
	void *mfa_ctx;
	/* Set when AWS_ACCESS_KEY_ID is set but a chosen profile set it aside,
	 * as --profile does in the AWS CLI: a "no credentials" error says this
	 * instead of advising to set it. */
	char *env_keys_unused;
};

void chain_env_copy(struct chain_env *dst, const struct chain_env *src);
void chain_env_clear(struct chain_env *env);

/* Where the credentials about to be reported came from, when that is worth
 * showing next to the description ("cached by the AWS CLI ..."); NULL clears
 * it. Copied. */
void provider_origin(struct provider *p, const char *note);
/* True when s (NULL is fine) holds a C0 control or DEL: such a value must
 * never reach an HTTP header. provider_done refuses credentials with one. */
bool creds_has_control(const char *s);
/* A provider reports its result; c is copied. Credentials with a control
 * character, or already expired, are refused here for every provider. */
void provider_done(struct provider *p, const struct tt_creds *c, const struct tt_err *err);

/* The failure just reported needs no hold (creds.c holds failures a few
 * seconds so a broken source is not hammered): trying again asks a person,
 * who decides when. */
void provider_unhold(struct provider *p);

/* A cache around a provider (takes it over); description is copied. */
struct tt_creds_cache *creds_cache_wrap(struct tt_http *http, struct provider *p, const char *description);

/* The call site for a provider's own requests (STS, SSO...), signed with
 * signer (NULL for unsigned). */
void chain_env_aws(const struct chain_env *env, struct tt_creds_cache *signer, struct tt_aws *out);

/* Providers. Each returns NULL with err filled when its settings are bad. */
struct provider *provider_static_new(const char *ak, const char *sk, const char *token,
				     time_t expiration);
struct provider *provider_env_new(struct tt_err *err);
struct provider *provider_assume_role_new(const struct chain_env *env, const char *profile,
					  struct tt_err *err);
/* The credentials that sign AssumeRole; the provider takes the cache over. */
void provider_assume_role_set_source(struct provider *p, struct tt_creds_cache *source);
struct provider *provider_web_identity_new(const struct chain_env *env, const char *role_arn,
					   const char *token_file, const char *session_name,
					   struct tt_err *err);
struct provider *provider_process_new(const struct chain_env *env, const char *profile,
				      const char *command, struct tt_err *err);
struct provider *provider_sso_new(const struct chain_env *env, const char *profile, char **describe,
				  struct tt_err *err);
struct provider *provider_container_new(const struct chain_env *env, struct tt_err *err);
struct provider *provider_imds_new(const struct chain_env *env, struct tt_err *err);
bool provider_container_configured(void);
bool provider_imds_disabled(void);

/* The AWS CLI's cache files (creds_files.c): $HOME/DIR/SHA1-OF-TEXT.json,
 * a string the caller frees; and an atomic rewrite of one (0600, parent
 * directories created 0700), 0 or -1. */
char *creds_cache_file(const char *dir, const char *text);
struct json_t;
int creds_cache_save(const char *path, const struct json_t *doc);

/* The members every credential JSON has, under the names its source gives
 * them (creds_files.c reads them all). */
struct creds_json_names {
	const char *key_id, *secret, *token, *expiration, *account;
};
/* credential_process output and the CLI's AssumeRole cache; IMDS and the
 * container endpoint; IAM Identity Center's roleCredentials. */
extern const struct creds_json_names creds_json_process, creds_json_metadata, creds_json_sso;
enum creds_json_status { CREDS_JSON_OK, CREDS_JSON_INCOMPLETE, CREDS_JSON_BAD_EXPIRATION };
/* Fills out (the caller clears it) from the object o: a key id and a secret
 * are needed, and a token when need_token; the expiration is an ISO-8601
 * string, or epoch milliseconds (IAM Identity Center); an empty token is
 * none. Nothing is filled unless CREDS_JSON_OK. */
enum creds_json_status creds_json_read(const struct json_t *o, const struct creds_json_names *names, bool need_token,
				       struct tt_creds *out);

/* Parses the JSON the container endpoint and IMDS return (AccessKeyId,
 * SecretAccessKey, Token, Expiration). */
int creds_from_metadata_json(const char *body, size_t len, struct tt_creds *out, struct tt_err *err);

#endif
