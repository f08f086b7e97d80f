#!/bin/sh
# The service operations of issue 3, tiertop and the AWS CLI side by side on
# the same simulator: list functions, invoke, a 15-metric GetMetricData,
# scan 100,000 items (also as 4 parallel segments).
# Usage: RUNS=10 SCAN_RUNS=3 sh bench/services.sh (SCAN_RUNS=0 leaves the
# scans out: they take minutes).
set -eu
. "$(dirname "$0")/lib.sh"

# The CLI's list-functions is ListFunctions alone; `functions --json` is the
# same calls. --state adds a GetFunctionConfiguration per function, which the
# CLI has no single command for: shown for information, against the same CLI
# figures.
measure t_list "$tiertop" functions --json
measure a_list $aws_cli lambda list-functions
report "list functions (60, 2 pages)" t_list a_list
measure t_list_state "$tiertop" functions --state --json
report "  with --state (+60 lookups)" t_list_state a_list

payload='{"message":"benchmark hello"}'
measure t_invoke "$tiertop" invoke spam-filter --payload "$payload" --yes
measure a_invoke $aws_cli lambda invoke --function-name spam-filter --payload "$payload" \
	--cli-binary-format raw-in-base64-out "$work/invoke.out"
report "invoke spam-filter" t_invoke a_invoke

end=$(( $(date +%s) / 60 * 60 ))
start=$(( end - 3600 ))
/usr/bin/python3 - "$work/gmd.json" "$start" "$end" <<'PY'
import json, sys
out, start, end = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
fn = [("Invocations", "Sum"), ("Errors", "Sum"), ("Throttles", "Sum"), ("Duration", "p50"),
      ("Duration", "p99"), ("ConcurrentExecutions", "Maximum")]
tb = [("ConsumedReadCapacityUnits", "Sum", None), ("ConsumedWriteCapacityUnits", "Sum", None),
      ("ProvisionedReadCapacityUnits", "Average", None), ("ProvisionedWriteCapacityUnits", "Average", None),
      ("ReadThrottleEvents", "Sum", None), ("WriteThrottleEvents", "Sum", None),
      ("SystemErrors", "Sum", "PutItem"), ("SuccessfulRequestLatency", "Average", "GetItem"),
      ("SuccessfulRequestLatency", "Average", "PutItem")]
q = [{"Id": f"f{i}", "MetricStat": {"Metric": {"Namespace": "AWS/Lambda", "MetricName": m,
      "Dimensions": [{"Name": "FunctionName", "Value": "submit-feedback"}]}, "Period": 60, "Stat": s}}
     for i, (m, s) in enumerate(fn)]
for i, (m, s, op) in enumerate(tb):
    dims = [{"Name": "TableName", "Value": "Feedback"}] + ([{"Name": "Operation", "Value": op}] if op else [])
    q.append({"Id": f"t{i}", "MetricStat": {"Metric": {"Namespace": "AWS/DynamoDB", "MetricName": m,
              "Dimensions": dims}, "Period": 60, "Stat": s}})
json.dump({"MetricDataQueries": q, "StartTime": start, "EndTime": end, "ScanBy": "TimestampAscending"},
          open(out, "w"))
PY
measure t_gmd "$tiertop" metrics submit-feedback table/Feedback --range 1h --json
measure a_gmd $aws_cli cloudwatch get-metric-data --cli-input-json "file://$work/gmd.json"
report "GetMetricData, 15 metrics x 60" t_gmd a_gmd

[ "${SCAN_RUNS:-3}" -gt 0 ] || exit 0
sim_admin POST /_sim/scenario '{"feedback_items": 100000}'
saved_runs=$runs
runs=${SCAN_RUNS:-3}
measure t_scan "$tiertop" items Feedback --all
measure a_scan $aws_cli dynamodb scan --table-name Feedback
report "scan 100,000 items" t_scan a_scan
# The same table as a parallel Scan. The CLI's like for like would be four
# processes, each with --segment I --total-segments 4; this compares with its
# single Scan, the command people run.
measure t_scan4 "$tiertop" items Feedback --all --segments 4
report "  tiertop --segments 4" t_scan4 a_scan
runs=$saved_runs
