/* The half of `invoke` that `replay` shares (cmd_invoke.c): from a payload
 * that passed every local check to the function's answer on stdout. Both
 * verbs then look the same from the outside: the same lookups (STS, the
 * function's configuration), the same banner and question, the same output
 * and exit status (TT_EXIT_FUNCTION when the function reports an error).
 *
 * Everything in a request is borrowed; the caller keeps and frees it. */
#ifndef TIERTOP_APP_INVOKE_H
#define TIERTOP_APP_INVOKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "app.h"
#include "tiertop/svc_lambda.h"

struct tt_invoke_req {
	const char *function;  /* as the user wrote it: name, name:alias or ARN */
	const char *qualifier; /* --qualifier, or NULL */
	enum tt_lambda_invocation type;
	bool log;            /* --log: ask for and print the tail of the log */
	const char *payload; /* checked JSON, within the limit for type */
	size_t payload_len;
	const char *payload_source;    /* banner: "<n> bytes from <payload_source>" */
	const char *verb;              /* banner title: "Invoke", "Replay" */
	const struct tt_app_row *rows; /* more banner rows after the payload, or NULL */
	size_t nrows;
	const char *question; /* asked on tty: "Invoke submit-feedback now?" */
	const char *declined; /* printed when the answer is no: "not invoked" */
	FILE *tty;            /* from tt_app_confirm_open; NULL with --yes */
};

/* Before the network: the function reference parses and its qualifier does
 * not contradict --qualifier. TT_ERR_USAGE otherwise. */
int tt_invoke_check_target(const char *function, const char *qualifier, struct tt_err *err);

/* Needs tt_app_connect done. Looks up, shows, asks, invokes, prints; returns
 * the exit status (1 when the answer was no, nothing sent then). */
int tt_invoke_send(struct tt_app *app, const struct tt_invoke_req *req);

#endif
