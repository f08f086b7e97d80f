#!/bin/sh
# tiertop whoami against `aws sts get-caller-identity` on the same simulator,
# then both again with a shared config file of PROFILES generated SSO profiles
# (one per account and role, as organisations generate them).
# Usage: RUNS=20 PROFILES=50000 sh bench/whoami.sh
set -eu
. "$(dirname "$0")/lib.sh"
measure tiertop "$tiertop" whoami
measure aws $aws_cli sts get-caller-identity
report "whoami / get-caller-identity" tiertop aws

profiles=${PROFILES:-50000}
mkdir -p "$work/.aws"
/usr/bin/python3 - "$profiles" >"$work/.aws/config" <<'PY'
import sys
for i in range(int(sys.argv[1])):
    print(f"[profile acct{i:06d}-Admin]\nsso_session = corp\nsso_account_id = {i:012d}\n"
          f"sso_role_name = Admin\nregion = us-east-1\n")
print("[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1")
PY
measure tiertop_big "$tiertop" whoami
measure aws_big $aws_cli sts get-caller-identity
report "... $profiles profiles in the config" tiertop_big aws_big
