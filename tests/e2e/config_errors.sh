#!/bin/sh
# Bad configuration: each case gives one specific line on stderr and the
# documented exit code (3 for credentials/configuration, 2 for usage).
. "$(dirname "$0")/lib.sh"
need_sim_deps
sim_start

AK1=AKIDTIERTOPSIM000001
SK1=tiertopSimSecretKey0000000000000000000001

one_error() { # one_error DESC EXIT PATTERN
	t_ok "$1: exit $2" rc_is "$2"
	t_ok "$1: says '$3'" err_has "$3"
	t_ok "$1: one line" err_lines 1
}

sandbox
tt whoami --profile nope
one_error "unknown profile" 3 "profile nope not found"
AWS_PROFILE=nope tt whoami
one_error "unknown AWS_PROFILE" 3 "profile nope not found"

sandbox
printf '[default]\nregion = us-east-1\nthis line is garbage\n' >"$HOME/.aws/config"
tt whoami
one_error "syntax error" 3 "config:3:"

sandbox
mkdir -p "$T_TMP/adir"
AWS_CONFIG_FILE="$T_TMP/adir" tt whoami
one_error "config path is a directory" 3 "adir"

sandbox
cat >"$HOME/.aws/config" <<CONF
[profile a]
role_arn = arn:aws:iam::111122223333:role/ops-readonly
source_profile = b
[profile b]
role_arn = arn:aws:iam::111122223333:role/ops-readonly
source_profile = a
[profile norole]
role_arn = arn:aws:iam::111122223333:role/ops-readonly
[profile missing]
role_arn = arn:aws:iam::111122223333:role/ops-readonly
source_profile = ghost
[profile both]
role_arn = arn:aws:iam::111122223333:role/ops-readonly
source_profile = a
credential_source = Environment
[profile badsource]
role_arn = arn:aws:iam::111122223333:role/ops-readonly
credential_source = Laptop
[profile halfkeys]
aws_access_key_id = $AK1
[profile dur]
role_arn = arn:aws:iam::111122223333:role/ops-readonly
credential_source = Environment
duration_seconds = 60
[profile mfa]
role_arn = arn:aws:iam::111122223333:role/mfa-role
source_profile = keys
mfa_serial = arn:aws:iam::111122223333:mfa/ops
[profile keys]
aws_access_key_id = $AK1
aws_secret_access_key = $SK1
[profile badattempts]
aws_access_key_id = $AK1
aws_secret_access_key = $SK1
max_attempts = lots
CONF
tt whoami --profile a
one_error "role loop" 3 "role loop in source_profile: a -> b -> a"
tt whoami --profile norole
one_error "role without a source" 3 "neither source_profile nor credential_source"
tt whoami --profile missing
one_error "missing source profile" 3 "source_profile ghost does not exist"
tt whoami --profile both
one_error "source_profile and credential_source together" 3 "both source_profile and credential_source"
tt whoami --profile badsource
one_error "unknown credential_source" 3 "credential_source \"Laptop\""
tt whoami --profile halfkeys
one_error "key id without secret" 3 "no aws_secret_access_key"
tt whoami --profile dur
one_error "duration out of range" 3 "duration_seconds \"60\""
tt whoami --profile mfa
one_error "MFA without a terminal" 3 "no terminal to ask on"
tt whoami --profile badattempts
one_error "bad max_attempts" 3 "max_attempts \"lots\""
AWS_RETRY_MODE=turbo tt whoami --profile keys
one_error "bad AWS_RETRY_MODE" 3 "AWS_RETRY_MODE \"turbo\""

sandbox
AWS_ACCESS_KEY_ID=$AK1 tt whoami
one_error "AWS_ACCESS_KEY_ID without a secret" 3 "AWS_SECRET_ACCESS_KEY is not"

sandbox
unset AWS_REGION
AWS_ACCESS_KEY_ID=$AK1 AWS_SECRET_ACCESS_KEY=$SK1 tt whoami
one_error "no region" 3 "no region configured"
AWS_ACCESS_KEY_ID=$AK1 AWS_SECRET_ACCESS_KEY=$SK1 tt whoami --region 'us-east-1;rm'
one_error "malformed region" 3 "us-east-1;rm"

sandbox
AWS_ACCESS_KEY_ID=$AK1 AWS_SECRET_ACCESS_KEY=$SK1 AWS_ENDPOINT_URL_STS=ftp://example.com tt whoami
one_error "endpoint that is not http(s)" 3 "AWS_ENDPOINT_URL_STS"

sandbox
unset AWS_EC2_METADATA_DISABLED
AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:9 tt whoami
one_error "no credentials anywhere, not on EC2" 3 "no credentials found for profile default: .* no EC2 instance metadata service answered at http://127.0.0.1:9"

