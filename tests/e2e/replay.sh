#!/bin/sh
# tiertop replay against the simulator: a Feedback item read with GetItem and
# sent to submit-feedback as itself, inside an API Gateway proxy event (REST
# or HTTP API, for one of the simulated application's routes), a DynamoDB
# Streams record or a template file; what is refused before any request (read-only, no terminal,
# a broken template), a missing item (exit 4, no Invoke), a function error
# (exit 6), and the confirmation on a terminal (tmux).
. "$(dirname "$0")/lib.sh"
need_sim_deps
sim_start
sandbox
export AWS_ACCESS_KEY_ID=AKIDTIERTOPSIM000001
export AWS_SECRET_ACCESS_KEY=tiertopSimSecretKey0000000000000000000001

sim_reset
tt items Feedback --limit 1
if ! rc_is 0; then
	echo "Bail out! the simulator does not serve the Feedback table"
	exit 1
fi

invokes() { sim_count "r.get('service') == 'lambda' and r.get('action') == 'Invoke'"; }
requests() { sim_count "True"; }

# key_of ID: the full key (feedbackId + createdAt) of a seeded item, as JSON.
key_of() {
	"$TIERTOP" items Feedback --query 'feedbackId = :id' --values "{\":id\":\"$1\"}" </dev/null |
		"$PY" -c 'import json, sys
d = json.loads(sys.stdin.readline())
print(json.dumps({"feedbackId": d["feedbackId"], "createdAt": d["createdAt"]}))'
}

# item_of ID: the item as items prints it (plain JSON, one line), into FILE.
item_of() {
	"$TIERTOP" items Feedback --query 'feedbackId = :id' --values "{\":id\":\"$1\"}" </dev/null >"$2"
}

# last_invoke_body: the body of the last Invoke the simulator saw.
last_invoke_body() {
	sim GET '/_sim/requests?service=lambda&action=Invoke' | "$PY" -c '
import json, sys
reqs = json.load(sys.stdin)
reqs = reqs.get("requests", reqs) if isinstance(reqs, dict) else reqs
sys.stdout.write(reqs[-1]["body"] if reqs else "")'
}

# same_json A B: both files parse to the same JSON (numbers compared as text,
# so 38 digits must survive exactly).
same_json() {
	"$PY" -c '
import json, sys
load = lambda p: json.load(open(p), parse_float=str, parse_int=str)
sys.exit(0 if load(sys.argv[1]) == load(sys.argv[2]) else 1)' "$1" "$2"
}

K7=$(key_of fb-0007)
K8=$(key_of fb-0008)
K9=$(key_of fb-0009)
[ -n "$K7" ] && [ -n "$K8" ] && [ -n "$K9" ] || { echo "Bail out! cannot read the seeded keys"; exit 1; }

# --- raw: the item itself ----------------------------------------------------------------
sim_reset
item_of fb-0007 "$T_TMP/item7.json"
sim DELETE /_sim/requests >/dev/null
tt replay Feedback --key "$K7" --to submit-feedback --yes
t_ok "raw: exit 0" rc_is 0
t_ok "raw: one GetItem, one Invoke" sh -c "[ $(sim_count "r.get('action') == 'GetItem'") = 1 ] && [ $(invokes) = 1 ]"
last_invoke_body >"$T_TMP/body"
t_ok "raw: the Invoke body is the item (numbers exact)" same_json "$T_TMP/body" "$T_TMP/item7.json"
t_ok "raw: the 20-digit score travels as written" grep -q '"score":12345678901234567890.123456789' "$T_TMP/body"
t_ok "raw: the banner names the source table and key" sh -c "grep -q '^  table  *Feedback' '$T_TMP/err' &&
	grep -q '^  key  *{\"feedbackId\":\"fb-0007\",\"createdAt\":' '$T_TMP/err'"
t_ok "raw: the banner names account, region, endpoint and the function" sh -c "
	grep -q 'account  *111122223333' '$T_TMP/err' && grep -q 'region  *us-east-1' '$T_TMP/err' &&
	grep -q 'endpoint  *$SIM_URL' '$T_TMP/err' &&
	grep -q 'function  *arn:aws:lambda:us-east-1:111122223333:function:submit-feedback' '$T_TMP/err'"
t_ok "raw: the function's answer on stdout" out_has '"statusCode":201'

