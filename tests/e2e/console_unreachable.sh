#!/bin/sh
# An endpoint that cannot be reached when the console starts (every
# connection reset): the panes say discovery failed and is being retried,
# the status line says "account ?" and that it backs off; once the endpoint
# answers, the tiers and the account appear with no key pressed (a failed
# first load retries on its back-off, not its 5-minute interval). Every wait
# is for the screen.
. "$(dirname "$0")/lib.sh"
console_test console_unreachable

sim POST /_sim/faults '{"service":"*","action":"*","kind":"reset","count":-1}' >/dev/null
run_in_tmux main --tag app=feedback --interval 5
t_ok "the panes say discovery failed and is retried" wait_screen "(not discovered: retrying)"
t_ok "... and why, at the top" wait_screen "discovery failed .* ago: "
t_ok "the status line: no account, backing off" wait_screen "account ? | us-east-1 | data - old | .*backing off"
sim DELETE /_sim/faults >/dev/null
t_ok "the endpoint is back: the tiers fill in with no key pressed" wait_screen "LOGIC (3)"
t_ok "... the figures too" wait_screen "submit-feedback .*/10s "
t_ok "... and the account, asked again" wait_screen "111122223333 | us-east-1 | data .* old"

# A stalled endpoint: the status line counts the requests on the wire.
sim POST /_sim/faults '{"service":"monitoring","action":"*","kind":"latency","latency_ms":6000,"count":-1}' >/dev/null
keys r
t_ok "stalled metrics: the status line says how many requests are in flight" wait_screen "| [1-9][0-9]* in flight"
sim DELETE /_sim/faults >/dev/null
t_ok "... and stops saying it once they are answered" wait_gone " in flight"
keys q
t_ok "q quits normally" wait_screen "EXIT=0"

# Quitting while a request stalls: after a moment for answers, the rest
# are ended and what waited on them freed (under the sanitizer build a
# leak would end it with LeakSanitizer's exit status instead of 0).
tmx kill-session -t main
run_in_tmux main --tag app=feedback --interval 5
t_ok "again: the tiers are up" wait_screen "LOGIC (3)"
sim POST /_sim/faults '{"service":"monitoring","action":"*","kind":"latency","latency_ms":600000,"count":-1}' >/dev/null
keys r
t_ok "a stalled refresh in flight" wait_screen "| [1-9][0-9]* in flight"
keys q
t_ok "q with a request stalled: quits, status 0, nothing left behind" wait_screen "EXIT=0"
sim DELETE /_sim/faults >/dev/null

t_done
