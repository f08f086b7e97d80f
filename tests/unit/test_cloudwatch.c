/* CloudWatch on the wire (both protocols), the metric catalog, sparklines
 * and durations, against hand-written requests and answers. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../../src/aws/cw_internal.h"
#include "tap.h"
#include "tiertop/catalog.h"
#include "tiertop/clock.h"
#include "tiertop/err.h"
#include "tiertop/spark.h"

static const struct tt_cw_query errors_q = {
	"m1", "AWS/Lambda", "Errors", {{"FunctionName", "my-fn"}}, 1, 300, "Sum", NULL, NULL, false};
static const struct tt_cw_query ratio_q = {"e1", NULL, NULL, {{0}}, 0, 0, NULL, "m1/m2*100", "ratio", false};
static const struct tt_cw_query hidden_q = {
	"h1", "AWS/Lambda", "Invocations", {{"FunctionName", "my-fn"}}, 1, 60, "Sum", NULL, NULL, true};

static void request_json(void)
{
	char *body = cw_gmd_json(&errors_q, 1, 1767225600, 1767229200, "tok");
	json_t *o = json_loads(body, 0, NULL), *q = json_array_get(json_object_get(o, "MetricDataQueries"), 0);
	json_t *ms = json_object_get(q, "MetricStat");

	tap_ok(json_integer_value(json_object_get(o, "StartTime")) == 1767225600, "JSON StartTime in epoch seconds");
	tap_ok(strcmp(json_string_value(json_object_get(o, "ScanBy")), "TimestampAscending") == 0, "JSON asks ascending");
	tap_ok(strcmp(json_string_value(json_object_get(o, "NextToken")), "tok") == 0, "JSON NextToken");
	tap_ok(json_integer_value(json_object_get(ms, "Period")) == 300 &&
	       strcmp(json_string_value(json_object_get(ms, "Stat")), "Sum") == 0, "JSON MetricStat period/stat");
	tap_ok(strcmp(json_string_value(json_object_get(json_array_get(json_object_get(json_object_get(ms, "Metric"), "Dimensions"), 0), "Value")), "my-fn") == 0,
	       "JSON dimension value");
	tap_ok(!json_object_get(q, "ReturnData"), "JSON ReturnData left to its default (true)");
	json_decref(o);
	free(body);
	body = cw_gmd_json(&ratio_q, 1, 0, 60, NULL);
	o = json_loads(body, 0, NULL);
	q = json_array_get(json_object_get(o, "MetricDataQueries"), 0);
	tap_ok(strcmp(json_string_value(json_object_get(q, "Expression")), "m1/m2*100") == 0 &&
	       !json_object_get(q, "MetricStat") && !json_object_get(o, "NextToken"), "JSON expression query");
	json_decref(o);
	free(body);
	body = cw_gmd_json(&hidden_q, 1, 0, 60, NULL);
	o = json_loads(body, 0, NULL);
	q = json_array_get(json_object_get(o, "MetricDataQueries"), 0);
	tap_ok(json_is_false(json_object_get(q, "ReturnData")), "JSON ReturnData false for a hidden query");
	json_decref(o);
	free(body);
}

static void request_query(void)
{
	char *body = cw_gmd_query(&errors_q, 1, 1767225600, 1767229200, NULL);

	tap_ok(strstr(body, "Action=GetMetricData&Version=2010-08-01") == body, "query: action and version first");
	tap_ok(strstr(body, "&MetricDataQueries.member.1.MetricStat.Metric.Namespace=AWS%2FLambda") != NULL,
	       "query: namespace encoded");
	tap_ok(strstr(body, "&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value=my-fn") != NULL,
	       "query: dimension member");
	tap_ok(strstr(body, "&StartTime=2026-01-01T00%3A00%3A00Z") != NULL, "query: ISO-8601 StartTime");
	tap_ok(strstr(body, "ReturnData") == NULL, "query: ReturnData left to its default (true)");
	free(body);
	body = cw_gmd_query(&hidden_q, 1, 1767225600, 1767229200, NULL);
	tap_ok(strstr(body, "&MetricDataQueries.member.1.ReturnData=false") != NULL, "query: ReturnData false when hidden");
	free(body);
	body = cw_alarms_query("fee", "n1");
	tap_ok(strstr(body, "AlarmTypes.member.1=MetricAlarm&AlarmTypes.member.2=CompositeAlarm") != NULL,
	       "alarms query asks both alarm types");
	tap_ok(strstr(body, "&NextToken=n1") && strstr(body, "&AlarmNamePrefix=fee"), "alarms query prefix and token");
	free(body);
}

static void answer_json(void)
{
	const char *body = "{\"MetricDataResults\":[{\"Id\":\"m1\",\"Label\":\"Errors\",\"StatusCode\":\"Complete\","
			   "\"Timestamps\":[1767225600.0,1767225900],\"Values\":[0.0,2.5]}],\"NextToken\":\"n2\","
			   "\"Messages\":[]}";
	struct cw_page p = {0};
	struct tt_err err;

	tap_ok(cw_gmd_parse_json(body, strlen(body), &p, &err) == 0 && p.n == 1, "JSON answer parsed");
	tap_ok(p.series[0].n == 2 && p.series[0].ts[1] == 1767225900 && p.series[0].v[1] == 2.5,
	       "JSON timestamps and values");
	tap_ok(strcmp(p.next_token, "n2") == 0 && strcmp(p.series[0].status, "Complete") == 0, "JSON token and status");
	cw_page_clear(&p);
	tap_ok(cw_gmd_parse_json("<html>", 6, &p, &err) == -1 && err.kind == TT_ERR_AWS, "non-JSON answer refused");
	{
		/* Found by fuzzing (tests/fuzz/fuzz_cloudwatch): a time beyond
		 * time_t was cast anyway, which is undefined. */
		const char *huge = "{\"MetricDataResults\":[{\"Id\":\"m\",\"Timestamps\":[1e300],\"Values\":[1]}]}";
		const char *alarm = "{\"MetricAlarms\":[{\"AlarmName\":\"a\",\"StateUpdatedTimestamp\":-1e300}]}";
		struct cw_alarm_list l = {0};
		memset(&p, 0, sizeof(p));
		tap_ok(cw_gmd_parse_json(huge, strlen(huge), &p, &err) == 0 && p.n == 1 && p.series[0].n == 1 &&
			       p.series[0].ts[0] == 0,
		       "a timestamp beyond any date reads as 0");
		cw_page_clear(&p);
		tap_ok(cw_alarms_parse_json(alarm, strlen(alarm), &l, &err) == 0 && l.n == 1 && l.alarms[0].updated == 0,
		       "an alarm update time beyond any date reads as 0");
		cw_alarm_list_clear(&l);
	}
}

