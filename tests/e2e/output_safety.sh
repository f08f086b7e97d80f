#!/bin/sh
# What tiertop writes, and where: lost output is an error (a full disk, a
# closed stdout), a closed stdout never sends output into another file, the
# debug log is private and never written through a symbolic link, and text
# from AWS or from a config file (names, ARNs, error messages) never reaches
# the terminal raw, whatever escape sequences, C1 or bidi controls it holds.
. "$(dirname "$0")/lib.sh"
need_sim_deps
sim_start
sandbox
export AWS_ACCESS_KEY_ID=AKIDTIERTOPSIM000001
export AWS_SECRET_ACCESS_KEY=tiertopSimSecretKey0000000000000000000001

tt whoami
if ! rc_is 0; then
	echo "Bail out! the simulator does not answer whoami"
	exit 1
fi
invokes() { sim_count "r.get('service') == 'lambda' and r.get('action') == 'Invoke'"; }
mode_of() { stat -c %a "$1"; }

# --- the debug log ---------------------------------------------------------------------
(umask 022 && "$TIERTOP" whoami --debug-log "$T_TMP/debug.log" >"$T_TMP/out" 2>"$T_TMP/err")
t_ok "--debug-log: created private (0600) even with umask 022" [ "$(mode_of "$T_TMP/debug.log")" = 600 ]
t_ok "--debug-log: it holds the requests" grep -q "GetCallerIdentity" "$T_TMP/debug.log"
(umask 022 && "$TIERTOP" whoami --debug-log "$T_TMP/debug.log" >"$T_TMP/out" 2>"$T_TMP/err")
t_ok "--debug-log: an existing log is appended to" [ "$(grep -c "GetCallerIdentity" "$T_TMP/debug.log")" -ge 2 ]
printf 'precious\n' >"$T_TMP/precious"
ln -s "$T_TMP/precious" "$T_TMP/link.log"
tt whoami --debug-log "$T_TMP/link.log"
t_ok "--debug-log on a symbolic link: exit 3" rc_is 3
t_ok "--debug-log on a symbolic link: says so" err_has "debug log .*link.log is a symbolic link; refusing to follow it"
t_ok "--debug-log on a symbolic link: the file it points to is untouched" \
	[ "$(cat "$T_TMP/precious")" = precious ]
ln -s "$T_TMP/nowhere" "$T_TMP/dangling.log"
tt whoami --debug-log "$T_TMP/dangling.log"
t_ok "--debug-log on a dangling symbolic link: exit 3, nothing created behind it" \
	sh -c "[ \$(cat '$T_TMP/rc') = 3 ] && [ ! -e '$T_TMP/nowhere' ]"

# --- output that cannot be written ----------------------------------------------------
sim_reset
"$TIERTOP" invoke spam-filter --yes --payload '{"message":"lost"}' >/dev/full 2>"$T_TMP/err"
echo $? >"$T_TMP/rc"
t_ok "invoke > /dev/full: exit 1" rc_is 1
t_ok "invoke > /dev/full: says the answer could not be written" \
	err_has "^tiertop: error writing output: No space left on device$"
t_ok "invoke > /dev/full: (the function did run)" [ "$(invokes)" = 1 ]
"$TIERTOP" functions >/dev/full 2>"$T_TMP/err"
echo $? >"$T_TMP/rc"
t_ok "functions > /dev/full: exit 1 with the message" \
	sh -c "[ \$(cat '$T_TMP/rc') = 1 ] && grep -q 'error writing output: No space left on device' '$T_TMP/err'"
"$TIERTOP" items Feedback --all >/dev/full 2>"$T_TMP/err"
echo $? >"$T_TMP/rc"
t_ok "items --all > /dev/full (more than a buffer): exit 1 with the message" \
	sh -c "[ \$(cat '$T_TMP/rc') = 1 ] && grep -q 'error writing output' '$T_TMP/err'"
"$TIERTOP" version >/dev/full 2>"$T_TMP/err"
echo $? >"$T_TMP/rc"
t_ok "version > /dev/full: exit 1" rc_is 1
"$TIERTOP" whoami --debug-log "$T_TMP/closed.log" >&- 2>"$T_TMP/err"
echo $? >"$T_TMP/rc"
t_ok "whoami >&-: exit 1" rc_is 1
t_ok "whoami >&-: says output could not be written" err_has "error writing output: Bad file descriptor"
t_ok "whoami >&-: its output did not land in the debug log (opened where stdout was)" \
	sh -c "! grep -q '^Account  *111122223333' '$T_TMP/closed.log'"