# --- apigw: a REST API proxy event -----------------------------------------------------
sim_reset
item_of fb-0008 "$T_TMP/item8.json"
tt replay Feedback --key "$K8" --to submit-feedback --template apigw --yes --qualifier live
t_ok "apigw: exit 0" rc_is 0
last_invoke_body >"$T_TMP/body"
t_ok "apigw: a POST /feedback proxy event whose body parses to the item" "$PY" -c "
import json, sys
ev = json.load(open('$T_TMP/body'))
item = json.load(open('$T_TMP/item8.json'), parse_float=str, parse_int=str)
ok = ev['httpMethod'] == 'POST' and ev['resource'] == '/feedback' and ev['path'] == '/feedback'
ok = ok and ev['headers']['Content-Type'] == 'application/json' and ev['isBase64Encoded'] is False
ok = ok and ev['requestContext']['httpMethod'] == 'POST' and len(ev['requestContext']['requestId']) == 36
ok = ok and isinstance(ev['body'], str) and json.loads(ev['body'], parse_float=str, parse_int=str) == item
sys.exit(0 if ok else 1)"
t_ok "apigw: --qualifier sent and shown" sh -c "[ $(sim_count "r.get('action') == 'Invoke' and r.get('query') == 'Qualifier=live'") = 1 ] &&
	grep -q 'qualifier  *live (version 1)' '$T_TMP/err'"
t_ok "apigw: the function stored it (201)" out_has '"statusCode":201'

# --- @FILE: the user's template ---------------------------------------------------------
sim_reset
item_of fb-0009 "$T_TMP/item9.json"
cat >"$T_TMP/tpl.json" <<'EOF'
{
  "httpMethod": "POST",
  "body": {{item_string}},
  "copy": {{item}},
  "braces": "{{ not a placeholder }"
}
EOF
tt replay Feedback --key "$K9" --to spam-filter --template "@$T_TMP/tpl.json" --yes
t_ok "@FILE: exit 0" rc_is 0
last_invoke_body >"$T_TMP/body"
t_ok "@FILE: {{item}} is the item, {{item_string}} the item as a string, other text as is" "$PY" -c "
import json, sys
ev = json.load(open('$T_TMP/body'), parse_float=str, parse_int=str)
item = json.load(open('$T_TMP/item9.json'), parse_float=str, parse_int=str)
ok = ev['copy'] == item and json.loads(ev['body'], parse_float=str, parse_int=str) == item
sys.exit(0 if ok and ev['braces'] == '{{ not a placeholder }' and ev['httpMethod'] == 'POST' else 1)"
t_ok "@FILE: the banner names the template" err_has "payload  *[0-9]* bytes from the template .*tpl.json"

# The error sits after a placeholder on its line: the column must be the
# file's (23), not the column in the payload with the item filled in.
printf '{\n  "body": {{item_string}},\n  "copy": {{item}} oops\n}\n' >"$T_TMP/bad.json"
sim DELETE /_sim/requests >/dev/null
tt replay Feedback --key "$K9" --to submit-feedback --template "@$T_TMP/bad.json" --yes
t_ok "bad template: exit 2" rc_is 2
t_ok "bad template: line and column in the file" err_has "bad.json (placeholders counted as values) is not valid JSON: line 3, column 23"
t_ok "bad template: no request at all" [ "$(requests)" = 0 ]
tt replay Feedback --key "$K9" --to submit-feedback --template "@$T_TMP" --yes
t_ok "a directory as the template: exit 2, and why" sh -c \
	"[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'cannot read the template .*: Is a directory' '$T_TMP/err'"
printf '{"message": "nothing from the item"}\n' >"$T_TMP/noph.json"
tt replay Feedback --key "$K9" --to submit-feedback --template "@$T_TMP/noph.json" --yes
t_ok "a template without a placeholder: exit 2" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'uses neither' '$T_TMP/err'"
tt replay Feedback --key "$K9" --to submit-feedback --template "@$T_TMP/missing.json" --yes
t_ok "a missing template file: exit 2" rc_is 2
tt replay Feedback --key "$K9" --to submit-feedback --template proxy --yes
t_ok "an unknown template: exit 2" rc_is 2
t_ok "template refusals sent nothing" [ "$(requests)" = 0 ]

