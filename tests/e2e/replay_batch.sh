#!/bin/sh
# tiertop replay TABLE --keys: many Feedback items through one function
# against the simulator. Each template's payloads checked in the simulator's
# recorded Invoke bodies; JSON Lines, a JSON array and standard input; --rate
# (the spacing of the recorded Invokes, never a wall-clock bound on the run);
# go on vs --stop-on-error; --dry-run printing the payloads and sending
# nothing; read-only refusal; the typed confirmation on a terminal; and
# kill -9 in the middle of 20 items leaving one audit intent per Invoke the
# simulator received.
. "$(dirname "$0")/lib.sh"
need_sim_deps
sim_start
sandbox
export AWS_ACCESS_KEY_ID=AKIDTIERTOPSIM000001
export AWS_SECRET_ACCESS_KEY=tiertopSimSecretKey0000000000000000000001
AUDIT="$HOME/.local/state/tiertop/audit.jsonl"

sim_reset
tt items Feedback --limit 1
if ! rc_is 0; then
	echo "Bail out! the simulator does not serve the Feedback table"
	exit 1
fi

invokes() { sim_count "r.get('service') == 'lambda' and r.get('action') == 'Invoke'"; }
requests() { sim_count "True"; }

# Every seeded item (plain JSON Lines) and its key, in $T_TMP/items and $T_TMP/keys.
"$TIERTOP" items Feedback </dev/null >"$T_TMP/items"
"$PY" -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    print(json.dumps({"feedbackId": d["feedbackId"], "createdAt": d["createdAt"]}))' "$T_TMP/items" |
	sort >"$T_TMP/keys"
[ "$(wc -l <"$T_TMP/keys")" -ge 20 ] || { echo "Bail out! fewer than 20 seeded items"; exit 1; }
head -n 2 "$T_TMP/keys" >"$T_TMP/two"

# invoke_bodies: the bodies of the Invokes the simulator saw, one JSON per line.
invoke_bodies() {
	sim GET '/_sim/requests?service=lambda&action=Invoke' | "$PY" -c '
import json, sys
reqs = json.load(sys.stdin)
reqs = reqs.get("requests", reqs) if isinstance(reqs, dict) else reqs
for r in reqs:
    print(json.dumps(json.loads(r["body"])))'
}

# check_bodies TEMPLATE: the Invokes the simulator recorded carry exactly
# the items of $T_TMP/two (in that order), wrapped as TEMPLATE wraps them.
check_bodies() {
	invoke_bodies >"$T_TMP/bodies"
	"$PY" - "$1" "$T_TMP/bodies" "$T_TMP/two" "$T_TMP/items" <<'EOF'
import json, sys
tpl, bodies, keys, items = sys.argv[1:]
P = dict(parse_float=str, parse_int=str)
items = [json.loads(l, **P) for l in open(items)]
want = []
for k in (json.loads(l) for l in open(keys)):
    want.append(next(i for i in items if all(i[a] == v for a, v in k.items())))
got = [json.loads(l, **P) for l in open(bodies)]
def item_of(ev):
    if tpl == 'raw':
        return ev
    if tpl in ('apigw', 'apigw2'):
        ok = ev.get('httpMethod') == 'POST' if tpl == 'apigw' else ev.get('routeKey') == 'POST /feedback'
        return json.loads(ev['body'], **P) if ok else None
    if tpl == 'stream':
        rec = ev['Records'][0]
        img = rec['dynamodb']['NewImage'] if rec['eventName'] == 'INSERT' else {}
        return {k: next(iter(v.values())) for k, v in img.items()}
    if tpl == 'file':
        return ev['copy'] if ev.get('tag') == 'batch' else None
got_items = [item_of(ev) for ev in got]
if tpl == 'stream':  # typed: compare the string values
    want = [{k: v for k, v in w.items() if isinstance(v, str)} for w in want]
    got_items = [{k: v for k, v in g.items() if isinstance(v, str)} for g in got_items]
if got_items != want:
    print('# want', want, '\n# got', got_items)
    sys.exit(1)
EOF
}

# --- each template, two items -------------------------------------------------------------------
printf '{"tag": "batch", "copy": {{item}}}\n' >"$T_TMP/tpl.json"
for tpl in raw apigw apigw2 stream file; do
	arg=$tpl
	[ "$tpl" = file ] && arg="@$T_TMP/tpl.json"
	to=submit-feedback
	[ "$tpl" = stream ] && to=export-feedback
	sim_reset
	tt replay Feedback --keys "$T_TMP/two" --to "$to" --template "$arg" --yes
	t_ok "$tpl: exit 0" rc_is 0
	t_ok "$tpl: the simulator received exactly the two items' payloads" check_bodies "$tpl"
	t_ok "$tpl: one line per item, ok" sh -c "[ \$(grep -c '	ok	{\"feedbackId\"' '$T_TMP/out') = 2 ]"
