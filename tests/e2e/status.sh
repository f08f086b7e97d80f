#!/bin/sh
# tiertop status: discovery by prefix, tag and CloudFormation stack, every
# resource's metrics in one GetMetricData call, alarms and wiring.
. "$(dirname "$0")/lib.sh"
need_sim_deps
sim_start
sandbox
export AWS_ACCESS_KEY_ID=AKIDTIERTOPSIM000001 AWS_SECRET_ACCESS_KEY=tiertopSimSecretKey0000000000000000000001
count() { sim_count "r.get('action')=='$1'"; }
json_check() { "$PY" -c "import json,sys; d=json.load(open('$T_TMP/out')); t=d['tiers']; $1"; }
names() { echo "[x['name'] for x in t['$1']]"; }

tt status --tag app=feedback --json
t_ok "by tag: exit 0" rc_is 0
t_ok "by tag: the three app functions, not the workers" \
	json_check "assert sorted($(names logic))==['export-feedback','spam-filter','submit-feedback'], $(names logic)"
t_ok "by tag: both tables" json_check "assert sorted($(names data))==['Feedback','FeedbackStats'], $(names data)"
t_ok "by tag: the REST API's prod stage and the HTTP API's stage" \
	json_check "k=sorted((x['kind'],x['name'],x['stage']) for x in t['presentation']); assert ('rest-api','feedback-api','prod') in k and any(x[0]=='http-api' for x in k), k"
t_ok "wiring: POST /feedback goes to submit-feedback" \
	json_check "r=[x for x in t['presentation'] if x['name']=='feedback-api'][0]['routes']; assert {'route':'POST /feedback','function':'submit-feedback'} in r, r"
t_ok "wiring: export-feedback is fed by the Feedback table's stream" \
	json_check "f=[x for x in t['logic'] if x['name']=='export-feedback'][0]; assert f['eventSources']==['Feedback'], f"
t_ok "metrics for every row" \
	json_check "assert all(len(x['metrics'])>=5 for v in t.values() for x in v), [(x['name'],len(x['metrics'])) for v in t.values() for x in v]"
t_ok "every metric in one GetMetricData call" [ "$(count GetMetricData)" = 1 ]
t_ok "alarm state on the rows it watches" \
	json_check "f=[x for x in t['logic'] if x['name']=='submit-feedback'][0]; assert f.get('alarm') in ('OK','ALARM','INSUFFICIENT_DATA'), f"
t_ok "metrics requested are counted" json_check "assert d['metricsRequested']>=30 and d['calls']==1, d['metricsRequested']"

sim_reset
tt status --stack feedback-stack --json
t_ok "by CloudFormation stack: the same functions" \
	json_check "assert sorted($(names logic))==['export-feedback','spam-filter','submit-feedback'], $(names logic)"
t_ok "by stack: ListStackResources was used" [ "$(count ListStackResources)" -ge 1 ]

tt status --prefix submit-
t_ok "by prefix: text output with the tiers" sh -c "grep -q '^LOGIC' '$T_TMP/out' && grep -q 'submit-feedback' '$T_TMP/out' && ! grep -q 'worker-01' '$T_TMP/out'"
t_ok "text output ends with the metric bill" grep -q "GetMetricData call" "$T_TMP/out"

tt status --stack no-such-stack
t_ok "unknown stack: exit 4 with the stack's name" sh -c "[ \$(cat '$T_TMP/rc') = 4 ] && grep -q 'no-such-stack' '$T_TMP/err'"
tt status
t_ok "no selector: exit 2" rc_is 2
tt status --tag novalue
t_ok "tag without '=': exit 2" rc_is 2

sim POST /_sim/faults '{"service":"lambda","action":"ListEventSourceMappings","kind":"error5xx","count":-1}' >/dev/null
tt status --tag app=feedback --json
t_ok "a failing describe call does not sink the snapshot" rc_is 0
t_ok "the failure is shown on the resource" \
	json_check "f=[x for x in t['logic'] if x['name']=='submit-feedback'][0]; assert 'ListEventSourceMappings' in f.get('problem',''), f" 
t_done
