#!/bin/sh
# The audit log against the simulator: an invoke and a replay are recorded
# (intent and result, the file 0600 in a 0700 directory), `tiertop audit`
# shows both (text, --json, --since); a dry run and a read-only refusal are
# not recorded; an unwritable log stops the invoke before it is sent; and a
# `tiertop invoke` killed with SIGKILL while the simulator holds its Invoke
# leaves the intent on disk, which `tiertop audit` reports without a result.
. "$(dirname "$0")/lib.sh"
need_sim_deps
sim_start
sandbox
export AWS_ACCESS_KEY_ID=AKIDTIERTOPSIM000001
export AWS_SECRET_ACCESS_KEY=tiertopSimSecretKey0000000000000000000001
export XDG_STATE_HOME="$T_TMP/state"
LOG="$XDG_STATE_HOME/tiertop/audit.jsonl"

sim_reset
tt items Feedback --limit 1
if ! rc_is 0; then
	echo "Bail out! the simulator does not serve the Feedback table"
	exit 1
fi

invokes() { sim_count "r.get('service') == 'lambda' and r.get('action') == 'Invoke'"; }
records() { if [ -f "$LOG" ]; then wc -l <"$LOG"; else echo 0; fi; }
invoked() { [ "$(invokes)" -ge 1 ]; }
# jq-less checks of the log: a Python expression over recs (the records).
log_check() {
	"$PY" -c "
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
sys.exit(0 if ($1) else 1)" "$LOG"
}
# wait_until SECONDS COMMAND...: until COMMAND succeeds; the bound only stops a hang.
wait_until() {
	n=$(($1 * 20))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.05
		n=$((n - 1))
	done
	return 1
}

