/* The application snapshot: discovery, metrics and alarms as three parts
 * that refresh and fail on their own (see snapshot.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiertop/retry.h"
#include "tiertop/snapshot.h"
#include "tiertop/str.h"
#include "tiertop/xalloc.h"

/* A call in flight. It outlives a freed snapshot: the answer then finds
 * snap == NULL and is dropped, which is what makes the model cancellable
 * without the engine's help. */
struct call {
	struct tt_snapshot *snap;
	enum tt_snap_part part;
	/* metrics: which row and metric each query id stands for */
	size_t nq;
	size_t *q_row;
	size_t *q_metric;
	struct call *next;
};

struct tt_snapshot {
	struct tt_select *sel; /* values point into sel_values */
	char **sel_values;
	size_t nsel;
	long range_s, period_s;
	struct tt_snapshot_io io;
	struct tt_snapshot_sink sink;
	void *ctx;
	struct tt_stack *stack;
	struct tt_snap_row *rows;
	size_t nrows;
	struct tt_snap_alarm *alarms;
	size_t nalarms;
	struct tt_snap_state state[TT_SNAP_NPARTS];
	struct tt_snapshot_stats stats;
	struct call *calls; /* in flight, for cancellation */
	int64_t now_ms;     /* of the start of the call being answered */
};

/* --- calls in flight ---------------------------------------------------------- */

static struct call *call_new(struct tt_snapshot *s, enum tt_snap_part part)
{
	struct call *c = tt_xcalloc(1, sizeof(*c));

	c->snap = s;
	c->part = part;
	c->next = s->calls;
	s->calls = c;
	return c;
}

static void call_unlink(struct call *c)
{
	struct tt_snapshot *s = c->snap;

	for (struct call **p = s ? &s->calls : NULL; p && *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			break;
		}
}

static void call_free(struct call *c)
{
	free(c->q_row);
	free(c->q_metric);
	free(c);
}

/* --- rows -------------------------------------------------------------------- */

static void row_clear_series(struct tt_snap_row *r)
{
	for (size_t k = 0; k < r->nseries; k++) {
		free(r->series[k].values);
		free(r->series[k].timestamps);
		free(r->series[k].status);
		r->series[k] = (struct tt_snap_series){.summary = NAN};
	}
}

static void row_clear(struct tt_snap_row *r)
{
	row_clear_series(r);
	free(r->series);
	free(r->name);
	free(r->stage);
	free(r->dim_value);
	free(r->alarm_names);
}

static void rows_free(struct tt_snap_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		row_clear(&rows[i]);
	free(rows);
}

static void add_row(struct tt_snapshot *s, enum tt_resource_kind kind, const char *name, const char *stage,
		    const char *dim_value, size_t index)
{
	const struct tt_metric_set *set = tt_catalog_for(kind);
	struct tt_snap_row *r;

	s->rows = tt_xrealloc(s->rows, (s->nrows + 1) * sizeof(*s->rows));
	r = &s->rows[s->nrows++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->name = tt_xstrdup(name);
	r->stage = stage ? tt_xstrdup(stage) : NULL;
	r->dim_value = dim_value ? tt_xstrdup(dim_value) : NULL;
	r->index = index;
	r->visible = true;
	r->nseries = set->n;
	r->series = tt_xcalloc(set->n, sizeof(*r->series));
	for (size_t k = 0; k < set->n; k++)
		r->series[k].summary = NAN;
}

static void build_rows(struct tt_snapshot *s)
{
	const struct tt_stack *st = s->stack;

	for (size_t i = 0; i < st->napis; i++) {
		const struct tt_stack_api *a = &st->apis[i];
		enum tt_resource_kind kind = a->websocket ? TT_RES_WS_API : a->http ? TT_RES_HTTP_API : TT_RES_REST_API;
		/* REST APIs publish under their name, less its non-ASCII
		 * characters; HTTP and WebSocket APIs under their id. */
		char *dim = a->http ? tt_xstrdup(a->id) : tt_catalog_api_metric_name(a->name, a->id);
		for (size_t k = 0; k < a->nstages; k++)
			add_row(s, kind, a->name, a->stages[k], dim, i);
		free(dim);
		/* No stage, no metrics: the row stays to carry its problem. */
		if (!a->nstages)
			add_row(s, kind, a->name, NULL, NULL, i);
	}
	for (size_t i = 0; i < st->nfunctions; i++)
		add_row(s, TT_RES_FUNCTION, st->functions[i].name, NULL, st->functions[i].name, i);
	for (size_t i = 0; i < st->ntables; i++)
		add_row(s, TT_RES_TABLE, st->tables[i].name, NULL, st->tables[i].name, i);
}

static bool is_resource(const struct tt_snap_row *r, enum tt_resource_kind kind, const char *name, const char *stage)
{
	return r->kind == kind && strcmp(r->name, name) == 0 &&
	       (r->stage ? stage && strcmp(r->stage, stage) == 0 : !stage);
}

static bool same_resource(const struct tt_snap_row *a, const struct tt_snap_row *b)
{
	return is_resource(a, b->kind, b->name, b->stage);
}

/* A rediscovery keeps what was known of the resources that are still there,
 * so the screen does not blank out for a refresh. */
static void carry_over(struct tt_snap_row *rows, size_t n, struct tt_snap_row *old, size_t nold)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < nold; j++) {
			if (!same_resource(&rows[i], &old[j]) || rows[i].nseries != old[j].nseries)
				continue;
			struct tt_snap_series *tmp = rows[i].series;
			rows[i].series = old[j].series;
			old[j].series = tmp;
			rows[i].visible = old[j].visible;
			rows[i].alarm = old[j].alarm;
			rows[i].alarm_since = old[j].alarm_since;
			rows[i].alarm_names = old[j].alarm_names;
			old[j].alarm_names = NULL;
			break;
		}
}

