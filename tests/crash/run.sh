#!/bin/sh
# run.sh BUILDDIR: the brief crash-consistency tests for `make check`
# (20 SIGKILLs during ingest, disk full, a long reader, a concurrent
# sqlite3 writer); `make crashtest` runs the long ones.  tests/run.sh has
# exported DATELINE_BUILD for the programs under test.
exec python3 "$(dirname "$0")/crash.py" --brief
