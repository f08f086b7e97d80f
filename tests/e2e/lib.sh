# Shared by the end-to-end tests: TAP output, a private simulator per test
# file, and a sandbox in which only the AWS settings a test sets exist.
# Sourced by tests/e2e/*.sh, which `make check` runs with top_srcdir,
# top_builddir and TIERTOP in the environment.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${TIERTOP:=$top_builddir/tiertop}"
PY=/usr/bin/python3
# Under ASan, what LeakSanitizer must not count (library allocations).
LSAN_OPTIONS="suppressions=$(cd "$top_srcdir" && pwd)/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
T_COUNT=0
T_FAILED=0
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tiertop-e2e.XXXXXX")
SIM_PID=

t_cleanup() {
	[ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null
	rm -rf "$T_TMP"
}
trap t_cleanup EXIT

t_ok() { # t_ok DESCRIPTION CONDITION-COMMAND...
	local desc=$1
	shift
	T_COUNT=$((T_COUNT + 1))
	if "$@"; then
		echo "ok $T_COUNT - $desc"
	else
		echo "not ok $T_COUNT - $desc"
		T_FAILED=$((T_FAILED + 1))
		t_show_last
	fi
}

t_skip() {
	T_COUNT=$((T_COUNT + 1))
	echo "ok $T_COUNT # SKIP $1"
}

t_done() {
	echo "1..$T_COUNT"
	[ "$T_FAILED" -eq 0 ]
}

t_show_last() {
	[ -f "$T_TMP/out" ] && sed 's/^/#   out| /' "$T_TMP/out" | head -20
	[ -f "$T_TMP/err" ] && sed 's/^/#   err| /' "$T_TMP/err" | head -20
	[ -f "$T_TMP/rc" ] && echo "#   exit status $(cat "$T_TMP/rc")"
}

# Runs tiertop; stdout, stderr and the exit status land in $T_TMP.
tt() {
	"$TIERTOP" "$@" >"$T_TMP/out" 2>"$T_TMP/err" </dev/null
	echo $? >"$T_TMP/rc"
}

rc_is() { [ "$(cat "$T_TMP/rc")" = "$1" ]; }
out_has() { grep -q -- "$1" "$T_TMP/out"; }
err_has() { grep -q -- "$1" "$T_TMP/err"; }
out_lacks() { ! grep -q -- "$1" "$T_TMP/out"; }
err_lacks() { ! grep -q -- "$1" "$T_TMP/err"; }
err_lines() { [ "$(wc -l <"$T_TMP/err")" -eq "$1" ]; }

# A clean AWS environment: no variable or file from the machine leaks in.
sandbox() {
	for v in $(env | sed -n 's/^\(AWS_[A-Z0-9_]*\)=.*/\1/p'); do unset "$v"; done
	unset TIERTOP_CONFIG TIERTOP_READ_ONLY XDG_CONFIG_HOME XDG_STATE_HOME
	unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
	export HOME="$T_TMP/home"
	rm -rf "$HOME"
	mkdir -p "$HOME/.aws"
	export AWS_EC2_METADATA_DISABLED=true
	export AWS_REGION=us-east-1
	[ -n "$SIM_URL" ] && export AWS_ENDPOINT_URL="$SIM_URL"
	return 0
}

# Starts a private simulator (extra arguments go to it); sets SIM_URL.
sim_start() {
	local portfile="$T_TMP/sim.port" i
	rm -f "$portfile"
	"$PY" "$top_srcdir/tests/sim/tiertop_sim.py" --port 0 --port-file "$portfile" "$@" \
		>"$T_TMP/sim.log" 2>&1 &
	SIM_PID=$!
	for i in $(seq 1 200); do
		[ -s "$portfile" ] && break
		kill -0 "$SIM_PID" 2>/dev/null || break
		sleep 0.05
	done
	if [ ! -s "$portfile" ]; then
		echo "Bail out! the simulator did not start:"
		sed 's/^/# /' "$T_TMP/sim.log"
		exit 1
	fi
	SIM_PORT=$(cat "$portfile")
	SIM_URL="http://127.0.0.1:$SIM_PORT"
}

# sim METHOD PATH [JSON]: talks to the simulator's admin API.
sim() {
	curl -sS -X "$1" -H 'Content-Type: application/json' ${3:+--data "$3"} "$SIM_URL$2"
}

sim_reset() { sim POST /_sim/reset '{}' >/dev/null; }

# How many recorded requests match a Python expression over r (a dict).
sim_count() {
	sim GET /_sim/requests | "$PY" -c "
import json, sys
reqs = json.load(sys.stdin)
reqs = reqs.get('requests', reqs) if isinstance(reqs, dict) else reqs
print(sum(1 for r in reqs if ($1)))"
}

need_sim_deps() {
	if ! "$PY" -c 'import botocore' 2>/dev/null; then
		echo "1..0 # SKIP /usr/bin/python3 with botocore (Debian python3-botocore) is needed"
		exit 0
	fi
}

# --- tmux as the terminal ------------------------------------------------------------------
# tmux_begin NAME: a private tmux server for this test file, ended at exit.
tmux_begin() {
	SOCK="tiertop-$1-$$"
	trap 'tmux_end; t_cleanup' EXIT
}
tmx() { tmux -L "$SOCK" "$@"; }

# tmux_end: what a pane still runs (a console whose test failed before its
# `q`) is killed before the server goes: left to die of the hangup, an ASan
# build's leak check at exit can spin at a full core for the rest of the run.
# Each pane is its own process group, so this reaches the console and not
# just the shell around it.
tmux_end() {
	for pgid in $(tmx list-panes -a -F '#{pane_pid}' 2>/dev/null); do
		kill -KILL -- "-$pgid" 2>/dev/null
	done
	tmx kill-server 2>/dev/null
}

# run_in_tmux SESSION ARGS...: tiertop ARGS (shell words) on a terminal of
# TT_TMUX_SIZE (default "160 40") with the sandbox's AWS settings plus
# TT_TMUX_ENV; "EXIT=<status>" shows when it ends.
run_in_tmux() {
	SESSION=$1
	shift
	set -- ${TT_TMUX_SIZE:-160 40} "$@"
	tmx new-session -d -s "$SESSION" -x "$1" -y "$2" \
		"env HOME='$HOME' AWS_REGION=us-east-1 AWS_ENDPOINT_URL='$SIM_URL' AWS_EC2_METADATA_DISABLED=true \
		 ${AWS_ACCESS_KEY_ID:+AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY} \
		 ${TT_TMUX_ENV:-} '$TIERTOP' $(shift 2; echo "$*"); echo EXIT=\$?; sleep 60"
}

# console_test NAME: the preamble of every tmux test of the console: the
# simulator, a sandboxed HOME with its keys, a private tmux server kept up by
# an idle session (otherwise it may be exiting just as the next session
# starts), and a generous bound on waits (the first discovery under a
# sanitizer on a loaded machine takes a while; it only stops a hang).
console_test() {
	need_sim_deps
	command -v tmux >/dev/null || { echo "1..0 # SKIP tmux is needed"; exit 0; }
	sim_start
	sandbox
	export AWS_ACCESS_KEY_ID=AKIDTIERTOPSIM000001 AWS_SECRET_ACCESS_KEY=tiertopSimSecretKey0000000000000000000001
	tmux_begin "$1"
	tmx new-session -d -s keeper "sleep 3600"
	WAIT_TICKS=1200
}
# wait_gone PATTERN: PATTERN is no longer anywhere on the screen.
wait_gone() {
	i=0
	while [ $i -lt "$WAIT_TICKS" ]; do
		tmx capture-pane -p -J -t "$SESSION" | grep -q -- "$1" || return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

keys() { tmx send-keys -t "$SESSION" "$@"; }
text() { tmx send-keys -t "$SESSION" -l "$1"; }
mode_of() { stat -c %a "$1" 2>/dev/null; }

# wait_screen PATTERN: polls SESSION's pane until PATTERN shows (60 s at
# most, or WAIT_TICKS times 50 ms: a bound against hangs, not a speed test;
# tiertop under ASan on a loaded machine may take seconds to reach a prompt).
wait_screen() {
	i=0
	while [ $i -lt "${WAIT_TICKS:-1200}" ]; do
		tmx capture-pane -p -J -t "$SESSION" >"$T_TMP/screen" 2>/dev/null
		grep -q -- "$1" "$T_TMP/screen" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	sed 's/^/#   screen| /' "$T_TMP/screen" | tail -20
	return 1
}
