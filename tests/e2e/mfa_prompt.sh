#!/bin/sh
# assume-role with mfa_serial asks for the code on the terminal. tmux plays
# the terminal: we wait for the prompt on screen, type, and read the result.
. "$(dirname "$0")/lib.sh"
need_sim_deps
if ! command -v tmux >/dev/null; then
	echo "1..0 # SKIP tmux is needed (Debian tmux)"
	exit 0
fi
sim_start
sandbox
cat >"$HOME/.aws/config" <<CONF
[profile mfa]
role_arn = arn:aws:iam::111122223333:role/mfa-role
source_profile = keys
mfa_serial = arn:aws:iam::111122223333:mfa/ops
[profile keys]
aws_access_key_id = AKIDTIERTOPSIM000001
aws_secret_access_key = tiertopSimSecretKey0000000000000000000001
CONF

tmux_begin mfa

run_in_tmux right whoami --profile mfa
t_ok "the MFA prompt names the device" wait_screen "MFA code for arn:aws:iam::111122223333:mfa/ops:"
tmx send-keys -t "$SESSION" 123456 Enter
t_ok "the right code assumes the role" wait_screen "assumed-role/mfa-role"
t_ok "exit status 0" wait_screen "EXIT=0"
t_ok "the code was sent to STS" [ "$(sim_count "r.get('action')=='AssumeRole' and 'TokenCode=123456' in (r.get('body') or '')")" = 1 ]

# The answer went into the AWS CLI's cache, under the name botocore gives it
# and in a form botocore takes back as unexpired: the next run (of tiertop or
# of the CLI) needs no code.
botocore_view() {
	"$PY" - "$HOME/.aws/cli/cache" <<'PYCODE'
import os, sys
from botocore.credentials import AssumeRoleCredentialFetcher
from botocore.utils import JSONFileCache
fetcher = AssumeRoleCredentialFetcher(None, None, "arn:aws:iam::111122223333:role/mfa-role",
                                      extra_args={"SerialNumber": "arn:aws:iam::111122223333:mfa/ops"},
                                      cache=JSONFileCache(sys.argv[1]))
path = os.path.join(sys.argv[1], fetcher._cache_key + ".json")
creds = fetcher._load_from_cache()
print(oct(os.stat(path).st_mode & 0o777) if os.path.exists(path) else "missing",
      "usable" if creds and creds["Credentials"]["SessionToken"] else "unusable")
PYCODE
}
t_ok "cached where the AWS CLI looks, private, and usable by botocore" \
	[ "$(botocore_view)" = "0o600 usable" ]
run_in_tmux again whoami --profile mfa
t_ok "the next run takes the cached role without asking" wait_screen "EXIT=0"
t_ok "no prompt, and the same assumed role" \
	sh -c 'grep -q "assumed-role/mfa-role" "$1" && ! grep -q "MFA code for" "$1"' _ "$T_TMP/screen"
t_ok "whoami says the credentials came from the AWS CLI's cache" \
	grep -q "assume-role arn:aws:iam::111122223333:role/mfa-role via .*(from the AWS CLI's cache" "$T_TMP/screen"
t_ok "and no second AssumeRole" [ "$(sim_count "r.get('action')=='AssumeRole'")" = 1 ]

rm -rf "$HOME/.aws/cli/cache"
run_in_tmux wrong whoami --profile mfa
wait_screen "MFA code for" >/dev/null
tmx send-keys -t "$SESSION" 000000 Enter
t_ok "a wrong code is refused by STS (AccessDenied)" wait_screen "AccessDenied"
t_ok "exit status 4" wait_screen "EXIT=4"

t_done
