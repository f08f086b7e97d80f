#!/bin/sh
# The item browser through a whole table (issue 8): ITEMS items in the
# simulator's Feedback table, the console on an 80x24 tmux terminal,
# `:items Feedback PAGE`, then End until the header says "all read".
# Reports the pages read, the wall time, the items per second and the
# console's peak memory (VmHWM) against its memory once the first page was
# shown: the browser keeps a bounded window, so memory must stay flat.
# Usage: [TIERTOP=build/tiertop] [ITEMS=100000] [PAGE=1000] sh bench/items.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
tiertop=${TIERTOP:-$top/build/tiertop}
[ -x "$tiertop" ] || sh "$top/scripts/build.sh" "$top/build"
command -v tmux >/dev/null || { echo "bench: tmux is needed" >&2; exit 1; }
/usr/bin/python3 -c 'import botocore' 2>/dev/null ||
	{ echo "bench: the simulator needs python3-botocore" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tiertop-bench.XXXXXX")
/usr/bin/python3 "$top/tests/sim/tiertop_sim.py" --port 0 --port-file "$work/port" >"$work/sim.log" 2>&1 &
sim=$!
sock="tiertop-bench-items-$$"
trap 'set +e; tmux -L "$sock" kill-server 2>/dev/null; kill $sim 2>/dev/null; wait $sim 2>/dev/null; rm -rf "$work"' \
	EXIT INT TERM
while [ ! -s "$work/port" ]; do sleep 0.1; done
url="http://127.0.0.1:$(cat "$work/port")"
curl -sS -X POST -H 'Content-Type: application/json' --data '{"paused": true}' "$url/_sim/traffic" >/dev/null
curl -sS -X POST -H 'Content-Type: application/json' --data "{\"feedback_items\": ${ITEMS:-100000}}" \
	"$url/_sim/scenario" >/dev/null

exec /usr/bin/python3 - "$tiertop" "$url" "$work" "$sock" "${PAGE:-1000}" <<'EOF'
import re, subprocess, sys, time
tiertop, url, work, sock, page = sys.argv[1:]

def tmux(*args):
    return subprocess.run(['tmux', '-L', sock] + list(args), capture_output=True, text=True).stdout

def screen():
    return tmux('capture-pane', '-p', '-t', 'b')

def wait_for(pattern, bound=600):
    end = time.monotonic() + bound
    while time.monotonic() < end:
        text = screen()
        if re.search(pattern, text):
            return text
        time.sleep(0.02)
    sys.exit('bench: %r never showed\n%s' % (pattern, screen()))

def hwm(pid):
    for line in open('/proc/%d/status' % pid):
        if line.startswith('VmHWM:'):
            return int(line.split()[1]) / 1024.0
    return 0.0

env = ('env HOME=%s AWS_REGION=us-east-1 AWS_ENDPOINT_URL=%s AWS_EC2_METADATA_DISABLED=true '
       'AWS_ACCESS_KEY_ID=AKIDTIERTOPSIM000001 '
       'AWS_SECRET_ACCESS_KEY=tiertopSimSecretKey0000000000000000000001 LANG=C.UTF-8' % (work, url))
tmux('new-session', '-d', '-s', 'b', '-x', '80', '-y', '24', '%s %s --table Feedback; sleep 60' % (env, tiertop))
wait_for(r'DATA \(')
pid = int(subprocess.run(['pgrep', '-n', '-f', '^%s --table Feedback' % tiertop], capture_output=True,
                         text=True).stdout.split()[0])
tmux('send-keys', '-t', 'b', ':items Feedback %s' % page, 'Enter')
wait_for(r'1 page, ')
first = hwm(pid)
start = time.monotonic()
presses = 0
while True:
    text = screen()
    if 'all read' in text:
        break
    if 'reading...' not in text:
        tmux('send-keys', '-t', 'b', 'End')
        presses += 1
    time.sleep(0.01)
wall = time.monotonic() - start
m = re.search(r'(\d+) pages, (?:items (\d+)-(\d+)|(\d+) items)', screen())
pages = int(m.group(1))
items = int(m.group(3) or m.group(4))
peak = hwm(pid)
print('%-28s %8s %8s %10s %10s %12s' % ('items browser', 'pages', 'items', 'wall', 'items/s', 'VmHWM'))
print('%-28s %8d %8d %9.1fs %10.0f %5.1f -> %.1f MB' % ('  page %s, End to the end' % page, pages, items, wall,
                                                        items / wall, first, peak))
EOF