/* --- part state ------------------------------------------------------------------ */

static void part_ok(struct tt_snapshot *s, enum tt_snap_part part)
{
	struct tt_snap_state *st = &s->state[part];

	st->busy = false;
	st->ever_ok = true;
	st->failed = false;
	st->throttled = false;
	st->last_ok_ms = st->last_try_ms;
	tt_err_clear(&st->err);
}

static void part_failed(struct tt_snapshot *s, enum tt_snap_part part, const struct tt_err *err)
{
	struct tt_snap_state *st = &s->state[part];

	st->busy = false;
	st->failed = true;
	st->err = *err;
	st->throttled = tt_retry_is_throttle_code(err->code) || err->http_status == 429;
}

static void notify(struct tt_snapshot *s, enum tt_snap_part part)
{
	if (s->sink.changed)
		s->sink.changed(s->ctx, part);
}

/* --- discovery -------------------------------------------------------------------- */

static void on_stack(void *ctx, struct tt_stack *stack, const struct tt_err *err)
{
	struct call *c = ctx;
	struct tt_snapshot *s = c->snap;

	call_unlink(c);
	call_free(c);
	if (!s) {
		tt_stack_free(&stack);
		return;
	}
	if (err) {
		part_failed(s, TT_SNAP_DISCOVERY, err);
	} else {
		struct tt_snap_row *old = s->rows;
		size_t nold = s->nrows;
		tt_stack_free(&s->stack);
		s->stack = stack;
		s->rows = NULL;
		s->nrows = 0;
		build_rows(s);
		carry_over(s->rows, s->nrows, old, nold);
		rows_free(old, nold);
		s->stats.discoveries++;
		part_ok(s, TT_SNAP_DISCOVERY);
	}
	notify(s, TT_SNAP_DISCOVERY);
}

static int start_discovery(struct tt_snapshot *s, struct tt_err *err)
{
	struct call *c = call_new(s, TT_SNAP_DISCOVERY);

	if (s->io.discover(s->io.io, s->sel, s->nsel, on_stack, c, err) == 0)
		return 0;
	call_unlink(c);
	call_free(c);
	return -1;
}

/* --- metrics ------------------------------------------------------------------------ */

static double summarize(const double *values, size_t n, const char *stat)
{
	double total = 0, last = NAN;

	for (size_t i = 0; i < n; i++) {
		total += values[i];
		last = values[i];
	}
	/* Counts add up over the range (no points: nothing happened, CloudWatch
	 * stores no zeros); latencies and levels are read now. */
	return strcmp(stat, "Sum") == 0 ? total : last;
}

/* "q123" -> 123 when it is one of this call's ids. */
static bool query_index(const struct call *c, const char *id, size_t *out)
{
	char *end;
	unsigned long v;

	if (!id || id[0] != 'q' || id[1] < '0' || id[1] > '9')
		return false;
	v = strtoul(id + 1, &end, 10);
	if (*end || v >= c->nq)
		return false;
	*out = v;
	return true;
}

