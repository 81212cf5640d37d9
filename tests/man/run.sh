#!/bin/sh
# Man pages: each one lints clean under mandoc (warnings are failures).
cd "$(dirname "$0")/../.." || exit 1
n=0
fail=0
for page in man/*.[0-9]; do
	n=$((n + 1))
	if ! command -v mandoc >/dev/null 2>&1; then
		echo "not ok $n - $page: mandoc is not installed (make deps)"
		fail=1
		continue
	fi
	out=$(mandoc -Tlint -W warning "$page" 2>&1)
	if [ -z "$out" ]; then
		echo "ok $n - $page lints clean"
	else
		echo "not ok $n - $page lints clean"
		echo "$out" | sed 's/^/#   /'
		fail=1
	fi
done
exit $fail
