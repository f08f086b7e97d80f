#!/bin/sh
# The console's figures of issue 7 (bench/console.py), against a private simulator:
# exec to first frame, keystroke to screen while every request stalls, CPU and bytes
# to the terminal per idle minute, memory with 1,000 functions, 200 tables and 100,000
# log lines, GetMetricData calls per refresh. Absolute figures against the issue's
# targets: the AWS CLI has no console to compare with.
# Usage: [TIERTOP=build/tiertop] [FIRST_RUNS=10] [KEY_RUNS=20] [IDLE_SECONDS=60] [SCALE=1]
#        sh bench/console.sh [first] [keys] [idle] [scale]
# (no argument: all four; SCALE=0 leaves the 1,000-function part out).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
tiertop=${TIERTOP:-$top/build/tiertop}
[ -x "$tiertop" ] || sh "$top/scripts/build.sh" "$top/build"
/usr/bin/python3 -c 'import botocore' 2>/dev/null ||
	{ echo "bench: the simulator needs python3-botocore" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tiertop-bench.XXXXXX")
/usr/bin/python3 "$top/tests/sim/tiertop_sim.py" --port 0 --port-file "$work/port" >"$work/sim.log" 2>&1 &
sim=$!
py=
trap 'set +e; kill $py $sim 2>/dev/null; wait $sim 2>/dev/null; rm -rf "$work"' EXIT INT TERM
while [ ! -s "$work/port" ]; do sleep 0.1; done

export HOME="$work" AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
export AWS_ACCESS_KEY_ID=AKIDTIERTOPSIM000001 AWS_SECRET_ACCESS_KEY=tiertopSimSecretKey0000000000000000000001
export AWS_ENDPOINT_URL="http://127.0.0.1:$(cat "$work/port")"
# In the background so that a signal to this script reaches it (it ends its consoles).
/usr/bin/python3 "$top/bench/console.py" "$tiertop" "$@" &
py=$!
wait $py
