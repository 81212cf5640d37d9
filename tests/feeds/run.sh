#!/bin/sh
# tests/feeds/run.sh BUILDDIR: golden tests of `dateline parse`, as TAP.
#
# Each tests/feeds/NAME.xml is parsed with
#     dateline parse --url https://example.com/feeds/NAME.xml [ARGS] tests/feeds/NAME.xml
# and each JSON Feed, tests/feeds/NAME.json, the same way with NAME.json,
# where ARGS is the content of NAME.args if there is one, from the top of
# the repository.  The expected result is either
#     NAME.jsonl  the exact standard output, with exit status 0 and nothing
#                 on standard error, or
#     NAME.err    a first line "exit N" with the expected exit status, then
#                 the exact standard error (standard output must be empty).
# Hostile documents too big to commit (deep nesting, a huge text node,
# quadratic entity blowup) are generated into a temporary folder with
# their expected results and checked the same way.
# regen.sh rewrites the goldens from the current build; review the diff.
set -u
build=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
bin="$build/dateline"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0

# check DIR NAME [EXT]: runs one fixture (NAME.EXT, xml by default) and
# prints its TAP line.
check() {
	dir=$1
	name=$2
	ext=${3:-xml}
	args=""
	[ -f "$dir/$name.args" ] && args=$(cat "$dir/$name.args")
	# shellcheck disable=SC2086
	"$bin" parse --url "https://example.com/feeds/$name.$ext" $args \
	    "$dir/$name.$ext" >"$tmp/out" 2>"$tmp/err"
	status=$?
	n=$((n + 1))
	if [ -f "$dir/$name.err" ]; then
		want="$dir/$name.err"
		{
			echo "exit $status"
			sed "s|$dir/|tests/feeds/|" "$tmp/err"
			[ -s "$tmp/out" ] && echo "(unexpected output on stdout)"
		} >"$tmp/got"
	else
		want="$dir/$name.jsonl"
		{
			cat "$tmp/out"
			[ "$status" -ne 0 ] && echo "exit $status"
			cat "$tmp/err"
		} >"$tmp/got"
	fi
	if [ -f "$want" ] && cmp -s "$want" "$tmp/got"; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		if [ -f "$want" ]; then
			diff -u "$want" "$tmp/got" | head -n 40 | cut -c 1-300 | sed 's/^/# /'
		else
			echo "# no golden $want (run tests/feeds/regen.sh)"
		fi
	fi
}

for f in tests/feeds/*.xml; do
	name=$(basename "$f" .xml)
	check tests/feeds "$name"
done
for f in tests/feeds/*.json; do
	[ -f "$f" ] || continue
	check tests/feeds "$(basename "$f" .json)" json
done

# Generated hostile documents.
gen="$tmp/gen"
mkdir "$gen"

# 10^6 nested elements: libxml2's depth limit, a clean error.
awk 'BEGIN {
	printf "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>deep</title>"
	for (i = 0; i < 1000000; i++) printf "<x>"
	for (i = 0; i < 1000000; i++) printf "</x>"
	printf "</channel></rss>\n" }' >"$gen/gen-deep-nesting.xml"
printf 'exit 1\n%s\n' "dateline: tests/feeds/gen-deep-nesting.xml: parser limit exceeded at line 2: Excessive depth in document: 256 use XML_PARSE_HUGE option" \
    >"$gen/gen-deep-nesting.err"

# A 12 MB text node: libxml2's text size limit, a clean error.
awk 'BEGIN {
	printf "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><item><title>"
	s = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	for (i = 0; i < 120000; i++) printf "%s", s
	printf "</title></item></channel></rss>\n" }' >"$gen/gen-huge-text.xml"
printf 'exit 1\n%s\n' "dateline: tests/feeds/gen-huge-text.xml: parser limit exceeded at line 2: xmlSAX2Characters: huge text node" \
    >"$gen/gen-huge-text.err"

# Quadratic blowup: a 10 kB entity referenced 10^4 times (100 MB if
# substituted).  Entities are not substituted by libxml2; the plain-text
# entity we read is bounded by the title's limit (64 kB), so the item is
# stored with a title of exactly 65536 "A".
awk 'BEGIN {
	a = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	printf "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY a \""
	for (i = 0; i < 100; i++) printf "%s", a
	printf "\">]>\n<rss version=\"2.0\"><channel><item><title>"
	for (i = 0; i < 10000; i++) printf "&a;"
	printf "</title></item></channel></rss>\n" }' >"$gen/gen-quadratic.xml"
awk 'BEGIN {
	print "{\"feed\":{\"title\":null,\"url\":null,\"updated\":null}}"
	printf "{\"guid\":null,\"url\":null,\"title\":\""
	for (i = 0; i < 65536; i++) printf "A"
	print "\",\"summary\":null,\"content\":null,\"author\":null,\"published\":null,\"updated\":null,\"categories\":[],\"enclosures\":[]}" }' \
    >"$gen/gen-quadratic.jsonl"

# JSON Feed nested 100000 deep: jansson's depth limit, a clean error.
awk 'BEGIN {
	printf "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": "
	for (i = 0; i < 100000; i++) printf "["
	for (i = 0; i < 100000; i++) printf "]"
	printf "}\n" }' >"$gen/gen-json-deep.json"
printf 'exit 1\n%s\n' "dateline: tests/feeds/gen-json-deep.json: not valid JSON at line 1, column 2105: maximum parsing depth reached near '['" \
    >"$gen/gen-json-deep.err"

# A 12 MB JSON Feed title: read, then cut to the field limit (64 kB).
awk 'BEGIN {
	printf "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [{\"id\": \"1\", \"title\": \""
	s = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	for (i = 0; i < 120000; i++) printf "%s", s
	printf "\"}]}\n" }' >"$gen/gen-json-huge-string.json"
awk 'BEGIN {
	print "{\"feed\":{\"title\":null,\"url\":null,\"updated\":null}}"
	printf "{\"guid\":\"1\",\"url\":null,\"title\":\""
	for (i = 0; i < 65536; i++) printf "x"
	print "\",\"summary\":null,\"content\":null,\"author\":null,\"published\":null,\"updated\":null,\"categories\":[],\"enclosures\":[]}" }' \
    >"$gen/gen-json-huge-string.jsonl"

for f in "$gen"/*.xml; do
	check "$gen" "$(basename "$f" .xml)"
done
for f in "$gen"/*.json; do
	check "$gen" "$(basename "$f" .json)" json
done
echo "1..$n"
