#!/bin/sh
# The terminal layer on real terminals: term_check (tests/unit/term_check.c)
# runs in tmux under each TERM the console supports; the screen, the keys
# read and the clipboard are checked, and nothing the canvas was given may
# reach the terminal as a control sequence.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"

CHECK="${top_builddir:-.}/term_check"
if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is needed"
	exit 0
fi
if [ ! -x "$CHECK" ]; then
	echo "1..0 # SKIP $CHECK is not built"
	exit 0
fi
export LC_ALL=C.UTF-8
tmux_begin term
# One idle session keeps the server up: it would exit with its last session,
# and the next test's new-session could race its shutdown.
tmx -f /dev/null new-session -d -s keep -x 80 -y 24 "sleep 600"
tmx set -g set-clipboard on

# start TERM [LOCALE] [ARGS]: term_check on an 80x24 tmux pane.
start() {
	SESSION="s$(date +%s%N)"
	LOG="$T_TMP/$SESSION.keys"
	tmx new-session -d -s "$SESSION" -x 80 -y 24 \
		"env TERM=$1 LC_ALL=${2:-C.UTF-8} '$CHECK' '$LOG' ${3:-}; echo EXIT=\$?; sleep 60"
}

# wait_log NAME: polls the key log for a line (10 s at most).
wait_log() {
	i=0
	while [ $i -lt 200 ]; do
		grep -qx -- "$1" "$LOG" 2>/dev/null && return 0
		sleep 0.05
		i=$((i + 1))
	done
	sed 's/^/#   keys| /' "$LOG" 2>/dev/null
	return 1
}

screen_has() { grep -qF -- "$1" "$T_TMP/screen"; }
title_clean() { [ "$(tmx display -p -t "$SESSION" '#{pane_title}')" != pwned ]; }

for term in xterm xterm-256color screen tmux-256color linux vt100; do
	start "$term"
	# The last row is drawn last: once it shows, the frame is complete.
	t_ok "$term: the canvas shows" wait_screen "READY frame 1 *#$"
	t_ok "$term: escape sequences shown as text" screen_has 'evil:^[]0;pwned^G^[[31mred\x9B<U+009B>.'
	t_ok "$term: the title was not set" title_clean
	t_ok "$term: wide characters" screen_has "wide:漢字😀|done"
	t_ok "$term: a combining mark on its base" screen_has "comb:$(printf 'e\314\201')|"
	tmx send-keys -t "$SESSION" q
	t_ok "$term: q ends it cleanly" wait_screen "EXIT=0"
	tmx kill-session -t "$SESSION"
done

# Keys: tmux sends what its own terminal type describes.
for term in tmux-256color xterm-256color; do
	start "$term"
	wait_screen "READY frame 1" >/dev/null
	tmx send-keys -t "$SESSION" Up Down Left Right BTab Enter C-m BSpace C-h F1 Home End PPage NPage DC C-l Tab é
	t_ok "$term: keys arrive" wait_log "é"
	want="Up Down Left Right Shift-Tab Enter Enter Backspace Backspace F1 Home End PgUp PgDn Delete Ctrl-L Tab é"
	t_ok "$term: every key named as the ui expects" [ "$(tr '\n' ' ' <"$LOG")" = "$want " ]
	tmx send-keys -t "$SESSION" Escape
	t_ok "$term: Esc alone is Esc" wait_log "Esc"
	tmx resize-window -t "$SESSION" -x 100 -y 30
	t_ok "$term: a resize repaints at the new size" wait_screen "size 100x30"
	t_ok "$term: the whole new width is drawn" wait_screen "^─\{100\}$"
	t_ok "$term: the loop rests after a resize" [ "$(grep -c Resize "$LOG")" -le 2 ]
	tmx send-keys -t "$SESSION" s
	t_ok "$term: suspend and resume repaint" wait_screen "last key: s"
	tmx send-keys -t "$SESSION" q
	t_ok "$term: q ends it" wait_screen "EXIT=0"
	t_ok "$term: the full-screen picture is gone after the end" sh -c "! grep -q READY '$T_TMP/screen'"
	tmx kill-session -t "$SESSION"
done

# OSC 52 reaches the terminal (tmux keeps it as a paste buffer).
start xterm-256color
wait_screen "READY frame 1" >/dev/null
tmx send-keys -t "$SESSION" c
t_ok "OSC 52: c pressed" wait_log c
clip_is() {
	i=0
	while [ $i -lt 200 ]; do
		[ "$(tmx show-buffer 2>/dev/null)" = "copied by term_check" ] && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
t_ok "OSC 52: the clipboard holds the text" clip_is
tmx send-keys -t "$SESSION" q
wait_screen "EXIT=0" >/dev/null
tmx kill-session -t "$SESSION"

# ASCII: a locale without UTF-8, and --ascii on a UTF-8 one.
for how in "C" "C.UTF-8 --ascii"; do
	set -- $how
	start xterm-256color "$1" "${2:-}"
	t_ok "$how: the canvas shows" wait_screen "READY frame 1 *#$"
	t_ok "$how: utf8=0" screen_has "utf8=0"
	t_ok "$how: wide characters escaped" screen_has "wide:<U+6F22><U+5B57><U+01F600>|done comb:e<U+0301>|"
	t_ok "$how: box characters as ASCII" wait_screen "^-\{80\}$"
	tmx send-keys -t "$SESSION" q
	t_ok "$how: q ends it" wait_screen "EXIT=0"
	tmx kill-session -t "$SESSION"
done

# A TERM this machine's terminfo lacks (SSH from a newer terminal): drawn as
# xterm, or xterm-256color when the name says it has the colours, and said.
for how in "nosuchterm xterm" "nosuchterm-256color xterm-256color"; do
	set -- $how
	start "$1"
	t_ok "TERM=$1: the canvas shows" wait_screen "READY frame 1 *#$"
	t_ok "TERM=$1: drawn as $2, and said" wait_screen "^TERM=$1 is unknown here: drawing as $2\$"
	tmx send-keys -t "$SESSION" x
	t_ok "TERM=$1: keys are read" wait_log "x"
	tmx send-keys -t "$SESSION" q
	t_ok "TERM=$1: q ends it" wait_screen "EXIT=0"
	tmx kill-session -t "$SESSION"
done

# No TERM at all: a message, not a crash or a garbled screen.
SESSION=bad
tmx new-session -d -s "$SESSION" -x 80 -y 24 \
	"env -u TERM '$CHECK' '$T_TMP/bad.keys'; echo EXIT2=\$?; sleep 60"
t_ok "no TERM: refused" wait_screen "TERM is not set"
t_ok "no TERM: exit 1" wait_screen "EXIT2=1"
tmx kill-session -t "$SESSION"

# No terminal at all.
"$CHECK" "$T_TMP/none.keys" </dev/null >"$T_TMP/out" 2>"$T_TMP/err"
echo $? >"$T_TMP/rc"
t_ok "not a terminal: refused with a message" sh -c "[ \"\$(cat '$T_TMP/rc')\" = 1 ] && grep -q 'needs a terminal' '$T_TMP/err'"
t_done
