#!/bin/sh
# Every credential source, end to end through `tiertop whoami` against the
# simulator (which verifies every signature with botocore).
. "$(dirname "$0")/lib.sh"
need_sim_deps
sim_start

AK1=AKIDTIERTOPSIM000001
SK1=tiertopSimSecretKey0000000000000000000001
AK2=AKIDTIERTOPSIM000002
SK2=tiertopSimSecretKey0000000000000000000002

# --- environment keys -------------------------------------------------------
sandbox
export AWS_ACCESS_KEY_ID=$AK1 AWS_SECRET_ACCESS_KEY=$SK1
tt whoami
t_ok "environment keys: whoami succeeds" rc_is 0
t_ok "environment keys: account and ARN shown" out_has "arn:aws:iam::111122223333:user/ops"
t_ok "environment keys: source named" out_has "environment variables"
t_ok "environment keys: region source named" out_has "us-east-1 (AWS_REGION)"
t_ok "environment keys: endpoint source named" out_has "(AWS_ENDPOINT_URL)"
tt whoami --json
t_ok "--json: valid JSON with the account" sh -c "$PY -c 'import json,sys; d=json.load(open(\"$T_TMP/out\")); assert d[\"Account\"]==\"111122223333\", d; assert d[\"CredentialSource\"].startswith(\"environment\")'"

# --- static keys in the credentials file -----------------------------------
sandbox
cat >"$HOME/.aws/credentials" <<CRED
[default]
aws_access_key_id = $AK2
aws_secret_access_key = $SK2
CRED
tt whoami
t_ok "credentials file: default profile used" out_has "arn:aws:iam::444455556666:user/ci"
t_ok "credentials file: file and line named" out_has "static keys (.*credentials:2)"

# --- keys in config file, region from profile -------------------------------
sandbox
unset AWS_REGION
cat >"$HOME/.aws/config" <<CONF
[profile dev]
region = eu-west-1
aws_access_key_id = $AK1
aws_secret_access_key = $SK1
CONF
tt whoami --profile dev
t_ok "config file keys with --profile: works" rc_is 0
t_ok "config file keys: region from the profile" out_has "eu-west-1 (profile dev"
AWS_PROFILE=dev tt whoami
t_ok "AWS_PROFILE selects the profile" out_has "profile dev"

# --- precedence --------------------------------------------------------------
sandbox
cat >"$HOME/.aws/credentials" <<CRED
[default]
aws_access_key_id = $AK2
aws_secret_access_key = $SK2
[other]
aws_access_key_id = $AK2
aws_secret_access_key = $SK2
CRED
export AWS_ACCESS_KEY_ID=$AK1 AWS_SECRET_ACCESS_KEY=$SK1
tt whoami
t_ok "environment keys win over the default profile" out_has "user/ops"
AWS_PROFILE=other tt whoami
t_ok "AWS_PROFILE does not override environment keys (as the AWS CLI)" out_has "user/ops"
tt whoami --profile other
t_ok "--profile wins over environment keys" out_has "user/ci"
tt whoami --region ap-south-1
t_ok "--region wins over AWS_REGION" out_has "ap-south-1 (--region)"
AWS_DEFAULT_REGION=sa-east-1 tt whoami
t_ok "AWS_REGION wins over AWS_DEFAULT_REGION" out_has "us-east-1 (AWS_REGION)"
cat >"$HOME/.aws/config" <<CONF
[default]
aws_access_key_id = $AK1
aws_secret_access_key = $SK1
CONF
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
tt whoami
t_ok "credentials file keys win over config file keys" out_has "user/ci"

# --- assume role --------------------------------------------------------------
sandbox
cat >"$HOME/.aws/credentials" <<CRED
[base]
aws_access_key_id = $AK1
aws_secret_access_key = $SK1
[ci]
aws_access_key_id = $AK2
aws_secret_access_key = $SK2
CRED
cat >"$HOME/.aws/config" <<CONF
[profile ro]
role_arn = arn:aws:iam::111122223333:role/ops-readonly
source_profile = base
role_session_name = night-shift
[profile chained]
role_arn = arn:aws:iam::444455556666:role/prod-admin
source_profile = ro
external_id = tiertop-ext
[profile noext]
role_arn = arn:aws:iam::444455556666:role/prod-admin
source_profile = base
[profile fromenv]
role_arn = arn:aws:iam::111122223333:role/ops-readonly
credential_source = Environment
[profile short]
role_arn = arn:aws:iam::111122223333:role/ops-readonly
source_profile = base
duration_seconds = 900
CONF
tt whoami --profile ro
t_ok "assume role: assumed-role ARN with the session name" out_has "assumed-role/ops-readonly/night-shift"
t_ok "assume role: source described" out_has "assume-role arn:aws:iam::111122223333:role/ops-readonly via profile base"
t_ok "assume role: expiry shown" out_has "Expires"
t_ok "assume role: the AssumeRole call was signed by the base keys" \
	[ "$(sim_count "r.get('action')=='AssumeRole' and '$AK1/' in dict(r['headers']).get('Authorization','')")" -ge 1 ]