done
t_ok "the banner: account, region, endpoint, function, template, number of items" sh -c "
	grep -q 'account  *111122223333' '$T_TMP/err' && grep -q 'region  *us-east-1' '$T_TMP/err' &&
	grep -q 'endpoint  *$SIM_URL' '$T_TMP/err' &&
	grep -q 'function  *arn:aws:lambda:us-east-1:111122223333:function:submit-feedback' '$T_TMP/err' &&
	grep -q 'template  *the template .*tpl.json' '$T_TMP/err' && grep -q 'items  *2$' '$T_TMP/err'"
t_ok "a summary line" err_has "replayed 2 of 2 items: 2 ok, 0 function errors, 0 failed, 0 skipped"

# --- a JSON array, and standard input -----------------------------------------------------------
sim_reset
"$PY" -c 'import json, sys; print(json.dumps([json.loads(l) for l in open(sys.argv[1])], indent=1))' \
	"$T_TMP/two" >"$T_TMP/two.json"
tt replay Feedback --keys "$T_TMP/two.json" --to submit-feedback --yes
sent_raw_ok() { rc_is 0 && check_bodies raw; }
t_ok "a JSON array of keys: exit 0, both sent" sent_raw_ok
sim_reset
"$TIERTOP" replay Feedback --keys - --to submit-feedback --yes --json <"$T_TMP/two" >"$T_TMP/out" 2>"$T_TMP/err"
echo $? >"$T_TMP/rc"
t_ok "--keys -: read from standard input, exit 0" sent_raw_ok
t_ok "--json: one object per item with status, request id and the function's answer" "$PY" -c "
import json, sys
rows = [json.loads(l) for l in open('$T_TMP/out')]
keys = [json.loads(l) for l in open('$T_TMP/two')]
ok = len(rows) == 2 and [r['key'] for r in rows] == keys
ok = ok and all(r['status'] == 'ok' and r['StatusCode'] == 200 and r['RequestId'] and r['FunctionError'] is None
                and r['Payload']['statusCode'] == 201 and r['duration_ms'] >= 0 for r in rows)
sys.exit(0 if ok else 1)"

# --- --rate: the Invokes the simulator recorded are spaced ------------------------------------------
sim_reset
head -n 4 "$T_TMP/keys" >"$T_TMP/four"
tt replay Feedback --keys "$T_TMP/four" --to submit-feedback --rate 2 --yes
t_ok "--rate 2: exit 0, four Invokes" sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && [ $(invokes) = 4 ]"
sim GET '/_sim/requests?service=dynamodb&action=GetItem' >"$T_TMP/reqs"
# Each item starts with its GetItem. The spacing itself is checked on a test
# clock (test_replay_batch.c); here only what load cannot shorten: four starts
# at 2/s span 1.5 s, and a first request held up in transit could eat into
# that, so the bound leaves it 0.5 s (without a rate they span under 0.3 s).
t_ok "--rate 2: the four starts are spread over more than a second (the simulator's clock)" "$PY" -c "
import json, sys
reqs = json.load(open('$T_TMP/reqs'))
reqs = reqs.get('requests', reqs) if isinstance(reqs, dict) else reqs
ts = [r['time'] * 1000 for r in reqs]
gaps = [round(b - a) for a, b in zip(ts, ts[1:])]
print('# gaps (ms)', gaps)
sys.exit(0 if len(gaps) == 3 and ts[-1] - ts[0] >= 1000 else 1)"
tt replay Feedback --key "$(head -n 1 "$T_TMP/keys")" --to submit-feedback --rate 5 --yes
t_ok "--rate without --keys: exit 2" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'go with --keys' '$T_TMP/err'"
tt replay Feedback --keys "$T_TMP/four" --to submit-feedback --rate 0 --yes
t_ok "--rate 0: exit 2" rc_is 2

