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
t_ok "the invocation series has 60 one-minute points" \
	json_check "s=d['resources'][0]['series'][0]; assert s['key']=='invocations' and len(s['values'])==60, len(s['values'])"
t_ok "15 metrics counted for the bill" json_check "assert d['metricsRequested']==15"
t_ok "the request asked for p99 of Duration" \
	[ "$(sim_count "r.get('action')=='GetMetricData' and '\"p99\"' in (r.get('body') or '')")" = 1 ]

tt metrics rest-api/feedback-api/prod http-api/nosuch/prod
t_ok "text output: sparklines and the cost line" sh -c "grep -q '^rest-api feedback-api stage prod' '$T_TMP/out' && grep -q 'GetMetricData call' '$T_TMP/out'"

sim_reset
sim POST /_sim/config '{"cloudwatch_xml_only": true}' >/dev/null
tt metrics submit-feedback --range 30m --json --debug-log "$T_TMP/xml.log"
t_ok "query-only endpoint: still works" rc_is 0
t_ok "query-only endpoint: the switch is logged" grep -q "does not speak JSON" "$T_TMP/xml.log"
t_ok "query-only endpoint: same shape of answer" \
	json_check "s=d['resources'][0]['series']; assert len(s)==6 and len(s[0]['values'])==30, [len(x['values']) for x in s]"

sim_reset
sim POST /_sim/faults '{"service":"monitoring","action":"GetMetricData","kind":"throttle","count":2}' >/dev/null
tt metrics submit-feedback --range 10m
t_ok "throttled GetMetricData is retried" sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && [ $(gmd) = 3 ]"

tt metrics
t_ok "no resource: usage error, exit 2" rc_is 2
tt metrics submit-feedback --period 90
t_ok "a period that is not a multiple of 60: exit 2" rc_is 2
tt metrics submit-feedback --range 7d --period 60
t_ok "too many points: exit 2 with a hint" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'raise --period' '$T_TMP/err'"

t_done
