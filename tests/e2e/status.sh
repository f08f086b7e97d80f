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

# Nested stacks and SAM applications are followed (by their physical id, the
# nested stack's ARN), each stack once although tools-stack nests its parent.
sim_reset
tt status --stack platform-stack --json
t_ok "nested stacks: exit 0" rc_is 0
t_ok "nested stacks: the nested application's functions and the SAM application's" \
	json_check "n=sorted($(names logic)); assert n==['export-feedback','spam-filter','submit-feedback','worker-01'], n"
t_ok "nested stacks: the nested application's tables" \
	json_check "assert sorted($(names data))==['Feedback','FeedbackStats'], $(names data)"
t_ok "nested stacks: each stack listed once (platform, feedback, tools)" [ "$(count ListStackResources)" = 3 ]
t_ok "nested stacks: the nested one asked for by its ARN" \
	[ "$(sim_count "r.get('action')=='ListStackResources' and 'stack%2Ffeedback-stack%2F' in (r.get('body') or '')")" = 1 ]
sim_reset

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
t_ok "named but missing: still a snapshot, partial (exit 4)" rc_is 4
t_ok "named but missing: the function says it is not found" \
	json_check "f=t['logic'][0]; assert f['name']=='no-such-fn' and 'not found' in f['problem'], f"
t_ok "named but missing: the table says what DynamoDB said" \
	json_check "f=t['data'][0]; assert f['name']=='NoSuchTable' and 'ResourceNotFoundException' in f['problem'], f"
t_ok "named but missing: the API says it is not found" \
	json_check "f=t['presentation'][0]; assert f['name']=='no-such-api' and 'not found' in f['problem'], f"

tt status --stack no-such-stack
t_ok "unknown stack: exit 4 with the stack's name" sh -c "[ \$(cat '$T_TMP/rc') = 4 ] && grep -q 'no-such-stack' '$T_TMP/err'"
tt status
t_ok "no selector: the whole region (exit 0)" rc_is 0
t_ok "no selector: says so and shows every function" \
	sh -c "grep -q '^tiertop status: whole region' '$T_TMP/out' && grep -q 'worker-09' '$T_TMP/out' && grep -q 'submit-feedback' '$T_TMP/out'"
tt status --tag novalue
t_ok "tag without '=': exit 2" rc_is 2

sim POST /_sim/faults '{"service":"lambda","action":"ListEventSourceMappings","kind":"error5xx","count":-1}' >/dev/null
tt status --tag app=feedback --json
t_ok "a failing describe call does not sink the snapshot, but is partial (exit 4)" rc_is 4
t_ok "the failure is shown on the resource" \
	json_check "f=[x for x in t['logic'] if x['name']=='submit-feedback'][0]; assert 'ListEventSourceMappings' in f.get('problem',''), f"
sim_reset

# Partial results: a failed GetMetricData or DescribeAlarms still prints the
# application, with the reason in place, and exits 4.
sim POST /_sim/faults '{"service":"monitoring","action":"GetMetricData","kind":"error5xx","count":-1}' >/dev/null
tt status --tag app=feedback
t_ok "metrics failing: exit 4" rc_is 4
t_ok "metrics failing: the application is printed" sh -c "grep -q '^LOGIC' '$T_TMP/out' && grep -q 'submit-feedback' '$T_TMP/out'"
t_ok "metrics failing: the reason in place" grep -q '! metrics unavailable: .*HTTP 5' "$T_TMP/out"
t_ok "metrics failing: no metric is billed" grep -q '^0 metrics in 0 GetMetricData calls' "$T_TMP/out"
tt status --tag app=feedback --json
t_ok "metrics failing, JSON: exit 4 and the reason" \
	sh -c "[ \$(cat '$T_TMP/rc') = 4 ] && grep -q '\"metricsError\"' '$T_TMP/out'"
sim_reset
sim POST /_sim/faults '{"service":"monitoring","action":"DescribeAlarms","kind":"error5xx","count":-1}' >/dev/null
tt status --tag app=feedback
t_ok "alarms failing: exit 4, metrics still shown" \
	sh -c "[ \$(cat '$T_TMP/rc') = 4 ] && grep -q '! alarms unavailable' '$T_TMP/out' && grep -q '^1 GetMetricData\|metrics in 1 GetMetricData call ' '$T_TMP/out'"
sim_reset

# Names and AWS error text are shown inert: no escape reaches the terminal.
evil=$(printf 'fn-\033]52;c;aGk=\007-\233-\033[2J')
tt status --function "$evil"
t_ok "hostile name: exit 4 (not found)" rc_is 4
t_ok "hostile name: no ESC, BEL or C1 in stdout or stderr" \
	sh -c "! LC_ALL=C grep -q \"\$(printf '[\033\007\233]')\" '$T_TMP/out' '$T_TMP/err'"
t_ok "hostile name: shown visibly" grep -q 'fn-^\[\]52;c;aGk=^G' "$T_TMP/out"

