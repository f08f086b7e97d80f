/* The debug log (--debug-log FILE). Off unless opened. The caller must never
 * pass secrets: the HTTP engine redacts credentials before logging, and this
 * module additionally refuses to write lines that look like an
 * Authorization header with a signature (defence in depth). */
#ifndef TIERTOP_LOG_H
#define TIERTOP_LOG_H

#include <stdbool.h>
#include <stddef.h>

struct tt_err;

/* Appends to path, creating it private (0600); a symbolic link at path is
 * refused (TT_ERR_CONFIG), never followed. */
int tt_log_open(const char *path, struct tt_err *err);
void tt_log_close(void);
bool tt_log_enabled(void);
void tt_log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes raw bytes (a response body) with a header line; long bodies are cut
 * at max bytes and the cut is marked. */
void tt_log_block(const char *title, const char *data, size_t len, size_t max);

#endif
