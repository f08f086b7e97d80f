#!/bin/sh
# tiertop's own configuration file: applications ([app NAME]) chosen with
# --app or by default, their selectors, profile and region; read-only mode
# from [tiertop] and from an app; every mistake in the file is an error with
# FILE:LINE. Also: Lambda environment values never reach the debug log.
. "$(dirname "$0")/lib.sh"
need_sim_deps
sim_start
sandbox
export AWS_ACCESS_KEY_ID=AKIDTIERTOPSIM000001 AWS_SECRET_ACCESS_KEY=tiertopSimSecretKey0000000000000000000001
CFG="$HOME/.config/tiertop/config"
mkdir -p "$(dirname "$CFG")"
selector() { "$PY" -c "import json; print(json.load(open('$T_TMP/out'))['selector'])"; }
requests() { sim_count "r.get('action') in ('Invoke', 'GetItem', 'GetCallerIdentity')"; }

# --- choosing the application ---------------------------------------------------------------

cat >"$CFG" <<'EOF'
[app feedback]
stacks = feedback-stack
functions = spam-filter
    worker-07
EOF
tt status --json
t_ok "the only [app] is used when none is named" rc_is 0
t_ok "its selectors, a continuation list included" \
	[ "$(selector)" = "stack feedback-stack + function spam-filter + function worker-07" ]

cat >>"$CFG" <<'EOF'

[app workers]
tags = app=workers
prefixes = worker-1, worker-2
EOF
tt status --json
t_ok "two apps and no default: status asks which" rc_is 2
t_ok "and names the file" err_has "--app NAME with an \[app NAME\] section in $CFG"
tt status --app workers --json
t_ok "--app picks one" [ "$(selector)" = "tag app=workers + prefix worker-1 + prefix worker-2" ]
printf '[tiertop]\napp = workers\n' >>"$CFG"
tt status --json
t_ok "[tiertop] app = is the default" [ "$(selector)" = "tag app=workers + prefix worker-1 + prefix worker-2" ]
tt status --app feedback --function submit-feedback --json
t_ok "flags beat the app's selectors" [ "$(selector)" = "function submit-feedback" ]
tt status --app nope
t_ok "an unknown --app: exit 3" rc_is 3
t_ok "an unknown --app: lists the apps there are" err_has "no application \"nope\" in $CFG (there: feedback, workers)"

# --- where the file is ------------------------------------------------------------------------

mkdir -p "$T_TMP/xdg/tiertop"
printf '[app x]\ntables = FeedbackStats\n' >"$T_TMP/xdg/tiertop/config"
XDG_CONFIG_HOME="$T_TMP/xdg" tt status --json
t_ok "XDG_CONFIG_HOME is honoured" [ "$(selector)" = "table FeedbackStats" ]
printf '[app y]\ntables = Feedback\n' >"$T_TMP/other.cfg"
TIERTOP_CONFIG="$T_TMP/other.cfg" XDG_CONFIG_HOME="$T_TMP/xdg" tt status --json
t_ok "TIERTOP_CONFIG comes first" [ "$(selector)" = "table Feedback" ]
TIERTOP_CONFIG="$T_TMP/missing.cfg" tt whoami
t_ok "TIERTOP_CONFIG naming a missing file: exit 3, naming it" \
	sh -c "[ \$(cat '$T_TMP/rc') = 3 ] && grep -q 'TIERTOP_CONFIG names $T_TMP/missing.cfg, which does not exist' '$T_TMP/err'"
XDG_CONFIG_HOME="$T_TMP/nothing-here" tt whoami
t_ok "no file in the default place is an empty configuration" rc_is 0

# --- mistakes in the file -----------------------------------------------------------------------

