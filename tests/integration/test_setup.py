#!/usr/bin/env python3
"""The set-up promises of the README: .ci/run installs what the Makefile
says the project needs, and both programs answer --help/--version."""
import os
import re
import subprocess

from fixture import DATELINE, DATELINED, TOP, main


def test_deps_agree(t):
    out = subprocess.run(["make", "-s", "-C", TOP, "print-deps"], capture_output=True,
                         text=True).stdout.split()
    with open(os.path.join(TOP, ".ci", "run")) as f:
        ci = f.read()
    joined = ci.replace("\\\n", " ")
    listed = set()
    for line in joined.splitlines():
        if line.strip().startswith("apt-get install"):
            listed |= set(w for w in line.split() if not w.startswith("-"))
    t.ok(out and set(out) <= listed, ".ci/run installs every package of make print-deps",
         "missing from .ci/run: %s" % sorted(set(out) - listed))
    t.ok("make check" in ci, ".ci/run runs make check")
    with open(os.path.join(TOP, "README.md")) as f:
        readme = f.read()
    t.ok("make run" in readme and "make check" in readme, "README shows both set-up commands")


def test_programs_answer(t):
    for prog, args in ((DATELINED, ["--version"]), (DATELINE, ["version"]),
                       (DATELINED, ["--help"]), (DATELINE, ["--help"])):
        p = subprocess.run([prog] + args, capture_output=True, text=True)
        t.ok(p.returncode == 0 and p.stdout.strip(), "%s %s" % (os.path.basename(prog),
                                                             " ".join(args)), p.stderr)
    p = subprocess.run([DATELINE, "frobnicate"], capture_output=True, text=True)
    t.ok(p.returncode == 2 and "unknown command" in p.stderr, "unknown command: exit 2")


def test_example_config(t):
    p = subprocess.run([DATELINE, "check-config", "-c", os.path.join(TOP, "etc", "dateline.yaml")],
                       capture_output=True, text=True)
    t.is_eq((p.returncode, p.stderr), (0, ""), "etc/dateline.yaml is valid")


if __name__ == "__main__":
    main([test_deps_agree, test_programs_answer, test_example_config])
