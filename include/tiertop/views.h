/* The console's views (see view.h for the contract they share) and the
 * drawing helpers they have in common.
 *
 * Ownership: every constructor returns an owned view (its ops->free
 * releases it; the console does that when it pops the view). A snapshot
 * passed to a drill-down view is borrowed from the tier view, which sits at
 * the bottom of the stack and outlives every view above it. */
#ifndef TIERTOP_VIEWS_H
#define TIERTOP_VIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tiertop/canvas.h"
#include "tiertop/qual_pick.h"
#include "tiertop/snapshot.h"
#include "tiertop/view.h"

struct tt_view_tiers_opts {
	const struct tt_select *sel; /* copied */
	size_t nsel;
	long range_s;     /* 3600 */
	long period_s;    /* 60 */
	long interval_ms; /* refresh of what is on screen */
	const struct tt_snapshot_io *io; /* NULL: AWS through env->aws; a fake in tests */
};

/* The main screen: three panes (presentation, logic, data). */
struct tt_view *tt_view_tiers_new(const struct tt_view_env *env, const struct tt_view_tiers_opts *opts);
/* The snapshot it owns (for drill-downs and the status line). */
struct tt_snapshot *tt_view_tiers_snapshot(struct tt_view *tiers);
/* Console commands that act on the tier screen. 0, or -1 with msg set
 * (static text). */
int tt_view_tiers_set_range(struct tt_view *tiers, const char *range, const char **msg);
int tt_view_tiers_focus(struct tt_view *tiers, const char *tier);
/* Shows only the focused tier's rows whose name contains text ("" or
 * NULL: all). */
void tt_view_tiers_filter(struct tt_view *tiers, const char *text);
/* How often what is on screen refreshes (the rest five times less often). */
void tt_view_tiers_set_interval(struct tt_view *tiers, long interval_ms, int64_t now_ms);
/* Makes every poll due now. */
void tt_view_tiers_refresh(struct tt_view *tiers, int64_t now_ms);

/* Drill-downs: by name, looked up in the snapshot each time they draw, so
 * a rediscovery does not leave them pointing at a freed row. */
struct tt_view *tt_view_function_new(const struct tt_view_env *env, struct tt_snapshot *snap, const char *name);
struct tt_view *tt_view_api_new(const struct tt_view_env *env, struct tt_snapshot *snap, const char *name,
				const char *stage);
struct tt_view *tt_view_table_new(const struct tt_view_env *env, struct tt_snapshot *snap, const char *name);

/* Logs views of a function's log group (LoggingConfig.LogGroup when the
 * discovery saw it, else /aws/lambda/NAME): following it, only one
 * request id's lines (request_id not NULL), only errors, or Live Tail. */
/* A function's log group: its LoggingConfig.LogGroup when the discovery saw
 * it, else /aws/lambda/NAME. Caller frees. */
char *tt_function_log_group(const struct tt_snapshot *snap, const char *name);
struct tt_view *tt_view_function_logs(const struct tt_view_env *env, struct tt_snapshot *snap, const char *name,
				      const char *request_id);
struct tt_view *tt_view_function_errors(const struct tt_view_env *env, struct tt_snapshot *snap, const char *name);
struct tt_view *tt_view_function_live(const struct tt_view_env *env, struct tt_snapshot *snap, const char *name);

/* Invoking a function (view_invoke.c): a payload editor (the last payload
 * sent to this function, else {}), type and qualifier, a confirmation
 * dialog, the answer and its logs. io NULL: AWS through env->aws; a fake in
 * tests (copied; its context borrowed, must outlive the view). */
struct tt_invoke_io;
struct tt_view *tt_view_invoke_new(const struct tt_view_env *env, struct tt_snapshot *snap, const char *name,
				   const struct tt_invoke_io *io);
/* invoke: Q lists the function's versions and aliases with list (a fake in
 * tests; io borrowed, must outlive the view) instead of env->aws. */
void tt_view_invoke_set_qualifier_list(struct tt_view *v, tt_qual_list_fn list, void *io);

/* The applications of the region (apps.h), to narrow a whole-region
 * console: a list, Enter narrows to the selected one (env->open_app), r
 * searches again. io NULL: AWS through env->aws; a fake in tests
 * (borrowed, must outlive the view). */
