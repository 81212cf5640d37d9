#!/bin/sh
# run.sh BUILDDIR: runs every test against the programs in BUILDDIR and
# ends with one line "N passed, N failed".
#
#   unit tests        BUILDDIR/tests/test_*        (C, TAP lines)
#   golden tests      tests/*/run.sh               (shell, TAP lines)
#   integration tests tests/integration/test_*.py  (Python, TAP lines)
#
# A test program that exits non-zero without reporting a failure, or that
# crashes, counts as one failure, so a sanitizer abort is never lost.
# Set TESTS=pattern to run only matching test files.
set -u
build=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
export DATELINE_BUILD="$build" DATELINE_TOP="$top"
# The programs under test read the source tree's data files.
export DATELINE_DATA="$top/data"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=86}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
passed=0
failed=0

run_one() {
	name=$1; shift
	out="$log/out"
	"$@" >"$out" 2>"$log/err"
	status=$?
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	grep '^not ok \|^#' "$out" | sed "s|^|$name: |"
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$name: exited with status $status"
		tail -n 30 "$log/err" | sed "s|^|$name: stderr: |"
		f=$((f + 1))
	elif [ "$f" -gt 0 ]; then
		tail -n 15 "$log/err" | sed "s|^|$name: stderr: |"
	fi
	echo "$name: $p passed, $f failed"
	passed=$((passed + p))
	failed=$((failed + f))
}

matches() {
	[ -z "${TESTS:-}" ] && return 0
	case "$1" in *$TESTS*) return 0 ;; esac
	return 1
}

for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	matches "$t" || continue
	run_one "$(basename "$t")" "$t"
done
for t in "$top"/tests/*/run.sh; do
	[ -f "$t" ] || continue
	matches "$t" || continue
	run_one "$(basename "$(dirname "$t")")" sh "$t" "$build"
done
for t in "$top"/tests/integration/test_*.py; do
	[ -f "$t" ] || continue
	matches "$t" || continue
	run_one "$(basename "$t" .py)" python3 "$t"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
