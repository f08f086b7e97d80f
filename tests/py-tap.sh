#!/bin/sh
# Log compiler for *.py tests: Debian's Python (with python3-botocore), TAP out.
if ! /usr/bin/python3 -c 'import botocore' 2>/dev/null; then
	echo "1..0 # SKIP $1 needs /usr/bin/python3 with botocore (Debian python3-botocore)"
	exit 0
fi
exec /usr/bin/python3 "$(dirname "$0")/tap_unittest.py" "$1"
