#!/bin/sh
# One option parser for every converted verb: unknown options and stray
# arguments are refused by name, a single-value option given twice is
# refused, "--opt=value" works like "--opt value", every verb has --help,
# and every option a verb's --help lists is in the man page.
. "$(dirname "$0")/lib.sh"
need_sim_deps
sim_start
sandbox
export AWS_ACCESS_KEY_ID=AKIDTIERTOPSIM000001 AWS_SECRET_ACCESS_KEY=tiertopSimSecretKey0000000000000000000001

tt --bogus whoami
t_ok "an unknown option before a command: named, exit 2" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'unknown option --bogus' '$T_TMP/err'"
t_ok "... not mistaken for an unknown command" err_lacks "unknown command"
tt status extra
t_ok "a stray argument: named, exit 2" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'unexpected argument \"extra\"' '$T_TMP/err'"
tt status --range 1h --range 2h
t_ok "a single-value option given twice: refused, exit 2" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q -- '--range given twice' '$T_TMP/err'"
tt status --range
t_ok "an option without its value: named, exit 2" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q -- '--range needs a value' '$T_TMP/err'"
tt status --range=2h --tag=app=feedback --json
t_ok "--opt=value works (status --range=2h)" rc_is 0
t_ok "... and means the same" "$PY" -c "import json; d=json.load(open('$T_TMP/out')); assert d['rangeSeconds']==7200 and d['selector']=='tag app=feedback', d"
tt status --stack feedback-stack --stack platform-stack --json
t_ok "repeatable options add up" "$PY" -c "import json; d=json.load(open('$T_TMP/out')); assert d['selector']=='stack feedback-stack + stack platform-stack', d['selector']"
tt functions --stat
t_ok "functions: an unknown option, named" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'unknown option --stat' '$T_TMP/err'"
tt metrics
t_ok "metrics without a resource: says what is missing" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'RESOURCE... missing' '$T_TMP/err'"
tt whoami extra
t_ok "whoami takes no arguments" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'unexpected argument' '$T_TMP/err'"
tt console --interval 1
t_ok "console: a bad --interval is a usage error before any terminal is needed" sh -c "[ \$(cat '$T_TMP/rc') = 2 ] && grep -q 'interval' '$T_TMP/err'"

for verb in console status metrics functions apis tables whoami items invoke replay logs audit; do
	tt "$verb" --help
	t_ok "$verb --help: exit 0 with its usage" sh -c "[ \$(cat '$T_TMP/rc') = 0 ] && grep -q '^usage: tiertop $verb' '$T_TMP/out'"
	t_ok "$verb --help fits 80 columns" sh -c "! grep -q '.\{81\}' '$T_TMP/out'"
	t_ok "$verb --help: no line ends in a space" sh -c "! grep -q ' \$' '$T_TMP/out'"
	for opt in $(sed -n 's/^  \(--[a-z-]*\).*/\1/p' "$T_TMP/out"); do
		t_ok "$verb $opt is in the man page" grep -q -- "$(echo "$opt" | sed 's/-/\\\\-/g')" "$top_srcdir/docs/tiertop.1"
	done
done
tt --help
t_ok "tiertop --help lists every command with its synopsis" sh -c "grep -q '^  status ' '$T_TMP/out' && grep -q 'COMMAND --help' '$T_TMP/out'"
t_ok "... in 80 columns" sh -c "! grep -q '.\{81\}' '$T_TMP/out'"
t_ok "... an option and its value never split over two lines" sh -c "! grep -q '\[[^]]*\$' '$T_TMP/out'"
tt status extra
t_ok "a usage error's synopsis fits 80 columns too" sh -c "grep -q '^usage: tiertop status' '$T_TMP/err' && ! grep -q '.\{81\}' '$T_TMP/err'"
t_done
