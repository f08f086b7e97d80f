/* Recent payloads of each function, so the console's invoke view starts
 * with what was sent last time: $XDG_STATE_HOME/tiertop/payloads/<function>.json
 * (XDG_STATE_HOME defaults to ~/.local/state), a JSON array of strings,
 * newest first, at most TT_PAYLOADS_KEEP. Payloads may hold test data a
 * person would rather keep to themselves: directories are made 0700, files
 * written 0600 (a temp file renamed over the old one, so a crash never
 * leaves half a file).
 *
 * Ownership: tt_payloads_load fills a struct the caller clears with
 * tt_payloads_clear; tt_payloads_path and tt_payloads_last return strings
 * the caller frees. */
#ifndef TIERTOP_PAYLOADS_H
#define TIERTOP_PAYLOADS_H

#include <stddef.h>

#include "tiertop/err.h"

#define TT_PAYLOADS_KEEP 10
/* Bigger payloads are sent but not remembered: ten 6 MB payloads per
 * function would make a state file nobody wants. */
#define TT_PAYLOADS_MAX_BYTES (256 * 1024)

struct tt_payloads {
	char **items; /* newest first, NUL-terminated */
	size_t n;
};

/* The file for function (characters other than [A-Za-z0-9._-] become '_'),
 * or NULL with err when neither XDG_STATE_HOME nor HOME is set. */
char *tt_payloads_path(const char *function, struct tt_err *err);
/* An empty list (0) when there is no file yet; -1 with err when it cannot
 * be read or is not an array of strings. */
int tt_payloads_load(const char *function, struct tt_payloads *out, struct tt_err *err);
/* Puts payload first (an identical older entry is dropped), keeps the last
 * TT_PAYLOADS_KEEP and writes the file. 0, 1 when not remembered (too big),
 * or -1 with err. */
int tt_payloads_add(const char *function, const char *payload, size_t len, struct tt_err *err);
/* The newest payload, or NULL (none, or unreadable). */
char *tt_payloads_last(const char *function);
void tt_payloads_clear(struct tt_payloads *p);

#endif