"$TIERTOP" whoami >"$T_TMP/out" 2>&-
echo $? >"$T_TMP/rc"
t_ok "whoami 2>&-: still works (exit 0)" sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && grep -q 111122223333 '$T_TMP/out'"

# --- hostile text from AWS and from the config file -------------------------------------
ESC=$(printf '\033')
BEL=$(printf '\007')
C1=$(printf '\302\233')     # U+009B (CSI) in UTF-8
RLO=$(printf '\342\200\256') # U+202E
RAW9B=$(printf '\233')
# raw_free FILE...: none of the dangerous characters, as bytes, in FILE.
raw_free() {
	for f in "$@"; do
		LC_ALL=C grep -q "[$ESC$BEL$RAW9B]" "$f" && return 1
		grep -q "$RLO" "$f" && return 1
	done
	return 0
}
# XML 1.0 cannot carry ESC or BEL (not even as &#27;), so STS answers hold
# at most C1 and bidi controls; the config files can hold anything.
HOSTILE_ARN="arn:aws:iam::111122223333:user/red${C1}31m${RLO}gnp.exe"
"$PY" -c "
import json, sys
print(json.dumps({'access_key_id': 'AKIDHOSTILE000000001', 'secret_access_key': 'hostileSecret00000000000000000000000001',
                  'account': '111122223333', 'arn': sys.argv[1], 'user_id': 'AIDA' + sys.argv[1][-12:]}))" \
	"$HOSTILE_ARN" >"$T_TMP/identity.json"
sim POST /_sim/identities "$(cat "$T_TMP/identity.json")" >/dev/null
export AWS_ACCESS_KEY_ID=AKIDHOSTILE000000001
export AWS_SECRET_ACCESS_KEY=hostileSecret00000000000000000000000001

tt whoami
t_ok "whoami, a hostile ARN: exit 0" rc_is 0
t_ok "whoami, a hostile ARN: no raw ESC, BEL, C1 or RLO on stdout or stderr" raw_free "$T_TMP/out" "$T_TMP/err"
t_ok "whoami, a hostile ARN: shown visibly" \
	out_has 'user/red<U+009B>31m<U+202E>gnp.exe'
tt whoami --json
t_ok "whoami --json, a hostile ARN: escaped" grep -qi 'red.u009b31m.u202egnp' "$T_TMP/out"
t_ok "whoami --json, a hostile ARN: nothing raw" raw_free "$T_TMP/out"
LC_ALL=C LANG=C tt whoami
t_ok "whoami on a terminal that is not UTF-8: no byte of the ARN acts as a C1 control" raw_free "$T_TMP/out"
t_ok "whoami on a terminal that is not UTF-8: non-ASCII shown as code points" out_has "red<U+009B>31m<U+202E>gnp"

tt invoke spam-filter --yes --payload '{"message":"hi"}'
t_ok "invoke's banner, a hostile caller ARN: no raw control on stderr" raw_free "$T_TMP/err"
t_ok "invoke's banner, a hostile caller ARN: shown visibly" err_has "account  *111122223333 (arn:aws:iam::111122223333:user/red<U+009B>31m<U+202E>gnp"

# Names and values from the config files.
EVIL="evil${ESC}]52;c;eA==${BEL}${C1}${RLO}"
cat >"$HOME/.aws/config" <<CONF
[profile $EVIL]
region = us-west-2
CONF
cat >"$HOME/.aws/credentials" <<CONF
[$EVIL]
aws_access_key_id = AKIDTIERTOPSIM000001
aws_secret_access_key = tiertopSimSecretKey0000000000000000000001
CONF
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
tt whoami --profile "$EVIL"
t_ok "a hostile profile name: whoami works (exit 0)" rc_is 0
t_ok "a hostile profile name: never raw" raw_free "$T_TMP/out" "$T_TMP/err"
t_ok "a hostile profile name: shown visibly" out_has 'evil^\[\]52;c;eA==^G<U+009B><U+202E>'
tt whoami --profile "nope$EVIL"
t_ok "a hostile missing profile: exit 3" rc_is 3
t_ok "a hostile missing profile: the error is sanitized" raw_free "$T_TMP/out" "$T_TMP/err"
printf '[profile p]\nregion = %s\n' "$EVIL" >"$HOME/.aws/config"
printf '[p]\naws_access_key_id = AKIDTIERTOPSIM000001\naws_secret_access_key = tiertopSimSecretKey0000000000000000000001\n' \
	>"$HOME/.aws/credentials"
unset AWS_REGION
for verb in whoami functions tables apis; do
	tt $verb --profile p
	t_ok "a hostile region in the config file: $verb writes nothing raw" raw_free "$T_TMP/out" "$T_TMP/err"
done
t_done
