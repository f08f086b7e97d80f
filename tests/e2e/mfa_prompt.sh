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
t_ok "the code typed was not echoed" sh -c '! grep -q 123456 "$1"' _ "$T_TMP/screen"
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
t_ok "the wrong code was not echoed either" sh -c '! grep -q 000000 "$1"' _ "$T_TMP/screen"

# No code (Ctrl-D at the prompt): the command fails with a configuration
# error saying so, and is not asked again.
rm -rf "$HOME/.aws/cli/cache"
run_in_tmux nocode whoami --profile mfa
wait_screen "MFA code for" >/dev/null
tmx send-keys -t "$SESSION" C-d
t_ok "no code given: said so" wait_screen "tiertop: .*no MFA code given for profile mfa"
t_ok "exit status 3 (configuration)" wait_screen "EXIT=3"
t_ok "asked once only" [ "$(grep -c "MFA code for" "$T_TMP/screen")" = 1 ]

# Killed while the prompt waits: the terminal gets its echo back. What is
# typed afterwards (to the shell's sleep) shows on the pane again.
rm -rf "$HOME/.aws/cli/cache"
run_in_tmux killed whoami --profile mfa
wait_screen "MFA code for" >/dev/null
tt_pid=$(pgrep -P "$(tmx list-panes -t "$SESSION" -F '#{pane_pid}')" tiertop)
t_ok "found tiertop waiting at the prompt" [ -n "$tt_pid" ]
[ -n "$tt_pid" ] && kill -TERM "$tt_pid"
t_ok "SIGTERM at the prompt ends tiertop" wait_screen "EXIT=143"
tmx send-keys -t "$SESSION" "echo-is-back"
t_ok "and the terminal echoes again" wait_screen "echo-is-back"

t_done
