#!/bin/sh
# DynamoDB end to end: tiertop tables and tiertop items against the
# simulator's Feedback tables (250 seeded items covering every type, some
# with hostile text; 5,000 for the pagination tests).
. "$(dirname "$0")/lib.sh"
need_sim_deps
sim_start

if ! sim GET /_sim/health >/dev/null 2>&1 ||
	! sim POST /_sim/scenario '{"feedback_items": 250}' | grep -qv '"error"'; then
	echo "1..0 # SKIP the simulator has no DynamoDB scenario"
	exit 0
fi

sandbox
export AWS_ACCESS_KEY_ID=AKIDTIERTOPSIM000001
export AWS_SECRET_ACCESS_KEY=tiertopSimSecretKey0000000000000000000001

# py 'CHECK': an expression, or statements with asserts, over the last run's
# stdout: raw is the text, items its JSON Lines (numbers read as Decimal, so
# nothing is rounded), keys their (feedbackId, createdAt) pairs.
py() {
	"$PY" - "$T_TMP/out" "$1" <<'EOF'
import decimal, json, sys
raw = open(sys.argv[1], encoding='utf-8').read()
D = decimal.Decimal
try:
    items = [json.loads(l, parse_float=D, parse_int=D) for l in raw.splitlines()]
    keys = [(i.get('feedbackId'), i.get('createdAt')) for i in items]
except (ValueError, AttributeError):
    items = keys = None
try:
    ok = eval(compile(sys.argv[2], 'check', 'eval'))
except SyntaxError:
    exec(sys.argv[2])
    ok = True
sys.exit(0 if ok else 1)
EOF
}
lines_are() { [ "$(wc -l <"$T_TMP/out")" -eq "$1" ]; }
err_empty() { [ ! -s "$T_TMP/err" ]; }
keep() { cp "$T_TMP/out" "$T_TMP/$1"; }
count_requests() { sim_count "r.get('service') == 'dynamodb' and r.get('action') == '$1'"; }

# --- tables ----------------------------------------------------------------------------
tt tables
t_ok "tables: exit 0" rc_is 0
t_ok "tables: header" out_has "NAME .*STATUS .*BILLING .*ITEMS .*SIZE .*KEYS"
t_ok "tables: Feedback with its keys" out_has "^Feedback .*ACTIVE.*feedbackId:S, createdAt:S"
t_ok "tables: FeedbackStats listed" out_has "^FeedbackStats "
tt tables --json
t_ok "tables --json: both tables, keys, GSI" py "
d = json.loads(raw); t = {x['TableName']: x for x in d}
f = t['Feedback']
assert [k['AttributeName'] for k in f['KeySchema']] == ['feedbackId', 'createdAt'], f
assert [k['KeyType'] for k in f['KeySchema']] == ['HASH', 'RANGE']
assert 'ByStatus' in [g['IndexName'] for g in f['GlobalSecondaryIndexes']]
assert f['ItemCount'] == 250 and f['TableStatus'] == 'ACTIVE' and 'FeedbackStats' in t"

# --- the default page, --limit, --all ----------------------------------------------------
tt items Feedback
t_ok "items: exit 0" rc_is 0
t_ok "items: 25 items by default" lines_are 25
t_ok "items: every line is a JSON object with the key" py "all(k[0] and k[1] for k in keys)"
t_ok "items: in a pipe, one line on stderr says the default page is not all" \
	sh -c "[ \$(wc -l <'$T_TMP/err') = 1 ] && grep -q '^tiertop: 25 items shown; --limit N or --all for more\$' '$T_TMP/err'"
tt items Feedback --limit 7
t_ok "--limit 7: seven items" lines_are 7
t_ok "--limit 7: asked for, so no note" err_empty
keep first7
tt items Feedback --limit 300
t_ok "--limit 300 on 250 items: all 250" lines_are 250
tt items Feedback --all
t_ok "--all: 250 items" lines_are 250
t_ok "--all: quiet on stderr in a pipe" err_empty
t_ok "--all: 250 distinct keys" py "len(set(keys)) == 250"
t_ok "--all: fb-0001 to fb-0250" py "sorted(k[0] for k in keys) == ['fb-%04d' % i for i in range(1, 251)]"
t_ok "--all starts where --limit 7 did" sh -c "head -7 '$T_TMP/out' | cmp -s - '$T_TMP/first7'"
keep all
t_ok "--json is accepted (items are JSON Lines anyway)" sh -c "'$TIERTOP' items Feedback --limit 2 --json | wc -l | grep -qx 2"

