#!/bin/sh
# One 1 MB FilterLogEvents page (10,000 events) on the console's loop: parse, the
# tail's bookkeeping, emission into the logs view's buffer (bench/parse_page.c),
# against the libraries of a build directory (default build/, built if missing).
# Usage: [BUILD=build] sh bench/parse_page.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
[ -f "$build/libttmodel.a" ] || sh "$top/scripts/build.sh" "$build"
out=$(mktemp "${TMPDIR:-/tmp}/tiertop-parse-page.XXXXXX")
trap 'rm -f "$out"' EXIT INT TERM
# The build's own flags (-g -O2 unless configured otherwise), so the figure is the binary's.
cflags=$(sed -n 's/^CFLAGS = //p' "$build/Makefile")
# shellcheck disable=SC2086
cc -std=c11 -Wall -Wextra $cflags -I"$top/include" -o "$out" "$top/bench/parse_page.c" \
	"$build/libttmodel.a" "$build/libttaws.a" "$build/libttcore.a" \
	$(pkg-config --libs libcurl jansson expat zlib openssl) -lm
"$out"
