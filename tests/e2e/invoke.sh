#!/bin/sh
# tiertop invoke against the simulator's feedback functions: what is refused
# before the network (read-only, bad or oversize payloads, no terminal to
# confirm on), what is sent (headers, qualifier, ARN paths that must pass the
# signature check), what comes back (raw answer, function errors, the tail
# log, sanitized), which failures are retried (throttling only), and the
# confirmation on a terminal (tmux).
. "$(dirname "$0")/lib.sh"
need_sim_deps
sim_start
sandbox
export AWS_ACCESS_KEY_ID=AKIDTIERTOPSIM000001
export AWS_SECRET_ACCESS_KEY=tiertopSimSecretKey0000000000000000000001

tt whoami
if ! rc_is 0; then
	echo "Bail out! the simulator does not answer whoami"
	exit 1
fi
sim_reset
tt invoke spam-filter --dry-run --yes
if ! rc_is 0; then
	echo "1..0 # SKIP the simulator has no Lambda"
	exit 0
fi

# invokes PYTHON-CONDITION: how many Invoke requests the simulator saw that
# match (r is the recorded request, h its headers with lower-case names).
invokes() {
	sim_count "r.get('service') == 'lambda' and r.get('action') == 'Invoke' and (lambda h: $1)(dict((k.lower(), v) for k, v in r['headers']))"
}
requests() { sim_count "True"; }
fault() { sim_reset; sim POST /_sim/faults "$1" >/dev/null; }
ESC=$(printf '\033')
FN_ARN=arn:aws:lambda:us-east-1:111122223333:function:submit-feedback

# --- refused before the network ------------------------------------------------------
sim_reset
tt invoke submit-feedback --payload '{"message":"hi"}' --yes --read-only
t_ok "--read-only: exit 1" rc_is 1
t_ok "--read-only: says why and that nothing was sent" err_has "read-only mode (--read-only).*nothing was sent"
t_ok "--read-only: no request at all (not even STS)" [ "$(requests)" = 0 ]
TIERTOP_READ_ONLY=1 tt invoke submit-feedback --yes
t_ok "TIERTOP_READ_ONLY=1: exit 1" rc_is 1
t_ok "TIERTOP_READ_ONLY=1: names the variable" err_has "read-only mode (TIERTOP_READ_ONLY)"
TIERTOP_READ_ONLY=yes-please tt invoke submit-feedback --yes
t_ok "an unreadable TIERTOP_READ_ONLY counts as on" rc_is 1
t_ok "read-only refusals sent nothing" [ "$(requests)" = 0 ]

tt invoke submit-feedback --yes --payload '{"message": "hi",
  "rating": 5,,
}'
t_ok "invalid JSON: exit 2" rc_is 2
t_ok "invalid JSON: line and column" err_has "not valid JSON: line 2, column 15"
printf '[1, 2,\n  {"a": tru}]\n' >"$T_TMP/bad.json"
tt invoke submit-feedback --yes --payload "@$T_TMP/bad.json"
t_ok "invalid JSON from a file: exit 2, names the file, line 2" sh -c \
	"[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'bad.json) is not valid JSON: line 2, column' '$T_TMP/err'"
tt invoke submit-feedback --yes --payload "@$T_TMP/missing.json"
t_ok "a missing payload file: exit 2" rc_is 2
tt invoke submit-feedback --yes --payload "@$T_TMP"
t_ok "a directory as the payload file: exit 2, and why" sh -c \
	"[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'cannot read the payload from .*: Is a directory' '$T_TMP/err'"

"$PY" -c "import json; print(json.dumps({'message': 'x' * (7 * 1024 * 1024)}))" >"$T_TMP/big.json"
"$PY" -c "import json; print(json.dumps({'message': 'x' * (2 * 1024 * 1024)}))" >"$T_TMP/2mb.json"
"$PY" -c "import json, sys; s = json.dumps({'message': ''}); sys.stdout.write(s[:-2] + 'x' * (6 * 1024 * 1024 - len(s)) + s[-2:])" >"$T_TMP/6mb.json"
tt invoke submit-feedback --yes --payload "@$T_TMP/big.json"
t_ok "a 7 MB payload: exit 2 before sending" rc_is 2
t_ok "a 7 MB payload: says the limit" err_has "over Lambda's limit of 6291456 bytes (6 MB) for a synchronous invoke; nothing was sent"
tt invoke submit-feedback --yes --async --payload "@$T_TMP/2mb.json"
t_ok "a 2 MB asynchronous payload: refused (1 MB limit)" err_has "limit of 1048576 bytes (1 MB) for an asynchronous"
"$TIERTOP" invoke submit-feedback --yes --payload - <"$T_TMP/big.json" >"$T_TMP/out" 2>"$T_TMP/err"
echo $? >"$T_TMP/rc"
t_ok "a 7 MB payload on stdin: refused" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'more than 6291456 bytes' '$T_TMP/err'"
t_ok "oversize payloads sent nothing" [ "$(requests)" = 0 ]