static void store_series(struct tt_snapshot *s, const struct call *c, const struct tt_cw_series *series)
{
	size_t q, n = series->n < TT_CW_MAX_POINTS ? series->n : TT_CW_MAX_POINTS;
	struct tt_snap_row *r;
	struct tt_snap_series *dst;
	const struct tt_metric_def *def;

	if (!query_index(c, series->id, &q) || c->q_row[q] >= s->nrows)
		return;
	r = &s->rows[c->q_row[q]];
	if (c->q_metric[q] >= r->nseries)
		return;
	def = &tt_catalog_for(r->kind)->defs[c->q_metric[q]];
	dst = &r->series[c->q_metric[q]];
	free(dst->values);
	free(dst->timestamps);
	free(dst->status);
	/* Keep the newest points when AWS sent more than the cap. */
	dst->values = tt_xcalloc(n + 1, sizeof(double));
	/* An empty series may come with no arrays at all. */
	if (n)
		memcpy(dst->values, series->values + (series->n - n), n * sizeof(double));
	dst->timestamps = tt_xcalloc(n + 1, sizeof(time_t));
	if (n && series->timestamps)
		memcpy(dst->timestamps, series->timestamps + (series->n - n), n * sizeof(time_t));
	dst->status = tt_xstrdup(series->status ? series->status : "");
	dst->n = n;
	dst->present = true;
	dst->summary = summarize(dst->values, n, def->stat);
}

static void on_metrics(void *ctx, const struct tt_cw_data *data, const struct tt_err *err)
{
	struct call *c = ctx;
	struct tt_snapshot *s = c->snap;

	call_unlink(c);
	if (!s) {
		call_free(c);
		return;
	}
	if (err) {
		part_failed(s, c->part, err);
	} else {
		for (size_t k = 0; k < data->n; k++)
			store_series(s, c, &data->series[k]);
		s->stats.metric_calls += (unsigned long)data->calls;
		s->stats.metrics_requested += c->nq;
		part_ok(s, c->part);
	}
	notify(s, c->part);
	call_free(c);
}

static size_t count_queries(const struct tt_snapshot *s, bool visible)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nrows; i++)
		if (s->rows[i].dim_value && s->rows[i].visible == visible)
			n += s->rows[i].nseries;
	return n;
}

/* 1 when there is nothing to ask for. */
static int start_metrics(struct tt_snapshot *s, enum tt_snap_part part, int64_t now_ms, struct tt_err *err)
{
	bool visible = part == TT_SNAP_METRICS;
	size_t max = count_queries(s, visible), n = 0;
	struct tt_cw_query *q;
	char(*ids)[32];
	struct call *c;
	time_t end;
	int rc;

	if (!max)
		return 1;
	q = tt_xcalloc(max, sizeof(*q));
	ids = tt_xcalloc(max, sizeof(*ids));
	c = call_new(s, part);
	c->q_row = tt_xcalloc(max, sizeof(size_t));
	c->q_metric = tt_xcalloc(max, sizeof(size_t));
	for (size_t i = 0; i < s->nrows; i++) {
		const struct tt_snap_row *r = &s->rows[i];
		size_t got;
		if (!r->dim_value || r->visible != visible)
			continue;
		got = tt_catalog_queries(r->kind, r->dim_value, r->stage, (int)s->period_s, "m", ids + n, q + n,
					 max - n);
		for (size_t k = 0; k < got; k++) {
			snprintf(ids[n + k], sizeof(ids[0]), "q%zu", n + k);
			c->q_row[n + k] = i;
			c->q_metric[n + k] = k;
		}
		n += got;
	}
	c->nq = n;
	/* Whole periods only, so every refresh asks for the same buckets. */
	end = (time_t)(now_ms / 1000) / s->period_s * s->period_s;
	rc = s->io.metrics(s->io.io, q, n, end - s->range_s, end, on_metrics, c, err);
	if (rc) {
		call_unlink(c);
		call_free(c);
	}
	free(q);
	free(ids);
	return rc;
}

/* --- alarms --------------------------------------------------------------------------- */

static enum tt_alarm_level alarm_level(const char *state)
{
	if (!state)
		return TT_ALARM_NONE;
	if (strcmp(state, "ALARM") == 0)
		return TT_ALARM_ALARM;
	if (strcmp(state, "INSUFFICIENT_DATA") == 0)
		return TT_ALARM_INSUFFICIENT;
	return TT_ALARM_OK;
}

static bool alarm_watches(const struct tt_cw_alarm *a, const struct tt_snap_row *r)
{
	for (size_t d = 0; r->dim_value && d < a->ndims; d++)
		if (a->dims[d].value && strcmp(a->dims[d].value, r->dim_value) == 0)
			return true;
	return false;
}

static void row_add_alarm(struct tt_snap_row *r, const struct tt_cw_alarm *a)
{
	enum tt_alarm_level level = alarm_level(a->state);
	char *names;

	if (level > r->alarm) {
		r->alarm = level;
		r->alarm_since = a->updated;
	}
	names = tt_xasprintf("%s%s%s", r->alarm_names ? r->alarm_names : "", r->alarm_names ? "," : "", a->name);
	free(r->alarm_names);
	r->alarm_names = names;
}