# --profile sets keys in the environment aside, as the AWS CLI does: the
# error must not tell the user to set what is set.
sandbox
printf '[profile bare]\nregion = us-east-1\n' >"$HOME/.aws/config"
AWS_ACCESS_KEY_ID=$AK1 AWS_SECRET_ACCESS_KEY=$SK1 tt whoami --profile bare
one_error "--profile with keys in the environment" 3 "AWS_ACCESS_KEY_ID is set, but --profile sets it aside (as in the AWS CLI); add keys or a role"
t_ok "... and does not advise setting them" sh -c "! grep -q 'set AWS_ACCESS_KEY_ID and' '$T_TMP/err'"
printf '[app shop]\nfunctions = checkout\nprofile = bare\n' >"$T_TMP/tiertop.conf"
TIERTOP_CONFIG="$T_TMP/tiertop.conf" AWS_ACCESS_KEY_ID=$AK1 AWS_SECRET_ACCESS_KEY=$SK1 tt whoami
one_error "an app's profile with keys in the environment" 3 "AWS_ACCESS_KEY_ID is set, but \[app shop\]'s profile sets it aside (as --profile does in the AWS CLI)"
AWS_PROFILE=bare AWS_ACCESS_KEY_ID=$AK1 AWS_SECRET_ACCESS_KEY=$SK1 tt whoami
t_ok "AWS_PROFILE does not set them aside (the AWS CLI's rule)" rc_is 0
unset AWS_EC2_METADATA_DISABLED
AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:9 AWS_ACCESS_KEY_ID=$AK1 AWS_SECRET_ACCESS_KEY=$SK1 tt whoami --profile bare
one_error "--profile with keys in the environment, not on EC2" 3 "no EC2 instance metadata service answered at http://127.0.0.1:9; AWS_ACCESS_KEY_ID is set, but --profile sets it aside"

# --- credential_process failures ---------------------------------------------------
sandbox
printf '#!/bin/sh\necho "token vault is locked" >&2\nexit 7\n' >"$T_TMP/cp-fail"
printf '#!/bin/sh\necho "this is not json"\n' >"$T_TMP/cp-garbage"
printf '#!/bin/sh\necho "{\\"Version\\": 2, \\"AccessKeyId\\": \\"A\\", \\"SecretAccessKey\\": \\"B\\"}"\n' >"$T_TMP/cp-v2"
chmod +x "$T_TMP"/cp-*
cat >"$HOME/.aws/config" <<CONF
[profile fail]
credential_process = $T_TMP/cp-fail
[profile garbage]
credential_process = $T_TMP/cp-garbage
[profile v2]
credential_process = $T_TMP/cp-v2
[profile nocmd]
credential_process = $T_TMP/does-not-exist
[profile quote]
credential_process = "$T_TMP/cp-fail
CONF
tt whoami --profile fail
one_error "credential_process exits non-zero" 3 "failed (exit status 7): token vault is locked"
tt whoami --profile garbage
one_error "credential_process prints garbage" 3 "output is not JSON"
tt whoami --profile v2
one_error "credential_process wrong Version" 3 "Version\": 1"
tt whoami --profile nocmd
one_error "credential_process missing program" 3 "cannot run"
tt whoami --profile quote
one_error "credential_process unterminated quote" 3 "unterminated quote"

# --- IAM Identity Center ---------------------------------------------------------------
sandbox
cat >"$HOME/.aws/config" <<CONF
[profile sso]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
[profile nosession]
sso_session = nowhere
sso_account_id = 1
sso_role_name = R
CONF
tt whoami --profile sso
one_error "no cached SSO login" 3 "run 'aws sso login --profile sso'"
mkdir -p "$HOME/.aws/sso/cache"
key=$(printf corp | sha1sum | cut -d' ' -f1)
printf '{"accessToken": "sim-sso-access-token", "expiresAt": "2020-01-01T00:00:00Z"}' >"$HOME/.aws/sso/cache/$key.json"
tt whoami --profile sso
one_error "expired SSO token" 3 "has expired for profile sso: run 'aws sso login --profile sso'"
printf '{"accessToken": "revoked-token", "expiresAt": "%s"}' "$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)" \
	>"$HOME/.aws/sso/cache/$key.json"
tt whoami --profile sso
one_error "SSO token the portal rejects" 3 "aws sso login --profile sso"
printf '{"accessToken": "x", "expiresAt": "2020-01-01T00:00:00Z", "refreshToken": "sim-sso-refresh-token", "clientId": "c", "clientSecret": "s"}' \
	>"$HOME/.aws/sso/cache/$key.json"
tt whoami --profile sso
t_ok "expired SSO token with a refresh token: refreshed" out_has "AWSReservedSSO_ReadOnly"
t_ok "refreshed SSO token written back to the cache" grep -q sim-sso-access-token-refreshed "$HOME/.aws/sso/cache/$key.json"
tt whoami --profile nosession
one_error "unknown sso-session" 3 "\\[sso-session nowhere\\] does not exist"

# --- tiertop's own file ------------------------------------------------------------------
sandbox
export AWS_ACCESS_KEY_ID=$AK1 AWS_SECRET_ACCESS_KEY=$SK1
printf '[app a]\nfunctions = spam-filter\n[Tiertop]\nread_only = true\n' >"$T_TMP/tiertop.cfg"
TIERTOP_CONFIG="$T_TMP/tiertop.cfg" tt whoami
one_error "unknown section in tiertop's file" 3 "tiertop.cfg:3: unknown section \\[Tiertop\\]"
TIERTOP_CONFIG="$T_TMP/no-such.cfg" tt whoami
one_error "TIERTOP_CONFIG naming a missing file" 3 "TIERTOP_CONFIG names $T_TMP/no-such.cfg, which does not exist"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY

# --- usage ------------------------------------------------------------------------------
tt frobnicate
one_error "unknown command" 2 "unknown command"
tt whoami --profile
one_error "option without its value" 2 "--profile needs a value"

t_done