bad() { # bad FILE-TEXT ARGS...: tiertop ARGS with FILE-TEXT as its configuration
	printf "$1" >"$T_TMP/bad.cfg"
	shift
	TIERTOP_CONFIG="$T_TMP/bad.cfg" tt "$@"
}
bad '[app a]\nstacks = s\nstak = t\n' status
t_ok "unknown key: exit 3" rc_is 3
t_ok "unknown key: FILE:LINE and the key" err_has "bad.cfg:3: unknown key \"stak\" in \[app a\]"
bad '[tiertop]\nread_only = maybe\n' whoami
t_ok "read_only not a boolean: exit 3 with FILE:LINE" sh -c "[ \$(cat '$T_TMP/rc') = 3 ] && grep -q 'bad.cfg:2: read_only takes true or false, not \"maybe\"' '$T_TMP/err'"
bad '[app a]\ntags = novalue\n' status
t_ok "a tag without =: exit 3 with FILE:LINE" sh -c "[ \$(cat '$T_TMP/rc') = 3 ] && grep -q 'bad.cfg:2: a tag is KEY=VALUE' '$T_TMP/err'"
bad '[tiertop]\napp = ghost\n' whoami
t_ok "a default app that does not exist: exit 3" sh -c "[ \$(cat '$T_TMP/rc') = 3 ] && grep -q 'no \[app ghost\] section' '$T_TMP/err'"
bad '[app a]\nprofile = p\n' status
t_ok "an app that selects nothing: exit 3" sh -c "[ \$(cat '$T_TMP/rc') = 3 ] && grep -q 'selects nothing' '$T_TMP/err'"
bad '[app a\nstacks = s\n' status
t_ok "a syntax error: exit 3 with FILE:LINE" sh -c "[ \$(cat '$T_TMP/rc') = 3 ] && grep -q 'bad.cfg:1' '$T_TMP/err'"
bad '[Tiertop]\nread_only = true\n' whoami
t_ok "[Tiertop]: exit 3 with FILE:LINE" sh -c "[ \$(cat '$T_TMP/rc') = 3 ] && grep -q 'bad.cfg:1: unknown section \[Tiertop\]' '$T_TMP/err'"
bad '[app a]\ntables = Feedback\n\n[tier top]\nread_only = true\n' status
t_ok "[tier top]: exit 3 with FILE:LINE" sh -c "[ \$(cat '$T_TMP/rc') = 3 ] && grep -q 'bad.cfg:4: unknown section \[tier top\]' '$T_TMP/err'"
bad '[app]\nread_only = true\n' whoami
t_ok "[app] without a name: exit 3 with FILE:LINE" sh -c "[ \$(cat '$T_TMP/rc') = 3 ] && grep -q 'bad.cfg:1: unknown section \[app\]' '$T_TMP/err'"

# --- profile and region from the app -----------------------------------------------------------

cat >"$HOME/.aws/config" <<'EOF'
[profile sim]
region = eu-west-1
EOF
cat >"$HOME/.aws/credentials" <<'EOF'
[sim]
aws_access_key_id = AKIDTIERTOPSIM000001
aws_secret_access_key = tiertopSimSecretKey0000000000000000000001
EOF
printf '[app r]\nfunctions = spam-filter\nregion = us-west-2\n' >"$T_TMP/region.cfg"
TIERTOP_CONFIG="$T_TMP/region.cfg" tt whoami --json
t_ok "the app's region is used" grep -q '"Region": "us-west-2"' "$T_TMP/out"
t_ok "and whoami says where it came from" grep -q '"RegionSource": "\[app r\]"' "$T_TMP/out"
TIERTOP_CONFIG="$T_TMP/region.cfg" tt whoami --region ap-south-1 --json
t_ok "--region beats the app's region" grep -q '"Region": "ap-south-1"' "$T_TMP/out"
printf '[app p]\nfunctions = spam-filter\nprofile = sim\n' >"$T_TMP/profile.cfg"
(unset AWS_REGION; TIERTOP_CONFIG="$T_TMP/profile.cfg" tt whoami --json)
t_ok "the app's profile is used (its region comes with it)" grep -q '"Region": "eu-west-1"' "$T_TMP/out"
printf '[app p]\nfunctions = spam-filter\nprofile = nosuch\n' >"$T_TMP/profile.cfg"
TIERTOP_CONFIG="$T_TMP/profile.cfg" tt whoami
t_ok "an app's profile that does not exist: exit 3" sh -c "[ \$(cat '$T_TMP/rc') = 3 ] && grep -q 'profile nosuch not found' '$T_TMP/err'"

# --- read-only from the file ----------------------------------------------------------------------