static void answer_xml(void)
{
	const char *body =
		"<GetMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><GetMetricDataResult>"
		"<MetricDataResults><member><Id>m1</Id><Label>Errors</Label><StatusCode>Complete</StatusCode>"
		"<Timestamps><member>2026-01-01T00:00:00Z</member><member>2026-01-01T00:05:00Z</member></Timestamps>"
		"<Values><member>1.0</member><member>7.25</member></Values></member>"
		"<member><Id>m2</Id><StatusCode>PartialData</StatusCode><Timestamps/><Values/></member>"
		"</MetricDataResults><NextToken>nx</NextToken></GetMetricDataResult>"
		"<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetMetricDataResponse>";
	struct cw_page p = {0};
	struct tt_err err;

	tap_ok(cw_gmd_parse_xml(body, strlen(body), &p, &err) == 0 && p.n == 2, "XML answer: two series");
	tap_ok(strcmp(p.series[0].id, "m1") == 0 && p.series[0].n == 2 && p.series[0].ts[1] == 1767225900 &&
	       p.series[0].v[0] == 1.0 && p.series[0].v[1] == 7.25, "XML timestamps and values pair up");
	tap_ok(strcmp(p.series[1].status, "PartialData") == 0 && p.series[1].n == 0, "XML empty series");
	tap_ok(p.next_token && strcmp(p.next_token, "nx") == 0, "XML NextToken");
	cw_page_clear(&p);
}

/* Found by fuzzing (tests/fuzz/fuzz_cloudwatch): an element that came twice
 * leaked its first copy; the last one counts. Fails under the sanitizers. */
