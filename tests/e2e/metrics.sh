#!/bin/sh
# tiertop metrics against the simulator's CloudWatch: the catalog's queries
# for several resources in one GetMetricData call, over JSON and, when the
# endpoint does not speak JSON, over the query protocol.
. "$(dirname "$0")/lib.sh"
need_sim_deps
sim_start
sandbox
export AWS_ACCESS_KEY_ID=AKIDTIERTOPSIM000001 AWS_SECRET_ACCESS_KEY=tiertopSimSecretKey0000000000000000000001
gmd() { sim_count "r.get('service')=='monitoring' and r.get('action')=='GetMetricData'"; }
json_check() { "$PY" -c "import json,sys; d=json.load(open('$T_TMP/out')); $1"; }

tt metrics function/submit-feedback table/Feedback --range 1h --json
t_ok "15 metrics of a function and a table: exit 0" rc_is 0
t_ok "one GetMetricData call for both resources" [ "$(gmd)" = 1 ]
t_ok "the answer has the function's 6 series and the table's 9" \
	json_check "r=d['resources']; assert [len(x['series']) for x in r]==[6,9], r"
# CloudWatch stores no zeros: a minute without invocations has no point, and the
# simulator's seeded model has such a minute about once a week (2026-12-21 00:32 UTC,
# 2027-01-28 02:39 and 03:30, ...): exactly 60 failed in the hour after one.
t_ok "the invocation series has one-minute points over the hour" \
	json_check "s=d['resources'][0]['series'][0]; v=s['values']; t=s['timestamps']; assert s['key']=='invocations' and 55<=len(v)<=60 and len(t)==len(v)==len(set(t)) and all(x.endswith(':00Z') for x in t), len(v)"
t_ok "15 metrics counted for the bill" json_check "assert d['metricsRequested']==15"
t_ok "the request asked for p99 of Duration" \
	[ "$(sim_count "r.get('action')=='GetMetricData' and '\"p99\"' in (r.get('body') or '')")" = 1 ]

t_ok "only the metrics are fetched: no DescribeAlarms" [ "$(sim_count "r.get('action')=='DescribeAlarms'")" = 0 ]

http_id=$("$PY" -c "import sys; sys.path.insert(0, '$top_srcdir/tests/sim'); from simcore.feedback import resources; print(resources.HTTP_API_ID)")
tt metrics rest-api/feedback-api/prod "http-api/$http_id/\$default"
t_ok "text output: sparklines and the cost line" sh -c "grep -q '^rest-api feedback-api stage prod' '$T_TMP/out' && grep -q '^http-api $http_id stage \\\$default' '$T_TMP/out' && grep -q 'GetMetricData call' '$T_TMP/out'"

# A resource that does not exist is an error naming it, not a chart of
# nothing (issue 6 item 15: "metrics nosuch" printed "(no data)" and exited 0;
# this block replaces the old check that ran http-api/nosuch/prod with exit 0).
sim DELETE /_sim/requests >/dev/null
tt metrics nosuch
t_ok "a missing function: exit 4" rc_is 4
t_ok "a missing function: named, said not found" grep -q "function nosuch: not found" "$T_TMP/err"
t_ok "a missing function: no chart of nothing" sh -c "! grep -q 'no data' '$T_TMP/out'"
t_ok "a missing function: no GetMetricData" [ "$(gmd)" = 0 ]
tt metrics table/NoSuchTable submit-feedback
t_ok "a missing table beside a real function: exit 4" rc_is 4
t_ok "a missing table: named" grep -q "table NoSuchTable: " "$T_TMP/err"
tt metrics http-api/nosuch/prod
t_ok "a missing API: exit 4, named" sh -c "[ \$(cat '$T_TMP/rc') = 4 ] && grep -q 'http-api nosuch stage prod: not found' '$T_TMP/err'"
tt metrics rest-api/feedback-api/nosuch
t_ok "a missing stage: exit 4, the stages it has named" \
	sh -c "[ \$(cat '$T_TMP/rc') = 4 ] && grep -q 'rest-api feedback-api stage nosuch: no stage nosuch; its stages: prod' '$T_TMP/err'"

sim_reset
sim POST /_sim/config '{"cloudwatch_xml_only": true}' >/dev/null
tt metrics submit-feedback --range 30m --json --debug-log "$T_TMP/xml.log"
t_ok "query-only endpoint: still works" rc_is 0
t_ok "query-only endpoint: the switch is logged" grep -q "does not speak JSON" "$T_TMP/xml.log"
t_ok "query-only endpoint: same shape of answer" \
	json_check "s=d['resources'][0]['series']; assert len(s)==6 and 25<=len(s[0]['values'])<=30, [len(x['values']) for x in s]"

