#!/bin/sh
# Sets everything up, starts the bundled AWS simulator and opens the tiertop
# console on its feedback application (q quits, ? shows the keys). The
# simulator's traffic moves the figures. `demo.sh --verbs` runs the one-shot
# commands instead; `demo.sh --shell` opens a shell wired to the simulator
# (profiles sim and sim-role, app feedback) to try commands; exit to stop.
# Your own ~/.aws files are not touched.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh scripts/deps.sh
sh scripts/build.sh build

work=$(mktemp -d "${TMPDIR:-/tmp}/tiertop-demo.XXXXXX")
/usr/bin/python3 tests/sim/tiertop_sim.py --port 0 --port-file "$work/port" >"$work/sim.log" 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null; wait $sim 2>/dev/null; rm -rf "$work"' EXIT INT TERM
i=0
while [ ! -s "$work/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$work/port" ] || { cat "$work/sim.log"; exit 1; }
url="http://127.0.0.1:$(cat "$work/port")"

cat >"$work/config" <<CONF
[profile sim]
region = us-east-1
endpoint_url = $url
[profile sim-role]
region = us-east-1
endpoint_url = $url
role_arn = arn:aws:iam::111122223333:role/ops-readonly
source_profile = sim
CONF
cat >"$work/credentials" <<CRED
[sim]
aws_access_key_id = AKIDTIERTOPSIM000001
aws_secret_access_key = tiertopSimSecretKey0000000000000000000001
CRED
cat >"$work/tiertop.conf" <<APP
[app feedback]
stacks = feedback-stack
profile = sim
APP
export AWS_CONFIG_FILE="$work/config" AWS_SHARED_CREDENTIALS_FILE="$work/credentials"
export TIERTOP_CONFIG="$work/tiertop.conf"
export AWS_EC2_METADATA_DISABLED=true PATH="$top/build:$PATH"

run() {
	echo
	echo "\$ $*"
	"$@" || true
}
echo "simulator: $url"
if [ "${1:-}" != "--verbs" ] && [ "${1:-}" != "--shell" ]; then
	if [ -t 0 ] && [ -t 1 ]; then
		# A short refresh, so the simulator's traffic shows in the demo.
		tiertop --app feedback --interval 10 || true
		exit 0
	fi
	echo "no terminal: running the one-shot commands instead (demo.sh --verbs)"
fi
run tiertop --profile sim-role whoami
run tiertop status --range 30m
run tiertop --profile sim apis
run tiertop --profile sim tables
run tiertop --profile sim logs submit-feedback spam-filter --since 1m --filter ERROR
run tiertop --profile sim items Feedback --limit 2
run tiertop --profile sim invoke spam-filter --payload '{"message":"hello from the demo"}' --yes
if [ "${1:-}" = "--shell" ]; then
	echo
	echo "A shell with tiertop on PATH, the simulator's profiles (sim, sim-role) and an"
	echo "application \"feedback\" in \$TIERTOP_CONFIG. Try: tiertop status, tiertop logs"
	echo "submit-feedback --follow, tiertop --read-only invoke spam-filter (exit to stop)."
	AWS_PROFILE=sim "${SHELL:-/bin/sh}" || true
fi
