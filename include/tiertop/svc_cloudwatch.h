/* Amazon CloudWatch: GetMetricData and DescribeAlarms.
 *
 * Speaks awsJson 1.0 as AWS does today and falls back to the awsQuery/XML
 * protocol when an endpoint does not understand JSON (LocalStack, moto,
 * older endpoints); the choice is remembered per endpoint URL for the rest
 * of the run. The first JSON call to an endpoint the user set (not the
 * default AWS host) is tried once: emulators may answer JSON with a 500 and
 * an HTML page, which switches to the query protocol at once; a failure worth
 * retrying is sent again with the usual retries. A try that only found out
 * the protocol is not counted in calls or metrics requested.
 *
 * Ownership: queries are borrowed for the duration of the call (copied
 * before it returns). Results passed to callbacks are borrowed for the
 * callback's duration. */
#ifndef TIERTOP_SVC_CLOUDWATCH_H
#define TIERTOP_SVC_CLOUDWATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "tiertop/aws.h"

#define TT_CW_MAX_DIMS 4
/* GetMetricData takes at most this many queries per call. */
#define TT_CW_MAX_QUERIES 500

struct tt_cw_dimension {
	const char *name;
	const char *value;
};

struct tt_cw_query {
	const char *id;           /* ^[a-z][a-zA-Z0-9_]*$ */
	const char *namespace_;   /* with metric: a MetricStat query */
	const char *metric;
	struct tt_cw_dimension dims[TT_CW_MAX_DIMS];
	size_t ndims;
	int period;               /* seconds, a multiple of 60 */
	const char *stat;         /* Sum, Average, Maximum, p99, ... */
	const char *expression;   /* or a metric-math expression */
	const char *label;        /* optional */
	bool hidden;              /* ReturnData false (inputs of expressions) */
};

struct tt_cw_series {
	const char *id;
	const char *label;
	const char *status;       /* Complete, PartialData, InternalError, Forbidden */
	size_t n;
	const time_t *timestamps; /* ascending */
	const double *values;
};

struct tt_cw_data {
	const struct tt_cw_series *series;
	size_t n;
	int calls;                /* GetMetricData requests it took */
	bool used_query_protocol;
};

typedef void (*tt_cw_data_fn)(void *ctx, const struct tt_cw_data *data, const struct tt_err *err);

/* Any number of queries: split into calls of 500, NextToken followed, the
 * pieces merged per id and sorted by time. */
int tt_cw_get_metric_data(const struct tt_aws *aws, const struct tt_cw_query *queries, size_t n,
			  time_t start, time_t end, tt_cw_data_fn done, void *ctx, struct tt_err *err);

struct tt_cw_alarm {
	const char *name;
	const char *type;         /* MetricAlarm or CompositeAlarm */
	const char *state;        /* OK, ALARM, INSUFFICIENT_DATA */
	const char *reason;
	const char *namespace_;   /* metric alarms */
	const char *metric;
	struct tt_cw_dimension dims[TT_CW_MAX_DIMS];
	size_t ndims;
	const char *rule;         /* composite alarms: AlarmRule */
	time_t updated;
};

struct tt_cw_alarms {
	const struct tt_cw_alarm *alarms;
	size_t n;
};

typedef void (*tt_cw_alarms_fn)(void *ctx, const struct tt_cw_alarms *alarms, const struct tt_err *err);

/* Metric and composite alarms (both types are asked for; without that AWS
 * returns only metric alarms), all pages; prefix may be NULL. */
int tt_cw_describe_alarms(const struct tt_aws *aws, const char *prefix, tt_cw_alarms_fn done, void *ctx,
			  struct tt_err *err);

/* CloudWatch keeps 60 s data for 15 days, 300 s data for 63 days and
 * 3600 s data for 455 days, and refuses a period that is not a multiple of
 * what is kept for the query's start: the smallest period >= period that
 * suits data starting at start (now is the current time as AWS sees it).
 * tt_cw_get_metric_data applies it to every query. */
int tt_cw_period_for(time_t start, time_t now, int period);

#endif