# --- every type, exact numbers, hostile strings ---------------------------------------------
t_ok "types: strings, numbers, booleans, null, maps, lists, sets, binary" py "
i = [x for x in items if x['feedbackId'] == 'fb-0001'][0]
assert isinstance(i['meta'], dict) and isinstance(i['meta']['client'], dict)
assert isinstance(i['tags'], list) and isinstance(i['labels'], list) and isinstance(i['votes'], list)
assert isinstance(i['followUp'], bool) and isinstance(i['attachment'], str)
assert any(x.get('assignee', 0) is None for x in items)"
t_ok "exact: 38 nines survive" grep -q '"score":99999999999999999999999999999999999999[,}]' "$T_TMP/all"
t_ok "exact: 12345678901234567890.123456789 survives" \
	grep -q '"score":12345678901234567890.123456789[,}]' "$T_TMP/all"
t_ok "exact: no exponent appeared" sh -c "! grep -q '\"score\":[-0-9.]*[eE]' '$T_TMP/all'"
t_ok "hostile: no raw ESC, BEL or BS byte on stdout" \
	sh -c "! LC_ALL=C grep -q \"\$(printf '[\\033\\007\\010]')\" '$T_TMP/all'"
t_ok "hostile: escapes written as \\u001b" grep -q 'Red alert: \\u001b\[31m' "$T_TMP/all"
t_ok "hostile: newlines escaped, one item per line" py "len(items) == 250 and any('\n' in x.get('message', '') for x in items)"
t_ok "hostile: quotes and backslashes round-trip" \
	py "any('\"double\"' in x['message'] for x in items) and any('\\\\' in x['message'] for x in items)"
t_ok "UTF-8 text kept as UTF-8" grep -q '日本語のフィードバック' "$T_TMP/all"

# --- typed output -------------------------------------------------------------------------------
tt items Feedback --typed --limit 3
t_ok "--typed: DynamoDB JSON" py "len(items) == 3 and all('S' in i['feedbackId'] for i in items)"
t_ok "--typed: N stays a string with its digits" \
	sh -c "'$TIERTOP' items Feedback --typed --all | grep -q '\"score\":{\"N\":\"99999999999999999999999999999999999999\"}'"

