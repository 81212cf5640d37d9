#!/usr/bin/env python3
"""seeds.py OUTDIR: builds the seed corpora of the fuzz targets from the
test fixtures (tests/feeds, tests/pages, tests/config, the unit tests'
string literals) into OUTDIR/<target>/.

Inputs of fuzz_feed, fuzz_page and fuzz_date start with one selector byte
(HTTP charset or zone); seeds use 0 (none) and a few others.
"""
import glob
import hashlib
import os
import re
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def put(outdir, target, data):
    d = os.path.join(outdir, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def c_strings(path):
    """The string literals of a C file, escapes decoded."""
    src = read(path).decode("utf-8", "replace")
    out = []
    for m in re.finditer(r'"((?:[^"\\\n]|\\.)*)"', src):
        try:
            s = m.group(1).encode("latin-1", "backslashreplace").decode("unicode_escape")
            out.append(s.encode("utf-8", "surrogatepass"))
        except (UnicodeDecodeError, UnicodeEncodeError):
            pass
    return out


def main(outdir):
    n = {}

    def add(target, data):
        put(outdir, target, data)
        n[target] = n.get(target, 0) + 1

    feeds = sorted(glob.glob(os.path.join(TOP, "tests/feeds/*.xml")) +
                   glob.glob(os.path.join(TOP, "tests/feeds/*.json")))
    pages = sorted(glob.glob(os.path.join(TOP, "tests/pages/*.html")))
    for p in feeds:
        data = read(p)
        if len(data) > 256 * 1024:
            continue
        add("fuzz_feed", b"\0" + data)
        add("fuzz_feed", b"\3" + data)   # told windows-1252 by "HTTP"
        for frag in re.findall(rb"<(?:description|title|content:encoded|summary|content)"
                               rb"[^>]*>(.{1,4000}?)</", data, re.S):
            add("fuzz_text", frag)
        for d in re.findall(rb"<(?:pubDate|published|updated|dc:date|lastBuildDate)>"
                            rb"([^<]{1,80})</", data):
            add("fuzz_date", b"\0" + d.strip())
            add("fuzz_date", b"\3" + d.strip())
        for u in re.findall(rb'(?:href|url|xml:base)="([^"]{1,300})"', data):
            add("fuzz_url", u)
    for p in pages:
        data = read(p)
        if len(data) > 512 * 1024:
            continue
        add("fuzz_page", b"\0" + data)
        add("fuzz_text", data[:16384])
        for u in re.findall(rb'href="([^"]{1,300})"', data)[:20]:
            add("fuzz_url", b"https://outlet.example.com/a/b.html\n" + u)
    for p in sorted(glob.glob(os.path.join(TOP, "tests/config/*.yaml"))):
        add("fuzz_config", read(p))
    add("fuzz_config", read(os.path.join(TOP, "etc/dateline.yaml")))
    for s in c_strings(os.path.join(TOP, "tests/unit/test_dates.c")):
        if 4 <= len(s) <= 80:
            add("fuzz_date", b"\0" + s)
    for s in c_strings(os.path.join(TOP, "tests/unit/test_url.c")):
        if s:
            add("fuzz_url", s)
    for s in c_strings(os.path.join(TOP, "tests/unit/test_text.c")):
        if s:
            add("fuzz_text", s)
    for s in c_strings(os.path.join(TOP, "tests/unit/test_robots.c")):
        if b":" in s:
            add("fuzz_robots", s)
    add("fuzz_robots", b"User-agent: *\nDisallow: /private/\nAllow: /private/ok\n"
                       b"Crawl-delay: 2.5\nSitemap: https://example.com/s.xml\n")
    add("fuzz_robots", b"\xef\xbb\xbfUser-agent: dateline\r\nDisallow: /*.pdf$\r\n"
                       b"Disallow: /a%2Fb\r\n\r\nUser-agent: *\r\nDisallow: /\r\n")
    for t, c in sorted(n.items()):
        print("%-12s %d seeds" % (t, c))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build/fuzz/corpus")