tt invoke submit-feedback --payload '{"message":"hi"}'
t_ok "no terminal and no --yes: exit 2" rc_is 2
t_ok "no terminal and no --yes: says to pass --yes" err_has "pass --yes"
t_ok "no terminal and no --yes: nothing sent" [ "$(requests)" = 0 ]
tt invoke 'not a name!' --yes
t_ok "a bad function name: exit 2" rc_is 2
tt invoke submit-feedback:live --qualifier 1 --yes
t_ok "two different qualifiers: exit 2" rc_is 2
tt invoke submit-feedback --async --log --yes
t_ok "--log with --async: exit 2" rc_is 2
tt invoke submit-feedback --payload '{}' --payload '{"a":1}' --yes
t_ok "--payload given twice: refused, exit 2" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q -- '--payload given twice' '$T_TMP/err'"
tt invoke submit-feedback --payloud '{}' --yes
t_ok "an unknown option: named, exit 2" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q -- 'unknown option --payloud' '$T_TMP/err'"
tt invoke submit-feedback other-function --yes
t_ok "a second function: named, exit 2" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'unexpected argument \"other-function\"' '$T_TMP/err'"
tt invoke --yes
t_ok "no function: exit 2" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'FUNCTION missing' '$T_TMP/err'"
t_ok "bad command lines sent nothing" [ "$(requests)" = 0 ]

# --- a synchronous invoke --------------------------------------------------------------
sim_reset
tt invoke spam-filter --yes --payload '{"message":"lovely app"}'
t_ok "invoke: exit 0" rc_is 0
t_ok "invoke: the account before acting" err_has "account  *111122223333 (arn:aws:iam::111122223333:user/ops)"
t_ok "invoke: the region and where it came from" err_has "region  *us-east-1 (AWS_REGION)"
t_ok "invoke: the endpoint" err_has "endpoint  *$SIM_URL (AWS_ENDPOINT_URL)"
t_ok "invoke: the function's ARN" err_has "function  *arn:aws:lambda:us-east-1:111122223333:function:spam-filter"
t_ok "invoke: status and executed version on stderr" err_has 'status 200, executed version \$LATEST'
t_ok "invoke: stdout is the answer byte for byte (Python's separators, no newline added)" "$PY" -c "
import json, sys
raw = open('$T_TMP/out').read()
sys.exit(0 if raw == json.dumps(json.loads(raw)) and 'score' in raw else 1)"
t_ok "invoke: one Invoke, RequestResponse" [ "$(invokes "h.get('x-amz-invocation-type') == 'RequestResponse'")" = 1 ]
t_ok "invoke: the body is sent as application/json" [ "$(invokes "h.get('content-type') == 'application/json' and r.get('body') == '{\"message\":\"lovely app\"}'")" = 1 ]
t_ok "invoke: no log asked for" [ "$(invokes "'x-amz-log-type' not in h")" = 1 ]
t_ok "invoke: the function was looked up first" [ "$(sim_count "r.get('action') == 'GetFunctionConfiguration'")" = 1 ]

sim_reset
printf '{"message": "from a file"}' >"$T_TMP/p.json"
tt invoke spam-filter --yes --payload "@$T_TMP/p.json"
t_ok "@file: sent as is" [ "$(invokes "r.get('body') == '{\"message\": \"from a file\"}'")" = 1 ]
printf '{"message": "from stdin"}' | "$TIERTOP" invoke spam-filter --yes --payload - >"$T_TMP/out" 2>"$T_TMP/err"
t_ok "-: the payload is read from stdin" [ "$(invokes "r.get('body') == '{\"message\": \"from stdin\"}'")" = 1 ]
tt invoke spam-filter --yes
t_ok "no --payload sends {}" [ "$(invokes "r.get('body') == '{}'")" = 1 ]
sim_reset
tt invoke submit-feedback --payload='{"message":"equals"}' --qualifier=live -y
t_ok "--opt=value and -y: exit 0" rc_is 0
t_ok "--opt=value: the payload and qualifier sent" [ "$(invokes "'Qualifier=live' in (r.get('query') or '') and 'equals' in (r.get('body') or '')")" = 1 ]
TIERTOP_READ_ONLY=0 tt invoke worker-01 --yes
t_ok "TIERTOP_READ_ONLY=0 is off" rc_is 0

