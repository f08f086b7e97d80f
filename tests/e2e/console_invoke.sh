#!/bin/sh
# Invoking from the console (issue 8), through tmux like a person would:
# from a function, i opens the payload editor; a JSON error is refused
# with its line and column; fixed, sent, confirmed with y, the answer and
# its log tail show, l opens the request's log lines, and the payload is
# remembered (0600 under a 0700 directory). Then in read-only mode (:invoke
# NAME) sending is refused naming the source, $EDITOR replaces the payload,
# and the simulator saw no Invoke at all. Every wait is for something on
# the screen, never a sleep.
. "$(dirname "$0")/lib.sh"
console_test console_invoke
invokes() { sim_count "r.get('service') == 'lambda' and r.get('action') == 'Invoke'"; }

# --- send from the function view -------------------------------------------------------------
TT_TMUX_SIZE="120 40" TT_TMUX_ENV="LANG=C.UTF-8" run_in_tmux main --tag app=feedback --interval 5
t_ok "the tier screen lists spam-filter" wait_screen "spam-filter"
keys / s p a m Enter
t_ok "filtered to spam-filter" wait_screen "LOGIC (1) /spam"
keys Enter
t_ok "Enter opens the function" wait_screen "fn spam-filter"
keys i
t_ok "i opens the invoke view" wait_screen "INVOKE spam-filter"
t_ok "... starting with {} (nothing remembered yet)" wait_screen "1 {}"
keys DC DC
text '{"message" "all good"}'
t_ok "a JSON error shows its line and column as you type" wait_screen "line 1, column [0-9]*: ':' expected"
keys C-r
t_ok "sending it is refused with the place" wait_screen "not sent: line 1, column"
keys Home
for i in 1 2 3 4 5 6 7 8 9 10; do keys Right; done
text ':'
t_ok "fixed, the check says so" wait_screen "JSON ok, 23 bytes"
keys C-r
t_ok "sending asks to confirm" wait_screen "Invoke spam-filter?"
t_ok "... with the account" wait_screen "account   111122223333"
t_ok "... the function's ARN" wait_screen "function  arn:aws:lambda:us-east-1:111122223333:function:spam-filter"
t_ok "... the type and the payload size" sh -c "grep -q 'type      synchronous (RequestResponse)' '$T_TMP/screen' && grep -q 'payload   23 bytes' '$T_TMP/screen'"
t_ok "nothing invoked before the answer" [ "$(invokes)" = 0 ]
keys y
t_ok "y sends: status 200" wait_screen "status 200, [0-9]* ms, version \$LATEST"
t_ok "... the response, re-indented" wait_screen '"spam": false'
t_ok "... the log tail" wait_screen "REPORT RequestId"
t_ok "one Invoke reached the simulator" [ "$(invokes)" = 1 ]
keys Escape
t_ok "Esc leaves the editor" wait_screen "| s send"
keys l
t_ok "l opens the request's log lines" wait_screen "logs spam-filter [0-9a-f]\{8\}-"
t_ok "... which show its START line" wait_screen "START RequestId"
state="$HOME/.local/state/tiertop/payloads"
t_ok "the payload is remembered" grep -q "all good" "$state/spam-filter.json"
t_ok "... in a 0600 file" [ "$(mode_of "$state/spam-filter.json")" = 600 ]
t_ok "... under 0700 directories" [ "$(mode_of "$state")" = 700 ] && [ "$(mode_of "$HOME/.local/state/tiertop")" = 700 ]
keys Escape
t_ok "Esc back to the invoke view" wait_screen "INVOKE spam-filter"
keys Escape
t_ok "Esc back to the function" wait_screen "RECENT INVOCATIONS"
keys q
t_ok "q goes back" wait_screen "LOGIC ("
keys q
t_ok "q quits" wait_screen "EXIT=0"
tmx kill-session -t "$SESSION"

# --- read-only: nothing reaches the simulator ----------------------------------------------------
sim_reset
cat >"$T_TMP/editor.sh" <<'SH'
#!/bin/sh
stat -c %a "$1" >"$(dirname "$0")/editor.mode"
printf '{"message": "from the editor"}\n' >"$1"
SH
chmod +x "$T_TMP/editor.sh"
TT_TMUX_SIZE="120 40" TT_TMUX_ENV="LANG=C.UTF-8 EDITOR=$T_TMP/editor.sh" run_in_tmux ro --read-only --tag app=feedback
t_ok "read-only console up" wait_screen "READ-ONLY"
keys :
text 'invoke spam-filter'
keys Enter
t_ok ":invoke NAME opens the invoke view" wait_screen "INVOKE spam-filter"
t_ok "... with the payload remembered from the last send" wait_screen '1 {"message": "all good"}'
t_ok "... saying sending is refused and why" wait_screen "read-only mode (--read-only): sending is refused"
keys C-r
t_ok "sending is refused, naming the source" wait_screen "read-only mode (--read-only): refusing to invoke spam-filter; nothing was sent"
keys Escape
t_ok "Esc leaves the editor" wait_screen "| s send"
keys e
t_ok "e: \$EDITOR's text becomes the payload" wait_screen '1 {"message": "from the editor"}'
t_ok "... given a 0600 file" [ "$(cat "$T_TMP/editor.mode" 2>/dev/null)" = 600 ]
keys s
t_ok "s is refused too" wait_screen "refusing to invoke spam-filter"
t_ok "no Invoke reached the simulator" [ "$(invokes)" = 0 ]
keys Escape
keys q
t_ok "q quits" wait_screen "EXIT=0"
tmx kill-session -t "$SESSION"
t_done
