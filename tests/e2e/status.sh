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
	json_check "f=[x for x in t['logic'] if x['name']=='export-feedback'][0]; assert {'table':'Feedback','via':'event source'} in f['tables'], f"
t_ok "wiring: export-feedback writes FeedbackStats (named by its environment)" \
	json_check "f=[x for x in t['logic'] if x['name']=='export-feedback'][0]; assert {'table':'FeedbackStats','via':'env STATS_TABLE'} in f['tables'], f"
t_ok "wiring: submit-feedback uses Feedback (env TABLE_NAME)" \
	json_check "f=[x for x in t['logic'] if x['name']=='submit-feedback'][0]; assert f['tables']==[{'table':'Feedback','via':'env TABLE_NAME'}], f"
t_ok "wiring: an environment value that names no table links nothing" \
	json_check "f=[x for x in t['logic'] if x['name']=='spam-filter'][0]; assert f['tables']==[], f"
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
tt status --tag app=feedback
t_ok "text output shows the wiring, env links included" \
	sh -c "grep -q 'submit-feedback -> Feedback (env TABLE_NAME)' '$T_TMP/out' && grep -q 'export-feedback <- Feedback (event source)' '$T_TMP/out'"

# Selectors add up: a prefix, a function and a table named one by one, an API by name.
tt status --prefix worker-0 --function spam-filter --table FeedbackStats --api feedback-api --json
t_ok "selectors add up: exit 0" rc_is 0
t_ok "selectors add up: prefix and named functions" \
	json_check "n=sorted($(names logic)); assert n==['spam-filter']+['worker-0%d'%i for i in range(1,10)], n"
t_ok "selectors add up: the named table only" json_check "assert $(names data)==['FeedbackStats'], $(names data)"
t_ok "selectors add up: the API by name" \
	json_check "assert {x['name'] for x in t['presentation']}=={'feedback-api'}, t['presentation']"
t_ok "selectors add up: the selection is described" \
	json_check "assert d['selector']=='prefix worker-0 + function spam-filter + table FeedbackStats + api feedback-api', d['selector']"
tt status --function no-such-fn --table NoSuchTable --api no-such-api --json
t_ok "named but missing: still a snapshot (exit 0)" rc_is 0
t_ok "named but missing: the function says it is not found" \
	json_check "f=t['logic'][0]; assert f['name']=='no-such-fn' and 'not found' in f['problem'], f"
t_ok "named but missing: the table says what DynamoDB said" \
	json_check "f=t['data'][0]; assert f['name']=='NoSuchTable' and 'ResourceNotFoundException' in f['problem'], f"
t_ok "named but missing: the API says it is not found" \
	json_check "f=t['presentation'][0]; assert f['name']=='no-such-api' and 'not found' in f['problem'], f"

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
