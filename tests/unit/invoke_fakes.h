/* What the invoke tests share: a fake of the invoke job's io table (struct
 * tt_invoke_io) that answers nothing by itself. Each call is recorded with
 * its arguments and its completion kept, in one instance per test program
 * (fio_log); the test then answers when it chooses, with the canned
 * identity, the canned function or the Invoke answer it names. A test
 * clears the log with fio_reset wherever it starts afresh, naming the
 * canned answers its checks expect. A test of the audit log also names the
 * log's path (audit_path): the fake Invoke then notes what the file held
 * when the request left. */
#ifndef TIERTOP_INVOKE_FAKES_H
#define TIERTOP_INVOKE_FAKES_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "testutil.h"
#include "tiertop/err.h"
#include "tiertop/invoke.h"
#include "tiertop/svc_lambda.h"
#include "tiertop/svc_sts.h"
#include "tiertop/xalloc.h"

/* What a test's answers carry besides what each call names. */
struct fio_canned {
	const char *function_json;    /* the GetFunctionConfiguration answer */
	const char *executed_version; /* the Invoke answer's version... */
	const char *request_id;       /* ...and request id */
};

struct invoke_fakes_log {
	int identity_calls, config_calls, invoke_calls;
	/* The completions waiting for an answer (NULL once answered). */
	tt_sts_identity_fn id_done;
	void *id_ctx;
	tt_lambda_function_fn fn_done;
	void *fn_ctx;
	tt_lambda_invoke_fn inv_done;
	void *inv_ctx;
	/* What the last calls were given. */
	char function[128], qualifier[64], payload[512];
	enum tt_lambda_invocation type;
	long timeout_s;
	bool refuse_invoke; /* set by a test: the Invoke cannot be submitted */
	const struct fio_canned *canned;
	/* The audit log to look into as the Invoke leaves, and what it held. */
	const char *audit_path;
	bool intent_there, result_there;
};

static struct invoke_fakes_log fio_log;

static inline void fio_reset(const struct fio_canned *canned)
{
	memset(&fio_log, 0, sizeof(fio_log));
	fio_log.canned = canned;
}

static inline int fio_identity(void *io, tt_sts_identity_fn done, void *ctx, struct tt_err *err)
{
	(void)io, (void)err;
	fio_log.identity_calls++;
	fio_log.id_done = done;
	fio_log.id_ctx = ctx;
	return 0;
}

static inline int fio_config(void *io, const char *function, const char *qualifier, tt_lambda_function_fn done,
			     void *ctx, struct tt_err *err)
{
	(void)io, (void)err;
	fio_log.config_calls++;
	snprintf(fio_log.function, sizeof(fio_log.function), "%s", function);
	snprintf(fio_log.qualifier, sizeof(fio_log.qualifier), "%s", qualifier ? qualifier : "");
	fio_log.fn_done = done;
	fio_log.fn_ctx = ctx;
	return 0;
}

static inline int fio_invoke(void *io, const struct tt_lambda_invoke_in *in, tt_lambda_invoke_fn done, void *ctx,
			     struct tt_err *err)
{
	(void)io;
	if (fio_log.audit_path) {
		char *text = tu_read_file(fio_log.audit_path, NULL);
		fio_log.intent_there = text && strstr(text, "\"record\":\"intent\"") &&
				       strstr(text, "\"function\":\"submit\"");
		fio_log.result_there = text && strstr(text, "\"record\":\"result\"");
		free(text);
	}
	if (fio_log.refuse_invoke)
		return tt_err_set(err, TT_ERR_USAGE, "cannot build the request");
	fio_log.invoke_calls++;
	fio_log.type = in->type;
	snprintf(fio_log.payload, sizeof(fio_log.payload), "%.*s", (int)in->payload_len, in->payload);
	fio_log.timeout_s = in->timeout_s;
	fio_log.inv_done = done;
	fio_log.inv_ctx = ctx;
	return 0;
}

/* The table to give the job or the view: no audit log. */
static const struct tt_invoke_io fio_io = {.identity = fio_identity, .config = fio_config, .invoke = fio_invoke};

/* The answers. Each goes to the call waiting for one, once; with none
 * waiting the check fails (rather than the test crashing). */

static inline void fio_answer_identity(void)
{
	struct tt_sts_identity id = {"111122223333", "arn:aws:iam::111122223333:user/ops", "AID"};
	tt_sts_identity_fn done = fio_log.id_done;

	if (!done) {
		tap_ok(false, "the fake has an identity lookup to answer");
		return;
	}
	fio_log.id_done = NULL;
	done(fio_log.id_ctx, &id, NULL);
}

/* The canned function. */
static inline void fio_answer_config(void)
{
	const char *json = fio_log.canned ? fio_log.canned->function_json : NULL;
	tt_lambda_function_fn done = fio_log.fn_done;
	struct tt_lambda_function fn;
	struct tt_err err;

	if (!done || !json) {
		tap_ok(false, "the fake has a function lookup to answer, and a function to answer with");
		return;
	}
	if (tt_lambda_parse_function(json, strlen(json), &fn, &err)) {
		tap_ok(false, "the fake's function parses: %s", err.message);
		return;
	}
	fio_log.fn_done = NULL;
	done(fio_log.fn_ctx, &fn, NULL);
	tt_lambda_function_clear(&fn);
}

/* Both lookups a start makes, answered: who is calling, then the function. */
static inline void fio_answer_lookups(void)
{
	fio_answer_identity();
	fio_answer_config();
}

/* The lookup fails as AWS says it: code ("ResourceNotFoundException") and message. */
static inline void fio_answer_config_error(const char *code, const char *message)
{
	tt_lambda_function_fn done = fio_log.fn_done;
	struct tt_err err;

	if (!done) {
		tap_ok(false, "the fake has a function lookup to answer");
		return;
	}
	tt_err_set(&err, TT_ERR_AWS, "%s", message);
	snprintf(err.code, sizeof(err.code), "%s", code);
	fio_log.fn_done = NULL;
	done(fio_log.fn_ctx, NULL, &err);
}

/* A 200 with the canned version and request id; function_error "" for none. */
static inline void fio_answer_invoke(const char *function_error, const char *payload, const char *log)
{
	const struct fio_canned *c = fio_log.canned;
	tt_lambda_invoke_fn done = fio_log.inv_done;
	struct tt_lambda_invoke_out out;

	if (!done || !c) {
		tap_ok(false, "the fake has an Invoke to answer, and what to answer with");
		return;
	}
	out = (struct tt_lambda_invoke_out){
	    .status = 200,
	    .function_error = tt_xstrdup(function_error),
	    .executed_version = tt_xstrdup(c->executed_version),
	    .request_id = tt_xstrdup(c->request_id),
	    .payload = tt_xstrdup(payload),
	    .payload_len = strlen(payload),
	    .log = tt_xstrdup(log),
	    .log_len = strlen(log),
	};
	fio_log.inv_done = NULL;
	done(fio_log.inv_ctx, &out, NULL);
	tt_lambda_invoke_out_clear(&out);
}

/* The Invoke fails before any answer (a network error): err as given. */
static inline void fio_answer_invoke_error(const struct tt_err *err)
{
	tt_lambda_invoke_fn done = fio_log.inv_done;

	if (!done) {
		tap_ok(false, "the fake has an Invoke to answer");
		return;
	}
	fio_log.inv_done = NULL;
	done(fio_log.inv_ctx, NULL, err);
}

#endif
