#!/bin/sh
# Replaying stored items from the console (issue 8), through tmux like a
# person would: :replay opens the view for two keys with the function the
# wiring names for the table, d shows the exact payloads and sends nothing,
# Enter asks for a typed confirmation, both results show, the simulator got
# exactly those payloads, the audit log holds two intents and two results,
# L on a row opens its logs, and the choice is remembered in the config
# file. Then the same two items through every other template (apigw,
# apigw2, stream, a template file): the function receives what the verb's
# dry run builds for the same items, but for the ids and times made at send
# time. Then read-only mode: replay disabled, nothing sent. Every wait is for
# something on the screen or in the simulator, never a sleep.
. "$(dirname "$0")/lib.sh"
console_test console_replay
invokes() { sim_count "r.get('service') == 'lambda' and r.get('action') == 'Invoke'"; }
AUDIT="$HOME/.local/state/tiertop/audit.jsonl"

"$TIERTOP" items Feedback --limit 2 </dev/null >"$T_TMP/items"
"$PY" -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    print(json.dumps({"feedbackId": d["feedbackId"], "createdAt": d["createdAt"]}, separators=(",", ":")))' \
	"$T_TMP/items" >"$T_TMP/keys"
[ "$(wc -l <"$T_TMP/keys")" = 2 ] || { echo "Bail out! cannot read two seeded keys"; exit 1; }
K1=$(sed -n 1p "$T_TMP/keys")
K2=$(sed -n 2p "$T_TMP/keys")
ID1=$(echo "$K1" | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["feedbackId"])')

# --interval first: console.sh finds its own console with pgrep "^tiertop --tag", and the
# suite may run both at once.
TT_TMUX_SIZE="160 48" TT_TMUX_ENV="LANG=C.UTF-8" run_in_tmux main --interval 5 --tag app=feedback
t_ok "the tier screen lists the Feedback table" wait_screen "Feedback"
keys :
text "replay Feedback $K1 $K2"
keys Enter
t_ok ":replay opens the view for two items" wait_screen "REPLAY 2 items of Feedback"
t_ok "... proposing the function the wiring names for the table" wait_screen "function submit-feedback (f, F)"
keys d
t_ok "d: a dry run builds both payloads" wait_screen "dry run: 2 payloads built, nothing sent"
t_ok "... shows the payload exactly" wait_screen "\"feedbackId\": \"$ID1\""
t_ok "... and sends nothing" [ "$(invokes)" = 0 ]
keys Enter
t_ok "Enter asks for a typed confirmation" wait_screen "Replay 2 items of Feedback?"
t_ok "... naming the account" wait_screen 'account   111122223333'
t_ok "... and the function's ARN" wait_screen 'function  arn:aws:lambda:us-east-1:111122223333:function:submit-feedback'
keys y Enter
t_ok "a y is not enough" wait_screen "type 2 or submit-feedback to replay"
t_ok "... nothing invoked" [ "$(invokes)" = 0 ]
text "2"
keys Enter
t_ok "the number typed: both replayed" wait_screen "replayed 2 of 2, 0 failed"
t_ok "... each row with its request id" sh -c "[ \$(grep -c ' ok  .*{\"feedbackId\".*  [0-9a-f]\{8\}-' '$T_TMP/screen') = 2 ]"
t_ok "the simulator received exactly the two items" "$PY" -c "
import json, subprocess, sys
reqs = json.loads(subprocess.run(['curl', '-sS', '$SIM_URL/_sim/requests?service=lambda&action=Invoke'],
                                 capture_output=True, text=True).stdout)
reqs = reqs.get('requests', reqs) if isinstance(reqs, dict) else reqs
P = dict(parse_float=str, parse_int=str)
got = [json.loads(r['body'], **P) for r in reqs]
want = [json.loads(l, **P) for l in open('$T_TMP/items')]
sys.exit(0 if got == want else 1)"
t_ok "the audit log: two intents and two results, with the source keys" "$PY" -c "
import json, sys
recs = [json.loads(l) for l in open('$AUDIT')]
intents = [r for r in recs if r['record'] == 'intent']
results = [r for r in recs if r['record'] == 'result']
keys = [json.loads(l) for l in open('$T_TMP/keys')]
ok = len(intents) == 2 and len(results) == 2 and [i['replay']['key'] for i in intents] == keys
ok = ok and all(i['action'] == 'replay' and i['replay']['table'] == 'Feedback' for i in intents)
sys.exit(0 if ok else 1)"
config="$HOME/.config/tiertop/config"
t_ok "the choice is remembered per table, in the config file" \
	grep -q '^replay_function = submit-feedback$' "$config"
