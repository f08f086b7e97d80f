/* CloudWatch on the wire, both ways: awsJson 1.0 (what AWS speaks today) and
 * awsQuery/XML (what older endpoints and emulators speak). aws-wire.md 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cw_internal.h"
#include "tiertop/clock.h"
#include "tiertop/err.h"
#include "tiertop/sigv4.h"
#include "tiertop/xalloc.h"
#include "tiertop/xml.h"

#define CW_VERSION "2010-08-01"

/* --- requests: JSON ------------------------------------------------------ */

/* ReturnData goes only with the queries whose results are not wanted: true
 * is AWS's default, and an emulator that compares it with the query
 * protocol's string "true" drops every series sent a JSON true. */
static json_t *query_json(const struct tt_cw_query *q)
{
	json_t *o = json_pack("{s:s}", "Id", q->id);

	if (q->hidden)
		json_object_set_new(o, "ReturnData", json_false());

	if (q->expression) {
		json_object_set_new(o, "Expression", json_string(q->expression));
		if (q->period)
			json_object_set_new(o, "Period", json_integer(q->period));
	} else {
		json_t *dims = json_array();
		for (size_t i = 0; i < q->ndims; i++)
			json_array_append_new(dims, json_pack("{s:s, s:s}", "Name", q->dims[i].name, "Value",
							      q->dims[i].value));
		json_object_set_new(o, "MetricStat",
				    json_pack("{s:{s:s, s:s, s:o}, s:i, s:s}", "Metric", "Namespace",
					      q->namespace_, "MetricName", q->metric, "Dimensions", dims,
					      "Period", q->period, "Stat", q->stat));
	}
	if (q->label)
		json_object_set_new(o, "Label", json_string(q->label));
	return o;
}

static char *dump(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT);

	json_decref(o);
	return s;
}

char *cw_gmd_json(const struct tt_cw_query *q, size_t n, time_t start, time_t end, const char *token)
{
	json_t *queries = json_array();
	json_t *o;

	for (size_t i = 0; i < n; i++)
		json_array_append_new(queries, query_json(&q[i]));
	o = json_pack("{s:o, s:I, s:I, s:s}", "MetricDataQueries", queries, "StartTime", (json_int_t)start,
		      "EndTime", (json_int_t)end, "ScanBy", "TimestampAscending");
	if (token)
		json_object_set_new(o, "NextToken", json_string(token));
	return dump(o);
}

char *cw_alarms_json(const char *prefix, const char *token)
{
	json_t *o = json_pack("{s:[s,s], s:i}", "AlarmTypes", "MetricAlarm", "CompositeAlarm", "MaxRecords", 100);

	if (prefix)
		json_object_set_new(o, "AlarmNamePrefix", json_string(prefix));
	if (token)
		json_object_set_new(o, "NextToken", json_string(token));
	return dump(o);
}

/* --- requests: query ------------------------------------------------------ */

struct form {
	struct tt_kv *kv;
	char **owned;
	size_t n;
};

static void form_add(struct form *f, char *key, char *value)
{
	f->kv = tt_xrealloc(f->kv, (f->n + 1) * sizeof(*f->kv));
	f->owned = tt_xrealloc(f->owned, (f->n + 1) * 2 * sizeof(*f->owned));
	f->kv[f->n].key = key;
	f->kv[f->n].value = value;
	f->owned[2 * f->n] = key;
	f->owned[2 * f->n + 1] = value;
	f->n++;
}

static char *form_body(struct form *f, const char *action)
{
	char *body = tt_aws_query_body(action, CW_VERSION, f->kv, f->n);

	for (size_t i = 0; i < 2 * f->n; i++)
		free(f->owned[i]);
	free(f->owned);
	free(f->kv);
	return body;
}

static char *iso(time_t t)
{
	char buf[21];

	tt_time_iso8601(t, buf);
	return tt_xstrdup(buf);
}

