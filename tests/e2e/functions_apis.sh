#!/bin/sh
# tiertop functions and tiertop apis against the simulator's feedback
# application: 60 functions over two ListFunctions pages (and, with --state,
# the State that ListFunctions leaves out looked up per function), and the
# REST and HTTP APIs with the Lambda function behind each method and route.
. "$(dirname "$0")/lib.sh"
need_sim_deps
sim_start
sandbox
export AWS_ACCESS_KEY_ID=AKIDTIERTOPSIM000001
export AWS_SECRET_ACCESS_KEY=tiertopSimSecretKey0000000000000000000001

calls() { sim_count "r.get('action') == '$1' and ($2)"; }
fault() { sim_reset; sim POST /_sim/faults "$1" >/dev/null; }
lines_are() { [ "$(wc -l <"$T_TMP/out")" -eq "$1" ]; }
# py 'EXPR': EXPR over the last run's stdout parsed as JSON (d).
py() {
	"$PY" - "$T_TMP/out" "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
sys.exit(0 if eval('(' + sys.argv[2] + ')') else 1)
EOF
}

# --- functions -------------------------------------------------------------------------
sim_reset
tt functions
# UnknownOperation is what a wrong path or action gets: a failure, never a reason to skip.
t_ok "functions: ListFunctions is served" err_lacks "UnknownOperation"
t_ok "functions: exit 0" rc_is 0
t_ok "functions: a header and 60 functions" lines_are 61
t_ok "functions: the header, no STATE without --state" \
	out_has "^NAME  *RUNTIME  *MEMORY  *TIMEOUT  *LAST MODIFIED$"
t_ok "functions: submit-feedback's runtime, memory, timeout, last change" \
	out_has "^submit-feedback  *nodejs20.x  *256 MB  *10 s  *20[0-9-]*T[0-9:]*Z$"
t_ok "functions: the last of the workers (page 2)" out_has "^worker-57 "
t_ok "functions: sorted by name" sh -c "sed 1d '$T_TMP/out' | cut -d' ' -f1 | sort -c"
t_ok "functions: two ListFunctions pages" [ "$(calls ListFunctions True)" = 2 ]
t_ok "functions: 50 a page asked for" [ "$(calls ListFunctions "'MaxItems=50' in r.get('query', '')")" = 2 ]
t_ok "functions: the second page by Marker" [ "$(calls ListFunctions "'Marker=' in r.get('query', '')")" = 1 ]
t_ok "functions: no GetFunctionConfiguration without --state" \
	[ "$(calls GetFunctionConfiguration True)" = 0 ]
t_ok "functions: only the two pages went out" [ "$(sim_count True)" = 2 ]
t_ok "functions: quiet on stderr" [ ! -s "$T_TMP/err" ]

sim_reset
tt functions --json
t_ok "functions --json: 60 functions, sorted" py "
len(d) == 60 and [f['FunctionName'] for f in d] == sorted(f['FunctionName'] for f in d)"
t_ok "functions --json: submit-feedback in full" py "
[(f['Runtime'], f['MemorySize'], f['Timeout'], f['FunctionArn'].endswith(':function:submit-feedback'))
 for f in d if f['FunctionName'] == 'submit-feedback'] == [('nodejs20.x', 256, 10, True)]"
t_ok "functions --json: no State or LastUpdateStatus without --state" py "
not any('State' in f or 'LastUpdateStatus' in f for f in d)"
t_ok "functions --json: no GetFunctionConfiguration" [ "$(calls GetFunctionConfiguration True)" = 0 ]

# --state: the scenario's functions are all Active after a Successful update.
sim_reset
tt functions --state
t_ok "functions --state: exit 0, a header and 60 functions" sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && [ \$(wc -l <'$T_TMP/out') = 61 ]"
t_ok "functions --state: the header" \
	out_has "^NAME  *RUNTIME  *MEMORY  *TIMEOUT  *LAST MODIFIED  *STATE  *UPDATE$"
t_ok "functions --state: submit-feedback Active, last update Successful" \
	out_has "^submit-feedback  *nodejs20.x  *256 MB  *10 s  *20[0-9-]*T[0-9:]*Z  *Active  *Successful$"
t_ok "functions --state: every row Active and Successful" \
	[ "$(grep -c '  Active  *Successful$' "$T_TMP/out")" = 60 ]
t_ok "functions --state: one GetFunctionConfiguration per function" \
	[ "$(calls GetFunctionConfiguration True)" = 60 ]
t_ok "functions --state: each function looked up once" [ "$(sim GET /_sim/requests | "$PY" -c "
import json, sys
reqs = json.load(sys.stdin)
reqs = reqs.get('requests', reqs) if isinstance(reqs, dict) else reqs
paths = [r.get('path', '') for r in reqs if r.get('action') == 'GetFunctionConfiguration']
print(len(set(paths)))")" = 60 ]
t_ok "functions --state: quiet on stderr" [ ! -s "$T_TMP/err" ]
tt functions --state --json
t_ok "functions --state --json: State and LastUpdateStatus of all 60" py "
len(d) == 60 and all((f['State'], f['LastUpdateStatus']) == ('Active', 'Successful') for f in d)"

