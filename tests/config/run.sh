#!/bin/sh
# run.sh BUILDDIR: golden tests of the configuration reader, as TAP lines.
#
#   bad-NAME.yaml    `dateline check-config -c tests/config/bad-NAME.yaml`
#                    must exit 1, print nothing on stdout, and print exactly
#                    bad-NAME.err on stderr
#   bad-NAME.err     without a bad-NAME.yaml: the same, for a file that
#                    does not exist
#   good-NAME.yaml   `dateline check-config -v -c ...` must exit 0 and print
#                    good-NAME.ok; and good-NAME.ok, read back the same way,
#                    must print itself (the round trip)
#   gen-NAME.err     inputs too large to commit (100000-deep nesting, a file
#                    over the size limit) are written by gen_NAME below into
#                    a temporary folder and checked from there as
#                    "gen-NAME.yaml"
#   etc/dateline.yaml    the shipped example must be valid and round-trip
#   man/dateline.yaml.5  must describe every key and list every limit of
#                    src/bounds.h (tests/man lints it)
#
# Commands run from the top of the tree with paths relative to it, so the
# messages are the same wherever the tree is.  The version in the default
# user_agent is replaced by "VERSION" so that a release does not change
# every golden file.
#
# REGEN=1 (regen.sh) rewrites the expected files instead of comparing;
# review the result with `git diff tests/config`.
set -u
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
dateline="$build/dateline"
regen=${REGEN:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
cd "$top" || exit 1

version=$("$dateline" version | sed 's/^dateline //')

pass() {
	n=$((n + 1))
	echo "ok $n - $1"
}

fail() {
	n=$((n + 1))
	echo "not ok $n - $1"
	shift
	for line in "$@"; do
		echo "# $line"
	done
}

# The default user_agent without its version.
normalize() {
	sed "s|\"dateline/$version (+|\"dateline/VERSION (+|" "$1"
}

# compare NAME EXPECTED ACTUAL: one TAP line, the diff on failure.
compare() {
	if [ -n "$regen" ]; then
		cp "$3" "$2"
		pass "$1 (regenerated)"
	elif [ ! -f "$2" ]; then
		fail "$1" "missing expected file $2"
	elif diff -u "$2" "$3" >"$tmp/diff"; then
		pass "$1"
	else
		n=$((n + 1))
		echo "not ok $n - $1"
		sed 's/^/# /' "$tmp/diff"
	fi
}

# check_bad NAME FILE EXPECTED [DIR]: check-config must refuse FILE.
check_bad() {
	(cd "${4:-.}" && "$dateline" check-config -c "$2") \
	    >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ "$status" -ne 1 ]; then
		fail "$1" "exit status $status, expected 1" \
		    "$(head -c 2000 "$tmp/err")"
	elif [ -s "$tmp/out" ]; then
		fail "$1" "unexpected output on stdout"
	else
		compare "$1" "$3" "$tmp/err"
	fi
}

# run_good NAME FILE: check-config -v FILE into $tmp/ok; 0 when clean.
run_good() {
	"$dateline" check-config -v -c "$2" >"$tmp/raw" 2>"$tmp/err"
	status=$?
	if [ "$status" -ne 0 ] || [ -s "$tmp/err" ]; then
		fail "$1" "exit status $status, expected 0 and no messages" \
		    "$(head -c 2000 "$tmp/err")"
		return 1
	fi
	normalize "$tmp/raw" >"$tmp/ok"
}

for f in tests/config/bad-*.yaml; do
	name=$(basename "$f" .yaml)
	check_bad "$name" "$f" "tests/config/$name.err"
done

for e in tests/config/bad-*.err; do
	name=$(basename "$e" .err)
	[ -f "tests/config/$name.yaml" ] && continue
	check_bad "$name (no such file)" "tests/config/$name.yaml" "$e"
done

for f in tests/config/good-*.yaml; do
	name=$(basename "$f" .yaml)
	ok="tests/config/$name.ok"
	run_good "$name" "$f" || continue
	compare "$name" "$ok" "$tmp/ok"
	# NOTE: the round trip reads the .ok file from the same folder, so
	# a relative database resolves to the same place.
	run_good "$name round trip" "$ok" || continue
	compare "$name round trip" "$ok" "$tmp/ok"
done

# Generated inputs; each writes $tmp/gen/gen-NAME.yaml.
gen_deep_flow() {
	echo "database: deep.db"
	printf 'feeds: '
	awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["
		for (i = 0; i < 100000; i++) printf "]"; print "" }'
}

gen_deep_map() {
	echo "database: deep.db"
	printf 'defaults: '
	awk 'BEGIN { for (i = 0; i < 100000; i++) printf "{a: "; printf "b"
		for (i = 0; i < 100000; i++) printf "}"; print "" }'
}

gen_deep_block() {
	echo "database: deep.db"
	echo "feeds:"
	awk 'BEGIN { for (i = 0; i < 100000; i++) printf "- "; print "x" }'
}

gen_too_large() {
	echo "database: big.db"
	awk 'BEGIN { s = "# padding"; while (length(s) < 1000) s = s " padding"
		for (i = 0; i < 17 * 1024; i++) print s }'
}

mkdir -p "$tmp/gen"
for e in tests/config/gen-*.err; do
	name=$(basename "$e" .err)
	fn=$(echo "$name" | sed 's/-/_/g')
	"$fn" >"$tmp/gen/$name.yaml"
	check_bad "$name (generated)" "$name.yaml" "$top/$e" "$tmp/gen"
	rm -f "$tmp/gen/$name.yaml"
done

# The shipped example.
if [ -z "$regen" ] && run_good "etc/dateline.yaml is valid" etc/dateline.yaml
then
	pass "etc/dateline.yaml is valid"
	cp "$tmp/ok" "$tmp/example.ok"
	if run_good "etc/dateline.yaml round trip" "$tmp/example.ok"; then
		compare "etc/dateline.yaml round trip" "$tmp/example.ok" "$tmp/ok"
	fi
fi

# The man page (tests/man lints it): every key, every limit.
page=man/dateline.yaml.5
if [ -z "$regen" ]; then
	missing=""
	for key in database user_agent max_connections max_host_connections \
	    log_level defaults feeds name url kind interval timeout \
	    connect_timeout fetch_articles timezone agency enabled \
	    allow_private max_bytes retry_min retry_max; do
		grep -q "^\.It Ic $key\( \|$\)" "$page" || missing="$missing $key"
	done
	if [ -z "$missing" ]; then
		pass "$page describes every key"
	else
		fail "$page describes every key" "missing:$missing"
	fi
	missing=""
	for limit in $(sed -n 's/^#define \(LIMIT_[A-Z_]*\).*/\1/p' src/bounds.h); do
		grep -q "$limit" "$page" || missing="$missing $limit"
	done
	if [ -z "$missing" ]; then
		pass "$page lists every limit of src/bounds.h"
	else
		fail "$page lists every limit of src/bounds.h" "missing:$missing"
	fi
fi

echo "1..$n"
