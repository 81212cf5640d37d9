#!/bin/sh
# fuzz.sh [TARGET...]: builds the libFuzzer targets with clang (ASan +
# UBSan) into build/fuzz and runs each for FUZZ_SECONDS (default 60),
# one after another (the machine is shared: -jobs=1).
#
#   FUZZ_SECONDS=600 sh tests/fuzz/fuzz.sh fuzz_feed
#
# Corpora live in build/fuzz/corpus/TARGET (seeded from the fixtures by
# seeds.py and kept between runs); crashes are written to
# build/fuzz/crashes/.  Exits 1 when any target found a crash.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
CLANG=${CLANG:-clang}
seconds=${FUZZ_SECONDS:-60}
out=build/fuzz
targets=${*:-fuzz_feed fuzz_page fuzz_config fuzz_date fuzz_url fuzz_text fuzz_robots}

if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "fuzz: $CLANG not found (Debian: apt-get install clang)" >&2
	exit 1
fi
# The library, instrumented for coverage but without libFuzzer's main.
make --no-print-directory O=$out CC="$CLANG" SANITIZE=1 \
    CFLAGS="-O1 -g -fsanitize=fuzzer-no-link" $out/libdateline.a >$out.log 2>&1 || {
	tail -n 30 $out.log >&2
	exit 1
}
# The libraries the programs link, as the Makefile names them.
pkgs=$(sed -n 's/^PKGS *= *//p' Makefile)
cflags="-std=c11 -D_GNU_SOURCE -O1 -g -iquote src -iquote $out/gen $(pkg-config --cflags $pkgs)"
san="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
libs="$(pkg-config --libs $pkgs) -lev -lm"
mkdir -p $out/bin $out/crashes $out/corpus
for t in $targets; do
	$CLANG $cflags $san -o $out/bin/$t tests/fuzz/$t.c $out/libdateline.a $libs || exit 1
done
python3 tests/fuzz/seeds.py $out/corpus >/dev/null || exit 1

export DATELINE_DATA="$top/data"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
found=0
for t in $targets; do
	dict=
	case $t in fuzz_feed|fuzz_page|fuzz_text) dict=-dict=tests/fuzz/xml.dict ;; esac
	echo "fuzz: $t for ${seconds}s"
	before=$(ls $out/crashes | wc -l)
	$out/bin/$t -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2560 \
	    -max_len=262144 -print_final_stats=1 $dict \
	    -artifact_prefix=$out/crashes/$t- $out/corpus/$t \
	    >$out/$t.log 2>&1
	status=$?
	after=$(ls $out/crashes | wc -l)
	grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)' $out/$t.log |
	    sed "s/^/fuzz: $t: /"
	echo "fuzz: $t: corpus $(ls $out/corpus/$t | wc -l) inputs"
	if [ $status -ne 0 ] || [ "$after" -ne "$before" ]; then
		echo "fuzz: $t: FOUND A PROBLEM (status $status); see $out/$t.log and $out/crashes/"
		grep -m1 -A12 'ERROR:\|runtime error\|==ERROR' $out/$t.log | sed "s/^/fuzz: $t: /"
		found=1
	fi
done
exit $found