static void repeated_xml_elements(void)
{
	const char *gmd = "<GetMetricDataResponse><GetMetricDataResult><MetricDataResults><member><Id>m1</Id>"
			  "<Label>a</Label><Label>b</Label><StatusCode>x</StatusCode><StatusCode>Complete</StatusCode>"
			  "</member></MetricDataResults><NextToken>n1</NextToken><NextToken>n2</NextToken>"
			  "</GetMetricDataResult></GetMetricDataResponse>";
	const char *alarms_xml = "<DescribeAlarmsResponse><DescribeAlarmsResult><MetricAlarms><member>"
				 "<AlarmName>a</AlarmName><AlarmName>b</AlarmName><StateValue>OK</StateValue>"
				 "<StateValue>ALARM</StateValue><Dimensions><member><Name>x</Name><Name>TableName</Name>"
				 "<Value>T</Value></member></Dimensions></member></MetricAlarms>"
				 "<NextToken>t1</NextToken><NextToken>t2</NextToken></DescribeAlarmsResult>"
				 "</DescribeAlarmsResponse>";
	struct cw_page p = {0};
	struct cw_alarm_list l = {0};
	struct tt_err err;

	tap_ok(cw_gmd_parse_xml(gmd, strlen(gmd), &p, &err) == 0 && p.n == 1 && strcmp(p.series[0].label, "b") == 0 &&
	       strcmp(p.series[0].status, "Complete") == 0 && strcmp(p.next_token, "n2") == 0,
	       "XML answer: a repeated element, the last one counts");
	cw_page_clear(&p);
	tap_ok(cw_alarms_parse_xml(alarms_xml, strlen(alarms_xml), &l, &err) == 0 && l.n == 1 &&
	       strcmp(l.alarms[0].name, "b") == 0 && strcmp(l.alarms[0].state, "ALARM") == 0 &&
	       l.alarms[0].ndims == 1 && strcmp(l.alarms[0].dim_names[0], "TableName") == 0 &&
	       strcmp(l.next_token, "t2") == 0, "XML alarms: a repeated element, the last one counts");
	cw_alarm_list_clear(&l);
}

static void alarms(void)
{
	const char *json = "{\"MetricAlarms\":[{\"AlarmName\":\"a1\",\"StateValue\":\"ALARM\",\"Namespace\":\"AWS/Lambda\","
			   "\"MetricName\":\"Errors\",\"Dimensions\":[{\"Name\":\"FunctionName\",\"Value\":\"f\"}],"
			   "\"StateUpdatedTimestamp\":1767225600.5}],\"CompositeAlarms\":[{\"AlarmName\":\"c1\","
			   "\"StateValue\":\"OK\",\"AlarmRule\":\"ALARM(a1)\"}]}";
	const char *xml = "<DescribeAlarmsResponse><DescribeAlarmsResult><MetricAlarms><member><AlarmName>x</AlarmName>"
			  "<StateValue>OK</StateValue><Dimensions><member><Name>TableName</Name><Value>T</Value></member>"
			  "</Dimensions></member></MetricAlarms><CompositeAlarms><member><AlarmName>y</AlarmName>"
			  "<StateValue>ALARM</StateValue><AlarmRule>ALARM(x)</AlarmRule></member></CompositeAlarms>"
			  "<NextToken>t2</NextToken></DescribeAlarmsResult></DescribeAlarmsResponse>";
	struct cw_alarm_list l = {0};
	struct tt_err err;

	tap_ok(cw_alarms_parse_json(json, strlen(json), &l, &err) == 0 && l.n == 2, "JSON alarms: both types");
	tap_ok(strcmp(l.alarms[0].state, "ALARM") == 0 && l.alarms[0].ndims == 1 &&
	       strcmp(l.alarms[0].dim_values[0], "f") == 0 && l.alarms[0].updated == 1767225600,
	       "JSON metric alarm fields");
	tap_ok(strcmp(l.alarms[1].type, "CompositeAlarm") == 0 && strcmp(l.alarms[1].rule, "ALARM(a1)") == 0,
	       "JSON composite alarm");
	cw_alarm_list_clear(&l);
	tap_ok(cw_alarms_parse_xml(xml, strlen(xml), &l, &err) == 0 && l.n == 2, "XML alarms: both types");
	tap_ok(strcmp(l.alarms[0].name, "x") == 0 && l.alarms[0].ndims == 1 &&
	       strcmp(l.alarms[0].dim_names[0], "TableName") == 0 && strcmp(l.alarms[1].rule, "ALARM(x)") == 0 &&
	       strcmp(l.next_token, "t2") == 0, "XML alarm fields and token");
	{
		struct tt_cw_alarm *v = cw_alarm_views(&l);
		tap_ok(strcmp(v[1].type, "CompositeAlarm") == 0 && strcmp(v[0].dims[0].value, "T") == 0 &&
		       strcmp(v[1].reason, "") == 0, "views: fields, dimensions, absent text as \"\"");
		free(v);
	}
	cw_alarm_list_clear(&l);
}

