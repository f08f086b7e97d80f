#!/bin/sh
# A third-party emulator: dynalite (DynamoDB on Node.js, not written for
# tiertop, with its own answers to what the simulator never says). The table
# and item verbs must work on it as on AWS; what it does not serve
# (CloudWatch, STS, API Gateway, Lambda) must be named, with what is known
# still shown. scripts/deps.sh installs it; TT_DYNALITE is its package
# directory. Under CI a missing dynalite is a failure, not a skip.
. "$(dirname "$0")/lib.sh"
need_sim_deps
if [ -z "${TT_DYNALITE:-}" ] || [ ! -f "$TT_DYNALITE/package.json" ] || ! command -v node >/dev/null; then
	if [ -n "${CI:-}" ]; then
		echo "Bail out! dynalite is missing under CI (TT_DYNALITE='${TT_DYNALITE:-}'; scripts/deps.sh installs it)"
		exit 1
	fi
	echo "1..0 # SKIP dynalite is not installed (scripts/deps.sh installs it with npm)"
	exit 0
fi
sandbox
export AWS_ACCESS_KEY_ID=AKIDDYNALITE00000001 AWS_SECRET_ACCESS_KEY=dynaliteSecret000000000000000000000000001

# Port 0 is not possible from its command line (0 means "the default"), so
# the library is started directly and says which port it got.
node -e "
const srv = require(process.argv[1])({createTableMs: 0, deleteTableMs: 0, updateTableMs: 0});
srv.listen(0, '127.0.0.1', () => require('fs').writeFileSync(process.argv[2], String(srv.address().port)));
" "$TT_DYNALITE" "$T_TMP/dyn.port" >"$T_TMP/dyn.log" 2>&1 &
SIM_PID=$! # lib.sh stops it at exit
i=0
while [ $i -lt 400 ] && [ ! -s "$T_TMP/dyn.port" ] && kill -0 "$SIM_PID" 2>/dev/null; do
	sleep 0.05
	i=$((i + 1))
done
if [ ! -s "$T_TMP/dyn.port" ]; then
	echo "Bail out! dynalite did not start:"
	sed 's/^/# /' "$T_TMP/dyn.log"
	exit 1
fi
SIM_URL="http://127.0.0.1:$(cat "$T_TMP/dyn.port")"
export AWS_ENDPOINT_URL="$SIM_URL"

# 60 items over 7 partition keys; each message carries a raw ESC.
"$PY" -c "
import sys, time, botocore.session
d = botocore.session.get_session().create_client('dynamodb', region_name='us-east-1', endpoint_url=sys.argv[1])
d.create_table(TableName='Feedback', BillingMode='PAY_PER_REQUEST',
               AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'},
                                     {'AttributeName': 'n', 'AttributeType': 'N'}],
               KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}, {'AttributeName': 'n', 'KeyType': 'RANGE'}])
d.get_waiter('table_exists').wait(TableName='Feedback', WaiterConfig={'Delay': 0.05, 'MaxAttempts': 400})
for i in range(60):
    d.put_item(TableName='Feedback', Item={'id': {'S': 'fb-%03d' % (i % 7)}, 'n': {'N': str(i)},
               'msg': {'S': 'note \x1b]52;c;AAAA\x07 %d' % i}, 'tags': {'SS': ['a', 'b']}, 'price': {'N': '1.50'}})
" "$SIM_URL" >"$T_TMP/seed.log" 2>&1 || {
	echo "Bail out! seeding dynalite failed:"
	sed 's/^/# /' "$T_TMP/seed.log"
	exit 1
}
esc=$(printf '\033')

tt tables
t_ok "tables: exit 0" rc_is 0
t_ok "... lists Feedback, active, with its key schema" out_has "^Feedback  *ACTIVE .*id:S, n:N"

