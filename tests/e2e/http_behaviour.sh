#!/bin/sh
# The HTTP engine against a misbehaving endpoint: retries and back-off,
# Retry-After, clock skew, expired credentials, broken answers, dead
# endpoints, TLS verification, proxies and the redacted debug log.
. "$(dirname "$0")/lib.sh"
need_sim_deps
sim_start

AK1=AKIDTIERTOPSIM000001
SK1=tiertopSimSecretKey0000000000000000000001
attempts() { sim_count "r.get('action')=='GetCallerIdentity'"; }
fault() { sim_reset; sim POST /_sim/faults "$1" >/dev/null; }

sandbox
export AWS_ACCESS_KEY_ID=$AK1 AWS_SECRET_ACCESS_KEY=$SK1

fault '{"service":"sts","action":"GetCallerIdentity","kind":"throttle","count":2}'
tt whoami --debug-log "$T_TMP/retry.log"
t_ok "two throttles then success: exit 0" rc_is 0
t_ok "two throttles then success: three attempts sent" [ "$(attempts)" = 3 ]
t_ok "retries are logged with their reason" grep -q "retrying in .* (Throttling, attempt 2 of 3)" "$T_TMP/retry.log"

fault '{"service":"sts","action":"*","kind":"throttle","count":-1}'
tt whoami
t_ok "throttling storm: exit 4" rc_is 4
t_ok "throttling storm: says it gave up after 3 attempts" err_has "gave up after 3 attempts"
t_ok "throttling storm: names the AWS code" err_has "Throttling"
t_ok "throttling storm: exactly 3 attempts" [ "$(attempts)" = 3 ]

fault '{"service":"sts","action":"*","kind":"throttle","count":-1}'
AWS_MAX_ATTEMPTS=5 tt whoami
t_ok "AWS_MAX_ATTEMPTS=5: five attempts" [ "$(attempts)" = 5 ]
fault '{"service":"sts","action":"*","kind":"throttle","count":-1}'
printf '[default]\nmax_attempts = 1\n' >"$HOME/.aws/config"
tt whoami
t_ok "max_attempts = 1 in the profile: one attempt" [ "$(attempts)" = 1 ]
rm "$HOME/.aws/config"

# The retry quota: 60 lookups throttled without end may retry 100 times
# between them (500 tokens, 5 a retry), not 4 times each.
fault '{"service":"lambda","action":"GetFunctionConfiguration","kind":"throttle","count":-1,"retry_after":0}'
AWS_MAX_ATTEMPTS=5 tt functions --state --debug-log "$T_TMP/quota.log"
t_ok "retry quota: 60 first tries and 100 retries, not 300" \
	[ "$(sim_count "r.get('action')=='GetFunctionConfiguration'")" = 160 ]
t_ok "retry quota: the refusals are logged" grep -q "retry quota spent, not retried" "$T_TMP/quota.log"
t_ok "retry quota: every function still listed, its state unknown" \
	sh -c '[ "$(grep -c "^worker-" "$1")" -gt 50 ] && grep -q "state of 60 functions is unknown" "$2"' _ \
	"$T_TMP/out" "$T_TMP/err"

fault '{"service":"sts","action":"*","kind":"throttle","count":1,"retry_after":1}'
tt whoami --debug-log "$T_TMP/ra.log"
t_ok "Retry-After honoured" grep -q "retrying in 1000 ms" "$T_TMP/ra.log"

fault '{"service":"sts","action":"*","kind":"error5xx","count":1}'
tt whoami
t_ok "one 500 then success" sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && [ $(attempts) = 2 ]"
fault '{"service":"sts","action":"*","kind":"error5xx","count":1,"status":503}'
tt whoami
t_ok "one 503 then success" rc_is 0