# An emulator that serves only the query protocol and answers JSON with a 500
# and an HTML page: one JSON try, then query calls; the try is not billed.
sim_reset
sim POST /_sim/config '{"cloudwatch_emulator": true}' >/dev/null
json_gmd() { sim_count "r.get('action')=='GetMetricData' and any(k.lower()=='x-amz-target' for k, v in r['headers'])"; }
query_gmd() { sim_count "r.get('action')=='GetMetricData' and 'Action=GetMetricData' in (r.get('body') or '')"; }
tt metrics function/submit-feedback table/Feedback --range 1h --json --debug-log "$T_TMP/emu.log"
t_ok "emulator: exit 0" rc_is 0
t_ok "emulator: exactly one JSON try, not retried" [ "$(json_gmd)" = 1 ]
t_ok "emulator: then one query-protocol call" [ "$(query_gmd)" = 1 ]
t_ok "emulator: the switch is logged" grep -q "does not speak JSON (HTTP 500)" "$T_TMP/emu.log"
t_ok "emulator: the same series" \
	json_check "r=d['resources']; assert [len(x['series']) for x in r]==[6,9], r"
t_ok "emulator: the failed try is not counted" \
	json_check "assert d['metricsRequested']==15 and d['calls']==1, (d['metricsRequested'], d['calls'])"
sim DELETE /_sim/requests >/dev/null
tt metrics function/submit-feedback table/Feedback --range 1h
t_ok "emulator, text: 15 metrics in 1 call" out_has "15 metrics in 1 GetMetricData call (about \$0.00015)"
t_ok "emulator, text: one JSON try, one query call" sh -c "[ $(json_gmd) = 1 ] && [ $(query_gmd) = 1 ]"

sim_reset
sim POST /_sim/faults '{"service":"monitoring","action":"GetMetricData","kind":"throttle","count":2}' >/dev/null
tt metrics submit-feedback --range 10m
t_ok "throttled GetMetricData is retried" sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && [ $(gmd) = 3 ]"

# CloudWatch keeps 60 s data for 15 days, 300 s data for 63 days, then hourly:
# an older start needs a period that is a multiple of those.
sim DELETE /_sim/requests >/dev/null
tt metrics submit-feedback --range 20d --period 1260 --json
t_ok "20 days at 1260 s: the period becomes 1500 s" json_check "assert d['periodSeconds']==1500, d['periodSeconds']"
t_ok "20 days at 1260 s: 1500 s is what is asked" \
	[ "$(sim_count "r.get('action')=='GetMetricData' and {q['MetricStat']['Period'] for q in __import__('json').loads(r['body'])['MetricDataQueries'] if 'MetricStat' in q}=={1500}")" = 1 ]
tt metrics submit-feedback --range 70d --period 4200 --json
t_ok "70 days at 4200 s: the period becomes 7200 s" json_check "assert d['periodSeconds']==7200, d['periodSeconds']"

# A REST API's metrics are asked for under its name without non-ASCII
# characters (test_cloudwatch covers the mapping): the simulator has no such
# API, so since metrics looks resources up this one is refused by name.
sim DELETE /_sim/requests >/dev/null
tt metrics "rest-api/caf$(printf '\303\251')-api/prod" --json
t_ok "a non-ASCII API name that does not exist: exit 4, nothing fetched" \
	sh -c "[ \$(cat '$T_TMP/rc') = 4 ] && grep -q 'rest-api caf.*-api stage prod: not found' '$T_TMP/err' && [ $(gmd) = 0 ]"

tt metrics
t_ok "no resource: usage error, exit 2" rc_is 2
tt metrics submit-feedback --period 90
t_ok "a period that is not a multiple of 60: exit 2" rc_is 2
tt metrics submit-feedback --range 7d --period 60
t_ok "too many points: exit 2 with a hint" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'raise --period' '$T_TMP/err'"
tt metrics submit-feedback --range 7d
t_ok "a long range without --period: the finest period that fits (15 min for 7 days)" \
	sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && grep -q '^last 7d at 15m: ' '$T_TMP/out'"
tt status --range 2d --tag app=feedback
t_ok "status too (5 min for 2 days)" sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && grep -q ', last 2d at 5m\$' '$T_TMP/out'"
tt status --range 90m --tag app=feedback
t_ok "the range is named as typed, the period in minutes" \
	sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && grep -q ', last 1h30m at 1m\$' '$T_TMP/out'"
# A range under a minute charted a whole minute under a header saying "1s".
tt status --range 30s --tag app=feedback
t_ok "a range under a minute: exit 2, why" \
	sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'range is at least a minute' '$T_TMP/err' && [ ! -s '$T_TMP/out' ]"
tt metrics submit-feedback --range 5m --period 3600
t_ok "a range shorter than its period: exit 2, both named" \
	sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q -- '--range 5m is shorter than one period (1h)' '$T_TMP/err'"
tt status --range 5000d --tag app=feedback
t_ok "a range no period can cover: exit 2" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q '1,440 points' '$T_TMP/err'"

t_done
