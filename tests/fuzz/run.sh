#!/bin/sh
# A short run of every libFuzzer target over its seed corpus, as TAP: the
# seeds (crash inputs found earlier among them) and then FUZZ_CHECK_RUNS
# executions in all per target. The long runs are bench/fuzz.sh.
#
# Without clang's libFuzzer this is skipped, except under CI (CI set), where
# it fails: CI installs clang (scripts/deps.sh) and must not lose the check
# silently.
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${top_builddir:-$top/build-fuzz}
out=${FUZZ_OUT:-$builddir/tests/fuzz/bin}
runs=${FUZZ_CHECK_RUNS:-10000}
work=$(mktemp -d "${TMPDIR:-/tmp}/tiertop-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT INT TERM

sh "$top/tests/fuzz/build.sh" "$out" >"$work/build.log" 2>&1
rc=$?
if [ $rc -eq 77 ]; then
	if [ -n "${CI:-}" ]; then
		echo "1..1"
		echo "not ok 1 - clang's libFuzzer is unavailable, and CI must run the fuzz targets"
		sed 's/^/# /' "$work/build.log"
		exit 1
	fi
	echo "1..0 # SKIP clang's libFuzzer is unavailable (install clang and libclang-rt-14-dev)"
	exit 0
elif [ $rc -ne 0 ]; then
	echo "1..1"
	echo "not ok 1 - the fuzz targets build"
	tail -40 "$work/build.log" | sed 's/^/# /'
	exit 1
fi

targets=$(cd "$top/tests/fuzz" && ls fuzz_*.c | sed 's/\.c$//')
set -- $targets
echo "1..$#"
# The config-file targets write a scratch file on every run.
export TMPDIR="$work"
i=0
for t in $targets; do
	i=$((i + 1))
	# New inputs go to the scratch directory, never into the source tree.
	mkdir -p "$work/$t"
	if "$out/$t" -runs="$runs" -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$work/$t-" \
		"$work/$t" "$top/tests/fuzz/corpus/$t" >"$work/$t.log" 2>&1; then
		echo "ok $i - $t $runs runs"
	else
		echo "not ok $i - $t"
		grep -A30 'ERROR:\|fuzz property failed' "$work/$t.log" | head -40 | sed 's/^/# /'
		for a in "$work/$t"-*; do
			[ -f "$a" ] && echo "# input: $(od -An -c "$a" | head -5 | tr -s ' ' | tr '\n' ' ')"
		done
	fi
done
