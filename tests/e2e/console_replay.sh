#!/bin/sh
# Replaying stored items from the console (issue 8), through tmux like a
# person would: :replay opens the view for two keys with the function the
# wiring names for the table, d shows the exact payloads and sends nothing,
# Enter asks for a typed confirmation, both results show, the simulator got
# exactly those payloads, the audit log holds two intents and two results,
# Enter on a row opens its logs, and the choice is remembered (0600). Then
# read-only mode: replay disabled, nothing sent. Every wait is for something
# on the screen, never a sleep.
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
t_ok "... naming the account and the function's ARN" sh -c "grep -q 'account   111122223333' '$T_TMP/screen' &&
	grep -q 'function  arn:aws:lambda:us-east-1:111122223333:function:submit-feedback' '$T_TMP/screen'"
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
state="$HOME/.local/state/tiertop/replay.json"
t_ok "the choice is remembered per table" grep -q '"function": "submit-feedback"' "$state"
t_ok "... in a 0600 file" [ "$(mode_of "$state")" = 600 ]
keys Enter
t_ok "Enter on a row opens that request's log lines" wait_screen "logs submit-feedback [0-9a-f]\{8\}-"
keys Escape
t_ok "Esc back to the replay view" wait_screen "REPLAY 2 items of Feedback"
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
