#!/bin/sh
# regen.sh BUILDDIR: rewrites the expected files of tests/config (.err, .ok)
# from the programs in BUILDDIR.  A bad-*.yaml is only rewritten when
# check-config refuses it and a good-*.yaml only when it is accepted, so a
# regression cannot turn into a golden file silently; still, review the
# result with `git diff tests/config` before committing.
REGEN=1 exec sh "$(dirname "$0")/run.sh" "$@"
