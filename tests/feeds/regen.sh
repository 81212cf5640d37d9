#!/bin/sh
# tests/feeds/regen.sh BUILDDIR: rewrites the goldens of tests/feeds (for
# the NAME.xml and NAME.json inputs) from the current build (see run.sh for
# the format).  A fixture that exits 0 gets NAME.jsonl, any other gets
# NAME.err.  Review the diff: goldens must be right, not merely what the
# code prints.
set -u
build=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
bin="$build/dateline"
for f in tests/feeds/*.xml tests/feeds/*.json; do
	[ -f "$f" ] || continue
	ext=${f##*.}
	name=$(basename "$f" ".$ext")
	args=""
	[ -f "tests/feeds/$name.args" ] && args=$(cat "tests/feeds/$name.args")
	# shellcheck disable=SC2086
	"$bin" parse --url "https://example.com/feeds/$name.$ext" $args "$f" \
	    >"tests/feeds/$name.out" 2>"tests/feeds/$name.stderr"
	status=$?
	if [ "$status" -eq 0 ] && [ ! -s "tests/feeds/$name.stderr" ]; then
		mv "tests/feeds/$name.out" "tests/feeds/$name.jsonl"
		rm -f "tests/feeds/$name.err"
	else
		{ echo "exit $status"; cat "tests/feeds/$name.stderr"; } >"tests/feeds/$name.err"
		rm -f "tests/feeds/$name.jsonl" "tests/feeds/$name.out"
	fi
	rm -f "tests/feeds/$name.stderr"
done
