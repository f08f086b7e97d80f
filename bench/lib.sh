# Shared by the benchmarks: build, a private simulator, credentials for it,
# and measure/report helpers. Sourced by bench/*.sh.
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-10}
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
# Debian 12's AWS CLI (2.9) predates AWS_ENDPOINT_URL: it gets the flag.
# A word list, not a function, so that /usr/bin/time can run it.
aws_cli="/usr/bin/aws --endpoint-url $AWS_ENDPOINT_URL"
sim_admin() { curl -sS -X "$1" -H 'Content-Type: application/json' ${3:+--data "$3"} "$AWS_ENDPOINT_URL$2" >/dev/null; }

# measure NAME COMMAND...: RUNS timed runs, one line each: wall user sys maxrss_kb.
# The command runs once first, untimed, and must succeed.
measure() {
	name=$1
	shift
	"$@" >/dev/null 2>"$work/err" || { echo "bench: $name failed: $*" >&2; cat "$work/err" >&2; exit 1; }
	i=0
	while [ $i -lt "$runs" ]; do
		/usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@" >/dev/null 2>"$work/err" ||
			{ echo "bench: $name failed on run $i" >&2; cat "$work/err" >&2; exit 1; }
		cat "$work/t" >>"$work/$name"
		i=$((i + 1))
	done
}

# report TITLE TIERTOP-NAME AWS-NAME: medians side by side and the ratios.
report() {
	/usr/bin/python3 - "$work" "$runs" "$1" "$2" "$3" <<'PY'
import statistics, sys
work, runs, title, tname, aname = sys.argv[1:6]
def load(name):
    rows = [list(map(float, l.split())) for l in open(f"{work}/{name}")]
    return (statistics.median(r[0] for r in rows), statistics.median(r[1] + r[2] for r in rows),
            statistics.median(r[3] for r in rows) / 1024)
t, a = load(tname), load(aname)
ratio = lambda x, y: f"{y / x:5.1f}x" if x > 0 else "  n/a"
print(f"{title:34} tiertop {t[0]:7.3f}s {t[1]:7.3f}s cpu {t[2]:6.1f}MB | aws {a[0]:7.3f}s {a[1]:7.3f}s cpu "
      f"{a[2]:6.1f}MB | wall {ratio(t[0], a[0])} cpu {ratio(t[1], a[1])} mem {a[2] / t[2]:4.1f}x")
PY
}