fault '{"service":"lambda","action":"ListFunctions","kind":"throttle","count":1}'
tt functions
t_ok "functions: a throttled page is retried" sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && [ \$(wc -l <'$T_TMP/out') = 61 ]"
fault '{"service":"lambda","action":"ListFunctions","kind":"error5xx","count":-1}'
AWS_MAX_ATTEMPTS=2 tt functions
t_ok "functions: a listing that keeps failing: exit 4" rc_is 4
t_ok "functions: no partial table" [ ! -s "$T_TMP/out" ]
fault '{"service":"lambda","action":"GetFunctionConfiguration","kind":"error5xx","count":-1}'
AWS_MAX_ATTEMPTS=1 tt functions --state
t_ok "functions --state: lookups failing still list everything" sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && [ \$(wc -l <'$T_TMP/out') = 61 ]"
t_ok "functions --state: unknown states show as ?" out_has "^submit-feedback .* ?  *?$"
t_ok "functions --state: and are explained on stderr" err_has "the state of 60 functions is unknown"
AWS_MAX_ATTEMPTS=1 tt functions --state --json
t_ok "functions --state --json: unknown is null, not \"\"" py "
len(d) == 60 and all(f['State'] is None and f['LastUpdateStatus'] is None for f in d)"
tt functions extra
t_ok "functions takes no arguments: exit 2" rc_is 2
tt functions --stat
t_ok "functions: an unknown option: exit 2, named" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q -- '--stat' '$T_TMP/err'"

# --- apis ------------------------------------------------------------------------------
sim_reset
tt apis
t_ok "apis: the API Gateway calls are served" err_lacks "UnknownOperation"
t_ok "apis: exit 0" rc_is 0
t_ok "apis: the REST API" out_has "^REST API feedback-api (id [a-z0-9]*, REGIONAL)"
t_ok "apis: its prod stage" out_has "^  stage prod "
t_ok "apis: POST /feedback on the REST API runs submit-feedback" \
	out_has "^  POST /feedback  *-> submit-feedback (AWS_PROXY)"
t_ok "apis: the HTTP API" out_has "^HTTP API feedback-http (id [a-z0-9]*, HTTP"
t_ok "apis: POST /feedback on the HTTP API runs submit-feedback" \
	sh -c "sed -n '/^HTTP API feedback-http/,\$p' '$T_TMP/out' | grep -q '^  POST /feedback  *-> submit-feedback (AWS_PROXY)'"
t_ok "apis: v1 asks for plain JSON (Accept: application/json)" \
	[ "$(sim_count "r.get('action') in ('GetRestApis', 'GetResources', 'GetStages') and ('accept', 'application/json') in [(k.lower(), v) for k, v in r['headers']]")" -ge 3 ]
t_ok "apis: resources come with their methods (embed=methods)" \
	[ "$(calls GetResources "'embed=methods' in r.get('query', '')")" = 1 ]
t_ok "apis: routes and integrations of the HTTP API" \
	sh -c "[ $(calls GetRoutes True) = 1 ] && [ $(calls GetIntegrations True) = 1 ]"
t_ok "apis: quiet on stderr" [ ! -s "$T_TMP/err" ]

tt apis --json
t_ok "apis --json: the REST method and its function ARN" py "
[m['FunctionArn'] for a in d['RestApis'] if a['Name'] == 'feedback-api' for m in a['Methods']
 if (m['HttpMethod'], m['Path']) == ('POST', '/feedback')]
 == ['arn:aws:lambda:us-east-1:111122223333:function:submit-feedback']"
t_ok "apis --json: the HTTP route and its function ARN" py "
[r['FunctionArn'] for a in d['HttpApis'] if a['Name'] == 'feedback-http' for r in a['Routes']
 if r['RouteKey'] == 'POST /feedback'] == ['arn:aws:lambda:us-east-1:111122223333:function:submit-feedback']"
t_ok "apis --json: stages of both" py "
[s['StageName'] for a in d['RestApis'] for s in a['Stages']] == ['prod'] and
len([s for a in d['HttpApis'] for s in a['Stages']]) >= 1"

fault '{"service":"apigateway","action":"GetRestApis","kind":"throttle","count":-1}'
tt apis
t_ok "apis: GetRestApis always throttled: exit 4" rc_is 4
t_ok "apis: names the call" err_has "apigateway GetRestApis"
t_ok "apis: the HTTP APIs are still printed" out_has "^HTTP API feedback-http (id "
t_ok "... with their routes" out_has "^  POST /feedback  *-> submit-feedback (AWS_PROXY)"
t_ok "... and the REST APIs said unavailable, in place" out_has "^REST APIs: unavailable: apigateway GetRestApis"
t_ok "... no REST API printed" out_lacks "^REST API feedback-api"
AWS_MAX_ATTEMPTS=1 tt apis --json
t_ok "apis --json, REST list failing: exit 4" rc_is 4
t_ok "... the HTTP APIs in full, the REST list empty, the problem named" py "
[a['Name'] for a in d['HttpApis']] == ['feedback-http'] and d['HttpApis'][0]['Routes'] and d['RestApis'] == []
and len(d['Problems']) == 1 and d['Problems'][0].startswith('(REST APIs): apigateway GetRestApis')"

fault '{"service":"apigateway","action":"GetRoutes","kind":"error5xx","count":-1}'
AWS_MAX_ATTEMPTS=1 tt apis
t_ok "apis: an API's routes failing: exit 4" rc_is 4
t_ok "... the REST API in full" out_has "^  POST /feedback  *-> submit-feedback (AWS_PROXY)"
t_ok "... the HTTP API with its stage" sh -c "sed -n '/^HTTP API feedback-http/,\$p' '$T_TMP/out' | grep -q '^  stage '"
t_ok "... and what is missing said under it" \
	sh -c "sed -n '/^HTTP API feedback-http/,\$p' '$T_TMP/out' | grep -q '^  ! incomplete: apigatewayv2 GetRoutes'"
sim_reset
tt apis --json
t_ok "apis --json, complete: exit 0" rc_is 0
t_ok "... and no Problems key" py "'Problems' not in d"
tt apis extra
t_ok "apis takes no arguments: exit 2" rc_is 2

t_done