# --- stream: a DynamoDB Streams INSERT record -------------------------------------------
sim_reset
"$TIERTOP" items Feedback --query 'feedbackId = :id' --values '{":id":{"S":"fb-0008"}}' --typed </dev/null >"$T_TMP/typed8.json"
sim DELETE /_sim/requests >/dev/null
tt replay Feedback --key "$K8" --to export-feedback --template stream --yes
t_ok "stream: exit 0" rc_is 0
last_invoke_body >"$T_TMP/body"
t_ok "stream: one INSERT record whose NewImage is the typed item and Keys the typed key" "$PY" -c "
import json, sys
ev = json.load(open('$T_TMP/body'), parse_float=str, parse_int=str)
typed = json.load(open('$T_TMP/typed8.json'), parse_float=str, parse_int=str)
key = json.loads(sys.argv[1])
recs = ev['Records']
d = recs[0]['dynamodb']
ok = len(recs) == 1 and recs[0]['eventName'] == 'INSERT' and recs[0]['eventSource'] == 'aws:dynamodb'
ok = ok and recs[0]['awsRegion'] == 'us-east-1' and d['NewImage'] == typed and 'OldImage' not in d
ok = ok and d['Keys'] == {k: {'S': v} for k, v in key.items()}
sys.exit(0 if ok else 1)" "$K8"
t_ok "stream: the banner names the event" err_has "payload  *[0-9]* bytes from a DynamoDB Streams event"

# --- routes: the application's actual ones ------------------------------------------------
sim_reset
tt replay Feedback --key "$K8" --to submit-feedback --template apigw --route 'GET /feedback/{id}' --yes
t_ok "--route: exit 0" rc_is 0
last_invoke_body >"$T_TMP/body"
t_ok "--route GET /feedback/{id}: a GET event for that resource, the item as body" "$PY" -c "
import json, sys
ev = json.load(open('$T_TMP/body'))
item = json.load(open('$T_TMP/item8.json'), parse_float=str, parse_int=str)
ok = ev['httpMethod'] == 'GET' and ev['resource'] == '/feedback/{id}' and ev['requestContext']['resourcePath'] == '/feedback/{id}'
ok = ok and json.loads(ev['body'], parse_float=str, parse_int=str) == item
sys.exit(0 if ok else 1)"
t_ok "--route: the banner names the route" err_has "an API Gateway proxy event (GET /feedback/{id})"

sim_reset
tt replay Feedback --key "$K8" --to submit-feedback --template apigw2 --yes
t_ok "apigw2: exit 0" rc_is 0
last_invoke_body >"$T_TMP/body"
t_ok "apigw2: an HTTP API 2.0 event for the function's route, the item as body" "$PY" -c "
import json, sys
ev = json.load(open('$T_TMP/body'))
item = json.load(open('$T_TMP/item8.json'), parse_float=str, parse_int=str)
ok = ev['version'] == '2.0' and ev['routeKey'] == 'POST /feedback' and ev['rawPath'] == '/feedback'
ok = ok and ev['requestContext']['http']['method'] == 'POST' and ev['headers']['content-type'] == 'application/json'
ok = ok and json.loads(ev['body'], parse_float=str, parse_int=str) == item and 'httpMethod' not in ev
sys.exit(0 if ok else 1)"

sim_reset
tt replay Feedback --key "$K8" --to submit-feedback --template apigw --route 'DELETE /feedback' --yes
t_ok "a route the application lacks: exit 2" rc_is 2
t_ok "... naming the routes that exist" err_has "no route DELETE /feedback; the application's routes: .*POST /feedback"
t_ok "... nothing read or invoked" sh -c "[ $(sim_count "r.get('action') == 'GetItem'") = 0 ] && [ $(invokes) = 0 ]"
tt replay Feedback --key "$K8" --to submit-feedback --template apigw --route 'feedback' --yes
t_ok "a route that is not METHOD /path: exit 2" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'METHOD /path' '$T_TMP/err'"
tt replay Feedback --key "$K8" --to submit-feedback --route 'POST /feedback' --yes
t_ok "--route without an API Gateway template: exit 2" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q -- '--route goes with' '$T_TMP/err'"
t_ok "route refusals invoked nothing" [ "$(invokes)" = 0 ]

# --- a function error: exit 6 ------------------------------------------------------------
sim_reset
curl -sS --aws-sigv4 "aws:amz:us-east-1:dynamodb" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
	-H 'Content-Type: application/x-amz-json-1.0' -H 'X-Amz-Target: DynamoDB_20120810.PutItem' \
	--data '{"TableName":"Feedback","Item":{"feedbackId":{"S":"fb-spam"},"createdAt":{"S":"2026-01-01T00:00:00.000Z"},"message":{"S":"BUY NOW cheap pills"},"rating":{"N":"1"}}}' \
	"$SIM_URL/" >"$T_TMP/put" 2>&1
