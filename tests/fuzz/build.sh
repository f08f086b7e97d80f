#!/bin/sh
# Builds the libFuzzer targets: build.sh OUTDIR [TARGET...] (default: every
# tests/fuzz/fuzz_*.c). Uses clang directly, not the autotools build, which
# never needs clang: every source below src/app (core, aws, model) is
# compiled once with coverage, ASan and UBSan into OUTDIR/libtt.a, and each
# target links against it, libFuzzer and the pkg-config libraries.
# Sources are recompiled only when they or a header changed.
# Exit status 77 when this clang cannot build a libFuzzer target.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 OUTDIR [TARGET...]" >&2; exit 2; }
out=$1
shift
CC=${FUZZ_CC:-clang}
jobs=${FUZZ_JOBS:-2}
mkdir -p "$out/obj"
out=$(cd "$out" && pwd)

san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
common="-std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 $san -I$top/include -I$out"
pkgs="jansson expat libcurl openssl zlib"
if ! libs_cflags=$(pkg-config --cflags $pkgs) || ! libs=$(pkg-config --libs $pkgs); then
	echo "fuzz: pkg-config cannot find all of: $pkgs" >&2
	exit 1
fi

# Can this compiler build and link a fuzzer at all?
probe="$out/probe"
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' >"$probe.c"
if ! "$CC" -fsanitize=fuzzer,address,undefined "$probe.c" -o "$probe" >"$probe.log" 2>&1; then
	echo "fuzz: $CC cannot build libFuzzer targets (need clang and its runtime, libclang-rt-14-dev):" >&2
	sed 's/^/  /' "$probe.log" >&2
	exit 77
fi

# What http.c wants from config.h.
version=$(sed -n 's/^AC_INIT(\[[^]]*\], *\[\([^]]*\)\].*/\1/p' "$top/configure.ac")
printf '#define PACKAGE_VERSION "%s"\n' "${version:-fuzz}" >"$out/config.h.new"
if cmp -s "$out/config.h.new" "$out/config.h"; then rm -f "$out/config.h.new"; else mv "$out/config.h.new" "$out/config.h"; fi

# Objects older than their source or than the newest header are rebuilt.
newest_header=$(ls -t "$top"/include/tiertop/*.h "$top"/src/*/*.h "$out/config.h" | head -1)
stale="$out/stale.list"
: >"$stale"
for src in "$top"/src/core/*.c "$top"/src/aws/*.c "$top"/src/model/*.c; do
	rel=${src#"$top"/src/}
	obj="$out/obj/$(echo "$rel" | tr / _ | sed 's/\.c$/.o/')"
	if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_header" -nt "$obj" ]; then
		printf '%s %s\n' "$src" "$obj" >>"$stale"
	fi
done
# Objects of sources that no longer exist must not stay in the archive.
for obj in "$out"/obj/*.o; do
	[ -f "$obj" ] || continue
	name=$(basename "$obj" .o)
	dir=${name%%_*}
	[ -f "$top/src/$dir/${name#"$dir"_}.c" ] || rm -f "$obj"
done
if [ -s "$stale" ]; then
	export CC common libs_cflags
	# shellcheck disable=SC2016
	xargs -P "$jobs" -L 1 sh -c '$CC $common -fsanitize=fuzzer-no-link $libs_cflags -c "$0" -o "$1"' <"$stale"
	rm -f "$out/libtt.a"
fi
[ -f "$out/libtt.a" ] || ar rcs "$out/libtt.a" "$out"/obj/*.o

if [ $# -eq 0 ]; then
	set -- $(cd "$top/tests/fuzz" && ls fuzz_*.c | sed 's/\.c$//')
fi
for t in "$@"; do
	src="$top/tests/fuzz/$t.c"
	if [ ! -f "$out/$t" ] || [ "$src" -nt "$out/$t" ] || [ "$out/libtt.a" -nt "$out/$t" ] ||
		[ "$top/tests/fuzz/fuzz.h" -nt "$out/$t" ]; then
		# shellcheck disable=SC2086
		$CC $common -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror \
			-fsanitize=fuzzer $libs_cflags "$src" "$out/libtt.a" $libs -lm -o "$out/$t"
	fi
done