struct tt_apps_io;
struct tt_view *tt_view_apps_new(const struct tt_view_env *env, const struct tt_apps_io *io);

/* The audit log (audit.h, view_audit.c): the actions invoked and replayed,
 * newest first, with their outcome; Enter details, L the request's logs.
 * path NULL: tt_audit_default_path(); copied. snap (borrowed, may be NULL)
 * gives the functions' log groups. Reads only that local file. */
struct tt_view *tt_view_audit_new(const struct tt_view_env *env, struct tt_snapshot *snap, const char *path);

/* The item browser (view_items.c): a table's items as columns, read page
 * by page as the cursor nears the end of what is loaded, at most max_items
 * held (the oldest dropped); query by key, local filter, detail, marks,
 * export, copy and env->open_replay. io NULL: AWS through env->aws (and
 * describe ignored); a fake in tests (copied; its context, also the
 * describe's, borrowed and must outlive the view). */
struct tt_items_io;
struct tt_ddb_table;
struct tt_err;
struct tt_view_items_opts {
	const struct tt_items_io *io;
	int (*describe)(void *io, const char *table,
			void (*done)(void *ctx, struct tt_ddb_table *table, const struct tt_err *err), void *ctx,
			struct tt_err *err);
	long page_size;   /* items per Scan/Query request; 0: 100 */
	size_t max_items; /* items held at most; 0: 5000 */
};
struct tt_view *tt_view_items_new(const struct tt_view_env *env, const char *table,
				  const struct tt_view_items_opts *opts);

/* replay: replaying keys[0..n) of table (plain JSON key objects; all copied)
 * through a function (view_replay.c): the batch job of replay_batch.h, its
 * choices remembered per table, a dry run, a typed confirmation, a row per
 * item and its logs. snap may be NULL (the wiring's function then unknown).
 * io NULL: AWS through env->aws; a fake in tests (copied; its contexts
 * borrowed, must outlive the view). */
struct tt_replay_io;
struct tt_view *tt_view_replay_new(const struct tt_view_env *env, struct tt_snapshot *snap, const char *table,
				   const char *const *keys, size_t n, const struct tt_replay_io *io);

/* --- drawing helpers (ui/draw.c) ------------------------------------------------ */

/* A figure in at most 7 columns: "1.23k", "45.6", "-" for NaN. */
void tt_fmt_num(double v, char out[16]);
/* A chart of values over h rows and w columns (block characters in UTF-8,
 * '#' and '.' otherwise), the newest value in the last column; min and
 * max are taken from the values. */
void tt_draw_chart(struct tt_canvas *c, int x, int y, int w, int h, const double *values, size_t n,
		   struct tt_style st);
/* A one-row sparkline (tt_spark) of width w. */
void tt_draw_spark(struct tt_canvas *c, int x, int y, int w, const double *values, size_t n,
		   struct tt_style st);
/* Every metric of a snapshot row as a chart of chart_h rows under its
 * title and summary, in 2 or 3 columns, within rows [y, y+h). Returns the
 * rows used. */
int tt_draw_metric_grid(struct tt_canvas *c, int y, int h, const struct tt_snapshot *snap, long row, int chart_h);
/* "12s", "4m", "3h", "2d": how long ago ms was, for ages in the status
 * line. */
void tt_fmt_age(int64_t now_ms, int64_t then_ms, char out[16]);

/* Styles used everywhere, so a theme lives in one place. */
struct tt_style tt_style_plain(void);
struct tt_style tt_style_header(void);   /* pane titles */
struct tt_style tt_style_selected(void); /* the cursor row */
struct tt_style tt_style_alarm(void);    /* red, bold */
struct tt_style tt_style_warn(void);     /* yellow */
struct tt_style tt_style_dim(void);
struct tt_style tt_style_ok(void);       /* green */

/* Each view's keys (static storage), also what `?` lists: exported so that
 * a test can check docs/keys.md describes every one. */
extern const struct tt_keymap *const tt_keymap_tiers, *const tt_keymap_function, *const tt_keymap_invoke,
	*const tt_keymap_replay, *const tt_keymap_api, *const tt_keymap_table, *const tt_keymap_items,
	*const tt_keymap_apps, *const tt_keymap_audit, *const tt_keymap_logs;

#endif
