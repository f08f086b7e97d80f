/* The poll scheduler: decides which query runs when, for the console (and
 * any verb that keeps refreshing). It performs no I/O and never reads the
 * clock: the caller passes `now` (monotonic ms) to every call, asks which
 * keys are due, runs them, and reports how each went.
 *
 *  - One key per query ("metrics", "alarms", "logs:/aws/lambda/x", ...),
 *    each with its own interval; at most one run of a key is in flight.
 *  - Visibility: a visible key polls at its interval, a hidden one at
 *    TT_SCHED_HIDDEN_FACTOR times it, a paused one not at all (global
 *    pause too: `p` in the console).
 *  - Back-off per key: after a throttle or a failure the next run waits
 *    the interval plus base * 2^(n-1) (capped), with "equal jitter" (half
 *    fixed, half from a seeded PRNG, so tests are exact), and a success
 *    resets it. A key that never succeeded waits the back-off alone.
 *  - "Due now" on demand (`r`), which also clears the back-off wait but
 *    not the budget.
 *  - Fairness: among due keys the one that has been due longest starts
 *    first, so a short budget delays every key alike and starves none.
 *  - Budgets: a token bucket per API ("logs", "lambda", "cloudwatch", ...)
 *    that stays well inside AWS's account-wide default quotas, shared with
 *    the user's other tools. A due key whose API has no token waits; the
 *    scheduler then says the budget is short (tt_sched_starved), so the
 *    status line can say why data is older than the interval.
 *
 * Ownership: tt_sched_new returns an owned scheduler (tt_sched_free). Key
 * and API names are copied. tt_sched_next returns a key name borrowed from
 * the scheduler, valid until that key is removed. */
#ifndef TIERTOP_SCHED_H
#define TIERTOP_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TT_SCHED_HIDDEN_FACTOR 5
#define TT_SCHED_BACKOFF_BASE_MS 2000
#define TT_SCHED_BACKOFF_MAX_MS 120000
/* next_due_ms of a key that will not run until something changes. */
#define TT_SCHED_NEVER INT64_MAX

enum tt_sched_vis {
	TT_SCHED_VISIBLE, /* every interval */
	TT_SCHED_HIDDEN,  /* every TT_SCHED_HIDDEN_FACTOR intervals */
	TT_SCHED_PAUSED,  /* never, not even on tt_sched_due_now */
};

enum tt_sched_result {
	TT_SCHED_OK,
	TT_SCHED_THROTTLED,  /* the service said slow down */
	TT_SCHED_FAILED,     /* any other failure: network, 5xx, denied */
};

struct tt_sched_key_info {
	bool in_flight;
	enum tt_sched_vis vis;
	unsigned failures;      /* in a row; 0 after a success */
	int64_t next_due_ms;    /* when it may run next (budgets aside); TT_SCHED_NEVER
	                         * when paused; when it started while in flight */
	int64_t last_ok_ms;     /* last success, 0 = never */
	long backoff_ms;        /* the wait added by failures, 0 when none */
};

struct tt_sched;

struct tt_sched *tt_sched_new(uint64_t seed);
void tt_sched_free(struct tt_sched **s);

/* A token bucket for an API: per_second tokens a second, at most burst
 * saved (at least 1); it starts full. Keys of an API without a budget are
 * not limited; per_second <= 0 removes the budget. */
void tt_sched_budget(struct tt_sched *s, const char *api, double per_second, double burst);

/* Adds a key (due at once, visible) or, when it exists, updates its API and
 * interval and keeps its state. Intervals are clamped to [1 ms, 30 days]. */
void tt_sched_add(struct tt_sched *s, const char *key, const char *api, long interval_ms, int64_t now);
void tt_sched_remove(struct tt_sched *s, const char *key);
bool tt_sched_has(const struct tt_sched *s, const char *key);
/* The next run is due at the last completion plus the interval of the new
 * visibility (and the back-off), so a key shown again after a long while
 * is due at once. Unknown keys are ignored, here and below. */
void tt_sched_set_visibility(struct tt_sched *s, const char *key, enum tt_sched_vis vis, int64_t now);
void tt_sched_set_interval(struct tt_sched *s, const char *key, long interval_ms);
/* Due at once, whatever the interval and the back-off (the failure count is
 * kept, so another failure waits longer); still subject to the budget, and
 * paused keys stay paused. A key in flight runs again as soon as it is
 * done (what it fetched may predate the reason for asking). It also works
 * under the global pause: `r` while paused refreshes once. key NULL: every
 * key. */
void tt_sched_due_now(struct tt_sched *s, const char *key, int64_t now);
/* Global pause: nothing runs but keys that never succeeded yet (a view
 * opened while paused still gets its first data, a failed first load still
 * retries) and keys made due by tt_sched_due_now.
 * Runs in flight are still reported with tt_sched_done. */
void tt_sched_pause(struct tt_sched *s, bool paused);
bool tt_sched_paused(const struct tt_sched *s);

/* The next key to run now (due, not in flight, its API has a token): it is
 * marked in flight and a token is spent. NULL when none. Call in a loop
 * until NULL: the loop at one `now` costs O(n log n) in all. */
const char *tt_sched_next(struct tt_sched *s, int64_t now);
/* Reports how a run went; schedules the next one (at now + the effective
 * interval, plus the back-off after THROTTLED or FAILED). Ignored unless the
 * key is in flight. */
void tt_sched_done(struct tt_sched *s, const char *key, enum tt_sched_result result, int64_t now);

/* Milliseconds until tt_sched_next could return a key (0 = now), or -1
 * when nothing is waiting (all paused or in flight): only a tt_sched_done
 * or another change can then make a key due. When the earliest due key
 * waits for a token, this is when the token comes. Exact: at now plus this,
 * tt_sched_next returns a key, and one millisecond earlier it would not. */
long tt_sched_next_deadline(const struct tt_sched *s, int64_t now);

/* 0 and *out filled, or -1 for an unknown key. */
int tt_sched_key_info(const struct tt_sched *s, const char *key, struct tt_sched_key_info *out);
/* True when a due key of this API (NULL: any API) waited for a token in
 * the last loop of tt_sched_next calls (those at one `now`). */
bool tt_sched_starved(const struct tt_sched *s, const char *api);
/* Keys waiting out a back-off (not in flight, last run failed), and runs
 * started since tt_sched_new for an API (NULL: all of them). */
size_t tt_sched_backing_off(const struct tt_sched *s);
unsigned long tt_sched_runs(const struct tt_sched *s, const char *api);

/* The budgets tiertop uses against AWS, well inside the default quotas
 * (FilterLogEvents 5/s per account and region, Lambda control plane 15/s,
 * GetMetricData 50/s, DescribeAlarms 9/s...): sets them all on s. The APIs:
 * "logs" 2/s, "lambda" 5/s, "cloudwatch" 5/s, "cloudwatch-alarms" 1/s,
 * "apigateway" 1/s, "dynamodb-control" 5/s, "dynamodb-data" 10/s; the
 * quotas behind each number are in sched.c. */
void tt_sched_default_budgets(struct tt_sched *s);

#endif