fault '{"service":"sts","action":"*","kind":"reset","count":1}'
tt whoami
t_ok "connection reset then success" rc_is 0
fault '{"service":"sts","action":"*","kind":"truncated","count":1}'
tt whoami
t_ok "truncated answer is retried" rc_is 0
fault '{"service":"sts","action":"*","kind":"malformed","count":1}'
tt whoami
t_ok "malformed answer: exit 4" rc_is 4
t_ok "malformed answer: says so" err_has "malformed XML"
fault '{"service":"sts","action":"*","kind":"latency","latency_ms":300,"count":1}'
tt whoami
t_ok "slow answer still works" rc_is 0

# AWS does not retry validation or access errors.
fault '{"service":"sts","action":"*","kind":"expired","count":-1}'
tt whoami
t_ok "expired token from static keys: exit 3" rc_is 3
t_ok "expired token: says so" err_has "ExpiredToken"
t_ok "expired token from static keys: not retried" [ "$(attempts)" = 1 ]

# --- clock skew ---------------------------------------------------------------------
sim_reset
sim POST /_sim/clock '{"offset_seconds": 3600}' >/dev/null
tt whoami --debug-log "$T_TMP/skew.log"
t_ok "server clock an hour ahead: corrected, exit 0" rc_is 0
# The Date header has whole seconds and tiertop reads its clock a moment after
# the simulator wrote it: a second may begin in between, making it +3599.
t_ok "skew correction logged" grep -Eq "clock skew: server is \+(3599|3600) s" "$T_TMP/skew.log"
t_ok "skew: two attempts (rejected, then re-signed)" [ "$(attempts)" = 2 ]
sim POST /_sim/clock '{"offset_seconds": -7200}' >/dev/null
tt whoami
t_ok "server clock two hours behind: corrected" rc_is 0
sim_reset

# --- wrong keys are not retried as skew -------------------------------------------------
AWS_SECRET_ACCESS_KEY=wrong tt whoami
t_ok "wrong secret: exit 3" rc_is 3
t_ok "wrong secret: SignatureDoesNotMatch" err_has "SignatureDoesNotMatch"
t_ok "wrong secret: one attempt" [ "$(attempts)" = 1 ]
t_ok "wrong secret: says where the credentials are from" \
	err_has "the credentials are from environment variables (AWS_ACCESS_KEY_ID) (SignatureDoesNotMatch"
t_ok "wrong secret: no word of quotes when there are none" err_lacks "in quotes"
# A secret in quotes is a key with quotes in it, for botocore as for tiertop.
sandbox
printf '[default]\naws_access_key_id = %s\naws_secret_access_key = "%s"\n' "$AK1" "$SK1" >"$HOME/.aws/credentials"
tt whoami
t_ok "secret in quotes: exit 3" rc_is 3
t_ok "secret in quotes: names the file and line, and the quotes" \
	err_has "from profile default: static keys ($HOME/.aws/credentials:2), and their secret access key is in quotes"
t_ok "secret in quotes: the secret is not shown" err_lacks "$SK1"

# --- expired temporary credentials from a role are refreshed ----------------------------------
sandbox
sim POST /_sim/roles '{"arn":"arn:aws:iam::111122223333:role/blink","force_duration":2}' >/dev/null
cat >"$HOME/.aws/config" <<CONF
[profile blink]
role_arn = arn:aws:iam::111122223333:role/blink
source_profile = keys
[profile keys]
aws_access_key_id = $AK1
aws_secret_access_key = $SK1
CONF
tt whoami --profile blink
t_ok "short-lived role credentials work" out_has "assumed-role/blink"

