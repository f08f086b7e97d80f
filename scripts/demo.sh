#!/bin/sh
# Sets everything up, starts the bundled AWS simulator and runs tiertop
# against it. `demo.sh --shell` then opens a shell wired to the simulator
# (profiles sim and sim-role) so you can try commands; exit it to stop.
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
region = eu-west-1
endpoint_url = $url
[profile sim-role]
region = eu-west-1
endpoint_url = $url
role_arn = arn:aws:iam::111122223333:role/ops-readonly
source_profile = sim
CONF
cat >"$work/credentials" <<CRED
[sim]
aws_access_key_id = AKIDTIERTOPSIM000001
aws_secret_access_key = tiertopSimSecretKey0000000000000000000001
CRED
export AWS_CONFIG_FILE="$work/config" AWS_SHARED_CREDENTIALS_FILE="$work/credentials"
export AWS_EC2_METADATA_DISABLED=true PATH="$top/build:$PATH"

echo "simulator: $url"
echo "\$ tiertop --profile sim whoami"
tiertop --profile sim whoami
echo
echo "\$ tiertop --profile sim-role whoami"
tiertop --profile sim-role whoami
if [ "${1:-}" = "--shell" ]; then
	echo
	echo "A shell with tiertop on PATH and the simulator's profiles (sim, sim-role)."
	echo "Try: tiertop --profile sim-role whoami --json   (exit to stop the simulator)"
	AWS_PROFILE=sim "${SHELL:-/bin/sh}" || true
fi
