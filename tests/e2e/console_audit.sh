#!/bin/sh
# The console's audit view (:audit) against the simulator: after a
# `tiertop invoke --yes` verb run, the view lists that action with its
# function, outcome and request id; Enter shows its records, L opens its
# request's log lines. Every wait is for something on the screen.
. "$(dirname "$0")/lib.sh"
console_test console_audit
LOG="$HOME/.local/state/tiertop/audit.jsonl"

tt invoke spam-filter --payload '{"message":"audit view"}' --yes
t_ok "the invoke verb: exit 0" rc_is 0
RID=$("$PY" -c "
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
print([r for r in recs if r.get('record') == 'result'][-1].get('request_id') or '')" "$LOG" 2>/dev/null)
t_ok "the invoke is recorded with a request id" [ -n "$RID" ]

TT_TMUX_ENV="LANG=C.UTF-8" run_in_tmux main --tag app=feedback --interval 5
t_ok "the tier screen lists spam-filter" wait_screen "spam-filter"
keys : a u d i t Enter
t_ok ":audit opens the audit view" wait_screen "AUDIT LOG: INVOKES AND REPLAYS (1)"
t_ok "... with the function" wait_screen "invoke spam-filter .*RequestResponse"
t_ok "... its outcome and request id" wait_screen "200 .*$RID"
t_ok "... the path and counts in the status line" wait_screen "1 action, 0 without result"
keys Enter
t_ok "Enter shows the intent" wait_screen "\"invocation_type\": \"RequestResponse\""
t_ok "... and the result" wait_screen "\"request_id\": \"$RID\""
keys L
t_ok "L opens the request's log lines" wait_screen "logs spam-filter $RID"
t_ok "... filtered on that request id" wait_screen "/aws/lambda/spam-filter request $RID"
keys Escape
t_ok "Esc goes back to the audit view" wait_screen "AUDIT LOG"
keys Escape
t_ok "Esc again: the tier screen" wait_screen "spam-filter"
keys q
t_ok "q quits" wait_screen "EXIT=0"
tmx kill-session -t "$SESSION"
t_done
