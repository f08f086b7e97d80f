#!/bin/sh
# The console with an assume-role profile that has mfa_serial: the code is
# asked in a dialog while the console keeps running; what is typed shows as
# '*' only; Enter assumes the role and the tier screen fills in; Esc leaves
# a clear error in the status line, the console running, and r asks again.
. "$(dirname "$0")/lib.sh"
need_sim_deps
command -v tmux >/dev/null || { echo "1..0 # SKIP tmux is needed"; exit 0; }
sim_start
sandbox
cat >"$HOME/.aws/config" <<CONF
[profile mfa]
role_arn = arn:aws:iam::111122223333:role/mfa-role
source_profile = keys
mfa_serial = arn:aws:iam::111122223333:mfa/ops
[profile keys]
aws_access_key_id = AKIDTIERTOPSIM000001
aws_secret_access_key = tiertopSimSecretKey0000000000000000000001
CONF
tmux_begin console-mfa
# A bound against hangs only (a loaded machine, a sanitizer build).
WAIT_TICKS=1200
keys() { tmx send-keys -t "$SESSION" "$@"; }
screen_lacks() { tmx capture-pane -p -J -t "$SESSION" >"$T_TMP/screen"; ! grep -q -- "$1" "$T_TMP/screen"; }
# The column where the dialog's box starts (its top-left corner).
box_column() {
	tmx capture-pane -p -t "$SESSION" | "$PY" -c '
import sys
for line in sys.stdin:
    if "MFA code needed" in line:
        print(line.index("\u250c")); break'
}
# wait_box_moves COLUMN: the dialog is drawn again somewhere else.
wait_box_moves() {
	i=0
	while [ $i -lt "$WAIT_TICKS" ]; do
		col=$(box_column)
		[ -n "$col" ] && [ "$col" != "$1" ] && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
# wait_last_line PATTERN: the bottom row (the status line) shows PATTERN.
wait_last_line() {
	i=0
	while [ $i -lt "$WAIT_TICKS" ]; do
		tmx capture-pane -p -t "$SESSION" | tail -1 | grep -q -- "$1" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
# --- Enter: the code goes to STS -----------------------------------------------------------
TT_TMUX_ENV="LANG=C.UTF-8" run_in_tmux enter --profile mfa --tag app=feedback --interval 5
t_ok "a dialog asks for the MFA code" wait_screen "MFA code needed"
t_ok "naming the profile" wait_screen "profile mfa assumes a role"
t_ok "and the device" wait_screen "device arn:aws:iam::111122223333:mfa/ops"
wide=$(box_column)
t_ok "the dialog is a centred box" [ -n "$wide" ] && [ "$wide" -gt 20 ]
tmx resize-window -t "$SESSION" -x 100 -y 30
t_ok "the console keeps drawing while it asks (a resize re-centres the dialog)" wait_box_moves "$wide"
keys 1 2 3
t_ok "each character typed shows as a star" wait_screen "code: \*\*\*"
keys 4 5 6
t_ok "six stars for six digits" wait_screen "code: \*\*\*\*\*\*"
t_ok "the code itself is never drawn" screen_lacks "123456"
t_ok "nothing went to STS before Enter" [ "$(sim_count "r.get('action')=='AssumeRole'")" = 0 ]
keys Enter
t_ok "Enter: the tier screen fills in" wait_screen "submit-feedback"
t_ok "the dialog is gone" screen_lacks "MFA code needed"
t_ok "the code was sent to STS once" \
	[ "$(sim_count "r.get('action')=='AssumeRole' and 'TokenCode=123456' in (r.get('body') or '')")" = 1 ]
keys q
t_ok "q quits normally" wait_screen "EXIT=0"
tmx kill-session -t "$SESSION"

# --- Esc: no code, a clear error, the console still running ----------------------------------
rm -rf "$HOME/.aws/cli/cache"
TT_TMUX_ENV="LANG=C.UTF-8" run_in_tmux esc --profile mfa --tag app=feedback --interval 5
t_ok "asked again once the AWS CLI's cache is gone" wait_screen "MFA code needed"
keys 9 9 Escape
t_ok "Esc: the status line says no code was given" wait_last_line "no MFA code given for profile mfa: r asks again"
t_ok "and the tier screen says why it has no data" wait_screen "discovery failed .*no MFA code given for profile mfa"
t_ok "the dialog is gone" screen_lacks "MFA code needed"
t_ok "the stars too" screen_lacks "code: \*"
t_ok "nothing was sent to STS" [ "$(sim_count "r.get('action')=='AssumeRole' and 'TokenCode=99' in (r.get('body') or '')")" = 0 ]
keys '?'
t_ok "the console still answers keys (help)" wait_screen "next tier"
keys q
t_ok "and leaves the help" wait_screen "tiertop "
t_ok "it did not exit" screen_lacks "EXIT="
keys r
t_ok "r asks for the code again" wait_screen "MFA code needed"
keys 1 2 3 4 5 6 Enter
t_ok "and then the tier screen fills in" wait_screen "submit-feedback"
t_ok "and the error is gone" wait_gone "no MFA code given"
keys q
t_ok "q quits normally" wait_screen "EXIT=0"

t_done
