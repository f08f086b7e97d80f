/* Private to the CloudWatch client: wire encoding and decoding for both
 * protocols (cw_wire.c) and the call logic (svc_cloudwatch.c). */
#ifndef TIERTOP_CW_INTERNAL_H
#define TIERTOP_CW_INTERNAL_H

#include "tiertop/buf.h"
#include "tiertop/svc_cloudwatch.h"

/* One series being assembled from pages; owns its strings and arrays. */
struct cw_series {
	char *id;
	char *label;
	char *status;
	size_t n, cap;
	time_t *ts;
	double *v;
};

struct cw_page {
	struct cw_series *series;
	size_t n;
	char *next_token;
};

/* An alarm as parsed; owns its strings (callers see struct tt_cw_alarm
 * views of it). */
struct cw_alarm {
	char *name, *type, *state, *reason, *namespace_, *metric, *rule;
	char *dim_names[TT_CW_MAX_DIMS], *dim_values[TT_CW_MAX_DIMS];
	size_t ndims;
	time_t updated;
};

struct cw_alarm_list {
	struct cw_alarm *alarms;
	size_t n;
	char *next_token;
};

/* Views for callers; valid while l lives. Caller frees the array. */
struct tt_cw_alarm *cw_alarm_views(const struct cw_alarm_list *l);

/* Request bodies. The caller frees the result. */
char *cw_gmd_json(const struct tt_cw_query *q, size_t n, time_t start, time_t end, const char *token);
char *cw_gmd_query(const struct tt_cw_query *q, size_t n, time_t start, time_t end, const char *token);
char *cw_alarms_json(const char *prefix, const char *token);
char *cw_alarms_query(const char *prefix, const char *token);

/* Answers; pages and lists must be zeroed first. */
int cw_gmd_parse_json(const char *body, size_t len, struct cw_page *out, struct tt_err *err);
int cw_gmd_parse_xml(const char *body, size_t len, struct cw_page *out, struct tt_err *err);
int cw_alarms_parse_json(const char *body, size_t len, struct cw_alarm_list *out, struct tt_err *err);
int cw_alarms_parse_xml(const char *body, size_t len, struct cw_alarm_list *out, struct tt_err *err);

void cw_series_push(struct cw_series *s, time_t t, double v);
void cw_series_clear(struct cw_series *s);
void cw_page_clear(struct cw_page *p);
void cw_alarm_list_clear(struct cw_alarm_list *l);

#endif