static void query_form(struct form *f, size_t i, const struct tt_cw_query *q)
{
	char p[64];

	snprintf(p, sizeof(p), "MetricDataQueries.member.%zu.", i + 1);
	form_add(f, tt_xasprintf("%sId", p), tt_xstrdup(q->id));
	if (q->hidden)
		form_add(f, tt_xasprintf("%sReturnData", p), tt_xstrdup("false"));
	if (q->label)
		form_add(f, tt_xasprintf("%sLabel", p), tt_xstrdup(q->label));
	if (q->expression) {
		form_add(f, tt_xasprintf("%sExpression", p), tt_xstrdup(q->expression));
		if (q->period)
			form_add(f, tt_xasprintf("%sPeriod", p), tt_xasprintf("%d", q->period));
		return;
	}
	form_add(f, tt_xasprintf("%sMetricStat.Metric.Namespace", p), tt_xstrdup(q->namespace_));
	form_add(f, tt_xasprintf("%sMetricStat.Metric.MetricName", p), tt_xstrdup(q->metric));
	for (size_t d = 0; d < q->ndims; d++) {
		form_add(f, tt_xasprintf("%sMetricStat.Metric.Dimensions.member.%zu.Name", p, d + 1),
			 tt_xstrdup(q->dims[d].name));
		form_add(f, tt_xasprintf("%sMetricStat.Metric.Dimensions.member.%zu.Value", p, d + 1),
			 tt_xstrdup(q->dims[d].value));
	}
	form_add(f, tt_xasprintf("%sMetricStat.Period", p), tt_xasprintf("%d", q->period));
	form_add(f, tt_xasprintf("%sMetricStat.Stat", p), tt_xstrdup(q->stat));
}

char *cw_gmd_query(const struct tt_cw_query *q, size_t n, time_t start, time_t end, const char *token)
{
	struct form f = {0};

	for (size_t i = 0; i < n; i++)
		query_form(&f, i, &q[i]);
	form_add(&f, tt_xstrdup("StartTime"), iso(start));
	form_add(&f, tt_xstrdup("EndTime"), iso(end));
	form_add(&f, tt_xstrdup("ScanBy"), tt_xstrdup("TimestampAscending"));
	if (token)
		form_add(&f, tt_xstrdup("NextToken"), tt_xstrdup(token));
	return form_body(&f, "GetMetricData");
}

char *cw_alarms_query(const char *prefix, const char *token)
{
	struct form f = {0};

	form_add(&f, tt_xstrdup("AlarmTypes.member.1"), tt_xstrdup("MetricAlarm"));
	form_add(&f, tt_xstrdup("AlarmTypes.member.2"), tt_xstrdup("CompositeAlarm"));
	form_add(&f, tt_xstrdup("MaxRecords"), tt_xstrdup("100"));
	if (prefix)
		form_add(&f, tt_xstrdup("AlarmNamePrefix"), tt_xstrdup(prefix));
	if (token)
		form_add(&f, tt_xstrdup("NextToken"), tt_xstrdup(token));
	return form_body(&f, "DescribeAlarms");
}

/* --- series and lists ------------------------------------------------------ */

void cw_series_push(struct cw_series *s, time_t t, double v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->ts = tt_xrealloc(s->ts, s->cap * sizeof(*s->ts));
		s->v = tt_xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->ts[s->n] = t;
	s->v[s->n] = v;
	s->n++;
}