# An emulator that serves only the query protocol and answers JSON with a 500
# and an HTML page: one JSON try per call, then the query protocol; the failed
# try is neither a call nor billed.
tt status --tag app=feedback --json
over_json=$("$PY" -c "import json; d=json.load(open('$T_TMP/out')); print(d['metricsRequested'], d['calls'])")
sim_reset
sim POST /_sim/config '{"cloudwatch_emulator": true}' >/dev/null
cw_json() { sim_count "r.get('action')=='$1' and any(k.lower()=='x-amz-target' for k, v in r['headers'])"; }
cw_query() { sim_count "r.get('action')=='$1' and 'Action=$1' in (r.get('body') or '')"; }
tt status --tag app=feedback --json
t_ok "emulator: exit 0" rc_is 0
t_ok "emulator: exactly one JSON GetMetricData try, not retried" [ "$(cw_json GetMetricData)" = 1 ]
t_ok "emulator: then one query GetMetricData call" [ "$(cw_query GetMetricData)" = 1 ]
t_ok "emulator: DescribeAlarms tried once over JSON at most, then over the query protocol" \
	sh -c "[ $(cw_json DescribeAlarms) -le 1 ] && [ $(cw_query DescribeAlarms) -ge 1 ]"
t_ok "emulator: the same metrics and calls counted as over JSON ($over_json)" \
	json_check "assert '%d %d' % (d['metricsRequested'], d['calls'])=='$over_json', (d['metricsRequested'], d['calls'])"
t_ok "emulator: metrics and alarms on the rows" \
	json_check "f=[x for x in t['logic'] if x['name']=='submit-feedback'][0]; assert len(f['metrics'])>=5 and f.get('alarm'), f"
sim DELETE /_sim/requests >/dev/null
tt status --tag app=feedback
t_ok "emulator, text: exit 0, nothing unavailable" sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && ! grep -q 'unavailable' '$T_TMP/out'"
t_ok "emulator, text: the bill of one call" grep -q "^${over_json% *} metrics in 1 GetMetricData call " "$T_TMP/out"
t_ok "emulator, text: one JSON try, one query call" \
	sh -c "[ $(cw_json GetMetricData) = 1 ] && [ $(cw_query GetMetricData) = 1 ]"
sim_reset

# The whole region offers the applications it finds: root stacks in a live
# state (not the nested one, not the deleted one) and app-like tag values,
# every page of each listing followed.
tt status
t_ok "applications: exit 0" rc_is 0
t_ok "applications: the heading after the snapshot" \
	sh -c "sed -n '/GetMetricData call/,\$p' '$T_TMP/out' | grep -q '^applications found (narrow with --stack or --tag):\$'"
t_ok "applications: the stacks" sh -c "grep -qx '  stack feedback-stack' '$T_TMP/out' && grep -qx '  stack workers-stack' '$T_TMP/out'"
t_ok "applications: the tag values, every page" \
	sh -c "grep -qx '  tag app=feedback' '$T_TMP/out' && grep -qx '  tag app=workers' '$T_TMP/out'"
t_ok "applications: not the nested stack nor the deleted one" \
	sh -c "! grep -q 'AlarmsStack\\|feedback-stack-old' '$T_TMP/out'"
t_ok "applications: ListStacks asked for live states only" \
	[ "$(sim_count "r.get('action')=='ListStacks' and 'StackStatusFilter.member.1=' in (r.get('body') or '') and 'DELETE_COMPLETE' not in (r.get('body') or '')")" -ge 2 ]
t_ok "applications: GetTagValues for each app-like key" [ "$(count GetTagValues)" -ge 6 ]
tt status --json
t_ok "applications, json: the array" \
	"$PY" -c "import json; d=json.load(open('$T_TMP/out')); a=d['applications']; assert {'selector':'stack','value':'feedback-stack'} in a and {'selector':'tag','value':'app=feedback'} in a and 'applicationsErrors' not in d, d.get('applications')"
sim_reset
tt status --tag app=feedback --json
t_ok "applications: not looked for when something is chosen" \
	sh -c "[ $(count ListStacks) = 0 ] && [ $(count GetTagValues) = 0 ] && ! grep -q applications '$T_TMP/out'"
sim POST /_sim/faults '{"service":"cloudformation","action":"ListStacks","kind":"error5xx","count":-1}' >/dev/null
tt status
t_ok "applications: ListStacks failing still lists the tags, exit 0" \
	sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && grep -qx '  tag app=feedback' '$T_TMP/out' && ! grep -q '  stack ' '$T_TMP/out'"
t_ok "applications: and says why the stacks are missing" grep -q '^  ! stacks unavailable: ' "$T_TMP/out"
sim_reset

# A large application stays inside the account's request quotas: the event
# source mappings are listed once for the region (a few pages), not once per
# function, and no more than 4 requests per service are in flight at once
# (the simulator notes, per request, how many of its service it was answering).
sim POST /_sim/scenario '{"functions": 300, "tables": 40}' >/dev/null
# A little latency makes requests sent together overlap in the simulator.
for action in DescribeTable ListEventSourceMappings; do
	sim POST /_sim/faults "{\"service\":\"*\",\"action\":\"$action\",\"kind\":\"latency\",\"latency_ms\":30,\"count\":-1}" >/dev/null
