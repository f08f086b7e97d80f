#!/bin/sh
# The console under a storm of keys nobody would type in that order: every
# view's keys, prompts, dialogs and resizes down to 20x5, from fixed seeds
# (so a failure replays). It must still be running at the end and leave
# cleanly on SIGTERM; under the sanitizer build any memory error or
# undefined behaviour aborts it, which these checks see as a wrong exit.
# Actions it may take land on the simulator; files it may save land in the
# test's own directory; $EDITOR is `true`.
. "$(dirname "$0")/lib.sh"
console_test console_monkey

mkdir -p "$T_TMP/cwd" "$T_TMP/state"
cd "$T_TMP/cwd" || exit 1
TT_TMUX_SIZE="100 30" TT_TMUX_ENV="EDITOR=true VISUAL=true XDG_STATE_HOME='$T_TMP/state'" run_in_tmux monkey
t_ok "the console is up" wait_screen "LOGIC ([0-9]"

# One tmux call per batch of keys. No 'q' (it would end the test early),
# no Ctrl-C, and no '-' or ';' (tmux would read them as its own syntax).
storm() {
	"$PY" - "$1" "$2" <<'PY'
import random, sys
rng = random.Random(int(sys.argv[1]))
keys = list("abcdefghijklmnoprstuvwxyzABCDEFGHIJKLMNOPRSTUVWXYZ0123456789:/?!.,") + [
    "Space", "Enter", "Escape", "Tab", "BTab", "Up", "Down", "Left", "Right", "PageUp", "PageDown",
    "Home", "End", "BSpace", "C-u", "C-w", "C-a", "C-e", "C-l", "C-_", "F1", "F5"]
sizes = ["100 30", "80 24", "40 12", "200 60", "20 5"]
n = int(sys.argv[2])
for i in range(0, n, 10):
    if rng.random() < 0.05:
        print("resize " + rng.choice(sizes))
    print("keys " + " ".join(rng.choice(keys) for _ in range(10)))
PY
}
for seed in 11 12 13 14 15; do
	storm $seed 600 | while read -r what a b; do
		case $what in
		resize) tmx resize-window -t "$SESSION" -x "$a" -y "$b" ;;
		keys) keys $a $b ;;
		esac
	done
	tmx resize-window -t "$SESSION" -x 100 -y 30
	# Proof that it read them all: out of whatever it was doing, then a
	# command line that echoes what is typed.
	keys Escape Escape Escape Escape Escape Escape
	keys : m o n k e y $seed
	t_ok "seed $seed: 600 keys read, and it still answers" wait_screen ":monkey$seed"
	keys Escape
done

# For whoever reads the log: how far the storm went (not a check: where
# random keys lead depends on what had loaded when they came).
sim GET /_sim/requests | "$PY" -c "
import collections, json, sys
reqs = json.load(sys.stdin)
reqs = reqs.get('requests', reqs) if isinstance(reqs, dict) else reqs
print('# requests made:', dict(collections.Counter(r.get('action') for r in reqs)))"

pane=$(tmx list-panes -t "$SESSION" -F '#{pane_pid}')
pid=$(pgrep -P "$pane" | head -n 1)
t_ok "its process found" [ -n "$pid" ]
kill -TERM "$pid"
t_ok "SIGTERM: it ends as asked (128+15), no sanitizer report" wait_screen "EXIT=143"
t_ok "... and no report on the screen" sh -c "! grep -q 'Sanitizer\|runtime error' '$T_TMP/screen'"

t_done