tt items Feedback --all
t_ok "items --all: exit 0" rc_is 0
t_ok "... every one of the 60 items" [ "$(wc -l <"$T_TMP/out")" -eq 60 ]
t_ok "... the raw ESC arrives escaped, never raw" sh -c "grep -q 'note \\\\u001b]52;c;AAAA\\\\u0007 ' '$T_TMP/out' &&
	! grep -q '$esc' '$T_TMP/out'"
cp "$T_TMP/out" "$T_TMP/scan"

tt items Feedback --all --segments 4
t_ok "items --all --segments 4: the same 60 items" sh -c "[ \"\$(sort '$T_TMP/out')\" = \"\$(sort '$T_TMP/scan')\" ]"

tt items Feedback --key '{"id":"fb-003","n":10}'
t_ok "items --key: the item, numbers as the service stores them" \
	grep -qx '{"id":"fb-003","n":10,"msg":"note \\u001b]52;c;AAAA\\u0007 10","tags":\["a","b"\],"price":1.5}' "$T_TMP/out"

printf '%s\n' '{"id":"fb-003","n":10}' '{"id":"fb-003","n":10.0}' '{"id":"fb-001","n":1}' '{"id":"nope","n":1}' \
	>"$T_TMP/keys"
"$TIERTOP" items Feedback --keys - <"$T_TMP/keys" >"$T_TMP/out" 2>"$T_TMP/err"
echo $? >"$T_TMP/rc"
t_ok "items --keys: 10 and 10.0 are one key, asked once" [ "$(wc -l <"$T_TMP/out")" -eq 2 ]
t_ok "... the missing key is counted on stderr" err_has "1 of 3 keys matched no item in Feedback"

tt items Feedback --query 'id = :i AND n BETWEEN :a AND :b' --values '{":i":"fb-002",":a":5,":b":40}' --desc
t_ok "items --query --desc: exit 0" rc_is 0
t_ok "... the five items in descending sort order" sh -c "[ \"\$(sed 's/.*\"n\":\\([0-9]*\\).*/\\1/' '$T_TMP/out' | tr '\n' ' ')\" = '37 30 23 16 9 ' ]"

tt items Feedback
t_ok "items in a pipe: one page of 25" [ "$(wc -l <"$T_TMP/out")" -eq 25 ]
t_ok "... and says so" err_has "25 items shown; --limit N or --all for more"

# What dynalite does not serve: named, and what is known is still printed.
tt status --table Feedback
t_ok "status: exit 4 (partial)" rc_is 4
t_ok "... the table's row is printed" out_has "^  Feedback "
t_ok "... metrics unavailable, with the reason" out_has "metrics unavailable: cloudwatch GetMetricData"
t_ok "... alarms unavailable, with the reason" out_has "alarms unavailable: cloudwatch DescribeAlarms"

tt whoami
t_ok "whoami: exit 4" rc_is 4
t_ok "... naming the call and the HTTP status" sh -c "grep -q 'sts GetCallerIdentity.*HTTP 404' '$T_TMP/err'"

# The console on it: the data tier, the table view saying why there are no
# charts, the item browser with the hostile text inert.
if command -v tmux >/dev/null; then
	tmux_begin dynalite
	tmx new-session -d -s keeper "sleep 3600"
	WAIT_TICKS=1200
	run_in_tmux main --table Feedback
	t_ok "console: the data tier lists Feedback" wait_screen "^  Feedback "
	t_ok "... the metrics' failure is shown, not hidden" wait_screen "metrics unavailable"
	keys : t a b l e s Enter
	keys Enter
	t_ok "the table view: the key schema" wait_screen "key: partition id (S), sort n (N)"
	t_ok "... a chart's place says why it is empty" wait_screen "(unavailable: cloudwatch GetMetricData"
	keys i
	t_ok "i: the item browser reads the 60 items" wait_screen "60 items"
	t_ok "... the ESC shown inert" wait_screen 'note ^\[\]52;c;AAAA'
	keys Escape Escape q
	t_ok "q quits with status 0" wait_screen "EXIT=0"
else
	t_skip "console on dynalite: tmux is needed"
fi
t_done
