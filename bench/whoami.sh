#!/bin/sh
# tiertop whoami against `aws sts get-caller-identity` on the same simulator.
# Usage: RUNS=20 sh bench/whoami.sh
set -eu
. "$(dirname "$0")/lib.sh"
measure tiertop "$tiertop" whoami
measure aws $aws_cli sts get-caller-identity
report "whoami / get-caller-identity" tiertop aws