KEY=$("$TIERTOP" items Feedback --limit 1 </dev/null | "$PY" -c 'import json, sys
d = json.loads(sys.stdin.readline())
print(json.dumps({"feedbackId": d["feedbackId"], "createdAt": d["createdAt"]}))')
[ -n "$KEY" ] || { echo "Bail out! cannot read a key"; exit 1; }

# --- not actions: nothing recorded -------------------------------------------------------
tt invoke submit-feedback --dry-run --yes
t_ok "dry run: exit 0" rc_is 0
tt invoke submit-feedback --yes --read-only
t_ok "read-only refusal: exit 1" rc_is 1
t_ok "a dry run and a refusal are not recorded" [ ! -e "$LOG" ]

# --- an invoke and a replay ----------------------------------------------------------------
sim_reset
PAYLOAD='{"message":"audit me","rating":5}'
SIZE=$(printf '%s' "$PAYLOAD" | wc -c)
PAYLOAD_SHA=$(printf '%s' "$PAYLOAD" | sha256sum | cut -d' ' -f1)
tt invoke submit-feedback --payload "$PAYLOAD" --yes
t_ok "invoke: exit 0" rc_is 0
t_ok "invoke: two records, intent then result" log_check \
	"len(recs) == 2 and recs[0]['record'] == 'intent' and recs[1]['record'] == 'result' and recs[0]['id'] == recs[1]['id']"
t_ok "invoke: the intent's identity, account, region, endpoint, function, type, size, SHA-256" log_check \
	"recs[0]['action'] == 'invoke' and recs[0]['identity'].startswith('arn:aws:') and recs[0]['account'] == '111122223333'
	 and recs[0]['region'] == 'us-east-1' and '$SIM_URL' in recs[0]['endpoint'] and recs[0]['function'] == 'submit-feedback'
	 and recs[0]['invocation_type'] == 'RequestResponse' and recs[0]['payload_size'] == $SIZE
	 and recs[0]['payload_sha256'] == '$PAYLOAD_SHA'"
t_ok "invoke: the result's status, request id and duration" log_check \
	"recs[1]['status'] == 200 and recs[1]['request_id'] and recs[1]['duration_ms'] >= 0 and recs[1]['function_error'] is None"
t_ok "the file is 0600, its directory 0700" sh -c \
	"[ \$(stat -c %a '$LOG') = 600 ] && [ \$(stat -c %a '$XDG_STATE_HOME/tiertop') = 700 ]"

tt replay Feedback --key "$KEY" --to submit-feedback --yes
t_ok "replay: exit 0" rc_is 0
t_ok "replay: recorded with its source table and key" log_check \
	"len(recs) == 4 and recs[2]['action'] == 'replay' and recs[2]['replay']['table'] == 'Feedback'
	 and recs[2]['replay']['key'] == json.loads('''$KEY''') and recs[3]['id'] == recs[2]['id']"

tt invoke submit-feedback --payload '{"message":"BUY NOW cheap pills"}' --yes
t_ok "function error: exit 6" rc_is 6
t_ok "function error: in the result" log_check "recs[-1]['function_error'] == 'Unhandled'"

tt audit
t_ok "audit: exit 0" rc_is 0
t_ok "audit: one line per action" [ "$(wc -l <"$T_TMP/out")" = 3 ]
t_ok "audit: the invoke with its result" sh -c \
	"sed -n 1p '$T_TMP/out' | grep -q 'invoke  submit-feedback  RequestResponse  $SIZE bytes  account 111122223333  us-east-1  -> status 200, request id '"
t_ok "audit: the replay with its source" sh -c \
	"sed -n 2p '$T_TMP/out' | grep -q 'replay  submit-feedback .* from Feedback {.*feedbackId.*} *-> status 200'"
t_ok "audit: the function error" sh -c "sed -n 3p '$T_TMP/out' | grep -q 'function error Unhandled'"

tt audit --json
t_ok "audit --json: exit 0" rc_is 0
t_ok "audit --json: one object per action, the intent with its result" "$PY" -c "
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
sys.exit(0 if len(docs) == 3 and docs[0]['function'] == 'submit-feedback' and docs[0]['result']['status'] == 200
         and docs[1]['replay']['table'] == 'Feedback' else 1)" "$T_TMP/out"

tt audit --since 1h
t_ok "audit --since 1h: all three" [ "$(wc -l <"$T_TMP/out")" = 3 ]
tt audit --since=2099-01-01T00:00:00Z
t_ok "audit --since a later time: none, said on stderr" sh -c \
	"[ \$(cat '$T_TMP/rc') = 0 ] && [ ! -s '$T_TMP/out' ] && grep -q 'no actions' '$T_TMP/err'"
tt audit --since soon
t_ok "audit --since nonsense: exit 2" rc_is 2

# A record whose strings carry escape sequences (the log is a file anyone
# with the account can influence through names and errors).
printf '%s\n' '{"id":"e1","time":"2026-01-01T00:00:00.000Z","record":"intent","action":"invoke","function":"evil\u001b]0;owned\u0007\u001b[31m","region":"us-east-1"}' >>"$LOG"
printf '%s\n' '{"id":"e1","time":"2026-01-01T00:00:01.000Z","record":"result","error":{"kind":"aws","message":"bad\u009b2J"}}' >>"$LOG"
tt audit
t_ok "hostile record: shown" out_has 'evil^\[\]0;owned'
t_ok "hostile record: no raw ESC, BEL or CSI byte on stdout" sh -c "! LC_ALL=C grep -q \"\$(printf '[\\033\\007\\233]')\" '$T_TMP/out'"
tt audit --json
t_ok "hostile record --json: no raw control bytes either" sh -c "! LC_ALL=C grep -q \"\$(printf '[\\033\\007\\233]')\" '$T_TMP/out'"

# --- the log cannot be written: nothing is sent -----------------------------------------------
# A file where the state directory should be stops root too.
sim_reset
echo "not a directory" >"$T_TMP/blocker"
XDG_STATE_HOME="$T_TMP/blocker" tt invoke submit-feedback --yes
t_ok "unwritable log: exit 1, says so, nothing invoked" sh -c \
	"[ \$(cat '$T_TMP/rc') = 1 ] && grep -q 'nothing was invoked: cannot create .*blocker/tiertop' '$T_TMP/err'"
t_ok "unwritable log: no Invoke reached the simulator" [ "$(invokes)" = 0 ]

before=$(records)
mkdir -p "$T_TMP/s2/tiertop"
ln -s "$LOG" "$T_TMP/s2/tiertop/audit.jsonl"
XDG_STATE_HOME="$T_TMP/s2" tt invoke submit-feedback --yes
t_ok "a symlink for the log: refused, exit 1, nothing written through it" sh -c \
	"[ \$(cat '$T_TMP/rc') = 1 ] && grep -q 'audit log .* is a symbolic link; refused' '$T_TMP/err' && [ $(records) = $before ]"
t_ok "... no Invoke" [ "$(invokes)" = 0 ]

# --- kill -9 while the Invoke is in flight ---------------------------------------------------
sim_reset
sim POST /_sim/faults '{"service": "lambda", "action": "Invoke", "kind": "latency", "latency_ms": 20000, "count": 1}' >/dev/null
before=$(records)
"$TIERTOP" invoke submit-feedback --payload '{"message":"slow"}' --yes >"$T_TMP/kout" 2>"$T_TMP/kerr" </dev/null &
pid=$!
t_ok "kill -9: the Invoke reached the simulator (held there)" wait_until 30 invoked
kill -9 "$pid"
wait "$pid" 2>/dev/null
t_ok "kill -9: the intent is on disk, without a result" log_check \
	"len(recs) == $before + 1 and recs[-1]['record'] == 'intent' and recs[-1]['payload_size'] == 18"
tt audit
t_ok "kill -9: audit says there is no result" sh -c \
	"tail -n 1 '$T_TMP/out' | grep -q 'invoke  submit-feedback .* -> no result (interrupted?)'"
t_ok "kill -9: the earlier actions keep theirs" sh -c "[ \$(grep -c -- '-> status 200' '$T_TMP/out') = 3 ]"

t_done
