#!/bin/sh
# Installs what building and testing tiertop needs on Debian, if missing.
# Runs apt-get as root, or through sudo for a user who has it.
set -eu

# bsdutils: script(1), which gives a test a terminal.
PACKAGES="build-essential autoconf automake pkg-config libncurses-dev libcurl4-openssl-dev
libjansson-dev libssl-dev libexpat1-dev zlib1g-dev python3 python3-botocore tmux openssl
curl ca-certificates clang libclang-rt-14-dev bsdutils"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "tiertop: these Debian packages are missing:$missing" >&2
	echo "tiertop: run this script as root, or install sudo" >&2
	exit 1
fi
echo "installing:$missing"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
