/* AWS Signature Version 4.
 *
 * The signer is a pure function of its inputs: the clock (`now`) is a
 * parameter, nothing is read from the environment, and every intermediate
 * stage is returned so tests can compare each one with the AWS test suite and
 * with botocore.
 *
 * Ownership: tt_sigv4_output holds heap strings and the derived signing key;
 * the caller owns it and must release it with tt_sigv4_output_clear(), which
 * also wipes the key. The inputs are borrowed for the duration of the call. */
#ifndef TIERTOP_SIGV4_H
#define TIERTOP_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct tt_err;

struct tt_kv {
	const char *key;
	const char *value;
};

struct tt_sigv4_input {
	const char *method;
	/* The path as it goes on the wire (already percent-encoded by whoever
	 * built the URL). AWS canonicalizes by encoding it once more, which is
	 * why "arn%3Aaws" in a Lambda URL signs as "arn%253Aaws". */
	const char *path;
	/* Decoded query parameters; the signer encodes them. */
	const struct tt_kv *query;
	size_t nquery;
	/* Headers exactly as they will be sent, any case, in order; must include
	 * Host. Repeated names are allowed (their values are joined in order). */
	const struct tt_kv *headers;
	size_t nheaders;
	const void *body;
	size_t body_len;
};

struct tt_sigv4_params {
	const char *access_key_id;
	const char *secret_access_key;
	const char *session_token;   /* NULL when the credentials have none */
	const char *region;
	const char *service;         /* the signing name, e.g. "monitoring" */
	time_t now;
	bool normalize_path;         /* true for every service but S3 */
	/* When false the token is added after signing (the suite's
	 * post-sts-header-after case); AWS accepts both, so the client signs it. */
	bool sign_session_token;
	bool add_content_sha256;     /* add x-amz-content-sha256 (S3-style) */
	long expires;                /* presigned URLs only: X-Amz-Expires */
};

/* A header (header signing) or query parameter (presigning) the caller must
 * add to the request, in this order. Values for query parameters are decoded;
 * encode them when building the URL (tt_sigv4_query_string does). */
struct tt_sigv4_pair {
	char *name;
	char *value;
};

#define TT_SIGV4_MAX_ADDED 8

struct tt_sigv4_output {
	char amz_date[17];
	char *canonical_request;
	char *string_to_sign;
	unsigned char signing_key[32];
	char signature[65];
	char *signed_headers;
	char *authorization;        /* header signing only */
	struct tt_sigv4_pair added[TT_SIGV4_MAX_ADDED];
	size_t nadded;
};

int tt_sigv4_sign_headers(const struct tt_sigv4_input *in, const struct tt_sigv4_params *params,
			  struct tt_sigv4_output *out, struct tt_err *err);
int tt_sigv4_presign(const struct tt_sigv4_input *in, const struct tt_sigv4_params *params,
		     struct tt_sigv4_output *out, struct tt_err *err);
void tt_sigv4_output_clear(struct tt_sigv4_output *out);

/* Canonical pieces, exposed for the HTTP engine and tests. Each returns a
 * newly allocated string the caller frees. */
char *tt_sigv4_canonical_path(const char *path, bool normalize);
char *tt_sigv4_canonical_query(const struct tt_kv *query, size_t n);
/* Encodes pairs in the given order ("a=1&b=2"), for building URLs. */
char *tt_sigv4_query_string(const struct tt_kv *query, size_t n);
/* Hex SHA-256 of data into out[65]. */
void tt_sha256_hex(const void *data, size_t len, char out[65]);

#endif
