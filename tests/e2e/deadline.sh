#!/bin/sh
# One-shot verbs on a stalled network (issue 6, item 12): a deadline per
# request (--deadline, TIERTOP_DEADLINE) ends the verb with exit 5 and says
# what it was waiting for; on a terminal, and only there, a "waiting for"
# line says so while it waits. The stall is the simulator's latency fault
# (a request that is answered in ten minutes); every check waits for the
# process to end or for a marker on the screen, never for a time.
. "$(dirname "$0")/lib.sh"
need_sim_deps
sim_start
sandbox
export AWS_ACCESS_KEY_ID=AKIDTIERTOPSIM000001
export AWS_SECRET_ACCESS_KEY=tiertopSimSecretKey0000000000000000000001

fault() { sim_reset; sim POST /_sim/faults "$1" >/dev/null; }
stall() { fault "{\"service\":\"$1\",\"action\":\"$2\",\"kind\":\"latency\",\"latency_ms\":600000,\"count\":-1}"; }
HOSTPORT="127.0.0.1:$SIM_PORT"

stall sts GetCallerIdentity
tt whoami --deadline 2
t_ok "stalled STS, --deadline 2: exit 5 (network)" rc_is 5
t_ok "stalled STS: names the call, the host and the deadline" \
	err_has "no answer from sts GetCallerIdentity at $HOSTPORT within the deadline of 2 s (attempt 1 of 3)"
t_ok "stalled STS: says how to wait longer" err_has "deadline SECONDS or TIERTOP_DEADLINE"
t_ok "stalled STS: one line, nothing else on stderr" err_lines 1

TIERTOP_DEADLINE=2 tt whoami
t_ok "TIERTOP_DEADLINE=2: exit 5" rc_is 5
TIERTOP_DEADLINE=soon tt whoami
t_ok "TIERTOP_DEADLINE=soon: a configuration error (3), named" \
	sh -c "[ \$(cat '$T_TMP/rc') = 3 ] && grep -q 'TIERTOP_DEADLINE \"soon\" must be a whole number' '$T_TMP/err'"
tt whoami --deadline=-1
t_ok "--deadline -1: a usage error (2)" rc_is 2
tt whoami --cli-read-timeout x
t_ok "--cli-read-timeout x: a usage error (2)" \
	sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q -- '--cli-read-timeout \"x\"' '$T_TMP/err'"

stall lambda ListFunctions
tt functions --deadline 2
t_ok "stalled Lambda listing: exit 5, names it" \
	sh -c "[ \$(cat '$T_TMP/rc') = 5 ] && grep -q 'no answer from lambda ListFunctions at' '$T_TMP/err'"

# A person's deadline also cuts a synchronous Invoke short (the default
# yields to the function's timeout); it may have run, so it is not retried.
stall lambda Invoke
tt invoke spam-filter --yes --deadline 2 --payload '{"message":"stalled"}'
t_ok "stalled Invoke, --deadline 2: exit 5" rc_is 5
t_ok "stalled Invoke: named, and not retried" err_has "no answer from lambda Invoke at .*not retried: the request may have taken effect"
t_ok "stalled Invoke: one Invoke sent" [ "$(sim_count "r.get('action') == 'Invoke'")" = 1 ]

# A Retry-After beyond the deadline is not waited for.
fault '{"service":"sts","action":"*","kind":"throttle","count":-1,"retry_after":50}'
tt whoami --deadline 30
t_ok "Retry-After 50 s, --deadline 30: exit 5 at once, one request" \
	sh -c "[ \$(cat '$T_TMP/rc') = 5 ] && [ $(sim_count "r.get('action') == 'GetCallerIdentity'") = 1 ]"
t_ok "Retry-After past the deadline: says what it would have waited for" \
	err_has "the next would start in [0-9]* s after Throttling"

# --cli-read-timeout: the first try times out and the second is answered.
# (The limit covers the whole second try, a new connection included: 3 s, not
# 1 s, so that a loaded machine does not make it a third.)
fault '{"service":"sts","action":"GetCallerIdentity","kind":"latency","latency_ms":600000,"count":1}'
tt whoami --cli-read-timeout 3 --debug-log "$T_TMP/read.log"
t_ok "--cli-read-timeout 3 on a stalled first try: retried, exit 0" rc_is 0
t_ok "--cli-read-timeout 3: two tries" [ "$(sim_count "r.get('action') == 'GetCallerIdentity'")" = 2 ]

# In a pipe nothing but the error, however long it waits.
stall sts GetCallerIdentity
tt whoami --deadline 6
t_ok "in a pipe: exit 5 after the deadline" rc_is 5
t_ok "in a pipe: no waiting line" err_lacks "waiting for"
t_ok "in a pipe: no escape sequence" err_lacks "$(printf '\033')"

if ! command -v tmux >/dev/null; then
	t_skip "tmux is needed for the terminal tests (Debian tmux)"
	t_done
	exit
fi
tmux_begin deadline
stall sts GetCallerIdentity
run_in_tmux wait whoami --deadline 8
WAIT_TICKS=600 # 30 s at most: a bound, not a measure
t_ok "on a terminal: says what it waits for" wait_screen "^waiting for sts GetCallerIdentity at $HOSTPORT ([0-9]*s)\.\.\."
t_ok "on a terminal: then the error at the start of a clean line" wait_screen "^tiertop: no answer from sts GetCallerIdentity"
t_ok "on a terminal: exit 5" wait_screen "EXIT=5"
t_ok "on a terminal: the waiting line is gone" sh -c '! grep -q "waiting for" "$1"' _ "$T_TMP/screen"
t_done
