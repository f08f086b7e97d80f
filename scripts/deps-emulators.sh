#!/bin/sh
# Installs the third-party emulators the end-to-end tests also run against
# (today dynalite, a DynamoDB emulator on Node.js) into build-compat/, and
# prints the package directory to export as TT_DYNALITE. Node.js comes from
# Debian when the machine has none. A failure is reported, not fatal here:
# the test that needs the emulator fails under CI and names what is missing.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
dir="$top/build-compat"
pkg="$dir/node_modules/dynalite"
DYNALITE_VERSION=4.0.0

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	echo "installing: nodejs npm (for dynalite)" >&2
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm \
		>/dev/null 2>&1 ||
		{ $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 &&
			$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
				nodejs npm >/dev/null 2>&1; } ||
		{ echo "tiertop: could not install nodejs and npm: dynalite tests cannot run" >&2; exit 1; }
fi
if ! grep -q "\"version\": \"$DYNALITE_VERSION\"" "$pkg/package.json" 2>/dev/null; then
	mkdir -p "$dir"
	echo "installing: dynalite $DYNALITE_VERSION (npm)" >&2
	(cd "$dir" && npm install --no-audit --no-fund --no-save --loglevel=error "dynalite@$DYNALITE_VERSION" \
		>npm.log 2>&1) || { echo "tiertop: npm could not install dynalite (see $dir/npm.log)" >&2; exit 1; }
fi
echo "$pkg"
