/* tiertop replay TABLE --keys FILE|-: the batch form of the replay verb
 * (cmd_replay.c parses and refuses; cmd_replay_batch.c reads the keys and
 * runs the batch job of tiertop/replay_batch.h).
 *
 * Ownership: the keys loaded are the caller's (tt_replay_keys_free); the
 * struct tt_replay_cli borrows everything it points to. */
#ifndef TIERTOP_APP_REPLAY_CLI_H
#define TIERTOP_APP_REPLAY_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "app.h"
#include "tiertop/replay.h"

/* --keys: JSON Lines of key objects, or one JSON array of them (the first
 * character that is not a blank says which). Each key comes back as plain
 * JSON text, numbers exactly as written. TT_ERR_USAGE naming the line or
 * element that is not a key object. */
int tt_replay_keys_load(const char *source, char ***keys, size_t *n, struct tt_err *err);
void tt_replay_keys_free(char **keys, size_t n);

struct tt_replay_cli {
	const char *table;
	const char *function;
	const char *qualifier;
	enum tt_lambda_invocation type; /* sync or async */
	bool dry_run;                   /* print the payloads, send nothing */
	bool stop_on_error;
	double rate; /* <= 0: unlimited */
	const struct tt_replay_template *tpl;
	const struct tt_replay_route *route; /* apigw templates, else NULL */
	char **keys;
	size_t nkeys;
	FILE *tty; /* from tt_app_confirm_open; NULL with --yes or a dry run */
};

/* Runs the batch to its end (or Ctrl-C); returns the exit status. */
int tt_replay_batch_cli(struct tt_app *app, const struct tt_replay_cli *c);

#endif
