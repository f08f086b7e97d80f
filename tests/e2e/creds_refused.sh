#!/bin/sh
# Credentials tiertop must refuse rather than use: already expired when
# fetched (used to be fetched again in a tight loop for ever), carrying CR/LF
# or other control characters (they would become extra HTTP headers), and a
# credential_process that never finishes (time limit, then SIGTERM/SIGKILL).
# Every run is bounded by timeout(1) so that a regression fails instead of
# hanging; nothing here measures how long anything took.
. "$(dirname "$0")/lib.sh"
need_sim_deps
sim_start
sandbox
AK1=AKIDTIERTOPSIM000001
SK1=tiertopSimSecretKey0000000000000000000001
CR=$(printf '\r')

# ttb ARGS...: tt, but killed after 60 s if it hangs (exit status 124).
ttb() {
	timeout -s KILL 60 "$TIERTOP" "$@" >"$T_TMP/out" 2>"$T_TMP/err" </dev/null
	echo $? >"$T_TMP/rc"
}
runs() { [ -f "$T_TMP/runs" ] && wc -l <"$T_TMP/runs" || echo 0; }

# --- already expired when fetched ------------------------------------------------------
cat >"$T_TMP/cp-expired" <<SH
#!/bin/sh
echo run >>"$T_TMP/runs"
echo '{"Version": 1, "AccessKeyId": "ASIAPAST", "SecretAccessKey": "$SK1", "SessionToken": "tok",
       "Expiration": "2001-02-03T04:05:06Z"}'
SH
chmod +x "$T_TMP/cp-expired"
cat >"$HOME/.aws/config" <<CONF
[profile past]
credential_process = "$T_TMP/cp-expired"
[profile zero]
role_arn = arn:aws:iam::111122223333:role/zero-duration
source_profile = keys
[profile keys]
aws_access_key_id = $AK1
aws_secret_access_key = $SK1
CONF
ttb whoami --profile past
t_ok "credential_process with a past Expiration: exit 3 (not a loop)" rc_is 3
t_ok "says the refreshed credentials are already expired" err_has "the refreshed credentials are already expired"
t_ok "and names the profile and the source" err_has "profile past: credential_process"
t_ok "the helper ran once or twice, not thousands of times" sh -c '[ "$1" -ge 1 ] && [ "$1" -le 2 ]' _ "$(runs)"
t_ok "nothing was sent with them" [ "$(sim_count True)" = 0 ]

sim POST /_sim/roles '{"arn": "arn:aws:iam::111122223333:role/zero-duration", "force_duration": 0}' >/dev/null
sim DELETE /_sim/requests >/dev/null
ttb whoami --profile zero
t_ok "an assumed role with zero duration: exit 3" rc_is 3
t_ok "an assumed role with zero duration: already expired, names the role" \
	err_has "assume-role arn:aws:iam::111122223333:role/zero-duration.*the refreshed credentials are already expired"
t_ok "an assumed role with zero duration: AssumeRole asked once or twice" \
	[ "$(sim_count "r.get('action') == 'AssumeRole'")" -le 2 ]

# --- control characters in credential values ------------------------------------------
# no_value: the secret's distinctive part never reaches stderr or stdout.
no_value() { ! grep -q "INJECTED" "$T_TMP/err" "$T_TMP/out"; }
sandbox
AWS_ACCESS_KEY_ID=$AK1 AWS_SECRET_ACCESS_KEY="$SK1
X-INJECTED: 1" ttb whoami
t_ok "LF in AWS_SECRET_ACCESS_KEY: exit 3" rc_is 3
t_ok "LF in AWS_SECRET_ACCESS_KEY: names the field and the source" \
	err_has "environment variables (AWS_ACCESS_KEY_ID): the secret access key contains a control character"
t_ok "LF in AWS_SECRET_ACCESS_KEY: the value is not shown" no_value
AWS_ACCESS_KEY_ID=$AK1 AWS_SECRET_ACCESS_KEY=$SK1 AWS_SESSION_TOKEN="tok${CR}X-INJECTED: 1" ttb whoami
t_ok "CR in AWS_SESSION_TOKEN: exit 3, names the session token" \
	sh -c "[ \$(cat '$T_TMP/rc') = 3 ] && grep -q 'session token contains a control character' '$T_TMP/err'"
t_ok "CR in AWS_SESSION_TOKEN: the value is not shown" no_value

printf '[cr]\naws_access_key_id = %s\naws_secret_access_key = %s\rX-INJECTED: 1\n' "$AK1" "$SK1" \
	>"$HOME/.aws/credentials"
ttb whoami --profile cr
t_ok "CR inside a secret in the credentials file: exit 3, names the profile" \
	sh -c "[ \$(cat '$T_TMP/rc') = 3 ] && grep -q 'profile cr: static keys.*secret access key contains a control' '$T_TMP/err'"
t_ok "CR inside a secret in the credentials file: the value is not shown" no_value

