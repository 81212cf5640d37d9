#!/bin/sh
# run.sh BUILDDIR: replays every input under tests/fuzz/regress/TARGET/
# (inputs that once crashed a target or broke one of its checks) through
# the fuzz target built with the ordinary compiler against BUILDDIR's
# library.  One TAP line per input.  Part of `make check`.
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
CC=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The libraries the programs link, as the Makefile names them.
pkgs=$(sed -n 's/^PKGS *= *//p' Makefile)
san=
# The sanitizer build's objects need the sanitizer runtimes at link time.
if nm "$build/libdateline.a" 2>/dev/null | grep -q __asan_; then
	san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
fi
export DATELINE_DATA="$top/data"
n=0
for dir in tests/fuzz/regress/*/; do
	t=$(basename "$dir")
	bin="$tmp/$t"
	if ! $CC -std=c11 -D_GNU_SOURCE -g -O1 -iquote src -iquote "$build/gen" \
	    $(pkg-config --cflags $pkgs) $san -o "$bin" tests/fuzz/replay.c \
	    "tests/fuzz/$t.c" "$build/libdateline.a" $(pkg-config --libs $pkgs) \
	    -lev -lm 2>"$tmp/cc.log"; then
		n=$((n + 1))
		echo "not ok $n - $t: replay driver builds"
		sed 's/^/#   /' "$tmp/cc.log"
		continue
	fi
	for f in "$dir"*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		if "$bin" "$f" >"$tmp/out" 2>&1; then
			echo "ok $n - $t: $(basename "$f")"
		else
			echo "not ok $n - $t: $(basename "$f")"
			tail -n 20 "$tmp/out" | sed 's/^/#   /'
		fi
	done
done
