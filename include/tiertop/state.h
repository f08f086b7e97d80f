/* tiertop's own state directory ($XDG_STATE_HOME/tiertop, else
 * ~/.local/state/tiertop): the audit log, remembered payloads, replay
 * choices. Private files: directories created 0700, files 0600.
 *
 * Ownership: tt_state_path returns a string the caller frees. */
#ifndef TIERTOP_STATE_H
#define TIERTOP_STATE_H

#include <stddef.h>

#include "tiertop/err.h"

/* The path of name inside the state directory; NULL (TT_ERR_CONFIG, err
 * says why "what" is not kept) when neither an absolute XDG_STATE_HOME nor
 * HOME is set. */
char *tt_state_path(const char *name, const char *what, struct tt_err *err);
/* mkdir -p of path's directory, each missing level 0700; existing ones are
 * left as they are (~/.local may be shared). */
int tt_state_make_parents(const char *path, struct tt_err *err);
/* Replaces path with text through a temporary file renamed over it (0600
 * whatever the umask; a crash never leaves half a file). */
int tt_state_replace(const char *path, const char *text, size_t len, struct tt_err *err);
/* write(2) until all of data is written, EINTR retried: 0, or -1 with errno. */
int tt_write_all(int fd, const char *data, size_t len);

#endif