void cw_series_clear(struct cw_series *s)
{
	free(s->id);
	free(s->label);
	free(s->status);
	free(s->ts);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

void cw_page_clear(struct cw_page *p)
{
	for (size_t i = 0; i < p->n; i++)
		cw_series_clear(&p->series[i]);
	free(p->series);
	free(p->next_token);
	memset(p, 0, sizeof(*p));
}

static char *dup_or_null(const char *s)
{
	return s ? tt_xstrdup(s) : NULL;
}

static void alarm_clear(struct cw_alarm *a)
{
	free(a->name);
	free(a->type);
	free(a->state);
	free(a->reason);
	free(a->namespace_);
	free(a->metric);
	free(a->rule);
	for (size_t i = 0; i < TT_CW_MAX_DIMS; i++) {
		free(a->dim_names[i]);
		free(a->dim_values[i]);
	}
}

void cw_alarm_list_clear(struct cw_alarm_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		alarm_clear(&l->alarms[i]);
	free(l->alarms);
	free(l->next_token);
	memset(l, 0, sizeof(*l));
}

static struct cw_alarm *alarm_add(struct cw_alarm_list *l)
{
	l->alarms = tt_xrealloc(l->alarms, (l->n + 1) * sizeof(*l->alarms));
	memset(&l->alarms[l->n], 0, sizeof(*l->alarms));
	return &l->alarms[l->n++];
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

struct tt_cw_alarm *cw_alarm_views(const struct cw_alarm_list *l)
{
	struct tt_cw_alarm *v = tt_xcalloc(l->n + 1, sizeof(*v));

	for (size_t i = 0; i < l->n; i++) {
		const struct cw_alarm *a = &l->alarms[i];
		v[i] = (struct tt_cw_alarm){or_empty(a->name), or_empty(a->type), or_empty(a->state),
					    or_empty(a->reason), a->namespace_, a->metric, {{0}}, 0, a->rule,
					    a->updated};
		for (size_t d = 0; d < a->ndims; d++) {
			v[i].dims[d].name = or_empty(a->dim_names[d]);
			v[i].dims[d].value = or_empty(a->dim_values[d]);
		}
		v[i].ndims = a->ndims;
	}
	return v;
}

/* --- answers: JSON ------------------------------------------------------------ */

static json_t *load_object(const char *body, size_t len, struct tt_err *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(body, len, 0, &jerr);

	if (!json_is_object(root)) {
		json_decref(root);
		tt_err_set(err, TT_ERR_AWS, "CloudWatch answered with malformed JSON (%s)", jerr.text);
		return NULL;
	}
	return root;
}

/* Epoch seconds; 0 past the year 9999, where the cast would be undefined. */
static time_t jtime(json_t *v)
{
	double d = json_number_value(v);

	return d > -62167219200.0 && d < 253402300800.0 ? (time_t)d : 0;
}

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

int cw_gmd_parse_json(const char *body, size_t len, struct cw_page *out, struct tt_err *err)
{
	json_t *root = load_object(body, len, err), *results, *r;
	size_t i;

	if (!root)
		return -1;
	results = json_object_get(root, "MetricDataResults");
	out->series = tt_xcalloc(json_array_size(results) + 1, sizeof(*out->series));
	json_array_foreach(results, i, r) {
		struct cw_series *s = &out->series[out->n++];
		json_t *ts = json_object_get(r, "Timestamps"), *vs = json_object_get(r, "Values");
		s->id = dup_or_null(jstr(r, "Id"));
		s->label = dup_or_null(jstr(r, "Label"));
		s->status = dup_or_null(jstr(r, "StatusCode"));
		for (size_t k = 0; k < json_array_size(ts) && k < json_array_size(vs); k++)
			cw_series_push(s, jtime(json_array_get(ts, k)),
				       json_number_value(json_array_get(vs, k)));
		if (!s->id)
			s->id = tt_xstrdup("");
	}
	out->next_token = dup_or_null(jstr(root, "NextToken"));
	json_decref(root);
	return 0;
}

static void json_dims(struct cw_alarm *a, json_t *dims)
{
	size_t i;
	json_t *d;

	json_array_foreach(dims, i, d) {
		if (a->ndims == TT_CW_MAX_DIMS)
			break;
		a->dim_names[a->ndims] = dup_or_null(jstr(d, "Name"));
		a->dim_values[a->ndims] = dup_or_null(jstr(d, "Value"));
		a->ndims++;
	}
}

static void json_alarms(struct cw_alarm_list *l, json_t *list, const char *type)
{
	size_t i;
	json_t *o;

	json_array_foreach(list, i, o) {
		struct cw_alarm *a = alarm_add(l);
		a->name = dup_or_null(jstr(o, "AlarmName"));
		a->type = tt_xstrdup(type);
		a->state = dup_or_null(jstr(o, "StateValue"));
		a->reason = dup_or_null(jstr(o, "StateReason"));
		a->namespace_ = dup_or_null(jstr(o, "Namespace"));
		a->metric = dup_or_null(jstr(o, "MetricName"));
		a->rule = dup_or_null(jstr(o, "AlarmRule"));
		a->updated = jtime(json_object_get(o, "StateUpdatedTimestamp"));
		json_dims(a, json_object_get(o, "Dimensions"));
	}
}

int cw_alarms_parse_json(const char *body, size_t len, struct cw_alarm_list *out, struct tt_err *err)
{
	json_t *root = load_object(body, len, err);

	if (!root)
		return -1;
	json_alarms(out, json_object_get(root, "MetricAlarms"), "MetricAlarm");
	json_alarms(out, json_object_get(root, "CompositeAlarms"), "CompositeAlarm");
	free(out->next_token);
	out->next_token = dup_or_null(jstr(root, "NextToken"));
	json_decref(root);
	return 0;
}

/* --- answers: XML ---------------------------------------------------------------- */

/* The flat XML entries arrive in document order: a list member's container
 * comes first, then its fields, so a running "current item" suffices. */
/* An element that comes twice replaces the first: the last one counts. */
static void set_text(char **dst, const char *t)
{
	free(*dst);
	*dst = tt_xstrdup(t);
}

static bool ends_with_path(const char *path, const char *suffix)
{
	size_t n = strlen(path), m = strlen(suffix);

	return n >= m && strcmp(path + n - m, suffix) == 0 && (n == m || path[n - m - 1] == '/');
}

static int xml_load(const char *body, size_t len, struct tt_xml_flat *x, struct tt_err *err)
{
	if (tt_xml_flat_parse(body, len, x, err) == 0)
		return 0;
	tt_err_prefix(err, "CloudWatch answered with malformed XML");
	return -1;
}

int cw_gmd_parse_xml(const char *body, size_t len, struct cw_page *out, struct tt_err *err)
{
	struct tt_xml_flat x;
	struct cw_series *s = NULL;
	size_t vi = 0; /* Values come after Timestamps, in the same order */

	if (xml_load(body, len, &x, err))
		return -1;
	out->series = tt_xcalloc(x.n + 1, sizeof(*out->series));
	for (size_t i = 0; i < x.n; i++) {
		const char *p = x.entries[i].path, *t = x.entries[i].text;
		if (ends_with_path(p, "MetricDataResults/member")) {
			s = &out->series[out->n++];
			s->id = tt_xstrdup("");
			vi = 0;
		} else if (s && ends_with_path(p, "MetricDataResults/member/Id")) {
			free(s->id);
			s->id = tt_xstrdup(t);
		} else if (s && ends_with_path(p, "MetricDataResults/member/Label")) {
			set_text(&s->label, t);
		} else if (s && ends_with_path(p, "MetricDataResults/member/StatusCode")) {
			set_text(&s->status, t);
		} else if (s && ends_with_path(p, "MetricDataResults/member/Timestamps/member")) {
			time_t ts = 0;
			tt_time_parse_iso8601(t, &ts);
			cw_series_push(s, ts, 0);
		} else if (s && ends_with_path(p, "MetricDataResults/member/Values/member") && vi < s->n) {
			s->v[vi++] = strtod(t, NULL);
		} else if (ends_with_path(p, "GetMetricDataResult/NextToken") && *t) {
			set_text(&out->next_token, t);
		}
	}
	tt_xml_flat_clear(&x);
	return 0;
}

static void xml_alarm_field(struct cw_alarm *a, const char *field, const char *t)
{
	if (strcmp(field, "AlarmName") == 0)
		set_text(&a->name, t);
	else if (strcmp(field, "StateValue") == 0)
		set_text(&a->state, t);
	else if (strcmp(field, "StateReason") == 0)
		set_text(&a->reason, t);
	else if (strcmp(field, "Namespace") == 0)
		set_text(&a->namespace_, t);
	else if (strcmp(field, "MetricName") == 0)
		set_text(&a->metric, t);
	else if (strcmp(field, "AlarmRule") == 0)
		set_text(&a->rule, t);
	else if (strcmp(field, "StateUpdatedTimestamp") == 0)
		tt_time_parse_iso8601(t, &a->updated);
	else if (strcmp(field, "Dimensions/member/Name") == 0 && a->ndims < TT_CW_MAX_DIMS)
		set_text(&a->dim_names[a->ndims], t);
	else if (strcmp(field, "Dimensions/member/Value") == 0 && a->ndims < TT_CW_MAX_DIMS)
		a->dim_values[a->ndims++] = tt_xstrdup(t);
}

int cw_alarms_parse_xml(const char *body, size_t len, struct cw_alarm_list *out, struct tt_err *err)
{
	static const char *const kinds[] = {"MetricAlarms/member", "CompositeAlarms/member"};
	static const char *const types[] = {"MetricAlarm", "CompositeAlarm"};
	struct tt_xml_flat x;
	struct cw_alarm *a = NULL;
	int kind = -1;

	if (xml_load(body, len, &x, err))
		return -1;
	free(out->next_token);
	out->next_token = NULL;
	for (size_t i = 0; i < x.n; i++) {
		const char *p = x.entries[i].path, *t = x.entries[i].text, *at;
		for (int k = 0; k < 2; k++) {
			if (ends_with_path(p, kinds[k])) {
				a = alarm_add(out);
				a->type = tt_xstrdup(types[k]);
				kind = k;
			}
		}
		if (a && kind >= 0 && (at = strstr(p, kinds[kind])) && at[strlen(kinds[kind])] == '/')
			xml_alarm_field(a, at + strlen(kinds[kind]) + 1, t);
		if (ends_with_path(p, "DescribeAlarmsResult/NextToken") && *t)
			set_text(&out->next_token, t);
	}
	tt_xml_flat_clear(&x);
	return 0;
}