tt whoami --profile chained
t_ok "chained roles with external id" out_has "assumed-role/prod-admin"
t_ok "chained roles: both hops described" out_has "via profile ro: assume-role"
tt whoami --profile noext
t_ok "missing external id: AWS error, exit 4" rc_is 4
t_ok "missing external id: AccessDenied shown" err_has "AccessDenied"
AWS_ACCESS_KEY_ID=$AK1 AWS_SECRET_ACCESS_KEY=$SK1 tt whoami --profile fromenv
t_ok "credential_source = Environment" out_has "assumed-role/ops-readonly"
tt whoami --profile short
t_ok "duration_seconds passed to STS" \
	[ "$(sim_count "r.get('action')=='AssumeRole' and 'DurationSeconds=900' in (r.get('body') or '')")" -ge 1 ]

# --- web identity ---------------------------------------------------------------
sandbox
printf 'valid-web-identity-token\n' >"$T_TMP/token"
cat >"$HOME/.aws/config" <<CONF
[profile web]
role_arn = arn:aws:iam::111122223333:role/web-role
web_identity_token_file = $T_TMP/token
CONF
tt whoami --profile web
t_ok "web identity from the profile" out_has "assumed-role/web-role"
t_ok "web identity: AssumeRoleWithWebIdentity was unsigned" \
	[ "$(sim_count "r.get('action')=='AssumeRoleWithWebIdentity' and 'Authorization' not in dict(r['headers'])")" -ge 1 ]
sandbox
AWS_WEB_IDENTITY_TOKEN_FILE=$T_TMP/token AWS_ROLE_ARN=arn:aws:iam::111122223333:role/web-role \
	AWS_ROLE_SESSION_NAME=pod-1 tt whoami
t_ok "web identity from AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN" out_has "assumed-role/web-role/pod-1"
printf 'forged\n' >"$T_TMP/badtoken"
AWS_WEB_IDENTITY_TOKEN_FILE=$T_TMP/badtoken AWS_ROLE_ARN=arn:aws:iam::111122223333:role/web-role tt whoami
t_ok "bad web identity token: InvalidIdentityToken, exit 4" sh -c "grep -q InvalidIdentityToken '$T_TMP/err' && [ \$(cat '$T_TMP/rc') = 4 ]"

# --- credential_process ---------------------------------------------------------
sandbox
cat >"$T_TMP/cp-good" <<SH
#!/bin/sh
echo '{"Version": 1, "AccessKeyId": "$AK1", "SecretAccessKey": "$SK1"}'
SH
chmod +x "$T_TMP/cp-good"
cat >"$HOME/.aws/config" <<CONF
[profile proc]
credential_process = "$T_TMP/cp-good" --some-arg 'with space'
CONF
tt whoami --profile proc
t_ok "credential_process" out_has "user/ops"
t_ok "credential_process described" out_has "profile proc: credential_process"