# --- addressing: qualifier, ARN, the signature -----------------------------------------
sim_reset
tt invoke submit-feedback --qualifier live --yes --payload '{"message":"via alias"}'
t_ok "--qualifier: exit 0" rc_is 0
t_ok "--qualifier: sent as ?Qualifier=" [ "$(invokes "r.get('query') == 'Qualifier=live'")" = 1 ]
t_ok "--qualifier: the alias and its version are shown" err_has "qualifier  *live (version 1)"
t_ok "--qualifier: executed version 1" err_has "executed version 1,"
sim_reset
tt invoke "$FN_ARN:live" --yes --payload '{"message":"via ARN"}'
t_ok "a qualified ARN: exit 0 (the signature check passed)" rc_is 0
t_ok "a qualified ARN: ':' travels as %3A in the path" [ "$(invokes "'/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A111122223333%3Afunction%3Asubmit-feedback%3Alive/invocations' in r.get('path') and not r.get('auth_error') and r.get('status') == 200")" = 1 ]
t_ok "a qualified ARN: executed version 1" err_has "executed version 1,"
tt invoke "111122223333:function:spam-filter" --yes --payload '{"message":"partial"}'
t_ok "a partial ARN: exit 0" rc_is 0
t_ok "no request failed the signature check" [ "$(sim_count "bool(r.get('auth_error'))")" = 0 ]

# --- what comes back -------------------------------------------------------------------
sim_reset
tt invoke submit-feedback --yes --payload '{"message":"BUY NOW cheap pills"}'
t_ok "function error: exit 6" rc_is 6
t_ok "function error: named on stderr" err_has "function error (Unhandled): SpamRejected: Feedback rejected as spam"
t_ok "function error: the error document on stdout" out_has '"errorType":"SpamRejected"'
sim POST /_sim/config '{"lambda_raw_errors": true}' >/dev/null
tt invoke submit-feedback --yes --payload '{"message":"BUY NOW cheap pills"}'
t_ok "function error without an error document: exit 6" rc_is 6
t_ok "... the answer's first line stands for the message" err_has "function error (Handled): SpamRejected: Feedback rejected as spam\.\.\.\$"
t_ok "... the answer itself on stdout" out_has "at handler (index.js)"
sim POST /_sim/config '{"lambda_raw_errors": false}' >/dev/null

tt invoke submit-feedback --yes --log --payload '{"message":"\u001b]0;pwned\u0007 hello \u009b31m"}'
t_ok "--log: exit 0" rc_is 0
t_ok "--log: Tail asked for" [ "$(invokes "h.get('x-amz-log-type') == 'Tail'")" = 1 ]
t_ok "--log: the decoded log on stderr" err_has "^START RequestId: .* Version: \$LATEST"
t_ok "--log: up to REPORT" err_has "^REPORT RequestId: "
t_ok "--log: the escape sequence from the payload is shown, not sent" err_has 'Received feedback: ^\[\]0;pwned^G hello <U+009B>31m'
t_ok "--log: no raw ESC reaches the terminal" err_lacks "$ESC"

sim_reset
tt invoke nope --yes
t_ok "unknown function: exit 4" rc_is 4
t_ok "unknown function: ResourceNotFoundException" err_has "ResourceNotFoundException"
t_ok "unknown function: says nothing was invoked" err_has "nothing was invoked"
t_ok "unknown function: no Invoke sent" [ "$(invokes True)" = 0 ]

sim_reset
tt invoke spam-filter --yes --async --payload '{"message":"later"}'
t_ok "--async: exit 0, 202" sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && grep -q 'status 202: queued' '$T_TMP/err'"
t_ok "--async: Event" [ "$(invokes "h.get('x-amz-invocation-type') == 'Event'")" = 1 ]
tt invoke spam-filter --yes --dry-run --read-only
t_ok "--dry-run: allowed in read-only mode, 204" sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && grep -q 'status 204: dry run passed' '$T_TMP/err'"
t_ok "--dry-run: DryRun" [ "$(invokes "h.get('x-amz-invocation-type') == 'DryRun'")" = 1 ]
tt invoke spam-filter --yes --dry-run --payload "@$T_TMP/6mb.json"
t_ok "a payload of exactly 6 MB is sent" sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && [ \$(wc -c <'$T_TMP/6mb.json') = 6291456 ]"