SPAM_KEY='{"feedbackId":"fb-spam","createdAt":"2026-01-01T00:00:00.000Z"}'
tt replay Feedback --key "$SPAM_KEY" --to submit-feedback --yes
t_ok "spam item: exit 6" rc_is 6
t_ok "spam item: the function error named" err_has "function error (Unhandled): SpamRejected"
t_ok "spam item: the Invoke was sent" [ "$(invokes)" = 1 ]
tt replay Feedback --key "$SPAM_KEY" --to submit-feedback --yes --template apigw --json
t_ok "spam item in a proxy event, --json: exit 6 and FunctionError" sh -c "[ \$(cat '$T_TMP/rc') = 6 ] &&
	grep -q '\"FunctionError\": \"Unhandled\"' '$T_TMP/out'"
printf '{"message": "casino night", "original": {{item}}}' >"$T_TMP/spam.json"
tt replay Feedback --key "$K7" --to submit-feedback --template "@$T_TMP/spam.json" --yes --log
t_ok "a template that makes an item spam: exit 6" rc_is 6
t_ok "--log: the function's log on stderr" err_has "^START RequestId: "

# --- refused before the network -------------------------------------------------------
sim_reset
tt replay Feedback --key "$K7" --to submit-feedback --yes --read-only
t_ok "--read-only: exit 1" rc_is 1
t_ok "--read-only: says why" err_has "read-only mode (--read-only): refusing to replay an item of Feedback into submit-feedback; nothing was sent"
t_ok "--read-only: no request at all (not even GetItem)" [ "$(requests)" = 0 ]
TIERTOP_READ_ONLY=1 tt replay Feedback --key "$K7" --to submit-feedback --yes --template "@$T_TMP/bad.json"
t_ok "TIERTOP_READ_ONLY: exit 1, checked before the template" sh -c "[ \$(cat '$T_TMP/rc') = 1 ] &&
	grep -q 'read-only mode (TIERTOP_READ_ONLY)' '$T_TMP/err'"
tt replay Feedback --key "$K7" --to submit-feedback --yes --template apigw2 --route 'POST /feedback' --read-only
t_ok "--read-only with an API Gateway event: exit 1, before the routes are listed" sh -c "[ \$(cat '$T_TMP/rc') = 1 ] &&
	grep -q 'read-only mode (--read-only)' '$T_TMP/err'"
tt replay Feedback --key "$K7" --to export-feedback --yes --template stream --read-only
t_ok "--read-only with a stream event: exit 1" rc_is 1
t_ok "read-only refusals sent nothing" [ "$(requests)" = 0 ]

tt replay Feedback --key "$K7" --to submit-feedback
t_ok "no terminal and no --yes: exit 2" rc_is 2
t_ok "no terminal and no --yes: says to pass --yes" err_has "pass --yes"
t_ok "no terminal and no --yes: nothing sent" [ "$(requests)" = 0 ]
tt replay Feedback --key '{"feedbackId": "fb-0007",' --to submit-feedback --yes
t_ok "a --key that is not JSON: exit 2" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q -- '--key' '$T_TMP/err'"
tt replay Feedback --key "$K7" --yes
t_ok "no --to: exit 2" rc_is 2
tt replay Feedback --key "$K7" --to 'not a name!' --yes
t_ok "a bad function name: exit 2" rc_is 2
tt replay Feedback --key "$K7" --to submit-feedback --async --check --yes
t_ok "--async with --check: exit 2" rc_is 2
tt replay Feedback --key "$K7" --to submit-feedback --dry-run --check
t_ok "--dry-run with --check: exit 2, says why" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'dry-run sends nothing' '$T_TMP/err'"
tt replay Feedback --keys "$T_TMP/nokeys" --to submit-feedback --check --yes
t_ok "--check with --keys: exit 2" rc_is 2
tt replay Feedback --key "$K7" --to submit-feedback --async --log --yes
t_ok "--log with --async: exit 2" rc_is 2
tt replay Feedback --key "$K7" --to submit-feedback --to spam-filter --yes
t_ok "--to given twice: refused, exit 2" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q -- '--to given twice' '$T_TMP/err'"
tt replay Feedback --key "$K7" --to submit-feedback --templat raw --yes
t_ok "an unknown option: named, exit 2" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q -- 'unknown option --templat' '$T_TMP/err'"
t_ok "bad command lines sent nothing" [ "$(requests)" = 0 ]