# --- assumed roles are kept in the AWS CLI's cache, and dropped when AWS refuses them ---------
sandbox
cat >"$HOME/.aws/config" <<CONF
[profile cached]
role_arn = arn:aws:iam::111122223333:role/cached
source_profile = keys
[profile keys]
aws_access_key_id = $AK1
aws_secret_access_key = $SK1
CONF
assumed() { sim_count "r.get('action')=='AssumeRole'"; }
sim_reset
sim POST /_sim/roles '{"arn":"arn:aws:iam::111122223333:role/cached"}' >/dev/null
tt whoami --profile cached
tt whoami --profile cached
t_ok "role cache: the second run works" out_has "assumed-role/cached"
t_ok "role cache: and takes the role from ~/.aws/cli/cache, not from STS" [ "$(assumed)" = 1 ]
t_ok "role cache: one private file" sh -c '[ "$(ls "$1" | wc -l)" = 1 ] && [ "$(stat -c %a "$1"/*)" = 600 ]' _ \
	"$HOME/.aws/cli/cache"
fault '{"service":"sts","action":"GetCallerIdentity","kind":"expired","count":1}'
sim POST /_sim/roles '{"arn":"arn:aws:iam::111122223333:role/cached"}' >/dev/null
tt whoami --profile cached
t_ok "role cache: credentials AWS calls expired are replaced" rc_is 0
t_ok "role cache: by a new AssumeRole, not by the same file again" [ "$(assumed)" = 1 ]
sim_reset

# --- dead endpoint, DNS --------------------------------------------------------------------
sandbox
export AWS_ACCESS_KEY_ID=$AK1 AWS_SECRET_ACCESS_KEY=$SK1
AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_MAX_ATTEMPTS=1 tt whoami
t_ok "dead endpoint: exit 5" rc_is 5
t_ok "dead endpoint: says it cannot reach it" err_has "cannot reach http://127.0.0.1:9"
AWS_ENDPOINT_URL=http://no-such-host.invalid AWS_MAX_ATTEMPTS=1 tt whoami
t_ok "unknown host: exit 5" rc_is 5

# --- proxies -----------------------------------------------------------------------------------
http_proxy=http://127.0.0.1:9 AWS_MAX_ATTEMPTS=1 tt whoami
t_ok "http_proxy is honoured (a dead proxy fails the call)" rc_is 5
http_proxy=http://127.0.0.1:9 no_proxy=127.0.0.1 tt whoami
t_ok "no_proxy is honoured" rc_is 0

# --- the debug log never holds secrets ------------------------------------------------------------
sandbox
TOKEN=FQoGZXIvYXdzEtiertopSessionTokenForTheRedactionTest0123456789
sim POST /_sim/identities "{\"access_key_id\":\"ASIATIERTOPREDACT01\",\"secret_access_key\":\"redactSecretKey00000000000000000000000001\",\"session_token\":\"$TOKEN\",\"account\":\"111122223333\",\"arn\":\"arn:aws:sts::111122223333:assumed-role/r/s\"}" >/dev/null
AWS_ACCESS_KEY_ID=ASIATIERTOPREDACT01 AWS_SECRET_ACCESS_KEY=redactSecretKey00000000000000000000000001 \
	AWS_SESSION_TOKEN=$TOKEN tt whoami --debug-log "$T_TMP/secret.log"
t_ok "session token credentials work" rc_is 0
t_ok "the token was sent (and signed)" [ "$(sim_count "dict(r['headers']).get('X-Amz-Security-Token')=='$TOKEN' and 'x-amz-security-token' in dict(r['headers']).get('Authorization','')")" -ge 1 ]
t_ok "debug log written" grep -q "GetCallerIdentity" "$T_TMP/secret.log"
t_ok "debug log lacks the secret key" sh -c "! grep -q redactSecretKey '$T_TMP/secret.log'"
t_ok "debug log lacks the session token" sh -c "! grep -q '$TOKEN' '$T_TMP/secret.log'"
t_ok "debug log lacks the signature" sh -c "! grep -q 'Signature=[0-9a-f]' '$T_TMP/secret.log'"
t_ok "debug log redacts the token header" grep -q "X-Amz-Security-Token: \[redacted\]" "$T_TMP/secret.log"
cat >"$HOME/.aws/config" <<CONF
[profile ro]
role_arn = arn:aws:iam::111122223333:role/ops-readonly
source_profile = keys
[profile keys]
aws_access_key_id = $AK1
aws_secret_access_key = $SK1
CONF
tt whoami --profile ro --debug-log "$T_TMP/assume.log"
t_ok "assume role with a debug log" rc_is 0
t_ok "debug log lacks the base secret" sh -c "! grep -q '$SK1' '$T_TMP/assume.log'"
t_ok "debug log withholds the AssumeRole answer" sh -c "! grep -q SecretAccessKey '$T_TMP/assume.log' && grep -q 'body withheld' '$T_TMP/assume.log'"
t_ok "keep-alive: the second call reuses the first call's connection" grep -q "GetCallerIdentity, reused connection" "$T_TMP/assume.log"
t_ok "User-Agent is tiertop/VERSION" [ "$(sim_count "dict(r['headers']).get('User-Agent','').startswith('tiertop/')")" -ge 1 ]