# --- --key (GetItem) ----------------------------------------------------------------------------
created1=$("$PY" -c "
import json,sys
for l in open('$T_TMP/all'):
    i = json.loads(l)
    if i['feedbackId'] == 'fb-0001': print(i['createdAt'])")
tt items Feedback --key "{\"feedbackId\":\"fb-0001\",\"createdAt\":\"$created1\"}"
t_ok "--key hit: exit 0" rc_is 0
t_ok "--key hit: the one item" py "len(items) == 1 and items[0]['feedbackId'] == 'fb-0001'"
t_ok "--key hit: same item as the scan" sh -c "grep -F '\"feedbackId\":\"fb-0001\"' '$T_TMP/all' | cmp -s - '$T_TMP/out'"
tt items Feedback --key "{\"feedbackId\":\"fb-0001\",\"createdAt\":\"$created1\"}" --project 'feedbackId, #s' \
	--names '{"#s":"status"}'
t_ok "--key with --project and --names" py "len(items) == 1 and sorted(items[0]) == ['feedbackId', 'status']"
tt items Feedback --typed --key "{\"feedbackId\":{\"S\":\"fb-0001\"},\"createdAt\":{\"S\":\"$created1\"}}"
t_ok "--typed --key takes DynamoDB JSON" py "len(items) == 1 and items[0]['feedbackId'] == {'S': 'fb-0001'}"
tt items Feedback --key '{"feedbackId":"fb-9999","createdAt":"2026-01-01T00:00:00.000Z"}'
t_ok "--key miss: exit 0" rc_is 0
t_ok "--key miss: nothing on stdout" lines_are 0
t_ok "--key miss: a note on stderr" err_has "no item in Feedback has that key"

# --- --query on the table and on the GSI ------------------------------------------------------
tt items Feedback --query 'feedbackId = :id' --values '{":id":"fb-0042"}'
t_ok "--query on the table: one item" py "len(items) == 1 and items[0]['feedbackId'] == 'fb-0042'"
spam=$("$PY" -c "
import json
print(sum(1 for l in open('$T_TMP/all') if json.loads(l)['status'] == 'spam'))")
tt items Feedback --index ByStatus --query '#s = :s' --names '{"#s":"status"}' --values '{":s":"spam"}' --all
t_ok "--query on the GSI: every spam item ($spam)" py "len(items) == $spam and all(i['status'] == 'spam' for i in items)"
t_ok "--query on the GSI: ascending createdAt" py "[i['createdAt'] for i in items] == sorted(i['createdAt'] for i in items)"
tt items Feedback --index ByStatus --query '#s = :s' --names '{"#s":"status"}' --values '{":s":"spam"}' --all --desc
t_ok "--desc: descending createdAt" \
	py "len(items) == $spam and [i['createdAt'] for i in items] == sorted((i['createdAt'] for i in items), reverse=True)"
tt items Feedback --query 'feedbackId = :id' --filter 'score = :s' --values \
	'{":id":"fb-0007",":s":12345678901234567890.123456789}'
t_ok "a big number in --values reaches DynamoDB exactly" py "len(items) == 1 and items[0]['feedbackId'] == 'fb-0007'"
sim GET /_sim/requests >"$T_TMP/requests"
t_ok "... and went on the wire as its text" grep -q '12345678901234567890.123456789' "$T_TMP/requests"

# --- filter and projection ------------------------------------------------------------------------
fives=$("$PY" -c "
import json
print(sum(1 for l in open('$T_TMP/all') if json.loads(l)['rating'] == 5))")
tt items Feedback --filter 'rating = :r' --values '{":r":5}' --project 'feedbackId, rating' --all
t_ok "--filter: every rating-5 item ($fives)" py "len(items) == $fives and all(i['rating'] == 5 for i in items)"
t_ok "--project: only the projected attributes" py "all(sorted(i) == ['feedbackId', 'rating'] for i in items)"

# --- --start continues where a page ended ----------------------------------------------------------
k10=$("$PY" -c "
import json
i = json.loads(open('$T_TMP/all').readlines()[9])
print(json.dumps({'feedbackId': {'S': i['feedbackId']}, 'createdAt': {'S': i['createdAt']}}))")
tt items Feedback --limit 10 --start "$k10"
t_ok "--start: the next ten items" sh -c "sed -n 11,20p '$T_TMP/all' | cmp -s - '$T_TMP/out'"
tt items Feedback --limit 10 --start-key "$k10"
t_ok "--start-key: the same" sh -c "sed -n 11,20p '$T_TMP/all' | cmp -s - '$T_TMP/out'"

# --- text that is not UTF-8 is refused, naming the option -----------------------------------------
sim DELETE /_sim/requests >/dev/null
for opt in --filter --project --query; do
	tt items Feedback "$opt" "$(printf 'feedbackId = \377')" --values '{":x":1}'
	t_ok "$opt not UTF-8: exit 2" rc_is 2
	t_ok "$opt not UTF-8: named" err_has "items: $opt is not valid UTF-8"
done
tt items "$(printf 'Feed\300back')"
t_ok "table name not UTF-8: exit 2, named" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'the table name is not valid UTF-8' '$T_TMP/err'"
t_ok "not UTF-8: nothing sent" [ "$(sim_count "r.get('service') == 'dynamodb'")" = 0 ]

# --- a terminal gets notes; a pipe does not ---------------------------------------------------------
if command -v script >/dev/null 2>&1; then
	script -qec "'$TIERTOP' items Feedback --limit 3 >'$T_TMP/tty.out'" /dev/null >"$T_TMP/tty.err" 2>&1
	t_ok "terminal: a note says more exist" grep -q "showing 3 items; more may follow" "$T_TMP/tty.err"
	t_ok "terminal: the note says how to continue" grep -q -- "--start-key '{\"" "$T_TMP/tty.err"
	t_ok "terminal: stdout still has just the items" sh -c "[ \$(wc -l <'$T_TMP/tty.out') -eq 3 ]"
else
	t_skip "script(1) is needed for the terminal tests"
fi

# --- throttling -----------------------------------------------------------------------------------------
sim DELETE /_sim/requests >/dev/null
sim POST /_sim/faults '{"service":"dynamodb","action":"Scan","kind":"throttle","count":2}' >/dev/null
tt items Feedback --limit 3
t_ok "throttle storm: retried to success" rc_is 0
t_ok "throttle storm: the items" lines_are 3
t_ok "throttle storm: three Scan requests" [ "$(count_requests Scan)" -eq 3 ]
sim DELETE /_sim/faults >/dev/null

sim POST /_sim/faults '{"service":"dynamodb","action":"Scan","kind":"truncated","count":1}' >/dev/null
tt items Feedback --limit 3
t_ok "a truncated page is fetched again" sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && [ \$(wc -l <'$T_TMP/out') -eq 3 ]"
sim POST /_sim/faults '{"service":"dynamodb","action":"Scan","kind":"malformed","count":1}' >/dev/null
tt items Feedback --limit 3
t_ok "a malformed page: exit 4" rc_is 4
t_ok "a malformed page: says so, nothing half-written" sh -c "grep -q 'malformed JSON' '$T_TMP/err' && [ ! -s '$T_TMP/out' ]"
sim DELETE /_sim/faults >/dev/null

# --- the wire ------------------------------------------------------------------------------------------------
sim GET /_sim/requests >"$T_TMP/requests"
t_ok "wire: awsJson1_0 content type and X-Amz-Target" sh -c "$PY -c '
import json, sys
d = json.load(sys.stdin); reqs = d.get(\"requests\", d) if isinstance(d, dict) else d
r = [x for x in reqs if x.get(\"action\") == \"Scan\"][-1]
h = {k.lower(): v for k, v in r[\"headers\"]}
assert h[\"content-type\"] == \"application/x-amz-json-1.0\", h
assert h[\"x-amz-target\"] == \"DynamoDB_20120810.Scan\", h
assert h.get(\"accept-encoding\") == \"identity\", h
assert r[\"method\"] == \"POST\" and r[\"path\"] == \"/\"
' <'$T_TMP/requests'"

# --- errors -----------------------------------------------------------------------------------------------------
tt items NoSuchTable
t_ok "missing table: exit 4" rc_is 4
t_ok "missing table: ResourceNotFoundException" err_has "ResourceNotFoundException"
t_ok "missing table: the table is named" err_has "no active table named NoSuchTable in us-east-1"
tt items Feedback --key '{"feedbackId":}'
t_ok "bad --key JSON: exit 2" rc_is 2
t_ok "bad --key JSON: line and column" err_has "--key: line 1, column 15: expected a JSON value"
tt items Feedback --key '{
  "feedbackId": "fb-0001",
  "createdAt" "x"
}'
t_ok "bad --key JSON on line 3" err_has "line 3, column 15: expected ':'"
tt items Feedback --query 'feedbackId = :id' --values '{":id":"fb-1",}'
t_ok "bad --values JSON: exit 2" rc_is 2
t_ok "bad --values JSON: position" err_has "--values: line 1, column 15"
tt items Feedback --names '{"#s":1}' --filter '#s = :s' --values '{":s":"x"}'
t_ok "--names must map to strings" err_has "--names: \"#s\" must map to an attribute name"
tt items Feedback --start '{"feedbackId":"fb-1"}'
t_ok "--start wants DynamoDB JSON: exit 2" rc_is 2
t_ok "--start wants DynamoDB JSON: says why" err_has "--start: attribute feedbackId: an AttributeValue"
tt items
t_ok "no table: exit 2" rc_is 2
tt items Feedback --limit 0
t_ok "--limit 0: exit 2" rc_is 2
tt items Feedback --limit 3 --all
t_ok "--limit with --all: exit 2" rc_is 2
tt items Feedback --key '{"feedbackId":"x"}' --all
t_ok "--key with --all: exit 2" rc_is 2
tt items Feedback --desc
t_ok "--desc without --query: exit 2" rc_is 2
tt items Feedback --bogus
t_ok "unknown option: exit 2" err_has "unknown option --bogus"
tt items Feedback --limit 3 --limit 4
t_ok "--limit given twice: refused, exit 2" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q -- '--limit given twice' '$T_TMP/err'"
tt items Feedback --start '{"feedbackId":{"S":"a"}}' --start-key '{"feedbackId":{"S":"b"}}'
t_ok "--start and --start-key together: refused, exit 2" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'give it once' '$T_TMP/err'"
tt items Feedback Other
t_ok "two tables: exit 2, the extra one named" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'unexpected argument \"Other\"' '$T_TMP/err'"
tt items --help
t_ok "items --help: exit 0, every option listed" sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && grep -q '^  --segments N' '$T_TMP/out' && grep -q '^  --keys FILE|-' '$T_TMP/out'"
tt items Feedback --key '{"feedbackId":"fb-0001"}'
t_ok "a key without its sort key: DynamoDB's ValidationException, exit 4" rc_is 4
t_ok "... and says so" err_has "ValidationException"

# --- pages that the filter empties ----------------------------------------------------------------
sim DELETE /_sim/requests >/dev/null
tt items Feedback --limit 5 --filter 'feedbackId = :x' --values '{":x":"fb-0200"}'
t_ok "small pages that filter everything out: keeps going to the match" py "len(items) == 1 and items[0]['feedbackId'] == 'fb-0200'"
t_ok "... across many empty pages" [ "$(count_requests Scan)" -gt 10 ]


# --- many keys: BatchGetItem ------------------------------------------------------------------------------
"$TIERTOP" items Feedback --limit 10 --project 'feedbackId, createdAt' >"$T_TMP/keys" </dev/null
head -1 "$T_TMP/keys" >>"$T_TMP/keys"                  # the same key twice
printf '\n{"feedbackId":"fb-none","createdAt":"x"}\n' >>"$T_TMP/keys"
sim POST /_sim/config '{"dynamodb_batch_max_keys": 3}' >/dev/null
sim DELETE /_sim/requests >/dev/null
"$TIERTOP" items Feedback --keys - <"$T_TMP/keys" >"$T_TMP/out" 2>"$T_TMP/err"
echo $? >"$T_TMP/rc"
sim POST /_sim/config '{"dynamodb_batch_max_keys": null}' >/dev/null
t_ok "--keys: exit 0" rc_is 0
t_ok "--keys: the ten items, each once" py "len(items) == 10 and len(set(keys)) == 10"
t_ok "--keys: the same items as the keys named" \
	py "sorted(keys) == sorted((k['feedbackId'], k['createdAt']) for k in map(json.loads, open('$T_TMP/keys').read().split('\n')[:10]))"
t_ok "--keys: says how many keys matched nothing" err_has "1 of 11 keys matched no item in Feedback"
t_ok "--keys: unprocessed keys asked again until done (4 calls of at most 3 keys)" \
	[ "$(count_requests BatchGetItem)" = 4 ]
sim GET /_sim/requests >"$T_TMP/requests"
t_ok "--keys: and not at once: a pause before each retry" "$PY" -c "
import json
t = [r['time'] for r in json.load(open('$T_TMP/requests'))['requests'] if r.get('action') == 'BatchGetItem']
gaps = [b - a for a, b in zip(t, t[1:])]
assert len(gaps) == 3 and min(gaps) >= 0.045, gaps"
printf '{"feedbackId":"fb-0001","createdAt":"a"}\n{"feedbackId": oops}\n' >"$T_TMP/badkeys"
tt items Feedback --keys "$T_TMP/badkeys"
t_ok "--keys: bad JSON is a usage error (exit 2)" rc_is 2
t_ok "--keys: naming the file and line" err_has "--keys: $T_TMP/badkeys line 2"
tt items Feedback --keys "$T_TMP/no-such-file"
t_ok "--keys: a missing file says so" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'cannot read' '$T_TMP/err'"
tt items Feedback --keys "$T_TMP"
t_ok "--keys: a directory says why" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'cannot read .*: Is a directory' '$T_TMP/err'"
tt items Feedback --keys "$T_TMP/keys" --limit 3
t_ok "--keys with --limit: exit 2" rc_is 2

# --- 1 MB pages: 5,000 items ------------------------------------------------------------------------------
sim POST /_sim/scenario '{"feedback_items": 5000}' >/dev/null
sim DELETE /_sim/requests >/dev/null
tt items Feedback --all
t_ok "5,000 items: exit 0" rc_is 0
t_ok "5,000 items: exactly 5,000 lines" lines_are 5000
t_ok "5,000 items: 5,000 distinct keys" py "len(set(keys)) == 5000"
t_ok "5,000 items: several 1 MB pages" [ "$(count_requests Scan)" -gt 1 ]
t_ok "5,000 items: quiet in a pipe" err_empty
sort "$T_TMP/out" >"$T_TMP/all5000.sorted"

# --- a failure half-way through --all says where to go on, and --start-key goes on -------------------
sim DELETE /_sim/requests >/dev/null
sim POST /_sim/faults '{"service":"dynamodb","action":"Scan","kind":"malformed","count":1,"skip":1}' >/dev/null
tt items Feedback --all
sim DELETE /_sim/faults >/dev/null
cp "$T_TMP/out" "$T_TMP/part1"
t_ok "failure on page 2: exit 4" rc_is 4
t_ok "failure on page 2: the first page was written" [ "$(wc -l <"$T_TMP/part1")" -gt 0 ]
t_ok "failure on page 2: the key to go on from, as JSON" err_has "^  --start-key '{\""
resume=$(sed -n "s/^  --start-key //p" "$T_TMP/err")
eval "set -- $resume"
tt items Feedback --all --start-key "$1"
t_ok "--start-key: the rest of the table" rc_is 0
t_ok "--start-key: with the first part, every item once" \
	sh -c "cat '$T_TMP/part1' '$T_TMP/out' | sort | cmp -s - '$T_TMP/all5000.sorted'"

# --- 8,000 keys: linear work, numbers and attribute order do not make keys new ----------------------
"$PY" - "$T_TMP/all5000.sorted" "$T_TMP/keys8000" <<'PY'
import json, sys
keys = [json.loads(l) for l in open(sys.argv[1])]
keys = [{'feedbackId': k['feedbackId'], 'createdAt': k['createdAt']} for k in keys][:5000]
with open(sys.argv[2], 'w') as f:
    for k in keys:
        f.write(json.dumps(k) + '\n')
    for i in range(3000):
        f.write(json.dumps({'feedbackId': 'fb-none-%d' % i, 'createdAt': 'x'}) + '\n')
    for k in keys[:200]:  # the same keys again, attributes the other way round
        f.write(json.dumps({'createdAt': k['createdAt'], 'feedbackId': k['feedbackId']}) + '\n')
PY
sim DELETE /_sim/requests >/dev/null
tt items Feedback --keys "$T_TMP/keys8000"
t_ok "8,000 keys: exit 0" rc_is 0
t_ok "8,000 keys: the 5,000 that exist, each once" py "len(items) == 5000 and len(set(keys)) == 5000"
t_ok "8,000 keys: the rest said on stderr" err_has "3000 of 8000 keys matched no item in Feedback"
t_ok "8,000 keys: 80 BatchGetItem calls, no key twice" [ "$(count_requests BatchGetItem)" = 80 ]

# --- parallel Scan segments -------------------------------------------------------------------------------
sim DELETE /_sim/requests >/dev/null
tt items Feedback --all --segments 4
t_ok "--segments 4: exit 0" rc_is 0
t_ok "--segments 4: the same 5,000 items as one Scan, each once" \
	sh -c "sort '$T_TMP/out' | cmp -s - '$T_TMP/all5000.sorted'"
segment_scans() { sim_count "r.get('action') == 'Scan' and '\"Segment\":$1,\"TotalSegments\":4' in (r.get('body') or '')"; }
t_ok "--segments 4: every request names its segment of 4" \
	[ "$(( $(segment_scans 0) + $(segment_scans 1) + $(segment_scans 2) + $(segment_scans 3) ))" = "$(count_requests Scan)" ]
t_ok "--segments 4: all four segments read" \
	sh -c '[ "$1" -gt 0 ] && [ "$2" -gt 0 ] && [ "$3" -gt 0 ] && [ "$4" -gt 0 ]' _ \
	"$(segment_scans 0)" "$(segment_scans 1)" "$(segment_scans 2)" "$(segment_scans 3)"
tt items NoSuchTable --all --segments 3
t_ok "--segments on a missing table: exit 4, once, no hang" sh -c \
	"[ \$(cat '$T_TMP/rc') = 4 ] && [ \$(grep -c 'no active table named NoSuchTable' '$T_TMP/err') = 1 ]"
tt items Feedback --segments 4
t_ok "--segments without --all: exit 2" rc_is 2
tt items Feedback --all --segments 0
t_ok "--segments 0: exit 2" rc_is 2
tt items Feedback --all --segments 65
t_ok "--segments 65: exit 2, the range said" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'from 1 to 64' '$T_TMP/err'"
tt items Feedback --all --segments 2 --query 'feedbackId = :k' --values '{":k":"fb-0001"}'
t_ok "--segments with --query: exit 2" rc_is 2
sim DELETE /_sim/requests >/dev/null
tt items Feedback --all --filter 'feedbackId = :x' --values '{":x":"none-such"}'
t_ok "empty pages: exit 0" rc_is 0
t_ok "empty pages: no item" lines_are 0
t_ok "empty pages with a LastEvaluatedKey are followed to the end" [ "$(count_requests Scan)" -gt 1 ]
t_done
