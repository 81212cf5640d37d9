#!/bin/sh
# run.sh BUILDDIR: the article extractor against the annotated pages.
# One TAP line per tests/pages/NAME.html: ok when `dateline extract`
# (with the arguments in NAME.args) gives NAME.json's title, byline,
# agency, dateline, published, updated, auto_published, url and related
# links exactly and its body with token F1 >= 0.95.  See eval.py.
cd "$(dirname "$0")/../.." || exit 1
exec python3 tests/pages/eval.py --tap "${1:-build}"