tt invoke spam-filter --yes --json --log --payload '{"message":"json please"}'
t_ok "--json: one document with status, version, payload as written and log" "$PY" -c "
import json, sys
raw = open('$T_TMP/out').read()
d = json.loads(raw)
ok = d['StatusCode'] == 200 and d['ExecutedVersion'] == '\$LATEST' and isinstance(d['Payload'], dict)
ok = ok and 'START RequestId' in d['Log'] and 'FunctionError' not in d
sys.exit(0 if ok and '\"score\": 0.' in raw and '000000000' not in raw else 1)"
tt invoke submit-feedback --yes --json --payload '{"message":"casino bonus"}'
t_ok "--json: FunctionError, exit 6" sh -c "[ \$(cat '$T_TMP/rc') = 6 ] && grep -q '\"FunctionError\": \"Unhandled\"' '$T_TMP/out'"

# --- retries: only when the function certainly did not run ----------------------------
fault '{"service":"lambda","action":"Invoke","kind":"throttle","count":1,"retry_after":1}'
tt invoke spam-filter --yes --payload '{"message":"x"}' --debug-log "$T_TMP/throttle.log"
t_ok "throttled once (429, Retry-After: 1): exit 0" rc_is 0
t_ok "throttled once: retried after the server's Retry-After" grep -q "lambda Invoke: retrying in 1000 ms (TooManyRequestsException" "$T_TMP/throttle.log"
t_ok "throttled once: two Invoke requests" [ "$(invokes True)" = 2 ]
fault '{"service":"lambda","action":"Invoke","kind":"throttle","count":-1}'
tt invoke spam-filter --yes --payload '{"message":"x"}'
t_ok "always throttled: exit 4" rc_is 4
t_ok "always throttled: gave up after 3 attempts, TooManyRequestsException" err_has "gave up after 3 attempts.*TooManyRequestsException"
t_ok "always throttled: three Invoke requests" [ "$(invokes True)" = 3 ]
fault '{"service":"lambda","action":"Invoke","kind":"error5xx","count":1}'
tt invoke spam-filter --yes --payload '{"message":"x"}'
t_ok "a 500 from Invoke: exit 4, not retried (it may have run)" sh -c "[ \$(cat '$T_TMP/rc') = 4 ] && grep -q 'not retried' '$T_TMP/err'"
t_ok "a 500 from Invoke: one Invoke request" [ "$(invokes True)" = 1 ]
fault '{"service":"lambda","action":"Invoke","kind":"reset","count":1}'
tt invoke spam-filter --yes --payload '{"message":"x"}'
t_ok "a reset during Invoke: exit 5, not retried" sh -c "[ \$(cat '$T_TMP/rc') = 5 ] && grep -q 'not retried' '$T_TMP/err'"
t_ok "a reset during Invoke: one Invoke request (curl did not resend it either)" [ "$(invokes True)" = 1 ]
fault '{"service":"lambda","action":"Invoke","kind":"truncated","count":1}'
tt invoke spam-filter --yes --payload '{"message":"x"}'
t_ok "a truncated answer: exit 5, one request" sh -c "[ \$(cat '$T_TMP/rc') = 5 ] && [ $(invokes True) = 1 ]"
fault '{"service":"lambda","action":"GetFunctionConfiguration","kind":"error5xx","count":-1}'
tt invoke spam-filter --yes --payload '{"message":"x"}'
t_ok "the lookup failing with a 5xx only costs the details: exit 0" rc_is 0
t_ok "and says the function was not checked" err_has "lookup  *not checked (InternalFailure"

# --- @last: the last payload sent to the function --------------------------------------
rm -rf "$HOME/.local/state/tiertop/payloads"
sim_reset
tt invoke spam-filter --yes --payload @last
t_ok "@last with nothing remembered: exit 2" rc_is 2
t_ok "@last with nothing remembered: says so" err_has "no payload remembered for spam-filter; send one first"
t_ok "@last with nothing remembered: nothing sent" [ "$(requests)" = 0 ]
printf '{"message": "caf\303\251 \\u00e9",\n  "rating": 4.50, "tags": [ ]}' >"$T_TMP/last.json"
tt invoke spam-filter --yes --payload "@$T_TMP/last.json"
t_ok "an invoke to remember: exit 0" rc_is 0
tt invoke spam-filter --yes --payload '{"message":"dry"}' --read-only --dry-run
sim_reset
tt invoke "$FN_ARN:live" --yes --payload '{"message":"other function"}'
tt invoke spam-filter --yes --payload @last
t_ok "@last: exit 0" rc_is 0
t_ok "@last: the banner says where the payload came from" err_has "bytes from the last payload sent to spam-filter"
t_ok "@last: the last payload sent (the dry run's), not another function's" \
	[ "$(invokes "r.get('path', '').endswith('/spam-filter/invocations') and r.get('body') == '{\"message\":\"dry\"}'")" = 1 ]
