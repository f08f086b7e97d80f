#!/bin/sh
# The console, driven through tmux like a person would: the tier screen
# fills in, every drill-down opens, logs follow, filter and help work, a
# failing endpoint leaves stale data with its reason and recovers, hostile
# log lines stay inert, resize and ASCII work, SIGTERM restores the
# terminal. Every wait is for something on the screen, never a sleep.
. "$(dirname "$0")/lib.sh"
console_test console
# wait_last_line PATTERN: the bottom row of the pane shows PATTERN.
wait_last_line() {
	i=0
	while [ $i -lt "$WAIT_TICKS" ]; do
		tmx capture-pane -p -t "$SESSION" | tail -1 | grep -q -- "$1" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
screen_lacks() { tmx capture-pane -p -J -t "$SESSION" >"$T_TMP/screen"; ! grep -q -- "$1" "$T_TMP/screen"; }

# --- the tier screen ------------------------------------------------------------------
TT_TMUX_ENV="LANG=C.UTF-8" run_in_tmux main --tag app=feedback --interval 5
t_ok "the tier screen shows the three tiers" wait_screen "DATA ("
t_ok "functions are listed" wait_screen "submit-feedback"
t_ok "figures arrive (a p99 against the timeout)" wait_screen "/[0-9]*s "
t_ok "the alarm strip says what fires, once alarms are loaded" wait_screen "no alarm firing\|ALARM"
t_ok "the status line shows account, region and data age" wait_screen "[0-9]\{12\} | us-east-1 | data .* old"
# The simulator's seeded incidents put submit-feedback's error alarm in ALARM at some times of
# day: then its mark is ! (alarm outranks errors), else E. Either is a letter, not a colour.
t_ok "a health mark without colour: E (errors) or ! (in alarm) on submit-feedback" \
	wait_screen "^[E!].submit-feedback"
# Waited for, not read from the last capture: a ! mark comes with the alarms, which may be
# drawn before the metrics (and their sparklines). Alternatives of whole characters match
# in any locale, where a bracket of multibyte characters would not.
t_ok "rows and bars: sparklines in UTF-8" wait_screen '\(▁\|▂\|▃\|▄\|▅\|▆\|▇\|█\)\{4\}'


# --- help, filter, drill-downs -----------------------------------------------------------------
keys '?'
t_ok "? shows help generated from the keymaps" wait_screen "next tier"
keys q
t_ok "any key leaves the help" wait_screen "LOGIC ("
keys / s u b m i t Enter
t_ok "/ filters the focused tier" wait_screen "LOGIC (1) /submit"
t_ok "... leaving the matching function" sh -c "grep -q 'submit-feedback' '$T_TMP/screen' && ! grep -q 'spam-filter' '$T_TMP/screen'"
keys Enter
t_ok "Enter opens the function" wait_screen "fn submit-feedback"
t_ok "its configuration (environment names only)" wait_screen "environment: .*TABLE_NAME"
t_ok "its wiring: the route that triggers it and its table" wait_screen "POST /feedback"
t_ok "its charts" wait_screen "Invocations Sum"
t_ok "its recent invocations from REPORT lines" wait_screen "[0-9a-f]\{8\}-[0-9a-f]\{4\}-.* [0-9.]* *[0-9]* *[0-9]*/[0-9]"
t_ok "environment values never appear" screen_lacks "arn:aws:dynamodb"
# An invocation that used 250 of its 256 MB: flagged (traffic paused so the line stays in view).
sim POST /_sim/traffic '{"paused": true}' >/dev/null
rid=0badc0de-0000-4000-8000-$(printf '%012d' $$)
sim POST /_sim/logs/event "{\"group\":\"/aws/lambda/submit-feedback\",\"message\":\"REPORT RequestId: $rid\\tDuration: 12.00 ms\\tBilled Duration: 12 ms\\tMemory Size: 256 MB\\tMax Memory Used: 250 MB\\t\\n\"}" >/dev/null
t_ok "an invocation near its memory size is flagged" wait_screen "$rid .* 250/256 *MEM 98%"
# Lambda retries an asynchronous invocation under the same request id.
sim POST /_sim/logs/event "{\"group\":\"/aws/lambda/submit-feedback\",\"message\":\"REPORT RequestId: $rid\\tDuration: 9.00 ms\\tBilled Duration: 9 ms\\tMemory Size: 256 MB\\tMax Memory Used: 120 MB\\t\\n\"}" >/dev/null
t_ok "the same request id again: marked as a retry" wait_screen "$rid .* 120/256 *retry 1"
sim POST /_sim/traffic '{"paused": false}' >/dev/null
keys Enter
t_ok "Enter on an invocation opens its log lines" wait_screen "REPORT RequestId"
t_ok "... with the breadcrumb" wait_screen "fn submit-feedback .* logs submit-feedback"
keys Escape
t_ok "Esc goes back to the function" wait_screen "RECENT INVOCATIONS"
keys Escape
t_ok "... and to the tier screen" wait_screen "LOGIC (1)"
keys c Tab
t_ok "Tab moves to the data tier" wait_screen "DATA ("
keys g Enter
t_ok "a table opens with its key schema" wait_screen "key: partition"
t_ok "... its status and billing mode" wait_screen "^ACTIVE, PAY_PER_REQUEST, about [0-9.kM]* items"
t_ok "... and the functions wired to it" wait_screen "FUNCTIONS wired to it"
keys Escape j Enter
t_ok "a provisioned table says so" wait_screen "^ACTIVE, PROVISIONED, about [0-9.kM]* items"
keys Escape BTab BTab g Enter
t_ok "an API opens with its routes" wait_screen "ROUTES"
t_ok "... and the function behind each route" wait_screen "POST /feedback .*submit-feedback"
keys Escape

# --- logs -------------------------------------------------------------------------------------
keys : l o g s Space s p a m - f i l t e r Enter
t_ok ":logs opens a function's logs" wait_screen "logs spam-filter"
marker="console-marker-$$"
sim POST /_sim/logs/event "{\"group\":\"/aws/lambda/spam-filter\",\"message\":\"$marker written after start\"}" >/dev/null
t_ok "a line written after start appears" wait_screen "$marker"
hostile=$(printf 'evil \\u001b]52;c;aGVsbG8=\\u0007 \\u001b[2J \\u009b31m \\u202e reversed')
sim POST /_sim/logs/event "{\"group\":\"/aws/lambda/spam-filter\",\"message\":\"$hostile\"}" >/dev/null
t_ok "a hostile line is shown inert" wait_screen 'evil ^\[\]52;c;aGVsbG8=^G'
t_ok "... its bidi override visible" wait_screen "<U+202E> reversed"
keys Escape

# --- a failing endpoint: stale data with age and reason, then recovery -----------------------------
sim POST /_sim/faults '{"service":"monitoring","action":"GetMetricData","kind":"error5xx","count":-1}' >/dev/null
keys r
t_ok "metrics failing: stale data kept, the reason shown" wait_screen "metrics stale (.*)"
t_ok "... and the rows are still there" wait_screen "submit-feedback"
sim DELETE /_sim/faults >/dev/null
keys r
t_ok "recovery clears the error" sh -c "i=0; while [ \$i -lt 1200 ]; do tmux -L '$SOCK' capture-pane -p -t '$SESSION' | grep -q 'metrics stale' || exit 0; sleep 0.05; i=\$((i+1)); done; exit 1"

# --- a throttled endpoint: the scheduler backs off, says so, and comes back ----------------------------
sim POST /_sim/faults '{"service":"monitoring","action":"GetMetricData","kind":"throttle","count":-1}' >/dev/null
keys r
t_ok "metrics throttled: the status line says it backs off" wait_screen ", backing off | "
t_ok "... the rows keep their figures and say why" wait_screen "metrics stale (.*"
sim DELETE /_sim/faults >/dev/null
keys r
t_ok "throttling over: back to normal polling" sh -c "i=0; while [ \$i -lt 2400 ]; do tmux -L '$SOCK' capture-pane -p -t '$SESSION' | grep -q 'backing off\|metrics stale' || exit 0; sleep 0.05; i=\$((i+1)); done; exit 1"

# --- resize -----------------------------------------------------------------------------------------
tmx resize-window -t "$SESSION" -x 80 -y 24
t_ok "after a resize to 80x24 the tiers still fit" wait_screen "LOGIC ("
t_ok "... the status line is on the last row" wait_last_line "us-east-1 .*help"

# --- a mistyped :profile or :app says why and keeps the session ----------------------------------------
keys : p r o f i l e Space n o s u c h Enter
t_ok ":profile with no such profile: the console stays, saying why" wait_last_line "staying here: profile nosuch not found"
keys : a p p Space n o s u c h Enter
t_ok ":app with no such application: the same" wait_last_line "staying here: no .*\(config\|application\)"
keys '?'
t_ok "... and it still answers keys" wait_screen "next tier"
keys q

# --- Tab completes a command's argument from what the console knows ------------------------------------
keys : l o g s Space s u b Tab
t_ok ":logs sub, Tab: the function's whole name" wait_last_line "^:logs submit-feedback *$"
keys Escape : i t e m s Space F Tab
t_ok ":items F, Tab: the common prefix, and the tables that fit" wait_last_line "^:items Feedback .*2 fit: Feedback FeedbackStats"
keys Escape

# --- :region starts again in another region, same terminal ---------------------------------------------
keys : r e g Tab
t_ok ": then Tab completes a command and says what it takes" wait_screen ":region REGION: start again in another region"
keys e u - w e s t - 1 Enter
t_ok ":region restarts the console in that region" wait_last_line "| eu-west-1 | "
t_ok "... with its own tier screen" wait_screen "LOGIC ("

# --- quitting restores the terminal -----------------------------------------------------------------
keys q
t_ok "q quits with status 0" wait_screen "EXIT=0"
tmx kill-session -t "$SESSION"

# --- ASCII, no colour, SIGTERM -----------------------------------------------------------------------
TT_TMUX_SIZE="100 30" TT_TMUX_ENV="LANG=C LC_ALL=C NO_COLOR=1" run_in_tmux ascii --tag app=feedback
t_ok "ASCII: the tier screen" wait_screen "submit-feedback"
t_ok "ASCII: figures" wait_screen "/[0-9]*s "
t_ok "ASCII: nothing but ASCII on the screen" sh -c "! LC_ALL=C grep -q '[^ -~]' '$T_TMP/screen'"
pid=$(pgrep -f "^$TIERTOP --tag app=feedback" | head -1)
kill -TERM "$pid"
t_ok "SIGTERM ends it and the shell sees the exit" wait_screen "EXIT=143"
t_ok "... the terminal is restored (the screen is the shell's again)" screen_lacks "LOGIC ("
tmx kill-session -t "$SESSION"

# --- a TERM this machine does not know (SSH from a newer terminal): drawn as xterm, and said -------------
TT_TMUX_ENV="LANG=C.UTF-8 TERM=tt-unknown-256color" run_in_tmux unknownterm --tag app=feedback
t_ok "unknown TERM: the console opens anyway" wait_screen "LOGIC ("
t_ok "... saying how it draws" wait_screen "TERM=tt-unknown-256color is unknown here: drawing as xterm-256color"
keys q
t_ok "... and quits with status 0" wait_screen "EXIT=0"
tmx kill-session -t "$SESSION"

# --- :app takes the new application's own profile, not the old one's -----------------------------------
for p in pa pb; do
	printf '[profile %s]\nregion = us-east-1\n' "$p" >>"$HOME/.aws/config"
	printf '[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$p" "$AWS_ACCESS_KEY_ID" \
		"$AWS_SECRET_ACCESS_KEY" >>"$HOME/.aws/credentials"
done
printf '[app a]\ntags = app=feedback\nprofile = pa\n[app b]\ntags = app=feedback\nprofile = pb\n' >"$T_TMP/apps.conf"
TT_TMUX_ENV="LANG=C.UTF-8 TIERTOP_CONFIG='$T_TMP/apps.conf'" run_in_tmux apps --app a
t_ok "an application's profile is the session's" wait_last_line "^pa | [0-9]\{12\} | "
keys : a p p Space b Enter
t_ok ":app b restarts with b's profile" wait_last_line "^pb | [0-9]\{12\} | "
keys q
t_ok "... and quits with status 0" wait_screen "EXIT=0"
tmx kill-session -t "$SESSION"
rm -f "$HOME/.aws/config" "$HOME/.aws/credentials"

# --- Ctrl-Z and fg, from an interactive shell ----------------------------------------------------------
SESSION=jobs
tmx new-session -d -s jobs -x 100 -y 30 "env -i PATH=/usr/bin:/bin HOME='$HOME' TERM=xterm PS1='shell> ' bash --norc --noprofile -i"
t_ok "an interactive shell" wait_screen "shell> "
keys "env LANG=C.UTF-8 AWS_REGION=us-east-1 AWS_ENDPOINT_URL='$SIM_URL' AWS_EC2_METADATA_DISABLED=true AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY '$TIERTOP' --tag app=feedback" Enter
t_ok "the console runs under the shell" wait_screen "LOGIC ("
keys C-z
t_ok "Ctrl-Z suspends it and gives the shell back" wait_screen "Stopped"
t_ok "... with the terminal restored" screen_lacks "LOGIC ("
keys "fg" Enter
t_ok "fg brings it back, redrawn" wait_screen "LOGIC ("
keys q
# Type only once the console is gone: keys sent before would be its.
i=0
while [ $i -lt "$WAIT_TICKS" ] && ! screen_lacks "LOGIC ("; do sleep 0.05; i=$((i + 1)); done
keys "echo done=\$?" Enter
t_ok "... and q still quits with status 0" wait_screen "done=0"
tmx kill-session -t jobs

# --- the whole region narrowed to an application (:apps) -------------------------------------------
TT_TMUX_ENV="LANG=C.UTF-8" run_in_tmux apps
t_ok "no selector: the whole region, every function" wait_screen "worker-0"
t_ok "the status line offers to narrow it" wait_screen "whole region: :apps to narrow"
keys : a p p s Enter
t_ok ":apps lists the region's applications" wait_screen "APPLICATIONS IN THE REGION"
t_ok "... stack feedback-stack" wait_screen "^stack feedback-stack"
t_ok "... tag app=feedback" wait_screen "^tag app=feedback"
t_ok "... not the nested stack" screen_lacks "AlarmsStack"
t_ok "... the breadcrumb" wait_screen "tiertop whole region .* applications"
keys Enter
t_ok "Enter narrows the console: the breadcrumb shows the stack" wait_screen "^tiertop stack feedback-stack *$"
t_ok "... the logic pane has the stack's three functions" wait_screen "LOGIC (3)"
t_ok "... and not the workers" sh -c "grep -q 'submit-feedback' '$T_TMP/screen' && ! grep -q 'worker-' '$T_TMP/screen'"
t_ok "... the whole-region hint is gone" screen_lacks "whole region"
keys q
t_ok "q quits the narrowed console" wait_screen "EXIT=0"
tmx kill-session -t "$SESSION"

# --- a terminal that goes away without a SIGHUP (its pty closed under it) ------------------------------
cat >"$T_TMP/ptyclose.py" <<'PY'
import os, subprocess, sys, time
master, slave = os.openpty()
env = dict(os.environ, TERM='xterm', LANG='C.UTF-8')
# Not our controlling terminal: closing the master sends no SIGHUP.
p = subprocess.Popen(sys.argv[1:], stdin=slave, stdout=slave, stderr=slave, env=env)
os.close(slave)
out = b''
deadline = time.monotonic() + 120
while b'LOGIC' not in out and time.monotonic() < deadline:
    try:
        out += os.read(master, 65536)
    except OSError:
        break
os.close(master)
try:
    p.wait(timeout=120)
    print('exited', p.returncode)
except subprocess.TimeoutExpired:
    p.kill()
    print('still running')
PY
"$PY" "$T_TMP/ptyclose.py" env AWS_REGION=us-east-1 AWS_ENDPOINT_URL="$SIM_URL" "$TIERTOP" --tag app=feedback >"$T_TMP/out" 2>&1
t_ok "a console whose terminal is closed ends instead of spinning" grep -q '^exited' "$T_TMP/out"

# --- no terminal -------------------------------------------------------------------------------------
tt --tag app=feedback
t_ok "without a terminal the console says what to use instead (exit 2)" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'needs a terminal' '$T_TMP/err'"
t_done
