#!/bin/sh
# The log figures of issue 3, tiertop and the AWS CLI side by side on the
# same simulator: read 100,000 events of one group, then follow latency
# (bench/follow.py). Usage: RUNS=3 MARKERS=10 sh bench/logs.sh
# (MARKERS=0 leaves the follow latency out).
set -eu
. "$(dirname "$0")/lib.sh"

group=/aws/lambda/bench
# Whole seconds, a little in the past: tiertop's --since/--until take seconds, and
# the fill must be in the past to be ingested already.
end=$(( $(date +%s) - 60 ))
start=$(( end - 3600 ))
sim_admin POST /_sim/logs/fill \
	"{\"group\": \"$group\", \"events\": 100000, \"span_seconds\": 3600, \"streams\": 20, \"end\": $end}"
since=$(date -u -d "@$start" +%Y-%m-%dT%H:%M:%SZ)
until=$(date -u -d "@$end" +%Y-%m-%dT%H:%M:%SZ)

# A fast read that misses pages would be no figure at all.
n=$("$tiertop" logs "$group" --since "$since" --until "$until" --json | wc -l)
[ "$n" -eq 100000 ] || { echo "bench: tiertop printed $n of the 100000 events" >&2; exit 1; }

measure t_read "$tiertop" logs "$group" --since "$since" --until "$until" --json
measure a_read $aws_cli logs filter-log-events --log-group-name "$group" \
	--start-time $((start * 1000)) --end-time $((end * 1000))
report "read 100,000 log events" t_read a_read

[ "${MARKERS:-10}" -gt 0 ] || exit 0
/usr/bin/python3 "$top/bench/follow.py" "$tiertop" "$aws_cli"
