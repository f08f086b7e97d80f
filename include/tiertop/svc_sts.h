/* AWS STS (awsQuery, XML answers parsed with expat).
 *
 * Each call submits one request and reports through its callback; results
 * passed to callbacks are borrowed for the callback's duration (copy what you
 * keep, e.g. with tt_creds_copy). */
#ifndef TIERTOP_SVC_STS_H
#define TIERTOP_SVC_STS_H

#include "tiertop/aws.h"
#include "tiertop/creds.h"

struct tt_sts_identity {
	const char *account;
	const char *arn;
	const char *user_id;
};

typedef void (*tt_sts_identity_fn)(void *ctx, const struct tt_sts_identity *id, const struct tt_err *err);
/* Temporary credentials and the ARN of the assumed role. */
typedef void (*tt_sts_creds_fn)(void *ctx, const struct tt_creds *creds, const char *assumed_arn,
				const struct tt_err *err);

int tt_sts_get_caller_identity(const struct tt_aws *aws, tt_sts_identity_fn done, void *ctx,
			       struct tt_err *err);

struct tt_sts_assume_role {
	const char *role_arn;
	const char *session_name;
	const char *external_id;    /* optional */
	const char *mfa_serial;     /* optional, with mfa_code */
	const char *mfa_code;
	long duration_seconds;      /* 0 = service default (1 h) */
};
int tt_sts_assume_role(const struct tt_aws *aws, const struct tt_sts_assume_role *in,
		       tt_sts_creds_fn done, void *ctx, struct tt_err *err);

/* Unsigned: the web identity token is the credential. */
int tt_sts_assume_role_web_identity(const struct tt_aws *aws, const char *role_arn,
				    const char *session_name, const char *token, long duration_seconds,
				    tt_sts_creds_fn done, void *ctx, struct tt_err *err);

#endif