# --- nothing to replay ---------------------------------------------------------------------
sim_reset
tt replay Feedback --key '{"feedbackId":"fb-9999","createdAt":"2020-01-01T00:00:00.000Z"}' --to submit-feedback --yes
t_ok "missing item: exit 4" rc_is 4
t_ok "missing item: names the table and key" err_has 'no item in Feedback has the key {"feedbackId":"fb-9999","createdAt":"2020-01-01T00:00:00.000Z"}; nothing was invoked'
t_ok "missing item: a GetItem, no Invoke, no lookup" sh -c "[ $(sim_count "r.get('action') == 'GetItem'") = 1 ] &&
	[ $(sim_count "r.get('service') == 'lambda'") = 0 ]"
tt replay NoSuchTable --key "$K7" --to submit-feedback --yes
t_ok "missing table: exit 4, named" sh -c "[ \$(cat '$T_TMP/rc') = 4 ] && grep -q 'no active table named NoSuchTable' '$T_TMP/err'"
t_ok "missing table: no Invoke" [ "$(invokes)" = 0 ]
tt replay Feedback --key "$K7" --to nope --yes
t_ok "missing function: exit 4, no Invoke" sh -c "[ \$(cat '$T_TMP/rc') = 4 ] && [ $(invokes) = 0 ]"

# --- async and dry run -----------------------------------------------------------------------
sim_reset
tt replay Feedback --key "$K7" --to submit-feedback --template apigw --dry-run --read-only
t_ok "--dry-run with one --key: allowed in read-only mode, exit 0" rc_is 0
t_ok "--dry-run: the item read, nothing sent to Lambda" sh -c "[ $(sim_count "r.get('action') == 'GetItem'") = 1 ] &&
	[ $(invokes) = 0 ]"
t_ok "--dry-run: the exact payload printed, one JSON line" "$PY" -c "
import json, sys
lines = open('$T_TMP/out').read().splitlines()
ev = json.loads(lines[0]) if len(lines) == 1 else {}
body = json.loads(ev.get('body') or '{}')
sys.exit(0 if ev.get('httpMethod') == 'POST' and body.get('feedbackId') == 'fb-0007' else 1)"
sim_reset
tt replay Feedback --key "$K7" --to submit-feedback --check --yes --read-only
t_ok "--check: allowed in read-only mode, 204" sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && grep -q 'status 204: dry run passed' '$T_TMP/err'"
t_ok "--check: DryRun, nothing stored" [ "$(sim_count "r.get('action') == 'Invoke' and dict((k.lower(), v) for k, v in r['headers']).get('x-amz-invocation-type') == 'DryRun'")" = 1 ]
tt replay Feedback --key "$K7" --to submit-feedback --async --yes
t_ok "--async: 202, Event" sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && grep -q 'status 202: queued' '$T_TMP/err' &&
	[ $(sim_count "r.get('action') == 'Invoke' and dict((k.lower(), v) for k, v in r['headers']).get('x-amz-invocation-type') == 'Event'") = 1 ]"

# --- confirmation on a terminal ------------------------------------------------------
if ! command -v tmux >/dev/null; then
	t_skip "tmux is needed for the confirmation tests (Debian tmux)"
	t_done
	exit
fi
tmux_begin replay

printf '%s' "$K7" >"$T_TMP/k7"
sim_reset
run_in_tmux no replay Feedback --key "\"\$(cat '$T_TMP/k7')\"" --to submit-feedback
t_ok "terminal: asks before acting" wait_screen "Replay the item into submit-feedback now? \[y/N\]"
t_ok "terminal: the source key is on screen first" grep -q 'key  *{"feedbackId":"fb-0007"' "$T_TMP/screen"
t_ok "terminal: the item was read, nothing invoked before the answer" sh -c "
	[ $(sim_count "r.get('action') == 'GetItem'") = 1 ] && [ $(invokes) = 0 ]"
tmx send-keys -t "$SESSION" n Enter
t_ok "terminal: n does not replay (exit 1)" wait_screen "EXIT=1"
t_ok "terminal: n says so" grep -q "not replayed" "$T_TMP/screen"
t_ok "terminal: n sent no Invoke" [ "$(invokes)" = 0 ]

sim_reset
run_in_tmux yes replay Feedback --key "\"\$(cat '$T_TMP/k7')\"" --to submit-feedback
wait_screen "Replay the item into submit-feedback now?" >/dev/null
tmx send-keys -t "$SESSION" y Enter
t_ok "terminal: y replays (exit 0)" wait_screen "EXIT=0"
t_ok "terminal: one Invoke" [ "$(invokes)" = 1 ]

t_done