# --- a function error: go on, or stop --------------------------------------------------------
sim_reset
curl -sS --aws-sigv4 "aws:amz:us-east-1:dynamodb" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
	-H 'Content-Type: application/x-amz-json-1.0' -H 'X-Amz-Target: DynamoDB_20120810.PutItem' \
	--data '{"TableName":"Feedback","Item":{"feedbackId":{"S":"fb-spam"},"createdAt":{"S":"2026-01-01T00:00:00.000Z"},"message":{"S":"BUY NOW cheap pills"},"rating":{"N":"1"}}}' \
	"$SIM_URL/" >"$T_TMP/put" 2>&1
{ head -n 1 "$T_TMP/keys"; echo '{"feedbackId":"fb-spam","createdAt":"2026-01-01T00:00:00.000Z"}'; sed -n 2p "$T_TMP/keys"; } >"$T_TMP/spam3"
sim DELETE /_sim/requests >/dev/null
tt replay Feedback --keys "$T_TMP/spam3" --to submit-feedback --yes
t_ok "a function error in the middle: exit 6" rc_is 6
t_ok "... the others still sent (go on is the default)" [ "$(invokes)" = 3 ]
t_ok "... the failed item's line names the error" out_has "^2	function error	.*fb-spam.*SpamRejected"
sim DELETE /_sim/requests >/dev/null
tt replay Feedback --keys "$T_TMP/spam3" --to submit-feedback --yes --stop-on-error
t_ok "--stop-on-error: exit 6, nothing sent after the failure" sh -c "[ \$(cat '$T_TMP/rc') = 6 ] && [ $(invokes) = 2 ]"
t_ok "--stop-on-error: the rest reported skipped" out_has "^3	skipped	"
{ head -n 1 "$T_TMP/keys"; echo '{"feedbackId":"fb-none","createdAt":"2020-01-01T00:00:00.000Z"}'; } >"$T_TMP/missing"
sim DELETE /_sim/requests >/dev/null
tt replay Feedback --keys "$T_TMP/missing" --to submit-feedback --yes
t_ok "a missing item: that item failed (exit 1), the other sent" sh -c "[ \$(cat '$T_TMP/rc') = 1 ] && [ $(invokes) = 1 ] &&
	grep -q '^2	failed	.*no item in Feedback has the key' '$T_TMP/out'"

# --- dry run: the payloads, nothing sent -------------------------------------------------------
sim_reset
tt replay Feedback --keys "$T_TMP/two" --to submit-feedback --template "@$T_TMP/tpl.json" --dry-run --read-only
t_ok "--dry-run: exit 0, even in read-only mode" rc_is 0
t_ok "--dry-run: no Invoke, no lookup" [ "$(sim_count "r.get('service') == 'lambda'")" = 0 ]
t_ok "--dry-run: the payloads as JSON Lines, each the template filled in" "$PY" -c "
import json, sys
P = dict(parse_float=str, parse_int=str)
rows = [json.loads(l, **P) for l in open('$T_TMP/out')]
keys = [json.loads(l) for l in open('$T_TMP/two')]
ok = len(rows) == 2 and all(r['tag'] == 'batch' and all(r['copy'][a] == v for a, v in k.items()) for r, k in zip(rows, keys))
sys.exit(0 if ok else 1)"

# --- refused before anything ------------------------------------------------------------------
sim_reset
tt replay Feedback --keys "$T_TMP/two" --to submit-feedback --yes --read-only
t_ok "--read-only: exit 1 (as a single replay)" rc_is 1
t_ok "--read-only: says why" err_has "read-only mode (--read-only): refusing to replay items of Feedback into submit-feedback"
t_ok "--read-only: no request at all" [ "$(requests)" = 0 ]
printf '{"feedbackId":"x"}\n[1]\n' >"$T_TMP/badkeys"
tt replay Feedback --keys "$T_TMP/badkeys" --to submit-feedback --yes
t_ok "a bad key line: exit 2, naming the line" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'line 2' '$T_TMP/err'"
tt replay Feedback --keys "$T_TMP" --to submit-feedback --yes
t_ok "--keys naming a directory: exit 2, and why" sh -c \
	"[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'cannot read .*: Is a directory' '$T_TMP/err'"
tt replay Feedback --keys "$T_TMP/two" --key '{"a":"b"}' --to submit-feedback --yes
t_ok "--key with --keys: exit 2" rc_is 2
tt replay Feedback --keys "$T_TMP/two" --to submit-feedback
t_ok "no terminal and no --yes: exit 2" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'pass --yes' '$T_TMP/err'"
t_ok "refusals sent nothing" [ "$(requests)" = 0 ]