sim DELETE /_sim/requests >/dev/null
printf '[tiertop]\nread_only = true\n' >"$T_TMP/ro.cfg"
TIERTOP_CONFIG="$T_TMP/ro.cfg" tt invoke submit-feedback --yes --payload '{}'
t_ok "[tiertop] read_only: invoke refused (exit 1)" rc_is 1
t_ok "[tiertop] read_only: the message names the file and line" \
	err_has "read-only mode (\[tiertop\] in $T_TMP/ro.cfg:2)"
printf '[app a]\ntables = Feedback\nread_only = yes\n' >"$T_TMP/ro.cfg"
TIERTOP_CONFIG="$T_TMP/ro.cfg" tt replay Feedback --key '{"feedbackId":"x","createdAt":"y"}' --to spam-filter --yes
t_ok "[app] read_only: replay refused (exit 1)" rc_is 1
t_ok "[app] read_only: says which app" err_has "read-only mode (\[app a\] in $T_TMP/ro.cfg:3)"
printf '[tiertop]\nread_only = false\n' >"$T_TMP/ro.cfg"
TIERTOP_CONFIG="$T_TMP/ro.cfg" TIERTOP_READ_ONLY=1 tt invoke submit-feedback --yes --payload '{}'
t_ok "read_only = false in the file does not switch off TIERTOP_READ_ONLY" rc_is 1
printf '[tiertop]\nread_only = true\nread_only = false\n' >"$T_TMP/ro.cfg"
TIERTOP_CONFIG="$T_TMP/ro.cfg" tt invoke submit-feedback --yes --payload '{}'
t_ok "a later read_only = false does not switch it off" \
	sh -c "[ \$(cat '$T_TMP/rc') = 1 ] && grep -q 'read-only mode (\[tiertop\] in $T_TMP/ro.cfg:2)' '$T_TMP/err'"
printf '[tiertop]\nread_only = true\n[app a]\nfunctions = submit-feedback\nread_only = false\n' >"$T_TMP/ro.cfg"
TIERTOP_CONFIG="$T_TMP/ro.cfg" tt invoke submit-feedback --yes --payload '{}'
t_ok "an app's read_only = false does not switch off [tiertop]'s" rc_is 1
printf '[app a]\nfunctions = submit-feedback\nread_only = true\n[tiertop]\nread_only = false\n' >"$T_TMP/ro.cfg"
TIERTOP_CONFIG="$T_TMP/ro.cfg" TIERTOP_READ_ONLY=0 tt invoke submit-feedback --yes --payload '{}'
t_ok "TIERTOP_READ_ONLY=0 and [tiertop] false do not switch off the app's" rc_is 1
# A file named on purpose is read whatever it is: a pipe such as <(...) was
# skipped as AWS's files are, and its read_only with it.
mkfifo "$T_TMP/ro.fifo"
printf '[tiertop]\nread_only = true\n' >"$T_TMP/ro.fifo" &
writer=$!
TIERTOP_CONFIG="$T_TMP/ro.fifo" tt invoke submit-feedback --yes --payload '{}'
kill "$writer" 2>/dev/null
t_ok "read_only from a pipe: invoke refused (exit 1)" \
	sh -c "[ \$(cat '$T_TMP/rc') = 1 ] && grep -q 'read-only mode (\[tiertop\] in $T_TMP/ro.fifo:2)' '$T_TMP/err'"
t_ok "nothing refused was sent" [ "$(requests)" = 0 ]

# --- secrets in function environments ---------------------------------------------------------------

SECRET=simsecret-5e1d9a7c3b04f2a8
tt status --function spam-filter --debug-log "$T_TMP/debug.log" --json
t_ok "status: exit 0" rc_is 0
t_ok "debug log: the function's configuration is logged" grep -q 'SCORING_API_KEY' "$T_TMP/debug.log"
t_ok "debug log: its environment value is not" sh -c "! grep -q '$SECRET' '$T_TMP/debug.log'"
t_ok "debug log: it says the value was redacted" grep -q '"SCORING_API_KEY":"\[redacted\]"' "$T_TMP/debug.log"
tt functions --json
t_ok "functions --json does not print environment values" sh -c "! grep -q '$SECRET' '$T_TMP/out'"
t_done