tt invoke spam-filter --yes --payload "@$T_TMP/last.json"
sim_reset
tt invoke spam-filter --yes --payload @last
sim GET /_sim/requests >"$T_TMP/requests.json"
t_ok "@last: exactly the bytes of the file sent before" "$PY" -c "
import json, sys
reqs = json.load(open('$T_TMP/requests.json'))
reqs = reqs.get('requests', reqs) if isinstance(reqs, dict) else reqs
bodies = [r.get('body') for r in reqs if r.get('action') == 'Invoke']
sys.exit(0 if bodies == [open('$T_TMP/last.json', encoding='utf-8').read()] else 1)"
tt invoke submit-feedback --yes --payload @last
t_ok "@last by name after an invoke by qualified ARN: remembered under the name" \
	[ "$(invokes "r.get('body') == '{\"message\":\"other function\"}'")" = 1 ]
rm -rf "$HOME/.local/state/tiertop/payloads"
: >"$HOME/.local/state/tiertop/payloads"
tt invoke spam-filter --yes --payload '{"message":"not kept"}'
t_ok "payloads that cannot be remembered: the invoke still succeeds" rc_is 0
t_ok "payloads that cannot be remembered: a warning says so" err_has "warning: the payload was not remembered"
rm -f "$HOME/.local/state/tiertop/payloads"

# --- confirmation on a terminal ------------------------------------------------------
if ! command -v tmux >/dev/null; then
	t_skip "tmux is needed for the confirmation tests (Debian tmux)"
	t_done
	exit
fi
tmux_begin invoke

sim_reset
run_in_tmux yes invoke submit-feedback --payload "'{\"message\":\"typed yes\"}'"
t_ok "terminal: asks before acting" wait_screen "Invoke submit-feedback now? \[y/N\]"
t_ok "terminal: the target is on screen first" grep -q "function  *$FN_ARN" "$T_TMP/screen"
t_ok "terminal: nothing sent before the answer" [ "$(invokes True)" = 0 ]
tmx send-keys -t "$SESSION" y Enter
t_ok "terminal: y invokes (exit 0)" wait_screen "EXIT=0"
t_ok "terminal: one Invoke" [ "$(invokes True)" = 1 ]
t_ok "terminal: the JSON answer is indented" grep -q '^  "statusCode": 201,' "$T_TMP/screen"

sim_reset
run_in_tmux no invoke submit-feedback --payload "'{\"message\":\"typed no\"}'"
wait_screen "Invoke submit-feedback now?" >/dev/null
tmx send-keys -t "$SESSION" n Enter
t_ok "terminal: n does not invoke (exit 1)" wait_screen "EXIT=1"
t_ok "terminal: n says so" grep -q "not invoked" "$T_TMP/screen"
t_ok "terminal: n sent no Invoke" [ "$(invokes True)" = 0 ]

# With stderr thrown away the question must not come alone: the banner is
# written to the terminal with it.
sim_reset
run_in_tmux quiet invoke submit-feedback "'--payload={\"message\":\"quiet\"}'" "2>/dev/null"
t_ok "terminal, 2>/dev/null: asks" wait_screen "Invoke submit-feedback now? \[y/N\]"
t_ok "terminal, 2>/dev/null: the account is on the terminal" grep -q "account  *111122223333" "$T_TMP/screen"
t_ok "terminal, 2>/dev/null: the region and endpoint too" \
	sh -c 'grep -q "region  *us-east-1" "$1" && grep -q "endpoint  *http://127.0.0.1" "$1"' _ "$T_TMP/screen"
t_ok "terminal, 2>/dev/null: and the target, before the question" grep -q "function  *$FN_ARN" "$T_TMP/screen"
tmx send-keys -t "$SESSION" n Enter
t_ok "terminal, 2>/dev/null: n does not invoke" wait_screen "EXIT=1"
t_ok "terminal, 2>/dev/null: no Invoke" [ "$(invokes True)" = 0 ]

sim_reset
run_in_tmux enter invoke submit-feedback
wait_screen "Invoke submit-feedback now?" >/dev/null
tmx send-keys -t "$SESSION" Enter
t_ok "terminal: Enter alone means no" wait_screen "EXIT=1"
t_ok "terminal: Enter sent no Invoke" [ "$(invokes True)" = 0 ]

t_done
