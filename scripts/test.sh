#!/bin/sh
# Sets up everything and runs the whole test suite: unit tests, the
# simulator's tests and the end-to-end tests (normal build, with warnings as
# errors), the unit and end-to-end tests again under AddressSanitizer and
# UndefinedBehaviorSanitizer, then `make distcheck`. Ends with one line:
# "N passed, N failed, N skipped".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh scripts/deps.sh || exit 1
# The SigV4 suite sits beside the checkout; say where, so that the copy
# `make distcheck` unpacks elsewhere finds it too (under CI a missing
# suite is a failure, not a skip).
[ -d "$top/../shared/sigv4-suite/v4" ] && TT_SIGV4_SUITE=$(cd "$top/../shared/sigv4-suite/v4" && pwd) &&
	export TT_SIGV4_SUITE

# A third-party DynamoDB emulator for tests/e2e/emulator_dynalite.sh.
TT_DYNALITE=$(sh scripts/deps-emulators.sh) && export TT_DYNALITE

failed_steps=0
# Each step says how long it took, so that a slower CI run shows where.
step() { # step NAME COMMAND...
	echo "== $1"
	shift
	t0=$(date +%s)
	if ! "$@"; then
		echo "== FAILED: $*"
		failed_steps=$((failed_steps + 1))
	fi
	echo "   ($(($(date +%s) - t0)) s)"
}

run_checks() { # run_checks DIR [make variables]
	dir=$1
	shift
	(cd "$dir" && make -j2 check "$@" >check.out 2>&1)
	rc=$?
	grep -E '^(FAIL|ERROR|XPASS):' "$dir/check.out" | head -50
	return $rc
}

rm -rf build build-asan
step "build (warnings are errors)" sh scripts/build.sh build --enable-werror
step "tests" run_checks build
step "sanitizer build" sh scripts/build.sh build-asan --enable-sanitizers --enable-debug
# Without the simulator's own tests and the fuzz run: neither depends on
# how tiertop is built, and the first pass ran both.
step "tests under ASan/UBSan" run_checks build-asan SIM_TESTS= FUZZ_TESTS=
# -j2 as above: it runs the whole normal suite again, from the tarball, and
# serially it was the longest step (621 s of a 1,555 s run).
step "make distcheck" sh -c 'cd build && make -j2 distcheck >distcheck.out 2>&1 || { tail -40 distcheck.out; exit 1; }'

passed=0 failed=0 skipped=0
for log in build/test-suite.log build-asan/test-suite.log; do
	[ -f "$log" ] || continue
	p=$(sed -n 's/^# PASS: *//p' "$log" | head -1)
	x=$(sed -n 's/^# XFAIL: *//p' "$log" | head -1)
	f=$(sed -n 's/^# FAIL: *//p' "$log" | head -1)
	e=$(sed -n 's/^# ERROR: *//p' "$log" | head -1)
	xp=$(sed -n 's/^# XPASS: *//p' "$log" | head -1)
	s=$(sed -n 's/^# SKIP: *//p' "$log" | head -1)
	passed=$((passed + ${p:-0} + ${x:-0}))
	failed=$((failed + ${f:-0} + ${e:-0} + ${xp:-0}))
	skipped=$((skipped + ${s:-0}))
done
failed=$((failed + failed_steps))
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