t_ok "... under [table Feedback]" grep -q '^\[table Feedback\]$' "$config"
keys L
t_ok "L on a row opens that request's log lines" wait_screen "logs submit-feedback [0-9a-f]\{8\}-"
keys Escape
t_ok "Esc back to the replay view" wait_screen "REPLAY 2 items of Feedback"

# --- every other template --------------------------------------------------------------------------
# wait_invokes N: the simulator has seen N Invoke requests (bounded like wait_screen).
wait_invokes() {
	i=0
	while [ $i -lt "$WAIT_TICKS" ] && [ "$(invokes)" -lt "$1" ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ "$(invokes)" -eq "$1" ]
}
# same_payloads FIRST WANT: Invoke bodies FIRST.. equal the dry run's lines in WANT, ids and times aside.
same_payloads() {
	"$PY" -c "
import json, subprocess, sys
VOLATILE = {'requestId', 'requestTime', 'requestTimeEpoch', 'time', 'timeEpoch', 'eventID',
            'ApproximateCreationDateTime', 'SequenceNumber',
            'User-Agent', 'user-agent', 'userAgent',  # says console or verb
            'eventSourceARN'}  # needs the account, which a dry run does not ask STS for
def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k not in VOLATILE}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v
reqs = json.loads(subprocess.run(['curl', '-sS', '$SIM_URL/_sim/requests?service=lambda&action=Invoke'],
                                 capture_output=True, text=True).stdout)
reqs = reqs.get('requests', reqs) if isinstance(reqs, dict) else reqs
P = dict(parse_float=str, parse_int=str)
got = [strip(json.loads(r['body'], **P)) for r in reqs[int(sys.argv[1]):]]
want = [strip(json.loads(l, **P)) for l in open(sys.argv[2])]
if got != want:
    print('# got  ', json.dumps(got)[:600]); print('# want ', json.dumps(want)[:600])
sys.exit(0 if got == want and len(got) == 2 else 1)" "$@"
}
printf '{"source": "tiertop-e2e", "record": {{item}}, "text": {{item_string}}}\n' >"$T_TMP/tpl.json"
sent=2
for tpl in apigw apigw2 stream file; do
	if [ $tpl = file ]; then
		keys @
		t_ok "@ asks for a template file" wait_screen "file:"
		text "$T_TMP/tpl.json"
		keys Enter
		t_ok "file: the template shows" wait_screen "template file $T_TMP/tpl.json (p, @)"
		arg="@$T_TMP/tpl.json"
	else
		keys p
		t_ok "p: template $tpl" wait_screen "template $tpl (p, @)"
		arg=$tpl
	fi
	"$TIERTOP" replay Feedback --keys "$T_TMP/keys" --to submit-feedback --template "$arg" --dry-run \
		</dev/null >"$T_TMP/want-$tpl" 2>"$T_TMP/err"
	keys Enter
	t_ok "$tpl: a typed confirmation" wait_screen "Replay 2 items of Feedback?"
	text "2"
	keys Enter
	t_ok "$tpl: both sent" wait_invokes $((sent + 2))
	t_ok "$tpl: both answered" wait_screen "replayed 2 of 2, 0 failed"
	t_ok "$tpl: the function received what the verb's dry run builds" same_payloads "$sent" "$T_TMP/want-$tpl"
	sent=$((sent + 2))
done
t_ok "the last choice is the one remembered" grep -q "^replay_template = @$T_TMP/tpl.json\$" "$config"
keys q
t_ok "q back to the tier screen" wait_screen "LOGIC ("
keys q
t_ok "q quits" wait_screen "EXIT=0"
tmx kill-session -t "$SESSION"

# --- read-only: nothing reaches the simulator --------------------------------------------------------
sim_reset
TT_TMUX_SIZE="160 48" TT_TMUX_ENV="LANG=C.UTF-8 TIERTOP_READ_ONLY=1" run_in_tmux ro --interval 5 --tag app=feedback
t_ok "read-only: the tier screen" wait_screen "Feedback"
keys :
text "replay Feedback $K1"
keys Enter
t_ok "read-only: the view says replay is disabled" wait_screen "read-only mode (TIERTOP_READ_ONLY): replay is disabled"
keys Enter
t_ok "read-only: Enter refuses" wait_screen "replay is disabled; nothing was sent"
t_ok "read-only: no Lambda request at all" [ "$(sim_count "r.get('service') == 'lambda' and r.get('action') in ('Invoke', 'GetFunctionConfiguration')")" = 0 ]
keys q q
t_ok "read-only: quits" wait_screen "EXIT=0"
t_done
