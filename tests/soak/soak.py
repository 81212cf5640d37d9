#!/usr/bin/env python3
"""soak.py [--duration 30m] [--feeds 1000] [--build build/san]: datelined
(the sanitizer build) as a daemon against 1000 fixture feeds on loopback
servers, 10 % of them hostile, items changing every few polls, short
intervals, some feeds fetching article pages too.

Samples the daemon's RSS once a minute and fails if it keeps growing after
the warm-up (the first third of the run, at least 5 minutes when the run
is long enough); at the end stops the daemon with SIGTERM, which must exit
0 with no LeakSanitizer report.  Prints TAP lines and the RSS curve.

Nothing here connects anywhere but 127.0.0.0/8.
"""
import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(TOP, "tests", "integration"))

import hostile_server as H  # noqa: E402

INTERVAL = 30           # seconds between polls of a healthy feed
CHANGE_EVERY = 3        # items change every this many intervals
SERVERS = 50            # loopback servers (hosts) the feeds are spread over


def duration(text):
    units = {"s": 1, "m": 60, "h": 3600}
    if text[-1] in units:
        return float(text[:-1]) * units[text[-1]]
    return float(text)


def hostile_routes(kind, name, srv):
    """The bad server a hostile feed meets, by kind (every poll)."""
    if kind == "http500":
        return H.body_route(b"oops", status=500, ctype="text/plain")
    if kind == "http429":
        return H.body_route(b"busy", status=429, headers=["Retry-After: 20"],
                            ctype="text/plain")
    if kind == "garbage":
        return H.body_route(b"\x00\xff garbage <rss><channel><item><title>x",
                            ctype="text/html")
    if kind == "laughs":
        return H.body_route(H.billion_laughs_doc())
    if kind == "xxe":
        return H.body_route(H.xxe_doc(srv.url("/never")))
    if kind == "deep":
        return H.body_route(H.deep_doc(20000))
    if kind == "huge":
        return H.body_route(H.huge_text_doc(11))
    if kind == "bomb":
        return H.gzip_bomb(1)
    if kind == "truncated":
        return H.truncated_body
    if kind == "reset":
        return H.reset_mid_transfer
    if kind == "trunc-gzip":
        return H.truncated_gzip
    if kind == "stall":
        return H.stall_after_headers
    if kind == "loop":
        srv.route("/%s-loop-b" % name, H.redirect("/%s.xml" % name))
        return H.redirect("/%s-loop-b" % name)
    if kind == "strings":
        return H.body_route(H.rss_items([
            {"guid": "%s-s%d" % (name, i), "link": "https://soak.example/%s/%d" % (name, i),
             "title": "');DROP TABLE articles;-- " + "\u00e9" * 40000,
             "description": b"bad \xff\xfe bytes"} for i in range(3)]))
    raise ValueError(kind)


KINDS = ["http500", "http429", "garbage", "laughs", "xxe", "deep", "huge", "bomb",
         "truncated", "reset", "trunc-gzip", "stall", "loop", "strings"]


def page_html(guid):
    paras = "".join("<p>Paragraph %d of the article %s, long enough to be a body "
                    "paragraph that the extractor keeps as article text.</p>" % (i, guid)
                    for i in range(6))
    return ("<!doctype html><html><head><meta charset='utf-8'><title>%s</title></head>"
            "<body><article><h1>%s</h1><div class='byline'>By IANS</div>%s</article>"
            "</body></html>" % (guid, guid, paras)).encode()