cat >"$T_TMP/cp-crlf" <<SH
#!/bin/sh
printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "%s", "SessionToken": "a\\\\r\\\\nX-INJECTED: 1"}' "$AK1" "$SK1"
SH
chmod +x "$T_TMP/cp-crlf"
cat >"$HOME/.aws/config" <<CONF
[profile crlf]
credential_process = "$T_TMP/cp-crlf"
CONF
ttb whoami --profile crlf
t_ok "CR LF in a credential_process token: exit 3" rc_is 3
t_ok "CR LF in a credential_process token: names the profile" \
	err_has "profile crlf: credential_process: the session token contains a control character"
t_ok "CR LF in a credential_process token: the value is not shown" no_value

# The SSO access token travels in a header of its own.
sandbox
mkdir -p "$HOME/.aws/sso/cache"
future=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
key=$(printf corp | sha1sum | cut -d' ' -f1)
cat >"$HOME/.aws/sso/cache/$key.json" <<JSON
{"accessToken": "sim-sso-access-token\r\nX-INJECTED: 1", "expiresAt": "$future", "region": "us-east-1", "startUrl": "https://corp.awsapps.com/start"}
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
sim DELETE /_sim/requests >/dev/null
ttb whoami --profile sso
t_ok "CR LF in the cached SSO access token: exit 3, names the cache file" \
	sh -c "[ \$(cat '$T_TMP/rc') = 3 ] && grep -q 'sso/cache/$key.json: the SSO access token contains a control character' '$T_TMP/err'"
t_ok "CR LF in the cached SSO access token: the value is not shown" no_value
t_ok "CR LF in the cached SSO access token: not sent" [ "$(sim_count "r.get('service') == 'sso'")" = 0 ]

# --- credential_process time limit --------------------------------------------------------
# gone PIDFILE: the process whose pid the helper wrote is no longer running
# (polled for a generous while: this waits for a marker, it measures nothing).
gone() {
	i=0
	while [ $i -lt 400 ]; do
		[ -s "$1" ] && ! kill -0 "$(cat "$1")" 2>/dev/null && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
sandbox
cat >"$T_TMP/cp-hang" <<SH
#!/bin/sh
echo \$\$ >"$T_TMP/hang.pid"
trap '' TERM
while :; do sleep 1; done
SH
cat >"$T_TMP/cp-holder" <<SH
#!/bin/sh
echo '{"Version": 1, "AccessKeyId": "$AK1", "SecretAccessKey": "$SK1"}'
sleep 1000 &
echo \$! >"$T_TMP/holder.pid"
exit 0
SH
chmod +x "$T_TMP/cp-hang" "$T_TMP/cp-holder"
cat >"$HOME/.aws/config" <<CONF
[profile hang]
credential_process = "$T_TMP/cp-hang"
[profile holder]
credential_process = "$T_TMP/cp-holder"
CONF
# 2 s, not 0.5 s: the helpers must have written their pid (hang) or exited
# (holder) within the limit, which a loaded machine could make a shell miss.
TIERTOP_CREDENTIAL_PROCESS_TIMEOUT=2 ttb whoami --profile hang
t_ok "a helper that never ends (and ignores SIGTERM): exit 3, not a hang" rc_is 3
t_ok "the message names the profile and the limit" \
	err_has "credential_process for profile hang did not finish within 2 s"
t_ok "the helper was stopped" gone "$T_TMP/hang.pid"
TIERTOP_CREDENTIAL_PROCESS_TIMEOUT=2 ttb whoami --profile holder
t_ok "a helper whose child keeps its stdout open: exit 3, not a hang" rc_is 3
t_ok "the message says the output was still open" \
	err_has "credential_process for profile holder did not finish within 2 s (its output was still open, given up)"
[ -s "$T_TMP/holder.pid" ] && kill "$(cat "$T_TMP/holder.pid")" 2>/dev/null
TIERTOP_CREDENTIAL_PROCESS_TIMEOUT=soon ttb whoami --profile hang
t_ok "an unreadable TIERTOP_CREDENTIAL_PROCESS_TIMEOUT: exit 3, names the variable" \
	sh -c "[ \$(cat '$T_TMP/rc') = 3 ] && grep -q 'TIERTOP_CREDENTIAL_PROCESS_TIMEOUT \"soon\" is not a number of seconds' '$T_TMP/err'"
cat >"$HOME/.aws/config" <<CONF
[profile slowok]
credential_process = sh -c "sleep 0.2; echo '{\\"Version\\": 1, \\"AccessKeyId\\": \\"$AK1\\", \\"SecretAccessKey\\": \\"$SK1\\"}'"
CONF
TIERTOP_CREDENTIAL_PROCESS_TIMEOUT=60 ttb whoami --profile slowok
t_ok "a helper within the limit still works" sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && grep -q user/ops '$T_TMP/out'"
for f in hang holder; do [ -s "$T_TMP/$f.pid" ] && kill -KILL "$(cat "$T_TMP/$f.pid")" 2>/dev/null; done

t_done
