#!/bin/sh
# AWS's per-API request quotas, enforced by the simulator (config "quotas"): the
# one-shot verbs and the console's scheduler, on an account of 300 functions, stay
# inside them and are never throttled. A burst beyond a quota is counted, so the
# check can fail. Along the way: every operation tiertop calls is one the
# simulator serves (none refused as unknown), and gzip-compressed answers were
# decoded. Every wait is for a count or a screen, never a sleep.
. "$(dirname "$0")/lib.sh"
need_sim_deps
sim_start
sandbox
export AWS_ACCESS_KEY_ID=AKIDTIERTOPSIM000001 AWS_SECRET_ACCESS_KEY=tiertopSimSecretKey0000000000000000000001

throttled() { sim_count "r.get('throttled')"; }
refused() { sim_count "r.get('refused')"; }
# wait_count EXPR N: polls until at least N recorded requests match EXPR (a bound against
# hangs of 1200 x 50 ms, not a speed test).
wait_count() {
	i=0
	while [ $i -lt 1200 ]; do
		[ "$(sim_count "$1")" -ge "$2" ] && return 0
		sleep 0.05
		i=$((i + 1))
	done
	echo "#   only $(sim_count "$1") requests matching $1"
	return 1
}
quotas_on() { sim POST /_sim/config "{\"quotas\": true, \"quota_limits\": ${1:-{\}}}" | grep -q '"quotas": true'; }

sim POST /_sim/scenario '{"functions": 300, "tables": 40}' >/dev/null
t_ok "quotas switched on" quotas_on

# --- one-shot verbs ---------------------------------------------------------------------
tt status
t_ok "status over 300 functions: exit 0" rc_is 0
t_ok "... it read Lambda, CloudWatch and the tagging API" \
	[ "$(sim_count "r['service'] in ('lambda', 'monitoring', 'tagging')")" -ge 3 ]
tt status --tag app=feedback
t_ok "status --tag: exit 0" rc_is 0
tt logs submit-feedback --since 10m
t_ok "logs: exit 0" rc_is 0
tt metrics function/submit-feedback table/Feedback --range 1h
t_ok "metrics: exit 0" rc_is 0
t_ok "one-shot verbs: no request throttled" [ "$(throttled)" = 0 ]

# --- the console, for a while ----------------------------------------------------------------
if command -v tmux >/dev/null; then
	tmux_begin quotas
	tmx new-session -d -s keeper "sleep 3600"
	WAIT_TICKS=1200
	sim DELETE /_sim/requests >/dev/null
	TT_TMUX_ENV="LANG=C.UTF-8" run_in_tmux main --interval 5
	t_ok "the console shows the account's functions" wait_screen "LOGIC ("
	t_ok "figures arrive" wait_screen "/[0-9]*s "
	# Several refresh rounds of metrics, then a followed log: the scheduler's steady state.
	t_ok "the console keeps polling metrics" wait_count "r['action'] == 'GetMetricData'" 6
	tmx send-keys -t "$SESSION" : l o g s Space s u b m i t - f e e d b a c k Enter
	t_ok ":logs follows a function's log" wait_screen "logs submit-feedback"
	t_ok "... polling FilterLogEvents" wait_count "r['action'] == 'FilterLogEvents'" 10
	tmx send-keys -t "$SESSION" q q
	t_ok "the console quits" wait_screen "EXIT=0"
	tmx kill-session -t "$SESSION"
	t_ok "the console: no request throttled" [ "$(throttled)" = 0 ]
else
	t_skip "tmux is needed for the console part"
fi

t_ok "no operation tiertop called was refused as unknown" [ "$(refused)" = 0 ]
t_ok "gzip-compressed answers were decoded" [ "$(sim_count "r.get('content_encoding') == 'gzip'")" -gt 0 ]

# --- the check can fail: a quota far below tiertop's pace -------------------------------------
sim_reset
t_ok "a tiny FilterLogEvents quota" quotas_on '{"logs.FilterLogEvents": {"rate": 0.0001, "burst": 1}}'
tt logs submit-feedback --since 10m
tt logs submit-feedback --since 10m
t_ok "... throttles tiertop's second read, and that is counted" [ "$(throttled)" -gt 0 ]
t_ok "... which fails with the service's error" err_has "ThrottlingException\|Rate exceeded"
t_ok "... with the service's error" \
	[ "$(sim_count "r.get('throttled') == 'logs.FilterLogEvents' and r['status'] == 400")" -gt 0 ]

t_done
