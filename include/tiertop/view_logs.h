/* The logs view: follows one or more log groups (the tail model) into a
 * bounded scrollback (logbuf), with follow and pause, local search, a local
 * request-id filter, a server-side filter pattern, Live Tail, wrap, local or
 * UTC time, JSON pretty-printed on demand and saving the buffer to a file.
 * A failing tail is shown in the header; the view never exits by itself.
 *
 * Ownership: tt_view_logs_new copies groups, title and every string in
 * opts; the io table's context is borrowed and must outlive the view. The
 * view is freed by its ops->free (the console does that when it pops it). */
#ifndef TIERTOP_VIEW_LOGS_H
#define TIERTOP_VIEW_LOGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tiertop/tail.h"
#include "tiertop/view.h"

struct tt_view_logs_opts {
	struct tt_tail_io io;   /* tt_tail_io_aws(&io, env->aws), or a fake in tests */
	int64_t since_ms;       /* where the backfill starts; 0 = 15 minutes before now */
	const char *pattern;    /* server-side filterPattern, or NULL */
	const char *request_id; /* show only this request's lines (a local filter), or NULL */
	bool live;              /* Live Tail after the backfill */
	size_t max_lines;       /* scrollback; 0 = TT_LOGBUF_DEFAULT_LINES */
};

struct tt_view *tt_view_logs_new(const struct tt_view_env *env, const char *const *groups, size_t ngroups,
				 const char *title, const struct tt_view_logs_opts *opts, int64_t now_ms);

#endif
