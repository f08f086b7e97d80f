/* Growable byte buffer with an optional cap.
 *
 * The buffer owns data; tt_buf_clear releases it. data is always NUL-terminated
 * (the NUL is not counted in len) so text can be used as a C string. When a
 * cap is set, appends beyond it are dropped and `truncated` is set, so the
 * caller can say so instead of silently losing data. */
#ifndef TIERTOP_BUF_H
#define TIERTOP_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct tt_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t limit;   /* 0 = no limit */
	bool truncated;
};

void tt_buf_init(struct tt_buf *b, size_t limit);
void tt_buf_clear(struct tt_buf *b);
/* Wipes the bytes before freeing: for buffers that held secrets. */
void tt_buf_clear_secret(struct tt_buf *b);
void tt_buf_reset(struct tt_buf *b);
/* Makes room for extra more bytes at once (appends never need more than
 * this: it saves the copies of growing a large buffer step by step). */
void tt_buf_reserve(struct tt_buf *b, size_t extra);
/* Returns false when the cap cut the append short. */
bool tt_buf_append(struct tt_buf *b, const void *data, size_t len);
bool tt_buf_puts(struct tt_buf *b, const char *s);
bool tt_buf_putc(struct tt_buf *b, char c);
bool tt_buf_printf(struct tt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends the rest of f, stopping once the cap is passed (so an oversize
 * input shows as `truncated` without reading all of it). -1 on a read
 * error, with errno saying which; the caller closes f. */
int tt_buf_read_stream(struct tt_buf *b, FILE *f);
/* Hands the bytes to the caller (who frees them) and leaves b empty. */
char *tt_buf_steal(struct tt_buf *b);

#endif
