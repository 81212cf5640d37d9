#!/usr/bin/python3
"""Python feedparser over a list of feed files, in one process.

usage: feedparser_bench.py LIST

The files are read into memory first; the clock covers feedparser.parse
of each document alone.  Prints {"files", "items", "seconds",
"cpu_seconds"}.
"""
import json
import sys
import time

import feedparser


def main():
    paths = [p for p in open(sys.argv[1]).read().split("\n") if p]
    docs = []
    for p in paths:
        with open(p, "rb") as f:
            docs.append(f.read())
    items = 0
    w0, c0 = time.monotonic(), time.process_time()
    for d in docs:
        items += len(feedparser.parse(d).entries)
    w, c = time.monotonic() - w0, time.process_time() - c0
    print(json.dumps({"files": len(docs), "items": items, "seconds": w, "cpu_seconds": c}))


if __name__ == "__main__":
    main()