def build(nfeeds, start):
    servers = [H.RawServer("127.0.0.%d" % (20 + i)) for i in range(SERVERS)]
    feeds = []
    kinds = {}

    def gen():
        return int((time.time() - start) // (INTERVAL * CHANGE_EVERY))

    for i in range(nfeeds):
        srv = servers[i % SERVERS]
        name = "soak-%04d" % i
        path = "/%s.xml" % name
        extra = {}
        if i % 10 == 9:
            kind = KINDS[(i // 10) % len(KINDS)]
            kinds[name] = kind
            srv.route(path, hostile_routes(kind, name, srv))
            extra = {"timeout": "5s", "retry_min": "10s", "retry_max": "60s"}
        elif i % 25 == 3:
            srv.route(path, pages_feed(name, srv, gen))
            extra = {"fetch_articles": "true", "robots": "false"}
        else:
            srv.route(path, H.healthy(name, gen, n=3, size=1500))
        line = ["  - name: %s" % name, "    url: %s" % srv.url(path)]
        line += ["    %s: %s" % kv for kv in extra.items()]
        feeds.append("\n".join(line))
    return servers, feeds, kinds


def pages_feed(name, srv, gen):
    def fn(s, conn, req):
        g = gen()
        items = []
        for k in range(3):
            guid = "%s-g%d-%d" % (name, g, k)
            path = "/page/%s" % guid
            if path not in s.routes:
                s.route(path, H.body_route(page_html(guid), ctype="text/html; charset=utf-8"))
            items.append({"guid": guid, "link": s.url(path), "title": "Story " + guid,
                          "description": "Teaser of " + guid})
        H.send(conn, 200, H.rss_items(items))
    return fn


def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", default=os.environ.get("DURATION", "10m"))
    ap.add_argument("--feeds", type=int, default=1000)
    ap.add_argument("--build", default=os.environ.get("DATELINE_BUILD",
                                                      os.path.join(TOP, "build", "san")))
    ap.add_argument("--keep", help="keep the work folder here")
    args = ap.parse_args()
    total = duration(args.duration)
    work = args.keep or os.path.join("/tmp", "dateline-soak-%d" % os.getpid())
    os.makedirs(work, exist_ok=True)
    cfg = os.path.join(work, "dateline.yaml")
    db = os.path.join(work, "dateline.db")
    start = time.time()
    servers, feeds, kinds = build(args.feeds, start)
    with open(cfg, "w") as f:
        f.write("database: dateline.db\nmax_connections: 32\npage_delay: 0s\n"
                "defaults:\n  interval: %ds\n  timeout: 10s\n  connect_timeout: 5s\n"
                "  allow_private: true\n  retry_min: 10s\n  retry_max: 2m\n"
                "feeds:\n%s\n" % (INTERVAL, "\n".join(feeds)))
    env = dict(os.environ)
    for k in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
              "all_proxy", "NOTIFY_SOCKET", "WATCHDOG_USEC"):
        env.pop(k, None)
    env.setdefault("DATELINE_DATA", os.path.join(TOP, "data"))
    # A small quarantine, so that RSS shows the daemon's memory rather than
    # ASan filling its default 256 MB of freed blocks.
    env["ASAN_OPTIONS"] = "detect_leaks=1:exitcode=86:quarantine_size_mb=16"
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    log = open(os.path.join(work, "datelined.log"), "w+b")
    proc = subprocess.Popen([os.path.join(args.build, "datelined"), "-c", cfg],
                            stdout=subprocess.DEVNULL, stderr=log, env=env)
    samples = []    # (minutes, RSS MiB)
    n = 0
    failed = 0

    def ok(cond, what):
        nonlocal n, failed
        n += 1
        print("%sok %d - %s" % ("" if cond else "not ", n, what), flush=True)
        if not cond:
            failed += 1

    next_sample = start + 5
    alive = True
    while time.time() - start < total:
        if proc.poll() is not None:
            alive = False
            break
        if time.time() >= next_sample:
            r = rss_kib(proc.pid) / 1024.0
            m = (time.time() - start) / 60
            samples.append((m, r))
            print("# rss %6.1f min %7.1f MiB" % (m, r), flush=True)
            next_sample = start + 60 * len(samples)
        time.sleep(1)
    ok(alive, "daemon ran for %s" % args.duration)
    samples.append(((time.time() - start) / 60, rss_kib(proc.pid) / 1024.0))
    print("# rss %6.1f min %7.1f MiB (end)" % samples[-1], flush=True)

    # Growth after warm-up.
    warm_min = max(total / 3, min(300, total / 2)) / 60
    after = [s for s in samples if s[0] >= warm_min]
    if len(after) >= 2:
        first, last = after[0][1], after[-1][1]
        peak_after = max(r for _, r in after)
        # Growth is judged on the medians of the first and last thirds of
        # the post-warm-up samples: a huge document being parsed at the
        # moment of one sample is a spike, not a trend.
        k = max(1, len(after) // 3)
        head = sorted(r for _, r in after[:k])[k // 2]
        tail = sorted(r for _, r in after[-k:])[k // 2]
        limit = 0.10 * head + 16
        ok(tail - head <= limit,
           "RSS flat after warm-up: median %.1f MiB early, %.1f MiB late (allowed rise "
           "%.1f; %.1f at %.0f min, %.1f at the end, peak %.1f)"
           % (head, tail, limit, first, after[0][0], last, peak_after))
    else:
        ok(True, "# SKIP RSS trend: run too short for a warm-up")
    print("# rss curve: start %.1f MiB, after warm-up %.1f MiB, end %.1f MiB"
          % (samples[0][1], after[0][1] if after else samples[-1][1], samples[-1][1]))

    # Stop: clean exit, no leak report.
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    log.seek(0)
    text = log.read().decode("utf-8", "replace")
    ok(proc.returncode == 0, "SIGTERM exits 0 (status %s)" % proc.returncode)
    ok("LeakSanitizer" not in text and "AddressSanitizer" not in text and
       "runtime error:" not in text, "no sanitizer or leak report at exit")
    con = sqlite3.connect(db)
    try:
        ok(con.execute("PRAGMA integrity_check").fetchall() == [("ok",)], "integrity_check ok")
        rows = dict(con.execute("SELECT f.name, count(a.id) FROM feeds f LEFT JOIN articles a "
                                "ON a.feed_id = f.id GROUP BY f.name").fetchall())
        healthy = [nm for nm in rows if nm not in kinds]
        empty = [nm for nm in healthy if rows[nm] == 0]
        ok(not empty, "every healthy feed stored articles (%d feeds, %d articles)"
           % (len(healthy), sum(rows[nm] for nm in healthy)))
        errs = dict(con.execute("SELECT name, last_error FROM feeds").fetchall())
        quiet = [nm for nm, kd in kinds.items() if kd not in ("xxe", "strings")
                 and not errs.get(nm)]
        ok(not quiet, "every failing hostile feed has an error recorded %s" % quiet[:5])
        pages = con.execute("SELECT count(*) FROM articles WHERE page_state = 'done'").fetchone()
        ok(pages[0] > 0, "article pages fetched and stored (%d)" % pages[0])
        polls = con.execute("SELECT sum(polls) FROM feeds").fetchone()[0]
        print("# %s polls, %d articles, database %.1f MiB" % (
            polls, con.execute("SELECT count(*) FROM articles").fetchone()[0],
            os.path.getsize(db) / 1048576))
    finally:
        con.close()
    for s in servers:
        s.close()
    if not args.keep:
        import shutil
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (n - failed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