done
sim DELETE /_sim/requests >/dev/null
tt status --prefix worker- --function export-feedback --json
max_in_flight() { sim GET "/_sim/requests?service=$1" | "$PY" -c "import json,sys; print(max([r.get('in_flight', 0) for r in json.load(sys.stdin)['requests']] or [0]))"; }
t_ok "300 functions: exit 0" rc_is 0
t_ok "300 functions: the 297 workers, export-feedback and the 38 worker tables" \
	json_check "assert len(t['logic'])==298 and len(t['data'])==38, (len(t['logic']), len(t['data']))"
esm_calls=$(count ListEventSourceMappings)
t_ok "300 functions: a few ListEventSourceMappings pages, not one per function ($esm_calls)" \
	[ "$esm_calls" -ge 1 -a "$esm_calls" -le 5 ]
t_ok "300 functions: the region's mappings, none asked per function" \
	[ "$(sim_count "r.get('action')=='ListEventSourceMappings' and 'FunctionName' in str(r.get('query'))+r.get('path','')")" = 0 ]
t_ok "300 functions: the mappings still wire export-feedback to the Feedback stream" \
	json_check "f=[x for x in t['logic'] if x['name']=='export-feedback'][0]; assert {'table':'Feedback','via':'event source'} in f['tables'], f"
ddb_max=$(max_in_flight dynamodb) lambda_max=$(max_in_flight lambda)
t_ok "300 functions: at most 4 DescribeTable calls in flight at once ($ddb_max)" [ "$ddb_max" -le 4 ]
t_ok "300 functions: at most 4 Lambda requests in flight at once ($lambda_max)" [ "$lambda_max" -le 4 ]
sim DELETE /_sim/requests >/dev/null
tt status --prefix worker-0 --json
lambda_max=$(max_in_flight lambda)
t_ok "a few functions: their mappings asked one by one" \
	[ "$(sim_count "r.get('action')=='ListEventSourceMappings' and 'FunctionName' in str(r.get('query'))+r.get('path','')")" = 9 ]
t_ok "a few functions: at most 4 of those in flight at once ($lambda_max)" [ "$lambda_max" -le 4 ]
sim POST /_sim/faults '{"service":"apigateway","action":"*","kind":"latency","latency_ms":30,"count":-1}' >/dev/null
sim DELETE /_sim/requests >/dev/null
tt status --tag app=feedback --json
apigw_max=$(max_in_flight apigateway)
t_ok "APIs: described as before" \
	json_check "r=[x for x in t['presentation'] if x['name']=='feedback-api'][0]['routes']; assert {'route':'POST /feedback','function':'submit-feedback'} in r, r"
t_ok "APIs: at most 4 API Gateway calls in flight at once ($apigw_max)" [ "$apigw_max" -le 4 ]
sim DELETE /_sim/faults >/dev/null
sim POST /_sim/faults '{"service":"lambda","action":"ListEventSourceMappings","kind":"error5xx","count":-1}' >/dev/null
tt status --prefix worker- --json
t_ok "the region's mappings failing: partial (exit 4), every function says why" sh -c "[ \$(cat '$T_TMP/rc') = 4 ] &&
	$PY -c \"import json; t=json.load(open('$T_TMP/out'))['tiers']['logic']; assert len(t)==297 and all('ListEventSourceMappings' in f.get('problem','') for f in t), t[0]\""
sim_reset

# --- a WebSocket API: its own metrics (messages, connections, errors) ----------------------
sim POST /_sim/scenario '{"websocket_api": true}' >/dev/null
sim DELETE /_sim/requests >/dev/null
tt status --api feedback-live --json
t_ok "websocket: exit 0" rc_is 0
t_ok "websocket: its stage is a websocket-api row" \
	json_check "k=[(x['kind'],x['name'],x['stage']) for x in t['presentation']]; assert k==[('websocket-api','feedback-live','live')], k"
t_ok "websocket: GetMetricData asks for MessageCount and ConnectCount by ApiId and Stage, not Count" \
	[ "$(sim_count "r.get('action')=='GetMetricData' and 'MessageCount' in r.get('body','') and 'ConnectCount' in r.get('body','') and '\"ApiId\"' in r.get('body','') and '\"live\"' in r.get('body','') and '\"Count\"' not in r.get('body','')")" = 1 ]
tt metrics websocket-api/feedback-live/live --json
t_ok "websocket: metrics websocket-api/NAME/STAGE works" rc_is 0
tt metrics http-api/feedback-live/live
t_ok "websocket: http-api/ on it says which form to use" err_has "WebSocket API: use websocket-api/ID/STAGE"
sim POST /_sim/scenario '{"websocket_api": false}' >/dev/null
t_done