# --- TLS ---------------------------------------------------------------------------------------------
if command -v openssl >/dev/null; then
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
		-addext "subjectAltName=IP:127.0.0.1" -keyout "$T_TMP/key.pem" -out "$T_TMP/cert.pem" 2>/dev/null
	kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null
	sim_start --tls-cert "$T_TMP/cert.pem" --tls-key "$T_TMP/key.pem"
	sandbox
	export AWS_ENDPOINT_URL="https://127.0.0.1:$SIM_PORT" AWS_ACCESS_KEY_ID=$AK1 AWS_SECRET_ACCESS_KEY=$SK1
	tt whoami
	t_ok "self-signed endpoint without a CA bundle: refused, exit 5" rc_is 5
	t_ok "TLS refusal explained" err_has "TLS certificate check failed"
	AWS_CA_BUNDLE="$T_TMP/cert.pem" tt whoami
	t_ok "AWS_CA_BUNDLE trusts the endpoint" rc_is 0
	printf '[default]\nca_bundle = %s\n' "$T_TMP/cert.pem" >"$HOME/.aws/config"
	tt whoami
	t_ok "ca_bundle in the profile trusts the endpoint" rc_is 0
	# A bundle that cannot be used is the user's file, not the server: a
	# configuration error naming the file and what is wrong with it.
	SIM_URL="https://127.0.0.1:$SIM_PORT"
	CURL_CA_BUNDLE="$T_TMP/cert.pem" sim DELETE /_sim/requests >/dev/null
	AWS_CA_BUNDLE="$T_TMP/missing.pem" tt whoami
	t_ok "a missing AWS_CA_BUNDLE: exit 3" rc_is 3
	t_ok "... names it and why" err_has "cannot use the CA bundle $T_TMP/missing.pem (AWS_CA_BUNDLE): No such file or directory"
	t_ok "... without advising to set it" sh -c "! grep -q 'set AWS_CA_BUNDLE' '$T_TMP/err'"
	AWS_CA_BUNDLE="$T_TMP" tt whoami
	t_ok "a directory as AWS_CA_BUNDLE: said" err_has "(AWS_CA_BUNDLE): it is a directory"
	AWS_CA_BUNDLE="$HOME/.aws/config" tt whoami
	t_ok "a file that is not PEM: said" err_has "(AWS_CA_BUNDLE): no certificate could be read from it"
	printf '[default]\nregion = us-east-1\nca_bundle = %s\n' "$T_TMP/gone.pem" >"$HOME/.aws/config"
	tt whoami
	t_ok "a missing ca_bundle in the profile: exit 3, with its line" sh -c \
		"[ \$(cat '$T_TMP/rc') = 3 ] && grep -qF '(ca_bundle, $HOME/.aws/config:3): No such file' '$T_TMP/err'"
	t_ok "none of these reached the endpoint" [ "$(CURL_CA_BUNDLE="$T_TMP/cert.pem" attempts)" = 0 ]
else
	t_skip "TLS checks need the openssl command (Debian openssl)"
fi

t_done