static void alarms_clear(struct tt_snapshot *s)
{
	for (size_t i = 0; i < s->nalarms; i++) {
		free(s->alarms[i].name);
		free(s->alarms[i].state);
		free(s->alarms[i].reason);
	}
	free(s->alarms);
	s->alarms = NULL;
	s->nalarms = 0;
	for (size_t r = 0; r < s->nrows; r++) {
		s->rows[r].alarm = TT_ALARM_NONE;
		s->rows[r].alarm_since = 0;
		free(s->rows[r].alarm_names);
		s->rows[r].alarm_names = NULL;
	}
}

static void keep_firing(struct tt_snapshot *s, const struct tt_cw_alarm *a)
{
	struct tt_snap_alarm *dst;

	if (alarm_level(a->state) != TT_ALARM_ALARM)
		return;
	s->alarms = tt_xrealloc(s->alarms, (s->nalarms + 1) * sizeof(*s->alarms));
	dst = &s->alarms[s->nalarms++];
	dst->name = tt_xstrdup(a->name ? a->name : "");
	dst->state = tt_xstrdup(a->state);
	dst->reason = tt_xstrdup(a->reason ? a->reason : "");
	dst->since = a->updated;
}

static int older_first(const void *a, const void *b)
{
	const struct tt_snap_alarm *x = a, *y = b;

	return (x->since > y->since) - (x->since < y->since);
}

static void on_alarms(void *ctx, const struct tt_cw_alarms *alarms, const struct tt_err *err)
{
	struct call *c = ctx;
	struct tt_snapshot *s = c->snap;

	call_unlink(c);
	call_free(c);
	if (!s)
		return;
	if (err) {
		part_failed(s, TT_SNAP_ALARMS, err);
	} else {
		alarms_clear(s);
		for (size_t i = 0; i < alarms->n; i++) {
			keep_firing(s, &alarms->alarms[i]);
			for (size_t r = 0; r < s->nrows; r++)
				if (alarm_watches(&alarms->alarms[i], &s->rows[r]))
					row_add_alarm(&s->rows[r], &alarms->alarms[i]);
		}
		/* The alarm that has been firing longest is the likely cause. */
		if (s->nalarms > 1)
			qsort(s->alarms, s->nalarms, sizeof(*s->alarms), older_first);
		s->stats.alarm_calls++;
		part_ok(s, TT_SNAP_ALARMS);
	}
	notify(s, TT_SNAP_ALARMS);
}

static int start_alarms(struct tt_snapshot *s, struct tt_err *err)
{
	struct call *c = call_new(s, TT_SNAP_ALARMS);

	if (s->io.alarms(s->io.io, on_alarms, c, err) == 0)
		return 0;
	call_unlink(c);
	call_free(c);
	return -1;
}

/* --- the API ----------------------------------------------------------------------------- */

struct tt_snapshot *tt_snapshot_new(const struct tt_select *sel, size_t nsel, long range_s, long period_s,
				    const struct tt_snapshot_io *io, const struct tt_snapshot_sink *sink, void *ctx)
{
	struct tt_snapshot *s = tt_xcalloc(1, sizeof(*s));

	s->sel = tt_xcalloc(nsel + 1, sizeof(*s->sel));
	s->sel_values = tt_xcalloc(nsel + 1, sizeof(char *));
	for (size_t i = 0; i < nsel; i++) {
		s->sel_values[i] = tt_xstrdup(sel[i].value);
		s->sel[i].kind = sel[i].kind;
		s->sel[i].value = s->sel_values[i];
	}
	s->nsel = nsel;
	s->io = *io;
	if (sink)
		s->sink = *sink;
	s->ctx = ctx;
	tt_snapshot_set_range(s, range_s, period_s);
	return s;
}

void tt_snapshot_free(struct tt_snapshot **sp)
{
	struct tt_snapshot *s = *sp;

	if (!s)
		return;
	/* Answers still on their way find no snapshot and free themselves. */
	for (struct call *c = s->calls; c; c = c->next)
		c->snap = NULL;
	for (size_t i = 0; i < s->nsel; i++)
		free(s->sel_values[i]);
	free(s->sel_values);
	free(s->sel);
	alarms_clear(s);
	rows_free(s->rows, s->nrows);
	tt_stack_free(&s->stack);
	free(s);
	*sp = NULL;
}

