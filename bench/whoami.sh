#!/bin/sh
# tiertop whoami against `aws sts get-caller-identity` (Debian's AWS CLI v2,
# /usr/bin/aws), both talking to the same simulator, run after run in one
# go. Reports the median whole-process wall time, CPU time (user + system)
# and peak resident memory of each, and tiertop's ratio to the CLI.
# Usage: bench/whoami.sh [RUNS]   (default 20; needs Debian packages awscli and time)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-20}
tiertop="$top/build/tiertop"
[ -x "$tiertop" ] || sh "$top/scripts/build.sh" "$top/build"
for cmd in /usr/bin/aws /usr/bin/time; do
	[ -x "$cmd" ] || { echo "bench: $cmd is missing (apt-get install awscli time)" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/tiertop-bench.XXXXXX")
/usr/bin/python3 "$top/tests/sim/tiertop_sim.py" --port 0 --port-file "$work/port" >"$work/sim.log" 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null; wait $sim 2>/dev/null; rm -rf "$work"' EXIT INT TERM
while [ ! -s "$work/port" ]; do sleep 0.1; done

export HOME="$work" AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_PAGER=""
export AWS_ACCESS_KEY_ID=AKIDTIERTOPSIM000001 AWS_SECRET_ACCESS_KEY=tiertopSimSecretKey0000000000000000000001
export AWS_ENDPOINT_URL="http://127.0.0.1:$(cat "$work/port")"

measure() { # measure NAME COMMAND...: one line per run: wall user sys maxrss_kb
	name=$1
	shift
	"$@" >/dev/null 2>&1 || { echo "bench: $name failed: $*" >&2; "$@"; exit 1; }
	i=0
	while [ $i -lt "$runs" ]; do
		/usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@" >/dev/null 2>&1
		cat "$work/t" >>"$work/$name"
		i=$((i + 1))
	done
}

measure tiertop "$tiertop" whoami
# Debian 12's AWS CLI (2.9) predates AWS_ENDPOINT_URL: give it the flag.
measure aws /usr/bin/aws --endpoint-url "$AWS_ENDPOINT_URL" sts get-caller-identity

/usr/bin/python3 - "$work" "$runs" <<'PY'
import statistics, sys
work, runs = sys.argv[1], sys.argv[2]
def load(name):
    rows = [list(map(float, l.split())) for l in open(f"{work}/{name}")]
    return (statistics.median(r[0] for r in rows), statistics.median(r[1] + r[2] for r in rows),
            statistics.median(r[3] for r in rows) / 1024)
t, a = load("tiertop"), load("aws")
print(f"whoami vs aws sts get-caller-identity, {runs} runs each, medians")
print(f"{'':22}{'wall s':>10}{'cpu s':>10}{'peak MB':>10}")
print(f"{'tiertop whoami':22}{t[0]:10.3f}{t[1]:10.3f}{t[2]:10.1f}")
print(f"{'aws sts get-caller-id':22}{a[0]:10.3f}{a[1]:10.3f}{a[2]:10.1f}")
ratio = lambda x, y: f"{y / x:.0f}x" if x > 0 else "n/a (below timer resolution)"
print(f"aws / tiertop:        wall {ratio(t[0], a[0])}, cpu {ratio(t[1], a[1])}, memory {a[2] / t[2]:.1f}x")
PY