static void catalog(void)
{
	struct tt_cw_query q[16];
	char ids[16][32];
	size_t n = tt_catalog_queries(TT_RES_HTTP_API, "a1b2", "$default", 60, "h", ids, q, 16);

	tap_ok(n == tt_catalog_for(TT_RES_HTTP_API)->n && n >= 5, "HTTP API catalog");
	tap_ok(strcmp(q[1].metric, "4xx") == 0 && strcmp(q[1].dims[0].name, "ApiId") == 0 &&
	       strcmp(q[1].dims[1].value, "$default") == 0, "HTTP APIs use 4xx, ApiId and the stage");
	n = tt_catalog_queries(TT_RES_REST_API, "feedback-api", "prod", 60, "r", ids, q, 16);
	tap_ok(strcmp(q[1].metric, "4XXError") == 0 && strcmp(q[0].dims[0].name, "ApiName") == 0, "REST APIs use 4XXError and ApiName");
	n = tt_catalog_queries(TT_RES_WS_API, "w9x8", "prod", 60, "w", ids, q, 16);
	{
		bool msgs = false, conns = false, latency = false;
		for (size_t i = 0; i < n; i++) {
			msgs |= strcmp(q[i].metric, "MessageCount") == 0 && strcmp(q[i].label, "requests") == 0;
			conns |= strcmp(q[i].metric, "ConnectCount") == 0;
			latency |= strcmp(q[i].metric, "Latency") == 0 || strcmp(q[i].metric, "Count") == 0;
			tap_ok(strcmp(q[i].dims[0].name, "ApiId") == 0 && strcmp(q[i].dims[0].value, "w9x8") == 0 &&
			           strcmp(q[i].dims[1].value, "prod") == 0,
			       "WebSocket %s: ApiId and the stage", q[i].metric);
		}
		tap_ok(msgs && conns && !latency, "WebSocket APIs count messages and connections, not requests");
		tap_str_eq(tt_resource_kind_name(TT_RES_WS_API), "websocket-api", "its kind's name");
	}
	n = tt_catalog_queries(TT_RES_TABLE, "Feedback", NULL, 300, "t", ids, q, 16);
	for (size_t i = 0; i < n; i++)
		if (q[i].ndims == 2)
			tap_ok(strcmp(q[i].dims[1].name, "Operation") == 0 && q[i].dims[1].value, "table %s has its Operation", q[i].label);
	tap_ok(strcmp(q[3].id, "t3") == 0 && q[3].period == 300, "ids and period");
	n = tt_catalog_queries(TT_RES_FUNCTION, "f", NULL, 60, "f", ids, q, 2);
	tap_ok(n == 2, "max is respected");
}

/* `status --json` keys and `:apis` name the tiers with these words. */
static void tier_words(void)
{
	tap_str_eq(tt_tier_words(TT_TIER_PRESENTATION)->name, "presentation", "the presentation tier's name");
	tap_str_eq(tt_tier_words(TT_TIER_LOGIC)->heading, "LOGIC", "the logic tier's heading");
	tap_str_eq(tt_tier_words(TT_TIER_DATA)->rows, "tables", "the data tier's rows");
	tap_ok(tt_tier_named("apis") == TT_TIER_PRESENTATION, "apis name the presentation tier");
	tap_ok(tt_tier_named("data") == TT_TIER_DATA, "data names the data tier");
	tap_ok(tt_tier_named("Logic") == TT_TIER_COUNT && tt_tier_named("") == TT_TIER_COUNT,
	       "other words name none");
}

/* API Gateway names metrics after the API with non-ASCII characters removed,
 * and after the id when nothing is left. */