int tt_snapshot_start(struct tt_snapshot *s, enum tt_snap_part part, int64_t now_ms)
{
	struct tt_snap_state *st = &s->state[part];
	struct tt_err err;
	int rc;

	if (st->busy || (part != TT_SNAP_DISCOVERY && !s->stack))
		return 1;
	tt_err_clear(&err);
	st->last_try_ms = now_ms;
	st->busy = true;
	switch (part) {
	case TT_SNAP_DISCOVERY:
		rc = start_discovery(s, &err);
		break;
	case TT_SNAP_METRICS:
	case TT_SNAP_METRICS_HIDDEN:
		rc = start_metrics(s, part, now_ms, &err);
		break;
	case TT_SNAP_ALARMS:
		rc = start_alarms(s, &err);
		break;
	default:
		rc = 1;
		break;
	}
	if (rc == 1)
		st->busy = false;
	else if (rc < 0)
		part_failed(s, part, &err);
	return rc;
}

long tt_snapshot_period_for_range(long range_s)
{
	static const long periods[] = {60, 300, 900, 3600, 21600, 86400};

	for (size_t i = 0; i < sizeof(periods) / sizeof(periods[0]); i++)
		if (range_s / periods[i] <= TT_CW_MAX_POINTS)
			return periods[i];
	return 0;
}

int tt_snapshot_set_range(struct tt_snapshot *s, long range_s, long period_s)
{
	if (period_s <= 0 || range_s <= 0 || range_s / period_s > TT_CW_MAX_POINTS)
		return -1;
	s->range_s = range_s;
	s->period_s = period_s;
	for (size_t i = 0; i < s->nrows; i++)
		row_clear_series(&s->rows[i]);
	return 0;
}

void tt_snapshot_set_visible(struct tt_snapshot *s, size_t row, bool visible)
{
	if (row < s->nrows)
		s->rows[row].visible = visible;
}

const struct tt_snap_state *tt_snapshot_state(const struct tt_snapshot *s, enum tt_snap_part part)
{
	return &s->state[part];
}

const struct tt_stack *tt_snapshot_stack(const struct tt_snapshot *s)
{
	return s->stack;
}

size_t tt_snapshot_nrows(const struct tt_snapshot *s)
{
	return s->nrows;
}

const struct tt_snap_row *tt_snapshot_row(const struct tt_snapshot *s, size_t i)
{
	return i < s->nrows ? &s->rows[i] : NULL;
}

long tt_snapshot_find(const struct tt_snapshot *s, enum tt_resource_kind kind, const char *name, const char *stage)
{
	for (size_t i = 0; i < s->nrows; i++)
		if (is_resource(&s->rows[i], kind, name, stage))
			return (long)i;
	return -1;
}

const struct tt_snap_series *tt_snapshot_series(const struct tt_snap_row *r, const char *key)
{
	const struct tt_metric_set *set = tt_catalog_for(r->kind);

	for (size_t k = 0; set && k < set->n && k < r->nseries; k++)
		if (strcmp(set->defs[k].key, key) == 0)
			return &r->series[k];
	return NULL;
}

const struct tt_snap_alarm *tt_snapshot_alarms(const struct tt_snapshot *s, size_t *n)
{
	*n = s->nalarms;
	return s->alarms;
}

const struct tt_snapshot_stats *tt_snapshot_stats(const struct tt_snapshot *s)
{
	return &s->stats;
}

long tt_snapshot_range(const struct tt_snapshot *s)
{
	return s->range_s;
}

long tt_snapshot_period(const struct tt_snapshot *s)
{
	return s->period_s;
}

bool tt_snapshot_busy(const struct tt_snapshot *s)
{
	return s->calls != NULL;
}

/* --- the real io -------------------------------------------------------------------------- */

static int aws_discover(void *io, const struct tt_select *sel, size_t n, tt_stack_fn done, void *ctx,
			struct tt_err *err)
{
	return tt_stack_discover(io, sel, n, done, ctx, err);
}

static int aws_metrics(void *io, const struct tt_cw_query *q, size_t n, time_t start, time_t end, tt_cw_data_fn done,
		       void *ctx, struct tt_err *err)
{
	return tt_cw_get_metric_data(io, q, n, start, end, done, ctx, err);
}

static int aws_alarms(void *io, tt_cw_alarms_fn done, void *ctx, struct tt_err *err)
{
	return tt_cw_describe_alarms(io, NULL, done, ctx, err);
}

void tt_snapshot_io_aws(struct tt_snapshot_io *io, struct tt_aws *aws)
{
	io->discover = aws_discover;
	io->metrics = aws_metrics;
	io->alarms = aws_alarms;
	io->io = aws;
}