# --- Ctrl-C: stops between items, the one in flight finished and recorded ------------------------
sim_reset
rm -f "$AUDIT"
head -n 6 "$T_TMP/keys" >"$T_TMP/six"
sim POST /_sim/faults '{"service": "lambda", "action": "Invoke", "kind": "latency", "latency_ms": 1500, "count": -1}' >/dev/null
"$TIERTOP" replay Feedback --keys "$T_TMP/six" --to submit-feedback --rate 4 --yes >"$T_TMP/out" 2>"$T_TMP/err" </dev/null &
TT_PID=$!
i=0
while [ $i -lt 2400 ] && [ "$(invokes)" -lt 2 ]; do sleep 0.05; i=$((i + 1)); done
kill -INT "$TT_PID"
wait "$TT_PID"
echo $? >"$T_TMP/rc"
sim DELETE /_sim/faults >/dev/null
t_ok "Ctrl-C: exit 1, saying so" sh -c "[ \$(cat '$T_TMP/rc') = 1 ] && grep -q 'stopped by Ctrl-C' '$T_TMP/err'"
t_ok "Ctrl-C: the Invoke in flight finished and was reported; nothing new started" sh -c "
	[ \$(grep -c '	ok	' '$T_TMP/out') = $(invokes) ] && [ $(invokes) -ge 2 ] && [ $(invokes) -lt 6 ] &&
	[ \$(grep -c '	skipped	' '$T_TMP/out') = \$((6 - $(invokes))) ]"
t_ok "Ctrl-C: every intent in the audit log has its result" "$PY" -c "
import json, sys
recs = [json.loads(l) for l in open('$AUDIT')]
intents = {r['id'] for r in recs if r['record'] == 'intent'}
results = {r['id'] for r in recs if r['record'] == 'result'}
sys.exit(0 if intents and intents == results else 1)"

# --- kill -9 during 20 items: one intent per Invoke received -------------------------------------
sim_reset
rm -f "$AUDIT"
head -n 20 "$T_TMP/keys" >"$T_TMP/twenty"
sim POST /_sim/faults '{"service": "lambda", "action": "Invoke", "kind": "latency", "latency_ms": 1500, "count": -1}' >/dev/null
"$TIERTOP" replay Feedback --keys "$T_TMP/twenty" --to submit-feedback --rate 4 --yes >"$T_TMP/out" 2>"$T_TMP/err" </dev/null &
TT_PID=$!
i=0
while [ $i -lt 2400 ] && [ "$(invokes)" -lt 3 ]; do sleep 0.05; i=$((i + 1)); done
kill -9 "$TT_PID"
wait "$TT_PID" 2>/dev/null
t_ok "kill -9: it was stopped in the middle" sh -c "[ $(invokes) -ge 3 ] && [ $(invokes) -lt 20 ]"
sim GET '/_sim/requests?service=lambda&action=Invoke' >"$T_TMP/reqs"
t_ok "kill -9: exactly one intent per Invoke the simulator received, for the same items" "$PY" -c "
import json, sys
reqs = json.load(open('$T_TMP/reqs'))
reqs = reqs.get('requests', reqs) if isinstance(reqs, dict) else reqs
sent = sorted(json.loads(r['body'])['feedbackId'] for r in reqs)
intents = [json.loads(l) for l in open('$AUDIT') if json.loads(l)['record'] == 'intent']
recorded = sorted(i['replay']['key']['feedbackId'] for i in intents)
print('# sent', sent, '\n# intents', recorded)
sys.exit(0 if sent == recorded and len(set(sent)) == len(sent) else 1)"
sim DELETE /_sim/faults >/dev/null

# --- the typed confirmation on a terminal ------------------------------------------------------
if ! command -v tmux >/dev/null; then
	t_skip "tmux is needed for the confirmation tests (Debian tmux)"
	t_done
	exit
fi
tmux_begin replay_batch
sim_reset
run_in_tmux ask replay Feedback --keys "'$T_TMP/two'" --to submit-feedback
t_ok "terminal: asks for the typed answer" wait_screen "Type 2 (the number of items) or submit-feedback to go ahead:"
t_ok "terminal: the banner first, nothing read or sent" sh -c "grep -q 'items  *2' '$T_TMP/screen' &&
	[ $(sim_count "r.get('action') in ('GetItem', 'Invoke')") = 0 ]"
tmx send-keys -t "$SESSION" y Enter
t_ok "terminal: y is not the typed answer (exit 1)" wait_screen "EXIT=1"
t_ok "terminal: ... nothing invoked" [ "$(invokes)" = 0 ]
sim_reset
run_in_tmux ask2 replay Feedback --keys "'$T_TMP/two'" --to submit-feedback
wait_screen "Type 2" >/dev/null
tmx send-keys -t "$SESSION" 2 Enter
t_ok "terminal: typing the number of items replays them (exit 0)" wait_screen "EXIT=0"
t_ok "terminal: two Invokes" [ "$(invokes)" = 2 ]

t_done
