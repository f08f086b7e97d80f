/* The command line's front end to the invocation job (tiertop/invoke.h),
 * shared by `invoke` and `replay`: it drives a job with the engine's loop,
 * answers the job's confirmation on the terminal (outside dispatch: the
 * banner is copied when the job asks, shown and answered after the
 * dispatch returns), and prints the answer. Both verbs thus look the same
 * from the outside: the same banner and question, the same output and exit
 * status (TT_EXIT_FUNCTION when the function reports an error).
 *
 * Ownership: the front end borrows app, the job and the strings it is
 * given; the banner copy is its own, freed by tt_invoke_front_clear. */
#ifndef TIERTOP_APP_INVOKE_FRONT_H
#define TIERTOP_APP_INVOKE_FRONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "app.h"
#include "tiertop/invoke.h"

#define TT_INVOKE_FRONT_ROWS 16

/* How to drive one job: the invoke job, or a replay wrapping one. */
struct tt_invoke_driver {
	void *job;
	bool (*finished)(const void *job);
	void (*clock)(void *job, int64_t now_ms);
	void (*confirm)(void *job, bool yes);
	const struct tt_invoke *(*invocation)(const void *job); /* NULL before there is one */
	const struct tt_err *(*error)(const void *job);
};

struct tt_invoke_front {
	struct tt_app *app;
	const char *question; /* "Invoke submit-feedback now?" */
	const char *declined; /* printed when the answer is no: "not invoked" */
	FILE *tty;            /* from tt_app_confirm_open; NULL with --yes */
	bool log;             /* --log */
	enum tt_lambda_invocation type;
	/* the banner, copied when the job asks */
	bool asked;
	char *title, *account, *endpoint;
	struct tt_app_row rows[TT_INVOKE_FRONT_ROWS];
	char *row_text[2 * TT_INVOKE_FRONT_ROWS];
	size_t nrows;
};

/* The sink's confirm: copies the banner; the answer comes from drive. */
void tt_invoke_front_ask(struct tt_invoke_front *f, const struct tt_invoke_banner *b);
/* Runs the loop until the job ends, asking on the terminal when the job
 * wants an answer; prints the outcome and returns the exit status. */
int tt_invoke_front_drive(struct tt_invoke_front *f, const struct tt_invoke_driver *d);
void tt_invoke_front_clear(struct tt_invoke_front *f);

/* "URL (source)" of Lambda's endpoint, for the banner; the caller frees. */
char *tt_invoke_front_endpoint(const struct tt_app *app, struct tt_err *err);

/* Read-only mode as the job checks it (the same sources, in the same
 * order, as app->read_only_from); the caller clears it. */
struct tt_policy;
void tt_invoke_front_policy(const struct tt_app *app, struct tt_policy *p);

/* The monotonic clock, for durations. */
int64_t tt_invoke_front_now(void);

/* invoke FN --list-qualifiers (invoke_qualifiers.c): prints the function's
 * versions and aliases; returns the exit status. */
int tt_invoke_list_qualifiers(struct tt_app *app, const char *function);

#endif