static void api_metric_name(void)
{
	static const struct {
		const char *name, *id, *want, *what;
	} cases[] = {
		{"feedback-api", "a1b2c3", "feedback-api", "an ASCII name is kept"},
		{"caf\xc3\xa9-api", "a1b2c3", "caf-api", "an accented letter is dropped"},
		{"\xe6\x97\xa5\xe6\x9c\xac API \xf0\x9f\x9a\x80", "a1b2c3", " API ",
		 "CJK and emoji dropped, spaces kept"},
		{"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "a1b2c3", "a1b2c3", "nothing left: the id"},
		{"", "a1b2c3", "a1b2c3", "an empty name: the id"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = tt_catalog_api_metric_name(cases[i].name, cases[i].id);
		tap_str_eq(got, cases[i].want, cases[i].what);
		free(got);
	}
}

/* CloudWatch keeps 60 s data for 15 days, 300 s data for 63 days and 3600 s
 * data for 455 days: a query starting further back needs a multiple of the
 * coarser period. */
static void retention_periods(void)
{
	const time_t now = 1767225600, day = 86400;

	tap_ok(tt_cw_period_for(now - 3 * 3600, now, 60) == 60, "3 hours back: 60 s stays");
	tap_ok(tt_cw_period_for(now - 15 * day + 60, now, 60) == 60, "just under 15 days: 60 s stays");
	tap_ok(tt_cw_period_for(now - 15 * day - 60, now, 60) == 300, "over 15 days: 60 s becomes 300 s");
	tap_ok(tt_cw_period_for(now - 20 * day, now, 1260) == 1500, "over 15 days: 1260 s rounds up to 1500 s");
	tap_ok(tt_cw_period_for(now - 20 * day, now, 900) == 900, "over 15 days: 900 s stays");
	tap_ok(tt_cw_period_for(now - 63 * day - 60, now, 300) == 3600, "over 63 days: 300 s becomes 3600 s");
	tap_ok(tt_cw_period_for(now - 70 * day, now, 4200) == 7200, "over 63 days: 4200 s rounds up to 7200 s");
	tap_ok(tt_cw_period_for(now - 70 * day, now, 86400) == 86400, "over 63 days: a day stays");
}

static void spark_and_duration(void)
{
	double v[] = {0, 1, 2, 3, 4, 5, 6, 7, NAN};
	char *s = tt_spark(v, 9, 0, false);
	long d;

	tap_str_eq(s, "_.-~=+*# ", "ASCII sparkline with a gap");
	free(s);
	s = tt_spark(v, 2, 4, false);
	tap_str_eq(s, "  _#", "short series are padded on the left to the width");
	free(s);
	s = tt_spark(v, 9, 3, true);
	tap_str_eq(s, "\u2581\u2588 ", "UTF-8 sparkline keeps the last width values, scaled among them");
	free(s);
	s = tt_spark((double[]){5, 5, 5}, 3, 0, false);
	tap_str_eq(s, "___", "a flat line sits at the bottom");
	free(s);
	tap_ok(tt_duration_parse("1h30m", &d) == 0 && d == 5400, "1h30m");
	tap_ok(tt_duration_parse("10m", &d) == 0 && d == 600 && tt_duration_parse("2d", &d) == 0 && d == 172800, "10m, 2d");
	tap_ok(tt_duration_parse("10", &d) == -1 && tt_duration_parse("m", &d) == -1 && tt_duration_parse("0s", &d) == -1 &&
	       tt_duration_parse("5x", &d) == -1 && tt_duration_parse("99999999999999h", &d) == -1, "bad durations refused");
}

/* Headers name the range as it was typed ("last 30m at 1m"), not in
 * seconds; what is printed reads back as the same number of seconds. */
static void duration_text(void)
{
	static const struct { long s; const char *text; } cases[] = {
		{1800, "30m"}, {5400, "1h30m"}, {60, "1m"}, {59, "59s"}, {172800, "2d"}, {604800, "7d"},
		{8640000, "100d"}, {90061, "1d1h1m1s"}, {86460, "1d1m"}, {0, "0s"}, {-5, "0s"},
		{LONG_MAX, "106751991167300d15h30m7s"},
	};
	char out[TT_DURATION_TEXT];
	bool round_trips = true;
	long back;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tt_duration_text(cases[i].s, out);
		tap_str_eq(out, cases[i].text, cases[i].text);
	}
	for (long s = 1; s < 200000; s += 37) {
		tt_duration_text(s, out);
		if (tt_duration_parse(out, &back) || back != s) {
			printf("# %ld -> %s -> %ld\n", s, out, back);
			round_trips = false;
			break;
		}
	}
	tap_ok(round_trips, "what is printed parses back to the same seconds");
}

/* The one-shot tables print figures in full: a busy API's hour of requests
 * is a seven-digit count, never an exponent. */
static void figures_in_full(void)
{
	static const struct {
		double v;
		const char *want;
	} cases[] = {
	    {1234567, "1234567"}, {2.5e9, "2500000000"}, {20629.84, "20630"}, {601.56, "601.6"},
	    {41.333, "41.33"},    {12, "12"},             {0, "0"},           {0.0012, "0.0012"},
	    {-3.5, "-3.50"},      {NAN, "-"},             {INFINITY, "-"},
	};
	char got[TT_FIGURE_MAX];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tt_figure_text(cases[i].v, got);
		tap_str_eq(got, cases[i].want, cases[i].want);
	}
}

int main(void)
{
	request_json();
	request_query();
	answer_json();
	answer_xml();
	repeated_xml_elements();
	alarms();
	catalog();
	tier_words();
	api_metric_name();
	retention_periods();
	spark_and_duration();
	duration_text();
	figures_in_full();
	return tap_done();
}
