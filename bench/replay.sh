#!/bin/sh
# Replay throughput (issue 8): `tiertop replay Feedback --keys FILE` of ITEMS
# items (the seeded ones, repeated when there are fewer) through
# submit-feedback against a private simulator, at each rate in RATES
# ("unlimited" for no --rate), reporting the items per second achieved
# against the rate asked and the whole process's wall time. Each item is a
# GetItem, a GetFunctionConfiguration and an Invoke, one item at a time.
# Usage: [TIERTOP=build/tiertop] [ITEMS=50] [RATES="10 unlimited"] sh bench/replay.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
tiertop=${TIERTOP:-$top/build/tiertop}
items=${ITEMS:-50}
rates=${RATES:-10 unlimited}
[ -x "$tiertop" ] || sh "$top/scripts/build.sh" "$top/build"
/usr/bin/python3 -c 'import botocore' 2>/dev/null ||
	{ echo "bench: the simulator needs python3-botocore" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tiertop-bench.XXXXXX")
/usr/bin/python3 "$top/tests/sim/tiertop_sim.py" --port 0 --port-file "$work/port" >"$work/sim.log" 2>&1 &
sim=$!
trap 'set +e; kill $sim 2>/dev/null; wait $sim 2>/dev/null; rm -rf "$work"' EXIT INT TERM
while [ ! -s "$work/port" ]; do sleep 0.1; done

export HOME="$work" AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
export AWS_ACCESS_KEY_ID=AKIDTIERTOPSIM000001 AWS_SECRET_ACCESS_KEY=tiertopSimSecretKey0000000000000000000001
export AWS_ENDPOINT_URL="http://127.0.0.1:$(cat "$work/port")"
url=$AWS_ENDPOINT_URL
# The simulator's synthetic traffic would compete for its one Python thread.
curl -sS -X POST -H 'Content-Type: application/json' --data '{"paused": true}' "$url/_sim/traffic" >/dev/null 2>&1 || true

"$tiertop" items Feedback --all </dev/null >"$work/items"
/usr/bin/python3 - "$work/items" "$items" >"$work/keys" <<'EOF'
import json, sys
keys = [json.dumps({"feedbackId": d["feedbackId"], "createdAt": d["createdAt"]})
        for d in map(json.loads, open(sys.argv[1]))]
n = int(sys.argv[2])
print("\n".join((keys * (n // len(keys) + 1))[:n]))
EOF

printf '%-34s %10s %10s %10s\n' "replay $items items" asked achieved wall

for rate in $rates; do
	opt=
	[ "$rate" = unlimited ] || opt="--rate $rate"
	start=$(/usr/bin/python3 -c 'import time; print(time.monotonic())')
	# shellcheck disable=SC2086
	rc=0
	"$tiertop" replay Feedback --keys "$work/keys" --to submit-feedback --yes $opt \
		>"$work/out" 2>"$work/err" </dev/null || rc=$?
	# 6: some seeded items are spam, which the function rejects; they still count as replayed.
	[ $rc = 0 ] || [ $rc = 6 ] || { echo "bench: replay failed ($rc)" >&2; cat "$work/err" >&2; exit 1; }
	/usr/bin/python3 - "$start" "$items" "$rate" "$work/out" <<'EOF'
import sys, time
start, n, rate, out = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
wall = time.monotonic() - start
ok = sum(1 for l in open(out) if "\tok\t" in l or "\tfunction error\t" in l)
asked = rate + "/s" if rate != "unlimited" else "unlimited"
print("%-34s %10s %8.1f/s %9.2fs%s" % ("  --rate " + rate if rate != "unlimited" else "  no --rate", asked,
                                      n / wall, wall, "" if ok == n else "  (%d of %d answered)" % (ok, n)))
EOF
done