# --- IAM Identity Center ----------------------------------------------------------
sandbox
mkdir -p "$HOME/.aws/sso/cache"
future=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
key=$(printf corp | sha1sum | cut -d' ' -f1)
cat >"$HOME/.aws/sso/cache/$key.json" <<JSON
{"accessToken": "sim-sso-access-token", "expiresAt": "$future", "region": "us-east-1", "startUrl": "https://corp.awsapps.com/start"}
JSON
cat >"$HOME/.aws/config" <<CONF
[profile sso]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
CONF
tt whoami --profile sso
t_ok "sso-session profile" out_has "AWSReservedSSO_ReadOnly"
t_ok "sso-session described" out_has "sso-session corp"
legacy=$(printf https://legacy.awsapps.com/start | sha1sum | cut -d' ' -f1)
cat >"$HOME/.aws/sso/cache/$legacy.json" <<JSON
{"accessToken": "sim-sso-access-token", "expiresAt": "$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SUTC)"}
JSON
cat >>"$HOME/.aws/config" <<CONF
[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 111122223333
sso_role_name = ReadOnly
CONF
tt whoami --profile legacy
t_ok "legacy sso_start_url profile (old CLI expiresAt format)" out_has "AWSReservedSSO_ReadOnly"
cat >>"$HOME/.aws/config" <<CONF
[profile viasso]
role_arn = arn:aws:iam::111122223333:role/ops-readonly
source_profile = sso
CONF
tt whoami --profile viasso
t_ok "assume role with an SSO source profile" out_has "assume-role .* via profile sso: sso-session corp"

# --- container credentials ----------------------------------------------------------
sandbox
AWS_CONTAINER_CREDENTIALS_FULL_URI="$SIM_URL/container/creds" tt whoami
t_ok "container credentials (full URI)" out_has "ecs-task-role"
sim POST /_sim/config '{"container_auth_token": "sim-container-auth-token"}' >/dev/null
AWS_CONTAINER_CREDENTIALS_FULL_URI="$SIM_URL/container/creds" \
	AWS_CONTAINER_AUTHORIZATION_TOKEN=sim-container-auth-token tt whoami
t_ok "container credentials with an authorization token" out_has "ecs-task-role"
printf 'sim-container-auth-token' >"$T_TMP/ctok"
AWS_CONTAINER_CREDENTIALS_FULL_URI="$SIM_URL/container/creds" \
	AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE="$T_TMP/ctok" tt whoami
t_ok "container credentials with a token file" out_has "ecs-task-role"
AWS_CONTAINER_CREDENTIALS_FULL_URI="http://10.9.9.9/creds" tt whoami
t_ok "container full URI outside the allowed hosts is refused (exit 3)" sh -c "[ \$(cat '$T_TMP/rc') = 3 ] && grep -q 'must be https or a loopback' '$T_TMP/err'"
sim_reset

# --- EC2 instance metadata ------------------------------------------------------------
sandbox
unset AWS_EC2_METADATA_DISABLED
AWS_EC2_METADATA_SERVICE_ENDPOINT="$SIM_URL" tt whoami
t_ok "IMDSv2 credentials" out_has "tiertop-ec2-role"
t_ok "IMDSv2: a token was requested" [ "$(sim_count "r['method']=='PUT' and r['path']=='/latest/api/token'")" -ge 1 ]

# A token PUT that is never answered (a container on EC2 with a hop limit of 1):
# IMDSv1, as botocore does, unless IMDSv1 is disabled.
token_puts() { sim_count "r['method']=='PUT' and r['path']=='/latest/api/token'"; }
v1_gets() { sim_count "r['method']=='GET' and r['path'].startswith('/latest/meta-data/') and not any(k.lower()=='x-aws-ec2-metadata-token' for k, v in r['headers'])"; }
sim_reset
sim POST /_sim/config '{"imds_token_hangs": true, "imds_v1": true}' >/dev/null
AWS_METADATA_SERVICE_TIMEOUT=1 AWS_EC2_METADATA_SERVICE_ENDPOINT="$SIM_URL" tt whoami --debug-log "$T_TMP/imds.log"
t_ok "token PUT times out: IMDSv1 credentials" sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && grep -q tiertop-ec2-role '$T_TMP/out'"
t_ok "token PUT times out: one PUT, then GETs without a token" sh -c "[ $(token_puts) = 1 ] && [ $(v1_gets) -ge 2 ]"
t_ok "token PUT times out: the fallback is logged" grep -q "no IMDSv2 token.*trying IMDSv1" "$T_TMP/imds.log"
AWS_EC2_METADATA_V1_DISABLED=true AWS_METADATA_SERVICE_TIMEOUT=1 AWS_EC2_METADATA_SERVICE_ENDPOINT="$SIM_URL" tt whoami
t_ok "token PUT times out, IMDSv1 disabled: exit 3" rc_is 3
sim_reset
sim POST /_sim/config '{"imds_v1": true}' >/dev/null
sim POST /_sim/faults '{"service":"imds","action":"GetToken","kind":"error5xx","count":1}' >/dev/null
AWS_EC2_METADATA_SERVICE_ENDPOINT="$SIM_URL" tt whoami
t_ok "token PUT answers 500: IMDSv1 credentials" sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && grep -q tiertop-ec2-role '$T_TMP/out'"
sim_reset

t_done
